// SPDX-License-Identifier: GPL-2.0-only
/* "hbctl quorum show" output for fake kernel replies; no kernel needed. */
#include <errno.h>

#include "kselftest_harness.h"

#include "capture.h"
#include "hbctl.h"
#include "replies.h"

FIXTURE(quorum)
{
	struct capture c;
	char msg[REPLY_BUFSZ] __attribute__((aligned(4)));
};

FIXTURE_SETUP(quorum)
{
	memset(&self->c, 0, sizeof(self->c));
	memset(self->msg, 0, sizeof(self->msg));
}

FIXTURE_TEARDOWN(quorum)
{
	capture_end(&self->c);
}

static const char *show(FIXTURE_DATA(quorum) *self, bool json,
			const struct nlmsghdr *nlh, int *ret)
{
	capture_start(&self->c, json, false);
	errno = 0;
	*ret = quorum_show_cb(nlh, NULL);
	return capture_text(&self->c);
}

TEST_F(quorum, text)
{
	int ret;

	ASSERT_STREQ("quorate yes  votes 3  expected-votes 5"
		     "  tie-breaker lowest  wait-for-all off  nodes 5"
		     "  changes 2  members 1 2 3\n",
		     show(self, false, quorum_reply(self->msg, 5, 1), &ret));
	ASSERT_EQ(MNL_CB_OK, ret);
	ASSERT_STREQ("quorate no  votes 3  expected-votes 7"
		     "  tie-breaker lowest  wait-for-all off  nodes 5"
		     "  changes 2  members 1 2 3\n",
		     show(self, false, quorum_reply(self->msg, 7, 0), &ret));
}

/* The members the issue asks for, always, in this order. */
TEST_F(quorum, json)
{
	int ret;

	ASSERT_STREQ("{\"quorate\":true,\"expected_votes\":5,\"votes\":3,"
		     "\"members\":[1,2,3],\"tie_breaker\":\"lowest\","
		     "\"wait_for_all\":false,\"nodes\":5,\"changes\":2}\n",
		     show(self, true, quorum_reply(self->msg, 5, 1), &ret));
	ASSERT_EQ(MNL_CB_OK, ret);
}

/* expected-votes 0: "quorum off" in text, the same JSON members. */
TEST_F(quorum, off)
{
	int ret;

	ASSERT_STREQ("quorum off  votes 3  tie-breaker lowest"
		     "  wait-for-all off  nodes 5  changes 2  members 1 2 3\n",
		     show(self, false, quorum_reply(self->msg, 0, 0), &ret));
	ASSERT_EQ(MNL_CB_OK, ret);
	ASSERT_STREQ("{\"quorate\":false,\"expected_votes\":0,\"votes\":3,"
		     "\"members\":[1,2,3],\"tie_breaker\":\"lowest\","
		     "\"wait_for_all\":false,\"nodes\":5,\"changes\":2}\n",
		     show(self, true, quorum_reply(self->msg, 0, 0), &ret));
}

/* No members, wait-for-all on, a tie-breaker newer than hbctl. */
TEST_F(quorum, edges)
{
	struct nlmsghdr *nlh = reply_start(self->msg, HEARTBEAT_CMD_QUORUM_GET);
	struct nlattr *members;
	int ret;

	mnl_attr_put_u32(nlh, HEARTBEAT_A_QUORUM_EXPECTED_VOTES,
			 HEARTBEAT_VOTES_MAX);
	mnl_attr_put_u8(nlh, HEARTBEAT_A_QUORUM_TIE_BREAKER, 9);
	mnl_attr_put_u8(nlh, HEARTBEAT_A_QUORUM_WAIT_FOR_ALL, 1);
	mnl_attr_put_u8(nlh, HEARTBEAT_A_QUORUM_QUORATE, 0);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_QUORUM_VOTES, 0);
	members = mnl_attr_nest_start(nlh, HEARTBEAT_A_QUORUM_MEMBERS);
	mnl_attr_nest_end(nlh, members);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_QUORUM_NODES, 1);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_QUORUM_CHANGES, 0);

	ASSERT_STREQ("quorate no  votes 0  expected-votes 65"
		     "  tie-breaker tie-breaker-9  wait-for-all on  nodes 1"
		     "  changes 0  members -\n",
		     show(self, false, nlh, &ret));
	ASSERT_EQ(MNL_CB_OK, ret);
	ASSERT_STREQ("{\"quorate\":false,\"expected_votes\":65,\"votes\":0,"
		     "\"members\":[],\"tie_breaker\":\"tie-breaker-9\","
		     "\"wait_for_all\":true,\"nodes\":1,\"changes\":0}\n",
		     show(self, true, nlh, &ret));
}

