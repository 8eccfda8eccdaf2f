#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# run.sh - build and run hopcheck's benchmarks, and print one report.
#
#   bench/run.sh [--quick] [--no-callgrind]
#
# Installs what it needs when run as root (libssl-dev, libjwt-dev,
# valgrind), builds both builds of the library (make, make CRYPTO=openssl)
# and the benchmark (bench/Makefile), then prints, for ES256, RS256, PS256
# and HS256 tokens:
#   1. what hopcheck and libjwt accept among tokens that should be refused;
#   2. time and memory per validation: hopcheck's hc_validate() on each
#      backend, cold (cache off) and as a cache hit, the bare signature
#      check of mbedTLS and of OpenSSL 3, libjwt's jwt_decode(), with
#      ratios to the two raw backends;
#   3. `jose` jwtVerify() on Node, when node 18 or later is there (jose is
#      installed with npm into bench/out/node; otherwise the row is skipped
#      with a note);
#   4. the ratios the performance work aims at, each from this one run;
#   5. instructions per validation under callgrind (deterministic, so it
#      shows hopcheck's own cost even on a busy machine).
# The report is also written to bench/out/report.txt, the table to
# bench/out/results.tsv.  Takes about three minutes on two cores.  It is
# not a test: nothing here passes or fails on speed.
set -eu

cd "$(dirname "$0")/.."
OUT=bench/out
ROUNDS=5
CALLGRIND=1
for arg in "$@"; do
	case $arg in
	--quick) ROUNDS=1 ;;
	--no-callgrind) CALLGRIND=0 ;;
	*) echo "usage: bench/run.sh [--quick] [--no-callgrind]" >&2; exit 2 ;;
	esac
done

# ------------------------------------------------------------- packages
PKGS="libssl-dev libjwt-dev valgrind libmbedtls-dev libcjson-dev"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
	    missing="$missing $p"
