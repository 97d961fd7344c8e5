// SPDX-License-Identifier: GPL-2.0-only
/*
 * hbctl top's snapshot (text and JSON) and command line, -V without the
 * module, and the keyword a kernel refusal names: the extack offset of a
 * request mapped back to the words that produced its attribute. Linked
 * against genl_stub.c, so nothing reaches a kernel; the live screen is
 * tested under a pseudo-terminal in the VM (selftests/test_hbctl_top.py).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "genl.h"
#include "genl_stub.h"
#include "hbctl.h"
#include "json_print.h"
#include "node_reply.h"
#include "refused.h"
#include "replies.h"
#include "utils.h"
#include "version.h"

#define MAX_ARGS	16

FIXTURE(top)
{
	char *err;
	size_t err_len;
	char line[256];
	char out[4096];
	char node[REPLY_BUFSZ] __attribute__((aligned(4)));
	char p2[REPLY_BUFSZ] __attribute__((aligned(4)));
	char p3[REPLY_BUFSZ] __attribute__((aligned(4)));
	char p10[REPLY_BUFSZ] __attribute__((aligned(4)));
};

FIXTURE_SETUP(top)
{
	memset(&stub, 0, sizeof(stub));
	self->err = NULL;
}

FIXTURE_TEARDOWN(top)
{
	free(self->err);
	print_init(stdout, false, false);
}

/*
 * "hbctl [-j] OBJECT @args": the handler's stdout (a file, never a
 * terminal, as in a pipe) and stderr captured.
 */
static int run(FIXTURE_DATA(top) *self, int (*object)(int, char **),
	       const char *args, bool json)
{
	char *argv[MAX_ARGS], *save = NULL, *tok;
	FILE *saved_err = stderr, *tmp = tmpfile();
	int argc = 0, rc, saved;
	ssize_t n;

	if (!tmp)
		return -1;
	snprintf(self->line, sizeof(self->line), "%s", args);
	for (tok = strtok_r(self->line, " ", &save); tok && argc < MAX_ARGS;
	     tok = strtok_r(NULL, " ", &save))
		argv[argc++] = tok;
	free(self->err);
	self->err = NULL;
	stderr = open_memstream(&self->err, &self->err_len);
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	dup2(fileno(tmp), STDOUT_FILENO);
	print_init(stdout, json, false);
	rc = object(argc, argv);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	fclose(stderr);
	stderr = saved_err;
	n = pread(fileno(tmp), self->out, sizeof(self->out) - 1, 0);
	self->out[n > 0 ? n : 0] = '\0';
	fclose(tmp);
	return rc;
}

static void put_channel(struct nlmsghdr *nlh, const char *name, uint8_t up)
{
	struct nlattr *ch = mnl_attr_nest_start(nlh, 0);

	mnl_attr_put_strz(nlh, HEARTBEAT_A_CHANNEL_NAME, name);
	mnl_attr_put_u8(nlh, HEARTBEAT_A_CHANNEL_UP, up);
	mnl_attr_nest_end(nlh, ch);
}

/*
 * Node 1 and three peers, sent out of order: 10 dead, 3 configured and
 * never heard, 2 alive with phi, a round trip and one of two channels up.
 */
static void three_peers(FIXTURE_DATA(top) *self)
{
	struct nlmsghdr *nlh;
	struct nlattr *chans;

	stub.replies[0] = node_reply_full(self->node, 1);
	stub.replies[1] = peer_reply_id(self->p10, 10, HEARTBEAT_STATE_DEAD);
	stub.replies[2] = peer_reply_configured(self->p3);
	nlh = peer_reply_phi(self->p2);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_PEER_RTT_MEAN_US, 150);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_PEER_CHANNELS_UP, 1);
	chans = mnl_attr_nest_start(nlh, HEARTBEAT_A_PEER_CHANNELS);
	put_channel(nlh, "eth0", 1);
	put_channel(nlh, "eth1", 0);
	mnl_attr_nest_end(nlh, chans);
	stub.replies[3] = nlh;
}

TEST_F(top, snapshot_text)
{
	three_peers(self);
	/* stdout is no terminal: one snapshot, no escape sequence */
	ASSERT_EQ(HB_EXIT_OK, run(self, do_top, "", false));
	ASSERT_STREQ("", self->err);
	ASSERT_STREQ("node 1  peers 3  alive 1  suspect 0  dead 1\n"
		     "PEER       STATE       PHI      RTT     SEEN LINKS\n"
		     "2          alive      0.42    150us      3ms   1/2\n"
		     "3          unknown       -        -    never     -\n"
		     "10         dead          -        -      3ms     -\n",
		     self->out);
	ASSERT_EQ(2, stub.talks);
	ASSERT_EQ(HEARTBEAT_CMD_NODE_GET, stub.cmds[0]);
	ASSERT_EQ(HEARTBEAT_CMD_PEER_GET, stub.cmds[1]);
	ASSERT_TRUE(stub.flags[1] & NLM_F_DUMP);
	/* "once" and an interval change nothing without a terminal */
	ASSERT_EQ(HB_EXIT_OK, run(self, do_top, "once interval 2s", false));
	ASSERT_EQ(NULL, strchr(self->out, '\033'));
	ASSERT_EQ(0, strncmp(self->out, "node 1  peers 3  alive 1", 24));
}

