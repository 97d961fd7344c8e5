// SPDX-License-Identifier: GPL-2.0-only
/*
 * showconf, setconf and -b on the host: the file's words and lines, the
 * printed configuration, its round trip through setconf (nothing sent when
 * nothing differs), the difference and its order, the undo when the
 * "kernel" refuses a step, refusals with their line numbers, and the key
 * files' checks. Linked against genl_stub.c: nothing reaches a kernel.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/stat.h>

#include "kselftest_harness.h"

#include "app_replies.h"
#include "conf.h"
#include "genl_stub.h"
#include "hbctl.h"
#include "node_reply.h"
#include "replies.h"
#include "utils.h"

#define NREPLIES	12
#define NGETS		7	/* node, key, link, peer, app, disk, quorum */

FIXTURE(conf)
{
	char dir[64];			/* keys 1 and 2, the disk, the files */
	char file[96];
	char disk[128];
	char *out;
	size_t out_len;
	char *err;
	size_t err_len;
	char msg[NREPLIES][REPLY_BUFSZ] __attribute__((aligned(4)));
};

static void write_file(const char *path, const char *text, mode_t mode)
{
	FILE *fp = fopen(path, "w");

	if (fp) {
		fputs(text, fp);
		fclose(fp);
	}
	chmod(path, mode);
}

FIXTURE_SETUP(conf)
{
	char path[128];

	memset(&stub, 0, sizeof(stub));
	self->out = self->err = NULL;
	snprintf(self->dir, sizeof(self->dir), "/tmp/hbctl-conf-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->file, sizeof(self->file), "%s/heartbeat.conf",
		 self->dir);
	/* A disk path that needs quoting, and exists (setconf looks). */
	snprintf(self->disk, sizeof(self->disk), "%s/shared disk", self->dir);
	write_file(self->disk, "", 0600);
	snprintf(path, sizeof(path), "%s/1", self->dir);
	write_file(path, "0123456789abcdef0123456789abcdef", 0600);
	snprintf(path, sizeof(path), "%s/2", self->dir);
	write_file(path, "fedcba9876543210fedcba9876543210", 0600);
}

FIXTURE_TEARDOWN(conf)
{
	static const char *const names[] = {
		"1", "2", "shared disk", "heartbeat.conf",
	};
	char path[160];
	unsigned int i;

	free(self->out);
	free(self->err);
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		snprintf(path, sizeof(path), "%s/%s", self->dir, names[i]);
		unlink(path);
	}
	if (rmdir(self->dir))
		TH_LOG("could not remove %s", self->dir);
}

/* @fn(@args split at blanks) with stdout and stderr kept in self. */
static int run(FIXTURE_DATA(conf) *self, int (*fn)(int, char **),
	       const char *args)
{
	FILE *saved_out = stdout, *saved_err = stderr;
	char line[512], *argv[16];
	int argc, rc;

	snprintf(line, sizeof(line), "%s", args);
	argc = split_words(line, argv, 16);
	free(self->out);
	free(self->err);
	self->out = self->err = NULL;
	stdout = open_memstream(&self->out, &self->out_len);
	stderr = open_memstream(&self->err, &self->err_len);
	rc = fn(argc, argv);
	fclose(stdout);
	fclose(stderr);
	stdout = saved_out;
	stderr = saved_err;
	return rc;
}

/*
 * A node as rich as a node gets: every setting away from its default
 * where it can be, keys 1 (signing) and 2, a link, two configured peers
 * and a learned one, two gates, a disk and the quorum.
 */
