#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# daemon.sh - hopcheckd's /v1/authz under wrk, beside nginx `return 200`,
# on loopback, in one run.
#
#   bench/daemon.sh [--duration S] [--threads N] [--connections N]
#                   [--tokens N]
#
# Builds both backends (make, make CRYPTO=openssl), makes fresh keys and
# tokens (bench/gen_daemon_tokens.py, into bench/out/daemon/), and then,
# with the same wrk threads, connections and duration for every row:
#   1. nginx `return 200` (the floor: an HTTP server that does nothing);
#   2. hopcheckd on each backend, ES256 and RS256, with the token cache on
#      (one token, so every request after the first is a hit) and off
#      (cache.max_entries 0: every request verifies the signature);
#   3. nginx again, so that a slow spell of the machine shows;
#   4. hopcheckd's resident set (VmRSS) on each backend, before and after
#      10,000 distinct ~600-byte tokens have been validated once each, all
#      of them then in the cache.
# It prints requests per second, p50 and p99 latency, each hopcheckd row's
# ratio to nginx (the mean of the two nginx runs), OpenSSL over mbedTLS
# for the cold ES256 rows, and the RSS per cached entry.  The report is
# also left in bench/out/daemon/report.txt.  Every server is started and
# stopped here, by its own process id, on ports 18480-18483 of 127.0.0.1.
# About 2 minutes.  Nothing here is a test: no number is asserted.
set -eu

cd "$(dirname "$0")/.."
DUR=5
THREADS=2
CONNS=32
NTOK=10000
while [ $# -gt 0 ]; do
	case $1 in
	--duration) DUR=$2; shift 2 ;;
	--threads) THREADS=$2; shift 2 ;;
	--connections) CONNS=$2; shift 2 ;;
	--tokens) NTOK=$2; shift 2 ;;
	*) echo "usage: bench/daemon.sh [--duration S] [--threads N]" \
	    "[--connections N] [--tokens N]" >&2; exit 2 ;;
	esac
done

OUT=bench/out/daemon
NGINX_PORT=18480
HCD_PORT=18481
for c in wrk nginx /usr/bin/python3; do
	command -v "$c" >/dev/null 2>&1 || {
		echo "bench/daemon.sh: $c is needed (Debian: wrk, nginx," \
		    "python3-cryptography)" >&2
		exit 1
	}
done

make --no-print-directory -j2 all >&2
make --no-print-directory -j2 CRYPTO=openssl all >&2
rm -rf "$OUT"
mkdir -p "$OUT/nginx/logs"
NOW=$(date +%s)
/usr/bin/python3 bench/gen_daemon_tokens.py "$OUT" "$NOW" "$NTOK"
ABS=$(cd "$OUT" && pwd)

# ------------------------------------------------------------- servers
PIDS=""
cleanup() {
	for p in $PIDS; do
		kill "$p" 2>/dev/null || true
	done
}
trap cleanup EXIT INT TERM

# Waits until something answers on 127.0.0.1:$1 (at most 10 s).
wait_port() {
	i=0
	while ! curl -s -o /dev/null "http://127.0.0.1:$1/" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 100 ] || { echo "nothing on port $1" >&2; return 1; }
		sleep 0.1
	done
}

cat > "$OUT/nginx/nginx.conf" <<EOF
worker_processes $THREADS;
pid $ABS/nginx/nginx.pid;
error_log $ABS/nginx/logs/error.log warn;
daemon off;
events { worker_connections 1024; }
http {
	access_log off;
	client_body_temp_path $ABS/nginx/body;
	proxy_temp_path $ABS/nginx/proxy;
	fastcgi_temp_path $ABS/nginx/fastcgi;
	uwsgi_temp_path $ABS/nginx/uwsgi;
	scgi_temp_path $ABS/nginx/scgi;
	server {
		listen 127.0.0.1:$NGINX_PORT;
		location / { return 200; }
	}
}
EOF

