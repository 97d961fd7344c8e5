// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host unit tests of a peer's identity check (kmod/ident.c, the file the
 * module is built from): no single frame changes who a peer is.
 */
#include <stdlib.h>

#include "kselftest_harness.h"
#include "ident.h"

#define MS	1000000ULL
#define INC	5000

static const struct hb_ident_params rise2 = { .rise = 2, .lower_ok = true };
static const struct hb_ident_params strict = { .rise = 2, .lower_ok = false };

static enum hb_ident_verdict rx(struct hb_ident *id, unsigned long long inc,
				unsigned int link, unsigned long long seq,
				unsigned long long t)
{
	return hb_ident_rx(id, inc, link, seq, t, &rise2);
}

/* A peer heard on link 1 up to seq 100 at 1 s. */
static void known(struct hb_ident *id)
{
	hb_ident_init(id);
	if (rx(id, INC, 1, 100, 1000 * MS) != HB_IDENT_ACCEPT)
		abort();
}

TEST(first_frame_is_taken_and_the_stream_must_advance)
{
	struct hb_ident id;

	known(&id);
	EXPECT_EQ(HB_IDENT_ACCEPT, rx(&id, INC, 1, 101, 1010 * MS));
	EXPECT_EQ(HB_IDENT_STALE, rx(&id, INC, 1, 101, 1011 * MS));
	EXPECT_EQ(HB_IDENT_STALE, rx(&id, INC, 1, 50, 1012 * MS));
	/* Another link of the sender is its own stream. */
	EXPECT_EQ(HB_IDENT_ACCEPT, rx(&id, INC, 2, 7, 1013 * MS));
	/* Link ids the wire cannot carry. */
	EXPECT_EQ(HB_IDENT_STALE, rx(&id, INC, 0, 200, 1014 * MS));
	EXPECT_EQ(HB_IDENT_STALE, rx(&id, INC, HB_LINK_ID_MAX + 1, 200, 1014 * MS));
}

TEST(one_frame_of_a_higher_incarnation_changes_nothing)
{
	struct hb_ident id;
	int i;

	known(&id);
	EXPECT_EQ(HB_IDENT_PENDING, rx(&id, INC + 1000000, 1, 1, 1001 * MS));
	/* The live sender goes on; the stray frame is forgotten. */
	for (i = 1; i <= 100; i++)
		EXPECT_EQ(HB_IDENT_ACCEPT, rx(&id, INC, 1, 100 + i, (1001 + i) * MS));
	EXPECT_EQ(INC, id.incarnation);
	/* Even stray frames again and again, between the genuine ones. */
	for (i = 1; i <= 100; i++) {
		EXPECT_EQ(HB_IDENT_PENDING,
			  rx(&id, INC + 1000000, 1, 1 + i, (1200 + 2 * i) * MS));
		EXPECT_EQ(HB_IDENT_ACCEPT,
			  rx(&id, INC, 1, 200 + i, (1201 + 2 * i) * MS));
	}
	EXPECT_EQ(INC, id.incarnation);
}

TEST(a_restart_is_taken_after_rise_frames_in_a_row)
{
	struct hb_ident id;

	known(&id);
	EXPECT_EQ(HB_IDENT_PENDING, rx(&id, INC + 7, 1, 1, 2000 * MS));
	EXPECT_EQ(HB_IDENT_RESTART, rx(&id, INC + 7, 1, 2, 2010 * MS));
	EXPECT_EQ(INC + 7, id.incarnation);
	/* The old incarnation's late frames are refused from now on. */
	EXPECT_EQ(HB_IDENT_OLD, rx(&id, INC, 1, 102, 2011 * MS));
	EXPECT_EQ(HB_IDENT_ACCEPT, rx(&id, INC + 7, 1, 3, 2020 * MS));
}

TEST(rise_one_takes_a_restart_at_once)
{
	struct hb_ident_params one = { .rise = 1, .lower_ok = true };
	struct hb_ident id;

	known(&id);
	EXPECT_EQ(HB_IDENT_RESTART, hb_ident_rx(&id, INC + 1, 1, 1, 2000 * MS, &one));
}

TEST(the_live_sender_puts_a_candidate_down)
{
	struct hb_ident id;

	known(&id);
	EXPECT_EQ(HB_IDENT_PENDING, rx(&id, INC + 7, 1, 1, 2000 * MS));
	EXPECT_EQ(HB_IDENT_ACCEPT, rx(&id, INC, 2, 1, 2001 * MS));
	/* Not two in a row any more: it starts over. */
	EXPECT_EQ(HB_IDENT_PENDING, rx(&id, INC + 7, 1, 2, 2010 * MS));
	EXPECT_EQ(HB_IDENT_RESTART, rx(&id, INC + 7, 1, 3, 2020 * MS));
}

