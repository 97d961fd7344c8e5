// SPDX-License-Identifier: GPL-2.0-only
/*
 * hbeval: replay heartbeat arrival traces through the module's own failure
 * detector (kmod/detector.c and kmod/phi.c, compiled in unchanged) and
 * measure, per detector and parameter, the quality of service metrics of
 * Chen, Toueg and Aguilera ("On the quality of service of failure
 * detectors", 2002):
 *
 *   T_D  detection time: from the last heartbeat of a crashed sender to
 *        the verdict dead, at many crash points along the trace;
 *   λ_M  mistake rate: false dead verdicts per hour while the sender is up
 *        (false suspect transitions are counted apart);
 *   T_M  mistake duration: from a false dead until alive again.
 *
 * The deadline timer is simulated firing exactly on time, as the module's
 * hrtimer does to within microseconds, so the verdicts are those the module
 * would reach on the same arrivals. This is a host tool: floating point is
 * used for the trace generators and the statistics, never for the detector.
 *
 *   hbeval --trace FILE [--interval-us N]
 *   hbeval --gen NAME|all [--seed S] [--hours H]
 *   hbeval --gen NAME [--seed S] [--hours H] --dump
 *
 * CSV on stdout: trace,detector,param,td_mean_ms,td_p99_ms,
 * mistakes_per_hour,suspects_per_hour,mistake_ms.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detector.h"

#define NSEC_PER_USEC	1000ULL
#define NSEC_PER_MSEC	1000000ULL
#define NSEC_PER_SEC	1000000000ULL
#define NSEC_PER_HOUR	(3600ULL * NSEC_PER_SEC)

/* One sender that never restarts: every heartbeat carries the same one. */
#define INCARNATION	1

/*
 * Traces are rebased so the first arrival is at 1 s: the detector keeps 0
 * for "no deadline", and an absolute clock near zero could make a real
 * deadline collide with that.
 */
#define TIME_BASE_NS	NSEC_PER_SEC

/* Timer firings per simulated crash before we call the detector broken. */
#define MAX_FIRINGS	1000

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

static const char csv_header[] =
	"trace,detector,param,td_mean_ms,td_p99_ms,mistakes_per_hour,suspects_per_hour,mistake_ms";

static const char *prog = "hbeval";

static void die(const char *fmt, ...)
	__attribute__((noreturn, format(printf, 1, 2)));

static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void *xrealloc(void *p, size_t size)
{
	p = realloc(p, size);
	if (!p)
		die("out of memory");
	return p;
}

/* Arrival times of one sender's heartbeats at one receiver. */
struct trace {
	char name[64];
	u64 *t;			/* ns, non-decreasing */
	size_t n, cap;
	u32 interval_us;	/* what the sender advertises; 0: unknown */
};

