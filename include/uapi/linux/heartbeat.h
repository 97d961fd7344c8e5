/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * heartbeat: in-kernel cluster liveness detection over raw Ethernet.
 *
 * Userspace ABI of the "heartbeat" generic netlink family. The family is
 * network-namespace aware: every command acts on the caller's namespace.
 * Documentation/netlink/heartbeat.yaml describes the same family as a spec.
 *
 * Rules for changing this file: values are never renumbered or reused; new
 * commands and attributes are appended before the __*_MAX sentinels.
 */
#ifndef _UAPI_LINUX_HEARTBEAT_H
#define _UAPI_LINUX_HEARTBEAT_H

#define HEARTBEAT_GENL_NAME		"heartbeat"
#define HEARTBEAT_GENL_VERSION		1
#define HEARTBEAT_MCGRP_EVENTS		"events"

enum heartbeat_cmd {
	HEARTBEAT_CMD_UNSPEC,
	HEARTBEAT_CMD_NODE_GET,		/* do: HEARTBEAT_A_NODE_* of this netns */
	HEARTBEAT_CMD_NODE_SET,		/* do: change HEARTBEAT_A_NODE_* (admin) */

	__HEARTBEAT_CMD_MAX,
	HEARTBEAT_CMD_MAX = __HEARTBEAT_CMD_MAX - 1
};

/* Attributes of the local node (one per network namespace). */
enum heartbeat_node_attr {
	HEARTBEAT_A_NODE_UNSPEC,
	HEARTBEAT_A_NODE_PAD,
	HEARTBEAT_A_NODE_ID,		/* u32: 0 until set; nonzero once set */
	HEARTBEAT_A_NODE_CLUSTER,	/* u32: cluster id shared by all peers */
	HEARTBEAT_A_NODE_INCARNATION,	/* u64: read-only, new on every start */
	HEARTBEAT_A_NODE_INTERVAL_US,	/* u32: send period in microseconds */
	HEARTBEAT_A_NODE_FALL,		/* u32: missed intervals before dead */
	HEARTBEAT_A_NODE_RISE,		/* u32: heartbeats needed to be alive */
	HEARTBEAT_A_NODE_GRACE_US,	/* u32: wait for never-heard peers */
	HEARTBEAT_A_NODE_LEARN,		/* u8: 1 learns peers from frames */

	__HEARTBEAT_A_NODE_MAX,
	HEARTBEAT_A_NODE_MAX = __HEARTBEAT_A_NODE_MAX - 1
};

/* Limits enforced by the netlink policy. */
#define HEARTBEAT_INTERVAL_MIN_US	1000U		/* 1 ms */
#define HEARTBEAT_INTERVAL_MAX_US	60000000U	/* 60 s */
#define HEARTBEAT_FALL_MAX		100U
#define HEARTBEAT_RISE_MAX		100U
#define HEARTBEAT_GRACE_MAX_US		3600000000U	/* 1 hour */

#endif /* _UAPI_LINUX_HEARTBEAT_H */