TEST_F(top, snapshot_without_peers)
{
	stub.replies[0] = node_reply_full(self->node, 0);
	ASSERT_EQ(HB_EXIT_OK, run(self, do_top, "o", false));
	ASSERT_STREQ("node none  peers 0  alive 0  suspect 0  dead 0\n"
		     "PEER       STATE       PHI      RTT     SEEN LINKS\n",
		     self->out);
}

TEST_F(top, snapshot_json)
{
	three_peers(self);
	ASSERT_EQ(HB_EXIT_OK, run(self, do_top, "", true));
	ASSERT_STREQ("[{\"id\":2,\"state\":\"alive\",\"phi\":0.423,"
		     "\"rtt_mean_us\":150,\"last_seen_us\":3012,\"links\":2,"
		     "\"links_up\":1},"
		     "{\"id\":3,\"state\":\"unknown\",\"last_seen_us\":null},"
		     "{\"id\":10,\"state\":\"dead\",\"last_seen_us\":3012}]\n",
		     self->out);
}

TEST_F(top, usage_and_kernel_errors)
{
	ASSERT_EQ(HB_EXIT_USAGE, run(self, do_top, "interval 50ms", false));
	ASSERT_STREQ("Error: argument \"50ms\" is wrong: interval must be from 100ms to 3600s\n",
		     self->err);
	ASSERT_EQ(HB_EXIT_USAGE, run(self, do_top, "interval 1", false));
	ASSERT_STREQ("Error: argument \"1\" is wrong: interval needs a duration with a unit, like 10ms, 1.5s or 500us\n",
		     self->err);
	ASSERT_EQ(HB_EXIT_USAGE, run(self, do_top, "interval", false));
	ASSERT_STREQ("Error: argument \"interval\" is wrong: missing value\n",
		     self->err);
	ASSERT_EQ(HB_EXIT_USAGE, run(self, do_top, "interval 1s interval 2s", false));
	ASSERT_STREQ("Error: argument \"2s\" is wrong: interval given twice\n",
		     self->err);
	ASSERT_EQ(HB_EXIT_USAGE, run(self, do_top, "peers", false));
	ASSERT_STREQ("Error: \"peers\" is not a valid keyword\n", self->err);
	ASSERT_EQ(0, stub.opened);
	ASSERT_EQ(HB_EXIT_OK, run(self, do_top, "help", false));
	ASSERT_EQ(0, strncmp(self->out, "Usage: hbctl top [ interval DURATION ] [ once ]\n", 48));

	/* a refused dump prints its error and nothing of a table */
	stub.fail_cmd = HEARTBEAT_CMD_PEER_GET;
	stub.fail_cmd_ret = -EPERM;
	ASSERT_EQ(HB_EXIT_KERNEL, run(self, do_top, "", false));
	ASSERT_STREQ("", self->out);
	ASSERT_STREQ("Error: Operation not permitted.\n", self->err);
	stub.fail_cmd = 0;
	stub.open_ret = -ENOENT;
	ASSERT_EQ(HB_EXIT_KERNEL, run(self, do_top, "", false));
}

TEST_F(top, version_without_module)
{
	stub.open_ret = -ENOENT;
	ASSERT_EQ(HB_EXIT_OK, run(self, do_version, "", false));
	ASSERT_STREQ("hbctl " HBCTL_VERSION "  module not loaded\n", self->out);
	ASSERT_STREQ("", self->err);
	ASSERT_EQ(HB_EXIT_OK, run(self, do_version, "", true));
	ASSERT_STREQ("{\"hbctl\":\"" HBCTL_VERSION "\",\"abi_tool\":1,\"module\":null}\n",
		     self->out);
	/* any other failure is one */
	stub.open_ret = -EPERM;
	ASSERT_EQ(HB_EXIT_KERNEL, run(self, do_version, "", false));
	ASSERT_STREQ("hbctl " HBCTL_VERSION "\n", self->out);
	ASSERT_STREQ("Error: Operation not permitted.\n", self->err);
}

