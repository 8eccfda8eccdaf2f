/*
 * fuzz_token.c - libFuzzer target: the whole pipeline on arbitrary token
 * bytes, against a fixed configuration with one issuer of each key type
 * and a route with scopes, a tenant rule and delegation.  Any crash, leak,
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
    "  \"routes\": [ { \"method\": \"GET\", \"path\": \"/v1/*\","
    "    \"scopes\": [\"read\"], \"tenant_claim\": \"tenant\" } ] }";

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
	hc_result *res = NULL;
	hc_status st;
	char *json;

	st = hc_validate(validator, (const char *)data, size, request, &res);
	if (res == NULL || hc_result_status(res) != st)
		abort();
	json = hc_result_to_json(res);
	hc_string_free(json);
	hc_string_free(hc_result_claim_json(res, "act"));
	hc_result_free(res);
	return 0;
}
