#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Helpers for the shell selftests: KTAP output, namespaces, assertions.
# Tests source this file, call ktap_plan N, then one ktap_* result per case.

: "${HB_TOP:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${HB_MODULE:=$HB_TOP/heartbeat.ko}"
PATH=$HB_TOP/tools/hbctl:$PATH
export HB_TOP HB_MODULE PATH

KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4

ktap_count=0
ktap_failed=0
ktap_name=${0##*/}
ktap_namespaces=

ktap_plan()
{
	echo "TAP version 13"
	echo "1..$1"
}

ktap_ok()
{
	ktap_count=$((ktap_count + 1))
	echo "ok $ktap_count $ktap_name.$1"
}

ktap_fail()
{
	ktap_count=$((ktap_count + 1))
	ktap_failed=$((ktap_failed + 1))
	echo "not ok $ktap_count $ktap_name.$1"
}

ktap_skip()
{
	ktap_count=$((ktap_count + 1))
	echo "ok $ktap_count $ktap_name.$1 # SKIP $2"
}

# ktap_result NAME STATUS: ok when STATUS is 0.
ktap_result()
{
	if [ "$2" -eq 0 ]; then ktap_ok "$1"; else ktap_fail "$1"; fi
}

ktap_finish()
{
	cleanup_all_ns
	[ "$ktap_failed" -eq 0 ] && exit $KSFT_PASS
	exit $KSFT_FAIL
}

# Diagnostics go behind "# " so they never read as results.
log() { echo "# $*"; }

# fail_msg MESSAGE: print a diagnostic and return 1, for use in checks.
fail_msg() { log "$*"; return 1; }

# setup_ns NAME...: create namespaces with loopback up, remembered for cleanup.
setup_ns()
{
	for ns in "$@"; do
		ip netns del "$ns" 2>/dev/null
		ip netns add "$ns" || return 1
		ip -n "$ns" link set lo up || return 1
		ktap_namespaces="$ktap_namespaces $ns"
	done
}

cleanup_all_ns()
{
	for ns in $ktap_namespaces; do
		ip netns del "$ns" 2>/dev/null
	done
	ktap_namespaces=
}

# On the debug kernel of make check-debug (HB_DEBUG_KERNEL=1: KASAN, lockdep
# and kmemleak under TCG) everything is several times slower; timing tests
# widen their tolerances there with timing_scale.
debug_kernel() { [ "${HB_DEBUG_KERNEL:-0}" = 1 ]; }

# timing_scale N: N, or N times HB_TIMING_SCALE (default 5) on the debug kernel.
timing_scale()
{
	if debug_kernel; then
		echo $(($1 * ${HB_TIMING_SCALE:-5}))
	else
		echo "$1"
	fi
}

module_loaded() { grep -q '^heartbeat ' /proc/modules; }

load_module()
{
	module_loaded || insmod "$HB_MODULE"
}

unload_module()
{
	module_loaded || return 0
	rmmod heartbeat
}

# expect_eq WHAT ACTUAL EXPECTED
expect_eq()
{
	[ "$2" = "$3" ] && return 0
	fail_msg "$1: got '$2', expected '$3'"
}

# expect_rc EXPECTED COMMAND...: run COMMAND, compare its exit status.
expect_rc()
{
	want=$1
	shift
	"$@" >/tmp/ktap.out 2>&1
	got=$?
	[ "$got" = "$want" ] && return 0
	sed 's/^/# /' /tmp/ktap.out
	fail_msg "'$*' exited $got, expected $want"
}

# json_get KEY: read a JSON object on stdin, print the value of KEY.
json_get()
{
	/usr/bin/python3 -c 'import json,sys; v=json.load(sys.stdin)[sys.argv[1]]; print(str(v).lower() if isinstance(v, bool) else v)' "$1"
}
