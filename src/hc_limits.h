/* SPDX-License-Identifier: Apache-2.0 */
/*
 * hc_limits.h - every bound on untrusted input, in one place.
 *
 * Each size, count and depth that an input can drive has a named maximum
 * here; code compares against these names, never against literals, so the
 * whole attack surface of "how big can it get" is reviewable on one page.
 */
#ifndef HC_LIMITS_H
#define HC_LIMITS_H

/* Tokens. */
#define HC_DEFAULT_MAX_TOKEN_BYTES 16384   /* config max_token_bytes default */
#define HC_MAX_TOKEN_BYTES_CAP     (1024 * 1024) /* highest allowed setting */

/* JSON (tokens, keys, configuration). */
#define HC_JSON_MAX_DEPTH          32      /* nesting of arrays and objects */
#define HC_JSON_MAX_MEMBERS        1024    /* members of an object, elements of an array */
#define HC_JSON_MAX_NUMBER_CHARS   64      /* characters of one number literal */
#define HC_JSON_MAX_BYTES          (1024 * 1024) /* one JSON document */

/* Keys. */
#define HC_MAX_KEYS_PER_SET        64      /* JWKs in one set */
#define HC_MAX_KID_BYTES           256     /* a kid longer than this never matches */
#define HC_MIN_RSA_BITS            2048
#define HC_MAX_RSA_BITS            8192
#define HC_MIN_HMAC_BYTES          32      /* RFC 7518 3.2: key >= hash size; 256 bits minimum */
#define HC_MAX_HMAC_BYTES          1024
#define HC_MAX_KEYFILE_BYTES       (1024 * 1024)

/* Configuration. */
#define HC_MAX_CONFIG_BYTES        (1024 * 1024)
#define HC_MAX_ISSUERS             64
#define HC_MAX_LIST_ITEMS          256     /* audiences, algorithms, types, routes, ... */
#define HC_MAX_CONFIG_STRING       4096
#define HC_MAX_CONFIG_ERRORS       100     /* errors reported for one file */
#define HC_MAX_CLOCK_SKEW_S        300
#define HC_DEFAULT_CLOCK_SKEW_S    30
#define HC_DEFAULT_MAX_LIFETIME_S  86400

/* Fetching keys. */
#define HC_FETCH_MAX_ETAG_BYTES    256     /* longer: not remembered, no If-None-Match */
#define HC_FETCH_MAX_URL_BYTES     HC_MAX_CONFIG_STRING  /* longest URL fetched */
#define HC_FETCH_URL_LABEL_MAX     200     /* a URL shown in a detail, query cut */

/* Replay stores. */
#define HC_REPLAY_MIN_BUCKETS      1024    /* first size of the bucket array */
#define HC_REPLAY_REDIS_CONNECT_MS 500     /* connecting to Redis */
#define HC_REPLAY_REDIS_COMMAND_MS 500     /* one command and its reply */
#define HC_REPLAY_REDIS_BACKOFF_MS 1000    /* no reconnect sooner after a failure */
#define HC_REPLAY_REDIS_MAX_DB     9999    /* highest database index */
#define HC_REPLAY_REDIS_HOST_MAX   255     /* host part of the URL */

/* Claims and requests. */
#define HC_MAX_SCOPES              256     /* scope tokens in one token */
#define HC_MAX_AUDIENCES           64      /* aud array elements */
#define HC_MAX_ACT_DEPTH           16      /* hard cap on act nesting */
#define HC_DEFAULT_ACT_DEPTH       4
#define HC_MAX_REQUEST_STRING      4096    /* method, path, tenant, ids */
#define HC_MAX_CERT_BYTES          (64 * 1024)
#define HC_MAX_CERT_SANS           64      /* subjectAltNames walked */
#define HC_MAX_XFCC_BYTES          (4 * HC_MAX_CERT_BYTES)
#define HC_MAX_XFCC_PAIRS          64      /* key=value pairs of one element */
#define HC_MAX_SPIFFE_ID_BYTES     2048    /* SPIFFE-ID 2.3 */
#define HC_MAX_TRUST_DOMAIN_BYTES  255     /* SPIFFE-ID 2.3 */

/* Transaction Tokens (draft-ietf-oauth-transaction-tokens-10 section 6). */
#define HC_TXN_DEFAULT_LIFETIME_S  600     /* txn_tokens.max_lifetime_s default */
#define HC_TXN_MAX_LIFETIME_S      3600    /* its highest allowed setting */

/* Proof-of-possession tokens (DPoP proofs, WIMSE WIT and WPT). */
#define HC_MAX_JTI_BYTES           256     /* a proof's or WPT's jti (RFC 9449 section 11.1) */
#define HC_MAX_POP_URI_BYTES       4096    /* DPoP htu, WPT aud, before normalisation */
#define HC_MAX_DPOP_NONCE_BYTES    256     /* a proof's nonce claim (RFC 9449 section 8.1) */
#define HC_MAX_OTH_ENTRIES         16      /* members of a WPT oth claim */
#define HC_MAX_WID_BYTES           2048    /* a Workload Identifier (identifier section 4.1) */
#define HC_DPOP_NONCE_SECRET_BYTES 32      /* dpop.nonce_secret_file, exactly */
#define HC_DPOP_NONCE_STEP_S       60      /* one server nonce per step; the last two accepted */
#define HC_DEFAULT_DPOP_MAX_AGE_S  60      /* dpop.max_age_s default */
#define HC_MAX_DPOP_MAX_AGE_S      3600    /* dpop.max_age_s highest setting */
#define HC_DEFAULT_WIT_LIFETIME_S  86400   /* wimse.max_wit_lifetime_s default */
#define HC_MAX_WIT_LIFETIME_S      604800  /* wimse.max_wit_lifetime_s highest setting */
#define HC_DEFAULT_WPT_TTL_S       300     /* wimse.max_wpt_ttl_s default */
#define HC_MAX_WPT_TTL_S           3600    /* wimse.max_wpt_ttl_s highest setting */

/* NumericDate range accepted (RFC 7519 section 2): 1970 .. 9999-12-31. */
#define HC_MAX_NUMERIC_DATE        253402300799.0

/* Detail strings. */
#define HC_DETAIL_MAX              512
#define HC_DETAIL_VALUE_MAX        96      /* a value quoted in a detail is cut here */

#endif /* HC_LIMITS_H */
