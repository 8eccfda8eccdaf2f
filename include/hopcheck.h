/* SPDX-License-Identifier: Apache-2.0 */
/*
 * hopcheck.h - the public API of libhopcheck.
 *
 * libhopcheck decides, locally, whether a JWT presented to a service was
 * minted for *this* service, by an issuer it trusts, and (with the delegation
 * and workload-identity layers) for *this* caller along an allowed path.
 *
 * Model
 * -----
 * A validator (hc_validator) is built once from a configuration file or a
 * JSON string and is immutable afterwards: it may be shared by any number of
 * threads, and hc_validate() is thread-safe.  A request (hc_request) carries
 * what the service knows about the call in front of it: the route, the
 * tenant, the peer's certificate or identity, and optionally a fixed clock.
 * hc_validate() runs the three layers of the pipeline in order and stops at
 * the first failure:
 *
 *   1. cryptographic validity: size, compact JWS syntax, strict base64url,
 *      strict UTF-8 JSON without duplicate members, algorithm allowlist and
 *      key binding, `crit`, key lookup by `kid` in the issuer's own set, and
 *      the signature;
 *   2. applicability: `iss`, `typ`, `aud`, `exp`/`nbf`/`iat`, lifetime,
 *      claim types and required claims;
 *   3. authorisation context: the RFC 8693 actor chain and delegation
 *      policy, certificate binding (RFC 8705) and peer identity, route
 *      scopes, tenant, and last the jti replay check.
 *
 * The outcome is one hc_status from a stable, append-only list, whose names
 * (hc_status_name()) are used verbatim in logs, metrics, CLI output and the
 * language-neutral test vectors, plus a human-readable detail that names the
 * claim and the values involved, never the token or signature bytes.
 *
 * Ownership
 * ---------
 * Every object is released by its own _free function, which accepts NULL.
 * A `const char *` returned by an accessor is borrowed and lives as long as
 * the object it came from.  A `char *` return is owned by the caller and is
 * released with hc_string_free().
 *
 * Important caveats (what is NOT checked)
 * ---------------------------------------
 *  - Only the JWS compact serialization is accepted; JWE, the JSON
 *    serializations and unsecured JWTs are rejected, never decrypted.
 *  - Keys come only from the configuration.  The header parameters `jku`,
 *    `jwk`, `x5u` and `x5c` are never used to find or fetch a key; `crit`
 *    is always rejected because no extension is understood.
 *  - The clock is the caller's: hc_validate() uses time(NULL) unless the
 *    request sets a time.  A wrong system clock gives wrong time verdicts.
 *  - Claims that neither this header nor the configuration names are not
 *    interpreted.  A service that bases a decision on another claim must
 *    check it itself (hc_result_claim_json()).
 *  - Prior actors in a nested `act` are checked for structure only, as
 *    RFC 8693 section 4.1 requires, unless the operator opts into the
 *    stricter `delegation.path_policy`.
 *  - Revocation is not checked: a signed, unexpired token stays valid until
 *    `exp`.  Keep lifetimes short (`max_lifetime_s`).
 *  - A Txn-Token (draft-ietf-oauth-transaction-tokens-10) authenticates
 *    no one: its `req_wl` is reported, never compared with the caller,
 *    unknown claims (`act` included) are ignored, and the consistency of
 *    one `txn` across replacement tokens is not tracked.
 *  - The memory replay store (`replay.store` "memory") is per validator:
 *    processes that must not accept a `jti` twice between them share the
 *    Redis store.  A process using the Redis store must ignore SIGPIPE.
 */
#ifndef HOPCHECK_H
#define HOPCHECK_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) || defined(__clang__)
#define HC_EXPORT __attribute__((visibility("default")))
#define HC_WARN_UNUSED __attribute__((warn_unused_result))
#else
#define HC_EXPORT
#define HC_WARN_UNUSED
#endif

/**
 * Library version, "MAJOR.MINOR.PATCH", and the same as one number,
 * MAJOR * 10000 + MINOR * 100 + PATCH, for compile-time comparisons
 * (`#if HC_VERSION_NUM >= 200`).  hc_version() gives the string of the
 * library actually linked.
 */
#define HC_VERSION "0.2.0"
#define HC_VERSION_NUM 200

/*
 * The verdict.  Append-only: a value never changes meaning or position, and
 * new values are only added before HC_STATUS_COUNT.  HC_STATUS_COUNT
 * therefore grows when a status is appended: a caller that sizes a table by
 * it must clamp what a newer library returns (hc_status_name() never fails).
 */