static void trace_push(struct trace *tr, u64 t)
{
	if (tr->n == tr->cap) {
		tr->cap = tr->cap ? 2 * tr->cap : 65536;
		tr->t = xrealloc(tr->t, tr->cap * sizeof(*tr->t));
	}
	tr->t[tr->n++] = t;
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* ---- Generated traces ------------------------------------------------ */

/*
 * splitmix64 (Steele, Lea, Flood): tiny, fast, and it passes BigCrush,
 * more than enough for jitter and loss. Its output depends on nothing but
 * the seed, so a seed names one trace for good.
 */
struct rng {
	u64 s;
};

static u64 rng_next(struct rng *r)
{
	u64 z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, 1), 53 bits. */
static double rng_unit(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

/*
 * Standard normal by Box-Muller. The second value of each pair is thrown
 * away: keeping it would make every draw depend on the parity of the
 * draws before it, and traces easier to break by editing a generator.
 */
static double rng_gauss(struct rng *r)
{
	double u1 = 1.0 - rng_unit(r);	/* (0, 1]: log(0) is -inf */
	double u2 = rng_unit(r);

	return sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
}

#define GEN_IVAL_NS	(100.0 * NSEC_PER_MSEC)
#define GEN_JITTER_NS	(5.0 * NSEC_PER_MSEC)
#define GEN_START_NS	((double)TIME_BASE_NS)

struct gen {
	struct rng rng;
	struct trace *tr;
	double end;		/* ns: no send at or after this */
};

/* The heartbeat sent at send_ns arrives shifted by gaussian jitter. */
static void gen_arrival(struct gen *g, double send_ns, double sigma_ns)
{
	double t = send_ns + sigma_ns * rng_gauss(&g->rng);

	trace_push(g->tr, (u64)llround(t > 0 ? t : 0));
}

/* A perfectly regular sender: the degenerate case the check relies on. */
static void gen_regular(struct gen *g)
{
	double s;
	u64 k;

	for (k = 0; (s = GEN_START_NS + k * GEN_IVAL_NS) < g->end; k++)
		trace_push(g->tr, (u64)llround(s));
}

/* Every GEN_IVAL_NS, with independent loss and Gilbert-Elliott bursts. */
static void gen_lossy(struct gen *g, double loss, bool bursty)
{
	/* p(good->bad), p(bad->good), loss in bad: bursts of ~5 sends. */
	const double p_gb = 0.002, p_bg = 0.2, loss_bad = 0.9;
	bool bad = false;
	double s;
	u64 k;

	for (k = 0; (s = GEN_START_NS + k * GEN_IVAL_NS) < g->end; k++) {
		double u = rng_unit(&g->rng);

		if (bursty) {
			bad = bad ? u >= p_bg : u < p_gb;
			if (bad && rng_unit(&g->rng) < loss_bad)
				continue;
		} else if (u < loss) {
			continue;
		}
		gen_arrival(g, s, GEN_JITTER_NS);
	}
}

/*
 * A sender that stops the world every 30 s for 200 to 600 ms, like a
 * garbage collector: sends due during the pause are not made; the one
 * overdue timer fires as the pause ends (timers coalesce missed ticks),
 * then the sender is back on its original schedule.
 */
static void gen_pauses(struct gen *g)
{
	const double every = 30.0 * NSEC_PER_SEC;
	double s, pause_at, pause_end;
	bool resumed = false;
	u64 k, j = 1;

	/* Pauses start anywhere within an interval, not on a send. */
	pause_at = GEN_START_NS + every + rng_unit(&g->rng) * GEN_IVAL_NS;
	pause_end = pause_at + (200.0 + 400.0 * rng_unit(&g->rng)) * NSEC_PER_MSEC;
	for (k = 0; (s = GEN_START_NS + k * GEN_IVAL_NS) < g->end; k++) {
		if (s >= pause_end) {
			j++;
			pause_at = GEN_START_NS + j * every +
				   rng_unit(&g->rng) * GEN_IVAL_NS;
			pause_end = pause_at + (200.0 + 400.0 *
				    rng_unit(&g->rng)) * NSEC_PER_MSEC;
			resumed = false;
		}
		if (s >= pause_at) {
			if (!resumed && pause_end < g->end)
				gen_arrival(g, pause_end, GEN_JITTER_NS);
			resumed = true;
			continue;
		}
		gen_arrival(g, s, GEN_JITTER_NS);
	}
}

/*
 * The real interval drifts from 100 to 140 ms and back once an hour
 * (sinusoid) while the sender still advertises 100 ms: an overloaded
 * sender, or one whose clock runs slow. Small jitter on top.
 */
static void gen_drift(struct gen *g)
{
	const double period = (double)NSEC_PER_HOUR;
	double s;

	for (s = GEN_START_NS; s < g->end;) {
		gen_arrival(g, s, 2.0 * NSEC_PER_MSEC);
		s += (120.0 - 20.0 * cos(2.0 * M_PI * (s - GEN_START_NS) /
					 period)) * NSEC_PER_MSEC;
	}
}

enum gen_kind { GEN_REGULAR, GEN_JITTER, GEN_LOSS, GEN_BURSTY, GEN_PAUSES,
		GEN_DRIFT };

static const struct {
	const char *name;
	enum gen_kind kind;
	bool in_all;		/* part of --gen all */
} gens[] = {
	{ "jitter", GEN_JITTER, true },
	{ "loss", GEN_LOSS, true },
	{ "bursty", GEN_BURSTY, true },
	{ "pauses", GEN_PAUSES, true },
	{ "drift", GEN_DRIFT, true },
	{ "regular", GEN_REGULAR, false },
};

/* FNV-1a: each trace gets its own stream, the same with or without "all". */
static u64 name_hash(const char *s)
{
	u64 h = 0xcbf29ce484222325ULL;

	while (*s)
		h = (h ^ (u8)*s++) * 0x100000001b3ULL;
	return h;
}

static void generate(struct trace *tr, int idx, u64 seed, double hours)
{
	struct gen g = {
		.rng = { seed ^ name_hash(gens[idx].name) },
		.tr = tr,
		.end = GEN_START_NS + hours * NSEC_PER_HOUR,
	};

	memset(tr, 0, sizeof(*tr));
	snprintf(tr->name, sizeof(tr->name), "%s", gens[idx].name);
	tr->interval_us = (u32)(GEN_IVAL_NS / NSEC_PER_USEC);
	switch (gens[idx].kind) {
	case GEN_REGULAR:
		gen_regular(&g);
		break;
	case GEN_JITTER:
		gen_lossy(&g, 0, false);
		break;
	case GEN_LOSS:
		gen_lossy(&g, 0.01, false);
		break;
	case GEN_BURSTY:
		gen_lossy(&g, 0, true);
		break;
	case GEN_PAUSES:
		gen_pauses(&g);
		break;
	case GEN_DRIFT:
		gen_drift(&g);
		break;
	}
	/* Jitter may swap two arrivals; the receiver sees them in time order. */
	qsort(tr->t, tr->n, sizeof(*tr->t), cmp_u64);
}

static void dump(const struct trace *tr, u64 seed, double hours)
{
	size_t i;

	printf("# hbeval trace %s, seed %llu, %g hours\n", tr->name,
	       (unsigned long long)seed, hours);
	printf("# interval_us %u\n", tr->interval_us);
	for (i = 0; i < tr->n; i++)
		printf("%llu.%09llu\n",
		       (unsigned long long)(tr->t[i] / NSEC_PER_SEC),
		       (unsigned long long)(tr->t[i] % NSEC_PER_SEC));
}

/* ---- Trace files ----------------------------------------------------- */

/* "12.345678" to ns, exactly: no detour through a double. */
static int parse_time(const char *s, u64 *ns)
{
	u64 sec = 0, frac = 0, scale = NSEC_PER_SEC;
	const char *p = s;

	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (sec > (~0ULL / NSEC_PER_SEC - 9) / 10)
			return -1;
		sec = sec * 10 + (u64)(*p - '0');
	}
	if (*p == '.') {
		/* Digits past the ninth are below a nanosecond: dropped. */
		for (p++; *p >= '0' && *p <= '9'; p++) {
			if (scale > 1) {
				scale /= 10;
				frac += (u64)(*p - '0') * scale;
			}
		}
	}
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p)
		return -1;
	*ns = sec * NSEC_PER_SEC + frac;
	return 0;
}

