// SPDX-License-Identifier: GPL-2.0-only
/*
 * Accuracy of the fixed-point phi detector (kmod/phi.c, the file the module
 * is built from) against a double-precision reference: |phi - ref| <= 0.01
 * wherever ref <= 20, phi monotonic in t, and the threshold-crossing instant
 * within 1 % of the reference, over a dense grid of t, mean, stddev, pause
 * and threshold.
 *
 * That reference is the model the table is built from, the logistic
 * approximation of the normal CDF. The model's own error, against the true
 * normal tail -log10(0.5 erfc(y / sqrt 2)), is measured apart and printed
 * beside the fixed-point error: small in the body, large in the far tail.
 */
#include <math.h>
#include <stdio.h>

#include "kselftest_harness.h"
#include "phi.h"
#include "phi_table.h"

#define MS 1000000.0

static double ref_normal(double t, double mean, double sd, double pause)
{
	double y = (t - (mean + pause)) / sd;
	double z = y * (1.5976 + 0.070566 * y * y);

	if (z > 30)
		return z * log10(exp(1)) + log10(1 + exp(-z));
	return log10(1 + exp(z));
}

/* What the logistic model approximates: -log10 of the normal tail. */
static double true_normal(double t, double mean, double sd, double pause)
{
	double y = (t - (mean + pause)) / sd;

	return -log10(0.5 * erfc(y / sqrt(2)));
}

static double ref_exponential(double t, double mean)
{
	return t / mean * log10(exp(1));
}

static double fixed(const struct hb_phi_params *p, double t, double mean,
		    double sd)
{
	return hb_phi_value(p, (u64)mean, (u64)sd, (u64)t) / (double)HB_PHI_ONE;
}

static struct hb_phi_params params(int model, double threshold, double pause)
{
	struct hb_phi_params p = {
		.model = model,
		.threshold = (u32)lround(threshold * HB_PHI_ONE),
		.pause_ns = (u64)pause,
	};

	if (hb_phi_params_prepare(&p))
		abort();
	return p;
}

static const double means[] = { 1 * MS, 10 * MS, 100 * MS, 1000 * MS, 10000 * MS };
static const double ratios[] = { 0.01, 0.1, 0.25, 0.5, 1.0 };
#define N(a) (sizeof(a) / sizeof((a)[0]))

TEST(table_is_the_model)
{
	int i;

	for (i = 0; i < HB_PHI_TABLE_SIZE; i++) {
		double y = HB_PHI_TABLE_Y_MIN + i / 64.0;
		double ref = ref_normal(y, 0, 1, 0);

		ASSERT_LE(fabs(hb_phi_table[i] / 65536.0 - ref), 1.0 / 65536)
			TH_LOG("entry %d", i);
		if (i)
			ASSERT_GE(hb_phi_table[i], hb_phi_table[i - 1]);
	}
}

TEST(normal_model_within_0_01_and_monotonic)
{
	double worst = 0;
	unsigned int m, r, k;
	int step;

	for (m = 0; m < N(means); m++)
		for (r = 0; r < N(ratios); r++)
			for (k = 0; k < 2; k++) {
				double mean = means[m], sd = mean * ratios[r];
				double pause = k ? mean / 2 : 0;
				double end = mean + pause + 12 * sd;
				struct hb_phi_params p = params(HB_PHI_NORMAL, 8, pause);
				u32 prev = 0;

				for (step = 0; step <= 4000; step++) {
					double t = end * step / 4000;
					double ref = ref_normal(t, mean, sd, pause);
					u32 raw = hb_phi_value(&p, (u64)mean, (u64)sd, (u64)t);
					double err = fabs(raw / 65536.0 - ref);

					ASSERT_GE(raw, prev);
					prev = raw;
					if (ref > 20)
						continue;
					if (err > worst)
						worst = err;
					ASSERT_LE(err, 0.01)
						TH_LOG("mean %g sd %g pause %g t %g: %g vs %g",
						       mean, sd, pause, t, raw / 65536.0, ref);
				}
			}
	TH_LOG("normal model: worst |phi - ref| %.6f where ref <= 20", worst);
}

