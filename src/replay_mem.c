/* SPDX-License-Identifier: Apache-2.0 */
/*
 * replay_mem.c - the memory replay store: a bounded table of spent keys
 * in this process.
 *
 * A hash table bounded by replay.max_entries, keyed by SipHash-2-4 of the
 * key under a random per-table key (so that keys cannot be chosen to
 * collide into one bucket), with the full namespace and key bytes kept
 * and compared exactly.  Entries also sit in a min-heap by expiry; every
 * spend first drops the expired ones from its top, so a full table is
 * known in O(1).  Full with nothing expired is HC_UNAVAILABLE: failing
 * closed beats forgetting a live key.
 *
 * The table is refcounted so that a validator built by a reload can share
 * the very table of the one it replaces (inherit).  It is guarded by one
 * mutex; any number of threads may spend at once.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "replay.h"

/* ------------------------------------------------------------------ types */

/* One remembered key. */
struct mem_entry {
	struct mem_entry *next;  /* bucket chain */
	uint64_t hash;           /* SipHash of the key under the table's key */
	int64_t expires;         /* forgotten once now >= expires */
	size_t heap_idx;         /* position in the expiry heap */
	size_t nslen;            /* bytes of the namespace */
	size_t klen;             /* bytes of the key */
	unsigned char bytes[];   /* namespace '\0' key, exactly */
};

/*
 * The table.  May be shared by the stores of two validators across a
 * reload; `refs` counts them.  Invariants, under `lock`: count <= max;
 * every entry is in exactly one bucket chain and at heap[heap_idx]; heap
 * is a min-heap on `expires`; nbuckets is a power of two no larger than
 * max_buckets.
 */
struct mem_table {
	pthread_mutex_t lock;
	int refs;
	unsigned char sipkey[16];
	struct mem_entry **buckets;
	size_t nbuckets;
	size_t max_buckets;
	struct mem_entry **heap;
	size_t heap_cap;
	size_t count;
	size_t max;
	uint64_t recorded, replays, failures;
};

/* A validator's memory store: its (possibly shared) table. */
struct mem_store {
	hc_replay_store base;    /* first: all the policy sees */
	struct mem_table *t;     /* never NULL once opened */
};

/* ---------------------------------------------------------------- private */

static struct mem_store *
mem_store_of(hc_replay_store *s)
{
	return (struct mem_store *)(void *)s;
}

static void
heap_swap(struct mem_entry **h, size_t a, size_t b)
{
	struct mem_entry *t = h[a];

	h[a] = h[b];
	h[b] = t;
	h[a]->heap_idx = a;
	h[b]->heap_idx = b;
}

/* Restores the heap order around index i (iterative, either direction). */
static void
heap_fix(struct mem_table *t, size_t i)
{
	struct mem_entry **h = t->heap;

	while (i > 0 && h[(i - 1) / 2]->expires > h[i]->expires) {
		heap_swap(h, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < t->count && h[l]->expires < h[m]->expires)
			m = l;
		if (r < t->count && h[r]->expires < h[m]->expires)
			m = r;
		if (m == i)
			break;
		heap_swap(h, i, m);
		i = m;
	}
}

/* Unlinks entry e from its bucket chain and the heap, and frees it. */
static void
mem_remove(struct mem_table *t, struct mem_entry *e)
{
	struct mem_entry **pp = &t->buckets[e->hash & (t->nbuckets - 1)];
	size_t i = e->heap_idx;

	while (*pp != NULL && *pp != e)
		pp = &(*pp)->next;
	if (*pp == e)
		*pp = e->next;
	t->count--;
	if (i != t->count) {
		t->heap[i] = t->heap[t->count];
		t->heap[i]->heap_idx = i;
		heap_fix(t, i);
	}
	free(e);
}

/* Forgets every entry whose time has passed (now >= expires). */
static void
mem_purge(struct mem_table *t, int64_t now)
{
	while (t->count > 0 && t->heap[0]->expires <= now)
		mem_remove(t, t->heap[0]);
}

/* The entry for exactly (ns, key), or NULL. */
static struct mem_entry *
mem_find(const struct mem_table *t, uint64_t hash, const char *ns,
    size_t nslen, const unsigned char *key, size_t klen)
{
	struct mem_entry *e = t->buckets[hash & (t->nbuckets - 1)];

	for (; e != NULL; e = e->next)
		if (e->hash == hash && e->klen == klen && e->nslen == nslen &&
		    memcmp(e->bytes, ns, nslen) == 0 &&
		    memcmp(e->bytes + nslen + 1, key, klen) == 0)
			return e;
	return NULL;
}

