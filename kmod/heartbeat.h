/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Internal declarations shared by the files of heartbeat.ko.
 */
#ifndef _HEARTBEAT_H
#define _HEARTBEAT_H

#include <linux/mutex.h>
#include <linux/types.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#define HEARTBEAT_MODULE_VERSION	"0.1.0"

/* Settings of the local node; written under hb_net.lock. */
struct hb_node_config {
	u32 node_id;		/* 0 until an administrator sets it */
	u32 cluster_id;
	u32 interval_us;
	u32 fall;
	u32 rise;
	u32 grace_us;
	bool learn;
};

/* Per network namespace instance: each namespace is one cluster node. */
struct hb_net {
	struct mutex lock;	/* serialises configuration changes */
	struct hb_node_config config;
	u64 incarnation;	/* set once per instance start */
};

extern unsigned int hb_net_id;

static inline struct hb_net *hb_net(const struct net *net)
{
	return net_generic(net, hb_net_id);
}

int hb_netns_register(void);
void hb_netns_unregister(void);

int hb_genl_register(void);
void hb_genl_unregister(void);

#endif /* _HEARTBEAT_H */
