/* SPDX-License-Identifier: Apache-2.0 */
/*
 * keyset.c - an issuer's set of verification keys: JWKS parsing, kid
 * lookup, and the reference count that lets a refresh swap a whole set.
 *
 * A set is built once and never modified.  Whoever holds a reference may
 * use it from any thread; a refresh builds a new set and drops its
 * reference to the old one, and the last holder frees it.  Lookup follows
 * RFC 7515 section 6: with a kid, only the key of that exact kid (bytes,
 * no normalisation) is tried; without one, a key is used only when it is
 * the single key of the set that may verify the token's alg, so that the
 * choice never depends on the order of the keys in the document.
 *
 * A set is refused as a whole when something about it is wrong (duplicate
 * kid, secret and public keys mixed, a malformed key): a partly understood
 * set is how keys get confused.  A well-formed key the validator will not
 * use (an unknown kty, crv or alg, a `use` other than "sig", a private
 * member, RSA under 2048 bits, ...; RFC 7517 sections 4.2 and 5) is
 * skipped, and the set remembers it with the reason: a token naming its
 * kid is told why, and a set with nothing left names every one.
 *
 * A SPIFFE bundle (SPIFFE Trust Domain and Bundle, section 4) is a JWKS
 * too, read by the same code with the bundle's rules: only entries of the
 * `use` asked for are keys of the set ("jwt-svid": JWT-SVID keys, JWT-SVID
 * section 6; "wit-svid": the keys that sign WIT-SVIDs), every other entry
 * is ignored (bundle section 4.2.2), each key must have a kid, and a
 * bundle with no such key is a valid, empty set.
 *
 * A slot holds an owner's current set under a mutex, so that a refresh
 * can replace it while validations keep the reference they took.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "keyset.h"

/* ------------------------------------------------------------- private */

/* Which document a set comes from. */
enum set_kind {
	SET_JWKS,                /* a JWKS of an issuer (RFC 7517 section 5) */
	SET_BUNDLE               /* a SPIFFE bundle, for its JWT-SVID keys */
};

/*
 * Records that keys[idx] of the document is skipped, and why (a printf
 * format): its kid, when it has a string one of at most HC_MAX_KID_BYTES,
 * its index and the reason.  Returns false only when out of memory.
 */
static bool skip(hc_keyset *ks, const hc_json *jwk, size_t idx,
    const char *fmt, ...) HC_PRINTF(4, 5);

static bool
skip(hc_keyset *ks, const hc_json *jwk, size_t idx, const char *fmt, ...)
{
	const char *kid = hc_json_string(hc_json_get(jwk, "kid"));
	hc_skipped_key *sk = &ks->skipped[ks->nskipped];
	char why[HC_DETAIL_MAX];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	sk->index = idx;
	sk->kid = NULL;
	if ((sk->reason = hc_strdup(why)) == NULL)
		return false;
	if (kid != NULL && strlen(kid) <= HC_MAX_KID_BYTES &&
	    (sk->kid = hc_strdup(kid)) == NULL) {
		free(sk->reason);
		return false;
	}
	ks->nskipped++;
	return true;
}

static bool
known_kty(const char *kty)
{
	return strcmp(kty, "RSA") == 0 || strcmp(kty, "EC") == 0 ||
	    strcmp(kty, "oct") == 0 || strcmp(kty, "OKP") == 0;
}

/*
 * The size in bits of the RSA modulus `n` of a JWK, or 0 when it is not
 * canonical base64url of at most HC_MAX_RSA_BITS (the import says why).
 */
