#!/usr/bin/python3
"""Regenerates the fuzzing seeds: tests/fuzz/data/keys.json (public keys
only) and seed inputs under tests/fuzz/corpus/, signed by python3-jwcrypto
(an implementation independent of hopcheck).  Run from the tree's top:
    /usr/bin/python3 tests/fuzz/make-seeds.py
"""
import json
import os

from jwcrypto import jwk, jws
from jwcrypto.common import json_encode

NOW = 1767225600
D = "tests/fuzz"
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
