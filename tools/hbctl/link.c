// SPDX-License-Identifier: GPL-2.0-only
/* hbctl link: the network devices the node sends and receives on. */
#include <errno.h>
#include <inttypes.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/heartbeat.h>

#include "conf.h"
#include "genl.h"
#include "hbctl.h"
#include "json_print.h"
#include "nlattr.h"
#include "refused.h"
#include "utils.h"

static const char *const mode_names[] = {
	[HEARTBEAT_LINK_MULTICAST] = "multicast",
	[HEARTBEAT_LINK_UNICAST] = "unicast",
};

static const struct attr_policy link_policy[HEARTBEAT_A_LINK_MAX + 1] = {
	[HEARTBEAT_A_LINK_IFINDEX] = { MNL_TYPE_U32 },
	[HEARTBEAT_A_LINK_IFNAME] = { MNL_TYPE_NUL_STRING },
	[HEARTBEAT_A_LINK_ID] = { MNL_TYPE_U32 },
	[HEARTBEAT_A_LINK_MODE] = { MNL_TYPE_U8 },
	[HEARTBEAT_A_LINK_UP] = { MNL_TYPE_U8 },
	[HEARTBEAT_A_LINK_TX] = { MNL_TYPE_U64 },
	[HEARTBEAT_A_LINK_TX_ERRORS] = { MNL_TYPE_U64 },
	[HEARTBEAT_A_LINK_TX_SKIPPED] = { MNL_TYPE_U64 },
	[HEARTBEAT_A_LINK_TX_OVERRUNS] = { MNL_TYPE_U64 },
	[HEARTBEAT_A_LINK_LATE_MAX_NS] = { MNL_TYPE_U64 },
	[HEARTBEAT_A_LINK_LAST_WORDS] = { MNL_TYPE_U8 },
	[HEARTBEAT_A_LINK_LATE_HIST] = { MNL_TYPE_NESTED },
};

/* Attribute type b + 1 is bucket b; type 0 is left for padding. */
static const struct attr_policy hist_policy[HEARTBEAT_LATE_BUCKETS + 1] = {
	[1 ... HEARTBEAT_LATE_BUCKETS] = { MNL_TYPE_U64 },
};

/* The counters, in output order: text label, JSON member, attribute. */
static const struct {
	const char *name;
	const char *key;
	int attr;
} link_counters[] = {
	{ "tx", "tx", HEARTBEAT_A_LINK_TX },
	{ "errors", "tx_errors", HEARTBEAT_A_LINK_TX_ERRORS },
	{ "skipped", "tx_skipped", HEARTBEAT_A_LINK_TX_SKIPPED },
	{ "overruns", "tx_overruns", HEARTBEAT_A_LINK_TX_OVERRUNS },
};

static void link_usage(FILE *fp)
{
	fprintf(fp,
		"Usage: hbctl link [ show [ dev IFNAME ] ]\n"
		"       hbctl link add dev IFNAME [ mode { multicast | unicast } ]\n"
		"       hbctl link del dev IFNAME\n"
		"       hbctl link help\n");
}

int dev_to_ifindex(const char *name, uint32_t *ifindex)
{
	unsigned int i = if_nametoindex(name);

	if (!i) {
		fprintf(stderr, "Error: device \"%s\" does not exist.\n", name);
		return -ENODEV;
	}
	*ifindex = i;
	return 0;
}

/* A device may be gone by the time we print; its number still helps. */
const char *ifindex_to_dev(uint32_t ifindex, char buf[IF_NAMESIZE])
{
	if (!if_indextoname(ifindex, buf))
		snprintf(buf, IF_NAMESIZE, "%u", ifindex);
	return buf;
}

static int link_check(const struct nlattr **tb)
{
	const struct nlattr *hist[HEARTBEAT_LATE_BUCKETS + 1];

	if (!tb[HEARTBEAT_A_LINK_LATE_HIST])
		return 0;
	return attr_parse_nest(tb[HEARTBEAT_A_LINK_LATE_HIST], hist,
			       hist_policy, HEARTBEAT_LATE_BUCKETS);
}

int link_parse(const struct nlattr *nest, const struct nlattr **tb)
{
	if (attr_parse_nest(nest, tb, link_policy, HEARTBEAT_A_LINK_MAX))
		return -EPROTO;
	return link_check(tb);
}

