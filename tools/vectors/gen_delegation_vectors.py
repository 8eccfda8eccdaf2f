#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""gen_delegation_vectors.py - make testvectors/delegation.json.

The vectors of RFC 8693 delegation: the `act` chain and the delegation
policy of layer 3 (docs/ARCHITECTURE.md "Delegation, narrowing and workload
identity"), and the calling-side narrowing check of hc_check_exchange().
The tokens are made by jwcrypto (Debian's python3-jwcrypto), a JOSE
implementation that shares no code with hopcheck.  Run it with the
interpreter that has jwcrypto installed:

    /usr/bin/python3 tools/vectors/gen_delegation_vectors.py [--out testvectors]

The file holds the public keys, the extra key files the configuration names,
a v1 configuration, and three lists of cases, all at one fixed clock:

  "cases"           a token, a request (route) and the expected status of
                    hc_validate(), as in every testvectors/*.json, so that
                    tools/run_vectors.py runs them through the CLI too;
                    "config_patch" replaces top-level configuration members
                    (here: delegation, to switch path_policy on);
  "peer_cases"      the same, with a request that carries the peer's SPIFFE
                    ID ("peer_spiffe_id"), which only the C API can set, so
                    that tools/run_vectors.py (which refuses what it cannot
                    pass on) leaves them to tests/test_chain.c;
  "exchange_cases"  a subject token, the token an STS issued for it, the
                    requested audience, the caller's own identity ("self"),
                    the clock, and the expected status of
                    hc_check_exchange().

Keys are fresh on every run (jwcrypto cannot be seeded), so a re-run changes
every token; the committed vectors are data, and the private keys are
discarded when the script ends.  Every token signed with a configured key
is verified again with jwcrypto before it is written.
"""

import argparse
import copy
import os
import sys

try:
    from jwcrypto import jwk, jws
except ImportError:
    sys.exit("gen_delegation_vectors.py: needs jwcrypto (run it with "
             "/usr/bin/python3 on Debian, package python3-jwcrypto)")

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from vectors.common import (NOW, TESTVECTORS, compact,  # noqa: E402
                            generator, public_jwks, write_doc)


GENERATOR = generator(__file__)

SKEW = 30
MAX_LIFETIME = 3600

ISS = "https://sts.example.org"
AS_ISS = "https://as.example.com"                     # RFC 8693 App. A.2
ORIG_ISS = "https://original-issuer.example.net"      # RFC 8693 App. A.2
AUD = "https://payments.internal"
GW_AUD = "https://gateway.internal"

TD = "spiffe://example.org"
PAYMENTS = TD + "/ns/prod/sa/payments"
ORDERS = TD + "/ns/prod/sa/orders"
GATEWAY = TD + "/ns/prod/sa/gateway"
FRONTEND = TD + "/ns/prod/sa/frontend"
BILLING = TD + "/ns/prod/sa/billing"
AUDITOR = TD + "/ns/prod/sa/auditor"
MALLORY = TD + "/ns/prod/sa/mallory"
EXPORT = TD + "/ns/batch/sa/export"
NIGHTLY = TD + "/ns/batch/sa/nightly"
CRON = TD + "/ns/ops/sa/cron"
ELSEWHERE = "spiffe://elsewhere.example/ns/x/sa/relay"

DELEGATION = {
    "max_depth": 4,
    "actors": [
        {"actor": ORDERS, "subjects": ["user:*"],
         "scopes": ["payments:read", "payments:write"]},
        {"actor": GATEWAY, "subjects": ["user:*", "spiffe://partner.example/*"],
         "scopes": ["payments:read"]},
        {"actor": FRONTEND, "subjects": ["user:*"],
         "scopes": ["payments:read"]},
        {"actor": TD + "/ns/batch/*", "subjects": ["svc:reports"],
         "scopes": ["payments:read"]},
        {"actor": EXPORT, "subjects": ["user:*"],
         "scopes": ["payments:export"]},
        {"actor": AUDITOR, "subjects": ["user:*"], "scopes": []},
    ],
    "direct_callers": [BILLING, TD + "/ns/ops/*"],
    "path_policy": False,
}

DELEGATION_STRICT = dict(DELEGATION, path_policy=True)

DEL = object()              # claims(x=DEL) removes x


# ---------------------------------------------------------------------- keys

class Keys:
    """The issuers' keys and an attacker's; private parts never leave."""

    def __init__(self):
        def ec(kid):
            return jwk.JWK.generate(kty="EC", crv="P-256", kid=kid)

        self.sts = ec("sts-1")
        self.as_ = ec("as-1")
        self.orig = ec("orig-1")
        # Not configured anywhere; signs under the STS's kid.
        self.attacker = ec("sts-1")

    public = staticmethod(public_jwks)


def mint(key, claims, typ="at+jwt", verify=True):
    """A compact ES256 JWS of `claims`, made and checked by jwcrypto."""
    header = {"alg": "ES256", "kid": key.get("kid"), "typ": typ}
    s = jws.JWS(compact(claims))
    s.add_signature(key, None, compact(header).decode("utf-8"))
    tok = s.serialize(compact=True)
    if verify:
        check = jws.JWS()
        check.deserialize(tok)
        check.verify(key)       # raises when jwcrypto disagrees with itself
    return tok


def claims(**over):
    """A delegated-looking payload for ISS at NOW, members replaced/removed."""
    c = {"iss": ISS, "sub": "user:alice", "aud": AUD, "iat": NOW - 60,
         "exp": NOW + 600, "jti": "j-1", "client_id": "orders-client",
         "scope": "payments:read"}
    for k, v in over.items():
        if v is DEL:
            c.pop(k, None)
        else:
            c[k] = v
    return c


def chain(*subs):
    """act for the actors `subs`, current first (RFC 8693 section 4.1)."""
    act = None
    for s in reversed(subs):
        level = dict(s) if isinstance(s, dict) else {"sub": s}
        if act is not None:
            level["act"] = act
        act = level
    return act


# ------------------------------------------------------ hc_validate() cases

def make_cases(K, V):
    t = lambda **o: mint(K.sts, claims(**o))
    READ = {"route": "GET /v1/payments/p-1"}
    WRITE = {"route": "POST /v1/payments"}

    def add(name, desc, tok, expect, request=None, patch=None, to="cases"):
        c = {"name": name, "description": desc, "token": tok, "now": NOW}
        c["request"] = request if request is not None else {}
        if patch is not None:
            c["config_patch"] = patch
        c["expect"] = expect
        assert name not in V["_names"], name
        V["_names"].add(name)
        V[to].append(c)

    strict = {"delegation": DELEGATION_STRICT}

    # ---------------------------------------------------- direct calls
    add("direct-mapped-client-listed",
        "no act; client_id billing-client, which binding.identities maps to "
        "the billing workload, a delegation.direct_callers entry",
        t(act=DEL, client_id="billing-client"), "ok", READ)
    add("direct-spiffe-client-listed",
        "no act; client_id is the billing SPIFFE ID itself (not mapped)",
        t(act=DEL, client_id=BILLING), "ok", READ)
    add("direct-client-from-sub",
        "no act, no client_id: the client is sub, the billing SPIFFE ID",
        t(act=DEL, client_id=DEL, sub=BILLING), "ok", READ)
    add("direct-prefix-pattern",
        "no act; client " + CRON + " matches the direct_callers pattern "
        + TD + "/ns/ops/*", t(act=DEL, client_id=CRON), "ok", READ)
    add("direct-prefix-boundary",
        "no act; client " + TD + "/ns/opsx/sa/cron does not match the "
        "pattern " + TD + "/ns/ops/* (the pattern ends in a slash)",
        t(act=DEL, client_id=TD + "/ns/opsx/sa/cron"), "policy", READ)
    add("direct-client-not-listed",
        "no act; client_id web-app is neither listed nor mapped",
        t(act=DEL, client_id="web-app"), "policy", READ)
    add("direct-mapped-client-not-listed",
        "no act; client_id orders-client maps to the orders workload, "
        "a delegate but not a direct caller",
        t(act=DEL, client_id="orders-client"), "policy", READ)
    add("direct-no-client",
        "no act, no client_id, no sub: no caller identity at all while "
        "direct_callers is configured",
        t(act=DEL, client_id=DEL, sub=DEL), "policy", READ)
    add("direct-may-act-is-not-delegation",
        "no act but may_act naming the billing workload, client web-app: "
        "may_act is no delegation (RFC 8693 section 4.4), the call is "
        "direct and web-app is not a direct caller",
        t(act=DEL, client_id="web-app", may_act={"sub": BILLING}),
        "policy", READ)

    # ------------------------------------------------- delegated calls
    add("delegated-ok-read",
        "orders acts for user:alice with payments:read on a read route",
        t(act=chain(ORDERS)), "ok", READ)
    add("delegated-ok-write",
        "orders acts for user:alice with payments:write on the write route",
        t(act=chain(ORDERS), scope="payments:write"), "ok", WRITE)
    add("delegated-ok-no-scope",
        "orders acts for user:alice with no scope at all, no route",
        t(act=chain(ORDERS), scope=DEL), "ok")
    add("delegated-not-direct-caller",
        "direct_callers governs calls without act only: orders is no "
        "direct caller and may still act for a user",
        t(act=chain(ORDERS), client_id="orders-client"), "ok", READ)
    add("delegated-rfc8693-figure-6-shape",
        "two actors as in RFC 8693 section 4.1 figure 6: current actor "
        "gateway, prior actor frontend",
        t(act=chain(GATEWAY, FRONTEND)), "ok", READ)
    add("delegated-actor-unknown",
        "current actor mallory is not a configured delegate",
        t(act=chain(MALLORY)), "chain", READ)
    add("delegated-actor-not-for-subject",
        "orders may act for user:* only, not for svc:reports",
        t(act=chain(ORDERS), sub="svc:reports"), "chain", READ)
    add("delegated-scope-not-granted",
        "orders carries scope admin, which delegation.actors does not "
        "grant it",
        t(act=chain(ORDERS), scope="payments:read admin"), "scope", READ)
    add("delegated-scope-of-other-actor",
        "gateway may carry payments:read only; payments:write is orders'",
        t(act=chain(GATEWAY), scope="payments:write"), "scope", WRITE)
    add("delegated-scp-array-not-granted",
        "the scopes of scp count like those of scope: gateway with scp "
        "[payments:read, payments:write]",
        t(act=chain(GATEWAY), scope=DEL,
          scp=["payments:read", "payments:write"]), "scope", READ)
    add("delegated-actor-without-scopes",
        "auditor is configured with no scopes: any scope is too many",
        t(act=chain(AUDITOR)), "scope", READ)
    add("delegated-actor-without-scopes-no-scope",
        "auditor without any scope claim, no route: accepted",
        t(act=chain(AUDITOR), scope=DEL), "ok")
    add("delegated-trust-domain-subject",
        "gateway may act for subjects of the partner.example trust domain",
        t(act=chain(GATEWAY), sub="spiffe://partner.example/ns/a/sa/b"),
        "ok", READ)
    add("delegated-trust-domain-subject-lookalike",
        "spiffe://partner.example.evil/... is not in the partner.example "
        "trust domain (the pattern ends in a slash)",
        t(act=chain(GATEWAY), sub="spiffe://partner.example.evil/ns/a"),
        "chain", READ)
    add("delegated-no-sub",
        "a delegated token without sub names no one to act for",
        t(act=chain(ORDERS), sub=DEL), "chain", READ)
    add("delegated-two-entries-first",
        "nightly matches " + TD + "/ns/batch/*, which grants svc:reports "
        "with payments:read", t(act=chain(NIGHTLY), sub="svc:reports"),
        "ok", READ)
    add("delegated-two-entries-second",
        "export matches two entries; the exact one grants user:* with "
        "payments:export",
        t(act=chain(EXPORT), sub="user:bob", scope="payments:export"), "ok")
    add("delegated-two-entries-not-combined",
        "export for svc:reports with payments:export: one entry grants the "
        "subject, the other the scope, none both; entries are alternatives, "
        "never combined",
        t(act=chain(EXPORT), sub="svc:reports", scope="payments:export"),
        "scope")
    add("delegated-two-entries-subject-in-neither",
        "export for svc:billing: neither matching entry grants the subject",
        t(act=chain(EXPORT), sub="svc:billing", scope="payments:read"),
        "chain")

    # ---------------------------------------- prior actors (RFC 8693 4.1)
    add("splice-prior-actor-satisfies-policy",
        "current actor mallory (not configured), prior actor orders "
        "(configured): prior actors are not considered in access control "
        "(RFC 8693 section 4.1), so the chain is refused",
        t(act=chain(MALLORY, ORDERS)), "chain", READ)
    add("splice-prior-actor-grants-scope",
        "current actor gateway (payments:read only) with prior actor "
        "orders (payments:write) on the write route: the prior actor's "
        "grant does not count",
        t(act=chain(GATEWAY, ORDERS), scope="payments:write"), "scope",
        WRITE)
    add("prior-actor-unknown-rfc",
        "prior actor from another trust domain, not configured: "
        "informational only under RFC 8693 section 4.1, accepted",
        t(act=chain(ORDERS, ELSEWHERE)), "ok", READ)
    add("prior-actor-unknown-path-policy",
        "the same token with delegation.path_policy: the prior actor must "
        "be a configured delegate",
        t(act=chain(ORDERS, ELSEWHERE)), "chain", READ, patch=strict)
    add("prior-actor-known-path-policy",
        "path_policy with every actor configured: accepted",
        t(act=chain(GATEWAY, FRONTEND)), "ok", READ, patch=strict)
    add("splice-actor-loop-rfc",
        "orders, gateway, orders: a loop, which RFC 8693 does not forbid",
        t(act=chain(ORDERS, GATEWAY, ORDERS)), "ok", READ)
    add("splice-actor-loop-path-policy",
        "the same loop under delegation.path_policy: an actor twice",
        t(act=chain(ORDERS, GATEWAY, ORDERS)), "chain", READ, patch=strict)
    add("splice-actor-loop-other-iss-path-policy",
        "the loop again, the repeated actor carrying a different act.iss: "
        "actors are compared by sub, so it is still the same actor twice",
        t(act=chain(ORDERS, GATEWAY, {"sub": ORDERS,
                                      "iss": "https://other.example"})),
        "chain", READ, patch=strict)
    add("chain-over-max-depth",
        "five actors, delegation.max_depth 4",
        t(act=chain(ORDERS, GATEWAY, FRONTEND, NIGHTLY, EXPORT)), "chain",
        READ)

    # --------------------------- non-identity claims in act (RFC 8693 4.1)
    add("act-exp-in-past-ignored",
        "act.exp long past: non-identity claims in act are not used "
        "(RFC 8693 section 4.1)",
        t(act={"sub": ORDERS, "exp": NOW - 86400}), "ok", READ)
    add("act-nbf-in-future-ignored",
        "act.nbf in the future: not used either",
        t(act={"sub": ORDERS, "nbf": NOW + 86400}), "ok", READ)
    add("act-scope-ignored",
        "act.scope \"admin\" is not read: the top-level scope "
        "payments:read is what the policy sees",
        t(act={"sub": ORDERS, "scope": "admin"}), "ok", READ)
    add("splice-act-aud-is-not-audience",
        "top-level aud names another service, act.aud names this one: the "
        "audience check reads the top-level aud only",
        t(aud=GW_AUD, act={"sub": ORDERS, "aud": AUD}), "audience", READ)
    add("splice-act-scope-is-not-scope",
        "the write route needs payments:write; the top-level scope lacks "
        "it and act.scope has it: only the top-level scope counts",
        t(act={"sub": ORDERS, "scope": "payments:write"}), "scope", WRITE)
    add("act-string",
        "act is a string, not an object (RFC 8693 section 4.1)",
        t(act=ORDERS), "chain", READ)
    add("act-no-sub",
        "act has iss but no sub", t(act={"iss": ISS}), "chain", READ)
    add("act-nested-not-object",
        "prior actor level is an array",
        t(act={"sub": ORDERS, "act": [FRONTEND]}), "chain", READ)

    # ------------------------------------------- peer SPIFFE ID (C only)
    peer = lambda sid, **r: dict(r, peer_spiffe_id=sid)
    off = {"binding": {"mtls": "off", "peer_identity": "off",
                       "identities": {"billing-client": BILLING,
                                      "orders-client": ORDERS}}}
    add("direct-peer-listed-client-not",
        "binding.peer_identity off; the peer's SPIFFE ID (billing) is the "
        "caller, not the token's client web-app",
        t(act=DEL, client_id="web-app"), "ok",
        peer(BILLING, **READ), patch=off, to="peer_cases")
    add("direct-peer-not-listed-client-is",
        "binding.peer_identity off; the token's client maps to billing but "
        "the peer is orders, and the peer is who calls",
        t(act=DEL, client_id="billing-client"), "policy",
        peer(ORDERS, **READ), patch=off, to="peer_cases")
    add("direct-peer-matches-mapped-client",
        "default binding; the peer is billing, which binding.identities "
        "maps billing-client to: binding and direct_callers both agree",
        t(act=DEL, client_id="billing-client"), "ok",
        peer(BILLING, **READ), to="peer_cases")
    add("delegated-peer-is-current-actor",
        "default binding; the peer is the current actor orders",
        t(act=chain(ORDERS, FRONTEND)), "ok", peer(ORDERS, **READ),
        to="peer_cases")
    add("splice-peer-is-prior-actor",
        "default binding; the peer is frontend, a prior actor, not the "
        "current actor orders",
        t(act=chain(ORDERS, FRONTEND)), "peer", peer(FRONTEND, **READ),
        to="peer_cases")


# ------------------------------------------------ hc_check_exchange() cases

def make_exchange(K, V):
    """The gateway exchanges a token it received for one to payments."""
    scopes = "payments:read payments:write orders:read"
    subj_claims = claims(aud=GW_AUD, scope=scopes, act=chain(FRONTEND),
                         client_id="frontend-client")
    iss_claims = claims(aud=AUD, scope="payments:read", exp=NOW + 300,
                        act=chain(GATEWAY, FRONTEND),
                        client_id="gateway-client")

    def subj(**o):
        c = copy.deepcopy(subj_claims)
        for k, v in o.items():
            if v is DEL:
                c.pop(k, None)
            else:
                c[k] = v
        return mint(K.sts, c)

    def issued(key=None, **o):
        c = copy.deepcopy(iss_claims)
        for k, v in o.items():
            if v is DEL:
                c.pop(k, None)
            else:
                c[k] = v
        return mint(key or K.sts, c, verify=key is None)

    S = subj()

    def add(name, desc, subject, issued_tok, expect, audience=AUD,
            self_id=GATEWAY, now=NOW):
        assert name not in V["_names"], name
        V["_names"].add(name)
        V["exchange_cases"].append({
            "name": name, "description": desc, "subject_token": subject,
            "issued_token": issued_tok, "audience": audience,
            "self": self_id, "now": now, "expect": expect})

    add("xchg-ok-second-hop",
        "gateway puts itself in front of the chain [frontend], narrows aud "
        "to payments, scope to payments:read and exp to 5 minutes",
        S, issued(), "ok")
    add("xchg-ok-first-hop",
        "the subject token has no act; the issued act is {sub: gateway}",
        subj(act=DEL), issued(act=chain(GATEWAY)), "ok")
    add("xchg-ok-aud-array-of-one",
        "aud as an array of the one requested audience",
        S, issued(aud=[AUD]), "ok")
    add("xchg-ok-same-scope-same-exp",
        "equal scope and equal exp are not broader",
        S, issued(scope=scopes, exp=NOW + 600), "ok")
    add("xchg-ok-no-scope",
        "an issued token without scope carries nothing broader",
        S, issued(scope=DEL), "ok")
    add("xchg-ok-scp-subset",
        "issued scp [payments:read] is in the subject's scope",
        S, issued(scope=DEL, scp=["payments:read"]), "ok")
    add("xchg-ok-act-non-identity-claims-differ",
        "the issued copy of the prior actor carries an exp the subject's "
        "does not: non-identity claims in act are not used (RFC 8693 "
        "section 4.1)",
        S, issued(act=chain(GATEWAY, {"sub": FRONTEND, "exp": 1})), "ok")
    add("xchg-ok-self-level-has-iss",
        "the new current actor level may carry an iss",
        S, issued(act=chain({"sub": GATEWAY, "iss": ISS}, FRONTEND)), "ok")
    add("xchg-ok-prior-iss-kept",
        "a prior actor identified by iss and sub is copied with both",
        subj(act=chain({"sub": FRONTEND, "iss": ORIG_ISS})),
        issued(act=chain(GATEWAY, {"sub": FRONTEND, "iss": ORIG_ISS})), "ok")

    # RFC 8693 appendix A.2 shapes, under one issuer (as.example.com).
    a2_subject = {"aud": "https://as.example.com", "iss": AS_ISS,
                  "exp": 1441910060, "scope": "status feed",
                  "sub": "user@example.net",
                  "may_act": {"sub": "admin@example.net"}}
    a2_issued = {"aud": "https://backend.example.com", "iss": AS_ISS,
                 "exp": 1441910060, "nbf": 1441909000,
                 "sub": "user@example.net", "scope": "status feed",
                 "act": {"sub": "admin@example.net"}}
    A2_NOW = 1441909500
    add("xchg-rfc8693-a2-shape",
        "RFC 8693 appendix A.2: may_act {sub: admin@example.net} in the "
        "subject token, act {sub: admin@example.net} in the issued one, "
        "self admin@example.net (same iss here, exp not later)",
        mint(K.as_, a2_subject, typ="JWT"), mint(K.as_, a2_issued, typ="JWT"),
        "ok", audience="https://backend.example.com",
        self_id="admin@example.net", now=A2_NOW)
    add("xchg-rfc8693-a2-other-self",
        "the same tokens checked by a caller that is not the party may_act "
        "names",
        mint(K.as_, a2_subject, typ="JWT"),
        mint(K.as_, dict(a2_issued, act={"sub": "intruder@example.net"}),
             typ="JWT"),
        "narrowing", audience="https://backend.example.com",
        self_id="intruder@example.net", now=A2_NOW)
    add("xchg-rfc8693-a2-literal-exp",
        "appendix A.2 as printed: the issued exp 1441910600 is later than "
        "the subject's 1441910060; RFC 8693 allows it, hopcheck's narrowing "
        "contract does not",
        mint(K.as_, a2_subject, typ="JWT"),
        mint(K.as_, dict(a2_issued, exp=1441910600), typ="JWT"),
        "narrowing", audience="https://backend.example.com",
        self_id="admin@example.net", now=A2_NOW)
    add("xchg-rfc8693-a2-literal-iss",
        "appendix A.2 as printed: subject from original-issuer.example.net, "
        "issued by as.example.com; same iss is part of the contract",
        mint(K.orig, dict(a2_subject, iss=ORIG_ISS), typ="JWT"),
        mint(K.as_, a2_issued, typ="JWT"),
        "narrowing", audience="https://backend.example.com",
        self_id="admin@example.net", now=A2_NOW)
    add("xchg-may-act-other-party",
        "the subject token's may_act names orders, the caller is gateway",
        subj(may_act={"sub": ORDERS}), issued(), "narrowing")
    add("xchg-may-act-no-sub",
        "may_act names only an iss: no party the caller can be shown to be",
        subj(may_act={"iss": ISS}), issued(), "narrowing")

    # Broadening.
    add("xchg-scope-broadened",
        "issued scope adds admin", S, issued(scope="payments:read admin"),
        "narrowing")
    add("xchg-scp-broadened",
        "issued scp adds admin", S,
        issued(scope=DEL, scp=["payments:read", "admin"]), "narrowing")
    add("xchg-scope-subject-has-none",
        "the subject token has no scope; the issued one has payments:read",
        subj(scope=DEL), issued(), "narrowing")
    add("xchg-scope-prefix-is-not-scope",
        "issued scope payments is a prefix of payments:read, not a scope "
        "the subject has", S, issued(scope="payments"), "narrowing")
    add("xchg-aud-two-values",
        "issued aud names payments and billing",
        S, issued(aud=[AUD, "https://billing.internal"]), "narrowing")
    add("xchg-aud-other",
        "issued aud names billing instead of the requested payments",
        S, issued(aud="https://billing.internal"), "narrowing")
    add("xchg-aud-missing", "issued token has no aud",
        S, issued(aud=DEL), "narrowing")
    add("xchg-aud-repeated",
        "issued aud [payments, payments]: not an array of one value",
        S, issued(aud=[AUD, AUD]), "narrowing")
    add("xchg-exp-later",
        "issued exp later than the subject's",
        S, issued(exp=NOW + 900), "narrowing")
    add("xchg-issued-expired",
        "issued token already expired at the clock",
        S, issued(exp=NOW - 1, iat=NOW - 120), "expired")
    add("xchg-issued-expires-now",
        "issued exp equals now: expired on or after exp (RFC 7519 section "
        "4.1.4)", S, issued(exp=NOW), "expired")
    add("xchg-issued-no-exp", "issued token has no exp",
        S, issued(exp=DEL), "claim")
    add("xchg-issued-typ-wrong",
        "issued token of typ JWT where the issuer's tokens are at+jwt: the "
        "typ rule of layer 2 holds for the token about to be used",
        S, mint(K.sts, iss_claims, typ="JWT"), "type")
    add("xchg-issued-nbf-future",
        "issued token not valid before ten minutes from now",
        S, issued(nbf=NOW + 600), "not_yet_valid")
    add("xchg-issued-iat-future",
        "issued token issued ten minutes from now", S, issued(iat=NOW + 600),
        "lifetime")
    add("xchg-may-act-iss-matches",
        "may_act names gateway of the STS, and the issued act says so",
        subj(may_act={"sub": GATEWAY, "iss": ISS}),
        issued(act=chain({"sub": GATEWAY, "iss": ISS}, FRONTEND)), "ok")
    add("xchg-may-act-iss-differs",
        "may_act names gateway of another issuer; the issued act names "
        "gateway with no issuer (RFC 8693 section 4.4: identity claims)",
        subj(may_act={"sub": GATEWAY, "iss": "https://other.example.org"}),
        issued(), "narrowing")
    add("xchg-sub-differs", "issued sub is user:bob",
        S, issued(sub="user:bob"), "narrowing")
    add("xchg-iss-differs",
        "issued by as.example.com, a configured issuer, but not the "
        "subject token's", S,
        mint(K.as_, dict(iss_claims, iss=AS_ISS)), "narrowing")
    add("xchg-impersonation",
        "issued token with the same sub and no act: impersonation, not "
        "the delegation the contract asks for", S, issued(act=DEL),
        "narrowing")

    # Actor chain splicing.
    add("xchg-act-sub-not-self",
        "issued act.sub is orders, the caller is gateway",
        S, issued(act=chain(ORDERS, FRONTEND)), "narrowing")
    add("xchg-splice-drop-prior",
        "issued act drops the prior actor frontend",
        S, issued(act=chain(GATEWAY)), "narrowing")
    add("xchg-splice-insert-prior",
        "issued act inserts orders between gateway and frontend",
        S, issued(act=chain(GATEWAY, ORDERS, FRONTEND)), "narrowing")
    add("xchg-splice-insert-at-end",
        "issued act appends a least recent actor the subject never had",
        S, issued(act=chain(GATEWAY, FRONTEND, ORDERS)), "narrowing")
    two = subj(act=chain(ORDERS, FRONTEND))
    add("xchg-splice-reorder",
        "subject chain [orders, frontend], issued [gateway, frontend, "
        "orders]", two, issued(act=chain(GATEWAY, FRONTEND, ORDERS)),
        "narrowing")
    add("xchg-splice-keep-order-ok",
        "subject chain [orders, frontend], issued [gateway, orders, "
        "frontend]", two, issued(act=chain(GATEWAY, ORDERS, FRONTEND)),
        "ok")
    add("xchg-splice-alter-sub",
        "issued act replaces prior actor frontend with mallory",
        S, issued(act=chain(GATEWAY, MALLORY)), "narrowing")
    add("xchg-splice-alter-iss",
        "prior actor's iss changed", subj(act=chain({"sub": FRONTEND,
                                                     "iss": ORIG_ISS})),
        issued(act=chain(GATEWAY, {"sub": FRONTEND, "iss": AS_ISS})),
        "narrowing")
    add("xchg-splice-drop-iss",
        "prior actor's iss dropped", subj(act=chain({"sub": FRONTEND,
                                                     "iss": ORIG_ISS})),
        issued(), "narrowing")
    add("xchg-splice-add-iss",
        "prior actor given an iss it did not have",
        S, issued(act=chain(GATEWAY, {"sub": FRONTEND, "iss": ORIG_ISS})),
        "narrowing")
    add("xchg-splice-first-hop-invents-prior",
        "the subject token has no act; the issued one invents a prior actor",
        subj(act=DEL), issued(), "narrowing")
    add("xchg-act-string",
        "issued act is a string", S, issued(act=GATEWAY), "chain")
    add("xchg-act-prior-not-object",
        "issued act.act is a string", S,
        issued(act={"sub": GATEWAY, "act": FRONTEND}), "chain")
    add("xchg-subject-act-malformed",
        "the subject token's act level has no sub",
        subj(act={"iss": ISS}), issued(act=chain(GATEWAY, {"iss": ISS})),
        "chain")
    deep = ["spiffe://example.org/ns/hop/sa/h%d" % i for i in range(16)]
    add("xchg-chain-over-hard-limit",
        "the subject token carries 16 actors; with self in front the issued "
        "chain has 17, over HC_MAX_ACT_DEPTH",
        subj(act=chain(*deep)), issued(act=chain(GATEWAY, *deep)), "chain")
    add("xchg-chain-at-hard-limit",
        "15 prior actors and self: 16 levels, the hard limit, accepted",
        subj(act=chain(*deep[:15])), issued(act=chain(GATEWAY, *deep[:15])),
        "ok")

    # Tokens that do not verify.
    add("xchg-issued-bad-signature",
        "the issued token is signed by a key that is not the STS's, under "
        "the STS's kid", S, issued(key=K.attacker), "signature")
    add("xchg-issued-not-jws", "the issued token is not a compact JWS",
        S, "not-a-token", "malformed")
    add("xchg-subject-unknown-issuer",
        "the subject token's iss is not configured", subj(
            iss="https://unknown.example"), issued(), "issuer")
    add("xchg-issued-scope-wrong-type",
        "issued scope is an array: a claim type error (RFC 8693 section "
        "4.2)", S, issued(scope=["payments:read"]), "malformed")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=TESTVECTORS)
    args = ap.parse_args()

    K = Keys()
    config = {
        "service": {"audiences": [AUD], "spiffe_id": PAYMENTS},
        "clock_skew_s": SKEW,
        "issuers": [
            {"issuer": ISS, "jwks_file": "keys.json",
             "algorithms": ["ES256"], "token_types": ["at+jwt"],
             "max_lifetime_s": MAX_LIFETIME},
            {"issuer": AS_ISS, "jwks_file": "as.jwks.json",
             "algorithms": ["ES256"], "token_types": ["at+jwt", "JWT"],
             "max_lifetime_s": MAX_LIFETIME},
            {"issuer": ORIG_ISS, "jwks_file": "orig.jwks.json",
             "algorithms": ["ES256"], "token_types": ["JWT"],
             "max_lifetime_s": MAX_LIFETIME},
        ],
        "audience": {"max_direct": 0, "max_delegated": 1},
        "binding": {"mtls": "if_present", "peer_identity": "if_present",
                    "identities": {"billing-client": BILLING,
                                   "orders-client": ORDERS}},
        "delegation": DELEGATION,
        "routes": [
            {"method": "POST", "path": "/v1/payments",
             "scopes": ["payments:write"]},
            {"method": "GET", "path": "/v1/payments/*",
             "scopes": ["payments:read"]},
        ],
    }
    V = {"_names": set(), "cases": [], "peer_cases": [],
         "exchange_cases": []}
    make_cases(K, V)
    make_exchange(K, V)
    doc = {
        "description":
            "RFC 8693 delegation (sections 4.1 and 4.4): the act chain and "
            "the delegation policy of layer 3 (\"cases\"; \"peer_cases\" need a "
            "peer SPIFFE ID, which only the C API sets), and the calling-side "
            "narrowing check hc_check_exchange() (\"exchange_cases\": "
            "subject_token, issued_token, audience, self, now, expect).  "
            "Actors and subjects are SPIFFE IDs of example.org; the service "
            "is payments.",
        "generator": GENERATOR,
        "keys": K.public(K.sts),
        "files": {"as.jwks.json": K.public(K.as_),
                  "orig.jwks.json": K.public(K.orig)},
        "config": config,
        "cases": V["cases"],
        "peer_cases": V["peer_cases"],
        "exchange_cases": V["exchange_cases"],
    }
    path = write_doc(args.out, "delegation.json", doc, encoding="ascii",
                     ensure_ascii=True)
    print("%s: %d cases, %d peer cases, %d exchange cases" % (
        os.path.normpath(path), len(V["cases"]), len(V["peer_cases"]),
        len(V["exchange_cases"])))


if __name__ == "__main__":
    main()
