// SPDX-License-Identifier: GPL-2.0-only
/*
 * Application readiness gates (app.h, Documentation/apps.rst).
 *
 * A gate is a lease an application holds on this node's readiness: added
 * with a timeout, it is fresh while kicked within that timeout; its
 * deadline hrtimer expires it when a kick is late. The expired gates of a
 * namespace decide what every frame the node sends says (tx.c, probe.c):
 * the NOT_READY header flag while any gate is expired, and no heartbeat at
 * all while a gate of action "silence" is. A kick makes an expired gate
 * fresh at once. Each gate that expires, or stops holding the node back
 * (kicked, or deleted while expired), is an "app" event; a peer whose
 * frames change their word is a "ready" event.
 *
 * Lifetime: gates are added and deleted under hb_net.lock; their state is
 * under hb_apps.lock (BH: the timers run in softirq). Kicks and reads
 * find a gate under RCU, take the lock and check that it is not dead; a
 * deleted gate is marked dead under the lock, so nothing re-arms its
 * timer, which is then cancelled, and the gate freed after a grace period.
 */
#include <linux/build_bug.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <net/sock.h>

#include "heartbeat.h"

static_assert(HB_GATE_NAME_MAX == HEARTBEAT_APP_NAME_MAX);
static_assert((int)HB_GATE_NOTREADY == (int)HEARTBEAT_APP_NOTREADY);
static_assert((int)HB_GATE_SILENCE == (int)HEARTBEAT_APP_SILENCE);

struct hb_app {
	struct list_head list;		/* in hb_apps.list */
	struct hb_net *hn;
	struct hrtimer timer;		/* the gate's deadline (soft) */
	bool dead;			/* unlinked: never re-arm the timer */
	struct hb_gate gate;		/* hb_apps.lock */
	char name[HEARTBEAT_APP_NAME_MAX + 1];
	struct rcu_head rcu;
};

/* ---- policies ------------------------------------------------------ */

static int hb_app_name_validate(const struct nlattr *attr,
				struct netlink_ext_ack *extack)
{
	size_t len;

	if (!hb_gate_name_valid(nla_data(attr), nla_len(attr), &len)) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "an app name is 1 to 31 printable characters, without spaces");
		return -EINVAL;
	}
	return 0;
}

/* 6.1's policy takes ranges through a non-const pointer. */
static struct netlink_range_validation hb_app_timeout_range __ro_after_init = {
	.min = HEARTBEAT_APP_TIMEOUT_MIN_US,
	.max = HEARTBEAT_APP_TIMEOUT_MAX_US,
};

#define HB_APP_NAME_POLICY						\
	NLA_POLICY_VALIDATE_FN(NLA_BINARY, hb_app_name_validate,	\
			       HEARTBEAT_APP_NAME_MAX + 1)

#define HB_APP_READ_ONLY(_what)						\
	{								\
		.type = NLA_REJECT,					\
		.reject_message = _what " is read-only",		\
	}

const struct nla_policy hb_app_add_policy[HEARTBEAT_A_APP_MAX + 1] = {
	[HEARTBEAT_A_APP_NAME] = HB_APP_NAME_POLICY,
	[HEARTBEAT_A_APP_TIMEOUT_US] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &hb_app_timeout_range),
	[HEARTBEAT_A_APP_ACTION] = NLA_POLICY_MAX(NLA_U8, HEARTBEAT_APP_SILENCE),
	[HEARTBEAT_A_APP_READY] = HB_APP_READ_ONLY("ready"),
	[HEARTBEAT_A_APP_SINCE_KICK_US] = HB_APP_READ_ONLY("the time since the last kick"),
	[HEARTBEAT_A_APP_KICKS] = HB_APP_READ_ONLY("kicks"),
	[HEARTBEAT_A_APP_EXPIRIES] = HB_APP_READ_ONLY("expiries"),
};

/* del, get and kick name a gate and say nothing else. */
const struct nla_policy hb_app_name_policy[HEARTBEAT_A_APP_MAX + 1] = {
	[HEARTBEAT_A_APP_NAME] = HB_APP_NAME_POLICY,
};

/* ---- the node's word ----------------------------------------------- */

/* What every frame says from now on; apps->lock held. */
static void hb_apps_publish(struct hb_apps *apps)
{
	WRITE_ONCE(apps->flags, hb_gate_tally_ready(&apps->tally) ?
				0 : HB_FLAG_NOT_READY);
	WRITE_ONCE(apps->silent, hb_gate_tally_silent(&apps->tally));
}

