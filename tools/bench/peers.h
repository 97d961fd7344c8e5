/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The receive side of a node in userspace: what kmod/rx.c and kmod/peer.c
 * do around the module's detector, with a hash table instead of the RCU
 * hash and a heap of deadlines instead of one hrtimer per peer. Shared by
 * hbuserd (the daemon baseline) and hbcost (instructions per heartbeat).
 */
#ifndef _HB_BENCH_PEERS_H
#define _HB_BENCH_PEERS_H

#include "detector.h"
#include "ident.h"
#include "proto.h"
#include "view.h"

#define MAX_PEERS	4096
#define PEER_PATHS	4		/* HB_PEER_PATHS of the module */
#define PHI_WINDOW	100		/* the module's default phi_window */

struct peer {
	u32 id;
	u32 heap_pos;		/* in the deadline heap, or NO_POS */
	struct hb_det det;
	struct hb_ident ident;
	struct hb_path paths[PEER_PATHS];
	struct hb_phi_window window;
	u32 samples[PHI_WINDOW];
	/* The cluster view (view.h): members' reports about this peer. */
	struct hb_view view;
	u8 shown;		/* the state the cluster gives it */
	bool consensus;
};

struct peers;

/* Called for every detector step that changed a peer's state. */
typedef void (*peers_report_fn)(const struct peer *p,
				const struct hb_det_change *c);

/*
 * A table for node own_id of cluster, receiving on ifindex. With
 * deadlines false no heap is kept (hbcost measures the detector, not our
 * timer structure, which stands in for the module's hrtimers).
 */
struct peers *peers_new(u32 own_id, u32 cluster, int ifindex,
			const struct hb_det_params *params, bool deadlines,
			peers_report_fn report);

/*
 * The heartbeat payload buf (len bytes, no link header) arrived at now:
 * hb_rx_check() and hb_peer_rx(). With hmac (see hmac.h) a valid MAC is
 * required, as with auth "required" in the module. True if accepted.
 */
struct bench_hmac;
bool peers_rx(struct peers *t, const u8 *buf, size_t len, u64 now,
	      const struct bench_hmac *hmac);

/* The earliest deadline (0: none). */
u64 peers_next_deadline(const struct peers *t);
/* Judge every peer whose deadline is at or before now. */
void peers_expire(struct peers *t, u64 now);

/*
 * Every sender is a configured member and quorum is on (expected votes:
 * the members, self included): accepted heartbeats' GOSSIP TLVs are merged
 * as hb_gossip_merge() does.
 */
void peers_set_members(struct peers *t, bool members);

/*
 * hb_peers_gossip(): up to max entries of our view, taken in turn in id
 * order from where the last call stopped; *total and *first as the
 * GOSSIP TLV's header wants them. Returns how many entries.
 */
unsigned int peers_gossip(struct peers *t, struct hb_gossip *g,
			  unsigned int max, u16 *total, u16 *first, u64 now);

/* Members' reports held in all peers' views (a check that gossip merged). */
u64 peers_reports(const struct peers *t);

u32 peers_count(const struct peers *t);
/* How many peers are in each state, counts[HB_STATE_LEFT + 1]. */
void peers_states(const struct peers *t, u32 *counts);

#endif /* _HB_BENCH_PEERS_H */
