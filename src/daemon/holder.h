/* SPDX-License-Identifier: Apache-2.0 */
/*
 * holder.h - the validator in use, swapped whole on reload.
 *
 * A request takes a reference to the current generation under a mutex and
 * keeps using that validator to its end; a reload installs a new
 * generation, and the old validator is freed when its last request lets
 * go of it (read-copy-update, with reference counts instead of grace
 * periods).  Validators are immutable, so nothing else needs locking.
 */
#ifndef HCD_HOLDER_H
#define HCD_HOLDER_H

#include "hopcheck.h"

typedef struct hcd_holder hcd_holder;
typedef struct hcd_gen hcd_gen;

/* A holder of `v` (taking ownership); NULL when out of memory. */
hcd_holder *hcd_holder_new(hc_validator *v);
/* Frees the holder and the current validator; no reference may be held. */
void hcd_holder_free(hcd_holder *h);

/* Takes a reference to the current generation.  Never NULL. */
hcd_gen *hcd_holder_acquire(hcd_holder *h);
/* Drops a reference; the last one of a replaced generation frees it. */
void hcd_holder_release(hcd_holder *h, hcd_gen *g);
/* The validator of a generation, valid while the reference is held. */
hc_validator *hcd_gen_validator(const hcd_gen *g);

/*
 * Retirement hooks, for state that must outlive a generation (counters):
 * `begin` runs when a generation is replaced, with its validator, and
 * returns a token; `end` runs with that token just before the replaced
 * validator is freed, once its last request is done.  Either may be NULL.
 * Set before the first swap.
 */
typedef void *(*hcd_retire_begin_fn)(const hc_validator *v);
typedef void (*hcd_retire_end_fn)(const hc_validator *v, void *token);
void hcd_holder_on_retire(hcd_holder *h, hcd_retire_begin_fn begin,
    hcd_retire_end_fn end);

/*
 * Installs `v` (taking ownership) as the current generation.  Returns 0,
 * or -1 (and leaves `v` to the caller) when out of memory.
 */
int hcd_holder_swap(hcd_holder *h, hc_validator *v);

#endif /* HCD_HOLDER_H */