static void load(struct trace *tr, const char *path)
{
	bool std_in = !strcmp(path, "-");
	const char *base = strrchr(path, '/');
	FILE *f = std_in ? stdin : fopen(path, "r");
	size_t len = 0, lineno = 0;
	char *line = NULL, *p;
	unsigned int ival;
	ssize_t n;
	u64 t;

	if (!f)
		die("%s: %s", path, strerror(errno));
	memset(tr, 0, sizeof(*tr));
	snprintf(tr->name, sizeof(tr->name), "%s",
		 std_in ? "stdin" : base ? base + 1 : path);
	/* The name goes into a CSV field. */
	for (p = tr->name; *p; p++)
		if (*p == ',' || *p == '"')
			*p = '_';
	while ((n = getline(&line, &len, f)) > 0) {
		lineno++;
		while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = 0;
		for (p = line; *p == ' ' || *p == '\t'; p++)
			;
		if (*p == '#') {
			/* Written by --dump, so a dumped trace replays alike. */
			if (sscanf(p, "# interval_us %u", &ival) == 1)
				tr->interval_us = ival;
			continue;
		}
		if (!*p)
			continue;
		if (parse_time(p, &t))
			die("%s:%zu: not a time in seconds: %s", path, lineno, p);
		if (tr->n && t < tr->t[tr->n - 1])
			die("%s:%zu: time goes backwards (sort the trace)",
			    path, lineno);
		trace_push(tr, t);
	}
	if (ferror(f))
		die("%s: read error", path);
	free(line);
	if (!std_in)
		fclose(f);
}

