#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Host checks of the benchmark programs, TAP on stdout; exits non-zero if
# any fails. Two network namespaces joined by a veth pair stand in for two
# hosts (no module is loaded: hbuserd is the node on both ends):
#   - two hbuserd learn each other and keep each other alive;
#   - hbcap sees both directions, each with increasing sequence numbers;
#   - hbgen's 64 emulated peers are all learned, and once it stops each is
#     declared dead fall * interval + slack after its last frame (as hbcap
#     timestamped it), give or take scheduling;
#   - hbcost accepts every frame it is given, per configuration;
#   - with gossip it merges members' reports into the views it keeps, and
#     its send loop builds a GOSSIP TLV of min(32, peers) entries.
# Needs root for the namespaces; those checks are skipped without it.
#
#   tools/bench/check.sh [directory of the programs]
set -u

BIN=${1:-$(dirname "$0")}
INTERVAL_US=10000
FALL=3
# Dead at most this long after fall * interval + slack (scheduling on a
# busy host); never before.
TOLERANCE_MS=500

tmp=$(mktemp -d)
ns_a=hbb$$a
ns_b=hbb$$b
pids=
cleanup() {
	for p in $pids; do
		kill "$p" 2>/dev/null
	done
	wait 2>/dev/null
	ip netns del "$ns_a" 2>/dev/null
	ip netns del "$ns_b" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

n=0
failed=0
ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n $2"
	else
		echo "not ok $n $2"
		failed=$((failed + 1))
	fi
}
skip() {
	n=$((n + 1))
	echo "ok $n $1 # SKIP $2"
}
# Show a file as TAP diagnostics.
diag() {
	sed 's/^/# /' "$@"
}

# A number from a one-line JSON object: json KEY FILE
json() {
	sed -n 's/.*"'"$1"'":\([0-9]*\).*/\1/p' "$2"
}

# Wait up to 5 s for a line "ready" in a file.
wait_ready() {
	i=0
	while ! grep -qx ready "$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -le 100 ] || return 1
		sleep 0.05
	done
}

echo "TAP version 13"
echo "1..13"

# 1: every program has its usage: -h is success, a bad option an error.
rc=0
for p in hbuserd hbgen hbcap hbcost; do
	"$BIN/$p" -h | grep -q "^usage: $p" || rc=1
	"$BIN/$p" --no-such-option >/dev/null 2>&1
	[ $? -eq 1 ] || rc=1
done
"$BIN/hbuserd" -i lo >/dev/null 2>&1
[ $? -eq 1 ] || rc=1
ok $rc "usage_on_h_and_exit_1_on_usage_errors"

net=
if [ "$(id -u)" -ne 0 ]; then
	net="needs root"
elif ! command -v nsenter >/dev/null; then
	net="no nsenter"
elif ! ip netns add "$ns_a" 2>/dev/null; then
	net="cannot create a network namespace"
elif ! ip netns add "$ns_b" ||
     ! ip link add hbb$$x netns "$ns_a" type veth peer name hbb$$y \
	netns "$ns_b" ||
     ! ip -n "$ns_a" link set hbb$$x up || ! ip -n "$ns_b" link set hbb$$y up
then
	net="cannot set up a veth pair"
fi
# nsenter, written out at each use, execs the program (where ip netns
# exec forks, as would a shell function run with &): $! is its pid.
net_a=/run/netns/$ns_a
net_b=/run/netns/$ns_b

if [ -n "$net" ]; then
	for t in peers_learn_each_other_a peers_learn_each_other_b \
		 hbuserd_sends_every_interval hbcap_sees_both_directions_in_order \
		 hbgen_sends_what_it_should hbuserd_learns_64_generated_peers \
		 generated_peers_dead_in_time; do
		skip $t "$net"
	done