TEST(exponential_model_within_0_01_and_monotonic)
{
	struct hb_phi_params p = params(HB_PHI_EXPONENTIAL, 8, 0);
	double worst = 0;
	unsigned int m;
	int step;

	for (m = 0; m < N(means); m++) {
		double mean = means[m];
		u32 prev = 0;

		for (step = 0; step <= 4000; step++) {
			double t = 50 * mean * step / 4000;
			double ref = ref_exponential(t, mean);
			u32 raw = hb_phi_value(&p, (u64)mean, 0, (u64)t);
			double err = fabs(raw / 65536.0 - ref);

			ASSERT_GE(raw, prev);
			prev = raw;
			if (ref <= 20 && err > worst)
				worst = err;
			if (ref <= 20)
				ASSERT_LE(err, 0.01);
		}
	}
	TH_LOG("exponential model: worst |phi - ref| %.6f where ref <= 20", worst);
}

/* The reference crossing instant, by bisection on the reference phi. */
static double ref_crossing(int model, double thr, double mean, double sd,
			   double pause)
{
	double lo = 0, hi = mean * 100 + pause + 100 * sd;
	int i;

	for (i = 0; i < 200; i++) {
		double mid = (lo + hi) / 2;
		double v = model == HB_PHI_NORMAL ? ref_normal(mid, mean, sd, pause) :
			   ref_exponential(mid, mean);

		if (v >= thr)
			hi = mid;
		else
			lo = mid;
	}
	return hi;
}

TEST(crossing_instant_within_one_percent)
{
	static const double thresholds[] = { 0.5, 1, 2, 3, 5, 8, 10, 12, 16, 20 };
	double worst = 0;
	unsigned int m, r, k, i;
	int model;

	for (model = HB_PHI_NORMAL; model <= HB_PHI_EXPONENTIAL; model++)
		for (i = 0; i < N(thresholds); i++)
			for (m = 0; m < N(means); m++)
				for (r = 0; r < N(ratios); r++)
					for (k = 0; k < 2; k++) {
						double mean = means[m], sd = mean * ratios[r];
						double pause = k ? mean / 2 : 0;
						struct hb_phi_params p =
							params(model, thresholds[i], pause);
						double ref = ref_crossing(model, thresholds[i],
									  mean, sd, model ? 0 : pause);
						double got = (double)hb_phi_crossing_ns(&p, (u64)mean,
											(u64)sd);
						double rel = fabs(got - ref) / ref;

						/* No verdict before the mean. */
						if (ref < mean) {
							ASSERT_LE(fabs(got - mean), 1);
							continue;
						}
						if (rel > worst)
							worst = rel;
						ASSERT_LE(rel, 0.01)
							TH_LOG("model %d thr %g mean %g sd %g: %g vs %g",
							       model, thresholds[i], mean, sd, got, ref);
						/* And phi there is the threshold. */
						ASSERT_LE(fabs(fixed(&p, got, mean, sd) - thresholds[i]),
							  0.01);
					}
	TH_LOG("crossing instant: worst relative error %.6f", worst);
}

/*
 * The model against the true normal tail, over the table's range of y up to
 * model phi 20, and the module's fixed-point phi against both. The model is
 * within 0.01 of the truth in the body (true phi <= 2), the module within
 * 0.02; past true phi 2.5 the model overstates phi, and what that means for
 * a threshold is printed: the true phi at the instant the model reaches it.
 */
