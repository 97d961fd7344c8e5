// SPDX-License-Identifier: GPL-2.0-only
/*
 * Phi accrual failure detector in Q16.16 fixed point; see phi.h.
 * Built into the module and, unchanged, into the host tests and the
 * evaluation harness.
 */
#include "phi.h"
#include "phi_table.h"

#define LOG10E_Q16	28462		/* log10(e) = 0.4342945 */
#define C1_Q16		104701		/* 1.5976 */
#define C3_Q16		4625		/* 0.070566 */
#define Y_CLAMP_Q16	((s64)64 * HB_PHI_ONE)
#define TABLE_Y_MIN_Q16	((s64)HB_PHI_TABLE_Y_MIN * HB_PHI_ONE)
#define TABLE_Y_MAX_Q16	(TABLE_Y_MIN_Q16 + \
			 ((s64)(HB_PHI_TABLE_SIZE - 1) << \
			  (HB_PHI_SHIFT - HB_PHI_TABLE_STEP_SHIFT)))
#define STEP_BITS	(HB_PHI_SHIFT - HB_PHI_TABLE_STEP_SHIFT)

u64 hb_isqrt64(u64 x)
{
	u64 root = 0, bit = 1ULL << 62;

	while (bit > x)
		bit >>= 2;
	while (bit) {
		if (x >= root + bit) {
			x -= root + bit;
			root = (root >> 1) + bit;
		} else {
			root >>= 1;
		}
		bit >>= 2;
	}
	return root;
}

void hb_phi_window_init(struct hb_phi_window *w, u32 *samples, u16 size)
{
	w->samples = samples;
	w->size = size;
	w->count = 0;
	w->next = 0;
	w->sum = 0;
	w->sumsq = 0;
}

void hb_phi_window_add(struct hb_phi_window *w, u32 sample_us)
{
	if (w->count == w->size) {
		u32 old = w->samples[w->next];

		w->sum -= old;
		w->sumsq -= (__uint128_t)old * old;
	} else {
		w->count++;
	}
	w->samples[w->next] = sample_us;
	w->sum += sample_us;
	w->sumsq += (__uint128_t)sample_us * sample_us;
	w->next = (u16)((w->next + 1) % w->size);
}

void hb_phi_window_seed(struct hb_phi_window *w, u32 interval_us)
{
	hb_phi_window_add(w, interval_us - interval_us / 4);
	hb_phi_window_add(w, interval_us + interval_us / 4);
}

u64 hb_phi_mean_ns(const struct hb_phi_window *w)
{
	return w->count ? w->sum * 1000 / w->count : 0;
}

/*
 * 128-by-32-bit division in 32-bit limbs: the kernel has no helper for a
 * 128-bit divide, and 64-by-32 steps are native everywhere.
 */
static __uint128_t div128_u32(__uint128_t a, u32 b)
{
	__uint128_t q = 0;
	u64 rem = 0;
	int shift;

	for (shift = 96; shift >= 0; shift -= 32) {
		u64 cur = rem << 32 | (u32)(a >> shift);

		q = q << 32 | (u32)(cur / b);
		rem = cur % b;
	}
	return q;
}

u64 hb_phi_stddev_ns(const struct hb_phi_window *w)
{
	__uint128_t n = w->count, var;

	if (w->count < 2)
		return 0;
	/* n * sum(x^2) - (sum x)^2 is exact in 128 bits; n^2 < 2^32. */
	var = div128_u32(n * w->sumsq - (__uint128_t)w->sum * w->sum,
			 (u32)(n * n));	/* us^2 */
	if (var <= (__uint128_t)(~0ULL / 1000000))
		return hb_isqrt64((u64)var * 1000000);
	return hb_isqrt64((u64)var) * 1000;
}

static s64 z_of_y(s64 y)
{
	s64 y2 = (y * y) >> HB_PHI_SHIFT;
	s64 term = C1_Q16 + ((C3_Q16 * y2) >> HB_PHI_SHIFT);

	return (y * term) >> HB_PHI_SHIFT;
}

