// SPDX-License-Identifier: GPL-2.0-only
/*
 * Quorum: while expected-votes is set, a soft hrtimer counts the votes at
 * every interval (10 ms at the shortest) - this node, and every configured
 * peer it hears itself or that a member it hears says it hears - decides
 * whether they hold a quorum (view.c), reports a change as a quorum event
 * and has every peer judged again: reports age, and a quorum gained or
 * lost changes verdicts. Verdicts are also taken at once whenever a
 * peer's detector or a report about it moves (peer.c).
 */
#include <linux/hrtimer.h>
#include <net/netlink.h>

#include "heartbeat.h"

#define HB_VIEW_PERIOD_MIN_NS	(10 * NSEC_PER_MSEC)

/* hb_view_live_fn: a member we have heard ourselves since then. RCU held. */
bool hb_member_live(void *ctx, u32 id, u64 since)
{
	struct hb_peer *peer = hb_peer_find_rcu(ctx, id);

	return peer && READ_ONCE(peer->direct) &&
	       READ_ONCE(peer->direct_since_ns) <= since;
}

void hb_quorum_get(struct hb_net *hn, struct hb_quorum *q)
{
	spin_lock_bh(&hn->quorum_lock);
	*q = hn->quorum;
	spin_unlock_bh(&hn->quorum_lock);
}

static void hb_quorum_report(struct hb_net *hn, const struct hb_quorum *q)
{
	struct hb_event ev = {
		.type = HEARTBEAT_EVENT_QUORUM,
		.quorum_on = q->on,
		.quorate = q->quorate,
		.votes = q->votes,
		.expected_votes = q->expected,
	};

	hb_event_emit(hn, &ev);
}

/* A configured peer's vote: we hear it, or a member we hear does. */
static bool hb_peer_votes(struct hb_peer *peer, u64 now)
{
	return peer->direct ||
	       hb_view_heard_by(&peer->view, now, hb_member_live, peer->hn,
				NULL, 0);
}

/* Count the votes, decide, and judge every peer again; softirq, RCU held. */
static void hb_view_update(struct hb_net *hn, u64 now)
{
	u32 self = READ_ONCE(hn->config.node_id);
	u32 nodes = 1, votes = 1, lowest = self, highest = self;
	bool has_lowest, has_highest, changed;
	struct hb_quorum_params params;
	struct hb_peer *peer;
	struct hb_quorum q;

	list_for_each_entry_rcu(peer, &hn->peers, list) {
		spin_lock(&peer->lock);
		hb_peer_direct_update(peer, now);
		if (peer->configured && !peer->dead) {
			nodes++;
			lowest = min(lowest, peer->id);
			highest = max(highest, peer->id);
		}
		spin_unlock(&peer->lock);
	}
	has_lowest = self == lowest;
	has_highest = self == highest;
	list_for_each_entry_rcu(peer, &hn->peers, list) {
		bool vote;

		spin_lock(&peer->lock);
		vote = peer->configured && !peer->dead &&
		       hb_peer_votes(peer, now);
		spin_unlock(&peer->lock);
		if (!vote)
			continue;
		votes++;
		has_lowest |= peer->id == lowest;
		has_highest |= peer->id == highest;
	}

	spin_lock(&hn->quorum_lock);
	params = hn->quorum_params;
	hn->quorum.self = self;
	hn->quorum.nodes = nodes;
	hn->quorum.disk_held = hb_disk_lease_held(hn, now);
	hn->quorum.lowest = lowest;
	hn->quorum.highest = highest;
	changed = hb_quorum_decide(&hn->quorum, &params, votes, has_lowest,
				   has_highest);
	if (changed)
		hn->quorum_changes++;
	q = hn->quorum;
	spin_unlock(&hn->quorum_lock);
	if (changed)
		hb_quorum_report(hn, &q);

	list_for_each_entry_rcu(peer, &hn->peers, list) {
		spin_lock(&peer->lock);
		if (!peer->dead)
			hb_peer_judge(peer, now);
		spin_unlock(&peer->lock);
	}
}

static enum hrtimer_restart hb_view_tick(struct hrtimer *timer)
{
	struct hb_net *hn = container_of(timer, struct hb_net, view_timer);
	u64 period = (u64)READ_ONCE(hn->config.interval_us) * NSEC_PER_USEC;
	bool on;

	rcu_read_lock();
	hb_view_update(hn, ktime_get_ns());
	rcu_read_unlock();

