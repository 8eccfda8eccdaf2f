/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ep_keys.c - GET /v1/keys: the key report of the validator in use
 * (hc_validator_keys_json()): every issuer and trust domain, its kids, the
 * keys skipped and why, when the set was loaded, the last refresh error
 * and when the next refresh is due.  No key material is in it; it is an
 * operator's view, served on the same listener as /metrics.
 */
#include <string.h>

#include "endpoints.h"

void
hcd_ep_keys(const hcd_request *rq, hcd_response *rs)
{
	static const char oom[] = "out of memory\n";
	char *text;

	memset(rs, 0, sizeof(*rs));
	if (!hcd_only_get(rq, rs))
		return;
	if ((text = hc_validator_keys_json(rq->v)) == NULL) {
		rs->code = 500;
		rs->content_type = "text/plain; charset=utf-8";
		rs->body = hc_strdup(oom);
		rs->body_len = rs->body != NULL ? sizeof(oom) - 1 : 0;
		return;
	}
	rs->code = 200;
	rs->content_type = "application/json";
	rs->body_len = strlen(text);
	rs->body = hc_strdup(text);     /* the response is freed with free() */
	if (rs->body == NULL) {
		rs->code = 500;
		rs->body_len = 0;
	}
	hc_string_free(text);
}