# hopcheckd's configuration: the cache at $1 entries.
hcd_conf() {
	cat > "$OUT/hopcheck-$1.conf" <<EOF
{
  "service": { "audiences": ["https://payments.internal"] },
  "clock_skew_s": 30,
  "issuers": [{
    "issuer": "https://sts.example.org",
    "jwks_file": "jwks.json",
    "algorithms": ["ES256", "RS256"],
    "token_types": ["JWT"],
    "max_lifetime_s": 3600,
    "required_claims": ["jti"]
  }],
  "routes": [{
    "method": "GET", "path": "/v1/payments",
    "scopes": ["payments:read"], "tenant_claim": "tenant"
  }],
  "cache": { "max_entries": $1 },
  "daemon": {
    "listen": "127.0.0.1:$HCD_PORT",
    "threads": $THREADS,
    "tenant_header": "x-tenant",
    "log_level": "error"
  }
}
EOF
}
hcd_conf 0
hcd_conf 20000

HCD_PID=""
# Starts hopcheckd of build folder $1 with the cache at $2 entries.
hcd_start() {
	"$1/hopcheckd" -c "$OUT/hopcheck-$2.conf" >"$OUT/hopcheckd.log" 2>&1 &
	HCD_PID=$!
	PIDS="$PIDS $HCD_PID"
	wait_port "$HCD_PORT"
}

hcd_stop() {
	kill "$HCD_PID" 2>/dev/null || true
	wait "$HCD_PID" 2>/dev/null || true
	HCD_PID=""
}

rss_kib() {
	sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$1/status"
}

# One wrk run; prints "req/s p50 p99" (latencies in microseconds).
run_wrk() {
	url=$1
	shift
	wrk -t"$THREADS" -c"$CONNS" -d"${DUR}s" --latency "$@" "$url" \
	    > "$OUT/wrk.txt" 2>&1 || true
	awk '
	function us(v) {
		if (v ~ /us$/) return v + 0
		if (v ~ /ms$/) return v * 1000
		if (v ~ /s$/) return v * 1000000
		return v
	}
	$1 == "Requests/sec:" { rps = $2 }
	$1 == "50%" { p50 = us($2) }
	$1 == "99%" { p99 = us($2) }
	/Non-2xx/ { bad = $NF }
	END { printf "%.0f %.0f %.0f %s\n", rps, p50, p99, bad == "" ? 0 : bad }
	' "$OUT/wrk.txt"
}

authz() {
	run_wrk "http://127.0.0.1:$HCD_PORT/v1/authz" \
	    -H "Authorization: Bearer $(tr -d '\n' < "$OUT/$1.jwt")" \
	    -H "X-Original-Method: GET" -H "X-Original-URI: /v1/payments" \
	    -H "X-Tenant: acme"
}

RESULTS=$OUT/results.txt
: > "$RESULTS"
row() {
	echo "$1 $2" >> "$RESULTS"
	echo "  $1: $2" >&2
}

nginx -c "$ABS/nginx/nginx.conf" -p "$ABS/nginx" >/dev/null 2>&1 &
NGINX_PID=$!
PIDS="$PIDS $NGINX_PID"
wait_port "$NGINX_PORT"

echo "bench/daemon.sh: wrk -t$THREADS -c$CONNS -d${DUR}s per row" >&2
row nginx1 "$(run_wrk "http://127.0.0.1:$NGINX_PORT/")"
for b in mbedtls openssl; do
	dir=build
	[ "$b" = openssl ] && dir=build-openssl
	hcd_start "$dir" 20000
	for alg in es256 rs256; do
		row "$b-cached-$alg" "$(authz "$alg")"
	done
	hcd_stop
	hcd_start "$dir" 0
	for alg in es256 rs256; do
		row "$b-cold-$alg" "$(authz "$alg")"
	done
	hcd_stop
done
row nginx2 "$(run_wrk "http://127.0.0.1:$NGINX_PORT/")"

