/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What senders may cost: floors for callers without CAP_NET_ADMIN in the
 * initial user namespace, and one transmit budget, in frames a second, for
 * the links of all namespaces together.
 */
#ifndef _HB_BUDGET_H
#define _HB_BUDGET_H

#include <linux/types.h>

struct hb_net;
struct netlink_ext_ack;
struct sk_buff;

/* A change to one namespace's senders, for hb_budget_check(). */
struct hb_budget_change {
	u32 interval_us;	/* the interval after the change */
	unsigned int links;	/* multicast or unicast links added */
	bool unicast;		/* ... of this mode */
	unsigned int unicast_peers;	/* configured peers with a MAC added */
};

bool hb_privileged(const struct sk_buff *skb);
int hb_floor_interval(const struct sk_buff *skb, u32 interval_us, u32 old_us,
		      struct netlink_ext_ack *extack);
int hb_floor_unicast_peers(const struct sk_buff *skb, unsigned int peers,
			   struct netlink_ext_ack *extack);
int hb_budget_check(struct hb_net *hn, const struct hb_budget_change *chg,
		    struct netlink_ext_ack *extack);

#endif /* _HB_BUDGET_H */
