#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Generates testvectors/txn_tokens.json: OAuth Transaction Tokens
(draft-ietf-oauth-transaction-tokens-10) at a recipient, one or more cases
per edge case and attack of the Txn-Token checklist (T1-T17, T19, T20; T18,
txn consistency across replacements, is not checked at a recipient), the
draft's example body (section 9.2.4) signed with a test key, the
credentials a route requires, and calling-side replacement checks
("exchange_cases" with "txn": true).

Tokens are signed by python3-jwcrypto, an implementation independent of
hopcheck; malformed tokens are assembled byte by byte and signed over the
exact signing input, so that each case carries one fault.  Private keys
live only in this process.  Run from the tree's top:

    /usr/bin/python3 tools/vectors/gen_txn_vectors.py [--out testvectors]
"""
import argparse
import json
import os
import sys

from jwcrypto import jwk

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from vectors.common import (NOW, TESTVECTORS, b64, generator,  # noqa: E402
                            public_jwk, public_jwks, token, write_doc)

TD = "trust-domain.example"
TTS = "https://tts.trust-domain.example"
ISS = "https://as.example.org"            # the access-token issuer
AUD = "https://svc-a.trust-domain.example"
BILLING = "tests/data/certs/billing.pem"  # spiffe://example.org/ns/prod/sa/billing
GATEWAY = "tests/data/certs/gateway.pem"  # spiffe://example.org/ns/prod/sa/gateway
NO_URI = "tests/data/certs/no-uri.pem"    # an mTLS leaf without identity

tts_es = jwk.JWK.generate(kty="EC", crv="P-256", kid="tts-1")
tts_rs = jwk.JWK.generate(kty="RSA", size=2048, kid="tts-rsa")
draft_rs = jwk.JWK.generate(kty="RSA", size=2048, kid="identifier-to-key")
foreign = jwk.JWK.generate(kty="EC", crv="P-256", kid="tts-1")  # other TD
as_es = jwk.JWK.generate(kty="EC", crv="P-256", kid="as-1")


def js(obj):
    return json.dumps(obj, separators=(",", ":")).encode()


def txn_claims(**kw):
    """A valid Txn-Token body; a member given as None is left out."""
    c = {"iss": TTS, "iat": NOW - 60, "aud": TD, "exp": NOW + 300,
         "txn": "97053963-771d-49cc-a4e3-20aad399c312",
         "sub": "d084sdrt234fsaw34tr23t", "scope": "trade.stocks read",
         "req_wl": "apigateway.trust-domain.example",
         "tctx": {"action": "BUY", "ticker": "MSFT", "quantity": "100"},
         "rctx": {"req_ip": "69.151.72.123", "authn": "face"}}
    for k, v in kw.items():
        if v is None:
            c.pop(k, None)
        else:
            c[k] = v
    return c


def txn_hdr(alg="ES256", kid="tts-1", typ="txntoken+jwt", **kw):
    h = {"alg": alg, "kid": kid}
    if typ is not None:
        h["typ"] = typ
    h.update(kw)
    return h


def txn(c=None, h=None, key=tts_es):
    h = h or txn_hdr(kid=key["kid"], alg="RS256" if key["kty"] == "RSA"
                     else "ES256")
    return token(js(h), js(c or txn_claims()), key, h["alg"])


def access(typ="at+jwt", key=as_es, **kw):
    c = {"iss": ISS, "sub": "user:alice", "aud": AUD, "iat": NOW - 10,
         "jti": "at-1",
         "exp": NOW + 600, "scope": "read",
         "client_id": "spiffe://example.org/ns/prod/sa/billing"}
    c.update(kw)
    return token(js({"alg": "ES256", "kid": key["kid"], "typ": typ}), js(c),
                 key, "ES256")


cases = []


def case(name, desc, expect, txn_token=None, tok=None, route="GET /txn/read",
         peer=BILLING, now=NOW, patch=None):
    req = {}
    if route is not None:
        req["route"] = route
    if peer is not None:
        req["peer_cert_file"] = peer
    if txn_token is not None:
        req["txn_token"] = txn_token
    c = {"name": name, "description": desc}
    if tok is not None:
        c["token"] = tok
    c.update({"now": now, "request": req, "expect": expect})
    if patch is not None:
        c["config_patch"] = patch
    cases.append(c)


# --- baseline -------------------------------------------------------------
case("baseline/es256", "a valid ES256 Txn-Token of this trust domain, an "
     "authenticated caller, the route's scope", "ok", txn())
case("baseline/rs256", "the same signed RS256 by the other TTS key", "ok",
     txn(key=tts_rs))
case("baseline/access-token", "an access token alone on an access-token "
     "route", "ok", tok=access(), route="GET /api")

# --- T1 / T2: typ ---------------------------------------------------------
for name, typ in [("absent", None), ("jwt", "JWT"), ("at-jwt", "at+jwt"),
                  ("legacy-txn-token", "txn_token"), ("n-a", "N_A")]:
    case("t01/typ-" + name, "typ %s is not txntoken+jwt (section 9.1)" %
         (typ or "absent"), "type", txn(h=txn_hdr(typ=typ)))
case("t02/typ-application-prefix", "typ application/txntoken+jwt: a media "
     "type, the prefix optional", "ok",
     txn(h=txn_hdr(typ="application/txntoken+jwt")))
case("t02/typ-mixed-case", "typ TxnToken+JWT: media types compare "
     "case-insensitively", "ok", txn(h=txn_hdr(typ="TxnToken+JWT")))

# --- T3 / T4: cross-JWT confusion, both ways ------------------------------
case("confusion/at-jwt-in-txn-header", "T3: a valid RFC 9068 access token "
     "of the configured issuer in the Txn-Token header", "type",
     txn_token=access())
case("confusion/at-jwt-signed-by-tts", "an at+jwt token with a valid "
     "Txn-Token body, signed by the TTS key, in the Txn-Token header", "type",
     txn(h=txn_hdr(typ="at+jwt")))
case("confusion/txn-as-bearer", "T4: a valid Txn-Token sent as the access "
     "token to an access-token route", "type", tok=txn(), route="GET /api")
case("confusion/txn-as-bearer-issuer-key", "a txntoken+jwt token whose iss "
     "is the configured access-token issuer, signed by its key, sent as "
     "the access token: refused by typ before any issuer is chosen", "type",
     tok=token(js(txn_hdr(kid="as-1")), js(txn_claims(iss=ISS, aud=AUD)),
               as_es, "ES256"), route="GET /api")
case("confusion/dpop-as-bearer", "a dpop+jwt proof sent as the access "
     "token", "type", tok=access(typ="dpop+jwt"), route="GET /api")

# --- T5: audience ---------------------------------------------------------
for name, aud in [("other-domain", "other-domain.example"),
                  ("two-values", [TD, "other.example"]),
                  ("case-differs", "Trust-Domain.example"),
                  ("trailing-slash", TD + "/"), ("empty-array", [])]:
    case("t05/aud-" + name, "aud %s is not exactly this trust domain "
         "(sections 12.2, 14)" % json.dumps(aud), "audience",
         txn(txn_claims(aud=aud)))
case("t05/aud-array-of-one", "aud [\"%s\"]: an array of exactly this trust "
     "domain" % TD, "ok", txn(txn_claims(aud=[TD])))

# --- T6: required claims --------------------------------------------------
for claim in ["aud", "exp", "iat", "txn", "sub", "scope", "req_wl"]:
    case("t06/missing-" + claim, "%s is required (section 9.2)" % claim,
         "claim", txn(txn_claims(**{claim: None})))
case("t06/missing-iss", "iss is optional (section 9.2)", "ok",
     txn(txn_claims(iss=None)))

# --- T7: times ------------------------------------------------------------
case("t07/expired", "exp one second beyond the 30 s skew", "expired",
     txn(txn_claims(iat=NOW - 200, exp=NOW - 31)))
case("t07/exp-within-skew", "exp 29 s ago, within the skew", "ok",
     txn(txn_claims(iat=NOW - 200, exp=NOW - 29)))
case("t07/iat-future", "iat five minutes ahead: lifetime, as for access "
     "tokens (a future iat is lifetime in every kind)", "lifetime",
     txn(txn_claims(iat=NOW + 300, exp=NOW + 600)))
case("t07/nbf-future", "nbf five minutes ahead", "not_yet_valid",
     txn(txn_claims(nbf=NOW + 300)))
case("t07/lifetime-86400", "exp - iat = 86400 over max_lifetime_s 600",
     "lifetime", txn(txn_claims(iat=NOW - 10, exp=NOW - 10 + 86400)))
case("t07/lifetime-601", "exp - iat = 601 over max_lifetime_s 600",
     "lifetime", txn(txn_claims(iat=NOW - 1, exp=NOW + 600)))

# --- T8: scope ------------------------------------------------------------
case("t08/scope-array", "scope as a JSON array", "claim",
     txn(txn_claims(scope=["trade.stocks", "read"])))
case("t08/scope-read-ok", "scope \"trade.stocks read\" on a route needing "
     "read", "ok", txn(txn_claims(scope="trade.stocks read")))
case("t08/scope-write-missing", "the same on a route needing write",
     "scope", txn(txn_claims(scope="trade.stocks read")),
     route="POST /txn/write")

# --- T9: tctx / rctx ------------------------------------------------------
case("t09/tctx-string", "tctx \"BUY\" is no object", "claim",
     txn(txn_claims(tctx="BUY")))
case("t09/tctx-array", "tctx [] is no object", "claim",
     txn(txn_claims(tctx=[])))
case("t09/rctx-null", "rctx null: refused (the project's choice), not "
     "treated as absent", "claim",
     token(js(txn_hdr()), js(dict(txn_claims(), rctx=None)), tts_es,
           "ES256"))
case("t09/no-tctx-rctx", "tctx and rctx are RECOMMENDED, not required",
     "ok", txn(txn_claims(tctx=None, rctx=None)))

# --- T10: req_wl ----------------------------------------------------------
case("t10/req-wl-array", "req_wl as an array (a June 2026 editor's copy)",
     "claim", txn(txn_claims(req_wl=["gw.td.example", "svc2.td.example"])))
case("t10/req-wl-commas", "req_wl with commas: a plain string, passed "
     "through unchanged", "ok",
     txn(txn_claims(req_wl="gw.td.example,svc2.td.example")))

# --- T11: unknown claims --------------------------------------------------
case("t11/unknown-claims", "purp, azd and foo are ignored (section 9.2, "
     "a MUST in -10)", "ok",
     txn(txn_claims(purp="trade", azd={"a": 1}, foo=[1, 2])))
case("t11/act-ignored", "act inside a Txn-Token is an unknown claim, "
     "ignored (-10), even without a delegation section", "ok",
     txn(txn_claims(act={"sub": "spiffe://example.org/ns/prod/sa/evil"})))

# --- T12: keys of another trust domain ------------------------------------
case("foreign-key/same-kid", "T12: signed by the TTS key of another trust "
     "domain that has the same kid: keys are per trust domain", "signature",
     token(js(txn_hdr()), js(txn_claims()), foreign, "ES256"))
case("foreign-key/same-kid-other-aud", "the same key, the token minted for "
     "its own domain: the signature fails before aud is read", "signature",
     token(js(txn_hdr()), js(txn_claims(aud="other-domain.example")),
           foreign, "ES256"))
case("foreign-key/embedded-jwk", "the foreign key in the header jwk with "
     "the same kid: never used", "signature",
     token(js(txn_hdr(jwk=public_jwk(foreign))), js(txn_claims()), foreign,
           "ES256"))
case("foreign-key/unknown-kid", "a kid the TTS set lacks", "key",
     token(js(txn_hdr(kid="tts-other")), js(txn_claims()), foreign,
           "ES256"))
case("foreign-key/access-issuer-key", "signed by the access-token issuer's "
     "key under its kid: not a key of the TTS set", "key",
     token(js(txn_hdr(kid="as-1")), js(txn_claims()), as_es, "ES256"))

# --- T13: iss and key URLs ------------------------------------------------
case("t13/evil-iss-jku", "iss https://evil.example with jku and x5u: the "
     "URLs are never fetched, and the iss allowlist refuses", "issuer",
     txn(txn_claims(iss="https://evil.example"),
         txn_hdr(jku="https://evil.example/jwks",
                 x5u="https://evil.example/cert.pem")))
case("t13/evil-iss-no-allowlist", "the same without txn_tokens.issuers: "
     "iss does not matter, the TTS key verified it", "ok",
     txn(txn_claims(iss="https://evil.example"),
         txn_hdr(jku="https://evil.example/jwks")),
     patch={"txn_tokens": {"trust_domain": TD, "jwks_file": "tts.jwks.json",
                           "algorithms": ["ES256", "RS256"]}})

# --- T14: alg -------------------------------------------------------------
case("t14/alg-none", "alg none", "alg",
     token(js(txn_hdr(alg="none")), js(txn_claims()), None, "none"))
rsa_pem = tts_rs.export_to_pem()            # the public key, PEM
hs_key = jwk.JWK(kty="oct", k=b64(rsa_pem))
case("t14/hs256-rsa-public-key", "HS256 keyed with the TTS RSA public key "
     "(key confusion)", "alg",
     token(js(txn_hdr(alg="HS256", kid="tts-rsa")), js(txn_claims()), hs_key,
           "HS256"))
case("t14/es384-not-allowed", "ES384 is not in txn_tokens.algorithms",
     "alg", token(js(txn_hdr(alg="ES384")), js(txn_claims()),
                  jwk.JWK.generate(kty="EC", crv="P-384", kid="tts-1"),
                  "ES384"))
case("t14/crit", "a crit header", "crit",
     txn(h=txn_hdr(crit=["exp"])))

# --- T15: two tokens ------------------------------------------------------
case("t15/comma-joined", "one field with two tokens, comma-joined "
     "(section 12.1: exactly one)", "malformed",
     txn() + ", " + txn(key=tts_rs))

# --- T16: peer ------------------------------------------------------------
case("t16/no-peer", "a valid Txn-Token and no authenticated caller "
     "(require_peer, section 13.12)", "peer", txn(), peer=None)
case("t16/peer-without-identity", "an mTLS leaf without a URI SAN: no "
     "workload identity", "peer", txn(), peer=NO_URI)
case("t16/require-peer-off", "require_peer false: no caller needed", "ok",
     txn(), peer=None,
     patch={"txn_tokens": {"trust_domain": TD, "jwks_file": "tts.jwks.json",
                           "algorithms": ["ES256", "RS256"],
                           "require_peer": False}})

# --- T17: single use (the second use is in tests/test_txn.c) --------------
case("t17/single-use-first", "the first use of a txn on a txn_single_use "
     "route", "ok", txn(txn_claims(txn="t17-first-use")),
     route="POST /txn/once")

# --- T19 / T20: size and JSON ---------------------------------------------
case("t19/huge-tctx", "a token with a 100 KB tctx, over max_token_bytes",
     "malformed", txn(txn_claims(tctx={"blob": "A" * 100000})))
case("t20/duplicate-aud", "a duplicate aud member", "malformed",
     token(js(txn_hdr()), b'{"iat":%d,"aud":"%s","aud":"%s","exp":%d,'
           b'"txn":"t","sub":"s","scope":"read","req_wl":"w"}' % (
               NOW - 60, TD.encode(), TD.encode(), NOW + 300), tts_es,
           "ES256"))
case("t20/json-comments", "// comments as in the draft's examples: not "
     "JSON", "malformed",
     token(js(txn_hdr()), (b'{"iat":%d, // issued\n"aud":"%s","exp":%d,'
                           b'"txn":"t","sub":"s","scope":"read",'
                           b'"req_wl":"w"}') % (NOW - 60, TD.encode(),
                                                NOW + 300), tts_es, "ES256"))

# --- the draft's example (section 9.2.4, comments stripped) ---------------
draft_body = {
    "iat": 1686536226, "aud": "trust-domain.example", "exp": 1686536586,
    "txn": "97053963-771d-49cc-a4e3-20aad399c312",
    "sub": "d084sdrt234fsaw34tr23t",
    "req_wl": "apigateway.trust-domain.example",
    "rctx": {"req_ip": "69.151.72.123", "authn": "face"},
    "scope": "trade.stocks",
    "tctx": {"action": "BUY", "ticker": "MSFT", "quantity": "100",
             "customer_type": {"geo": "US", "level": "VIP"}}}
draft_tok = token(js({"typ": "txntoken+jwt", "alg": "RS256",
                      "kid": "identifier-to-key"}), js(draft_body), draft_rs,
                  "RS256")
case("example/draft-body", "the -10 section 9.2.4 body, RS256 with a test "
     "key, at 1686536300", "ok", draft_tok, route="GET /stocks",
     now=1686536300)
case("example/draft-body-expired", "the same at exp + skew + 1", "expired",
     draft_tok, route="GET /stocks", now=1686536586 + 30 + 1)
case("example/draft-body-read-route", "its scope trade.stocks lacks read",
     "scope", draft_tok, route="GET /txn/read", now=1686536300)

# --- credentials a route requires -----------------------------------------
case("credentials/no-txn-token", "an access token alone on a route that "
     "requires a Txn-Token", "malformed", tok=access())
case("credentials/txn-alone-on-access-route", "a valid Txn-Token alone on "
     "a route that requires an access token (the default)", "malformed",
     txn(), route="GET /api")
case("credentials/txn-alone-default-route", "a valid Txn-Token alone on a "
     "route no rule names: the default route requires an access token",
     "malformed", txn(), route="GET /unlisted")
case("credentials/both-ok", "an access token and a Txn-Token on a route "
     "that requires both", "ok", txn(), tok=access(), route="GET /both")
case("credentials/both-bad-access-token", "the access token fails its own "
     "checks first", "audience", txn(), tok=access(aud="https://other"),
     route="GET /both")
case("credentials/extra-txn-validated", "a Txn-Token on an access-token "
     "route is validated, never ignored", "audience",
     txn(txn_claims(aud="other-domain.example")), tok=access(),
     route="GET /api")
case("credentials/txn-scope-wins", "with a Txn-Token the route's scopes are "
     "the Txn-Token's: the access token grants read, the Txn-Token write",
     "scope", txn(txn_claims(scope="write")), tok=access(scope="read"),
     route="GET /both")
case("credentials/workload-ok", "a workload route: an authenticated caller "
     "and no token", "ok", route="GET /wl")
case("credentials/workload-no-peer", "a workload route without a caller",
     "peer", route="GET /wl", peer=None)
case("credentials/workload-no-identity", "a workload route with a caller "
     "that has no identity", "peer", route="GET /wl", peer=NO_URI)
case("credentials/callers-ok", "billing is among the route's callers",
     "ok", txn(), route="GET /callers")
case("credentials/callers-refused", "gateway is not", "policy", txn(),
     route="GET /callers", peer=GATEWAY)
case("credentials/not-configured", "a Txn-Token on a service without "
     "txn_tokens: refused, never ignored", "malformed", txn(), tok=access(),
     route="GET /api",
     patch={"txn_tokens": None,
            "routes": [{"method": "GET", "path": "/api",
                        "scopes": ["read"]}]})

# --- replacement Txn-Tokens, calling side (section 13.15) -----------------
xcases = []


def xcase(name, desc, subject, issued, expect, now=NOW):
    xcases.append({"name": name, "description": desc, "txn": True,
                   "subject_token": subject, "issued_token": issued,
                   "now": now, "expect": expect})


subj = txn(txn_claims(scope="trade.stocks read write"))
xcase("replacement/narrower", "same txn, sub, aud; scope narrowed", subj,
      txn(txn_claims(scope="read")), "ok")
xcase("replacement/widened", "adds scope admin", subj,
      txn(txn_claims(scope="read admin")), "narrowing")
xcase("replacement/other-sub", "changes sub", subj,
      txn(txn_claims(scope="read", sub="someone-else")), "policy")
xcase("replacement/other-txn", "changes txn", subj,
      txn(txn_claims(scope="read", txn="another-txn")), "policy")
xcase("replacement/from-expired-input", "issued after its input expired",
      txn(txn_claims(iat=NOW - 400, exp=NOW - 100)),
      txn(txn_claims(iat=NOW - 10, exp=NOW + 200)), "expired")
xcase("replacement/issued-not-txn", "the issued token is an access token",
      subj, access(), "type")

tts_jwks = public_jwks(tts_es, tts_rs, draft_rs)
doc = {
    "description": "OAuth Transaction Tokens "
                   "(draft-ietf-oauth-transaction-tokens-10) at a recipient: "
                   "the edge cases and attacks T1-T17, T19, T20, the "
                   "draft's example body, route credentials, and "
                   "replacement checks.  A case's request member "
                   "txn_token is the Txn-Token header; token, when "
                   "present, the access token.",
    "generator": generator(__file__),
    "keys": public_jwks(as_es),
    "files": {"tts.jwks.json": tts_jwks},
    "config": {
        "service": {"audiences": [AUD]},
        "issuers": [{"issuer": ISS, "jwks_file": "keys.json",
                     "algorithms": ["ES256"]}],
        "txn_tokens": {"trust_domain": TD, "jwks_file": "tts.jwks.json",
                       "algorithms": ["ES256", "RS256"],
                       "issuers": [TTS], "max_lifetime_s": 600},
        "routes": [
            {"method": "GET", "path": "/txn/read",
             "credentials": ["txn_token"], "scopes": ["read"]},
            {"method": "POST", "path": "/txn/write",
             "credentials": ["txn_token"], "scopes": ["write"]},
            {"method": "POST", "path": "/txn/once",
             "credentials": ["txn_token"], "txn_single_use": True},
            {"method": "GET", "path": "/stocks",
             "credentials": ["txn_token"], "scopes": ["trade.stocks"]},
            {"method": "GET", "path": "/both",
             "credentials": ["access_token", "txn_token"],
             "scopes": ["read"]},
            {"method": "GET", "path": "/api", "scopes": ["read"]},
            {"method": "GET", "path": "/wl", "credentials": ["workload"]},
            {"method": "GET", "path": "/callers",
             "credentials": ["txn_token"],
             "callers": ["spiffe://example.org/ns/prod/sa/billing"]},
        ],
    },
    "cases": cases,
    "exchange_cases": xcases,
}
ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
ap.add_argument("--out", default=TESTVECTORS)
path = write_doc(ap.parse_args().out, "txn_tokens.json", doc,
                 ensure_ascii=True)
print(f"{os.path.relpath(path)}: {len(cases)} cases, {len(xcases)} "
      "exchange cases")
