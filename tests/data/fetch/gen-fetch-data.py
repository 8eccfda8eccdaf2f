#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""gen-fetch-data.py - make the key sets, bundles and tokens of test_fetch.

tests/test_fetch.c serves these files from tests/servers/keyserver.py and
validates the tokens against what a validator fetched.  The tokens are
signed by jwcrypto (Debian's python3-jwcrypto), a JOSE implementation that
shares no code with hopcheck.  Run it from anywhere with the interpreter
that has jwcrypto:

    /usr/bin/python3 tests/data/fetch/gen-fetch-data.py

Keys are fresh on every run and the private keys are discarded when the
script ends: the committed files are data.  What it writes, next to itself:

  jwks-k1.json        issuer key k1 (ES256)
  jwks-k1k2.json      k1 and k2: the set after a rotation
  tok-k1.jwt          an at+jwt of https://issuer.test signed with k1
  tok-k2.jwt          the same claims signed with k2
  tok-k3.jwt          signed with k3, a key no set ever holds
  bundle-mixed.json   SPIFFE bundle of example.org: one jwt-svid key (b1)
                      among entries a reader must ignore: an x509-svid CA,
                      a key without use, a key of an unknown type
  bundle-dupkid.json  two jwt-svid keys with the same kid
  bundle-nokid.json   b1 and a jwt-svid key without the kid JWT-SVID
                      section 6.1 requires
  bundle-empty.json   "keys": []
  bundle-x509only.json  only the x509-svid entry
  svid-b1.jwt         a JWT-SVID of example.org signed with b1
  svid-x509.jwt       a JWT-SVID signed with the x509-svid entry's key
  svid-nouse.jwt      a JWT-SVID signed with the key that has no use
  tls-ca.pem          a CA for the key server's TLS listener
  tls-server.pem      its server certificate, for DNS name localhost only
  tls-server.test-key.pem  the server's private key (it signs nothing but
                      TLS handshakes of the tests)
  tls-other-ca.pem    a CA that issued nothing the server presents

