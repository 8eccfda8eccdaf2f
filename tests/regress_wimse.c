/* SPDX-License-Identifier: Apache-2.0 */
/*
 * regress_wimse.c - impersonating a workload with its WIMSE credentials.
 *
 * The story: a Workload Identity Token (draft-ietf-wimse-workload-creds
 * -03) names a workload and the key it holds (cnf.jwk); it lives for
 * hours and is sent on every call, so it leaks.  A Workload Proof Token
 * (draft-ietf-wimse-wpt-02) signed with that key, for one request and a
 * few minutes, is what makes the WIT worth anything.  An attacker who
 * captured traffic tries:
 *
 *  - the WIT alone, as a bearer token: refused (binding), a WIT MUST NOT
 *    be used as one (workload-creds section 5.1);
 *  - a WPT signed with the attacker's own key, perhaps naming it in the
 *    WPT header (jwk): the key is the WIT's cnf.jwk and only that
 *    (signature);
 *  - a captured WPT with another WIT of the same workload, a stripped or
 *    swapped access token, an added Txn-Token: wth, ath and tth pin the
 *    tokens the WPT was made with (binding);
 *  - an oth member for a header this recipient does not understand,
 *    hoping it passes unchecked: an unknown oth key MUST cause rejection
 *    (binding, wpt-02 section 2.3);
 *  - the same WPT twice (replay, spent per sender: the same jti from
 *    another workload is fine);
 *  - a WIT for another trust domain signed with a key of its own domain
 *    (cross-domain spoofing, workload-creds section 9.1: key), a WIT
 *    presented as the WPT (type).
 *
 * The tokens are in testvectors/wimse.json, made by
 * tools/vectors/gen_pop_vectors.py with python3-jwcrypto.  Each record
 * names one case, its status, a fragment of the detail and why.
 */
#include <stdio.h>
#include <string.h>

#include "pop_vec.h"

static pv vec;

static const hc_regress_record records[] = {
	{ "wit_without_wpt_binding", HC_BINDING, "bearer",
	    "a WIT alone is a bearer token" },
	{ "wpt_other_key_signature", HC_SIGNATURE, "signature",
	    "a WPT signed by another key than cnf.jwk" },
	{ "wpt_header_jwk_ignored_signature", HC_SIGNATURE, "signature",
	    "a jwk in the WPT header is ignored, never used" },
	{ "wth_other_wit_same_key_binding", HC_BINDING, "wth",
	    "a WPT made for another WIT of the same key" },
	{ "ath_token_stripped_binding", HC_BINDING, "ath",
	    "the access token the WPT covers was stripped" },
	{ "ath_other_token_binding", HC_BINDING, "ath",
	    "another access token than the one the WPT covers" },
	{ "tth_missing_binding", HC_BINDING, "tth",
	    "a Txn-Token added without re-signing the WPT" },
	{ "oth_not_understood_binding", HC_BINDING, "not understood",
	    "an unknown oth key MUST cause rejection" },
	{ "oth_repeated_header_binding", HC_BINDING, "more than once",
	    "an oth header sent twice" },
	{ "replay_first_ok", HC_OK, NULL, "a fresh WPT, spent" },
	{ "replay_second_replay", HC_OK, NULL,
	    "the same WPT again: refused at the spend (replay)" },
	{ "replay_same_jti_other_sub_ok", HC_OK, NULL,
	    "the same jti from another workload is another WPT" },
	{ "cross_domain_kid_key", HC_KEY, "kid",
	    "a WIT for b.example signed with a.example's key" },
	{ "cross_domain_no_kid_signature", HC_SIGNATURE, "signature",
	    "without kid, b.example's own key does not verify it" },
	{ "wit_as_wpt_type", HC_TYPE, "wpt+jwt", "a WIT presented as the WPT" },
	{ "dpop_proof_as_wpt_type", HC_TYPE, "wpt+jwt",
	    "a DPoP proof presented as a WPT" },
	{ "aud_forwarded_host_audience", HC_AUDIENCE, "aud",
	    "aud on another host: origins come from configuration" },
	{ "wpt_exp_one_day_lifetime", HC_LIFETIME, "exp",
	    "a WPT that lives a day is a bearer token in disguise" },
	{ "baseline_ok", HC_OK, NULL, "the honest pair passes" },
	{ NULL, HC_OK, NULL, NULL }
};

static void
test_records(void)
{
	char detail[HC_DETAIL_MAX] = "";

	CU_ASSERT_EQUAL_FATAL(pv_open(&vec, "testvectors/wimse.json"), 0);
	for (const hc_regress_record *r = records; r->name != NULL; r++) {
		const cJSON *c = pv_find(&vec, "wimse_cases", r->name);
		hc_status got = HC_INTERNAL, fw;

		if (c == NULL) {
			fprintf(stderr, "\n  no case %s\n", r->name);
			CU_FAIL("attack case missing from wimse.json");
			continue;
		}
		CU_ASSERT(hc_status_from_name(pv_str(c, "expect"), &fw) == 0 &&
		    fw == r->want);
		if (!pv_run_wimse(&vec, c, &got, detail, sizeof(detail)))
			fprintf(stderr, "  why: %s\n", r->why);
		hc_test_assert_status(got, r->want, detail, __FILE__, __LINE__);
		if (r->detail != NULL && strstr(detail, r->detail) == NULL) {
			fprintf(stderr, "\n  case %s: detail \"%s\" lacks \"%s\""
			    " (%s)\n", r->name, detail, r->detail, r->why);
			CU_FAIL("detail does not name what was caught");
		}
	}
	pv_close(&vec);
}

static const hc_test tests[] = {
	{ "WIT without proof, WPT by another key, oth unknown, replay",
	    test_records },
	{ NULL, NULL }
};

static const hc_suite suites[] = {
	{ "regress_wimse", tests },
	{ NULL, NULL }
};

int
main(void)
{
	return hc_test_main(suites);
}
