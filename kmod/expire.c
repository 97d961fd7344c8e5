// SPDX-License-Identifier: GPL-2.0-only
/*
 * Expiry of learned peers. A peer learned from its frames costs a slot of
 * max-peers for as long as it exists; without expiry a flood of made-up ids
 * would keep the table full for good, and every one of them would later be
 * reported dead. So a learned peer that has been dead or left for the
 * node's learn-expire is forgotten: removed, counted (peers_expired) and
 * reported (an "expired" event on the events group and a uevent). Peers an
 * administrator configured never expire, nor do learned ones that are alive
 * or suspect.
 *
 * One delayed work per namespace does it, in process context because
 * removing a peer waits for its deadline timer. Rather than polling, each
 * run sleeps until the earliest moment a peer can expire: the first expiry
 * due among the peers dead or left now, or else learn-expire from now, since
 * a peer that dies later expires later than that. Each run holds hn->lock,
 * as every remover of peers does.
 */
#include <linux/jiffies.h>
#include <linux/slab.h>

#include "heartbeat.h"

/* Peers looked at per pass under RCU, then removed outside it. */
#define HB_EXPIRE_BATCH		32

/*
 * When the learned peer may be forgotten, or 0 if it may not (configured,
 * alive, suspect, unknown); peer->lock held.
 */
static u64 hb_expire_due(const struct hb_peer *peer, u64 expire_ns)
{
	if (peer->configured || peer->dead ||
	    (peer->det.state != HB_STATE_DEAD &&
	     peer->det.state != HB_STATE_LEFT))
		return 0;
	/* state_ns is a past instant of the monotonic clock: no wrap. */
	return peer->state_ns + expire_ns;
}

/*
 * Remove the peer if it is still due at now: checked and unlinked under
 * peers_lock and the peer's lock, so a frame cannot revive it in between.
 * Process context, hn->lock held.
 */
static bool hb_expire_peer(struct hb_peer *peer, u64 now, u64 expire_ns)
{
	struct hb_event ev = { .type = HEARTBEAT_EVENT_PEER_EXPIRED };
	struct hb_net *hn = peer->hn;
	u64 due;

	spin_lock_bh(&hn->peers_lock);
	spin_lock(&peer->lock);
	due = hb_expire_due(peer, expire_ns);
	if (due && due <= now) {
		peer->dead = true;
		ev.peer = peer->id;
		ev.state = peer->state;
		ev.prev = peer->state;
		ev.incarnation = peer->det.incarnation;
		hb_peer_unlink(peer);
	}
	spin_unlock(&peer->lock);
	spin_unlock_bh(&hn->peers_lock);
	if (!due || due > now)
		return false;

	hb_peer_free(peer);
	hb_stats_inc(hn, HB_STAT_EXPIRED);
	hb_event_emit(hn, &ev);
	return true;
}

/*
 * From the peer with id *next on, up to HB_EXPIRE_BATCH peers due at now
 * into batch; the earliest later expiry into *first. Returns how many, and
 * moves *next past the last peer looked at (U64_MAX: the end of the list).
 * hn->lock held, so the peers stay valid after RCU is left.
 */
static unsigned int hb_expire_collect(struct hb_net *hn, u64 now,
				      u64 expire_ns, u64 *next, u64 *first,
				      struct hb_peer **batch)
{
	struct hb_peer *peer;
	unsigned int n = 0;
	u64 due;

	rcu_read_lock();
	list_for_each_entry_rcu(peer, &hn->peers, list) {
		if (peer->id < *next)
			continue;
		if (n == HB_EXPIRE_BATCH) {
			*next = peer->id;
			rcu_read_unlock();
			return n;
		}
		spin_lock_bh(&peer->lock);
		due = hb_expire_due(peer, expire_ns);
		spin_unlock_bh(&peer->lock);
		if (due && due <= now)
			batch[n++] = peer;
		else if (due && due < *first)
			*first = due;
	}
	rcu_read_unlock();
	*next = U64_MAX;
	return n;
}

static void hb_expire_work(struct work_struct *work)
{
	struct hb_net *hn = container_of(to_delayed_work(work), struct hb_net,
					 expire_work);
	struct hb_peer *batch[HB_EXPIRE_BATCH];
	u64 expire_ns, now, first, next = 0;
	unsigned int i, n;

	mutex_lock(&hn->lock);
	expire_ns = (u64)hn->config.learn_expire_us * NSEC_PER_USEC;
	if (!expire_ns) {
		mutex_unlock(&hn->lock);
		return;
	}
	now = ktime_get_ns();
	/* A peer dead from now on expires no earlier than this. */
	first = now + expire_ns;
	while (next != U64_MAX) {
		n = hb_expire_collect(hn, now, expire_ns, &next, &first, batch);
		for (i = 0; i < n; i++)
			hb_expire_peer(batch[i], now, expire_ns);
	}
	mutex_unlock(&hn->lock);

	/* One jiffy more, so the run is never early for its peer. */
	queue_delayed_work(system_wq, &hn->expire_work,
			   nsecs_to_jiffies(first - now) + 1);
}

void hb_expire_net_init(struct hb_net *hn)
{
	INIT_DELAYED_WORK(&hn->expire_work, hb_expire_work);
	hb_expire_reschedule(hn);
}

/* Before the peers are flushed: no run after this. */
void hb_expire_net_exit(struct hb_net *hn)
{
	cancel_delayed_work_sync(&hn->expire_work);
}

/*
 * A new learn-expire takes effect now: a run right away computes when the
 * next one is due under it, or, with 0, stops.
 */
void hb_expire_reschedule(struct hb_net *hn)
{
	if (READ_ONCE(hn->config.learn_expire_us))
		mod_delayed_work(system_wq, &hn->expire_work, 0);
	else
		cancel_delayed_work(&hn->expire_work);
}
