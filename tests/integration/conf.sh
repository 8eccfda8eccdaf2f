#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# conf.sh BUILD - the example configurations of conf/ say what they do.
#
#   - every hopcheck configuration conf/**/*.conf passes
#     `hopcheck check-config` and `hopcheckd -t` as shipped, with the
#     placeholder keys of conf/keys (hopcheckd-network.conf: with its
#     placeholder TLS certificate, key and client CA, which -t loads);
#   - a copy of each with one unknown key inserted fails both, with one
#     error line that names the key's JSON path;
#   - the chain (conf/chain) and the SPIFFE example judge real tokens as
#     their comments say: fresh keys replace the placeholders in a copy of
#     conf/, jwcrypto signs user, exchanged and JWT-SVID tokens, and the
#     Python cryptography package makes the workloads' X.509-SVIDs;
#     payments' one-time-use route is tried through hopcheckd;
#   - conf/nginx-auth-request.conf passes `nginx -t` inside a minimal
#     nginx.conf, with its certificate paths and listen port replaced by
#     test files; conf/envoy-ext-authz.yaml is well-formed YAML (Envoy
#     itself is not installed, so its schema is not checked);
#     conf/hopcheckd.service passes `systemd-analyze verify`.
set -u
BUILD=${1:-build}
. tests/integration/lib/common.sh

HOPCHECK=$BUILD/hopcheck
HOPCHECKD=$BUILD/hopcheckd
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
[ -x "$HOPCHECK" ] || bail "$HOPCHECK is not built"
[ -x "$HOPCHECKD" ] || bail "$HOPCHECKD is not built"

setup_tmp

# The hopcheck configurations: every *.conf of conf/ but the nginx site.
CONFS=$(find conf -type f -name '*.conf' ! -name 'nginx-*' | sort)
[ -n "$CONFS" ] || bail "no configuration in conf/"

# run_cmd COMMAND...: output (stdout and stderr) in $OUT, status in $RC.
run_cmd() {
	OUT=$("$@" 2>&1)
	RC=$?
}

# -------------------------------------------------------- as shipped

for f in $CONFS; do
	run_cmd "$HOPCHECK" check-config "$f"
	if [ "$RC" -eq 0 ] && [ "$OUT" = "$f: configuration OK" ]; then
		ok "hopcheck check-config $f"
	else
		not_ok "hopcheck check-config $f" "exit $RC" "$OUT"
	fi
	run_cmd "$HOPCHECKD" -c "$f" -t
	if [ "$RC" -eq 0 ] && [ "$OUT" = "configuration OK" ]; then
		ok "hopcheckd -c $f -t"
	else
		not_ok "hopcheckd -c $f -t" "exit $RC" "$OUT"
	fi
done

# ------------------------------------------------- one unknown key each

