/* SPDX-License-Identifier: GPL-2.0-only */
/* Host stand-in for the kernel's <linux/export.h>: no symbol table here. */
#ifndef _HB_KSHIM_EXPORT_H
#define _HB_KSHIM_EXPORT_H

#define EXPORT_SYMBOL(sym)

#endif
