#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# dpop_interop.sh BUILD - DPoP (RFC 9449) end to end with peers hopcheck's
# authors did not write: panva's oidc-provider (tests/integration/oidc/
# provider.mjs, its dPoP feature on) issues DPoP-bound access tokens, a
# client made with panva's jose (tests/integration/oidc/dpop_client.mjs)
# makes the proofs, and hopcheckd decides behind nginx, configured by the
# shipped conf/nginx-auth-request.conf (made plain HTTP on loopback; its
# auth_request_set / add_header copying of the DPoP headers is what runs).
# Both npm packages are pinned by tests/integration/oidc/package-lock.json
# and installed with `npm ci` into the test's directory.  Checked:
#   - the provider advertises ES256 DPoP proofs; a token request with a
#     jose-made proof gets token_type DPoP, and the access token's cnf.jkt
#     is the thumbprint of the client's key;
#   - through nginx, GET /v1/payments/17 with Authorization: DPoP and the
#     right proof: 200 from the backend, which receives the thumbprint in
#     X-Hopcheck-Dpop-Jkt; no DPoP-Nonce header when nonces are off;
#   - the same proof again (replay), a proof for another path, origin or
#     method: 401 and WWW-Authenticate: DPoP error="invalid_dpop_proof"
#     at the client; a proof by another key: 401 DPoP invalid_token;
#   - the bound token sent as Bearer: 401 binding with its invalid_token
#     challenge; the provider's unbound Bearer token, alone or sent as
#     DPoP with a proof: 401 (dpop.mode required); no Authorization: 401
#     with a challenge; a fresh proof after all of these: 200;
#   - nonces (dpop.nonce_secret_file): a proof without one is 401
#     use_dpop_nonce and the DPoP-Nonce header reaches the client through
#     nginx; a new proof with it is 200;
#   - hopcheckd's log carries the thumbprint and no token or proof bytes.
# Without node/npm/nginx, or when npm ci fails (no network, no cache), the
# stage reports a SKIP and passes.
set -u
BUILD=${1:-build}
. tests/integration/lib/common.sh

HOPCHECKD=$BUILD/hopcheckd
SRC=$(pwd)/tests/integration/oidc
DATA=$(pwd)/tests/integration/data
SNIPPET=$(pwd)/conf/nginx-auth-request.conf
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
[ -x "$HOPCHECKD" ] || bail "$HOPCHECKD is not built"
command -v curl >/dev/null || bail "curl is not installed"

# skip REASON: a peer cannot run here; not a failure of hopcheck.
skip() {
	echo "# $1"
	ok "# SKIP DPoP interop peers not available"
	finish
}

[ -x "$NGINX" ] || skip "nginx is not installed"
command -v node >/dev/null || skip "node is not installed"
command -v npm >/dev/null || skip "npm is not installed"
node -e 'process.exit(+process.versions.node.split(".")[0] >= 18 ? 0 : 1)' ||
    skip "node $(node --version) is older than 18"

setup_tmp

# ------------------------------------------------------------- install

PDIR=$T_TMP/provider
mkdir "$PDIR" || bail "mkdir $PDIR"
cp "$SRC/package.json" "$SRC/package-lock.json" "$SRC/.npmrc" \
    "$SRC/provider.mjs" "$SRC/dpop_client.mjs" "$PDIR/" || bail "copy $SRC"
TIMEOUT=""
command -v timeout >/dev/null && TIMEOUT="timeout 120"
if ! (cd "$PDIR" && $TIMEOUT npm ci --prefer-offline --ignore-scripts \
    --no-audit --no-fund --fetch-retries=1 --fetch-timeout=30000 \
    --loglevel=error) > "$T_TMP/npm.log" 2>&1; then
	tail -n 5 "$T_TMP/npm.log" | sed 's/^/# npm: /'
	skip "npm ci failed"
fi
ver() {
	node -p 'require(process.argv[1]).version' \
	    "$PDIR/node_modules/$1/package.json" 2>/dev/null
}
echo "# oidc-provider $(ver oidc-provider), jose $(ver jose), node $(node --version)"

# -------------------------------------------------------------- helpers

CLIENT_ID=hopcheck-it
CLIENT_SECRET=$(python3 -c 'import secrets; print(secrets.token_urlsafe(32))')
[ -n "$CLIENT_SECRET" ] || bail "python3 secrets"
export OIDC_CLIENT_ID="$CLIENT_ID" OIDC_CLIENT_SECRET="$CLIENT_SECRET"
API=https://api.example.com

