#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# daemon.sh BUILD - hopcheckd on loopback, driven with curl.
#
# Starts BUILD/hopcheckd on 127.0.0.1 (a random free port) and a Unix
# socket, with keys and tokens minted for this run by jwcrypto
# (tools/vectors/gen_integration_tokens.py live) plus the committed fixed-clock
# tokens of tests/integration/data/fixed, and checks:
#   - -t on a good and a bad file; a bad file at start is exit 1;
#   - /healthz, /readyz (200, and 503 while keys cannot be fetched);
#   - daemon.metrics_listen: /healthz, /readyz, /metrics, and 404 for
#     every other path;
#   - /v1/authz: the identity headers of an accepted token, and for each
#     rejection its HTTP code, X-Hopcheck-Status and WWW-Authenticate
#     (RFC 6750 section 3); a missing or malformed Authorization; missing
#     route headers; one-time use;
#   - /v1/validate: verdicts in the JSON body ("now" only with
#     daemon.allow_request_time, else 400), bad JSON, unknown or
#     duplicate members, wrong types, oversize and chunked bodies,
#     ambiguous framing (two Content-Length values, Content-Length with
#     Transfer-Encoding), wrong content type and method;
#   - /metrics: the counters move; every status is listed;
#   - SIGHUP with a good file (a new issuer's token becomes ok, the replay
#     store and the counters survive) and with a bad file (errors logged, old rules kept);
#   - the log is JSON lines and never contains a token; the start event
#     is structured; decisions carry X-Request-Id and the traceparent's
#     trace id;
#   - SIGTERM: exit 0 within 5 seconds, socket file removed.
set -u
BUILD=${1:-build}
. tests/integration/lib/common.sh

HOPCHECKD=$BUILD/hopcheckd
DATA=$(pwd)/tests/integration/data
[ -x "$HOPCHECKD" ] || bail "$HOPCHECKD is not built"
command -v curl >/dev/null || bail "curl is not installed"

setup_tmp
CERTS=tests/data/certs
mint "$T_TMP" --cert "orders=$CERTS/orders.pem" --cert "billing=$CERTS/billing.pem"
# shellcheck source=/dev/null
. "$T_TMP/tokens.sh"
PORT=$(free_port)
[ -n "$PORT" ] || bail "no free port"
MPORT=$(free_port)
[ -n "$MPORT" ] || bail "no free port"
# template IN OUT: from_template, plus a metrics listener (probes and
# counters only) on a port of its own; systemd.sh shares the templates.
template() {
	from_template "$1" "$2" && sed -i 's|^\(    "unix_socket": .*,\)$|\1\
    "metrics_listen": "127.0.0.1:'"$MPORT"'",|' "$2"
}
template "$DATA/daemon.conf.in" "$T_TMP/hopcheck.conf"
MURL=http://127.0.0.1:$MPORT
LOG=$T_TMP/hopcheckd.log
URL=http://127.0.0.1:$PORT
FIXED_NOW=1767225600        # the clock of the committed tokens

# ------------------------------------------------------------------ -t

out=$("$HOPCHECKD" -t -c "$T_TMP/hopcheck.conf" 2>&1)
rc=$?
expect "-t accepts a good file" "$rc $(echo "$out" | head -n 1)" \
    "0 configuration OK"
expect_match "-t warns of allow_request_time" "$out" \
    '^warning: daemon\.allow_request_time: true'
expect_match "-t warns of a default route that does not deny" "$out" \
    '^warning: default_route: .*case-sensitive.*/V1/payments'
expect "-t: nothing but the verdict and warnings" \
    "$(echo "$out" | grep -vc -e '^warning: ' -e '^configuration OK$')" "0"

out=$("$HOPCHECKD" -t -c "$DATA/daemon-bad.conf" 2>&1)
rc=$?
expect "-t rejects a bad file" "$rc" "1"
expect_match "-t names the unknown key and its likely spelling" "$out" \
    'toplevel: unknown key "servce" \(did you mean "service"\?\)'
expect_match "-t names the bad algorithm" "$out" 'issuers\[0\]\.algorithms\[1\]'

"$HOPCHECKD" -c "$DATA/daemon-bad.conf" 2>"$T_TMP/bad-start.log"
rc=$?
expect "a bad file at start exits 1" "$rc" "1"
expect_match "a bad file at start is logged" \
    "$(cat "$T_TMP/bad-start.log")" '"level":"error".*servce'

