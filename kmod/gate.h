/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Application readiness gates (Documentation/apps.rst), the part without a
 * kernel dependency: names, the deadline of one gate, and what the expired
 * gates of a node make its frames say. app.c owns the timers, locks and
 * netlink; host tests build this very file. Times are CLOCK_MONOTONIC
 * nanoseconds; nothing here can wrap (a timeout is at most an hour).
 */
#ifndef _HB_GATE_H
#define _HB_GATE_H

#include "compat.h"

#define HB_GATE_NAME_MAX	31	/* HEARTBEAT_APP_NAME_MAX */

enum hb_gate_action {
	HB_GATE_NOTREADY = 0,	/* HEARTBEAT_APP_NOTREADY */
	HB_GATE_SILENCE = 1,	/* HEARTBEAT_APP_SILENCE */
};

struct hb_gate {
	u64 added_ns;
	u64 last_kick_ns;	/* 0: never kicked */
	u64 deadline_ns;	/* expired from this instant unless kicked */
	u64 kicks;
	u64 expiries;
	u32 timeout_us;
	u8 action;		/* enum hb_gate_action */
	bool expired;
};

/* Expired gates of a node, by action: what its frames say. */
struct hb_gate_tally {
	unsigned int notready;
	unsigned int silence;
};

/*
 * A gate name: 1 .. HB_GATE_NAME_MAX printable ASCII characters other
 * than space (0x21 .. 0x7e), followed by at most one NUL, which ends the
 * data if there is one. The length of the name is stored in *name_len.
 */
bool hb_gate_name_valid(const void *data, size_t len, size_t *name_len);

/* A new gate: fresh, its first deadline a timeout after now. */
void hb_gate_init(struct hb_gate *g, u64 now, u32 timeout_us, u8 action);

/*
 * The application is ready at now: the deadline moves a timeout ahead.
 * Returns true if the gate was expired (it is fresh again).
 */
bool hb_gate_kick(struct hb_gate *g, u64 now);

/*
 * The deadline timer fired at now: returns true if the gate expired just
 * now. A gate kicked since the timer was set is not expired.
 */
bool hb_gate_expire(struct hb_gate *g, u64 now);

/* Time since the last kick (since the gate was added, before the first). */
u64 hb_gate_since_kick_ns(const struct hb_gate *g, u64 now);

/* Count an expired gate in (hold) or out (!hold) of the node's tally. */
void hb_gate_tally_update(struct hb_gate_tally *t, const struct hb_gate *g,
			  bool hold);

/* The node's frames say ready: no gate of either action is expired. */
static inline bool hb_gate_tally_ready(const struct hb_gate_tally *t)
{
	return !t->notready && !t->silence;
}

/* The node withholds its heartbeats: a silence gate is expired. */
static inline bool hb_gate_tally_silent(const struct hb_gate_tally *t)
{
	return t->silence;
}

#endif /* _HB_GATE_H */
