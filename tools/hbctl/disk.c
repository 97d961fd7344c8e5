// SPDX-License-Identifier: GPL-2.0-only
/* hbctl disk: the shared-disk channel, and the poison pill it carries. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/heartbeat.h>

#include "conf.h"
#include "genl.h"
#include "hbctl.h"
#include "json_print.h"
#include "nlattr.h"
#include "ranges.h"
#include "refused.h"
#include "utils.h"

#define DISK_BLOCK	4096

static const struct attr_policy disk_policy[HEARTBEAT_A_DISK_MAX + 1] = {
	[HEARTBEAT_A_DISK_PATH] = { MNL_TYPE_NUL_STRING },
	[HEARTBEAT_A_DISK_OFFSET] = { MNL_TYPE_U64 },
	[HEARTBEAT_A_DISK_SLOTS] = { MNL_TYPE_U32 },
	[HEARTBEAT_A_DISK_INTERVAL_US] = { MNL_TYPE_U32 },
	[HEARTBEAT_A_DISK_UP] = { MNL_TYPE_U8 },
	[HEARTBEAT_A_DISK_SLOT] = { MNL_TYPE_U32 },
	[HEARTBEAT_A_DISK_SEQ] = { MNL_TYPE_U64 },
	[HEARTBEAT_A_DISK_WRITES] = { MNL_TYPE_U64 },
	[HEARTBEAT_A_DISK_READS] = { MNL_TYPE_U64 },
	[HEARTBEAT_A_DISK_IO_ERRORS] = { MNL_TYPE_U64 },
	[HEARTBEAT_A_DISK_CORRUPT] = { MNL_TYPE_U64 },
	[HEARTBEAT_A_DISK_CONFLICTS] = { MNL_TYPE_U64 },
	[HEARTBEAT_A_DISK_BAD_MAC] = { MNL_TYPE_U64 },
	[HEARTBEAT_A_DISK_LEASE_HOLDER] = { MNL_TYPE_U32 },
	[HEARTBEAT_A_DISK_LEASE_HELD] = { MNL_TYPE_U8 },
	[HEARTBEAT_A_DISK_FENCED] = { MNL_TYPE_U8 },
};

static void disk_usage(FILE *fp)
{
	fprintf(fp,
		"Usage: hbctl disk [ show ]\n"
		"       hbctl disk add dev BLOCKDEV [ offset BYTES ] [ slots SLOTS ]\n"
		"                      [ interval DURATION ]\n"
		"       hbctl disk del\n"
		"       hbctl disk poison id ID\n"
		"       hbctl disk help\n"
		"where  BYTES := a multiple of %u (default 0)\n"
		"       SLOTS := %u..%u nodes the region holds (default 16)\n"
		"       DURATION := how often the node writes and reads it (default 1s)\n",
		DISK_BLOCK, HEARTBEAT_DISK_SLOTS_MIN, HEARTBEAT_DISK_SLOTS_MAX);
}

/* Counters, in the order text prints them. */
static const struct {
	const char *name;
	int attr;
} disk_counters[] = {
	{ "seq", HEARTBEAT_A_DISK_SEQ },
	{ "writes", HEARTBEAT_A_DISK_WRITES },
	{ "reads", HEARTBEAT_A_DISK_READS },
	{ "io_errors", HEARTBEAT_A_DISK_IO_ERRORS },
	{ "corrupt", HEARTBEAT_A_DISK_CORRUPT },
	{ "conflicts", HEARTBEAT_A_DISK_CONFLICTS },
	{ "bad_mac", HEARTBEAT_A_DISK_BAD_MAC },
};

static bool flag(const struct nlattr *a)
{
	return a && mnl_attr_get_u8(a);
}

/*
 * "/dev/vdb  offset 0  slots 16  interval 1s  up  slot 1  seq 42 ...
 * lease-holder 2  lease held  fenced"; JSON the same members, always.
 */
