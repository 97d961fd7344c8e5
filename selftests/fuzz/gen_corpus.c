// SPDX-License-Identifier: GPL-2.0-only
/*
 * Writes the seed corpus of fuzz_proto (selftests/fuzz/corpus/, committed)
 * with the codec's own encoder: valid frames and edge cases, each checked
 * to decode as its name says before it is written.
 *
 *   make -C selftests/fuzz corpus
 */
#include <stdio.h>
#include <stdlib.h>

#include "proto.h"

static const struct hb_msg base = {
	.type = HB_MSG_HEARTBEAT,
	.link_id = 1,
	.cluster = 7,
	.node_id = 1,
	.incarnation = 0x0000018c2f3a4b5cULL,
	.seq = 1,
	.tx_time_ns = 0x17a1b2c3d4e5f607ULL,
	.interval_us = 100000,
};

static const char *dir;

static void die(const char *what)
{
	fprintf(stderr, "gen_corpus: %s\n", what);
	exit(1);
}

#define ANY	(-1)	/* a seed whose verdict depends on the codec's version */

/* Write buf[0..len) as dir/name after checking what it decodes to. */
static void seed(const char *name, const u8 *buf, size_t len, int want)
{
	struct hb_msg m;
	char path[4096];
	FILE *f;

	if (want != ANY && (int)hb_msg_decode(buf, len, &m) != want) {
		fprintf(stderr, "gen_corpus: %s: decodes to %d, not %d\n", name,
			hb_msg_decode(buf, len, &m), want);
		exit(1);
	}
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(buf, 1, len, f) != len || fclose(f))
		die(path);
}

/* Encode msg with the TLV area tlvs[0..tlvs_len) into buf. */
static size_t frame(u8 *buf, const struct hb_msg *msg, const u8 *tlvs,
		    size_t tlvs_len)
{
	struct hb_msg m = *msg;
	int n;

	m.tlvs = tlvs;
	m.tlvs_len = (u16)tlvs_len;
	n = hb_msg_encode(buf, HB_MSG_MAX, &m);
	if (n < 0)
		die("encode");
	return (size_t)n;
}

static void put(u8 *area, size_t *len, u16 type, const void *v, u16 vlen)
{
	if (hb_tlv_put(area, HB_MSG_MAX - HB_HDR_LEN, len, type, v, vlen))
		die("tlv");
}

