// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host unit tests of the wire codec (kmod/proto.c, the very file the module
 * is built from).
 */
#include <stdio.h>

#include "kselftest_harness.h"
#include "proto.h"

static const struct hb_msg sample = {
	.type = HB_MSG_HEARTBEAT,
	.link_id = 2,
	.flags = 0,
	.cluster = 0x01020304,
	.node_id = 0xa0b0c0d0,
	.incarnation = 0x1122334455667788ULL,
	.seq = 42,
	.tx_time_ns = 0x0102030405060708ULL,
	.interval_us = 10000,
};

static int encode(const struct hb_msg *m, unsigned char *buf, size_t size)
{
	return hb_msg_encode(buf, size, m);
}

TEST(layout_is_big_endian_and_packed)
{
	unsigned char buf[HB_MSG_MAX];
	static const unsigned char want[HB_HDR_LEN] = {
		0x48, 0x42, 0x01, 0x01, 0x00, 0x30, 0x00, 0x02,
		0x01, 0x02, 0x03, 0x04, 0xa0, 0xb0, 0xc0, 0xd0,
		0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
		0, 0, 0, 0, 0, 0, 0, 42,
		0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
		0x00, 0x00, 0x27, 0x10, 0x00, 0x00, 0x00, 0x00,
	};

	ASSERT_EQ(HB_HDR_LEN, encode(&sample, buf, sizeof(buf)));
	ASSERT_EQ(0, memcmp(buf, want, HB_HDR_LEN));
}

TEST(round_trip)
{
	unsigned char buf[HB_MSG_MAX];
	struct hb_msg m;
	int len = encode(&sample, buf, sizeof(buf));

	ASSERT_EQ(HB_DECODE_OK, hb_msg_decode(buf, len, &m));
	EXPECT_EQ(sample.type, m.type);
	EXPECT_EQ(sample.link_id, m.link_id);
	EXPECT_EQ(sample.cluster, m.cluster);
	EXPECT_EQ(sample.node_id, m.node_id);
	EXPECT_EQ(sample.incarnation, m.incarnation);
	EXPECT_EQ(sample.seq, m.seq);
	EXPECT_EQ(sample.tx_time_ns, m.tx_time_ns);
	EXPECT_EQ(sample.interval_us, m.interval_us);
	EXPECT_EQ(HB_HDR_LEN, m.length);
	EXPECT_EQ(0, m.tlvs_len);
}

TEST(ethernet_padding_is_ignored)
{
	unsigned char buf[HB_MSG_MAX] = { 0 };
	struct hb_msg m;
	int len = encode(&sample, buf, sizeof(buf));

	ASSERT_EQ(HB_DECODE_OK, hb_msg_decode(buf, len + 12, &m));
	EXPECT_EQ(HB_HDR_LEN, m.length);
}

TEST(every_truncation_is_refused)
{
	unsigned char buf[HB_MSG_MAX];
	struct hb_msg m;
	int len = encode(&sample, buf, sizeof(buf));
	int cut;

	for (cut = 0; cut < len; cut++) {
		int err = hb_msg_decode(buf, cut, &m);

		EXPECT_NE(HB_DECODE_OK, err);
		EXPECT_EQ(cut < HB_HDR_LEN ? HB_DECODE_SHORT : HB_DECODE_LENGTH, err);
	}
}

struct bad_case {
	int offset;
	unsigned char value;
	int want;
};

TEST(bad_fields_map_to_their_reasons)
{
	static const struct bad_case cases[] = {
		{ 0, 0x00, HB_DECODE_MAGIC },
		{ 2, 0x02, HB_DECODE_VERSION },
		{ 2, 0x00, HB_DECODE_VERSION },
		{ 3, 0x00, HB_DECODE_TYPE },
		{ 3, 0x07, HB_DECODE_TYPE },
		{ 3, 0x03, HB_DECODE_TLV },	/* a probe without its TLV */
		{ 4, 0xff, HB_DECODE_LENGTH },	/* length 0xff30 */
		{ 5, 0x2f, HB_DECODE_LENGTH },	/* shorter than the header */
		{ 5, 0x31, HB_DECODE_LENGTH },	/* longer than the buffer */
	};
	unsigned char buf[HB_MSG_MAX];
	struct hb_msg m;
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int len = encode(&sample, buf, sizeof(buf));

		buf[cases[i].offset] = cases[i].value;
		EXPECT_EQ(cases[i].want, hb_msg_decode(buf, len, &m))
			TH_LOG("case %u", i);
	}
}

