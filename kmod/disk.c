// SPDX-License-Identifier: GPL-2.0-only
/*
 * The shared-disk channel: a region of a block device every node of the
 * cluster can write (layout in disk_layout.h). Every disk interval a work
 * item writes this node's slot and reads the whole region back:
 *
 *   - a slot that moved since the last read is a live disk channel of its
 *     node (channel.h); a node alive on the disk is not dead, whatever its
 *     network says (peer.c), though the disk gives no vote in the quorum;
 *   - our slot's mailbox may hold a poison pill from a quorate node: this
 *     node then stops sending anything, marks its slot fenced, and raises
 *     a "fenced" event;
 *   - in an exact half of the cluster with tie-breaker disk, the
 *     arbitration block's lease decides which half is quorate.
 *
 * All I/O is synchronous bios of whole 4 KiB blocks with FUA on writes,
 * from the work item (process context), never from the data path; the
 * region is read into pages owned by this disk. A read or write error, a
 * block that does not check or a region changed under us is counted, and
 * the channel is down until the I/O works again.
 *
 * Opening a block device by path bypasses the device node's permissions:
 * adding a disk takes CAP_SYS_ADMIN in the initial user namespace, not
 * only the network namespace's admin.
 */
#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/capability.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>

#include "heartbeat.h"
#include "disk_layout.h"

/* Disk intervals a slot may stand still before its channel goes down. */
#define HB_DISK_FALL		3
/* The tie-breaker's lease, and how long a hold counts, in disk intervals. */
#define HB_DISK_LEASE		8
#define HB_DISK_HELD		4

/* The uapi's limits are the layout's. */
static_assert(HEARTBEAT_DISK_SLOTS_MIN == HB_DISK_SLOTS_MIN);
static_assert(HEARTBEAT_DISK_SLOTS_MAX == HB_DISK_SLOTS_MAX);
static_assert(HB_DISK_BLOCK <= PAGE_SIZE);
static_assert(HB_DISK_MAC_OFFSET + HB_DISK_MAC_LEN <= HB_DISK_BLOCK);
static_assert(HB_AUTH_MAC_LEN == HB_DISK_MAC_LEN);

struct hb_disk {
	struct hb_net *hn;
	struct hb_bdev_ref bdev_ref;	/* kcompat.h: what closes it */
	struct block_device *bdev;
	char path[HEARTBEAT_DISK_PATH_MAX + 1];
	u64 offset;
	u32 slots;
	u32 interval_us;
	u32 nblocks;
	struct page **pages;	/* a page per block of the region */
	struct page *msg_page;	/* mailbox writes of hb_disk_poison() */
	struct delayed_work work;
	bool stopping;
	/* The work's own; read by hb_disk_fill() without a lock. */
	bool up;
	bool fenced;
	bool fenced_written;	/* the slot says so: nothing more is written */
	u32 slot;
	u64 seq;
	u64 writes;
	u64 reads;
	u64 io_errors;
	u64 corrupt;
	u64 conflicts;
	u64 bad_mac;
	u32 lease_holder;
	u64 lease_seq;
	u64 held_ns;		/* when our half last held the lease */
	u64 obeyed_seq;		/* the last poison pill's sequence */
	u32 obeyed_from;
	u64 poison_seq;		/* ours, under hn->lock */
	struct hb_disk_arb_view arb;
	struct hb_disk_watch watch[];	/* per slot */
};

static u64 hb_disk_ival_ns(const struct hb_disk *d)
{
	return (u64)d->interval_us * NSEC_PER_USEC;
}

static u8 *hb_disk_blk(struct hb_disk *d, u32 block)
{
	return page_address(d->pages[block]);
}

/* Blocks first .. first + count - 1 of the region, in or out. */
static int hb_disk_io(struct hb_disk *d, struct page **pages, u32 first,
		      u32 count, blk_opf_t opf)
{
	u32 done = 0, n, i;
	struct bio *bio;
	int err = 0;

	while (!err && done < count) {
		n = min_t(u32, count - done, BIO_MAX_VECS);
		bio = bio_alloc(d->bdev, n, opf, GFP_KERNEL);
		bio->bi_iter.bi_sector = (d->offset +
					  (u64)(first + done) * HB_DISK_BLOCK) >>
					 SECTOR_SHIFT;
		for (i = 0; i < n; i++) {
			if (bio_add_page(bio, pages[done + i], HB_DISK_BLOCK,
					 0) != HB_DISK_BLOCK) {
				err = -EIO;
				break;
			}
		}
		if (!err)
			err = submit_bio_wait(bio);
		bio_put(bio);
		done += n;
	}
	return err;
}

