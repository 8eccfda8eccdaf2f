#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Regenerates the fuzzing seeds: tests/fuzz/data/keys.json (public keys
only) and seed inputs under tests/fuzz/corpus/, signed by python3-jwcrypto
(an implementation independent of hopcheck).  Run from the tree's top:
    /usr/bin/python3 tests/fuzz/make-seeds.py
With --text-only it writes only the seeds that need no fresh key (the
x-forwarded-client-cert values and the hopcheckd request bodies), leaving
the keys and signed tokens as they are.
"""
import base64
import hashlib
import json
import os
import sys
import urllib.parse

NOW = 1767225600
D = "tests/fuzz"
CERTS = "tests/data/certs"


def write_seeds(name, seeds):
    os.makedirs(f"{D}/corpus/{name}", exist_ok=True)
    for seed, text in seeds.items():
        with open(f"{D}/corpus/{name}/{seed}", "w") as f:
            f.write(text)


def pem_and_hash(name):
    """The PEM text of a test certificate and the hex SHA-256 of its DER."""
    with open(f"{CERTS}/{name}.pem") as f:
        pem = f.read()
    b64 = "".join(line for line in pem.splitlines()
                  if line and not line.startswith("-----"))
    return pem, hashlib.sha256(base64.b64decode(b64)).hexdigest()


def text_seeds():
    """Envoy x-forwarded-client-cert values, as forward_client_cert_details
    SANITIZE_SET and APPEND_FORWARD write them, and /v1/validate bodies."""
    by = "By=spiffe://example.org/ns/prod/sa/payments"
    orders = "URI=spiffe://example.org/ns/prod/sa/orders"
    pem, h = pem_and_hash("orders")
    bpem, bh = pem_and_hash("billing")
    cert = 'Cert="%s"' % urllib.parse.quote(pem, safe="")
    subject = 'Subject="CN=orders,O=hopcheck tests"'
    chain = 'Chain="%s"' % urllib.parse.quote(pem + bpem, safe="")
    write_seeds("xfcc", {
        "hash-uri": f"{by};Hash={h};{subject};{orders}",
        "hash-only": f"Hash={h}",
        "cert": f"{by};Hash={h};{cert};{subject};{orders}",
        "cert-chain": f"{by};Hash={h};{cert};{chain};{orders}",
        "append-forward": f"{by};Hash={bh};Subject=\"CN=billing\";"
                          "URI=spiffe://example.org/ns/prod/sa/billing,"
                          f"{by};Hash={h};{subject};{orders}",
        "dns-san": f"{by};Hash={h};DNS=orders.internal;DNS=orders;{orders}",
        "quoted-comma": f'{by};Hash={h};Subject="CN=a\\,b,O=\\"q\\"";'
                        f"{orders}",
    })
    token = "eyJhbGciOiJFUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJ1In0.c2ln"
    bodies = {
        "route": {"token": token, "route": "GET /v1/items"},
        "method-path": {"token": token, "method": "POST",
                        "path": "/v1/orders/42", "tenant": "acme",
                        "now": NOW},
        "peer-cert": {"token": token, "route": "GET /v1/x",
                      "peer_cert_pem": pem},
        "peer-identity": {"token": token, "route": "DELETE /v1/x/1",
                          "peer_spiffe_id":
                          "spiffe://example.org/ns/prod/sa/orders",
                          "peer_x5t": base64.urlsafe_b64encode(
                              bytes.fromhex(h)).decode().rstrip("=")},
        "token-only": {"token": token},
        "unknown-member": {"token": token, "rout": "GET /"},
    }
    write_seeds("daemon_body", {k: json.dumps(v) for k, v in bodies.items()})


text_seeds()
if "--text-only" in sys.argv[1:]:
    sys.exit(0)

from jwcrypto import jwk, jws  # noqa: E402 (only the signed seeds need it)
from jwcrypto.common import json_encode  # noqa: E402
keys = {
    "k1": jwk.JWK.generate(kty="EC", crv="P-256", kid="k1"),
    "k2": jwk.JWK.generate(kty="RSA", size=2048, kid="k2"),
    "k3": jwk.JWK.generate(kty="EC", crv="P-384", kid="k3"),
}
with open(f"{D}/data/keys.json", "w") as f:
    json.dump({"keys": [json.loads(k.export_public()) for k in keys.values()]},
              f, indent=1)


def token(kid, alg, claims, extra=None):
    hdr = {"alg": alg, "kid": kid, "typ": "at+jwt"}
    hdr.update(extra or {})
    s = jws.JWS(json.dumps(claims).encode())
    s.add_signature(keys[kid], None, json_encode(hdr))
    return s.serialize(compact=True)


base = {"iss": "https://issuer.example.com", "sub": "user:alice",
        "aud": "https://api.example.com", "exp": NOW + 600, "iat": NOW - 5,
        "scope": "read", "tenant": "acme", "jti": "j1", "client_id": "c1"}
seeds = {
    "es256": token("k1", "ES256", base),
    "rs256": token("k2", "RS256", base),
    "ps256": token("k2", "PS256", base),
    "es384": token("k3", "ES384", base),
    "act": token("k1", "ES256", dict(base, act={"sub": "svc-b",
                 "act": {"sub": "svc-a", "iss": "https://issuer.example.com"}})),
    "scp": token("k1", "ES256", {k: v for k, v in dict(base, scp=["read", "write"]).items() if k != "scope"}),
    "x5c": token("k1", "ES256", base, {"x5c": ["AAAA"]}),
}
os.makedirs(f"{D}/corpus/token", exist_ok=True)
for name, t in seeds.items():
    with open(f"{D}/corpus/token/{name}", "w") as f:
        f.write(t)
os.makedirs(f"{D}/corpus/jwks", exist_ok=True)
with open(f"{D}/corpus/jwks/keys", "w") as f:
    json.dump({"keys": [json.loads(k.export_public()) for k in keys.values()]}, f)
with open(f"{D}/corpus/jwks/bundle", "w") as f:
    b = json.loads(keys["k1"].export_public())
    b["use"] = "jwt-svid"
    json.dump({"keys": [b], "spiffe_refresh_hint": 300}, f)
os.makedirs(f"{D}/corpus/config", exist_ok=True)
with open(f"{D}/corpus/config/basic", "w") as f:
    f.write("""// a small valid configuration
{ "service": { "audiences": ["https://api.example.com"] },
  "issuers": [ { "issuer": "https://issuer.example.com",
     "jwks_file": "keys.json", "algorithms": ["ES256"] } ],
  /* delegation */
  "delegation": { "actors": [ { "actor": "spiffe://example.org/*",
     "subjects": ["user:*"], "scopes": ["read"] } ] },
  "routes": [ { "method": "POST", "path": "/v1/x", "scopes": ["write"] } ] }
""")
os.makedirs(f"{D}/corpus/spiffe", exist_ok=True)
for i, s in enumerate(["spiffe://example.org/ns/prod/sa/web",
                       "spiffe://example.org", "spiffe://a.b-c_d/x/.y/..z"]):
    with open(f"{D}/corpus/spiffe/s{i}", "w") as f:
        f.write(s)
