#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""gen_vectors.py - make the language-neutral test vectors in testvectors/.

The tokens are made by jwcrypto (Debian's python3-jwcrypto), a JOSE
implementation that shares no code with hopcheck, so that a bug in
hopcheck's own encoder cannot hide the same bug in its decoder.  Run it with
the interpreter that has jwcrypto installed:

    /usr/bin/python3 tools/vectors/gen_vectors.py [--out testvectors]

What it writes: one JSON file per topic (core.json for layer 1, layer2.json
for claim types and applicability, routes.json for the authorisation context,
default_route.json for a configuration with a default route),
each holding the public keys, any extra file the configuration refers to, a
v1 configuration, and the cases: a token, a fixed clock, an optional request
and the expected stable status name (README.md "Test vectors").
tools/run_vectors.py and tests/test_vectors.c run them.

Keys are fresh on every run (jwcrypto cannot be seeded), so a re-run changes
every token; the committed vectors are data, and the private keys are
discarded when the script ends.  The only secret written out is the HMAC
secret that the HS* cases need, which is test data.

Malformed tokens are assembled by hand from raw header and payload bytes and
then signed over the exact signing input, as transmitted, with jwcrypto's
signature primitives (jwcrypto.jwa).  So each case carries one fault: a
validator that let the fault through would find a valid signature behind it.
"""

import argparse
import base64
import datetime
import json
import os
import sys

try:
    from jwcrypto import jwk, jws
    from jwcrypto.jwa import JWA
except ImportError:
    sys.exit("gen_vectors.py: needs jwcrypto (run it with /usr/bin/python3 "
             "on Debian, package python3-jwcrypto)")

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import utils as ec_utils
from cryptography.x509.oid import NameOID

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from vectors.common import (NOW, TESTVECTORS, as_bytes, assemble,  # noqa: E402
                            b64, compact, flip_trailing_bits, generator,
                            token)


GENERATOR = generator(__file__)

SKEW = 30
MAX_LIFETIME = 3600
AUD = "https://api.example.com"
ISS = "https://issuer.example.com"
OTHER = "https://other.example.com"
HS_ISS = "https://hs.example.com"
NOTYP_ISS = "https://notyp.example.com"
JWT_ISS = "https://jwt.example.com"
MAX_TOKEN_BYTES = 16384

ALL_ASYM = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
            "ES256", "ES384", "ES512"]

DEL = object()              # claims(x=DEL) removes x


# ------------------------------------------------------------------ encoding

def parts(tok):
    return tok.split(".")


# ---------------------------------------------------------------------- keys

class Keys:
    """Every key of one run: issuer keys, another issuer's, an attacker's."""

    def __init__(self):
        def rsa(kid, **extra):
            return jwk.JWK.generate(kty="RSA", size=2048, kid=kid, **extra)

        def ec(kid, crv):
            return jwk.JWK.generate(kty="EC", crv=crv, kid=kid)

        self.rsa1 = rsa("rsa-1")
        self.rsa2 = rsa("rsa-2")
        self.rsa_rs = rsa("rsa-rs256", alg="RS256")
        self.ec256 = ec("ec-256", "P-256")
        self.ec384 = ec("ec-384", "P-384")
        self.ec521 = ec("ec-521", "P-521")
        self.other_ec = ec("other-ec", "P-256")
        self.other_rsa = rsa("other-rsa")
        self.att_ec = ec("attacker-ec", "P-256")
        self.att_rsa = rsa("attacker-rsa")
        raw = os.urandom(48)
        # 64 printable bytes: the secret is the file's bytes, no newline.
        self.hs_secret = b64(raw)
        self.hs = jwk.JWK(kty="oct", k=b64(self.hs_secret.encode("ascii")))
        self.hs_wrong = jwk.JWK(kty="oct", k=b64(os.urandom(48)))

    @staticmethod
    def public(*keys):
        return {"keys": [k.export_public(as_dict=True) for k in keys]}

    def issuer_keys(self):
        return self.public(self.rsa1, self.rsa2, self.rsa_rs, self.ec256,
                           self.ec384, self.ec521)

    def other_keys(self):
        return self.public(self.other_ec, self.other_rsa)

    def attacker_cert_b64(self):
        """A self-signed certificate for the attacker's RSA key (x5c)."""
        priv = self.att_rsa.get_op_key("sign")
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME,
                                             "attacker.example")])
        cert = (x509.CertificateBuilder()
                .subject_name(name).issuer_name(name)
                .public_key(priv.public_key())
                .serial_number(1)
                .not_valid_before(datetime.datetime(2025, 1, 1))
                .not_valid_after(datetime.datetime(2027, 1, 1))
                .sign(priv, hashes.SHA256()))
        return base64.b64encode(
            cert.public_bytes(serialization.Encoding.DER)).decode("ascii")


# ----------------------------------------------------------------- the files

class VectorFile:
    """One testvectors/<topic>.json under construction."""

    def __init__(self, topic, description, keys, config, files=None):
        self.topic = topic
        self.description = description
        self.keys = keys
        self.config = config
        self.files = files or {}
        self.cases = []
        self.names = set()
        # (alg, key) that signed every case of the file, checked per case.
        self.signer = None

    def add(self, name, description, tok, expect, request=None, now=NOW,
            config_patch=None, check=None, signed=None):
        """Adds a case.  `check`: jwcrypto must accept the token with that
        key.  `signed` (alg, key), or the file's signer: the signature
        over the signing input must verify, whatever else the case breaks."""
        assert name not in self.names, name
        self.names.add(name)
        c = {"name": name, "description": description, "token": tok,
             "now": now}
        if request:
            c["request"] = request
        if config_patch:
            c["config_patch"] = config_patch
        c["expect"] = expect
        self.cases.append(c)
        if check is not None:
            self.self_check(name, tok, check)
        signed = signed or self.signer
        if signed is not None:
            self.signature_check(name, tok, *signed)

    @staticmethod
    def self_check(name, tok, key):
        """jwcrypto itself must verify an accepted token's signature."""
        s = jws.JWS()
        s.deserialize(tok)
        try:
            s.verify(key)
        except Exception as e:      # jwcrypto raises several types
            sys.exit("gen_vectors.py: self-check of %s failed: %s"
                     % (name, e))

    @staticmethod
    def signature_check(name, tok, alg, key):
        """The raw signature must verify: the case's fault lies elsewhere."""
        h, p, sig = tok.split(".")
        try:
            JWA.signing_alg(alg).verify(
                key, (h + "." + p).encode("utf-8"),
                base64.urlsafe_b64decode(sig + "=" * (-len(sig) % 4)))
        except Exception as e:      # jwcrypto raises several types
            sys.exit("gen_vectors.py: signature of %s does not verify: %r"
                     % (name, e))

    def write(self, outdir):
        doc = {"description": self.description, "generator": GENERATOR,
               "keys": self.keys}
        if self.files:
            doc["files"] = self.files
        doc["config"] = self.config
        doc["cases"] = self.cases
        path = os.path.join(outdir, self.topic + ".json")
        with open(path, "w", encoding="ascii") as f:
            json.dump(doc, f, indent=1, ensure_ascii=True)
            f.write("\n")
        return path, len(self.cases)


def claims(**over):
    """A valid payload for ISS at NOW, with members replaced or removed."""
    c = {"iss": ISS, "sub": "user:alice", "aud": AUD, "iat": NOW - 60,
         "exp": NOW + 600, "jti": "j-1", "client_id": "web-app"}
    for k, v in over.items():
        if v is DEL:
            c.pop(k, None)
        else:
            c[k] = v
    return c


def hdr(alg, kid, **over):
    h = {"alg": alg}
    if kid is not None:
        h["kid"] = kid
    h["typ"] = "at+jwt"
    for k, v in over.items():
        if v is DEL:
            h.pop(k, None)
        else:
            h[k] = v
    return h


def payload_text(**over):
    """Compact JSON text of claims(), for hand-edited payloads."""
    return compact(claims(**over)).decode("utf-8")


# ===================================================================== core