/* The advertised interval, when nobody says: the median inter-arrival. */
static u32 median_interval_us(const struct trace *tr)
{
	u64 *gaps = xrealloc(NULL, (tr->n - 1) * sizeof(*gaps)), m;
	size_t i;

	for (i = 1; i < tr->n; i++)
		gaps[i - 1] = tr->t[i] - tr->t[i - 1];
	qsort(gaps, tr->n - 1, sizeof(*gaps), cmp_u64);
	m = gaps[(tr->n - 1) / 2];
	free(gaps);
	return (u32)((m + NSEC_PER_USEC / 2) / NSEC_PER_USEC);
}

/* ---- Evaluation ------------------------------------------------------ */

struct options {
	u32 window;		/* phi window, samples */
	size_t crashes;		/* crash points per run */
	u64 min_stddev_ns;	/* 0: interval / 20 */
	u64 pause_ns;		/* phi normal model's acceptable pause */
};

/*
 * The sweeps. Timeout: slack in intervals (0 stands for 1 ns, as 0 would
 * mean "one interval" to the detector). Phi: the threshold.
 *
 * The timeout says dead after fall * interval + slack of silence, so fall
 * only moves the curve: with the module's fall of 3 no slack gets below
 * three intervals. The fall 1 sweep shows the plain fixed timeout of the
 * literature below that, so phi is also compared with the best timeout,
 * not only with the default one.
 */
static const double timeout_slacks[] = {
	0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 2, 2.5, 3, 3.5, 4, 5, 6, 7, 8,
	10, 12, 14, 16, 18, 20,
};

static const double timeout1_slacks[] = {
	0.1, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 1.25, 1.5, 2, 2.5, 3, 3.5, 4, 5, 6,
	7, 8, 10, 12, 14, 16, 18, 20,
};

static const double phi_normal_thresholds[] = {
	0.5, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 18, 20,
};

static const double phi_exp_thresholds[] = {
	0.5, 0.75, 1, 1.25, 1.5, 1.75, 2, 2.5, 3, 3.5, 4, 5, 6, 7, 8, 10,
};

static const struct sweep {
	const char *name;
	u8 detector;
	u8 model;
	u32 fall;		/* not used by phi */
	u32 pause_intervals;	/* phi normal: acceptable pause; 0: option */
	const double *params;
	size_t n;
} sweeps[] = {
	{ "timeout", HB_DETECTOR_TIMEOUT, 0, 3, 0, timeout_slacks,
	  ARRAY_SIZE(timeout_slacks) },
	{ "timeout-fall1", HB_DETECTOR_TIMEOUT, 0, 1, 0, timeout1_slacks,
	  ARRAY_SIZE(timeout1_slacks) },
	{ "phi-normal", HB_DETECTOR_PHI, HB_PHI_NORMAL, 3, 0,
	  phi_normal_thresholds, ARRAY_SIZE(phi_normal_thresholds) },
	/*
	 * Akka's remedy for lost heartbeats: an acceptable pause, here one
	 * interval, so a single missing heartbeat is within the model.
	 */
	{ "phi-normal-pause", HB_DETECTOR_PHI, HB_PHI_NORMAL, 3, 1,
	  phi_normal_thresholds, ARRAY_SIZE(phi_normal_thresholds) },
	{ "phi-exp", HB_DETECTOR_PHI, HB_PHI_EXPONENTIAL, 3, 0,
	  phi_exp_thresholds, ARRAY_SIZE(phi_exp_thresholds) },
};

