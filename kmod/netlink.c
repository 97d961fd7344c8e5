// SPDX-License-Identifier: GPL-2.0-only
/*
 * The "heartbeat" generic netlink family: configuration, state and events.
 *
 * Every operation has a strict policy of its own; operations that change
 * state require CAP_NET_ADMIN in the user namespace owning the caller's
 * network namespace (GENL_UNS_ADMIN_PERM), so a container root may manage
 * its own namespace but nobody else's. What its senders may cost is bounded
 * in budget.c: floors for callers without CAP_NET_ADMIN in the initial user
 * namespace, and one transmit budget for all namespaces.
 */
#include <linux/etherdevice.h>
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "heartbeat.h"

/* 6.1's policy takes ranges through a non-const pointer. */
#define HB_RANGE(_name, _min, _max)					\
	static struct netlink_range_validation _name __ro_after_init = {	\
		.min = (_min),						\
		.max = (_max),						\
	}

HB_RANGE(hb_interval_range, HEARTBEAT_INTERVAL_MIN_US, HEARTBEAT_INTERVAL_MAX_US);
HB_RANGE(hb_grace_range, 0, HEARTBEAT_GRACE_MAX_US);
HB_RANGE(hb_slack_range, 0, HEARTBEAT_SLACK_MAX_US);
HB_RANGE(hb_phi_range, HEARTBEAT_PHI_THRESHOLD_MIN, HEARTBEAT_PHI_THRESHOLD_MAX);
HB_RANGE(hb_phi_range_or_off, 0, HEARTBEAT_PHI_THRESHOLD_MAX);
HB_RANGE(hb_phi_window_range, HEARTBEAT_PHI_WINDOW_MIN, HEARTBEAT_PHI_WINDOW_MAX);
HB_RANGE(hb_key_id_range, 1, HEARTBEAT_KEY_ID_MAX);
HB_RANGE(hb_key_id_range_or_none, 0, HEARTBEAT_KEY_ID_MAX);
HB_RANGE(hb_max_peers_range, 1, HEARTBEAT_PEERS_MAX);
HB_RANGE(hb_learn_rate_range, 0, HEARTBEAT_LEARN_RATE_MAX);
HB_RANGE(hb_learn_expire_range, 0, HEARTBEAT_LEARN_EXPIRE_MAX_US);
HB_RANGE(hb_min_links_range, 1, HEARTBEAT_CHANNELS_MAX);
HB_RANGE(hb_disk_slots_range, HEARTBEAT_DISK_SLOTS_MIN, HEARTBEAT_DISK_SLOTS_MAX);
HB_RANGE(hb_disk_interval_range, HEARTBEAT_DISK_INTERVAL_MIN_US,
	 HEARTBEAT_DISK_INTERVAL_MAX_US);

/* Commands that take no attribute still get a policy covering maxattr. */
static const struct nla_policy hb_node_get_policy[HEARTBEAT_A_NODE_MAX + 1] = {
};

static const struct nla_policy hb_stats_policy[HEARTBEAT_A_STATS_MAX + 1] = {
};

static const struct nla_policy hb_node_set_policy[HEARTBEAT_A_NODE_MAX + 1] = {
	[HEARTBEAT_A_NODE_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[HEARTBEAT_A_NODE_CLUSTER] = { .type = NLA_U32 },
	[HEARTBEAT_A_NODE_INCARNATION] = {
		.type = NLA_REJECT,
		.reject_message = "the incarnation is read-only",
	},
	[HEARTBEAT_A_NODE_INTERVAL_US] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &hb_interval_range),
	[HEARTBEAT_A_NODE_FALL] = NLA_POLICY_RANGE(NLA_U32, 1, HEARTBEAT_FALL_MAX),
	[HEARTBEAT_A_NODE_RISE] = NLA_POLICY_RANGE(NLA_U32, 1, HEARTBEAT_RISE_MAX),
	[HEARTBEAT_A_NODE_GRACE_US] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &hb_grace_range),
	[HEARTBEAT_A_NODE_LEARN] = NLA_POLICY_MAX(NLA_U8, 1),
	[HEARTBEAT_A_NODE_SLACK_US] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &hb_slack_range),
	[HEARTBEAT_A_NODE_DETECTOR] =
		NLA_POLICY_MAX(NLA_U8, HEARTBEAT_DETECTOR_PHI),
	[HEARTBEAT_A_NODE_PHI_MODEL] =
		NLA_POLICY_MAX(NLA_U8, HEARTBEAT_PHI_EXPONENTIAL),
	[HEARTBEAT_A_NODE_PHI_THRESHOLD] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &hb_phi_range),
	/* 0 (no warning level) or a threshold; checked in hb_nl_node_set(). */
	[HEARTBEAT_A_NODE_PHI_WARN] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &hb_phi_range_or_off),
	[HEARTBEAT_A_NODE_PHI_WINDOW] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &hb_phi_window_range),
	[HEARTBEAT_A_NODE_PHI_MIN_STDDEV_US] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &hb_slack_range),
	[HEARTBEAT_A_NODE_PHI_PAUSE_US] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &hb_slack_range),
	[HEARTBEAT_A_NODE_AUTH] = NLA_POLICY_MAX(NLA_U8, HEARTBEAT_AUTH_REQUIRED),
	[HEARTBEAT_A_NODE_AUTH_KEY] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &hb_key_id_range_or_none),
	[HEARTBEAT_A_NODE_MAX_PEERS] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &hb_max_peers_range),
	[HEARTBEAT_A_NODE_LEARN_RATE] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &hb_learn_rate_range),
	/* 0 (never) or at least a second; checked in hb_node_check(). */
	[HEARTBEAT_A_NODE_LEARN_EXPIRE_US] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &hb_learn_expire_range),
	[HEARTBEAT_A_NODE_GOSSIP] =
		NLA_POLICY_MAX(NLA_U32, HEARTBEAT_GOSSIP_MAX),
	[HEARTBEAT_A_NODE_PROBE_HELPERS] =
		NLA_POLICY_MAX(NLA_U32, HEARTBEAT_PROBE_HELPERS_MAX),
	[HEARTBEAT_A_NODE_MIN_LINKS] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &hb_min_links_range),
	[HEARTBEAT_A_NODE_LAST_WORDS] =
		NLA_POLICY_MAX(NLA_U8, HEARTBEAT_LAST_WORDS_ON),
};

static const struct nla_policy hb_key_policy[HEARTBEAT_A_KEY_MAX + 1] = {
	[HEARTBEAT_A_KEY_ID] = NLA_POLICY_FULL_RANGE(NLA_U32, &hb_key_id_range),
	[HEARTBEAT_A_KEY_SECRET] = NLA_POLICY_RANGE(NLA_BINARY,
						    HEARTBEAT_KEY_SECRET_MIN,
						    HEARTBEAT_KEY_SECRET_MAX),
	[HEARTBEAT_A_KEY_SIGNING] = {
		.type = NLA_REJECT,
		.reject_message = "choose the signing key with the node's auth-key",
	},
};

static const struct nla_policy hb_quorum_get_policy[HEARTBEAT_A_QUORUM_MAX + 1] = {
};

static const struct nla_policy hb_disk_get_policy[HEARTBEAT_A_DISK_MAX + 1] = {
};

/* Read-only counters and states are refused in requests. */
#define HB_DISK_READ_ONLY						\
	{ .type = NLA_REJECT, .reject_message = "read-only disk attribute" }

static const struct nla_policy hb_disk_policy[HEARTBEAT_A_DISK_MAX + 1] = {
	[HEARTBEAT_A_DISK_PATH] = { .type = NLA_NUL_STRING,
				    .len = HEARTBEAT_DISK_PATH_MAX },
	[HEARTBEAT_A_DISK_OFFSET] = { .type = NLA_U64 },
	[HEARTBEAT_A_DISK_SLOTS] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &hb_disk_slots_range),
	[HEARTBEAT_A_DISK_INTERVAL_US] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &hb_disk_interval_range),
	[HEARTBEAT_A_DISK_UP] = HB_DISK_READ_ONLY,
	[HEARTBEAT_A_DISK_SLOT] = HB_DISK_READ_ONLY,
	[HEARTBEAT_A_DISK_SEQ] = HB_DISK_READ_ONLY,
	[HEARTBEAT_A_DISK_WRITES] = HB_DISK_READ_ONLY,
	[HEARTBEAT_A_DISK_READS] = HB_DISK_READ_ONLY,
	[HEARTBEAT_A_DISK_IO_ERRORS] = HB_DISK_READ_ONLY,
	[HEARTBEAT_A_DISK_CORRUPT] = HB_DISK_READ_ONLY,
	[HEARTBEAT_A_DISK_CONFLICTS] = HB_DISK_READ_ONLY,
	[HEARTBEAT_A_DISK_BAD_MAC] = HB_DISK_READ_ONLY,
	[HEARTBEAT_A_DISK_LEASE_HOLDER] = HB_DISK_READ_ONLY,
	[HEARTBEAT_A_DISK_LEASE_HELD] = HB_DISK_READ_ONLY,
	[HEARTBEAT_A_DISK_FENCED] = HB_DISK_READ_ONLY,
	[HEARTBEAT_A_DISK_PEER] = NLA_POLICY_MIN(NLA_U32, 1),
};

static const struct nla_policy hb_quorum_set_policy[HEARTBEAT_A_QUORUM_MAX + 1] = {
	[HEARTBEAT_A_QUORUM_EXPECTED_VOTES] =
		NLA_POLICY_MAX(NLA_U32, HEARTBEAT_VOTES_MAX),
	[HEARTBEAT_A_QUORUM_TIE_BREAKER] =
		NLA_POLICY_MAX(NLA_U8, HEARTBEAT_TIE_BREAKER_DISK),
	[HEARTBEAT_A_QUORUM_WAIT_FOR_ALL] = NLA_POLICY_MAX(NLA_U8, 1),
	[HEARTBEAT_A_QUORUM_QUORATE] = {
		.type = NLA_REJECT,
		.reject_message = "quorate is the quorum's to decide",
	},
	[HEARTBEAT_A_QUORUM_VOTES] = {
		.type = NLA_REJECT,
		.reject_message = "votes are counted, not set",
	},
	[HEARTBEAT_A_QUORUM_MEMBERS] = {
		.type = NLA_REJECT,
		.reject_message = "members are the configured peers: add or delete peers",
	},
	[HEARTBEAT_A_QUORUM_NODES] = {
		.type = NLA_REJECT,
		.reject_message = "nodes are the configured peers: add or delete peers",
	},
	[HEARTBEAT_A_QUORUM_CHANGES] = {
		.type = NLA_REJECT,
		.reject_message = "changes is a counter",
	},
};

