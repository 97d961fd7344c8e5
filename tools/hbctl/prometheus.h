/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef HBCTL_PROMETHEUS_H
#define HBCTL_PROMETHEUS_H

#include <stdint.h>
#include <stdio.h>
#include <libmnl/libmnl.h>
#include <linux/heartbeat.h>

/*
 * From stats.c, so "stats" and "stats -o prometheus" read a reply alike.
 * stats_parse() fills tb (HEARTBEAT_A_STATS_MAX + 1 entries) and checks
 * every nest in it: -EPROTO, errno set, if anything is malformed.
 */
int stats_parse(const struct nlmsghdr *nlh, const struct nlattr **tb);
/* Every drop reason by the name hbctl prints, with its count. */
typedef void (*drop_fn)(const char *name, uint64_t count, void *arg);
void stats_drops_walk(const struct nlattr *drops, drop_fn fn, void *arg);
/* The detection histogram; buckets the kernel did not send are 0. */
void stats_detect_hist(const struct nlattr *nest,
		       uint64_t count[HEARTBEAT_DETECT_BUCKETS]);

/*
 * What "stats -o prometheus" prints from: the replies to NODE_GET,
 * STATS_GET and QUORUM_GET (NULL from a module without quorum), and those
 * of a PEER_GET dump, as received.
 */
struct prom_input {
	const struct nlmsghdr *node;
	const struct nlmsghdr *stats;
	const struct nlmsghdr *quorum;
	const struct nlmsghdr *const *peers;
	unsigned int npeers;
	/* CLOCK_REALTIME when the replies came: the kernel's ages become times */
	uint64_t now_ns;
	/* heartbeat_info's module_version label; NULL: none */
	const char *module_version;
};

/*
 * Text exposition format 0.0.4 of @in on @fp. Every reply is checked
 * before anything is written: -EPROTO, errno set, and nothing written if
 * one of them is malformed.
 */
int prom_print(FILE *fp, const struct prom_input *in);

/* "hbctl stats -o prometheus": ask the kernel, print; an HB_EXIT_* status. */
int prom_show(void);

#endif /* HBCTL_PROMETHEUS_H */
