// SPDX-License-Identifier: GPL-2.0-only
/*
 * The receive side of a node in userspace; see peers.h. Each step mirrors
 * the module function named in its comment, in the same order, around the
 * module's own hb_msg_decode(), hb_path_update() and hb_det_*().
 */
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "hmac.h"
#include "peers.h"

#define HASH_SLOTS	(2 * MAX_PEERS)	/* open addressing, half full at most */
#define NO_POS		UINT32_MAX

struct peers {
	u32 own_id, cluster;
	int ifindex;
	bool deadlines;
	bool members;		/* merge gossip: every sender is a member */
	u32 gossip_next;	/* hb_net's gossip_next */
	struct hb_det_params params;
	peers_report_fn report;
	u32 npeers, nheap;
	struct peer *slot[HASH_SLOTS];
	struct peer *heap[MAX_PEERS];	/* min-heap on det.deadline_ns */
	struct peer *list[MAX_PEERS];	/* by id, as hb_net's peers list */
};

struct peers *peers_new(u32 own_id, u32 cluster, int ifindex,
			const struct hb_det_params *params, bool deadlines,
			peers_report_fn report)
{
	struct peers *t = calloc(1, sizeof(*t));

	if (!t)
		die("out of memory");
	t->own_id = own_id;
	t->cluster = cluster;
	t->ifindex = ifindex;
	t->params = *params;
	t->deadlines = deadlines;
	t->report = report;
	return t;
}

/* hb_peer_find_rcu(); Fibonacci hashing, since ids are often consecutive. */
static struct peer **peer_slot(struct peers *t, u32 id)
{
	u32 i = (u32)((id * 2654435769u) >> 19) % HASH_SLOTS;

	while (t->slot[i] && t->slot[i]->id != id)
		i = (i + 1) % HASH_SLOTS;
	return &t->slot[i];
}

static u64 key(const struct peers *t, u32 pos)
{
	return t->heap[pos]->det.deadline_ns;
}

static void heap_set(struct peers *t, u32 pos, struct peer *p)
{
	t->heap[pos] = p;
	p->heap_pos = pos;
}

static void heap_sift(struct peers *t, u32 pos)
{
	struct peer *p = t->heap[pos];
	u64 k = p->det.deadline_ns;

	while (pos && key(t, (pos - 1) / 2) > k) {
		heap_set(t, pos, t->heap[(pos - 1) / 2]);
		pos = (pos - 1) / 2;
	}
	for (;;) {
		u32 c = 2 * pos + 1;

		if (c >= t->nheap)
			break;
		if (c + 1 < t->nheap && key(t, c + 1) < key(t, c))
			c++;
		if (key(t, c) >= k)
			break;
		heap_set(t, pos, t->heap[c]);
		pos = c;
	}
	heap_set(t, pos, p);
}

/* hb_peer_arm(): the heap follows the detector's deadline (0: none). */
static void peer_arm(struct peers *t, struct peer *p)
{
	u32 pos = p->heap_pos;

	if (!t->deadlines)
		return;
	if (!p->det.deadline_ns) {
		if (pos == NO_POS)
			return;
		p->heap_pos = NO_POS;
		if (pos != --t->nheap) {
			heap_set(t, pos, t->heap[t->nheap]);
			heap_sift(t, pos);
		}
		return;
	}
	if (pos == NO_POS) {
		pos = t->nheap++;
		heap_set(t, pos, p);
	}
	heap_sift(t, pos);
}

static void peer_report(struct peers *t, const struct peer *p,
			const struct hb_det_change *c)
{
	if (c->changed && t->report)
		t->report(p, c);
}

/* hb_peer_path(): the stream's slot, an unused one, or the stalest. */
static struct hb_path *peer_path(struct peers *t, struct peer *p,
				 u16 link_id)
{
	struct hb_path *path, *oldest = &p->paths[0];

	for (path = p->paths; path < p->paths + PEER_PATHS; path++) {
		if (path->link_id == link_id)
			return path;
		if (!path->link_id || path->last_rx_ns < oldest->last_rx_ns)
			oldest = path;
		if (!path->link_id)
			break;
	}
	memset(oldest, 0, sizeof(*oldest));
	oldest->link_id = link_id;
	oldest->ifindex = t->ifindex;
	return oldest;
}

