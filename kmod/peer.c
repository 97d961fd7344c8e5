// SPDX-License-Identifier: GPL-2.0-only
/*
 * Peers: the other nodes of the cluster, configured by an administrator or
 * learned from their frames. Each peer has its own deadline hrtimer, armed
 * for the instant its next heartbeat becomes overdue and re-armed by every
 * heartbeat, so detection needs no periodic scan over all peers.
 *
 * Lifetime: a peer is in the table and the sorted list until removed; then
 * it is marked dead under its lock (so nothing re-arms its timer), the timer
 * is cancelled and the memory freed after an RCU grace period, since the
 * receive path looks peers up under RCU.
 */
#include <linux/etherdevice.h>
#include <linux/log2.h>
#include <linux/overflow.h>
#include <linux/slab.h>

#include "heartbeat.h"
#include "hb_trace.h"

struct hb_peer *hb_peer_find_rcu(struct hb_net *hn, u32 id)
{
	struct hb_peer *peer;

	hash_for_each_possible_rcu(hn->peer_hash, peer, hnode, id,
				   lockdep_is_held(&hn->peers_lock))
		if (peer->id == id)
			return peer;
	return NULL;
}

/*
 * Arm the deadline timer for the detector's next deadline or the next
 * channel to fall silent, whichever comes first; peer->lock held.
 */
static void hb_peer_arm(struct hb_peer *peer)
{
	u64 when = peer->det.deadline_ns;
	u64 chan = hb_channel_next_expiry(&peer->chans);

	if (chan && (!when || chan < when))
		when = chan;
	if (peer->dead || !when)
		return;
	hrtimer_start(&peer->deadline, ns_to_ktime(when), HRTIMER_MODE_ABS_SOFT);
}

static u64 hb_peer_interval_ns(const struct hb_peer *peer)
{
	return (u64)(peer->det.interval_us ?:
		     READ_ONCE(peer->hn->config.interval_us)) * NSEC_PER_USEC;
}

/*
 * How long a channel stays up after a frame: one interval longer than the
 * silence that makes the peer dead, so a peer that stops everywhere at
 * once dies before any of its channels does. peer->lock held.
 */
static u64 hb_peer_channel_timeout(const struct hb_peer *peer,
				   const struct hb_det_params *params)
{
	return hb_det_dead_after_ns(&peer->det, params) +
	       hb_peer_interval_ns(peer);
}

/* Time from the last heartbeat to a verdict "dead", in ms buckets. */
static void hb_detection_record(struct hb_net *hn, u64 detect_ns)
{
	u64 ms = div_u64(detect_ns, NSEC_PER_MSEC);
	unsigned int b = 0;

	if (ms)
		b = min_t(unsigned int, ilog2(ms) + 1,
			  HEARTBEAT_DETECT_BUCKETS - 1);
	atomic64_inc(&hn->detect_hist[b]);
	atomic64_add(div_u64(detect_ns, NSEC_PER_USEC), &hn->detect_sum_us);
	atomic64_inc(&hn->detect_count);
}

/*
 * This node's own verdict: the detector's on the network, unless the
 * shared disk says the peer still writes - then it is alive, silent
 * network or not (a peer that left or said its last words is not) - and
 * alive only while heard on min-links channels, else in doubt.
 * peer->lock held.
 */
static u8 hb_peer_local(const struct hb_peer *peer)
{
	bool enough = hb_channels_up(&peer->chans) >=
		      READ_ONCE(peer->hn->config.min_links);
	u8 local = peer->det.state;

	if (local != HB_STATE_LEFT && !peer->dying &&
	    hb_channel_is_up(&peer->chans, HB_CHANNEL_DISK))
		return enough ? HB_STATE_ALIVE : HB_STATE_SUSPECT;
	if (local == HB_STATE_ALIVE && !enough)
		return HB_STATE_SUSPECT;
	return local;
}

static bool hb_peer_live(const struct hb_peer *peer)
{
	u8 local = hb_peer_local(peer);

	return local == HB_STATE_ALIVE || local == HB_STATE_SUSPECT;
}

/* What the cluster view needs of the peer's detector; peer->lock held. */
static void hb_peer_subject(const struct hb_peer *peer,
			    struct hb_view_subject *subj)
{
	u64 ival = hb_peer_interval_ns(peer);

	subj->local = hb_peer_local(peer);
	subj->last_rx_ns = peer->det.heard ? peer->det.last_rx_ns : 0;
	subj->interval_ns = ival;
	subj->slack_ns = peer->det.slack_ns ?: ival;
	subj->dying = peer->dying && peer->det.state == HB_STATE_DEAD;
}

