#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""gen_header_param_tokens.py - the tokens of tests/regress_header_params.c.

Each token is valid in every way but one: its protected header carries a
parameter hopcheck does not implement (a JWE parameter, zip, b64, a cty
naming a nested JWT), behind a good ES256 signature, so that the only
reason to refuse it is that parameter.  A few controls (no such parameter,
an informational cty) must be accepted.

The tokens are signed by jwcrypto (Debian's python3-jwcrypto), which shares
no code with hopcheck.  Run it with the interpreter that has jwcrypto:

    /usr/bin/python3 tools/vectors/gen_header_param_tokens.py \\
        [--out tests/data/header_params]

It writes keys.jwks.json (the public key only), header_params.conf and
tokens.json ({"generator", "now", "cases": [{"name", "header", "token"}]}).
The key is fresh on every run, and the private key is never written, so a
re-run changes every token; commit the result, never generate at test time.
"""

import argparse
import base64
import json
import os
import sys

try:
    from jwcrypto import jwk, jws
    from jwcrypto.jwa import JWA
except ImportError:
    sys.exit("gen_header_param_tokens.py: needs jwcrypto (run it with "
             "/usr/bin/python3 on Debian, package python3-jwcrypto)")

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                ".."))
from vectors.common import NOW, generator, token  # noqa: E402

GENERATOR = generator(__file__)
ISS = "https://issuer.hp.test"
AUD = "https://api.hp.test"
KID = "hp-es"

# name -> the members added to (or replacing those of) the base header.
CASES = [
    ("ok/plain", {}),
    ("ok/cty-informational", {"cty": "example+json"}),
    ("cty/JWT", {"cty": "JWT"}),
    ("cty/jwt-lowercase", {"cty": "jwt"}),
    ("cty/application-jwt", {"cty": "application/JWT"}),
    ("cty/not-a-string", {"cty": 1}),
    ("zip/DEF", {"zip": "DEF"}),
    ("zip/empty", {"zip": ""}),
    ("b64/false", {"b64": False}),
    ("b64/true", {"b64": True}),
    ("b64/false-with-crit", {"b64": False, "crit": ["b64"]}),
    ("jwe/enc", {"enc": "A256GCM"}),
    ("jwe/epk", {"epk": {"kty": "EC", "crv": "P-256",
                         "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
                         "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}}),
    ("jwe/apu", {"apu": "QWxpY2U"}),
    ("jwe/apv", {"apv": "Qm9i"}),
    ("jwe/iv", {"iv": "48V1_ALb6US04U3b"}),
    ("jwe/tag", {"tag": "7sNV4uXVDwMfSR5H8gSa6A"}),
    ("jwe/p2s", {"p2s": "2WCTcJZ1Rvd_CJuJripQ1w"}),
    ("jwe/p2c", {"p2c": 4096}),
]


def self_check(name, tok, key):
    """jwcrypto must verify the signature of every token it made here."""
    s = jws.JWS()
    s.deserialize(tok)
    try:
        s.verify(key)
    except Exception as e:      # jwcrypto raises several types
        # jwcrypto itself refuses some of these headers (b64, crit); check
        # the signature alone over the exact signing input then.
        h, p, sg = tok.split(".")
        raw = base64.urlsafe_b64decode(sg + "=" * (-len(sg) % 4))
        try:
            JWA.signing_alg("ES256").verify(key, (h + "." + p).encode(),
                                            raw)
        except Exception:
            sys.exit("gen_header_param_tokens.py: self-check of %s failed: "
                     "%s" % (name, e))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="tests/data/header_params")
    args = ap.parse_args()

    key = jwk.JWK.generate(kty="EC", crv="P-256", kid=KID)
    payload = {"iss": ISS, "sub": "user:alice", "aud": AUD,
               "iat": NOW - 60, "exp": NOW + 600, "jti": "jti-hp"}
    cases = []
    for name, extra in CASES:
        header = {"alg": "ES256", "kid": KID, "typ": "at+jwt"}
        header.update(extra)
        tok = token(header, payload, key)
        self_check(name, tok, key)
        cases.append({"name": name, "header": header, "token": tok})

    os.makedirs(args.out, exist_ok=True)
    pub = json.loads(key.export_public())
    with open(os.path.join(args.out, "keys.jwks.json"), "w") as f:
        json.dump({"keys": [pub]}, f, indent=1)
        f.write("\n")
    conf = {
        "service": {"audiences": [AUD]},
        "clock_skew_s": 30,
        "issuers": [{"issuer": ISS, "jwks_file": "keys.jwks.json",
                     "algorithms": ["ES256"], "token_types": ["at+jwt"],
                     "max_lifetime_s": 3600}],
    }
    with open(os.path.join(args.out, "header_params.conf"), "w") as f:
        f.write("// header_params.conf - written by "
                "tools/vectors/gen_header_param_tokens.py\n")
        json.dump(conf, f, indent=1)
        f.write("\n")
    with open(os.path.join(args.out, "tokens.json"), "w") as f:
        json.dump({"description": "one unimplemented header parameter per "
                   "token, behind a good signature",
                   "generator": GENERATOR, "now": NOW, "cases": cases},
                  f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
