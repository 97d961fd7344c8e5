/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef HBCTL_JSON_PRINT_H
#define HBCTL_JSON_PRINT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/*
 * Which output a print_*() call feeds: PRINT_FP is the text form (its fmt
 * gets the value), PRINT_JSON the JSON member named by key.
 */
enum output_type {
	PRINT_FP	= 1,
	PRINT_JSON	= 2,
	PRINT_ANY	= PRINT_FP | PRINT_JSON,
};

void print_init(FILE *fp, bool json, bool pretty);
bool is_json_context(void);

/* No-ops in text mode; key is ignored inside arrays and at top level. */
void open_json_object(const char *key);
void close_json_object(void);
void open_json_array(const char *key);
void close_json_array(void);

void print_u32(enum output_type t, const char *key, const char *fmt,
	       uint32_t val);
void print_u64(enum output_type t, const char *key, const char *fmt,
	       uint64_t val);
/*
 * A u64 that may exceed 2^53 (incarnations, times in ns): JSON gets the
 * number under @key and the same digits as a string under "@key_str",
 * exact in readers that parse numbers as doubles (jq 1.6); text as
 * print_u64(). A member without @key (in an array) gets the number only.
 */
void print_u64_exact(enum output_type t, const char *key, const char *fmt,
		     uint64_t val);
void print_s64(enum output_type t, const char *key, const char *fmt,
	       int64_t val);
/* Text gets "true"/"false" (print_bool) or "on"/"off" (print_on_off). */
void print_bool(enum output_type t, const char *key, const char *fmt,
		bool val);
void print_on_off(enum output_type t, const char *key, const char *fmt,
		  bool val);
void print_string(enum output_type t, const char *key, const char *fmt,
		  const char *val);
/* JSON: microseconds as a number; text: fmt gets e.g. "1.5ms". */
void print_duration(enum output_type t, const char *key, const char *fmt,
		    uint32_t us);
/* JSON: nanoseconds as a number; text: fmt gets e.g. "850ns", "35us". */
void print_duration_ns(enum output_type t, const char *key, const char *fmt,
		       uint64_t ns);
/*
 * A value in thousandths: JSON gets the exact number ("phi":8.5), text
 * fmt the same digits as a string (format_milli()).
 */
void print_milli(enum output_type t, const char *key, const char *fmt,
		 uint32_t milli);
/* Ends a text line; JSON ends its own lines. */
void print_nl(void);

/*
 * A top-level array of replies: the first reply opens it, so a request the
 * kernel refuses prints nothing, and json_list_end() closes it even after
 * a dump failed half way, so what did print is still valid JSON.
 */
void json_list_item(bool *open);
void json_list_end(bool open, bool failed);

#endif /* HBCTL_JSON_PRINT_H */