else
	# 2-5: two daemons, 2 s at 10 ms. Generous slack: this is about
	# learning, not timing, on a host that may be busy.
	nsenter --net="$net_a" "$BIN/hbcap" -i hbb$$x -o "$tmp/cap1.csv" 2>"$tmp/cap1.err" &
	cap=$!
	pids="$pids $cap"
	wait_ready "$tmp/cap1.err" || diag "$tmp/cap1.err"
	nsenter --net="$net_a" "$BIN/hbuserd" -i hbb$$x -n 1 -I $INTERVAL_US -s 200000 -t 2 \
		--send-log "$tmp/a.send" --event-log "$tmp/a.ev" \
		>"$tmp/a.json" 2>"$tmp/a.err" &
	a=$!
	nsenter --net="$net_b" "$BIN/hbuserd" -i hbb$$y -n 2 -I $INTERVAL_US -s 200000 -t 2 \
		--event-log "$tmp/b.ev" >"$tmp/b.json" 2>"$tmp/b.err" &
	b=$!
	pids="$pids $a $b"
	wait $a
	rc_a=$?
	wait $b
	rc_b=$?
	kill "$cap"
	wait "$cap"
	pids=

	for side in a b; do
		if [ $side = a ]; then
			rc=$rc_a peer=2
		else
			rc=$rc_b peer=1
		fi
		[ "$rc" -eq 0 ] &&
		[ "$(json peers "$tmp/$side.json")" = 1 ] &&
		[ "$(json alive "$tmp/$side.json")" = 1 ] &&
		[ "$(json transitions "$tmp/$side.json")" -ge 1 ] &&
		grep -q "^[0-9]*,$peer,unknown,alive$" "$tmp/$side.ev"
		rc=$?
		[ $rc -eq 0 ] || diag "$tmp/$side.json" "$tmp/$side.err" "$tmp/$side.ev"
		ok $rc "peers_learn_each_other_$side"
	done

	# About 200 sends in 2 s, each in the send log.
	sent=$(json sent "$tmp/a.json")
	[ "${sent:-0}" -ge 150 ] && [ "$sent" -le 201 ] &&
	[ "$(wc -l <"$tmp/a.send")" -eq "$sent" ] &&
	awk -F, 'NF != 2 || $2 !~ /^[0-9]+$/ { exit 1 }' "$tmp/a.send"
	rc=$?
	[ $rc -eq 0 ] || diag "$tmp/a.json"
	ok $rc "hbuserd_sends_every_interval"

	# Our frames out, the peer's in, each stream in order and complete.
	awk -F, '{ k = $2 "," $3
		   if (k in last && $4 != last[k] + 1) bad = 1
		   last[k] = $4; count[k]++ }
		 END { if (count["out,1"] < 150 || count["in,2"] < 150) bad = 1
		       for (k in count) if (k != "out,1" && k != "in,2") bad = 1
		       exit bad }' "$tmp/cap1.csv"
	rc=$?
	[ $rc -eq 0 ] || { diag "$tmp/cap1.err"; head -5 "$tmp/cap1.csv" | diag; }
	ok $rc "hbcap_sees_both_directions_in_order"

	# 6-8: 64 emulated peers into a receive-only daemon for 2 s, then
	# silence. hbcap on the receiving side gives each one's last frame.
	nsenter --net="$net_b" "$BIN/hbcap" -i hbb$$y -o "$tmp/cap2.csv" 2>"$tmp/cap2.err" &
	cap=$!
	nsenter --net="$net_b" "$BIN/hbuserd" -i hbb$$y -n 2 -I $INTERVAL_US -f $FALL --no-send \
		--event-log "$tmp/d.ev" >"$tmp/d.json" 2>"$tmp/d.err" &
	d=$!
	pids="$pids $cap $d"
	wait_ready "$tmp/cap2.err" || diag "$tmp/cap2.err"
	sleep 0.2
	nsenter --net="$net_a" "$BIN/hbgen" -i hbb$$x -N 64 -I $INTERVAL_US -t 2 \
		>"$tmp/gen.json" 2>"$tmp/gen.err"
	rc_gen=$?
	# fall * interval + slack (one interval) and the tolerance.
	sleep "$(awk -v ms=$(((FALL + 1) * INTERVAL_US / 1000 + TOLERANCE_MS)) \
		'BEGIN { print ms / 1000 }')"
	kill "$d" "$cap"
	wait "$d"
	rc_d=$?
	wait "$cap"
	pids=

	frames=$(json frames "$tmp/gen.json")
	[ $rc_gen -eq 0 ] && [ "${frames:-0}" -gt 0 ] &&
	[ "$frames" = "$(json expected "$tmp/gen.json")" ] &&
	[ "$(json send_errors "$tmp/gen.json")" = 0 ]
	rc=$?
	[ $rc -eq 0 ] || diag "$tmp/gen.json" "$tmp/gen.err"
	ok $rc "hbgen_sends_what_it_should"

	[ $rc_d -eq 0 ] && [ "$(json peers "$tmp/d.json")" -ge 64 ] &&
	[ "$(json received "$tmp/d.json")" -ge $((${frames:-0} * 9 / 10)) ]
	rc=$?
	[ $rc -eq 0 ] || diag "$tmp/d.json" "$tmp/d.err"
	ok $rc "hbuserd_learns_64_generated_peers"

	# Every peer's last event is "dead", within [deadline, deadline +
	# tolerance] of its last frame, deadline = (fall + 1) intervals.
	awk -F, -v want=$(((FALL + 1) * INTERVAL_US * 1000)) \
	    -v tol=$((TOLERANCE_MS * 1000000)) '
		NR == FNR { if ($2 == "in") last[$3] = $1; next }
		{ state[$2] = $4; when[$2] = $1 }
		END {
			for (id in state) {
				if (state[id] != "dead" || !(id in last)) {
					print "# peer " id ": " state[id]; bad = 1
					continue
				}
				late = when[id] - last[id] - want
				if (late < -1000000 || late > tol) {
					printf "# peer %s: dead %.1f ms after its last frame\n",
					       id, (when[id] - last[id]) / 1e6
					bad = 1
				}
				n++
			}
			if (n != 64) { print "# " n " peers dead, not 64"; bad = 1 }
			exit bad
		}' "$tmp/cap2.csv" "$tmp/d.ev"
	ok $? "generated_peers_dead_in_time"
