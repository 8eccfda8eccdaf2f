/*
 * validator.h - the private layout of the validator, request and result,
 * shared by validator.c (construction, layer 1, the pipeline), claims.c
 * (layers 2 and 3) and result.c (accessors and JSON output).
 */
#ifndef HC_VALIDATOR_H
#define HC_VALIDATOR_H

#include <pthread.h>

#include "crypto.h"
#include "internal.h"
#include "policy.h"

struct hc_request {
	char *method;            /* NULL: no route */
	char *path;
	char *tenant;
	bool has_time;
	int64_t now;
	bool has_peer;           /* any of the peer fields below is set */
	unsigned char *peer_der; /* leaf certificate, DER */
	size_t peer_der_len;
	char *peer_x5t;          /* base64url SHA-256 of the leaf, 43 chars */
	char *peer_spiffe_id;
};

struct hc_result {
	hc_status status;
	hc_detail detail;
	bool verified;           /* layer 1 passed; the fields below are set */
	hc_json *claims;         /* the payload (owned) */
	const char *issuer;      /* borrowed from claims */
	const char *subject;
	const char *client;
	char *kid;
	const char *alg;         /* static name */
	char **actors;           /* current actor first */
	size_t nactors;
	char *scope;             /* normalised: single spaces, or NULL */
	int64_t exp;
};

/* The verified-token cache (cache.c owns the layout). */
typedef struct hc_cache hc_cache;

/* Refresh state of a remote key source (refresh.c owns the layout). */
typedef struct hc_remote hc_remote;

/*
 * One configured issuer and its current key set.  `keys` is replaced whole
 * under `lock` by a refresh; a validation takes a reference under the lock
 * and keeps using the set it got, so a swap never disturbs it.
 */
typedef struct hc_issuer_state {
	const hc_issuer_policy *pol;
	pthread_mutex_t lock;    /* guards keys */
	hc_keyset *keys;         /* NULL until loaded */
	hc_key *secret;          /* HMAC key (hmac_secret_file), or NULL */
	hc_remote *remote;       /* jwks_uri / discovery state, or NULL */
} hc_issuer_state;

/* One SPIFFE trust domain and its JWT-SVID keys (same discipline). */
typedef struct hc_td_state {
	const hc_trust_domain_policy *pol;
	pthread_mutex_t lock;
	hc_keyset *keys;         /* keys with use "jwt-svid", NULL until loaded */
	hc_remote *remote;       /* bundle endpoint state, or NULL */
} hc_td_state;

struct hc_validator {
	hc_policy *policy;
	hc_issuer_state *issuers;    /* policy->nissuers entries */
	hc_td_state *tds;            /* policy->ntrust_domains entries */
	struct hc_refresher *refresher;  /* refresh.c: set by hc_refresh_init():
					    remote sources, their statistics and
					    the source labels */
	struct hc_replay *replay;        /* replay.c: the jti store */
	hc_cache *cache;                 /* cache.c; NULL when disabled */
};

/* Installs a new key set (takes the caller's reference); frees the old. */
void hc_issuer_swap_keys(hc_issuer_state *is, hc_keyset *ks);
void hc_td_swap_keys(hc_td_state *ts, hc_keyset *ks);

/*
 * refresh.c: the refresher of remote key sets.  hc_refresh_init() is called
 * once a validator's policy and local keys are in place and sets up the
 * state of every remote source; hc_refresh_free() undoes it (stopping any
 * thread first).  hc_refresh_note_kid_miss() is called by layer 1 when the
 * set of a remote source (an issuer's, or a trust domain's bundle) has no
 * key for a token's kid: it asks for one early refresh, at most once per
 * cool-down, never blocking the caller.  NULL is a no-op.
 */
hc_status hc_refresh_init(hc_validator *v, hc_detail *d);
void hc_refresh_free(hc_validator *v);
void hc_refresh_note_kid_miss(hc_remote *r);

