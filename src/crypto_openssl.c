/* SPDX-License-Identifier: Apache-2.0 */
/*
 * crypto_openssl.c - the OpenSSL 3 (libcrypto) backend of the crypto seam.
 *
 * With x509_openssl.c, its reader of X.509 certificates, this is the only
 * file of the library that includes OpenSSL headers; both are compiled
 * only into an OpenSSL build.  It fills hc_crypto_openssl, the const table
 * of crypto.h, and owns the layout of struct hc_backend_key.  Every OpenSSL failure is translated here into
 * an hc_status and a short reason in words; OpenSSL's error queue is
 * cleared before returning and its codes never leave this file.  Only the
 * EVP, OSSL_PARAM, BIGNUM, ECDSA_SIG, X509 and PEM interfaces of OpenSSL 3
 * are used, none of the deprecated low-level key APIs.
 *
 * What a verify accepts is what crypto_mbedtls.c accepts, check for check,
 * so that the two backends refuse the same tokens (RFC 7518 section 3):
 *  - RS*: RSASSA-PKCS1-v1_5, the signature exactly as long as the modulus
 *    (OpenSSL would take a shorter one), verified by OpenSSL's RSA_verify
 *    path, which rebuilds the DigestInfo and compares it;
 *  - PS*: RSASSA-PSS with MGF1 over the same hash and a salt exactly as long
 *    as the hash (RSA_PSS_SALTLEN_DIGEST; RFC 7518 section 3.5);
 *  - ES*: the raw r || s of exactly twice the field size (RFC 7518 section
 *    3.4), each half in 1..n-1, re-encoded here as the DER OpenSSL wants;
 *    a DER signature from the token is never accepted;
 *  - HS*: HMAC with the full, untruncated tag, compared in constant time
 *    (CRYPTO_memcmp);
 *  - EdDSA, Ed25519, Ed448 (RFC 8037, RFC 9864): PureEdDSA over the signing
 *    input, the signature exactly 64 or 114 bytes, S < L checked here (RFC
 *    8032 sections 5.1.7 and 5.2.7) before OpenSSL, which checks it too.
 * Key import mirrors mbedTLS as well: RSA moduli of HC_MIN_RSA_BITS to
 * HC_MAX_RSA_BITS, odd, an odd exponent with 3 <= e < n, no ROCA
 * fingerprint; EC points on their curve (OpenSSL refuses others at import,
 * and EVP_PKEY_public_check is asked as well); OKP keys of the exact length.
 *
 * Threads: keys are immutable after import, and verify() is reentrant.
 * Import prepares, per key, what every verify would otherwise redo: the
 * EVP_PKEY, one EVP_PKEY_CTX per algorithm already initialised for verify
 * (padding, MGF1, salt length, digest), a keyed EVP_MAC_CTX per HS*, an
 * EVP_MD_CTX initialised for EdDSA.  A verify duplicates the prepared
 * context (EVP_PKEY_CTX_dup, EVP_MAC_CTX_dup, EVP_MD_CTX_copy_ex), which only
 * reads it, and works on its private copy; the shared contexts are never
 * written after import.  The digests, the HMAC implementation and the group
 * orders are fetched once per process (pthread_once) and only read after.
 * RAND_bytes is thread-safe in OpenSSL 3.
 */
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/opensslv.h>
#include <openssl/param_build.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>

#include "crypto.h"

/* ---------------------------------------------------------------- types */

enum bk_type {
	BK_RSA = 1,
	BK_EC,
	BK_OKP,
	BK_SECRET
};

/* The three SHA-2 digests of JWS, by index. */
enum md_idx {
	MD_256,
	MD_384,
	MD_512,
	MD_COUNT
};

/* Prepared RSA contexts: RS256, RS384, RS512, PS256, PS384, PS512. */
#define RSA_PREPARED 6

/* The largest field of an EC curve we verify on (P-521), in bytes. */
#define EC_MAX_FIELD 66

/*
 * The backend's key.  `pkey` is set for every public key, `secret` for an
 * HMAC key.  The prepared contexts are built at import and never modified
 * after (see the file comment); a verify duplicates the one it needs.
 */
struct hc_backend_key {
	enum bk_type type;
	EVP_PKEY *pkey;
	size_t sig_len;          /* RSA: modulus bytes; EC: 2 * field bytes;
	                            OKP: 64 or 114 */
	int curve_bits;          /* EC: 256, 384, 521; OKP: 255, 448 */
	EVP_PKEY_CTX *vctx[RSA_PREPARED]; /* RSA: per alg; EC: [0] */
	EVP_MD_CTX *edctx;       /* OKP: ready for EVP_DigestVerify */
	EVP_MAC_CTX *mac[MD_COUNT]; /* BK_SECRET: keyed HMAC per digest */
	unsigned char *secret;   /* BK_SECRET: wiped before free */
	size_t secret_len;
};

