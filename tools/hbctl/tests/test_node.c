// SPDX-License-Identifier: GPL-2.0-only
/* "hbctl node show" output for fake kernel replies; no kernel needed. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "kselftest_harness.h"

#include "hbctl.h"
#include "json_print.h"
#include "node_reply.h"

FIXTURE(node)
{
	char *out;
	size_t len;
	FILE *fp;
	char msg[NODE_REPLY_BUFSZ] __attribute__((aligned(4)));
};

FIXTURE_SETUP(node)
{
	self->out = NULL;
	self->fp = open_memstream(&self->out, &self->len);
	ASSERT_NE(NULL, self->fp);
	memset(self->msg, 0, sizeof(self->msg));
}

FIXTURE_TEARDOWN(node)
{
	fclose(self->fp);
	free(self->out);
}

static const char *show(FIXTURE_DATA(node) *self, const struct nlmsghdr *nlh,
			bool json, int *ret)
{
	print_init(self->fp, json, false);
	errno = 0;
	*ret = node_show_cb(nlh, NULL);
	fflush(self->fp);
	return self->out ? self->out : "";
}

TEST_F(node, text_full)
{
	int ret;

	ASSERT_STREQ("id 1  cluster 7  incarnation 1764207610123456789  "
		     "interval 10ms  fall 3  rise 2  grace 1s  learn on\n",
		     show(self, node_reply_full(self->msg, 1), false, &ret));
	ASSERT_EQ(MNL_CB_OK, ret);
}

TEST_F(node, json_full)
{
	int ret;

	ASSERT_STREQ("{\"id\":1,\"cluster\":7,"
		     "\"incarnation\":1764207610123456789,\"incarnation_str\":\"1764207610123456789\","
		     "\"interval_us\":10000,\"fall\":3,\"rise\":2,"
		     "\"grace_us\":1000000,\"learn\":true}\n",
		     show(self, node_reply_full(self->msg, 1), true, &ret));
	ASSERT_EQ(MNL_CB_OK, ret);
}

TEST_F(node, id_unset)
{
	struct nlmsghdr *nlh = node_reply_full(self->msg, 0);
	int ret;

	ASSERT_STREQ("id none  cluster 7  incarnation 1764207610123456789  "
		     "interval 10ms  fall 3  rise 2  grace 1s  learn on\n",
		     show(self, nlh, false, &ret));
	fclose(self->fp);
	free(self->out);
	self->out = NULL;
	self->fp = open_memstream(&self->out, &self->len);
	ASSERT_STREQ("{\"id\":0,\"cluster\":7,"
		     "\"incarnation\":1764207610123456789,\"incarnation_str\":\"1764207610123456789\","
		     "\"interval_us\":10000,\"fall\":3,\"rise\":2,"
		     "\"grace_us\":1000000,\"learn\":true}\n",
		     show(self, nlh, true, &ret));
}

/* Only present attributes print, in fixed order, with no stray gaps. */
TEST_F(node, partial_reordered)
{
	struct nlmsghdr *nlh = node_reply_start(self->msg);
	int ret;

	mnl_attr_put_u8(nlh, HEARTBEAT_A_NODE_LEARN, 0);
	mnl_attr_put(nlh, HEARTBEAT_A_NODE_PAD, 0, NULL);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_NODE_GRACE_US, 1500);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_NODE_FALL, 3);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_NODE_MAX + 1, 99);
	ASSERT_STREQ("fall 3  grace 1.5ms  learn off\n",
		     show(self, nlh, false, &ret));
	ASSERT_EQ(MNL_CB_OK, ret);
}

TEST_F(node, json_partial)
{
	struct nlmsghdr *nlh = node_reply_start(self->msg);
	int ret;

	mnl_attr_put_u32(nlh, HEARTBEAT_A_NODE_INTERVAL_US, 1500);
	mnl_attr_put_u8(nlh, HEARTBEAT_A_NODE_LEARN, 0);
	ASSERT_STREQ("{\"interval_us\":1500,\"learn\":false}\n",
		     show(self, nlh, true, &ret));
	ASSERT_EQ(MNL_CB_OK, ret);
}

static const char *reshow(FIXTURE_DATA(node) *self,
			  const struct nlmsghdr *nlh, bool json, int *ret)
{
	fclose(self->fp);
	free(self->out);
	self->out = NULL;
	self->fp = open_memstream(&self->out, &self->len);
	return show(self, nlh, json, ret);
}