typedef enum hc_status {
	HC_OK = 0,        /* accepted */
	HC_MALFORMED,     /* not a compact JWS; bad base64url, JSON, UTF-8;
			     duplicate member; too large; wrong claim type */
	HC_ALG,           /* algorithm not allowed, or not matching the key */
	HC_CRIT,          /* a `crit` header is present */
	HC_KEY,           /* no usable key for this issuer and `kid` */
	HC_SIGNATURE,     /* the signature does not verify */
	HC_ISSUER,        /* `iss` missing or not configured */
	HC_TYPE,          /* `typ` not accepted for this issuer */
	HC_AUDIENCE,      /* `aud` missing, not naming this service, too many */
	HC_EXPIRED,       /* now >= exp + skew */
	HC_NOT_YET_VALID, /* now + skew < nbf */
	HC_LIFETIME,      /* `iat` in the future, or exp - iat over the max */
	HC_CLAIM,         /* a required claim missing or not as policy demands */
	HC_CHAIN,         /* `act` malformed or too deep, delegation refused */
	HC_BINDING,       /* `cnf` required, or not matching the peer cert */
	HC_PEER,          /* the peer is not the current actor or client */
	HC_SCOPE,         /* route scopes not granted by the token */
	HC_TENANT,        /* tenant claim differs from the request's tenant */
	HC_POLICY,        /* another authorisation rule refused the request */
	HC_REPLAY,        /* `jti` seen before on a one-time-use route */
	HC_NARROWING,     /* an exchanged token is broader than its input */
	HC_UNAVAILABLE,   /* keys not loaded, replay store down: fail closed */
	HC_CONFIG,        /* the configuration is invalid (not a verdict) */
	HC_INTERNAL,      /* out of memory or a bug (not a verdict) */
	HC_NONCE,         /* DPoP, where server nonces are configured: the
			     proof lacks the current server nonce; retry
			     with the DPoP-Nonce given (RFC 9449 section 8) */
	HC_STATUS_COUNT
} hc_status;

/**
 * Returns the stable name of `status` ("ok", "malformed", ...), the strings
 * that logs, metrics, the CLI and the test vectors use.  Never NULL: an
 * out-of-range value gives "internal".
 */
HC_EXPORT const char *hc_status_name(hc_status status);

/**
 * Parses a stable status name back into its value.  Returns 0 and stores the
 * value in *out on success, -1 if `name` is not a status name.
 */
HC_EXPORT int hc_status_from_name(const char *name, hc_status *out);

/** Returns the library version string, HC_VERSION of the built library. */
HC_EXPORT const char *hc_version(void);

/**
 * Returns the crypto backend the library was built with and that library's
 * run-time version, e.g. "openssl 3.0.13" or "mbedtls 2.28.8" (the second
 * line of `hopcheck version`).  Never NULL; a static string, valid for the
 * life of the process.  Ed25519 and Ed448 (RFC 8037) are verified only by
 * the "openssl" backend.
 */
HC_EXPORT const char *hc_crypto_backend_name(void);

/** Releases a string returned by the library.  NULL is a no-op. */
HC_EXPORT void hc_string_free(char *s);

/* ------------------------------------------------------------------------
 * Validator
 * --------------------------------------------------------------------- */

typedef struct hc_validator hc_validator;

/**
 * Builds a validator from the configuration file at `path` (JSON with
 * comments, the v1 schema of hopcheck.conf(5)); relative paths inside it are
 * resolved against the file's directory.  On success returns HC_OK and
 * stores the validator in *out.  On failure returns HC_CONFIG (or
 * HC_INTERNAL), leaves *out NULL and, when `errors` is not NULL, stores in
 * *errors a newline-separated list of every problem found, each naming its
 * JSON path; release it with hc_string_free().
 */
HC_EXPORT HC_WARN_UNUSED hc_status hc_validator_new_from_file(const char *path,
    hc_validator **out, char **errors);

/**
 * Same as hc_validator_new_from_file(), from the `len` bytes of `json`.
 * Relative paths in the configuration are resolved against `base_dir`
 * (NULL means the current directory).
 */
HC_EXPORT HC_WARN_UNUSED hc_status hc_validator_new_from_json(const char *json,
    size_t len, const char *base_dir, hc_validator **out, char **errors);

/** Releases a validator.  NULL is a no-op.  No validation may be running. */
HC_EXPORT void hc_validator_free(hc_validator *v);

