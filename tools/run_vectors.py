#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""run_vectors.py - run the language-neutral test vectors against a validator.

    run_vectors.py [--hopcheck PATH | --cmd TEMPLATE] [--have CAP]...
                   [--verbose] [--label WORD] FILE...

Each FILE is a testvectors/*.json document (README.md "Test vectors"):
{"description", "generator", "keys", "files", "config", "cases": [...]}.
For each file the runner makes a temporary directory and writes into it
config.json (the file's "config"), keys.json (its "keys") and every entry of
"files" (a string is written as its exact UTF-8 bytes, with no newline added;
any other JSON value as JSON text).  A case with "config_patch" gets its own
config-<n>.json: the file's config with the patch's members replacing the
top-level members of the same name.  Then, for each case, the validator runs
once with the token on standard input, and must print a JSON object whose
"status" is the case's "expect", and exit 0 when that is "ok", 1 otherwise.

--hopcheck PATH (default build/hopcheck) runs

    PATH validate --conf DIR/config.json --token - --now NOW
         [--route "METHOD /path"] [--tenant TENANT]

--cmd TEMPLATE runs any other implementation.  TEMPLATE is split into words
like a shell would (shlex; no shell is involved), then these placeholders are
replaced inside each word:

    {conf}        path of the configuration file for this case
    {dir}         the temporary directory (keys.json and "files" are there)
    {now}         the case's clock, seconds since the epoch
    {token_file}  a file holding the token's exact bytes (also on stdin)
    {route}       the request's "METHOD /path", or "" when none
    {method}      the request's method, or ""
    {path}        the request's path (with any query string), or ""
    {tenant}      the request's tenant, or ""
    {peer_cert}   the request's "peer_cert_file" (a path relative to the
                  directory the runner is started in), or ""
    {peer_x5t}    the request's "peer_x5t", or ""
    {peer_spiffe_id}  the request's "peer_spiffe_id", or ""
    {xfcc}        the request's "xfcc" (an x-forwarded-client-cert value),
                  or ""
    {txn_token_file}  a file holding the request's "txn_token" (the
                  Txn-Token header's exact bytes), or ""

and a word that is exactly {request} expands to zero or more words, one
option per member the case's request has, in this order:
--route "METHOD /path", --tenant TENANT, --peer-cert FILE, --peer-x5t X5T,
--peer-spiffe-id ID, --xfcc VALUE, --txn-token @FILE, --scheme SCHEME,
--dpop @FILE, --wit @FILE, --wpt @FILE (a DPoP proof makes the token a
DPoP-scheme token; method and path come from "route").  A case without
"token" carries no access token: the words "--token -" are dropped.  The hopcheck template is therefore
"PATH validate --conf {conf} --token - --now {now} {request}".

A request member the runner does not know fails the case as unsupported
rather than being silently ignored.  A refused xfcc value is the case's
verdict (hopcheck prints that status and exits 1).

"peer_cases" are run like "cases".  "exchange_cases" ({subject_token,
issued_token, audience, self, now, expect, optional tenant_claim}) run the calling-side exchange
check, with --hopcheck as

    PATH check-exchange --conf {conf} --subject-token @FILE
         --issued-token @FILE --audience A --self ID --now NOW

or with --exchange-cmd TEMPLATE (placeholders {conf}, {subject_file},
{issued_file}, {audience}, {self}, {now}); a case with "tenant_claim" gets
"--tenant-claim NAME" appended.  Without either they are skipped with a
note.  An exchange case with "txn": true (a Txn-Token replacement, no
audience or self) runs

    PATH check-exchange --txn --conf {conf} --subject-token @FILE
         --issued-token @FILE --now NOW

or --txn-exchange-cmd TEMPLATE.  A SPIFFE ID table ({"cases": [{"id", "valid", "trust_domain",
"path"}]}, testvectors/spiffe_ids.json) runs `PATH spiffe-id -` with the
exact bytes on standard input (or --spiffe-cmd TEMPLATE, the ID on stdin),
which must print {"valid": ..., "trust_domain": ..., "path": ...} and exit
0 for a valid ID, 1 otherwise.

A case (token, peer or exchange case) may say "requires": ["eddsa", ...],
the capabilities a validator needs to run it.  Known capabilities:

    eddsa         EdDSA, Ed25519, Ed448 (RFC 8037, RFC 9864)

With --hopcheck they are learnt from the second line of `PATH version`
("crypto: openssl 3.0.13" has eddsa, "crypto: mbedtls 2.28.8" has not);
with --cmd they are the ones named with --have CAP (repeatable; none by
default).  A case that requires what the validator lacks is not run and is
counted as skipped, never as passed.

Output: one line per failing case (file, name, expected and actual status,
exit code, the validator's detail), a line per file with skipped cases,
then "vectors: N passed, N failed, N skipped".
Exit status 1 when any case failed, 2 on a usage error.  Python 3 standard
library only.
"""

import argparse
import json
import os
import shlex
import subprocess
import sys
import tempfile

CASE_TIMEOUT_S = 30
# Capabilities a case may require, and the backends of hopcheck that have
# them (the first word after "crypto:" in `hopcheck version`).
CAPABILITIES = {"eddsa": ("openssl",)}
# Request members and the hopcheck options that carry them, in order.
REQUEST_OPTIONS = (("route", "--route"), ("tenant", "--tenant"),
                   ("peer_cert_file", "--peer-cert"),
                   ("peer_x5t", "--peer-x5t"),
                   ("peer_spiffe_id", "--peer-spiffe-id"),
                   ("xfcc", "--xfcc"), ("txn_token", "--txn-token"),
                   ("scheme", "--scheme"), ("dpop", "--dpop"),
                   ("wit", "--wit"), ("wpt", "--wpt"))
# Request members that are tokens: passed as @FILE (a temporary file).
TOKEN_MEMBERS = ("txn_token", "dpop", "wit", "wpt")


def write_file(path, value):
    """A string's exact UTF-8 bytes, or any other value as JSON text."""
    if isinstance(value, str):
        data = value.encode("utf-8")
    else:
        data = json.dumps(value, indent=1).encode("utf-8")
    with open(path, "wb") as f:
        f.write(data)


def safe_name(name):
    """File names from vectors stay inside the temporary directory."""
    return (isinstance(name, str) and name not in ("", ".", "..")
            and "/" not in name and "\\" not in name and "\0" not in name)


def expand(template, values, request_words):
    """Splits TEMPLATE and substitutes the placeholders word by word."""
    out = []
    for word in shlex.split(template):
        if word == "{request}":
            out.extend(request_words)
            continue
        for k, v in values.items():
            word = word.replace("{" + k + "}", v)
        out.append(word)
    return out


def run_case(template, conf, tmpdir, case, index):
    """Runs one case; returns (ok, message)."""
    tok = case.get("token")
    if tok is not None and not isinstance(tok, str):
        return False, "case token is not a string"
    data = tok.encode("utf-8") if tok is not None else b""
    token_file = os.path.join(tmpdir, "token-%d" % index)
    with open(token_file, "wb") as f:
        f.write(data)
    req = case.get("request") or {}
    unknown = sorted(set(req) - set(k for k, _ in REQUEST_OPTIONS))
    bad = sorted(k for k, v in req.items() if not isinstance(v, str))
    if unknown or bad:
        os.unlink(token_file)
        return False, "request member %s not supported by this runner" % (
            ", ".join(unknown + bad))
    request_words = []
    txn_file = ""
    token_files = []
    for member, option in REQUEST_OPTIONS:
        if member in TOKEN_MEMBERS and member in req:
            path = os.path.join(tmpdir, "%s-%d" % (member, index))
            write_file(path, req[member])
            token_files.append(path)
            if member == "txn_token":
                txn_file = path
            request_words += [option, "@" + path]
        elif member in req:
            request_words += [option, req[member]]
    route = req.get("route", "")
    method, _, path = route.partition(" ")
    values = {"conf": conf, "dir": tmpdir, "now": str(case.get("now")),
              "token_file": token_file, "route": route, "method": method,
              "path": path, "tenant": req.get("tenant", ""),
              "peer_cert": req.get("peer_cert_file", ""),
              "peer_x5t": req.get("peer_x5t", ""),
              "peer_spiffe_id": req.get("peer_spiffe_id", ""),
              "xfcc": req.get("xfcc", ""), "txn_token_file": txn_file}
    argv = expand(template, values, request_words)
    if tok is None:
        # No access token: the words that would pass one are dropped.
        for i in range(len(argv) - 1):
            if argv[i] == "--token" and argv[i + 1] in ("-", token_file):
                del argv[i:i + 2]
                break
    try:
        p = subprocess.run(argv, input=data, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=CASE_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return False, "timed out after %d s" % CASE_TIMEOUT_S
    except OSError as e:
        return False, "cannot run %s: %s" % (argv[0], e)
    finally:
        os.unlink(token_file)
        for path in token_files:
            os.unlink(path)
    expect = case.get("expect")
    out = p.stdout.decode("utf-8", "replace").strip()
    err = p.stderr.decode("utf-8", "replace").strip()
    try:
        res = json.loads(out.splitlines()[-1] if out else "")
        got = res.get("status")
        detail = res.get("detail", "")
    except (ValueError, AttributeError):
        got, detail = None, "output is not JSON: %r %r" % (out[:200],
                                                           err[:200])
    want_rc = 0 if expect == "ok" else 1
    if got == expect and p.returncode == want_rc:
        return True, ""
    msg = "expected %s, got %s (exit %d%s): %s" % (
        expect, got, p.returncode,
        "" if p.returncode == want_rc else ", want %d" % want_rc, detail)
    if p.returncode < 0 or (got is None and err):
        msg += " [stderr: %s]" % err[:300]
    return False, msg


def hopcheck_capabilities(exe):
    """The capabilities of a hopcheck binary, from `exe version`."""
    rc, out, err = run_command([exe, "version"], b"")
    lines = out.splitlines()
    if rc != 0 or len(lines) < 2 or not lines[1].startswith("crypto: "):
        print("run_vectors.py: %s version does not name its crypto backend "
              "(%r); assuming no optional capability" % (exe, out[:200]),
              file=sys.stderr)
        return set(), "unknown"
    backend = lines[1][len("crypto: "):].strip()
    name = backend.split(" ")[0]
    return set(c for c, names in CAPABILITIES.items() if name in names), \
        backend


def missing(case, have):
    """The capabilities a case requires that the validator lacks."""
    req = case.get("requires") or []
    if not isinstance(req, list):
        return ["requires is not a list"]
    return [r for r in req if r not in have]


def run_file(path, templates, verbose, have=frozenset(), backend=""):
    """Runs every case of one vector file; returns (passed, failed,
    skipped)."""
    with open(path, "rb") as f:
        doc = json.loads(f.read().decode("utf-8"))
    if not isinstance(doc, dict):
        print("%s: skipped (not a vector document)" % path)
        return 0, 0, 0
    if "config" not in doc:
        cases = doc.get("cases") or []
        if cases and all("id" in c or "id_repeat" in c for c in cases):
            if templates["spiffe"] is None:
                print("%s: skipped (no --spiffe-cmd)" % path)
                return 0, 0, 0
            return run_spiffe_file(path, doc, templates["spiffe"]) + (0,)
        print("%s: skipped (no token cases)" % path)
        return 0, 0, 0
    passed = failed = 0
    skipped = {}

    def skip(case):
        """Counts a case the validator cannot run; True when skipped."""
        lack = missing(case, have)
        if not lack:
            return False
        key = ", ".join(lack)
        skipped[key] = skipped.get(key, 0) + 1
        if verbose:
            print("skip %s: %s (requires %s)" % (path, case.get("name"),
                                                 key))
        return True

    with tempfile.TemporaryDirectory(prefix="hc-vectors-") as tmp:
        write_file(os.path.join(tmp, "keys.json"), doc.get("keys", {}))
        for name, value in (doc.get("files") or {}).items():
            if not safe_name(name):
                print("%s: bad file name %r" % (path, name))
                return 0, len(doc.get("cases", [])) or 1, 0
            write_file(os.path.join(tmp, name), value)
        conf = os.path.join(tmp, "config.json")
        write_file(conf, doc["config"])
        token_cases = list(doc.get("cases", [])) + list(doc.get("peer_cases", []))
        for i, case in enumerate(token_cases):
            if skip(case):
                continue
            case_conf = conf
            patch = case.get("config_patch")
            if patch:
                merged = dict(doc["config"])
                merged.update(patch)
                # A null member removes its namesake.
                merged = {k: v for k, v in merged.items() if v is not None}
                case_conf = os.path.join(tmp, "config-%d.json" % i)
                write_file(case_conf, merged)
            ok, msg = run_case(templates["validate"], case_conf, tmp, case, i)
            if ok:
                passed += 1
                if verbose:
                    print("ok   %s: %s" % (path, case.get("name")))
            else:
                failed += 1
                print("FAIL %s: %s: %s" % (path, case.get("name"), msg))
        xcases = doc.get("exchange_cases") or []
        if xcases and templates["exchange"] is None:
            print("%s: %d exchange cases skipped (no --exchange-cmd)"
                  % (path, len(xcases)))
            xcases = []
        for i, case in enumerate(xcases):
            if skip(case):
                continue
            ok, msg = run_exchange_case(templates, conf, tmp, case, i)
            if ok:
                passed += 1
                if verbose:
                    print("ok   %s: %s" % (path, case.get("name")))
            else:
                failed += 1
                print("FAIL %s: %s: %s" % (path, case.get("name"), msg))
    for lack, n in sorted(skipped.items()):
        print("%s: %d case%s skipped (requires %s; %s)" % (
            path, n, "" if n == 1 else "s", lack,
            backend or "validator lacks it"))
    return passed, failed, sum(skipped.values())


def run_command(argv, stdin_bytes):
    """Runs argv; returns (exit code, stdout text, stderr text)."""
    try:
        p = subprocess.run(argv, input=stdin_bytes, capture_output=True,
                           timeout=CASE_TIMEOUT_S)
    except (OSError, subprocess.TimeoutExpired) as e:
        return None, "", str(e)
    return (p.returncode, p.stdout.decode("utf-8", "replace"),
            p.stderr.decode("utf-8", "replace"))


def judge(expect, rc, out, err):
    """Compares a CLI's JSON verdict and exit code with `expect`."""
    try:
        got = json.loads(out)
    except ValueError:
        return False, "output is not JSON: %r %s" % (out[:200], err[:200])
    status = got.get("status") if isinstance(got, dict) else None
    want_rc = 0 if expect == "ok" else 1
    if status != expect or rc != want_rc:
        return False, "expected %s, got %s (exit %s, want %d): %s" % (
            expect, status, rc, want_rc, got.get("detail"))
    return True, ""


def run_exchange_case(templates, conf, tmp, case, index):
    """One calling-side exchange check (hopcheck check-exchange); a case
    with "txn": true is a Txn-Token replacement."""
    template = templates["txn_exchange" if case.get("txn") else "exchange"]
    if template is None:
        return False, "no command for this kind of exchange case"
    sub = os.path.join(tmp, "x%d-subject.jwt" % index)
    iss = os.path.join(tmp, "x%d-issued.jwt" % index)
    write_file(sub, case["subject_token"])
    write_file(iss, case["issued_token"])
    values = {"conf": conf, "subject_file": sub, "issued_file": iss,
              "audience": case.get("audience", ""),
              "self": case.get("self", ""), "now": str(case["now"])}
    argv = [w.format(**values) for w in shlex.split(template)]
    if "tenant_claim" in case:
        argv += ["--tenant-claim", case["tenant_claim"]]
    rc, out, err = run_command(argv, b"")
    return judge(case["expect"], rc, out, err)


def expand_repeat(case, field):
    """A field of the SPIFFE ID table, expanding its repeat notation."""
    if field in case:
        return case[field]
    r = case.get(field + "_repeat")
    if r is None:
        return None
    head, tail = r.get("prefix", ""), r.get("suffix", "")
    return head + r["char"] * (r["total_len"] - len(head) - len(tail)) + tail


def run_spiffe_file(path, doc, template):
    """The SPIFFE ID table through a `spiffe-id -` command."""
    passed = failed = 0
    for i, case in enumerate(doc["cases"]):
        ident = expand_repeat(case, "id")
        rc, out, err = run_command(shlex.split(template),
                                   ident.encode("utf-8"))
        try:
            got = json.loads(out)
        except ValueError:
            got = {}
        want = {"valid": case["valid"]}
        if case["valid"]:
            want["trust_domain"] = expand_repeat(case, "trust_domain")
            want["path"] = expand_repeat(case, "path")
        have = {k: got.get(k) for k in want}
        if have == want and rc == (0 if case["valid"] else 1):
            passed += 1
        else:
            failed += 1
            print("FAIL %s: case %d %r: expected %s, got %s (exit %s)" % (
                path, i, ident[:80], want, got, rc))
    return passed, failed


def main():
    ap = argparse.ArgumentParser(
        description="Run testvectors/*.json against a token validator.")
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--hopcheck", metavar="PATH",
                   help="the hopcheck CLI (default build/hopcheck)")
    g.add_argument("--cmd", metavar="TEMPLATE",
                   help="command template, see the module documentation")
    ap.add_argument("--exchange-cmd", metavar="TEMPLATE",
                    help="command template for exchange_cases")
    ap.add_argument("--txn-exchange-cmd", metavar="TEMPLATE",
                    help="command template for exchange_cases with txn")
    ap.add_argument("--spiffe-cmd", metavar="TEMPLATE",
                    help="command template for the SPIFFE ID table")
    ap.add_argument("--have", metavar="CAP", action="append", default=[],
                    choices=sorted(CAPABILITIES),
                    help="with --cmd: a capability the validator has")
    ap.add_argument("--verbose", "-v", action="store_true",
                    help="also list the cases that pass")
    ap.add_argument("--label", default="vectors",
                    help="the word before the closing counts line")
    ap.add_argument("files", nargs="+", metavar="FILE")
    args = ap.parse_args()
    exchange, spiffe = args.exchange_cmd, args.spiffe_cmd
    txn_exchange = args.txn_exchange_cmd
    have, backend = set(args.have), ""
    if args.cmd:
        template = args.cmd
    else:
        exe = args.hopcheck or os.path.join("build", "hopcheck")
        if not os.access(exe, os.X_OK):
            print("run_vectors.py: %s is not an executable (run make)" % exe,
                  file=sys.stderr)
            return 2
        template = (shlex.quote(exe) + " validate --conf {conf} --token - "
                    "--now {now} {request}")
        exchange = exchange or (
            shlex.quote(exe) + " check-exchange --conf {conf} "
            "--subject-token @{subject_file} --issued-token @{issued_file} "
            "--audience {audience} --self {self} --now {now}")
        txn_exchange = (shlex.quote(exe) + " check-exchange --txn --conf "
                        "{conf} --subject-token @{subject_file} "
                        "--issued-token @{issued_file} --now {now}")
        spiffe = spiffe or shlex.quote(exe) + " spiffe-id -"
        have, backend = hopcheck_capabilities(exe)
    templates = {"validate": template, "exchange": exchange,
                 "txn_exchange": txn_exchange, "spiffe": spiffe}
    passed = failed = skipped = 0
    for path in args.files:
        try:
            p, f, s = run_file(path, templates, args.verbose, have,
                               backend)
        except (OSError, ValueError) as e:
            print("FAIL %s: cannot read vectors: %s" % (path, e))
            p, f, s = 0, 1, 0
        passed += p
        failed += f
        skipped += s
    print("%s: %d passed, %d failed, %d skipped" % (args.label, passed,
                                                   failed, skipped))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
