// SPDX-License-Identifier: GPL-2.0-only
/*
 * What senders may cost. Every link sends from a hard timer and a HI
 * tasklet, in interrupt context that no task is charged for, and any user
 * may create a user namespace owning a network namespace, where it holds
 * CAP_NET_ADMIN: without bounds, each such namespace could arm 32 links at
 * 1 kHz, each unicast link sending one frame per configured peer.
 *
 * So, for callers without CAP_NET_ADMIN in the initial user namespace
 * (netlink_capable(), checked on the socket's opener and the caller), the
 * interval has a floor (unpriv_min_interval_us) and the configured unicast
 * peers of a namespace a ceiling (unpriv_max_unicast_peers). And for every
 * caller, privileged or not, the frames a second that the links of all
 * namespaces are committed to send stay within tx_budget: a link added, an
 * interval lowered or a unicast peer added beyond it is refused, saying so.
 *
 * A namespace commits ceil(10^6 / interval_us) frames a second for each
 * multicast link and as many times its unicast peers for each unicast link
 * (every unicast peer counted on every unicast link: an upper bound, since
 * a peer bound to one device is sent to on that link only). The sum is
 * taken over all namespaces when a change would raise it: every such
 * change holds RTNL, so two cannot both fit in the last room. Changes that
 * lower it are never refused, so a lowered budget is reached as senders go.
 */
#include <linux/capability.h>
#include <linux/math64.h>
#include <linux/moduleparam.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "heartbeat.h"

/*
 * 100 Hz: a namespace's 32 links send 3,200 frames a second at most, and
 * detection within 30 ms (fall 3) is left to those trusted with the host.
 */
static unsigned int hb_unpriv_min_interval_us __read_mostly = 10000;
module_param_named(unpriv_min_interval_us, hb_unpriv_min_interval_us, uint,
		   0644);
MODULE_PARM_DESC(unpriv_min_interval_us,
		 "Shortest interval for callers without CAP_NET_ADMIN in the initial user namespace (us, default 10000)");

/* 64 frames per interval for a unicast link: a rack's worth of peers. */
static unsigned int hb_unpriv_max_unicast_peers __read_mostly = 64;
module_param_named(unpriv_max_unicast_peers, hb_unpriv_max_unicast_peers,
		   uint, 0644);
MODULE_PARM_DESC(unpriv_max_unicast_peers,
		 "Most peers with a unicast MAC per namespace for callers without CAP_NET_ADMIN in the initial user namespace (default 64)");

/*
 * 100,000 frames a second: an skb built and queued in softirq costs a
 * microsecond or two, so about a tenth of one CPU; ten times what a host
 * with ten links at 1 ms sends. 0: no limit.
 */
static unsigned int hb_tx_budget __read_mostly = 100000;
module_param_named(tx_budget, hb_tx_budget, uint, 0644);
MODULE_PARM_DESC(tx_budget,
		 "Frames a second the links of all namespaces may be set to send together (default 100000, 0: no limit)");

bool hb_privileged(const struct sk_buff *skb)
{
	return netlink_capable(skb, CAP_NET_ADMIN);
}

int hb_floor_interval(const struct sk_buff *skb, u32 interval_us, u32 old_us,
		      struct netlink_ext_ack *extack)
{
	/* Raising a short interval is always allowed. */
	if (interval_us >= READ_ONCE(hb_unpriv_min_interval_us) ||
	    interval_us >= old_us || hb_privileged(skb))
		return 0;
	NL_SET_ERR_MSG(extack,
		       "an interval below unpriv_min_interval_us needs CAP_NET_ADMIN in the initial user namespace");
	return -EPERM;
}

int hb_floor_unicast_peers(const struct sk_buff *skb, unsigned int peers,
			   struct netlink_ext_ack *extack)
{
	if (peers <= READ_ONCE(hb_unpriv_max_unicast_peers) ||
	    hb_privileged(skb))
		return 0;
	NL_SET_ERR_MSG(extack,
		       "more unicast peers than unpriv_max_unicast_peers need CAP_NET_ADMIN in the initial user namespace");
	return -EPERM;
}

/* Frames a second; u64: 1000 * 32 * 4096 at most, far from wrapping. */
static u64 hb_budget_rate(u32 interval_us, unsigned int mcast,
			  unsigned int ucast, unsigned int unicast_peers)
{
	u64 hz = DIV_ROUND_UP(USEC_PER_SEC, max_t(u32, interval_us, 1));

	return hz * (mcast + (u64)ucast * unicast_peers);
}

/* What hn's senders commit now (plus chg, when given); RCU or RTNL held. */
static u64 hb_budget_net(struct hb_net *hn, const struct hb_budget_change *chg)
{
	unsigned int mcast = 0, ucast = 0, peers;
	struct hb_link *link;
	u32 interval_us;

	list_for_each_entry_rcu(link, &hn->links, list, lockdep_rtnl_is_held()) {
		if (link->mode == HEARTBEAT_LINK_UNICAST)
			ucast++;
		else
			mcast++;
	}
	interval_us = READ_ONCE(hn->config.interval_us);
	peers = READ_ONCE(hn->unicast_peers);
	if (chg) {
		interval_us = chg->interval_us;
		if (chg->unicast)
			ucast += chg->links;
		else
			mcast += chg->links;
		peers += chg->unicast_peers;
	}
	return hb_budget_rate(interval_us, mcast, ucast, peers);
}

/*
 * May hn's senders change by chg? RTNL held, as by every caller that
 * raises a namespace's rate, so the sum cannot change under us.
 */
int hb_budget_check(struct hb_net *hn, const struct hb_budget_change *chg,
		    struct netlink_ext_ack *extack)
{
	u64 budget = READ_ONCE(hb_tx_budget);
	u64 after, total;
	struct net *net;

	ASSERT_RTNL();
	after = hb_budget_net(hn, chg);
	if (!budget || after <= hb_budget_net(hn, NULL))
		return 0;

	total = after;
	rcu_read_lock();
	for_each_net_rcu(net)
		if (net != hn->net)
			total += hb_budget_net(hb_net(net), NULL);
	rcu_read_unlock();
	if (total <= budget)
		return 0;
	NL_SET_ERR_MSG(extack,
		       "beyond the transmit budget shared by all namespaces (tx_budget)");
	return -ENOSPC;
}
