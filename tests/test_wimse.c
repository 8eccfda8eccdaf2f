/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_wimse.c - WIMSE WIT + WPT against wimse.c: the vectors of
 * testvectors/wimse.json (the official example pair of
 * draft-ietf-wimse-workload-creds-03 section 5.1 and
 * draft-ietf-wimse-wpt-02 section 2, and one case per attack, made by
 * tools/vectors/gen_pop_vectors.py with jwcrypto), the Workload
 * Identifier grammar, and the example on a backend without EdDSA.
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
		CU_ASSERT_EQUAL_FATAL(pv_open(&vec, "testvectors/wimse.json"),
		    0);
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

static void
test_wimse_cases(void)
{
	const cJSON *c;
	char detail[HC_DETAIL_MAX];
	hc_status got;
	size_t bad = 0;

	need_vec();
	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(vec.doc,
	    "wimse_cases"))
		if (!pv_run_wimse(&vec, c, &got, detail, sizeof(detail)))
			bad++;
	CU_ASSERT_EQUAL(bad, 0);
	CU_ASSERT(vec.run > 60);
	if (vec.skipped > 0)
		printf("\n  wimse.json: %zu cases skipped (need EdDSA, %s)\n",
		    vec.skipped, hc_crypto_backend_name());
}

/*
 * The example WIT is ES256 and verifies everywhere; its cnf.jwk is
 * Ed25519, so on a backend without EdDSA the pair is refused as alg,
 * naming the backend, and never accepted.
 */
static void
test_example_without_eddsa(void)
{
	const cJSON *c;
	const pv_policy *pp;
	hc_wimse_request rq;
	hc_wimse_result res;
	hc_detail d = { "" };

	need_vec();
	c = pv_find(&vec, "wimse_cases", "example_ok");
	pp = pv_policy_of(&vec, "example");
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	memset(&rq, 0, sizeof(rq));
	rq.wit = pv_str(c, "wit");
	rq.wit_len = strlen(rq.wit);
	rq.wpt = pv_str(c, "wpt");
	rq.wpt_len = strlen(rq.wpt);
	rq.path = "/path";
	rq.access_token = pv_str(c, "token");
	rq.access_token_len = strlen(rq.access_token);
	rq.now = 1745509900;
	if (pv_has_eddsa()) {
		HC_ASSERT_STATUS(hc_wimse_verify(pp->w, &rq, &res, &d), HC_OK);
		CU_ASSERT_STRING_EQUAL(res.sub,
		    "wimse://example.com/specific-workload");
		CU_ASSERT_STRING_EQUAL(res.wit_jti, "x-_1CTL2cca3CSE4cwb_l");
		CU_ASSERT_STRING_EQUAL(res.wpt_jti, "__bwc4ESC3acc2LTC1-_x");
		CU_ASSERT_STRING_EQUAL(res.record.ns, "wpt");
		CU_ASSERT_EQUAL(res.record.expires, 1745510016 + 30);
		CU_ASSERT_PTR_NULL(res.credential);
	} else {
		HC_ASSERT_STATUS(hc_wimse_verify(pp->w, &rq, &res, &d), HC_ALG);
		CU_ASSERT_PTR_NOT_NULL(strstr(d.text, "OpenSSL"));
		CU_ASSERT_STRING_EQUAL(res.credential, "wit");
	}
	hc_wimse_result_clear(&res);
	hc_wimse_result_clear(NULL);
}

