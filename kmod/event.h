/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Events: what happened to a peer, made once and handed to every sink -
 * the tracepoint, the events multicast group, the uevent queue. A new kind
 * of event is an entry of enum heartbeat_event_type and its fields here;
 * each sink says what it shows of it.
 */
#ifndef _HB_EVENT_H
#define _HB_EVENT_H

#include <linux/if.h>
#include <linux/types.h>

#include <uapi/linux/heartbeat.h>

struct hb_net;

struct hb_event {
	u8 type;		/* enum heartbeat_event_type */
	u8 state;		/* the peer's state after the event */
	u8 prev;		/* and before it (state events) */
	bool phi;		/* the phi detector judged it */
	bool configured;	/* configured or learned peer */
	u32 peer;
	u32 phi_milli;
	u64 time_ns;		/* CLOCK_REALTIME, set by hb_event_emit() */
	u64 incarnation;
	u64 prev_incarnation;	/* restart events */
	bool quorum_on;		/* expected-votes is set: the next two apply */
	bool quorate;
	bool consensus;		/* state events: dead by the quorum's verdict */
	bool dying;		/* state events: dead by the peer's last words */
	u8 dying_reason;	/* enum hb_dying_reason */
	u32 votes;		/* quorum events */
	u32 expected_votes;	/* quorum events: the number in force */
	/* Probe events (probe.c): answered, or lost when rtt_ns is 0. */
	u32 token;
	u32 via;		/* the helper that relayed the answer, 0: none */
	int ifindex;		/* our device it came in on (sent on, if lost) */
	u64 rtt_ns;
	/* Degraded events: the channel that died or came back. */
	u16 channel;
	bool channel_up;
	u8 links_up;
	u8 links;
	char channel_name[IFNAMSIZ];
	/*
	 * Readiness (app.c). Ready events: the peer's frames say ready (state
	 * is its state). App events (peer: this node): the gate is fresh or
	 * no longer holds the node back, or expired; what the node's frames
	 * say now; whether it withholds its heartbeats.
	 */
	bool ready;
	bool node_ready;
	bool silent;
	u8 app_action;		/* enum heartbeat_app_action */
	char app[HEARTBEAT_APP_NAME_MAX + 1];
	/* Link, node and key events: what happened (heartbeat_event_action). */
	u8 action;
	u16 link_id;
	u32 key_id;
	/* Drops events: frames dropped per reason in period_ns. */
	const u64 *drops;
	u64 period_ns;
};

/* Hand ev to every sink; any context, never sleeps. */
void hb_event_emit(struct hb_net *hn, struct hb_event *ev);

/* Changes to this node, for the events group. */
void hb_event_link(struct hb_net *hn, int ifindex, const char *ifname,
		   u16 link_id, u8 action);
void hb_event_node(struct hb_net *hn);
void hb_event_key(struct hb_net *hn, u32 key_id, u8 action);

/*
 * A frame was dropped: a summary by reason follows within a second. Any
 * context.
 */
void hb_event_drop_noted(struct hb_net *hn);
void hb_event_net_init(struct hb_net *hn);
void hb_event_net_exit(struct hb_net *hn);

/* The sinks. */
void hb_nl_event(struct hb_net *hn, const struct hb_event *ev);
void hb_uevent_event(struct hb_net *hn, const struct hb_event *ev);

#endif /* _HB_EVENT_H */
