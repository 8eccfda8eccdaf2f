/* SPDX-License-Identifier: Apache-2.0 */
/*
 * jwk.c - JWS algorithm names, JWK import, and the binding of a key to the
 * algorithms it may verify.
 *
 * A JWK (RFC 7517) becomes an hc_key that remembers its type, curve, size,
 * kid and, when the JWK named one, its single algorithm.  Import is strict:
 * members are type-checked, base64url is decoded strictly, integers must be
 * minimal (RFC 7518 section 2, Base64urlUInt), coordinates exactly the field
 * size, and a key meant for something other than verifying signatures is
 * refused rather than guessed at.  hc_key_allows() is the one place that
 * decides whether a token's `alg` may be verified with a key; it is what
 * stops the HS/RS confusion (a public key used as an HMAC secret) and the
 * use of one key with two algorithms (RFC 8725 section 3.1).
 *
 * OKP keys (RFC 8037) are Ed25519 or Ed448 signature keys, verified only
 * on a backend with HC_CRYPTO_EDDSA; an OKP key of an ECDH curve (X25519,
 * X448) is never a verification key.  alg EdDSA may use either curve, the
 * fully-specified Ed25519 and Ed448 (RFC 9864) only their own.
 *
 * The material itself goes to the crypto backend (crypto.h); this file
 * never touches a crypto library.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jwk.h"

/* ------------------------------------------------------------ algorithms */

static const struct alg_info {
	hc_alg alg;
	const char *name;
	hc_kty kty;
	int curve;               /* ES*, Ed25519, Ed448: curve bits; else 0 */
	size_t hash_len;
} alg_table[] = {
	{ HC_ALG_HS256, "HS256", HC_KTY_OCT, 0, 32 },
	{ HC_ALG_HS384, "HS384", HC_KTY_OCT, 0, 48 },
	{ HC_ALG_HS512, "HS512", HC_KTY_OCT, 0, 64 },
	{ HC_ALG_RS256, "RS256", HC_KTY_RSA, 0, 32 },
	{ HC_ALG_RS384, "RS384", HC_KTY_RSA, 0, 48 },
	{ HC_ALG_RS512, "RS512", HC_KTY_RSA, 0, 64 },
	{ HC_ALG_PS256, "PS256", HC_KTY_RSA, 0, 32 },
	{ HC_ALG_PS384, "PS384", HC_KTY_RSA, 0, 48 },
	{ HC_ALG_PS512, "PS512", HC_KTY_RSA, 0, 64 },
	{ HC_ALG_ES256, "ES256", HC_KTY_EC, 256, 32 },
	{ HC_ALG_ES384, "ES384", HC_KTY_EC, 384, 48 },
	{ HC_ALG_ES512, "ES512", HC_KTY_EC, 521, 64 },
	{ HC_ALG_EDDSA, "EdDSA", HC_KTY_OKP, 0, 0 },
	{ HC_ALG_ED25519, "Ed25519", HC_KTY_OKP, HC_CURVE_ED25519, 0 },
	{ HC_ALG_ED448, "Ed448", HC_KTY_OKP, HC_CURVE_ED448, 0 },
};

#define ALG_TABLE_LEN (sizeof(alg_table) / sizeof(alg_table[0]))

static const struct alg_info *
alg_info(hc_alg alg)
{
	for (size_t i = 0; i < ALG_TABLE_LEN; i++)
		if (alg_table[i].alg == alg)
			return &alg_table[i];
	return NULL;
}

hc_alg
hc_alg_from_name(const char *name)
{
	if (name == NULL)
		return HC_ALG_UNKNOWN;
	for (size_t i = 0; i < ALG_TABLE_LEN; i++)
		if (strcmp(alg_table[i].name, name) == 0)
			return alg_table[i].alg;
	return HC_ALG_UNKNOWN;
}

const char *
hc_alg_name(hc_alg alg)
{
	const struct alg_info *a = alg_info(alg);

	return a != NULL ? a->name : "unknown";
}

/* The key type of alg; 0 (no hc_kty) for HC_ALG_UNKNOWN. */
hc_kty
hc_alg_kty(hc_alg alg)
{
	const struct alg_info *a = alg_info(alg);

	return a != NULL ? a->kty : (hc_kty)0;
}

