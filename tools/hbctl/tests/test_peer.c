// SPDX-License-Identifier: GPL-2.0-only
/* "hbctl peer show" output for fake kernel replies; no kernel needed. */
#include <errno.h>

#include "kselftest_harness.h"

#include "capture.h"
#include "hbctl.h"
#include "replies.h"

FIXTURE(peer)
{
	struct capture c;
	char msg[REPLY_BUFSZ] __attribute__((aligned(4)));
};

FIXTURE_SETUP(peer)
{
	memset(&self->c, 0, sizeof(self->c));
	memset(self->msg, 0, sizeof(self->msg));
}

FIXTURE_TEARDOWN(peer)
{
	capture_end(&self->c);
}

static const char *show(FIXTURE_DATA(peer) *self, bool json,
			const struct nlmsghdr *nlh, int *ret)
{
	bool open = false;

	capture_start(&self->c, json, false);
	errno = 0;
	*ret = peer_show_cb(nlh, &open);
	json_list_end(open, *ret != MNL_CB_OK);
	return capture_text(&self->c);
}

TEST_F(peer, text)
{
	int ret;

	ASSERT_STREQ("2          alive    seen 3ms ago  rx 1234  lost 0"
		     "  incarnation 1795744536250595520  links lo\n",
		     show(self, false, peer_reply(self->msg), &ret));
	ASSERT_EQ(MNL_CB_OK, ret);
}

/* An array even for a single peer, so "show id N" parses like a dump. */
TEST_F(peer, json)
{
	int ret;

	ASSERT_STREQ("[{\"id\":2,\"state\":\"alive\",\"configured\":false,"
		     "\"last_seen_us\":3012,\"rx\":1234,\"lost\":0,"
		     "\"restarts\":0,\"incarnation\":1795744536250595520,\"incarnation_str\":\"1795744536250595520\","
		     "\"interval_us\":10000,\"links\":[{\"dev\":\"lo\"}],"
		     "\"paths\":[{\"dev\":\"lo\",\"link_id\":1,\"rx\":1234,"
		     "\"lost\":0,\"last_seen_us\":3012}]}]\n",
		     show(self, true, peer_reply(self->msg), &ret));
	ASSERT_EQ(MNL_CB_OK, ret);
}

/*
 * The phi detector's view: text shows phi to two decimals after "seen",
 * JSON the exact value and the window's figures.
 */
TEST_F(peer, phi)
{
	struct nlmsghdr *nlh = peer_reply_phi(self->msg);
	int ret;

	ASSERT_STREQ("2          alive    seen 3ms ago  phi 0.42  rx 1234"
		     "  lost 0  incarnation 1795744536250595520  links lo\n",
		     show(self, false, nlh, &ret));
	ASSERT_EQ(MNL_CB_OK, ret);
	ASSERT_STREQ("[{\"id\":2,\"state\":\"alive\",\"configured\":false,"
		     "\"last_seen_us\":3012,\"phi\":0.423,\"mean_us\":10012,"
		     "\"stddev_us\":250,\"samples\":100,\"rx\":1234,"
		     "\"lost\":0,\"restarts\":0,"
		     "\"incarnation\":1795744536250595520,\"incarnation_str\":\"1795744536250595520\","
		     "\"interval_us\":10000,\"links\":[{\"dev\":\"lo\"}],"
		     "\"paths\":[{\"dev\":\"lo\",\"link_id\":1,\"rx\":1234,"
		     "\"lost\":0,\"last_seen_us\":3012}]}]\n",
		     show(self, true, nlh, &ret));
	ASSERT_EQ(MNL_CB_OK, ret);
}

