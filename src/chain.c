/*
 * chain.c - the delegation policy of layer 3: who may call this service,
 * directly or on behalf of someone else (RFC 8693 section 4.1).
 *
 * claims.c has already read the `act` chain into the result (current actor
 * first), checked its structure and its depth against delegation.max_depth,
 * and binding.c has tied the peer to the current actor or client.  What is
 * left is the operator's policy, from the `delegation` section:
 *
 *  - a token without `act` is a direct call; when `direct_callers` is
 *    configured, the caller must match one of its patterns;
 *  - a token with `act` is judged by its top-level claims and its current
 *    actor only, as RFC 8693 section 4.1 requires: some `actors` entry
 *    whose pattern matches the current actor must list the subject among
 *    its `subjects` and every scope of the token among its `scopes`;
 *  - prior actors are informational for the RFC.  Only when the operator
 *    opts into `path_policy` (stricter than the RFC, see SECURITY.md) must
 *    each of them match some configured actor, and no actor appear twice.
 *
 * Actors are identified by their `sub` alone here: claims.c keeps no `iss`
 * per level, and for the no-actor-twice rule comparing `sub` alone is the
 * stricter reading (a loop cannot hide behind a different `iss`).
 */
#include <string.h>

#include "validator.h"

/* ---------------------------------------------------------- direct calls */

/*
 * The identity of a caller that presents a token without `act`: the
 * peer's SPIFFE ID when the request carries one (given by a trusted proxy,
 * or read from its X.509-SVID leaf), otherwise the token's
 * client (client_id, else sub), which, when it is not itself a SPIFFE ID,
 * binding.identities may map to the workload that client id stands for
 * (the same rule binding.c applies, so that both steps judge one caller).
 * `how` names the source for the detail.  NULL when there is none.
 */
static const char *
caller_identity(const hc_ctx *c, const char **how)
{
	const char *client = c->res->client;
	size_t td_len;

	if (c->peer_id != NULL) {
		*how = "the peer's SPIFFE ID";
		return c->peer_id;
	}
	*how = "the token's client";
	if (client == NULL)
		return NULL;
	if (hc_spiffe_id_check(client, strlen(client), &td_len, NULL) == HC_OK)
		return client;
	for (size_t i = 0; i < c->pol->nidentities; i++) {
		const hc_identity_map *im = &c->pol->identities[i];
		if (im->client_id != NULL && im->spiffe_id != NULL &&
		    strcmp(im->client_id, client) == 0) {
			*how = "the token's client, via binding.identities";
			return im->spiffe_id;
		}
	}
	return client;
}

/* A token without `act`: delegation.direct_callers, when configured. */
static hc_status
direct_call(hc_ctx *c)
{
	const hc_strlist *dc = &c->pol->direct_callers;
	char q[HC_QBUF];
	const char *id, *how;
	hc_status st;

	if (!c->pol->has_direct_callers)
		return HC_OK;
	/* A peer that claims an identity must have a valid one. */
	if (c->req != NULL && c->req->has_peer && c->peer_id == NULL &&
	    (st = hc_peer_spiffe_id(c->req, &c->peer_id, &c->res->detail)) !=
	    HC_OK)
		return st;
	if ((id = caller_identity(c, &how)) == NULL)
		return hc_fail(&c->res->detail, HC_POLICY, "direct caller has no "
		    "identity (no peer SPIFFE ID, no client_id, no sub) and "
		    "delegation.direct_callers is configured");
	for (size_t i = 0; i < dc->n; i++)
		if (hc_pattern_match(dc->v[i], id))
			return HC_OK;
	return hc_fail(&c->res->detail, HC_POLICY, "direct caller %s (%s) is "
	    "not in delegation.direct_callers", hc_quote(q, sizeof(q), id), how);
}

/* -------------------------------------------------------- delegated calls */

static bool
subject_allowed(const hc_actor_policy *ap, const char *subject)
{
	for (size_t i = 0; i < ap->subjects.n; i++)
		if (hc_pattern_match(ap->subjects.v[i], subject))
			return true;
	return false;
}

static bool
scope_granted(const hc_actor_policy *ap, const char *tok, size_t len)
{
	for (size_t i = 0; i < ap->scopes.n; i++)
		if (strlen(ap->scopes.v[i]) == len &&
		    memcmp(ap->scopes.v[i], tok, len) == 0)
			return true;
	return false;
}

/*
 * Finds the first scope of the space-separated `scopes` (the result's
 * normalised list, NULL for none) that `ap` does not grant.  Returns false
 * when every scope is granted; otherwise true, with that scope copied into
 * `out` (cut, but still longer than a detail quotes, so that hc_quote()
 * marks the cut).
 */