static int hb_disk_write(struct hb_disk *d, struct page *page, u32 block)
{
	return hb_disk_io(d, &page, block, 1,
			  REQ_OP_WRITE | REQ_SYNC | REQ_FUA);
}

/* Sign a block's fields (before HB_DISK_MAC_OFFSET) if this node signs. */
static void hb_disk_sign(struct hb_disk *d, u8 *blk, u16 key_id)
{
	if (key_id)
		hb_auth_disk_sign(d->hn, key_id, blk, HB_DISK_MAC_OFFSET,
				  blk + HB_DISK_MAC_OFFSET);
}

static bool hb_disk_mac_ok(struct hb_disk *d, const u8 *blk, u16 key_id)
{
	if (hb_auth_disk_check(d->hn, key_id, blk, HB_DISK_MAC_OFFSET,
			       blk + HB_DISK_MAC_OFFSET))
		return true;
	d->bad_mac++;
	return false;
}

/* Write our slot: seq + 1, fenced or not. */
static int hb_disk_beat(struct hb_disk *d, u32 self)
{
	struct hb_net *hn = d->hn;
	struct hb_disk_slot s = {
		.node_id = self,
		.incarnation = hn->incarnation,
		.seq = d->seq + 1,
		.time_ns = ktime_get_real_ns(),
		.interval_us = d->interval_us,
		.flags = d->fenced ? HB_DISK_SLOT_FENCED : 0,
		.key_id = hb_auth_disk_key(hn),
	};
	u32 block = hb_disk_slot_block(d->slots, self);
	u8 *blk = hb_disk_blk(d, block);
	int err;

	hb_disk_slot_put(blk, &s);
	hb_disk_sign(d, blk, s.key_id);
	err = hb_disk_write(d, d->pages[block], block);
	if (err)
		return err;
	d->seq = s.seq;
	d->slot = block - 1;
	d->writes++;
	return 0;
}

/* Our own slot read back: another node writing it shares our slot. */
static void hb_disk_own_slot(struct hb_disk *d, const struct hb_disk_slot *s)
{
	if (s->incarnation != d->hn->incarnation || s->seq != d->seq)
		d->conflicts++;
}

static void hb_disk_slots(struct hb_disk *d, u32 self, u64 now)
{
	struct hb_disk_slot s;
	u32 i;

	for (i = 0; i < d->slots; i++) {
		const u8 *blk = hb_disk_blk(d, 1 + i);

		switch (hb_disk_slot_get(blk, &s)) {
		case HB_DISK_EMPTY:
			continue;
		case HB_DISK_OK:
			break;
		default:
			d->corrupt++;
			continue;
		}
		if (s.node_id % d->slots != i) {
			d->corrupt++;
			continue;
		}
		if (!hb_disk_mac_ok(d, blk, s.key_id))
			continue;
		if (s.node_id == self) {
			hb_disk_own_slot(d, &s);
			continue;
		}
		/* A fenced node's last write proves nothing. */
		if (hb_disk_watch_update(&d->watch[i], &s, now) &&
		    !(s.flags & HB_DISK_SLOT_FENCED))
			hb_peer_disk_heard(d->hn, s.node_id, now,
					   (HB_DISK_FALL + 1) *
					   (u64)s.interval_us * NSEC_PER_USEC);
	}
}

/*
 * A poison pill in our mailbox, for this very incarnation, from another
 * node, not obeyed yet: stop. An old pill cannot stop a restarted node.
 */
static void hb_disk_mailbox(struct hb_disk *d, u32 self)
{
	const u8 *blk = hb_disk_blk(d, hb_disk_mailbox_block(d->slots,
				     hb_disk_slot_block(d->slots, self)));
	struct hb_disk_mailbox m;

	if (d->fenced || hb_disk_mailbox_get(blk, &m) != HB_DISK_OK ||
	    m.target != self || m.target_incarnation != d->hn->incarnation ||
	    m.from == self || m.command != HB_DISK_CMD_POISON ||
	    (m.from == d->obeyed_from && m.seq == d->obeyed_seq))
		return;
	if (!hb_disk_mac_ok(d, blk, m.key_id))
		return;
	d->obeyed_from = m.from;
	d->obeyed_seq = m.seq;
	d->fenced = true;
	hb_node_fenced(d->hn, m.from);
}