/*
 * A configured peer we hear ourselves (alive or suspect here), and since
 * when without a break; peer->lock held.
 */
void hb_peer_direct_update(struct hb_peer *peer, u64 now)
{
	bool direct = peer->configured &&
		      (peer->det.state == HB_STATE_ALIVE ||
		       peer->det.state == HB_STATE_SUSPECT);

	if (direct && !peer->direct)
		WRITE_ONCE(peer->direct_since_ns, now);
	WRITE_ONCE(peer->direct, direct);
}

/*
 * Our dead verdict waits for a quorum to confirm it, or stops waiting:
 * traced with how long it waited. peer->lock held.
 */
static void hb_peer_hold(struct hb_peer *peer, bool quorum_on, u8 local,
			 u8 state, u64 now)
{
	bool held = quorum_on && local == HB_STATE_DEAD &&
		    state != HB_STATE_DEAD;
	const struct net *net = peer->hn->net;

	if (held == !!peer->held_ns)
		return;
	if (held) {
		peer->held_ns = now;
		trace_verdict_deferred(net, peer->id, HB_DEFER_CONSENSUS,
				       HB_DEFER_HOLD, local, state, 0);
		return;
	}
	trace_verdict_deferred(net, peer->id, HB_DEFER_CONSENSUS,
			       state == HB_STATE_DEAD ? HB_DEFER_APPLY :
			       HB_DEFER_CANCEL, local, state,
			       now - peer->held_ns);
	peer->held_ns = 0;
}

/*
 * A verdict a local stall deferred was taken after all (apply) or is no
 * longer pending (cancel: heard again, gone, or new settings): traced once,
 * with how long it waited. peer->lock held.
 */
static void hb_peer_stall_over(struct hb_peer *peer, u8 action, u64 now)
{
	if (!peer->stalled_ns ||
	    (peer->det.deferred && peer->det.deadline_ns))
		return;
	trace_verdict_deferred(peer->hn->net, peer->id, HB_DEFER_STALL, action,
			       peer->det.state, peer->state,
			       now - peer->stalled_ns);
	peer->stalled_ns = 0;
}

/*
 * The state the cluster gives the peer now (view.h), reported when it
 * changes. Without expected-votes that is the detector's own verdict.
 * peer->lock held, RCU.
 */
void hb_peer_judge(struct hb_peer *peer, u64 now)
{
	struct hb_net *hn = peer->hn;
	struct hb_view_subject subj;
	struct hb_det_params params;
	struct hb_tally t = {};
	struct hb_quorum q;
	struct hb_event ev;
	bool consensus;
	u8 state;

	hb_peer_direct_update(peer, now);
	hb_quorum_get(hn, &q);
	hb_peer_subject(peer, &subj);
	if (q.on && subj.local == HB_STATE_DEAD)
		hb_view_tally(&peer->view, &subj, now, hb_member_live, hn, &q,
			      &t);
	state = hb_view_verdict(&subj, peer->state, peer->consensus, &q, &t,
				&consensus);
	hb_peer_hold(peer, q.on, subj.local, state, now);
	if (state == peer->state && consensus == peer->consensus)
		return;

	hb_det_params_get(hn, &params);
	ev = (struct hb_event) {
		.type = HEARTBEAT_EVENT_PEER_STATE,
		.state = state,
		.prev = peer->state,
		.phi = params.detector == HB_DETECTOR_PHI,
		.phi_milli = hb_phi_to_milli(hb_det_phi(&peer->det, &params,
							now)),
		.configured = peer->configured,
		.peer = peer->id,
		.incarnation = peer->det.incarnation,
		.quorum_on = q.on,
		.quorate = q.quorate,
		.consensus = consensus,
		.dying = state == HB_STATE_DEAD && subj.dying,
		.dying_reason = peer->dying_reason,
	};
	peer->state = state;
	peer->consensus = consensus;
	peer->state_ns = now;	/* for expire.c */
	hb_event_emit(hn, &ev);
}

/* A channel's name (IFNAMSIZ): its device, or the disk. RCU held. */
void hb_channel_name(struct hb_net *hn, u16 id, char *name,
			    int *ifindex)
{
	struct hb_link *link;

	*ifindex = 0;
	if (id == HB_CHANNEL_DISK) {
		strscpy(name, "disk", IFNAMSIZ);
		return;
	}
	link = hb_link_find_id(hn, id);
	if (link) {
		*ifindex = link->dev->ifindex;
		strscpy(name, link->dev->name, IFNAMSIZ);
	} else {
		snprintf(name, IFNAMSIZ, "link%u", id);
	}
}

