// SPDX-License-Identifier: GPL-2.0-only
/*
 * Argument parsing helpers for hbctl. Everything here is pure so the unit
 * tests can cover it without a kernel.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "names.h"
#include "utils.h"

/* iproute2 semantics: any non-empty prefix of @word selects it. */
bool matches(const char *arg, const char *word)
{
	size_t len = strlen(arg);

	return len && len <= strlen(word) && !strncmp(arg, word, len);
}

/*
 * Table order decides between prefixes (so "s" is "show", never "set"):
 * tables list read-only commands before the ones that change state.
 */
const struct hb_cmd *cmd_lookup(const struct hb_cmd *tbl, const char *arg)
{
	for (; tbl->name; tbl++)
		if (matches(arg, tbl->name))
			return tbl;
	return NULL;
}

int cmd_dispatch(const char *object, const struct hb_cmd *tbl,
		 void (*usage)(FILE *fp), int argc, char **argv)
{
	const struct hb_cmd *c;

	if (argc < 1)
		return tbl[0].func(0, NULL);
	c = cmd_lookup(tbl, argv[0]);
	if (!c && matches(argv[0], "help")) {
		usage(stdout);
		return HB_EXIT_OK;
	}
	if (!c) {
		fprintf(stderr,
			"Command \"%s\" is unknown, try \"hbctl %s help\".\n",
			argv[0], object);
		return HB_EXIT_USAGE;
	}
	return c->func(argc - 1, argv + 1);
}

int parse_keywords(const struct keywords *kw, int argc, char **argv,
		   bool *given, void *ctx)
{
	unsigned int k;

	for (; argc > 0; argc -= 2, argv += 2) {
		for (k = 0; k < kw->nkeys; k++)
			if (matches(argv[0], kw->keys[k]))
				break;
		if (k == kw->nkeys && matches(argv[0], "help")) {
			kw->usage(stdout);
			return HB_EXIT_OK;
		}
		if (k == kw->nkeys) {
			invkeyword(argv[0]);
			return HB_EXIT_USAGE;
		}
		if (argc < 2) {
			invarg(argv[0], "missing value");
			return HB_EXIT_USAGE;
		}
		if (given[k]) {
			invarg(argv[1], "%s given twice", kw->keys[k]);
			return HB_EXIT_USAGE;
		}
		if (kw->one(k, argv[1], ctx))
			return HB_EXIT_USAGE;
		given[k] = true;
	}
	return -1;
}

