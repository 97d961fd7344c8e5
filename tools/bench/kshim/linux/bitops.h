/* SPDX-License-Identifier: GPL-2.0-only */
/* Host stand-in for the kernel's <linux/bitops.h>: what SHA-256 uses. */
#ifndef _HB_KSHIM_BITOPS_H
#define _HB_KSHIM_BITOPS_H

#include <linux/types.h>

static inline u32 ror32(u32 word, unsigned int shift)
{
	return (word >> (shift & 31)) | (word << ((-shift) & 31));
}

#endif
