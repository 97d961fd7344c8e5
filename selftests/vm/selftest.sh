#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The VM runner checks itself: a job's exit status comes back to the host,
# a splat planted by a test-only module fails the run, even when the ring
# buffer lost it to a long log later in the run, and a job that never ends
# times out with each vCPU's whereabouts printed.
top=$(cd "$(dirname "$0")/../.." && pwd)
run=$top/selftests/vm/run
splat=$top/selftests/splat/hb_splat_test.ko
out=$(mktemp)
trap 'rm -f "$out"' EXIT

echo "TAP version 13"
echo "1..4"
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

# The kernel's own 128 KiB ring buffer, and 1 MiB of messages after the
# splat: the job fails unless the ring lost it; the run must fail all the
# same, with the whole log kept (no gap in what the guest read of /dev/kmsg;
# the writer pauses now and then, as real floods do).
long_log='insmod "$1" && sysctl -q kernel.printk_devkmsg=on && awk "BEGIN { for (i = 0; i < 8192; i++) { printf \"<6>vm_runner: line %d of a long log %0100d\\n\", i, 0 >\"/dev/kmsg\"; fflush(\"/dev/kmsg\"); if (i % 256 == 255) system(\"sleep 0.02\") } }" && ! dmesg | grep -q "planted warning"'
"$run" --quiet --no-load --log-buf 128K -- sh -c "$long_log" sh "$splat" >"$out" 2>&1
rc=$?
if [ $rc = 126 ] && grep -q 'kernel splat in dmesg' "$out" &&
   grep -q 'hb_splat_test' "$out" && ! grep -q 'log of the run is incomplete' "$out"; then
	echo "ok 3 vm_runner.splat_before_a_long_log_fails_the_run"
else
	sed 's/^/# /' "$out"
	echo "not ok 3 vm_runner.splat_before_a_long_log_fails_the_run # exit $rc"
	failed=1
fi

HB_HANG_SAMPLES=1 "$run" --quiet --no-load --timeout 30 -- sleep 1000 >"$out" 2>&1
rc=$?
if [ $rc = 125 ] && grep -q 'timed out after 30s' "$out" &&
   grep -q '^rip ' "$out"; then
	echo "ok 4 vm_runner.timeout_dumps_the_vcpus"
else
	sed 's/^/# /' "$out"
	echo "not ok 4 vm_runner.timeout_dumps_the_vcpus # exit $rc"
	failed=1
fi
exit $failed
