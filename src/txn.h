/* SPDX-License-Identifier: Apache-2.0 */
/*
 * txn.h - OAuth Transaction Tokens (draft-ietf-oauth-transaction-tokens-10)
 * on the receiving side (txn.c): the keys of the Transaction Token Service
 * of this trust domain, the verification of one Txn-Token, its spend on a
 * txn_single_use route, and the `typ` rule that keeps token kinds apart.
 *
 * Important caveats (what is NOT checked)
 *  - A Txn-Token authenticates no one (section 13.12): the caller is
 *    authenticated by its certificate (txn_tokens.require_peer), and
 *    `req_wl` is reported, never compared with the caller.
 *  - Unknown claims, `act` included, are ignored (section 9.2, a MUST in
 *    -10); `tctx` and `rctx` are checked to be objects and handed on.
 *  - A replacement Txn-Token (section 13.15) looks like any other to a
 *    recipient; the consistency of one txn across replacements is not
 *    tracked.  hc_check_txn_replacement() checks a pair offline.
 */
#ifndef HC_TXN_H
#define HC_TXN_H

#include "validator.h"

/* The media type of a Txn-Token (section 9.1). */
#define HC_TXN_TYP "txntoken+jwt"

/*
 * Whether `typ` names the media type `want` (RFC 7515 section 4.1.9):
 * compared case-insensitively, the "application/" prefix optional.
 */
bool hc_typ_is(const char *typ, const char *want);

/*
 * For the access-token path, before an issuer is chosen: HC_TYPE with a
 * reason when the header's `typ` names a token of another kind (a
 * Txn-Token, a DPoP proof, a WIMSE WIT or WPT), so that no kind is ever
 * accepted as another (RFC 8725 section 3.11); HC_OK otherwise (the
 * issuer's own typ rule follows in layer 2).
 */
hc_status hc_typ_refuse_other_kinds(const hc_json *header, hc_detail *d);

/*
 * Sets up the txn_tokens state of `v` (nothing without the section) and
 * loads a jwks_file; a jwks_uri starts empty and is filled by the
 * refresher.  HC_CONFIG or HC_INTERNAL with a reason.
 */
hc_status hc_txn_init(hc_validator *v, hc_detail *d);

/* Frees the txn_tokens state of `v`; safe on a partly built validator. */
void hc_txn_free(hc_validator *v);

/* A verified Txn-Token: its claims (owned) and fields borrowed from them. */
typedef struct hc_txn_token {
	hc_json *claims;
	const char *txn, *sub, *scope, *req_wl, *iss;
	double iat, exp;
	bool verified;           /* the signature held: the fields are set */
} hc_txn_token;

/*
 * Verifies the `len` bytes of `token` as a Txn-Token of this trust domain
 * at `now`, in the order parse, alg, crit, typ, key, signature, claims
 * (types and presence), aud, times (skipped when !times: a replacement's
 * input may have expired), iss allowlist.  Fills *out (cleared with
 * hc_txn_token_clear(), whatever the status) once the signature holds.
 */
hc_status hc_txn_verify(const hc_validator *v, const char *token, size_t len,
    int64_t now, bool times, hc_txn_token *out, hc_detail *d);

void hc_txn_token_clear(hc_txn_token *t);

/*
 * The pipeline's Txn-Token step: verifies the request's Txn-Token and
 * moves what it says into the result (hc_result_txn() and the others).
 */
hc_status hc_txn_check(hc_ctx *c);

/*
 * The txn spend of a txn_single_use route, last of all: the key is the
 * trust domain, the txn and the route pattern, in namespace "txn", kept
 * until exp + skew.  HC_REPLAY when spent before.
 */
hc_status hc_txn_spend(hc_ctx *c, const hc_route_policy *rt);

#endif /* HC_TXN_H */
