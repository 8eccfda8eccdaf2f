/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cache.c - the verified-token cache.
 *
 * Layer 1 is the expensive part of a validation (an ES256 verification
 * with mbedTLS costs about a millisecond), and services see the same token
 * many times within its lifetime.  The cache remembers, for the exact
 * token bytes, what layer 1 established: that the header and the claims
 * decoded and parsed (and into how many JSON values), the issuer policy,
 * the algorithm, and the key set whose key verified it.  A hit skips
 * layer 1 only; layers 2 and 3 run on every request, because time, peer,
 * route and tenant change.
 *
 * An entry is one heap block: the fields below (about 100 bytes) and the
 * token after them; the token is the claims' only copy.  A hit decodes
 * the header and payload segments again (on the stack) and rebuilds their
 * trees in one block each (hc_json_rebuild()), without scanning the JSON
 * again: two allocations, where copying the cJSON trees an entry used to
 * keep took one per node and string, and an entry cost about 3 KB for a
 * 600-byte token.  The rebuild runs outside the lock, on an entry the
 * lookup holds a reference to, so that an eviction meanwhile cannot free
 * it.
 *
 * Entries are found by a keyed hash (SipHash-2-4 under a random key, so
 * collisions cannot be planned) and confirmed by comparing the whole token.
 * The hash covers the token's length and its last HASH_TAIL bytes, which
 * are signature bytes: only tokens whose signature verified are stored,
 * so the stored ones spread over the buckets as their signatures do, and
 * a lookup of bytes nobody signed walks one chain of signed tokens and is
 * refused by the full compare.  Hashing the whole token cost a 900-byte
 * token about 10,000 instructions, a quarter of a hit.
 * An entry dies at exp + skew, when its issuer's key set is replaced (the
 * key may have been withdrawn), and when the cache is full and it is the
 * oldest.  Only tokens that passed layer 1 and the claim types are stored,
 * so an attacker cannot fill the cache without valid signatures.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "keyset.h"
#include "validator.h"

/*
 * Invariant: an entry in the table holds one reference for the table;
 * a lookup holds one more while it rebuilds.  Everything but `next`,
 * `ring` and `refs` is written once, before the entry is published under
 * the lock, and only read afterwards.
 */
typedef struct entry {
	struct entry *next;      /* bucket chain (lock) */
	size_t ring;             /* index in the eviction ring (lock) */
	atomic_uint refs;
	uint64_t hash;
	const hc_issuer_policy *ipol;
	const char *alg;         /* static name */
	hc_keyset *ks;           /* referenced; NULL for a shared secret */
	hc_keyslot *slot;        /* where the issuer's current set lives */
	double expires;          /* exp + skew */
	uint32_t len;            /* token bytes, in text */
	uint32_t hseg;           /* header segment: text[0 .. hseg) */
	uint32_t pseg;           /* payload segment: text[hseg + 1 .. pseg) */
	uint32_t hnodes, pnodes; /* their JSON values, for hc_json_rebuild() */
	char text[];             /* the token */
} entry;

struct hc_cache {
	pthread_mutex_t lock;    /* guards everything below */
	size_t max;              /* entries at most (> 0) */
	size_t n;
	size_t nbuckets;         /* a power of two */
	entry **buckets;
	entry **ring;            /* max slots, oldest at head */
	size_t head;
	unsigned char key[16];   /* SipHash key */
	uint64_t hits, misses;
};

/* Token bytes (from the end) that the bucket hash covers. */
#define HASH_TAIL 48

/* Decoded segments up to this size are rebuilt from a stack buffer. */
#define DECODE_STACK 4096

/* ------------------------------------------------------------- entries */

/* The keyed hash of a token: its length and its last HASH_TAIL bytes. */
static uint64_t
token_hash(const hc_cache *ca, const char *token, size_t len)
{
	unsigned char buf[sizeof(uint64_t) + HASH_TAIL];
	size_t tail = len < HASH_TAIL ? len : HASH_TAIL;
	uint64_t n = (uint64_t)len;

	memcpy(buf, &n, sizeof(n));
	if (tail > 0)            /* a NULL token of length 0 is looked up */
		memcpy(buf + sizeof(n), token + len - tail, tail);
	return hc_siphash24(ca->key, buf, sizeof(n) + tail);
}