/**
 * The warnings about a valid configuration: settings that are accepted but
 * probably do not do what was meant (no `"default_route": {"deny": true}`;
 * an issuer whose jwks_file has no key for any of its `algorithms`;
 * binding.mtls or binding.peer_identity off with delegation configured),
 * or that are test features (daemon.allow_request_time).  Returns a
 * newline-separated list, each line "PATH: message", to release with
 * hc_string_free(); NULL when there is nothing to say (or out of memory).
 */
HC_EXPORT char *hc_validator_warnings(const hc_validator *v);

/* ------------------------------------------------------------------------
 * Remote keys
 * --------------------------------------------------------------------- */

/**
 * Runs one round of key refreshing for a validator whose issuers use
 * `jwks_uri` or `discovery`, or whose trust domains use `bundle_uri`: every
 * source that is due (by its Cache-Control max-age or SPIFFE refresh hint,
 * within the configured bounds), that has not loaded yet (after a failure,
 * retried with a backoff of 1 s, doubling, capped at min(max_refresh_s,
 * 300 s)), or for which an unknown `kid` asked an early refresh (at most
 * once per `fetch.unknown_kid_cooldown_s`), is fetched, and its new set
 * swapped in atomically.  On failure the last good set is kept until it is
 * older than `fetch.max_stale_s`, then dropped (fail closed).  Redirects are
 * never followed.  Blocks for network I/O within the configured timeouts;
 * call it from a thread of your own (which should ignore SIGPIPE), in a
 * loop, sleeping *next_ms milliseconds (or until
 * hc_validator_refresh_wait() returns) between rounds.  Safe to run while
 * other threads validate.  Returns HC_OK when every key source has a usable
 * set, HC_UNAVAILABLE otherwise.
 */
HC_EXPORT hc_status hc_validator_refresh(hc_validator *v, int64_t *next_ms);

/**
 * Sleeps until a refresh is due or was asked for (an unknown `kid`), at
 * most `max_ms` milliseconds.  For the refresher thread's loop.
 */
HC_EXPORT void hc_validator_refresh_wait(hc_validator *v, int64_t max_ms);

/**
 * Starts a background thread, owned by the validator and stopped by
 * hc_validator_free(), that runs hc_validator_refresh() rounds.  A
 * validator with no remote key source needs none; this is then a no-op.
 */
HC_EXPORT hc_status hc_validator_start_refresher(hc_validator *v);

/**
 * Returns 1 when every issuer and trust domain (spiffe and wimse) and the
 * txn_tokens service has a usable key set.
 */
HC_EXPORT int hc_validator_ready(const hc_validator *v);

/** Statistics of one key source, for metrics (see hc_validator_key_stats). */
typedef struct hc_key_stats {
	const char *source;      /* the issuer, "spiffe://" trust domain, the
				    txn_tokens trust_domain, or "wimse:" + a
				    wimse trust domain */
	size_t keys;             /* keys in the current set (0: none) */
	int64_t loaded_at;       /* when the current set was loaded (0: never) */
	uint64_t refresh_ok;     /* fetches that installed a new set */
	uint64_t refresh_not_modified; /* 304 answers */
	uint64_t refresh_failed; /* fetches that failed */
} hc_key_stats;

/**
 * Fills up to `max` entries of `out` with the statistics of every key
 * source (issuers first, then trust domains, the txn_tokens service, the
 * wimse trust domains) and returns how many exist.
 * The `source` strings are borrowed from the validator.
 */
HC_EXPORT size_t hc_validator_key_stats(const hc_validator *v,
    hc_key_stats *out, size_t max);

/*
 * Key events.  A validator reports what happens to its keys through an
 * optional hook: one call per event, with a level (HC_LOG_*), a stable
 * event name and one compact JSON object of fields (no newline in it):
 *
 *   "keys.loaded"   (info)  a set is in use: {"source", "origin" (the
 *                   configuration member: "jwks_file", "bundle_uri", ...;
 *                   only when the hook is set), "location", "kids",
 *                   "skipped" (a count)}
 *   "keys.refreshed" (info) a fetch replaced a set: {"source",
 *                   "location", "kids", "added", "removed", "skipped"}
 *   "keys.skipped"  (warn)  a key the validator will not use, per key:
 *                   {"source", "index", "kid" (or null), "reason"}
 *   "keys.refresh_failed" (warn; error for "stale") {"source", "reason",
 *                   "http_status" (when an answer came), "detail"}, where
 *                   "reason" is one of "connection_refused", "dns", "tls",
 *                   "timeout", "http_status", "redirect", "too_large",
 *                   "refused_url", "bad_json", "bad_key_set",
 *                   "no_usable_key", "bad_metadata", "issuer_mismatch",
 *                   "transport", "stopped", "internal", and "stale" when
 *                   the last good set was dropped (fetch.max_stale_s).
 *
 * Events never carry key material or token bytes.  New events and fields
 * may be added; a consumer ignores what it does not know.
 */
