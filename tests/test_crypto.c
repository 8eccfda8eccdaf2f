/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_crypto.c - the crypto seam, algorithm names, JWK import, the
 * key/alg binding, ES signature encoding, and key sets.
 *
 * Keys come from the RFC 7520 cookbook (tests/vectors/rfc7520-cookbook/jwk)
 * or were generated once with python3-jwcrypto 1.x and pasted here as
 * data; nothing is generated when the tests run.  Every rejection is
 * asserted with its exact status.
 *
 * Every test runs on both backends with the same expectations.  EdDSA is
 * the exception the seam allows: the OpenSSL build verifies RFC 8037's
 * example, the mbedTLS build asserts that it refuses EdDSA with the exact
 * sentence users see (and prints a note that the EdDSA checks were not
 * run there).
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "keyset.h"
#include "testutil.h"

#define COOKBOOK "tests/vectors/rfc7520-cookbook/jwk/"
#define RFC8037_A4 "tests/vectors/rfc8037-A4-ed25519.json"
#define NO_EDDSA "EdDSA needs the OpenSSL backend (make CRYPTO=openssl)"

/*
 * Ed25519 and Ed448 exist only on the OpenSSL backend: the few records
 * whose outcome depends on that say so with these.
 */
#if defined(HC_CRYPTO_openssl)
#define HAVE_EDDSA true
#define IF_EDDSA(yes, no) (yes)
#else
#define HAVE_EDDSA false
#define IF_EDDSA(yes, no) (no)
#endif

/* ------------------------------------------------------------ key data */

/* RFC 7520 section 3.1/3.2: the P-521 key of the cookbook. */
#define EC521_X "AHKZLLOsCOzz5cY97ewNUajB957y-C-U88c3v13nmGZx6sYl_oJXu9A5" \
	"RkTKqjqvjyekWF-7ytDyRXYgCF5cj0Kt"
#define EC521_Y "AdymlHvOiLxXkEhayXQnNCvDX4h9htZaCJN34kfmC6pV5OhQHiraVySs" \
	"UdaQkAgDPrwQrJmbnX9cwlGfP-HqHZR1"
/* The same y plus one: no longer on the curve. */
#define EC521_Y_OFF "AdymlHvOiLxXkEhayXQnNCvDX4h9htZaCJN34kfmC6pV5OhQHiraVy" \
	"SsUdaQkAgDPrwQrJmbnX9cwlGfP-HqHZR2"
#define EC521_D "AAhRON2r9cqXX1hg-RoI6R1tX5p2rUAYdmpHZoC1XNM56KtscrX6zbKi" \
	"pQrCW9CGZH3T4ubpnoTKLDYJ_fF3_rJt"

/* RFC 7520 section 3.3: the 2048-bit RSA key of the cookbook. */
#define RSA_N "n4EPtAOCc9AlkeQHPzHStgAbgs7bTZLwUBZdR8_KuKPEHLd4rHVTeT-O-XV" \
	"2jRojdNhxJWTDvNd7nqQ0VEiZQHz_AJmSCpMaJMRBSFKrKb2wqVwGU_NsYOYL-QtiWN" \
	"2lbzcEe6XC0dApr5ydQLrHqkHHig3RBordaZ6Aj-oBHqFEHYpPe7Tpe-OfVfHd1E6cS" \
	"6M1FZcD1NNLYD5lFHpPI9bTwJlsde3uhGqC0ZCuEHg8lhzwOHrtIQbS0FVbb9k3-tVT" \
	"U4fg_3L_vniUFAKwuCLqKnS2BYwdq_mzSnbLY7h_qixoR7jig3__kRhuaxwUkRz5iaiQ" \
	"kqgc5gHdrNP5zw"
/* RSA_N with a zero byte prepended: same number, not minimal. */
#define RSA_N_ZERO "AJ-BD7QDgnPQJZHkBz8x0rYAG4LO202S8FAWXUfPyrijxBy3eKx1U3k" \
	"_jvl1do0aI3TYcSVkw7zXe56kNFRImUB8_wCZkgqTGiTEQUhSqym9sKlcBlPzbGDmC_" \
	"kLYljdpW83BHulwtHQKa-cnUC6x6pBx4oN0QaK3WmegI_qAR6hRB2KT3u06Xvjn1Xx3" \
	"dROnEujNRWXA9TTS2A-ZRR6TyPW08CZbHXt7oRqgtGQrhB4PJYc8Dh67SEG0tBVW2_Z" \
	"N_rVU1OH4P9y_754lBQCsLgi6ip0tgWMHav5s0p2y2O4f6osaEe44oN__5EYbmscFJE" \
	"c-YmokJKoHOYB3azT-c8"
/* RSA_N with its low bit cleared: an even modulus. */
#define RSA_N_EVEN "n4EPtAOCc9AlkeQHPzHStgAbgs7bTZLwUBZdR8_KuKPEHLd4rHVTeT-" \
	"O-XV2jRojdNhxJWTDvNd7nqQ0VEiZQHz_AJmSCpMaJMRBSFKrKb2wqVwGU_NsYOYL-Q" \
	"tiWN2lbzcEe6XC0dApr5ydQLrHqkHHig3RBordaZ6Aj-oBHqFEHYpPe7Tpe-OfVfHd1" \
	"E6cS6M1FZcD1NNLYD5lFHpPI9bTwJlsde3uhGqC0ZCuEHg8lhzwOHrtIQbS0FVbb9k3" \
	"-tVTU4fg_3L_vniUFAKwuCLqKnS2BYwdq_mzSnbLY7h_qixoR7jig3__kRhuaxwUkRz5" \
	"iaiQkqgc5gHdrNP5zg"
/* (RSA_N >> 1) | 1: a 2047-bit modulus, one bit short of the minimum. */
#define RSA_N_2047 "T8CH2gHBOegSyPIDn5jpWwANwWdtpsl4KAsuo-flXFHiDlu8VjqpvJ_" \
	"HfLq7Ro0Rumw4krJh3mu9z1IaKiRMoD5_gEzJBUmNEmIgpClVlN7YVK4DKfm2MHMF_I" \
	"WxLG7St5uCPdLhaOgU185OoF1j1SDjxQbog0VutM9AR_UAj1CiDsUnvdp0vfHPqvju6" \
	"idOJdGaisuB6mmlsB8yij0nketp4Ey2Ovb3QjVBaMhXCDweSw54HD12kINpaCqtt-yb" \
	"_WqpqcPwf7l_3zxKCgFYXBF1FTpbAsYO1fzZpTtlsdw_1RY0I9xxQb__yIw3NY4KSI5" \
	"8xNRISVQOcwDu1mn85w"

/* A 1024-bit RSA key (jwcrypto). */
#define RSA1024_N "7YwWdhOtcSTV3ZMLv_84viQdIaSxQfZ8_4ISqvpD0B2odkXuuTnLXgXTW" \
	"qIkm9YNYnFJRb_Vn2Dkal86x4717gurzEeyhApBbNuLum9B7y1Jf0M6Id6BQ-7srcNy1" \
	"X_InCKiMNZp8OQ0or0Iv0K7BovDE-SSLu3HatpbQz93nBs"

/* A second 2048-bit RSA key (jwcrypto), for sets of two RSA keys. */
#define RSA2_N "vndxgFDgsQisH4fSmqHfXW-gYY7ai5b0Y4DPSxsjnD_zeDF0PKr5QvEdpu5X" \
	"VxxY6VY-Tmyof_igbAfy6bxaYeN_M2q3mEgOS23c1nSQ60w1msTi7oO-O0oG-7Bkr1AE" \
	"b5iyHv91Ao4MfhvPtELBnbqWBqJRlfoGaIu2-YHR-mBClEbPRaLEdk5oo9k_ZcxIe1sh" \
	"ocjTgMJIuRQM9NOjLVDVcwCkhfIEv_ayIvV4IUnUUvUGgXwAZ4RRkZLj0PZW9SvX37k_" \
	"-ffaqPtAZeLQQcs5zY14xsw0NqtnC_BOZYGf4I07ujyCurtNCmdraVDct0W_vfzeqF_-" \
	"ud0Y3Aczsw"

/*
 * A 2049-bit modulus with the ROCA fingerprint (CVE-2017-15361), from
 * Wycheproof json_web_key_test.json, group "jws_rsa_roca_key".
 */
#define RSA_ROCA_N "AanFpofbj7KjD4Lf-N2hVMKR7yewSyXhhbirIMTGpfYEhZ_lnt5UoK9" \
	"8DnKIgArXGTu3MaW_HhFw16HGaTDUHqPrId7fe4r11CqRw09yBFuW79V8sYIwHdzCaW" \
	"flUI6auImYbVfoN9_nD5n8N8SY9DwXw7mwZM9wREPXoDPgOoIWl6q_MPsp7n0zs3Z5Z" \
	"aiQWOOzl1S9OhwAfSiiOwz6efnXEaxuTEtPd7BjSx7NaFka8Dx9U7YqXy2RFj1O9Pjya" \
	"DGuRh7YXsX3iMUSP_wSyHQg_c_qHRtKUsNSGCT7OZg0hzm2KphtjnayKJvC64vAbROB" \
	"R4Ubg6Bxg9IQVZ-QYyE"

/* A P-256 key (jwcrypto), with x re-encoded 33 and 31 bytes long. */
#define EC256_X "mfSfWou8Pztm7EUQKRjqpeTOa231M7WBo3Ymst0Q4PE"
#define EC256_Y "NtvhQK_-MshGme8G11MJzU-wWjKaIukFZAkbZIe85yk"
#define EC256_X33 "AJn0n1qLvD87ZuxFECkY6qXkzmtt9TO1gaN2JrLdEODx"
#define EC256_X31 "9J9ai7w_O2bsRRApGOql5M5rbfUztYGjdiay3RDg8Q"

/* A P-384 key (jwcrypto). */
#define EC384_X "e77pqwdOqJf5Zajg-kJm50Mhi_QWzH7nNkscZ3Xq72iJef3wwVovivV-nrQ" \
	"7IUU-"
#define EC384_Y "DKiMmxsC_xzUcTIYiqw5qpsz0c8zW3NdQe9kl4l3NhR2sHNBk_iwy9kljMq" \
	"2fkpC"

/* RFC 7520 section 3.5: the HS256 secret. */
#define OCT_K "hJtXIZ2uSN5kbQfbtTNWbpdmhkV8FJG-Onbc6mxCcYg"

#define JWK_EC521 "{\"kty\":\"EC\",\"crv\":\"P-521\",\"x\":\"" EC521_X \
	"\",\"y\":\"" EC521_Y "\""
#define JWK_EC256 "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" EC256_X \
	"\",\"y\":\"" EC256_Y "\""
#define JWK_RSA "{\"kty\":\"RSA\",\"e\":\"AQAB\",\"n\":\"" RSA_N "\""
#define JWK_RSA2 "{\"kty\":\"RSA\",\"e\":\"AQAB\",\"n\":\"" RSA2_N "\""
#define JWK_OCT "{\"kty\":\"oct\",\"k\":\"" OCT_K "\""

/* -------------------------------------------------------------- helpers */

static hc_status
jwk_import(const char *text, bool allow_secret, hc_key **out, hc_detail *d)
{
	hc_json *j = NULL;
	hc_status st;

	*out = NULL;
	if (hc_json_parse(text, strlen(text), &j, NULL) != HC_OK) {
		fprintf(stderr, "\ntest JWK is not JSON: %s\n", text);
		CU_FAIL_FATAL("test JWK is not JSON");
		return HC_INTERNAL;
	}
	st = hc_key_from_jwk(j, allow_secret, out, d);
	hc_json_free(j);
	return st;
}