/*
 * A channel of the peer went up or down: news when it died, or came back,
 * under a peer we hear (alive or suspect here); then the peer is judged
 * again, since min-links may now hold or fail. peer->lock and RCU held.
 */
static void hb_peer_channel_changed(struct hb_peer *peer,
				    const struct hb_channel_change *cc,
				    u64 now)
{
	struct hb_event ev;

	/* A peer this leaves dead gets a state event, not this one. */
	if ((!cc->up || cc->again) && hb_peer_live(peer)) {
		ev = (struct hb_event) {
			.type = HEARTBEAT_EVENT_DEGRADED,
			.state = peer->state,
			.prev = peer->state,
			.configured = peer->configured,
			.peer = peer->id,
			.incarnation = peer->det.incarnation,
			.channel = cc->id,
			.channel_up = cc->up,
			.links_up = hb_channels_up(&peer->chans),
			.links = hb_channels_known(&peer->chans),
		};
		hb_channel_name(peer->hn, cc->id, ev.channel_name, &ev.ifindex);
		hb_event_emit(peer->hn, &ev);
	}
	hb_peer_judge(peer, now);
}

/* Channels whose time is up go down; peer->lock and RCU held. */
static void hb_peer_channels_expire(struct hb_peer *peer, u64 now)
{
	u64 stall = hb_peer_interval_ns(peer) / 2;
	struct hb_channel_change cc;

	while (hb_channel_expire(&peer->chans, now, stall, &cc))
		hb_peer_channel_changed(peer, &cc, now);
}

/*
 * Report a step under peer->lock, so that listeners see a peer's events in
 * the order its state changed even when the receive path and the deadline
 * timer run on different CPUs. RCU held.
 */
static void hb_peer_report(struct hb_peer *peer, const struct hb_det_change *c,
			   const struct hb_det_params *params, u64 now)
{
	struct hb_net *hn = peer->hn;
	struct hb_event ev = {
		.type = HEARTBEAT_EVENT_PEER_RESTART,
		.state = peer->state,
		.prev = peer->state,
		.phi = params->detector == HB_DETECTOR_PHI,
		.configured = peer->configured,
		.peer = peer->id,
		.incarnation = peer->det.incarnation,
		.prev_incarnation = c->prev_incarnation,
	};
	struct hb_quorum q;

	if (c->restarted) {
		hb_quorum_get(hn, &q);
		ev.quorum_on = q.on;
		ev.quorate = q.quorate;
		ev.phi_milli = hb_phi_to_milli(hb_det_phi(&peer->det, params,
							  now));
		hb_event_emit(hn, &ev);
	}
	if (!c->changed)
		return;
	/*
	 * Silent on the network, or gone: its channels start over, silently,
	 * unless the disk still carries it - then they die one by one.
	 */
	if ((c->state == HB_STATE_DEAD || c->state == HB_STATE_LEFT) &&
	    !hb_peer_live(peer))
		hb_channels_reset(&peer->chans);
	/* Detection time measures silence: last words took none. */
	if (c->state == HB_STATE_DEAD && peer->det.heard && !peer->dying &&
	    (c->prev == HB_STATE_ALIVE || c->prev == HB_STATE_SUSPECT))
		hb_detection_record(hn, now - peer->det.last_rx_ns);
	hb_peer_judge(peer, now);
}

static enum hrtimer_restart hb_peer_deadline(struct hrtimer *timer)
{
	struct hb_peer *peer = container_of(timer, struct hb_peer, deadline);
	struct hb_det_params params;
	struct hb_det_change c;
	u64 now;

	hb_det_params_get(peer->hn, &params);
	rcu_read_lock();
	spin_lock(&peer->lock);
	if (peer->dead) {
		spin_unlock(&peer->lock);
		rcu_read_unlock();
		return HRTIMER_NORESTART;
	}
	now = ktime_get_ns();
	hb_det_expire(&peer->det, now, &params, &c);
	if (c.deferred) {
		hb_stats_inc(peer->hn, HB_STAT_DEFERRED);
		peer->stalled_ns = now;
		trace_verdict_deferred(peer->hn->net, peer->id, HB_DEFER_STALL,
				       HB_DEFER_HOLD, peer->det.state,
				       peer->state, 0);
	}
	hb_peer_report(peer, &c, &params, now);
	hb_peer_stall_over(peer, HB_DEFER_APPLY, now);
	hb_peer_channels_expire(peer, now);
	hb_peer_arm(peer);
	spin_unlock(&peer->lock);
	rcu_read_unlock();
	/* Silent here: ask the peer, and members to ask it for us. */
	if (c.changed && c.state == HB_STATE_SUSPECT)
		hb_probe_suspect(peer->hn, peer->id);
	return HRTIMER_NORESTART;
}

