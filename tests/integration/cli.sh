#!/bin/sh
# cli.sh BUILD - the hopcheck command line as a user runs it: exit codes
# (0 accepted, 1 rejected, 2 usage or configuration), JSON output, stdin
# handling, inspect, check-config, spiffe-id and thumbprint.
set -u
. tests/integration/lib/common.sh
BUILD=${1:-build}
H="$BUILD/hopcheck"
setup_tmp

conf=tests/data/core/core.conf
tok() {
	/usr/bin/python3 -c 'import json, sys; d = json.load(open("tests/data/core/tokens.json")); print([c["token"] for c in d["cases"] if c["name"] == sys.argv[1]][0])' "$1"
}
ok_tok=$(tok ok/es256)
bad_tok=$(tok l1/bad-signature)

out=$("$H" validate --conf "$conf" --token "$ok_tok" --now 1767225600)
expect "validate ok: exit 0" "$?" "0"
expect_match "validate ok: JSON status" "$out" '^\{"status":"ok","detail":"accepted","issuer":"https://issuer.core.test"'
out=$("$H" validate --conf "$conf" --token "$bad_tok" --now 1767225600)
expect "validate rejected: exit 1" "$?" "1"
expect_match "validate rejected: status and detail" "$out" '"status":"signature","detail":"RS256 signature does not verify'
case "$out" in
*"$(echo "$bad_tok" | cut -d. -f3)"*) not_ok "the detail holds no signature bytes" ;;
*) ok "the detail holds no signature bytes" ;;
esac
out=$(printf '%s\n' "$ok_tok" | "$H" validate --conf "$conf" --token - --now 1767225600)
expect "validate --token - (newline trimmed): exit 0" "$?" "0"
out=$("$H" validate --conf "$conf" --token "$(tok l3/scope)" --now 1767225600 --route "POST /v1/items")
expect "validate --route: scope enforced, exit 1" "$?" "1"
expect_match "validate --route: status scope" "$out" '"status":"scope"'
"$H" validate --conf "$conf" --token "$ok_tok" --route "POST" >/dev/null 2>&1
expect "validate bad --route: exit 2" "$?" "2"
"$H" validate --token "$ok_tok" >/dev/null 2>&1
expect "validate without --conf: exit 2" "$?" "2"
out=$("$H" validate --conf "$T_TMP/missing.conf" --token "$ok_tok" 2>/dev/null)
expect "validate with a missing config: exit 2" "$?" "2"
expect_match "validate with a missing config: status config" "$out" '"status":"config"'
"$H" frobnicate >/dev/null 2>&1
expect "unknown command: exit 2" "$?" "2"
expect_match "version" "$("$H" version)" '^hopcheck [0-9]+\.[0-9]+\.[0-9]+$'

out=$("$H" inspect "$(tok ok/delegated)")
expect "inspect: exit 0" "$?" "0"
expect_match "inspect says it verified nothing" "$out" '^UNVERIFIED'
expect_match "inspect draws the actor chain" "$out" 'current actor'
"$H" inspect "not.a.token" >/dev/null
expect "inspect of garbage: exit 1" "$?" "1"

out=$("$H" check-config "$conf")
expect "check-config OK: exit 0" "$?" "0"
expect_match "check-config OK: says so" "$out" 'configuration OK$'
printf '{"service": {"audiences": ["a"]}, "isuers": [], "clock_skew_s": "x"}' > "$T_TMP/bad.conf"
err=$("$H" check-config "$T_TMP/bad.conf" 2>&1)
expect "check-config bad: exit 1" "$?" "1"
expect_match "check-config names the unknown key" "$err" 'unknown key "isuers"'
expect_match "check-config reports every problem" "$err" 'clock_skew_s'

out=$("$H" spiffe-id spiffe://example.org/ns/prod/sa/web)
expect "spiffe-id valid: exit 0" "$?" "0"
expect "spiffe-id valid: JSON" "$out" '{"valid":true,"trust_domain":"example.org","path":"/ns/prod/sa/web"}'
out=$(printf 'spiffe://example.org/a\n' | "$H" spiffe-id -)
expect "spiffe-id - reads exact bytes (a newline is invalid): exit 1" "$?" "1"
out=$(printf 'spiffe://example.org/a' | "$H" spiffe-id -)
expect "spiffe-id - without newline: exit 0" "$?" "0"
out=$("$H" spiffe-id 'spiffe://Example.org/x')
expect_match "spiffe-id invalid: detail" "$out" '^\{"valid":false,"detail":"trust domain character'

# RFC 8705 Appendix A.
expect "thumbprint of RFC 8705 Appendix A" \
    "$("$H" thumbprint tests/vectors/rfc8705-appA.pem)" \
    "A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0"
"$H" thumbprint README.md >/dev/null 2>&1
expect "thumbprint of a non-certificate: exit 1" "$?" "1"
finish
