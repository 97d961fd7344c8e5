// SPDX-License-Identifier: GPL-2.0-only
/*
 * The phi detector (kmod/phi.c, kmod/detector.c) at the extremes of every
 * setting the netlink policy admits and of every input the wire and the
 * clock can give: no arithmetic may overflow (UBSan aborts this binary on
 * signed overflow), phi stays within [0, cap] and grows with the silence,
 * and no crossing comes before the mean interval - the model's crossing
 * at zero would convict a live peer the instant its heartbeat arrived.
 */
#include <stdint.h>

#include "kselftest_harness.h"
#include "detector.h"
#include "phi.h"

#define US	1000ULL
#define MS	1000000ULL
#define S	1000000000ULL
#define N(a)	(sizeof(a) / sizeof((a)[0]))

/* The ranges of the netlink policy (include/uapi/linux/heartbeat.h). */
static const u32 thresholds_milli[] = { 100, 300, 1000, 8000, 16000, 20000 };
static const u64 min_stddevs[] = { 0, 1 * US, 500 * US, 1 * S, 60 * S };
static const u64 pauses[] = { 0, 1 * MS, 60 * S };
/* Means and stddevs a window can hold: 1 ms .. 10 x 60 s samples. */
static const u64 means[] = { 1 * MS, 10 * MS, 1 * S, 60 * S, 600 * S };
static const u64 stddevs[] = { 0, 1 * US, 1 * MS, 1 * S, 300 * S };
static const u64 silences[] = {
	0, 1, 1 * MS, 10 * MS, 1 * S, 60 * S, 3600 * S, 86400 * S * 365,
	UINT64_MAX / 2, UINT64_MAX,
};

static struct hb_phi_params prepared(u8 model, u32 milli, u64 min_sd,
				     u64 pause)
{
	struct hb_phi_params p = {
		.model = model,
		.threshold = (u32)(((u64)milli << HB_PHI_SHIFT) / 1000),
		.min_stddev_ns = min_sd,
		.pause_ns = pause,
	};

	if (hb_phi_params_prepare(&p))
		abort();
	return p;
}

#define N_SETTINGS	(2 * N(thresholds_milli) * N(min_stddevs) * N(pauses))

/* Every combination of the settings' extremes, both models. */
static unsigned int every_setting(struct hb_phi_params *out)
{
	unsigned int m, t, d, q, n = 0;

	for (m = 0; m < 2; m++)
		for (t = 0; t < N(thresholds_milli); t++)
			for (d = 0; d < N(min_stddevs); d++)
				for (q = 0; q < N(pauses); q++)
					out[n++] = prepared(m, thresholds_milli[t],
							    min_stddevs[d], pauses[q]);
	return n;
}

TEST(phi_is_bounded_and_monotonic_at_every_extreme)
{
	static struct hb_phi_params settings[N_SETTINGS];
	unsigned int n = every_setting(settings), i, a, b, e;
	u64 cases = 0;

	for (i = 0; i < n; i++)
		for (a = 0; a < N(means); a++)
			for (b = 0; b < N(stddevs); b++) {
				u32 prev = 0;

				for (e = 0; e < N(silences); e++) {
					u32 phi = hb_phi_value(&settings[i], means[a],
							       stddevs[b], silences[e]);

					ASSERT_LE(phi, HB_PHI_CAP);
					ASSERT_GE(phi, prev);
					prev = phi;
					cases++;
				}
			}
	TH_LOG("%llu (setting, window, silence) cases", (unsigned long long)cases);
}

TEST(no_crossing_before_the_mean)
{
	static struct hb_phi_params settings[N_SETTINGS];
	unsigned int n = every_setting(settings), i, a, b;

	for (i = 0; i < n; i++)
		for (a = 0; a < N(means); a++)
			for (b = 0; b < N(stddevs); b++) {
				const struct hb_phi_params *p = &settings[i];
				u64 x = hb_phi_crossing_ns(p, means[a], stddevs[b]);

				ASSERT_GE(x, means[a]) {
					TH_LOG("model %u threshold %u min-stddev %llu pause %llu mean %llu sd %llu: crossing %llu",
					       p->model, p->threshold,
					       (unsigned long long)p->min_stddev_ns,
					       (unsigned long long)p->pause_ns,
					       (unsigned long long)means[a],
					       (unsigned long long)stddevs[b],
					       (unsigned long long)x);
				}
			}
}

/*
 * The detector end to end at the widest min-stddev and the lowest
 * threshold: a peer heard on time, every 10 ms, is never convicted.
 */
TEST(widest_min_stddev_never_convicts_an_on_time_peer)
{
	static u32 ring[16];
	struct hb_det_params p = {
		.fall = 3,
		.rise = 2,
		.detector = HB_DETECTOR_PHI,
	};
	struct hb_phi_window w;
	struct hb_det d;
	struct hb_det_change c;
	u64 t;

	p.phi_dead = prepared(HB_PHI_NORMAL, 100, 60 * S, 0);
	hb_phi_window_init(&w, ring, 16);
	hb_det_init(&d, 0, &p, &w);
	for (t = 1 * S; t < 2 * S; t += 10 * MS) {
		while (d.deadline_ns && d.deadline_ns < t)
			hb_det_expire(&d, d.deadline_ns, &p, &c);
		ASSERT_NE(HB_STATE_DEAD, d.state);
		hb_det_heartbeat(&d, t, 1, 10000, &p, &c);
		ASSERT_GT(d.deadline_ns, t);
	}
}

TEST_HARNESS_MAIN
