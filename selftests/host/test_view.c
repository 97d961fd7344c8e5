// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host unit tests of the cluster view (kmod/view.c, the file the module is
 * built from): reports, quorum and the cluster's verdict on a silent peer.
 */
#include "kselftest_harness.h"
#include "detector.h"
#include "view.h"

#define MS	1000000ULL
#define IVAL	(10 * MS)
#define HOLD_US	20000		/* a rotation of one frame, plus an interval */

/*
 * Members live to us: a bit per id below 64 (ctx), heard without a break
 * since time 0, except member 9: since "joined" (a partition healed).
 */
static unsigned long long joined;

static bool live(void *ctx, u32 member, u64 since)
{
	if (member == 9 && joined > since)
		return false;
	return member < 64 && (*(unsigned long long *)ctx >> member & 1);
}

/* A peer last heard at 1 s, dead to our detector (fall 3, slack 1 interval). */
static const struct hb_view_subject dead_peer = {
	.local = HB_STATE_DEAD,
	.last_rx_ns = 1000 * MS,
	.interval_ns = IVAL,
	.slack_ns = IVAL,
};

/* Now: fall * interval + slack after the last frame. */
#define VERDICT_AT	(1000 * MS + 4 * IVAL)

static void quorum(struct hb_quorum *q, u32 self, u32 nodes, u32 expected,
		   u8 tie, u32 votes)
{
	struct hb_quorum_params p = { .expected_votes = expected, .tie_breaker = tie };

	memset(q, 0, sizeof(*q));
	q->self = self;
	q->nodes = nodes;
	q->lowest = 1;
	q->highest = nodes;
	hb_quorum_decide(q, &p, votes, self == 1, self == nodes);
}

static u8 judge(const struct hb_view *v, unsigned long long members,
		const struct hb_quorum *q, bool *consensus)
{
	struct hb_tally t;

	hb_view_tally(v, &dead_peer, VERDICT_AT, live, &members, q, &t);
	return hb_view_verdict(&dead_peer, HB_STATE_SUSPECT, false, q, &t,
			       consensus);
}

TEST(reports_take_a_slot_each_and_the_oldest_goes)
{
	struct hb_view v = {};
	unsigned long long all = ~0ULL;
	u32 ids[HB_VIEW_REPORTS + 1];
	unsigned int i;

	for (i = 1; i <= HB_VIEW_REPORTS; i++)
		hb_view_report(&v, i, 999 * MS, 1000 * MS + i, HOLD_US);
	EXPECT_EQ(HB_VIEW_REPORTS, hb_view_heard_by(&v, 1001 * MS,
						    live, &all, ids, HB_VIEW_REPORTS));
	/* Again from 5: its slot is updated, nobody else moves. */
	hb_view_report(&v, 5, 0, 1002 * MS, HOLD_US);
	EXPECT_EQ(HB_VIEW_REPORTS - 1,
		  hb_view_heard_by(&v, 1002 * MS, live, &all, NULL, 0));
	/* One more member: the oldest report (member 1's) makes room. */
	hb_view_report(&v, 40, 1002 * MS, 1003 * MS, HOLD_US);
	hb_view_heard_by(&v, 1003 * MS, live, &all, ids, HB_VIEW_REPORTS);
	for (i = 0; i < HB_VIEW_REPORTS - 1; i++)
		EXPECT_NE(1, ids[i]);
	hb_view_forget(&v, 40);
	EXPECT_EQ(HB_VIEW_REPORTS - 2,
		  hb_view_heard_by(&v, 1003 * MS, live, &all, NULL, 0));
	/* A report stands until the next one is due, no longer. */
	EXPECT_EQ(0, hb_view_heard_by(&v, 1003 * MS + HOLD_US * 1000ULL,
				      live, &all, NULL, 0));
}

TEST(only_members_whose_detector_says_alive_hear_a_node)
{
	EXPECT_EQ(1000 * MS - 2 * MS, hb_view_heard_ns(HB_STATE_ALIVE, 2000, ~0U, 1000 * MS));
	/* Overdue, dead, left, never heard: it does not hear it now. */
	EXPECT_EQ(0, hb_view_heard_ns(HB_STATE_SUSPECT, 2000, ~0U, 1000 * MS));
	EXPECT_EQ(0, hb_view_heard_ns(HB_STATE_DEAD, 2000, ~0U, 1000 * MS));
	EXPECT_EQ(0, hb_view_heard_ns(HB_STATE_LEFT, 2000, ~0U, 1000 * MS));
	EXPECT_EQ(0, hb_view_heard_ns(HB_STATE_ALIVE, ~0U, ~0U, 1000 * MS));
	/* Older than our clock: as early as can be, yet heard. */
	EXPECT_EQ(1, hb_view_heard_ns(HB_STATE_ALIVE, 5000, ~0U, 1 * MS));
}

