// SPDX-License-Identifier: GPL-2.0-only
/* hbctl stats: counters of the node and of each of its links. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/heartbeat.h>

#include "genl.h"
#include "hbctl.h"
#include "json_print.h"
#include "names.h"
#include "nlattr.h"
#include "prometheus.h"
#include "utils.h"

/* Drop lines stay within this width; later lines line up under the first. */
#define DROPS_WIDTH	80
#define DROPS_INDENT	"     "

/*
 * Reasons 1 to HEARTBEAT_DROP_MAX have names (hb_drop_name(), for text
 * labels and JSON members alike); names.c asserts it.
 */
#define DROP_REASONS	(HEARTBEAT_DROP_MAX + 1)

static const struct attr_policy stats_policy[HEARTBEAT_A_STATS_MAX + 1] = {
	[HEARTBEAT_A_STATS_TX] = { MNL_TYPE_U64 },
	[HEARTBEAT_A_STATS_RX] = { MNL_TYPE_U64 },
	[HEARTBEAT_A_STATS_DEFERRED] = { MNL_TYPE_U64 },
	[HEARTBEAT_A_STATS_DROPS] = { MNL_TYPE_NESTED },
	[HEARTBEAT_A_STATS_LINKS] = { MNL_TYPE_NESTED },
	[HEARTBEAT_A_STATS_DETECT_HIST] = { MNL_TYPE_NESTED },
	[HEARTBEAT_A_STATS_DETECT_COUNT] = { MNL_TYPE_U64 },
	[HEARTBEAT_A_STATS_DETECT_SUM_US] = { MNL_TYPE_U64 },
	[HEARTBEAT_A_STATS_UEVENTS] = { MNL_TYPE_U64 },
	[HEARTBEAT_A_STATS_UEVENTS_LOST] = { MNL_TYPE_U64 },
	[HEARTBEAT_A_STATS_UEVENT_SEQ] = { MNL_TYPE_U64 },
	[HEARTBEAT_A_STATS_PEERS_EXPIRED] = { MNL_TYPE_U64 },
	[HEARTBEAT_A_STATS_GOSSIP_TX] = { MNL_TYPE_U64 },
	[HEARTBEAT_A_STATS_GOSSIP_RX] = { MNL_TYPE_U64 },
	[HEARTBEAT_A_STATS_PROBES_TX] = { MNL_TYPE_U64 },
	[HEARTBEAT_A_STATS_PROBES_ACKED] = { MNL_TYPE_U64 },
};

/* Attribute type b + 1 is bucket b; type 0 is left for padding. */
static const struct attr_policy
detect_hist_policy[HEARTBEAT_DETECT_BUCKETS + 1] = {
	[1 ... HEARTBEAT_DETECT_BUCKETS] = { MNL_TYPE_U64 },
};

/*
 * Counters of newer kernels, on a line of their own: text label and JSON
 * member, then the attribute.
 */
static const struct {
	const char *key;
	int attr;
} event_counters[] = {
	{ "uevents", HEARTBEAT_A_STATS_UEVENTS },
	{ "uevents_lost", HEARTBEAT_A_STATS_UEVENTS_LOST },
	{ "uevent_seq", HEARTBEAT_A_STATS_UEVENT_SEQ },
	{ "detect_count", HEARTBEAT_A_STATS_DETECT_COUNT },
	{ "peers_expired", HEARTBEAT_A_STATS_PEERS_EXPIRED },
	/* view entries sent and merged */
	{ "gossip_tx", HEARTBEAT_A_STATS_GOSSIP_TX },
	{ "gossip_rx", HEARTBEAT_A_STATS_GOSSIP_RX },
	{ "probes_tx", HEARTBEAT_A_STATS_PROBES_TX },
	{ "probes_acked", HEARTBEAT_A_STATS_PROBES_ACKED },
};

static void stats_usage(FILE *fp)
{
	fprintf(fp,
		"Usage: hbctl stats [ show ] [ -o prometheus ]\n"
		"       hbctl stats help\n");
}

/* Type 0 is no reason (HEARTBEAT_DROP_UNSPEC): left for padding. */
static int drops_check(const struct nlattr *drops)
{
	const struct nlattr *pos;

	if (!drops)
		return 0;
	mnl_attr_for_each_nested(pos, drops) {
		if (mnl_attr_get_type(pos) &&
		    mnl_attr_validate(pos, MNL_TYPE_U64) < 0)
			return -EPROTO;
	}
	return 0;
}

static int links_check(const struct nlattr *links)
{
	const struct nlattr *tb[HEARTBEAT_A_LINK_MAX + 1];
	const struct nlattr *pos;

	if (!links)
		return 0;
	mnl_attr_for_each_nested(pos, links) {
		if (mnl_attr_validate(pos, MNL_TYPE_NESTED) < 0 ||
		    link_parse(pos, tb))
			return -EPROTO;
	}
	return 0;
}

