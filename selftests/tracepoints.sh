#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The heartbeat:* tracepoints record sends, receptions (with the drop
# reason by name), state changes and verdicts held back, readable through
# tracefs (and so by perf, trace-cmd and bpftrace).
# shellcheck source=selftests/lib.sh
. "$(dirname "$0")/lib.sh"

T=/sys/kernel/tracing
[ -d $T/events ] || T=/sys/kernel/debug/tracing

tests="heartbeat_tx heartbeat_rx peer_state events_listed state_names_in_format
drop_reason_by_name drop_names_in_format verdict_deferred_consensus bpftrace_drops"
ktap_plan 9
load_module
# Without tracefs there is nothing to test; with it, a loaded module whose
# events are not there is broken.
if [ ! -d $T/events ]; then
	for t in $tests; do ktap_skip "$t" "no tracefs"; done
	ktap_finish
fi
if [ ! -d $T/events/heartbeat ]; then
	log "tracefs is at $T but has no events/heartbeat"
	for t in $tests; do ktap_fail "$t"; done
	ktap_finish
fi

setup_ns tr-sw tr1 tr2 trq1 trq2 trq3
ip -n tr-sw link add br0 type bridge && ip -n tr-sw link set br0 up
for h in tr1 tr2 trq1 trq2 trq3; do
	ip link add eth0 netns $h type veth peer name p$h netns tr-sw
	ip -n tr-sw link set p$h master br0 up
	ip -n $h link set eth0 up
done
for i in 1 2; do
	ip netns exec tr$i hbctl node set id $i cluster 5 interval 10ms
done
# A second cluster on the segment, with quorum: tr1 and tr2 drop its frames
# (cluster), and a one-way loss has trq1 hold its dead verdict on node 3
# while trq2 still hears it. 20 ms and 60 ms of slack against TCG's stalls.
for i in 1 2 3; do
	ip netns exec trq$i hbctl node set id $i cluster 9 interval 20ms slack 60ms
	for j in 1 2 3; do
		[ $j = $i ] || ip netns exec trq$i hbctl peer add id $j
	done
	ip netns exec trq$i hbctl quorum set expected-votes 3
done
q3_mac=$(ip -n trq3 -br link show eth0 | awk '{ print $3 }')
q1_netns=$(stat -L -c %i /run/netns/trq1)
tr1_netns=$(stat -L -c %i /run/netns/tr1)

# Turning a tracepoint on or off patches the code that calls it: done only
# while that code is idle (no link sends yet, none any more), and without
# the task-name recorder, whose scheduler hooks would patch __schedule(),
# which never is. Under QEMU's TCG a vCPU can keep running a stale copy
# of code patched under it (Documentation/testing.rst).
record_cmd=$(cat $T/options/record-cmd)
echo 0 > $T/options/record-cmd
echo > $T/trace
echo 1 > $T/events/heartbeat/enable
# The admin guide's bpftrace one-liner that counts drops, as printed there,
# attached while tracefs has the events on (so attaching patches no code)
# and before any link sends.
bpf_out=/tmp/hbtrace-bpf.txt
bpf_pid=
if command -v bpftrace >/dev/null; then
	bpf_cmd=$(awk '/^    # frames dropped, by namespace and reason$/ { on = 1; next }
		on && /^    #/ { exit } on { sub(/^    /, ""); print }' \
		"$HB_TOP/Documentation/admin-guide.rst")
	sh -c "exec $bpf_cmd" >$bpf_out 2>&1 &
	bpf_pid=$!
	i=0
	until grep -q '^Attaching 1 probe' $bpf_out || [ $i -ge 600 ] ||
	      ! kill -0 $bpf_pid 2>/dev/null; do
		sleep 0.1
		i=$((i + 1))
	done
	log "bpftrace attached after $((i / 10)).$((i % 10)) s"
fi
for h in tr1 tr2 trq1 trq2 trq3; do ip netns exec $h hbctl link add dev eth0; done
sleep 1
ip netns exec tr2 tc qdisc add dev eth0 root netem loss 100%
# trq1 stops hearing trq3, trq2 does not: dead at trq1, unreachable by
# consensus; then heard again. No ingress qdisc or flower (a debug kernel
# may lack them): that case is skipped.
one_way=1
if ip netns exec trq1 tc qdisc add dev eth0 ingress &&
   ip netns exec trq1 tc filter add dev eth0 ingress protocol all flower \
	src_mac "$q3_mac" action drop; then
	sleep 1.5
	ip netns exec trq1 tc qdisc del dev eth0 ingress
	sleep 1
else
	one_way=
	sleep 1
fi
for h in tr1 tr2 trq1 trq2 trq3; do ip netns exec $h hbctl link del dev eth0; done
if [ -n "$bpf_pid" ]; then
	kill -INT $bpf_pid 2>/dev/null
	wait $bpf_pid