int disk_show_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[HEARTBEAT_A_DISK_MAX + 1];
	unsigned int i;

	(void)data;
	if (attr_parse_msg(nlh, tb, disk_policy, HEARTBEAT_A_DISK_MAX))
		return MNL_CB_ERROR;
	if (!tb[HEARTBEAT_A_DISK_PATH] || !tb[HEARTBEAT_A_DISK_SLOTS] ||
	    !tb[HEARTBEAT_A_DISK_INTERVAL_US]) {
		errno = EPROTO;
		return MNL_CB_ERROR;
	}
	open_json_object(NULL);
	print_string(PRINT_ANY, "dev", "%s",
		     mnl_attr_get_str(tb[HEARTBEAT_A_DISK_PATH]));
	if (tb[HEARTBEAT_A_DISK_OFFSET])
		print_u64(PRINT_ANY, "offset", "  offset %" PRIu64,
			  mnl_attr_get_u64(tb[HEARTBEAT_A_DISK_OFFSET]));
	print_u32(PRINT_ANY, "slots", "  slots %u",
		  mnl_attr_get_u32(tb[HEARTBEAT_A_DISK_SLOTS]));
	print_u32(PRINT_JSON, "interval_us", NULL,
		  mnl_attr_get_u32(tb[HEARTBEAT_A_DISK_INTERVAL_US]));
	print_duration(PRINT_FP, NULL, "  interval %s",
		       mnl_attr_get_u32(tb[HEARTBEAT_A_DISK_INTERVAL_US]));
	print_bool(PRINT_JSON, "up", NULL, flag(tb[HEARTBEAT_A_DISK_UP]));
	print_string(PRINT_FP, NULL, "  %s",
		     flag(tb[HEARTBEAT_A_DISK_UP]) ? "up" : "down");
	if (tb[HEARTBEAT_A_DISK_SLOT])
		print_u32(PRINT_ANY, "slot", "  slot %u",
			  mnl_attr_get_u32(tb[HEARTBEAT_A_DISK_SLOT]));
	for (i = 0; i < ARRAY_SIZE(disk_counters); i++) {
		const struct nlattr *a = tb[disk_counters[i].attr];

		if (!a)
			continue;
		print_string(PRINT_FP, NULL, "  %s ", disk_counters[i].name);
		print_u64(PRINT_ANY, disk_counters[i].name, "%" PRIu64,
			  mnl_attr_get_u64(a));
	}
	if (tb[HEARTBEAT_A_DISK_LEASE_HOLDER]) {
		uint32_t holder = mnl_attr_get_u32(tb[HEARTBEAT_A_DISK_LEASE_HOLDER]);

		print_u32(PRINT_JSON, "lease_holder", NULL, holder);
		if (holder)
			print_u32(PRINT_FP, NULL, "  lease-holder %u", holder);
	}
	print_bool(PRINT_JSON, "lease_held", NULL,
		   flag(tb[HEARTBEAT_A_DISK_LEASE_HELD]));
	if (flag(tb[HEARTBEAT_A_DISK_LEASE_HELD]))
		print_string(PRINT_FP, NULL, "%s", "  lease held");
	print_bool(PRINT_JSON, "fenced", NULL, flag(tb[HEARTBEAT_A_DISK_FENCED]));
	if (flag(tb[HEARTBEAT_A_DISK_FENCED]))
		print_string(PRINT_FP, NULL, "%s", "  fenced");
	close_json_object();
	print_nl();
	return MNL_CB_OK;
}

/* Verbs without keywords take "help" only: -1 to go on, or the status. */
static int no_args(int argc, char **argv)
{
	if (argc == 0)
		return -1;
	if (matches(argv[0], "help")) {
		disk_usage(stdout);
		return HB_EXIT_OK;
	}
	invkeyword(argv[0]);
	return HB_EXIT_USAGE;
}

static int disk_show(int argc, char **argv)
{
	struct nlmsghdr *nlh;
	int err;

	err = no_args(argc, argv);
	if (err >= 0)
		return err;
	if (genl_open())
		return HB_EXIT_KERNEL;
	nlh = genl_msg_start(HEARTBEAT_CMD_DISK_GET, 0);
	err = genl_talk(nlh, disk_show_cb, NULL);
	genl_close();
	return err ? HB_EXIT_KERNEL : HB_EXIT_OK;
}

enum disk_arg { ARG_DEV, ARG_OFFSET, ARG_SLOTS, ARG_INTERVAL, __ARG_MAX };

static const char *const disk_keys[__ARG_MAX] = {
	[ARG_DEV] = "dev",
	[ARG_OFFSET] = "offset",
	[ARG_SLOTS] = "slots",
	[ARG_INTERVAL] = "interval",
};

