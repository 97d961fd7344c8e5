// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fixed-timeout failure detector with rise/fall hysteresis; see detector.h
 * for the rules. No floating point, no kernel dependency.
 */
#include "detector.h"

#define NSEC_PER_USEC_U64	1000ULL

static u64 interval_ns(const struct hb_det *d)
{
	return (u64)d->interval_us * NSEC_PER_USEC_U64;
}

/* now - since, never wrapping: a time before since counts as no time. */
static u64 elapsed(u64 now, u64 since)
{
	return now > since ? now - since : 0;
}

/* The slack the settings give this peer now. */
static u64 slack_of(const struct hb_det *d, const struct hb_det_params *p)
{
	return p->slack_ns ? p->slack_ns : interval_ns(d);
}

/* c->prev holds the state before this step (see change_init()). */
static void set_state(struct hb_det *d, u8 state, struct hb_det_change *c)
{
	d->state = state;
	c->state = state;
	c->changed = c->prev != state;
}

static void change_init(const struct hb_det *d, struct hb_det_change *c)
{
	c->prev = d->state;
	c->state = d->state;
	c->changed = false;
	c->restarted = false;
	c->deferred = false;
	c->prev_incarnation = d->incarnation;
}

void hb_det_init(struct hb_det *d, u64 now, const struct hb_det_params *p,
		 struct hb_phi_window *window)
{
	memset(d, 0, sizeof(*d));
	d->state = HB_STATE_UNKNOWN;
	d->deadline_ns = p->grace_ns ? now + p->grace_ns : 0;
	d->window = window;
}

/* Silences after which phi reaches the warning level and the threshold. */
static void phi_crossings(const struct hb_det *d, const struct hb_det_params *p,
			  u64 *warn, u64 *dead)
{
	u64 mean = hb_phi_mean_ns(d->window), sd = hb_phi_stddev_ns(d->window);

	*dead = hb_phi_crossing_ns(&p->phi_dead, mean, sd);
	*warn = p->phi_warn.threshold ?
		hb_phi_crossing_ns(&p->phi_warn, mean, sd) : *dead;
	if (*warn > *dead)
		*warn = *dead;
}

static bool use_phi(const struct hb_det *d, const struct hb_det_params *p)
{
	return p->detector == HB_DETECTOR_PHI && d->window && d->window->count;
}

u32 hb_det_phi(const struct hb_det *d, const struct hb_det_params *p, u64 now)
{
	if (!d->heard || !d->window || !d->window->count)
		return 0;
	return hb_phi_value(&p->phi_dead, hb_phi_mean_ns(d->window),
			    hb_phi_stddev_ns(d->window),
			    elapsed(now, d->last_rx_ns));
}

/* Learn from the gap since the previous heartbeat, never from an outage. */
static void phi_learn(struct hb_det *d, u64 gap, bool fresh, u8 prev_state)
{
	struct hb_phi_window *w = d->window;

	if (!w)
		return;
	if (fresh) {
		hb_phi_window_init(w, w->samples, w->size);
		hb_phi_window_seed(w, d->interval_us);
		return;
	}
	if (prev_state == HB_STATE_ALIVE &&
	    gap <= 10ULL * d->interval_us * NSEC_PER_USEC_U64)
		hb_phi_window_add(w, (u32)(gap / NSEC_PER_USEC_U64));
}

/* The first deadline after a heartbeat. */
static u64 first_deadline(const struct hb_det *d, const struct hb_det_params *p)
{
	u64 warn, dead;

	if (!use_phi(d, p))
		return hb_det_deadline(d, 1);
	phi_crossings(d, p, &warn, &dead);
	return d->last_rx_ns + d->late_ns + warn;
}

u64 hb_det_deadline(const struct hb_det *d, u32 k)
{
	u64 ival = interval_ns(d);

	return d->last_rx_ns + k * ival + d->slack_ns + d->late_ns;
}

u64 hb_det_dead_after_ns(const struct hb_det *d, const struct hb_det_params *p)
{
	u64 warn, dead;

	if (!use_phi(d, p))
		return p->fall * interval_ns(d) + slack_of(d, p) + d->late_ns;
	phi_crossings(d, p, &warn, &dead);
	return dead + d->late_ns;
}

void hb_det_sender_late(struct hb_det *d, u32 late_us, u64 cap_ns)
{
	u64 late = (u64)late_us * NSEC_PER_USEC_U64;
	u64 decayed = d->late_ns - d->late_ns / 8;

	d->late_us = late_us;
	if (late < decayed)
		late = decayed;
	d->late_ns = late < cap_ns ? late : cap_ns;
}

/*
 * Every frame: another incarnation is a restart. Which incarnations may
 * reach the detector at all is ident.c's decision, taken on evidence.
 */
