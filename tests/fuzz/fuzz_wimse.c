/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_wimse.c - libFuzzer target: a WIMSE WIT and WPT (the input split
 * at its first newline) through hc_wimse_verify(), and the Workload
 * Identifier grammar on the whole input.  An accepted identifier's trust
 * domain must lie inside it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wimse.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char origin[] = "https://api.example.com";
static char *origins[] = { origin };
static char tdname[] = "example.org";
static char keys[] = "tests/fuzz/data/keys.json";
static char other[] = "x-custom";
static hc_wimse_td_policy td;
static hc_policy p;
static hc_wimse *w;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	hc_detail d = { "" };

	(void)argc;
	(void)argv;
	p.origins.v = origins;
	p.origins.n = 1;
	p.clock_skew_s = 30;
	td.trust_domain = tdname;
	td.keysrc = HC_WIMSE_KEYS_JWKS_FILE;
	td.key_location = keys;
	td.alg_mask = HC_ALG_BIT(HC_ALG_ES256) | HC_ALG_BIT(HC_ALG_RS256);
	p.wimse.tds = &td;
	p.wimse.ntds = 1;
	p.wimse.max_wit_lifetime_s = 86400;
	p.wimse.max_wpt_ttl_s = 300;
	if (hc_wimse_new(&p, &w, &d) != HC_OK)
		abort();    /* the harness itself is broken */
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data, *nl, *tdp;
	hc_wimse_other o = { other, "value", 1 };
	hc_wimse_request rq;
	hc_wimse_result res;
	hc_detail d = { "" };
	size_t tdlen;

	memset(&rq, 0, sizeof(rq));
	nl = memchr(s, '\n', size);
	rq.wit = s;
	rq.wit_len = nl != NULL ? (size_t)(nl - s) : size;
	if (nl != NULL) {
		rq.wpt = nl + 1;
		rq.wpt_len = size - rq.wit_len - 1;
	}
	rq.path = "/v1/things";
	rq.access_token = "token";
	rq.access_token_len = 5;
	rq.others = &o;
	rq.nothers = 1;
	rq.now = 1767225600;
	(void)hc_wimse_verify(w, &rq, &res, &d);
	hc_wimse_result_clear(&res);

	if (hc_wid_check(s, size, &tdp, &tdlen, &d) == HC_OK &&
	    (tdp < s || tdp + tdlen > s + size || tdlen == 0))
		abort();
	return 0;
}
