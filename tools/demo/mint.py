#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Mints the demo's key set and tokens with python3-jwcrypto (the project's
own test tooling, independent of hopcheck): a call chain
user -> gateway -> orders -> payments, plus the ways it goes wrong.

    mint.py OUTDIR NOW

writes OUTDIR/sts.jwks.json (public key only) and OUTDIR/cases.json, a list
of {"what", "token", "request"} for POST /v1/validate.  The private key
never leaves this process.
"""
import base64
import json
import sys

from jwcrypto import jwk, jws
from jwcrypto.common import json_encode

out, now = sys.argv[1], int(sys.argv[2])
STS = "https://sts.example.org"
TD = "spiffe://example.org/ns/prod/sa/"
PAYMENTS, ORDERS = "https://payments.internal", "https://orders.internal"

key = jwk.JWK.generate(kty="EC", crv="P-256", kid="sts-2026-11")
rogue = jwk.JWK.generate(kty="EC", crv="P-256", kid="sts-2026-11")
with open(f"{out}/sts.jwks.json", "w") as f:
    json.dump({"keys": [json.loads(key.export_public())]}, f)


def mint(claims, signer=key, header=None):
    h = {"alg": "ES256", "kid": "sts-2026-11", "typ": "at+jwt"}
    h.update(header or {})
    s = jws.JWS(json.dumps(claims).encode())
    s.add_signature(signer, None, json_encode(h))
    return s.serialize(compact=True)


def hop(**kw):
    """The token orders presents to payments: exchanged twice (RFC 8693),
    current actor orders, prior actor gateway."""
    c = {"iss": STS, "sub": "user:alice", "aud": PAYMENTS,
         "client_id": "gateway", "scope": "payments:write",
         "tenant": "acme", "iat": now - 5, "exp": now + 300,
         "jti": "demo-1", "act": {"sub": TD + "orders",
                                   "act": {"sub": TD + "gateway"}}}
    c.update(kw)
    return {k: v for k, v in c.items() if v is not None}


req = {"route": "POST /v1/payments", "tenant": "acme",
       "peer_spiffe_id": TD + "orders"}
good = mint(hop())
h, p, s = good.split(".")
tampered_payload = base64.urlsafe_b64encode(json.dumps(
    hop(scope="payments:write payments:admin")).encode()).rstrip(b"=").decode()
none_hdr = base64.urlsafe_b64encode(b'{"alg":"none","typ":"at+jwt"}') \
    .rstrip(b"=").decode()

cases = [
    ("orders pays for alice, on behalf of the gateway", good, req),
    ("the same token, presented by the gateway itself", good,
     dict(req, peer_spiffe_id=TD + "gateway")),
    ("a token minted for the orders service", mint(hop(aud=ORDERS)), req),
    ("a delegated token naming two audiences",
     mint(hop(aud=[PAYMENTS, ORDERS])), req),
    ("expired five minutes ago",
     mint(hop(iat=now - 900, exp=now - 300)), req),
    ("actor reports is not a configured delegate",
     mint(hop(act={"sub": TD + "reports"})),
     dict(req, peer_spiffe_id=TD + "reports")),
    ("read-only token on a write route",
     mint(hop(scope="payments:read")), req),
    ("tenant globex token for an acme request",
     mint(hop(tenant="globex")), req),
    ("payload edited to add payments:admin", f"{h}.{tampered_payload}.{s}",
     req),
    ("signed by a key the STS never published", mint(hop(), signer=rogue),
     req),
    ("alg none, signature stripped", f"{none_hdr}.{p}.", req),
    ("an ID token (typ JWT) used as an access token",
     mint(hop(), header={"typ": "JWT"}), req),
]
with open(f"{out}/cases.json", "w") as f:
    json.dump([{"what": w, "token": t, "request": r} for w, t, r in cases], f)
