/* SPDX-License-Identifier: Apache-2.0 */
/*
 * policy.h - the configuration, parsed into an immutable policy.
 *
 * config.c reads the v1 schema of hopcheck.conf(5) (JSON with comments) into
 * a struct hc_policy and validates every key, reporting every problem with
 * its JSON path; nothing else in the tree reads configuration text (its
 * generic readers are in config_read.c).  Once built, a policy is never
 * modified: a reload builds a new one.  policy.c answers the questions the
 * validator asks of a built policy (issuer by `iss`, route by request,
 * pattern match); they only read it, so threads may share one freely.
 *
 * Patterns (actors, subjects, direct callers, route paths) are exact strings,
 * or end in `*` for a prefix match (hc_pattern_match()).
 */
#ifndef HC_POLICY_H
#define HC_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "internal.h"

/* replay.namespace and replay.pool_size (Redis stores). */
#define HC_REPLAY_NAMESPACE_MAX  64
#define HC_REPLAY_POOL_DEFAULT   4
#define HC_REPLAY_POOL_MAX       64

/* A list of strings (owned). */
typedef struct hc_strlist {
	char **v;
	size_t n;
} hc_strlist;

typedef enum hc_keysrc {
	HC_KEYSRC_NONE = 0,
	HC_KEYSRC_JWKS_FILE,     /* keys from a local JWKS file */
	HC_KEYSRC_JWKS_URI,      /* fetched JWKS */
	HC_KEYSRC_DISCOVERY,     /* OIDC / RFC 8414 metadata, then jwks_uri */
	HC_KEYSRC_HMAC_SECRET    /* a shared secret file (HS* only) */
} hc_keysrc;

typedef struct hc_issuer_policy {
	char *issuer;            /* compared exactly with `iss` */
	hc_keysrc keysrc;
	char *key_location;      /* resolved file path, or URL, per keysrc */
	unsigned alg_mask;       /* HC_ALG_BIT() of allowed algorithms; never 0 */
	hc_strlist token_types;  /* lowercased, without "application/" */
	bool typ_may_be_absent;  /* "none" was listed */
	int64_t max_lifetime_s;
	hc_strlist required_claims;
	/* fetching (jwks_uri, discovery) */
	bool allow_insecure_http;  /* plain http:// to loopback only */
	char *ca_file;           /* resolved, or NULL for the system store */
} hc_issuer_policy;

typedef struct hc_trust_domain_policy {
	char *trust_domain;
	char *bundle_file;       /* resolved path, or NULL */
	char *bundle_uri;        /* SPIFFE bundle endpoint, or NULL */
	bool allow_insecure_http;
	char *ca_file;
} hc_trust_domain_policy;

typedef enum hc_mode {
	HC_MODE_OFF = 0,
	HC_MODE_IF_PRESENT,
	HC_MODE_REQUIRED
} hc_mode;

typedef struct hc_identity_map {
	char *client_id;         /* what the AS puts in client_id / sub */
	char *spiffe_id;         /* the SPIFFE ID that must present it */
} hc_identity_map;

typedef struct hc_actor_policy {
	char *actor;             /* pattern */
	hc_strlist subjects;     /* patterns; "spiffe://td/" + "*" = a trust domain */
	hc_strlist scopes;       /* scopes this actor may carry; empty: none */
} hc_actor_policy;

/* The credentials a route requires (hc_route_policy.credentials). */
#define HC_CRED_ACCESS_TOKEN 0x1u    /* an access token (the default) */
#define HC_CRED_TXN_TOKEN    0x2u    /* a Txn-Token */
#define HC_CRED_WORKLOAD     0x4u    /* an authenticated caller, no token */

typedef struct hc_route_policy {
	char *method;            /* uppercase, or "*" for any */
	char *path;              /* pattern */
	hc_strlist scopes;
	char *tenant_claim;      /* NULL: no tenant rule */
	bool one_time_use;
	bool deny;               /* default_route only: refuse unmatched requests */
	unsigned credentials;    /* HC_CRED_* bits; never 0 once parsed */
	bool has_callers;        /* `callers` is configured */
	hc_strlist callers;      /* patterns of authenticated workload ids */
	bool txn_single_use;     /* a Txn-Token's txn is spent once here */
} hc_route_policy;

