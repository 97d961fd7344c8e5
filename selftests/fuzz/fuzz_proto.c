// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness of the wire codec, built from kmod/proto.c, the very file
 * heartbeat.ko is built from (`make fuzz`, Documentation/testing.rst).
 *
 * Every input is treated twice:
 *
 * 1. As a received frame: hb_msg_decode() must agree with an independent
 *    reading of Documentation/protocol.rst ("Validation") on every header
 *    check. A frame that decodes is checked field by field against its
 *    bytes, its TLVs are walked (on a copy of exactly the message, so that
 *    AddressSanitizer sees any read past its end), rebuilt with
 *    hb_tlv_put(), and the message is encoded and decoded again: the round
 *    trip must give the same fields and a second encoding the same bytes.
 * 2. As the fields of a message to send: encoding them must succeed when the
 *    message fits, and decoding the result must give the fields back or
 *    refuse them for the reason the header checks give.
 *
 * The harness knows no TLV type but padding: which types a receiver knows,
 * and so which critical ones it accepts, is the codec's business. A frame
 * whose TLVs all fit may be accepted or dropped for its TLVs (or for a
 * reason added after HB_DECODE_TLV); one whose TLVs do not fit must be
 * dropped. A new TLV type, critical or not, needs no change here.
 *
 * Any inconsistency abort()s, which libFuzzer reports as a crash with the
 * input that caused it.
 */
#include <stdio.h>
#include <stdlib.h>

#include <linux/heartbeat.h>	/* the uapi header: HEARTBEAT_DROP_MAX */
#include "proto.h"

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "fuzz_proto: %s:%d: %s\n",	\
				__FILE__, __LINE__, #cond);		\
			abort();					\
		}							\
	} while (0)

/* Decode results are drop reasons: anything else is a bug. */
#define DECODE_ERR_MAX	HEARTBEAT_DROP_MAX

/* ---- an independent reading of the header ------------------------- */

static u16 be16(const u8 *p)
{
	return (u16)(p[0] << 8 | p[1]);
}

static u32 be32(const u8 *p)
{
	return (u32)be16(p) << 16 | be16(p + 2);
}

static u64 be64(const u8 *p)
{
	return (u64)be32(p) << 32 | be32(p + 4);
}

/* The header checks of protocol.rst, in its order; OK if they all pass. */
static enum hb_decode_err ref_header(const u8 *d, size_t size)
{
	u16 length;
	u32 interval;

	if (size < HB_HDR_LEN)
		return HB_DECODE_SHORT;
	if (be16(d) != HB_MAGIC)
		return HB_DECODE_MAGIC;
	if (d[2] != HB_VERSION)
		return HB_DECODE_VERSION;
	length = be16(d + 4);
	if (length < HB_HDR_LEN || length > size || length > HB_MSG_MAX ||
	    (length - HB_HDR_LEN) % 4)
		return HB_DECODE_LENGTH;
	if (d[3] < HB_MSG_HEARTBEAT || d[3] > HB_MSG_DYING)
		return HB_DECODE_TYPE;
	if (!be32(d + 12) || !be64(d + 16) || !be64(d + 24) ||
	    !be16(d + 6) || be16(d + 6) > HB_LINK_ID_MAX)
		return HB_DECODE_FIELD;
	interval = be32(d + 40);
	if (interval < 1000 || interval > 60000000)
		return HB_DECODE_FIELD;
	return HB_DECODE_OK;
}

/* Shape of a TLV area: 1 if every TLV fits, and *pad_only if all are type 0. */
static int ref_tlvs_fit(const u8 *p, size_t len, int *pad_only)
{
	*pad_only = 1;
	while (len) {
		size_t step;

		if (len < HB_TLV_HDR_LEN)
			return 0;
		step = HB_TLV_HDR_LEN + (((size_t)be16(p + 2) + 3) & ~(size_t)3);
		if (step > len)
			return 0;
		if (be16(p) != HB_TLV_PAD)
			*pad_only = 0;
		p += step;
		len -= step;
	}
	return 1;
}

/* ---- checks --------------------------------------------------------- */

