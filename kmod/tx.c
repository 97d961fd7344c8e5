// SPDX-License-Identifier: GPL-2.0-only
/*
 * Building and sending heartbeat frames. Runs from a link's tx timer
 * (softirq) or, for LEAVE, from process context with that timer stopped;
 * either way only one context at a time touches a link's sequence number.
 */
#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <linux/pkt_sched.h>
#include <linux/skbuff.h>
#include <linux/timekeeping.h>

#include "heartbeat.h"
#include "hb_trace.h"

const u8 hb_group_mac[ETH_ALEN] = HB_GROUP_MAC;

/* One frame to dst; any context (probe.c sends with it too). */
int hb_tx_one(struct hb_link *link, const u8 *dst, const u8 *msg,
	      unsigned int len)
{
	struct net_device *dev = link->dev;
	int hlen = LL_RESERVED_SPACE(dev);
	struct sk_buff *skb;

	if (READ_ONCE(link->hn->fenced))
		return -EPERM;
	skb = alloc_skb(hlen + len + dev->needed_tailroom, GFP_ATOMIC);
	if (!skb)
		return -ENOMEM;
	skb_reserve(skb, hlen);
	skb_reset_network_header(skb);
	skb_put_data(skb, msg, len);
	skb->dev = dev;
	skb->protocol = htons(hb_ethertype);
	skb->priority = TC_PRIO_CONTROL;
	if (dev_hard_header(skb, dev, hb_ethertype, dst, dev->dev_addr,
			    skb->len) < 0) {
		kfree_skb(skb);
		return -EINVAL;
	}
	return dev_queue_xmit(skb);
}

static void hb_tx_count(struct hb_link *link, int err)
{
	if (err) {
		WRITE_ONCE(link->tx_errors, link->tx_errors + 1);
		return;
	}
	WRITE_ONCE(link->tx, link->tx + 1);
	hb_stats_inc(link->hn, HB_STAT_TX);
}

/* Unicast links send one copy per configured peer reachable through them. */
static void hb_tx_unicast(struct hb_link *link, const u8 *msg, unsigned int len)
{
	struct hb_peer *peer;
	u8 mac[ETH_ALEN];

	rcu_read_lock();
	list_for_each_entry_rcu(peer, &link->hn->peers, list) {
		spin_lock_bh(&peer->lock);
		ether_addr_copy(mac, peer->mac);
		if (peer->ifindex && peer->ifindex != link->dev->ifindex)
			eth_zero_addr(mac);
		spin_unlock_bh(&peer->lock);
		if (is_valid_ether_addr(mac))
			hb_tx_count(link, hb_tx_one(link, mac, msg, len));
	}
	rcu_read_unlock();
}

/*
 * A frame is built here, not on the stack: with gossip it may be most of a
 * kilobyte. Senders run with bottom halves off, one at a time per CPU.
 */
struct hb_tx_scratch {
	u8 buf[HB_MSG_MAX];
	struct hb_echo echo[HB_ECHO_MAX];
	struct hb_gossip gossip[HB_GOSSIP_MAX];
};

static DEFINE_PER_CPU(struct hb_tx_scratch, hb_tx_scratch);

/*
 * Append the TLVs of a heartbeat: how late it is, echoes and gossip as far
 * as the frame's room allows. The room keeps space for the AUTH TLV, so a
 * frame never outgrows the device's MTU.
 */
static size_t hb_tx_tlvs(struct hb_net *hn, struct hb_tx_scratch *sc,
			 size_t len, size_t room, u64 late_ns)
{
	u32 gossip = READ_ONCE(hn->config.gossip);
	size_t avail;
	u16 total = 0, first = 0;
	unsigned int n;

	hb_late_put(sc->buf, room, &len,
		    (u32)min_t(u64, div_u64(late_ns, NSEC_PER_USEC), U32_MAX));
	/* Signed frames echo peers: proof of freshness for their receivers. */
	if (READ_ONCE(hn->config.auth) != HEARTBEAT_AUTH_OFF) {
		n = hb_peers_echo(hn, sc->echo);
		if (n)
			hb_echo_put(sc->buf, room, &len, sc->echo, n);
	}
	if (!gossip || room < len + HB_TLV_HDR_LEN + HB_GOSSIP_HDR_LEN +
			      HB_GOSSIP_ENTRY_LEN)
		return len;
	avail = (room - len - HB_TLV_HDR_LEN - HB_GOSSIP_HDR_LEN) /
		HB_GOSSIP_ENTRY_LEN;
	n = hb_peers_gossip(hn, sc->gossip, min_t(size_t, gossip, avail),
			    &total, &first);
	if (n && !hb_gossip_put(sc->buf, room, &len, sc->gossip, n, total,
				first))
		hb_stats_add(hn, HB_STAT_GOSSIP_TX, n);
	return len;
}