def make_core(K):
    config = {
        "service": {"audiences": [AUD]},
        "clock_skew_s": SKEW,
        "max_token_bytes": MAX_TOKEN_BYTES,
        "issuers": [
            {"issuer": ISS, "jwks_file": "keys.json", "algorithms": ALL_ASYM,
             "token_types": ["at+jwt"], "max_lifetime_s": MAX_LIFETIME},
            {"issuer": OTHER, "jwks_file": "other.jwks.json",
             "algorithms": ["ES256"], "max_lifetime_s": MAX_LIFETIME},
            {"issuer": HS_ISS, "hmac_secret_file": "hs.secret",
             "algorithms": ["HS256", "HS384", "HS512"],
             "max_lifetime_s": MAX_LIFETIME},
        ],
    }
    files = {"other.jwks.json": K.other_keys(), "hs.secret": K.hs_secret}
    V = VectorFile(
        "core",
        "Layer 1 of the pipeline (docs/ARCHITECTURE.md): size, compact JWS syntax, "
        "strict base64url, strict UTF-8 JSON without duplicate members, "
        "alg and crit, the issuer that selects the keys, key lookup by kid "
        "within that issuer's set, and the signature; plus one accepted "
        "token per supported algorithm.  The secret file hs.secret has no "
        "trailing newline.",
        K.issuer_keys(), config, files)

    es = lambda **o: token(hdr("ES256", "ec-256"), claims(**o), K.ec256)
    good = es()
    h0, p0, s0 = parts(good)

    # ---------------------------------------------------------- accepted
    for alg, key in [("RS256", K.rsa1), ("RS384", K.rsa1), ("RS512", K.rsa1),
                     ("PS256", K.rsa2), ("PS384", K.rsa2), ("PS512", K.rsa2),
                     ("ES256", K.ec256), ("ES384", K.ec384),
                     ("ES512", K.ec521)]:
        kid = key.get("kid")
        V.add("ok-" + alg.lower(),
              "%s token, kid %s, every claim valid: accepted (RFC 7518 "
              "section 3.1, RFC 9068 section 4)" % (alg, kid),
              token(hdr(alg, kid), claims(), key), "ok", check=key)
    for alg in ["HS256", "HS384", "HS512"]:
        V.add("ok-" + alg.lower(),
              "%s token of an issuer configured with hmac_secret_file: "
              "accepted (RFC 7518 section 3.2)" % alg,
              token(hdr(alg, None), claims(iss=HS_ISS), K.hs), "ok",
              check=K.hs)
    V.add("ok-rs256-key-with-alg",
          "RS256 token, kid names a JWK whose own alg is RS256: accepted "
          "(RFC 7517 section 4.4)",
          token(hdr("RS256", "rsa-rs256"), claims(), K.rsa_rs), "ok",
          check=K.rsa_rs)
    V.add("ok-other-issuer",
          "ES256 token of the second configured issuer, verified with that "
          "issuer's own key set (RFC 8725 section 3.8)",
          token(hdr("ES256", "other-ec"), claims(iss=OTHER), K.other_ec),
          "ok", check=K.other_ec)
    V.add("ok-no-kid-one-key",
          "ES256 token without kid; exactly one key of the issuer's set can "
          "verify ES256, so it is used (RFC 7515 section 4.1.4: kid is "
          "optional)",
          token(hdr("ES256", None), claims(), K.ec256), "ok", check=K.ec256)
    V.add("ok-no-kid-es512",
          "ES512 token without kid; only the P-521 key can verify ES512 "
          "(RFC 7518 section 3.4)",
          token(hdr("ES512", None), claims(), K.ec521), "ok", check=K.ec521)
    V.add("ok-typ-rfc9068-example",
          "typ \"at+JWT\" exactly as in the example of RFC 9068 section 2.1; "
          "media types compare case-insensitively (RFC 7515 section 4.1.9)",
          token(hdr("ES256", "ec-256", typ="at+JWT"), claims(), K.ec256),
          "ok", check=K.ec256)
    V.add("ok-header-whitespace",
          "insignificant whitespace inside the header JSON (RFC 8259 "
          "section 2); the signing input is the segment as sent",
          token('{ "alg" : "ES256",\n "kid":"ec-256", "typ":"at+jwt" }',
                claims(), K.ec256, alg="ES256"), "ok", check=K.ec256)
    V.add("ok-payload-trailing-newline",
          "payload JSON followed by a newline: whitespace around the value "
          "is part of the JSON grammar (RFC 8259 section 2)",
          token(hdr("ES256", "ec-256"), payload_text() + "\n", K.ec256),
          "ok", check=K.ec256)
    V.add("ok-escaped-header-name",
          "header member written \"\\u0061lg\" is the member alg (RFC 7515 "
          "section 10.13; RFC 8259 section 7)",
          token('{"\\u0061lg":"ES256","kid":"ec-256","typ":"at+jwt"}',
                claims(), K.ec256, alg="ES256"), "ok", check=K.ec256)
    V.add("ok-escaped-claim-name",
          "claim name written \"\\u0061ud\" (and not duplicated) is the aud "
          "claim (RFC 8259 section 7)",
          token(hdr("ES256", "ec-256"),
                payload_text(aud=DEL)[:-1] + ',"\\u0061ud":"%s"}' % AUD,
                K.ec256), "ok", check=K.ec256)
    V.add("ok-escaped-iss-value",
          "iss value with an escaped character (\"https:\\/\\/...\") equals "
          "the configured issuer after unescaping (RFC 8259 section 7)",
          token(hdr("ES256", "ec-256"),
                payload_text().replace('"iss":"https://',
                                       '"iss":"https:\\/\\/'), K.ec256),
          "ok", check=K.ec256)
    V.add("ok-member-names-differ-in-case",
          "\"aud\" and \"AUD\" are different members (names are "
          "case-sensitive, RFC 7519 section 4): no duplicate",
          token(hdr("ES256", "ec-256"), claims(AUD="x"), K.ec256), "ok",
          check=K.ec256)
    V.add("ok-unknown-header",
          "an unknown header parameter that is not listed in crit is "
          "ignored (RFC 7515 section 4)",
          token(hdr("ES256", "ec-256", **{"x-foo": "bar"}), claims(),
                K.ec256), "ok", check=K.ec256)
    V.add("ok-utf8-claims",
          "non-ASCII UTF-8 in claim values, raw and as an escaped surrogate "
          "pair (RFC 8259 sections 7 and 8.1)",
          token(hdr("ES256", "ec-256"),
                payload_text(name="Zo\u00eb \U0001F600")[:-1]
                + ',"nick":"\\ud83d\\ude00"}', K.ec256), "ok",
          check=K.ec256)
    deep_ok = payload_text()[:-1] + ',"deep":' + "[" * 31 + "]" * 31 + "}"
    V.add("ok-depth-32",
          "payload nested 32 levels deep (the object and 31 arrays), the "
          "maximum (HC_JSON_MAX_DEPTH, RFC 8259 section 9)",
          token(hdr("ES256", "ec-256"), deep_ok, K.ec256), "ok",
          check=K.ec256)

    # ------------------------------------------------------------- size
    def sized(target):
        """An ES256 token of exactly `target` bytes (a pad claim)."""
        for variant in ('{"alg":"ES256","kid":"ec-256","typ":"at+jwt"}',
                        '{"alg":"ES256", "kid":"ec-256","typ":"at+jwt"}'):
            hseg = b64(variant.encode())
            need = target - len(hseg) - 2 - 86
            base = len(compact(claims(pad="")))
            guess = need * 3 // 4 - base
            for n in range(max(0, guess - 8), guess + 8):
                p = b64(compact(claims(pad="x" * n)))
                if len(p) == need:
                    return assemble(hseg, p, "ES256", K.ec256)
        raise AssertionError("no token of %d bytes" % target)
    t = sized(MAX_TOKEN_BYTES)
    assert len(t) == MAX_TOKEN_BYTES
    V.add("ok-size-at-limit",
          "token of exactly max_token_bytes (%d) bytes: accepted "
          "(RFC 8725 section 3.1 limits, docs/ARCHITECTURE.md)" % MAX_TOKEN_BYTES,
          t, "ok", check=K.ec256)
    t = sized(MAX_TOKEN_BYTES + 1)
    V.add("size-over-limit",
          "token one byte over max_token_bytes: rejected before any "
          "decoding (docs/ARCHITECTURE.md layer 1)", t, "malformed")

    # --------------------------------------------------------- segments
    V.add("segments-empty", "empty token (RFC 7515 section 7.1)", "",
          "malformed")
    V.add("segments-1", "one segment, no dots (RFC 7515 section 7.1: "
          "exactly three parts)", h0, "malformed")
    V.add("segments-2", "two segments, signature part missing with its dot "
          "(RFC 7515 section 7.1)", h0 + "." + p0, "malformed")
    V.add("segments-4", "four segments: a valid token with one more part "
          "(RFC 7515 section 7.1)", good + "." + s0, "malformed")
    V.add("segments-5", "five segments, the shape of a JWE (RFC 7516 "
          "section 7.1): never decrypted, not a JWS",
          h0 + "." + p0 + "." + s0 + "." + s0 + "." + s0, "malformed")
    V.add("segments-dots-only", "\"..\": three empty segments "
          "(RFC 7515 section 7.1)", "..", "malformed")
    V.add("segments-empty-header", "empty header segment with a valid "
          "payload and signature over the empty header (RFC 7515 section "
          "5.2 step 2)", assemble("", p0, "ES256", K.ec256), "malformed")
    V.add("segments-empty-payload", "empty payload segment: a JWT's "
          "payload is a JSON object (RFC 7519 section 7.2 step 10)",
          assemble(h0, "", "ES256", K.ec256), "malformed")

    # ------------------------------------------------------- base64url
    def with_padding(seg):
        return seg + "=" * (-len(seg) % 4)

    # A header whose encoding needs padding.
    hh = b64(compact(hdr("ES256", "ec-256")))
    for fill in ("", "a", "ab"):
        if len(hh) % 4:
            break
        hh = b64(compact(hdr("ES256", "ec-256", **{"x-p": fill})))
    assert len(hh) % 4
    V.add("b64-header-padding",
          "header segment with '=' padding; the signature is over the "
          "padded text (RFC 7515 section 2: base64url without padding)",
          assemble(with_padding(hh), p0, "ES256", K.ec256), "malformed")
    pp = p0
    for fill in ("", "a", "ab"):
        if len(pp) % 4:
            break
        pp = b64(compact(claims(x=fill)))
    assert len(pp) % 4
    V.add("b64-payload-padding",
          "payload segment with '=' padding, signed over the padded text "
          "(RFC 7515 section 2)",
          assemble(h0, with_padding(pp), "ES256", K.ec256), "malformed")
    V.add("b64-signature-padding",
          "signature segment of a valid token with '=' padding added (RFC "
          "7515 section 2)", good + "=" * (-len(s0) % 4), "malformed")

    # Payloads whose base64url holds '-' and '_', to swap in '+' and '/'.
    def payload_with(ch):
        for i in range(2000):
            p = b64(compact(claims(n="%d~~~???>>>" % i)))
            if ch in p:
                return p
        raise AssertionError(ch)
    p = payload_with("-")
    V.add("b64-plus", "payload segment in the standard alphabet ('+' for "
          "'-'), signed over that text (RFC 4648 section 5, RFC 7515 "
          "section 2)", assemble(h0, p.replace("-", "+"), "ES256", K.ec256),
          "malformed")
    p = payload_with("_")
    V.add("b64-slash", "payload segment with '/' for '_' (standard "
          "alphabet), signed over that text (RFC 4648 section 5)",
          assemble(h0, p.replace("_", "/"), "ES256", K.ec256), "malformed")
    V.add("b64-space", "a space inside the payload segment (RFC 7515 "
          "section 2: no whitespace)",
          assemble(h0, p0[:20] + " " + p0[20:], "ES256", K.ec256),
          "malformed")
    V.add("b64-newline", "a line break inside the payload segment, as a "
          "MIME encoder would add (RFC 7515 section 2, RFC 4648 section 3.1)",
          assemble(h0, p0[:40] + "\n" + p0[40:], "ES256", K.ec256),
          "malformed")
    V.add("b64-tab", "a tab inside the header segment (RFC 7515 section 2)",
          assemble(h0[:8] + "\t" + h0[8:], p0, "ES256", K.ec256),
          "malformed")
    V.add("b64-star", "a '*' (not in the base64url alphabet) inside the "
          "payload segment (RFC 4648 section 5)",
          assemble(h0, p0[:16] + "*" + p0[16:], "ES256", K.ec256),
          "malformed")
    V.add("b64-non-ascii", "a non-ASCII character (U+00E9, two UTF-8 "
          "bytes) inside the payload segment (RFC 4648 section 5)",
          assemble(h0, p0[:16] + "\u00e9" + p0[16:], "ES256", K.ec256),
          "malformed")
    V.add("b64-signature-star", "a '*' inside the signature segment of a "
          "valid token (RFC 4648 section 5)",
          h0 + "." + p0 + "." + s0[:10] + "*" + s0[10:], "malformed")
    # len % 4 == 1 cannot be produced by any encoder.
    extra = p0 + ("A" if len(p0) % 4 == 0 else "AA" if len(p0) % 4 == 3
                  else "AAA")
    assert len(extra) % 4 == 1
    V.add("b64-payload-len-mod4-1", "payload segment whose length is 1 mod "
          "4, which no byte string encodes to (RFC 4648 section 5)",
          assemble(h0, extra, "ES256", K.ec256), "malformed")
    sig_extra = s0 + "A" * ((1 - len(s0)) % 4)
    assert len(sig_extra) % 4 == 1
    V.add("b64-signature-len-mod4-1", "signature segment of a valid token "
          "made 1 mod 4 long (RFC 4648 section 5)",
          h0 + "." + p0 + "." + sig_extra, "malformed")
    V.add("b64-signature-trailing-bits",
          "ES256 signature segment whose last character is changed so the "
          "unused bits are not zero; it decodes to the same 64 bytes "
          "(RFC 4648 section 3.5, canonical encoding)",
          h0 + "." + p0 + "." + flip_trailing_bits(s0), "malformed")
    V.add("b64-header-trailing-bits",
          "header segment with non-zero unused trailing bits, decoding to "
          "the same JSON; signed over that text (RFC 4648 section 3.5)",
          assemble(flip_trailing_bits(hh), p0, "ES256", K.ec256),
          "malformed")
    V.add("b64-payload-trailing-bits",
          "payload segment with non-zero unused trailing bits, decoding to "
          "the same JSON; signed over that text (RFC 4648 section 3.5)",
          assemble(h0, flip_trailing_bits(pp), "ES256", K.ec256),
          "malformed")

    # ------------------------------------------------------------- JSON
    H = '{"alg":"ES256","kid":"ec-256","typ":"at+jwt"}'
    P = payload_text()

    def es_raw(h, p):
        return token(as_bytes(h), as_bytes(p), K.ec256, alg="ES256")

    for name, h, what in [
            ("json-header-array", '["ES256"]', "a JSON array"),
            ("json-header-string", '"ES256"', "a JSON string"),
            ("json-header-number", '256', "a JSON number"),
            ("json-header-null", 'null', "JSON null")]:
        V.add(name, "header is %s, not an object (RFC 7515 section 5.2 "
              "step 3); signed with a valid key" % what,
              es_raw(h, P), "malformed")
    for name, p, what in [
            ("json-payload-array", "[" + P + "]", "a JSON array"),
            ("json-payload-string", json.dumps(P), "a JSON string"),
            ("json-payload-number", "1767225600", "a JSON number")]:
        V.add(name, "payload is %s, not a JSON object (RFC 7519 section "
              "7.2 step 10)" % what, es_raw(H, p), "malformed")
    V.add("json-header-trailing-bytes",
          "header JSON followed by more bytes (\"}x\") (RFC 7515 section "
          "5.2 step 3, RFC 8259 section 2)", es_raw(H + "x", P), "malformed")
    V.add("json-payload-second-value",
          "payload JSON followed by a second object (RFC 8259 section 2: "
          "one value)", es_raw(H, P + " {}"), "malformed")
    V.add("json-payload-trailing-comma",
          "payload with a trailing comma in an object (RFC 8259 section 4)",
          es_raw(H, P[:-1] + ",}"), "malformed")
    V.add("json-payload-single-quotes",
          "payload member name in single quotes (RFC 8259 section 7)",
          es_raw(H, P[:-1] + ",'x':1}"), "malformed")
    V.add("json-payload-comment",
          "payload with a /* comment */ (RFC 8259 has no comments)",
          es_raw(H, P[:-1] + "/* c */}"), "malformed")
    V.add("json-payload-nan", "payload member with the value NaN (RFC 8259 "
          "section 6)", es_raw(H, P[:-1] + ',"x":NaN}'), "malformed")
    V.add("json-payload-leading-zero",
          "number with a leading zero (RFC 8259 section 6)",
          es_raw(H, P[:-1] + ',"x":01}'), "malformed")
    V.add("json-payload-plus-number",
          "number with a leading '+' (RFC 8259 section 6)",
          es_raw(H, P[:-1] + ',"x":+1}'), "malformed")
    V.add("json-payload-control-char",
          "raw U+0001 inside a string (RFC 8259 section 7: control "
          "characters must be escaped)",
          es_raw(H, P[:-1] + ',"x":"a\x01b"}'), "malformed")
    V.add("json-header-truncated", "header JSON cut off before its end "
          "(RFC 8259 section 2)", es_raw(H[:-1], P), "malformed")

    pb = P[:-1].encode()
    for name, raw, what in [
            ("utf8-overlong", b',"name":"\xc0\xaf"}',
             "an overlong two-byte form of '/' (C0 AF)"),
            ("utf8-raw-ff", b',"name":"a\xffb"}', "the byte FF"),
            ("utf8-truncated", b',"name":"\xe2\x82"}',
             "a three-byte sequence cut after two bytes"),
            ("utf8-encoded-surrogate", b',"name":"\xed\xa0\x80"}',
             "a UTF-8 encoded surrogate (ED A0 80)"),
            ("utf8-above-10ffff", b',"name":"\xf4\x90\x80\x80"}',
             "a code point above U+10FFFF")]:
        V.add(name, "payload string holding %s: not UTF-8 (RFC 3629 section "
              "3, RFC 7519 section 7.2 step 10, RFC 8725 section 3.7)" % what,
              es_raw(H, pb + raw), "malformed")
    V.add("utf8-header-raw-ff", "header typ value holding the byte FF (RFC "
          "7515 section 5.2 step 3, RFC 3629)",
          es_raw(b'{"alg":"ES256","kid":"ec-256","typ":"at+jwt\xff"}', P),
          "malformed")
    V.add("json-lone-high-surrogate", "escaped lone surrogate \\ud800 in a "
          "string (RFC 8259 section 8.2: not a Unicode character)",
          es_raw(H, P[:-1] + ',"name":"\\ud800"}'), "malformed")
    V.add("json-lone-low-surrogate", "escaped lone low surrogate \\udc00 "
          "(RFC 8259 section 8.2)",
          es_raw(H, P[:-1] + ',"name":"x\\udc00"}'), "malformed")
    V.add("json-reversed-surrogates", "surrogate pair in the wrong order "
          "\\ude00\\ud83d (RFC 8259 section 8.2)",
          es_raw(H, P[:-1] + ',"name":"\\ude00\\ud83d"}'), "malformed")
    V.add("json-escaped-nul", "\"\\u0000\" inside a claim string; C "
          "strings would silently cut it (docs/ARCHITECTURE.md: no U+0000)",
          es_raw(H, P.replace('"sub":"user:alice"',
                              '"sub":"user:alice\\u0000admin"')),
          "malformed")
    V.add("json-escaped-nul-header", "\"\\u0000\" inside the header kid",
          es_raw('{"alg":"ES256","kid":"ec-256\\u0000","typ":"at+jwt"}', P),
          "malformed")
    deep = P[:-1] + ',"deep":' + "[" * 32 + "]" * 32 + "}"
    V.add("json-depth-33", "payload nested 33 levels deep, one over "
          "HC_JSON_MAX_DEPTH 32 (RFC 8259 section 9: limits)",
          es_raw(H, deep), "malformed")
    V.add("json-header-depth-33", "header nested 33 levels deep",
          es_raw(H[:-1] + ',"x":' + "{\"a\":" * 32 + "1" + "}" * 32 + "}",
                 P), "malformed")

    # ------------------------------------------------------- duplicates
    V.add("dup-header-alg", "header with \"alg\":\"ES256\",\"alg\":\"none\": "
          "two parsers could disagree on the algorithm (RFC 7515 section 4: "
          "reject duplicates)",
          es_raw('{"alg":"ES256","alg":"none","kid":"ec-256","typ":"at+jwt"}',
                 P), "malformed")
    V.add("dup-header-alg-same", "header with alg twice with the same value "
          "(RFC 7515 section 4)",
          es_raw('{"alg":"ES256","alg":"ES256","kid":"ec-256",'
                 '"typ":"at+jwt"}', P), "malformed")
    V.add("dup-header-kid", "header with kid twice (RFC 7515 section 4)",
          es_raw('{"alg":"ES256","kid":"ec-256","kid":"rsa-1",'
                 '"typ":"at+jwt"}', P), "malformed")
    V.add("dup-header-escaped", "header with \"\\u0061lg\" and \"alg\": the "
          "same name after unescaping (RFC 7515 section 10.13)",
          es_raw('{"\\u0061lg":"ES256","alg":"ES256","kid":"ec-256",'
                 '"typ":"at+jwt"}', P), "malformed")
    V.add("dup-payload-aud", "payload with aud twice (RFC 7519 section 4: "
          "reject duplicate claim names)",
          es_raw(H, P[:-1] + ',"aud":"https://evil.example.com"}'),
          "malformed")
    V.add("dup-payload-iss", "payload with iss twice, the unverified claim "
          "that selects the keys (RFC 7519 section 4, RFC 8725 section 3.8)",
          es_raw(H, P[:-1] + ',"iss":"%s"}' % OTHER), "malformed")
    V.add("dup-payload-escaped", "payload with \"\\u0061ud\" and \"aud\": a "
          "duplicate after unescaping (RFC 7519 section 4)",
          es_raw(H, P[:-1] + ',"\\u0061ud":"https://evil.example.com"}'),
          "malformed")
    V.add("dup-nested-act", "act object with sub twice (RFC 7519 section 4, "
          "applied at every depth)",
          es_raw(H, P[:-1] + ',"act":{"sub":"svc-a","sub":"svc-b"}}'),
          "malformed")
    V.add("dup-nested-cnf", "cnf object with x5t#S256 twice (RFC 7519 "
          "section 4 at every depth)",
          es_raw(H, P[:-1] + ',"cnf":{"x5t#S256":"a","x5t#S256":"b"}}'),
          "malformed")
    V.add("dup-in-array-object", "duplicate member inside an object inside "
          "an array of a private claim",
          es_raw(H, P[:-1] + ',"x":[{"k":1,"k":2}]}'), "malformed")

    # ------------------------------------------------------- alg member
    V.add("alg-missing", "header without alg (RFC 7515 section 4.1.1: "
          "REQUIRED)", es_raw('{"kid":"ec-256","typ":"at+jwt"}', P),
          "malformed")
    V.add("alg-uppercase-name", "header has \"ALG\" but no \"alg\": names "
          "are case-sensitive (RFC 7515 sections 4.1.1 and 10.13)",
          es_raw('{"ALG":"ES256","kid":"ec-256","typ":"at+jwt"}', P),
          "malformed")
    for name, v in [("alg-number", "256"), ("alg-null", "null"),
                    ("alg-array", '["ES256"]'), ("alg-true", "true")]:
        V.add(name, "header alg is %s, not a string (RFC 7515 section "
              "4.1.1)" % v,
              es_raw('{"alg":%s,"kid":"ec-256","typ":"at+jwt"}' % v, P),
              "malformed")

    # --------------------------------------------------------- alg none
    nh = b64(compact({"alg": "none", "typ": "at+jwt"}))
    V.add("alg-none-empty-sig", "alg none with an empty signature: an "
          "unsecured JWS (RFC 7518 section 3.6, RFC 8725 section 3.2, "
          "RFC 9068 section 4)", nh + "." + p0 + ".", "alg")
    V.add("alg-none-kept-sig", "alg none, keeping the signature of a valid "
          "ES256 token (RFC 8725 section 2.1)", nh + "." + p0 + "." + s0,
          "alg")
    for v in ("None", "NONE", "nOnE"):
        hv = b64(compact({"alg": v, "kid": "ec-256", "typ": "at+jwt"}))
        V.add("alg-none-" + v, "alg %s: a case variant of none (RFC 8725 "
              "section 2.1; libraries were fooled by it)" % v,
              hv + "." + p0 + ".", "alg")
    V.add("alg-none-unknown-iss", "alg none with an unconfigured iss: the "
          "alg check comes first (docs/ARCHITECTURE.md layer 1 order)",
          b64(compact({"alg": "none"})) + "."
          + b64(compact(claims(iss="https://evil.example.com"))) + ".",
          "alg")
    for v in ("XS256", "RS1", "es256", "ES256K", "EdDSA", "HS1", ""):
        V.add("alg-unknown-" + (v or "empty"),
              "alg %s is not an algorithm hopcheck verifies (RFC 7515 "
              "section 4.1.1: case-sensitive; RFC 7518 section 3.1)"
              % json.dumps(v),
              token(hdr(v, "ec-256"), claims(), K.ec256, alg="ES256"),
              "alg")

    # ------------------------------------------------- alg not allowed
    pem = K.rsa1.export_to_pem()
    der = K.rsa1.get_op_key("verify").public_bytes(
        serialization.Encoding.DER,
        serialization.PublicFormat.SubjectPublicKeyInfo)
    V.add("alg-hs256-rsa-pem-secret",
          "HS256 token MACed with the issuer's RSA public key PEM as the "
          "secret; the issuer has a key set, not a secret, and does not "
          "allow HS256 (RFC 8725 sections 2.1 and 3.1)",
          token(hdr("HS256", "rsa-1"), claims(),
                jwk.JWK(kty="oct", k=b64(pem))), "alg")
    V.add("alg-hs256-rsa-der-secret",
          "HS256 token MACed with the issuer's RSA public key DER "
          "(SubjectPublicKeyInfo) as the secret (RFC 8725 section 3.1)",
          token(hdr("HS256", "rsa-1"), claims(),
                jwk.JWK(kty="oct", k=b64(der))), "alg")
    V.add("alg-hs256-no-kid-pem-secret",
          "HS256 token without kid MACed with the PEM of the issuer's key "
          "(RFC 8725 section 3.1)",
          token(hdr("HS256", None), claims(),
                jwk.JWK(kty="oct", k=b64(pem))), "alg")
    V.add("alg-not-in-issuer-list",
          "RS256 token of an issuer whose algorithms are [\"ES256\"], "
          "signed with an RSA key of that issuer's own set (RFC 7515 "
          "section 5.2, RFC 8725 section 3.1)",
          token(hdr("RS256", "other-rsa"), claims(iss=OTHER), K.other_rsa),
          "alg")
    V.add("alg-es256-at-hmac-issuer",
          "ES256 token claiming the HMAC-only issuer (RFC 8725 section 3.1)",
          token(hdr("ES256", "ec-256"), claims(iss=HS_ISS), K.ec256), "alg")
    V.add("alg-ps256-key-alg-rs256",
          "PS256 token whose kid names a JWK carrying \"alg\":\"RS256\": a "
          "key is used with one algorithm (RFC 7517 section 4.4, RFC 8725 "
          "section 3.1)",
          token(hdr("PS256", "rsa-rs256"), claims(), K.rsa_rs), "alg")
    V.add("alg-rs384-key-alg-rs256",
          "RS384 token whose kid names a JWK carrying \"alg\":\"RS256\" "
          "(RFC 7517 section 4.4)",
          token(hdr("RS384", "rsa-rs256"), claims(), K.rsa_rs), "alg")
    V.add("alg-es384-p256-key",
          "ES384 token whose kid names a P-256 key (RFC 7518 section 3.4: "
          "ES384 is P-384)",
          token(hdr("ES384", "ec-256"), claims(), K.ec384), "alg")
    V.add("alg-es256-p384-key",
          "ES256 token whose kid names a P-384 key (RFC 7518 section 3.4)",
          token(hdr("ES256", "ec-384"), claims(), K.ec256), "alg")
    V.add("alg-es512-p384-key",
          "ES512 token whose kid names a P-384 key (RFC 7518 section 3.4)",
          token(hdr("ES512", "ec-384"), claims(), K.ec521), "alg")
    V.add("alg-rs256-ec-key",
          "RS256 token whose kid names an EC key (RFC 8725 section 3.1)",
          token(hdr("RS256", "ec-256"), claims(), K.rsa1), "alg")
    V.add("alg-es256-rsa-key",
          "ES256 token whose kid names an RSA key (RFC 8725 section 3.1)",
          token(hdr("ES256", "rsa-1"), claims(), K.ec256), "alg")

    # -------------------------------------------------------------- crit
    for name, crit, extra in [
            ("crit-exp", ["exp"], {}),
            ("crit-empty", [], {}),
            ("crit-alg", ["alg"], {}),
            ("crit-foo-present", ["foo"], {"foo": "bar"}),
            ("crit-foo-absent", ["foo"], {}),
            ("crit-b64", ["b64"], {"b64": True})]:
        h = hdr("ES256", "ec-256", crit=crit, **extra)
        V.add(name, "crit %s with a valid signature: hopcheck understands no "
              "extension, so any crit is rejected (RFC 7515 section "
              "4.1.11)" % json.dumps(crit),
              token(h, claims(), K.ec256), "crit", signed=("ES256", K.ec256))
    V.add("crit-string", "crit is a string, not an array: still a crit "
          "header (RFC 7515 section 4.1.11)",
          token(hdr("ES256", "ec-256", crit="exp"), claims(), K.ec256),
          "crit")
    V.add("crit-unknown-iss", "crit with an unconfigured iss: crit is "
          "checked before the issuer (docs/ARCHITECTURE.md layer 1 order)",
          token(hdr("ES256", "ec-256", crit=["exp"]),
                claims(iss="https://evil.example.com"), K.ec256), "crit")

    # ------------------------------------------------------------ issuer
    V.add("iss-missing", "payload without iss: no issuer can be chosen "
          "(RFC 9068 section 4, RFC 8725 section 3.8)",
          es(iss=DEL), "issuer")
    V.add("iss-trailing-slash", "iss equal to a configured issuer but for a "
          "trailing slash (RFC 9068 section 4: exact match)",
          es(iss=ISS + "/"), "issuer")
    V.add("iss-case", "iss differing from a configured issuer in case "
          "(RFC 7519 section 4.1.1: case-sensitive StringOrURI)",
          es(iss="https://Issuer.example.com"), "issuer")
    V.add("iss-http", "iss with http instead of https (RFC 9068 section 4)",
          es(iss="http://issuer.example.com"), "issuer")
    V.add("iss-empty", "iss is the empty string (RFC 9068 section 4)",
          es(iss=""), "issuer")
    V.add("iss-unknown", "iss of an issuer that is not configured, signed "
          "by that issuer's key (RFC 8725 section 3.8)",
          token(hdr("ES256", "attacker-ec"),
                claims(iss="https://evil.example.com"), K.att_ec), "issuer")
    V.add("iss-unknown-before-allowlist", "unconfigured iss with an alg that "
          "no issuer allows: the issuer is decided first (docs/ARCHITECTURE.md "
          "layer 1 order)",
          token(hdr("HS256", None), claims(iss="https://evil.example.com"),
                K.hs_wrong), "issuer")
    for name, v in [("iss-number", 5), ("iss-array", [ISS]),
                    ("iss-object", {"iss": ISS}), ("iss-null", None)]:
        V.add(name, "iss is %s, not a string (RFC 7519 section 4.1.1: "
              "StringOrURI)" % json.dumps(v), es(iss=v), "malformed")

    # --------------------------------------------------------------- kid
    for name, v in [("kid-number", 1), ("kid-null", None),
                    ("kid-array", ["ec-256"]), ("kid-object", {})]:
        V.add(name, "header kid is %s, not a string (RFC 7515 section "
              "4.1.4)" % json.dumps(v),
              token({"alg": "ES256", "kid": v, "typ": "at+jwt"}, claims(),
                    K.ec256),
              "malformed", signed=("ES256", K.ec256))
    V.add("kid-number-alg-not-allowed", "kid not a string and alg not in "
          "the issuer's list: the allowlist is checked first (docs/ARCHITECTURE.md "
          "layer 1 order)",
          token(hdr("RS256", 1), claims(iss=OTHER), K.other_rsa), "alg")

    # --------------------------------------------------------------- key
    V.add("key-kid-unknown", "kid that no key of the issuer carries (RFC "
          "7515 section 4.1.4, section 6)",
          token(hdr("ES256", "nope"), claims(), K.ec256), "key")
    V.add("key-kid-case", "kid differing in case from the issuer's key "
          "(kid is compared exactly, RFC 7517 section 4.5)",
          token(hdr("ES256", "EC-256"), claims(), K.ec256), "key")
    V.add("key-kid-trailing-space", "kid with a trailing space",
          token(hdr("ES256", "ec-256 "), claims(), K.ec256), "key")
    V.add("key-kid-empty", "kid is the empty string",
          token(hdr("ES256", ""), claims(), K.ec256), "key")
    V.add("key-kid-injection", "kid \"' OR 1=1 --\": only an exact match "
          "selects a key (RFC 8725 section 3.10)",
          token(hdr("ES256", "' OR 1=1 --"), claims(), K.ec256), "key")
    V.add("key-kid-path", "kid \"../../other.jwks.json\": never a path "
          "(RFC 8725 section 3.10)",
          token(hdr("ES256", "../../other.jwks.json"), claims(), K.ec256),
          "key")
    V.add("key-kid-of-other-issuer", "iss names the first issuer, kid names "
          "a key of the second issuer, signed by that key: keys are "
          "looked up in the token's issuer's own set only (RFC 8725 "
          "section 3.8)",
          token(hdr("ES256", "other-ec"), claims(), K.other_ec), "key")
    V.add("key-no-kid-ambiguous-rs256", "RS256 token without kid while "
          "three RSA keys of the set could verify it (RFC 7515 section "
          "4.1.4: the key must be determined, not guessed)",
          token(hdr("RS256", None), claims(), K.rsa1), "key")
    V.add("key-no-kid-ambiguous-ps256", "PS256 token without kid while "
          "two RSA keys could verify PS256 (the third is bound to RS256)",
          token(hdr("PS256", None), claims(), K.rsa2), "key")

    # --------------------------------------------------------- signature
    tampered = b64(compact(claims(sub="user:mallory")))
    V.add("sig-modified-payload", "payload changed after signing (sub "
          "replaced) (RFC 7515 section 5.2 step 8)",
          h0 + "." + tampered + "." + s0, "signature")
    h_t = b64(compact(hdr("ES256", "ec-256", typ="AT+JWT")))
    V.add("sig-modified-header", "header changed after signing (typ "
          "re-cased) (RFC 7515 section 5.2 step 8)",
          h_t + "." + p0 + "." + s0, "signature")
    respaced = b64(b'{"alg":"ES256", "kid":"ec-256","typ":"at+jwt"}')
    V.add("sig-header-reencoded", "header re-encoded with a space after "
          "signing: the signing input is the segments as sent, not a "
          "re-encoding (RFC 7515 section 5.1 step 5)",
          respaced + "." + p0 + "." + s0, "signature")
    V.add("sig-truncated", "ES256 signature cut to 63 bytes (RFC 7518 "
          "section 3.4: exactly 64)", h0 + "." + p0 + "." + s0[:84],
          "signature")
    V.add("sig-empty-es256", "ES256 token with an empty signature segment "
          "(RFC 7518 section 3.4)", h0 + "." + p0 + ".", "signature")
    rs = token(hdr("RS256", "rsa-1"), claims(), K.rsa1)
    V.add("sig-empty-rs256", "RS256 token with an empty signature segment "
          "(RFC 7518 section 3.3)", rs[:rs.rindex(".") + 1], "signature")
    V.add("sig-zero-es256", "ES256 signature r = s = 0 (the \"psychic "
          "signature\" of CVE-2022-21449; RFC 7518 section 3.4, SEC 1 "
          "section 4.1.4: 1 <= r, s <= n-1)",
          h0 + "." + p0 + "." + b64(bytes(64)), "signature")
    r_s = base64.urlsafe_b64decode(s0 + "==")
    der_sig = ec_utils.encode_dss_signature(
        int.from_bytes(r_s[:32], "big"), int.from_bytes(r_s[32:], "big"))
    V.add("sig-der-ecdsa", "ES256 signature in DER (ASN.1) form instead of "
          "raw r||s (RFC 7518 section 3.4)",
          h0 + "." + p0 + "." + b64(der_sig), "signature")
    V.add("sig-swapped-rs", "ES256 signature with r and s swapped",
          h0 + "." + p0 + "." + b64(r_s[32:] + r_s[:32]), "signature")
    V.add("sig-other-key-same-issuer", "RS256 token signed by rsa-2 but "
          "naming kid rsa-1 (RFC 7515 section 5.2 step 8)",
          token(hdr("RS256", "rsa-1"), claims(), K.rsa2), "signature")
    V.add("sig-rs256-as-ps256", "PS256 header with an RSASSA-PKCS1-v1_5 "
          "signature (RFC 7518 sections 3.3 and 3.5)",
          token(hdr("PS256", "rsa-1"), claims(), K.rsa1, alg="RS256"),
          "signature")
    V.add("sig-rs256-as-rs384", "RS384 header with an RS256 signature (RFC "
          "7518 section 3.3)",
          token(hdr("RS384", "rsa-1"), claims(), K.rsa1, alg="RS256"),
          "signature")
    V.add("sig-other-issuer-key-known-kid", "iss names the first issuer and "
          "kid one of its keys, but the second issuer's key signed it "
          "(RFC 8725 section 3.8)",
          token(hdr("ES256", "ec-256"), claims(), K.other_ec), "signature")
    V.add("sig-hs256-wrong-secret", "HS256 token MACed with another secret "
          "(RFC 7518 section 3.2)",
          token(hdr("HS256", None), claims(iss=HS_ISS), K.hs_wrong),
          "signature")
    hs = token(hdr("HS256", None), claims(iss=HS_ISS), K.hs)
    V.add("sig-hs256-truncated-mac", "HS256 MAC cut to 16 bytes (RFC 7518 "
          "section 3.2: the full MAC is compared)",
          hs[:hs.rindex(".") + 1] + b64(
              base64.urlsafe_b64decode(parts(hs)[2] + "=")[:16]),
          "signature")
    V.add("sig-hs512-with-hs256-mac", "HS512 header with an HS256 MAC (RFC "
          "7518 section 3.2)",
          token(hdr("HS512", None), claims(iss=HS_ISS), K.hs, alg="HS256"),
          "signature")

    # Keys named by the token itself: never used (RFC 8725 section 3.10).
    att_jwk = K.att_ec.export_public(as_dict=True)
    V.add("embedded-jwk-known-kid", "header jwk carries the attacker's key, "
          "which signed the token; kid names an issuer key, whose check "
          "fails (RFC 7515 section 4.1.3, RFC 8725 section 3.10)",
          token(hdr("ES256", "ec-256", jwk=att_jwk), claims(), K.att_ec),
          "signature")
    V.add("embedded-jwk-no-kid", "header jwk carries the attacker's key and "
          "there is no kid: the issuer's only ES256 key is used and fails",
          token(hdr("ES256", None, jwk=att_jwk), claims(), K.att_ec),
          "signature")
    V.add("embedded-jwk-own-kid", "header jwk and kid both name the "
          "attacker's key, which is not in the issuer's set (RFC 8725 "
          "section 3.10)",
          token(hdr("ES256", "attacker-ec", jwk=att_jwk), claims(),
                K.att_ec), "key")
    V.add("jku-known-kid", "header jku points at the attacker's JWKS; kid "
          "names an issuer key (RFC 7515 section 4.1.2, RFC 8725 section "
          "3.10: no fetch)",
          token(hdr("RS256", "rsa-1", jku="https://attacker.example/jwks"),
                claims(), K.att_rsa), "signature")
    V.add("jku-own-kid", "header jku points at the attacker's JWKS and kid "
          "names the attacker's key (RFC 8725 section 3.10)",
          token(hdr("RS256", "attacker-rsa",
                    jku="https://attacker.example/jwks"), claims(),
                K.att_rsa), "key")
    V.add("x5u-known-kid", "header x5u points at the attacker's "
          "certificate; kid names an issuer key (RFC 7515 section 4.1.5)",
          token(hdr("RS256", "rsa-2", x5u="https://attacker.example/c.pem"),
                claims(), K.att_rsa), "signature")
    cert = K.attacker_cert_b64()
    V.add("x5c-known-kid", "header x5c carries the attacker's certificate, "
          "whose key signed the token; kid names an issuer key (RFC 7515 "
          "section 4.1.6)",
          token(hdr("RS256", "rsa-1", x5c=[cert]), claims(), K.att_rsa),
          "signature")
    V.add("x5c-own-kid", "header x5c carries the attacker's certificate and "
          "kid names a key absent from the issuer's set",
          token(hdr("RS256", "attacker-rsa", x5c=[cert]), claims(),
                K.att_rsa), "key")
    return V