# The copies live in a copy of conf/, so that their relative key paths
# still resolve and the unknown key is the only problem.
cp -R conf "$T_TMP/conf" || bail "copy conf/"
for f in $CONFS; do
	rel=${f#conf/}
	broken="$T_TMP/conf/${rel%.conf}.broken.conf"
	# The first issuer, else the txn_tokens section, else the first
	# trust domain, gets the key.
	if grep -q '"issuer": "' "$f"; then
		sed '0,/"issuer": "/s//"isuer_typo": 1, "issuer": "/' "$f" \
		    > "$broken"
		want='issuers[0]: unknown key "isuer_typo"'
	elif grep -q '"txn_tokens": {' "$f"; then
		# conf/txn-token.conf: the txn_tokens section gets it.
		sed '0,/"trust_domain": "/s//"isuer_typo": 1, "trust_domain": "/' \
		    "$f" > "$broken"
		want='txn_tokens: unknown key "isuer_typo"'
	else
		sed '0,/"trust_domain": "/s//"isuer_typo": 1, "trust_domain": "/' \
		    "$f" > "$broken"
		want='spiffe.trust_domains[0]: unknown key "isuer_typo"'
	fi
	if cmp -s "$f" "$broken"; then
		not_ok "$f: broken copy made" "no issuer or trust domain to edit"
		continue
	fi
	run_cmd "$HOPCHECK" check-config "$broken"
	expect "hopcheck check-config $rel with an unknown key: exit 1, the path" \
	    "$RC $OUT" "1 $broken: $want"
	run_cmd "$HOPCHECKD" -c "$broken" -t
	expect "hopcheckd -t $rel with an unknown key: exit 1, the path" \
	    "$RC $OUT" "1 $want"
done

# ------------------------------------------- the examples, with tokens

# A copy of conf/ whose placeholder keys are replaced by fresh ones; the
# private halves stay in $LIVE/private.  gen writes the tokens as shell
# assignments (tokens.sh), the X.509-SVIDs (*.pem) and request bodies.
LIVE=$T_TMP/live
cp -R conf "$LIVE" && mkdir "$LIVE/private" || bail "copy conf/"
"$PY_JOSE" - "$LIVE" <<'EOF' || bail "token generator (needs $PY_JOSE with jwcrypto and cryptography)"
import base64, datetime, hashlib, json, sys, time, uuid
from jwcrypto import jwk, jws
from cryptography import x509
from cryptography.x509.oid import NameOID
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

live = sys.argv[1]
now = int(time.time())
TD = "spiffe://example.org/ns/prod/sa/"
sts = jwk.JWK.generate(kty="EC", crv="P-256", kid="sts-es256-2026-01")
svid = jwk.JWK.generate(kty="EC", crv="P-256", kid="example.org-jwt-2026-01")

def public(k, **extra):
    d = json.loads(k.export_public())
    d.update(extra)
    return d

json.dump({"keys": [public(sts, use="sig", alg="ES256")]},
          open(live + "/keys/sts.jwks.json", "w"))
json.dump({"keys": [public(svid, use="jwt-svid")]},
          open(live + "/keys/example.org.bundle.json", "w"))

# A CA and one X.509-SVID per workload (X509-SVID sections 2, 4, 5).
ca_key = ec.generate_private_key(ec.SECP256R1())
ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "conf.sh CA")])
start = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(hours=1)
def cert(sa):
    key = ec.generate_private_key(ec.SECP256R1())
    c = (x509.CertificateBuilder()
         .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, sa)]))
         .issuer_name(ca_name).public_key(key.public_key())
         .serial_number(x509.random_serial_number())
         .not_valid_before(start).not_valid_after(start + datetime.timedelta(days=1))
         .add_extension(x509.BasicConstraints(ca=False, path_length=None), True)
         .add_extension(x509.KeyUsage(True, False, False, False, False, False,
                                      False, False, False), True)
         .add_extension(x509.SubjectAlternativeName(
             [x509.UniformResourceIdentifier(TD + sa)]), False)
         .sign(ca_key, hashes.SHA256()))
    pem = c.public_bytes(serialization.Encoding.PEM).decode()
    open(live + "/private/" + sa + ".pem", "w").write(pem)
    digest = hashlib.sha256(c.public_bytes(serialization.Encoding.DER)).digest()
    return pem, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
pems = {}
x5t = {}
for sa in ("gateway", "orders", "web"):
    pems[sa], x5t[sa] = cert(sa)

def sign(key, claims, typ="at+jwt"):
    t = jws.JWS(json.dumps(claims).encode())
    t.add_signature(key, None, json.dumps({"alg": "ES256", "kid": key.kid,
                                           "typ": typ}))
    return t.serialize(compact=True)

def at(life, **c):
    base = {"iss": "https://sts.example.org", "sub": "user:alice",
            "iat": now, "exp": now + life, "jti": str(uuid.uuid4())}
    base.update(c)
    return {k: v for k, v in base.items() if v is not None}

