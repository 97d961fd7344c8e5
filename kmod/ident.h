/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Who a peer is: its incarnation and the sequence streams of its links,
 * and the rule that no single frame may change either.
 *
 * Every frame names the sender's incarnation (one per start of its
 * instance) and, per sending link, a sequence number that only grows.
 * A frame is accepted when it continues the accepted identity: the same
 * incarnation, a sequence number above the stream's high-water mark and
 * not further ahead than the sender could have counted since the stream
 * was last heard (one frame per millisecond, the shortest interval, plus
 * HB_IDENT_SEQ_SLACK).
 *
 * Anything else that is not a replay - another incarnation (a restart,
 * whichever way the sender's clock went) or a sequence number that jumped
 * ahead - is a candidate: its frames are dropped until `rise` of them in a
 * row continue one stream, and then it becomes the accepted identity. A
 * frame of the accepted identity on the candidate's stream (or, for
 * another incarnation, on any stream) puts the candidate down again: a
 * live sender is never displaced by frames it did not send, and a corrupt
 * or forged frame costs nothing once it stops.
 *
 * Replays: high-water marks are kept per sender link for the whole
 * incarnation, whichever of our devices a frame arrives on, and never
 * evicted (link ids are 1..HB_LINK_ID_MAX). Incarnations left behind are
 * remembered (the last HB_IDENT_RETIRED) and refused. A lower incarnation
 * than the accepted one can be a restart with the clock behind or a replay
 * of older frames; the caller says whether this frame proves it is fresh
 * (see hb_ident_params.lower_ok).
 *
 * Plain C with no kernel dependency, like detector.c.
 */
#ifndef _HB_IDENT_H
#define _HB_IDENT_H

#include "compat.h"
#include "proto.h"

#define HB_IDENT_RETIRED	4
#define HB_IDENT_SEQ_SLACK	16
#define HB_IDENT_MIN_INTERVAL_NS	1000000ULL	/* 1 ms */

struct hb_stream {
	u64 seq;		/* high-water mark; 0: not heard */
	u64 rx_ns;		/* when it was set */
};

/* A stream that does not continue the accepted identity, under watch. */
struct hb_candidate {
	u32 count;		/* frames in a row; 0: no candidate */
	u16 link_id;
	u64 incarnation;
	u64 seq;
	u64 rx_ns;
};

struct hb_ident {
	bool known;
	u64 incarnation;
	struct hb_stream streams[HB_LINK_ID_MAX];	/* by link id - 1 */
	struct hb_candidate cand;
	u64 retired[HB_IDENT_RETIRED];	/* newest first; 0: empty */
};

struct hb_ident_params {
	u32 rise;		/* frames in a row that confirm a candidate */
	bool lower_ok;		/* a lower incarnation may be a restart */
};

enum hb_ident_verdict {
	HB_IDENT_ACCEPT,	/* continues the accepted identity */
	HB_IDENT_RESTART,	/* confirmed a new incarnation; this frame is its */
	HB_IDENT_STALE,		/* the stream's sequence does not advance */
	HB_IDENT_OLD,		/* a retired incarnation, or an unproven lower one */
	HB_IDENT_PENDING,	/* a candidate's frame, not yet confirmed */
};

void hb_ident_init(struct hb_ident *id);

/* A frame (incarnation, link_id 1..HB_LINK_ID_MAX, seq >= 1) at now. */
enum hb_ident_verdict hb_ident_rx(struct hb_ident *id, u64 incarnation,
				  u16 link_id, u64 seq, u64 now,
				  const struct hb_ident_params *p);

#endif /* _HB_IDENT_H */
