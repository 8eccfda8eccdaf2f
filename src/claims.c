/* SPDX-License-Identifier: Apache-2.0 */
/*
 * claims.c - the claims of a verified token: their types, layer 2
 * (applicability: typ, aud, times, lifetime, required claims) and the
 * request-side part of layer 3 (actor chain structure, routes, tenant).
 *
 * Everything here runs after the signature has verified.  The order of the
 * checks is part of the contract (test vectors pin it):
 * claim types, typ, aud, exp, nbf, iat/lifetime, required claims; then the
 * act chain, binding and peer, delegation policy; route scopes and tenant
 * when the pipeline (credentials.c) asks, with the scopes that apply.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "binding.h"
#include "chain.h"
#include "validator.h"

/* ----------------------------------------------------------- claim types */

/* RFC 6749 section 3.3: scope-token = 1*NQCHAR. */
static bool
nqchar(unsigned char c)
{
	return c == 0x21 || (c >= 0x23 && c <= 0x5b) || (c >= 0x5d && c <= 0x7e);
}

/*
 * Checks that `s` is a scope list of RFC 6749 section 3.3 form: tokens of
 * NQCHAR separated by single spaces.  The empty string is no scopes.
 */
bool
hc_scope_well_formed(const char *s, size_t *count)
{
	size_t n = 0;

	*count = 0;
	if (*s == '\0')
		return true;
	for (;;) {
		if (!nqchar((unsigned char)*s))
			return false;
		while (nqchar((unsigned char)*s))
			s++;
		if (++n > HC_MAX_SCOPES)
			return false;
		if (*s == '\0')
			break;
		if (*s != ' ')
			return false;
		s++;
	}
	*count = n;
	return true;
}

static hc_status
type_error(hc_ctx *c, const char *claim, const char *want, const hc_json *j)
{
	return hc_fail(&c->res->detail, HC_MALFORMED, "claim %s is a %s, not %s",
	    claim, hc_json_type_name(hc_json_type_of(j)), want);
}

/* A NumericDate (RFC 7519 section 2): a finite number in our range. */
static hc_status
check_date(hc_ctx *c, const char *claim)
{
	const hc_json *j = hc_json_get(c->payload, claim);
	double v;

	if (j == NULL)
		return HC_OK;
	if (!hc_json_number(j, &v))
		return type_error(c, claim, "a NumericDate number", j);
	if (!isfinite(v) || v < 0 || v > HC_MAX_NUMERIC_DATE)
		return hc_fail(&c->res->detail, HC_MALFORMED, "claim %s %.17g is "
		    "outside the NumericDate range 0..%.0f", claim, v,
		    HC_MAX_NUMERIC_DATE);
	return HC_OK;
}

