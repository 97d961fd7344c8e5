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
