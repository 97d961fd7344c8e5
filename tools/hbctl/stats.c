// SPDX-License-Identifier: GPL-2.0-only
/* hbctl stats: counters of the node and of each of its links. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <linux/genetlink.h>
#include <linux/heartbeat.h>

#include "genl.h"
#include "hbctl.h"
#include "json_print.h"
#include "nlattr.h"
#include "utils.h"

/* Drop lines stay within this width; later lines line up under the first. */
#define DROPS_WIDTH	80
#define DROPS_INDENT	"     "

/* The one place that names drop reasons: text labels and JSON members. */
static const char *const drop_names[] = {
	[HEARTBEAT_DROP_SHORT] = "short",
	[HEARTBEAT_DROP_MAGIC] = "magic",
	[HEARTBEAT_DROP_VERSION] = "version",
	[HEARTBEAT_DROP_LENGTH] = "length",
	[HEARTBEAT_DROP_TYPE] = "type",
	[HEARTBEAT_DROP_FIELD] = "field",
	[HEARTBEAT_DROP_TLV] = "tlv",
	[HEARTBEAT_DROP_CLUSTER] = "cluster",
	[HEARTBEAT_DROP_OWN_ID] = "own_id",
	[HEARTBEAT_DROP_NO_ID] = "no_id",
	[HEARTBEAT_DROP_UNBOUND] = "unbound",
	[HEARTBEAT_DROP_UNKNOWN_PEER] = "unknown_peer",
	[HEARTBEAT_DROP_PEER_LIMIT] = "peer_limit",
	[HEARTBEAT_DROP_STALE_SEQ] = "stale_seq",
	[HEARTBEAT_DROP_OLD_INCARNATION] = "old_incarnation",
	[HEARTBEAT_DROP_NOMEM] = "nomem",
};

/* A reason added to the ABI must get its name here too. */
_Static_assert(ARRAY_SIZE(drop_names) == HEARTBEAT_DROP_MAX + 1,
	       "drop_names[] does not cover every heartbeat_drop_reason");

static const struct attr_policy stats_policy[HEARTBEAT_A_STATS_MAX + 1] = {
	[HEARTBEAT_A_STATS_TX] = { MNL_TYPE_U64 },
	[HEARTBEAT_A_STATS_RX] = { MNL_TYPE_U64 },
	[HEARTBEAT_A_STATS_DEFERRED] = { MNL_TYPE_U64 },
	[HEARTBEAT_A_STATS_DROPS] = { MNL_TYPE_NESTED },
	[HEARTBEAT_A_STATS_LINKS] = { MNL_TYPE_NESTED },
};

static void stats_usage(FILE *fp)
{
	fprintf(fp,
		"Usage: hbctl stats [ show ]\n"
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

static void print_drop(unsigned int *col, const char *name, uint64_t count)
{
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

/*
 * Every known reason, zeros and reasons this kernel did not send included,
 * so scripts can rely on the members; then reasons only a newer kernel
 * knows, by number.
 */
static void print_drops(const struct nlattr *drops)
{
	uint64_t known[ARRAY_SIZE(drop_names)] = {};
	const struct nlattr *pos;
	/* "drops" is exactly as wide as the indent. */
	unsigned int type, i, col = sizeof(DROPS_INDENT) - 1;
	char name[32];

	mnl_attr_for_each_nested(pos, drops) {
		type = mnl_attr_get_type(pos);
		if (type && type < ARRAY_SIZE(drop_names))
			known[type] = mnl_attr_get_u64(pos);
	}
	print_string(PRINT_FP, NULL, "%s", "drops");
	open_json_object("drops");
	for (i = 1; i < ARRAY_SIZE(drop_names); i++)
		print_drop(&col, drop_names[i], known[i]);
	mnl_attr_for_each_nested(pos, drops) {
		type = mnl_attr_get_type(pos);
		if (type < ARRAY_SIZE(drop_names))
			continue;
		snprintf(name, sizeof(name), "reason_%u", type);
		print_drop(&col, name, mnl_attr_get_u64(pos));
	}
	close_json_object();
	print_nl();
}

int stats_show_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[HEARTBEAT_A_STATS_MAX + 1];
	const struct nlattr *ltb[HEARTBEAT_A_LINK_MAX + 1];
	const struct nlattr *pos;

	(void)data;
	if (attr_parse_msg(nlh, tb, stats_policy, HEARTBEAT_A_STATS_MAX) ||
	    drops_check(tb[HEARTBEAT_A_STATS_DROPS]) ||
	    links_check(tb[HEARTBEAT_A_STATS_LINKS])) {
		errno = EPROTO;
		return MNL_CB_ERROR;
	}

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

static int stats_show(int argc, char **argv)
{
	struct nlmsghdr *nlh;
	int err;

	if (argc > 0) {
		if (matches(argv[0], "help")) {
			stats_usage(stdout);
			return HB_EXIT_OK;
		}
		invkeyword(argv[0]);
		return HB_EXIT_USAGE;
	}
	if (genl_open())
		return HB_EXIT_KERNEL;
	nlh = genl_msg_start(HEARTBEAT_CMD_STATS_GET, 0);
	err = genl_talk(nlh, stats_show_cb, NULL);
	genl_close();
	return err ? HB_EXIT_KERNEL : HB_EXIT_OK;
}

static int stats_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	stats_usage(stdout);
	return HB_EXIT_OK;
}

static const struct hb_cmd stats_cmds[] = {
	{ "show", stats_show },
	{ "help", stats_help },
	{ NULL, NULL },
};

int do_stats(int argc, char **argv)
{
	return cmd_dispatch("stats", stats_cmds, argc, argv);
}