int
hc_alg_curve(hc_alg alg)
{
	const struct alg_info *a = alg_info(alg);

	return a != NULL ? a->curve : 0;
}

size_t
hc_alg_hash_len(hc_alg alg)
{
	const struct alg_info *a = alg_info(alg);

	return a != NULL ? a->hash_len : 0;
}

/* ------------------------------------------------------------- private */

/* The JWK "crv" names of RFC 7518 section 6.2.1.1 that we support. */
static const struct {
	const char *name;
	int bits;
} curves[] = {
	{ "P-256", 256 },
	{ "P-384", 384 },
	{ "P-521", 521 },
};

/*
 * The OKP "crv" names of RFC 8037 section 2 that sign, with the length of
 * their public key (RFC 8032 sections 5.1.5 and 5.2.5).
 */
static const struct okp_curve {
	const char *name;
	int bits;
	size_t len;
} okp_curves[] = {
	{ "Ed25519", HC_CURVE_ED25519, 32 },
	{ "Ed448", HC_CURVE_ED448, 57 },
};

static const struct okp_curve *
okp_curve(int bits)
{
	for (size_t i = 0; i < sizeof(okp_curves) / sizeof(okp_curves[0]); i++)
		if (okp_curves[i].bits == bits)
			return &okp_curves[i];
	return NULL;
}

static const char *
kty_name(hc_kty kty)
{
	switch (kty) {
	case HC_KTY_RSA:
		return "RSA";
	case HC_KTY_EC:
		return "EC";
	case HC_KTY_OCT:
		return "oct";
	case HC_KTY_OKP:
		return "OKP";
	}
	return "unknown";
}

/* The label of a JWK in details: `JWK kid "abc"` or `JWK without kid`. */
static const char *
jwk_label(char *buf, size_t n, const char *kid)
{
	char q[HC_QBUF];

	if (kid == NULL)
		(void)snprintf(buf, n, "JWK without kid");
	else
		(void)snprintf(buf, n, "JWK kid %s",
		    hc_quote(q, sizeof(q), kid));
	return buf;
}

/*
 * Describes a key for a detail: its type, curve or size, kid and own alg,
 * e.g. `EC P-256 key kid "k1" (alg ES256)`.
 */
static const char *
key_desc(const hc_key *key, char *buf, size_t n)
{
	char q[HC_QBUF], kid[HC_DETAIL_VALUE_MAX + 24];
	char size[32], alg[24];

	if (key->kty == HC_KTY_EC)
		(void)snprintf(size, sizeof(size), "P-%d", key->curve_bits);
	else if (key->kty == HC_KTY_OKP && okp_curve(key->curve_bits) != NULL)
		(void)snprintf(size, sizeof(size), "%s",
		    okp_curve(key->curve_bits)->name);
	else
		(void)snprintf(size, sizeof(size), "%u-bit", key->bits);
	if (key->kid != NULL)
		(void)snprintf(kid, sizeof(kid), " kid %s",
		    hc_quote(q, sizeof(q), key->kid));
	else
		kid[0] = '\0';
	if (key->alg != HC_ALG_UNKNOWN)
		(void)snprintf(alg, sizeof(alg), " (alg %s)",
		    hc_alg_name(key->alg));
	else
		alg[0] = '\0';
	(void)snprintf(buf, n, "%s %s key%s%s", kty_name(key->kty), size, kid,
	    alg);
	return buf;
}

/*
 * Decodes the base64url member `name` of `jwk` into a fresh heap buffer of
 * at most `max` bytes.  A missing member, a non-string, an over-long value
 * or non-canonical base64url is HC_KEY.  When `minimal` is set the value
 * is a Base64urlUInt (RFC 7518 section 2) and may not start with a zero
 * byte.  The buffer is wiped before free on failure, so that a secret's
 * partial decoding does not linger.
 */