fi

# 9-11: the cost loop accepts every frame, per configuration.
sha=$("$BIN/hbcost" -n 1 --auth 2>/dev/null | sed -n 's/.*"sha256":"\([^"]*\)".*/\1/p')
for config in "fixed" "phi" "fixed --auth"; do
	name=hbcost_accepts_every_frame_$(echo "$config" | sed 's/ --/_/')
	if [ "$config" = "fixed --auth" ] && [ -z "$sha" ]; then
		skip "$name" "hbcost built without SHA-256"
		continue
	fi
	# shellcheck disable=SC2086 # $config is a list of options
	out=$("$BIN/hbcost" -n 20000 -d $config 2>&1)
	rc=$?
	echo "$out" | grep -q '"frames":20000,.*"ok":20000}' && [ $rc -eq 0 ]
	rc=$?
	[ $rc -eq 0 ] || echo "# $out"
	ok $rc "$name"
done

# 12: 8 members: each of 7 peers gets a report from each of the other 6.
out=$("$BIN/hbcost" -n 20000 -p 7 -g 32 2>&1)
rc=$?
echo "$out" | grep -q '"gossip_bytes":148,.*"reports":42,.*"ok":20000}' && [ $rc -eq 0 ]
rc=$?
[ $rc -eq 0 ] || echo "# $out"
ok $rc "hbcost_merges_gossip"

# 13: 64 members: header 48, LATE 12, GOSSIP 4 + 4 + 32 x 20.
out=$("$BIN/hbcost" --tx -n 1000 -p 63 -g 32 2>&1)
rc=$?
echo "$out" | grep -q '"frame_bytes":708,.*"gossip_bytes":648,.*"ok":1000}' && [ $rc -eq 0 ]
rc=$?
[ $rc -eq 0 ] || echo "# $out"
ok $rc "hbcost_sends_gossip"

[ $failed -eq 0 ]
