#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# cli.sh BUILD - the hopcheck command line as a user runs it: exit codes
# (0 accepted, 1 rejected, 2 usage or input error), help and usage errors,
# token inputs (inline, -, @FILE, whitespace, "Bearer "), JSON output,
# inspect (text and --json), check-config, spiffe-id and thumbprint.
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
err=$("$H" validate --conf "$T_TMP/missing.conf" --token "$ok_tok" 2>&1 >/dev/null)
expect "validate with a missing config: exit 2" "$?" "2"
expect "validate with a missing config: says so" "$err" \
    "hopcheck: cannot read $T_TMP/missing.conf: No such file or directory"
"$H" frobnicate >/dev/null 2>&1
expect "unknown command: exit 2" "$?" "2"
expect_match "version" "$("$H" version)" '^hopcheck [0-9]+\.[0-9]+\.[0-9]+$'

# Help and version: exit 0, on standard output.
for cmd in "" validate inspect check-config check-exchange keys spiffe-id \
    thumbprint version; do
	for h in --help -h; do
		# shellcheck disable=SC2086  # an empty $cmd is no word
		out=$("$H" $cmd $h 2>/dev/null)
		expect "hopcheck $cmd $h: exit 0" "$?" "0"
		expect_match "hopcheck $cmd $h: usage on stdout" "$out" "^usage: hopcheck"
	done
done
expect_match "--help documents the exit codes" "$("$H" --help)" '0 accepted.*1 refused.*2 usage'
expect "--version is version" "$("$H" --version)" "$("$H" version)"
expect "-V is version" "$("$H" -V)" "$("$H" version)"

# A usage error: one line saying what is wrong, then the usage, exit 2.
err=$("$H" validate --foo 2>&1 >/dev/null)
expect "unknown option: exit 2" "$?" "2"
expect "unknown option: named on the first line" "$(echo "$err" | head -n 1)" \
    "hopcheck validate: unknown option '--foo'"
expect_match "unknown option: then the usage" "$(echo "$err" | sed -n 2p)" '^usage: hopcheck validate'
err=$("$H" validate --token "$ok_tok" 2>&1 >/dev/null)
expect "missing --conf: named" "$(echo "$err" | head -n 1)" "hopcheck validate: missing --conf"
err=$("$H" validate --conf "$conf" --token 2>&1 >/dev/null)
expect "option without value: exit 2" "$?" "2"
expect "option without value: named" "$(echo "$err" | head -n 1)" \
    "hopcheck validate: option '--token' needs a value"
err=$("$H" inspect 2>&1 >/dev/null)
expect "inspect without a token: exit 2" "$?" "2"
expect "inspect without a token: named" "$(echo "$err" | head -n 1)" "hopcheck inspect: missing the token"
err=$("$H" check-config "$conf" extra 2>&1 >/dev/null)
expect "extra argument: exit 2" "$?" "2"
expect "extra argument: named" "$(echo "$err" | head -n 1)" \
    "hopcheck check-config: unexpected argument 'extra'"
err=$("$H" --frob 2>&1 >/dev/null)
expect "unknown global option: exit 2" "$?" "2"
expect "unknown global option: named" "$(echo "$err" | head -n 1)" "hopcheck: unknown option '--frob'"