/* Rounded half up in text; each figure only when the kernel sent it. */
TEST_F(peer, phi_partial)
{
	static const struct {
		uint32_t milli;
		const char *text;
		const char *json;
	} cases[] = {
		{ 0, "0.00", "0" }, { 4, "0.00", "0.004" },
		{ 5, "0.01", "0.005" }, { 8000, "8.00", "8" },
		{ 8015, "8.02", "8.015" }, { 12345, "12.35", "12.345" },
		{ UINT32_MAX, "4294967.30", "4294967.295" },
	};
	struct nlmsghdr *nlh;
	char want[128];
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		nlh = reply_start(self->msg, HEARTBEAT_CMD_PEER_GET);
		mnl_attr_put_u32(nlh, HEARTBEAT_A_PEER_PHI, cases[i].milli);
		snprintf(want, sizeof(want), "seen never  phi %s  links -\n",
			 cases[i].text);
		ASSERT_STREQ(want, show(self, false, nlh, &ret));
		snprintf(want, sizeof(want),
			 "[{\"configured\":false,\"last_seen_us\":null,"
			 "\"phi\":%s,\"links\":[],\"paths\":[]}]\n",
			 cases[i].json);
		ASSERT_STREQ(want, show(self, true, nlh, &ret));
	}

	/* Window figures without phi: JSON only, text unchanged. */
	nlh = reply_start(self->msg, HEARTBEAT_CMD_PEER_GET);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_PEER_SAMPLES, 1);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_PEER_MEAN_US, 10000);
	ASSERT_STREQ("seen never  links -\n", show(self, false, nlh, &ret));
	ASSERT_STREQ("[{\"configured\":false,\"last_seen_us\":null,"
		     "\"mean_us\":10000,\"samples\":1,\"links\":[],"
		     "\"paths\":[]}]\n", show(self, true, nlh, &ret));
}

TEST_F(peer, bad_phi_size)
{
	struct nlmsghdr *nlh = reply_start(self->msg, HEARTBEAT_CMD_PEER_GET);
	int ret;

	mnl_attr_put_u32(nlh, HEARTBEAT_A_PEER_ID, 2);
	mnl_attr_put_u16(nlh, HEARTBEAT_A_PEER_PHI, 423);
	ASSERT_STREQ("", show(self, true, nlh, &ret));
	ASSERT_EQ(MNL_CB_ERROR, ret);
	ASSERT_EQ(EPROTO, errno);
}

/* Never heard: no LAST_SEEN_US, no paths; configured dev and MAC. */
TEST_F(peer, configured_never_seen)
{
	struct nlmsghdr *nlh = peer_reply_configured(self->msg);
	int ret;

	ASSERT_STREQ("3          unknown  seen never  rx 0  lost 0"
		     "  incarnation 0  links -  dev lo  mac 02:ab:cd:00:01:ff\n",
		     show(self, false, nlh, &ret));
	ASSERT_EQ(MNL_CB_OK, ret);
	ASSERT_STREQ("[{\"id\":3,\"state\":\"unknown\",\"configured\":true,"
		     "\"last_seen_us\":null,\"rx\":0,\"lost\":0,"
		     "\"restarts\":0,\"incarnation\":0,\"incarnation_str\":\"0\",\"interval_us\":0,"
		     "\"links\":[],\"paths\":[],\"dev\":\"lo\","
		     "\"mac\":\"02:ab:cd:00:01:ff\"}]\n",
		     show(self, true, nlh, &ret));
	ASSERT_EQ(MNL_CB_OK, ret);
}

/*
 * Paths on two devices, one of them gone, plus a second path on the first
 * device: "links" names each device once, "paths" lists all three.
 */
TEST_F(peer, paths)
{
	struct nlmsghdr *nlh = reply_start(self->msg, HEARTBEAT_CMD_PEER_GET);
	struct nlattr *paths;
	int ret;

	mnl_attr_put_u32(nlh, HEARTBEAT_A_PEER_ID, 4000000000U);
	mnl_attr_put_u8(nlh, HEARTBEAT_A_PEER_STATE, HEARTBEAT_STATE_SUSPECT);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_PEER_LAST_SEEN_US, 1234567);
	paths = mnl_attr_nest_start(nlh, HEARTBEAT_A_PEER_PATHS);
	put_path(nlh, 1, LO_IFINDEX, 10, 1234567);
	put_path(nlh, 2, GONE_IFINDEX, 20, 2000000);
	put_path(nlh, 3, LO_IFINDEX, 30, 99);
	mnl_attr_nest_end(nlh, paths);
	/* The configured link "any" is no link to name. */
	mnl_attr_put_u32(nlh, HEARTBEAT_A_PEER_IFINDEX, 0);

	ASSERT_STREQ("4000000000 suspect  seen 1.2s ago  links lo,999999\n",
		     show(self, false, nlh, &ret));
	ASSERT_EQ(MNL_CB_OK, ret);
	ASSERT_STREQ("[{\"id\":4000000000,\"state\":\"suspect\","
		     "\"configured\":false,\"last_seen_us\":1234567,"
		     "\"links\":[{\"dev\":\"lo\"},{\"dev\":\"999999\"}],\"paths\":["
		     "{\"dev\":\"lo\",\"link_id\":1,\"rx\":10,\"lost\":0,"
		     "\"last_seen_us\":1234567},"
		     "{\"dev\":\"999999\",\"link_id\":2,\"rx\":20,\"lost\":0,"
		     "\"last_seen_us\":2000000},"
		     "{\"dev\":\"lo\",\"link_id\":3,\"rx\":30,\"lost\":0,"
		     "\"last_seen_us\":99}]}]\n",
		     show(self, true, nlh, &ret));
	ASSERT_EQ(MNL_CB_OK, ret);
}

