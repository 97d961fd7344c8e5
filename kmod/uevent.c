// SPDX-License-Identifier: GPL-2.0-only
/*
 * uevents: every peer state transition, restart and expiry becomes a
 * KOBJ_CHANGE uevent of /sys/kernel/heartbeat/instance, so udev rules can
 * start fencing without a daemon listening. HEARTBEAT_ORIGIN says whether an
 * administrator configured the peer or it was learned from its frames: a
 * flood of made-up ids yields learned peers only, which fencing can leave
 * alone.
 *
 * Verdicts happen in softirq, under the peer's lock; a uevent needs process
 * context. So a verdict only appends a small record to a per-namespace queue
 * and a work item sends the queue in order. Each record gets its
 * HEARTBEAT_SEQ when queued: a record that cannot be queued (the queue is
 * full, or no memory) or sent still uses up its number, so listeners see
 * the gap, and it is counted in uevents_lost. The data path never waits.
 */
#include <linux/kobject.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>

#include "heartbeat.h"

/*
 * Two uevents for every peer (suspect, then dead) when a cluster of the
 * largest size vanishes at once: about 800 KB at worst.
 */
#define HB_UEVENT_QUEUE_MAX	(2 * HEARTBEAT_PEERS_MAX)

struct hb_uevent {
	struct list_head list;
	u64 seq;
	u32 local_node;
	u32 cluster;
	struct hb_event ev;
};

enum {
	HB_UENV_EVENT,
	HB_UENV_NODE,
	HB_UENV_STATE,
	HB_UENV_PREV_STATE,
	HB_UENV_LOCAL_NODE,
	HB_UENV_CLUSTER,
	HB_UENV_INCARNATION,
	HB_UENV_NETNS,
	HB_UENV_SEQ,
	HB_UENV_TIME,
	HB_UENV_ORIGIN,
	HB_UENV_OPTIONAL,	/* PREV_INCARNATION, PHI: when they apply */
	HB_UENV_MAX = HB_UENV_OPTIONAL + 2,
};

#define HB_UENV_LEN	48	/* the longest: a key and a u64 */

struct hb_uevent_env {
	char *envp[HB_UENV_MAX + 1];
	char buf[HB_UENV_MAX][HB_UENV_LEN];
};

static void hb_uevent_env_fill(struct hb_uevent_env *env, struct hb_net *hn,
			       const struct hb_uevent *u)
{
	const struct hb_event *ev = &u->ev;
	unsigned int n = HB_UENV_OPTIONAL, i;

	snprintf(env->buf[HB_UENV_EVENT], HB_UENV_LEN, "HEARTBEAT_EVENT=%s",
		 hb_event_name(ev->type));
	snprintf(env->buf[HB_UENV_NODE], HB_UENV_LEN, "HEARTBEAT_NODE=%u",
		 ev->peer);
	snprintf(env->buf[HB_UENV_STATE], HB_UENV_LEN, "HEARTBEAT_STATE=%s",
		 hb_state_name(ev->state));
	snprintf(env->buf[HB_UENV_PREV_STATE], HB_UENV_LEN,
		 "HEARTBEAT_PREV_STATE=%s", hb_state_name(ev->prev));
	snprintf(env->buf[HB_UENV_LOCAL_NODE], HB_UENV_LEN,
		 "HEARTBEAT_LOCAL_NODE=%u", u->local_node);
	snprintf(env->buf[HB_UENV_CLUSTER], HB_UENV_LEN, "HEARTBEAT_CLUSTER=%u",
		 u->cluster);
	snprintf(env->buf[HB_UENV_INCARNATION], HB_UENV_LEN,
		 "HEARTBEAT_INCARNATION=%llu", ev->incarnation);
	snprintf(env->buf[HB_UENV_NETNS], HB_UENV_LEN, "HEARTBEAT_NETNS=%u",
		 hn->net->ns.inum);
	snprintf(env->buf[HB_UENV_SEQ], HB_UENV_LEN, "HEARTBEAT_SEQ=%llu",
		 u->seq);
	snprintf(env->buf[HB_UENV_TIME], HB_UENV_LEN, "HEARTBEAT_TIME_NS=%llu",
		 ev->time_ns);
	snprintf(env->buf[HB_UENV_ORIGIN], HB_UENV_LEN, "HEARTBEAT_ORIGIN=%s",
		 ev->configured ? "configured" : "learned");
	if (ev->type == HEARTBEAT_EVENT_PEER_RESTART)
		snprintf(env->buf[n++], HB_UENV_LEN,
			 "HEARTBEAT_PREV_INCARNATION=%llu",
			 ev->prev_incarnation);
	if (ev->phi)
		snprintf(env->buf[n++], HB_UENV_LEN, "HEARTBEAT_PHI=%u.%03u",
			 ev->phi_milli / 1000, ev->phi_milli % 1000);
	for (i = 0; i < n; i++)
		env->envp[i] = env->buf[i];
	env->envp[n] = NULL;
}