# =================================================================== layer 2

def make_layer2(K):
    config = {
        "service": {"audiences": [AUD]},
        "clock_skew_s": SKEW,
        "issuers": [
            {"issuer": ISS, "jwks_file": "keys.json", "algorithms": ["ES256"],
             "token_types": ["at+jwt"], "max_lifetime_s": MAX_LIFETIME,
             "required_claims": ["jti"]},
            {"issuer": NOTYP_ISS, "jwks_file": "keys.json",
             "algorithms": ["ES256"], "token_types": ["at+jwt", "none"],
             "max_lifetime_s": MAX_LIFETIME},
            {"issuer": JWT_ISS, "jwks_file": "keys.json",
             "algorithms": ["ES256"], "token_types": ["jwt"],
             "max_lifetime_s": MAX_LIFETIME},
        ],
        "audience": {"max_direct": 3},
    }
    V = VectorFile(
        "layer2",
        "After the signature verifies: the JSON types of registered claims "
        "(malformed), then layer 2 in order: typ, aud, exp, nbf, iat and "
        "lifetime, required claims.  clock_skew_s 30, max_lifetime_s 3600, "
        "required_claims [\"jti\"] for the first issuer; audience.max_direct "
        "3 and the default max_delegated 1.",
        K.public(K.ec256), config)
    V.signer = ("ES256", K.ec256)

    def es(h=None, raw=None, **o):
        if h is None:
            h = hdr("ES256", "ec-256")
        return token(h, raw if raw is not None else claims(**o), K.ec256,
                     alg="ES256")

    P = payload_text()

    def ok(name, desc, tok):
        V.add(name, desc, tok, "ok", check=K.ec256)

    ok("ok-baseline", "every claim valid (RFC 9068 section 4)", es())

    # -------------------------------------------------- claim JSON types
    types = [
        ("type-sub-number", "sub", 5, "RFC 7519 section 4.1.2"),
        ("type-sub-array", "sub", ["user:alice"], "RFC 7519 section 4.1.2"),
        ("type-jti-number", "jti", 7, "RFC 7519 section 4.1.7"),
        ("type-client-id-number", "client_id", 5, "RFC 8693 section 4.3"),
        ("type-client-id-object", "client_id", {}, "RFC 8693 section 4.3"),
        ("type-aud-number", "aud", 5, "RFC 7519 section 4.1.3"),
        ("type-aud-object", "aud", {"a": AUD}, "RFC 7519 section 4.1.3"),
        ("type-aud-array-number", "aud", [AUD, 5], "RFC 7519 section 4.1.3"),
        ("type-aud-array-nested", "aud", [[AUD]], "RFC 7519 section 4.1.3"),
        ("type-exp-string", "exp", "1999999999", "RFC 7519 section 4.1.4"),
        ("type-exp-bool", "exp", True, "RFC 7519 section 4.1.4"),
        ("type-exp-array", "exp", [NOW + 600], "RFC 7519 section 4.1.4"),
        ("type-exp-negative", "exp", -1, "RFC 7519 section 2 NumericDate"),
        ("type-exp-too-large", "exp", 253402300800,
         "RFC 7519 section 2; 9999-12-31T23:59:59Z is the maximum"),
        ("type-nbf-string", "nbf", str(NOW - 60), "RFC 7519 section 4.1.5"),
        ("type-nbf-negative", "nbf", -5, "RFC 7519 section 2"),
        ("type-iat-string", "iat", str(NOW - 60), "RFC 7519 section 4.1.6"),
        ("type-iat-negative", "iat", -1, "RFC 7519 section 2"),
        ("type-iat-too-large", "iat", 1e13, "RFC 7519 section 2"),
        ("type-scope-number", "scope", 5, "RFC 8693 section 4.2"),
        ("type-scope-array", "scope", ["a", "b"],
         "RFC 8693 section 4.2: a space-separated string"),
        ("type-scp-string", "scp", "a b", "scp is an array of strings"),
        ("type-scp-number-item", "scp", ["a", 1],
         "scp is an array of strings"),
        ("type-scp-object", "scp", {"a": 1}, "scp is an array of strings"),
        ("type-scp-element-space", "scp", ["payments:write orders:read"],
         "each scp element is one scope-token, RFC 6749 section 3.3"),
        ("type-scp-element-empty", "scp", ["a", ""],
         "each scp element is one scope-token, RFC 6749 section 3.3"),
        ("type-cnf-string", "cnf", "abc", "RFC 7800 section 3.1: an object"),
        ("type-cnf-array", "cnf", [], "RFC 7800 section 3.1"),
    ]
    for name, claim, v, sec in types:
        V.add(name, "%s is %s after a valid signature: wrong JSON type or "
              "range (%s)" % (claim, json.dumps(v), sec),
              es(**{claim: v}), "malformed")
    # docs/ARCHITECTURE.md: `chain` covers an act that is not well formed, reported in
    # layer 3 once the applicability checks have passed.
    for name, v in [("type-act-string", "spiffe://example.org/svc"),
                    ("type-act-array", [{"sub": "svc"}]),
                    ("type-act-number", 1)]:
        V.add(name, "act is %s after a valid signature: RFC 8693 section "
              "4.1 makes act a JSON object, so the chain is malformed "
              "(status chain)" % json.dumps(v), es(act=v), "chain")
    V.add("type-exp-huge-number", "exp 1e400, a number no double holds "
          "(RFC 7519 section 2, RFC 8259 section 6)",
          es(raw=P.replace('"exp":%d' % (NOW + 600), '"exp":1e400')),
          "malformed")
    for name, v, what in [
            ("scope-double-space", "a  b", "two spaces between tokens"),
            ("scope-leading-space", " a b", "a leading space"),
            ("scope-trailing-space", "a b ", "a trailing space"),
            ("scope-quote", 'a "b"', "a '\"' character"),
            ("scope-backslash", "a\\b", "a backslash"),
            ("scope-tab", "a\tb", "a tab separator"),
            ("scope-non-ascii", "caf\u00e9", "a non-ASCII character"),
            ("scope-only-space", " ", "only a space")]:
        V.add(name, "scope %s holds %s: not of the form of RFC 6749 section "
              "3.3 (scope-token = 1*( %%x21 / %%x23-5B / %%x5D-7E ), "
              "separated by single spaces)" % (json.dumps(v), what),
              es(scope=v), "malformed")
    ok("ok-scope-empty", "scope \"\" is a string with no scope tokens "
       "(RFC 6749 section 3.3)", es(scope=""))
    ok("ok-scope-tokens", "scope with printable RFC 6749 characters "
       "(\"a:b c/d!#[]~\")", es(scope="a:b c/d!#[]~"))
    ok("ok-scp-array", "scp as an array of strings",
       es(scp=["orders:read", "orders:write"]))
    ok("ok-unknown-claim-types", "private claims of any JSON type are not "
       "interpreted (RFC 7519 section 4.3)",
       es(x_num=1, x_arr=[1, "a", None], x_obj={"k": {"k": True}}))
    ok("ok-exp-exponent", "exp written as 1.7672262e9, a JSON number with "
       "an exponent equal to an integer (RFC 8259 section 6)",
       es(raw=P.replace('"exp":%d' % (NOW + 600), '"exp":1.7672262e9')))

    # -------------------------------------------------------------- typ
    for name, typ in [("typ-lowercase", "at+jwt"), ("typ-uppercase", "AT+JWT"),
                      ("typ-application-prefix", "application/at+jwt"),
                      ("typ-application-mixed-case", "Application/At+Jwt"),
                      ("typ-rfc9068-example", "at+JWT")]:
        ok("ok-" + name, "typ %s: the media type at+jwt, compared "
           "case-insensitively, \"application/\" optional (RFC 7515 "
           "section 4.1.9, RFC 9068 section 4)" % json.dumps(typ),
           es(hdr("ES256", "ec-256", typ=typ)))
    for name, typ, why in [
            ("typ-jwt", "JWT", "an ID token or other JWT (RFC 8725 "
             "section 3.11)"),
            ("typ-parameter", "at+jwt; x", "a media type parameter"),
            ("typ-trailing-space", "at+jwt ", "a trailing space"),
            ("typ-empty", "", "the empty string"),
            ("typ-double-prefix", "application/application/at+jwt",
             "the prefix twice"),
            ("typ-dpop", "dpop+jwt", "a DPoP proof (RFC 9449 section 4.2)"),
            ("typ-txn", "txntoken+jwt", "a transaction token"),
            ("typ-prefix-only", "application/", "only the prefix")]:
        V.add(name, "typ %s is %s, not at+jwt (RFC 9068 section 4, RFC 8725 "
              "section 3.11)" % (json.dumps(typ), why),
              es(hdr("ES256", "ec-256", typ=typ)), "type")
    V.add("typ-absent", "no typ header: RFC 9068 section 4 requires "
          "at+jwt", es(hdr("ES256", "ec-256", typ=DEL)), "type")
    V.add("typ-number", "typ is a number, not a string (RFC 7515 section "
          "4.1.9)", es(hdr("ES256", "ec-256", typ=1)), "malformed")
    ok("ok-typ-absent-allowed", "no typ, and the issuer's token_types lists "
       "\"none\" (docs/ARCHITECTURE.md config)",
       es(hdr("ES256", "ec-256", typ=DEL), iss=NOTYP_ISS))
    ok("ok-typ-present-none-allowed", "typ at+jwt at the issuer whose "
       "token_types is [\"at+jwt\", \"none\"]",
       es(iss=NOTYP_ISS))
    V.add("typ-jwt-none-allowed", "typ JWT at the issuer whose token_types "
          "is [\"at+jwt\", \"none\"]: \"none\" admits only a missing typ",
          es(hdr("ES256", "ec-256", typ="JWT"), iss=NOTYP_ISS), "type")
    V.add("typ-none-literal", "typ \"none\" is not a missing typ",
          es(hdr("ES256", "ec-256", typ="none"), iss=NOTYP_ISS), "type")
    ok("ok-typ-jwt-issuer", "typ JWT at an issuer with token_types "
       "[\"jwt\"]", es(hdr("ES256", "ec-256", typ="JWT"), iss=JWT_ISS))
    ok("ok-typ-application-jwt", "typ application/jwt at an issuer with "
       "token_types [\"jwt\"]",
       es(hdr("ES256", "ec-256", typ="application/jwt"), iss=JWT_ISS))
    V.add("typ-at-jwt-at-jwt-issuer", "typ at+jwt at an issuer that accepts "
          "only jwt (RFC 8725 section 3.11)",
          es(iss=JWT_ISS), "type")
    V.add("typ-absent-jwt-issuer", "no typ at an issuer that accepts only "
          "jwt", es(hdr("ES256", "ec-256", typ=DEL), iss=JWT_ISS), "type")

    # -------------------------------------------------------------- aud
    ok("ok-aud-string", "aud is the service's audience as a string (RFC "
       "7519 section 4.1.3)", es(aud=AUD))
    ok("ok-aud-array", "aud is an array naming this service among others",
       es(aud=["https://other.example.com", AUD]))
    ok("ok-aud-max-direct", "aud with 3 values, audience.max_direct 3",
       es(aud=["https://a.example.com", AUD, "https://b.example.com"]))
    for name, v, why in [
            ("aud-missing", DEL, "is missing (RFC 9068 section 4)"),
            ("aud-empty-array", [], "is [] (RFC 7519 section 4.1.3)"),
            ("aud-empty-string", "", "is \"\""),
            ("aud-other", "https://other.example.com", "names another "
             "service"),
            ("aud-other-array", ["https://other.example.com"], "names "
             "only other services"),
            ("aud-trailing-slash", AUD + "/", "differs by a trailing slash "
             "(RFC 7519 section 2: no canonicalisation)"),
            ("aud-case", "https://API.example.com", "differs in case"),
            ("aud-prefix", AUD + ".evil.com", "has the service as a prefix"),
            ("aud-over-max-direct",
             ["https://a.example.com", AUD, "https://b.example.com",
              "https://c.example.com"],
             "has 4 values, over audience.max_direct 3 (RFC 8707 section 3)")]:
        V.add(name, "aud %s" % why, es(aud=v), "audience")
    V.add("aud-delegated-two-values", "a token carrying act must name one "
          "audience (default audience.max_delegated 1); the audience check "
          "comes before the act chain (layer 3)",
          es(aud=[AUD, "https://b.example.com"],
             act={"sub": "spiffe://example.org/svc"}), "audience")
    V.add("aud-only-in-act", "top-level aud names another service, act.aud "
          "names this one: act.aud is not used (RFC 8693 section 4.1)",
          es(aud="https://other.example.com",
             act={"sub": "spiffe://example.org/svc", "aud": AUD}),
          "audience")

    # ------------------------------------------------------------- time
    for name, exp, expect, why in [
            ("exp-at-skew-edge", NOW - SKEW, "expired",
             "exp == now - skew: now >= exp + skew"),
            ("exp-past", NOW - 3000, "expired", "exp long past"),
            ("exp-zero", 0, "expired", "exp 0, the epoch"),
            ("exp-fraction-past", NOW - SKEW - 0.5, "expired",
             "exp = now - skew - 0.5 (fractional NumericDate)"),
            ("ok-exp-within-skew", NOW - SKEW + 1, "ok",
             "exp = now - skew + 1: within the skew"),
            ("ok-exp-fraction-within-skew", NOW - SKEW + 0.5, "ok",
             "exp = now - skew + 0.5 (fractional NumericDate)"),
            ("ok-exp-fraction", NOW + 600.25, "ok",
             "a fractional exp in the future")]:
        V.add(name, "%s (RFC 7519 section 4.1.4, clock_skew_s %d)"
              % (why, SKEW), es(exp=exp, iat=NOW - 600), expect,
              check=K.ec256 if expect == "ok" else None)
    V.add("exp-missing", "no exp: RFC 9068 section 2.2 requires it, hopcheck "
          "requires it always (docs/ARCHITECTURE.md layer 2)", es(exp=DEL), "claim")
    for name, nbf, expect, why in [
            ("ok-nbf-at-skew-edge", NOW + SKEW, "ok",
             "nbf == now + skew: now + skew >= nbf"),
            ("ok-nbf-now", NOW, "ok", "nbf == now"),
            ("nbf-future", NOW + SKEW + 1, "not_yet_valid",
             "nbf = now + skew + 1"),
            ("nbf-fraction-future", NOW + SKEW + 0.5, "not_yet_valid",
             "nbf = now + skew + 0.5 (fractional NumericDate)"),
            ("nbf-far-future", NOW + 500, "not_yet_valid",
             "nbf 500 s ahead")]:
        V.add(name, "%s (RFC 7519 section 4.1.5, clock_skew_s %d)"
              % (why, SKEW), es(nbf=nbf), expect,
              check=K.ec256 if expect == "ok" else None)
    for name, over, expect, why in [
            ("ok-iat-at-skew-edge", {"iat": NOW + SKEW}, "ok",
             "iat == now + skew"),
            ("iat-future", {"iat": NOW + SKEW + 1}, "lifetime",
             "iat = now + skew + 1: issued in the future"),
            ("ok-lifetime-at-max", {"iat": NOW - 100,
                                    "exp": NOW - 100 + MAX_LIFETIME}, "ok",
             "exp - iat == max_lifetime_s"),
            ("lifetime-over-max", {"iat": NOW - 100,
                                   "exp": NOW - 100 + MAX_LIFETIME + 1},
             "lifetime", "exp - iat = max_lifetime_s + 1"),
            ("lifetime-fraction-over-max",
             {"iat": NOW - 100, "exp": NOW - 100 + MAX_LIFETIME + 0.5},
             "lifetime", "exp - iat = max_lifetime_s + 0.5"),
            ("ok-lifetime-no-iat-at-max", {"iat": DEL,
                                           "exp": NOW + MAX_LIFETIME}, "ok",
             "no iat, exp - now == max_lifetime_s"),
            ("lifetime-no-iat-over-max", {"iat": DEL,
                                          "exp": NOW + MAX_LIFETIME + 1},
             "lifetime", "no iat, exp - now = max_lifetime_s + 1"),
            ("lifetime-max-numeric-date", {"iat": NOW,
                                           "exp": 253402300799},
             "lifetime", "exp 253402300799, the largest NumericDate "
             "accepted (in range, so not malformed), far over the lifetime")]:
        V.add(name, "%s (RFC 7519 section 4.1.6, RFC 9068 section 4, "
              "max_lifetime_s %d)" % (why, MAX_LIFETIME), es(**over), expect,
              check=K.ec256 if expect == "ok" else None)

    # ------------------------------------------------------ required claims
    V.add("claim-jti-missing", "required claim jti missing "
          "(required_claims [\"jti\"])", es(jti=DEL), "claim")
    V.add("claim-jti-null", "required claim jti is JSON null: jti is a "
          "registered claim that must be a string (RFC 7519 section 4.1.7), "
          "so the claim types reject it first", es(jti=None), "malformed")
    ok("ok-jti-not-required", "no jti at an issuer that does not require it",
       es(jti=DEL, iss=NOTYP_ISS))

    # ---------------------------------------------------------- ordering
    V.add("order-type-before-audience", "typ JWT and aud of another "
          "service: typ is checked first (docs/ARCHITECTURE.md layer 2 order)",
          es(hdr("ES256", "ec-256", typ="JWT"),
             aud="https://other.example.com"), "type")
    V.add("order-audience-before-expired", "aud of another service and "
          "expired: aud is checked first",
          es(aud="https://other.example.com", exp=NOW - 3000,
             iat=NOW - 3100), "audience")
    V.add("order-expired-before-not-yet-valid", "exp passed and nbf ahead: "
          "exp is checked first",
          es(exp=NOW - 100, iat=NOW - 200, nbf=NOW + 100), "expired")
    V.add("order-not-yet-valid-before-lifetime", "nbf ahead and iat ahead: "
          "nbf is checked before iat", es(nbf=NOW + 100, iat=NOW + 100),
          "not_yet_valid")
    V.add("order-lifetime-before-claim", "lifetime over the max and jti "
          "missing: the lifetime is checked first",
          es(iat=NOW - 10, exp=NOW + 2 * MAX_LIFETIME, jti=DEL), "lifetime")
    V.add("order-claim-type-before-typ", "typ JWT and exp a string: claim "
          "types are checked right after the signature, before layer 2",
          es(hdr("ES256", "ec-256", typ="JWT"), exp="1999999999"),
          "malformed")
    return V


