#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""gen_exchange_vectors.py - testvectors/exchange_tenant_binding.json.

Calling-side exchange cases (hc_check_exchange(), hc_check_exchange_ex(),
`hopcheck check-exchange`) for two things a token exchange must not
change: the tenant a token is for, and the certificate it is bound to.

  - With a "tenant_claim" (hc_check_exchange_ex(), --tenant-claim NAME),
    the named claim must be the same JSON value in the subject and the
    issued token, or absent from both.  Without it the claim is not
    compared (hc_check_exchange() keeps its contract).
  - A subject token bound to a certificate (cnf.x5t#S256, RFC 8705) must
    give an issued token bound to the same certificate: a bound token
    coming back as a bearer token, or bound to another certificate, is
    "narrowing".  An unbound subject may come back bound (narrower).

Each exchange case is {name, description, subject_token, issued_token,
audience, self, now, expect, and optionally tenant_claim}, the format of
the "exchange_cases" of delegation.json.  Tokens are signed by
python3-jwcrypto with a key made for this run.

    /usr/bin/python3 tools/vectors/gen_exchange_vectors.py [--out DIR]
"""
import argparse
import os
import sys

try:
    from jwcrypto import jwk, jws
except ImportError:
    sys.exit("gen_exchange_vectors.py: needs jwcrypto (run it with "
             "/usr/bin/python3 on Debian, package python3-jwcrypto)")

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from vectors.common import (NOW, TESTVECTORS, compact,  # noqa: E402
                            generator, public_jwks, write_doc)

GENERATOR = generator(__file__)

ISS = "https://sts.example.org"
AUD = "https://payments.internal"
GW_AUD = "https://gateway.internal"
TD = "spiffe://example.org"
GATEWAY = TD + "/ns/prod/sa/gateway"
FRONTEND = TD + "/ns/prod/sa/frontend"
# Two certificate thumbprints (base64url SHA-256, 43 characters).
X5T_A = "bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2"
X5T_B = "Qm9ndXMtY2VydGlmaWNhdGUtdGh1bWJwcmludC0wMDE"
DEL = object()              # over(x=DEL) removes x


def mint(key, claims):
    """A compact ES256 JWS of `claims`, made and checked by jwcrypto."""
    header = {"alg": "ES256", "kid": key.get("kid"), "typ": "at+jwt"}
    s = jws.JWS(compact(claims))
    s.add_signature(key, None, compact(header).decode("utf-8"))
    tok = s.serialize(compact=True)
    check = jws.JWS()
    check.deserialize(tok)
    check.verify(key)
    return tok


def over(base, **o):
    c = dict(base)
    for k, v in o.items():
        if v is DEL:
            c.pop(k, None)
        else:
            c[k] = v
    return c


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=TESTVECTORS)
    args = ap.parse_args()

    key = jwk.JWK.generate(kty="EC", crv="P-256", kid="sts-1")
    subj = {"iss": ISS, "sub": "user:alice", "aud": GW_AUD,
            "iat": NOW - 60, "exp": NOW + 600, "jti": "s-1",
            "scope": "payments:read orders:read", "tenant": "acme",
            "act": {"sub": FRONTEND}}
    issued = {"iss": ISS, "sub": "user:alice", "aud": AUD,
              "iat": NOW - 10, "exp": NOW + 300, "jti": "i-1",
              "scope": "payments:read", "tenant": "acme",
              "act": {"sub": GATEWAY, "act": {"sub": FRONTEND}}}
    cases = []

    def add(name, desc, s, i, expect, tenant_claim=None):
        c = {"name": name, "description": desc,
             "subject_token": mint(key, s), "issued_token": mint(key, i),
             "audience": AUD, "self": GATEWAY, "now": NOW, "expect": expect}
        if tenant_claim is not None:
            c["tenant_claim"] = tenant_claim
        cases.append(c)

    # ------------------------------------------------------------ tenant
    add("xchg-tenant-same", "tenant \"acme\" in both tokens",
        subj, issued, "ok", "tenant")
    add("xchg-tenant-absent-from-both", "no tenant claim in either token",
        over(subj, tenant=DEL), over(issued, tenant=DEL), "ok", "tenant")
    add("xchg-tenant-changed", "the STS moved the token to tenant globex",
        subj, over(issued, tenant="globex"), "narrowing", "tenant")
    add("xchg-tenant-dropped", "the issued token lost its tenant, so it "
        "would pass a route that only checks a present tenant",
        subj, over(issued, tenant=DEL), "narrowing", "tenant")
    add("xchg-tenant-added", "a tenant the subject token did not carry",
        over(subj, tenant=DEL), issued, "narrowing", "tenant")
    add("xchg-tenant-type-changed", "\"acme\" became [\"acme\"]: the same "
        "JSON value is required, not a look-alike",
        subj, over(issued, tenant=["acme"]), "narrowing", "tenant")
    add("xchg-tenant-other-claim-name", "the claim named is org_id: equal "
        "there, while tenant differs and is not compared",
        over(subj, org_id=7), over(issued, org_id=7, tenant="globex"), "ok",
        "org_id")
    add("xchg-tenant-not-asked", "without tenant_claim the tenant is not "
        "compared (hc_check_exchange() keeps its contract)",
        subj, over(issued, tenant="globex"), "ok")

    # ----------------------------------------------------------- binding
    bound = {"x5t#S256": X5T_A}
    add("xchg-bound-same-cert", "both bound to the same certificate",
        over(subj, cnf=bound), over(issued, cnf=bound), "ok")
    add("xchg-bound-to-bearer", "a certificate-bound subject token came "
        "back as a bearer token (RFC 8705 section 3)",
        over(subj, cnf=bound), issued, "narrowing")
    add("xchg-bound-other-cert", "bound to another certificate",
        over(subj, cnf=bound), over(issued, cnf={"x5t#S256": X5T_B}),
        "narrowing")
    add("xchg-bound-cnf-without-x5t", "the issued cnf carries no x5t#S256 "
        "(a jkt instead): not the same binding",
        over(subj, cnf=bound), over(issued, cnf={"jkt": X5T_A}),
        "narrowing")
    add("xchg-bearer-to-bound", "an unbound subject token may come back "
        "bound: that is narrower", subj, over(issued, cnf=bound), "ok")
    add("xchg-bound-and-tenant", "bound and tenant both kept",
        over(subj, cnf=bound), over(issued, cnf=bound), "ok", "tenant")
    add("xchg-bound-tenant-changed", "bound kept, tenant changed",
        over(subj, cnf=bound), over(issued, cnf=bound, tenant="globex"),
        "narrowing", "tenant")

    config = {
        "service": {"audiences": [AUD]},
        "clock_skew_s": 30,
        "issuers": [{"issuer": ISS, "jwks_file": "keys.json",
                     "algorithms": ["ES256"], "token_types": ["at+jwt"],
                     "max_lifetime_s": 3600}],
    }
    doc = {
        "description":
            "Calling-side token exchange (hc_check_exchange_ex(), hopcheck "
            "check-exchange --tenant-claim): the tenant claim must be "
            "unchanged when a tenant_claim is named, and a certificate-bound "
            "(cnf.x5t#S256) subject token must come back bound to the same "
            "certificate.  exchange_cases: subject_token, issued_token, "
            "audience, self, now, expect, and optionally tenant_claim.",
        "generator": GENERATOR,
        "keys": public_jwks(key),
        "config": config,
        "cases": [],
        "exchange_cases": cases,
    }
    path = write_doc(args.out, "exchange_tenant_binding.json", doc,
                     encoding="ascii", ensure_ascii=True)
    print("%s: %d exchange cases" % (os.path.normpath(path), len(cases)))


if __name__ == "__main__":
    main()