static void check_fields_equal(const struct hb_msg *a, const struct hb_msg *b)
{
	CHECK(a->version == b->version);
	CHECK(a->type == b->type);
	CHECK(a->length == b->length);
	CHECK(a->link_id == b->link_id);
	CHECK(a->flags == b->flags);
	CHECK(a->cluster == b->cluster);
	CHECK(a->node_id == b->node_id);
	CHECK(a->incarnation == b->incarnation);
	CHECK(a->seq == b->seq);
	CHECK(a->tx_time_ns == b->tx_time_ns);
	CHECK(a->interval_us == b->interval_us);
	CHECK(a->tlvs_len == b->tlvs_len);
	CHECK(!a->tlvs_len || !memcmp(a->tlvs, b->tlvs, a->tlvs_len));
}

/*
 * Decode buf and check the result against the reference: the same header
 * verdict, and for frames past the header checks a TLV verdict that fits
 * the shape of their TLV area. Returns the decode result, *m filled.
 */
static enum hb_decode_err decode_checked(const u8 *buf, size_t size,
					 struct hb_msg *m)
{
	enum hb_decode_err ref = ref_header(buf, size);
	enum hb_decode_err err;
	int fit, pad_only;
	u16 length;

	memset(m, 0xa5, sizeof(*m));
	err = hb_msg_decode(buf, size, m);
	CHECK((int)err >= 0 && (int)err <= DECODE_ERR_MAX);
	if (ref != HB_DECODE_OK) {
		CHECK(err == ref);
		return err;
	}
	length = be16(buf + 4);
	fit = ref_tlvs_fit(buf + HB_HDR_LEN, length - HB_HDR_LEN, &pad_only);
	/*
	 * Probes must carry a PROBE TLV naming their target and origin; a
	 * DYING TLV's reason is a field that may be out of range.
	 */
	if (!fit)
		CHECK(err == HB_DECODE_TLV);
	else if (pad_only && !hb_msg_is_probe(buf[3]))
		CHECK(err == HB_DECODE_OK);
	else
		CHECK(err == HB_DECODE_OK || err == HB_DECODE_FIELD ||
		      err >= HB_DECODE_TLV);
	if (err != HB_DECODE_OK)
		return err;

	/* Every field is what the bytes say. */
	CHECK(m->version == HB_VERSION);
	CHECK(m->type == buf[3]);
	CHECK(m->length == length);
	CHECK(m->link_id == be16(buf + 6));
	CHECK(m->cluster == be32(buf + 8));
	CHECK(m->node_id == be32(buf + 12));
	CHECK(m->incarnation == be64(buf + 16));
	CHECK(m->seq == be64(buf + 24));
	CHECK(m->tx_time_ns == be64(buf + 32));
	CHECK(m->interval_us == be32(buf + 40));
	CHECK(m->flags == be16(buf + 44));
	CHECK(m->tlvs == buf + HB_HDR_LEN);
	CHECK(m->tlvs_len == length - HB_HDR_LEN);
	return err;
}

#define TLVS_MAX	((HB_MSG_MAX - HB_HDR_LEN) / HB_TLV_HDR_LEN)

/* Walk the TLVs of a decoded message; returns how many there are. */
static size_t walk_tlvs(const struct hb_msg *m, struct hb_tlv *out)
{
	size_t pos = 0, prev = 0, n = 0;
	struct hb_tlv tlv;
	volatile u8 sink = 0;

	while (hb_tlv_next(m, &pos, &tlv)) {
		size_t i;

		CHECK(n < TLVS_MAX);
		CHECK(tlv.value == m->tlvs + prev + HB_TLV_HDR_LEN);
		CHECK(tlv.type == be16(m->tlvs + prev));
		CHECK(tlv.len == be16(m->tlvs + prev + 2));
		CHECK(pos == prev + HB_TLV_HDR_LEN + ((tlv.len + 3u) & ~3u));
		/* A decoded message's TLVs are well formed. */
		CHECK(pos <= m->tlvs_len);
		for (i = 0; i < tlv.len; i++)	/* ASan: in bounds */
			sink ^= tlv.value[i];
		out[n++] = tlv;
		prev = pos;
	}
	(void)sink;
	CHECK(pos == m->tlvs_len);
	CHECK(!hb_tlv_next(m, &pos, &tlv));	/* the end stays the end */
	CHECK(pos == m->tlvs_len);
	return n;
}

