/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Fake link, peer, stats and event messages for the host tests and
 * json_sample, built the way the kernel lays them out.
 */
#ifndef HBCTL_TESTS_REPLIES_H
#define HBCTL_TESTS_REPLIES_H

#include <stdbool.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/heartbeat.h>

#define REPLY_BUFSZ	4096

/* Always "lo" in any network namespace; the other one never exists. */
#define LO_IFINDEX	1U
#define GONE_IFINDEX	999999U

#define EXAMPLE_TIME_NS		1795744536250595520ULL
#define EXAMPLE_INCARNATION	1795744536250595520ULL

static inline struct nlmsghdr *reply_start(void *buf, uint8_t cmd)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = GENL_MIN_ID;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = HEARTBEAT_GENL_VERSION;
	return nlh;
}

/* The link of the documentation: eth0, ifindex 3, link id 1. */
static inline void put_link(struct nlmsghdr *nlh, const char *name,
			    uint32_t ifindex, uint32_t id, uint8_t mode,
			    uint8_t up)
{
	mnl_attr_put_u32(nlh, HEARTBEAT_A_LINK_IFINDEX, ifindex);
	mnl_attr_put_strz(nlh, HEARTBEAT_A_LINK_IFNAME, name);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_LINK_ID, id);
	mnl_attr_put_u8(nlh, HEARTBEAT_A_LINK_MODE, mode);
	mnl_attr_put_u8(nlh, HEARTBEAT_A_LINK_UP, up);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_LINK_TX, 1234);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_LINK_TX_ERRORS, 0);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_LINK_TX_SKIPPED, 0);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_LINK_TX_OVERRUNS, 0);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_LINK_LATE_MAX_NS, 35000);
}

static inline struct nlmsghdr *link_reply(void *buf)
{
	struct nlmsghdr *nlh = reply_start(buf, HEARTBEAT_CMD_LINK_GET);

	put_link(nlh, "eth0", 3, 1, HEARTBEAT_LINK_MULTICAST, 1);
	return nlh;
}

static inline void put_path(struct nlmsghdr *nlh, uint32_t link,
			    uint32_t ifindex, uint64_t rx, uint64_t seen_us)
{
	struct nlattr *path = mnl_attr_nest_start(nlh, 0);

	mnl_attr_put_u32(nlh, HEARTBEAT_A_PEER_PATH_LINK, link);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_PEER_IFINDEX, ifindex);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_PEER_RX, rx);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_PEER_LOST, 0);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_PEER_LAST_SEEN_US, seen_us);
	mnl_attr_nest_end(nlh, path);
}

/* A learned peer heard 3 ms ago on lo over one path. */
static inline struct nlmsghdr *peer_reply_id(void *buf, uint32_t id,
					     uint8_t state)
{
	struct nlmsghdr *nlh = reply_start(buf, HEARTBEAT_CMD_PEER_GET);
	struct nlattr *paths;

	mnl_attr_put_u32(nlh, HEARTBEAT_A_PEER_ID, id);
	mnl_attr_put_u8(nlh, HEARTBEAT_A_PEER_STATE, state);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_PEER_INCARNATION,
			 EXAMPLE_INCARNATION);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_PEER_INTERVAL_US, 10000);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_PEER_LAST_SEEN_US, 3012);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_PEER_RX, 1234);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_PEER_LOST, 0);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_PEER_RESTARTS, 0);
	paths = mnl_attr_nest_start(nlh, HEARTBEAT_A_PEER_PATHS);
	put_path(nlh, 1, LO_IFINDEX, 1234, 3012);
	mnl_attr_nest_end(nlh, paths);
	return nlh;
}

/* Peer 2, alive: the peer of the documentation. */
static inline struct nlmsghdr *peer_reply(void *buf)
{
	return peer_reply_id(buf, 2, HEARTBEAT_STATE_ALIVE);
}