done
if [ -n "$missing" ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "bench: missing Debian packages:$missing (run as root, or:" \
		    "apt-get install -y$missing)" >&2
		exit 1
	fi
	echo "bench: installing:$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
command -v valgrind >/dev/null 2>&1 || CALLGRIND=0

# ---------------------------------------------------------------- build
make --no-print-directory -j2 all >&2
make --no-print-directory -j2 CRYPTO=openssl all >&2
make --no-print-directory -C bench >&2
mkdir -p "$OUT"
BIN=$OUT/bench

# --------------------------------------------------------------- report
version() {
	dpkg-query -W -f='${Version}' "$1" 2>/dev/null || echo "?"
}

report() {
	echo "hopcheck benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "cpu:      $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo |
	    head -n 1), $(nproc) cores online, load $(cut -d' ' -f1-3 \
	    /proc/loadavg)"
	echo "kernel:   $(uname -sr); compiler: $(cc --version | head -n 1)"
	echo "packages: mbedTLS $(version libmbedtls-dev)," \
	    "OpenSSL $(version libssl-dev), libjwt $(version libjwt-dev)," \
	    "node $(node --version 2>/dev/null || echo none)"
	echo "tokens:   $(for a in es256 rs256 ps256 hs256; do
	    printf '%s %s B  ' "$a" "$(tr -d '\n' < bench/data/tokens/$a.jwt |
	    wc -c)"; done)"
	echo

	echo "== 1. What is checked (untimed; bench/README.md explains) =="
	probe_rc=0
	"$BIN" --probe || probe_rc=$?
	echo

	echo "== 2. Time and memory per validation ($ROUNDS round(s)) =="
	echo "   median of the batches; iqr% = interquartile range / median;"
	echo "   vs mbed / vs ossl = time / time of the raw mbedTLS / OpenSSL"
	echo "   signature check of the same token; allocs, bytes = heap calls"
	echo "   and bytes asked per validation; peakheap = most live heap"
	echo "   during one (bytes); rssKiB = peak RSS of the measuring"
	echo "   process, +rss = its growth over the process at start"
	time_rc=0
	"$BIN" --rounds "$ROUNDS" --tsv "$OUT/results.tsv" || time_rc=$?
	echo

	echo "== 3. jose on Node (jwtVerify: signature, iss, aud, times, jti) =="
	: > "$OUT/jose.txt"
	nodev=$(node --version 2>/dev/null || true)
	major=$(echo "$nodev" | sed -n 's/^v\([0-9]*\)\..*/\1/p')
	if [ -z "$major" ] || [ "$major" -lt 18 ]; then
		echo "skipped: node 18 or later is needed (found: ${nodev:-none})"
	elif ! (mkdir -p "$OUT/node" && cd "$OUT/node" &&
	    { [ -f node_modules/jose/package.json ] ||
	    npm install --no-audit --no-fund --silent jose@5 >/dev/null 2>&1; }); then
		echo "skipped: npm could not install jose into $OUT/node"
	else
		echo "node $nodev, jose $(node -p "require('./$OUT/node/node_modules/jose/package.json').version")"
		node bench/jose_bench.mjs "$OUT/node" bench/data "$ROUNDS" \
		    > "$OUT/jose.txt" || echo "jose run failed"
		awk '{ printf "%-5s  jose jwtVerify %9.0f op/s %9.2f us/op  iqr %s%%\n",
		    $1, 1e6 / $2, $2, $3 }' "$OUT/jose.txt"
	fi
	echo

	echo "== 4. Ratios aimed at (speed: the other's time / hopcheck's) =="
	awk -v josefile="$OUT/jose.txt" '
	BEGIN {
		while ((getline line < josefile) > 0) {
			split(line, f, " ")
			us[f[1], "jose"] = f[2]
		}
	}
	NR > 1 { us[$1, $2] = $4 }
	function ratio(a, ia, b, ib, want, what) {
		x = us[a, ia]; y = us[b, ib]
		if (x == "" || y == "" || y <= 0) {
			printf "  %-58s %8s  (target >= %s)\n", what, "n/a", want
			return
		}
		printf "  %-58s %7.2fx  (target >= %sx: %s)\n", what, x / y,
		    want, (x / y >= want ? "met" : "NOT met")
	}
	END {
		ratio("ES256", "openssl", "ES256", "hopcheck-openssl", 0.85,
		    "ES256 cold, OpenSSL build vs raw OpenSSL verify")
		ratio("ES256", "jose", "ES256", "hopcheck-openssl", 2,
		    "ES256 cold, OpenSSL build vs jose")
		ratio("ES256", "libjwt", "ES256", "hopcheck-openssl", 5,
		    "ES256 cold, OpenSSL build vs libjwt")
		ratio("RS256", "openssl", "RS256", "hopcheck-openssl", 0.75,
		    "RS256 cold, OpenSSL build vs raw OpenSSL verify")
		ratio("RS256", "jose", "RS256", "hopcheck-openssl", 3,
		    "RS256 cold, OpenSSL build vs jose")
		ratio("RS256", "hopcheck", "RS256", "hit", 20,
		    "RS256 cache hit vs cold, mbedTLS build")
	}' "$OUT/results.tsv"
	echo "  (allocations per hit and cold: the allocs column above;" \
	    "tests/test_alloc.c holds them to 8 and 16)"
	echo

	[ "$CALLGRIND" -eq 1 ] || return $((probe_rc | time_rc))
	echo "== 5. Instructions per validation (valgrind --tool=callgrind) =="
	: > "$OUT/callgrind.txt"
	for alg in ES256 RS256 PS256 HS256; do
		for impl in hopcheck hopcheck-openssl hit hit-openssl mbedtls \
		    openssl libjwt; do
			n=20
			f="$OUT/callgrind.$impl.$alg"
			rc=0
			valgrind --tool=callgrind --collect-atstart=no \
			    --toggle-collect=bench_ops --callgrind-out-file="$f" \
			    "$BIN" --ops "$impl" "$alg" "$n" \
			    >/dev/null 2>"$OUT/callgrind.log" || rc=$?
			if [ "$rc" -eq 0 ]; then
				ir=$(sed -n 's/^totals: *//p' "$f" | cut -d' ' -f1)
				echo "$alg $impl $((ir / n))" >> "$OUT/callgrind.txt"
			elif [ "$rc" -eq 3 ]; then
				echo "$alg $impl n/a" >> "$OUT/callgrind.txt"
			else
				echo "$alg $impl error" >> "$OUT/callgrind.txt"
			fi
			rm -f "$f"
		done
	done
	awk '
	{ ir[$1, $2] = $3; if (!($1 in seen)) { seen[$1] = 1; algs[++n] = $1 } }
	END {
		printf "%-5s  %-16s %12s %8s %8s\n", "alg", "impl", "instr/op",
		    "vs mbed", "vs ossl"
		split("hopcheck hopcheck-openssl hit hit-openssl mbedtls " \
		    "openssl libjwt", impls, " ")
		for (i = 1; i <= n; i++) {
			a = algs[i]; m = ir[a, "mbedtls"]; o = ir[a, "openssl"]
			for (j = 1; j <= 7; j++) {
				v = ir[a, impls[j]]
				if (v !~ /^[0-9]+$/) {
					printf "%-5s  %-16s %12s\n", a, impls[j], v
					continue
				}
				printf "%-5s  %-16s %12d %7.2fx %7.2fx\n", a, impls[j],
				    v, v / m, v / o
			}
		}
		print ""
		print "hopcheck over its raw backend, instructions per token " \
		    "(parsing + policy), and cold / hit:"
		for (i = 1; i <= n; i++) {
			a = algs[i]
			if (ir[a, "hopcheck"] ~ /^[0-9]+$/)
				printf "  %s  mbedTLS +%d  OpenSSL +%d  cold/hit " \
				    "%.1fx (mbedTLS) %.1fx (OpenSSL)\n", a, \
				    ir[a, "hopcheck"] - ir[a, "mbedtls"], \
				    ir[a, "hopcheck-openssl"] - ir[a, "openssl"], \
				    ir[a, "hopcheck"] / ir[a, "hit"], \
				    ir[a, "hopcheck-openssl"] / ir[a, "hit-openssl"]
		}
	}' "$OUT/callgrind.txt"
	if grep -q " error$" "$OUT/callgrind.txt"; then
		echo "callgrind runs failed; see $OUT/callgrind.log"
		time_rc=1
	fi
	return $((probe_rc | time_rc))
}

# The report goes to stdout and to bench/out/report.txt as it is made;
# progress goes to stderr only.
rm -f "$OUT/.status"
{ rc=0; report || rc=$?; echo "$rc" > "$OUT/.status"; } | tee "$OUT/report.txt"
status=$(cat "$OUT/.status" 2>/dev/null || echo 1)
rm -f "$OUT/.status"
if [ "$status" -ne 0 ]; then
	echo "bench: a hopcheck verdict differs from the expected one, or a" \
	    "measurement failed: see the report above" >&2
fi
exit "$status"
