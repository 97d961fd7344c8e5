// SPDX-License-Identifier: GPL-2.0-only
/* "hbctl monitor" lines for fake events; no kernel needed. */
#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "kselftest_harness.h"

#include "capture.h"
#include "hbctl.h"
#include "replies.h"

FIXTURE(event)
{
	struct capture c;
	unsigned long count;
	char msg[REPLY_BUFSZ] __attribute__((aligned(4)));
};

FIXTURE_SETUP(event)
{
	memset(&self->c, 0, sizeof(self->c));
	memset(self->msg, 0, sizeof(self->msg));
	self->count = 0;
}

FIXTURE_TEARDOWN(event)
{
	capture_end(&self->c);
}

static const char *show(FIXTURE_DATA(event) *self, bool json,
			const struct nlmsghdr *nlh)
{
	capture_start(&self->c, json, false);
	if (monitor_event_cb(nlh, &self->count) != MNL_CB_OK)
		return "not MNL_CB_OK";
	return capture_text(&self->c);
}

TEST_F(event, state_text)
{
	ASSERT_STREQ("1795744536.250595520 peer 2 alive -> suspect\n",
		     show(self, false, event_state(self->msg, 2,
						   HEARTBEAT_STATE_SUSPECT,
						   HEARTBEAT_STATE_ALIVE)));
	ASSERT_EQ(1UL, self->count);
}

TEST_F(event, state_json)
{
	ASSERT_STREQ("{\"event\":\"peer-state\",\"id\":2,\"state\":\"suspect\","
		     "\"prev\":\"alive\",\"time_ns\":1795744536250595520,\"time_ns_str\":\"1795744536250595520\","
		     "\"incarnation\":1795744536250595520,\"incarnation_str\":\"1795744536250595520\"}\n",
		     show(self, true, event_state(self->msg, 2,
						  HEARTBEAT_STATE_SUSPECT,
						  HEARTBEAT_STATE_ALIVE)));
	ASSERT_EQ(1UL, self->count);
}

/* Phi of the verdict: last in JSON, two decimals at the end in text. */
TEST_F(event, phi_verdict)
{
	ASSERT_STREQ("1795744536.250595520 peer 2 suspect -> dead  phi 8.02\n",
		     show(self, false, event_state_phi(self->msg, 2, 8015)));
	ASSERT_STREQ("{\"event\":\"peer-state\",\"id\":2,\"state\":\"dead\","
		     "\"prev\":\"suspect\",\"time_ns\":1795744536250595520,\"time_ns_str\":\"1795744536250595520\","
		     "\"incarnation\":1795744536250595520,\"incarnation_str\":\"1795744536250595520\",\"phi\":8.015}\n",
		     show(self, true, event_state_phi(self->msg, 2, 8015)));
	ASSERT_STREQ("1795744536.250595520 peer 2 suspect -> dead  phi 12.00\n",
		     show(self, false, event_state_phi(self->msg, 2, 12000)));
	ASSERT_STREQ("{\"event\":\"peer-state\",\"id\":2,\"state\":\"dead\","
		     "\"prev\":\"suspect\",\"time_ns\":1795744536250595520,\"time_ns_str\":\"1795744536250595520\","
		     "\"incarnation\":1795744536250595520,\"incarnation_str\":\"1795744536250595520\",\"phi\":12}\n",
		     show(self, true, event_state_phi(self->msg, 2, 12000)));
	ASSERT_EQ(4UL, self->count);
}

/* A phi of the wrong size makes the event malformed, not phi-less. */
TEST_F(event, bad_phi_size)
{
	struct nlmsghdr *nlh = event_state(self->msg, 2, HEARTBEAT_STATE_DEAD,
					   HEARTBEAT_STATE_SUSPECT);
	FILE *saved = stderr;
	char *err = NULL, *out;
	size_t len;

	mnl_attr_put_u16(nlh, HEARTBEAT_A_EVENT_PHI, 8);
	stderr = open_memstream(&err, &len);
	out = strdup(show(self, true, nlh));
	fclose(stderr);
	stderr = saved;
	ASSERT_STREQ("", out);
	ASSERT_STREQ("Warning: malformed event ignored.\n", err);
	ASSERT_EQ(0UL, self->count);
	free(out);
	free(err);
}