static hc_status
get_b64(const hc_json *jwk, const char *name, size_t max, bool minimal,
    const char *label, unsigned char **out, size_t *outlen, hc_detail *d)
{
	const hc_json *m = hc_json_get(jwk, name);
	const char *s = hc_json_string(m);
	unsigned char *buf;
	size_t n, cap;

	*out = NULL;
	*outlen = 0;
	if (m == NULL)
		return hc_fail(d, HC_KEY, "%s lacks member \"%s\"", label,
		    name);
	if (s == NULL)
		return hc_fail(d, HC_KEY, "%s member \"%s\" is a %s, not a "
		    "string", label, name,
		    hc_json_type_name(hc_json_type_of(m)));
	n = strlen(s);
	if (n > HC_B64URL_ENCODED_LEN(max))
		return hc_fail(d, HC_KEY, "%s member \"%s\" is longer than %zu "
		    "bytes", label, name, max);
	cap = HC_B64URL_DECODED_MAX(n);
	if ((buf = malloc(cap + 1)) == NULL)
		return hc_fail(d, HC_INTERNAL, "out of memory");
	if (hc_b64url_decode(s, n, buf, cap, outlen) != 0) {
		hc_wipe(buf, cap);
		free(buf);
		*outlen = 0;
		return hc_fail(d, HC_KEY, "%s member \"%s\" is not canonical "
		    "base64url", label, name);
	}
	if (*outlen > max || (minimal && (*outlen == 0 || buf[0] == 0))) {
		const bool big = *outlen > max;

		hc_wipe(buf, cap);
		free(buf);
		*outlen = 0;
		if (big)
			return hc_fail(d, HC_KEY, "%s member \"%s\" is longer "
			    "than %zu bytes", label, name, max);
		return hc_fail(d, HC_KEY, "%s member \"%s\" is not a minimal "
		    "unsigned integer (empty, or a leading zero byte; RFC 7518 "
		    "section 2)", label, name);
	}
	*out = buf;
	return HC_OK;
}

/*
 * RFC 7517 section 4.2 and 4.3: a verification key has no `use` or `use`
 * "sig", and no `key_ops` or `key_ops` an array of strings naming
 * "verify".
 */
static hc_status
check_usage(const hc_json *jwk, const char *label, hc_detail *d)
{
	char q[HC_QBUF];
	const hc_json *use, *ops;
	bool verify = false;

	use = hc_json_get(jwk, "use");
	if (use != NULL) {
		const char *u = hc_json_string(use);

		if (u == NULL)
			return hc_fail(d, HC_KEY, "%s member \"use\" is a %s, "
			    "not a string", label,
			    hc_json_type_name(hc_json_type_of(use)));
		if (strcmp(u, "sig") != 0)
			return hc_fail(d, HC_KEY, "%s has use %s; only \"sig\" "
			    "keys verify signatures", label,
			    hc_quote(q, sizeof(q), u));
	}
	ops = hc_json_get(jwk, "key_ops");
	if (ops == NULL)
		return HC_OK;
	if (hc_json_type_of(ops) != HC_JSON_ARRAY)
		return hc_fail(d, HC_KEY, "%s member \"key_ops\" is a %s, "
		    "not an array (RFC 7517 section 4.3)", label,
		    hc_json_type_name(hc_json_type_of(ops)));
	for (const hc_json *o = hc_json_first(ops); o != NULL;
	    o = hc_json_next(o)) {
		const char *s = hc_json_string(o);

		if (s == NULL)
			return hc_fail(d, HC_KEY, "%s member \"key_ops\" "
			    "holds a %s, not a string", label,
			    hc_json_type_name(hc_json_type_of(o)));
		if (strcmp(s, "verify") == 0)
			verify = true;
	}
	if (!verify)
		return hc_fail(d, HC_KEY, "%s has key_ops without \"verify\"",
		    label);
	return HC_OK;
}

/*
 * A public key set carries no private parts (RFC 7517 section 9.3 asks
 * that they be kept confidential; seeing one in a public set means the
 * publisher leaked a private key, or handed us the wrong file).
 */
static hc_status
check_no_private(const hc_json *jwk, const char *label, hc_detail *d)
{
	static const char *const members[] = {
		"d", "p", "q", "dp", "dq", "qi", "oth", "k"
	};

	for (size_t i = 0; i < sizeof(members) / sizeof(members[0]); i++)
		if (hc_json_get(jwk, members[i]) != NULL)
			return hc_fail(d, HC_KEY, "%s contains private key "
			    "member \"%s\"", label, members[i]);
	return HC_OK;
}

