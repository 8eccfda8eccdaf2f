#!/usr/bin/env python3
"""run_vectors.py - run the language-neutral test vectors against a validator.

    run_vectors.py [--hopcheck PATH | --cmd TEMPLATE] [--verbose] FILE...

Each FILE is a testvectors/*.json document (DESIGN.md "Test vectors"):
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

and a word that is exactly {request} expands to zero or more words, one
option per member the case's request has, in this order:
--route "METHOD /path", --tenant TENANT, --peer-cert FILE, --peer-x5t X5T,
--peer-spiffe-id ID, --xfcc VALUE.  The hopcheck template is therefore
"PATH validate --conf {conf} --token - --now {now} {request}".

A request member the runner does not know fails the case as unsupported
rather than being silently ignored.  A refused xfcc value is the case's
verdict (hopcheck prints that status and exits 1).

Output: one line per failing case (file, name, expected and actual status,
exit code, the validator's detail), then "vectors: N passed, N failed".
Exit status 1 when any case failed, 2 on a usage error.  Files that hold no
token cases (no "config", e.g. testvectors/spiffe_ids.json, which its own
tests read) are skipped with a note.  Python 3 standard library only.
"""

import argparse
import json
import os
import shlex
import subprocess
import sys
import tempfile

CASE_TIMEOUT_S = 30
# Request members and the hopcheck options that carry them, in order.
REQUEST_OPTIONS = (("route", "--route"), ("tenant", "--tenant"),
                   ("peer_cert_file", "--peer-cert"),
                   ("peer_x5t", "--peer-x5t"),
                   ("peer_spiffe_id", "--peer-spiffe-id"),
                   ("xfcc", "--xfcc"))


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
    if not isinstance(tok, str):
        return False, "case has no token string"
    data = tok.encode("utf-8")
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
    for member, option in REQUEST_OPTIONS:
        if member in req:
            request_words += [option, req[member]]
    route = req.get("route", "")
    method, _, path = route.partition(" ")
    values = {"conf": conf, "dir": tmpdir, "now": str(case.get("now")),
              "token_file": token_file, "route": route, "method": method,
              "path": path, "tenant": req.get("tenant", ""),
              "peer_cert": req.get("peer_cert_file", ""),
              "peer_x5t": req.get("peer_x5t", ""),
              "peer_spiffe_id": req.get("peer_spiffe_id", ""),
              "xfcc": req.get("xfcc", "")}
    argv = expand(template, values, request_words)
    try:
        p = subprocess.run(argv, input=data, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=CASE_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return False, "timed out after %d s" % CASE_TIMEOUT_S
    except OSError as e:
        return False, "cannot run %s: %s" % (argv[0], e)
    finally:
        os.unlink(token_file)
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


def run_file(path, template, verbose):
    """Runs every case of one vector file; returns (passed, failed)."""
    with open(path, "rb") as f:
        doc = json.loads(f.read().decode("utf-8"))
    if not isinstance(doc, dict) or "config" not in doc:
        print("%s: skipped (no token cases)" % path)
        return 0, 0
    passed = failed = 0
    with tempfile.TemporaryDirectory(prefix="hc-vectors-") as tmp:
        write_file(os.path.join(tmp, "keys.json"), doc.get("keys", {}))
        for name, value in (doc.get("files") or {}).items():
            if not safe_name(name):
                print("%s: bad file name %r" % (path, name))
                return 0, len(doc.get("cases", [])) or 1
            write_file(os.path.join(tmp, name), value)
        conf = os.path.join(tmp, "config.json")
        write_file(conf, doc["config"])
        for i, case in enumerate(doc.get("cases", [])):
            case_conf = conf
            patch = case.get("config_patch")
            if patch:
                merged = dict(doc["config"])
                merged.update(patch)
                case_conf = os.path.join(tmp, "config-%d.json" % i)
                write_file(case_conf, merged)
            ok, msg = run_case(template, case_conf, tmp, case, i)
            if ok:
                passed += 1
                if verbose:
                    print("ok   %s: %s" % (path, case.get("name")))
            else:
                failed += 1
                print("FAIL %s: %s: %s" % (path, case.get("name"), msg))
    return passed, failed


def main():
    ap = argparse.ArgumentParser(
        description="Run testvectors/*.json against a token validator.")
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--hopcheck", metavar="PATH",
                   help="the hopcheck CLI (default build/hopcheck)")
    g.add_argument("--cmd", metavar="TEMPLATE",
                   help="command template, see the module documentation")
    ap.add_argument("--verbose", "-v", action="store_true",
                    help="also list the cases that pass")
    ap.add_argument("files", nargs="+", metavar="FILE")
    args = ap.parse_args()
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
    passed = failed = 0
    for path in args.files:
        try:
            p, f = run_file(path, template, args.verbose)
        except (OSError, ValueError) as e:
            print("FAIL %s: cannot read vectors: %s" % (path, e))
            p, f = 0, 1
        passed += p
        failed += f
    print("vectors: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
