// SPDX-License-Identifier: GPL-2.0-only
/* hbctl node: the local node of the caller's network namespace. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/heartbeat.h>

#include "genl.h"
#include "hbctl.h"
#include "json_print.h"
#include "utils.h"

enum field_kind {
	F_ID,		/* u32, 0 means "not set yet" */
	F_U32,
	F_U64,
	F_DURATION,	/* u32 microseconds */
	F_ON_OFF,	/* u8 */
	F_SLACK,	/* u32 microseconds, 0 shown as "auto" */
};

/*
 * One row per attribute drives both "show" and "set". Order is the
 * output order and, for "set", the prefix priority ("i" is "id").
 */
static const struct node_field {
	const char *name;	/* keyword and text label */
	const char *key;	/* JSON member */
	int attr;
	enum field_kind kind;
	bool settable;
} node_fields[] = {
	{ "id", "id", HEARTBEAT_A_NODE_ID, F_ID, true },
	{ "cluster", "cluster", HEARTBEAT_A_NODE_CLUSTER, F_U32, true },
	{ "incarnation", "incarnation", HEARTBEAT_A_NODE_INCARNATION,
	  F_U64, false },
	{ "interval", "interval_us", HEARTBEAT_A_NODE_INTERVAL_US,
	  F_DURATION, true },
	{ "fall", "fall", HEARTBEAT_A_NODE_FALL, F_U32, true },
	{ "rise", "rise", HEARTBEAT_A_NODE_RISE, F_U32, true },
	{ "grace", "grace_us", HEARTBEAT_A_NODE_GRACE_US, F_DURATION, true },
	{ "learn", "learn", HEARTBEAT_A_NODE_LEARN, F_ON_OFF, true },
	{ "slack", "slack_us", HEARTBEAT_A_NODE_SLACK_US, F_SLACK, true },
};

static void node_usage(FILE *fp)
{
	fprintf(fp,
		"Usage: hbctl node [ show ]\n"
		"       hbctl node set [ id ID ] [ cluster ID ]\n"
		"                      [ interval DURATION ] [ fall COUNT ]\n"
		"                      [ rise COUNT ] [ grace DURATION ]\n"
		"                      [ learn { on | off } ] [ slack { DURATION | auto } ]\n"
		"       hbctl node help\n"
		"where  DURATION := NUMBER{ us | ms | s }, e.g. 10ms, 1.5s\n");
}

static enum mnl_attr_data_type field_type(const struct node_field *f)
{
	switch (f->kind) {
	case F_U64:
		return MNL_TYPE_U64;
	case F_ON_OFF:
		return MNL_TYPE_U8;
	default:
		return MNL_TYPE_U32;
	}
}

static int node_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(attr);

	/* Attributes from a newer kernel are not ours to print. */
	if (type <= HEARTBEAT_A_NODE_MAX)
		tb[type] = attr;
	return MNL_CB_OK;
}

static void print_field(const struct node_field *f, const struct nlattr *a)
{
	uint32_t v;

	print_string(PRINT_FP, NULL, "%s ", f->name);
	switch (f->kind) {
	case F_ID:
		v = mnl_attr_get_u32(a);
		print_u32(v ? PRINT_ANY : PRINT_JSON, f->key, "%u", v);
		if (!v)
			print_string(PRINT_FP, NULL, "%s", "none");
		break;
	case F_U32:
		print_u32(PRINT_ANY, f->key, "%u", mnl_attr_get_u32(a));
		break;
	case F_U64:
		print_u64(PRINT_ANY, f->key, "%" PRIu64, mnl_attr_get_u64(a));
		break;
	case F_DURATION:
		print_duration(PRINT_ANY, f->key, "%s", mnl_attr_get_u32(a));
		break;
	case F_ON_OFF:
		print_on_off(PRINT_ANY, f->key, "%s", mnl_attr_get_u8(a));
		break;
	case F_SLACK:
		v = mnl_attr_get_u32(a);
		if (v)
			print_duration(PRINT_ANY, f->key, "%s", v);
		else
			print_u32(PRINT_JSON, f->key, "%u", v);
		if (!v)
			print_string(PRINT_FP, NULL, "%s", "auto");
		break;
	}
}

int node_show_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[HEARTBEAT_A_NODE_MAX + 1] = {};
	unsigned int i, n = 0;

	(void)data;
	if (mnl_attr_parse(nlh, sizeof(struct genlmsghdr), node_attr_cb,
			   tb) < 0)
		return MNL_CB_ERROR;
	/* Validate everything first so a bad reply prints nothing. */
	for (i = 0; i < ARRAY_SIZE(node_fields); i++) {
		const struct node_field *f = &node_fields[i];

		if (tb[f->attr] &&
		    mnl_attr_validate(tb[f->attr], field_type(f)) < 0) {
			errno = EPROTO;
			return MNL_CB_ERROR;
		}
	}

	open_json_object(NULL);
	for (i = 0; i < ARRAY_SIZE(node_fields); i++) {
		if (!tb[node_fields[i].attr])
			continue;
		if (n++)
			print_string(PRINT_FP, NULL, "%s", "  ");
		print_field(&node_fields[i], tb[node_fields[i].attr]);
	}
	close_json_object();
	print_nl();
	return MNL_CB_OK;
}

