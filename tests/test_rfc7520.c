/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_rfc7520.c - the JWS examples of RFC 7520 ("JOSE Cookbook")
 * sections 4.1 to 4.4, verified with the public halves of the cookbook's
 * keys (section 3), and each made to fail by a single flipped bit.
 *
 *   4.1  RS256  key 3.3 (RSA 2048, public)
 *   4.2  PS384  key 3.3; the signature is randomized (PSS salt)
 *   4.3  ES512  key 3.2 with "d" removed, i.e. the public key of 3.1;
 *        randomized (ECDSA nonce)
 *   4.4  HS256  key 3.5 (a secret; imported with secrets allowed)
 *
 * Sections 4.5 to 4.8 use detached content, unprotected header members or
 * several signatures, none of which has a compact form that hopcheck
 * accepts, and are not run here.  The data are the machine-readable
 * cookbook files in tests/vectors/rfc7520-cookbook (see its README); they
 * are read with cJSON directly, as this is test code.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "crypto.h"
#include "keyset.h"
#include "testutil.h"

#define CB "tests/vectors/rfc7520-cookbook/"

/* One compact JWS split into its parts, as hopcheck would see it. */
typedef struct split_jws {
	char *token;             /* owned copy of output.compact */
	size_t signing_len;      /* header.payload, as transmitted */
	hc_alg alg;
	char *kid;
	unsigned char *sig;
	size_t siglen;
} split_jws;

static cJSON *
read_json(const char *path)
{
	size_t len;
	char *text = hc_test_read(path, &len);
	cJSON *j = cJSON_ParseWithLength(text, len);

	free(text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(j);
	return j;
}

/*
 * Splits the compact serialization of a cookbook file, decoding each part
 * with strict base64url and the header with hc_json_parse().
 */
static void
split(const char *file, split_jws *out)
{
	cJSON *doc = read_json(file);
	const char *compact = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(doc, "output"), "compact"));
	const char *want_alg = cJSON_GetStringValue(
	    cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(
	    doc, "input"), "alg"));
	const char *dot1, *dot2;
	unsigned char hdr[512];
	size_t hlen, cap;
	hc_json *header = NULL;

	memset(out, 0, sizeof(*out));
	CU_ASSERT_PTR_NOT_NULL_FATAL(compact);
	CU_ASSERT_PTR_NOT_NULL_FATAL(want_alg);
	out->token = strdup(compact);
	CU_ASSERT_PTR_NOT_NULL_FATAL(out->token);
	dot1 = strchr(out->token, '.');
	CU_ASSERT_PTR_NOT_NULL_FATAL(dot1);
	dot2 = strchr(dot1 + 1, '.');
	CU_ASSERT_PTR_NOT_NULL_FATAL(dot2);
	CU_ASSERT_PTR_NULL_FATAL(strchr(dot2 + 1, '.'));
	out->signing_len = (size_t)(dot2 - out->token);

	CU_ASSERT_FATAL(hc_b64url_decode(out->token, (size_t)(dot1 - out->token),
	    hdr, sizeof(hdr), &hlen) == 0);
	HC_ASSERT_STATUS(hc_json_parse((const char *)hdr, hlen, &header, NULL),
	    HC_OK);
	out->alg = hc_alg_from_name(hc_json_string(hc_json_get(header, "alg")));
	CU_ASSERT_EQUAL(out->alg, hc_alg_from_name(want_alg));
	CU_ASSERT_PTR_NOT_NULL_FATAL(hc_json_string(hc_json_get(header, "kid")));
	out->kid = strdup(hc_json_string(hc_json_get(header, "kid")));
	hc_json_free(header);

	cap = HC_B64URL_DECODED_MAX(strlen(dot2 + 1));
	out->sig = malloc(cap);
	CU_ASSERT_PTR_NOT_NULL_FATAL(out->sig);
	CU_ASSERT_FATAL(hc_b64url_decode(dot2 + 1, strlen(dot2 + 1), out->sig,
	    cap, &out->siglen) == 0);
	cJSON_Delete(doc);
}

static void
split_free(split_jws *s)
{
	free(s->token);
	free(s->kid);
	free(s->sig);
}

static hc_key *
key_from(const cJSON *jwk, bool allow_secret)
{
	hc_detail d = { "" };
	hc_key *key = NULL;

	HC_ASSERT_STATUS(hc_key_from_jwk(jwk, allow_secret, &key, &d), HC_OK);
	CU_ASSERT_PTR_NOT_NULL_FATAL(key);
	return key;
}

static hc_key *
key_file(const char *path, bool allow_secret)
{
	cJSON *jwk = read_json(path);
	hc_key *key = key_from(jwk, allow_secret);

	cJSON_Delete(jwk);
	return key;
}

/*
 * Verifies the example, the way the validator does (the key found by the
 * header's kid in a set), then flips one bit at a time, in the signature
 * and in the signed bytes, and expects HC_SIGNATURE each time.
 */
