/* SPDX-License-Identifier: Apache-2.0 */
/*
 * credentials.c - the credentials of one request, and the order in which
 * the pipeline judges them.
 *
 * A request may carry an access token (RFC 9068), with a DPoP proof (RFC
 * 9449), a Txn-Token (draft-ietf-oauth-transaction-tokens-10) and an
 * authenticated caller (its X.509 certificate, or a WIMSE WIT and WPT).  A route names the credentials it requires
 * (`credentials`: access_token by default, txn_token, workload); a
 * required one that is missing is refused, and one that is present but
 * not required is still judged, never ignored, so that enabling
 * txn_tokens never lets a Txn-Token alone into a route that requires an
 * access token.  The order, for every request:
 *
 *   1. each credential's own checks: the access token's layers 1 and 2
 *      (validator.c, claims.c), its DPoP proof, the WIT then the WPT
 *      (pop_creds.c), the Txn-Token (txn.c), the workload;
 *   2. the layer-3 policy: the access token's act chain, binding and
 *      delegation (claims.c), the caller a Txn-Token needs, the route
 *      (default_route deny, scopes, tenant), the route's callers;
 *   3. every replay spend, last, in a fixed order: the access token's
 *      jti, the Txn-Token's txn, the DPoP proof's jti, the WPT's jti, so
 *      that a refused request never spends a one-time id.
 *
 * The result names the credential that failed (hc_result_credential()).
 */
#include <stdio.h>
#include <string.h>

#include "credentials.h"
#include "peer.h"
#include "replay.h"
#include "txn.h"

#define CRED_ACCESS "access_token"
#define CRED_TXN    "txn_token"
#define CRED_PEER   "peer"

hc_status
hc_creds_begin(hc_ctx *c)
{
	const hc_request *req = c->req;

	if (req != NULL && req->method != NULL)
		c->route = hc_policy_route(c->pol, req->method, req->path);
	else
		c->route = c->pol->default_route;
	/* Never ignored: a Txn-Token nobody here can judge is refused. */
	if (req != NULL && req->txn_token != NULL && c->v->txn == NULL) {
		c->res->credential = CRED_TXN;
		return hc_fail(&c->res->detail, HC_MALFORMED, "the request "
		    "carries a Txn-Token and this service configures no "
		    "txn_tokens");
	}
	return HC_OK;
}

/*
 * The caller's workload identity (a verified WIT's sub, else the peer's
 * SPIFFE ID, read once into c->peer_id), or NULL when it has none.
 * HC_PEER when the peer claims an identity that is not valid.
 */
static hc_status
caller(hc_ctx *c, const char **id)
{
	hc_status st;

	*id = c->peer_id;
	if (*id != NULL || c->req == NULL || !c->req->has_peer)
		return HC_OK;
	if (c->peer_id == NULL && (st = hc_peer_spiffe_id(c->req, &c->peer_id,
	    &c->res->detail)) != HC_OK)
		return st;
	*id = c->peer_id;
	return HC_OK;
}

/* A name for the route in details. */
static const char *
route_name(const hc_ctx *c, char *buf, size_t n)
{
	char q[HC_QBUF];

	if (c->route == NULL || c->route == c->pol->default_route)
		return "the default route";
	(void)snprintf(buf, n, "route %s %s", c->route->method,
	    hc_quote(q, sizeof(q), c->route->path));
	return buf;
}

/* Step 1 for the credentials other than the access token. */
static hc_status
own_checks(hc_ctx *c)
{
	unsigned need = c->route != NULL ? c->route->credentials :
	    HC_CRED_ACCESS_TOKEN;
	char name[HC_QBUF + 32];
	const char *id;
	hc_status st;

	if (!c->has_access_token && (need & HC_CRED_ACCESS_TOKEN)) {
		c->res->credential = CRED_ACCESS;
		return hc_fail(&c->res->detail, HC_MALFORMED, "no access token: "
		    "%s requires one", route_name(c, name, sizeof(name)));
	}
	if ((st = hc_pop_dpop(c)) != HC_OK || (st = hc_pop_wimse(c)) != HC_OK)
		return st;
	if (c->req != NULL && c->req->txn_token != NULL) {
		c->res->credential = CRED_TXN;
		if ((st = hc_txn_check(c)) != HC_OK)
			return st;
	} else if (need & HC_CRED_TXN_TOKEN) {
		c->res->credential = CRED_TXN;
		return hc_fail(&c->res->detail, HC_MALFORMED, "no Txn-Token: %s "
		    "requires one", route_name(c, name, sizeof(name)));
	}
	if (need & HC_CRED_WORKLOAD) {
		c->res->credential = CRED_PEER;
		if ((st = caller(c, &id)) != HC_OK)
			return st;
		if (id == NULL)
			return hc_fail(&c->res->detail, HC_PEER, "%s requires an "
			    "authenticated workload and the request has none (no "
			    "peer with an identity, no WIT and WPT)",
			    route_name(c, name, sizeof(name)));
	}
	return HC_OK;
}