/* "show" first: a bare "s" must never modify anything. */
int cmd_dispatch_list(const char *object, void (*usage)(FILE *fp),
		      int (*show)(int, char **), int (*add)(int, char **),
		      int (*del)(int, char **), int argc, char **argv)
{
	const struct hb_cmd cmds[] = {
		{ "show", show },
		{ "add", add },
		{ "del", del },
		{ NULL, NULL },
	};

	return cmd_dispatch(object, cmds, usage, argc, argv);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Hand-rolled instead of strtoul(): that one skips spaces, takes a sign
 * and wraps negative numbers, all of which we want to reject. A leading
 * zero stays decimal; octal surprises nobody in a good way.
 */
int parse_u32(const char *str, uint32_t *val)
{
	unsigned int base = 10;
	bool big = false;
	uint64_t v = 0;
	int d;

	if (str[0] == '0' && (str[1] == 'x' || str[1] == 'X')) {
		base = 16;
		str += 2;
	}
	if (!*str)
		return -EINVAL;
	for (; *str; str++) {
		d = hexval(*str);
		if (d < 0 || (unsigned int)d >= base)
			return -EINVAL;
		v = v * base + d;
		if (v > UINT32_MAX) {
			big = true;
			v = 0;
		}
	}
	if (big)
		return -ERANGE;
	*val = v;
	return 0;
}

static const struct {
	const char *suffix;
	uint32_t mult;		/* microseconds per unit */
	unsigned int digits;	/* decimal places that are whole us */
} units[] = {
	{ "s", 1000000, 6 },
	{ "ms", 1000, 3 },
	{ "us", 1, 0 },
};

/*
 * The integer part of a decimal number. Scanning goes on past an overflow
 * (flagged in *big) so that trailing junk still reads as junk.
 */
static const char *scan_whole(const char *p, uint64_t *whole, bool *big)
{
	for (; *p >= '0' && *p <= '9'; p++) {
		*whole = *whole * 10 + (*p - '0');
		if (*whole > UINT32_MAX) {
			*big = true;
			*whole = 0;
		}
	}
	return p;
}

/*
 * NUMBER[.FRACTION]UNIT, computed in integers so "0.3s" is exactly
 * 300000us. A unit is required: a bare "10" is ambiguous. Results are
 * rounded half up to whole microseconds, but a non-zero value below 1us
 * is refused (-EDOM) rather than silently becoming 0 or 1.
 */
int parse_duration_us(const char *str, uint32_t *us)
{
	uint64_t whole = 0, frac = 0, total;
	const char *p = str, *fs = NULL, *fe = NULL;
	bool nonzero = false, round_up = false, big = false;
	unsigned int i, n;

	if (*p < '0' || *p > '9')
		return -EINVAL;
	p = scan_whole(p, &whole, &big);
	if (*p == '.') {
		fs = ++p;
		while (*p >= '0' && *p <= '9')
			p++;
		fe = p;
		if (fs == fe)
			return -EINVAL;
	}
	for (i = 0; i < ARRAY_SIZE(units); i++)
		if (!strcmp(p, units[i].suffix))
			break;
	if (i == ARRAY_SIZE(units))
		return -EINVAL;
	if (big)
		return -ERANGE;

	/* Digits past the unit's precision only decide rounding. */
	for (n = 0; n < units[i].digits; n++) {
		frac *= 10;
		if (fs && fs + n < fe)
			frac += fs[n] - '0';
	}
	if (fs && fs + n < fe && fs[n] >= '5')
		round_up = true;
	for (p = fs; fs && p < fe; p++)
		if (*p != '0')
			nonzero = true;

	total = whole * units[i].mult + frac;
	if (!total && nonzero)
		return -EDOM;
	total += round_up;
	if (total > UINT32_MAX)
		return -ERANGE;
	*us = total;
	return 0;
}

int parse_on_off(const char *str, bool *val)
{
	if (!strcmp(str, "on"))
		*val = true;
	else if (!strcmp(str, "off"))
		*val = false;
	else
		return -EINVAL;
	return 0;
}

/*
 * Hand-rolled for the reasons of parse_u32(). Unlike a duration nothing is
 * rounded: a fourth decimal is refused, not dropped, because the value
 * set would silently differ from the one typed.
 */
int parse_milli(const char *str, uint32_t *milli)
{
	uint64_t whole = 0, frac = 0, total;
	unsigned int decimals = 0;
	const char *p = str;
	bool big = false;

	if (*p < '0' || *p > '9')
		return -EINVAL;
	p = scan_whole(p, &whole, &big);
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++, decimals++)
			if (decimals < 3)
				frac = frac * 10 + (*p - '0');
		if (!decimals)
			return -EINVAL;
	}
	if (*p)
		return -EINVAL;
	if (decimals > 3)
		return -EDOM;
	if (big)
		return -ERANGE;
	for (; decimals < 3; decimals++)
		frac *= 10;
	total = whole * 1000 + frac;
	if (total > UINT32_MAX)
		return -ERANGE;
	*milli = total;
	return 0;
}

int format_decimal(uint64_t val, unsigned int digits, char *buf, size_t len)
{
	uint64_t div = 1, frac;
	char fbuf[24];
	unsigned int i;
	int n;

	for (i = 0; i < digits; i++)
		div *= 10;
	frac = val % div;
	if (!frac) {
		n = snprintf(buf, len, "%" PRIu64, val / div);
	} else {
		n = snprintf(fbuf, sizeof(fbuf), "%0*" PRIu64, (int)digits,
			     frac);
		while (fbuf[n - 1] == '0')
			fbuf[--n] = '\0';
		n = snprintf(buf, len, "%" PRIu64 ".%s", val / div, fbuf);
	}
	return n < 0 || (size_t)n >= len ? -ENOSPC : n;
}

int format_milli(uint32_t milli, char *buf, size_t len)
{
	return format_decimal(milli, 3, buf, len);
}

/*
 * A fixed width reads better in a column of peers or a stream of events;
 * the exact value is in the JSON output.
 */