/* A backend's reason, which does not know the key's name, prefixed with it. */
static hc_status
backend_fail(hc_status st, const hc_detail *bd, const char *label,
    hc_detail *d)
{
	return hc_fail(d, st, "%s: %s", label, bd->text);
}

static hc_status
import_rsa(const hc_json *jwk, const char *label, hc_key *key, hc_detail *d)
{
	unsigned char *n = NULL, *e = NULL;
	hc_detail bd = { "" };
	size_t nlen, elen;
	hc_status st;

	/* RFC 7518 section 6.3.1: n and e, both Base64urlUInt. */
	if ((st = get_b64(jwk, "n", HC_MAX_RSA_BITS / 8, true, label, &n,
	    &nlen, d)) != HC_OK)
		goto out;
	if ((st = get_b64(jwk, "e", HC_MAX_RSA_BITS / 8, true, label, &e,
	    &elen, d)) != HC_OK)
		goto out;
	st = hc_crypto()->import_rsa(n, nlen, e, elen, &key->bk, &key->bits,
	    &bd);
	if (st != HC_OK)
		st = backend_fail(st, &bd, label, d);
out:
	free(n);
	free(e);
	return st;
}

static hc_status
import_ec(const hc_json *jwk, const char *label, hc_key *key, hc_detail *d)
{
	char q[HC_QBUF];
	const hc_json *crv = hc_json_get(jwk, "crv");
	const char *c = hc_json_string(crv);
	unsigned char *x = NULL, *y = NULL;
	hc_detail bd = { "" };
	size_t xlen, ylen, flen;
	hc_status st;
	int bits = 0;

	if (crv == NULL)
		return hc_fail(d, HC_KEY, "%s lacks member \"crv\"", label);
	if (c == NULL)
		return hc_fail(d, HC_KEY, "%s member \"crv\" is a %s, not a "
		    "string", label, hc_json_type_name(hc_json_type_of(crv)));
	for (size_t i = 0; i < sizeof(curves) / sizeof(curves[0]); i++)
		if (strcmp(curves[i].name, c) == 0)
			bits = curves[i].bits;
	if (bits == 0)
		return hc_fail(d, HC_KEY, "%s has crv %s; P-256, P-384 and "
		    "P-521 are supported", label, hc_quote(q, sizeof(q), c));
	if (key->alg != HC_ALG_UNKNOWN && hc_alg_curve(key->alg) != bits)
		return hc_fail(d, HC_KEY, "%s has alg %s, which does not use "
		    "curve %s", label, hc_alg_name(key->alg), c);
	/* RFC 7518 section 6.2.1.2/3: x and y are exactly the field size. */
	flen = ((size_t)bits + 7) / 8;
	if ((st = get_b64(jwk, "x", flen, false, label, &x, &xlen, d)) !=
	    HC_OK)
		goto out;
	if ((st = get_b64(jwk, "y", flen, false, label, &y, &ylen, d)) !=
	    HC_OK)
		goto out;
	if (xlen != flen || ylen != flen) {
		st = hc_fail(d, HC_KEY, "%s coordinates are %zu and %zu bytes; "
		    "%s needs exactly %zu (RFC 7518 section 6.2.1.2)", label,
		    xlen, ylen, c, flen);
		goto out;
	}
	st = hc_crypto()->import_ec(bits, x, xlen, y, ylen, &key->bk, &bd);
	if (st != HC_OK) {
		st = backend_fail(st, &bd, label, d);
		goto out;
	}
	key->curve_bits = bits;
	key->bits = (unsigned)bits;
out:
	free(x);
	free(y);
	return st;
}

/*
 * RFC 8037 section 2: crv Ed25519 or Ed448 and x, the public key of
 * exactly the curve's length.  An ECDH curve (X25519, X448) is refused: it
 * is a key agreement key, never a signature key (section 3.2).
 */
