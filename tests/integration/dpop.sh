#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# dpop.sh BUILD - DPoP (RFC 9449) through hopcheckd's /v1/authz and
# /v1/validate: a DPoP-bound access token (cnf.jkt) and its proofs.
#
# Tokens and proofs come from tools/vectors/gen_integration_tokens.py live
# (jwcrypto, fresh keys, the proofs made just before the run: their iat
# window is 60 s).  hopcheckd (tests/integration/data/pop-hopcheck.conf.in)
# is asked as nginx asks it (X-Original-Method/URI).  Checked:
#   - Authorization: DPoP with the right proof: 200, X-Hopcheck-Dpop-Jkt;
#   - the same proof again: 401 replay, WWW-Authenticate: DPoP
#     error="invalid_dpop_proof" with algs; a proof for another URL: 401
#     audience; a proof by another key: 401 binding, error="invalid_token";
#   - the bound token sent as Bearer: 401 binding; Bearer with a DPoP
#     header, or two Authorization fields: 400 invalid_request; two DPoP
#     fields: 401 malformed;
#   - /v1/validate with "dpop": status ok and dpop{jkt};
#   - nonces (dpop.nonce_secret_file): a proof without one is 401 nonce,
#     error="use_dpop_nonce" and a DPoP-Nonce header; a proof with that
#     nonce is 200;
#   - the log carries the thumbprint and no token or proof bytes.
# The flow with a real authorization server (oidc-provider, a jose client,
# the shipped nginx snippet) is tests/integration/dpop_interop.sh.
set -u
BUILD=${1:-build}
. tests/integration/lib/common.sh

HOPCHECKD=$BUILD/hopcheckd
DATA=$(pwd)/tests/integration/data
[ -x "$HOPCHECKD" ] || bail "$HOPCHECKD is not built"
command -v curl >/dev/null || bail "curl is not installed"

setup_tmp
mint "$T_TMP"
# shellcheck source=/dev/null
. "$T_TMP/tokens.sh"
HCPORT=$(free_port)
[ -n "$HCPORT" ] || bail "no free port"

# start NONCE: hopcheckd with the @NONCE@ member NONCE, until ready.
start() {
	from_template "$DATA/pop-hopcheck.conf.in" "$T_TMP/hc.tmp"
	sed "s|@NONCE@|$1|" "$T_TMP/hc.tmp" > "$T_TMP/hopcheck.conf"
	"$HOPCHECKD" -c "$T_TMP/hopcheck.conf" 2>>"$T_TMP/hopcheckd.log" &
	HPID=$!
	track "$HPID"
	wait_http "http://127.0.0.1:$HCPORT/readyz" 200 ||
	    bail "hopcheckd did not become ready: $(tail -n 3 "$T_TMP/hopcheckd.log")"
}
start ""
AUTHZ=http://127.0.0.1:$HCPORT/v1/authz

# orders [CURL ARGS...]: GET /pop/orders through /v1/authz.
orders() {
	req -H "X-Original-Method: GET" -H "X-Original-URI: /pop/orders" "$@" \
	    "$AUTHZ"
}
status() {
	echo "$CODE $(hdr X-Hopcheck-Status)"
}

orders -H "Authorization: DPoP $TOK_DPOP_AT" -H "DPoP: $TOK_DPOP_PROOF"
expect "DPoP token and proof: 200" "$(status)" "200 ok"
check "X-Hopcheck-Dpop-Jkt" test -n "$(hdr X-Hopcheck-Dpop-Jkt)"
# No credential at all: one challenge per scheme the service takes (RFC
# 6750 section 3.1, RFC 9449 section 7.1).
curl -s -o /dev/null -D "$T_TMP/nocred" -H "X-Original-Method: GET" \
    -H "X-Original-URI: /pop/orders" "$AUTHZ"
expect_match "no credential: a DPoP challenge with algs" \
    "$(tr -d '\r' < "$T_TMP/nocred" | grep -i '^WWW-Authenticate:' | tr '\n' '|')" \
    'DPoP algs="ES256"'

JKT=$(hdr X-Hopcheck-Dpop-Jkt)

