#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""gen_integration_tokens.py - tokens for the replay suite and the
integration tests of hopcheckd, made by an independent JOSE implementation.

The tokens are signed by jwcrypto (Debian's python3-jwcrypto), which shares
no code with hopcheck.  Run it with the interpreter that has jwcrypto:

    /usr/bin/python3 tools/vectors/gen_integration_tokens.py data
        Writes the committed data, at a fixed clock (NOW below):
          tests/data/replay/            two issuers' JWKS and the tokens of
                                        tests/test_replay.c, one file each;
          tests/integration/data/fixed/ one issuer's JWKS and tokens that
                                        the integration tests send to
                                        POST /v1/validate with "now".
        Keys are fresh on every run and the private halves are discarded
        when the script ends: a re-run changes every token, and the
        committed files are data.

    /usr/bin/python3 tools/vectors/gen_integration_tokens.py live --dir DIR \\
            [--cert NAME=PEMFILE ...]
        Used by tests/integration/*.sh at test time.  GET /v1/authz judges
        a token by the daemon's own clock, so its tokens must be fresh:
        this mode makes new keys, writes their public JWKS into DIR
        (live.jwks.json, live2.jwks.json) and the tokens, valid for ten
        minutes from now, as shell assignments in DIR/tokens.sh.  Each
        --cert adds tokens bound (cnf.x5t#S256, RFC 8705 section 3.1) to
        that certificate, which the test made a moment before with the
        openssl command line tool.
"""

import argparse
import hashlib
import json
import os
import sys
import time

try:
    from jwcrypto import jwk, jws
except ImportError:
    sys.exit("gen_integration_tokens.py: needs jwcrypto (run it with "
             "/usr/bin/python3 on Debian, package python3-jwcrypto)")

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from vectors.common import NOW, b64, public_jwks  # noqa: E402

SPIFFE_TD = "spiffe://example.org"
ORDERS = SPIFFE_TD + "/ns/prod/sa/orders"
BILLING = SPIFFE_TD + "/ns/prod/sa/billing"
GATEWAY = SPIFFE_TD + "/ns/prod/sa/gateway"


def new_key(kid):
    return jwk.JWK.generate(kty="EC", crv="P-256", kid=kid)


def sign(key, claims, typ="at+jwt"):
    """A compact JWS of the claims (ES256, typ at+jwt, the key's kid)."""
    header = {"alg": "ES256", "typ": typ, "kid": key["kid"]}
    s = jws.JWS(json.dumps(claims, separators=(",", ":")).encode("utf-8"))
    s.add_signature(key, alg="ES256", protected=json.dumps(header))
    return s.serialize(compact=True)


def bad_signature(tok):
    """The same header and payload with another key's signature."""
    h, p, _ = tok.split(".")
    other = new_key("unused")
    forged = sign(other, {"x": 1}).split(".")[2]
    return h + "." + p + "." + forged


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def write_json(path, obj):
    write(path, json.dumps(obj, indent=2, sort_keys=True) + "\n")


# ---------------------------------------------------------- committed data

def make_replay(outdir):
    """tests/data/replay: the one-time-use cases of tests/test_replay.c."""
    one, two = new_key("one-1"), new_key("two-1")
    aud = "https://api.example"

    def claims(iss, jti, exp, **extra):
        c = {"iss": iss, "aud": aud, "sub": "user:alice",
             "client_id": "web", "iat": NOW - 10, "exp": exp,
             "scope": "pay"}
        if jti is not None:
            c["jti"] = jti
        c.update(extra)
        return c

    i1, i2 = "https://one.example", "https://two.example"
    tokens = {
        # Short-lived entries (exp + skew = NOW + 130), then long ones.
        "a": sign(one, claims(i1, "jti-a", NOW + 100)),
        "b": sign(one, claims(i1, "jti-b", NOW + 100)),
        "c": sign(one, claims(i1, "jti-c", NOW + 1000)),
        "d": sign(one, claims(i1, "jti-d", NOW + 1000)),
        "e": sign(one, claims(i1, "jti-e", NOW + 1000)),
        "nojti": sign(one, claims(i1, None, NOW + 100)),
        "emptyjti": sign(one, claims(i1, "", NOW + 100)),
        "numjti": sign(one, claims(i1, 42, NOW + 100)),
        # Another issuer with the same jti: a different token.
        "two-a": sign(two, claims(i2, "jti-a", NOW + 100)),
        # A tenant-bound token, for "a rejection does not spend the jti".
        "tenant": sign(one, claims(i1, "jti-t", NOW + 100, tenant="acme")),
    }
    write_json(os.path.join(outdir, "one.jwks.json"), public_jwks(one))
    write_json(os.path.join(outdir, "two.jwks.json"), public_jwks(two))
    for name, tok in tokens.items():
        write(os.path.join(outdir, name + ".jwt"), tok + "\n")
    write(os.path.join(outdir, "README"),
          "Made by tools/vectors/gen_integration_tokens.py (jwcrypto), clock %d.\n"
          "Issuers https://one.example (one.jwks.json) and "
          "https://two.example\n(two.jwks.json), aud https://api.example, "
          "scope \"pay\".\n" % NOW)


def make_fixed(outdir):
    """tests/integration/data/fixed: tokens for POST /v1/validate."""
    key = new_key("fixed-1")
    iss, aud = "https://fixed.test", "https://api.test"

    def claims(**over):
        c = {"iss": iss, "aud": aud, "sub": "user:alice",
             "client_id": "web", "iat": NOW - 10, "exp": NOW + 300,
             "scope": "orders:read", "jti": "fixed-" + b64(os.urandom(9)),
             "tenant": "acme"}
        c.update(over)
        return c

    ok = sign(key, claims())
    tokens = {
        "ok": ok,
        "expired": sign(key, claims(iat=NOW - 1000, exp=NOW - 500)),
        "audience": sign(key, claims(aud="https://elsewhere.test")),
        "signature": bad_signature(ok),
        "delegated": sign(key, claims(act={"sub": ORDERS,
                                           "act": {"sub": GATEWAY}})),
    }
    write_json(os.path.join(outdir, "fixed.jwks.json"), public_jwks(key))
    for name, tok in tokens.items():
        write(os.path.join(outdir, name + ".jwt"), tok + "\n")
    write(os.path.join(outdir, "README"),
          "Made by tools/vectors/gen_integration_tokens.py (jwcrypto), clock %d.\n"
          "Issuer https://fixed.test (fixed.jwks.json), aud "
          "https://api.test.\n" % NOW)


# --------------------------------------------------------------- test time

def x5t_s256(pem_path):
    """RFC 8705 section 3.1: base64url SHA-256 of the DER certificate."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    with open(pem_path, "rb") as f:
        cert = x509.load_pem_x509_certificate(f.read())
    der = cert.public_bytes(serialization.Encoding.DER)
    return b64(hashlib.sha256(der).digest())


def sha_b64(text):
    """b64url(SHA-256(ASCII)): ath, tth, wth (RFC 9449 4.2, wpt-02 2)."""
    return b64(hashlib.sha256(text.encode("ascii")).digest())


def thumbprint(key):
    """RFC 7638 thumbprint of an EC key."""
    pub = key.export_public(as_dict=True)
    canon = json.dumps({k: pub[k] for k in ("crv", "kty", "x", "y")},
                       separators=(",", ":"), sort_keys=True)
    return sha_b64(canon)


def sign_header(key, header, claims):
    """A compact JWS under an explicit protected header."""
    s = jws.JWS(json.dumps(claims, separators=(",", ":")).encode("utf-8"))
    s.add_signature(key, alg=header["alg"], protected=json.dumps(header))
    return s.serialize(compact=True)


def make_pop(outdir, now, live, claims, txn_ok):
    """
    DPoP (RFC 9449) and WIMSE (workload-creds-03, wpt-02) credentials for
    a service at POP_ORIGIN: DPoP-bound access tokens and their proofs,
    WITs of trust domain wimse.test (wit.jwks.json) and their WPTs, the
    DPoP nonce secret (dpop-nonce.key).  Each proof and WPT is for one
    request of the test scripts, made now (the proofs' iat window is 60 s).
    """
    origin = "https://api.pop.test"
    dkey, dother = new_key("dpop"), new_key("dpop2")
    td, wl = new_key("wit-1"), new_key("wl")
    secret = os.urandom(32)
    t = {}

    def proof(tok, path, method="GET", key=dkey, nonce=None):
        h = {"typ": "dpop+jwt", "alg": "ES256",
             "jwk": key.export_public(as_dict=True)}
        h["jwk"].pop("kid", None)
        c = {"jti": b64(os.urandom(12)), "htm": method,
             "htu": origin + path, "iat": now, "ath": sha_b64(tok)}
        if nonce is not None:
            c["nonce"] = nonce
        return sign_header(key, h, c)

    def wit(sub="wimse://wimse.test/billing"):
        c = {"sub": sub, "iss": "https://wit.wimse.test", "iat": now - 5,
             "exp": now + 3600, "jti": b64(os.urandom(12)),
             "cnf": {"jwk": dict(wl.export_public(as_dict=True),
                                 alg="ES256")}}
        c["cnf"]["jwk"].pop("kid", None)
        return sign(td, c, typ="wit+jwt")

    def wpt(witv, path, tok=None, txn=None):
        c = {"aud": origin + path, "exp": now + 120,
             "jti": b64(os.urandom(16)), "wth": sha_b64(witv)}
        if tok is not None:
            c["ath"] = sha_b64(tok)
        if txn is not None:
            c["tth"] = sha_b64(txn)
        return sign_header(wl, {"alg": "ES256", "typ": "wpt+jwt"}, c)

    bound = sign(live, claims(cnf={"jkt": thumbprint(dkey)},
                              scope="orders:read"))
    t["DPOP_AT"] = bound
    t["DPOP_PROOF"] = proof(bound, "/pop/orders")
    t["DPOP_PROOF2"] = proof(bound, "/pop/orders")
    t["DPOP_PROOF_OTHER_URL"] = proof(bound, "/pop/other")
    t["DPOP_PROOF_OTHER_KEY"] = proof(bound, "/pop/orders", key=dother)
    step = now // 60
    mac = __import__("hmac").new(secret, b"hopcheck-dpop-nonce:%d" % step,
                                 hashlib.sha256).digest()
    t["DPOP_PROOF_NONCE"] = proof(bound, "/pop/orders", nonce=b64(mac))
    t["DPOP_PROOF_NO_NONCE"] = proof(bound, "/pop/orders")
    w = wit()
    t["WIT"] = w
    t["WPT_WL"] = wpt(w, "/pop/wl")
    t["WPT_WL2"] = wpt(w, "/pop/wl")
    t["WPT_OTHER"] = wpt(w, "/pop/other")
    plain = sign(live, claims(scope="orders:read"))
    t["WIMSE_AT"] = plain
    t["WPT_AT"] = wpt(w, "/pop/orders", tok=plain)
    t["WPT_AT_NO_ATH"] = wpt(w, "/pop/orders")
    t["WPT_TXN"] = wpt(w, "/pop/txn", txn=txn_ok)
    w2 = wit("wimse://wimse.test/stranger")
    t["WIT_STRANGER"] = w2
    t["WPT_STRANGER"] = wpt(w2, "/pop/callers")
    t["WPT_CALLERS"] = wpt(w, "/pop/callers")
    write_json(os.path.join(outdir, "wit.jwks.json"), public_jwks(td))
    with open(os.path.join(outdir, "dpop-nonce.key"), "wb") as f:
        f.write(secret)
    return t


def make_live(outdir, certs):
    now = int(time.time())
    live, live2 = new_key("live-1"), new_key("live2-1")
    stranger = new_key("live-1")       # same kid, not in any JWKS
    aud = "https://api.test"

    def claims(iss="https://live.test", **over):
        c = {"iss": iss, "aud": aud, "sub": "user:alice",
             "client_id": "web", "iat": now - 5, "exp": now + 600,
             "scope": "orders:read orders:write payments:write",
             "jti": b64(os.urandom(12)), "tenant": "acme"}
        c.update(over)
        for k in [k for k, v in c.items() if v is None]:
            del c[k]
        return c

    ok = sign(live, claims())
    tokens = {
        "OK": ok,
        "DELEGATED": sign(live, claims(act={"sub": ORDERS,
                                            "act": {"sub": GATEWAY}},
                                       scope="orders:read")),
        "EXPIRED": sign(live, claims(iat=now - 1000, exp=now - 500)),
        "SIGNATURE": bad_signature(ok),
        "AUDIENCE": sign(live, claims(aud="https://elsewhere.test")),
        "SCOPE": sign(live, claims(scope="profile")),
        "TENANT": sign(live, claims(tenant="globex")),
        "ISSUER": sign(stranger, claims(iss="https://unknown.test")),
        "NOJTI": sign(live, claims(jti=None)),
        "PAY": sign(live, claims()),
        "LIVE2": sign(live2, claims(iss="https://live2.test")),
        # An issuer whose keys the tests never let load.
        "REMOTE": sign(live, claims(iss="https://remote.test")),
    }
    for name, path in certs:
        ident = SPIFFE_TD + "/ns/prod/sa/" + name
        up = name.upper()
        # Bound to this certificate, and issued to this workload.
        tokens["BOUND_" + up] = sign(live, claims(
            client_id=ident, cnf={"x5t#S256": x5t_s256(path)},
            scope="orders:read"))
        # Not bound; only the peer identity ties it to the workload.
        tokens["CLIENT_" + up] = sign(live, claims(client_id=ident,
                                                   scope="orders:read"))
        # Issued to this workload, without the scope the route needs.
        tokens["NOSCOPE_" + up] = sign(live, claims(client_id=ident,
                                                    scope="profile"))
    # Txn-Tokens (draft-ietf-oauth-transaction-tokens-10) of the trust
    # domain "trust-domain.test", signed by its TTS key (tts.jwks.json).
    tts, foreign = new_key("tts-1"), new_key("tts-1")

    def txn(key=tts, **over):
        c = {"iat": now - 5, "exp": now + 300, "aud": "trust-domain.test",
             "txn": b64(os.urandom(12)), "sub": "user:alice",
             "scope": "orders:read", "req_wl": "gateway.trust-domain.test",
             "tctx": {"action": "list"}}
        c.update(over)
        return sign(key, c, typ="txntoken+jwt")
    tokens.update({
        "TXN_OK": txn(), "TXN_ONCE": txn(),
        "TXN_NOSCOPE": txn(scope="profile"),
        "TXN_AUDIENCE": txn(aud="other-domain.test"),
        "TXN_FOREIGN": txn(key=foreign),
        "TXN_EXPIRED": txn(iat=now - 1000, exp=now - 700),
    })
    tokens.update(make_pop(outdir, now, live, claims, tokens["TXN_OK"]))
    write_json(os.path.join(outdir, "tts.jwks.json"), public_jwks(tts))
    write_json(os.path.join(outdir, "live.jwks.json"), public_jwks(live))
    write_json(os.path.join(outdir, "live2.jwks.json"), public_jwks(live2))
    lines = ["# tokens made by tools/vectors/gen_integration_tokens.py at %d" % now]
    for name, tok in tokens.items():
        lines.append("TOK_%s='%s'" % (name, tok))
    write(os.path.join(outdir, "tokens.sh"), "\n".join(lines) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="mode", required=True)
    d = sub.add_parser("data", help="write the committed data")
    d.add_argument("--replay-out", default="tests/data/replay")
    d.add_argument("--fixed-out", default="tests/integration/data/fixed")
    lv = sub.add_parser("live", help="fresh keys and tokens for a test run")
    lv.add_argument("--dir", required=True)
    lv.add_argument("--cert", action="append", default=[],
                    metavar="NAME=PEMFILE")
    a = ap.parse_args()
    if a.mode == "data":
        make_replay(a.replay_out)
        make_fixed(a.fixed_out)
    else:
        certs = []
        for c in a.cert:
            name, sep, path = c.partition("=")
            if not sep or not name.isalnum():
                ap.error("--cert wants NAME=PEMFILE, NAME alphanumeric")
            certs.append((name, path))
        make_live(a.dir, certs)


if __name__ == "__main__":
    main()