static void make_params(struct hb_det_params *p, const struct sweep *sw,
			double param, u32 interval_us,
			const struct options *o)
{
	u64 ival = (u64)interval_us * NSEC_PER_USEC;

	memset(p, 0, sizeof(*p));
	p->fall = sw->fall;
	/* One heartbeat ends a mistake: T_M is then the detector's alone. */
	p->rise = 1;
	p->grace_ns = 0;
	p->detector = sw->detector;
	p->slack_ns = param > 0 ? (u64)llround(param * ival) : 1;
	p->phi_dead.model = sw->model;
	p->phi_dead.threshold = (u32)lround(param * HB_PHI_ONE);
	p->phi_dead.min_stddev_ns = o->min_stddev_ns ? o->min_stddev_ns :
				    ival / 20;
	p->phi_dead.pause_ns = sw->pause_intervals ?
			       sw->pause_intervals * ival : o->pause_ns;
	/* No warning level: dead is phi's first and only conviction. */
	p->phi_warn.threshold = 0;
	if (sw->detector == HB_DETECTOR_PHI &&
	    hb_phi_params_prepare(&p->phi_dead))
		die("phi threshold %g out of range", param);
}

struct result {
	double td_mean_ms;
	double td_p99_ms;
	double mistakes_per_hour;
	double suspects_per_hour;
	double mistake_ms;	/* < 0: no mistake to measure */
};

static u32 samples[HB_PHI_WINDOW_MAX];
static u32 crash_samples[HB_PHI_WINDOW_MAX];

/*
 * The sender crashes right after the heartbeat the detector d has just
 * taken: run a copy of d on silence, the timer firing on time, until it
 * says dead. The window is copied too, samples and all, so nothing the
 * copy does can leak into the replay that goes on with the original.
 */
static u64 detection_time(const struct hb_det *live,
			  const struct hb_det_params *p)
{
	struct hb_phi_window w = *live->window;
	struct hb_det d = *live;
	struct hb_det_change c;
	int fired;

	memcpy(crash_samples, w.samples, w.size * sizeof(*w.samples));
	w.samples = crash_samples;
	d.window = &w;
	for (fired = 0; d.deadline_ns && fired < MAX_FIRINGS; fired++) {
		u64 at = d.deadline_ns;

		hb_det_expire(&d, at, p, &c);
		if (d.state == HB_STATE_DEAD)
			return at - d.last_rx_ns;
	}
	die("the detector never said dead after a crash");
}

