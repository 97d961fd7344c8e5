// SPDX-License-Identifier: GPL-2.0-only
/*
 * hbctl app (readiness gates): show's text and JSON, the monitor's ready
 * and app events, peer show's readiness, and the command lines with the
 * requests they build. Linked against genl_stub.c: nothing reaches a kernel.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "kselftest_harness.h"

#include "app_replies.h"
#include "capture.h"
#include "genl_stub.h"
#include "hbctl.h"
#include "utils.h"

#define MAX_ARGS	12

FIXTURE(app)
{
	struct capture c;
	unsigned long count;
	char *err;
	size_t err_len;
	char line[256];
	char msg[REPLY_BUFSZ] __attribute__((aligned(4)));
	char msg2[REPLY_BUFSZ] __attribute__((aligned(4)));
};

FIXTURE_SETUP(app)
{
	memset(&self->c, 0, sizeof(self->c));
	memset(self->msg, 0, sizeof(self->msg));
	memset(&stub, 0, sizeof(stub));
	self->count = 0;
	self->err = NULL;
}

FIXTURE_TEARDOWN(app)
{
	capture_end(&self->c);
	free(self->err);
}

static const char *show(FIXTURE_DATA(app) *self, bool json,
			int (*cb)(const struct nlmsghdr *, void *),
			const struct nlmsghdr *nlh, int *ret)
{
	bool open = false;

	capture_start(&self->c, json, false);
	errno = 0;
	*ret = cb(nlh, &open);
	json_list_end(open, *ret != MNL_CB_OK);
	return capture_text(&self->c);
}

static const char *event(FIXTURE_DATA(app) *self, bool json,
			 const struct nlmsghdr *nlh)
{
	capture_start(&self->c, json, false);
	if (monitor_event_cb(nlh, &self->count) != MNL_CB_OK)
		return "not MNL_CB_OK";
	return capture_text(&self->c);
}

/* "hbctl app @args", output and stderr captured; returns the exit status. */
static int run(FIXTURE_DATA(app) *self, const char *args, bool json)
{
	char *argv[MAX_ARGS], *save = NULL, *tok;
	FILE *saved = stderr;
	int argc = 0, rc;

	snprintf(self->line, sizeof(self->line), "%s", args);
	for (tok = strtok_r(self->line, " ", &save); tok && argc < MAX_ARGS;
	     tok = strtok_r(NULL, " ", &save))
		argv[argc++] = tok;
	capture_start(&self->c, json, false);
	free(self->err);
	self->err = NULL;
	stderr = open_memstream(&self->err, &self->err_len);
	rc = do_app(argc, argv);
	fclose(stderr);
	stderr = saved;
	return rc;
}

#define ASSERT_USAGE(args, text) do {					\
	ASSERT_EQ(HB_EXIT_USAGE, run(self, args, false)) TH_LOG("%s", args); \
	ASSERT_STREQ(text, self->err) TH_LOG("%s", args);		\
	ASSERT_EQ(0, stub.opened) TH_LOG("%s", args);			\
} while (0)

static const struct nlattr *req_attr(int type)
{
	const struct nlattr *attr;

	mnl_attr_for_each(attr, stub.req, GENL_HDRLEN)
		if (mnl_attr_get_type(attr) == type)
			return attr;
	return NULL;
}

static unsigned int req_nattrs(void)
{
	const struct nlattr *attr;
	unsigned int n = 0;

	mnl_attr_for_each(attr, stub.req, GENL_HDRLEN)
		n++;
	return n;
}

TEST_F(app, show_text)
{
	int ret;

	ASSERT_STREQ("db              ready    timeout 300ms  action notready"
		     "  kicked 12ms ago  kicks 1520  expiries 1\n",
		     show(self, false, app_show_cb,
			  app_reply(self->msg, "db", 1, HEARTBEAT_APP_NOTREADY),
			  &ret));
	ASSERT_EQ(MNL_CB_OK, ret);
	ASSERT_STREQ("web             expired  timeout 300ms  action silence"
		     "  kicked 12ms ago  kicks 1520  expiries 1\n",
		     show(self, false, app_show_cb,
			  app_reply(self->msg, "web", 0, HEARTBEAT_APP_SILENCE),
			  &ret));
}

TEST_F(app, show_json)
{
	int ret;

	ASSERT_STREQ("[{\"name\":\"db\",\"state\":\"expired\",\"timeout_us\":300000,"
		     "\"action\":\"silence\",\"since_kick_us\":12000,"
		     "\"kicks\":1520,\"expiries\":1}]\n",
		     show(self, true, app_show_cb,
			  app_reply(self->msg, "db", 0, HEARTBEAT_APP_SILENCE),
			  &ret));
	ASSERT_EQ(MNL_CB_OK, ret);
}

/* An action newer than hbctl is named, never a bare number. */
TEST_F(app, show_unknown_action)
{
	int ret;

	ASSERT_NE(NULL, strstr(show(self, false, app_show_cb,
				    app_reply(self->msg, "db", 1, 7), &ret),
			       "action action-7"));
}