/* The header fields every frame of link carries, sequence and time aside. */
void hb_msg_of_link(const struct hb_link *link, u8 type, struct hb_msg *msg)
{
	const struct hb_net *hn = link->hn;

	*msg = (struct hb_msg) {
		.type = type,
		.link_id = link->id,
		.cluster = READ_ONCE(hn->config.cluster_id),
		.node_id = READ_ONCE(hn->config.node_id),
		.incarnation = hn->incarnation,
		.interval_us = READ_ONCE(hn->config.interval_us),
		.flags = hb_apps_flags(&hn->apps),
	};
}

/*
 * A DYING frame of link into buf (room bytes, no more than the device's
 * MTU); its length, or 0. Any context, a panic included: no lock, no
 * allocation, a clock that is safe from any context.
 */
unsigned int hb_dying_build(struct hb_link *link, u8 reason, u8 *buf,
			    unsigned int room)
{
	struct hb_msg msg;
	unsigned int len;
	size_t end;
	int hdr;

	hb_msg_of_link(link, HB_MSG_DYING, &msg);
	if (!msg.node_id || READ_ONCE(link->hn->fenced) ||
	    room < HB_HDR_LEN + HB_DYING_TLV_LEN + HB_AUTH_TLV_LEN)
		return 0;
	msg.seq = ++link->seq;
	msg.tx_time_ns = ktime_get_real_fast_ns();
	hdr = hb_msg_encode(buf, HB_HDR_LEN, &msg);
	if (hdr < 0)
		return 0;
	end = hdr;
	if (hb_dying_put(buf, room - HB_AUTH_TLV_LEN, &end, reason))
		return 0;
	hb_msg_set_length(buf, end);
	rcu_read_lock();
	len = hb_auth_sign(link->hn, buf, end);
	rcu_read_unlock();
	return len;
}

static void __hb_tx(struct hb_link *link, struct hb_tx_scratch *sc, u8 type,
		    u64 late_ns, u8 reason)
{
	struct hb_net *hn = link->hn;
	struct net_device *dev = link->dev;
	struct hb_msg msg;
	size_t room;
	int len;

	hb_msg_of_link(link, type, &msg);

	/* A node without an id is not a member of any cluster yet. */
	if (!msg.node_id)
		return;
	/* Told to stop by a poison pill: not a word more. */
	if (READ_ONCE(hn->fenced)) {
		WRITE_ONCE(link->tx_skipped, link->tx_skipped + 1);
		return;
	}
	/* An expired "silence" gate: peers must judge us dead (app.c). */
	if (type == HB_MSG_HEARTBEAT && hb_apps_silent(&hn->apps))
		return;
	if (!netif_running(dev) || !netif_carrier_ok(dev) ||
	    dev->mtu < HB_HDR_LEN + HB_AUTH_TLV_LEN) {
		WRITE_ONCE(link->tx_skipped, link->tx_skipped + 1);
		return;
	}

	msg.seq = ++link->seq;
	msg.tx_time_ns = ktime_get_real_ns();
	len = hb_msg_encode(sc->buf, HB_HDR_LEN, &msg);
	if (WARN_ON_ONCE(len < 0))
		return;
	room = min_t(size_t, dev->mtu, HB_MSG_MAX) - HB_AUTH_TLV_LEN;
	if (type == HB_MSG_HEARTBEAT) {
		len = hb_tx_tlvs(hn, sc, len, room, late_ns);
		hb_msg_set_length(sc->buf, len);
	} else if (type == HB_MSG_DYING) {
		size_t end = len;

		if (!hb_dying_put(sc->buf, room, &end, reason)) {
			len = end;
			hb_msg_set_length(sc->buf, len);
		}
	}
	rcu_read_lock();
	len = hb_auth_sign(hn, sc->buf, len);
	rcu_read_unlock();
	if (!len) {
		WRITE_ONCE(link->tx_errors, link->tx_errors + 1);
		return;
	}

	trace_heartbeat_tx(dev, msg.node_id, link->id, msg.seq, type, late_ns);
	if (link->mode == HEARTBEAT_LINK_UNICAST)
		hb_tx_unicast(link, sc->buf, len);
	else
		hb_tx_count(link, hb_tx_one(link, hb_group_mac, sc->buf, len));
}

void hb_tx(struct hb_link *link, u8 type, u64 late_ns)
{
	local_bh_disable();
	__hb_tx(link, this_cpu_ptr(&hb_tx_scratch), type, late_ns, 0);
	local_bh_enable();
}

/* Last words through the usual path; the link's sender is stopped. */
void hb_tx_dying(struct hb_link *link, u8 reason)
{
	local_bh_disable();
	__hb_tx(link, this_cpu_ptr(&hb_tx_scratch), HB_MSG_DYING, 0, reason);
	local_bh_enable();
}
