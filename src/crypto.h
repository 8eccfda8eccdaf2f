/*
 * crypto.h - the crypto seam, and the key model built on it.
 *
 * The core never calls a crypto library.  It calls one backend, a const
 * struct of function pointers (hc_crypto_backend) filled by exactly one file
 * (crypto_mbedtls.c today); the backend owns the layout of its key objects.
 * On top of the seam, jwk.c turns JWKs into hc_key objects that remember the
 * key type, curve, size, kid and the one algorithm family they may verify,
 * and keyset.c holds an issuer's keys, refcounted so that a refresh can swap
 * a whole set while validations in flight keep the set they started with.
 */
#ifndef HC_CRYPTO_H
#define HC_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "internal.h"

/* JWS algorithms (RFC 7518 section 3.1), the ones hopcheck verifies. */
typedef enum hc_alg {
	HC_ALG_UNKNOWN = 0,
	HC_ALG_HS256, HC_ALG_HS384, HC_ALG_HS512,
	HC_ALG_RS256, HC_ALG_RS384, HC_ALG_RS512,
	HC_ALG_PS256, HC_ALG_PS384, HC_ALG_PS512,
	HC_ALG_ES256, HC_ALG_ES384, HC_ALG_ES512,
	HC_ALG_COUNT
} hc_alg;

#define HC_ALG_BIT(a) (1u << (unsigned)(a))

/* Exact, case-sensitive name lookup; HC_ALG_UNKNOWN for anything else. */
hc_alg hc_alg_from_name(const char *name);
/* "ES256", ...; "unknown" for HC_ALG_UNKNOWN. */
const char *hc_alg_name(hc_alg alg);

typedef enum hc_kty {
	HC_KTY_RSA = 1,
	HC_KTY_EC,
	HC_KTY_OCT
} hc_kty;

/* The key type an algorithm needs. */
hc_kty hc_alg_kty(hc_alg alg);
/* For ES*: the curve size in bits an algorithm needs (256, 384, 521); else 0. */
int hc_alg_curve(hc_alg alg);
/* Digest length in bytes of the algorithm's hash (32, 48, 64). */
size_t hc_alg_hash_len(hc_alg alg);

/* A backend's private key object. */
typedef struct hc_backend_key hc_backend_key;

/*
 * The backend interface.  Every function is required.  Import functions
 * validate what they import (RSA: 2048..8192 bits, odd e >= 3; EC: the point
 * is on the named curve and not the point at infinity) and return
 * HC_KEY with a reason otherwise.  verify() returns HC_OK or HC_SIGNATURE
 * (HC_INTERNAL on allocation failure), and never HC_OK for a signature of
 * the wrong length or encoding: ES* signatures are raw r||s of exactly twice
 * the field size and are range-checked (1 <= r, s <= n-1); PS* use MGF1 with
 * the same hash and a salt of the hash length; HS* compare the full MAC in
 * constant time.
 */
typedef struct hc_crypto_backend {
	const char *name;
	hc_status (*import_rsa)(const unsigned char *n, size_t nlen,
	    const unsigned char *e, size_t elen, hc_backend_key **out,
	    unsigned *bits, hc_detail *d);
	hc_status (*import_ec)(int curve_bits, const unsigned char *x,
	    size_t xlen, const unsigned char *y, size_t ylen,
	    hc_backend_key **out, hc_detail *d);
	hc_status (*import_secret)(const unsigned char *k, size_t klen,
	    hc_backend_key **out, hc_detail *d);
	void (*key_free)(hc_backend_key *key);
	hc_status (*verify)(hc_alg alg, const hc_backend_key *key,
	    const unsigned char *msg, size_t msglen, const unsigned char *sig,
	    size_t siglen);
	void (*sha256)(const unsigned char *msg, size_t len,
	    unsigned char out[32]);
	/* Fills buf with n unpredictable bytes (keyed hashes); 0 or -1. */
	int (*random)(unsigned char *buf, size_t n);
} hc_crypto_backend;

/* The backend compiled in. */
extern const hc_crypto_backend hc_crypto_mbedtls;
const hc_crypto_backend *hc_crypto(void);

#endif /* HC_CRYPTO_H */