/*
 * The tree of the base64url segment seg[0 .. n), which decoded and parsed
 * to `nodes` values before; NULL when out of memory.
 */
static hc_json *
rebuild_segment(const char *seg, size_t n, size_t nodes)
{
	unsigned char stack[DECODE_STACK], *buf = stack;
	size_t cap = HC_B64URL_DECODED_MAX(n), len;
	hc_json *j = NULL;

	if (cap > sizeof(stack) && (buf = malloc(cap)) == NULL)
		return NULL;
	if (hc_b64url_decode(seg, n, buf, cap, &len) == 0)
		j = hc_json_rebuild((const char *)buf, len, nodes);
	if (buf != stack)
		free(buf);
	return j;
}

/* Drops one reference; the last one frees the entry. */
static void
entry_unref(entry *e)
{
	if (e == NULL || atomic_fetch_sub(&e->refs, 1) != 1)
		return;
	hc_keyset_unref(e->ks);
	free(e);
}

/* Unlinks e from its bucket and the ring, dropping the table's ref. */
static void
entry_remove(hc_cache *ca, entry *e)
{
	entry **pp = &ca->buckets[e->hash & (ca->nbuckets - 1)];

	while (*pp != NULL && *pp != e)
		pp = &(*pp)->next;
	if (*pp == e)
		*pp = e->next;
	ca->ring[e->ring] = NULL;
	ca->n--;
	entry_unref(e);
}

/* Whether the key set that verified e is still its issuer's set. */
static bool
entry_current(const entry *e)
{
	return e->slot == NULL || hc_keyslot_holds(e->slot, e->ks);
}

/* ------------------------------------------------------------------ API */

hc_status
hc_cache_new(size_t max, hc_cache **out, hc_detail *d)
{
	unsigned char seed[16];
	hc_cache *ca;

	*out = NULL;
	if (max == 0)
		return HC_OK;        /* disabled */
	if ((ca = calloc(1, sizeof(*ca))) == NULL)
		return hc_fail(d, HC_INTERNAL, "out of memory");
	pthread_mutex_init(&ca->lock, NULL);
	ca->max = max;
	for (ca->nbuckets = 64; ca->nbuckets < max && ca->nbuckets < (1u << 24);)
		ca->nbuckets <<= 1;
	ca->buckets = calloc(ca->nbuckets, sizeof(*ca->buckets));
	ca->ring = calloc(max, sizeof(*ca->ring));
	if (ca->buckets == NULL || ca->ring == NULL) {
		hc_cache_free(ca);
		return hc_fail(d, HC_INTERNAL, "out of memory for a cache of %zu "
		    "entries", max);
	}
	if (hc_crypto()->random(seed, sizeof(seed)) != 0) {
		hc_cache_free(ca);
		return hc_fail(d, HC_INTERNAL, "no randomness for the cache key");
	}
	memcpy(ca->key, seed, sizeof(ca->key));
	hc_wipe(seed, sizeof(seed));
	*out = ca;
	return HC_OK;
}

void
hc_cache_free(hc_cache *ca)
{
	if (ca == NULL)
		return;
	if (ca->ring != NULL)
		for (size_t i = 0; i < ca->max; i++)
			entry_unref(ca->ring[i]);
	free(ca->ring);
	free(ca->buckets);
	pthread_mutex_destroy(&ca->lock);
	free(ca);
}