/* hbctl disk add's defaults, the kernel's (kmod/disk.c). */
#define DISK_SLOTS_DEFAULT	16
#define DISK_INTERVAL_DEFAULT	1000000

struct disk_args {
	struct disk_conf c;
	bool given[__ARG_MAX];
};

static int parse_offset(const char *arg, uint64_t *val)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(arg, &end, 0);
	if (errno || end == arg || *end || arg[0] == '-' || v % DISK_BLOCK) {
		invarg(arg, "offset must be a number of bytes, a multiple of %u",
		       DISK_BLOCK);
		return -EINVAL;
	}
	*val = v;
	return 0;
}

static int parse_one(unsigned int k, const char *arg, void *ctx)
{
	struct disk_conf *a = &((struct disk_args *)ctx)->c;

	switch (k) {
	case ARG_DEV:
		if (strlen(arg) > HEARTBEAT_DISK_PATH_MAX) {
			invarg(arg, "dev is longer than %u bytes",
			       HEARTBEAT_DISK_PATH_MAX);
			return -EINVAL;
		}
		strcpy(a->path, arg);
		return 0;
	case ARG_OFFSET:
		return parse_offset(arg, &a->offset);
	case ARG_SLOTS:
		return parse_range(&range_disk_slots, arg, &a->slots);
	default:
		return parse_range(&range_disk_interval, arg, &a->interval_us);
	}
}

/* Returns -1 to go on, or the exit status to stop with (help included). */
static int parse_disk_args(int argc, char **argv, struct disk_args *a)
{
	const struct keywords kw = {
		.keys = disk_keys,
		.nkeys = __ARG_MAX,
		.one = parse_one,
		.usage = disk_usage,
	};
	int ret;

	memset(a, 0, sizeof(*a));
	a->c.slots = DISK_SLOTS_DEFAULT;
	a->c.interval_us = DISK_INTERVAL_DEFAULT;
	ret = parse_keywords(&kw, argc, argv, a->given, a);
	if (ret >= 0)
		return ret;
	if (!a->given[ARG_DEV]) {
		fprintf(stderr, "Error: \"dev\" is required.\n");
		return HB_EXIT_USAGE;
	}
	return -1;
}

int disk_conf_parse(int argc, char **argv, struct disk_conf *c)
{
	struct disk_args a;
	int ret;

	ret = parse_disk_args(argc, argv, &a);
	if (ret < 0)
		*c = a.c;
	return ret;
}

int disk_conf_from_msg(const struct nlmsghdr *nlh, struct disk_conf *c)
{
	const struct nlattr *tb[HEARTBEAT_A_DISK_MAX + 1];

	memset(c, 0, sizeof(*c));
	if (attr_parse_msg(nlh, tb, disk_policy, HEARTBEAT_A_DISK_MAX) ||
	    !tb[HEARTBEAT_A_DISK_PATH] || !tb[HEARTBEAT_A_DISK_SLOTS] ||
	    !tb[HEARTBEAT_A_DISK_INTERVAL_US])
		return -EPROTO;
	snprintf(c->path, sizeof(c->path), "%s",
		 mnl_attr_get_str(tb[HEARTBEAT_A_DISK_PATH]));
	if (tb[HEARTBEAT_A_DISK_OFFSET])
		c->offset = mnl_attr_get_u64(tb[HEARTBEAT_A_DISK_OFFSET]);
	c->slots = mnl_attr_get_u32(tb[HEARTBEAT_A_DISK_SLOTS]);
	c->interval_us = mnl_attr_get_u32(tb[HEARTBEAT_A_DISK_INTERVAL_US]);
	return 0;
}