/* Every link line starts with the device, even if the kernel left it out. */
static const char *link_dev(const struct nlattr *const *tb,
			    char buf[IF_NAMESIZE])
{
	if (tb[HEARTBEAT_A_LINK_IFNAME])
		return mnl_attr_get_str(tb[HEARTBEAT_A_LINK_IFNAME]);
	if (tb[HEARTBEAT_A_LINK_IFINDEX])
		return ifindex_to_dev(mnl_attr_get_u32(tb[HEARTBEAT_A_LINK_IFINDEX]),
				      buf);
	return "-";
}

static const char *mode_name(uint8_t mode, char *buf, size_t len)
{
	if (mode < ARRAY_SIZE(mode_names))
		return mode_names[mode];
	snprintf(buf, len, "mode-%u", mode);
	return buf;
}

/* Text columns are two spaces apart; the first one follows the device. */
static void sep(bool *first)
{
	if (!*first)
		print_string(PRINT_FP, NULL, "%s", "  ");
	*first = false;
}

/* Bucket b holds [2^(b-1), 2^b) us: label it by its bounds. */
static void print_bucket(unsigned int b, uint64_t count)
{
	char label[32];

	if (!b)
		snprintf(label, sizeof(label), "<1us");
	else if (b < HEARTBEAT_LATE_BUCKETS - 1)
		snprintf(label, sizeof(label), "%u-%uus", 1U << (b - 1),
			 1U << b);
	else
		snprintf(label, sizeof(label), ">=%uus", 1U << (b - 1));
	print_string(PRINT_FP, NULL, "  %s", label);
	print_u64(PRINT_FP, NULL, " %" PRIu64, count);

	open_json_object(NULL);
	if (b < HEARTBEAT_LATE_BUCKETS - 1)
		print_u32(PRINT_JSON, "lt_us", NULL, 1U << b);
	else
		print_string(PRINT_JSON, "lt_us", NULL, NULL);
	print_u64(PRINT_JSON, "count", NULL, count);
	close_json_object();
}

/* Text lists the buckets that counted something, JSON all of them. */
static void print_hist(const struct nlattr *nest)
{
	const struct nlattr *hist[HEARTBEAT_LATE_BUCKETS + 1];
	unsigned int b, shown = 0;
	uint64_t count;

	attr_parse_nest(nest, hist, hist_policy, HEARTBEAT_LATE_BUCKETS);
	print_string(PRINT_FP, NULL, "%s", "  late");
	open_json_array("late_hist");
	for (b = 0; b < HEARTBEAT_LATE_BUCKETS; b++) {
		count = hist[b + 1] ? mnl_attr_get_u64(hist[b + 1]) : 0;
		if (count || is_json_context()) {
			print_bucket(b, count);
			shown++;
		}
	}
	close_json_array();
	if (!shown)
		print_string(PRINT_FP, NULL, "%s", "  -");
	print_nl();
}

void link_print(const struct nlattr *const *tb, bool stats)
{
	char dev[IF_NAMESIZE], mode[16];
	const struct nlattr *a;
	bool first = !stats, up;
	unsigned int i;

	open_json_object(NULL);
	/* A device column as wide as ip -br's keeps "link show" aligned. */
	print_string(PRINT_ANY, "dev", stats ? "link %s" : "%-16s ",
		     link_dev(tb, dev));
	if (tb[HEARTBEAT_A_LINK_IFINDEX])
		print_u32(PRINT_JSON, "ifindex", NULL,
			  mnl_attr_get_u32(tb[HEARTBEAT_A_LINK_IFINDEX]));
	if (tb[HEARTBEAT_A_LINK_ID]) {
		sep(&first);
		print_u32(PRINT_ANY, "id", "id %u",
			  mnl_attr_get_u32(tb[HEARTBEAT_A_LINK_ID]));
	}
	/* stats is about counters; mode and state stay in its JSON only. */
	if (tb[HEARTBEAT_A_LINK_MODE]) {
		if (!stats)
			sep(&first);
		print_string(stats ? PRINT_JSON : PRINT_ANY, "mode", "%-9s",
			     mode_name(mnl_attr_get_u8(tb[HEARTBEAT_A_LINK_MODE]),
				       mode, sizeof(mode)));
	}
	if (tb[HEARTBEAT_A_LINK_UP]) {
		up = mnl_attr_get_u8(tb[HEARTBEAT_A_LINK_UP]);
		if (!stats) {
			sep(&first);
			print_string(PRINT_FP, NULL, "%-4s", up ? "up" : "down");
		}
		print_bool(PRINT_JSON, "up", NULL, up);
	}
	for (i = 0; i < ARRAY_SIZE(link_counters); i++) {
		a = tb[link_counters[i].attr];
		if (!a)
			continue;
		sep(&first);
		print_string(PRINT_FP, NULL, "%s ", link_counters[i].name);
		print_u64(PRINT_ANY, link_counters[i].key, "%" PRIu64,
			  mnl_attr_get_u64(a));
	}
	if (tb[HEARTBEAT_A_LINK_LATE_MAX_NS]) {
		sep(&first);
		print_duration_ns(PRINT_ANY, "late_max_ns", "late_max %s",
				  mnl_attr_get_u64(tb[HEARTBEAT_A_LINK_LATE_MAX_NS]));
	}
	/* Text only when armed: most nodes never are. */
	if (tb[HEARTBEAT_A_LINK_LAST_WORDS]) {
		bool armed = mnl_attr_get_u8(tb[HEARTBEAT_A_LINK_LAST_WORDS]);

		print_bool(PRINT_JSON, "last_words", NULL, armed);
		if (armed)
			print_string(PRINT_FP, NULL, "%s", "  last-words armed");
	}
	print_nl();
	if (stats && tb[HEARTBEAT_A_LINK_LATE_HIST])
		print_hist(tb[HEARTBEAT_A_LINK_LATE_HIST]);
	close_json_object();
}

