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

/* ----------------------------------------------------------------- main */

static const hc_test lookup_tests[] = {
	{ "SVID route: the bundle and the iss are named",
	    test_svid_route_detail },
	{ NULL, NULL }
};

static const hc_suite suites[] = {
	{ "key lookup details", lookup_tests },
	{ NULL, NULL }
};

int
main(void)
{
	return hc_test_main(suites);
}