/*
 * daemon.tls: hopcheckd's own TLS with required client certificates, the
 * condition of a listener that is not loopback.  The files are resolved
 * paths, read by hopcheckd at start and on SIGHUP.
 */
typedef struct hc_daemon_tls_policy {
	char *cert_file;         /* server chain, PEM */
	char *key_file;          /* its private key, PEM */
	char *client_ca_file;    /* CAs that issue the clients' certificates */
	hc_strlist allowed_clients;  /* patterns over URI and DNS SANs */
} hc_daemon_tls_policy;

/*
 * txn_tokens: the Transaction Token Service of this service's trust
 * domain (draft-ietf-oauth-transaction-tokens-10).  NULL in the policy
 * when the section is absent: a Txn-Token is then refused.
 */
typedef struct hc_txn_policy {
	char *trust_domain;      /* the exact `aud` of every accepted token */
	hc_keysrc keysrc;        /* HC_KEYSRC_JWKS_FILE or HC_KEYSRC_JWKS_URI */
	char *key_location;      /* resolved file path, or URL */
	unsigned alg_mask;       /* asymmetric algorithms only; never 0 */
	hc_strlist issuers;      /* allowlist of `iss` when present; empty: any */
	int64_t max_lifetime_s;  /* exp - iat cap, 1 .. HC_TXN_MAX_LIFETIME_S */
	bool require_peer;       /* the caller must have a workload identity */
	bool allow_insecure_http;  /* plain http:// to loopback only */
	char *ca_file;           /* resolved, or NULL for the system store */
} hc_txn_policy;

typedef struct hc_daemon_policy {
	char *listen;            /* "127.0.0.1:9300"; NULL: none */
	char *unix_socket;       /* path; NULL: none */
	char *peer_cert_header;  /* lowercase header name, or NULL */
	bool xfcc;               /* trust x-forwarded-client-cert */
	char *tenant_header;     /* lowercase header name, or NULL */
	unsigned threads;
	int log_level;           /* 0 error, 1 warn, 2 info, 3 debug */
	bool has_tls;            /* tls is set: network mode */
	hc_daemon_tls_policy tls;
	char *metrics_listen;    /* "HOST:PORT", any address; NULL: none */
	int64_t header_timeout_ms;   /* a request head must be in by then */
	unsigned max_connections_per_client;  /* network mode; 0: no limit */
	bool allow_request_time; /* "now" in /v1/validate (tests only) */
} hc_daemon_policy;

typedef struct hc_fetch_policy {
	int64_t min_refresh_s;   /* lower bound on max-age */
	int64_t max_refresh_s;   /* upper bound on max-age, default interval */
	int64_t max_stale_s;     /* keep the last good set this long on failure */
	int64_t unknown_kid_cooldown_s;
	int64_t connect_timeout_ms;
	int64_t timeout_ms;
	size_t max_bytes;
} hc_fetch_policy;

/*
 * dpop: DPoP proofs (RFC 9449), read by config_pop.c.  The nonce secret is
 * read from its file at parse time (so that check-config sees a bad one),
 * copied here and wiped when the policy is freed.
 */
typedef struct hc_dpop_policy {
	hc_mode mode;            /* default off */
	unsigned alg_mask;       /* HC_ALG_BIT() of asymmetric algorithms;
				    never 0 unless mode is off */
	int64_t max_age_s;       /* proof iat window, plus clock_skew_s */
	bool has_nonce;          /* server nonces on (status nonce) */
	unsigned char nonce_secret[HC_DPOP_NONCE_SECRET_BYTES];
} hc_dpop_policy;

/* Where a wimse trust domain's WIT signing keys come from (exactly one). */
typedef enum hc_wimse_keysrc {
	HC_WIMSE_KEYS_JWKS_FILE = 0,   /* a local JWKS */
	HC_WIMSE_KEYS_JWKS_URI,        /* a fetched JWKS */
	HC_WIMSE_KEYS_BUNDLE_FILE,     /* a local SPIFFE bundle, use wit-svid */
	HC_WIMSE_KEYS_BUNDLE_URI       /* a fetched SPIFFE bundle, same */
} hc_wimse_keysrc;

