#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Mutating operations need CAP_NET_ADMIN over the caller's network namespace:
# an unprivileged user and a user namespace that does not own the network
# namespace are refused; reading is open to all (keys excepted); a user
# namespace that owns its network namespace may configure that one. sysfs is
# read-only for everyone, debugfs closed to users.
. "$(dirname "$0")/lib.sh"

NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups"

ktap_plan 10
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

rc=0
expect_rc 0 $NOBODY cat /sys/kernel/heartbeat/instance/node_id || rc=1
for who in "$NOBODY" ""; do
	# shellcheck disable=SC2086
	if $who sh -c 'echo 4 >/sys/kernel/heartbeat/instance/fall' 2>/dev/null; then
		fail_msg "${who:-root} wrote to sysfs"
		rc=1
	fi
done
[ -z "$(find /sys/kernel/heartbeat/ -type f -perm /222)" ] ||
	{ fail_msg "writable sysfs files"; rc=1; }
ktap_result sysfs_is_read_only_for_everyone $rc

rc=0
mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
expect_rc 0 ls /sys/kernel/debug/heartbeat || rc=1
expect_rc 2 $NOBODY ls /sys/kernel/debug/heartbeat || rc=1
ktap_result debugfs_is_root_only $rc

if ! unshare -Ur true 2>/dev/null; then
	ktap_skip userns_root_refused_on_foreign_netns "no user namespaces"
	ktap_skip userns_may_configure_own_netns "no user namespaces"
	ktap_skip unprivileged_userns_may_configure_own_netns "no user namespaces"
else
	expect_rc 2 unshare -Ur hbctl node set fall 4
	ktap_result userns_root_refused_on_foreign_netns $?

	rc=0
	expect_rc 0 unshare -Urn sh -c 'hbctl node set id 9 && hbctl -j node show' || rc=1
	grep -q '"id":9' /tmp/ktap.out || { fail_msg "set not visible"; rc=1; }
	ktap_result userns_may_configure_own_netns $rc

	expect_rc 0 $NOBODY unshare -Urn hbctl node set fall 5
	ktap_result unprivileged_userns_may_configure_own_netns $?
fi

# None of the refused attempts changed the init namespace's node.
rc=0
hbctl -j node show | grep -q '"fall":3' || { fail_msg "fall changed"; rc=1; }
ktap_result refused_sets_left_state_unchanged $rc

ktap_finish
