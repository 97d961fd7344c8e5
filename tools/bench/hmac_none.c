// SPDX-License-Identifier: GPL-2.0-only
/* No SHA-256 in this build: hbcost refuses --auth. */
#include "hmac.h"

const char bench_sha256_impl[] = "none";

struct bench_hmac *bench_hmac_new(const uint8_t *key, size_t len)
{
	(void)key;
	(void)len;
	return NULL;
}

void bench_hmac_sha256(const struct bench_hmac *h, const uint8_t *data,
		       size_t len, uint8_t out[BENCH_SHA256_LEN])
{
	(void)h;
	(void)data;
	(void)len;
	(void)out;
}
