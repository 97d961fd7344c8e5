// SPDX-License-Identifier: GPL-2.0-only
/*
 * Links: the node bound to a network device. Each link sends a heartbeat
 * every interval, timed by a hard hrtimer advanced with hrtimer_forward()
 * so that periods never drift, and measures how late each send went out.
 * Links follow their device through the netdev notifier and vanish with it.
 *
 * Where the send runs (tx_context, chosen per link when it is added):
 *  - "tasklet": a hard hrtimer hands the period to a HI tasklet. A frame
 *    cannot be sent from hard interrupt context, and HRTIMER_SOFTIRQ, like
 *    every softirq but HI and TASKLET, is left to ksoftirqd whenever that
 *    thread is runnable (kernel/softirq.c, ksoftirqd_running()). Under CPU
 *    load ksoftirqd is one more nice-0 task among the hogs; HI_SOFTIRQ runs
 *    on the way out of the timer interrupt even then, first of all softirqs.
 *  - "timer": a soft hrtimer sends itself. On PREEMPT_RT a softirq raised
 *    in hard interrupt context, HI included, is left to ksoftirqd: there
 *    the tasklet gains nothing and costs a hard interrupt's work.
 *  - "thread": the hard hrtimer hands the period to one SCHED_FIFO kernel
 *    thread, which runs before every ordinary task wherever softirqs run.
 *  - "auto" (default): "timer" on PREEMPT_RT, "tasklet" elsewhere.
 * Documentation/benchmarks.rst has the measurements behind the choice.
 */
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/kthread.h>
#include <linux/log2.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>

#include "heartbeat.h"

enum hb_tx_context {
	HB_TX_AUTO,
	HB_TX_TASKLET,
	HB_TX_TIMER,
	HB_TX_THREAD,
};

static const char * const hb_tx_context_names[] = {
	[HB_TX_AUTO] = "auto",
	[HB_TX_TASKLET] = "tasklet",
	[HB_TX_TIMER] = "timer",
	[HB_TX_THREAD] = "thread",
};

static int hb_tx_context __read_mostly = HB_TX_AUTO;

static int hb_tx_context_set(const char *val, const struct kernel_param *kp)
{
	int i = sysfs_match_string(hb_tx_context_names, val);

	if (i < 0)
		return i;
	WRITE_ONCE(hb_tx_context, i);
	return 0;
}

static int hb_tx_context_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n",
			  hb_tx_context_names[READ_ONCE(hb_tx_context)]);
}

static const struct kernel_param_ops hb_tx_context_ops = {
	.set = hb_tx_context_set,
	.get = hb_tx_context_get,
};

module_param_cb(tx_context, &hb_tx_context_ops, NULL, 0644);
MODULE_PARM_DESC(tx_context,
		 "Where links added from now on send: auto, tasklet (hard timer, HI tasklet), timer (soft timer) or thread (hard timer, a real-time kernel thread); auto: timer on PREEMPT_RT, tasklet elsewhere");

/* The context of a link added now. */
static u8 hb_tx_context_now(void)
{
	int ctx = READ_ONCE(hb_tx_context);

	if (ctx != HB_TX_AUTO)
		return ctx;
	return IS_ENABLED(CONFIG_PREEMPT_RT) ? HB_TX_TIMER : HB_TX_TASKLET;
}

/*
 * "thread": one SCHED_FIFO kernel thread sends for every link that uses it,
 * created with the first such link (RTNL) and stopped at module exit.
 */
static struct kthread_worker *hb_tx_worker;

static int hb_tx_worker_get(void)
{
	struct kthread_worker *w;

	ASSERT_RTNL();
	if (hb_tx_worker)
		return 0;
	w = kthread_create_worker(0, "heartbeat-tx");
	if (IS_ERR(w))
		return PTR_ERR(w);
	/* Above every ordinary task, below the real-time ones of the host. */
	sched_set_fifo_low(w->task);
	hb_tx_worker = w;
	return 0;
}

/* Module exit, every link gone. */
void hb_tx_worker_exit(void)
{
	if (hb_tx_worker)
		kthread_destroy_worker(hb_tx_worker);
	hb_tx_worker = NULL;
}

static unsigned int hb_late_bucket(u64 late_ns)
{
	u64 us = late_ns / NSEC_PER_USEC;

	if (!us)
		return 0;
	return min_t(unsigned int, ilog2(us) + 1, HEARTBEAT_LATE_BUCKETS - 1);
}

/* The send of the period due at @due, in softirq context. */
static void hb_link_send_due(struct hb_link *link, s64 due)
{
	u64 late = max_t(s64, ktime_get_ns() - due, 0);

	WRITE_ONCE(link->late_hist[hb_late_bucket(late)],
		   link->late_hist[hb_late_bucket(late)] + 1);
	if (late > link->late_max_ns)
		WRITE_ONCE(link->late_max_ns, late);

	hb_tx(link, HB_MSG_HEARTBEAT, late);
}

/* "tasklet": the send, in HI softirq, as soon as the timer interrupt ends. */
static void hb_link_tx_work(struct tasklet_struct *t)
{
	struct hb_link *link = from_tasklet(link, t, tx_work);
	s64 due = atomic64_xchg(&link->tx_due_ns, 0);

	if (due)
		hb_link_send_due(link, due);
}

/* "thread": the send, from the real-time thread, bottom halves off as hb_tx() wants. */
static void hb_link_tx_kwork(struct kthread_work *work)
{
	struct hb_link *link = container_of(work, struct hb_link, tx_kwork);
	s64 due = atomic64_xchg(&link->tx_due_ns, 0);

	if (!due)
		return;
	local_bh_disable();
	hb_link_send_due(link, due);
	local_bh_enable();
}