static int detect_hist_check(const struct nlattr *nest)
{
	const struct nlattr *hist[HEARTBEAT_DETECT_BUCKETS + 1];

	if (!nest)
		return 0;
	return attr_parse_nest(nest, hist, detect_hist_policy,
			       HEARTBEAT_DETECT_BUCKETS);
}

int stats_parse(const struct nlmsghdr *nlh, const struct nlattr **tb)
{
	if (attr_parse_msg(nlh, tb, stats_policy, HEARTBEAT_A_STATS_MAX) ||
	    drops_check(tb[HEARTBEAT_A_STATS_DROPS]) ||
	    links_check(tb[HEARTBEAT_A_STATS_LINKS]) ||
	    detect_hist_check(tb[HEARTBEAT_A_STATS_DETECT_HIST])) {
		errno = EPROTO;
		return -EPROTO;
	}
	return 0;
}

void stats_detect_hist(const struct nlattr *nest,
		       uint64_t count[HEARTBEAT_DETECT_BUCKETS])
{
	const struct nlattr *hist[HEARTBEAT_DETECT_BUCKETS + 1];
	unsigned int b;

	attr_parse_nest(nest, hist, detect_hist_policy,
			HEARTBEAT_DETECT_BUCKETS);
	for (b = 0; b < HEARTBEAT_DETECT_BUCKETS; b++)
		count[b] = hist[b + 1] ? mnl_attr_get_u64(hist[b + 1]) : 0;
}

/*
 * Every known reason, zeros and reasons this kernel did not send included,
 * so scripts can rely on them; then reasons only a newer kernel knows, as
 * "reason_N".
 */
void stats_drops_walk(const struct nlattr *drops, drop_fn fn, void *arg)
{
	uint64_t known[DROP_REASONS] = {};
	const struct nlattr *pos;
	unsigned int type, i;
	char name[32];

	mnl_attr_for_each_nested(pos, drops) {
		type = mnl_attr_get_type(pos);
		if (type && type < DROP_REASONS)
			known[type] = mnl_attr_get_u64(pos);
	}
	for (i = 1; i < DROP_REASONS; i++)
		fn(hb_drop_name(i), known[i], arg);
	mnl_attr_for_each_nested(pos, drops) {
		type = mnl_attr_get_type(pos);
		if (type < DROP_REASONS)
			continue;
		snprintf(name, sizeof(name), "reason_%u", type);
		fn(name, mnl_attr_get_u64(pos), arg);
	}
}

static void print_drop(const char *name, uint64_t count, void *arg)
{
	unsigned int *col = arg;
	unsigned int len = snprintf(NULL, 0, "  %s %" PRIu64, name, count);

	if (*col > sizeof(DROPS_INDENT) - 1 && *col + len > DROPS_WIDTH) {
		print_nl();
		print_string(PRINT_FP, NULL, "%s", DROPS_INDENT);
		*col = sizeof(DROPS_INDENT) - 1;
	}
	print_string(PRINT_FP, NULL, "  %s ", name);
	print_u64(PRINT_ANY, name, "%" PRIu64, count);
	*col += len;
}

static void print_drops(const struct nlattr *drops)
{
	/* "drops" is exactly as wide as the indent. */
	unsigned int col = sizeof(DROPS_INDENT) - 1;

	print_string(PRINT_FP, NULL, "%s", "drops");
	open_json_object("drops");
	stats_drops_walk(drops, print_drop, &col);
	close_json_object();
	print_nl();
}

/* Bucket b holds [2^(b-1), 2^b) ms; JSON only, like "late_hist". */
static void print_detect_hist(const struct nlattr *nest)
{
	uint64_t count[HEARTBEAT_DETECT_BUCKETS];
	unsigned int b;

	if (!nest || !is_json_context())
		return;
	stats_detect_hist(nest, count);
	open_json_array("detect_hist");
	for (b = 0; b < HEARTBEAT_DETECT_BUCKETS; b++) {
		open_json_object(NULL);
		if (b < HEARTBEAT_DETECT_BUCKETS - 1)
			print_u32(PRINT_JSON, "lt_ms", NULL, 1U << b);
		else
			print_string(PRINT_JSON, "lt_ms", NULL, NULL);
		print_u64(PRINT_JSON, "count", NULL, count[b]);
		close_json_object();
	}
	close_json_array();
}

/*
 * "uevents 12  uevents_lost 0  uevent_seq 57  detect_count 3
 * detect_sum 1.5s" on one line, each only if the kernel sent it: older
 * modules send none of them and get no line.
 */