static const struct nla_policy hb_link_policy[HEARTBEAT_A_LINK_MAX + 1] = {
	[HEARTBEAT_A_LINK_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[HEARTBEAT_A_LINK_MODE] = NLA_POLICY_MAX(NLA_U8, HEARTBEAT_LINK_UNICAST),
	[HEARTBEAT_A_LINK_LAST_WORDS] = {
		.type = NLA_REJECT,
		.reject_message = "last words are the node's setting (last-words)",
	},
};

static const struct nla_policy hb_peer_policy[HEARTBEAT_A_PEER_MAX + 1] = {
	[HEARTBEAT_A_PEER_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[HEARTBEAT_A_PEER_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[HEARTBEAT_A_PEER_MAC] = NLA_POLICY_ETH_ADDR,
};

static const struct nla_policy hb_probe_policy[HEARTBEAT_A_PROBE_MAX + 1] = {
	[HEARTBEAT_A_PROBE_PEER] = NLA_POLICY_MIN(NLA_U32, 1),
	[HEARTBEAT_A_PROBE_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[HEARTBEAT_A_PROBE_TOKEN] = {
		.type = NLA_REJECT,
		.reject_message = "the token is chosen by the kernel",
	},
};

static struct genl_family hb_genl_family;

/* Events go out only while the family is registered (see hb_genl_unregister). */
static bool hb_events_live;

static void *hb_put_header(struct sk_buff *skb, const struct genl_info *info,
			   u8 cmd)
{
	return genlmsg_put(skb, info->snd_portid, info->snd_seq,
			   &hb_genl_family, 0, cmd);
}

static int hb_reply_new(struct genl_info *info, size_t size, u8 cmd,
			struct sk_buff **msgp, void **hdrp)
{
	*msgp = genlmsg_new(size, GFP_KERNEL);
	if (!*msgp)
		return -ENOMEM;
	*hdrp = hb_put_header(*msgp, info, cmd);
	if (!*hdrp) {
		nlmsg_free(*msgp);
		return -EMSGSIZE;
	}
	return 0;
}

static int hb_reply_send(struct genl_info *info, struct sk_buff *msg,
			 void *hdr, int err)
{
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/* ---- node ---------------------------------------------------------- */

static int hb_node_fill(struct sk_buff *skb, struct hb_net *hn)
{
	const struct hb_node_config *cfg = &hn->config;

	if (nla_put_u32(skb, HEARTBEAT_A_NODE_ID, cfg->node_id) ||
	    nla_put_u32(skb, HEARTBEAT_A_NODE_CLUSTER, cfg->cluster_id) ||
	    nla_put_u64_64bit(skb, HEARTBEAT_A_NODE_INCARNATION,
			      hn->incarnation, HEARTBEAT_A_NODE_PAD) ||
	    nla_put_u32(skb, HEARTBEAT_A_NODE_INTERVAL_US, cfg->interval_us) ||
	    nla_put_u32(skb, HEARTBEAT_A_NODE_FALL, cfg->fall) ||
	    nla_put_u32(skb, HEARTBEAT_A_NODE_RISE, cfg->rise) ||
	    nla_put_u32(skb, HEARTBEAT_A_NODE_GRACE_US, cfg->grace_us) ||
	    nla_put_u8(skb, HEARTBEAT_A_NODE_LEARN, cfg->learn) ||
	    nla_put_u32(skb, HEARTBEAT_A_NODE_SLACK_US, cfg->slack_us) ||
	    nla_put_u8(skb, HEARTBEAT_A_NODE_DETECTOR, cfg->detector) ||
	    nla_put_u8(skb, HEARTBEAT_A_NODE_PHI_MODEL, cfg->phi_model) ||
	    nla_put_u32(skb, HEARTBEAT_A_NODE_PHI_THRESHOLD, cfg->phi_threshold) ||
	    nla_put_u32(skb, HEARTBEAT_A_NODE_PHI_WARN, cfg->phi_warn) ||
	    nla_put_u32(skb, HEARTBEAT_A_NODE_PHI_WINDOW, cfg->phi_window) ||
	    nla_put_u32(skb, HEARTBEAT_A_NODE_PHI_MIN_STDDEV_US,
			cfg->phi_min_stddev_us) ||
	    nla_put_u32(skb, HEARTBEAT_A_NODE_PHI_PAUSE_US, cfg->phi_pause_us) ||
	    nla_put_u8(skb, HEARTBEAT_A_NODE_AUTH, cfg->auth) ||
	    nla_put_u32(skb, HEARTBEAT_A_NODE_AUTH_KEY, cfg->auth_key) ||
	    nla_put_u32(skb, HEARTBEAT_A_NODE_MAX_PEERS, cfg->max_peers) ||
	    nla_put_u32(skb, HEARTBEAT_A_NODE_LEARN_RATE, cfg->learn_rate) ||
	    nla_put_u32(skb, HEARTBEAT_A_NODE_LEARN_EXPIRE_US,
			cfg->learn_expire_us) ||
	    nla_put_u32(skb, HEARTBEAT_A_NODE_GOSSIP, cfg->gossip) ||
	    nla_put_u32(skb, HEARTBEAT_A_NODE_PROBE_HELPERS,
			cfg->probe_helpers) ||
	    nla_put_u32(skb, HEARTBEAT_A_NODE_MIN_LINKS, cfg->min_links) ||
	    nla_put_u8(skb, HEARTBEAT_A_NODE_LAST_WORDS, cfg->last_words))
		return -EMSGSIZE;
	return 0;
}

static int hb_nl_node_get(struct sk_buff *skb, struct genl_info *info)
{
	struct hb_net *hn = hb_net(genl_info_net(info));
	struct sk_buff *msg;
	void *hdr;
	int err;

	err = hb_reply_new(info, NLMSG_DEFAULT_SIZE, HEARTBEAT_CMD_NODE_GET,
			   &msg, &hdr);
	if (err)
		return err;
	mutex_lock(&hn->lock);
	err = hb_node_fill(msg, hn);
	mutex_unlock(&hn->lock);
	return hb_reply_send(info, msg, hdr, err);
}

static void hb_node_apply(struct hb_node_config *cfg, struct nlattr **attrs)
{
	if (attrs[HEARTBEAT_A_NODE_ID])
		cfg->node_id = nla_get_u32(attrs[HEARTBEAT_A_NODE_ID]);
	if (attrs[HEARTBEAT_A_NODE_CLUSTER])
		cfg->cluster_id = nla_get_u32(attrs[HEARTBEAT_A_NODE_CLUSTER]);
	if (attrs[HEARTBEAT_A_NODE_INTERVAL_US])
		cfg->interval_us =
			nla_get_u32(attrs[HEARTBEAT_A_NODE_INTERVAL_US]);
	if (attrs[HEARTBEAT_A_NODE_FALL])
		cfg->fall = nla_get_u32(attrs[HEARTBEAT_A_NODE_FALL]);
	if (attrs[HEARTBEAT_A_NODE_RISE])
		cfg->rise = nla_get_u32(attrs[HEARTBEAT_A_NODE_RISE]);
	if (attrs[HEARTBEAT_A_NODE_GRACE_US])
		cfg->grace_us = nla_get_u32(attrs[HEARTBEAT_A_NODE_GRACE_US]);
	if (attrs[HEARTBEAT_A_NODE_LEARN])
		cfg->learn = nla_get_u8(attrs[HEARTBEAT_A_NODE_LEARN]);
	if (attrs[HEARTBEAT_A_NODE_SLACK_US])
		cfg->slack_us = nla_get_u32(attrs[HEARTBEAT_A_NODE_SLACK_US]);
	if (attrs[HEARTBEAT_A_NODE_DETECTOR])
		cfg->detector = nla_get_u8(attrs[HEARTBEAT_A_NODE_DETECTOR]);
	if (attrs[HEARTBEAT_A_NODE_PHI_MODEL])
		cfg->phi_model = nla_get_u8(attrs[HEARTBEAT_A_NODE_PHI_MODEL]);
	if (attrs[HEARTBEAT_A_NODE_PHI_THRESHOLD])
		cfg->phi_threshold =
			nla_get_u32(attrs[HEARTBEAT_A_NODE_PHI_THRESHOLD]);
	if (attrs[HEARTBEAT_A_NODE_PHI_WARN])
		cfg->phi_warn = nla_get_u32(attrs[HEARTBEAT_A_NODE_PHI_WARN]);
	if (attrs[HEARTBEAT_A_NODE_PHI_WINDOW])
		cfg->phi_window = nla_get_u32(attrs[HEARTBEAT_A_NODE_PHI_WINDOW]);
	if (attrs[HEARTBEAT_A_NODE_PHI_MIN_STDDEV_US])
		cfg->phi_min_stddev_us =
			nla_get_u32(attrs[HEARTBEAT_A_NODE_PHI_MIN_STDDEV_US]);
	if (attrs[HEARTBEAT_A_NODE_PHI_PAUSE_US])
		cfg->phi_pause_us =
			nla_get_u32(attrs[HEARTBEAT_A_NODE_PHI_PAUSE_US]);
	if (attrs[HEARTBEAT_A_NODE_AUTH])
		cfg->auth = nla_get_u8(attrs[HEARTBEAT_A_NODE_AUTH]);
	if (attrs[HEARTBEAT_A_NODE_AUTH_KEY])
		cfg->auth_key = nla_get_u32(attrs[HEARTBEAT_A_NODE_AUTH_KEY]);
	if (attrs[HEARTBEAT_A_NODE_MAX_PEERS])
		cfg->max_peers = nla_get_u32(attrs[HEARTBEAT_A_NODE_MAX_PEERS]);
	if (attrs[HEARTBEAT_A_NODE_LEARN_RATE])
		cfg->learn_rate = nla_get_u32(attrs[HEARTBEAT_A_NODE_LEARN_RATE]);
	if (attrs[HEARTBEAT_A_NODE_LEARN_EXPIRE_US])
		cfg->learn_expire_us =
			nla_get_u32(attrs[HEARTBEAT_A_NODE_LEARN_EXPIRE_US]);
	if (attrs[HEARTBEAT_A_NODE_GOSSIP])
		cfg->gossip = nla_get_u32(attrs[HEARTBEAT_A_NODE_GOSSIP]);
	if (attrs[HEARTBEAT_A_NODE_PROBE_HELPERS])
		cfg->probe_helpers =
			nla_get_u32(attrs[HEARTBEAT_A_NODE_PROBE_HELPERS]);
	if (attrs[HEARTBEAT_A_NODE_MIN_LINKS])
		cfg->min_links = nla_get_u32(attrs[HEARTBEAT_A_NODE_MIN_LINKS]);
	if (attrs[HEARTBEAT_A_NODE_LAST_WORDS])
		cfg->last_words = nla_get_u8(attrs[HEARTBEAT_A_NODE_LAST_WORDS]);
}

/* Settings that depend on each other or on keys; hn->lock held. */
static int hb_node_check(struct hb_net *hn, const struct hb_node_config *cfg,
			 struct nlattr **attrs, struct netlink_ext_ack *extack)
{
	if (cfg->phi_warn && cfg->phi_warn < HEARTBEAT_PHI_THRESHOLD_MIN) {
		NL_SET_ERR_MSG_ATTR(extack, attrs[HEARTBEAT_A_NODE_PHI_WARN],
				    "phi warning level must be 0 (off) or at least 0.1");
		return -ERANGE;
	}
	if (cfg->learn_expire_us &&
	    cfg->learn_expire_us < HEARTBEAT_LEARN_EXPIRE_MIN_US) {
		NL_SET_ERR_MSG_ATTR(extack,
				    attrs[HEARTBEAT_A_NODE_LEARN_EXPIRE_US],
				    "learn-expire must be 0 (never) or at least 1s");
		return -ERANGE;
	}
	if (cfg->auth_key && !hb_key_exists(hn, cfg->auth_key)) {
		NL_SET_ERR_MSG_ATTR(extack, attrs[HEARTBEAT_A_NODE_AUTH_KEY],
				    "no key with this id: add it first");
		return -ENOENT;
	}
	if (cfg->auth != HEARTBEAT_AUTH_OFF && !cfg->auth_key) {
		NL_SET_ERR_MSG_ATTR(extack, attrs[HEARTBEAT_A_NODE_AUTH],
				    "authentication needs a signing key: set auth-key");
		return -EINVAL;
	}
	return 0;
}

/* A shorter interval: its floor and the transmit budget; RTNL, hn->lock held. */
static int hb_node_cost_check(const struct sk_buff *skb, struct hb_net *hn,
			      const struct hb_node_config *cfg,
			      struct netlink_ext_ack *extack)
{
	struct hb_budget_change chg = { .interval_us = cfg->interval_us };
	int err;

	err = hb_floor_interval(skb, cfg->interval_us, hn->config.interval_us,
				extack);
	return err ?: hb_budget_check(hn, &chg, extack);
}

static int hb_nl_node_set(struct sk_buff *skb, struct genl_info *info)
{
	struct hb_net *hn = hb_net(genl_info_net(info));
	struct nlattr **attrs = info->attrs;
	struct hb_node_config cfg;
	bool new_interval, new_expire, new_min_links, taken;
	int i, err;

	for (i = HEARTBEAT_A_NODE_UNSPEC + 1; i <= HEARTBEAT_A_NODE_MAX; i++)
		if (attrs[i])
			break;
	if (i > HEARTBEAT_A_NODE_MAX) {
		NL_SET_ERR_MSG(info->extack, "no node setting given");
		return -EINVAL;
	}

	rtnl_lock();
	mutex_lock(&hn->lock);
	cfg = hn->config;
	hb_node_apply(&cfg, attrs);
	rcu_read_lock();
	taken = attrs[HEARTBEAT_A_NODE_ID] &&
		cfg.node_id != hn->config.node_id &&
		hb_peer_find_rcu(hn, cfg.node_id);
	rcu_read_unlock();
	if (taken) {
		NL_SET_ERR_MSG_ATTR(info->extack, attrs[HEARTBEAT_A_NODE_ID],
				    "a peer has this node id");
		err = -EEXIST;
		goto out;
	}
	err = hb_node_check(hn, &cfg, attrs, info->extack);
	if (err)
		goto out;
	err = hb_node_cost_check(skb, hn, &cfg, info->extack);
	if (err)
		goto out;
	err = hb_params_update(hn, &cfg);
	if (err)
		goto out;
	new_interval = cfg.interval_us != hn->config.interval_us;
	new_expire = cfg.learn_expire_us != hn->config.learn_expire_us;
	new_min_links = cfg.min_links != hn->config.min_links;
	/* The data path reads single fields: publish them one by one. */
	WRITE_ONCE(hn->config.node_id, cfg.node_id);
	WRITE_ONCE(hn->config.cluster_id, cfg.cluster_id);
	WRITE_ONCE(hn->config.interval_us, cfg.interval_us);
	WRITE_ONCE(hn->config.fall, cfg.fall);
	WRITE_ONCE(hn->config.rise, cfg.rise);
	WRITE_ONCE(hn->config.grace_us, cfg.grace_us);
	WRITE_ONCE(hn->config.learn, cfg.learn);
	WRITE_ONCE(hn->config.slack_us, cfg.slack_us);
	WRITE_ONCE(hn->config.phi_window, cfg.phi_window);
	WRITE_ONCE(hn->config.auth_key, cfg.auth_key);
	WRITE_ONCE(hn->config.auth, cfg.auth);
	WRITE_ONCE(hn->config.max_peers, cfg.max_peers);
	WRITE_ONCE(hn->config.learn_rate, cfg.learn_rate);
	WRITE_ONCE(hn->config.learn_expire_us, cfg.learn_expire_us);
	WRITE_ONCE(hn->config.gossip, cfg.gossip);
	WRITE_ONCE(hn->config.probe_helpers, cfg.probe_helpers);
	WRITE_ONCE(hn->config.min_links, cfg.min_links);
	WRITE_ONCE(hn->config.last_words, cfg.last_words);
	/* The data path sees these through hn->params only. */
	hn->config.detector = cfg.detector;
	hn->config.phi_model = cfg.phi_model;
	hn->config.phi_threshold = cfg.phi_threshold;
	hn->config.phi_warn = cfg.phi_warn;
	hn->config.phi_min_stddev_us = cfg.phi_min_stddev_us;
	hn->config.phi_pause_us = cfg.phi_pause_us;
	if (new_interval)
		hb_links_restart(hn);
	hb_peers_rearm(hn);
	if (new_expire)
		hb_expire_reschedule(hn);
	if (new_min_links)
		hb_peers_judge(hn);
	hb_lw_apply(hn);
	hb_event_node(hn);
out:
	mutex_unlock(&hn->lock);
	rtnl_unlock();
	return err;
}

/* ---- links --------------------------------------------------------- */

/*
 * Nests of u64 indexed by bucket or reason use every type from 1 up, so
 * where 64-bit values need aligning they are padded with type 0.
 */
#define HB_NEST_PAD	0

static int hb_late_hist_fill(struct sk_buff *skb, const struct hb_link *link)
{
	struct nlattr *nest;
	int b;

	nest = nla_nest_start(skb, HEARTBEAT_A_LINK_LATE_HIST);
	if (!nest)
		return -EMSGSIZE;
	for (b = 0; b < HEARTBEAT_LATE_BUCKETS; b++)
		if (nla_put_u64_64bit(skb, b + 1, READ_ONCE(link->late_hist[b]),
				      HB_NEST_PAD))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int hb_link_fill(struct sk_buff *skb, const struct hb_link *link,
			bool hist)
{
	const struct net_device *dev = link->dev;

	if (nla_put_u32(skb, HEARTBEAT_A_LINK_IFINDEX, dev->ifindex) ||
	    nla_put_string(skb, HEARTBEAT_A_LINK_IFNAME, dev->name) ||
	    nla_put_u32(skb, HEARTBEAT_A_LINK_ID, link->id) ||
	    nla_put_u8(skb, HEARTBEAT_A_LINK_MODE, link->mode) ||
	    nla_put_u8(skb, HEARTBEAT_A_LINK_UP,
		       netif_running(dev) && netif_carrier_ok(dev)) ||
	    nla_put_u64_64bit(skb, HEARTBEAT_A_LINK_TX, READ_ONCE(link->tx),
			      HEARTBEAT_A_LINK_PAD) ||
	    nla_put_u64_64bit(skb, HEARTBEAT_A_LINK_TX_ERRORS,
			      READ_ONCE(link->tx_errors), HEARTBEAT_A_LINK_PAD) ||
	    nla_put_u64_64bit(skb, HEARTBEAT_A_LINK_TX_SKIPPED,
			      READ_ONCE(link->tx_skipped), HEARTBEAT_A_LINK_PAD) ||
	    nla_put_u64_64bit(skb, HEARTBEAT_A_LINK_TX_OVERRUNS,
			      READ_ONCE(link->tx_overruns), HEARTBEAT_A_LINK_PAD) ||
	    nla_put_u64_64bit(skb, HEARTBEAT_A_LINK_LATE_MAX_NS,
			      READ_ONCE(link->late_max_ns), HEARTBEAT_A_LINK_PAD) ||
	    nla_put_u8(skb, HEARTBEAT_A_LINK_LAST_WORDS, !!READ_ONCE(link->lw)))
		return -EMSGSIZE;
	return hist ? hb_late_hist_fill(skb, link) : 0;
}

static struct net_device *hb_link_dev(struct net *net, struct genl_info *info)
{
	struct nlattr *attr = info->attrs[HEARTBEAT_A_LINK_IFINDEX];
	struct net_device *dev;

	if (!attr) {
		NL_SET_ERR_MSG(info->extack, "a device (ifindex) is required");
		return ERR_PTR(-EINVAL);
	}
	dev = __dev_get_by_index(net, nla_get_u32(attr));
	if (!dev) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr, "no such device");
		return ERR_PTR(-ENODEV);
	}
	return dev;
}

/* One more sender within the transmit budget? RTNL, hn->lock held. */
static int hb_link_cost_check(struct hb_net *hn, struct net_device *dev,
			      u8 mode, struct netlink_ext_ack *extack)
{
	struct hb_budget_change chg = {
		.interval_us = hn->config.interval_us,
		.links = 1,
		.unicast = mode == HEARTBEAT_LINK_UNICAST,
	};

	/* hb_link_add() explains why an existing link cannot be added. */
	if (hb_link_find(hn, dev->ifindex))
		return 0;
	return hb_budget_check(hn, &chg, extack);
}

static int hb_nl_link_add(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct hb_net *hn = hb_net(net);
	u8 mode = HEARTBEAT_LINK_MULTICAST;
	struct net_device *dev;
	int err;

	if (info->attrs[HEARTBEAT_A_LINK_MODE])
		mode = nla_get_u8(info->attrs[HEARTBEAT_A_LINK_MODE]);
	rtnl_lock();
	mutex_lock(&hn->lock);
	dev = hb_link_dev(net, info);
	err = IS_ERR(dev) ? PTR_ERR(dev) : hb_link_cost_check(hn, dev, mode,
							      info->extack);
	if (!err)
		err = hb_link_add(hn, dev, mode, info->extack);
	mutex_unlock(&hn->lock);
	rtnl_unlock();
	return err;
}

static int hb_nl_link_del(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct hb_net *hn = hb_net(net);
	struct net_device *dev;
	struct hb_link *link;
	int err = 0;

	rtnl_lock();
	mutex_lock(&hn->lock);
	dev = hb_link_dev(net, info);
	if (IS_ERR(dev)) {
		err = PTR_ERR(dev);
		goto out;
	}
	link = hb_link_find(hn, dev->ifindex);
	if (!link) {
		NL_SET_ERR_MSG(info->extack, "device is not a link");
		err = -ENOENT;
		goto out;
	}
	/* The last link going means the node stops: say goodbye. */
	hb_link_del(link, hn->nlinks == 1);
out:
	mutex_unlock(&hn->lock);
	rtnl_unlock();
	return err;
}

static int hb_nl_link_get(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct nlattr *attr = info->attrs[HEARTBEAT_A_LINK_IFINDEX];
	struct hb_net *hn = hb_net(net);
	struct hb_link *link;
	struct sk_buff *msg;
	void *hdr;
	int err;

	err = hb_reply_new(info, NLMSG_DEFAULT_SIZE, HEARTBEAT_CMD_LINK_GET,
			   &msg, &hdr);
	if (err)
		return err;
	if (!attr) {
		NL_SET_ERR_MSG(info->extack, "a device (ifindex) is required");
		err = -EINVAL;
		goto out;
	}
	/* A read open to every user: RCU, never RTNL. */
	rcu_read_lock();
	link = hb_link_find(hn, nla_get_u32(attr));
	if (link) {
		err = hb_link_fill(msg, link, false);
	} else if (!dev_get_by_index_rcu(net, nla_get_u32(attr))) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr, "no such device");
		err = -ENODEV;
	} else {
		NL_SET_ERR_MSG(info->extack, "device is not a link");
		err = -ENOENT;
	}
	rcu_read_unlock();
out:
	return hb_reply_send(info, msg, hdr, err);
}

static int hb_nl_link_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct hb_net *hn = hb_net(sock_net(skb->sk));
	struct hb_link *link;
	long idx = 0;
	void *hdr;

	rcu_read_lock();
	list_for_each_entry_rcu(link, &hn->links, list) {
		if (idx++ < cb->args[0])
			continue;
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &hb_genl_family,
				  NLM_F_MULTI, HEARTBEAT_CMD_LINK_GET);
		if (!hdr || hb_link_fill(skb, link, false)) {
			if (hdr)
				genlmsg_cancel(skb, hdr);
			idx--;
			break;
		}
		genlmsg_end(skb, hdr);
	}
	rcu_read_unlock();
	cb->args[0] = idx;
	return skb->len;
}

