// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per network namespace state: every namespace is an independent node with
 * its own configuration, created and torn down with the namespace.
 */
#include <linux/ktime.h>
#include <linux/timekeeping.h>

#include <uapi/linux/heartbeat.h>

#include "heartbeat.h"

unsigned int hb_net_id __read_mostly;

static const struct hb_node_config hb_default_config = {
	.node_id	= 0,
	.cluster_id	= 0,
	.interval_us	= 100000,	/* 100 ms */
	.fall		= 3,
	.rise		= 2,
	.grace_us	= 1000000,	/* 1 s */
	.learn		= true,
};

static int __net_init hb_net_init(struct net *net)
{
	struct hb_net *hn = hb_net(net);

	mutex_init(&hn->lock);
	hn->config = hb_default_config;
	/*
	 * Wall-clock nanoseconds make a value that grows across reboots of
	 * the host as well as reloads of the module, which is what peers need
	 * to recognise a restart.
	 */
	hn->incarnation = ktime_get_real_ns();
	return 0;
}

static void __net_exit hb_net_exit(struct net *net)
{
	struct hb_net *hn = hb_net(net);

	mutex_destroy(&hn->lock);
}

static struct pernet_operations hb_net_ops = {
	.init	= hb_net_init,
	.exit	= hb_net_exit,
	.id	= &hb_net_id,
	.size	= sizeof(struct hb_net),
};

int hb_netns_register(void)
{
	return register_pernet_subsys(&hb_net_ops);
}

void hb_netns_unregister(void)
{
	unregister_pernet_subsys(&hb_net_ops);
}
