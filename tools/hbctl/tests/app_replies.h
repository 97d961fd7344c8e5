/* SPDX-License-Identifier: GPL-2.0-only */
/* Fake readiness gate replies and events, laid out as the kernel's (app.c). */
#ifndef HBCTL_TESTS_APP_REPLIES_H
#define HBCTL_TESTS_APP_REPLIES_H

#include "replies.h"

/* The gate of the documentation: db, 300 ms, kicked 12 ms ago. */
static inline struct nlmsghdr *app_reply(void *buf, const char *name,
					 uint8_t ready, uint8_t action)
{
	struct nlmsghdr *nlh = reply_start(buf, HEARTBEAT_CMD_APP_GET);

	mnl_attr_put_strz(nlh, HEARTBEAT_A_APP_NAME, name);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_APP_TIMEOUT_US, 300000);
	mnl_attr_put_u8(nlh, HEARTBEAT_A_APP_ACTION, action);
	mnl_attr_put_u8(nlh, HEARTBEAT_A_APP_READY, ready);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_APP_SINCE_KICK_US, 12000);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_APP_KICKS, 1520);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_APP_EXPIRIES, 1);
	return nlh;
}

static inline struct nlmsghdr *event_ready(void *buf, uint32_t peer,
					   uint8_t ready)
{
	struct nlmsghdr *nlh = reply_start(buf, HEARTBEAT_CMD_PEER_EVENT);

	mnl_attr_put_u8(nlh, HEARTBEAT_A_EVENT_TYPE,
			HEARTBEAT_EVENT_PEER_READY);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_EVENT_PEER, peer);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_EVENT_TIME_NS, EXAMPLE_TIME_NS);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_EVENT_INCARNATION,
			 EXAMPLE_INCARNATION);
	mnl_attr_put_u8(nlh, HEARTBEAT_A_EVENT_READY, ready);
	mnl_attr_put_u8(nlh, HEARTBEAT_A_EVENT_STATE, HEARTBEAT_STATE_ALIVE);
	return nlh;
}

static inline struct nlmsghdr *event_app(void *buf, const char *name,
					 uint8_t ready, uint8_t action,
					 uint8_t node_ready, uint8_t silent)
{
	struct nlmsghdr *nlh = reply_start(buf, HEARTBEAT_CMD_PEER_EVENT);

	mnl_attr_put_u8(nlh, HEARTBEAT_A_EVENT_TYPE, HEARTBEAT_EVENT_APP);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_EVENT_PEER, 1);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_EVENT_TIME_NS, EXAMPLE_TIME_NS);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_EVENT_INCARNATION,
			 EXAMPLE_INCARNATION);
	mnl_attr_put_u8(nlh, HEARTBEAT_A_EVENT_READY, ready);
	mnl_attr_put_strz(nlh, HEARTBEAT_A_EVENT_APP_NAME, name);
	mnl_attr_put_u8(nlh, HEARTBEAT_A_EVENT_APP_ACTION, action);
	mnl_attr_put_u8(nlh, HEARTBEAT_A_EVENT_NODE_READY, node_ready);
	mnl_attr_put_u8(nlh, HEARTBEAT_A_EVENT_SILENT, silent);
	return nlh;
}

#endif /* HBCTL_TESTS_APP_REPLIES_H */
