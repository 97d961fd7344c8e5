// SPDX-License-Identifier: GPL-2.0-only
/*
 * heartbeat wire codec. Every multi-byte field is big-endian (bytes.h).
 */
#include "bytes.h"
#include "proto.h"

/* Field offsets of the fixed header. */
enum {
	OFF_MAGIC = 0,
	OFF_VERSION = 2,
	OFF_TYPE = 3,
	OFF_LENGTH = 4,
	OFF_LINK = 6,
	OFF_CLUSTER = 8,
	OFF_NODE = 12,
	OFF_INCARNATION = 16,
	OFF_SEQ = 24,
	OFF_TX_TIME = 32,
	OFF_INTERVAL = 40,
	OFF_FLAGS = 44,
	OFF_RESERVED = 46,
};

int hb_msg_encode(u8 *buf, size_t size, const struct hb_msg *msg)
{
	size_t len = HB_HDR_LEN + msg->tlvs_len;

	if (len > size || len > HB_MSG_MAX)
		return -1;
	hb_put16(buf + OFF_MAGIC, HB_MAGIC);
	buf[OFF_VERSION] = HB_VERSION;
	buf[OFF_TYPE] = msg->type;
	hb_put16(buf + OFF_LENGTH, (u16)len);
	hb_put16(buf + OFF_LINK, msg->link_id);
	hb_put32(buf + OFF_CLUSTER, msg->cluster);
	hb_put32(buf + OFF_NODE, msg->node_id);
	hb_put64(buf + OFF_INCARNATION, msg->incarnation);
	hb_put64(buf + OFF_SEQ, msg->seq);
	hb_put64(buf + OFF_TX_TIME, msg->tx_time_ns);
	hb_put32(buf + OFF_INTERVAL, msg->interval_us);
	hb_put16(buf + OFF_FLAGS, msg->flags);
	hb_put16(buf + OFF_RESERVED, 0);
	if (msg->tlvs_len)
		memmove(buf + HB_HDR_LEN, msg->tlvs, msg->tlvs_len);
	return (int)len;
}

void hb_msg_set_length(u8 *buf, size_t len)
{
	hb_put16(buf + OFF_LENGTH, (u16)len);
}

/*
 * Walk the TLV area once: every TLV must fit, unknown critical ones fail,
 * an AUTH TLV must have its size and be the last. Fills msg's auth fields.
 */
static bool hb_tlvs_valid(struct hb_msg *msg)
{
	const u8 *p = msg->tlvs;
	size_t len = msg->tlvs_len;

	while (len) {
		u16 type, vlen;
		size_t step;

		if (len < HB_TLV_HDR_LEN)
			return false;
		type = hb_get16(p);
		vlen = hb_get16(p + 2);
		step = HB_TLV_HDR_LEN + (((size_t)vlen + 3) & ~(size_t)3);
		if (step > len)
			return false;
		if (type == HB_TLV_AUTH) {
			if (vlen != HB_AUTH_VALUE_LEN || step != len)
				return false;
			msg->auth_key_id = hb_get16(p + HB_TLV_HDR_LEN);
			msg->mac = p + HB_TLV_HDR_LEN + 4;
			msg->mac_offset = (u16)(msg->mac - (msg->tlvs - HB_HDR_LEN));
		} else if (type == HB_TLV_ECHO) {
			if (!vlen || vlen % HB_ECHO_ENTRY_LEN ||
			    vlen > HB_ECHO_MAX * HB_ECHO_ENTRY_LEN || msg->echo)
				return false;
			msg->echo = p + HB_TLV_HDR_LEN;
			msg->echo_count = vlen / HB_ECHO_ENTRY_LEN;
		} else if (type == HB_TLV_GOSSIP) {
			if (vlen < HB_GOSSIP_HDR_LEN + HB_GOSSIP_ENTRY_LEN ||
			    (vlen - HB_GOSSIP_HDR_LEN) % HB_GOSSIP_ENTRY_LEN ||
			    vlen > HB_GOSSIP_TLV_MAX - HB_TLV_HDR_LEN ||
			    msg->gossip)
				return false;
			msg->gossip_total = hb_get16(p + HB_TLV_HDR_LEN);
			msg->gossip_first = hb_get16(p + HB_TLV_HDR_LEN + 2);
			msg->gossip = p + HB_TLV_HDR_LEN + HB_GOSSIP_HDR_LEN;
			msg->gossip_count = (vlen - HB_GOSSIP_HDR_LEN) /
					    HB_GOSSIP_ENTRY_LEN;
			if (msg->gossip_count > msg->gossip_total)
				return false;
		} else if (type == HB_TLV_LATE) {
			if (vlen != HB_LATE_VALUE_LEN || msg->has_late)
				return false;
			msg->has_late = true;
			msg->late_us = hb_get32(p + HB_TLV_HDR_LEN);
		} else if (type == HB_TLV_DYING) {
			if (vlen != HB_DYING_VALUE_LEN || msg->has_dying)
				return false;
			msg->has_dying = true;
			msg->dying_reason = p[HB_TLV_HDR_LEN];
		} else if (type == HB_TLV_PROBE) {
			if (vlen != HB_PROBE_VALUE_LEN || msg->has_probe)
				return false;
			msg->has_probe = true;
			msg->probe.target = hb_get32(p + HB_TLV_HDR_LEN);
			msg->probe.origin = hb_get32(p + HB_TLV_HDR_LEN + 4);
			msg->probe.helper = hb_get32(p + HB_TLV_HDR_LEN + 8);
			msg->probe.token = hb_get32(p + HB_TLV_HDR_LEN + 12);
		} else if ((type & HB_TLV_CRITICAL) &&
			   (type & ~HB_TLV_CRITICAL) != HB_TLV_PAD) {
			return false;
		}
		p += step;
		len -= step;
	}
	return true;
}