/* Doubles the bucket array (up to max_buckets); false when out of memory. */
static bool
mem_grow_buckets(struct mem_table *t)
{
	size_t n = t->nbuckets * 2;
	struct mem_entry **b;

	if (n > t->max_buckets)
		return true;
	if ((b = calloc(n, sizeof(*b))) == NULL)
		return false;
	for (size_t i = 0; i < t->nbuckets; i++) {
		struct mem_entry *e = t->buckets[i], *next;
		for (; e != NULL; e = next) {
			next = e->next;
			e->next = b[e->hash & (n - 1)];
			b[e->hash & (n - 1)] = e;
		}
	}
	free(t->buckets);
	t->buckets = b;
	t->nbuckets = n;
	return true;
}

/*
 * Adds a new entry; the caller has checked that the key is absent and
 * that count < max.  HC_INTERNAL when out of memory.
 */
static hc_status
mem_insert(struct mem_table *t, uint64_t hash, const char *ns, size_t nslen,
    const unsigned char *key, size_t klen, int64_t expires)
{
	struct mem_entry *e;
	size_t b;

	if (t->count + 1 > t->nbuckets && !mem_grow_buckets(t))
		return HC_INTERNAL;
	if (t->count == t->heap_cap) {
		size_t cap = t->heap_cap ? t->heap_cap * 2 : HC_REPLAY_MIN_BUCKETS;
		struct mem_entry **h;
		if (cap > t->max)
			cap = t->max;
		if ((h = realloc(t->heap, cap * sizeof(*h))) == NULL)
			return HC_INTERNAL;
		t->heap = h;
		t->heap_cap = cap;
	}
	if ((e = malloc(sizeof(*e) + nslen + 1 + klen)) == NULL)
		return HC_INTERNAL;
	memcpy(e->bytes, ns, nslen);
	e->bytes[nslen] = '\0';
	memcpy(e->bytes + nslen + 1, key, klen);
	e->nslen = nslen;
	e->klen = klen;
	e->hash = hash;
	e->expires = expires;
	b = hash & (t->nbuckets - 1);
	e->next = t->buckets[b];
	t->buckets[b] = e;
	e->heap_idx = t->count;
	t->heap[t->count++] = e;
	heap_fix(t, e->heap_idx);
	return HC_OK;
}

/* Builds an empty table for `max` entries under a fresh random hash key. */
static hc_status
mem_table_new(size_t max, struct mem_table **out, hc_detail *d)
{
	struct mem_table *t;
	size_t mb = HC_REPLAY_MIN_BUCKETS;

	*out = NULL;
	if (max == 0)
		return hc_fail(d, HC_CONFIG, "replay.max_entries must be at least 1");
	while (mb < max && mb <= SIZE_MAX / 4)
		mb *= 2;
	if ((t = calloc(1, sizeof(*t))) == NULL)
		return hc_fail(d, HC_INTERNAL, "out of memory");
	t->max = max;
	t->max_buckets = mb;
	t->nbuckets = HC_REPLAY_MIN_BUCKETS;
	t->refs = 1;
	if ((t->buckets = calloc(t->nbuckets, sizeof(*t->buckets))) == NULL) {
		free(t);
		return hc_fail(d, HC_INTERNAL, "out of memory");
	}
	if (hc_crypto()->random(t->sipkey, sizeof(t->sipkey)) != 0) {
		free(t->buckets);
		free(t);
		return hc_fail(d, HC_INTERNAL, "no random bytes for the replay "
		    "store's hash key");
	}
	pthread_mutex_init(&t->lock, NULL);
	*out = t;
	return HC_OK;
}

/* Drops one reference; the last one frees the table. */
static void
mem_table_unref(struct mem_table *t)
{
	bool last;

	if (t == NULL)
		return;
	pthread_mutex_lock(&t->lock);
	last = --t->refs == 0;
	pthread_mutex_unlock(&t->lock);
	if (!last)
		return;
	while (t->count > 0)
		mem_remove(t, t->heap[t->count - 1]);
	hc_wipe(t->sipkey, sizeof(t->sipkey));
	pthread_mutex_destroy(&t->lock);
	free(t->buckets);
	free(t->heap);
	free(t);
}

/* ------------------------------------------------------------ the store */

