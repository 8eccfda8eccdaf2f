/* SPDX-License-Identifier: Apache-2.0 */
/*
 * holder.c - reference-counted generations of the validator.
 *
 * Invariant, under `lock`: `cur` holds one reference of its own, so a
 * generation's count reaches zero only after it was replaced and every
 * request that took it has released it.  The validator is freed outside
 * the lock: freeing joins its refresher thread, which may take a while.
 */
#include <pthread.h>
#include <stdlib.h>

#include "holder.h"

struct hcd_gen {
	hc_validator *v;
	unsigned long refs;
	hcd_retire_end_fn end;   /* set when the generation is replaced */
	void *token;             /*   with what its `begin` returned */
};

struct hcd_holder {
	pthread_mutex_t lock;
	hcd_gen *cur;
	hcd_retire_begin_fn begin;
	hcd_retire_end_fn end;
};

/*
 * A generation of v whose one reference is the holder's own (see the invariant
 * above); NULL when out of memory, v then still the caller's.
 */
static hcd_gen *
gen_new(hc_validator *v)
{
	hcd_gen *g = calloc(1, sizeof(*g));

	if (g != NULL) {
		g->v = v;
		g->refs = 1;
	}
	return g;
}

/*
 * Frees a generation whose count reached zero, with its validator.  Called
 * outside the lock: freeing the validator joins its refresher thread.
 */
static void
gen_free(hcd_gen *g)
{
	if (g->end != NULL)
		g->end(g->v, g->token);
	hc_validator_free(g->v);
	free(g);
}

/*
 * The holder takes v only on success: when out of memory it returns NULL and v
 * stays the caller's to free.
 */
hcd_holder *
hcd_holder_new(hc_validator *v)
{
	hcd_holder *h = calloc(1, sizeof(*h));

	if (h == NULL)
		return NULL;
	if ((h->cur = gen_new(v)) == NULL) {
		free(h);
		return NULL;
	}
	pthread_mutex_init(&h->lock, NULL);
	return h;
}

/*
 * Drops the holder's reference to the current generation, which frees it since
 * no request may hold one by now (the daemon stops serving first).
 */
void
hcd_holder_free(hcd_holder *h)
{
	if (h == NULL)
		return;
	hcd_holder_release(h, h->cur);
	pthread_mutex_destroy(&h->lock);
	free(h);
}

/*
 * Takes a request's reference under the lock, so that a concurrent swap cannot
 * free the generation between reading cur and counting.
 */
hcd_gen *
hcd_holder_acquire(hcd_holder *h)
{
	hcd_gen *g;

	pthread_mutex_lock(&h->lock);
	g = h->cur;
	g->refs++;
	pthread_mutex_unlock(&h->lock);
	return g;
}

/*
 * Drops one reference under the lock and frees the generation outside it when
 * that was the last one.  NULL is a no-op.
 */
void
hcd_holder_release(hcd_holder *h, hcd_gen *g)
{
	unsigned long left;

	if (g == NULL)
		return;
	pthread_mutex_lock(&h->lock);
	left = --g->refs;
	pthread_mutex_unlock(&h->lock);
	if (left == 0)
		gen_free(g);
}

/*
 * The validator of g, borrowed for as long as the caller holds its reference.
 */
hc_validator *
hcd_gen_validator(const hcd_gen *g)
{
	return g->v;
}

/*
 * Makes v the current generation for every request that starts from now on;
 * requests already running keep the old one, which the last of them frees.
 * The generation is allocated before the lock is taken, so a failure (-1, v
 * left to the caller) changes nothing.
 */
int
hcd_holder_swap(hcd_holder *h, hc_validator *v)
{
	hcd_gen *g = gen_new(v), *old;

	if (g == NULL)
		return -1;
	pthread_mutex_lock(&h->lock);
	old = h->cur;
	h->cur = g;
	/* Under the lock: no release can free `old` before its hook is set. */
	if (h->begin != NULL)
		old->token = h->begin(old->v);
	old->end = h->end;
	pthread_mutex_unlock(&h->lock);
	/* Drop the holder's own reference to the replaced generation. */
	hcd_holder_release(h, old);
	return 0;
}

void
hcd_holder_on_retire(hcd_holder *h, hcd_retire_begin_fn begin,
    hcd_retire_end_fn end)
{
	pthread_mutex_lock(&h->lock);
	h->begin = begin;
	h->end = end;
	pthread_mutex_unlock(&h->lock);
}
