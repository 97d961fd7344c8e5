// SPDX-License-Identifier: GPL-2.0-only
/*
 * heartbeat: cluster liveness detection over raw Ethernet.
 *
 * Module entry points. Everything else lives in a file of its own:
 * netns.c (per-namespace state), netlink.c (the generic netlink API).
 */
#include <linux/module.h>
#include <net/genetlink.h>

#include <uapi/linux/heartbeat.h>

#include "heartbeat.h"

static int __init heartbeat_init(void)
{
	int err;

	err = hb_netns_register();
	if (err)
		return err;

	/* Last, so no request can reach a half-initialised module. */
	err = hb_genl_register();
	if (err)
		goto err_netns;

	pr_info("heartbeat " HEARTBEAT_MODULE_VERSION " loaded\n");
	return 0;

err_netns:
	hb_netns_unregister();
	return err;
}

static void __exit heartbeat_exit(void)
{
	hb_genl_unregister();
	hb_netns_unregister();
}

module_init(heartbeat_init);
module_exit(heartbeat_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Cluster liveness detection over raw Ethernet");
MODULE_VERSION(HEARTBEAT_MODULE_VERSION);
MODULE_ALIAS_GENL_FAMILY(HEARTBEAT_GENL_NAME);
