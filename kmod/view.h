/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The cluster view: what other members say they hear, the quorum, and the
 * cluster's verdict on a peer that this node no longer hears. Plain C with
 * no kernel dependency, like detector.c; Documentation/cluster.rst gives
 * the algorithm and its safety argument.
 *
 * Reports. A member's frames may carry gossip: for some nodes, the age of
 * the last frame the member itself accepted from them (direct evidence
 * only, never hearsay). Each peer keeps the latest report of up to
 * HB_VIEW_REPORTS members about it: when the member last heard it (on our
 * clock), when the report arrived, and how long the report stands before
 * the member's rotation brings the next one.
 *
 * Verdict. A peer whose own detector here says dead is, in the cluster's
 * view:
 *   dead (by consensus)	if a quorum of members - a strict majority of
 *				the expected votes, or an exact half holding
 *				the tie-breaker - is silent to it: this node
 *				and every member we have heard without a break
 *				since our last frame from the peer whose
 *				report, made at least one deadline after that
 *				frame, says it has not heard it since;
 *   unreachable		else, if a live member heard it after our last
 *				frame from it (or answered our probe for it);
 *   suspect			else: not enough evidence yet, or no quorum.
 * A consensus verdict stands until this node hears the peer itself again.
 * Two disjoint sets of members cannot both hold a quorum, so two sides of
 * a partition never both declare the other dead; and the quorum must have
 * been together all through the silence, so a partition that heals does
 * not judge, after the fact, what its parts could not see.
 */
#ifndef _HB_VIEW_H
#define _HB_VIEW_H

#include "compat.h"

#define HB_VIEW_REPORTS		32
/* No report stands longer than this, whatever its sender claims. */
#define HB_VIEW_HOLD_MAX_US	60000000U

struct hb_report {
	u32 observer;		/* member id; 0: a free slot */
	u32 hold_us;		/* until its next report is due */
	u64 heard_ns;		/* when it last heard the peer; 0: it does not */
	u64 report_ns;		/* when the report arrived */
};

struct hb_view {
	struct hb_report reports[HB_VIEW_REPORTS];
};

/* What the verdict needs to know of the peer, from its detector. */
struct hb_view_subject {
	u8 local;		/* enum hb_state: this node's own verdict */
	u64 last_rx_ns;		/* our last frame from it; 0: never */
	u64 interval_ns;	/* its interval */
	u64 slack_ns;		/* lateness allowed */
	bool dying;		/* local is dead by its own last words */
};

/*
 * Has this member been live to us - heard by ourselves - without a break
 * since the instant since (HB_VIEW_NOW: just now)?
 */
typedef bool (*hb_view_live_fn)(void *ctx, u32 member, u64 since);

#define HB_VIEW_NOW		(~0ULL)

struct hb_quorum_params {
	u32 expected_votes;	/* 0: quorum off */
	u8 tie_breaker;		/* enum heartbeat_tie_breaker's values */
	bool wait_for_all;
};

/* Quorum state, decided from the votes. */
struct hb_quorum {
	bool on;
	bool quorate;
	bool all_seen;		/* every member was live at once */
	u32 votes;
	u32 nodes;		/* members: configured peers + self */
	u32 expected;		/* in force: max(expected_votes, nodes) */
	u8 tie_breaker;
	u32 lowest;		/* member ids, for the tie-breaker */
	u32 highest;
	u32 self;
};

/* Values of tie_breaker, as in the uapi header. */
enum {
	HB_TIE_NONE,
	HB_TIE_LOWEST,
	HB_TIE_HIGHEST,
};

/* What the reports about one peer add up to now. */
struct hb_tally {
	u32 hearers;		/* live members that hear it after us */
	u32 confirmers;		/* silent to it, this node included */
	bool lowest_silent;	/* the tie-breaker's member is a confirmer */
	bool highest_silent;
};

/* A report arriving at now: heard_ns 0 if the observer does not hear it. */
void hb_view_report(struct hb_view *v, u32 observer, u64 heard_ns, u64 now,
		    u32 hold_us);
void hb_view_forget(struct hb_view *v, u32 observer);

/*
 * When, on our clock, a member that gossips state and age_us (age_max:
 * "not since we know") about a node last heard it; 0 if it does not hear
 * it now (its own detector does not say alive).
 */
u64 hb_view_heard_ns(u8 state, u32 age_us, u32 age_max, u64 now);

/*
 * How long a member's report stands: its rotation (total entries of its
 * view over those one frame carries, rounded up, times its interval) plus
 * an interval, at most HB_VIEW_HOLD_MAX_US.
 */
u32 hb_view_hold_us(u32 total, u32 count, u32 interval_us);

/*
 * Members live to us whose standing report says they hear the peer; ids
 * (up to max of them) into ids if not NULL. Returns how many.
 */
unsigned int hb_view_heard_by(const struct hb_view *v, u64 now,
			      hb_view_live_fn live, void *ctx, u32 *ids,
			      unsigned int max);

void hb_view_tally(const struct hb_view *v, const struct hb_view_subject *s,
		   u64 now, hb_view_live_fn live, void *ctx,
		   const struct hb_quorum *q, struct hb_tally *t);

/*
 * Does a set of members hold a quorum: count of them, and whether it has
 * the lowest and the highest member id.
 */
bool hb_quorum_holds(const struct hb_quorum *q, u32 count, bool has_lowest,
		     bool has_highest);

/*
 * Decide the quorum from the votes seen now (self included); q keeps
 * all_seen across calls. Returns true if anything shown changed.
 */
bool hb_quorum_decide(struct hb_quorum *q, const struct hb_quorum_params *p,
		      u32 votes, bool has_lowest, bool has_highest);

/*
 * The cluster's verdict on the peer (enum hb_state), given the one shown
 * so far and whether that was the quorum's; *consensus says whether a
 * dead verdict is the quorum's. A peer that announced its own death
 * (DYING) needs no confirmation: on a quorate node its word stands for
 * the quorum's.
 */
u8 hb_view_verdict(const struct hb_view_subject *s, u8 shown,
		   bool shown_consensus, const struct hb_quorum *q,
		   const struct hb_tally *t, bool *consensus);

#endif /* _HB_VIEW_H */
