/* SPDX-License-Identifier: Apache-2.0 */
/*
 * endpoints.c - the answers of hopcheckd, one function per endpoint.
 *
 * Two endpoints decide about tokens, and both end in one hc_validate(),
 * one log line and one count per status:
 *
 *  - POST /v1/validate reads a strict JSON object (no unknown member, no
 *    duplicate, every member of its type) and answers 200 with the result
 *    JSON for every verdict, the status being in the body; 400 for a body
 *    that is not such an object, 413 for one over max_token_bytes + 64 KiB,
 *    415 when it is not declared application/json, 500 on internal errors.
 *  - /v1/authz answers a front proxy (nginx auth_request, Envoy ext_authz)
 *    from headers alone, in the status codes of RFC 6750 section 3: 200
 *    with the identity headers; 401 with `WWW-Authenticate: Bearer
 *    error="invalid_token"` for a token verdict; 403 with
 *    error="insufficient_scope" for scope, tenant and policy; 503 when
 *    unavailable; 401 with a bare `Bearer` challenge when there is no
 *    bearer token at all (section 3.1).  X-Hopcheck-Status names the
 *    status on every answer.
 *
 * Faults of the Authorization header itself (two of them, a bad bearer
 * syntax) are answered 401 error="invalid_request" rather than the 400
 * that section 3.1 suggests: nginx auth_request passes only 401 and 403
 * to the client and turns anything else into a 500.  Faults of what the
 * proxy adds (X-Original-Method/URI missing, a certificate header that is
 * not one certificate) are 400: they mean the proxy is misconfigured.
 *
 * The route is X-Original-Method and X-Original-URI (nginx).  Without
 * them, a request for /v1/authz/PATH is judged for its own method and
 * PATH: Envoy's HTTP ext_authz service sends the original method to
 * path_prefix + the original path.  The path is taken as the client sent
 * it (http.c does not percent-decode it), so that the library's check of
 * its normal form sees what the backend will see.
 *
 * The peer certificate and tenant are read only from the headers the
 * configuration names (daemon.peer_cert_header, daemon.xfcc,
 * daemon.tenant_header): the proxy must set or strip them on every request.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "binding.h"
#include "buf.h"
#include "endpoints.h"
#include "internal.h"
#include "pop_http.h"
#include "txn_http.h"
#include "log.h"
#include "metrics.h"
#include "settings.h"

/* /v1/authz, and the prefix of Envoy's /v1/authz/<original path>. */
#define HCD_AUTHZ_PREFIX "/v1/authz"
#define HCD_AUTHZ_PREFIX_LEN (sizeof(HCD_AUTHZ_PREFIX) - 1)

/* An error_description is cut here (RFC 6750 section 3 sets no bound). */
#define HCD_ERROR_DESCRIPTION_MAX 256
/* Longest X-Request-Id kept for the log; the rest is cut. */
#define HCD_REQUEST_ID_MAX 128
/* W3C traceparent, version 00: 2-32-16-2 hex digits and dashes. */
#define HCD_TRACEPARENT_LEN 55
#define HCD_TRACE_ID_LEN 32

/* ---------------------------------------------------------------- helpers */

/*
 * Monotonic, so that a step of the wall clock cannot make a latency negative
 * (see endpoints.h).
 */
double
hcd_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Frees the body and the header values a response owns and zeroes it; header
 * names are static strings, never freed.
 */
void
hcd_response_clear(hcd_response *rs)
{
	free(rs->body);
	for (size_t i = 0; i < rs->nheaders; i++)
		free(rs->headers[i].value);
	memset(rs, 0, sizeof(*rs));
}

/* Adds a header, taking ownership of `value` (NULL: out of memory, skip). */
static void
add_header_owned(hcd_response *rs, const char *name, char *value)
{
	if (value == NULL)
		return;
	if (rs->nheaders == HCD_MAX_RESP_HEADERS) {
		free(value);
		return;
	}
	rs->headers[rs->nheaders].name = name;
	rs->headers[rs->nheaders].value = value;
	rs->nheaders++;
}

/* Adds a header with a copy of `value`; out of memory drops the header. */
void
hcd_add_header(hcd_response *rs, const char *name, const char *value)
{
	add_header_owned(rs, name, hc_strdup(value));
}

/* Sets a plain-text body (copied). */
void
hcd_text_body(hcd_response *rs, const char *text)
{
	rs->content_type = "text/plain; charset=utf-8";
	rs->body = hc_strdup(text);
	rs->body_len = rs->body ? strlen(rs->body) : 0;
}

/* A JSON error body {"error": code, "detail": detail}. */
static void
json_error(hcd_response *rs, unsigned code, const char *error,
    const char *detail)
{
	hcd_buf b = { 0 };

	rs->code = code;
	hcd_buf_puts(&b, "{\"error\":");
	hcd_buf_json_string(&b, error);
	hcd_buf_puts(&b, ",\"detail\":");
	hcd_buf_json_string(&b, detail);
	hcd_buf_puts(&b, "}\n");
	rs->content_type = "application/json";
	rs->body = hcd_buf_take(&b, &rs->body_len);
}

