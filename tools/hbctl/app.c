// SPDX-License-Identifier: GPL-2.0-only
/*
 * hbctl app: application readiness gates (Documentation/apps.rst). An
 * application kicks its gate within the gate's timeout; while a gate is
 * expired this node's heartbeats say "not ready" (action notready) or stop
 * altogether (action silence).
 *
 *   hbctl app add NAME timeout DURATION [ action notready|silence ]
 *   hbctl app del NAME
 *   hbctl app show [ NAME ]
 *   hbctl app kick NAME
 */
#include <errno.h>
#include <inttypes.h>
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

static void app_usage(FILE *fp)
{
	fprintf(fp,
		"Usage: hbctl app [ show [ NAME ] ]\n"
		"       hbctl app add NAME timeout DURATION [ action ACTION ]\n"
		"       hbctl app del NAME\n"
		"       hbctl app kick NAME\n"
		"       hbctl app help\n"
		"where  NAME := 1 to %u printable characters, no spaces\n"
		"       DURATION := 10ms .. 3600s, as 300ms, 1.5s, 20s\n"
		"       ACTION := { notready | silence }  (default notready)\n",
		HEARTBEAT_APP_NAME_MAX);
}

static const struct attr_policy app_policy[HEARTBEAT_A_APP_MAX + 1] = {
	[HEARTBEAT_A_APP_NAME] = { MNL_TYPE_NUL_STRING },
	[HEARTBEAT_A_APP_TIMEOUT_US] = { MNL_TYPE_U32 },
	[HEARTBEAT_A_APP_ACTION] = { MNL_TYPE_U8 },
	[HEARTBEAT_A_APP_READY] = { MNL_TYPE_U8 },
	[HEARTBEAT_A_APP_SINCE_KICK_US] = { MNL_TYPE_U64 },
	[HEARTBEAT_A_APP_KICKS] = { MNL_TYPE_U64 },
	[HEARTBEAT_A_APP_EXPIRIES] = { MNL_TYPE_U64 },
};

const char *app_action_name(unsigned int action, char *buf, size_t len)
{
	return value_name(hb_app_action_name(action), "action", action, buf,
			  len);
}

/*
 * "db  ready  timeout 300ms  action notready  kicked 12ms ago  kicks 5
 * expiries 0"; JSON has the same members, durations in microseconds.
 */
int app_show_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[HEARTBEAT_A_APP_MAX + 1];
	static const int need[] = {
		HEARTBEAT_A_APP_NAME, HEARTBEAT_A_APP_TIMEOUT_US,
		HEARTBEAT_A_APP_ACTION, HEARTBEAT_A_APP_READY,
	};
	char buf[DURATION_BUFSZ + 8], abuf[16];
	unsigned int i;
	uint64_t us;

	if (attr_parse_msg(nlh, tb, app_policy, HEARTBEAT_A_APP_MAX))
		return MNL_CB_ERROR;
	for (i = 0; i < ARRAY_SIZE(need); i++) {
		if (!tb[need[i]]) {
			errno = EPROTO;
			return MNL_CB_ERROR;
		}
	}

	json_list_item(data);
	open_json_object(NULL);
	print_string(PRINT_ANY, "name", "%-15s ",
		     mnl_attr_get_str(tb[HEARTBEAT_A_APP_NAME]));
	print_string(PRINT_ANY, "state", "%-7s",
		     mnl_attr_get_u8(tb[HEARTBEAT_A_APP_READY]) ? "ready" :
								   "expired");
	print_duration(PRINT_ANY, "timeout_us", "  timeout %s",
		       mnl_attr_get_u32(tb[HEARTBEAT_A_APP_TIMEOUT_US]));
	print_string(PRINT_ANY, "action", "  action %s",
		     app_action_name(mnl_attr_get_u8(tb[HEARTBEAT_A_APP_ACTION]),
				     abuf, sizeof(abuf)));
	if (tb[HEARTBEAT_A_APP_SINCE_KICK_US]) {
		us = mnl_attr_get_u64(tb[HEARTBEAT_A_APP_SINCE_KICK_US]);
		print_u64(PRINT_JSON, "since_kick_us", NULL, us);
		format_age(us, buf, sizeof(buf));
		print_string(PRINT_FP, NULL, "  kicked %s ago", buf);
	}
	if (tb[HEARTBEAT_A_APP_KICKS])
		print_u64(PRINT_ANY, "kicks", "  kicks %" PRIu64,
			  mnl_attr_get_u64(tb[HEARTBEAT_A_APP_KICKS]));
	if (tb[HEARTBEAT_A_APP_EXPIRIES])
		print_u64(PRINT_ANY, "expiries", "  expiries %" PRIu64,
			  mnl_attr_get_u64(tb[HEARTBEAT_A_APP_EXPIRIES]));
	close_json_object();
	print_nl();
	return MNL_CB_OK;
}

