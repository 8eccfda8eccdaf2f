/* SPDX-License-Identifier: Apache-2.0 */
/*
 * refresh.h - what the pipeline needs from the refresher of remote key
 * sets (refresh.c): setting it up with a validator, tearing it down, and
 * asking for an early refresh when a token names a kid the set lacks.
 *
 * The refresher fills the key slots of issuers and trust domains
 * (keyset.h) and calls nothing of the pipeline; the public side
 * (hc_validator_refresh(), hc_validator_start_refresher(),
 * hc_validator_key_stats(), ...) is declared in hopcheck.h.
 *
 * Important caveats
 *  - hc_refresh_note_kid_miss() never fetches: it raises a flag and wakes
 *    the refresher, at most once per fetch.unknown_kid_cooldown_s per
 *    source.  A caller that runs no refresher (neither
 *    hc_validator_start_refresher() nor its own hc_validator_refresh()
 *    loop) gets no keys from the network at all.
 */
#ifndef HC_REFRESH_H
#define HC_REFRESH_H

#include <stdbool.h>
#include <stdint.h>

#include "hopcheck.h"
#include "internal.h"

/* Refresh state of one remote key source (refresh.c owns the layout). */
typedef struct hc_remote hc_remote;

/*
 * Sets up the state of every remote source of `v`, once its policy and
 * key slots are in place; no fetch happens until a refresh round.
 * HC_INTERNAL with a reason when out of memory.
 */
hc_status hc_refresh_init(hc_validator *v, hc_detail *d);

/* Undoes hc_refresh_init(), stopping the refresher's thread first. */
void hc_refresh_free(hc_validator *v);

/*
 * Called by layer 1 when the set of a remote source (an issuer's, or a
 * trust domain's bundle) has no key for a token's kid: asks for one early
 * refresh, at most once per cool-down, never blocking the caller.  NULL
 * (a source that is not remote) is a no-op.
 */
void hc_refresh_note_kid_miss(hc_remote *r);

/* Sets the key event hook of hc_validator_set_logger() (keylog.c). */
void hc_refresh_set_logger(hc_validator *v, hc_log_fn fn, void *arg);

/* The key event hook and its argument, read under the lock; NULL if none. */
hc_log_fn hc_refresh_logger(const hc_validator *v, void **arg);

/* What the refresher knows of one key source, for the key report. */
typedef struct hc_refresh_state {
	bool remote;             /* a remote source; the rest is unset if not */
	const char *url;         /* as configured (borrowed) */
	hc_detail last_error;    /* empty after a success */
	const char *last_failure;    /* its kind (static), or NULL */
	int64_t next_at;         /* wall clock: next fetch due; 0 before one */
	int64_t ok_at;           /* wall clock: last good answer, or 0 */
	uint64_t n_ok, n_failed;
} hc_refresh_state;

/*
 * Fills *out for key source `i` (numbered as by hc_validator_key_stats()).
 * Returns false when `i` is out of range.
 */
bool hc_refresh_info(const hc_validator *v, size_t i, hc_refresh_state *out);

#endif /* HC_REFRESH_H */
