/* SPDX-License-Identifier: GPL-2.0-only */
/* Host stand-in for the kernel's <linux/string.h>. */
#ifndef _HB_KSHIM_STRING_H
#define _HB_KSHIM_STRING_H

#include <string.h>

/* glibc's explicit_bzero() is the same promise: not optimized away. */
#define memzero_explicit(p, n)	explicit_bzero((p), (n))

#endif
