#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# keys.sh BUILD - key operations as an operator meets them: hopcheckd's
# key events in its log and GET /v1/keys, and `hopcheck keys`.
#
# One issuer reads a JWKS file that holds, next to its good key, keys the
# validator will not use (a 1024-bit RSA key, an "enc" key, an X25519 key);
# another fetches its keys from a port where nothing listens.  Checks:
#   - the file loads, its skipped keys are logged one by one with the
#     reason, and the refresh failure is logged as connection_refused;
#   - GET /v1/keys lists both sources, the kids, the skipped keys and the
#     last refresh error, as JSON; other methods are 405;
#   - a token naming the skipped kid gets `key` with the reason;
#   - `hopcheck keys --conf F` prints the same report (--no-fetch: no
#     fetch, no error), exit 0; a configuration that does not load is 2.
set -u
BUILD=${1:-build}
. tests/integration/lib/common.sh

HOPCHECKD=$BUILD/hopcheckd
H=$BUILD/hopcheck
[ -x "$HOPCHECKD" ] || bail "$HOPCHECKD is not built"
command -v curl >/dev/null || bail "curl is not installed"
setup_tmp

# The core test keys, plus three keys to skip.
python3 - tests/data/core/keys.jwks.json "$T_TMP/mixed.jwks.json" <<'PY' ||
import json, sys
d = json.load(open(sys.argv[1]))
d["keys"] += [
    {"kty": "RSA", "kid": "old-rsa", "e": "AQAB",
     "n": "7YwWdhOtcSTV3ZMLv_84viQdIaSxQfZ8_4ISqvpD0B2odkXuuTnLXgXTWqIkm9YNYn"
          "FJRb_Vn2Dkal86x4717gurzEeyhApBbNuLum9B7y1Jf0M6Id6BQ-7srcNy1X_InC"
          "KiMNZp8OQ0or0Iv0K7BovDE-SSLu3HatpbQz93nBs"},
    {"kty": "EC", "kid": "enc-1", "use": "enc", "crv": "P-256",
     "x": d["keys"][-1].get("x", "AA"), "y": d["keys"][-1].get("y", "AA")},
    {"kty": "OKP", "kid": "ecdh", "crv": "X25519",
     "x": "hSDwCYkwp1R0i33ctD73Wg2_Og0mOBr066SpjqqbTmo"},
]
json.dump(d, open(sys.argv[2], "w"))
PY
    bail "cannot write the mixed JWKS"

PORT=$(free_port)
DEADPORT=$(free_port)
URL=http://127.0.0.1:$PORT
cat > "$T_TMP/keys.conf" <<EOF2
{
  "service": { "audiences": ["https://api.core.test"] },
  "issuers": [
    { "issuer": "https://issuer.core.test",
      "jwks_file": "$T_TMP/mixed.jwks.json", "algorithms": ["RS256", "ES256"] },
    { "issuer": "https://remote.test",
      "jwks_uri": "http://127.0.0.1:$DEADPORT/jwks.json",
      "allow_insecure_http": true, "algorithms": ["ES256"] }
  ],
  "fetch": { "connect_timeout_ms": 200, "timeout_ms": 500 },
  "daemon": { "listen": "127.0.0.1:$PORT" }
}
EOF2
LOG=$T_TMP/hopcheckd.log

# ------------------------------------------------------------- the daemon

"$HOPCHECKD" -f -c "$T_TMP/keys.conf" 2>"$LOG" &
DPID=$!
track "$DPID"
wait_http "$URL/healthz" 200 || bail "hopcheckd did not start"
wait_grep "$LOG" '"event":"keys.refresh_failed"' ||
    not_ok "a refresh failure is logged"

expect_match "log: the file's load, with its kids" \
    "$(grep '"event":"keys.loaded"' "$LOG")" \
    '"source":"https://issuer.core.test","origin":"jwks_file".*"kids":\[.*\],"skipped":3'
