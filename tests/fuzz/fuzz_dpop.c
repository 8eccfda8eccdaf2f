/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_dpop.c - libFuzzer target: a DPoP proof (RFC 9449) through
 * hc_dpop_verify() with server nonces on, the htu normaliser and the RFC
 * 7638 thumbprint of whatever JSON the input is.  Every input must come
 * back with a status; a normal form must normalise to itself.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dpop.h"
#include "pop.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char origin[] = "https://api.example.com";
static char *origins[] = { origin };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static hc_policy p;
	const char *s = (const char *)data;
	hc_dpop_request rq;
	hc_dpop_result res;
	hc_detail d = { "" };
	char *n = NULL, *n2 = NULL;
	char jkt[HC_JKT_LEN + 1];
	hc_json *j = NULL;

	p.origins.v = origins;
	p.origins.n = 1;
	p.clock_skew_s = 30;
	p.dpop.alg_mask = HC_ALG_BIT(HC_ALG_ES256) | HC_ALG_BIT(HC_ALG_RS256) |
	    HC_ALG_BIT(HC_ALG_PS256) | HC_ALG_BIT(HC_ALG_EDDSA);
	p.dpop.max_age_s = 60;
	p.dpop.has_nonce = size > 0 && (data[0] & 1) != 0;
	memset(p.dpop.nonce_secret, 0x5a, sizeof(p.dpop.nonce_secret));

	memset(&rq, 0, sizeof(rq));
	rq.proof = s;
	rq.proof_len = size;
	rq.method = "GET";
	rq.path = "/v1/things";
	rq.access_token = "token";
	rq.access_token_len = 5;
	rq.cnf_jkt = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I";
	rq.now = 1767225600;
	(void)hc_dpop_verify(&p, &rq, &res, &d);
	hc_dpop_result_clear(&res);

	if (hc_pop_uri_normalize(s, size, "htu", &n, &d) == HC_OK) {
		if (hc_pop_uri_normalize(n, strlen(n), "htu", &n2, &d) !=
		    HC_OK || strcmp(n, n2) != 0)
			abort();
	}
	free(n);
	free(n2);
	if (hc_json_parse(s, size, &j, &d) == HC_OK)
		(void)hc_jwk_thumbprint(j, jkt, &d);
	hc_json_free(j);
	return 0;
}
