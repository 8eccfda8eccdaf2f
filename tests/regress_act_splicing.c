/* SPDX-License-Identifier: Apache-2.0 */
/*
 * regress_act_splicing.c - laundering a delegation path through `act`.
 *
 * The story: RFC 8693 token exchange records who acted for whom by nesting
 * `act` claims, the current actor outermost and the least recent deepest
 * (section 4.1).  Each hop sends the token it received to an STS and gets
 * back a narrower one naming itself as the new current actor, with the
 * earlier chain kept below.  Every party on the path can lie a little:
 *
 *  - an intermediary (or a careless STS) rewrites the chain it copies:
 *    it drops the prior actor that would have betrayed where the request
 *    came from, inserts a respectable service that never saw it, reorders
 *    two hops, or keeps a `sub` and changes its `iss`.  The token still
 *    verifies, since the STS signed what it was given.  Only the caller
 *    holding both tokens can see the splice, so hc_check_exchange() must
 *    refuse every such change (narrowing), and accept a copy that differs
 *    only in claims RFC 8693 does not use;
 *  - a token whose current actor is not allowed carries an allowed actor
 *    further down, hoping the resource server reads "some actor in the
 *    chain is orders" where it should read "the current actor is orders".
 *    RFC 8693 section 4.1 says prior actors "are informational only and
 *    are not to be considered in access control decisions": the grant of
 *    a prior actor must neither satisfy the actor check (chain) nor the
 *    scope check (scope);
 *  - the outermost `act` carries an `aud` naming the victim service, or a
 *    `scope` the route needs, hoping the validator reads members of `act`
 *    as if they were top-level claims.  They are not used (section 4.1):
 *    the top-level `aud` and `scope` decide (audience, scope).  The flip
 *    side is accepted too: an `act.exp` long past or an `act.nbf` in the
 *    future does not invalidate the token;
 *  - with the operator's opt-in delegation.path_policy, stricter than the
 *    RFC, a chain may not pass an unconfigured actor nor loop through the
 *    same actor twice, even with a different `iss` on the repeat (chain);
 *  - the peer presenting the token is a prior actor, not the current one
 *    (peer).
 *
 * The tokens are in testvectors/delegation.json, made by
 * tools/vectors/gen_delegation_vectors.py with python3-jwcrypto.  Each record
 * below names one case, the exact status it must get, a fragment of the
 * detail that shows the right thing was caught, and why.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "dv.h"
#include "testutil.h"

/* One attack case and what must come of it. */
typedef struct record {
	const char *list;        /* "cases", "peer_cases", "exchange_cases" */
	const char *name;
	hc_status want;
	const char *detail;      /* a fragment of the detail, or NULL */
} record;

/* The delegation vectors (tests/dv.h), opened by the suite's init. */
static dv vec;

static int
suite_init(void)
{
	return dv_open(&vec) == 0 ? 0 : -1;
}

static int
suite_cleanup(void)
{
	dv_close(&vec);
	return 0;
}

/*
 * Runs each record: the case must exist, the file must expect the same
 * status as the record, and the status and detail fragment must come out.
 */
static void
run_records(const record *r)
{
	char detail[1024];

	for (; r->name != NULL; r++) {
		const cJSON *c = dv_find(&vec, r->list, r->name);
		hc_status got, file_want;

		if (c == NULL) {
			fprintf(stderr, "\n  no case %s in %s\n", r->name, r->list);
			CU_FAIL("attack case missing from delegation.json");
			continue;
		}
		CU_ASSERT(hc_vec_check(&vec, c, &file_want) == 0 &&
		    file_want == r->want);
		got = hc_vec_run(&vec, c, detail, sizeof(detail));
		if (got != r->want)
			fprintf(stderr, "\n  case %s:", r->name);
		hc_test_assert_status(got, r->want, detail, __FILE__, __LINE__);
		if (r->detail != NULL && strstr(detail, r->detail) == NULL) {
			fprintf(stderr, "\n  case %s: detail \"%s\" lacks \"%s\"\n",
			    r->name, detail, r->detail);
			CU_FAIL("detail does not name what was caught");
		}
	}
}

/* -------------------------------------------------------------- records */

#define X "exchange_cases"
#define T "cases"
#define P "peer_cases"