"$HOPCHECKD" 2>/dev/null
expect "no -c is a usage error" "$?" "2"

# --------------------------------------------------------------- start

"$HOPCHECKD" -f -c "$T_TMP/hopcheck.conf" 2>"$LOG" &
DPID=$!
track "$DPID"
wait_http "$URL/readyz" 200 || bail "hopcheckd did not become ready"
ok "readyz 200 once keys are loaded"
check "log: the configuration warnings at start, level warn" \
    grep -q '"level":"warn","event":"start".*allow_request_time' "$LOG"

req "$URL/healthz"
expect "healthz 200 ok" "$CODE $(body)" "200 ok"
req --unix-socket "$T_TMP/hopcheckd.sock" "http://localhost/healthz"
expect "healthz over the Unix socket" "$CODE" "200"
req "$URL/nowhere"
expect "unknown path 404" "$CODE" "404"

# The metrics listener: probes and counters, nothing else.
for p in healthz readyz metrics; do
	req "$MURL/$p"
	expect "metrics listener: /$p 200" "$CODE" "200"
done
for p in v1/authz v1/authz/orders/1 v1/validate nowhere; do
	req -H "Authorization: Bearer x" "$MURL/$p"
	expect "metrics listener: /$p 404" "$CODE" "404"
done

# ------------------------------------------------------------ /v1/authz

# authz TOKEN METHOD URI [CURL ARGS...]
authz() {
	_t=$1
	_m=$2
	_u=$3
	shift 3
	req -H "Authorization: Bearer $_t" -H "X-Original-Method: $_m" \
	    -H "X-Original-URI: $_u" -H "X-Tenant: acme" "$@" "$URL/v1/authz"
}

authz "$TOK_OK" GET "/orders/17?expand=1"
expect "authz ok: 200" "$CODE" "200"
expect "authz ok: status" "$(hdr X-Hopcheck-Status)" "ok"
expect "authz ok: subject" "$(hdr X-Hopcheck-Subject)" "user:alice"
expect "authz ok: client" "$(hdr X-Hopcheck-Client)" "web"
expect "authz ok: scope" "$(hdr X-Hopcheck-Scope)" \
    "orders:read orders:write payments:write"
expect "authz ok: no challenge" "$(hdr WWW-Authenticate)" ""
expect "authz ok: not delegated" "$(hdr X-Hopcheck-Chain)" ""
authz "$TOK_OK" GET /orders/17 -H "X-Request-Id: req-7f3a" \
    -H "traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
check "log: the decision carries X-Request-Id and the trace id" \
    wait_grep "$LOG" '"request_id":"req-7f3a","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736"'
authz "$TOK_OK" GET /orders/17 \
    -H "traceparent: 00-00000000000000000000000000000000-00f067aa0ba902b7-01"
check_not "log: an all-zero trace id is not one" grep -q \
    '"trace_id":"00000000000000000000000000000000"' "$LOG"

authz "$TOK_DELEGATED" GET /orders/17
expect "delegated: 200" "$CODE" "200"
expect "delegated: current actor" "$(hdr X-Hopcheck-Actor)" \
    "spiffe://example.org/ns/prod/sa/orders"
expect "delegated: chain, current first" "$(hdr X-Hopcheck-Chain)" \
    "spiffe://example.org/ns/prod/sa/orders,spiffe://example.org/ns/prod/sa/gateway"

# reject NAME TOKEN CODE STATUS ERROR: one rejected token on GET /orders/17.
reject() {
	authz "$2" GET /orders/17
	expect "$1: HTTP $3" "$CODE" "$3"
	expect "$1: X-Hopcheck-Status" "$(hdr X-Hopcheck-Status)" "$4"
	expect_match "$1: WWW-Authenticate" "$(hdr WWW-Authenticate)" \
	    "^Bearer error=\"$5\", error_description=\"token rejected: $4\"\$"
}
reject "expired" "$TOK_EXPIRED" 401 expired invalid_token
reject "bad signature" "$TOK_SIGNATURE" 401 signature invalid_token
reject "wrong audience" "$TOK_AUDIENCE" 401 audience invalid_token
reject "unknown issuer" "$TOK_ISSUER" 401 issuer invalid_token
reject "missing scope" "$TOK_SCOPE" 403 scope insufficient_scope
reject "other tenant" "$TOK_TENANT" 403 tenant insufficient_scope
reject "not a JWS" "abc.def" 401 malformed invalid_token

