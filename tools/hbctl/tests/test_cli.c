// SPDX-License-Identifier: GPL-2.0-only
/*
 * Command lines of node, link, peer, key, quorum, stats and monitor: usage errors,
 * exit status and the requests they build. Linked against genl_stub.c, so
 * nothing reaches the kernel.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "kselftest_harness.h"

#include "capture.h"
#include "genl_stub.h"
#include "hbctl.h"
#include "node_reply.h"
#include "prometheus.h"
#include "replies.h"
#include "utils.h"
#include "version.h"

#define MAX_ARGS	16

FIXTURE(cli)
{
	struct capture out;
	char *err;
	size_t err_len;
	char line[256];
	char msg[REPLY_BUFSZ] __attribute__((aligned(4)));
	char msg2[REPLY_BUFSZ] __attribute__((aligned(4)));
	char msg3[REPLY_BUFSZ] __attribute__((aligned(4)));
	char msg4[REPLY_BUFSZ] __attribute__((aligned(4)));
	char stdout_buf[2048];
	bool pretty;
	char path[64];			/* a secret file, removed at the end */
	uint8_t secret[HEARTBEAT_KEY_SECRET_MAX + 8];
};

FIXTURE_SETUP(cli)
{
	memset(&self->out, 0, sizeof(self->out));
	memset(&stub, 0, sizeof(stub));
	self->err = NULL;
	self->pretty = false;
	self->path[0] = '\0';
}

FIXTURE_TEARDOWN(cli)
{
	capture_end(&self->out);
	free(self->err);
	if (self->path[0])
		unlink(self->path);
}

/*
 * Runs "hbctl OBJECT @args" through the object's handler, with the
 * printers and stderr captured.
 */
static int run(FIXTURE_DATA(cli) *self, int (*object)(int, char **),
	       const char *args, bool json)
{
	char *argv[MAX_ARGS], *save = NULL, *tok;
	FILE *saved = stderr;
	int argc = 0, rc;

	snprintf(self->line, sizeof(self->line), "%s", args);
	for (tok = strtok_r(self->line, " ", &save); tok && argc < MAX_ARGS;
	     tok = strtok_r(NULL, " ", &save))
		argv[argc++] = tok;

	capture_start(&self->out, json, self->pretty);
	free(self->err);
	self->err = NULL;
	stderr = open_memstream(&self->err, &self->err_len);
	rc = object(argc, argv);
	fclose(stderr);
	stderr = saved;
	return rc;
}

/* As run(), for handlers that print to the real stdout. */
static int run_stdout(FIXTURE_DATA(cli) *self, int (*object)(int, char **),
		      const char *args, bool json)
{
	FILE *tmp = tmpfile();
	int saved, rc;
	ssize_t n;

	if (!tmp)
		return -1;
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	dup2(fileno(tmp), STDOUT_FILENO);
	rc = run(self, object, args, json);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	n = pread(fileno(tmp), self->stdout_buf, sizeof(self->stdout_buf) - 1,
		  0);
	self->stdout_buf[n > 0 ? n : 0] = '\0';
	fclose(tmp);
	return rc;
}

/* Usage errors: exit 1, this message, and no socket ever opened. */
#define ASSERT_USAGE(obj, args, msg) do {				\
	ASSERT_EQ(HB_EXIT_USAGE, run(self, obj, args, false))		\
		TH_LOG("%s", args);					\
	ASSERT_STREQ(msg, self->err) TH_LOG("%s", args);		\
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

static uint8_t req_cmd(void)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(stub.req);

	return genl->cmd;
}

TEST_F(cli, peer_add_without_id)
{
	ASSERT_USAGE(do_peer, "add", "Error: argument \"id\" is required\n");
	ASSERT_USAGE(do_peer, "add dev lo mac 02:00:00:00:00:01",
		     "Error: argument \"id\" is required\n");
	ASSERT_USAGE(do_peer, "del", "Error: argument \"id\" is required\n");
}

TEST_F(cli, bad_mac)
{
	static const char *const bad[] = {
		"aa:bb:cc:dd:ee", "aa:bb:cc:dd:ee:ff:00", "aabbccddeeff",
		"aa-bb-cc-dd-ee-ff", "a:b:c:d:e:f", "aa:bb:cc:dd:ee:f",
		"aa:bb:cc:dd:ee:fff", "gg:bb:cc:dd:ee:ff", "aa:bb:cc:dd:ee:ff:",
		":aa:bb:cc:dd:ee:f", "aa:bb:cc:dd:ee:+f", "aa::bb:cc:dd:ee:ff",
		"0xaa:bb:cc:dd:ee:ff",
	};
	char args[64], msg[128];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		snprintf(args, sizeof(args), "add id 2 mac %s", bad[i]);
		snprintf(msg, sizeof(msg),
			 "Error: argument \"%s\" is wrong: mac needs the form aa:bb:cc:dd:ee:ff\n",
			 bad[i]);
		ASSERT_USAGE(do_peer, args, msg);
	}
	ASSERT_USAGE(do_peer, "add id 2 mac",
		     "Error: argument \"mac\" is wrong: missing value\n");
}

TEST_F(cli, link_add_without_dev)
{
	ASSERT_USAGE(do_link, "add", "Error: argument \"dev\" is required\n");
	ASSERT_USAGE(do_link, "add mode unicast",
		     "Error: argument \"dev\" is required\n");
	ASSERT_USAGE(do_link, "del", "Error: argument \"dev\" is required\n");
}

TEST_F(cli, unknown_device)
{
	ASSERT_USAGE(do_link, "add dev hb-nonexist0",
		     "Error: device \"hb-nonexist0\" does not exist.\n");
	ASSERT_USAGE(do_link, "show dev hb-nonexist0",
		     "Error: device \"hb-nonexist0\" does not exist.\n");
	ASSERT_USAGE(do_peer, "add id 1 dev hb-nonexist0",
		     "Error: device \"hb-nonexist0\" does not exist.\n");
}

TEST_F(cli, unknown_keyword)
{
	ASSERT_USAGE(do_link, "show bogus 1",
		     "Error: \"bogus\" is not a valid keyword\n");
	ASSERT_USAGE(do_link, "del dev lo mode unicast",
		     "Error: \"mode\" is not a valid keyword\n");
	ASSERT_USAGE(do_peer, "add id 1 bogus 2",
		     "Error: \"bogus\" is not a valid keyword\n");
	ASSERT_USAGE(do_peer, "del id 1 mac 02:00:00:00:00:01",
		     "Error: \"mac\" is not a valid keyword\n");
	ASSERT_USAGE(do_peer, "show dev lo",
		     "Error: \"dev\" is not a valid keyword\n");
	ASSERT_USAGE(do_stats, "show bogus",
		     "Error: \"bogus\" is not a valid keyword\n");
	ASSERT_USAGE(do_monitor, "bogus",
		     "Error: \"bogus\" is not a valid keyword\n");
}

TEST_F(cli, unknown_command)
{
	ASSERT_USAGE(do_link, "bogus",
		     "Command \"bogus\" is unknown, try \"hbctl link help\".\n");
	ASSERT_USAGE(do_peer, "set",
		     "Command \"set\" is unknown, try \"hbctl peer help\".\n");
	ASSERT_USAGE(do_stats, "reset",
		     "Command \"reset\" is unknown, try \"hbctl stats help\".\n");
}

TEST_F(cli, bad_values)
{
	ASSERT_USAGE(do_peer, "add id",
		     "Error: argument \"id\" is wrong: missing value\n");
	ASSERT_USAGE(do_peer, "add id x",
		     "Error: argument \"x\" is wrong: id needs a number (decimal or 0x hex)\n");
	ASSERT_USAGE(do_peer, "show id 4294967296",
		     "Error: argument \"4294967296\" is wrong: id does not fit in 32 bits\n");
	ASSERT_USAGE(do_peer, "add id 1 id 2",
		     "Error: argument \"2\" is wrong: id given twice\n");
	ASSERT_USAGE(do_link, "add dev lo mode broadcast",
		     "Error: argument \"broadcast\" is wrong: mode must be multicast or unicast\n");
	ASSERT_USAGE(do_link, "add dev lo dev lo",
		     "Error: argument \"lo\" is wrong: dev given twice\n");
	ASSERT_USAGE(do_link, "show dev",
		     "Error: argument \"dev\" is wrong: missing value\n");
	ASSERT_USAGE(do_monitor, "count 0",
		     "Error: argument \"0\" is wrong: count needs a number from 1 to 4294967295\n");
	ASSERT_USAGE(do_monitor, "count -1",
		     "Error: argument \"-1\" is wrong: count needs a number from 1 to 4294967295\n");
	ASSERT_USAGE(do_monitor, "count",
		     "Error: argument \"count\" is wrong: missing value\n");
	ASSERT_USAGE(do_monitor, "count 1 count 2",
		     "Error: argument \"2\" is wrong: count given twice\n");
}

TEST_F(cli, peer_add_request)
{
	static const uint8_t mac[6] = { 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0x0f };

	ASSERT_EQ(HB_EXIT_OK, run(self, do_peer,
				  "add id 2 dev lo mac AA:bb:cc:dd:ee:0F",
				  false));
	ASSERT_EQ(1, stub.talks);
	ASSERT_EQ(HEARTBEAT_CMD_PEER_ADD, req_cmd());
	ASSERT_EQ(NLM_F_REQUEST | NLM_F_ACK, stub.req->nlmsg_flags);
	ASSERT_EQ(3U, req_nattrs());
	ASSERT_EQ(2U, mnl_attr_get_u32(req_attr(HEARTBEAT_A_PEER_ID)));
	ASSERT_EQ(LO_IFINDEX,
		  mnl_attr_get_u32(req_attr(HEARTBEAT_A_PEER_IFINDEX)));
	ASSERT_EQ(6, mnl_attr_get_payload_len(req_attr(HEARTBEAT_A_PEER_MAC)));
	ASSERT_EQ(0, memcmp(mac, mnl_attr_get_payload(req_attr(HEARTBEAT_A_PEER_MAC)),
			    6));
	ASSERT_STREQ("", self->err);
	ASSERT_STREQ("", capture_text(&self->out));
}