#define HC_LOG_ERROR 0
#define HC_LOG_WARN  1
#define HC_LOG_INFO  2
#define HC_LOG_DEBUG 3

/**
 * The key event hook: `event` and `json_fields` are valid for the call
 * only.  Called from the refresher's thread (or the caller's own
 * hc_validator_refresh() loop) and from hc_validator_set_logger(): it
 * must be thread-safe, should be quick, and must not call
 * hc_validator_set_logger() or the refresh functions.
 */
typedef void (*hc_log_fn)(void *arg, int level, const char *event,
    const char *json_fields);

/**
 * Sets the key event hook of `v` (NULL removes it); `arg` is passed to
 * every call.  Setting a hook at once reports the sets held now (one
 * "keys.loaded" per source with keys, one "keys.skipped" per key skipped),
 * since those loaded from files at construction had no hook yet.  Set it
 * before hc_validator_start_refresher() to see the first fetches.
 */
HC_EXPORT void hc_validator_set_logger(hc_validator *v, hc_log_fn fn,
    void *arg);

/**
 * Returns a report of every key source as one JSON object (indented),
 * {"sources": [...]}, issuers first, then trust domains; each source has
 * "issuer" or "trust_domain", "source", "origin" (the configuration
 * member), "location" (a path, or the URL without its query), "keys" (each
 * {"kid", "kty", "alg" or null, and "crv" or "bits"}), "skipped" (each
 * {"index", "kid" or null, "reason"}), "loaded_at", and for a remote
 * source "last_error", "last_error_kind", "last_refresh_ok" and
 * "next_refresh" (seconds since the epoch, or null), and "ready".  No key
 * material.  Release with hc_string_free(); NULL when out of memory.
 */
HC_EXPORT char *hc_validator_keys_json(const hc_validator *v);

/**
 * Statistics of the verified-token cache (`cache.max_entries`, default
 * 10000; 0 disables it): lookups that found the token verified already,
 * lookups that did not, and the entries held now.  A hit skips only the
 * cryptographic layer; every other check runs on every request.  Any
 * out-parameter may be NULL.
 */
HC_EXPORT void hc_validator_cache_stats(const hc_validator *v,
    uint64_t *hits, uint64_t *misses, size_t *entries);

/* ------------------------------------------------------------------------
 * Request context
 * --------------------------------------------------------------------- */

typedef struct hc_request hc_request;

/**
 * Allocates an empty request (no route, no peer, the system clock).
 * Returns NULL when out of memory.
 */
HC_EXPORT HC_WARN_UNUSED hc_request *hc_request_new(void);

/** Releases a request.  NULL is a no-op. */
HC_EXPORT void hc_request_free(hc_request *req);

/**
 * Sets the HTTP method and path the token is presented for, matched against
 * the configured routes.  The path is compared without its query string.
 * The method and path are also kept exactly as given, for the DPoP
 * proof's `htm` and `htu` and the WPT's `aud`: pass the request target as
 * the client sent it (origin-relative, "/a/b?q"), not a rewritten one.
 * Returns HC_OK, or HC_INTERNAL when out of memory, HC_MALFORMED when either
 * string is empty or over 4096 bytes.
 */
HC_EXPORT HC_WARN_UNUSED hc_status hc_request_set_route(hc_request *req, const char *method,
    const char *path);

/**
 * Sets the tenant of the request, compared with a route's tenant claim.
 * Returns HC_OK; HC_MALFORMED when `tenant` is NULL, empty or over 4096
 * bytes; HC_INTERNAL when out of memory.  On failure the request keeps its
 * earlier tenant, if any.
 */
HC_EXPORT HC_WARN_UNUSED hc_status hc_request_set_tenant(hc_request *req, const char *tenant);

/**
 * Fixes the clock for this request at `now` seconds since the epoch
 * (tests, replays of recorded traffic).  Without it, time(NULL) is used.
 */
HC_EXPORT void hc_request_set_time(hc_request *req, int64_t now);

