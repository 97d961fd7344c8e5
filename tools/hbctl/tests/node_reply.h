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

#endif /* HBCTL_TESTS_NODE_REPLY_H */