enum hb_decode_err hb_msg_decode(const u8 *buf, size_t len, struct hb_msg *msg)
{
	u16 length;

	if (len < HB_HDR_LEN)
		return HB_DECODE_SHORT;
	if (hb_get16(buf + OFF_MAGIC) != HB_MAGIC)
		return HB_DECODE_MAGIC;
	if (buf[OFF_VERSION] != HB_VERSION)
		return HB_DECODE_VERSION;
	length = hb_get16(buf + OFF_LENGTH);
	/* Ethernet may pad a frame, never shorten it. */
	if (length < HB_HDR_LEN || length > len || length > HB_MSG_MAX ||
	    (length - HB_HDR_LEN) % 4)
		return HB_DECODE_LENGTH;

	msg->version = buf[OFF_VERSION];
	msg->type = buf[OFF_TYPE];
	msg->length = length;
	msg->link_id = hb_get16(buf + OFF_LINK);
	msg->cluster = hb_get32(buf + OFF_CLUSTER);
	msg->node_id = hb_get32(buf + OFF_NODE);
	msg->incarnation = hb_get64(buf + OFF_INCARNATION);
	msg->seq = hb_get64(buf + OFF_SEQ);
	msg->tx_time_ns = hb_get64(buf + OFF_TX_TIME);
	msg->interval_us = hb_get32(buf + OFF_INTERVAL);
	msg->flags = hb_get16(buf + OFF_FLAGS);
	msg->tlvs = buf + HB_HDR_LEN;
	msg->tlvs_len = length - HB_HDR_LEN;
	msg->auth_key_id = 0;
	msg->mac = NULL;
	msg->mac_offset = 0;
	msg->echo = NULL;
	msg->echo_count = 0;
	msg->gossip = NULL;
	msg->gossip_count = 0;
	msg->gossip_total = 0;
	msg->gossip_first = 0;
	msg->has_late = false;
	msg->late_us = 0;
	msg->has_probe = false;
	memset(&msg->probe, 0, sizeof(msg->probe));
	msg->has_dying = false;
	msg->dying_reason = HB_DYING_NONE;

	if (msg->type < HB_MSG_HEARTBEAT || msg->type > HB_MSG_DYING)
		return HB_DECODE_TYPE;
	if (!msg->node_id || !msg->seq || !msg->incarnation ||
	    !msg->link_id || msg->link_id > HB_LINK_ID_MAX)
		return HB_DECODE_FIELD;
	/* The same bounds the netlink policy puts on our own interval. */
	if (msg->interval_us < 1000 || msg->interval_us > 60000000)
		return HB_DECODE_FIELD;
	if (!hb_tlvs_valid(msg))
		return HB_DECODE_TLV;
	/* Probes name their parties; nothing else may carry a PROBE TLV. */
	if (hb_msg_is_probe(msg->type) != msg->has_probe)
		return HB_DECODE_TLV;
	/*
	 * A reason belongs to DYING frames, and is one this version knows:
	 * 0 is none, which only a frame without the TLV gives.
	 */
	if (msg->has_dying && (msg->type != HB_MSG_DYING ||
			       msg->dying_reason < HB_DYING_PANIC ||
			       msg->dying_reason > HB_DYING_POWEROFF))
		return HB_DECODE_FIELD;
	if (msg->has_probe && (!msg->probe.target || !msg->probe.origin))
		return HB_DECODE_FIELD;
	return HB_DECODE_OK;
}

int hb_tlv_next(const struct hb_msg *msg, size_t *pos, struct hb_tlv *tlv)
{
	const u8 *p = msg->tlvs + *pos;

	if (*pos + HB_TLV_HDR_LEN > msg->tlvs_len)
		return 0;
	tlv->type = hb_get16(p);
	tlv->len = hb_get16(p + 2);
	tlv->value = p + HB_TLV_HDR_LEN;
	*pos += HB_TLV_HDR_LEN + (((size_t)tlv->len + 3) & ~(size_t)3);
	return 1;
}