hc_status
hc_claims_types(hc_ctx *c)
{
	static const char *const strings[] = { "sub", "jti", "client_id" };
	static const char *const objects[] = { "cnf", "may_act" };
	static const char *const dates[] = { "exp", "nbf", "iat" };
	const hc_json *j;
	size_t n;
	hc_status st;

	for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++)
		if ((j = hc_json_get(c->payload, strings[i])) != NULL &&
		    hc_json_type_of(j) != HC_JSON_STRING)
			return type_error(c, strings[i], "a string", j);
	for (size_t i = 0; i < sizeof(objects) / sizeof(objects[0]); i++)
		if ((j = hc_json_get(c->payload, objects[i])) != NULL &&
		    hc_json_type_of(j) != HC_JSON_OBJECT)
			return type_error(c, objects[i], "an object", j);
	for (size_t i = 0; i < sizeof(dates) / sizeof(dates[0]); i++)
		if ((st = check_date(c, dates[i])) != HC_OK)
			return st;

	/* RFC 7519 section 4.1.3: a string or an array of strings. */
	if ((j = hc_json_get(c->payload, "aud")) != NULL) {
		if (hc_json_type_of(j) == HC_JSON_ARRAY) {
			if (hc_json_count(j) > HC_MAX_AUDIENCES)
				return hc_fail(&c->res->detail, HC_MALFORMED, "claim "
				    "aud has %zu values, over the limit of %d",
				    hc_json_count(j), HC_MAX_AUDIENCES);
			for (const hc_json *e = hc_json_first(j); e; e = hc_json_next(e))
				if (hc_json_type_of(e) != HC_JSON_STRING)
					return type_error(c, "aud element", "a string", e);
		} else if (hc_json_type_of(j) != HC_JSON_STRING)
			return type_error(c, "aud", "a string or an array of strings",
			    j);
	}

	/* RFC 8693 section 4.2 (scope string); scp, an array of strings. */
	if ((j = hc_json_get(c->payload, "scope")) != NULL) {
		if (hc_json_type_of(j) != HC_JSON_STRING)
			return type_error(c, "scope", "a space-separated string", j);
		if (!hc_scope_well_formed(hc_json_string(j), &n))
			return hc_fail(&c->res->detail, HC_MALFORMED, "claim scope "
			    "is not a list of scope tokens separated by single "
			    "spaces (RFC 6749 section 3.3)");
	}
	if ((j = hc_json_get(c->payload, "scp")) != NULL) {
		if (hc_json_type_of(j) != HC_JSON_ARRAY)
			return type_error(c, "scp", "an array of strings", j);
		if (hc_json_count(j) > HC_MAX_SCOPES)
			return hc_fail(&c->res->detail, HC_MALFORMED, "claim scp has "
			    "%zu values, over the limit of %d", hc_json_count(j),
			    HC_MAX_SCOPES);
		for (const hc_json *e = hc_json_first(j); e; e = hc_json_next(e)) {
			const char *s = hc_json_string(e);
			if (s == NULL)
				return type_error(c, "scp element", "a string", e);
			if (!hc_scope_well_formed(s, &n) || n != 1)
				return hc_fail(&c->res->detail, HC_MALFORMED, "claim "
				    "scp has an element that is not one scope token");
		}
	}
	return HC_OK;
}

/* ------------------------------------------------------------ the result */

/* Joins scp elements with single spaces. */
static char *
join_scp(const hc_json *scp)
{
	size_t len = 0, o = 0;
	char *s;

	for (const hc_json *e = hc_json_first(scp); e; e = hc_json_next(e))
		len += strlen(hc_json_string(e)) + 1;
	if ((s = malloc(len + 1)) == NULL)
		return NULL;
	for (const hc_json *e = hc_json_first(scp); e; e = hc_json_next(e)) {
		size_t l = strlen(hc_json_string(e));
		if (o > 0)
			s[o++] = ' ';
		memcpy(s + o, hc_json_string(e), l);
		o += l;
	}
	s[o] = '\0';
	return s;
}

/*
 * Reads the `act` chain into the result, current actor first (RFC 8693
 * section 4.1), through the one parser of chain.c.  A structural fault is
 * recorded in the context and reported by layer 3, after the
 * applicability checks of layer 2; the result keeps the well-formed
 * levels read before it.
 */
static hc_status
read_chain(hc_ctx *c)
{
	const hc_json *a = hc_json_get(c->payload, "act");
	hc_result *r = c->res;
	hc_act_chain ch;

	if (a != NULL && hc_ctx_is_svid(c)) {
		hc_fail(&c->chain_detail, HC_CHAIN, "a JWT-SVID carries act; "
		    "delegation is granted by issuers, not by trust domains");
		c->chain_status = HC_CHAIN;
		return HC_OK;
	}
	if (hc_act_chain_read(a, &ch) != HC_OK) {
		c->chain_status = ch.status;
		c->chain_detail = ch.detail;
	}
	if (ch.n == 0)
		return HC_OK;
	if ((r->actors = calloc(ch.n, sizeof(*r->actors))) == NULL)
		return hc_fail(&r->detail, HC_INTERNAL, "out of memory");
	for (size_t i = 0; i < ch.n; i++)
		r->actors[i] = ch.level[i].sub;     /* borrowed from the claims */
	r->nactors = ch.n;
	return HC_OK;
}

