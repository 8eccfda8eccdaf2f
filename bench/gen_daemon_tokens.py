# SPDX-License-Identifier: Apache-2.0
"""gen_daemon_tokens.py - keys and tokens for bench/daemon.sh.

    /usr/bin/python3 bench/gen_daemon_tokens.py OUTDIR NOW COUNT

Writes into OUTDIR a fresh P-256 key and RSA-2048 key (their public JWKS in
jwks.json; the private keys are never written), es256.jwt and rs256.jwt
(one token each, valid from NOW for 3000 s), and tokens.txt: COUNT
distinct ES256 tokens of about 600 bytes each (distinct jti), one a line,
for the memory measurement.  Signed with python3-cryptography, which
shares no code with the libraries measured.
"""
import base64
import json
import os
import sys

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import \
    decode_dss_signature

ISSUER = "https://sts.example.org"
AUDIENCE = "https://payments.internal"


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def uint(n, size):
    return b64(n.to_bytes(size, "big"))


def sign(alg, key, kid, claims):
    header = {"alg": alg, "typ": "JWT", "kid": kid}
    si = (b64(json.dumps(header, separators=(",", ":")).encode()) + "." +
          b64(json.dumps(claims, separators=(",", ":")).encode()))
    if alg == "ES256":
        r, s = decode_dss_signature(key.sign(si.encode(),
                                             ec.ECDSA(hashes.SHA256())))
        sig = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    else:
        sig = key.sign(si.encode(), padding.PKCS1v15(), hashes.SHA256())
    return si + "." + b64(sig)


def claims(now, jti, pad):
    c = {"iss": ISSUER, "sub": "user:alice", "aud": AUDIENCE,
         "exp": now + 3000, "iat": now, "jti": jti,
         "scope": "payments:read payments:write", "tenant": "acme"}
    if pad:
        c["pad"] = "x" * pad
    return c


def main():
    out, now, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    os.makedirs(out, exist_ok=True)
    eck = ec.generate_private_key(ec.SECP256R1())
    rsk = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ecn, rsn = eck.public_key().public_numbers(), rsk.public_key().public_numbers()
    jwks = {"keys": [
        {"kty": "EC", "crv": "P-256", "kid": "ec-1", "use": "sig",
         "alg": "ES256", "x": uint(ecn.x, 32), "y": uint(ecn.y, 32)},
        {"kty": "RSA", "kid": "rsa-1", "use": "sig", "alg": "RS256",
         "n": uint(rsn.n, 256), "e": uint(rsn.e, 3)},
    ]}
    with open(os.path.join(out, "jwks.json"), "w") as f:
        json.dump(jwks, f, indent=1)
    with open(os.path.join(out, "es256.jwt"), "w") as f:
        f.write(sign("ES256", eck, "ec-1", claims(now, "es-one", 0)) + "\n")
    with open(os.path.join(out, "rs256.jwt"), "w") as f:
        f.write(sign("RS256", rsk, "rsa-1", claims(now, "rs-one", 0)) + "\n")
    # About 600 bytes: the claims above, a 22-character jti and padding.
    with open(os.path.join(out, "tokens.txt"), "w") as f:
        for i in range(count):
            f.write(sign("ES256", eck, "ec-1",
                         claims(now, "t%021d" % i, 130)) + "\n")


if __name__ == "__main__":
    main()
