#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# oidc.sh BUILD - interoperability with an OpenID provider hopcheck's
# authors did not write: panva's oidc-provider (npm), pinned by
# tests/integration/oidc/package-lock.json and installed with `npm ci` into
# the test's directory at every run (the npm cache makes reruns quick).
#
# tests/integration/oidc/provider.mjs runs it on 127.0.0.1 with keys it
# makes at start, and issues RFC 9068 JWT access tokens (typ at+jwt) to a
# client_credentials client for RFC 8707 resource indicators.  hopcheckd
# knows nothing but the issuer's URL: the keys come through the discovery
# document.  Checked:
#   - /readyz once the keys are loaded through discovery;
#   - /v1/authz and /v1/validate accept an ES256 and an RS256 token;
#   - a token without payments:write on POST /payments is 403 scope, and
#     is fine on a payments:read route;
#   - a token for another resource is 401 audience, a payload altered
#     after signing is 401 signature, an opaque token is 401 malformed;
#   - a one-time-use route refuses the provider's jti the second time;
#   - `hopcheck validate` with the provider's JWKS saved by curl;
#   - key rotation: the provider restarts on the same port with new keys;
#     the first token under the new kid is 401 key and asks for one early
#     refresh, after which it is accepted; one under a kid that left the
#     set is 401 key;
#   - hopcheckd's log carries no token bytes.
# Without node/npm, or when npm ci fails (no network, no cache), the
# stage reports a SKIP and passes.
set -u
BUILD=${1:-build}
. tests/integration/lib/common.sh

HOPCHECKD=$BUILD/hopcheckd
HOPCHECK=$BUILD/hopcheck
SRC=$(pwd)/tests/integration/oidc
[ -x "$HOPCHECKD" ] || bail "$HOPCHECKD is not built"
[ -x "$HOPCHECK" ] || bail "$HOPCHECK is not built"
command -v curl >/dev/null || bail "curl is not installed"

# skip REASON: the provider cannot run here; not a failure of hopcheck.
skip() {
	echo "# $1"
	ok "# SKIP oidc-provider not installable"
	finish
}

command -v node >/dev/null || skip "node is not installed"
command -v npm >/dev/null || skip "npm is not installed"
node -e 'process.exit(+process.versions.node.split(".")[0] >= 18 ? 0 : 1)' ||
    skip "node $(node --version) is older than 18"

setup_tmp

# ------------------------------------------------------------- install

PDIR=$T_TMP/provider
mkdir "$PDIR" || bail "mkdir $PDIR"
cp "$SRC/package.json" "$SRC/package-lock.json" "$SRC/.npmrc" \
    "$SRC/provider.mjs" "$PDIR/" || bail "copy $SRC"
TIMEOUT=""
command -v timeout >/dev/null && TIMEOUT="timeout 120"
if ! (cd "$PDIR" && $TIMEOUT npm ci --prefer-offline --ignore-scripts \
    --no-audit --no-fund --fetch-retries=1 --fetch-timeout=30000 \
    --loglevel=error) > "$T_TMP/npm.log" 2>&1; then
	tail -n 5 "$T_TMP/npm.log" | sed 's/^/# npm: /'
	skip "npm ci failed"
fi
VERSION=$(node -p 'require(process.argv[1]).version' \
    "$PDIR/node_modules/oidc-provider/package.json" 2>/dev/null)
echo "# oidc-provider $VERSION, node $(node --version)"

# -------------------------------------------------------------- helpers

CLIENT_ID=hopcheck-it
CLIENT_SECRET=$(python3 -c 'import secrets; print(secrets.token_urlsafe(32))')
[ -n "$CLIENT_SECRET" ] || bail "python3 secrets"
API=https://api.example.com

