// SPDX-License-Identifier: GPL-2.0-only
/* "hbctl stats" output for fake kernel replies; no kernel needed. */
#include <errno.h>

#include "kselftest_harness.h"

#include "capture.h"
#include "hbctl.h"
#include "replies.h"

FIXTURE(stats)
{
	struct capture c;
	char msg[REPLY_BUFSZ] __attribute__((aligned(4)));
};

FIXTURE_SETUP(stats)
{
	memset(&self->c, 0, sizeof(self->c));
	memset(self->msg, 0, sizeof(self->msg));
}

FIXTURE_TEARDOWN(stats)
{
	capture_end(&self->c);
}

static const char *show(FIXTURE_DATA(stats) *self, bool json,
			const struct nlmsghdr *nlh, int *ret)
{
	capture_start(&self->c, json, false);
	errno = 0;
	*ret = stats_show_cb(nlh, NULL);
	return capture_text(&self->c);
}

TEST_F(stats, text)
{
	int ret;

	ASSERT_STREQ("tx 1234  rx 5678\n"
		     "drops  short 0  magic 0  version 0  length 0  type 0"
		     "  field 0  tlv 0  cluster 42\n"
		     "       own_id 0  no_id 0  unbound 0  unknown_peer 0"
		     "  peer_limit 0  stale_seq 0\n"
		     "       old_incarnation 0  nomem 1  reason_40 7\n"
		     "link eth0  id 1  tx 1234  errors 0  skipped 0"
		     "  overruns 0  late_max 35us\n"
		     "  late  <1us 10  1-2us 5  2-4us 7  >=1048576us 2\n",
		     show(self, false, stats_reply(self->msg), &ret));
	ASSERT_EQ(MNL_CB_OK, ret);
}

TEST_F(stats, json)
{
	char want[4096], *p = want, *end = want + sizeof(want);
	unsigned int b;
	int ret;

	p += snprintf(p, end - p, "%s",
		      "{\"tx\":1234,\"rx\":5678,\"drops\":{\"short\":0,"
		      "\"magic\":0,\"version\":0,\"length\":0,\"type\":0,"
		      "\"field\":0,\"tlv\":0,\"cluster\":42,\"own_id\":0,"
		      "\"no_id\":0,\"unbound\":0,\"unknown_peer\":0,"
		      "\"peer_limit\":0,\"stale_seq\":0,"
		      "\"old_incarnation\":0,\"nomem\":1,\"reason_40\":7},"
		      "\"links\":[{\"dev\":\"eth0\",\"ifindex\":3,\"id\":1,"
		      "\"mode\":\"multicast\",\"up\":true,\"tx\":1234,"
		      "\"tx_errors\":0,\"tx_skipped\":0,\"tx_overruns\":0,"
		      "\"late_max_ns\":35000,\"late_hist\":[");
	p += snprintf(p, end - p, "{\"lt_us\":1,\"count\":10},"
		      "{\"lt_us\":2,\"count\":5},{\"lt_us\":4,\"count\":7},");
	for (b = 3; b < HEARTBEAT_LATE_BUCKETS - 1; b++)
		p += snprintf(p, end - p, "{\"lt_us\":%u,\"count\":0},", 1U << b);
	snprintf(p, end - p, "%s", "{\"lt_us\":null,\"count\":2}]}]}\n");
	/* The last bounded bucket ends at 2^20 us. */
	ASSERT_NE(NULL, strstr(want, "{\"lt_us\":1048576,\"count\":0},"
			       "{\"lt_us\":null"));

	ASSERT_STREQ(want, show(self, true, stats_reply(self->msg), &ret));
	ASSERT_EQ(MNL_CB_OK, ret);
}

