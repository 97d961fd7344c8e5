// SPDX-License-Identifier: GPL-2.0-only
/*
 * hbctl quorum: the votes of the node's partition, and the settings that
 * decide when it is quorate (names after corosync's votequorum).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/heartbeat.h>

#include "conf.h"
#include "genl.h"
#include "hbctl.h"
#include "json_print.h"
#include "names.h"
#include "nlattr.h"
#include "ranges.h"
#include "refused.h"
#include "utils.h"

static const struct attr_policy quorum_policy[HEARTBEAT_A_QUORUM_MAX + 1] = {
	[HEARTBEAT_A_QUORUM_EXPECTED_VOTES] = { MNL_TYPE_U32 },
	[HEARTBEAT_A_QUORUM_TIE_BREAKER] = { MNL_TYPE_U8 },
	[HEARTBEAT_A_QUORUM_WAIT_FOR_ALL] = { MNL_TYPE_U8 },
	[HEARTBEAT_A_QUORUM_QUORATE] = { MNL_TYPE_U8 },
	[HEARTBEAT_A_QUORUM_VOTES] = { MNL_TYPE_U32 },
	[HEARTBEAT_A_QUORUM_MEMBERS] = { MNL_TYPE_NESTED },
	[HEARTBEAT_A_QUORUM_NODES] = { MNL_TYPE_U32 },
	[HEARTBEAT_A_QUORUM_CHANGES] = { MNL_TYPE_U32 },
};

static void quorum_usage(FILE *fp)
{
	fprintf(fp,
		"Usage: hbctl quorum [ show ]\n"
		"       hbctl quorum set [ expected-votes { VOTES | off } ]\n"
		"                        [ tie-breaker { none | lowest | highest | disk } ]\n"
		"                        [ wait-for-all { on | off } ]\n"
		"       hbctl quorum help\n"
		"where  VOTES := 0..%u, the votes of the whole cluster\n"
		"                (0 or off: no quorum, every verdict is local)\n",
		HEARTBEAT_VOTES_MAX);
}

int id_list_check(const struct nlattr *nest)
{
	const struct nlattr *pos;

	if (!nest)
		return 0;
	mnl_attr_for_each_nested(pos, nest) {
		if (mnl_attr_validate(pos, MNL_TYPE_U32) < 0) {
			errno = EPROTO;
			return -EPROTO;
		}
	}
	return 0;
}

unsigned int id_list_count(const struct nlattr *nest)
{
	const struct nlattr *pos;
	unsigned int n = 0;

	if (!nest)
		return 0;
	mnl_attr_for_each_nested(pos, nest)
		n++;
	return n;
}

/*
 * Text " 1 2 3" after @label ("-" for none), JSON an array of numbers;
 * a missing nest is an empty list.
 */
void print_id_list(const struct nlattr *nest, const char *key,
		   const char *label)
{
	const struct nlattr *pos;
	bool any = false;

	print_string(PRINT_FP, NULL, "%s", label);
	open_json_array(key);
	if (nest) {
		mnl_attr_for_each_nested(pos, nest) {
			print_u32(PRINT_ANY, NULL, " %u",
				  mnl_attr_get_u32(pos));
			any = true;
		}
	}
	close_json_array();
	if (!any)
		print_string(PRINT_FP, NULL, "%s", " -");
}

static const char *tie_breaker_name(unsigned int v, char *buf, size_t len)
{
	return value_name(hb_tie_breaker_name(v), "tie-breaker", v, buf, len);
}

static uint32_t get_u32(const struct nlattr *a)
{
	return a ? mnl_attr_get_u32(a) : 0;
}

/*
 * "quorate yes  votes 3  expected-votes 5  tie-breaker lowest
 * wait-for-all off  nodes 5  changes 2  members 1 2 3" on one line; with
 * expected-votes 0, "quorum off" stands for quorate and expected-votes.
 * JSON has the same members whatever the settings, in a fixed order:
 * expected_votes 0 is how a script tells quorum is off, and quorate is
 * then what the kernel says.
 */