/* Insert into the id-sorted list; peers_lock held. */
static void hb_peer_list_insert(struct hb_net *hn, struct hb_peer *peer)
{
	struct hb_peer *pos;

	list_for_each_entry(pos, &hn->peers, list) {
		if (pos->id > peer->id) {
			list_add_tail_rcu(&peer->list, &pos->list);
			return;
		}
	}
	list_add_tail_rcu(&peer->list, &hn->peers);
}

/*
 * May a peer be learned now? A token bucket holding up to one second of
 * learning: at most learn_rate new peers a second, in bursts of as many.
 * peers_lock held.
 */
static bool hb_learn_allowed(struct hb_net *hn, u64 now)
{
	u32 rate = READ_ONCE(hn->config.learn_rate);
	u64 cost;

	if (!rate)
		return true;
	cost = div_u64(NSEC_PER_SEC, rate);
	hn->learn_credit_ns = min_t(u64, NSEC_PER_SEC,
				    hn->learn_credit_ns + (now - hn->learn_last_ns));
	hn->learn_last_ns = now;
	if (hn->learn_credit_ns < cost)
		return false;
	hn->learn_credit_ns -= cost;
	return true;
}

/*
 * Create a peer in the unknown state, or return the one that appeared
 * meanwhile. Learned peers (from frames) count against the learning rate;
 * all against the node's peer limit. On failure returns NULL with the
 * drop reason set.
 */
struct hb_peer *hb_peer_create(struct hb_net *hn, u32 id, bool learned,
			       gfp_t gfp, unsigned int *drop_reason)
{
	u16 window = (u16)READ_ONCE(hn->config.phi_window);
	struct hb_det_params params;
	struct hb_peer *peer, *old;

	/*
	 * A flood of made-up ids is refused here, before any allocation; the
	 * limit is checked again below, with the peer in hand.
	 */
	if (learned) {
		*drop_reason = 0;
		spin_lock_bh(&hn->peers_lock);
		if (hn->npeers >= READ_ONCE(hn->config.max_peers))
			*drop_reason = HEARTBEAT_DROP_PEER_LIMIT;
		else if (!hb_learn_allowed(hn, ktime_get_ns()))
			*drop_reason = HEARTBEAT_DROP_LEARN_RATE;
		spin_unlock_bh(&hn->peers_lock);
		if (*drop_reason)
			return NULL;
	}

	peer = kzalloc(struct_size(peer, samples, window), gfp);
	if (!peer) {
		*drop_reason = HEARTBEAT_DROP_NOMEM;
		return NULL;
	}
	hb_phi_window_init(&peer->window, peer->samples, window);
	peer->hn = hn;
	peer->id = id;
	spin_lock_init(&peer->lock);
	hrtimer_setup(&peer->deadline, hb_peer_deadline, CLOCK_MONOTONIC,
		      HRTIMER_MODE_ABS_SOFT);
	hb_det_params_get(hn, &params);
	hb_det_init(&peer->det, ktime_get_ns(), &params, &peer->window);

	spin_lock_bh(&hn->peers_lock);
	old = hb_peer_find_rcu(hn, id);
	if (old || hn->npeers >= READ_ONCE(hn->config.max_peers)) {
		spin_unlock_bh(&hn->peers_lock);
		kfree(peer);
		if (!old)
			*drop_reason = HEARTBEAT_DROP_PEER_LIMIT;
		return old;
	}
	hash_add_rcu(hn->peer_hash, &peer->hnode, id);
	hb_peer_list_insert(hn, peer);
	hn->npeers++;
	hb_sysfs_peers_changed(hn);
	spin_unlock_bh(&hn->peers_lock);
	return peer;
}

/* An administrator adds or updates a peer: the grace period starts now. */
void hb_peer_configure(struct hb_peer *peer, int ifindex, const u8 *mac)
{
	spin_lock_bh(&peer->lock);
	peer->configured = true;
	peer->ifindex = ifindex;
	if (mac)
		ether_addr_copy(peer->mac, mac);
	else
		eth_zero_addr(peer->mac);
	hb_peer_arm(peer);
	spin_unlock_bh(&peer->lock);
}

