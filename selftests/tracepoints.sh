#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The heartbeat:* tracepoints record sends, receptions and state changes,
# readable through tracefs (and so by perf and trace-cmd).
. "$(dirname "$0")/lib.sh"

T=/sys/kernel/tracing
[ -d $T/events ] || T=/sys/kernel/debug/tracing

tests="heartbeat_tx heartbeat_rx peer_state events_listed state_names_in_format"
ktap_plan 5
load_module
# Without tracefs there is nothing to test; with it, a loaded module whose
# events are not there is broken.
if [ ! -d $T/events ]; then
	for t in $tests; do ktap_skip $t "no tracefs"; done
	ktap_finish
fi
if [ ! -d $T/events/heartbeat ]; then
	log "tracefs is at $T but has no events/heartbeat"
	for t in $tests; do ktap_fail $t; done
	ktap_finish
fi

setup_ns tr-sw tr1 tr2
ip -n tr-sw link add br0 type bridge && ip -n tr-sw link set br0 up
for i in 1 2; do
	ip link add eth0 netns tr$i type veth peer name p$i netns tr-sw
	ip -n tr-sw link set p$i master br0 up
	ip -n tr$i link set eth0 up
	ip netns exec tr$i hbctl node set id $i cluster 5 interval 10ms
done

# Turning a tracepoint on or off patches the code that calls it: done only
# while that code is idle (no link sends yet, none any more), and without
# the task-name recorder, whose scheduler hooks would patch __schedule(),
# which never is. Under QEMU's TCG a vCPU can keep running a stale copy
# of code patched under it (Documentation/testing.rst).
record_cmd=$(cat $T/options/record-cmd)
echo 0 > $T/options/record-cmd
echo > $T/trace
echo 1 > $T/events/heartbeat/enable
for i in 1 2; do ip netns exec tr$i hbctl link add dev eth0; done
sleep 1
ip netns exec tr2 tc qdisc add dev eth0 root netem loss 100%
sleep 1
for i in 1 2; do ip netns exec tr$i hbctl link del dev eth0; done
echo 0 > $T/events/heartbeat/enable
echo "$record_cmd" > $T/options/record-cmd
cat $T/trace >/tmp/hbtrace.txt

rc=0
grep -q 'heartbeat_tx: netns=[0-9]* dev=eth0 node=1 link=1 seq=[0-9]* type=heartbeat' /tmp/hbtrace.txt || rc=1
[ $rc = 0 ] || head -5 /tmp/hbtrace.txt | sed 's/^/# /'
ktap_result heartbeat_tx $rc

rc=0
grep -q 'heartbeat_rx: netns=[0-9]* dev=eth0 from=2 link=1 seq=[0-9]* drop=0' /tmp/hbtrace.txt || rc=1
ktap_result heartbeat_rx $rc

rc=0
grep -q 'peer_state: netns=[0-9]* peer=2 unknown -> alive' /tmp/hbtrace.txt || rc=1
grep -q 'peer_state: netns=[0-9]* peer=2 suspect -> dead phi=' /tmp/hbtrace.txt || rc=1
[ $rc = 0 ] || grep peer_state /tmp/hbtrace.txt | sed 's/^/# /'
ktap_result peer_state $rc

rc=0
for e in heartbeat_tx heartbeat_rx peer_state; do
	[ -d $T/events/heartbeat/$e ] || { fail_msg "$e missing"; rc=1; }
done
ktap_result events_listed $rc

# perf and trace-cmd print peer_state from its format file: the state names
# there must come with numbers, not as enum names they cannot resolve.
rc=0
fmt=$T/events/heartbeat/peer_state/format
grep -q '{ 3, "dead" }' $fmt || rc=1
! grep -q 'HEARTBEAT_STATE_' $fmt || rc=1
[ $rc = 0 ] || grep 'print fmt' $fmt | sed 's/^/# /'
ktap_result state_names_in_format $rc

ktap_finish
