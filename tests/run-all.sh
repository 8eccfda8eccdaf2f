#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# run-all.sh - every test stage of `make test`, in order, then one closing
# line over all of them: "tests: N passed, N failed[, N skipped]" (a case
# skipped because the crypto backend lacks what it needs is never counted
# as passed).  Stops at the first stage that fails.  unit-openssl and
# vectors-openssl run the unit suites and the vectors again on the OpenSSL
# backend (make CRYPTO=openssl, in build-openssl/); their counts lines are
# labelled so.  `make CRYPTO=openssl test` runs every stage on the OpenSSL
# build instead (the sanitizers in build-asan-openssl/ and so on).
set -u
MAKE=${MAKE:-make}
log=$(mktemp)
rcf=$(mktemp)
trap 'rm -f "$log" "$rcf"' EXIT
for stage in unit vectors unit-openssl vectors-openssl integration asan \
    tsan fuzz-smoke; do
	case $stage in
	*-openssl)
		# A whole run on the OpenSSL build has done these already.
		[ "${CRYPTO:-mbedtls}" = openssl ] && continue
		set -- CRYPTO=openssl "${stage%-openssl}" ;;
	*) set -- "$stage" ;;
	esac
	echo "== $stage"
	{ $MAKE --no-print-directory "$@" 2>&1; echo $? > "$rcf"; } |
	    tee -a "$log"
	if [ "$(cat "$rcf")" != 0 ]; then
		echo "tests: stage $stage failed"
		exit 1
	fi
done
grep -E "^[a-z-]+: [0-9]+ passed, [0-9]+ failed" "$log" | awk '
	{ p += $2; f += $4; if ($7 == "skipped") s += $6 }
	END {
		printf "tests: %d passed, %d failed", p, f
		if (s > 0)
			printf ", %d skipped", s
		printf "\n"
		exit f != 0
	}'
