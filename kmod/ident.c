// SPDX-License-Identifier: GPL-2.0-only
/*
 * A peer's identity - incarnation and sequence streams - changed only on
 * evidence; see ident.h for the rules. No kernel dependency.
 */
#include "ident.h"

void hb_ident_init(struct hb_ident *id)
{
	memset(id, 0, sizeof(*id));
}

static u64 elapsed(u64 now, u64 since)
{
	return now > since ? now - since : 0;
}

/* Could a sender have counted from seq `from` to `to` in the time since? */
static bool plausible(u64 from, u64 to, u64 since_ns, u64 now)
{
	u64 most = elapsed(now, since_ns) / HB_IDENT_MIN_INTERVAL_NS +
		   HB_IDENT_SEQ_SLACK;

	return to > from && to - from <= most;
}

static bool retired(const struct hb_ident *id, u64 incarnation)
{
	int i;

	for (i = 0; i < HB_IDENT_RETIRED; i++)
		if (id->retired[i] == incarnation)
			return true;
	return false;
}

static void adopt(struct hb_ident *id, u64 incarnation, u16 link_id, u64 seq,
		  u64 now)
{
	if (id->known) {
		memmove(&id->retired[1], &id->retired[0],
			sizeof(id->retired) - sizeof(id->retired[0]));
		id->retired[0] = id->incarnation;
	}
	id->known = true;
	id->incarnation = incarnation;
	memset(id->streams, 0, sizeof(id->streams));
	id->streams[link_id - 1].seq = seq;
	id->streams[link_id - 1].rx_ns = now;
	memset(&id->cand, 0, sizeof(id->cand));
}

/*
 * One more frame of a candidate stream; true once rise frames in a row
 * have continued it. Frames of the same incarnation on other links of
 * the sender neither count nor break the run.
 */
static bool candidate_feed(struct hb_candidate *c, u64 incarnation,
			   u16 link_id, u64 seq, u64 now, u32 rise)
{
	if (c->count && c->incarnation == incarnation && c->link_id != link_id)
		return false;
	if (c->count && c->incarnation == incarnation &&
	    plausible(c->seq, seq, c->rx_ns, now)) {
		c->count++;
	} else {
		c->count = 1;
		c->incarnation = incarnation;
		c->link_id = link_id;
	}
	c->seq = seq;
	c->rx_ns = now;
	return c->count >= rise;
}

enum hb_ident_verdict hb_ident_rx(struct hb_ident *id, u64 incarnation,
				  u16 link_id, u64 seq, u64 now,
				  const struct hb_ident_params *p)
{
	struct hb_candidate *c = &id->cand;
	struct hb_stream *s;

	if (!link_id || link_id > HB_LINK_ID_MAX || !seq)
		return HB_IDENT_STALE;
	if (!id->known) {
		adopt(id, incarnation, link_id, seq, now);
		return HB_IDENT_ACCEPT;
	}

	if (incarnation != id->incarnation) {
		if (retired(id, incarnation) ||
		    (incarnation < id->incarnation && !p->lower_ok))
			return HB_IDENT_OLD;
		if (!candidate_feed(c, incarnation, link_id, seq, now, p->rise))
			return HB_IDENT_PENDING;
		adopt(id, incarnation, link_id, seq, now);
		return HB_IDENT_RESTART;
	}

	s = &id->streams[link_id - 1];
	if (seq <= s->seq)
		return HB_IDENT_STALE;
	if (s->seq && !plausible(s->seq, seq, s->rx_ns, now)) {
		/* A jump ahead: the stream moves there on evidence only. */
		if (c->count && c->incarnation == incarnation &&
		    c->link_id == link_id && seq <= c->seq)
			return HB_IDENT_STALE;
		if (!candidate_feed(c, incarnation, link_id, seq, now, p->rise))
			return HB_IDENT_PENDING;
		memset(c, 0, sizeof(*c));
	} else if (c->count &&
		   (c->incarnation != incarnation || c->link_id == link_id)) {
		/* The accepted sender speaks: the candidate is not it. */
		memset(c, 0, sizeof(*c));
	}
	s->seq = seq;
	s->rx_ns = now;
	return HB_IDENT_ACCEPT;
}