static hc_status
import_okp(const hc_json *jwk, const char *label, hc_key *key, hc_detail *d)
{
	char q[HC_QBUF];
	const hc_json *crv = hc_json_get(jwk, "crv");
	const char *c = hc_json_string(crv), *why = NULL;
	const struct okp_curve *oc = NULL;
	unsigned char *x = NULL;
	hc_detail bd = { "" };
	size_t xlen;
	hc_status st;

	if (crv == NULL)
		return hc_fail(d, HC_KEY, "%s lacks member \"crv\"", label);
	if (c == NULL)
		return hc_fail(d, HC_KEY, "%s member \"crv\" is a %s, not a "
		    "string", label, hc_json_type_name(hc_json_type_of(crv)));
	for (size_t i = 0; i < sizeof(okp_curves) / sizeof(okp_curves[0]); i++)
		if (strcmp(okp_curves[i].name, c) == 0)
			oc = &okp_curves[i];
	if (oc == NULL)
		return hc_fail(d, HC_KEY, "%s has crv %s; Ed25519 and Ed448 "
		    "are the OKP curves that sign (RFC 8037)", label,
		    hc_quote(q, sizeof(q), c));
	if (!hc_alg_supported(HC_ALG_EDDSA, &why) ||
	    hc_crypto()->import_okp == NULL)
		return hc_fail(d, HC_KEY, "%s: %s", label, why != NULL ? why :
		    "this crypto backend has no EdDSA");
	if (key->alg != HC_ALG_UNKNOWN && hc_alg_curve(key->alg) != 0 &&
	    hc_alg_curve(key->alg) != oc->bits)
		return hc_fail(d, HC_KEY, "%s has alg %s, which does not use "
		    "curve %s", label, hc_alg_name(key->alg), c);
	if ((st = get_b64(jwk, "x", oc->len, false, label, &x, &xlen, d)) !=
	    HC_OK)
		return st;
	if (xlen != oc->len) {
		st = hc_fail(d, HC_KEY, "%s x is %zu bytes; %s needs exactly "
		    "%zu (RFC 8037 section 2)", label, xlen, c, oc->len);
		goto out;
	}
	st = hc_crypto()->import_okp(oc->bits, x, xlen, &key->bk, &bd);
	if (st != HC_OK) {
		st = backend_fail(st, &bd, label, d);
		goto out;
	}
	key->curve_bits = oc->bits;
	key->bits = (unsigned)oc->bits;
out:
	free(x);
	return st;
}

static hc_status
import_oct(const hc_json *jwk, const char *label, hc_key *key, hc_detail *d)
{
	unsigned char *k = NULL;
	hc_detail bd = { "" };
	size_t klen = 0;
	hc_status st;

	if ((st = get_b64(jwk, "k", HC_MAX_HMAC_BYTES, false, label, &k,
	    &klen, d)) != HC_OK)
		return st;
	/* RFC 7518 section 3.2: a key at least as long as the hash. */
	if (key->alg != HC_ALG_UNKNOWN && klen < hc_alg_hash_len(key->alg)) {
		st = hc_fail(d, HC_KEY, "%s is a %zu-byte secret; %s needs at "
		    "least %zu bytes (RFC 7518 section 3.2)", label, klen,
		    hc_alg_name(key->alg), hc_alg_hash_len(key->alg));
		goto out;
	}
	st = hc_crypto()->import_secret(k, klen, &key->bk, &bd);
	if (st != HC_OK) {
		st = backend_fail(st, &bd, label, d);
		goto out;
	}
	key->bits = (unsigned)(klen * 8);
out:
	hc_wipe(k, klen);
	free(k);
	return st;
}

/* ----------------------------------------------------------------- API */

