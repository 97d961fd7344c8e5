// SPDX-License-Identifier: GPL-2.0-only
/*
 * debugfs: one human-readable table per namespace with the internals that
 * sysfs and netlink keep to themselves or spread over many files: window
 * statistics, send lateness histograms, drop reasons, detection times and
 * how full the peer hash is.
 *
 *   /sys/kernel/debug/heartbeat/NETNS	NETNS: the namespace's inode number
 *
 * The layout is for people and may change; scripts use netlink or sysfs.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "heartbeat.h"

static struct dentry *hb_debugfs_root;

static void hb_debugfs_node(struct seq_file *m, struct hb_net *hn)
{
	struct hb_node_config cfg;
	u64 sum[HB_STAT_COUNT];
	u64 seq, sent, lost;
	unsigned int queued;
	int r;

	mutex_lock(&hn->lock);
	cfg = hn->config;
	mutex_unlock(&hn->lock);

	seq_printf(m, "node %u cluster %u incarnation %llu netns %u\n",
		   cfg.node_id, cfg.cluster_id, hn->incarnation,
		   hn->net->ns.inum);
	seq_printf(m, "detector %s interval_us %u fall %u rise %u grace_us %u slack_us %u learn %u\n",
		   hb_detector_name(cfg.detector), cfg.interval_us, cfg.fall,
		   cfg.rise, cfg.grace_us, cfg.slack_us, cfg.learn);
	seq_printf(m, "phi model %s threshold %u.%03u warn %u.%03u window %u min_stddev_us %u pause_us %u\n",
		   hb_phi_model_name(cfg.phi_model), cfg.phi_threshold / 1000,
		   cfg.phi_threshold % 1000, cfg.phi_warn / 1000,
		   cfg.phi_warn % 1000, cfg.phi_window, cfg.phi_min_stddev_us,
		   cfg.phi_pause_us);

	hb_stats_read(hn, sum);
	spin_lock_bh(&hn->uevent_lock);
	seq = hn->uevent_seq;
	sent = hn->uevents_sent;
	lost = hn->uevents_lost;
	queued = hn->uevent_queued;
	spin_unlock_bh(&hn->uevent_lock);
	seq_printf(m, "\ncounters: tx %llu rx %llu deferred %llu\n",
		   sum[HB_STAT_TX], sum[HB_STAT_RX], sum[HB_STAT_DEFERRED]);
	seq_printf(m, "uevents: seq %llu sent %llu lost %llu queued %u\n",
		   seq, sent, lost, queued);
	seq_printf(m, "auth %s key %u keys %u: signed %llu (%llu ns each), verified %llu (%llu ns each)\n",
		   hb_auth_name(cfg.auth), cfg.auth_key, READ_ONCE(hn->nkeys),
		   sum[HB_STAT_MAC_SIGNED],
		   div64_u64(sum[HB_STAT_MAC_SIGN_NS],
			     max_t(u64, sum[HB_STAT_MAC_SIGNED], 1)),
		   sum[HB_STAT_MAC_VERIFIED],
		   div64_u64(sum[HB_STAT_MAC_VERIFY_NS],
			     max_t(u64, sum[HB_STAT_MAC_VERIFIED], 1)));
	seq_printf(m, "limits: max_peers %u learn_rate %u/s\n", cfg.max_peers,
		   cfg.learn_rate);
	seq_puts(m, "drops:");
	for (r = HEARTBEAT_DROP_UNSPEC + 1; r <= HEARTBEAT_DROP_MAX; r++)
		seq_printf(m, " %s %llu", hb_drop_name(r), sum[r]);
	seq_putc(m, '\n');
}

/* A log2 histogram as "<1:n 1-2:n 2-4:n ... >=X:n", empty buckets left out. */
static void hb_debugfs_hist(struct seq_file *m, const char *title,
			    const char *unit, const u64 *hist, int buckets)
{
	int b;

	seq_printf(m, "%s (%s):", title, unit);
	for (b = 0; b < buckets; b++) {
		if (!hist[b])
			continue;
		if (!b)
			seq_printf(m, " <1:%llu", hist[b]);
		else if (b == buckets - 1)
			seq_printf(m, " >=%lu:%llu", 1UL << (b - 1), hist[b]);
		else
			seq_printf(m, " %lu-%lu:%llu", 1UL << (b - 1), 1UL << b,
				   hist[b]);
	}
	seq_putc(m, '\n');
}

static void hb_debugfs_detection(struct seq_file *m, struct hb_net *hn)
{
	u64 hist[HEARTBEAT_DETECT_BUCKETS];
	int b;

	for (b = 0; b < HEARTBEAT_DETECT_BUCKETS; b++)
		hist[b] = atomic64_read(&hn->detect_hist[b]);
	seq_printf(m, "\ndetections %lld, total %lld us\n",
		   (s64)atomic64_read(&hn->detect_count),
		   (s64)atomic64_read(&hn->detect_sum_us));
	hb_debugfs_hist(m, "detection time", "ms", hist,
			HEARTBEAT_DETECT_BUCKETS);
}

