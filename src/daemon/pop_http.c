/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pop_http.c - DPoP and WIMSE in hopcheckd's /v1/authz.
 *
 * DPoP (RFC 9449): `Authorization: DPoP <token68>` (section 7.1) and one
 * `DPoP` header (section 4.3 item 1).  A request with credentials of both
 * schemes (a Bearer token with a DPoP header) is ambiguous and answered
 * 400 invalid_request (section 7.2); two Authorization fields are
 * refused by the endpoint before.  A refusal of a DPoP request carries
 * `WWW-Authenticate: DPoP` with the error code of section 7.1 and the
 * `algs` this service accepts: invalid_dpop_proof when the proof fails,
 * invalid_token when the access token or its binding does,
 * use_dpop_nonce with a fresh `DPoP-Nonce` (section 8), and
 * insufficient_scope for scope, tenant and policy (403).
 *
 * WIMSE: one `Workload-Identity-Token` and one `Workload-Proof-Token`
 * (workload-creds-03 section 5.1.1, wpt-02 section 2).  A refusal of
 * either is 403 with an RFC 9457 problem body and no challenge (an HTTP
 * challenge implies Authorization, which a WIT is not; nginx
 * auth_request passes only 401 and 403).  A refusal of the caller
 * (`peer`) stays 401, as for a certificate.
 *
 * Only the status name reaches the client; the detail goes to the log,
 * which never holds a token or a proof.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "pop_http.h"
#include "settings.h"
#include "txn_http.h"

/* Room for every algorithm name of a challenge's `algs`. */
#define HCD_ALGS_MAX 160

/* The token68 alphabet (RFC 9110 section 11.2), without the '='. */
#define TOKEN68_CHARS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" \
	"0123456789-._~+/"

int
hcd_auth_token(const char *h, const char **tok, size_t *len,
    hc_auth_scheme *scheme)
{
	const char *t;
	size_t n, eq;

	if (strncasecmp(h, "bearer", 6) == 0 && (h[6] == ' ' || h[6] == '\0')) {
		*scheme = HC_SCHEME_BEARER;
		t = h + 6;
		if (*t++ != ' ')
			return -1;
	} else if (strncasecmp(h, "dpop", 4) == 0 &&
	    (h[4] == ' ' || h[4] == '\0')) {
		/* Section 7.1: "DPoP" 1*SP token68. */
		*scheme = HC_SCHEME_DPOP;
		t = h + 4;
		if (*t != ' ')
			return -1;
		t += strspn(t, " ");
	} else {
		return 0;
	}
	n = strspn(t, TOKEN68_CHARS);
	eq = strspn(t + n, "=");
	if (n == 0 || t[n + eq] != '\0')
		return -1;
	*tok = t;
	*len = n + eq;
	return 1;
}

/*
 * The one field of header `name` into the request with `set`, OWS
 * removed; nothing when absent.  HC_MALFORMED for two fields or a value
 * the setter refuses.
 */
static hc_status
read_one(const hcd_request *rq, const char *name, const char *what,
    hc_request *req, hc_status (*set)(hc_request *, const char *, size_t),
    hc_detail *d)
{
	size_t n = 0, len;
	const char *v = rq->header(rq->ctx, name, &n);

	if (n == 0 || v == NULL)
		return HC_OK;
	if (n > 1)
		return hc_fail(d, HC_MALFORMED, "%zu %s header fields; exactly "
		    "one is allowed", n, what);
	while (*v == ' ' || *v == '\t')
		v++;
	len = strlen(v);
	while (len > 0 && (v[len - 1] == ' ' || v[len - 1] == '\t'))
		len--;
	if (set(req, v, len) != HC_OK)
		return hc_fail(d, HC_MALFORMED, "the %s header is empty or over "
		    "its size limit", what);
	return HC_OK;
}

/* A DPoP challenge: error (or NULL), the accepted algorithms. */
static void
dpop_challenge(const hc_validator *v, hcd_response *rs, const char *error,
    const char *status)
{
	char algs[HCD_ALGS_MAX];
	hcd_buf b = { 0 };

	hcd_settings_dpop_algs(v, algs, sizeof(algs));
	if (error != NULL)
		hcd_buf_printf(&b, "DPoP error=\"%s\", error_description=\"%s\", "
		    "algs=\"%s\"", error, status, algs);
	else
		hcd_buf_printf(&b, "DPoP algs=\"%s\"", algs);
	if (!b.failed && b.p != NULL)
		hcd_add_header(rs, "WWW-Authenticate", b.p);
	free(hcd_buf_take(&b, NULL));
}

