// SPDX-License-Identifier: GPL-2.0-only
/* "hbctl link show" output for fake kernel replies; no kernel needed. */
#include <errno.h>

#include "kselftest_harness.h"

#include "capture.h"
#include "hbctl.h"
#include "replies.h"

FIXTURE(link)
{
	struct capture c;
	char msg[REPLY_BUFSZ] __attribute__((aligned(4)));
	char msg2[REPLY_BUFSZ] __attribute__((aligned(4)));
};

FIXTURE_SETUP(link)
{
	memset(&self->c, 0, sizeof(self->c));
	memset(self->msg, 0, sizeof(self->msg));
	memset(self->msg2, 0, sizeof(self->msg2));
}

FIXTURE_TEARDOWN(link)
{
	capture_end(&self->c);
}

/* What "link show" prints for these replies, list brackets included. */
static const char *show(FIXTURE_DATA(link) *self, bool json,
			const struct nlmsghdr *a, const struct nlmsghdr *b,
			int *ret)
{
	bool open = false;

	capture_start(&self->c, json, false);
	errno = 0;
	*ret = link_show_cb(a, &open);
	if (*ret == MNL_CB_OK && b)
		*ret = link_show_cb(b, &open);
	json_list_end(open, *ret != MNL_CB_OK);
	return capture_text(&self->c);
}

TEST_F(link, text)
{
	int ret;

	ASSERT_STREQ("eth0             id 1  multicast  up    tx 1234  errors 0"
		     "  skipped 0  overruns 0  late_max 35us\n",
		     show(self, false, link_reply(self->msg), NULL, &ret));
	ASSERT_EQ(MNL_CB_OK, ret);
}

TEST_F(link, json)
{
	int ret;

	ASSERT_STREQ("[{\"dev\":\"eth0\",\"ifindex\":3,\"id\":1,"
		     "\"mode\":\"multicast\",\"up\":true,\"tx\":1234,"
		     "\"tx_errors\":0,\"tx_skipped\":0,\"tx_overruns\":0,"
		     "\"late_max_ns\":35000}]\n",
		     show(self, true, link_reply(self->msg), NULL, &ret));
	ASSERT_EQ(MNL_CB_OK, ret);
}

/* Columns stay aligned for the other mode and state. */
TEST_F(link, two_links_text)
{
	struct nlmsghdr *b = reply_start(self->msg2, HEARTBEAT_CMD_LINK_GET);
	int ret;

	put_link(b, "veth-long-name0", 12, 2, HEARTBEAT_LINK_UNICAST, 0);
	ASSERT_STREQ("eth0             id 1  multicast  up    tx 1234  errors 0"
		     "  skipped 0  overruns 0  late_max 35us\n"
		     "veth-long-name0  id 2  unicast    down  tx 1234  errors 0"
		     "  skipped 0  overruns 0  late_max 35us\n",
		     show(self, false, link_reply(self->msg), b, &ret));
}

TEST_F(link, two_links_json)
{
	struct nlmsghdr *b = reply_start(self->msg2, HEARTBEAT_CMD_LINK_GET);
	int ret;

	mnl_attr_put_u32(b, HEARTBEAT_A_LINK_IFINDEX, 4);
	mnl_attr_put_strz(b, HEARTBEAT_A_LINK_IFNAME, "eth1");
	mnl_attr_put_u8(b, HEARTBEAT_A_LINK_MODE, HEARTBEAT_LINK_UNICAST);
	mnl_attr_put_u8(b, HEARTBEAT_A_LINK_UP, 0);
	ASSERT_STREQ("[{\"dev\":\"eth0\",\"ifindex\":3,\"id\":1,"
		     "\"mode\":\"multicast\",\"up\":true,\"tx\":1234,"
		     "\"tx_errors\":0,\"tx_skipped\":0,\"tx_overruns\":0,"
		     "\"late_max_ns\":35000},"
		     "{\"dev\":\"eth1\",\"ifindex\":4,\"mode\":\"unicast\","
		     "\"up\":false}]\n",
		     show(self, true, link_reply(self->msg), b, &ret));
}

