/*
 * crypto.h - the crypto seam, and the key model built on it.
 *
 * The core never calls a crypto library.  It calls one backend, a const
 * struct of function pointers (hc_crypto_backend) filled by exactly one file
 * per library (crypto_mbedtls.c, crypto_openssl.c; the build compiles one of
 * them), and crypto.c's hc_crypto() is the one place that names the backend
 * compiled in.  The backend owns the layout of its key objects, and also
 * reads X.509 certificates for x509.c, which keeps the rules.
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

/* The backend compiled in; never NULL. */
const hc_crypto_backend *hc_crypto(void);

/* --------------------------------------------------------------- jwk.c */

/*
 * A verification key.  Immutable once built.  `alg` is the JWK's own `alg`
 * when it had one (then only that algorithm may use the key), else
 * HC_ALG_UNKNOWN (then any algorithm of the key's type and curve may, within
 * the issuer's allowlist).
 */
typedef struct hc_key {
	hc_kty kty;
	hc_alg alg;
	int curve_bits;          /* EC: 256, 384, 521; else 0 */
	unsigned bits;           /* RSA modulus bits; EC curve bits; oct key bits */
	char *kid;               /* NULL when the JWK had none */
	hc_backend_key *bk;
} hc_key;

/*
 * Builds a key from a JWK object.  Accepts kty RSA (n, e), EC (crv P-256,
 * P-384, P-521; x, y of the curve's exact length) and, only when
 * `allow_secret` is set, oct (k).  Rejects (HC_KEY, reason in d): a
 * private key member (d, p, q, ...) in a public set, `use` other than "sig",
 * `key_ops` without "verify", an `alg` unknown or not matching the key type,
 * unusable sizes.  Members are type-checked; unknown members are ignored.
 */
hc_status hc_key_from_jwk(const hc_json *jwk, bool allow_secret, hc_key **out,
    hc_detail *d);

/* Builds an HMAC key from raw secret bytes (hmac_secret_file). */
hc_status hc_key_from_secret(const unsigned char *k, size_t klen, hc_key **out,
    hc_detail *d);

void hc_key_free(hc_key *key);

/*
 * Whether `key` may verify `alg`: type and curve match, the key's own alg (if
 * any) equals it, RSA >= HC_MIN_RSA_BITS.  Returns HC_OK or HC_ALG with a
 * reason naming both.
 */
hc_status hc_key_allows(const hc_key *key, hc_alg alg, hc_detail *d);

/* ------------------------------------------------------------ keyset.c */

/*
 * A set of keys of one issuer (or trust domain).  Refcounted: the holder of
 * a reference may use it from any thread; the last release frees it.
 */
typedef struct hc_keyset {
	hc_key **keys;
	size_t nkeys;
	int refs;                /* atomically updated */
	int64_t loaded_at;       /* seconds since the epoch */
} hc_keyset;

/*
 * Parses a JWKS document (`{"keys": [...]}`), strict JSON.  A set is refused
 * (HC_KEY, reason in d) when it has no usable key, more than
 * HC_MAX_KEYS_PER_SET, two keys with the same kid, or mixes secret and
 * public keys.  A JWK of unknown kty, or whose `use` is not "sig", is
 * skipped (RFC 7517 section 5), and so is noted in d only if nothing usable
 * remains.  `allow_secret` admits oct keys (tests of the seam only).
 */
hc_status hc_keyset_parse(const char *json, size_t len, bool allow_secret,
    hc_keyset **out, hc_detail *d);

/*
 * Parses a SPIFFE bundle (SPIFFE Trust Domain and Bundle section 4) for its
 * JWT-SVID keys: a JWKS whose usable entries have `use` "jwt-svid" and a
 * `kid` (JWT-SVID section 6); entries of other uses or unknown types are
 * ignored (bundle section 4.2.2).  `spiffe_refresh_hint` and
 * `spiffe_sequence` are read and type-checked.  HC_KEY with a reason when
 * the document is not a bundle; an empty set (no usable key) is returned as
 * a set with nkeys == 0, since bundle section 4.1.3 makes every SVID of the
 * domain invalid then, not the configuration.
 */
hc_status hc_bundle_parse(const char *json, size_t len,
    const char *trust_domain, hc_keyset **out, hc_detail *d);

/* A set of exactly one key (takes ownership of key). */
hc_status hc_keyset_single(hc_key *key, hc_keyset **out);

void hc_keyset_ref(hc_keyset *ks);
void hc_keyset_unref(hc_keyset *ks);  /* NULL is a no-op */

/*
 * Finds the key for a token: with a kid, the key whose kid equals it
 * exactly (byte comparison; no normalisation); without one, the only key
 * that hc_key_allows() alg.  Returns HC_OK and the key (borrowed from ks),
 * HC_KEY when none (or, without kid, several) match, HC_ALG when the kid's
 * key cannot verify alg.
 */
hc_status hc_keyset_find(const hc_keyset *ks, const char *kid, hc_alg alg,
    const hc_key **out, hc_detail *d);

/*
 * Verifies a JWS signature with `key` for `alg`: hc_key_allows() then the
 * backend's verify.  Returns HC_OK, HC_ALG or HC_SIGNATURE.
 */
hc_status hc_key_verify(const hc_key *key, hc_alg alg,
    const unsigned char *msg, size_t msglen, const unsigned char *sig,
    size_t siglen, hc_detail *d);

#endif /* HC_CRYPTO_H */
