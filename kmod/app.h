/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Application readiness gates (Documentation/apps.rst): per network
 * namespace, up to HEARTBEAT_APPS_MAX named gates, each kicked by an
 * application through netlink and expired by its own deadline timer when
 * a kick is late. While a gate is expired the node's frames carry the
 * NOT_READY flag; while a gate of action "silence" is expired the node
 * sends no heartbeat at all, so that its peers judge it dead. The gate
 * logic itself is plain C in gate.c.
 */
#ifndef _HB_APP_H
#define _HB_APP_H

#include <linux/compiler.h>
#include <linux/hrtimer.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <net/genetlink.h>

#include <uapi/linux/heartbeat.h>

#include "gate.h"
#include "proto.h"

struct hb_net;
struct hb_peer;
struct hb_event;

/* The gates of one namespace (hb_net.apps). */
struct hb_apps {
	spinlock_t lock;		/* the gates' state, tally, flags (BH) */
	struct list_head list;		/* struct hb_app by name, RCU; changed
					 * under hb_net.lock and lock
					 */
	unsigned int count;		/* hb_net.lock */
	struct hb_gate_tally tally;	/* expired gates, by action */
	u16 flags;			/* HB_FLAG_* of every frame we send */
	bool silent;			/* no heartbeat goes out */
};

/* The header flags every frame of the node carries now; any context. */
static inline u16 hb_apps_flags(const struct hb_apps *apps)
{
	return READ_ONCE(apps->flags);
}

/* A gate of action silence is expired: send no heartbeat; any context. */
static inline bool hb_apps_silent(const struct hb_apps *apps)
{
	return READ_ONCE(apps->silent);
}

void hb_app_net_init(struct hb_net *hn);
void hb_app_net_exit(struct hb_net *hn);

/*
 * peer.c: a frame of the peer was accepted; remember whether it said
 * NOT_READY and report a change. peer->lock held, RCU.
 */
void hb_peer_ready_rx(struct hb_peer *peer, const struct hb_msg *msg);

/* netlink.c: the attributes of ready and app events. */
int hb_app_event_fill(struct sk_buff *skb, const struct hb_event *ev);

int hb_nl_app_add(struct sk_buff *skb, struct genl_info *info);
int hb_nl_app_del(struct sk_buff *skb, struct genl_info *info);
int hb_nl_app_get(struct sk_buff *skb, struct genl_info *info);
int hb_nl_app_dump(struct sk_buff *skb, struct netlink_callback *cb);
int hb_nl_app_kick(struct sk_buff *skb, struct genl_info *info);

extern const struct nla_policy hb_app_add_policy[HEARTBEAT_A_APP_MAX + 1];
extern const struct nla_policy hb_app_name_policy[HEARTBEAT_A_APP_MAX + 1];

#endif /* _HB_APP_H */
