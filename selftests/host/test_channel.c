// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host unit tests of a peer's channels (kmod/channel.c, the very file the
 * module is built from).
 */
#include "kselftest_harness.h"
#include "channel.h"

#define MS	1000000ULL

TEST(first_frame_brings_a_channel_up_without_news)
{
	struct hb_channels cs = {};
	struct hb_channel_change c;

	ASSERT_TRUE(hb_channel_heard(&cs, 1, 10 * MS, 40 * MS, &c));
	ASSERT_EQ(1, c.id);
	ASSERT_TRUE(c.up);
	ASSERT_FALSE(c.again);
	ASSERT_EQ(1, hb_channels_up(&cs));
	ASSERT_EQ(1, hb_channels_known(&cs));
	ASSERT_EQ(50 * MS, hb_channel_next_expiry(&cs));
	/* The next frame changes no count. */
	ASSERT_FALSE(hb_channel_heard(&cs, 1, 20 * MS, 40 * MS, &c));
	ASSERT_EQ(60 * MS, hb_channel_next_expiry(&cs));
}

TEST(silent_channel_goes_down_and_its_return_is_news)
{
	struct hb_channels cs = {};
	struct hb_channel_change c;

	hb_channel_heard(&cs, 1, 0, 40 * MS, &c);
	hb_channel_heard(&cs, 2, 0, 40 * MS, &c);
	hb_channel_heard(&cs, 2, 30 * MS, 40 * MS, &c);
	ASSERT_FALSE(hb_channel_expire(&cs, 39 * MS, 5 * MS, &c));
	ASSERT_TRUE(hb_channel_expire(&cs, 40 * MS, 5 * MS, &c));
	ASSERT_EQ(1, c.id);
	ASSERT_FALSE(c.up);
	ASSERT_FALSE(hb_channel_expire(&cs, 40 * MS, 5 * MS, &c));
	ASSERT_EQ(1, hb_channels_up(&cs));
	ASSERT_EQ(2, hb_channels_known(&cs));
	ASSERT_EQ(70 * MS, hb_channel_next_expiry(&cs));

	ASSERT_TRUE(hb_channel_heard(&cs, 1, 50 * MS, 40 * MS, &c));
	ASSERT_TRUE(c.again);
	ASSERT_EQ(2, hb_channels_up(&cs));
}

TEST(found_late_after_a_stall_a_channel_gets_more_time_once)
{
	struct hb_channels cs = {};
	struct hb_channel_change c;

	hb_channel_heard(&cs, 1, 0, 40 * MS, &c);
	/* This host stalled: 30 ms past the time, more than 5 ms late. */
	ASSERT_FALSE(hb_channel_expire(&cs, 70 * MS, 5 * MS, &c));
	ASSERT_EQ(1, hb_channels_up(&cs));
	ASSERT_EQ(75 * MS, hb_channel_next_expiry(&cs));
	/* A frame that waited in a queue keeps it up. */
	hb_channel_heard(&cs, 1, 71 * MS, 40 * MS, &c);
	ASSERT_FALSE(hb_channel_expire(&cs, 75 * MS, 5 * MS, &c));
	/* Silent again and found late: once more, then down however late. */
	ASSERT_FALSE(hb_channel_expire(&cs, 200 * MS, 5 * MS, &c));
	ASSERT_TRUE(hb_channel_expire(&cs, 300 * MS, 5 * MS, &c));
	ASSERT_EQ(0, hb_channels_up(&cs));
}

TEST(carrier_loss_takes_a_channel_down_at_once)
{
	struct hb_channels cs = {};
	struct hb_channel_change c;

	hb_channel_heard(&cs, 3, 0, 40 * MS, &c);
	ASSERT_FALSE(hb_channel_down(&cs, 4, &c));
	ASSERT_FALSE(hb_channel_down(&cs, 0, &c));
	ASSERT_TRUE(hb_channel_down(&cs, 3, &c));
	ASSERT_EQ(3, c.id);
	ASSERT_FALSE(c.up);
	ASSERT_FALSE(hb_channel_down(&cs, 3, &c));
	ASSERT_EQ(0, hb_channels_up(&cs));
	ASSERT_EQ(0, hb_channel_next_expiry(&cs));
}

TEST(every_channel_expiring_at_once_is_taken_one_by_one)
{
	struct hb_channels cs = {};
	struct hb_channel_change c;
	int n = 0;

	hb_channel_heard(&cs, 1, 0, 40 * MS, &c);
	hb_channel_heard(&cs, 2, 1, 40 * MS, &c);
	hb_channel_heard(&cs, HB_CHANNEL_DISK, 2, 40 * MS, &c);
	while (hb_channel_expire(&cs, 100 * MS, 100 * MS, &c))
		n++;
	ASSERT_EQ(3, n);
	ASSERT_EQ(0, hb_channels_up(&cs));
	ASSERT_EQ(3, hb_channels_known(&cs));
}

TEST(retime_moves_network_channels_only)
{
	struct hb_channels cs = {};
	struct hb_channel_change c;

	hb_channel_heard(&cs, HB_CHANNEL_DISK, 0, 3000 * MS, &c);
	hb_channel_heard(&cs, 1, 10 * MS, 40 * MS, &c);
	hb_channel_retime(&cs, 400 * MS);
	ASSERT_EQ(410 * MS, hb_channel_next_expiry(&cs));
	hb_channel_retime(&cs, 4000 * MS);
	ASSERT_EQ(3000 * MS, hb_channel_next_expiry(&cs));
}

TEST(forget_and_reset_are_silent)
{
	struct hb_channels cs = {};
	struct hb_channel_change c;

	hb_channel_heard(&cs, 1, 0, 40 * MS, &c);
	hb_channel_heard(&cs, 2, 0, 40 * MS, &c);
	hb_channel_forget(&cs, 0);
	hb_channel_forget(&cs, 7);
	ASSERT_EQ(2, hb_channels_known(&cs));
	hb_channel_forget(&cs, 1);
	ASSERT_EQ(1, hb_channels_known(&cs));
	hb_channel_expire(&cs, 50 * MS, 5 * MS, &c);
	hb_channels_reset(&cs);
	ASSERT_EQ(0, hb_channels_known(&cs));
	/* After a reset a channel is new again: its first frame is no news. */
	hb_channel_heard(&cs, 2, 60 * MS, 40 * MS, &c);
	ASSERT_FALSE(c.again);
}

TEST(full_table_replaces_a_down_channel_first)
{
	struct hb_channels cs = {};
	struct hb_channel_change c;
	u16 id;

	for (id = 1; id <= HB_CHANNELS_MAX; id++)
		hb_channel_heard(&cs, id, id * MS, 40 * MS, &c);
	/* Channel 5 goes down; channel 1 is the least recently heard. */
	hb_channel_down(&cs, 5, &c);
	ASSERT_TRUE(hb_channel_heard(&cs, 20, 30 * MS, 40 * MS, &c));
	ASSERT_FALSE(c.again);
	ASSERT_EQ(HB_CHANNELS_MAX, hb_channels_known(&cs));
	ASSERT_EQ(HB_CHANNELS_MAX, hb_channels_up(&cs));
	ASSERT_FALSE(hb_channel_down(&cs, 5, &c));
	/* All up: the least recently heard (1) gives way. */
	hb_channel_heard(&cs, 21, 31 * MS, 40 * MS, &c);
	ASSERT_FALSE(hb_channel_down(&cs, 1, &c));
	ASSERT_TRUE(hb_channel_down(&cs, 2, &c));
}

TEST_HARNESS_MAIN
