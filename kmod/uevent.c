// SPDX-License-Identifier: GPL-2.0-only
/*
 * uevents: every peer state transition, restart, expiry and readiness
 * change, and every change of this node's readiness gates (app.c), becomes
 * a KOBJ_CHANGE uevent of /sys/kernel/heartbeat/instance, so udev rules can
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

/* The most variables one uevent carries. */
#define HB_UENV_MAX	20
#define HB_UENV_LEN	48	/* the longest: a key and a u64 */

struct hb_uevent_env {
	char *envp[HB_UENV_MAX + 1];
	char buf[HB_UENV_MAX][HB_UENV_LEN];
	unsigned int n;
};

static __printf(2, 3) void hb_uenv_add(struct hb_uevent_env *env,
				       const char *fmt, ...)
{
	va_list args;

	if (WARN_ON_ONCE(env->n >= HB_UENV_MAX))
		return;
	va_start(args, fmt);
	vsnprintf(env->buf[env->n], HB_UENV_LEN, fmt, args);
	va_end(args);
	env->envp[env->n] = env->buf[env->n];
	env->envp[++env->n] = NULL;
}

static void hb_uevent_env_fill(struct hb_uevent_env *env, struct hb_net *hn,
			       const struct hb_uevent *u)
{
	const struct hb_event *ev = &u->ev;

	env->n = 0;
	hb_uenv_add(env, "HEARTBEAT_EVENT=%s", hb_event_name(ev->type));
	hb_uenv_add(env, "HEARTBEAT_LOCAL_NODE=%u", u->local_node);
	hb_uenv_add(env, "HEARTBEAT_CLUSTER=%u", u->cluster);
	hb_uenv_add(env, "HEARTBEAT_NETNS=%u", hn->net->ns.inum);
	hb_uenv_add(env, "HEARTBEAT_SEQ=%llu", u->seq);
	hb_uenv_add(env, "HEARTBEAT_TIME_NS=%llu", ev->time_ns);
	if (ev->type == HEARTBEAT_EVENT_FENCED) {
		hb_uenv_add(env, "HEARTBEAT_FENCED_BY=%u", ev->peer);
		return;
	}
	if (ev->type == HEARTBEAT_EVENT_QUORUM) {
		hb_uenv_add(env, "HEARTBEAT_QUORATE=%u", ev->quorate);
		hb_uenv_add(env, "HEARTBEAT_VOTES=%u", ev->votes);
		hb_uenv_add(env, "HEARTBEAT_EXPECTED_VOTES=%u",
			    ev->expected_votes);
		return;
	}
	/* A gate of this node (app.c): readiness, never a peer's fate. */
	if (ev->type == HEARTBEAT_EVENT_APP) {
		hb_uenv_add(env, "HEARTBEAT_APP=%s", ev->app);
		hb_uenv_add(env, "HEARTBEAT_APP_ACTION=%s",
			    hb_app_action_name(ev->app_action));
		hb_uenv_add(env, "HEARTBEAT_APP_READY=%u", ev->ready);
		hb_uenv_add(env, "HEARTBEAT_READY=%u", ev->node_ready);
		hb_uenv_add(env, "HEARTBEAT_SILENT=%u", ev->silent);
		return;
	}
	hb_uenv_add(env, "HEARTBEAT_NODE=%u", ev->peer);
	hb_uenv_add(env, "HEARTBEAT_STATE=%s", hb_state_name(ev->state));
	hb_uenv_add(env, "HEARTBEAT_PREV_STATE=%s", hb_state_name(ev->prev));
	hb_uenv_add(env, "HEARTBEAT_INCARNATION=%llu", ev->incarnation);
	hb_uenv_add(env, "HEARTBEAT_ORIGIN=%s",
		    ev->configured ? "configured" : "learned");
	if (ev->type == HEARTBEAT_EVENT_PEER_RESTART)
		hb_uenv_add(env, "HEARTBEAT_PREV_INCARNATION=%llu",
			    ev->prev_incarnation);
	if (ev->dying)
		hb_uenv_add(env, "HEARTBEAT_REASON=%s",
			    hb_dying_reason_name(ev->dying_reason));
	if (ev->type == HEARTBEAT_EVENT_DEGRADED) {
		hb_uenv_add(env, "HEARTBEAT_LINKS_UP=%u", ev->links_up);
		hb_uenv_add(env, "HEARTBEAT_LINKS=%u", ev->links);
		hb_uenv_add(env, "HEARTBEAT_LINK=%s", ev->channel_name);
		hb_uenv_add(env, "HEARTBEAT_LINK_STATE=%s",
			    ev->channel_up ? "up" : "down");
	}
	if (ev->type == HEARTBEAT_EVENT_PEER_READY)
		hb_uenv_add(env, "HEARTBEAT_READY=%u", ev->ready);
	if (ev->phi)
		hb_uenv_add(env, "HEARTBEAT_PHI=%u.%03u", ev->phi_milli / 1000,
			    ev->phi_milli % 1000);
	/* With quorum on, fencing acts only on the quorum's verdicts. */
	if (ev->quorum_on) {
		hb_uenv_add(env, "HEARTBEAT_QUORATE=%u", ev->quorate);
		hb_uenv_add(env, "HEARTBEAT_CONSENSUS=%u", ev->consensus);
	}
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

	/*
	 * Answers to probes are for the one who asked, and changes to this
	 * node for the events group (netlink only).
	 */
	switch (event->type) {
	case HEARTBEAT_EVENT_PROBE:
	case HEARTBEAT_EVENT_LINK:
	case HEARTBEAT_EVENT_NODE:
	case HEARTBEAT_EVENT_KEY:
	case HEARTBEAT_EVENT_DROPS:
		return;
	}
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
