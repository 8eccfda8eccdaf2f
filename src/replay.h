/* SPDX-License-Identifier: Apache-2.0 */
/*
 * replay.h - one-time use: the replay policy of the pipeline (replay.c)
 * and the interface of the stores that remember what was spent
 * (replay_mem.c, replay_redis.c).
 *
 * The policy decides what a key is (for a jti: the authority it is unique
 * under, '\0', the jti), how long it must be remembered, by which clock,
 * and what a store's answer means for the request.  A store only records
 * opaque keys under a namespace and says whether a key was new: it knows
 * nothing of tokens, issuers or clocks beyond the times it is handed, so
 * that DPoP proof ids, WIMSE WPT ids or Txn-Token txn ids can be spent in
 * the same store under their own namespaces.
 *
 * A new store is one file: a const hc_replay_store_ops filled with
 * designated initializers, whose private layout begins with an
 * hc_replay_store, and one line in replay.c that chooses it.
 *
 * Important caveats
 *  - The memory store lives in one process.  Several hopcheckd instances
 *    behind one proxy, or a restart, forget what it remembered: a token
 *    spent on one instance can be spent again on another.  Use a Redis
 *    store ("redis://127.0.0.1:6379/0") when one-time use must hold across
 *    processes.
 *  - The Redis store trusts the Redis server it talks to, and speaks to it
 *    without TLS (Debian 12's hiredis 0.14 has none): loopback hosts only,
 *    unless replay.allow_network is set, and then the path to the server
 *    must be private (a private network, a mesh sidecar, a TLS tunnel).
 *    The AUTH password crosses that path in the clear.
 *  - hiredis writes to its socket with write(2): a process using the Redis
 *    store must ignore SIGPIPE (hopcheckd does), or a server that closes
 *    the connection can kill it.
 */
#ifndef HC_REPLAY_H
#define HC_REPLAY_H

#include <stddef.h>
#include <stdint.h>

#include "hopcheck.h"
#include "internal.h"
#include "policy.h"

struct hc_ctx;
struct hc_replay;

/* The state of a validator's store, for metrics. */
typedef struct hc_replay_stats {
	const char *store;       /* "memory", "redis", or "none" */
	size_t entries;          /* memory: keys remembered now */
	size_t capacity;         /* memory: replay.max_entries; redis: 0 */
	uint64_t recorded;       /* keys accepted and remembered */
	uint64_t replays;        /* keys found already spent (HC_REPLAY) */
	uint64_t failures;       /* HC_UNAVAILABLE: store full, or Redis down */
} hc_replay_stats;

/* ------------------------------------------------------ the policy */

/*
 * Builds the store the policy names (replay.store: "memory", the default,
 * or a redis:// URL) at construction; a Redis store connects on first use.
 * HC_CONFIG with a reason for a store that cannot be, HC_INTERNAL when out
 * of memory.
 */
hc_status hc_replay_new(const hc_policy *p, struct hc_replay **out,
    hc_detail *d);

void hc_replay_free(struct hc_replay *r);  /* NULL is a no-op */

/*
 * Runs last in layer 3 for a route with one_time_use: `jti` required
 * (HC_CLAIM, or HC_MALFORMED when not a string), spent under its issuer
 * (or the SPIFFE trust domain of a JWT-SVID) until exp + skew; spent
 * before: HC_REPLAY; store full or down: HC_UNAVAILABLE (fail closed).
 * Thread-safe.
 */
hc_status hc_replay_check(struct hc_ctx *c, const hc_route_policy *rt);

/*
 * Spends `key` (klen > 0 bytes) under namespace `ns` for another kind of
 * one-time id (a Txn-Token's txn: "txn"), by the rules of
 * hc_replay_check(): remembered until `expires`, aged by the earlier of
 * `now` (the request's clock) and the system's, a relative TTL no longer
 * than `max_ttl`.  HC_OK when new; HC_REPLAY (no detail: the caller words
 * it); HC_UNAVAILABLE or HC_INTERNAL with a reason.  Thread-safe.
 */
hc_status hc_replay_spend_key(const hc_validator *v, const char *ns,
    const unsigned char *key, size_t klen, int64_t now, int64_t expires,
    int64_t max_ttl, hc_detail *d);

/*
 * A one-time id a credential module verified and the pipeline spends last
 * (after every other check of the request passed): a DPoP proof's
 * (thumbprint, htu, jti) in namespace "dpop", a WPT's (WIT sub, jti) in
 * namespace "wpt".  The key is opaque (the modules hash their tuples) and
 * owned by the record.
 */
typedef struct hc_replay_record {
	const char *ns;          /* static: "dpop", "wpt" */
	unsigned char *key;      /* heap, owned; NULL: nothing to spend */
	size_t klen;
	int64_t expires;         /* the credential is refused anyway from then */
	int64_t max_ttl;         /* >= 1: the longest a store counting relative
				    time keeps it, whatever the request's now */
} hc_replay_record;

/*
 * Spends a record in the store of `r` at the request's `now`: HC_OK when it
 * was new, HC_REPLAY (detail naming the namespace) when spent before,
 * HC_UNAVAILABLE when there is no store or it cannot tell, HC_INTERNAL.
 * The store ages by the earlier of `now` and the system clock, as for jti
 * values.  Thread-safe.
 */