static void node_state(FIXTURE_DATA(conf) *self, uint32_t fall)
{
	struct nlmsghdr *nlh;
	unsigned int n = 0;

	nlh = node_reply_start(self->msg[n]);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_NODE_ID, 1);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_NODE_CLUSTER, 7);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_NODE_INCARNATION, 42);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_NODE_INTERVAL_US, 1001);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_NODE_FALL, fall);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_NODE_RISE, 2);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_NODE_GRACE_US, 1500000);
	mnl_attr_put_u8(nlh, HEARTBEAT_A_NODE_LEARN, 0);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_NODE_SLACK_US, 0);
	mnl_attr_put_u8(nlh, HEARTBEAT_A_NODE_DETECTOR, HEARTBEAT_DETECTOR_PHI);
	mnl_attr_put_u8(nlh, HEARTBEAT_A_NODE_PHI_MODEL,
			HEARTBEAT_PHI_EXPONENTIAL);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_NODE_PHI_THRESHOLD, 8125);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_NODE_PHI_WARN, 0);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_NODE_PHI_WINDOW, 100);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_NODE_PHI_MIN_STDDEV_US, 500);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_NODE_PHI_PAUSE_US, 0);
	mnl_attr_put_u8(nlh, HEARTBEAT_A_NODE_AUTH, HEARTBEAT_AUTH_REQUIRED);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_NODE_AUTH_KEY, 1);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_NODE_MAX_PEERS, 64);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_NODE_LEARN_RATE, 0);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_NODE_LEARN_EXPIRE_US, 0);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_NODE_GOSSIP, 8);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_NODE_PROBE_HELPERS, 0);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_NODE_MIN_LINKS, 2);
	mnl_attr_put_u8(nlh, HEARTBEAT_A_NODE_LAST_WORDS,
			HEARTBEAT_LAST_WORDS_REBOOT);
	stub.replies[n] = nlh;
	n++;
	stub.replies[n] = key_reply(self->msg[n], 1, true);
	n++;
	stub.replies[n] = key_reply(self->msg[n], 2, false);
	n++;
	nlh = reply_start(self->msg[n], HEARTBEAT_CMD_LINK_GET);
	put_link(nlh, "lo", LO_IFINDEX, 1, HEARTBEAT_LINK_UNICAST, 1);
	stub.replies[n++] = nlh;
	nlh = peer_reply_id(self->msg[n], 2, HEARTBEAT_STATE_ALIVE);
	mnl_attr_put(nlh, HEARTBEAT_A_PEER_CONFIGURED, 0, NULL);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_PEER_IFINDEX, LO_IFINDEX);
	mnl_attr_put(nlh, HEARTBEAT_A_PEER_MAC, 6, "\x02\x00\x00\x00\x00\x02");
	stub.replies[n++] = nlh;
	nlh = peer_reply_id(self->msg[n], 3, HEARTBEAT_STATE_DEAD);
	mnl_attr_put(nlh, HEARTBEAT_A_PEER_CONFIGURED, 0, NULL);
	stub.replies[n++] = nlh;
	/* learned: no line of its own */
	stub.replies[n] = peer_reply_id(self->msg[n], 9, HEARTBEAT_STATE_ALIVE);
	n++;
	stub.replies[n] = app_reply(self->msg[n], "db", 1,
				    HEARTBEAT_APP_NOTREADY);
	n++;
	stub.replies[n] = app_reply(self->msg[n], "a\"#b", 0,
				    HEARTBEAT_APP_SILENCE);
	n++;
	nlh = reply_start(self->msg[n], HEARTBEAT_CMD_DISK_GET);
	mnl_attr_put_strz(nlh, HEARTBEAT_A_DISK_PATH, self->disk);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_DISK_OFFSET, 8192);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_DISK_SLOTS, 32);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_DISK_INTERVAL_US, 1500000);
	mnl_attr_put_u8(nlh, HEARTBEAT_A_DISK_UP, 1);
	stub.replies[n++] = nlh;
	nlh = quorum_reply(self->msg[n], 3, 1);
	stub.replies[n++] = nlh;
}

static const char *expected_text(FIXTURE_DATA(conf) *self, char *buf,
				 size_t len)
{
	snprintf(buf, len,
		 "# heartbeat configuration (hbctl showconf)\n"
		 "key add id 1 secret-file %s/1\n"
		 "key add id 2 secret-file %s/2\n"
		 "node set id 1 cluster 7 interval 1001us fall 3 rise 2 grace 1.5s \\\n"
		 "\tlearn off slack auto detector phi phi-model exponential phi-threshold 8.125 phi-warn off \\\n"
		 "\tphi-window 100 phi-min-stddev 500us phi-pause 0s auth required auth-key 1 max-peers 64 \\\n"
		 "\tlearn-rate off learn-expire off gossip 8 probe-helpers 0 min-links 2 last-words reboot\n"
		 "link add dev lo mode unicast\n"
		 "peer add id 2 dev lo mac 02:00:00:00:00:02\n"
		 "peer add id 3\n"
		 "app add db timeout 300ms action notready\n"
		 "app add \"a\\\"#b\" timeout 300ms action silence\n"
		 "disk add dev \"%s\" offset 8192 slots 32 interval 1.5s\n"
		 "quorum set expected-votes 3 tie-breaker lowest wait-for-all off\n",
		 self->dir, self->dir, self->disk);
	return buf;
}