orders -H "Authorization: DPoP $TOK_DPOP_AT" -H "DPoP: $TOK_DPOP_PROOF"
expect "the same proof again: 401 replay" "$(status)" "401 replay"
expect_match "replay: DPoP invalid_dpop_proof, algs" \
    "$(hdr WWW-Authenticate)" '^DPoP error="invalid_dpop_proof".*algs="ES256"'
orders -H "Authorization: DPoP $TOK_DPOP_AT" \
    -H "DPoP: $TOK_DPOP_PROOF_OTHER_URL"
expect "a proof for another URL: 401 audience" "$(status)" "401 audience"
orders -H "Authorization: DPoP $TOK_DPOP_AT" \
    -H "DPoP: $TOK_DPOP_PROOF_OTHER_KEY"
expect "a proof by another key: 401 binding" "$(status)" "401 binding"
expect_match "another key: DPoP invalid_token" "$(hdr WWW-Authenticate)" \
    '^DPoP error="invalid_token"'
orders -H "Authorization: Bearer $TOK_DPOP_AT"
expect "the bound token as Bearer: 401 binding" "$(status)" "401 binding"
orders -H "Authorization: Bearer $TOK_DPOP_AT" -H "DPoP: $TOK_DPOP_PROOF2"
expect "Bearer with a DPoP header: 400" "$CODE" "400"
expect_match "Bearer + DPoP: invalid_request" "$(hdr WWW-Authenticate)" \
    'error="invalid_request"'
orders -H "Authorization: Bearer $TOK_DPOP_AT" \
    -H "Authorization: DPoP $TOK_DPOP_AT" -H "DPoP: $TOK_DPOP_PROOF2"
expect "two Authorization fields: 400" "$CODE" "400"
orders -H "Authorization: DPoP $TOK_DPOP_AT" -H "DPoP: $TOK_DPOP_PROOF2" \
    -H "DPoP: $TOK_DPOP_PROOF2"
expect "two DPoP fields: 401 malformed" "$(status)" "401 malformed"

printf '{"token":"%s","dpop":"%s","route":"GET /pop/orders"}' \
    "$TOK_DPOP_AT" "$TOK_DPOP_PROOF2" > "$T_TMP/validate.json"
req -H "Content-Type: application/json" --data-binary @"$T_TMP/validate.json" \
    "http://127.0.0.1:$HCPORT/v1/validate"
expect_match "/v1/validate with dpop: ok and dpop{jkt}" "$(body)" \
    "\"status\":\"ok\".*\"dpop\":{\"jkt\":\"$JKT\"}"

check "the log names the thumbprint" grep -q "\"dpop_jkt\":\"$JKT\"" \
    "$T_TMP/hopcheckd.log"
check_not "the log holds no proof" grep -qF "$TOK_DPOP_PROOF" \
    "$T_TMP/hopcheckd.log"
check_not "the log holds no token" grep -qF "$TOK_DPOP_AT" \
    "$T_TMP/hopcheckd.log"

stop_wait "$HPID" 5
start ", \"nonce_secret_file\": \"$T_TMP/dpop-nonce.key\""
orders -H "Authorization: DPoP $TOK_DPOP_AT" \
    -H "DPoP: $TOK_DPOP_PROOF_NO_NONCE"
expect "nonces on, a proof without one: 401 nonce" "$(status)" "401 nonce"
expect_match "use_dpop_nonce" "$(hdr WWW-Authenticate)" \
    '^DPoP error="use_dpop_nonce"'
NONCE=$(hdr DPoP-Nonce)
check "a DPoP-Nonce is given" test -n "$NONCE"
expect_match "it is base64url" "$NONCE" '^[A-Za-z0-9_-]+$'
# The retry's proof was made at mint time with the nonce of that time
# step: the server takes the current step's and the one before, so it
# passes even if a step boundary fell in between (the header may then
# name the newer one).
orders -H "Authorization: DPoP $TOK_DPOP_AT" -H "DPoP: $TOK_DPOP_PROOF_NONCE"
expect "the retry with the nonce: 200" "$(status)" "200 ok"
finish