static int node_show(int argc, char **argv)
{
	struct nlmsghdr *nlh;
	int err;

	if (argc > 0) {
		if (matches(argv[0], "help")) {
			node_usage(stdout);
			return HB_EXIT_OK;
		}
		invkeyword(argv[0]);
		return HB_EXIT_USAGE;
	}
	if (genl_open())
		return HB_EXIT_KERNEL;
	nlh = genl_msg_start(HEARTBEAT_CMD_NODE_GET, 0);
	err = genl_talk(nlh, node_show_cb, NULL);
	genl_close();
	return err ? HB_EXIT_KERNEL : HB_EXIT_OK;
}

static const struct node_field *settable_field(const char *arg)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(node_fields); i++)
		if (node_fields[i].settable && matches(arg, node_fields[i].name))
			return &node_fields[i];
	return NULL;
}

/* Syntax only; the kernel's policy owns the ranges. */
static int parse_field(const struct node_field *f, const char *arg,
		       uint32_t *val)
{
	bool on;
	int err;

	switch (f->kind) {
	case F_SLACK:
		if (!strcmp(arg, "auto")) {
			*val = 0;
			return 0;
		}
		/* fall through */
	case F_DURATION:
		err = parse_duration_us(arg, val);
		if (err == -ERANGE)
			invarg(arg, "%s is above 4294967295us", f->name);
		else if (err == -EDOM)
			invarg(arg, "%s must be 0 or at least 1us", f->name);
		else if (err)
			invarg(arg, "%s needs a duration like 10ms, 1.5s or 500us",
			       f->name);
		return err;
	case F_ON_OFF:
		err = parse_on_off(arg, &on);
		if (err)
			invarg(arg, "%s must be on or off", f->name);
		*val = on;
		return err;
	default:
		err = parse_u32(arg, val);
		if (err == -ERANGE)
			invarg(arg, "%s does not fit in 32 bits", f->name);
		else if (err)
			invarg(arg, "%s needs a number (decimal or 0x hex)",
			       f->name);
		return err;
	}
}

static int node_set(int argc, char **argv)
{
	uint32_t val[ARRAY_SIZE(node_fields)];
	bool given[ARRAY_SIZE(node_fields)] = {};
	const struct node_field *f;
	struct nlmsghdr *nlh;
	unsigned int i;
	int err;

	if (argc < 1) {
		fprintf(stderr,
			"Error: nothing to set, see \"hbctl node help\".\n");
		return HB_EXIT_USAGE;
	}
	/* Parse everything before talking to the kernel at all. */
	for (; argc > 0; argc -= 2, argv += 2) {
		f = settable_field(argv[0]);
		if (!f && matches(argv[0], "help")) {
			node_usage(stdout);
			return HB_EXIT_OK;
		}
		if (!f) {
			invkeyword(argv[0]);
			return HB_EXIT_USAGE;
		}
		if (argc < 2) {
			invarg(argv[0], "missing value");
			return HB_EXIT_USAGE;
		}
		i = f - node_fields;
		if (given[i]) {
			invarg(argv[1], "%s given twice", f->name);
			return HB_EXIT_USAGE;
		}
		if (parse_field(f, argv[1], &val[i]))
			return HB_EXIT_USAGE;
		given[i] = true;
	}

	if (genl_open())
		return HB_EXIT_KERNEL;
	nlh = genl_msg_start(HEARTBEAT_CMD_NODE_SET, NLM_F_ACK);
	for (i = 0; i < ARRAY_SIZE(node_fields); i++) {
		if (!given[i])
			continue;
		if (node_fields[i].kind == F_ON_OFF)
			mnl_attr_put_u8(nlh, node_fields[i].attr, val[i]);
		else
			mnl_attr_put_u32(nlh, node_fields[i].attr, val[i]);
	}
	err = genl_talk(nlh, NULL, NULL);
	genl_close();
	return err ? HB_EXIT_KERNEL : HB_EXIT_OK;
}

static int node_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	node_usage(stdout);
	return HB_EXIT_OK;
}

/* "show" first: a bare "s" must never modify anything. */
static const struct hb_cmd node_cmds[] = {
	{ "show", node_show },
	{ "set", node_set },
	{ "help", node_help },
	{ NULL, NULL },
};

int do_node(int argc, char **argv)
{
	return cmd_dispatch("node", node_cmds, argc, argv);
}
