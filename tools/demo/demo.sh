#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# demo.sh - start hopcheckd on loopback with a local key set, send it the
# tokens of a user -> gateway -> orders -> payments call chain, and show
# each verdict with its reason; then stop the daemon.
set -eu
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}

tmp=$(mktemp -d)
pid=""
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

now=$(date +%s)
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
/usr/bin/python3 tools/demo/mint.py "$tmp" "$now"
sed "s/@PORT@/$port/" tools/demo/hopcheck.demo.conf > "$tmp/hopcheck.conf"

"$BUILD/hopcheckd" -c "$tmp/hopcheck.conf" 2>"$tmp/hopcheckd.log" &
pid=$!
i=0
until curl -sf "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; do
	i=$((i + 1))
	if [ $i -gt 50 ] || ! kill -0 "$pid" 2>/dev/null; then
		echo "hopcheckd did not become ready:" >&2
		cat "$tmp/hopcheckd.log" >&2
		exit 1
	fi
	sleep 0.1
done

echo "hopcheckd is listening on 127.0.0.1:$port (pid $pid), keys from $tmp/sts.jwks.json"
echo "service: https://payments.internal; route POST /v1/payments needs payments:write"
echo
/usr/bin/python3 - "$tmp/cases.json" "$port" <<'PY'
import json, sys, urllib.request
cases, port = json.load(open(sys.argv[1])), sys.argv[2]
for c in cases:
    body = dict(c["request"], token=c["token"])
    r = urllib.request.Request(f"http://127.0.0.1:{port}/v1/validate",
                               data=json.dumps(body).encode(),
                               headers={"Content-Type": "application/json"})
    try:
        res = json.load(urllib.request.urlopen(r, timeout=5))
    except urllib.error.HTTPError as e:
        res = json.load(e)
    verdict = "ACCEPT" if res["status"] == "ok" else "REJECT"
    print(f"{verdict}  {res['status']:<12} {c['what']}")
    if res["status"] == "ok":
        chain = " <- ".join(res.get("actors", []))
        print(f"        subject {res.get('subject')}, actors {chain}, scope {res.get('scope')}")
    else:
        print(f"        {res['detail']}")
PY
echo
echo "hopcheckd logged $(grep -c '"status"' "$tmp/hopcheckd.log" || true) decisions as JSON lines (never token bytes); the last one:"
grep '"status"' "$tmp/hopcheckd.log" | tail -n 1