/*
 * The gate expired (ready false) or stopped holding the node back (ready
 * true): count it, publish the node's word, tell listeners. apps->lock held.
 */
static void hb_app_change(struct hb_app *app, bool ready)
{
	struct hb_net *hn = app->hn;
	struct hb_apps *apps = &hn->apps;
	struct hb_event ev = {
		.type = HEARTBEAT_EVENT_APP,
		.peer = READ_ONCE(hn->config.node_id),
		.incarnation = hn->incarnation,
		.ready = ready,
		.app_action = app->gate.action,
	};

	hb_gate_tally_update(&apps->tally, &app->gate, !ready);
	hb_apps_publish(apps);
	ev.node_ready = hb_gate_tally_ready(&apps->tally);
	ev.silent = hb_gate_tally_silent(&apps->tally);
	strscpy(ev.app, app->name, sizeof(ev.app));
	/* Events never sleep: fine under our lock. */
	hb_event_emit(hn, &ev);
}

static enum hrtimer_restart hb_app_deadline(struct hrtimer *timer)
{
	struct hb_app *app = container_of(timer, struct hb_app, timer);
	struct hb_apps *apps = &app->hn->apps;

	spin_lock(&apps->lock);
	/* A kick since the timer fired moved the deadline and re-armed it. */
	if (!app->dead && hb_gate_expire(&app->gate, ktime_get_ns()))
		hb_app_change(app, false);
	spin_unlock(&apps->lock);
	return HRTIMER_NORESTART;
}

/* Arm the timer for the gate's deadline; apps->lock held. */
static void hb_app_arm(struct hb_app *app)
{
	if (!app->dead)
		hrtimer_start(&app->timer, ns_to_ktime(app->gate.deadline_ns),
			      HRTIMER_MODE_ABS_SOFT);
}

/* ---- peers ----------------------------------------------------------- */

void hb_peer_ready_rx(struct hb_peer *peer, const struct hb_msg *msg)
{
	bool not_ready = msg->flags & HB_FLAG_NOT_READY;
	struct hb_event ev;

	if (not_ready == peer->not_ready)
		return;
	WRITE_ONCE(peer->not_ready, not_ready);
	ev = (struct hb_event) {
		.type = HEARTBEAT_EVENT_PEER_READY,
		.state = peer->state,
		.prev = peer->state,
		.configured = peer->configured,
		.peer = peer->id,
		.incarnation = peer->det.incarnation,
		.ready = !not_ready,
	};
	hb_event_emit(peer->hn, &ev);
}

int hb_app_event_fill(struct sk_buff *skb, const struct hb_event *ev)
{
	if (ev->type == HEARTBEAT_EVENT_PEER_READY)
		return nla_put_u8(skb, HEARTBEAT_A_EVENT_READY, ev->ready) ||
		       nla_put_u8(skb, HEARTBEAT_A_EVENT_STATE, ev->state);
	return nla_put_u8(skb, HEARTBEAT_A_EVENT_READY, ev->ready) ||
	       nla_put_string(skb, HEARTBEAT_A_EVENT_APP_NAME, ev->app) ||
	       nla_put_u8(skb, HEARTBEAT_A_EVENT_APP_ACTION, ev->app_action) ||
	       nla_put_u8(skb, HEARTBEAT_A_EVENT_NODE_READY, ev->node_ready) ||
	       nla_put_u8(skb, HEARTBEAT_A_EVENT_SILENT, ev->silent);
}

/* ---- lookup ---------------------------------------------------------- */

/* The name of a request, NUL-terminated in name; the policy checked it. */
static int hb_app_req_name(struct genl_info *info,
			   char name[HEARTBEAT_APP_NAME_MAX + 1])
{
	struct nlattr *attr = info->attrs[HEARTBEAT_A_APP_NAME];
	size_t len;

	if (!attr) {
		NL_SET_ERR_MSG(info->extack, "an app name is required");
		return -EINVAL;
	}
	if (WARN_ON_ONCE(!hb_gate_name_valid(nla_data(attr), nla_len(attr),
					     &len)))
		return -EINVAL;
	memcpy(name, nla_data(attr), len);
	name[len] = '\0';
	return 0;
}

/* RCU, or hb_net.lock held. */
static struct hb_app *hb_app_find(struct hb_net *hn, const char *name)
{
	struct hb_app *app;

