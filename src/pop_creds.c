/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pop_creds.c - the proof-of-possession credentials of one request in the
 * pipeline: a DPoP proof with its access token (RFC 9449), and a WIMSE
 * Workload Identity Token with its Workload Proof Token
 * (draft-ietf-wimse-workload-creds-03, draft-ietf-wimse-wpt-02).
 *
 * dpop.c and wimse.c verify one proof against one request; here the
 * request's headers meet the configuration:
 *
 *  - DPoP (dpop.mode): the access token's layers 1 and 2 have passed;
 *    then the scheme rules of RFC 9449 sections 7.1 and 7.2 (a token
 *    with cnf.jkt sent as Bearer, or one without it sent as DPoP, is
 *    refused as `binding`), then the proof (hc_dpop_verify(): htm and
 *    htu against the method and target as sent, ath, cnf.jkt, nonce,
 *    iat).  With dpop.mode "off" every DPoP request is refused: nothing
 *    here could verify its binding.
 *  - WIMSE (wimse.mode): the WIT, then the WPT (hc_wimse_verify()), with
 *    `ath` over the access token and `tth` over the Txn-Token when the
 *    request carries them.  A verified WIT's `sub` becomes the
 *    authenticated caller (c->peer_id), exactly as an X.509-SVID's URI
 *    SAN would; a request that has both must name one identity.
 *
 * Neither one-time id is spent here: hc_pop_spend() spends the proof's,
 * then the WPT's, after every other check of the request passed.
 */
#include <stdlib.h>
#include <string.h>

#include "credentials.h"
#include "peer.h"
#include "replay.h"

#define CRED_ACCESS "access_token"
#define CRED_DPOP   "dpop"
#define CRED_WIT    "wit"
#define CRED_WPT    "wpt"
#define CRED_PEER   "peer"

/* ------------------------------------------------------------- DPoP */

/*
 * The access token's cnf.jkt into *jkt (borrowed), NULL when it has none.
 * HC_BINDING when cnf.jkt is there and not a string.
 */
static hc_status
token_jkt(hc_ctx *c, const char **jkt)
{
	const hc_json *j = hc_json_get(hc_json_get(c->payload, "cnf"), "jkt");

	*jkt = NULL;
	if (j == NULL)
		return HC_OK;
	if ((*jkt = hc_json_string(j)) == NULL)
		return hc_fail(&c->res->detail, HC_BINDING, "cnf.jkt is a %s, "
		    "not a string (RFC 9449 section 6.1)",
		    hc_json_type_name(hc_json_type_of(j)));
	return HC_OK;
}

/* A Bearer request under dpop.mode: no downgrade of a bound token. */
static hc_status
dpop_bearer(hc_ctx *c)
{
	const char *jkt;
	hc_status st;

	if (!c->has_access_token || c->pol->dpop.mode == HC_MODE_OFF)
		return HC_OK;
	c->res->credential = CRED_ACCESS;
	if ((st = token_jkt(c, &jkt)) != HC_OK ||
	    (st = hc_dpop_scheme_check(false, false, jkt,
	    &c->res->detail)) != HC_OK)
		return st;
	if (c->pol->dpop.mode == HC_MODE_REQUIRED)
		return hc_fail(&c->res->detail, HC_BINDING, "dpop.mode is "
		    "required and the access token was sent as a bearer token, "
		    "without a DPoP proof (RFC 9449 section 7.1)");
	return HC_OK;
}

hc_status
hc_pop_dpop(hc_ctx *c)
{
	const hc_request *req = c->req;
	hc_detail *d = &c->res->detail;
	bool scheme = req != NULL && req->scheme == HC_SCHEME_DPOP;
	bool proof = req != NULL && req->dpop != NULL;
	hc_dpop_request rq;
	const char *jkt;
	hc_status st;

	if (!scheme && !proof)
		return dpop_bearer(c);
	c->res->credential = CRED_DPOP;
	if (c->pol->dpop.mode == HC_MODE_OFF)
		return hc_fail(d, HC_BINDING, "the request uses DPoP (RFC 9449) "
		    "and dpop.mode is off: the binding cannot be verified here");
	if (!c->has_access_token)
		return hc_fail(d, HC_MALFORMED, "a DPoP proof or scheme without "
		    "an access token (RFC 9449 section 7.1)");
	if (!scheme)
		return hc_fail(d, HC_MALFORMED, "a DPoP proof with a Bearer "
		    "token: the request carries credentials of both schemes "
		    "(RFC 9449 section 7.2)");
	c->res->credential = CRED_ACCESS;
	if ((st = token_jkt(c, &jkt)) != HC_OK ||
	    (st = hc_dpop_scheme_check(scheme, proof, jkt, d)) != HC_OK)
		return st;
	c->res->credential = CRED_DPOP;
	if (req->raw_method == NULL || req->raw_path == NULL)
		return hc_fail(d, HC_MALFORMED, "a DPoP proof is checked against "
		    "the request's method and target (htm, htu) and the request "
		    "names none");
	memset(&rq, 0, sizeof(rq));
	rq.proof = req->dpop;
	rq.proof_len = req->dpop_len;
	rq.method = req->raw_method;
	rq.path = req->raw_path;
	rq.access_token = c->token;
	rq.access_token_len = c->token_len;
	rq.cnf_jkt = jkt;
	rq.now = c->now;
	st = hc_dpop_verify(c->pol, &rq, &c->dpop, d);
	if (st == HC_NONCE)
		memcpy(c->res->dpop_nonce, c->dpop.nonce,
		    sizeof(c->res->dpop_nonce));
	if (st == HC_BINDING && c->dpop.key_binding)
		c->res->credential = CRED_ACCESS;
	if (st != HC_OK)
		return st;
	c->dpop_ok = true;
	memcpy(c->res->dpop_jkt, c->dpop.jkt, sizeof(c->res->dpop_jkt));
	return HC_OK;
}

