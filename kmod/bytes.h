/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Big-endian fields read and written a byte at a time, so that the wire
 * codec and the disk layout need neither alignment nor an endianness
 * helper from the environment they are built in. Plain C.
 */
#ifndef _HB_BYTES_H
#define _HB_BYTES_H

#include "compat.h"

static inline void hb_put16(u8 *p, u16 v)
{
	p[0] = (u8)(v >> 8);
	p[1] = (u8)(v & 0xff);
}

static inline void hb_put32(u8 *p, u32 v)
{
	hb_put16(p, (u16)(v >> 16));
	hb_put16(p + 2, (u16)(v & 0xffff));
}

static inline void hb_put64(u8 *p, u64 v)
{
	hb_put32(p, (u32)(v >> 32));
	hb_put32(p + 4, (u32)(v & 0xffffffff));
}

static inline u16 hb_get16(const u8 *p)
{
	return (u16)(p[0] << 8 | p[1]);
}

static inline u32 hb_get32(const u8 *p)
{
	return (u32)hb_get16(p) << 16 | hb_get16(p + 2);
}

static inline u64 hb_get64(const u8 *p)
{
	return (u64)hb_get32(p) << 32 | hb_get32(p + 4);
}

#endif /* _HB_BYTES_H */