/* peer_reply() as the phi detector reports it: phi 0.423. */
static inline struct nlmsghdr *peer_reply_phi(void *buf)
{
	struct nlmsghdr *nlh = peer_reply(buf);

	mnl_attr_put_u32(nlh, HEARTBEAT_A_PEER_PHI, 423);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_PEER_MEAN_US, 10012);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_PEER_STDDEV_US, 250);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_PEER_SAMPLES, 100);
	return nlh;
}

/*
 * peer_reply_id() with the cluster view: our own verdict @local, heard by
 * members @heard[0..n), @late_us late, dead by consensus if @consensus.
 */
static inline struct nlmsghdr *peer_reply_view(void *buf, uint32_t id,
					       uint8_t state, uint8_t local,
					       const uint32_t *heard,
					       unsigned int n, bool consensus,
					       uint32_t late_us)
{
	struct nlmsghdr *nlh = peer_reply_id(buf, id, state);
	struct nlattr *nest;
	unsigned int i;

	mnl_attr_put_u8(nlh, HEARTBEAT_A_PEER_LOCAL_STATE, local);
	nest = mnl_attr_nest_start(nlh, HEARTBEAT_A_PEER_HEARD_BY);
	for (i = 0; i < n; i++)
		mnl_attr_put_u32(nlh, 0, heard[i]);
	mnl_attr_nest_end(nlh, nest);
	if (consensus)
		mnl_attr_put(nlh, HEARTBEAT_A_PEER_CONSENSUS, 0, NULL);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_PEER_LATE_US, late_us);
	return nlh;
}

/* A configured peer never heard: no LAST_SEEN_US, no paths. */
static inline struct nlmsghdr *peer_reply_configured(void *buf)
{
	struct nlmsghdr *nlh = reply_start(buf, HEARTBEAT_CMD_PEER_GET);
	static const uint8_t mac[6] = { 0x02, 0xAB, 0xcd, 0x00, 0x01, 0xff };
	struct nlattr *paths;

	mnl_attr_put_u32(nlh, HEARTBEAT_A_PEER_ID, 3);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_PEER_IFINDEX, LO_IFINDEX);
	mnl_attr_put(nlh, HEARTBEAT_A_PEER_MAC, sizeof(mac), mac);
	mnl_attr_put_u8(nlh, HEARTBEAT_A_PEER_STATE, HEARTBEAT_STATE_UNKNOWN);
	mnl_attr_put(nlh, HEARTBEAT_A_PEER_CONFIGURED, 0, NULL);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_PEER_INCARNATION, 0);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_PEER_INTERVAL_US, 0);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_PEER_RX, 0);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_PEER_LOST, 0);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_PEER_RESTARTS, 0);
	paths = mnl_attr_nest_start(nlh, HEARTBEAT_A_PEER_PATHS);
	mnl_attr_nest_end(nlh, paths);
	return nlh;
}

/* The last drop reason of modules without authentication. */
#define OLD_DROP_MAX	HEARTBEAT_DROP_NOMEM

/*
 * Stats of the documentation: a few drops, each reason up to @last_drop
 * (as many as the module knows), then one of a reason from a newer
 * kernel, and one link with four non-empty histogram buckets; then the
 * link @extra (NULL: none), with all counters but no histogram.
 */
