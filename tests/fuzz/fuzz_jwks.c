/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_jwks.c - libFuzzer target: JWKS and SPIFFE bundle parsing on
 * arbitrary bytes.  A set that parses must be usable for a lookup.
 */
#include <stdint.h>
#include <stdlib.h>

#include "crypto.h"
#include "keyset.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	hc_keyset *ks = NULL;
	const hc_key *key;
	hc_detail d;

	if (hc_keyset_parse((const char *)data, size, true, &ks, &d) == HC_OK) {
		(void)hc_keyset_find(ks, "k1", HC_ALG_ES256, &key, &d);
		(void)hc_keyset_find(ks, NULL, HC_ALG_RS256, &key, &d);
		hc_keyset_unref(ks);
	}
	ks = NULL;
	if (hc_bundle_parse((const char *)data, size, "example.org", &ks,
	    &d) == HC_OK) {
		(void)hc_keyset_find(ks, "k1", HC_ALG_ES256, &key, &d);
		hc_keyset_unref(ks);
	}
	return 0;
}
