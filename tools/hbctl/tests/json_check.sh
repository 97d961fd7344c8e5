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

# u64s above 2^53 (json_sample.c's exact_values): readers that hold
# numbers in doubles, as jq 1.6 does, get them exactly from "KEY_str".
# Each value: a node's incarnation, a peer's, then the time_ns and
# incarnations of a readiness (2), a state (2) and a restart event (3).
exact_want=
for v in 9007199254740993 9223372036854775809 18446744073709551615; do
	exact_want="$exact_want$v $v $v $v $v $v $v $v $v "
done
name="exact python"
# Every twin holds the digits of its number, read exactly here.
check sh -c './json_sample compact exact >/dev/null &&
	./json_sample compact exact | python3 -c "
import json, sys
n = 0
for line in sys.stdin:
    stack = [json.loads(line)]
    while stack:
        o = stack.pop()
        if isinstance(o, list):
            stack += o
        elif isinstance(o, dict):
            stack += o.values()
            for k, v in o.items():
                if k.endswith(\"_str\"):
                    assert v == str(o[k[:-4]]), (k, v, o[k[:-4]])
                    n += 1
                elif isinstance(v, int) and v > 2**53:
                    assert k + \"_str\" in o, k
assert n == 27, n
"'
if command -v jq >/dev/null 2>&1; then
	name="exact jq $(jq --version)"
	# shellcheck disable=SC2016 # the inner sh expands them
	check sh -c 'got=$(./json_sample compact exact |
		jq -r ".. | objects | to_entries[] |
			select(.key | endswith(\"_str\")) | .value" |
		tr "\n" " ") && test "$got" = "$1"' sh "$exact_want"
else
	echo "ok json_check exact jq # SKIP jq not found"
fi
exit $rc