/* Set the timer's next expiry; count the periods it missed. */
static void hb_link_tx_forward(struct hb_link *link, u64 skipped)
{
	u64 interval_ns, overruns;

	interval_ns = (u64)READ_ONCE(link->hn->config.interval_us) * NSEC_PER_USEC;
	overruns = hrtimer_forward(&link->tx_timer,
				   hrtimer_cb_get_time(&link->tx_timer),
				   ns_to_ktime(interval_ns));
	if (overruns > 1)
		skipped += overruns - 1;
	if (skipped)
		WRITE_ONCE(link->tx_overruns, link->tx_overruns + skipped);
}

/* Hard interrupt context: hand the period to the sender, set the next. */
static enum hrtimer_restart hb_link_tx_timer(struct hrtimer *timer)
{
	struct hb_link *link = container_of(timer, struct hb_link, tx_timer);
	s64 due = ktime_to_ns(hrtimer_get_expires(timer));
	u64 skipped;

	/* A send still pending serves this period too: it is skipped. */
	skipped = atomic64_cmpxchg(&link->tx_due_ns, 0, due) ? 1 : 0;
	if (!skipped && link->tx_context == HB_TX_THREAD)
		kthread_queue_work(hb_tx_worker, &link->tx_kwork);
	else if (!skipped)
		tasklet_hi_schedule(&link->tx_work);
	hb_link_tx_forward(link, skipped);
	return HRTIMER_RESTART;
}

/* "timer": softirq context: send now. */
static enum hrtimer_restart hb_link_tx_soft_timer(struct hrtimer *timer)
{
	struct hb_link *link = container_of(timer, struct hb_link, tx_timer);

	hb_link_send_due(link, ktime_to_ns(hrtimer_get_expires(timer)));
	hb_link_tx_forward(link, 0);
	return HRTIMER_RESTART;
}

/* Send the first heartbeat now, then every interval. */
static void hb_link_start(struct hb_link *link)
{
	hrtimer_start(&link->tx_timer, 0, link->tx_context == HB_TX_TIMER ?
		      HRTIMER_MODE_REL_SOFT : HRTIMER_MODE_REL_HARD);
}

/*
 * Stop sending: a send already handed on goes out, nothing is pending once
 * this returns. Process context.
 */
void hb_link_tx_stop(struct hb_link *link)
{
	/* The timer first: it is what hands periods on. */
	hrtimer_cancel(&link->tx_timer);
	if (link->tx_context == HB_TX_THREAD)
		kthread_flush_work(&link->tx_kwork);
	else
		tasklet_kill(&link->tx_work);
	atomic64_set(&link->tx_due_ns, 0);
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
static bool hb_link_dev_up(const struct net_device *dev)
{
	return netif_running(dev) && netif_carrier_ok(dev);
}

/* A link's device went down or came back: tell the events group, once. */
static void hb_link_updown(struct hb_link *link)
{
	bool up = hb_link_dev_up(link->dev);

	if (up == link->up)
		return;
	link->up = up;
	hb_event_link(link->hn, link->dev->ifindex, link->dev->name, link->id,
		      up ? HEARTBEAT_ACTION_UP : HEARTBEAT_ACTION_DOWN);
}

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
	link->tx_context = hb_tx_context_now();
	if (link->tx_context == HB_TX_THREAD) {
		err = hb_tx_worker_get();
		if (err) {
			NL_SET_ERR_MSG(extack, "cannot start the sending thread");
			kfree(link);
			return err;
		}
	}
	if (link->tx_context == HB_TX_TIMER)
		hrtimer_setup(&link->tx_timer, hb_link_tx_soft_timer,
			      CLOCK_MONOTONIC, HRTIMER_MODE_REL_SOFT);
	else
		hrtimer_setup(&link->tx_timer, hb_link_tx_timer,
			      CLOCK_MONOTONIC, HRTIMER_MODE_REL_HARD);
	tasklet_setup(&link->tx_work, hb_link_tx_work);
	kthread_init_work(&link->tx_kwork, hb_link_tx_kwork);

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
	link->up = hb_link_dev_up(dev);
	hb_event_link(hn, dev->ifindex, dev->name, link->id,
		      HEARTBEAT_ACTION_ADDED);
	return 0;
}

/* Called with RTNL held (and hn->lock, except from the notifier). */
void hb_link_del(struct hb_link *link, bool leave)
{
	struct hb_net *hn = link->hn;

	ASSERT_RTNL();
	hb_link_tx_stop(link);
	if (leave)
		hb_tx(link, HB_MSG_LEAVE, 0);
	hb_lw_disarm(link);
	hn->link_seq[link->id] = link->seq;
	list_del_rcu(&link->list);
	hn->nlinks--;
	hb_peers_channel_forget(hn, link->id);
	hb_event_link(hn, link->dev->ifindex, link->dev->name, link->id,
		      HEARTBEAT_ACTION_REMOVED);
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
		hb_link_tx_stop(link);
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
	    event != NETDEV_CHANGE && event != NETDEV_UP)
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
	if (event == NETDEV_UNREGISTER) {
		hb_link_del(link, false);
		return NOTIFY_DONE;
	}
	if (event == NETDEV_DOWN || !netif_carrier_ok(dev))
		hb_peers_channel_down(link->hn, link->id);
	hb_link_updown(link);
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