/* draft-ietf-wimse-identifier section 4.1; SPIFFE IDs the strict subset. */
static void
test_wid_grammar(void)
{
	static const struct {
		const char *id;
		const char *td;          /* NULL: refused */
	} t[] = {
		{ "wimse://example.com/specific-workload", "example.com" },
		{ "wimse://example.com", "example.com" },
		{ "spiffe://example.org/ns/prod/sa/x", "example.org" },
		{ "https://td.example/a%2Fb/~c", "td.example" },
		{ "urn+x://t_d/a:b@c", "t_d" },
		{ "wimse://example.com:8443/w", NULL },
		{ "wimse://u@example.com/w", NULL },
		{ "wimse://example.com/w?x", NULL },
		{ "wimse://example.com/w#f", NULL },
		{ "wimse:/w", NULL },
		{ "example.com/w", NULL },
		{ "WIMSE://example.com/w", NULL },
		{ "wimse://Example.com/w", NULL },
		{ "wimse:///w", NULL },
		{ "wimse://[::1]/w", NULL },
		{ "wimse://example.com/a b", NULL },
		{ "wimse://example.com/%4", NULL },
		{ "spiffe://example.org/a//b", NULL },
		{ "spiffe://example.org/a%41", NULL },
		{ "", NULL },
	};
	char big[HC_MAX_WID_BYTES + 2];
	const char *td;
	size_t tdlen;
	hc_detail d = { "" };

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		hc_status st = hc_wid_check(t[i].id, strlen(t[i].id), &td,
		    &tdlen, &d);

		if (t[i].td == NULL) {
			if (st != HC_MALFORMED)
				fprintf(stderr, "accepted %s\n", t[i].id);
			HC_ASSERT_STATUS(st, HC_MALFORMED);
			CU_ASSERT_PTR_NULL(td);
			continue;
		}
		if (st != HC_OK)
			fprintf(stderr, "refused %s: %s\n", t[i].id, d.text);
		HC_ASSERT_STATUS(st, HC_OK);
		CU_ASSERT_EQUAL(tdlen, strlen(t[i].td));
		CU_ASSERT_EQUAL(memcmp(td, t[i].td, tdlen), 0);
	}
	memcpy(big, "wimse://a.example/", 18);
	memset(big + 18, 'w', sizeof(big) - 18);
	HC_ASSERT_STATUS(hc_wid_check(big, HC_MAX_WID_BYTES, NULL, NULL, &d),
	    HC_OK);
	HC_ASSERT_STATUS(hc_wid_check(big, HC_MAX_WID_BYTES + 1, NULL, NULL,
	    &d), HC_MALFORMED);
	HC_ASSERT_STATUS(hc_wid_check(big, sizeof(big), NULL, NULL, &d),
	    HC_MALFORMED);
}

/* A trust domain whose key file is missing or empty is refused. */
static void
test_new_refuses_bad_files(void)
{
	hc_policy *p = calloc(1, sizeof(*p));
	hc_wimse_td_policy td;
	hc_wimse *w = NULL;
	hc_detail d = { "" };

	memset(&td, 0, sizeof(td));
	td.trust_domain = (char *)"a.example";
	td.key_location = (char *)"tests/data/no-such-file.json";
	td.alg_mask = HC_ALG_BIT(HC_ALG_ES256);
	p->wimse.tds = &td;
	p->wimse.ntds = 1;
	HC_ASSERT_STATUS(hc_wimse_new(p, &w, &d), HC_CONFIG);
	CU_ASSERT_PTR_NULL(w);
	CU_ASSERT_PTR_NOT_NULL(strstr(d.text, "a.example"));
	hc_wimse_free(NULL);
	free(p);
}

/*
 * Verifies case spiffe_sub_ok (a WIT-SVID signed by kid "s-1" of trust
 * domain s.example) with the policy "default", the keys of s.example taken
 * from a SPIFFE bundle file whose entries s-1 and svid-1 have the uses
 * given.  Returns the status; the detail in d.
 */
