#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The VM runner checks itself: a job's exit status comes back to the host,
# a splat planted by a test-only module fails the run, and a job that never
# ends times out with each vCPU's whereabouts printed.
top=$(cd "$(dirname "$0")/../.." && pwd)
run=$top/selftests/vm/run
splat=$top/selftests/splat/hb_splat_test.ko
out=$(mktemp)
trap 'rm -f "$out"' EXIT

echo "TAP version 13"
echo "1..3"
failed=0

"$run" --quiet --no-load -- sh -c 'exit 3' >"$out" 2>&1
rc=$?
if [ $rc = 3 ]; then
	echo "ok 1 vm_runner.exit_status_propagates"
else
	sed 's/^/# /' "$out"
	echo "not ok 1 vm_runner.exit_status_propagates # got $rc"
	failed=1
fi

"$run" --quiet --no-load -- insmod "$splat" >"$out" 2>&1
rc=$?
if [ $rc != 0 ] && grep -q 'kernel splat in dmesg' "$out" &&
   grep -q 'hb_splat_test' "$out"; then
	echo "ok 2 vm_runner.planted_splat_fails_the_run"
else
	sed 's/^/# /' "$out"
	echo "not ok 2 vm_runner.planted_splat_fails_the_run # exit $rc"
	failed=1
fi
HB_HANG_SAMPLES=1 "$run" --quiet --no-load --timeout 30 -- sleep 1000 >"$out" 2>&1
rc=$?
if [ $rc = 125 ] && grep -q 'timed out after 30s' "$out" &&
   grep -q '^rip ' "$out"; then
	echo "ok 3 vm_runner.timeout_dumps_the_vcpus"
else
	sed 's/^/# /' "$out"
	echo "not ok 3 vm_runner.timeout_dumps_the_vcpus # exit $rc"
	failed=1
fi
exit $failed