static void put_channel(struct nlmsghdr *nlh, int i, uint32_t link,
			const char *name, bool up, uint64_t age, uint32_t rtt)
{
	struct nlattr *one = mnl_attr_nest_start(nlh, i);

	mnl_attr_put_u32(nlh, HEARTBEAT_A_CHANNEL_LINK, link);
	mnl_attr_put_strz(nlh, HEARTBEAT_A_CHANNEL_NAME, name);
	mnl_attr_put_u8(nlh, HEARTBEAT_A_CHANNEL_UP, up);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_CHANNEL_LAST_SEEN_US, age);
	if (rtt)
		mnl_attr_put_u32(nlh, HEARTBEAT_A_CHANNEL_RTT_US, rtt);
	mnl_attr_nest_end(nlh, one);
}

/* Channels replace the paths' device list: one down, one on the disk. */
TEST_F(peer, channels)
{
	struct nlmsghdr *nlh = reply_start(self->msg, HEARTBEAT_CMD_PEER_GET);
	struct nlattr *chans;
	int ret;

	mnl_attr_put_u32(nlh, HEARTBEAT_A_PEER_ID, 7);
	mnl_attr_put_u8(nlh, HEARTBEAT_A_PEER_STATE, HEARTBEAT_STATE_ALIVE);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_PEER_LAST_SEEN_US, 3012);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_PEER_CHANNELS_UP, 2);
	chans = mnl_attr_nest_start(nlh, HEARTBEAT_A_PEER_CHANNELS);
	put_channel(nlh, 1, 1, "eth0", true, 3012, 180);
	put_channel(nlh, 2, 2, "eth1", false, 2500000, 0);
	put_channel(nlh, 3, HEARTBEAT_CHANNEL_DISK, "disk", true, 400000, 0);
	mnl_attr_nest_end(nlh, chans);

	ASSERT_STREQ("7          alive    seen 3ms ago  links eth0,eth1(down),disk\n",
		     show(self, false, nlh, &ret));
	ASSERT_EQ(MNL_CB_OK, ret);
	ASSERT_STREQ("[{\"id\":7,\"state\":\"alive\",\"configured\":false,"
		     "\"last_seen_us\":3012,\"links\":["
		     "{\"dev\":\"eth0\",\"link_id\":1,\"state\":\"up\","
		     "\"last_seen_us\":3012,\"rtt_us\":180},"
		     "{\"dev\":\"eth1\",\"link_id\":2,\"state\":\"down\","
		     "\"last_seen_us\":2500000},"
		     "{\"dev\":\"disk\",\"link_id\":65535,\"state\":\"up\","
		     "\"last_seen_us\":400000}],\"links_up\":2,\"paths\":[]}]\n",
		     show(self, true, nlh, &ret));
	ASSERT_EQ(MNL_CB_OK, ret);
}

/* A channel without its name or state is malformed. */
TEST_F(peer, bad_channel)
{
	struct nlmsghdr *nlh = reply_start(self->msg, HEARTBEAT_CMD_PEER_GET);
	struct nlattr *chans, *one;
	int ret;

	mnl_attr_put_u32(nlh, HEARTBEAT_A_PEER_ID, 7);
	chans = mnl_attr_nest_start(nlh, HEARTBEAT_A_PEER_CHANNELS);
	one = mnl_attr_nest_start(nlh, 1);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_CHANNEL_LINK, 1);
	mnl_attr_nest_end(nlh, one);
	mnl_attr_nest_end(nlh, chans);
	show(self, false, nlh, &ret);
	ASSERT_EQ(MNL_CB_ERROR, ret);
}