static unsigned
rsa_bits(const hc_json *jwk)
{
	unsigned char buf[HC_MAX_RSA_BITS / 8 + 1];
	const char *n = hc_json_string(hc_json_get(jwk, "n"));
	size_t len = 0;
	unsigned bits;

	if (n == NULL || strlen(n) > HC_B64URL_ENCODED_LEN(sizeof(buf) - 1) ||
	    hc_b64url_decode(n, strlen(n), buf, sizeof(buf), &len) != 0 ||
	    len == 0 || buf[0] == 0)
		return 0;
	bits = (unsigned)(len - 1) * 8;
	for (unsigned char b = buf[0]; b != 0; b >>= 1)
		bits++;
	return bits;
}

/* The SVID kind a bundle `use` is for, as details name it. */
static const char *
svid_name(const char *use)
{
	return strcmp(use, HC_BUNDLE_USE_JWT_SVID) == 0 ? "JWT-SVID" :
	    strcmp(use, HC_BUNDLE_USE_WIT_SVID) == 0 ? "WIT-SVID" : use;
}

/*
 * Why a well-formed key of the document is one the validator will not
 * use, written into why[n]; NULL when it is usable.  Skipped, as RFC 7517
 * section 5 asks of keys a reader does not understand, rather than
 * refusing the set: real providers publish such keys next to the ones
 * that matter, and a set refused whole takes those down too.
 *
 *  - In a JWKS: a kty we do not know, a `use` other than "sig" (section
 *    4.2).  In a bundle: a missing or unknown kty (bundle section 4.2.1),
 *    a `use` other than the one asked for (section 4.2.2), an OKP key
 *    (JWT-SVID section 3 names RS*, ES* and PS* only, and so do
 *    WIT-SVIDs).
 *  - `key_ops` without "verify" (section 4.3); a private member (d, p,
 *    ...) in a public set, which must not be trusted as published;
 *  - an `alg` that is no JWS algorithm of ours (ES256K, RSA-OAEP, ...),
 *    an EC curve other than P-256, P-384 and P-521, an OKP curve other
 *    than Ed25519 and Ed448 (X25519 and X448 are ECDH keys, RFC 8037
 *    section 3.2), an Ed25519 / Ed448 key on a backend without EdDSA;
 *  - an RSA modulus under HC_MIN_RSA_BITS.
 *
 * Anything else, including members of the wrong JSON type and a known
 * algorithm that does not fit the key, goes on to hc_key_from_jwk(),
 * which refuses it and with it the set.
 */
