/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef HBCTL_UTILS_H
#define HBCTL_UTILS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

/* Exit status, as ip(8). */
#define HB_EXIT_OK	0
#define HB_EXIT_USAGE	1
#define HB_EXIT_KERNEL	2

/* Longest string any format_*() here writes, with the NUL. */
#define DURATION_BUFSZ	24
/* "4294967.295" and the NUL: any format_milli*() result fits */
#define MILLI_BUFSZ	12

#define MAC_LEN		6

/* One OBJECT or COMMAND of the command line. */
struct hb_cmd {
	const char *name;
	int (*func)(int argc, char **argv);
};

bool matches(const char *arg, const char *word);
const struct hb_cmd *cmd_lookup(const struct hb_cmd *tbl, const char *arg);
/*
 * Run an object's command: none means the first of @tbl, which is always
 * "show"; "help", after every word of @tbl, prints @usage on stdout.
 */
int cmd_dispatch(const char *object, const struct hb_cmd *tbl,
		 void (*usage)(FILE *fp), int argc, char **argv);
/* cmd_dispatch() for the objects whose commands are show, add and del. */
int cmd_dispatch_list(const char *object, void (*usage)(FILE *fp),
		      int (*show)(int, char **), int (*add)(int, char **),
		      int (*del)(int, char **), int argc, char **argv);

/*
 * "KEYWORD VALUE ..." of a command: keys[0..nkeys) taken as prefixes,
 * the first match in table order winning, each at most once (given[k]);
 * one() parses the value of keys[k] and prints its own error. "help"
 * prints usage() on stdout.
 */
struct keywords {
	const char *const *keys;
	unsigned int nkeys;
	int (*one)(unsigned int k, const char *arg, void *ctx);
	void (*usage)(FILE *fp);
};

/* Returns -1 to go on, or the exit status to stop with (help included). */
int parse_keywords(const struct keywords *kw, int argc, char **argv,
		   bool *given, void *ctx);

int parse_u32(const char *str, uint32_t *val);
/* -EINVAL junk, -ERANGE above UINT32_MAX us, -EDOM in (0, 1us) */
int parse_duration_us(const char *str, uint32_t *us);
int parse_on_off(const char *str, bool *val);
/*
 * NUMBER[.FRACTION], at most 3 decimals, in thousandths: "8.5" is 8500.
 * -EINVAL junk, -EDOM a fourth decimal, -ERANGE above 4294967.295
 */
int parse_milli(const char *str, uint32_t *milli);
/*
 * @val / 10^@digits (@digits <= 19) exactly, with the fewest decimals:
 * (8500, 3) is "8.5", (3012, 6) is "0.003012", (7, 0) is "7".
 */
int format_decimal(uint64_t val, unsigned int digits, char *buf, size_t len);
/* Exact, with the fewest decimals: "8", "8.5", "0.25", "12.125" */
int format_milli(uint32_t milli, char *buf, size_t len);
/* Always two decimals, rounded half up: "0.42", "8.00"; for people */
int format_milli_rounded(uint32_t milli, char *buf, size_t len);
int format_duration(uint32_t us, char *buf, size_t len);
/* "850ns" below 1us, else format_duration() of the rounded microseconds */
int format_duration_ns(uint64_t ns, char *buf, size_t len);
/* Rounded for people, not for parsing: "420us", "3ms", "1.2s", "42s" */
int format_age(uint64_t us, char *buf, size_t len);
/* Exactly "aa:bb:cc:dd:ee:ff", either case; -EINVAL otherwise */
int parse_mac(const char *str, uint8_t mac[MAC_LEN]);

/*
 * @name, from one of names.h's functions for @val, or "@what-N" where it
 * has none (a value newer than hbctl): never a bare number.
 */
const char *value_name(const char *name, const char *what, unsigned int val,
		       char *buf, size_t len);

void invarg(const char *arg, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void invkeyword(const char *arg);
void missarg(const char *key);

#endif /* HBCTL_UTILS_H */
