// SPDX-License-Identifier: GPL-2.0-only
/*
 * The shared disk's blocks (disk_layout.h): encode, check, decode, and the
 * rules that read them. No floating point, no kernel dependency.
 */
#include "bytes.h"
#include "disk_layout.h"

/* Offsets of the fields, big-endian as on the wire. */
#define OFF_MAGIC	0
#define HDR_VERSION	8
#define HDR_BLOCK	12
#define HDR_SLOTS	16
#define HDR_CLUSTER	20
#define HDR_CRC		24
#define SLOT_NODE	4
#define SLOT_INC	8
#define SLOT_SEQ	16
#define SLOT_TIME	24
#define SLOT_IVAL	32
#define SLOT_FLAGS	36
#define SLOT_KEY	40
#define SLOT_CRC	44
#define MB_TARGET	4
#define MB_TINC		8
#define MB_FROM		16
#define MB_CMD		20
#define MB_SEQ		24
#define MB_TIME		32
#define MB_KEY		40
#define MB_CRC		44
#define ARB_HOLDER	4
#define ARB_INC		8
#define ARB_SEQ		16
#define ARB_TIME	24
#define ARB_CRC		32

u32 hb_disk_crc32(u32 crc, const u8 *p, size_t len)
{
	int k;

	crc = ~crc;
	while (len--) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = crc & 1 ? (crc >> 1) ^ 0xedb88320U : crc >> 1;
	}
	return ~crc;
}

/* Seal the fields before crc_off with their CRC. */
static void seal(u8 *blk, unsigned int crc_off)
{
	hb_put32(blk + crc_off, hb_disk_crc32(0, blk, crc_off));
}

static bool all_zero(const u8 *blk)
{
	unsigned int i;

	for (i = 0; i < HB_DISK_BLOCK; i++)
		if (blk[i])
			return false;
	return true;
}

/* EMPTY, CORRUPT, or OK once magic and CRC check. */
static enum hb_disk_block_state check(const u8 *blk, u32 magic,
				      unsigned int crc_off)
{
	if (all_zero(blk))
		return HB_DISK_EMPTY;
	if (hb_get32(blk) != magic ||
	    hb_get32(blk + crc_off) != hb_disk_crc32(0, blk, crc_off))
		return HB_DISK_CORRUPT;
	return HB_DISK_OK;
}

void hb_disk_header_put(u8 *blk, const struct hb_disk_header *h)
{
	memset(blk, 0, HB_DISK_BLOCK);
	hb_put64(blk + OFF_MAGIC, HB_DISK_MAGIC_HEADER);
	hb_put32(blk + HDR_VERSION, h->version);
	hb_put32(blk + HDR_BLOCK, HB_DISK_BLOCK);
	hb_put32(blk + HDR_SLOTS, h->slots);
	hb_put32(blk + HDR_CLUSTER, h->cluster);
	seal(blk, HDR_CRC);
}

enum hb_disk_block_state hb_disk_header_get(const u8 *blk,
					    struct hb_disk_header *h)
{
	if (all_zero(blk))
		return HB_DISK_EMPTY;
	if (hb_get64(blk + OFF_MAGIC) != HB_DISK_MAGIC_HEADER ||
	    hb_get32(blk + HDR_CRC) != hb_disk_crc32(0, blk, HDR_CRC))
		return HB_DISK_CORRUPT;
	h->version = hb_get32(blk + HDR_VERSION);
	h->slots = hb_get32(blk + HDR_SLOTS);
	h->cluster = hb_get32(blk + HDR_CLUSTER);
	if (h->version != HB_DISK_VERSION ||
	    hb_get32(blk + HDR_BLOCK) != HB_DISK_BLOCK ||
	    h->slots < HB_DISK_SLOTS_MIN || h->slots > HB_DISK_SLOTS_MAX)
		return HB_DISK_MISMATCH;
	return HB_DISK_OK;
}

enum hb_disk_block_state hb_disk_header_check(const u8 *blk, u32 slots,
					      u32 cluster)
{
	struct hb_disk_header h;
	enum hb_disk_block_state st = hb_disk_header_get(blk, &h);

	if (st != HB_DISK_OK)
		return st;
	if (h.slots != slots || h.cluster != cluster)
		return HB_DISK_MISMATCH;
	return HB_DISK_OK;
}

void hb_disk_slot_put(u8 *blk, const struct hb_disk_slot *s)
{
	memset(blk, 0, HB_DISK_BLOCK);
	hb_put32(blk + OFF_MAGIC, HB_DISK_MAGIC_SLOT);
	hb_put32(blk + SLOT_NODE, s->node_id);
	hb_put64(blk + SLOT_INC, s->incarnation);
	hb_put64(blk + SLOT_SEQ, s->seq);
	hb_put64(blk + SLOT_TIME, s->time_ns);
	hb_put32(blk + SLOT_IVAL, s->interval_us);
	hb_put32(blk + SLOT_FLAGS, s->flags);
	hb_put16(blk + SLOT_KEY, s->key_id);
	seal(blk, SLOT_CRC);
}

enum hb_disk_block_state hb_disk_slot_get(const u8 *blk,
					  struct hb_disk_slot *s)
{
	enum hb_disk_block_state st = check(blk, HB_DISK_MAGIC_SLOT, SLOT_CRC);