/* Build the TLV area again with hb_tlv_put(): same TLVs, zero padding. */
static void rebuild_tlvs(const struct hb_msg *m, const struct hb_tlv *tlv,
			 size_t n)
{
	u8 *area = malloc(m->tlvs_len ? m->tlvs_len : 1);	/* exact: ASan */
	struct hb_msg copy = *m, again;
	struct hb_tlv tlv2[TLVS_MAX];
	size_t len = 0, i, n2;
	u8 *frame;
	int flen;

	CHECK(area);
	for (i = 0; i < n; i++) {
		size_t need = HB_TLV_HDR_LEN + ((tlv[i].len + 3u) & ~3u);
		size_t before = len;

		/* One byte short of room: refused, and len untouched. */
		CHECK(hb_tlv_put(area, len + need - 1, &len, tlv[i].type,
				 tlv[i].value, tlv[i].len) == -1);
		CHECK(len == before);
		CHECK(!hb_tlv_put(area, m->tlvs_len, &len, tlv[i].type,
				  tlv[i].value, tlv[i].len));
		CHECK(len == before + need);
		CHECK(be16(area + before) == tlv[i].type);
		CHECK(be16(area + before + 2) == tlv[i].len);
		CHECK(!tlv[i].len ||
		      !memcmp(area + before + HB_TLV_HDR_LEN, tlv[i].value, tlv[i].len));
		for (size_t j = HB_TLV_HDR_LEN + tlv[i].len; j < need; j++)
			CHECK(area[before + j] == 0);
	}
	CHECK(len == m->tlvs_len);

	/* The rebuilt message decodes to the same TLVs. */
	copy.tlvs = area;
	frame = malloc(m->length);
	CHECK(frame);
	flen = hb_msg_encode(frame, m->length, &copy);
	CHECK(flen == m->length);
	CHECK(hb_msg_decode(frame, flen, &again) == HB_DECODE_OK);
	n2 = walk_tlvs(&again, tlv2);
	CHECK(n2 == n);
	for (i = 0; i < n; i++) {
		CHECK(tlv2[i].type == tlv[i].type);
		CHECK(tlv2[i].len == tlv[i].len);
		CHECK(!tlv[i].len || !memcmp(tlv2[i].value, tlv[i].value, tlv[i].len));
	}
	free(frame);
	free(area);
}

/* Encode a decoded message and decode it again: a fixed point. */
static void round_trip(const struct hb_msg *m, const u8 *orig)
{
	u8 *enc = malloc(m->length), *enc2 = malloc(m->length);
	u8 *small = malloc(m->length - 1);
	struct hb_msg m2, m3;
	int n;

	CHECK(enc && enc2 && small);
	/* No room for the message: refused, nothing written past the end. */
	CHECK(hb_msg_encode(small, m->length - 1, m) == -1);

	n = hb_msg_encode(enc, m->length, m);
	CHECK(n == m->length);
	/* The same bytes, except reserved: sent as 0, ignored on receive. */
	CHECK(!memcmp(enc, orig, 46));
	CHECK(enc[46] == 0 && enc[47] == 0);
	CHECK(!memcmp(enc + HB_HDR_LEN, orig + HB_HDR_LEN, m->tlvs_len));

	CHECK(decode_checked(enc, n, &m2) == HB_DECODE_OK);
	check_fields_equal(m, &m2);
	CHECK(hb_msg_encode(enc2, n, &m2) == n);
	CHECK(!memcmp(enc, enc2, n));
	CHECK(decode_checked(enc2, n, &m3) == HB_DECODE_OK);
	check_fields_equal(&m2, &m3);

	free(small);
	free(enc2);
	free(enc);
}

/*
 * What the module reads of the decoded TLVs: every gossip entry, every
 * echo, the probe; all inside the message (ASan) and consistent.
 */