/**
 * Sets the peer's leaf certificate, as authenticated by the TLS layer or a
 * trusted front proxy: DER bytes, or PEM text (the first certificate of the
 * PEM is the leaf).  Its SHA-256 thumbprint is what `cnf.x5t#S256` must
 * equal, and its URI SAN is the peer's SPIFFE ID.  Returns HC_OK;
 * HC_MALFORMED (with no change to the request) when the bytes are not one
 * certificate; HC_INTERNAL when out of memory.  Ignoring a failure here
 * would validate the token as if no peer had presented it: the attribute
 * makes the compiler say so.
 */
HC_EXPORT HC_WARN_UNUSED hc_status hc_request_set_peer_cert(hc_request *req,
    const unsigned char *cert, size_t len);

/**
 * Sets the peer's identity as computed by a trusted front proxy: the
 * base64url SHA-256 thumbprint of its certificate (43 characters, or NULL)
 * and its SPIFFE ID (or NULL).  Overrides any earlier peer setting.
 * Returns HC_OK; HC_MALFORMED when both are NULL or either is empty, over
 * 4096 bytes or cannot be copied (the values themselves are judged when a
 * token is validated); HC_INTERNAL for a NULL `req`.  On failure the
 * request is unchanged.
 */
HC_EXPORT HC_WARN_UNUSED hc_status hc_request_set_peer_identity(hc_request *req,
    const char *x5t_s256, const char *spiffe_id);

/**
 * Sets the peer from an Envoy x-forwarded-client-cert value (text format)
 * written by the trusted front proxy.  Only the last element is read: the
 * one Envoy appends for the connection it terminated.  With `Cert`
 * (URL-encoded PEM) the request gets that leaf, as with
 * hc_request_set_peer_cert(), and `Hash` / `URI`, when present, must agree
 * with it.  Otherwise `Hash` (64 hex digits of the SHA-256 of the DER leaf)
 * gives the thumbprint and `URI` the SPIFFE ID, as with
 * hc_request_set_peer_identity().  Pass only a header that came from the
 * configured front proxy (daemon.xfcc), which must run Envoy's
 * forward_client_cert_details SANITIZE_SET or APPEND_FORWARD; drop the
 * header from any other hop.  Returns HC_OK; HC_MALFORMED when the value
 * does not parse or is over its bounds; HC_BINDING when `Hash` is not the
 * digest of `Cert`; HC_PEER when the element names two URI SANs or a `URI`
 * that is not the certificate's; HC_INTERNAL for a NULL `req` or out of
 * memory.  On failure the request is unchanged.
 */
HC_EXPORT HC_WARN_UNUSED hc_status hc_request_set_xfcc(hc_request *req, const char *value,
    size_t len);

/**
 * Sets the Txn-Token the request carries (the value of its one `Txn-Token`
 * header field, draft-ietf-oauth-transaction-tokens-10 section 12), `len`
 * bytes copied as given: a value holding a comma (two tokens, or two
 * fields joined) is refused by hc_validate() as HC_MALFORMED, and so is
 * any Txn-Token on a validator without `txn_tokens`, never ignored.  A
 * caller that received the field more than once refuses the request
 * itself.  The token is verified against the Transaction Token Service
 * keys of the configured trust domain (typ txntoken+jwt, aud the trust
 * domain, the lifetime cap, the optional iss allowlist), the caller must
 * be an authenticated workload (txn_tokens.require_peer), and the route's
 * scopes are then checked against the Txn-Token's `scope`.  Returns HC_OK;
 * HC_MALFORMED (request unchanged) for a NULL or empty token or one over
 * 1 MiB; HC_INTERNAL when out of memory.
 */
HC_EXPORT HC_WARN_UNUSED hc_status hc_request_set_txn_token(hc_request *req,
    const char *token, size_t len);

/** How the access token was presented (RFC 9449 section 7.1). */
typedef enum hc_auth_scheme {
	HC_SCHEME_BEARER = 0,    /* `Authorization: Bearer` (the default) */
	HC_SCHEME_DPOP = 1       /* `Authorization: DPoP`, with a DPoP proof */
} hc_auth_scheme;

/**
 * Sets the scheme the access token was sent with.  hc_request_set_dpop()
 * sets HC_SCHEME_DPOP already; set HC_SCHEME_DPOP without a proof to have
 * a DPoP-scheme request without one refused (HC_BINDING).  Returns HC_OK;
 * HC_MALFORMED for a value not in the enumeration; HC_INTERNAL for a NULL
 * `req`.
 */