/* What the backend needs to know of an algorithm. */
struct alg_params {
	char family;             /* 'H', 'R', 'P', 'E', 'D' */
	enum md_idx md;          /* H, R, P, E */
	int curve;               /* E: curve bits; D: 0 (either) or bits */
	int prepared;            /* R, P: index into vctx */
};

/* A curve of ES*, with its order n as big-endian bytes of the field size. */
struct ec_curve {
	int bits;
	int nid;
	const char *group;       /* OSSL_PKEY_PARAM_GROUP_NAME */
	size_t flen;
	unsigned char order[EC_MAX_FIELD];
};

/* ---------------------------------------------------- process-wide state */

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static bool init_ok;
static EVP_MD *md_fetched[MD_COUNT];
static EVP_MAC *hmac_fetched;
static char version_text[48];

static struct ec_curve ec_curves[] = {
	{ 256, NID_X9_62_prime256v1, "P-256", 32, { 0 } },
	{ 384, NID_secp384r1, "P-384", 48, { 0 } },
	{ 521, NID_secp521r1, "P-521", 66, { 0 } },
};

#define EC_CURVES (sizeof(ec_curves) / sizeof(ec_curves[0]))

/*
 * L, the order of the Edwards base point, little-endian as EdDSA encodes
 * S: RFC 8032 section 5.1 (2^252 + 27742317777372353535851937790883648493)
 * and section 5.2 (2^446 - 138180668098951153520073867485154268803366924
 * 74882178609894547503885), the latter padded to the 57 bytes of S.
 */
static const unsigned char ed25519_l[32] = {
	0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2,
	0xde, 0xf9, 0xde, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10
};
static const unsigned char ed448_l[57] = {
	0xf3, 0x44, 0x58, 0xab, 0x92, 0xc2, 0x78, 0x23, 0x55, 0x8f, 0xc5, 0x8d,
	0x72, 0xc2, 0x6c, 0x21, 0x90, 0x36, 0xd6, 0xae, 0x49, 0xdb, 0x4e, 0xc4,
	0xe9, 0x23, 0xca, 0x7c, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x3f, 0x00
};

/*
 * Fetches the digests and HMAC once, and reads the order of each curve
 * into its table entry.  init_ok stays false when anything is missing:
 * every import then fails with HC_INTERNAL.
 */
static void
backend_init(void)
{
	static const char *const md_names[MD_COUNT] = {
		"SHA2-256", "SHA2-384", "SHA2-512"
	};
	bool ok = true;

	for (size_t i = 0; i < MD_COUNT; i++)
		if ((md_fetched[i] = EVP_MD_fetch(NULL, md_names[i], NULL)) ==
		    NULL)
			ok = false;
	if ((hmac_fetched = EVP_MAC_fetch(NULL, "HMAC", NULL)) == NULL)
		ok = false;
	for (size_t i = 0; i < EC_CURVES; i++) {
		EC_GROUP *g = EC_GROUP_new_by_curve_name(ec_curves[i].nid);
		const BIGNUM *n = g != NULL ? EC_GROUP_get0_order(g) : NULL;

		if (n == NULL || BN_bn2binpad(n, ec_curves[i].order,
		    (int)ec_curves[i].flen) < 0)
			ok = false;
		EC_GROUP_free(g);
	}
	(void)snprintf(version_text, sizeof(version_text), "openssl %s",
	    OpenSSL_version(OPENSSL_VERSION_STRING));
	ERR_clear_error();
	init_ok = ok;
}

static bool
backend_ready(void)
{
	return pthread_once(&init_once, backend_init) == 0 && init_ok;
}

static const struct ec_curve *
ec_curve(int bits)
{
	for (size_t i = 0; i < EC_CURVES; i++)
		if (ec_curves[i].bits == bits)
			return &ec_curves[i];
	return NULL;
}

/* --------------------------------------------------------- private */

/*
 * Looks up the family, hash and curve of `alg` into *p.  Returns 0, or -1 for
 * an algorithm this backend does not know (which its callers turn into a
 * failed verification, never a skipped one).
 */
