// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host unit tests of the fixed-timeout detector and the sequence tracking
 * (kmod/detector.c, the very file the module is built from), replaying
 * timelines in nanoseconds.
 */
#include <stdlib.h>

#include "kselftest_harness.h"
#include "detector.h"

#define MS	1000000ULL
#define IVAL_US	10000		/* 10 ms */
#define INC	1000

static const struct hb_det_params params = {
	.fall = 3,
	.rise = 2,
	.grace_ns = 500 * MS,
};

static struct hb_det_change beat(struct hb_det *d, unsigned long long t)
{
	struct hb_det_change c;

	/* Every heartbeat of these timelines is valid: anything else aborts. */
	if (hb_det_heartbeat(d, t, INC, IVAL_US, &params, &c) != HB_DET_ACCEPT)
		abort();
	return c;
}

static struct hb_det_change expire(struct hb_det *d, unsigned long long t)
{
	struct hb_det_change c;

	hb_det_expire(d, t, &params, &c);
	return c;
}

/* Run the deadline timer as the module would, until time end. */
static int run_timer(struct hb_det *d, unsigned long long end,
		     unsigned char *states, int max)
{
	int n = 0;

	while (d->deadline_ns && d->deadline_ns <= end && n < max) {
		struct hb_det_change c = expire(d, d->deadline_ns);

		if (c.changed)
			states[n++] = c.state;
	}
	return n;
}

TEST(first_heartbeat_makes_alive)
{
	struct hb_det d;
	struct hb_det_change c;

	hb_det_init(&d, 0, &params);
	EXPECT_EQ(HB_STATE_UNKNOWN, d.state);
	c = beat(&d, 5 * MS);
	EXPECT_TRUE(c.changed);
	EXPECT_EQ(HB_STATE_UNKNOWN, c.prev);
	EXPECT_EQ(HB_STATE_ALIVE, c.state);
	EXPECT_FALSE(c.restarted);
	/* Missed once the heartbeat after the next one is due. */
	EXPECT_EQ(5 * MS + 20 * MS, d.deadline_ns);
}

TEST(silence_gives_suspect_then_dead_at_fall_plus_one_intervals)
{
	unsigned char states[8];
	struct hb_det d;
	int n;

	hb_det_init(&d, 0, &params);
	beat(&d, 0);
	n = run_timer(&d, 1000 * MS, states, 8);
	ASSERT_EQ(2, n);
	EXPECT_EQ(HB_STATE_SUSPECT, states[0]);
	EXPECT_EQ(HB_STATE_DEAD, states[1]);
	EXPECT_EQ(0, d.deadline_ns);
}

TEST(dead_exactly_at_the_bound)
{
	struct hb_det d;
	struct hb_det_change c;

	hb_det_init(&d, 0, &params);
	beat(&d, 100 * MS);
	c = expire(&d, 100 * MS + 20 * MS - 1);
	EXPECT_FALSE(c.changed);
	c = expire(&d, 100 * MS + 20 * MS);
	EXPECT_EQ(HB_STATE_SUSPECT, c.state);
	c = expire(&d, 100 * MS + 30 * MS);
	EXPECT_FALSE(c.changed);
	EXPECT_EQ(100 * MS + 40 * MS, d.deadline_ns);
	c = expire(&d, 100 * MS + 40 * MS - 1);
	EXPECT_FALSE(c.changed);
	c = expire(&d, 100 * MS + 40 * MS);
	EXPECT_TRUE(c.changed);
	EXPECT_EQ(HB_STATE_DEAD, c.state);
}

TEST(a_late_timer_defers_once_then_counts_misses_from_the_clock)
{
	struct hb_det d;
	struct hb_det_change c;

	hb_det_init(&d, 0, &params);
	beat(&d, 0);
	/* The timer runs 180 ms late: we stalled, so judge a bit later. */
	c = expire(&d, 200 * MS);
	EXPECT_TRUE(c.deferred);
	EXPECT_FALSE(c.changed);
	EXPECT_EQ(205 * MS, d.deadline_ns);
	/* Still nothing: now it counts every miss, straight to dead. */
	c = expire(&d, 205 * MS);
	EXPECT_FALSE(c.deferred);
	EXPECT_EQ(HB_STATE_ALIVE, c.prev);
	EXPECT_EQ(HB_STATE_DEAD, c.state);
}