static void
verify_example(const char *file, hc_key *key, hc_alg alg, size_t siglen)
{
	split_jws s;
	hc_keyset *ks = NULL;
	const hc_key *found = NULL;
	hc_detail d = { "" };
	unsigned char *msg;

	split(file, &s);
	CU_ASSERT_EQUAL(s.alg, alg);
	CU_ASSERT_EQUAL(s.siglen, siglen);
	CU_ASSERT_STRING_EQUAL(s.kid, key->kid);
	HC_ASSERT_STATUS(hc_keyset_single(key, &ks), HC_OK);
	HC_ASSERT_STATUS(hc_keyset_find(ks, s.kid, s.alg, &found, &d), HC_OK);
	CU_ASSERT_PTR_EQUAL(found, key);

	HC_ASSERT_STATUS(hc_key_verify(found, s.alg,
	    (const unsigned char *)s.token, s.signing_len, s.sig, s.siglen, &d),
	    HC_OK);

	/* A flipped bit in the first, a middle and the last signature byte. */
	for (size_t i = 0; i < 3; i++) {
		size_t at = i == 0 ? 0 : i == 1 ? s.siglen / 2 : s.siglen - 1;

		s.sig[at] ^= 0x01;
		HC_ASSERT_STATUS(hc_key_verify(found, s.alg,
		    (const unsigned char *)s.token, s.signing_len, s.sig,
		    s.siglen, &d), HC_SIGNATURE);
		s.sig[at] ^= 0x01;
	}
	/* One flipped bit in the protected header and in the payload. */
	msg = malloc(s.signing_len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(msg);
	for (size_t i = 0; i < 2; i++) {
		size_t at = i == 0 ? 3 : s.signing_len - 2;

		memcpy(msg, s.token, s.signing_len);
		msg[at] ^= 0x02;
		HC_ASSERT_STATUS(hc_key_verify(found, s.alg, msg, s.signing_len,
		    s.sig, s.siglen, &d), HC_SIGNATURE);
	}
	/* And the untouched example still verifies. */
	HC_ASSERT_STATUS(hc_key_verify(found, s.alg,
	    (const unsigned char *)s.token, s.signing_len, s.sig, s.siglen, &d),
	    HC_OK);
	free(msg);
	hc_keyset_unref(ks);
	split_free(&s);
}

/* RFC 7520 section 4.1: RSA v1.5 signature (RS256). */
static void
test_4_1_rs256(void)
{
	verify_example(CB "jws/4_1.rsa_v15_signature.json",
	    key_file(CB "jwk/3_3.rsa_public_key.json", false), HC_ALG_RS256,
	    256);
}

/* RFC 7520 section 4.2: RSA-PSS signature (PS384). */
static void
test_4_2_ps384(void)
{
	verify_example(CB "jws/4_2.rsa-pss_signature.json",
	    key_file(CB "jwk/3_3.rsa_public_key.json", false), HC_ALG_PS384,
	    256);
}

/*
 * RFC 7520 section 4.3: ECDSA signature (ES512).  The file carries the
 * private key; dropping "d" leaves the public key, which must import into
 * a public set (no private member left) and equal section 3.1's.
 */
static void
test_4_3_es512(void)
{
	cJSON *doc = read_json(CB "jws/4_3.ecdsa_signature.json");
	cJSON *jwk = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(doc, "input"), "key");
	cJSON *pub = read_json(CB "jwk/3_1.ec_public_key.json");
	hc_detail d = { "" };
	hc_key *key = NULL;

	CU_ASSERT_PTR_NOT_NULL_FATAL(jwk);
	/* With "d" still in, a public set refuses it. */
	HC_ASSERT_STATUS(hc_key_from_jwk(jwk, false, &key, &d), HC_KEY);
	cJSON_DeleteItemFromObjectCaseSensitive(jwk, "d");
	CU_ASSERT(cJSON_Compare(jwk, pub, true));
	key = key_from(jwk, false);
	CU_ASSERT_EQUAL(key->curve_bits, 521);
	verify_example(CB "jws/4_3.ecdsa_signature.json", key, HC_ALG_ES512,
	    132);
	cJSON_Delete(pub);
	cJSON_Delete(doc);
}

/* RFC 7520 section 4.4: HMAC-SHA2 integrity protection (HS256). */
static void
test_4_4_hs256(void)
{
	verify_example(CB "jws/4_4.hmac-sha2_integrity_protection.json",
	    key_file(CB "jwk/3_5.symmetric_key_mac_computation.json", true),
	    HC_ALG_HS256, 32);
}

/*
 * Each example under a key of another kind: the binding refuses before
 * any signature math (HC_ALG), e.g. the HS256 example against the RSA key.
 */
static void
test_cross_keys(void)
{
	static const char *const files[] = {
		CB "jws/4_1.rsa_v15_signature.json",
		CB "jws/4_3.ecdsa_signature.json",
		CB "jws/4_4.hmac-sha2_integrity_protection.json",
	};
	hc_key *rsa = key_file(CB "jwk/3_3.rsa_public_key.json", false);
	hc_key *ec = key_file(CB "jwk/3_1.ec_public_key.json", false);
	hc_key *oct = key_file(CB "jwk/3_5.symmetric_key_mac_computation.json",
	    true);
	hc_key *wrong[] = { ec, oct, rsa };
	hc_detail d = { "" };

	for (size_t i = 0; i < 3; i++) {
		split_jws s;

		split(files[i], &s);
		HC_ASSERT_STATUS(hc_key_verify(wrong[i], s.alg,
		    (const unsigned char *)s.token, s.signing_len, s.sig,
		    s.siglen, &d), HC_ALG);
		split_free(&s);
	}
	hc_key_free(rsa);
	hc_key_free(ec);
	hc_key_free(oct);
}

static const hc_test tests[] = {
	{ "4.1 RS256", test_4_1_rs256 },
	{ "4.2 PS384", test_4_2_ps384 },
	{ "4.3 ES512", test_4_3_es512 },
	{ "4.4 HS256", test_4_4_hs256 },
	{ "examples under keys of another type", test_cross_keys },
	{ NULL, NULL }
};

static const hc_suite suites[] = {
	{ "rfc7520", tests },
	{ NULL, NULL }
};

int
main(void)
{
	return hc_test_main(suites);
}