static void print_events(const struct nlattr *const *tb)
{
	const struct nlattr *a;
	bool first = true;
	unsigned int i;
	uint64_t us;

	for (i = 0; i < ARRAY_SIZE(event_counters); i++) {
		a = tb[event_counters[i].attr];
		if (!a)
			continue;
		print_string(PRINT_FP, NULL, first ? "%s " : "  %s ",
			     event_counters[i].key);
		print_u64(PRINT_ANY, event_counters[i].key, "%" PRIu64,
			  mnl_attr_get_u64(a));
		first = false;
	}
	a = tb[HEARTBEAT_A_STATS_DETECT_SUM_US];
	if (a) {
		us = mnl_attr_get_u64(a);
		print_string(PRINT_FP, NULL, "%s",
			     first ? "detect_sum " : "  detect_sum ");
		print_u64(PRINT_JSON, "detect_sum_us", NULL, us);
		if (us <= UINT32_MAX)
			print_duration(PRINT_FP, NULL, "%s", us);
		else
			print_u64(PRINT_FP, NULL, "%" PRIu64 "us", us);
		first = false;
	}
	if (!first)
		print_nl();
	print_detect_hist(tb[HEARTBEAT_A_STATS_DETECT_HIST]);
}

int stats_show_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[HEARTBEAT_A_STATS_MAX + 1];
	const struct nlattr *ltb[HEARTBEAT_A_LINK_MAX + 1];
	const struct nlattr *pos;

	(void)data;
	if (stats_parse(nlh, tb))
		return MNL_CB_ERROR;

	open_json_object(NULL);
	if (tb[HEARTBEAT_A_STATS_TX])
		print_u64(PRINT_ANY, "tx", "tx %" PRIu64,
			  mnl_attr_get_u64(tb[HEARTBEAT_A_STATS_TX]));
	if (tb[HEARTBEAT_A_STATS_RX])
		print_u64(PRINT_ANY, "rx",
			  tb[HEARTBEAT_A_STATS_TX] ? "  rx %" PRIu64 :
			  "rx %" PRIu64,
			  mnl_attr_get_u64(tb[HEARTBEAT_A_STATS_RX]));
	if (tb[HEARTBEAT_A_STATS_DEFERRED])
		print_u64(PRINT_ANY, "deferred", "  deferred %" PRIu64,
			  mnl_attr_get_u64(tb[HEARTBEAT_A_STATS_DEFERRED]));
	print_nl();
	print_events(tb);
	if (tb[HEARTBEAT_A_STATS_DROPS])
		print_drops(tb[HEARTBEAT_A_STATS_DROPS]);
	open_json_array("links");
	if (tb[HEARTBEAT_A_STATS_LINKS]) {
		mnl_attr_for_each_nested(pos, tb[HEARTBEAT_A_STATS_LINKS]) {
			link_parse(pos, ltb);
			link_print(ltb, true);
		}
	}
	close_json_array();
	close_json_object();
	return MNL_CB_OK;
}

/*
 * "-o prometheus" is the only output option: a format name, not a
 * keyword, so no prefixes. Returns -1 to go on, or the exit status to stop
 * with (help included).
 */
static int parse_stats_args(int argc, char **argv, bool *prom)
{
	*prom = false;
	for (; argc > 0; argc -= 2, argv += 2) {
		if (strcmp(argv[0], "-o") && matches(argv[0], "help")) {
			stats_usage(stdout);
			return HB_EXIT_OK;
		}
		if (strcmp(argv[0], "-o")) {
			invkeyword(argv[0]);
			return HB_EXIT_USAGE;
		}
		if (argc < 2) {
			invarg(argv[0], "missing value");
			return HB_EXIT_USAGE;
		}
		if (*prom) {
			invarg(argv[1], "-o given twice");
			return HB_EXIT_USAGE;
		}
		if (strcmp(argv[1], "prometheus")) {
			invarg(argv[1], "-o must be prometheus");
			return HB_EXIT_USAGE;
		}
		*prom = true;
	}
	if (*prom && is_json_context()) {
		fprintf(stderr,
			"Error: -o prometheus and -j exclude each other.\n");
		return HB_EXIT_USAGE;
	}
	return -1;
}

static int stats_show(int argc, char **argv)
{
	struct nlmsghdr *nlh;
	bool prom;
	int err;

	err = parse_stats_args(argc, argv, &prom);
	if (err >= 0)
		return err;
	if (prom)
		return prom_show();
	if (genl_open())
		return HB_EXIT_KERNEL;
	nlh = genl_msg_start(HEARTBEAT_CMD_STATS_GET, 0);
	err = genl_talk(nlh, stats_show_cb, NULL);
	genl_close();
	return err ? HB_EXIT_KERNEL : HB_EXIT_OK;
}

static const struct hb_cmd stats_cmds[] = {
	{ "show", stats_show },
	{ NULL, NULL },
};

int do_stats(int argc, char **argv)
{
	/* "hbctl stats -o prometheus": options of show, without the verb */
	if (argc > 0 && argv[0][0] == '-')
		return stats_show(argc, argv);
	return cmd_dispatch("stats", stats_cmds, stats_usage, argc, argv);
}
