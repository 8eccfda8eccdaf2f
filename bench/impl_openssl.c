/* SPDX-License-Identifier: Apache-2.0 */
/*
 * impl_openssl.c - the same signature check with OpenSSL 3 (EVP).
 *
 * What a crypto backend built on OpenSSL would do per token, written the
 * way such a backend would keep it fast: the key (EVP_PKEY), the digest
 * (EVP_MD_fetch) and, for HS256, a keyed HMAC context are made once; each
 * operation then
 *   ES256  turns the raw r || s into the DER ECDSA-Sig-Value OpenSSL takes
 *          (RFC 7518 section 3.4 signatures are not DER), then
 *          EVP_DigestVerifyInit + EVP_DigestVerify;
 *   RS256  EVP_DigestVerifyInit + EVP_DigestVerify, PKCS #1 v1.5 padding;
 *   PS256  the same with PSS padding, MGF1-SHA-256 and a 32-byte salt;
 *   HS256  duplicates the keyed HMAC context, MACs the signing input and
 *          compares with CRYPTO_memcmp.
 * A fresh EVP_MD_CTX per operation is what a thread-safe backend needs
 * (contexts are not shared between threads), so its cost is counted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "bench.h"

/* A DER ECDSA-Sig-Value for P-256: SEQUENCE of two INTEGERs of <= 33. */
#define DER_SIG_MAX 72

struct ossl_bench {
	enum bench_alg alg;
	EVP_PKEY *pkey;
	EVP_MD *md;
	EVP_MAC *mac;
	EVP_MAC_CTX *hmac;        /* keyed, never used directly: duplicated */
	const unsigned char *msg;
	size_t msglen;
	const unsigned char *sig;
	size_t siglen;
};

static void
ossl_teardown(void *ctx)
{
	struct ossl_bench *b = ctx;

	if (b == NULL)
		return;
	EVP_MAC_CTX_free(b->hmac);
	EVP_MAC_free(b->mac);
	EVP_MD_free(b->md);
	EVP_PKEY_free(b->pkey);
	free(b);
}

static int
ossl_setup(const struct bench_case *bc, void **out, char *err, size_t errlen)
{
	struct ossl_bench *b;
	OSSL_PARAM params[2];
	char digest[] = "SHA256";
	BIO *bio;

	*out = NULL;
	if ((b = calloc(1, sizeof(*b))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return BENCH_ERR;
	}
	b->alg = bc->alg;
	b->msg = bc->signing_input;
	b->msglen = bc->signing_input_len;
	b->sig = bc->sig;
	b->siglen = bc->sig_len;
	if ((b->md = EVP_MD_fetch(NULL, "SHA256", NULL)) == NULL)
		goto fail;
	if (bc->alg == BENCH_HS256) {
		params[0] = OSSL_PARAM_construct_utf8_string(
		    OSSL_MAC_PARAM_DIGEST, digest, 0);
		params[1] = OSSL_PARAM_construct_end();
		if ((b->mac = EVP_MAC_fetch(NULL, "HMAC", NULL)) == NULL ||
		    (b->hmac = EVP_MAC_CTX_new(b->mac)) == NULL ||
		    EVP_MAC_init(b->hmac, bc->key, bc->key_len, params) != 1)
			goto fail;
		*out = b;
		return BENCH_OK;
	}
	if ((bio = BIO_new_mem_buf(bc->key, -1)) == NULL)
		goto fail;
	b->pkey = PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
	BIO_free(bio);
	if (b->pkey == NULL ||
	    EVP_PKEY_get_base_id(b->pkey) !=
	    (bc->alg == BENCH_ES256 ? EVP_PKEY_EC : EVP_PKEY_RSA))
		goto fail;
	*out = b;
	return BENCH_OK;
fail:
	snprintf(err, errlen, "OpenSSL setup failed: %s",
	    ERR_reason_error_string(ERR_get_error()));
	ossl_teardown(b);
	return BENCH_ERR;
}

/* RFC 7518 section 3.4 r || s to DER; the length, or 0 on failure. */
static size_t
ecdsa_raw_to_der(const unsigned char *raw, unsigned char der[DER_SIG_MAX])
{
	ECDSA_SIG *es;
	BIGNUM *r, *s;
	unsigned char *p = der;
	int n;

	if ((es = ECDSA_SIG_new()) == NULL)
		return 0;
	r = BN_bin2bn(raw, 32, NULL);
	s = BN_bin2bn(raw + 32, 32, NULL);
	if (r == NULL || s == NULL || ECDSA_SIG_set0(es, r, s) != 1) {
		BN_free(r);
		BN_free(s);
		ECDSA_SIG_free(es);
		return 0;
	}
	n = i2d_ECDSA_SIG(es, NULL);
	if (n <= 0 || n > DER_SIG_MAX)
		n = 0;
	else
		n = i2d_ECDSA_SIG(es, &p);
	ECDSA_SIG_free(es);
	return n > 0 ? (size_t)n : 0;
}

static int
run_hmac(struct ossl_bench *b)
{
	unsigned char mac[EVP_MAX_MD_SIZE];
	EVP_MAC_CTX *c;
	size_t len = 0;
	int ok;

	if ((c = EVP_MAC_CTX_dup(b->hmac)) == NULL)
		return -1;
	ok = EVP_MAC_update(c, b->msg, b->msglen) == 1 &&
	    EVP_MAC_final(c, mac, &len, sizeof(mac)) == 1 &&
	    len == b->siglen && CRYPTO_memcmp(mac, b->sig, len) == 0;
	EVP_MAC_CTX_free(c);
	return ok ? 0 : -1;
}

static int
ossl_run(void *ctx)
{
	struct ossl_bench *b = ctx;
	unsigned char der[DER_SIG_MAX];
	const unsigned char *sig = b->sig;
	size_t siglen = b->siglen;
	EVP_PKEY_CTX *pctx = NULL;
	EVP_MD_CTX *mctx;
	int ok;

	if (b->alg == BENCH_HS256)
		return run_hmac(b);
	if (b->alg == BENCH_ES256) {
		if (b->siglen != 64 || (siglen = ecdsa_raw_to_der(b->sig, der)) == 0)
			return -1;
		sig = der;
	}
	if ((mctx = EVP_MD_CTX_new()) == NULL)
		return -1;
	ok = EVP_DigestVerifyInit(mctx, &pctx, b->md, NULL, b->pkey) == 1;
	if (ok && b->alg == BENCH_PS256)
		ok = EVP_PKEY_CTX_set_rsa_padding(pctx,
		    RSA_PKCS1_PSS_PADDING) == 1 &&
		    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, 32) == 1 &&
		    EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, b->md) == 1;
	ok = ok && EVP_DigestVerify(mctx, sig, siglen, b->msg, b->msglen) == 1;
	EVP_MD_CTX_free(mctx);
	return ok ? 0 : -1;
}

const struct bench_impl bench_openssl = {
	.name = "openssl",
	.label = "OpenSSL 3 verify",
	.setup = ossl_setup,
	.run = ossl_run,
	.verdict = NULL,
	.teardown = ossl_teardown,
};