# start_provider PORT: runs provider.mjs on PORT (0: any), sets OPID and
# PORT once it prints the port it listens on (at most 15 s).
start_provider() {
	: > "$T_TMP/provider.out"
	OIDC_PORT=$1 OIDC_CLIENT_ID=$CLIENT_ID OIDC_CLIENT_SECRET=$CLIENT_SECRET \
	    node "$PDIR/provider.mjs" > "$T_TMP/provider.out" \
	    2>> "$T_TMP/provider.log" &
	OPID=$!
	track "$OPID"
	_i=0
	while [ $_i -lt 150 ]; do
		PORT=$(sed -n '1{/^[0-9][0-9]*$/p;}' "$T_TMP/provider.out")
		[ -n "$PORT" ] && return 0
		kill -0 "$OPID" 2>/dev/null || break
		sleep 0.1
		_i=$((_i + 1))
	done
	sed 's/^/# provider: /' "$T_TMP/provider.log"
	return 1
}

# token RESOURCE SCOPE: an access token from the provider's token
# endpoint (client_credentials, RFC 8707 resource unless RESOURCE is
# empty), or nothing.
token() {
	_r=""
	[ -n "$1" ] && _r="resource=$1"
	curl -s --max-time 5 -u "$CLIENT_ID:$CLIENT_SECRET" \
	    --data-urlencode grant_type=client_credentials \
	    ${_r:+--data-urlencode} ${_r:+"$_r"} --data-urlencode "scope=$2" \
	    "$TOKEN_ENDPOINT" | python3 -c 'import json, sys
try:
    print(json.load(sys.stdin)["access_token"])
except Exception:
    pass'
}

# part TOKEN 0|1 MEMBER: a member of the header (0) or payload (1),
# decoded without verifying anything.
part() {
	python3 -c 'import base64, json, sys
s = sys.argv[1].split(".")[int(sys.argv[2])]
v = json.loads(base64.urlsafe_b64decode(s + "=" * (-len(s) % 4)))
print(v.get(sys.argv[3], ""))' "$1" "$2" "$3" 2>/dev/null
}

# tamper TOKEN: the token with its payload's sub changed, signature kept.
tamper() {
	python3 -c 'import base64, json, sys
h, p, s = sys.argv[1].split(".")
c = json.loads(base64.urlsafe_b64decode(p + "=" * (-len(p) % 4)))
c["sub"] = "someone-else"
p = base64.urlsafe_b64encode(json.dumps(c, separators=(",", ":")).encode())
print(h + "." + p.rstrip(b"=").decode() + "." + s)' "$1"
}

# authz TOKEN METHOD URI
authz() {
	req -H "Authorization: Bearer $1" -H "X-Original-Method: $2" \
	    -H "X-Original-URI: $3" "$HC/v1/authz"
}

# validate TOKEN ROUTE
validate() {
	req -H "Content-Type: application/json" \
	    --data-binary "{\"token\":\"$1\",\"route\":\"$2\"}" "$HC/v1/validate"
}

metric() {
	curl -s --max-time 5 "$HC/metrics" | awk -v m="$1" '$1 == m { print $2 }'
}

# ------------------------------------------------------- the provider

start_provider 0 || bail "provider.mjs did not start"
ISS=http://127.0.0.1:$PORT
req "$ISS/.well-known/openid-configuration"
expect "provider: discovery document 200" "$CODE" "200"
META=$(body)
expect "provider: discovery names the issuer" \
    "$(printf '%s' "$META" | python3 -c 'import json, sys