/* Prefixes work for commands and keywords alike. */
TEST_F(cli, peer_requests)
{
	ASSERT_EQ(HB_EXIT_OK, run(self, do_peer, "a i 0x10", false));
	ASSERT_EQ(HEARTBEAT_CMD_PEER_ADD, req_cmd());
	ASSERT_EQ(1U, req_nattrs());
	ASSERT_EQ(16U, mnl_attr_get_u32(req_attr(HEARTBEAT_A_PEER_ID)));

	ASSERT_EQ(HB_EXIT_OK, run(self, do_peer, "del id 3", false));
	ASSERT_EQ(HEARTBEAT_CMD_PEER_DEL, req_cmd());
	ASSERT_EQ(NLM_F_REQUEST | NLM_F_ACK, stub.req->nlmsg_flags);
	ASSERT_EQ(1U, req_nattrs());
	ASSERT_EQ(3U, mnl_attr_get_u32(req_attr(HEARTBEAT_A_PEER_ID)));

	ASSERT_EQ(HB_EXIT_OK, run(self, do_peer, "", false));
	ASSERT_EQ(HEARTBEAT_CMD_PEER_GET, req_cmd());
	ASSERT_EQ(NLM_F_REQUEST | NLM_F_DUMP, stub.req->nlmsg_flags);
	ASSERT_EQ(0U, req_nattrs());

	ASSERT_EQ(HB_EXIT_OK, run(self, do_peer, "s id 7", false));
	ASSERT_EQ(HEARTBEAT_CMD_PEER_GET, req_cmd());
	ASSERT_EQ(NLM_F_REQUEST, stub.req->nlmsg_flags);
	ASSERT_EQ(7U, mnl_attr_get_u32(req_attr(HEARTBEAT_A_PEER_ID)));
}

TEST_F(cli, link_requests)
{
	ASSERT_EQ(HB_EXIT_OK, run(self, do_link, "add dev lo", false));
	ASSERT_EQ(HEARTBEAT_CMD_LINK_ADD, req_cmd());
	ASSERT_EQ(NLM_F_REQUEST | NLM_F_ACK, stub.req->nlmsg_flags);
	ASSERT_EQ(1U, req_nattrs());
	ASSERT_EQ(LO_IFINDEX,
		  mnl_attr_get_u32(req_attr(HEARTBEAT_A_LINK_IFINDEX)));

	ASSERT_EQ(HB_EXIT_OK, run(self, do_link, "add mode unicast dev lo",
				  false));
	ASSERT_EQ(2U, req_nattrs());
	ASSERT_EQ(HEARTBEAT_LINK_UNICAST,
		  mnl_attr_get_u8(req_attr(HEARTBEAT_A_LINK_MODE)));
	ASSERT_EQ(1, mnl_attr_get_payload_len(req_attr(HEARTBEAT_A_LINK_MODE)));

	ASSERT_EQ(HB_EXIT_OK, run(self, do_link, "a d lo m multicast",
				  false));
	ASSERT_EQ(HEARTBEAT_LINK_MULTICAST,
		  mnl_attr_get_u8(req_attr(HEARTBEAT_A_LINK_MODE)));

	ASSERT_EQ(HB_EXIT_OK, run(self, do_link, "del dev lo", false));
	ASSERT_EQ(HEARTBEAT_CMD_LINK_DEL, req_cmd());
	ASSERT_EQ(NLM_F_REQUEST | NLM_F_ACK, stub.req->nlmsg_flags);
	ASSERT_EQ(1U, req_nattrs());

	ASSERT_EQ(HB_EXIT_OK, run(self, do_link, "", false));
	ASSERT_EQ(HEARTBEAT_CMD_LINK_GET, req_cmd());
	ASSERT_EQ(NLM_F_REQUEST | NLM_F_DUMP, stub.req->nlmsg_flags);
	ASSERT_EQ(0U, req_nattrs());

	ASSERT_EQ(HB_EXIT_OK, run(self, do_link, "s d lo", false));
	ASSERT_EQ(HEARTBEAT_CMD_LINK_GET, req_cmd());
	ASSERT_EQ(NLM_F_REQUEST, stub.req->nlmsg_flags);
	ASSERT_EQ(LO_IFINDEX,
		  mnl_attr_get_u32(req_attr(HEARTBEAT_A_LINK_IFINDEX)));
}

TEST_F(cli, stats_request)
{
	ASSERT_EQ(HB_EXIT_OK, run(self, do_stats, "", false));
	ASSERT_EQ(HEARTBEAT_CMD_STATS_GET, req_cmd());
	ASSERT_EQ(NLM_F_REQUEST, stub.req->nlmsg_flags);
	ASSERT_EQ(0U, req_nattrs());
	ASSERT_EQ(HB_EXIT_OK, run(self, do_stats, "show", false));
	ASSERT_EQ(2, stub.talks);
}

TEST_F(cli, kernel_refusal)
{
	stub.talk_ret = -EPERM;
	ASSERT_EQ(HB_EXIT_KERNEL, run(self, do_peer, "add id 2", false));
	ASSERT_STREQ("Error: Operation not permitted.\n", self->err);
	ASSERT_EQ(HB_EXIT_KERNEL, run(self, do_link, "del dev lo", false));
	/* Refused before any reply: no half "[]" on stdout. */
	ASSERT_EQ(HB_EXIT_KERNEL, run(self, do_peer, "show id 9", true));
	ASSERT_STREQ("", capture_text(&self->out));

	stub.talk_ret = 0;
	stub.talks = 0;
	stub.open_ret = -ENOENT;
	ASSERT_EQ(HB_EXIT_KERNEL, run(self, do_stats, "", false));
	ASSERT_EQ(0, stub.talks);
	ASSERT_EQ(HB_EXIT_KERNEL, run(self, do_monitor, "count 1", false));
}

/* Objects and filters are read before any socket is opened. */
TEST_F(cli, monitor_objects)
{
	static const struct {
		const char *args, *err;
	} refused[] = {
		{ "bogus", "Error: \"bogus\" is not a valid keyword\n" },
		{ "peer id", "Error: argument \"id\" is required\n" },
		{ "peer id 0",
		  "Error: argument \"0\" is wrong: id needs a node id from 1 to 4294967295\n" },
		{ "peer id 2 link peer id 3",
		  "Error: argument \"3\" is wrong: only one peer id can be followed\n" },
		{ "link count 0",
		  "Error: argument \"0\" is wrong: count needs a number from 1 to 4294967295\n" },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(refused); i++) {
		ASSERT_EQ(HB_EXIT_USAGE, run(self, do_monitor, refused[i].args, true));
		ASSERT_STREQ(refused[i].err, self->err);
	}
	/* Accepted: the socket is next, and the stub has no group. */
	ASSERT_EQ(HB_EXIT_KERNEL, run(self, do_monitor, "p id 2 l n k q a d", true));
	ASSERT_EQ(HB_EXIT_KERNEL, run(self, do_monitor, "all count 3", true));
}

TEST_F(cli, monitor_socket_failure)
{
	ASSERT_EQ(HB_EXIT_KERNEL, run(self, do_monitor, "c 5", true));
	ASSERT_STREQ("Error: multicast group \"events\" not found.\n",
		     self->err);
}

/* Replies reach the printers inside one JSON array. */
TEST_F(cli, show_lists)
{
	struct nlmsghdr *bad;

	stub.replies[0] = peer_reply(self->msg);
	stub.replies[1] = peer_reply_configured(self->msg2);
	ASSERT_EQ(HB_EXIT_OK, run(self, do_peer, "show", true));
	ASSERT_EQ(0, strncmp("[{\"id\":2,", capture_text(&self->out), 9));
	ASSERT_NE(NULL, strstr(capture_text(&self->out),
			       "\"mac\":\"02:ab:cd:00:01:ff\"}]\n"));

	memset(stub.replies, 0, sizeof(stub.replies));
	ASSERT_EQ(HB_EXIT_OK, run(self, do_link, "show", true));
	ASSERT_STREQ("[]\n", capture_text(&self->out));
	ASSERT_EQ(HB_EXIT_OK, run(self, do_link, "show", false));
	ASSERT_STREQ("", capture_text(&self->out));

	/* A reply that does not parse fails the command. */
	bad = link_reply(self->msg);
	mnl_attr_put_u16(bad, HEARTBEAT_A_LINK_MODE, 1);
	stub.replies[0] = bad;
	ASSERT_EQ(HB_EXIT_KERNEL, run(self, do_link, "show", true));
	ASSERT_STREQ("", capture_text(&self->out));
}