TEST(hold_covers_the_rotation_and_is_bounded)
{
	EXPECT_EQ(20000, hb_view_hold_us(4, 4, 10000));
	EXPECT_EQ(20000, hb_view_hold_us(32, 32, 10000));
	EXPECT_EQ(30000, hb_view_hold_us(33, 32, 10000));
	EXPECT_EQ(170000, hb_view_hold_us(512, 32, 10000));
	EXPECT_EQ(HB_VIEW_HOLD_MAX_US, hb_view_hold_us(65535, 1, 60000000));
	EXPECT_EQ(6000, hb_view_hold_us(5, 0, 1000));	/* never divides by 0 */
}

TEST(a_crash_is_dead_by_consensus_of_the_majority)
{
	/* Five members; 4 and 5 crashed at 1 s; 1 (us), 2 and 3 remain. */
	unsigned long long members = 1 << 2 | 1 << 3;
	struct hb_view v = {};
	struct hb_quorum q;
	bool consensus;

	quorum(&q, 1, 5, 5, HB_TIE_NONE, 3);
	ASSERT_TRUE(q.quorate);
	/* 2 and 3 last heard it when we did, and say so a deadline later. */
	hb_view_report(&v, 2, 1000 * MS, 1000 * MS + 25 * MS, HOLD_US);
	hb_view_report(&v, 3, 1001 * MS, 1000 * MS + 21 * MS, HOLD_US);
	EXPECT_EQ(HB_STATE_DEAD, judge(&v, members, &q, &consensus));
	EXPECT_TRUE(consensus);
}

TEST(reports_made_too_early_leave_it_suspect)
{
	unsigned long long members = 1 << 2 | 1 << 3;
	struct hb_view v = {};
	struct hb_quorum q;
	bool consensus;

	quorum(&q, 1, 5, 5, HB_TIE_NONE, 3);
	/* 3's report came before a frame we missed was even due. */
	hb_view_report(&v, 2, 1000 * MS, 1000 * MS + 25 * MS, HOLD_US);
	hb_view_report(&v, 3, 1000 * MS, 1000 * MS + 15 * MS, HOLD_US);
	EXPECT_EQ(HB_STATE_SUSPECT, judge(&v, members, &q, &consensus));
	EXPECT_FALSE(consensus);
}

TEST(one_way_loss_is_unreachable_not_dead)
{
	/* Three members: 2 still hears the peer (3) that we no longer do. */
	unsigned long long members = 1 << 2;
	struct hb_view v = {};
	struct hb_quorum q;
	bool consensus;

	quorum(&q, 1, 3, 3, HB_TIE_NONE, 3);
	hb_view_report(&v, 2, VERDICT_AT - 3 * MS, VERDICT_AT - 1 * MS, HOLD_US);
	EXPECT_EQ(HB_STATE_UNREACHABLE, judge(&v, members, &q, &consensus));
	EXPECT_FALSE(consensus);
	/* Its report lapses without a new one: no more evidence either way. */
	members = 1 << 2;
	hb_view_report(&v, 2, VERDICT_AT - 3 * MS, VERDICT_AT - HOLD_US * 1000ULL, HOLD_US);
	EXPECT_EQ(HB_STATE_SUSPECT, judge(&v, members, &q, &consensus));
}

TEST(a_minority_never_declares_death_whatever_it_counts)
{
	/* Two of five: 1 (us) and 2, who agrees the peer is silent. */
	unsigned long long members = 1 << 2;
	struct hb_view v = {};
	struct hb_quorum q;
	bool consensus;

	quorum(&q, 1, 5, 5, HB_TIE_NONE, 2);
	EXPECT_FALSE(q.quorate);
	hb_view_report(&v, 2, 1000 * MS, 1000 * MS + 25 * MS, HOLD_US);
	EXPECT_EQ(HB_STATE_SUSPECT, judge(&v, members, &q, &consensus));
	/* Even if stale gossip still counted three votes: two confirm. */
	quorum(&q, 1, 5, 5, HB_TIE_NONE, 3);
	ASSERT_TRUE(q.quorate);
	EXPECT_EQ(HB_STATE_SUSPECT, judge(&v, members, &q, &consensus));
	EXPECT_FALSE(consensus);
}

