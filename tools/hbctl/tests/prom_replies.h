/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Whole sets of replies for "stats -o prometheus", shared by test_stats
 * and prom_sample (whose output prom_check.sh feeds to promparse.py).
 */
#ifndef HBCTL_TESTS_PROM_REPLIES_H
#define HBCTL_TESTS_PROM_REPLIES_H

#include <string.h>

#include "node_reply.h"
#include "prometheus.h"
#include "replies.h"

#define PROM_PEERS	7
/* What prom_show() passes: the clock when the replies came, and sysfs. */
#define PROM_NOW_NS	EXAMPLE_TIME_NS
#define PROM_MODULE_VERSION	"0.3.0-test"

/* Peer 2's channels: eth0 heard 3 ms ago, the disk silent for 2.5 s. */
static inline void put_prom_channels(struct nlmsghdr *nlh)
{
	struct nlattr *chans, *ch;

	mnl_attr_put_u32(nlh, HEARTBEAT_A_PEER_CHANNELS_UP, 1);
	chans = mnl_attr_nest_start(nlh, HEARTBEAT_A_PEER_CHANNELS);
	ch = mnl_attr_nest_start(nlh, 0);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_CHANNEL_LINK, 1);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_CHANNEL_IFINDEX, 3);
	mnl_attr_put_strz(nlh, HEARTBEAT_A_CHANNEL_NAME, "eth0");
	mnl_attr_put_u8(nlh, HEARTBEAT_A_CHANNEL_UP, 1);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_CHANNEL_LAST_SEEN_US, 3012);
	mnl_attr_nest_end(nlh, ch);
	ch = mnl_attr_nest_start(nlh, 0);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_CHANNEL_LINK, HEARTBEAT_CHANNEL_DISK);
	mnl_attr_put_strz(nlh, HEARTBEAT_A_CHANNEL_NAME, "disk");
	mnl_attr_put_u8(nlh, HEARTBEAT_A_CHANNEL_UP, 0);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_CHANNEL_LAST_SEEN_US, 2500000);
	mnl_attr_nest_end(nlh, ch);
	mnl_attr_nest_end(nlh, chans);
}

struct prom_replies {
	char node[NODE_REPLY_BUFSZ] __attribute__((aligned(4)));
	char stats[REPLY_BUFSZ] __attribute__((aligned(4)));
	char quorum[REPLY_BUFSZ] __attribute__((aligned(4)));
	char peer[PROM_PEERS][REPLY_BUFSZ] __attribute__((aligned(4)));
	const struct nlmsghdr *peers[PROM_PEERS];
	struct prom_input in;
};

/*
 * Node 1 of cluster 7 with the phi detector; stats with every counter of
 * newer kernels and a second link named ODD_IFNAME; quorum 3 of 5; a peer
 * in each state (peer 8 unreachable, heard by 3 and 4), and one in a state
 * newer than hbctl.
 */
static inline struct prom_input *prom_full(struct prom_replies *r)
{
	static const uint32_t heard[] = { 3, 4 };
	struct nlmsghdr *nlh;

	memset(r, 0, sizeof(*r));
	nlh = node_reply_full(r->node, 1);
	mnl_attr_put_u8(nlh, HEARTBEAT_A_NODE_DETECTOR, HEARTBEAT_DETECTOR_PHI);
	r->in.node = nlh;
	nlh = stats_reply_new(r->stats);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_STATS_GOSSIP_TX, 640);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_STATS_GOSSIP_RX, 320);
	r->in.stats = nlh;
	r->in.quorum = quorum_reply(r->quorum, 5, 1);
	nlh = peer_reply_phi(r->peer[0]);
	put_prom_channels(nlh);
	r->peers[0] = nlh;
	r->peers[1] = peer_reply_configured(r->peer[1]);
	nlh = peer_reply_id(r->peer[2], 4, HEARTBEAT_STATE_DEAD);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_PEER_PHI, 8015);
	r->peers[2] = nlh;
	r->peers[3] = peer_reply_id(r->peer[3], 5, HEARTBEAT_STATE_SUSPECT);
	r->peers[4] = peer_reply_id(r->peer[4], 6, HEARTBEAT_STATE_LEFT);
	r->peers[5] = peer_reply_id(r->peer[5], 7, 9);
	r->peers[6] = peer_reply_view(r->peer[6], 8,
				      HEARTBEAT_STATE_UNREACHABLE,
				      HEARTBEAT_STATE_DEAD, heard, 2, false, 0);
	r->in.peers = r->peers;
	r->in.npeers = PROM_PEERS;
	r->in.now_ns = PROM_NOW_NS;
	r->in.module_version = PROM_MODULE_VERSION;
	return &r->in;
}

/*
 * An older module: no detector, no new counters, no phi, no drop reasons
 * of authentication.
 */
static inline struct prom_input *prom_old(struct prom_replies *r)
{
	memset(r, 0, sizeof(*r));
	r->in.node = node_reply_full(r->node, 1);
	r->in.stats = stats_reply_old(r->stats);
	r->peers[0] = peer_reply(r->peer[0]);
	r->peers[1] = peer_reply_configured(r->peer[1]);
	r->in.peers = r->peers;
	r->in.npeers = 2;
	r->in.now_ns = PROM_NOW_NS;
	return &r->in;
}

/* A node never configured: id 0, no links, no peers. */
static inline struct prom_input *prom_empty(struct prom_replies *r)
{
	struct nlmsghdr *nlh;

	memset(r, 0, sizeof(*r));
	nlh = node_reply_start(r->node);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_NODE_ID, 0);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_NODE_CLUSTER, 0);
	mnl_attr_put_u8(nlh, HEARTBEAT_A_NODE_DETECTOR,
			HEARTBEAT_DETECTOR_TIMEOUT);
	r->in.node = nlh;
	nlh = reply_start(r->stats, HEARTBEAT_CMD_STATS_GET);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_STATS_TX, 0);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_STATS_RX, 0);
	r->in.stats = nlh;
	r->in.peers = r->peers;
	return &r->in;
}

#endif /* HBCTL_TESTS_PROM_REPLIES_H */
