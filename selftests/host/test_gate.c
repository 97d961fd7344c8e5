// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host unit tests of the readiness gates' plain-C part (kmod/gate.c, the
 * very file the module is built from): names, deadlines, kicks, expiry,
 * and what the expired gates make the node's frames say.
 */
#include "kselftest_harness.h"
#include "gate.h"

#define MS	1000000ULL	/* ns */
#define T0	(1000 * MS)	/* a monotonic clock that has run a while */

static bool name_ok(const char *s, size_t len)
{
	size_t n = 99;

	return hb_gate_name_valid(s, len, &n) && n <= HB_GATE_NAME_MAX;
}

TEST(names)
{
	size_t n = 0;

	ASSERT_TRUE(hb_gate_name_valid("db", 3, &n));	/* with its NUL */
	ASSERT_EQ(2, n);
	ASSERT_TRUE(hb_gate_name_valid("db", 2, &n));	/* without */
	ASSERT_EQ(2, n);
	ASSERT_TRUE(name_ok("postgres@main:5432/x_y-z.1", 27));
	ASSERT_TRUE(name_ok("~!", 2));
	/* 31 characters, and 32. */
	ASSERT_TRUE(name_ok("abcdefghijklmnopqrstuvwxyz01234", 32));
	ASSERT_FALSE(name_ok("abcdefghijklmnopqrstuvwxyz012345", 33));
	ASSERT_FALSE(name_ok("abcdefghijklmnopqrstuvwxyz012345", 32));
	/* Empty, with or without a NUL. */
	ASSERT_FALSE(name_ok("", 0));
	ASSERT_FALSE(name_ok("", 1));
	/* Spaces, control characters, non-ASCII, DEL. */
	ASSERT_FALSE(name_ok("my app", 7));
	ASSERT_FALSE(name_ok("tab\there", 9));
	ASSERT_FALSE(name_ok("new\nline", 9));
	ASSERT_FALSE(name_ok("caf\xc3\xa9", 6));
	ASSERT_FALSE(name_ok("del\x7f", 5));
	/* Anything after the NUL, even another NUL. */
	ASSERT_FALSE(name_ok("db\0x", 4));
	ASSERT_FALSE(name_ok("db\0\0", 4));
}

TEST(a_new_gate_is_fresh_for_one_timeout)
{
	struct hb_gate g;

	hb_gate_init(&g, T0, 300000, HB_GATE_NOTREADY);
	ASSERT_FALSE(g.expired);
	ASSERT_EQ(T0 + 300 * MS, g.deadline_ns);
	ASSERT_EQ(0, g.kicks);
	/* A timer that fires early (it never should) expires nothing. */
	ASSERT_FALSE(hb_gate_expire(&g, T0 + 300 * MS - 1));
	ASSERT_FALSE(g.expired);
	ASSERT_TRUE(hb_gate_expire(&g, T0 + 300 * MS));
	ASSERT_TRUE(g.expired);
	ASSERT_EQ(1, g.expiries);
	/* Expiring twice counts once. */
	ASSERT_FALSE(hb_gate_expire(&g, T0 + 900 * MS));
	ASSERT_EQ(1, g.expiries);
}

TEST(kicks_move_the_deadline)
{
	struct hb_gate g;
	u64 t;

	hb_gate_init(&g, T0, 300000, HB_GATE_NOTREADY);
	/* Every 50 ms for a second: never expired. */
	for (t = T0 + 50 * MS; t <= T0 + 1000 * MS; t += 50 * MS) {
		ASSERT_FALSE(hb_gate_expire(&g, t));
		ASSERT_FALSE(hb_gate_kick(&g, t));
	}
	ASSERT_EQ(20, g.kicks);
	ASSERT_EQ(0, g.expiries);
	ASSERT_EQ(T0 + 1300 * MS, g.deadline_ns);
	/* The timer set for an older deadline fires after a kick: no expiry. */
	ASSERT_FALSE(hb_gate_expire(&g, T0 + 1250 * MS));
	ASSERT_FALSE(g.expired);
}