/* Known reasons the kernel did not send still print, as zero. */
TEST_F(stats, sparse)
{
	struct nlmsghdr *nlh = reply_start(self->msg, HEARTBEAT_CMD_STATS_GET);
	struct nlattr *drops, *links, *link, *hist;
	int ret;

	mnl_attr_put_u64(nlh, HEARTBEAT_A_STATS_RX, 5);
	drops = mnl_attr_nest_start(nlh, HEARTBEAT_A_STATS_DROPS);
	mnl_attr_put(nlh, HEARTBEAT_DROP_UNSPEC, 0, NULL);
	mnl_attr_put_u64(nlh, HEARTBEAT_DROP_STALE_SEQ, 12345678901ULL);
	mnl_attr_nest_end(nlh, drops);
	links = mnl_attr_nest_start(nlh, HEARTBEAT_A_STATS_LINKS);
	link = mnl_attr_nest_start(nlh, 0);
	mnl_attr_put_strz(nlh, HEARTBEAT_A_LINK_IFNAME, "eth1");
	mnl_attr_put_u64(nlh, HEARTBEAT_A_LINK_LATE_MAX_NS, 850);
	hist = mnl_attr_nest_start(nlh, HEARTBEAT_A_LINK_LATE_HIST);
	mnl_attr_nest_end(nlh, hist);
	mnl_attr_nest_end(nlh, link);
	link = mnl_attr_nest_start(nlh, 0);
	mnl_attr_put_strz(nlh, HEARTBEAT_A_LINK_IFNAME, "eth2");
	mnl_attr_put_u64(nlh, HEARTBEAT_A_LINK_TX, 1);
	mnl_attr_nest_end(nlh, link);
	mnl_attr_nest_end(nlh, links);

	ASSERT_STREQ("rx 5\n"
		     "drops  short 0  magic 0  version 0  length 0  type 0"
		     "  field 0  tlv 0  cluster 0\n"
		     "       own_id 0  no_id 0  unbound 0  unknown_peer 0"
		     "  peer_limit 0\n"
		     "       stale_seq 12345678901  old_incarnation 0"
		     "  nomem 0\n"
		     "link eth1  late_max 850ns\n"
		     "  late  -\n"
		     "link eth2  tx 1\n",
		     show(self, false, nlh, &ret));
	ASSERT_EQ(MNL_CB_OK, ret);
}

TEST_F(stats, empty)
{
	struct nlmsghdr *nlh = reply_start(self->msg, HEARTBEAT_CMD_STATS_GET);
	int ret;

	mnl_attr_put_u64(nlh, HEARTBEAT_A_STATS_TX, 0);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_STATS_RX, 0);
	ASSERT_STREQ("tx 0  rx 0\n", show(self, false, nlh, &ret));
	ASSERT_STREQ("{\"tx\":0,\"rx\":0,\"links\":[]}\n",
		     show(self, true, nlh, &ret));
	ASSERT_EQ(MNL_CB_OK, ret);
}

TEST_F(stats, bad_drop)
{
	struct nlmsghdr *nlh = reply_start(self->msg, HEARTBEAT_CMD_STATS_GET);
	struct nlattr *drops;
	int ret;

	mnl_attr_put_u64(nlh, HEARTBEAT_A_STATS_TX, 1);
	drops = mnl_attr_nest_start(nlh, HEARTBEAT_A_STATS_DROPS);
	mnl_attr_put_u32(nlh, HEARTBEAT_DROP_SHORT, 1);
	mnl_attr_nest_end(nlh, drops);
	ASSERT_STREQ("", show(self, true, nlh, &ret));
	ASSERT_EQ(MNL_CB_ERROR, ret);
	ASSERT_EQ(EPROTO, errno);
}

TEST_F(stats, bad_link)
{
	struct nlmsghdr *nlh = reply_start(self->msg, HEARTBEAT_CMD_STATS_GET);
	struct nlattr *links, *link;
	int ret;

	mnl_attr_put_u64(nlh, HEARTBEAT_A_STATS_TX, 1);
	links = mnl_attr_nest_start(nlh, HEARTBEAT_A_STATS_LINKS);
	link = mnl_attr_nest_start(nlh, 0);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_LINK_TX, 1);
	mnl_attr_nest_end(nlh, link);
	mnl_attr_nest_end(nlh, links);
	ASSERT_STREQ("", show(self, false, nlh, &ret));
	ASSERT_EQ(MNL_CB_ERROR, ret);
}

TEST_HARNESS_MAIN
