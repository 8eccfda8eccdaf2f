/*
 * replay.h - what replay.c offers beyond the pipeline hook of validator.h:
 * statistics for metrics, and handing a memory store over from one
 * validator to the next when hopcheckd reloads its configuration.
 *
 * hc_replay_new(), hc_replay_free() and hc_replay_check(), the part the
 * pipeline calls, are declared in validator.h with the other layer-3 steps.
 *
 * Important caveats
 *  - The memory store lives in one process.  Several hopcheckd instances
 *    behind one proxy, or a restart, forget what it remembered: a token
 *    spent on one instance can be spent again on another.  Use a Redis
 *    store ("redis://127.0.0.1:6379/0") when one-time use must hold across
 *    processes.
 *  - The Redis store trusts the Redis server it talks to; it connects to
 *    loopback addresses only, without TLS.
 *  - hiredis writes to its socket with write(2): a process using the Redis
 *    store must ignore SIGPIPE (hopcheckd does), or a server that closes
 *    the connection can kill it.
 */
#ifndef HC_REPLAY_H
#define HC_REPLAY_H

#include <stddef.h>
#include <stdint.h>

#include "hopcheck.h"

/* The state of a validator's jti store, for metrics. */
typedef struct hc_replay_stats {
	const char *store;       /* "memory", "redis", or "none" */
	size_t entries;          /* memory: jti values remembered now */
	size_t capacity;         /* memory: replay.max_entries; redis: 0 */
	uint64_t recorded;       /* jti values accepted and remembered */
	uint64_t replays;        /* HC_REPLAY verdicts */
	uint64_t failures;       /* HC_UNAVAILABLE: store full, or Redis down */
} hc_replay_stats;

/*
 * Fills *out with the statistics of the store of `v`.  A validator whose
 * store was never built reports store "none" and zeros.
 */
void hc_replay_get_stats(const hc_validator *v, hc_replay_stats *out);

/*
 * Lets `to`, a validator just built from a reloaded configuration and not
 * yet validating, remember what `from` remembers, so that a reload does
 * not reopen one-time-use tokens for a second use.  When both use memory
 * stores of the same capacity, `to` shares the very table of `from` (no
 * window between the copy and the swap of validators); with different
 * capacities, the live entries of `from` are copied, as many as fit, and
 * *dropped (when not NULL) says how many did not.  A Redis store needs
 * nothing: the server remembers.  Returns HC_OK, or HC_INTERNAL when out
 * of memory.
 */
hc_status hc_replay_inherit(hc_validator *to, const hc_validator *from,
    size_t *dropped);

#endif /* HC_REPLAY_H */
