/* SPDX-License-Identifier: Apache-2.0 */
/*
 * chain.c - RFC 8693 actor chains: the one parser of `act`, and the
 * delegation policy of layer 3, who may call this service, directly or on
 * behalf of someone else (RFC 8693 section 4.1).
 *
 * hc_act_chain_read() is the only code that judges the structure of an
 * `act` chain: each level an object with a non-empty string `sub` and an
 * optional string `iss`, at most HC_MAX_ACT_DEPTH levels, walked without
 * recursion.  claims.c reads the chain of every token through it into the
 * result (current actor first) and checks its length against
 * delegation.max_depth; exchange.c reads both chains of an exchange
 * through it.
 *
 * Then binding.c has tied the peer to the current actor or client.  What
 * is left is the operator's policy, from the `delegation` section:
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
 * Actors are identified by their `sub` alone here: the result keeps no
 * `iss` per level, and for the no-actor-twice rule comparing `sub` alone
 * is the stricter reading (a loop cannot hide behind a different `iss`).
 */
#include <string.h>

#include "chain.h"
#include "peer.h"

/* ---------------------------------------------------------- the parser */

hc_status
hc_act_chain_read(const hc_json *act, hc_act_chain *ch)
{
	hc_detail *d = &ch->detail;

	memset(ch, 0, sizeof(*ch));
	for (const hc_json *a = act; a != NULL; a = hc_json_get(a, "act")) {
		const size_t depth = ch->n + 1;
		const hc_json *iss = hc_json_get(a, "iss");
		const char *sub = hc_json_string(hc_json_get(a, "sub"));

		ch->next = a;
		if (hc_json_type_of(a) != HC_JSON_OBJECT)
			return ch->status = hc_fail(d, HC_CHAIN, "act at "
			    "depth %zu is a %s, not an object (RFC 8693 "
			    "section 4.1)", depth,
			    hc_json_type_name(hc_json_type_of(a)));
		if (sub == NULL || sub[0] == '\0')
			return ch->status = hc_fail(d, HC_CHAIN, "act at "
			    "depth %zu has no non-empty string sub", depth);
		if (iss != NULL && hc_json_type_of(iss) != HC_JSON_STRING)
			return ch->status = hc_fail(d, HC_CHAIN, "act at "
			    "depth %zu has an iss that is a %s, not a string",
			    depth, hc_json_type_name(hc_json_type_of(iss)));
		/* Structure first, then depth: one more level is looked at. */
		if (depth > HC_MAX_ACT_DEPTH)
			return ch->status = hc_fail(d, HC_CHAIN, "act chain "
			    "is deeper than the hard limit of %d",
			    HC_MAX_ACT_DEPTH);
		ch->level[ch->n].sub = sub;
		ch->level[ch->n].iss = hc_json_string(iss);
		ch->level[ch->n].json = a;
		ch->n++;
	}
	ch->next = NULL;
	return ch->status = HC_OK;
}

/* ---------------------------------------------------------- direct calls */

/*
 * The identity of a caller that presents a token without `act`: the
 * peer's SPIFFE ID when the request carries one (given by a trusted proxy,
 * or read from its X.509-SVID leaf), otherwise the token's
 * client (client_id, else sub), which, when it is not itself a SPIFFE ID,
 * binding.identities may map to the workload that client id stands for
 * (hc_peer_workload(), the rule the peer check applies, so that both steps
 * judge one caller).
 * `how` names the source for the detail.  NULL when there is none.
 */
static const char *
caller_identity(const hc_ctx *c, const char **how)
{
	const char *client = c->res->client, *w;
	bool mapped;

	if (c->peer_id != NULL) {
		*how = c->wimse_ok ? "the WIT's sub" : "the peer's SPIFFE ID";
		return c->peer_id;
	}
	*how = "the token's client";
	if (client == NULL)
		return NULL;
	if ((w = hc_peer_workload(c->pol, client, &mapped)) == NULL)
		return client;
	if (mapped)
		*how = "the token's client, via binding.identities";
	return w;
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
 * in the details of the parser.  The chain is at most max_depth long, so the
 * quadratic duplicate search is bounded by HC_MAX_ACT_DEPTH squared.
 */
static hc_status
prior_actors(hc_ctx *c)
{
	const char *const *a = c->res->actors;
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