Every token is issued at NOW and expires an hour later; the tests fix the
clock at NOW + 60.
"""

import base64
import datetime
import json
import os
import sys

try:
    from jwcrypto import jwk, jws
except ImportError:
    sys.exit("gen-fetch-data.py: needs jwcrypto (python3-jwcrypto)")

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec as ec_keys
from cryptography.x509.oid import NameOID

NOW = 1767225600            # 2026-01-01T00:00:00Z
ISS = "https://issuer.test"
AUD = "https://api.test"
SVID_SUB = "spiffe://example.org/ns/test/sa/client"
OUT = os.path.dirname(os.path.abspath(__file__))


def ec(kid=None):
    k = jwk.JWK.generate(kty="EC", crv="P-256")
    if kid is not None:
        return jwk.JWK(**dict(k.export(as_dict=True), kid=kid))
    return k


def public(k, **extra):
    d = k.export_public(as_dict=True)
    d.update(extra)
    return d


def sign(key, header, claims):
    t = jws.JWS(json.dumps(claims, separators=(",", ":")).encode())
    t.add_signature(key, None, json.dumps(header, separators=(",", ":")))
    return t.serialize(compact=True)


def write(name, data):
    with open(os.path.join(OUT, name), "w") as f:
        if isinstance(data, str):
            f.write(data + "\n")
        else:
            json.dump(data, f, indent=2)
            f.write("\n")


def self_signed_der(key):
    priv = key.get_op_key("sign")
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME,
                                         "example.org test CA")])
    cert = (x509.CertificateBuilder()
            .subject_name(name).issuer_name(name)
            .public_key(priv.public_key())
            .serial_number(1)
            .not_valid_before(datetime.datetime(2025, 1, 1))
            .not_valid_after(datetime.datetime(2035, 1, 1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None),
                           critical=True)
            .sign(priv, hashes.SHA256()))
    return base64.b64encode(
        cert.public_bytes(serialization.Encoding.DER)).decode("ascii")


def name(cn):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def pem(cert):
    return cert.public_bytes(serialization.Encoding.PEM).decode("ascii")


def tls_files():
    """A CA, a server certificate for localhost under it, another CA."""
    start = datetime.datetime(2025, 1, 1)
    end = datetime.datetime(2125, 1, 1)

    def ca(cn):
        key = ec_keys.generate_private_key(ec_keys.SECP256R1())
        cert = (x509.CertificateBuilder()
                .subject_name(name(cn)).issuer_name(name(cn))
                .public_key(key.public_key()).serial_number(1)
                .not_valid_before(start).not_valid_after(end)
                .add_extension(x509.BasicConstraints(ca=True,
                                                     path_length=0),
                               critical=True)
                .add_extension(x509.KeyUsage(False, False, False, False,
                                             False, True, True, False,
                                             False), critical=True)
                .sign(key, hashes.SHA256()))
        return key, cert

    ca_key, ca_cert = ca("hopcheck fetch test CA")
    _, other = ca("hopcheck other test CA")
    key = ec_keys.generate_private_key(ec_keys.SECP256R1())
    cert = (x509.CertificateBuilder()
            .subject_name(name("localhost")).issuer_name(ca_cert.subject)
            .public_key(key.public_key()).serial_number(2)
            .not_valid_before(start).not_valid_after(end)
            .add_extension(x509.SubjectAlternativeName(
                [x509.DNSName("localhost")]), critical=False)
            .add_extension(x509.ExtendedKeyUsage(
                [x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .sign(ca_key, hashes.SHA256()))
    write("tls-ca.pem", pem(ca_cert).rstrip("\n"))
    write("tls-other-ca.pem", pem(other).rstrip("\n"))
    write("tls-server.pem", pem(cert).rstrip("\n"))
    write("tls-server.test-key.pem", key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()).decode("ascii").rstrip("\n"))


def main():
    tls_files()
    k1, k2, k3 = ec("k1"), ec("k2"), ec("k3")
    write("jwks-k1.json", {"keys": [public(k1, use="sig", alg="ES256")]})
    write("jwks-k1k2.json", {"keys": [public(k1, use="sig", alg="ES256"),
                                      public(k2, use="sig", alg="ES256")]})
    claims = {"iss": ISS, "sub": "user:alice", "aud": AUD,
              "client_id": "app", "iat": NOW, "exp": NOW + 3600,
              "jti": "fetch-test-1"}
    for kid, key in (("k1", k1), ("k2", k2), ("k3", k3)):
        write("tok-%s.jwt" % kid, sign(key, {"alg": "ES256", "kid": kid,
                                              "typ": "at+jwt"}, claims))

    b1, b1_other, nokid, nouse, ca = ec(), ec(), ec(), ec(), ec()
    x509_entry = public(ca, use="x509-svid")
    x509_entry["x5c"] = [self_signed_der(ca)]
    jwt_b1 = public(b1, use="jwt-svid", kid="b1")
    write("bundle-mixed.json", {
        "spiffe_sequence": 7,
        "spiffe_refresh_hint": 300,
        "keys": [
            x509_entry,
            jwt_b1,
            public(nouse, kid="nouse"),
            {"kty": "OKP", "crv": "Ed25519", "use": "jwt-svid", "kid": "okp",
             "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"},
        ]})
    write("bundle-dupkid.json", {"keys": [
        jwt_b1, public(b1_other, use="jwt-svid", kid="b1")]})
    write("bundle-nokid.json", {"keys": [jwt_b1,
                                         public(nokid, use="jwt-svid")]})
    write("bundle-empty.json", {"keys": []})
    write("bundle-x509only.json", {"spiffe_sequence": 1,
                                   "keys": [x509_entry]})

    svid = {"sub": SVID_SUB, "aud": [AUD], "iat": NOW, "exp": NOW + 3600}
    write("svid-b1.jwt", sign(b1, {"alg": "ES256", "kid": "b1",
                                   "typ": "JWT"}, svid))
    write("svid-x509.jwt", sign(ca, {"alg": "ES256", "kid": "x509",
                                     "typ": "JWT"}, svid))
    write("svid-nouse.jwt", sign(nouse, {"alg": "ES256", "kid": "nouse",
                                         "typ": "JWT"}, svid))


if __name__ == "__main__":
    main()