/* ---- peers --------------------------------------------------------- */

static int hb_put_age(struct sk_buff *skb, int type, u64 then, u64 now, int pad)
{
	return nla_put_u64_64bit(skb, type, div_u64(now - then, NSEC_PER_USEC),
				 pad);
}

/* Round trips of a window; nothing before the first one. */
static int hb_rtt_fill(struct sk_buff *skb, const struct hb_rtt_stats *r)
{
	if (!r || !r->samples)
		return 0;
	if (nla_put_u32(skb, HEARTBEAT_A_PEER_RTT_MIN_US, r->min_us) ||
	    nla_put_u32(skb, HEARTBEAT_A_PEER_RTT_MEAN_US, r->mean_us) ||
	    nla_put_u32(skb, HEARTBEAT_A_PEER_RTT_P99_US, r->p99_us) ||
	    nla_put_u32(skb, HEARTBEAT_A_PEER_RTT_SAMPLES, r->samples))
		return -EMSGSIZE;
	return 0;
}

/* The peer's round trips and their histogram, once it has any. */
static int hb_peer_rtt_fill(struct sk_buff *skb,
			    const struct hb_probe_snapshot *ps)
{
	struct nlattr *nest;
	int b;

	if (!ps->total)
		return 0;
	if (hb_rtt_fill(skb, &ps->rtt) ||
	    nla_put_u64_64bit(skb, HEARTBEAT_A_PEER_RTT_COUNT, ps->total,
			      HEARTBEAT_A_PEER_PAD) ||
	    nla_put_u64_64bit(skb, HEARTBEAT_A_PEER_RTT_SUM_US, ps->sum_us,
			      HEARTBEAT_A_PEER_PAD))
		return -EMSGSIZE;
	nest = nla_nest_start(skb, HEARTBEAT_A_PEER_RTT_HIST);
	if (!nest)
		return -EMSGSIZE;
	for (b = 0; b < HEARTBEAT_RTT_BUCKETS; b++)
		if (nla_put_u64_64bit(skb, b + 1, ps->hist[b], HB_NEST_PAD))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int hb_paths_fill(struct sk_buff *skb, const struct hb_peer_snapshot *s,
			 const struct hb_probe_snapshot *ps, u64 now)
{
	struct nlattr *nest, *one;
	int i;

	nest = nla_nest_start(skb, HEARTBEAT_A_PEER_PATHS);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < HB_PEER_PATHS; i++) {
		const struct hb_path *p = &s->paths[i];

		if (!p->link_id)
			continue;
		one = nla_nest_start(skb, i + 1);
		if (!one ||
		    nla_put_u32(skb, HEARTBEAT_A_PEER_PATH_LINK, p->link_id) ||
		    nla_put_u32(skb, HEARTBEAT_A_PEER_IFINDEX, p->ifindex) ||
		    nla_put_u64_64bit(skb, HEARTBEAT_A_PEER_RX, p->rx,
				      HEARTBEAT_A_PEER_PAD) ||
		    nla_put_u64_64bit(skb, HEARTBEAT_A_PEER_LOST, p->lost,
				      HEARTBEAT_A_PEER_PAD) ||
		    hb_put_age(skb, HEARTBEAT_A_PEER_LAST_SEEN_US, p->last_rx_ns,
			       now, HEARTBEAT_A_PEER_PAD) ||
		    hb_rtt_fill(skb, hb_probe_path_stats(ps, p->link_id)))
			return -EMSGSIZE;
		nla_nest_end(skb, one);
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* The channels a peer is heard on; RCU held (link names). */
static int hb_channels_fill(struct sk_buff *skb, struct hb_net *hn,
			    const struct hb_peer_snapshot *s,
			    const struct hb_probe_snapshot *ps, u64 now)
{
	struct nlattr *nest, *one;
	char name[IFNAMSIZ];
	int i;

	if (nla_put_u32(skb, HEARTBEAT_A_PEER_CHANNELS_UP,
			hb_channels_up(&s->chans)))
		return -EMSGSIZE;
	nest = nla_nest_start(skb, HEARTBEAT_A_PEER_CHANNELS);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < HB_CHANNELS_MAX; i++) {
		const struct hb_channel *ch = &s->chans.ch[i];
		int ifindex = 0;
		u32 rtt = 0;

		if (!ch->id)
			continue;
		hb_channel_name(hn, ch->id, name, &ifindex);
		if (ifindex)
			rtt = hb_probe_ifindex_rtt_us(ps, ifindex);
		one = nla_nest_start(skb, i + 1);
		if (!one ||
		    nla_put_u32(skb, HEARTBEAT_A_CHANNEL_LINK, ch->id) ||
		    (ifindex &&
		     nla_put_u32(skb, HEARTBEAT_A_CHANNEL_IFINDEX, ifindex)) ||
		    nla_put_string(skb, HEARTBEAT_A_CHANNEL_NAME, name) ||
		    nla_put_u8(skb, HEARTBEAT_A_CHANNEL_UP, ch->up) ||
		    hb_put_age(skb, HEARTBEAT_A_CHANNEL_LAST_SEEN_US,
			       ch->last_rx_ns, now, HEARTBEAT_A_CHANNEL_PAD) ||
		    (rtt && nla_put_u32(skb, HEARTBEAT_A_CHANNEL_RTT_US, rtt)))
			return -EMSGSIZE;
		nla_nest_end(skb, one);
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int hb_peer_phi_fill(struct sk_buff *skb, struct hb_peer *peer,
			    const struct hb_peer_snapshot *s, u64 now)
{
	if (nla_put_u32(skb, HEARTBEAT_A_PEER_PHI,
			hb_peer_phi_milli(peer->hn, s, now)) ||
	    nla_put_u32(skb, HEARTBEAT_A_PEER_MEAN_US,
			div_u64(hb_phi_mean_ns(&s->window), NSEC_PER_USEC)) ||
	    nla_put_u32(skb, HEARTBEAT_A_PEER_STDDEV_US,
			div_u64(hb_phi_stddev_ns(&s->window), NSEC_PER_USEC)) ||
	    nla_put_u32(skb, HEARTBEAT_A_PEER_SAMPLES, s->window.count))
		return -EMSGSIZE;
	return 0;
}

/* Ids in a nest, each as attribute type 0. */
static int hb_ids_fill(struct sk_buff *skb, int type, const u32 *ids,
		       unsigned int n)
{
	struct nlattr *nest;
	unsigned int i;

	nest = nla_nest_start(skb, type);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < n; i++)
		if (nla_put_u32(skb, 0, ids[i]))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int hb_heard_by_fill(struct sk_buff *skb,
			    const struct hb_peer_snapshot *s)
{
	return hb_ids_fill(skb, HEARTBEAT_A_PEER_HEARD_BY, s->heard_by,
			   min_t(unsigned int, s->heard_by_count,
				 HB_VIEW_REPORTS));
}

static int hb_peer_fill(struct sk_buff *skb, struct hb_peer *peer)
{
	struct hb_probe_snapshot ps;
	struct hb_peer_snapshot s;
	u64 now = ktime_get_ns();
	int err;

	hb_peer_snapshot(peer, &s);
	hb_probe_snapshot(peer, &ps);
	if (hb_peer_phi_fill(skb, peer, &s, now) || hb_peer_rtt_fill(skb, &ps))
		return -EMSGSIZE;
	if (nla_put_u32(skb, HEARTBEAT_A_PEER_ID, s.id) ||
	    nla_put_u8(skb, HEARTBEAT_A_PEER_STATE, s.state) ||
	    nla_put_u8(skb, HEARTBEAT_A_PEER_LOCAL_STATE, s.local) ||
	    nla_put_u32(skb, HEARTBEAT_A_PEER_LATE_US, s.det.late_us) ||
	    (s.consensus && nla_put_flag(skb, HEARTBEAT_A_PEER_CONSENSUS)) ||
	    (s.dying &&
	     nla_put_u8(skb, HEARTBEAT_A_PEER_DYING, s.dying_reason)) ||
	    hb_heard_by_fill(skb, &s) ||
	    (s.configured && nla_put_flag(skb, HEARTBEAT_A_PEER_CONFIGURED)) ||
	    (s.ifindex && nla_put_u32(skb, HEARTBEAT_A_PEER_IFINDEX, s.ifindex)) ||
	    (!is_zero_ether_addr(s.mac) &&
	     nla_put(skb, HEARTBEAT_A_PEER_MAC, ETH_ALEN, s.mac)) ||
	    nla_put_u64_64bit(skb, HEARTBEAT_A_PEER_INCARNATION,
			      s.det.incarnation, HEARTBEAT_A_PEER_PAD) ||
	    nla_put_u32(skb, HEARTBEAT_A_PEER_INTERVAL_US, s.det.interval_us) ||
	    (s.det.heard &&
	     hb_put_age(skb, HEARTBEAT_A_PEER_LAST_SEEN_US, s.det.last_rx_ns,
			now, HEARTBEAT_A_PEER_PAD)) ||
	    nla_put_u64_64bit(skb, HEARTBEAT_A_PEER_RX, s.det.rx,
			      HEARTBEAT_A_PEER_PAD) ||
	    nla_put_u64_64bit(skb, HEARTBEAT_A_PEER_LOST, s.lost,
			      HEARTBEAT_A_PEER_PAD) ||
	    nla_put_u64_64bit(skb, HEARTBEAT_A_PEER_RESTARTS, s.det.restarts,
			      HEARTBEAT_A_PEER_PAD) ||
	    nla_put_u8(skb, HEARTBEAT_A_PEER_READY, s.ready))
		return -EMSGSIZE;
	rcu_read_lock();
	err = hb_channels_fill(skb, peer->hn, &s, &ps, now);
	rcu_read_unlock();
	return err ?: hb_paths_fill(skb, &s, &ps, now);
}

static int hb_peer_id(struct genl_info *info, u32 *id)
{
	struct nlattr *attr = info->attrs[HEARTBEAT_A_PEER_ID];

	if (!attr) {
		NL_SET_ERR_MSG(info->extack, "a peer id is required");
		return -EINVAL;
	}
	*id = nla_get_u32(attr);
	return 0;
}

/*
 * One more peer with a MAC: one more frame per interval on every unicast
 * link. RTNL, hn->lock held.
 */
static int hb_unicast_peer_cost_check(const struct sk_buff *skb,
				      struct hb_net *hn,
				      struct netlink_ext_ack *extack)
{
	struct hb_budget_change chg = {
		.interval_us = hn->config.interval_us,
		.unicast_peers = 1,
	};
	int err;

	err = hb_floor_unicast_peers(skb, hn->unicast_peers + 1, extack);
	return err ?: hb_budget_check(hn, &chg, extack);
}

static int hb_nl_peer_add(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct hb_net *hn = hb_net(net);
	struct nlattr **attrs = info->attrs;
	unsigned int reason = 0;
	const u8 *mac = NULL;
	struct hb_peer *peer;
	int ifindex = 0;
	int err;
	u32 id;

	err = hb_peer_id(info, &id);
	if (err)
		return err;
	if (attrs[HEARTBEAT_A_PEER_MAC]) {
		mac = nla_data(attrs[HEARTBEAT_A_PEER_MAC]);
		if (!is_valid_ether_addr(mac)) {
			NL_SET_ERR_MSG_ATTR(info->extack, attrs[HEARTBEAT_A_PEER_MAC],
					    "not a unicast MAC address");
			return -EINVAL;
		}
	}

	/* RTNL: a unicast peer adds to the transmit budget (budget.c). */
	rtnl_lock();
	mutex_lock(&hn->lock);
	if (id == hn->config.node_id) {
		NL_SET_ERR_MSG_ATTR(info->extack, attrs[HEARTBEAT_A_PEER_ID],
				    "that is this node's own id");
		err = -EINVAL;
		goto out;
	}
	if (attrs[HEARTBEAT_A_PEER_IFINDEX]) {
		ifindex = nla_get_u32(attrs[HEARTBEAT_A_PEER_IFINDEX]);
		rcu_read_lock();
		if (!dev_get_by_index_rcu(net, ifindex))
			err = -ENODEV;
		rcu_read_unlock();
		if (err) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    attrs[HEARTBEAT_A_PEER_IFINDEX],
					    "no such device");
			goto out;
		}
	}
	rcu_read_lock();
	peer = hb_peer_find_rcu(hn, id);
	if (peer && READ_ONCE(peer->configured)) {
		rcu_read_unlock();
		NL_SET_ERR_MSG_ATTR(info->extack, attrs[HEARTBEAT_A_PEER_ID],
				    "peer already exists");
		err = -EEXIST;
		goto out;
	}
	rcu_read_unlock();
	err = hb_quorum_peer_check(hn, info->extack);
	if (err)
		goto out;
	if (mac) {
		err = hb_unicast_peer_cost_check(skb, hn, info->extack);
		if (err)
			goto out;
	}
	/* A learned peer is adopted as it is; otherwise a new one. */
	if (!peer)
		peer = hb_peer_create(hn, id, false, GFP_KERNEL, &reason);
	if (!peer) {
		if (reason == HEARTBEAT_DROP_NOMEM) {
			err = -ENOMEM;
		} else {
			NL_SET_ERR_MSG(info->extack, "peer limit reached");
			err = -ENOSPC;
		}
		goto out;
	}
	hb_peer_configure(peer, ifindex, mac);
	if (mac)
		WRITE_ONCE(hn->unicast_peers, hn->unicast_peers + 1);
out:
	mutex_unlock(&hn->lock);
	rtnl_unlock();
	return err;
}

/* Configured with a MAC: sent to on unicast links. */
static bool hb_peer_unicast(struct hb_peer *peer)
{
	bool unicast;

	spin_lock_bh(&peer->lock);
	unicast = !is_zero_ether_addr(peer->mac);
	spin_unlock_bh(&peer->lock);
	return unicast;
}

static int hb_nl_peer_del(struct sk_buff *skb, struct genl_info *info)
{
	struct hb_net *hn = hb_net(genl_info_net(info));
	struct hb_peer *peer;
	int err;
	u32 id;

	err = hb_peer_id(info, &id);
	if (err)
		return err;
	mutex_lock(&hn->lock);
	rcu_read_lock();
	peer = hb_peer_find_rcu(hn, id);
	rcu_read_unlock();
	/* Only hn->lock holders remove peers, so peer stays valid here. */
	if (peer) {
		if (hb_peer_unicast(peer) && !WARN_ON_ONCE(!hn->unicast_peers))
			WRITE_ONCE(hn->unicast_peers, hn->unicast_peers - 1);
		hb_peer_remove(peer);
	} else {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[HEARTBEAT_A_PEER_ID],
				    "no such peer");
		err = -ENOENT;
	}
	mutex_unlock(&hn->lock);
	return err;
}

