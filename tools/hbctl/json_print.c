// SPDX-License-Identifier: GPL-2.0-only
/*
 * One print path for text and JSON output: callers describe each value
 * once and this file decides what reaches the stream.
 */
#include <assert.h>
#include <inttypes.h>

#include "json_print.h"
#include "utils.h"

#define JSON_MAX_DEPTH	16
#define JSON_INDENT	4

static struct {
	FILE *fp;
	bool json;
	bool pretty;
	int depth;
	/* Per nesting level: is it an array, has it got a member yet. */
	bool is_array[JSON_MAX_DEPTH];
	bool has_items[JSON_MAX_DEPTH];
} out;

/* stdout is not a constant, so it can't be the static initializer. */
static FILE *ofp(void)
{
	return out.fp ? out.fp : stdout;
}

void print_init(FILE *fp, bool json, bool pretty)
{
	out.fp = fp;
	out.json = json;
	out.pretty = pretty;
	out.depth = 0;
	out.is_array[0] = false;
	out.has_items[0] = false;
}

bool is_json_context(void)
{
	return out.json;
}

static void json_newline_indent(int depth)
{
	if (!out.pretty)
		return;
	fprintf(ofp(), "\n%*s", depth * JSON_INDENT, "");
}

/* RFC 8259: quote, backslash and C0 controls must be escaped. */
static void json_string(const char *s)
{
	FILE *fp = ofp();
	unsigned char c;

	fputc('"', fp);
	for (; (c = *s); s++) {
		switch (c) {
		case '"':
			fputs("\\\"", fp);
			break;
		case '\\':
			fputs("\\\\", fp);
			break;
		case '\b':
			fputs("\\b", fp);
			break;
		case '\f':
			fputs("\\f", fp);
			break;
		case '\n':
			fputs("\\n", fp);
			break;
		case '\r':
			fputs("\\r", fp);
			break;
		case '\t':
			fputs("\\t", fp);
			break;
		default:
			if (c < 0x20)
				fprintf(fp, "\\u%04x", c);
			else
				fputc(c, fp);
		}
	}
	fputc('"', fp);
}

/* Separator, indentation and key ahead of any JSON value. */
static void json_member(const char *key)
{
	int d = out.depth;

	if (d) {
		if (out.has_items[d])
			fputc(',', ofp());
		json_newline_indent(d);
	}
	out.has_items[d] = true;
	if (d && !out.is_array[d] && key) {
		json_string(key);
		fputs(out.pretty ? ": " : ":", ofp());
	}
}

static void json_open(const char *key, bool array)
{
	if (!out.json)
		return;
	json_member(key);
	fputc(array ? '[' : '{', ofp());
	assert(out.depth + 1 < JSON_MAX_DEPTH);
	out.depth++;
	out.is_array[out.depth] = array;
	out.has_items[out.depth] = false;
}

static void json_close(bool array)
{
	if (!out.json)
		return;
	assert(out.depth > 0 && out.is_array[out.depth] == array);
	if (out.has_items[out.depth])
		json_newline_indent(out.depth - 1);
	out.depth--;
	fputc(array ? ']' : '}', ofp());
	if (!out.depth)
		fputc('\n', ofp());
}

void open_json_object(const char *key)
{
	json_open(key, false);
}

void close_json_object(void)
{
	json_close(false);
}

void open_json_array(const char *key)
{
	json_open(key, true);
}

void close_json_array(void)
{
	json_close(true);
}

/* Does this call produce text output? JSON is handled by the caller. */
static bool want_fp(enum output_type t, const char *fmt)
{
	return !out.json && (t & PRINT_FP) && fmt;
}

static bool want_json(enum output_type t)
{
	return out.json && (t & PRINT_JSON);
}

void print_u32(enum output_type t, const char *key, const char *fmt,
	       uint32_t val)
{
	if (want_json(t)) {
		json_member(key);
		fprintf(ofp(), "%" PRIu32, val);
	} else if (want_fp(t, fmt)) {
		fprintf(ofp(), fmt, val);
	}
}