	/*
	 * Stop once quorum is off and was decided off (it may have been set
	 * off after this tick read the settings); hb_quorum_kick() starts us
	 * again.
	 */
	spin_lock(&hn->quorum_lock);
	on = (hn->quorum_params.expected_votes || hn->quorum.on) &&
	     hn->view_live;
	if (!on)
		hn->view_running = false;
	spin_unlock(&hn->quorum_lock);
	if (!on)
		return HRTIMER_NORESTART;
	hrtimer_forward_now(timer, ns_to_ktime(max_t(u64, period,
						     HB_VIEW_PERIOD_MIN_NS)));
	return HRTIMER_RESTART;
}

/* Count the votes now, and go on counting while quorum is on. */
void hb_quorum_kick(struct hb_net *hn)
{
	spin_lock_bh(&hn->quorum_lock);
	if (!hn->view_running && hn->view_live) {
		hn->view_running = true;
		hrtimer_start(&hn->view_timer, 0, HRTIMER_MODE_REL_SOFT);
	}
	spin_unlock_bh(&hn->quorum_lock);
}

/* Configured peers and self: what quorum can count; hn->lock held. */
static unsigned int hb_quorum_nodes(struct hb_net *hn)
{
	struct hb_peer *peer;
	unsigned int n = 1;

	rcu_read_lock();
	list_for_each_entry_rcu(peer, &hn->peers, list)
		n += READ_ONCE(peer->configured);
	rcu_read_unlock();
	return n;
}

/* May one more peer be configured? hn->lock held. */
int hb_quorum_peer_check(struct hb_net *hn, struct netlink_ext_ack *extack)
{
	bool on;

	spin_lock_bh(&hn->quorum_lock);
	on = hn->quorum_params.expected_votes;
	spin_unlock_bh(&hn->quorum_lock);
	if (on && hb_quorum_nodes(hn) >= HEARTBEAT_VOTES_MAX) {
		NL_SET_ERR_MSG(extack,
			       "quorum counts at most 65 members: this node and 64 configured peers");
		return -E2BIG;
	}
	return 0;
}

/* hn->lock held. */
int hb_quorum_set(struct hb_net *hn, const struct hb_quorum_params *p,
		  struct netlink_ext_ack *extack)
{
	if (p->expected_votes && hb_quorum_nodes(hn) > HEARTBEAT_VOTES_MAX) {
		NL_SET_ERR_MSG(extack,
			       "quorum counts at most 65 members: this node and 64 configured peers");
		return -E2BIG;
	}
	spin_lock_bh(&hn->quorum_lock);
	if (p->expected_votes != hn->quorum_params.expected_votes ||
	    p->wait_for_all != hn->quorum_params.wait_for_all)
		hn->quorum.all_seen = false;
	hn->quorum_params = *p;
	spin_unlock_bh(&hn->quorum_lock);
	hb_quorum_kick(hn);
	return 0;
}

/*
 * Ids of the voting members now, self included, ascending (the peer list
 * is sorted); returns how many, which may be more than max. Any context.
 */
unsigned int hb_quorum_members(struct hb_net *hn, u32 *ids, unsigned int max)
{
	u32 self = READ_ONCE(hn->config.node_id);
	u64 now = ktime_get_ns();
	struct hb_peer *peer;
	unsigned int n = 0;
	bool vote;

	rcu_read_lock();
	list_for_each_entry_rcu(peer, &hn->peers, list) {
		if (self && self < peer->id) {
			if (n < max)
				ids[n] = self;
			n++;
			self = 0;
		}
		spin_lock_bh(&peer->lock);
		vote = peer->configured && !peer->dead &&
		       hb_peer_votes(peer, now);
		spin_unlock_bh(&peer->lock);
		if (vote) {
			if (n < max)
				ids[n] = peer->id;
			n++;
		}
	}
	rcu_read_unlock();
	if (self) {
		if (n < max)
			ids[n] = self;
		n++;
	}
	return n;
}

void hb_quorum_net_init(struct hb_net *hn)
{
	/* This node and the reports one peer keeps must make a quorum. */
	BUILD_BUG_ON(2 * (HB_VIEW_REPORTS + 1) <= HEARTBEAT_VOTES_MAX);
	spin_lock_init(&hn->quorum_lock);
	hrtimer_setup(&hn->view_timer, hb_view_tick, CLOCK_MONOTONIC,
		      HRTIMER_MODE_REL_SOFT);
	hn->view_live = true;
}

/* Before the peers go: no tick may start or run again. */
void hb_quorum_net_exit(struct hb_net *hn)
{
	spin_lock_bh(&hn->quorum_lock);
	hn->view_live = false;
	spin_unlock_bh(&hn->quorum_lock);
	hrtimer_cancel(&hn->view_timer);
}
