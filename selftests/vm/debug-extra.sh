#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# debug-extra.sh: the checks of make check-debug that need the debug kernel
# (scripts/debug-kernel), run in its VM after the suite. KTAP; exit 0 pass,
# 1 fail, 4 skip (not a debug kernel).
#
# failslab: slab allocations fail in the module's paths; every failure must
#   come back as an error, never as a splat (the runner scans dmesg), and a
#   refused command must leave no trace.
#   - failslab_nth: each generic netlink command, sent from one Python
#     process, fails its 1st, 2nd, ... slab allocation in turn
#     (/proc/thread-self/fail-nth) until a run has none left to fail; a
#     command refused with an error must not have been done (one whose
#     answer was lost, ENOBUFS, may have been).
#   - failslab_hbctl_workload: rounds of hbctl (node set, link add, peer
#     add, show, stats, peer del, link del) in fresh namespaces, each hbctl
#     failing one allocation of its own (task-filter, make-it-fail on that
#     process only, probability 100, times 1) at a byte offset (space) that
#     sweeps, round by round, over what it allocates past exec and startup;
#     then the namespaces go. hbctl must not segfault, the module must work.
# digest_error_drops_the_frame: the module's HMAC fails on every call
#   (debugfs fail_heartbeat_digest) while two nodes that require
#   authentication start sending: no frame may go out or be taken (a MAC
#   left at zero would verify against another zero MAC); once the fault
#   stops they hear each other.
# kmemleak: two scans after the suite and failslab with the module loaded,
#   two more after rmmod; no report may come from heartbeat (a frame in
#   [heartbeat] or, once unloaded, an address no symbol covers: everything
#   else in this kernel is built in).
: "${HB_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$HB_TOP/selftests/lib.sh"
ktap_name=debug_extra

DBG=/sys/kernel/debug
FS=$DBG/failslab
KML=$DBG/kmemleak
PY=/usr/bin/python3
OUT=/tmp/debug-extra
mkdir -p $OUT

TESTS="failslab_nth failslab_hbctl_workload digest_error_drops_the_frame kmemleak_module_loaded kmemleak_after_rmmod"
ktap_plan 5
if [ ! -d $FS ] || [ ! -e $KML ]; then
	for t in $TESTS; do
		ktap_skip $t "not the debug kernel (no $FS, $KML)"
	done
	exit $KSFT_SKIP
fi
if ! load_module; then
	for t in $TESTS; do
		ktap_fail $t
	done
	exit $KSFT_FAIL
fi

fs_set() { echo "$2" >"$FS/$1"; }
fs_off() { fs_set probability 0; fs_set times 1; fs_set space 0; fs_set task-filter N; }

# Only fail-nth (probability 0) and the task filter choose; every
# allocation counts, sleeping or not; a failure prints one line, no stack.
fs_off
fs_set ignore-gfp-wait N
fs_set interval 1
fs_set verbose 1

# --- failslab: every allocation of each netlink command in turn ---
setup_ns hbf || log "setup_ns hbf failed"
ip -n hbf link add eth0 type veth peer name eth1 &&
	ip -n hbf link set eth0 up && ip -n hbf link set eth1 up ||
	log "veth in hbf failed"
ip netns exec hbf $PY - >$OUT/nth.log 2>&1 <<'PYEOF'
import os, socket, struct, sys
sys.path.insert(0, os.path.join(os.environ["HB_TOP"], "selftests"))
import hbgenl as G

LIMIT = 400
nth = os.open("/proc/thread-self/fail-nth", os.O_RDWR)
ifindex = socket.if_nametoindex("eth0")
mac = bytes.fromhex(open("/sys/class/net/eth1/address").read().strip().replace(":", ""))

def new_genl():
    s = G.Genl()
    s.sock.settimeout(10)
    return s

g = new_genl()

def do(cmd, *attrs, dump=False):
    payload = b"".join(attrs)
    if dump:
        return g.dump(cmd, payload)
    return g.do(cmd, payload)

def links():
    return {struct.unpack("=I", l[G.A_LINK_IFINDEX])[0] for l in do(G.CMD_LINK_GET, dump=True)}

def peers():
    return {struct.unpack("=I", p[G.A_PEER_ID])[0] for p in do(G.CMD_PEER_GET, dump=True)}