static void read_views(const struct hb_msg *m)
{
	struct hb_gossip g, again;
	struct hb_echo e;
	unsigned int i;
	u8 buf[HB_GOSSIP_TLV_MAX];
	size_t len = 0;

	CHECK(m->gossip_count <= HB_GOSSIP_MAX);
	CHECK(m->gossip_count <= m->gossip_total);
	CHECK(!m->gossip_count ||
	      (m->gossip >= m->tlvs &&
	       m->gossip + m->gossip_count * HB_GOSSIP_ENTRY_LEN <= m->tlvs + m->tlvs_len));
	for (i = 0; i < m->gossip_count; i++) {
		hb_gossip_get(m, i, &g);
		CHECK(g.node_id == be32(m->gossip + i * HB_GOSSIP_ENTRY_LEN));
		/* One entry written again reads back the same. */
		len = 0;
		CHECK(!hb_gossip_put(buf, sizeof(buf), &len, &g, 1, 1, 0));
		CHECK(len == HB_TLV_HDR_LEN + HB_GOSSIP_HDR_LEN + HB_GOSSIP_ENTRY_LEN);
		again.node_id = be32(buf + 8);
		again.age_us = be32(buf + 12);
		again.incarnation = be64(buf + 16);
		again.state = buf[24];
		CHECK(again.node_id == g.node_id && again.age_us == g.age_us &&
		      again.incarnation == g.incarnation && again.state == g.state);
	}
	for (i = 0; i < m->echo_count; i++)
		CHECK(hb_echo_find(m, be32(m->echo + i * HB_ECHO_ENTRY_LEN), &e));
	CHECK(m->has_probe == hb_msg_is_probe(m->type));
	CHECK(m->dying_reason <= HB_DYING_POWEROFF);
	CHECK(!m->dying_reason || m->type == HB_MSG_DYING);
	CHECK(!m->has_probe || (m->probe.target && m->probe.origin));
}

/* The input as a received frame. */
static void as_frame(const u8 *data, size_t size)
{
	struct hb_msg m, exact_m;
	struct hb_tlv tlv[TLVS_MAX];
	u8 *exact;
	size_t n;

	if (decode_checked(data, size, &m) != HB_DECODE_OK)
		return;

	/*
	 * Ethernet padding is ignored: the message alone, in a buffer of its
	 * exact size, decodes the same, and everything from here on reads
	 * that buffer so that ASan catches a read past the message.
	 */
	exact = malloc(m.length);
	CHECK(exact);
	memcpy(exact, data, m.length);
	CHECK(decode_checked(exact, m.length, &exact_m) == HB_DECODE_OK);
	check_fields_equal(&m, &exact_m);

	n = walk_tlvs(&exact_m, tlv);
	read_views(&exact_m);
	rebuild_tlvs(&exact_m, tlv, n);
	round_trip(&exact_m, exact);
	free(exact);
}

/* The input as the fields of a message to send: header bytes, then TLVs. */
static void as_fields(const u8 *data, size_t size)
{
	struct hb_msg m = { 0 }, got;
	size_t tlvs_len;
	u8 *buf;
	int n;

	if (size < HB_HDR_LEN)
		return;
	tlvs_len = size - HB_HDR_LEN;
	if (tlvs_len > 0xffff)
		tlvs_len = 0xffff;
	m.type = data[3];
	m.link_id = be16(data + 6);
	m.cluster = be32(data + 8);
	m.node_id = be32(data + 12);
	m.incarnation = be64(data + 16);
	m.seq = be64(data + 24);
	m.tx_time_ns = be64(data + 32);
	m.interval_us = be32(data + 40);
	m.flags = be16(data + 44);
	m.tlvs = data + HB_HDR_LEN;
	m.tlvs_len = (u16)tlvs_len;

	buf = malloc(HB_MSG_MAX);
	CHECK(buf);
	n = hb_msg_encode(buf, HB_MSG_MAX, &m);
	if (HB_HDR_LEN + tlvs_len > HB_MSG_MAX) {
		CHECK(n == -1);
		free(buf);
		return;
	}
	CHECK(n == (int)(HB_HDR_LEN + tlvs_len));
	CHECK(be16(buf) == HB_MAGIC && buf[2] == HB_VERSION);
	CHECK(be16(buf + 4) == n);

	/* What we send, we read back: or refuse for the header's reason. */
	if (decode_checked(buf, n, &got) == HB_DECODE_OK) {
		m.version = HB_VERSION;
		m.length = (u16)n;
		check_fields_equal(&m, &got);
	}
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	as_frame(data, size);
	as_fields(data, size);
	return 0;
}