/* Take the peer out of the table and the list; peers_lock held. */
void hb_peer_unlink(struct hb_peer *peer)
{
	struct hb_net *hn = peer->hn;

	hash_del_rcu(&peer->hnode);
	list_del_rcu(&peer->list);
	hn->npeers--;
	hb_sysfs_peers_changed(hn);
}

/* An unlinked peer marked dead: stop its timer, free it after RCU. */
void hb_peer_free(struct hb_peer *peer)
{
	hrtimer_cancel(&peer->deadline);
	kfree_rcu(peer, rcu);
}

/* Process context only: waits for the deadline timer. */
void hb_peer_remove(struct hb_peer *peer)
{
	struct hb_net *hn = peer->hn;

	spin_lock_bh(&hn->peers_lock);
	hb_peer_unlink(peer);
	spin_unlock_bh(&hn->peers_lock);

	spin_lock_bh(&peer->lock);
	peer->dead = true;
	spin_unlock_bh(&peer->lock);
	hb_peer_free(peer);
}

void hb_peer_snapshot(struct hb_peer *peer, struct hb_peer_snapshot *s)
{
	int i;

	rcu_read_lock();
	spin_lock_bh(&peer->lock);
	s->id = peer->id;
	s->state = peer->state;
	s->local = hb_peer_local(peer);
	s->consensus = peer->consensus;
	s->dying = peer->dying && peer->det.state == HB_STATE_DEAD;
	s->dying_reason = peer->dying_reason;
	s->heard_by_count = hb_view_heard_by(&peer->view, ktime_get_ns(),
					     hb_member_live, peer->hn,
					     s->heard_by, HB_VIEW_REPORTS);
	s->configured = peer->configured;
	s->ifindex = peer->ifindex;
	ether_addr_copy(s->mac, peer->mac);
	s->det = peer->det;
	s->window = peer->window;
	/* The samples stay with the peer, which may go once we unlock. */
	s->window.samples = NULL;
	s->det.window = &s->window;
	memcpy(s->paths, peer->paths, sizeof(s->paths));
	s->chans = peer->chans;
	s->lost = peer->lost_retired;
	s->ready = !peer->not_ready;
	spin_unlock_bh(&peer->lock);
	rcu_read_unlock();

	for (i = 0; i < HB_PEER_PATHS; i++)
		s->lost += s->paths[i].lost;
}

/* Snapshot of the peer with this id, if there is one; any context. */
bool hb_peer_snapshot_id(struct hb_net *hn, u32 id, struct hb_peer_snapshot *s)
{
	struct hb_peer *peer;

	rcu_read_lock();
	peer = hb_peer_find_rcu(hn, id);
	if (peer)
		hb_peer_snapshot(peer, s);
	rcu_read_unlock();
	return peer;
}

/* phi of a snapshot at now, in thousandths. */
u32 hb_peer_phi_milli(struct hb_net *hn, const struct hb_peer_snapshot *s,
		      u64 now)
{
	struct hb_det_params params;

	hb_det_params_get(hn, &params);
	return hb_phi_to_milli(hb_det_phi(&s->det, &params, now));
}

/* The detector's settings changed: every deadline under the new ones. */
void hb_peers_rearm(struct hb_net *hn)
{
	struct hb_det_params params;
	struct hb_peer *peer;
	u64 now = ktime_get_ns();

	hb_det_params_get(hn, &params);
	rcu_read_lock();
	list_for_each_entry_rcu(peer, &hn->peers, list) {
		spin_lock_bh(&peer->lock);
		hb_det_rearm(&peer->det, now, &params);
		hb_peer_stall_over(peer, HB_DEFER_CANCEL, now);
		hb_channel_retime(&peer->chans,
				  hb_peer_channel_timeout(peer, &params));
		hb_peer_channels_expire(peer, now);
		hb_peer_arm(peer);
		spin_unlock_bh(&peer->lock);
	}
	rcu_read_unlock();
}

/* Judge every peer again (min-links changed); process context. */
void hb_peers_judge(struct hb_net *hn)
{
	struct hb_peer *peer;
	u64 now = ktime_get_ns();

	rcu_read_lock();
	list_for_each_entry_rcu(peer, &hn->peers, list) {
		spin_lock_bh(&peer->lock);
		if (!peer->dead)
			hb_peer_judge(peer, now);
		spin_unlock_bh(&peer->lock);
	}
	rcu_read_unlock();
}

