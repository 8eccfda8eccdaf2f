/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_daemon_body.c - libFuzzer target: the body of hopcheckd's
 * POST /v1/validate, parsed as ep_validate() does (hc_json_parse(), then
 * hcd_validate_read() of src/daemon/endpoints.c) on arbitrary bytes.  A
 * body it accepts must satisfy the contract of endpoints.h: a method and a
 * path together or neither, whole seconds in range (token and txn_token
 * are optional: no token is no access token); a body it refuses must say
 * why.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "endpoints.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hcd_validate_in in;
	hc_detail d = { "" };
	hc_json *body = NULL;

	memset(&in, 0, sizeof(in));
	if (hc_json_parse((const char *)data, size, &body, &d) != HC_OK) {
		if (body != NULL || d.text[0] == '\0')
			abort();
		return 0;
	}
	if (hcd_validate_read(body, &in, &d) == 0) {
		if ((in.method == NULL) != (in.path == NULL))
			abort();
		if (in.has_now && (in.now < 0 || in.now > HC_MAX_NUMERIC_DATE))
			abort();
	} else if (d.text[0] == '\0')
		abort();
	hc_json_free(body);
	return 0;
}
