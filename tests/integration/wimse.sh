#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# wimse.sh BUILD - WIMSE workload-to-workload authentication through
# hopcheckd's /v1/authz: a Workload Identity Token and its Workload Proof
# Token (draft-ietf-wimse-workload-creds-03, draft-ietf-wimse-wpt-02),
# alone and with an access token and a Txn-Token.
#
# Tokens come from tools/vectors/gen_integration_tokens.py live (jwcrypto,
# fresh keys).  hopcheckd (tests/integration/data/pop-hopcheck.conf.in) is
# asked directly, as nginx would ask it (X-Original-Method/URI).  Checked:
#   - WIT + WPT alone on a route whose credentials are ["workload"]: 200,
#     X-Hopcheck-Workload names the WIT's sub;
#   - the same WPT again: 403 replay, an RFC 9457 problem body and no
#     WWW-Authenticate; a WIT without WPT: 403 binding; a WPT for another
#     path: 403 audience; two WIT fields: 403 malformed;
#   - with an access token: 200 when the WPT's ath covers it, 403 binding
#     when it does not; with a Txn-Token and tth: 200;
#   - route callers: the WIT's sub listed 200, another workload 403
#     policy; a WIT sent as a Bearer token: 401 type;
#   - the log carries the workload id and no token bytes.
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
from_template "$DATA/pop-hopcheck.conf.in" "$T_TMP/hc.tmp"
sed 's|@NONCE@||' "$T_TMP/hc.tmp" > "$T_TMP/hopcheck.conf"
"$HOPCHECKD" -c "$T_TMP/hopcheck.conf" 2>>"$T_TMP/hopcheckd.log" &
HPID=$!
track "$HPID"
wait_http "http://127.0.0.1:$HCPORT/readyz" 200 ||
    bail "hopcheckd did not become ready: $(tail -n 3 "$T_TMP/hopcheckd.log")"
AUTHZ=http://127.0.0.1:$HCPORT/v1/authz

# authz METHOD PATH [CURL ARGS...]
authz() {
	_m=$1
	_p=$2
	shift 2
	req -H "X-Original-Method: $_m" -H "X-Original-URI: $_p" "$@" "$AUTHZ"
}
status() {
	echo "$CODE $(hdr X-Hopcheck-Status)"
}

authz POST /pop/wl -H "Workload-Identity-Token: $TOK_WIT" \
    -H "Workload-Proof-Token: $TOK_WPT_WL"
expect "WIT + WPT on a workload route: 200" "$(status)" "200 ok"
expect "X-Hopcheck-Workload" "$(hdr X-Hopcheck-Workload)" \
    "wimse://wimse.test/billing"

authz POST /pop/wl -H "Workload-Identity-Token: $TOK_WIT" \
    -H "Workload-Proof-Token: $TOK_WPT_WL"
expect "the same WPT again: 403 replay" "$(status)" "403 replay"
expect_match "a WIMSE refusal has a problem body" "$(hdr Content-Type)" \
    '^application/problem\+json'
check_not "a WIMSE refusal has no challenge" grep -qi '^WWW-Authenticate' \
    "$T_TMP/headers"

authz POST /pop/wl -H "Workload-Identity-Token: $TOK_WIT"
expect "a WIT without WPT: 403 binding" "$(status)" "403 binding"
authz POST /pop/wl -H "Workload-Identity-Token: $TOK_WIT" \
    -H "Workload-Proof-Token: $TOK_WPT_OTHER"
expect "a WPT for another path: 403 audience" "$(status)" "403 audience"
authz POST /pop/wl -H "Workload-Identity-Token: $TOK_WIT" \
    -H "Workload-Identity-Token: $TOK_WIT" \
    -H "Workload-Proof-Token: $TOK_WPT_WL2"
expect "two WIT fields: 403 malformed" "$(status)" "403 malformed"
authz POST /pop/wl -H "Workload-Identity-Token: $TOK_WIT" \
    -H "Workload-Proof-Token: $TOK_WPT_WL2" -H "X-Forwarded-Host: evil.test"
expect "X-Forwarded-Host does not change the WPT aud: 200" "$(status)" \
    "200 ok"

authz GET /pop/orders -H "Authorization: Bearer $TOK_WIMSE_AT" \
    -H "Workload-Identity-Token: $TOK_WIT" \
    -H "Workload-Proof-Token: $TOK_WPT_AT"
expect "WIT + WPT (ath) + access token: 200" "$(status)" "200 ok"
expect "with an access token: the workload" "$(hdr X-Hopcheck-Workload)" \
    "wimse://wimse.test/billing"
authz GET /pop/orders -H "Authorization: Bearer $TOK_WIMSE_AT" \
    -H "Workload-Identity-Token: $TOK_WIT" \
    -H "Workload-Proof-Token: $TOK_WPT_AT_NO_ATH"
expect "an access token the WPT does not cover: 403 binding" "$(status)" \
    "403 binding"

authz GET /pop/txn -H "Txn-Token: $TOK_TXN_OK" \
    -H "Workload-Identity-Token: $TOK_WIT" \
    -H "Workload-Proof-Token: $TOK_WPT_TXN"
expect "WIT + WPT (tth) + Txn-Token: 200" "$(status)" "200 ok"
check "the Txn-Token's txn is forwarded" test -n "$(hdr X-Hopcheck-Txn)"

authz POST /pop/callers -H "Workload-Identity-Token: $TOK_WIT" \
    -H "Workload-Proof-Token: $TOK_WPT_CALLERS"
expect "route callers list the WIT's sub: 200" "$(status)" "200 ok"
authz POST /pop/callers -H "Workload-Identity-Token: $TOK_WIT_STRANGER" \
    -H "Workload-Proof-Token: $TOK_WPT_STRANGER"
expect "another workload on a callers route: 403 policy" "$(status)" \
    "403 policy"

authz GET /pop/orders -H "Authorization: Bearer $TOK_WIT"
expect "a WIT as a Bearer token: 401 type" "$(status)" "401 type"

check "the log names the workload" grep -q \
    '"workload":"wimse://wimse.test/billing"' "$T_TMP/hopcheckd.log"
check_not "the log holds no WIT" grep -qF "$TOK_WIT" "$T_TMP/hopcheckd.log"
check_not "the log holds no WPT" grep -qF "$TOK_WPT_WL" "$T_TMP/hopcheckd.log"
finish
