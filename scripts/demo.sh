#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# make demo, inside the VM: three hosts (network namespaces) on one bridge,
# each with its own heartbeat node, inspected with hbctl.
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
PATH=$top/tools/hbctl:$PATH
HOSTS="h1 h2 h3"

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { echo "\$ $*"; "$@"; }

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
for h in $HOSTS; do
	echo "$h: $(ip -n $h -br link show eth0)"
done

say "The module: one instance per network namespace"
run grep '^heartbeat ' /proc/modules
run hbctl version

say "Each host gets a node id in cluster 1"
i=1
for h in $HOSTS; do
	run ip netns exec $h hbctl node set id $i cluster 1 interval 10ms
	i=$((i + 1))
done

say "hbctl node show on every host"
for h in $HOSTS; do
	echo "$h: $(ip netns exec $h hbctl node show)"
done

say "The same as JSON, for scripts"
run ip netns exec h2 hbctl -j -p node show

for h in $HOSTS switch; do
	ip netns del $h
done
say "Demo done"
