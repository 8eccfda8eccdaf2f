/* SPDX-License-Identifier: Apache-2.0 */
/*
 * regress_dpop.c - stealing a DPoP-bound access token, and the proofs
 * that come with it.
 *
 * The story: a DPoP-bound access token (RFC 9449) is useless without the
 * private key it names in cnf.jkt, so whoever steals one also wants a
 * proof.  The attacker has seen real proofs (logs, a compromised proxy,
 * a TLS-terminating middlebox) and holds keys of their own:
 *
 *  - the captured proof is sent again, as is, inside its iat window: the
 *    jti was already spent (replay, section 11.1), while the same jti
 *    under another key or another URI is a different proof;
 *  - a proof made for another request is used here: another URL (the AS
 *    token endpoint, another resource), another method, another host
 *    given in X-Forwarded-Host: htm and htu are compared with this
 *    request and the configured origins only (audience, section 4.3);
 *  - the token is sent with a proof the attacker signs with their own
 *    key: the proof verifies, but cnf.jkt names another key (binding,
 *    section 7.1); or with a proof made for another token (ath);
 *  - the proof carries the client's private key in its jwk, a mistake of
 *    careless clients that an attacker who found such a proof could
 *    exploit; or names its key by kid/jku/x5c so that the server fetches
 *    it: refused (key, section 4.2), never fetched;
 *  - an access token, or another JWT, is presented as the proof (type).
 *
 * The proofs are in testvectors/dpop.json, made by
 * tools/vectors/gen_pop_vectors.py with python3-jwcrypto.  Each record
 * names one case, the status it must get, a fragment of the detail that
 * shows the right thing was caught, and why.  The replay records run in
 * order: the first spends, the second is refused.
 */
#include <stdio.h>
#include <string.h>

#include "pop_vec.h"

static pv vec;

static const hc_regress_record records[] = {
	{ "replay_first_ok", HC_OK, NULL,
	    "a fresh proof is accepted and its (jkt, htu, jti) spent" },
	{ "replay_second_replay", HC_OK, NULL,
	    "the same proof again: verifies, and its spend is refused "
	    "(replay; the case's spend says so)" },
	{ "replay_same_jti_other_key_ok", HC_OK, NULL,
	    "the same jti under another key is another proof" },
	{ "rfc9449_token_request_ok", HC_OK, NULL,
	    "RFC 9449 token-request proof at its own iat" },
	{ "rfc9449_token_request_replayed", HC_OK, NULL,
	    "the RFC proof a second time is refused at the spend" },
	{ "rfc9449_refresh_same_jti_later_ok", HC_OK, NULL,
	    "the refresh proof shares the jti 2680 s later: its record "
	    "expired at iat + max_age + skew" },
	{ "rfc9449_token_proof_at_resource_audience", HC_AUDIENCE, "htm",
	    "a proof for the token endpoint is not one for this resource" },
	{ "htu_as_token_endpoint_audience", HC_AUDIENCE, "htu",
	    "a proof made for another URL" },
	{ "htu_forwarded_host_audience", HC_AUDIENCE, "api.example.com",
	    "the host comes from service.origins, never X-Forwarded-Host" },
	{ "htm_post_on_get_audience", HC_AUDIENCE, "htm",
	    "a proof made for another method" },
	{ "htu_trailing_slash_audience", HC_AUDIENCE, "htu",
	    "no trailing-slash folding: another resource" },
	{ "other_key_binding", HC_BINDING, "cnf.jkt",
	    "a valid proof signed by the attacker's key: the token names "
	    "another key" },
	{ "ath_other_token_binding", HC_BINDING, "ath",
	    "a proof made for another access token" },
	{ "ath_over_scheme_binding", HC_BINDING, "ath",
	    "ath covers the token alone, not \"DPoP <token>\"" },
	{ "token_without_jkt_binding", HC_BINDING, "cnf.jkt",
	    "an unbound token with a proof is not bound by it" },
	{ "jkt_padded_binding", HC_BINDING, "canonical",
	    "a thumbprint has one spelling" },
	{ "jwk_private_d_key", HC_KEY, "\"d\"",
	    "a jwk carrying the private key is refused" },
	{ "jwk_rsa_p_q_key", HC_KEY, "\"p\"",
	    "RSA private members are refused" },
	{ "no_jwk_jku_key", HC_KEY, "jwk",
	    "a key named by URL is never fetched" },
	{ "no_jwk_kid_key", HC_KEY, "jwk", "a key named by kid is not looked up" },
	{ "typ_at_jwt_type", HC_TYPE, "at+jwt",
	    "an access token presented as a proof" },
	{ "alg_none_alg", HC_ALG, "none", "an unsigned proof" },
	{ "ecdsa_zero_signature", HC_SIGNATURE, "signature",
	    "r = s = 0 (CVE-2022-21449)" },
	{ "two_proofs_comma_malformed", HC_MALFORMED, "comma",
	    "two DPoP fields joined by a proxy" },
	{ "baseline_es256_ok", HC_OK, NULL, "the honest request passes" },
	{ NULL, HC_OK, NULL, NULL }
};

static void
test_records(void)
{
	char detail[HC_DETAIL_MAX] = "";

	CU_ASSERT_EQUAL_FATAL(pv_open(&vec, "testvectors/dpop.json"), 0);
	for (const hc_regress_record *r = records; r->name != NULL; r++) {
		const cJSON *c = pv_find(&vec, "proof_cases", r->name);
		hc_status got = HC_INTERNAL, fw;

		if (c == NULL) {
			fprintf(stderr, "\n  no case %s\n", r->name);
			CU_FAIL("attack case missing from dpop.json");
			continue;
		}
		CU_ASSERT(hc_status_from_name(pv_str(c, "expect"), &fw) == 0 &&
		    fw == r->want);
		if (!pv_run_dpop(&vec, c, &got, detail, sizeof(detail)))
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
	{ "proof replay, another URL, another key, embedded key",
	    test_records },
	{ NULL, NULL }
};

static const hc_suite suites[] = {
	{ "regress_dpop", tests },
	{ NULL, NULL }
};

int
main(void)
{
	return hc_test_main(suites);
}
