// SPDX-License-Identifier: GPL-2.0-only
/*
 * The cluster view: reports, quorum and the cluster's verdict; see view.h
 * for the rules. No floating point, no kernel dependency; every time is
 * compared, never subtracted where it could wrap.
 */
#include "view.h"
#include "detector.h"

void hb_view_report(struct hb_view *v, u32 observer, u64 heard_ns, u64 now,
		    u32 hold_us)
{
	struct hb_report *r, *slot = NULL, *oldest = &v->reports[0];

	for (r = v->reports; r < v->reports + HB_VIEW_REPORTS; r++) {
		if (r->observer == observer) {
			slot = r;
			break;
		}
		if (!r->observer && !slot)
			slot = r;
		if (r->report_ns < oldest->report_ns)
			oldest = r;
	}
	if (!slot)
		slot = oldest;
	slot->observer = observer;
	slot->heard_ns = heard_ns;
	slot->report_ns = now;
	slot->hold_us = hold_us;
}

void hb_view_forget(struct hb_view *v, u32 observer)
{
	struct hb_report *r;

	for (r = v->reports; r < v->reports + HB_VIEW_REPORTS; r++)
		if (r->observer == observer)
			memset(r, 0, sizeof(*r));
}

u64 hb_view_heard_ns(u8 state, u32 age_us, u32 age_max, u64 now)
{
	u64 age = (u64)age_us * 1000;

	/* A member to which the node is overdue does not hear it now. */
	if (state != HB_STATE_ALIVE || age_us == age_max)
		return 0;
	/* Before our clock began: as early as can be, yet heard. */
	return now > age ? now - age : 1;
}

u32 hb_view_hold_us(u32 total, u32 count, u32 interval_us)
{
	u64 rounds, hold;

	if (!count)
		count = 1;
	rounds = ((u64)total + count - 1) / count;
	hold = (rounds + 1) * interval_us;
	return hold < HB_VIEW_HOLD_MAX_US ? (u32)hold : HB_VIEW_HOLD_MAX_US;
}

/* a + b, or the end of the clock: a sum of times never wraps. */
static u64 sat_add(u64 a, u64 b)
{
	return a + b < a ? ~0ULL : a + b;
}

/* The report still stands at now: its sender's next one is not due yet. */
static bool standing(const struct hb_report *r, u64 now)
{
	return now < r->report_ns || now - r->report_ns < (u64)r->hold_us * 1000;
}

static bool hears(const struct hb_report *r, u64 now)
{
	return r->heard_ns && standing(r, now);
}

unsigned int hb_view_heard_by(const struct hb_view *v, u64 now,
			      hb_view_live_fn live, void *ctx, u32 *ids,
			      unsigned int max)
{
	const struct hb_report *r;
	unsigned int n = 0;

	for (r = v->reports; r < v->reports + HB_VIEW_REPORTS; r++) {
		if (!r->observer || !hears(r, now) ||
		    !live(ctx, r->observer, HB_VIEW_NOW))
			continue;
		if (ids && n < max)
			ids[n] = r->observer;
		n++;
	}
	return n;
}

void hb_view_tally(const struct hb_view *v, const struct hb_view_subject *s,
		   u64 now, hb_view_live_fn live, void *ctx,
		   const struct hb_quorum *q, struct hb_tally *t)
{
	/*
	 * A frame heard after "missed" is one we did not get; a report made
	 * after "settled" had a whole deadline to hear one.
	 */
	u64 missed = sat_add(s->last_rx_ns, s->interval_ns / 2);
	u64 settled = sat_add(missed, sat_add(s->interval_ns - s->interval_ns / 2,
					      s->slack_ns));
	const struct hb_report *r;

	memset(t, 0, sizeof(*t));
	t->confirmers = 1;	/* this node: its detector says dead */
	t->lowest_silent = q->self == q->lowest;
	t->highest_silent = q->self == q->highest;
	for (r = v->reports; r < v->reports + HB_VIEW_REPORTS; r++) {
		if (!r->observer || !live(ctx, r->observer, HB_VIEW_NOW))
			continue;
		if (r->heard_ns > missed) {
			if (hears(r, now))
				t->hearers++;
			continue;
		}
		if (r->report_ns < settled)
			continue;	/* made too early to tell */
		/* Only a member that was with us all through the silence. */
		if (!live(ctx, r->observer, s->last_rx_ns))
			continue;
		t->confirmers++;
		if (r->observer == q->lowest)
			t->lowest_silent = true;
		if (r->observer == q->highest)
			t->highest_silent = true;
	}
}

bool hb_quorum_holds(const struct hb_quorum *q, u32 count, bool has_lowest,
		     bool has_highest)
{
	u64 twice = 2ULL * count;

	if (twice > q->expected)
		return true;
	if (twice < q->expected)
		return false;
	switch (q->tie_breaker) {
	case HB_TIE_LOWEST:
		return has_lowest;
	case HB_TIE_HIGHEST:
		return has_highest;
	default:
		return false;
	}
}

bool hb_quorum_decide(struct hb_quorum *q, const struct hb_quorum_params *p,
		      u32 votes, bool has_lowest, bool has_highest)
{
	struct hb_quorum old = *q;

	q->on = p->expected_votes != 0;
	q->tie_breaker = p->tie_breaker;
	q->votes = votes;
	q->expected = p->expected_votes > q->nodes ? p->expected_votes : q->nodes;
	if (q->on && votes >= q->expected)
		q->all_seen = true;
	q->quorate = q->on && (!p->wait_for_all || q->all_seen) &&
		     hb_quorum_holds(q, votes, has_lowest, has_highest);
	return old.on != q->on || old.quorate != q->quorate ||
	       old.votes != q->votes || old.expected != q->expected;
}

u8 hb_view_verdict(const struct hb_view_subject *s, u8 shown,
		   bool shown_consensus, const struct hb_quorum *q,
		   const struct hb_tally *t, bool *consensus)
{
	*consensus = false;
	if (!q->on || s->local != HB_STATE_DEAD)
		return s->local;
	if (s->dying) {
		*consensus = q->quorate;
		return HB_STATE_DEAD;
	}
	if ((shown == HB_STATE_DEAD && shown_consensus) || (q->quorate &&
	    hb_quorum_holds(q, t->confirmers, t->lowest_silent,
			    t->highest_silent))) {
		*consensus = true;
		return HB_STATE_DEAD;
	}
	if (t->hearers)
		return HB_STATE_UNREACHABLE;
	return HB_STATE_SUSPECT;
}