static hc_key *
jwk_file(const char *path, bool allow_secret)
{
	hc_detail d = { "" };
	hc_key *key = NULL;
	char *text = hc_test_read(path, NULL);

	HC_ASSERT_STATUS(jwk_import(text, allow_secret, &key, &d), HC_OK);
	free(text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(key);
	return key;
}

static void
hex_decode(const char *hex, unsigned char *out, size_t *len)
{
	size_t n = strlen(hex) / 2;

	for (size_t i = 0; i < n; i++) {
		unsigned v;

		CU_ASSERT_FATAL(sscanf(hex + 2 * i, "%2x", &v) == 1);
		out[i] = (unsigned char)v;
	}
	*len = n;
}

static bool
contains(const char *hay, const char *needle)
{
	if (strstr(hay, needle) != NULL)
		return true;
	fprintf(stderr, "\ndetail \"%s\" lacks \"%s\"\n", hay, needle);
	return false;
}

/* ----------------------------------------------------------------- seam */

static void
test_seam_table(void)
{
	const hc_crypto_backend *b = hc_crypto();

#if defined(HC_CRYPTO_openssl)
	CU_ASSERT_PTR_EQUAL(b, &hc_crypto_openssl);
	CU_ASSERT_STRING_EQUAL(b->name, "openssl");
	CU_ASSERT(strncmp(hc_crypto_backend_name(), "openssl 3.", 10) == 0);
	CU_ASSERT(b->caps & HC_CRYPTO_EDDSA);
	CU_ASSERT_PTR_NOT_NULL(b->import_okp);
#else
	CU_ASSERT_PTR_EQUAL(b, &hc_crypto_mbedtls);
	CU_ASSERT_STRING_EQUAL(b->name, "mbedtls");
	CU_ASSERT(strncmp(hc_crypto_backend_name(), "mbedtls 2.", 10) == 0);
	CU_ASSERT_FALSE(b->caps & HC_CRYPTO_EDDSA);
	CU_ASSERT_PTR_NULL(b->import_okp);
#endif
	CU_ASSERT_PTR_EQUAL(b->version(), hc_crypto_backend_name());
	CU_ASSERT_PTR_NOT_NULL(b->x509_leaf);
	CU_ASSERT_PTR_NOT_NULL(b->x509_pem_first);
	CU_ASSERT_PTR_NOT_NULL(b->import_rsa);
	CU_ASSERT_PTR_NOT_NULL(b->import_ec);
	CU_ASSERT_PTR_NOT_NULL(b->import_secret);
	CU_ASSERT_PTR_NOT_NULL(b->key_free);
	CU_ASSERT_PTR_NOT_NULL(b->verify);
	CU_ASSERT_PTR_NOT_NULL(b->sha256);
	CU_ASSERT_PTR_NOT_NULL(b->random);
	b->key_free(NULL);
}

/* FIPS 180-2 appendix B.1: SHA-256("abc"). */
static void
test_seam_sha256(void)
{
	unsigned char out[32], want[32];
	size_t n;

	hex_decode("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61"
	    "f20015ad", want, &n);
	hc_crypto()->sha256((const unsigned char *)"abc", 3, out);
	CU_ASSERT(memcmp(out, want, 32) == 0);
	hex_decode("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b"
	    "7852b855", want, &n);
	hc_crypto()->sha256((const unsigned char *)"", 0, out);
	CU_ASSERT(memcmp(out, want, 32) == 0);
}

static void
test_seam_random(void)
{
	static unsigned char big[3000];
	unsigned char a[32], b[32], zero[32] = { 0 };
	size_t nonzero = 0;

	CU_ASSERT(hc_crypto()->random(a, sizeof(a)) == 0);
	CU_ASSERT(hc_crypto()->random(b, sizeof(b)) == 0);
	CU_ASSERT(memcmp(a, b, sizeof(a)) != 0);
	CU_ASSERT(memcmp(a, zero, sizeof(a)) != 0);
	/* More than one DRBG request (1024 bytes) at a time. */
	CU_ASSERT(hc_crypto()->random(big, sizeof(big)) == 0);
	for (size_t i = 2048; i < sizeof(big); i++)
		nonzero += big[i] != 0;
	CU_ASSERT(nonzero > 900);
}

static void
test_seam_import_bounds(void)
{
	const hc_crypto_backend *b = hc_crypto();
	unsigned char buf[HC_MAX_HMAC_BYTES + 1], x[66] = { 0 };
	hc_backend_key *k = NULL;
	hc_detail d = { "" };
	unsigned bits = 0;

	memset(buf, 0x5a, sizeof(buf));
	HC_ASSERT_STATUS(b->import_secret(buf, HC_MIN_HMAC_BYTES - 1, &k, &d),
	    HC_KEY);
	CU_ASSERT_PTR_NULL(k);
	HC_ASSERT_STATUS(b->import_secret(buf, HC_MAX_HMAC_BYTES + 1, &k, &d),
	    HC_KEY);
	HC_ASSERT_STATUS(b->import_secret(buf, HC_MIN_HMAC_BYTES, &k, &d),
	    HC_OK);
	b->key_free(k);
	HC_ASSERT_STATUS(b->import_secret(buf, HC_MAX_HMAC_BYTES, &k, &d),
	    HC_OK);
	b->key_free(k);

	/* Unsupported curve size, wrong lengths, the point (0, 0). */
	HC_ASSERT_STATUS(b->import_ec(255, x, 32, x, 32, &k, &d), HC_KEY);
	HC_ASSERT_STATUS(b->import_ec(256, x, 31, x, 32, &k, &d), HC_KEY);
	HC_ASSERT_STATUS(b->import_ec(521, x, 65, x, 66, &k, &d), HC_KEY);
	HC_ASSERT_STATUS(b->import_ec(256, x, 32, x, 32, &k, &d), HC_KEY);
	CU_ASSERT(contains(d.text, "not on curve P-256"));
	CU_ASSERT_PTR_NULL(k);

	/*
	 * 2048 one bits stand in for a modulus: exponents 1 and 2, an empty
	 * modulus and a 1024-bit one are refused before any other check.
	 */
	memset(buf, 0xff, 256);
	HC_ASSERT_STATUS(b->import_rsa(buf, 256, (const unsigned char *)"\x01",
	    1, &k, &bits, &d), HC_KEY);
	HC_ASSERT_STATUS(b->import_rsa(buf, 256, (const unsigned char *)"\x02",
	    1, &k, &bits, &d), HC_KEY);
	HC_ASSERT_STATUS(b->import_rsa(buf, 0, (const unsigned char *)"\x03",
	    1, &k, &bits, &d), HC_KEY);
	HC_ASSERT_STATUS(b->import_rsa(buf, 128, (const unsigned char *)"\x03",
	    1, &k, &bits, &d), HC_KEY);
	CU_ASSERT(contains(d.text, "1024 bits"));
	CU_ASSERT_PTR_NULL(k);
}

/* A backend key of one type never verifies another family's signature. */
static void
test_seam_verify_wrong_type(void)
{
	hc_key *ec = jwk_file(COOKBOOK "3_1.ec_public_key.json", false);
	hc_key *oct = jwk_file(COOKBOOK "3_5.symmetric_key_mac_computation.json",
	    true);
	unsigned char sig[132] = { 1 };
	const hc_crypto_backend *b = hc_crypto();

	HC_ASSERT_STATUS(b->verify(HC_ALG_HS256, ec->bk,
	    (const unsigned char *)"m", 1, sig, 32), HC_SIGNATURE);
	HC_ASSERT_STATUS(b->verify(HC_ALG_ES256, ec->bk,
	    (const unsigned char *)"m", 1, sig, 64), HC_SIGNATURE);
	HC_ASSERT_STATUS(b->verify(HC_ALG_RS256, oct->bk,
	    (const unsigned char *)"m", 1, sig, 256), HC_SIGNATURE);
	HC_ASSERT_STATUS(b->verify(HC_ALG_UNKNOWN, oct->bk,
	    (const unsigned char *)"m", 1, sig, 32), HC_SIGNATURE);
	HC_ASSERT_STATUS(b->verify(HC_ALG_ES512, NULL,
	    (const unsigned char *)"m", 1, sig, 132), HC_SIGNATURE);
	hc_key_free(ec);
	hc_key_free(oct);
}

/* ------------------------------------------------------------ algorithms */

static void
test_alg_names(void)
{
	static const struct {
		const char *name;
		hc_alg alg;
		hc_kty kty;
		int curve;
		size_t hlen;
	} t[] = {
		{ "HS256", HC_ALG_HS256, HC_KTY_OCT, 0, 32 },
		{ "HS384", HC_ALG_HS384, HC_KTY_OCT, 0, 48 },
		{ "HS512", HC_ALG_HS512, HC_KTY_OCT, 0, 64 },
		{ "RS256", HC_ALG_RS256, HC_KTY_RSA, 0, 32 },
		{ "RS384", HC_ALG_RS384, HC_KTY_RSA, 0, 48 },
		{ "RS512", HC_ALG_RS512, HC_KTY_RSA, 0, 64 },
		{ "PS256", HC_ALG_PS256, HC_KTY_RSA, 0, 32 },
		{ "PS384", HC_ALG_PS384, HC_KTY_RSA, 0, 48 },
		{ "PS512", HC_ALG_PS512, HC_KTY_RSA, 0, 64 },
		{ "ES256", HC_ALG_ES256, HC_KTY_EC, 256, 32 },
		{ "ES384", HC_ALG_ES384, HC_KTY_EC, 384, 48 },
		{ "ES512", HC_ALG_ES512, HC_KTY_EC, 521, 64 },
		{ "EdDSA", HC_ALG_EDDSA, HC_KTY_OKP, 0, 0 },
		{ "Ed25519", HC_ALG_ED25519, HC_KTY_OKP, HC_CURVE_ED25519, 0 },
		{ "Ed448", HC_ALG_ED448, HC_KTY_OKP, HC_CURVE_ED448, 0 },
	};
	/* Case, whitespace, "none", and names JWA has but we do not verify. */
	static const char *const unknown[] = {
		"es256", "Es256", "ES256 ", " ES256", "ES", "none", "None", "",
		"ES521", "ES224", "eddsa", "EDDSA", "ED25519", "Ed25519 ",
		"X25519", "RS1", "HS256\n", "A256GCM"
	};

	CU_ASSERT_EQUAL(HC_ALG_COUNT - 1, sizeof(t) / sizeof(t[0]));
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		CU_ASSERT_EQUAL(hc_alg_from_name(t[i].name), t[i].alg);
		CU_ASSERT_STRING_EQUAL(hc_alg_name(t[i].alg), t[i].name);
		CU_ASSERT_EQUAL(hc_alg_kty(t[i].alg), t[i].kty);
		CU_ASSERT_EQUAL(hc_alg_curve(t[i].alg), t[i].curve);
		CU_ASSERT_EQUAL(hc_alg_hash_len(t[i].alg), t[i].hlen);
	}
	for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++)
		CU_ASSERT_EQUAL(hc_alg_from_name(unknown[i]), HC_ALG_UNKNOWN);
	CU_ASSERT_EQUAL(hc_alg_from_name(NULL), HC_ALG_UNKNOWN);
	CU_ASSERT_STRING_EQUAL(hc_alg_name(HC_ALG_UNKNOWN), "unknown");
	CU_ASSERT_STRING_EQUAL(hc_alg_name(HC_ALG_COUNT), "unknown");
	CU_ASSERT_EQUAL(hc_alg_hash_len(HC_ALG_UNKNOWN), 0);
	CU_ASSERT_EQUAL(hc_alg_curve(HC_ALG_UNKNOWN), 0);
}

/* ------------------------------------------------------------ JWK import */

static void
test_jwk_cookbook(void)
{
	hc_key *ec = jwk_file(COOKBOOK "3_1.ec_public_key.json", false);
	hc_key *rsa = jwk_file(COOKBOOK "3_3.rsa_public_key.json", false);
	hc_key *oct = jwk_file(COOKBOOK "3_5.symmetric_key_mac_computation.json",
	    true);

	CU_ASSERT_EQUAL(ec->kty, HC_KTY_EC);
	CU_ASSERT_EQUAL(ec->curve_bits, 521);
	CU_ASSERT_EQUAL(ec->alg, HC_ALG_UNKNOWN);
	CU_ASSERT_STRING_EQUAL(ec->kid, "bilbo.baggins@hobbiton.example");
	CU_ASSERT_EQUAL(rsa->kty, HC_KTY_RSA);
	CU_ASSERT_EQUAL(rsa->bits, 2048);
	CU_ASSERT_EQUAL(rsa->curve_bits, 0);
	CU_ASSERT_EQUAL(oct->kty, HC_KTY_OCT);
	CU_ASSERT_EQUAL(oct->bits, 256);
	CU_ASSERT_EQUAL(oct->alg, HC_ALG_HS256);
	CU_ASSERT_STRING_EQUAL(oct->kid, "018c0ae5-4d9b-471b-bfd6-eef314bc7037");
	hc_key_free(ec);
	hc_key_free(rsa);
	hc_key_free(oct);
	hc_key_free(NULL);
}

/* Private JWKs (sections 3.2 and 3.4) and secrets in a public set. */
static void
test_jwk_private_refused(void)
{
	static const char *const files[] = {
		COOKBOOK "3_2.ec_private_key.json",
		COOKBOOK "3_4.rsa_private_key.json",
	};
	hc_detail d = { "" };
	hc_key *key = NULL;

	for (size_t i = 0; i < 2; i++) {
		char *text = hc_test_read(files[i], NULL);

		HC_ASSERT_STATUS(jwk_import(text, false, &key, &d), HC_KEY);
		CU_ASSERT_STRING_EQUAL(d.text, "JWK kid "
		    "\"bilbo.baggins@hobbiton.example\" contains private key "
		    "member \"d\"");
		CU_ASSERT_PTR_NULL(key);
		/* Where secrets are allowed, the public part is used. */
		HC_ASSERT_STATUS(jwk_import(text, true, &key, &d), HC_OK);
		hc_key_free(key);
		free(text);
	}
	key = NULL;
	{
		char *text = hc_test_read(
		    COOKBOOK "3_5.symmetric_key_mac_computation.json", NULL);

		HC_ASSERT_STATUS(jwk_import(text, false, &key, &d), HC_KEY);
		CU_ASSERT(contains(d.text, "secret (kty \"oct\") key"));
		free(text);
	}
	/* Section 3.6 is an A256GCM encryption key: never a signing key. */
	{
		char *text = hc_test_read(
		    COOKBOOK "3_6.symmetric_key_encryption.json", NULL);

		HC_ASSERT_STATUS(jwk_import(text, true, &key, &d), HC_KEY);
		free(text);
	}
	CU_ASSERT_PTR_NULL(key);
}