link_attr = G.u32(G.A_LINK_IFINDEX, ifindex)
peer_attrs = (G.u32(G.A_PEER_ID, 2), G.u32(G.A_PEER_IFINDEX, ifindex), G.attr(G.A_PEER_MAC, mac))
link_add = lambda: do(G.CMD_LINK_ADD, link_attr)
link_del = lambda: do(G.CMD_LINK_DEL, link_attr)
peer_add = lambda: do(G.CMD_PEER_ADD, *peer_attrs)
peer_del = lambda: do(G.CMD_PEER_DEL, G.u32(G.A_PEER_ID, 2))
has_link = lambda: ifindex in links()
has_peer = lambda: 2 in peers()

# name, command, its effect (a predicate on the state), how to undo it
steps = [
    ("node_set", lambda: do(G.CMD_NODE_SET, G.u32(G.A_NODE_ID, 1), G.u32(G.A_NODE_CLUSTER, 7),
                            G.u32(G.A_NODE_INTERVAL_US, 10000)), None, None),
    ("link_add", link_add, has_link, link_del),
    ("peer_add", peer_add, has_peer, peer_del),
    ("node_get", lambda: g.node_get(), None, None),
    ("link_dump", links, None, None),
    ("peer_dump", peers, None, None),
    ("stats_get", lambda: do(G.CMD_STATS_GET), None, None),
    ("peer_del", peer_del, lambda: not has_peer(), peer_add),
    ("link_del", link_del, lambda: not has_link(), link_add),
]

def run(fn, n):
    """Run fn failing its n-th allocation; return the error (or None) and
    what is left of fail-nth (0: the failure was injected)."""
    global g
    os.pwrite(nth, b"%d" % n, 0)
    try:
        fn()
        err = None
    except (G.NetlinkError, OSError) as e:
        err = e
    left = int(os.pread(nth, 16, 0))
    os.pwrite(nth, b"0", 0)
    if err is not None and not isinstance(err, G.NetlinkError):
        # The request or its answer did not make it: a fresh socket.
        g.close()
        g = new_genl()
    return err, left

failed = 0
for name, fn, effect, undo in steps:
    bad = []
    injected = refused = lost = 0
    n = 1
    while n <= LIMIT:
        before = effect() if effect else None
        err, left = run(fn, n)
        # An error ack refuses the command; without one (ENOBUFS: the ack
        # itself could not be allocated) it may or may not have been done.
        nack = isinstance(err, G.NetlinkError)
        if isinstance(err, socket.timeout):
            bad.append(f"fail-nth {n}: no answer")
        done = False
        if effect:
            now = effect()
            done = now and not before
            if err is None and not now:
                bad.append(f"fail-nth {n}: success without effect")
            if nack and done:
                bad.append(f"fail-nth {n}: refused ({err}) but done anyway")
        if left:		# ran to the end without reaching the n-th allocation
            if err is not None:
                bad.append(f"without a failure: {err}")
            break
        injected += 1
        refused += nack
        lost += err is not None and not nack
        if done and undo:	# done despite the failure: back, and again
            undo()
        n += 1
    else:
        bad.append(f"still allocating after {LIMIT} failures")
    print(f"# {name}: {injected} allocations failed in turn: {refused} refused, "
          f"{lost} lost the answer, {injected - refused - lost} absorbed")
    for b in bad[:10]:
        print(f"# {name}: {b}")
    print(f"{'not ok' if bad else 'ok'} {name}")
    failed |= bool(bad)
sys.exit(1 if failed else 0)
PYEOF
rc=$?
sed -e 's/^ok /# ok /' -e 's/^not ok /# not ok /' $OUT/nth.log
ktap_result failslab_nth $rc
fs_off
cleanup_all_ns