static void evaluate(const struct trace *tr, const struct hb_det_params *p,
		     const struct options *o, struct result *r)
{
	size_t warm, ncrash, next_crash = 0, i, k;
	u64 from, mistakes = 0, suspects = 0, mistake_ns = 0, dead_at = 0;
	u64 *td, td_sum = 0;
	bool in_mistake = false;
	struct hb_phi_window w;
	struct hb_det_change c;
	struct hb_det d;
	double hours;

	/*
	 * Warm-up: until the window is full, phi judges on a seed and a few
	 * samples; the verdicts of that start say little about steady state.
	 * A fifth of the trace at most, for short traces.
	 */
	warm = o->window < tr->n / 5 ? o->window : tr->n / 5;
	from = tr->t[warm];
	hours = (double)(tr->t[tr->n - 1] - from) / NSEC_PER_HOUR;
	ncrash = o->crashes < tr->n - warm ? o->crashes : tr->n - warm;
	td = xrealloc(NULL, ncrash * sizeof(*td));

	hb_phi_window_init(&w, samples, (u16)o->window);
	hb_det_init(&d, tr->t[0], p, &w);
	for (i = 0; i < tr->n; i++) {
		u64 now = tr->t[i];

		/* The timer fires on time, before a heartbeat due with it. */
		while (d.deadline_ns && d.deadline_ns <= now) {
			u64 at = d.deadline_ns;

			hb_det_expire(&d, at, p, &c);
			if (!c.changed || at < from)
				continue;
			if (c.state == HB_STATE_SUSPECT)
				suspects++;
			if (c.state == HB_STATE_DEAD) {
				mistakes++;
				dead_at = at;
				in_mistake = true;
			}
		}
		hb_det_heartbeat(&d, now, INCARNATION, tr->interval_us, p, &c);
		if (in_mistake && d.state == HB_STATE_ALIVE) {
			mistake_ns += now - dead_at;
			in_mistake = false;
		}
		/* Crash points: evenly spread over the arrivals after warm-up. */
		if (next_crash < ncrash &&
		    i == warm + next_crash * (tr->n - warm) / ncrash) {
			td[next_crash] = detection_time(&d, p);
			td_sum += td[next_crash++];
		}
	}
	/* Every crash point index is below n: all were visited. */
	qsort(td, ncrash, sizeof(*td), cmp_u64);
	r->td_mean_ms = (double)td_sum / ncrash / NSEC_PER_MSEC;
	/* Nearest rank: the smallest value with 99 % at or below it. */
	k = (99 * ncrash + 99) / 100;
	r->td_p99_ms = (double)td[k - 1] / NSEC_PER_MSEC;
	r->mistakes_per_hour = hours > 0 ? mistakes / hours : 0;
	r->suspects_per_hour = hours > 0 ? suspects / hours : 0;
	r->mistake_ms = mistakes ?
		(double)mistake_ns / mistakes / NSEC_PER_MSEC : -1;
	free(td);
}

static void report(const struct trace *tr, const struct options *o)
{
	struct hb_det_params p;
	struct result r;
	size_t s, j;

	for (s = 0; s < ARRAY_SIZE(sweeps); s++) {
		for (j = 0; j < sweeps[s].n; j++) {
			make_params(&p, &sweeps[s], sweeps[s].params[j],
				    tr->interval_us, o);
			evaluate(tr, &p, o, &r);
			printf("%s,%s,%g,%.2f,%.2f,%.3f,%.3f,", tr->name,
			       sweeps[s].name, sweeps[s].params[j],
			       r.td_mean_ms, r.td_p99_ms, r.mistakes_per_hour,
			       r.suspects_per_hour);
			/* No mistake, no duration: an empty field, not 0. */
			if (r.mistake_ms >= 0)
				printf("%.1f", r.mistake_ms);
			putchar('\n');
		}
	}
}

/* Shift to TIME_BASE_NS and settle the advertised interval. */
static void prepare(struct trace *tr, u32 interval_us)
{
	u64 t0;
	size_t i;

	if (tr->n < 10)
		die("%s: %zu heartbeats: too few to evaluate", tr->name, tr->n);
	t0 = tr->t[0];
	for (i = 0; i < tr->n; i++)
		tr->t[i] = tr->t[i] - t0 + TIME_BASE_NS;
	if (interval_us)
		tr->interval_us = interval_us;
	if (!tr->interval_us)
		tr->interval_us = median_interval_us(tr);
	if (!tr->interval_us)
		die("%s: median inter-arrival below 1 us: give --interval-us",
		    tr->name);
}

static void print_usage(FILE *f)
{
	fprintf(f, "usage: hbeval --trace FILE [--interval-us N] [options]\n"
		   "       hbeval --gen NAME|all [--seed S] [--hours H] [options]\n"
		   "       hbeval --gen NAME [--seed S] [--hours H] --dump\n"
		   "\n"
		   "Replays heartbeat arrivals through heartbeat's detectors and prints, per\n"
		   "detector and parameter, detection time, mistake rate and duration (CSV).\n"
		   "\n"
		   "  --trace FILE       one arrival time per line, in seconds (12.345678),\n"
		   "                     - for stdin;\n"
		   "                     '#' lines are comments, '# interval_us N' sets the\n"
		   "                     advertised interval\n"
		   "  --interval-us N    advertised interval (default: from the file, else\n"
		   "                     the median inter-arrival)\n"
		   "  --gen NAME         built-in trace: jitter loss bursty pauses drift\n"
		   "                     regular, or all (all but regular)\n"
		   "  --seed S           generator seed (default 1)\n"
		   "  --hours H          generated trace length (default 1)\n"
		   "  --dump             print the generated trace instead of evaluating it\n"
		   "  --crashes N        crash points per run (default 1000)\n"
		   "  --window N         phi window, 2..%d samples (default %d)\n"
		   "  --min-stddev-us N  phi stddev floor (default interval / 20)\n"
		   "  --pause-us N       phi normal model's acceptable pause (default 0)\n",
		HB_PHI_WINDOW_MAX, HB_PHI_WINDOW_MAX);
}