void hb_node_fenced(struct hb_net *hn, u32 from)
{
	struct hb_event ev = {
		.type = HEARTBEAT_EVENT_FENCED,
		.peer = from,
	};

	WRITE_ONCE(hn->fenced, true);
	hb_event_emit(hn, &ev);
}

/* hb_disk_arb_step()'s ally: a member we hear ourselves now. */
static bool hb_disk_ally(void *ctx, u32 id)
{
	bool live;

	rcu_read_lock();
	live = hb_member_live(ctx, id, HB_VIEW_NOW);
	rcu_read_unlock();
	return live;
}

/* The tie-breaker: in an exact half, hold or take the lease. */
static void hb_disk_lease(struct hb_disk *d, u32 self, u64 now)
{
	u32 block = hb_disk_arb_block(d->slots);
	struct hb_net *hn = d->hn;
	struct hb_disk_arb read = {}, mine;
	struct hb_quorum q;

	hb_quorum_get(hn, &q);
	if (!q.on || q.tie_breaker != HB_TIE_DISK ||
	    2ULL * q.votes != q.expected)
		return;
	if (hb_disk_arb_get(hb_disk_blk(d, block), &read) == HB_DISK_CORRUPT)
		d->corrupt++;
	d->lease_holder = read.holder;
	switch (hb_disk_arb_step(&d->arb, &read, self, hn->incarnation,
				 hb_disk_ally, hn, now,
				 HB_DISK_LEASE * hb_disk_ival_ns(d))) {
	case HB_DISK_ARB_ALLY:
		d->held_ns = now;
		return;
	case HB_DISK_ARB_LOST:
		return;
	case HB_DISK_ARB_HOLD:
		d->held_ns = now;
		fallthrough;
	case HB_DISK_ARB_TAKE:
		break;
	}
	mine = (struct hb_disk_arb) {
		.holder = self,
		.holder_incarnation = hn->incarnation,
		.seq = read.seq + 1,
		.time_ns = ktime_get_real_ns(),
	};
	hb_disk_arb_put(hb_disk_blk(d, block), &mine);
	if (hb_disk_write(d, d->pages[block], block))
		d->io_errors++;
}

static void hb_disk_work(struct work_struct *work)
{
	struct hb_disk *d = container_of(to_delayed_work(work), struct hb_disk,
					 work);
	u32 self = READ_ONCE(d->hn->config.node_id);
	bool ok = false;
	u64 now;

	/* Stopped by a poison pill: a last write says so, then silence. */
	if (self && !d->fenced_written) {
		if (hb_disk_beat(d, self)) {
			d->io_errors++;
			goto out;
		}
		d->fenced_written = d->fenced;
	}
	if (hb_disk_io(d, d->pages + 1, 1, d->nblocks - 1,
		       REQ_OP_READ | REQ_SYNC)) {
		d->io_errors++;
		goto out;
	}
	d->reads++;
	now = ktime_get_ns();
	ok = true;
	if (!self)
		goto out;
	hb_disk_slots(d, self, now);
	hb_disk_mailbox(d, self);
	hb_disk_lease(d, self, now);
out:
	WRITE_ONCE(d->up, ok);
	WRITE_ONCE(d->hn->disk_held_ns, d->held_ns);
	if (!READ_ONCE(d->stopping))
		queue_delayed_work(system_unbound_wq, &d->work,
				   usecs_to_jiffies(d->interval_us));
}

/* Does our half hold the lease now? Any context. */
bool hb_disk_lease_held(struct hb_net *hn, u64 now)
{
	u64 held = READ_ONCE(hn->disk_held_ns);
	u32 ival = READ_ONCE(hn->disk_interval_us);

	return held && now >= held &&
	       now - held <= HB_DISK_HELD * (u64)ival * NSEC_PER_USEC;
}

static void hb_disk_free(struct hb_disk *d)
{
	u32 i;

	if (d->bdev)
		hb_bdev_close(&d->bdev_ref);
	if (d->pages)
		for (i = 0; i < d->nblocks; i++)
			if (d->pages[i])
				__free_page(d->pages[i]);
	kfree(d->pages);
	if (d->msg_page)
		__free_page(d->msg_page);
	kfree(d);
}

