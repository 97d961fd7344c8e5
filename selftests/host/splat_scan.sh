#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Host-side test of the VM runner's splat detector on sample kernel logs.
here=$(cd "$(dirname "$0")" && pwd)
scan=$here/../vm/splat-scan
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

clean='[    0.000000] Linux version 6.1.0-56-amd64
[    5.524966] heartbeat: loading out-of-tree module taints kernel.
[    5.525369] heartbeat: module verification failed: signature and/or required key missing - tainting kernel
[    5.527870] heartbeat 0.1.0 loaded
[    6.100000] IPv6: ADDRCONF(NETDEV_CHANGE): veth0: link becomes ready'

n=0
failed=0
check()		# check NAME EXPECTED-STATUS LOG-TEXT
{
	n=$((n + 1))
	printf '%s\n' "$3" >"$tmp/log"
	"$scan" "$tmp/log" >/dev/null
	got=$?
	if [ "$got" = "$2" ]; then
		echo "ok $n splat_scan.$1"
	else
		echo "# $1: splat-scan exited $got, expected $2"
		echo "not ok $n splat_scan.$1"
		failed=1
	fi
}

echo "TAP version 13"
echo "1..16"
check clean_log 0 "$clean"
check warning 1 "$clean
[    7.1] WARNING: CPU: 1 PID: 42 at kmod/netlink.c:10 hb_nl_node_set+0x1/0x2 [heartbeat]"
check bug 1 "[    7.1] BUG: kernel NULL pointer dereference, address: 0000000000000008"
check oops 1 "[    7.1] Oops: 0000 [#1] PREEMPT SMP NOPTI"
check gpf 1 "[    7.1] general protection fault, probably for non-canonical address 0xdead000000000100"
check kasan 1 "[    7.1] BUG: KASAN: slab-use-after-free in hb_peer_put+0x10/0x20"
check lockdep 1 "[    7.1] WARNING: possible circular locking dependency detected"
check rcu_usage 1 "[    7.1] WARNING: suspicious RCU usage"
check refcount 1 "[    7.1] refcount_t: underflow; use-after-free."
check list 1 "[    7.1] list_del corruption, ffff8880 ->next is LIST_POISON1 (dead000000000100)"
check rcu_stall 1 "[   30.1] rcu: INFO: rcu_preempt self-detected stall on CPU"
check sleep_in_atomic 1 "[    7.1] BUG: sleeping function called from invalid context at mm/slab.h:723"
check hung_task 1 "[  130.1] INFO: task rmmod:321 blocked for more than 120 seconds."
check kmemleak 1 "[  200.1] kmemleak: 2 new suspected memory leaks (see /sys/kernel/debug/kmemleak)"
check debug_boot_announcement 0 "$clean
[    3.361628] rcu: \\x09RCU lockdep checking is enabled."
check lockdep_off 1 "[    7.1] INFO: lockdep is turned off."
exit $failed