/* The validation context handed from layer to layer. */
typedef struct hc_ctx {
	const hc_validator *v;
	const hc_policy *pol;
	const hc_issuer_policy *ipol;
	const hc_request *req;
	int64_t now;
	const hc_json *header;
	const hc_json *payload;
	hc_result *res;
	char *peer_id;           /* the peer's SPIFFE ID, read once (heap) */
	hc_keyset *key_set;      /* the set that verified the token (a ref) */
	hc_keyset **key_slot;    /*   and where its issuer keeps its set */
	pthread_mutex_t *key_slot_lock;
	hc_status chain_status;  /* a structural fault of `act`, reported */
	hc_detail chain_detail;  /*   by layer 3 after layer 2 passed */
} hc_ctx;

/*
 * validator.c: layer 1 and the claim types: the token is a compact JWS
 * signed by a key of the configured issuer its `iss` names.  With
 * `applicable`, also the typ and time rules of layer 2 at `now`; never the
 * audience or any policy.  For hc_check_exchange(), which compares two
 * tokens that are not addressed to this service.  The claims (owned) in
 * *claims.
 */
hc_status hc_verify_token(const hc_validator *v, const char *token,
    size_t len, bool applicable, int64_t now, hc_json **claims,
    hc_detail *d);

/*
 * Whether the token is a JWT-SVID (verified with a trust domain's bundle):
 * its policy is the only one without an issuer.  A JWT-SVID proves a
 * workload's identity; it grants no scope and carries no delegation.
 */
static inline bool
hc_ctx_is_svid(const hc_ctx *c)
{
	return c->ipol != NULL && c->ipol->issuer == NULL;
}

/* claims.c: type checks of registered claims (HC_MALFORMED). */
hc_status hc_claims_types(hc_ctx *c);
/* claims.c: the typ rule, and exp/nbf/iat/lifetime, of layer 2. */
hc_status hc_claims_check_type(hc_ctx *c);
hc_status hc_claims_check_times(hc_ctx *c);
/* claims.c: layer 2, applicability (typ, aud, times, required claims). */
hc_status hc_claims_layer2(hc_ctx *c);
/* claims.c: layer 3, authorisation context (chain, routes, tenant). */
hc_status hc_claims_layer3(hc_ctx *c);
/* claims.c: fills the result's identity fields from verified claims. */
hc_status hc_claims_fill_result(hc_ctx *c);

/*
 * replay.c: the jti replay store of one-time-use routes.  hc_replay_new()
 * builds the store the policy names (replay.store) at construction;
 * hc_replay_check() runs last in layer 3 for a route with one_time_use:
 * `jti` required (HC_CLAIM), remembered with the issuer until exp + skew;
 * seen before: HC_REPLAY; store full or down: HC_UNAVAILABLE (fail
 * closed).  Thread-safe.
 */
hc_status hc_replay_new(const hc_policy *p, struct hc_replay **out,
    hc_detail *d);
void hc_replay_free(struct hc_replay *r);
hc_status hc_replay_check(hc_ctx *c, const hc_route_policy *rt);

/*
 * cache.c: the verified-token cache.  hc_cache_new() with max 0 stores
 * NULL (disabled; the other functions accept NULL).  hc_cache_lookup()
 * fills jws (header and payload, owned by the caller), c->ipol, c->header,
 * c->payload and the result's alg and kid from a live entry for exactly
 * these token bytes, and returns true; an entry past exp + skew, or whose
 * issuer's key set has been replaced since, is dropped.
 * hc_cache_insert() stores what layer 1 established for a token.
 */
hc_status hc_cache_new(size_t max, hc_cache **out, hc_detail *d);
void hc_cache_free(hc_cache *ca);
bool hc_cache_lookup(hc_cache *ca, const char *token, size_t len, hc_ctx *c,
    hc_jws *jws);
void hc_cache_insert(hc_cache *ca, const char *token, size_t len,
    const hc_ctx *c, const hc_json *header, const hc_json *payload);

/* True when the space-separated `scopes` contains `s` exactly. */
bool hc_scope_has(const char *scopes, const char *s);

#endif /* HC_VALIDATOR_H */
