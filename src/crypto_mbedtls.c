/* SPDX-License-Identifier: Apache-2.0 */
/*
 * crypto_mbedtls.c - the mbedTLS 2.28 backend of the crypto seam.
 *
 * This is the only file of the library that includes mbedTLS headers.  It
 * fills hc_crypto_mbedtls, the const table of crypto.h, and owns the layout
 * of struct hc_backend_key.  It has no EdDSA (mbedTLS 2.28 has none): its
 * table leaves import_okp NULL and does not set HC_CRYPTO_EDDSA, so OKP keys
 * are skipped and a configuration naming EdDSA is refused before any key
 * reaches this file.  Every mbedTLS error is translated here
 * into an hc_status and a short reason in words; mbedTLS error numbers never
 * leave this file.
 *
 * What a verify accepts is deliberately narrow (RFC 7518 section 3):
 *  - RS*: RSASSA-PKCS1-v1_5, the signature exactly as long as the modulus,
 *    checked by rebuilding the whole expected encoding (DigestInfo with its
 *    NULL parameter) and comparing, never by parsing the ASN.1 we were sent;
 *  - PS*: RSASSA-PSS with MGF1 over the same hash and a salt exactly as long
 *    as the hash (RFC 7518 section 3.5);
 *  - ES*: the raw r || s of exactly twice the field size (RFC 7518 section
 *    3.4), each half in 1..n-1, never DER;
 *  - HS*: HMAC with the full, untruncated tag, compared in constant time.
 *
 * Threads: a key is shared by every validation that uses it.  RSA contexts
 * guard their cached Montgomery value with their own mutex (mbedTLS is built
 * with MBEDTLS_THREADING_PTHREAD).  An EC group caches the comb table of its
 * base point the first time it multiplies it; import_ec() forces that first
 * multiplication so that, afterwards, verification only reads the group.
 * The random generator is seeded once (pthread_once) and used under a mutex.
 *
 * X.509 (x509_leaf, x509_pem_first): mbedTLS 2.28 keeps only DNS and
 * otherName entries in crt->subject_alt_names, so the subjectAltName
 * extension (RFC 5280 section 4.2.1.6) is walked here from crt->v3_ext with
 * the mbedtls_asn1 readers.  Every length read from the certificate is
 * checked against the end of its enclosing element before use, the walk is
 * iterative, and the number of GeneralName entries it will visit is capped
 * (HC_MAX_CERT_SANS).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/asn1.h>
#include <mbedtls/bignum.h>
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/ecdsa.h>
#include <mbedtls/ecp.h>
#include <mbedtls/entropy.h>
#include <mbedtls/md.h>
#include <mbedtls/oid.h>
#include <mbedtls/pem.h>
#include <mbedtls/rsa.h>
#include <mbedtls/sha256.h>
#include <mbedtls/version.h>
#include <mbedtls/x509.h>
#include <mbedtls/x509_crt.h>

#include "crypto.h"

/* ---------------------------------------------------------------- types */

enum bk_type {
	BK_RSA = 1,
	BK_EC,
	BK_SECRET
};

/*
 * The backend's key.  Exactly one of the pointers is set, per `type`.  The
 * contexts are separate allocations so that a const key still gives mbedTLS
 * the non-const context its API asks for; they are never modified after
 * import except by mbedTLS's own locked caches (see the file comment).
 */
struct hc_backend_key {
	enum bk_type type;
	mbedtls_rsa_context *rsa;   /* BK_RSA */
	mbedtls_ecp_keypair *ec;    /* BK_EC: the group and the point Q */
	unsigned char *secret;      /* BK_SECRET: wiped before free */
	size_t secret_len;
};

