/* SPDX-License-Identifier: Apache-2.0 */
/*
 * credentials.h - the credentials of one request and their order in the
 * pipeline (credentials.c, pop_creds.c): which ones the route requires,
 * each one's own checks, the layer-3 policy, and the replay spends last.
 *
 * Important caveats
 *  - The access token's own checks (layers 1 and 2) run in hc_validate()
 *    between hc_creds_begin() and hc_creds_finish(); the caller sets
 *    c->has_access_token and c->res->credential around them.
 */
#ifndef HC_CREDENTIALS_H
#define HC_CREDENTIALS_H

#include "validator.h"

/*
 * Before any token is read: finds the request's route (c->route) and
 * refuses a Txn-Token on a validator without txn_tokens (HC_MALFORMED).
 */
hc_status hc_creds_begin(hc_ctx *c);

/*
 * After the access token's own checks (when there is one): a required
 * credential that is missing, the Txn-Token, the workload, then the
 * layer-3 policy (the access token's layer 3, the caller a Txn-Token
 * needs, the route, its callers), then the spends: jti, txn, the DPoP
 * proof, the WPT.  On a
 * refusal c->res->credential names the credential at fault, or NULL.
 */
hc_status hc_creds_finish(hc_ctx *c);

/* ----------------------------------------------------------- pop_creds.c */

/*
 * DPoP (RFC 9449) under dpop.mode, after the access token's layers 1 and
 * 2: the scheme rules (sections 7.1, 7.2), then the proof (dpop.c).  On
 * success c->dpop_ok and the result's thumbprint are set.  HC_BINDING for
 * a scheme or cnf.jkt fault (credential "access_token"), or the proof's
 * status (credential "dpop"; on HC_NONCE the result carries the nonce).
 */
hc_status hc_pop_dpop(hc_ctx *c);

/*
 * WIMSE under wimse.mode: the WIT, then the WPT (wimse.c), with ath over
 * the access token and tth over the Txn-Token when present.  On success
 * the WIT's sub is the authenticated caller (c->peer_id) and the result's
 * workload; a peer certificate naming another workload is HC_PEER.
 */
hc_status hc_pop_wimse(hc_ctx *c);

/* Spends the verified DPoP proof's record, then the WPT's, in order. */
hc_status hc_pop_spend(hc_ctx *c);

#endif /* HC_CREDENTIALS_H */