TEST(reports_of_members_we_do_not_hear_count_for_nothing)
{
	struct hb_view v = {};
	struct hb_quorum q;
	bool consensus;

	quorum(&q, 1, 3, 3, HB_TIE_NONE, 2);
	hb_view_report(&v, 2, 1000 * MS, 1000 * MS + 25 * MS, HOLD_US);
	hb_view_report(&v, 3, VERDICT_AT - 1 * MS, VERDICT_AT, HOLD_US);
	/* Only 2 is live: 3's word that it hears the peer is not taken. */
	EXPECT_EQ(HB_STATE_DEAD, judge(&v, 1 << 2, &q, &consensus));
	/* Only 3 is live: it hears the peer; 2's silence is not taken. */
	EXPECT_EQ(HB_STATE_UNREACHABLE, judge(&v, 1 << 3, &q, &consensus));
}

TEST(members_that_rejoin_after_the_silence_began_do_not_confirm_it)
{
	/* Us (1), 2 and 9: 9 was cut off from us and came back after the
	 * peer's last frame; its report is true, but of another partition.
	 */
	unsigned long long members = 1 << 2 | 1 << 9;
	struct hb_view v = {};
	struct hb_quorum q;
	bool consensus;

	quorum(&q, 1, 5, 5, HB_TIE_NONE, 3);
	hb_view_report(&v, 2, 1000 * MS, 1000 * MS + 25 * MS, HOLD_US);
	hb_view_report(&v, 9, 990 * MS, 1000 * MS + 25 * MS, HOLD_US);
	joined = 1000 * MS + 22 * MS;
	EXPECT_EQ(HB_STATE_SUSPECT, judge(&v, members, &q, &consensus));
	EXPECT_FALSE(consensus);
	/* Had it been with us all along, the three would be a quorum. */
	joined = 0;
	EXPECT_EQ(HB_STATE_DEAD, judge(&v, members, &q, &consensus));
	EXPECT_TRUE(consensus);
}

TEST(two_nodes_need_the_tie_breaker)
{
	struct hb_view v = {};
	struct hb_quorum q;
	bool consensus;

	/* Without one, a half is never quorate. */
	quorum(&q, 1, 2, 2, HB_TIE_NONE, 1);
	EXPECT_FALSE(q.quorate);
	EXPECT_EQ(HB_STATE_SUSPECT, judge(&v, 0, &q, &consensus));
	/* Lowest: node 1 declares 2 dead; node 2 never declares 1 dead. */
	quorum(&q, 1, 2, 2, HB_TIE_LOWEST, 1);
	EXPECT_TRUE(q.quorate);
	EXPECT_EQ(HB_STATE_DEAD, judge(&v, 0, &q, &consensus));
	quorum(&q, 2, 2, 2, HB_TIE_LOWEST, 1);
	EXPECT_FALSE(q.quorate);
	EXPECT_EQ(HB_STATE_SUSPECT, judge(&v, 0, &q, &consensus));
	quorum(&q, 2, 2, 2, HB_TIE_HIGHEST, 1);
	EXPECT_TRUE(q.quorate);
	EXPECT_EQ(HB_STATE_DEAD, judge(&v, 0, &q, &consensus));
}

TEST(two_against_two_exactly_one_side)
{
	struct hb_view v12 = {}, v34 = {};
	struct hb_quorum q;
	bool consensus;

	/* 1 and 2 | 3 and 4; each side's partner confirms the silence. */
	hb_view_report(&v12, 2, 1000 * MS, 1000 * MS + 25 * MS, HOLD_US);
	hb_view_report(&v34, 4, 1000 * MS, 1000 * MS + 25 * MS, HOLD_US);
	quorum(&q, 1, 4, 4, HB_TIE_LOWEST, 2);
	EXPECT_TRUE(q.quorate);
	EXPECT_EQ(HB_STATE_DEAD, judge(&v12, 1 << 2, &q, &consensus));
	quorum(&q, 3, 4, 4, HB_TIE_LOWEST, 2);
	q.lowest = 1;
	EXPECT_FALSE(q.quorate);
	EXPECT_EQ(HB_STATE_SUSPECT, judge(&v34, 1 << 4, &q, &consensus));
}

TEST(expected_votes_below_the_members_do_not_count)
{
	struct hb_quorum q;

	/* Five members but expected 3: two of them are not a quorum. */
	quorum(&q, 1, 5, 3, HB_TIE_NONE, 2);
	EXPECT_EQ(5, q.expected);
	EXPECT_FALSE(q.quorate);
	quorum(&q, 1, 3, 7, HB_TIE_NONE, 3);
	EXPECT_EQ(7, q.expected);
	EXPECT_FALSE(q.quorate);
}

TEST(wait_for_all_holds_quorum_until_every_member_was_seen)
{
	struct hb_quorum_params p = { .expected_votes = 3, .wait_for_all = true };
	struct hb_quorum q = { .self = 1, .nodes = 3, .lowest = 1, .highest = 3 };

	EXPECT_FALSE(hb_quorum_decide(&q, &p, 2, true, false) && q.quorate);
	EXPECT_FALSE(q.quorate);
	EXPECT_TRUE(hb_quorum_decide(&q, &p, 3, true, true));
	EXPECT_TRUE(q.quorate);
	/* Once all were seen, a majority is enough. */
	hb_quorum_decide(&q, &p, 2, true, false);
	EXPECT_TRUE(q.quorate);
	EXPECT_FALSE(hb_quorum_decide(&q, &p, 2, true, false));
}

