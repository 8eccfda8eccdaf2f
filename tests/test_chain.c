/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_chain.c - RFC 8693 delegation: the delegation policy of layer 3
 * (chain.c, through hc_validate()) and the calling-side narrowing check
 * hc_check_exchange() (exchange.c).
 *
 * Every token comes from testvectors/delegation.json, made by
 * tools/vectors/gen_delegation_vectors.py with python3-jwcrypto, a JOSE library
 * that shares no code with hopcheck.  The file has three lists: "cases"
 * (token, request, expected status of hc_validate()), "peer_cases" (the
 * same with a peer SPIFFE ID) and "exchange_cases" (subject and issued
 * tokens, audience, self, expected status of hc_check_exchange()).  The
 * first suite runs every case of every list against the status the file
 * names.  The others pick cases by name and state the exact status again
 * here, with the part of the detail that must name the actor, subject or
 * value at fault, so that a regenerated file cannot silently change what
 * is tested.  A few tests change the configuration (no delegation
 * section, an empty direct_callers list) to show what each part of the
 * delegation section governs.
 *
 * The "act parser" suite runs hc_act_chain_read() (chain.c), the one
 * structure check of `act`, on hand-written chains, then each of its two
 * callers: the validator (claims.c, which reports a fault in layer 3 and
 * keeps the actors read before it) and hc_check_exchange() (exchange.c,
 * which names the token at fault), with the exact details both give.
 *
 * Test code may read JSON with cJSON directly; the library never exposes
 * it.  The loader is tests/dv.h, shared with regress_act_splicing.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "chain.h"
#include "dv.h"
#include "testutil.h"


#define GATEWAY  "spiffe://example.org/ns/prod/sa/gateway"
#define FRONTEND "spiffe://example.org/ns/prod/sa/frontend"
#define ORDERS   "spiffe://example.org/ns/prod/sa/orders"

/* The request of a case (strict: see hc_vec_request() in testutil.h). */
static hc_request *
dv_request(const dv *d, const cJSON *c)
{
	hc_status refused;
	hc_request *req = hc_vec_request(d, c, &refused);

	HC_ASSERT_STATUS(refused, HC_OK);
	CU_ASSERT_PTR_NOT_NULL_FATAL(req);
	return req;
}

/* The status a case's "expect" names; fails the test when it names none. */
static hc_status
dv_expect(const cJSON *c)
{
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(c, "expect");
	hc_status st = HC_STATUS_COUNT;

	if (!cJSON_IsString(e) || hc_status_from_name(e->valuestring, &st) != 0)
		CU_FAIL("vector case without a valid expect");
	return st;
}

/*
 * Validates a token case with its request and configuration patch, plus
 * `extra` (JSON text of more top-level members, or NULL), and returns the
 * result (never NULL: the test stops first).
 */
static hc_result *
dv_validate(const dv *d, const cJSON *c, const char *extra)
{
	const cJSON *tok = cJSON_GetObjectItemCaseSensitive(c, "token");
	const cJSON *patch = cJSON_GetObjectItemCaseSensitive(c,
	    "config_patch");
	cJSON *xp = extra ? cJSON_Parse(extra) : NULL;
	hc_validator *pv = NULL;
	const hc_validator *v = d->v;
	hc_request *req;
	hc_result *res = NULL;

	CU_ASSERT_FATAL(cJSON_IsString(tok) && (extra == NULL || xp != NULL));
	if (patch != NULL || xp != NULL) {
		pv = dv_validator(d, patch, xp);
		CU_ASSERT_PTR_NOT_NULL_FATAL(pv);
		v = pv;
	}
	req = dv_request(d, c);
	(void)hc_validate(v, tok->valuestring, strlen(tok->valuestring), req,
	    &res);
	hc_request_free(req);
	hc_validator_free(pv);
	cJSON_Delete(xp);
	CU_ASSERT_PTR_NOT_NULL_FATAL(res);
	return res;
}

/* Runs an exchange case; the detail (heap) in *detail. */
static hc_status
dv_exchange(const dv *d, const cJSON *c, char **detail)
{
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(c, "subject_token");
	const cJSON *i = cJSON_GetObjectItemCaseSensitive(c, "issued_token");
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(c, "audience");
	const cJSON *self = cJSON_GetObjectItemCaseSensitive(c, "self");
	const cJSON *now = cJSON_GetObjectItemCaseSensitive(c, "now");

	CU_ASSERT_FATAL(cJSON_IsString(s) && cJSON_IsString(i) &&
	    cJSON_IsString(a) && cJSON_IsString(self) && cJSON_IsNumber(now));
	return hc_check_exchange(d->v, s->valuestring, strlen(s->valuestring),
	    i->valuestring, strlen(i->valuestring), a->valuestring,
	    self->valuestring, (int64_t)now->valuedouble, detail);
}

static void
assert_contains(const char *name, const char *text, const char *part)
{
	int ok = text != NULL && strstr(text, part) != NULL;

	if (!ok)
		fprintf(stderr, "\n  case %s: detail \"%s\" does not contain "
		    "\"%s\"\n", name, text ? text : "(null)", part);
	CU_ASSERT(ok);
}

/*
 * Validates the case `name` of `list` and asserts `want`, which must also
 * be what the vector file expects, and that the detail contains `part`
 * (unless NULL).  Returns the result for more checks; the caller frees it.
 */