TEST_F(app, show_without_a_name_is_malformed)
{
	struct nlmsghdr *nlh = reply_start(self->msg, HEARTBEAT_CMD_APP_GET);
	int ret;

	mnl_attr_put_u8(nlh, HEARTBEAT_A_APP_READY, 1);
	ASSERT_STREQ("", show(self, false, app_show_cb, nlh, &ret));
	ASSERT_EQ(MNL_CB_ERROR, ret);
	ASSERT_EQ(EPROTO, errno);
}

TEST_F(app, ready_events)
{
	ASSERT_STREQ("1795744536.250595520 peer 2 not ready (alive)\n",
		     event(self, false, event_ready(self->msg, 2, 0)));
	ASSERT_STREQ("{\"event\":\"peer-ready\",\"id\":2,\"ready\":true,"
		     "\"state\":\"alive\",\"time_ns\":1795744536250595520,\"time_ns_str\":\"1795744536250595520\","
		     "\"incarnation\":1795744536250595520,\"incarnation_str\":\"1795744536250595520\"}\n",
		     event(self, true, event_ready(self->msg, 2, 1)));
	ASSERT_EQ(2UL, self->count);
}

TEST_F(app, app_events)
{
	ASSERT_STREQ("1795744536.250595520 app db expired (notready): node not ready\n",
		     event(self, false, event_app(self->msg, "db", 0,
						  HEARTBEAT_APP_NOTREADY, 0, 0)));
	ASSERT_STREQ("1795744536.250595520 app web expired (silence): node silent\n",
		     event(self, false, event_app(self->msg, "web", 0,
						  HEARTBEAT_APP_SILENCE, 0, 1)));
	ASSERT_STREQ("1795744536.250595520 app db ready: node ready\n",
		     event(self, false, event_app(self->msg, "db", 1,
						  HEARTBEAT_APP_NOTREADY, 1, 0)));
	ASSERT_STREQ("{\"event\":\"app\",\"name\":\"web\",\"ready\":false,"
		     "\"action\":\"silence\",\"node_ready\":false,\"silent\":true,"
		     "\"time_ns\":1795744536250595520,\"time_ns_str\":\"1795744536250595520\"}\n",
		     event(self, true, event_app(self->msg, "web", 0,
						 HEARTBEAT_APP_SILENCE, 0, 1)));
	ASSERT_EQ(4UL, self->count);
}

/* An event without what it needs is skipped, not printed half. */
TEST_F(app, incomplete_app_event)
{
	struct nlmsghdr *nlh = reply_start(self->msg, HEARTBEAT_CMD_PEER_EVENT);

	mnl_attr_put_u8(nlh, HEARTBEAT_A_EVENT_TYPE, HEARTBEAT_EVENT_APP);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_EVENT_TIME_NS, EXAMPLE_TIME_NS);
	ASSERT_STREQ("", event(self, false, nlh));
	ASSERT_EQ(0UL, self->count);
}

TEST_F(app, peer_readiness)
{
	struct nlmsghdr *nlh = peer_reply(self->msg);
	int ret;

	mnl_attr_put_u8(nlh, HEARTBEAT_A_PEER_READY, 0);
	ASSERT_STREQ("2          alive    not-ready seen 3ms ago  rx 1234  lost 0"
		     "  incarnation 1795744536250595520  links lo\n",
		     show(self, false, peer_show_cb, nlh, &ret));
	ASSERT_NE(NULL, strstr(show(self, true, peer_show_cb, nlh, &ret),
			       "\"state\":\"alive\",\"ready\":false,"));
	nlh = peer_reply(self->msg2);
	mnl_attr_put_u8(nlh, HEARTBEAT_A_PEER_READY, 1);
	ASSERT_STREQ("2          alive    seen 3ms ago  rx 1234  lost 0"
		     "  incarnation 1795744536250595520  links lo\n",
		     show(self, false, peer_show_cb, nlh, &ret));
	ASSERT_NE(NULL, strstr(show(self, true, peer_show_cb, nlh, &ret),
			       "\"ready\":true"));
}

TEST_F(app, usage_errors)
{
	ASSERT_USAGE("add", "Error: argument \"NAME\" is required\n");
	ASSERT_USAGE("add db", "Error: argument \"timeout\" is required\n");
	ASSERT_USAGE("kick", "Error: argument \"NAME\" is required\n");
	ASSERT_USAGE("del", "Error: argument \"NAME\" is required\n");
	ASSERT_USAGE("add db timeout 9ms",
		     "Error: argument \"9ms\" is wrong: timeout must be from 10ms to 3600s\n");
	ASSERT_USAGE("add db timeout 3600.001s",
		     "Error: argument \"3600.001s\" is wrong: timeout must be from 10ms to 3600s\n");
	ASSERT_USAGE("add db timeout 300",
		     "Error: argument \"300\" is wrong: timeout needs a duration with a unit, like 10ms, 1.5s or 500us\n");
	ASSERT_USAGE("add db timeout 1s action reboot",
		     "Error: argument \"reboot\" is wrong: action must be notready or silence\n");
	ASSERT_USAGE("add db timeout 1s timeout 2s",
		     "Error: argument \"2s\" is wrong: timeout given twice\n");
	ASSERT_USAGE("add abcdefghijklmnopqrstuvwxyz012345 timeout 1s",
		     "Error: argument \"abcdefghijklmnopqrstuvwxyz012345\" is wrong: an app name is 1 to 31 characters\n");
	ASSERT_USAGE("add d\x01 timeout 1s",
		     "Error: argument \"d\x01\" is wrong: an app name is printable characters without spaces\n");
	ASSERT_USAGE("kick db timeout 1s",
		     "Error: \"timeout\" is not a valid keyword\n");
	ASSERT_USAGE("show db db", "Error: \"db\" is not a valid keyword\n");
	ASSERT_USAGE("frob", "Command \"frob\" is unknown, try \"hbctl app help\".\n");
}

