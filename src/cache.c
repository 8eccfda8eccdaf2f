/*
 * cache.c - the verified-token cache.
 *
 * Layer 1 is the expensive part of a validation (an ES256 verification
 * with mbedTLS costs about a millisecond), and services see the same token
 * many times within its lifetime.  The cache remembers, for the exact
 * token bytes, what layer 1 established: the parsed header and claims, the
 * issuer policy, the algorithm and kid, and the key set whose key verified
 * it.  A hit skips layer 1 only; layers 2 and 3 run on every request,
 * because time, peer, route and tenant change.
 *
 * Entries are found by a keyed hash (SipHash-2-4 under a random key, so
 * collisions cannot be planned) and confirmed by comparing the whole token.
 * An entry dies at exp + skew, when its issuer's key set is replaced (the
 * key may have been withdrawn), and when the cache is full and it is the
 * oldest.  Only tokens that passed layer 1 and the claim types are stored,
 * so an attacker cannot fill the cache without valid signatures.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "keyset.h"
#include "validator.h"

typedef struct entry {
	struct entry *next;      /* bucket chain */
	uint64_t hash;
	size_t ring;             /* index in the eviction ring */
	char *token;
	size_t len;
	hc_json *header;
	hc_json *payload;
	const hc_issuer_policy *ipol;
	const char *alg;
	char *kid;
	hc_keyset *ks;           /* referenced; NULL for a shared secret */
	hc_keyslot *slot;        /* where the issuer's current set lives */
	double expires;          /* exp + skew */
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

/* ------------------------------------------------------------- entries */

static void
entry_free(entry *e)
{
	if (e == NULL)
		return;
	free(e->token);
	hc_json_free(e->header);
	hc_json_free(e->payload);
	free(e->kid);
	hc_keyset_unref(e->ks);
	free(e);
}

/* Unlinks e from its bucket and the ring and frees it.  Lock held. */
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
	entry_free(e);
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
			entry_free(ca->ring[i]);
	free(ca->ring);
	free(ca->buckets);
	pthread_mutex_destroy(&ca->lock);
	free(ca);
}

bool
hc_cache_lookup(hc_cache *ca, const char *token, size_t len, hc_ctx *c,
    hc_jws *jws)
{
	uint64_t h;
	entry *e;
	bool hit = false;

	if (ca == NULL)
		return false;
	h = hc_siphash24(ca->key, (const unsigned char *)token, len);
	pthread_mutex_lock(&ca->lock);
	for (e = ca->buckets[h & (ca->nbuckets - 1)]; e != NULL; e = e->next)
		if (e->hash == h && e->len == len &&
		    memcmp(e->token, token, len) == 0)
			break;
	if (e != NULL && ((double)c->now >= e->expires || !entry_current(e))) {
		entry_remove(ca, e);
		e = NULL;
	}
	if (e != NULL) {
		jws->header = hc_json_dup(e->header);
		jws->payload = hc_json_dup(e->payload);
		c->res->kid = hc_strdup(e->kid);
		if (jws->header != NULL && jws->payload != NULL &&
		    (e->kid == NULL || c->res->kid != NULL)) {
			c->ipol = e->ipol;
			c->res->alg = e->alg;
			c->header = jws->header;
			c->payload = jws->payload;
			hit = true;
		} else {
			/* Out of memory: validate the slow way. */
			hc_jws_clear(jws);
			free(c->res->kid);
			c->res->kid = NULL;
		}
	}
	if (hit)
		ca->hits++;
	else
		ca->misses++;
	pthread_mutex_unlock(&ca->lock);
	return hit;
}

void
hc_cache_insert(hc_cache *ca, const char *token, size_t len, const hc_ctx *c,
    const hc_json *header, const hc_json *payload)
{
	double exp;
	entry *e;

	if (ca == NULL || !hc_json_number(hc_json_get(payload, "exp"), &exp))
		return;
	if ((e = calloc(1, sizeof(*e))) == NULL)
		return;
	e->hash = hc_siphash24(ca->key, (const unsigned char *)token, len);
	e->len = len;
	e->token = malloc(len + 1);
	e->header = hc_json_dup(header);
	e->payload = hc_json_dup(payload);
	e->kid = hc_strdup(c->res->kid);
	if (e->token == NULL || e->header == NULL || e->payload == NULL ||
	    (c->res->kid != NULL && e->kid == NULL)) {
		entry_free(e);
		return;
	}
	memcpy(e->token, token, len);
	e->token[len] = '\0';
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
		    memcmp(o->token, token, len) == 0) {
			pthread_mutex_unlock(&ca->lock);
			entry_free(e);
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
