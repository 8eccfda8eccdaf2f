/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_keys.c - key operations as an operator sees them: the details a
 * key lookup failure gives, the keys a set skips and why, the key events
 * of the log hook, and the key report (hc_validator_keys_json()).
 *
 * Lookup happens before the signature is checked, so the tokens of the
 * lookup cases carry a signature of the right shape that verifies with
 * nothing: they never get past the key.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "testutil.h"

/* --------------------------------------------------------------- helpers */

/* base64url of a string, into a static buffer of `which` (0 or 1). */
static const char *
b64(const char *s, int which)
{
	static char out[2][2048];

	hc_b64url_encode((const unsigned char *)s, strlen(s), out[which]);
	return out[which];
}

/*
 * A compact JWS of the given header and payload JSON with an ES256-sized
 * signature that verifies with no key (heap; free()).
 */
static char *
unsigned_token(const char *header, const char *payload)
{
	unsigned char sig[64];
	char s[128];
	char *tok;
	size_t n;

	memset(sig, 0x5a, sizeof(sig));
	hc_b64url_encode(sig, sizeof(sig), s);
	n = strlen(header) * 2 + strlen(payload) * 2 + sizeof(s) + 8;
	tok = malloc(n);
	CU_ASSERT_PTR_NOT_NULL_FATAL(tok);
	(void)snprintf(tok, n, "%s.%s.%s", b64(header, 0), b64(payload, 1), s);
	return tok;
}

/* Validates `tok` at the vector clock and returns the result (free it). */
static hc_result *
validate(const hc_validator *v, const char *tok)
{
	hc_request *req = hc_request_new();
	hc_result *res = NULL;

	CU_ASSERT_PTR_NOT_NULL_FATAL(req);
	hc_request_set_time(req, 1767225600);
	(void)hc_validate(v, tok, strlen(tok), req, &res);
	hc_request_free(req);
	CU_ASSERT_PTR_NOT_NULL_FATAL(res);
	return res;
}

/* ------------------------------------------------ 1. lookup diagnostics */

#define SVID_SUB "\"sub\":\"spiffe://example.org/ns/a/sa/b\"," \
	"\"aud\":\"spiffe://example.org/ns/prod/sa/payments\"," \
	"\"exp\":1767225900"

/*
 * A token of an unconfigured iss whose sub routes it to a trust domain's
 * bundle: the detail names the bundle and says the iss is not an issuer,
 * so that an operator who expected an issuer's token sees why it went to
 * a bundle.
 */
static void
test_svid_route_detail(void)
{
	hc_vec vec;
	hc_result *res;
	char *tok;

	if (hc_vec_open(&vec, "testvectors/jwt_svid.json") != 0)
		return;
	tok = unsigned_token("{\"alg\":\"ES256\",\"kid\":\"x\"}",
	    "{\"iss\":\"https://other\"," SVID_SUB "}");
	res = validate(vec.v, tok);
	HC_ASSERT_RESULT(res, HC_KEY);
	CU_ASSERT_STRING_EQUAL(hc_result_detail(res), "no key has kid \"x\" "
	    "in the bundle of trust domain example.org (2 keys); iss "
	    "\"https://other\" is not a configured issuer");
	hc_result_free(res);
	free(tok);

	/* A plain JWT-SVID (no iss) gets the bundle named, nothing more. */
	tok = unsigned_token("{\"alg\":\"ES256\",\"kid\":\"x\"}",
	    "{" SVID_SUB "}");
	res = validate(vec.v, tok);
	HC_ASSERT_RESULT(res, HC_KEY);
	CU_ASSERT_STRING_EQUAL(hc_result_detail(res), "no key has kid \"x\" "
	    "in the bundle of trust domain example.org (2 keys)");
	hc_result_free(res);
	free(tok);
	hc_vec_close(&vec);
}

/* ------------------------------------------- 2. events and the report */

static char events[4096];

static void
rec_log(void *arg, int level, const char *event, const char *json_fields)
{
	size_t used = strlen(events);

	(void)arg;
	(void)snprintf(events + used, sizeof(events) - used, "%d %s %s\n",
	    level, event, json_fields);
}

/*
 * Sets loaded from files at construction are reported when the hook is
 * set, skipped keys included; the report lists every source.
 */
