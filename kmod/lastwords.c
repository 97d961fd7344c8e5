// SPDX-License-Identifier: GPL-2.0-only
/*
 * Last words: when the kernel reboots, halts, powers off or panics, every
 * link sends a DYING frame saying so, and its peers declare this node dead
 * at once instead of waiting out their timeout.
 *
 * A reboot, halt or power off runs the reboot notifiers in process
 * context: the links' senders are stopped and each link sends its frame
 * as any other (node setting last-words reboot, the default, or on).
 *
 * A panic can neither sleep, allocate nor rely on softirqs, queues or
 * other CPUs. With last-words on, each link is armed beforehand: a netpoll
 * handle on its device and an skb of a frame's size, made in process
 * context. The panic notifier writes the frame into that skb and hands it
 * to netpoll, which calls the driver's transmit routine directly, as
 * netconsole does. A device without netpoll (IFF_DISABLE_NETPOLL) cannot be
 * armed; its link shows so. Frames go to the group address.
 */
#include <linux/delay.h>
#include <linux/etherdevice.h>
#include <linux/netpoll.h>
#include <linux/panic_notifier.h>
#include <linux/pkt_sched.h>
#include <linux/reboot.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>

#include "heartbeat.h"

/* What a link needs to speak during a panic, made ahead of it. */
struct hb_last_words {
	struct list_head list;	/* hb_lw_armed, RCU */
	struct hb_link *link;
	struct netpoll np;
	struct sk_buff *skb;	/* taken by the one send it is for */
	struct rcu_head rcu;
};

/*
 * A frame handed to a driver is not yet on the wire: the device still has
 * to fetch it, and a reset right after a panic or a reboot cancels what it
 * has not sent. The last words wait this long for it, once per panic or
 * reboot.
 */
#define HB_LW_DRAIN_MS		20

/* Links armed in every namespace: the panic notifier knows no namespace. */
static LIST_HEAD(hb_lw_armed);
static DEFINE_SPINLOCK(hb_lw_lock);

static struct sk_buff *hb_lw_skb(struct net_device *dev)
{
	int hlen = LL_RESERVED_SPACE(dev);
	struct sk_buff *skb;

	skb = alloc_skb(hlen + HB_MSG_MAX + dev->needed_tailroom, GFP_KERNEL);
	if (skb)
		skb_reserve(skb, hlen);
	return skb;
}

/* Arm link for a panic; RTNL held. Returns 0 or why it cannot be. */
int hb_lw_arm(struct hb_link *link)
{
	struct hb_last_words *lw;
	int err;

	ASSERT_RTNL();
	if (link->lw)
		return 0;
	lw = kzalloc(sizeof(*lw), GFP_KERNEL);
	if (!lw)
		return -ENOMEM;
	lw->link = link;
	lw->skb = hb_lw_skb(link->dev);
	lw->np.name = "heartbeat";
	err = lw->skb ? __netpoll_setup(&lw->np, link->dev) : -ENOMEM;
	if (err) {
		kfree_skb(lw->skb);
		kfree(lw);
		return err;
	}
	WRITE_ONCE(link->lw, lw);
	spin_lock(&hb_lw_lock);
	list_add_tail_rcu(&lw->list, &hb_lw_armed);
	spin_unlock(&hb_lw_lock);
	return 0;
}

static void hb_lw_free(struct rcu_head *rcu)
{
	struct hb_last_words *lw = container_of(rcu, struct hb_last_words, rcu);

	kfree_skb(lw->skb);
	kfree(lw);
}

/* RTNL held; waits for netpoll users of the device. */
void hb_lw_disarm(struct hb_link *link)
{
	struct hb_last_words *lw = link->lw;

	ASSERT_RTNL();
	if (!lw)
		return;
	spin_lock(&hb_lw_lock);
	list_del_rcu(&lw->list);
	spin_unlock(&hb_lw_lock);
	WRITE_ONCE(link->lw, NULL);
	__netpoll_cleanup(&lw->np);
	call_rcu(&lw->rcu, hb_lw_free);
}