/*
 * An RFC 9457 problem body: `title` the short name of the problem, `detail`
 * what to do about it.
 */
static void
problem(hcd_response *rs, unsigned code, const char *title,
    const char *detail)
{
	hcd_buf b = { 0 };
	char num[16];

	rs->code = code;
	(void)snprintf(num, sizeof(num), "%u", code);
	hcd_buf_puts(&b, "{\"type\":\"about:blank\",\"title\":");
	hcd_buf_json_string(&b, title);
	hcd_buf_puts(&b, ",\"status\":");
	hcd_buf_puts(&b, num);
	hcd_buf_puts(&b, ",\"detail\":");
	hcd_buf_json_string(&b, detail);
	hcd_buf_puts(&b, "}\n");
	rs->content_type = "application/problem+json";
	rs->body = hcd_buf_take(&b, &rs->body_len);
}

/*
 * A header value from a claim: bytes outside printable ASCII, '%' and ','
 * are percent-encoded (RFC 3986 section 2.1), so that a claim can neither
 * break the header nor forge an element of the comma-separated chain.
 */
static char *
header_value(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	hcd_buf b = { 0 };

	hcd_buf_add(&b, "", 0);
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;
		if (c < 0x20 || c > 0x7e || c == '%' || c == ',') {
			char e[3] = { '%', hex[c >> 4], hex[c & 15] };
			hcd_buf_add(&b, e, 3);
		} else {
			hcd_buf_add(&b, s, 1);
		}
	}
	return hcd_buf_take(&b, NULL);
}

/*
 * WWW-Authenticate for an error (RFC 6750 section 3).  The description
 * names the stable status only: it reaches the client through the proxy,
 * and the detail would tell it this service's audiences, algorithms,
 * delegates and tenants.  The detail goes to the log (and, for trusted
 * callers, to POST /v1/validate).
 */
static void
challenge(hcd_response *rs, const char *error, const char *status)
{
	hcd_buf b = { 0 };

	hcd_buf_printf(&b, "Bearer error=\"%s\", error_description=\"token "
	    "rejected: %s\"", error, status);
	add_header_owned(rs, "WWW-Authenticate", hcd_buf_take(&b, NULL));
}

/* What the log and metrics are told about one decision. */
struct decided {
	const char *endpoint;
	hc_status status;
	const char *detail;
	const hc_result *res;
	const char *method, *path;
};

static bool
all_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/*
 * The ids that tie a decision to the proxy's and the application's logs:
 * X-Request-Id when there is exactly one (printable ASCII kept, cut to
 * HCD_REQUEST_ID_MAX bytes), and the trace-id of a W3C Trace Context
 * `traceparent` (section 3.2: version 00, lower-case hex, not all zeros).
 * Empty strings when absent or unusable.
 */
static void
request_ids(const hcd_request *rq, char rid[HCD_REQUEST_ID_MAX + 1],
    char tid[HCD_TRACE_ID_LEN + 1])
{
	const char *v;
	size_t n = 0, o = 0;

	rid[0] = tid[0] = '\0';
	v = rq->header(rq->ctx, "x-request-id", &n);
	for (; n == 1 && v != NULL && *v != '\0' && o < HCD_REQUEST_ID_MAX; v++)
		if ((unsigned char)*v >= 0x20 && (unsigned char)*v <= 0x7e)
			rid[o++] = *v;
	rid[o] = '\0';
	v = rq->header(rq->ctx, "traceparent", &n);
	if (n != 1 || v == NULL || strlen(v) != HCD_TRACEPARENT_LEN ||
	    strncmp(v, "00-", 3) != 0 || v[35] != '-' || v[52] != '-' ||
	    !all_hex(v + 3, HCD_TRACE_ID_LEN) || !all_hex(v + 36, 16) ||
	    !all_hex(v + 53, 2) ||
	    strspn(v + 3, "0") >= HCD_TRACE_ID_LEN)
		return;
	memcpy(tid, v + 3, HCD_TRACE_ID_LEN);
	tid[HCD_TRACE_ID_LEN] = '\0';
}

/*
 * Counts one decision in the metrics and writes its log line; called
 * once for each request that came to a decision.
 */
static void
record(const hcd_request *rq, const hcd_response *rs, const struct decided *d)
{
	hcd_decision ld;
	char rid[HCD_REQUEST_ID_MAX + 1], tid[HCD_TRACE_ID_LEN + 1];