gw_act = {"sub": TD + "gateway"}
toks = {
    # conf/hopcheck.conf: billing calls payments directly, for tenant acme.
    "SINGLE": at(600, aud="https://payments.internal",
                 client_id=TD + "billing", scope="payments:read",
                 tenant="acme"),
    # gateway.conf: the user's own token.
    "USER": at(600, aud="https://api.example.org", client_id="web-app",
               scope="api orders:write payments:write"),
    "USER_ACT": at(600, aud="https://api.example.org", client_id="web-app",
                   scope="api", act=gw_act),
    # orders.conf: exchanged by the gateway.
    "ORDERS": at(300, aud="https://orders.internal", client_id="gateway",
                 scope="orders:write payments:write", act=gw_act),
    "ORDERS_DIRECT": at(300, aud="https://orders.internal",
                        client_id="gateway", scope="orders:write"),
    # payments.conf: exchanged by orders, bound to its certificate.
    "PAY": at(300, aud="https://payments.internal", client_id="orders",
              scope="payments:write", cnf={"x5t#S256": x5t["orders"]},
              act={"sub": TD + "orders", "act": gw_act}),
    "PAY_UNBOUND": at(300, aud="https://payments.internal",
                      client_id="orders", scope="payments:write",
                      act={"sub": TD + "orders", "act": gw_act}),
    "PAY_WIDE": at(300, aud="https://payments.internal", client_id="orders",
                   scope="orders:write payments:write",
                   cnf={"x5t#S256": x5t["orders"]},
                   act={"sub": TD + "orders", "act": gw_act}),
}
out = {k: sign(sts, v) for k, v in toks.items()}
# spiffe-jwt-svid.conf: JWT-SVIDs (JWT-SVID section 3).
for name, sa in (("SVID_WEB", "web"), ("SVID_OTHER", "other")):
    out[name] = sign(svid, {"sub": TD + sa,
                            "aud": ["spiffe://example.org/ns/prod/sa/inventory"],
                            "iat": now, "exp": now + 300}, typ="JWT")
with open(live + "/tokens.sh", "w") as f:
    for k, v in out.items():
        f.write("TOK_%s='%s'\n" % (k, v))
body = {"token": out["PAY"], "route": "POST /v1/payments",
        "peer_cert_pem": pems["orders"]}
json.dump(body, open(live + "/private/pay-body.json", "w"))
EOF
# shellcheck source=/dev/null
. "$LIVE/tokens.sh"
ok "fresh keys, X.509-SVIDs and tokens for the examples"
P=$LIVE/private

# verdict NAME WANT CONF TOKEN [VALIDATE ARGS...]: the status of
# `hopcheck validate` with the live copy of CONF.
verdict() {
	_name=$1
	_want=$2
	_conf=$3
	_tok=$4
	shift 4
	run_cmd "$HOPCHECK" validate --conf "$LIVE/$_conf" --token "$_tok" "$@"
	_st=$(printf '%s' "$OUT" | sed -n 's/^{"status":"\([a-z_]*\)".*/\1/p')
	if [ "$_st" = "$_want" ]; then
		ok "$_name"
	else
		not_ok "$_name" "want status $_want, got: $OUT"
	fi
}

verdict "hopcheck.conf: billing, directly, tenant acme: ok" ok \
    hopcheck.conf "$TOK_SINGLE" --route "GET /v1/payments/7" --tenant acme
verdict "hopcheck.conf: another tenant: tenant" tenant \
    hopcheck.conf "$TOK_SINGLE" --route "GET /v1/payments/7" --tenant globex

verdict "gateway: the user's token for a checkout: ok" ok \
    chain/gateway.conf "$TOK_USER" --route "POST /v1/checkout"
verdict "gateway: a route whose scope the user lacks: scope" scope \
    chain/gateway.conf "$TOK_USER" --route "GET /v1/orders/1"
verdict "gateway: a token carrying act at the edge: chain" chain \
    chain/gateway.conf "$TOK_USER_ACT" --route "GET /v2/profile"
verdict "gateway: the token exchanged for orders is refused: audience" \
    audience chain/gateway.conf "$TOK_ORDERS" --route "POST /v1/checkout"

run_cmd "$HOPCHECK" check-exchange --conf "$LIVE/chain/gateway.conf" \
    --subject-token "$TOK_USER" --issued-token "$TOK_ORDERS" \
    --audience https://orders.internal \
    --self spiffe://example.org/ns/prod/sa/gateway