/* hb_peer_create() of a learned peer (no learning rate limit here). */
static struct peer *peer_create(struct peers *t, struct peer **slot, u32 id,
				u64 now)
{
	struct peer *p;
	u32 i;

	if (t->npeers >= MAX_PEERS)
		return NULL;
	p = calloc(1, sizeof(*p));
	if (!p)
		die("out of memory");
	p->id = id;
	p->heap_pos = NO_POS;
	hb_phi_window_init(&p->window, p->samples, PHI_WINDOW);
	hb_det_init(&p->det, now, &t->params, &p->window);
	*slot = p;
	/* hb_peer_create() keeps hn->peers in id order. */
	for (i = t->npeers; i && t->list[i - 1]->id > id; i--)
		t->list[i] = t->list[i - 1];
	t->list[i] = p;
	t->npeers++;
	return p;
}

/*
 * hb_member_live(): a member we hear ourselves (since ever: the loop's
 * members never come and go).
 */
static bool member_live(void *ctx, u32 member, u64 since)
{
	struct peers *t = ctx;
	struct peer *p = *peer_slot(t, member);

	(void)since;
	return p && (p->det.state == HB_STATE_ALIVE ||
		     p->det.state == HB_STATE_SUSPECT);
}

/* hb_peer_subject() */
static void peer_subject(const struct peers *t, const struct peer *p,
			 struct hb_view_subject *s)
{
	u64 ival = (u64)(p->det.interval_us ?: 10000) * NSEC_PER_USEC;

	(void)t;
	s->local = p->det.state;
	s->last_rx_ns = p->det.heard ? p->det.last_rx_ns : 0;
	s->interval_ns = ival;
	s->slack_ns = p->det.slack_ns ?: ival;
}

/*
 * hb_peer_judge() without the event: the cluster's verdict on p, quorum
 * on with every member expected. The kernel keeps the quorum decided as
 * members come and go; here it is decided on the spot.
 */
static void peer_judge(struct peers *t, struct peer *p, u64 now)
{
	struct hb_quorum_params qp = { .expected_votes = t->npeers + 1 };
	struct hb_quorum q = { .nodes = t->npeers + 1, .self = t->own_id };
	struct hb_view_subject s;
	struct hb_tally tally = {};
	u32 i, votes = 1;

	for (i = 0; i < t->npeers; i++)
		votes += member_live(t, t->list[i]->id, HB_VIEW_NOW);
	hb_quorum_decide(&q, &qp, votes, false, false);
	peer_subject(t, p, &s);
	if (q.on && s.local == HB_STATE_DEAD)
		hb_view_tally(&p->view, &s, now, member_live, t, &q, &tally);
	p->shown = hb_view_verdict(&s, p->shown, p->consensus, &q, &tally,
				   &p->consensus);
}

/*
 * hb_gossip_merge(): a member's reports, each into the view of the peer
 * it names; gossip never creates a peer.
 */
static void gossip_merge(struct peers *t, const struct hb_msg *msg, u64 now)
{
	u32 hold = hb_view_hold_us(msg->gossip_total, msg->gossip_count,
				   msg->interval_us);
	struct hb_gossip g;
	struct peer *p;
	unsigned int i;
	u64 heard;

	for (i = 0; i < msg->gossip_count; i++) {
		hb_gossip_get(msg, i, &g);
		if (g.node_id == t->own_id || g.node_id == msg->node_id)
			continue;
		p = *peer_slot(t, g.node_id);
		if (!p)
			continue;
		heard = hb_view_heard_ns(g.state, g.age_us, HB_GOSSIP_AGE_MAX,
					 now);
		hb_view_report(&p->view, msg->node_id, heard, now, hold);
		/* A report may settle a verdict waiting for it. */
		if (p->det.state == HB_STATE_DEAD)
			peer_judge(t, p, now);
	}
}

/* hb_peer_rx() */
static bool peer_rx(struct peers *t, const struct hb_msg *msg, u64 now)
{
	struct peer **slot = peer_slot(t, msg->node_id), *p = *slot;
	struct hb_ident_params ip = { .rise = t->params.rise, .lower_ok = true };
	enum hb_ident_verdict verdict;
	struct hb_det_change c;

	if (!p) {
		/* Nobody to say goodbye to. */
		if (msg->type == HB_MSG_LEAVE)
			return true;
		p = peer_create(t, slot, msg->node_id, now);
		if (!p)
			return false;
	}
	verdict = hb_ident_rx(&p->ident, msg->incarnation, msg->link_id,
			      msg->seq, now, &ip);
	if (verdict == HB_IDENT_RESTART)
		memset(p->paths, 0, sizeof(p->paths));
	else if (verdict != HB_IDENT_ACCEPT)
		return false;
	hb_path_update(peer_path(t, p, msg->link_id), msg->seq, now);
	if (msg->type == HB_MSG_LEAVE)
		hb_det_leave(&p->det, now, msg->incarnation, &c);
	else
		hb_det_heartbeat(&p->det, now, msg->incarnation,
				 msg->interval_us, &t->params, &c);
	peer_arm(t, p);
	peer_report(t, p, &c);
	if (t->members && msg->gossip_count && msg->type == HB_MSG_HEARTBEAT)
		gossip_merge(t, msg, now);
	return true;
}

