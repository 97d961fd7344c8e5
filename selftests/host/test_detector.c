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

	hb_det_heartbeat(d, t, INC, IVAL_US, &params, &c);
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

	hb_det_init(&d, 0, &params, NULL);
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

	hb_det_init(&d, 0, &params, NULL);
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

	hb_det_init(&d, 0, &params, NULL);
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

	hb_det_init(&d, 0, &params, NULL);
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

	hb_det_init(&d, 0, &params, NULL);
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

	hb_det_init(&d, 0, &params, NULL);
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
	hb_det_init(&d, 0, &slack, NULL);
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

	hb_det_init(&d, 0, &params, NULL);
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

	hb_det_init(&d, 0, &params, NULL);
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

	hb_det_init(&d, 0, &params, NULL);
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

	hb_det_init(&d, 0, &params, NULL);
	beat(&d, 0);
	hb_det_leave(&d, 5 * MS, INC, &c);
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

	hb_det_init(&d, 0, &params, NULL);
	beat(&d, 0);
	hb_det_heartbeat(&d, 10 * MS, INC + 5, IVAL_US, &params, &c);
	EXPECT_TRUE(c.restarted);
	EXPECT_EQ(INC, c.prev_incarnation);
	EXPECT_FALSE(c.changed);
	EXPECT_EQ(HB_STATE_ALIVE, d.state);
	EXPECT_EQ(1, d.restarts);
	/* Lower, as after a clock step back: ident.c decided, it is a restart. */
	hb_det_heartbeat(&d, 11 * MS, INC, IVAL_US, &params, &c);
	EXPECT_TRUE(c.restarted);
	EXPECT_EQ(2, d.restarts);
}

TEST(left_then_restarted_is_alive_with_the_confirmed_restart)
{
	struct hb_det d;
	struct hb_det_change c;

	hb_det_init(&d, 0, &params, NULL);
	beat(&d, 0);
	hb_det_leave(&d, 1 * MS, INC, &c);
	/* Back in the same incarnation: rise heartbeats. */
	hb_det_heartbeat(&d, 50 * MS, INC, IVAL_US, &params, &c);
	EXPECT_FALSE(c.changed);
	hb_det_heartbeat(&d, 60 * MS, INC, IVAL_US, &params, &c);
	EXPECT_TRUE(c.changed);
	hb_det_leave(&d, 61 * MS, INC, &c);
	/* A restart reaches the detector confirmed by rise frames already. */
	hb_det_heartbeat(&d, 70 * MS, INC + 1, IVAL_US, &params, &c);
	EXPECT_TRUE(c.restarted);
	EXPECT_TRUE(c.changed);
	EXPECT_EQ(HB_STATE_LEFT, c.prev);
	EXPECT_EQ(HB_STATE_ALIVE, c.state);
}

TEST(never_heard_peer_dies_after_grace)
{
	struct hb_det d;
	struct hb_det_change c;
	struct hb_det_params forever = params;

	hb_det_init(&d, 1000 * MS, &params, NULL);
	EXPECT_EQ(1500 * MS, d.deadline_ns);
	c = expire(&d, 1499 * MS);
	EXPECT_FALSE(c.changed);
	c = expire(&d, 1500 * MS);
	EXPECT_EQ(HB_STATE_UNKNOWN, c.prev);
	EXPECT_EQ(HB_STATE_DEAD, c.state);

	forever.grace_ns = 0;
	hb_det_init(&d, 0, &forever, NULL);
	EXPECT_EQ(0, d.deadline_ns);
}

