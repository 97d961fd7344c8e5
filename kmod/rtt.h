/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Round-trip times of probes (probe.c): a window of the latest samples,
 * read as min, mean and 99th percentile, and a cumulative histogram for
 * exporters. Plain C with no kernel dependency, like phi.c: host tests
 * build the same file. Samples are microseconds; no floating point.
 */
#ifndef _HB_RTT_H
#define _HB_RTT_H

#include "compat.h"

#define HB_RTT_WINDOW		64	/* samples the statistics cover */

/*
 * Histogram buckets, as the uapi's HEARTBEAT_RTT_BUCKETS: bucket 0 counts
 * round trips under 1 us, bucket b (1 <= b < HB_RTT_BUCKETS - 1) those in
 * [2^(b-1), 2^b) us, the last everything longer (2^20 us, about a second).
 */
#define HB_RTT_BUCKETS		22

/* The latest samples. */
struct hb_rtt_window {
	u32 samples[HB_RTT_WINDOW];	/* us, a ring */
	u16 next;			/* where the next sample goes */
	u16 count;			/* samples in the ring */
};

/* A window, and cumulative counts for exporters. */
struct hb_rtt {
	struct hb_rtt_window win;
	u64 total;			/* every sample ever added */
	u64 sum_us;			/* and their sum */
	u64 hist[HB_RTT_BUCKETS];	/* cumulative, by bucket */
};

struct hb_rtt_stats {
	u32 min_us;
	u32 mean_us;
	u32 p99_us;
	u32 samples;		/* in the window; 0: nothing else is valid */
};

/* Microseconds of a round trip in nanoseconds, saturated. */
u32 hb_rtt_us(u64 rtt_ns);
void hb_rtt_window_add(struct hb_rtt_window *w, u32 us);
void hb_rtt_window_stats(const struct hb_rtt_window *w, struct hb_rtt_stats *s);
void hb_rtt_add(struct hb_rtt *r, u32 us);
unsigned int hb_rtt_bucket(u32 us);

#endif /* _HB_RTT_H */