TEST(a_heartbeat_queued_behind_our_stall_is_not_convicted)
{
	struct hb_det d;
	struct hb_det_change c;

	hb_det_init(&d, 0, &params);
	beat(&d, 0);
	c = expire(&d, 45 * MS);	/* 25 ms late */
	EXPECT_TRUE(c.deferred);
	c = beat(&d, 46 * MS);		/* the frame waiting in the queue */
	EXPECT_FALSE(c.changed);
	EXPECT_EQ(HB_STATE_ALIVE, d.state);
	EXPECT_FALSE(d.deferred);
}

TEST(small_timer_lateness_is_not_a_stall)
{
	struct hb_det d;
	struct hb_det_change c;

	hb_det_init(&d, 0, &params);
	beat(&d, 0);
	c = expire(&d, 24 * MS);	/* 4 ms late: under half an interval */
	EXPECT_FALSE(c.deferred);
	EXPECT_EQ(HB_STATE_SUSPECT, c.state);
}

TEST(slack_moves_every_deadline)
{
	struct hb_det_params slack = params;
	struct hb_det d;
	struct hb_det_change c;

	slack.slack_ns = 25 * MS;
	hb_det_init(&d, 0, &slack);
	hb_det_heartbeat(&d, 0, INC, IVAL_US, &slack, &c);
	EXPECT_EQ(35 * MS, d.deadline_ns);
	hb_det_expire(&d, 35 * MS, &slack, &c);
	EXPECT_EQ(HB_STATE_SUSPECT, c.state);
	EXPECT_EQ(45 * MS, d.deadline_ns);
	hb_det_expire(&d, 45 * MS, &slack, &c);
	EXPECT_FALSE(c.changed);
	hb_det_expire(&d, 55 * MS, &slack, &c);
	EXPECT_EQ(HB_STATE_DEAD, c.state);
}

TEST(jitter_below_one_interval_is_never_suspect)
{
	unsigned char states[8];
	unsigned long long t = 0;
	struct hb_det d;
	int i;

	hb_det_init(&d, 0, &params);
	for (i = 0; i < 1000; i++) {
		/* Arrivals 10 ms apart, each up to 9.9 ms late. */
		unsigned long long late = (i * 7919ULL % 100) * MS / 10;

		EXPECT_EQ(0, run_timer(&d, t + late, states, 8));
		beat(&d, t + late);
		t += 10 * MS;
	}
	EXPECT_EQ(HB_STATE_ALIVE, d.state);
}

TEST(suspect_recovers_with_one_heartbeat)
{
	struct hb_det d;
	struct hb_det_change c;

	hb_det_init(&d, 0, &params);
	beat(&d, 0);
	expire(&d, 20 * MS);
	ASSERT_EQ(HB_STATE_SUSPECT, d.state);
	c = beat(&d, 25 * MS);
	EXPECT_EQ(HB_STATE_SUSPECT, c.prev);
	EXPECT_EQ(HB_STATE_ALIVE, c.state);
}

TEST(dead_needs_rise_heartbeats_in_a_row)
{
	struct hb_det d;
	struct hb_det_change c;

	unsigned char states[8];

	hb_det_init(&d, 0, &params);
	beat(&d, 0);
	run_timer(&d, 100 * MS, states, 8);
	ASSERT_EQ(HB_STATE_DEAD, d.state);
	c = beat(&d, 200 * MS);
	EXPECT_FALSE(c.changed);
	/* A miss in between starts the count again. */
	c = expire(&d, 200 * MS + 20 * MS);
	EXPECT_FALSE(c.changed);
	EXPECT_EQ(HB_STATE_DEAD, d.state);
	c = beat(&d, 240 * MS);
	EXPECT_FALSE(c.changed);
	c = beat(&d, 250 * MS);
	EXPECT_TRUE(c.changed);
	EXPECT_EQ(HB_STATE_DEAD, c.prev);
	EXPECT_EQ(HB_STATE_ALIVE, c.state);
}