/* phi(y) for the normal model, y in Q16.16. */
static u32 phi_of_y(s64 y)
{
	u64 phi, off;
	u32 idx, frac;

	if (y <= TABLE_Y_MIN_Q16)
		return hb_phi_table[0];
	if (y >= TABLE_Y_MAX_Q16) {
		if (y > Y_CLAMP_Q16)
			y = Y_CLAMP_Q16;
		phi = (u64)((z_of_y(y) * LOG10E_Q16) >> HB_PHI_SHIFT);
		return phi > HB_PHI_CAP ? HB_PHI_CAP : (u32)phi;
	}
	off = (u64)(y - TABLE_Y_MIN_Q16);
	idx = (u32)(off >> STEP_BITS);
	frac = (u32)(off & ((1U << STEP_BITS) - 1));
	return hb_phi_table[idx] +
	       (u32)(((u64)(hb_phi_table[idx + 1] - hb_phi_table[idx]) * frac)
		     >> STEP_BITS);
}

int hb_phi_params_prepare(struct hb_phi_params *p)
{
	u32 lo = 0, hi = HB_PHI_TABLE_SIZE - 1, t = p->threshold;
	u64 span;

	if (t < HB_PHI_THRESHOLD_MIN || t > HB_PHI_THRESHOLD_MAX ||
	    t > hb_phi_table[hi])
		return -1;
	/* The first entry at or above the threshold; the table only grows. */
	while (lo < hi) {
		u32 mid = (lo + hi) / 2;

		if (hb_phi_table[mid] >= t)
			hi = mid;
		else
			lo = mid + 1;
	}
	span = hb_phi_table[lo] - hb_phi_table[lo - 1];
	p->y_threshold = (s32)(TABLE_Y_MIN_Q16 + ((s64)(lo - 1) << STEP_BITS) +
			       (s64)(((u64)(t - hb_phi_table[lo - 1]) << STEP_BITS)
				     / span));
	return 0;
}

/* At least the floor, at least 1 ns, below 2^42 ns (73 minutes). */
static u64 effective_stddev(const struct hb_phi_params *p, u64 stddev_ns)
{
	if (stddev_ns < p->min_stddev_ns)
		stddev_ns = p->min_stddev_ns;
	if (stddev_ns >= 1ULL << 42)
		stddev_ns = (1ULL << 42) - 1;
	return stddev_ns ? stddev_ns : 1;
}

/* y = (elapsed - expected) / stddev in Q16.16, clamped to +-64. */
static s64 y_of(u64 elapsed_ns, u64 expected_ns, u64 stddev_ns)
{
	bool late = elapsed_ns >= expected_ns;
	u64 off = late ? elapsed_ns - expected_ns : expected_ns - elapsed_ns;
	u64 whole = off / stddev_ns, y;

	if (whole >= 64)
		return late ? Y_CLAMP_Q16 : -Y_CLAMP_Q16;
	/* The remainder is below stddev_ns < 2^42: no overflow in 64 bits. */
	y = (whole << HB_PHI_SHIFT) +
	    ((off % stddev_ns) << HB_PHI_SHIFT) / stddev_ns;
	return late ? (s64)y : -(s64)y;
}

u32 hb_phi_value(const struct hb_phi_params *p, u64 mean_ns, u64 stddev_ns,
		 u64 elapsed_ns)
{
	u64 phi;

	if (p->model == HB_PHI_EXPONENTIAL) {
		/* Past 2^44 ns (about 5 hours) phi is far above any threshold. */
		if (elapsed_ns > (1ULL << 44))
			elapsed_ns = 1ULL << 44;
		phi = elapsed_ns * LOG10E_Q16 / (mean_ns ? mean_ns : 1);
		return phi > HB_PHI_CAP ? HB_PHI_CAP : (u32)phi;
	}
	return phi_of_y(y_of(elapsed_ns, mean_ns + p->pause_ns,
			     effective_stddev(p, stddev_ns)));
}

/*
 * The earliest verdict is when the next heartbeat is due on average: a
 * threshold below phi at the mean (0.3 for the normal model without a
 * pause), with a stddev far larger than the mean, puts the model's
 * crossing before that, down to zero - a verdict the instant a heartbeat
 * arrived.
 */
u64 hb_phi_crossing_ns(const struct hb_phi_params *p, u64 mean_ns,
		       u64 stddev_ns)
{
	u64 floor = mean_ns;
	s64 t;

	if (p->model == HB_PHI_EXPONENTIAL) {
		t = (s64)((u64)p->threshold * mean_ns / LOG10E_Q16);
	} else {
		stddev_ns = effective_stddev(p, stddev_ns);
		/* |y_threshold| < 8.0 and stddev < 2^42: far from overflow. */
		t = (s64)(mean_ns + p->pause_ns) +
		    (s64)stddev_ns * p->y_threshold / (s64)HB_PHI_ONE;
	}
	return t > (s64)floor ? (u64)t : floor;
}
