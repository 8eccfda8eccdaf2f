#!/bin/sh
# run.sh - build and run hopcheck's benchmarks, and print one report.
#
#   bench/run.sh [--quick] [--no-callgrind]
#
# Installs what it needs when run as root (libssl-dev, libjwt-dev,
# valgrind), builds the library (make) and the benchmark (bench/Makefile),
# then prints, for ES256, RS256, PS256 and HS256 tokens:
#   1. what hopcheck and libjwt accept among tokens that should be refused;
#   2. time and memory per validation: hopcheck's hc_validate(), the bare
#      signature check of mbedTLS and of OpenSSL 3, libjwt's jwt_decode(),
#      with ratios to the two raw backends;
#   3. instructions per validation under callgrind (deterministic, so it
#      shows hopcheck's own cost even on a busy machine).
# The report is also written to bench/out/report.txt, the table to
# bench/out/results.tsv.  Takes about a minute on two cores.  It is not a
# test: nothing here passes or fails on speed.
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
make --no-print-directory -j2 build/libhopcheck.a >&2
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
	    "OpenSSL $(version libssl-dev), libjwt $(version libjwt-dev)"
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

	[ "$CALLGRIND" -eq 1 ] || return $((probe_rc | time_rc))
	echo "== 3. Instructions per validation (valgrind --tool=callgrind) =="
	: > "$OUT/callgrind.txt"
	for alg in ES256 RS256 PS256 HS256; do
		for impl in hopcheck mbedtls openssl libjwt; do
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
		printf "%-5s  %-9s %12s %8s %8s\n", "alg", "impl", "instr/op",
		    "vs mbed", "vs ossl"
		split("hopcheck mbedtls openssl libjwt", impls, " ")
		for (i = 1; i <= n; i++) {
			a = algs[i]; m = ir[a, "mbedtls"]; o = ir[a, "openssl"]
			for (j = 1; j <= 4; j++) {
				v = ir[a, impls[j]]
				if (v !~ /^[0-9]+$/) {
					printf "%-5s  %-9s %12s\n", a, impls[j], v
					continue
				}
				printf "%-5s  %-9s %12d %7.2fx %7.2fx\n", a, impls[j],
				    v, v / m, v / o
			}
		}
		print ""
		print "hopcheck over raw mbedTLS, instructions per token " \
		    "(parsing + policy):"
		for (i = 1; i <= n; i++) {
			a = algs[i]
			if (ir[a, "hopcheck"] ~ /^[0-9]+$/)
				printf "  %s  +%d\n", a, \
				    ir[a, "hopcheck"] - ir[a, "mbedtls"]
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
