// SPDX-License-Identifier: GPL-2.0-only
/*
 * Probes: a node asks a peer to answer at once, measures the round trip,
 * and asks other members to do the same for it when it cannot hear the
 * peer itself (SWIM's ping-req). Three messages, each with a PROBE TLV
 * {target, origin, helper, token}:
 *
 *   PROBE	sender -> target: answer me. The target sends an ACK with the
 *		same TLV back to the address the PROBE came from.
 *   PROBE_REQ	origin -> helper: probe the target for me. The helper sends
 *		a PROBE of its own with the same TLV and, when the target's ACK
 *		comes back, relays it to origin.
 *   ACK	the answer, to the prober (origin, or the helper relaying).
 *
 * Probe frames are signed and checked like heartbeats but never feed the
 * detector or the sequence check of ident.c: they carry their link's
 * current sequence number without advancing it. Replays buy nothing: an
 * ACK counts only if its random token is pending here, and only once;
 * PROBE and PROBE_REQ only make us answer, at most HB_PROBE_RATE a second
 * per namespace (beyond that: dropped as probe_limit).
 *
 * Probes in flight sit in a small table per namespace; a timer expires
 * those unanswered after HB_PROBE_TIMEOUT_MS, and each of our own lost
 * probes becomes a probe event without a round trip.
 */
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/jiffies.h>
#include <linux/netdevice.h>
#include <linux/random.h>
#include <linux/skbuff.h>

#include "heartbeat.h"

#define HB_PROBE_TIMEOUT_NS	((u64)HB_PROBE_TIMEOUT_MS * NSEC_PER_MSEC)

/* ---- sending -------------------------------------------------------- */

/* One probe frame on link to dst; any context. */
static int hb_probe_xmit(struct hb_link *link, u8 type, const u8 *dst,
			 const struct hb_probe *p)
{
	u8 buf[HB_HDR_LEN + HB_PROBE_TLV_LEN + HB_AUTH_TLV_LEN];
	struct net_device *dev = link->dev;
	struct hb_net *hn = link->hn;
	struct hb_msg msg;
	size_t end;
	int len;

	hb_msg_of_link(link, type, &msg);
	/* The stream's position, not a new one (tx.c owns it). */
	msg.seq = max_t(u64, READ_ONCE(link->seq), 1);
	if (!msg.node_id)
		return -ENOTCONN;
	/* Silenced (app.c): no answer may show that we live. */
	if (hb_apps_silent(&hn->apps))
		return -ENETDOWN;
	if (!netif_running(dev) || !netif_carrier_ok(dev) ||
	    dev->mtu < sizeof(buf))
		return -ENETDOWN;
	msg.tx_time_ns = ktime_get_real_ns();
	len = hb_msg_encode(buf, HB_HDR_LEN, &msg);
	if (WARN_ON_ONCE(len < 0))
		return -EINVAL;
	end = len;
	if (WARN_ON_ONCE(hb_probe_put(buf, HB_HDR_LEN + HB_PROBE_TLV_LEN, &end,
				      p) < 0))
		return -EINVAL;
	hb_msg_set_length(buf, end);
	rcu_read_lock();
	len = hb_auth_sign(hn, buf, end);
	rcu_read_unlock();
	if (!len)
		return -EKEYREJECTED;
	if (net_xmit_eval(hb_tx_one(link, dst, buf, len)))
		return -EIO;
	if (type != HB_MSG_ACK)
		hb_stats_inc(hn, HB_STAT_PROBES_TX);
	return 0;
}

/*
 * Where a frame for peer goes on link: the address its frames come from
 * on that device, else its configured MAC, else the group address of a
 * multicast link. False if the peer cannot be reached there. peer->lock
 * held.
 */
static bool hb_probe_dst(const struct hb_peer *peer, const struct hb_link *link,
			 u8 *dst)
{
	const struct hb_probe_path *pp, *best = NULL;
	int ifindex = link->dev->ifindex;

	if (peer->dead || (peer->ifindex && peer->ifindex != ifindex))
		return false;
	for (pp = peer->probe.paths; pp < peer->probe.paths + HB_PROBE_PATHS;
	     pp++)
		if (pp->link_id && pp->ifindex == ifindex &&
		    (!best || pp->last_ns > best->last_ns))
			best = pp;
	if (best)
		ether_addr_copy(dst, best->mac);
	else if (is_valid_ether_addr(peer->mac))
		ether_addr_copy(dst, peer->mac);
	else if (link->mode == HEARTBEAT_LINK_MULTICAST)
		ether_addr_copy(dst, hb_group_mac);
	else
		return false;
	return true;
}

