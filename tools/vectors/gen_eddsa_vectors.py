#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""gen_eddsa_vectors.py - make testvectors/eddsa.json, the EdDSA vectors.

EdDSA (RFC 8037: alg "EdDSA", kty "OKP", crv "Ed25519" or "Ed448") and the
fully-specified names of RFC 9864 (alg "Ed25519", "Ed448") are verified only
by the OpenSSL backend.  The cases that need it say so with
"requires": ["eddsa"]; tools/run_vectors.py and tests/test_vectors.c report
them as skipped on a backend without EdDSA.  The cases without "requires"
run everywhere and must give the same verdict on every backend.

The tokens are made by jwcrypto (Debian's python3-jwcrypto), as in
tools/vectors/gen_vectors.py, whose helpers and vector format this script
reuses.  Run it with the interpreter that has
jwcrypto installed:

    /usr/bin/python3 tools/vectors/gen_eddsa_vectors.py [--out testvectors]

jwcrypto 1.1 signs only under the name "EdDSA"; the tokens whose header
says "Ed25519" or "Ed448" are assembled by hand and signed over their exact
signing input with the same PureEdDSA primitive (RFC 9864 section 2: the
fully-specified names change the header, not the signature).

The file's configuration allows ES256 only, and its key set holds an
Ed25519, an Ed448, an X25519 (ECDH, never a verification key) and a P-256
key: on a backend without EdDSA the set still loads, with the OKP signing
keys skipped.  The cases that exercise EdDSA carry a config_patch that
allows it (and so need the backend).  Keys are fresh on every run; the
private keys are discarded when the script ends.
"""

import argparse
import base64
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

try:
    from jwcrypto import jwk
    import gen_vectors as gv
except ImportError:
    sys.exit("gen_eddsa_vectors.py: needs jwcrypto (run it with "
             "/usr/bin/python3 on Debian, package python3-jwcrypto)")

GENERATOR = gv.generator(__file__)

ED_ISS = gv.ISS

# RFC 8032 sections 5.1 and 5.2: L, the order of the base point.
L_ED25519 = 2 ** 252 + 27742317777372353535851937790883648493
L_ED448 = (2 ** 446 -
           13818066809895115352007386748515426880336692474882178609894547503885)


class EdVectorFile(gv.VectorFile):
    """A VectorFile whose cases may require a backend capability."""

    def add(self, name, description, tok, expect, requires=None, **kw):
        gv.VectorFile.add(self, name, description, tok, expect, **kw)
        if requires:
            case = self.cases[-1]
            exp = case.pop("expect")
            case["requires"] = list(requires)
            case["expect"] = exp

    def write(self, outdir):
        saved = gv.GENERATOR
        gv.GENERATOR = GENERATOR
        try:
            return gv.VectorFile.write(self, outdir)
        finally:
            gv.GENERATOR = saved


def ed_token(alg, kid, key, sign_alg="EdDSA", **over):
    """A token of header alg `alg`, signed with PureEdDSA by `key`."""
    hseg = gv.b64(gv.compact(gv.hdr(alg, kid, **over)))
    pseg = gv.b64(gv.compact(gv.claims()))
    return gv.assemble(hseg, pseg, sign_alg, key)


def with_sig(tok, sig):
    h, p, _ = tok.split(".")
    return h + "." + p + "." + gv.b64(sig)


def sig_of(tok):
    s = tok.split(".")[2]
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def non_canonical(tok, half, order):
    """The same signature with L added to S: S >= L, the equation holds."""
    sig = sig_of(tok)
    s = int.from_bytes(sig[half:], "little") + order
    assert s < 2 ** (8 * half), "S + L does not fit"
    return with_sig(tok, sig[:half] + s.to_bytes(half, "little"))


def make_eddsa():
    ed25519 = jwk.JWK.generate(kty="OKP", crv="Ed25519", kid="ed25519")
    ed448 = jwk.JWK.generate(kty="OKP", crv="Ed448", kid="ed448")
    x25519 = jwk.JWK.generate(kty="OKP", crv="X25519", kid="x25519")
    ec256 = jwk.JWK.generate(kty="EC", crv="P-256", kid="ec-256")
    keys = gv.Keys.public(ed25519, ed448, x25519, ec256)
    issuer = {"issuer": ED_ISS, "jwks_file": "keys.json",
              "algorithms": ["ES256"], "token_types": ["at+jwt"],
              "max_lifetime_s": gv.MAX_LIFETIME}
    config = {"service": {"audiences": [gv.AUD]},
              "clock_skew_s": gv.SKEW, "issuers": [issuer]}

    def allow(*algs):
        return {"issuers": [dict(issuer, algorithms=list(algs))]}

    all_ed = allow("EdDSA", "Ed25519", "Ed448", "ES256")
    f = EdVectorFile(
        "eddsa", "EdDSA (RFC 8037) and the fully-specified Ed25519 and Ed448 "
        "(RFC 9864): OKP keys, the alg/curve binding, canonical S.  Cases "
        "with \"requires\": [\"eddsa\"] need a backend with EdDSA (OpenSSL); "
        "the others must give the same verdict on every backend.",
        keys, config)
    need = ["eddsa"]

    # Everywhere: the set loads, and its OKP keys do not get in the way.
    f.add("es256-beside-okp-keys",
          "ES256 token with kid ec-256, from a set that also holds Ed25519, "
          "Ed448 and X25519 keys: accepted on every backend (OKP keys are "
          "used or skipped, never fatal to the set; RFC 7517 section 5)",
          gv.token(gv.hdr("ES256", "ec-256"), gv.claims(), ec256), "ok",
          check=ec256)
    f.add("eddsa-not-allowed",
          "alg EdDSA on an issuer whose algorithms are [\"ES256\"]: refused "
          "before any key is looked at (RFC 8725 section 3.1), on every "
          "backend",
          ed_token("EdDSA", "ed25519", ed25519), "alg")
    f.add("ed25519-not-allowed",
          "alg Ed25519 (RFC 9864) on an issuer whose algorithms are "
          "[\"ES256\"]: refused, on every backend",
          ed_token("Ed25519", "ed25519", ed25519), "alg")

    # Accepted.
    f.add("ok-eddsa-ed25519",
          "alg EdDSA, kid ed25519 (RFC 8037 section 3.1): accepted",
          ed_token("EdDSA", "ed25519", ed25519), "ok", requires=need,
          config_patch=all_ed, check=ed25519)
    f.add("ok-eddsa-ed448",
          "alg EdDSA, kid ed448: EdDSA takes either curve (RFC 8037 section "
          "3.1): accepted",
          ed_token("EdDSA", "ed448", ed448), "ok", requires=need,
          config_patch=all_ed, check=ed448)
    f.add("ok-ed25519",
          "alg Ed25519 (RFC 9864 section 2.2), kid ed25519: accepted",
          ed_token("Ed25519", "ed25519", ed25519), "ok", requires=need,
          config_patch=all_ed)
    f.add("ok-ed448",
          "alg Ed448 (RFC 9864 section 2.3), kid ed448: accepted",
          ed_token("Ed448", "ed448", ed448), "ok", requires=need,
          config_patch=all_ed)
    f.add("ok-eddsa-only-allowed",
          "alg EdDSA on an issuer whose algorithms are [\"EdDSA\"]: "
          "accepted",
          ed_token("EdDSA", "ed25519", ed25519), "ok", requires=need,
          config_patch=allow("EdDSA"))

    # The allowlist and the alg/curve binding.
    f.add("eddsa-with-only-ed25519-allowed",
          "alg EdDSA on an issuer that allows only Ed25519: a different "
          "algorithm name, refused (RFC 8725 section 3.1)",
          ed_token("EdDSA", "ed25519", ed25519), "alg", requires=need,
          config_patch=allow("Ed25519"))
    f.add("alg-ed25519-kid-ed448",
          "alg Ed25519 with kid ed448 (crv Ed448): Ed25519 names its curve "
          "(RFC 9864), so the key cannot verify it: refused like ES384 with "
          "a P-256 kid",
          ed_token("Ed25519", "ed448", ed448), "alg", requires=need,
          config_patch=all_ed)
    f.add("alg-ed448-kid-ed25519",
          "alg Ed448, signed with Ed448, with kid ed25519 (crv Ed25519): "
          "refused by the alg/curve binding",
          ed_token("Ed448", "ed25519", ed448), "alg", requires=need,
          config_patch=all_ed)
    f.add("eddsa-ed448-signature-ed25519-kid",
          "alg EdDSA signed with the Ed448 key but naming kid ed25519: the "
          "key may verify EdDSA, the 114-byte signature is not an Ed25519 "
          "signature (RFC 8032 section 5.1.7): refused",
          ed_token("EdDSA", "ed25519", ed448), "signature", requires=need,
          config_patch=all_ed)
    f.add("eddsa-x25519-kid",
          "alg EdDSA with kid x25519: an X25519 key is an ECDH key (RFC 8037 "
          "section 3.2), skipped from the set, so no key has that kid",
          ed_token("EdDSA", "x25519", ed25519), "key", requires=need,
          config_patch=all_ed)
    f.add("eddsa-no-kid-two-keys",
          "alg EdDSA without kid: the Ed25519 and the Ed448 key could both "
          "verify it, and the choice never depends on key order (RFC 7515 "
          "section 6)",
          ed_token("EdDSA", None, ed25519), "key", requires=need,
          config_patch=all_ed)
    f.add("ed25519-no-kid-one-key",
          "alg Ed25519 without kid: only the Ed25519 key can verify it: "
          "accepted",
          ed_token("Ed25519", None, ed25519), "ok", requires=need,
          config_patch=all_ed)

    # Signatures.
    good = ed_token("EdDSA", "ed25519", ed25519)
    sig = bytearray(sig_of(good))
    sig[5] ^= 0x20
    f.add("eddsa-bad-signature",
          "alg EdDSA, kid ed25519, one bit of R flipped: refused",
          with_sig(good, bytes(sig)), "signature", requires=need,
          config_patch=all_ed)
    f.add("eddsa-non-canonical-s",
          "alg EdDSA, kid ed25519, L added to S: the verification equation "
          "still holds, but S >= L must be refused (RFC 8032 section 5.1.7; "
          "signature malleability)",
          non_canonical(good, 32, L_ED25519), "signature", requires=need,
          config_patch=all_ed)
    good448 = ed_token("EdDSA", "ed448", ed448)
    f.add("ed448-non-canonical-s",
          "alg EdDSA, kid ed448, L added to S: refused (RFC 8032 section "
          "5.2.7)",
          non_canonical(good448, 57, L_ED448), "signature", requires=need,
          config_patch=all_ed)
    f.add("eddsa-short-signature",
          "alg EdDSA, kid ed25519, the last byte of the signature dropped: "
          "a signature of the wrong length is refused",
          with_sig(good, sig_of(good)[:-1]), "signature", requires=need,
          config_patch=all_ed)
    return f


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "testvectors"))
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    path, n = make_eddsa().write(args.out)
    print("%s: %d cases" % (os.path.relpath(path), n))


if __name__ == "__main__":
    main()
