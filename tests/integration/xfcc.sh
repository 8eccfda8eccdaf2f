#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# xfcc.sh BUILD - hopcheckd as Envoy's ext_authz (HTTP) service.
#
# Envoy passes the client certificate it verified in
# x-forwarded-client-cert (forward_client_cert_details: SANITIZE_SET),
# whose last element describes the connection Envoy terminated.  The test
# plays Envoy with curl, with the committed certificates of
# tests/data/certs and tokens bound to them (made now by jwcrypto):
#   - Hash and URI of the right certificate: 200;
#   - of another certificate: 401 binding; another workload: 401 peer;
#   - several elements: only the last one counts;
#   - the URL-encoded certificate itself (Cert=): 200;
#   - a value that is not XFCC: 400; the nginx header is not read here;
#   - Envoy's own request form, /v1/authz/<original path>.
set -u
BUILD=${1:-build}
. tests/integration/lib/common.sh

HOPCHECKD=$BUILD/hopcheckd
DATA=$(pwd)/tests/integration/data
CERTS=tests/data/certs
[ -x "$HOPCHECKD" ] || bail "$HOPCHECKD is not built"

setup_tmp
mint "$T_TMP" --cert "orders=$CERTS/orders.pem" --cert "billing=$CERTS/billing.pem"
# shellcheck source=/dev/null
. "$T_TMP/tokens.sh"
PORT=$(free_port)
from_template "$DATA/xfcc.conf.in" "$T_TMP/hopcheck.conf"
"$HOPCHECKD" -c "$T_TMP/hopcheck.conf" 2>"$T_TMP/hopcheckd.log" &
DPID=$!
track "$DPID"
wait_http "http://127.0.0.1:$PORT/readyz" 200 || bail "hopcheckd did not start"

sha() {
	openssl x509 -in "$1" -outform DER | sha256sum | cut -d' ' -f1
}
TD=spiffe://example.org/ns/prod/sa
ELEM_ORDERS="By=$TD/api;Hash=$(sha $CERTS/orders.pem);URI=$TD/orders"
ELEM_BILLING="By=$TD/api;Hash=$(sha $CERTS/billing.pem);URI=$TD/billing"

# authz TOKEN XFCC-VALUE [CURL ARGS...]
authz() {
	_t=$1
	_x=$2
	shift 2
	req -H "Authorization: Bearer $_t" -H "X-Original-Method: GET" \
	    -H "X-Original-URI: /orders/17" -H "X-Forwarded-Client-Cert: $_x" \
	    "$@" "http://127.0.0.1:$PORT/v1/authz"
}

authz "$TOK_BOUND_ORDERS" "$ELEM_ORDERS"
expect "right certificate: 200" "$CODE $(hdr X-Hopcheck-Status)" "200 ok"
authz "$TOK_BOUND_ORDERS" "$ELEM_BILLING"
expect "other certificate: 401 binding" "$CODE $(hdr X-Hopcheck-Status)" \
    "401 binding"
authz "$TOK_CLIENT_ORDERS" "$ELEM_BILLING"
expect "other workload: 401 peer" "$CODE $(hdr X-Hopcheck-Status)" "401 peer"
authz "$TOK_BOUND_ORDERS" "$ELEM_BILLING,$ELEM_ORDERS"
expect "the last element counts: 200" "$CODE" "200"
authz "$TOK_BOUND_ORDERS" "$ELEM_ORDERS,$ELEM_BILLING"
expect "an earlier element does not: 401" "$CODE" "401"
cert=$(python3 -c 'import sys, urllib.parse
print(urllib.parse.quote(open(sys.argv[1]).read(), safe=""))' "$CERTS/orders.pem")
authz "$TOK_BOUND_ORDERS" "By=$TD/api;Cert=\"$cert\""
expect "the certificate itself (Cert=): 200" "$CODE" "200"
authz "$TOK_BOUND_ORDERS" "Hash=nothex;URI=$TD/orders"
expect "not an XFCC value: 400" "$CODE" "400"
req -H "Authorization: Bearer $TOK_BOUND_ORDERS" -H "X-Original-Method: GET" \
    -H "X-Original-URI: /orders/17" -H "X-Client-Cert: %zz" \
    "http://127.0.0.1:$PORT/v1/authz"
expect "no peer at all: 401 binding" "$CODE $(hdr X-Hopcheck-Status)" \
    "401 binding"

# Envoy's HTTP ext_authz asks path_prefix + the original path, with the
# original method, and sends no X-Original-* headers.
envoy() {
	req --path-as-is -X "$1" -H "Authorization: Bearer $2" \
	    -H "X-Forwarded-Client-Cert: $ELEM_ORDERS" \
	    "http://127.0.0.1:$PORT/v1/authz$3"
}
envoy GET "$TOK_BOUND_ORDERS" /orders/17
expect "Envoy path_prefix form: 200" "$CODE $(hdr X-Hopcheck-Status)" "200 ok"
envoy GET "$TOK_NOSCOPE_ORDERS" /orders/17
expect "Envoy path_prefix form: the route is the path" \
    "$CODE $(hdr X-Hopcheck-Status)" "403 scope"
envoy GET "$TOK_NOSCOPE_ORDERS" "/orders%2F17"
expect "Envoy path_prefix form: an encoded slash is refused" "$CODE" "400"
envoy GET "$TOK_NOSCOPE_ORDERS" "/other/../orders/17"
expect "Envoy path_prefix form: dot segments refused" "$CODE" "400"

stop_wait "$DPID" 5
expect "SIGTERM: exit 0" "$?" "0"
finish
