#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# make demo, inside the VM: three hosts (network namespaces) on one bridge
# form a heartbeat cluster; one is cut off, the others declare it dead, and
# it comes back.
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
PATH=$top/tools/hbctl:$PATH
HOSTS="h1 h2 h3"

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { echo "\$ $*"; "$@"; }
peers() {
	for h in $HOSTS; do
		echo "-- $h sees:"
		ip netns exec $h hbctl peer show | sed 's/^/   /'
	done
}
cleanup() {
	[ -n "$monitor" ] && kill "$monitor" 2>/dev/null
	for h in $HOSTS switch; do
		ip netns del $h 2>/dev/null
	done
}
trap cleanup EXIT

say "A switch (bridge) and three hosts, each a network namespace"
ip netns add switch
ip -n switch link add br0 type bridge
ip -n switch link set br0 up
i=1
for h in $HOSTS; do
	ip netns add $h
	ip -n $h link set lo up
	ip link add eth0 netns $h type veth peer name port$i netns switch
	ip -n switch link set port$i master br0 up
	ip -n $h link set eth0 up
	i=$((i + 1))
done
run hbctl version

say "Each host: node id N in cluster 1, heartbeats every 10 ms on eth0"
echo "(This VM is emulated: its timers can run tens of ms late, so a heartbeat"
echo " may be 50 ms late before it counts as missed. On real hardware the"
echo " default slack of one interval is enough.)"
i=1
for h in $HOSTS; do
	run ip netns exec $h hbctl node set id $i cluster 1 interval 10ms fall 3 rise 2 slack 50ms
	run ip netns exec $h hbctl link add dev eth0
	i=$((i + 1))
done

say "The cluster converges"
sleep 1
peers
ip netns exec h1 hbctl monitor >/tmp/demo-events &
monitor=$!
sleep 0.3

say "h3 is cut off (100% loss on its eth0)"
run ip netns exec h3 tc qdisc add dev eth0 root netem loss 100%
sleep 1
peers

say "h3 comes back (it needs 'rise' heartbeats in a row)"
run ip netns exec h3 tc qdisc del dev eth0 root
sleep 1
peers

say "h2 leaves on purpose (its last link is removed): 'left', not 'dead'"
run ip netns exec h2 hbctl link del dev eth0
sleep 0.5
run ip netns exec h1 hbctl peer show

say "What h1's 'hbctl monitor' printed"
sleep 0.2
cat /tmp/demo-events

say "Counters and sender timing on h1"
run ip netns exec h1 hbctl stats
say "Demo done"