static hc_result *
check_case(const dv *d, const char *list, const char *name, hc_status want,
    const char *part, const char *extra)
{
	const cJSON *c = dv_find(d, list, name);
	hc_result *res;

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	if (extra == NULL && dv_expect(c) != want) {
		fprintf(stderr, "\n  case %s: the file expects %s, the test %s\n",
		    name, hc_status_name(dv_expect(c)), hc_status_name(want));
		CU_FAIL("vector file and test disagree");
	}
	res = dv_validate(d, c, extra);
	if (hc_result_status(res) != want)
		fprintf(stderr, "\n  case %s:", name);
	HC_ASSERT_RESULT(res, want);
	if (part != NULL)
		assert_contains(name, hc_result_detail(res), part);
	return res;
}

/* check_case() for the cases whose result needs no further look. */
static void
expect(const dv *d, const char *list, const char *name, hc_status want,
    const char *part)
{
	hc_result_free(check_case(d, list, name, want, part, NULL));
}

/* The same for an exchange case. */
static void
expect_x(const dv *d, const char *name, hc_status want, const char *part)
{
	const cJSON *c = dv_find(d, "exchange_cases", name);
	char *detail = NULL;
	hc_status got;

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	if (dv_expect(c) != want) {
		fprintf(stderr, "\n  case %s: the file expects %s, the test %s\n",
		    name, hc_status_name(dv_expect(c)), hc_status_name(want));
		CU_FAIL("vector file and test disagree");
	}
	got = dv_exchange(d, c, &detail);
	CU_ASSERT_PTR_NOT_NULL(detail);
	if (got != want)
		fprintf(stderr, "\n  case %s:", name);
	hc_test_assert_status(got, want, detail, __FILE__, __LINE__);
	if (part != NULL)
		assert_contains(name, detail, part);
	hc_string_free(detail);
}

/* ------------------------------------------------------ the whole file */

/* Runs every case of a list against its own expect; returns the count. */
static size_t
run_list(const dv *d, const char *list)
{
	const cJSON *c;
	size_t n = 0;

	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(d->doc, list)) {
		const cJSON *name = cJSON_GetObjectItemCaseSensitive(c, "name");
		hc_status want = dv_expect(c), got;
		char *detail = NULL;

		if (strcmp(list, "exchange_cases") == 0) {
			got = dv_exchange(d, c, &detail);
		} else {
			hc_result *res = dv_validate(d, c, NULL);
			got = hc_result_status(res);
			detail = strdup(hc_result_detail(res));
			hc_result_free(res);
		}
		if (got != want)
			fprintf(stderr, "\n  %s %s: got %s, want %s: %s", list,
			    cJSON_IsString(name) ? name->valuestring : "?",
			    hc_status_name(got), hc_status_name(want),
			    detail ? detail : "");
		CU_ASSERT_EQUAL(got, want);
		free(detail);
		n++;
	}
	return n;
}

static void
test_all_cases(void)
{
	dv d;

	if (dv_open(&d) != 0)
		return;
	CU_ASSERT(run_list(&d, "cases") >= 45);
	CU_ASSERT(run_list(&d, "peer_cases") >= 5);
	CU_ASSERT(run_list(&d, "exchange_cases") >= 50);
	dv_close(&d);
}

/* ---------------------------------------------------------- direct calls */

static void
test_direct_callers(void)
{
	dv d;

	if (dv_open(&d) != 0)
		return;
	expect(&d, "cases", "direct-mapped-client-listed", HC_OK, NULL);
	expect(&d, "cases", "direct-spiffe-client-listed", HC_OK, NULL);
	expect(&d, "cases", "direct-client-from-sub", HC_OK, NULL);
	expect(&d, "cases", "direct-prefix-pattern", HC_OK, NULL);
	expect(&d, "cases", "direct-prefix-boundary", HC_POLICY,
	    "\"spiffe://example.org/ns/opsx/sa/cron\"");
	expect(&d, "cases", "direct-client-not-listed", HC_POLICY,
	    "direct caller \"web-app\" (the token's client) is not in "
	    "delegation.direct_callers");
	expect(&d, "cases", "direct-mapped-client-not-listed", HC_POLICY,
	    "\"" ORDERS "\" (the token's client, via binding.identities)");
	expect(&d, "cases", "direct-no-client", HC_POLICY, "no identity");
	/* RFC 8693 section 4.4: may_act is no delegation. */
	expect(&d, "cases", "direct-may-act-is-not-delegation", HC_POLICY,
	    "\"web-app\"");
	dv_close(&d);
}

static void
test_direct_peer(void)
{
	dv d;

	if (dv_open(&d) != 0)
		return;
	/* The peer's SPIFFE ID, not the token's client, is the caller. */
	expect(&d, "peer_cases", "direct-peer-listed-client-not", HC_OK, NULL);
	expect(&d, "peer_cases", "direct-peer-not-listed-client-is", HC_POLICY,
	    "direct caller \"" ORDERS "\" (the peer's SPIFFE ID)");
	expect(&d, "peer_cases", "direct-peer-matches-mapped-client", HC_OK,
	    NULL);
	dv_close(&d);
}

/*
 * A peer that claims an identity must have a valid one, even where binding
 * is off: a CA certificate, or one with two URI SANs, is refused (peer)
 * rather than passed over for the token's client.
 */
