// SPDX-License-Identifier: GPL-2.0-only
/*
 * One path for every event (event.h): stamped once, so that the netlink
 * event and the uevent of one verdict carry the same instant.
 */
#include "heartbeat.h"
#include "hb_trace.h"

void hb_event_emit(struct hb_net *hn, struct hb_event *ev)
{
	ev->time_ns = ktime_get_real_ns();
	if (ev->type == HEARTBEAT_EVENT_PEER_STATE)
		trace_peer_state(hn->net, ev->peer, ev->prev, ev->state,
				 ev->phi_milli, ev->incarnation);
	hb_nl_event(hn, ev);
	hb_uevent_event(hn, ev);
}

/* Events about this node name it as their peer, as app events do. */
static void hb_event_local(struct hb_net *hn, struct hb_event *ev)
{
	ev->peer = READ_ONCE(hn->config.node_id);
	ev->incarnation = hn->incarnation;
	hb_event_emit(hn, ev);
}

void hb_event_link(struct hb_net *hn, int ifindex, const char *ifname,
		   u16 link_id, u8 action)
{
	struct hb_event ev = {
		.type = HEARTBEAT_EVENT_LINK,
		.action = action,
		.ifindex = ifindex,
		.link_id = link_id,
	};

	strscpy(ev.channel_name, ifname, sizeof(ev.channel_name));
	hb_event_local(hn, &ev);
}

void hb_event_node(struct hb_net *hn)
{
	struct hb_event ev = {
		.type = HEARTBEAT_EVENT_NODE,
		.action = HEARTBEAT_ACTION_CHANGED,
	};

	hb_event_local(hn, &ev);
}

void hb_event_key(struct hb_net *hn, u32 key_id, u8 action)
{
	struct hb_event ev = {
		.type = HEARTBEAT_EVENT_KEY,
		.action = action,
		.key_id = key_id,
	};

	hb_event_local(hn, &ev);
}

/*
 * Drops are summarised rather than reported one by one: a flood of bad
 * frames costs one event a second, not one per frame.
 */
#define HB_DROPS_PERIOD		HZ

void hb_event_drop_noted(struct hb_net *hn)
{
	if (READ_ONCE(hn->drops_live) && !timer_pending(&hn->drops_timer))
		mod_timer(&hn->drops_timer, jiffies + HB_DROPS_PERIOD);
}

static void hb_event_drops_summary(struct timer_list *t)
{
	struct hb_net *hn = timer_container_of(hn, t, drops_timer);
	u64 now = ktime_get_ns();
	u64 sum[HB_STAT_COUNT];
	struct hb_event ev = {
		.type = HEARTBEAT_EVENT_DROPS,
		.drops = hn->drops_delta,
		.period_ns = now - hn->drops_since_ns,
	};
	bool any = false;
	unsigned int r;

	hb_stats_read(hn, sum);
	for (r = HEARTBEAT_DROP_UNSPEC + 1; r <= HEARTBEAT_DROP_MAX; r++) {
		hn->drops_delta[r] = sum[r] - hn->drops_reported[r];
		hn->drops_reported[r] = sum[r];
		any |= hn->drops_delta[r] != 0;
	}
	hn->drops_since_ns = now;
	if (any)
		hb_event_local(hn, &ev);
}

void hb_event_net_init(struct hb_net *hn)
{
	spin_lock_init(&hn->event_lock);
	timer_setup(&hn->drops_timer, hb_event_drops_summary, 0);
	hn->drops_since_ns = ktime_get_ns();
	WRITE_ONCE(hn->drops_live, true);
}

/* The namespace's devices are gone: nothing notes a drop any more. */
void hb_event_net_exit(struct hb_net *hn)
{
	WRITE_ONCE(hn->drops_live, false);
	timer_delete_sync(&hn->drops_timer);
}