TEST_F(event, restart_text)
{
	ASSERT_STREQ("1795744536.250595520 peer 2 restarted"
		     " (incarnation 5 -> 6)\n",
		     show(self, false, event_restart(self->msg, 2, 6, 5)));
	ASSERT_EQ(1UL, self->count);
}

TEST_F(event, restart_json)
{
	ASSERT_STREQ("{\"event\":\"peer-restart\",\"id\":2,\"incarnation\":6,\"incarnation_str\":\"6\","
		     "\"prev_incarnation\":5,\"prev_incarnation_str\":\"5\","
		     "\"time_ns\":1795744536250595520,\"time_ns_str\":\"1795744536250595520\"}\n",
		     show(self, true, event_restart(self->msg, 2, 6, 5)));
}

TEST_F(event, states_by_name)
{
	ASSERT_STREQ("1795744536.250595520 peer 7 unknown -> state-9\n",
		     show(self, false, event_state(self->msg, 7, 9,
						   HEARTBEAT_STATE_UNKNOWN)));
	ASSERT_STREQ("{\"event\":\"peer-state\",\"id\":7,\"state\":\"left\","
		     "\"prev\":\"dead\",\"time_ns\":1795744536250595520,\"time_ns_str\":\"1795744536250595520\","
		     "\"incarnation\":1795744536250595520,\"incarnation_str\":\"1795744536250595520\"}\n",
		     show(self, true, event_state(self->msg, 7,
						  HEARTBEAT_STATE_LEFT,
						  HEARTBEAT_STATE_DEAD)));
}

static struct nlmsghdr *expired_msg(void *buf, uint32_t peer, uint8_t state)
{
	struct nlmsghdr *nlh = reply_start(buf, HEARTBEAT_CMD_PEER_EVENT);

	mnl_attr_put_u8(nlh, HEARTBEAT_A_EVENT_TYPE,
			HEARTBEAT_EVENT_PEER_EXPIRED);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_EVENT_PEER, peer);
	mnl_attr_put_u8(nlh, HEARTBEAT_A_EVENT_STATE, state);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_EVENT_TIME_NS, 1795744536250595520ULL);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_EVENT_INCARNATION, 6);
	return nlh;
}

/* A learned peer forgotten after learn-expire, in the state it had. */
TEST_F(event, expired)
{
	ASSERT_STREQ("1795744536.250595520 peer 4000000001 expired"
		     " (learned, dead)\n",
		     show(self, false, expired_msg(self->msg, 4000000001U,
						     HEARTBEAT_STATE_DEAD)));
	ASSERT_STREQ("{\"event\":\"peer-expired\",\"id\":9,\"state\":\"left\","
		     "\"time_ns\":1795744536250595520,\"time_ns_str\":\"1795744536250595520\",\"incarnation\":6,\"incarnation_str\":\"6\"}\n",
		     show(self, true, expired_msg(self->msg, 9,
						    HEARTBEAT_STATE_LEFT)));
	ASSERT_EQ(2UL, self->count);
}

/* Without its state the event is incomplete: skipped with a warning. */
TEST_F(event, expired_incomplete)
{
	struct nlmsghdr *nlh = reply_start(self->msg, HEARTBEAT_CMD_PEER_EVENT);
	FILE *saved = stderr;
	char *err = NULL, *out;
	size_t len;

	mnl_attr_put_u8(nlh, HEARTBEAT_A_EVENT_TYPE,
			HEARTBEAT_EVENT_PEER_EXPIRED);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_EVENT_PEER, 9);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_EVENT_TIME_NS, 5);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_EVENT_INCARNATION, 6);
	stderr = open_memstream(&err, &len);
	out = strdup(show(self, true, nlh));
	fclose(stderr);
	stderr = saved;
	ASSERT_STREQ("", out);
	ASSERT_STREQ("Warning: incomplete event ignored.\n", err);
	ASSERT_EQ(0UL, self->count);
	free(out);
	free(err);
}

