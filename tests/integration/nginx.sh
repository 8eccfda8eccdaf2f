#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# nginx.sh BUILD - nginx auth_request in front of hopcheckd, with mTLS.
#
# Makes a CA, a server certificate and two client certificates with the
# openssl command line tool (SPIFFE IDs in URI SANs: .../sa/orders and
# .../sa/billing), mints tokens bound to them (tools/vectors/gen_integration_tokens.py
# live --cert ...), starts hopcheckd and nginx on loopback with random
# free ports, and checks with curl, as each workload:
#   - a token bound to the orders certificate, presented with it: 200 from
#     the static location, with the identity hopcheckd found forwarded
#     through auth_request_set;
#   - nginx -t accepts the shipped conf/nginx-auth-request.conf;
#   - no token: 401 with the bare Bearer challenge; a token without the
#     route's scope: 403 with hopcheckd's insufficient_scope challenge
#     (the error_page of the shipped snippet); an expired one: 401;
#   - the same bound token presented with the billing certificate: 401
#     binding; an unbound token of the orders client presented with the
#     billing certificate: 401 peer;
#   - a certificate header sent by the client itself is replaced by nginx;
#   - no client certificate: nginx refuses before asking hopcheckd.
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

# ------------------------------------------------------------ certificates

# A P-256 key and a certificate signed by the test CA; $3 is the extensions.
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
for w in orders billing; do
	issue "$w" "$w" "basicConstraints=critical,CA:false\n\
keyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n\
subjectAltName=URI:spiffe://example.org/ns/prod/sa/$w\n" ||
	    bail "openssl: $w certificate"
done
ok "openssl made a CA, a server and two workload certificates"

mint "$T_TMP" --cert "orders=$T_TMP/orders.pem" --cert "billing=$T_TMP/billing.pem"
# shellcheck source=/dev/null
. "$T_TMP/tokens.sh"

# ---------------------------------------------------------------- start

mkdir -p "$T_TMP/www/orders" || bail "mkdir"
echo "the orders" > "$T_TMP/www/orders/list.txt"
PORT=$(free_port)
HCPORT=$(free_port)
if [ -z "$PORT" ] || [ -z "$HCPORT" ] || [ "$PORT" = "$HCPORT" ]; then
	bail "no free ports"
fi
from_template "$DATA/nginx-hopcheck.conf.in" "$T_TMP/hopcheck.conf"
from_template "$DATA/nginx.conf.in" "$T_TMP/nginx.conf"

"$HOPCHECKD" -c "$T_TMP/hopcheck.conf" 2>"$T_TMP/hopcheckd.log" &
HPID=$!
track "$HPID"
wait_http "http://127.0.0.1:$HCPORT/readyz" 200 ||
    bail "hopcheckd did not become ready"

# The shipped snippet, inside a minimal http {} with this run's files.
SPORT=$(free_port)
mkdir -p "$T_TMP/shipped" || bail "mkdir"
sed -e "s|/etc/hopcheck/tls/server.pem|$T_TMP/server.pem|" \
    -e "s|/etc/hopcheck/tls/server.key|$T_TMP/server.key|" \
    -e "s|/etc/hopcheck/tls/workload-ca.pem|$T_TMP/ca.pem|" \
    -e "s|listen 443 ssl;|listen 127.0.0.1:$SPORT ssl;|" \
    -e "s|server 127.0.0.1:9300;|server 127.0.0.1:$HCPORT;|" \
    conf/nginx-auth-request.conf > "$T_TMP/shipped/site.conf" ||
    bail "sed the shipped snippet"
printf 'events { worker_connections 16; }\nhttp {\n    client_body_temp_path %s/tmp-body;\n    proxy_temp_path %s/tmp-proxy;\n    fastcgi_temp_path %s/tmp-fastcgi;\n    uwsgi_temp_path %s/tmp-uwsgi;\n    scgi_temp_path %s/tmp-scgi;\n    include %s/shipped/site.conf;\n}\n' \
    "$T_TMP" "$T_TMP" "$T_TMP" "$T_TMP" "$T_TMP" "$T_TMP" \
    > "$T_TMP/shipped/nginx.conf"
if "$NGINX" -p "$T_TMP" -e stderr -c "$T_TMP/shipped/nginx.conf" \
    -g "pid $T_TMP/shipped.pid; error_log stderr;" -t \
    >"$T_TMP/shipped-t.log" 2>&1; then
	ok "nginx -t accepts conf/nginx-auth-request.conf"
else
	not_ok "nginx -t accepts conf/nginx-auth-request.conf" \
	    "$(tail -n 3 "$T_TMP/shipped-t.log")"
fi

NGINX_ARGS="-p $T_TMP -e stderr -c $T_TMP/nginx.conf"
NGINX_G="daemon off; pid $T_TMP/nginx.pid; error_log stderr;"
# shellcheck disable=SC2086
if "$NGINX" $NGINX_ARGS -g "$NGINX_G" -t >"$T_TMP/nginx-t.log" 2>&1; then
	ok "nginx -t accepts the configuration"
else
	bail "nginx -t: $(tail -n 3 "$T_TMP/nginx-t.log")"
