#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Feed hbctl-style JSON (compact and pretty) to a real JSON parser.
# Needs no kernel module.

cd "$(dirname "$0")" || exit 1

if ! command -v python3 >/dev/null 2>&1; then
	echo "# SKIP json_check: python3 not found"
	exit 0
fi

rc=0
for mode in compact pretty; do
	if ./json_sample $mode | python3 -m json.tool >/dev/null; then
		echo "ok json_check $mode"
	else
		echo "not ok json_check $mode"
		rc=1
	fi
done
exit $rc