static int
alg_params(hc_alg alg, struct alg_params *p)
{
	static const struct {
		hc_alg alg;
		struct alg_params p;
	} table[] = {
		{ HC_ALG_HS256, { 'H', MD_256, 0, 0 } },
		{ HC_ALG_HS384, { 'H', MD_384, 0, 0 } },
		{ HC_ALG_HS512, { 'H', MD_512, 0, 0 } },
		{ HC_ALG_RS256, { 'R', MD_256, 0, 0 } },
		{ HC_ALG_RS384, { 'R', MD_384, 0, 1 } },
		{ HC_ALG_RS512, { 'R', MD_512, 0, 2 } },
		{ HC_ALG_PS256, { 'P', MD_256, 0, 3 } },
		{ HC_ALG_PS384, { 'P', MD_384, 0, 4 } },
		{ HC_ALG_PS512, { 'P', MD_512, 0, 5 } },
		{ HC_ALG_ES256, { 'E', MD_256, 256, 0 } },
		{ HC_ALG_ES384, { 'E', MD_384, 384, 0 } },
		{ HC_ALG_ES512, { 'E', MD_512, 521, 0 } },
		{ HC_ALG_EDDSA, { 'D', MD_256, 0, 0 } },
		{ HC_ALG_ED25519, { 'D', MD_256, HC_CURVE_ED25519, 0 } },
		{ HC_ALG_ED448, { 'D', MD_256, HC_CURVE_ED448, 0 } },
	};

	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		if (table[i].alg == alg) {
			*p = table[i].p;
			return 0;
		}
	}
	return -1;
}

/*
 * The ROCA fingerprint (CVE-2017-15361; Nemec et al., "The Return of
 * Coppersmith's Attack", CCS 2017), the same test as crypto_mbedtls.c: N
 * mod p lies in the subgroup generated by 65537 modulo every odd prime p up
 * to 701.  For an honestly generated modulus the chance is about 2^-169.
 */
#define ROCA_MAX_PRIME 701

/* Whether an odd n >= 3 is prime, by trial division (n <= 701). */
static bool
small_prime(unsigned n)
{
	for (unsigned d = 3; d * d <= n; d += 2)
		if (n % d == 0)
			return false;
	return true;
}

/* Returns 1 when n has the fingerprint, 0 when not, -1 on an error. */
static int
rsa_has_roca_fingerprint(const BIGNUM *n)
{
	for (unsigned p = 3; p <= ROCA_MAX_PRIME; p += 2) {
		unsigned g, x = 1, r;
		BN_ULONG rem;
		int found = 0;

		if (!small_prime(p))
			continue;
		rem = BN_mod_word(n, (BN_ULONG)p);
		if (rem == (BN_ULONG)-1)
			return -1;
		r = (unsigned)rem;
		g = 65537 % p;
		/* Walk the cyclic subgroup <g> of (Z/pZ)*: under p steps. */
		do {
			if (x == r) {
				found = 1;
				break;
			}
			x = (x * g) % p;
		} while (x != 1);
		if (!found)
			return 0;
	}
	return 1;
}

/* Builds a public EVP_PKEY of `type` from params; NULL on failure. */
static EVP_PKEY *
pkey_from_params(const char *type, OSSL_PARAM *params)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
	EVP_PKEY *pkey = NULL;

	if (ctx == NULL || EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) != 1)
		pkey = NULL;
	EVP_PKEY_CTX_free(ctx);
	return pkey;
}

/*
 * A context for EVP_PKEY_verify() over a digest computed with md: for RSA
 * with PKCS#1 v1.5 padding (pss false) or PSS with MGF1 over the same
 * digest and a salt as long as the digest; for EC the plain ECDSA.
 */
static EVP_PKEY_CTX *
prepare_verify(EVP_PKEY *pkey, const EVP_MD *md, bool rsa, bool pss)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);

	if (ctx == NULL || EVP_PKEY_verify_init(ctx) != 1 ||
	    EVP_PKEY_CTX_set_signature_md(ctx, md) <= 0)
		goto fail;
	if (rsa && !pss &&
	    EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) <= 0)
		goto fail;
	if (rsa && pss &&
	    (EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PSS_PADDING) <= 0 ||
	    EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, md) <= 0 ||
	    EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, RSA_PSS_SALTLEN_DIGEST) <= 0))
		goto fail;
	return ctx;
fail:
	EVP_PKEY_CTX_free(ctx);
	return NULL;
}

/* ----------------------------------------------------------- import */

static void ossl_key_free(hc_backend_key *k);