/*
 * Our link link_id lost its carrier or went down: no peer is heard on it
 * any more, and each one's channel there says so at once. Process context.
 */
void hb_peers_channel_down(struct hb_net *hn, u16 link_id)
{
	struct hb_channel_change cc;
	struct hb_peer *peer;
	u64 now = ktime_get_ns();

	rcu_read_lock();
	list_for_each_entry_rcu(peer, &hn->peers, list) {
		spin_lock_bh(&peer->lock);
		if (!peer->dead && hb_channel_down(&peer->chans, link_id, &cc)) {
			hb_peer_channel_changed(peer, &cc, now);
			hb_peer_arm(peer);
		}
		spin_unlock_bh(&peer->lock);
	}
	rcu_read_unlock();
}

/* Our link link_id is gone: so are its channels. Process context. */
void hb_peers_channel_forget(struct hb_net *hn, u16 link_id)
{
	struct hb_peer *peer;
	u64 now = ktime_get_ns();

	rcu_read_lock();
	list_for_each_entry_rcu(peer, &hn->peers, list) {
		spin_lock_bh(&peer->lock);
		if (!peer->dead) {
			hb_channel_forget(&peer->chans, link_id);
			hb_peer_judge(peer, now);
		}
		spin_unlock_bh(&peer->lock);
	}
	rcu_read_unlock();
}

/*
 * Up to HB_ECHO_MAX peers we hear, each with the latest frame accepted
 * from it, taken in turn so that every peer is echoed within a few
 * frames however many there are. Any context; RCU inside.
 */
unsigned int hb_peers_echo(struct hb_net *hn, struct hb_echo *e)
{
	u32 start = READ_ONCE(hn->echo_next);
	struct hb_peer *peer;
	unsigned int n = 0;
	int pass;

	rcu_read_lock();
	for (pass = 0; pass < 2 && n < HB_ECHO_MAX; pass++) {
		list_for_each_entry_rcu(peer, &hn->peers, list) {
			if (pass == 0 ? peer->id < start : peer->id >= start)
				continue;
			spin_lock_bh(&peer->lock);
			if (peer->echo.seq && (peer->det.state == HB_STATE_ALIVE ||
					       peer->det.state == HB_STATE_SUSPECT))
				e[n++] = peer->echo;
			spin_unlock_bh(&peer->lock);
			if (n == HB_ECHO_MAX) {
				WRITE_ONCE(hn->echo_next, peer->id + 1);
				break;
			}
		}
	}
	rcu_read_unlock();
	return n;
}

/* An entry of our view of peer for gossip; false if we never heard it. */
static bool hb_peer_gossip_entry(struct hb_peer *peer, u64 now,
				 struct hb_gossip *g)
{
	u64 age_us;

	spin_lock_bh(&peer->lock);
	if (!peer->det.heard) {
		spin_unlock_bh(&peer->lock);
		return false;
	}
	age_us = div_u64(now > peer->det.last_rx_ns ?
			 now - peer->det.last_rx_ns : 0, NSEC_PER_USEC);
	g->node_id = peer->id;
	g->age_us = min_t(u64, age_us, HB_GOSSIP_AGE_MAX);
	g->incarnation = peer->det.incarnation;
	g->state = peer->det.state;
	spin_unlock_bh(&peer->lock);
	return true;
}

/*
 * Up to max entries of our own view (what our detector says of each peer
 * we heard), taken in turn from where the last frame stopped, so that a
 * view of any size goes out within total / max frames. *first is the
 * position of the first entry in the id-ordered list of *total peers.
 * Any context; RCU inside.
 */
unsigned int hb_peers_gossip(struct hb_net *hn, struct hb_gossip *g,
			     unsigned int max, u16 *total, u16 *first)
{
	u32 start = READ_ONCE(hn->gossip_next), next = 0;
	unsigned int n = 0, skipped = 0;
	u64 now = ktime_get_ns();
	struct hb_peer *peer;
	int pass;

	*total = min_t(unsigned int, READ_ONCE(hn->npeers), U16_MAX);
	rcu_read_lock();
	for (pass = 0; pass < 2 && n < max; pass++) {
		list_for_each_entry_rcu(peer, &hn->peers, list) {
			if (pass == 0 ? peer->id < start : peer->id >= start) {
				skipped += pass == 0;
				continue;
			}
			if (!hb_peer_gossip_entry(peer, now, &g[n]))
				continue;
			if (!n)
				*first = min_t(unsigned int, pass ? 0 : skipped,
					       U16_MAX);
			if (++n == max) {
				next = peer->id + 1;
				break;
			}
		}
	}
	rcu_read_unlock();
	WRITE_ONCE(hn->gossip_next, next);
	/* Peers come and go: never claim fewer than we send. */
	*total = max_t(unsigned int, *total, n);
	return n;
}

