#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# txn.sh BUILD - a service of a Txn-Token call chain: nginx auth_request in
# front of hopcheckd, mTLS, and the Txn-Token header
# (draft-ietf-oauth-transaction-tokens-10).
#
# Makes a CA, a server certificate and a workload certificate (.../sa/
# orders), mints Txn-Tokens of the trust domain trust-domain.test and a
# foreign one (tools/vectors/gen_integration_tokens.py live), starts
# hopcheckd and nginx on loopback, and checks with curl:
#   - a Txn-Token with the route's scope, from an authenticated caller:
#     200, with X-Hopcheck-Txn, -Txn-Subject, -Txn-Scope and
#     -Requesting-Workload forwarded;
#   - no Txn-Token on a route that needs only one: 403 (not the 401 "no
#     bearer token"), problem body; a missing scope, a foreign aud, a
#     foreign TTS key with the same kid, an expired token: 403; two
#     Txn-Token fields, or two tokens joined by a comma: 403 malformed;
#     a Txn-Token sent as a Bearer token: refused (type);
#   - no client certificate: 401 peer (a Txn-Token authenticates no one);
#   - txn_single_use: the first use 200, the second 403 replay, with the
#     memory store, then with a Redis store (redis-server on loopback),
#     where the txn stays spent across a restart of hopcheckd.
set -u
BUILD=${1:-build}
. tests/integration/lib/common.sh

HOPCHECKD=$BUILD/hopcheckd
DATA=$(pwd)/tests/integration/data
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
[ -x "$HOPCHECKD" ] || bail "$HOPCHECKD is not built"
[ -x "$NGINX" ] || bail "nginx is not installed"
command -v openssl >/dev/null || bail "openssl is not installed"
command -v curl >/dev/null || bail "curl is not installed"

setup_tmp

issue() {
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
	    -nodes -keyout "$T_TMP/$1.key" -subj "/CN=$2" \
	    -out "$T_TMP/$1.csr" 2>/dev/null &&
	printf '%b' "$3" > "$T_TMP/$1.ext" &&
	openssl x509 -req -in "$T_TMP/$1.csr" -CA "$T_TMP/ca.pem" \
	    -CAkey "$T_TMP/ca.key" -CAcreateserial -CAserial "$T_TMP/ca.srl" \
	    -days 2 -extfile "$T_TMP/$1.ext" -out "$T_TMP/$1.pem" 2>/dev/null
}

openssl ecparam -name prime256v1 -genkey -noout -out "$T_TMP/ca.key" ||
    bail "openssl: CA key"
openssl req -x509 -new -key "$T_TMP/ca.key" -subj "/CN=hopcheck test CA" \
    -days 2 -addext "basicConstraints=critical,CA:true" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -out "$T_TMP/ca.pem" 2>/dev/null || bail "openssl: CA"
issue server 127.0.0.1 "basicConstraints=critical,CA:false\n\
keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n\
subjectAltName=IP:127.0.0.1\n" || bail "openssl: server certificate"
issue orders orders "basicConstraints=critical,CA:false\n\
keyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n\
subjectAltName=URI:spiffe://example.org/ns/prod/sa/orders\n" ||
    bail "openssl: orders certificate"
ok "openssl made a CA, a server and a workload certificate"

mint "$T_TMP"
# shellcheck source=/dev/null
. "$T_TMP/tokens.sh"

mkdir -p "$T_TMP/www/orders" "$T_TMP/www/once" || bail "mkdir"
echo "the orders" > "$T_TMP/www/orders/list.txt"
echo "done once" > "$T_TMP/www/once/pay.txt"
PORT=$(free_port)
HCPORT=$(free_port)
RPORT=$(free_port)
if [ -z "$PORT" ] || [ -z "$HCPORT" ] || [ "$PORT" = "$HCPORT" ]; then
	bail "no free ports"
fi
from_template "$DATA/nginx-txn.conf.in" "$T_TMP/nginx.conf"