hc_status
hc_claims_fill_result(hc_ctx *c)
{
	hc_result *r = c->res;
	const hc_json *j;
	double exp;

	r->issuer = hc_json_string(hc_json_get(c->payload, "iss"));
	r->subject = hc_json_string(hc_json_get(c->payload, "sub"));
	r->client = hc_json_string(hc_json_get(c->payload, "client_id"));
	if (r->client == NULL)
		r->client = r->subject;
	if (hc_json_number(hc_json_get(c->payload, "exp"), &exp))
		r->exp = (int64_t)floor(exp);
	if (hc_ctx_is_svid(c)) {
		/* The trust domain's authority grants no scope here. */
	} else if ((j = hc_json_get(c->payload, "scope")) != NULL) {
		r->scope = hc_json_string(j);       /* borrowed from the claims */
	} else if ((j = hc_json_get(c->payload, "scp")) != NULL) {
		if ((r->scope = r->scope_buf = join_scp(j)) == NULL)
			return hc_fail(&r->detail, HC_INTERNAL, "out of memory");
	}
	return read_chain(c);
}

bool
hc_scope_has(const char *scopes, const char *s)
{
	size_t l = strlen(s);

	if (scopes == NULL || l == 0)
		return false;
	for (const char *p = scopes; *p != '\0';) {
		const char *e = strchr(p, ' ');
		size_t tl = e ? (size_t)(e - p) : strlen(p);
		if (tl == l && memcmp(p, s, l) == 0)
			return true;
		if (e == NULL)
			break;
		p = e + 1;
	}
	return false;
}

/* ---------------------------------------------------------------- layer 2 */

/*
 * typ (RFC 8725 section 3.11, RFC 9068 section 4): a media type, compared
 * case-insensitively and with the "application/" prefix optional (RFC 7515
 * section 4.1.9).
 */
hc_status
hc_claims_check_type(hc_ctx *c)
{
	const hc_json *j = hc_json_get(c->header, "typ");
	const hc_strlist *tl = &c->ipol->token_types;
	static const char app[] = "application/";
	char q[HC_QBUF];
	const char *t;

	if (j == NULL) {
		if (c->ipol->typ_may_be_absent)
			return HC_OK;
		return hc_fail(&c->res->detail, HC_TYPE, "header has no typ; "
		    "issuer accepts %s%s", tl->n ? tl->v[0] : "none",
		    tl->n > 1 ? " and others" : "");
	}
	if ((t = hc_json_string(j)) == NULL)
		return hc_fail(&c->res->detail, HC_MALFORMED, "header typ is a %s, "
		    "not a string", hc_json_type_name(hc_json_type_of(j)));
	if (strncasecmp(t, app, sizeof(app) - 1) == 0)
		t += sizeof(app) - 1;
	for (size_t i = 0; i < tl->n; i++)
		if (strcasecmp(t, tl->v[i]) == 0)
			return HC_OK;
	return hc_fail(&c->res->detail, HC_TYPE, "typ %s is not accepted for "
	    "this issuer (accepted: %s%s)", hc_quote(q, sizeof(q),
	    hc_json_string(j)), tl->n ? tl->v[0] : "none",
	    tl->n > 1 ? " and others" : "");
}

/* Whether `a` is one of the values that mean this service. */
static bool
is_my_audience(const hc_policy *p, const char *a)
{
	for (size_t i = 0; i < p->audiences.n; i++)
		if (strcmp(p->audiences.v[i], a) == 0)
			return true;
	return p->service_spiffe_id != NULL && strcmp(p->service_spiffe_id, a) == 0;
}

/*
 * aud (RFC 7519 section 4.1.3, RFC 9068 section 4, RFC 8707 section 3):
 * must name this service exactly, and a delegated token must be narrowed to
 * at most audience.max_delegated values (a direct one to max_direct).
 */