/* "help" anywhere prints the object's usage on stdout and exits 0. */
TEST_F(cli, help)
{
	static const struct {
		int (*object)(int, char **);
		const char *args;
		const char *want;
	} cases[] = {
		{ do_link, "help", "hbctl link add dev IFNAME" },
		{ do_link, "add help", "hbctl link del dev IFNAME" },
		{ do_link, "show dev lo help", "hbctl link help" },
		{ do_peer, "help", "hbctl peer add id ID" },
		{ do_peer, "add id 1 help", "LLADDR" },
		{ do_stats, "help", "hbctl stats [ show ]" },
		{ do_stats, "show help", "hbctl stats help" },
		{ do_stats, "-o prometheus help", "[ -o prometheus ]" },
		{ do_monitor, "help", "hbctl monitor [ all | OBJECT-LIST ] [ count COUNT ]" },
		{ do_node, "help", "[ phi-warn { PHI | off } ]" },
		{ do_node, "set phi-window 5 help", "PHI := NUMBER" },
		{ do_node, "set h", "[ detector { timeout | phi } ]" },
		{ do_node, "help", "[ auth { off | optional | required } ]" },
		{ do_node, "set auth off help", "[ learn-rate { RATE | off } ]" },
		{ do_node, "help", "[ learn-expire { DURATION | off } ]" },
		{ do_node, "help", "[ gossip { ENTRIES | off } ] [ probe-helpers HELPERS ]" },
		{ do_node, "help", "LINKS := 1..8 channels a peer must be heard on" },
		{ do_key, "help", "hbctl key add id KEYID secret-file FILE" },
		{ do_key, "show help", "hbctl key del id KEYID" },
		{ do_key, "add id 1 help", "readable by its owner only" },
		{ do_key, "del help", "hbctl key help" },
		{ do_quorum, "help", "hbctl quorum set [ expected-votes { VOTES | off } ]" },
		{ do_quorum, "show help", "[ tie-breaker { none | lowest | highest | disk } ]" },
		{ do_quorum, "set e 3 help", "[ wait-for-all { on | off } ]" },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		ASSERT_EQ(HB_EXIT_OK, run_stdout(self, cases[i].object,
						 cases[i].args, false))
			TH_LOG("%s", cases[i].args);
		ASSERT_NE(NULL, strstr(self->stdout_buf, cases[i].want))
			TH_LOG("%s: %s", cases[i].args, self->stdout_buf);
		ASSERT_EQ(0, stub.opened);
	}
}

/* Each keyword alone: one attribute of the right type and value. */
TEST_F(cli, node_set_keywords)
{
	static const struct {
		const char *args;
		int attr;
		uint32_t val;
		uint16_t len;
	} cases[] = {
		{ "set detector timeout", HEARTBEAT_A_NODE_DETECTOR,
		  HEARTBEAT_DETECTOR_TIMEOUT, 1 },
		{ "set detector phi", HEARTBEAT_A_NODE_DETECTOR,
		  HEARTBEAT_DETECTOR_PHI, 1 },
		{ "set phi-model normal", HEARTBEAT_A_NODE_PHI_MODEL,
		  HEARTBEAT_PHI_NORMAL, 1 },
		{ "set phi-model exponential", HEARTBEAT_A_NODE_PHI_MODEL,
		  HEARTBEAT_PHI_EXPONENTIAL, 1 },
		{ "set phi-threshold 8", HEARTBEAT_A_NODE_PHI_THRESHOLD,
		  8000, 4 },
		{ "set phi-threshold 8.5", HEARTBEAT_A_NODE_PHI_THRESHOLD,
		  8500, 4 },
		{ "set phi-threshold 0.125", HEARTBEAT_A_NODE_PHI_THRESHOLD,
		  125, 4 },
		{ "set phi-threshold 20", HEARTBEAT_A_NODE_PHI_THRESHOLD,
		  20000, 4 },
		/* ranges are the kernel's to check */
		{ "set phi-threshold 0", HEARTBEAT_A_NODE_PHI_THRESHOLD, 0, 4 },
		{ "set phi-warn off", HEARTBEAT_A_NODE_PHI_WARN, 0, 4 },
		{ "set phi-warn 0", HEARTBEAT_A_NODE_PHI_WARN, 0, 4 },
		{ "set phi-warn 12.125", HEARTBEAT_A_NODE_PHI_WARN, 12125, 4 },
		{ "set phi-window 100", HEARTBEAT_A_NODE_PHI_WINDOW, 100, 4 },
		{ "set phi-window 0x10", HEARTBEAT_A_NODE_PHI_WINDOW, 16, 4 },
		{ "set phi-min-stddev 500us",
		  HEARTBEAT_A_NODE_PHI_MIN_STDDEV_US, 500, 4 },
		{ "set phi-min-stddev 1.5ms",
		  HEARTBEAT_A_NODE_PHI_MIN_STDDEV_US, 1500, 4 },
		{ "set phi-pause 0s", HEARTBEAT_A_NODE_PHI_PAUSE_US, 0, 4 },
		{ "set phi-pause 2s", HEARTBEAT_A_NODE_PHI_PAUSE_US,
		  2000000, 4 },
		{ "set auth off", HEARTBEAT_A_NODE_AUTH, HEARTBEAT_AUTH_OFF, 1 },
		{ "set auth optional", HEARTBEAT_A_NODE_AUTH,
		  HEARTBEAT_AUTH_OPTIONAL, 1 },
		{ "set auth required", HEARTBEAT_A_NODE_AUTH,
		  HEARTBEAT_AUTH_REQUIRED, 1 },
		/* the limits of the uapi header, and the words for 0 */
		{ "set auth-key 1", HEARTBEAT_A_NODE_AUTH_KEY, 1, 4 },
		{ "set auth-key 65535", HEARTBEAT_A_NODE_AUTH_KEY,
		  HEARTBEAT_KEY_ID_MAX, 4 },
		{ "set auth-key 0xffff", HEARTBEAT_A_NODE_AUTH_KEY,
		  HEARTBEAT_KEY_ID_MAX, 4 },
		{ "set auth-key none", HEARTBEAT_A_NODE_AUTH_KEY, 0, 4 },
		{ "set auth-key 0", HEARTBEAT_A_NODE_AUTH_KEY, 0, 4 },
		{ "set max-peers 1", HEARTBEAT_A_NODE_MAX_PEERS, 1, 4 },
		{ "set max-peers 4096", HEARTBEAT_A_NODE_MAX_PEERS,
		  HEARTBEAT_PEERS_MAX, 4 },
		{ "set learn-rate 100", HEARTBEAT_A_NODE_LEARN_RATE, 100, 4 },
		{ "set learn-rate 1000000", HEARTBEAT_A_NODE_LEARN_RATE,
		  HEARTBEAT_LEARN_RATE_MAX, 4 },
		{ "set learn-rate off", HEARTBEAT_A_NODE_LEARN_RATE, 0, 4 },
		{ "set gossip 32", HEARTBEAT_A_NODE_GOSSIP,
		  HEARTBEAT_GOSSIP_MAX, 4 },
		{ "set gossip 1", HEARTBEAT_A_NODE_GOSSIP, 1, 4 },
		{ "set gossip off", HEARTBEAT_A_NODE_GOSSIP, 0, 4 },
		{ "set gossip 0", HEARTBEAT_A_NODE_GOSSIP, 0, 4 },
		{ "set probe-helpers 0", HEARTBEAT_A_NODE_PROBE_HELPERS, 0, 4 },
		{ "set probe-helpers 16", HEARTBEAT_A_NODE_PROBE_HELPERS,
		  HEARTBEAT_PROBE_HELPERS_MAX, 4 },
		{ "set learn-rate 0", HEARTBEAT_A_NODE_LEARN_RATE, 0, 4 },
		{ "set learn-expire 300s", HEARTBEAT_A_NODE_LEARN_EXPIRE_US,
		  300000000, 4 },
		{ "set learn-expire 1.5s", HEARTBEAT_A_NODE_LEARN_EXPIRE_US,
		  1500000, 4 },
		{ "set learn-expire off", HEARTBEAT_A_NODE_LEARN_EXPIRE_US, 0, 4 },
	};
	const struct nlattr *a;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		ASSERT_EQ(HB_EXIT_OK, run(self, do_node, cases[i].args, false))
			TH_LOG("%s: %s", cases[i].args, self->err);
		ASSERT_EQ(HEARTBEAT_CMD_NODE_SET, req_cmd());
		ASSERT_EQ(NLM_F_REQUEST | NLM_F_ACK, stub.req->nlmsg_flags);
		ASSERT_EQ(1U, req_nattrs()) TH_LOG("%s", cases[i].args);
		a = req_attr(cases[i].attr);
		ASSERT_NE(NULL, a) TH_LOG("%s", cases[i].args);
		ASSERT_EQ(cases[i].len, mnl_attr_get_payload_len(a))
			TH_LOG("%s", cases[i].args);
		ASSERT_EQ(cases[i].val, cases[i].len == 1 ?
			  mnl_attr_get_u8(a) : mnl_attr_get_u32(a))
			TH_LOG("%s", cases[i].args);
		ASSERT_STREQ("", self->err);
	}
	ASSERT_EQ((int)ARRAY_SIZE(cases), stub.talks);
}

TEST_F(cli, node_set_all)
{
	const struct nlattr *a;

	ASSERT_EQ(HB_EXIT_OK, run(self, do_node,
				  "set detector phi phi-model exponential "
				  "phi-threshold 8.5 phi-warn 0.25 "
				  "phi-window 100 phi-min-stddev 500us "
				  "phi-pause 1.5s", false));
	ASSERT_EQ(1, stub.talks);
	ASSERT_EQ(7U, req_nattrs());
	ASSERT_EQ(HEARTBEAT_DETECTOR_PHI,
		  mnl_attr_get_u8(req_attr(HEARTBEAT_A_NODE_DETECTOR)));
	ASSERT_EQ(HEARTBEAT_PHI_EXPONENTIAL,
		  mnl_attr_get_u8(req_attr(HEARTBEAT_A_NODE_PHI_MODEL)));
	ASSERT_EQ(8500U,
		  mnl_attr_get_u32(req_attr(HEARTBEAT_A_NODE_PHI_THRESHOLD)));
	ASSERT_EQ(250U, mnl_attr_get_u32(req_attr(HEARTBEAT_A_NODE_PHI_WARN)));
	ASSERT_EQ(100U,
		  mnl_attr_get_u32(req_attr(HEARTBEAT_A_NODE_PHI_WINDOW)));
	a = req_attr(HEARTBEAT_A_NODE_PHI_MIN_STDDEV_US);
	ASSERT_EQ(500U, mnl_attr_get_u32(a));
	ASSERT_EQ(1500000U,
		  mnl_attr_get_u32(req_attr(HEARTBEAT_A_NODE_PHI_PAUSE_US)));
	ASSERT_STREQ("", self->err);
	ASSERT_STREQ("", capture_text(&self->out));
}

