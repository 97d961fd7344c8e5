/* SPDX-License-Identifier: GPL-2.0-only */
/* Fake HEARTBEAT_CMD_NODE_GET replies for the host tests. */
#ifndef HBCTL_TESTS_NODE_REPLY_H
#define HBCTL_TESTS_NODE_REPLY_H

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/heartbeat.h>

#include "replies.h"

#define NODE_REPLY_BUFSZ	1024

static inline struct nlmsghdr *node_reply_start(void *buf)
{
	return reply_start(buf, HEARTBEAT_CMD_NODE_GET);
}

/* The example node of the hbctl documentation. */
static inline struct nlmsghdr *node_reply_full(void *buf, uint32_t id)
{
	struct nlmsghdr *nlh = node_reply_start(buf);

	mnl_attr_put_u32(nlh, HEARTBEAT_A_NODE_ID, id);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_NODE_CLUSTER, 7);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_NODE_INCARNATION,
			 1764207610123456789ULL);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_NODE_INTERVAL_US, 10000);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_NODE_FALL, 3);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_NODE_RISE, 2);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_NODE_GRACE_US, 1000000);
	mnl_attr_put_u8(nlh, HEARTBEAT_A_NODE_LEARN, 1);
	return nlh;
}

/*
 * As a kernel with the phi detector replies: the documentation's node
 * plus slack and the phi settings at their defaults.
 */
static inline struct nlmsghdr *node_reply_phi(void *buf, uint32_t id)
{
	struct nlmsghdr *nlh = node_reply_full(buf, id);

	mnl_attr_put_u32(nlh, HEARTBEAT_A_NODE_SLACK_US, 0);
	mnl_attr_put_u8(nlh, HEARTBEAT_A_NODE_DETECTOR,
			HEARTBEAT_DETECTOR_TIMEOUT);
	mnl_attr_put_u8(nlh, HEARTBEAT_A_NODE_PHI_MODEL, HEARTBEAT_PHI_NORMAL);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_NODE_PHI_THRESHOLD, 8000);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_NODE_PHI_WARN, 0);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_NODE_PHI_WINDOW, 100);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_NODE_PHI_MIN_STDDEV_US, 500);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_NODE_PHI_PAUSE_US, 0);
	return nlh;
}

/* node_reply_phi(buf, 1) as "node show" prints it: text, JSON members. */
#define NODE_PHI_TEXT	"id 1  cluster 7  incarnation 1764207610123456789  "  \
			"interval 10ms  fall 3  rise 2  grace 1s  learn on  " \
			"slack auto  detector timeout  phi-model normal  "    \
			"phi-threshold 8  phi-warn off  phi-window 100  "     \
			"phi-min-stddev 500us  phi-pause 0s"
#define NODE_PHI_JSON	"\"id\":1,\"cluster\":7,"			      \
			"\"incarnation\":1764207610123456789,"		      \
			"\"incarnation_str\":\"1764207610123456789\","	      \
			"\"interval_us\":10000,\"fall\":3,\"rise\":2,"	      \
			"\"grace_us\":1000000,\"learn\":true,\"slack_us\":0,"  \
			"\"detector\":\"timeout\",\"phi_model\":\"normal\","  \
			"\"phi_threshold\":8,\"phi_warn\":null,"		      \
			"\"phi_window\":100,\"phi_min_stddev_us\":500,"	      \
			"\"phi_pause_us\":0"

/* What node_reply_auth() adds to them. */
#define NODE_AUTH_TEXT	"  auth off  auth-key none  max-peers 1024  "	      \
			"learn-rate 100  learn-expire 300s"
#define NODE_AUTH_JSON	",\"auth\":\"off\",\"auth_key\":0,"		      \
			"\"max_peers\":1024,\"learn_rate\":100,"		      \
			"\"learn_expire_us\":300000000"

/*
 * As the current module replies: node_reply_phi() plus authentication
 * and the peer limits, at their defaults.
 */
static inline struct nlmsghdr *node_reply_auth(void *buf, uint32_t id)
{
	struct nlmsghdr *nlh = node_reply_phi(buf, id);

	mnl_attr_put_u8(nlh, HEARTBEAT_A_NODE_AUTH, HEARTBEAT_AUTH_OFF);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_NODE_AUTH_KEY, 0);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_NODE_MAX_PEERS, 1024);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_NODE_LEARN_RATE, 100);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_NODE_LEARN_EXPIRE_US, 300000000);
	return nlh;
}

/* What node_reply_view() adds to node_reply_auth()'s. */
#define NODE_VIEW_TEXT	"  gossip 32  probe-helpers 3"
#define NODE_VIEW_JSON	",\"gossip\":32,\"probe_helpers\":3"

/* As a module with the cluster view: gossip and probe helpers, defaults. */
static inline struct nlmsghdr *node_reply_view(void *buf, uint32_t id)
{
	struct nlmsghdr *nlh = node_reply_auth(buf, id);

	mnl_attr_put_u32(nlh, HEARTBEAT_A_NODE_GOSSIP, HEARTBEAT_GOSSIP_MAX);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_NODE_PROBE_HELPERS, 3);
	return nlh;
}

/*
 * Authentication @auth with the last key id, the most peers, no learning
 * limit, no expiry; the attributes in the reverse of their printing order.
 */
static inline struct nlmsghdr *node_reply_auth_on(void *buf, uint8_t auth)
{
	struct nlmsghdr *nlh = node_reply_start(buf);

	mnl_attr_put_u32(nlh, HEARTBEAT_A_NODE_LEARN_EXPIRE_US, 0);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_NODE_LEARN_RATE, 0);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_NODE_MAX_PEERS, HEARTBEAT_PEERS_MAX);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_NODE_AUTH_KEY, HEARTBEAT_KEY_ID_MAX);
	mnl_attr_put_u8(nlh, HEARTBEAT_A_NODE_AUTH, auth);
	return nlh;
}

#endif /* HBCTL_TESTS_NODE_REPLY_H */
