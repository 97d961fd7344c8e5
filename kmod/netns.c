// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per network namespace state: every namespace is an independent node with
 * its own settings, links, peers and counters, created and torn down with
 * the namespace.
 */
#include <linux/ktime.h>
#include <linux/timekeeping.h>
#include <linux/percpu.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>

#include "heartbeat.h"

unsigned int hb_net_id __read_mostly;

static const struct hb_node_config hb_default_config = {
	.node_id	= 0,
	.cluster_id	= 0,
	.interval_us	= 100000,	/* 100 ms */
	.fall		= 3,
	.rise		= 2,
	.grace_us	= 1000000,	/* 1 s */
	.slack_us	= 0,		/* one interval */
	.learn		= true,
	.detector	= HEARTBEAT_DETECTOR_TIMEOUT,
	.phi_model	= HEARTBEAT_PHI_NORMAL,
	.phi_threshold	= 8000,		/* 8.0 */
	.phi_warn	= 0,
	.phi_window	= 100,
	.phi_min_stddev_us = 500,
	.phi_pause_us	= 0,
	.auth		= HEARTBEAT_AUTH_OFF,
	.auth_key	= 0,
	.max_peers	= 1024,
	.learn_rate	= 100,		/* new peers a second */
	/*
	 * Five minutes: longer than a server takes to reboot, so a learned
	 * peer that restarts keeps its counters, and short enough that a
	 * flood's made-up ids free the table minutes after it stops
	 * (Documentation/admin-guide.rst).
	 */
	.learn_expire_us = 300000000,
	.gossip		= HEARTBEAT_GOSSIP_MAX,
	.probe_helpers	= 3,
	.min_links	= 1,
	.last_words	= HEARTBEAT_LAST_WORDS_REBOOT,
};

static u32 hb_milli_to_phi(u32 milli)
{
	return (u32)(((u64)milli << HB_PHI_SHIFT) / 1000);
}

u32 hb_phi_to_milli(u32 phi_q16)
{
	return (u32)(((u64)phi_q16 * 1000 + HB_PHI_ONE / 2) >> HB_PHI_SHIFT);
}

/*
 * Derive the detector's parameters from cfg and publish them; hn->lock
 * held (or the instance not yet visible). Nothing changes on failure.
 */
int hb_params_update(struct hb_net *hn, const struct hb_node_config *cfg)
{
	struct hb_params *new, *old;
	struct hb_det_params *p;

	new = kzalloc(sizeof(*new), GFP_KERNEL);
	if (!new)
		return -ENOMEM;
	p = &new->det;
	p->fall = cfg->fall;
	p->rise = cfg->rise;
	p->grace_ns = (u64)cfg->grace_us * NSEC_PER_USEC;
	p->slack_ns = (u64)cfg->slack_us * NSEC_PER_USEC;
	p->detector = cfg->detector;
	p->phi_dead.model = cfg->phi_model;
	p->phi_dead.threshold = hb_milli_to_phi(cfg->phi_threshold);
	p->phi_dead.min_stddev_ns = (u64)cfg->phi_min_stddev_us * NSEC_PER_USEC;
	p->phi_dead.pause_ns = (u64)cfg->phi_pause_us * NSEC_PER_USEC;
	p->phi_warn = p->phi_dead;
	p->phi_warn.threshold = hb_milli_to_phi(cfg->phi_warn);
	if (hb_phi_params_prepare(&p->phi_dead) ||
	    (cfg->phi_warn && hb_phi_params_prepare(&p->phi_warn))) {
		kfree(new);
		return -ERANGE;
	}
	old = rcu_replace_pointer(hn->params, new, true);
	if (old)
		kfree_rcu(old, rcu);
	return 0;
}

void hb_det_params_get(struct hb_net *hn, struct hb_det_params *p)
{
	rcu_read_lock();
	*p = rcu_dereference(hn->params)->det;
	rcu_read_unlock();
}

void hb_stats_read(struct hb_net *hn, u64 *sum)
{
	int cpu, i;

	memset(sum, 0, sizeof(*sum) * HB_STAT_COUNT);
	for_each_possible_cpu(cpu) {
		const struct hb_stats *s = per_cpu_ptr(hn->stats, cpu);
		u64 val[HB_STAT_COUNT];
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			for (i = 0; i < HB_STAT_COUNT; i++)
				val[i] = u64_stats_read(&s->ctr[i]);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		for (i = 0; i < HB_STAT_COUNT; i++)
			sum[i] += val[i];
	}
}

static int __net_init hb_net_init(struct net *net)
{
	struct hb_net *hn = hb_net(net);
	int cpu, err;

	hn->stats = alloc_percpu(struct hb_stats);
	if (!hn->stats)
		return -ENOMEM;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(hn->stats, cpu)->syncp);

	hn->net = net;
	mutex_init(&hn->lock);
	hb_event_net_init(hn);
	hn->config = hb_default_config;
	if (hb_params_update(hn, &hn->config)) {
		free_percpu(hn->stats);
		return -ENOMEM;
	}
	/*
	 * Wall-clock nanoseconds make a value that grows across reboots of
	 * the host as well as reloads of the module, which is what peers need
	 * to recognise a restart.
	 */
	hn->incarnation = ktime_get_real_ns();
	INIT_LIST_HEAD(&hn->links);
	spin_lock_init(&hn->peers_lock);
	hash_init(hn->peer_hash);
	INIT_LIST_HEAD(&hn->peers);
	INIT_LIST_HEAD(&hn->keys);
	hb_uevent_net_init(hn);
	hb_quorum_net_init(hn);
	hb_probe_net_init(hn);
	hb_app_net_init(hn);
	err = hb_sysfs_net_init(hn);
	if (err) {
		kfree(rcu_dereference_protected(hn->params, true));
		free_percpu(hn->stats);
		return err;
	}
	hb_debugfs_net_init(hn);
	hb_expire_net_init(hn);
	return 0;
}

/* Devices still exist here: say goodbye on every link. */
static void __net_exit hb_net_pre_exit(struct net *net)
{
	rtnl_lock();
	hb_links_flush(hb_net(net), true);
	rtnl_unlock();
}

static void __net_exit hb_net_exit(struct net *net)
{
	struct hb_net *hn = hb_net(net);

	hb_event_net_exit(hn);
	/* First: its work reads peers and the quorum. */
	hb_disk_del(hn);
	hb_debugfs_net_exit(hn);
	hb_app_net_exit(hn);
	hb_expire_net_exit(hn);
	hb_quorum_net_exit(hn);
	/* Links normally went in pre_exit or with their devices. */
	if (!list_empty(&hn->links)) {
		rtnl_lock();
		hb_links_flush(hn, false);
		rtnl_unlock();
	}
	hb_probe_net_exit(hn);
	hb_peers_flush(hn);
	hb_keys_flush(hn);
	hb_uevent_net_exit(hn);
	hb_sysfs_net_exit(hn);
	free_percpu(hn->stats);
	kfree(rcu_dereference_protected(hn->params, true));
	mutex_destroy(&hn->lock);
}

static struct pernet_operations hb_net_ops = {
	.init		= hb_net_init,
	.pre_exit	= hb_net_pre_exit,
	.exit		= hb_net_exit,
	.id		= &hb_net_id,
	.size		= sizeof(struct hb_net),
};

int hb_netns_register(void)
{
	return register_pernet_subsys(&hb_net_ops);
}

void hb_netns_unregister(void)
{
	unregister_pernet_subsys(&hb_net_ops);
}