TEST(zero_ids_and_intervals_out_of_range_are_refused)
{
	unsigned char buf[HB_MSG_MAX];
	struct hb_msg m, bad;

	bad = sample;
	bad.node_id = 0;
	EXPECT_EQ(HB_DECODE_FIELD, hb_msg_decode(buf, encode(&bad, buf, sizeof(buf)), &m));
	bad = sample;
	bad.seq = 0;
	EXPECT_EQ(HB_DECODE_FIELD, hb_msg_decode(buf, encode(&bad, buf, sizeof(buf)), &m));
	bad = sample;
	bad.incarnation = 0;
	EXPECT_EQ(HB_DECODE_FIELD, hb_msg_decode(buf, encode(&bad, buf, sizeof(buf)), &m));
	bad = sample;
	bad.interval_us = 999;
	EXPECT_EQ(HB_DECODE_FIELD, hb_msg_decode(buf, encode(&bad, buf, sizeof(buf)), &m));
	bad.interval_us = 60000001;
	EXPECT_EQ(HB_DECODE_FIELD, hb_msg_decode(buf, encode(&bad, buf, sizeof(buf)), &m));
	bad.interval_us = 1000;
	EXPECT_EQ(HB_DECODE_OK, hb_msg_decode(buf, encode(&bad, buf, sizeof(buf)), &m));
}

TEST(link_ids_outside_one_to_32_are_refused)
{
	unsigned char buf[HB_MSG_MAX];
	struct hb_msg m = sample, out;
	static const unsigned int bad[] = { 0, HB_LINK_ID_MAX + 1, 0xffff };
	unsigned int i;

	m.link_id = HB_LINK_ID_MAX;
	ASSERT_EQ(HB_DECODE_OK, hb_msg_decode(buf, encode(&m, buf, sizeof(buf)), &out));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		m.link_id = (u16)bad[i];
		EXPECT_EQ(HB_DECODE_FIELD,
			  hb_msg_decode(buf, encode(&m, buf, sizeof(buf)), &out));
	}
}

static int with_tlvs(unsigned char *buf, const unsigned char *tlvs, size_t n)
{
	struct hb_msg m = sample;

	m.tlvs = tlvs;
	m.tlvs_len = (unsigned short)n;
	return encode(&m, buf, HB_MSG_MAX);
}

TEST(echo_tlv_round_trip_and_malformed_ones)
{
	static const struct hb_echo want[3] = {
		{ .node_id = 7, .link_id = 1, .seq = 0x0102030405060708ULL },
		{ .node_id = 9, .link_id = 32, .seq = 1 },
		{ .node_id = 0xffffffff, .link_id = 2, .seq = 5 },
	};
	unsigned char buf[HB_MSG_MAX], tlvs[HB_MSG_MAX];
	size_t n = 0;
	struct hb_echo e;
	struct hb_msg m;

	ASSERT_EQ(0, hb_echo_put(tlvs, sizeof(tlvs), &n, want, 3));
	ASSERT_EQ(HB_TLV_HDR_LEN + 3 * HB_ECHO_ENTRY_LEN, n);
	ASSERT_EQ(HB_DECODE_OK, hb_msg_decode(buf, with_tlvs(buf, tlvs, n), &m));
	EXPECT_EQ(3, m.echo_count);
	ASSERT_TRUE(hb_echo_find(&m, 9, &e));
	EXPECT_EQ(32, e.link_id);
	EXPECT_EQ(1, e.seq);
	ASSERT_TRUE(hb_echo_find(&m, 7, &e));
	EXPECT_EQ(want[0].seq, e.seq);
	EXPECT_FALSE(hb_echo_find(&m, 8, &e));
	EXPECT_EQ(-1, hb_echo_put(tlvs, sizeof(tlvs), &n, want, 0));
	EXPECT_EQ(-1, hb_echo_put(tlvs, sizeof(tlvs), &n, want, HB_ECHO_MAX + 1));

	/* Not a whole number of entries, or two ECHO TLVs: malformed. */
	tlvs[3] = HB_ECHO_ENTRY_LEN + 4;
	EXPECT_EQ(HB_DECODE_TLV, hb_msg_decode(buf, with_tlvs(buf, tlvs, HB_TLV_HDR_LEN + 20), &m));
	n = 0;
	hb_echo_put(tlvs, sizeof(tlvs), &n, want, 1);
	hb_echo_put(tlvs, sizeof(tlvs), &n, want, 1);
	EXPECT_EQ(HB_DECODE_TLV, hb_msg_decode(buf, with_tlvs(buf, tlvs, n), &m));
}