/* One wimse.trust_domains[] entry: who may sign WITs for that domain. */
typedef struct hc_wimse_td_policy {
	char *trust_domain;      /* the authority of a Workload Identifier */
	hc_wimse_keysrc keysrc;
	char *key_location;      /* resolved file path, or URL, per keysrc */
	bool allow_insecure_http;    /* for a remote keysrc */
	char *ca_file;           /* resolved path, or NULL (remote keysrc) */
	unsigned alg_mask;       /* asymmetric algorithms; never 0 */
	hc_strlist issuers;      /* optional allowlist of WIT `iss` */
} hc_wimse_td_policy;

/* wimse: WIT + WPT (draft-ietf-wimse-workload-creds, -wpt). */
typedef struct hc_wimse_policy {
	hc_mode mode;            /* default off */
	hc_wimse_td_policy *tds;
	size_t ntds;
	int64_t max_wit_lifetime_s;
	int64_t max_wpt_ttl_s;
} hc_wimse_policy;

typedef struct hc_policy {
	char *base_dir;          /* directory of the config file */
	hc_strlist audiences;    /* service.audiences */
	char *service_spiffe_id; /* service.spiffe_id, also an audience */
	hc_strlist origins;      /* service.origins, normal forms
				    (pop_uri.h): "https://host[:port]" */
	int64_t clock_skew_s;
	size_t max_token_bytes;

	hc_issuer_policy *issuers;
	size_t nissuers;

	hc_trust_domain_policy *trust_domains;
	size_t ntrust_domains;

	size_t aud_max_direct;   /* 0: any number */
	size_t aud_max_delegated;

	hc_mode mtls;
	hc_mode peer_identity;
	hc_identity_map *identities;
	size_t nidentities;

	bool delegation;         /* the section is present */
	unsigned max_depth;      /* 1 .. HC_MAX_ACT_DEPTH */
	hc_actor_policy *actors;
	size_t nactors;
	bool has_direct_callers;
	hc_strlist direct_callers;
	bool path_policy;

	hc_route_policy *routes;
	size_t nroutes;
	hc_route_policy *default_route;  /* NULL when not configured */

	hc_txn_policy *txn;      /* txn_tokens, or NULL */

	char *replay_store;      /* "memory" or a redis:// URL */
	size_t replay_max_entries;
	char *replay_namespace;  /* NULL, or 1..HC_REPLAY_NAMESPACE_MAX bytes
				    of [A-Za-z0-9._-] */
	unsigned replay_pool_size;  /* 1..HC_REPLAY_POOL_MAX connections */
	bool replay_allow_network;  /* Redis may be a non-loopback host */
	size_t cache_max_entries;

	hc_fetch_policy fetch;
	hc_daemon_policy daemon;

	hc_dpop_policy dpop;
	hc_wimse_policy wimse;
} hc_policy;

/*
 * Parses a configuration.  On success returns HC_OK and *out.  Otherwise
 * returns HC_CONFIG and, in *errors (heap, newline-separated, may be NULL on
 * allocation failure), every problem found, each starting with its JSON path
 * ("issuers[0].algorithms[1]: unknown algorithm \"XS256\"").  `text` is
 * modified (comments removed).  base_dir: directory for relative paths.
 */
hc_status hc_policy_parse(char *text, size_t len, const char *base_dir,
    hc_policy **out, char **errors);

void hc_policy_free(hc_policy *p);

/* Exact match, or prefix match when pattern ends in '*'. */
bool hc_pattern_match(const char *pattern, const char *value);

/*
 * Finds the route for method/path (path without query); falls back to the
 * default route; NULL when none.
 */
const hc_route_policy *hc_policy_route(const hc_policy *p, const char *method,
    const char *path);

/* Finds an issuer by exact `iss`; NULL when not configured. */
const hc_issuer_policy *hc_policy_issuer(const hc_policy *p, const char *iss,
    size_t *index);

#endif /* HC_POLICY_H */
