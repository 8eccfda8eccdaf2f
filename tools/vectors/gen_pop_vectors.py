#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""gen_pop_vectors.py - make testvectors/dpop.json, wimse.json and
pop_pipeline.json.

The proof-of-possession vectors are unit-level: tests/test_dpop.c and
tests/test_wimse.c run them directly against dpop.c and wimse.c (the
pipeline, daemon and CLI wiring comes later), so their case lists are
"proof_cases", "thumbprint_cases" (dpop.json) and "wimse_cases"
(wimse.json), with no "config" and no "cases": tools/run_vectors.py skips
both files.

A DPoP proof case: {"name", "policy" (a key of "policies"), "proof",
"method", "path", "token" (the access token, or null), "cnf_jkt" (or
null), "now", "expect", "detail" (a fragment of the detail), optional
"jkt" (the thumbprint a valid proof yields), "group" and "spend" (cases of
one group share one memory replay store and spend their record in order:
"spend" is the status the spend must give), "requires" (["eddsa"]).

pop_pipeline.json is pipeline-level, in the format of the other vector
files ("config", "cases"): each case is an access token (or none), a
request with "route", "dpop", "scheme", "wit", "wpt", "txn_token",
"peer_x5t", ... and the expected status, run by tests/test_vectors.c
and by tools/run_vectors.py through the CLI.

A WIMSE case: {"name", "policy", "wit", "wpt" (or null), "method",
"path", "token", "txn_token", "oth" ({header: value or [values]}), "now",
"expect", "detail", optional "sub", "group"/"spend", "requires"}.

Sources: RFC 9449 sections 4.2, 5, 6.1 and 7.1 (the official proofs and
thumbprint, byte for byte), RFC 7638 section 3.1 (the RSA thumbprint),
draft-ietf-wimse-workload-creds-03 section 5.1 and draft-ietf-wimse-wpt-02
section 2 (the official WIT and WPT, with the Identity Server's private
key from the draft repository's examples/main.go to mint negative WITs
under the same authority).  Every other token is made here by jwcrypto
(python3-jwcrypto), never by hopcheck.  Keys are fresh on every run.

    /usr/bin/python3 tools/vectors/gen_pop_vectors.py [--out testvectors]
        [--only dpop|wimse|pipeline]
"""
import argparse
import hashlib
import hmac
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

try:
    from jwcrypto import jwk
    import common as cm
except ImportError:
    sys.exit("gen_pop_vectors.py: needs python3-jwcrypto")

NOW = cm.NOW
SKEW = 30

# ------------------------------------------------------------ RFC 9449

RFC_JWK = {"kty": "EC", "x": "l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs",
           "y": "9VE4jf_Ok_o64zbTTlcuNJajHmt6v9TDVrU0CdvGRDA",
           "crv": "P-256"}
RFC_JKT = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"
RFC_AT = "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU"
RFC_TOKEN_PROOF = (
    "eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2IiwiandrIjp7Imt0eSI6IkVDIiwieCI6Imw4dEZyaHgtMzR0VjNoUklDUkRZOXpDa0RscEJoRjQyVVFVZldWQVdCRnMiLCJ5IjoiOVZFNGpmX09rX282NHpiVFRsY3VOSmFqSG10NnY5VERWclUwQ2R2R1JEQSIsImNydiI6IlAtMjU2In19"
    ".eyJqdGkiOiItQndDM0VTYzZhY2MybFRjIiwiaHRtIjoiUE9TVCIsImh0dSI6Imh0dHBzOi8vc2VydmVyLmV4YW1wbGUuY29tL3Rva2VuIiwiaWF0IjoxNTYyMjYyNjE2fQ"
    ".2-GxA6T8lP4vfrg8v-FdWP0A0zdrj8igiMLvqRMUvwnQg4PtFLbdLXiOSsX0x7NVY-FNyJK70nfbV37xRZT3Lg")
RFC_REFRESH_PROOF = (
    "eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2IiwiandrIjp7Imt0eSI6IkVDIiwieCI6Imw4dEZyaHgtMzR0VjNoUklDUkRZOXpDa0RscEJoRjQyVVFVZldWQVdCRnMiLCJ5IjoiOVZFNGpmX09rX282NHpiVFRsY3VOSmFqSG10NnY5VERWclUwQ2R2R1JEQSIsImNydiI6IlAtMjU2In19"
    ".eyJqdGkiOiItQndDM0VTYzZhY2MybFRjIiwiaHRtIjoiUE9TVCIsImh0dSI6Imh0dHBzOi8vc2VydmVyLmV4YW1wbGUuY29tL3Rva2VuIiwiaWF0IjoxNTYyMjY1Mjk2fQ"
    ".pAqut2IRDm_De6PR93SYmGBPXpwrAk90e8cP2hjiaG5QsGSuKDYW7_X620BxqhvYC8ynrrvZLTk41mSRroapUA")
RFC_RESOURCE_PROOF = (
    "eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2IiwiandrIjp7Imt0eSI6IkVDIiwieCI6Imw4dEZyaHgtMzR0VjNoUklDUkRZOXpDa0RscEJoRjQyVVFVZldWQVdCRnMiLCJ5IjoiOVZFNGpmX09rX282NHpiVFRsY3VOSmFqSG10NnY5VERWclUwQ2R2R1JEQSIsImNydiI6IlAtMjU2In19"
    ".eyJqdGkiOiJlMWozVl9iS2ljOC1MQUVCIiwiaHRtIjoiR0VUIiwiaHR1IjoiaHR0cHM6Ly9yZXNvdXJjZS5leGFtcGxlLm9yZy9wcm90ZWN0ZWRyZXNvdXJjZSIsImlhdCI6MTU2MjI2MjYxOCwiYXRoIjoiZlVIeU8ycjJaM0RaNTNFc05yV0JiMHhXWG9hTnk1OUlpS0NBcWtzbVFFbyJ9"
    ".2oW9RP35yRqzhrtNP86L-Ey71EOptxRimPPToA1plemAgR6pxHF8y6-yqyVnmcw6Fy1dqd-jfxSYoMxhAJpLjA")
RFC7638_JWK = {
    "kty": "RSA", "e": "AQAB", "alg": "RS256", "kid": "2011-04-29",
    "n": "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"}
RFC7638_JKT = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"

# ------------------------------------------------------------ WIMSE

WIMSE_IS_JWK = {"kty": "EC", "kid": "June 5", "crv": "P-256",
                "x": "kXqnA2Op7hgd4zRMbw0iFcc_hDxUxhojxOFVGjE2gks",
                "y": "n__VndPMR021-59UAs0b9qDTFT-EZtT6xSNs_xFskLo"}
WIMSE_IS_D = "NRHs9bfMUcF49AV_NIoeh3UGopW4AXZLfv5G2px1WcY"
WIMSE_WL_JWK = {"kty": "OKP", "crv": "Ed25519",
                "x": "1CXXvflN_LVVsIsYXsUvB03JmlGWeCHqQVuouCF92bg",
                "d": "sdLX8yCYKqo_XvGBLn-ZWeKT7llYeeQpgeCaXVxb5kY"}
WIMSE_WIT = (
    "eyJhbGciOiJFUzI1NiIsImtpZCI6Ikp1bmUgNSIsInR5cCI6IndpdCtqd3QifQ"
    ".eyJjbmYiOnsiandrIjp7ImFsZyI6IkVkRFNBIiwiY3J2IjoiRWQyNTUxOSIsImt0eSI6Ik9LUCIsIngiOiIxQ1hYdmZsTl9MVlZzSXNZWHNVdkIwM0ptbEdXZUNIcVFWdW91Q0Y5MmJnIn19LCJleHAiOjE3NDU1MTI1MTAsImlhdCI6MTc0NTUwODkxMCwianRpIjoieC1fMUNUTDJjY2EzQ1NFNGN3Yl9sIiwic3ViIjoid2ltc2U6Ly9leGFtcGxlLmNvbS9zcGVjaWZpYy13b3JrbG9hZCJ9"
    ".6KraSQUxWdl9dxFQ3Fj6dPY0Vi88OkwFwZpAIOhLeq6AbXAnLLQgOp8U9UDGcBuYF3KiNv6oKQD1ZWAzrMZOJw")
WIMSE_WPT = (
    "eyJhbGciOiJFZERTQSIsInR5cCI6IndwdCtqd3QifQ"
    ".eyJhdGgiOiJDTDR3amZwUm1OZi1iZFlJYllMblY5ZDVyTUFSR3dLWUUxMHdVd3pDMGpJIiwiYXVkIjoiaHR0cHM6Ly93b3JrbG9hZC5leGFtcGxlLmNvbS9wYXRoIiwiZXhwIjoxNzQ1NTEwMDE2LCJqdGkiOiJfX2J3YzRFU0MzYWNjMkxUQzEtX3giLCJ3dGgiOiJBYVlVZkMzNEQxZGkyRnhRTHBpSUpKN1NnOFZaNm84T0Nkd1NmOUlUb0xnIn0"
    ".PI7d9AcYhLoEgPgbJvcM132lkBKnM1NXU-5hZUzVTIyj2dRJaTLFs6e5NYv5gg6AqcV7NvkYCwfgMgWasWQzCA")
WIMSE_AT = "16_mAd0GiwaZokU26_0902100"
WIMSE_NOW = 1745509900


def sha(s):
    """b64url(SHA-256(ASCII)), the ath/wth/tth/oth hash."""
    if isinstance(s, str):
        s = s.encode("ascii")
    return cm.b64(hashlib.sha256(s).digest())


def nonce(secret, now, step=60):
    """The server nonce dpop.c issues for the time step of `now`."""
    msg = b"hopcheck-dpop-nonce:%d" % (now // step)
    return cm.b64(hmac.new(secret, msg, hashlib.sha256).digest())


def thumb(pub):
    """RFC 7638 thumbprint of a public JWK dict."""
    need = {"EC": ["crv", "kty", "x", "y"], "RSA": ["e", "kty", "n"],
            "OKP": ["crv", "kty", "x"]}[pub["kty"]]
    canon = json.dumps({k: pub[k] for k in need}, separators=(",", ":"),
                       sort_keys=True)
    return sha(canon)


def pub_of(key):
    return cm.public_jwk(key)


# ------------------------------------------------------------------ DPoP

def gen_dpop():
    ka = jwk.JWK.generate(kty="EC", crv="P-256")
    kb = jwk.JWK.generate(kty="EC", crv="P-256")
    k384 = jwk.JWK.generate(kty="EC", crv="P-384")
    krsa = jwk.JWK.generate(kty="RSA", size=2048)
    ked = jwk.JWK.generate(kty="OKP", crv="Ed25519")
    pa, pb = pub_of(ka), pub_of(kb)
    jkt_a, jkt_b = thumb(pa), thumb(pb)
    secret = os.urandom(32)
    origin = "https://api.example.com"
    path = "/v1/things"
    htu = origin + path
    at = "eyJhbGciOiJFUzI1NiJ9.opaque-access-token.sig"
    cases = []

    def proof(header=None, payload=None, key=ka, alg="ES256", jwk_pub=None,
              raw_header=None, raw_payload=None, sig=None):
        h = {"typ": "dpop+jwt", "alg": alg,
             "jwk": jwk_pub if jwk_pub is not None else pub_of(key)}
        if header is not None:
            h.update(header)
            for k in [k for k, v in header.items() if v is None]:
                del h[k]
        p = {"jti": cm.b64(os.urandom(12)), "htm": "GET", "htu": htu,
             "iat": NOW, "ath": sha(at)}
        if payload is not None:
            p.update(payload)
            for k in [k for k, v in payload.items() if v is None]:
                del p[k]
        hs = cm.b64(raw_header if raw_header is not None else cm.compact(h))
        ps = cm.b64(raw_payload if raw_payload is not None else
                    cm.compact(p))
        if sig is not None:
            return hs + "." + ps + "." + cm.b64(sig)
        return cm.assemble(hs, ps, alg, key)

    def add(name, prf, expect, detail=None, policy="default", method="GET",
            p=path, token=at, cnf=None, now=NOW, **kw):
        c = {"name": name, "policy": policy, "proof": prf, "method": method,
             "path": p, "token": token,
             "cnf_jkt": (jkt_a if token is not None else None)
             if cnf is None else (None if cnf == "none" else cnf),
             "now": now, "expect": expect}
        if detail is not None:
            c["detail"] = detail
        c.update(kw)
        cases.append(c)

    # D1: the RFC 9449 proofs, each at its own iat.
    add("rfc9449_resource_request_ok", RFC_RESOURCE_PROOF, "ok",
        policy="rfc", p="/protectedresource", token=RFC_AT, cnf=RFC_JKT,
        now=1562262620, jkt=RFC_JKT)
    add("rfc9449_resource_post_audience", RFC_RESOURCE_PROOF, "audience",
        "htm", policy="rfc", method="POST", p="/protectedresource",
        token=RFC_AT, cnf=RFC_JKT, now=1562262620)
    add("rfc9449_resource_other_uri_audience", RFC_RESOURCE_PROOF,
        "audience", "htu", policy="rfc", p="/other", token=RFC_AT,
        cnf=RFC_JKT, now=1562262620)
    add("rfc9449_resource_other_token_binding", RFC_RESOURCE_PROOF,
        "binding", "ath", policy="rfc", p="/protectedresource",
        token=RFC_AT[:-1] + "V", cnf=RFC_JKT, now=1562262620)
    add("rfc9449_resource_hour_later_expired", RFC_RESOURCE_PROOF,
        "expired", "iat", policy="rfc", p="/protectedresource",
        token=RFC_AT, cnf=RFC_JKT, now=1562262618 + 3600)
    # D13: the token-request and refresh proofs share a jti 2680 s apart.
    add("rfc9449_token_request_ok", RFC_TOKEN_PROOF, "ok", policy="rfc",
        method="POST", p="/token", token=None, cnf="none",
        now=1562262617, jkt=RFC_JKT, group="rfc", spend="ok")
    add("rfc9449_token_request_replayed", RFC_TOKEN_PROOF, "ok",
        policy="rfc", method="POST", p="/token", token=None, cnf="none",
        now=1562262620, group="rfc", spend="replay")
    add("rfc9449_refresh_same_jti_later_ok", RFC_REFRESH_PROOF, "ok",
        policy="rfc", method="POST", p="/token", token=None, cnf="none",
        now=1562265297, jkt=RFC_JKT, group="rfc", spend="ok")
    # D10: the AS token-endpoint proof replayed at the resource server.
    add("rfc9449_token_proof_at_resource_audience", RFC_TOKEN_PROOF,
        "audience", "htm", policy="rfc", p="/protectedresource",
        token=None, cnf="none", now=1562262617)
    add("rfc9449_token_proof_at_resource_post_audience", RFC_TOKEN_PROOF,
        "audience", "htu", policy="rfc", method="POST",
        p="/protectedresource", token=None, cnf="none", now=1562262617)

    # Baselines, every algorithm family.
    add("baseline_es256_ok", proof(), "ok", jkt=jkt_a)
    add("baseline_rs256_ok", proof(key=krsa, alg="RS256"), "ok",
        cnf=thumb(pub_of(krsa)), jkt=thumb(pub_of(krsa)))
    add("baseline_ps256_ok", proof(key=krsa, alg="PS256"), "ok",
        cnf=thumb(pub_of(krsa)))
    add("baseline_eddsa_ok", proof(key=ked, alg="EdDSA"), "ok",
        policy="eddsa", cnf=thumb(pub_of(ked)), jkt=thumb(pub_of(ked)),
        requires=["eddsa"])
    add("proof_without_token_ok", proof(payload={"ath": None}), "ok",
        token=None, cnf="none")
    add("http_loopback_origin_ok", proof(payload={
        "htu": "http://127.0.0.1:8080" + path}), "ok")

    # D2: typ.
    add("typ_jwt_type", proof({"typ": "JWT"}), "type", "typ")
    add("typ_missing_type", proof({"typ": None}), "type", "typ")
    add("typ_at_jwt_type", proof({"typ": "at+jwt"}), "type", "at+jwt")
    add("typ_media_type_ok", proof({"typ": "application/dpop+jwt"}), "ok")
    add("typ_case_ok", proof({"typ": "DPoP+JWT"}), "ok")
    # D3: alg.
    add("alg_none_alg", proof({"alg": "none"}, alg="none"), "alg", "none")
    okey = jwk.JWK.generate(kty="oct", size=256)
    add("alg_hs256_oct_jwk_alg",
        proof({"alg": "HS256"}, key=okey, alg="HS256",
              jwk_pub={"kty": "oct", "k": okey.export(as_dict=True)["k"]}),
        "alg", "HS256")
    add("alg_es256_rsa_jwk_key", proof(jwk_pub=pub_of(krsa)), "key", "kty")
    add("alg_es256_p384_jwk_key", proof(jwk_pub=pub_of(k384)), "key",
        "P-256")
    add("alg_es384_not_allowed_alg", proof(key=k384, alg="ES384"), "alg",
        "configured")
    add("alg_eddsa_not_configured_alg", proof(key=ked, alg="EdDSA"), "alg",
        "EdDSA", cnf=thumb(pub_of(ked)), requires=["eddsa"])
    # crit.
    add("crit_crit", proof({"crit": ["exp"], "exp": 1}), "crit", "crit")
    # D4: private members.
    priv = ka.export(as_dict=True, private_key=True)
    add("jwk_private_d_key", proof(jwk_pub=priv), "key", "\"d\"")
    rpriv = krsa.export(as_dict=True, private_key=True)
    rpq = dict(pub_of(krsa), p=rpriv["p"], q=rpriv["q"])
    add("jwk_rsa_p_q_key", proof(key=krsa, alg="RS256", jwk_pub=rpq),
        "key", "\"p\"", cnf=thumb(pub_of(krsa)))
    # D5: no jwk.
    add("no_jwk_kid_key", proof({"jwk": None, "kid": "k1"}), "key", "jwk")
    add("no_jwk_jku_key", proof({"jwk": None,
                                 "jku": "https://attacker.example/jwks"}),
        "key", "jwk")
    add("no_jwk_x5c_key", proof({"jwk": None, "x5c": ["MIIB"]}), "key",
        "jwk")
    add("jwk_not_object_key", proof(jwk_pub="k"), "key", "object")
    # D6: bad points.
    short = dict(pa)
    xb = cm.base64.urlsafe_b64decode(pa["x"] + "==")
    short["x"] = cm.b64(xb[1:])
    add("jwk_x_31_bytes_key", proof(jwk_pub=short), "key", "coordinates")
    off = dict(pa)
    yb = bytearray(cm.base64.urlsafe_b64decode(pa["y"] + "=="))
    yb[-1] ^= 1
    off["y"] = cm.b64(bytes(yb))
    add("jwk_point_off_curve_key", proof(jwk_pub=off), "key", None)
    # D7: joined fields.
    p1, p2 = proof(), proof()
    add("two_proofs_comma_malformed", p1 + ", " + p2, "malformed", "comma")
    add("two_proofs_comma_nospace_malformed", p1 + "," + p2, "malformed",
        "comma")
    add("proof_padded_malformed", p1 + "=", "malformed", "padding")
    add("proof_two_segments_malformed", p1.rsplit(".", 1)[0], "malformed",
        "segments")
    # D8: htm.
    add("htm_lowercase_audience", proof(payload={"htm": "get"}),
        "audience", "htm")
    add("htm_post_on_get_audience", proof(payload={"htm": "POST"}),
        "audience", "htm")
    # D9: htu normalisation.
    add("htu_case_default_port_ok", proof(payload={
        "htu": "HTTPS://API.Example.COM:443/v1/things"}), "ok")
    add("htu_query_fragment_ignored_ok", proof(payload={
        "htu": htu + "?a=1#x"}), "ok")
    add("htu_trailing_slash_audience", proof(payload={"htu": htu + "/"}),
        "audience", "htu")
    add("htu_pct_unreserved_ok", proof(payload={
        "htu": origin + "/%7Euser/x"}), "ok", p="/~user/x")
    add("htu_dot_segments_ok", proof(payload={
        "htu": origin + "/v1/./a/../things"}), "ok")
    add("htu_pct_slash_audience", proof(payload={
        "htu": origin + "/v1%2Fthings"}), "audience", "htu")
    add("htu_path_case_audience", proof(payload={
        "htu": origin + "/V1/things"}), "audience", "htu")
    add("htu_userinfo_audience", proof(payload={
        "htu": "https://user@api.example.com/v1/things"}), "audience",
        "userinfo")
    add("htu_relative_audience", proof(payload={"htu": path}), "audience",
        "absolute")
    add("htu_other_port_audience", proof(payload={
        "htu": "https://api.example.com:8443/v1/things"}), "audience", "htu")
    add("htu_http_not_https_audience", proof(payload={
        "htu": "http://api.example.com/v1/things"}), "audience", "htu")
    # D10, D11: another server, a forwarded host.
    add("htu_as_token_endpoint_audience", proof(payload={
        "htu": "https://server.example.com/token"}), "audience", "htu")
    add("htu_forwarded_host_audience", proof(payload={
        "htu": "https://attacker.example/v1/things"}), "audience",
        "api.example.com")
    # D12: iat.
    add("iat_hour_old_expired", proof(payload={"iat": NOW - 3600}),
        "expired", "iat")
    add("iat_ten_minutes_ahead_lifetime", proof(payload={"iat": NOW + 600}),
        "lifetime", "future")
    add("iat_within_skew_ahead_ok", proof(payload={"iat": NOW + SKEW}), "ok")
    add("iat_at_window_edge_ok", proof(payload={"iat": NOW - 60 - SKEW}),
        "ok")
    add("iat_past_window_edge_expired",
        proof(payload={"iat": NOW - 61 - SKEW}), "expired", "iat")
    add("iat_string_claim", proof(payload={"iat": "1562262616"}), "claim",
        "iat")
    add("iat_1e300_claim", proof(raw_payload=cm.compact({
        "jti": "j1e300", "htm": "GET", "htu": htu, "ath": sha(at)})[:-1] +
        b',"iat":1e300}'), "claim", "iat")
    add("iat_negative_claim", proof(payload={"iat": -1}), "claim", "iat")
    add("iat_fractional_ok", proof(payload={"iat": NOW - 0.5}), "ok")
    add("iat_missing_claim", proof(payload={"iat": None}), "claim", "iat")
    # D13: replay, and the (jkt, htu, jti) key.
    rp = proof(payload={"jti": "same-jti"})
    add("replay_first_ok", rp, "ok", group="g1", spend="ok")
    add("replay_second_replay", rp, "ok", group="g1", spend="replay")
    add("replay_same_jti_other_key_ok",
        proof(key=kb, payload={"jti": "same-jti"}), "ok", cnf=jkt_b,
        group="g1", spend="ok")
    add("replay_same_jti_other_uri_ok",
        proof(payload={"jti": "same-jti", "htu": origin + "/v1/other"}),
        "ok", p="/v1/other", group="g1", spend="ok")
    # D14: jti bounds.
    add("jti_256_bytes_ok", proof(payload={"jti": "j" * 256}), "ok")
    add("jti_257_bytes_claim", proof(payload={"jti": "j" * 257}), "claim",
        "jti")
    add("jti_20k_claim", proof(payload={"jti": "j" * 20000}), "claim",
        "jti")
    add("jti_missing_claim", proof(payload={"jti": None}), "claim", "jti")
    add("jti_number_claim", proof(payload={"jti": 7}), "claim", "jti")
    add("htm_missing_claim", proof(payload={"htm": None}), "claim", "htm")
    add("htu_number_claim", proof(payload={"htu": 1}), "claim", "htu")
    add("nonce_number_claim", proof(payload={"nonce": 1}), "claim", "nonce")
    # D15: ath.
    add("ath_missing_claim", proof(payload={"ath": None}), "claim", "ath")
    add("ath_other_token_binding", proof(payload={"ath": sha(at + "x")}),
        "binding", "ath")
    add("ath_over_scheme_binding", proof(payload={"ath": sha("DPoP " + at)}),
        "binding", "ath")
    add("ath_without_token_binding", proof(), "binding", "ath", token=None,
        cnf="none")
    add("ath_padded_binding", proof(payload={"ath": sha(at) + "="}),
        "binding", "ath")
    # D17, D18: cnf.jkt.
    add("other_key_binding", proof(key=kb), "binding", "cnf.jkt")
    add("jkt_padded_binding", proof(), "binding", "canonical",
        cnf=jkt_a + "=")
    add("jkt_44_chars_binding", proof(), "binding", "canonical",
        cnf=jkt_a + "A")
    std = jkt_a.replace("-", "+").replace("_", "/")
    if std != jkt_a:
        add("jkt_standard_base64_binding", proof(), "binding", "canonical",
            cnf=std)
    add("token_without_jkt_binding", proof(), "binding", "cnf.jkt",
        cnf="none")
    # D19: extra members, another order, same thumbprint.
    extra = {"y": pa["y"], "use": "sig", "kid": "client-1", "alg": "ES256",
             "crv": pa["crv"], "x": pa["x"], "kty": "EC"}
    add("jwk_extra_members_same_jkt_ok", proof(jwk_pub=extra), "ok",
        jkt=jkt_a)
    add("jwk_use_enc_key", proof(jwk_pub=dict(pa, use="enc")), "key",
        "use")
    # D20: nonces.
    add("nonce_missing_nonce", proof(), "nonce", "nonce", policy="nonce",
        expect_nonce=nonce(secret, NOW))
    add("nonce_stale_nonce", proof(payload={
        "nonce": nonce(secret, NOW - 300)}), "nonce", "nonce",
        policy="nonce", expect_nonce=nonce(secret, NOW))
    add("nonce_unknown_nonce", proof(payload={
        "nonce": "eyJ7S_zG.eyJH0-Z.HX4w-7v"}), "nonce", "nonce",
        policy="nonce")
    add("nonce_current_ok", proof(payload={"nonce": nonce(secret, NOW)}),
        "ok", policy="nonce")
    add("nonce_previous_step_ok", proof(payload={
        "nonce": nonce(secret, NOW - 60)}), "ok", policy="nonce")
    add("nonce_current_old_iat_expired", proof(payload={
        "nonce": nonce(secret, NOW), "iat": NOW - 3600}), "expired", "iat",
        policy="nonce")
    # D22: ECDSA r = s = 0, a changed payload.
    add("ecdsa_zero_signature", proof(sig=bytes(64)), "signature",
        "signature")
    good = proof()
    h, pl, s = good.split(".")
    other = proof(payload={"htm": "POST"}).split(".")[1]
    add("signature_other_payload_signature", h + "." + other + "." + s,
        "signature", "signature")
    add("signature_der_length_signature", proof(sig=bytes(70)), "signature",
        "bytes")
    # D23: payload shape.
    add("payload_array_malformed", proof(raw_payload=b'["jti"]'),
        "malformed", "object")
    add("payload_duplicate_htu_malformed", proof(raw_payload=cm.compact({
        "jti": "dup", "htm": "GET", "htu": htu, "iat": NOW,
        "ath": sha(at)})[:-1] + b',"htu":"https://attacker.example/"}'),
        "malformed", "htu")

    doc = {
        "description": "DPoP proofs (RFC 9449) for tests/test_dpop.c: "
                       "unit-level cases run against dpop.c directly; "
                       "see tools/vectors/gen_pop_vectors.py for the format",
        "generator": cm.generator(__file__),
        "policies": {
            "default": {"origins": [origin, "http://127.0.0.1:8080"],
                        "algorithms": ["ES256", "RS256", "PS256"],
                        "max_age_s": 60, "clock_skew_s": SKEW},
            "eddsa": {"origins": [origin], "algorithms": ["ES256", "EdDSA"],
                      "max_age_s": 60, "clock_skew_s": SKEW,
                      "requires": ["eddsa"]},
            "nonce": {"origins": [origin], "algorithms": ["ES256"],
                      "max_age_s": 60, "clock_skew_s": SKEW,
                      "nonce_secret": cm.b64(secret)},
            "rfc": {"origins": ["https://resource.example.org",
                                "https://server.example.com"],
                    "algorithms": ["ES256"], "max_age_s": 60,
                    "clock_skew_s": SKEW},
        },
        "thumbprint_cases": [
            {"name": "rfc9449_section_6_1", "jwk": RFC_JWK, "jkt": RFC_JKT},
            {"name": "rfc7638_section_3_1", "jwk": RFC7638_JWK,
             "jkt": RFC7638_JKT},
            {"name": "extra_members_other_order", "jwk": extra,
             "jkt": jkt_a},
            {"name": "okp_ed25519", "jwk": WIMSE_WL_PUB, "jkt":
             thumb(WIMSE_WL_PUB)},
        ],
        "proof_cases": cases,
    }
    return doc


WIMSE_WL_PUB = {k: v for k, v in WIMSE_WL_JWK.items() if k != "d"}

# ----------------------------------------------------------------- WIMSE

def gen_wimse():
    is_key = jwk.JWK(**dict(WIMSE_IS_JWK, d=WIMSE_IS_D))
    wl_key = jwk.JWK(**WIMSE_WL_JWK)
    td_a = jwk.JWK.generate(kty="EC", crv="P-256", kid="a-1")
    td_a2 = jwk.JWK.generate(kty="EC", crv="P-256", kid="a-2")
    td_b = jwk.JWK.generate(kty="EC", crv="P-256", kid="b-1")
    td_s = jwk.JWK.generate(kty="EC", crv="P-256", kid="s-1")
    svid = jwk.JWK.generate(kty="EC", crv="P-256", kid="svid-1")
    w1 = jwk.JWK.generate(kty="EC", crv="P-256")
    w2 = jwk.JWK.generate(kty="EC", crv="P-256")
    wrsa = jwk.JWK.generate(kty="RSA", size=2048)
    sub = "wimse://a.example/orders"
    origin = "https://payments.a.example"
    path = "/v1/pay"
    at = "access-token-value"
    txn = "eyJhbGciOiJFUzI1NiJ9.txn-token.sig"
    cases = []

    def cnf_of(k, alg="ES256"):
        return dict(pub_of(k), alg=alg)

    def wit(claims=None, header=None, key=td_a, alg="ES256", wl=w1,
            wl_alg="ES256", raw_payload=None):
        h = {"alg": alg, "kid": key.export_public(as_dict=True).get("kid"), "typ": "wit+jwt"}
        if header is not None:
            h.update(header)
            for k in [k for k, v in header.items() if v is None]:
                del h[k]
        p = {"sub": sub, "iss": "https://wit.a.example", "iat": NOW - 60,
             "exp": NOW + 3600, "jti": cm.b64(os.urandom(12)),
             "cnf": {"jwk": cnf_of(wl, wl_alg)}}
        if claims is not None:
            p.update(claims)
            for k in [k for k, v in claims.items() if v is None]:
                del p[k]
        ps = cm.b64(raw_payload) if raw_payload is not None else \
            cm.b64(cm.compact(p))
        return cm.assemble(cm.b64(cm.compact(h)), ps, alg, key)

    def wpt(witv, claims=None, header=None, key=w1, alg="ES256",
            token=at, txn_tok=None, raw_header=None):
        h = {"alg": alg, "typ": "wpt+jwt"}
        if header is not None:
            h.update(header)
            for k in [k for k, v in header.items() if v is None]:
                del h[k]
        p = {"aud": origin + path, "exp": NOW + 120,
             "jti": cm.b64(os.urandom(16)), "wth": sha(witv)}
        if token is not None:
            p["ath"] = sha(token)
        if txn_tok is not None:
            p["tth"] = sha(txn_tok)
        if claims is not None:
            p.update(claims)
            for k in [k for k, v in claims.items() if v is None]:
                del p[k]
        hs = cm.b64(raw_header) if raw_header is not None else \
            cm.b64(cm.compact(h))
        return cm.assemble(hs, cm.b64(cm.compact(p)), alg, key)

    def add(name, witv, wptv, expect, detail=None, policy="default",
            method="POST", p=path, token=at, txn_tok=None, oth=None,
            now=NOW, **kw):
        c = {"name": name, "policy": policy, "wit": witv, "wpt": wptv,
             "method": method, "path": p, "token": token,
             "txn_token": txn_tok, "oth": oth or {}, "now": now,
             "expect": expect}
        if detail is not None:
            c["detail"] = detail
        c.update(kw)
        cases.append(c)

    # W1, W2, W3 (official example; its WPT needs EdDSA).
    ex = dict(policy="example", p="/path", token=WIMSE_AT, now=WIMSE_NOW)
    add("example_ok", WIMSE_WIT, WIMSE_WPT, "ok",
        sub="wimse://example.com/specific-workload", requires=["eddsa"],
        **ex)
    add("example_wpt_expired", WIMSE_WIT, WIMSE_WPT, "expired", "WPT exp",
        requires=["eddsa"], **dict(ex, now=1745510016 + SKEW))
    add("example_wit_expired", WIMSE_WIT, WIMSE_WPT, "expired", "WIT exp",
        requires=["eddsa"], **dict(ex, now=1745512510 + SKEW))
    add("example_query_ignored_ok", WIMSE_WIT, WIMSE_WPT, "ok",
        requires=["eddsa"], **dict(ex, p="/path?x=1"))
    add("example_trailing_slash_audience", WIMSE_WIT, WIMSE_WPT, "audience",
        "aud", requires=["eddsa"], **dict(ex, p="/path/"))
    add("example_other_path_audience", WIMSE_WIT, WIMSE_WPT, "audience",
        "aud", requires=["eddsa"], **dict(ex, p="/other"))
    # W5, W6 on the example.
    add("example_token_stripped_binding", WIMSE_WIT, WIMSE_WPT, "binding",
        "ath", requires=["eddsa"], **dict(ex, token=None))
    add("example_other_token_binding", WIMSE_WIT, WIMSE_WPT, "binding",
        "ath", requires=["eddsa"], **dict(ex, token="16_other"))
    add("example_txn_token_added_binding", WIMSE_WIT, WIMSE_WPT, "binding",
        "tth", requires=["eddsa"], **dict(ex, txn_tok=txn))
    # W4 on the example: another WIT of the same workload key.
    wit2 = cm.token({"alg": "ES256", "kid": "June 5", "typ": "wit+jwt"}, {
        "cnf": {"jwk": dict(WIMSE_WL_PUB, alg="EdDSA")},
        "exp": 1745512510, "iat": 1745508910, "jti": "another-wit",
        "sub": "wimse://example.com/specific-workload"}, is_key)
    add("example_wth_other_wit_binding", wit2, WIMSE_WPT, "binding", "wth",
        requires=["eddsa"], **ex)
    add("example_wit_alone_binding", WIMSE_WIT, None, "binding",
        "Workload-Proof-Token", requires=["eddsa"], **ex)
    # The example on a backend without EdDSA: the WIT verifies (ES256);
    # its cnf.jwk needs EdDSA, refused as alg naming the backend.
    # (tests/test_wimse.c checks it on such a backend only.)

    # Baselines of our own, every backend.
    w = wit()
    add("baseline_ok", w, wpt(w), "ok", sub=sub)
    add("baseline_no_token_ok", w, wpt(w, token=None), "ok", token=None)
    add("baseline_txn_token_ok", w, wpt(w, txn_tok=txn), "ok", txn_tok=txn)
    wr = wit(wl=wrsa, wl_alg="PS256")
    add("baseline_ps256_workload_ok", wr, wpt(wr, key=wrsa, alg="PS256"),
        "ok")
    wk2 = wit(key=td_a2)
    add("baseline_second_kid_ok", wk2, wpt(wk2), "ok")
    wsp = wit({"sub": "spiffe://s.example/ns/prod/sa/orders"}, key=td_s)
    add("spiffe_sub_ok", wsp, wpt(wsp), "ok",
        sub="spiffe://s.example/ns/prod/sa/orders")
    # W3: audience, X-Forwarded-Host.
    add("aud_query_ignored_ok", w, wpt(w), "ok", p=path + "?x=1")
    add("aud_trailing_slash_audience", w, wpt(w), "audience", "aud",
        p=path + "/")
    add("aud_forwarded_host_audience", w, wpt(w, {
        "aud": "https://evil.example" + path}), "audience", "aud")
    add("aud_array_claim", w, wpt(w, {"aud": [origin + path]}), "claim",
        "aud")
    # W4: a WPT made for another WIT of the same key.
    wb = wit()
    add("wth_other_wit_same_key_binding", wb, wpt(w), "binding", "wth")
    add("wth_missing_claim", w, wpt(w, {"wth": None}), "claim", "wth")
    # W5: ath.
    add("ath_token_stripped_binding", w, wpt(w), "binding", "ath",
        token=None)
    add("ath_other_token_binding", w, wpt(w), "binding", "ath",
        token="another-token")
    add("ath_missing_binding", w, wpt(w, token=None), "binding", "ath")
    # W6: tth.
    add("tth_missing_binding", w, wpt(w), "binding", "tth", txn_tok=txn)
    add("tth_without_txn_token_binding", w, wpt(w, txn_tok=txn), "binding",
        "tth")
    # W7: oth.
    xv = "custom-token-value"
    add("oth_understood_ok", w, wpt(w, {"oth": {"x-custom": sha(xv)}}),
        "ok", oth={"x-custom": xv})
    add("oth_not_understood_binding", w, wpt(w, {"oth": {
        "x-unknown": sha(xv)}}), "binding", "not understood",
        oth={"x-custom": xv})
    add("oth_upper_case_key_claim", w, wpt(w, {"oth": {
        "X-Custom": sha(xv)}}), "claim", "lower-case", oth={"x-custom": xv})
    add("oth_repeated_header_binding", w, wpt(w, {"oth": {
        "x-custom": sha(xv)}}), "binding", "more than once",
        oth={"x-custom": [xv, xv]})
    add("oth_header_absent_binding", w, wpt(w, {"oth": {
        "x-custom": sha(xv)}}), "binding", "absent", oth={"x-custom": None})
    add("oth_mismatch_binding", w, wpt(w, {"oth": {"x-custom": sha("x")}}),
        "binding", "x-custom", oth={"x-custom": xv})
    add("oth_not_object_claim", w, wpt(w, {"oth": "x"}), "claim", "oth")
    # W8: WPT alg vs cnf.jwk.alg.
    add("wpt_alg_other_than_cnf_alg", w, wpt(w, key=wrsa, alg="PS256"),
        "alg", "cnf.jwk.alg")
    add("wpt_alg_case_alg", w, wpt(w, header={"alg": "es256"}), "alg",
        "cnf.jwk.alg")
    # W9: cnf.jwk.
    add("cnf_alg_hs256_key", wit(wl_alg="HS256"), None, "key", "cnf.jwk",
        wpt_from_wit=True)
    add("cnf_alg_none_key", wit(wl_alg="none"), None, "key", "cnf.jwk",
        wpt_from_wit=True)
    add("cnf_alg_rsa_oaep_key", wit(wl_alg="RSA-OAEP"), None, "key",
        "cnf.jwk", wpt_from_wit=True)
    wpriv = dict(w1.export(as_dict=True, private_key=True), alg="ES256")
    add("cnf_private_d_key", wit({"cnf": {"jwk": wpriv}}), None, "key",
        "\"d\"", wpt_from_wit=True)
    add("cnf_ec_with_eddsa_key", wit(wl_alg="EdDSA"), None, "key",
        "cnf.jwk", wpt_from_wit=True, requires=["eddsa"])
    add("cnf_missing_alg_key", wit({"cnf": {"jwk": pub_of(w1)}}), None,
        "key", "alg", wpt_from_wit=True)
    add("cnf_missing_claim", wit({"cnf": None}), None, "claim", "cnf",
        wpt_from_wit=True)
    # W10: Workload Identifier grammar.
    for nm, s in [("port", "wimse://a.example:8443/w"),
                  ("userinfo", "wimse://u@a.example/w"),
                  ("query", "wimse://a.example/w?x"),
                  ("fragment", "wimse://a.example/w#f"),
                  ("no_authority", "wimse:/w"),
                  ("relative", "a.example/w"),
                  ("upper_host", "wimse://A.example/w"),
                  ("pct_host", "wimse://a%2Eexample/w"),
                  ("space", "wimse://a.example/w x"),
                  ("too_long", "wimse://a.example/" + "w" * 2040)]:
        ws = wit({"sub": s})
        add("sub_%s_claim" % nm, ws, wpt(ws), "claim", "sub")
    ws = wit({"sub": "wimse://a.example/" + "w" * 2030})
    add("sub_2048_bytes_ok", ws, wpt(ws), "ok")
    ws = wit({"sub": "spiffe://s.example/a//b"}, key=td_s)
    add("sub_bad_spiffe_id_claim", ws, wpt(ws), "claim", "SPIFFE")
    ws = wit({"sub": 7})
    add("sub_number_claim", ws, wpt(ws), "claim", "sub")
    # W11: cross-domain spoofing.
    ws = wit({"sub": "wimse://b.example/w"}, key=td_a)
    add("cross_domain_kid_key", ws, wpt(ws), "key", "kid")
    ws = wit({"sub": "wimse://b.example/w"}, key=td_a, header={"kid": None})
    add("cross_domain_no_kid_signature", ws, wpt(ws), "signature",
        "signature")
    ws = wit({"sub": "wimse://c.example/w"})
    add("trust_domain_not_configured_issuer", ws, wpt(ws), "issuer",
        "c.example")
    # W12: iss allowlist.
    ws = wit({"iss": "https://attacker.example"})
    add("iss_not_allowed_issuer", ws, wpt(ws), "issuer", "iss")
    ws = wit({"iss": None})
    add("iss_missing_with_allowlist_issuer", ws, wpt(ws), "issuer", "iss")
    # W13: a WIT alone.
    add("wit_without_wpt_binding", w, None, "binding",
        "Workload-Proof-Token")
    # W14: syntax.
    add("wpt_padded_malformed", w, wpt(w) + "=", "malformed", "WPT")
    add("wpt_two_joined_malformed", w, wpt(w) + "," + wpt(w), "malformed",
        "comma")
    add("wit_padded_malformed", w + "=", wpt(w), "malformed", "WIT")
    # W15: replay.
    rp = wpt(w, {"jti": "wpt-jti-1"})
    add("replay_first_ok", w, rp, "ok", group="g1", spend="ok")
    add("replay_second_replay", w, rp, "ok", group="g1", spend="replay")
    ow = wit({"sub": "wimse://a.example/billing"})
    add("replay_same_jti_other_sub_ok", ow, wpt(ow, {"jti": "wpt-jti-1"}),
        "ok", group="g1", spend="ok")
    # W16: WPT lifetime and claims.
    add("wpt_exp_one_day_lifetime", w, wpt(w, {"exp": NOW + 86400}),
        "lifetime", "exp")
    add("wpt_exp_past_expired", w, wpt(w, {"exp": NOW - SKEW}), "expired",
        "WPT exp")
    add("wpt_no_jti_claim", w, wpt(w, {"jti": None}), "claim", "jti")
    add("wpt_no_aud_claim", w, wpt(w, {"aud": None}), "claim", "aud")
    add("wpt_no_exp_claim", w, wpt(w, {"exp": None}), "claim", "exp")
    add("wpt_jti_too_long_claim", w, wpt(w, {"jti": "j" * 257}), "claim",
        "jti")
    # W17: type confusion.
    add("wit_as_wpt_type", w, w, "type", "wpt+jwt")
    dpop_like = wpt(w, header={"typ": "dpop+jwt"})
    add("dpop_proof_as_wpt_type", w, dpop_like, "type", "wpt+jwt")
    add("wpt_as_wit_type", wpt(w), wpt(w), "type", "wit+jwt")
    add("wit_typ_jwt_type", wit(header={"typ": "JWT"}), None, "type",
        "wit+jwt", wpt_from_wit=True)
    # W18: SPIFFE profile; a JWT-SVID key.
    ws = wit({"sub": "spiffe://s.example/ns/prod/sa/orders"}, key=td_s,
             header={"kid": None})
    add("spiffe_wit_without_kid_key", ws, wpt(ws), "key", "kid")
    ws = wit({"sub": "wimse://s.example/w"}, key=svid)
    add("jwt_svid_key_signs_wit_key", ws, wpt(ws), "key", "kid")
    # W20: WIT times.
    ws = wit({"iat": NOW + 600})
    add("wit_iat_future_lifetime", ws, wpt(ws), "lifetime", "iat")
    ws = wit({"iat": NOW - 60, "exp": NOW + 30 * 86400})
    add("wit_30_days_lifetime", ws, wpt(ws), "lifetime", "lifetime")
    ws = wit({"iat": None, "exp": NOW + 2 * 86400})
    add("wit_no_iat_far_exp_lifetime", ws, wpt(ws), "lifetime", "exp")
    ws = wit({"nbf": NOW + 600})
    add("wit_nbf_future_not_yet_valid", ws, wpt(ws), "not_yet_valid", "nbf")
    ws = wit({"exp": None})
    add("wit_no_exp_claim", ws, wpt(ws), "claim", "exp")
    ws = wit({"exp": "soon"})
    add("wit_exp_string_claim", ws, wpt(ws), "claim", "exp")
    # WIT header rules.
    add("wit_alg_none_alg", wit(header={"alg": "none"}, alg="none"), None,
        "alg", "none", wpt_from_wit=True)
    add("wit_alg_not_allowed_alg", wit(key=td_a, alg="ES256",
                                       header={"alg": "ES384"}), None,
        "alg", "ES384", wpt_from_wit=True)
    add("wit_crit_crit", wit(header={"crit": ["x"], "x": 1}), None, "crit",
        "crit", wpt_from_wit=True)
    add("wpt_crit_crit", w, wpt(w, header={"crit": ["x"], "x": 1}), "crit",
        "crit")
    ws = wit()
    h, pl, s = ws.split(".")
    add("wit_bad_signature", h + "." + wit().split(".")[1] + "." + s, None,
        "signature", "signature", wpt_from_wit=True)
    # WPT signed by another key (the key comes from the WIT only).
    add("wpt_other_key_signature", w, wpt(w, key=w2), "signature",
        "signature")
    add("wpt_header_jwk_ignored_signature", w, wpt(w, key=w2, header={
        "jwk": pub_of(w2)}), "signature", "signature")

    # Fill the WPTs of cases that only test the WIT.
    for c in cases:
        if c.pop("wpt_from_wit", False):
            c["wpt"] = wpt(c["wit"])

    def jwks(*keys, extra=None):
        d = cm.public_jwks(*keys)
        for k in d["keys"]:
            k["use"] = "sig"
        if extra:
            d["keys"].extend(extra)
        return d

    svid_pub = dict(pub_of(svid), use="jwt-svid")
    doc = {
        "description": "WIMSE WIT + WPT (draft-ietf-wimse-workload-creds-03,"
                       " draft-ietf-wimse-wpt-02) for tests/test_wimse.c: "
                       "unit-level cases run against wimse.c directly; see "
                       "tools/vectors/gen_pop_vectors.py for the format",
        "generator": cm.generator(__file__),
        "files": {
            "a.jwks.json": jwks(td_a, td_a2),
            "b.jwks.json": jwks(td_b),
            "s.jwks.json": jwks(td_s, extra=[svid_pub]),
            "example.jwks.json": {"keys": [WIMSE_IS_JWK]},
        },
        "policies": {
            "default": {
                "origins": [origin],
                "clock_skew_s": SKEW,
                "trust_domains": [
                    {"trust_domain": "a.example", "jwks_file": "a.jwks.json",
                     "algorithms": ["ES256"],
                     "issuers": ["https://wit.a.example"]},
                    {"trust_domain": "b.example", "jwks_file": "b.jwks.json",
                     "algorithms": ["ES256"]},
                    {"trust_domain": "s.example", "jwks_file": "s.jwks.json",
                     "algorithms": ["ES256"]},
                ],
                "max_wit_lifetime_s": 86400, "max_wpt_ttl_s": 300,
                "oth_understood": ["x-custom"],
            },
            "example": {
                "origins": ["https://workload.example.com"],
                "clock_skew_s": SKEW,
                "trust_domains": [
                    {"trust_domain": "example.com",
                     "jwks_file": "example.jwks.json",
                     "algorithms": ["ES256"]}],
                "max_wit_lifetime_s": 86400, "max_wpt_ttl_s": 300,
                "oth_understood": [],
            },
        },
        "wimse_cases": cases,
    }
    return doc


# ------------------------------------------------------------ pipeline

def gen_pipeline():
    """pop_pipeline.json: token + proof + request through hc_validate()."""
    as_key = jwk.JWK.generate(kty="EC", crv="P-256", kid="as-1")
    tts_key = jwk.JWK.generate(kty="EC", crv="P-256", kid="tts-1")
    wit_key = jwk.JWK.generate(kty="EC", crv="P-256", kid="wit-1")
    ka = jwk.JWK.generate(kty="EC", crv="P-256")
    kb = jwk.JWK.generate(kty="EC", crv="P-256")
    wl = jwk.JWK.generate(kty="EC", crv="P-256")
    jkt_a, jkt_b = thumb(pub_of(ka)), thumb(pub_of(kb))
    origin = "https://api.example.org"
    iss = "https://as.example.org"
    billing = "wimse://a.example/billing"
    secret = b"0123456789abcdef0123456789abcdef"   # 32 bytes, a test key
    peer_x5t = sha("a peer certificate")
    cases = []

    def at(cnf=None, claims=None, header=None):
        h = {"alg": "ES256", "kid": "as-1", "typ": "at+jwt"}
        h.update(header or {})
        p = {"iss": iss, "aud": "https://api.example.org", "sub": "alice",
             "client_id": "app-1", "iat": NOW - 10, "exp": NOW + 600,
             "scope": "orders:read", "jti": cm.b64(os.urandom(12))}
        if cnf is not None:
            p["cnf"] = cnf
        p.update(claims or {})
        return cm.token(h, p, as_key, "ES256")

    def proof(token, method="GET", path="/v1/orders", key=ka, claims=None):
        h = {"typ": "dpop+jwt", "alg": "ES256", "jwk": pub_of(key)}
        p = {"jti": cm.b64(os.urandom(12)), "htm": method,
             "htu": origin + path, "iat": NOW}
        if token is not None:
            p["ath"] = sha(token)
        p.update(claims or {})
        p = {k: v for k, v in p.items() if v is not None}
        return cm.token(h, p, key, "ES256")

    def txn_token():
        h = {"alg": "ES256", "kid": "tts-1", "typ": "txntoken+jwt"}
        p = {"iss": "https://tts.a.example", "iat": NOW - 10,
             "aud": "a.example", "exp": NOW + 300,
             "txn": cm.b64(os.urandom(12)), "sub": "alice",
             "scope": "orders:read", "req_wl": "gateway.a.example"}
        return cm.token(h, p, tts_key, "ES256")

    def wit(sub=billing):
        h = {"alg": "ES256", "kid": "wit-1", "typ": "wit+jwt"}
        p = {"sub": sub, "iat": NOW - 60, "exp": NOW + 3600,
             "jti": cm.b64(os.urandom(12)),
             "cnf": {"jwk": dict(pub_of(wl), alg="ES256")}}
        return cm.token(h, p, wit_key, "ES256")

    def wpt(witv, path, token=None, txn=None, claims=None):
        p = {"aud": origin + path, "exp": NOW + 120,
             "jti": cm.b64(os.urandom(16)), "wth": sha(witv)}
        if token is not None:
            p["ath"] = sha(token)
        if txn is not None:
            p["tth"] = sha(txn)
        p.update(claims or {})
        p = {k: v for k, v in p.items() if v is not None}
        return cm.token({"alg": "ES256", "typ": "wpt+jwt"}, p, wl, "ES256")

    def add(name, desc, token, request, expect, **kw):
        c = {"name": name, "description": desc, "now": NOW,
             "request": request, "expect": expect}
        if token is not None:
            c["token"] = token
        c.update(kw)
        cases.append(c)

    bound = {"jkt": jkt_a}
    # ---- DPoP (RFC 9449 sections 4.3, 6.1, 7.1, 7.2)
    t = at(bound)
    add("dpop/ok", "a cnf.jkt token with a proof by that key, htm, htu "
        "and ath right", t, {"route": "GET /v1/orders",
                             "dpop": proof(t)}, "ok")
    add("dpop/bound_token_as_bearer", "D16: a cnf.jkt token sent as "
        "Bearer (section 7.2 downgrade)", at(bound),
        {"route": "GET /v1/orders"}, "binding")
    t = at()
    add("dpop/unbound_token_as_dpop", "D16: a token without cnf.jkt sent "
        "with the DPoP scheme and a valid proof", t,
        {"route": "GET /v1/orders", "dpop": proof(t)}, "binding")
    t = at(bound)
    add("dpop/scheme_without_proof", "Authorization: DPoP without a DPoP "
        "header", t, {"route": "GET /v1/orders", "scheme": "DPoP"},
        "binding")
    t = at({"jkt": jkt_b})
    add("dpop/other_key", "D17: the token is bound to key B, the proof is "
        "signed by key A", t, {"route": "GET /v1/orders",
                               "dpop": proof(t)}, "binding")
    t = at(bound)
    add("dpop/other_url", "a proof for another URL of this service", t,
        {"route": "GET /v1/orders", "dpop": proof(t, path="/v1/other")},
        "audience")
    t = at(bound)
    add("dpop/other_method", "D8: a POST proof on a GET", t,
        {"route": "GET /v1/orders", "dpop": proof(t, method="POST")},
        "audience")
    t = at(bound)
    add("dpop/raw_path_trailing_slash", "the route matches /v1/orders/ "
        "(normalised), but htu is compared with the target as sent", t,
        {"route": "GET /v1/orders/", "dpop": proof(t)}, "audience")
    t = at(bound)
    add("dpop/query_ignored", "htu ignores the request's query", t,
        {"route": "GET /v1/orders?page=2", "dpop": proof(t)}, "ok")
    t = at(bound)
    add("dpop/ath_other_token", "D15: ath of another token", t,
        {"route": "GET /v1/orders", "dpop": proof(at(bound))}, "binding")
    t = at(bound)
    add("dpop/expired_proof", "D12: a proof an hour old", t,
        {"route": "GET /v1/orders",
         "dpop": proof(t, claims={"iat": NOW - 3600})}, "expired")
    t = at(bound, claims={"scope": "profile"})
    add("dpop/scope_after_proof", "a valid proof, then the route's scope "
        "refuses", t, {"route": "GET /v1/orders", "dpop": proof(t)},
        "scope")
    p = proof(None)
    add("dpop/proof_as_access_token", "D2 reversed: a DPoP proof sent as "
        "the access token", p, {"route": "GET /v1/orders"}, "type")
    both = {"jkt": jkt_a, "x5t#S256": peer_x5t}
    t = at(both)
    add("dpop/x5t_and_jkt_ok", "cnf holds x5t#S256 and jkt: the peer "
        "certificate and the proof both match", t,
        {"route": "GET /v1/orders", "peer_x5t": peer_x5t,
         "dpop": proof(t)}, "ok")
    t = at(both)
    add("dpop/x5t_and_jkt_other_peer", "cnf holds both; the proof matches "
        "and the peer certificate does not", t,
        {"route": "GET /v1/orders", "peer_x5t": sha("another certificate"),
         "dpop": proof(t)}, "binding")
    t = at(both)
    add("dpop/x5t_and_jkt_no_proof", "cnf holds both; the peer matches and "
        "there is no proof", t, {"route": "GET /v1/orders",
                                 "peer_x5t": peer_x5t}, "binding")
    t = at(bound)
    add("dpop/mode_off", "dpop.mode off: a DPoP request is refused", t,
        {"route": "GET /v1/orders", "dpop": proof(t)}, "binding",
        config_patch={"dpop": {"mode": "off"}})
    add("dpop/required_bearer", "dpop.mode required: an unbound Bearer "
        "token is refused", at(), {"route": "GET /v1/orders"}, "binding",
        config_patch={"dpop": {"mode": "required",
                               "algorithms": ["ES256"]}})
    nonce_conf = {"dpop": {"mode": "if_present", "algorithms": ["ES256"],
                           "nonce_secret_file": "dpop-nonce.key"}}
    t = at(bound)
    add("dpop/nonce_missing", "D20: nonces on, the proof has none", t,
        {"route": "GET /v1/orders", "dpop": proof(t)}, "nonce",
        config_patch=nonce_conf)
    t = at(bound)
    add("dpop/nonce_ok", "nonces on, the proof carries the current one", t,
        {"route": "GET /v1/orders",
         "dpop": proof(t, claims={"nonce": nonce(secret, NOW)})}, "ok",
        config_patch=nonce_conf)

    # ---- WIMSE (workload-creds-03 section 5, wpt-02 section 2)
    w = wit()
    add("wimse/workload_route_ok", "WIT + WPT alone on a route whose "
        "credentials are [\"workload\"]", None,
        {"route": "POST /wl", "wit": w, "wpt": wpt(w, "/wl")}, "ok")
    add("wimse/wit_without_wpt", "W13: a WIT alone is a bearer token",
        None, {"route": "POST /wl", "wit": wit()}, "binding")
    w = wit()
    add("wimse/wpt_without_wit", "a WPT without its WIT", None,
        {"route": "POST /wl", "wpt": wpt(w, "/wl")}, "malformed")
    add("wimse/wit_as_access_token", "W13: a WIT in Authorization", wit(),
        {"route": "GET /v1/orders"}, "type")
    add("wimse/no_workload", "a workload route with no credential", None,
        {"route": "POST /wl"}, "peer")
    w = wit()
    add("wimse/other_aud", "W3: a WPT for another path", None,
        {"route": "POST /wl", "wit": w, "wpt": wpt(w, "/other")},
        "audience")
    t, w = at(), wit()
    add("wimse/with_access_token_ath", "WIT + WPT + access token, ath "
        "right", t, {"route": "GET /v1/orders", "wit": w,
                     "wpt": wpt(w, "/v1/orders", token=t)}, "ok")
    t, w = at(), wit()
    add("wimse/with_access_token_no_ath", "W5 reversed: an access token "
        "the WPT does not cover (no ath)", t,
        {"route": "GET /v1/orders", "wit": w, "wpt": wpt(w, "/v1/orders")},
        "binding")
    x, w = txn_token(), wit()
    add("wimse/with_txn_token_tth", "WIT + WPT + Txn-Token, tth right; "
        "the WIT is the caller the Txn-Token needs", None,
        {"route": "GET /txn", "txn_token": x, "wit": w,
         "wpt": wpt(w, "/txn", txn=x)}, "ok")
    x, w = txn_token(), wit()
    add("wimse/with_txn_token_no_tth", "W6: a Txn-Token the WPT does not "
        "cover", None, {"route": "GET /txn", "txn_token": x, "wit": w,
                        "wpt": wpt(w, "/txn")}, "binding")
    w = wit()
    add("wimse/callers_ok", "route callers lists the WIT sub", None,
        {"route": "POST /callers", "wit": w, "wpt": wpt(w, "/callers")},
        "ok")
    w = wit("wimse://b.example/billing")
    add("wimse/callers_other_domain", "W19: the same path in another trust "
        "domain is another caller", None,
        {"route": "POST /callers", "wit": w, "wpt": wpt(w, "/callers")},
        "policy")
    dc = {"delegation": {"direct_callers": [billing]},
          "binding": {"mtls": "if_present", "peer_identity": "off"}}
    t, w = at(), wit()
    add("wimse/direct_callers_ok", "delegation.direct_callers lists the "
        "WIT sub", t, {"route": "GET /v1/orders", "wit": w,
                       "wpt": wpt(w, "/v1/orders", token=t)}, "ok",
        config_patch=dc)
    t, w = at(), wit("wimse://a.example/other")
    add("wimse/direct_callers_refused", "delegation.direct_callers does "
        "not list the WIT sub", t,
        {"route": "GET /v1/orders", "wit": w,
         "wpt": wpt(w, "/v1/orders", token=t)}, "policy",
        config_patch=dc)
    pi = {"binding": {"peer_identity": "required"}}
    t, w = at(claims={"client_id": billing}), wit()
    add("wimse/current_actor_ok", "binding.peer_identity: the WIT sub is "
        "the token's client", t,
        {"route": "GET /v1/orders", "wit": w,
         "wpt": wpt(w, "/v1/orders", token=t)}, "ok", config_patch=pi)
    t, w = at(claims={"client_id": billing}), wit("wimse://a.example/x")
    add("wimse/current_actor_other", "binding.peer_identity: the WIT sub "
        "is not the token's client", t,
        {"route": "GET /v1/orders", "wit": w,
         "wpt": wpt(w, "/v1/orders", token=t)}, "peer", config_patch=pi)
    t, w = at(), wit("wimse://a.example/x")
    add("wimse/client_mapped_other", "binding.identities maps the client "
        "to another workload than the WIT sub", t,
        {"route": "GET /v1/orders", "wit": w,
         "wpt": wpt(w, "/v1/orders", token=t)}, "peer")
    w = wit()
    add("wimse/peer_cert_other_identity", "an X.509 peer and a WIT naming "
        "two workloads", None,
        {"route": "POST /wl", "peer_spiffe_id": "spiffe://a.example/x",
         "wit": w, "wpt": wpt(w, "/wl")}, "peer")
    w = wit()
    add("wimse/mode_off", "wimse.mode off: a WIT is refused, not ignored",
        None, {"route": "POST /wl", "wit": w, "wpt": wpt(w, "/wl")},
        "malformed", config_patch={"wimse": {"mode": "off"}})

    doc = {
        "description": "DPoP (RFC 9449) and WIMSE WIT + WPT "
                       "(draft-ietf-wimse-workload-creds-03, "
                       "draft-ietf-wimse-wpt-02) through the whole "
                       "pipeline: a token, its proof and the request",
        "generator": cm.generator(__file__),
        "keys": cm.public_jwks(as_key),
        "files": {
            "tts.jwks.json": cm.public_jwks(tts_key),
            "wit.jwks.json": cm.public_jwks(wit_key),
            "dpop-nonce.key": secret.decode("ascii"),
        },
        "config": {
            "service": {"audiences": ["https://api.example.org"],
                        "origins": [origin]},
            "clock_skew_s": SKEW,
            "issuers": [{"issuer": iss, "jwks_file": "keys.json",
                         "algorithms": ["ES256"],
                         "token_types": ["at+jwt"]}],
            "binding": {"mtls": "if_present",
                        "identities": {"app-1": billing}},
            "dpop": {"mode": "if_present", "algorithms": ["ES256"],
                     "max_age_s": 60},
            "wimse": {"mode": "if_present", "trust_domains": [
                {"trust_domain": "a.example", "jwks_file": "wit.jwks.json",
                 "algorithms": ["ES256"]},
                {"trust_domain": "b.example", "jwks_file": "wit.jwks.json",
                 "algorithms": ["ES256"]}]},
            "txn_tokens": {"trust_domain": "a.example",
                           "jwks_file": "tts.jwks.json",
                           "algorithms": ["ES256"],
                           "issuers": ["https://tts.a.example"]},
            "routes": [
                {"method": "GET", "path": "/v1/orders",
                 "scopes": ["orders:read"]},
                {"method": "POST", "path": "/wl",
                 "credentials": ["workload"]},
                {"method": "POST", "path": "/callers",
                 "credentials": ["workload"], "callers": [billing]},
                {"method": "GET", "path": "/txn",
                 "credentials": ["txn_token"], "scopes": ["orders:read"]},
            ],
        },
        "cases": cases,
    }
    return doc


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=cm.TESTVECTORS)
    ap.add_argument("--only", choices=("dpop", "wimse", "pipeline"),
                    help="write one file only (the others keep their keys)")
    args = ap.parse_args()
    if args.only in (None, "dpop"):
        print(cm.write_doc(args.out, "dpop.json", gen_dpop()))
    if args.only in (None, "wimse"):
        print(cm.write_doc(args.out, "wimse.json", gen_wimse()))
    if args.only in (None, "pipeline"):
        print(cm.write_doc(args.out, "pop_pipeline.json", gen_pipeline()))


if __name__ == "__main__":
    main()
