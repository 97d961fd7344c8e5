// SPDX-License-Identifier: GPL-2.0-only
/*
 * A module that exists only for a test: loading it holds RTNL for hold_ms
 * (insmod returns when it lets go), so that the suite can show which of
 * heartbeat's netlink reads wait for RTNL. It is never part of the product.
 */
#include <linux/delay.h>
#include <linux/module.h>
#include <linux/rtnetlink.h>

static unsigned int hold_ms = 3000;
module_param(hold_ms, uint, 0444);
MODULE_PARM_DESC(hold_ms, "how long loading holds RTNL");

static int __init hb_rtnl_hold_init(void)
{
	rtnl_lock();
	msleep(hold_ms);
	rtnl_unlock();
	return 0;
}

static void __exit hb_rtnl_hold_exit(void)
{
}

module_init(hb_rtnl_hold_init);
module_exit(hb_rtnl_hold_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Holds RTNL for heartbeat's VM tests");