client() {
	node "$PDIR/dpop_client.mjs" "$@" 2>>"$T_TMP/client.log"
}

# json MEMBER: MEMBER of the JSON object on stdin, or nothing.
json() {
	python3 -c 'import json, sys
try:
    v = json.load(sys.stdin)[sys.argv[1]]
    print(v if isinstance(v, str) else json.dumps(v))
except Exception:
    pass' "$1"
}

# claim TOKEN MEMBER: a payload member, decoded without verifying anything.
claim() {
	python3 -c 'import base64, json, sys
s = sys.argv[1].split(".")[1]
v = json.loads(base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))).get(sys.argv[2], "")
print(v if isinstance(v, str) else json.dumps(v, sort_keys=True))' "$1" "$2" \
	    2>/dev/null
}

# start_hopcheckd NONCE: hopcheckd with the @NONCE@ member NONCE, until
# ready (its keys through the provider's discovery).
start_hopcheckd() {
	from_template "$DATA/dpop-oidc-hopcheck.conf.in" "$T_TMP/hc.tmp"
	sed -e "s|@NGPORT@|$NGPORT|g" -e "s|@NONCE@|$1|" "$T_TMP/hc.tmp" \
	    > "$T_TMP/hopcheck.conf" || bail "hopcheck.conf"
	"$HOPCHECKD" -f -c "$T_TMP/hopcheck.conf" 2>>"$T_TMP/hopcheckd.log" &
	HPID=$!
	track "$HPID"
	wait_http "http://127.0.0.1:$HCPORT/readyz" 200 ||
	    bail "hopcheckd did not become ready: $(tail -n 3 "$T_TMP/hopcheckd.log")"
}

# ------------------------------------------------------- the provider

: > "$T_TMP/provider.out"
OIDC_PORT=0 node "$PDIR/provider.mjs" > "$T_TMP/provider.out" \
    2>> "$T_TMP/provider.log" &
OPID=$!
track "$OPID"
i=0
PORT=""
while [ $i -lt 150 ]; do
	PORT=$(sed -n '1{/^[0-9][0-9]*$/p;}' "$T_TMP/provider.out")
	[ -n "$PORT" ] && break
	kill -0 "$OPID" 2>/dev/null || break
	sleep 0.1
	i=$((i + 1))
done
[ -n "$PORT" ] || bail "provider.mjs did not start: $(tail -n 3 "$T_TMP/provider.log")"
ISS=http://127.0.0.1:$PORT
req "$ISS/.well-known/openid-configuration"
expect "provider: discovery document 200" "$CODE" "200"
TOKEN_ENDPOINT=$(body | json token_endpoint)
[ -n "$TOKEN_ENDPOINT" ] || bail "no token_endpoint in the discovery document"
expect "provider: DPoP proofs ES256" \
    "$(body | json dpop_signing_alg_values_supported)" '["ES256"]'

# ---------------------------------------------------------------- tokens

JKT=$(client keygen "$T_TMP/client.jwk")
[ -n "$JKT" ] || bail "dpop_client.mjs keygen: $(tail -n 3 "$T_TMP/client.log")"
JKT_OTHER=$(client keygen "$T_TMP/other.jwk")
[ -n "$JKT_OTHER" ] || bail "dpop_client.mjs keygen (other)"

RESP=$(client token "$T_TMP/client.jwk" "$TOKEN_ENDPOINT" "$API" \
    "payments:read payments:write")
expect "token request with a jose proof: token_type DPoP" \
    "$(printf '%s' "$RESP" | json token_type)" "DPoP"
AT=$(printf '%s' "$RESP" | json access_token)
[ -n "$AT" ] || bail "no DPoP-bound access token: $(tail -n 3 "$T_TMP/client.log")"
expect "the access token's cnf.jkt is the client key's thumbprint" \
    "$(claim "$AT" cnf)" "{\"jkt\": \"$JKT\"}"
expect "the access token's audience" "$(claim "$AT" aud)" "$API"

# The same client without a proof: an unbound Bearer token.
BEARER=$(curl -s --max-time 5 -u "$CLIENT_ID:$CLIENT_SECRET" \
    --data-urlencode grant_type=client_credentials \
    --data-urlencode "resource=$API" --data-urlencode "scope=payments:read" \
    "$TOKEN_ENDPOINT" | json access_token)
[ -n "$BEARER" ] || bail "no Bearer access token"
expect "without a proof: no cnf" "$(claim "$BEARER" cnf)" ""