/* Nanoseconds keep their leading zeros; the epoch itself is fine. */
TEST_F(event, time_format)
{
	struct nlmsghdr *nlh = reply_start(self->msg, HEARTBEAT_CMD_PEER_EVENT);

	mnl_attr_put_u8(nlh, HEARTBEAT_A_EVENT_TYPE,
			HEARTBEAT_EVENT_PEER_RESTART);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_EVENT_PEER, 1);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_EVENT_TIME_NS, 5);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_EVENT_INCARNATION, 0);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_EVENT_PREV_INCARNATION,
			 UINT64_MAX);
	ASSERT_STREQ("0.000000005 peer 1 restarted (incarnation "
		     "18446744073709551615 -> 0)\n", show(self, false, nlh));
}

TEST_F(event, quorum_change)
{
	ASSERT_STREQ("1795744536.250595520 quorum: quorate yes votes 3/5\n",
		     show(self, false, event_quorum(self->msg, 1, 3, 5)));
	ASSERT_STREQ("{\"event\":\"quorum\",\"quorate\":true,\"votes\":3,"
		     "\"expected_votes\":5,\"time_ns\":1795744536250595520,\"time_ns_str\":\"1795744536250595520\"}\n",
		     show(self, true, event_quorum(self->msg, 1, 3, 5)));
	ASSERT_STREQ("1795744536.250595520 quorum: quorate no votes 2/5\n",
		     show(self, false, event_quorum(self->msg, 0, 2, 5)));
	/* quorum turned off */
	ASSERT_STREQ("1795744536.250595520 quorum: off votes 2\n",
		     show(self, false, event_quorum(self->msg, 0, 2, 0)));
	ASSERT_STREQ("{\"event\":\"quorum\",\"quorate\":false,\"votes\":2,"
		     "\"expected_votes\":0,\"time_ns\":1795744536250595520,\"time_ns_str\":\"1795744536250595520\"}\n",
		     show(self, true, event_quorum(self->msg, 0, 2, 0)));
	ASSERT_EQ(5UL, self->count);
}

static struct nlmsghdr *event_probe(void *buf, uint32_t peer, uint64_t rtt,
				    uint32_t via)
{
	struct nlmsghdr *nlh = reply_start(buf, HEARTBEAT_CMD_PEER_EVENT);

	mnl_attr_put_u8(nlh, HEARTBEAT_A_EVENT_TYPE, HEARTBEAT_EVENT_PROBE);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_EVENT_PEER, peer);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_EVENT_TIME_NS, EXAMPLE_TIME_NS);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_EVENT_PROBE_TOKEN, 77);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_EVENT_VIA, via);
	if (rtt)
		mnl_attr_put_u64(nlh, HEARTBEAT_A_EVENT_RTT_NS, rtt);
	return nlh;
}

TEST_F(event, probe_answered_relayed_and_lost)
{
	ASSERT_STREQ("1795744536.250595520 probe 3: rtt 245us\n",
		     show(self, false, event_probe(self->msg, 3, 245000, 0)));
	ASSERT_STREQ("1795744536.250595520 probe 3: rtt 1.5ms via 2\n",
		     show(self, false, event_probe(self->msg, 3, 1500000, 2)));
	ASSERT_STREQ("{\"event\":\"probe\",\"id\":3,\"token\":77,\"lost\":false,"
		     "\"rtt_ns\":1500000,\"via\":2,\"time_ns\":1795744536250595520,\"time_ns_str\":\"1795744536250595520\"}\n",
		     show(self, true, event_probe(self->msg, 3, 1500000, 2)));
	ASSERT_STREQ("1795744536.250595520 probe 3: timeout\n",
		     show(self, false, event_probe(self->msg, 3, 0, 0)));
	ASSERT_STREQ("{\"event\":\"probe\",\"id\":3,\"token\":77,\"lost\":true,"
		     "\"via\":0,\"time_ns\":1795744536250595520,\"time_ns_str\":\"1795744536250595520\"}\n",
		     show(self, true, event_probe(self->msg, 3, 0, 0)));
	ASSERT_EQ(5UL, self->count);
}

