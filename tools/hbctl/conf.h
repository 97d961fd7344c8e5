/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The node's configuration as hbctl lines ("node set ...", "link add ...")
 * and as the kernel reports it: showconf prints it, setconf applies a file
 * of it, "hbctl -b" runs a file of any commands.
 *
 * Each object parses its own configuration line (OBJECT_conf_parse(), the
 * parser its command uses too, so the file and the command line take the
 * same words), reads its part of a kernel reply (OBJECT_conf_from_msg())
 * and sends it (OBJECT_conf_send(), on a socket the caller opened, errors
 * printed). The parsers look nothing up: devices stay names until sent.
 * Parsers return -1 to go on, or the exit status to stop with (help
 * included, which is HB_EXIT_OK).
 */
#ifndef HBCTL_CONF_H
#define HBCTL_CONF_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <net/if.h>
#include <sys/types.h>
#include <libmnl/libmnl.h>
#include <linux/heartbeat.h>

#include "utils.h"

/* Where showconf says a key's secret is: KEYDIR/ID. */
#define HB_KEYDIR		"/etc/heartbeat/keys"
/* setconf's file when none is named. */
#define HB_CONF_FILE		"/etc/heartbeat/heartbeat.conf"

/* At least as many as node.c's settable rows (checked there). */
#define NODE_CONF_MAX		32

struct node_conf {
	uint32_t val[NODE_CONF_MAX];
	bool given[NODE_CONF_MAX];
};

/*
 * Keywords already given stay given: several "node set" lines of a file
 * parse into one node_conf, and a keyword named twice is refused.
 */
int node_conf_parse(int argc, char **argv, struct node_conf *c);
/* Every settable value of a NODE_GET reply; -EPROTO for a bad one. */
int node_conf_from_msg(const struct nlmsghdr *nlh, struct node_conf *c);
/* One NODE_SET of the given values; nothing given sends nothing. */
int node_conf_send(const struct node_conf *c);
/* " KEYWORD VALUE" per given value, in "node show" order, @wrap a line. */
void node_conf_print(FILE *fp, const struct node_conf *c, unsigned int wrap);
unsigned int node_conf_count(void);
const char *node_conf_name(unsigned int i);
/* The index of the node id's row. */
unsigned int node_conf_id(void);
unsigned int node_conf_index(int attr);

struct link_conf {
	char dev[IF_NAMESIZE];
	uint8_t mode;
};

int link_conf_parse(int argc, char **argv, struct link_conf *c);
int link_conf_from_msg(const struct nlmsghdr *nlh, struct link_conf *c);
/* LINK_ADD (with the mode) or LINK_DEL of c->dev. */
int link_conf_send(uint8_t cmd, const struct link_conf *c);
const char *link_mode_name(uint8_t mode, char *buf, size_t len);

struct peer_conf {
	uint32_t id;
	char dev[IF_NAMESIZE];		/* "": any link */
	uint8_t mac[MAC_LEN];
	bool has_mac;
	bool configured;		/* from the kernel: not a learned one */
};

int peer_conf_parse(int argc, char **argv, struct peer_conf *c);
int peer_conf_from_msg(const struct nlmsghdr *nlh, struct peer_conf *c);
int peer_conf_send(uint8_t cmd, const struct peer_conf *c);

struct key_conf {
	uint32_t id;
	char secret_file[4096];
};

int key_conf_parse(int argc, char **argv, struct key_conf *c);
int key_conf_from_msg(const struct nlmsghdr *nlh, struct key_conf *c);
/* KEY_ADD reads the secret now, KEY_DEL sends the id alone. */
int key_conf_send(uint8_t cmd, const struct key_conf *c);
/*
 * What key add checks before it reads a secret: a regular file of its
 * owner only, owned by root or by us, 16 to 64 bytes. Nothing is kept.
 */
int key_file_check(const char *path);

enum { QUORUM_EXPECTED, QUORUM_TIE_BREAKER, QUORUM_WAIT_FOR_ALL,
       QUORUM_CONF_MAX };

struct quorum_conf {
	uint32_t expected;
	uint8_t tie_breaker;
	bool wait_for_all;
	bool given[QUORUM_CONF_MAX];
};

int quorum_conf_parse(int argc, char **argv, struct quorum_conf *c);
int quorum_conf_from_msg(const struct nlmsghdr *nlh, struct quorum_conf *c);
int quorum_conf_send(const struct quorum_conf *c);
void quorum_conf_print(FILE *fp, const struct quorum_conf *c);

/* Every field is set: what a line leaves out is the kernel's default. */
struct disk_conf {
	char path[HEARTBEAT_DISK_PATH_MAX + 1];
	uint64_t offset;
	uint32_t slots;
	uint32_t interval_us;
};

int disk_conf_parse(int argc, char **argv, struct disk_conf *c);
int disk_conf_from_msg(const struct nlmsghdr *nlh, struct disk_conf *c);
/* DISK_ADD of c, or DISK_DEL (c unused). */
int disk_conf_send(uint8_t cmd, const struct disk_conf *c);

struct app_conf {
	char name[HEARTBEAT_APP_NAME_MAX + 1];
	uint32_t timeout_us;
	uint8_t action;
};

int app_conf_parse(int argc, char **argv, struct app_conf *c);
int app_conf_from_msg(const struct nlmsghdr *nlh, struct app_conf *c);
/* APP_ADD of c, or APP_DEL of its name. */
int app_conf_send(uint8_t cmd, const struct app_conf *c);

/* A word as a file line needs it: quoted if it has blanks, quotes, '#'. */
void print_word(FILE *fp, const char *word);

/*
 * Splits one logical line into words, in place: blanks separate them,
 * "..." quotes (\" and \\ inside), '#' at the start of a word ends the
 * line. -EINVAL for an unclosed quote, -E2BIG past @max words.
 */
int split_words(char *line, char **argv, int max);

/*
 * Reads the next logical line of @fp (a backslash before the newline joins
 * the next one) into *buf; *lineno is the first physical line's number.
 * Returns its length, or -1 at the end.
 */
ssize_t read_logical_line(FILE *fp, char **buf, size_t *size,
			  unsigned int *lineno, unsigned int *next);

/*
 * Runs @fn with stderr gathered, then prints what it said with each line
 * prefixed "@file:@line: " (nothing if it said nothing).
 */
int run_prefixed(const char *file, unsigned int line,
		 int (*fn)(void *arg), void *arg);

int do_showconf(int argc, char **argv);
int do_setconf(int argc, char **argv);
/* hbctl -b FILE: @force goes on past a failed line. */
int do_batch(const char *file, bool force,
	     int (*run)(int argc, char **argv));

#endif /* HBCTL_CONF_H */
