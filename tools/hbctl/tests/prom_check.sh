#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Feed "stats -o prometheus" output of fake replies to selftests/promparse.py,
# a strict parser of the text exposition format, after checking that the
# parser itself refuses known-bad input. Needs no kernel module.
# Usage: prom_check.sh SAMPLE... (see prom_sample.c)

cd "$(dirname "$0")" || exit 1
PYTHON=${PYTHON:-/usr/bin/python3}
PROMPARSE=../../../selftests/promparse.py

# A result, so that make check counts the skip instead of passing over it.
if ! [ -x "$PYTHON" ]; then
	echo "ok prom_check # SKIP $PYTHON not found"
	exit 0
fi

rc=0
# The self-test prints one "ok"/"not ok" line per input it tries.
"$PYTHON" "$PROMPARSE" --self-test || rc=1

for what in "$@"; do
	out=
	# set -o pipefail is not POSIX: check prom_sample on its own.
	if ./prom_sample "$what" >/dev/null &&
	   out=$(./prom_sample "$what" | "$PYTHON" "$PROMPARSE" - 2>&1); then
		echo "ok prom_check $what: $out"
	else
		echo "not ok prom_check $what: $out"
		rc=1
	fi
done
exit $rc
