/* SPDX-License-Identifier: Apache-2.0 */
/*
 * binding.h - the layer-3 binding step (binding.c), which ties a token to
 * the peer that presents it, and the parts it is made of: the `cnf`
 * dispatcher (cnf.h), the peer's workload identity (peer.h) and the
 * parser of the header a front proxy describes the peer in (xfcc.h).
 *
 * Code inside the library includes the part it uses; this header is for
 * callers that want the whole binding layer (the daemon reads XFCC
 * through it).
 *
 * Important caveats: those of cnf.h, peer.h and xfcc.h.
 */
#ifndef HC_BINDING_H
#define HC_BINDING_H

#include "internal.h"
#include "xfcc.h"

struct hc_ctx;                  /* validator.h */

/*
 * Layer 3, binding: the token's confirmation (cnf.h) per binding.mtls,
 * then the peer's identity against the current actor or client (peer.h)
 * per binding.peer_identity, each skipped when its setting is "off".
 * HC_BINDING or HC_PEER with a reason.
 */
hc_status hc_binding_check(struct hc_ctx *c);

#endif /* HC_BINDING_H */