/* The older keywords keep their first-match prefixes. */
TEST_F(cli, node_set_old_prefixes)
{
	const struct nlattr *a;

	ASSERT_EQ(HB_EXIT_OK, run(self, do_node, "se i 1 c 7 in 10ms f 3",
				  false)) TH_LOG("%s", self->err);
	ASSERT_EQ(HEARTBEAT_CMD_NODE_SET, req_cmd());
	ASSERT_EQ(4U, req_nattrs());
	ASSERT_EQ(1U, mnl_attr_get_u32(req_attr(HEARTBEAT_A_NODE_ID)));
	ASSERT_EQ(7U, mnl_attr_get_u32(req_attr(HEARTBEAT_A_NODE_CLUSTER)));
	ASSERT_EQ(10000U,
		  mnl_attr_get_u32(req_attr(HEARTBEAT_A_NODE_INTERVAL_US)));
	ASSERT_EQ(3U, mnl_attr_get_u32(req_attr(HEARTBEAT_A_NODE_FALL)));

	ASSERT_EQ(HB_EXIT_OK, run(self, do_node, "se r 2 g 1s l on s auto",
				  false)) TH_LOG("%s", self->err);
	ASSERT_EQ(4U, req_nattrs());
	ASSERT_EQ(2U, mnl_attr_get_u32(req_attr(HEARTBEAT_A_NODE_RISE)));
	ASSERT_EQ(1000000U,
		  mnl_attr_get_u32(req_attr(HEARTBEAT_A_NODE_GRACE_US)));
	a = req_attr(HEARTBEAT_A_NODE_LEARN);
	ASSERT_EQ(1, mnl_attr_get_payload_len(a));
	ASSERT_EQ(1, mnl_attr_get_u8(a));
	ASSERT_EQ(0U, mnl_attr_get_u32(req_attr(HEARTBEAT_A_NODE_SLACK_US)));

	/* "incarnation" is read-only: "in" stays "interval" */
	stub.opened = 0;
	ASSERT_USAGE(do_node, "set incarnation 5",
		     "Error: \"incarnation\" is not a valid keyword\n");
}

/*
 * New keywords: exact words always win, a prefix only when it names one
 * keyword. "phi-w" would be phi-warn or phi-window: refused.
 */
TEST_F(cli, node_set_new_prefixes)
{
	static const struct {
		const char *args;
		int attr;
	} ok[] = {
		{ "set d phi", HEARTBEAT_A_NODE_DETECTOR },
		{ "set det timeout", HEARTBEAT_A_NODE_DETECTOR },
		{ "set phi-mo normal", HEARTBEAT_A_NODE_PHI_MODEL },
		{ "set phi-t 8", HEARTBEAT_A_NODE_PHI_THRESHOLD },
		{ "set phi-wa off", HEARTBEAT_A_NODE_PHI_WARN },
		{ "set phi-warn 3", HEARTBEAT_A_NODE_PHI_WARN },
		{ "set phi-wi 3", HEARTBEAT_A_NODE_PHI_WINDOW },
		{ "set phi-window 3", HEARTBEAT_A_NODE_PHI_WINDOW },
		{ "set phi-mi 1ms", HEARTBEAT_A_NODE_PHI_MIN_STDDEV_US },
		{ "set phi-p 0s", HEARTBEAT_A_NODE_PHI_PAUSE_US },
		{ "set auth-k 3", HEARTBEAT_A_NODE_AUTH_KEY },
		{ "set auth- 3", HEARTBEAT_A_NODE_AUTH_KEY },
		{ "set m 8", HEARTBEAT_A_NODE_MAX_PEERS },
		{ "set learn-r 5", HEARTBEAT_A_NODE_LEARN_RATE },
		{ "set learn-e 5s", HEARTBEAT_A_NODE_LEARN_EXPIRE_US },
		{ "set go 8", HEARTBEAT_A_NODE_GOSSIP },
		{ "set pr 2", HEARTBEAT_A_NODE_PROBE_HELPERS },
		{ "set mi 2", HEARTBEAT_A_NODE_MIN_LINKS },
		/* "grace" came first: "g" is still grace */
		{ "set g 1s", HEARTBEAT_A_NODE_GRACE_US },
		/* "learn" came first: its prefixes are still its own */
		{ "set l off", HEARTBEAT_A_NODE_LEARN },
		{ "set learn on", HEARTBEAT_A_NODE_LEARN },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ok); i++) {
		ASSERT_EQ(HB_EXIT_OK, run(self, do_node, ok[i].args, false))
			TH_LOG("%s: %s", ok[i].args, self->err);
		ASSERT_EQ(1U, req_nattrs()) TH_LOG("%s", ok[i].args);
		ASSERT_NE(NULL, req_attr(ok[i].attr)) TH_LOG("%s", ok[i].args);
	}

	stub.opened = 0;
	ASSERT_USAGE(do_node, "set phi-w 3",
		     "Error: \"phi-w\" is ambiguous, it could be phi-warn "
		     "or phi-window.\n");
	ASSERT_USAGE(do_node, "set phi-m normal",
		     "Error: \"phi-m\" is ambiguous, it could be phi-model "
		     "or phi-min-stddev.\n");
	ASSERT_USAGE(do_node, "set p 8",
		     "Error: \"p\" is ambiguous, it could be phi-model, "
		     "phi-threshold, phi-warn, phi-window, phi-min-stddev, "
		     "phi-pause or probe-helpers.\n");
	ASSERT_USAGE(do_node, "set phi 8",
		     "Error: \"phi\" is ambiguous, it could be phi-model, "
		     "phi-threshold, phi-warn, phi-window, phi-min-stddev "
		     "or phi-pause.\n");
	/* checked before anything else on the line is used */
	ASSERT_USAGE(do_node, "set id 1 phi-w 3",
		     "Error: \"phi-w\" is ambiguous, it could be phi-warn "
		     "or phi-window.\n");
	ASSERT_USAGE(do_node, "set phi-x 3",
		     "Error: \"phi-x\" is not a valid keyword\n");
	ASSERT_USAGE(do_node, "set phi-warnings 3",
		     "Error: \"phi-warnings\" is not a valid keyword\n");
	ASSERT_USAGE(do_node, "set au off",
		     "Error: \"au\" is ambiguous, it could be auth or auth-key.\n");
	ASSERT_USAGE(do_node, "set a 1",
		     "Error: \"a\" is ambiguous, it could be auth or auth-key.\n");
	/* learn-rate's own until learn-expire came */
	ASSERT_USAGE(do_node, "set learn- 5",
		     "Error: \"learn-\" is ambiguous, it could be learn-rate "
		     "or learn-expire.\n");
}

TEST_F(cli, node_set_bad_phi)
{
	static const char *const bad_phi[] = {
		"8.1234", "-1", "1e3", "abc", "4294967.296", ".5", "8.",
	};
	static const char *const why[] = {
		"phi-threshold takes at most 3 decimals",
		"phi-threshold needs a number like 8, 8.5 or 0.125",
		"phi-threshold needs a number like 8, 8.5 or 0.125",
		"phi-threshold needs a number like 8, 8.5 or 0.125",
		"phi-threshold is above 4294967.295",
		"phi-threshold needs a number like 8, 8.5 or 0.125",
		"phi-threshold needs a number like 8, 8.5 or 0.125",
	};
	char args[64], msg[160];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad_phi); i++) {
		snprintf(args, sizeof(args), "set phi-threshold %s",
			 bad_phi[i]);
		snprintf(msg, sizeof(msg),
			 "Error: argument \"%s\" is wrong: %s\n", bad_phi[i],
			 why[i]);
		ASSERT_USAGE(do_node, args, msg);
	}
	ASSERT_USAGE(do_node, "set phi-warn of",
		     "Error: argument \"of\" is wrong: phi-warn needs a number like 8, 8.5 or 0.125\n");
	ASSERT_USAGE(do_node, "set phi-warn 0.0001",
		     "Error: argument \"0.0001\" is wrong: phi-warn takes at most 3 decimals\n");
	ASSERT_USAGE(do_node, "set phi-threshold off",
		     "Error: argument \"off\" is wrong: phi-threshold needs a number like 8, 8.5 or 0.125\n");
	ASSERT_USAGE(do_node, "set detector fixed",
		     "Error: argument \"fixed\" is wrong: detector must be timeout or phi\n");
	ASSERT_USAGE(do_node, "set detector p",
		     "Error: argument \"p\" is wrong: detector must be timeout or phi\n");
	ASSERT_USAGE(do_node, "set phi-model Normal",
		     "Error: argument \"Normal\" is wrong: phi-model must be normal or exponential\n");
	ASSERT_USAGE(do_node, "set phi-window 1.5",
		     "Error: argument \"1.5\" is wrong: phi-window needs a number (decimal or 0x hex)\n");
	ASSERT_USAGE(do_node, "set phi-min-stddev 5",
		     "Error: argument \"5\" is wrong: phi-min-stddev needs a duration like 10ms, 1.5s or 500us\n");
	ASSERT_USAGE(do_node, "set phi-pause 0.1us",
		     "Error: argument \"0.1us\" is wrong: phi-pause must be 0 or at least 1us\n");
	ASSERT_USAGE(do_node, "set phi-warn",
		     "Error: argument \"phi-warn\" is wrong: missing value\n");
	ASSERT_USAGE(do_node, "set phi-warn off phi-warn 1",
		     "Error: argument \"1\" is wrong: phi-warn given twice\n");
	ASSERT_USAGE(do_node, "set phi-wa off phi-warn 1",
		     "Error: argument \"1\" is wrong: phi-warn given twice\n");
}