HC_EXPORT HC_WARN_UNUSED hc_status hc_request_set_auth_scheme(hc_request *req,
    hc_auth_scheme scheme);

/**
 * Sets the DPoP proof (RFC 9449 section 4), the value of the request's
 * one `DPoP` header field, `len` bytes copied as given, and the scheme
 * HC_SCHEME_DPOP.  The proof is verified by hc_validate() under the
 * configuration's `dpop` section: its signature with its own `jwk`,
 * `htm` and `htu` against the method and the path given to
 * hc_request_set_route() (as sent, with service.origins), `ath` against
 * the access token, the token's cnf.jkt against the proof key's RFC 7638
 * thumbprint, the nonce, the `iat` window, and its `jti` spent last.  A
 * DPoP-bound token (cnf.jkt) sent as Bearer, a token without cnf.jkt sent
 * as DPoP, and any proof while `dpop.mode` is "off" are HC_BINDING.
 * Returns HC_OK; HC_MALFORMED (request unchanged) for a NULL or empty
 * proof or one over 1 MiB; HC_INTERNAL when out of memory.
 */
HC_EXPORT HC_WARN_UNUSED hc_status hc_request_set_dpop(hc_request *req,
    const char *proof, size_t len);

/**
 * Sets the WIMSE Workload Identity Token (the `Workload-Identity-Token`
 * header, draft-ietf-wimse-workload-creds-03 section 5.1) and the
 * Workload Proof Token (`Workload-Proof-Token`, draft-ietf-wimse-wpt-02
 * section 2), each `len` bytes copied as given.  hc_validate() verifies
 * the WIT with the keys of the trust domain its `sub` names, then the
 * WPT with the WIT's cnf.jwk: `aud` against service.origins + the path as
 * sent, `wth`, `ath` when an access token is presented, `tth` when a
 * Txn-Token is, and its `jti` spent last.  The WIT's `sub` then is the
 * authenticated caller (hc_result_workload()).  A WIT without a WPT is
 * refused (a WIT is never a bearer token), and so is either token while
 * `wimse.mode` is "off".  Returns HC_OK; HC_MALFORMED (request unchanged)
 * for a NULL or empty value or one over 1 MiB; HC_INTERNAL when out of
 * memory.
 */
HC_EXPORT HC_WARN_UNUSED hc_status hc_request_set_wit(hc_request *req,
    const char *wit, size_t len);
/** See hc_request_set_wit(). */
HC_EXPORT HC_WARN_UNUSED hc_status hc_request_set_wpt(hc_request *req,
    const char *wpt, size_t len);

/* ------------------------------------------------------------------------
 * Validation and its result
 * --------------------------------------------------------------------- */

typedef struct hc_result hc_result;

/**
 * Validates the `len` bytes of `token`, the access token, for request
 * `req` (NULL: no route, no peer, system clock), with every other
 * credential the request carries (a Txn-Token, the peer).  `token` NULL
 * with `len` 0 means the request carries no access token: a route that
 * requires one (the default, route `credentials`) refuses it as
 * HC_MALFORMED ("no access token").  Each credential's own checks run
 * first, then the policy of the route, then the one-time spends (the
 * access token's jti, then the Txn-Token's txn), so that a refused
 * request spends nothing; hc_result_credential() names the credential
 * that failed.  Always returns the verdict; when `out` is not
 * NULL it also stores a result object there (NULL only on HC_INTERNAL from
 * allocation failure), to be released with hc_result_free().
 * Thread-safe: any number of threads may validate with one validator.
 */
HC_EXPORT hc_status hc_validate(const hc_validator *v, const char *token,
    size_t len, const hc_request *req, hc_result **out);

/** Releases a result.  NULL is a no-op. */
HC_EXPORT void hc_result_free(hc_result *r);

/** The verdict. */
HC_EXPORT hc_status hc_result_status(const hc_result *r);

/**
 * A one-line, human-readable reason naming the claim and the values
 * involved ("aud [\"https://a\"] does not name this service"); "accepted"
 * on HC_OK.  Never contains token or signature bytes.  Never NULL.
 */
HC_EXPORT const char *hc_result_detail(const hc_result *r);

/*
 * The accessors below return data only from a token whose signature has
 * been verified (layer 1 passed); before that they return NULL / 0.
 */