static hc_status
mem_open(const char *spec, size_t max_entries, hc_replay_store **out,
    hc_detail *d)
{
	struct mem_store *m;
	hc_status st;

	(void)spec;
	*out = NULL;
	if ((m = calloc(1, sizeof(*m))) == NULL)
		return hc_fail(d, HC_INTERNAL, "out of memory");
	m->base.ops = &hc_replay_store_memory;
	if ((st = mem_table_new(max_entries, &m->t, d)) != HC_OK) {
		free(m);
		return st;
	}
	*out = &m->base;
	return HC_OK;
}

static void
mem_close(hc_replay_store *s)
{
	struct mem_store *m = mem_store_of(s);

	mem_table_unref(m->t);
	free(m);
}

/* Records the key until sp->expires, or says why not. */
static hc_status
mem_spend(hc_replay_store *s, const hc_replay_spend *sp, hc_detail *d)
{
	struct mem_table *t = mem_store_of(s)->t;
	uint64_t hash = hc_siphash24(t->sipkey, sp->key, sp->klen);
	size_t nslen = strlen(sp->ns);
	hc_status st;

	pthread_mutex_lock(&t->lock);
	mem_purge(t, sp->now);
	if (mem_find(t, hash, sp->ns, nslen, sp->key, sp->klen) != NULL) {
		t->replays++;
		pthread_mutex_unlock(&t->lock);
		return HC_REPLAY;
	}
	if (t->count >= t->max) {
		t->failures++;
		pthread_mutex_unlock(&t->lock);
		return hc_fail(d, HC_UNAVAILABLE, "replay store is full (%zu of "
		    "replay.max_entries, none expired); refusing rather than "
		    "forgetting a %s", t->count, sp->ns);
	}
	st = mem_insert(t, hash, sp->ns, nslen, sp->key, sp->klen,
	    sp->expires);
	if (st == HC_OK)
		t->recorded++;
	else
		t->failures++;
	pthread_mutex_unlock(&t->lock);
	if (st != HC_OK)
		return hc_fail(d, st, "out of memory in the replay store");
	return HC_OK;
}

static void
mem_stats(hc_replay_store *s, hc_replay_stats *out)
{
	struct mem_table *t = mem_store_of(s)->t;

	pthread_mutex_lock(&t->lock);
	out->entries = t->count;
	out->capacity = t->max;
	out->recorded = t->recorded;
	out->replays = t->replays;
	out->failures = t->failures;
	pthread_mutex_unlock(&t->lock);
}

/*
 * Same capacity: `to` drops its own table and shares that of `from`.
 * Different capacities: the entries of `from` are copied into the table
 * of `to`, as many as fit.
 */
static hc_status
mem_inherit(hc_replay_store *to, hc_replay_store *from, size_t *dropped)
{
	struct mem_store *mto = mem_store_of(to);
	struct mem_table *src = mem_store_of(from)->t, *dst = mto->t;
	size_t lost = 0;
	hc_status st = HC_OK;

	if (src == dst)
		return HC_OK;
	if (src->max == dst->max) {
		pthread_mutex_lock(&src->lock);
		src->refs++;
		pthread_mutex_unlock(&src->lock);
		mto->t = src;
		mem_table_unref(dst);
		return HC_OK;
	}
	/*
	 * The new table is not in use yet, but both are locked (source
	 * first, the only order ever taken); the entries that do not fit a
	 * smaller table are counted for the log.
	 */
	pthread_mutex_lock(&src->lock);
	pthread_mutex_lock(&dst->lock);
	for (size_t i = 0; i < src->count; i++) {
		const struct mem_entry *e = src->heap[i];
		const unsigned char *key = e->bytes + e->nslen + 1;
		const char *ns = (const char *)e->bytes;
		uint64_t h = hc_siphash24(dst->sipkey, key, e->klen);

		if (dst->count >= dst->max) {
			lost++;
			continue;
		}
		if (mem_find(dst, h, ns, e->nslen, key, e->klen) != NULL)
			continue;
		if ((st = mem_insert(dst, h, ns, e->nslen, key, e->klen,
		    e->expires)) != HC_OK)
			break;
	}
	pthread_mutex_unlock(&dst->lock);
	pthread_mutex_unlock(&src->lock);
	if (dropped != NULL)
		*dropped = lost;
	return st;
}

const hc_replay_store_ops hc_replay_store_memory = {
	.name = "memory",
	.open = mem_open,
	.spend = mem_spend,
	.stats = mem_stats,
	.inherit = mem_inherit,
	.close = mem_close,
};