static const char *
skip_reason(enum set_kind kind, const char *want_use, const hc_json *jwk,
    bool allow_secret, char *why, size_t n)
{
	static const char *const private_members[] = {
		"d", "p", "q", "dp", "dq", "qi", "oth"
	};
	char q[HC_QBUF];
	const char *kty = hc_json_string(hc_json_get(jwk, "kty"));
	const char *use = hc_json_string(hc_json_get(jwk, "use"));
	const char *alg = hc_json_string(hc_json_get(jwk, "alg"));
	const char *crv = hc_json_string(hc_json_get(jwk, "crv"));
	const hc_json *ops = hc_json_get(jwk, "key_ops");
	const char *bwhy = NULL;
	unsigned bits;

#define WHY(...) ((void)snprintf(why, n, __VA_ARGS__), why)
	if (kind == SET_BUNDLE) {
		if (kty == NULL || !known_kty(kty))
			return WHY("kty %s", kty != NULL ?
			    hc_quote(q, sizeof(q), kty) : "\"(missing)\"");
		if (use == NULL || strcmp(use, want_use) != 0)
			return WHY("use %s", use != NULL ?
			    hc_quote(q, sizeof(q), use) : "\"(missing)\"");
		if (strcmp(kty, "OKP") == 0)
			return WHY("kty (no EdDSA in %s) \"OKP\"",
			    svid_name(want_use));
	} else {
		if (kty != NULL && !known_kty(kty))
			return WHY("unsupported kty %s",
			    hc_quote(q, sizeof(q), kty));
		if (use != NULL && strcmp(use, "sig") != 0)
			return WHY("use %s", hc_quote(q, sizeof(q), use));
	}
	if (hc_json_type_of(ops) == HC_JSON_ARRAY) {
		bool verify = false, strings = true;

		for (const hc_json *o = hc_json_first(ops); o != NULL;
		    o = hc_json_next(o)) {
			const char *op = hc_json_string(o);

			if (op == NULL)
				strings = false;
			else if (strcmp(op, "verify") == 0)
				verify = true;
		}
		if (strings && !verify)
			return WHY("key_ops without \"verify\"");
	}
	if (!allow_secret && kty != NULL && strcmp(kty, "oct") != 0) {
		for (size_t i = 0; i < sizeof(private_members) /
		    sizeof(private_members[0]); i++)
			if (hc_json_get(jwk, private_members[i]) != NULL)
				return WHY("private key member \"%s\" in a "
				    "public key set", private_members[i]);
	}
	if (alg != NULL && hc_alg_from_name(alg) == HC_ALG_UNKNOWN)
		return WHY("unsupported alg %s", hc_quote(q, sizeof(q), alg));
	if (kty != NULL && strcmp(kty, "EC") == 0 && crv != NULL &&
	    strcmp(crv, "P-256") != 0 && strcmp(crv, "P-384") != 0 &&
	    strcmp(crv, "P-521") != 0)
		return WHY("unsupported crv %s", hc_quote(q, sizeof(q), crv));
	if (kty != NULL && strcmp(kty, "OKP") == 0) {
		if (crv != NULL && (strcmp(crv, "X25519") == 0 ||
		    strcmp(crv, "X448") == 0))
			return WHY("crv %s is for key agreement, not "
			    "signatures (RFC 8037 section 3.2)",
			    hc_quote(q, sizeof(q), crv));
		if (crv == NULL || (strcmp(crv, "Ed25519") != 0 &&
		    strcmp(crv, "Ed448") != 0))
			return WHY("unsupported crv %s", crv != NULL ?
			    hc_quote(q, sizeof(q), crv) : "\"(missing)\"");
		if (!hc_alg_supported(HC_ALG_EDDSA, &bwhy))
			return WHY("%s; crv %s", bwhy,
			    hc_quote(q, sizeof(q), crv));
	}
	if (kty != NULL && strcmp(kty, "RSA") == 0 &&
	    (bits = rsa_bits(jwk)) != 0 && bits < HC_MIN_RSA_BITS)
		return WHY("RSA key of %u bits, under %d", bits,
		    HC_MIN_RSA_BITS);
#undef WHY
	return NULL;
}

/*
 * Imports a bundle's entry of `use` (`jwt-svid`, `wit-svid`).  Its `use`
 * has been checked by the caller; the key is imported from a copy without
 * it, as a public signature key, after checking that it has the kid
 * JWT-SVID section 6.1 requires (and a WIT-SVID names its key too).
 */
static hc_status
import_bundle_key(const char *use, const hc_json *jwk, hc_key **out,
    hc_detail *d)
{
	hc_json *copy;
	size_t members = 0;
	hc_status st;

	*out = NULL;
	if (hc_json_string(hc_json_get(jwk, "kid")) == NULL)
		return hc_fail(d, HC_KEY, "a \"%s\" key has no string "
		    "kid (%s)", use, strcmp(use, HC_BUNDLE_USE_JWT_SVID) == 0 ?
		    "JWT-SVID section 6.1" : "a WIT-SVID names its key");
	if ((copy = hc_json_new_object()) == NULL)
		return hc_fail(d, HC_INTERNAL, "out of memory");
	for (const hc_json *m = hc_json_first(jwk); m != NULL;
	    m = hc_json_next(m)) {
		if (strcmp(hc_json_name(m), "use") == 0)
			continue;
		hc_json_add(copy, hc_json_name(m), hc_json_dup(m));
		members++;
	}
	/* A member lost to a failed allocation would change the key. */
	if (hc_json_count(copy) != members)
		st = hc_fail(d, HC_INTERNAL, "out of memory");
	else
		st = hc_key_from_jwk(copy, false, out, d);
	hc_json_free(copy);
	return st;
}