# --- failslab: hbctl runs failing one allocation each ---
ROUNDS=${HB_FAILSLAB_ROUNDS:-8}
MAXSPACE=2000000000
# hbctl, its libraries and its loader run from tmpfs: an allocation failing
# in a 9p request (the root file system of the VM) can leave the 9p client
# answering EINVAL to everything from then on.
HBFS=$OUT/hbctl-fs
mkdir -p $HBFS
cp "$(command -v hbctl)" $HBFS/
for f in $(ldd $HBFS/hbctl | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\/.*ld-linux/ { print $1 }'); do
	cp "$f" $HBFS/
done
LDSO=$(ls $HBFS/ld-linux*)

# hbctl_fail NS SPACE ARGS...: hbctl in NS, failing the allocation of its
# own (make-it-fail) at which SPACE bytes have been allocated. Prints the
# exit status, then failslab's times (0: failed one) and space (left).
hbctl_fail()
{
	ns=$1
	fs_set space "$2"; fs_set times 1; fs_set task-filter Y; fs_set probability 100
	shift 2
	# shellcheck disable=SC2016
	ip netns exec "$ns" sh -c 'echo 1 >/proc/self/make-it-fail && exec "$0" --library-path "${0%/*}" "${0%/*}/hbctl" "$@"' \
		"$LDSO" "$@" >>$OUT/workload.log 2>&1
	r=$?
	read -r times <$FS/times
	read -r space <$FS/space
	echo $r "$times" "$space"
	fs_off
}

# hbctl_used ARGS...: slab bytes one run of hbctl allocates, failing none.
hbctl_used()
{
	# shellcheck disable=SC2046
	set -- $(hbctl_fail hbw-a $MAXSPACE "$@")
	[ "$1" = 0 ] || return 1
	echo $((MAXSPACE - $3))
}

segfaults() { dmesg | grep -c 'hbctl\[[0-9]*\]: segfault'; }

workload()	# the commands of round $round, in hbw-a
{
	i=0
	for cmd in "node set id 1 cluster 7 interval 10ms" "link add dev eth0" \
		   "peer add id 2 dev eth0 mac $mac_b" "node show" "link show" \
		   "peer show" "stats show" "peer del id 2" "link del dev eth0"; do
		i=$((i + 1))
		if [ "$round" = 0 ]; then
			# shellcheck disable=SC2086
			used=$(hbctl_used $cmd) || { fail_msg "hbctl $cmd failed without injection"; return 1; }
			eval "used_$i=$used"
			log "hbctl $cmd: $used bytes of slab (the run's own: $((used - base)))"
			continue
		fi
		# The sweep starts a little before what an hbctl run that does
		# not talk to the kernel allocates (exec, libraries, exit), so it
		# covers the netlink calls and what the module does for them.
		eval "used=\$used_$i"
		start=$((base - 8192))
		# shellcheck disable=SC2046,SC2086
		set -- $(hbctl_fail hbw-a $((start + (used - start) * round / ROUNDS)) $cmd)
		[ "$2" = 0 ] && injected=$((injected + 1))
		[ "$1" -ge 128 ] && log "round $round: hbctl $cmd killed by signal $(($1 - 128))"
	done
	return 0
}

rc=0 injected=0 round=0 segv=$(segfaults)
: >$OUT/workload.log
while [ $round -le "$ROUNDS" ] && [ $rc = 0 ]; do
	setup_ns hbw-a hbw-b || { rc=1; break; }
	ip link add eth0 netns hbw-a type veth peer name eth0 netns hbw-b &&
		ip -n hbw-a link set eth0 up && ip -n hbw-b link set eth0 up || rc=1
	mac_b=$(ip netns exec hbw-b cat /sys/class/net/eth0/address)
	ip netns exec hbw-b hbctl node set id 2 cluster 7 interval 10ms >/dev/null &&
		ip netns exec hbw-b hbctl link add dev eth0 >/dev/null || rc=1
	if [ $round = 0 ]; then		# calibration
		base=$(hbctl_used help) || { fail_msg "hbctl help failed"; rc=1; }
		log "hbctl help: $base bytes of slab"
	fi
	workload || rc=1
	cleanup_all_ns
	[ $round = 0 ] || log "round $round: $injected hbctl runs had an allocation fail so far"
	round=$((round + 1))
done
log "hbctl workload: $ROUNDS rounds, $injected hbctl runs had an allocation fail"
[ $injected -gt 0 ] || { fail_msg "no allocation failed"; rc=1; }
# A signal may come from the kernel (exec past its point of no return); a
# segfault of hbctl's own is a bug of hbctl's.
[ "$(segfaults)" = "$segv" ] || { dmesg | grep 'hbctl\[[0-9]*\]: segfault' | sed 's/^/# /'; rc=1; }
# The module still works, and its namespaces went away with them.
setup_ns hbw-c || rc=1
ip netns exec hbw-c hbctl node set id 3 >/dev/null || { fail_msg "hbctl after the workload"; rc=1; }
cleanup_all_ns
ktap_result failslab_hbctl_workload $rc
fs_off

# --- the module's own fault: a MAC that cannot be computed ---
FD=$DBG/fail_heartbeat_digest
json() { $PY -c "import json, sys; d = json.load(sys.stdin); print($1)"; }
rc=0
if [ ! -d $FD ]; then
	fail_msg "no $FD: the module was built without fault injection"
	rc=1
else
	setup_ns dg-a dg-b
	ip link add eth0 netns dg-a type veth peer name eth0 netns dg-b
	ip -n dg-a link set eth0 up && ip -n dg-b link set eth0 up || rc=1
	printf '%032d' 7 >$OUT/key && chmod 600 $OUT/key
	i=1
	for ns in dg-a dg-b; do
		ip netns exec $ns hbctl node set id $i cluster 9 interval 10ms &&
		ip netns exec $ns hbctl key add id 1 secret-file $OUT/key &&
		ip netns exec $ns hbctl node set auth-key 1 auth required || rc=1
		i=$((i + 1))
	done
	echo 100 >$FD/probability && echo -1 >$FD/times &&
	echo 1 >$FD/interval && echo 0 >$FD/verbose || rc=1
	for ns in dg-a dg-b; do ip netns exec $ns hbctl link add dev eth0 || rc=1; done
	sleep "$(timing_scale 1)"
	for ns in dg-a dg-b; do
		errs=$(ip netns exec $ns hbctl -j link show | json 'd[0]["tx_errors"]')
		rx=$(ip netns exec $ns hbctl -j stats | json 'd["rx"]')
		peers=$(ip netns exec $ns hbctl -j peer show | json 'len(d)')
		log "$ns with every digest failing: tx_errors $errs, rx $rx, peers $peers"
		[ "$errs" -gt 0 ] && [ "$rx" = 0 ] && [ "$peers" = 0 ] || rc=1
	done
	for ns in dg-a dg-b; do ip netns exec $ns hbctl link del dev eth0 || rc=1; done
	echo 0 >$FD/probability
	for ns in dg-a dg-b; do ip netns exec $ns hbctl link add dev eth0 || rc=1; done
	heard() { [ "$(ip netns exec dg-a hbctl -j peer show | json 'd[0]["state"] if d else ""')" = alive ]; }
	t=0
	while ! heard && [ $t -lt "$(timing_scale 50)" ]; do sleep 0.1; t=$((t + 1)); done
	heard || { fail_msg "dg-a does not hear dg-b once digests work"; rc=1; }
	cleanup_all_ns
fi
ktap_result digest_error_drops_the_frame $rc

# --- kmemleak ---
# kmemleak_scan FILE: two scans (an object is reported once its contents
# stood still between two), the report in FILE.
kmemleak_scan()
{
	sleep 6		# kmemleak ignores objects younger than 5 s
	echo scan >$KML && sleep 6 && echo scan >$KML && cat $KML >"$1"
}

# heartbeat_leaks FILE: the reports of FILE with a frame in heartbeat.
heartbeat_leaks()
{
	awk '/^unreferenced object/ { if (hb) printf "%s", blk; blk = ""; hb = 0 }
	     { blk = blk $0 "\n" }
	     /\[heartbeat\]/ || /\] 0x[0-9a-f]+$/ { hb = 1 }
	     END { if (hb) printf "%s", blk }' "$1"
}

kmemleak_check()	# kmemleak_check NAME
{
	r=0
	if ! kmemleak_scan $OUT/kmemleak.$1; then
		fail_msg "kmemleak scan failed (disabled? see dmesg)"
		r=1
	fi
	n=$(grep -c '^unreferenced object' $OUT/kmemleak.$1)
	heartbeat_leaks $OUT/kmemleak.$1 >$OUT/kmemleak.$1.hb
	if [ -s $OUT/kmemleak.$1.hb ]; then
		sed 's/^/# /' $OUT/kmemleak.$1.hb | head -n 60
		fail_msg "kmemleak: $(grep -c '^unreferenced' $OUT/kmemleak.$1.hb) of $n reports from heartbeat"
		r=1
	elif [ "$n" -gt 0 ]; then
		log "kmemleak: $n reports, none from heartbeat:"
		sed 's/^/# /' $OUT/kmemleak.$1 | head -n 40
	fi
	ktap_result "kmemleak_$1" $r
}

kmemleak_check module_loaded
unload_module || log "rmmod heartbeat failed"
sleep 1
kmemleak_check after_rmmod
ktap_finish