static void hb_debugfs_links(struct seq_file *m, struct hb_net *hn)
{
	u64 hist[HEARTBEAT_LATE_BUCKETS];
	struct hb_link *link;
	int b;

	seq_printf(m, "\nlinks %u\n", READ_ONCE(hn->nlinks));
	seq_printf(m, "%-16s %5s %-9s %2s %12s %8s %8s %8s %12s\n", "ifname",
		   "id", "mode", "up", "tx", "errors", "skipped", "overruns",
		   "late_max_us");
	rcu_read_lock();
	list_for_each_entry_rcu(link, &hn->links, list) {
		const struct net_device *dev = link->dev;

		seq_printf(m, "%-16s %5u %-9s %2u %12llu %8llu %8llu %8llu %12llu\n",
			   dev->name, link->id,
			   link->mode == HEARTBEAT_LINK_UNICAST ? "unicast" :
								  "multicast",
			   netif_running(dev) && netif_carrier_ok(dev),
			   READ_ONCE(link->tx), READ_ONCE(link->tx_errors),
			   READ_ONCE(link->tx_skipped),
			   READ_ONCE(link->tx_overruns),
			   div_u64(READ_ONCE(link->late_max_ns), NSEC_PER_USEC));
		for (b = 0; b < HEARTBEAT_LATE_BUCKETS; b++)
			hist[b] = READ_ONCE(link->late_hist[b]);
		seq_puts(m, "  ");
		hb_debugfs_hist(m, "send lateness", "us", hist,
				HEARTBEAT_LATE_BUCKETS);
	}
	rcu_read_unlock();
}

static void hb_debugfs_peers(struct seq_file *m, struct hb_net *hn)
{
	unsigned int used = 0, longest = 0, chain, bkt;
	struct hb_probe_snapshot ps;
	struct hb_peer_snapshot s;
	struct hb_peer *peer;
	u64 now;

	rcu_read_lock();
	for (bkt = 0; bkt < HASH_SIZE(hn->peer_hash); bkt++) {
		chain = 0;
		hlist_for_each_entry_rcu(peer, &hn->peer_hash[bkt], hnode)
			chain++;
		used += chain > 0;
		longest = max(longest, chain);
	}
	seq_printf(m, "\npeers %u, hash buckets %lu used %u longest chain %u\n",
		   READ_ONCE(hn->npeers), HASH_SIZE(hn->peer_hash), used,
		   longest);
	seq_printf(m, "%10s %-11s %1s %20s %10s %12s %10s %8s %8s %8s %10s %10s %7s %26s %5s\n",
		   "id", "state", "c", "incarnation", "interval", "last_seen_us",
		   "rx", "lost", "restarts", "phi", "mean_us", "stddev_us",
		   "samples", "rtt_us min/mean/p99/n", "links");
	list_for_each_entry_rcu(peer, &hn->peers, list) {
		u32 phi;

		hb_peer_snapshot(peer, &s);
		hb_probe_snapshot(peer, &ps);
		now = ktime_get_ns();
		phi = hb_peer_phi_milli(hn, &s, now);
		seq_printf(m, "%10u %-11s %1s %20llu %10u %12lld %10llu %8llu %8llu %4u.%03u %10llu %10llu %7u %8u/%u/%u/%u %3u/%u\n",
			   s.id, hb_state_name(s.state),
			   s.configured ? "c" : "-", s.det.incarnation,
			   s.det.interval_us,
			   s.det.heard ?
			   (s64)div_u64(now - s.det.last_rx_ns, NSEC_PER_USEC) :
			   -1LL,
			   s.det.rx, s.lost, s.det.restarts, phi / 1000,
			   phi % 1000,
			   div_u64(hb_phi_mean_ns(&s.window), NSEC_PER_USEC),
			   div_u64(hb_phi_stddev_ns(&s.window), NSEC_PER_USEC),
			   s.window.count, ps.rtt.min_us, ps.rtt.mean_us,
			   ps.rtt.p99_us, ps.rtt.samples,
			   hb_channels_up(&s.chans), hb_channels_known(&s.chans));
	}
	rcu_read_unlock();
}

static int hb_debugfs_show(struct seq_file *m, void *v)
{
	struct hb_net *hn = m->private;

	hb_debugfs_node(m, hn);
	hb_debugfs_detection(m, hn);
	hb_debugfs_links(m, hn);
	hb_debugfs_peers(m, hn);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(hb_debugfs);

void hb_debugfs_net_init(struct hb_net *hn)
{
	char name[16];

	snprintf(name, sizeof(name), "%u", hn->net->ns.inum);
	/* debugfs is optional: a failure leaves an error pointer, harmless. */
	hn->debugfs = debugfs_create_file(name, 0444, hb_debugfs_root, hn,
					  &hb_debugfs_fops);
}

void hb_debugfs_net_exit(struct hb_net *hn)
{
	debugfs_remove(hn->debugfs);
	hn->debugfs = NULL;
}

void __init hb_debugfs_init(void)
{
	hb_debugfs_root = debugfs_create_dir("heartbeat", NULL);
	hb_auth_fault_init();
}

void hb_debugfs_exit(void)
{
	hb_auth_fault_exit();
	debugfs_remove(hb_debugfs_root);
}