missing=$(curl -s "$URL/metrics" | awk '$1 == "hopcheck_missing_credentials_total{kind=\"access_token\"}" { print $2 }')
req -H "X-Original-Method: GET" -H "X-Original-URI: /orders/17" "$URL/v1/authz"
expect "no Authorization: 401" "$CODE" "401"
expect "no Authorization: counted as a missing credential" \
    "$(curl -s "$URL/metrics" | awk '$1 == "hopcheck_missing_credentials_total{kind=\"access_token\"}" { print $2 }')" \
    "$((missing + 1))"
expect "no Authorization: bare challenge" "$(hdr WWW-Authenticate)" "Bearer"
expect "no Authorization: status" "$(hdr X-Hopcheck-Status)" "malformed"

req -H "Authorization: Basic dXNlcjpwYXNz" -H "X-Original-Method: GET" \
    -H "X-Original-URI: /orders/17" "$URL/v1/authz"
expect "Basic scheme: 401 bare challenge" "$CODE $(hdr WWW-Authenticate)" \
    "401 Bearer"

req -H "Authorization: bearer $TOK_OK" -H "X-Original-Method: GET" \
    -H "X-Tenant: acme" -H "X-Original-URI: /orders/17" "$URL/v1/authz"
expect "scheme is case-insensitive" "$CODE" "200"

req -H "Authorization: Bearer $TOK_OK" -H "Authorization: Bearer $TOK_OK" \
    -H "X-Original-Method: GET" -H "X-Original-URI: /orders/17" \
    "$URL/v1/authz"
expect "two Authorization headers (maybe Bearer and DPoP): 400" "$CODE" "400"
expect_match "two Authorization headers: invalid_request" \
    "$(hdr WWW-Authenticate)" '^Bearer error="invalid_request"'

req -H "Authorization: Bearer  $TOK_OK" -H "X-Original-Method: GET" \
    -H "X-Original-URI: /orders/17" "$URL/v1/authz"
expect_match "two spaces after Bearer: invalid_request" \
    "$CODE $(hdr WWW-Authenticate)" '^401 Bearer error="invalid_request"'

req -H "Authorization: Bearer $TOK_OK" "$URL/v1/authz"
expect "no X-Original-URI: 400" "$CODE" "400"
authz "$TOK_OK" GET "/orders/../admin"
expect "dot segments in the route: 400" "$CODE" "400"

# The peer certificate as nginx passes it ($ssl_client_escaped_cert).
escaped() {
	python3 -c 'import sys, urllib.parse
print(urllib.parse.quote(open(sys.argv[1]).read(), safe=""))' "$1"
}
authz "$TOK_BOUND_ORDERS" GET /orders/17 \
    -H "X-Client-Cert: $(escaped $CERTS/orders.pem)"
expect "cert header, bound token, right certificate: 200" "$CODE" "200"
expect "cert header: client is the workload" "$(hdr X-Hopcheck-Client)" \
    "spiffe://example.org/ns/prod/sa/orders"
authz "$TOK_BOUND_ORDERS" GET /orders/17 \
    -H "X-Client-Cert: $(escaped $CERTS/billing.pem)"
expect "cert header, wrong certificate: 401 binding" \
    "$CODE $(hdr X-Hopcheck-Status)" "401 binding"
authz "$TOK_CLIENT_ORDERS" GET /orders/17 \
    -H "X-Client-Cert: $(escaped $CERTS/billing.pem)"
expect "cert header, another workload: 401 peer" \
    "$CODE $(hdr X-Hopcheck-Status)" "401 peer"
authz "$TOK_BOUND_ORDERS" GET /orders/17 -H "X-Client-Cert: %zz"
expect "cert header not a certificate: 400" "$CODE" "400"
authz "$TOK_BOUND_ORDERS" GET /orders/17 \
    -H "X-Forwarded-Client-Cert: Hash=00;URI=spiffe://example.org/ns/prod/sa/orders"
expect "XFCC not trusted unless configured: 401 binding" \
    "$CODE $(hdr X-Hopcheck-Status)" "401 binding"

authz "$TOK_PAY" POST /payments
expect "one-time use: first 200" "$CODE" "200"
authz "$TOK_PAY" POST /payments
expect "one-time use: second 401" "$CODE" "401"
expect "one-time use: replay" "$(hdr X-Hopcheck-Status)" "replay"
authz "$TOK_NOJTI" POST /payments
expect "one-time use without jti: claim" "$CODE $(hdr X-Hopcheck-Status)" \
    "401 claim"

# ---------------------------------------------------------- /v1/validate

fixed() {
	tr -d '\n' < "$DATA/fixed/$1.jwt"
}

# validate JSON [CURL ARGS...]
validate() {
	_j=$1
	shift
	req -H "Content-Type: application/json" --data-binary "$_j" "$@" \
	    "$URL/v1/validate"
}

validate "{\"token\":\"$(fixed ok)\",\"route\":\"GET /orders/1\",\"tenant\":\"acme\",\"now\":$FIXED_NOW}"
expect "validate ok: 200" "$CODE" "200"
expect_match "validate ok: result JSON" "$(body)" \
    '^\{"status":"ok","detail":"accepted","issuer":"https://fixed.test","subject":"user:alice"'

validate "{\"token\":\"$(fixed expired)\",\"method\":\"GET\",\"path\":\"/orders/1\",\"tenant\":\"acme\",\"now\":$FIXED_NOW}"
expect_match "validate expired: 200 with the verdict" "$CODE $(body)" \
    '^200 \{"status":"expired"'

validate "{\"token\":\"$(fixed delegated)\",\"route\":\"GET /orders/1\",\"tenant\":\"acme\",\"now\":$FIXED_NOW}"
expect_match "validate delegated: actors" "$(body)" \
    '"actors":\["spiffe://example.org/ns/prod/sa/orders","spiffe://example.org/ns/prod/sa/gateway"\]'

validate "{\"token\":\"$(fixed signature)\",\"now\":$FIXED_NOW}"
expect_match "validate bad signature" "$(body)" '^\{"status":"signature"'

validate "{\"token\":\"$(fixed audience)\",\"now\":$FIXED_NOW}"
expect_match "validate wrong audience" "$(body)" '^\{"status":"audience"'

validate '{"token": "a.b.c",'
expect_match "bad JSON: 400" "$CODE $(body)" '^400 \{"error":"invalid_request"'
validate '{"token": "a.b.c", "color": "red"}'
expect_match "unknown member: 400" "$CODE $(body)" '^400 .*color'
validate '{"token": "a.b.c", "token": "d.e.f"}'
expect_match "duplicate member: 400" "$CODE $(body)" '^400 .*duplicate'
validate '{"token": "a.b.c", "now": "today"}'
expect "now as a string: 400" "$CODE" "400"
validate '{"token": "a.b.c", "now": 1.5}'
expect "fractional now: 400" "$CODE" "400"
validate '["a.b.c"]'
expect "not an object: 400" "$CODE" "400"
validate '{"route": "GET /x"}'
expect_match "no token: no access token (200, malformed, access_token)" \
    "$CODE $(body)" '^200 \{"status":"malformed".*"credential":"access_token"'
validate '{"route": "GET /x", "txn_token": "a.b.c"}'
expect_match "txn_token without txn_tokens: malformed, never ignored" \
    "$CODE $(body)" '^200 \{"status":"malformed".*"credential":"txn_token"'

validate '{"token": "a.b.c", "route": "GET /x", "method": "GET", "path": "/x"}'
expect "route and method: 400" "$CODE" "400"

python3 -c 'print("{\"token\": \"" + "a" * 80000 + "\"}")' > "$T_TMP/big.json"
req -H "Content-Type: application/json" --data-binary "@$T_TMP/big.json" \
    "$URL/v1/validate"
expect "oversize body: 413" "$CODE" "413"
req -H "Content-Type: application/json" -H "Transfer-Encoding: chunked" \
    --data-binary '{"token":"a.b.c"}' "$URL/v1/validate"
expect "chunked body: 411" "$CODE" "411"

# Ambiguous framing (RFC 9112 section 6.3): refused with one 400 before the
# body is read, and the connection closed, so that no proxy in front and
# this server can disagree on where a request ends.
raw() {
	printf "$1" | python3 tests/integration/lib/rawhttp.py "$PORT" | tr '\n' ' '
}
body='{"token":"x"}'
out=$(raw "POST /v1/validate HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: 13\r\nContent-Length: 5\r\n\r\n$body")
expect "two Content-Length values: one 400, connection closed" "$out" "400 closed "
out=$(raw "POST /v1/validate HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: 13\r\nTransfer-Encoding: chunked\r\n\r\nd\r\n$body\r\n0\r\n\r\n")
expect "Content-Length with Transfer-Encoding: one 400, connection closed" "$out" "400 closed "
out=$(raw "POST /v1/validate HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: 13\r\nContent-Length: 13\r\nConnection: close\r\n\r\n$body")
expect "the same Content-Length twice is one length (RFC 9112 6.3)" "$out" "200 closed "
out=$(raw "POST /v1/validate HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nd\r\n$body\r\n0\r\n\r\n")
expect "chunked alone: one 411, connection closed" "$out" "411 closed "
req -H "Content-Type: text/plain" --data-binary '{"token":"a.b.c"}' \
    "$URL/v1/validate"
expect "text/plain body: 415" "$CODE" "415"
req "$URL/v1/validate"
expect "GET /v1/validate: 405" "$CODE $(hdr Allow)" "405 POST"

# --------------------------------------------------------------- metrics

metric() {
	curl -s --max-time 5 "$URL/metrics" | awk -v m="$1" '$1 == m { print $2 }'
}

req "$URL/metrics"
expect "metrics: 200" "$CODE" "200"
expect "metrics: text format 0.0.4" "$(hdr Content-Type)" \
    "text/plain; version=0.0.4; charset=utf-8"
n=$(grep -c '^hopcheck_decisions_total{status="' "$T_TMP/body")
expect "metrics: every status listed" "$n" "25"
expect_match "metrics: build info names the version and the backend" \
    "$(grep '^hopcheck_build_info' "$T_TMP/body")" \
    '^hopcheck_build_info\{version="[0-9]+\.[0-9]+\.[0-9]+",crypto="(mbedtls|openssl) [0-9.]+"\} 1$'
expect_match "hopcheckd -V: version and backend" "$("$HOPCHECKD" -V | tr '\n' ' ')" \
    '^hopcheckd [0-9.]+ crypto: (mbedtls|openssl) [0-9.]+ $'

for fam in hopcheck_decisions_total hopcheck_validation_seconds \
    hopcheck_key_refresh_total hopcheck_keys_loaded hopcheck_key_age_seconds \
    hopcheck_replay_entries hopcheck_config_reloads_total \
    hopcheck_cache_lookups_total hopcheck_cache_entries; do
	check "metrics: $fam" grep -q "^# TYPE $fam " "$T_TMP/body"
done
expect "metrics: keys loaded" \
    "$(metric 'hopcheck_keys_loaded{source="https://live.test"}')" "1"
expect "metrics: one jti remembered" \
    "$(metric 'hopcheck_replay_entries{store="memory"}')" "1"
before=$(metric 'hopcheck_decisions_total{status="ok"}')
hbefore=$(metric 'hopcheck_validation_seconds_count')
authz "$TOK_OK" GET /orders/17
after=$(metric 'hopcheck_decisions_total{status="ok"}')
hafter=$(metric 'hopcheck_validation_seconds_count')
expect "metrics: ok counter moves" "$after" "$((before + 1))"
expect "metrics: histogram count moves" "$hafter" "$((hbefore + 1))"
expect "metrics: +Inf equals count" \
    "$(metric 'hopcheck_validation_seconds_bucket{le="+Inf"}')" "$hafter"
hits=$(metric 'hopcheck_cache_lookups_total{result="hit"}')
authz "$TOK_OK" GET /orders/17
expect "metrics: the same token again is a cache hit" \
    "$(metric 'hopcheck_cache_lookups_total{result="hit"}')" "$((hits + 1))"
expect "metrics: replays counted" \
    "$(metric 'hopcheck_decisions_total{status="replay"}')" "1"

# ---------------------------------------------------------------- SIGHUP

authz "$TOK_LIVE2" GET /orders/17
expect "before reload: new issuer unknown" "$CODE $(hdr X-Hopcheck-Status)" \
    "401 issuer"
hits=$(metric 'hopcheck_cache_lookups_total{result="hit"}')
misses=$(metric 'hopcheck_cache_lookups_total{result="miss"}')
template "$DATA/daemon-reload.conf.in" "$T_TMP/hopcheck.conf"
kill -HUP "$DPID"
check "SIGHUP: reload logged" wait_grep "$LOG" '"msg":"configuration reloaded"'
expect "metrics: cache counters survive the reload" \
    "$(metric 'hopcheck_cache_lookups_total{result="hit"}') $(metric 'hopcheck_cache_lookups_total{result="miss"}')" \
    "$hits $misses"
authz "$TOK_LIVE2" GET /orders/17
expect "after reload: new issuer ok" "$CODE $(hdr X-Hopcheck-Status)" \
    "200 ok"
authz "$TOK_PAY" POST /payments
expect "after reload: jti still remembered" "$(hdr X-Hopcheck-Status)" \
    "replay"
expect "metrics: reload ok counted" \
    "$(metric 'hopcheck_config_reloads_total{result="ok"}')" "1"

cp "$DATA/daemon-bad.conf" "$T_TMP/hopcheck.conf"
kill -HUP "$DPID"
check "SIGHUP bad file: rejection logged" \
    wait_grep "$LOG" 'configuration rejected; the running one stays'
expect_match "SIGHUP bad file: each error logged" "$(cat "$LOG")" \
    '"error":"issuers\[0\]\.algorithms\[1\]'
authz "$TOK_LIVE2" GET /orders/17
expect "SIGHUP bad file: old configuration kept" "$CODE" "200"
expect "metrics: reload failure counted" \
    "$(metric 'hopcheck_config_reloads_total{result="failed"}')" "1"

# ---------------------------------------------------------------- SIGTERM

t0=$(date +%s)
stop_wait "$DPID" 5
rc=$?
t1=$(date +%s)
expect "SIGTERM: exit 0" "$rc" "0"
check "SIGTERM: prompt" [ $((t1 - t0)) -le 5 ]
check_not "SIGTERM: socket removed" [ -e "$T_TMP/hopcheckd.sock" ]
expect_match "SIGTERM: stop logged" "$(tail -n 1 "$LOG")" '"msg":"stopped"'

# ------------------------------------------------------------------- log

check "log: every line is JSON" python3 -c 'import json, sys
n = 0
for line in open(sys.argv[1]):
    json.loads(line)
    n += 1
sys.exit(0 if n > 10 else 1)' "$LOG"
expect_match "log: the start event is structured" "$(grep '"event":"start","msg":"serving"' "$LOG" | head -n 1)" \
    '"msg":"serving","version":"[0-9.]+","crypto":"(mbedtls|openssl) [0-9.]+","config":"[^"]+","listen":"127\.0\.0\.1:[0-9]+","unix_socket":"[^"]+","metrics_listen":"127\.0\.0\.1:[0-9]+","threads":"[0-9]+","keys":"ready"'
n=$(grep -c '"event":"decision","endpoint":"/v1/authz"' "$LOG")
check "log: a line per authz decision ($n)" [ "$n" -ge 20 ]
leaked=""
for v in $(sed -n "s/^TOK_[A-Z0-9_]*='\(.*\)'$/\1/p" "$T_TMP/tokens.sh") \
    $(cat "$DATA"/fixed/*.jwt); do
	sig=${v##*.}
	body_seg=$(echo "$v" | cut -d. -f2)
	if grep -qF -e "$sig" -e "$body_seg" "$LOG"; then
		leaked="$leaked ${v%%.*}"
	fi
done
expect "log: no token, payload or signature bytes" "$leaked" ""
expect_match "log: decisions carry the route without query" "$(cat "$LOG")" \
    '"route":"GET /orders/17","http":200'
check_not "log: query strings dropped" grep -q 'expand=1' "$LOG"

# --------------------------------------------- keys not loaded: fail closed

DEADPORT=$(free_port)
PORT=$(free_port)
URL=http://127.0.0.1:$PORT
from_template "$DATA/daemon-remote.conf.in" "$T_TMP/remote.conf"
"$HOPCHECKD" -c "$T_TMP/remote.conf" 2>"$T_TMP/remote.log" &
RPID=$!
track "$RPID"
wait_http "$URL/healthz" 200 || bail "the second hopcheckd did not start"
req "$URL/readyz"
expect "readyz 503 without keys" "$CODE" "503"
authz "$TOK_REMOTE" GET /orders/17
expect "no keys: 503 unavailable" "$CODE $(hdr X-Hopcheck-Status)" \
    "503 unavailable"
validate "{\"token\":\"$(fixed ok)\",\"now\":$FIXED_NOW}"
expect "now without allow_request_time: 400 problem" \
    "$CODE $(hdr Content-Type)" "400 application/problem+json"
expect_match "now refused: the problem names the member" "$(body)" \
    '"title":"now","status":400,"detail":"request body: the member \\"now\\" is refused'
expect "metrics: not ready" "$(metric hopcheck_ready)" "0"
stop_wait "$RPID" 5
expect "second daemon: exit 0" "$?" "0"

finish
