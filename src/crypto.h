/* SPDX-License-Identifier: Apache-2.0 */
/*
 * crypto.h - the crypto seam.
 *
 * The core never calls a crypto library.  It calls one backend, a const
 * struct of function pointers (hc_crypto_backend) filled by exactly one file
 * per library (crypto_mbedtls.c, crypto_openssl.c; the build compiles one of
 * them), and crypto.c's hc_crypto() is the one place that names the backend
 * compiled in.  The backend owns the layout of its key objects, and also
 * reads X.509 certificates for x509.c, which keeps the rules.
 * The key model is built on the seam in jwk.h (JWKs to hc_key objects) and
 * keyset.h (an issuer's refcounted key set and its slot).
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
	/* RFC 8037 section 3.1 (either curve) and RFC 9864 (one curve each). */
	HC_ALG_EDDSA, HC_ALG_ED25519, HC_ALG_ED448,
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
	HC_KTY_OCT,
	HC_KTY_OKP               /* RFC 8037 section 2: Ed25519, Ed448 */
} hc_kty;

/* The curve sizes an OKP signature key is known by (hc_key.curve_bits). */
#define HC_CURVE_ED25519 255
#define HC_CURVE_ED448   448

/* The key type an algorithm needs. */
hc_kty hc_alg_kty(hc_alg alg);
/*
 * The curve size in bits an algorithm needs: ES* 256, 384, 521; Ed25519
 * HC_CURVE_ED25519, Ed448 HC_CURVE_ED448; 0 for the others (EdDSA takes
 * either Edwards curve).
 */
int hc_alg_curve(hc_alg alg);
/* Digest length in bytes of the algorithm's hash (32, 48, 64); 0 for EdDSA. */
size_t hc_alg_hash_len(hc_alg alg);

/*
 * Whether the backend compiled in can verify `alg`.  When it cannot, *why
 * (if why is not NULL) is set to a static sentence saying what would,
 * e.g. "EdDSA needs the OpenSSL backend (make CRYPTO=openssl)".
 */
bool hc_alg_supported(hc_alg alg, const char **why);

/* A backend's private key object. */
typedef struct hc_backend_key hc_backend_key;

/* Capability bits of a backend (hc_crypto_backend.caps). */
#define HC_CRYPTO_EDDSA 0x1u     /* Ed25519 and Ed448 (RFC 8037) */

/*
 * What a backend reads from a leaf certificate for x509.c.  The caller sets
 * on_uri and arg; the backend calls on_uri once for each URI SAN, in order,
 * with the IA5String's bytes (not NUL-terminated), and returns whatever
 * non-HC_OK status on_uri returns.  The backend fills is_ca (basicConstraints
 * present with cA TRUE) and key_cert_sign (keyUsage present with
 * keyCertSign or cRLSign) and refuses (HC_MALFORMED) a subjectAltName that
 * is repeated, empty, not well-formed, or has more than HC_MAX_CERT_SANS
 * entries.
 */
typedef struct hc_x509_facts {
	hc_status (*on_uri)(void *arg, const unsigned char *uri, size_t len,
	    hc_detail *d);
	void *arg;
	bool is_ca;
	bool key_cert_sign;
} hc_x509_facts;

/*
 * The backend interface.  Every function is required except import_okp,
 * which is NULL on a backend without HC_CRYPTO_EDDSA.  Import functions
 * validate what they import (RSA: 2048..8192 bits, odd modulus, odd e with
 * 3 <= e < n, no ROCA fingerprint; EC: the point is on the named curve and
 * not the point at infinity; OKP: the exact public key length) and return
 * HC_KEY with a reason otherwise.  verify() returns HC_OK or HC_SIGNATURE
 * (HC_INTERNAL on allocation failure), and never HC_OK for a signature of
 * the wrong length or encoding: ES* signatures are raw r||s of exactly twice
 * the field size and are range-checked (1 <= r, s <= n-1); PS* use MGF1 with
 * the same hash and a salt of the hash length; HS* compare the full MAC in
 * constant time; EdDSA signatures are exactly 64 (Ed25519) or 114 (Ed448)
 * bytes with a canonical S (S < L, RFC 8032 section 5.1.7 and 5.2.7).
 * Keys are immutable after import and verify() is reentrant: any number of
 * threads may verify with one key at once.
 */
typedef struct hc_crypto_backend {
	const char *name;        /* "mbedtls", "openssl" */
	unsigned caps;           /* HC_CRYPTO_* bits */
	/* "mbedtls 2.28.3": the name and the library's run-time version. */
	const char *(*version)(void);
	hc_status (*import_rsa)(const unsigned char *n, size_t nlen,
	    const unsigned char *e, size_t elen, hc_backend_key **out,
	    unsigned *bits, hc_detail *d);
	hc_status (*import_ec)(int curve_bits, const unsigned char *x,
	    size_t xlen, const unsigned char *y, size_t ylen,
	    hc_backend_key **out, hc_detail *d);
	/* curve_bits HC_CURVE_ED25519 or HC_CURVE_ED448; x the raw key. */
	hc_status (*import_okp)(int curve_bits, const unsigned char *x,
	    size_t xlen, hc_backend_key **out, hc_detail *d);
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
	/*
	 * Parses one DER certificate at the start of the `len` bytes at der
	 * and stores in *used how many bytes its encoding takes (x509.c
	 * refuses anything trailing).  With facts not NULL, reports what the
	 * certificate says (see hc_x509_facts).  HC_MALFORMED with a reason
	 * when the bytes are not a certificate; HC_INTERNAL on allocation
	 * failure.
	 */
	hc_status (*x509_leaf)(const unsigned char *der, size_t len,
	    size_t *used, hc_x509_facts *facts, hc_detail *d);
	/*
	 * Decodes the first "CERTIFICATE" block of PEM text (RFC 7468
	 * section 5.1; NUL-terminated) into *der (heap, free()) without
	 * parsing it.  HC_MALFORMED when there is no such block or its base64
	 * does not decode.
	 */
	hc_status (*x509_pem_first)(const char *text, unsigned char **der,
	    size_t *derlen, hc_detail *d);
} hc_crypto_backend;

/* The backends; a build has exactly one of them. */
extern const hc_crypto_backend hc_crypto_mbedtls;
extern const hc_crypto_backend hc_crypto_openssl;

/* The X.509 reader of the OpenSSL backend (x509_openssl.c), its table's. */
hc_status hc_ossl_x509_leaf(const unsigned char *der, size_t len,
    size_t *used, hc_x509_facts *facts, hc_detail *d);
hc_status hc_ossl_x509_pem_first(const char *text, unsigned char **der,
    size_t *derlen, hc_detail *d);

/* The backend compiled in; never NULL. */
const hc_crypto_backend *hc_crypto(void);

#endif /* HC_CRYPTO_H */