expect "gateway: check-exchange of the orders token: ok" "$RC" 0
run_cmd "$HOPCHECK" check-exchange --conf "$LIVE/chain/gateway.conf" \
    --subject-token "$TOK_USER" --issued-token "$TOK_USER_ACT" \
    --audience https://orders.internal \
    --self spiffe://example.org/ns/prod/sa/gateway
expect_match "gateway: check-exchange of a token for the wrong audience" \
    "$RC $OUT" '^1 \{"status":"narrowing"'

verdict "orders: exchanged by the gateway, the gateway's SVID: ok" ok \
    chain/orders.conf "$TOK_ORDERS" --route "POST /v1/orders" \
    --peer-cert "$P/gateway.pem"
verdict "orders: the same token from another workload: peer" peer \
    chain/orders.conf "$TOK_ORDERS" --route "POST /v1/orders" \
    --peer-cert "$P/web.pem"
verdict "orders: no client certificate: peer" peer \
    chain/orders.conf "$TOK_ORDERS" --route "POST /v1/orders"
verdict "orders: a token without act: policy" policy \
    chain/orders.conf "$TOK_ORDERS_DIRECT" --route "POST /v1/orders" \
    --peer-cert "$P/gateway.pem"
verdict "orders: the payments token: audience" audience \
    chain/orders.conf "$TOK_PAY" --route "POST /v1/orders" \
    --peer-cert "$P/orders.pem"

verdict "payments: act {orders, act {gateway}}, bound, orders' SVID: ok" ok \
    chain/payments.conf "$TOK_PAY" --route "POST /v1/payments" \
    --peer-cert "$P/orders.pem"
verdict "payments: presented with the gateway's certificate: binding" binding \
    chain/payments.conf "$TOK_PAY" --route "POST /v1/payments" \
    --peer-cert "$P/gateway.pem"
verdict "payments: a token without cnf: binding" binding \
    chain/payments.conf "$TOK_PAY_UNBOUND" --route "POST /v1/payments" \
    --peer-cert "$P/orders.pem"
verdict "payments: still carrying orders:write: scope" scope \
    chain/payments.conf "$TOK_PAY_WIDE" --route "POST /v1/payments" \
    --peer-cert "$P/orders.pem"
verdict "payments: the gateway's token for orders: audience" audience \
    chain/payments.conf "$TOK_ORDERS" --route "POST /v1/payments" \
    --peer-cert "$P/gateway.pem"

verdict "spiffe: a JWT-SVID of an allowed caller: ok" ok \
    spiffe-jwt-svid.conf "$TOK_SVID_WEB" --route "GET /v1/stock/42"
verdict "spiffe: the same, with the caller's X.509-SVID: ok" ok \
    spiffe-jwt-svid.conf "$TOK_SVID_WEB" --route "GET /v1/stock/42" \
    --peer-cert "$P/web.pem"
verdict "spiffe: presented by another workload: peer" peer \
    spiffe-jwt-svid.conf "$TOK_SVID_WEB" --route "GET /v1/stock/42" \
    --peer-cert "$P/gateway.pem"
verdict "spiffe: a caller not in direct_callers: policy" policy \
    spiffe-jwt-svid.conf "$TOK_SVID_OTHER" --route "GET /v1/stock/42"
verdict "spiffe: an STS token is no JWT-SVID: issuer" issuer \
    spiffe-jwt-svid.conf "$TOK_USER" --route "GET /v1/stock/42"

# payments.conf under hopcheckd: the one-time-use route, with the daemon
# section as shipped but for the port.
PORT=$(free_port)
[ -n "$PORT" ] || bail "no free port"
sed "s|\"listen\": \"127.0.0.1:9300\"|\"listen\": \"127.0.0.1:$PORT\"|" \
    "$LIVE/chain/payments.conf" > "$LIVE/chain/payments.port.conf" ||
    bail "payments.conf with a test port"
"$HOPCHECKD" -c "$LIVE/chain/payments.port.conf" 2>"$T_TMP/hopcheckd.log" &
DPID=$!
track "$DPID"
wait_http "http://127.0.0.1:$PORT/readyz" 200 ||
    bail "hopcheckd with payments.conf did not start"