/* The kernel's rule (kmod/gate.c), checked first for a clearer message. */
int app_name_check(const char *name)
{
	size_t n = strlen(name);
	const char *p;

	for (p = name; *p; p++) {
		if (*p < 0x21 || *p > 0x7e) {
			invarg(name, "an app name is printable characters without spaces");
			return -EINVAL;
		}
	}
	if (!n || n > HEARTBEAT_APP_NAME_MAX) {
		invarg(name, "an app name is 1 to %u characters",
		       HEARTBEAT_APP_NAME_MAX);
		return -EINVAL;
	}
	return 0;
}

enum app_arg { ARG_TIMEOUT, ARG_ACTION, __ARG_MAX };

static const char *const app_keys[__ARG_MAX] = {
	[ARG_TIMEOUT] = "timeout",
	[ARG_ACTION] = "action",
};

struct app_args {
	uint32_t timeout_us;
	uint8_t action;
	bool given[__ARG_MAX];
};

static int parse_one(unsigned int k, const char *arg, void *ctx)
{
	struct app_args *a = ctx;
	unsigned int i;

	if (k == ARG_TIMEOUT) {
		return parse_range(&range_app_timeout, arg, &a->timeout_us);
	}
	for (i = 0; i < hb_app_action_count(); i++) {
		if (hb_app_action_name(i) && !strcmp(arg, hb_app_action_name(i))) {
			a->action = i;
			return 0;
		}
	}
	invarg(arg, "action must be notready or silence");
	return -EINVAL;
}

/*
 * NAME, then (for add) keywords. Returns -1 to go on, or the exit status
 * to stop with (help included). @name may be NULL: none given (show).
 */
static int parse_app_args(int argc, char **argv, const char **name,
			  struct app_args *a, unsigned int nkeys)
{
	const struct keywords kw = {
		.keys = app_keys,
		.nkeys = nkeys,
		.one = parse_one,
		.usage = app_usage,
	};

	memset(a, 0, sizeof(*a));
	*name = NULL;
	if (argc > 0 && !strcmp(argv[0], "help")) {
		app_usage(stdout);
		return HB_EXIT_OK;
	}
	if (argc > 0) {
		*name = argv[0];
		if (app_name_check(*name))
			return HB_EXIT_USAGE;
		argc--;
		argv++;
	}
	return parse_keywords(&kw, argc, argv, a->given, a);
}

static int need_name(const char *name)
{
	if (name)
		return -1;
	missarg("NAME");
	return HB_EXIT_USAGE;
}

static int app_show(int argc, char **argv)
{
	struct nlmsghdr *nlh;
	struct app_args a;
	const char *name;
	bool open = false;
	int ret;

	ret = parse_app_args(argc, argv, &name, &a, 0);
	if (ret >= 0)
		return ret;
	if (genl_open())
		return HB_EXIT_KERNEL;
	nlh = genl_msg_start(HEARTBEAT_CMD_APP_GET, name ? 0 : NLM_F_DUMP);
	if (name)
		mnl_attr_put_strz(nlh, HEARTBEAT_A_APP_NAME, name);
	ret = genl_talk(nlh, app_show_cb, &open);
	json_list_end(open, ret);
	genl_close();
	return ret ? HB_EXIT_KERNEL : HB_EXIT_OK;
}

/* Each with the words it came from, for a refusal (refused.h). */
static void put_timeout(struct nlmsghdr *nlh, uint32_t us)
{
	char buf[DURATION_BUFSZ];

	mnl_attr_put_u32(nlh, HEARTBEAT_A_APP_TIMEOUT_US, us);
	format_duration(us, buf, sizeof(buf));
	refused_note(HEARTBEAT_A_APP_TIMEOUT_US, app_keys[ARG_TIMEOUT], buf);
}

static void put_action(struct nlmsghdr *nlh, uint8_t action)
{
	char buf[16];

	mnl_attr_put_u8(nlh, HEARTBEAT_A_APP_ACTION, action);
	refused_note(HEARTBEAT_A_APP_ACTION, app_keys[ARG_ACTION],
		     app_action_name(action, buf, sizeof(buf)));
}