	hcd_metrics_decision(d->status);
	hcd_metrics_replay_watch(rq->v);
	memset(&ld, 0, sizeof(ld));
	request_ids(rq, rid, tid);
	ld.request_id = rid[0] != '\0' ? rid : NULL;
	ld.trace_id = tid[0] != '\0' ? tid : NULL;
	ld.endpoint = d->endpoint;
	ld.status = d->status;
	ld.detail = d->detail;
	ld.result = d->res;
	ld.method = d->method;
	ld.path = d->path;
	ld.http_code = rs->code;
	ld.latency_ms = (hcd_now() - rq->started) * 1000.0;
	hcd_log_decision(&ld);
}

/* Runs hc_validate() and times it. */
static hc_status
timed_validate(const hc_validator *v, const char *tok, size_t len,
    const hc_request *req, hc_result **res)
{
	double t0 = hcd_now();
	hc_status st = hc_validate(v, tok, len, req, res);

	hcd_metrics_validation(hcd_now() - t0);
	return st;
}

/* ------------------------------------------------------------ /v1/validate */

/* True when the Content-Type is application/json, parameters allowed. */
static bool
is_json_type(const char *ct)
{
	size_t n = strlen("application/json");

	if (ct == NULL || strncasecmp(ct, "application/json", n) != 0)
		return false;
	return ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ' || ct[n] == '\t';
}

/* The members of a /v1/validate body and their JSON types. */
static const struct member {
	const char *name;
	hc_json_type type;
} validate_members[] = {
	{ "token", HC_JSON_STRING },
	{ "route", HC_JSON_STRING },
	{ "method", HC_JSON_STRING },
	{ "path", HC_JSON_STRING },
	{ "peer_cert_pem", HC_JSON_STRING },
	{ "peer_spiffe_id", HC_JSON_STRING },
	{ "peer_x5t", HC_JSON_STRING },
	{ "tenant", HC_JSON_STRING },
	{ "now", HC_JSON_NUMBER },
	{ "txn_token", HC_JSON_STRING },
	{ "dpop", HC_JSON_STRING },
	{ "scheme", HC_JSON_STRING },
	{ "wit", HC_JSON_STRING },
	{ "wpt", HC_JSON_STRING },
	{ NULL, HC_JSON_INVALID }
};

/* Checks the body's members (see endpoints.h); 0, or -1 with the reason. */
int
hcd_validate_read(const hc_json *obj, struct hcd_validate_in *in,
    hc_detail *d)
{
	char q[HC_QBUF];

	if (hc_json_type_of(obj) != HC_JSON_OBJECT) {
		hc_fail(d, HC_MALFORMED, "the body is a JSON %s, not an object",
		    hc_json_type_name(hc_json_type_of(obj)));
		return -1;
	}
	for (const hc_json *j = hc_json_first(obj); j != NULL;
	    j = hc_json_next(j)) {
		const char *name = hc_json_name(j);
		const struct member *m;
		for (m = validate_members; m->name != NULL; m++)
			if (strcmp(m->name, name) == 0)
				break;
		if (m->name == NULL) {
			hc_fail(d, HC_MALFORMED, "unknown member %s",
			    hc_quote(q, sizeof(q), name));
			return -1;
		}
		if (hc_json_type_of(j) != m->type) {
			hc_fail(d, HC_MALFORMED, "%s is a %s, not a %s", m->name,
			    hc_json_type_name(hc_json_type_of(j)),
			    hc_json_type_name(m->type));
			return -1;
		}
	}
	in->token = hc_json_string(hc_json_get(obj, "token"));
	in->route = hc_json_string(hc_json_get(obj, "route"));
	in->method = hc_json_string(hc_json_get(obj, "method"));
	in->path = hc_json_string(hc_json_get(obj, "path"));
	in->cert = hc_json_string(hc_json_get(obj, "peer_cert_pem"));
	in->spiffe = hc_json_string(hc_json_get(obj, "peer_spiffe_id"));
	in->x5t = hc_json_string(hc_json_get(obj, "peer_x5t"));
	in->tenant = hc_json_string(hc_json_get(obj, "tenant"));
	in->has_now = hc_json_number(hc_json_get(obj, "now"), &in->now);
	in->txn_token = hc_json_string(hc_json_get(obj, "txn_token"));
	in->dpop = hc_json_string(hc_json_get(obj, "dpop"));
	in->scheme = hc_json_string(hc_json_get(obj, "scheme"));
	in->wit = hc_json_string(hc_json_get(obj, "wit"));
	in->wpt = hc_json_string(hc_json_get(obj, "wpt"));
	if (in->scheme != NULL && strcasecmp(in->scheme, "bearer") != 0 &&
	    strcasecmp(in->scheme, "dpop") != 0) {
		hc_fail(d, HC_MALFORMED, "scheme is \"Bearer\" or \"DPoP\"");
		return -1;
	}
	if (in->route != NULL && (in->method != NULL || in->path != NULL)) {
		hc_fail(d, HC_MALFORMED, "give route, or method and path, not both");
		return -1;
	}
	if ((in->method == NULL) != (in->path == NULL)) {
		hc_fail(d, HC_MALFORMED, "method and path go together");
		return -1;
	}
	if (in->cert != NULL && (in->spiffe != NULL || in->x5t != NULL)) {
		hc_fail(d, HC_MALFORMED, "give peer_cert_pem, or peer_spiffe_id "
		    "and peer_x5t, not both");
		return -1;
	}
	if (in->has_now && (in->now < 0 || in->now > HC_MAX_NUMERIC_DATE ||
	    in->now != (double)(int64_t)in->now)) {
		hc_fail(d, HC_MALFORMED, "now must be whole seconds since the "
		    "epoch, 0 .. %.0f", HC_MAX_NUMERIC_DATE);
		return -1;
	}
	if (in->route != NULL) {
		/* "METHOD /path": one space between the two. */
		const char *sp = strchr(in->route, ' ');
		size_t ml = sp ? (size_t)(sp - in->route) : 0;
		if (sp == NULL || ml == 0 || ml > HC_MAX_REQUEST_STRING ||
		    sp[1] == '\0') {
			hc_fail(d, HC_MALFORMED, "route must be \"METHOD /path\"");
			return -1;
		}
		memcpy(in->route_method, in->route, ml);
		in->route_method[ml] = '\0';
		in->method = in->route_method;
		in->path = sp + 1;
	}
	return 0;
}

