/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_txn.c - Transaction Tokens (draft-ietf-oauth-transaction-tokens-10)
 * through the public API, beyond what one vector case can say: what the
 * result reports, which credential a refusal names, that a txn is spent
 * once on a txn_single_use route and only by a request that passed
 * everything else (T17), that an access token's jti is spent only after
 * the Txn-Token passed, and the configuration rules of txn_tokens and the
 * route keys.  The tokens are those of testvectors/txn_tokens.json
 * (tools/vectors/gen_txn_vectors.py, python3-jwcrypto).
 */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "testutil.h"

#define TXN_FILE "testvectors/txn_tokens.json"

static hc_vec vf;

static int
suite_init(void)
{
	return hc_vec_open(&vf, TXN_FILE) == 0 ? 0 : -1;
}

static int
suite_cleanup(void)
{
	hc_vec_close(&vf);
	return 0;
}

/* The request of case `name`, the case itself in *c. */
static hc_request *
request_of(const char *name, const cJSON **c)
{
	hc_status st;

	*c = hc_vec_find(&vf, "cases", name);
	CU_ASSERT_FATAL(*c != NULL);
	return hc_vec_request(&vf, *c, &st);
}

/* The string member `m` of the request of case `name`. */
static const char *
request_member(const char *name, const char *m)
{
	const cJSON *c = hc_vec_find(&vf, "cases", name);
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(c, "request"), m);

	CU_ASSERT_FATAL(cJSON_IsString(j));
	return j->valuestring;
}

static const char *
token_of(const char *name)
{
	const cJSON *c = hc_vec_find(&vf, "cases", name);
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(c, "token");

	CU_ASSERT_FATAL(cJSON_IsString(j));
	return j->valuestring;
}

/* Runs case `name` on validator v (its own request); returns the result. */
static hc_result *
run(hc_validator *v, const char *name)
{
	const cJSON *c, *t;
	hc_request *req = request_of(name, &c);
	hc_result *res = NULL;

	CU_ASSERT_FATAL(req != NULL);
	t = cJSON_GetObjectItemCaseSensitive(c, "token");
	(void)hc_validate(v, cJSON_IsString(t) ? t->valuestring : NULL,
	    cJSON_IsString(t) ? strlen(t->valuestring) : 0, req, &res);
	hc_request_free(req);
	return res;
}

static void
test_result_fields(void)
{
	hc_result *res = run(vf.v, "baseline/es256");
	char *tctx, *rctx, *json;
	cJSON *j, *t;

	HC_ASSERT_RESULT(res, HC_OK);
	CU_ASSERT_STRING_EQUAL(hc_result_txn(res),
	    "97053963-771d-49cc-a4e3-20aad399c312");
	CU_ASSERT_STRING_EQUAL(hc_result_txn_subject(res),
	    "d084sdrt234fsaw34tr23t");
	CU_ASSERT_STRING_EQUAL(hc_result_txn_scope(res), "trade.stocks read");
	CU_ASSERT_STRING_EQUAL(hc_result_txn_requesting_workload(res),
	    "apigateway.trust-domain.example");
	CU_ASSERT_PTR_NULL(hc_result_credential(res));
	/* The top level stays the access token's: there is none. */
	CU_ASSERT_PTR_NULL(hc_result_subject(res));
	CU_ASSERT_PTR_NULL(hc_result_scope(res));
	tctx = hc_result_txn_claim_json(res, "tctx");
	rctx = hc_result_txn_claim_json(res, "rctx");
	CU_ASSERT(tctx != NULL && strstr(tctx, "\"ticker\":\"MSFT\"") != NULL);
	CU_ASSERT(rctx != NULL && strstr(rctx, "\"authn\":\"face\"") != NULL);
	json = hc_result_to_json(res);
	CU_ASSERT_FATAL((j = cJSON_Parse(json)) != NULL);
	t = cJSON_GetObjectItemCaseSensitive(j, "txn_token");
	CU_ASSERT(cJSON_IsObject(t));
	CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItemCaseSensitive(t,
	    "req_wl")->valuestring, "apigateway.trust-domain.example");
	CU_ASSERT(cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(t, "tctx")));
	CU_ASSERT_PTR_NULL(cJSON_GetObjectItemCaseSensitive(j, "credential"));
	cJSON_Delete(j);
	hc_string_free(json);
	hc_string_free(tctx);
	hc_string_free(rctx);
	hc_result_free(res);

	/* req_wl with commas comes back unchanged (T10). */
	res = run(vf.v, "t10/req-wl-commas");
	HC_ASSERT_RESULT(res, HC_OK);
	CU_ASSERT_STRING_EQUAL(hc_result_txn_requesting_workload(res),
	    "gw.td.example,svc2.td.example");
	hc_result_free(res);
}

