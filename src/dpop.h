/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dpop.h - DPoP proofs (RFC 9449) at a resource server (dpop.c).
 *
 * A DPoP proof is a JWT the client signs, for each request, with a key it
 * holds; it names the key in its own header (`jwk`), the request (`htm`,
 * `htu`), the access token (`ath`), a time (`iat`) and a one-time id
 * (`jti`).  An access token bound to that key carries the key's RFC 7638
 * thumbprint in `cnf.jkt`.  hc_dpop_verify() checks one proof against one
 * request and, when given, the access token and its cnf.jkt, in this
 * order (RFC 9449 section 4.3, rearranged so that the cheap refusals come
 * first and nothing is spent before everything passed):
 *
 *   syntax (one compact JWS, nothing else: a comma means two joined
 *   header fields) -> alg (asymmetric, allowed, on this backend) -> crit
 *   -> typ dpop+jwt -> key (header jwk: present, public only, kty for
 *   alg, valid) -> signature -> claims present and typed (jti, htm, htu,
 *   iat; ath when an access token is given) -> htm -> htu -> ath ->
 *   cnf.jkt -> nonce (when configured) -> iat window.
 *
 * The one-time id is not spent here: the proof's replay record (key: the
 * thumbprint, the normalised htu and the jti, hashed) goes back to the
 * caller, who spends it with hc_replay_spend_record() after every other
 * check of the request, so that no refused request uses it up.
 *
 * Important caveats (what is NOT checked here)
 *  - The Authorization and DPoP header fields (how many, which scheme) are
 *    the caller's; hc_dpop_scheme_check() states the rules between scheme,
 *    proof and cnf.jkt.  A Bearer token with cnf.jkt never reaches here.
 *  - The access token itself is validated by the pipeline; here it is
 *    only hashed for `ath`.
 *  - The proof's `jwk` proves possession only: it confers no trust, and
 *    `kid`, `jku`, `x5c`, `x5u` in the proof header are ignored.
 *  - A valid nonce does not replace the iat window (RFC 9449 section 11.1
 *    allows it; hopcheck keeps both).
 */
#ifndef HC_DPOP_H
#define HC_DPOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "internal.h"
#include "jwk.h"
#include "policy.h"
#include "replay.h"

/* A server nonce: base64url of an HMAC-SHA-256, 43 characters. */
#define HC_DPOP_NONCE_LEN HC_B64URL_ENCODED_LEN(32)

/* What one request presents and what the service knows about it. */
typedef struct hc_dpop_request {
	const char *proof;       /* the DPoP header value */
	size_t proof_len;
	const char *method;      /* the request's method, as sent */
	const char *path;        /* origin-relative, query allowed (ignored) */
	const char *access_token;  /* the exact token68 after "DPoP ", or NULL */
	size_t access_token_len;
	const char *cnf_jkt;     /* the token's cnf.jkt, or NULL (unbound) */
	int64_t now;
} hc_dpop_request;

/* What a verified proof gives back (hc_dpop_result_clear() frees it). */
typedef struct hc_dpop_result {
	char jkt[HC_JKT_LEN + 1];  /* thumbprint of the proof key ("" until
				      the key was read) */
	char *htu;               /* the normalised htu (heap), or NULL */
	char *jti;               /* heap copy, or NULL */
	int64_t iat;
	hc_replay_record record; /* ns "dpop": spend it last */
	char nonce[HC_DPOP_NONCE_LEN + 1];  /* on HC_NONCE: the DPoP-Nonce to
				      send; "" otherwise */
	bool key_binding;        /* on HC_BINDING: the token's cnf.jkt, not
				    the proof, is at fault (RFC 9449 section
				    7.1 "invalid_token") */
} hc_dpop_result;

/*
 * Verifies one DPoP proof against `rq` under the dpop policy, the
 * service.origins and clock_skew_s of `p` (its dpop.mode is not looked
 * at: calling is the pipeline's decision).  Returns HC_OK and fills *out,
 * or the first failure with a reason in d (statuses: malformed, alg,
 * crit, type, key, signature, claim, audience (htm, htu), binding (ath,
 * cnf.jkt), nonce, expired, lifetime (iat in the future), internal).
 * *out is always safe to clear; on HC_NONCE its nonce is the one to send.
 */
hc_status hc_dpop_verify(const hc_policy *p, const hc_dpop_request *rq,
    hc_dpop_result *out, hc_detail *d);

void hc_dpop_result_clear(hc_dpop_result *r);

/*
 * The server nonce of the time step that holds `now` into out
 * (HC_DPOP_NONCE_LEN + 1 bytes): base64url(HMAC-SHA-256(secret,
 * "hopcheck-dpop-nonce:" step)), step = floor(now / HC_DPOP_NONCE_STEP_S)
 * in decimal.  The nonce of this step and of the one before are accepted,
 * so a nonce lives one to two steps.  Returns false when the policy has no
 * nonce secret.
 */
bool hc_dpop_nonce(const hc_dpop_policy *dp, int64_t now, char *out);

/*
 * The rules between the Authorization scheme, the DPoP proof and cnf.jkt
 * (RFC 9449 sections 7.1 and 7.2), for the pipeline: scheme DPoP without
 * a proof, a DPoP-bound token (cnf.jkt) sent as Bearer, and an unbound
 * token sent as DPoP are HC_BINDING; everything else HC_OK.
 */
hc_status hc_dpop_scheme_check(bool dpop_scheme, bool has_proof,
    const char *cnf_jkt, hc_detail *d);

/*
 * HMAC-SHA-256 (RFC 2104) over the backend's SHA-256, for the nonces (and
 * tests).  key at most 64 bytes.
 */
void hc_hmac_sha256(const unsigned char *key, size_t klen,
    const unsigned char *msg, size_t mlen, unsigned char out[32]);

#endif /* HC_DPOP_H */
