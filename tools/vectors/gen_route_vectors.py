#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Generates testvectors/route_normalization.json: one read-only token tried
on a write route under every spelling a backend would decode to the same
path, and a service whose default route denies what no route names.
Signed by python3-jwcrypto.  Run from the tree's top:

    /usr/bin/python3 tools/vectors/gen_route_vectors.py [--out testvectors]
"""
import argparse
import json
import os
import sys

from jwcrypto import jwk, jws
from jwcrypto.common import json_encode

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from vectors.common import (TESTVECTORS, generator, public_jwks,  # noqa: E402
                            write_doc)

NOW = 1767225600
ISS, AUD = "https://issuer.example.com", "https://api.example.com"
key = jwk.JWK.generate(kty="EC", crv="P-256", kid="k1")


def token(scope):
    claims = {"iss": ISS, "sub": "user:alice", "aud": AUD, "iat": NOW - 5,
              "exp": NOW + 300, "scope": scope}
    s = jws.JWS(json.dumps(claims).encode())
    s.add_signature(key, None, json_encode(
        {"alg": "ES256", "kid": "k1", "typ": "at+jwt"}))
    return s.serialize(compact=True)


read, write = token("payments:read"), token("payments:read payments:write")
cases = []


def case(name, desc, tok, route, expect):
    cases.append({"name": name, "description": desc, "token": tok,
                  "now": NOW, "request": {"route": route},
                  "expect": expect})


case("write-ok", "the write route with payments:write", write,
     "POST /v1/payments", "ok")
case("read-on-write", "the write route with payments:read only", read,
     "POST /v1/payments", "scope")
for name, path, why in [
        ("escaped-letter", "/v1/%70ayments", "an escaped unreserved letter "
         "(RFC 3986 section 6.2.2.2) names the same path"),
        ("escaped-lower", "/v1/pa%79ments", "idem, another letter"),
        ("trailing-slash", "/v1/payments/", "a trailing slash"),
        ("query", "/v1/payments?x=1", "a query string"),
        ("escaped-dot-segment", "/v1/x/%2e%2e/payments",
         "an escaped .. segment"),
        ("matrix", "/v1/payments;x=1", "matrix parameters"),
        ("dot-segment", "/v1/./payments", "a . segment"),
        ("double-slash", "/v1//payments", "an empty segment"),
        ("escaped-slash", "/v1%2fpayments", "an escaped /"),
        ("bad-escape", "/v1/payments%zz", "a broken escape")]:
    refused = name in ("escaped-dot-segment", "matrix", "dot-segment",
                       "double-slash", "escaped-slash", "bad-escape")
    case("spelling-" + name, "read-only token on POST " + path + ": " + why +
         (", refused as ambiguous" if refused else
          ", so the write route's scope applies"), read, "POST " + path,
         "malformed" if refused else "scope")
case("case-differs", "paths are case-sensitive (RFC 3986 section 6.2.2.1): "
     "/V1/Payments is no configured route, and default_route denies it",
     read, "POST /V1/Payments", "policy")
case("unlisted", "a path no route names: default_route denies", write,
     "GET /v1/other", "policy")
case("listed-read", "a listed read route", read, "GET /v1/payments/17", "ok")

doc = {
    "description": "Route matching on a normalised path, and a default "
                   "route that denies what no route names.",
    "generator": generator(__file__),
    "keys": public_jwks(key),
    "config": {
        "service": {"audiences": [AUD]},
        "issuers": [{"issuer": ISS, "jwks_file": "keys.json",
                     "algorithms": ["ES256"]}],
        "routes": [
            {"method": "POST", "path": "/v1/payments",
             "scopes": ["payments:write"]},
            {"method": "GET", "path": "/v1/payments/*",
             "scopes": ["payments:read"]},
        ],
        "default_route": {"deny": True},
    },
    "cases": cases,
}
ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
ap.add_argument("--out", default=TESTVECTORS)
path = write_doc(ap.parse_args().out, "route_normalization.json", doc,
                 ensure_ascii=True)
print(f"{os.path.relpath(path)}: {len(cases)} cases")