# ==================================================================== routes

def make_routes(K):
    config = {
        "service": {"audiences": [AUD]},
        "clock_skew_s": SKEW,
        "issuers": [
            {"issuer": ISS, "jwks_file": "keys.json", "algorithms": ["ES256"],
             "max_lifetime_s": MAX_LIFETIME},
        ],
        "routes": [
            {"method": "POST", "path": "/v1/payments",
             "scopes": ["payments:write"]},
            {"method": "GET", "path": "/v1/orders/*",
             "scopes": ["orders:read"]},
            {"method": "GET", "path": "/v1/reports",
             "scopes": ["reports:read", "reports:export"],
             "tenant_claim": "tenant"},
            {"method": "PUT", "path": "/v1/accounts",
             "scopes": ["accounts:write"], "tenant_claim": "tenant"},
        ],
    }
    V = VectorFile(
        "routes",
        "Layer 3 without delegation or peer binding: route scopes against "
        "the token's scope or scp, the tenant claim against the request's "
        "tenant, and act refused when the configuration has no delegation "
        "section.",
        K.public(K.ec256), config)
    V.signer = ("ES256", K.ec256)

    def es(**o):
        return token(hdr("ES256", "ec-256"), claims(**o), K.ec256)

    def R(route, tenant=None):
        r = {"route": route}
        if tenant is not None:
            r["tenant"] = tenant
        return r

    def add(name, desc, tok, expect, request=None, **kw):
        V.add(name, desc, tok, expect, request=request,
              check=K.ec256 if expect == "ok" else None, **kw)

    pay = R("POST /v1/payments")
    add("ok-scope-exact", "POST /v1/payments needs payments:write; scope "
        "grants it (RFC 6749 section 3.3)", es(scope="payments:write"), "ok",
        pay)
    add("ok-scope-among-others", "the needed scope among others in the "
        "space-separated scope string (RFC 8693 section 4.2)",
        es(scope="openid payments:read payments:write"), "ok", pay)
    add("ok-scp-array", "the needed scope in an scp array",
        es(scp=["payments:write"]), "ok", pay)
    add("ok-query-ignored", "the query string is not part of the route "
        "path; the scope is granted", es(scope="payments:write"), "ok",
        R("POST /v1/payments?dry_run=1"))
    for name, over, why in [
            ("scope-missing", {}, "the token has no scope or scp"),
            ("scope-empty", {"scope": ""}, "scope is \"\""),
            ("scope-other", {"scope": "payments:read"}, "scope grants "
             "another scope"),
            ("scope-case", {"scope": "Payments:Write"}, "scope tokens are "
             "case-sensitive (RFC 6749 section 3.3)"),
            ("scope-longer-token", {"scope": "payments:writer"}, "a longer "
             "token is not the scope"),
            ("scope-shorter-token", {"scope": "payments:writ"}, "a prefix "
             "is not the scope"),
            ("scope-scp-other", {"scp": ["payments:read"]}, "scp grants "
             "another scope")]:
        add(name, "POST /v1/payments needs payments:write: %s" % why,
            es(**over), "scope", pay)
    add("scope-query-string", "a query string does not avoid the route: "
        "POST /v1/payments?x=1 still needs payments:write", es(), "scope",
        R("POST /v1/payments?x=1"))
    add("ok-prefix-route", "GET /v1/orders/123 matches the pattern "
        "/v1/orders/* and orders:read is granted", es(scope="orders:read"),
        "ok", R("GET /v1/orders/123"))
    add("scope-prefix-route", "GET /v1/orders/123 matches /v1/orders/* and "
        "the token lacks orders:read", es(scope="payments:write"), "scope",
        R("GET /v1/orders/123"))
    add("scope-prefix-route-deep", "GET /v1/orders/a/b matches /v1/orders/* "
        "(prefix match) and the token lacks orders:read", es(), "scope",
        R("GET /v1/orders/a/b"))
    add("scope-prefix-route-empty-rest", "GET /v1/orders/ matches "
        "/v1/orders/* (the prefix itself)", es(), "scope",
        R("GET /v1/orders/"))
    add("ok-no-route-match", "GET /v1/health matches no route and there is "
        "no default_route: no scope needed", es(), "ok", R("GET /v1/health"))
    add("ok-method-differs", "GET /v1/payments: the method differs from the "
        "POST route, so no route matches", es(), "ok", R("GET /v1/payments"))
    add("scope-prefix-route-collection", "GET /v1/orders is the collection "
        "that /v1/orders/* covers (paths arrive without a trailing slash), "
        "so its scope applies", es(), "scope", R("GET /v1/orders"))
    add("ok-no-request", "no route in the request: layer 3 has no route to "
        "check", es(), "ok")
    add("ok-two-scopes-and-tenant", "GET /v1/reports needs reports:read and "
        "reports:export and tenant equal to the request's",
        es(scope="reports:export reports:read", tenant="acme"), "ok",
        R("GET /v1/reports", "acme"))
    add("ok-two-scopes-scp", "both route scopes granted by scp",
        es(scp=["reports:read", "reports:export"], tenant="acme"), "ok",
        R("GET /v1/reports", "acme"))
    add("scope-one-of-two", "GET /v1/reports needs both reports:read and "
        "reports:export; only one is granted",
        es(scope="reports:read", tenant="acme"), "scope",
        R("GET /v1/reports", "acme"))
    add("order-scope-before-tenant", "scope lacking and tenant different: "
        "scopes are checked first (docs/ARCHITECTURE.md layer 3 order)",
        es(scope="reports:read", tenant="other"), "scope",
        R("GET /v1/reports", "acme"))

    acc = R("PUT /v1/accounts", "acme")
    add("ok-tenant", "PUT /v1/accounts has tenant_claim tenant: the token's "
        "tenant equals the request's", es(scope="accounts:write",
                                           tenant="acme"), "ok", acc)
    for name, over, req, why in [
            ("tenant-claim-missing", {}, acc, "the token has no tenant "
             "claim"),
            ("tenant-different", {"tenant": "globex"}, acc, "the token's "
             "tenant names another tenant"),
            ("tenant-case", {"tenant": "ACME"}, acc, "tenants compare "
             "exactly"),
            ("tenant-number", {"tenant": 7}, R("PUT /v1/accounts", "7"),
             "the tenant claim is a number, not a string"),
            ("tenant-array", {"tenant": ["acme"]}, acc, "the tenant claim is "
             "an array"),
            ("tenant-request-missing", {"tenant": "acme"},
             R("PUT /v1/accounts"), "the request carries no tenant"),
            ("tenant-empty", {"tenant": ""}, R("PUT /v1/accounts", "acme"),
             "the token's tenant is empty")]:
        over = dict(over, scope="accounts:write")
        add(name, "PUT /v1/accounts with tenant_claim tenant: %s "
            "(docs/ARCHITECTURE.md layer 3)" % why, es(**over), "tenant", req)
    add("ok-tenant-not-on-route", "a tenant claim on a route without "
        "tenant_claim is not compared",
        es(scope="payments:write", tenant="globex"), "ok",
        R("POST /v1/payments", "acme"))

    # ------------------------------------------------------------- chain
    act = {"sub": "spiffe://example.org/ns/prod/sa/orders"}
    add("chain-no-delegation", "a token carrying act while the configuration "
        "has no delegation section (RFC 8693 section 4.1; docs/ARCHITECTURE.md: absent "
        "delegation rejects act)", es(act=act), "chain")
    add("chain-no-delegation-with-route", "act without delegation on a "
        "route whose scope is granted",
        es(act=act, scope="payments:write"), "chain", pay)
    add("order-chain-before-scope", "act without delegation and the route "
        "scope lacking: the act chain is checked first (docs/ARCHITECTURE.md layer 3 "
        "order)", es(act=act), "chain", pay)
    add("chain-empty-act", "act {} without delegation (RFC 8693 section "
        "4.1)", es(act={}), "chain")
    add("ok-may-act-only", "may_act without act is not delegation (RFC 8693 "
        "section 4.4)", es(may_act=act), "ok")

    return V