/*
 * One JWK import per record: the JWK text, whether secrets are allowed,
 * and the exact status.  The comment of each record says what it probes.
 */
static const struct jwk_case {
	const char *name;
	bool allow_secret;
	hc_status want;
	const char *jwk;
} jwk_cases[] = {
	/* Baselines that the mutations below start from. */
	{ "ec521", false, HC_OK, JWK_EC521 "}" },
	{ "ec256", false, HC_OK, JWK_EC256 "}" },
	{ "ec384", false, HC_OK, "{\"kty\":\"EC\",\"crv\":\"P-384\",\"x\":\""
	    EC384_X "\",\"y\":\"" EC384_Y "\"}" },
	{ "rsa", false, HC_OK, JWK_RSA "}" },
	{ "rsa e=3", false, HC_OK, "{\"kty\":\"RSA\",\"e\":\"Aw\",\"n\":\""
	    RSA_N "\"}" },
	{ "oct", true, HC_OK, JWK_OCT "}" },

	/* Not an object; kty missing, of the wrong type, or unknown. */
	{ "array", false, HC_KEY, "[]" },
	{ "string", false, HC_KEY, "\"EC\"" },
	{ "no kty", false, HC_KEY, "{\"crv\":\"P-256\",\"x\":\"" EC256_X
	    "\",\"y\":\"" EC256_Y "\"}" },
	{ "kty number", false, HC_KEY, "{\"kty\":1}" },
	{ "kty OKP", false, IF_EDDSA(HC_OK, HC_KEY),
	    "{\"kty\":\"OKP\",\"crv\":\"Ed25519\","
	    "\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}" },
	{ "kty case", false, HC_KEY, "{\"kty\":\"ec\",\"crv\":\"P-256\",\"x\":\""
	    EC256_X "\",\"y\":\"" EC256_Y "\"}" },

	/* kid: a string of at most HC_MAX_KID_BYTES (256) bytes. */
	{ "kid number", false, HC_KEY, JWK_EC256 ",\"kid\":7}" },
	{ "kid 256", false, HC_OK, JWK_EC256 ",\"kid\":\""
	    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	    "\"}" },
	{ "kid 257", false, HC_KEY, JWK_EC256 ",\"kid\":\""
	    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	    "x\"}" },

	/* use (RFC 7517 section 4.2) and key_ops (section 4.3). */
	{ "use sig", false, HC_OK, JWK_EC256 ",\"use\":\"sig\"}" },
	{ "use enc", false, HC_KEY, JWK_EC256 ",\"use\":\"enc\"}" },
	{ "use SIG", false, HC_KEY, JWK_EC256 ",\"use\":\"SIG\"}" },
	{ "use array", false, HC_KEY, JWK_EC256 ",\"use\":[\"sig\"]}" },
	{ "key_ops verify", false, HC_OK, JWK_EC256
	    ",\"key_ops\":[\"verify\"]}" },
	{ "key_ops sign+verify", false, HC_OK, JWK_EC256
	    ",\"key_ops\":[\"sign\",\"verify\"]}" },
	{ "key_ops sign", false, HC_KEY, JWK_EC256 ",\"key_ops\":[\"sign\"]}" },
	{ "key_ops empty", false, HC_KEY, JWK_EC256 ",\"key_ops\":[]}" },
	{ "key_ops one string", false, HC_KEY, JWK_EC256
	    ",\"key_ops\":[\"sign, verify\"]}" },
	{ "key_ops not array", false, HC_KEY, JWK_EC256
	    ",\"key_ops\":\"verify\"}" },
	{ "key_ops number item", false, HC_KEY, JWK_EC256
	    ",\"key_ops\":[\"verify\",1]}" },

	/* alg (section 4.4): known, and matching the key type and curve. */
	{ "alg ES256", false, HC_OK, JWK_EC256 ",\"alg\":\"ES256\"}" },
	{ "alg ES512 on P-521", false, HC_OK, JWK_EC521 ",\"alg\":\"ES512\"}" },
	{ "alg ES521", false, HC_KEY, JWK_EC521 ",\"alg\":\"ES521\"}" },
	{ "alg ES256 on P-521", false, HC_KEY, JWK_EC521 ",\"alg\":\"ES256\"}" },
	{ "alg ES384 on P-256", false, HC_KEY, JWK_EC256 ",\"alg\":\"ES384\"}" },
	{ "alg RS256 on EC", false, HC_KEY, JWK_EC256 ",\"alg\":\"RS256\"}" },
	{ "alg HS256 on RSA", false, HC_KEY, JWK_RSA ",\"alg\":\"HS256\"}" },
	{ "alg ES256 on oct", true, HC_KEY, JWK_OCT ",\"alg\":\"ES256\"}" },
	{ "alg none", false, HC_KEY, JWK_RSA ",\"alg\":\"none\"}" },
	{ "alg lower case", false, HC_KEY, JWK_RSA ",\"alg\":\"rs256\"}" },
	{ "alg number", false, HC_KEY, JWK_RSA ",\"alg\":256}" },
	{ "alg RSA-OAEP", false, HC_KEY, JWK_RSA ",\"alg\":\"RSA-OAEP\"}" },

	/* Private members in a public key (RFC 7517 section 9.3). */
	{ "EC d", false, HC_KEY, JWK_EC521 ",\"d\":\"" EC521_D "\"}" },
	{ "EC k", false, HC_KEY, JWK_EC256 ",\"k\":\"" OCT_K "\"}" },
	{ "RSA p", false, HC_KEY, JWK_RSA ",\"p\":\"AQAB\"}" },
	{ "RSA qi", false, HC_KEY, JWK_RSA ",\"qi\":\"AQAB\"}" },
	{ "RSA oth", false, HC_KEY, JWK_RSA ",\"oth\":[]}" },
	{ "EC d, secrets allowed", true, HC_OK, JWK_EC521 ",\"d\":\"" EC521_D
	    "\"}" },

	/* EC material: crv, exact coordinate lengths, the curve equation. */
	{ "no crv", false, HC_KEY, "{\"kty\":\"EC\",\"x\":\"" EC256_X
	    "\",\"y\":\"" EC256_Y "\"}" },
	{ "crv secp256k1", false, HC_KEY, "{\"kty\":\"EC\",\"crv\":\"secp256k1\","
	    "\"x\":\"" EC256_X "\",\"y\":\"" EC256_Y "\"}" },
	{ "crv p-256", false, HC_KEY, "{\"kty\":\"EC\",\"crv\":\"p-256\","
	    "\"x\":\"" EC256_X "\",\"y\":\"" EC256_Y "\"}" },
	{ "crv P-384 on P-256 point", false, HC_KEY, "{\"kty\":\"EC\","
	    "\"crv\":\"P-384\",\"x\":\"" EC256_X "\",\"y\":\"" EC256_Y "\"}" },
	{ "crv P-256 on P-521 point", false, HC_KEY, "{\"kty\":\"EC\","
	    "\"crv\":\"P-256\",\"x\":\"" EC521_X "\",\"y\":\"" EC521_Y "\"}" },
	{ "x 33 bytes", false, HC_KEY, "{\"kty\":\"EC\",\"crv\":\"P-256\","
	    "\"x\":\"" EC256_X33 "\",\"y\":\"" EC256_Y "\"}" },
	{ "x 31 bytes", false, HC_KEY, "{\"kty\":\"EC\",\"crv\":\"P-256\","
	    "\"x\":\"" EC256_X31 "\",\"y\":\"" EC256_Y "\"}" },
	{ "x padded", false, HC_KEY, "{\"kty\":\"EC\",\"crv\":\"P-256\","
	    "\"x\":\"" EC256_X "=\",\"y\":\"" EC256_Y "\"}" },
	{ "x std base64", false, HC_KEY, "{\"kty\":\"EC\",\"crv\":\"P-256\","
	    "\"x\":\"mfSfWou8Pztm7EUQKRjqpeTOa231M7WBo3Ymst0Q4PE\",\"y\":"
	    "\"NtvhQK/+MshGme8G11MJzU+wWjKaIukFZAkbZIe85yk\"}" },
	{ "no y", false, HC_KEY, "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\""
	    EC256_X "\"}" },
	{ "y number", false, HC_KEY, "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\""
	    EC256_X "\",\"y\":0}" },
	{ "off curve", false, HC_KEY, "{\"kty\":\"EC\",\"crv\":\"P-521\",\"x\":\""
	    EC521_X "\",\"y\":\"" EC521_Y_OFF "\"}" },
	{ "x and y swapped", false, HC_KEY, "{\"kty\":\"EC\",\"crv\":\"P-256\","
	    "\"x\":\"" EC256_Y "\",\"y\":\"" EC256_X "\"}" },

	/* RSA material: minimal integers, odd e >= 3, 2048..8192 bits. */
	{ "no n", false, HC_KEY, "{\"kty\":\"RSA\",\"e\":\"AQAB\"}" },
	{ "no e", false, HC_KEY, "{\"kty\":\"RSA\",\"n\":\"" RSA_N "\"}" },
	{ "n leading zero", false, HC_KEY, "{\"kty\":\"RSA\",\"e\":\"AQAB\","
	    "\"n\":\"" RSA_N_ZERO "\"}" },
	{ "e leading zero", false, HC_KEY, "{\"kty\":\"RSA\",\"e\":\"AAEAAQ\","
	    "\"n\":\"" RSA_N "\"}" },
	{ "e empty", false, HC_KEY, "{\"kty\":\"RSA\",\"e\":\"\",\"n\":\""
	    RSA_N "\"}" },
	{ "e = 1", false, HC_KEY, "{\"kty\":\"RSA\",\"e\":\"AQ\",\"n\":\""
	    RSA_N "\"}" },
	{ "e = 65536", false, HC_KEY, "{\"kty\":\"RSA\",\"e\":\"AQAA\",\"n\":\""
	    RSA_N "\"}" },
	{ "n even", false, HC_KEY, "{\"kty\":\"RSA\",\"e\":\"AQAB\",\"n\":\""
	    RSA_N_EVEN "\"}" },
	{ "n 2047 bits", false, HC_KEY, "{\"kty\":\"RSA\",\"e\":\"AQAB\","
	    "\"n\":\"" RSA_N_2047 "\"}" },
	{ "n 1024 bits", false, HC_KEY, "{\"kty\":\"RSA\",\"e\":\"AQAB\","
	    "\"n\":\"" RSA1024_N "\"}" },
	{ "n ROCA", false, HC_KEY, "{\"kty\":\"RSA\",\"e\":\"AQAB\",\"n\":\""
	    RSA_ROCA_N "\"}" },
	{ "n not base64url", false, HC_KEY, "{\"kty\":\"RSA\",\"e\":\"AQAB\","
	    "\"n\":\"n4EPtAOC c9Alk\"}" },

	/* oct: only where secrets are allowed; RFC 7518 section 3.2 sizes. */
	{ "oct in public set", false, HC_KEY, JWK_OCT "}" },
	{ "oct 31 bytes", true, HC_KEY, "{\"kty\":\"oct\",\"k\":"
	    "\"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHg\"}" },
	{ "oct empty", true, HC_KEY, "{\"kty\":\"oct\",\"k\":\"\"}" },
	{ "oct no k", true, HC_KEY, "{\"kty\":\"oct\",\"alg\":\"HS256\"}" },
	{ "oct HS512 32 bytes", true, HC_KEY, JWK_OCT ",\"alg\":\"HS512\"}" },
	{ "oct HS256 alg", true, HC_OK, JWK_OCT ",\"alg\":\"HS256\"}" },
	{ "oct A256GCM", true, HC_KEY, JWK_OCT ",\"alg\":\"A256GCM\"}" },
};

static void
test_jwk_rules(void)
{
	for (size_t i = 0; i < sizeof(jwk_cases) / sizeof(jwk_cases[0]); i++) {
		const struct jwk_case *c = &jwk_cases[i];
		hc_detail d = { "" };
		hc_key *key = NULL;
		hc_status st;

		st = jwk_import(c->jwk, c->allow_secret, &key, &d);
		if (st != c->want)
			fprintf(stderr, "\nJWK case \"%s\": %s, want %s (%s)\n",
			    c->name, hc_status_name(st),
			    hc_status_name(c->want), d.text);
		HC_ASSERT_STATUS(st, c->want);
		CU_ASSERT((st == HC_OK) == (key != NULL));
		if (st != HC_OK)
			CU_ASSERT(strncmp(d.text, "JWK ", 4) == 0);
		hc_key_free(key);
	}
}

