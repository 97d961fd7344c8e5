// SPDX-License-Identifier: GPL-2.0-only
/*
 * Links: the node bound to a network device. Each link sends a heartbeat
 * every interval, timed by a hard hrtimer advanced with hrtimer_forward()
 * so that periods never drift, and measures how late each send went out.
 * Links follow their device through the netdev notifier and vanish with it.
 *
 * Why a hard timer and a HI tasklet rather than a soft hrtimer: a frame
 * cannot be sent from hard interrupt context, and HRTIMER_SOFTIRQ, like
 * every softirq but HI and TASKLET, is left to ksoftirqd whenever that
 * thread is runnable (kernel/softirq.c, ksoftirqd_running()). Under CPU
 * load ksoftirqd is one more nice-0 task among the hogs: with 64 of them a
 * soft timer's send waited in ksoftirqd for up to 340 ms (make bench,
 * Documentation/benchmarks.rst). HI_SOFTIRQ runs on the way out of the
 * timer interrupt even then, first of all softirqs.
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

/* The send, in softirq context (HI), as soon as the timer interrupt ends. */
static void hb_link_tx_work(struct tasklet_struct *t)
{
	struct hb_link *link = from_tasklet(link, t, tx_work);
	s64 due = atomic64_xchg(&link->tx_due_ns, 0);
	u64 late;

	if (!due)
		return;
	late = max_t(s64, ktime_get_ns() - due, 0);
	WRITE_ONCE(link->late_hist[hb_late_bucket(late)],
		   link->late_hist[hb_late_bucket(late)] + 1);
	if (late > link->late_max_ns)
		WRITE_ONCE(link->late_max_ns, late);

	hb_tx(link, HB_MSG_HEARTBEAT, late);
}

/* Hard interrupt context: hand the period to the tasklet, set the next. */
static enum hrtimer_restart hb_link_tx_timer(struct hrtimer *timer)
{
	struct hb_link *link = container_of(timer, struct hb_link, tx_timer);
	s64 due = ktime_to_ns(hrtimer_get_expires(timer));
	u64 interval_ns, overruns, skipped;

	/* A send still pending serves this period too: it is skipped. */
	skipped = atomic64_cmpxchg(&link->tx_due_ns, 0, due) ? 1 : 0;
	if (!skipped)
		tasklet_hi_schedule(&link->tx_work);

	interval_ns = (u64)READ_ONCE(link->hn->config.interval_us) * NSEC_PER_USEC;
	overruns = hrtimer_forward(timer, hrtimer_cb_get_time(timer),
				   ns_to_ktime(interval_ns));
	if (overruns > 1)
		skipped += overruns - 1;
	if (skipped)
		WRITE_ONCE(link->tx_overruns, link->tx_overruns + skipped);
	return HRTIMER_RESTART;
}

/* Send the first heartbeat now, then every interval. */
static void hb_link_start(struct hb_link *link)
{
	hrtimer_start(&link->tx_timer, 0, HRTIMER_MODE_REL_HARD);
}

struct hb_link *hb_link_find(struct hb_net *hn, int ifindex)
{
	struct hb_link *link;

	/* The notifier removes links under RTNL alone: hn->lock is not enough. */
	list_for_each_entry_rcu(link, &hn->links, list, lockdep_rtnl_is_held())
		if (link->dev->ifindex == ifindex)
			return link;
	return NULL;
}

/* RCU read side. */
struct hb_link *hb_link_find_id(struct hb_net *hn, u16 id)
{
	struct hb_link *link;

	list_for_each_entry_rcu(link, &hn->links, list)
		if (link->id == id)
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
	link->seq = hn->link_seq[link->id];
	hrtimer_init(&link->tx_timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_HARD);
	link->tx_timer.function = hb_link_tx_timer;
	tasklet_setup(&link->tx_work, hb_link_tx_work);

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
	if (hn->config.last_words == HEARTBEAT_LAST_WORDS_ON &&
	    hb_lw_arm(link))
		netdev_info(dev, "heartbeat: no last words from a panic on this link\n");
	hb_link_start(link);
	return 0;
}

/* Called with RTNL held (and hn->lock, except from the notifier). */
void hb_link_del(struct hb_link *link, bool leave)
{
	struct hb_net *hn = link->hn;

	ASSERT_RTNL();
	/* The timer first: it is what schedules the tasklet. */
	hrtimer_cancel(&link->tx_timer);
	tasklet_kill(&link->tx_work);
	if (leave)
		hb_tx(link, HB_MSG_LEAVE, 0);
	hb_lw_disarm(link);
	hn->link_seq[link->id] = link->seq;
	list_del_rcu(&link->list);
	hn->nlinks--;
	hb_peers_channel_forget(hn, link->id);
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
	down_read(&net_rwsem);
	for_each_net(net)
		hb_links_flush(hb_net(net), true);
	up_read(&net_rwsem);
	rtnl_unlock();
}

static int hb_netdev_event(struct notifier_block *nb, unsigned long event,
			   void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct hb_link *link;

	if (event != NETDEV_UNREGISTER && event != NETDEV_DOWN &&
	    event != NETDEV_CHANGE)
		return NOTIFY_DONE;
	link = hb_link_find(hb_net(dev_net(dev)), dev->ifindex);
	if (!link || link->dev != dev)
		return NOTIFY_DONE;
	/*
	 * The sender checks the device each time, so MTU and address changes
	 * need nothing here. A device that goes down or loses its carrier
	 * hears nobody: every peer's channel on it is down at once. A device
	 * going away, or moving to another namespace, takes its link along.
	 */
	if (event == NETDEV_UNREGISTER)
		hb_link_del(link, false);
	else if (event == NETDEV_DOWN || !netif_carrier_ok(dev))
		hb_peers_channel_down(link->hn, link->id);
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