/* The phi settings follow slack, in this order, at their defaults. */
TEST_F(node, phi_defaults)
{
	struct nlmsghdr *nlh = node_reply_phi(self->msg, 1);
	int ret;

	ASSERT_STREQ(NODE_PHI_TEXT "\n", show(self, nlh, false, &ret));
	ASSERT_EQ(MNL_CB_OK, ret);
	ASSERT_STREQ("{" NODE_PHI_JSON "}\n", reshow(self, nlh, true, &ret));
	ASSERT_EQ(MNL_CB_OK, ret);
}

/* Phi prints exactly, with the fewest decimals; a warning is a number. */
TEST_F(node, phi_values)
{
	struct nlmsghdr *nlh = node_reply_start(self->msg);
	int ret;

	mnl_attr_put_u32(nlh, HEARTBEAT_A_NODE_PHI_PAUSE_US, 1500000);
	mnl_attr_put_u8(nlh, HEARTBEAT_A_NODE_DETECTOR,
			HEARTBEAT_DETECTOR_PHI);
	mnl_attr_put_u8(nlh, HEARTBEAT_A_NODE_PHI_MODEL,
			HEARTBEAT_PHI_EXPONENTIAL);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_NODE_PHI_THRESHOLD, 12125);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_NODE_PHI_WARN, 250);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_NODE_PHI_MIN_STDDEV_US, 2000);
	ASSERT_STREQ("detector phi  phi-model exponential  "
		     "phi-threshold 12.125  phi-warn 0.25  "
		     "phi-min-stddev 2ms  phi-pause 1.5s\n",
		     show(self, nlh, false, &ret));
	ASSERT_EQ(MNL_CB_OK, ret);
	ASSERT_STREQ("{\"detector\":\"phi\",\"phi_model\":\"exponential\","
		     "\"phi_threshold\":12.125,\"phi_warn\":0.25,"
		     "\"phi_min_stddev_us\":2000,\"phi_pause_us\":1500000}\n",
		     reshow(self, nlh, true, &ret));
	ASSERT_EQ(MNL_CB_OK, ret);

	nlh = node_reply_start(self->msg);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_NODE_PHI_THRESHOLD, 8500);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_NODE_PHI_WARN, 20000);
	ASSERT_STREQ("phi-threshold 8.5  phi-warn 20\n",
		     reshow(self, nlh, false, &ret));
	ASSERT_STREQ("{\"phi_threshold\":8.5,\"phi_warn\":20}\n",
		     reshow(self, nlh, true, &ret));
}

/* Values from a newer kernel are named, never printed bare. */
TEST_F(node, unknown_enums)
{
	struct nlmsghdr *nlh = node_reply_start(self->msg);
	int ret;

	mnl_attr_put_u8(nlh, HEARTBEAT_A_NODE_DETECTOR, 2);
	mnl_attr_put_u8(nlh, HEARTBEAT_A_NODE_PHI_MODEL, 255);
	mnl_attr_put_u8(nlh, HEARTBEAT_A_NODE_AUTH, 3);
	ASSERT_STREQ("detector detector-2  phi-model model-255  auth auth-3\n",
		     show(self, nlh, false, &ret));
	ASSERT_EQ(MNL_CB_OK, ret);
	ASSERT_STREQ("{\"detector\":\"detector-2\","
		     "\"phi_model\":\"model-255\",\"auth\":\"auth-3\"}\n",
		     reshow(self, nlh, true, &ret));
	ASSERT_EQ(MNL_CB_OK, ret);
}

/* Authentication and the peer limits follow the phi settings. */
TEST_F(node, auth_defaults)
{
	struct nlmsghdr *nlh = node_reply_auth(self->msg, 1);
	int ret;

	ASSERT_STREQ(NODE_PHI_TEXT NODE_AUTH_TEXT "\n",
		     show(self, nlh, false, &ret));
	ASSERT_EQ(MNL_CB_OK, ret);
	ASSERT_STREQ("{" NODE_PHI_JSON NODE_AUTH_JSON "}\n",
		     reshow(self, nlh, true, &ret));
	ASSERT_EQ(MNL_CB_OK, ret);
}

/* A key that signs, no learning limit; in table order, whatever the reply's. */
TEST_F(node, auth_values)
{
	struct nlmsghdr *nlh = node_reply_auth_on(self->msg,
						  HEARTBEAT_AUTH_REQUIRED);
	int ret;

	ASSERT_STREQ("auth required  auth-key 65535  max-peers 4096  "
		     "learn-rate off  learn-expire off\n",
		     show(self, nlh, false, &ret));
	ASSERT_EQ(MNL_CB_OK, ret);
	ASSERT_STREQ("{\"auth\":\"required\",\"auth_key\":65535,"
		     "\"max_peers\":4096,\"learn_rate\":0,"
		     "\"learn_expire_us\":0}\n",
		     reshow(self, nlh, true, &ret));
	ASSERT_EQ(MNL_CB_OK, ret);
}