/* The details name the key and the rule, never key material. */
static void
test_jwk_details(void)
{
	hc_detail d = { "" };
	hc_key *key = NULL;

	HC_ASSERT_STATUS(jwk_import(JWK_EC521 ",\"kid\":\"k1\",\"alg\":\"ES521\"}",
	    false, &key, &d), HC_KEY);
	CU_ASSERT_STRING_EQUAL(d.text, "JWK kid \"k1\" has alg \"ES521\", which "
	    "is not a JWS algorithm hopcheck verifies");
	HC_ASSERT_STATUS(jwk_import(JWK_EC256 ",\"use\":\"enc\"}", false, &key,
	    &d), HC_KEY);
	CU_ASSERT_STRING_EQUAL(d.text, "JWK without kid has use \"enc\"; only "
	    "\"sig\" keys verify signatures");
	HC_ASSERT_STATUS(jwk_import("{\"kty\":\"RSA\",\"kid\":\"r\",\"e\":\"AQAB\","
	    "\"n\":\"" RSA1024_N "\"}", false, &key, &d), HC_KEY);
	CU_ASSERT(contains(d.text, "JWK kid \"r\": RSA modulus is 1024 bits"));
	HC_ASSERT_STATUS(jwk_import("{\"kty\":\"RSA\",\"e\":\"AQAB\",\"n\":\""
	    RSA_ROCA_N "\"}", false, &key, &d), HC_KEY);
	CU_ASSERT(contains(d.text, "ROCA"));
	HC_ASSERT_STATUS(jwk_import(JWK_OCT ",\"alg\":\"HS512\"}", true, &key,
	    &d), HC_KEY);
	CU_ASSERT(contains(d.text, "32-byte secret; HS512 needs at least 64"));
	CU_ASSERT(strstr(d.text, OCT_K) == NULL);
	CU_ASSERT_PTR_NULL(key);
}

static void
test_jwk_from_secret(void)
{
	unsigned char s[64];
	hc_detail d = { "" };
	hc_key *key = NULL;

	memset(s, 7, sizeof(s));
	HC_ASSERT_STATUS(hc_key_from_secret(s, 16, &key, &d), HC_KEY);
	CU_ASSERT_PTR_NULL(key);
	HC_ASSERT_STATUS(hc_key_from_secret(s, 64, &key, &d), HC_OK);
	CU_ASSERT_EQUAL(key->kty, HC_KTY_OCT);
	CU_ASSERT_EQUAL(key->bits, 512);
	CU_ASSERT_PTR_NULL(key->kid);
	HC_ASSERT_STATUS(hc_key_allows(key, HC_ALG_HS512, &d), HC_OK);
	HC_ASSERT_STATUS(hc_key_allows(key, HC_ALG_RS256, &d), HC_ALG);
	hc_key_free(key);
}

/* ----------------------------------------------------- key/alg binding */

static void
test_allows_binding(void)
{
	hc_key *rsa = jwk_file(COOKBOOK "3_3.rsa_public_key.json", false);
	hc_key *ec = jwk_file(COOKBOOK "3_1.ec_public_key.json", false);
	hc_key *oct = jwk_file(COOKBOOK "3_5.symmetric_key_mac_computation.json",
	    true);
	hc_key *rs256 = NULL, *oct32 = NULL;
	hc_detail d = { "" };

	/* An RSA key without alg: any RS or PS algorithm. */
	for (hc_alg a = HC_ALG_RS256; a <= HC_ALG_PS512; a++)
		HC_ASSERT_STATUS(hc_key_allows(rsa, a, &d), HC_OK);
	HC_ASSERT_STATUS(hc_key_allows(rsa, HC_ALG_ES256, &d), HC_ALG);
	HC_ASSERT_STATUS(hc_key_allows(rsa, HC_ALG_UNKNOWN, &d), HC_ALG);
	HC_ASSERT_STATUS(hc_key_allows(rsa, HC_ALG_COUNT, &d), HC_ALG);

	/* P-521 verifies ES512 and nothing else (RFC 7518 section 3.4). */
	HC_ASSERT_STATUS(hc_key_allows(ec, HC_ALG_ES512, &d), HC_OK);
	HC_ASSERT_STATUS(hc_key_allows(ec, HC_ALG_ES256, &d), HC_ALG);
	CU_ASSERT_STRING_EQUAL(d.text, "token alg ES256 needs curve P-256, not "
	    "the EC P-521 key kid \"bilbo.baggins@hobbiton.example\"");
	HC_ASSERT_STATUS(hc_key_allows(ec, HC_ALG_ES384, &d), HC_ALG);
	HC_ASSERT_STATUS(hc_key_allows(ec, HC_ALG_HS512, &d), HC_ALG);
	HC_ASSERT_STATUS(hc_key_allows(ec, HC_ALG_PS512, &d), HC_ALG);

	/* The secret has alg HS256: only HS256. */
	HC_ASSERT_STATUS(hc_key_allows(oct, HC_ALG_HS256, &d), HC_OK);
	HC_ASSERT_STATUS(hc_key_allows(oct, HC_ALG_HS384, &d), HC_ALG);
	HC_ASSERT_STATUS(hc_key_allows(oct, HC_ALG_RS256, &d), HC_ALG);
	HC_ASSERT_STATUS(hc_key_allows(oct, HC_ALG_ES256, &d), HC_ALG);

	/* A key's own alg pins it (RFC 8725 section 3.1). */
	HC_ASSERT_STATUS(jwk_import(JWK_RSA ",\"kid\":\"r1\",\"alg\":\"RS256\"}",
	    false, &rs256, &d), HC_OK);
	HC_ASSERT_STATUS(hc_key_allows(rs256, HC_ALG_RS256, &d), HC_OK);
	HC_ASSERT_STATUS(hc_key_allows(rs256, HC_ALG_PS256, &d), HC_ALG);
	CU_ASSERT_STRING_EQUAL(d.text, "token alg PS256 differs from the alg of "
	    "the RSA 2048-bit key kid \"r1\" (alg RS256)");
	HC_ASSERT_STATUS(hc_key_allows(rs256, HC_ALG_RS384, &d), HC_ALG);

	/* A 32-byte secret without alg: HS256 only (RFC 7518 section 3.2). */
	HC_ASSERT_STATUS(jwk_import(JWK_OCT "}", true, &oct32, &d), HC_OK);
	HC_ASSERT_STATUS(hc_key_allows(oct32, HC_ALG_HS256, &d), HC_OK);
	HC_ASSERT_STATUS(hc_key_allows(oct32, HC_ALG_HS384, &d), HC_ALG);
	HC_ASSERT_STATUS(hc_key_allows(oct32, HC_ALG_HS512, &d), HC_ALG);
	HC_ASSERT_STATUS(hc_key_allows(NULL, HC_ALG_HS256, &d), HC_ALG);

	hc_key_free(rsa);
	hc_key_free(ec);
	hc_key_free(oct);
	hc_key_free(rs256);
	hc_key_free(oct32);
}

/*
 * The HS/RS confusion (RFC 8725 section 2.1; CVE-2015-9235 and kin): the
 * attacker takes the issuer's public RSA key as published, uses its bytes
 * as an HMAC secret, and sends alg HS256.  A verifier that lets the token
 * choose the algorithm runs HMAC with the public key and accepts.
 *
 * The tag below is HMAC-SHA256 (computed with Python's hmac module) over
 * the signing input, keyed with the exact bytes of the cookbook's public
 * key file.  First we show that the forgery is a real HMAC under those
 * bytes; then that hopcheck refuses to verify HS256 with the RSA key.
 */
static void
test_allows_hs_rs_confusion(void)
{
	static const char input[] =
	    "eyJhbGciOiJIUzI1NiIsImtpZCI6ImJpbGJvLmJhZ2dpbnNAaG9iYml0b24uZXhh"
	    "bXBsZSJ9.eyJzdWIiOiJhdHRhY2tlciIsImF1ZCI6InBheW1lbnRzIn0";
	unsigned char tag[32];
	size_t taglen, publen;
	char *pub = hc_test_read(COOKBOOK "3_3.rsa_public_key.json", &publen);
	hc_key *rsa = jwk_file(COOKBOOK "3_3.rsa_public_key.json", false);
	hc_key *naive = NULL;
	hc_detail d = { "" };

	hex_decode("23aec93c44513632e2a12d93ae532ffb51c28ab9011a185da4e11950"
	    "cfda7001", tag, &taglen);
	HC_ASSERT_STATUS(hc_key_from_secret((const unsigned char *)pub, publen,
	    &naive, &d), HC_OK);
	HC_ASSERT_STATUS(hc_key_verify(naive, HC_ALG_HS256,
	    (const unsigned char *)input, strlen(input), tag, taglen, &d), HC_OK);

	HC_ASSERT_STATUS(hc_key_verify(rsa, HC_ALG_HS256,
	    (const unsigned char *)input, strlen(input), tag, taglen, &d),
	    HC_ALG);
	CU_ASSERT_STRING_EQUAL(d.text, "token alg HS256 needs a secret (oct) "
	    "key, not the RSA 2048-bit key kid "
	    "\"bilbo.baggins@hobbiton.example\"");
	/* The backend refuses too, if a caller skipped hc_key_allows(). */
	HC_ASSERT_STATUS(hc_crypto()->verify(HC_ALG_HS256, rsa->bk,
	    (const unsigned char *)input, strlen(input), tag, taglen),
	    HC_SIGNATURE);
	hc_key_free(naive);
	hc_key_free(rsa);
	free(pub);
}

/* ------------------------------------------------------ ES signatures */

/* Signed with the EC256_X/EC256_Y key by pyca/cryptography, then split. */
static const char es_msg[] = "hopcheck ES256 test message";
static const char es_raw[] =
    "604effc7903d2d0f9dd4801d9f984475344434b8800be6e1fea720583162b3fb"
    "9a430d7a89a54865788d95232cf45b56462110051e2f807548926772873a77b6";
static const char es_der[] =
    "30450220604effc7903d2d0f9dd4801d9f984475344434b8800be6e1fea72058"
    "3162b3fb0221009a430d7a89a54865788d95232cf45b56462110051e2f8075489"
    "26772873a77b6";
/* The order n of P-256 (SEC 2 section 2.4.2). */
static const char p256_n[] =
    "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551";

static hc_status
es_verify(const hc_key *key, hc_alg alg, const unsigned char *sig,
    size_t len, hc_detail *d)
{
	return hc_key_verify(key, alg, (const unsigned char *)es_msg,
	    strlen(es_msg), sig, len, d);
}

static void
test_es_encoding(void)
{
	unsigned char raw[64], der[80], buf[80];
	size_t rawlen, derlen, nlen;
	hc_detail d = { "" };
	hc_key *key = NULL;

	HC_ASSERT_STATUS(jwk_import(JWK_EC256 "}", false, &key, &d), HC_OK);
	hex_decode(es_raw, raw, &rawlen);
	hex_decode(es_der, der, &derlen);
	CU_ASSERT_EQUAL_FATAL(rawlen, 64);

	HC_ASSERT_STATUS(es_verify(key, HC_ALG_ES256, raw, rawlen, &d), HC_OK);

	/* The same (r, s) DER-encoded, as X.509 would carry it. */
	HC_ASSERT_STATUS(es_verify(key, HC_ALG_ES256, der, derlen, &d),
	    HC_SIGNATURE);
	CU_ASSERT(contains(d.text, "71 bytes; 64 expected (raw R || S"));
	/* A leading zero byte, a dropped last byte, a padded tail. */
	buf[0] = 0;
	memcpy(buf + 1, raw, 64);
	HC_ASSERT_STATUS(es_verify(key, HC_ALG_ES256, buf, 65, &d),
	    HC_SIGNATURE);
	HC_ASSERT_STATUS(es_verify(key, HC_ALG_ES256, raw, 63, &d),
	    HC_SIGNATURE);
	memcpy(buf, raw, 64);
	buf[64] = 0;
	HC_ASSERT_STATUS(es_verify(key, HC_ALG_ES256, buf, 65, &d),
	    HC_SIGNATURE);
	HC_ASSERT_STATUS(es_verify(key, HC_ALG_ES256, raw, 0, &d),
	    HC_SIGNATURE);
	/* Each bit of r and s matters. */
	for (size_t i = 0; i < 64; i += 9) {
		memcpy(buf, raw, 64);
		buf[i] ^= 0x01;
		HC_ASSERT_STATUS(es_verify(key, HC_ALG_ES256, buf, 64, &d),
		    HC_SIGNATURE);
	}
	/* The right signature under an alg the key does not allow. */
	HC_ASSERT_STATUS(es_verify(key, HC_ALG_ES384, raw, 64, &d), HC_ALG);
	HC_ASSERT_STATUS(es_verify(key, HC_ALG_HS256, raw, 32, &d), HC_ALG);

	/* r = n and s = n: out of range, refused by the backend itself. */
	hex_decode(p256_n, buf, &nlen);
	hex_decode(p256_n, buf + 32, &nlen);
	HC_ASSERT_STATUS(es_verify(key, HC_ALG_ES256, buf, 64, &d),
	    HC_SIGNATURE);
	HC_ASSERT_STATUS(hc_crypto()->verify(HC_ALG_ES256, key->bk,
	    (const unsigned char *)es_msg, strlen(es_msg), buf, 64),
	    HC_SIGNATURE);
	hc_key_free(key);
}