fi
echo 0 > $T/events/heartbeat/enable
echo "$record_cmd" > $T/options/record-cmd
cat $T/trace >/tmp/hbtrace.txt

rc=0
grep -q 'heartbeat_tx: netns=[0-9]* dev=eth0 node=1 link=1 seq=[0-9]* type=heartbeat' /tmp/hbtrace.txt || rc=1
[ $rc = 0 ] || head -5 /tmp/hbtrace.txt | sed 's/^/# /'
ktap_result heartbeat_tx $rc

rc=0
grep -q "heartbeat_rx: netns=$tr1_netns dev=eth0 from=2 link=1 seq=[0-9]* drop=none" /tmp/hbtrace.txt || rc=1
ktap_result heartbeat_rx $rc

rc=0
grep -q 'peer_state: netns=[0-9]* peer=2 unknown -> alive' /tmp/hbtrace.txt || rc=1
grep -q 'peer_state: netns=[0-9]* peer=2 suspect -> dead phi=' /tmp/hbtrace.txt || rc=1
[ $rc = 0 ] || grep peer_state /tmp/hbtrace.txt | sed 's/^/# /'
ktap_result peer_state $rc

rc=0
for e in heartbeat_tx heartbeat_rx peer_state verdict_deferred; do
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

# Frames of cluster 9 reach tr1, which drops them: by name, not number.
rc=0
grep -q "heartbeat_rx: netns=$tr1_netns dev=eth0 from=[123] link=1 seq=[0-9]* drop=cluster" \
	/tmp/hbtrace.txt || rc=1
! grep -q 'heartbeat_rx: .* drop=[0-9]' /tmp/hbtrace.txt || rc=1
[ $rc = 0 ] || grep heartbeat_rx /tmp/hbtrace.txt | grep -v drop=none | head -5 | sed 's/^/# /'
ktap_result drop_reason_by_name $rc

# The drop reasons as the format file gives them to perf and bpftrace:
# numbers with names, the enum's identifiers all resolved.
rc=0
fmt=$T/events/heartbeat/heartbeat_rx/format
grep -q '{ 8, "cluster" }' $fmt || rc=1
grep -q '{ 0, "none" }' $fmt || rc=1
! grep -q 'HEARTBEAT_DROP_' $fmt || rc=1
fmt=$T/events/heartbeat/verdict_deferred/format
[ -f $fmt ] || rc=1
! grep -q 'HB_DEFER_\|HEARTBEAT_STATE_' $fmt || rc=1
[ $rc = 0 ] || grep -h 'print fmt' $T/events/heartbeat/*/format | sed 's/^/# /'
ktap_result drop_names_in_format $rc

# trq1's dead verdict on 3 waited for a consensus that never came (trq2
# heard 3), shown unreachable; it ended cancelled once 3 was heard again.
if [ -z "$one_way" ]; then
	ktap_skip verdict_deferred_consensus "no ingress qdisc or flower"
else
	rc=0
	grep -q "verdict_deferred: netns=$q1_netns peer=3 why=consensus action=hold verdict=dead shown=\(unreachable\|suspect\) held_ns=0" \
		/tmp/hbtrace.txt || rc=1
	grep -q "verdict_deferred: netns=$q1_netns peer=3 why=consensus action=cancel verdict=alive shown=alive held_ns=[1-9][0-9]*" \
		/tmp/hbtrace.txt || rc=1
	grep -q "peer_state: netns=$q1_netns peer=3 .* -> dead" /tmp/hbtrace.txt && rc=1
	[ $rc = 0 ] || grep "netns=$q1_netns peer=3" /tmp/hbtrace.txt | sed 's/^/# /'
	ktap_result verdict_deferred_consensus $rc
fi

# The one-liner's map: tr1 dropped cluster 9's frames, reason 8 (cluster).
# The debug kernel of make check-debug may lack what bpftrace needs (BPF
# events, BTF): there only, a bpftrace that never attached is a skip.
if [ -z "$bpf_pid" ]; then
	ktap_skip bpftrace_drops "no bpftrace"
elif [ "${HB_DEBUG_KERNEL:-0}" = 1 ] && ! grep -q '^Attaching 1 probe' $bpf_out; then
	ktap_skip bpftrace_drops "bpftrace did not attach on the debug kernel: $(head -n 1 $bpf_out)"
else
	rc=0
	grep -q "^@drops\[$tr1_netns, 8\]: [1-9][0-9]*$" $bpf_out || rc=1
	[ $rc = 0 ] || sed 's/^/# /' $bpf_out | head -20
	ktap_result bpftrace_drops $rc
fi

ktap_finish