TEST(fall_one_skips_suspect)
{
	struct hb_det_params one = params;
	struct hb_det d;
	struct hb_det_change c;

	one.fall = 1;
	hb_det_init(&d, 0, &one, NULL);
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

/* Replay arrival times (ns) with the deadline timer firing on time. */
static int replay(struct hb_det *d, const struct hb_det_params *p,
		  const unsigned long long *arrivals, int n, int *suspects)
{
	struct hb_det_change c;
	int i, dead = 0;

	*suspects = 0;
	for (i = 0; i < n; i++) {
		while (d->deadline_ns && d->deadline_ns <= arrivals[i]) {
			hb_det_expire(d, d->deadline_ns, p, &c);
			if (c.changed && c.state == HB_STATE_SUSPECT)
				(*suspects)++;
			if (c.changed && c.state == HB_STATE_DEAD)
				dead++;
		}
		hb_det_heartbeat(d, arrivals[i], INC, IVAL_US, p, &c);
	}
	return dead;
}

static struct hb_det_params phi_params(double threshold, double warn)
{
	struct hb_det_params p = params;

	p.detector = HB_DETECTOR_PHI;
	p.phi_dead.threshold = (u32)(threshold * HB_PHI_ONE);
	p.phi_dead.min_stddev_ns = MS / 2;
	hb_phi_params_prepare(&p.phi_dead);
	if (warn > 0) {
		p.phi_warn = p.phi_dead;
		p.phi_warn.threshold = (u32)(warn * HB_PHI_ONE);
		hb_phi_params_prepare(&p.phi_warn);
	}
	return p;
}

static unsigned long long arrivals[2000];

/* Arrivals every 10 ms, each late by up to jitter_ms (uniform, seeded). */
static int trace(double jitter_ms)
{
	unsigned int seed = 7;
	int i;

	for (i = 0; i < 2000; i++) {
		seed = seed * 1103515245 + 12345;
		arrivals[i] = 100 * MS + i * 10 * MS +
			      (unsigned long long)(jitter_ms * MS * ((seed >> 16) % 1000) / 1000);
	}
	return 2000;
}

TEST(phi_forgives_a_jittery_sender_that_the_timeout_flags)
{
	static u32 ring[100];
	struct hb_phi_window w;
	struct hb_det_params timeout = params, phi = phi_params(8, 4);
	struct hb_det d;
	int n = trace(15), s_timeout, s_phi, dead;

	hb_phi_window_init(&w, ring, 100);
	hb_det_init(&d, 0, &timeout, &w);
	dead = replay(&d, &timeout, arrivals, n, &s_timeout);
	TH_LOG("timeout: %d suspect, %d dead", s_timeout, dead);
	EXPECT_GT(s_timeout, 0);

	hb_phi_window_init(&w, ring, 100);
	hb_det_init(&d, 0, &phi, &w);
	dead = replay(&d, &phi, arrivals, n, &s_phi);
	TH_LOG("phi: %d suspect, %d dead; mean %llu stddev %llu", s_phi, dead,
	       (unsigned long long)hb_phi_mean_ns(&w),
	       (unsigned long long)hb_phi_stddev_ns(&w));
	EXPECT_EQ(0, dead);
	EXPECT_LT(s_phi, s_timeout);
}

TEST(phi_convicts_a_regular_sender_faster_than_interval_times_fall)
{
	static u32 ring[100];
	struct hb_phi_window w;
	struct hb_det_params phi = phi_params(8, 0);
	struct hb_det d;
	struct hb_det_change c;
	int n = trace(0.2), suspects;
	unsigned long long last;

	hb_phi_window_init(&w, ring, 100);
	hb_det_init(&d, 0, &phi, &w);
	EXPECT_EQ(0, replay(&d, &phi, arrivals, n, &suspects));
	last = arrivals[n - 1];
	/* Silence: the first deadline is the verdict. */
	hb_det_expire(&d, d.deadline_ns, &phi, &c);
	EXPECT_EQ(HB_STATE_DEAD, c.state);
	TH_LOG("dead %.2f ms after the last heartbeat (interval x fall: %d ms)",
	       (double)(hb_phi_crossing_ns(&phi.phi_dead, hb_phi_mean_ns(&w),
					   hb_phi_stddev_ns(&w))) / MS,
	       (int)(IVAL_US / 1000 * params.fall));
	EXPECT_LT(hb_phi_crossing_ns(&phi.phi_dead, hb_phi_mean_ns(&w),
				     hb_phi_stddev_ns(&w)),
		  (u64)IVAL_US * 1000 * params.fall);
	EXPECT_GT(d.last_rx_ns, 0);
	EXPECT_EQ(last, d.last_rx_ns);
}

TEST(phi_warning_level_gives_suspect_before_dead)
{
	static u32 ring[100];
	struct hb_phi_window w;
	struct hb_det_params phi = phi_params(8, 2);
	unsigned char states[8];
	struct hb_det d;
	int n = trace(0.2), suspects;

	hb_phi_window_init(&w, ring, 100);
	hb_det_init(&d, 0, &phi, &w);
	replay(&d, &phi, arrivals, n, &suspects);
	ASSERT_EQ(2, run_timer(&d, arrivals[n - 1] + 1000 * MS, states, 8));
	EXPECT_EQ(HB_STATE_SUSPECT, states[0]);
	EXPECT_EQ(HB_STATE_DEAD, states[1]);
}

TEST(phi_never_learns_from_an_outage)
{
	static u32 ring[100];
	struct hb_phi_window w;
	struct hb_det_params phi = phi_params(8, 0);
	unsigned char states[8];
	struct hb_det d;
	struct hb_det_change c;
	int n = trace(0.2), suspects;
	u64 mean;

	hb_phi_window_init(&w, ring, 100);
	hb_det_init(&d, 0, &phi, &w);
	replay(&d, &phi, arrivals, n, &suspects);
	mean = hb_phi_mean_ns(&w);
	run_timer(&d, arrivals[n - 1] + 5000 * MS, states, 8);
	ASSERT_EQ(HB_STATE_DEAD, d.state);
	/* The peer returns: the 5 s gap is not a sample. */
	hb_det_heartbeat(&d, arrivals[n - 1] + 5000 * MS, INC, IVAL_US, &phi, &c);
	EXPECT_EQ(mean, hb_phi_mean_ns(&w));
}

TEST(phi_is_reported_for_the_timeout_detector_too)
{
	static u32 ring[16];
	struct hb_phi_window w;
	struct hb_det d;
	struct hb_det_change c;
	struct hb_det_params p = phi_params(8, 0);

	p.detector = HB_DETECTOR_TIMEOUT;
	hb_phi_window_init(&w, ring, 16);
	hb_det_init(&d, 0, &p, &w);
	EXPECT_EQ(0, hb_det_phi(&d, &p, 0));
	hb_det_heartbeat(&d, 0, INC, IVAL_US, &p, &c);
	/* Seeded: mean 10 ms, stddev 2.5 ms; at 10 ms of silence phi is low. */
	EXPECT_LT(hb_det_phi(&d, &p, 10 * MS), HB_PHI_ONE);
	EXPECT_GT(hb_det_phi(&d, &p, 40 * MS), 8 * HB_PHI_ONE);
}

/*
 * A deadline armed under other settings - here phi's crossing, earlier
 * than the timeout's slack - fires before the next heartbeat is due under
 * the settings now in force: nothing is missed yet, and nothing may wrap.
 */
TEST(deadline_armed_by_phi_then_timeout_does_not_convict)
{
	static u32 ring[16];
	struct hb_phi_window w;
	struct hb_det d;
	struct hb_det_change c;
	struct hb_det_params phi = phi_params(0.1, 0), timeout = params;

	phi.slack_ns = timeout.slack_ns = 30 * MS;
	hb_phi_window_init(&w, ring, 16);
	hb_det_init(&d, 0, &phi, &w);
	hb_det_heartbeat(&d, 0, INC, IVAL_US, &phi, &c);
	/* Seeded mean 10 ms: phi 0.1 is crossed long before 30 ms. */
	ASSERT_LT(d.deadline_ns, 30 * MS);
	hb_det_expire(&d, d.deadline_ns, &timeout, &c);
	EXPECT_FALSE(c.changed);
	EXPECT_EQ(HB_STATE_ALIVE, d.state);
	/* The next heartbeat is missed 10 ms + 30 ms of slack on. */
	EXPECT_EQ(40 * MS, d.deadline_ns);
	hb_det_expire(&d, 40 * MS, &timeout, &c);
	EXPECT_EQ(HB_STATE_SUSPECT, d.state);
}

TEST(time_before_the_last_heartbeat_is_no_silence)
{
	static u32 ring[16];
	struct hb_phi_window w;
	struct hb_det d;
	struct hb_det_change c;
	struct hb_det_params p = phi_params(8, 0);

	hb_phi_window_init(&w, ring, 16);
	hb_det_init(&d, 0, &p, &w);
	hb_det_heartbeat(&d, 100 * MS, INC, IVAL_US, &p, &c);
	/* A reader that took its clock just before the heartbeat. */
	EXPECT_EQ(hb_det_phi(&d, &p, 100 * MS), hb_det_phi(&d, &p, 99 * MS));
	EXPECT_LT(hb_det_phi(&d, &p, 99 * MS), HB_PHI_ONE);
	/* A heartbeat stamped before the last one is not a huge gap either. */
	hb_det_heartbeat(&d, 99 * MS, INC, IVAL_US, &p, &c);
	EXPECT_LE(hb_phi_mean_ns(&w), 20 * MS);
}

TEST(new_settings_rearm_the_deadline)
{
	struct hb_det_params wide = params, strict = params;
	struct hb_det d;
	struct hb_det_change c;

	hb_det_init(&d, 0, &params, NULL);
	beat(&d, 0);
	EXPECT_EQ(20 * MS, d.deadline_ns);
	wide.slack_ns = 100 * MS;
	hb_det_rearm(&d, 5 * MS, &wide);
	EXPECT_EQ(110 * MS, d.deadline_ns);
	/* Tighter settings under which the peer is overdue: judged at once. */
	strict.fall = 1;
	strict.slack_ns = 1 * MS;
	hb_det_rearm(&d, 15 * MS, &strict);
	EXPECT_EQ(15 * MS, d.deadline_ns);
	hb_det_expire(&d, 15 * MS, &strict, &c);
	EXPECT_FALSE(c.deferred);
	EXPECT_EQ(HB_STATE_DEAD, d.state);
	/* A dead peer has no deadline to re-arm. */
	hb_det_rearm(&d, 20 * MS, &params);
	EXPECT_EQ(0, d.deadline_ns);
}

TEST(a_sender_that_reports_its_stall_gets_the_time_it_lost)
{
	struct hb_det d;
	struct hb_det_change c;

	hb_det_init(&d, 0, &params, NULL);
	beat(&d, 0);
	/* Its timer fired 25 ms late for this frame: it stalls. */
	hb_det_sender_late(&d, 25000, 3 * IVAL_US * 1000ULL);
	beat(&d, 35 * MS);
	EXPECT_EQ(25000, d.late_us);
	EXPECT_EQ(35 * MS + 20 * MS + 25 * MS, d.deadline_ns);
	/* A gap of the same stall again is no miss... */
	c = expire(&d, 35 * MS + 20 * MS + 25 * MS - 1);
	EXPECT_FALSE(c.changed);
	/* ... but beyond it the usual bound holds, shifted by it. */
	c = expire(&d, 35 * MS + 20 * MS + 25 * MS);
	EXPECT_EQ(HB_STATE_SUSPECT, c.state);
	c = expire(&d, 35 * MS + 30 * MS + 25 * MS);
	EXPECT_FALSE(c.changed);
	c = expire(&d, 35 * MS + 40 * MS + 25 * MS - 1);
	EXPECT_FALSE(c.changed);
	c = expire(&d, 35 * MS + 40 * MS + 25 * MS);
	EXPECT_EQ(HB_STATE_DEAD, c.state);
}

TEST(reported_lateness_decays_and_is_bounded)
{
	unsigned long long t = 0;
	struct hb_det d;
	int i;

	hb_det_init(&d, 0, &params, NULL);
	beat(&d, t);
	/* More than fall intervals is never allowed for. */
	hb_det_sender_late(&d, 1000000, 30 * MS);
	EXPECT_EQ(30 * MS, d.late_ns);
	/* On time again: an eighth less a frame. */
	for (i = 0; i < 40; i++) {
		t += 10 * MS;
		hb_det_sender_late(&d, 0, 30 * MS);
		beat(&d, t);
	}
	EXPECT_GT(200 * 1000ULL, d.late_ns);
	EXPECT_EQ(t + 20 * MS + d.late_ns, d.deadline_ns);
	/* A sender that never reports lateness is judged as before. */
	hb_det_init(&d, 0, &params, NULL);
	hb_det_sender_late(&d, 0, 30 * MS);
	beat(&d, 5 * MS);
	EXPECT_EQ(5 * MS + 20 * MS, d.deadline_ns);
}

TEST(dead_after_is_the_silence_the_timer_convicts)
{
	unsigned char states[4];
	struct hb_det d;
	u64 after;

	hb_det_init(&d, 0, &params, NULL);
	beat(&d, 0);
	hb_det_sender_late(&d, 5000, 3 * IVAL_US * 1000ULL);
	beat(&d, 10 * MS);
	after = hb_det_dead_after_ns(&d, &params);
	/* fall 3 intervals + one of slack + the 5 ms it reported. */
	EXPECT_EQ(45 * MS, after);
	EXPECT_EQ(1, run_timer(&d, 10 * MS + after - 1, states, 4));
	EXPECT_EQ(HB_STATE_SUSPECT, states[0]);
	EXPECT_EQ(1, run_timer(&d, 10 * MS + after, states, 4));
	EXPECT_EQ(HB_STATE_DEAD, states[0]);
}

TEST(last_words_are_dead_at_once_and_rise_brings_it_back)
{
	struct hb_det d;
	struct hb_det_change c;

	hb_det_init(&d, 0, &params, NULL);
	beat(&d, 0);
	hb_det_dying(&d, 4 * MS, INC, &c);
	EXPECT_TRUE(c.changed);
	EXPECT_EQ(HB_STATE_ALIVE, c.prev);
	EXPECT_EQ(HB_STATE_DEAD, d.state);
	EXPECT_EQ(0, d.deadline_ns);
	EXPECT_EQ(4 * MS, d.last_rx_ns);
	/* It did not go down after all: rise heartbeats in a row. */
	c = beat(&d, 10 * MS);
	EXPECT_FALSE(c.changed);
	c = beat(&d, 20 * MS);
	EXPECT_EQ(HB_STATE_ALIVE, c.state);
}

TEST_HARNESS_MAIN
