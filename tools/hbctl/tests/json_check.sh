#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Feed hbctl-style JSON (compact and pretty) of every object to a real
# JSON parser. Needs no kernel module.

cd "$(dirname "$0")" || exit 1

# A result, so that make check counts the skip instead of passing over it.
if ! command -v python3 >/dev/null 2>&1; then
	echo "ok json_check # SKIP python3 not found"
	exit 0
fi

rc=0
check() {
	if "$@"; then
		echo "ok json_check $name"
	else
		echo "not ok json_check $name"
		rc=1
	fi
}

for what in misc link peer key stats quorum app; do
	for mode in compact pretty; do
		name="$what $mode"
		# set -o pipefail is not POSIX: check json_sample on its own.
		check sh -c "./json_sample $mode $what >/dev/null &&
			./json_sample $mode $what | python3 -m json.tool >/dev/null"
	done
done

# monitor -j: one complete object per line.
name="events json-lines"
check sh -c './json_sample compact events >/dev/null &&
	test "$(./json_sample compact events | wc -l)" -eq 8 &&
	./json_sample compact events | python3 -m json.tool --json-lines >/dev/null'
exit $rc
