// SPDX-License-Identifier: GPL-2.0-only
/*
 * HMAC-SHA256 over the kernel's own generic SHA-256: lib/crypto/sha256.c
 * of the kernel tree (KSHA256_SRC, given by the Makefile) is compiled in
 * as it is, with kshim/ standing in for the few kernel headers it needs.
 * That is the code behind the module's hmac(sha256) when no architecture
 * specific implementation (SHA-NI, AVX2) is registered.
 *
 * The HMAC is keyed once, as crypto/hmac.c does at setkey: the states
 * after the inner and the outer padded key are kept, so a message costs
 * what it does in the kernel: a copy of each state, the message and the
 * inner digest hashed, two finals.
 */
#include KSHA256_SRC

#include <stdlib.h>

#include "hmac.h"

const char bench_sha256_impl[] = "kernel-generic";

struct bench_hmac {
	struct sha256_state inner, outer;
};

struct bench_hmac *bench_hmac_new(const uint8_t *key, size_t len)
{
	u8 block[SHA256_BLOCK_SIZE] = { 0 }, pad[SHA256_BLOCK_SIZE];
	struct bench_hmac *h = calloc(1, sizeof(*h));
	size_t i;

	if (!h)
		return NULL;
	/* RFC 2104: a key longer than a block is hashed first. */
	if (len > SHA256_BLOCK_SIZE)
		sha256(key, (unsigned int)len, block);
	else
		memcpy(block, key, len);
	for (i = 0; i < SHA256_BLOCK_SIZE; i++)
		pad[i] = block[i] ^ 0x36;
	sha256_init(&h->inner);
	sha256_update(&h->inner, pad, SHA256_BLOCK_SIZE);
	for (i = 0; i < SHA256_BLOCK_SIZE; i++)
		pad[i] = block[i] ^ 0x5c;
	sha256_init(&h->outer);
	sha256_update(&h->outer, pad, SHA256_BLOCK_SIZE);
	memzero_explicit(block, sizeof(block));
	memzero_explicit(pad, sizeof(pad));
	return h;
}

void bench_hmac_sha256(const struct bench_hmac *h, const uint8_t *data,
		       size_t len, uint8_t out[BENCH_SHA256_LEN])
{
	struct sha256_state s = h->inner;
	u8 inner[SHA256_DIGEST_SIZE];

	sha256_update(&s, data, (unsigned int)len);
	sha256_final(&s, inner);
	s = h->outer;
	sha256_update(&s, inner, sizeof(inner));
	sha256_final(&s, out);
}