/* Applies the body to a request; 0, or -1 with the reason in d. */
static int
build_request(const struct hcd_validate_in *in, hc_request *req,
    hc_detail *d)
{
	hc_status st;

	if (in->method != NULL &&
	    (st = hc_request_set_route(req, in->method, in->path)) != HC_OK) {
		hc_fail(d, st, "route: the method must be letters and the path "
		    "an absolute path in normal form (no empty, \".\" or \"..\" "
		    "segment), each at most %d bytes", HC_MAX_REQUEST_STRING);
		return -1;
	}
	if (in->tenant != NULL &&
	    (st = hc_request_set_tenant(req, in->tenant)) != HC_OK) {
		hc_fail(d, st, "tenant must be 1 .. %d bytes",
		    HC_MAX_REQUEST_STRING);
		return -1;
	}
	if (in->cert != NULL && (st = hc_request_set_peer_cert(req,
	    (const unsigned char *)in->cert, strlen(in->cert))) != HC_OK) {
		hc_fail(d, st, "peer_cert_pem is not one PEM certificate of at "
		    "most %d bytes", HC_MAX_CERT_BYTES);
		return -1;
	}
	if ((in->spiffe != NULL || in->x5t != NULL) &&
	    (st = hc_request_set_peer_identity(req, in->x5t, in->spiffe)) !=
	    HC_OK) {
		hc_fail(d, st, "peer_x5t or peer_spiffe_id is empty or too long");
		return -1;
	}
	if (in->has_now)
		hc_request_set_time(req, (int64_t)in->now);
	if (in->txn_token != NULL && (st = hc_request_set_txn_token(req,
	    in->txn_token, strlen(in->txn_token))) != HC_OK) {
		hc_fail(d, st, "txn_token is empty or too long");
		return -1;
	}
	/* A proof implies the DPoP scheme (RFC 9449 section 7.1). */
	if ((in->scheme != NULL && hc_request_set_auth_scheme(req,
	    strcasecmp(in->scheme, "dpop") == 0 ? HC_SCHEME_DPOP :
	    HC_SCHEME_BEARER) != HC_OK) || (in->dpop != NULL &&
	    hc_request_set_dpop(req, in->dpop, strlen(in->dpop)) != HC_OK) ||
	    (in->wit != NULL && hc_request_set_wit(req, in->wit,
	    strlen(in->wit)) != HC_OK) || (in->wpt != NULL &&
	    hc_request_set_wpt(req, in->wpt, strlen(in->wpt)) != HC_OK)) {
		hc_fail(d, HC_MALFORMED, "dpop, wit or wpt is empty or too long");
		return -1;
	}
	return 0;
}

/*
 * POST /v1/validate: one token and its request context in a strict JSON body,
 * one hc_result as JSON back (see the file header for the codes).  Only a
 * request that reaches hc_validate() or fails for memory is counted and
 * logged; a malformed body is answered 400 with its reason and not recorded.
 */
