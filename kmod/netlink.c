// SPDX-License-Identifier: GPL-2.0-only
/*
 * The "heartbeat" generic netlink family: configuration, state and events.
 *
 * Every operation has a strict policy of its own; operations that change
 * state require CAP_NET_ADMIN in the user namespace owning the caller's
 * network namespace (GENL_UNS_ADMIN_PERM), so a container root may manage
 * its own namespace but nobody else's.
 */
#include <net/genetlink.h>

#include <uapi/linux/heartbeat.h>

#include "heartbeat.h"

/* 6.1's policy takes these through a non-const pointer. */
static struct netlink_range_validation hb_interval_range __ro_after_init = {
	.min = HEARTBEAT_INTERVAL_MIN_US,
	.max = HEARTBEAT_INTERVAL_MAX_US,
};

static struct netlink_range_validation hb_grace_range __ro_after_init = {
	.min = 0,
	.max = HEARTBEAT_GRACE_MAX_US,
};

static const struct nla_policy hb_node_get_policy[HEARTBEAT_A_NODE_MAX + 1] = {
};

static const struct nla_policy hb_node_set_policy[HEARTBEAT_A_NODE_MAX + 1] = {
	[HEARTBEAT_A_NODE_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[HEARTBEAT_A_NODE_CLUSTER] = { .type = NLA_U32 },
	[HEARTBEAT_A_NODE_INTERVAL_US] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &hb_interval_range),
	[HEARTBEAT_A_NODE_FALL] = NLA_POLICY_RANGE(NLA_U32, 1, HEARTBEAT_FALL_MAX),
	[HEARTBEAT_A_NODE_RISE] = NLA_POLICY_RANGE(NLA_U32, 1, HEARTBEAT_RISE_MAX),
	[HEARTBEAT_A_NODE_GRACE_US] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &hb_grace_range),
	[HEARTBEAT_A_NODE_LEARN] = NLA_POLICY_MAX(NLA_U8, 1),
};

static struct genl_family hb_genl_family;

static int hb_node_fill(struct sk_buff *skb, struct hb_net *hn,
			const struct genl_info *info, u8 cmd)
{
	const struct hb_node_config *cfg = &hn->config;
	void *hdr;

	hdr = genlmsg_put(skb, info->snd_portid, info->snd_seq,
			  &hb_genl_family, 0, cmd);
	if (!hdr)
		return -EMSGSIZE;

	if (nla_put_u32(skb, HEARTBEAT_A_NODE_ID, cfg->node_id) ||
	    nla_put_u32(skb, HEARTBEAT_A_NODE_CLUSTER, cfg->cluster_id) ||
	    nla_put_u64_64bit(skb, HEARTBEAT_A_NODE_INCARNATION,
			      hn->incarnation, HEARTBEAT_A_NODE_PAD) ||
	    nla_put_u32(skb, HEARTBEAT_A_NODE_INTERVAL_US, cfg->interval_us) ||
	    nla_put_u32(skb, HEARTBEAT_A_NODE_FALL, cfg->fall) ||
	    nla_put_u32(skb, HEARTBEAT_A_NODE_RISE, cfg->rise) ||
	    nla_put_u32(skb, HEARTBEAT_A_NODE_GRACE_US, cfg->grace_us) ||
	    nla_put_u8(skb, HEARTBEAT_A_NODE_LEARN, cfg->learn)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static int hb_nl_node_get(struct sk_buff *skb, struct genl_info *info)
{
	struct hb_net *hn = hb_net(genl_info_net(info));
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	mutex_lock(&hn->lock);
	err = hb_node_fill(msg, hn, info, HEARTBEAT_CMD_NODE_GET);
	mutex_unlock(&hn->lock);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

static int hb_nl_node_set(struct sk_buff *skb, struct genl_info *info)
{
	struct hb_net *hn = hb_net(genl_info_net(info));
	struct nlattr **attrs = info->attrs;
	struct hb_node_config cfg;
	int i;

	for (i = HEARTBEAT_A_NODE_UNSPEC + 1; i <= HEARTBEAT_A_NODE_MAX; i++)
		if (attrs[i])
			break;
	if (i > HEARTBEAT_A_NODE_MAX) {
		NL_SET_ERR_MSG(info->extack, "no node setting given");
		return -EINVAL;
	}
	if (attrs[HEARTBEAT_A_NODE_INCARNATION]) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    attrs[HEARTBEAT_A_NODE_INCARNATION],
				    "the incarnation is read-only");
		return -EINVAL;
	}

	mutex_lock(&hn->lock);
	cfg = hn->config;
	if (attrs[HEARTBEAT_A_NODE_ID])
		cfg.node_id = nla_get_u32(attrs[HEARTBEAT_A_NODE_ID]);
	if (attrs[HEARTBEAT_A_NODE_CLUSTER])
		cfg.cluster_id = nla_get_u32(attrs[HEARTBEAT_A_NODE_CLUSTER]);
	if (attrs[HEARTBEAT_A_NODE_INTERVAL_US])
		cfg.interval_us =
			nla_get_u32(attrs[HEARTBEAT_A_NODE_INTERVAL_US]);
	if (attrs[HEARTBEAT_A_NODE_FALL])
		cfg.fall = nla_get_u32(attrs[HEARTBEAT_A_NODE_FALL]);
	if (attrs[HEARTBEAT_A_NODE_RISE])
		cfg.rise = nla_get_u32(attrs[HEARTBEAT_A_NODE_RISE]);
	if (attrs[HEARTBEAT_A_NODE_GRACE_US])
		cfg.grace_us = nla_get_u32(attrs[HEARTBEAT_A_NODE_GRACE_US]);
	if (attrs[HEARTBEAT_A_NODE_LEARN])
		cfg.learn = nla_get_u8(attrs[HEARTBEAT_A_NODE_LEARN]);
	hn->config = cfg;
	mutex_unlock(&hn->lock);
	return 0;
}

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

int __init hb_genl_register(void)
{
	return genl_register_family(&hb_genl_family);
}

void hb_genl_unregister(void)
{
	genl_unregister_family(&hb_genl_family);
}
