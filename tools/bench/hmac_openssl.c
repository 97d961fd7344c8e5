// SPDX-License-Identifier: GPL-2.0-only
/*
 * HMAC-SHA256 from OpenSSL, for hosts without the kernel tree. Keyed once;
 * each message re-initializes the context with the same key, as the
 * module's precomputed hmac(sha256) states do.
 */
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <stdlib.h>
#include <string.h>

#include "hmac.h"

const char bench_sha256_impl[] = "openssl";

struct bench_hmac {
	EVP_MAC_CTX *ctx;
};

struct bench_hmac *bench_hmac_new(const uint8_t *key, size_t len)
{
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
						 (char *)"SHA256", 0),
		OSSL_PARAM_construct_end(),
	};
	struct bench_hmac *h = calloc(1, sizeof(*h));
	EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);

	if (!h || !mac)
		goto fail;
	h->ctx = EVP_MAC_CTX_new(mac);
	if (!h->ctx || !EVP_MAC_init(h->ctx, key, len, params))
		goto fail;
	EVP_MAC_free(mac);
	return h;
fail:
	EVP_MAC_free(mac);
	if (h)
		EVP_MAC_CTX_free(h->ctx);
	free(h);
	return NULL;
}

void bench_hmac_sha256(const struct bench_hmac *h, const uint8_t *data,
		       size_t len, uint8_t out[BENCH_SHA256_LEN])
{
	size_t outlen = 0;

	/* A NULL key keeps the one set by bench_hmac_new(). */
	if (!EVP_MAC_init(h->ctx, NULL, 0, NULL) ||
	    !EVP_MAC_update(h->ctx, data, len) ||
	    !EVP_MAC_final(h->ctx, out, &outlen, BENCH_SHA256_LEN))
		memset(out, 0, BENCH_SHA256_LEN);
}
