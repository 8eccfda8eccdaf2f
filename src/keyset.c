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
 * kid, secret and public keys mixed, a private member in a public key, a
 * malformed key): a partly understood set is how keys get confused.  Keys
 * we are told to ignore (an unknown kty, a `use` other than "sig"; RFC 7517
 * sections 4.2 and 5) are skipped, and named only when nothing is left.
 *
 * A SPIFFE bundle (SPIFFE Trust Domain and Bundle, section 4) is a JWKS
 * too, read by the same code with the bundle's rules: only entries with
 * `use` "jwt-svid" are JWT-SVID keys (JWT-SVID section 6), every other
 * entry is ignored (bundle section 4.2.2), each key must have a kid, and
 * a bundle with no such key is a valid, empty set.
 *
 * A slot holds an owner's current set under a mutex, so that a refresh
 * can replace it while validations keep the reference they took.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "keyset.h"

/* ------------------------------------------------------------- private */

/*
 * Appends a note about a skipped key to `notes` (capacity n), keeping the
 * text bounded: once full, further notes are dropped.
 */
static void
note_skip(char *notes, size_t n, size_t idx, const char *why,
    const char *value)
{
	char q[HC_QBUF];
	size_t used = strlen(notes);

	if (used + 1 >= n)
		return;
	(void)snprintf(notes + used, n - used, "%skeys[%zu] skipped: %s %s",
	    used > 0 ? "; " : "", idx, why, hc_quote(q, sizeof(q), value));
}

/* Which document a set comes from. */
enum set_kind {
	SET_JWKS,                /* a JWKS of an issuer (RFC 7517 section 5) */
	SET_BUNDLE               /* a SPIFFE bundle, for its JWT-SVID keys */
};

static bool
known_kty(const char *kty)
{
	return strcmp(kty, "RSA") == 0 || strcmp(kty, "EC") == 0 ||
	    strcmp(kty, "oct") == 0 || strcmp(kty, "OKP") == 0;
}

/*
 * Whether a key of a known type is of a variant hopcheck does not verify
 * with: an `alg` string that is no JWS algorithm of ours (ES256K,
 * RSA-OAEP, ...), an EC curve other than P-256, P-384 and P-521, an OKP
 * curve other than Ed25519 and Ed448 (X25519 and X448 are ECDH keys, never
 * verification keys; RFC 8037 section 3.2), or an Ed25519 / Ed448 key on a
 * backend without EdDSA.  RFC 7517 section 5 says to ignore such keys
 * rather than refuse the set, and real providers publish them next to the
 * keys that matter.  A known algorithm that does not fit the key stays an
 * error (hc_key_from_jwk()).
 */
static bool
unsupported_variant(const hc_json *jwk, size_t idx, char *notes, size_t n)
{
	const char *kty = hc_json_string(hc_json_get(jwk, "kty"));
	const char *alg = hc_json_string(hc_json_get(jwk, "alg"));
	const char *crv = hc_json_string(hc_json_get(jwk, "crv"));

	if (alg != NULL && hc_alg_from_name(alg) == HC_ALG_UNKNOWN) {
		note_skip(notes, n, idx, "unsupported alg", alg);
		return true;
	}
	if (kty != NULL && strcmp(kty, "EC") == 0 && crv != NULL &&
	    strcmp(crv, "P-256") != 0 && strcmp(crv, "P-384") != 0 &&
	    strcmp(crv, "P-521") != 0) {
		note_skip(notes, n, idx, "unsupported crv", crv);
		return true;
	}
	if (kty != NULL && strcmp(kty, "OKP") == 0) {
		const char *why = NULL;
		char reason[96];

		if (crv == NULL || (strcmp(crv, "Ed25519") != 0 &&
		    strcmp(crv, "Ed448") != 0)) {
			note_skip(notes, n, idx, "unsupported crv",
			    crv != NULL ? crv : "(missing)");
			return true;
		}
		if (!hc_alg_supported(HC_ALG_EDDSA, &why)) {
			(void)snprintf(reason, sizeof(reason), "%s; crv", why);
			note_skip(notes, n, idx, reason, crv);
			return true;
		}
	}
	return false;
}

/*
 * Whether the entry at keys[idx] is one we are told to ignore.  In a JWKS:
 * a string kty we do not know (RFC 7517 section 5) or a string `use` other
 * than "sig" (section 4.2); anything else, including a kty or use of the
 * wrong JSON type, goes on to hc_key_from_jwk(), which refuses it.  In a
 * bundle: an unknown or missing kty (bundle section 4.2.1) and a missing
 * or unknown use, i.e. anything but "jwt-svid" (section 4.2.2).
 */