static int hb_nl_peer_get(struct sk_buff *skb, struct genl_info *info)
{
	struct hb_net *hn = hb_net(genl_info_net(info));
	struct hb_peer *peer;
	struct sk_buff *msg;
	void *hdr;
	int err;
	u32 id;

	err = hb_peer_id(info, &id);
	if (err)
		return err;
	err = hb_reply_new(info, NLMSG_DEFAULT_SIZE, HEARTBEAT_CMD_PEER_GET,
			   &msg, &hdr);
	if (err)
		return err;
	rcu_read_lock();
	peer = hb_peer_find_rcu(hn, id);
	if (peer) {
		err = hb_peer_fill(msg, peer);
	} else {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[HEARTBEAT_A_PEER_ID],
				    "no such peer");
		err = -ENOENT;
	}
	rcu_read_unlock();
	return hb_reply_send(info, msg, hdr, err);
}

/* Resumes after the last id sent (cb->args[0]), so it survives deletions. */
static int hb_nl_peer_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct hb_net *hn = hb_net(sock_net(skb->sk));
	u64 next_id = cb->args[0];
	struct hb_peer *peer;
	void *hdr;

	rcu_read_lock();
	list_for_each_entry_rcu(peer, &hn->peers, list) {
		if (peer->id < next_id)
			continue;
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &hb_genl_family,
				  NLM_F_MULTI, HEARTBEAT_CMD_PEER_GET);
		if (!hdr)
			break;
		if (hb_peer_fill(skb, peer)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		next_id = (u64)peer->id + 1;
	}
	rcu_read_unlock();
	cb->args[0] = next_id;
	return skb->len;
}