/* ------------------------------------------------------------ WIMSE */

/*
 * The verified WIT's sub becomes the caller.  A peer certificate with an
 * identity must name the same workload: one request, one caller.
 */
static hc_status
wimse_caller(hc_ctx *c)
{
	const char *sub = c->wimse.sub;
	char q[HC_QBUF], q2[HC_QBUF];
	char *pid = NULL;
	hc_status st;

	c->res->credential = CRED_PEER;
	if (c->req->has_peer) {
		if ((st = hc_peer_spiffe_id(c->req, &pid, &c->res->detail)) !=
		    HC_OK)
			return st;
		if (pid != NULL && strcmp(pid, sub) != 0) {
			st = hc_fail(&c->res->detail, HC_PEER, "the peer "
			    "certificate names workload %s and the WIT names %s: "
			    "a request has one caller", hc_quote(q, sizeof(q),
			    pid), hc_quote(q2, sizeof(q2), sub));
			free(pid);
			return st;
		}
		free(pid);
	}
	free(c->peer_id);
	if ((c->peer_id = strdup(sub)) == NULL ||
	    (c->res->workload = strdup(sub)) == NULL)
		return hc_fail(&c->res->detail, HC_INTERNAL, "out of memory");
	return HC_OK;
}

hc_status
hc_pop_wimse(hc_ctx *c)
{
	const hc_request *req = c->req;
	hc_detail *d = &c->res->detail;
	bool wit = req != NULL && req->wit != NULL;
	bool wpt = req != NULL && req->wpt != NULL;
	hc_wimse_request rq;
	hc_status st;

	if (!wit && !wpt) {
		if (c->pol->wimse.mode != HC_MODE_REQUIRED)
			return HC_OK;
		c->res->credential = CRED_WIT;
		return hc_fail(d, HC_MALFORMED, "wimse.mode is required and the "
		    "request carries no Workload-Identity-Token");
	}
	c->res->credential = wit ? CRED_WIT : CRED_WPT;
	if (c->pol->wimse.mode == HC_MODE_OFF || c->v->wimse == NULL)
		return hc_fail(d, HC_MALFORMED, "the request carries a %s and "
		    "this service configures no wimse", wit ?
		    "Workload-Identity-Token" : "Workload-Proof-Token");
	if (!wit)
		return hc_fail(d, HC_MALFORMED, "a Workload-Proof-Token without "
		    "a Workload-Identity-Token (draft-ietf-wimse-wpt-02 "
		    "section 2)");
	if (req->raw_path == NULL)
		return hc_fail(d, HC_MALFORMED, "a WPT is checked against the "
		    "request's target (aud) and the request names none");
	memset(&rq, 0, sizeof(rq));
	rq.wit = req->wit;
	rq.wit_len = req->wit_len;
	rq.wpt = req->wpt;
	rq.wpt_len = req->wpt_len;
	rq.path = req->raw_path;
	rq.access_token = c->token;
	rq.access_token_len = c->token_len;
	rq.txn_token = req->txn_token;
	rq.txn_token_len = req->txn_token_len;
	rq.now = c->now;
	if ((st = hc_wimse_verify(c->v->wimse, &rq, &c->wimse, d)) != HC_OK) {
		c->res->credential = c->wimse.credential != NULL ?
		    c->wimse.credential : CRED_WIT;
		return st;
	}
	c->wimse_ok = true;
	return wimse_caller(c);
}

/* ------------------------------------------------------------ spends */

hc_status
hc_pop_spend(hc_ctx *c)
{
	hc_status st;

	if (c->dpop_ok) {
		c->res->credential = CRED_DPOP;
		if ((st = hc_replay_spend_record(c->v->replay, &c->dpop.record,
		    c->now, &c->res->detail)) != HC_OK)
			return st;
	}
	if (c->wimse_ok) {
		c->res->credential = CRED_WPT;
		if ((st = hc_replay_spend_record(c->v->replay,
		    &c->wimse.record, c->now, &c->res->detail)) != HC_OK)
			return st;
	}
	return HC_OK;
}