/*
 * Bundle section 4.1: spiffe_sequence and spiffe_refresh_hint, when
 * present, are non-negative integers.
 */
static hc_status
check_bundle_member(const hc_json *root, const char *name, const char *what,
    hc_detail *d)
{
	const hc_json *m = hc_json_get(root, name);
	double v;

	if (m == NULL)
		return HC_OK;
	/* Range first: converting an out-of-range double is undefined. */
	if (!hc_json_number(m, &v) || !(v >= 0 && v <= 9007199254740992.0) ||
	    v != (double)(int64_t)v)
		return hc_fail(d, HC_KEY, "%s member \"%s\" is not a "
		    "non-negative integer", what, name);
	return HC_OK;
}

static void
keyset_free(hc_keyset *ks)
{
	if (ks == NULL)
		return;
	for (size_t i = 0; i < ks->nkeys; i++)
		hc_key_free(ks->keys[i]);
	for (size_t i = 0; i < ks->nskipped; i++) {
		free(ks->skipped[i].kid);
		free(ks->skipped[i].reason);
	}
	free(ks->keys);
	free(ks->skipped);
	free(ks);
}

/*
 * The parser behind hc_keyset_parse() and hc_bundle_parse_use(); `what`
 * names the document in details ("JWKS", or the bundle and its trust
 * domain), `use` the bundle entries wanted (NULL for a JWKS).
 */
