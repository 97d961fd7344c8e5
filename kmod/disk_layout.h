/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The shared-disk channel's on-disk layout (Documentation/protocol.rst,
 * "Shared disk"): a region of whole 4 KiB blocks at an offset of a block
 * device that every node of the cluster can write.
 *
 *   block 0                 header: magic, version, slots, cluster
 *   blocks 1 .. S           slot of each node: its disk heartbeat
 *   blocks S+1 .. 2S        mailbox of each slot: a message to its node
 *   block 2S+1              arbitration: who holds the tie-breaker
 *
 * A node's slot is its node id modulo S. Every block starts with a magic
 * of its kind and ends its fields with a CRC32 over them, so a block that
 * was never written (all zero) reads as empty and a torn or foreign one as
 * corrupt; nothing in a block is trusted before its CRC checks. Slots and
 * mailboxes leave room for a MAC the module adds when keys are set.
 *
 * Blocks are 4 KiB whatever the device's sector size, so every read and
 * write is aligned for a device of 512-byte or 4 KiB sectors and goes
 * around any cache (bios with FUA, as O_DIRECT would).
 *
 * Plain C with no kernel dependency: host tests build the same file.
 */
#ifndef _HB_DISK_LAYOUT_H
#define _HB_DISK_LAYOUT_H

#include "compat.h"

#define HB_DISK_BLOCK		4096U
#define HB_DISK_VERSION		1
#define HB_DISK_SLOTS_MIN	2
#define HB_DISK_SLOTS_MAX	255
#define HB_DISK_SLOTS_DEFAULT	16

#define HB_DISK_MAGIC_HEADER	0x4842444953484452ULL	/* "HBDISHDR" */
#define HB_DISK_MAGIC_SLOT	0x48425354U		/* "HBST" */
#define HB_DISK_MAGIC_MAILBOX	0x48424d42U		/* "HBMB" */
#define HB_DISK_MAGIC_ARB	0x48424152U		/* "HBAR" */

/* Where a MAC goes in a slot or mailbox block, and how long it is. */
#define HB_DISK_MAC_OFFSET	64
#define HB_DISK_MAC_LEN		16

/* Blocks of a region with this many slots. */
static inline u32 hb_disk_region_blocks(u32 slots)
{
	return 2 + 2 * slots;
}

static inline u32 hb_disk_slot_block(u32 slots, u32 node_id)
{
	return 1 + node_id % slots;
}

static inline u32 hb_disk_mailbox_block(u32 slots, u32 slot_block)
{
	return slot_block + slots;
}

static inline u32 hb_disk_arb_block(u32 slots)
{
	return 1 + 2 * slots;
}

/* What reading a block found. */
enum hb_disk_block_state {
	HB_DISK_OK,
	HB_DISK_EMPTY,		/* never written: all zero */
	HB_DISK_CORRUPT,	/* wrong magic or CRC: foreign, torn or damaged */
	HB_DISK_MISMATCH,	/* a valid header of another layout or cluster */
};

struct hb_disk_header {
	u32 version;
	u32 slots;
	u32 cluster;
};

/* A node's disk heartbeat. */
struct hb_disk_slot {
	u32 node_id;
	u64 incarnation;
	u64 seq;		/* +1 per write, from 1 */
	u64 time_ns;		/* the writer's CLOCK_REALTIME */
	u32 interval_us;	/* how often it writes */
	u32 flags;		/* HB_DISK_SLOT_* */
	u16 key_id;		/* the key of the MAC after the fields; 0: none */
};

#define HB_DISK_SLOT_FENCED	0x1	/* it obeyed a poison pill */

/* A message to the node of a slot: stop (a poison pill). */
struct hb_disk_mailbox {
	u32 target;		/* the node it is for */
	u64 target_incarnation;	/* and the incarnation it means; 0: any */
	u32 from;		/* the quorate node that sent it */
	u32 command;		/* HB_DISK_CMD_* */
	u64 seq;		/* +1 per message from that sender */
	u64 time_ns;
	u16 key_id;
};

#define HB_DISK_CMD_NONE	0
#define HB_DISK_CMD_POISON	1	/* stop sending: you were fenced */