/* Can peer be reached on ifindex (0: on some link)? RCU held. */
static bool hb_probe_reachable(struct hb_net *hn, struct hb_peer *peer,
			       int ifindex)
{
	struct hb_link *link;
	u8 dst[ETH_ALEN];
	bool ok = false;

	list_for_each_entry_rcu(link, &hn->links, list) {
		if (ifindex && link->dev->ifindex != ifindex)
			continue;
		spin_lock_bh(&peer->lock);
		ok = hb_probe_dst(peer, link, dst);
		spin_unlock_bh(&peer->lock);
		if (ok)
			break;
	}
	return ok;
}

/*
 * A frame to peer on ifindex, or on each link that reaches it (0);
 * returns how many went out. RCU held.
 */
static unsigned int hb_probe_to_peer(struct hb_net *hn, struct hb_peer *peer,
				     int ifindex, u8 type,
				     const struct hb_probe *p)
{
	unsigned int sent = 0;
	struct hb_link *link;
	u8 dst[ETH_ALEN];
	bool ok;

	list_for_each_entry_rcu(link, &hn->links, list) {
		if (ifindex && link->dev->ifindex != ifindex)
			continue;
		spin_lock_bh(&peer->lock);
		ok = hb_probe_dst(peer, link, dst);
		spin_unlock_bh(&peer->lock);
		if (ok && !hb_probe_xmit(link, type, dst, p))
			sent++;
	}
	return sent;
}

/* ---- probes in flight ----------------------------------------------- */

static bool hb_probe_same(const struct hb_probe *a, const struct hb_probe *b)
{
	return a->token == b->token && a->target == b->target &&
	       a->origin == b->origin && a->helper == b->helper;
}

static struct hb_probe_entry *hb_probe_find(struct hb_probes *pr,
					    const struct hb_probe *p)
{
	struct hb_probe_entry *e;

	for (e = pr->e; e < pr->e + HB_PROBES_PENDING; e++)
		if (e->sent_ns && hb_probe_same(&e->p, p))
			return e;
	return NULL;
}

static void hb_probe_release(struct hb_probes *pr, struct hb_probe_entry *e)
{
	e->sent_ns = 0;
	pr->pending--;
}

/* Arm the timer for the oldest probe in flight; pr->lock held. */
static void hb_probe_arm(struct hb_probes *pr, u64 now)
{
	u64 first = U64_MAX, wait = 0;
	struct hb_probe_entry *e;

	if (!pr->live || !pr->pending)
		return;
	for (e = pr->e; e < pr->e + HB_PROBES_PENDING; e++)
		if (e->sent_ns && e->sent_ns < first)
			first = e->sent_ns;
	if (first + HB_PROBE_TIMEOUT_NS > now)
		wait = first + HB_PROBE_TIMEOUT_NS - now;
	mod_timer(&pr->timer, jiffies + nsecs_to_jiffies(wait) + 1);
}

/*
 * Track a probe about to go out: p gets a fresh token unless it relays
 * someone else's. Relays remember where to send the answer. -EBUSY when
 * the table is full, -EEXIST for a relay already in flight (a duplicate
 * or replayed request).
 */
static int hb_probe_track(struct hb_net *hn, struct hb_probe *p, int ifindex,
			  int reply_ifindex, const u8 *reply_mac)
{
	struct hb_probes *pr = &hn->probes;
	struct hb_probe_entry *e, *slot = NULL;
	u64 now = ktime_get_ns();
	int tries;

	spin_lock_bh(&pr->lock);
	for (tries = 0; !reply_mac && tries < 4; tries++) {
		p->token = get_random_u32();
		if (p->token && !hb_probe_find(pr, p))
			break;
	}
	if (!p->token || hb_probe_find(pr, p)) {
		spin_unlock_bh(&pr->lock);
		return -EEXIST;
	}
	for (e = pr->e; e < pr->e + HB_PROBES_PENDING; e++) {
		if (!e->sent_ns) {
			slot = e;
			break;
		}
	}
	if (!slot)
		goto busy;
	slot->p = *p;
	slot->sent_ns = now;
	slot->ifindex = ifindex;
	slot->mine = !reply_mac;
	slot->reply_ifindex = reply_ifindex;
	if (reply_mac)
		ether_addr_copy(slot->reply_mac, reply_mac);
	pr->pending++;
	if (!timer_pending(&pr->timer))
		hb_probe_arm(pr, now);
	spin_unlock_bh(&pr->lock);
	return 0;
busy:
	spin_unlock_bh(&pr->lock);
	return -EBUSY;
}