static void hb_det_accept(struct hb_det *d, u64 now, u64 incarnation,
			  struct hb_det_change *c)
{
	change_init(d, c);
	if (d->heard && incarnation != d->incarnation) {
		c->restarted = true;
		d->restarts++;
	}
	d->heard = true;
	d->incarnation = incarnation;
	d->last_rx_ns = now;
}

void hb_det_heartbeat(struct hb_det *d, u64 now, u64 incarnation,
		      u32 interval_us, const struct hb_det_params *p,
		      struct hb_det_change *c)
{
	u64 gap = elapsed(now, d->last_rx_ns);
	bool fresh = !d->heard;
	u8 prev_state = d->state;

	hb_det_accept(d, now, incarnation, c);
	d->interval_us = interval_us;
	phi_learn(d, gap, fresh || c->restarted, prev_state);
	d->slack_ns = slack_of(d, p);
	d->deferred = false;
	d->rx++;

	switch (d->state) {
	case HB_STATE_UNKNOWN:
	case HB_STATE_SUSPECT:
		set_state(d, HB_STATE_ALIVE, c);
		break;
	case HB_STATE_DEAD:
	case HB_STATE_LEFT:
		/* A restart comes confirmed by rise frames (ident.c). */
		if (c->restarted || ++d->good >= p->rise) {
			d->good = 0;
			set_state(d, HB_STATE_ALIVE, c);
		}
		break;
	}
	d->deadline_ns = first_deadline(d, p);
}

void hb_det_leave(struct hb_det *d, u64 now, u64 incarnation,
		  struct hb_det_change *c)
{
	hb_det_accept(d, now, incarnation, c);
	d->good = 0;
	d->deadline_ns = 0;
	set_state(d, HB_STATE_LEFT, c);
}

void hb_det_dying(struct hb_det *d, u64 now, u64 incarnation,
		  struct hb_det_change *c)
{
	hb_det_accept(d, now, incarnation, c);
	d->good = 0;
	d->deadline_ns = 0;
	set_state(d, HB_STATE_DEAD, c);
}

void hb_det_rearm(struct hb_det *d, u64 now, const struct hb_det_params *p)
{
	u64 next;

	if (!d->heard || !d->deadline_ns)
		return;
	d->slack_ns = slack_of(d, p);
	d->deferred = false;
	next = first_deadline(d, p);
	/* Overdue under the new settings: judge at once, not as a stall. */
	d->deadline_ns = next > now ? next : now;
}

u64 hb_det_expire(struct hb_det *d, u64 now, const struct hb_det_params *p,
		  struct hb_det_change *c)
{
	u64 ival, missed, next, warn, dead, silence;
	bool overdue, gone;

	change_init(d, c);
	if (!d->deadline_ns || now < d->deadline_ns)
		return d->deadline_ns;

	if (!d->heard) {
		/* The grace period of a configured peer ran out. */
		set_state(d, HB_STATE_DEAD, c);
		d->deadline_ns = 0;
		return 0;
	}

	ival = interval_ns(d);
	if (!d->deferred && elapsed(now, d->deadline_ns) > ival / 2) {
		d->deferred = true;
		c->deferred = true;
		d->deadline_ns = now + ival / 2;
		return d->deadline_ns;
	}
	d->deferred = false;

	/* What the sender's own recent stalls explain is no silence. */
	silence = elapsed(elapsed(now, d->last_rx_ns), d->late_ns);
	if (use_phi(d, p)) {
		phi_crossings(d, p, &warn, &dead);
		overdue = silence >= warn;
		gone = silence >= dead;
		next = d->last_rx_ns + d->late_ns + (overdue ? dead : warn);
	} else {
		/*
		 * Count from the clock, so a late timer cannot under-count,
		 * with the slack in force now: the deadline may have been
		 * armed under other settings.
		 */
		d->slack_ns = slack_of(d, p);
		missed = silence > d->slack_ns ?
			 (silence - d->slack_ns) / ival : 0;
		overdue = missed >= 1;
		gone = missed >= p->fall;
		next = hb_det_deadline(d, missed >= p->fall ? p->fall :
					  (u32)missed + 1);
	}
	if (!overdue) {
		/* Not due yet (the detector changed meanwhile): wait on. */
		d->deadline_ns = next;
		return next;
	}
	d->good = 0;
	if (gone || d->state == HB_STATE_DEAD || d->state == HB_STATE_LEFT) {
		if (d->state != HB_STATE_LEFT)
			set_state(d, HB_STATE_DEAD, c);
		d->deadline_ns = 0;
		return 0;
	}
	set_state(d, HB_STATE_SUSPECT, c);
	d->deadline_ns = next;
	return next;
}

int hb_path_update(struct hb_path *path, u64 seq, u64 now)
{
	if (seq <= path->last_seq)
		return -1;
	if (path->last_seq)
		path->lost += seq - path->last_seq - 1;
	path->last_seq = seq;
	path->last_rx_ns = now;
	path->rx++;
	return 0;
}