hc_status hc_replay_spend_record(struct hc_replay *r,
    const hc_replay_record *rec, int64_t now, hc_detail *d);

/*
 * Fills *rec with the key of a one-time id made of `nparts` strings: the
 * SHA-256 of each part with a 4-byte big-endian length before it, so that
 * no two tuples share a key.  `ns` is static ("dpop", "wpt").  HC_OK, or
 * HC_INTERNAL when out of memory (*rec then holds nothing).
 */
hc_status hc_replay_record_make(hc_replay_record *rec, const char *ns,
    const char *const *parts, size_t nparts, int64_t expires,
    int64_t max_ttl, hc_detail *d);

/* Frees the key of a record and empties it; NULL is a no-op. */
void hc_replay_record_clear(hc_replay_record *rec);

/*
 * Fills *out with the statistics of the store of `v`.  A validator whose
 * store was never built reports store "none" and zeros.
 */
void hc_replay_get_stats(const hc_validator *v, hc_replay_stats *out);

/*
 * Hands the store of `from`, the validator in use, over to `to`, one just
 * built from a reloaded configuration and not yet validating, so that a
 * reload never reopens a one-time-use token for a second use.  When both
 * use memory stores, `to` shares the very table of `from` from then on,
 * whatever their capacities: a key spent through either, before or after
 * the swap of validators (requests in flight finish on `from`), is spent
 * for both, and the table's counters carry on.  Nothing is copied and
 * nothing live is dropped: when the replay.max_entries of `to` is below
 * the entries remembered now, *over (when not NULL) says by how many, all
 * are kept, and `to` refuses new spends (HC_UNAVAILABLE, as when full)
 * until enough have expired.  A Redis store needs nothing: the server
 * remembers.  Returns HC_OK, or HC_INTERNAL when out of memory.
 */
hc_status hc_replay_inherit(hc_validator *to, const hc_validator *from,
    size_t *over);

/* ------------------------------------------------ the store interface */

/*
 * One key to spend, and how long it must be remembered.  The policy
 * computes both forms of the lifetime so that each store takes the one it
 * speaks, and every rule about time stays in the policy.
 */
typedef struct hc_replay_spend {
	const char *ns;          /* the record kind ("jti"), a short name of
				    [a-z0-9-]: equal keys of two kinds are
				    two keys */
	const unsigned char *key;  /* opaque bytes, compared exactly */
	size_t klen;             /* > 0 */
	int64_t now;             /* the clock the store ages by, in seconds
				    since the epoch: no request can push it
				    ahead of the system's */
	int64_t expires;         /* the key may be forgotten once
				    now >= expires */
	int64_t ttl;             /* the same, as seconds from now for a store
				    that counts relative time: >= 1, capped */
} hc_replay_spend;

typedef struct hc_replay_store hc_replay_store;

/* What a store is built from: the replay section of the policy. */
typedef struct hc_replay_options {
	const char *spec;        /* replay.store: "memory" or a redis:// URL */
	size_t max_entries;      /* >= 1: bounds a store that holds the keys
				    itself */
	const char *key_namespace;  /* NULL, or replay.namespace: a shared
				    store keeps the keys of each namespace
				    apart */
	unsigned pool_size;      /* >= 1: connections of a networked store */
	bool allow_network;      /* a networked store may leave loopback */
} hc_replay_options;

/*
 * A store.  Every function but inherit is required, and each is safe to
 * call from any number of threads.
 */
typedef struct hc_replay_store_ops {
	const char *name;        /* "memory", "redis": for statistics */
	/*
	 * Builds a store from the options; each store reads those that
	 * concern it.  HC_CONFIG (naming the key at fault) or HC_INTERNAL
	 * with a reason; nothing is connected yet.
	 */
	hc_status (*open)(const hc_replay_options *o, hc_replay_store **out,
	    hc_detail *d);
	/*
	 * Records a key: HC_OK when it was new and is now remembered,
	 * HC_REPLAY when it is remembered already (no detail: the policy
	 * words it), HC_UNAVAILABLE with a reason when the store cannot tell
	 * (full, unreachable, an error reply), HC_INTERNAL when out of
	 * memory.  Anything but HC_OK must fail the request: a store never
	 * answers "new" for a key it could not record.
	 */
	hc_status (*spend)(hc_replay_store *s, const hc_replay_spend *sp,
	    hc_detail *d);
	/* Fills every field of *out but `store`. */
	void (*stats)(hc_replay_store *s, hc_replay_stats *out);
	/*
	 * Optional.  Makes `to` (not yet in use) share what `from`, a store
	 * of the same ops in use, remembers, and sets *over (never NULL); see
	 * hc_replay_inherit().
	 */
	hc_status (*inherit)(hc_replay_store *to, hc_replay_store *from,
	    size_t *over);
	void (*close)(hc_replay_store *s);  /* frees; NULL is not passed */
} hc_replay_store_ops;

/* The head of every store's private layout. */
struct hc_replay_store {
	const hc_replay_store_ops *ops;
};

extern const hc_replay_store_ops hc_replay_store_memory;
extern const hc_replay_store_ops hc_replay_store_redis;

#endif /* HC_REPLAY_H */