/* The kernel blames an attribute by its offset; hbctl names the words. */
TEST_F(top, refused_keyword_named)
{
	static const struct {
		int (*object)(int, char **);
		const char *args;
		uint8_t cmd;
		uint16_t attr;
		const char *msg;
		const char *err;
	} cases[] = {
		{ do_node, "set fall 3 interval 500us", HEARTBEAT_CMD_NODE_SET,
		  HEARTBEAT_A_NODE_INTERVAL_US, "integer out of range",
		  "Error: interval: integer out of range (refused: interval 500us).\n" },
		/* the second attribute of the request, not the first */
		{ do_node, "set interval 10ms f 300", HEARTBEAT_CMD_NODE_SET,
		  HEARTBEAT_A_NODE_FALL, "integer out of range.",
		  "Error: fall: integer out of range (refused: fall 300).\n" },
		/* a zero word is named as typed */
		{ do_node, "set auth-key none auth required", HEARTBEAT_CMD_NODE_SET,
		  HEARTBEAT_A_NODE_AUTH, "authentication needs a signing key: set auth-key",
		  "Error: auth: authentication needs a signing key: set auth-key (refused: auth required).\n" },
		{ do_peer, "del id 99", HEARTBEAT_CMD_PEER_DEL,
		  HEARTBEAT_A_PEER_ID, "no such peer",
		  "Error: id: no such peer (refused: id 99).\n" },
		{ do_peer, "add id 7 mac 02:00:00:00:00:07", HEARTBEAT_CMD_PEER_ADD,
		  HEARTBEAT_A_PEER_MAC, "not a unicast MAC address",
		  "Error: mac: not a unicast MAC address (refused: mac 02:00:00:00:00:07).\n" },
		{ do_link, "add dev lo mode unicast", HEARTBEAT_CMD_LINK_ADD,
		  HEARTBEAT_A_LINK_MODE, "bad mode",
		  "Error: mode: bad mode (refused: mode unicast).\n" },
		{ do_key, "del id 0x10", HEARTBEAT_CMD_KEY_DEL,
		  HEARTBEAT_A_KEY_ID, "no such key",
		  "Error: id: no such key (refused: id 16).\n" },
		{ do_quorum, "set expected-votes off tie-breaker disk",
		  HEARTBEAT_CMD_QUORUM_SET, HEARTBEAT_A_QUORUM_TIE_BREAKER,
		  "no disk", "Error: tie-breaker: no disk (refused: tie-breaker disk).\n" },
		{ do_app, "add db timeout 1.5s action silence", HEARTBEAT_CMD_APP_ADD,
		  HEARTBEAT_A_APP_TIMEOUT_US, "too long",
		  "Error: timeout: too long (refused: timeout 1.5s).\n" },
		{ do_disk, "poison id 4", HEARTBEAT_CMD_DISK_POISON,
		  HEARTBEAT_A_DISK_PEER, "no such slot",
		  "Error: id: no such slot (refused: id 4).\n" },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		memset(&stub, 0, sizeof(stub));
		stub.fail_cmd = cases[i].cmd;
		stub.fail_cmd_ret = -EINVAL;
		stub.err_msg = cases[i].msg;
		stub.err_at = cases[i].attr;
		ASSERT_EQ(HB_EXIT_KERNEL, run(self, cases[i].object,
					      cases[i].args, false))
			TH_LOG("%s: %s", cases[i].args, self->err);
		ASSERT_EQ(cases[i].attr, stub.err_attr) TH_LOG("%s", cases[i].args);
		ASSERT_STREQ(cases[i].err, self->err) TH_LOG("%s", cases[i].args);
	}

	/* no offset, or one outside every attribute: the message alone */
	memset(&stub, 0, sizeof(stub));
	stub.fail_cmd = HEARTBEAT_CMD_NODE_SET;
	stub.fail_cmd_ret = -EINVAL;
	stub.err_msg = "no node setting given";
	ASSERT_EQ(HB_EXIT_KERNEL, run(self, do_node, "set fall 3", false));
	ASSERT_STREQ("Error: no node setting given.\n", self->err);
	stub.err_offs = 4;
	ASSERT_EQ(HB_EXIT_KERNEL, run(self, do_node, "set fall 3", false));
	ASSERT_EQ(-1, stub.err_attr);
	ASSERT_STREQ("Error: no node setting given.\n", self->err);
	/* an offset inside an attribute's payload blames it too */
	stub.err_offs = GENL_HDRLEN + NLMSG_HDRLEN + 6;
	ASSERT_EQ(HB_EXIT_KERNEL, run(self, do_node, "set fall 3", false));
	ASSERT_STREQ("Error: fall: no node setting given (refused: fall 3).\n",
		     self->err);
	/* without a message, the errno's words */
	stub.err_msg = NULL;
	ASSERT_EQ(HB_EXIT_KERNEL, run(self, do_node, "set fall 3", false));
	ASSERT_STREQ("Error: fall: Invalid argument (refused: fall 3).\n",
		     self->err);
}

/* A new request forgets the words of the last one. */
TEST_F(top, refused_words_per_request)
{
	struct nlmsghdr *nlh;

	refused_reset();
	refused_note_u32(HEARTBEAT_A_PEER_ID, "id", 5);
	refused_note(HEARTBEAT_A_PEER_IFINDEX, "dev", "eth0");
	refused_note_u32(HEARTBEAT_A_PEER_ID, "id", 6);
	ASSERT_STREQ("id 6", refused_words(HEARTBEAT_A_PEER_ID));
	ASSERT_STREQ("dev eth0", refused_words(HEARTBEAT_A_PEER_IFINDEX));
	ASSERT_EQ(NULL, refused_words(HEARTBEAT_A_PEER_MAC));
	nlh = genl_msg_start(HEARTBEAT_CMD_PEER_GET, 0);
	ASSERT_NE(NULL, nlh);
	ASSERT_EQ(NULL, refused_words(HEARTBEAT_A_PEER_ID));
}

TEST_HARNESS_MAIN