static hc_status
parse_set(enum set_kind kind, const char *use, const char *json, size_t len,
    bool allow_secret, const char *what, hc_keyset **out,
    const char **failure, hc_detail *d)
{
	char q[HC_QBUF], why[HC_DETAIL_MAX];
	const hc_json *keys;
	hc_json *root = NULL;
	hc_keyset *ks = NULL;
	hc_detail jd = { "" };
	bool secret = false, public = false;
	size_t n, idx = 0;
	hc_status st;

	*out = NULL;
	if (failure != NULL)
		*failure = HC_KEYSET_FAIL_INVALID;
	if (hc_json_parse(json, len, &root, &jd) != HC_OK) {
		if (failure != NULL)
			*failure = HC_KEYSET_FAIL_JSON;
		return hc_fail(d, HC_KEY, "%s is not valid: %s", what, jd.text);
	}
	if (hc_json_type_of(root) != HC_JSON_OBJECT) {
		st = hc_fail(d, HC_KEY, "%s is a %s, not an object", what,
		    hc_json_type_name(hc_json_type_of(root)));
		goto fail;
	}
	/* RFC 7517 section 5.1, bundle 4.1.3: "keys" is required, an array. */
	keys = hc_json_get(root, "keys");
	if (keys == NULL) {
		st = hc_fail(d, HC_KEY, "%s lacks member \"keys\"", what);
		goto fail;
	}
	if (hc_json_type_of(keys) != HC_JSON_ARRAY) {
		st = hc_fail(d, HC_KEY, "%s member \"keys\" is a %s, not an "
		    "array", what, hc_json_type_name(hc_json_type_of(keys)));
		goto fail;
	}
	n = hc_json_count(keys);
	if (n > HC_MAX_KEYS_PER_SET) {
		st = hc_fail(d, HC_KEY, "%s has %zu keys, more than the limit "
		    "of %d", what, n, HC_MAX_KEYS_PER_SET);
		goto fail;
	}
	if (kind == SET_BUNDLE &&
	    ((st = check_bundle_member(root, "spiffe_sequence", what, d)) !=
	    HC_OK || (st = check_bundle_member(root, "spiffe_refresh_hint",
	    what, d)) != HC_OK))
		goto fail;
	if ((ks = calloc(1, sizeof(*ks))) == NULL ||
	    (ks->keys = calloc(n > 0 ? n : 1, sizeof(*ks->keys))) == NULL ||
	    (ks->skipped = calloc(n > 0 ? n : 1, sizeof(*ks->skipped))) ==
	    NULL) {
		st = hc_fail(d, HC_INTERNAL, "out of memory");
		goto fail;
	}

	for (const hc_json *e = hc_json_first(keys); e != NULL;
	    e = hc_json_next(e), idx++) {
		hc_detail kd = { "" };
		hc_key *key;

		if (hc_json_type_of(e) != HC_JSON_OBJECT) {
			st = hc_fail(d, HC_KEY, "%s keys[%zu] is a %s, not an "
			    "object", what, idx,
			    hc_json_type_name(hc_json_type_of(e)));
			goto fail;
		}
		if (skip_reason(kind, use, e, allow_secret, why,
		    sizeof(why)) != NULL) {
			if (!skip(ks, e, idx, "%s", why)) {
				st = hc_fail(d, HC_INTERNAL, "out of memory");
				goto fail;
			}
			continue;
		}
		if (kind == SET_BUNDLE)
			st = import_bundle_key(use, e, &key, &kd);
		else
			st = hc_key_from_jwk(e, allow_secret, &key, &kd);
		if (st != HC_OK) {
			st = hc_fail(d, st, "%s keys[%zu]: %s", what, idx,
			    kd.text);
			goto fail;
		}
		ks->keys[ks->nkeys++] = key;
		/* RFC 7517 section 4.5: kids in a set should be distinct. */
		for (size_t j = 0; key->kid != NULL && j + 1 < ks->nkeys; j++) {
			const hc_key *o = ks->keys[j];

			if (o->kid != NULL && strcmp(o->kid, key->kid) == 0) {
				st = hc_fail(d, HC_KEY, "%s keys[%zu] repeats "
				    "kid %s of an earlier key", what, idx,
				    hc_quote(q, sizeof(q), key->kid));
				goto fail;
			}
		}
		if (key->kty == HC_KTY_OCT)
			secret = true;
		else
			public = true;
		if (secret && public) {
			st = hc_fail(d, HC_KEY, "%s mixes secret (oct) and "
			    "public keys (keys[%zu])", what, idx);
			goto fail;
		}
	}
	/* Bundle section 4.1.3: no key makes every SVID invalid, not the
	 * bundle; a JWKS without a key is of no use to anyone. */
	if (ks->nkeys == 0 && kind == SET_JWKS) {
		char notes[HC_DETAIL_MAX];

		hc_keyset_skipped_text(ks, notes, sizeof(notes));
		if (failure != NULL)
			*failure = HC_KEYSET_FAIL_NO_KEY;
		st = hc_fail(d, HC_KEY, "%s has no usable key: %s", what,
		    n == 0 ? "\"keys\" is empty" : notes);
		goto fail;
	}
	ks->refs = 1;
	ks->loaded_at = (int64_t)time(NULL);
	hc_json_free(root);
	if (failure != NULL)
		*failure = NULL;
	*out = ks;
	return HC_OK;

fail:
	keyset_free(ks);
	hc_json_free(root);
	return st;
}

/* ----------------------------------------------------------------- API */

hc_status
hc_keyset_parse(const char *json, size_t len, bool allow_secret,
    hc_keyset **out, hc_detail *d)
{
	return parse_set(SET_JWKS, NULL, json, len, allow_secret, "JWKS", out,
	    NULL, d);
}

hc_status
hc_keyset_parse_why(const char *json, size_t len, bool allow_secret,
    hc_keyset **out, const char **failure, hc_detail *d)
{
	return parse_set(SET_JWKS, NULL, json, len, allow_secret, "JWKS", out,
	    failure, d);
}

hc_status
hc_bundle_parse(const char *json, size_t len, const char *trust_domain,
    hc_keyset **out, hc_detail *d)
{
	return hc_bundle_parse_use(json, len, trust_domain,
	    HC_BUNDLE_USE_JWT_SVID, out, d);
}