/* A probe that could not be sent after all. */
static void hb_probe_untrack(struct hb_net *hn, const struct hb_probe *p)
{
	struct hb_probes *pr = &hn->probes;
	struct hb_probe_entry *e;

	spin_lock_bh(&pr->lock);
	e = hb_probe_find(pr, p);
	if (e)
		hb_probe_release(pr, e);
	spin_unlock_bh(&pr->lock);
}

/* Take the pending probe p answers out of the table; false if none. */
static bool hb_probe_take(struct hb_net *hn, const struct hb_probe *p,
			  struct hb_probe_entry *out)
{
	struct hb_probes *pr = &hn->probes;
	struct hb_probe_entry *e;

	spin_lock_bh(&pr->lock);
	e = hb_probe_find(pr, p);
	if (e) {
		*out = *e;
		hb_probe_release(pr, e);
	}
	spin_unlock_bh(&pr->lock);
	return e;
}

/* Our probe was answered (rtt_ns > 0) or lost (0): tell listeners. */
static void hb_probe_event(struct hb_net *hn, const struct hb_probe_entry *e,
			   int ifindex, u64 rtt_ns)
{
	struct hb_event ev = {
		.type = HEARTBEAT_EVENT_PROBE,
		.peer = e->p.target,
		.token = e->p.token,
		.via = e->p.helper,
		.ifindex = ifindex,
		.rtt_ns = rtt_ns,
	};

	hb_event_emit(hn, &ev);
}

/* Send one tracked probe (PROBE or PROBE_REQ); returns frames sent. */
static unsigned int hb_probe_send(struct hb_net *hn, struct hb_peer *to,
				  int ifindex, u8 type, struct hb_probe *p)
{
	unsigned int sent;

	if (hb_probe_track(hn, p, ifindex, 0, NULL))
		return 0;
	sent = hb_probe_to_peer(hn, to, ifindex, type, p);
	if (!sent)
		hb_probe_untrack(hn, p);
	return sent;
}

static void hb_probe_expire(struct timer_list *t)
{
	struct hb_probes *pr = timer_container_of(pr, t, timer);
	struct hb_net *hn = container_of(pr, struct hb_net, probes);
	u64 now = ktime_get_ns();
	struct hb_probe_entry *e;

	spin_lock_bh(&pr->lock);
	for (e = pr->e; e < pr->e + HB_PROBES_PENDING; e++) {
		if (!e->sent_ns || now - e->sent_ns < HB_PROBE_TIMEOUT_NS)
			continue;
		/* Events never sleep: fine under our lock. */
		if (e->mine)
			hb_probe_event(hn, e, e->ifindex, 0);
		hb_probe_release(pr, e);
	}
	hb_probe_arm(pr, now);
	spin_unlock_bh(&pr->lock);
}

/* ---- receiving ------------------------------------------------------ */

/*
 * May we answer one more probe or request? A token bucket holding one
 * second: HB_PROBE_RATE a second, in bursts of as many.
 */
static bool hb_probe_allowed(struct hb_net *hn, u64 now)
{
	const u64 cost = NSEC_PER_SEC / HB_PROBE_RATE;
	struct hb_probes *pr = &hn->probes;
	bool ok = false;

	spin_lock_bh(&pr->lock);
	/* now was taken before the lock: another CPU may be ahead. */
	if (now > pr->last_ns) {
		pr->credit_ns = min_t(u64, NSEC_PER_SEC,
				      pr->credit_ns + (now - pr->last_ns));
		pr->last_ns = now;
	}
	if (pr->credit_ns >= cost) {
		pr->credit_ns -= cost;
		ok = true;
	}
	spin_unlock_bh(&pr->lock);
	return ok;
}

/* The slot of a peer's link link_id, or else the stalest; peer->lock held. */
static struct hb_probe_path *hb_probe_path(struct hb_peer *peer, u16 link_id)
{
	struct hb_probe_path *pp, *oldest = peer->probe.paths;