/* The way auth is switched on: a key to sign with, in the same request. */
TEST_F(cli, node_set_auth_all)
{
	ASSERT_EQ(HB_EXIT_OK, run(self, do_node,
				  "set auth-key 2 auth optional max-peers 512 "
				  "learn-rate off fall 3", false))
		TH_LOG("%s", self->err);
	ASSERT_EQ(1, stub.talks);
	ASSERT_EQ(5U, req_nattrs());
	ASSERT_EQ(HEARTBEAT_AUTH_OPTIONAL,
		  mnl_attr_get_u8(req_attr(HEARTBEAT_A_NODE_AUTH)));
	ASSERT_EQ(2U, mnl_attr_get_u32(req_attr(HEARTBEAT_A_NODE_AUTH_KEY)));
	ASSERT_EQ(512U, mnl_attr_get_u32(req_attr(HEARTBEAT_A_NODE_MAX_PEERS)));
	ASSERT_EQ(0U, mnl_attr_get_u32(req_attr(HEARTBEAT_A_NODE_LEARN_RATE)));
	ASSERT_EQ(3U, mnl_attr_get_u32(req_attr(HEARTBEAT_A_NODE_FALL)));
	ASSERT_STREQ("", self->err);
}

/* Ranges of the uapi header are checked here; words are whole words. */
TEST_F(cli, node_set_bad_auth)
{
	static const struct {
		const char *args, *msg;
	} bad[] = {
		{ "set auth on", "Error: argument \"on\" is wrong: auth must be off, optional or required\n" },
		{ "set auth req", "Error: argument \"req\" is wrong: auth must be off, optional or required\n" },
		{ "set auth Off", "Error: argument \"Off\" is wrong: auth must be off, optional or required\n" },
		{ "set auth 1", "Error: argument \"1\" is wrong: auth must be off, optional or required\n" },
		{ "set auth-key 65536", "Error: argument \"65536\" is wrong: auth-key must be none or from 1 to 65535\n" },
		{ "set auth-key 0x10000", "Error: argument \"0x10000\" is wrong: auth-key must be none or from 1 to 65535\n" },
		{ "set auth-key 4294967296", "Error: argument \"4294967296\" is wrong: auth-key must be none or from 1 to 65535\n" },
		{ "set auth-key -1", "Error: argument \"-1\" is wrong: auth-key needs a number (decimal or 0x hex) or none\n" },
		{ "set auth-key off", "Error: argument \"off\" is wrong: auth-key needs a number (decimal or 0x hex) or none\n" },
		{ "set auth-key None", "Error: argument \"None\" is wrong: auth-key needs a number (decimal or 0x hex) or none\n" },
		{ "set max-peers 0", "Error: argument \"0\" is wrong: max-peers must be from 1 to 4096\n" },
		{ "set max-peers 4097", "Error: argument \"4097\" is wrong: max-peers must be from 1 to 4096\n" },
		{ "set max-peers 99999999999", "Error: argument \"99999999999\" is wrong: max-peers must be from 1 to 4096\n" },
		{ "set max-peers none", "Error: argument \"none\" is wrong: max-peers needs a number (decimal or 0x hex)\n" },
		{ "set max-peers off", "Error: argument \"off\" is wrong: max-peers needs a number (decimal or 0x hex)\n" },
		{ "set learn-rate 1000001", "Error: argument \"1000001\" is wrong: learn-rate must be off or from 1 to 1000000\n" },
		{ "set learn-rate none", "Error: argument \"none\" is wrong: learn-rate needs a number (decimal or 0x hex) or off\n" },
		{ "set learn-rate 1.5", "Error: argument \"1.5\" is wrong: learn-rate needs a number (decimal or 0x hex) or off\n" },
		{ "set learn-rate 10/s", "Error: argument \"10/s\" is wrong: learn-rate needs a number (decimal or 0x hex) or off\n" },
		{ "set learn-expire 5min", "Error: argument \"5min\" is wrong: learn-expire needs a duration like 10ms, 1.5s or 500us, or off\n" },
		{ "set learn-expire never", "Error: argument \"never\" is wrong: learn-expire needs a duration like 10ms, 1.5s or 500us, or off\n" },
		{ "set auth-key", "Error: argument \"auth-key\" is wrong: missing value\n" },
		{ "set auth off auth required", "Error: argument \"required\" is wrong: auth given twice\n" },
		{ "set learn-rate off learn-r 5", "Error: argument \"5\" is wrong: learn-rate given twice\n" },
		/* a bad value anywhere: nothing is sent */
		{ "set auth optional max-peers 0", "Error: argument \"0\" is wrong: max-peers must be from 1 to 4096\n" },
		{ "set auth-keys 1", "Error: \"auth-keys\" is not a valid keyword\n" },
		{ "set max-peerz 1", "Error: \"max-peerz\" is not a valid keyword\n" },
		{ "set gossip 33", "Error: argument \"33\" is wrong: gossip must be off or from 1 to 32\n" },
		{ "set gossip on", "Error: argument \"on\" is wrong: gossip needs a number (decimal or 0x hex) or off\n" },
		{ "set probe-helpers 17", "Error: argument \"17\" is wrong: probe-helpers must be from 0 to 16\n" },
		{ "set probe-helpers off", "Error: argument \"off\" is wrong: probe-helpers needs a number (decimal or 0x hex)\n" },
		{ "set gossip 8 gossip 9", "Error: argument \"9\" is wrong: gossip given twice\n" },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		ASSERT_USAGE(do_node, bad[i].args, bad[i].msg);
}

/*
 * Writes @len bytes (a pattern, ending in a newline) to a new file of
 * @mode; its path is self->path, its bytes self->secret.
 */
static int secret_file(FIXTURE_DATA(cli) *self, size_t len, mode_t mode)
{
	size_t i;
	int fd;

	if (self->path[0])
		unlink(self->path);
	snprintf(self->path, sizeof(self->path), "/tmp/hbctl-secret-XXXXXX");
	fd = mkstemp(self->path);
	if (fd < 0)
		return -1;
	for (i = 0; i < len && i < sizeof(self->secret); i++)
		self->secret[i] = i + 1 == len ? '\n' : (uint8_t)(i * 37 + 200);
	if (write(fd, self->secret, len) != (ssize_t)len ||
	    fchmod(fd, mode)) {
		close(fd);
		return -1;
	}
	return close(fd);
}

/* "key add id 7 secret-file PATH" of the file secret_file() wrote. */
static const char *key_add_args(FIXTURE_DATA(cli) *self, char *buf,
				size_t len)
{
	snprintf(buf, len, "add id 7 secret-file %s", self->path);
	return buf;
}

/* The secret is the file, every byte of it, the final newline too. */
TEST_F(cli, key_add)
{
	static const size_t lens[] = {
		HEARTBEAT_KEY_SECRET_MIN, 32, HEARTBEAT_KEY_SECRET_MAX,
	};
	const struct nlattr *a;
	char args[128];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		ASSERT_EQ(0, secret_file(self, lens[i], 0600));
		ASSERT_EQ(HB_EXIT_OK, run(self, do_key,
					  key_add_args(self, args,
						       sizeof(args)), false))
			TH_LOG("%zu: %s", lens[i], self->err);
		ASSERT_EQ(HEARTBEAT_CMD_KEY_ADD, req_cmd());
		ASSERT_EQ(NLM_F_REQUEST | NLM_F_ACK, stub.req->nlmsg_flags);
		ASSERT_EQ(2U, req_nattrs());
		ASSERT_EQ(7U, mnl_attr_get_u32(req_attr(HEARTBEAT_A_KEY_ID)));
		a = req_attr(HEARTBEAT_A_KEY_SECRET);
		ASSERT_NE(NULL, a);
		ASSERT_EQ(lens[i], mnl_attr_get_payload_len(a));
		ASSERT_EQ(0, memcmp(self->secret, mnl_attr_get_payload(a),
				    lens[i]));
		ASSERT_EQ('\n', ((const char *)mnl_attr_get_payload(a))[lens[i] - 1]);
		ASSERT_STREQ("", self->err);
		ASSERT_STREQ("", capture_text(&self->out));
	}
	ASSERT_EQ(3, stub.talks);

	/* prefixes, either order, 0x ids; the owner may also write it */
	ASSERT_EQ(0, secret_file(self, 20, 0400));
	snprintf(args, sizeof(args), "a s %s i 0xffff", self->path);
	ASSERT_EQ(HB_EXIT_OK, run(self, do_key, args, false)) TH_LOG("%s", self->err);
	ASSERT_EQ(65535U, mnl_attr_get_u32(req_attr(HEARTBEAT_A_KEY_ID)));
	ASSERT_EQ(20, mnl_attr_get_payload_len(req_attr(HEARTBEAT_A_KEY_SECRET)));
}

/* Once sent, the request that held the secret holds zeros. */
TEST_F(cli, key_add_wipes)
{
	const uint8_t zeros[32] = {};
	const struct nlattr *a;
	char args[128];
	int rc;

	ASSERT_EQ(0, secret_file(self, 32, 0600));
	for (rc = 0; rc < 2; rc++) {
		/* also when the kernel refuses it */
		stub.talk_ret = rc ? -EEXIST : 0;
		ASSERT_EQ(rc ? HB_EXIT_KERNEL : HB_EXIT_OK,
			  run(self, do_key, key_add_args(self, args,
							 sizeof(args)), false));
		a = req_attr(HEARTBEAT_A_KEY_SECRET);
		ASSERT_EQ(0, memcmp(self->secret, mnl_attr_get_payload(a), 32));
		/* the same attribute in the buffer hbctl built */
		a = (const struct nlattr *)((const char *)stub.built +
					    ((const char *)a -
					     (const char *)stub.req));
		ASSERT_EQ(HEARTBEAT_A_KEY_SECRET, mnl_attr_get_type(a));
		ASSERT_EQ(0, memcmp(zeros, mnl_attr_get_payload(a), 32));
	}
	ASSERT_STREQ("Error: File exists.\n", self->err);
}

