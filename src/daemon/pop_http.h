/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pop_http.h - DPoP (RFC 9449) and WIMSE (draft-ietf-wimse-workload-creds-03,
 * draft-ietf-wimse-wpt-02) in hopcheckd (pop_http.c): the Authorization
 * schemes, the DPoP, Workload-Identity-Token and Workload-Proof-Token
 * headers, and the answers to their refusals.
 *
 * Important caveats
 *  - Each header must come once; two fields are refused here, a comma
 *    inside one by the library.
 *  - The htu of a proof and the aud of a WPT are compared by the library
 *    with service.origins and the original target the proxy passes
 *    (X-Original-URI, or /v1/authz/PATH): never with Host or
 *    X-Forwarded-Host.
 */
#ifndef HCD_POP_HTTP_H
#define HCD_POP_HTTP_H

#include <stdbool.h>

#include "endpoints.h"

/*
 * The credentials of an Authorization value: scheme Bearer (any case, one
 * space, a b64token, RFC 6750 section 2.1) or DPoP (any case, one or more
 * spaces, a token68, RFC 9449 section 7.1).  Returns 1 with the token in
 * *tok (borrowed) and its scheme, 0 for another scheme (no credentials),
 * -1 for a malformed value of either scheme.
 */
int hcd_auth_token(const char *h, const char **tok, size_t *len,
    hc_auth_scheme *scheme);

/*
 * Reads the DPoP, Workload-Identity-Token and Workload-Proof-Token headers
 * into `req` (OWS removed).  Returns false when they are usable; true when
 * it has answered the request itself in *rs: a DPoP proof with a Bearer
 * token (400 invalid_request, RFC 9449 section 7.2), two DPoP fields (401
 * invalid_dpop_proof), two WIT or WPT fields (403 with problem details).
 * *st and d then hold the status and the reason.
 */
bool hcd_pop_read(const hcd_request *rq, hc_request *req, bool bearer,
    hcd_response *rs, hc_status *st, hc_detail *d);

/*
 * Answers a verdict that is about DPoP or WIMSE: a refusal of the WIT or
 * WPT is 403 with problem details (no challenge exists for them); any
 * refusal of a DPoP request is 401 (403 for scope, tenant, policy) with
 * `WWW-Authenticate: DPoP error=..., algs=...`: invalid_dpop_proof for
 * the proof, use_dpop_nonce with a DPoP-Nonce header, invalid_token for
 * the access token and its binding, insufficient_scope.  Returns true when
 * it answered; false leaves the verdict to the Bearer rules.
 */
bool hcd_pop_answer(const hc_validator *v, hcd_response *rs,
    const hc_result *res, bool dpop_scheme);

/* On 200: X-Hopcheck-Workload and X-Hopcheck-Dpop-Jkt, when set. */
void hcd_pop_headers(hcd_response *rs, const hc_result *res);

/*
 * The challenges of a request that carried no credential at all (RFC 6750
 * section 3.1, RFC 9449 section 7.1): `Bearer` unless dpop.mode is
 * required, and `DPoP algs="..."` when DPoP is on, each as its own
 * WWW-Authenticate field.
 */
void hcd_pop_no_credentials(const hc_validator *v, hcd_response *rs);

#endif /* HCD_POP_HTTP_H */