hc_status
hc_key_from_jwk(const hc_json *jwk, bool allow_secret, hc_key **out,
    hc_detail *d)
{
	char q[HC_QBUF], label[HC_DETAIL_VALUE_MAX + 32];
	const hc_json *kidj, *ktyj, *algj;
	const char *kid = NULL, *kty;
	hc_key *key = NULL;
	hc_status st;

	*out = NULL;
	if (hc_json_type_of(jwk) != HC_JSON_OBJECT)
		return hc_fail(d, HC_KEY, "JWK is a %s, not an object",
		    hc_json_type_name(hc_json_type_of(jwk)));

	/* RFC 7517 section 4.5: kid is a case-sensitive string. */
	kidj = hc_json_get(jwk, "kid");
	if (kidj != NULL) {
		if ((kid = hc_json_string(kidj)) == NULL)
			return hc_fail(d, HC_KEY, "JWK member \"kid\" is a %s, "
			    "not a string",
			    hc_json_type_name(hc_json_type_of(kidj)));
		if (strlen(kid) > HC_MAX_KID_BYTES)
			return hc_fail(d, HC_KEY, "JWK kid %s is longer than "
			    "%d bytes", hc_quote(q, sizeof(q), kid),
			    HC_MAX_KID_BYTES);
	}
	jwk_label(label, sizeof(label), kid);

	if ((key = calloc(1, sizeof(*key))) == NULL)
		return hc_fail(d, HC_INTERNAL, "out of memory");
	if (kid != NULL && (key->kid = hc_strdup(kid)) == NULL) {
		st = hc_fail(d, HC_INTERNAL, "out of memory");
		goto fail;
	}

	/* RFC 7517 section 4.1: kty is required. */
	ktyj = hc_json_get(jwk, "kty");
	if (ktyj == NULL) {
		st = hc_fail(d, HC_KEY, "%s lacks member \"kty\"", label);
		goto fail;
	}
	if ((kty = hc_json_string(ktyj)) == NULL) {
		st = hc_fail(d, HC_KEY, "%s member \"kty\" is a %s, not a "
		    "string", label, hc_json_type_name(hc_json_type_of(ktyj)));
		goto fail;
	}
	if (strcmp(kty, "RSA") == 0)
		key->kty = HC_KTY_RSA;
	else if (strcmp(kty, "EC") == 0)
		key->kty = HC_KTY_EC;
	else if (strcmp(kty, "oct") == 0)
		key->kty = HC_KTY_OCT;
	else if (strcmp(kty, "OKP") == 0)
		key->kty = HC_KTY_OKP;
	else {
		st = hc_fail(d, HC_KEY, "%s has kty %s; RSA, EC, OKP and oct "
		    "are supported", label, hc_quote(q, sizeof(q), kty));
		goto fail;
	}

	if (key->kty == HC_KTY_OCT && !allow_secret) {
		st = hc_fail(d, HC_KEY, "%s is a secret (kty \"oct\") key; a "
		    "public key set may not hold one", label);
		goto fail;
	}
	if (key->kty != HC_KTY_OCT && !allow_secret &&
	    (st = check_no_private(jwk, label, d)) != HC_OK)
		goto fail;
	if ((st = check_usage(jwk, label, d)) != HC_OK)
		goto fail;

	/* RFC 7517 section 4.4: when present, the one algorithm of the key. */
	algj = hc_json_get(jwk, "alg");
	if (algj != NULL) {
		const char *a = hc_json_string(algj);

		if (a == NULL) {
			st = hc_fail(d, HC_KEY, "%s member \"alg\" is a %s, "
			    "not a string", label,
			    hc_json_type_name(hc_json_type_of(algj)));
			goto fail;
		}
		key->alg = hc_alg_from_name(a);
		if (key->alg == HC_ALG_UNKNOWN) {
			st = hc_fail(d, HC_KEY, "%s has alg %s, which is not a "
			    "JWS algorithm hopcheck verifies", label,
			    hc_quote(q, sizeof(q), a));
			goto fail;
		}
		if (hc_alg_kty(key->alg) != key->kty) {
			st = hc_fail(d, HC_KEY, "%s has alg %s, which cannot "
			    "be used with kty \"%s\"", label, a, kty);
			goto fail;
		}
	}

	switch (key->kty) {
	case HC_KTY_RSA:
		st = import_rsa(jwk, label, key, d);
		break;
	case HC_KTY_EC:
		st = import_ec(jwk, label, key, d);
		break;
	case HC_KTY_OCT:
		st = import_oct(jwk, label, key, d);
		break;
	case HC_KTY_OKP:
		st = import_okp(jwk, label, key, d);
		break;
	default:
		st = hc_fail(d, HC_INTERNAL, "unreachable key type");
		break;
	}
	if (st != HC_OK)
		goto fail;
	*out = key;
	return HC_OK;

fail:
	hc_key_free(key);
	return st;
}

hc_status
hc_key_from_secret(const unsigned char *k, size_t klen, hc_key **out,
    hc_detail *d)
{
	hc_key *key;
	hc_status st;

	*out = NULL;
	if ((key = calloc(1, sizeof(*key))) == NULL)
		return hc_fail(d, HC_INTERNAL, "out of memory");
	key->kty = HC_KTY_OCT;
	key->alg = HC_ALG_UNKNOWN;
	if ((st = hc_crypto()->import_secret(k, klen, &key->bk, d)) != HC_OK) {
		free(key);
		return st;
	}
	key->bits = (unsigned)(klen * 8);
	*out = key;
	return HC_OK;
}

