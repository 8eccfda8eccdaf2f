# SPDX-License-Identifier: Apache-2.0
"""Helpers shared by the test vector generators of tools/vectors/.

Tokens are signed by python3-jwcrypto (Debian's), a JOSE implementation that
shares no code with hopcheck.  Everything here works on exact bytes, so that a
generator can build a malformed token with one fault and still sign the
signing input it produced.  Private keys live only in the generating process.
"""
import base64
import json
import os

import jwcrypto
from jwcrypto.jwa import JWA

# The top of the tree and its committed vectors (a generator's default --out).
TOP = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(
    __file__)), "..", ".."))
TESTVECTORS = os.path.join(TOP, "testvectors")

NOW = 1767225600            # 2026-01-01T00:00:00Z, the clock of the vectors


def jwcrypto_version():
    """The version of jwcrypto, for the "generator" member of a file."""
    try:
        from importlib import metadata
        return metadata.version("jwcrypto")
    except Exception:       # older Pythons or odd installs
        return getattr(jwcrypto, "__version__", "unknown")


def generator(script):
    """The "generator" member: the script's path in the tree and jwcrypto."""
    return "tools/vectors/%s (python3-jwcrypto %s)" % (
        os.path.basename(script), jwcrypto_version())


# ------------------------------------------------------------------ encoding

def b64(data):
    """base64url without padding (RFC 7515 section 2)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def compact(obj):
    """Compact JSON bytes; non-ASCII stays UTF-8."""
    return json.dumps(obj, separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8")


def as_bytes(x):
    """A header or payload given as dict (compact JSON), str or bytes."""
    if isinstance(x, (dict, list)):
        return compact(x)
    if isinstance(x, str):
        return x.encode("utf-8")
    return x


def flip_trailing_bits(seg):
    """Same decoded bytes, non-zero unused trailing bits (RFC 4648 3.5)."""
    alphabet = ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                "0123456789-_")
    rem = len(seg) % 4
    assert rem in (2, 3), "segment has no unused bits"
    unused = 4 if rem == 2 else 2
    v = alphabet.index(seg[-1])
    assert v & ((1 << unused) - 1) == 0
    return seg[:-1] + alphabet[v | 1]


# ------------------------------------------------------------------- signing

def sign(alg, key, signing_input):
    """jwcrypto's signature primitive over exact bytes."""
    return JWA.signing_alg(alg).sign(key, signing_input)


def assemble(hseg, pseg, alg, key):
    """Signs the segments exactly as given; returns the compact token (alg
    "none" gets an empty signature)."""
    si = (hseg + "." + pseg).encode("utf-8")
    if alg == "none":
        return hseg + "." + pseg + "."
    return hseg + "." + pseg + "." + b64(sign(alg, key, si))


def token(header, payload, key, alg=None):
    """A compact JWS of header and payload (dict, str or bytes), signed over
    exactly those bytes with `alg` (default: the header's)."""
    if alg is None:
        alg = header["alg"]
    return assemble(b64(as_bytes(header)), b64(as_bytes(payload)), alg, key)


# ---------------------------------------------------------------------- keys

def public_jwk(key):
    """The public members of a jwcrypto key, as a dict."""
    return key.export_public(as_dict=True)


def public_jwks(*keys):
    """A JWK Set of the public members of `keys`."""
    return {"keys": [public_jwk(k) for k in keys]}


# -------------------------------------------------------------------- output

def write_doc(outdir, name, doc, encoding="utf-8", ensure_ascii=False):
    """Writes a vector document as outdir/name (indented, newline-ended)
    and returns its path."""
    os.makedirs(outdir, exist_ok=True)
    path = os.path.join(outdir, name)
    with open(path, "w", encoding=encoding) as f:
        json.dump(doc, f, indent=1, ensure_ascii=ensure_ascii)
        f.write("\n")
    return path
