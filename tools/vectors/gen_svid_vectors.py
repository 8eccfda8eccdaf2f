#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Generates testvectors/jwt_svid.json: JWT-SVIDs (SPIFFE JWT-SVID
standard) validated against per-trust-domain bundles (SPIFFE Trust Domain
and Bundle standard, section 4), signed by python3-jwcrypto.

A token is routed to a bundle when its `iss` is not a configured issuer and
its `sub` is a SPIFFE ID of a configured trust domain.  Run from the tree's
top:

    /usr/bin/python3 tools/vectors/gen_svid_vectors.py [--out testvectors]
"""
import argparse
import json
import os
import sys

from jwcrypto import jwk

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from vectors.common import (TESTVECTORS, b64, generator,  # noqa: E402
                            public_jwk, token, write_doc)

NOW = 1767225600
ME = "spiffe://example.org/ns/prod/sa/payments"
SUB = "spiffe://example.org/ns/prod/sa/orders"

k_org = jwk.JWK.generate(kty="EC", crv="P-256", kid="org-1")
k_rsa = jwk.JWK.generate(kty="RSA", size=2048, kid="org-rsa")
k_x509 = jwk.JWK.generate(kty="EC", crv="P-256", kid="org-x509")
k_other = jwk.JWK.generate(kty="EC", crv="P-256", kid="other-1")
k_hs = jwk.JWK(kty="oct", k=b64(b"s" * 32))


def entry(k, use):
    e = public_jwk(k)
    e["use"] = use
    return e


def sign(alg, key, header, claims):
    """Compact JSON of header and claims, signed over exactly those bytes."""
    return token(json.dumps(header, separators=(",", ":")),
                 json.dumps(claims, separators=(",", ":")), key, alg)


def svid(key=k_org, alg="ES256", hdr=None, drop=(), **claims):
    h = {"alg": alg, "kid": key.get("kid"), "typ": "JWT"}
    h.update(hdr or {})
    h = {k: v for k, v in h.items() if v is not None}
    c = {"sub": SUB, "aud": [ME], "exp": NOW + 300, "iat": NOW - 5}
    c.update(claims)
    c = {k: v for k, v in c.items() if k not in drop}
    return sign(alg, key, h, c)


cases = []


def case(name, desc, token, expect, route=None):
    c = {"name": name, "description": desc, "token": token, "now": NOW,
         "expect": expect}
    if route:
        c["request"] = {"route": route}
    cases.append(c)


case("ok-es256", "JWT-SVID, ES256, aud names this service's SPIFFE ID "
     "(JWT-SVID sections 2-4)", svid(), "ok")
case("ok-rs256", "RS256 from the same bundle", svid(k_rsa, "RS256"), "ok")
case("ok-typ-jose", "typ JOSE (JWT-SVID section 2.3)", svid(hdr={"typ": "JOSE"}), "ok")
case("ok-no-typ", "typ absent (optional, JWT-SVID section 2.3)",
     svid(hdr={"typ": None}), "ok")
case("ok-aud-string", "aud as a single string", svid(aud=ME), "ok")
case("ok-no-kid", "kid absent, one key of the bundle fits ES256 "
     "(kid is optional in JWT-SVID section 2.2)", svid(hdr={"kid": None}), "ok")
case("typ-at-jwt", "typ at+jwt is not JWT or JOSE (JWT-SVID section 2.3)",
     svid(hdr={"typ": "at+jwt"}), "type")
case("alg-hs256", "HS256 is not one of RFC 7518 sections 3.3-3.5 "
     "(JWT-SVID section 2.1)", svid(k_hs, "HS256", hdr={"kid": "org-1"}), "alg")
case("header-x5u", "an x5u header: only alg, kid and typ may appear "
     "(JWT-SVID section 2)", svid(hdr={"x5u": "https://evil.example/c"}),
     "malformed")
case("header-cty", "a cty header (JWT-SVID section 2)",
     svid(hdr={"cty": "JWT"}), "malformed")
case("no-aud", "aud missing (JWT-SVID section 3.2)", svid(drop=("aud",)),
     "audience")
case("aud-other", "aud names another workload (JWT-SVID section 3.2)",
     svid(aud=["spiffe://example.org/ns/prod/sa/reports"]), "audience")
case("no-exp", "exp missing (JWT-SVID section 3.3)", svid(drop=("exp",)), "claim")
case("expired", "exp in the past", svid(exp=NOW - 60), "expired")
case("x509-svid-key", "signed with a key whose bundle entry has use x509-svid "
     "(JWT-SVID section 6.2: never used for JWT-SVIDs)", svid(k_x509), "key")
case("other-domain-key", "sub in example.org, signed by other.org's key "
     "with other.org's kid (SPIFFE-ID section 3)", svid(k_other), "key")
case("other-domain-key-org-kid", "sub in example.org, signed by other.org's "
     "key under example.org's kid", svid(k_other, hdr={"kid": "org-1"}),
     "signature")
case("other-domain-sub", "sub in other.org, signed by other.org's key: "
     "a trust domain of its own", svid(k_other, sub="spiffe://other.org/ns/a/sa/b"),
     "ok")
case("unknown-domain", "sub in a trust domain that is not configured, no iss",
     svid(sub="spiffe://unknown.org/x"), "issuer")
case("sub-no-path", "sub is the trust domain's own ID, not a workload's "
     "(JWT-SVID section 3.1): not routed to a bundle, no iss",
     svid(sub="spiffe://example.org"), "issuer")
case("sub-invalid", "sub is no valid SPIFFE ID (uppercase trust domain): "
     "not routed to a bundle, no iss", svid(sub="spiffe://Example.org/x"),
     "issuer")

case("act", "a JWT-SVID carrying act: trust domains grant no delegation",
     svid(act={"sub": "spiffe://example.org/ns/prod/sa/gateway"}), "chain")
case("scope-not-granted", "a JWT-SVID carrying scope \"pay\" on a route "
     "that needs it: the trust domain's authority grants no scope",
     svid(scope="pay"), "scope", "POST /v1/pay")
case("route-without-scope", "a JWT-SVID on a route that needs no scope",
     svid(), "ok", "GET /v1/status")

doc = {
    "description": "JWT-SVIDs validated against SPIFFE bundles of two trust "
                   "domains (example.org, other.org), signed by "
                   "python3-jwcrypto.",
    "generator": generator(__file__),
    "keys": {"keys": [entry(k_org, "jwt-svid"), entry(k_rsa, "jwt-svid"),
                      entry(k_x509, "x509-svid")], "spiffe_refresh_hint": 300},
    "files": {"other.bundle.json": {"keys": [entry(k_other, "jwt-svid")]}},
    "config": {
        "service": {"spiffe_id": ME},
        "routes": [{"method": "POST", "path": "/v1/pay", "scopes": ["pay"]}],
        "spiffe": {"trust_domains": [
            {"trust_domain": "example.org", "bundle_file": "keys.json"},
            {"trust_domain": "other.org", "bundle_file": "other.bundle.json"},
        ]},
    },
    "cases": cases,
}
ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
ap.add_argument("--out", default=TESTVECTORS)
path = write_doc(ap.parse_args().out, "jwt_svid.json", doc, ensure_ascii=True)
print(f"{os.path.relpath(path)}: {len(cases)} cases")