	for (pp = peer->probe.paths; pp < peer->probe.paths + HB_PROBE_PATHS;
	     pp++) {
		if (pp->link_id == link_id)
			return pp;
		if (!pp->link_id || pp->last_ns < oldest->last_ns)
			oldest = pp;
		if (!pp->link_id)
			break;
	}
	memset(oldest, 0, sizeof(*oldest));
	oldest->link_id = link_id;
	return oldest;
}

static void hb_probe_heard_peer(struct hb_peer *peer, const struct hb_msg *msg,
				int ifindex, const u8 *src, u64 now)
{
	struct hb_probe_path *pp;

	if (!src || !is_valid_ether_addr(src))
		return;
	spin_lock(&peer->lock);
	if (!peer->dead) {
		pp = hb_probe_path(peer, msg->link_id);
		pp->ifindex = ifindex;
		ether_addr_copy(pp->mac, src);
		pp->last_ns = now;
	}
	spin_unlock(&peer->lock);
}

void hb_probe_heard(struct hb_net *hn, const struct hb_msg *msg, int ifindex,
		    const u8 *src, u64 now)
{
	struct hb_peer *peer = hb_peer_find_rcu(hn, msg->node_id);

	if (peer)
		hb_probe_heard_peer(peer, msg, ifindex, src, now);
}

/* A round trip to peer_id, through its link_id (0: relayed, no path). */
static void hb_probe_record(struct hb_net *hn, u32 peer_id, u16 link_id,
			    u64 rtt_ns)
{
	struct hb_peer *peer = hb_peer_find_rcu(hn, peer_id);
	u32 us = hb_rtt_us(rtt_ns);

	if (!peer)
		return;
	spin_lock(&peer->lock);
	if (!peer->dead) {
		hb_rtt_add(&peer->probe.rtt, us);
		if (link_id)
			hb_rtt_window_add(&hb_probe_path(peer, link_id)->rtt,
					  us);
	}
	spin_unlock(&peer->lock);
}

/* PROBE: answer the sender, at the address the probe came from. */
static unsigned int hb_probe_answer(struct hb_net *hn,
				    const struct hb_msg *msg, int ifindex,
				    const u8 *src, u64 now)
{
	const struct hb_probe *p = &msg->probe;
	struct hb_link *link;

	if (p->target != READ_ONCE(hn->config.node_id) ||
	    (p->helper ? p->helper : p->origin) != msg->node_id ||
	    !src || !is_valid_ether_addr(src))
		return HEARTBEAT_DROP_FIELD;
	if (!hb_probe_allowed(hn, now))
		return HEARTBEAT_DROP_PROBE_LIMIT;
	link = hb_link_find(hn, ifindex);
	if (link)
		hb_probe_xmit(link, HB_MSG_ACK, src, p);
	return 0;
}

/* PROBE_REQ: probe the target for origin, remembering where origin is. */
static unsigned int hb_probe_request(struct hb_net *hn,
				     const struct hb_msg *msg, int ifindex,
				     const u8 *src, u64 now)
{
	struct hb_probe p = msg->probe;
	struct hb_peer *target;
	int err;

	if (p.helper != READ_ONCE(hn->config.node_id) ||
	    p.origin != msg->node_id || p.target == p.helper ||
	    p.target == p.origin || !src || !is_valid_ether_addr(src))
		return HEARTBEAT_DROP_FIELD;
	target = hb_peer_find_rcu(hn, p.target);
	if (!target)
		return HEARTBEAT_DROP_UNKNOWN_PEER;
	if (!hb_probe_allowed(hn, now))
		return HEARTBEAT_DROP_PROBE_LIMIT;
	/* A full table is a limit of its own; a duplicate, stale. */
	err = hb_probe_track(hn, &p, 0, ifindex, src);
	if (err)
		return err == -EEXIST ? HEARTBEAT_DROP_STALE_SEQ :
					HEARTBEAT_DROP_PROBE_LIMIT;
	if (!hb_probe_to_peer(hn, target, 0, HB_MSG_PROBE, &p))
		hb_probe_untrack(hn, &p);
	return 0;
}

/*
 * ACK: the answer to our own probe (origin is us), or the target's answer
 * to a probe we made for origin, to relay. Only a pending token counts.
 */
