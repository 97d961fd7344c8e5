#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make check's smoke run of make bench: every part of the test VM in quick
# mode (eight detection trials, phases of a few seconds), then the
# report, into DIR instead of Documentation/benchmarks/. KTAP on stdout, one
# result per part and one for the report. It checks that each part measured
# something, never what it measured: figures from seconds of an emulated
# CPU mean nothing; they are make bench's job.
#
#   tools/bench/smoke.sh DIR
set -u

here=$(cd "$(dirname "$0")" && pwd)
dir=${1:?usage: smoke.sh DIR}
rm -rf "$dir"
mkdir -p "$dir"
data=$dir/raw/data

# Not the last-words part: its quick run (three guests booted at once on
# the host, two panics) took 18 to 38 s on the shared two-core machine, more
# than this stage should grow by; make bench runs it. Precision at one
# interval: the second doubled the part's time (35 s each), and the smoke
# run checks only that it measured.
BENCH_RAW="$dir/raw" BENCH_OUT="$dir/report" BENCH_TIMEOUT=600 \
	BENCH_ARGS="--quick --precision-intervals 10000 --parts precision,detection,falsepos,scale,partition" \
	"$here/run-bench" >"$dir/run-bench.log" 2>&1
rc=$?
sed 's/^/# /' "$dir/run-bench.log"

echo "KTAP version 1"
echo "1..8"
n=0
result()	# result OK NAME [WHY]
{
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n bench_smoke.$2"
	else
		echo "not ok $n bench_smoke.$2${3:+ # $3}"
	fi
}

# rows FILE: data rows of a CSV (0 if it is missing).
rows()
{
	[ -f "$1" ] || { echo 0; return; }
	echo $(($(wc -l <"$1") - 1))
}

[ "$(rows "$data/cost.csv")" -ge 3 ]
result $? cost "$(rows "$data/cost.csv") rows in cost.csv"

# Three sizes, two sides, gossip and none, N and 2N frames each.
[ "$(rows "$data/gossip.csv")" -ge 24 ]
result $? gossip "$(rows "$data/gossip.csv") rows in gossip.csv"

# A part that raised is named on bench.py's closing line.
failed=$(sed -n 's/.*all parts in .*; failed: //p' "$dir/run-bench.log")
for part in precision falsepos scale partition; do
	r=1
	[ "$(rows "$data/$part.csv")" -ge 1 ] && [[ ",$failed," != *",$part,"* ]] && r=0
	result $r $part "$(rows "$data/$part.csv") rows in $part.csv${failed:+; failed: $failed}"
done

# Detection: every configuration, bfdd included, reached a verdict in at
# least one trial. Eight trials, as bfdd at 10 ms on the emulated CPU may
# not be up at the first cut and declares some sessions down before a cut
# (16 of 100 trials in one make bench; the first two of five in one smoke
# run): three once gave it none.
missing=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	{ seen[$col["config"]] = seen[$col["config"]] + ($col["latency_ms"] != "") }
	END { for (c in seen) if (!seen[c]) printf "%s ", c }' "$data/detection.csv" 2>/dev/null)
configs=$(awk -F, 'NR > 1 { print $1 }' "$data/detection.csv" 2>/dev/null | sort -u | wc -l)
r=1
[ "$configs" -ge 7 ] && [ -z "$missing" ] && r=0
result $r detection "$configs configurations${missing:+, no verdict from: $missing}"

r=1
[ $rc = 0 ] && [ -s "$dir/report/README.md" ] && [ -s "$dir/report/precision.png" ] &&
	[ -s "$dir/report/detection.png" ] && [ -s "$dir/report/scale.png" ] && r=0
result $r report "run-bench exit $rc"