/* Step 2: the route's scopes, tenant and callers. */
static hc_status
route_policy(hc_ctx *c)
{
	const hc_route_policy *rt = c->route;
	const hc_result *r = c->res;
	char q[HC_QBUF], name[HC_QBUF + 32];
	const char *id;
	hc_status st;

	if (rt == NULL)
		return HC_OK;
	/* A service that lists every route may refuse the rest. */
	if (rt->deny) {
		if (c->req == NULL || c->req->method == NULL)
			return hc_fail(&c->res->detail, HC_POLICY, "the request "
			    "names no route and default_route denies it");
		return hc_fail(&c->res->detail, HC_POLICY, "%s %s matches no "
		    "configured route and default_route denies it",
		    c->req->method, hc_quote(q, sizeof(q), c->req->path));
	}
	/*
	 * Scopes: the Txn-Token's when there is one (txn-tokens-10 section
	 * 9.2.1: the TTS decides them), else the access token's.  Tenant:
	 * the access token's claim, else the Txn-Token's.
	 */
	st = hc_claims_route(c, rt, r->txn_verified ? r->txn_scope : r->scope,
	    c->has_access_token ? c->payload : r->txn_claims,
	    r->txn_verified ? "the Txn-Token" : "the token");
	if (st == HC_SCOPE)
		c->res->credential = r->txn_verified ? CRED_TXN :
		    c->has_access_token ? CRED_ACCESS : NULL;
	else if (st == HC_TENANT)
		c->res->credential = c->has_access_token ? CRED_ACCESS : CRED_TXN;
	if (st != HC_OK || !rt->has_callers)
		return st;
	/* Callers: the authenticated workload, whatever the tokens say. */
	c->res->credential = CRED_PEER;
	if ((st = caller(c, &id)) != HC_OK)
		return st;
	if (id == NULL)
		return hc_fail(&c->res->detail, HC_POLICY, "%s allows only the "
		    "callers it lists and the request has no authenticated "
		    "workload", route_name(c, name, sizeof(name)));
	for (size_t i = 0; i < rt->callers.n; i++)
		if (hc_pattern_match(rt->callers.v[i], id))
			return HC_OK;
	return hc_fail(&c->res->detail, HC_POLICY, "caller %s is not in the "
	    "callers of %s", hc_quote(q, sizeof(q), id),
	    route_name(c, name, sizeof(name)));
}

hc_status
hc_creds_finish(hc_ctx *c)
{
	const hc_route_policy *rt = c->route;
	const char *id;
	hc_status st;

	if ((st = own_checks(c)) != HC_OK)
		return st;
	if (c->has_access_token) {
		c->res->credential = CRED_ACCESS;
		if ((st = hc_claims_layer3(c)) != HC_OK)
			return st;
	}
	/* Section 13.12: a Txn-Token is not an authentication credential. */
	if (c->res->txn_verified && c->pol->txn->require_peer) {
		c->res->credential = CRED_PEER;
		if ((st = caller(c, &id)) != HC_OK)
			return st;
		if (id == NULL)
			return hc_fail(&c->res->detail, HC_PEER, "a Txn-Token "
			    "authenticates no one and txn_tokens.require_peer "
			    "needs an authenticated caller (a peer certificate "
			    "with a workload identity)");
	}
	c->res->credential = NULL;
	if ((st = route_policy(c)) != HC_OK)
		return st;
	/* Step 3: the spends, last, in a fixed order. */
	if (rt != NULL && rt->one_time_use && c->has_access_token) {
		c->res->credential = CRED_ACCESS;
		if ((st = hc_replay_check(c, rt)) != HC_OK)
			return st;
	}
	if (rt != NULL && rt->txn_single_use && c->res->txn_verified) {
		c->res->credential = CRED_TXN;
		if ((st = hc_txn_spend(c, rt)) != HC_OK)
			return st;
	}
	if ((st = hc_pop_spend(c)) != HC_OK)
		return st;
	c->res->credential = NULL;
	return HC_OK;
}