int hb_tlv_put(u8 *buf, size_t size, size_t *len, u16 type,
	       const void *value, u16 vlen)
{
	size_t padded = ((size_t)vlen + 3) & ~(size_t)3;

	if (*len + HB_TLV_HDR_LEN + padded > size)
		return -1;
	hb_put16(buf + *len, type);
	hb_put16(buf + *len + 2, vlen);
	if (vlen)
		memcpy(buf + *len + HB_TLV_HDR_LEN, value, vlen);
	memset(buf + *len + HB_TLV_HDR_LEN + vlen, 0, padded - vlen);
	*len += HB_TLV_HDR_LEN + padded;
	return 0;
}

int hb_auth_put(u8 *buf, size_t size, size_t *len, u16 key_id)
{
	u8 value[HB_AUTH_VALUE_LEN] = { 0 };

	hb_put16(value, key_id);
	if (hb_tlv_put(buf, size, len, HB_TLV_AUTH, value, sizeof(value)))
		return -1;
	return (int)(*len - HB_AUTH_MAC_LEN);
}

int hb_echo_put(u8 *buf, size_t size, size_t *len, const struct hb_echo *e,
		unsigned int n)
{
	u8 value[HB_ECHO_MAX * HB_ECHO_ENTRY_LEN];
	unsigned int i;

	if (!n || n > HB_ECHO_MAX)
		return -1;
	for (i = 0; i < n; i++) {
		u8 *p = value + i * HB_ECHO_ENTRY_LEN;

		hb_put32(p, e[i].node_id);
		hb_put16(p + 4, e[i].link_id);
		hb_put16(p + 6, 0);
		hb_put64(p + 8, e[i].seq);
	}
	return hb_tlv_put(buf, size, len, HB_TLV_ECHO, value,
			  (u16)(n * HB_ECHO_ENTRY_LEN));
}

bool hb_echo_find(const struct hb_msg *msg, u32 node_id, struct hb_echo *e)
{
	unsigned int i;

	for (i = 0; i < msg->echo_count; i++) {
		const u8 *p = msg->echo + i * HB_ECHO_ENTRY_LEN;

		if (hb_get32(p) == node_id) {
			e->node_id = node_id;
			e->link_id = hb_get16(p + 4);
			e->seq = hb_get64(p + 8);
			return true;
		}
	}
	return false;
}

int hb_gossip_put(u8 *buf, size_t size, size_t *len, const struct hb_gossip *g,
		  unsigned int n, u16 total, u16 first)
{
	u8 value[HB_GOSSIP_HDR_LEN + HB_GOSSIP_MAX * HB_GOSSIP_ENTRY_LEN];
	unsigned int i;

	if (!n || n > HB_GOSSIP_MAX || n > total)
		return -1;
	hb_put16(value, total);
	hb_put16(value + 2, first);
	for (i = 0; i < n; i++) {
		u8 *p = value + HB_GOSSIP_HDR_LEN + i * HB_GOSSIP_ENTRY_LEN;

		hb_put32(p, g[i].node_id);
		hb_put32(p + 4, g[i].age_us);
		hb_put64(p + 8, g[i].incarnation);
		p[16] = g[i].state;
		p[17] = 0;
		hb_put16(p + 18, 0);
	}
	return hb_tlv_put(buf, size, len, HB_TLV_GOSSIP, value,
			  (u16)(HB_GOSSIP_HDR_LEN + n * HB_GOSSIP_ENTRY_LEN));
}

void hb_gossip_get(const struct hb_msg *msg, unsigned int i,
		   struct hb_gossip *g)
{
	const u8 *p = msg->gossip + i * HB_GOSSIP_ENTRY_LEN;

	g->node_id = hb_get32(p);
	g->age_us = hb_get32(p + 4);
	g->incarnation = hb_get64(p + 8);
	g->state = p[16];
}

int hb_late_put(u8 *buf, size_t size, size_t *len, u32 late_us)
{
	u8 value[HB_LATE_VALUE_LEN];

	hb_put32(value, late_us);
	hb_put32(value + 4, 0);
	return hb_tlv_put(buf, size, len, HB_TLV_LATE, value, sizeof(value));
}

int hb_probe_put(u8 *buf, size_t size, size_t *len, const struct hb_probe *p)
{
	u8 value[HB_PROBE_VALUE_LEN];

	hb_put32(value, p->target);
	hb_put32(value + 4, p->origin);
	hb_put32(value + 8, p->helper);
	hb_put32(value + 12, p->token);
	return hb_tlv_put(buf, size, len, HB_TLV_PROBE, value, sizeof(value));
}

int hb_dying_put(u8 *buf, size_t size, size_t *len, u8 reason)
{
	u8 value[HB_DYING_VALUE_LEN] = { reason };

	return hb_tlv_put(buf, size, len, HB_TLV_DYING, value, sizeof(value));
}