static struct nlmsghdr *event_degraded(void *buf, const char *name, bool up,
				       uint32_t links_up)
{
	struct nlmsghdr *nlh = reply_start(buf, HEARTBEAT_CMD_PEER_EVENT);

	mnl_attr_put_u8(nlh, HEARTBEAT_A_EVENT_TYPE, HEARTBEAT_EVENT_DEGRADED);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_EVENT_PEER, 2);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_EVENT_TIME_NS, EXAMPLE_TIME_NS);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_EVENT_INCARNATION, 9);
	mnl_attr_put_u8(nlh, HEARTBEAT_A_EVENT_STATE, HEARTBEAT_STATE_ALIVE);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_EVENT_LINKS_UP, links_up);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_EVENT_LINKS, 2);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_EVENT_CHANNEL, 2);
	mnl_attr_put_strz(nlh, HEARTBEAT_A_EVENT_CHANNEL_NAME, name);
	mnl_attr_put_u8(nlh, HEARTBEAT_A_EVENT_CHANNEL_UP, up);
	return nlh;
}

TEST_F(event, degraded_down_and_up)
{
	ASSERT_STREQ("1795744536.250595520 peer 2 degraded: eth1 down, links 1/2\n",
		     show(self, false, event_degraded(self->msg, "eth1", false, 1)));
	ASSERT_STREQ("1795744536.250595520 peer 2 degraded: eth1 up, links 2/2\n",
		     show(self, false, event_degraded(self->msg, "eth1", true, 2)));
	ASSERT_STREQ("{\"event\":\"degraded\",\"id\":2,\"link\":\"disk\","
		     "\"link_state\":\"down\",\"links_up\":1,\"links\":2,"
		     "\"time_ns\":1795744536250595520,\"time_ns_str\":\"1795744536250595520\",\"incarnation\":9,\"incarnation_str\":\"9\"}\n",
		     show(self, true, event_degraded(self->msg, "disk", false, 1)));
	ASSERT_EQ(3UL, self->count);
}

TEST_F(event, quorum_incomplete)
{
	struct nlmsghdr *nlh = reply_start(self->msg, HEARTBEAT_CMD_PEER_EVENT);
	FILE *saved = stderr;
	char *err = NULL, *out1, *out2;
	size_t len;

	mnl_attr_put_u8(nlh, HEARTBEAT_A_EVENT_TYPE, HEARTBEAT_EVENT_QUORUM);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_EVENT_TIME_NS, EXAMPLE_TIME_NS);
	mnl_attr_put_u8(nlh, HEARTBEAT_A_EVENT_QUORATE, 1);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_EVENT_VOTES, 3);
	stderr = open_memstream(&err, &len);
	out1 = strdup(show(self, true, nlh));
	nlh = event_quorum(self->msg, 1, 3, 5);
	mnl_attr_put_u16(nlh, HEARTBEAT_A_EVENT_CONSENSUS, 1);
	out2 = strdup(show(self, true, nlh));
	fclose(stderr);
	stderr = saved;
	ASSERT_STREQ("", out1);
	ASSERT_STREQ("", out2);
	ASSERT_STREQ("Warning: incomplete event ignored.\n"
		     "Warning: malformed event ignored.\n", err);
	ASSERT_EQ(0UL, self->count);
	free(out1);
	free(out2);
	free(err);
}

/* With quorum set, verdicts say whether they are the quorum's. */
TEST_F(event, state_quorum)
{
	struct nlmsghdr *nlh = event_state(self->msg, 2, HEARTBEAT_STATE_DEAD,
					   HEARTBEAT_STATE_UNREACHABLE);

	mnl_attr_put_u8(nlh, HEARTBEAT_A_EVENT_QUORATE, 1);
	mnl_attr_put_u8(nlh, HEARTBEAT_A_EVENT_CONSENSUS, 1);
	ASSERT_STREQ("1795744536.250595520 peer 2 unreachable -> dead"
		     "  consensus\n", show(self, false, nlh));
	ASSERT_STREQ("{\"event\":\"peer-state\",\"id\":2,\"state\":\"dead\","
		     "\"prev\":\"unreachable\",\"time_ns\":1795744536250595520,\"time_ns_str\":\"1795744536250595520\","
		     "\"incarnation\":1795744536250595520,\"incarnation_str\":\"1795744536250595520\",\"quorate\":true,"
		     "\"consensus\":true}\n", show(self, true, nlh));

	nlh = event_state_phi(self->msg, 3, 8015);
	mnl_attr_put_u8(nlh, HEARTBEAT_A_EVENT_QUORATE, 0);
	mnl_attr_put_u8(nlh, HEARTBEAT_A_EVENT_CONSENSUS, 0);
	ASSERT_STREQ("1795744536.250595520 peer 3 suspect -> dead  phi 8.02"
		     "  quorate no\n", show(self, false, nlh));
	ASSERT_STREQ("{\"event\":\"peer-state\",\"id\":3,\"state\":\"dead\","
		     "\"prev\":\"suspect\",\"time_ns\":1795744536250595520,\"time_ns_str\":\"1795744536250595520\","
		     "\"incarnation\":1795744536250595520,\"incarnation_str\":\"1795744536250595520\",\"phi\":8.015,"
		     "\"quorate\":false,\"consensus\":false}\n",
		     show(self, true, nlh));
}