# ---------------------------------------------------- hopcheckd + nginx

NGPORT=$(free_port)
HCPORT=$(free_port)
BEPORT=$(free_port)
if [ -z "$NGPORT" ] || [ -z "$HCPORT" ] || [ -z "$BEPORT" ] ||
    [ "$NGPORT" = "$HCPORT" ] || [ "$NGPORT" = "$BEPORT" ] ||
    [ "$HCPORT" = "$BEPORT" ]; then
	bail "no free ports"
fi
start_hopcheckd ""

# The shipped snippet, plain HTTP on loopback, its upstreams here.
sed -e "s|listen 443 ssl;|listen 127.0.0.1:$NGPORT;|" \
    -e '/^[[:space:]]*ssl_/d' \
    -e "s|server 127.0.0.1:9300;|server 127.0.0.1:$HCPORT;|" \
    -e "s|server 127.0.0.1:8080;|server 127.0.0.1:$BEPORT;|" \
    "$SNIPPET" > "$T_TMP/site.conf" || bail "sed the shipped snippet"
# shellcheck disable=SC2016  # nginx variables, literally
check "the shipped snippet copies DPoP-Nonce" grep -qF \
    'add_header DPoP-Nonce $hopcheck_dpop_nonce always;' "$T_TMP/site.conf"
# shellcheck disable=SC2016
check "the shipped snippet forwards X-Hopcheck-Dpop-Jkt" grep -qF \
    'proxy_set_header X-Hopcheck-Dpop-Jkt $hopcheck_dpop_jkt;' \
    "$T_TMP/site.conf"
from_template "$DATA/dpop-oidc-nginx.conf.in" "$T_TMP/ng.tmp"
sed -e "s|@NGPORT@|$NGPORT|g" -e "s|@BEPORT@|$BEPORT|g" "$T_TMP/ng.tmp" \
    > "$T_TMP/nginx.conf" || bail "nginx.conf"
NGINX_ARGS="-p $T_TMP -e stderr -c $T_TMP/nginx.conf"
NGINX_G="daemon off; pid $T_TMP/nginx.pid; error_log stderr;"
# shellcheck disable=SC2086
"$NGINX" $NGINX_ARGS -g "$NGINX_G" -t >"$T_TMP/nginx-t.log" 2>&1 ||
    bail "nginx -t: $(tail -n 3 "$T_TMP/nginx-t.log")"
# shellcheck disable=SC2086
"$NGINX" $NGINX_ARGS -g "$NGINX_G" 2>"$T_TMP/nginx.log" &
NPID=$!
track "$NPID"
BASE=http://127.0.0.1:$NGPORT
wait_http "$BASE/v1/payments/17" 401 ||
    bail "nginx did not start: $(tail -n 3 "$T_TMP/nginx.log")"
ok "nginx with the shipped snippet in front of hopcheckd"

URL=$BASE/v1/payments/17

# get TOKEN PROOF [CURL ARGS...]: GET /v1/payments/17 through nginx with
# Authorization: DPoP TOKEN and DPoP: PROOF.
get() {
	_t=$1
	_p=$2
	shift 2
	req -H "Authorization: DPoP $_t" -H "DPoP: $_p" "$@" "$URL"
}
# challenge: the WWW-Authenticate fields of the last answer, one line.
challenge() {
	tr -d '\r' < "$T_TMP/headers" |
	    sed -n 's/^[Ww][Ww][Ww]-[Aa]uthenticate: *//p' | paste -sd '|' -
}

# ---------------------------------------------------------------- checks

P1=$(client proof "$T_TMP/client.jwk" GET "$URL" "$AT")
[ -n "$P1" ] || bail "dpop_client.mjs proof: $(tail -n 3 "$T_TMP/client.log")"
get "$AT" "$P1"
expect "token and the right proof: 200 from the backend" "$CODE" "200"
expect "the backend receives the thumbprint in X-Hopcheck-Dpop-Jkt" \
    "$(body)" "backend jkt=$JKT client=$CLIENT_ID scope=payments:read payments:write"
expect "no DPoP-Nonce when nonces are off" "$(hdr DPoP-Nonce)" ""

get "$AT" "$P1"
expect "the same proof again: 401" "$CODE" "401"
expect_match "replay: DPoP invalid_dpop_proof reaches the client" \
    "$(challenge)" '^DPoP error="invalid_dpop_proof".*algs="ES256"'