TEST(model_against_the_true_normal_tail)
{
	static const double thresholds[] = { 1, 2, 3, 5, 8, 12, 16, 20 };
	struct hb_phi_params p = params(HB_PHI_NORMAL, 8, 0);
	double body = 0, worst = 0, worst_y = 0, fixed_worst = 0;
	unsigned int i;
	int step;

	for (step = 0; ; step++) {
		double y = HB_PHI_TABLE_Y_MIN + step / 1024.0;
		double model = ref_normal(y, 0, 1, 0), truth = true_normal(y, 0, 1, 0);
		/* The module at mean 1 s, stddev 0.1 s: t for this y. */
		double t = 1000 * MS + y * 100 * MS;
		double got, err = fabs(model - truth);

		if (model > 20)
			break;
		if (t < 0)
			continue;
		got = fixed(&p, t, 1000 * MS, 100 * MS);
		if (truth <= 2 && err > body)
			body = err;
		if (err > worst) {
			worst = err;
			worst_y = y;
		}
		if (fabs(got - model) > fixed_worst)
			fixed_worst = fabs(got - model);
		/* In the body the module's phi is the true one; past it, the
		 * model says more: a threshold is reached early. */
		if (truth <= 2)
			ASSERT_LE(fabs(got - truth), 0.02)
				TH_LOG("y %g: fixed %g, true %g", y, got, truth);
		if (truth > 2.5)
			ASSERT_GT(model, truth) TH_LOG("y %g", y);
	}
	TH_LOG("fixed point vs model: worst |phi - model| %.6f where model <= 20",
	       fixed_worst);
	TH_LOG("model vs true normal tail: worst %.4f where true phi <= 2, "
	       "worst %.4f where model <= 20 (at y = %.2f)", body, worst, worst_y);
	ASSERT_LE(body, 0.01);
	for (i = 0; i < N(thresholds); i++) {
		double y = ref_crossing(HB_PHI_NORMAL, thresholds[i], 0, 1, 0);

		TH_LOG("model threshold %4.1f is reached at y = %.3f, where the true "
		       "phi is %.3f", thresholds[i], y, true_normal(y, 0, 1, 0));
	}
}

TEST(min_stddev_is_a_floor)
{
	struct hb_phi_params p = params(HB_PHI_NORMAL, 8, 0);
	double a, b;

	p.min_stddev_ns = (u64)(5 * MS);
	a = fixed(&p, 30 * MS, 10 * MS, 0);
	b = ref_normal(30 * MS, 10 * MS, 5 * MS, 0);
	ASSERT_LE(fabs(a - b), 0.01);
}

TEST(threshold_range)
{
	struct hb_phi_params p = { .model = HB_PHI_NORMAL };

	p.threshold = HB_PHI_THRESHOLD_MIN - 1;
	ASSERT_EQ(-1, hb_phi_params_prepare(&p));
	p.threshold = HB_PHI_THRESHOLD_MAX + 1;
	ASSERT_EQ(-1, hb_phi_params_prepare(&p));
	p.threshold = HB_PHI_THRESHOLD_MAX;
	ASSERT_EQ(0, hb_phi_params_prepare(&p));
}

TEST(window_running_sums_match_a_recount)
{
	static u32 ring[100];
	struct hb_phi_window w;
	unsigned int seed = 1, i, j;

	hb_phi_window_init(&w, ring, 100);
	for (i = 1; i <= 1000; i++) {
		double s = 0, ss = 0, mean, sd;

		seed = seed * 1103515245 + 12345;
		hb_phi_window_add(&w, 10000 + (seed >> 16) % 5000);
		for (j = 0; j < w.count; j++)
			s += ring[j];
		mean = s / w.count;
		for (j = 0; j < w.count; j++)
			ss += (ring[j] - mean) * (ring[j] - mean);
		sd = sqrt(ss / w.count);
		ASSERT_LE(fabs(hb_phi_mean_ns(&w) - mean * 1000), 1.0);
		if (w.count > 1)
			/* Integer variance in us^2, then a floor square root. */
			ASSERT_LE(fabs(hb_phi_stddev_ns(&w) - sd * 1000), 2.0);
	}
	ASSERT_EQ(100, w.count);
}

TEST(seed_is_interval_plus_minus_a_quarter)
{
	static u32 ring[10];
	struct hb_phi_window w;

	hb_phi_window_init(&w, ring, 10);
	hb_phi_window_seed(&w, 10000);
	ASSERT_EQ(10000000, hb_phi_mean_ns(&w));
	ASSERT_EQ(2500000, hb_phi_stddev_ns(&w));
}

TEST(isqrt_is_exact)
{
	unsigned long long x = 1;
	int i;

	for (i = 0; i < 100000; i++) {
		u64 r;

		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		r = hb_isqrt64(x >> (i % 64));
		ASSERT_LE((unsigned __int128)r * r, (unsigned __int128)(x >> (i % 64)));
		ASSERT_GT((unsigned __int128)(r + 1) * (r + 1),
			  (unsigned __int128)(x >> (i % 64)));
	}
}

TEST_HARNESS_MAIN