static void
ep_validate(const hcd_request *rq, hcd_response *rs)
{
	struct decided dec = { "/v1/validate", HC_MALFORMED, NULL, NULL, NULL,
	    NULL };
	struct hcd_validate_in in;
	hc_detail d = { "" };
	hc_json *body = NULL;
	hc_request *req = NULL;
	hc_result *res = NULL;
	hcd_settings set;
	size_t n;

	if (strcmp(rq->method, "POST") != 0) {
		rs->code = 405;
		hcd_add_header(rs, "Allow", "POST");
		hcd_text_body(rs, "method not allowed: POST only\n");
		return;
	}
	if (!is_json_type(rq->header(rq->ctx, "content-type", &n)) || n != 1) {
		json_error(rs, 415, "unsupported_media_type",
		    "the body must be sent as Content-Type: application/json");
		return;
	}
	if (rq->body_too_large) {
		hc_fail(&d, HC_MALFORMED, "body over %zu bytes",
		    hcd_body_limit(rq->v, rq->path));
		json_error(rs, 413, "payload_too_large", d.text);
		return;
	}
	memset(&in, 0, sizeof(in));
	hcd_settings_of(rq->v, &set);
	if (hc_json_parse(rq->body ? rq->body : "", rq->body_len, &body, &d) ==
	    HC_OK && hc_json_type_of(body) == HC_JSON_OBJECT &&
	    hc_json_get(body, "now") != NULL && !set.allow_request_time) {
		/*
		 * A caller-chosen clock makes every expired token valid
		 * again: a test feature, refused unless configured.
		 */
		problem(rs, 400, "now",
		    "request body: the member \"now\" is refused; a request"
		    " may set the clock only with daemon.allow_request_time");
		goto done;
	}
	if (body == NULL || hcd_validate_read(body, &in, &d) != 0) {
		char msg[HC_DETAIL_MAX + 32];
		(void)snprintf(msg, sizeof(msg), "request body: %s", d.text);
		json_error(rs, 400, "invalid_request", msg);
		goto done;
	}
	if ((req = hc_request_new()) == NULL) {
		json_error(rs, 500, "internal", "out of memory");
		dec.status = HC_INTERNAL;
		dec.detail = "out of memory";
		record(rq, rs, &dec);
		goto done;
	}
	if (build_request(&in, req, &d) != 0) {
		json_error(rs, 400, "invalid_request", d.text);
		goto done;
	}
	dec.method = in.method;
	dec.path = in.path;
	dec.status = timed_validate(rq->v, in.token, in.token != NULL ?
	    strlen(in.token) : 0, req, &res);
	if (res == NULL) {
		json_error(rs, 500, "internal", "out of memory");
		dec.detail = "out of memory";
		record(rq, rs, &dec);
		goto done;
	}
	dec.detail = hc_result_detail(res);
	dec.res = res;
	hcd_metrics_credentials(res, in.token != NULL, in.txn_token != NULL);
	rs->code = dec.status == HC_INTERNAL || dec.status == HC_CONFIG ? 500 :
	    200;
	rs->content_type = "application/json";
	if ((rs->body = hc_result_to_json(res)) == NULL) {
		json_error(rs, 500, "internal", "out of memory");
	} else {
		rs->body_len = strlen(rs->body);
	}
	hcd_add_header(rs, "X-Hopcheck-Status", hc_status_name(dec.status));
	hcd_add_header(rs, "Cache-Control", "no-store");
	record(rq, rs, &dec);
done:
	hc_result_free(res);
	hc_request_free(req);
	hc_json_free(body);
}

/* --------------------------------------------------------------- /v1/authz */

/* The single value of header `name`, or NULL; *dup set when several. */
static const char *
one_header(const hcd_request *rq, const char *name, bool *dup)
{
	size_t n = 0;
	const char *v = rq->header(rq->ctx, name, &n);

	*dup = n > 1;
	return n == 1 ? v : NULL;
}

/*
 * Decodes the %XX escapes of nginx's $ssl_client_escaped_cert (a PEM
 * escaped as a URI component; '+' is sent as %2B, so it is not a space
 * here).  Returns the length, or 0 for a bad escape or an oversize result.
 */
static size_t
url_decode(const char *s, unsigned char *out, size_t cap)
{
	size_t o = 0;

	for (; *s != '\0'; s++) {
		unsigned v = 0;
		if (o == cap)
			return 0;
		if (*s != '%') {
			out[o++] = (unsigned char)*s;
			continue;
		}
		for (int i = 1; i <= 2; i++) {
			char c = s[i];
			v <<= 4;
			if (c >= '0' && c <= '9')
				v |= (unsigned)(c - '0');
			else if (c >= 'a' && c <= 'f')
				v |= (unsigned)(c - 'a' + 10);
			else if (c >= 'A' && c <= 'F')
				v |= (unsigned)(c - 'A' + 10);
			else
				return 0;
		}
		out[o++] = (unsigned char)v;
		s += 2;
	}
	return o;
}

/*
 * Sets the request's peer from the configured header(s).  Returns HC_OK,
 * or the status of a fault of the headers (HC_MALFORMED, HC_INTERNAL) with
 * the reason in d.  A verdict on the certificate itself (HC_BINDING,
 * HC_PEER from an XFCC value) is HC_OK with the verdict in *verdict.
 */