static bool
scope_missing(const hc_actor_policy *ap, const char *scopes, char *out,
    size_t outsz)
{
	const char *p = scopes;

	if (p == NULL)
		return false;
	while (*p != '\0') {
		size_t len = strcspn(p, " ");
		if (len > 0 && !scope_granted(ap, p, len)) {
			size_t n = len < outsz - 1 ? len : outsz - 1;
			memcpy(out, p, n);
			out[n] = '\0';
			return true;
		}
		p += len;
		if (*p == ' ')
			p++;
	}
	return false;
}

/*
 * The current actor (RFC 8693 section 4.1: with the top-level claims, the
 * only party access control may consider) must be a configured delegate
 * that may act for this subject and carry every scope of the token.  The
 * grant must come from one entry: several entries matching the actor are
 * alternatives, never combined (one granting the subject, another the
 * scopes, grants nothing).
 */
static hc_status
current_actor(hc_ctx *c)
{
	const char *actor = c->res->actors[0], *sub = c->res->subject;
	char missing[HC_DETAIL_VALUE_MAX + 2], q[HC_QBUF], q2[HC_QBUF];
	bool matched = false, subject_ok = false;

	if (sub == NULL)
		return hc_fail(&c->res->detail, HC_CHAIN, "delegated token has no "
		    "sub: current actor %s acts for no one",
		    hc_quote(q, sizeof(q), actor));
	missing[0] = '\0';
	for (size_t i = 0; i < c->pol->nactors; i++) {
		const hc_actor_policy *ap = &c->pol->actors[i];
		char m[sizeof(missing)];

		if (!hc_pattern_match(ap->actor, actor))
			continue;
		matched = true;
		if (!subject_allowed(ap, sub))
			continue;
		if (!scope_missing(ap, c->res->scope, m, sizeof(m)))
			return HC_OK;
		/* The detail names the scope the first such entry refuses. */
		if (!subject_ok)
			memcpy(missing, m, strlen(m) + 1);
		subject_ok = true;
	}
	if (!matched)
		return hc_fail(&c->res->detail, HC_CHAIN, "actor %s is not a "
		    "configured delegate (delegation.actors)",
		    hc_quote(q, sizeof(q), actor));
	if (!subject_ok)
		return hc_fail(&c->res->detail, HC_CHAIN, "actor %s may not act "
		    "for subject %s", hc_quote(q, sizeof(q), actor),
		    hc_quote(q2, sizeof(q2), sub));
	return hc_fail(&c->res->detail, HC_SCOPE, "delegated token carries "
	    "scope %s, which actor %s may not carry",
	    hc_quote(q, sizeof(q), missing), hc_quote(q2, sizeof(q2), actor));
}

static bool
configured_actor(const hc_policy *p, const char *actor)
{
	for (size_t i = 0; i < p->nactors; i++)
		if (hc_pattern_match(p->actors[i].actor, actor))
			return true;
	return false;
}

/*
 * delegation.path_policy, stricter than RFC 8693 (which makes prior actors
 * informational): every prior actor is a configured delegate, and no actor
 * appears twice in the chain.  Depths count from 1, the current actor, as
 * in the details of claims.c.  The chain is at most max_depth long, so the
 * quadratic duplicate search is bounded by HC_MAX_ACT_DEPTH squared.
 */
static hc_status
prior_actors(hc_ctx *c)
{
	char *const *a = c->res->actors;
	const size_t n = c->res->nactors;
	char q[HC_QBUF];

	for (size_t i = 1; i < n; i++) {
		if (!configured_actor(c->pol, a[i]))
			return hc_fail(&c->res->detail, HC_CHAIN, "prior actor %s "
			    "at depth %zu is not a configured delegate "
			    "(delegation.path_policy)", hc_quote(q, sizeof(q), a[i]),
			    i + 1);
		for (size_t j = 0; j < i; j++)
			if (strcmp(a[j], a[i]) == 0)
				return hc_fail(&c->res->detail, HC_CHAIN, "actor %s "
				    "appears twice in the act chain, at depths %zu "
				    "and %zu (delegation.path_policy)",
				    hc_quote(q, sizeof(q), a[i]), j + 1, i + 1);
	}
	return HC_OK;
}

/* ------------------------------------------------------------------- API */

hc_status
hc_chain_policy(hc_ctx *c)
{
	hc_status st;

	if (c->res->nactors == 0)
		return direct_call(c);
	/* claims.c refuses these first; kept so that this step stands alone. */
	if (!c->pol->delegation)
		return hc_fail(&c->res->detail, HC_CHAIN, "token carries act but "
		    "this service configures no delegation");
	if ((st = current_actor(c)) != HC_OK)
		return st;
	if (c->pol->path_policy)
		return prior_actors(c);
	return HC_OK;
}
