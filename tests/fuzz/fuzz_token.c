/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_token.c - libFuzzer target: the whole pipeline on arbitrary token
 * bytes, against a fixed configuration with one issuer of each key type,
 * a route with scopes, a tenant rule and delegation, and txn_tokens.  An
 * input with a newline is two credentials: the access token before it
 * (none when empty) and the Txn-Token after it, on a route that requires
 * both, or the Txn-Token alone, and spends its txn.  Any crash, leak,
 * hang or sanitizer report is a bug; every input must come back with a
 * status.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hopcheck.h"

static hc_validator *validator;
static hc_request *request;

static const char config[] =
    "{ \"service\": { \"audiences\": [\"https://api.example.com\"] },"
    "  \"issuers\": [ { \"issuer\": \"https://issuer.example.com\","
    "    \"jwks_file\": \"keys.json\","
    "    \"algorithms\": [\"ES256\", \"RS256\", \"PS256\", \"ES384\"],"
    "    \"token_types\": [\"at+jwt\", \"none\"] } ],"
    "  \"delegation\": { \"max_depth\": 4, \"actors\": [ { \"actor\": \"*\","
    "    \"subjects\": [\"*\"], \"scopes\": [\"read\"] } ] },"
    "  \"txn_tokens\": { \"trust_domain\": \"td.example\","
    "    \"jwks_file\": \"keys.json\", \"algorithms\": [\"ES256\", \"RS256\"],"
    "    \"issuers\": [\"https://tts.example\"] },"
    "  \"routes\": [ { \"method\": \"GET\", \"path\": \"/v1/*\","
    "    \"scopes\": [\"read\"], \"tenant_claim\": \"tenant\" },"
    "    { \"method\": \"GET\", \"path\": \"/txn/*\","
    "      \"credentials\": [\"access_token\", \"txn_token\"],"
    "      \"scopes\": [\"read\"], \"one_time_use\": true,"
    "      \"txn_single_use\": true },"
    "    { \"method\": \"GET\", \"path\": \"/only/*\","
    "      \"credentials\": [\"txn_token\"], \"txn_single_use\": true } ] }";

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char *errors = NULL;

	(void)argc;
	(void)argv;
	if (hc_validator_new_from_json(config, sizeof(config) - 1,
	    "tests/fuzz/data", &validator, &errors) != HC_OK)
		abort();    /* the harness itself is broken */
	request = hc_request_new();
	hc_request_set_time(request, 1767225600);
	if (hc_request_set_route(request, "GET", "/v1/items") != HC_OK ||
	    hc_request_set_tenant(request, "acme") != HC_OK)
		abort();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	hc_request *req = request;
	const char *tok = (const char *)data;
	size_t len = size;
	hc_result *res = NULL;
	hc_status st;
	char *json;

	if (nl != NULL) {
		len = (size_t)(nl - data);
		if ((req = hc_request_new()) == NULL)
			return 0;
		hc_request_set_time(req, 1767225600);
		if (hc_request_set_route(req, "GET", len > 0 ? "/txn/a" :
		    "/only/a") != HC_OK)
			abort();
		/* An empty Txn-Token is the setter's to refuse. */
		(void)hc_request_set_txn_token(req, (const char *)nl + 1,
		    size - len - 1);
		if (len == 0)
			tok = NULL;
	}
	st = hc_validate(validator, tok, len, req, &res);
	if (res == NULL || hc_result_status(res) != st)
		abort();
	json = hc_result_to_json(res);
	hc_string_free(json);
	hc_string_free(hc_result_claim_json(res, "act"));
	hc_string_free(hc_result_txn_claim_json(res, "tctx"));
	hc_result_free(res);
	if (req != request)
		hc_request_free(req);
	return 0;
}
