// SPDX-License-Identifier: GPL-2.0-only
/*
 * Round-trip time statistics (rtt.h). The percentile sorts a copy of the
 * window: 64 samples, and only when someone reads them.
 */
#include "rtt.h"

u32 hb_rtt_us(u64 rtt_ns)
{
	u64 us = rtt_ns / 1000;

	return us > 0xffffffffULL ? 0xffffffffU : (u32)us;
}

unsigned int hb_rtt_bucket(u32 us)
{
	unsigned int b = 0;

	while (us) {
		us >>= 1;
		b++;
	}
	return b < HB_RTT_BUCKETS ? b : HB_RTT_BUCKETS - 1;
}

void hb_rtt_window_add(struct hb_rtt_window *w, u32 us)
{
	w->samples[w->next] = us;
	w->next = (w->next + 1) % HB_RTT_WINDOW;
	if (w->count < HB_RTT_WINDOW)
		w->count++;
}

void hb_rtt_add(struct hb_rtt *r, u32 us)
{
	hb_rtt_window_add(&r->win, us);
	r->total++;
	r->sum_us += us;
	r->hist[hb_rtt_bucket(us)]++;
}

/* Insertion sort: a few thousand steps at most. */
static void hb_rtt_sort(u32 *v, unsigned int n)
{
	unsigned int i, j;
	u32 x;

	for (i = 1; i < n; i++) {
		x = v[i];
		for (j = i; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

/*
 * The p99 is the nearest-rank percentile: the smallest sample with at
 * least 99% of the window at or below it (of 64 samples, the largest).
 * Samples fill the ring from index 0, so the first count are valid.
 */
void hb_rtt_window_stats(const struct hb_rtt_window *w, struct hb_rtt_stats *s)
{
	unsigned int n = w->count, i, rank;
	u32 v[HB_RTT_WINDOW];
	u64 sum = 0;

	memset(s, 0, sizeof(*s));
	if (!n || n > HB_RTT_WINDOW)
		return;
	memcpy(v, w->samples, n * sizeof(v[0]));
	hb_rtt_sort(v, n);
	for (i = 0; i < n; i++)
		sum += v[i];
	rank = (99 * n + 99) / 100;	/* ceil(0.99 n), from 1 */
	s->min_us = v[0];
	s->mean_us = (u32)((sum + n / 2) / n);
	s->p99_us = v[rank - 1];
	s->samples = n;
}
