/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_config.c - libFuzzer target: the configuration loader on arbitrary
 * bytes (JSON with comments, the v1 schema).  Key files named by an input
 * resolve under tests/fuzz/data, so a valid input may load real keys.
 */
#include <stdint.h>
#include <stdlib.h>

#include "hopcheck.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	hc_validator *v = NULL;
	char *errors = NULL;
	hc_status st;

	st = hc_validator_new_from_json((const char *)data, size,
	    "tests/fuzz/data", &v, &errors);
	if ((st == HC_OK) != (v != NULL))
		abort();
	hc_validator_free(v);
	hc_string_free(errors);
	return 0;
}