TEST_F(link, late_max_units)
{
	static const struct {
		uint64_t ns;
		const char *text;
	} cases[] = {
		{ 0, "0ns" }, { 850, "850ns" }, { 999, "999ns" },
		{ 1000, "1us" }, { 1499, "1us" }, { 1500, "2us" },
		{ 1500000, "1.5ms" }, { 2000000000, "2s" },
		{ 4294967295000ULL, "4294967295us" },
		{ 4294967296000ULL, "4294967296us" },
	};
	char want[128];
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct nlmsghdr *nlh = reply_start(self->msg,
						   HEARTBEAT_CMD_LINK_GET);

		mnl_attr_put_strz(nlh, HEARTBEAT_A_LINK_IFNAME, "eth0");
		mnl_attr_put_u64(nlh, HEARTBEAT_A_LINK_LATE_MAX_NS,
				 cases[i].ns);
		snprintf(want, sizeof(want), "eth0             late_max %s\n",
			 cases[i].text);
		ASSERT_STREQ(want, show(self, false, nlh, NULL, &ret));
	}
}

/* The kernel names the device; without a name the ifindex does. */
TEST_F(link, name_fallback)
{
	struct nlmsghdr *nlh = reply_start(self->msg, HEARTBEAT_CMD_LINK_GET);
	int ret;

	mnl_attr_put_u32(nlh, HEARTBEAT_A_LINK_IFINDEX, LO_IFINDEX);
	mnl_attr_put_u8(nlh, HEARTBEAT_A_LINK_MODE, 7);
	ASSERT_STREQ("lo               mode-7   \n",
		     show(self, false, nlh, NULL, &ret));
	ASSERT_STREQ("[{\"dev\":\"lo\",\"ifindex\":1,\"mode\":\"mode-7\"}]\n",
		     show(self, true, nlh, NULL, &ret));
	nlh = reply_start(self->msg, HEARTBEAT_CMD_LINK_GET);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_LINK_IFINDEX, GONE_IFINDEX);
	ASSERT_STREQ("[{\"dev\":\"999999\",\"ifindex\":999999}]\n",
		     show(self, true, nlh, NULL, &ret));
}

/* "link show" ignores the histogram; only "stats" prints it. */
TEST_F(link, hist_ignored)
{
	struct nlmsghdr *nlh = link_reply(self->msg);
	struct nlattr *hist;
	int ret;

	hist = mnl_attr_nest_start(nlh, HEARTBEAT_A_LINK_LATE_HIST);
	mnl_attr_put_u64(nlh, 1, 5);
	mnl_attr_nest_end(nlh, hist);
	ASSERT_STREQ("eth0             id 1  multicast  up    tx 1234  errors 0"
		     "  skipped 0  overruns 0  late_max 35us\n",
		     show(self, false, nlh, NULL, &ret));
	ASSERT_EQ(MNL_CB_OK, ret);
}

TEST_F(link, empty_dump)
{
	capture_start(&self->c, true, false);
	json_list_end(false, false);
	ASSERT_STREQ("[]\n", capture_text(&self->c));
	capture_start(&self->c, false, false);
	json_list_end(false, false);
	ASSERT_STREQ("", capture_text(&self->c));
}

/* A refused request prints nothing at all, not even "[]". */
TEST_F(link, refused)
{
	capture_start(&self->c, true, false);
	json_list_end(false, true);
	ASSERT_STREQ("", capture_text(&self->c));
}

/* A bad second reply fails the dump but leaves valid JSON behind. */
TEST_F(link, bad_reply)
{
	struct nlmsghdr *b = reply_start(self->msg2, HEARTBEAT_CMD_LINK_GET);
	int ret;

	mnl_attr_put_u16(b, HEARTBEAT_A_LINK_ID, 1);
	ASSERT_STREQ("[{\"dev\":\"eth0\",\"ifindex\":3,\"id\":1,"
		     "\"mode\":\"multicast\",\"up\":true,\"tx\":1234,"
		     "\"tx_errors\":0,\"tx_skipped\":0,\"tx_overruns\":0,"
		     "\"late_max_ns\":35000}]\n",
		     show(self, true, link_reply(self->msg), b, &ret));
	ASSERT_EQ(MNL_CB_ERROR, ret);
	ASSERT_EQ(EPROTO, errno);
	ASSERT_STREQ("", show(self, false, b, NULL, &ret));
	ASSERT_EQ(MNL_CB_ERROR, ret);
}

TEST_F(link, bad_hist)
{
	struct nlmsghdr *nlh = link_reply(self->msg);
	struct nlattr *hist;
	int ret;

	hist = mnl_attr_nest_start(nlh, HEARTBEAT_A_LINK_LATE_HIST);
	mnl_attr_put_u32(nlh, 3, 5);
	mnl_attr_nest_end(nlh, hist);
	ASSERT_STREQ("", show(self, false, nlh, NULL, &ret));
	ASSERT_EQ(MNL_CB_ERROR, ret);
}

TEST_HARNESS_MAIN
