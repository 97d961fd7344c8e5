#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Instructions per received heartbeat, per configuration, counted by
# callgrind in hbcost's receiving loop (only that loop: hbcost zeroes the
# counts before it and dumps them, as "<out>.1", right after it). Each
# configuration runs with N and 2N frames and the difference is divided by
# N, so costs paid once (learning the peers, the first window) cancel.
#
#   tools/bench/cost.sh [-n N] [-p PEERS] [path/to/hbcost]
#   tools/bench/cost.sh -G [-n N] [path/to/hbcost]
#
# CSV on stdout: config,frames,instructions,instructions_per_heartbeat,sha256
# one row per run; both rows of a config carry its per-heartbeat figure,
# (Ir(2N) - Ir(N)) / N. Configs: fixed, phi, fixed+auth (the last only if
# hbcost has a SHA-256; sha256 names it: kernel-generic or openssl).
#
# -G: the cost of gossip instead, at 8, 64 and 512 members (one receiver
# or sender and members - 1 peers), fixed detector: per received
# heartbeat with the GOSSIP TLV merged (gossip 32) and without (gossip 0,
# the baseline), and per sent heartbeat the same two ways. CSV:
# members,side,gossip,frames,instructions,instructions_per_heartbeat,
# frame_bytes,header_bytes,late_bytes,gossip_bytes,echo_bytes_auth,auth_bytes
# (bytes of the last frame, from hbcost's JSON: the rx frames carry no
# LATE TLV, the tx frames do; echo and auth are what authentication adds).
set -eu

N=20000
PEERS=16
GOSSIP=0
while getopts n:p:Gh opt; do
	case $opt in
	n) N=$OPTARG ;;
	p) PEERS=$OPTARG ;;
	G) GOSSIP=1 ;;
	h) sed -n '4,27s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) exit 1 ;;
	esac
done
shift $((OPTIND - 1))
HBCOST=${1:-$(dirname "$0")/hbcost}

case $N in
'' | *[!0-9]*) echo "cost.sh: -n wants a number" >&2; exit 1 ;;
esac
command -v valgrind >/dev/null || { echo "cost.sh: valgrind not found" >&2; exit 2; }
[ -x "$HBCOST" ] || { echo "cost.sh: no $HBCOST (make -C tools/bench)" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# Ir of the loop of one run: the dump hbcost triggers after it.
instructions() {
	out="$tmp/cg.$1.$2"
	shift 2
	valgrind --tool=callgrind --callgrind-out-file="$out" \
		"$HBCOST" -p "$PEERS" "$@" >"$out.json" 2>"$out.log" || {
		echo "cost.sh: hbcost $* failed:" >&2
		cat "$out.log" "$out.json" >&2
		exit 2
	}
	# "ok" must equal "frames": the loop did all the work it was given.
	grep -q '"ok":'"$FRAMES"'}' "$out.json" || {
		echo "cost.sh: hbcost $* did not accept every frame:" >&2
		cat "$out.json" >&2
		exit 2
	}
	[ -f "$out.1" ] || { echo "cost.sh: no callgrind dump $out.1" >&2; exit 2; }
	awk '$1 == "summary:" { print $2; found = 1; exit }
	     $1 == "totals:" { t = $2 }
	     END { if (!found && t != "") print t }' "$out.1"
}

# A number from hbcost's JSON: field KEY FILE
field() {
	sed -n 's/.*"'"$1"'":\([0-9]*\).*/\1/p' "$2"
}

if [ "$GOSSIP" = 1 ]; then
	echo "members,side,gossip,frames,instructions,instructions_per_heartbeat,frame_bytes,header_bytes,late_bytes,gossip_bytes,echo_bytes_auth,auth_bytes"
	for members in 8 64 512; do
		PEERS=$((members - 1))
		for side in rx tx; do
			for g in 0 32; do
				args="-d fixed -g $g"
				[ $side = tx ] && args="$args --tx"
				FRAMES=$N
				# shellcheck disable=SC2086
				ir1=$(instructions "g$members$side$g" 1 -n "$N" $args)
				FRAMES=$((2 * N))
				# shellcheck disable=SC2086
				ir2=$(instructions "g$members$side$g" 2 -n "$((2 * N))" $args)
				j="$tmp/cg.g$members$side$g.2.json"
				if [ $side = rx ] && [ "$g" -gt 0 ] &&
				   [ "$(field reports "$j")" -eq 0 ]; then
					echo "cost.sh: hbcost -g $g merged no gossip" >&2
					exit 2
				fi
				bytes=$(for k in frame_bytes header_bytes late_bytes \
						 gossip_bytes echo_bytes_auth auth_bytes; do
						printf ',%s' "$(field $k "$j")"
					done)
				awk -v m="$members" -v s="$side" -v g="$g" -v n="$N" \
				    -v a="$ir1" -v b="$ir2" -v by="$bytes" \
				    'BEGIN { per = n ? (b - a) / n : 0
					     printf "%d,%s,%d,%d,%d,%.1f%s\n", m, s, g, n, a, per, by
					     printf "%d,%s,%d,%d,%d,%.1f%s\n", m, s, g, 2 * n, b, per, by }'
			done
		done
	done
	exit 0
fi

echo "config,frames,instructions,instructions_per_heartbeat,sha256"
for config in fixed phi fixed+auth; do
	case $config in
	fixed) args="-d fixed" ;;
	phi) args="-d phi" ;;
	fixed+auth) args="-d fixed --auth" ;;
	esac
	impl=none
	if [ "$config" = fixed+auth ]; then
		# shellcheck disable=SC2086
		impl=$("$HBCOST" -n 1 $args 2>/dev/null |
		       sed -n 's/.*"sha256":"\([^"]*\)".*/\1/p') || impl=
		if [ -z "$impl" ] || [ "$impl" = none ]; then
			echo "cost.sh: hbcost was built without SHA-256: no $config" >&2
			continue
		fi
	fi
	FRAMES=$N
	# shellcheck disable=SC2086 # $args is a list of options
	ir1=$(instructions "$config" 1 -n "$N" $args)
	FRAMES=$((2 * N))
	# shellcheck disable=SC2086
	ir2=$(instructions "$config" 2 -n "$((2 * N))" $args)
	awk -v c="$config" -v s="$impl" -v n="$N" -v a="$ir1" -v b="$ir2" \
	    'BEGIN { per = n ? (b - a) / n : 0
		     printf "%s,%d,%d,%.1f,%s\n", c, n, a, per, s
		     printf "%s,%d,%d,%.1f,%s\n", c, 2 * n, b, per, s }'
done