static void
test_file_sets_reported(void)
{
	hc_vec vec;
	char *report;

	if (hc_vec_open(&vec, "testvectors/jwt_svid.json") != 0)
		return;
	events[0] = '\0';
	hc_validator_set_logger(vec.v, rec_log, NULL);
	CU_ASSERT(strstr(events, "2 keys.loaded {\"source\":"
	    "\"spiffe://example.org\",\"origin\":\"bundle_file\"") != NULL);
	CU_ASSERT(strstr(events, "1 keys.skipped {\"index\":") != NULL);
	CU_ASSERT(strstr(events, "\"kid\":\"org-x509\",\"reason\":\"use "
	    "\\\"x509-svid\\\"\",\"source\":\"spiffe://example.org\"}") != NULL);
	if (strstr(events, "org-x509") == NULL)
		fprintf(stderr, "\n%s\n", events);

	report = hc_validator_keys_json(vec.v);
	CU_ASSERT_PTR_NOT_NULL_FATAL(report);
	CU_ASSERT(strstr(report, "\"trust_domain\":\t\"example.org\"") != NULL);
	CU_ASSERT(strstr(report, "\"trust_domain\":\t\"other.org\"") != NULL);
	CU_ASSERT(strstr(report, "\"kid\":\t\"org-x509\"") != NULL);
	CU_ASSERT(strstr(report, "\"kty\":\t\"EC\"") != NULL);
	CU_ASSERT(strstr(report, "\"crv\":\t\"P-256\"") != NULL);
	CU_ASSERT(strstr(report, "\"next_refresh\":\tnull") != NULL);
	/* Key material never: no coordinate or modulus member. */
	CU_ASSERT(strstr(report, "\"x\":") == NULL);
	CU_ASSERT(strstr(report, "\"n\":") == NULL);
	hc_string_free(report);

	/* Removing the hook stops the events. */
	hc_validator_set_logger(vec.v, NULL, NULL);
	events[0] = '\0';
	hc_validator_set_logger(vec.v, NULL, NULL);
	CU_ASSERT_STRING_EQUAL(events, "");
	CU_ASSERT_PTR_NULL(hc_validator_keys_json(NULL));
	hc_vec_close(&vec);
}

/* ------------------------------------------------ 3. exchange details */

/* Runs exchange case `name` and checks its status and a detail fragment. */
static void
exchange_case(const hc_vec *vec, const char *name, hc_status want,
    const char *frag)
{
	const struct cJSON *c = hc_vec_find(vec, "exchange_cases", name);
	char detail[1024];

	if (c == NULL)
		return;
	HC_ASSERT_STATUS(hc_vec_run(vec, c, detail, sizeof(detail)), want);
	if (strstr(detail, frag) == NULL)
		fprintf(stderr, "\n%s: %s\n", name, detail);
	CU_ASSERT(strstr(detail, frag) != NULL);
}

/* A bound token returned as bearer, and a changed tenant, say so. */
static void
test_exchange_details(void)
{
	hc_vec vec;

	if (hc_vec_open(&vec, "testvectors/exchange_tenant_binding.json") != 0)
		return;
	exchange_case(&vec, "xchg-bound-to-bearer", HC_NARROWING,
	    "the subject token is bound to certificate x5t#S256 "
	    "\"bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2\" and the issued "
	    "token is a bearer token");
	exchange_case(&vec, "xchg-bound-other-cert", HC_NARROWING,
	    "issued cnf.x5t#S256 \"Qm9ndXMtY2VydGlmaWNhdGUtdGh1bWJwcmludC0wMDE\" "
	    "differs from the subject token's");
	exchange_case(&vec, "xchg-tenant-changed", HC_NARROWING,
	    "tenant claim \"tenant\" of the issued token is \"globex\", the "
	    "subject token's is \"acme\": an exchange may not change the "
	    "tenant");
	exchange_case(&vec, "xchg-tenant-type-changed", HC_NARROWING,
	    "is [\"acme\"], the subject token's is \"acme\"");
	exchange_case(&vec, "xchg-tenant-dropped", HC_NARROWING,
	    "of the issued token is absent");
	hc_vec_close(&vec);
}

/* ----------------------------------------------------------------- main */

static const hc_test exchange_tests[] = {
	{ "tenant and binding details", test_exchange_details },
	{ NULL, NULL }
};

static const hc_test report_tests[] = {
	{ "file sets reported when the hook is set", test_file_sets_reported },
	{ NULL, NULL }
};

static const hc_test lookup_tests[] = {
	{ "SVID route: the bundle and the iss are named",
	    test_svid_route_detail },
	{ NULL, NULL }
};

static const hc_suite suites[] = {
	{ "key lookup details", lookup_tests },
	{ "key events and report", report_tests },
	{ "exchange: tenant and binding", exchange_tests },
	{ NULL, NULL }
};

int
main(void)
{
	return hc_test_main(suites);
}
