/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host stand-in for the kernel's <asm/unaligned.h>, plus cpu_to_be64()
 * (<asm/byteorder.h> in the kernel, reached indirectly there).
 */
#ifndef _HB_KSHIM_UNALIGNED_H
#define _HB_KSHIM_UNALIGNED_H

#include <endian.h>
#include <string.h>
#include <linux/types.h>

static inline u32 get_unaligned_be32(const void *p)
{
	u32 v;

	memcpy(&v, p, sizeof(v));
	return be32toh(v);
}

static inline void put_unaligned_be32(u32 v, void *p)
{
	v = htobe32(v);
	memcpy(p, &v, sizeof(v));
}

#define cpu_to_be64(x)	htobe64(x)

#endif
