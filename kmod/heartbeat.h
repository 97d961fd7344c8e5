/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Internal declarations shared by the files of heartbeat.ko.
 *
 * Locking, outermost first:
 *   RTNL		links of every namespace (with hb_net.lock held too)
 *   hb_net.lock	node settings, links, administrator changes to peers
 *   hb_net.peers_lock	peer table and list (BH: peers are learned in softirq)
 *   hb_peer.lock	detector state and paths of one peer (BH)
 *   hb_net.quorum_lock	the quorum state (BH; taken under a peer's lock)
 *   hb_net.apps.lock	readiness gates (BH; under hb_net.lock, app.c)
 * Readers on the data path use RCU: links and peers are freed after a
 * grace period, and timers are cancelled before that.
 */
#ifndef _HEARTBEAT_H
#define _HEARTBEAT_H

#include <linux/atomic.h>
#include <linux/hashtable.h>
#include <linux/hrtimer.h>
#include <linux/if_ether.h>
#include <linux/interrupt.h>
#include <linux/kthread.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include <linux/types.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include <uapi/linux/heartbeat.h>

#include "app.h"
#include "budget.h"
#include "channel.h"
#include "detector.h"
#include "disk_layout.h"
#include "event.h"
#include "ident.h"
#include "expire.h"
#include "kcompat.h"
#include "names.h"
#include "probe.h"
#include "proto.h"
#include "view.h"

#define HEARTBEAT_MODULE_VERSION	"0.3.0"

#define HB_LINKS_MAX		HB_LINK_ID_MAX	/* links per node: an id each */
#define HB_PEER_PATHS		4	/* sequence streams tracked per peer */
#define HB_PEER_HASH_BITS	10

/* Settings of the local node; written under hb_net.lock. */
struct hb_node_config {
	u32 node_id;		/* 0 until an administrator sets it */
	u32 cluster_id;
	u32 interval_us;
	u32 fall;
	u32 rise;
	u32 grace_us;
	u32 slack_us;		/* 0: one interval of the peer */
	bool learn;
	u8 detector;		/* enum heartbeat_detector */
	u8 phi_model;		/* enum heartbeat_phi_model */
	u32 phi_threshold;	/* thousandths */
	u32 phi_warn;		/* thousandths, 0: none */
	u32 phi_window;		/* samples, for peers created from now on */
	u32 phi_min_stddev_us;
	u32 phi_pause_us;
	u8 auth;		/* enum heartbeat_auth */
	u32 auth_key;		/* id of the key that signs; 0: none */
	u32 max_peers;
	u32 learn_rate;		/* new peers a second; 0: no limit */
	u32 learn_expire_us;	/* learned peers dead or left this long go; 0: never */
	u32 gossip;		/* view entries per frame at most; 0: none */
	u32 probe_helpers;	/* members asked to probe a suspect peer */
	u32 min_links;		/* channels a peer needs to be alive */
	u8 last_words;		/* enum heartbeat_last_words */
};

/*
 * What the detector needs, derived from the settings whenever they change
 * and published by RCU, so every verdict sees one consistent set.
 */
struct hb_params {
	struct hb_det_params det;
	struct rcu_head rcu;
};

/* Why a verdict was held back, and how that ended (verdict_deferred). */
enum hb_defer_why {
	HB_DEFER_STALL,		/* our deadline timer fired late */
	HB_DEFER_CONSENSUS,	/* dead here, not yet confirmed by a quorum */
};

enum hb_defer_action {
	HB_DEFER_HOLD,
	HB_DEFER_APPLY,
	HB_DEFER_CANCEL,
};

/* Per-CPU counters of a node: one per drop reason, then these. */
enum {
	HB_STAT_TX = HEARTBEAT_DROP_MAX + 1,
	HB_STAT_RX,
	HB_STAT_DEFERRED,
	HB_STAT_MAC_SIGNED,
	HB_STAT_MAC_SIGN_NS,	/* time spent signing */
	HB_STAT_MAC_VERIFIED,
	HB_STAT_MAC_VERIFY_NS,	/* time spent checking MACs */
	HB_STAT_EXPIRED,	/* learned peers forgotten (expire.c) */
	HB_STAT_GOSSIP_TX,	/* view entries sent */
	HB_STAT_GOSSIP_RX,	/* view entries merged */
	HB_STAT_PROBES_TX,	/* probe.c: PROBE frames sent, relays included */
	HB_STAT_PROBES_ACKED,	/* probe.c: answers to our own probes */
	HB_STAT_COUNT
};

struct hb_stats {
	u64_stats_t ctr[HB_STAT_COUNT];
	struct u64_stats_sync syncp;
};

/* Per network namespace instance: each namespace is one cluster node. */
struct hb_net {
	struct net *net;
	struct mutex lock;	/* settings, links, admin changes to peers */
	struct hb_node_config config;
	struct hb_params __rcu *params;
	u64 incarnation;	/* set once per instance start */

	struct list_head links;	/* struct hb_link, RCU */
	unsigned int nlinks;
	/*
	 * The last sequence number each link id sent in this incarnation: a
	 * link added again under an id goes on from there, so that peers,
	 * which keep a mark per link id, hear it at once (RTNL).
	 */
	u64 link_seq[HB_LINKS_MAX + 1];
	/* Configured peers with a MAC: raised under hn->lock and RTNL. */
	unsigned int unicast_peers;

	spinlock_t peers_lock;	/* peer_hash, peers, npeers, learn_* */
	DECLARE_HASHTABLE(peer_hash, HB_PEER_HASH_BITS);
	struct list_head peers;	/* sorted by id, RCU */
	unsigned int npeers;
	u64 learn_credit_ns;	/* token bucket of learning, in time */
	u64 learn_last_ns;
	u32 echo_next;		/* the peer id our next echo starts at */

	struct list_head keys;	/* struct hb_key, RCU; written under lock */
	unsigned int nkeys;

	struct hb_stats __percpu *stats;

	/* Time from the last heartbeat to each verdict "dead" (ms buckets). */
	atomic64_t detect_hist[HEARTBEAT_DETECT_BUCKETS];
	atomic64_t detect_count;
	atomic64_t detect_sum_us;

	/* event.c: the events group's count, and the drops summary. */
	spinlock_t event_lock;	/* event_seq, and the order of the group */
	u64 event_seq;
	bool drops_live;	/* drops_timer may be armed */
	struct timer_list drops_timer;
	u64 drops_since_ns;	/* when the summary's period began */
	/* Written by the timer only. */
	u64 drops_reported[HEARTBEAT_DROP_MAX + 1];
	u64 drops_delta[HEARTBEAT_DROP_MAX + 1];

	/* uevent.c: queued in any context, sent in order from uevent_work. */
	spinlock_t uevent_lock;	/* the fields up to uevent_work */
	bool uevent_live;
	struct list_head uevent_queue;
	unsigned int uevent_queued;
	u64 uevent_seq;		/* HEARTBEAT_SEQ of the latest uevent */
	u64 uevents_sent;
	u64 uevents_lost;
	struct work_struct uevent_work;

	/* sysfs.c: /sys/kernel/heartbeat/instance, as seen from this netns. */
	struct hb_instance *instance;
	bool peer_dirs_live;	/* under peers_lock: peer_dirs_work may run */
	struct work_struct peer_dirs_work;
	struct xarray peer_dirs;	/* id -> struct hb_peer_dir, by the work */

	/* expire.c: forgets learned peers dead or left for learn_expire_us. */
	struct delayed_work expire_work;

	/* quorum.c: settings under lock; the state under quorum_lock. */
	struct hb_quorum_params quorum_params;
	spinlock_t quorum_lock;
	struct hb_quorum quorum;
	u32 quorum_changes;
	struct hrtimer view_timer;	/* soft: votes, quorum, verdicts */
	bool view_running;	/* under quorum_lock: the timer is armed */
	bool view_live;		/* under quorum_lock: it may be */
	u32 gossip_next;	/* the peer id our next gossip starts at */

	struct dentry *debugfs;

	/* disk.c: the shared-disk channel, under lock; its lease for quorum.c. */
	struct hb_disk *disk;
	u64 disk_held_ns;
	u32 disk_interval_us;
	/* Stopped by a poison pill: nothing is sent any more. */
	bool fenced;

	struct hb_probes probes;	/* probe.c: probes in flight */

	struct hb_apps apps;		/* app.c: readiness gates */
};

/* The node bound to one network device: one sender, one sequence stream. */
struct hb_link {
	struct list_head list;
	struct hb_net *hn;
	struct net_device *dev;
	netdevice_tracker dev_tracker;
	u16 id;
	u8 mode;		/* enum heartbeat_link_mode */
	u8 tx_context;			/* link.c: where it sends from */
	bool up;			/* as last reported: running, carrier (RTNL) */
	struct hrtimer tx_timer;	/* hard: hands periods on; soft: sends */
	struct tasklet_struct tx_work;	/* HI: sends ("tasklet") */
	struct kthread_work tx_kwork;	/* sends ("thread") */
	atomic64_t tx_due_ns;		/* the period tx_work serves, 0: none */
	struct hb_last_words *lw;	/* lastwords.c: armed for a panic (RTNL) */
	/* Written only by the tx timer and tx_work, or with them stopped. */
	u64 seq;
	u64 tx;
	u64 tx_errors;
	u64 tx_skipped;
	u64 tx_overruns;
	u64 late_max_ns;
	u64 late_hist[HEARTBEAT_LATE_BUCKETS];
	struct rcu_head rcu;
};

struct hb_peer {
	struct hlist_node hnode;
	struct list_head list;
	struct hb_net *hn;
	u32 id;
	struct hrtimer deadline;
	spinlock_t lock;	/* the fields below */
	bool dead;		/* unlinked: never re-arm the timer */
	bool configured;
	u64 state_ns;		/* when det.state last changed */
	int ifindex;		/* configured link, 0: any */
	u8 mac[ETH_ALEN];	/* configured unicast address, or zero */
	struct hb_det det;
	struct hb_phi_window window;	/* samples allocated with the peer */
	struct hb_ident ident;		/* incarnation, replay marks */
	struct hb_echo echo;		/* its latest frame, to echo back */
	struct hb_path paths[HB_PEER_PATHS];
	u64 lost_retired;	/* lost on paths no longer tracked */
	u8 state;		/* the cluster's verdict, as reported */
	bool consensus;		/* state dead is the quorum's verdict */
	u64 held_ns;		/* since when dead waits for consensus; 0: no */
	u64 stalled_ns;		/* since when a stall defers the verdict */
	bool dying;		/* its last frame was its last words */
	u8 dying_reason;	/* enum hb_dying_reason they gave */
	struct hb_view view;	/* what other members say of it */
	/*
	 * A configured peer we hear ourselves (alive or suspect here): its
	 * reports count. Read without the lock, by other peers' verdicts.
	 */
	bool direct;
	u64 direct_since_ns;	/* when direct last became true */
	struct hb_peer_probe probe;	/* probe.c: addresses, round trips */
	struct hb_channels chans;	/* where it is heard (channel.h) */
	bool not_ready;		/* app.c: its latest frame said NOT_READY */
	struct rcu_head rcu;
	u32 samples[];		/* of the phi window, sized at creation */
};

extern unsigned int hb_net_id;
extern unsigned short hb_ethertype;

static inline struct hb_net *hb_net(const struct net *net)
{
	return net_generic(net, hb_net_id);
}

/* Add to a drop reason or HB_STAT_* counter; callable from any context. */
static inline void hb_stats_add(struct hb_net *hn, unsigned int idx, u64 val)
{
	struct hb_stats *s = get_cpu_ptr(hn->stats);
	unsigned long flags;

	flags = u64_stats_update_begin_irqsave(&s->syncp);
	u64_stats_add(&s->ctr[idx], val);
	u64_stats_update_end_irqrestore(&s->syncp, flags);
	put_cpu_ptr(hn->stats);
}

static inline void hb_stats_inc(struct hb_net *hn, unsigned int idx)
{
	hb_stats_add(hn, idx, 1);
}

void hb_stats_read(struct hb_net *hn, u64 *sum);

/* A consistent copy of a peer, for reports. */
struct hb_peer_snapshot {
	u32 id;
	u8 state;		/* the cluster's verdict */
	u8 local;		/* ours: det.state, the disk and min-links */
	bool consensus;
	bool dying;		/* dead by its last words */
	u8 dying_reason;
	unsigned int heard_by_count;
	u32 heard_by[HB_VIEW_REPORTS];
	bool configured;
	int ifindex;
	u8 mac[ETH_ALEN];
	struct hb_det det;
	struct hb_phi_window window;	/* sums only: samples stay behind */
	struct hb_path paths[HB_PEER_PATHS];
	u64 lost;
	struct hb_channels chans;
	bool ready;		/* its latest frame did not say NOT_READY */
};

void hb_det_params_get(struct hb_net *hn, struct hb_det_params *p);
int hb_params_update(struct hb_net *hn, const struct hb_node_config *cfg);
u32 hb_phi_to_milli(u32 phi_q16);

/* netns.c */
int hb_netns_register(void);
void hb_netns_unregister(void);

/* link.c */
int hb_link_add(struct hb_net *hn, struct net_device *dev, u8 mode,
		struct netlink_ext_ack *extack);
void hb_link_del(struct hb_link *link, bool leave);
void hb_links_flush(struct hb_net *hn, bool leave);
void hb_links_restart(struct hb_net *hn);
void hb_link_tx_stop(struct hb_link *link);
void hb_tx_worker_exit(void);
struct hb_link *hb_link_find(struct hb_net *hn, int ifindex);
struct hb_link *hb_link_find_id(struct hb_net *hn, u16 id);
int hb_link_notifier_register(void);
void hb_link_notifier_unregister(void);
void hb_links_leave_all(void);

/* tx.c */
extern const u8 hb_group_mac[ETH_ALEN];
void hb_tx(struct hb_link *link, u8 type, u64 late_ns);
void hb_msg_of_link(const struct hb_link *link, u8 type, struct hb_msg *msg);
int hb_tx_one(struct hb_link *link, const u8 *dst, const u8 *msg,
	      unsigned int len);
void hb_tx_dying(struct hb_link *link, u8 reason);
unsigned int hb_dying_build(struct hb_link *link, u8 reason, u8 *buf,
			    unsigned int room);

/* lastwords.c */
int hb_lw_init(void);
void hb_lw_exit(void);
int hb_lw_arm(struct hb_link *link);
void hb_lw_disarm(struct hb_link *link);
void hb_lw_apply(struct hb_net *hn);

/* rx.c */
void hb_rx_register(void);
void hb_rx_unregister(void);

/* peer.c */
struct hb_peer *hb_peer_find_rcu(struct hb_net *hn, u32 id);
struct hb_peer *hb_peer_create(struct hb_net *hn, u32 id, bool learned,
			       gfp_t gfp, unsigned int *drop_reason);
void hb_peer_unlink(struct hb_peer *peer);
void hb_peer_free(struct hb_peer *peer);
void hb_peer_remove(struct hb_peer *peer);
void hb_peers_flush(struct hb_net *hn);
void hb_peers_rearm(struct hb_net *hn);
unsigned int hb_peers_echo(struct hb_net *hn, struct hb_echo *e);
void hb_peer_configure(struct hb_peer *peer, int ifindex, const u8 *mac);
void hb_peer_snapshot(struct hb_peer *peer, struct hb_peer_snapshot *s);
bool hb_peer_snapshot_id(struct hb_net *hn, u32 id, struct hb_peer_snapshot *s);
u32 hb_peer_phi_milli(struct hb_net *hn, const struct hb_peer_snapshot *s,
		      u64 now);
unsigned int hb_peer_rx(struct hb_net *hn, const struct hb_msg *msg,
			const struct hb_link *link, u64 now);
unsigned int hb_peers_gossip(struct hb_net *hn, struct hb_gossip *g,
			     unsigned int max, u16 *total, u16 *first);
void hb_peer_judge(struct hb_peer *peer, u64 now);
void hb_peer_direct_update(struct hb_peer *peer, u64 now);
void hb_peers_judge(struct hb_net *hn);
void hb_channel_name(struct hb_net *hn, u16 id, char *name, int *ifindex);
void hb_peers_channel_down(struct hb_net *hn, u16 link_id);
void hb_peers_channel_forget(struct hb_net *hn, u16 link_id);

/* disk.c */
struct hb_disk_cfg {
	const char *path;
	u64 offset;
	u32 slots;
	u32 interval_us;
};

int hb_disk_add(struct hb_net *hn, const struct hb_disk_cfg *cfg,
		struct netlink_ext_ack *extack);
void hb_disk_del(struct hb_net *hn);
int hb_disk_fill(struct sk_buff *skb, struct hb_net *hn);
int hb_disk_poison(struct hb_net *hn, u32 target, u64 incarnation,
		   struct netlink_ext_ack *extack);
bool hb_disk_lease_held(struct hb_net *hn, u64 now);

/* peer.c: a disk slot of node id moved at now; its channel holds timeout_ns. */
void hb_peer_disk_heard(struct hb_net *hn, u32 id, u64 now, u64 timeout_ns);
/* disk.c: a poison pill from node from was obeyed: stop sending. */
void hb_node_fenced(struct hb_net *hn, u32 from);

/* quorum.c */
void hb_quorum_net_init(struct hb_net *hn);
void hb_quorum_net_exit(struct hb_net *hn);
void hb_quorum_get(struct hb_net *hn, struct hb_quorum *q);
int hb_quorum_set(struct hb_net *hn, const struct hb_quorum_params *p,
		  struct netlink_ext_ack *extack);
int hb_quorum_peer_check(struct hb_net *hn, struct netlink_ext_ack *extack);
void hb_quorum_kick(struct hb_net *hn);
bool hb_member_live(void *hn, u32 id, u64 since);
unsigned int hb_quorum_members(struct hb_net *hn, u32 *ids, unsigned int max);

/*
 * probe.c: probe the peer directly and ask up to probe_helpers members to
 * probe it too, because it went suspect here. Any context.
 */
void hb_probe_suspect(struct hb_net *hn, u32 peer_id);

/*
 * peer.c: helper_id relayed an answer of peer_id to one of our probes at
 * now: it lives, though we may not hear it. Softirq.
 */
void hb_peer_heard_via(struct hb_net *hn, u32 peer_id, u32 helper_id, u64 now);

/* netlink.c */
int hb_genl_register(void);
void hb_genl_unregister(void);
/* A message of the family, for handlers in other files (app.c). */
void *hb_genl_put(struct sk_buff *skb, u32 portid, u32 seq, int flags, u8 cmd);

/* auth.c */
bool hb_key_exists(struct hb_net *hn, u32 id);
int hb_key_add(struct hb_net *hn, u32 id, const u8 *secret, unsigned int len,
	       struct netlink_ext_ack *extack);
int hb_key_del(struct hb_net *hn, u32 id, struct netlink_ext_ack *extack);
void hb_keys_flush(struct hb_net *hn);
u32 hb_key_next(struct hb_net *hn, u32 prev, bool *signing);
u16 hb_auth_disk_key(struct hb_net *hn);
void hb_auth_disk_sign(struct hb_net *hn, u16 key_id, const u8 *data,
		       unsigned int len, u8 *mac);
bool hb_auth_disk_check(struct hb_net *hn, u16 key_id, const u8 *data,
			unsigned int len, const u8 *mac);
unsigned int hb_auth_sign(struct hb_net *hn, u8 *buf, unsigned int len);
unsigned int hb_auth_check(struct hb_net *hn, const u8 *buf,
			   const struct hb_msg *msg);
bool hb_auth_fresh(struct hb_net *hn, const struct hb_msg *msg);
void hb_auth_fault_init(void);
void hb_auth_fault_exit(void);

/* uevent.c */
void hb_uevent_net_init(struct hb_net *hn);
void hb_uevent_net_exit(struct hb_net *hn);

/* sysfs.c */
int hb_sysfs_init(void);
void hb_sysfs_exit(void);
int hb_sysfs_net_init(struct hb_net *hn);
void hb_sysfs_net_exit(struct hb_net *hn);
void hb_sysfs_peers_changed(struct hb_net *hn);
int hb_sysfs_uevent(struct hb_net *hn, char *envp[]);

/* debugfs.c */
void hb_debugfs_init(void);
void hb_debugfs_exit(void);
void hb_debugfs_net_init(struct hb_net *hn);
void hb_debugfs_net_exit(struct hb_net *hn);

#endif /* _HEARTBEAT_H */