/* What the backend needs to know of an algorithm. */
struct alg_params {
	char family;                /* 'H', 'R', 'P', 'E' */
	mbedtls_md_type_t md;
	mbedtls_ecp_group_id curve; /* ES* only */
};

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
#define NO_CURVE MBEDTLS_ECP_DP_NONE
		{ HC_ALG_HS256, { 'H', MBEDTLS_MD_SHA256, NO_CURVE } },
		{ HC_ALG_HS384, { 'H', MBEDTLS_MD_SHA384, NO_CURVE } },
		{ HC_ALG_HS512, { 'H', MBEDTLS_MD_SHA512, NO_CURVE } },
		{ HC_ALG_RS256, { 'R', MBEDTLS_MD_SHA256, NO_CURVE } },
		{ HC_ALG_RS384, { 'R', MBEDTLS_MD_SHA384, NO_CURVE } },
		{ HC_ALG_RS512, { 'R', MBEDTLS_MD_SHA512, NO_CURVE } },
		{ HC_ALG_PS256, { 'P', MBEDTLS_MD_SHA256, NO_CURVE } },
		{ HC_ALG_PS384, { 'P', MBEDTLS_MD_SHA384, NO_CURVE } },
		{ HC_ALG_PS512, { 'P', MBEDTLS_MD_SHA512, NO_CURVE } },
		{ HC_ALG_ES256,
		    { 'E', MBEDTLS_MD_SHA256, MBEDTLS_ECP_DP_SECP256R1 } },
		{ HC_ALG_ES384,
		    { 'E', MBEDTLS_MD_SHA384, MBEDTLS_ECP_DP_SECP384R1 } },
		{ HC_ALG_ES512,
		    { 'E', MBEDTLS_MD_SHA512, MBEDTLS_ECP_DP_SECP521R1 } },
#undef NO_CURVE
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
 * Whether an mbedTLS error code means "out of memory".  Codes of 2.x are
 * the sum of a high-level part (bits 7..14) and a low-level part (bits
 * 0..6), so both halves are looked at.
 */
static int
mbed_oom(int err)
{
	int e = err < 0 ? -err : err;

	return (e & 0x007F) == -MBEDTLS_ERR_MPI_ALLOC_FAILED ||
	    (e & 0xFF80) == -MBEDTLS_ERR_ECP_ALLOC_FAILED ||
	    (e & 0xFF80) == -MBEDTLS_ERR_MD_ALLOC_FAILED;
}

/* HC_INTERNAL for an allocation failure, else `status`. */
static hc_status
mbed_status(int err, hc_status status)
{
	return mbed_oom(err) ? HC_INTERNAL : status;
}

/*
 * The ROCA fingerprint (CVE-2017-15361; Nemec et al., "The Return of
 * Coppersmith's Attack", CCS 2017).  The vulnerable Infineon library made
 * primes of the form k * M + (65537^a mod M), M the product of the first
 * 126 primes (2 to 701) for moduli of 1984 to 3936 bits and of more primes
 * above, so N mod p lies in the subgroup generated by 65537 modulo every
 * odd prime p up to 701.  We refuse a modulus for which that holds.  For
 * an honestly generated modulus the chance that it does is about 2^-169.
 */
#define ROCA_MAX_PRIME 701

/*
 * Whether an odd n >= 3 is prime, by trial division; only ever asked about
 * numbers up to ROCA_MAX_PRIME.
 */
static bool
small_prime(unsigned n)
{
	for (unsigned d = 3; d * d <= n; d += 2)
		if (n % d == 0)
			return false;
	return true;
}