TEST(unknown_tlvs_are_skipped)
{
	unsigned char tlvs[64], buf[HB_MSG_MAX];
	size_t n = 0, pos = 0;
	struct hb_tlv tlv;
	struct hb_msg m;

	ASSERT_EQ(0, hb_tlv_put(tlvs, sizeof(tlvs), &n, 0x1234, "abc", 3));
	ASSERT_EQ(0, hb_tlv_put(tlvs, sizeof(tlvs), &n, 0x0042, NULL, 0));
	ASSERT_EQ(12, n);
	ASSERT_EQ(HB_DECODE_OK, hb_msg_decode(buf, with_tlvs(buf, tlvs, n), &m));
	ASSERT_EQ(12, m.tlvs_len);
	ASSERT_EQ(1, hb_tlv_next(&m, &pos, &tlv));
	EXPECT_EQ(0x1234, tlv.type);
	EXPECT_EQ(3, tlv.len);
	EXPECT_EQ(0, memcmp(tlv.value, "abc", 3));
	ASSERT_EQ(1, hb_tlv_next(&m, &pos, &tlv));
	EXPECT_EQ(0x0042, tlv.type);
	EXPECT_EQ(0, tlv.len);
	EXPECT_EQ(0, hb_tlv_next(&m, &pos, &tlv));
}

TEST(unknown_critical_tlv_is_refused)
{
	unsigned char tlvs[16], buf[HB_MSG_MAX];
	size_t n = 0;
	struct hb_msg m;

	ASSERT_EQ(0, hb_tlv_put(tlvs, sizeof(tlvs), &n, HB_TLV_CRITICAL | 7, "x", 1));
	EXPECT_EQ(HB_DECODE_TLV, hb_msg_decode(buf, with_tlvs(buf, tlvs, n), &m));
}

TEST(auth_tlv_is_found_and_covers_everything_before_the_mac)
{
	unsigned char tlvs[64], buf[HB_MSG_MAX];
	size_t n = 0;
	struct hb_msg m;
	int mac, len;

	ASSERT_EQ(0, hb_tlv_put(tlvs, sizeof(tlvs), &n, 0x0042, "abc", 3));
	mac = hb_auth_put(tlvs, sizeof(tlvs), &n, 513);
	ASSERT_EQ((int)n - HB_AUTH_MAC_LEN, mac);
	len = with_tlvs(buf, tlvs, n);
	ASSERT_EQ(HB_DECODE_OK, hb_msg_decode(buf, len, &m));
	EXPECT_EQ(513, m.auth_key_id);
	EXPECT_EQ(len - HB_AUTH_MAC_LEN, m.mac_offset);
	EXPECT_EQ(buf + HB_HDR_LEN + mac, m.mac);
	/* The key id is big-endian, right after the TLV header. */
	EXPECT_EQ(0x02, buf[HB_HDR_LEN + 8 + 4]);
	EXPECT_EQ(0x01, buf[HB_HDR_LEN + 8 + 5]);

	/* Without one, no MAC. */
	len = with_tlvs(buf, tlvs, 8);
	ASSERT_EQ(HB_DECODE_OK, hb_msg_decode(buf, len, &m));
	EXPECT_EQ(NULL, m.mac);
}

