#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Module lifecycle: repeated load/unload with namespaces created and destroyed
# around it, autoload through the genl family alias, per-namespace instances.
. "$(dirname "$0")/lib.sh"

CYCLES=10

node_id() { ip netns exec "$1" hbctl -j node show | sed -n 's/.*"id":\([0-9]*\).*/\1/p'; }

cycle()
{
	load_module || return 1
	setup_ns hb-a hb-b hb-c || return 1
	i=1
	for ns in hb-a hb-b hb-c; do
		ip netns exec $ns hbctl node set id $((i + 10 * $1)) >/dev/null || return 1
		i=$((i + 1))
	done
	expect_eq "hb-b id" "$(node_id hb-b)" $((2 + 10 * $1)) || return 1
	# One namespace goes away while the module is loaded, two stay past it.
	ip netns del hb-a
	unload_module || return 1
	cleanup_all_ns
	! module_loaded || fail_msg "still loaded after rmmod"
}

ktap_plan 6

unload_module
rc=0
n=0
while [ $n -lt $CYCLES ]; do
	if ! cycle $n; then
		log "cycle $n failed"
		rc=1
		break
	fi
	n=$((n + 1))
done
ktap_result "load_unload_${CYCLES}_cycles_with_namespaces" $rc

unload_module
rc=0
hbctl node show >/dev/null || rc=1
module_loaded || { fail_msg "hbctl did not autoload the module"; rc=1; }
ktap_result autoload_via_genl_family_alias $rc

rc=0
genl ctrl list >/tmp/genl.out 2>&1 || rc=1
grep -q 'Name: heartbeat' /tmp/genl.out || rc=1
grep -q 'events' /tmp/genl.out || rc=1
[ $rc = 0 ] || sed 's/^/# /' /tmp/genl.out
ktap_result genl_ctrl_list_shows_family_and_events_group $rc

# Each namespace has its own node, initialised with the defaults.
rc=0
setup_ns hb-x hb-y
ip netns exec hb-x hbctl node set id 7 cluster 3 || rc=1
expect_eq "hb-x id" "$(node_id hb-x)" 7 || rc=1
expect_eq "hb-y id" "$(node_id hb-y)" 0 || rc=1
expect_eq "init_net id" "$(hbctl -j node show | sed -n 's/.*"id":\([0-9]*\).*/\1/p')" 0 || rc=1
ktap_result namespaces_have_separate_instances $rc

# A namespace's incarnation is fixed for its life and differs between them.
rc=0
inc() { ip netns exec "$1" hbctl -j node show | sed -n 's/.*"incarnation":\([0-9]*\).*/\1/p'; }
a=$(inc hb-x); b=$(inc hb-y)
[ -n "$a" ] && [ "$a" != "$b" ] || { fail_msg "incarnations '$a' '$b'"; rc=1; }
expect_eq "stable incarnation" "$(inc hb-x)" "$a" || rc=1
ktap_result incarnation_per_instance $rc

rc=0
unload_module || rc=1
cleanup_all_ns
load_module || rc=1
ktap_result unload_with_live_namespaces $rc

ktap_finish
