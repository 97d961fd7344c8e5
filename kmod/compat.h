/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The few types the plain-C parts of heartbeat (wire codec, detector) need,
 * from the kernel when built into the module and from libc when built into
 * host tests, the evaluation harness and fuzzers. Those files include
 * nothing else.
 */
#ifndef _HB_COMPAT_H
#define _HB_COMPAT_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/string.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t s32;
typedef int64_t s64;
#endif

#endif /* _HB_COMPAT_H */