static void
test_direct_peer_invalid(void)
{
	static const char *const certs[] = { "tests/data/certs/ca-true.pem",
	    "tests/data/certs/many-sans.pem" };
	cJSON *patch = cJSON_Parse("{\"binding\": {\"mtls\": \"off\", "
	    "\"peer_identity\": \"off\", \"identities\": {\"billing-client\": "
	    "\"spiffe://example.org/ns/prod/sa/billing\"}}}");
	const cJSON *c, *tok;
	hc_validator *v;
	dv d;

	if (dv_open(&d) != 0)
		return;
	c = dv_find(&d, "cases", "direct-mapped-client-listed");
	v = dv_validator(&d, patch, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	tok = cJSON_GetObjectItemCaseSensitive(c, "token");
	for (size_t i = 0; i < sizeof(certs) / sizeof(certs[0]); i++) {
		hc_request *req = dv_request(&d, c);
		hc_result *r = NULL;
		size_t n;
		char *pem = hc_test_read(certs[i], &n);

		HC_ASSERT_STATUS(hc_request_set_peer_cert(req,
		    (const unsigned char *)pem, n), HC_OK);
		(void)hc_validate(v, tok->valuestring, strlen(tok->valuestring),
		    req, &r);
		HC_ASSERT_RESULT(r, HC_PEER);
		hc_result_free(r);
		hc_request_free(req);
		free(pem);
	}
	/* A certificate with no URI SAN claims nothing: the client decides. */
	{
		hc_request *req = dv_request(&d, c);
		hc_result *r = NULL;
		size_t n;
		char *pem = hc_test_read("tests/data/certs/no-uri.pem", &n);

		HC_ASSERT_STATUS(hc_request_set_peer_cert(req,
		    (const unsigned char *)pem, n), HC_OK);
		(void)hc_validate(v, tok->valuestring, strlen(tok->valuestring),
		    req, &r);
		HC_ASSERT_RESULT(r, HC_OK);
		hc_result_free(r);
		hc_request_free(req);
		free(pem);
	}
	hc_validator_free(v);
	cJSON_Delete(patch);
	dv_close(&d);
}

static void
test_direct_callers_config(void)
{
	hc_result *r;
	dv d;

	if (dv_open(&d) != 0)
		return;
	/* Without direct_callers, any caller may call directly. */
	r = check_case(&d, "cases", "direct-client-not-listed", HC_OK, NULL,
	    "{\"delegation\": {\"actors\": []}}");
	hc_result_free(r);
	/* An empty list: nobody. */
	r = check_case(&d, "cases", "direct-mapped-client-listed", HC_POLICY,
	    "not in delegation.direct_callers",
	    "{\"delegation\": {\"direct_callers\": []}}");
	hc_result_free(r);
	/* No delegation section: direct calls are not restricted ... */
	r = check_case(&d, "cases", "direct-client-not-listed", HC_OK, NULL,
	    "{\"delegation\": null}");
	hc_result_free(r);
	/* ... and a token with act is refused. */
	r = check_case(&d, "cases", "delegated-ok-read", HC_CHAIN,
	    "configures no delegation", "{\"delegation\": null}");
	hc_result_free(r);
	/* A delegation section with no actors: no one may act. */
	r = check_case(&d, "cases", "delegated-ok-read", HC_CHAIN,
	    "is not a configured delegate",
	    "{\"delegation\": {\"direct_callers\": []}}");
	hc_result_free(r);
	dv_close(&d);
}

/* ------------------------------------------------------- delegated calls */

static void
test_current_actor(void)
{
	hc_result *r;
	dv d;

	if (dv_open(&d) != 0)
		return;
	expect(&d, "cases", "delegated-ok-read", HC_OK, NULL);
	expect(&d, "cases", "delegated-ok-write", HC_OK, NULL);
	expect(&d, "cases", "delegated-ok-no-scope", HC_OK, NULL);
	expect(&d, "cases", "delegated-not-direct-caller", HC_OK, NULL);
	expect(&d, "cases", "delegated-actor-unknown", HC_CHAIN,
	    "actor \"spiffe://example.org/ns/prod/sa/mallory\" is not a "
	    "configured delegate");
	expect(&d, "cases", "delegated-actor-not-for-subject", HC_CHAIN,
	    "actor \"" ORDERS "\" may not act for subject \"svc:reports\"");
	expect(&d, "cases", "delegated-scope-not-granted", HC_SCOPE,
	    "delegated token carries scope \"admin\", which actor \"" ORDERS
	    "\" may not carry");
	expect(&d, "cases", "delegated-scope-of-other-actor", HC_SCOPE,
	    "scope \"payments:write\", which actor \"" GATEWAY "\"");
	expect(&d, "cases", "delegated-scp-array-not-granted", HC_SCOPE,
	    "\"payments:write\"");
	expect(&d, "cases", "delegated-actor-without-scopes", HC_SCOPE,
	    "\"payments:read\"");
	expect(&d, "cases", "delegated-actor-without-scopes-no-scope", HC_OK,
	    NULL);
	expect(&d, "cases", "delegated-trust-domain-subject", HC_OK, NULL);
	expect(&d, "cases", "delegated-trust-domain-subject-lookalike",
	    HC_CHAIN, "\"spiffe://partner.example.evil/ns/a\"");
	expect(&d, "cases", "delegated-no-sub", HC_CHAIN, "has no sub");

	/* RFC 8693 section 4.1 figure 6: current actor first. */
	r = check_case(&d, "cases", "delegated-rfc8693-figure-6-shape", HC_OK,
	    NULL, NULL);
	CU_ASSERT_EQUAL(hc_result_actor_count(r), 2);
	CU_ASSERT_STRING_EQUAL(hc_result_actor(r, 0), GATEWAY);
	CU_ASSERT_STRING_EQUAL(hc_result_actor(r, 1), FRONTEND);
	CU_ASSERT_PTR_NULL(hc_result_actor(r, 2));
	CU_ASSERT_STRING_EQUAL(hc_result_subject(r), "user:alice");
	hc_result_free(r);
	dv_close(&d);
}

static void
test_several_entries(void)
{
	dv d;

	if (dv_open(&d) != 0)
		return;
	expect(&d, "cases", "delegated-two-entries-first", HC_OK, NULL);
	expect(&d, "cases", "delegated-two-entries-second", HC_OK, NULL);
	/* One entry grants the subject, the other the scope: not both. */
	expect(&d, "cases", "delegated-two-entries-not-combined", HC_SCOPE,
	    "scope \"payments:export\", which actor "
	    "\"spiffe://example.org/ns/batch/sa/export\" may not carry");
	expect(&d, "cases", "delegated-two-entries-subject-in-neither",
	    HC_CHAIN, "may not act for subject \"svc:billing\"");
	dv_close(&d);
}

static void
test_path_policy(void)
{
	dv d;

	if (dv_open(&d) != 0)
		return;
	/* RFC 8693 section 4.1: prior actors are informational ... */
	expect(&d, "cases", "prior-actor-unknown-rfc", HC_OK, NULL);
	expect(&d, "cases", "splice-actor-loop-rfc", HC_OK, NULL);
	/* ... unless the operator opts into path_policy. */
	expect(&d, "cases", "prior-actor-unknown-path-policy", HC_CHAIN,
	    "prior actor \"spiffe://elsewhere.example/ns/x/sa/relay\" at "
	    "depth 2 is not a configured delegate (delegation.path_policy)");
	expect(&d, "cases", "prior-actor-known-path-policy", HC_OK, NULL);
	expect(&d, "cases", "splice-actor-loop-path-policy", HC_CHAIN,
	    "actor \"" ORDERS "\" appears twice in the act chain, at depths 1 "
	    "and 3");
	expect(&d, "cases", "splice-actor-loop-other-iss-path-policy",
	    HC_CHAIN, "appears twice");
	expect(&d, "cases", "chain-over-max-depth", HC_CHAIN, "max_depth");
	dv_close(&d);
}

static void
test_act_structure(void)
{
	dv d;

	if (dv_open(&d) != 0)
		return;
	expect(&d, "cases", "act-string", HC_CHAIN, "not an object");
	expect(&d, "cases", "act-no-sub", HC_CHAIN, "sub");
	expect(&d, "cases", "act-nested-not-object", HC_CHAIN, "depth 2");
	expect(&d, "cases", "act-exp-in-past-ignored", HC_OK, NULL);
	expect(&d, "cases", "act-nbf-in-future-ignored", HC_OK, NULL);
	expect(&d, "cases", "act-scope-ignored", HC_OK, NULL);
	dv_close(&d);
}

/* -------------------------------------------------------------- exchange */

static void
test_exchange_accepted(void)
{
	dv d;

	if (dv_open(&d) != 0)
		return;
	expect_x(&d, "xchg-ok-second-hop", HC_OK, "accepted");
	expect_x(&d, "xchg-ok-first-hop", HC_OK, NULL);
	expect_x(&d, "xchg-ok-aud-array-of-one", HC_OK, NULL);
	expect_x(&d, "xchg-ok-same-scope-same-exp", HC_OK, NULL);
	expect_x(&d, "xchg-ok-no-scope", HC_OK, NULL);
	expect_x(&d, "xchg-ok-scp-subset", HC_OK, NULL);
	expect_x(&d, "xchg-ok-act-non-identity-claims-differ", HC_OK, NULL);
	expect_x(&d, "xchg-ok-self-level-has-iss", HC_OK, NULL);
	expect_x(&d, "xchg-ok-prior-iss-kept", HC_OK, NULL);
	expect_x(&d, "xchg-splice-keep-order-ok", HC_OK, NULL);
	expect_x(&d, "xchg-chain-at-hard-limit", HC_OK, NULL);
	dv_close(&d);
}

/* RFC 8693 appendix A.2: delegation with may_act. */
static void
test_exchange_rfc8693_a2(void)
{
	dv d;

	if (dv_open(&d) != 0)
		return;
	expect_x(&d, "xchg-rfc8693-a2-shape", HC_OK, NULL);
	expect_x(&d, "xchg-rfc8693-a2-other-self", HC_NARROWING,
	    "self \"intruder@example.net\" is not the party may_act names "
	    "(\"admin@example.net\")");
	expect_x(&d, "xchg-rfc8693-a2-literal-exp", HC_NARROWING,
	    "issued exp 1441910600 is later than the subject's exp 1441910060");
	expect_x(&d, "xchg-rfc8693-a2-literal-iss", HC_NARROWING,
	    "issued iss \"https://as.example.com\" differs from the subject "
	    "token's iss \"https://original-issuer.example.net\"");
	expect_x(&d, "xchg-may-act-other-party", HC_NARROWING,
	    "self \"" GATEWAY "\" is not the party may_act names (\"" ORDERS
	    "\")");
	expect_x(&d, "xchg-may-act-no-sub", HC_NARROWING, "names no sub");
	dv_close(&d);
}

static void
test_exchange_broadening(void)
{
	dv d;

	if (dv_open(&d) != 0)
		return;
	expect_x(&d, "xchg-scope-broadened", HC_NARROWING,
	    "issued token scope \"admin\" is not in the subject token's scope");
	expect_x(&d, "xchg-scp-broadened", HC_NARROWING,
	    "issued token scp \"admin\"");
	expect_x(&d, "xchg-scope-subject-has-none", HC_NARROWING,
	    "\"payments:read\"");
	expect_x(&d, "xchg-scope-prefix-is-not-scope", HC_NARROWING,
	    "\"payments\" is not");
	expect_x(&d, "xchg-aud-two-values", HC_NARROWING,
	    "issued aud [\"https://payments.internal\", "
	    "\"https://billing.internal\"] is not only the requested audience "
	    "\"https://payments.internal\"");
	expect_x(&d, "xchg-aud-other", HC_NARROWING,
	    "\"https://billing.internal\"");
	expect_x(&d, "xchg-aud-missing", HC_NARROWING, "has no aud");
	expect_x(&d, "xchg-aud-repeated", HC_NARROWING, "not only");
	expect_x(&d, "xchg-exp-later", HC_NARROWING,
	    "issued exp 1767226500 is later than the subject's exp 1767226200");
	expect_x(&d, "xchg-issued-expired", HC_EXPIRED, "exp 1767225599");
	expect_x(&d, "xchg-issued-expires-now", HC_EXPIRED, NULL);
	expect_x(&d, "xchg-issued-no-exp", HC_CLAIM, "issued token: required claim exp is missing");
	expect_x(&d, "xchg-sub-differs", HC_NARROWING,
	    "issued sub \"user:bob\" differs from the subject token's sub "
	    "\"user:alice\"");
	expect_x(&d, "xchg-iss-differs", HC_NARROWING, "issued iss");
	expect_x(&d, "xchg-impersonation", HC_NARROWING, "has no act");
	dv_close(&d);
}

static void
test_exchange_act(void)
{
	dv d;

	if (dv_open(&d) != 0)
		return;
	expect_x(&d, "xchg-act-sub-not-self", HC_NARROWING,
	    "issued act.sub \"" ORDERS "\" is not self \"" GATEWAY "\"");
	expect_x(&d, "xchg-splice-drop-prior", HC_NARROWING,
	    "issued act drops prior actor \"" FRONTEND "\"");
	expect_x(&d, "xchg-splice-insert-prior", HC_NARROWING,
	    "issued act inserts prior actor \"" ORDERS "\" at depth 2, above "
	    "\"" FRONTEND "\"");
	expect_x(&d, "xchg-splice-insert-at-end", HC_NARROWING,
	    "issued act inserts prior actor \"" ORDERS "\" at depth 3");
	expect_x(&d, "xchg-splice-reorder", HC_NARROWING,
	    "issued act reorders prior actors: \"" FRONTEND "\" now comes "
	    "before \"" ORDERS "\" (depths 2 and 3)");
	expect_x(&d, "xchg-splice-alter-sub", HC_NARROWING,
	    "issued act at depth 2 names "
	    "\"spiffe://example.org/ns/prod/sa/mallory\" where the subject "
	    "token's chain has \"" FRONTEND "\" (a prior actor altered)");
	expect_x(&d, "xchg-splice-alter-iss", HC_NARROWING,
	    "(iss \"https://as.example.com\")");
	expect_x(&d, "xchg-splice-drop-iss", HC_NARROWING,
	    "(iss \"https://original-issuer.example.net\")");
	expect_x(&d, "xchg-splice-add-iss", HC_NARROWING, "altered");
	expect_x(&d, "xchg-splice-first-hop-invents-prior", HC_NARROWING,
	    "inserts prior actor \"" FRONTEND "\" at depth 2");
	expect_x(&d, "xchg-act-string", HC_CHAIN, "not an object");
	expect_x(&d, "xchg-act-prior-not-object", HC_CHAIN, "depth 2");
	expect_x(&d, "xchg-subject-act-malformed", HC_CHAIN,
	    "subject token act at depth 1");
	expect_x(&d, "xchg-chain-over-hard-limit", HC_CHAIN, "hard limit");
	dv_close(&d);
}

static void
test_exchange_verification(void)
{
	dv d;

	if (dv_open(&d) != 0)
		return;
	expect_x(&d, "xchg-issued-bad-signature", HC_SIGNATURE, "issued token:");
	expect_x(&d, "xchg-issued-not-jws", HC_MALFORMED, "issued token:");
	expect_x(&d, "xchg-subject-unknown-issuer", HC_ISSUER,
	    "subject token:");
	expect_x(&d, "xchg-issued-scope-wrong-type", HC_MALFORMED, "scope");
	dv_close(&d);
}

/* Misuse by the caller is HC_INTERNAL, never a verdict on a token. */
static void
test_exchange_api(void)
{
	const cJSON *c;
	const char *s, *i;
	char *detail = NULL;
	dv d;

	if (dv_open(&d) != 0)
		return;
	c = dv_find(&d, "exchange_cases", "xchg-ok-second-hop");
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	s = cJSON_GetObjectItemCaseSensitive(c, "subject_token")->valuestring;
	i = cJSON_GetObjectItemCaseSensitive(c, "issued_token")->valuestring;

	HC_ASSERT_STATUS(hc_check_exchange(NULL, s, strlen(s), i, strlen(i),
	    "https://payments.internal", GATEWAY, 1767225600, &detail),
	    HC_INTERNAL);
	CU_ASSERT(detail != NULL && strstr(detail, "needs a validator") != NULL);
	hc_string_free(detail);
	HC_ASSERT_STATUS(hc_check_exchange(d.v, s, strlen(s), i, strlen(i),
	    NULL, GATEWAY, 1767225600, NULL), HC_INTERNAL);
	HC_ASSERT_STATUS(hc_check_exchange(d.v, s, strlen(s), i, strlen(i),
	    "https://payments.internal", "", 1767225600, NULL), HC_INTERNAL);
	HC_ASSERT_STATUS(hc_check_exchange(d.v, NULL, 0, i, strlen(i),
	    "https://payments.internal", GATEWAY, 1767225600, NULL),
	    HC_INTERNAL);
	/* A NULL detail pointer is allowed; the verdict is the same. */
	HC_ASSERT_STATUS(hc_check_exchange(d.v, s, strlen(s), i, strlen(i),
	    "https://payments.internal", GATEWAY, 1767225600, NULL), HC_OK);
	/* The tokens swapped: the issued one is now the broader input. */
	HC_ASSERT_STATUS(hc_check_exchange(d.v, i, strlen(i), s, strlen(s),
	    "https://payments.internal", GATEWAY, 1767225600, NULL),
	    HC_NARROWING);
	/*
	 * The length is honoured: one byte short, the signature segment has
	 * a length no base64url text has (RFC 4648 section 5).
	 */
	HC_ASSERT_STATUS(hc_check_exchange(d.v, s, strlen(s), i, strlen(i) - 1,
	    "https://payments.internal", GATEWAY, 1767225600, NULL),
	    HC_MALFORMED);
	/* A clock of 0 is the system clock (the issued exp is 1767225900). */
	HC_ASSERT_STATUS(hc_check_exchange(d.v, s, strlen(s), i, strlen(i),
	    "https://payments.internal", GATEWAY, 0, NULL),
	    time(NULL) >= 1767225900 ? HC_EXPIRED : HC_OK);
	dv_close(&d);
}

/* ------------------------------------------------------------ act parser */

#define ACTOR_FMT "spiffe://example.org/a%zu"

/*
 * The JSON text of an `act` value of n levels, level i with sub
 * ACTOR_FMT(i); when tail is not NULL, level n carries it as its own `act`
 * (so the chain has a level n + 1 as written there).  Heap; the caller
 * frees it.
 */
static char *
nest(size_t n, const char *tail)
{
	size_t cap = 64 * (n + 1) + (tail ? strlen(tail) : 0), o = 0;
	char *buf = malloc(cap);

	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	for (size_t i = 1; i <= n; i++) {
		o += (size_t)snprintf(buf + o, cap - o, "{\"sub\":\"" ACTOR_FMT
		    "\"%s", i, i < n || tail != NULL ? ",\"act\":" : "");
	}
	if (tail != NULL)
		o += (size_t)snprintf(buf + o, cap - o, "%s", tail);
	for (size_t i = 0; i < n; i++)
		buf[o++] = '}';
	buf[o] = '\0';
	return buf;
}

/*
 * Parses the act value `text` and reads it as a chain; asserts the status,
 * the count of well-formed levels and, when want_detail is not NULL, the
 * exact detail.
 */
static void
parse_case(const char *text, hc_status want, size_t want_n,
    const char *want_detail)
{
	hc_json *act = NULL;
	hc_detail d = { "" };
	hc_act_chain ch;
	char name[sizeof(ACTOR_FMT) + 24];
	/* Chains made by nest() name their levels by ACTOR_FMT. */
	bool nested = strncmp(text, "{\"sub\":\"spiffe:", 15) == 0;

	HC_ASSERT_STATUS(hc_json_parse(text, strlen(text), &act, &d), HC_OK);
	CU_ASSERT_PTR_NOT_NULL_FATAL(act);
	HC_ASSERT_STATUS(hc_act_chain_read(act, &ch), want);
	CU_ASSERT_EQUAL(ch.status, want);
	CU_ASSERT_EQUAL(ch.n, want_n);
	CU_ASSERT((want == HC_OK) == (ch.next == NULL));
	if (want_detail != NULL && strcmp(ch.detail.text, want_detail) != 0) {
		fprintf(stderr, "\n  detail \"%s\", want \"%s\"\n",
		    ch.detail.text, want_detail);
		CU_FAIL("detail differs");
	}
	/* The levels read are those of the text, current actor first. */
	for (size_t i = 0; nested && i < ch.n; i++) {
		(void)snprintf(name, sizeof(name), ACTOR_FMT, i + 1);
		CU_ASSERT_STRING_EQUAL(ch.level[i].sub, name);
	}
	hc_json_free(act);
}

static void
test_parse_levels(void)
{
	hc_act_chain ch;

	/* No act: an empty chain, no fault. */
	HC_ASSERT_STATUS(hc_act_chain_read(NULL, &ch), HC_OK);
	CU_ASSERT(ch.n == 0 && ch.next == NULL);

	parse_case("{\"sub\":\"a\"}", HC_OK, 1, NULL);
	/* iss is kept; non-identity members are ignored (RFC 8693 4.1). */
	parse_case("{\"sub\":\"a\",\"iss\":\"https://as\",\"exp\":1,"
	    "\"aud\":5,\"scope\":[]}", HC_OK, 1, NULL);

	/* Non-object act, at depth 1 and deeper. */
	parse_case("\"a\"", HC_CHAIN, 0, "act at depth 1 is a string, not an "
	    "object (RFC 8693 section 4.1)");
	parse_case("null", HC_CHAIN, 0, "act at depth 1 is a null, not an "
	    "object (RFC 8693 section 4.1)");
	parse_case("[{\"sub\":\"a\"}]", HC_CHAIN, 0, "act at depth 1 is a "
	    "array, not an object (RFC 8693 section 4.1)");
	parse_case("{\"sub\":\"a\",\"act\":{\"sub\":\"b\",\"act\":7}}",
	    HC_CHAIN, 2, "act at depth 3 is a number, not an object (RFC 8693 "
	    "section 4.1)");

	/* sub: required, a string, not empty. */
	parse_case("{}", HC_CHAIN, 0, "act at depth 1 has no non-empty string "
	    "sub");
	parse_case("{\"iss\":\"https://as\"}", HC_CHAIN, 0, "act at depth 1 "
	    "has no non-empty string sub");
	parse_case("{\"sub\":5}", HC_CHAIN, 0, "act at depth 1 has no "
	    "non-empty string sub");
	parse_case("{\"sub\":[\"a\"]}", HC_CHAIN, 0, "act at depth 1 has no "
	    "non-empty string sub");
	parse_case("{\"sub\":\"\"}", HC_CHAIN, 0, "act at depth 1 has no "
	    "non-empty string sub");
	parse_case("{\"sub\":\"a\",\"act\":{\"sub\":null}}", HC_CHAIN, 1,
	    "act at depth 2 has no non-empty string sub");

	/* iss: optional, but a string when present. */
	parse_case("{\"sub\":\"a\",\"iss\":7}", HC_CHAIN, 0, "act at depth 1 "
	    "has an iss that is a number, not a string");
	parse_case("{\"sub\":\"a\",\"iss\":null}", HC_CHAIN, 0, "act at "
	    "depth 1 has an iss that is a null, not a string");
}

static void
test_parse_depth(void)
{
	char *t;

	/* HC_MAX_ACT_DEPTH levels: the hard limit, accepted. */
	t = nest(HC_MAX_ACT_DEPTH, NULL);
	parse_case(t, HC_OK, HC_MAX_ACT_DEPTH, NULL);
	free(t);
	/* One more: refused, the levels within the limit still read. */
	t = nest(HC_MAX_ACT_DEPTH, "{\"sub\":\"one-too-many\"}");
	parse_case(t, HC_CHAIN, HC_MAX_ACT_DEPTH, "act chain is deeper than "
	    "the hard limit of 16");
	free(t);
	t = nest(HC_MAX_ACT_DEPTH + 3, NULL);
	parse_case(t, HC_CHAIN, HC_MAX_ACT_DEPTH, "act chain is deeper than "
	    "the hard limit of 16");
	free(t);
	/* The structure of a level is judged before its depth. */
	t = nest(HC_MAX_ACT_DEPTH, "\"x\"");
	parse_case(t, HC_CHAIN, HC_MAX_ACT_DEPTH, "act at depth 17 is a "
	    "string, not an object (RFC 8693 section 4.1)");
	free(t);
	t = nest(HC_MAX_ACT_DEPTH, "{\"sub\":1}");
	parse_case(t, HC_CHAIN, HC_MAX_ACT_DEPTH, "act at depth 17 has no "
	    "non-empty string sub");
	free(t);
	/* A fault at the last level within the limit. */
	t = nest(HC_MAX_ACT_DEPTH - 1, "{\"iss\":\"https://as\"}");
	parse_case(t, HC_CHAIN, HC_MAX_ACT_DEPTH - 1, "act at depth 16 has no "
	    "non-empty string sub");
	free(t);
}

/*
 * The validator's side (claims.c): the chain of `payload` read into a
 * hand-built context as hc_validate() reads it.  Asserts the fault layer 3
 * will report (HC_OK: none), its detail, and the actors the result keeps.
 */
static void
claims_case(const char *payload, bool svid, hc_status want,
    const char *want_detail, size_t want_actors)
{
	hc_issuer_policy ipol;
	hc_policy pol;
	hc_result res;
	hc_json *claims = NULL;
	hc_detail d = { "" };
	hc_ctx c;

	memset(&ipol, 0, sizeof(ipol));
	memset(&pol, 0, sizeof(pol));
	memset(&res, 0, sizeof(res));
	memset(&c, 0, sizeof(c));
	if (!svid)
		ipol.issuer = "https://sts.example.org";
	HC_ASSERT_STATUS(hc_json_parse(payload, strlen(payload), &claims, &d),
	    HC_OK);
	CU_ASSERT_PTR_NOT_NULL_FATAL(claims);
	c.pol = &pol;
	c.ipol = &ipol;
	c.payload = claims;
	c.res = &res;
	HC_ASSERT_STATUS(hc_claims_fill_result(&c), HC_OK);
	HC_ASSERT_STATUS(c.chain_status, want);
	if (want_detail != NULL &&
	    strcmp(c.chain_detail.text, want_detail) != 0) {
		fprintf(stderr, "\n  detail \"%s\", want \"%s\"\n",
		    c.chain_detail.text, want_detail);
		CU_FAIL("detail differs");
	}
	CU_ASSERT_EQUAL(res.nactors, want_actors);
	free(res.actors);           /* the names are borrowed from claims */
	free(res.scope_buf);
	hc_json_free(claims);
}

static void
test_parse_claims_caller(void)
{
	char *t, *p;
	size_t n;
	dv d;
	hc_result *res;

	claims_case("{\"sub\":\"u\"}", false, HC_OK, NULL, 0);
	claims_case("{\"sub\":\"u\",\"act\":{\"sub\":\"a\",\"act\":{\"sub\":"
	    "\"b\"}}}", false, HC_OK, NULL, 2);
	claims_case("{\"sub\":\"u\",\"act\":\"a\"}", false, HC_CHAIN,
	    "act at depth 1 is a string, not an object (RFC 8693 section "
	    "4.1)", 0);
	/* The levels before a fault stay in the result. */
	claims_case("{\"sub\":\"u\",\"act\":{\"sub\":\"a\",\"act\":{\"sub\":"
	    "\"b\",\"act\":{\"sub\":true}}}}", false, HC_CHAIN,
	    "act at depth 3 has no non-empty string sub", 2);
	/* A JWT-SVID carries no delegation, whatever its act looks like. */
	claims_case("{\"sub\":\"u\",\"act\":{\"sub\":\"a\"}}", true, HC_CHAIN,
	    "a JWT-SVID carries act; delegation is granted by issuers, not by "
	    "trust domains", 0);

	/* At the hard limit, and one over (structure, then depth). */
	t = nest(HC_MAX_ACT_DEPTH, NULL);
	n = strlen(t) + 32;
	p = malloc(n);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	(void)snprintf(p, n, "{\"sub\":\"u\",\"act\":%s}", t);
	claims_case(p, false, HC_OK, NULL, HC_MAX_ACT_DEPTH);
	free(t);
	free(p);
	t = nest(HC_MAX_ACT_DEPTH, "{\"sub\":\"x\"}");
	n = strlen(t) + 32;
	p = malloc(n);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	(void)snprintf(p, n, "{\"sub\":\"u\",\"act\":%s}", t);
	claims_case(p, false, HC_CHAIN, "act chain is deeper than the hard "
	    "limit of 16", HC_MAX_ACT_DEPTH);
	free(t);
	free(p);
	t = nest(HC_MAX_ACT_DEPTH, "[]");
	n = strlen(t) + 32;
	p = malloc(n);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	(void)snprintf(p, n, "{\"sub\":\"u\",\"act\":%s}", t);
	claims_case(p, false, HC_CHAIN, "act at depth 17 is a array, not an "
	    "object (RFC 8693 section 4.1)", HC_MAX_ACT_DEPTH);
	free(t);
	free(p);

	/* Through hc_validate(): the detail, and the actors read before it. */
	if (dv_open(&d) != 0)
		return;
	res = check_case(&d, "cases", "act-nested-not-object", HC_CHAIN,
	    "act at depth 2 is a array, not an object (RFC 8693 section 4.1)",
	    NULL);
	CU_ASSERT_EQUAL(hc_result_actor_count(res), 1);
	CU_ASSERT_STRING_EQUAL(hc_result_actor(res, 0), ORDERS);
	hc_result_free(res);
	expect(&d, "cases", "act-string", HC_CHAIN, "act at depth 1 is a "
	    "string, not an object (RFC 8693 section 4.1)");
	expect(&d, "cases", "act-no-sub", HC_CHAIN, "act at depth 1 has no "
	    "non-empty string sub");
	dv_close(&d);
}

/*
 * The exchange side (exchange.c): the same faults, naming the token that
 * has them; the subject's chain may be one level shorter than the hard
 * limit, since self goes in front of it.
 */
static void
test_parse_exchange_caller(void)
{
	dv d;

	if (dv_open(&d) != 0)
		return;
	expect_x(&d, "xchg-act-string", HC_CHAIN, "issued token act at depth "
	    "1 is a string, not an object (RFC 8693 section 4.1)");
	expect_x(&d, "xchg-act-prior-not-object", HC_CHAIN, "issued token act "
	    "at depth 2 is a string, not an object (RFC 8693 section 4.1)");
	expect_x(&d, "xchg-subject-act-malformed", HC_CHAIN, "subject token "
	    "act at depth 1 has no non-empty string sub");
	expect_x(&d, "xchg-chain-at-hard-limit", HC_OK, "accepted");
	expect_x(&d, "xchg-chain-over-hard-limit", HC_CHAIN, "issued token act "
	    "chain is deeper than the hard limit of 16");
	dv_close(&d);
}

static const hc_test vector_tests[] = {
	{ "every case of delegation.json", test_all_cases },
	{ NULL, NULL }
};

static const hc_test policy_tests[] = {
	{ "direct_callers: client, mapping, patterns", test_direct_callers },
	{ "direct_callers: the peer's SPIFFE ID first", test_direct_peer },
	{ "direct_callers: an invalid peer identity is refused",
	    test_direct_peer_invalid },
	{ "direct_callers and delegation absent or empty",
	    test_direct_callers_config },
	{ "current actor: delegate, subject, scopes", test_current_actor },
	{ "several entries for one actor are not combined",
	    test_several_entries },
	{ "prior actors: RFC 8693 and path_policy", test_path_policy },
	{ "act structure; non-identity claims ignored", test_act_structure },
	{ NULL, NULL }
};

static const hc_test exchange_tests[] = {
	{ "narrower tokens accepted", test_exchange_accepted },
	{ "RFC 8693 appendix A.2 and may_act", test_exchange_rfc8693_a2 },
	{ "iss, sub, aud, scope, exp", test_exchange_broadening },
	{ "act: self in front, prior actors untouched", test_exchange_act },
	{ "tokens that do not verify", test_exchange_verification },
	{ "arguments", test_exchange_api },
	{ NULL, NULL }
};

static const hc_test parser_tests[] = {
	{ "levels: object, sub, iss", test_parse_levels },
	{ "depth: the hard limit and one over", test_parse_depth },
	{ "caller: the validator (claims.c)", test_parse_claims_caller },
	{ "caller: hc_check_exchange (exchange.c)",
	    test_parse_exchange_caller },
	{ NULL, NULL }
};

static const hc_suite suites[] = {
	{ "act parser (chain.c)", parser_tests },
	{ "delegation vectors", vector_tests },
	{ "delegation policy (hc_validate)", policy_tests },
	{ "hc_check_exchange", exchange_tests },
	{ NULL, NULL }
};

int
main(void)
{
	return hc_test_main(suites);
}