/* Join the region, or write its header on an empty one. */
static int hb_disk_join(struct hb_disk *d, struct netlink_ext_ack *extack)
{
	u32 cluster = READ_ONCE(d->hn->config.cluster_id);
	struct hb_disk_header h = {
		.version = HB_DISK_VERSION,
		.slots = d->slots,
		.cluster = cluster,
	};
	u8 *blk = hb_disk_blk(d, 0);

	if (hb_disk_io(d, d->pages, 0, 1, REQ_OP_READ | REQ_SYNC)) {
		NL_SET_ERR_MSG(extack, "cannot read the disk");
		return -EIO;
	}
	switch (hb_disk_header_check(blk, d->slots, cluster)) {
	case HB_DISK_OK:
		return 0;
	case HB_DISK_MISMATCH:
		NL_SET_ERR_MSG(extack,
			       "a heartbeat region of another cluster, version or number of slots is there");
		return -EEXIST;
	case HB_DISK_CORRUPT:
		NL_SET_ERR_MSG(extack,
			       "foreign or damaged data at that offset: not a heartbeat region (zero it to use it)");
		return -EINVAL;
	case HB_DISK_EMPTY:
		break;
	}
	hb_disk_header_put(blk, &h);
	if (hb_disk_write(d, d->pages[0], 0)) {
		NL_SET_ERR_MSG(extack, "cannot write the disk");
		return -EIO;
	}
	return 0;
}

static int hb_disk_alloc_pages(struct hb_disk *d)
{
	u32 i;

	d->pages = kcalloc(d->nblocks, sizeof(*d->pages), GFP_KERNEL);
	if (!d->pages)
		return -ENOMEM;
	for (i = 0; i < d->nblocks; i++) {
		d->pages[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!d->pages[i])
			return -ENOMEM;
	}
	d->msg_page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	return d->msg_page ? 0 : -ENOMEM;
}

int hb_disk_add(struct hb_net *hn, const struct hb_disk_cfg *cfg,
		struct netlink_ext_ack *extack)
{
	struct hb_disk *d;
	int err;