/* A secret file that cannot be used: exit 1, and nothing is opened. */
TEST_F(cli, key_add_bad_file)
{
	static const struct {
		size_t len;
		mode_t mode;
		const char *why;
	} bad[] = {
		{ 32, 0644, "Error: permissions 0644 of secret file \"%s\" are too open: no one but its owner may read or write it (chmod 600).\n" },
		{ 32, 0640, "Error: permissions 0640 of secret file \"%s\" are too open: no one but its owner may read or write it (chmod 600).\n" },
		{ 32, 0604, "Error: permissions 0604 of secret file \"%s\" are too open: no one but its owner may read or write it (chmod 600).\n" },
		{ 32, 0620, "Error: permissions 0620 of secret file \"%s\" are too open: no one but its owner may read or write it (chmod 600).\n" },
		{ 15, 0600, "Error: secret file \"%s\" holds 15 bytes: a secret is 16 to 64 bytes.\n" },
		{ 0, 0600, "Error: secret file \"%s\" holds 0 bytes: a secret is 16 to 64 bytes.\n" },
		{ 65, 0600, "Error: secret file \"%s\" holds more than 64 bytes: a secret is 16 to 64 bytes.\n" },
		{ 70, 0600, "Error: secret file \"%s\" holds more than 64 bytes: a secret is 16 to 64 bytes.\n" },
	};
	char args[128], msg[256];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		ASSERT_EQ(0, secret_file(self, bad[i].len, bad[i].mode));
		snprintf(msg, sizeof(msg), bad[i].why, self->path);
		ASSERT_USAGE(do_key, key_add_args(self, args, sizeof(args)),
			     msg);
	}
	ASSERT_USAGE(do_key, "add id 1 secret-file /nonexistent/secret",
		     "Error: cannot open secret file \"/nonexistent/secret\": No such file or directory.\n");
	ASSERT_USAGE(do_key, "add id 1 secret-file /tmp",
		     "Error: secret file \"/tmp\" is not a regular file.\n");
	ASSERT_USAGE(do_key, "add id 1 secret-file /dev/null",
		     "Error: secret file \"/dev/null\" is not a regular file.\n");
}

TEST_F(cli, key_usage)
{
	ASSERT_USAGE(do_key, "add", "Error: argument \"id\" is required\n");
	ASSERT_USAGE(do_key, "add secret-file /x",
		     "Error: argument \"id\" is required\n");
	ASSERT_USAGE(do_key, "add id 1",
		     "Error: argument \"secret-file\" is required\n");
	ASSERT_USAGE(do_key, "add id 1 secret-file",
		     "Error: argument \"secret-file\" is wrong: missing value\n");
	ASSERT_USAGE(do_key, "add id 0 secret-file /x",
		     "Error: argument \"0\" is wrong: id must be from 1 to 65535\n");
	ASSERT_USAGE(do_key, "add id 65536 secret-file /x",
		     "Error: argument \"65536\" is wrong: id must be from 1 to 65535\n");
	ASSERT_USAGE(do_key, "del id 4294967296",
		     "Error: argument \"4294967296\" is wrong: id must be from 1 to 65535\n");
	ASSERT_USAGE(do_key, "del id x",
		     "Error: argument \"x\" is wrong: id needs a number (decimal or 0x hex)\n");
	ASSERT_USAGE(do_key, "del id 1 id 2",
		     "Error: argument \"2\" is wrong: id given twice\n");
	ASSERT_USAGE(do_key, "add id 1 secret-file /x secret-file /y",
		     "Error: argument \"/y\" is wrong: secret-file given twice\n");
	ASSERT_USAGE(do_key, "add id 1 secret /x bogus 1",
		     "Error: \"bogus\" is not a valid keyword\n");
	ASSERT_USAGE(do_key, "del", "Error: argument \"id\" is required\n");
	ASSERT_USAGE(do_key, "del id 1 secret-file /x",
		     "Error: \"secret-file\" is not a valid keyword\n");
	ASSERT_USAGE(do_key, "show id 1",
		     "Error: \"id\" is not a valid keyword\n");
	ASSERT_USAGE(do_key, "set id 1",
		     "Command \"set\" is unknown, try \"hbctl key help\".\n");
	ASSERT_USAGE(do_key, "bogus",
		     "Command \"bogus\" is unknown, try \"hbctl key help\".\n");
}

TEST_F(cli, key_del)
{
	ASSERT_EQ(HB_EXIT_OK, run(self, do_key, "del id 2", false));
	ASSERT_STREQ("", self->err);
	ASSERT_STREQ("", capture_text(&self->out));
	ASSERT_EQ(HEARTBEAT_CMD_KEY_DEL, req_cmd());
	ASSERT_EQ(NLM_F_REQUEST | NLM_F_ACK, stub.req->nlmsg_flags);
	ASSERT_EQ(1U, req_nattrs());
	ASSERT_EQ(2U, mnl_attr_get_u32(req_attr(HEARTBEAT_A_KEY_ID)));
	ASSERT_EQ(HB_EXIT_OK, run(self, do_key, "d i 0xffff", false));
	ASSERT_EQ(HEARTBEAT_KEY_ID_MAX,
		  mnl_attr_get_u32(req_attr(HEARTBEAT_A_KEY_ID)));

	/* the kernel's refusal: the signing key, or no such key */
	stub.talk_ret = -EBUSY;
	ASSERT_EQ(HB_EXIT_KERNEL, run(self, do_key, "del id 1", false));
	ASSERT_STREQ("Error: Device or resource busy.\n", self->err);
}

/* A dump, ids and the signing flag only; "show" is the default. */
TEST_F(cli, key_show)
{
	stub.replies[0] = key_reply(self->msg, 1, false);
	stub.replies[1] = key_reply(self->msg2, 2, true);
	ASSERT_EQ(HB_EXIT_OK, run(self, do_key, "", false));
	ASSERT_EQ(HEARTBEAT_CMD_KEY_GET, req_cmd());
	ASSERT_EQ(NLM_F_REQUEST | NLM_F_DUMP, stub.req->nlmsg_flags);
	ASSERT_EQ(0U, req_nattrs());
	ASSERT_STREQ("key 1\nkey 2 signing\n", capture_text(&self->out));
	ASSERT_EQ(HB_EXIT_OK, run(self, do_key, "s", true));
	ASSERT_STREQ("[{\"id\":1,\"signing\":false},"
		     "{\"id\":2,\"signing\":true}]\n",
		     capture_text(&self->out));
	self->pretty = true;
	ASSERT_EQ(HB_EXIT_OK, run(self, do_key, "show", true));
	ASSERT_STREQ("[\n    {\n        \"id\": 1,\n"
		     "        \"signing\": false\n    },\n"
		     "    {\n        \"id\": 2,\n"
		     "        \"signing\": true\n    }\n]\n",
		     capture_text(&self->out));
	self->pretty = false;

	/* no keys */
	memset(stub.replies, 0, sizeof(stub.replies));
	ASSERT_EQ(HB_EXIT_OK, run(self, do_key, "show", false));
	ASSERT_STREQ("", capture_text(&self->out));
	ASSERT_EQ(HB_EXIT_OK, run(self, do_key, "show", true));
	ASSERT_STREQ("[]\n", capture_text(&self->out));

	/* not an administrator: nothing on stdout */
	stub.talk_ret = -EPERM;
	ASSERT_EQ(HB_EXIT_KERNEL, run(self, do_key, "show", true));
	ASSERT_STREQ("", capture_text(&self->out));
	ASSERT_STREQ("Error: Operation not permitted.\n", self->err);
}

/* A key without an id, or with a bad one, fails the command. */
TEST_F(cli, key_show_bad_reply)
{
	struct nlmsghdr *bad = reply_start(self->msg, HEARTBEAT_CMD_KEY_GET);

	mnl_attr_put(bad, HEARTBEAT_A_KEY_SIGNING, 0, NULL);
	stub.replies[0] = bad;
	ASSERT_EQ(HB_EXIT_KERNEL, run(self, do_key, "show", true));
	ASSERT_STREQ("", capture_text(&self->out));

	bad = reply_start(self->msg, HEARTBEAT_CMD_KEY_GET);
	mnl_attr_put_u16(bad, HEARTBEAT_A_KEY_ID, 1);
	ASSERT_EQ(HB_EXIT_KERNEL, run(self, do_key, "show", false));
	ASSERT_STREQ("", capture_text(&self->out));

	/* a secret in a reply is not printed, whatever sent it */
	bad = key_reply(self->msg, 3, false);
	mnl_attr_put(bad, HEARTBEAT_A_KEY_SECRET, 4, "abcd");
	ASSERT_EQ(HB_EXIT_OK, run(self, do_key, "show", true));
	ASSERT_STREQ("[{\"id\":3,\"signing\":false}]\n",
		     capture_text(&self->out));
}

/* "node show" through the stub, as hbctl prints it. */
TEST_F(cli, node_show)
{
	stub.replies[0] = node_reply_auth(self->msg, 1);
	ASSERT_EQ(HB_EXIT_OK, run(self, do_node, "", false));
	ASSERT_EQ(HEARTBEAT_CMD_NODE_GET, req_cmd());
	ASSERT_EQ(NLM_F_REQUEST, stub.req->nlmsg_flags);
	ASSERT_EQ(0U, req_nattrs());
	ASSERT_STREQ(NODE_PHI_TEXT NODE_AUTH_TEXT "\n", capture_text(&self->out));
	ASSERT_EQ(HB_EXIT_OK, run(self, do_node, "show", true));
	ASSERT_STREQ("{" NODE_PHI_JSON NODE_AUTH_JSON "}\n",
		     capture_text(&self->out));
}

/*
 * @text with the value of every *_timestamp_seconds sample replaced by
 * "T": prom_show() reads the clock itself. Each such value must lie
 * between @from and @to, Unix seconds, else NULL.
 */
static char *mask_timestamps(const char *text, time_t from, time_t to)
{
	char *out = malloc(strlen(text) + 1), *o = out;
	const char *nl, *val, *p;
	bool stamp;
	double t;

	while (out && *text) {
		nl = strchr(text, '\n');
		nl = nl ? nl + 1 : text + strlen(text);
		/* the value follows the line's last blank */
		for (val = NULL, p = text; p < nl; p++)
			if (*p == ' ')
				val = p + 1;
		p = strstr(text, "_timestamp_seconds{");
		stamp = *text != '#' && val && p && p < val;
		if (stamp) {
			t = strtod(val, NULL);
			if (t < from - 1 || t > to + 1) {
				free(out);
				return NULL;
			}
		}
		memcpy(o, text, (stamp ? val : nl) - text);
		o += (stamp ? val : nl) - text;
		if (stamp) {
			*o++ = 'T';
			*o++ = '\n';
		}
		text = nl;
	}
	if (out)
		*o = '\0';
	return out;
}