/*
 * Imports an RSA public key from the big-endian bytes of n and e.  Refuses
 * (HC_KEY) what crypto_mbedtls.c refuses, in the same order: a modulus
 * outside HC_MIN_RSA_BITS..HC_MAX_RSA_BITS, an even exponent or one below
 * 3, a modulus with the ROCA fingerprint, then an even modulus or e >= n
 * (mbedtls_rsa_check_pubkey).  Stores the modulus size in *bits.
 */
static hc_status
ossl_import_rsa(const unsigned char *n, size_t nlen, const unsigned char *e,
    size_t elen, hc_backend_key **out, unsigned *bits, hc_detail *d)
{
	OSSL_PARAM_BLD *bld = NULL;
	OSSL_PARAM *params = NULL;
	hc_backend_key *k = NULL;
	BIGNUM *N = NULL, *E = NULL;
	hc_status st;
	int nbits, roca;

	*out = NULL;
	if (!backend_ready()) {
		st = hc_fail(d, HC_INTERNAL, "OpenSSL digests cannot be loaded");
		goto fail;
	}
	if (nlen == 0 || nlen > HC_MAX_RSA_BITS / 8 + 1 || elen == 0 ||
	    elen > nlen) {
		st = hc_fail(d, HC_KEY, "RSA modulus of %zu bytes or exponent "
		    "of %zu bytes is out of range", nlen, elen);
		goto fail;
	}
	if ((N = BN_bin2bn(n, (int)nlen, NULL)) == NULL ||
	    (E = BN_bin2bn(e, (int)elen, NULL)) == NULL) {
		st = hc_fail(d, HC_INTERNAL, "out of memory");
		goto fail;
	}
	nbits = BN_num_bits(N);
	if (nbits < HC_MIN_RSA_BITS || nbits > HC_MAX_RSA_BITS) {
		st = hc_fail(d, HC_KEY, "RSA modulus is %d bits; %d to %d "
		    "are accepted", nbits, HC_MIN_RSA_BITS, HC_MAX_RSA_BITS);
		goto fail;
	}
	/* Odd and not 1: odd and at least 3. */
	if (!BN_is_odd(E) || BN_is_one(E)) {
		st = hc_fail(d, HC_KEY,
		    "RSA public exponent must be odd and at least 3");
		goto fail;
	}
	if ((roca = rsa_has_roca_fingerprint(N)) != 0) {
		st = hc_fail(d, roca < 0 ? HC_INTERNAL : HC_KEY, "RSA modulus "
		    "has the ROCA fingerprint (CVE-2017-15361): its factors "
		    "are weak");
		goto fail;
	}
	if (!BN_is_odd(N) || BN_cmp(E, N) >= 0) {
		st = hc_fail(d, HC_KEY,
		    "RSA public key is not consistent (modulus and exponent)");
		goto fail;
	}

	if ((k = calloc(1, sizeof(*k))) == NULL ||
	    (bld = OSSL_PARAM_BLD_new()) == NULL ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, N) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, E) ||
	    (params = OSSL_PARAM_BLD_to_param(bld)) == NULL) {
		st = hc_fail(d, HC_INTERNAL, "out of memory");
		goto fail;
	}
	k->type = BK_RSA;
	if ((k->pkey = pkey_from_params("RSA", params)) == NULL) {
		st = hc_fail(d, HC_KEY,
		    "RSA public key is not consistent (modulus and exponent)");
		goto fail;
	}
	for (int i = 0; i < RSA_PREPARED; i++) {
		k->vctx[i] = prepare_verify(k->pkey, md_fetched[i % MD_COUNT],
		    true, i >= MD_COUNT);
		if (k->vctx[i] == NULL) {
			st = hc_fail(d, HC_INTERNAL, "RSA verification "
			    "cannot be prepared");
			goto fail;
		}
	}
	k->sig_len = ((size_t)nbits + 7) / 8;
	*bits = (unsigned)nbits;
	*out = k;
	k = NULL;
	st = HC_OK;
fail:
	ossl_key_free(k);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_free(N);
	BN_free(E);
	ERR_clear_error();
	return st;
}

/*
 * Imports an EC public key on P-256, P-384 or P-521 from its affine
 * coordinates, each exactly the field length.  Refuses (HC_KEY) other
 * curves and lengths and any point that is not on the curve (OpenSSL's
 * import checks that, and that coordinates are below p;
 * EVP_PKEY_public_check also excludes the point at infinity).
 */