static unsigned int hb_probe_ack(struct hb_net *hn, const struct hb_msg *msg,
				 int ifindex, u64 now)
{
	const struct hb_probe *p = &msg->probe;
	u32 own = READ_ONCE(hn->config.node_id);
	struct hb_probe_entry e;
	struct hb_link *link;
	u64 rtt;

	if (p->origin == own) {
		/* From the target itself, or relayed by the helper we asked. */
		if ((p->helper ? p->helper : p->target) != msg->node_id)
			return HEARTBEAT_DROP_FIELD;
		if (!hb_probe_take(hn, p, &e) || !e.mine)
			return HEARTBEAT_DROP_STALE_SEQ;
		rtt = max_t(u64, now - min(now, e.sent_ns), 1);
		hb_stats_inc(hn, HB_STAT_PROBES_ACKED);
		hb_probe_record(hn, p->target, p->helper ? 0 : msg->link_id,
				rtt);
		hb_probe_event(hn, &e, ifindex, rtt);
		if (p->helper)
			hb_peer_heard_via(hn, p->target, p->helper, now);
		return 0;
	}
	if (p->helper != own || p->target != msg->node_id)
		return HEARTBEAT_DROP_FIELD;
	if (!hb_probe_take(hn, p, &e) || e.mine)
		return HEARTBEAT_DROP_STALE_SEQ;
	link = hb_link_find(hn, e.reply_ifindex);
	if (link)
		hb_probe_xmit(link, HB_MSG_ACK, e.reply_mac, p);
	return 0;
}

/*
 * A PROBE, PROBE_REQ or ACK past the cluster, id and MAC checks of rx.c,
 * from src (NULL: not Ethernet). Only known peers get an answer, and none
 * is ever created. Softirq, RCU held.
 */
unsigned int hb_probe_rx(struct hb_net *hn, const struct hb_msg *msg,
			 int ifindex, const u8 *src, u64 now)
{
	struct hb_peer *sender = hb_peer_find_rcu(hn, msg->node_id);

	if (!sender)
		return HEARTBEAT_DROP_UNKNOWN_PEER;
	hb_probe_heard_peer(sender, msg, ifindex, src, now);
	switch (msg->type) {
	case HB_MSG_PROBE:
		return hb_probe_answer(hn, msg, ifindex, src, now);
	case HB_MSG_PROBE_REQ:
		return hb_probe_request(hn, msg, ifindex, src, now);
	case HB_MSG_ACK:
		return hb_probe_ack(hn, msg, ifindex, now);
	}
	return HEARTBEAT_DROP_TYPE;
}

/* ---- requests ------------------------------------------------------- */

int hb_probe_peer(struct hb_net *hn, u32 peer_id, int ifindex, u32 *token,
		  struct netlink_ext_ack *extack)
{
	struct hb_probe p = { .target = peer_id };
	struct hb_peer *peer;
	int err = 0;

	rcu_read_lock();
	p.origin = READ_ONCE(hn->config.node_id);
	peer = hb_peer_find_rcu(hn, peer_id);
	if (!p.origin) {
		NL_SET_ERR_MSG(extack, "this node has no id yet");
		err = -ENOTCONN;
	} else if (!peer) {
		NL_SET_ERR_MSG(extack, "no such peer");
		err = -ENOENT;
	} else if (list_empty(&hn->links)) {
		NL_SET_ERR_MSG(extack, "this node has no link: add one first");
		err = -ENOTCONN;
	} else if (ifindex && !hb_link_find(hn, ifindex)) {
		if (dev_get_by_index_rcu(hn->net, ifindex)) {
			NL_SET_ERR_MSG(extack, "device is not a link");
			err = -ENOENT;
		} else {
			NL_SET_ERR_MSG(extack, "no such device");
			err = -ENODEV;
		}
	} else if (!hb_probe_reachable(hn, peer, ifindex)) {
		if (ifindex)
			NL_SET_ERR_MSG(extack, "the peer cannot be reached on this device");
		else
			NL_SET_ERR_MSG(extack, "the peer cannot be reached on any link");
		err = -EHOSTUNREACH;
	} else if (hb_probe_track(hn, &p, ifindex, 0, NULL)) {
		NL_SET_ERR_MSG(extack, "too many probes in flight: try again later");
		err = -EBUSY;
	} else if (!hb_probe_to_peer(hn, peer, ifindex, HB_MSG_PROBE, &p)) {
		hb_probe_untrack(hn, &p);
		NL_SET_ERR_MSG(extack, "the probe could not be sent (link down?)");
		err = -ENETDOWN;
	}
	rcu_read_unlock();
	*token = p.token;
	return err;
}

/*
 * The peer went suspect here: probe it directly, and ask up to
 * probe_helpers configured members we hear well to probe it too, starting
 * at a random one so that the same members do not always carry the load.
 */