bool
hcd_pop_read(const hcd_request *rq, hc_request *req, bool bearer,
    hcd_response *rs, hc_status *st, hc_detail *d)
{
	size_t n = 0;

	(void)rq->header(rq->ctx, "dpop", &n);
	if (bearer && n > 0) {
		*st = hc_fail(d, HC_MALFORMED, "a Bearer token with a DPoP "
		    "header: credentials of two schemes (RFC 9449 section 7.2)");
		rs->code = 400;
		hcd_add_header(rs, "WWW-Authenticate", "Bearer "
		    "error=\"invalid_request\"");
		hcd_add_header(rs, "WWW-Authenticate", "DPoP "
		    "error=\"invalid_request\"");
		return true;
	}
	if ((*st = read_one(rq, "dpop", "DPoP", req, hc_request_set_dpop,
	    d)) != HC_OK) {
		rs->code = 401;
		dpop_challenge(rq->v, rs, "invalid_dpop_proof",
		    hc_status_name(*st));
		return true;
	}
	if ((*st = read_one(rq, "workload-identity-token",
	    "Workload-Identity-Token", req, hc_request_set_wit, d)) != HC_OK ||
	    (*st = read_one(rq, "workload-proof-token", "Workload-Proof-Token",
	    req, hc_request_set_wpt, d)) != HC_OK) {
		hcd_txn_refuse(rs, *st);
		return true;
	}
	return false;
}

bool
hcd_pop_answer(const hc_validator *v, hcd_response *rs, const hc_result *res,
    bool dpop_scheme)
{
	hc_status st = hc_result_status(res);
	const char *cred = hc_result_credential(res), *name;
	bool wimse;

	if (st == HC_OK || st == HC_UNAVAILABLE || st == HC_INTERNAL ||
	    st == HC_CONFIG)
		return false;
	wimse = cred != NULL && (strcmp(cred, "wit") == 0 ||
	    strcmp(cred, "wpt") == 0);
	if (wimse) {
		hcd_txn_refuse(rs, st);
		return true;
	}
	if (!dpop_scheme && (cred == NULL || strcmp(cred, "dpop") != 0))
		return false;
	name = hc_status_name(st);
	if (st == HC_SCOPE || st == HC_TENANT || st == HC_POLICY) {
		rs->code = 403;
		dpop_challenge(v, rs, "insufficient_scope", name);
	} else if (st == HC_NONCE) {
		rs->code = 401;
		dpop_challenge(v, rs, "use_dpop_nonce", name);
		if (hc_result_dpop_nonce(res) != NULL)
			hcd_add_header(rs, "DPoP-Nonce",
			    hc_result_dpop_nonce(res));
	} else {
		rs->code = 401;
		dpop_challenge(v, rs, cred != NULL && strcmp(cred, "dpop") == 0 ?
		    "invalid_dpop_proof" : "invalid_token", name);
	}
	return true;
}

void
hcd_pop_headers(hcd_response *rs, const hc_result *res)
{
	/* A jkt is base64url, a workload a validated URI: both header-safe. */
	if (hc_result_workload(res) != NULL)
		hcd_add_header(rs, "X-Hopcheck-Workload",
		    hc_result_workload(res));
	if (hc_result_dpop_jkt(res) != NULL)
		hcd_add_header(rs, "X-Hopcheck-Dpop-Jkt",
		    hc_result_dpop_jkt(res));
}

void
hcd_pop_no_credentials(const hc_validator *v, hcd_response *rs)
{
	char algs[HCD_ALGS_MAX];

	hcd_settings_dpop_algs(v, algs, sizeof(algs));
	/* dpop.mode required: a bearer token would be refused anyway. */
	if (!hcd_settings_dpop_required(v))
		hcd_add_header(rs, "WWW-Authenticate", "Bearer");
	if (algs[0] != '\0')
		dpop_challenge(v, rs, NULL, NULL);
}
