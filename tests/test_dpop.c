/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_dpop.c - DPoP proofs (RFC 9449) against dpop.c: the vectors of
 * testvectors/dpop.json (the RFC's own proofs and thumbprints byte for
 * byte, and one case per attack, made by tools/vectors/gen_pop_vectors.py
 * with jwcrypto), the RFC 7638 thumbprint, the server nonces, the rules
 * between the Authorization scheme and cnf.jkt, the replay record, and
 * htu normalisation.  Cases that need EdDSA are skipped, never passed, on
 * a backend without it.
 */
#include <stdio.h>
#include <string.h>

#include "pop_vec.h"

static pv vec;
static bool opened;

/* Opened by the first test that needs it (CUnit asserts need a test). */
static void
need_vec(void)
{
	if (!opened) {
		CU_ASSERT_EQUAL_FATAL(pv_open(&vec, "testvectors/dpop.json"), 0);
		opened = true;
	}
}

static int
suite_cleanup(void)
{
	if (opened)
		pv_close(&vec);
	return 0;
}

/* Every proof case, in file order (groups spend in that order). */
static void
test_proof_cases(void)
{
	const cJSON *c;
	char detail[HC_DETAIL_MAX];
	hc_status got;
	size_t bad = 0;

	need_vec();
	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(vec.doc,
	    "proof_cases"))
		if (!pv_run_dpop(&vec, c, &got, detail, sizeof(detail)))
			bad++;
	CU_ASSERT_EQUAL(bad, 0);
	CU_ASSERT(vec.run > 60);
	if (vec.skipped > 0)
		printf("\n  dpop.json: %zu cases skipped (need EdDSA, %s)\n",
		    vec.skipped, hc_crypto_backend_name());
}

/* RFC 9449 section 6.1 and RFC 7638 section 3.1, byte for byte. */
static void
test_thumbprints(void)
{
	const cJSON *c;
	size_t n = 0;

	need_vec();
	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(vec.doc,
	    "thumbprint_cases")) {
		char *s = cJSON_PrintUnformatted(
		    cJSON_GetObjectItemCaseSensitive(c, "jwk"));
		char jkt[HC_JKT_LEN + 1];
		hc_json *j = NULL;
		hc_detail d = { "" };

		CU_ASSERT_EQUAL_FATAL(hc_json_parse(s, strlen(s), &j, &d),
		    HC_OK);
		HC_ASSERT_STATUS(hc_jwk_thumbprint(j, jkt, &d), HC_OK);
		CU_ASSERT_STRING_EQUAL(jkt, pv_str(c, "jkt"));
		hc_json_free(j);
		free(s);
		n++;
	}
	CU_ASSERT(n >= 3);
}

static void
test_thumbprint_refusals(void)
{
	static const char *const bad[] = {
		"{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"a\"}",
		"{\"kty\":\"XX\",\"k\":\"a\"}",
		"{\"crv\":\"P-256\",\"x\":\"a\",\"y\":\"b\"}",
		"{\"kty\":\"RSA\",\"e\":\"AQAB\",\"n\":\"a\\\"b\"}",
		"{\"kty\":\"RSA\",\"e\":1,\"n\":\"ab\"}",
	};
	char jkt[HC_JKT_LEN + 1];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		hc_json *j = NULL;
		hc_detail d = { "" };

		CU_ASSERT_EQUAL_FATAL(hc_json_parse(bad[i], strlen(bad[i]), &j,
		    &d), HC_OK);
		HC_ASSERT_STATUS(hc_jwk_thumbprint(j, jkt, &d), HC_KEY);
		CU_ASSERT_STRING_EQUAL(jkt, "");
		hc_json_free(j);
	}
}

/* RFC 4231 test case 2: the HMAC under the nonces. */
static void
test_hmac_sha256(void)
{
	static const unsigned char want[32] = {
		0x5b, 0xdc, 0xc1, 0x46, 0xbf, 0x60, 0x75, 0x4e, 0x6a, 0x04,
		0x24, 0x26, 0x08, 0x95, 0x75, 0xc7, 0x5a, 0x00, 0x3f, 0x08,
		0x9d, 0x27, 0x39, 0x83, 0x9d, 0xec, 0x58, 0xb9, 0x64, 0xec,
		0x38, 0x43
	};
	unsigned char out[32];

	hc_hmac_sha256((const unsigned char *)"Jefe", 4,
	    (const unsigned char *)"what do ya want for nothing?", 28, out);
	CU_ASSERT_EQUAL(memcmp(out, want, 32), 0);
}

