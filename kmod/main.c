// SPDX-License-Identifier: GPL-2.0-only
/*
 * heartbeat: cluster liveness detection over raw Ethernet.
 *
 * Module entry points. Everything else lives in a file of its own:
 * netns.c (per-namespace node), link.c (devices and senders), tx.c, rx.c,
 * peer.c (peers and their deadline timers), detector.c (the verdicts),
 * proto.c (the wire format), netlink.c (the generic netlink API).
 */
#include <linux/if_ether.h>
#include <linux/module.h>
#include <net/genetlink.h>

#include "heartbeat.h"

#define CREATE_TRACE_POINTS
#include "hb_trace.h"

unsigned short hb_ethertype __read_mostly = HB_ETHERTYPE_DEFAULT;
module_param_named(ethertype, hb_ethertype, ushort, 0444);
MODULE_PARM_DESC(ethertype,
		 "EtherType of heartbeat frames (default 0x88B5; at least 0x0600)");

static int __init heartbeat_init(void)
{
	int err;

	if (hb_ethertype < ETH_P_802_3_MIN) {
		pr_err("heartbeat: ethertype 0x%04x is a length, not a type\n",
		       hb_ethertype);
		return -EINVAL;
	}

	err = hb_sysfs_init();
	if (err)
		return err;
	hb_debugfs_init();
	err = hb_netns_register();
	if (err)
		goto err_sysfs;
	err = hb_link_notifier_register();
	if (err)
		goto err_netns;
	hb_rx_register();
	err = hb_lw_init();
	if (err)
		goto err_rx;
	/* Last, so no request can reach a half-initialised module. */
	err = hb_genl_register();
	if (err)
		goto err_lw;

	pr_info("heartbeat " HEARTBEAT_MODULE_VERSION " loaded (ethertype 0x%04x)\n",
		hb_ethertype);
	return 0;

err_lw:
	hb_lw_exit();
err_rx:
	hb_rx_unregister();
	hb_link_notifier_unregister();
err_netns:
	hb_netns_unregister();
err_sysfs:
	hb_debugfs_exit();
	hb_sysfs_exit();
	return err;
}

static void __exit heartbeat_exit(void)
{
	/* No more requests, frames or events; then goodbyes; then teardown. */
	hb_genl_unregister();
	hb_lw_exit();
	hb_rx_unregister();
	hb_links_leave_all();
	hb_link_notifier_unregister();
	hb_netns_unregister();
	hb_tx_worker_exit();
	hb_debugfs_exit();
	hb_sysfs_exit();
}

module_init(heartbeat_init);
module_exit(heartbeat_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Cluster liveness detection over raw Ethernet");
MODULE_VERSION(HEARTBEAT_MODULE_VERSION);
MODULE_ALIAS_GENL_FAMILY(HEARTBEAT_GENL_NAME);