static hc_status
verify_with_bundle(const char *use_s1, const char *use_svid1, hc_detail *d)
{
	static const char *const s_keys[2][4] = {
		{ "s-1", "D-uPYm72mAY0BvH5_-ARC7hHYeHtEKbTQY-6EcWcbaQ",
		    "BjTQwdnSVf6E-WUbDVqfuQWK2tIkEUk8tKpjkBCr5jA", NULL },
		{ "svid-1", "G8A5IzxyqZFoGNg77JneKmH3WWwwXlV8-6-_YOjyaqk",
		    "8vpNQeCHgAioF2bz1WrbjQWOu0jpaMJMg5RYm0bmh3s", NULL },
	};
	const char *uses[2] = { use_s1, use_svid1 };
	const pv_policy *pp;
	const cJSON *c;
	hc_policy pol;
	hc_wimse_td_policy tds[3];
	hc_wimse *w = NULL;
	hc_wimse_request rq;
	hc_wimse_result res;
	char path[300];
	hc_status st;
	FILE *f;

	need_vec();
	pp = pv_policy_of(&vec, "default");
	c = pv_find(&vec, "wimse_cases", "spiffe_sub_ok");
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_EQUAL_FATAL(pp->p->wimse.ntds, 3);
	(void)snprintf(path, sizeof(path), "%s/s.bundle.json", vec.dir);
	f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs("{\"spiffe_sequence\":1,\"keys\":[", f);
	for (size_t i = 0; i < 2; i++)
		fprintf(f, "%s{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":"
		    "\"%s\",\"x\":\"%s\",\"y\":\"%s\",\"use\":\"%s\"}",
		    i > 0 ? "," : "", s_keys[i][0], s_keys[i][1], s_keys[i][2],
		    uses[i]);
	fputs("]}", f);
	fclose(f);
	pol = *pp->p;
	memcpy(tds, pp->p->wimse.tds, sizeof(tds));
	CU_ASSERT_STRING_EQUAL_FATAL(tds[2].trust_domain, "s.example");
	tds[2].keysrc = HC_WIMSE_KEYS_BUNDLE_FILE;
	tds[2].key_location = path;
	pol.wimse.tds = tds;
	st = hc_wimse_new(&pol, &w, d);
	if (st != HC_OK)
		return st;
	memset(&rq, 0, sizeof(rq));
	rq.wit = pv_str(c, "wit");
	rq.wit_len = strlen(rq.wit);
	rq.wpt = pv_str(c, "wpt");
	rq.wpt_len = strlen(rq.wpt);
	rq.path = pv_str(c, "path");
	rq.access_token = pv_str(c, "token");
	rq.access_token_len = strlen(rq.access_token);
	rq.now = 1767225600;
	st = hc_wimse_verify(w, &rq, &res, d);
	if (st == HC_OK)
		CU_ASSERT_STRING_EQUAL(res.sub,
		    "spiffe://s.example/ns/prod/sa/orders");
	hc_wimse_result_clear(&res);
	hc_wimse_free(w);
	return st;
}

/*
 * bundle_file: the entries with use "wit-svid" sign WITs; a "jwt-svid"
 * entry of the same bundle does not, nor does a bundle without any.
 */
static void
test_bundle_file_wit_svid(void)
{
	hc_detail d = { "" };

	HC_ASSERT_STATUS(verify_with_bundle("wit-svid", "jwt-svid", &d),
	    HC_OK);
	HC_ASSERT_STATUS(verify_with_bundle("jwt-svid", "wit-svid", &d),
	    HC_KEY);
	CU_ASSERT_PTR_NOT_NULL(strstr(d.text, "use \"jwt-svid\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(d.text, "s-1"));
	/* No wit-svid key at all: refused when built, naming the domain. */
	HC_ASSERT_STATUS(verify_with_bundle("jwt-svid", "jwt-svid", &d),
	    HC_KEY);
	CU_ASSERT_PTR_NOT_NULL(strstr(d.text, "s.example"));
	CU_ASSERT_PTR_NOT_NULL(strstr(d.text, "wit-svid"));
	/* A JWKS-style "sig" entry is no bundle key either. */
	HC_ASSERT_STATUS(verify_with_bundle("sig", "wit-svid", &d), HC_KEY);
}

static const hc_test tests[] = {
	{ "wimse.json cases (example pair and attacks)", test_wimse_cases },
	{ "the example pair on this backend", test_example_without_eddsa },
	{ "Workload Identifier grammar", test_wid_grammar },
	{ "unreadable key files", test_new_refuses_bad_files },
	{ "bundle_file: wit-svid keys only", test_bundle_file_wit_svid },
	{ NULL, NULL }
};

static const hc_suite suites[] = {
	{ "wimse", tests },
	{ NULL, NULL }
};

static const hc_hooks hooks[] = {
	{ "wimse", NULL, suite_cleanup },
	{ NULL, NULL, NULL }
};

int
main(void)
{
	return hc_test_main_hooks(suites, hooks);
}