/* An older module sends none of them, and none is printed. */
TEST_F(node, auth_absent)
{
	int ret;

	ASSERT_EQ(NULL, strstr(show(self, node_reply_phi(self->msg, 1), false,
				    &ret), "auth"));
	ASSERT_EQ(MNL_CB_OK, ret);
	ASSERT_EQ(NULL, strstr(reshow(self, node_reply_phi(self->msg, 1),
				      true, &ret), "auth"));
	ASSERT_EQ(NULL, strstr(self->out, "peers"));
	ASSERT_EQ(NULL, strstr(self->out, "learn_rate"));
}

/* The cluster view's settings come last; 0 gossip is "off" in text. */
TEST_F(node, view)
{
	struct nlmsghdr *nlh = node_reply_view(self->msg, 1);
	int ret;

	ASSERT_STREQ(NODE_PHI_TEXT NODE_AUTH_TEXT NODE_VIEW_TEXT "\n",
		     show(self, nlh, false, &ret));
	ASSERT_EQ(MNL_CB_OK, ret);
	ASSERT_STREQ("{" NODE_PHI_JSON NODE_AUTH_JSON NODE_VIEW_JSON "}\n",
		     reshow(self, nlh, true, &ret));
	ASSERT_EQ(MNL_CB_OK, ret);

	nlh = node_reply_start(self->msg);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_NODE_PROBE_HELPERS, 0);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_NODE_GOSSIP, 0);
	ASSERT_STREQ("gossip off  probe-helpers 0\n",
		     reshow(self, nlh, false, &ret));
	ASSERT_STREQ("{\"gossip\":0,\"probe_helpers\":0}\n",
		     reshow(self, nlh, true, &ret));

	/* a module without them prints neither */
	ASSERT_EQ(NULL, strstr(reshow(self, node_reply_auth(self->msg, 1),
				      false, &ret), "gossip"));
	ASSERT_EQ(NULL, strstr(self->out, "probe"));
}

TEST_F(node, bad_auth_attr_size)
{
	struct nlmsghdr *nlh = node_reply_start(self->msg);
	int ret;

	mnl_attr_put_u32(nlh, HEARTBEAT_A_NODE_MAX_PEERS, 1024);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_NODE_AUTH, HEARTBEAT_AUTH_OFF);
	ASSERT_STREQ("", show(self, nlh, false, &ret));
	ASSERT_EQ(MNL_CB_ERROR, ret);
	ASSERT_EQ(EPROTO, errno);

	nlh = node_reply_start(self->msg);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_NODE_LEARN_RATE, 100);
	ASSERT_STREQ("", reshow(self, nlh, true, &ret));
	ASSERT_EQ(MNL_CB_ERROR, ret);
}

TEST_F(node, bad_phi_attr_size)
{
	struct nlmsghdr *nlh = node_reply_start(self->msg);
	int ret;

	mnl_attr_put_u8(nlh, HEARTBEAT_A_NODE_DETECTOR, 1);
	mnl_attr_put_u16(nlh, HEARTBEAT_A_NODE_PHI_THRESHOLD, 8000);
	ASSERT_STREQ("", show(self, nlh, false, &ret));
	ASSERT_EQ(MNL_CB_ERROR, ret);
	ASSERT_EQ(EPROTO, errno);
}

TEST_F(node, empty_reply)
{
	int ret;

	ASSERT_STREQ("\n", show(self, node_reply_start(self->msg), false,
				&ret));
	ASSERT_EQ(MNL_CB_OK, ret);
}

/* A malformed reply is an error and prints nothing at all. */
TEST_F(node, bad_attr_size)
{
	struct nlmsghdr *nlh = node_reply_start(self->msg);
	int ret;

	mnl_attr_put_u32(nlh, HEARTBEAT_A_NODE_FALL, 3);
	mnl_attr_put_u16(nlh, HEARTBEAT_A_NODE_ID, 1);
	ASSERT_STREQ("", show(self, nlh, true, &ret));
	ASSERT_EQ(MNL_CB_ERROR, ret);
	ASSERT_EQ(EPROTO, errno);
}

TEST_HARNESS_MAIN