# Token inputs: inline, - and @FILE, one whitespace rule, no "Bearer ".
printf ' \t%s \r\n\n' "$ok_tok" > "$T_TMP/tok.txt"
out=$("$H" validate --conf "$conf" --token @"$T_TMP/tok.txt" --now 1767225600)
expect "validate --token @FILE (whitespace trimmed): exit 0" "$?" "0"
out=$(printf '\r\n  %s\t\r\n' "$ok_tok" | "$H" validate --conf "$conf" --token - --now 1767225600)
expect "validate --token - (leading and trailing whitespace trimmed): exit 0" "$?" "0"
out=$("$H" validate --conf "$conf" --token " $ok_tok
" --now 1767225600)
expect "validate --token inline (whitespace trimmed): exit 0" "$?" "0"
out=$("$H" inspect @"$T_TMP/tok.txt")
expect "inspect @FILE: exit 0" "$?" "0"
out=$("$H" check-exchange --conf "$conf" --subject-token @"$T_TMP/tok.txt" \
    --issued-token @"$T_TMP/tok.txt" --audience https://api.core.test \
    --self spiffe://core.test/sa/gateway --now 1767225600)
expect_match "check-exchange @FILE: judged (a JSON verdict)" "$out" '^\{"status":"narrowing"'
err=$(echo "$ok_tok" | "$H" check-exchange --conf "$conf" --subject-token - \
    --issued-token - --audience a --self b 2>&1 >/dev/null)
expect "two options reading -: exit 2" "$?" "2"
expect_match "two options reading -: said in one line" "$(echo "$err" | head -n 1)" \
    "^hopcheck check-exchange: --issued-token -: standard input is already read"
for t in "Bearer $ok_tok" "bearer $ok_tok" "BEARER	$ok_tok" "  Bearer $ok_tok"; do
	err=$("$H" validate --conf "$conf" --token "$t" 2>&1 >/dev/null)
	expect "Bearer prefix refused: exit 2" "$?" "2"
	expect "Bearer prefix refused: hint" "$err" \
	    'hopcheck: the token starts with "Bearer "; pass the token alone'
done
printf 'Bearer %s\n' "$ok_tok" > "$T_TMP/bearer.txt"
"$H" inspect @"$T_TMP/bearer.txt" >/dev/null 2>&1
expect "Bearer prefix in @FILE refused by inspect: exit 2" "$?" "2"

# One rule for a file that cannot be read: exit 2, "cannot read FILE: why".
missing="$T_TMP/none"
for args in "validate --conf $missing --token $ok_tok" \
    "validate --conf $conf --token @$missing" \
    "validate --conf $conf --token $ok_tok --peer-cert $missing" \
    "inspect @$missing" "check-config $missing" "thumbprint $missing" \
    "check-exchange --conf $missing --subject-token x --issued-token x --audience a --self b" \
    "check-exchange --conf $conf --subject-token @$missing --issued-token x --audience a --self b"; do
	# shellcheck disable=SC2086  # the words of $args
	err=$("$H" $args 2>&1 >/dev/null)
	expect "missing file ($args): exit 2" "$?" "2"
	expect "missing file ($args): message" "$err" \
	    "hopcheck: cannot read $missing: No such file or directory"
done
err=$("$H" check-config "$T_TMP" 2>&1 >/dev/null)
expect "a directory: exit 2" "$?" "2"
expect "a directory: message" "$err" "hopcheck: cannot read $T_TMP: Is a directory"

out=$("$H" inspect "$(tok ok/delegated)")
expect "inspect: exit 0" "$?" "0"
expect_match "inspect says it verified nothing" "$out" '^UNVERIFIED'
expect_match "inspect draws the actor chain" "$out" 'current actor'
"$H" inspect "not.a.token" >/dev/null
expect "inspect of garbage: exit 1" "$?" "1"
expect_match "inspect --help says it verifies nothing" "$("$H" inspect --help)" 'WITHOUT verifying'

# inspect --json: one JSON document a program can read.
json_get() {	# json_get JSON PYTHON-EXPRESSION-OVER-d
	printf '%s' "$1" | /usr/bin/python3 -c 'import json, sys
d = json.load(sys.stdin)
print(eval(sys.argv[1]))' "$2"
}
out=$("$H" inspect --json --now 1767225600 "$ok_tok")
expect "inspect --json: exit 0" "$?" "0"
# shellcheck disable=SC2016  # $1 is the inner shell's
check "inspect --json: parses as JSON" sh -c 'printf "%s" "$1" | /usr/bin/python3 -m json.tool >/dev/null' - "$out"
expect "inspect --json: verified false" "$(json_get "$out" 'd["verified"]')" "False"
expect "inspect --json: header" "$(json_get "$out" 'd["header"]["alg"]')" "ES256"
expect "inspect --json: payload" "$(json_get "$out" 'd["payload"]["sub"]')" "user:alice"
expect "inspect --json: exp in UTC" "$(json_get "$out" 'd["dates"]["exp"]["utc"]')" "2026-01-01T00:10:00Z"
expect "inspect --json: exp epoch" "$(json_get "$out" 'd["dates"]["exp"]["epoch"]')" "1767226200"
expect "inspect --json: iat in UTC" "$(json_get "$out" 'd["dates"]["iat"]["utc"]')" "2025-12-31T23:59:00Z"
expect "inspect --json: expires_in" "$(json_get "$out" 'd["expires_in"]')" "600"
expect "inspect --json: no warnings for a good token" "$(json_get "$out" 'd["warnings"]')" "[]"
out=$("$H" inspect --json --now 1767226260 "$ok_tok")
expect "inspect --json --now later: expired_ago" "$(json_get "$out" 'd["expired_ago"]')" "60"
out=$("$H" inspect --json --now 1767225600 "$(tok l1/alg-none)")
expect "inspect --json alg none: exit 0" "$?" "0"
expect_match "inspect --json alg none: warned" "$(json_get "$out" '"\n".join(d["warnings"])')" '^alg "none"'
out=$("$H" inspect --json --now 1767225600 "$(tok l1/crit)")
expect_match "inspect --json crit: warned" "$(json_get "$out" '"\n".join(d["warnings"])')" '^crit present'
out=$("$H" inspect --json --now 1767225600 "$(tok l2/exp-missing)")
expect_match "inspect --json no exp: warned" "$(json_get "$out" '"\n".join(d["warnings"])')" '^no exp'
out=$("$H" inspect --json --now 1767225600 "$(tok l2/typ-missing)")
expect_match "inspect --json no typ: warned" "$(json_get "$out" '"\n".join(d["warnings"])')" '^no typ'
hp() {
	/usr/bin/python3 -c 'import json, sys; d = json.load(open("tests/data/header_params/tokens.json")); print([c["token"] for c in d["cases"] if c["name"] == sys.argv[1]][0])' "$1"
}
for c in cty/JWT:cty zip/DEF:zip b64/false:b64 jwe/enc:enc; do
	out=$("$H" inspect --json --now 1767225600 "$(hp "${c%%:*}")")
	expect_match "inspect --json ${c%%:*}: warned" "$(json_get "$out" '"\n".join(d["warnings"])')" "^${c#*:} "
done
out=$("$H" inspect --json "$(tok ok/delegated)")
expect "inspect --json: actors, current first" "$(json_get "$out" 'd["actors"][0]')" "spiffe://core.test/sa/gateway"
if command -v jq >/dev/null 2>&1; then
	expect "inspect --json: usable with jq" \
	    "$("$H" inspect --json "$ok_tok" | jq -r .header.kid)" "core-es"
fi

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

# check-config: warnings go to standard error and do not fail the check.
out=$("$H" check-config "$conf" 2>"$T_TMP/warn")
expect "check-config with warnings: exit 0" "$?" "0"
expect "check-config with warnings: OK on standard output" "$out" \
    "$conf: configuration OK"
expect_match "check-config: warns about a default route without deny" \
    "$(cat "$T_TMP/warn")" "^$conf: warning: default_route: not \\{\"deny\": true\\}"
sed 's/^{/{ "default_route": { "deny": true },/' "$conf" > "$T_TMP/deny.conf"
cp "$(dirname "$conf")"/*.json "$T_TMP/" 2>/dev/null
"$H" check-config "$T_TMP/deny.conf" >/dev/null 2>"$T_TMP/warn2"
expect "check-config: no warning once the default route denies" \
    "$(grep -c 'default_route' "$T_TMP/warn2")" "0"
# keys: the key report of a configuration (tests/integration/keys.sh has more)
out=$("$H" keys --conf "$conf" --no-fetch)
expect "keys --no-fetch: exit 0" "$?" "0"
expect_match "keys: the issuer and its kids" "$(echo "$out" | tr -d '\n\t')" \
    '"issuer":"https://issuer.core.test".*"keys":\[\{"kid":'
"$H" keys --conf "$T_TMP/missing.conf" >/dev/null 2>&1
expect "keys with a missing file: exit 2" "$?" "2"

# check-exchange --tenant-claim: the tenant must survive the exchange
xv=testvectors/exchange_tenant_binding.json
xtok() {
	python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); c = [c for c in d["exchange_cases"] if c["name"] == sys.argv[2]][0]; print(c[sys.argv[3]])' "$xv" "$1" "$2"
}
python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); json.dump(d["keys"], open(sys.argv[2] + "/keys.json", "w")); json.dump(d["config"], open(sys.argv[2] + "/x.conf", "w"))' "$xv" "$T_TMP"
xchg() {
	_c=$1
	shift
	"$H" check-exchange --conf "$T_TMP/x.conf" --subject-token "$(xtok "$_c" subject_token)" \
	    --issued-token "$(xtok "$_c" issued_token)" --audience https://payments.internal \
	    --self spiffe://example.org/ns/prod/sa/gateway --now 1767225600 "$@"
}
out=$(xchg xchg-tenant-changed)
expect "check-exchange without --tenant-claim: tenant not compared" "$?" "0"
out=$(xchg xchg-tenant-changed --tenant-claim tenant)
expect "check-exchange --tenant-claim: changed tenant, exit 1" "$?" "1"
expect_match "check-exchange --tenant-claim: narrowing, names the claim" "$out" \
    '"status":"narrowing","detail":"tenant claim \\"tenant\\" of the issued token is \\"globex\\"'
out=$(xchg xchg-bound-to-bearer)
expect "check-exchange: bound token back as bearer, exit 1" "$?" "1"
expect_match "check-exchange: bound to bearer is narrowing" "$out" \
    '"status":"narrowing","detail":"the subject token is bound to certificate'
xchg xchg-tenant-same --tenant-claim "" >/dev/null 2>&1
expect "check-exchange --tenant-claim '': exit 2" "$?" "2"
finish