static hc_status
authz_peer(const hcd_request *rq, const hcd_settings *set, hc_request *req,
    hc_status *verdict, hc_detail *d)
{
	const char *cert = NULL, *xfcc = NULL;
	unsigned char *der;
	bool dup = false;
	size_t n;
	hc_status st;

	if (set->peer_cert_header != NULL &&
	    (cert = one_header(rq, set->peer_cert_header, &dup)) != NULL &&
	    *cert == '\0')
		cert = NULL;
	if (dup) {
		return hc_fail(d, HC_MALFORMED, "several %s headers",
		    set->peer_cert_header);
	}
	if (set->xfcc && (xfcc = one_header(rq, "x-forwarded-client-cert",
	    &dup)) != NULL && *xfcc == '\0')
		xfcc = NULL;
	if (dup) {
		return hc_fail(d, HC_MALFORMED, "several x-forwarded-client-cert "
		    "headers");
	}
	if (cert != NULL && xfcc != NULL) {
		return hc_fail(d, HC_MALFORMED, "both %s and "
		    "x-forwarded-client-cert are present; the proxy must send one",
		    set->peer_cert_header);
	}
	if (xfcc != NULL) {
		st = hc_request_set_xfcc(req, xfcc, strlen(xfcc));
		if (st == HC_BINDING || st == HC_PEER) {
			/* A verdict on the client's certificate, not a fault. */
			*verdict = st;
			hc_fail(d, st, "x-forwarded-client-cert names no usable "
			    "workload identity (%s)", hc_status_name(st));
			return HC_OK;
		}
		if (st != HC_OK) {
			return hc_fail(d, st, "x-forwarded-client-cert is not a "
			    "valid Envoy XFCC value");
		}
	}
	if (cert == NULL)
		return HC_OK;
	if ((der = malloc(HC_MAX_CERT_BYTES)) == NULL)
		return hc_fail(d, HC_INTERNAL, "out of memory");
	n = url_decode(cert, der, HC_MAX_CERT_BYTES);
	st = n == 0 ? HC_MALFORMED : hc_request_set_peer_cert(req, der, n);
	free(der);
	if (st != HC_OK)
		return hc_fail(d, st == HC_INTERNAL ? st : HC_MALFORMED, "%s is "
		    "not one URL-encoded PEM certificate of at most %d bytes",
		    set->peer_cert_header, HC_MAX_CERT_BYTES);
	return HC_OK;
}

/* The identity headers of an accepted request. */
static void
identity_headers(hcd_response *rs, const hc_result *res)
{
	size_t n = hc_result_actor_count(res);

	hcd_pop_headers(rs, res);
	if (hc_result_issuer(res) != NULL)
		add_header_owned(rs, "X-Hopcheck-Issuer",
		    header_value(hc_result_issuer(res)));
	if (hc_result_subject(res) != NULL)
		add_header_owned(rs, "X-Hopcheck-Subject",
		    header_value(hc_result_subject(res)));
	if (hc_result_client(res) != NULL)
		add_header_owned(rs, "X-Hopcheck-Client",
		    header_value(hc_result_client(res)));
	if (hc_result_scope(res) != NULL)
		add_header_owned(rs, "X-Hopcheck-Scope",
		    header_value(hc_result_scope(res)));
	if (n > 0) {
		hcd_buf b = { 0 };
		add_header_owned(rs, "X-Hopcheck-Actor",
		    header_value(hc_result_actor(res, 0)));
		for (size_t i = 0; i < n; i++) {
			char *e = header_value(hc_result_actor(res, i));
			if (e == NULL) {
				b.failed = true;
				break;
			}
			if (i > 0)
				hcd_buf_add(&b, ",", 1);
			hcd_buf_puts(&b, e);
			free(e);
		}
		add_header_owned(rs, "X-Hopcheck-Chain", hcd_buf_take(&b, NULL));
	}
	if (hc_result_txn(res) == NULL)
		return;
	add_header_owned(rs, "X-Hopcheck-Txn", header_value(hc_result_txn(res)));
	add_header_owned(rs, "X-Hopcheck-Txn-Subject",
	    header_value(hc_result_txn_subject(res)));
	add_header_owned(rs, "X-Hopcheck-Txn-Scope",
	    header_value(hc_result_txn_scope(res)));
	add_header_owned(rs, "X-Hopcheck-Requesting-Workload",
	    header_value(hc_result_txn_requesting_workload(res)));
}

/*
 * Answers a request fault: 401 or 400 with error="invalid_request".  The
 * detail describes the request itself (a missing header, a path not in
 * normal form), nothing of the configuration, so the client may see it;
 * it keeps only the characters RFC 6750 section 3 allows in the
 * description (printable ASCII without '"' and '\\'), cut to a bound.
 */