# ============================================================= default route

def make_default_route(K):
    config = {
        "service": {"audiences": [AUD]},
        "clock_skew_s": SKEW,
        "issuers": [
            {"issuer": ISS, "jwks_file": "keys.json", "algorithms": ["ES256"],
             "max_lifetime_s": MAX_LIFETIME},
        ],
        "routes": [
            {"method": "POST", "path": "/v1/payments",
             "scopes": ["payments:write"]},
        ],
        "default_route": {"scopes": ["api:access"]},
    }
    V = VectorFile(
        "default_route",
        "Layer 3 with a default_route: a request that matches no route "
        "(or names no route at all) needs the default route's scopes; a "
        "request that matches a route needs that route's scopes only.",
        K.public(K.ec256), config)
    V.signer = ("ES256", K.ec256)

    def es(**o):
        return token(hdr("ES256", "ec-256"), claims(**o), K.ec256)

    def add(name, desc, tok, expect, route=None):
        V.add(name, desc, tok, expect,
              request={"route": route} if route else None,
              check=K.ec256 if expect == "ok" else None)

    add("default-route-scope-missing", "GET /v1/health matches no route; "
        "default_route needs api:access and the token has no scope "
        "(docs/ARCHITECTURE.md routes)", es(), "scope", "GET /v1/health")
    add("default-route-scope-other", "GET /v1/health matches no route; the "
        "token grants payments:write, not api:access",
        es(scope="payments:write"), "scope", "GET /v1/health")
    add("ok-default-route-scope", "GET /v1/health matches no route; "
        "api:access granted by scope", es(scope="api:access"), "ok",
        "GET /v1/health")
    add("ok-default-route-scp", "api:access granted by scp",
        es(scp=["api:access"]), "ok", "GET /v1/health")
    add("ok-default-route-not-used", "POST /v1/payments matches its route, "
        "which needs payments:write only, not the default route's scope",
        es(scope="payments:write"), "ok", "POST /v1/payments")
    add("default-route-matched-route-scope", "POST /v1/payments matches its "
        "route; api:access alone does not grant payments:write",
        es(scope="api:access"), "scope", "POST /v1/payments")
    add("default-route-no-request-route", "a request naming no route gets "
        "the default route: api:access needed", es(), "scope")
    add("ok-default-route-no-request-route", "a request naming no route, "
        "api:access granted", es(scope="api:access"), "ok")
    return V


# ---------------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=TESTVECTORS)
    args = ap.parse_args()
    K = Keys()
    os.makedirs(args.out, exist_ok=True)
    total = 0
    for make in (make_core, make_layer2, make_routes, make_default_route):
        path, n = make(K).write(args.out)
        total += n
        print("%s: %d cases" % (os.path.relpath(path), n))
    print("total: %d cases" % total)


if __name__ == "__main__":
    main()
