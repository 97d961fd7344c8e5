/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tracepoints of heartbeat: every frame sent and received (with the reason
 * it was dropped, if it was), every peer state change and every verdict
 * held back (and how that ended), for perf, bpftrace and tracefs. The
 * namespace's inode number tells the nodes of one host apart.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM heartbeat

#if !defined(_HB_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _HB_TRACE_H

#include <linux/netdevice.h>
#include <linux/tracepoint.h>

#include "kcompat.h"
#include "names.h"

/*
 * So that perf, trace-cmd and bpftrace read the names in the format file,
 * every enum value printed symbolically is defined for them, from the
 * tables that also name them for sysfs and hbctl (names.h).
 */
#define hb_trace_enum(value, name)	TRACE_DEFINE_ENUM(value);
#define hb_trace_symbol(value, name)	{ value, name },

HB_DROP_REASONS(hb_trace_enum)
TRACE_DEFINE_ENUM(HEARTBEAT_STATE_UNKNOWN);
TRACE_DEFINE_ENUM(HEARTBEAT_STATE_ALIVE);
TRACE_DEFINE_ENUM(HEARTBEAT_STATE_SUSPECT);
TRACE_DEFINE_ENUM(HEARTBEAT_STATE_DEAD);
TRACE_DEFINE_ENUM(HEARTBEAT_STATE_LEFT);
TRACE_DEFINE_ENUM(HEARTBEAT_STATE_UNREACHABLE);
TRACE_DEFINE_ENUM(HB_DEFER_STALL);
TRACE_DEFINE_ENUM(HB_DEFER_CONSENSUS);
TRACE_DEFINE_ENUM(HB_DEFER_HOLD);
TRACE_DEFINE_ENUM(HB_DEFER_APPLY);
TRACE_DEFINE_ENUM(HB_DEFER_CANCEL);

#define hb_show_state(state)					\
	__print_symbolic(state,					\
			 { HEARTBEAT_STATE_UNKNOWN, "unknown" },	\
			 { HEARTBEAT_STATE_ALIVE, "alive" },	\
			 { HEARTBEAT_STATE_SUSPECT, "suspect" },	\
			 { HEARTBEAT_STATE_DEAD, "dead" },	\
			 { HEARTBEAT_STATE_LEFT, "left" },	\
			 { HEARTBEAT_STATE_UNREACHABLE, "unreachable" })

/* 0: the frame was accepted. */
#define hb_show_drop(reason)						\
	__print_symbolic(reason, HB_DROP_REASONS(hb_trace_symbol)	\
			 { 0, "none" })

TRACE_EVENT(heartbeat_tx,
	TP_PROTO(const struct net_device *dev, u32 node, u16 link, u64 seq,
		 u8 type, u64 late_ns),
	TP_ARGS(dev, node, link, seq, type, late_ns),
	TP_STRUCT__entry(
		__string(dev, dev->name)
		__field(u32, netns)
		__field(u32, node)
		__field(u16, link)
		__field(u8, type)
		__field(u64, seq)
		__field(u64, late_ns)
	),
	TP_fast_assign(
		hb_assign_str(dev, dev->name);
		__entry->netns = dev_net(dev)->ns.inum;
		__entry->node = node;
		__entry->link = link;
		__entry->type = type;
		__entry->seq = seq;
		__entry->late_ns = late_ns;
	),
	TP_printk("netns=%u dev=%s node=%u link=%u seq=%llu type=%s late_ns=%llu",
		  __entry->netns, __get_str(dev), __entry->node, __entry->link,
		  __entry->seq, __entry->type == 2 ? "leave" : "heartbeat",
		  __entry->late_ns)
);

TRACE_EVENT(heartbeat_rx,
	TP_PROTO(const struct net_device *dev, u32 from, u16 link, u64 seq,
		 unsigned int drop_reason),
	TP_ARGS(dev, from, link, seq, drop_reason),
	TP_STRUCT__entry(
		__string(dev, dev->name)
		__field(u32, netns)
		__field(u32, from)
		__field(u16, link)
		__field(u64, seq)
		__field(u32, drop_reason)
	),
	TP_fast_assign(
		hb_assign_str(dev, dev->name);
		__entry->netns = dev_net(dev)->ns.inum;
		__entry->from = from;
		__entry->link = link;
		__entry->seq = seq;
		__entry->drop_reason = drop_reason;
	),
	TP_printk("netns=%u dev=%s from=%u link=%u seq=%llu drop=%s",
		  __entry->netns, __get_str(dev), __entry->from, __entry->link,
		  __entry->seq, hb_show_drop(__entry->drop_reason))
);

TRACE_EVENT(peer_state,
	TP_PROTO(const struct net *net, u32 peer, u8 prev, u8 state,
		 u32 phi_milli, u64 incarnation),
	TP_ARGS(net, peer, prev, state, phi_milli, incarnation),
	TP_STRUCT__entry(
		__field(u32, netns)
		__field(u32, peer)
		__field(u8, prev)
		__field(u8, state)
		__field(u32, phi_milli)
		__field(u64, incarnation)
	),
	TP_fast_assign(
		__entry->netns = net->ns.inum;
		__entry->peer = peer;
		__entry->prev = prev;
		__entry->state = state;
		__entry->phi_milli = phi_milli;
		__entry->incarnation = incarnation;
	),
	TP_printk("netns=%u peer=%u %s -> %s phi=%u.%03u incarnation=%llu",
		  __entry->netns, __entry->peer,
		  hb_show_state(__entry->prev), hb_show_state(__entry->state),
		  __entry->phi_milli / 1000, __entry->phi_milli % 1000,
		  __entry->incarnation)
);

/*
 * A verdict held back, and how it ended: why is a local stall (the deadline
 * timer fired late, judged again half an interval later) or consensus (dead
 * here, shown suspect or unreachable until a quorum confirms); action is
 * hold, apply (judged at last) or cancel (the peer was heard meanwhile).
 * verdict is our detector's own state, shown the one reported; held_ns how
 * long it was held (0 at hold).
 */
TRACE_EVENT(verdict_deferred,
	TP_PROTO(const struct net *net, u32 peer, u8 why, u8 action,
		 u8 verdict, u8 shown, u64 held_ns),
	TP_ARGS(net, peer, why, action, verdict, shown, held_ns),
	TP_STRUCT__entry(
		__field(u32, netns)
		__field(u32, peer)
		__field(u8, why)
		__field(u8, action)
		__field(u8, verdict)
		__field(u8, shown)
		__field(u64, held_ns)
	),
	TP_fast_assign(
		__entry->netns = net->ns.inum;
		__entry->peer = peer;
		__entry->why = why;
		__entry->action = action;
		__entry->verdict = verdict;
		__entry->shown = shown;
		__entry->held_ns = held_ns;
	),
	TP_printk("netns=%u peer=%u why=%s action=%s verdict=%s shown=%s held_ns=%llu",
		  __entry->netns, __entry->peer,
		  __print_symbolic(__entry->why,
				   { HB_DEFER_STALL, "stall" },
				   { HB_DEFER_CONSENSUS, "consensus" }),
		  __print_symbolic(__entry->action,
				   { HB_DEFER_HOLD, "hold" },
				   { HB_DEFER_APPLY, "apply" },
				   { HB_DEFER_CANCEL, "cancel" }),
		  hb_show_state(__entry->verdict), hb_show_state(__entry->shown),
		  __entry->held_ns)
);

#endif /* _HB_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE hb_trace
#include <trace/define_trace.h>