/* A member that is no u32 fails the reply before anything prints. */
TEST_F(quorum, bad_member)
{
	struct nlmsghdr *nlh = quorum_reply(self->msg, 5, 1);
	struct nlattr *members;
	int ret;

	members = mnl_attr_nest_start(nlh, HEARTBEAT_A_QUORUM_MEMBERS);
	mnl_attr_put_u16(nlh, 0, 4);
	mnl_attr_nest_end(nlh, members);
	ASSERT_STREQ("", show(self, true, nlh, &ret));
	ASSERT_EQ(MNL_CB_ERROR, ret);
	ASSERT_EQ(EPROTO, errno);
}

TEST_F(quorum, incomplete)
{
	struct nlmsghdr *nlh = reply_start(self->msg, HEARTBEAT_CMD_QUORUM_GET);
	int ret;

	mnl_attr_put_u32(nlh, HEARTBEAT_A_QUORUM_EXPECTED_VOTES, 5);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_QUORUM_VOTES, 3);
	ASSERT_STREQ("", show(self, false, nlh, &ret));
	ASSERT_EQ(MNL_CB_ERROR, ret);
	ASSERT_EQ(EPROTO, errno);

	nlh = quorum_reply(self->msg, 5, 1);
	mnl_attr_put_u16(nlh, HEARTBEAT_A_QUORUM_CHANGES, 1);
	ASSERT_STREQ("", show(self, false, nlh, &ret));
	ASSERT_EQ(MNL_CB_ERROR, ret);
}

static struct nlmsghdr *disk_reply(void *buf, bool held)
{
	struct nlmsghdr *nlh = reply_start(buf, HEARTBEAT_CMD_DISK_GET);

	mnl_attr_put_strz(nlh, HEARTBEAT_A_DISK_PATH, "/dev/vdb");
	mnl_attr_put_u64(nlh, HEARTBEAT_A_DISK_OFFSET, 4096);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_DISK_SLOTS, 16);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_DISK_INTERVAL_US, 200000);
	mnl_attr_put_u8(nlh, HEARTBEAT_A_DISK_UP, 1);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_DISK_SLOT, 2);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_DISK_SEQ, 42);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_DISK_WRITES, 42);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_DISK_READS, 41);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_DISK_IO_ERRORS, 0);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_DISK_CORRUPT, 3);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_DISK_CONFLICTS, 0);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_DISK_BAD_MAC, 0);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_DISK_LEASE_HOLDER, held ? 2 : 0);
	mnl_attr_put_u8(nlh, HEARTBEAT_A_DISK_LEASE_HELD, held);
	mnl_attr_put_u8(nlh, HEARTBEAT_A_DISK_FENCED, 0);
	return nlh;
}

static const char *disk_show(FIXTURE_DATA(quorum) *self, bool json,
			     const struct nlmsghdr *nlh, int *ret)
{
	capture_start(&self->c, json, false);
	errno = 0;
	*ret = disk_show_cb(nlh, NULL);
	return capture_text(&self->c);
}

TEST_F(quorum, disk_show)
{
	int ret;

	ASSERT_STREQ("/dev/vdb  offset 4096  slots 16  interval 200ms  up  slot 2"
		     "  seq 42  writes 42  reads 41  io_errors 0  corrupt 3"
		     "  conflicts 0  bad_mac 0  lease-holder 2  lease held\n",
		     disk_show(self, false, disk_reply(self->msg, true), &ret));
	ASSERT_EQ(MNL_CB_OK, ret);
	ASSERT_STREQ("{\"dev\":\"/dev/vdb\",\"offset\":4096,\"slots\":16,"
		     "\"interval_us\":200000,\"up\":true,\"slot\":2,\"seq\":42,"
		     "\"writes\":42,\"reads\":41,\"io_errors\":0,\"corrupt\":3,"
		     "\"conflicts\":0,\"bad_mac\":0,\"lease_holder\":0,"
		     "\"lease_held\":false,\"fenced\":false}\n",
		     disk_show(self, true, disk_reply(self->msg, false), &ret));
	ASSERT_EQ(MNL_CB_OK, ret);
}

/* Without its path, slots or interval a reply is malformed. */
TEST_F(quorum, disk_show_incomplete)
{
	struct nlmsghdr *nlh = reply_start(self->msg, HEARTBEAT_CMD_DISK_GET);
	int ret;

	mnl_attr_put_u32(nlh, HEARTBEAT_A_DISK_SLOTS, 16);
	disk_show(self, false, nlh, &ret);
	ASSERT_EQ(MNL_CB_ERROR, ret);
}

TEST_HARNESS_MAIN