static hc_status
ossl_import_ec(int curve_bits, const unsigned char *x, size_t xlen,
    const unsigned char *y, size_t ylen, hc_backend_key **out, hc_detail *d)
{
	unsigned char pub[1 + 2 * EC_MAX_FIELD];
	const struct ec_curve *c = ec_curve(curve_bits);
	OSSL_PARAM params[3];
	EVP_PKEY_CTX *check = NULL;
	hc_backend_key *k = NULL;
	hc_status st;

	*out = NULL;
	if (!backend_ready())
		return hc_fail(d, HC_INTERNAL, "OpenSSL digests cannot be "
		    "loaded");
	if (c == NULL)
		return hc_fail(d, HC_KEY, "EC curve of %d bits is not "
		    "supported", curve_bits);
	if (xlen != c->flen || ylen != c->flen)
		return hc_fail(d, HC_KEY, "EC coordinates are %zu and %zu "
		    "bytes; P-%d needs exactly %zu", xlen, ylen, curve_bits,
		    c->flen);
	/* SEC 1 section 2.3.3: the uncompressed point 04 || X || Y. */
	pub[0] = 0x04;
	memcpy(pub + 1, x, xlen);
	memcpy(pub + 1 + xlen, y, ylen);
	params[0] = OSSL_PARAM_construct_utf8_string(
	    OSSL_PKEY_PARAM_GROUP_NAME, (char *)(uintptr_t)c->group, 0);
	params[1] = OSSL_PARAM_construct_octet_string(
	    OSSL_PKEY_PARAM_PUB_KEY, pub, 1 + 2 * c->flen);
	params[2] = OSSL_PARAM_construct_end();

	if ((k = calloc(1, sizeof(*k))) == NULL) {
		st = hc_fail(d, HC_INTERNAL, "out of memory");
		goto fail;
	}
	k->type = BK_EC;
	k->curve_bits = curve_bits;
	k->sig_len = 2 * c->flen;
	if ((k->pkey = pkey_from_params("EC", params)) == NULL ||
	    (check = EVP_PKEY_CTX_new_from_pkey(NULL, k->pkey, NULL)) == NULL ||
	    EVP_PKEY_public_check(check) != 1) {
		st = hc_fail(d, HC_KEY, "EC point is not on curve P-%d",
		    curve_bits);
		goto fail;
	}
	if ((k->vctx[0] = prepare_verify(k->pkey, md_fetched[curve_bits ==
	    256 ? MD_256 : curve_bits == 384 ? MD_384 : MD_512], false,
	    false)) == NULL) {
		st = hc_fail(d, HC_INTERNAL, "EC verification cannot be "
		    "prepared");
		goto fail;
	}
	*out = k;
	k = NULL;
	st = HC_OK;
fail:
	ossl_key_free(k);
	EVP_PKEY_CTX_free(check);
	ERR_clear_error();
	return st;
}

/*
 * Imports an Ed25519 (32 bytes) or Ed448 (57 bytes) public key (RFC 8037
 * section 2).  A point that does not decode makes every verify fail.
 */