TEST_F(conf, showconf_prints_everything)
{
	char want[2048], args[128];

	node_state(self, 3);
	snprintf(args, sizeof(args), "keydir %s", self->dir);
	ASSERT_EQ(HB_EXIT_OK, run(self, do_showconf, args));
	ASSERT_STREQ(expected_text(self, want, sizeof(want)), self->out);
	ASSERT_STREQ("", self->err);
	ASSERT_EQ(NGETS, stub.talks);
}

/* A node without an id, a disk, keys or gates: what a fresh module has. */
TEST_F(conf, showconf_fresh_node)
{
	struct nlmsghdr *nlh = node_reply_full(self->msg[0], 0);

	stub.replies[0] = nlh;
	stub.replies[1] = quorum_reply(self->msg[1], 0, 0);
	stub.fail_cmd = HEARTBEAT_CMD_DISK_GET;
	stub.fail_cmd_ret = -ENOENT;
	ASSERT_EQ(HB_EXIT_OK, run(self, do_showconf, ""));
	ASSERT_STREQ("# heartbeat configuration (hbctl showconf)\n"
		     "# the node id is not set\n"
		     "node set cluster 7 interval 10ms fall 3 rise 2 grace 1s learn on\n"
		     "quorum set expected-votes off tie-breaker lowest wait-for-all off\n",
		     self->out);
	ASSERT_STREQ("", self->err);
}

/* What showconf printed, setconf finds equal: not one change sent. */
TEST_F(conf, round_trip_sends_nothing)
{
	char args[256];
	unsigned int i;

	node_state(self, 3);
	snprintf(args, sizeof(args), "keydir %s", self->dir);
	ASSERT_EQ(HB_EXIT_OK, run(self, do_showconf, args));
	write_file(self->file, self->out, 0600);
	memset(stub.cmds, 0, sizeof(stub.cmds));
	stub.talks = 0;
	snprintf(args, sizeof(args), "%s", self->file);
	ASSERT_EQ(HB_EXIT_OK, run(self, do_setconf, args)) TH_LOG("%s", self->err);
	ASSERT_STREQ("", self->err);
	ASSERT_EQ(NGETS, stub.talks);
	for (i = 0; i < NGETS; i++)
		ASSERT_EQ(0, stub.flags[i] & NLM_F_ACK);
}

/* Every node setting, at values whose text is easy to get wrong. */
TEST_F(conf, node_values_round_trip)
{
	static const char *const lines[] = {
		"id 4294967295 interval 1001us grace 0s slack 1.5ms phi-threshold 0.001 phi-warn 12.125",
		"interval 1s grace 4294967295us slack auto learn on phi-min-stddev 1us phi-pause 3600s",
		"auth-key none learn-rate off learn-expire off gossip off probe-helpers 16 last-words on",
		"auth-key 65535 learn-rate 1000 learn-expire 90s gossip 1 min-links 8 max-peers 1",
		"detector timeout phi-model normal auth off phi-window 1000 learn off",
	};
	struct node_conf a, b;
	char line[1024], *argv[64], *text = NULL;
	unsigned int i, j;
	size_t len;
	FILE *fp;
	int argc;

	for (i = 0; i < ARRAY_SIZE(lines); i++) {
		memset(&a, 0, sizeof(a));
		memset(&b, 0, sizeof(b));
		snprintf(line, sizeof(line), "%s", lines[i]);
		argc = split_words(line, argv, 64);
		ASSERT_EQ(-1, node_conf_parse(argc, argv, &a)) TH_LOG("%s", lines[i]);
		fp = open_memstream(&text, &len);
		node_conf_print(fp, &a, 0);
		fclose(fp);
		argc = split_words(text, argv, 64);
		ASSERT_EQ(-1, node_conf_parse(argc, argv, &b)) TH_LOG("%s", lines[i]);
		for (j = 0; j < node_conf_count(); j++) {
			ASSERT_EQ(a.given[j], b.given[j]) TH_LOG("%s", node_conf_name(j));
			ASSERT_EQ(a.val[j], b.val[j]) TH_LOG("%s", node_conf_name(j));
		}
		free(text);
		text = NULL;
	}
}