int main(int argc, char **argv)
{
	static const u8 value[HB_MSG_MAX] = "heartbeat fuzz seed";
	u8 buf[HB_MSG_MAX + 64], tlvs[HB_MSG_MAX];
	struct hb_msg m;
	size_t n, tl;

	if (argc != 2)
		die("usage: gen_corpus DIR");
	dir = argv[1];
	memset(buf, 0, sizeof(buf));

	/* Valid frames. */
	n = frame(buf, &base, NULL, 0);
	seed("heartbeat", buf, n, HB_DECODE_OK);

	m = base;
	m.type = HB_MSG_LEAVE;
	m.seq = 42;
	seed("leave", buf, frame(buf, &m, NULL, 0), HB_DECODE_OK);

	/* Ethernet padding after the message: ignored. */
	n = frame(buf, &base, NULL, 0);
	memset(buf + n, 0, 16);
	seed("heartbeat-padded", buf, n + 16, HB_DECODE_OK);

	/* Every field at an edge. */
	m = base;
	m.link_id = HB_LINK_ID_MAX;
	m.flags = 0xffff;
	m.cluster = 0xffffffff;
	m.node_id = 0xffffffff;
	m.incarnation = ~0ULL;
	m.seq = ~0ULL;
	m.tx_time_ns = ~0ULL;
	m.interval_us = 60000000;
	seed("fields-max", buf, frame(buf, &m, NULL, 0), HB_DECODE_OK);
	m = base;
	m.link_id = 1;
	m.cluster = 0;
	m.tx_time_ns = 0;
	m.interval_us = 1000;
	seed("fields-min", buf, frame(buf, &m, NULL, 0), HB_DECODE_OK);

	/* TLVs: padding, unknown ones (skipped), several. */
	tl = 0;
	put(tlvs, &tl, HB_TLV_PAD, NULL, 0);
	put(tlvs, &tl, HB_TLV_PAD, value, 3);
	seed("tlv-pad", buf, frame(buf, &base, tlvs, tl), HB_DECODE_OK);

	tl = 0;
	put(tlvs, &tl, HB_TLV_PAD | HB_TLV_CRITICAL, value, 4);
	seed("tlv-pad-critical", buf, frame(buf, &base, tlvs, tl), HB_DECODE_OK);

	tl = 0;
	put(tlvs, &tl, 0x0101, value, 5);
	put(tlvs, &tl, 0x7fff, value, 8);
	seed("tlv-unknown", buf, frame(buf, &base, tlvs, tl), HB_DECODE_OK);

	/* Many small TLVs up to the largest message. */
	tl = 0;
	while (tl + HB_TLV_HDR_LEN + 4 <= HB_MSG_MAX - HB_HDR_LEN)
		put(tlvs, &tl, (u16)(0x0200 + tl / 8), value, (u16)(tl / 8 % 5));
	while (tl < HB_MSG_MAX - HB_HDR_LEN)
		put(tlvs, &tl, HB_TLV_PAD, NULL, 0);
	seed("tlv-many-max", buf, frame(buf, &base, tlvs, tl), HB_DECODE_OK);

	/* One TLV whose value fills the largest message. */
	tl = 0;
	put(tlvs, &tl, 0x0300, value, HB_MSG_MAX - HB_HDR_LEN - HB_TLV_HDR_LEN);
	seed("tlv-one-max", buf, frame(buf, &base, tlvs, tl), HB_DECODE_OK);

	/* A critical type no receiver knows: the frame is dropped. */
	tl = 0;
	put(tlvs, &tl, HB_TLV_CRITICAL | 0x7ffe, value, 8);
	seed("tlv-critical-unknown", buf, frame(buf, &base, tlvs, tl), HB_DECODE_TLV);

	/*
	 * Critical type 1 shaped as a MAC, the last TLV: key id, 2 reserved
	 * bytes, 16 bytes of MAC. Dropped by a codec that does not know the
	 * type; a start for the fuzzer into one that does.
	 */
	tl = 0;
	put(tlvs, &tl, HB_TLV_PAD, NULL, 0);
	put(tlvs, &tl, HB_TLV_CRITICAL | 0x0001,
	    "\x00\x01\x00\x00" "0123456789abcdef", 20);
	seed("tlv-critical-mac", buf, frame(buf, &base, tlvs, tl), ANY);

	/* Echoes: three entries; a broken entry size; two ECHO TLVs. */
	{
		static const struct hb_echo echo[3] = {
			{ 7, 1, 100 }, { 9, 32, 1 }, { 0xffffffff, 2, ~0ULL },
		};

		tl = 0;
		hb_echo_put(tlvs, sizeof(tlvs), &tl, echo, 3);
		seed("tlv-echo", buf, frame(buf, &base, tlvs, tl), HB_DECODE_OK);
		tlvs[3] = HB_ECHO_ENTRY_LEN + 4;
		seed("tlv-echo-partial", buf, frame(buf, &base, tlvs, tl), HB_DECODE_TLV);
		tl = 0;
		hb_echo_put(tlvs, sizeof(tlvs), &tl, echo, 1);
		hb_echo_put(tlvs, sizeof(tlvs), &tl, echo, 1);
		seed("tlv-echo-twice", buf, frame(buf, &base, tlvs, tl), HB_DECODE_TLV);
	}

	/* Gossip, lateness, probes. */
	{
		static const struct hb_gossip g[3] = {
			{ 7, 1500, 100, 1 }, { 9, 0xffffffff, 1, 3 },
			{ 0xffffffff, 0, ~0ULL, 2 },
		};
		static const struct hb_probe p = { 3, 1, 2, 0xdeadbeef };

		tl = 0;
		hb_late_put(tlvs, sizeof(tlvs), &tl, 250);
		hb_gossip_put(tlvs, sizeof(tlvs), &tl, g, 3, 40, 8);
		seed("tlv-gossip", buf, frame(buf, &base, tlvs, tl), HB_DECODE_OK);
		tlvs[HB_LATE_TLV_LEN + 3] -= 4;
		seed("tlv-gossip-partial", buf, frame(buf, &base, tlvs, tl), HB_DECODE_TLV);
		tl = 0;
		hb_gossip_put(tlvs, sizeof(tlvs), &tl, g, 3, 3, 0);
		tlvs[HB_TLV_HDR_LEN + 1] = 2;	/* total below the entries */
		seed("tlv-gossip-total", buf, frame(buf, &base, tlvs, tl), HB_DECODE_TLV);
		tl = 0;
		hb_probe_put(tlvs, sizeof(tlvs), &tl, &p);
		m = base;
		m.type = HB_MSG_PROBE;
		seed("probe", buf, frame(buf, &m, tlvs, tl), HB_DECODE_OK);
		m.type = HB_MSG_PROBE_REQ;
		seed("probe-req", buf, frame(buf, &m, tlvs, tl), HB_DECODE_OK);
		m.type = HB_MSG_ACK;
		seed("probe-ack", buf, frame(buf, &m, tlvs, tl), HB_DECODE_OK);
		seed("probe-without-tlv", buf, frame(buf, &m, NULL, 0), HB_DECODE_TLV);
		seed("heartbeat-with-probe", buf, frame(buf, &base, tlvs, tl), HB_DECODE_TLV);
		tl = 0;
		hb_dying_put(tlvs, sizeof(tlvs), &tl, HB_DYING_PANIC);
		m = base;
		m.type = HB_MSG_DYING;
		seed("dying", buf, frame(buf, &m, tlvs, tl), HB_DECODE_OK);
		seed("dying-without-reason", buf, frame(buf, &m, NULL, 0), HB_DECODE_OK);
		seed("heartbeat-with-dying", buf, frame(buf, &base, tlvs, tl), HB_DECODE_FIELD);
		tlvs[HB_TLV_HDR_LEN] = HB_DYING_POWEROFF + 1;
		seed("dying-bad-reason", buf, frame(buf, &m, tlvs, tl), HB_DECODE_FIELD);
	}

	/* Malformed TLVs. */
	tl = 0;
	put(tlvs, &tl, 0x0101, value, 8);
	tlvs[3] = 12;		/* value runs past the end */
	seed("tlv-overrun", buf, frame(buf, &base, tlvs, tl), HB_DECODE_TLV);

	tl = 0;
	put(tlvs, &tl, 0x0101, value, 4);
	tlvs[3] = 5;		/* padded to 8, only 4 there */
	seed("tlv-padding-overrun", buf, frame(buf, &base, tlvs, tl), HB_DECODE_TLV);

	/* Header edge cases, each dropped for its reason. */
	n = frame(buf, &base, NULL, 0);
	seed("short", buf, n - 1, HB_DECODE_SHORT);

	n = frame(buf, &base, NULL, 0);
	buf[0] ^= 0xff;
	seed("bad-magic", buf, n, HB_DECODE_MAGIC);

	n = frame(buf, &base, NULL, 0);
	buf[2] = HB_VERSION + 1;
	seed("bad-version", buf, n, HB_DECODE_VERSION);

	n = frame(buf, &base, value, 4);
	buf[5] = HB_HDR_LEN + 2;	/* TLV area not a multiple of 4 */
	seed("length-unaligned", buf, n, HB_DECODE_LENGTH);

	n = frame(buf, &base, NULL, 0);
	memset(buf + n, 0, HB_MSG_MAX + 4 - n);
	buf[4] = (HB_MSG_MAX + 4) >> 8;	/* past the maximum, within the frame */
	buf[5] = (HB_MSG_MAX + 4) & 0xff;
	seed("length-over-max", buf, HB_MSG_MAX + 4, HB_DECODE_LENGTH);

	m = base;
	m.type = HB_MSG_DYING + 1;
	seed("bad-type", buf, frame(buf, &m, NULL, 0), HB_DECODE_TYPE);

	m = base;
	m.node_id = 0;
	seed("node-zero", buf, frame(buf, &m, NULL, 0), HB_DECODE_FIELD);

	m = base;
	m.interval_us = 999;
	seed("interval-short", buf, frame(buf, &m, NULL, 0), HB_DECODE_FIELD);

	m = base;
	m.link_id = 0;
	seed("link-zero", buf, frame(buf, &m, NULL, 0), HB_DECODE_FIELD);

	m = base;
	m.link_id = HB_LINK_ID_MAX + 1;
	seed("link-over-max", buf, frame(buf, &m, NULL, 0), HB_DECODE_FIELD);

	return 0;
}