void
hc_key_free(hc_key *key)
{
	if (key == NULL)
		return;
	hc_crypto()->key_free(key->bk);
	free(key->kid);
	free(key);
}

/*
 * The algorithm-to-key binding (RFC 8725 section 3.1, RFC 7518 section
 * 3): the token's alg must need exactly this key's type and curve, equal
 * the key's own alg when it has one, and, for HMAC, not ask for a longer
 * hash than the secret (RFC 7518 section 3.2).  Everything that fails here
 * is HC_ALG, with the token alg and the key named.
 */
hc_status
hc_key_allows(const hc_key *key, hc_alg alg, hc_detail *d)
{
	char kd[HC_DETAIL_MAX / 2];

	if (key == NULL)
		return hc_fail(d, HC_ALG, "no key for alg %s",
		    hc_alg_name(alg));
	if (alg_info(alg) == NULL)
		return hc_fail(d, HC_ALG, "alg is not one hopcheck verifies");
	key_desc(key, kd, sizeof(kd));
	if (hc_alg_kty(alg) != key->kty)
		return hc_fail(d, HC_ALG, "token alg %s needs a%s %s key, not "
		    "the %s", hc_alg_name(alg),
		    hc_alg_kty(alg) == HC_KTY_OCT ? "" : "n",
		    hc_alg_kty(alg) == HC_KTY_OCT ? "secret (oct)" :
		    kty_name(hc_alg_kty(alg)), kd);
	if (key->kty == HC_KTY_EC && hc_alg_curve(alg) != key->curve_bits)
		return hc_fail(d, HC_ALG, "token alg %s needs curve P-%d, not "
		    "the %s", hc_alg_name(alg), hc_alg_curve(alg), kd);
	/* RFC 9864: Ed25519 and Ed448 name their curve; EdDSA takes either. */
	if (key->kty == HC_KTY_OKP && hc_alg_curve(alg) != 0 &&
	    hc_alg_curve(alg) != key->curve_bits)
		return hc_fail(d, HC_ALG, "token alg %s needs curve %s, not "
		    "the %s", hc_alg_name(alg), hc_alg_name(alg), kd);
	if (key->alg != HC_ALG_UNKNOWN && key->alg != alg)
		return hc_fail(d, HC_ALG, "token alg %s differs from the alg "
		    "of the %s", hc_alg_name(alg), kd);
	if (key->kty == HC_KTY_RSA && key->bits < HC_MIN_RSA_BITS)
		return hc_fail(d, HC_ALG, "token alg %s: the %s is under %d "
		    "bits", hc_alg_name(alg), kd, HC_MIN_RSA_BITS);
	if (key->kty == HC_KTY_OCT && key->bits / 8 < hc_alg_hash_len(alg))
		return hc_fail(d, HC_ALG, "token alg %s needs a secret of at "
		    "least %zu bytes, not the %s (RFC 7518 section 3.2)",
		    hc_alg_name(alg), hc_alg_hash_len(alg), kd);
	return HC_OK;
}

/*
 * The signature length alg and key call for: the full MAC, the modulus
 * length, R || S of twice the field size, or R || S of EdDSA (RFC 8032
 * sections 5.1.6 and 5.2.6: twice the public key length).
 */
static size_t
expected_sig_len(const hc_key *key, hc_alg alg)
{
	switch (key->kty) {
	case HC_KTY_OCT:
		return hc_alg_hash_len(alg);
	case HC_KTY_RSA:
		return ((size_t)key->bits + 7) / 8;
	case HC_KTY_EC:
		return 2 * (((size_t)key->curve_bits + 7) / 8);
	case HC_KTY_OKP:
		return okp_curve(key->curve_bits) != NULL ?
		    2 * okp_curve(key->curve_bits)->len : 0;
	}
	return 0;
}