print(json.load(sys.stdin)["issuer"])')" "$ISS"
TOKEN_ENDPOINT=$(printf '%s' "$META" | python3 -c 'import json, sys
print(json.load(sys.stdin)["token_endpoint"])')
JWKS_URI=$(printf '%s' "$META" | python3 -c 'import json, sys
print(json.load(sys.stdin)["jwks_uri"])')

TOK_WRITE=$(token "$API" "payments:read payments:write")
TOK_RS=$(token urn:example:api:rs256 "payments:read payments:write")
TOK_READ=$(token "$API" "payments:read")
TOK_OTHER=$(token https://other.example.com "payments:read payments:write")
TOK_ONCE=$(token "$API" "payments:write")
for t in "$TOK_WRITE" "$TOK_RS" "$TOK_READ" "$TOK_OTHER" "$TOK_ONCE"; do
	[ -n "$t" ] || bail "no access token from $TOKEN_ENDPOINT"
done
# No resource indicator: the provider issues an opaque token.
TOK_OPAQUE=$(token "" "payments:read")
expect "provider: ES256 token is typ at+jwt" \
    "$(part "$TOK_WRITE" 0 alg) $(part "$TOK_WRITE" 0 typ)" "ES256 at+jwt"
expect "provider: RS256 token is typ at+jwt" \
    "$(part "$TOK_RS" 0 alg) $(part "$TOK_RS" 0 typ)" "RS256 at+jwt"
expect "provider: token audience" "$(part "$TOK_WRITE" 1 aud)" "$API"
OLD_KID=$(part "$TOK_WRITE" 0 kid)

# ------------------------------------------------------------ hopcheckd

HCPORT=$(free_port)
[ -n "$HCPORT" ] || bail "no free port"
HC=http://127.0.0.1:$HCPORT
from_template "$SRC/hopcheck.conf.in" "$T_TMP/hopcheck.conf"
LOG=$T_TMP/hopcheckd.log

out=$("$HOPCHECKD" -t -c "$T_TMP/hopcheck.conf" 2>&1)
expect "hopcheckd -t accepts the discovery configuration" "$? $out" \
    "0 configuration OK"

"$HOPCHECKD" -f -c "$T_TMP/hopcheck.conf" 2>"$LOG" &
DPID=$!
track "$DPID"
wait_http "$HC/readyz" 200 || {
	sed 's/^/# hopcheckd: /' "$LOG"
	bail "hopcheckd did not become ready (keys through discovery)"
}
ok "readyz 200: keys loaded through discovery"
expect "metrics: both provider keys loaded" \
    "$(metric "hopcheck_keys_loaded{source=\"$ISS\"}")" "2"

authz "$TOK_WRITE" POST /payments
expect "authz ES256: 200" "$CODE" "200"
expect "authz ES256: status" "$(hdr X-Hopcheck-Status)" "ok"
expect "authz ES256: issuer" "$(hdr X-Hopcheck-Issuer)" "$ISS"
expect "authz ES256: client" "$(hdr X-Hopcheck-Client)" "$CLIENT_ID"
expect "authz ES256: scope" "$(hdr X-Hopcheck-Scope)" \
    "payments:read payments:write"

validate "$TOK_WRITE" "POST /payments"
expect_match "validate ES256: ok with the provider's issuer" "$CODE $(body)" \
    "^200 \\{\"status\":\"ok\",\"detail\":\"accepted\",\"issuer\":\"$ISS\",\"subject\":\"$CLIENT_ID\""
expect_match "validate ES256: alg and kid" "$(body)" \
    "\"kid\":\"$OLD_KID\",\"alg\":\"ES256\""

authz "$TOK_RS" POST /payments
expect "authz RS256: 200 ok" "$CODE $(hdr X-Hopcheck-Status)" "200 ok"
validate "$TOK_RS" "POST /payments"
expect_match "validate RS256: ok" "$(body)" \
    "^\\{\"status\":\"ok\",\"detail\":\"accepted\",\"issuer\":\"$ISS\".*\"alg\":\"RS256\""

authz "$TOK_READ" POST /payments
expect "read-only token on POST /payments: 403 scope" \
    "$CODE $(hdr X-Hopcheck-Status)" "403 scope"
expect_match "read-only token: insufficient_scope challenge" \
    "$(hdr WWW-Authenticate)" '^Bearer error="insufficient_scope", error_description="token rejected: scope"$'
authz "$TOK_READ" GET /payments/17
expect "read-only token on GET /payments/17: 200 ok" \
    "$CODE $(hdr X-Hopcheck-Status)" "200 ok"

authz "$TOK_OTHER" POST /payments
expect "token for another resource: 401 audience" \
    "$CODE $(hdr X-Hopcheck-Status)" "401 audience"
expect_match "another resource: invalid_token challenge" \
    "$(hdr WWW-Authenticate)" '^Bearer error="invalid_token", error_description="token rejected: audience"$'

authz "$(tamper "$TOK_WRITE")" POST /payments
expect "payload altered after signing: 401 signature" \
    "$CODE $(hdr X-Hopcheck-Status)" "401 signature"

if [ -n "$TOK_OPAQUE" ]; then
	authz "$TOK_OPAQUE" GET /payments/17
	expect "opaque token: 401 malformed" "$CODE $(hdr X-Hopcheck-Status)" \
	    "401 malformed"
else
	not_ok "opaque token" "no token without a resource indicator"
fi

authz "$TOK_ONCE" POST /payments/once
expect "one-time use of the provider's jti: first 200" "$CODE" "200"
authz "$TOK_ONCE" POST /payments/once
expect "one-time use of the provider's jti: second 401 replay" \
    "$CODE $(hdr X-Hopcheck-Status)" "401 replay"

# ------------------------------------------------------------------ CLI

curl -s --max-time 5 -o "$T_TMP/provider.jwks.json" "$JWKS_URI"
expect "CLI: JWKS fetched from the jwks_uri" \
    "$(python3 -c 'import json, sys
print(len(json.load(open(sys.argv[1]))["keys"]))' "$T_TMP/provider.jwks.json" \
    2>/dev/null)" "2"
from_template "$SRC/cli.conf.in" "$T_TMP/cli.conf"
out=$("$HOPCHECK" validate --conf "$T_TMP/cli.conf" --token "$TOK_WRITE" \
    --route "POST /payments" 2>&1)
rc=$?
expect "CLI ES256: exit 0" "$rc" "0"
expect_match "CLI ES256: ok" "$out" '"status": *"ok"'
out=$(printf '%s\n' "$TOK_RS" | "$HOPCHECK" validate --conf "$T_TMP/cli.conf" \
    --token - --route "POST /payments" 2>&1)
expect_match "CLI RS256 from stdin: exit 0, ok" "$? $out" '^0 .*"status": *"ok"'
out=$("$HOPCHECK" validate --conf "$T_TMP/cli.conf" --token "$TOK_READ" \
    --route "POST /payments" 2>&1)
expect_match "CLI read-only token: exit 1, scope" "$? $out" \
    '^1 .*"status": *"scope"'

# --------------------------------------------------------- key rotation

# The provider keeps its keys in memory only: a restart on the same port
# is the same issuer with a new key set.
stop_wait "$OPID" 5
expect "provider: stops on SIGTERM" "$?" "0"
OLD_PORT=$PORT
start_provider "$OLD_PORT" || bail "provider.mjs did not restart"
expect "provider: restarted on the same port" "$PORT" "$OLD_PORT"
TOK_NEW=$(token "$API" "payments:write")
[ -n "$TOK_NEW" ] || bail "no access token after the restart"
NEW_KID=$(part "$TOK_NEW" 0 kid)
check "provider: a new kid after the restart" [ "$NEW_KID" != "$OLD_KID" ]
refreshes=$(metric "hopcheck_key_refresh_total{source=\"$ISS\",result=\"ok\"}")
# A validating thread never waits on the network: the first token under
# an unknown kid is refused and asks the refresher for an early fetch.
authz "$TOK_NEW" POST /payments
expect "rotation: first token under the new kid 401 key" \
    "$CODE $(hdr X-Hopcheck-Status)" "401 key"
i=0
while [ $i -lt 50 ]; do
	authz "$TOK_NEW" POST /payments
	[ "$CODE" = 200 ] && break
	sleep 0.1
	i=$((i + 1))
done
expect "rotation: accepted once the early refresh ran" \
    "$CODE $(hdr X-Hopcheck-Status)" "200 ok"
expect "rotation: one refresh for the unknown kid" \
    "$(metric "hopcheck_key_refresh_total{source=\"$ISS\",result=\"ok\"}")" \
    "$((refreshes + 1))"
authz "$TOK_WRITE" POST /payments
expect "rotation: token under a retired kid 401 key" \
    "$CODE $(hdr X-Hopcheck-Status)" "401 key"

# ------------------------------------------------------------ shutdown

stop_wait "$DPID" 5
expect "hopcheckd: SIGTERM exit 0" "$?" "0"
leaked=""
for t in "$TOK_WRITE" "$TOK_RS" "$TOK_READ" "$TOK_OTHER" "$TOK_ONCE" \
    "$TOK_NEW"; do
	if grep -qF -e "${t##*.}" -e "$(echo "$t" | cut -d. -f2)" "$LOG"; then
		leaked="$leaked $(part "$t" 1 jti)"
	fi
done
expect "log: no token payload or signature bytes" "$leaked" ""

finish