hc_status
hc_bundle_parse_use(const char *json, size_t len, const char *trust_domain,
    const char *use, hc_keyset **out, hc_detail *d)
{
	char q[HC_QBUF], what[HC_DETAIL_VALUE_MAX + 64];

	(void)snprintf(what, sizeof(what), "SPIFFE bundle of %s",
	    hc_quote(q, sizeof(q), trust_domain != NULL ? trust_domain :
	    "(unnamed trust domain)"));
	return parse_set(SET_BUNDLE, use, json, len, false, what, out, NULL,
	    d);
}

/*
 * Each note reads `keys[1] (kid "old") skipped: why`; notes past the end
 * of buf are dropped whole, with "..." to say so.
 */
const char *
hc_keyset_skipped_text(const hc_keyset *ks, char *buf, size_t n)
{
	char q[HC_QBUF], kid[HC_QBUF + 8];
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; ks != NULL && i < ks->nskipped; i++) {
		const hc_skipped_key *sk = &ks->skipped[i];
		int w;

		if (sk->kid != NULL)
			(void)snprintf(kid, sizeof(kid), " (kid %s)",
			    hc_quote(q, sizeof(q), sk->kid));
		else
			kid[0] = '\0';
		w = snprintf(buf + used, n - used, "%skeys[%zu]%s skipped: %s",
		    used > 0 ? "; " : "", sk->index, kid, sk->reason);
		if (w < 0 || (size_t)w >= n - used) {
			const char *more = used > 0 ? "; ..." : "...";
			size_t ml = strlen(more) + 1;      /* with its NUL */

			buf[used] = '\0';
			if (ml <= n - used)
				(void)memcpy(buf + used, more, ml);
			break;
		}
		used += (size_t)w;
	}
	return buf;
}

/*
 * Wraps one key in a set.  The set owns the key from the call on: on
 * failure (out of memory) the key is freed as well.
 */
hc_status
hc_keyset_single(hc_key *key, hc_keyset **out)
{
	hc_keyset *ks;

	*out = NULL;
	if (key == NULL)
		return HC_INTERNAL;
	if ((ks = calloc(1, sizeof(*ks))) == NULL ||
	    (ks->keys = calloc(1, sizeof(*ks->keys))) == NULL) {
		free(ks);
		hc_key_free(key);
		return HC_INTERNAL;
	}
	ks->keys[0] = key;
	ks->nkeys = 1;
	ks->refs = 1;
	ks->loaded_at = (int64_t)time(NULL);
	*out = ks;
	return HC_OK;
}

void
hc_keyset_ref(hc_keyset *ks)
{
	if (ks != NULL)
		(void)__atomic_fetch_add(&ks->refs, 1, __ATOMIC_RELAXED);
}

/*
 * Drops a reference; the last one frees the set.  The release/acquire
 * pair makes every use of the set by other holders happen before the free.
 */
void
hc_keyset_unref(hc_keyset *ks)
{
	if (ks == NULL)
		return;
	if (__atomic_sub_fetch(&ks->refs, 1, __ATOMIC_ACQ_REL) == 0)
		keyset_free(ks);
}

hc_status
hc_keyset_find(const hc_keyset *ks, const char *kid, hc_alg alg,
    const hc_key **out, hc_detail *d)
{
	return hc_keyset_find_in(ks, NULL, kid, alg, out, d);
}