/* ---- stats --------------------------------------------------------- */

static int hb_detect_fill(struct sk_buff *skb, struct hb_net *hn)
{
	struct nlattr *nest;
	int b;

	if (nla_put_u64_64bit(skb, HEARTBEAT_A_STATS_DETECT_COUNT,
			      atomic64_read(&hn->detect_count),
			      HEARTBEAT_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, HEARTBEAT_A_STATS_DETECT_SUM_US,
			      atomic64_read(&hn->detect_sum_us),
			      HEARTBEAT_A_STATS_PAD))
		return -EMSGSIZE;
	nest = nla_nest_start(skb, HEARTBEAT_A_STATS_DETECT_HIST);
	if (!nest)
		return -EMSGSIZE;
	for (b = 0; b < HEARTBEAT_DETECT_BUCKETS; b++)
		if (nla_put_u64_64bit(skb, b + 1,
				      atomic64_read(&hn->detect_hist[b]),
				      HB_NEST_PAD))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int hb_uevent_stats_fill(struct sk_buff *skb, struct hb_net *hn)
{
	u64 seq, sent, lost;

	spin_lock_bh(&hn->uevent_lock);
	seq = hn->uevent_seq;
	sent = hn->uevents_sent;
	lost = hn->uevents_lost;
	spin_unlock_bh(&hn->uevent_lock);
	if (nla_put_u64_64bit(skb, HEARTBEAT_A_STATS_UEVENTS, sent,
			      HEARTBEAT_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, HEARTBEAT_A_STATS_UEVENTS_LOST, lost,
			      HEARTBEAT_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, HEARTBEAT_A_STATS_UEVENT_SEQ, seq,
			      HEARTBEAT_A_STATS_PAD))
		return -EMSGSIZE;
	return 0;
}

static int hb_stats_fill(struct sk_buff *skb, struct hb_net *hn)
{
	u64 sum[HB_STAT_COUNT];
	struct nlattr *nest, *one;
	struct hb_link *link;
	int r;

	hb_stats_read(hn, sum);
	if (nla_put_u64_64bit(skb, HEARTBEAT_A_STATS_TX, sum[HB_STAT_TX],
			      HEARTBEAT_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, HEARTBEAT_A_STATS_RX, sum[HB_STAT_RX],
			      HEARTBEAT_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, HEARTBEAT_A_STATS_DEFERRED,
			      sum[HB_STAT_DEFERRED], HEARTBEAT_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, HEARTBEAT_A_STATS_PEERS_EXPIRED,
			      sum[HB_STAT_EXPIRED], HEARTBEAT_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, HEARTBEAT_A_STATS_GOSSIP_TX,
			      sum[HB_STAT_GOSSIP_TX], HEARTBEAT_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, HEARTBEAT_A_STATS_GOSSIP_RX,
			      sum[HB_STAT_GOSSIP_RX], HEARTBEAT_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, HEARTBEAT_A_STATS_PROBES_TX,
			      sum[HB_STAT_PROBES_TX], HEARTBEAT_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, HEARTBEAT_A_STATS_PROBES_ACKED,
			      sum[HB_STAT_PROBES_ACKED], HEARTBEAT_A_STATS_PAD))
		return -EMSGSIZE;

	nest = nla_nest_start(skb, HEARTBEAT_A_STATS_DROPS);
	if (!nest)
		return -EMSGSIZE;
	for (r = HEARTBEAT_DROP_UNSPEC + 1; r <= HEARTBEAT_DROP_MAX; r++)
		if (nla_put_u64_64bit(skb, r, sum[r], HB_NEST_PAD))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);

	if (hb_detect_fill(skb, hn) || hb_uevent_stats_fill(skb, hn))
		return -EMSGSIZE;

	nest = nla_nest_start(skb, HEARTBEAT_A_STATS_LINKS);
	if (!nest)
		return -EMSGSIZE;
	r = 0;
	list_for_each_entry_rcu(link, &hn->links, list) {
		one = nla_nest_start(skb, ++r);
		if (!one || hb_link_fill(skb, link, true))
			return -EMSGSIZE;
		nla_nest_end(skb, one);
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int hb_nl_stats_get(struct sk_buff *skb, struct genl_info *info)
{
	struct hb_net *hn = hb_net(genl_info_net(info));
	struct sk_buff *msg;
	void *hdr;
	int err;

	/* About 400 bytes per link with its histogram, 700 for the rest. */
	err = hb_reply_new(info, 1536 + HB_LINKS_MAX * 512,
			   HEARTBEAT_CMD_STATS_GET, &msg, &hdr);
	if (err)
		return err;
	/* A read open to every user: RCU, never RTNL. */
	rcu_read_lock();
	err = hb_stats_fill(msg, hn);
	rcu_read_unlock();
	return hb_reply_send(info, msg, hdr, err);
}

/* ---- keys ---------------------------------------------------------- */

static int hb_key_id(struct genl_info *info, u32 *id)
{
	struct nlattr *attr = info->attrs[HEARTBEAT_A_KEY_ID];

	if (!attr) {
		NL_SET_ERR_MSG(info->extack, "a key id is required");
		return -EINVAL;
	}
	*id = nla_get_u32(attr);
	return 0;
}

static int hb_nl_key_add(struct sk_buff *skb, struct genl_info *info)
{
	struct hb_net *hn = hb_net(genl_info_net(info));
	struct nlattr *secret = info->attrs[HEARTBEAT_A_KEY_SECRET];
	u32 id;
	int err;

	err = hb_key_id(info, &id);
	if (err)
		return err;
	if (!secret) {
		NL_SET_ERR_MSG(info->extack, "a secret is required");
		return -EINVAL;
	}
	mutex_lock(&hn->lock);
	err = hb_key_add(hn, id, nla_data(secret), nla_len(secret),
			 info->extack);
	if (!err)
		hb_event_key(hn, id, HEARTBEAT_ACTION_ADDED);
	mutex_unlock(&hn->lock);
	/* The request held the secret: leave no copy in the socket buffer. */
	memzero_explicit(nla_data(secret), nla_len(secret));
	return err;
}

static int hb_nl_key_del(struct sk_buff *skb, struct genl_info *info)
{
	struct hb_net *hn = hb_net(genl_info_net(info));
	u32 id;
	int err;

	err = hb_key_id(info, &id);
	if (err)
		return err;
	if (info->attrs[HEARTBEAT_A_KEY_SECRET]) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[HEARTBEAT_A_KEY_SECRET],
				    "a key is removed by its id alone");
		return -EINVAL;
	}
	mutex_lock(&hn->lock);
	err = hb_key_del(hn, id, info->extack);
	if (!err)
		hb_event_key(hn, id, HEARTBEAT_ACTION_REMOVED);
	mutex_unlock(&hn->lock);
	return err;
}