/** The verified `iss`. */
HC_EXPORT const char *hc_result_issuer(const hc_result *r);
/** The verified `sub`, or NULL when absent. */
HC_EXPORT const char *hc_result_subject(const hc_result *r);
/** The client: `client_id`, else `sub`; NULL when neither is present. */
HC_EXPORT const char *hc_result_client(const hc_result *r);
/** The `kid` of the key that verified the token, or NULL. */
HC_EXPORT const char *hc_result_kid(const hc_result *r);
/** The algorithm that verified the token ("ES256", ...), or NULL. */
HC_EXPORT const char *hc_result_alg(const hc_result *r);
/** Number of actors in the `act` chain (0: not delegated). */
HC_EXPORT size_t hc_result_actor_count(const hc_result *r);
/**
 * The `sub` of actor `i`: 0 is the current actor (outermost `act`), higher
 * indices are prior actors, the least recent last.  NULL when out of range.
 */
HC_EXPORT const char *hc_result_actor(const hc_result *r, size_t i);
/**
 * The token's scopes as one space-separated string, from `scope` or `scp`
 * (NULL when the token carries neither).
 */
HC_EXPORT const char *hc_result_scope(const hc_result *r);
/** The `exp` of the token in whole seconds (0 when not verified). */
HC_EXPORT int64_t hc_result_expiry(const hc_result *r);
/**
 * Returns the verified claim `name` as compact JSON text (a string claim
 * comes back quoted), or NULL when absent or unverified.  Release the text
 * with hc_string_free().
 */
HC_EXPORT char *hc_result_claim_json(const hc_result *r, const char *name);
/**
 * The credential a refusal is about: "access_token", "dpop" (the DPoP
 * proof), "txn_token", "wit", "wpt" or "peer" (the authenticated
 * caller); NULL on HC_OK and for a refusal by
 * the route alone (default_route deny).
 */
HC_EXPORT const char *hc_result_credential(const hc_result *r);
/*
 * The Txn-Token of the request, once its signature has been verified
 * (NULL before, or without one).  The top-level subject and scope above
 * stay the access token's.
 */
/** The Txn-Token's `txn`, the transaction identifier (section 9.2). */
HC_EXPORT const char *hc_result_txn(const hc_result *r);
/** The Txn-Token's `sub`, the principal of the transaction. */
HC_EXPORT const char *hc_result_txn_subject(const hc_result *r);
/** The Txn-Token's `scope`, as the TTS wrote it. */
HC_EXPORT const char *hc_result_txn_scope(const hc_result *r);
/**
 * The Txn-Token's `req_wl`, the workload that requested it from the TTS,
 * unchanged (not split on commas).  Reported only: never compared with
 * the peer, which is usually not the requester.
 */
HC_EXPORT const char *hc_result_txn_requesting_workload(const hc_result *r);
/**
 * Claim `name` of the verified Txn-Token as compact JSON text ("tctx",
 * the transaction context, and "rctx", the request context, are objects),
 * or NULL when absent or unverified.  Release with hc_string_free().
 */
HC_EXPORT char *hc_result_txn_claim_json(const hc_result *r,
    const char *name);
/**
 * The RFC 7638 thumbprint of the verified DPoP proof's key (the value of
 * the token's cnf.jkt), or NULL when no proof verified.  A DPoP key is not
 * an identity: it names a client instance.
 */
HC_EXPORT const char *hc_result_dpop_jkt(const hc_result *r);
/**
 * On HC_NONCE, the server nonce the client must put in its next proof:
 * send it as the `DPoP-Nonce` response header (RFC 9449 section 8).  NULL
 * otherwise.
 */
HC_EXPORT const char *hc_result_dpop_nonce(const hc_result *r);
/**
 * The authenticated caller's Workload Identifier from a verified WIT and
 * WPT (the WIT's `sub`, a full URI: compare it whole), or NULL.
 */
HC_EXPORT const char *hc_result_workload(const hc_result *r);
/**
 * Returns the whole result as one JSON object, the format of `hopcheck
 * validate`: {"status", "detail", and once verified "issuer", "subject",
 * "client", "actors", "scope", "exp", "kid", "alg"; once a Txn-Token is
 * verified "txn_token": {"txn", "subject", "scope", "req_wl", "tctx",
 * "rctx"}; once a DPoP proof is verified "dpop": {"jkt"}; once a WIT and
 * WPT are verified "workload": {"id"}; on HC_NONCE "dpop_nonce"; on a
 * refusal about a credential, "credential"}.  Release with
 * hc_string_free(); NULL on allocation failure.
 */
