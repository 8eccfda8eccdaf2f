/* SPDX-License-Identifier: Apache-2.0 */
/*
 * wimse.h - WIMSE workload-to-workload authentication (wimse.c): a
 * Workload Identity Token (WIT, draft-ietf-wimse-workload-creds-03
 * section 5.1) and the Workload Proof Token (WPT, draft-ietf-wimse-wpt-02
 * section 2) that proves its holder has the WIT's key, for one HTTP
 * request.
 *
 * The WIT is signed by an identity server of the trust domain named by the
 * authority of its `sub`, a Workload Identifier (wid.c); its keys are the
 * ones wimse.trust_domains configures for that domain, and nothing in the
 * token ever chooses where keys come from.  The WPT is signed by the key
 * in the WIT's cnf.jwk, and by nothing else: a `jwk`, `kid` or `jku` in the
 * WPT header is ignored.  hc_wimse_verify() checks, in this order:
 *
 *   WIT: syntax -> alg (asymmetric, on this backend) -> crit -> typ
 *   wit+jwt -> sub (a Workload Identifier; its trust domain configured,
 *   else issuer) -> alg in the domain's allowlist -> key (by kid; without
 *   kid only a one-key set; SPIFFE subjects need a kid) -> signature ->
 *   exp, iat, nbf, lifetime cap -> iss allowlist -> cnf.jwk (public, with
 *   an asymmetric alg this backend verifies);
 *   WPT: present (a WIT alone is a bearer token: binding) -> syntax -> alg
 *   string-equal to cnf.jwk.alg -> crit -> typ wpt+jwt -> signature ->
 *   aud, exp, jti, wth present -> exp and its cap -> aud = an origin + the
 *   request path -> wth -> ath, tth -> oth.
 *
 * The WPT's one-time id is not spent here: its replay record (namespace
 * "wpt", key the WIT sub and the WPT jti, until exp + skew) is handed back
 * for the pipeline to spend last.
 *
 * Important caveats (what is NOT checked here)
 *  - Whether the authenticated workload may call this route (callers,
 *    ACLs) is the pipeline's: compare the full `sub`, never its path.
 *  - The access token and Txn-Token are only hashed (ath, tth); each is
 *    validated by its own pipeline.  Headers not covered by `oth` must not
 *    feed authorization: this module never returns them.
 *  - Header fields (exactly one of each, no WIT in Authorization) are the
 *    caller's.  The keys of a trust domain are its jwks_file or
 *    bundle_file (read once here) or its jwks_uri or bundle_uri (kept
 *    fresh by refresh.c); a bundle gives its entries with `use` "wit-svid".
 */
#ifndef HC_WIMSE_H
#define HC_WIMSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "internal.h"
#include "jwk.h"
#include "keyset.h"
#include "policy.h"
#include "replay.h"

/* The WIMSE state of a validator: the key sets of its trust domains. */
typedef struct hc_wimse hc_wimse;

/*
 * One configured trust domain and its WIT signing keys, in the order of
 * wimse.trust_domains.  The slot is filled at hc_wimse_new() from a file,
 * or later by the refresher (refresh.c sets `remote`) from a URL; a
 * verification takes its own reference from the slot (keyset.h).
 */
typedef struct hc_wimse_td {
	const hc_wimse_td_policy *pol;
	char *label;             /* "wimse:" + the domain: the source name */
	hc_keyslot keys;         /* empty until loaded */
	struct hc_remote *remote;    /* refresh.c: jwks_uri / bundle_uri state,
					or NULL */
} hc_wimse_td;

/*
 * Builds the state of p->wimse (p is borrowed and must outlive it):
 * reads each trust domain's jwks_file or bundle_file; a remote source
 * starts empty (HC_UNAVAILABLE until the refresher loads it).  HC_KEY or
 * HC_CONFIG with a reason naming the trust domain when a file cannot be
 * read or holds no usable key; HC_INTERNAL.
 */
hc_status hc_wimse_new(const hc_policy *p, hc_wimse **out, hc_detail *d);

/* How many trust domains w has (0 for NULL). */
size_t hc_wimse_ntds(const hc_wimse *w);

/* Trust domain i < hc_wimse_ntds(w), for the refresher and key reports. */
hc_wimse_td *hc_wimse_td_at(const hc_wimse *w, size_t i);

void hc_wimse_free(hc_wimse *w);   /* NULL is a no-op */

/*
 * A header the recipient understands for `oth` (wpt-02 section 2): its
 * lower-case name, its trimmed value (NULL when the request lacks it) and
 * how many fields of it the request carried.
 */
typedef struct hc_wimse_other {
	const char *name;
	const char *value;
	unsigned count;
} hc_wimse_other;

/* What one request presents. */
typedef struct hc_wimse_request {
	const char *wit;         /* Workload-Identity-Token value */
	size_t wit_len;
	const char *wpt;         /* Workload-Proof-Token value, or NULL */
	size_t wpt_len;
	const char *path;        /* origin-relative, query allowed (ignored) */
	const char *access_token;  /* the token of Authorization, or NULL */
	size_t access_token_len;
	const char *txn_token;   /* the Txn-Token value, or NULL */
	size_t txn_token_len;
	const hc_wimse_other *others;  /* the oth headers understood */
	size_t nothers;
	int64_t now;
} hc_wimse_request;

/* What a verified pair gives back (hc_wimse_result_clear() frees it). */
typedef struct hc_wimse_result {
	char *sub;               /* the authenticated Workload Identifier */
	char *wit_jti;           /* or NULL: the WIT had none */
	char *wpt_jti;
	char jkt[HC_JKT_LEN + 1];  /* RFC 7638 thumbprint of cnf.jwk, for logs */
	const char *credential;  /* on failure: "wit" or "wpt" */
	hc_replay_record record; /* ns "wpt": spend it last */
} hc_wimse_result;

/*
 * Verifies a WIT and its WPT for one request (the order is above).
 * Returns HC_OK and fills *out, or the first failure with a reason in d
 * and out->credential naming the token at fault.  *out is always safe to
 * clear.  Thread-safe: w is only read.
 */
hc_status hc_wimse_verify(const hc_wimse *w, const hc_wimse_request *rq,
    hc_wimse_result *out, hc_detail *d);

void hc_wimse_result_clear(hc_wimse_result *r);

/* ---------------------------------------------------------- wid.c */

/*
 * The Workload Identifier grammar (draft-ietf-wimse-identifier section
 * 4.1, workload-creds section 1.3): an absolute URI of at most
 * HC_MAX_WID_BYTES, a lower-case scheme, "//", a non-empty lower-case
 * host of letters, digits, '.', '-' and '_' (the trust domain) with no
 * userinfo, port or percent-encoding, then an optional path of RFC 3986
 * pchars with valid percent-encodings, and no query or fragment.  A
 * "spiffe" URI must also be a SPIFFE ID (spiffe.c), the strict subset.
 * On HC_OK, *td and *td_len (when not NULL) locate the trust domain in
 * id.  HC_MALFORMED with a reason otherwise.
 */
hc_status hc_wid_check(const char *id, size_t len, const char **td,
    size_t *td_len, hc_detail *d);

#endif /* HC_WIMSE_H */