static void hb_uevent_work(struct work_struct *work)
{
	struct hb_net *hn = container_of(work, struct hb_net, uevent_work);
	struct hb_uevent_env *env;
	struct hb_uevent *ev, *tmp;
	unsigned int sent = 0, total = 0;
	LIST_HEAD(batch);

	spin_lock_bh(&hn->uevent_lock);
	list_splice_init(&hn->uevent_queue, &batch);
	hn->uevent_queued = 0;
	spin_unlock_bh(&hn->uevent_lock);

	env = kmalloc(sizeof(*env), GFP_KERNEL);
	list_for_each_entry_safe(ev, tmp, &batch, list) {
		if (env) {
			hb_uevent_env_fill(env, hn, ev);
			if (!hb_sysfs_uevent(hn, env->envp))
				sent++;
		}
		list_del(&ev->list);
		kfree(ev);
		total++;
	}
	kfree(env);

	spin_lock_bh(&hn->uevent_lock);
	hn->uevents_sent += sent;
	hn->uevents_lost += total - sent;
	spin_unlock_bh(&hn->uevent_lock);
}

/* The uevent sink (event.h): queue it for uevent_work; any context. */
void hb_uevent_event(struct hb_net *hn, const struct hb_event *event)
{
	struct hb_uevent *u;

	/* Probe answers are for whoever asked, not for udev rules. */
	if (event->type == HEARTBEAT_EVENT_PROBE)
		return;
	u = kmalloc(sizeof(*u), GFP_ATOMIC);
	if (u) {
		u->ev = *event;
		u->local_node = READ_ONCE(hn->config.node_id);
		u->cluster = READ_ONCE(hn->config.cluster_id);
	}

	spin_lock_bh(&hn->uevent_lock);
	if (!hn->uevent_live) {
		spin_unlock_bh(&hn->uevent_lock);
		kfree(u);
		return;
	}
	hn->uevent_seq++;
	if (!u || hn->uevent_queued >= HB_UEVENT_QUEUE_MAX) {
		hn->uevents_lost++;
		spin_unlock_bh(&hn->uevent_lock);
		kfree(u);
		return;
	}
	u->seq = hn->uevent_seq;
	list_add_tail(&u->list, &hn->uevent_queue);
	hn->uevent_queued++;
	queue_work(system_wq, &hn->uevent_work);
	spin_unlock_bh(&hn->uevent_lock);
}

void hb_uevent_net_init(struct hb_net *hn)
{
	spin_lock_init(&hn->uevent_lock);
	INIT_LIST_HEAD(&hn->uevent_queue);
	INIT_WORK(&hn->uevent_work, hb_uevent_work);
	hn->uevent_live = true;
}

/* Before the instance's kobject goes: stop queueing, drop what is left. */
void hb_uevent_net_exit(struct hb_net *hn)
{
	struct hb_uevent *ev, *tmp;

	spin_lock_bh(&hn->uevent_lock);
	hn->uevent_live = false;
	spin_unlock_bh(&hn->uevent_lock);
	cancel_work_sync(&hn->uevent_work);
	list_for_each_entry_safe(ev, tmp, &hn->uevent_queue, list) {
		list_del(&ev->list);
		kfree(ev);
	}
}