TEST_F(conf, words_and_lines)
{
	char line[] = "  link  add dev \"e t\\\"h\\\\0\" # a comment \"";
	char text[] = "a \\\n b\n\n# c\nd \"x\\\n";
	char *argv[8], *buf = NULL;
	unsigned int lineno, next = 0;
	size_t size = 0;
	FILE *fp;

	ASSERT_EQ(4, split_words(line, argv, 8));
	ASSERT_STREQ("link", argv[0]);
	ASSERT_STREQ("add", argv[1]);
	ASSERT_STREQ("dev", argv[2]);
	ASSERT_STREQ("e t\"h\\0", argv[3]);
	snprintf(line, sizeof(line), "a \"b");
	ASSERT_EQ(-EINVAL, split_words(line, argv, 8));
	snprintf(line, sizeof(line), "a b c");
	ASSERT_EQ(-E2BIG, split_words(line, argv, 2));

	fp = fmemopen(text, strlen(text), "r");
	ASSERT_LE(0, read_logical_line(fp, &buf, &size, &lineno, &next));
	ASSERT_EQ(1U, lineno);
	ASSERT_EQ(2, split_words(buf, argv, 8));
	ASSERT_LE(0, read_logical_line(fp, &buf, &size, &lineno, &next));
	ASSERT_EQ(3U, lineno);
	ASSERT_EQ(0, split_words(buf, argv, 8));
	ASSERT_LE(0, read_logical_line(fp, &buf, &size, &lineno, &next));
	ASSERT_EQ(4U, lineno);
	ASSERT_EQ(0, split_words(buf, argv, 8));
	/* a continued line that the file ends */
	ASSERT_LE(0, read_logical_line(fp, &buf, &size, &lineno, &next));
	ASSERT_EQ(5U, lineno);
	ASSERT_EQ(-EINVAL, split_words(buf, argv, 8));
	ASSERT_EQ(-1, read_logical_line(fp, &buf, &size, &lineno, &next));
	fclose(fp);
	free(buf);
}

TEST_F(conf, print_word_quotes)
{
	static const char *const words[] = {
		"plain", "", "a b", "a\"b", "a\\b", "#x", "x#", "tab\there",
	};
	char *text = NULL, *argv[2];
	unsigned int i;
	size_t len;
	FILE *fp;

	for (i = 0; i < ARRAY_SIZE(words); i++) {
		fp = open_memstream(&text, &len);
		print_word(fp, words[i]);
		fclose(fp);
		ASSERT_EQ(1, split_words(text, argv, 2)) TH_LOG("%s", words[i]);
		ASSERT_STREQ(words[i], argv[0]);
		free(text);
		text = NULL;
	}
}

/*
 * The file changes fall, drops peer 3 and key 2, adds peer 4, and the
 * gate db times out later: those steps, in that order, nothing else.
 */
static void changed_file(FIXTURE_DATA(conf) *self)
{
	char text[2048], *p;

	expected_text(self, text, sizeof(text));
	p = strstr(text, "fall 3");
	p[5] = '5';
	p = strstr(text, "peer add id 3\n");
	memcpy(p, "peer add id 4\n", 14);
	p = strstr(text, "db timeout 300ms");
	memcpy(p, "db timeout 900ms", 16);
	p = strstr(text, "key add id 2");
	memmove(p, strchr(p, '\n') + 1, strlen(strchr(p, '\n') + 1) + 1);
	write_file(self->file, text, 0600);
}

TEST_F(conf, setconf_sends_the_difference)
{
	static const uint8_t want[] = {
		HEARTBEAT_CMD_PEER_DEL, HEARTBEAT_CMD_APP_DEL,
		HEARTBEAT_CMD_NODE_SET, HEARTBEAT_CMD_PEER_ADD,
		HEARTBEAT_CMD_APP_ADD, HEARTBEAT_CMD_KEY_DEL,
	};
	unsigned int i;

	node_state(self, 3);
	changed_file(self);
	ASSERT_EQ(HB_EXIT_OK, run(self, do_setconf, self->file)) TH_LOG("%s", self->err);
	ASSERT_STREQ("", self->err);
	ASSERT_EQ(NGETS + ARRAY_SIZE(want), (unsigned int)stub.talks);
	for (i = 0; i < ARRAY_SIZE(want); i++)
		ASSERT_EQ(want[i], stub.cmds[NGETS + i]) TH_LOG("step %u", i);
	/* the last one: key 2, by its id alone */
	ASSERT_EQ(2U, mnl_attr_get_u32(mnl_nlmsg_get_payload_offset(stub.req,
								  GENL_HDRLEN)));
}

