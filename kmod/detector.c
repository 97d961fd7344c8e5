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

void hb_det_init(struct hb_det *d, u64 now, const struct hb_det_params *p)
{
	memset(d, 0, sizeof(*d));
	d->state = HB_STATE_UNKNOWN;
	d->deadline_ns = p->grace_ns ? now + p->grace_ns : 0;
}

u64 hb_det_deadline(const struct hb_det *d, u32 k)
{
	u64 ival = interval_ns(d);

	return d->last_rx_ns + k * ival + d->slack_ns;
}

/* Every frame: refuse an older incarnation, note a newer one as a restart. */
static enum hb_det_verdict hb_det_accept(struct hb_det *d, u64 now,
					 u64 incarnation,
					 struct hb_det_change *c)
{
	change_init(d, c);
	if (d->heard && incarnation < d->incarnation)
		return HB_DET_OLD_INCARNATION;
	if (d->heard && incarnation != d->incarnation) {
		c->restarted = true;
		d->restarts++;
	}
	d->heard = true;
	d->incarnation = incarnation;
	d->last_rx_ns = now;
	return HB_DET_ACCEPT;
}

enum hb_det_verdict hb_det_heartbeat(struct hb_det *d, u64 now,
				     u64 incarnation, u32 interval_us,
				     const struct hb_det_params *p,
				     struct hb_det_change *c)
{
	if (hb_det_accept(d, now, incarnation, c))
		return HB_DET_OLD_INCARNATION;

	d->interval_us = interval_us;
	d->slack_ns = p->slack_ns ? p->slack_ns : interval_ns(d);
	d->deferred = false;
	d->rx++;

	switch (d->state) {
	case HB_STATE_UNKNOWN:
	case HB_STATE_SUSPECT:
		set_state(d, HB_STATE_ALIVE, c);
		break;
	case HB_STATE_DEAD:
	case HB_STATE_LEFT:
		if (++d->good >= p->rise) {
			d->good = 0;
			set_state(d, HB_STATE_ALIVE, c);
		}
		break;
	}
	d->deadline_ns = hb_det_deadline(d, 1);
	return HB_DET_ACCEPT;
}

enum hb_det_verdict hb_det_leave(struct hb_det *d, u64 now, u64 incarnation,
				 struct hb_det_change *c)
{
	if (hb_det_accept(d, now, incarnation, c))
		return HB_DET_OLD_INCARNATION;
	d->good = 0;
	d->deadline_ns = 0;
	set_state(d, HB_STATE_LEFT, c);
	return HB_DET_ACCEPT;
}

u64 hb_det_expire(struct hb_det *d, u64 now, const struct hb_det_params *p,
		  struct hb_det_change *c)
{
	u64 ival, missed;

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
	if (!d->deferred && now - d->deadline_ns > ival / 2) {
		d->deferred = true;
		c->deferred = true;
		d->deadline_ns = now + ival / 2;
		return d->deadline_ns;
	}
	d->deferred = false;

	/* Count from the clock, so a late timer cannot under-count. */
	missed = (now - d->last_rx_ns - d->slack_ns) / ival;
	d->good = 0;
	if (missed >= p->fall || d->state == HB_STATE_DEAD ||
	    d->state == HB_STATE_LEFT) {
		if (d->state != HB_STATE_LEFT)
			set_state(d, HB_STATE_DEAD, c);
		d->deadline_ns = 0;
		return 0;
	}
	set_state(d, HB_STATE_SUSPECT, c);
	d->deadline_ns = hb_det_deadline(d, (u32)missed + 1);
	return d->deadline_ns;
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