/* Nonces: one per step, this step's and the last accepted. */
static void
test_nonces(void)
{
	hc_dpop_policy dp;
	char a[HC_DPOP_NONCE_LEN + 1], b[HC_DPOP_NONCE_LEN + 1];

	memset(&dp, 0, sizeof(dp));
	CU_ASSERT_FALSE(hc_dpop_nonce(&dp, 1000, a));
	CU_ASSERT_STRING_EQUAL(a, "");
	dp.has_nonce = true;
	memset(dp.nonce_secret, 7, sizeof(dp.nonce_secret));
	CU_ASSERT_TRUE(hc_dpop_nonce(&dp, 1200, a));
	CU_ASSERT_EQUAL(strlen(a), HC_DPOP_NONCE_LEN);
	CU_ASSERT_TRUE(hc_dpop_nonce(&dp, 1259, b));
	CU_ASSERT_STRING_EQUAL(a, b);
	CU_ASSERT_TRUE(hc_dpop_nonce(&dp, 1260, b));
	CU_ASSERT_STRING_NOT_EQUAL(a, b);
	CU_ASSERT_TRUE(hc_dpop_nonce(&dp, -1, b));
	dp.nonce_secret[0] = 8;
	CU_ASSERT_TRUE(hc_dpop_nonce(&dp, 1200, b));
	CU_ASSERT_STRING_NOT_EQUAL(a, b);
}

/* D16 and RFC 9449 sections 7.1 and 7.2. */
static void
test_scheme_rules(void)
{
	hc_detail d = { "" };
	const char *jkt = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I";

	HC_ASSERT_STATUS(hc_dpop_scheme_check(true, true, jkt, &d), HC_OK);
	HC_ASSERT_STATUS(hc_dpop_scheme_check(false, false, NULL, &d), HC_OK);
	HC_ASSERT_STATUS(hc_dpop_scheme_check(false, false, jkt, &d),
	    HC_BINDING);
	CU_ASSERT_PTR_NOT_NULL(strstr(d.text, "bearer"));
	HC_ASSERT_STATUS(hc_dpop_scheme_check(false, true, jkt, &d),
	    HC_BINDING);
	HC_ASSERT_STATUS(hc_dpop_scheme_check(true, false, jkt, &d),
	    HC_BINDING);
	CU_ASSERT_PTR_NOT_NULL(strstr(d.text, "without a DPoP proof"));
	HC_ASSERT_STATUS(hc_dpop_scheme_check(true, true, NULL, &d),
	    HC_BINDING);
	CU_ASSERT_PTR_NOT_NULL(strstr(d.text, "without cnf.jkt"));
}

/* EdDSA proofs on a backend without it: alg, naming the backend. */
static void
test_eddsa_without_backend(void)
{
	const cJSON *c = pv_find(&vec, "proof_cases", "baseline_eddsa_ok");
	const pv_policy *pp = pv_policy_of(&vec, "default");
	hc_dpop_request rq;
	hc_dpop_result res;
	hc_detail d = { "" };

	need_vec();
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	if (pv_has_eddsa())
		return;
	memset(&rq, 0, sizeof(rq));
	rq.proof = pv_str(c, "proof");
	rq.proof_len = strlen(rq.proof);
	rq.method = "GET";
	rq.path = "/v1/things";
	rq.now = (int64_t)cJSON_GetObjectItemCaseSensitive(c,
	    "now")->valuedouble;
	HC_ASSERT_STATUS(hc_dpop_verify(pp->p, &rq, &res, &d), HC_ALG);
	CU_ASSERT_PTR_NOT_NULL(strstr(d.text, "OpenSSL"));
	hc_dpop_result_clear(&res);
}

/* The replay record: keyed by (jkt, htu, jti), kept iat + max_age + skew. */
static void
test_replay_record(void)
{
	const cJSON *c = pv_find(&vec, "proof_cases",
	    "rfc9449_resource_request_ok");
	const pv_policy *pp = pv_policy_of(&vec, "rfc");
	hc_dpop_request rq;
	hc_dpop_result res;
	hc_detail d = { "" };

	need_vec();
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	memset(&rq, 0, sizeof(rq));
	rq.proof = pv_str(c, "proof");
	rq.proof_len = strlen(rq.proof);
	rq.method = "GET";
	rq.path = "/protectedresource?x=1";
	rq.access_token = pv_str(c, "token");
	rq.access_token_len = strlen(rq.access_token);
	rq.cnf_jkt = pv_str(c, "cnf_jkt");
	rq.now = 1562262620;
	HC_ASSERT_STATUS(hc_dpop_verify(pp->p, &rq, &res, &d), HC_OK);
	CU_ASSERT_STRING_EQUAL(res.record.ns, "dpop");
	CU_ASSERT_EQUAL(res.record.klen, 32);
	CU_ASSERT_EQUAL(res.record.expires, 1562262618 + 60 + 30);
	CU_ASSERT_EQUAL(res.record.max_ttl, 60 + 2 * 30);
	CU_ASSERT_STRING_EQUAL(res.jti, "e1j3V_bKic8-LAEB");
	CU_ASSERT_STRING_EQUAL(res.htu,
	    "https://resource.example.org/protectedresource");
	CU_ASSERT_EQUAL(res.iat, 1562262618);
	hc_dpop_result_clear(&res);
	hc_dpop_result_clear(NULL);
	HC_ASSERT_STATUS(hc_replay_spend_record(NULL, &res.record, 1, &d),
	    HC_INTERNAL);
}