/* Key ids and which one signs; the secrets never leave the kernel. */
static int hb_nl_key_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct hb_net *hn = hb_net(sock_net(skb->sk));
	u32 id = cb->args[0];
	bool signing;
	void *hdr;

	while ((id = hb_key_next(hn, id, &signing))) {
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &hb_genl_family,
				  NLM_F_MULTI, HEARTBEAT_CMD_KEY_GET);
		if (!hdr)
			break;
		if (nla_put_u32(skb, HEARTBEAT_A_KEY_ID, id) ||
		    (signing && nla_put_flag(skb, HEARTBEAT_A_KEY_SIGNING))) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[0] = id;
	}
	return skb->len;
}

/* ---- quorum -------------------------------------------------------- */

static int hb_quorum_fill(struct sk_buff *skb, struct hb_net *hn)
{
	u32 ids[HEARTBEAT_VOTES_MAX];
	struct hb_quorum_params p;
	struct hb_quorum q;
	unsigned int n = 0;
	u32 changes;

	spin_lock_bh(&hn->quorum_lock);
	p = hn->quorum_params;
	q = hn->quorum;
	changes = hn->quorum_changes;
	spin_unlock_bh(&hn->quorum_lock);
	/* Off (or being turned off), nothing is counted: no votes, no members. */
	if (p.expected_votes)
		n = min_t(unsigned int, hb_quorum_members(hn, ids, ARRAY_SIZE(ids)),
			  ARRAY_SIZE(ids));
	if (nla_put_u32(skb, HEARTBEAT_A_QUORUM_EXPECTED_VOTES, p.expected_votes) ||
	    nla_put_u8(skb, HEARTBEAT_A_QUORUM_TIE_BREAKER, p.tie_breaker) ||
	    nla_put_u8(skb, HEARTBEAT_A_QUORUM_WAIT_FOR_ALL, p.wait_for_all) ||
	    nla_put_u8(skb, HEARTBEAT_A_QUORUM_QUORATE,
		       p.expected_votes && q.on && q.quorate) ||
	    nla_put_u32(skb, HEARTBEAT_A_QUORUM_VOTES,
			p.expected_votes && q.on ? q.votes : 0) ||
	    nla_put_u32(skb, HEARTBEAT_A_QUORUM_NODES,
			p.expected_votes && q.on ? q.nodes : 0) ||
	    nla_put_u32(skb, HEARTBEAT_A_QUORUM_CHANGES, changes) ||
	    hb_ids_fill(skb, HEARTBEAT_A_QUORUM_MEMBERS, ids, n))
		return -EMSGSIZE;
	return 0;
}

static int hb_nl_quorum_get(struct sk_buff *skb, struct genl_info *info)
{
	struct hb_net *hn = hb_net(genl_info_net(info));
	struct sk_buff *msg;
	void *hdr;
	int err;

	err = hb_reply_new(info, NLMSG_DEFAULT_SIZE, HEARTBEAT_CMD_QUORUM_GET,
			   &msg, &hdr);
	if (err)
		return err;
	err = hb_quorum_fill(msg, hn);
	return hb_reply_send(info, msg, hdr, err);
}