static void
invalid_request(hcd_response *rs, unsigned code, const char *detail)
{
	char desc[HCD_ERROR_DESCRIPTION_MAX];
	size_t o = 0;
	hcd_buf b = { 0 };

	for (const char *s = detail; s != NULL && *s != '\0' &&
	    o + 1 < sizeof(desc); s++) {
		unsigned char c = (unsigned char)*s;
		if (c >= 0x20 && c <= 0x7e && c != '"' && c != '\\')
			desc[o++] = (char)c;
	}
	desc[o] = '\0';
	rs->code = code;
	hcd_buf_printf(&b, "Bearer error=\"invalid_request\", "
	    "error_description=\"malformed: %s\"", desc);
	add_header_owned(rs, "WWW-Authenticate", hcd_buf_take(&b, NULL));
}

/*
 * GET /v1/authz and /v1/authz/PATH for a front proxy: the bearer token, the
 * original route, the tenant and the peer come from headers only, and the
 * verdict goes back as an RFC 6750 status and challenge (see the file header).
 * Every answer, refusals of the request included, is recorded once, so that
 * the proxy's denials all show in logs and metrics.
 */
static void
ep_authz(const hcd_request *rq, hcd_response *rs)
{
	struct decided dec = { "/v1/authz", HC_MALFORMED, NULL, NULL, NULL,
	    NULL };
	hcd_settings set;
	hc_detail d = { "" };
	hc_request *req = NULL;
	hc_result *res = NULL;
	hc_status verdict = HC_OK;
	const char *auth, *tok = NULL, *tenant, *cred;
	size_t n = 0, toklen = 0;
	bool dup, dup2, has_txn = false;
	hc_auth_scheme scheme = HC_SCHEME_BEARER;
	int rc;

	hcd_settings_of(rq->v, &set);
	dec.method = one_header(rq, "x-original-method", &dup);
	dec.path = one_header(rq, "x-original-uri", &dup2);
	if (dec.method == NULL && dec.path == NULL && !dup && !dup2 &&
	    strncmp(rq->path, HCD_AUTHZ_PREFIX "/", HCD_AUTHZ_PREFIX_LEN + 1) ==
	    0) {
		/* Envoy: path_prefix + the original path, the original method. */
		dec.method = rq->method;
		dec.path = rq->path + HCD_AUTHZ_PREFIX_LEN;
	}
	if (rq->body_too_large) {
		hc_fail(&d, HC_MALFORMED, "request body over %d bytes",
		    HCD_OTHER_BODY_MAX);
		invalid_request(rs, 400, d.text);
		goto done;
	}
	auth = rq->header(rq->ctx, "authorization", &n);
	rc = n == 1 ? hcd_auth_token(auth, &tok, &toklen, &scheme) : 0;
	if (n > 1 || rc < 0) {
		/* Two fields may be Bearer and DPoP: ambiguous (RFC 9449 7.2). */
		hc_fail(&d, HC_MALFORMED, n > 1 ? "several Authorization headers" :
		    "Authorization is not \"Bearer\" or \"DPoP\", a space "
		    "and a token");
		invalid_request(rs, n > 1 ? 400 : 401, d.text);
		goto done;
	}
	/* No bearer token: the route says whether it needs one (below). */
	if ((req = hc_request_new()) == NULL) {
		dec.status = hc_fail(&d, HC_INTERNAL, "out of memory");
		rs->code = 500;
		goto done;
	}
	if (dec.method == NULL || dec.path == NULL) {
		hc_fail(&d, HC_MALFORMED, "the proxy must send one "
		    "X-Original-Method and one X-Original-URI, or ask for "
		    HCD_AUTHZ_PREFIX "/PATH with the original method");
		invalid_request(rs, 400, d.text);
		goto done;
	}
	if (hc_request_set_route(req, dec.method, dec.path) != HC_OK) {
		hc_fail(&d, HC_MALFORMED, "X-Original-Method must be letters and "
		    "X-Original-URI an absolute path in normal form (no empty, "
		    "\".\" or \"..\" segment), each at most %d bytes",
		    HC_MAX_REQUEST_STRING);
		invalid_request(rs, 400, d.text);
		goto done;
	}
	if (set.tenant_header != NULL) {
		tenant = one_header(rq, set.tenant_header, &dup);
		if (dup || (tenant != NULL && *tenant != '\0' &&
		    hc_request_set_tenant(req, tenant) != HC_OK)) {
			hc_fail(&d, HC_MALFORMED, "%s must be one header of at most "
			    "%d bytes", set.tenant_header, HC_MAX_REQUEST_STRING);
			invalid_request(rs, 400, d.text);
			goto done;
		}
	}
	if ((dec.status = authz_peer(rq, &set, req, &verdict, &d)) != HC_OK) {
		invalid_request(rs, dec.status == HC_INTERNAL ? 500 : 400, d.text);
		goto done;
	}
	if (verdict != HC_OK) {
		dec.status = verdict;
		rs->code = 401;
		challenge(rs, "invalid_token", hc_status_name(verdict));
		goto done;
	}
	if ((dec.status = hcd_txn_read(rq, req, &has_txn, &d)) != HC_OK) {
		hcd_metrics_credential("txn_token", dec.status);
		hcd_txn_refuse(rs, dec.status);
		goto done;
	}
	if ((rc == 1 && scheme == HC_SCHEME_DPOP && hc_request_set_auth_scheme(
	    req, HC_SCHEME_DPOP) != HC_OK) || hcd_pop_read(rq, req, rc == 1 &&
	    scheme == HC_SCHEME_BEARER, rs, &dec.status, &d))
		goto done;

	dec.status = timed_validate(rq->v, rc == 1 ? tok : NULL, toklen, req,
	    &res);
	if (res == NULL) {
		hc_fail(&d, HC_INTERNAL, "out of memory");
		rs->code = 500;
		goto done;
	}
	dec.res = res;
	(void)snprintf(d.text, sizeof(d.text), "%s", hc_result_detail(res));
	cred = hc_result_credential(res);
	hcd_metrics_credentials(res, rc == 1, has_txn);
	if (rc == 0 && dec.status == HC_MALFORMED && cred != NULL &&
	    strcmp(cred, "access_token") == 0) {
		/* RFC 6750 section 3.1: no credentials, no error code. */
		hcd_metrics_missing_credential("access_token");
		rs->code = 401;
		hcd_pop_no_credentials(rq->v, rs);
		goto done;
	}
	if (hcd_pop_answer(rq->v, rs, res, rc == 1 &&
	    scheme == HC_SCHEME_DPOP))
		goto done;
	/* No challenge exists for a Txn-Token: 403, a problem body. */
	if (cred != NULL && strcmp(cred, "txn_token") == 0 &&
	    dec.status != HC_UNAVAILABLE && dec.status != HC_INTERNAL) {
		hcd_txn_refuse(rs, dec.status);
		goto done;
	}
	switch (dec.status) {
	case HC_OK:
		rs->code = 200;
		identity_headers(rs, res);
		break;
	case HC_SCOPE:
	case HC_TENANT:
	case HC_POLICY:
		rs->code = 403;
		challenge(rs, "insufficient_scope", hc_status_name(dec.status));
		break;
	case HC_UNAVAILABLE:
		rs->code = 503;
		break;
	case HC_INTERNAL:
	case HC_CONFIG:
		rs->code = 500;
		break;
	default:
		rs->code = 401;
		challenge(rs, "invalid_token", hc_status_name(dec.status));
		break;
	}
done:
	dec.detail = d.text;
	hcd_add_header(rs, "X-Hopcheck-Status", hc_status_name(dec.status));
	hcd_add_header(rs, "Cache-Control", "no-store");
	record(rq, rs, &dec);
	hc_result_free(res);
	hc_request_free(req);
}