int quorum_show_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[HEARTBEAT_A_QUORUM_MAX + 1];
	uint32_t expected;
	char buf[32];
	bool quorate;

	(void)data;
	if (attr_parse_msg(nlh, tb, quorum_policy, HEARTBEAT_A_QUORUM_MAX) ||
	    id_list_check(tb[HEARTBEAT_A_QUORUM_MEMBERS]))
		return MNL_CB_ERROR;
	/* Without these there is nothing to tell. */
	if (!tb[HEARTBEAT_A_QUORUM_EXPECTED_VOTES] ||
	    !tb[HEARTBEAT_A_QUORUM_QUORATE] || !tb[HEARTBEAT_A_QUORUM_VOTES]) {
		errno = EPROTO;
		return MNL_CB_ERROR;
	}
	expected = mnl_attr_get_u32(tb[HEARTBEAT_A_QUORUM_EXPECTED_VOTES]);
	quorate = mnl_attr_get_u8(tb[HEARTBEAT_A_QUORUM_QUORATE]);

	open_json_object(NULL);
	print_bool(PRINT_JSON, "quorate", NULL, quorate);
	print_u32(PRINT_JSON, "expected_votes", NULL, expected);
	if (expected)
		print_string(PRINT_FP, NULL, "quorate %s",
			     quorate ? "yes" : "no");
	else
		print_string(PRINT_FP, NULL, "%s", "quorum off");
	print_u32(PRINT_ANY, "votes", "  votes %u",
		  mnl_attr_get_u32(tb[HEARTBEAT_A_QUORUM_VOTES]));
	if (expected)
		print_u32(PRINT_FP, NULL, "  expected-votes %u", expected);
	/* members are printed last in text: the list has no fixed width */
	if (is_json_context())
		print_id_list(tb[HEARTBEAT_A_QUORUM_MEMBERS], "members", "");
	print_string(PRINT_ANY, "tie_breaker", "  tie-breaker %s",
		     tie_breaker_name(tb[HEARTBEAT_A_QUORUM_TIE_BREAKER] ?
				      mnl_attr_get_u8(tb[HEARTBEAT_A_QUORUM_TIE_BREAKER]) :
				      HEARTBEAT_TIE_BREAKER_NONE,
				      buf, sizeof(buf)));
	print_on_off(PRINT_FP, NULL, "  wait-for-all %s",
		     tb[HEARTBEAT_A_QUORUM_WAIT_FOR_ALL] &&
		     mnl_attr_get_u8(tb[HEARTBEAT_A_QUORUM_WAIT_FOR_ALL]));
	print_bool(PRINT_JSON, "wait_for_all", NULL,
		   tb[HEARTBEAT_A_QUORUM_WAIT_FOR_ALL] &&
		   mnl_attr_get_u8(tb[HEARTBEAT_A_QUORUM_WAIT_FOR_ALL]));
	print_u32(PRINT_ANY, "nodes", "  nodes %u",
		  get_u32(tb[HEARTBEAT_A_QUORUM_NODES]));
	print_u32(PRINT_ANY, "changes", "  changes %u",
		  get_u32(tb[HEARTBEAT_A_QUORUM_CHANGES]));
	if (!is_json_context())
		print_id_list(tb[HEARTBEAT_A_QUORUM_MEMBERS], NULL,
			      "  members");
	close_json_object();
	print_nl();
	return MNL_CB_OK;
}

static int quorum_show(int argc, char **argv)
{
	struct nlmsghdr *nlh;
	int err;

	if (argc > 0) {
		if (matches(argv[0], "help")) {
			quorum_usage(stdout);
			return HB_EXIT_OK;
		}
		invkeyword(argv[0]);
		return HB_EXIT_USAGE;
	}
	if (genl_open())
		return HB_EXIT_KERNEL;
	nlh = genl_msg_start(HEARTBEAT_CMD_QUORUM_GET, 0);
	err = genl_talk(nlh, quorum_show_cb, NULL);
	genl_close();
	return err ? HB_EXIT_KERNEL : HB_EXIT_OK;
}

enum quorum_arg {
	ARG_EXPECTED = QUORUM_EXPECTED,
	ARG_TIE_BREAKER = QUORUM_TIE_BREAKER,
	ARG_WAIT_FOR_ALL = QUORUM_WAIT_FOR_ALL,
	__ARG_MAX = QUORUM_CONF_MAX,
};

/* Prefixes: "e", "t" and "w" are unambiguous. */
static const char *const quorum_keys[__ARG_MAX] = {
	[ARG_EXPECTED] = "expected-votes",
	[ARG_TIE_BREAKER] = "tie-breaker",
	[ARG_WAIT_FOR_ALL] = "wait-for-all",
};

static int parse_tie_breaker(const char *arg, uint8_t *val)
{
	unsigned int i;

	/* Whole names only, as every enum of hbctl: values are few. */
	for (i = 0; i < hb_tie_breaker_count(); i++) {
		if (strcmp(hb_tie_breaker_name(i), HB_NO_NAME) &&
		    !strcmp(arg, hb_tie_breaker_name(i))) {
			*val = i;
			return 0;
		}
	}
	invarg(arg, "tie-breaker must be none, lowest, highest or disk");
	return -EINVAL;
}

static int parse_one(unsigned int k, const char *arg, void *ctx)
{
	struct quorum_conf *a = ctx;
	int err;

	switch (k) {
	case ARG_EXPECTED:
		return parse_range(&range_expected_votes, arg, &a->expected);
	case ARG_TIE_BREAKER:
		return parse_tie_breaker(arg, &a->tie_breaker);
	default:
		err = parse_on_off(arg, &a->wait_for_all);
		if (err)
			invarg(arg, "wait-for-all must be on or off");
		return err;
	}
}

/* Keywords already given stay given, as node_conf_parse(). */
int quorum_conf_parse(int argc, char **argv, struct quorum_conf *c)
{
	const struct keywords kw = {
		.keys = quorum_keys,
		.nkeys = __ARG_MAX,
		.one = parse_one,
		.usage = quorum_usage,
	};

	return parse_keywords(&kw, argc, argv, c->given, c);
}

