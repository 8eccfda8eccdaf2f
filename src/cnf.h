/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cnf.h - the confirmation (`cnf`) dispatcher (cnf.c): which proof of
 * possession a token is bound to, and whether the request proves it.
 *
 * A `cnf` claim (RFC 7800 section 3.1) names the key or certificate the
 * presenter of a token must hold.  Each confirmation method is one member
 * name and one check in cnf.c's method table: `x5t#S256`, the SHA-256
 * thumbprint of the client certificate (RFC 8705 section 3.1), and `jkt`,
 * the thumbprint of a DPoP key (RFC 9449 section 6.1), are checked; the
 * key members of RFC 7800 are known but not verifiable.
 *
 * Important caveats
 *  - A token confirmed by a method that has no check is refused whenever
 *    cnf is looked at: accepting it would turn a sender-constrained token
 *    into a bearer token (RFC 9449 section 7.2).
 *  - Members no specification defines are ignored (RFC 7800 section 3.1),
 *    which leaves the token unbound.
 *  - cnf is looked at only while binding.mtls is not "off" (binding.c).
 */
#ifndef HC_CNF_H
#define HC_CNF_H

#include "internal.h"

struct hc_ctx;                  /* validator.h */

/* An RFC 8705 x5t#S256 thumbprint: a SHA-256 digest, 43 base64url chars. */
#define HC_X5T_BYTES 32
#define HC_X5T_LEN HC_B64URL_ENCODED_LEN(HC_X5T_BYTES)

/*
 * binding.mtls: dispatches on the confirmation method of the token's cnf.
 * "required": the token must be bound (cnf.x5t#S256 or cnf.jkt) and the
 * request must prove it (the peer certificate's thumbprint matches; the
 * verified DPoP proof's key is the one named).  "if_present": the same
 * for a token that carries a method; a token with none passes.  A cnf
 * with two methods must satisfy both; one hopcheck cannot check is
 * refused.  HC_BINDING with a reason.
 */
hc_status hc_cnf_check(struct hc_ctx *c);

/*
 * The check of the `jkt` method (RFC 9449 section 6.1): `cnf_jkt`, the
 * token's cnf.jkt, must be 43 characters of canonical base64url (no
 * padding, no standard-base64 '+' or '/') and equal `proof_jkt`, the RFC
 * 7638 thumbprint of the verified DPoP proof's key, compared in constant
 * time.  HC_BINDING with a reason naming both.  dpop.c and the
 * dispatcher's `jkt` row call it.
 */
hc_status hc_cnf_jkt_match(const char *cnf_jkt, const char *proof_jkt,
    hc_detail *d);

#endif /* HC_CNF_H */
