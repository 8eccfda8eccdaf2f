/* SPDX-License-Identifier: Apache-2.0 */
/*
 * endpoints.h - what hopcheckd answers, independent of the HTTP library.
 *
 * http.c (libmicrohttpd) turns each HTTP request into an hcd_request,
 * calls hcd_handle() once the body is in, and sends the hcd_response back.
 * The endpoints:
 *
 *   POST /v1/validate  JSON in, the result JSON of hc_result_to_json() out
 *   *    /v1/authz     nginx auth_request and Envoy ext_authz (HTTP)
 *   GET  /metrics      Prometheus text format 0.0.4
 *   GET  /healthz      200 "ok" while the process serves
 *   GET  /readyz       200 once every issuer has keys, else 503
 *   GET  /v1/keys      the key sources, their kids and skipped keys (JSON)
 *
 * man/hopcheckd.8 documents the status codes and headers of each.
 */
#ifndef HCD_ENDPOINTS_H
#define HCD_ENDPOINTS_H

#include <stdbool.h>
#include <stddef.h>

#include "hopcheck.h"
#include "internal.h"

/* Response headers set by one endpoint, at most. */
#define HCD_MAX_RESP_HEADERS 16
/* Extra room in a /v1/validate body beyond max_token_bytes. */
#define HCD_BODY_SLACK (64 * 1024)
/* The body of any other request (ignored, but read) is capped here. */
#define HCD_OTHER_BODY_MAX (64 * 1024)

typedef struct hcd_request {
	const char *method;      /* as sent */
	const char *path;        /* without the query string */
	const char *body;        /* NULL when none */
	size_t body_len;
	bool body_too_large;     /* over hcd_body_limit(); body dropped */
	/*
	 * The value of request header `name` (any case), or NULL; *count is
	 * set to the number of headers of that name.
	 */
	const char *(*header)(void *ctx, const char *name, size_t *count);
	void *ctx;
	const hc_validator *v;   /* the generation this request uses */
	bool metrics_only;       /* the metrics listener: probes and counters */
	double started;          /* monotonic seconds at arrival */
} hcd_request;

typedef struct hcd_header {
	const char *name;        /* static */
	char *value;             /* heap */
} hcd_header;

typedef struct hcd_response {
	unsigned code;
	const char *content_type;  /* static, or NULL for no body */
	char *body;                /* heap, or NULL */
	size_t body_len;
	hcd_header headers[HCD_MAX_RESP_HEADERS];
	size_t nheaders;
} hcd_response;

/* The members of a POST /v1/validate body: borrowed from its JSON tree. */
struct hcd_validate_in {
	const char *token, *route, *method, *path, *cert, *spiffe, *x5t,
	    *tenant, *txn_token, *dpop, *scheme, *wit, *wpt;
	bool has_now;
	double now;
	char route_method[HC_MAX_REQUEST_STRING + 1];
};

/*
 * Reads the parsed body `obj` of POST /v1/validate into *in (zeroed by the
 * caller), its strings borrowed from `obj`.  The body must be an object
 * with no member but the known ones, each of its JSON type; token,
 * txn_token, dpop (a proof: the DPoP scheme), scheme ("Bearer" or "DPoP"),
 * wit and wpt are optional (no token: no access token); route excludes
 * method and path, which go together;
 * peer_cert_pem excludes peer_spiffe_id and peer_x5t; now is whole seconds
 * in 0 .. HC_MAX_NUMERIC_DATE; a route is "METHOD /path" and is split into
 * in->method and in->path.  Returns 0, or -1 with the reason in d.  Any
 * bytes that hc_json_parse() accepted are safe to pass (it is fuzzed:
 * tests/fuzz/fuzz_daemon_body.c); only ep_validate() and the fuzzer call
 * it.
 */
int hcd_validate_read(const hc_json *obj, struct hcd_validate_in *in,
    hc_detail *d);

/* The largest body accepted for a request to `path`. */
size_t hcd_body_limit(const hc_validator *v, const char *path);

/* Answers one request into *rs (which the caller clears afterwards). */
void hcd_handle(const hcd_request *rq, hcd_response *rs);

/* GET /v1/keys: the key report (ep_keys.c). */
void hcd_ep_keys(const hcd_request *rq, hcd_response *rs);

/* ep_probes.c: GET /metrics, /healthz, /readyz. */
void hcd_ep_metrics(const hcd_request *rq, hcd_response *rs);
void hcd_ep_healthz(const hcd_request *rq, hcd_response *rs);
void hcd_ep_readyz(const hcd_request *rq, hcd_response *rs);

/*
 * ep_probes.c: true when the request is a GET or HEAD; otherwise answers
 * 405 with Allow itself, so that the endpoint just returns.
 */
bool hcd_only_get(const hcd_request *rq, hcd_response *rs);

/* Adds a header with a copy of `value`; out of memory drops the header. */
void hcd_add_header(hcd_response *rs, const char *name, const char *value);
/* A text/plain body, a copy of `text`. */
void hcd_text_body(hcd_response *rs, const char *text);

/* Releases what a response holds. */
void hcd_response_clear(hcd_response *rs);

/* Monotonic seconds, for latencies. */
double hcd_now(void);

#endif /* HCD_ENDPOINTS_H */
