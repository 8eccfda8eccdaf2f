/* SPDX-License-Identifier: Apache-2.0 */
/*
 * txn_http.c - the Txn-Token header in hopcheckd: one field
 * (draft-ietf-oauth-transaction-tokens-10 section 12.1, an unstructured
 * field whose value "MUST be exactly one Txn-Token"), handed to the
 * library byte for byte after its OWS is removed, and the 403 with a
 * problem-details body (RFC 9457) that answers a Txn-Token refusal.  The
 * token itself is never logged (section 15.2); the log carries its txn.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "txn_http.h"

hc_status
hcd_txn_read(const hcd_request *rq, hc_request *req, bool *present,
    hc_detail *d)
{
	size_t n = 0, len;
	const char *v = rq->header(rq->ctx, "txn-token", &n);
	hc_status st;

	*present = false;
	if (n == 0 || v == NULL)
		return HC_OK;
	*present = true;
	if (n > 1)
		return hc_fail(d, HC_MALFORMED, "%zu Txn-Token header fields; "
		    "exactly one is allowed (txn-tokens-10 section 12.1)", n);
	while (*v == ' ' || *v == '\t')
		v++;
	len = strlen(v);
	while (len > 0 && (v[len - 1] == ' ' || v[len - 1] == '\t'))
		len--;
	if ((st = hc_request_set_txn_token(req, v, len)) != HC_OK)
		return hc_fail(d, st, "the Txn-Token header is empty or over "
		    "its size limit");
	return HC_OK;
}

void
hcd_txn_refuse(hcd_response *rs, hc_status st)
{
	hcd_buf b = { 0 };

	rs->code = 403;
	/* A type per stable status name: the title says which. */
	hcd_buf_printf(&b, "{\"type\":\"urn:hopcheck:status:%s\",\"title\":",
	    hc_status_name(st));
	hcd_buf_json_string(&b, hc_status_name(st));
	hcd_buf_puts(&b, ",\"status\":403}\n");
	rs->content_type = "application/problem+json";
	free(rs->body);
	rs->body = hcd_buf_take(&b, &rs->body_len);
}