hc_status
hc_key_verify(const hc_key *key, hc_alg alg, const unsigned char *msg,
    size_t msglen, const unsigned char *sig, size_t siglen, hc_detail *d)
{
	char kd[HC_DETAIL_MAX / 2];
	size_t want;
	hc_status st;

	if ((st = hc_key_allows(key, alg, d)) != HC_OK)
		return st;
	want = expected_sig_len(key, alg);
	if (siglen != want)
		return hc_fail(d, HC_SIGNATURE, "%s signature is %zu bytes; "
		    "%zu expected%s", hc_alg_name(alg), siglen, want,
		    key->kty == HC_KTY_EC ? " (raw R || S, RFC 7518 section "
		    "3.4, not DER)" : "");
	st = hc_crypto()->verify(alg, key->bk, msg, msglen, sig, siglen);
	switch (st) {
	case HC_OK:
		return HC_OK;
	case HC_INTERNAL:
		return hc_fail(d, HC_INTERNAL, "out of memory verifying a %s "
		    "signature", hc_alg_name(alg));
	default:
		return hc_fail(d, HC_SIGNATURE, "%s signature does not verify "
		    "with the %s", hc_alg_name(alg),
		    key_desc(key, kd, sizeof(kd)));
	}
}

/* ------------------------------------------------- RFC 7638 thumbprints */

/*
 * RFC 7638 section 3.2: the required members of each kty, already in
 * lexicographic order of their names.
 */
static const struct tp_members {
	const char *kty;
	const char *const members[4];
} tp_table[] = {
	{ "EC", { "crv", "kty", "x", "y" } },
	{ "RSA", { "e", "kty", "n", NULL } },
	{ "OKP", { "crv", "kty", "x", NULL } },   /* RFC 8037 section 2 */
	{ "oct", { "k", "kty", NULL, NULL } },
};

/*
 * Whether a member value can be written between quotes as it is: the
 * values of required members are base64url or names, and a byte that JSON
 * would escape makes the canonical form ambiguous, so it is refused.
 */
static bool
tp_plain(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f ||
		    *s == '"' || *s == '\\')
			return false;
	return true;
}

hc_status
hc_jwk_thumbprint(const hc_json *jwk, char *out, hc_detail *d)
{
	char q[HC_QBUF];
	const struct tp_members *t = NULL;
	const char *kty = hc_json_string(hc_json_get(jwk, "kty"));
	unsigned char digest[HC_JKT_BYTES];
	char *buf;
	size_t cap = 2, o = 0;

	out[0] = '\0';
	if (kty == NULL)
		return hc_fail(d, HC_KEY, "JWK has no string kty to compute an "
		    "RFC 7638 thumbprint of");
	for (size_t i = 0; i < sizeof(tp_table) / sizeof(tp_table[0]); i++)
		if (strcmp(tp_table[i].kty, kty) == 0)
			t = &tp_table[i];
	if (t == NULL)
		return hc_fail(d, HC_KEY, "JWK kty %s has no RFC 7638 thumbprint "
		    "members", hc_quote(q, sizeof(q), kty));
	for (size_t i = 0; i < 4 && t->members[i] != NULL; i++) {
		const char *v = hc_json_string(hc_json_get(jwk,
		    t->members[i]));

		if (v == NULL || !tp_plain(v))
			return hc_fail(d, HC_KEY, "JWK member \"%s\" is missing, "
			    "not a string, or not plain ASCII (RFC 7638 section "
			    "3.2)", t->members[i]);
		cap += strlen(t->members[i]) + strlen(v) + 6;
	}
	if ((buf = malloc(cap + 1)) == NULL)
		return hc_fail(d, HC_INTERNAL, "out of memory");
	buf[o++] = '{';
	for (size_t i = 0; i < 4 && t->members[i] != NULL; i++) {
		const char *v = hc_json_string(hc_json_get(jwk,
		    t->members[i]));
		int n = snprintf(buf + o, cap + 1 - o, "%s\"%s\":\"%s\"",
		    i > 0 ? "," : "", t->members[i], v);

		if (n < 0 || (size_t)n >= cap + 1 - o) {
			free(buf);
			return hc_fail(d, HC_INTERNAL, "thumbprint input "
			    "overflow");
		}
		o += (size_t)n;
	}
	buf[o++] = '}';
	hc_crypto()->sha256((const unsigned char *)buf, o, digest);
	free(buf);
	hc_b64url_encode(digest, sizeof(digest), out);
	return HC_OK;
}