/* The replies of the stub, as prom_print() prints them. */
static char *prom_want(void)
{
	const struct nlmsghdr *peers[STUB_MAX_REPLIES];
	char module[64];
	struct prom_input in = { .peers = peers, .module_version = module };
	const struct genlmsghdr *genl;
	char *buf = NULL;
	size_t len;
	unsigned int i;
	FILE *fp;

	for (i = 0; i < STUB_MAX_REPLIES && stub.replies[i]; i++) {
		genl = mnl_nlmsg_get_payload(stub.replies[i]);
		if (genl->cmd == HEARTBEAT_CMD_NODE_GET)
			in.node = stub.replies[i];
		else if (genl->cmd == HEARTBEAT_CMD_STATS_GET)
			in.stats = stub.replies[i];
		else if (genl->cmd == HEARTBEAT_CMD_QUORUM_GET)
			in.quorum = stub.replies[i];
		else
			peers[in.npeers++] = stub.replies[i];
	}
	read_module_version(module, sizeof(module));
	in.now_ns = (uint64_t)time(NULL) * 1000000000;
	fp = open_memstream(&buf, &len);
	if (!fp)
		return NULL;
	if (prom_print(fp, &in)) {
		fclose(fp);
		free(buf);
		return NULL;
	}
	fclose(fp);
	return buf;
}

/* Four requests, whose replies all reach one print, with or without show. */
TEST_F(cli, stats_prometheus)
{
	static const char *const args[] = {
		"-o prometheus", "show -o prometheus", "s -o prometheus",
	};
	char quorum[REPLY_BUFSZ] __attribute__((aligned(4)));
	char *want, *got, *masked;
	unsigned int i;
	time_t from;

	stub.replies[0] = peer_reply(self->msg);
	stub.replies[1] = stats_reply_new(self->msg2);
	stub.replies[2] = node_reply_auth(self->msg3, 1);
	stub.replies[3] = peer_reply_configured(self->msg4);
	stub.replies[4] = quorum_reply(quorum, 5, 0);
	want = prom_want();
	ASSERT_NE(NULL, want);
	ASSERT_NE(NULL, strstr(want, "peer=\"3\""));
	ASSERT_NE(NULL, strstr(want, "heartbeat_quorate{node=\"1\",cluster=\"7\"} 0\n"));
	ASSERT_NE(NULL, strstr(want, "heartbeat_peer_last_seen_timestamp_seconds{"));
	masked = mask_timestamps(want, time(NULL) - 1, time(NULL));
	ASSERT_NE(NULL, masked);
	free(want);
	want = masked;

	for (i = 0; i < ARRAY_SIZE(args); i++) {
		stub.talks = 0;
		from = time(NULL);
		ASSERT_EQ(HB_EXIT_OK, run(self, do_stats, args[i], false))
			TH_LOG("%s: %s", args[i], self->err);
		ASSERT_EQ(4, stub.talks);
		ASSERT_EQ(HEARTBEAT_CMD_QUORUM_GET, stub.cmds[3]);
		ASSERT_EQ(NLM_F_REQUEST, stub.flags[3]);
		ASSERT_EQ(HEARTBEAT_CMD_NODE_GET, stub.cmds[0]);
		ASSERT_EQ(NLM_F_REQUEST, stub.flags[0]);
		ASSERT_EQ(HEARTBEAT_CMD_STATS_GET, stub.cmds[1]);
		ASSERT_EQ(NLM_F_REQUEST, stub.flags[1]);
		ASSERT_EQ(HEARTBEAT_CMD_PEER_GET, stub.cmds[2]);
		ASSERT_EQ(NLM_F_REQUEST | NLM_F_DUMP, stub.flags[2]);
		ASSERT_EQ(0U, req_nattrs());
		/* timestamps from the clock of the run, the rest as printed */
		got = mask_timestamps(capture_text(&self->out), from, time(NULL));
		ASSERT_NE(NULL, got) TH_LOG("%s", capture_text(&self->out));
		ASSERT_STREQ(want, got) TH_LOG("%s", args[i]);
		free(got);
		ASSERT_STREQ("", self->err);
	}
	free(want);

	/* a module without quorum: no gauges of it, and not a word */
	stub.replies[4] = NULL;
	stub.unsupported_cmd = HEARTBEAT_CMD_QUORUM_GET;
	want = prom_want();
	ASSERT_NE(NULL, want);
	ASSERT_EQ(NULL, strstr(want, "quorum"));
	masked = mask_timestamps(want, time(NULL) - 1, time(NULL));
	free(want);
	ASSERT_NE(NULL, masked);
	stub.talks = 0;
	from = time(NULL);
	ASSERT_EQ(HB_EXIT_OK, run(self, do_stats, "-o prometheus", false));
	ASSERT_EQ(4, stub.talks);
	got = mask_timestamps(capture_text(&self->out), from, time(NULL));
	ASSERT_NE(NULL, got);
	ASSERT_STREQ(masked, got);
	free(got);
	ASSERT_STREQ("", self->err);
	free(masked);
}

TEST_F(cli, stats_prometheus_usage)
{
	ASSERT_USAGE(do_stats, "-o",
		     "Error: argument \"-o\" is wrong: missing value\n");
	ASSERT_USAGE(do_stats, "show -o json",
		     "Error: argument \"json\" is wrong: -o must be prometheus\n");
	/* a format is named in full */
	ASSERT_USAGE(do_stats, "-o prom",
		     "Error: argument \"prom\" is wrong: -o must be prometheus\n");
	ASSERT_USAGE(do_stats, "-o prometheus -o prometheus",
		     "Error: argument \"prometheus\" is wrong: -o given twice\n");
	ASSERT_USAGE(do_stats, "-x",
		     "Error: \"-x\" is not a valid keyword\n");
	ASSERT_USAGE(do_stats, "show -o prometheus bogus",
		     "Error: \"bogus\" is not a valid keyword\n");
	ASSERT_EQ(HB_EXIT_USAGE, run(self, do_stats, "-o prometheus", true));
	ASSERT_STREQ("Error: -o prometheus and -j exclude each other.\n",
		     self->err);
	ASSERT_STREQ("", capture_text(&self->out));
	ASSERT_EQ(0, stub.opened);
}

/* Any failure prints nothing at all: no half file for the collector. */
TEST_F(cli, stats_prometheus_failures)
{
	struct nlmsghdr *bad;

	stub.replies[0] = node_reply_full(self->msg, 1);
	stub.replies[1] = stats_reply(self->msg2);
	stub.replies[2] = peer_reply(self->msg3);

	stub.talk_ret = -EPERM;
	ASSERT_EQ(HB_EXIT_KERNEL, run(self, do_stats, "-o prometheus", false));
	ASSERT_EQ(1, stub.talks);
	ASSERT_STREQ("Error: Operation not permitted.\n", self->err);
	ASSERT_STREQ("", capture_text(&self->out));

	/* a malformed peer, found once the dump is complete */
	stub.talk_ret = 0;
	stub.talks = 0;
	bad = peer_reply_configured(self->msg4);
	mnl_attr_put_u32(bad, HEARTBEAT_A_PEER_LOST, 1);
	stub.replies[3] = bad;
	ASSERT_EQ(HB_EXIT_KERNEL, run(self, do_stats, "-o prometheus", false));
	ASSERT_EQ(4, stub.talks);
	ASSERT_STREQ("Error: Protocol error.\n", self->err);
	ASSERT_STREQ("", capture_text(&self->out));

	/* no reply to NODE_GET */
	stub.replies[0] = stub.replies[2];
	stub.replies[3] = NULL;
	ASSERT_EQ(HB_EXIT_KERNEL, run(self, do_stats, "-o prometheus", false));
	ASSERT_STREQ("Error: Protocol error.\n", self->err);
	ASSERT_STREQ("", capture_text(&self->out));

	stub.open_ret = -ENOENT;
	stub.talks = 0;
	ASSERT_EQ(HB_EXIT_KERNEL, run(self, do_stats, "-o prometheus", false));
	ASSERT_EQ(0, stub.talks);
}

/* Peers and events of the phi detector through the stub. */
TEST_F(cli, peer_show_phi)
{
	stub.replies[0] = peer_reply_phi(self->msg);
	ASSERT_EQ(HB_EXIT_OK, run(self, do_peer, "show id 2", false));
	ASSERT_STREQ("2          alive    seen 3ms ago  phi 0.42  rx 1234"
		     "  lost 0  incarnation 1795744536250595520  links lo\n",
		     capture_text(&self->out));
}

/*
 * The monitor waits on a user-to-user netlink socket: a datagram sent to
 * it wakes the monitor up, and the stub hands over its canned events.
 */
static struct mnl_socket *wake_socket(void)
{
	struct mnl_socket *sock = mnl_socket_open(NETLINK_USERSOCK);

