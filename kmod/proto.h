/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The heartbeat wire format (Documentation/protocol.rst is the reference):
 * a fixed 48-byte header in network byte order, then TLVs. Plain C with no
 * kernel dependency: the module, host unit tests and fuzzers share it.
 */
#ifndef _HB_PROTO_H
#define _HB_PROTO_H

#include "compat.h"

#define HB_ETHERTYPE_DEFAULT	0x88B5	/* IEEE 802 local experimental 1 */
#define HB_MAGIC		0x4842	/* "HB" */
#define HB_VERSION		1
#define HB_HDR_LEN		48
#define HB_MSG_MAX		1024	/* fits any MTU >= 1280 */
#define HB_TLV_HDR_LEN		4
#define HB_TLV_CRITICAL		0x8000	/* unknown => drop the frame */
#define HB_LINK_ID_MAX		32	/* link ids are 1..32 */

/*
 * Header flags. Receivers ignore the bits they do not know.
 * NOT_READY: the sender is alive but an application it vouches for is not
 * ready (an expired readiness gate, Documentation/apps.rst).
 */
#define HB_FLAG_NOT_READY	0x0001

/* Group MAC address of multicast links: locally administered, multicast. */
#define HB_GROUP_MAC		{ 0x03, 0x48, 0x42, 0x00, 0x00, 0x01 }

enum hb_msg_type {
	HB_MSG_HEARTBEAT = 1,
	HB_MSG_LEAVE = 2,
	HB_MSG_PROBE = 3,	/* answer me (PROBE TLV) */
	HB_MSG_PROBE_REQ = 4,	/* probe the target for its origin */
	HB_MSG_ACK = 5,		/* the answer to a probe */
	HB_MSG_DYING = 6,	/* last words: the sender's kernel is going down */
};

static inline bool hb_msg_is_probe(u8 type)
{
	return type >= HB_MSG_PROBE && type <= HB_MSG_ACK;
}

/* TLV types known to this version. */
enum hb_tlv_type {
	HB_TLV_PAD = 0,		/* ignored; lets senders align what follows */
	HB_TLV_AUTH = HB_TLV_CRITICAL | 1,	/* MAC of the frame, last TLV */
	HB_TLV_ECHO = 2,	/* the latest frame heard from some peers */
	HB_TLV_GOSSIP = 3,	/* part of the sender's view of the cluster */
	HB_TLV_LATE = 4,	/* how late the sender's timer sent this frame */
	HB_TLV_PROBE = HB_TLV_CRITICAL | 5,	/* what a probe frame is about */
	HB_TLV_DYING = 6,	/* why the sender is going down */
};

/*
 * The DYING TLV, in DYING frames: why the sender's kernel is going down
 * (1 byte: enum hb_dying_reason), 3 reserved. A DYING frame without one
 * gives no reason.
 */
#define HB_DYING_VALUE_LEN	4
#define HB_DYING_TLV_LEN	(HB_TLV_HDR_LEN + HB_DYING_VALUE_LEN)

/* Values match enum heartbeat_reason of the uapi header. */
enum hb_dying_reason {
	HB_DYING_NONE,		/* not dying, or no reason given */
	HB_DYING_PANIC,
	HB_DYING_REBOOT,
	HB_DYING_HALT,
	HB_DYING_POWEROFF,
};

/*
 * The GOSSIP TLV: the sender's view of some members, taken in turn. Value:
 * total (2 bytes: members in the sender's view), first (2 bytes: the
 * index of the first entry in that rotation), then entries of 20 bytes:
 * node id (4), age of the last frame the sender itself accepted from that
 * node in microseconds (4; saturates), the node's incarnation (8), the
 * sender's own verdict on it (1: enum hb_state), 3 reserved. Only direct
 * evidence is gossiped: a node never passes on what it was told.
 */
#define HB_GOSSIP_HDR_LEN	4
#define HB_GOSSIP_ENTRY_LEN	20
#define HB_GOSSIP_MAX		32
#define HB_GOSSIP_TLV_MAX	(HB_TLV_HDR_LEN + HB_GOSSIP_HDR_LEN + \
				 HB_GOSSIP_MAX * HB_GOSSIP_ENTRY_LEN)
#define HB_GOSSIP_AGE_MAX	0xffffffffU

struct hb_gossip {
	u32 node_id;
	u32 age_us;
	u64 incarnation;
	u8 state;
};

/* The LATE TLV: microseconds the sender's timer fired late (4), 4 reserved. */
#define HB_LATE_VALUE_LEN	8
#define HB_LATE_TLV_LEN		(HB_TLV_HDR_LEN + HB_LATE_VALUE_LEN)

/*
 * The PROBE TLV, in PROBE, PROBE_REQ and ACK frames: target (4: the node
 * asked to answer), origin (4: the node that wants the answer), helper (4:
 * the node relaying for origin, 0: none), token (4: origin's, random).
 * Critical: a node that cannot read it must not take the frame for a
 * heartbeat.
 */
#define HB_PROBE_VALUE_LEN	16
#define HB_PROBE_TLV_LEN	(HB_TLV_HDR_LEN + HB_PROBE_VALUE_LEN)

struct hb_probe {
	u32 target;
	u32 origin;
	u32 helper;
	u32 token;
};

/*
 * The ECHO TLV: up to HB_ECHO_MAX entries of 16 bytes, each naming a peer
 * (node id, 4 bytes), the sending link of the latest frame accepted from
 * it (link id, 2 bytes; 2 reserved) and that frame's sequence number (8
 * bytes). A node reads its own entry as proof that a frame was made after
 * it sent that sequence number: a recording cannot echo what came later.
 */
