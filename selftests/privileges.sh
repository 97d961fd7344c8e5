#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Mutating operations need CAP_NET_ADMIN over the caller's network namespace:
# an unprivileged user and a user namespace that does not own the network
# namespace are refused; reading is open to all (keys excepted); a user
# namespace that owns its network namespace may configure that one. sysfs is
# read-only for everyone, debugfs closed to users by its mount; events are
# open to all. Callers without CAP_NET_ADMIN in the initial user namespace
# get floors on the interval and the unicast fan-out, and every namespace
# shares one transmit budget.
. "$(dirname "$0")/lib.sh"

NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups"

ktap_plan 16
load_module

expect_rc 0 $NOBODY hbctl node show
ktap_result unprivileged_user_can_read $?

rc=0
expect_rc 2 $NOBODY hbctl node set fall 4 || rc=1
grep -q 'Operation not permitted' /tmp/ktap.out ||
	{ fail_msg "no EPERM message: $(cat /tmp/ktap.out)"; rc=1; }
ktap_result unprivileged_user_refused_set $rc

rc=0
for args in "link add dev lo" "link del dev lo" "peer add id 5" "peer del id 5"; do
	# shellcheck disable=SC2086
	expect_rc 2 $NOBODY hbctl $args || rc=1
	grep -q 'Operation not permitted' /tmp/ktap.out || { fail_msg "$args: not EPERM"; rc=1; }
done
expect_rc 0 $NOBODY hbctl link show || rc=1
expect_rc 0 $NOBODY hbctl peer show || rc=1
expect_rc 0 $NOBODY hbctl stats || rc=1
ktap_result unprivileged_user_refused_link_and_peer_changes $rc

rc=0
printf '%s' 0123456789abcdef0123456789abcdef >/tmp/hb-key
chmod 0600 /tmp/hb-key
expect_rc 0 hbctl key add id 3 secret-file /tmp/hb-key || rc=1
for args in "key show" "key del id 3"; do
	# shellcheck disable=SC2086
	expect_rc 2 $NOBODY hbctl $args || rc=1
	grep -q 'Operation not permitted' /tmp/ktap.out || { fail_msg "$args: not EPERM"; rc=1; }
done
expect_rc 0 hbctl -j key show || rc=1
grep -q '"id":3' /tmp/ktap.out || { fail_msg "key not listed"; rc=1; }
grep -qi 'secret\|0123456789abcdef' /tmp/ktap.out && { fail_msg "secret shown"; rc=1; }
expect_rc 0 hbctl key del id 3 || rc=1
rm -f /tmp/hb-key
ktap_result keys_are_admin_only_and_never_shown $rc

# Events are state too: a user's monitor gets the verdict on a configured
# peer that is never heard (dead when its grace period ends).
rc=0
grace=$(hbctl -j node show | json_get grace_us)
expect_rc 0 hbctl node set grace 300ms || rc=1
timeout 20 $NOBODY hbctl -j monitor count 1 >/tmp/hb-monitor 2>&1 &
monitor=$!
sleep 1
expect_rc 0 hbctl peer add id 7 || rc=1
wait $monitor || { fail_msg "user's monitor exited $?: $(cat /tmp/hb-monitor)"; rc=1; }
grep -q '"id":7,"state":"dead"' /tmp/hb-monitor ||
	{ fail_msg "no event for the user: $(cat /tmp/hb-monitor)"; rc=1; }
expect_rc 0 hbctl peer del id 7 || rc=1
expect_rc 0 hbctl node set grace "${grace}us" || rc=1
ktap_result unprivileged_user_gets_events $rc

# Every sysfs file, a peer's included: a user reads it, nobody (root
# included) writes it.
rc=0
expect_rc 0 hbctl peer add id 8 || rc=1
files=$(find /sys/kernel/heartbeat/ -type f)
echo "$files" | grep -q '/peers/8/' || { fail_msg "no sysfs files of peer 8"; rc=1; }
# One shell per user for all the files, and no process per file (a fork
# and exec per file took half a minute under TCG): builtins open, read and
# write; a redirection that fails makes its command fail.
try='for f; do { read -r line || :; } <"$f" || echo "cannot read $f"
	{ echo 4 >"$f"; } 2>/dev/null && echo "wrote to $f"; done'
for who in "$NOBODY" ""; do
	# shellcheck disable=SC2086
	out=$($who sh -c "$try" sh $files 2>&1)
	[ -z "$out" ] || { echo "$out" | sed "s/^/# ${who:-root}: /"; rc=1; }
done
[ -z "$(find /sys/kernel/heartbeat/ -type f -perm /222)" ] ||
	{ fail_msg "writable sysfs files"; rc=1; }
expect_rc 0 hbctl peer del id 8 || rc=1
ktap_result sysfs_is_read_only_for_everyone $rc

# debugfs: its mount (0700) keeps users out, whatever the modes below it.
rc=0
D=/sys/kernel/debug
mountpoint -q $D || mount -t debugfs none $D
files=$(find $D/heartbeat -type f)
[ -n "$files" ] || { fail_msg "no files in $D/heartbeat"; rc=1; }
expect_eq "mode of $D" "$(stat -c %a $D)" 700 || rc=1
for f in $files; do
	expect_rc 0 cat "$f" || rc=1
	expect_rc 1 $NOBODY cat "$f" || rc=1
done
ktap_result debugfs_is_root_only $rc