HC_EXPORT char *hc_result_to_json(const hc_result *r);

/* ------------------------------------------------------------------------
 * Token exchange, calling side
 * --------------------------------------------------------------------- */

/**
 * Checks, on the calling side of an RFC 8693 token exchange, that the token
 * an STS returned (`issued`) is narrower than the token that was sent
 * (`subject`): both verify under the validator's issuers; same `iss` and
 * `sub`; `aud` is exactly the requested `audience` (a string, or an array
 * of that one value); every scope of `issued` is in `subject`; `exp` of
 * `issued` is not later than that of `subject`, and `issued` is not expired
 * at `now` (seconds since the epoch; 0 means time(NULL)); `act` of `issued`
 * is {"sub": self, "act": <the subject's act>} with no prior actor dropped,
 * altered or inserted; when `subject` carries `may_act`, `self` is the party
 * it names; a subject token bound to a certificate (`cnf.x5t#S256`, RFC
 * 8705) yields an issued token bound to the same one, never a bearer
 * token.  Returns HC_OK, HC_NARROWING with *detail saying what
 * broadened, or the status that rejected either token's verification.
 * *detail (when `detail` is not NULL) is released with hc_string_free().
 */
HC_EXPORT HC_WARN_UNUSED hc_status hc_check_exchange(const hc_validator *v,
    const char *subject, size_t subject_len, const char *issued,
    size_t issued_len, const char *audience, const char *self, int64_t now,
    char **detail);

/**
 * Checks, on the calling side of a Txn-Token replacement
 * (draft-ietf-oauth-transaction-tokens-10 section 13.15), that the token
 * a Transaction Token Service returned (`issued`) for the Txn-Token that
 * was sent as its subject token (`subject`) follows the rules the TTS is
 * bound by: both verify as Txn-Tokens of the configured trust domain
 * (`subject` may have expired since; `issued` must be valid at `now`,
 * seconds since the epoch, 0 for time(NULL)); the same `txn`, `sub` and
 * `aud` (else HC_POLICY); no scope that `subject` lacks (else
 * HC_NARROWING); issued (`iat`) before `subject` expired (else
 * HC_EXPIRED).  Returns HC_OK or the status that refused; *detail (when
 * `detail` is not NULL) says why, released with hc_string_free().
 */
HC_EXPORT HC_WARN_UNUSED hc_status hc_check_txn_replacement(
    const hc_validator *v, const char *subject, size_t subject_len,
    const char *issued, size_t issued_len, int64_t now, char **detail);

/**
 * hc_check_exchange(), also checking that the tenant claim `tenant_claim`
 * (e.g. "tenant"; NULL skips the check, as hc_check_exchange() does) is
 * unchanged: the same JSON value in both tokens, or absent from both.
 * HC_NARROWING names the claim and both values when it differs.
 */
HC_EXPORT HC_WARN_UNUSED hc_status hc_check_exchange_ex(const hc_validator *v,
    const char *subject, size_t subject_len, const char *issued,
    size_t issued_len, const char *audience, const char *self,
    const char *tenant_claim, int64_t now, char **detail);

/* ------------------------------------------------------------------------
 * SPIFFE IDs
 * --------------------------------------------------------------------- */

/**
 * Checks the `len` bytes of `id` against the SPIFFE-ID grammar (SPIFFE-ID
 * standard sections 2.1-2.3): lowercase `spiffe://` scheme; a non-empty,
 * lowercase trust domain of [a-z0-9.-_] of at most 255 bytes, with no
 * userinfo, port or percent-encoding; a path of segments of
 * [a-zA-Z0-9.-_], none empty, `.` or `..`, no trailing `/`; no query or
 * fragment; at most 2048 bytes in all.  An ID with no path (the trust
 * domain's own ID) is valid here; an X.509-SVID additionally needs a path.
 * Returns HC_OK, or HC_MALFORMED with *detail naming the rule broken.
 * Any of the out-parameters may be NULL; strings stored in them (the trust
 * domain name, the path with its leading `/` or "" when none, the detail)
 * are released with hc_string_free().  On failure *trust_domain and *path
 * are set to NULL; on HC_OK *detail is set to NULL.  HC_INTERNAL is
 * returned, with nothing stored but the detail, when the copies cannot be
 * allocated.
 */
HC_EXPORT hc_status hc_spiffe_id_parse(const char *id, size_t len,
    char **trust_domain, char **path, char **detail);

#ifdef __cplusplus
}
#endif

#endif /* HOPCHECK_H */