#define HB_ECHO_ENTRY_LEN	16
#define HB_ECHO_MAX		8
#define HB_ECHO_TLV_MAX		(HB_TLV_HDR_LEN + HB_ECHO_MAX * HB_ECHO_ENTRY_LEN)

struct hb_echo {
	u32 node_id;
	u16 link_id;
	u64 seq;
};

/*
 * The AUTH TLV: key id (2 bytes), reserved (2 bytes, 0), then the first
 * HB_AUTH_MAC_LEN bytes of HMAC-SHA256 over everything before the MAC: the
 * header, the TLVs before it and the AUTH TLV's own first 8 bytes. It must
 * be the last TLV, so nothing after the MAC goes unauthenticated.
 */
#define HB_AUTH_MAC_LEN		16
#define HB_AUTH_VALUE_LEN	(4 + HB_AUTH_MAC_LEN)
#define HB_AUTH_TLV_LEN		(HB_TLV_HDR_LEN + HB_AUTH_VALUE_LEN)

/* A decoded header; TLVs stay in the buffer, walked with hb_tlv_next(). */
struct hb_msg {
	u8 version;
	u8 type;
	u16 length;		/* header + TLVs, without link padding */
	u16 link_id;		/* the sender's link, names the sequence stream */
	u16 flags;
	u32 cluster;
	u32 node_id;
	u64 incarnation;
	u64 seq;
	u64 tx_time_ns;
	u32 interval_us;
	const u8 *tlvs;
	u16 tlvs_len;
	/* Decoded from an AUTH TLV; mac is NULL without one. */
	u16 auth_key_id;
	const u8 *mac;
	u16 mac_offset;		/* bytes the MAC covers: those before it */
	/* The ECHO TLV's entries, if there is one. */
	const u8 *echo;
	u16 echo_count;
	/* The GOSSIP TLV: its header and entries (gossip_count 0: none). */
	const u8 *gossip;
	u16 gossip_count;
	u16 gossip_total;
	u16 gossip_first;
	/* The LATE TLV's value; has_late says whether there was one. */
	bool has_late;
	u32 late_us;
	/* The PROBE TLV, which PROBE, PROBE_REQ and ACK frames must have. */
	bool has_probe;
	struct hb_probe probe;
	/* The DYING TLV's reason (HB_DYING_NONE: no TLV, so none given). */
	bool has_dying;
	u8 dying_reason;
};

struct hb_tlv {
	u16 type;
	u16 len;
	const u8 *value;
};

/*
 * Decode results: 0 or one of these, each counted as its own drop reason
 * by the module (values match enum heartbeat_drop_reason).
 */
enum hb_decode_err {
	HB_DECODE_OK = 0,
	HB_DECODE_SHORT = 1,
	HB_DECODE_MAGIC = 2,
	HB_DECODE_VERSION = 3,
	HB_DECODE_LENGTH = 4,
	HB_DECODE_TYPE = 5,
	HB_DECODE_FIELD = 6,
	HB_DECODE_TLV = 7,
};

int hb_msg_encode(u8 *buf, size_t size, const struct hb_msg *msg);
/* Rewrite the length field of an encoded message that grew by a TLV. */
void hb_msg_set_length(u8 *buf, size_t len);
enum hb_decode_err hb_msg_decode(const u8 *buf, size_t len, struct hb_msg *msg);

/*
 * Iterate over the TLVs of a decoded message: *pos starts at 0. Returns 1
 * with *tlv filled, 0 at the end. A decoded message's TLVs are known to be
 * well formed.
 */
int hb_tlv_next(const struct hb_msg *msg, size_t *pos, struct hb_tlv *tlv);

/* Append a TLV at buf[*len]; returns -1 if it does not fit in size. */
int hb_tlv_put(u8 *buf, size_t size, size_t *len, u16 type,
	       const void *value, u16 vlen);

/*
 * Append an AUTH TLV with a zero MAC at buf[*len]; returns the offset of
 * the MAC, which the caller fills in once the header's length counts the
 * TLV, or -1 if it does not fit.
 */
int hb_auth_put(u8 *buf, size_t size, size_t *len, u16 key_id);

/* Append an ECHO TLV of n (1..HB_ECHO_MAX) entries; -1 if it does not fit. */
int hb_echo_put(u8 *buf, size_t size, size_t *len, const struct hb_echo *e,
		unsigned int n);

/* The decoded message's echo of node_id, if it has one. */
bool hb_echo_find(const struct hb_msg *msg, u32 node_id, struct hb_echo *e);

/*
 * Append a GOSSIP TLV of n (1..HB_GOSSIP_MAX) entries, first of total in
 * the sender's rotation; -1 if it does not fit.
 */
int hb_gossip_put(u8 *buf, size_t size, size_t *len, const struct hb_gossip *g,
		  unsigned int n, u16 total, u16 first);

/* Entry i (< msg->gossip_count) of a decoded message's GOSSIP TLV. */
void hb_gossip_get(const struct hb_msg *msg, unsigned int i,
		   struct hb_gossip *g);

int hb_late_put(u8 *buf, size_t size, size_t *len, u32 late_us);
int hb_probe_put(u8 *buf, size_t size, size_t *len, const struct hb_probe *p);
int hb_dying_put(u8 *buf, size_t size, size_t *len, u8 reason);

#endif /* _HB_PROTO_H */