TEST(auth_tlv_must_be_last_and_of_its_size)
{
	unsigned char tlvs[64], buf[HB_MSG_MAX];
	unsigned char short_mac[HB_AUTH_VALUE_LEN - 4] = { 0 };
	size_t n = 0;
	struct hb_msg m;

	ASSERT_LT(0, hb_auth_put(tlvs, sizeof(tlvs), &n, 1));
	ASSERT_EQ(0, hb_tlv_put(tlvs, sizeof(tlvs), &n, 0x0042, "abc", 3));
	EXPECT_EQ(HB_DECODE_TLV, hb_msg_decode(buf, with_tlvs(buf, tlvs, n), &m));

	n = 0;
	ASSERT_EQ(0, hb_tlv_put(tlvs, sizeof(tlvs), &n, HB_TLV_AUTH, short_mac,
				sizeof(short_mac)));
	EXPECT_EQ(HB_DECODE_TLV, hb_msg_decode(buf, with_tlvs(buf, tlvs, n), &m));
}

TEST(tlv_length_overruns_are_refused)
{
	unsigned char buf[HB_MSG_MAX];
	static const unsigned char huge[8] = { 0x00, 0x09, 0xff, 0xff, 1, 2, 3, 4 };
	static const unsigned char past[8] = { 0x00, 0x09, 0x00, 0x05, 1, 2, 3, 4 };
	static const unsigned char half[4] = { 0x00, 0x09, 0x00, 0x00 };
	struct hb_msg m;
	int len;

	EXPECT_EQ(HB_DECODE_TLV, hb_msg_decode(buf, with_tlvs(buf, huge, 8), &m));
	EXPECT_EQ(HB_DECODE_TLV, hb_msg_decode(buf, with_tlvs(buf, past, 8), &m));
	/* A TLV area that is not a multiple of 4 is a bad length. */
	len = with_tlvs(buf, half, 4);
	buf[5] -= 2;
	EXPECT_EQ(HB_DECODE_LENGTH, hb_msg_decode(buf, len, &m));
}

TEST(maximum_size)
{
	static unsigned char tlvs[HB_MSG_MAX], buf[HB_MSG_MAX + 8];
	struct hb_msg m = sample;

	m.tlvs = tlvs;
	m.tlvs_len = HB_MSG_MAX - HB_HDR_LEN;
	memset(tlvs, 0, sizeof(tlvs));	/* pad TLVs of length 0 */
	ASSERT_EQ(HB_MSG_MAX, hb_msg_encode(buf, sizeof(buf), &m));
	ASSERT_EQ(HB_DECODE_OK, hb_msg_decode(buf, HB_MSG_MAX, &m));
	m.tlvs_len += 4;
	EXPECT_EQ(-1, hb_msg_encode(buf, sizeof(buf), &m));
	EXPECT_EQ(-1, hb_msg_encode(buf, HB_HDR_LEN - 1, &sample));
}

TEST(gossip_tlv_round_trip_and_malformed_ones)
{
	struct hb_gossip want[HB_GOSSIP_MAX], g;
	unsigned char buf[HB_MSG_MAX], tlvs[HB_MSG_MAX];
	size_t n = 0;
	struct hb_msg m;
	unsigned int i;

	for (i = 0; i < HB_GOSSIP_MAX; i++) {
		want[i].node_id = 100 + i;
		want[i].age_us = i == 3 ? HB_GOSSIP_AGE_MAX : i * 1000;
		want[i].incarnation = 0x1122334455667700ULL + i;
		want[i].state = (unsigned char)(i % 5);
	}
	ASSERT_EQ(0, hb_gossip_put(tlvs, sizeof(tlvs), &n, want, HB_GOSSIP_MAX,
				   500, 64));
	ASSERT_EQ(HB_GOSSIP_TLV_MAX, n);
	ASSERT_EQ(HB_DECODE_OK, hb_msg_decode(buf, with_tlvs(buf, tlvs, n), &m));
	ASSERT_EQ(HB_GOSSIP_MAX, m.gossip_count);
	EXPECT_EQ(500, m.gossip_total);
	EXPECT_EQ(64, m.gossip_first);
	for (i = 0; i < HB_GOSSIP_MAX; i++) {
		hb_gossip_get(&m, i, &g);
		EXPECT_EQ(want[i].node_id, g.node_id);
		EXPECT_EQ(want[i].age_us, g.age_us);
		EXPECT_EQ(want[i].incarnation, g.incarnation);
		EXPECT_EQ(want[i].state, g.state);
	}
	/* The largest frame we send: header, echo, gossip, late, auth. */
	EXPECT_GE(HB_MSG_MAX, HB_HDR_LEN + HB_ECHO_TLV_MAX + HB_GOSSIP_TLV_MAX +
		  HB_LATE_TLV_LEN + HB_AUTH_TLV_LEN);

	EXPECT_EQ(-1, hb_gossip_put(tlvs, sizeof(tlvs), &n, want, 0, 1, 0));
	EXPECT_EQ(-1, hb_gossip_put(tlvs, sizeof(tlvs), &n, want, HB_GOSSIP_MAX + 1, 100, 0));
	EXPECT_EQ(-1, hb_gossip_put(tlvs, sizeof(tlvs), &n, want, 3, 2, 0));

	/* Entries that are not whole, more than total, two TLVs: refused. */
	n = 0;
	hb_gossip_put(tlvs, sizeof(tlvs), &n, want, 2, 2, 0);
	tlvs[3] -= 4;
	EXPECT_EQ(HB_DECODE_TLV, hb_msg_decode(buf, with_tlvs(buf, tlvs, n), &m));
	tlvs[3] += 4;
	tlvs[HB_TLV_HDR_LEN + 1] = 1;	/* total 1 < 2 entries */
	EXPECT_EQ(HB_DECODE_TLV, hb_msg_decode(buf, with_tlvs(buf, tlvs, n), &m));
	tlvs[HB_TLV_HDR_LEN + 1] = 2;
	ASSERT_EQ(HB_DECODE_OK, hb_msg_decode(buf, with_tlvs(buf, tlvs, n), &m));
	hb_gossip_put(tlvs, sizeof(tlvs), &n, want, 1, 1, 0);
	EXPECT_EQ(HB_DECODE_TLV, hb_msg_decode(buf, with_tlvs(buf, tlvs, n), &m));
}

