#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""gen_tokens.py - make the inputs of the benchmark, bench/data/.

The benchmark (bench/bench.c, run by bench/run.sh) validates the same few
tokens with hopcheck, with the raw signature primitives of mbedTLS and of
OpenSSL, and with libjwt.  This script writes everything they read:

  hopcheck.conf        a v1 configuration: two issuers (one with a JWKS for
                       ES256, RS256 and PS256, one with a shared secret for
                       HS256), delegation policy, one route with scopes and
                       a tenant, certificate binding
  jwks.json            the public keys of the first issuer (JWKS)
  es256.pub.pem        the same public keys as PEM (SubjectPublicKeyInfo),
  rsa2048.pub.pem      for the raw backends and for libjwt
  hs256.key            the benchmark's HMAC secret (64 hex characters, no
                       newline).  It guards nothing: it exists only to time
                       HS256, and is committed so that every run verifies
                       the same bytes
  context              the request every token is validated for: the fixed
                       clock, the route, the tenant and the peer identity
  tokens/ALG.jwt       one token per algorithm, one line each
  probes/NAME.jwt      tokens that a careful validator must refuse, each
  probes/list          with the status hopcheck must give, to show what
                       libjwt checks and what it does not (bench --probe)

The tokens are made by jwcrypto (Debian's python3-jwcrypto), a JOSE
implementation that shares no code with hopcheck or the libraries compared.
They carry what a delegated access token at a service deep in a call chain
carries: `iss`, `sub`, `aud`, `exp`, `iat`, `jti`, `scope`, a tenant,
`cnf.x5t#S256`, and an RFC 8693 `act` chain of two actors; 580 to 900 bytes
once signed (an RSA-2048 signature alone is 342 characters).  `typ` is
"JWT" rather than RFC 9068's "at+jwt" because libjwt 1.10 refuses any other
`typ`, and the comparison needs the very same bytes everywhere.

Keys are fresh on every run (jwcrypto cannot be seeded) and the private keys
are discarded when the script ends: a re-run rewrites every file.  Each
token is verified again with jwcrypto before it is written.

    /usr/bin/python3 bench/gen_tokens.py [--out bench/data]
"""

import argparse
import base64
import hashlib
import json
import os
import secrets
import sys

try:
    from jwcrypto import jwk
    from jwcrypto.jwa import JWA
except ImportError:
    sys.exit("gen_tokens.py: needs jwcrypto (run it with /usr/bin/python3 on "
             "Debian, package python3-jwcrypto)")

NOW = 1767225600            # 2026-01-01T00:00:00Z, the clock of every run
ISS = "https://sts.example.org"
HS_ISS = "https://legacy-as.example.org"
AUD = "https://payments.internal"
TD = "spiffe://example.org"
ORDERS = TD + "/sa/orders"
GATEWAY = TD + "/sa/gateway"
MALLORY = TD + "/sa/mallory"
TENANT = "acme"
METHOD = "POST"
PATH = "/v1/payments"

KID = {"ES256": "ec-2026-01", "RS256": "rsa-2026-01", "PS256": "rsa-2026-01"}


def b64u(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def compact(obj):
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def claims(peer_x5t, **over):
    """The payload of a realistic delegated token; over= replaces members."""
    c = {
        "iss": ISS,
        "sub": "user:alice",
        "aud": AUD,
        "exp": NOW + 600,
        "iat": NOW - 60,
        "jti": "Jx4qG1vN8sT2bK7wLc0yHd",
        "scope": "payments:read payments:write",
        "tenant": TENANT,
        "cnf": {"x5t#S256": peer_x5t},
        "act": {"sub": ORDERS, "act": {"sub": GATEWAY}},
    }
    for k, v in over.items():
        if v is None:
            c.pop(k, None)
        else:
            c[k] = v
    return c


def sign(key, header, payload_bytes):
    """Compact JWS over the exact header and payload bytes given.

    jwcrypto's JWA primitives sign and then verify the signing input; the
    JWS layer is bypassed because it refuses the headers of some probes
    (an unknown `crit`)."""
    alg = JWA.signing_alg(header["alg"])
    si = (b64u(compact(header).encode("utf-8")) + "."
          + b64u(payload_bytes)).encode("ascii")
    sig = alg.sign(key, si)
    alg.verify(key, si, sig)        # raises when it does not verify
    return si.decode("ascii") + "." + b64u(sig)


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="ascii") as f:
        f.write(text)


def config():
    return {
        "service": {"audiences": [AUD],
                    "spiffe_id": TD + "/sa/payments"},
        "clock_skew_s": 30,
        "issuers": [
            {"issuer": ISS, "jwks_file": "jwks.json",
             "algorithms": ["ES256", "RS256", "PS256"],
             "token_types": ["JWT"], "max_lifetime_s": 3600,
             "required_claims": ["jti"]},
            {"issuer": HS_ISS, "hmac_secret_file": "hs256.key",
             "algorithms": ["HS256"], "token_types": ["JWT"],
             "max_lifetime_s": 3600, "required_claims": ["jti"]},
        ],
        "audience": {"max_direct": 0, "max_delegated": 1},
        "binding": {"mtls": "if_present", "peer_identity": "required"},
        "delegation": {
            "max_depth": 4,
            "actors": [{"actor": ORDERS, "subjects": ["user:*"],
                        "scopes": ["payments:read", "payments:write"]}],
            "path_policy": False,
        },
        "routes": [{"method": METHOD, "path": PATH,
                    "scopes": ["payments:write"], "tenant_claim": "tenant"}],
        # The benchmark times the full pipeline on every call: a
        # verified-token cache would turn it into a lookup.
        "cache": {"max_entries": 0},
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "data"))
    out = ap.parse_args().out

    ec = jwk.JWK.generate(kty="EC", crv="P-256", kid=KID["ES256"])
    rsa = jwk.JWK.generate(kty="RSA", size=2048, kid=KID["RS256"])
    attacker = jwk.JWK.generate(kty="EC", crv="P-256", kid=KID["ES256"])
    secret = secrets.token_hex(32).encode("ascii")
    hs = jwk.JWK(kty="oct", k=b64u(secret))
    rsa_pem = rsa.export_to_pem(private_key=False)
    # The key an HS/RS confusion attack uses: the service's public key
    # text, as a service would load it for libjwt.
    confused = jwk.JWK(kty="oct", k=b64u(rsa_pem))

    peer_x5t = b64u(hashlib.sha256(b"bench peer certificate").digest())

    pub = {"keys": []}
    for k in (ec, rsa):
        d = json.loads(k.export_public())
        d["use"] = "sig"
        pub["keys"].append(d)

    write(os.path.join(out, "jwks.json"), json.dumps(pub, indent=2) + "\n")
    write(os.path.join(out, "es256.pub.pem"),
          ec.export_to_pem(private_key=False).decode("ascii"))
    write(os.path.join(out, "rsa2048.pub.pem"), rsa_pem.decode("ascii"))
    write(os.path.join(out, "hs256.key"), secret.decode("ascii"))
    write(os.path.join(out, "hopcheck.conf"),
          "// Written by bench/gen_tokens.py: the benchmark's policy.\n"
          + json.dumps(config(), indent=2) + "\n")
    write(os.path.join(out, "context"),
          "# Written by bench/gen_tokens.py: the request of every run.\n"
          "now %d\nmethod %s\npath %s\ntenant %s\npeer_spiffe_id %s\n"
          "peer_x5t %s\n" % (NOW, METHOD, PATH, TENANT, ORDERS, peer_x5t))

    body = compact(claims(peer_x5t)).encode("utf-8")
    hs_body = compact(claims(peer_x5t, iss=HS_ISS)).encode("utf-8")
    toks = {
        "ES256": sign(ec, {"alg": "ES256", "typ": "JWT",
                           "kid": KID["ES256"]}, body),
        "RS256": sign(rsa, {"alg": "RS256", "typ": "JWT",
                            "kid": KID["RS256"]}, body),
        "PS256": sign(rsa, {"alg": "PS256", "typ": "JWT",
                            "kid": KID["PS256"]}, body),
        "HS256": sign(hs, {"alg": "HS256", "typ": "JWT"}, hs_body),
    }
    for alg, tok in toks.items():
        write(os.path.join(out, "tokens", alg.lower() + ".jwt"), tok + "\n")

    # Probes: name, hopcheck's status, the key file libjwt is given, token.
    es_hdr = {"alg": "ES256", "typ": "JWT", "kid": KID["ES256"]}

    def es(**over):
        return sign(ec, es_hdr, compact(claims(peer_x5t, **over)).encode())

    dup = body.decode()[:-1] + ',"sub":"user:mallory"}'
    hdr, pay, sig = toks["ES256"].split(".")
    if len(sig) != 86:
        sys.exit("gen_tokens.py: an ES256 signature is 86 characters")
    probes = [
        ("valid", "ok", "es256.pub.pem", toks["ES256"]),
        ("expired", "expired", "es256.pub.pem",
         es(exp=NOW - 3600, iat=NOW - 4000)),
        ("wrong_audience", "audience", "es256.pub.pem",
         es(aud="https://reports.internal")),
        ("unknown_issuer", "issuer", "es256.pub.pem",
         es(iss="https://sts.attacker.example")),
        # The caller (peer) is orders; the token names another actor.
        ("actor_is_not_peer", "peer", "es256.pub.pem",
         es(act={"sub": MALLORY})),
        # orders may act for user:* only.
        ("subject_not_delegable", "chain", "es256.pub.pem",
         es(sub="svc:ledger")),
        ("scope_missing", "scope", "es256.pub.pem",
         es(scope="payments:read")),
        ("crit_header", "crit", "es256.pub.pem",
         sign(ec, dict(es_hdr, crit=["exp"], exp=NOW), body)),
        ("duplicate_sub", "malformed", "es256.pub.pem",
         sign(ec, es_hdr, dup.encode())),
        # 64 signature bytes are 86 characters: "==" would pad them.
        ("padded_base64", "malformed", "es256.pub.pem",
         hdr + "." + pay + "." + sig + "=="),
        ("alg_none", "alg", "es256.pub.pem",
         b64u(compact({"alg": "none", "typ": "JWT"}).encode()) + "."
         + pay + "."),
        ("hs256_with_rsa_public_key", "alg", "rsa2048.pub.pem",
         sign(confused, {"alg": "HS256", "typ": "JWT",
                         "kid": KID["RS256"]}, body)),
        ("embedded_jwk", "signature", "es256.pub.pem",
         sign(attacker, dict(es_hdr, jwk=json.loads(
             attacker.export_public())), body)),
    ]
    lines = ["# Written by bench/gen_tokens.py: name, the status hopcheck "
             "must give, the key file libjwt is given.\n"]
    for name, status, keyfile, tok in probes:
        write(os.path.join(out, "probes", name + ".jwt"), tok + "\n")
        lines.append("%s %s %s\n" % (name, status, keyfile))
    write(os.path.join(out, "probes", "list"), "".join(lines))

    for alg, tok in toks.items():
        print("%s: %d bytes" % (alg, len(tok)))


if __name__ == "__main__":
    main()
