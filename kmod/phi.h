/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Phi accrual failure detection (Hayashibara et al.) in fixed point.
 *
 * phi(t) = -log10(P(the next heartbeat arrives later than t)), for t the
 * time since the last heartbeat, from the distribution of inter-arrival
 * times in a sliding window. Two models:
 *   normal       logistic approximation of the normal CDF:
 *                phi = log10(1 + e^z), z = y (1.5976 + 0.070566 y^2),
 *                y = (t - (mean + pause)) / stddev
 *   exponential  phi = t / mean * log10(e)
 *
 * phi and y are Q16.16 fixed point (HB_PHI_ONE is 1.0); times are u64
 * nanoseconds. The normal model reads phi(y) from a table with 1/64 steps
 * in y and interpolates (error below 1e-4 for y in [-8, 8]); beyond that
 * table it uses phi = z log10(e). No floating point, no kernel dependency.
 *
 * phi grows monotonically with t, so instead of evaluating it periodically
 * the module computes, once per heartbeat, the instant at which it will
 * reach the threshold (hb_phi_crossing_ns) and arms a timer for it.
 */
#ifndef _HB_PHI_H
#define _HB_PHI_H

#include "compat.h"

#define HB_PHI_SHIFT		16
#define HB_PHI_ONE		(1U << HB_PHI_SHIFT)
#define HB_PHI_CAP		(1000U * HB_PHI_ONE)	/* reported maximum */
#define HB_PHI_THRESHOLD_MIN	(HB_PHI_ONE / 10)	/* 0.1 */
#define HB_PHI_THRESHOLD_MAX	(20U * HB_PHI_ONE)	/* 20 */
#define HB_PHI_WINDOW_MAX	1000

enum hb_phi_model {
	HB_PHI_NORMAL,
	HB_PHI_EXPONENTIAL,
};

struct hb_phi_params {
	u8 model;		/* enum hb_phi_model */
	u32 threshold;		/* Q16.16, HB_PHI_THRESHOLD_MIN .. _MAX */
	u64 min_stddev_ns;	/* floor under the measured stddev */
	u64 pause_ns;		/* acceptable pause (normal model) */
	s32 y_threshold;	/* Q16.16, set by hb_phi_params_prepare() */
};

/* Derive y_threshold from the threshold; returns -1 if it is out of range. */
int hb_phi_params_prepare(struct hb_phi_params *p);

/* Sliding window of inter-arrival times with O(1) running sums. */
struct hb_phi_window {
	u32 *samples;		/* microseconds, size entries, caller's memory */
	u16 size;
	u16 count;
	u16 next;
	u64 sum;		/* of samples, us */
	__uint128_t sumsq;	/* of squared samples, us^2 */
};

void hb_phi_window_init(struct hb_phi_window *w, u32 *samples, u16 size);
void hb_phi_window_add(struct hb_phi_window *w, u32 sample_us);
/*
 * Seed a new window from the interval the peer advertises, so a new peer
 * is not judged on nothing: two samples, interval +- interval / 4.
 */
void hb_phi_window_seed(struct hb_phi_window *w, u32 interval_us);
u64 hb_phi_mean_ns(const struct hb_phi_window *w);
u64 hb_phi_stddev_ns(const struct hb_phi_window *w);

/* phi in Q16.16 after elapsed_ns of silence, capped at HB_PHI_CAP. */
u32 hb_phi_value(const struct hb_phi_params *p, u64 mean_ns, u64 stddev_ns,
		 u64 elapsed_ns);

/* The silence after which phi reaches the threshold. */
u64 hb_phi_crossing_ns(const struct hb_phi_params *p, u64 mean_ns,
		       u64 stddev_ns);

/* Integer square root, floor. */
u64 hb_isqrt64(u64 x);

#endif /* _HB_PHI_H */
