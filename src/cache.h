/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cache.h - the verified-token cache (cache.c): what layer 1 established
 * for exact token bytes, so that a token seen again skips the signature.
 *
 * hc_cache_new() with max 0 stores NULL (disabled); every other function
 * accepts NULL and then does nothing (a lookup misses).
 *
 * Important caveats
 *  - A hit skips layer 1 only: the pipeline still runs the claim types
 *    and layers 2 and 3, since time, peer, route and tenant change.
 *  - An entry is as good as the key set that verified it: it is dropped
 *    once that set is no longer its issuer's current set (a refresh), and
 *    at exp + clock skew; nothing else invalidates it.
 */
#ifndef HC_CACHE_H
#define HC_CACHE_H

#include <stdbool.h>
#include <stddef.h>

#include "internal.h"
#include "validator.h"

typedef struct hc_cache hc_cache;

/* Builds a cache of at most `max` entries; HC_INTERNAL when out of memory. */
hc_status hc_cache_new(size_t max, hc_cache **out, hc_detail *d);

void hc_cache_free(hc_cache *ca);

/*
 * Fills jws (header and payload trees, owned by the caller), c->ipol,
 * c->header, c->payload and the result's alg and kid (borrowed from the
 * header) from a live entry for exactly these token bytes, and returns
 * true; an entry past exp + skew, or whose issuer's key set has been
 * replaced since, is dropped.  Two allocations on a hit: the two trees.
 */
bool hc_cache_lookup(hc_cache *ca, const char *token, size_t len, hc_ctx *c,
    hc_jws *jws);

/*
 * Stores what layer 1 established for a token: c after a successful
 * layer 1 and claim types (c->header and c->payload its trees), and jws,
 * its segments.  The entry keeps the token, not the trees: a hit rebuilds
 * them.  Out of memory stores nothing.
 */
void hc_cache_insert(hc_cache *ca, const char *token, size_t len,
    const hc_ctx *c, const hc_jws *jws);

#endif /* HC_CACHE_H */
