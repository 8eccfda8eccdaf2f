#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Generates testvectors/attacks.json: one group of cases per attack class of
the JWT attack checklist (alg none, HS/RS confusion, attacker-chosen keys in
the header, kid tricks, duplicate members, psychic signatures, base64url
strictness, crit, cross-issuer keys).

Tokens are signed by python3-jwcrypto (Debian's), an implementation
independent of hopcheck; malformed tokens are assembled byte by byte here and
signed over the exact signing input, so that each case carries one fault.
Private keys live only in this process.  Run from the tree's top:

    /usr/bin/python3 tools/vectors/gen_attack_vectors.py [--out testvectors]
"""
import argparse
import base64
import json
import os
import sys

from cryptography.hazmat.primitives import serialization
from jwcrypto import jwk

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from vectors.common import (TESTVECTORS, b64, generator,  # noqa: E402
                            public_jwk, token, write_doc)

NOW = 1767225600
ISS_A = "https://a.example.com"
ISS_B = "https://b.example.com"
AUD = "https://api.example.com"


def sign(alg, key, header_bytes, payload_bytes):
    """A compact JWS over the exact bytes given."""
    return token(header_bytes, payload_bytes, key, alg)


def js(obj):
    return json.dumps(obj, separators=(",", ":")).encode()


a_es = jwk.JWK.generate(kty="EC", crv="P-256", kid="a-es")
a_rs = jwk.JWK.generate(kty="RSA", size=2048, kid="a-rs")
b_es = jwk.JWK.generate(kty="EC", crv="P-256", kid="b-es")
evil = jwk.JWK.generate(kty="EC", crv="P-256", kid="a-es")  # same kid, other key
evil_rs = jwk.JWK.generate(kty="RSA", size=2048, kid="evil")


pub = public_jwk


def claims(**kw):
    c = {"iss": ISS_A, "sub": "user:alice", "aud": AUD, "exp": NOW + 600,
         "iat": NOW - 10, "jti": "j-1", "client_id": "c1"}
    c.update(kw)
    return c


def hdr(alg="ES256", kid="a-es", **kw):
    h = {"alg": alg, "kid": kid, "typ": "at+jwt"}
    h.update(kw)
    return h


def good(alg="ES256", key=a_es, h=None, c=None):
    return sign(alg, key, js(h or hdr(alg, key['kid'])), js(c or claims()))


cases = []


def case(name, desc, token, expect):
    cases.append({"name": name, "description": desc, "token": token,
                  "now": NOW, "expect": expect})


# --- baseline -----------------------------------------------------------------
case("baseline/es256", "valid ES256 token of issuer A", good(), "ok")
case("baseline/rs256", "valid RS256 token of issuer A",
     good("RS256", a_rs), "ok")

# --- alg none (CVE-2015-2951 class; RFC 8725 section 3.2) ----------------------
body = b64(js(claims()))
for v in ["none", "None", "NONE", "nOnE"]:
    h = b64(js({"alg": v, "typ": "at+jwt"}))
    case(f"alg_none/{v}-empty-sig", f"alg {v} with an empty signature",
         f"{h}.{body}.", "alg")
    kept = good().split(".")[2]
    case(f"alg_none/{v}-kept-sig", f"alg {v} keeping a valid signature",
         f"{h}.{body}.{kept}", "alg")

# --- HS/RS confusion (CVE-2016-10555 class; RFC 8725 sections 2.1, 3.1) ---------
pem = a_rs.export_to_pem()  # public key PEM
der = a_rs.get_op_key("verify").public_bytes(
    serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
ec_pem = a_es.export_to_pem()
for label, secret, kid in [("rsa-pem", pem, "a-rs"), ("rsa-der", der, "a-rs"),
                           ("rsa-jwk", a_rs.export_public().encode(), "a-rs"),
                           ("ec-pem", ec_pem, "a-es"), ("no-kid", pem, None)]:
    k = jwk.JWK(kty="oct", k=b64(secret))
    h = {"alg": "HS256", "typ": "at+jwt"}
    if kid:
        h["kid"] = kid
    case(f"alg_confusion/hs256-{label}",
         f"HS256 MAC keyed with the issuer's public key ({label})",
         sign("HS256", k, js(h), js(claims())), "alg")
case("alg_confusion/es-key-rs-alg", "RS256 token naming the kid of an EC key",
     sign("RS256", a_rs, js(hdr("RS256", "a-es")), js(claims())), "alg")
case("alg_confusion/rs-key-es-alg", "ES256 token naming the kid of an RSA key",
     sign("ES256", a_es, js(hdr("ES256", "a-rs")), js(claims())), "alg")
case("alg_confusion/ps256-not-allowed", "PS256 is not in issuer A's algorithms",
     good("PS256", a_rs), "alg")
case("alg_confusion/unknown-alg", "an algorithm name hopcheck does not know",
     sign("ES256", a_es, js(hdr("ES256K")), js(claims())), "alg")
case("alg_confusion/lowercase-alg", "alg names are case-sensitive",
     sign("ES256", a_es, js(hdr("es256")), js(claims())), "alg")

# --- attacker keys in the header (CVE-2018-0114 class; RFC 8725 3.10) ------------
for param, value in [("jwk", pub(evil)), ("jku", "https://evil.example/keys"),
                     ("x5u", "https://evil.example/cert"),
                     ("x5c", ["MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA"])]:
    case(f"embedded_key/{param}-issuer-kid",
         f"{param} header names the attacker's key; signed by it; kid of the issuer's key",
         sign("ES256", evil, js(hdr(**{param: value})), js(claims())),
         "signature")
    h = {"alg": "RS256", "typ": "at+jwt", param: value}
    case(f"embedded_key/{param}-no-kid",
         f"{param} header, no kid, signed by an attacker RSA key: the issuer's only RSA key does not verify",
         sign("RS256", evil_rs, js(h), js(claims())), "signature")
case("embedded_key/attacker-kid", "attacker's own kid is not in the issuer set",
     sign("RS256", evil_rs, js(hdr("RS256", "evil", jwk=pub(evil_rs))), js(claims())),
     "key")

# --- kid tricks (jwt_tool playbook; RFC 7515 section 4.1.4) ----------------------
for label, kid in [("path-traversal", "../../../../../../dev/null"),
                   ("dev-null", "/dev/null"), ("empty", ""),
                   ("sql", "x' UNION SELECT '1';--"), ("cmd", "|sleep 10"),
                   ("case", "A-ES"), ("trailing-space", "a-es "),
                   ("control", "a-es\n"), ("long", "k" * 5000),
                   ("other-issuer", "b-es")]:
    case(f"kid/{label}", f"kid {label!r} matches no key of issuer A exactly",
         sign("ES256", a_es, js(hdr(kid=kid)), js(claims())), "key")
case("kid/not-a-string", "kid is a number",
     sign("ES256", a_es, js(hdr(kid=1)), js(claims())), "malformed")
case("kid/escaped-nul", "kid with an escaped U+0000",
     sign("ES256", a_es, b'{"alg":"ES256","kid":"a-es\\u0000x","typ":"at+jwt"}',
          js(claims())), "malformed")

# --- cross-issuer keys (RFC 8725 section 3.8) -------------------------------------
case("cross_issuer/b-key-a-iss", "signed by issuer B's key, iss A, kid of B's key",
     sign("ES256", b_es, js(hdr(kid="b-es")), js(claims())), "key")
case("cross_issuer/b-key-a-iss-a-kid", "signed by issuer B's key, iss A, kid of A's key",
     sign("ES256", b_es, js(hdr(kid="a-es")), js(claims())), "signature")
case("cross_issuer/b-token", "issuer B's own valid token",
     sign("ES256", b_es, js(hdr(kid="b-es")), js(claims(iss=ISS_B))), "ok")

# --- duplicate members (RFC 7515 section 4, RFC 7519 section 4) --------------------
c = js(claims())
case("duplicate/header-alg", "header names alg twice",
     sign("ES256", a_es, b'{"alg":"ES256","kid":"a-es","typ":"at+jwt","alg":"none"}', c),
     "malformed")
case("duplicate/header-escaped", "header names alg twice, once escaped",
     sign("ES256", a_es, b'{"alg":"ES256","kid":"a-es","typ":"at+jwt","\\u0061lg":"ES256"}', c),
     "malformed")
case("duplicate/payload-aud", "payload names aud twice",
     sign("ES256", a_es, js(hdr()), c[:-1] + b',"aud":"https://evil.example"}'),
     "malformed")
case("duplicate/payload-iss", "payload names iss twice",
     sign("ES256", a_es, js(hdr()), c[:-1] + b',"iss":"https://b.example.com"}'),
     "malformed")
case("duplicate/act-sub", "act names sub twice",
     sign("ES256", a_es, js(hdr()),
          c[:-1] + b',"act":{"sub":"svc-a","sub":"svc-b"}}'), "malformed")
case("duplicate/escaped-equal-ok", "an escaped member name alone is the same name",
     sign("ES256", a_es, b'{"\\u0061lg":"ES256","kid":"a-es","typ":"at+jwt"}', c), "ok")

# --- psychic signatures (CVE-2022-21449; RFC 7518 section 3.4) ----------------------
si = good().rsplit(".", 1)[0]
N256 = bytes.fromhex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551")
for label, sig in [("zero", bytes(64)),
                   ("r-zero", bytes(32) + b"\x01" * 32),
                   ("s-zero", b"\x01" * 32 + bytes(32)),
                   ("r-n", N256 + b"\x01" * 32),
                   ("s-n", b"\x01" * 32 + N256),
                   ("short", bytes(63)), ("long", bytes(65)),
                   ("empty", b"")]:
    case(f"psychic/{label}", f"ES256 signature {label}", f"{si}.{b64(sig)}",
         "signature")
# DER-encoded ECDSA instead of raw r||s.
raw = base64.urlsafe_b64decode(good().split(".")[2] + "==")
r, s = raw[:32], raw[32:]


def der_int(x):
    x = x.lstrip(b"\x00") or b"\x00"
    if x[0] & 0x80:
        x = b"\x00" + x
    return b"\x02" + bytes([len(x)]) + x


seq = der_int(r) + der_int(s)
case("psychic/der-encoded", "ECDSA signature in DER instead of raw r||s",
     f"{si}.{b64(b'0' + bytes([len(seq)]) + seq)}", "signature")

# --- base64url strictness (RFC 7515 section 2; RFC 4648 section 3.5) ----------------
t = good()
h, p, sg = t.split(".")
case("base64/padding", "signature with '=' padding", f"{h}.{p}.{sg}=", "malformed")
case("base64/std-alphabet", "'+' in the payload",
     f"{h}.{p[:-1]}+.{sg}", "malformed")
case("base64/space", "space inside the header", f"{h[:5]} {h[5:]}.{p}.{sg}",
     "malformed")
case("base64/newline", "newline inside the payload", f"{h}.{p[:5]}\n{p[5:]}.{sg}",
     "malformed")
# The last character of an ES256 signature (86 chars) carries 4 unused bits.
alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
last = alphabet.index(sg[-1])
alias = alphabet[last | 1] if last % 4 == 0 else alphabet[last & ~3]
case("base64/non-canonical-bits", "signature alias with non-zero unused bits",
     f"{h}.{p}.{sg[:-1]}{alias}", "malformed")
case("base64/len-mod-4-is-1", "payload of length 1 mod 4",
     f"{h}.{p + 'A' * ((1 - len(p)) % 4)}.{sg}",
     "malformed")
case("base64/two-segments", "header.payload only", f"{h}.{p}", "malformed")
case("base64/four-segments", "an extra segment", f"{h}.{p}.{sg}.{sg}", "malformed")
case("base64/json-serialization", "JWS JSON serialization",
     json.dumps({"protected": h, "payload": p, "signature": sg}), "malformed")

# --- crit (RFC 7515 section 4.1.11) ------------------------------------------------
for label, hv in [("exp", {"crit": ["exp"], "exp": 1}), ("empty", {"crit": []}),
                  ("alg", {"crit": ["alg"]}), ("missing", {"crit": ["foo"]}),
                  ("b64", {"crit": ["b64"], "b64": True})]:
    case(f"crit/{label}", f"crit header {hv['crit']}",
         sign("ES256", a_es, js(hdr(**hv)), js(claims())), "crit")

doc = {
    "description": "Attack classes of the JWT attack checklist, one fault per "
                   "case, against two issuers A (ES256 + RS256) and B (ES256).",
    "generator": generator(__file__),
    "keys": {"keys": [pub(a_es), pub(a_rs)]},
    "files": {"b.jwks.json": {"keys": [pub(b_es)]}},
    "config": {
        "service": {"audiences": [AUD]},
        "issuers": [
            {"issuer": ISS_A, "jwks_file": "keys.json",
             "algorithms": ["ES256", "RS256"]},
            {"issuer": ISS_B, "jwks_file": "b.jwks.json",
             "algorithms": ["ES256"]},
        ],
    },
    "cases": cases,
}
ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
ap.add_argument("--out", default=TESTVECTORS)
path = write_doc(ap.parse_args().out, "attacks.json", doc, ensure_ascii=True)
print(f"{os.path.relpath(path)}: {len(cases)} cases")