/* Dead by the peer's own last words: the reason it gave. */
TEST_F(event, state_last_words)
{
	struct nlmsghdr *nlh = event_state(self->msg, 2, HEARTBEAT_STATE_DEAD,
					   HEARTBEAT_STATE_ALIVE);

	mnl_attr_put_u8(nlh, HEARTBEAT_A_EVENT_DYING, HEARTBEAT_DYING_PANIC);
	ASSERT_STREQ("1795744536.250595520 peer 2 alive -> dead"
		     "  last-words panic\n", show(self, false, nlh));
	ASSERT_STREQ("{\"event\":\"peer-state\",\"id\":2,\"state\":\"dead\","
		     "\"prev\":\"alive\",\"time_ns\":1795744536250595520,\"time_ns_str\":\"1795744536250595520\","
		     "\"incarnation\":1795744536250595520,\"incarnation_str\":\"1795744536250595520\","
		     "\"last_words\":\"panic\"}\n", show(self, true, nlh));
	nlh = event_state(self->msg, 2, HEARTBEAT_STATE_DEAD, HEARTBEAT_STATE_ALIVE);
	mnl_attr_put_u8(nlh, HEARTBEAT_A_EVENT_DYING, 77);
	ASSERT_STREQ("1795744536.250595520 peer 2 alive -> dead"
		     "  last-words reason-77\n", show(self, false, nlh));
}

TEST_F(event, fenced)
{
	struct nlmsghdr *nlh = reply_start(self->msg, HEARTBEAT_CMD_PEER_EVENT);

	mnl_attr_put_u8(nlh, HEARTBEAT_A_EVENT_TYPE, HEARTBEAT_EVENT_FENCED);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_EVENT_PEER, 1);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_EVENT_TIME_NS, EXAMPLE_TIME_NS);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_EVENT_INCARNATION, 0);
	ASSERT_STREQ("1795744536.250595520 fenced by 1\n", show(self, false, nlh));
	ASSERT_STREQ("{\"event\":\"fenced\",\"by\":1,\"time_ns\":1795744536250595520,\"time_ns_str\":\"1795744536250595520\"}\n",
		     show(self, true, nlh));
}

