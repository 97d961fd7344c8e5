/* SPDX-License-Identifier: GPL-2.0-only */
/* Host stand-in for the kernel's <linux/types.h>, for ksha256.c only. */
#ifndef _HB_KSHIM_TYPES_H
#define _HB_KSHIM_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint32_t u32;
typedef uint64_t u64;
typedef uint32_t __u32;
/* Byte order is by convention only here, as without sparse. */
typedef uint32_t __be32;
typedef uint64_t __be64;

#endif
