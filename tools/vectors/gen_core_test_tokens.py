#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""gen_core_test_tokens.py - make the tokens of tests/test_validator.c.

The tokens are signed by jwcrypto (Debian's python3-jwcrypto), which shares
no code with hopcheck, so that an encoder bug in hopcheck cannot hide the
same bug in its decoder.  Run it with the interpreter that has jwcrypto:

    /usr/bin/python3 tools/vectors/gen_core_test_tokens.py [--out tests/data/core]

It writes three files:

  keys.jwks.json  the public keys of the test issuers (no private member);
  core.conf       the configuration the suite loads (JSON with comments,
                  keys resolved relative to the file);
  tokens.json     the cases: a name, the token, the fixed clock (absent:
                  validate with no request, on the system clock), an
                  optional request, the expected stable status name, and
                  substrings the rejection detail must contain.

Keys are fresh on every run (jwcrypto cannot be seeded), so a re-run
changes every token; the private keys are never written anywhere and are
lost when the script ends.  Malformed tokens are assembled by hand from raw
header and payload bytes and signed over the exact signing input, so each
case carries one fault behind a valid signature.

The "system clock" case is signed at generation time with a lifetime just
under the longest max_lifetime_s the configuration allows (one year); the
suite computes which verdict (ok, or expired once "expires" plus the skew
has passed) the current time calls for, so it never goes stale.
"""

import argparse
import base64
import json
import os
import sys
import time

try:
    from jwcrypto import jwk, jws
except ImportError:
    sys.exit("gen_core_test_tokens.py: needs jwcrypto (run it with "
             "/usr/bin/python3 on Debian, package python3-jwcrypto)")

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from vectors.common import NOW, b64, compact, generator, token  # noqa: E402


GENERATOR = generator(__file__)

SKEW = 30
MAX_LIFETIME = 3600
LONG_LIFETIME = 31536000    # the configuration's upper bound (one year)
AUD = "https://api.core.test"
ISS = "https://issuer.core.test"
LONG_ISS = "https://longlived.core.test"
OTHER_ISS = "https://other.core.test"
ACTOR = "spiffe://core.test/sa/gateway"

DEL = object()              # claims(x=DEL) removes x


def claims(**over):
    """A valid payload for ISS at NOW, with members replaced or removed."""
    c = {"iss": ISS, "sub": "user:alice", "client_id": "client-42",
         "aud": AUD, "iat": NOW - 60, "exp": NOW + 600, "jti": "jti-core",
         "scope": "items:read items:write", "tenant": "acme"}
    for k, v in over.items():
        if v is DEL:
            c.pop(k, None)
        else:
            c[k] = v
    return c


def hdr(alg="RS256", kid="core-rs", **over):
    h = {"alg": alg, "kid": kid, "typ": "at+jwt"}
    for k, v in over.items():
        if v is DEL:
            h.pop(k, None)
        else:
            h[k] = v
    return h


def self_check(name, tok, key):
    """jwcrypto itself must verify the signature of an accepted token."""
    s = jws.JWS()
    s.deserialize(tok)
    try:
        s.verify(key)
    except Exception as e:      # jwcrypto raises several types
        sys.exit("gen_core_test_tokens.py: self-check of %s failed: %s"
                 % (name, e))


def flip_signature(tok):
    """The same token with one bit of the signature bytes changed."""
    h, p, s = tok.split(".")
    raw = bytearray(base64.urlsafe_b64decode(s + "=" * (-len(s) % 4)))
    raw[len(raw) // 2] ^= 0x01
    return h + "." + p + "." + b64(bytes(raw))


CONF_HEAD = """\
// core.conf - the configuration of tests/test_validator.c, written by
// tools/vectors/gen_core_test_tokens.py together with keys.jwks.json and
// tokens.json.  /* Comments are allowed here, as in any hopcheck.conf. */
"""


def config():
    return {
        "service": {"audiences": [AUD]},
        "clock_skew_s": SKEW,
        "issuers": [
            {"issuer": ISS, "jwks_file": "keys.jwks.json",
             "algorithms": ["RS256", "ES256"], "token_types": ["at+jwt"],
             "max_lifetime_s": MAX_LIFETIME, "required_claims": ["jti"]},
            {"issuer": LONG_ISS, "jwks_file": "keys.jwks.json",
             "algorithms": ["RS256"], "max_lifetime_s": LONG_LIFETIME},
        ],
        "delegation": {
            "max_depth": 2,
            "actors": [{"actor": ACTOR, "subjects": ["user:*"],
                        "scopes": ["items:read"]}],
        },
        "routes": [
            {"method": "POST", "path": "/v1/items",
             "scopes": ["items:write"]},
            {"method": "GET", "path": "/v1/tenants/*",
             "scopes": ["items:read"], "tenant_claim": "tenant"},
        ],
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="tests/data/core")
    args = ap.parse_args()

    rs = jwk.JWK.generate(kty="RSA", size=2048, kid="core-rs")
    es = jwk.JWK.generate(kty="EC", crv="P-256", kid="core-es")
    attacker = jwk.JWK.generate(kty="RSA", size=2048, kid="core-rs")
    stranger = jwk.JWK.generate(kty="RSA", size=2048, kid="stranger")
    hs = jwk.JWK(kty="oct", k=b64(os.urandom(32)))

    cases = []

    def add(name, tok, expect, detail=(), request=None, now=NOW,
            check=None, expires=None):
        assert all(c["name"] != name for c in cases), name
        c = {"name": name, "token": tok}
        if now is not None:
            c["now"] = now
        c["expect"] = expect
        if expires is not None:
            c["expires"] = expires
        if request:
            c["request"] = request
        if detail:
            c["detail"] = list(detail)
        cases.append(c)
        if check is not None:
            self_check(name, tok, check)

    good = token(hdr(), claims(), rs)
    # Accepted tokens.
    add("ok/rs256", good, "ok", check=rs)
    add("ok/es256", token(hdr("ES256", "core-es"), claims(), es), "ok",
        check=es)
    add("ok/aud-array", token(hdr(), claims(aud=["https://x.core.test",
                                                AUD]), rs), "ok", check=rs)
    add("ok/scp", token(hdr(), claims(scope=DEL,
                                      scp=["items:read", "items:list"]), rs),
        "ok", check=rs)
    add("ok/delegated", token(hdr(), claims(scope="items:read",
                                            act={"sub": ACTOR}), rs),
        "ok", check=rs)
    add("ok/route-write", good, "ok",
        request={"method": "post", "path": "/v1/items?x=1"})
    add("ok/tenant", good, "ok", request={"method": "GET",
                                         "path": "/v1/tenants/acme",
                                         "tenant": "acme"})

    # Layer 1: nothing from the payload may show in the result.
    add("l1/bad-signature", flip_signature(good), "signature")
    add("l1/attacker-key", token(hdr(), claims(), attacker), "signature")
    add("l1/unknown-kid", token(hdr(kid="stranger"), claims(), stranger),
        "key")
    add("l1/alg-not-allowed", token(hdr("PS256"), claims(), rs), "alg",
        detail=["PS256"])
    add("l1/alg-none", token(hdr("none"), claims(), None), "alg")
    add("l1/hs256", token(hdr("HS256"), claims(), hs), "alg")
    add("l1/crit", token(hdr(crit=["exp"], exp=NOW), claims(), rs), "crit")
    add("l1/issuer-unknown", token(hdr(), claims(iss=OTHER_ISS), rs),
        "issuer", detail=["iss", OTHER_ISS])
    add("l1/issuer-missing", token(hdr(), claims(iss=DEL), rs), "issuer",
        detail=["iss"])
    add("l1/padding", good + "=", "malformed")
    add("l1/duplicate-claim",
        token(hdr(), compact(claims())[:-1] + b',"sub":"user:mallory"}', rs),
        "malformed")

    # Claim types: signed correctly, but the result still exposes nothing.
    add("types/exp-string", token(hdr(), claims(exp=str(NOW + 600)), rs),
        "malformed", detail=["exp", "string"])
    add("types/aud-number", token(hdr(), claims(aud=42), rs), "malformed",
        detail=["aud", "number"])

    # Layer 2: the claims are verified, and each detail names the claim.
    add("l2/typ-wrong", token(hdr(typ="JWT"), claims(), rs), "type",
        detail=["typ", '"JWT"', "at+jwt"])
    add("l2/typ-missing", token(hdr(typ=DEL), claims(), rs), "type",
        detail=["typ", "at+jwt"])
    add("l2/aud-other", token(hdr(), claims(aud=OTHER_ISS), rs), "audience",
        detail=["aud", OTHER_ISS, AUD])
    # A hostile value is quoted, escaped and cut in the detail.
    add("l2/aud-hostile",
        token(hdr(), claims(aud="https://evil.test/\n\x1b[31m\u00e9" +
                            "a" * 200), rs), "audience",
        detail=["aud", "\\x0a", "\\x1b", "\\xc3\\xa9", "...", AUD])
    add("l2/aud-missing", token(hdr(), claims(aud=DEL), rs), "audience",
        detail=["aud"])
    add("l2/aud-empty", token(hdr(), claims(aud=[]), rs), "audience",
        detail=["aud"])
    add("l2/aud-delegated-two",
        token(hdr(), claims(aud=[AUD, "https://x.core.test"],
                            scope="items:read", act={"sub": ACTOR}), rs),
        "audience", detail=["aud", "max_delegated", "2"])
    add("l2/expired", token(hdr(), claims(iat=NOW - 3000, exp=NOW - 600),
                            rs), "expired",
        detail=["exp", str(NOW - 600), str(NOW), "30"])
    add("l2/nbf-future", token(hdr(), claims(nbf=NOW + 3000,
                                             exp=NOW + 3500), rs),
        "not_yet_valid", detail=["nbf", str(NOW + 3000), str(NOW)])
    add("l2/iat-future", token(hdr(), claims(iat=NOW + 600,
                                             exp=NOW + 1200), rs),
        "lifetime", detail=["iat", str(NOW + 600), str(NOW)])
    add("l2/lifetime", token(hdr(), claims(exp=NOW + 7200), rs),
        "lifetime", detail=["max_lifetime_s", "3600", "7260"])
    add("l2/exp-missing", token(hdr(), claims(exp=DEL), rs), "claim",
        detail=["exp"])
    add("l2/jti-missing", token(hdr(), claims(jti=DEL), rs), "claim",
        detail=["jti"])

    # Layer 3: route scopes and tenant.
    add("l3/scope", token(hdr(), claims(scope="items:read"), rs), "scope",
        request={"method": "POST", "path": "/v1/items"},
        detail=["items:write", "items:read", "/v1/items"])
    add("l3/tenant", good, "tenant",
        request={"method": "GET", "path": "/v1/tenants/globex",
                 "tenant": "globex"},
        detail=["tenant", '"acme"', '"globex"'])

    # Validated with no request (the system clock).
    add("sys/expired", token(hdr(), claims(iat=999999000, exp=1000000000),
                             rs), "expired", now=None,
        detail=["exp", "1000000000"])
    add("sys/nbf-far-future",
        token(hdr(), claims(iat=DEL, nbf=253402300000, exp=253402300799),
              rs), "not_yet_valid", now=None, detail=["nbf", "253402300000"])
    # Accepted until "expires" (its exp) plus the skew, expired after.
    signed_at = int(time.time())
    expires = signed_at + LONG_LIFETIME - 3600
    add("sys/window",
        token(hdr(), {"iss": LONG_ISS, "sub": "user:bob", "aud": AUD,
                      "iat": signed_at, "exp": expires}, rs),
        "ok", now=None, check=rs, expires=expires)

    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "keys.jwks.json"), "w") as f:
        json.dump({"keys": [rs.export_public(as_dict=True),
                            es.export_public(as_dict=True)]}, f, indent=1)
        f.write("\n")
    with open(os.path.join(args.out, "core.conf"), "w") as f:
        f.write(CONF_HEAD)
        json.dump(config(), f, indent=1)
        f.write("\n")
    doc = {"description": "tokens of tests/test_validator.c",
           "generator": GENERATOR, "now": NOW, "skew": SKEW,
           "cases": cases}
    with open(os.path.join(args.out, "tokens.json"), "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    print("wrote %d cases to %s" % (len(cases), args.out))


if __name__ == "__main__":
    main()