int format_milli_rounded(uint32_t milli, char *buf, size_t len)
{
	uint64_t centi = ((uint64_t)milli + 5) / 10;
	int n;

	n = snprintf(buf, len, "%" PRIu64 ".%02" PRIu64, centi / 100,
		     centi % 100);
	return n < 0 || (size_t)n >= len ? -ENOSPC : n;
}

/* Exact rendering of @us in one unit, e.g. "1.5" + "ms"; no rounding. */
static int format_unit(uint32_t us, unsigned int u, char *buf, size_t len)
{
	int n = format_decimal(us, units[u].digits, buf, len);

	if (n < 0)
		return n;
	return n + snprintf(buf + n, len - n, "%s", units[u].suffix);
}

/*
 * Shortest exact form among the units the value reaches ("100ms", never
 * "0.1s"); on a tie an integer beats a fraction ("1001us", not "1.001ms")
 * and then the larger unit wins. Always parses back to @us.
 */
int format_duration(uint32_t us, char *buf, size_t len)
{
	char best[DURATION_BUFSZ], cur[DURATION_BUFSZ];
	int best_len = 0, n;
	bool best_frac = false, frac;
	unsigned int u;

	for (u = 0; u < ARRAY_SIZE(units); u++) {
		if (us && us < units[u].mult)
			continue;
		n = format_unit(us, u, cur, sizeof(cur));
		frac = strchr(cur, '.');
		if (!best_len || n < best_len ||
		    (n == best_len && best_frac && !frac)) {
			memcpy(best, cur, n + 1);
			best_len = n;
			best_frac = frac;
		}
	}
	if ((size_t)best_len >= len)
		return -ENOSPC;
	memcpy(buf, best, best_len + 1);
	return best_len;
}

int format_duration_ns(uint64_t ns, char *buf, size_t len)
{
	uint64_t us = ns / 1000 + (ns % 1000 >= 500);
	int n;

	if (ns >= 1000 && us <= UINT32_MAX)
		return format_duration(us, buf, len);
	if (ns < 1000)
		n = snprintf(buf, len, "%" PRIu64 "ns", ns);
	else
		n = snprintf(buf, len, "%" PRIu64 "us", us);
	return n < 0 || (size_t)n >= len ? -ENOSPC : n;
}

/*
 * An age only needs to tell "just now" from "a while ago", so two or
 * three significant digits do; each threshold is where the rounded value
 * would reach the next unit.
 */
int format_age(uint64_t us, char *buf, size_t len)
{
	int n;

	if (us < 1000)
		n = snprintf(buf, len, "%" PRIu64 "us", us);
	else if (us < 999500)
		n = snprintf(buf, len, "%" PRIu64 "ms", (us + 500) / 1000);
	else if (us < 9950000)
		n = snprintf(buf, len, "%" PRIu64 ".%" PRIu64 "s",
			     (us + 50000) / 1000000,
			     (us + 50000) / 100000 % 10);
	else
		n = snprintf(buf, len, "%" PRIu64 "s",
			     us / 1000000 + (us % 1000000 >= 500000));
	return n < 0 || (size_t)n >= len ? -ENOSPC : n;
}

int parse_mac(const char *str, uint8_t mac[MAC_LEN])
{
	uint8_t tmp[MAC_LEN];
	unsigned int i;
	int hi, lo;

	for (i = 0; i < MAC_LEN; i++, str += 3) {
		hi = hexval(str[0]);
		lo = hi < 0 ? -1 : hexval(str[1]);
		if (lo < 0 || str[2] != (i < MAC_LEN - 1 ? ':' : '\0'))
			return -EINVAL;
		tmp[i] = hi << 4 | lo;
	}
	memcpy(mac, tmp, MAC_LEN);
	return 0;
}

void invarg(const char *arg, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "Error: argument \"%s\" is wrong: ", arg);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void invkeyword(const char *arg)
{
	fprintf(stderr, "Error: \"%s\" is not a valid keyword\n", arg);
}

void missarg(const char *key)
{
	fprintf(stderr, "Error: argument \"%s\" is required\n", key);
}

const char *value_name(const char *name, const char *what, unsigned int val,
		       char *buf, size_t len)
{
	if (strcmp(name, HB_NO_NAME))
		return name;
	snprintf(buf, len, "%s-%u", what, val);
	return buf;
}