static bool
skip_entry(enum set_kind kind, const hc_json *jwk, size_t idx, char *notes,
    size_t n)
{
	const char *kty = hc_json_string(hc_json_get(jwk, "kty"));
	const char *use = hc_json_string(hc_json_get(jwk, "use"));

	if (kind == SET_BUNDLE) {
		if (kty == NULL || !known_kty(kty)) {
			note_skip(notes, n, idx, "kty", kty != NULL ? kty :
			    "(missing)");
			return true;
		}
		if (use == NULL || strcmp(use, "jwt-svid") != 0) {
			note_skip(notes, n, idx, "use", use != NULL ? use :
			    "(missing)");
			return true;
		}
		/* JWT-SVID section 3 names RS*, ES* and PS*: no OKP key. */
		if (strcmp(kty, "OKP") == 0) {
			note_skip(notes, n, idx, "kty (no EdDSA in JWT-SVID)",
			    kty);
			return true;
		}
		return unsupported_variant(jwk, idx, notes, n);
	}
	if (kty != NULL && !known_kty(kty)) {
		note_skip(notes, n, idx, "unsupported kty", kty);
		return true;
	}
	if (use != NULL && strcmp(use, "sig") != 0) {
		note_skip(notes, n, idx, "use", use);
		return true;
	}
	return unsupported_variant(jwk, idx, notes, n);
}

/*
 * Imports a bundle's "jwt-svid" entry.  Its `use` has been checked by the
 * caller; the key is imported from a copy without it, as a public
 * signature key, after checking that it has the kid JWT-SVID section 6.1
 * requires.
 */
static hc_status
import_bundle_key(const hc_json *jwk, hc_key **out, hc_detail *d)
{
	hc_json *copy;
	size_t members = 0;
	hc_status st;

	*out = NULL;
	if (hc_json_string(hc_json_get(jwk, "kid")) == NULL)
		return hc_fail(d, HC_KEY, "a \"jwt-svid\" key has no string "
		    "kid (JWT-SVID section 6.1)");
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
	free(ks->keys);
	free(ks);
}

/*
 * The parser behind hc_keyset_parse() and hc_bundle_parse(); `what` names
 * the document in details ("JWKS", or the bundle and its trust domain).
 */
static hc_status
parse_set(enum set_kind kind, const char *json, size_t len,
    bool allow_secret, const char *what, hc_keyset **out, hc_detail *d)
{
	char notes[HC_DETAIL_MAX], q[HC_QBUF];
	const hc_json *keys;
	hc_json *root = NULL;
	hc_keyset *ks = NULL;
	hc_detail jd = { "" };
	bool secret = false, public = false;
	size_t n, idx = 0;
	hc_status st;

	*out = NULL;
	notes[0] = '\0';
	if (hc_json_parse(json, len, &root, &jd) != HC_OK)
		return hc_fail(d, HC_KEY, "%s is not valid: %s", what, jd.text);
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
	    (ks->keys = calloc(n > 0 ? n : 1, sizeof(*ks->keys))) == NULL) {
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
		if (skip_entry(kind, e, idx, notes, sizeof(notes)))
			continue;
		if (kind == SET_BUNDLE)
			st = import_bundle_key(e, &key, &kd);
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
		st = hc_fail(d, HC_KEY, "%s has no usable key%s%s", what,
		    notes[0] != '\0' ? ": " : "",
		    notes[0] != '\0' ? notes : (n == 0 ? ": \"keys\" is empty" :
		    ""));
		goto fail;
	}
	ks->refs = 1;
	ks->loaded_at = (int64_t)time(NULL);
	hc_json_free(root);
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
	return parse_set(SET_JWKS, json, len, allow_secret, "JWKS", out, d);
}

hc_status
hc_bundle_parse(const char *json, size_t len, const char *trust_domain,
    hc_keyset **out, hc_detail *d)
{
	char q[HC_QBUF], what[HC_DETAIL_VALUE_MAX + 64];

	(void)snprintf(what, sizeof(what), "SPIFFE bundle of %s",
	    hc_quote(q, sizeof(q), trust_domain != NULL ? trust_domain :
	    "(unnamed trust domain)"));
	return parse_set(SET_BUNDLE, json, len, false, what, out, d);
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
	if (ks == NULL || ks->nkeys == 0)
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