static hc_status
check_audience(hc_ctx *c)
{
	const hc_json *j = hc_json_get(c->payload, "aud");
	char q[HC_QBUF];
	size_t n, max;
	bool mine = false, delegated;
	const char *first;

	if (j == NULL)
		return hc_fail(&c->res->detail, HC_AUDIENCE, "token has no aud");
	if (hc_json_type_of(j) == HC_JSON_STRING) {
		n = 1;
		first = hc_json_string(j);
		mine = is_my_audience(c->pol, first);
	} else {
		n = hc_json_count(j);
		if (n == 0)
			return hc_fail(&c->res->detail, HC_AUDIENCE, "aud is an empty "
			    "array");
		first = hc_json_string(hc_json_first(j));
		for (const hc_json *e = hc_json_first(j); e && !mine;
		    e = hc_json_next(e))
			mine = is_my_audience(c->pol, hc_json_string(e));
	}
	if (!mine)
		return hc_fail(&c->res->detail, HC_AUDIENCE, "aud %s%s does not "
		    "name this service (%s)", hc_quote(q, sizeof(q), first),
		    n > 1 ? " and the other values" : "",
		    c->pol->audiences.n ? c->pol->audiences.v[0] :
		    c->pol->service_spiffe_id);
	delegated = hc_json_get(c->payload, "act") != NULL;
	max = delegated ? c->pol->aud_max_delegated : c->pol->aud_max_direct;
	if (max > 0 && n > max)
		return hc_fail(&c->res->detail, HC_AUDIENCE, "aud names %zu "
		    "audiences; a %s token may name at most %zu (audience.%s)", n,
		    delegated ? "delegated" : "direct", max,
		    delegated ? "max_delegated" : "max_direct");
	return HC_OK;
}

/* exp, nbf, iat and lifetime (RFC 7519 sections 4.1.4-4.1.6). */
hc_status
hc_claims_check_times(hc_ctx *c)
{
	const double now = (double)c->now, skew = (double)c->pol->clock_skew_s;
	const double maxlife = (double)c->ipol->max_lifetime_s;
	double exp, nbf, iat;

	if (!hc_json_number(hc_json_get(c->payload, "exp"), &exp))
		return hc_fail(&c->res->detail, HC_CLAIM, "required claim exp is "
		    "missing");
	if (now >= exp + skew)
		return hc_fail(&c->res->detail, HC_EXPIRED, "token expired: exp "
		    "%.17g, now %lld, clock skew %llds", exp, (long long)c->now,
		    (long long)c->pol->clock_skew_s);
	if (hc_json_number(hc_json_get(c->payload, "nbf"), &nbf) &&
	    now + skew < nbf)
		return hc_fail(&c->res->detail, HC_NOT_YET_VALID, "token not valid "
		    "before nbf %.17g, now %lld, clock skew %llds", nbf,
		    (long long)c->now, (long long)c->pol->clock_skew_s);
	if (hc_json_number(hc_json_get(c->payload, "iat"), &iat)) {
		if (iat > now + skew)
			return hc_fail(&c->res->detail, HC_LIFETIME, "iat %.17g is in "
			    "the future (now %lld, clock skew %llds)", iat,
			    (long long)c->now, (long long)c->pol->clock_skew_s);
		if (exp - iat > maxlife)
			return hc_fail(&c->res->detail, HC_LIFETIME, "lifetime exp - "
			    "iat = %.17gs is over max_lifetime_s %lld", exp - iat,
			    (long long)c->ipol->max_lifetime_s);
	} else if (exp - now > maxlife) {
		return hc_fail(&c->res->detail, HC_LIFETIME, "token has no iat and "
		    "stays valid %.17gs from now, over max_lifetime_s %lld",
		    exp - now, (long long)c->ipol->max_lifetime_s);
	}
	return HC_OK;
}