TEST_F(peer, states)
{
	static const char *const want[] = {
		"unknown", "alive", "suspect", "dead", "left", "unreachable",
		"state-6",
	};
	char line[128];
	unsigned int s;
	int ret;

	for (s = 0; s < ARRAY_SIZE(want); s++) {
		struct nlmsghdr *nlh = reply_start(self->msg,
						   HEARTBEAT_CMD_PEER_GET);

		mnl_attr_put_u8(nlh, HEARTBEAT_A_PEER_STATE, s);
		snprintf(line, sizeof(line),
			 "[{\"state\":\"%s\",\"configured\":false,"
			 "\"last_seen_us\":null,\"links\":[],\"paths\":[]}]\n",
			 want[s]);
		ASSERT_STREQ(line, show(self, true, nlh, &ret));
	}
	ASSERT_STREQ("state-255", peer_state_name(255, line, sizeof(line)));
}

TEST_F(peer, ages)
{
	static const struct {
		uint64_t us;
		const char *text;
	} cases[] = {
		{ 0, "0us" }, { 999, "999us" }, { 1000, "1ms" },
		{ 3012, "3ms" }, { 999499, "999ms" }, { 999500, "1.0s" },
		{ 1234567, "1.2s" }, { 9949999, "9.9s" }, { 9950000, "10s" },
		{ 3600000000ULL, "3600s" },
		{ UINT64_MAX, "18446744073710s" },
	};
	char want[128];
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct nlmsghdr *nlh = reply_start(self->msg,
						   HEARTBEAT_CMD_PEER_GET);

		mnl_attr_put_u64(nlh, HEARTBEAT_A_PEER_LAST_SEEN_US,
				 cases[i].us);
		snprintf(want, sizeof(want), "seen %s ago  links -\n",
			 cases[i].text);
		ASSERT_STREQ(want, show(self, false, nlh, &ret));
	}
}

/* Several replies, as one recv() of a dump hands them over. */
TEST_F(peer, dump)
{
	char buf[2 * REPLY_BUFSZ] __attribute__((aligned(4))) = {};
	struct nlmsghdr *nlh, *done;
	size_t len;
	bool open = false;

	nlh = peer_reply(buf);
	nlh->nlmsg_flags = NLM_F_MULTI;
	len = nlh->nlmsg_len;
	nlh = peer_reply_configured(buf + len);
	nlh->nlmsg_flags = NLM_F_MULTI;
	len += nlh->nlmsg_len;
	done = mnl_nlmsg_put_header(buf + len);
	done->nlmsg_type = NLMSG_DONE;
	done->nlmsg_flags = NLM_F_MULTI;
	mnl_nlmsg_put_extra_header(done, sizeof(int));
	len += done->nlmsg_len;

	capture_start(&self->c, false, false);
	ASSERT_EQ(MNL_CB_STOP, mnl_cb_run(buf, len, 0, 0, peer_show_cb,
					  &open));
	json_list_end(open, false);
	ASSERT_STREQ("2          alive    seen 3ms ago  rx 1234  lost 0"
		     "  incarnation 1795744536250595520  links lo\n"
		     "3          unknown  seen never  rx 0  lost 0"
		     "  incarnation 0  links -  dev lo  mac 02:ab:cd:00:01:ff\n",
		     capture_text(&self->c));

	open = false;
	capture_start(&self->c, true, false);
	ASSERT_EQ(MNL_CB_STOP, mnl_cb_run(buf, len, 0, 0, peer_show_cb,
					  &open));
	json_list_end(open, false);
	ASSERT_STREQ("[{\"id\":2,\"state\":\"alive\",\"configured\":false,"
		     "\"last_seen_us\":3012,\"rx\":1234,\"lost\":0,"
		     "\"restarts\":0,\"incarnation\":1795744536250595520,\"incarnation_str\":\"1795744536250595520\","
		     "\"interval_us\":10000,\"links\":[{\"dev\":\"lo\"}],"
		     "\"paths\":[{\"dev\":\"lo\",\"link_id\":1,\"rx\":1234,"
		     "\"lost\":0,\"last_seen_us\":3012}]},"
		     "{\"id\":3,\"state\":\"unknown\",\"configured\":true,"
		     "\"last_seen_us\":null,\"rx\":0,\"lost\":0,"
		     "\"restarts\":0,\"incarnation\":0,\"incarnation_str\":\"0\",\"interval_us\":0,"
		     "\"links\":[],\"paths\":[],\"dev\":\"lo\","
		     "\"mac\":\"02:ab:cd:00:01:ff\"}]\n",
		     capture_text(&self->c));
}

