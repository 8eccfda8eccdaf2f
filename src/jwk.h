/* SPDX-License-Identifier: Apache-2.0 */
/*
 * jwk.h - verification keys: a JWK (RFC 7517) imported into an hc_key that
 * remembers its type, curve, size, kid and the one algorithm family it may
 * verify, and the single check that binds a token's `alg` to a key.
 *
 * jwk.c builds keys on the crypto seam (crypto.h) and never calls a crypto
 * library itself.  Sets of keys, lookup by kid and the slots a refresh
 * swaps are keyset.h's.
 *
 * Important caveats
 *  - A key says nothing about who may use it: which issuer or trust domain
 *    a key belongs to is the business of the set that holds it.
 *  - Members a JWK may carry beyond those read here (x5c, x5t, x5u, ...)
 *    are ignored, never checked against the key.
 */
#ifndef HC_JWK_H
#define HC_JWK_H

#include <stdbool.h>
#include <stddef.h>

#include "crypto.h"
#include "internal.h"

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

/*
 * Verifies a JWS signature with `key` for `alg`: hc_key_allows() then the
 * backend's verify.  Returns HC_OK, HC_ALG or HC_SIGNATURE.
 */
hc_status hc_key_verify(const hc_key *key, hc_alg alg,
    const unsigned char *msg, size_t msglen, const unsigned char *sig,
    size_t siglen, hc_detail *d);

/* An RFC 7638 thumbprint: base64url of a SHA-256 digest, 43 characters. */
#define HC_JKT_BYTES 32
#define HC_JKT_LEN HC_B64URL_ENCODED_LEN(HC_JKT_BYTES)

/*
 * The RFC 7638 thumbprint of a public JWK into out (HC_JKT_LEN + 1 bytes):
 * SHA-256 over the JSON object of the members that kty requires (section
 * 3.2; RSA e, kty, n; EC crv, kty, x, y; OKP crv, kty, x (RFC 8037
 * section 2); oct k, kty), in lexicographic order, without whitespace,
 * then base64url without padding.  Other members and their order do not
 * matter.  HC_KEY with a reason when kty is unknown or a required member
 * is missing, not a string, or holds a byte that would need escaping
 * (call it on a JWK that hc_key_from_jwk() accepted).
 */
hc_status hc_jwk_thumbprint(const hc_json *jwk, char *out, hc_detail *d);

#endif /* HC_JWK_H */