/* htu and aud normal forms (RFC 3986 sections 6.2.2, 6.2.3, 5.2.4). */
static void
test_uri_normalize(void)
{
	static const struct {
		const char *in, *out;
	} ok[] = {
		{ "HTTPS://Api.Example.COM:443/a", "https://api.example.com/a" },
		{ "https://h", "https://h/" },
		{ "https://h:/a", "https://h/a" },
		{ "https://h:0443/a", "https://h/a" },
		{ "https://h:8443/a", "https://h:8443/a" },
		{ "http://h:80/a", "http://h/a" },
		{ "https://h/a/./b/../c", "https://h/a/c" },
		{ "https://h/../a", "https://h/a" },
		{ "https://h/a/..", "https://h/" },
		{ "https://h/%7e%41%2f%2a", "https://h/~A%2F%2A" },
		{ "https://h/a?x#y", "https://h/a" },
		{ "https://h/a/", "https://h/a/" },
		{ "https://[::1]:8443/a", "https://[::1]:8443/a" },
	};
	static const char *const bad[] = {
		"/a", "https:/a", "https://", "https://u@h/a", "https://h:x/a",
		"https://h:70000/a", "https://h/%zz", "https://h/a b",
		"https://h/a\\b", "https://h%41/a", "https://[::1/a",
		"1https://h/", "https://h/<",
	};
	char *out;
	hc_detail d = { "" };

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		HC_ASSERT_STATUS(hc_pop_uri_normalize(ok[i].in,
		    strlen(ok[i].in), "htu", &out, &d), HC_OK);
		if (out != NULL)
			CU_ASSERT_STRING_EQUAL(out, ok[i].out);
		free(out);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		HC_ASSERT_STATUS(hc_pop_uri_normalize(bad[i], strlen(bad[i]),
		    "htu", &out, &d), HC_AUDIENCE);
		CU_ASSERT_PTR_NULL(out);
	}
	/* Found by fuzz_dpop: the input is len bytes, no NUL after them. */
	{
		const char nonul[3] = { 'a', 'b', 'c' };

		HC_ASSERT_STATUS(hc_pop_uri_normalize(nonul, sizeof(nonul),
		    "htu", &out, &d), HC_AUDIENCE);
		CU_ASSERT_PTR_NOT_NULL(strstr(d.text, "\"abc\""));
		HC_ASSERT_STATUS(hc_pop_uri_normalize(nonul, 0, "htu", &out,
		    &d), HC_AUDIENCE);
	}
}

static void
test_origins(void)
{
	static const char *const ok[] = {
		"https://a.example", "https://a.example:8443", "HTTPS://A.example/",
		"http://127.0.0.1:8080", "http://localhost", "http://[::1]:9",
	};
	static const char *const bad[] = {
		"http://a.example", "https://a.example/p", "https://a.example?q",
		"ftp://a.example", "https://u@a.example", "a.example",
		"http://127.1", "https://a.example#f",
	};
	char *out;
	hc_detail d = { "" };

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		CU_ASSERT_TRUE(hc_pop_origin_parse(ok[i], &out, &d));
		free(out);
	}
	CU_ASSERT_TRUE(hc_pop_origin_parse("HTTPS://A.example:443/", &out,
	    &d));
	CU_ASSERT_STRING_EQUAL(out, "https://a.example");
	free(out);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CU_ASSERT_FALSE(hc_pop_origin_parse(bad[i], &out, &d));
		CU_ASSERT_PTR_NULL(out);
	}
}

static const hc_test tests[] = {
	{ "dpop.json proof cases (RFC 9449 and attacks)", test_proof_cases },
	{ "RFC 7638 thumbprints (RFC 9449 6.1, RFC 7638 3.1)",
	    test_thumbprints },
	{ "thumbprint refusals", test_thumbprint_refusals },
	{ "HMAC-SHA-256 (RFC 4231 case 2)", test_hmac_sha256 },
	{ "server nonces by time step", test_nonces },
	{ "scheme, proof and cnf.jkt (RFC 9449 7.1, 7.2)", test_scheme_rules },
	{ "EdDSA proof without the backend is alg", test_eddsa_without_backend },
	{ "replay record of a proof", test_replay_record },
	{ "htu normal forms", test_uri_normalize },
	{ "service.origins", test_origins },
	{ NULL, NULL }
};

static const hc_suite suites[] = {
	{ "dpop", tests },
	{ NULL, NULL }
};

static const hc_hooks hooks[] = {
	{ "dpop", NULL, suite_cleanup },
	{ NULL, NULL, NULL }
};

int
main(void)
{
	return hc_test_main_hooks(suites, hooks);
}