# The module's own modes, tried by a user once the mount lets users through
# (mode=0755, as an admin may mount it): the directory and every file are
# root's and read-only, so a user can read them but not write them.
rc=0
mount -o remount,mode=0755 $D || rc=1
expect_eq "mode of $D/heartbeat" "$(stat -c '%a %U' $D/heartbeat)" "755 root" || rc=1
for f in $files; do
	expect_eq "mode of $f" "$(stat -c '%a %U' "$f")" "444 root" || rc=1
	expect_rc 0 $NOBODY cat "$f" || rc=1
	if $NOBODY sh -c "echo 1 >$f" 2>/dev/null; then
		fail_msg "a user wrote to $f"
		rc=1
	fi
done
mount -o remount,mode=0700 $D || rc=1
expect_eq "mode of $D after the test" "$(stat -c %a $D)" 700 || rc=1
ktap_result debugfs_files_read_only $rc

if ! unshare -Ur true 2>/dev/null; then
	ktap_skip userns_root_refused_on_foreign_netns "no user namespaces"
	ktap_skip userns_may_configure_own_netns "no user namespaces"
	ktap_skip unprivileged_userns_may_configure_own_netns "no user namespaces"
	ktap_skip unprivileged_userns_interval_floor "no user namespaces"
	ktap_skip unprivileged_userns_unicast_fanout_floor "no user namespaces"
else
	expect_rc 2 unshare -Ur hbctl node set fall 4
	ktap_result userns_root_refused_on_foreign_netns $?

	rc=0
	expect_rc 0 unshare -Urn sh -c 'hbctl node set id 9 && hbctl -j node show' || rc=1
	grep -q '"id":9' /tmp/ktap.out || { fail_msg "set not visible"; rc=1; }
	ktap_result userns_may_configure_own_netns $rc

	expect_rc 0 $NOBODY unshare -Urn hbctl node set fall 5
	ktap_result unprivileged_userns_may_configure_own_netns $?

	# Root of a user namespace that unprivileged user made: no CAP_NET_ADMIN
	# in the initial one, so 10 ms (the default floor) and no less.
	rc=0
	expect_rc 2 $NOBODY unshare -Urn hbctl node set interval 9ms || rc=1
	grep -q 'Error: an interval below unpriv_min_interval_us needs CAP_NET_ADMIN in the initial user namespace' \
		/tmp/ktap.out || { fail_msg "no floor message: $(cat /tmp/ktap.out)"; rc=1; }
	expect_rc 0 $NOBODY unshare -Urn hbctl node set interval 10ms || rc=1
	ktap_result unprivileged_userns_interval_floor $rc

	# Unicast peers, each one more frame per interval on every unicast link.
	rc=0
	params=/sys/module/heartbeat/parameters
	old=$(cat $params/unpriv_max_unicast_peers) || rc=1
	echo 2 >$params/unpriv_max_unicast_peers || rc=1
	expect_rc 2 $NOBODY unshare -Urn sh -c 'hbctl peer add id 2 mac 02:00:00:00:00:02 &&
		hbctl peer add id 3 mac 02:00:00:00:00:03 && hbctl peer add id 4 dev lo &&
		hbctl peer add id 5 mac 02:00:00:00:00:05' || rc=1
	grep -q 'Error: more unicast peers than unpriv_max_unicast_peers need CAP_NET_ADMIN in the initial user namespace' \
		/tmp/ktap.out || { fail_msg "no fan-out message: $(cat /tmp/ktap.out)"; rc=1; }
	[ -z "$old" ] || echo "$old" >$params/unpriv_max_unicast_peers
	ktap_result unprivileged_userns_unicast_fanout_floor $rc
fi

# The floors are not for the initial namespace's administrator.
rc=0
expect_rc 0 hbctl node set interval 1ms || rc=1
hbctl -j node show | grep -q '"interval_us":1000,' || { fail_msg "interval not set"; rc=1; }
expect_rc 0 hbctl node set interval 100ms || rc=1
ktap_result init_admin_not_held_to_the_floors $rc

# One budget of frames a second for all links of all namespaces: a link is
# 10 frames a second at 100 ms; a budget of 15 takes one and refuses the
# next, and a shorter interval.
rc=0
params=/sys/module/heartbeat/parameters
old=$(cat $params/tx_budget) || rc=1
setup_ns hbbud || rc=1
ip -n hbbud link add hbv0 type veth peer name hbv1 || rc=1
ip -n hbbud link set hbv0 up && ip -n hbbud link set hbv1 up || rc=1
ip netns exec hbbud hbctl node set id 1 interval 100ms || rc=1
echo 15 >$params/tx_budget || rc=1
expect_rc 0 ip netns exec hbbud hbctl link add dev hbv0 || rc=1
expect_rc 2 ip netns exec hbbud hbctl link add dev hbv1 || rc=1
grep -q 'Error: beyond the transmit budget shared by all namespaces (tx_budget)' \
	/tmp/ktap.out || { fail_msg "no budget message: $(cat /tmp/ktap.out)"; rc=1; }
expect_rc 2 ip netns exec hbbud hbctl node set interval 50ms || rc=1
grep -q 'tx_budget' /tmp/ktap.out || { fail_msg "interval not held to the budget"; rc=1; }
[ -z "$old" ] || echo "$old" >$params/tx_budget
expect_rc 0 ip netns exec hbbud hbctl link add dev hbv1 || rc=1
ktap_result tx_budget_refuses_links_beyond_it $rc

# None of the refused attempts changed the init namespace's node.
rc=0
hbctl -j node show | grep -q '"fall":3' || { fail_msg "fall changed"; rc=1; }
ktap_result refused_sets_left_state_unchanged $rc

ktap_finish