# start_hopcheckd STORE: hopcheckd with that replay store, until ready.
start_hopcheckd() {
	from_template "$DATA/txn-hopcheck.conf.in" "$T_TMP/hc.tmp"
	sed "s|@STORE@|$1|" "$T_TMP/hc.tmp" > "$T_TMP/hopcheck.conf"
	"$HOPCHECKD" -c "$T_TMP/hopcheck.conf" 2>>"$T_TMP/hopcheckd.log" &
	HPID=$!
	track "$HPID"
	wait_http "http://127.0.0.1:$HCPORT/readyz" 200 ||
	    bail "hopcheckd did not become ready"
}
start_hopcheckd memory

NGINX_ARGS="-p $T_TMP -e stderr -c $T_TMP/nginx.conf"
NGINX_G="daemon off; pid $T_TMP/nginx.pid; error_log stderr;"
# shellcheck disable=SC2086
"$NGINX" $NGINX_ARGS -g "$NGINX_G" 2>"$T_TMP/nginx.log" &
NPID=$!
track "$NPID"
BASE=https://127.0.0.1:$PORT
ORDERS="--cacert $T_TMP/ca.pem --cert $T_TMP/orders.pem --key $T_TMP/orders.key"
ANON="--cacert $T_TMP/ca.pem"
# shellcheck disable=SC2086
wait_http "$BASE/orders/list.txt" 403 $ORDERS ||
    bail "nginx did not start: $(tail -n 3 "$T_TMP/nginx.log")"
ok "nginx serves TLS on 127.0.0.1"

# get CERTARGS PATH [CURL ARGS...]
get() {
	_c=$1
	_p=$2
	shift 2
	# shellcheck disable=SC2086
	req $_c "$@" "$BASE$_p"
}

get "$ORDERS" /orders/list.txt -H "Txn-Token: $TOK_TXN_OK"
expect "Txn-Token, authenticated caller: 200" "$CODE" "200"
expect "Txn-Token: the file" "$(body)" "the orders"
expect "X-Hopcheck-Txn-Subject" "$(hdr X-Hopcheck-Txn-Subject)" "user:alice"
expect "X-Hopcheck-Txn-Scope" "$(hdr X-Hopcheck-Txn-Scope)" "orders:read"
expect "X-Hopcheck-Requesting-Workload" \
    "$(hdr X-Hopcheck-Requesting-Workload)" "gateway.trust-domain.test"
check "X-Hopcheck-Txn present" test -n "$(hdr X-Hopcheck-Txn)"

get "$ORDERS" /orders/list.txt
expect "no Txn-Token on a Txn-Token route: 403 malformed" \
    "$CODE $(hdr X-Hopcheck-Status)" "403 malformed"
check_not "no Txn-Token: no Bearer challenge" grep -qi '^WWW-Authenticate' \
    "$T_TMP/headers"

# refused NAME TOKEN STATUS: a Txn-Token refusal is 403 with that status.
refused() {
	get "$ORDERS" /orders/list.txt -H "Txn-Token: $2"
	expect "$1: 403 $3" "$CODE $(hdr X-Hopcheck-Status)" "403 $3"
}
refused "missing scope" "$TOK_TXN_NOSCOPE" scope
refused "foreign aud" "$TOK_TXN_AUDIENCE" audience
refused "foreign TTS key, same kid" "$TOK_TXN_FOREIGN" signature
refused "expired" "$TOK_TXN_EXPIRED" expired
refused "two tokens in one field" "$TOK_TXN_OK, $TOK_TXN_OK" malformed

get "$ORDERS" /orders/list.txt -H "Txn-Token: $TOK_TXN_OK" \
    -H "Txn-Token: $TOK_TXN_OK"
expect "two Txn-Token fields: 403 malformed" \
    "$CODE $(hdr X-Hopcheck-Status)" "403 malformed"