static inline struct nlmsghdr *stats_reply_with(void *buf, const char *extra,
						unsigned int last_drop)
{
	struct nlmsghdr *nlh = reply_start(buf, HEARTBEAT_CMD_STATS_GET);
	struct nlattr *drops, *links, *link, *hist;
	unsigned int r, b;

	mnl_attr_put_u64(nlh, HEARTBEAT_A_STATS_TX, 1234);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_STATS_RX, 5678);
	drops = mnl_attr_nest_start(nlh, HEARTBEAT_A_STATS_DROPS);
	for (r = 1; r <= last_drop; r++)
		mnl_attr_put_u64(nlh, r, r == HEARTBEAT_DROP_CLUSTER ? 42 :
				 r == HEARTBEAT_DROP_NOMEM ? 1 : 0);
	mnl_attr_put_u64(nlh, 40, 7);
	mnl_attr_nest_end(nlh, drops);
	links = mnl_attr_nest_start(nlh, HEARTBEAT_A_STATS_LINKS);
	link = mnl_attr_nest_start(nlh, 0);
	put_link(nlh, "eth0", 3, 1, HEARTBEAT_LINK_MULTICAST, 1);
	hist = mnl_attr_nest_start(nlh, HEARTBEAT_A_LINK_LATE_HIST);
	for (b = 0; b < HEARTBEAT_LATE_BUCKETS; b++)
		mnl_attr_put_u64(nlh, b + 1, b == 0 ? 10 : b == 1 ? 5 :
				 b == 2 ? 7 : b == 21 ? 2 : 0);
	mnl_attr_nest_end(nlh, hist);
	mnl_attr_nest_end(nlh, link);
	if (extra) {
		link = mnl_attr_nest_start(nlh, 0);
		put_link(nlh, extra, 4, 2, HEARTBEAT_LINK_UNICAST, 0);
		mnl_attr_nest_end(nlh, link);
	}
	mnl_attr_nest_end(nlh, links);
	return nlh;
}

/* As the current module sends them: every drop reason of the uapi. */
static inline struct nlmsghdr *stats_reply(void *buf)
{
	return stats_reply_with(buf, NULL, HEARTBEAT_DROP_MAX);
}

/* As a module without authentication: no reason after OLD_DROP_MAX. */
static inline struct nlmsghdr *stats_reply_old(void *buf)
{
	return stats_reply_with(buf, NULL, OLD_DROP_MAX);
}

/* The example's detection times: 1.5 ms, 3 ms, 0.6 s, 0.7 s, 298.699 s. */
#define EXAMPLE_DETECT_SUM_US	300003500ULL

/*
 * The counters of newer kernels: uevents, 4 learned peers expired, and 5
 * verdicts in the detection
 * histogram (buckets 1, 2, 10 twice and the last one).
 */
static inline void put_stats_new(struct nlmsghdr *nlh)
{
	struct nlattr *hist = mnl_attr_nest_start(nlh,
						  HEARTBEAT_A_STATS_DETECT_HIST);
	unsigned int b;

	for (b = 0; b < HEARTBEAT_DETECT_BUCKETS; b++)
		mnl_attr_put_u64(nlh, b + 1, b == 1 || b == 2 ? 1 :
				 b == 10 ? 2 : b == 19 ? 1 : 0);
	mnl_attr_nest_end(nlh, hist);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_STATS_DETECT_COUNT, 5);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_STATS_DETECT_SUM_US,
			 EXAMPLE_DETECT_SUM_US);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_STATS_UEVENTS, 12);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_STATS_UEVENTS_LOST, 1);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_STATS_UEVENT_SEQ, 57);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_STATS_DEFERRED, 3);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_STATS_PEERS_EXPIRED, 4);
}

/* A device name with every character a label value must escape. */
#define ODD_IFNAME	"e\"1\\\nz"

static inline struct nlmsghdr *stats_reply_new(void *buf)
{
	struct nlmsghdr *nlh = stats_reply_with(buf, ODD_IFNAME,
						HEARTBEAT_DROP_MAX);

	put_stats_new(nlh);
	return nlh;
}

static inline struct nlmsghdr *event_state(void *buf, uint32_t peer,
					   uint8_t state, uint8_t prev)
{
	struct nlmsghdr *nlh = reply_start(buf, HEARTBEAT_CMD_PEER_EVENT);

	mnl_attr_put_u8(nlh, HEARTBEAT_A_EVENT_TYPE,
			HEARTBEAT_EVENT_PEER_STATE);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_EVENT_PEER, peer);
	mnl_attr_put_u8(nlh, HEARTBEAT_A_EVENT_STATE, state);
	mnl_attr_put_u8(nlh, HEARTBEAT_A_EVENT_PREV_STATE, prev);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_EVENT_TIME_NS, EXAMPLE_TIME_NS);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_EVENT_INCARNATION,
			 EXAMPLE_INCARNATION);
	return nlh;
}