int link_show_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[HEARTBEAT_A_LINK_MAX + 1];

	if (attr_parse_msg(nlh, tb, link_policy, HEARTBEAT_A_LINK_MAX) ||
	    link_check(tb))
		return MNL_CB_ERROR;
	json_list_item(data);
	link_print(tb, false);
	return MNL_CB_OK;
}

struct link_args {
	struct link_conf c;
	bool has_dev;
	bool has_mode;
};

/* A name if_nametoindex() could find: shorter than IF_NAMESIZE. */
static int parse_dev(const char *arg, char dev[IF_NAMESIZE])
{
	if (!*arg || strlen(arg) >= IF_NAMESIZE) {
		invarg(arg, "a device name is 1 to %u characters",
		       IF_NAMESIZE - 1);
		return -EINVAL;
	}
	strcpy(dev, arg);
	return 0;
}

/*
 * "dev IFNAME" for every command, "mode" for add only. Returns -1 to go
 * on, or the exit status to stop with (help included).
 */
static int parse_link_args(int argc, char **argv, struct link_args *a,
			   bool add)
{
	memset(a, 0, sizeof(*a));
	a->c.mode = HEARTBEAT_LINK_MULTICAST;
	for (; argc > 0; argc -= 2, argv += 2) {
		bool is_dev = matches(argv[0], "dev");
		bool is_mode = add && matches(argv[0], "mode");

		if (!is_dev && !is_mode && matches(argv[0], "help")) {
			link_usage(stdout);
			return HB_EXIT_OK;
		}
		if (!is_dev && !is_mode) {
			invkeyword(argv[0]);
			return HB_EXIT_USAGE;
		}
		if (argc < 2) {
			invarg(argv[0], "missing value");
			return HB_EXIT_USAGE;
		}
		if ((is_dev && a->has_dev) || (is_mode && a->has_mode)) {
			invarg(argv[1], "%s given twice",
			       is_dev ? "dev" : "mode");
			return HB_EXIT_USAGE;
		}
		if (is_dev) {
			if (parse_dev(argv[1], a->c.dev))
				return HB_EXIT_USAGE;
			a->has_dev = true;
		} else if (!strcmp(argv[1], "multicast")) {
			a->c.mode = HEARTBEAT_LINK_MULTICAST;
			a->has_mode = true;
		} else if (!strcmp(argv[1], "unicast")) {
			a->c.mode = HEARTBEAT_LINK_UNICAST;
			a->has_mode = true;
		} else {
			invarg(argv[1], "mode must be multicast or unicast");
			return HB_EXIT_USAGE;
		}
	}
	return -1;
}

int link_conf_parse(int argc, char **argv, struct link_conf *c)
{
	struct link_args a;
	int ret;

	ret = parse_link_args(argc, argv, &a, true);
	if (ret >= 0)
		return ret;
	if (!a.has_dev) {
		missarg("dev");
		return HB_EXIT_USAGE;
	}
	*c = a.c;
	return -1;
}

