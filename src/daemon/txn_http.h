/* SPDX-License-Identifier: Apache-2.0 */
/*
 * txn_http.h - the Txn-Token header in hopcheckd (txn_http.c): reading it
 * into a request, and the answer to a Txn-Token refusal.
 *
 * Important caveats
 *  - The header must come once (draft-ietf-oauth-transaction-tokens-10
 *    section 12.1: "exactly one Txn-Token"); two fields are refused here,
 *    a comma inside one by the library.
 */
#ifndef HCD_TXN_HTTP_H
#define HCD_TXN_HTTP_H

#include "endpoints.h"

/*
 * Sets the request's Txn-Token from the one `Txn-Token` header, its
 * surrounding spaces and tabs (OWS) removed; *present says whether there
 * was one.  HC_MALFORMED with a reason for two fields or an empty or
 * oversize value, HC_INTERNAL when out of memory.
 */
hc_status hcd_txn_read(const hcd_request *rq, hc_request *req,
    bool *present, hc_detail *d);

/*
 * Answers a Txn-Token refusal (or any refusal that must not carry a
 * Bearer challenge): 403 with an RFC 9457 application/problem+json body
 * {type, title (the status name), status}.  No challenge exists for a
 * Txn-Token, and nginx auth_request turns anything but 401 and 403 into
 * a 500.
 */
void hcd_txn_refuse(hcd_response *rs, hc_status st);

#endif /* HCD_TXN_HTTP_H */
