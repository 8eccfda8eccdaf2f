#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""gen_binding_vectors.py - make testvectors/binding.json, the workload-identity
vectors: RFC 8705 certificate binding (cnf.x5t#S256), the peer's SPIFFE ID
against the current actor or client, and Envoy's x-forwarded-client-cert.

    /usr/bin/python3 tools/vectors/gen_binding_vectors.py [--out testvectors]

Run it from the top of the tree: it reads the test certificates of
tests/data/certs (made by tests/data/certs/make-certs.sh) and the RFC 8705
Appendix A certificate of tests/vectors.  The tokens are signed by jwcrypto
(Debian's python3-jwcrypto), a JOSE implementation that shares no code with
hopcheck; thumbprints, PEM/DER conversions and the XFCC values are computed
here with the Python standard library and python3-cryptography, never with
hopcheck.  The signing key is made fresh on every run and thrown away when
the script ends: only its public half is written out, so a re-run changes
every token.

The file follows README.md "Test vectors".  A case's "request" names the
peer in one of three ways:

  {"peer_cert_file": PATH}           the leaf as the TLS layer gives it
                                     (PEM or DER; PATH relative to the top
                                     of the tree): hc_request_set_peer_cert
  {"peer_x5t": X, "peer_spiffe_id": S}   what a trusted proxy computed:
                                     hc_request_set_peer_identity
  {"xfcc": VALUE}                    an Envoy x-forwarded-client-cert value
                                     from the trusted front proxy:
                                     hc_request_set_xfcc; when that call
                                     refuses the value, its status is the
                                     case's result

The file's configuration requires both checks (binding.mtls and
binding.peer_identity "required"); cases with "config_patch" replace the
"binding" section to exercise "if_present" and "off".
"""

import argparse
import base64
import hashlib
import json
import os
import sys
import urllib.parse

try:
    from jwcrypto import jwk, jws
except ImportError:
    sys.exit("gen_binding_vectors.py: needs jwcrypto (run it with "
             "/usr/bin/python3 on Debian, package python3-jwcrypto)")

from cryptography import x509
from cryptography.hazmat.primitives import serialization

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from vectors.common import (NOW, TESTVECTORS, b64,  # noqa: E402
                            flip_trailing_bits, generator, write_doc)


GENERATOR = generator(__file__)

ISS = "https://sts.example.org"
AUD = "https://payments.internal"
TD = "spiffe://example.org"
ORDERS = TD + "/ns/prod/sa/orders"
BILLING = TD + "/ns/prod/sa/billing"
GATEWAY = TD + "/ns/prod/sa/gateway"
ADMIN = TD + "/ns/prod/sa/admin"
PAYMENTS = TD + "/ns/prod/sa/payments"
CERTS = "tests/data/certs/"
APPA = "tests/vectors/rfc8705-appA.pem"
# RFC 8705 Appendix A gives this thumbprint for its certificate.
APPA_X5T = "A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0"

DEL = object()              # claims(x=DEL) removes x


# -------------------------------------------------------------- certificates

class Cert:
    """One certificate file: its bytes, its DER, and what follows from it."""

    def __init__(self, path):
        self.path = path
        with open(path, "rb") as f:
            self.raw = f.read()
        if b"-----BEGIN" in self.raw:
            # The leaf is the first block of a PEM chain.
            first = self.raw.split(b"-----END CERTIFICATE-----")[0]
            pem = first + b"-----END CERTIFICATE-----\n"
            self.cert = x509.load_pem_x509_certificate(pem)
        else:
            self.cert = x509.load_der_x509_certificate(self.raw)
        self.der = self.cert.public_bytes(serialization.Encoding.DER)
        self.pem = self.cert.public_bytes(serialization.Encoding.PEM)
        self.digest = hashlib.sha256(self.der).digest()
        self.x5t = b64(self.digest)
        self.hex = self.digest.hex()

    def xfcc(self, cert=False, uri=True, by=PAYMENTS, hash_hex=None):
        """The element Envoy writes for this peer, with Subject and URI
        forwarded, and Cert when asked (set_current_client_cert_details)."""
        pairs = []
        if by:
            pairs.append("By=" + by)
        pairs.append("Hash=" + (hash_hex or self.hex))
        if cert:
            pairs.append('Cert="%s"' % urllib.parse.quote(
                self.pem.decode("ascii"), safe=""))
        subject = self.cert.subject.rfc4514_string().replace('"', '\\"')
        pairs.append('Subject="%s"' % subject)
        if uri:
            try:
                san = self.cert.extensions.get_extension_for_class(
                    x509.SubjectAlternativeName).value
                uris = san.get_values_for_type(
                    x509.UniformResourceIdentifier)
            except x509.ExtensionNotFound:
                uris = []
            pairs += ["URI=" + u for u in uris] or ["URI="]
        return ";".join(pairs)


def certs():
    names = ["orders", "billing", "gateway", "two-uris", "no-uri", "ca-true",
             "keycertsign", "crlsign", "no-path", "bad-spiffe", "https-uri",
             "intermediate", "orders-chain", "ca"]
    c = {n: Cert(CERTS + n + ".pem") for n in names}
    c["orders-der"] = Cert(CERTS + "orders.der")
    c["appA"] = Cert(APPA)
    assert c["orders-der"].x5t == c["orders"].x5t
    assert c["appA"].x5t == APPA_X5T, "RFC 8705 Appendix A thumbprint"
    return c


# -------------------------------------------------------------------- tokens

class Signer:
    def __init__(self):
        self.key = jwk.JWK.generate(kty="EC", crv="P-256", kid="sts-1")

    def public(self):
        return {"keys": [self.key.export_public(as_dict=True)]}

    def token(self, payload):
        s = jws.JWS(json.dumps(payload, separators=(",", ":")))
        s.add_signature(self.key, alg="ES256", protected=json.dumps(
            {"alg": "ES256", "kid": "sts-1", "typ": "at+jwt"}))
        return s.serialize(compact=True)


def claims(**over):
    c = {"iss": ISS, "sub": ORDERS, "aud": AUD, "iat": NOW - 60,
         "exp": NOW + 600, "jti": "j-binding"}
    for k, v in over.items():
        if v is DEL:
            c.pop(k, None)
        else:
            c[k] = v
    return c


def bound(x5t, **over):
    """Claims bound to a certificate thumbprint."""
    return claims(cnf={"x5t#S256": x5t}, **over)


# --------------------------------------------------------------------- cases

class Vectors:
    def __init__(self, signer):
        self.signer = signer
        self.cases = []

    def add(self, name, description, payload, expect, request=None,
            binding=None):
        case = {"name": name, "description": description,
                "token": self.signer.token(payload), "now": NOW}
        if request:
            case["request"] = request
        if binding is not None:
            case["config_patch"] = {"binding": binding}
        case["expect"] = expect
        assert all(c["name"] != name for c in self.cases), name
        self.cases.append(case)


def cert_req(c):
    return {"peer_cert_file": c.path}


def build(C, V):
    O = C["orders"]
    IDS = {"orders-mtls": ORDERS}
    IF_PRESENT = {"mtls": "if_present", "peer_identity": "if_present",
                  "identities": IDS}
    OFF = {"mtls": "off", "peer_identity": "off"}
    MTLS_ONLY = {"mtls": "required", "peer_identity": "off"}
    delegated = dict(sub="user:alice", client_id="web-app",
                     scope="payments:read")

    # Accepted, with the peer given each way.
    V.add("ok-bound-pem", "cnf.x5t#S256 is the SHA-256 of the peer's DER "
          "leaf, given as PEM; sub is the peer's SPIFFE ID (RFC 8705 section "
          "3.1)", bound(O.x5t), "ok", cert_req(O))
    V.add("ok-bound-der", "the same token, the leaf given as DER",
          bound(O.x5t), "ok", cert_req(C["orders-der"]))
    V.add("ok-proxy-identity", "the same token; a trusted proxy passed the "
          "thumbprint and SPIFFE ID", bound(O.x5t), "ok",
          {"peer_x5t": O.x5t, "peer_spiffe_id": ORDERS})
    V.add("ok-xfcc-hash-uri", "the same token; Envoy XFCC with Hash and URI",
          bound(O.x5t), "ok", {"xfcc": O.xfcc()})
    V.add("ok-xfcc-cert", "the same token; Envoy XFCC with Hash, Cert "
          "(URL-encoded PEM) and URI", bound(O.x5t), "ok",
          {"xfcc": O.xfcc(cert=True)})
    V.add("ok-xfcc-cert-no-hash-uri", "XFCC with only Cert: thumbprint and "
          "SPIFFE ID come from the certificate", bound(O.x5t), "ok",
          {"xfcc": 'Cert="%s"' % urllib.parse.quote(O.pem.decode(), safe="")})
    V.add("ok-xfcc-last-element", "XFCC with two elements: the first is "
          "what the client sent (a billing identity), the last is the front "
          "proxy's for the connection it terminated (Envoy appends)",
          bound(O.x5t), "ok",
          {"xfcc": C["billing"].xfcc() + "," + O.xfcc()})
    V.add("ok-client-id-mapped", "no act; client_id orders-mtls is mapped "
          "to the peer's SPIFFE ID by binding.identities",
          bound(O.x5t, sub="user:alice", client_id="orders-mtls"), "ok",
          cert_req(O))
    V.add("ok-client-id-spiffe", "no act; client_id is the peer's SPIFFE ID "
          "(it wins over sub)",
          bound(O.x5t, sub="user:alice", client_id=ORDERS), "ok", cert_req(O))
    V.add("ok-delegated-actor", "act.sub is the peer: the current actor "
          "presents the token (RFC 8693 section 4.1)",
          bound(O.x5t, act={"sub": ORDERS}, **delegated), "ok", cert_req(O))
    V.add("ok-delegated-prior-actor", "act.sub is the peer; a prior actor "
          "(gateway) is nested and plays no part in the binding",
          bound(O.x5t, act={"sub": ORDERS, "act": {"sub": GATEWAY}},
                **delegated), "ok", cert_req(O))
    V.add("ok-chain-leaf", "the peer's PEM holds the leaf then the "
          "intermediate; the token is bound to the leaf",
          bound(C["orders-chain"].x5t), "ok", cert_req(C["orders-chain"]))

    # binding.mtls
    V.add("binding-no-cnf", "binding.mtls required, no cnf claim",
          claims(), "binding", cert_req(O))
    V.add("binding-cnf-unknown-member", "cnf holds only a member nobody "
          "defines: ignored (RFC 7800 section 3.1), so the token is unbound",
          claims(cnf={"x-thumbprint": O.x5t}), "binding", cert_req(O))
    V.add("binding-cnf-uppercase-name", "cnf.X5T#S256: member names are "
          "case-sensitive (RFC 7800 section 1.1), so this is an unknown "
          "member", claims(cnf={"X5T#S256": O.x5t}), "binding", cert_req(O))
    V.add("binding-cnf-jkt", "cnf.jkt (DPoP, RFC 9449): a sender-constrained "
          "token hopcheck cannot verify is not a bearer token",
          claims(cnf={"jkt": "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"}),
          "binding", cert_req(O))
    V.add("binding-cnf-two-keys", "cnf holds x5t#S256 and jkt: more than "
          "one proof-of-possession key (RFC 7800 section 3.1)",
          claims(cnf={"x5t#S256": O.x5t,
                      "jkt": "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"}),
          "binding", cert_req(O))
    V.add("binding-wrong-cert", "bound to orders, presented by billing "
          "(RFC 8705 section 3)", bound(O.x5t), "binding",
          cert_req(C["billing"]))
    V.add("binding-no-peer", "bound token, no peer certificate at all",
          bound(O.x5t), "binding")
    V.add("binding-padded", "cnf.x5t#S256 with '=' padding (RFC 8705 "
          "section 3.1: MUST omit)", bound(O.x5t + "="), "binding",
          cert_req(O))
    V.add("binding-whitespace", "cnf.x5t#S256 with a trailing space",
          bound(O.x5t + " "), "binding", cert_req(O))
    S = next(c for c in (O, C["billing"], C["gateway"], C["no-uri"])
             if set(c.x5t) & set("-_"))
    V.add("binding-standard-alphabet", "cnf.x5t#S256 in base64 with + or / "
          "instead of base64url (RFC 8705 section 3.1)", bound(
              base64.b64encode(S.digest).rstrip(b"=").decode("ascii")),
          "binding", cert_req(S))
    V.add("binding-hex", "cnf.x5t#S256 as the 64 hex digits of the digest",
          bound(O.hex), "binding", cert_req(O))
    V.add("binding-not-string", "cnf.x5t#S256 is a number",
          bound(12345), "binding", cert_req(O))
    V.add("binding-rfc8705-alias", "RFC 8705 Appendix A thumbprint with "
          "non-zero trailing bits (...y5v1): same digest, non-canonical "
          "spelling (RFC 4648 section 3.5)", bound(flip_trailing_bits(
              APPA_X5T), sub="mtls"), "binding", cert_req(C["appA"]))
    V.add("binding-pem-thumbprint", "thumbprint over the PEM text instead "
          "of the DER certificate", bound(b64(hashlib.sha256(O.raw).digest())),
          "binding", cert_req(O))
    V.add("binding-intermediate", "bound to the intermediate CA of the "
          "peer's chain, not to the leaf", bound(C["intermediate"].x5t),
          "binding", cert_req(C["orders-chain"]))
    V.add("binding-proxy-bad-x5t", "the proxy passed a padded thumbprint",
          bound(O.x5t), "binding",
          {"peer_x5t": O.x5t + "=", "peer_spiffe_id": ORDERS})
    V.add("binding-xfcc-forged-first", "XFCC: the client sent an element "
          "naming orders; the proxy appended billing's, the real peer",
          bound(O.x5t), "binding",
          {"xfcc": O.xfcc() + "," + C["billing"].xfcc()})
    V.add("binding-xfcc-hash-not-cert", "XFCC whose Hash is not the digest "
          "of its Cert", bound(O.x5t), "binding",
          {"xfcc": O.xfcc(cert=True, hash_hex=C["billing"].hex)})
    V.add("binding-xfcc-hash-of-pem", "XFCC whose Hash was taken over the "
          "PEM text (not the DER) of its Cert", bound(O.x5t), "binding",
          {"xfcc": O.xfcc(cert=True,
                          hash_hex=hashlib.sha256(O.pem).hexdigest())})

    # binding.peer_identity
    V.add("peer-wrong-spiffe-id", "bound thumbprint matches, but the proxy "
          "says the peer is billing while the token's client is orders",
          bound(O.x5t), "peer",
          {"peer_x5t": O.x5t, "peer_spiffe_id": BILLING})
    V.add("peer-two-uris", "leaf with two URI SANs (X509-SVID section 2)",
          bound(C["two-uris"].x5t), "peer", cert_req(C["two-uris"]))
    V.add("peer-no-uri", "leaf without URI SAN: no SPIFFE ID, and "
          "peer_identity is required", bound(C["no-uri"].x5t), "peer",
          cert_req(C["no-uri"]))
    V.add("peer-ca-true", "leaf with basicConstraints cA=true (X509-SVID "
          "section 5.2)", bound(C["ca-true"].x5t), "peer",
          cert_req(C["ca-true"]))
    V.add("peer-keycertsign", "leaf with keyUsage keyCertSign (X509-SVID "
          "section 5.2)", bound(C["keycertsign"].x5t), "peer",
          cert_req(C["keycertsign"]))
    V.add("peer-crlsign", "leaf with keyUsage cRLSign (X509-SVID section "
          "5.2)", bound(C["crlsign"].x5t), "peer", cert_req(C["crlsign"]))
    V.add("peer-no-path", "leaf whose SPIFFE ID is spiffe://example.org, "
          "with no path (X509-SVID section 5.2)",
          bound(C["no-path"].x5t, sub=TD), "peer", cert_req(C["no-path"]))
    V.add("peer-bad-spiffe", "leaf whose URI SAN has an uppercase trust "
          "domain (SPIFFE-ID section 2.1)", bound(C["bad-spiffe"].x5t),
          "peer", cert_req(C["bad-spiffe"]))
    V.add("peer-https-uri", "leaf whose only URI SAN is https://, not "
          "spiffe:// (X509-SVID section 5.2)", bound(C["https-uri"].x5t),
          "peer", cert_req(C["https-uri"]))
    V.add("peer-unmapped-client", "client_id is no SPIFFE ID and "
          "binding.identities does not map it",
          bound(O.x5t, sub="user:alice", client_id="reports"), "peer",
          cert_req(O))
    V.add("peer-case-differs", "sub differs from the peer's SPIFFE ID only "
          "in the case of the path (SPIFFE-ID section 2.4: case-sensitive)",
          bound(O.x5t, sub=TD + "/ns/prod/sa/Orders"), "peer", cert_req(O))
    V.add("peer-no-client", "no act, client_id or sub to compare",
          bound(O.x5t, sub=DEL), "peer", cert_req(O))
    V.add("peer-prior-actor", "the peer is a prior actor (act.act.sub), "
          "not the current one (RFC 8693 section 4.1)",
          bound(C["gateway"].x5t, act={"sub": ORDERS, "act": {"sub": GATEWAY}},
                **delegated), "peer", cert_req(C["gateway"]))
    V.add("peer-client-not-actor", "a delegated token: the peer is the "
          "client (client_id) but the current actor is orders",
          bound(C["gateway"].x5t, act={"sub": ORDERS}, sub="user:alice",
                client_id=GATEWAY, scope="payments:read"), "peer",
          cert_req(C["gateway"]))
    V.add("peer-proxy-no-spiffe-id", "the proxy passed a thumbprint only; "
          "peer_identity is required", bound(O.x5t), "peer",
          {"peer_x5t": O.x5t})
    V.add("peer-xfcc-two-uris", "XFCC element listing two URI SANs",
          bound(C["two-uris"].x5t), "peer", {"xfcc": C["two-uris"].xfcc()})
    V.add("peer-xfcc-uri-not-cert", "XFCC whose URI is not its Cert's URI "
          "SAN", bound(O.x5t), "peer", {"xfcc": O.xfcc(cert=True).replace(
              "URI=" + ORDERS, "URI=" + BILLING)})
    V.add("peer-xfcc-cert-ca-true", "XFCC with the Cert of a CA-flagged "
          "leaf: the leaf checks run on the certificate",
          bound(C["ca-true"].x5t), "peer",
          {"xfcc": C["ca-true"].xfcc(cert=True)})
    V.add("ok-mtls-only-no-uri", "binding.mtls required, peer_identity off: "
          "an ordinary client certificate carries the binding",
          bound(C["no-uri"].x5t, sub="user:alice"), "ok",
          cert_req(C["no-uri"]), binding=MTLS_ONLY)

    # if_present
    V.add("ok-ifp-unbound-no-peer", "if_present: no cnf and no peer",
          claims(), "ok", binding=IF_PRESENT)
    V.add("ok-ifp-unbound-peer-matches", "if_present: no cnf; the peer is "
          "the client", claims(), "ok", cert_req(O), binding=IF_PRESENT)
    V.add("peer-ifp-unbound-replayed", "if_present: an unbound token of "
          "orders replayed by billing", claims(), "peer",
          cert_req(C["billing"]), binding=IF_PRESENT)
    V.add("ok-ifp-rfc8705-appA", "if_present: the RFC 8705 Appendix A "
          "certificate (no URI SAN, so no SPIFFE ID) and its thumbprint",
          bound(APPA_X5T, sub="mtls"), "ok", cert_req(C["appA"]),
          binding=IF_PRESENT)
    V.add("binding-ifp-rfc8705-alias", "if_present: the non-canonical alias "
          "of the Appendix A thumbprint", bound(flip_trailing_bits(APPA_X5T),
                                                sub="mtls"), "binding",
          cert_req(C["appA"]), binding=IF_PRESENT)
    V.add("binding-ifp-bound-no-peer", "if_present: a bound token without "
          "its certificate", bound(O.x5t), "binding", binding=IF_PRESENT)
    V.add("binding-ifp-wrong-cert", "if_present: bound to orders, presented "
          "by billing", bound(O.x5t), "binding", cert_req(C["billing"]),
          binding=IF_PRESENT)
    V.add("ok-ifp-unknown-cnf-member", "if_present: cnf with only an "
          "undefined member is ignored (RFC 7800 section 3.1)",
          claims(cnf={"x-thumbprint": "abc"}), "ok", binding=IF_PRESENT)
    V.add("binding-ifp-jkt", "if_present: a DPoP-bound token (cnf.jkt) is "
          "still refused as a bearer token (RFC 9449 section 7.2)",
          claims(cnf={"jkt": "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"}),
          "binding", binding=IF_PRESENT)
    V.add("ok-ifp-no-uri", "if_present: a peer certificate without URI SAN "
          "has no identity to check", claims(), "ok", cert_req(C["no-uri"]),
          binding=IF_PRESENT)
    V.add("peer-ifp-two-uris", "if_present: a peer certificate that claims "
          "an identity must be a valid X.509-SVID", claims(), "peer",
          cert_req(C["two-uris"]), binding=IF_PRESENT)
    V.add("peer-ifp-ca-true", "if_present: CA-flagged leaf with a URI SAN",
          claims(), "peer", cert_req(C["ca-true"]), binding=IF_PRESENT)
    V.add("peer-ifp-unmapped-client", "if_present: the peer has an identity "
          "and the token's client_id maps to none",
          claims(sub="user:alice", client_id="reports"), "peer", cert_req(O),
          binding=IF_PRESENT)
    V.add("ok-ifp-mapped-client", "if_present: client_id mapped by "
          "binding.identities", claims(sub="user:alice",
                                       client_id="orders-mtls"), "ok",
          cert_req(O), binding=IF_PRESENT)

    # off
    V.add("ok-off-wrong-cert", "off: the binding is not checked",
          bound(O.x5t), "ok", cert_req(C["billing"]), binding=OFF)
    V.add("ok-off-no-peer", "off: a bound token without any peer",
          bound(O.x5t), "ok", binding=OFF)
    V.add("ok-off-two-uris", "off: the peer's certificate is not examined",
          claims(), "ok", cert_req(C["two-uris"]), binding=OFF)
    V.add("ok-off-jkt", "off: cnf is not examined", claims(
        cnf={"jkt": "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"}), "ok",
          binding=OFF)


def config():
    return {
        "service": {"audiences": [AUD], "spiffe_id": PAYMENTS},
        "clock_skew_s": 30,
        "issuers": [{"issuer": ISS, "jwks_file": "keys.json",
                     "algorithms": ["ES256"], "token_types": ["at+jwt"],
                     "max_lifetime_s": 3600}],
        "binding": {"mtls": "required", "peer_identity": "required",
                    "identities": {"orders-mtls": ORDERS}},
        "delegation": {"max_depth": 4, "actors": [
            {"actor": ORDERS, "subjects": ["user:*"],
             "scopes": ["payments:read"]}]},
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=TESTVECTORS)
    args = ap.parse_args()
    signer = Signer()
    V = Vectors(signer)
    build(certs(), V)
    doc = {
        "description": "Workload identity (docs/ARCHITECTURE.md): RFC 8705 certificate "
        "binding of cnf.x5t#S256 to the peer's leaf, the peer's SPIFFE ID "
        "(X509-SVID sections 2 and 5.2) against the current actor (RFC 8693 "
        "section 4.1) or the client, binding.identities, and Envoy's "
        "x-forwarded-client-cert.  Certificates are in tests/data/certs; "
        "peer_cert_file paths are relative to the top of the tree.  A "
        "request \"xfcc\" is passed to hc_request_set_xfcc(); when it "
        "refuses the value, that status is the case's result.",
        "generator": GENERATOR,
        "keys": signer.public(),
        "config": config(),
        "cases": V.cases,
    }
    path = write_doc(args.out, "binding.json", doc, ensure_ascii=True)
    print("%s: %d cases" % (path, len(V.cases)))


if __name__ == "__main__":
    main()
