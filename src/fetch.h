/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fetch.h - remote key sources: the HTTP client seam (fetch.c, the only
 * file that sees libcurl), the SPIFFE bundle reader's extra output
 * (bundle.c) and the refresher's error report (refresh.c).
 *
 * The refresher (refresh.c) decides *when* to fetch and what to do with
 * the answer; fetch.c only performs one GET under the rules every remote
 * source shares:
 *
 *  - https:// with peer and host verification (the system store, or the
 *    source's `ca_file`); plain http:// only when the source allows it and
 *    the host is a loopback host (127.0.0.0/8 written as four decimal
 *    octets, [::1], localhost).  The rule is checked on every URL fetched,
 *    including a `jwks_uri` learned from a metadata document.
 *  - no redirects are followed (a 3xx answer is a failure), only the http
 *    and https protocols are enabled, and no proxy is used for loopback;
 *  - connect and total timeouts, and a cap on the body size enforced both
 *    on the announced length and on the bytes actually received;
 *  - the response's ETag and Cache-Control max-age are reported, and an
 *    ETag may be sent back as If-None-Match.
 *
 * Important caveats
 * -----------------
 *  - Details name the URL without its query string or userinfo, and the
 *    reason; they never carry the response body.
 *  - Content-Type is not checked: the body is judged by its parser.
 *  - Bundle endpoints are fetched with the "https_web" profile of SPIFFE
 *    Federation (Web PKI, or `ca_file`); the "https_spiffe" profile, which
 *    authenticates the endpoint by its own SPIFFE ID, is not implemented.
 */
#ifndef HC_FETCH_H
#define HC_FETCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "internal.h"
#include "keyset.h"
#include "policy.h"

/* One GET. */
typedef struct hc_fetch_req {
	const char *url;
	const hc_fetch_policy *limits; /* timeouts and max_bytes */
	bool allow_insecure_http;      /* http:// to a loopback host */
	const char *ca_file;           /* NULL: the system store */
	const char *etag;              /* sent as If-None-Match, or NULL */
	const int *stop;               /* non-zero (read atomically) stops the
					  transfer; may be NULL */
} hc_fetch_req;

/* Its answer. */
typedef struct hc_fetch_resp {
	long http_status;         /* the final status code, 0 when none */
	char *body;               /* on 200: the body, NUL-terminated (heap) */
	size_t len;
	char *etag;               /* the ETag of the answer, or NULL (heap) */
	int64_t max_age;          /* Cache-Control max-age; -1 when absent */
	bool no_cache;            /* Cache-Control no-store or no-cache */
	const char *failure;      /* on failure: its kind, HC_FETCH_FAIL_*
				     (static); NULL on success */
} hc_fetch_resp;

/*
 * The kinds of failure of a fetch, stable words for logs and reports: the
 * URL was refused by the rules above, the connection was refused, the
 * host did not resolve, TLS failed, the transfer timed out, the body was
 * over fetch.max_bytes, the answer was a redirect or another non-200
 * status, the validator was being freed, libcurl failed otherwise, or we
 * ran out of memory.
 */
#define HC_FETCH_FAIL_URL          "refused_url"
#define HC_FETCH_FAIL_CONNECT      "connection_refused"
#define HC_FETCH_FAIL_DNS          "dns"
#define HC_FETCH_FAIL_TLS          "tls"
#define HC_FETCH_FAIL_TIMEOUT      "timeout"
#define HC_FETCH_FAIL_TOO_LARGE    "too_large"
#define HC_FETCH_FAIL_REDIRECT     "redirect"
#define HC_FETCH_FAIL_HTTP_STATUS  "http_status"
#define HC_FETCH_FAIL_STOPPED      "stopped"
#define HC_FETCH_FAIL_TRANSPORT    "transport"
#define HC_FETCH_FAIL_INTERNAL     "internal"

/*
 * Fetches req->url.  Returns HC_OK with a 200 answer (body set) or, when
 * req->etag was sent, a 304 answer (no body).  Any other outcome is
 * HC_UNAVAILABLE with a reason in d that names the URL (refused URL,
 * connection, TLS, timeout, size cap, HTTP status, redirect), with
 * out->http_status set when an answer arrived and out->failure saying which
 * kind of failure it was; HC_INTERNAL when out of memory or libcurl cannot
 * start.  Clear *out with hc_fetch_resp_clear()
 * whatever the result.
 */
hc_status hc_fetch(const hc_fetch_req *req, hc_fetch_resp *out, hc_detail *d);

void hc_fetch_resp_clear(hc_fetch_resp *resp);

/*
 * Whether `url` may be fetched: https://, or http:// when `allow_http` and
 * the host is a loopback host; a host (and optional port 1..65535), no
 * userinfo, no fragment, only URI characters (RFC 3986 section 2), at most
 * HC_FETCH_MAX_URL_BYTES.  Returns HC_OK or HC_UNAVAILABLE with a reason.
 */
hc_status hc_fetch_url_check(const char *url, bool allow_http, hc_detail *d);

/*
 * Writes into buf (size n) the URL as details show it: scheme, host, port
 * and path, without userinfo, query or fragment, cut with "..." when
 * longer than n.  Returns buf.
 */
const char *hc_fetch_url_label(const char *url, char *buf, size_t n);

/*
 * bundle.c: hc_bundle_parse_use() for the entries of `use`, also
 * returning the bundle's `spiffe_refresh_hint` in seconds (-1 when absent)
 * in *refresh_hint (which may be NULL).
 */
hc_status hc_bundle_parse_hint(const char *json, size_t len,
    const char *trust_domain, const char *use, hc_keyset **out,
    int64_t *refresh_hint, hc_detail *d);

/*
 * refresh.c: copies into d the reason of the last failure of key source
 * `i` (numbered as by hc_validator_key_stats()), or an empty string when
 * its last refresh succeeded or it is not a remote source.  Returns false
 * when `i` is out of range.
 */
bool hc_refresh_last_error(const hc_validator *v, size_t i, hc_detail *d);

#endif /* HC_FETCH_H */