static hc_status
check_required(hc_ctx *c)
{
	const hc_strlist *rl = &c->ipol->required_claims;

	for (size_t i = 0; i < rl->n; i++) {
		const hc_json *j = hc_json_get(c->payload, rl->v[i]);
		if (j == NULL || hc_json_type_of(j) == HC_JSON_NULL)
			return hc_fail(&c->res->detail, HC_CLAIM, "required claim %s "
			    "is missing", rl->v[i]);
	}
	return HC_OK;
}

hc_status
hc_claims_layer2(hc_ctx *c)
{
	hc_status st;

	if ((st = hc_claims_check_type(c)) != HC_OK || (st = check_audience(c)) != HC_OK ||
	    (st = hc_claims_check_times(c)) != HC_OK)
		return st;
	return check_required(c);
}

/* ---------------------------------------------------------------- layer 3 */

/* The route's scopes must all be granted by the token. */
hc_status
hc_claims_route(hc_ctx *c, const hc_route_policy *rt, const char *scope,
    const hc_json *payload, const char *what)
{
	const hc_request *req = c->req;
	char q[HC_QBUF], q2[HC_QBUF];
	char name[HC_DETAIL_VALUE_MAX + 32];

	if (rt == c->pol->default_route)
		(void)snprintf(name, sizeof(name), "the default route");
	else
		(void)snprintf(name, sizeof(name), "route %s %s", rt->method,
		    rt->path);
	for (size_t i = 0; i < rt->scopes.n; i++)
		if (!hc_scope_has(scope, rt->scopes.v[i]))
			return hc_fail(&c->res->detail, HC_SCOPE, "%s requires "
			    "scope %s; %s grants %s", name,
			    hc_quote(q, sizeof(q), rt->scopes.v[i]), what,
			    scope ? hc_quote(q2, sizeof(q2), scope) : "no scopes");
	if (rt->tenant_claim != NULL) {
		const hc_json *j = hc_json_get(payload, rt->tenant_claim);
		const char *t = hc_json_string(j);
		if (j == NULL)
			return hc_fail(&c->res->detail, HC_TENANT, "route needs "
			    "tenant claim %s and the token has none", rt->tenant_claim);
		if (t == NULL)
			return hc_fail(&c->res->detail, HC_TENANT, "tenant claim %s "
			    "is a %s, not a string", rt->tenant_claim,
			    hc_json_type_name(hc_json_type_of(j)));
		if (req == NULL || req->tenant == NULL)
			return hc_fail(&c->res->detail, HC_TENANT, "route needs a "
			    "tenant and the request names none");
		if (strcmp(t, req->tenant) != 0)
			return hc_fail(&c->res->detail, HC_TENANT, "tenant claim %s "
			    "is %s; the request is for tenant %s", rt->tenant_claim,
			    hc_quote(q, sizeof(q), t),
			    hc_quote(q2, sizeof(q2), req->tenant));
	}
	return HC_OK;
}

hc_status
hc_claims_layer3(hc_ctx *c)
{
	char q[HC_QBUF];
	hc_status st;

	if (c->chain_status != HC_OK) {
		c->res->detail = c->chain_detail;
		return c->chain_status;
	}
	if (c->res->nactors > 0) {
		if (!c->pol->delegation)
			return hc_fail(&c->res->detail, HC_CHAIN, "token carries act "
			    "(current actor %s) but this service configures no "
			    "delegation", hc_quote(q, sizeof(q), c->res->actors[0]));
		if (c->res->nactors > c->pol->max_depth)
			return hc_fail(&c->res->detail, HC_CHAIN, "act chain has %zu "
			    "actors, over delegation.max_depth %u", c->res->nactors,
			    c->pol->max_depth);
	}
	if ((st = hc_binding_check(c)) != HC_OK)
		return st;
	/*
	 * The routes, tenant and the jti spend follow in the pipeline
	 * (credentials.c), after every credential of the request.
	 */
	return hc_chain_policy(c);
}