fi
# shellcheck disable=SC2086
"$NGINX" $NGINX_ARGS -g "$NGINX_G" 2>"$T_TMP/nginx.log" &
NPID=$!
track "$NPID"

BASE=https://127.0.0.1:$PORT
ORDERS="--cacert $T_TMP/ca.pem --cert $T_TMP/orders.pem --key $T_TMP/orders.key"
BILLING="--cacert $T_TMP/ca.pem --cert $T_TMP/billing.pem --key $T_TMP/billing.key"
# shellcheck disable=SC2086
wait_http "$BASE/orders/list.txt" 401 $ORDERS ||
    bail "nginx did not start: $(tail -n 3 "$T_TMP/nginx.log")"
ok "nginx serves TLS on 127.0.0.1"

# as CERTARGS TOKEN [CURL ARGS...]: GET /orders/list.txt as a workload.
as() {
	_c=$1
	_t=$2
	shift 2
	if [ -n "$_t" ]; then
		# shellcheck disable=SC2086
		req $_c -H "Authorization: Bearer $_t" "$@" "$BASE/orders/list.txt"
	else
		# shellcheck disable=SC2086
		req $_c "$@" "$BASE/orders/list.txt"
	fi
}

# ---------------------------------------------------------------- checks

as "$ORDERS" "$TOK_BOUND_ORDERS"
expect "bound token, right certificate: 200" "$CODE" "200"
expect "bound token, right certificate: the file" "$(body)" "the orders"
expect "identity forwarded: status" "$(hdr X-Hopcheck-Status)" "ok"
expect "identity forwarded: subject" "$(hdr X-Hopcheck-Subject)" "user:alice"
expect "identity forwarded: client" "$(hdr X-Hopcheck-Client)" \
    "spiffe://example.org/ns/prod/sa/orders"

as "$ORDERS" "$TOK_CLIENT_ORDERS"
expect "unbound token of the peer's own client: 200" "$CODE" "200"

as "$ORDERS" ""
expect "no token: 401" "$CODE" "401"
expect "no token: bare challenge passed through" "$(hdr WWW-Authenticate)" \
    "Bearer"

as "$ORDERS" "$TOK_NOSCOPE_ORDERS"
expect "missing scope: 403" "$CODE $(hdr X-Hopcheck-Status)" "403 scope"
expect_match "missing scope: the 403 carries hopcheckd's challenge" \
    "$(hdr WWW-Authenticate)" '^Bearer error="insufficient_scope"'
expect "missing scope: one challenge" \
    "$(grep -ci '^WWW-Authenticate:' "$T_TMP/headers")" "1"

as "$ORDERS" "$TOK_EXPIRED"
expect "expired: 401" "$CODE $(hdr X-Hopcheck-Status)" "401 expired"
expect_match "expired: invalid_token passed through" \
    "$(hdr WWW-Authenticate)" '^Bearer error="invalid_token"'
expect "expired: one challenge" \
    "$(grep -ci '^WWW-Authenticate:' "$T_TMP/headers")" "1"

as "$BILLING" "$TOK_BOUND_ORDERS"
expect "bound token, wrong certificate: 401 binding" \
    "$CODE $(hdr X-Hopcheck-Status)" "401 binding"

as "$BILLING" "$TOK_CLIENT_ORDERS"
expect "another workload's token: 401 peer" "$CODE $(hdr X-Hopcheck-Status)" \
    "401 peer"

as "$BILLING" "$TOK_BOUND_BILLING"
expect "billing with its own bound token: 200" "$CODE" "200"

# The orders certificate in a header the client sends itself: nginx
# replaces it with the certificate of the TLS connection (billing).
forged=$(python3 -c 'import sys, urllib.parse
print(urllib.parse.quote(open(sys.argv[1]).read(), safe=""))' "$T_TMP/orders.pem")
as "$BILLING" "$TOK_BOUND_ORDERS" -H "X-Client-Cert: $forged"
expect "client-sent certificate header ignored: 401 binding" \
    "$CODE $(hdr X-Hopcheck-Status)" "401 binding"

req --cacert "$T_TMP/ca.pem" -H "Authorization: Bearer $TOK_BOUND_ORDERS" \
    "$BASE/orders/list.txt"
expect "no client certificate: nginx refuses" "$CODE" "400"

n=$(grep -c '"event":"decision"' "$T_TMP/hopcheckd.log")
expect "hopcheckd logged each decision (and the readiness probe)" "$n" "10"
leaked=""
for v in $(sed -n "s/^TOK_[A-Z0-9_]*='\(.*\)'$/\1/p" "$T_TMP/tokens.sh"); do
	grep -qF -e "${v##*.}" "$T_TMP/hopcheckd.log" "$T_TMP/nginx.log" \
	    "$T_TMP/access.log" && leaked="$leaked ${v%%.*}"
done
expect "no token signature in any log" "$leaked" ""

stop_wait "$NPID" 5
expect "nginx stops" "$?" "0"
stop_wait "$HPID" 5
expect "hopcheckd stops with exit 0" "$?" "0"

finish
