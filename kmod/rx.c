// SPDX-License-Identifier: GPL-2.0-only
/*
 * Receiving heartbeat frames: one packet_type handler for the EtherType,
 * serving every namespace. A frame is accepted only on a bound link, from
 * our cluster, from another node; anything else is dropped and counted
 * under its reason.
 */
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>

#include "heartbeat.h"
#include "hb_trace.h"

/* The frame's source address, where answers go; NULL if not Ethernet. */
static const u8 *hb_rx_src(const struct sk_buff *skb,
			   const struct net_device *dev)
{
	if (dev->type != ARPHRD_ETHER || !skb_mac_header_was_set(skb) ||
	    skb_mac_header_len(skb) < ETH_HLEN)
		return NULL;
	return eth_hdr(skb)->h_source;
}

/* Returns 0 or the drop reason; *msg is filled once the frame decodes. */
static unsigned int hb_rx_check(struct hb_net *hn, struct sk_buff *skb,
				struct net_device *dev, u64 now,
				struct hb_msg *msg)
{
	unsigned int len = min_t(unsigned int, skb->len, HB_MSG_MAX);
	struct hb_link *link;
	unsigned int err;
	u32 own_id;

	link = hb_link_find(hn, dev->ifindex);
	if (!link)
		return HEARTBEAT_DROP_UNBOUND;
	if (!pskb_may_pull(skb, len))
		return HEARTBEAT_DROP_NOMEM;
	err = hb_msg_decode(skb->data, len, msg);
	if (err)
		return err;
	if (msg->cluster != READ_ONCE(hn->config.cluster_id))
		return HEARTBEAT_DROP_CLUSTER;
	own_id = READ_ONCE(hn->config.node_id);
	if (!own_id)
		return HEARTBEAT_DROP_NO_ID;
	if (msg->node_id == own_id)
		return HEARTBEAT_DROP_OWN_ID;
	/* Before the frame can create or feed a peer. */
	err = hb_auth_check(hn, skb->data, msg);
	if (err)
		return err;
	/* Probes never reach the detector or the sequence check. */
	if (hb_msg_is_probe(msg->type))
		return hb_probe_rx(hn, msg, dev->ifindex, hb_rx_src(skb, dev),
				   now);
	err = hb_peer_rx(hn, msg, link, now);
	if (!err)
		hb_probe_heard(hn, msg, dev->ifindex, hb_rx_src(skb, dev), now);
	return err;
}

static int hb_rcv(struct sk_buff *skb, struct net_device *dev,
		  struct packet_type *pt, struct net_device *orig_dev)
{
	u64 now = ktime_get_ns();
	struct hb_msg msg = {};
	struct hb_net *hn;
	unsigned int reason;

	/* Frames for other hosts reach us only in promiscuous mode. */
	if (skb->pkt_type == PACKET_OTHERHOST || skb->pkt_type == PACKET_LOOPBACK)
		goto drop;
	skb = skb_share_check(skb, GFP_ATOMIC);
	if (!skb)
		return NET_RX_DROP;

	hn = hb_net(dev_net(dev));
	rcu_read_lock();
	reason = hb_rx_check(hn, skb, dev, now, &msg);
	rcu_read_unlock();
	trace_heartbeat_rx(dev, msg.node_id, msg.link_id, msg.seq, reason);
	hb_stats_inc(hn, reason ? reason : HB_STAT_RX);
	if (reason) {
		hb_event_drop_noted(hn);
		goto drop;
	}
	consume_skb(skb);
	return NET_RX_SUCCESS;
drop:
	kfree_skb(skb);
	return NET_RX_DROP;
}

static struct packet_type hb_packet_type __read_mostly = {
	.func = hb_rcv,
};

void hb_rx_register(void)
{
	hb_packet_type.type = htons(hb_ethertype);
	dev_add_pack(&hb_packet_type);
}

void hb_rx_unregister(void)
{
	/* Waits for handlers running on other CPUs (synchronize_net). */
	dev_remove_pack(&hb_packet_type);
}
