/* SPDX-License-Identifier: Apache-2.0 */
/*
 * validator.h - the pipeline: the private layout of the validator, request
 * and result, the context handed from layer to layer, and the layer
 * functions, shared by validator.c (construction, layer 1, the pipeline),
 * claims.c (layers 2 and 3) and result.c (accessors and JSON output).
 *
 * The modules the pipeline calls have headers of their own: the key sets
 * and slots (keyset.h), the refresher (refresh.h), the token cache
 * (cache.h) and the replay store (replay.h).
 */
#ifndef HC_VALIDATOR_H
#define HC_VALIDATOR_H

#include "dpop.h"
#include "internal.h"
#include "keyset.h"
#include "policy.h"
#include "wimse.h"

struct hc_request {
	char *method;            /* NULL: no route */
	char *path;              /* normalised for route matching */
	char *raw_method;        /* the method as sent (DPoP htm) */
	char *raw_path;          /* the target as sent, query kept: DPoP htu
				    and WPT aud are compared with it, never
				    with the normalised path */
	char *tenant;
	bool has_time;
	int64_t now;
	bool has_peer;           /* any of the peer fields below is set */
	unsigned char *peer_der; /* leaf certificate, DER */
	size_t peer_der_len;
	char *peer_x5t;          /* base64url SHA-256 of the leaf, 43 chars */
	char *peer_spiffe_id;
	char *txn_token;         /* the Txn-Token header's bytes, or NULL */
	size_t txn_token_len;
	hc_auth_scheme scheme;   /* of the access token: Bearer or DPoP */
	char *dpop;              /* the DPoP header's bytes, or NULL */
	size_t dpop_len;
	char *wit;               /* Workload-Identity-Token, or NULL */
	size_t wit_len;
	char *wpt;               /* Workload-Proof-Token, or NULL */
	size_t wpt_len;
};

struct hc_result {
	hc_status status;
	hc_detail detail;
	bool verified;           /* layer 1 passed; the fields below are set */
	hc_json *claims;         /* the payload (owned: one block) */
	hc_json *header;         /* the protected header (owned: one block) */
	const char *issuer;      /* borrowed from claims */
	const char *subject;
	const char *client;
	const char *kid;         /* borrowed from header */
	const char *alg;         /* static name */
	const char **actors;     /* current actor first; the array is owned,
				    the names borrowed from claims */
	size_t nactors;
	const char *scope;       /* normalised: single spaces, or NULL;
				    borrowed from claims or scope_buf */
	char *scope_buf;         /* scp joined (owned), or NULL */
	int64_t exp;
	const char *credential;  /* static: the credential that failed, or NULL */
	/* The Txn-Token (txn.c), set once its signature verified. */
	bool txn_verified;
	hc_json *txn_claims;     /* its payload (owned) */
	const char *txn;         /* borrowed from txn_claims */
	const char *txn_subject;
	const char *txn_scope;
	const char *txn_req_wl;
	int64_t txn_exp;
	/* DPoP (pop_creds.c): the verified proof's key, a nonce to send. */
	char dpop_jkt[HC_JKT_LEN + 1];      /* "" until a proof verified */
	char dpop_nonce[HC_DPOP_NONCE_LEN + 1];  /* on HC_NONCE, else "" */
	/* WIMSE: the verified WIT's Workload Identifier (heap), or NULL. */
	char *workload;
};

/*
 * One configured issuer and its current key set.  The set in `keys` is
 * replaced whole by a refresh; a validation takes a reference from the
 * slot and keeps using the set it got, so a swap never disturbs it.
 */
typedef struct hc_issuer_state {
	const hc_issuer_policy *pol;
	hc_keyslot keys;         /* empty until loaded */
	hc_key *secret;          /* HMAC key (hmac_secret_file), or NULL */
	struct hc_remote *remote;    /* refresh.c: jwks_uri / discovery state,
					or NULL */
} hc_issuer_state;

/* One SPIFFE trust domain and its JWT-SVID keys (same discipline). */
typedef struct hc_td_state {
	const hc_trust_domain_policy *pol;
	hc_keyslot keys;         /* keys with use "jwt-svid"; empty until loaded */
	struct hc_remote *remote;    /* refresh.c: bundle endpoint state, or
					NULL */
} hc_td_state;

/* The Transaction Token Service keys of txn_tokens (same discipline). */
typedef struct hc_txn_state {
	const hc_txn_policy *pol;
	hc_keyslot keys;         /* empty until loaded */
	struct hc_remote *remote;    /* refresh.c: jwks_uri state, or NULL */
} hc_txn_state;

struct hc_validator {
	hc_policy *policy;
	hc_txn_state *txn;           /* NULL without txn_tokens (txn.c) */
	hc_issuer_state *issuers;    /* policy->nissuers entries */
	hc_td_state *tds;            /* policy->ntrust_domains entries */
	struct hc_refresher *refresher;  /* refresh.c: set by hc_refresh_init():
					    remote sources, their statistics and
					    the source labels */
	struct hc_replay *replay;        /* replay.c: the jti store */
	struct hc_cache *cache;          /* cache.c; NULL when disabled */
	hc_wimse *wimse;                 /* wimse.c; NULL when wimse is off */
};

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
	char *peer_id;           /* the authenticated caller, a Workload
				    Identifier: the peer's SPIFFE ID or the
				    verified WIT sub, read once (heap) */
	hc_keyset *key_set;      /* the set that verified the token (a ref) */
	hc_keyslot *key_slot;    /*   and the slot it was taken from */
	hc_status chain_status;  /* a structural fault of `act`, reported */
	hc_detail chain_detail;  /*   by layer 3 after layer 2 passed */
	const hc_route_policy *route;  /* the request's route, or NULL */
	bool has_access_token;   /* an access token was presented */
	const char *token;       /* the access token's bytes, or NULL */
	size_t token_len;
	bool dpop_ok;            /* the DPoP proof verified (dpop holds it) */
	hc_dpop_result dpop;
	bool wimse_ok;           /* the WIT and WPT verified (wimse holds it) */
	hc_wimse_result wimse;
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
/* claims.c: layer 3 of the access token (act chain, binding, delegation). */
hc_status hc_claims_layer3(hc_ctx *c);
/*
 * claims.c: a route's scopes against `scope` (the scopes of the token
 * named `what`) and its tenant claim against `payload`.  HC_SCOPE or
 * HC_TENANT with a reason.
 */
hc_status hc_claims_route(hc_ctx *c, const hc_route_policy *rt,
    const char *scope, const hc_json *payload, const char *what);
/* claims.c: fills the result's identity fields from verified claims. */
hc_status hc_claims_fill_result(hc_ctx *c);

/*
 * claims.c: whether `s` is a scope list of RFC 6749 section 3.3 form
 * (tokens of NQCHAR separated by single spaces); *count is the number.
 */
bool hc_scope_well_formed(const char *s, size_t *count);

/* True when the space-separated `scopes` contains `s` exactly. */
bool hc_scope_has(const char *scopes, const char *s);

#endif /* HC_VALIDATOR_H */