static hc_status
ossl_import_okp(int curve_bits, const unsigned char *x, size_t xlen,
    hc_backend_key **out, hc_detail *d)
{
	const char *type;
	hc_backend_key *k = NULL;
	size_t want;
	hc_status st;

	*out = NULL;
	if (curve_bits == HC_CURVE_ED25519) {
		type = "ED25519";
		want = 32;
	} else if (curve_bits == HC_CURVE_ED448) {
		type = "ED448";
		want = 57;
	} else
		return hc_fail(d, HC_KEY, "OKP curve of %d bits is not "
		    "supported", curve_bits);
	if (xlen != want)
		return hc_fail(d, HC_KEY, "%s public key is %zu bytes; %zu "
		    "expected", type, xlen, want);
	if ((k = calloc(1, sizeof(*k))) == NULL) {
		st = hc_fail(d, HC_INTERNAL, "out of memory");
		goto fail;
	}
	k->type = BK_OKP;
	k->curve_bits = curve_bits;
	k->sig_len = 2 * want;
	if ((k->pkey = EVP_PKEY_new_raw_public_key_ex(NULL, type, NULL, x,
	    xlen)) == NULL) {
		st = hc_fail(d, HC_KEY, "%s public key cannot be imported",
		    type);
		goto fail;
	}
	/* PureEdDSA: no digest (RFC 8032 section 5.1.7). */
	if ((k->edctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestVerifyInit_ex(k->edctx, NULL, NULL, NULL, NULL, k->pkey,
	    NULL) != 1) {
		st = hc_fail(d, HC_INTERNAL, "%s verification cannot be "
		    "prepared", type);
		goto fail;
	}
	*out = k;
	k = NULL;
	st = HC_OK;
fail:
	ossl_key_free(k);
	ERR_clear_error();
	return st;
}

/*
 * Imports an HMAC secret of HC_MIN_HMAC_BYTES..HC_MAX_HMAC_BYTES bytes and
 * keys one HMAC context per SHA-2 digest with it.  The copy is wiped when
 * the key is freed.
 */
static hc_status
ossl_import_secret(const unsigned char *s, size_t slen, hc_backend_key **out,
    hc_detail *d)
{
	static const char *const md_names[MD_COUNT] = {
		"SHA2-256", "SHA2-384", "SHA2-512"
	};
	hc_backend_key *k;

	*out = NULL;
	if (slen < HC_MIN_HMAC_BYTES || slen > HC_MAX_HMAC_BYTES)
		return hc_fail(d, HC_KEY, "HMAC secret is %zu bytes; %d to %d "
		    "are accepted", slen, HC_MIN_HMAC_BYTES, HC_MAX_HMAC_BYTES);
	if (!backend_ready())
		return hc_fail(d, HC_INTERNAL, "OpenSSL HMAC cannot be loaded");
	if ((k = calloc(1, sizeof(*k))) == NULL ||
	    (k->secret = malloc(slen)) == NULL) {
		free(k);
		return hc_fail(d, HC_INTERNAL, "out of memory");
	}
	k->type = BK_SECRET;
	memcpy(k->secret, s, slen);
	k->secret_len = slen;
	for (size_t i = 0; i < MD_COUNT; i++) {
		OSSL_PARAM params[2];

		params[0] = OSSL_PARAM_construct_utf8_string(
		    OSSL_MAC_PARAM_DIGEST, (char *)(uintptr_t)md_names[i], 0);
		params[1] = OSSL_PARAM_construct_end();
		if ((k->mac[i] = EVP_MAC_CTX_new(hmac_fetched)) == NULL ||
		    EVP_MAC_init(k->mac[i], k->secret, k->secret_len,
		    params) != 1) {
			ossl_key_free(k);
			ERR_clear_error();
			return hc_fail(d, HC_INTERNAL, "HMAC cannot be "
			    "prepared");
		}
	}
	*out = k;
	return HC_OK;
}

/*
 * Frees a backend key of any type, wiping an HMAC secret first.  NULL is a
 * no-op.
 */
static void
ossl_key_free(hc_backend_key *k)
{
	if (k == NULL)
		return;
	for (size_t i = 0; i < RSA_PREPARED; i++)
		EVP_PKEY_CTX_free(k->vctx[i]);
	for (size_t i = 0; i < MD_COUNT; i++)
		EVP_MAC_CTX_free(k->mac[i]);
	EVP_MD_CTX_free(k->edctx);
	EVP_PKEY_free(k->pkey);
	if (k->secret != NULL) {
		hc_wipe(k->secret, k->secret_len);
		free(k->secret);
	}
	free(k);
}

/* ----------------------------------------------------------- verify */

/*
 * Verifies a signature over an already computed hash with a duplicate of
 * the prepared context.  Returns HC_OK, HC_SIGNATURE, or HC_INTERNAL when
 * the duplicate cannot be made.
 */
static hc_status
verify_prepared(const EVP_PKEY_CTX *prepared, const unsigned char *sig,
    size_t siglen, const unsigned char *hash, size_t hlen)
{
	EVP_PKEY_CTX *ctx;
	int ret;

	/* EVP_PKEY_CTX_dup only reads its argument (see the file comment). */
	if ((ctx = EVP_PKEY_CTX_dup((EVP_PKEY_CTX *)(uintptr_t)prepared)) ==
	    NULL)
		return HC_INTERNAL;
	ret = EVP_PKEY_verify(ctx, sig, siglen, hash, hlen);
	EVP_PKEY_CTX_free(ctx);
	return ret == 1 ? HC_OK : HC_SIGNATURE;
}

/*
 * Verifies an ES* signature over an already computed hash.  The key must be
 * on the curve the algorithm names (RFC 7518 section 3.4), and the signature
 * must be the fixed-width R || S of JWS: each half in 1..n-1 (SEC 1 section
 * 4.1.4 step 1), checked on the bytes, then re-encoded as DER for OpenSSL.
 */
static hc_status
verify_ec(const struct alg_params *p, const hc_backend_key *k,
    const unsigned char *hash, size_t hlen, const unsigned char *sig,
    size_t siglen)
{
	static const unsigned char zero[EC_MAX_FIELD];
	const struct ec_curve *c = ec_curve(k->curve_bits);
	unsigned char *der = NULL;
	ECDSA_SIG *es = NULL;
	BIGNUM *r = NULL, *s = NULL;
	hc_status st = HC_SIGNATURE;
	int derlen;

	if (c == NULL || k->curve_bits != p->curve || siglen != 2 * c->flen)
		return HC_SIGNATURE;
	/* Big-endian, equal lengths: memcmp orders them as numbers. */
	if (memcmp(sig, zero, c->flen) == 0 ||
	    memcmp(sig, c->order, c->flen) >= 0 ||
	    memcmp(sig + c->flen, zero, c->flen) == 0 ||
	    memcmp(sig + c->flen, c->order, c->flen) >= 0)
		return HC_SIGNATURE;
	if ((es = ECDSA_SIG_new()) == NULL ||
	    (r = BN_bin2bn(sig, (int)c->flen, NULL)) == NULL ||
	    (s = BN_bin2bn(sig + c->flen, (int)c->flen, NULL)) == NULL) {
		st = HC_INTERNAL;
		goto out;
	}
	if (ECDSA_SIG_set0(es, r, s) != 1) {
		st = HC_INTERNAL;
		goto out;
	}
	r = s = NULL;            /* owned by es now */
	if ((derlen = i2d_ECDSA_SIG(es, &der)) <= 0) {
		st = HC_INTERNAL;
		goto out;
	}
	st = verify_prepared(k->vctx[0], der, (size_t)derlen, hash, hlen);
out:
	OPENSSL_free(der);
	ECDSA_SIG_free(es);
	BN_free(r);
	BN_free(s);
	return st;
}

/*
 * Verifies an HS* tag over the signing input itself: recomputes the HMAC
 * with a copy of the key's prepared context and compares it in constant
 * time; the computed tag is wiped either way.
 */
static hc_status
verify_hmac(const struct alg_params *p, const hc_backend_key *k,
    const unsigned char *msg, size_t msglen, const unsigned char *sig,
    size_t siglen)
{
	unsigned char mac[EVP_MAX_MD_SIZE];
	size_t maclen = (size_t)EVP_MD_get_size(md_fetched[p->md]), outl = 0;
	EVP_MAC_CTX *ctx;
	hc_status st;

	/* JWS never truncates the tag (RFC 7518 section 3.2). */
	if (siglen != maclen)
		return HC_SIGNATURE;
	if ((ctx = EVP_MAC_CTX_dup(k->mac[p->md])) == NULL)
		return HC_INTERNAL;
	if (EVP_MAC_update(ctx, msg, msglen) != 1 ||
	    EVP_MAC_final(ctx, mac, &outl, sizeof(mac)) != 1 || outl != maclen)
		st = HC_SIGNATURE;
	else
		st = CRYPTO_memcmp(mac, sig, maclen) == 0 ? HC_OK :
		    HC_SIGNATURE;
	EVP_MAC_CTX_free(ctx);
	hc_wipe(mac, sizeof(mac));
	return st;
}

/*
 * Whether the little-endian S of an EdDSA signature is below L (RFC 8032
 * sections 5.1.7 and 5.2.7: a decoder must refuse S >= L, else a signature
 * is malleable).  Compared from the most significant byte down.
 */
static bool
ed_s_canonical(const unsigned char *s, const unsigned char *l, size_t len)
{
	for (size_t i = len; i-- > 0;) {
		if (s[i] < l[i])
			return true;
		if (s[i] > l[i])
			return false;
	}
	return false;            /* S == L */
}

/*
 * Verifies a PureEdDSA signature over the signing input (RFC 8037 section
 * 3.1): the key's curve must be the algorithm's when it names one (RFC
 * 9864), the signature exactly twice the key length, S canonical.
 */
static hc_status
verify_eddsa(const struct alg_params *p, const hc_backend_key *k,
    const unsigned char *msg, size_t msglen, const unsigned char *sig,
    size_t siglen)
{
	EVP_MD_CTX *ctx;
	size_t half = k->sig_len / 2;
	int ret;

	if (p->curve != 0 && p->curve != k->curve_bits)
		return HC_SIGNATURE;
	if (siglen != k->sig_len)
		return HC_SIGNATURE;
	if (!ed_s_canonical(sig + half, k->curve_bits == HC_CURVE_ED25519 ?
	    ed25519_l : ed448_l, half))
		return HC_SIGNATURE;
	if ((ctx = EVP_MD_CTX_new()) == NULL)
		return HC_INTERNAL;
	/* A copy of the prepared context; a fresh one if copying fails. */
	if (EVP_MD_CTX_copy_ex(ctx, k->edctx) != 1 &&
	    (EVP_MD_CTX_reset(ctx) != 1 ||
	    EVP_DigestVerifyInit_ex(ctx, NULL, NULL, NULL, NULL, k->pkey,
	    NULL) != 1)) {
		EVP_MD_CTX_free(ctx);
		return HC_INTERNAL;
	}
	ret = EVP_DigestVerify(ctx, sig, siglen, msg, msglen);
	EVP_MD_CTX_free(ctx);
	return ret == 1 ? HC_OK : HC_SIGNATURE;
}

/*
 * Verifies `sig` over `msg` for `alg` with key `k`.  A key of the wrong
 * type or curve for alg gives HC_SIGNATURE (callers check hc_key_allows()
 * first; this is the backstop).
 */
static hc_status
ossl_verify(hc_alg alg, const hc_backend_key *k, const unsigned char *msg,
    size_t msglen, const unsigned char *sig, size_t siglen)
{
	unsigned char hash[EVP_MAX_MD_SIZE];
	unsigned int hlen = 0;
	struct alg_params p;
	hc_status st;

	if (k == NULL || alg_params(alg, &p) != 0 || !backend_ready())
		return HC_SIGNATURE;
	if (msg == NULL)
		msg = (const unsigned char *)"";
	if (sig == NULL)
		sig = (const unsigned char *)"";
	switch (p.family) {
	case 'H':
		if (k->type != BK_SECRET)
			return HC_SIGNATURE;
		st = verify_hmac(&p, k, msg, msglen, sig, siglen);
		ERR_clear_error();
		return st;
	case 'D':
		if (k->type != BK_OKP)
			return HC_SIGNATURE;
		st = verify_eddsa(&p, k, msg, msglen, sig, siglen);
		ERR_clear_error();
		return st;
	case 'R':
	case 'P':
		if (k->type != BK_RSA)
			return HC_SIGNATURE;
		/* RFC 8017 section 8.2.2 step 1: exactly k bytes. */
		if (siglen != k->sig_len)
			return HC_SIGNATURE;
		break;
	case 'E':
		if (k->type != BK_EC)
			return HC_SIGNATURE;
		break;
	default:
		return HC_SIGNATURE;
	}
	if (EVP_Digest(msg, msglen, hash, &hlen, md_fetched[p.md], NULL) != 1) {
		ERR_clear_error();
		return HC_SIGNATURE;
	}
	if (p.family == 'E')
		st = verify_ec(&p, k, hash, hlen, sig, siglen);
	else
		st = verify_prepared(k->vctx[p.prepared], sig, siglen, hash,
		    hlen);
	ERR_clear_error();
	return st;
}

/* ------------------------------------------------------ hash, random */

/*
 * SHA-256 of msg into out (certificate thumbprints, replay keys).  On an
 * (unexpected) failure out is zeroed rather than left undefined.
 */
static void
ossl_sha256(const unsigned char *msg, size_t len, unsigned char out[32])
{
	unsigned int n = 0;

	if (!backend_ready() || EVP_Digest(msg, len, out, &n,
	    md_fetched[MD_256], NULL) != 1 || n != 32) {
		memset(out, 0, 32);
		ERR_clear_error();
	}
}

/*
 * Fills buf with n bytes from OpenSSL's DRBG.  Returns 0, or -1 (then buf
 * is zeroed: callers must fail closed).
 */
static int
ossl_random(unsigned char *buf, size_t n)
{
	size_t done = 0;

	while (done < n) {
		size_t chunk = n - done < (size_t)INT_MAX ? n - done :
		    (size_t)INT_MAX;

		if (RAND_bytes(buf + done, (int)chunk) != 1) {
			memset(buf, 0, n);
			ERR_clear_error();
			return -1;
		}
		done += chunk;
	}
	return 0;
}

/* ------------------------------------------------------------- API */

/* "openssl 3.0.13": the library's version as it runs, not as compiled. */
static const char *
ossl_version(void)
{
	(void)backend_ready();
	return version_text[0] != '\0' ? version_text : "openssl";
}

const hc_crypto_backend hc_crypto_openssl = {
	.name = "openssl",
	.caps = HC_CRYPTO_EDDSA,
	.version = ossl_version,
	.import_rsa = ossl_import_rsa,
	.import_ec = ossl_import_ec,
	.import_okp = ossl_import_okp,
	.import_secret = ossl_import_secret,
	.key_free = ossl_key_free,
	.verify = ossl_verify,
	.sha256 = ossl_sha256,
	.random = ossl_random,
	.x509_leaf = hc_ossl_x509_leaf,
	.x509_pem_first = hc_ossl_x509_pem_first,
};
