#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Feed "stats -o prometheus" output of fake replies to selftests/promparse.py,
# a strict parser of the text exposition format, after checking that the
# parser itself refuses known-bad input; then to the parser of Debian's
# python3-prometheus-client (selftests/promclient.py: both must read the
# same samples), and to promtool's linter when make deps unpacked it.
# Needs no kernel module.
# Usage: prom_check.sh SAMPLE... (see prom_sample.c)

cd "$(dirname "$0")" || exit 1
PYTHON=${PYTHON:-/usr/bin/python3}
PROMPARSE=../../../selftests/promparse.py
PROMCLIENT=../../../selftests/promclient.py
# scripts/install-deps unpacks it from Debian's prometheus package.
PROMTOOL=${PROMTOOL:-/var/cache/heartbeat/promtool/usr/bin/promtool}

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
	if ! "$PYTHON" -c 'import prometheus_client' 2>/dev/null; then
		echo "ok prom_check $what prometheus_client # SKIP python3-prometheus-client not installed"
	elif out=$(./prom_sample "$what" | "$PYTHON" "$PROMCLIENT" - 2>&1); then
		echo "ok prom_check $what prometheus_client: $out"
	else
		echo "not ok prom_check $what prometheus_client: $out"
		rc=1
	fi
	if ! [ -x "$PROMTOOL" ]; then
		echo "ok prom_check $what promtool # SKIP $PROMTOOL not found (make deps)"
	elif out=$(./prom_sample "$what" | "$PROMTOOL" check metrics 2>&1); then
		echo "ok prom_check $what promtool check metrics"
	else
		echo "not ok prom_check $what promtool: $out"
		rc=1
	fi
done
exit $rc