/* An STS's answer that rewrites the subject token's chain. */
static const record exchange_splices[] = {
	/* The prior actor that would show the request's origin, gone. */
	{ X, "xchg-splice-drop-prior", HC_NARROWING, "drops prior actor" },
	/* A respectable service that never saw the request, slipped in. */
	{ X, "xchg-splice-insert-prior", HC_NARROWING, "inserts prior actor" },
	/* An origin invented below the real one. */
	{ X, "xchg-splice-insert-at-end", HC_NARROWING, "inserts prior actor" },
	/* A chain invented where the subject token had none. */
	{ X, "xchg-splice-first-hop-invents-prior", HC_NARROWING,
	    "inserts prior actor" },
	/* Two hops swapped. */
	{ X, "xchg-splice-reorder", HC_NARROWING, "reorders prior actors" },
	/* A prior actor replaced by another. */
	{ X, "xchg-splice-alter-sub", HC_NARROWING, "altered" },
	/* Same sub, another issuer: another identity (RFC 8693 4.1). */
	{ X, "xchg-splice-alter-iss", HC_NARROWING, "(iss " },
	{ X, "xchg-splice-drop-iss", HC_NARROWING, "(iss " },
	{ X, "xchg-splice-add-iss", HC_NARROWING, "(iss " },
	/* The current actor is not the caller that asked for the token. */
	{ X, "xchg-act-sub-not-self", HC_NARROWING, "is not self" },
	/* No act at all: an impersonation token instead of a delegation. */
	{ X, "xchg-impersonation", HC_NARROWING, "has no act" },
	/* may_act names someone else (RFC 8693 4.4). */
	{ X, "xchg-may-act-other-party", HC_NARROWING, "may_act" },
	/* A chain too deep to compare is refused, not truncated. */
	{ X, "xchg-chain-over-hard-limit", HC_CHAIN, "hard limit" },
	{ NULL, NULL, HC_OK, NULL }
};

/* What an honest STS does is still accepted. */
static const record exchange_honest[] = {
	{ X, "xchg-ok-second-hop", HC_OK, "accepted" },
	{ X, "xchg-splice-keep-order-ok", HC_OK, NULL },
	{ X, "xchg-ok-prior-iss-kept", HC_OK, NULL },
	/* Non-identity claims of a copied level are not used (4.1). */
	{ X, "xchg-ok-act-non-identity-claims-differ", HC_OK, NULL },
	{ NULL, NULL, HC_OK, NULL }
};

/* Prior actors used to satisfy the resource server's policy. */
static const record prior_actor_grants[] = {
	/* An allowed actor below an unknown current actor. */
	{ T, "splice-prior-actor-satisfies-policy", HC_CHAIN,
	    "\"spiffe://example.org/ns/prod/sa/mallory\" is not a configured "
	    "delegate" },
	/* The write scope of a prior actor lent to the current one. */
	{ T, "splice-prior-actor-grants-scope", HC_SCOPE,
	    "\"spiffe://example.org/ns/prod/sa/gateway\" may not carry" },
	/* The peer is a prior actor, not the current one. */
	{ P, "splice-peer-is-prior-actor", HC_PEER, NULL },
	{ NULL, NULL, HC_OK, NULL }
};

/* Members of act read as if they were top-level claims. */
static const record act_members[] = {
	/* act.aud names this service, the top-level aud does not. */
	{ T, "splice-act-aud-is-not-audience", HC_AUDIENCE,
	    "\"https://gateway.internal\"" },
	/* act.scope has the scope the route needs, the token does not. */
	{ T, "splice-act-scope-is-not-scope", HC_SCOPE, "payments:write" },
	/* The other way round: act.exp past and act.nbf future are ignored. */
	{ T, "act-exp-in-past-ignored", HC_OK, NULL },
	{ T, "act-nbf-in-future-ignored", HC_OK, NULL },
	{ T, "act-scope-ignored", HC_OK, NULL },
	{ NULL, NULL, HC_OK, NULL }
};

/* Loops and strangers on the path, under delegation.path_policy. */
static const record path_policy[] = {
	/* Allowed by RFC 8693, which has no rule on prior actors ... */
	{ T, "splice-actor-loop-rfc", HC_OK, NULL },
	{ T, "prior-actor-unknown-rfc", HC_OK, NULL },
	/* ... refused when the operator opts in. */
	{ T, "splice-actor-loop-path-policy", HC_CHAIN, "appears twice" },
	{ T, "splice-actor-loop-other-iss-path-policy", HC_CHAIN,
	    "appears twice" },
	{ T, "prior-actor-unknown-path-policy", HC_CHAIN, "at depth 2" },
	{ NULL, NULL, HC_OK, NULL }
};

static void
test_exchange_splices(void)
{
	run_records(exchange_splices);
}

static void
test_exchange_honest(void)
{
	run_records(exchange_honest);
}

static void
test_prior_actor_grants(void)
{
	run_records(prior_actor_grants);
}

static void
test_act_members(void)
{
	run_records(act_members);
}

static void
test_path_policy(void)
{
	run_records(path_policy);
}

static const hc_test tests[] = {
	{ "exchange: spliced chains refused", test_exchange_splices },
	{ "exchange: honest chains accepted", test_exchange_honest },
	{ "prior actors grant nothing", test_prior_actor_grants },
	{ "act members are not top-level claims", test_act_members },
	{ "path_policy: loops and strangers", test_path_policy },
	{ NULL, NULL }
};

static const hc_suite suites[] = {
	{ "regress_act_splicing", tests },
	{ NULL, NULL }
};

int
main(void)
{
	static const hc_hooks hooks[] = {
		{ "regress_act_splicing", suite_init, suite_cleanup },
		{ NULL, NULL, NULL }
	};

	return hc_test_main_hooks(suites, hooks);
}