static int app_request(uint8_t cmd, const char *name, const struct app_args *a)
{
	struct nlmsghdr *nlh;
	int ret;

	if (genl_open())
		return HB_EXIT_KERNEL;
	nlh = genl_msg_start(cmd, NLM_F_ACK);
	mnl_attr_put_strz(nlh, HEARTBEAT_A_APP_NAME, name);
	if (a && a->given[ARG_TIMEOUT])
		put_timeout(nlh, a->timeout_us);
	if (a && a->given[ARG_ACTION])
		put_action(nlh, a->action);
	ret = genl_talk(nlh, NULL, NULL);
	genl_close();
	return ret ? HB_EXIT_KERNEL : HB_EXIT_OK;
}

int app_conf_parse(int argc, char **argv, struct app_conf *c)
{
	struct app_args a;
	const char *name;
	int ret;

	ret = parse_app_args(argc, argv, &name, &a, __ARG_MAX);
	if (ret >= 0)
		return ret;
	ret = need_name(name);
	if (ret >= 0)
		return ret;
	if (!a.given[ARG_TIMEOUT]) {
		missarg("timeout");
		return HB_EXIT_USAGE;
	}
	memset(c, 0, sizeof(*c));
	strcpy(c->name, name);
	c->timeout_us = a.timeout_us;
	/* Not given is the kernel's default, notready. */
	c->action = a.given[ARG_ACTION] ? a.action : HEARTBEAT_APP_NOTREADY;
	return -1;
}

int app_conf_from_msg(const struct nlmsghdr *nlh, struct app_conf *c)
{
	const struct nlattr *tb[HEARTBEAT_A_APP_MAX + 1];

	memset(c, 0, sizeof(*c));
	if (attr_parse_msg(nlh, tb, app_policy, HEARTBEAT_A_APP_MAX) ||
	    !tb[HEARTBEAT_A_APP_NAME] || !tb[HEARTBEAT_A_APP_TIMEOUT_US] ||
	    !tb[HEARTBEAT_A_APP_ACTION] ||
	    strlen(mnl_attr_get_str(tb[HEARTBEAT_A_APP_NAME])) >= sizeof(c->name))
		return -EPROTO;
	strcpy(c->name, mnl_attr_get_str(tb[HEARTBEAT_A_APP_NAME]));
	c->timeout_us = mnl_attr_get_u32(tb[HEARTBEAT_A_APP_TIMEOUT_US]);
	c->action = mnl_attr_get_u8(tb[HEARTBEAT_A_APP_ACTION]);
	return 0;
}

int app_conf_send(uint8_t cmd, const struct app_conf *c)
{
	struct nlmsghdr *nlh;

	nlh = genl_msg_start(cmd, NLM_F_ACK);
	mnl_attr_put_strz(nlh, HEARTBEAT_A_APP_NAME, c->name);
	if (cmd == HEARTBEAT_CMD_APP_ADD) {
		put_timeout(nlh, c->timeout_us);
		put_action(nlh, c->action);
	}
	return genl_talk(nlh, NULL, NULL);
}

static int app_add(int argc, char **argv)
{
	struct app_args a;
	const char *name;
	int ret;

	ret = parse_app_args(argc, argv, &name, &a, __ARG_MAX);
	if (ret >= 0)
		return ret;
	ret = need_name(name);
	if (ret >= 0)
		return ret;
	if (!a.given[ARG_TIMEOUT]) {
		missarg("timeout");
		return HB_EXIT_USAGE;
	}
	return app_request(HEARTBEAT_CMD_APP_ADD, name, &a);
}

/* del and kick: a name and nothing else. */
static int app_named(int argc, char **argv, uint8_t cmd)
{
	struct app_args a;
	const char *name;
	int ret;

	ret = parse_app_args(argc, argv, &name, &a, 0);
	if (ret >= 0)
		return ret;
	ret = need_name(name);
	if (ret >= 0)
		return ret;
	return app_request(cmd, name, NULL);
}

static int app_del(int argc, char **argv)
{
	return app_named(argc, argv, HEARTBEAT_CMD_APP_DEL);
}

static int app_kick(int argc, char **argv)
{
	return app_named(argc, argv, HEARTBEAT_CMD_APP_KICK);
}

int do_app(int argc, char **argv)
{
	/* "show" first: a bare "s" must never modify anything. */
	static const struct hb_cmd cmds[] = {
		{ "show", app_show },
		{ "add", app_add },
		{ "del", app_del },
		{ "kick", app_kick },
		{ NULL, NULL },
	};

	return cmd_dispatch("app", cmds, app_usage, argc, argv);
}