/*
 * The "psychic signature" (CVE-2022-21449): Java 15-18 accepted r = s = 0
 * as a valid ECDSA signature for any message and key, because it skipped
 * the range check of SEC 1 section 4.1.4 step 1.  In JWS that is 64 zero
 * bytes; both hc_key_verify() and the bare backend must refuse it.
 */
static void
test_es_psychic_signature(void)
{
	unsigned char zero[132] = { 0 };
	hc_key *p256 = NULL;
	hc_key *p521 = jwk_file(COOKBOOK "3_1.ec_public_key.json", false);
	hc_detail d = { "" };

	HC_ASSERT_STATUS(jwk_import(JWK_EC256 "}", false, &p256, &d), HC_OK);
	HC_ASSERT_STATUS(es_verify(p256, HC_ALG_ES256, zero, 64, &d),
	    HC_SIGNATURE);
	HC_ASSERT_STATUS(hc_crypto()->verify(HC_ALG_ES256, p256->bk,
	    (const unsigned char *)es_msg, strlen(es_msg), zero, 64),
	    HC_SIGNATURE);
	HC_ASSERT_STATUS(es_verify(p521, HC_ALG_ES512, zero, 132, &d),
	    HC_SIGNATURE);
	/* r = 0 with a valid s, and a valid r with s = 0. */
	{
		unsigned char raw[64], half[64];
		size_t n;

		hex_decode(es_raw, raw, &n);
		memcpy(half, raw, 64);
		memset(half, 0, 32);
		HC_ASSERT_STATUS(es_verify(p256, HC_ALG_ES256, half, 64, &d),
		    HC_SIGNATURE);
		memcpy(half, raw, 64);
		memset(half + 32, 0, 32);
		HC_ASSERT_STATUS(es_verify(p256, HC_ALG_ES256, half, 64, &d),
		    HC_SIGNATURE);
	}
	hc_key_free(p256);
	hc_key_free(p521);
}

/* ---------------------------------------------------------------- threads */

/*
 * RS256 over "hopcheck RS256 test message" with the cookbook's private
 * key (RFC 7520 section 3.4), signed by pyca/cryptography.
 */
static const char rs_msg[] = "hopcheck RS256 test message";
static const char rs_sig[] =
    "025fc0f56d1a4f87b7439f89c733d063fc5204c6bb8b62d92ef4689269632267"
    "ade55e10933768ce8b12511044d4782da42fbd26ba3bf175d63a1868a17b6615"
    "0121f38daa43769c775e31fbd29742c3d5e38db1ff15aa8921ab13194c144ea5"
    "06a71e714de35bd55c3e705f862a19f4b62df15b6d7a5994e57ee8a79cbca8da"
    "cd5534efed44f21c5e9db8c6a0ff12edd9067bfd5fbf9ebd4d973353b473961c"
    "92fa0a156901f26b9d7b283a2c3b722411a7e9456100887026c44edee0ae1a3a"
    "3d1625e9391ccc85b0572a1ecdbe64638b6f40dc5d2de20365bcb88306ca794f"
    "aa577086c14197f7ec8dbb9f6d912461fde82c32f864f5d3a18e1e08c4c94c34";

#define NTHREADS 4
#define ROUNDS 8

struct shared_keys {
	const hc_key *ec, *rsa;
	unsigned char es[64], rs[256];
	int failures;            /* updated atomically */
};

/*
 * One validating thread: the keys are shared with the other threads, as
 * an issuer's set is shared by concurrent validations.  A race on the
 * state mbedTLS caches in a key (the EC comb table, the RSA Montgomery
 * value) shows up as a wrong verdict, or under ASan as a leak or a use
 * after free.
 */
