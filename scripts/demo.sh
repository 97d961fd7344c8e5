#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# make demo, inside the VM: three hosts (network namespaces) on one bridge
# form a heartbeat cluster; one is cut off, the others declare it dead, and
# it comes back. Last, udev runs the fencing hook for a host cut off again.
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
demo=/tmp/heartbeat-demo
monitor='' uevents='' udevd=''
cleanup() {
	for pid in $monitor $uevents $udevd; do
		kill "$pid" 2>/dev/null
	done
	rm -f /run/udev/rules.d/90-heartbeat-demo.rules
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

say "Each host: node id N in cluster 1, heartbeats every 10 ms on eth0, the others configured as its peers"
echo "(This VM is emulated: its timers can run tens of ms late, so a heartbeat"
echo " may be 50 ms late before it counts as missed. On real hardware the"
echo " default slack of one interval is enough.)"
i=1
for h in $HOSTS; do
	run ip netns exec $h hbctl node set id $i cluster 1 interval 10ms fall 3 rise 2 slack 50ms
	run ip netns exec $h hbctl link add dev eth0
	# Configured, not only learned: the fencing hook acts on those alone.
	for j in 1 2 3; do
		[ $j = $i ] || run ip netns exec $h hbctl peer add id $j
	done
	i=$((i + 1))
done

say "The cluster converges"
sleep 1
peers
mkdir -p $demo
ip netns exec h1 hbctl monitor >$demo/events &
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
cat $demo/events

say "Counters and sender timing on h1"
run ip netns exec h1 hbctl stats

say "Inspection without hbctl: sysfs of h1's namespace"
run ip netns exec h1 grep -r . /sys/kernel/heartbeat/instance/peers/3

say "Fencing: udev in h1's namespace, with tools/fencing/90-heartbeat-run.rules"
echo "(A host with systemd uses 90-heartbeat.rules: udev asks systemd for"
echo " heartbeat-fence@EVENT:STATE:NODE:CLUSTER:NETNS:SEQ.service, which runs"
echo " the same hook. There is no systemd in this VM, so udev runs it itself.)"
# This demo's fencing action only says what a real one would do.
printf '#!/bin/sh\necho "fence-node: powering off node $2 of cluster $3 through its BMC (demo: nothing done)" >>%s\n' \
	$demo/fenced >$demo/fence-node
chmod 0755 $demo/fence-node
printf 'FENCE_ACTION=%s\nDRY_RUN=0\nFENCE_LOG=%s\nFENCE_LOCK=%s\n' \
	$demo/fence-node $demo/fence.log $demo/fence.lock >$demo/fence.conf
run cat $demo/fence.conf
mkdir -p /run/udev/rules.d
{
	echo "SUBSYSTEM==\"heartbeat\", ENV{HEARTBEAT_FENCE_CONF}=\"$demo/fence.conf\""
	sed "s|/usr/libexec/heartbeat/heartbeat-fence|$top/tools/fencing/heartbeat-fence|" \
		"$top/tools/fencing/90-heartbeat-run.rules"
} >/run/udev/rules.d/90-heartbeat-demo.rules
ip netns exec h1 /lib/systemd/systemd-udevd 2>/dev/null &
udevd=$!
ip netns exec h1 udevadm monitor --kernel --property --subsystem-match=heartbeat \
	>$demo/uevents 2>/dev/null &
uevents=$!
sleep 1

say "h3 is cut off again"
run ip netns exec h3 tc qdisc add dev eth0 root netem loss 100%
sleep 1.5

say "The uevent h1's namespace received for h3's death"
awk '/^KERNEL/ { block = "" } { block = block $0 "\n" }
     /^HEARTBEAT_STATE=dead/ { dead = 1 }
     /^$/ { if (dead) printf "%s", block; dead = 0 }' $demo/uevents
say "The fencing hook's log, and what its action did"
run cat $demo/fence.log
run cat $demo/fenced
run ip netns exec h3 tc qdisc del dev eth0 root
say "Demo done"