	list_for_each_entry_rcu(app, &hn->apps.list, list,
				lockdep_is_held(&hn->lock))
		if (!strcmp(app->name, name))
			return app;
	return NULL;
}

static int hb_app_not_found(struct genl_info *info)
{
	NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[HEARTBEAT_A_APP_NAME],
			    "no app gate with this name");
	return -ENOENT;
}

/* ---- requests -------------------------------------------------------- */

int hb_nl_app_add(struct sk_buff *skb, struct genl_info *info)
{
	struct hb_net *hn = hb_net(genl_info_net(info));
	struct nlattr **attrs = info->attrs;
	struct hb_apps *apps = &hn->apps;
	u8 action = HEARTBEAT_APP_NOTREADY;
	struct hb_app *app, *pos;
	int err;

	app = kzalloc(sizeof(*app), GFP_KERNEL);
	if (!app)
		return -ENOMEM;
	err = hb_app_req_name(info, app->name);
	if (err)
		goto free;
	if (!attrs[HEARTBEAT_A_APP_TIMEOUT_US]) {
		NL_SET_ERR_MSG(info->extack, "a timeout is required");
		err = -EINVAL;
		goto free;
	}
	if (attrs[HEARTBEAT_A_APP_ACTION])
		action = nla_get_u8(attrs[HEARTBEAT_A_APP_ACTION]);
	app->hn = hn;
	hrtimer_setup(&app->timer, hb_app_deadline, CLOCK_MONOTONIC,
		      HRTIMER_MODE_ABS_SOFT);

	mutex_lock(&hn->lock);
	if (hb_app_find(hn, app->name)) {
		NL_SET_ERR_MSG_ATTR(info->extack, attrs[HEARTBEAT_A_APP_NAME],
				    "an app gate with this name exists");
		err = -EEXIST;
		goto unlock;
	}
	if (apps->count >= HEARTBEAT_APPS_MAX) {
		NL_SET_ERR_MSG(info->extack, "too many app gates (16 at most)");
		err = -ENOSPC;
		goto unlock;
	}
	spin_lock_bh(&apps->lock);
	/* Fresh: the first timeout starts now. */
	hb_gate_init(&app->gate, ktime_get_ns(),
		     nla_get_u32(attrs[HEARTBEAT_A_APP_TIMEOUT_US]), action);
	/* Sorted by name, so dumps and the admin see a stable order. */
	list_for_each_entry(pos, &apps->list, list)
		if (strcmp(pos->name, app->name) > 0)
			break;
	list_add_tail_rcu(&app->list, &pos->list);
	hb_app_arm(app);
	spin_unlock_bh(&apps->lock);
	apps->count++;
	mutex_unlock(&hn->lock);
	return 0;

unlock:
	mutex_unlock(&hn->lock);
free:
	kfree(app);
	return err;
}

/* Take the gate out; hb_net.lock held. Its timer is the caller's to stop. */
static void hb_app_unlink(struct hb_app *app, bool report)
{
	struct hb_apps *apps = &app->hn->apps;

	spin_lock_bh(&apps->lock);
	list_del_rcu(&app->list);
	app->dead = true;
	if (app->gate.expired && report) {
		hb_app_change(app, true);
	} else if (app->gate.expired) {
		hb_gate_tally_update(&apps->tally, &app->gate, false);
		hb_apps_publish(apps);
	}
	spin_unlock_bh(&apps->lock);
	apps->count--;
}

/* Process context: waits for the timer. */
static void hb_app_free(struct hb_app *app)
{
	hrtimer_cancel(&app->timer);
	kfree_rcu(app, rcu);
}

int hb_nl_app_del(struct sk_buff *skb, struct genl_info *info)
{
	struct hb_net *hn = hb_net(genl_info_net(info));
	char name[HEARTBEAT_APP_NAME_MAX + 1];
	struct hb_app *app;
	int err;

	err = hb_app_req_name(info, name);
	if (err)
		return err;
	mutex_lock(&hn->lock);
	app = hb_app_find(hn, name);
	if (app)
		hb_app_unlink(app, true);
	mutex_unlock(&hn->lock);
	if (!app)
		return hb_app_not_found(info);
	hb_app_free(app);
	return 0;
}