expect_match "log: a skipped key and why" \
    "$(grep '"event":"keys.skipped"' "$LOG")" \
    '"level":"warn".*"kid":"old-rsa","reason":"RSA key of 1024 bits, under 2048"'
expect_match "log: the ECDH key skipped" "$(cat "$LOG")" \
    '"kid":"ecdh","reason":"crv \\"X25519\\" is for key agreement'
expect_match "log: the refresh failure and its reason" \
    "$(grep '"event":"keys.refresh_failed"' "$LOG" | head -n 1)" \
    '"source":"https://remote.test","reason":"connection_refused","detail":"fetching http://127.0.0.1:[0-9]+/jwks.json: '
check "log: every line is JSON" python3 -c 'import json, sys
for line in open(sys.argv[1]):
    json.loads(line)' "$LOG"

req "$URL/v1/keys"
expect "GET /v1/keys: 200 JSON" "$CODE $(hdr Content-Type)" "200 application/json"
check "GET /v1/keys: sources, skipped keys, last error" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
a, b = d["sources"]
assert a["issuer"] == "https://issuer.core.test", a
assert a["origin"] == "jwks_file" and a["loaded_at"] > 0, a
assert {s["kid"] for s in a["skipped"]} == {"old-rsa", "enc-1", "ecdh"}, a
assert all(k["kty"] in ("RSA", "EC") for k in a["keys"]), a
assert a["last_error"] is None and a["ready"], a
assert b["issuer"] == "https://remote.test" and not b["ready"], b
assert b["last_error_kind"] == "connection_refused", b
assert "127.0.0.1" in b["last_error"] and b["next_refresh"] > 0, b
assert b["keys"] == [] and b["loaded_at"] is None, b
' "$T_TMP/body"
req -X POST "$URL/v1/keys"
expect "POST /v1/keys: 405" "$CODE $(hdr Allow)" "405 GET, HEAD"

stop_wait "$DPID" 5
expect "hopcheckd: exit 0" "$?" "0"

# -------------------------------------------------------------- the CLI

out=$("$H" keys --conf "$T_TMP/keys.conf")
expect "keys: exit 0" "$?" "0"
check "keys: the report, the fetch tried once" python3 -c '
import json, sys
d = json.loads(sys.argv[1])
a, b = d["sources"]
assert len(a["skipped"]) == 3 and a["keys"], a
assert b["last_error_kind"] == "connection_refused", b
' "$out"
out=$("$H" keys --conf "$T_TMP/keys.conf" --no-fetch)
expect "keys --no-fetch: exit 0" "$?" "0"
check "keys --no-fetch: nothing fetched, no error" python3 -c '
import json, sys
b = json.loads(sys.argv[1])["sources"][1]
assert b["last_error"] is None and b["next_refresh"] is None, b
' "$out"
tok=$(python3 -c 'import json; d = json.load(open("tests/data/core/tokens.json")); print([c["token"] for c in d["cases"] if c["name"] == "ok/es256"][0])')
hdr=$(python3 -c 'import base64, json; print(base64.urlsafe_b64encode(json.dumps({"alg": "RS256", "kid": "old-rsa", "typ": "at+jwt"}).encode()).decode().rstrip("="))')
out=$("$H" validate --conf "$T_TMP/keys.conf" --token "$hdr.${tok#*.}" --now 1767225600)
expect "a token naming a skipped kid: exit 1" "$?" "1"
expect_match "a token naming a skipped kid: key, and why" "$out" \
    '"status":"key","detail":"kid \\"old-rsa\\" was skipped: RSA key of 1024 bits, under 2048"'
"$H" keys --conf "$T_TMP/missing.conf" >/dev/null 2>&1
expect "keys with a missing file: exit 2" "$?" "2"
echo '{"keys": 1}' > "$T_TMP/bad.conf"
"$H" keys --conf "$T_TMP/bad.conf" >/dev/null 2>&1
expect "keys with a bad configuration: exit 2" "$?" "2"
"$H" keys >/dev/null 2>&1
expect "keys without --conf: exit 2" "$?" "2"

finish