/* DISK_ADD's attributes: the path, and those the caller asks for. */
static void disk_put(struct nlmsghdr *nlh, const struct disk_conf *c,
		     bool offset, bool slots, bool interval)
{
	char buf[DURATION_BUFSZ];

	mnl_attr_put_strz(nlh, HEARTBEAT_A_DISK_PATH, c->path);
	refused_note(HEARTBEAT_A_DISK_PATH, "dev", c->path);
	if (offset) {
		mnl_attr_put_u64(nlh, HEARTBEAT_A_DISK_OFFSET, c->offset);
		snprintf(buf, sizeof(buf), "%" PRIu64, c->offset);
		refused_note(HEARTBEAT_A_DISK_OFFSET, "offset", buf);
	}
	if (slots) {
		mnl_attr_put_u32(nlh, HEARTBEAT_A_DISK_SLOTS, c->slots);
		refused_note_u32(HEARTBEAT_A_DISK_SLOTS, "slots", c->slots);
	}
	if (interval) {
		mnl_attr_put_u32(nlh, HEARTBEAT_A_DISK_INTERVAL_US,
				 c->interval_us);
		format_duration(c->interval_us, buf, sizeof(buf));
		refused_note(HEARTBEAT_A_DISK_INTERVAL_US, "interval", buf);
	}
}

/* Only what differs from the defaults: as the command line sent it. */
int disk_conf_send(uint8_t cmd, const struct disk_conf *c)
{
	struct nlmsghdr *nlh;

	nlh = genl_msg_start(cmd, NLM_F_ACK);
	if (cmd != HEARTBEAT_CMD_DISK_ADD)
		return genl_talk(nlh, NULL, NULL);
	disk_put(nlh, c, c->offset, c->slots != DISK_SLOTS_DEFAULT,
		 c->interval_us != DISK_INTERVAL_DEFAULT);
	return genl_talk(nlh, NULL, NULL);
}

static int disk_add(int argc, char **argv)
{
	struct disk_args a;
	struct nlmsghdr *nlh;
	int ret;

	ret = parse_disk_args(argc, argv, &a);
	if (ret >= 0)
		return ret;
	if (genl_open())
		return HB_EXIT_KERNEL;
	nlh = genl_msg_start(HEARTBEAT_CMD_DISK_ADD, NLM_F_ACK);
	disk_put(nlh, &a.c, a.given[ARG_OFFSET], a.given[ARG_SLOTS],
		 a.given[ARG_INTERVAL]);
	ret = genl_talk(nlh, NULL, NULL);
	genl_close();
	return ret ? HB_EXIT_KERNEL : HB_EXIT_OK;
}

static int disk_del(int argc, char **argv)
{
	struct nlmsghdr *nlh;
	int ret;

	ret = no_args(argc, argv);
	if (ret >= 0)
		return ret;
	if (genl_open())
		return HB_EXIT_KERNEL;
	nlh = genl_msg_start(HEARTBEAT_CMD_DISK_DEL, NLM_F_ACK);
	ret = genl_talk(nlh, NULL, NULL);
	genl_close();
	return ret ? HB_EXIT_KERNEL : HB_EXIT_OK;
}

static const char *const poison_keys[] = { "id" };

static int parse_id(unsigned int k, const char *arg, void *ctx)
{
	(void)k;
	return parse_range(&range_peer_id, arg, ctx);
}

static int disk_poison(int argc, char **argv)
{
	const struct keywords kw = {
		.keys = poison_keys,
		.nkeys = ARRAY_SIZE(poison_keys),
		.one = parse_id,
		.usage = disk_usage,
	};
	bool given[ARRAY_SIZE(poison_keys)] = {};
	struct nlmsghdr *nlh;
	uint32_t id = 0;
	int ret;

	ret = parse_keywords(&kw, argc, argv, given, &id);
	if (ret >= 0)
		return ret;
	if (!given[0]) {
		fprintf(stderr, "Error: \"id\" is required.\n");
		return HB_EXIT_USAGE;
	}
	if (genl_open())
		return HB_EXIT_KERNEL;
	nlh = genl_msg_start(HEARTBEAT_CMD_DISK_POISON, NLM_F_ACK);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_DISK_PEER, id);
	refused_note_u32(HEARTBEAT_A_DISK_PEER, "id", id);
	ret = genl_talk(nlh, NULL, NULL);
	genl_close();
	return ret ? HB_EXIT_KERNEL : HB_EXIT_OK;
}

/* "show" first: a bare "s" must never modify anything. */
static const struct hb_cmd disk_cmds[] = {
	{ "show", disk_show },
	{ "add", disk_add },
	{ "del", disk_del },
	{ "poison", disk_poison },
	{ NULL, NULL },
};

int do_disk(int argc, char **argv)
{
	return cmd_dispatch("disk", disk_cmds, disk_usage, argc, argv);
}