	if (st != HB_DISK_OK)
		return st;
	s->node_id = hb_get32(blk + SLOT_NODE);
	s->incarnation = hb_get64(blk + SLOT_INC);
	s->seq = hb_get64(blk + SLOT_SEQ);
	s->time_ns = hb_get64(blk + SLOT_TIME);
	s->interval_us = hb_get32(blk + SLOT_IVAL);
	s->flags = hb_get32(blk + SLOT_FLAGS);
	s->key_id = hb_get16(blk + SLOT_KEY);
	if (!s->node_id || !s->incarnation || !s->seq)
		return HB_DISK_CORRUPT;
	return HB_DISK_OK;
}

void hb_disk_mailbox_put(u8 *blk, const struct hb_disk_mailbox *m)
{
	memset(blk, 0, HB_DISK_BLOCK);
	hb_put32(blk + OFF_MAGIC, HB_DISK_MAGIC_MAILBOX);
	hb_put32(blk + MB_TARGET, m->target);
	hb_put64(blk + MB_TINC, m->target_incarnation);
	hb_put32(blk + MB_FROM, m->from);
	hb_put32(blk + MB_CMD, m->command);
	hb_put64(blk + MB_SEQ, m->seq);
	hb_put64(blk + MB_TIME, m->time_ns);
	hb_put16(blk + MB_KEY, m->key_id);
	seal(blk, MB_CRC);
}

enum hb_disk_block_state hb_disk_mailbox_get(const u8 *blk,
					     struct hb_disk_mailbox *m)
{
	enum hb_disk_block_state st = check(blk, HB_DISK_MAGIC_MAILBOX, MB_CRC);

	if (st != HB_DISK_OK)
		return st;
	m->target = hb_get32(blk + MB_TARGET);
	m->target_incarnation = hb_get64(blk + MB_TINC);
	m->from = hb_get32(blk + MB_FROM);
	m->command = hb_get32(blk + MB_CMD);
	m->seq = hb_get64(blk + MB_SEQ);
	m->time_ns = hb_get64(blk + MB_TIME);
	m->key_id = hb_get16(blk + MB_KEY);
	if (!m->target || !m->from)
		return HB_DISK_CORRUPT;
	return HB_DISK_OK;
}

void hb_disk_arb_put(u8 *blk, const struct hb_disk_arb *a)
{
	memset(blk, 0, HB_DISK_BLOCK);
	hb_put32(blk + OFF_MAGIC, HB_DISK_MAGIC_ARB);
	hb_put32(blk + ARB_HOLDER, a->holder);
	hb_put64(blk + ARB_INC, a->holder_incarnation);
	hb_put64(blk + ARB_SEQ, a->seq);
	hb_put64(blk + ARB_TIME, a->time_ns);
	seal(blk, ARB_CRC);
}

enum hb_disk_block_state hb_disk_arb_get(const u8 *blk, struct hb_disk_arb *a)
{
	enum hb_disk_block_state st = check(blk, HB_DISK_MAGIC_ARB, ARB_CRC);

	if (st != HB_DISK_OK)
		return st;
	a->holder = hb_get32(blk + ARB_HOLDER);
	a->holder_incarnation = hb_get64(blk + ARB_INC);
	a->seq = hb_get64(blk + ARB_SEQ);
	a->time_ns = hb_get64(blk + ARB_TIME);
	return HB_DISK_OK;
}

bool hb_disk_watch_update(struct hb_disk_watch *w,
			  const struct hb_disk_slot *s, u64 now)
{
	bool moved;

	if (w->node_id != s->node_id) {
		*w = (struct hb_disk_watch) {
			.node_id = s->node_id,
			.incarnation = s->incarnation,
			.seq = s->seq,
		};
		return false;
	}
	moved = s->incarnation != w->incarnation || s->seq > w->seq;
	w->incarnation = s->incarnation;
	w->seq = s->seq;
	if (moved)
		w->advanced_ns = now;
	return moved;
}

enum hb_disk_arb_action hb_disk_arb_step(struct hb_disk_arb_view *v,
					 const struct hb_disk_arb *read,
					 u32 self, u64 self_incarnation,
					 bool (*ally)(void *ctx, u32 id),
					 void *ctx, u64 now, u64 lease_ns)
{
	bool changed = read->holder != v->last.holder ||
		       read->holder_incarnation != v->last.holder_incarnation ||
		       read->seq != v->last.seq;
	u64 age;

	if (!v->seen) {
		v->seen = true;
		v->renewing = false;
		v->changed_ns = now;
	} else if (changed) {
		v->renewing = true;
		v->changed_ns = now;
	}
	v->last = *read;
	age = now > v->changed_ns ? now - v->changed_ns : 0;
	if (read->holder == self && read->holder_incarnation == self_incarnation)
		return HB_DISK_ARB_HOLD;
	if (!read->holder || age >= lease_ns)
		return HB_DISK_ARB_TAKE;
	if (v->renewing && age < lease_ns / 2 && ally(ctx, read->holder))
		return HB_DISK_ARB_ALLY;
	return HB_DISK_ARB_LOST;
}