bool
hc_cache_lookup(hc_cache *ca, const char *token, size_t len, hc_ctx *c,
    hc_jws *jws)
{
	const hc_json *kid;
	uint64_t h;
	entry *e;

	if (ca == NULL)
		return false;
	h = token_hash(ca, token, len);
	pthread_mutex_lock(&ca->lock);
	for (e = ca->buckets[h & (ca->nbuckets - 1)]; e != NULL; e = e->next)
		if (e->hash == h && e->len == len &&
		    memcmp(e->text, token, len) == 0)
			break;
	if (e != NULL && ((double)c->now >= e->expires || !entry_current(e))) {
		entry_remove(ca, e);
		e = NULL;
	}
	if (e != NULL) {
		atomic_fetch_add(&e->refs, 1);
		ca->hits++;
	} else
		ca->misses++;
	pthread_mutex_unlock(&ca->lock);
	if (e == NULL)
		return false;

	jws->header = rebuild_segment(e->text, e->hseg, e->hnodes);
	jws->payload = rebuild_segment(e->text + e->hseg + 1,
	    e->pseg - e->hseg - 1, e->pnodes);
	if (jws->header == NULL || jws->payload == NULL) {
		/* Out of memory: validate the slow way. */
		hc_jws_clear(jws);
		entry_unref(e);
		return false;
	}
	c->ipol = e->ipol;
	c->res->alg = e->alg;
	/* Layer 1 took the kid from the header, and took it as a string. */
	kid = hc_json_get(jws->header, "kid");
	c->res->kid = hc_json_string(kid);
	c->header = jws->header;
	c->payload = jws->payload;
	entry_unref(e);
	return true;
}

void
hc_cache_insert(hc_cache *ca, const char *token, size_t len, const hc_ctx *c,
    const hc_jws *jws)
{
	const char *dot = memchr(token, '.', len);
	size_t hnodes = hc_json_nodes(c->header), pnodes = hc_json_nodes(c->payload);
	double exp;
	entry *e;

	if (ca == NULL || dot == NULL || len > UINT32_MAX ||
	    hnodes > UINT32_MAX || pnodes > UINT32_MAX ||
	    jws->signing_input_len <= (size_t)(dot - token) ||
	    !hc_json_number(hc_json_get(c->payload, "exp"), &exp))
		return;
	if ((e = malloc(sizeof(*e) + len)) == NULL)
		return;
	memset(e, 0, sizeof(*e));
	atomic_init(&e->refs, 1);
	e->hash = token_hash(ca, token, len);
	e->len = (uint32_t)len;
	e->hseg = (uint32_t)(dot - token);
	e->pseg = (uint32_t)jws->signing_input_len;
	e->hnodes = (uint32_t)hnodes;
	e->pnodes = (uint32_t)pnodes;
	memcpy(e->text, token, len);
	e->ipol = c->ipol;
	e->alg = c->res->alg;
	e->expires = exp + (double)c->pol->clock_skew_s;
	e->slot = c->key_slot;
	e->ks = c->key_set;
	hc_keyset_ref(e->ks);

	pthread_mutex_lock(&ca->lock);
	/* Another thread may have stored the same token meanwhile. */
	for (entry *o = ca->buckets[e->hash & (ca->nbuckets - 1)]; o != NULL;
	    o = o->next) {
		if (o->hash == e->hash && o->len == len &&
		    memcmp(o->text, token, len) == 0) {
			pthread_mutex_unlock(&ca->lock);
			entry_unref(e);
			return;
		}
	}
	if (ca->ring[ca->head] != NULL)
		entry_remove(ca, ca->ring[ca->head]);   /* the oldest */
	e->ring = ca->head;
	ca->ring[ca->head] = e;
	ca->head = (ca->head + 1) % ca->max;
	e->next = ca->buckets[e->hash & (ca->nbuckets - 1)];
	ca->buckets[e->hash & (ca->nbuckets - 1)] = e;
	ca->n++;
	pthread_mutex_unlock(&ca->lock);
}

HC_EXPORT void
hc_validator_cache_stats(const hc_validator *v, uint64_t *hits,
    uint64_t *misses, size_t *entries)
{
	hc_cache *ca = v != NULL ? v->cache : NULL;

	if (ca == NULL) {
		if (hits != NULL)
			*hits = 0;
		if (misses != NULL)
			*misses = 0;
		if (entries != NULL)
			*entries = 0;
		return;
	}
	pthread_mutex_lock(&ca->lock);
	if (hits != NULL)
		*hits = ca->hits;
	if (misses != NULL)
		*misses = ca->misses;
	if (entries != NULL)
		*entries = ca->n;
	pthread_mutex_unlock(&ca->lock);
}
