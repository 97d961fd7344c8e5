#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Sanity checks of hbeval on short generated traces, KTAP on stdout; exits
# non-zero if any fails. They pin down what the numbers of the evaluation
# rest on: the replay reproduces the detector's rules exactly where those
# are known in closed form, trade-offs point the right way, and a run is a
# pure function of its seed.
#
#   tools/eval/check.sh [path/to/hbeval]
set -u

HBEVAL=${1:-./hbeval}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

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

# A detector's rows in sweep order: param,td_mean,td_p99,mistakes,suspects
rows() {
	awk -F, -v d="$2" '$2 == d { print $3 "," $4 "," $5 "," $6 "," $7 }' "$1"
}

echo "KTAP version 1"
echo "1..12"

"$HBEVAL" --gen regular --hours 0.1 >"$tmp/regular.csv" 2>"$tmp/err"
rc=$?
[ $rc -eq 0 ] &&
awk -F, 'NR == 1 && $0 != "trace,detector,param,td_mean_ms,td_p99_ms," \
			 "mistakes_per_hour,suspects_per_hour,mistake_ms" { bad = 1 }
	 NF != 8 { bad = 1 }
	 NR > 1 { n[$2]++; if (seen[$2 "," $3]++) bad = 1 }
	 END { split("timeout timeout-fall1 phi-normal phi-exp", d, " ")
	       for (i in d) if (n[d[i]] < 10) bad = 1
	       exit bad }' "$tmp/regular.csv"
ok $? "csv_has_a_header_and_one_row_per_detector_and_param"

# Dead after exactly fall * interval + slack of silence (slack 0 is 1 ns).
{ rows "$tmp/regular.csv" timeout | sed 's/^/3,/'
  rows "$tmp/regular.csv" timeout-fall1 | sed 's/^/1,/'; } |
awk -F, '{ want = 100 * ($1 + $2)
	   if ($3 - want > 0.01 || want - $3 > 0.01 || $3 != $4) {
		   print "# slack " $2 ": T_D " $3 "/" $4 ", want " want; bad = 1 } }
	 END { exit bad }'
ok $? "timeout_td_is_fall_intervals_plus_slack"

# Exponential model: phi = t / mean * log10(e),
# so T_D = threshold * mean / log10(e), but never before the mean.
rows "$tmp/regular.csv" phi-exp |
awk -F, '{ want = $1 * 100 / 0.4342945; if (want < 100) want = 100
	   if ($2 / want > 1.001 || want / $2 > 1.001) {
		   print "# threshold " $1 ": T_D " $2 ", want " want; bad = 1 } }
	 END { exit bad }'
ok $? "phi_exp_td_is_threshold_times_mean_over_log10e"

# Normal model, no jitter: the stddev floor (interval / 20 = 5 ms) rules,
# and y at the threshold stays below 8 (the end of phi's table).
rows "$tmp/regular.csv" phi-normal |
awk -F, '!($2 > 100 && $2 <= 140 && $4 == 0) {
		 print "# threshold " $1 ": T_D " $2 ", mistakes " $4; bad = 1 }
	 END { exit bad }'
ok $? "phi_normal_td_on_a_regular_sender_is_mean_plus_y_min_stddev"

"$HBEVAL" --gen bursty --hours 1 >"$tmp/bursty.csv" &&
(for d in timeout timeout-fall1; do
	rows "$tmp/bursty.csv" $d |
	awk -F, -v d=$d 'NR > 1 && ($4 > m || $5 > s) {
			print "# " d " slack " $1 ": " $4 "/h > " m "/h"; bad = 1 }
		NR == 1 { first = $4 } { m = $4; s = $5 }
		END { if (!(m < first)) bad = 1; exit bad }' || exit 1
done)
ok $? "timeout_mistakes_and_suspects_fall_as_slack_grows"

"$HBEVAL" --gen jitter --hours 1 >"$tmp/jitter.csv" &&
(for d in phi-normal phi-exp; do
	rows "$tmp/jitter.csv" $d |
	awk -F, -v d=$d 'NR > 1 && $4 > m {
			print "# " d " threshold " $1 ": " $4 "/h > " m "/h"; bad = 1 }
		NR == 1 { first = $4 } { m = $4 }
		END { if (!(m < first)) bad = 1; exit bad }' || exit 1
done)
ok $? "phi_mistakes_fall_as_threshold_grows"

(for d in phi-normal phi-exp; do
	rows "$tmp/jitter.csv" $d |
	awk -F, 'NR > 1 && $2 < td { bad = 1 } NR == 1 { first = $2 } { td = $2 }
		 END { if (!(td > first)) bad = 1; exit bad }' ||
		exit 1
done)
ok $? "phi_td_grows_with_threshold_above_its_floor"

"$HBEVAL" --gen jitter --hours 1 | cmp -s - "$tmp/jitter.csv"
ok $? "same_seed_same_csv_byte_for_byte"

"$HBEVAL" --gen jitter --hours 1 --seed 2 | cmp -s - "$tmp/jitter.csv"
[ $? -eq 1 ]
ok $? "another_seed_another_trace"

# A dumped trace replays to the very same numbers, interval line and all.
"$HBEVAL" --gen jitter --hours 1 --dump >"$tmp/jitter.txt" &&
"$HBEVAL" --trace "$tmp/jitter.txt" | sed 's/^jitter\.txt,/jitter,/' |
	cmp -s - "$tmp/jitter.csv"
ok $? "dumped_trace_replays_alike"

# Without the interval line the median inter-arrival (100 ms here) is used.
grep -v '^# interval_us' "$tmp/jitter.txt" >"$tmp/nointerval.txt" &&
"$HBEVAL" --trace "$tmp/nointerval.txt" >"$tmp/nointerval.csv" &&
rows "$tmp/nointerval.csv" timeout |
awk -F, '$1 == 1 { found = 1; if ($2 < 399 || $2 > 401) bad = 1 }
	 END { exit bad || !found }'
ok $? "advertised_interval_defaults_to_the_median_gap"

printf '1.0\n2.0\n1.5\n' >"$tmp/backwards.txt"
printf '1.0\n2.0 x\n' >"$tmp/garbage.txt"
! "$HBEVAL" --trace "$tmp/backwards.txt" >/dev/null 2>&1 &&
! "$HBEVAL" --trace "$tmp/garbage.txt" >/dev/null 2>&1 &&
! "$HBEVAL" --trace "$tmp/missing.txt" >/dev/null 2>&1
ok $? "bad_traces_are_refused"

echo "# $((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
