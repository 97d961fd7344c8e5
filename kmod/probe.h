/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Probes (probe.c): PROBE, PROBE_REQ and ACK frames, the round trips they
 * measure and the indirect probes a suspect peer gets (SWIM's ping-req).
 */
#ifndef _HB_PROBE_H
#define _HB_PROBE_H

#include <linux/if_ether.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include <linux/types.h>

#include "proto.h"
#include "rtt.h"

struct hb_net;
struct hb_peer;
struct hb_msg;
struct netlink_ext_ack;

#define HB_PROBES_PENDING	64	/* probes in flight per namespace */
#define HB_PROBE_TIMEOUT_MS	1000	/* unanswered this long: lost */
#define HB_PROBE_RATE		1000	/* probes and requests answered a second */
#define HB_PROBE_PATHS		4	/* links of a peer with a known address */

/* A probe in flight: ours (origin is this node), or one relayed for origin. */
struct hb_probe_entry {
	struct hb_probe p;	/* as sent */
	u64 sent_ns;		/* 0: free slot */
	bool mine;		/* our own probe: its loss is reported */
	int ifindex;		/* sent on this device only; 0: every link */
	int reply_ifindex;	/* relays: where origin's request came from */
	u8 reply_mac[ETH_ALEN];
};

/* Per namespace, in struct hb_net. */
struct hb_probes {
	spinlock_t lock;	/* everything here (BH) */
	bool live;		/* the timer may be armed */
	unsigned int pending;
	struct hb_probe_entry e[HB_PROBES_PENDING];
	struct timer_list timer;	/* expires unanswered probes */
	u64 credit_ns;		/* token bucket of answers, in time */
	u64 last_ns;
};

/* One link of a peer, as its frames reach us. */
struct hb_probe_path {
	u16 link_id;		/* the peer's link; 0: free */
	int ifindex;		/* our device that hears it */
	u8 mac[ETH_ALEN];	/* its frames' source address */
	u64 last_ns;
	struct hb_rtt_window rtt;	/* round trips answered from that link */
};

/* Per peer, in struct hb_peer, under the peer's lock. */
struct hb_peer_probe {
	struct hb_probe_path paths[HB_PROBE_PATHS];
	struct hb_rtt rtt;	/* every answer, direct or relayed */
};

/* Round-trip statistics of a peer, read under its lock. */
struct hb_probe_snapshot {
	struct hb_rtt_stats rtt;
	u64 total;
	u64 sum_us;
	u64 hist[HB_RTT_BUCKETS];
	struct {
		u16 link_id;
		int ifindex;	/* our device that hears that link */
		struct hb_rtt_stats rtt;
	} paths[HB_PROBE_PATHS];
};

void hb_probe_net_init(struct hb_net *hn);
void hb_probe_net_exit(struct hb_net *hn);

/*
 * rx.c: a frame of type PROBE, PROBE_REQ or ACK passed the checks; src is
 * its source address (NULL: not Ethernet). Returns 0 or the drop reason.
 */
unsigned int hb_probe_rx(struct hb_net *hn, const struct hb_msg *msg,
			 int ifindex, const u8 *src, u64 now);

/* rx.c: a frame of a peer was accepted: remember where it came from. */
void hb_probe_heard(struct hb_net *hn, const struct hb_msg *msg, int ifindex,
		    const u8 *src, u64 now);

/*
 * netlink.c: probe peer_id once, on ifindex (0: every link); returns the
 * token or a negative error with extack set. Process context.
 */
int hb_probe_peer(struct hb_net *hn, u32 peer_id, int ifindex, u32 *token,
		  struct netlink_ext_ack *extack);

void hb_probe_snapshot(struct hb_peer *peer, struct hb_probe_snapshot *s);
bool hb_probe_snapshot_id(struct hb_net *hn, u32 id,
			  struct hb_probe_snapshot *s);
const struct hb_rtt_stats *
hb_probe_path_stats(const struct hb_probe_snapshot *s, u16 link_id);
/* The mean round trip through our device ifindex, 0: none measured. */
u32 hb_probe_ifindex_rtt_us(const struct hb_probe_snapshot *s, int ifindex);

#endif /* _HB_PROBE_H */