TEST(consensus_stands_until_we_hear_it_ourselves)
{
	struct hb_view v = {};
	struct hb_quorum q;
	struct hb_tally t;
	struct hb_view_subject s = dead_peer;
	bool consensus;

	quorum(&q, 1, 3, 3, HB_TIE_NONE, 2);
	/* Dead by consensus, then some member says it hears it again. */
	hb_view_report(&v, 2, VERDICT_AT - 1 * MS, VERDICT_AT, HOLD_US);
	hb_view_tally(&v, &s, VERDICT_AT, live, &(unsigned long long){ 1 << 2 }, &q, &t);
	EXPECT_EQ(HB_STATE_DEAD, hb_view_verdict(&s, HB_STATE_DEAD, true, &q, &t,
						 &consensus));
	EXPECT_TRUE(consensus);
	/* A local dead verdict from before quorum was on is not sticky. */
	EXPECT_EQ(HB_STATE_UNREACHABLE,
		  hb_view_verdict(&s, HB_STATE_DEAD, false, &q, &t, &consensus));
	s.local = HB_STATE_ALIVE;
	EXPECT_EQ(HB_STATE_ALIVE, hb_view_verdict(&s, HB_STATE_DEAD, true, &q, &t,
						  &consensus));
	EXPECT_FALSE(consensus);
}

TEST(last_words_need_no_confirmation_but_a_quorum)
{
	struct hb_view v = {};
	struct hb_quorum q;
	struct hb_tally t;
	struct hb_view_subject s = dead_peer;
	bool consensus;

	s.dying = true;
	quorum(&q, 1, 3, 3, HB_TIE_NONE, 2);
	/* Members still hear it (their reports predate its DYING frame). */
	hb_view_report(&v, 2, VERDICT_AT - 1 * MS, VERDICT_AT, HOLD_US);
	hb_view_tally(&v, &s, VERDICT_AT, live, &(unsigned long long){ 1 << 2 }, &q, &t);
	EXPECT_EQ(HB_STATE_DEAD, hb_view_verdict(&s, HB_STATE_ALIVE, false, &q, &t,
						 &consensus));
	EXPECT_TRUE(consensus);
	/* Without quorum here: dead, but not the quorum's word. */
	quorum(&q, 1, 3, 3, HB_TIE_NONE, 1);
	EXPECT_FALSE(q.quorate);
	EXPECT_EQ(HB_STATE_DEAD, hb_view_verdict(&s, HB_STATE_ALIVE, false, &q, &t,
						 &consensus));
	EXPECT_FALSE(consensus);
}

TEST(without_quorum_the_local_verdict_stands)
{
	struct hb_view v = {};
	struct hb_quorum q;
	bool consensus;

	quorum(&q, 1, 3, 0, HB_TIE_NONE, 3);
	EXPECT_FALSE(q.on);
	hb_view_report(&v, 2, VERDICT_AT - 1 * MS, VERDICT_AT, HOLD_US);
	EXPECT_EQ(HB_STATE_DEAD, judge(&v, 1 << 2, &q, &consensus));
	EXPECT_FALSE(consensus);
}

TEST(times_near_the_ends_of_the_clock_do_not_wrap)
{
	struct hb_view_subject s = dead_peer;
	unsigned long long members = 1 << 2;
	struct hb_view v = {};
	struct hb_quorum q;
	struct hb_tally t;
	bool consensus;

	quorum(&q, 1, 3, 3, HB_TIE_NONE, 2);
	/* Never heard (grace ran out), a report at time 0. */
	s.last_rx_ns = 0;
	hb_view_report(&v, 2, 0, 0, HOLD_US);
	hb_view_tally(&v, &s, 5 * MS, live, &members, &q, &t);
	EXPECT_EQ(HB_STATE_SUSPECT, hb_view_verdict(&s, HB_STATE_SUSPECT, false,
						    &q, &t, &consensus));
	/* Times far out: no sum may wrap. */
	s.last_rx_ns = ~0ULL - 100 * MS;
	hb_view_report(&v, 2, ~0ULL - 50 * MS, ~0ULL - 10 * MS, HB_VIEW_HOLD_MAX_US);
	hb_view_tally(&v, &s, ~0ULL - 5 * MS, live, &members, &q, &t);
	EXPECT_EQ(1, t.hearers);
}

TEST_HARNESS_MAIN