	lockdep_assert_held(&hn->lock);
	if (!capable(CAP_SYS_ADMIN)) {
		NL_SET_ERR_MSG(extack,
			       "opening a block device needs CAP_SYS_ADMIN");
		return -EPERM;
	}
	if (hn->disk) {
		NL_SET_ERR_MSG(extack, "the node has a disk already");
		return -EEXIST;
	}
	if (!hn->config.node_id) {
		NL_SET_ERR_MSG(extack, "set the node id first: it names the slot");
		return -EINVAL;
	}
	if (cfg->offset % HB_DISK_BLOCK) {
		NL_SET_ERR_MSG(extack, "the offset must be a multiple of 4096");
		return -EINVAL;
	}
	d = kzalloc(struct_size(d, watch, cfg->slots), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	d->hn = hn;
	strscpy(d->path, cfg->path, sizeof(d->path));
	d->offset = cfg->offset;
	d->slots = cfg->slots;
	d->interval_us = cfg->interval_us;
	d->nblocks = hb_disk_region_blocks(cfg->slots);
	INIT_DELAYED_WORK(&d->work, hb_disk_work);

	d->bdev = hb_bdev_open(d->path, &d->bdev_ref);
	if (IS_ERR(d->bdev)) {
		err = PTR_ERR(d->bdev);
		d->bdev = NULL;
		if (err == -ENOTBLK)
			NL_SET_ERR_MSG(extack, "not a block device");
		else
			NL_SET_ERR_MSG(extack, "cannot open the device");
		goto err;
	}
	if (bdev_logical_block_size(d->bdev) > HB_DISK_BLOCK) {
		NL_SET_ERR_MSG(extack, "the device's sectors are larger than 4096 bytes");
		err = -EINVAL;
		goto err;
	}
	if (bdev_nr_bytes(d->bdev) < d->offset ||
	    bdev_nr_bytes(d->bdev) - d->offset <
	    (u64)d->nblocks * HB_DISK_BLOCK) {
		NL_SET_ERR_MSG(extack,
			       "the device is too small for this many slots at this offset");
		err = -ENOSPC;
		goto err;
	}
	err = hb_disk_alloc_pages(d);
	if (err)
		goto err;
	err = hb_disk_join(d, extack);
	if (err)
		goto err;
	WRITE_ONCE(hn->disk_interval_us, d->interval_us);
	hn->disk = d;
	queue_delayed_work(system_unbound_wq, &d->work, 0);
	return 0;
err:
	hb_disk_free(d);
	return err;
}

/* hn->lock held (or the namespace going away). */
void hb_disk_del(struct hb_net *hn)
{
	struct hb_disk *d = hn->disk;

	if (!d)
		return;
	WRITE_ONCE(d->stopping, true);
	cancel_delayed_work_sync(&d->work);
	hn->disk = NULL;
	WRITE_ONCE(hn->disk_held_ns, 0);
	hb_disk_free(d);
}

int hb_disk_fill(struct sk_buff *skb, struct hb_net *hn)
{
	struct hb_disk *d = hn->disk;

	lockdep_assert_held(&hn->lock);
	if (nla_put_string(skb, HEARTBEAT_A_DISK_PATH, d->path) ||
	    nla_put_u64_64bit(skb, HEARTBEAT_A_DISK_OFFSET, d->offset,
			      HEARTBEAT_A_DISK_PAD) ||
	    nla_put_u32(skb, HEARTBEAT_A_DISK_SLOTS, d->slots) ||
	    nla_put_u32(skb, HEARTBEAT_A_DISK_INTERVAL_US, d->interval_us) ||
	    nla_put_u8(skb, HEARTBEAT_A_DISK_UP, READ_ONCE(d->up)) ||
	    nla_put_u32(skb, HEARTBEAT_A_DISK_SLOT, READ_ONCE(d->slot)) ||
	    nla_put_u64_64bit(skb, HEARTBEAT_A_DISK_SEQ, READ_ONCE(d->seq),
			      HEARTBEAT_A_DISK_PAD) ||
	    nla_put_u64_64bit(skb, HEARTBEAT_A_DISK_WRITES,
			      READ_ONCE(d->writes), HEARTBEAT_A_DISK_PAD) ||
	    nla_put_u64_64bit(skb, HEARTBEAT_A_DISK_READS, READ_ONCE(d->reads),
			      HEARTBEAT_A_DISK_PAD) ||
	    nla_put_u64_64bit(skb, HEARTBEAT_A_DISK_IO_ERRORS,
			      READ_ONCE(d->io_errors), HEARTBEAT_A_DISK_PAD) ||
	    nla_put_u64_64bit(skb, HEARTBEAT_A_DISK_CORRUPT,
			      READ_ONCE(d->corrupt), HEARTBEAT_A_DISK_PAD) ||
	    nla_put_u64_64bit(skb, HEARTBEAT_A_DISK_CONFLICTS,
			      READ_ONCE(d->conflicts), HEARTBEAT_A_DISK_PAD) ||
	    nla_put_u64_64bit(skb, HEARTBEAT_A_DISK_BAD_MAC,
			      READ_ONCE(d->bad_mac), HEARTBEAT_A_DISK_PAD) ||
	    nla_put_u32(skb, HEARTBEAT_A_DISK_LEASE_HOLDER,
			READ_ONCE(d->lease_holder)) ||
	    nla_put_u8(skb, HEARTBEAT_A_DISK_LEASE_HELD,
		       hb_disk_lease_held(hn, ktime_get_ns())) ||
	    nla_put_u8(skb, HEARTBEAT_A_DISK_FENCED, READ_ONCE(d->fenced)))
		return -EMSGSIZE;
	return 0;
}

/*
 * Ask node target, through its mailbox, to stop: hn->lock held, process
 * context; the quorum rule is the caller's.
 */
int hb_disk_poison(struct hb_net *hn, u32 target, u64 incarnation,
		   struct netlink_ext_ack *extack)
{
	struct hb_disk *d = hn->disk;
	struct hb_disk_mailbox m;
	u8 *blk;
	int err;

	lockdep_assert_held(&hn->lock);
	m = (struct hb_disk_mailbox) {
		.target = target,
		.target_incarnation = incarnation,
		.from = hn->config.node_id,
		.command = HB_DISK_CMD_POISON,
		.seq = ++d->poison_seq,
		.time_ns = ktime_get_real_ns(),
		.key_id = hb_auth_disk_key(hn),
	};
	blk = page_address(d->msg_page);
	hb_disk_mailbox_put(blk, &m);
	hb_disk_sign(d, blk, m.key_id);
	err = hb_disk_write(d, d->msg_page,
			    hb_disk_mailbox_block(d->slots,
						  hb_disk_slot_block(d->slots,
								     target)));
	if (err)
		NL_SET_ERR_MSG(extack, "cannot write the node's mailbox");
	return err;
}
