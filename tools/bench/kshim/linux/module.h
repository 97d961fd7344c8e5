/* SPDX-License-Identifier: GPL-2.0-only */
/* Host stand-in for the kernel's <linux/module.h>: not a module here. */
#ifndef _HB_KSHIM_MODULE_H
#define _HB_KSHIM_MODULE_H

#define MODULE_LICENSE(license)

#endif