static void *
verify_worker(void *arg)
{
	struct shared_keys *sk = arg;
	unsigned char rnd[64];

	for (int i = 0; i < ROUNDS; i++) {
		if (hc_key_verify(sk->ec, HC_ALG_ES256,
		    (const unsigned char *)es_msg, strlen(es_msg), sk->es, 64,
		    NULL) != HC_OK ||
		    hc_key_verify(sk->rsa, HC_ALG_RS256,
		    (const unsigned char *)rs_msg, strlen(rs_msg), sk->rs, 256,
		    NULL) != HC_OK ||
		    hc_crypto()->random(rnd, sizeof(rnd)) != 0)
			__atomic_add_fetch(&sk->failures, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

static void
test_threads_share_keys(void)
{
	struct shared_keys sk;
	pthread_t th[NTHREADS];
	hc_key *ec = NULL;
	hc_key *rsa = jwk_file(COOKBOOK "3_3.rsa_public_key.json", false);
	hc_detail d = { "" };
	size_t n;

	memset(&sk, 0, sizeof(sk));
	HC_ASSERT_STATUS(jwk_import(JWK_EC256 "}", false, &ec, &d), HC_OK);
	hex_decode(es_raw, sk.es, &n);
	hex_decode(rs_sig, sk.rs, &n);
	CU_ASSERT_EQUAL_FATAL(n, 256);
	sk.ec = ec;
	sk.rsa = rsa;
	/* Fresh keys, never used before the threads start. */
	for (int i = 0; i < NTHREADS; i++)
		CU_ASSERT_FATAL(pthread_create(&th[i], NULL, verify_worker,
		    &sk) == 0);
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(th[i], NULL);
	CU_ASSERT_EQUAL(sk.failures, 0);
	hc_key_free(ec);
	hc_key_free(rsa);
}

/* -------------------------------------------------------------- keysets */

static hc_status
set_parse(const char *text, bool allow_secret, hc_keyset **out,
    hc_detail *d)
{
	return hc_keyset_parse(text, strlen(text), allow_secret, out, d);
}

#define SET2 "{\"keys\":[" JWK_RSA ",\"kid\":\"rsa-1\"}," JWK_EC256 \
	",\"kid\":\"ec-1\",\"use\":\"sig\"}]}"

static void
test_keyset_find(void)
{
	hc_keyset *ks = NULL;
	const hc_key *k = NULL;
	hc_detail d = { "" };

	HC_ASSERT_STATUS(set_parse(SET2, false, &ks, &d), HC_OK);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ks);
	CU_ASSERT_EQUAL(ks->nkeys, 2);
	CU_ASSERT_EQUAL(ks->refs, 1);

	HC_ASSERT_STATUS(hc_keyset_find(ks, "ec-1", HC_ALG_ES256, &k, &d), HC_OK);
	CU_ASSERT_STRING_EQUAL(k->kid, "ec-1");
	HC_ASSERT_STATUS(hc_keyset_find(ks, "rsa-1", HC_ALG_PS256, &k, &d),
	    HC_OK);
	CU_ASSERT_EQUAL(k->kty, HC_KTY_RSA);
	/* Exact bytes: no case folding, trimming or prefix match. */
	HC_ASSERT_STATUS(hc_keyset_find(ks, "EC-1", HC_ALG_ES256, &k, &d),
	    HC_KEY);
	CU_ASSERT_PTR_NULL(k);
	HC_ASSERT_STATUS(hc_keyset_find(ks, "ec-1 ", HC_ALG_ES256, &k, &d),
	    HC_KEY);
	HC_ASSERT_STATUS(hc_keyset_find(ks, "ec-", HC_ALG_ES256, &k, &d),
	    HC_KEY);
	HC_ASSERT_STATUS(hc_keyset_find(ks, "", HC_ALG_ES256, &k, &d), HC_KEY);
	HC_ASSERT_STATUS(hc_keyset_find(ks, "' OR 1=1 --", HC_ALG_ES256, &k,
	    &d), HC_KEY);
	CU_ASSERT_STRING_EQUAL(d.text, "no key has kid \"' OR 1=1 --\" (2 keys "
	    "in the set)");
	/* The kid's key exists but cannot verify the alg: HC_ALG. */
	HC_ASSERT_STATUS(hc_keyset_find(ks, "rsa-1", HC_ALG_HS256, &k, &d),
	    HC_ALG);
	HC_ASSERT_STATUS(hc_keyset_find(ks, "ec-1", HC_ALG_ES384, &k, &d),
	    HC_ALG);
	CU_ASSERT_PTR_NULL(k);
	/* Without kid: the single key that allows alg. */
	HC_ASSERT_STATUS(hc_keyset_find(ks, NULL, HC_ALG_RS256, &k, &d), HC_OK);
	CU_ASSERT_STRING_EQUAL(k->kid, "rsa-1");
	HC_ASSERT_STATUS(hc_keyset_find(ks, NULL, HC_ALG_ES256, &k, &d), HC_OK);
	CU_ASSERT_STRING_EQUAL(k->kid, "ec-1");
	HC_ASSERT_STATUS(hc_keyset_find(ks, NULL, HC_ALG_ES512, &k, &d), HC_KEY);
	CU_ASSERT_STRING_EQUAL(d.text, "token has no kid and no key of the "
	    "issuer can verify ES512");
	HC_ASSERT_STATUS(hc_keyset_find(ks, NULL, HC_ALG_HS256, &k, &d), HC_KEY);
	HC_ASSERT_STATUS(hc_keyset_find(NULL, "ec-1", HC_ALG_ES256, &k, &d),
	    HC_KEY);
	hc_keyset_unref(ks);
}

static void
test_keyset_find_ambiguous(void)
{
	static const char set[] = "{\"keys\":[" JWK_EC256 "}," JWK_RSA "},"
	    JWK_RSA2 "}]}";
	char longkid[HC_MAX_KID_BYTES + 2];
	hc_keyset *ks = NULL;
	const hc_key *k = NULL;
	hc_detail d = { "" };

	HC_ASSERT_STATUS(set_parse(set, false, &ks, &d), HC_OK);
	CU_ASSERT_EQUAL_FATAL(ks->nkeys, 3);
	HC_ASSERT_STATUS(hc_keyset_find(ks, NULL, HC_ALG_RS256, &k, &d), HC_KEY);
	CU_ASSERT_STRING_EQUAL(d.text, "token has no kid and 2 keys of the "
	    "issuer could verify RS256");
	CU_ASSERT_PTR_NULL(k);
	HC_ASSERT_STATUS(hc_keyset_find(ks, NULL, HC_ALG_ES256, &k, &d), HC_OK);
	/* Keys without kid never match a token kid. */
	HC_ASSERT_STATUS(hc_keyset_find(ks, "x", HC_ALG_ES256, &k, &d), HC_KEY);
	memset(longkid, 'a', sizeof(longkid) - 1);
	longkid[sizeof(longkid) - 1] = '\0';
	HC_ASSERT_STATUS(hc_keyset_find(ks, longkid, HC_ALG_ES256, &k, &d),
	    HC_KEY);
	hc_keyset_unref(ks);
}

/* One keyset per record, with the status hc_keyset_parse() must give. */
static const struct set_case {
	const char *name;
	bool allow_secret;
	hc_status want;
	size_t nkeys;            /* on HC_OK */
	const char *json;
} set_cases[] = {
	{ "two keys", false, HC_OK, 2, SET2 },
	/* RFC 7517 section 5: unknown kty, and use other than sig, skipped. */
	{ "OKP used or skipped", false, HC_OK, IF_EDDSA(2, 1), "{\"keys\":[{\"kty\":\"OKP\","
	    "\"crv\":\"Ed25519\",\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaa"
	    "PcHURo\"}," JWK_EC256 "}]}" },
	{ "enc key skipped", false, HC_OK, 1, "{\"keys\":[" JWK_RSA
	    ",\"use\":\"enc\",\"kid\":\"e\"}," JWK_EC256 ",\"kid\":\"e\"}]}" },
	{ "x509-svid skipped", false, HC_OK, 1, "{\"keys\":[" JWK_RSA
	    ",\"use\":\"x509-svid\"}," JWK_EC256 "}]}" },
	{ "only skipped", false, HC_KEY, 0, "{\"keys\":[" JWK_RSA
	    ",\"use\":\"enc\"},{\"kty\":\"OKP\"}]}" },
	/* Variants of known types that hopcheck does not verify with. */
	{ "ES256K skipped", false, HC_OK, 1, "{\"keys\":[{\"kty\":\"EC\","
	    "\"crv\":\"secp256k1\",\"alg\":\"ES256K\",\"x\":\"AA\",\"y\":\"AA\"},"
	    JWK_EC256 "}]}" },
	{ "unknown crv skipped", false, HC_OK, 1, "{\"keys\":[{\"kty\":\"EC\","
	    "\"crv\":\"P-192\",\"x\":\"AA\",\"y\":\"AA\"}," JWK_EC256 "}]}" },
	{ "RSA-OAEP without use skipped", false, HC_OK, 1, "{\"keys\":["
	    JWK_RSA ",\"alg\":\"RSA-OAEP\",\"kid\":\"e\"}," JWK_EC256 "}]}" },
	{ "known alg on the wrong key refused", false, HC_KEY, 0,
	    "{\"keys\":[" JWK_RSA ",\"alg\":\"ES256\"}," JWK_EC256 "}]}" },
	{ "empty", false, HC_KEY, 0, "{\"keys\":[]}" },
	/* Structure. */
	{ "no keys", false, HC_KEY, 0, "{\"kty\":\"EC\"}" },
	{ "keys object", false, HC_KEY, 0, "{\"keys\":" JWK_EC256 "}}" },
	{ "not object", false, HC_KEY, 0, "[" JWK_EC256 "}]" },
	{ "item not object", false, HC_KEY, 0, "{\"keys\":[" JWK_EC256 "},7]}" },
	{ "not JSON", false, HC_KEY, 0, "{\"keys\":[" },
	{ "trailing bytes", false, HC_KEY, 0, SET2 "x" },
	{ "duplicate member", false, HC_KEY, 0, "{\"keys\":[],\"keys\":[]}" },
	{ "duplicate member in key", false, HC_KEY, 0, "{\"keys\":["
	    "{\"kty\":\"EC\",\"kty\":\"RSA\"}]}" },
	/* A bad key spoils the set: we do not half-understand a set. */
	{ "bad key", false, HC_KEY, 0, "{\"keys\":[" JWK_EC256 "},"
	    "{\"kty\":\"RSA\",\"e\":\"AAEAAQ\",\"n\":\"" RSA_N "\"}]}" },
	/* A well-formed key we will not use is skipped, not fatal. */
	{ "RSA 1024 skipped", false, HC_OK, 1, "{\"keys\":[" JWK_EC256 "},"
	    "{\"kty\":\"RSA\",\"e\":\"AQAB\",\"n\":\"" RSA1024_N "\"}]}" },
	{ "key_ops without verify skipped", false, HC_OK, 1, "{\"keys\":["
	    JWK_EC256 "}," JWK_RSA ",\"key_ops\":[\"encrypt\"]}]}" },
	{ "key_ops not strings refused", false, HC_KEY, 0, "{\"keys\":["
	    JWK_EC256 "}," JWK_RSA ",\"key_ops\":[1]}]}" },
	{ "kty missing", false, HC_KEY, 0, "{\"keys\":[" JWK_EC256 "},"
	    "{\"n\":\"" RSA_N "\",\"e\":\"AQAB\"}]}" },
	{ "use not a string", false, HC_KEY, 0, "{\"keys\":[" JWK_EC256
	    ",\"use\":1}]}" },
	{ "private member only", false, HC_KEY, 0, "{\"keys\":[" JWK_EC521
	    ",\"d\":\"" EC521_D "\"}]}" },
	{ "private member skipped", false, HC_OK, 1, "{\"keys\":[" JWK_EC521
	    ",\"d\":\"" EC521_D "\"}," JWK_EC256 "}]}" },
	/* kid unique within the set (RFC 7517 section 4.5). */
	{ "duplicate kid", false, HC_KEY, 0, "{\"keys\":[" JWK_RSA
	    ",\"kid\":\"a\"}," JWK_EC256 ",\"kid\":\"a\"}]}" },
	{ "kids differ by case", false, HC_OK, 2, "{\"keys\":[" JWK_RSA
	    ",\"kid\":\"a\"}," JWK_EC256 ",\"kid\":\"A\"}]}" },
	/* Secrets: only with allow_secret, and never mixed with public. */
	{ "oct, public set", false, HC_KEY, 0, "{\"keys\":[" JWK_OCT "}]}" },
	{ "oct allowed", true, HC_OK, 1, "{\"keys\":[" JWK_OCT "}]}" },
	{ "oct + EC", true, HC_KEY, 0, "{\"keys\":[" JWK_OCT ",\"kid\":\"s\"},"
	    JWK_EC256 ",\"kid\":\"p\"}]}" },
	{ "EC + oct", true, HC_KEY, 0, "{\"keys\":[" JWK_EC256 ",\"kid\":\"p\"},"
	    JWK_OCT ",\"kid\":\"s\"}]}" },
};

static void
test_keyset_rules(void)
{
	for (size_t i = 0; i < sizeof(set_cases) / sizeof(set_cases[0]); i++) {
		const struct set_case *c = &set_cases[i];
		hc_keyset *ks = NULL;
		hc_detail d = { "" };
		hc_status st;

		st = set_parse(c->json, c->allow_secret, &ks, &d);
		if (st != c->want)
			fprintf(stderr, "\nkeyset case \"%s\": %s, want %s (%s)\n",
			    c->name, hc_status_name(st),
			    hc_status_name(c->want), d.text);
		HC_ASSERT_STATUS(st, c->want);
		CU_ASSERT((st == HC_OK) == (ks != NULL));
		if (ks != NULL)
			CU_ASSERT_EQUAL(ks->nkeys, c->nkeys);
		hc_keyset_unref(ks);
	}
}

/*
 * SPIFFE bundles (hc_bundle_parse): only "jwt-svid" entries are JWT-SVID
 * keys (JWT-SVID section 6), others are ignored (bundle section 4.2.2),
 * each key needs a kid, and an empty bundle is a valid, empty set.
 */
static const struct set_case bundle_cases[] = {
	{ "one key", false, HC_OK, 1, "{\"keys\":[" JWK_EC256
	    ",\"use\":\"jwt-svid\",\"kid\":\"k1\"}],\"spiffe_refresh_hint\":300,"
	    "\"spiffe_sequence\":12}" },
	{ "x509-svid and no use ignored", false, HC_OK, 1, "{\"keys\":["
	    JWK_RSA ",\"use\":\"x509-svid\",\"x5c\":[\"AAAA\"]}," JWK_RSA2
	    ",\"kid\":\"r\"}," JWK_EC256 ",\"use\":\"jwt-svid\",\"kid\":\"k1\"}]}" },
	{ "use sig ignored", false, HC_OK, 0, "{\"keys\":[" JWK_EC256
	    ",\"use\":\"sig\",\"kid\":\"k1\"}]}" },
	{ "use case", false, HC_OK, 0, "{\"keys\":[" JWK_EC256
	    ",\"use\":\"JWT-SVID\",\"kid\":\"k1\"}]}" },
	{ "unknown kty ignored", false, HC_OK, 0, "{\"keys\":[{\"kty\":\"OKP\","
	    "\"use\":\"jwt-svid\",\"kid\":\"k1\"}]}" },
	{ "empty", false, HC_OK, 0, "{\"keys\":[]}" },
	{ "no kid", false, HC_KEY, 0, "{\"keys\":[" JWK_EC256
	    ",\"use\":\"jwt-svid\"}]}" },
	{ "duplicate kid", false, HC_KEY, 0, "{\"keys\":[" JWK_EC256
	    ",\"use\":\"jwt-svid\",\"kid\":\"k1\"}," JWK_RSA
	    ",\"use\":\"jwt-svid\",\"kid\":\"k1\"}]}" },
	{ "secret", false, HC_KEY, 0, "{\"keys\":[" JWK_OCT
	    ",\"use\":\"jwt-svid\",\"kid\":\"k1\"}]}" },
	/* Skipped, not trusted as published; an empty bundle is valid. */
	{ "private member skipped", false, HC_OK, 0, "{\"keys\":[" JWK_EC521
	    ",\"use\":\"jwt-svid\",\"kid\":\"k1\",\"d\":\"" EC521_D "\"}]}" },
	{ "bad point", false, HC_KEY, 0, "{\"keys\":[{\"kty\":\"EC\","
	    "\"crv\":\"P-521\",\"x\":\"" EC521_X "\",\"y\":\"" EC521_Y_OFF
	    "\",\"use\":\"jwt-svid\",\"kid\":\"k1\"}]}" },
	{ "no keys", false, HC_KEY, 0, "{\"spiffe_sequence\":1}" },
	{ "sequence string", false, HC_KEY, 0, "{\"keys\":[],"
	    "\"spiffe_sequence\":\"1\"}" },
	{ "sequence negative", false, HC_KEY, 0, "{\"keys\":[],"
	    "\"spiffe_sequence\":-1}" },
	{ "refresh hint fraction", false, HC_KEY, 0, "{\"keys\":[],"
	    "\"spiffe_refresh_hint\":1.5}" },
	/* Found by fuzz_jwks: a value no integer type holds. */
	{ "refresh hint huge", false, HC_KEY, 0, "{\"keys\":[],"
	    "\"spiffe_refresh_hint\":3.44444e42}" },
	{ "sequence huge", false, HC_KEY, 0, "{\"keys\":[],"
	    "\"spiffe_sequence\":1e300}" },
};

static void
test_bundle_rules(void)
{
	for (size_t i = 0; i < sizeof(bundle_cases) / sizeof(bundle_cases[0]);
	    i++) {
		const struct set_case *c = &bundle_cases[i];
		hc_keyset *ks = NULL;
		hc_detail d = { "" };
		hc_status st;

		st = hc_bundle_parse(c->json, strlen(c->json), "example.org",
		    &ks, &d);
		if (st != c->want)
			fprintf(stderr, "\nbundle case \"%s\": %s, want %s (%s)\n",
			    c->name, hc_status_name(st),
			    hc_status_name(c->want), d.text);
		HC_ASSERT_STATUS(st, c->want);
		CU_ASSERT((st == HC_OK) == (ks != NULL));
		if (ks != NULL)
			CU_ASSERT_EQUAL(ks->nkeys, c->nkeys);
		hc_keyset_unref(ks);
	}
}

static void
test_bundle_keys(void)
{
	static const char b[] = "{\"keys\":[" JWK_EC256
	    ",\"use\":\"jwt-svid\",\"kid\":\"k1\"}]}";
	hc_keyset *ks = NULL;
	const hc_key *k = NULL;
	hc_detail d = { "" };

	HC_ASSERT_STATUS(hc_bundle_parse(b, strlen(b), "example.org", &ks, &d),
	    HC_OK);
	HC_ASSERT_STATUS(hc_keyset_find(ks, "k1", HC_ALG_ES256, &k, &d), HC_OK);
	CU_ASSERT_STRING_EQUAL(k->kid, "k1");
	hc_keyset_unref(ks);
	/* The same JWKS is no issuer key set: its use is not "sig". */
	HC_ASSERT_STATUS(set_parse(b, false, &ks, &d), HC_KEY);
	HC_ASSERT_STATUS(hc_bundle_parse("{\"keys\":[]}", 11, "example.org",
	    &ks, &d), HC_OK);
	HC_ASSERT_STATUS(hc_keyset_find(ks, "k1", HC_ALG_ES256, &k, &d), HC_KEY);
	hc_keyset_unref(ks);
	HC_ASSERT_STATUS(hc_bundle_parse("{\"keys\":[" JWK_EC256
	    ",\"use\":\"jwt-svid\"}]}", strlen("{\"keys\":[" JWK_EC256
	    ",\"use\":\"jwt-svid\"}]}"), "example.org", &ks, &d), HC_KEY);
	CU_ASSERT_STRING_EQUAL(d.text, "SPIFFE bundle of \"example.org\" "
	    "keys[0]: a \"jwt-svid\" key has no string kid (JWT-SVID section "
	    "6.1)");
}

/*
 * A set remembers what it skipped (kid or index, and why), and a token
 * naming a skipped key's kid is told why rather than "no such kid".
 */
static void
test_keyset_skipped(void)
{
	static const char set[] = "{\"keys\":["
	    "{\"kty\":\"RSA\",\"kid\":\"old-rsa\",\"e\":\"AQAB\",\"n\":\""
	    RSA1024_N "\"},"
	    JWK_RSA ",\"kid\":\"enc\",\"use\":\"enc\"},"
	    JWK_RSA2 ",\"kid\":\"wrap\",\"key_ops\":[\"wrapKey\"]},"
	    "{\"kty\":\"EC\",\"crv\":\"secp256k1\",\"x\":\"AA\",\"y\":\"AA\"},"
	    JWK_EC256 ",\"kid\":\"ec\"}]}";
	const hc_key *k = NULL;
	hc_keyset *ks = NULL;
	hc_detail d = { "" };
	char text[HC_DETAIL_MAX];

	HC_ASSERT_STATUS(set_parse(set, false, &ks, &d), HC_OK);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ks);
	CU_ASSERT_EQUAL(ks->nkeys, 1);
	CU_ASSERT_EQUAL_FATAL(ks->nskipped, 4);
	CU_ASSERT_STRING_EQUAL(ks->skipped[0].kid, "old-rsa");
	CU_ASSERT_EQUAL(ks->skipped[0].index, 0);
	CU_ASSERT_STRING_EQUAL(ks->skipped[0].reason,
	    "RSA key of 1024 bits, under 2048");
	CU_ASSERT_STRING_EQUAL(ks->skipped[1].reason, "use \"enc\"");
	CU_ASSERT_STRING_EQUAL(ks->skipped[2].reason,
	    "key_ops without \"verify\"");
	CU_ASSERT_PTR_NULL(ks->skipped[3].kid);
	CU_ASSERT_EQUAL(ks->skipped[3].index, 3);
	CU_ASSERT_STRING_EQUAL(ks->skipped[3].reason,
	    "unsupported crv \"secp256k1\"");

	HC_ASSERT_STATUS(hc_keyset_find(ks, "old-rsa", HC_ALG_RS256, &k, &d),
	    HC_KEY);
	CU_ASSERT_STRING_EQUAL(d.text, "kid \"old-rsa\" was skipped: RSA key "
	    "of 1024 bits, under 2048");
	HC_ASSERT_STATUS(hc_keyset_find(ks, "wrap", HC_ALG_RS256, &k, &d),
	    HC_KEY);
	CU_ASSERT_STRING_EQUAL(d.text, "kid \"wrap\" was skipped: key_ops "
	    "without \"verify\"");
	HC_ASSERT_STATUS(hc_keyset_find(ks, "ec", HC_ALG_ES256, &k, &d), HC_OK);
	CU_ASSERT_STRING_EQUAL(hc_keyset_skipped_text(ks, text, sizeof(text)),
	    "keys[0] (kid \"old-rsa\") skipped: RSA key of 1024 bits, under "
	    "2048; keys[1] (kid \"enc\") skipped: use \"enc\"; keys[2] (kid "
	    "\"wrap\") skipped: key_ops without \"verify\"; keys[3] skipped: "
	    "unsupported crv \"secp256k1\"");
	/* Cut whole, and said to be. */
	CU_ASSERT_STRING_EQUAL(hc_keyset_skipped_text(ks, text, 71),
	    "keys[0] (kid \"old-rsa\") skipped: RSA key of 1024 bits, under "
	    "2048; ...");
	/* One byte less and "; ..." and its NUL no longer fit: the notes. */
	CU_ASSERT_STRING_EQUAL(hc_keyset_skipped_text(ks, text, 70),
	    "keys[0] (kid \"old-rsa\") skipped: RSA key of 1024 bits, under "
	    "2048");
	/*
	 * Every buffer size, each in a heap block of exactly that size (so
	 * that the sanitizers see one byte too many): always a string that
	 * fits.  A size where "; ..." left no room for its NUL once wrote one
	 * byte past the end (found by fuzz_jwks).
	 */
	for (size_t n = 1; n < sizeof(text); n++) {
		char *b = malloc(n);

		CU_ASSERT_FATAL(b != NULL);
		CU_ASSERT(strlen(hc_keyset_skipped_text(ks, b, n)) < n);
		free(b);
	}
	hc_keyset_unref(ks);
}

static void
test_keyset_details(void)
{
	hc_keyset *ks = NULL;
	hc_detail d = { "" };

	HC_ASSERT_STATUS(set_parse("{\"keys\":[" JWK_EC521 ",\"kid\":\"x\",\"d\":\""
	    EC521_D "\"}]}", false, &ks, &d), HC_KEY);
	CU_ASSERT_STRING_EQUAL(d.text, "JWKS has no usable key: keys[0] (kid "
	    "\"x\") skipped: private key member \"d\" in a public key set");
	HC_ASSERT_STATUS(set_parse("{\"keys\":[" JWK_RSA ",\"use\":\"enc\"},"
	    "{\"kty\":\"OKP\"}]}", false, &ks, &d), HC_KEY);
	CU_ASSERT_STRING_EQUAL(d.text, "JWKS has no usable key: keys[0] "
	    "skipped: use \"enc\"; keys[1] skipped: unsupported crv \"(missing)\"");
	HC_ASSERT_STATUS(set_parse("{\"keys\":[" JWK_RSA ",\"kid\":\"a\"},"
	    JWK_EC256 ",\"kid\":\"a\"}]}", false, &ks, &d), HC_KEY);
	CU_ASSERT_STRING_EQUAL(d.text, "JWKS keys[1] repeats kid \"a\" of an "
	    "earlier key");
	HC_ASSERT_STATUS(set_parse("{\"keys\":[" JWK_EC256 ",\"kid\":\"p\"},"
	    JWK_OCT ",\"kid\":\"s\"}]}", true, &ks, &d), HC_KEY);
	CU_ASSERT_STRING_EQUAL(d.text, "JWKS mixes secret (oct) and public keys "
	    "(keys[1])");
	CU_ASSERT_PTR_NULL(ks);
}

static void
test_keyset_limit(void)
{
	size_t cap = 16 + (HC_MAX_KEYS_PER_SET + 1) * 8;
	char *json = malloc(cap);
	hc_keyset *ks = NULL;
	hc_detail d = { "" };

	CU_ASSERT_PTR_NOT_NULL_FATAL(json);
	strcpy(json, "{\"keys\":[");
	for (int i = 0; i <= HC_MAX_KEYS_PER_SET; i++)
		strcat(json, i > 0 ? ",{}" : "{}");
	strcat(json, "]}");
	HC_ASSERT_STATUS(set_parse(json, false, &ks, &d), HC_KEY);
	CU_ASSERT(contains(d.text, "65 keys, more than the limit of 64"));
	free(json);
}

static void
test_keyset_refcount(void)
{
	hc_keyset *ks = NULL, *one = NULL;
	hc_key *key = NULL;
	const hc_key *k = NULL;
	hc_detail d = { "" };

	HC_ASSERT_STATUS(set_parse(SET2, false, &ks, &d), HC_OK);
	hc_keyset_ref(ks);
	CU_ASSERT_EQUAL(ks->refs, 2);
	hc_keyset_unref(ks);
	CU_ASSERT_EQUAL(ks->refs, 1);
	CU_ASSERT(ks->loaded_at > 0);
	hc_keyset_unref(ks);        /* frees; ASan reports a leak otherwise */
	hc_keyset_unref(NULL);
	hc_keyset_ref(NULL);

	HC_ASSERT_STATUS(jwk_import(JWK_EC256 ",\"kid\":\"only\"}", false, &key,
	    &d), HC_OK);
	HC_ASSERT_STATUS(hc_keyset_single(key, &one), HC_OK);
	CU_ASSERT_EQUAL(one->nkeys, 1);
	CU_ASSERT_EQUAL(one->refs, 1);
	HC_ASSERT_STATUS(hc_keyset_find(one, "only", HC_ALG_ES256, &k, &d),
	    HC_OK);
	CU_ASSERT_PTR_EQUAL(k, key);
	hc_keyset_unref(one);
	HC_ASSERT_STATUS(hc_keyset_single(NULL, &one), HC_INTERNAL);
	CU_ASSERT_PTR_NULL(one);
}


/* ----------------------------------------------------------------- EdDSA */

/* An Ed448 public key (Wycheproof ed448_test.json, first group). */
#define ED448_X "QZYQpTSvEn9YOwSBjNt_D_MAsCXy4BaCvK4z_Wkc7gOVEd8M3caQ7peEJuizj" \
	"lDOWvfc-6UPcEwA"
/* RFC 8037 appendix A.2: the Ed25519 public key. */
#define ED25519_X "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
/* RFC 7748 section 6.1: Alice's X25519 public key, an ECDH key. */
#define X25519_X "hSDwCYkwp1R0i33ctD73Wg2_Og0mOBr066SpjqqbTmo"
#define JWK_ED25519 "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" ED25519_X \
	"\""
#define JWK_ED448 "{\"kty\":\"OKP\",\"crv\":\"Ed448\",\"x\":\"" ED448_X "\""
#define JWK_X25519 "{\"kty\":\"OKP\",\"crv\":\"X25519\",\"x\":\"" X25519_X \
	"\""

static void
eddsa_note(const char *what)
{
	if (!HAVE_EDDSA)
		printf("\n  note: %s: mbedTLS has no EdDSA; only its refusal is "
		    "checked (run make CRYPTO=openssl unit)\n", what);
}

/* Decodes base64url into a fresh buffer (asserted to succeed). */
static unsigned char *
b64_decode(const char *s, size_t n, size_t *len)
{
	unsigned char *buf = malloc(HC_B64URL_DECODED_MAX(n) + 1);

	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	CU_ASSERT_FATAL(hc_b64url_decode(s, n, buf, HC_B64URL_DECODED_MAX(n),
	    len) == 0);
	return buf;
}

/*
 * RFC 8037 appendix A.4: the example JWS verifies with the example key
 * (A.2), as alg EdDSA and as the fully-specified Ed25519 (RFC 9864), and
 * not as Ed448.  A flipped bit, a short signature and the same signature
 * with L added to S (RFC 8032 section 5.1.7: S must be below L) fail.
 */
static void
test_eddsa_rfc8037(void)
{
	/* L of RFC 8032 section 5.1, little-endian. */
	static const unsigned char l[32] = {
		0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c,
		0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 0, 0, 0x10
	};
	char *text = hc_test_read(RFC8037_A4, NULL), *jwktext;
	const char *jws, *dot2;
	hc_json *doc = NULL;
	hc_key *key = NULL;
	hc_detail d = { "" };
	unsigned char *sig, big[64];
	size_t siglen;
	unsigned carry = 0;

	HC_ASSERT_STATUS(hc_json_parse(text, strlen(text), &doc, NULL), HC_OK);
	jws = hc_json_string(hc_json_get(doc, "jws"));
	CU_ASSERT_PTR_NOT_NULL_FATAL(jws);
	jwktext = hc_json_print(hc_json_get(doc, "jwk"));
	CU_ASSERT_PTR_NOT_NULL_FATAL(jwktext);
	if (!HAVE_EDDSA) {
		HC_ASSERT_STATUS(jwk_import(jwktext, false, &key, &d), HC_KEY);
		CU_ASSERT_STRING_EQUAL(d.text, "JWK without kid: " NO_EDDSA);
		CU_ASSERT_PTR_NULL(key);
		eddsa_note("RFC 8037 A.4");
		goto out;
	}
	HC_ASSERT_STATUS(jwk_import(jwktext, false, &key, &d), HC_OK);
	CU_ASSERT_PTR_NOT_NULL_FATAL(key);
	CU_ASSERT_EQUAL(key->kty, HC_KTY_OKP);
	CU_ASSERT_EQUAL(key->curve_bits, HC_CURVE_ED25519);
	dot2 = strrchr(jws, '.');
	CU_ASSERT_PTR_NOT_NULL_FATAL(dot2);
	sig = b64_decode(dot2 + 1, strlen(dot2 + 1), &siglen);
	CU_ASSERT_EQUAL_FATAL(siglen, 64);
	HC_ASSERT_STATUS(hc_key_verify(key, HC_ALG_EDDSA,
	    (const unsigned char *)jws, (size_t)(dot2 - jws), sig, siglen, &d),
	    HC_OK);
	HC_ASSERT_STATUS(hc_key_verify(key, HC_ALG_ED25519,
	    (const unsigned char *)jws, (size_t)(dot2 - jws), sig, siglen, &d),
	    HC_OK);
	HC_ASSERT_STATUS(hc_key_verify(key, HC_ALG_ED448,
	    (const unsigned char *)jws, (size_t)(dot2 - jws), sig, siglen, &d),
	    HC_ALG);
	CU_ASSERT(contains(d.text, "token alg Ed448 needs curve Ed448, not "
	    "the OKP Ed25519 key"));
	HC_ASSERT_STATUS(hc_key_verify(key, HC_ALG_ES256,
	    (const unsigned char *)jws, (size_t)(dot2 - jws), sig, siglen, &d),
	    HC_ALG);
	HC_ASSERT_STATUS(hc_key_verify(key, HC_ALG_EDDSA,
	    (const unsigned char *)jws, (size_t)(dot2 - jws), sig, 63, &d),
	    HC_SIGNATURE);
	CU_ASSERT(contains(d.text, "63 bytes; 64 expected"));
	/* S + L: the same point equation, a non-canonical encoding. */
	memcpy(big, sig, 64);
	for (size_t i = 0; i < 32; i++) {
		unsigned v = big[32 + i] + l[i] + carry;

		big[32 + i] = (unsigned char)v;
		carry = v >> 8;
	}
	CU_ASSERT_EQUAL(carry, 0);
	HC_ASSERT_STATUS(hc_key_verify(key, HC_ALG_EDDSA,
	    (const unsigned char *)jws, (size_t)(dot2 - jws), big, 64, &d),
	    HC_SIGNATURE);
	sig[10] ^= 0x01;
	HC_ASSERT_STATUS(hc_key_verify(key, HC_ALG_EDDSA,
	    (const unsigned char *)jws, (size_t)(dot2 - jws), sig, siglen, &d),
	    HC_SIGNATURE);
	free(sig);
out:
	hc_key_free(key);
	free(jwktext);
	hc_json_free(doc);
	free(text);
}

/*
 * OKP import rules (RFC 8037 section 2): only Ed25519 and Ed448 sign, x is
 * exactly the key length, the JWK's alg must fit the curve (RFC 9864), and
 * no private member.  ECDH keys are refused on every backend.
 */
static const struct jwk_case okp_cases[] = {
	{ "Ed25519", false, IF_EDDSA(HC_OK, HC_KEY), JWK_ED25519 "}" },
	{ "Ed448", false, IF_EDDSA(HC_OK, HC_KEY), JWK_ED448 "}" },
	{ "Ed25519 alg EdDSA", false, IF_EDDSA(HC_OK, HC_KEY), JWK_ED25519
	    ",\"alg\":\"EdDSA\"}" },
	{ "Ed448 alg EdDSA", false, IF_EDDSA(HC_OK, HC_KEY), JWK_ED448
	    ",\"alg\":\"EdDSA\"}" },
	{ "Ed25519 alg Ed25519", false, IF_EDDSA(HC_OK, HC_KEY), JWK_ED25519
	    ",\"alg\":\"Ed25519\"}" },
	{ "Ed448 alg Ed25519", false, HC_KEY, JWK_ED448
	    ",\"alg\":\"Ed25519\"}" },
	{ "Ed25519 alg Ed448", false, HC_KEY, JWK_ED25519
	    ",\"alg\":\"Ed448\"}" },
	{ "Ed25519 alg ES256", false, HC_KEY, JWK_ED25519 ",\"alg\":\"ES256\"}" },
	{ "EC alg EdDSA", false, HC_KEY, JWK_EC256 ",\"alg\":\"EdDSA\"}" },
	{ "X25519", false, HC_KEY, JWK_X25519 "}" },
	{ "X448", false, HC_KEY, "{\"kty\":\"OKP\",\"crv\":\"X448\",\"x\":\"AA\"}" },
	{ "no crv", false, HC_KEY, "{\"kty\":\"OKP\",\"x\":\"" ED25519_X "\"}" },
	{ "crv number", false, HC_KEY, "{\"kty\":\"OKP\",\"crv\":1,\"x\":\""
	    ED25519_X "\"}" },
	{ "x 31 bytes", false, HC_KEY, "{\"kty\":\"OKP\",\"crv\":\"Ed25519\","
	    "\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHUQ\"}" },
	{ "Ed25519 x of Ed448", false, HC_KEY, "{\"kty\":\"OKP\",\"crv\":"
	    "\"Ed25519\",\"x\":\"" ED448_X "\"}" },
	{ "no x", false, HC_KEY, "{\"kty\":\"OKP\",\"crv\":\"Ed25519\"}" },
	{ "private d", false, HC_KEY, JWK_ED25519 ",\"d\":\"" ED25519_X "\"}" },
	{ "use enc", false, HC_KEY, JWK_ED25519 ",\"use\":\"enc\"}" },
};

static void
test_eddsa_import(void)
{
	for (size_t i = 0; i < sizeof(okp_cases) / sizeof(okp_cases[0]); i++) {
		const struct jwk_case *c = &okp_cases[i];
		hc_detail d = { "" };
		hc_key *key = NULL;
		hc_status st = jwk_import(c->jwk, c->allow_secret, &key, &d);

		if (st != c->want)
			fprintf(stderr, "\nOKP case \"%s\": %s, want %s (%s)\n",
			    c->name, hc_status_name(st),
			    hc_status_name(c->want), d.text);
		HC_ASSERT_STATUS(st, c->want);
		CU_ASSERT((st == HC_OK) == (key != NULL));
		hc_key_free(key);
	}
	eddsa_note("OKP import");
}

/*
 * Key/alg binding for OKP keys: EdDSA takes either curve, Ed25519 and
 * Ed448 only their own; a key's own alg binds it.
 */
static void
test_eddsa_binding(void)
{
	hc_key *k25 = NULL, *k448 = NULL, *own = NULL;
	hc_detail d = { "" };

	if (!HAVE_EDDSA) {
		CU_ASSERT_FALSE(hc_alg_supported(HC_ALG_EDDSA, NULL));
		eddsa_note("OKP key/alg binding");
		return;
	}
	HC_ASSERT_STATUS(jwk_import(JWK_ED25519 "}", false, &k25, &d), HC_OK);
	HC_ASSERT_STATUS(jwk_import(JWK_ED448 "}", false, &k448, &d), HC_OK);
	HC_ASSERT_STATUS(jwk_import(JWK_ED25519 ",\"alg\":\"EdDSA\"}", false,
	    &own, &d), HC_OK);
	CU_ASSERT_FATAL(k25 != NULL && k448 != NULL && own != NULL);
	HC_ASSERT_STATUS(hc_key_allows(k25, HC_ALG_EDDSA, &d), HC_OK);
	HC_ASSERT_STATUS(hc_key_allows(k448, HC_ALG_EDDSA, &d), HC_OK);
	HC_ASSERT_STATUS(hc_key_allows(k25, HC_ALG_ED25519, &d), HC_OK);
	HC_ASSERT_STATUS(hc_key_allows(k448, HC_ALG_ED448, &d), HC_OK);
	HC_ASSERT_STATUS(hc_key_allows(k448, HC_ALG_ED25519, &d), HC_ALG);
	CU_ASSERT_STRING_EQUAL(d.text, "token alg Ed25519 needs curve "
	    "Ed25519, not the OKP Ed448 key");
	HC_ASSERT_STATUS(hc_key_allows(k25, HC_ALG_ES256, &d), HC_ALG);
	HC_ASSERT_STATUS(hc_key_allows(k25, HC_ALG_HS256, &d), HC_ALG);
	HC_ASSERT_STATUS(hc_key_allows(own, HC_ALG_EDDSA, &d), HC_OK);
	HC_ASSERT_STATUS(hc_key_allows(own, HC_ALG_ED25519, &d), HC_ALG);
	/* Wrong lengths are signature failures, never a crash or a pass. */
	HC_ASSERT_STATUS(hc_key_verify(k448, HC_ALG_EDDSA,
	    (const unsigned char *)"m", 1, (const unsigned char *)"", 0, &d),
	    HC_SIGNATURE);
	HC_ASSERT_STATUS(hc_crypto()->verify(HC_ALG_ED448, k25->bk,
	    (const unsigned char *)"m", 1, (const unsigned char *)"", 0),
	    HC_SIGNATURE);
	hc_key_free(k25);
	hc_key_free(k448);
	hc_key_free(own);
}

/*
 * In a set: ECDH keys (X25519, X448) are skipped on every backend; Ed25519
 * and Ed448 are used where EdDSA exists and skipped, with the reason,
 * where it does not.  A SPIFFE bundle never takes an OKP key (JWT-SVID
 * section 3 has no EdDSA).
 */
static void
test_eddsa_keysets(void)
{
	hc_keyset *ks = NULL;
	hc_detail d = { "" };

	HC_ASSERT_STATUS(set_parse("{\"keys\":[" JWK_X25519 "}," JWK_EC256
	    "}]}", false, &ks, &d), HC_OK);
	CU_ASSERT_EQUAL(ks != NULL ? ks->nkeys : 0, 1);
	hc_keyset_unref(ks);
	HC_ASSERT_STATUS(set_parse("{\"keys\":[" JWK_X25519 ",\"kid\":\"x\"}]}",
	    false, &ks, &d), HC_KEY);
	CU_ASSERT_STRING_EQUAL(d.text, "JWKS has no usable key: keys[0] (kid "
	    "\"x\") skipped: crv \"X25519\" is for key agreement, not "
	    "signatures (RFC 8037 section 3.2)");
	ks = NULL;
	if (HAVE_EDDSA) {
		HC_ASSERT_STATUS(set_parse("{\"keys\":[" JWK_ED25519 "},"
		    JWK_ED448 "}]}", false, &ks, &d), HC_OK);
		CU_ASSERT_EQUAL(ks != NULL ? ks->nkeys : 0, 2);
		hc_keyset_unref(ks);
	} else {
		HC_ASSERT_STATUS(set_parse("{\"keys\":[" JWK_ED25519 "}]}",
		    false, &ks, &d), HC_KEY);
		CU_ASSERT_STRING_EQUAL(d.text, "JWKS has no usable key: keys[0] "
		    "skipped: " NO_EDDSA "; crv \"Ed25519\"");
		eddsa_note("Ed25519 keys in a set");
	}
	ks = NULL;
	HC_ASSERT_STATUS(hc_bundle_parse("{\"keys\":[" JWK_ED25519
	    ",\"use\":\"jwt-svid\",\"kid\":\"e\"}]}", strlen("{\"keys\":["
	    JWK_ED25519 ",\"use\":\"jwt-svid\",\"kid\":\"e\"}]}"), "example.org",
	    &ks, &d), HC_OK);
	CU_ASSERT_EQUAL(ks != NULL ? ks->nkeys : 1, 0);
	hc_keyset_unref(ks);
}

/*
 * A configuration that names EdDSA, Ed25519 or Ed448 is refused on a
 * backend without EdDSA, with the exact sentence of the configuration path;
 * on the OpenSSL build the same names are accepted.
 */
static void
test_eddsa_config(void)
{
	static const char *const names[] = { "EdDSA", "Ed25519", "Ed448" };
	const char *why = NULL;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char json[512], want[160];
		hc_validator *v = NULL;
		char *errors = NULL;
		hc_status st;

		(void)snprintf(json, sizeof(json), "{\"service\":{\"audiences\":"
		    "[\"https://api.example.com\"]},\"issuers\":[{\"issuer\":"
		    "\"https://issuer.example.com\",\"jwks_file\":"
		    "\"rfc8037-A4-ed25519.json\",\"algorithms\":[\"ES256\","
		    "\"%s\"]}]}", names[i]);
		(void)snprintf(want, sizeof(want),
		    "issuers[0].algorithms[1]: %s", NO_EDDSA);
		st = hc_validator_new_from_json(json, strlen(json),
		    "tests/vectors", &v, &errors);
		if (!HAVE_EDDSA) {
			HC_ASSERT_STATUS(st, HC_CONFIG);
			CU_ASSERT(errors != NULL && contains(errors, want));
		} else
			CU_ASSERT(errors == NULL ||
			    strstr(errors, NO_EDDSA) == NULL);
		hc_validator_free(v);
		hc_string_free(errors);
	}
	CU_ASSERT_EQUAL(hc_alg_supported(HC_ALG_ED448, &why), HAVE_EDDSA);
	if (!HAVE_EDDSA)
		CU_ASSERT_STRING_EQUAL(why, NO_EDDSA);
	CU_ASSERT(hc_alg_supported(HC_ALG_ES256, NULL));
	CU_ASSERT_FALSE(hc_alg_supported(HC_ALG_UNKNOWN, NULL));
	eddsa_note("EdDSA in a configuration");
}