static int hb_nl_quorum_set(struct sk_buff *skb, struct genl_info *info)
{
	struct hb_net *hn = hb_net(genl_info_net(info));
	struct nlattr **attrs = info->attrs;
	struct hb_quorum_params p;
	int err;

	if (!attrs[HEARTBEAT_A_QUORUM_EXPECTED_VOTES] &&
	    !attrs[HEARTBEAT_A_QUORUM_TIE_BREAKER] &&
	    !attrs[HEARTBEAT_A_QUORUM_WAIT_FOR_ALL]) {
		NL_SET_ERR_MSG(info->extack, "no quorum setting given");
		return -EINVAL;
	}
	mutex_lock(&hn->lock);
	spin_lock_bh(&hn->quorum_lock);
	p = hn->quorum_params;
	spin_unlock_bh(&hn->quorum_lock);
	if (attrs[HEARTBEAT_A_QUORUM_EXPECTED_VOTES])
		p.expected_votes =
			nla_get_u32(attrs[HEARTBEAT_A_QUORUM_EXPECTED_VOTES]);
	if (attrs[HEARTBEAT_A_QUORUM_TIE_BREAKER])
		p.tie_breaker = nla_get_u8(attrs[HEARTBEAT_A_QUORUM_TIE_BREAKER]);
	if (attrs[HEARTBEAT_A_QUORUM_WAIT_FOR_ALL])
		p.wait_for_all = nla_get_u8(attrs[HEARTBEAT_A_QUORUM_WAIT_FOR_ALL]);
	if (p.tie_breaker == HEARTBEAT_TIE_BREAKER_DISK && !hn->disk) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    attrs[HEARTBEAT_A_QUORUM_TIE_BREAKER],
				    "no shared disk to break ties with (hbctl disk add)");
		mutex_unlock(&hn->lock);
		return -ENOENT;
	}
	err = hb_quorum_set(hn, &p, info->extack);
	mutex_unlock(&hn->lock);
	return err;
}

/* ---- shared disk --------------------------------------------------- */

static int hb_disk_present(struct hb_net *hn, struct netlink_ext_ack *extack)
{
	if (hn->disk)
		return 0;
	NL_SET_ERR_MSG(extack, "the node has no shared disk");
	return -ENOENT;
}

static int hb_nl_disk_add(struct sk_buff *skb, struct genl_info *info)
{
	struct hb_net *hn = hb_net(genl_info_net(info));
	struct nlattr **attrs = info->attrs;
	struct hb_disk_cfg cfg = {
		.slots = HB_DISK_SLOTS_DEFAULT,
		.interval_us = 1000000,
	};
	int err;

	if (!attrs[HEARTBEAT_A_DISK_PATH]) {
		NL_SET_ERR_MSG(info->extack, "a block device (path) is required");
		return -EINVAL;
	}
	cfg.path = nla_data(attrs[HEARTBEAT_A_DISK_PATH]);
	if (attrs[HEARTBEAT_A_DISK_OFFSET])
		cfg.offset = nla_get_u64(attrs[HEARTBEAT_A_DISK_OFFSET]);
	if (attrs[HEARTBEAT_A_DISK_SLOTS])
		cfg.slots = nla_get_u32(attrs[HEARTBEAT_A_DISK_SLOTS]);
	if (attrs[HEARTBEAT_A_DISK_INTERVAL_US])
		cfg.interval_us = nla_get_u32(attrs[HEARTBEAT_A_DISK_INTERVAL_US]);
	mutex_lock(&hn->lock);
	err = hb_disk_add(hn, &cfg, info->extack);
	mutex_unlock(&hn->lock);
	return err;
}

static int hb_nl_disk_del(struct sk_buff *skb, struct genl_info *info)
{
	struct hb_net *hn = hb_net(genl_info_net(info));
	struct hb_quorum_params p;
	int err;

	mutex_lock(&hn->lock);
	spin_lock_bh(&hn->quorum_lock);
	p = hn->quorum_params;
	spin_unlock_bh(&hn->quorum_lock);
	err = hb_disk_present(hn, info->extack);
	if (!err && p.tie_breaker == HEARTBEAT_TIE_BREAKER_DISK) {
		NL_SET_ERR_MSG(info->extack,
			       "quorum breaks ties with the disk: choose another tie-breaker first");
		err = -EBUSY;
	}
	if (!err)
		hb_disk_del(hn);
	mutex_unlock(&hn->lock);
	return err;
}

static int hb_nl_disk_get(struct sk_buff *skb, struct genl_info *info)
{
	struct hb_net *hn = hb_net(genl_info_net(info));
	struct sk_buff *msg;
	void *hdr;
	int err;

	err = hb_reply_new(info, NLMSG_DEFAULT_SIZE, HEARTBEAT_CMD_DISK_GET,
			   &msg, &hdr);
	if (err)
		return err;
	mutex_lock(&hn->lock);
	err = hb_disk_present(hn, info->extack) ?: hb_disk_fill(msg, hn);
	mutex_unlock(&hn->lock);
	return hb_reply_send(info, msg, hdr, err);
}

/*
 * A poison pill for a peer: only from a quorate node when quorum is on
 * (a minority must not stop the majority), and for the incarnation we
 * hear, so a node that restarted since is not stopped by it.
 */
static int hb_nl_disk_poison(struct sk_buff *skb, struct genl_info *info)
{
	struct hb_net *hn = hb_net(genl_info_net(info));
	struct nlattr *attr = info->attrs[HEARTBEAT_A_DISK_PEER];
	struct hb_peer_snapshot s;
	struct hb_quorum q;
	int err;

	if (!attr) {
		NL_SET_ERR_MSG(info->extack, "a peer id is required");
		return -EINVAL;
	}
	mutex_lock(&hn->lock);
	err = hb_disk_present(hn, info->extack);
	if (err)
		goto out;
	hb_quorum_get(hn, &q);
	if (q.on && !q.quorate) {
		NL_SET_ERR_MSG(info->extack,
			       "this node is not quorate: it may not stop others");
		err = -EPERM;
		goto out;
	}
	if (!hb_peer_snapshot_id(hn, nla_get_u32(attr), &s) ||
	    !s.det.incarnation) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "no such peer heard: its incarnation is unknown");
		err = -ENOENT;
		goto out;
	}
	err = hb_disk_poison(hn, s.id, s.det.incarnation, info->extack);
out:
	mutex_unlock(&hn->lock);
	return err;
}

/* ---- events -------------------------------------------------------- */

