/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_spiffe.c - libFuzzer target: the SPIFFE ID grammar.  An accepted ID
 * must split into a trust domain and a path that re-join to the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hopcheck.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *td = NULL, *path = NULL, *detail = NULL;

	if (hc_spiffe_id_parse((const char *)data, size, &td, &path,
	    &detail) == HC_OK) {
		size_t tl = strlen(td), pl = strlen(path);
		if (size != 9 + tl + pl || memcmp(data, "spiffe://", 9) != 0 ||
		    memcmp(data + 9, td, tl) != 0 ||
		    memcmp(data + 9 + tl, path, pl) != 0)
			abort();
	}
	hc_string_free(td);
	hc_string_free(path);
	hc_string_free(detail);
	return 0;
}