/* ------------------------------------------------------------ dispatch */

/* `probe`: also served by the metrics listener (daemon.metrics_listen). */
static const struct endpoint {
	const char *path;
	void (*fn)(const hcd_request *, hcd_response *);
	bool probe;
} endpoints[] = {
	{ "/v1/validate", ep_validate, false },
	{ HCD_AUTHZ_PREFIX, ep_authz, false },
	{ "/metrics", hcd_ep_metrics, true },
	{ "/healthz", hcd_ep_healthz, true },
	{ "/readyz", hcd_ep_readyz, true },
	{ "/v1/keys", hcd_ep_keys, false },
	{ NULL, NULL, false }
};

/*
 * Only /v1/validate carries a token in its body, so only it gets room for
 * max_token_bytes plus the JSON around it (HCD_BODY_SLACK); every other path
 * gets HCD_OTHER_BODY_MAX.
 */
size_t
hcd_body_limit(const hc_validator *v, const char *path)
{
	hcd_settings set;

	if (strcmp(path, "/v1/validate") != 0)
		return HCD_OTHER_BODY_MAX;
	hcd_settings_of(v, &set);
	return set.max_token_bytes + HCD_BODY_SLACK;
}

/*
 * Dispatches by exact path, then /v1/authz/PATH (Envoy) to ep_authz();
 * anything else is 404, and so is every path but the probes and /metrics
 * on the metrics listener.  Every endpoint fills *rs completely; the caller sends
 * and then clears it.
 */
void
hcd_handle(const hcd_request *rq, hcd_response *rs)
{
	memset(rs, 0, sizeof(*rs));
	for (const struct endpoint *e = endpoints; e->path != NULL; e++) {
		if (rq->metrics_only && !e->probe)
			continue;
		if (strcmp(e->path, rq->path) == 0) {
			e->fn(rq, rs);
			return;
		}
	}
	if (!rq->metrics_only && strncmp(rq->path, HCD_AUTHZ_PREFIX "/",
	    HCD_AUTHZ_PREFIX_LEN + 1) == 0) {
		ep_authz(rq, rs);
		return;
	}
	rs->code = 404;
	hcd_text_body(rs, "not found\n");
}