/* A verdict of the phi detector: suspect -> dead at @phi thousandths. */
static inline struct nlmsghdr *event_state_phi(void *buf, uint32_t peer,
					       uint32_t phi)
{
	struct nlmsghdr *nlh = event_state(buf, peer, HEARTBEAT_STATE_DEAD,
					   HEARTBEAT_STATE_SUSPECT);

	mnl_attr_put_u32(nlh, HEARTBEAT_A_EVENT_PHI, phi);
	return nlh;
}

static inline struct nlmsghdr *event_restart(void *buf, uint32_t peer,
					     uint64_t inc, uint64_t prev)
{
	struct nlmsghdr *nlh = reply_start(buf, HEARTBEAT_CMD_PEER_EVENT);

	mnl_attr_put_u8(nlh, HEARTBEAT_A_EVENT_TYPE,
			HEARTBEAT_EVENT_PEER_RESTART);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_EVENT_PEER, peer);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_EVENT_TIME_NS, EXAMPLE_TIME_NS);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_EVENT_INCARNATION, inc);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_EVENT_PREV_INCARNATION, prev);
	return nlh;
}

/*
 * The quorum of the documentation: 3 of 5 votes with the lowest id
 * breaking ties; members 1 2 3. @expected 0 is quorum off.
 */
static inline struct nlmsghdr *quorum_reply(void *buf, uint32_t expected,
					    uint8_t quorate)
{
	struct nlmsghdr *nlh = reply_start(buf, HEARTBEAT_CMD_QUORUM_GET);
	struct nlattr *members;
	uint32_t id;

	mnl_attr_put_u32(nlh, HEARTBEAT_A_QUORUM_EXPECTED_VOTES, expected);
	mnl_attr_put_u8(nlh, HEARTBEAT_A_QUORUM_TIE_BREAKER,
			HEARTBEAT_TIE_BREAKER_LOWEST);
	mnl_attr_put_u8(nlh, HEARTBEAT_A_QUORUM_WAIT_FOR_ALL, 0);
	mnl_attr_put_u8(nlh, HEARTBEAT_A_QUORUM_QUORATE, quorate);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_QUORUM_VOTES, 3);
	members = mnl_attr_nest_start(nlh, HEARTBEAT_A_QUORUM_MEMBERS);
	for (id = 1; id <= 3; id++)
		mnl_attr_put_u32(nlh, 0, id);
	mnl_attr_nest_end(nlh, members);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_QUORUM_NODES, 5);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_QUORUM_CHANGES, 2);
	return nlh;
}

/* A quorum event: @votes of @expected, quorate or not. */
static inline struct nlmsghdr *event_quorum(void *buf, uint8_t quorate,
					    uint32_t votes, uint32_t expected)
{
	struct nlmsghdr *nlh = reply_start(buf, HEARTBEAT_CMD_PEER_EVENT);

	mnl_attr_put_u8(nlh, HEARTBEAT_A_EVENT_TYPE, HEARTBEAT_EVENT_QUORUM);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_EVENT_TIME_NS, EXAMPLE_TIME_NS);
	mnl_attr_put_u8(nlh, HEARTBEAT_A_EVENT_QUORATE, quorate);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_EVENT_VOTES, votes);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_EVENT_EXPECTED_VOTES, expected);
	return nlh;
}

/* One key of a HEARTBEAT_CMD_KEY_GET dump; never a secret. */
static inline struct nlmsghdr *key_reply(void *buf, uint32_t id,
					 bool signing)
{
	struct nlmsghdr *nlh = reply_start(buf, HEARTBEAT_CMD_KEY_GET);

	nlh->nlmsg_flags = NLM_F_MULTI;
	mnl_attr_put_u32(nlh, HEARTBEAT_A_KEY_ID, id);
	if (signing)
		mnl_attr_put(nlh, HEARTBEAT_A_KEY_SIGNING, 0, NULL);
	return nlh;
}

#endif /* HBCTL_TESTS_REPLIES_H */