/* Unreachable: dead to us, heard by 3 and 4, its last frame 1.2 ms late. */
TEST_F(peer, view_unreachable)
{
	static const uint32_t heard[] = { 3, 4 };
	struct nlmsghdr *nlh;
	int ret;

	nlh = peer_reply_view(self->msg, 2, HEARTBEAT_STATE_UNREACHABLE,
			      HEARTBEAT_STATE_DEAD, heard, 2, false, 1200);
	ASSERT_STREQ("2          unreachable seen 3ms ago  rx 1234  lost 0"
		     "  incarnation 1795744536250595520  links lo"
		     "  local dead  heard-by 3 4  late 1.2ms\n",
		     show(self, false, nlh, &ret));
	ASSERT_EQ(MNL_CB_OK, ret);
	ASSERT_STREQ("[{\"id\":2,\"state\":\"unreachable\",\"configured\":false,"
		     "\"last_seen_us\":3012,\"rx\":1234,\"lost\":0,"
		     "\"restarts\":0,\"incarnation\":1795744536250595520,\"incarnation_str\":\"1795744536250595520\","
		     "\"interval_us\":10000,\"links\":[{\"dev\":\"lo\"}],"
		     "\"paths\":[{\"dev\":\"lo\",\"link_id\":1,\"rx\":1234,"
		     "\"lost\":0,\"last_seen_us\":3012}],"
		     "\"local_state\":\"dead\",\"heard_by\":[3,4],"
		     "\"consensus\":false,\"late_us\":1200}]\n",
		     show(self, true, nlh, &ret));
	ASSERT_EQ(MNL_CB_OK, ret);
}

/*
 * Alive to all: text adds nothing (same local state, no one else hears
 * it yet, on time); JSON has every member.
 */
TEST_F(peer, view_agreed)
{
	struct nlmsghdr *nlh;
	int ret;

	nlh = peer_reply_view(self->msg, 2, HEARTBEAT_STATE_ALIVE,
			      HEARTBEAT_STATE_ALIVE, NULL, 0, false, 0);
	ASSERT_STREQ("2          alive    seen 3ms ago  rx 1234  lost 0"
		     "  incarnation 1795744536250595520  links lo\n",
		     show(self, false, nlh, &ret));
	ASSERT_NE(NULL, strstr(show(self, true, nlh, &ret),
			       "\"local_state\":\"alive\",\"heard_by\":[],"
			       "\"consensus\":false,\"late_us\":0}]\n"));
}

/* Dead by the quorate partition's consensus. */
TEST_F(peer, view_consensus)
{
	static const uint32_t heard[] = { 4000000000U };
	struct nlmsghdr *nlh;
	int ret;

	nlh = peer_reply_view(self->msg, 2, HEARTBEAT_STATE_DEAD,
			      HEARTBEAT_STATE_SUSPECT, heard, 1, true, 0);
	ASSERT_NE(NULL, strstr(show(self, false, nlh, &ret),
			       "  links lo  local suspect  heard-by 4000000000"
			       "  consensus\n"));
	ASSERT_NE(NULL, strstr(show(self, true, nlh, &ret),
			       "\"local_state\":\"suspect\","
			       "\"heard_by\":[4000000000],"
			       "\"consensus\":true,\"late_us\":0}]\n"));
}