static unsigned long long parse_num(const char *opt, const char *s,
				    unsigned long long min,
				    unsigned long long max)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || v < min || v > max)
		die("%s: expects an integer in %llu..%llu", opt, min, max);
	return v;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "trace", required_argument, NULL, 't' },
		{ "interval-us", required_argument, NULL, 'i' },
		{ "gen", required_argument, NULL, 'g' },
		{ "seed", required_argument, NULL, 's' },
		{ "hours", required_argument, NULL, 'H' },
		{ "dump", no_argument, NULL, 'd' },
		{ "crashes", required_argument, NULL, 'c' },
		{ "window", required_argument, NULL, 'w' },
		{ "min-stddev-us", required_argument, NULL, 'm' },
		{ "pause-us", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct options o = { .window = HB_PHI_WINDOW_MAX, .crashes = 1000 };
	const char *file = NULL, *gen = NULL;
	bool do_dump = false, any = false;
	double hours = 1;
	u32 interval_us = 0;
	struct trace tr;
	u64 seed = 1;
	size_t i;
	char *end;
	int opt;

	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (opt) {
		case 't':
			file = optarg;
			break;
		case 'i':
			interval_us = (u32)parse_num("--interval-us", optarg, 1,
						     0xffffffffULL);
			break;
		case 'g':
			gen = optarg;
			break;
		case 's':
			seed = parse_num("--seed", optarg, 0, ~0ULL);
			break;
		case 'H':
			hours = strtod(optarg, &end);
			if (end == optarg || *end || !(hours > 0 && hours <= 1000))
				die("--hours: expects a number in (0, 1000]");
			break;
		case 'd':
			do_dump = true;
			break;
		case 'c':
			o.crashes = parse_num("--crashes", optarg, 1, 1000000);
			break;
		case 'w':
			o.window = (u32)parse_num("--window", optarg, 2,
						  HB_PHI_WINDOW_MAX);
			break;
		case 'm':
			o.min_stddev_ns = parse_num("--min-stddev-us", optarg,
						    1, 1000000000) *
					  NSEC_PER_USEC;
			break;
		case 'p':
			o.pause_ns = parse_num("--pause-us", optarg, 0,
					       1000000000) * NSEC_PER_USEC;
			break;
		case 'h':
			print_usage(stdout);
			return 0;
		default:
			print_usage(stderr);
			return 2;
		}
	}
	if (optind != argc || !file == !gen || (do_dump && !gen) ||
	    (do_dump && !strcmp(gen, "all"))) {
		print_usage(stderr);
		return 2;
	}

	if (file) {
		load(&tr, file);
		prepare(&tr, interval_us);
		puts(csv_header);
		report(&tr, &o);
		free(tr.t);
		return 0;
	}

	for (i = 0; i < ARRAY_SIZE(gens); i++) {
		if (strcmp(gen, gens[i].name) &&
		    (strcmp(gen, "all") || !gens[i].in_all))
			continue;
		generate(&tr, (int)i, seed, hours);
		if (do_dump) {
			dump(&tr, seed, hours);
			free(tr.t);
			return 0;
		}
		prepare(&tr, interval_us);
		if (!any)
			puts(csv_header);
		any = true;
		report(&tr, &o);
		free(tr.t);
	}
	if (!any)
		die("no built-in trace named %s", gen);
	return 0;
}
