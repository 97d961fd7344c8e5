// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host unit tests of the shared disk's layout and rules (kmod/disk_layout.c,
 * the very file the module is built from).
 */
#include "kselftest_harness.h"
#include "disk_layout.h"

#define S	1000000000ULL

static u8 blk[HB_DISK_BLOCK];

TEST(crc32_is_the_ieee_one)
{
	/* The check value of CRC-32/ISO-HDLC. */
	ASSERT_EQ(0xcbf43926U, hb_disk_crc32(0, (const u8 *)"123456789", 9));
	/* Computed in two pieces, the same. */
	ASSERT_EQ(0xcbf43926U,
		  hb_disk_crc32(hb_disk_crc32(0, (const u8 *)"1234", 4),
				(const u8 *)"56789", 5));
}

TEST(region_geometry)
{
	ASSERT_EQ(34, hb_disk_region_blocks(16));
	ASSERT_EQ(1 + 3, hb_disk_slot_block(16, 3));
	ASSERT_EQ(1 + 1, hb_disk_slot_block(16, 17));
	ASSERT_EQ(1 + 3 + 16, hb_disk_mailbox_block(16, hb_disk_slot_block(16, 3)));
	ASSERT_EQ(33, hb_disk_arb_block(16));
}

TEST(header_round_trip_and_every_refusal)
{
	struct hb_disk_header h = { .version = HB_DISK_VERSION, .slots = 16, .cluster = 7 };
	struct hb_disk_header got;

	memset(blk, 0, sizeof(blk));
	ASSERT_EQ(HB_DISK_EMPTY, hb_disk_header_check(blk, 16, 7));
	hb_disk_header_put(blk, &h);
	ASSERT_EQ(HB_DISK_OK, hb_disk_header_get(blk, &got));
	ASSERT_EQ(16, got.slots);
	ASSERT_EQ(7, got.cluster);
	ASSERT_EQ(HB_DISK_OK, hb_disk_header_check(blk, 16, 7));
	/* Another cluster's region, or another geometry. */
	ASSERT_EQ(HB_DISK_MISMATCH, hb_disk_header_check(blk, 16, 8));
	ASSERT_EQ(HB_DISK_MISMATCH, hb_disk_header_check(blk, 32, 7));
	/* A version we do not know, with a good CRC. */
	h.version = 2;
	hb_disk_header_put(blk, &h);
	ASSERT_EQ(HB_DISK_MISMATCH, hb_disk_header_check(blk, 16, 7));
	/* One bit flipped anywhere in the fields. */
	h.version = HB_DISK_VERSION;
	hb_disk_header_put(blk, &h);
	blk[17] ^= 0x10;
	ASSERT_EQ(HB_DISK_CORRUPT, hb_disk_header_check(blk, 16, 7));
	/* Someone else's data: a file system, say. */
	memset(blk, 0x5a, sizeof(blk));
	ASSERT_EQ(HB_DISK_CORRUPT, hb_disk_header_check(blk, 16, 7));
}

TEST(slot_round_trip_and_corruption)
{
	struct hb_disk_slot s = {
		.node_id = 3, .incarnation = 1795744536250595520ULL, .seq = 42,
		.time_ns = 1795744536350595520ULL, .interval_us = 1000000,
		.flags = HB_DISK_SLOT_FENCED, .key_id = 9,
	}, got;
	struct hb_disk_mailbox m = { .target = 3, .from = 1,
				     .command = HB_DISK_CMD_POISON, .seq = 1 };

	memset(blk, 0, sizeof(blk));
	ASSERT_EQ(HB_DISK_EMPTY, hb_disk_slot_get(blk, &got));
	hb_disk_slot_put(blk, &s);
	ASSERT_EQ(HB_DISK_OK, hb_disk_slot_get(blk, &got));
	ASSERT_EQ(0, memcmp(&s, &got, sizeof(s)));
	/* The MAC's room is outside the sealed fields. */
	blk[HB_DISK_MAC_OFFSET] = 0xff;
	ASSERT_EQ(HB_DISK_OK, hb_disk_slot_get(blk, &got));
	blk[24] ^= 1;
	ASSERT_EQ(HB_DISK_CORRUPT, hb_disk_slot_get(blk, &got));
	/* A mailbox where a slot should be is no slot. */
	hb_disk_mailbox_put(blk, &m);
	ASSERT_EQ(HB_DISK_CORRUPT, hb_disk_slot_get(blk, &got));
	/* Sealed but meaningless: node 0. */
	s.node_id = 0;
	hb_disk_slot_put(blk, &s);
	ASSERT_EQ(HB_DISK_CORRUPT, hb_disk_slot_get(blk, &got));
}

TEST(mailbox_and_arbitration_round_trip)
{
	struct hb_disk_mailbox m = {
		.target = 4, .target_incarnation = 77, .from = 1,
		.command = HB_DISK_CMD_POISON, .seq = 5, .time_ns = 123, .key_id = 2,
	}, mgot;
	struct hb_disk_arb a = { .holder = 2, .holder_incarnation = 9, .seq = 11,
				 .time_ns = 456 }, agot;

	hb_disk_mailbox_put(blk, &m);
	ASSERT_EQ(HB_DISK_OK, hb_disk_mailbox_get(blk, &mgot));
	ASSERT_EQ(0, memcmp(&m, &mgot, sizeof(m)));
	hb_disk_arb_put(blk, &a);
	ASSERT_EQ(HB_DISK_OK, hb_disk_arb_get(blk, &agot));
	ASSERT_EQ(0, memcmp(&a, &agot, sizeof(a)));
	blk[4] ^= 0x80;
	ASSERT_EQ(HB_DISK_CORRUPT, hb_disk_arb_get(blk, &agot));
	memset(blk, 0, sizeof(blk));
	ASSERT_EQ(HB_DISK_EMPTY, hb_disk_arb_get(blk, &agot));
}