TEST_F(app, help)
{
	ASSERT_EQ(HB_EXIT_OK, run(self, "help", false));
	ASSERT_EQ(HB_EXIT_OK, run(self, "add help", false));
	ASSERT_EQ(0, stub.opened);
}

TEST_F(app, add_builds_the_request)
{
	ASSERT_EQ(HB_EXIT_OK, run(self, "add db timeout 300ms action silence", false));
	ASSERT_EQ(HEARTBEAT_CMD_APP_ADD, stub.cmds[0]);
	ASSERT_TRUE(stub.flags[0] & NLM_F_ACK);
	ASSERT_EQ(3U, req_nattrs());
	ASSERT_STREQ("db", mnl_attr_get_str(req_attr(HEARTBEAT_A_APP_NAME)));
	/* With its NUL: the kernel takes either. */
	ASSERT_EQ(3, mnl_attr_get_payload_len(req_attr(HEARTBEAT_A_APP_NAME)));
	ASSERT_EQ(300000U, mnl_attr_get_u32(req_attr(HEARTBEAT_A_APP_TIMEOUT_US)));
	ASSERT_EQ(HEARTBEAT_APP_SILENCE,
		  mnl_attr_get_u8(req_attr(HEARTBEAT_A_APP_ACTION)));
	/* The default action is the kernel's. */
	ASSERT_EQ(HB_EXIT_OK, run(self, "add db timeout 3600s", false));
	ASSERT_EQ(2U, req_nattrs());
	ASSERT_EQ(3600000000U, mnl_attr_get_u32(req_attr(HEARTBEAT_A_APP_TIMEOUT_US)));
}

TEST_F(app, kick_del_and_show_name_the_gate)
{
	ASSERT_EQ(HB_EXIT_OK, run(self, "kick db", false));
	ASSERT_EQ(HEARTBEAT_CMD_APP_KICK, stub.cmds[0]);
	ASSERT_EQ(1U, req_nattrs());
	ASSERT_STREQ("db", mnl_attr_get_str(req_attr(HEARTBEAT_A_APP_NAME)));
	ASSERT_EQ(HB_EXIT_OK, run(self, "del db", false));
	ASSERT_EQ(HEARTBEAT_CMD_APP_DEL, stub.cmds[1]);
	ASSERT_EQ(1U, req_nattrs());
	ASSERT_EQ(HB_EXIT_OK, run(self, "show db", false));
	ASSERT_EQ(HEARTBEAT_CMD_APP_GET, stub.cmds[2]);
	ASSERT_FALSE(stub.flags[2] & NLM_F_DUMP);
	ASSERT_EQ(HB_EXIT_OK, run(self, "", false));
	ASSERT_EQ(HEARTBEAT_CMD_APP_GET, stub.cmds[3]);
	ASSERT_EQ(NLM_F_DUMP, stub.flags[3] & NLM_F_DUMP);
	ASSERT_EQ(0U, req_nattrs());
}

/* A dump prints a JSON array; a refused request prints nothing. */
TEST_F(app, show_dump_and_refusal)
{
	stub.replies[0] = app_reply(self->msg, "db", 1, HEARTBEAT_APP_NOTREADY);
	stub.replies[1] = app_reply(self->msg2, "web", 0, HEARTBEAT_APP_SILENCE);
	ASSERT_EQ(HB_EXIT_OK, run(self, "show", true));
	ASSERT_STREQ("[{\"name\":\"db\",\"state\":\"ready\",\"timeout_us\":300000,"
		     "\"action\":\"notready\",\"since_kick_us\":12000,\"kicks\":1520,"
		     "\"expiries\":1},{\"name\":\"web\",\"state\":\"expired\","
		     "\"timeout_us\":300000,\"action\":\"silence\",\"since_kick_us\":12000,"
		     "\"kicks\":1520,\"expiries\":1}]\n", capture_text(&self->c));
	memset(&stub, 0, sizeof(stub));
	stub.talk_ret = -ENOENT;
	ASSERT_EQ(HB_EXIT_KERNEL, run(self, "kick nope", false));
	ASSERT_STREQ("", capture_text(&self->c));
}

TEST_HARNESS_MAIN