/* Returns 1 when n has the fingerprint, 0 when not, else an mbedTLS error. */
static int
rsa_has_roca_fingerprint(const mbedtls_mpi *n)
{
	for (unsigned p = 3; p <= ROCA_MAX_PRIME; p += 2) {
		unsigned g, x = 1, r;
		mbedtls_mpi_uint rem;
		int ret, found = 0;

		if (!small_prime(p))
			continue;
		ret = mbedtls_mpi_mod_int(&rem, n, (mbedtls_mpi_sint)p);
		if (ret != 0)
			return ret;
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

/* ----------------------------------------------------------- import */

/*
 * Imports an RSA public key from the big-endian bytes of n and e.  Refuses
 * (HC_KEY) a modulus outside HC_MIN_RSA_BITS..HC_MAX_RSA_BITS, an even
 * exponent or one below 3, a pair mbedTLS finds inconsistent, and a modulus
 * with the ROCA fingerprint.  Stores the modulus size in *bits.
 */
static hc_status
mbed_import_rsa(const unsigned char *n, size_t nlen, const unsigned char *e,
    size_t elen, hc_backend_key **out, unsigned *bits, hc_detail *d)
{
	hc_backend_key *k = NULL;
	mbedtls_mpi N, E;
	hc_status st;
	size_t nbits;
	int ret;

	*out = NULL;
	mbedtls_mpi_init(&N);
	mbedtls_mpi_init(&E);
	if (nlen == 0 || nlen > HC_MAX_RSA_BITS / 8 + 1 || elen == 0 ||
	    elen > nlen) {
		st = hc_fail(d, HC_KEY, "RSA modulus of %zu bytes or exponent "
		    "of %zu bytes is out of range", nlen, elen);
		goto fail;
	}
	if ((ret = mbedtls_mpi_read_binary(&N, n, nlen)) != 0 ||
	    (ret = mbedtls_mpi_read_binary(&E, e, elen)) != 0) {
		st = hc_fail(d, mbed_status(ret, HC_KEY),
		    "RSA key numbers cannot be read");
		goto fail;
	}
	nbits = mbedtls_mpi_bitlen(&N);
	if (nbits < HC_MIN_RSA_BITS || nbits > HC_MAX_RSA_BITS) {
		st = hc_fail(d, HC_KEY, "RSA modulus is %zu bits; %d to %d "
		    "are accepted", nbits, HC_MIN_RSA_BITS, HC_MAX_RSA_BITS);
		goto fail;
	}
	if (mbedtls_mpi_get_bit(&E, 0) == 0 || mbedtls_mpi_cmp_int(&E, 3) < 0) {
		st = hc_fail(d, HC_KEY,
		    "RSA public exponent must be odd and at least 3");
		goto fail;
	}
	ret = rsa_has_roca_fingerprint(&N);
	if (ret != 0) {
		st = hc_fail(d, mbed_status(ret, HC_KEY), "RSA modulus has the "
		    "ROCA fingerprint (CVE-2017-15361): its factors are weak");
		goto fail;
	}

	if ((k = calloc(1, sizeof(*k))) == NULL ||
	    (k->rsa = calloc(1, sizeof(*k->rsa))) == NULL) {
		st = hc_fail(d, HC_INTERNAL, "out of memory");
		goto fail;
	}
	k->type = BK_RSA;
	mbedtls_rsa_init(k->rsa, MBEDTLS_RSA_PKCS_V15, 0);
	if ((ret = mbedtls_rsa_import(k->rsa, &N, NULL, NULL, NULL, &E)) != 0 ||
	    (ret = mbedtls_rsa_complete(k->rsa)) != 0 ||
	    (ret = mbedtls_rsa_check_pubkey(k->rsa)) != 0) {
		st = hc_fail(d, mbed_status(ret, HC_KEY),
		    "RSA public key is not consistent (modulus and exponent)");
		goto fail;
	}
	*bits = (unsigned)nbits;
	*out = k;
	mbedtls_mpi_free(&N);
	mbedtls_mpi_free(&E);
	return HC_OK;

fail:
	hc_crypto_mbedtls.key_free(k);
	mbedtls_mpi_free(&N);
	mbedtls_mpi_free(&E);
	return st;
}

/*
 * Imports an EC public key on P-256, P-384 or P-521 from its affine
 * coordinates, each exactly the field length.  Refuses (HC_KEY) other
 * curves and lengths and any point that is not on the curve (which also
 * excludes the point at infinity and coordinates >= p).
 */
static hc_status
mbed_import_ec(int curve_bits, const unsigned char *x, size_t xlen,
    const unsigned char *y, size_t ylen, hc_backend_key **out, hc_detail *d)
{
	hc_backend_key *k = NULL;
	mbedtls_ecp_group_id gid;
	mbedtls_ecp_point R;
	mbedtls_mpi two;
	size_t flen;
	hc_status st;
	int ret;

	*out = NULL;
	mbedtls_ecp_point_init(&R);
	mbedtls_mpi_init(&two);
	switch (curve_bits) {
	case 256:
		gid = MBEDTLS_ECP_DP_SECP256R1;
		break;
	case 384:
		gid = MBEDTLS_ECP_DP_SECP384R1;
		break;
	case 521:
		gid = MBEDTLS_ECP_DP_SECP521R1;
		break;
	default:
		st = hc_fail(d, HC_KEY, "EC curve of %d bits is not supported",
		    curve_bits);
		goto fail;
	}
	flen = ((size_t)curve_bits + 7) / 8;
	if (xlen != flen || ylen != flen) {
		st = hc_fail(d, HC_KEY, "EC coordinates are %zu and %zu bytes; "
		    "P-%d needs exactly %zu", xlen, ylen, curve_bits, flen);
		goto fail;
	}

	if ((k = calloc(1, sizeof(*k))) == NULL ||
	    (k->ec = calloc(1, sizeof(*k->ec))) == NULL) {
		st = hc_fail(d, HC_INTERNAL, "out of memory");
		goto fail;
	}
	k->type = BK_EC;
	mbedtls_ecp_keypair_init(k->ec);
	if ((ret = mbedtls_ecp_group_load(&k->ec->grp, gid)) != 0) {
		st = hc_fail(d, mbed_status(ret, HC_INTERNAL),
		    "EC curve P-%d cannot be loaded", curve_bits);
		goto fail;
	}
	if ((ret = mbedtls_mpi_read_binary(&k->ec->Q.X, x, xlen)) != 0 ||
	    (ret = mbedtls_mpi_read_binary(&k->ec->Q.Y, y, ylen)) != 0 ||
	    (ret = mbedtls_mpi_lset(&k->ec->Q.Z, 1)) != 0) {
		st = hc_fail(d, mbed_status(ret, HC_KEY),
		    "EC coordinates cannot be read");
		goto fail;
	}
	if ((ret = mbedtls_ecp_check_pubkey(&k->ec->grp, &k->ec->Q)) != 0) {
		st = hc_fail(d, mbed_status(ret, HC_KEY),
		    "EC point is not on curve P-%d", curve_bits);
		goto fail;
	}
	/*
	 * Multiply the base point once now, so that the group's cached comb
	 * table exists before the key is shared between threads (see the
	 * file comment).
	 */
	if ((ret = mbedtls_mpi_lset(&two, 2)) != 0 ||
	    (ret = mbedtls_ecp_mul(&k->ec->grp, &R, &two, &k->ec->grp.G,
	    NULL, NULL)) != 0) {
		st = hc_fail(d, mbed_status(ret, HC_INTERNAL),
		    "EC curve P-%d cannot be prepared", curve_bits);
		goto fail;
	}
	*out = k;
	mbedtls_ecp_point_free(&R);
	mbedtls_mpi_free(&two);
	return HC_OK;

fail:
	hc_crypto_mbedtls.key_free(k);
	mbedtls_ecp_point_free(&R);
	mbedtls_mpi_free(&two);
	return st;
}

/*
 * Imports an HMAC secret of HC_MIN_HMAC_BYTES..HC_MAX_HMAC_BYTES bytes.
 * The copy is wiped when the key is freed.
 */
static hc_status
mbed_import_secret(const unsigned char *s, size_t slen, hc_backend_key **out,
    hc_detail *d)
{
	hc_backend_key *k;

	*out = NULL;
	if (slen < HC_MIN_HMAC_BYTES || slen > HC_MAX_HMAC_BYTES)
		return hc_fail(d, HC_KEY, "HMAC secret is %zu bytes; %d to %d "
		    "are accepted", slen, HC_MIN_HMAC_BYTES, HC_MAX_HMAC_BYTES);
	if ((k = calloc(1, sizeof(*k))) == NULL ||
	    (k->secret = malloc(slen)) == NULL) {
		free(k);
		return hc_fail(d, HC_INTERNAL, "out of memory");
	}
	k->type = BK_SECRET;
	memcpy(k->secret, s, slen);
	k->secret_len = slen;
	*out = k;
	return HC_OK;
}

/*
 * Frees a backend key of any type, wiping an HMAC secret first.  NULL is a
 * no-op.
 */
static void
mbed_key_free(hc_backend_key *k)
{
	if (k == NULL)
		return;
	if (k->rsa != NULL) {
		mbedtls_rsa_free(k->rsa);
		free(k->rsa);
	}
	if (k->ec != NULL) {
		mbedtls_ecp_keypair_free(k->ec);
		free(k->ec);
	}
	if (k->secret != NULL) {
		hc_wipe(k->secret, k->secret_len);
		free(k->secret);
	}
	free(k);
}

/* ----------------------------------------------------------- verify */

/*
 * Verifies an RS* (RSASSA-PKCS1-v1_5) or PS* (RSASSA-PSS) signature over an
 * already computed hash.  PSS is held to RFC 7518 section 3.5: MGF1 with the
 * same hash and a salt exactly as long as the hash.  Returns HC_OK,
 * HC_SIGNATURE, or HC_INTERNAL when mbedTLS ran out of memory.
 */
static hc_status
verify_rsa(const struct alg_params *p, const hc_backend_key *k,
    const unsigned char *hash, size_t hlen, const unsigned char *sig,
    size_t siglen)
{
	int ret;

	/* RFC 8017 section 8.2.2 step 1: the signature is exactly k bytes. */
	if (siglen != mbedtls_rsa_get_len(k->rsa))
		return HC_SIGNATURE;
	if (p->family == 'R')
		/* Rebuild EMSA-PKCS1-v1_5 in full, compare (RFC 8017 9.2). */
		ret = mbedtls_rsa_rsassa_pkcs1_v15_verify(k->rsa, NULL, NULL,
		    MBEDTLS_RSA_PUBLIC, p->md, (unsigned)hlen, hash, sig);
	else
		ret = mbedtls_rsa_rsassa_pss_verify_ext(k->rsa, NULL, NULL,
		    MBEDTLS_RSA_PUBLIC, p->md, (unsigned)hlen, hash, p->md,
		    (int)hlen, sig);
	if (ret == 0)
		return HC_OK;
	return mbed_status(ret, HC_SIGNATURE);
}

/*
 * Verifies an ES* signature over an already computed hash.  The key must be on
 * the curve the algorithm names (RFC 7518 section 3.4), and the signature must
 * be the fixed-width R || S of JWS, never DER.  Returns HC_OK, HC_SIGNATURE,
 * or HC_INTERNAL when mbedTLS ran out of memory.
 */
static hc_status
verify_ec(const struct alg_params *p, const hc_backend_key *k,
    const unsigned char *hash, size_t hlen, const unsigned char *sig,
    size_t siglen)
{
	mbedtls_ecp_group *grp = &k->ec->grp;
	mbedtls_mpi r, s;
	hc_status st = HC_SIGNATURE;
	size_t flen;
	int ret;

	if (grp->id != p->curve)
		return HC_SIGNATURE;
	/* RFC 7518 section 3.4: R and S, each exactly the field size. */
	flen = (grp->pbits + 7) / 8;
	if (siglen != 2 * flen)
		return HC_SIGNATURE;
	mbedtls_mpi_init(&r);
	mbedtls_mpi_init(&s);
	if ((ret = mbedtls_mpi_read_binary(&r, sig, flen)) != 0 ||
	    (ret = mbedtls_mpi_read_binary(&s, sig + flen, flen)) != 0) {
		st = mbed_status(ret, HC_SIGNATURE);
		goto out;
	}
	/* SEC 1 section 4.1.4 step 1: r and s in [1, n-1]. */
	if (mbedtls_mpi_cmp_int(&r, 1) < 0 ||
	    mbedtls_mpi_cmp_mpi(&r, &grp->N) >= 0 ||
	    mbedtls_mpi_cmp_int(&s, 1) < 0 ||
	    mbedtls_mpi_cmp_mpi(&s, &grp->N) >= 0)
		goto out;
	ret = mbedtls_ecdsa_verify(grp, hash, hlen, &k->ec->Q, &r, &s);
	st = ret == 0 ? HC_OK : mbed_status(ret, HC_SIGNATURE);
out:
	mbedtls_mpi_free(&r);
	mbedtls_mpi_free(&s);
	return st;
}

/*
 * Verifies an HS* tag over the signing input itself: recomputes the HMAC and
 * compares it in constant time, so that timing reveals nothing of the expected
 * tag; the computed tag is wiped either way.
 */
static hc_status
verify_hmac(const mbedtls_md_info_t *md, const hc_backend_key *k,
    const unsigned char *msg, size_t msglen, const unsigned char *sig,
    size_t siglen)
{
	unsigned char mac[MBEDTLS_MD_MAX_SIZE];
	size_t maclen = mbedtls_md_get_size(md);
	hc_status st;
	int ret;

	/* JWS never truncates the tag (RFC 7518 section 3.2). */
	if (siglen != maclen)
		return HC_SIGNATURE;
	ret = mbedtls_md_hmac(md, k->secret, k->secret_len, msg, msglen, mac);
	if (ret != 0)
		st = mbed_status(ret, HC_SIGNATURE);
	else
		st = hc_ct_memcmp(mac, sig, maclen) == 0 ? HC_OK : HC_SIGNATURE;
	hc_wipe(mac, sizeof(mac));
	return st;
}

/*
 * Verifies `sig` over `msg` for `alg` with key `k`.  A key of the wrong
 * type or curve for alg gives HC_SIGNATURE (callers check hc_key_allows()
 * first; this is the backstop).
 */
static hc_status
mbed_verify(hc_alg alg, const hc_backend_key *k, const unsigned char *msg,
    size_t msglen, const unsigned char *sig, size_t siglen)
{
	unsigned char hash[MBEDTLS_MD_MAX_SIZE];
	const mbedtls_md_info_t *md;
	struct alg_params p;
	size_t hlen;
	hc_status st;
	int ret;

	if (k == NULL || alg_params(alg, &p) != 0 ||
	    (md = mbedtls_md_info_from_type(p.md)) == NULL)
		return HC_SIGNATURE;
	if (msg == NULL)
		msg = (const unsigned char *)"";
	if (sig == NULL)
		sig = (const unsigned char *)"";
	switch (p.family) {
	case 'H':
		if (k->type != BK_SECRET)
			return HC_SIGNATURE;
		return verify_hmac(md, k, msg, msglen, sig, siglen);
	case 'R':
	case 'P':
		if (k->type != BK_RSA)
			return HC_SIGNATURE;
		break;
	case 'E':
		if (k->type != BK_EC)
			return HC_SIGNATURE;
		break;
	default:
		return HC_SIGNATURE;
	}
	hlen = mbedtls_md_get_size(md);
	if ((ret = mbedtls_md(md, msg, msglen, hash)) != 0)
		return mbed_status(ret, HC_SIGNATURE);
	if (p.family == 'E')
		st = verify_ec(&p, k, hash, hlen, sig, siglen);
	else
		st = verify_rsa(&p, k, hash, hlen, sig, siglen);
	return st;
}

/* ------------------------------------------------------ hash, random */

/*
 * SHA-256 of msg into out (certificate thumbprints, replay keys).  It has
 * no failure to report: on that impossible error out is zeroed rather than
 * left undefined.
 */
static void
mbed_sha256(const unsigned char *msg, size_t len, unsigned char out[32])
{
	/* Cannot fail for SHA-256 without an _ALT implementation. */
	if (mbedtls_sha256_ret(msg, len, out, 0) != 0)
		memset(out, 0, 32);
}

static pthread_once_t drbg_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t drbg_lock = PTHREAD_MUTEX_INITIALIZER;
static mbedtls_entropy_context drbg_entropy;
static mbedtls_ctr_drbg_context drbg;
static int drbg_ready;

/* Seeds the process-wide DRBG from the system entropy sources, once. */
static void
drbg_init(void)
{
	static const unsigned char pers[] = "hopcheck keyed hashes";

	mbedtls_entropy_init(&drbg_entropy);
	mbedtls_ctr_drbg_init(&drbg);
	if (mbedtls_ctr_drbg_seed(&drbg, mbedtls_entropy_func, &drbg_entropy,
	    pers, sizeof(pers) - 1) == 0)
		drbg_ready = 1;
}

/*
 * Fills buf with n bytes from the DRBG.  Returns 0, or -1 when seeding
 * failed (then it fails every time: callers must fail closed).
 */
static int
mbed_random(unsigned char *buf, size_t n)
{
	size_t done = 0;
	int rc = 0;

	if (pthread_once(&drbg_once, drbg_init) != 0 || !drbg_ready ||
	    pthread_mutex_lock(&drbg_lock) != 0) {
		memset(buf, 0, n);
		return -1;
	}
	while (done < n) {
		size_t chunk = n - done < MBEDTLS_CTR_DRBG_MAX_REQUEST ?
		    n - done : MBEDTLS_CTR_DRBG_MAX_REQUEST;

		if (mbedtls_ctr_drbg_random(&drbg, buf + done, chunk) != 0) {
			rc = -1;
			break;
		}
		done += chunk;
	}
	(void)pthread_mutex_unlock(&drbg_lock);
	/* Never hand out a partly filled buffer. */
	if (rc != 0)
		memset(buf, 0, n);
	return rc;
}

/* ------------------------------------------------------------- X.509 */

/* The PEM armour of a certificate (RFC 7468 section 5.1). */
#define PEM_CERT_BEGIN "-----BEGIN CERTIFICATE-----"
#define PEM_CERT_END "-----END CERTIFICATE-----"

/* GeneralName uniformResourceIdentifier: [6] IMPLICIT IA5String. */
#define SAN_TAG_URI (MBEDTLS_ASN1_CONTEXT_SPECIFIC | 6)

/*
 * Finds the subjectAltName extension in the certificate's extensions
 * (RFC 5280 section 4.1: Extensions ::= SEQUENCE SIZE (1..MAX) OF
 * Extension; Extension ::= SEQUENCE { extnID OID, critical BOOLEAN DEFAULT
 * FALSE, extnValue OCTET STRING }).  mbedTLS has already rejected a
 * certificate whose extensions do not parse or repeat; the walk still
 * checks every step, and refuses a second subjectAltName itself.
 */
static hc_status
walk_general_names(unsigned char *p, const unsigned char *end,
    hc_x509_facts *out, hc_detail *d);

static hc_status
walk_extensions(const mbedtls_x509_crt *crt, hc_x509_facts *out,
    hc_detail *d)
{
	unsigned char *p = crt->v3_ext.p;
	const unsigned char *end;
	size_t len;
	bool seen = false;

	if (p == NULL || crt->v3_ext.len == 0)
		return HC_OK;       /* a v1 or v2 certificate: no extensions */
	end = p + crt->v3_ext.len;
	if (mbedtls_asn1_get_tag(&p, end, &len, MBEDTLS_ASN1_CONSTRUCTED |
	    MBEDTLS_ASN1_SEQUENCE) != 0 || p + len != end)
		return hc_fail(d, HC_MALFORMED, "certificate extensions are "
		    "not a well-formed SEQUENCE");
	while (p < end) {
		unsigned char *ext_end;
		mbedtls_x509_buf oid;
		int critical = 0;

		if (mbedtls_asn1_get_tag(&p, end, &len,
		    MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE) != 0)
			return hc_fail(d, HC_MALFORMED, "certificate "
			    "extension is not a SEQUENCE");
		ext_end = p + len;
		if (mbedtls_asn1_get_tag(&p, ext_end, &oid.len,
		    MBEDTLS_ASN1_OID) != 0)
			return hc_fail(d, HC_MALFORMED, "certificate "
			    "extension has no extnID");
		oid.p = p;
		p += oid.len;
		if (p < ext_end && *p == MBEDTLS_ASN1_BOOLEAN &&
		    mbedtls_asn1_get_bool(&p, ext_end, &critical) != 0)
			return hc_fail(d, HC_MALFORMED, "certificate "
			    "extension has a malformed critical flag");
		if (mbedtls_asn1_get_tag(&p, ext_end, &len,
		    MBEDTLS_ASN1_OCTET_STRING) != 0 || p + len != ext_end)
			return hc_fail(d, HC_MALFORMED, "certificate "
			    "extension has a malformed extnValue");
		if (MBEDTLS_OID_CMP(MBEDTLS_OID_SUBJECT_ALT_NAME, &oid) == 0) {
			hc_status st;

			if (seen)
				return hc_fail(d, HC_MALFORMED, "certificate "
				    "has two subjectAltName extensions (RFC "
				    "5280 section 4.2)");
			seen = true;
			st = walk_general_names(p, ext_end, out, d);
			if (st != HC_OK)
				return st;
		}
		p = ext_end;
	}
	return HC_OK;
}

/*
 * Walks GeneralNames (RFC 5280 section 4.2.1.6: SEQUENCE SIZE (1..MAX) OF
 * GeneralName), counting uniformResourceIdentifier entries and keeping the
 * first.  Every other choice is skipped by its length, whatever its tag.
 */
static hc_status
walk_general_names(unsigned char *p, const unsigned char *end,
    hc_x509_facts *out, hc_detail *d)
{
	size_t len, n = 0;
	hc_status st;

	if (mbedtls_asn1_get_tag(&p, end, &len, MBEDTLS_ASN1_CONSTRUCTED |
	    MBEDTLS_ASN1_SEQUENCE) != 0 || p + len != end)
		return hc_fail(d, HC_MALFORMED, "subjectAltName is not a "
		    "well-formed SEQUENCE of GeneralName");
	while (p < end) {
		unsigned char tag = *p++;

		if (++n > HC_MAX_CERT_SANS)
			return hc_fail(d, HC_MALFORMED, "subjectAltName has "
			    "more than %d entries", HC_MAX_CERT_SANS);
		/* GeneralName choices are [0]..[8]: never the long tag form. */
		if ((tag & 0xc0) != MBEDTLS_ASN1_CONTEXT_SPECIFIC ||
		    (tag & 0x1f) == 0x1f ||
		    mbedtls_asn1_get_len(&p, end, &len) != 0)
			return hc_fail(d, HC_MALFORMED, "subjectAltName entry "
			    "%zu is not a well-formed GeneralName", n);
		if (tag == SAN_TAG_URI && out->on_uri != NULL) {
			if ((st = out->on_uri(out->arg, p, len, d)) != HC_OK)
				return st;
		}
		p += len;
	}
	if (n == 0)
		return hc_fail(d, HC_MALFORMED, "subjectAltName is empty (RFC "
		    "5280 section 4.2.1.6 requires at least one name)");
	return HC_OK;
}

/*
 * Parses the DER certificate at the start of der; *used is the length of
 * its encoding (mbedTLS stops at the end of the outer SEQUENCE).  With
 * facts, reports basicConstraints cA, keyUsage keyCertSign / cRLSign and
 * each URI SAN.
 */
static hc_status
mbed_x509_leaf(const unsigned char *der, size_t len, size_t *used,
    hc_x509_facts *facts, hc_detail *d)
{
	mbedtls_x509_crt crt;
	hc_status st = HC_OK;
	int ret;

	*used = 0;
	mbedtls_x509_crt_init(&crt);
	if ((ret = mbedtls_x509_crt_parse_der(&crt, der, len)) != 0) {
		st = hc_fail(d, mbed_status(ret, HC_MALFORMED), "certificate "
		    "of %zu bytes does not parse as an X.509 certificate", len);
		goto out;
	}
	*used = crt.raw.len;
	if (facts == NULL)
		goto out;
	/* RFC 5280 section 4.2.1.9: no extension, cA is FALSE. */
	facts->is_ca = (crt.ext_types & MBEDTLS_X509_EXT_BASIC_CONSTRAINTS) &&
	    crt.ca_istrue != 0;
	/* RFC 5280 section 4.2.1.3: no extension, no usage is asserted. */
	facts->key_cert_sign = (crt.ext_types & MBEDTLS_X509_EXT_KEY_USAGE) &&
	    (crt.key_usage & (MBEDTLS_X509_KU_KEY_CERT_SIGN |
	    MBEDTLS_X509_KU_CRL_SIGN)) != 0;
	st = walk_extensions(&crt, facts, d);
out:
	mbedtls_x509_crt_free(&crt);
	return st;
}

/*
 * Decodes the first CERTIFICATE block of the NUL-terminated PEM text into
 * a heap copy of its DER bytes.
 */
static hc_status
mbed_x509_pem_first(const char *text, unsigned char **der, size_t *derlen,
    hc_detail *d)
{
	mbedtls_pem_context pem;
	size_t used = 0;
	hc_status st = HC_OK;
	int ret;

	*der = NULL;
	*derlen = 0;
	mbedtls_pem_init(&pem);
	ret = mbedtls_pem_read_buffer(&pem, PEM_CERT_BEGIN, PEM_CERT_END,
	    (const unsigned char *)text, NULL, 0, &used);
	if (ret != 0 || pem.buflen == 0) {
		st = hc_fail(d, HC_MALFORMED, "the first PEM CERTIFICATE block "
		    "is not valid base64 between its BEGIN and END lines");
		goto out;
	}
	/* mbedTLS 2.28: pem.buf is the decoded DER. */
	if ((*der = malloc(pem.buflen)) == NULL) {
		st = hc_fail(d, HC_INTERNAL, "out of memory");
		goto out;
	}
	memcpy(*der, pem.buf, pem.buflen);
	*derlen = pem.buflen;
out:
	mbedtls_pem_free(&pem);
	return st;
}

/* ------------------------------------------------------------- API */

static pthread_once_t version_once = PTHREAD_ONCE_INIT;
static char version_text[32];

static void
version_init(void)
{
	char v[18];              /* mbedtls_version_get_string: 9 bytes */

	mbedtls_version_get_string(v);
	(void)snprintf(version_text, sizeof(version_text), "mbedtls %s", v);
}

/* "mbedtls 2.28.3": the library's version as it runs, not as compiled. */
static const char *
mbed_version(void)
{
	(void)pthread_once(&version_once, version_init);
	return version_text;
}

const hc_crypto_backend hc_crypto_mbedtls = {
	.name = "mbedtls",
	.caps = 0,
	.version = mbed_version,
	.import_rsa = mbed_import_rsa,
	.import_ec = mbed_import_ec,
	.import_okp = NULL,         /* no EdDSA in mbedTLS 2.28 */
	.import_secret = mbed_import_secret,
	.key_free = mbed_key_free,
	.verify = mbed_verify,
	.sha256 = mbed_sha256,
	.random = mbed_random,
	.x509_leaf = mbed_x509_leaf,
	.x509_pem_first = mbed_x509_pem_first,
};