TEST(a_restart_with_the_clock_behind_is_taken_when_allowed)
{
	struct hb_ident id;

	known(&id);
	EXPECT_EQ(HB_IDENT_PENDING, rx(&id, INC - 4000, 1, 1, 2000 * MS));
	EXPECT_EQ(HB_IDENT_RESTART, rx(&id, INC - 4000, 1, 2, 2010 * MS));
	EXPECT_EQ(INC - 4000, id.incarnation);

	/* Where a lower incarnation may be a replay, it is refused. */
	known(&id);
	EXPECT_EQ(HB_IDENT_OLD, hb_ident_rx(&id, INC - 4000, 1, 1, 2000 * MS, &strict));
	EXPECT_EQ(HB_IDENT_OLD, hb_ident_rx(&id, INC - 4000, 1, 2, 2010 * MS, &strict));
	EXPECT_EQ(INC, id.incarnation);
}

TEST(incarnations_left_behind_are_refused)
{
	struct hb_ident id;

	known(&id);
	rx(&id, INC + 1, 1, 1, 2000 * MS);
	EXPECT_EQ(HB_IDENT_RESTART, rx(&id, INC + 1, 1, 2, 2010 * MS));
	/* A replay of the first incarnation, however many frames. */
	EXPECT_EQ(HB_IDENT_OLD, rx(&id, INC, 1, 101, 2020 * MS));
	EXPECT_EQ(HB_IDENT_OLD, rx(&id, INC, 1, 102, 2030 * MS));
	EXPECT_EQ(HB_IDENT_OLD, rx(&id, INC, 1, 103, 2040 * MS));
	EXPECT_EQ(INC + 1, id.incarnation);
}

TEST(a_sequence_jump_is_taken_on_evidence_only)
{
	struct hb_ident id;

	known(&id);
	/* 10^9 frames in 10 ms: no sender counts that fast. */
	EXPECT_EQ(HB_IDENT_PENDING, rx(&id, INC, 1, 1000000000ULL, 1010 * MS));
	EXPECT_EQ(HB_IDENT_ACCEPT, rx(&id, INC, 1, 101, 1011 * MS));
	EXPECT_EQ(100 + 1, id.streams[0].seq);
	/* Confirmed by rise frames in a row continuing it. */
	EXPECT_EQ(HB_IDENT_PENDING, rx(&id, INC, 1, 5000000, 1020 * MS));
	EXPECT_EQ(HB_IDENT_STALE, rx(&id, INC, 1, 5000000, 1021 * MS));
	EXPECT_EQ(HB_IDENT_ACCEPT, rx(&id, INC, 1, 5000001, 1030 * MS));
	EXPECT_EQ(5000001, id.streams[0].seq);
	EXPECT_EQ(HB_IDENT_STALE, rx(&id, INC, 1, 102, 1031 * MS));
}

TEST(a_long_silence_allows_a_long_gap)
{
	struct hb_ident id;

	known(&id);
	/* 10 s at most one frame a millisecond. */
	EXPECT_EQ(HB_IDENT_ACCEPT, rx(&id, INC, 1, 100 + 10000, 11000 * MS));
}

TEST(replay_marks_are_kept_for_every_link_id)
{
	struct hb_ident id;
	unsigned int link;

	known(&id);
	for (link = 1; link <= HB_LINK_ID_MAX; link++)
		EXPECT_EQ(HB_IDENT_ACCEPT, rx(&id, INC, link, 1000 + link, 2000 * MS));
	/* Link 1's mark was not given up for the 31 others. */
	EXPECT_EQ(HB_IDENT_STALE, rx(&id, INC, 1, 1000, 3000 * MS));
	EXPECT_EQ(HB_IDENT_STALE, rx(&id, INC, 1, 100, 3000 * MS));
}

TEST(a_restarted_sender_with_two_links_is_confirmed)
{
	struct hb_ident id;

	known(&id);
	EXPECT_EQ(HB_IDENT_PENDING, rx(&id, INC + 1, 1, 1, 2000 * MS));
	EXPECT_EQ(HB_IDENT_PENDING, rx(&id, INC + 1, 2, 1, 2001 * MS));
	EXPECT_EQ(HB_IDENT_RESTART, rx(&id, INC + 1, 1, 2, 2010 * MS));
	/* Its other link's stream is new in the new incarnation. */
	EXPECT_EQ(HB_IDENT_ACCEPT, rx(&id, INC + 1, 2, 2, 2011 * MS));
}

TEST_HARNESS_MAIN