# Memory: every one of the tokens validated once, so all are cached.
cat > "$OUT/tokens.lua" <<EOF
local toks = {}
for line in io.lines("$ABS/tokens.txt") do toks[#toks + 1] = line end
local i = 0
request = function()
	i = i % #toks + 1
	return wrk.format("GET", "/v1/authz", {
		["Authorization"] = "Bearer " .. toks[i],
		["X-Original-Method"] = "GET",
		["X-Original-URI"] = "/v1/payments",
		["X-Tenant"] = "acme" })
end
EOF
for b in mbedtls openssl; do
	dir=build
	[ "$b" = openssl ] && dir=build-openssl
	hcd_start "$dir" 20000
	before=$(rss_kib "$HCD_PID")
	# Enough requests to go through every token at least once.
	secs=$DUR
	[ "$b" = mbedtls ] && secs=$((DUR * 4))
	wrk -t1 -c"$CONNS" -d"${secs}s" -s "$OUT/tokens.lua" \
	    "http://127.0.0.1:$HCD_PORT/v1/authz" > "$OUT/wrk-fill.txt" 2>&1 || true
	entries=$(curl -s "http://127.0.0.1:$HCD_PORT/metrics" |
	    sed -n 's/^hopcheck_cache_entries[^ ]* \([0-9]*\).*/\1/p' | head -n 1)
	after=$(rss_kib "$HCD_PID")
	row "$b-rss" "$before $after ${entries:-?}"
	hcd_stop
done

# --------------------------------------------------------------- report
{
	echo "hopcheckd benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "cpu:      $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo |
	    head -n 1), $(nproc) cores online, load $(cut -d' ' -f1-3 \
	    /proc/loadavg)"
	echo "versions: $(wrk -v 2>&1 | head -n 1 | cut -d' ' -f1-2);" \
	    "$(nginx -v 2>&1 | sed 's/.*: //'); $(build/hopcheck version 2>&1 |
	    tr '\n' ' ')/ $(build-openssl/hopcheck version 2>&1 | tr '\n' ' ')"
	echo "wrk:      -t$THREADS -c$CONNS -d${DUR}s, GET /v1/authz on 127.0.0.1;" \
	    "tokens $(tr -d '\n' < "$OUT/es256.jwt" | wc -c) B (ES256)," \
	    "$(tr -d '\n' < "$OUT/rs256.jwt" | wc -c) B (RS256)"
	echo
	awk '
	{ v[$1] = $2; p50[$1] = $3; p99[$1] = $4; bad[$1] = $5; rss2[$1] = $3
	  order[++n] = $1 }
	END {
		ng = (v["nginx1"] + v["nginx2"]) / 2
		printf "%-22s %10s %9s %9s %9s %6s\n", "server", "req/s",
		    "p50 us", "p99 us", "vs nginx", "non2xx"
		for (i = 1; i <= n; i++) {
			k = order[i]
			if (k ~ /-rss$/) continue
			printf "%-22s %10d %9d %9d %8.2fx %6s\n", k, v[k], p50[k],
			    p99[k], (ng > 0 ? v[k] / ng : 0), bad[k]
		}
		print ""
		if (v["mbedtls-cold-es256"] > 0)
			printf "OpenSSL / mbedTLS, cold ES256 req/s: %.2fx\n",
			    v["openssl-cold-es256"] / v["mbedtls-cold-es256"]
		print ""
		printf "%-10s %12s %12s %9s %14s\n", "backend", "RSS before",
		    "RSS after", "entries", "per entry"
		for (i = 1; i <= n; i++) {
			k = order[i]
			if (k !~ /-rss$/) continue
			split(k, parts, "-")
			e = p99[k]
			printf "%-10s %9d KiB %9d KiB %9s %11.0f B\n", parts[1],
			    v[k], p50[k], e,
			    (e > 0 ? (p50[k] - v[k]) * 1024 / e : 0)
		}
	}' "$RESULTS"
} | tee "$OUT/report.txt"