void hb_probe_suspect(struct hb_net *hn, u32 peer_id)
{
	u32 want = READ_ONCE(hn->config.probe_helpers);
	u32 own = READ_ONCE(hn->config.node_id);
	struct hb_peer *target, *peer;
	unsigned int asked = 0, n = 0, start;
	struct hb_probe p;
	int pass;
	bool ok;

	if (!own)
		return;
	rcu_read_lock();
	target = hb_peer_find_rcu(hn, peer_id);
	if (!target)
		goto out;
	p = (struct hb_probe){ .target = peer_id, .origin = own };
	hb_probe_send(hn, target, 0, HB_MSG_PROBE, &p);

	start = get_random_u32() % max_t(unsigned int, READ_ONCE(hn->npeers), 1);
	for (pass = 0; pass < 2 && asked < want; pass++) {
		n = 0;
		list_for_each_entry_rcu(peer, &hn->peers, list) {
			if (asked >= want)
				break;
			if ((pass == 0) != (n++ >= start) || peer == target)
				continue;
			spin_lock_bh(&peer->lock);
			ok = !peer->dead && peer->configured &&
			     peer->det.state == HB_STATE_ALIVE;
			spin_unlock_bh(&peer->lock);
			if (!ok)
				continue;
			p = (struct hb_probe){
				.target = peer_id,
				.origin = own,
				.helper = peer->id,
			};
			if (hb_probe_send(hn, peer, 0, HB_MSG_PROBE_REQ, &p))
				asked++;
		}
	}
out:
	rcu_read_unlock();
}

/* ---- statistics ----------------------------------------------------- */

void hb_probe_snapshot(struct hb_peer *peer, struct hb_probe_snapshot *s)
{
	const struct hb_probe_path *pp;
	int i;

	memset(s, 0, sizeof(*s));
	spin_lock_bh(&peer->lock);
	hb_rtt_window_stats(&peer->probe.rtt.win, &s->rtt);
	s->total = peer->probe.rtt.total;
	s->sum_us = peer->probe.rtt.sum_us;
	memcpy(s->hist, peer->probe.rtt.hist, sizeof(s->hist));
	for (i = 0; i < HB_PROBE_PATHS; i++) {
		pp = &peer->probe.paths[i];
		s->paths[i].link_id = pp->link_id;
		s->paths[i].ifindex = pp->ifindex;
		hb_rtt_window_stats(&pp->rtt, &s->paths[i].rtt);
	}
	spin_unlock_bh(&peer->lock);
}

bool hb_probe_snapshot_id(struct hb_net *hn, u32 id,
			  struct hb_probe_snapshot *s)
{
	struct hb_peer *peer;

	rcu_read_lock();
	peer = hb_peer_find_rcu(hn, id);
	if (peer)
		hb_probe_snapshot(peer, s);
	rcu_read_unlock();
	return peer;
}

/* Round trips of the peer's link link_id, if it has some. */
const struct hb_rtt_stats *
hb_probe_path_stats(const struct hb_probe_snapshot *s, u16 link_id)
{
	int i;

	for (i = 0; i < HB_PROBE_PATHS; i++)
		if (s->paths[i].link_id == link_id && s->paths[i].rtt.samples)
			return &s->paths[i].rtt;
	return NULL;
}

u32 hb_probe_ifindex_rtt_us(const struct hb_probe_snapshot *s, int ifindex)
{
	int i;

	for (i = 0; i < HB_PROBE_PATHS; i++)
		if (ifindex && s->paths[i].ifindex == ifindex &&
		    s->paths[i].rtt.samples)
			return s->paths[i].rtt.mean_us;
	return 0;
}

/* ---- namespace ------------------------------------------------------ */

void hb_probe_net_init(struct hb_net *hn)
{
	struct hb_probes *pr = &hn->probes;

	spin_lock_init(&pr->lock);
	timer_setup(&pr->timer, hb_probe_expire, 0);
	pr->credit_ns = NSEC_PER_SEC;
	pr->last_ns = ktime_get_ns();
	pr->live = true;
}

/* After the links: nothing re-arms the timer once it is not live. */
void hb_probe_net_exit(struct hb_net *hn)
{
	struct hb_probes *pr = &hn->probes;

	spin_lock_bh(&pr->lock);
	pr->live = false;
	spin_unlock_bh(&pr->lock);
	timer_delete_sync(&pr->timer);
}