TEST(leave_gives_left_and_no_deadline)
{
	struct hb_det d;
	struct hb_det_change c;
	unsigned char states[8];

	hb_det_init(&d, 0, &params);
	beat(&d, 0);
	EXPECT_EQ(HB_DET_ACCEPT, hb_det_leave(&d, 5 * MS, INC, &c));
	EXPECT_EQ(HB_STATE_LEFT, c.state);
	EXPECT_EQ(HB_STATE_ALIVE, c.prev);
	EXPECT_EQ(0, d.deadline_ns);
	EXPECT_EQ(0, run_timer(&d, 10000 * MS, states, 8));
	EXPECT_EQ(HB_STATE_LEFT, d.state);
}

TEST(restart_is_reported_and_stays_alive)
{
	struct hb_det d;
	struct hb_det_change c;

	hb_det_init(&d, 0, &params);
	beat(&d, 0);
	EXPECT_EQ(HB_DET_ACCEPT,
		  hb_det_heartbeat(&d, 10 * MS, INC + 5, IVAL_US, &params, &c));
	EXPECT_TRUE(c.restarted);
	EXPECT_EQ(INC, c.prev_incarnation);
	EXPECT_FALSE(c.changed);
	EXPECT_EQ(HB_STATE_ALIVE, d.state);
	EXPECT_EQ(1, d.restarts);
	/* A frame of the old incarnation, late, is refused. */
	EXPECT_EQ(HB_DET_OLD_INCARNATION,
		  hb_det_heartbeat(&d, 11 * MS, INC, IVAL_US, &params, &c));
}

TEST(left_then_restarted_needs_rise)
{
	struct hb_det d;
	struct hb_det_change c;

	hb_det_init(&d, 0, &params);
	beat(&d, 0);
	hb_det_leave(&d, 1 * MS, INC, &c);
	hb_det_heartbeat(&d, 50 * MS, INC + 1, IVAL_US, &params, &c);
	EXPECT_TRUE(c.restarted);
	EXPECT_FALSE(c.changed);
	hb_det_heartbeat(&d, 60 * MS, INC + 1, IVAL_US, &params, &c);
	EXPECT_TRUE(c.changed);
	EXPECT_EQ(HB_STATE_LEFT, c.prev);
	EXPECT_EQ(HB_STATE_ALIVE, c.state);
}

TEST(never_heard_peer_dies_after_grace)
{
	struct hb_det d;
	struct hb_det_change c;
	struct hb_det_params forever = params;

	hb_det_init(&d, 1000 * MS, &params);
	EXPECT_EQ(1500 * MS, d.deadline_ns);
	c = expire(&d, 1499 * MS);
	EXPECT_FALSE(c.changed);
	c = expire(&d, 1500 * MS);
	EXPECT_EQ(HB_STATE_UNKNOWN, c.prev);
	EXPECT_EQ(HB_STATE_DEAD, c.state);

	forever.grace_ns = 0;
	hb_det_init(&d, 0, &forever);
	EXPECT_EQ(0, d.deadline_ns);
}

TEST(fall_one_skips_suspect)
{
	struct hb_det_params one = params;
	struct hb_det d;
	struct hb_det_change c;

	one.fall = 1;
	hb_det_init(&d, 0, &one);
	hb_det_heartbeat(&d, 0, INC, IVAL_US, &one, &c);
	hb_det_expire(&d, 20 * MS, &one, &c);
	EXPECT_EQ(HB_STATE_ALIVE, c.prev);
	EXPECT_EQ(HB_STATE_DEAD, c.state);
}

TEST(path_counts_gaps_and_refuses_replays)
{
	struct hb_path p = { .link_id = 1 };

	EXPECT_EQ(0, hb_path_update(&p, 5, 1));
	EXPECT_EQ(0, p.lost);	/* the first frame seen sets the base */
	EXPECT_EQ(0, hb_path_update(&p, 6, 2));
	EXPECT_EQ(0, hb_path_update(&p, 10, 3));
	EXPECT_EQ(3, p.lost);
	EXPECT_EQ(-1, hb_path_update(&p, 10, 4));
	EXPECT_EQ(-1, hb_path_update(&p, 7, 5));
	EXPECT_EQ(3, p.rx);
	EXPECT_EQ(10, p.last_seq);
	EXPECT_EQ(3, p.last_rx_ns);
}

TEST_HARNESS_MAIN
