// SPDX-License-Identifier: GPL-2.0-only
/*
 * Links: the node bound to a network device. Each link owns a soft hrtimer
 * that sends a heartbeat every interval, advanced with hrtimer_forward() so
 * that periods never drift, and measures how late it fired. Links follow
 * their device through the netdev notifier and vanish with it.
 */
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/log2.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>

#include "heartbeat.h"

static unsigned int hb_late_bucket(u64 late_ns)
{
	u64 us = late_ns / NSEC_PER_USEC;

	if (!us)
		return 0;
	return min_t(unsigned int, ilog2(us) + 1, HEARTBEAT_LATE_BUCKETS - 1);
}

static enum hrtimer_restart hb_link_tx_timer(struct hrtimer *timer)
{
	struct hb_link *link = container_of(timer, struct hb_link, tx_timer);
	ktime_t now = hrtimer_cb_get_time(timer);
	u64 late = ktime_to_ns(ktime_sub(now, hrtimer_get_expires(timer)));
	u64 interval_ns, overruns;

	WRITE_ONCE(link->late_hist[hb_late_bucket(late)],
		   link->late_hist[hb_late_bucket(late)] + 1);
	if (late > link->late_max_ns)
		WRITE_ONCE(link->late_max_ns, late);

	hb_tx(link, HB_MSG_HEARTBEAT, late);

	interval_ns = (u64)READ_ONCE(link->hn->config.interval_us) * NSEC_PER_USEC;
	overruns = hrtimer_forward(timer, now, ns_to_ktime(interval_ns));
	if (overruns > 1)
		WRITE_ONCE(link->tx_overruns, link->tx_overruns + overruns - 1);
	return HRTIMER_RESTART;
}

/* Send the first heartbeat now, then every interval. */
static void hb_link_start(struct hb_link *link)
{
	hrtimer_start(&link->tx_timer, 0, HRTIMER_MODE_REL_SOFT);
}

struct hb_link *hb_link_find(struct hb_net *hn, int ifindex)
{
	struct hb_link *link;

	list_for_each_entry_rcu(link, &hn->links, list, lockdep_rtnl_is_held() ||
				lockdep_is_held(&hn->lock))
		if (link->dev->ifindex == ifindex)
			return link;
	return NULL;
}

static u16 hb_link_free_id(struct hb_net *hn)
{
	DECLARE_BITMAP(used, HB_LINKS_MAX + 1) = { 0 };
	struct hb_link *link;

	list_for_each_entry(link, &hn->links, list)
		__set_bit(link->id, used);
	return find_next_zero_bit(used, HB_LINKS_MAX + 1, 1);
}

/* Called with RTNL and hn->lock held. */
int hb_link_add(struct hb_net *hn, struct net_device *dev, u8 mode,
		struct netlink_ext_ack *extack)
{
	struct hb_link *link;
	int err;

	ASSERT_RTNL();
	if (dev->type != ARPHRD_ETHER || dev->addr_len != ETH_ALEN ||
	    (dev->flags & IFF_LOOPBACK)) {
		NL_SET_ERR_MSG(extack, "device is not an Ethernet device");
		return -EINVAL;
	}
	if (hb_link_find(hn, dev->ifindex)) {
		NL_SET_ERR_MSG(extack, "device is already a link");
		return -EEXIST;
	}
	if (hn->nlinks >= HB_LINKS_MAX) {
		NL_SET_ERR_MSG(extack, "too many links");
		return -ENOSPC;
	}

	link = kzalloc(sizeof(*link), GFP_KERNEL);
	if (!link)
		return -ENOMEM;
	link->hn = hn;
	link->dev = dev;
	link->mode = mode;
	link->id = hb_link_free_id(hn);
	hrtimer_init(&link->tx_timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_SOFT);
	link->tx_timer.function = hb_link_tx_timer;

	if (mode == HEARTBEAT_LINK_MULTICAST) {
		err = dev_mc_add(dev, hb_group_mac);
		if (err) {
			NL_SET_ERR_MSG(extack, "cannot join the heartbeat group address");
			kfree(link);
			return err;
		}
	}
	netdev_hold(dev, &link->dev_tracker, GFP_KERNEL);
	list_add_tail_rcu(&link->list, &hn->links);
	hn->nlinks++;
	hb_link_start(link);
	return 0;
}

/* Called with RTNL held (and hn->lock, except from the notifier). */
void hb_link_del(struct hb_link *link, bool leave)
{
	struct hb_net *hn = link->hn;

	ASSERT_RTNL();
	hrtimer_cancel(&link->tx_timer);
	if (leave)
		hb_tx(link, HB_MSG_LEAVE, 0);
	list_del_rcu(&link->list);
	hn->nlinks--;
	if (link->mode == HEARTBEAT_LINK_MULTICAST)
		dev_mc_del(link->dev, hb_group_mac);
	netdev_put(link->dev, &link->dev_tracker);
	kfree_rcu(link, rcu);
}

void hb_links_flush(struct hb_net *hn, bool leave)
{
	struct hb_link *link, *tmp;

	ASSERT_RTNL();
	list_for_each_entry_safe(link, tmp, &hn->links, list)
		hb_link_del(link, leave);
}

/* The interval changed: start every sender over with the new period. */
void hb_links_restart(struct hb_net *hn)
{
	struct hb_link *link;

	lockdep_assert_held(&hn->lock);
	list_for_each_entry(link, &hn->links, list) {
		hrtimer_cancel(&link->tx_timer);
		hb_link_start(link);
	}
}

/* Module unload: every node of every namespace says goodbye. */
void hb_links_leave_all(void)
{
	struct net *net;

	rtnl_lock();
	for_each_net(net)
		hb_links_flush(hb_net(net), true);
	rtnl_unlock();
}

static int hb_netdev_event(struct notifier_block *nb, unsigned long event,
			   void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct hb_link *link;

	if (event != NETDEV_UNREGISTER)
		return NOTIFY_DONE;
	/*
	 * Down, carrier loss, MTU and address changes need nothing here: the
	 * sender checks the device each time. A device going away, or moving
	 * to another namespace, takes its link with it.
	 */
	link = hb_link_find(hb_net(dev_net(dev)), dev->ifindex);
	if (link && link->dev == dev)
		hb_link_del(link, false);
	return NOTIFY_DONE;
}

static struct notifier_block hb_netdev_notifier = {
	.notifier_call = hb_netdev_event,
};

int hb_link_notifier_register(void)
{
	return register_netdevice_notifier(&hb_netdev_notifier);
}

void hb_link_notifier_unregister(void)
{
	unregister_netdevice_notifier(&hb_netdev_notifier);
}