TEST(a_slot_proves_life_by_moving)
{
	struct hb_disk_watch w = {};
	struct hb_disk_slot s = { .node_id = 2, .incarnation = 10, .seq = 5 };

	/* A first sighting only records: the block may be years old. */
	ASSERT_FALSE(hb_disk_watch_update(&w, &s, 1 * S));
	ASSERT_FALSE(hb_disk_watch_update(&w, &s, 2 * S));
	s.seq = 6;
	ASSERT_TRUE(hb_disk_watch_update(&w, &s, 3 * S));
	ASSERT_EQ(3 * S, w.advanced_ns);
	/* A sequence going back is no life (a stale or replayed block). */
	s.seq = 4;
	ASSERT_FALSE(hb_disk_watch_update(&w, &s, 4 * S));
	/* A restart (new incarnation) is. */
	s.incarnation = 11;
	s.seq = 1;
	ASSERT_TRUE(hb_disk_watch_update(&w, &s, 5 * S));
	/* Another node in the slot starts over. */
	s.node_id = 18;
	s.seq = 100;
	ASSERT_FALSE(hb_disk_watch_update(&w, &s, 6 * S));
	ASSERT_EQ(18, w.node_id);
}

static bool ally_of_1(void *ctx, u32 id)
{
	return id == 1 || id == 2;
}

TEST(arbitration_free_is_taken_and_held_by_the_last_writer)
{
	struct hb_disk_arb_view v1 = {}, v3 = {};
	struct hb_disk_arb free = {}, by1 = { .holder = 1, .holder_incarnation = 10, .seq = 1 };
	struct hb_disk_arb by3 = { .holder = 3, .holder_incarnation = 30, .seq = 1 };

	/* Nodes 1 and 3, of opposite halves, both find it free and write. */
	ASSERT_EQ(HB_DISK_ARB_TAKE, hb_disk_arb_step(&v1, &free, 1, 10, ally_of_1, NULL, 0, 4 * S));
	ASSERT_EQ(HB_DISK_ARB_TAKE, hb_disk_arb_step(&v3, &free, 3, 30, NULL, NULL, 0, 4 * S));
	/* 3 wrote last: both read that. */
	ASSERT_EQ(HB_DISK_ARB_LOST, hb_disk_arb_step(&v1, &by3, 1, 10, ally_of_1, NULL, 1 * S, 4 * S));
	ASSERT_EQ(HB_DISK_ARB_HOLD, hb_disk_arb_step(&v3, &by3, 3, 30, NULL, NULL, 1 * S, 4 * S));
	/* Our own block from a previous incarnation is not ours. */
	ASSERT_NE(HB_DISK_ARB_HOLD, hb_disk_arb_step(&v1, &by1, 1, 11, ally_of_1, NULL, 2 * S, 4 * S));
}

TEST(arbitration_ally_counts_only_while_seen_renewing)
{
	struct hb_disk_arb_view v = {};
	struct hb_disk_arb by2 = { .holder = 2, .holder_incarnation = 20, .seq = 7 };

	/* First sighting: not yet proof that 2 renews it. */
	ASSERT_EQ(HB_DISK_ARB_LOST, hb_disk_arb_step(&v, &by2, 1, 10, ally_of_1, NULL, 0, 4 * S));
	by2.seq++;
	ASSERT_EQ(HB_DISK_ARB_ALLY, hb_disk_arb_step(&v, &by2, 1, 10, ally_of_1, NULL, 1 * S, 4 * S));
	ASSERT_EQ(HB_DISK_ARB_ALLY, hb_disk_arb_step(&v, &by2, 1, 10, ally_of_1, NULL, 2 * S + S / 2, 4 * S));
	/* Half a lease without a renewal: no longer quorate by it... */
	ASSERT_EQ(HB_DISK_ARB_LOST, hb_disk_arb_step(&v, &by2, 1, 10, ally_of_1, NULL, 3 * S, 4 * S));
	/* ... and a whole lease: ours to take. */
	ASSERT_EQ(HB_DISK_ARB_TAKE, hb_disk_arb_step(&v, &by2, 1, 10, ally_of_1, NULL, 5 * S, 4 * S));
}

TEST(arbitration_lost_until_the_other_half_stops_renewing)
{
	struct hb_disk_arb_view v = {};
	struct hb_disk_arb by3 = { .holder = 3, .holder_incarnation = 30, .seq = 1 };
	u64 t;

	for (t = 0; t < 20 * S; t += S) {
		by3.seq++;
		ASSERT_EQ(HB_DISK_ARB_LOST,
			  hb_disk_arb_step(&v, &by3, 1, 10, ally_of_1, NULL, t, 4 * S));
	}
	/* 3 stops (its last renewal was seen at t - 1 s): a lease later, take it. */
	ASSERT_EQ(HB_DISK_ARB_LOST, hb_disk_arb_step(&v, &by3, 1, 10, ally_of_1, NULL, t + 3 * S - 1, 4 * S));
	ASSERT_EQ(HB_DISK_ARB_TAKE, hb_disk_arb_step(&v, &by3, 1, 10, ally_of_1, NULL, t + 3 * S, 4 * S));
	/* A clock that went back counts as no time: the lease stands. */
	ASSERT_EQ(HB_DISK_ARB_LOST, hb_disk_arb_step(&v, &by3, 1, 10, ally_of_1, NULL, 0, 4 * S));
}

TEST_HARNESS_MAIN