hc_status
hc_keyset_find_in(const hc_keyset *ks, const char *set_name, const char *kid,
    hc_alg alg, const hc_key **out, hc_detail *d)
{
	char q[HC_QBUF];
	const hc_key *found = NULL;
	size_t matches = 0;

	*out = NULL;
	if (ks == NULL || (ks->nkeys == 0 && kid == NULL))
		return hc_fail(d, HC_KEY, "%s is empty", set_name != NULL ?
		    set_name : "the key set");
	if (kid != NULL) {
		if (strlen(kid) > HC_MAX_KID_BYTES)
			return hc_fail(d, HC_KEY, "token kid is longer than %d "
			    "bytes and matches no key", HC_MAX_KID_BYTES);
		for (size_t i = 0; i < ks->nkeys; i++) {
			const hc_key *k = ks->keys[i];

			if (k->kid != NULL && strcmp(k->kid, kid) == 0) {
				hc_status st = hc_key_allows(k, alg, d);

				if (st != HC_OK)
					return st;
				*out = k;
				return HC_OK;
			}
		}
		/* A key we would not use says why, not "no such kid". */
		for (size_t i = 0; i < ks->nskipped; i++) {
			const hc_skipped_key *sk = &ks->skipped[i];

			if (sk->kid != NULL && strcmp(sk->kid, kid) == 0)
				return hc_fail(d, HC_KEY, "kid %s was skipped: "
				    "%s", hc_quote(q, sizeof(q), kid),
				    sk->reason);
		}
		if (ks->nkeys == 0)
			return hc_fail(d, HC_KEY, "%s is empty", set_name !=
			    NULL ? set_name : "the key set");
		if (set_name != NULL)
			return hc_fail(d, HC_KEY, "no key has kid %s in %s (%zu "
			    "key%s)", hc_quote(q, sizeof(q), kid), set_name,
			    ks->nkeys, ks->nkeys == 1 ? "" : "s");
		return hc_fail(d, HC_KEY, "no key has kid %s (%zu key%s in the "
		    "set)", hc_quote(q, sizeof(q), kid), ks->nkeys,
		    ks->nkeys == 1 ? "" : "s");
	}
	for (size_t i = 0; i < ks->nkeys; i++) {
		if (hc_key_allows(ks->keys[i], alg, NULL) == HC_OK) {
			found = ks->keys[i];
			matches++;
		}
	}
	if (matches == 0)
		return hc_fail(d, HC_KEY, "token has no kid and no key of the "
		    "issuer can verify %s", hc_alg_name(alg));
	if (matches > 1)
		return hc_fail(d, HC_KEY, "token has no kid and %zu keys of "
		    "the issuer could verify %s", matches, hc_alg_name(alg));
	*out = found;
	return HC_OK;
}

/* ---------------------------------------------------------------- slots */

void
hc_keyslot_init(hc_keyslot *slot)
{
	pthread_mutex_init(&slot->lock, NULL);
	slot->set = NULL;
}

void
hc_keyslot_destroy(hc_keyslot *slot)
{
	hc_keyset_unref(slot->set);
	slot->set = NULL;
	pthread_mutex_destroy(&slot->lock);
}

/*
 * The reference is taken under the lock: a swap between reading the
 * pointer and counting the reference could otherwise free the set.
 */
hc_keyset *
hc_keyslot_get(hc_keyslot *slot)
{
	hc_keyset *ks;

	pthread_mutex_lock(&slot->lock);
	if ((ks = slot->set) != NULL)
		hc_keyset_ref(ks);
	pthread_mutex_unlock(&slot->lock);
	return ks;
}

/*
 * The old set is released outside the lock: freeing a large set must not
 * hold up validations that want the new one.
 */
void
hc_keyslot_swap(hc_keyslot *slot, hc_keyset *ks)
{
	hc_keyset *old;

	pthread_mutex_lock(&slot->lock);
	old = slot->set;
	slot->set = ks;
	pthread_mutex_unlock(&slot->lock);
	hc_keyset_unref(old);
}

bool
hc_keyslot_holds(hc_keyslot *slot, const hc_keyset *ks)
{
	bool cur;

	pthread_mutex_lock(&slot->lock);
	cur = slot->set == ks;
	pthread_mutex_unlock(&slot->lock);
	return cur;
}
