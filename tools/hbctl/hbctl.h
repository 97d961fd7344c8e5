/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef HBCTL_H
#define HBCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <net/if.h>
#include <libmnl/libmnl.h>

/*
 * One OBJECT per file; each handler gets the words after its name and
 * returns the exit status (HB_EXIT_*).
 */
int do_node(int argc, char **argv);
int do_link(int argc, char **argv);
int do_peer(int argc, char **argv);
int do_key(int argc, char **argv);
int do_stats(int argc, char **argv);
int do_quorum(int argc, char **argv);
int do_disk(int argc, char **argv);
int do_monitor(int argc, char **argv);
int do_version(int argc, char **argv);
int do_app(int argc, char **argv);
int do_top(int argc, char **argv);

/* cmds.c: one command line's OBJECT and the rest, as main() runs it. */
int hbctl_run(int argc, char **argv);
void hbctl_usage(FILE *fp);
/* -h [ OBJECT ]: the overview, or "OBJECT help". */
int hbctl_help(int argc, char **argv);
/* -n NETNS: enter /run/netns/NETNS (or a path) before any netlink. */
#define NETNS_RUN_DIR	"/run/netns"
int netns_switch(const char *name);

/* hbctl peer probe (probe.c) */
int peer_probe(int argc, char **argv);
/* Probe round trips of a peer or path (HEARTBEAT_A_PEER_* table). */
void print_rtt(const struct nlattr *const *tb);
const char *dying_reason_name(unsigned int reason, char *buf, size_t len);

/*
 * Reply printers, exported for the unit tests. The list printers (link,
 * peer, key) take a bool * for json_list_item(); monitor_event_cb counts the
 * events it printed in an unsigned long * (may be NULL).
 */
int node_show_cb(const struct nlmsghdr *nlh, void *data);
int link_show_cb(const struct nlmsghdr *nlh, void *data);
int peer_show_cb(const struct nlmsghdr *nlh, void *data);
int key_show_cb(const struct nlmsghdr *nlh, void *data);
int stats_show_cb(const struct nlmsghdr *nlh, void *data);
int quorum_show_cb(const struct nlmsghdr *nlh, void *data);
int disk_show_cb(const struct nlmsghdr *nlh, void *data);
int monitor_event_cb(const struct nlmsghdr *nlh, void *data);
int app_show_cb(const struct nlmsghdr *nlh, void *data);

/*
 * app.c: readiness gates. app_name_check() prints why a name is refused;
 * the monitor's printers of ready and app events (tb of
 * HEARTBEAT_A_EVENT_*) return false when an attribute they need is missing.
 */
int app_name_check(const char *name);
const char *app_action_name(unsigned int action, char *buf, size_t len);
bool print_ready_event(const struct nlattr **tb);
bool print_app_event(const struct nlattr **tb);

/* monitor.c, for the event printers of other files. */
bool all_present(const struct nlattr **tb, const int *attrs, unsigned int n);
void print_event_head(const struct nlattr **tb, const char *event);
void print_time(const struct nlattr *a);
/* -ts: text lines start with the local date and time, JSON adds it. */
void monitor_timestamps(bool human);
/* monitor_local.c: events about this node (links, settings, keys, drops). */
bool print_link_event(const struct nlattr **tb);
bool print_node_event(const struct nlattr **tb);
bool print_key_event(const struct nlattr **tb);
bool print_drops_event(const struct nlattr **tb);

/* Devices are named in the caller's namespace; errors are printed. */
int dev_to_ifindex(const char *name, uint32_t *ifindex);
const char *ifindex_to_dev(uint32_t ifindex, char buf[IF_NAMESIZE]);

/*
 * One link, shared by "link show" and "stats" so both print it alike:
 * tb has HEARTBEAT_A_LINK_MAX + 1 entries; @stats adds the histogram.
 */
int link_parse(const struct nlattr *nest, const struct nlattr **tb);
void link_print(const struct nlattr *const *tb, bool stats);

/* "state-N" for a state this hbctl does not know, never a bare number. */
const char *peer_state_name(unsigned int state, char *buf, size_t len);

/*
 * A u32 phi in thousandths, shared by "peer show" and "monitor" so both
 * print it alike: fmt gets two decimals, JSON member "phi" the exact value.
 */
void print_phi(const struct nlattr *a, const char *fmt);

/*
 * A nest of u32 node ids, each of attribute type 0 (quorum members, the
 * members that hear a peer): id_list_check() fails with -EPROTO, errno
 * set, on an entry that is no u32; print_id_list() prints text "@label 1
 * 2 3" ("@label -" for none) or the JSON array @key. A missing nest is an
 * empty list.
 */
int id_list_check(const struct nlattr *nest);
unsigned int id_list_count(const struct nlattr *nest);
void print_id_list(const struct nlattr *nest, const char *key,
		   const char *label);

#endif /* HBCTL_H */
