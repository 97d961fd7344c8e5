// SPDX-License-Identifier: GPL-2.0-only
/*
 * A module that exists only to be caught: it WARNs when loaded, so that the
 * test suite can show that the VM runner fails a run whose kernel log holds a
 * splat. It is never part of the product module.
 */
#include <linux/bug.h>
#include <linux/module.h>

static int __init hb_splat_test_init(void)
{
	WARN(1, "hb_splat_test: planted warning\n");
	return 0;
}

static void __exit hb_splat_test_exit(void)
{
}

module_init(hb_splat_test_init);
module_exit(hb_splat_test_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Planted splat for the heartbeat VM runner's self-test");