int quorum_conf_from_msg(const struct nlmsghdr *nlh, struct quorum_conf *c)
{
	const struct nlattr *tb[HEARTBEAT_A_QUORUM_MAX + 1];

	memset(c, 0, sizeof(*c));
	if (attr_parse_msg(nlh, tb, quorum_policy, HEARTBEAT_A_QUORUM_MAX) ||
	    !tb[HEARTBEAT_A_QUORUM_EXPECTED_VOTES])
		return -EPROTO;
	c->expected = mnl_attr_get_u32(tb[HEARTBEAT_A_QUORUM_EXPECTED_VOTES]);
	c->given[ARG_EXPECTED] = true;
	if (tb[HEARTBEAT_A_QUORUM_TIE_BREAKER]) {
		c->tie_breaker = mnl_attr_get_u8(tb[HEARTBEAT_A_QUORUM_TIE_BREAKER]);
		c->given[ARG_TIE_BREAKER] = true;
	}
	if (tb[HEARTBEAT_A_QUORUM_WAIT_FOR_ALL]) {
		c->wait_for_all = mnl_attr_get_u8(tb[HEARTBEAT_A_QUORUM_WAIT_FOR_ALL]);
		c->given[ARG_WAIT_FOR_ALL] = true;
	}
	return 0;
}

int quorum_conf_send(const struct quorum_conf *c)
{
	struct nlmsghdr *nlh;
	char buf[32];

	if (!c->given[ARG_EXPECTED] && !c->given[ARG_TIE_BREAKER] &&
	    !c->given[ARG_WAIT_FOR_ALL])
		return 0;
	nlh = genl_msg_start(HEARTBEAT_CMD_QUORUM_SET, NLM_F_ACK);
	if (c->given[ARG_EXPECTED]) {
		mnl_attr_put_u32(nlh, HEARTBEAT_A_QUORUM_EXPECTED_VOTES,
				 c->expected);
		if (c->expected)
			refused_note_u32(HEARTBEAT_A_QUORUM_EXPECTED_VOTES,
					 quorum_keys[ARG_EXPECTED], c->expected);
		else
			refused_note(HEARTBEAT_A_QUORUM_EXPECTED_VOTES,
				     quorum_keys[ARG_EXPECTED], "off");
	}
	if (c->given[ARG_TIE_BREAKER]) {
		mnl_attr_put_u8(nlh, HEARTBEAT_A_QUORUM_TIE_BREAKER,
				c->tie_breaker);
		refused_note(HEARTBEAT_A_QUORUM_TIE_BREAKER,
			     quorum_keys[ARG_TIE_BREAKER],
			     tie_breaker_name(c->tie_breaker, buf, sizeof(buf)));
	}
	if (c->given[ARG_WAIT_FOR_ALL]) {
		mnl_attr_put_u8(nlh, HEARTBEAT_A_QUORUM_WAIT_FOR_ALL,
				c->wait_for_all);
		refused_note(HEARTBEAT_A_QUORUM_WAIT_FOR_ALL,
			     quorum_keys[ARG_WAIT_FOR_ALL],
			     c->wait_for_all ? "on" : "off");
	}
	return genl_talk(nlh, NULL, NULL);
}

/* " expected-votes 3 tie-breaker lowest wait-for-all off", those given. */
void quorum_conf_print(FILE *fp, const struct quorum_conf *c)
{
	char buf[32];

	if (c->given[ARG_EXPECTED] && c->expected)
		fprintf(fp, " expected-votes %u", c->expected);
	else if (c->given[ARG_EXPECTED])
		fprintf(fp, " expected-votes off");
	if (c->given[ARG_TIE_BREAKER])
		fprintf(fp, " tie-breaker %s",
			tie_breaker_name(c->tie_breaker, buf, sizeof(buf)));
	if (c->given[ARG_WAIT_FOR_ALL])
		fprintf(fp, " wait-for-all %s", c->wait_for_all ? "on" : "off");
}

static int quorum_set(int argc, char **argv)
{
	struct quorum_conf c = {};
	int ret;

	if (argc < 1) {
		fprintf(stderr,
			"Error: nothing to set, see \"hbctl quorum help\".\n");
		return HB_EXIT_USAGE;
	}
	ret = quorum_conf_parse(argc, argv, &c);
	if (ret >= 0)
		return ret;

	if (genl_open())
		return HB_EXIT_KERNEL;
	ret = quorum_conf_send(&c);
	genl_close();
	return ret ? HB_EXIT_KERNEL : HB_EXIT_OK;
}

/* "show" first: a bare "s" must never modify anything. */
static const struct hb_cmd quorum_cmds[] = {
	{ "show", quorum_show },
	{ "set", quorum_set },
	{ NULL, NULL },
};

int do_quorum(int argc, char **argv)
{
	return cmd_dispatch("quorum", quorum_cmds, quorum_usage, argc, argv);
}