/* The fourth step fails: the three before are undone, newest first. */
TEST_F(conf, setconf_undoes_a_refusal)
{
	static const uint8_t want[] = {
		HEARTBEAT_CMD_PEER_DEL, HEARTBEAT_CMD_APP_DEL,
		HEARTBEAT_CMD_NODE_SET, HEARTBEAT_CMD_PEER_ADD,
		/* undo */
		HEARTBEAT_CMD_NODE_SET, HEARTBEAT_CMD_APP_ADD,
		HEARTBEAT_CMD_PEER_ADD,
	};
	char line[512];
	unsigned int i;

	node_state(self, 3);
	changed_file(self);
	stub.fail_nth = NGETS + 4;
	stub.fail_nth_ret = -EEXIST;
	ASSERT_EQ(HB_EXIT_KERNEL, run(self, do_setconf, self->file));
	ASSERT_EQ(NGETS + ARRAY_SIZE(want), (unsigned int)stub.talks);
	for (i = 0; i < ARRAY_SIZE(want); i++)
		ASSERT_EQ(want[i], stub.cmds[NGETS + i]) TH_LOG("step %u", i);
	/* the refused line is named, peer 4's: line 9 */
	snprintf(line, sizeof(line),
		 "%s:9: Error: File exists.\n"
		 "%s: the running configuration is as it was (3 changes undone).\n",
		 self->file, self->file);
	ASSERT_STREQ(line, self->err);
	/* the undone peer 3 is peer 3, as it was */
	ASSERT_EQ(3U, mnl_attr_get_u32(mnl_nlmsg_get_payload_offset(stub.req,
								  GENL_HDRLEN)));
}

/* Every bad line is named, and not one request leaves. */
TEST_F(conf, check_names_bad_lines)
{
	char want[2048], args[160];

	write_file(self->file,
		   "# comment\n"
		   "node set id 1 cluster 7 \\\n"
		   "   fall x\n"
		   "node s\n"
		   "peer probe id 2\n"
		   "link add dev lo\n"
		   "link add dev lo mode unicast\n"
		   "nonsense here\n"
		   "app add db timeout 1ms\n"
		   "key add id 1 secret-file \"unclosed\n"
		   "node set cluster 8 cluster 9\n",
		   0600);
	snprintf(args, sizeof(args), "--check %s", self->file);
	ASSERT_EQ(HB_EXIT_USAGE, run(self, do_setconf, args));
	snprintf(want, sizeof(want),
		 "%1$s:2: Error: argument \"x\" is wrong: fall needs a number (decimal or 0x hex)\n"
		 "%1$s:4: Error: \"node s\" is not a configuration line: a file has only node set, key add, link add, peer add, app add, disk add and quorum set.\n"
		 "%1$s:5: Error: \"peer probe\" is not a configuration line: a file has only node set, key add, link add, peer add, app add, disk add and quorum set.\n"
		 "%1$s:7: Error: link lo is configured twice (first on line 6).\n"
		 "%1$s:8: Error: \"nonsense here\" is not a configuration line: a file has only node set, key add, link add, peer add, app add, disk add and quorum set.\n"
		 "%1$s:9: Error: argument \"1ms\" is wrong: timeout must be from 10ms to 3600s\n"
		 "%1$s:10: Error: a quote is not closed.\n"
		 "%1$s:11: Error: argument \"8\" is wrong: cluster given twice\n",
		 self->file);
	ASSERT_STREQ(want, self->err);
	ASSERT_EQ(0, stub.opened);
}

/* What the lines say of each other, the kernel would refuse. */
TEST_F(conf, check_consistency)
{
	char want[1024], args[160];

	write_file(self->file,
		   "node set id 3 auth required auth-key 4\n"
		   "peer add id 2\n"
		   "peer add id 3\n"
		   "quorum set tie-breaker disk\n",
		   0600);
	snprintf(args, sizeof(args), "--check %s", self->file);
	ASSERT_EQ(HB_EXIT_USAGE, run(self, do_setconf, args));
	snprintf(want, sizeof(want),
		 "%1$s:3: Error: peer 3 has this node's own id.\n"
		 "%1$s:1: Error: auth-key 4 is no key of the file (key add id 4 secret-file FILE).\n"
		 "%1$s:4: Error: tie-breaker disk needs a disk add line.\n",
		 self->file);
	ASSERT_STREQ(want, self->err);
	ASSERT_EQ(0, stub.opened);
}