TEST(a_kick_makes_an_expired_gate_fresh_at_once)
{
	struct hb_gate g;

	hb_gate_init(&g, T0, 10000, HB_GATE_SILENCE);
	ASSERT_TRUE(hb_gate_expire(&g, T0 + 10 * MS));
	ASSERT_TRUE(hb_gate_kick(&g, T0 + 500 * MS));
	ASSERT_FALSE(g.expired);
	ASSERT_EQ(T0 + 510 * MS, g.deadline_ns);
	/* A kick of a fresh gate changes nothing but the deadline. */
	ASSERT_FALSE(hb_gate_kick(&g, T0 + 505 * MS));
	ASSERT_EQ(2, g.kicks);
	ASSERT_TRUE(hb_gate_expire(&g, T0 + 515 * MS));
	ASSERT_EQ(2, g.expiries);
}

TEST(since_kick_counts_from_the_add_then_from_each_kick)
{
	struct hb_gate g;

	hb_gate_init(&g, T0, 300000, HB_GATE_NOTREADY);
	ASSERT_EQ(40 * MS, hb_gate_since_kick_ns(&g, T0 + 40 * MS));
	hb_gate_kick(&g, T0 + 100 * MS);
	ASSERT_EQ(7 * MS, hb_gate_since_kick_ns(&g, T0 + 107 * MS));
	/* A clock read before the kick (another CPU) is not negative. */
	ASSERT_EQ(0, hb_gate_since_kick_ns(&g, T0 + 99 * MS));
}

TEST(longest_timeout_does_not_wrap)
{
	struct hb_gate g;
	u64 late = ~0ULL - 3600000000ULL * 1000 - 1;

	hb_gate_init(&g, late, 3600000000U, HB_GATE_NOTREADY);
	ASSERT_EQ(late + 3600000000ULL * 1000, g.deadline_ns);
	ASSERT_GT(g.deadline_ns, late);
	ASSERT_FALSE(hb_gate_expire(&g, late + 3599 * 1000 * MS));
	ASSERT_TRUE(hb_gate_expire(&g, late + 3600 * 1000 * MS));
}

TEST(the_tally_says_what_frames_say)
{
	struct hb_gate_tally t = {};
	struct hb_gate a, b, s;

	hb_gate_init(&a, T0, 10000, HB_GATE_NOTREADY);
	hb_gate_init(&b, T0, 20000, HB_GATE_NOTREADY);
	hb_gate_init(&s, T0, 30000, HB_GATE_SILENCE);
	ASSERT_TRUE(hb_gate_tally_ready(&t));
	ASSERT_FALSE(hb_gate_tally_silent(&t));

	/* Two notready gates expire; one comes back: still not ready. */
	hb_gate_expire(&a, T0 + 10 * MS);
	hb_gate_tally_update(&t, &a, true);
	hb_gate_expire(&b, T0 + 20 * MS);
	hb_gate_tally_update(&t, &b, true);
	ASSERT_FALSE(hb_gate_tally_ready(&t));
	ASSERT_FALSE(hb_gate_tally_silent(&t));
	hb_gate_kick(&a, T0 + 25 * MS);
	hb_gate_tally_update(&t, &a, false);
	ASSERT_FALSE(hb_gate_tally_ready(&t));

	/* A silence gate: silent, and not ready either. */
	hb_gate_expire(&s, T0 + 30 * MS);
	hb_gate_tally_update(&t, &s, true);
	ASSERT_TRUE(hb_gate_tally_silent(&t));
	hb_gate_kick(&b, T0 + 35 * MS);
	hb_gate_tally_update(&t, &b, false);
	ASSERT_FALSE(hb_gate_tally_ready(&t));
	ASSERT_TRUE(hb_gate_tally_silent(&t));
	hb_gate_kick(&s, T0 + 40 * MS);
	hb_gate_tally_update(&t, &s, false);
	ASSERT_TRUE(hb_gate_tally_ready(&t));
	ASSERT_FALSE(hb_gate_tally_silent(&t));
	/* Counting out more than was in never underflows. */
	hb_gate_tally_update(&t, &s, false);
	ASSERT_EQ(0, t.silence);
	ASSERT_TRUE(hb_gate_tally_ready(&t));
}

TEST_HARNESS_MAIN
