#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# tls.sh BUILD - hopcheckd in network mode (daemon.tls): HTTPS with
# client certificates that hopcheckd verifies itself.
#
# Makes, with the openssl command line tool, a CA, a server certificate
# and client certificates: the allowed proxy (URI SAN
# spiffe://example.org/ns/edge/sa/proxy), an allowed DNS name
# (proxy.internal), a workload that is not allowed, one from another CA,
# and (with the Python cryptography package) an expired one.  Starts
# hopcheckd with tls on 127.0.0.1 and checks, with curl:
#   - -t loads the tls files, and names a missing one;
#   - no client certificate: the handshake completes (libmicrohttpd asks
#     for a certificate without requiring one) and the answer is 403 with
#     a problem body, logged at warn with the reason;
#   - another CA's certificate and an expired one: 403, "not valid";
#   - the allowed URI SAN: /v1/authz answers 200 for a good token and 401
#     for an expired one; the allowed DNS SAN: 200;
#   - a verified certificate whose SAN is not allowed: 403, and the log
#     names its SAN;
#   - the metrics listener stays plain HTTP; the refusals are counted;
#   - a new server certificate (a new serial) and SIGHUP: served from the
#     next handshake on, and requests still work; a broken certificate
#     file and SIGHUP: the whole reload is refused, the previous
#     certificate is still served, and the log says why;
#   - nginx as the TLS client (proxy_ssl_certificate, proxy_ssl_verify)
#     in an auth_request setup: a good token through nginx is 200, a bad
#     one 401.
set -u
BUILD=${1:-build}
. tests/integration/lib/common.sh

HOPCHECKD=$BUILD/hopcheckd
DATA=$(pwd)/tests/integration/data
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
[ -x "$HOPCHECKD" ] || bail "$HOPCHECKD is not built"
command -v openssl >/dev/null || bail "openssl is not installed"
command -v curl >/dev/null || bail "curl is not installed"

setup_tmp

# ------------------------------------------------------------ certificates

# ca NAME: a P-256 CA.
ca() {
	openssl ecparam -name prime256v1 -genkey -noout -out "$T_TMP/$1.key" &&
	openssl req -x509 -new -key "$T_TMP/$1.key" -subj "/CN=tls.sh $1" \
	    -days 2 -addext "basicConstraints=critical,CA:true" \
	    -addext "keyUsage=critical,keyCertSign,cRLSign" \
	    -out "$T_TMP/$1.pem" 2>/dev/null
}

# issue CA NAME EXTENSIONS: a P-256 key and a certificate signed by CA.
issue() {
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
	    -nodes -keyout "$T_TMP/$2.key" -subj "/CN=$2" \
	    -out "$T_TMP/$2.csr" 2>/dev/null &&
	printf '%b' "$3" > "$T_TMP/$2.ext" &&
	openssl x509 -req -in "$T_TMP/$2.csr" -CA "$T_TMP/$1.pem" \
	    -CAkey "$T_TMP/$1.key" -CAcreateserial -CAserial "$T_TMP/$1.srl" \
	    -days 2 -extfile "$T_TMP/$2.ext" -out "$T_TMP/$2.pem" 2>/dev/null
}

CLIENT="basicConstraints=critical,CA:false\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n"
SERVER="basicConstraints=critical,CA:false\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:hopcheckd.test\n"
ca ca && ca otherca || bail "openssl: CAs"
issue ca server "$SERVER" || bail "openssl: server certificate"
issue ca proxy "${CLIENT}subjectAltName=URI:spiffe://example.org/ns/edge/sa/proxy\n" &&
issue ca dnsproxy "${CLIENT}subjectAltName=DNS:proxy.internal\n" &&
issue ca intruder "${CLIENT}subjectAltName=URI:spiffe://example.org/ns/edge/sa/intruder\n" &&
issue otherca foreign "${CLIENT}subjectAltName=URI:spiffe://example.org/ns/edge/sa/proxy\n" ||
    bail "openssl: client certificates"
ok "openssl made two CAs, a server and four client certificates"

# An expired client certificate of the right CA and SAN: openssl x509
# -req cannot backdate, the cryptography package can.
EXPIRED=no
if "$PY_JOSE" - "$T_TMP" <<'PY' 2>/dev/null
import datetime, sys
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
d = sys.argv[1]
ca_key = serialization.load_pem_private_key(open(d + "/ca.key", "rb").read(), None)
ca = x509.load_pem_x509_certificate(open(d + "/ca.pem", "rb").read())
key = ec.generate_private_key(ec.SECP256R1())
now = datetime.datetime.now(datetime.timezone.utc)
c = (x509.CertificateBuilder()
     .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "expired")]))
     .issuer_name(ca.subject).public_key(key.public_key())
     .serial_number(x509.random_serial_number())
     .not_valid_before(now - datetime.timedelta(days=3))
     .not_valid_after(now - datetime.timedelta(days=1))
     .add_extension(x509.BasicConstraints(ca=False, path_length=None), True)
     .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), False)
     .add_extension(x509.SubjectAlternativeName(
         [x509.UniformResourceIdentifier("spiffe://example.org/ns/edge/sa/proxy")]), False)
     .sign(ca_key, hashes.SHA256()))