TEST(late_tlv_round_trip)
{
	unsigned char buf[HB_MSG_MAX], tlvs[64] = { 0 };
	size_t n = 0;
	struct hb_msg m;

	ASSERT_EQ(HB_DECODE_OK, hb_msg_decode(buf, with_tlvs(buf, tlvs, 0), &m));
	EXPECT_FALSE(m.has_late);
	ASSERT_EQ(0, hb_late_put(tlvs, sizeof(tlvs), &n, 123456));
	ASSERT_EQ(HB_LATE_TLV_LEN, n);
	ASSERT_EQ(HB_DECODE_OK, hb_msg_decode(buf, with_tlvs(buf, tlvs, n), &m));
	EXPECT_TRUE(m.has_late);
	EXPECT_EQ(123456, m.late_us);
	hb_late_put(tlvs, sizeof(tlvs), &n, 1);
	EXPECT_EQ(HB_DECODE_TLV, hb_msg_decode(buf, with_tlvs(buf, tlvs, n), &m));
}

TEST(probe_frames_need_their_tlv_and_heartbeats_refuse_it)
{
	static const struct hb_probe p = {
		.target = 3, .origin = 1, .helper = 2, .token = 0xdeadbeef,
	};
	unsigned char buf[HB_MSG_MAX], tlvs[64];
	struct hb_msg m = sample;
	size_t n = 0;
	int type;

	ASSERT_EQ(0, hb_probe_put(tlvs, sizeof(tlvs), &n, &p));
	ASSERT_EQ(HB_PROBE_TLV_LEN, n);
	m.tlvs = tlvs;
	m.tlvs_len = (unsigned short)n;
	for (type = HB_MSG_PROBE; type <= HB_MSG_ACK; type++) {
		m.type = (unsigned char)type;
		ASSERT_EQ(HB_DECODE_OK, hb_msg_decode(buf, encode(&m, buf, sizeof(buf)), &m));
		EXPECT_EQ(type, m.type);
		EXPECT_EQ(3, m.probe.target);
		EXPECT_EQ(1, m.probe.origin);
		EXPECT_EQ(2, m.probe.helper);
		EXPECT_EQ(0xdeadbeef, m.probe.token);
		m.tlvs = tlvs;
		m.tlvs_len = (unsigned short)n;
	}
	/* A heartbeat with a PROBE TLV, a probe without one: malformed. */
	EXPECT_EQ(HB_DECODE_TLV, hb_msg_decode(buf, with_tlvs(buf, tlvs, n), &m));
	m = sample;
	m.type = HB_MSG_ACK;
	EXPECT_EQ(HB_DECODE_TLV, hb_msg_decode(buf, encode(&m, buf, sizeof(buf)), &m));
	/* A probe must name its target and its origin. */
	tlvs[HB_TLV_HDR_LEN + 3] = 0;
	m = sample;
	m.type = HB_MSG_PROBE;
	m.tlvs = tlvs;
	m.tlvs_len = (unsigned short)n;
	EXPECT_EQ(HB_DECODE_FIELD, hb_msg_decode(buf, encode(&m, buf, sizeof(buf)), &m));
}

