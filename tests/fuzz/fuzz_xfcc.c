/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_xfcc.c - libFuzzer target: the x-forwarded-client-cert parser on
 * arbitrary bytes, through the public hc_request_set_xfcc().  The value
 * comes from the front proxy, but a client can smuggle elements, quotes
 * and escapes into it, so every input must come back with one of the
 * statuses the contract names, and the same input must get the same
 * status again (the parser keeps no state between calls).
 */
#include <stdint.h>
#include <stdlib.h>

#include "hopcheck.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	hc_request *req = hc_request_new();
	hc_status st, again;

	if (req == NULL)
		abort();
	st = hc_request_set_xfcc(req, (const char *)data, size);
	if (st != HC_OK && st != HC_MALFORMED && st != HC_BINDING &&
	    st != HC_PEER && st != HC_INTERNAL)
		abort();
	/* Set again over whatever the first call left: same verdict. */
	again = hc_request_set_xfcc(req, (const char *)data, size);
	if (again != st && st != HC_INTERNAL && again != HC_INTERNAL)
		abort();
	hc_request_free(req);
	return 0;
}