/* hb_auth_check() with auth "required" and one key: true to accept. */
static bool auth_check(const u8 *buf, const struct hb_msg *msg,
		       const struct bench_hmac *hmac)
{
	u8 mac[BENCH_SHA256_LEN], diff = 0;
	int i;

	if (!msg->mac || msg->auth_key_id != 1)
		return false;
	bench_hmac_sha256(hmac, buf, msg->mac_offset, mac);
	/* Constant time, as crypto_memneq(). */
	for (i = 0; i < HB_AUTH_MAC_LEN; i++)
		diff |= mac[i] ^ msg->mac[i];
	return !diff;
}

/* hb_rx_check(), after the link header and the bound-link check. */
bool peers_rx(struct peers *t, const u8 *buf, size_t len, u64 now,
	      const struct bench_hmac *hmac)
{
	struct hb_msg msg;

	if (len > HB_MSG_MAX)
		len = HB_MSG_MAX;
	if (hb_msg_decode(buf, len, &msg))
		return false;
	if (msg.cluster != t->cluster || msg.node_id == t->own_id)
		return false;
	if (hmac && !auth_check(buf, &msg, hmac))
		return false;
	return peer_rx(t, &msg, now);
}

u64 peers_next_deadline(const struct peers *t)
{
	return t->nheap ? key(t, 0) : 0;
}

/* hb_peer_deadline(), for each peer due. */
void peers_expire(struct peers *t, u64 now)
{
	struct hb_det_change c;

	while (t->nheap && key(t, 0) <= now) {
		struct peer *p = t->heap[0];

		/* Always moves the deadline past now, or to none. */
		hb_det_expire(&p->det, now, &t->params, &c);
		peer_arm(t, p);
		peer_report(t, p, &c);
	}
}

void peers_set_members(struct peers *t, bool members)
{
	t->members = members;
}

/* hb_peer_gossip_entry(): false if we never heard the peer. */
static bool gossip_entry(const struct peer *p, u64 now, struct hb_gossip *g)
{
	u64 age_us;

	if (!p->det.heard)
		return false;
	age_us = (now > p->det.last_rx_ns ? now - p->det.last_rx_ns : 0) /
		 NSEC_PER_USEC;
	g->node_id = p->id;
	g->age_us = age_us < HB_GOSSIP_AGE_MAX ? (u32)age_us :
						  HB_GOSSIP_AGE_MAX;
	g->incarnation = p->det.incarnation;
	g->state = p->det.state;
	return true;
}

/* hb_peers_gossip(), over the id-ordered list instead of the RCU list. */
unsigned int peers_gossip(struct peers *t, struct hb_gossip *g,
			  unsigned int max, u16 *total, u16 *first, u64 now)
{
	u32 start = t->gossip_next, next = 0, i;
	unsigned int n = 0, skipped = 0;
	int pass;

	*total = t->npeers < UINT16_MAX ? (u16)t->npeers : UINT16_MAX;
	for (pass = 0; pass < 2 && n < max; pass++) {
		for (i = 0; i < t->npeers; i++) {
			const struct peer *p = t->list[i];

			if (pass == 0 ? p->id < start : p->id >= start) {
				skipped += pass == 0;
				continue;
			}
			if (!gossip_entry(p, now, &g[n]))
				continue;
			if (!n)
				*first = pass ? 0 : (skipped < UINT16_MAX ?
						     (u16)skipped : UINT16_MAX);
			if (++n == max) {
				next = p->id + 1;
				break;
			}
		}
	}
	t->gossip_next = next;
	if (*total < n)
		*total = (u16)n;
	return n;
}

u64 peers_reports(const struct peers *t)
{
	u64 n = 0;
	u32 i, j;

	for (i = 0; i < t->npeers; i++)
		for (j = 0; j < HB_VIEW_REPORTS; j++)
			n += t->list[i]->view.reports[j].observer != 0;
	return n;
}

u32 peers_count(const struct peers *t)
{
	return t->npeers;
}

void peers_states(const struct peers *t, u32 *counts)
{
	u32 i;

	memset(counts, 0, (HB_STATE_LEFT + 1) * sizeof(*counts));
	for (i = 0; i < HASH_SLOTS; i++)
		if (t->slot[i] && t->slot[i]->det.state <= HB_STATE_LEFT)
			counts[t->slot[i]->det.state]++;
}
