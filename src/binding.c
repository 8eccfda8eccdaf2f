/* SPDX-License-Identifier: Apache-2.0 */
/*
 * binding.c - the binding step of layer 3: is the token held by the peer
 * it is bound to, and is the peer the party the token names?
 *
 * It runs after the act chain has been read and before delegation policy
 * (claims.c), and makes two independent checks, each under its own
 * setting and each in its own file:
 *
 *   binding.mtls: the token's confirmation, through the `cnf` dispatcher
 *   (cnf.c): today `cnf.x5t#S256` against the peer's leaf (RFC 8705);
 *
 *   binding.peer_identity: the peer's workload identity against the
 *   current actor or client (peer.c).
 *
 * The certificate binding comes first, so that a token failing both is
 * reported as unbound (HC_BINDING) rather than as held by the wrong peer.
 */
#include "binding.h"
#include "cnf.h"
#include "peer.h"

hc_status
hc_binding_check(hc_ctx *c)
{
	hc_status st;

	if (c->pol->mtls != HC_MODE_OFF && (st = hc_cnf_check(c)) != HC_OK)
		return st;
	if (c->pol->peer_identity != HC_MODE_OFF)
		return hc_peer_check(c);
	return HC_OK;
}