/* A DYING frame carrying the n bytes of TLVs at tlvs. */
static struct hb_msg dying_with(const unsigned char *tlvs, size_t n)
{
	struct hb_msg m = sample;

	m.type = HB_MSG_DYING;
	m.tlvs = tlvs;
	m.tlvs_len = (unsigned short)n;
	return m;
}

TEST(dying_frames_carry_a_reason_only_they_may_have)
{
	unsigned char buf[HB_MSG_MAX], tlvs[16];
	struct hb_msg m = sample;
	size_t n = 0;

	ASSERT_EQ(0, hb_dying_put(tlvs, sizeof(tlvs), &n, HB_DYING_REBOOT));
	ASSERT_EQ(HB_DYING_TLV_LEN, n);
	m.type = HB_MSG_DYING;
	m.tlvs = tlvs;
	m.tlvs_len = (unsigned short)n;
	ASSERT_EQ(HB_DECODE_OK, hb_msg_decode(buf, encode(&m, buf, sizeof(buf)), &m));
	EXPECT_EQ(HB_MSG_DYING, m.type);
	EXPECT_EQ(HB_DYING_REBOOT, m.dying_reason);
	EXPECT_FALSE(hb_msg_is_probe(m.type));
	/* Without the TLV: dying, no reason given. */
	m = sample;
	m.type = HB_MSG_DYING;
	ASSERT_EQ(HB_DECODE_OK, hb_msg_decode(buf, encode(&m, buf, sizeof(buf)), &m));
	EXPECT_EQ(HB_DYING_NONE, m.dying_reason);
	/* A heartbeat with a reason, or a reason this version does not know. */
	EXPECT_EQ(HB_DECODE_FIELD, hb_msg_decode(buf, with_tlvs(buf, tlvs, n), &m));
	tlvs[HB_TLV_HDR_LEN] = HB_DYING_POWEROFF + 1;
	m = dying_with(tlvs, n);
	EXPECT_EQ(HB_DECODE_FIELD, hb_msg_decode(buf, encode(&m, buf, sizeof(buf)), &m));
	/* Two reasons: malformed. */
	n = 0;
	hb_dying_put(tlvs, sizeof(tlvs), &n, HB_DYING_PANIC);
	hb_dying_put(tlvs, sizeof(tlvs), &n, HB_DYING_HALT);
	m = dying_with(tlvs, n);
	EXPECT_EQ(HB_DECODE_TLV, hb_msg_decode(buf, encode(&m, buf, sizeof(buf)), &m));
	/*
	 * Reason 0 is no reason, which only a DYING frame without the TLV
	 * gives: as a DYING frame's reason, or on a heartbeat, it is a field
	 * out of range, and a second TLV after it is one too many.
	 */
	n = 0;
	hb_dying_put(tlvs, sizeof(tlvs), &n, HB_DYING_NONE);
	m = dying_with(tlvs, n);
	EXPECT_EQ(HB_DECODE_FIELD, hb_msg_decode(buf, encode(&m, buf, sizeof(buf)), &m));
	EXPECT_EQ(HB_DECODE_FIELD, hb_msg_decode(buf, with_tlvs(buf, tlvs, n), &m));
	hb_dying_put(tlvs, sizeof(tlvs), &n, HB_DYING_PANIC);
	m = dying_with(tlvs, n);
	EXPECT_EQ(HB_DECODE_TLV, hb_msg_decode(buf, encode(&m, buf, sizeof(buf)), &m));
	/* The type after DYING is unknown. */
	m = sample;
	m.type = HB_MSG_DYING + 1;
	EXPECT_EQ(HB_DECODE_TYPE, hb_msg_decode(buf, encode(&m, buf, sizeof(buf)), &m));
}

TEST_HARNESS_MAIN
