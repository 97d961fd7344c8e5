/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The fixed-timeout failure detector with rise/fall hysteresis, and the
 * per-path sequence tracking that estimates lost heartbeats. Plain C with
 * no kernel dependency: times are u64 nanoseconds of a monotonic clock
 * passed in by the caller, so host tests can replay any timeline.
 *
 * A heartbeat counts as missed once it is more than the slack late (by
 * default one whole interval, for jitter on the way). The k-th deadline
 * after the last heartbeat received at t is
 *	t + k * interval + slack.
 * The first missed deadline makes an alive peer suspect; the fall-th makes
 * it dead, fall * interval + slack after its last heartbeat. A dead or left
 * peer is alive again after rise heartbeats in a row, or with the first
 * heartbeat of a restart (ident.c confirmed it with rise frames); a
 * suspect one with its next heartbeat. No time difference is taken in a
 * way that can wrap, and the slack is the one in force when judged.
 *
 * With the phi detector (Phi accrual, see phi.h) a peer is suspect once
 * phi reaches the warning level, if there is one, and dead once it reaches
 * the threshold; fall and slack are not used, rise is. Every peer keeps a
 * window of inter-arrival times whichever detector judges it, so phi can
 * be shown for both. Intervals are never learned from an outage: only
 * gaps between heartbeats of an alive peer, no longer than ten of its
 * intervals, enter the window.
 *
 * The sender's stalls: every frame says how late the sender's own timer
 * sent it. A sender that reports lateness gets that much more time before
 * any deadline: the most it reported lately, decaying by an eighth a frame
 * and never more than fall intervals. A gap the sender explains as its
 * own stall is thus not counted against it, measured instead of guessed.
 *
 * Local stalls: when the deadline timer itself fires more than half an
 * interval late, this host stalled, and heartbeats that arrived meanwhile
 * may still wait in a queue. The verdict is then deferred once, by half an
 * interval, instead of convicting a peer for our own pause.
 */
#ifndef _HB_DETECTOR_H
#define _HB_DETECTOR_H

#include "compat.h"
#include "phi.h"

/* Values match enum heartbeat_detector of the uapi header. */
enum hb_detector {
	HB_DETECTOR_TIMEOUT,
	HB_DETECTOR_PHI,
};

/* Values match enum heartbeat_peer_state of the uapi header. */
enum hb_state {
	HB_STATE_UNKNOWN,
	HB_STATE_ALIVE,
	HB_STATE_SUSPECT,
	HB_STATE_DEAD,
	HB_STATE_LEFT,
	HB_STATE_UNREACHABLE,	/* the cluster view's, never the detector's */
};

struct hb_det_params {
	u32 fall;		/* >= 1 */
	u32 rise;		/* >= 1 */
	u64 grace_ns;		/* never-heard peers; 0: wait forever */
	u64 slack_ns;		/* lateness allowed; 0: one interval */
	u8 detector;		/* enum hb_detector */
	struct hb_phi_params phi_dead;	/* dead at this threshold */
	struct hb_phi_params phi_warn;	/* suspect at this one; 0: none */
};

struct hb_det {
	u8 state;		/* enum hb_state */
	bool heard;
	u32 interval_us;	/* as the peer advertises it */
	u32 good;		/* heartbeats in a row while dead or left */
	bool deferred;		/* the current deadline was deferred once */
	u64 slack_ns;		/* as in force at the last judgement */
	u64 late_ns;		/* the sender's recent lateness, as it reports */
	u32 late_us;		/* what its last frame reported */
	u64 incarnation;
	u64 last_rx_ns;
	u64 deadline_ns;	/* 0: nothing to wait for */
	u64 rx;
	u64 restarts;
	struct hb_phi_window *window;	/* the caller's; NULL: no phi */
};

/* What one step did, for the caller to report. */
struct hb_det_change {
	u8 prev;
	u8 state;
	bool changed;
	bool restarted;
	bool deferred;		/* verdict put off after a local stall */
	u64 prev_incarnation;
};

void hb_det_init(struct hb_det *d, u64 now, const struct hb_det_params *p,
		 struct hb_phi_window *window);

/* phi after the silence until now, Q16.16 (0 if never heard). */
u32 hb_det_phi(const struct hb_det *d, const struct hb_det_params *p, u64 now);

/*
 * A heartbeat or a goodbye, accepted by the identity check (ident.h): an
 * incarnation other than the last one is a confirmed restart.
 */
void hb_det_heartbeat(struct hb_det *d, u64 now, u64 incarnation,
		      u32 interval_us, const struct hb_det_params *p,
		      struct hb_det_change *c);

/*
 * Before hb_det_heartbeat(): the frame says the sender sent it late_us
 * late; cap_ns bounds what is allowed for (fall intervals).
 */
void hb_det_sender_late(struct hb_det *d, u32 late_us, u64 cap_ns);

void hb_det_leave(struct hb_det *d, u64 now, u64 incarnation,
		  struct hb_det_change *c);

/*
 * Last words (a DYING frame): the sender's kernel is going down, dead at
 * once. It is alive again as after any death: rise heartbeats, or a
 * restart.
 */
void hb_det_dying(struct hb_det *d, u64 now, u64 incarnation,
		  struct hb_det_change *c);

/* The settings changed: the next deadline under the new ones. */
void hb_det_rearm(struct hb_det *d, u64 now, const struct hb_det_params *p);

/* The deadline timer fired at now; returns the next deadline (0: none). */
u64 hb_det_expire(struct hb_det *d, u64 now, const struct hb_det_params *p,
		  struct hb_det_change *c);

/*
 * The silence after a heartbeat that makes the peer dead under the
 * settings in force (the sender's reported lateness included).
 */
u64 hb_det_dead_after_ns(const struct hb_det *d, const struct hb_det_params *p);

/* The k-th deadline after the last heartbeat (k >= 1). */
u64 hb_det_deadline(const struct hb_det *d, u32 k);

/*
 * Reception statistics of one sequence stream of a peer: the frames one
 * of its links sends. Replay protection is ident.c's; these only count.
 */
struct hb_path {
	u16 link_id;		/* the sender's link; 0 marks a free slot */
	int ifindex;		/* our device that last received it */
	u64 last_seq;
	u64 rx;
	u64 lost;
	u64 last_rx_ns;
};

/* Returns 0 and counts the gap as lost, or -1 if seq does not advance. */
int hb_path_update(struct hb_path *path, u64 seq, u64 now);

#endif /* _HB_DETECTOR_H */