/* ---- monitor ------------------------------------------------------- */

/*
 * A peer's frames changed their word: "peer 2 not ready (alive)", "peer 2
 * ready (alive)"; the state is the peer's at that moment.
 */
bool print_ready_event(const struct nlattr **tb)
{
	static const int need[] = {
		HEARTBEAT_A_EVENT_PEER, HEARTBEAT_A_EVENT_READY,
		HEARTBEAT_A_EVENT_TIME_NS, HEARTBEAT_A_EVENT_INCARNATION,
	};
	char sbuf[16];
	bool ready;

	if (!all_present(tb, need, ARRAY_SIZE(need)))
		return false;
	ready = mnl_attr_get_u8(tb[HEARTBEAT_A_EVENT_READY]);
	open_json_object(NULL);
	print_event_head(tb, "peer-ready");
	print_time(tb[HEARTBEAT_A_EVENT_TIME_NS]);
	print_u32(PRINT_ANY, "id", "peer %u",
		  mnl_attr_get_u32(tb[HEARTBEAT_A_EVENT_PEER]));
	print_bool(PRINT_JSON, "ready", NULL, ready);
	print_string(PRINT_FP, NULL, "%s", ready ? " ready" : " not ready");
	if (tb[HEARTBEAT_A_EVENT_STATE])
		print_string(PRINT_ANY, "state", " (%s)",
			     peer_state_name(mnl_attr_get_u8(tb[HEARTBEAT_A_EVENT_STATE]),
					     sbuf, sizeof(sbuf)));
	print_u64_exact(PRINT_JSON, "time_ns", NULL,
			mnl_attr_get_u64(tb[HEARTBEAT_A_EVENT_TIME_NS]));
	print_u64_exact(PRINT_JSON, "incarnation", NULL,
			mnl_attr_get_u64(tb[HEARTBEAT_A_EVENT_INCARNATION]));
	close_json_object();
	print_nl();
	return true;
}

/*
 * A gate of this node expired, or stopped holding it back: "app db
 * expired (notready): node not ready", "app db ready: node ready",
 * "app web expired (silence): node silent".
 */
bool print_app_event(const struct nlattr **tb)
{
	static const int need[] = {
		HEARTBEAT_A_EVENT_APP_NAME, HEARTBEAT_A_EVENT_READY,
		HEARTBEAT_A_EVENT_APP_ACTION, HEARTBEAT_A_EVENT_NODE_READY,
		HEARTBEAT_A_EVENT_SILENT, HEARTBEAT_A_EVENT_TIME_NS,
	};
	bool ready, node_ready, silent;
	const char *action;
	char abuf[16];

	if (!all_present(tb, need, ARRAY_SIZE(need)))
		return false;
	ready = mnl_attr_get_u8(tb[HEARTBEAT_A_EVENT_READY]);
	node_ready = mnl_attr_get_u8(tb[HEARTBEAT_A_EVENT_NODE_READY]);
	silent = mnl_attr_get_u8(tb[HEARTBEAT_A_EVENT_SILENT]);
	open_json_object(NULL);
	print_event_head(tb, "app");
	print_time(tb[HEARTBEAT_A_EVENT_TIME_NS]);
	print_string(PRINT_ANY, "name", "app %s",
		     mnl_attr_get_str(tb[HEARTBEAT_A_EVENT_APP_NAME]));
	print_bool(PRINT_JSON, "ready", NULL, ready);
	print_string(PRINT_FP, NULL, "%s", ready ? " ready" : " expired");
	action = app_action_name(mnl_attr_get_u8(tb[HEARTBEAT_A_EVENT_APP_ACTION]),
				 abuf, sizeof(abuf));
	print_string(PRINT_JSON, "action", NULL, action);
	if (!ready)
		print_string(PRINT_FP, NULL, " (%s)", action);
	print_bool(PRINT_JSON, "node_ready", NULL, node_ready);
	print_bool(PRINT_JSON, "silent", NULL, silent);
	print_string(PRINT_FP, NULL, ": node %s",
		     silent ? "silent" : node_ready ? "ready" : "not ready");
	print_u64_exact(PRINT_JSON, "time_ns", NULL,
			mnl_attr_get_u64(tb[HEARTBEAT_A_EVENT_TIME_NS]));
	close_json_object();
	print_nl();
	return true;
}