int link_conf_from_msg(const struct nlmsghdr *nlh, struct link_conf *c)
{
	const struct nlattr *tb[HEARTBEAT_A_LINK_MAX + 1];
	char dev[IF_NAMESIZE];

	memset(c, 0, sizeof(*c));
	if (attr_parse_msg(nlh, tb, link_policy, HEARTBEAT_A_LINK_MAX) ||
	    (!tb[HEARTBEAT_A_LINK_IFNAME] && !tb[HEARTBEAT_A_LINK_IFINDEX]))
		return -EPROTO;
	snprintf(c->dev, sizeof(c->dev), "%s", link_dev(tb, dev));
	if (tb[HEARTBEAT_A_LINK_MODE])
		c->mode = mnl_attr_get_u8(tb[HEARTBEAT_A_LINK_MODE]);
	return 0;
}

static int link_send(uint8_t cmd, uint32_t ifindex, int mode)
{
	char dev[IF_NAMESIZE], buf[16];
	struct nlmsghdr *nlh;

	nlh = genl_msg_start(cmd, NLM_F_ACK);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_LINK_IFINDEX, ifindex);
	refused_note(HEARTBEAT_A_LINK_IFINDEX, "dev",
		     ifindex_to_dev(ifindex, dev));
	if (mode >= 0) {
		mnl_attr_put_u8(nlh, HEARTBEAT_A_LINK_MODE, mode);
		refused_note(HEARTBEAT_A_LINK_MODE, "mode",
			     mode_name(mode, buf, sizeof(buf)));
	}
	return genl_talk(nlh, NULL, NULL);
}

/* A file's link always says its mode: the default may not be forever. */
int link_conf_send(uint8_t cmd, const struct link_conf *c)
{
	uint32_t ifindex;
	int err;

	err = dev_to_ifindex(c->dev, &ifindex);
	if (err)
		return err;
	return link_send(cmd, ifindex,
			 cmd == HEARTBEAT_CMD_LINK_ADD ? c->mode : -1);
}

const char *link_mode_name(uint8_t mode, char *buf, size_t len)
{
	return mode_name(mode, buf, len);
}

static int link_show(int argc, char **argv)
{
	struct link_args a;
	struct nlmsghdr *nlh;
	uint32_t ifindex = 0;
	bool open = false;
	int ret;

	ret = parse_link_args(argc, argv, &a, false);
	if (ret >= 0)
		return ret;
	if (a.has_dev && dev_to_ifindex(a.c.dev, &ifindex))
		return HB_EXIT_USAGE;
	if (genl_open())
		return HB_EXIT_KERNEL;
	nlh = genl_msg_start(HEARTBEAT_CMD_LINK_GET,
			     a.has_dev ? 0 : NLM_F_DUMP);
	if (a.has_dev)
		mnl_attr_put_u32(nlh, HEARTBEAT_A_LINK_IFINDEX, ifindex);
	ret = genl_talk(nlh, link_show_cb, &open);
	json_list_end(open, ret);
	genl_close();
	return ret ? HB_EXIT_KERNEL : HB_EXIT_OK;
}

static int link_change(int argc, char **argv, uint8_t cmd)
{
	struct link_args a;
	uint32_t ifindex;
	int ret;

	ret = parse_link_args(argc, argv, &a, cmd == HEARTBEAT_CMD_LINK_ADD);
	if (ret >= 0)
		return ret;
	if (!a.has_dev) {
		missarg("dev");
		return HB_EXIT_USAGE;
	}
	/* A device that does not exist is the caller's mistake. */
	if (dev_to_ifindex(a.c.dev, &ifindex))
		return HB_EXIT_USAGE;
	if (genl_open())
		return HB_EXIT_KERNEL;
	ret = link_send(cmd, ifindex, a.has_mode ? a.c.mode : -1);
	genl_close();
	return ret ? HB_EXIT_KERNEL : HB_EXIT_OK;
}

static int link_add(int argc, char **argv)
{
	return link_change(argc, argv, HEARTBEAT_CMD_LINK_ADD);
}

static int link_del(int argc, char **argv)
{
	return link_change(argc, argv, HEARTBEAT_CMD_LINK_DEL);
}

int do_link(int argc, char **argv)
{
	return cmd_dispatch_list("link", link_usage, link_show, link_add, link_del,
				 argc, argv);
}
