// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host unit tests of the probe round-trip statistics (kmod/rtt.c, the very
 * file the module is built from).
 */
#include "kselftest_harness.h"
#include "rtt.h"

TEST(empty_window_has_no_statistics)
{
	struct hb_rtt_window w = {};
	struct hb_rtt_stats s;

	hb_rtt_window_stats(&w, &s);
	ASSERT_EQ(0, s.samples);
	ASSERT_EQ(0, s.min_us);
	ASSERT_EQ(0, s.p99_us);
}

TEST(one_sample)
{
	struct hb_rtt_window w = {};
	struct hb_rtt_stats s;

	hb_rtt_window_add(&w, 250);
	hb_rtt_window_stats(&w, &s);
	ASSERT_EQ(1, s.samples);
	ASSERT_EQ(250, s.min_us);
	ASSERT_EQ(250, s.mean_us);
	ASSERT_EQ(250, s.p99_us);
}

TEST(min_mean_p99_of_a_partial_window)
{
	struct hb_rtt_window w = {};
	struct hb_rtt_stats s;
	u32 i;

	/* 10 .. 1, unsorted on purpose. */
	for (i = 10; i >= 1; i--)
		hb_rtt_window_add(&w, i * 100);
	hb_rtt_window_stats(&w, &s);
	ASSERT_EQ(10, s.samples);
	ASSERT_EQ(100, s.min_us);
	ASSERT_EQ(550, s.mean_us);
	/* ceil(0.99 * 10) = 10th smallest: the largest. */
	ASSERT_EQ(1000, s.p99_us);
}

TEST(window_keeps_the_latest_samples)
{
	struct hb_rtt_window w = {};
	struct hb_rtt_stats s;
	u32 i;

	for (i = 0; i < 1000; i++)
		hb_rtt_window_add(&w, i < 936 ? 1000000 : 10 + i % 7);
	hb_rtt_window_stats(&w, &s);
	ASSERT_EQ(HB_RTT_WINDOW, s.samples);
	ASSERT_EQ(10, s.min_us);
	ASSERT_EQ(16, s.p99_us);
	ASSERT_LE(10, s.mean_us);
	ASSERT_GE(16, s.mean_us);
}

TEST(p99_ignores_less_than_one_percent_only_over_a_hundred)
{
	struct hb_rtt_window w = {};
	struct hb_rtt_stats s;
	u32 i;

	/* 63 fast and one slow: 64 samples cannot hide the slow one. */
	for (i = 0; i < HB_RTT_WINDOW - 1; i++)
		hb_rtt_window_add(&w, 100);
	hb_rtt_window_add(&w, 90000);
	hb_rtt_window_stats(&w, &s);
	ASSERT_EQ(90000, s.p99_us);
	ASSERT_EQ(100, s.min_us);
	/* (63 * 100 + 90000) / 64, rounded. */
	ASSERT_EQ(1505, s.mean_us);
}

TEST(buckets_are_log2_microseconds)
{
	ASSERT_EQ(0, hb_rtt_bucket(0));
	ASSERT_EQ(1, hb_rtt_bucket(1));
	ASSERT_EQ(2, hb_rtt_bucket(2));
	ASSERT_EQ(2, hb_rtt_bucket(3));
	ASSERT_EQ(3, hb_rtt_bucket(4));
	ASSERT_EQ(11, hb_rtt_bucket(1024));
	ASSERT_EQ(HB_RTT_BUCKETS - 1, hb_rtt_bucket(1U << 20));
	ASSERT_EQ(HB_RTT_BUCKETS - 1, hb_rtt_bucket(0xffffffffU));
}

TEST(histogram_and_sums_are_cumulative)
{
	static struct hb_rtt r;
	u32 i;

	for (i = 0; i < 200; i++)
		hb_rtt_add(&r, 300);
	ASSERT_EQ(200, r.total);
	ASSERT_EQ(60000, r.sum_us);
	ASSERT_EQ(200, r.hist[hb_rtt_bucket(300)]);
	ASSERT_EQ(HB_RTT_WINDOW, r.win.count);
}

TEST(nanoseconds_to_microseconds_saturate)
{
	ASSERT_EQ(0, hb_rtt_us(999));
	ASSERT_EQ(245, hb_rtt_us(245999));
	ASSERT_EQ(0xffffffffU, hb_rtt_us(~0ULL));
}

TEST_HARNESS_MAIN