/* Arm or disarm every link of hn as its setting says; RTNL, hn->lock. */
void hb_lw_apply(struct hb_net *hn)
{
	bool on = hn->config.last_words == HEARTBEAT_LAST_WORDS_ON;
	struct hb_link *link;
	int err;

	ASSERT_RTNL();
	list_for_each_entry(link, &hn->links, list) {
		if (!on) {
			hb_lw_disarm(link);
			continue;
		}
		err = hb_lw_arm(link);
		if (err)
			netdev_info(link->dev, "heartbeat: no last words from a panic on this link (%d)\n",
				    err);
	}
}

/*
 * The armed link's DYING frame through netpoll; any context, once. In a
 * panic a frame that cannot be made is not freed either: the allocator
 * may be held by a CPU that will never run again.
 */
static bool hb_lw_send(struct hb_last_words *lw, u8 reason, bool panic)
{
	struct hb_link *link = lw->link;
	struct net_device *dev = link->dev;
	struct sk_buff *skb;
	unsigned int len;

	if (!netif_running(dev) || !netif_carrier_ok(dev) ||
	    !READ_ONCE(link->hn->config.node_id))
		return false;
	skb = xchg(&lw->skb, NULL);
	if (!skb)
		return false;
	len = hb_dying_build(link, reason, skb->data,
			     min_t(unsigned int, dev->mtu, HB_MSG_MAX));
	if (len) {
		skb_put(skb, len);
		skb_reset_network_header(skb);
		skb->dev = dev;
		skb->protocol = htons(hb_ethertype);
		skb->priority = TC_PRIO_CONTROL;
		if (dev_hard_header(skb, dev, hb_ethertype, hb_group_mac,
				    dev->dev_addr, skb->len) >= 0) {
			netpoll_send_skb(&lw->np, skb);
			return true;
		}
	}
	if (!panic)
		kfree_skb(skb);
	return false;
}

static int hb_lw_panic(struct notifier_block *nb, unsigned long event,
		       void *unused)
{
	struct hb_last_words *lw;
	bool sent = false;

	rcu_read_lock();
	list_for_each_entry_rcu(lw, &hb_lw_armed, list)
		if (READ_ONCE(lw->link->hn->config.last_words) ==
		    HEARTBEAT_LAST_WORDS_ON)
			sent |= hb_lw_send(lw, HB_DYING_PANIC, true);
	rcu_read_unlock();
	if (sent)
		mdelay(HB_LW_DRAIN_MS);
	return NOTIFY_DONE;
}

static struct notifier_block hb_lw_panic_nb = {
	.notifier_call = hb_lw_panic,
	/* Before notifiers that may stop or reset devices. */
	.priority = INT_MAX,
};

/*
 * The senders stop (nothing may follow the last words), then each link
 * speaks: through netpoll if armed, as it is sure to leave before the
 * devices shut down, else queued as any frame. RTNL held.
 */
static void hb_lw_link_say(struct hb_link *link, u8 reason)
{
	hb_link_tx_stop(link);
	if (!link->lw || !hb_lw_send(link->lw, reason, false))
		hb_tx_dying(link, reason);
}

static int hb_lw_reboot(struct notifier_block *nb, unsigned long code,
			void *unused)
{
	u8 reason = code == SYS_RESTART ? HB_DYING_REBOOT :
		    code == SYS_HALT ? HB_DYING_HALT : HB_DYING_POWEROFF;
	struct hb_link *link;
	bool said = false;
	struct hb_net *hn;
	struct net *net;

	rtnl_lock();
	down_read(&net_rwsem);
	for_each_net(net) {
		hn = hb_net(net);
		if (READ_ONCE(hn->config.last_words) == HEARTBEAT_LAST_WORDS_OFF)
			continue;
		list_for_each_entry(link, &hn->links, list) {
			hb_lw_link_say(link, reason);
			said = true;
		}
	}
	up_read(&net_rwsem);
	rtnl_unlock();
	if (said)
		msleep(HB_LW_DRAIN_MS);
	return NOTIFY_DONE;
}

static struct notifier_block hb_lw_reboot_nb = {
	.notifier_call = hb_lw_reboot,
};

int hb_lw_init(void)
{
	int err = register_reboot_notifier(&hb_lw_reboot_nb);

	if (!err)
		atomic_notifier_chain_register(&panic_notifier_list,
					       &hb_lw_panic_nb);
	return err;
}

void hb_lw_exit(void)
{
	atomic_notifier_chain_unregister(&panic_notifier_list, &hb_lw_panic_nb);
	unregister_reboot_notifier(&hb_lw_reboot_nb);
}
