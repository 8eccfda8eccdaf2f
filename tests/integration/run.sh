#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# run.sh BUILD - the integration tests (make integration): runs every
# tests/integration/*.sh but this one, from the top of the tree, shows
# their "ok - " / "not ok - " lines, and closes with one line over all of
# them: "integration: N passed, N failed".  Exits non-zero when a check
# failed or a script failed without saying which check.
set -u
build=${1:-build}
pass=0
fail=0
bad=""
out=$(mktemp -t hopcheck-run.XXXXXX) || exit 1
trap 'rm -f "$out" "$out.rc"' EXIT
for t in tests/integration/*.sh; do
	[ "$(basename "$t")" = run.sh ] && continue
	echo "# $t"
	{ sh "$t" "$build" 2>&1; echo $? > "$out.rc"; } | tee "$out"
	rc=$(cat "$out.rc")
	p=$(grep -c '^ok - ' "$out")
	f=$(grep -c '^not ok - ' "$out")
	pass=$((pass + p))
	fail=$((fail + f))
	if [ "$rc" -ne 0 ]; then
		bad="$bad $(basename "$t")"
		[ "$f" -gt 0 ] || fail=$((fail + 1))
	fi
done
echo "integration: $pass passed, $fail failed"
[ -z "$bad" ] || { echo "failing scripts:$bad"; exit 1; }
[ "$pass" -gt 0 ] || { echo "no integration test ran"; exit 1; }
