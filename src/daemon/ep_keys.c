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
	if (strcmp(rq->method, "GET") != 0 && strcmp(rq->method, "HEAD") != 0) {
		rs->code = 405;
		rs->headers[0].name = "Allow";
		rs->headers[0].value = hc_strdup("GET, HEAD");
		rs->nheaders = rs->headers[0].value != NULL ? 1 : 0;
		rs->content_type = "text/plain; charset=utf-8";
		rs->body = hc_strdup("method not allowed\n");
		rs->body_len = rs->body != NULL ? strlen(rs->body) : 0;
		return;
	}
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