/* Who holds the tie-breaker, as long as they keep renewing it. */
struct hb_disk_arb {
	u32 holder;		/* node id; 0: nobody */
	u64 holder_incarnation;
	u64 seq;		/* +1 per renewal */
	u64 time_ns;
};

/* CRC32 (IEEE 802.3, reflected) of len bytes, crc 0 to start. */
u32 hb_disk_crc32(u32 crc, const u8 *p, size_t len);

/* Encoders fill a whole block (HB_DISK_BLOCK bytes, zeroed first). */
void hb_disk_header_put(u8 *blk, const struct hb_disk_header *h);
void hb_disk_slot_put(u8 *blk, const struct hb_disk_slot *s);
void hb_disk_mailbox_put(u8 *blk, const struct hb_disk_mailbox *m);
void hb_disk_arb_put(u8 *blk, const struct hb_disk_arb *a);

enum hb_disk_block_state hb_disk_header_get(const u8 *blk,
					    struct hb_disk_header *h);
enum hb_disk_block_state hb_disk_slot_get(const u8 *blk,
					  struct hb_disk_slot *s);
enum hb_disk_block_state hb_disk_mailbox_get(const u8 *blk,
					     struct hb_disk_mailbox *m);
enum hb_disk_block_state hb_disk_arb_get(const u8 *blk, struct hb_disk_arb *a);

/*
 * May a node join the region whose header block is blk, with slots and
 * cluster? OK to use it, EMPTY to write a new header first, CORRUPT or
 * MISMATCH to refuse.
 */
enum hb_disk_block_state hb_disk_header_check(const u8 *blk, u32 slots,
					      u32 cluster);

/*
 * What a reader keeps of another node's slot, to tell a live writer from
 * a stale block: the last sequence and when it was seen to advance.
 */
struct hb_disk_watch {
	u32 node_id;		/* 0: nothing seen yet */
	u64 incarnation;
	u64 seq;
	u64 advanced_ns;	/* our clock, when seq last advanced */
};

/*
 * A slot read at now: true when it shows its node alive since the last
 * read (a higher sequence, or a new incarnation of the same node). The
 * first sighting only records: a slot proves life by moving.
 */
bool hb_disk_watch_update(struct hb_disk_watch *w,
			  const struct hb_disk_slot *s, u64 now);

/*
 * The tie-breaker, a lease on the arbitration block. A node in an exact
 * half of its cluster reads the block every disk interval and asks what
 * to do:
 *   HOLD	the block names us: we hold the lease (renew it: write it
 *		again with seq + 1)
 *   TAKE	the lease is free, or nobody renewed it for lease_ns: write it
 *		naming us, and hold it only if the next read still does
 *		(whoever wrote last among racers wins, and every reader sees
 *		the same last write)
 *   ALLY	a member of our own half holds it and was seen renewing it
 *		within the last half lease: our half is quorate
 *   LOST	another half holds it, or an ally's renewal is not seen yet
 *		or no longer (not quorate; take it once the lease runs out)
 * ally(ctx, id) says whether id is a member of our half. Ages are this
 * node's own clock since it saw the block change; a first sighting is no
 * renewal. Between an ally's last renewal counting (half a lease) and a
 * take (a lease, then a read back) lie at least half a lease and an
 * interval: more than two readers' views of one write can differ by.
 */
enum hb_disk_arb_action {
	HB_DISK_ARB_HOLD,
	HB_DISK_ARB_TAKE,
	HB_DISK_ARB_ALLY,
	HB_DISK_ARB_LOST,
};

struct hb_disk_arb_view {
	struct hb_disk_arb last;	/* the block as last read */
	bool seen;		/* last is set */
	bool renewing;		/* it changed since we first saw it */
	u64 changed_ns;		/* our clock, when it last changed */
};

enum hb_disk_arb_action hb_disk_arb_step(struct hb_disk_arb_view *v,
					 const struct hb_disk_arb *read,
					 u32 self, u64 self_incarnation,
					 bool (*ally)(void *ctx, u32 id),
					 void *ctx, u64 now, u64 lease_ns);

#endif /* _HB_DISK_LAYOUT_H */
