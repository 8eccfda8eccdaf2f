/* SPDX-License-Identifier: Apache-2.0 */
/*
 * chain.h - RFC 8693 actor chains (chain.c): the one parser of the `act`
 * claim, and the delegation policy of layer 3.
 *
 * An `act` claim nests: the outermost level is the current actor, and the
 * `act` inside each level names the actor before it, the least recent one
 * deepest (RFC 8693 section 4.1).  hc_act_chain_read() is the only code
 * that decides whether a level is well formed and how deep a chain may
 * go; the validator (claims.c) and the exchange check (exchange.c) both
 * read chains through it, and differ only in when they report a fault.
 *
 * Important caveats
 *  - A level is read for its identity members alone, `sub` (a non-empty
 *    string, required) and `iss` (a string, optional).  Every other member
 *    (`exp`, `aud`, `scope`, ...) is ignored, as RFC 8693 section 4.1 says
 *    non-identity claims in `act` must not be used.
 *  - The parser never fails on a hostile chain: it stops at the first
 *    level that is malformed or past HC_MAX_ACT_DEPTH and says which and
 *    why.  A caller that ignores hc_act_chain.status reads a chain cut
 *    short, not a valid one.
 *  - The chain borrows: its strings point into the JSON it was read from.
 *  - Actors are compared by `sub` alone in delegation policy (hc_chain_
 *    policy()); the exchange check compares `sub` and `iss`.
 */
#ifndef HC_CHAIN_H
#define HC_CHAIN_H

#include "validator.h"

/* One well-formed level of an `act` chain. */
typedef struct hc_act_level {
	const char *sub;          /* non-empty */
	const char *iss;          /* NULL when the level has none */
	const hc_json *json;      /* the level's object */
} hc_act_level;

/*
 * An `act` chain as read, current actor first.  Invariant: level[0 .. n-1]
 * are well formed; `next` is the level after them as it stands in the
 * token, NULL when the chain ends there (then status is HC_OK), otherwise
 * the level the parser stopped at (then status is HC_CHAIN and detail says
 * why, depths counted from 1, the current actor).
 */
typedef struct hc_act_chain {
	hc_act_level level[HC_MAX_ACT_DEPTH];
	size_t n;
	const hc_json *next;
	hc_status status;
	hc_detail detail;
} hc_act_chain;

/*
 * Reads the chain that starts at `act` (a token's `act` member, or NULL
 * for none) into *ch.  Each level must be an object with a non-empty
 * string `sub` and, optionally, a string `iss`; the structure of a level
 * is judged before its depth, and a chain of more than HC_MAX_ACT_DEPTH
 * levels is refused.  Returns ch->status: HC_OK, or HC_CHAIN with the
 * first fault in ch->detail.  No recursion, no allocation.
 */
hc_status hc_act_chain_read(const hc_json *act, hc_act_chain *ch);

/*
 * Delegation policy for a token whose `act` chain was read into the result
 * (actors, current first): delegation configured, actor allowed for the
 * subject, actor scopes, direct callers, path_policy.  HC_CHAIN, HC_POLICY
 * or HC_SCOPE with a reason.
 */
hc_status hc_chain_policy(hc_ctx *c);

#endif /* HC_CHAIN_H */
