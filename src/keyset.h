/* SPDX-License-Identifier: Apache-2.0 */
/*
 * keyset.h - the keys of one issuer or trust domain: a refcounted,
 * immutable set (JWKS or SPIFFE bundle), lookup by kid, and the slot that
 * holds an owner's current set.
 *
 * A set is built once and never modified.  A slot (hc_keyslot) is where an
 * issuer or trust domain keeps its current set: a validation takes its own
 * reference from the slot (hc_keyslot_get()) and uses that set to the end,
 * while a refresh installs a new one (hc_keyslot_swap()); the old set is
 * freed when its last holder lets go.  Whoever fills a slot (construction
 * from a file, the refresher of a remote source) needs nothing but this
 * header.
 *
 * Important caveats
 *  - hc_keyset_find() trusts the set: a set of another issuer's keys
 *    verifies that issuer's tokens.  Choosing the slot is the caller's job.
 *  - A slot says nothing about freshness; loaded_at is for statistics, and
 *    dropping a stale set is the refresher's decision.
 */
#ifndef HC_KEYSET_H
#define HC_KEYSET_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "internal.h"
#include "jwk.h"

/*
 * A key of a document that the set does not hold, and why (RFC 7517
 * section 5: a key the reader does not understand or may not use is
 * ignored, not fatal to the set).
 */
typedef struct hc_skipped_key {
	char *kid;               /* its string kid, or NULL when none */
	size_t index;            /* its place in the document's "keys" */
	char *reason;            /* "RSA key of 1024 bits, under 2048", ... */
} hc_skipped_key;

/*
 * A set of keys of one issuer (or trust domain).  Refcounted: the holder of
 * a reference may use it from any thread; the last release frees it.
 */
typedef struct hc_keyset {
	hc_key **keys;
	size_t nkeys;
	hc_skipped_key *skipped; /* the document's keys not in `keys` */
	size_t nskipped;
	int refs;                /* atomically updated */
	int64_t loaded_at;       /* seconds since the epoch */
} hc_keyset;

/*
 * Parses a JWKS document (`{"keys": [...]}`), strict JSON.  A set is refused
 * (HC_KEY, reason in d) when it has no usable key (d then names every
 * skipped key and why), more than HC_MAX_KEYS_PER_SET, a malformed key, two
 * keys with the same kid, or mixes secret and public keys.  A well-formed
 * key the validator will not use (an unknown kty, crv or alg, `use` other
 * than "sig", key_ops without "verify", a private member, an ECDH curve,
 * EdDSA on a backend without it, RSA under HC_MIN_RSA_BITS) is skipped
 * (RFC 7517 section 5) and remembered in the set's `skipped`.
 * `allow_secret` admits oct keys (tests of the seam only).
 */
hc_status hc_keyset_parse(const char *json, size_t len, bool allow_secret,
    hc_keyset **out, hc_detail *d);

/*
 * hc_keyset_parse(), also saying in *failure (on failure; NULL on success)
 * what kind of problem it was: HC_KEYSET_FAIL_JSON (not JSON at all),
 * HC_KEYSET_FAIL_NO_KEY (every key skipped, or none), or
 * HC_KEYSET_FAIL_INVALID (anything else), stable words for logs.
 */
#define HC_KEYSET_FAIL_JSON    "bad_json"
#define HC_KEYSET_FAIL_NO_KEY  "no_usable_key"
#define HC_KEYSET_FAIL_INVALID "bad_key_set"
hc_status hc_keyset_parse_why(const char *json, size_t len,
    bool allow_secret, hc_keyset **out, const char **failure, hc_detail *d);

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

/* The `use` of a bundle's JWT-SVID keys, and of its WIT-SVID keys. */
#define HC_BUNDLE_USE_JWT_SVID "jwt-svid"
#define HC_BUNDLE_USE_WIT_SVID "wit-svid"

/*
 * hc_bundle_parse() for the entries whose `use` is `use` (one of the two
 * above): the same rules, with every entry of another use ignored.
 * hc_bundle_parse() is this with HC_BUNDLE_USE_JWT_SVID.
 */
hc_status hc_bundle_parse_use(const char *json, size_t len,
    const char *trust_domain, const char *use, hc_keyset **out,
    hc_detail *d);

/*
 * Writes into buf (size n) the skipped keys of ks as one line,
 * `keys[0] (kid "old") skipped: RSA key of 1024 bits, under 2048; ...`,
 * cut with "..." when it does not fit.  Returns buf ("" when none).
 */
const char *hc_keyset_skipped_text(const hc_keyset *ks, char *buf, size_t n);

/* A set of exactly one key (takes ownership of key). */
hc_status hc_keyset_single(hc_key *key, hc_keyset **out);

void hc_keyset_ref(hc_keyset *ks);
void hc_keyset_unref(hc_keyset *ks);  /* NULL is a no-op */

/*
 * Finds the key for a token: with a kid, the key whose kid equals it
 * exactly (byte comparison; no normalisation); without one, the only key
 * that hc_key_allows() alg.  Returns HC_OK and the key (borrowed from ks),
 * HC_KEY when none (or, without kid, several) match, or when the kid is
 * that of a skipped key (the detail gives the reason), HC_ALG when the
 * kid's key cannot verify alg.
 */
hc_status hc_keyset_find(const hc_keyset *ks, const char *kid, hc_alg alg,
    const hc_key **out, hc_detail *d);

/*
 * hc_keyset_find(), naming the set in details: with `set_name` ("the
 * bundle of trust domain example.org") a kid that matches nothing reads
 * `no key has kid "x" in <set_name> (2 keys)`; NULL words it as
 * hc_keyset_find() does.
 */
hc_status hc_keyset_find_in(const hc_keyset *ks, const char *set_name,
    const char *kid, hc_alg alg, const hc_key **out, hc_detail *d);

/*
 * Where an owner (an issuer, a trust domain) keeps its current set.
 * Invariants: `set` is read and written only under `lock`; the slot holds
 * one reference to `set`, which is NULL until a first set is installed and
 * after a stale set was dropped.
 */
typedef struct hc_keyslot {
	pthread_mutex_t lock;    /* guards set; never held across I/O */
	hc_keyset *set;          /* the current set (a reference), or NULL */
} hc_keyslot;

/* Makes an empty slot. */
void hc_keyslot_init(hc_keyslot *slot);

/* Drops the slot's reference to its set and destroys the lock. */
void hc_keyslot_destroy(hc_keyslot *slot);

/*
 * Returns a new reference to the current set (release it with
 * hc_keyset_unref()), or NULL when the slot is empty.  A later swap does
 * not disturb the set returned.
 */
hc_keyset *hc_keyslot_get(hc_keyslot *slot);

/*
 * Installs `ks` (taking over the caller's reference; NULL empties the
 * slot) and releases the slot's reference to the set it replaces.
 */
void hc_keyslot_swap(hc_keyslot *slot, hc_keyset *ks);

/*
 * Whether `ks` is the slot's current set: a holder of a reference asks
 * whether its set has been replaced since (the token cache does), and
 * `ks` NULL asks whether the slot is empty.
 */
bool hc_keyslot_holds(hc_keyslot *slot, const hc_keyset *ks);

#endif /* HC_KEYSET_H */