/*
 * Merge the reports of a configured member's frame: when it last heard
 * each node it names, on our clock. Only peers we know are touched;
 * gossip never creates one. Softirq, RCU held, no peer lock held.
 */
static void hb_gossip_merge(struct hb_net *hn, const struct hb_msg *msg,
			    u64 now)
{
	u32 own = READ_ONCE(hn->config.node_id);
	u32 hold = hb_view_hold_us(msg->gossip_total, msg->gossip_count,
				   msg->interval_us);
	unsigned int i, merged = 0;
	struct hb_peer *peer;
	struct hb_gossip g;
	u64 heard;

	for (i = 0; i < msg->gossip_count; i++) {
		hb_gossip_get(msg, i, &g);
		if (g.node_id == own || g.node_id == msg->node_id)
			continue;
		peer = hb_peer_find_rcu(hn, g.node_id);
		if (!peer)
			continue;
		heard = hb_view_heard_ns(g.state, g.age_us, HB_GOSSIP_AGE_MAX,
					 now);
		spin_lock(&peer->lock);
		if (!peer->dead) {
			hb_view_report(&peer->view, msg->node_id, heard, now,
				       hold);
			/* A report may settle a verdict waiting for it. */
			if (peer->det.state == HB_STATE_DEAD)
				hb_peer_judge(peer, now);
		}
		spin_unlock(&peer->lock);
		merged++;
	}
	if (merged)
		hb_stats_add(hn, HB_STAT_GOSSIP_RX, merged);
}

void hb_peer_heard_via(struct hb_net *hn, u32 peer_id, u32 helper_id, u64 now)
{
	struct hb_view_subject subj;
	struct hb_peer *peer;
	u64 stands;

	peer = hb_peer_find_rcu(hn, peer_id);
	if (!peer)
		return;
	spin_lock(&peer->lock);
	if (!peer->dead) {
		/*
		 * As a report of the helper's: it heard the peer now. It stands
		 * as long as the peer's own silence would take to convict it.
		 */
		hb_peer_subject(peer, &subj);
		stands = div_u64(subj.interval_ns *
				 max_t(u32, READ_ONCE(hn->config.fall), 1) +
				 subj.slack_ns, NSEC_PER_USEC);
		hb_view_report(&peer->view, helper_id, now, now,
			       min_t(u64, stands, HB_VIEW_HOLD_MAX_US));
		if (peer->det.state == HB_STATE_DEAD)
			hb_peer_judge(peer, now);
	}
	spin_unlock(&peer->lock);
}

void hb_peer_disk_heard(struct hb_net *hn, u32 id, u64 now, u64 timeout_ns)
{
	struct hb_channel_change cc;
	struct hb_peer *peer;

	rcu_read_lock();
	peer = hb_peer_find_rcu(hn, id);
	if (peer) {
		spin_lock_bh(&peer->lock);
		if (!peer->dead &&
		    hb_channel_heard(&peer->chans, HB_CHANNEL_DISK, now,
				     timeout_ns, &cc)) {
			hb_peer_channel_changed(peer, &cc, now);
			hb_peer_arm(peer);
		}
		spin_unlock_bh(&peer->lock);
	}
	rcu_read_unlock();
}

void hb_peers_flush(struct hb_net *hn)
{
	struct hb_peer *peer, *tmp;

	list_for_each_entry_safe(peer, tmp, &hn->peers, list)
		hb_peer_remove(peer);
}

/* Statistics of a sender link's stream: its slot, or else the stalest. */
static struct hb_path *hb_peer_path(struct hb_peer *peer, u16 link_id)
{
	struct hb_path *path, *oldest = &peer->paths[0];

	for (path = peer->paths; path < peer->paths + HB_PEER_PATHS; path++) {
		if (path->link_id == link_id)
			return path;
		if (!path->link_id || path->last_rx_ns < oldest->last_rx_ns)
			oldest = path;
		if (!path->link_id)
			break;
	}
	peer->lost_retired += oldest->lost;
	memset(oldest, 0, sizeof(*oldest));
	oldest->link_id = link_id;
	return oldest;
}