static void
test_credential_named(void)
{
	static const struct {
		const char *name, *credential;
	} want[] = {
		{ "credentials/no-txn-token", "txn_token" },
		{ "credentials/txn-alone-on-access-route", "access_token" },
		{ "credentials/both-bad-access-token", "access_token" },
		{ "credentials/extra-txn-validated", "txn_token" },
		{ "credentials/txn-scope-wins", "txn_token" },
		{ "credentials/workload-no-peer", "peer" },
		{ "credentials/callers-refused", "peer" },
		{ "t16/no-peer", "peer" },
		{ "t05/aud-other-domain", "txn_token" },
		{ "confusion/txn-as-bearer", "access_token" },
	};

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		hc_result *res = run(vf.v, want[i].name);
		const char *got = hc_result_credential(res);

		CU_ASSERT(hc_result_status(res) != HC_OK);
		CU_ASSERT(got != NULL && strcmp(got, want[i].credential) == 0);
		hc_result_free(res);
	}
}

/* T17: the second use of a txn on a txn_single_use route is a replay. */
static void
test_single_use(void)
{
	hc_validator *v = hc_vec_validator(&vf, NULL, NULL);
	const cJSON *c;
	hc_request *req;
	hc_result *res;
	const char *txn = request_member("t17/single-use-first", "txn_token");

	CU_ASSERT_FATAL(v != NULL);
	/* A refused request (no caller) spends nothing. */
	req = request_of("t16/no-peer", &c);
	HC_ASSERT_STATUS(hc_request_set_route(req, "POST", "/txn/once"), HC_OK);
	HC_ASSERT_STATUS(hc_request_set_txn_token(req, txn, strlen(txn)),
	    HC_OK);
	HC_ASSERT_STATUS(hc_validate(v, NULL, 0, req, NULL), HC_PEER);
	hc_request_free(req);

	res = run(v, "t17/single-use-first");
	HC_ASSERT_RESULT(res, HC_OK);
	hc_result_free(res);
	res = run(v, "t17/single-use-first");
	HC_ASSERT_RESULT(res, HC_REPLAY);
	CU_ASSERT_STRING_EQUAL(hc_result_credential(res), "txn_token");
	hc_result_free(res);
	/* A route that is not single-use admits a fan-out. */
	for (int i = 0; i < 2; i++) {
		res = run(v, "baseline/es256");
		HC_ASSERT_RESULT(res, HC_OK);
		hc_result_free(res);
	}
	hc_validator_free(v);
}

/* The jti of the access token is spent only once the Txn-Token passed. */
static void
test_jti_spent_last(void)
{
	cJSON *patch = cJSON_Parse("{\"routes\": [{\"method\": \"GET\", "
	    "\"path\": \"/both\", \"credentials\": [\"access_token\", "
	    "\"txn_token\"], \"one_time_use\": true}]}");
	hc_validator *v = hc_vec_validator(&vf, patch, NULL);
	const char *at = token_of("credentials/both-ok");
	const char *bad = request_member("t07/expired", "txn_token");
	const cJSON *c;
	hc_request *req;

	CU_ASSERT_FATAL(v != NULL);
	req = request_of("credentials/both-ok", &c);
	CU_ASSERT_FATAL(req != NULL);
	HC_ASSERT_STATUS(hc_request_set_txn_token(req, bad, strlen(bad)),
	    HC_OK);
	HC_ASSERT_STATUS(hc_validate(v, at, strlen(at), req, NULL),
	    HC_EXPIRED);
	hc_request_free(req);
	req = request_of("credentials/both-ok", &c);
	HC_ASSERT_STATUS(hc_validate(v, at, strlen(at), req, NULL), HC_OK);
	HC_ASSERT_STATUS(hc_validate(v, at, strlen(at), req, NULL), HC_REPLAY);
	hc_request_free(req);
	hc_validator_free(v);
	cJSON_Delete(patch);
}