/* Other commands and kinds of events newer than hbctl are skipped. */
TEST_F(event, ignored)
{
	struct nlmsghdr *nlh = reply_start(self->msg, HEARTBEAT_CMD_PEER_EVENT);

	mnl_attr_put_u8(nlh, HEARTBEAT_A_EVENT_TYPE, 200);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_EVENT_PEER, 1);
	ASSERT_STREQ("", show(self, true, nlh));
	ASSERT_STREQ("", show(self, false, peer_reply(self->msg)));
	nlh = event_state(self->msg, 2, 1, 2);
	((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->cmd =
		HEARTBEAT_CMD_PEER_GET;
	ASSERT_STREQ("", show(self, false, nlh));
	ASSERT_EQ(0UL, self->count);
}

/* Broken events are skipped with a warning, and the monitor goes on. */
TEST_F(event, malformed)
{
	struct nlmsghdr *nlh = reply_start(self->msg, HEARTBEAT_CMD_PEER_EVENT);
	FILE *saved = stderr;
	char *err = NULL, *out1, *out2;
	size_t len;

	/* no TIME_NS */
	mnl_attr_put_u8(nlh, HEARTBEAT_A_EVENT_TYPE,
			HEARTBEAT_EVENT_PEER_STATE);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_EVENT_PEER, 1);
	mnl_attr_put_u8(nlh, HEARTBEAT_A_EVENT_STATE, 1);
	mnl_attr_put_u8(nlh, HEARTBEAT_A_EVENT_PREV_STATE, 0);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_EVENT_INCARNATION, 1);
	stderr = open_memstream(&err, &len);
	out1 = strdup(show(self, false, nlh));
	/* PEER too short */
	nlh = reply_start(self->msg, HEARTBEAT_CMD_PEER_EVENT);
	mnl_attr_put_u8(nlh, HEARTBEAT_A_EVENT_TYPE,
			HEARTBEAT_EVENT_PEER_RESTART);
	mnl_attr_put_u16(nlh, HEARTBEAT_A_EVENT_PEER, 1);
	out2 = strdup(show(self, true, nlh));
	fclose(stderr);
	stderr = saved;

	ASSERT_STREQ("", out1);
	ASSERT_STREQ("", out2);
	ASSERT_STREQ("Warning: incomplete event ignored.\n"
		     "Warning: malformed event ignored.\n", err);
	ASSERT_EQ(0UL, self->count);
	free(out1);
	free(out2);
	free(err);
}

/* ---- events about this node: links, settings, keys, drops ---- */

static struct nlmsghdr *local_msg(void *buf, uint8_t type, uint64_t seq)
{
	struct nlmsghdr *nlh = reply_start(buf, HEARTBEAT_CMD_PEER_EVENT);

	mnl_attr_put_u64(nlh, HEARTBEAT_A_EVENT_SEQ, seq);
	mnl_attr_put_u8(nlh, HEARTBEAT_A_EVENT_TYPE, type);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_EVENT_PEER, 1);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_EVENT_TIME_NS, 1795744536250595520ULL);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_EVENT_INCARNATION, 9);
	return nlh;
}

static struct nlmsghdr *link_msg(void *buf, uint8_t action)
{
	struct nlmsghdr *nlh = local_msg(buf, HEARTBEAT_EVENT_LINK, 41);

	mnl_attr_put_u8(nlh, HEARTBEAT_A_EVENT_ACTION, action);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_EVENT_IFINDEX, 3);
	mnl_attr_put_strz(nlh, HEARTBEAT_A_EVENT_IFNAME, "eth1");
	mnl_attr_put_u32(nlh, HEARTBEAT_A_EVENT_LINK_ID, 2);
	return nlh;
}

TEST_F(event, link_added_and_down)
{
	ASSERT_STREQ("1795744536.250595520 link eth1 added (id 2)\n",
		     show(self, false, link_msg(self->msg,
						HEARTBEAT_ACTION_ADDED)));
	ASSERT_STREQ("1795744536.250595520 link eth1 down\n",
		     show(self, false, link_msg(self->msg,
						HEARTBEAT_ACTION_DOWN)));
	ASSERT_STREQ("{\"event\":\"link\",\"seq\":41,\"dev\":\"eth1\","
		     "\"action\":\"up\",\"ifindex\":3,\"link_id\":2,"
		     "\"time_ns\":1795744536250595520,\"time_ns_str\":\"1795744536250595520\"}\n",
		     show(self, true, link_msg(self->msg, HEARTBEAT_ACTION_UP)));
	/* An action newer than hbctl is named by its number. */
	ASSERT_STREQ("1795744536.250595520 link eth1 action-77\n",
		     show(self, false, link_msg(self->msg, 77)));
	ASSERT_EQ(4UL, self->count);
}