# hopcheckd answers the problem body to Envoy; nginx keeps its own page.
cert=$(python3 -c 'import sys, urllib.parse
print(urllib.parse.quote(open(sys.argv[1]).read(), safe=""))' "$T_TMP/orders.pem")
req -H "X-Original-Method: GET" -H "X-Original-URI: /orders/list.txt" \
    -H "X-Client-Cert: $cert" -H "Txn-Token: $TOK_TXN_NOSCOPE" \
    "http://127.0.0.1:$HCPORT/v1/authz"
expect "hopcheckd: 403" "$CODE" "403"
expect "hopcheckd: problem+json" "$(hdr Content-Type)" \
    "application/problem+json"
expect_match "hopcheckd: problem title" "$(body)" '"title":"scope"'

get "$ORDERS" /orders/list.txt -H "Authorization: Bearer $TOK_TXN_OK"
expect "a Txn-Token as a Bearer token: refused (type)" \
    "$CODE $(hdr X-Hopcheck-Status)" "401 type"

get "$ANON" /orders/list.txt -H "Txn-Token: $TOK_TXN_OK"
expect "no client certificate: 401 peer" "$CODE $(hdr X-Hopcheck-Status)" \
    "401 peer"

get "$ORDERS" /once/pay.txt -H "Txn-Token: $TOK_TXN_ONCE"
expect "txn_single_use (memory): first use 200" "$CODE" "200"
get "$ORDERS" /once/pay.txt -H "Txn-Token: $TOK_TXN_ONCE"
expect "txn_single_use (memory): second use 403 replay" \
    "$CODE $(hdr X-Hopcheck-Status)" "403 replay"

m=$(curl -s "http://127.0.0.1:$HCPORT/metrics")
check "metrics: txn_token ok counted" sh -c "printf '%s' '$m' | grep -q \
'^hopcheck_credential_decisions_total{kind=\"txn_token\",status=\"ok\"} '"
check "metrics: txn_token replay counted" sh -c "printf '%s' '$m' | grep -q \
'^hopcheck_credential_decisions_total{kind=\"txn_token\",status=\"replay\"} 1'"
check "log carries the txn" grep -q '"txn":"' "$T_TMP/hopcheckd.log"
leaked=""
for v in $(sed -n "s/^TOK_TXN_[A-Z0-9_]*='\(.*\)'$/\1/p" "$T_TMP/tokens.sh"); do
	grep -qF -e "${v##*.}" "$T_TMP/hopcheckd.log" && leaked="$leaked ${v%%.*}"
done
expect "no Txn-Token signature in the log" "$leaked" ""

stop_wait "$HPID" 5
expect "hopcheckd (memory) stops" "$?" "0"

# ----------------------------------------------------- the Redis store
if command -v redis-server >/dev/null && [ -n "$RPORT" ]; then
	redis-server --port "$RPORT" --bind 127.0.0.1 --save '' \
	    --appendonly no >"$T_TMP/redis.log" 2>&1 &
	RPID=$!
	track "$RPID"
	i=0
	while ! redis-cli -p "$RPORT" ping >/dev/null 2>&1 && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	start_hopcheckd "redis://127.0.0.1:$RPORT/0"
	get "$ORDERS" /once/pay.txt -H "Txn-Token: $TOK_TXN_OK"
	expect "txn_single_use (redis): first use 200" "$CODE" "200"
	get "$ORDERS" /once/pay.txt -H "Txn-Token: $TOK_TXN_OK"
	expect "txn_single_use (redis): second use 403 replay" \
	    "$CODE $(hdr X-Hopcheck-Status)" "403 replay"
	stop_wait "$HPID" 5
	start_hopcheckd "redis://127.0.0.1:$RPORT/0"
	get "$ORDERS" /once/pay.txt -H "Txn-Token: $TOK_TXN_OK"
	expect "txn_single_use (redis): still spent after a restart" \
	    "$CODE $(hdr X-Hopcheck-Status)" "403 replay"
	get "$ORDERS" /orders/list.txt -H "Txn-Token: $TOK_TXN_OK"
	expect "the same txn on a route that is not single-use: 200" "$CODE" \
	    "200"
	stop_wait "$HPID" 5
	expect "hopcheckd (redis) stops" "$?" "0"
	stop_wait "$RPID" 5
else
	ok "# SKIP the Redis store: redis-server is not installed"
fi

stop_wait "$NPID" 5
expect "nginx stops" "$?" "0"
finish
