#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# make-certs.sh - regenerate the test certificates of tests/data/certs.
#
# The certificates are committed as data; this script is kept for the
# record and for the day they must change.  It writes, next to itself:
#
#   ca.pem               root CA of trust domain example.org
#   intermediate.pem     intermediate CA under the root
#   orders.pem/.der      X.509-SVID spiffe://example.org/ns/prod/sa/orders
#   billing.pem          X.509-SVID spiffe://example.org/ns/prod/sa/billing
#   gateway.pem          X.509-SVID spiffe://example.org/ns/prod/sa/gateway
#   orders-chain.pem     a leaf under the intermediate, then the intermediate
#   two-uris.pem         a leaf with two URI SANs
#   no-uri.pem           a leaf with a DNS SAN only
#   ca-true.pem          a "leaf" with basicConstraints cA=true
#   keycertsign.pem      a leaf whose keyUsage has keyCertSign
#   crlsign.pem          a leaf whose keyUsage has cRLSign
#   no-path.pem          a leaf whose SPIFFE ID has no path
#   bad-spiffe.pem       a leaf whose URI SAN breaks the SPIFFE-ID grammar
#   https-uri.pem        a leaf whose only URI SAN is not a SPIFFE ID
#   many-sans.pem        a leaf with 70 DNS SANs and one URI SAN, more
#                        names than the X.509 helper walks
#
# and a *.test-key.pem private key for each (P-256).  Those keys sign
# nothing but these certificates and exist only for tests.
#
# Regenerating changes every thumbprint: run
# tools/vectors/gen_binding_vectors.py afterwards, since the committed vectors bind tokens to these certificates.
set -eu
cd "$(dirname "$0")"

DAYS=36500
TD=spiffe://example.org

key() {
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
	    -out "$1.test-key.pem"
}

# sign NAME SERIAL ISSUER SUBJECT EXTENSIONS
sign() {
	key "$1"
	printf '%s\n' "[ext]" "$5" | tr '|' '\n' > "$1.ext"
	openssl req -new -key "$1.test-key.pem" -subj "$4" -out "$1.csr"
	openssl x509 -req -in "$1.csr" -CA "$3.pem" -CAkey "$3.test-key.pem" \
	    -set_serial "$2" -days "$DAYS" -sha256 -extfile "$1.ext" \
	    -extensions ext -out "$1.pem"
	rm -f "$1.csr" "$1.ext"
}

LEAF_KU="keyUsage=critical,digitalSignature|extendedKeyUsage=serverAuth,clientAuth|basicConstraints=critical,CA:FALSE"

# Root CA (self-signed).
key ca
openssl req -new -x509 -key ca.test-key.pem \
    -subj "/O=hopcheck tests/CN=example.org root" -days "$DAYS" -sha256 \
    -set_serial 1 -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -addext "subjectAltName=URI:$TD" -out ca.pem

sign intermediate 2 ca "/O=hopcheck tests/CN=example.org intermediate" \
    "basicConstraints=critical,CA:TRUE,pathlen:0|keyUsage=critical,keyCertSign,cRLSign|subjectAltName=URI:$TD"

sign orders 10 ca "/O=hopcheck tests/CN=orders" \
    "$LEAF_KU|subjectAltName=URI:$TD/ns/prod/sa/orders"
sign billing 11 ca "/O=hopcheck tests/CN=billing" \
    "$LEAF_KU|subjectAltName=URI:$TD/ns/prod/sa/billing"
sign gateway 12 ca "/O=hopcheck tests/CN=gateway" \
    "$LEAF_KU|subjectAltName=URI:$TD/ns/prod/sa/gateway"
sign orders-leaf 13 intermediate "/O=hopcheck tests/CN=orders (intermediate)" \
    "$LEAF_KU|subjectAltName=URI:$TD/ns/prod/sa/orders"
cat orders-leaf.pem intermediate.pem > orders-chain.pem
rm -f orders-leaf.pem
mv orders-leaf.test-key.pem orders-chain.test-key.pem

sign two-uris 20 ca "/O=hopcheck tests/CN=two uris" \
    "$LEAF_KU|subjectAltName=URI:$TD/ns/prod/sa/orders,URI:$TD/ns/prod/sa/admin"
sign no-uri 21 ca "/O=hopcheck tests/CN=no uri" \
    "$LEAF_KU|subjectAltName=DNS:orders.example.org"
sign ca-true 22 ca "/O=hopcheck tests/CN=ca true" \
    "keyUsage=critical,digitalSignature|basicConstraints=critical,CA:TRUE|subjectAltName=URI:$TD/ns/prod/sa/orders"
sign keycertsign 23 ca "/O=hopcheck tests/CN=keycertsign" \
    "keyUsage=critical,digitalSignature,keyCertSign|basicConstraints=critical,CA:FALSE|subjectAltName=URI:$TD/ns/prod/sa/orders"
sign crlsign 24 ca "/O=hopcheck tests/CN=crlsign" \
    "keyUsage=critical,digitalSignature,cRLSign|basicConstraints=critical,CA:FALSE|subjectAltName=URI:$TD/ns/prod/sa/orders"
sign no-path 25 ca "/O=hopcheck tests/CN=no path" \
    "$LEAF_KU|subjectAltName=URI:$TD"
sign bad-spiffe 26 ca "/O=hopcheck tests/CN=bad spiffe" \
    "$LEAF_KU|subjectAltName=URI:spiffe://Example.org/ns/prod/sa/orders"
sign https-uri 27 ca "/O=hopcheck tests/CN=https uri" \
    "$LEAF_KU|subjectAltName=URI:https://orders.example.org/"

many=""
i=1
while [ "$i" -le 70 ]; do
	many="${many}DNS:n$i.example.org,"
	i=$((i + 1))
done
sign many-sans 28 ca "/O=hopcheck tests/CN=many sans" \
    "$LEAF_KU|subjectAltName=${many}URI:$TD/ns/prod/sa/orders"

openssl x509 -in orders.pem -outform DER -out orders.der
