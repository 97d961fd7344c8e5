/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * HMAC-SHA256 for hbcost, over whichever SHA-256 the build found: the
 * kernel tree's generic C code (ksha256.c), OpenSSL (hmac_openssl.c), or
 * none (hmac_none.c). Types from libc only, so ksha256.c, built against
 * kernel headers, can share this file.
 */
#ifndef _HB_BENCH_HMAC_H
#define _HB_BENCH_HMAC_H

#include <stddef.h>
#include <stdint.h>

#define BENCH_SHA256_LEN	32

/* "kernel-generic", "openssl" or "none". */
extern const char bench_sha256_impl[];

struct bench_hmac;

/* A keyed HMAC; NULL when there is no SHA-256 in this build. */
struct bench_hmac *bench_hmac_new(const uint8_t *key, size_t len);
void bench_hmac_sha256(const struct bench_hmac *h, const uint8_t *data,
		       size_t len, uint8_t out[BENCH_SHA256_LEN]);

#endif /* _HB_BENCH_HMAC_H */
