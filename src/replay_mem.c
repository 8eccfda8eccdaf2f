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
 * One table serves every generation of validators across reloads: it is
 * refcounted, and a validator built by a reload takes over the very table
 * of the one it replaces (inherit), so that a key spent through either,
 * before or after the handover, is spent for both.  Nothing is ever
 * copied, and nothing live is ever dropped.  The capacity belongs to each
 * validator's store (its replay.max_entries), not to the table: when a
 * reload lowers it below the entries the table holds, all of them are
 * kept and every new spend through the new store is refused as when full
 * until enough have expired; a raised capacity lets the table grow in
 * place.  The old store keeps its own capacity for the requests still in
 * flight on it, and a reload that fails after the handover leaves the
 * running validator exactly as it was.  The table is guarded by one mutex;
 * any number of threads may spend at once.
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
 * The table, shared by the stores of every validator generation that
 * holds it; `refs` counts them.  Invariants, under `lock`: count <=
 * heap_cap; count grows only through a store whose capacity is above it
 * (a store whose capacity was lowered may find count above its own);
 * every entry is in exactly one bucket chain and at heap[heap_idx]; heap
 * is a min-heap on `expires`; nbuckets is a power of two.  The counters
 * count every spend through any store of the table, so they survive
 * reloads.
 */
struct mem_table {
	pthread_mutex_t lock;
	int refs;                /* >= 1 */
	unsigned char sipkey[16];  /* fixed once built */
	struct mem_entry **buckets;
	size_t nbuckets;
	struct mem_entry **heap;
	size_t heap_cap;
	size_t count;
	uint64_t recorded, replays, failures;
};

/*
 * A validator's memory store: its capacity and the table it shares.
 * Invariants: max >= 1 and max_buckets (a power of two, the bucket array
 * size that suits max) are fixed once opened; t changes only by inherit,
 * before the store is in use.
 */
struct mem_store {
	hc_replay_store base;    /* first: all the policy sees */
	struct mem_table *t;     /* never NULL once opened */
	size_t max;              /* replay.max_entries of this validator */
	size_t max_buckets;      /* the bucket array grows no larger */
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

/*
 * Doubles the bucket array, up to max_buckets (an array already that large
 * or larger, from a store of a greater capacity, stays); false when out of
 * memory.
 */
static bool
mem_grow_buckets(struct mem_table *t, size_t max_buckets)
{
	size_t n = t->nbuckets * 2;
	struct mem_entry **b;

	if (n > max_buckets)
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
 * Adds a new entry through store m; the caller has checked that the key
 * is absent and that count < m->max (so a full heap can grow).
 * HC_INTERNAL when out of memory.
 */
static hc_status
mem_insert(const struct mem_store *m, uint64_t hash, const char *ns,
    size_t nslen, const unsigned char *key, size_t klen, int64_t expires)
{
	struct mem_table *t = m->t;
	struct mem_entry *e;
	size_t b;

	if (t->count + 1 > t->nbuckets && !mem_grow_buckets(t, m->max_buckets))
		return HC_INTERNAL;
	if (t->count == t->heap_cap) {
		size_t cap = t->heap_cap ? t->heap_cap * 2 : HC_REPLAY_MIN_BUCKETS;
		struct mem_entry **h;
		if (cap > m->max)
			cap = m->max;
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

/* Builds an empty table under a fresh random hash key. */
static hc_status
mem_table_new(struct mem_table **out, hc_detail *d)
{
	struct mem_table *t;

	*out = NULL;
	if ((t = calloc(1, sizeof(*t))) == NULL)
		return hc_fail(d, HC_INTERNAL, "out of memory");
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

/* Reads max_entries only: the table is this process's own. */
static hc_status
mem_open(const hc_replay_options *o, hc_replay_store **out, hc_detail *d)
{
	size_t mb = HC_REPLAY_MIN_BUCKETS, max_entries = o->max_entries;
	struct mem_store *m;
	hc_status st;

	*out = NULL;
	if (max_entries == 0)
		return hc_fail(d, HC_CONFIG, "replay.max_entries must be at least 1");
	while (mb < max_entries && mb <= SIZE_MAX / 4)
		mb *= 2;
	if ((m = calloc(1, sizeof(*m))) == NULL)
		return hc_fail(d, HC_INTERNAL, "out of memory");
	m->base.ops = &hc_replay_store_memory;
	m->max = max_entries;
	m->max_buckets = mb;
	if ((st = mem_table_new(&m->t, d)) != HC_OK) {
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

/*
 * Records the key until sp->expires, or says why not.  The capacity is
 * this store's: a table shared with a store of a greater one may hold
 * more, and then nothing new is recorded here until enough expire.
 */
static hc_status
mem_spend(hc_replay_store *s, const hc_replay_spend *sp, hc_detail *d)
{
	const struct mem_store *m = mem_store_of(s);
	struct mem_table *t = m->t;
	size_t count;
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
	if ((count = t->count) >= m->max) {
		t->failures++;
		pthread_mutex_unlock(&t->lock);
		if (count > m->max)
			return hc_fail(d, HC_UNAVAILABLE, "replay store holds %zu "
			    "live entries, more than replay.max_entries (%zu) "
			    "since a reload lowered it; refusing rather than "
			    "forgetting a %s until enough expire", count, m->max,
			    sp->ns);
		return hc_fail(d, HC_UNAVAILABLE, "replay store is full (%zu of "
		    "replay.max_entries, none expired); refusing rather than "
		    "forgetting a %s", count, sp->ns);
	}
	st = mem_insert(m, hash, sp->ns, nslen, sp->key, sp->klen,
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
	const struct mem_store *m = mem_store_of(s);
	struct mem_table *t = m->t;

	pthread_mutex_lock(&t->lock);
	out->entries = t->count;
	out->capacity = m->max;
	out->recorded = t->recorded;
	out->replays = t->replays;
	out->failures = t->failures;
	pthread_mutex_unlock(&t->lock);
}

/*
 * `to` (not in use yet) drops its own empty table and takes a reference
 * to that of `from`: one table from then on, whatever the capacities.
 * *over says how many of the entries live now exceed the capacity of
 * `to`; they are all kept.
 */
static hc_status
mem_inherit(hc_replay_store *to, hc_replay_store *from, size_t *over)
{
	struct mem_store *mto = mem_store_of(to);
	struct mem_table *src = mem_store_of(from)->t, *own = mto->t;
	size_t count;

	pthread_mutex_lock(&src->lock);
	if (src != own)
		src->refs++;
	count = src->count;
	pthread_mutex_unlock(&src->lock);
	if (src != own) {
		mto->t = src;
		mem_table_unref(own);
	}
	if (over != NULL)
		*over = count > mto->max ? count - mto->max : 0;
	return HC_OK;
}

const hc_replay_store_ops hc_replay_store_memory = {
	.name = "memory",
	.open = mem_open,
	.spend = mem_spend,
	.stats = mem_stats,
	.inherit = mem_inherit,
	.close = mem_close,
};
