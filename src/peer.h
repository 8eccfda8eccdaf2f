/* SPDX-License-Identifier: Apache-2.0 */
/*
 * peer.h - the peer's workload identity (peer.c): the X.509-SVID rules a
 * leaf certificate must meet to stand for a workload, the
 * binding.identities map from OAuth client ids to workloads, and the
 * check that the peer is the party the token names.
 *
 * Important caveats
 *  - A leaf without any URI SAN is an ordinary mTLS client certificate:
 *    it carries no identity (HC_PEER only where binding.peer_identity is
 *    "required"), though it may still satisfy an RFC 8705 binding (cnf.h).
 *  - An identity a front proxy passed (hc_request_set_peer_identity(), or
 *    XFCC without `Cert`) is believed as given: the leaf checks of
 *    X509-SVID section 5.2 need the certificate.
 *  - Comparisons are byte-exact on SPIFFE IDs that passed the grammar of
 *    spiffe.c, which admits one spelling per identity.
 */
#ifndef HC_PEER_H
#define HC_PEER_H

#include "validator.h"

/*
 * binding.peer_identity: the caller's identity (a verified WIT's sub, else
 * the peer's SPIFFE ID) against the current actor
 * (outermost act.sub, RFC 8693 section 4.1) or, for a token without act,
 * against its client (client_id, else sub), mapped through
 * binding.identities when that is not a SPIFFE ID.  "required": the peer
 * must have an identity; "if_present": only a peer that has one is
 * compared.  HC_PEER with a reason.
 */
hc_status hc_peer_check(hc_ctx *c);

/*
 * The peer's SPIFFE ID as the request gives it, or as its leaf
 * certificate carries it, in *out (heap, free()); NULL when the request
 * has no peer or the peer claims no SPIFFE identity.  HC_PEER with a
 * reason when it claims one that is no valid X.509-SVID.
 */
hc_status hc_peer_spiffe_id(const hc_request *req, char **out, hc_detail *d);

/*
 * The workload a party the token names stands for: `id` itself when it is
 * a SPIFFE ID, else the identifier binding.identities maps it to (then
 * *mapped is set, when mapped is not NULL), else `id` itself when it is
 * another Workload Identifier (wid.c), else NULL.  The one copy of
 * the rule, for the peer check and for delegation.direct_callers.
 */
const char *hc_peer_workload(const hc_policy *p, const char *id,
    bool *mapped);

#endif /* HC_PEER_H */