void print_u64(enum output_type t, const char *key, const char *fmt,
	       uint64_t val)
{
	if (want_json(t)) {
		json_member(key);
		fprintf(ofp(), "%" PRIu64, val);
	} else if (want_fp(t, fmt)) {
		fprintf(ofp(), fmt, val);
	}
}

/*
 * jq 1.6 and JavaScript hold JSON numbers in doubles, exact only up to
 * 2^53; incarnations and CLOCK_REALTIME nanoseconds are above it. So the
 * number stays, as iproute2 prints any u64 and scripts already read it,
 * and "KEY_str" carries the same digits as a string, which every reader
 * keeps exactly.
 */
void print_u64_exact(enum output_type t, const char *key, const char *fmt,
		     uint64_t val)
{
	char skey[64], digits[24];

	print_u64(t, key, fmt, val);
	if (!want_json(t) || !key)
		return;
	snprintf(skey, sizeof(skey), "%s_str", key);
	snprintf(digits, sizeof(digits), "%" PRIu64, val);
	print_string(PRINT_JSON, skey, NULL, digits);
}

void print_s64(enum output_type t, const char *key, const char *fmt,
	       int64_t val)
{
	if (want_json(t)) {
		json_member(key);
		fprintf(ofp(), "%" PRId64, val);
	} else if (want_fp(t, fmt)) {
		fprintf(ofp(), fmt, val);
	}
}

static void print_boolean(enum output_type t, const char *key,
			  const char *fmt, bool val, const char *yes,
			  const char *no)
{
	if (want_json(t)) {
		json_member(key);
		fputs(val ? "true" : "false", ofp());
	} else if (want_fp(t, fmt)) {
		fprintf(ofp(), fmt, val ? yes : no);
	}
}

void print_bool(enum output_type t, const char *key, const char *fmt,
		bool val)
{
	print_boolean(t, key, fmt, val, "true", "false");
}

void print_on_off(enum output_type t, const char *key, const char *fmt,
		  bool val)
{
	print_boolean(t, key, fmt, val, "on", "off");
}

void print_string(enum output_type t, const char *key, const char *fmt,
		  const char *val)
{
	if (want_json(t)) {
		json_member(key);
		if (val)
			json_string(val);
		else
			fputs("null", ofp());
	} else if (want_fp(t, fmt)) {
		fprintf(ofp(), fmt, val ? val : "");
	}
}

void print_duration(enum output_type t, const char *key, const char *fmt,
		    uint32_t us)
{
	char buf[DURATION_BUFSZ];

	if (want_json(t)) {
		print_u32(PRINT_JSON, key, NULL, us);
	} else if (want_fp(t, fmt)) {
		format_duration(us, buf, sizeof(buf));
		fprintf(ofp(), fmt, buf);
	}
}

void print_duration_ns(enum output_type t, const char *key, const char *fmt,
		       uint64_t ns)
{
	char buf[DURATION_BUFSZ];

	if (want_json(t)) {
		print_u64(PRINT_JSON, key, NULL, ns);
	} else if (want_fp(t, fmt)) {
		format_duration_ns(ns, buf, sizeof(buf));
		fprintf(ofp(), fmt, buf);
	}
}

void print_milli(enum output_type t, const char *key, const char *fmt,
		 uint32_t milli)
{
	char buf[MILLI_BUFSZ];

	if (!want_json(t) && !want_fp(t, fmt))
		return;
	format_milli(milli, buf, sizeof(buf));
	if (want_json(t)) {
		/* Digits with at most one dot: a JSON number as it is. */
		json_member(key);
		fputs(buf, ofp());
	} else {
		fprintf(ofp(), fmt, buf);
	}
}

void print_nl(void)
{
	if (!out.json)
		fputc('\n', ofp());
}

void json_list_item(bool *open)
{
	if (*open)
		return;
	open_json_array(NULL);
	*open = true;
}

void json_list_end(bool open, bool failed)
{
	if (!open && failed)
		return;
	if (!open)
		open_json_array(NULL);
	close_json_array();
}