P=$(client proof "$T_TMP/client.jwk" GET "$BASE/v1/payments/18" "$AT")
get "$AT" "$P"
expect "a proof for another URL: 401" "$CODE" "401"
expect_match "another URL: DPoP invalid_dpop_proof" "$(challenge)" \
    '^DPoP error="invalid_dpop_proof"'

P=$(client proof "$T_TMP/client.jwk" GET "https://api.example.com/v1/payments/17" "$AT")
get "$AT" "$P"
expect_match "a proof for another origin: 401 invalid_dpop_proof" \
    "$CODE $(challenge)" '^401 DPoP error="invalid_dpop_proof"'

P=$(client proof "$T_TMP/client.jwk" POST "$URL" "$AT")
get "$AT" "$P"
expect_match "a proof for another method: 401 invalid_dpop_proof" \
    "$CODE $(challenge)" '^401 DPoP error="invalid_dpop_proof"'

P=$(client proof "$T_TMP/other.jwk" GET "$URL" "$AT")
get "$AT" "$P"
expect_match "a proof by another key: 401 DPoP invalid_token" \
    "$CODE $(challenge)" '^401 DPoP error="invalid_token"'

req -H "Authorization: Bearer $AT" "$URL"
expect "the bound token sent as Bearer: 401" "$CODE" "401"
expect_match "as Bearer: 401 binding, invalid_token reaches the client" \
    "$(challenge)" '^Bearer error="invalid_token".*binding'

P=$(client proof "$T_TMP/client.jwk" GET "$URL" "$BEARER")
req -H "Authorization: Bearer $BEARER" "$URL"
expect "the provider's unbound Bearer token (mode required): 401" "$CODE" "401"
get "$BEARER" "$P"
expect "the unbound token sent as DPoP with a proof: 401" "$CODE" "401"

# hopcheckd answers the bare Bearer challenge (man/hopcheckd.8) even with
# dpop.mode required; RFC 9449 section 7.1 would have DPoP algs=...: either
# is accepted here.
req "$URL"
expect "no Authorization: 401" "$CODE" "401"
expect_match "no Authorization: a challenge reaches the client" \
    "$(challenge)" '^(Bearer|DPoP)( |$)'

P=$(client proof "$T_TMP/client.jwk" GET "$URL" "$AT")
get "$AT" "$P"
expect "a fresh proof after all that: 200" "$CODE" "200"

# ---------------------------------------------------------------- nonces

stop_wait "$HPID" 5
expect "hopcheckd stops (restart with nonces)" "$?" "0"
head -c 32 /dev/urandom > "$T_TMP/dpop-nonce.key" && chmod 600 "$T_TMP/dpop-nonce.key"
start_hopcheckd ", \"nonce_secret_file\": \"$T_TMP/dpop-nonce.key\""
P=$(client proof "$T_TMP/client.jwk" GET "$URL" "$AT")
get "$AT" "$P"
expect "nonces on, a proof without one: 401" "$CODE" "401"
expect_match "use_dpop_nonce reaches the client" "$(challenge)" \
    '^DPoP error="use_dpop_nonce"'
NONCE=$(hdr DPoP-Nonce)
check "nginx copies DPoP-Nonce to the client" test -n "$NONCE"
P=$(client proof "$T_TMP/client.jwk" GET "$URL" "$AT" "$NONCE")
expect "the retry's proof carries the nonce" "$(claim "$P" nonce)" "$NONCE"
get "$AT" "$P"
expect "the retry with the nonce: 200" "$CODE" "200"
expect "the retry: the backend receives the thumbprint" \
    "$(body | sed 's/ client=.*//')" "backend jkt=$JKT"

# ------------------------------------------------------------- shutdown

stop_wait "$NPID" 5
expect "nginx stops" "$?" "0"
stop_wait "$HPID" 5
expect "hopcheckd: SIGTERM exit 0" "$?" "0"
stop_wait "$OPID" 5
expect "provider: stops on SIGTERM" "$?" "0"
check "the log names the thumbprint" grep -q "\"dpop_jkt\":\"$JKT\"" \
    "$T_TMP/hopcheckd.log"
leaked=""
for v in "$AT" "$BEARER" "$P1" "$P"; do
	grep -qF -e "${v##*.}" "$T_TMP/hopcheckd.log" "$T_TMP/nginx.log" &&
	    leaked="$leaked $(claim "$v" jti)"
done
expect "no token or proof signature in hopcheckd's or nginx's log" "$leaked" ""

finish