/* A secret others may read, or that someone else owns, is refused. */
TEST_F(conf, key_file_checks)
{
	char key[128], want[512], args[160];

	snprintf(key, sizeof(key), "%s/1", self->dir);
	snprintf(args, sizeof(args), "key add id 1 secret-file %s\n", key);
	write_file(self->file, args, 0600);
	snprintf(args, sizeof(args), "--check %s", self->file);

	ASSERT_EQ(HB_EXIT_OK, run(self, do_setconf, args));
	ASSERT_STREQ("", self->err);

	chmod(key, 0640);
	ASSERT_EQ(HB_EXIT_USAGE, run(self, do_setconf, args));
	snprintf(want, sizeof(want),
		 "%s:1: Error: permissions 0640 of secret file \"%s\" are too open: no one but its owner may read or write it (chmod 600).\n",
		 self->file, key);
	ASSERT_STREQ(want, self->err);
	chmod(key, 0600);

	write_file(key, "short", 0600);
	ASSERT_EQ(HB_EXIT_USAGE, run(self, do_setconf, args));
	snprintf(want, sizeof(want),
		 "%s:1: Error: secret file \"%s\" holds 5 bytes: a secret is 16 to 64 bytes.\n",
		 self->file, key);
	ASSERT_STREQ(want, self->err);
	write_file(key, "0123456789abcdef", 0600);

	/* only root can give a file away */
	if (geteuid())
		SKIP(return, "not root: cannot chown the key file");
	ASSERT_EQ(0, chown(key, 4242, 4242));
	ASSERT_EQ(HB_EXIT_USAGE, run(self, do_setconf, args));
	snprintf(want, sizeof(want),
		 "%s:1: Error: secret file \"%s\" belongs to uid 4242: it must be root's or the caller's.\n",
		 self->file, key);
	ASSERT_STREQ(want, self->err);
	ASSERT_EQ(0, stub.opened);
}

/* hbctl -b: each line a command; the first failure stops it, -f not. */
static int batch_calls;
static char batch_seen[256];

static int fake_run(int argc, char **argv)
{
	int i;

	batch_calls++;
	for (i = 0; i < argc; i++) {
		strncat(batch_seen, argv[i],
			sizeof(batch_seen) - strlen(batch_seen) - 2);
		strcat(batch_seen, i + 1 < argc ? " " : "|");
	}
	if (!strcmp(argv[0], "fail")) {
		fprintf(stderr, "Error: told to.\n");
		return HB_EXIT_KERNEL;
	}
	return HB_EXIT_OK;
}

static int batch(int argc, char **argv)
{
	return do_batch(argv[0], argc > 1, fake_run);
}

static int batch_hbctl(int argc, char **argv)
{
	(void)argc;
	return do_batch(argv[0], false, hbctl_run);
}

TEST_F(conf, batch_lines)
{
	char want[512];

	write_file(self->file,
		   "node set \\\n  id 1\n"
		   "\n# nothing\n"
		   "fail \"a b\"\n"
		   "link add dev lo\n",
		   0600);
	batch_calls = 0;
	batch_seen[0] = '\0';
	ASSERT_EQ(HB_EXIT_KERNEL, run(self, batch, self->file));
	ASSERT_EQ(2, batch_calls);
	ASSERT_STREQ("node set id 1|fail a b|", batch_seen);
	snprintf(want, sizeof(want), "%s:5: Error: told to.\n", self->file);
	ASSERT_STREQ(want, self->err);

	/* --force: on to the end, the failure's status */
	batch_calls = 0;
	batch_seen[0] = '\0';
	snprintf(want, sizeof(want), "%s force", self->file);
	ASSERT_EQ(HB_EXIT_KERNEL, run(self, batch, want));
	ASSERT_EQ(3, batch_calls);
	ASSERT_STREQ("node set id 1|fail a b|link add dev lo|", batch_seen);
}

/* The real commands: a usage error in a file names its line. */
TEST_F(conf, batch_runs_hbctl)
{
	char want[256];

	write_file(self->file, "link add dev lo\npeer add id x\n", 0600);
	ASSERT_EQ(HB_EXIT_USAGE, run(self, batch_hbctl, self->file));
	snprintf(want, sizeof(want),
		 "%s:2: Error: argument \"x\" is wrong: id needs a number (decimal or 0x hex)\n",
		 self->file);
	ASSERT_STREQ(want, self->err);
	ASSERT_EQ(1, stub.talks);
	ASSERT_EQ(HEARTBEAT_CMD_LINK_ADD, stub.cmds[0]);
}

TEST_HARNESS_MAIN