static int hb_event_drops_fill(struct sk_buff *skb, const struct hb_event *ev)
{
	struct nlattr *nest;
	unsigned int r;

	if (nla_put_u64_64bit(skb, HEARTBEAT_A_EVENT_PERIOD_NS, ev->period_ns,
			      HEARTBEAT_A_EVENT_PAD))
		return -EMSGSIZE;
	nest = nla_nest_start(skb, HEARTBEAT_A_EVENT_DROPS);
	if (!nest)
		return -EMSGSIZE;
	for (r = HEARTBEAT_DROP_UNSPEC + 1; r <= HEARTBEAT_DROP_MAX; r++)
		if (ev->drops[r] &&
		    nla_put_u64_64bit(skb, r, ev->drops[r], HB_NEST_PAD))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* What each kind of event carries beyond type, peer, time, incarnation. */
static int hb_event_fill(struct sk_buff *skb, const struct hb_event *ev)
{
	switch (ev->type) {
	case HEARTBEAT_EVENT_PEER_STATE:
		return nla_put_u8(skb, HEARTBEAT_A_EVENT_STATE, ev->state) ||
		       nla_put_u8(skb, HEARTBEAT_A_EVENT_PREV_STATE, ev->prev) ||
		       nla_put_u32(skb, HEARTBEAT_A_EVENT_PHI, ev->phi_milli) ||
		       (ev->dying &&
			nla_put_u8(skb, HEARTBEAT_A_EVENT_DYING,
				   ev->dying_reason)) ||
		       (ev->quorum_on &&
			(nla_put_u8(skb, HEARTBEAT_A_EVENT_QUORATE, ev->quorate) ||
			 nla_put_u8(skb, HEARTBEAT_A_EVENT_CONSENSUS,
				    ev->consensus)));
	case HEARTBEAT_EVENT_QUORUM:
		return nla_put_u8(skb, HEARTBEAT_A_EVENT_QUORATE, ev->quorate) ||
		       nla_put_u32(skb, HEARTBEAT_A_EVENT_VOTES, ev->votes) ||
		       nla_put_u32(skb, HEARTBEAT_A_EVENT_EXPECTED_VOTES,
				   ev->expected_votes);
	case HEARTBEAT_EVENT_PEER_RESTART:
		return nla_put_u64_64bit(skb, HEARTBEAT_A_EVENT_PREV_INCARNATION,
					 ev->prev_incarnation,
					 HEARTBEAT_A_EVENT_PAD);
	case HEARTBEAT_EVENT_PEER_EXPIRED:
		return nla_put_u8(skb, HEARTBEAT_A_EVENT_STATE, ev->state);
	case HEARTBEAT_EVENT_DEGRADED:
		return nla_put_u8(skb, HEARTBEAT_A_EVENT_STATE, ev->state) ||
		       nla_put_u32(skb, HEARTBEAT_A_EVENT_LINKS_UP, ev->links_up) ||
		       nla_put_u32(skb, HEARTBEAT_A_EVENT_LINKS, ev->links) ||
		       nla_put_u32(skb, HEARTBEAT_A_EVENT_CHANNEL, ev->channel) ||
		       nla_put_string(skb, HEARTBEAT_A_EVENT_CHANNEL_NAME,
				      ev->channel_name) ||
		       nla_put_u8(skb, HEARTBEAT_A_EVENT_CHANNEL_UP,
				  ev->channel_up) ||
		       (ev->ifindex &&
			nla_put_u32(skb, HEARTBEAT_A_EVENT_IFINDEX, ev->ifindex));
	case HEARTBEAT_EVENT_PROBE:
		/* No round trip: the probe was lost. */
		return nla_put_u32(skb, HEARTBEAT_A_EVENT_PROBE_TOKEN, ev->token) ||
		       nla_put_u32(skb, HEARTBEAT_A_EVENT_VIA, ev->via) ||
		       (ev->ifindex &&
			nla_put_u32(skb, HEARTBEAT_A_EVENT_IFINDEX, ev->ifindex)) ||
		       (ev->rtt_ns &&
			nla_put_u64_64bit(skb, HEARTBEAT_A_EVENT_RTT_NS,
					  ev->rtt_ns, HEARTBEAT_A_EVENT_PAD));
	case HEARTBEAT_EVENT_PEER_READY:
	case HEARTBEAT_EVENT_APP:
		return hb_app_event_fill(skb, ev);
	case HEARTBEAT_EVENT_LINK:
		return nla_put_u8(skb, HEARTBEAT_A_EVENT_ACTION, ev->action) ||
		       nla_put_u32(skb, HEARTBEAT_A_EVENT_IFINDEX, ev->ifindex) ||
		       nla_put_string(skb, HEARTBEAT_A_EVENT_IFNAME,
				      ev->channel_name) ||
		       nla_put_u32(skb, HEARTBEAT_A_EVENT_LINK_ID, ev->link_id);
	case HEARTBEAT_EVENT_NODE:
		return nla_put_u8(skb, HEARTBEAT_A_EVENT_ACTION, ev->action);
	case HEARTBEAT_EVENT_KEY:
		return nla_put_u8(skb, HEARTBEAT_A_EVENT_ACTION, ev->action) ||
		       nla_put_u32(skb, HEARTBEAT_A_EVENT_KEY_ID, ev->key_id);
	case HEARTBEAT_EVENT_DROPS:
		return hb_event_drops_fill(skb, ev);
	}
	return 0;
}

/*
 * The events group's sink (event.h); any context. Every event takes the
 * next number of the namespace's count, even one that finds no memory, and
 * goes out in that order: a listener that sees a gap knows it missed one.
 */
void hb_nl_event(struct hb_net *hn, const struct hb_event *ev)
{
	struct sk_buff *skb = NULL;
	struct nlattr *seq = NULL;
	void *hdr;

	rcu_read_lock();
	if (!READ_ONCE(hb_events_live))
		goto out;
	skb = genlmsg_new(ev->type == HEARTBEAT_EVENT_DROPS ?
			  NLMSG_DEFAULT_SIZE : 256, GFP_ATOMIC);
	if (!skb)
		goto count;
	hdr = genlmsg_put(skb, 0, 0, &hb_genl_family, 0,
			  HEARTBEAT_CMD_PEER_EVENT);
	if (hdr)
		seq = nla_reserve_64bit(skb, HEARTBEAT_A_EVENT_SEQ, sizeof(u64),
					HEARTBEAT_A_EVENT_PAD);
	if (!seq ||
	    nla_put_u8(skb, HEARTBEAT_A_EVENT_TYPE, ev->type) ||
	    nla_put_u32(skb, HEARTBEAT_A_EVENT_PEER, ev->peer) ||
	    nla_put_u64_64bit(skb, HEARTBEAT_A_EVENT_TIME_NS, ev->time_ns,
			      HEARTBEAT_A_EVENT_PAD) ||
	    nla_put_u64_64bit(skb, HEARTBEAT_A_EVENT_INCARNATION,
			      ev->incarnation, HEARTBEAT_A_EVENT_PAD) ||
	    hb_event_fill(skb, ev)) {
		nlmsg_free(skb);
		skb = NULL;
		goto count;
	}
	genlmsg_end(skb, hdr);
count:
	spin_lock_bh(&hn->event_lock);
	hn->event_seq++;
	if (skb) {
		memcpy(nla_data(seq), &hn->event_seq, sizeof(hn->event_seq));
		genlmsg_multicast_netns(&hb_genl_family, hn->net, skb, 0, 0,
					GFP_ATOMIC);
	}
	spin_unlock_bh(&hn->event_lock);
out:
	rcu_read_unlock();
}

/* ---- probes -------------------------------------------------------- */

static int hb_nl_peer_probe(struct sk_buff *skb, struct genl_info *info)
{
	struct hb_net *hn = hb_net(genl_info_net(info));
	struct nlattr **attrs = info->attrs;
	struct sk_buff *msg;
	int ifindex = 0;
	void *hdr;
	u32 token;
	int err;

	if (!attrs[HEARTBEAT_A_PROBE_PEER]) {
		NL_SET_ERR_MSG(info->extack, "a peer id is required");
		return -EINVAL;
	}
	if (attrs[HEARTBEAT_A_PROBE_IFINDEX])
		ifindex = nla_get_u32(attrs[HEARTBEAT_A_PROBE_IFINDEX]);
	err = hb_reply_new(info, NLMSG_GOODSIZE, HEARTBEAT_CMD_PEER_PROBE,
			   &msg, &hdr);
	if (err)
		return err;
	err = hb_probe_peer(hn, nla_get_u32(attrs[HEARTBEAT_A_PROBE_PEER]),
			    ifindex, &token, info->extack);
	if (!err && nla_put_u32(msg, HEARTBEAT_A_PROBE_TOKEN, token))
		err = -EMSGSIZE;
	return hb_reply_send(info, msg, hdr, err);
}

/* ---- family -------------------------------------------------------- */

static const struct genl_ops hb_genl_ops[] = {
	{
		.cmd	= HEARTBEAT_CMD_NODE_GET,
		.doit	= hb_nl_node_get,
		.policy	= hb_node_get_policy,
		.maxattr = HEARTBEAT_A_NODE_MAX,
	},
	{
		.cmd	= HEARTBEAT_CMD_NODE_SET,
		.doit	= hb_nl_node_set,
		.policy	= hb_node_set_policy,
		.maxattr = HEARTBEAT_A_NODE_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= HEARTBEAT_CMD_LINK_ADD,
		.doit	= hb_nl_link_add,
		.policy	= hb_link_policy,
		.maxattr = HEARTBEAT_A_LINK_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= HEARTBEAT_CMD_LINK_DEL,
		.doit	= hb_nl_link_del,
		.policy	= hb_link_policy,
		.maxattr = HEARTBEAT_A_LINK_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= HEARTBEAT_CMD_LINK_GET,
		.doit	= hb_nl_link_get,
		.dumpit	= hb_nl_link_dump,
		.policy	= hb_link_policy,
		.maxattr = HEARTBEAT_A_LINK_MAX,
	},
	{
		.cmd	= HEARTBEAT_CMD_PEER_ADD,
		.doit	= hb_nl_peer_add,
		.policy	= hb_peer_policy,
		.maxattr = HEARTBEAT_A_PEER_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= HEARTBEAT_CMD_PEER_DEL,
		.doit	= hb_nl_peer_del,
		.policy	= hb_peer_policy,
		.maxattr = HEARTBEAT_A_PEER_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= HEARTBEAT_CMD_PEER_GET,
		.doit	= hb_nl_peer_get,
		.dumpit	= hb_nl_peer_dump,
		.policy	= hb_peer_policy,
		.maxattr = HEARTBEAT_A_PEER_MAX,
	},
	{
		.cmd	= HEARTBEAT_CMD_STATS_GET,
		.doit	= hb_nl_stats_get,
		.policy	= hb_stats_policy,
		.maxattr = HEARTBEAT_A_STATS_MAX,
	},
	{
		.cmd	= HEARTBEAT_CMD_KEY_ADD,
		.doit	= hb_nl_key_add,
		.policy	= hb_key_policy,
		.maxattr = HEARTBEAT_A_KEY_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= HEARTBEAT_CMD_KEY_DEL,
		.doit	= hb_nl_key_del,
		.policy	= hb_key_policy,
		.maxattr = HEARTBEAT_A_KEY_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= HEARTBEAT_CMD_KEY_GET,
		.dumpit	= hb_nl_key_dump,
		.policy	= hb_key_policy,
		.maxattr = HEARTBEAT_A_KEY_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= HEARTBEAT_CMD_QUORUM_GET,
		.doit	= hb_nl_quorum_get,
		.policy	= hb_quorum_get_policy,
		.maxattr = HEARTBEAT_A_QUORUM_MAX,
	},
	{
		.cmd	= HEARTBEAT_CMD_QUORUM_SET,
		.doit	= hb_nl_quorum_set,
		.policy	= hb_quorum_set_policy,
		.maxattr = HEARTBEAT_A_QUORUM_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= HEARTBEAT_CMD_PEER_PROBE,
		.doit	= hb_nl_peer_probe,
		.policy	= hb_probe_policy,
		.maxattr = HEARTBEAT_A_PROBE_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	/* Readiness gates: app.c. */
	{
		.cmd	= HEARTBEAT_CMD_APP_ADD,
		.doit	= hb_nl_app_add,
		.policy	= hb_app_add_policy,
		.maxattr = HEARTBEAT_A_APP_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= HEARTBEAT_CMD_APP_DEL,
		.doit	= hb_nl_app_del,
		.policy	= hb_app_name_policy,
		.maxattr = HEARTBEAT_A_APP_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= HEARTBEAT_CMD_APP_GET,
		.doit	= hb_nl_app_get,
		.dumpit	= hb_nl_app_dump,
		.policy	= hb_app_name_policy,
		.maxattr = HEARTBEAT_A_APP_MAX,
	},
	{
		.cmd	= HEARTBEAT_CMD_APP_KICK,
		.doit	= hb_nl_app_kick,
		.policy	= hb_app_name_policy,
		.maxattr = HEARTBEAT_A_APP_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= HEARTBEAT_CMD_DISK_ADD,
		.doit	= hb_nl_disk_add,
		.policy	= hb_disk_policy,
		.maxattr = HEARTBEAT_A_DISK_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= HEARTBEAT_CMD_DISK_DEL,
		.doit	= hb_nl_disk_del,
		.policy	= hb_disk_policy,
		.maxattr = HEARTBEAT_A_DISK_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= HEARTBEAT_CMD_DISK_GET,
		.doit	= hb_nl_disk_get,
		.policy	= hb_disk_get_policy,
		.maxattr = HEARTBEAT_A_DISK_MAX,
	},
	{
		.cmd	= HEARTBEAT_CMD_DISK_POISON,
		.doit	= hb_nl_disk_poison,
		.policy	= hb_disk_policy,
		.maxattr = HEARTBEAT_A_DISK_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
};

static const struct genl_multicast_group hb_mcgrps[] = {
	{ .name = HEARTBEAT_MCGRP_EVENTS },
};

static struct genl_family hb_genl_family __ro_after_init = {
	.name		= HEARTBEAT_GENL_NAME,
	.version	= HEARTBEAT_GENL_VERSION,
	.netnsok	= true,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.ops		= hb_genl_ops,
	.n_ops		= ARRAY_SIZE(hb_genl_ops),
	.mcgrps		= hb_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(hb_mcgrps),
};

void *hb_genl_put(struct sk_buff *skb, u32 portid, u32 seq, int flags, u8 cmd)
{
	return genlmsg_put(skb, portid, seq, &hb_genl_family, flags, cmd);
}

int __init hb_genl_register(void)
{
	int err;

	err = genl_register_family(&hb_genl_family);
	if (!err)
		WRITE_ONCE(hb_events_live, true);
	return err;
}

void hb_genl_unregister(void)
{
	/* No event may be on its way while the family goes. */
	WRITE_ONCE(hb_events_live, false);
	synchronize_rcu();
	genl_unregister_family(&hb_genl_family);
}
