/* SPDX-License-Identifier: Apache-2.0 */
/*
 * impl_mbedtls.c - the floor: mbedTLS 2.28's signature check alone.
 *
 * One operation is exactly the cryptographic work hopcheck's backend
 * (src/crypto_mbedtls.c) does for a token, with nothing around it: hash
 * the signing input, then
 *   ES256  read r and s from the raw 64-byte signature, range-check them
 *          and mbedtls_ecdsa_verify() (RFC 7518 section 3.4);
 *   RS256  mbedtls_rsa_rsassa_pkcs1_v15_verify() (RFC 7518 section 3.3);
 *   PS256  mbedtls_rsa_rsassa_pss_verify_ext() with MGF1-SHA-256 and a
 *          32-byte salt (RFC 7518 section 3.5);
 *   HS256  mbedtls_md_hmac() and a constant-time compare (section 3.2).
 * The base64url decoding of the signature, the JSON and every policy check
 * are left out: hopcheck's time over this floor is what they cost.
 *
 * The key is parsed once from the PEM file with mbedtls_pk_parse_public_key,
 * as any service would.  The EC group caches its base-point table on the
 * first verification; the driver's warm-up pays for it, as hopcheck pays
 * for it when a key is imported.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/bignum.h>
#include <mbedtls/constant_time.h>
#include <mbedtls/ecdsa.h>
#include <mbedtls/md.h>
#include <mbedtls/pk.h>
#include <mbedtls/rsa.h>
#include <mbedtls/sha256.h>

#include "bench.h"

struct mbed_bench {
	enum bench_alg alg;
	mbedtls_pk_context pk;
	const mbedtls_md_info_t *md;
	const unsigned char *msg;
	size_t msglen;
	const unsigned char *sig;
	size_t siglen;
	const unsigned char *secret;
	size_t secret_len;
};

static void
mbed_teardown(void *ctx)
{
	struct mbed_bench *b = ctx;

	if (b == NULL)
		return;
	mbedtls_pk_free(&b->pk);
	free(b);
}

static int
mbed_setup(const struct bench_case *bc, void **out, char *err, size_t errlen)
{
	struct mbed_bench *b;
	mbedtls_pk_type_t want;
	int ret;

	*out = NULL;
	if ((b = calloc(1, sizeof(*b))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return BENCH_ERR;
	}
	mbedtls_pk_init(&b->pk);
	b->alg = bc->alg;
	b->md = mbedtls_md_info_from_type(MBEDTLS_MD_SHA256);
	b->msg = bc->signing_input;
	b->msglen = bc->signing_input_len;
	b->sig = bc->sig;
	b->siglen = bc->sig_len;
	if (bc->alg == BENCH_HS256) {
		b->secret = bc->key;
		b->secret_len = bc->key_len;
		*out = b;
		return BENCH_OK;
	}
	ret = mbedtls_pk_parse_public_key(&b->pk, bc->key, bc->key_len);
	want = bc->alg == BENCH_ES256 ? MBEDTLS_PK_ECKEY : MBEDTLS_PK_RSA;
	if (ret != 0 || mbedtls_pk_get_type(&b->pk) != want) {
		snprintf(err, errlen, "mbedtls_pk_parse_public_key: -0x%04x",
		    (unsigned)-ret);
		mbed_teardown(b);
		return BENCH_ERR;
	}
	*out = b;
	return BENCH_OK;
}

static int
verify_ec(struct mbed_bench *b, const unsigned char hash[32])
{
	mbedtls_ecp_keypair *ec = mbedtls_pk_ec(b->pk);
	mbedtls_mpi r, s;
	int ret = -1;

	if (b->siglen != 64)
		return -1;
	mbedtls_mpi_init(&r);
	mbedtls_mpi_init(&s);
	if (mbedtls_mpi_read_binary(&r, b->sig, 32) != 0 ||
	    mbedtls_mpi_read_binary(&s, b->sig + 32, 32) != 0)
		goto out;
	if (mbedtls_mpi_cmp_int(&r, 1) < 0 ||
	    mbedtls_mpi_cmp_mpi(&r, &ec->grp.N) >= 0 ||
	    mbedtls_mpi_cmp_int(&s, 1) < 0 ||
	    mbedtls_mpi_cmp_mpi(&s, &ec->grp.N) >= 0)
		goto out;
	ret = mbedtls_ecdsa_verify(&ec->grp, hash, 32, &ec->Q, &r, &s);
out:
	mbedtls_mpi_free(&r);
	mbedtls_mpi_free(&s);
	return ret;
}

static int
mbed_run(void *ctx)
{
	struct mbed_bench *b = ctx;
	unsigned char hash[32], mac[32];
	mbedtls_rsa_context *rsa;

	if (b->alg == BENCH_HS256) {
		if (b->siglen != sizeof(mac) ||
		    mbedtls_md_hmac(b->md, b->secret, b->secret_len, b->msg,
		    b->msglen, mac) != 0)
			return -1;
		return mbedtls_ct_memcmp(mac, b->sig, sizeof(mac)) == 0 ? 0 : -1;
	}
	if (mbedtls_sha256_ret(b->msg, b->msglen, hash, 0) != 0)
		return -1;
	if (b->alg == BENCH_ES256)
		return verify_ec(b, hash);
	rsa = mbedtls_pk_rsa(b->pk);
	if (b->siglen != mbedtls_rsa_get_len(rsa))
		return -1;
	if (b->alg == BENCH_RS256)
		return mbedtls_rsa_rsassa_pkcs1_v15_verify(rsa, NULL, NULL,
		    MBEDTLS_RSA_PUBLIC, MBEDTLS_MD_SHA256, 32, hash, b->sig);
	return mbedtls_rsa_rsassa_pss_verify_ext(rsa, NULL, NULL,
	    MBEDTLS_RSA_PUBLIC, MBEDTLS_MD_SHA256, 32, hash, MBEDTLS_MD_SHA256,
	    32, b->sig);
}

const struct bench_impl bench_mbedtls = {
	.name = "mbedtls",
	.label = "mbedTLS 2.28 verify",
	.setup = mbed_setup,
	.run = mbed_run,
	.verdict = NULL,
	.teardown = mbed_teardown,
};