open(d + "/expired.pem", "wb").write(c.public_bytes(serialization.Encoding.PEM))
open(d + "/expired.key", "wb").write(key.private_bytes(
    serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
    serialization.NoEncryption()))
PY
then
	EXPIRED=yes
fi

mint "$T_TMP"
# shellcheck source=/dev/null
. "$T_TMP/tokens.sh"

# ------------------------------------------------------------------ -t

PORT=$(free_port)
HCPORT=$(free_port)
if [ -z "$PORT" ] || [ -z "$HCPORT" ] || [ "$PORT" = "$HCPORT" ]; then
	bail "no free ports"
fi
from_template "$DATA/tls.conf.in" "$T_TMP/hopcheck.conf"
out=$("$HOPCHECKD" -t -c "$T_TMP/hopcheck.conf" 2>&1)
expect "-t loads the tls files" "$? $out" "0 configuration OK"
sed "s|@TMP@/server.key|@TMP@/missing.key|" "$DATA/tls.conf.in" \
    > "$T_TMP/missing.conf.in"
from_template "$T_TMP/missing.conf.in" "$T_TMP/missing.conf"
out=$("$HOPCHECKD" -t -c "$T_TMP/missing.conf" 2>&1)
expect_match "-t names a tls file that cannot be read" "$? $out" \
    '^1 daemon\.tls: daemon\.tls\.key_file: .*missing\.key: No such file'
cp "$T_TMP/proxy.key" "$T_TMP/wrong.key"
sed "s|@TMP@/server.key|@TMP@/wrong.key|" "$DATA/tls.conf.in" \
    > "$T_TMP/wrong.conf.in"
from_template "$T_TMP/wrong.conf.in" "$T_TMP/wrong.conf"
out=$("$HOPCHECKD" -t -c "$T_TMP/wrong.conf" 2>&1)
expect_match "-t: a key that is not the certificate's" "$? $out" \
    '^1 daemon\.tls: .*wrong\.key: not the key of the first certificate'

# --------------------------------------------------------------- start

LOG=$T_TMP/hopcheckd.log
"$HOPCHECKD" -c "$T_TMP/hopcheck.conf" 2>"$LOG" &
HPID=$!
track "$HPID"
MURL=http://127.0.0.1:$HCPORT
URL=https://127.0.0.1:$PORT
wait_http "$MURL/readyz" 200 || bail "hopcheckd did not become ready: $(tail -n 3 "$LOG")"
ok "the metrics listener answers plain HTTP"
check "log: the server certificate in use" \
    grep -q '"event":"start".*TLS credentials: serial' "$LOG"

# as NAME TOKEN: GET /v1/authz for /orders/1 with client certificate NAME
# ("" for none).
as() {
	_c=""
	[ -n "$1" ] && _c="--cert $T_TMP/$1.pem --key $T_TMP/$1.key"
	# shellcheck disable=SC2086
	req --cacert "$T_TMP/ca.pem" $_c -H "Authorization: Bearer $2" \
	    -H "X-Original-Method: GET" -H "X-Original-URI: /orders/1" \
	    "$URL/v1/authz"
}

refused() {
	as "$2" "$TOK_OK"
	expect "$1: 403" "$CODE" "403"
	expect "$1: a problem body" "$(hdr Content-Type)" \
	    "application/problem+json"
	expect_match "$1: the reason" "$(body)" \
	    "^\\{\"type\":\"about:blank\",\"title\":\"client_certificate\",\"status\":403,\"detail\":\"$3\"\\}\$"
}

refused "no client certificate" "" "no client certificate"
check "log: no client certificate, level warn" grep -q \
    '"level":"warn","event":"tls","msg":"client refused","reason":"no client certificate"' "$LOG"
refused "another CA's certificate" foreign "the client certificate is not valid"
check "log: another CA's certificate, with its SAN" grep -q \
    '"reason":"the client certificate is not valid","detail":"The certificate is NOT trusted. The certificate issuer is unknown.*URI:spiffe://example.org/ns/edge/sa/proxy' "$LOG"
if [ "$EXPIRED" = yes ]; then
	refused "an expired certificate" expired "the client certificate is not valid"
	check "log: expired" grep -q '"detail":"The certificate is NOT trusted. The certificate chain uses expired certificate' "$LOG"
else
	echo "# skipped: the expired certificate (no python3 cryptography)"
fi
refused "a SAN that is not allowed" intruder \
    "the client is not in daemon.tls.allowed_clients"
check "log: the SAN that is not allowed" grep -q \
    '"reason":"the client is not in daemon.tls.allowed_clients","client_sans":"URI:spiffe://example.org/ns/edge/sa/intruder"' "$LOG"

