/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tracepoints of heartbeat: every frame sent and received (with the reason
 * it was dropped, if it was) and every peer state change, for perf and
 * tracefs. The namespace's inode number tells the nodes of one host apart.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM heartbeat

#if !defined(_HB_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _HB_TRACE_H

#include <linux/netdevice.h>
#include <linux/tracepoint.h>

#include "kcompat.h"

/* So that perf and trace-cmd can read the names in the format file. */
TRACE_DEFINE_ENUM(HEARTBEAT_STATE_UNKNOWN);
TRACE_DEFINE_ENUM(HEARTBEAT_STATE_ALIVE);
TRACE_DEFINE_ENUM(HEARTBEAT_STATE_SUSPECT);
TRACE_DEFINE_ENUM(HEARTBEAT_STATE_DEAD);
TRACE_DEFINE_ENUM(HEARTBEAT_STATE_LEFT);

#define hb_show_state(state)					\
	__print_symbolic(state,					\
			 { HEARTBEAT_STATE_UNKNOWN, "unknown" },	\
			 { HEARTBEAT_STATE_ALIVE, "alive" },	\
			 { HEARTBEAT_STATE_SUSPECT, "suspect" },	\
			 { HEARTBEAT_STATE_DEAD, "dead" },	\
			 { HEARTBEAT_STATE_LEFT, "left" })

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
	TP_printk("netns=%u dev=%s from=%u link=%u seq=%llu drop=%u",
		  __entry->netns, __get_str(dev), __entry->from, __entry->link,
		  __entry->seq, __entry->drop_reason)
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

#endif /* _HB_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE hb_trace
#include <trace/define_trace.h>