/* A new incarnation restarts every sequence stream. */
static void hb_peer_reset_paths(struct hb_peer *peer)
{
	int i;

	for (i = 0; i < HB_PEER_PATHS; i++)
		peer->lost_retired += peer->paths[i].lost;
	memset(peer->paths, 0, sizeof(peer->paths));
}

static const unsigned int hb_ident_drop[] = {
	[HB_IDENT_STALE] = HEARTBEAT_DROP_STALE_SEQ,
	[HB_IDENT_OLD] = HEARTBEAT_DROP_OLD_INCARNATION,
	[HB_IDENT_PENDING] = HEARTBEAT_DROP_UNCONFIRMED,
};

/*
 * A valid frame of our cluster from node msg->node_id arrived on link at
 * now. Returns 0 or the reason it was dropped. Softirq, RCU held.
 */
unsigned int hb_peer_rx(struct hb_net *hn, const struct hb_msg *msg,
			const struct hb_link *link, u64 now)
{
	enum hb_ident_verdict verdict;
	struct hb_channel_change cc;
	struct hb_ident_params ip;
	struct hb_det_params params;
	bool member, chan = false;
	struct hb_det_change c;
	unsigned int reason = 0;
	struct hb_peer *peer;
	struct hb_path *path;

	peer = hb_peer_find_rcu(hn, msg->node_id);
	if (!peer) {
		if (!READ_ONCE(hn->config.learn))
			return HEARTBEAT_DROP_UNKNOWN_PEER;
		/* Nobody to say goodbye to. */
		if (msg->type == HB_MSG_LEAVE)
			return 0;
		peer = hb_peer_create(hn, msg->node_id, true, GFP_ATOMIC,
				      &reason);
		if (!peer)
			return reason;
	}

	hb_det_params_get(hn, &params);
	ip.rise = params.rise;
	spin_lock(&peer->lock);
	if (peer->dead)
		goto unlock;
	/* Only a lower incarnation needs its freshness proven (auth.c). */
	ip.lower_ok = !peer->ident.known ||
		      msg->incarnation >= peer->ident.incarnation ||
		      hb_auth_fresh(hn, msg);
	verdict = hb_ident_rx(&peer->ident, msg->incarnation, msg->link_id,
			      msg->seq, now, &ip);
	if (verdict == HB_IDENT_RESTART) {
		hb_peer_reset_paths(peer);
	} else if (verdict != HB_IDENT_ACCEPT) {
		reason = hb_ident_drop[verdict];
		goto unlock;
	}
	peer->echo.node_id = peer->id;
	peer->echo.link_id = msg->link_id;
	peer->echo.seq = msg->seq;
	path = hb_peer_path(peer, msg->link_id);
	path->ifindex = link->dev->ifindex;
	hb_path_update(path, msg->seq, now);
	peer->dying = msg->type == HB_MSG_DYING;
	peer->dying_reason = msg->dying_reason;
	if (msg->type == HB_MSG_LEAVE) {
		hb_det_leave(&peer->det, now, msg->incarnation, &c);
	} else if (msg->type == HB_MSG_DYING) {
		hb_det_dying(&peer->det, now, msg->incarnation, &c);
	} else {
		hb_det_sender_late(&peer->det, msg->has_late ? msg->late_us : 0,
				   (u64)params.fall * msg->interval_us *
				   NSEC_PER_USEC);
		hb_det_heartbeat(&peer->det, now, msg->incarnation,
				 msg->interval_us, &params, &c);
		/* A frame still queued from before our carrier went is no proof. */
		if (netif_carrier_ok(link->dev))
			chan = hb_channel_heard(&peer->chans, link->id, now,
						hb_peer_channel_timeout(peer,
									&params),
						&cc);
	}
	hb_peer_report(peer, &c, &params, now);
	hb_peer_stall_over(peer, HB_DEFER_CANCEL, now);
	/* Dead by silence already, and now by its own word too. */
	if (peer->dying && !c.changed)
		hb_peer_judge(peer, now);
	if (chan)
		hb_peer_channel_changed(peer, &cc, now);
	hb_peer_arm(peer);
	hb_peer_ready_rx(peer, msg);
	member = peer->configured;
	spin_unlock(&peer->lock);
	/* Anyone on the segment can be learned: only members' word counts. */
	if (member && msg->gossip_count && msg->type == HB_MSG_HEARTBEAT)
		hb_gossip_merge(hn, msg, now);
	return 0;

unlock:
	spin_unlock(&peer->lock);
	return reason;
}