static void
test_request_setter(void)
{
	hc_request *req = hc_request_new();

	CU_ASSERT_FATAL(req != NULL);
	HC_ASSERT_STATUS(hc_request_set_txn_token(req, NULL, 0), HC_MALFORMED);
	HC_ASSERT_STATUS(hc_request_set_txn_token(req, "a", 0), HC_MALFORMED);
	HC_ASSERT_STATUS(hc_request_set_txn_token(NULL, "a", 1), HC_INTERNAL);
	HC_ASSERT_STATUS(hc_request_set_txn_token(req, "a.b.c", 5), HC_OK);
	hc_request_free(req);
}

/* A configuration patch that must be refused, naming `fragment`. */
static void
refused(const char *patch_json, const char *fragment)
{
	cJSON *cfg = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(vf.doc,
	    "config"), 1), *patch = cJSON_Parse(patch_json), *m;
	hc_validator *v = NULL;
	char *text, *errors = NULL;

	CU_ASSERT_FATAL(cfg != NULL && patch != NULL);
	cJSON_ArrayForEach(m, patch) {
		cJSON_DeleteItemFromObjectCaseSensitive(cfg, m->string);
		if (!cJSON_IsNull(m))
			cJSON_AddItemToObject(cfg, m->string, cJSON_Duplicate(m, 1));
	}
	text = cJSON_PrintUnformatted(cfg);
	HC_ASSERT_STATUS(hc_validator_new_from_json(text, strlen(text), vf.dir,
	    &v, &errors), HC_CONFIG);
	if (errors == NULL || strstr(errors, fragment) == NULL) {
		fprintf(stderr, "\n  errors \"%s\" lack \"%s\"\n",
		    errors ? errors : "(none)", fragment);
		CU_FAIL("config error does not name the problem");
	}
	hc_string_free(errors);
	hc_validator_free(v);
	free(text);
	cJSON_Delete(cfg);
	cJSON_Delete(patch);
}

static void
test_config_rules(void)
{
	refused("{\"txn_tokens\": null}", "txn_token needs the txn_tokens");
	refused("{\"txn_tokens\": null, \"routes\": [{\"path\": \"/x\", "
	    "\"txn_single_use\": true}]}", "routes[0].txn_single_use");
	refused("{\"routes\": [{\"path\": \"/x\", \"credentials\": "
	    "[\"bearer\"]}]}", "unknown credential");
	refused("{\"routes\": [{\"path\": \"/x\", \"credentials\": []}]}",
	    "routes[0].credentials");
	refused("{\"txn_tokens\": {\"trust_domain\": \"td\", \"jwks_file\": "
	    "\"tts.jwks.json\", \"algorithms\": [\"HS256\"]}}",
	    "shared-secret algorithm");
	refused("{\"txn_tokens\": {\"trust_domain\": \"td\", \"jwks_file\": "
	    "\"tts.jwks.json\", \"algorithms\": [\"ES256\"], "
	    "\"max_lifetime_s\": 3601}}", "txn_tokens.max_lifetime_s");
	refused("{\"txn_tokens\": {\"jwks_file\": \"tts.jwks.json\", "
	    "\"algorithms\": [\"ES256\"]}}", "txn_tokens.trust_domain");
	refused("{\"txn_tokens\": {\"trust_domain\": \"td\", \"algorithms\": "
	    "[\"ES256\"]}}", "key source");
}

static const hc_test tests[] = {
	{ "result: txn, sub, scope, req_wl, tctx, rctx", test_result_fields },
	{ "refusals name their credential", test_credential_named },
	{ "T17: txn_single_use spends once, refusals never",
	    test_single_use },
	{ "the jti is spent after the Txn-Token passed", test_jti_spent_last },
	{ "hc_request_set_txn_token", test_request_setter },
	{ "configuration rules", test_config_rules },
	{ NULL, NULL }
};

static const hc_suite suites[] = {
	{ "txn", tests },
	{ NULL, NULL }
};

int
main(void)
{
	static const hc_hooks hooks[] = {
		{ "txn", suite_init, suite_cleanup },
		{ NULL, NULL, NULL }
	};

	return hc_test_main_hooks(suites, hooks);
}