/* A member id that is no u32 fails the whole peer. */
TEST_F(peer, bad_heard_by)
{
	struct nlmsghdr *nlh = reply_start(self->msg, HEARTBEAT_CMD_PEER_GET);
	struct nlattr *nest;
	int ret;

	mnl_attr_put_u32(nlh, HEARTBEAT_A_PEER_ID, 2);
	nest = mnl_attr_nest_start(nlh, HEARTBEAT_A_PEER_HEARD_BY);
	mnl_attr_put_u8(nlh, 0, 3);
	mnl_attr_nest_end(nlh, nest);
	ASSERT_STREQ("", show(self, true, nlh, &ret));
	ASSERT_EQ(MNL_CB_ERROR, ret);
	ASSERT_EQ(EPROTO, errno);

	nlh = peer_reply(self->msg);
	mnl_attr_put_u16(nlh, HEARTBEAT_A_PEER_LOCAL_STATE, 1);
	ASSERT_STREQ("", show(self, false, nlh, &ret));
	ASSERT_EQ(MNL_CB_ERROR, ret);
}

TEST_F(peer, bad_mac_len)
{
	struct nlmsghdr *nlh = reply_start(self->msg, HEARTBEAT_CMD_PEER_GET);
	static const uint8_t mac[5] = { 1, 2, 3, 4, 5 };
	int ret;

	mnl_attr_put_u32(nlh, HEARTBEAT_A_PEER_ID, 2);
	mnl_attr_put(nlh, HEARTBEAT_A_PEER_MAC, sizeof(mac), mac);
	ASSERT_STREQ("", show(self, true, nlh, &ret));
	ASSERT_EQ(MNL_CB_ERROR, ret);
	ASSERT_EQ(EPROTO, errno);
}

/* A broken path fails the whole peer before anything is printed. */
TEST_F(peer, bad_path)
{
	struct nlmsghdr *nlh = reply_start(self->msg, HEARTBEAT_CMD_PEER_GET);
	struct nlattr *paths, *path;
	int ret;

	mnl_attr_put_u32(nlh, HEARTBEAT_A_PEER_ID, 2);
	paths = mnl_attr_nest_start(nlh, HEARTBEAT_A_PEER_PATHS);
	put_path(nlh, 1, LO_IFINDEX, 10, 5);
	path = mnl_attr_nest_start(nlh, 0);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_PEER_RX, 1);
	mnl_attr_nest_end(nlh, path);
	mnl_attr_nest_end(nlh, paths);
	ASSERT_STREQ("", show(self, false, nlh, &ret));
	ASSERT_EQ(MNL_CB_ERROR, ret);
}

TEST_F(peer, bad_flag)
{
	struct nlmsghdr *nlh = reply_start(self->msg, HEARTBEAT_CMD_PEER_GET);
	int ret;

	mnl_attr_put_u8(nlh, HEARTBEAT_A_PEER_CONFIGURED, 1);
	ASSERT_STREQ("", show(self, false, nlh, &ret));
	ASSERT_EQ(MNL_CB_ERROR, ret);
}

/* Round trips of probes: after "lost" in text, "rtt_us" in JSON. */
TEST_F(peer, rtt)
{
	struct nlmsghdr *nlh = peer_reply(self->msg);
	int ret;

	mnl_attr_put_u32(nlh, HEARTBEAT_A_PEER_RTT_MIN_US, 210);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_PEER_RTT_MEAN_US, 245);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_PEER_RTT_P99_US, 1380);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_PEER_RTT_SAMPLES, 5);
	ASSERT_STREQ("2          alive    seen 3ms ago  rx 1234  lost 0"
		     "  rtt min/mean/p99 0.210/0.245/1.380 ms"
		     "  incarnation 1795744536250595520  links lo\n",
		     show(self, false, nlh, &ret));
	ASSERT_EQ(MNL_CB_OK, ret);
	ASSERT_STREQ("[{\"id\":2,\"state\":\"alive\",\"configured\":false,"
		     "\"last_seen_us\":3012,\"rx\":1234,\"lost\":0,"
		     "\"rtt_us\":{\"min\":210,\"mean\":245,\"p99\":1380,"
		     "\"samples\":5},"
		     "\"restarts\":0,\"incarnation\":1795744536250595520,\"incarnation_str\":\"1795744536250595520\","
		     "\"interval_us\":10000,\"links\":[{\"dev\":\"lo\"}],"
		     "\"paths\":[{\"dev\":\"lo\",\"link_id\":1,\"rx\":1234,"
		     "\"lost\":0,\"last_seen_us\":3012}]}]\n",
		     show(self, true, nlh, &ret));
	ASSERT_EQ(MNL_CB_OK, ret);
}

TEST_HARNESS_MAIN