validate_pay() {
	req -H 'Content-Type: application/json' --data-binary "@$P/pay-body.json" \
	    "http://127.0.0.1:$PORT/v1/validate"
}
validate_pay
expect "payments under hopcheckd: the first POST /v1/payments: 200 ok" \
    "$CODE $(hdr X-Hopcheck-Status)" "200 ok"
validate_pay
expect "payments under hopcheckd: the same token again: replay" \
    "$CODE $(hdr X-Hopcheck-Status)" "200 replay"
stop_wait "$DPID" 5
expect "hopcheckd stops on SIGTERM with status 0" "$?" 0

# ---------------------------------------------------------- nginx site

if [ -x "$NGINX" ] && command -v openssl >/dev/null; then
	N=$T_TMP/nginx
	mkdir -p "$N" || bail "mkdir"
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
	    -nodes -keyout "$N/server.key" -subj "/CN=payments.internal" \
	    -days 1 -out "$N/server.pem" 2>/dev/null &&
	    cp "$N/server.pem" "$N/workload-ca.pem" ||
	    bail "openssl: test certificate"
	NPORT=$(free_port)
	# The placeholders: /etc/hopcheck/tls/* and port 443.
	sed -e "s|/etc/hopcheck/tls/|$N/|g" \
	    -e "s|listen 443 ssl;|listen 127.0.0.1:$NPORT ssl;|" \
	    conf/nginx-auth-request.conf > "$N/site.conf" ||
	    bail "nginx site with test paths"
	if grep -q '/etc/hopcheck' "$N/site.conf"; then
		not_ok "nginx site: every placeholder path replaced" \
		    "$(grep -n /etc/hopcheck "$N/site.conf")"
	fi
	cat > "$N/nginx.conf" <<EOF
master_process off;
worker_processes 1;
events { worker_connections 64; }
http {
    access_log $N/access.log;
    client_body_temp_path $N/tmp-body;
    proxy_temp_path $N/tmp-proxy;
    fastcgi_temp_path $N/tmp-fastcgi;
    uwsgi_temp_path $N/tmp-uwsgi;
    scgi_temp_path $N/tmp-scgi;
    include $N/site.conf;
}
EOF
	run_cmd "$NGINX" -t -p "$N" -e stderr -c "$N/nginx.conf" \
	    -g "pid $N/nginx.pid; error_log stderr;"
	if [ "$RC" -eq 0 ]; then
		ok "nginx -t accepts conf/nginx-auth-request.conf"
	else
		not_ok "nginx -t accepts conf/nginx-auth-request.conf" "$OUT"
	fi
else
	not_ok "nginx -t accepts conf/nginx-auth-request.conf" \
	    "nginx or openssl is not installed"
fi

# ------------------------------------------------- Envoy and systemd

if "$PY_JOSE" -c 'import yaml' 2>/dev/null; then
	run_cmd "$PY_JOSE" -c 'import sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
sr = d["static_resources"]
names = sorted(c["name"] for c in sr["clusters"])
assert names == ["hopcheckd", "payments_backend"], names
hcm = sr["listeners"][0]["filter_chains"][0]["filters"][0]["typed_config"]
assert hcm["forward_client_cert_details"] == "SANITIZE_SET"
' conf/envoy-ext-authz.yaml
	expect "conf/envoy-ext-authz.yaml is YAML with SANITIZE_SET" "$RC $OUT" "0 "
else
	echo "# skipped: conf/envoy-ext-authz.yaml (no python3-yaml)"
fi

if command -v systemd-analyze >/dev/null; then
	# The unit names the installed path; point it at this build.
	case $HOPCHECKD in
	/*) abs=$HOPCHECKD ;;
	*) abs=$(pwd)/$HOPCHECKD ;;
	esac
	sed "s|/usr/local/sbin/hopcheckd|$abs|g" \
	    conf/hopcheckd.service > "$T_TMP/hopcheckd.service" ||
	    bail "unit copy"
	run_cmd systemd-analyze verify --man=no "$T_TMP/hopcheckd.service"
	expect "systemd-analyze verify conf/hopcheckd.service" "$RC $OUT" "0 "
else
	echo "# skipped: conf/hopcheckd.service (no systemd-analyze)"
fi

finish