static const hc_test seam_tests[] = {
	{ "backend table", test_seam_table },
	{ "sha256", test_seam_sha256 },
	{ "random", test_seam_random },
	{ "import bounds", test_seam_import_bounds },
	{ "verify with a key of another type", test_seam_verify_wrong_type },
	{ NULL, NULL }
};

static const hc_test alg_tests[] = {
	{ "names, types, curves, hashes", test_alg_names },
	{ NULL, NULL }
};

static const hc_test jwk_tests[] = {
	{ "RFC 7520 keys", test_jwk_cookbook },
	{ "private keys refused", test_jwk_private_refused },
	{ "import rules", test_jwk_rules },
	{ "details", test_jwk_details },
	{ "raw secrets", test_jwk_from_secret },
	{ NULL, NULL }
};

static const hc_test allows_tests[] = {
	{ "type, curve and alg binding", test_allows_binding },
	{ "HS/RS confusion", test_allows_hs_rs_confusion },
	{ NULL, NULL }
};

static const hc_test es_tests[] = {
	{ "raw R || S only", test_es_encoding },
	{ "psychic signature r = s = 0", test_es_psychic_signature },
	{ NULL, NULL }
};

static const hc_test eddsa_tests[] = {
	{ "RFC 8037 A.4 (Ed25519)", test_eddsa_rfc8037 },
	{ "OKP import", test_eddsa_import },
	{ "OKP key/alg binding", test_eddsa_binding },
	{ "OKP keys in sets", test_eddsa_keysets },
	{ "EdDSA in a configuration", test_eddsa_config },
	{ NULL, NULL }
};

static const hc_test thread_tests[] = {
	{ "keys shared between threads", test_threads_share_keys },
	{ NULL, NULL }
};

static const hc_test keyset_tests[] = {
	{ "find by kid", test_keyset_find },
	{ "find without kid", test_keyset_find_ambiguous },
	{ "parse rules", test_keyset_rules },
	{ "SPIFFE bundle rules", test_bundle_rules },
	{ "SPIFFE bundle keys", test_bundle_keys },
	{ "details", test_keyset_details },
	{ "skipped keys", test_keyset_skipped },
	{ "key count limit", test_keyset_limit },
	{ "references", test_keyset_refcount },
	{ NULL, NULL }
};

static const hc_suite suites[] = {
	{ "crypto seam", seam_tests },
	{ "algorithms", alg_tests },
	{ "jwk", jwk_tests },
	{ "key/alg binding", allows_tests },
	{ "es signatures", es_tests },
	{ "eddsa", eddsa_tests },
	{ "threads", thread_tests },
	{ "keysets", keyset_tests },
	{ NULL, NULL }
};

int
main(void)
{
	return hc_test_main(suites);
}