TEST_F(event, node_and_key)
{
	struct nlmsghdr *nlh = local_msg(self->msg, HEARTBEAT_EVENT_NODE, 5);

	mnl_attr_put_u8(nlh, HEARTBEAT_A_EVENT_ACTION, HEARTBEAT_ACTION_CHANGED);
	ASSERT_STREQ("1795744536.250595520 node 1 changed\n",
		     show(self, false, nlh));
	ASSERT_STREQ("{\"event\":\"node\",\"seq\":5,\"id\":1,"
		     "\"action\":\"changed\",\"time_ns\":1795744536250595520,\"time_ns_str\":\"1795744536250595520\"}\n",
		     show(self, true, nlh));

	nlh = local_msg(self->msg, HEARTBEAT_EVENT_KEY, 6);
	mnl_attr_put_u8(nlh, HEARTBEAT_A_EVENT_ACTION, HEARTBEAT_ACTION_REMOVED);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_EVENT_KEY_ID, 7);
	ASSERT_STREQ("1795744536.250595520 key 7 removed\n",
		     show(self, false, nlh));
	ASSERT_STREQ("{\"event\":\"key\",\"seq\":6,\"key_id\":7,"
		     "\"action\":\"removed\",\"time_ns\":1795744536250595520,\"time_ns_str\":\"1795744536250595520\"}\n",
		     show(self, true, nlh));
	ASSERT_EQ(4UL, self->count);
}

static struct nlmsghdr *drops_msg(void *buf, uint16_t bad_type)
{
	struct nlmsghdr *nlh = local_msg(buf, HEARTBEAT_EVENT_DROPS, 8);
	struct nlattr *nest;

	mnl_attr_put_u64(nlh, HEARTBEAT_A_EVENT_PERIOD_NS, 1000000000ULL);
	nest = mnl_attr_nest_start(nlh, HEARTBEAT_A_EVENT_DROPS);
	mnl_attr_put_u64(nlh, HEARTBEAT_DROP_SHORT, 2);
	mnl_attr_put_u64(nlh, HEARTBEAT_DROP_BAD_MAC, 12);
	mnl_attr_put_u64(nlh, 200, 1);
	if (bad_type)
		mnl_attr_put_u16(nlh, bad_type, 1);
	mnl_attr_nest_end(nlh, nest);
	return nlh;
}

/* Only the reasons that counted; reasons newer than hbctl by number. */
TEST_F(event, drops_summary)
{
	FILE *saved = stderr;
	char *err = NULL, *out;
	size_t len;

	ASSERT_STREQ("1795744536.250595520 drops: short 2 bad_mac 12"
		     " reason_200 1 in 1s\n",
		     show(self, false, drops_msg(self->msg, 0)));
	ASSERT_STREQ("{\"event\":\"drops\",\"seq\":8,\"drops\":{"
		     "\"short\":2,\"bad_mac\":12,\"reason_200\":1},"
		     "\"period_ns\":1000000000,"
		     "\"time_ns\":1795744536250595520,\"time_ns_str\":\"1795744536250595520\"}\n",
		     show(self, true, drops_msg(self->msg, 0)));
	/* A count that is not a u64 spoils the whole summary. */
	stderr = open_memstream(&err, &len);
	out = strdup(show(self, true, drops_msg(self->msg, HEARTBEAT_DROP_KEY)));
	fclose(stderr);
	stderr = saved;
	ASSERT_STREQ("", out);
	ASSERT_STREQ("Warning: incomplete event ignored.\n", err);
	ASSERT_EQ(2UL, self->count);
	free(out);
	free(err);
}

/* -ts: the local date and time to the microsecond, in text and in JSON. */
TEST_F(event, human_timestamps)
{
	const char *text, *json;

	setenv("TZ", "UTC", 1);
	tzset();
	monitor_timestamps(true);
	text = strdup(show(self, false, link_msg(self->msg, HEARTBEAT_ACTION_UP)));
	json = strdup(show(self, true, link_msg(self->msg, HEARTBEAT_ACTION_UP)));
	monitor_timestamps(false);
	ASSERT_STREQ("[2026-11-27T01:55:36.250595] link eth1 up\n", text);
	ASSERT_STREQ("{\"event\":\"link\",\"seq\":41,"
		     "\"timestamp\":\"2026-11-27T01:55:36.250595\",\"dev\":\"eth1\","
		     "\"action\":\"up\",\"ifindex\":3,\"link_id\":2,"
		     "\"time_ns\":1795744536250595520,\"time_ns_str\":\"1795744536250595520\"}\n", json);
	free((void *)text);
	free((void *)json);
}

TEST_HARNESS_MAIN