int hb_nl_app_kick(struct sk_buff *skb, struct genl_info *info)
{
	struct hb_net *hn = hb_net(genl_info_net(info));
	char name[HEARTBEAT_APP_NAME_MAX + 1];
	struct hb_apps *apps = &hn->apps;
	struct hb_app *app;
	int err;

	err = hb_app_req_name(info, name);
	if (err)
		return err;
	/* No mutex: a daemon kicking often never waits for configuration. */
	rcu_read_lock();
	app = hb_app_find(hn, name);
	if (app) {
		spin_lock_bh(&apps->lock);
		if (app->dead) {
			app = NULL;
		} else {
			if (hb_gate_kick(&app->gate, ktime_get_ns()))
				hb_app_change(app, true);
			hb_app_arm(app);
		}
		spin_unlock_bh(&apps->lock);
	}
	rcu_read_unlock();
	return app ? 0 : hb_app_not_found(info);
}

/* One gate's attributes; RCU held. */
static int hb_app_fill(struct sk_buff *skb, struct hb_app *app)
{
	struct hb_apps *apps = &app->hn->apps;
	struct hb_gate g;
	u64 now;

	spin_lock_bh(&apps->lock);
	g = app->gate;
	now = ktime_get_ns();
	spin_unlock_bh(&apps->lock);
	if (nla_put_string(skb, HEARTBEAT_A_APP_NAME, app->name) ||
	    nla_put_u32(skb, HEARTBEAT_A_APP_TIMEOUT_US, g.timeout_us) ||
	    nla_put_u8(skb, HEARTBEAT_A_APP_ACTION, g.action) ||
	    nla_put_u8(skb, HEARTBEAT_A_APP_READY, !g.expired) ||
	    nla_put_u64_64bit(skb, HEARTBEAT_A_APP_SINCE_KICK_US,
			      div_u64(hb_gate_since_kick_ns(&g, now),
				      NSEC_PER_USEC), HEARTBEAT_A_APP_PAD) ||
	    nla_put_u64_64bit(skb, HEARTBEAT_A_APP_KICKS, g.kicks,
			      HEARTBEAT_A_APP_PAD) ||
	    nla_put_u64_64bit(skb, HEARTBEAT_A_APP_EXPIRIES, g.expiries,
			      HEARTBEAT_A_APP_PAD))
		return -EMSGSIZE;
	return 0;
}

int hb_nl_app_get(struct sk_buff *skb, struct genl_info *info)
{
	struct hb_net *hn = hb_net(genl_info_net(info));
	char name[HEARTBEAT_APP_NAME_MAX + 1];
	struct hb_app *app;
	struct sk_buff *msg;
	void *hdr;
	int err;

	err = hb_app_req_name(info, name);
	if (err)
		return err;
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = hb_genl_put(msg, info->snd_portid, info->snd_seq, 0,
			  HEARTBEAT_CMD_APP_GET);
	if (!hdr) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	/* A read open to every user: RCU, never the mutex. */
	rcu_read_lock();
	app = hb_app_find(hn, name);
	err = app ? hb_app_fill(msg, app) : hb_app_not_found(info);
	rcu_read_unlock();
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

int hb_nl_app_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct hb_net *hn = hb_net(sock_net(skb->sk));
	struct hb_app *app;
	long idx = 0;
	void *hdr;

	rcu_read_lock();
	list_for_each_entry_rcu(app, &hn->apps.list, list) {
		if (idx++ < cb->args[0])
			continue;
		hdr = hb_genl_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, NLM_F_MULTI,
				  HEARTBEAT_CMD_APP_GET);
		if (!hdr || hb_app_fill(skb, app)) {
			if (hdr)
				genlmsg_cancel(skb, hdr);
			idx--;
			break;
		}
		genlmsg_end(skb, hdr);
	}
	rcu_read_unlock();
	cb->args[0] = idx;
	return skb->len;
}

/* ---- namespace ------------------------------------------------------- */

void hb_app_net_init(struct hb_net *hn)
{
	spin_lock_init(&hn->apps.lock);
	INIT_LIST_HEAD(&hn->apps.list);
}

/* The namespace goes: every gate, silently; no request can come now. */
void hb_app_net_exit(struct hb_net *hn)
{
	struct hb_app *app, *tmp;

	mutex_lock(&hn->lock);
	list_for_each_entry_safe(app, tmp, &hn->apps.list, list) {
		hb_app_unlink(app, false);
		hb_app_free(app);
	}
	mutex_unlock(&hn->lock);
}