as proxy "$TOK_OK"
expect "allowed URI SAN, good token: 200" "$CODE $(hdr X-Hopcheck-Status)" "200 ok"
as proxy "$TOK_EXPIRED"
expect "allowed URI SAN, expired token: 401" "$CODE $(hdr X-Hopcheck-Status)" "401 expired"
as dnsproxy "$TOK_OK"
expect "allowed DNS SAN, good token: 200" "$CODE" "200"
req --cacert "$T_TMP/ca.pem" --cert "$T_TMP/proxy.pem" \
    --key "$T_TMP/proxy.key" --tlsv1.2 --tls-max 1.2 \
    -H "Authorization: Bearer $TOK_OK" -H "X-Original-Method: GET" \
    -H "X-Original-URI: /orders/1" "$URL/v1/authz"
expect "TLS 1.2 works too" "$CODE" "200"
out=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$PORT/healthz")
check_not "plain HTTP on the TLS listener gets no answer" [ "$out" = 200 ]

metric() {
	curl -s --max-time 5 "$MURL/metrics" | awk -v n="$1" '$1 == n { print $2 }'
}
want=3
[ "$EXPIRED" = yes ] && want=4
expect "the refusals are counted" "$(metric hopcheck_tls_clients_refused_total)" "$want"

# -------------------------------------------------------------- rotation

serial_served() {
	openssl s_client -connect "127.0.0.1:$PORT" -CAfile "$T_TMP/ca.pem" \
	    -cert "$T_TMP/proxy.pem" -key "$T_TMP/proxy.key" </dev/null 2>/dev/null |
	    openssl x509 -noout -serial 2>/dev/null | sed 's/^serial=//'
}
serial_of() {
	openssl x509 -noout -serial -in "$1" | sed 's/^serial=//'
}

old=$(serial_of "$T_TMP/server.pem")
expect "the server certificate is served" "$(serial_served)" "$old"
issue ca server2 "$SERVER" || bail "openssl: the new server certificate"
new=$(serial_of "$T_TMP/server2.pem")
check_not "the new certificate has a new serial" [ "$old" = "$new" ]
cp "$T_TMP/server2.pem" "$T_TMP/server.pem" &&
    cp "$T_TMP/server2.key" "$T_TMP/server.key" || bail "cp"
kill -HUP "$HPID"
check "SIGHUP: reloaded" wait_grep "$LOG" '"msg":"configuration reloaded"'
check "log: the new certificate's serial" grep -q \
    "\"event\":\"reload\".*TLS credentials: serial $(echo "$new" | tr 'A-F' 'a-f')" "$LOG"
expect "after SIGHUP the new certificate is served" "$(serial_served)" "$new"
as proxy "$TOK_OK"
expect "after SIGHUP: requests still work" "$CODE" "200"

printf -- '-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n' \
    > "$T_TMP/server.pem"
kill -HUP "$HPID"
check "SIGHUP with a broken certificate file: refused, and why" wait_grep \
    "$LOG" '"level":"error","event":"reload","msg":"configuration rejected; the running one stays","error":"daemon.tls: .*server.pem: not a PEM certificate chain'
expect "the previous certificate is still served" "$(serial_served)" "$new"
as proxy "$TOK_OK"
expect "requests still work" "$CODE" "200"
expect "the refused reload is counted" \
    "$(curl -s "$MURL/metrics" | awk '$1 == "hopcheck_config_reloads_total{result=\"failed\"}" { print $2 }')" "1"
cp "$T_TMP/server2.pem" "$T_TMP/server.pem" || bail "cp"

# ----------------------------------------------------------- nginx in front

if [ -x "$NGINX" ]; then
	NPORT=$(free_port)
	mkdir -p "$T_TMP/www/orders" || bail "mkdir"
	echo "the orders" > "$T_TMP/www/orders/1"
	from_template "$DATA/tls-nginx.conf.in" "$T_TMP/nginx.conf"
	sed -i "s|@NPORT@|$NPORT|g" "$T_TMP/nginx.conf"
	"$NGINX" -p "$T_TMP" -e stderr -c "$T_TMP/nginx.conf" \
	    -g "daemon off; pid $T_TMP/nginx.pid; error_log stderr;" \
	    2>"$T_TMP/nginx.log" &
	NPID=$!
	track "$NPID"
	refusals=$(grep -c '"msg":"client refused"' "$LOG")
	wait_http "http://127.0.0.1:$NPORT/orders/1" 401 ||
	    bail "nginx did not start: $(tail -n 3 "$T_TMP/nginx.log")"
	req -H "Authorization: Bearer $TOK_OK" "http://127.0.0.1:$NPORT/orders/1"
	expect "through nginx (TLS client certificate): good token 200" \
	    "$CODE $(body)" "200 the orders"
	req -H "Authorization: Bearer $TOK_SIGNATURE" "http://127.0.0.1:$NPORT/orders/1"
	expect "through nginx: a bad token 401" "$CODE" "401"
	expect "nginx was never refused by hopcheckd" \
	    "$(grep -c '"msg":"client refused"' "$LOG")" "$refusals"
else
	not_ok "nginx in front" "nginx is not installed"
fi

stop_wait "$HPID" 5
expect "SIGTERM: exit 0" "$?" "0"
check_not "no token in the log" grep -q "$TOK_OK" "$LOG"
finish