	if (sock && mnl_socket_bind(sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		mnl_socket_close(sock);
		sock = NULL;
	}
	return sock;
}

static int wake(struct mnl_socket *sock)
{
	struct mnl_socket *from = mnl_socket_open(NETLINK_USERSOCK);
	struct sockaddr_nl to = {
		.nl_family = AF_NETLINK,
		.nl_pid = mnl_socket_get_portid(sock),
	};
	struct nlmsghdr nlh = { .nlmsg_len = sizeof(nlh) };
	ssize_t n;

	if (!from)
		return -1;
	n = sendto(mnl_socket_get_fd(from), &nlh, sizeof(nlh), 0,
		   (struct sockaddr *)&to, sizeof(to));
	mnl_socket_close(from);
	return n == sizeof(nlh) ? 0 : -1;
}

TEST_F(cli, monitor_count)
{
	stub.sock = wake_socket();
	if (!stub.sock)
		SKIP(return, "no NETLINK_USERSOCK socket");
	stub.events[0] = event_state(self->msg, 2, HEARTBEAT_STATE_SUSPECT,
				     HEARTBEAT_STATE_ALIVE);
	stub.events[1] = peer_reply(self->msg2);
	stub.events[2] = event_restart(self->msg3, 2, 6, 5);
	stub.events[3] = event_state_phi(self->msg4, 2, 8015);
	ASSERT_EQ(0, wake(stub.sock));
	/* -p must not spread an event over several lines */
	self->pretty = true;
	ASSERT_EQ(HB_EXIT_OK, run_stdout(self, do_monitor, "count 3", true));
	ASSERT_STREQ("{\"event\":\"peer-state\",\"id\":2,"
		     "\"state\":\"suspect\",\"prev\":\"alive\","
		     "\"time_ns\":1795744536250595520,\"time_ns_str\":\"1795744536250595520\","
		     "\"incarnation\":1795744536250595520,\"incarnation_str\":\"1795744536250595520\"}\n"
		     "{\"event\":\"peer-restart\",\"id\":2,"
		     "\"incarnation\":6,\"incarnation_str\":\"6\",\"prev_incarnation\":5,\"prev_incarnation_str\":\"5\","
		     "\"time_ns\":1795744536250595520,\"time_ns_str\":\"1795744536250595520\"}\n"
		     "{\"event\":\"peer-state\",\"id\":2,"
		     "\"state\":\"dead\",\"prev\":\"suspect\","
		     "\"time_ns\":1795744536250595520,\"time_ns_str\":\"1795744536250595520\","
		     "\"incarnation\":1795744536250595520,\"incarnation_str\":\"1795744536250595520\",\"phi\":8.015}\n",
		     self->stdout_buf);
	mnl_socket_close(stub.sock);
}

/* Sends @sig to this process once the monitor is waiting. */
static pid_t signal_later(int sig)
{
	pid_t parent = getpid(), pid = fork();

	if (!pid) {
		usleep(200000);
		kill(parent, sig);
		_exit(0);
	}
	return pid;
}

TEST_F(cli, monitor_signals)
{
	static const int sigs[] = { SIGTERM, SIGINT };
	unsigned int i;
	pid_t pid;

	stub.sock = wake_socket();
	if (!stub.sock)
		SKIP(return, "no NETLINK_USERSOCK socket");
	for (i = 0; i < ARRAY_SIZE(sigs); i++) {
		pid = signal_later(sigs[i]);
		ASSERT_LT(0, pid);
		ASSERT_EQ(HB_EXIT_OK, run_stdout(self, do_monitor, "", false));
		ASSERT_STREQ("", self->stdout_buf);
		ASSERT_STREQ("", self->err);
		waitpid(pid, NULL, 0);
	}
	mnl_socket_close(stub.sock);
}

/* Each keyword, prefixes, and all three at once, in one request. */
TEST_F(cli, quorum_set)
{
	ASSERT_EQ(HB_EXIT_OK, run(self, do_quorum, "set expected-votes 5",
				  false));
	ASSERT_EQ(HEARTBEAT_CMD_QUORUM_SET, req_cmd());
	ASSERT_EQ(NLM_F_REQUEST | NLM_F_ACK, stub.req->nlmsg_flags);
	ASSERT_EQ(1U, req_nattrs());
	ASSERT_EQ(5U, mnl_attr_get_u32(req_attr(HEARTBEAT_A_QUORUM_EXPECTED_VOTES)));
	ASSERT_EQ(4, mnl_attr_get_payload_len(req_attr(HEARTBEAT_A_QUORUM_EXPECTED_VOTES)));

	ASSERT_EQ(HB_EXIT_OK, run(self, do_quorum,
				  "set e 3 tie-breaker highest wait-for-all on",
				  false));
	ASSERT_EQ(3U, req_nattrs());
	ASSERT_EQ(3U, mnl_attr_get_u32(req_attr(HEARTBEAT_A_QUORUM_EXPECTED_VOTES)));
	ASSERT_EQ(HEARTBEAT_TIE_BREAKER_HIGHEST,
		  mnl_attr_get_u8(req_attr(HEARTBEAT_A_QUORUM_TIE_BREAKER)));
	ASSERT_EQ(1, mnl_attr_get_payload_len(req_attr(HEARTBEAT_A_QUORUM_TIE_BREAKER)));
	ASSERT_EQ(1, mnl_attr_get_u8(req_attr(HEARTBEAT_A_QUORUM_WAIT_FOR_ALL)));
	ASSERT_EQ(1, mnl_attr_get_payload_len(req_attr(HEARTBEAT_A_QUORUM_WAIT_FOR_ALL)));

	/* any subset; "off" is expected-votes 0 */
	ASSERT_EQ(HB_EXIT_OK, run(self, do_quorum, "set w off t none", false));
	ASSERT_EQ(2U, req_nattrs());
	ASSERT_EQ(NULL, req_attr(HEARTBEAT_A_QUORUM_EXPECTED_VOTES));
	ASSERT_EQ(HEARTBEAT_TIE_BREAKER_NONE,
		  mnl_attr_get_u8(req_attr(HEARTBEAT_A_QUORUM_TIE_BREAKER)));
	ASSERT_EQ(0, mnl_attr_get_u8(req_attr(HEARTBEAT_A_QUORUM_WAIT_FOR_ALL)));
	ASSERT_EQ(HB_EXIT_OK, run(self, do_quorum, "set expected-votes off",
				  false));
	ASSERT_EQ(0U, mnl_attr_get_u32(req_attr(HEARTBEAT_A_QUORUM_EXPECTED_VOTES)));
	ASSERT_EQ(HB_EXIT_OK, run(self, do_quorum, "set expected-votes 65",
				  false));
	ASSERT_EQ(HEARTBEAT_VOTES_MAX,
		  mnl_attr_get_u32(req_attr(HEARTBEAT_A_QUORUM_EXPECTED_VOTES)));
	ASSERT_STREQ("", self->err);
}

TEST_F(cli, quorum_set_usage)
{
	ASSERT_USAGE(do_quorum, "set",
		     "Error: nothing to set, see \"hbctl quorum help\".\n");
	ASSERT_USAGE(do_quorum, "set votes 3",
		     "Error: \"votes\" is not a valid keyword\n");
	ASSERT_USAGE(do_quorum, "set expected-votes",
		     "Error: argument \"expected-votes\" is wrong: missing value\n");
	ASSERT_USAGE(do_quorum, "set expected-votes 66",
		     "Error: argument \"66\" is wrong: expected-votes must be off or from 0 to 65\n");
	ASSERT_USAGE(do_quorum, "set expected-votes 4294967296",
		     "Error: argument \"4294967296\" is wrong: expected-votes must be off or from 0 to 65\n");
	ASSERT_USAGE(do_quorum, "set expected-votes -1",
		     "Error: argument \"-1\" is wrong: expected-votes needs a number (decimal or 0x hex) or off\n");
	ASSERT_USAGE(do_quorum, "set expected-votes 3 expected-votes 4",
		     "Error: argument \"4\" is wrong: expected-votes given twice\n");
	/* enum values in full, as everywhere */
	ASSERT_USAGE(do_quorum, "set tie-breaker low",
		     "Error: argument \"low\" is wrong: tie-breaker must be none, lowest, highest or disk\n");
	ASSERT_USAGE(do_quorum, "set tie-breaker 1",
		     "Error: argument \"1\" is wrong: tie-breaker must be none, lowest, highest or disk\n");
	ASSERT_USAGE(do_quorum, "set wait-for-all yes",
		     "Error: argument \"yes\" is wrong: wait-for-all must be on or off\n");
	ASSERT_USAGE(do_quorum, "show bogus",
		     "Error: \"bogus\" is not a valid keyword\n");
	ASSERT_USAGE(do_quorum, "reset",
		     "Command \"reset\" is unknown, try \"hbctl quorum help\".\n");
}

TEST_F(cli, quorum_show)
{
	stub.replies[0] = quorum_reply(self->msg, 5, 1);
	/* no command is show, and "s" is show, never set */
	ASSERT_EQ(HB_EXIT_OK, run(self, do_quorum, "", false));
	ASSERT_EQ(HEARTBEAT_CMD_QUORUM_GET, req_cmd());
	ASSERT_EQ(NLM_F_REQUEST, stub.req->nlmsg_flags);
	ASSERT_EQ(0U, req_nattrs());
	ASSERT_STREQ("quorate yes  votes 3  expected-votes 5"
		     "  tie-breaker lowest  wait-for-all off  nodes 5"
		     "  changes 2  members 1 2 3\n", capture_text(&self->out));
	ASSERT_EQ(HB_EXIT_OK, run(self, do_quorum, "s", true));
	ASSERT_EQ(HEARTBEAT_CMD_QUORUM_GET, req_cmd());
	ASSERT_STREQ("{\"quorate\":true,\"expected_votes\":5,\"votes\":3,"
		     "\"members\":[1,2,3],\"tie_breaker\":\"lowest\","
		     "\"wait_for_all\":false,\"nodes\":5,\"changes\":2}\n",
		     capture_text(&self->out));

	/* a module without quorum refuses the command: no reply */
	stub.replies[0] = NULL;
	stub.talk_ret = -EOPNOTSUPP;
	ASSERT_EQ(HB_EXIT_KERNEL, run(self, do_quorum, "show", true));
	ASSERT_STREQ("", capture_text(&self->out));
	ASSERT_STREQ("Error: Operation not supported.\n", self->err);
	stub.talk_ret = -EPERM;
	ASSERT_EQ(HB_EXIT_KERNEL, run(self, do_quorum, "set e 3", false));
	ASSERT_STREQ("Error: Operation not permitted.\n", self->err);
}

TEST_HARNESS_MAIN
