#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# run.sh BUILD - give every libFuzzer target a short run (seconds, not
# minutes) from its seed corpus.  A finding fails the run; the crashing
# input is left in BUILD/fuzz-artifacts/.
set -u
build=${1:-build-fuzz}
secs=${FUZZ_SECONDS:-8}
mkdir -p "$build/fuzz-artifacts"
pass=0
fail=0
for f in "$build"/fuzz_*; do
	[ -x "$f" ] || continue
	name=$(basename "$f" | sed 's/^fuzz_//')
	work="$build/fuzz-corpus/$name"
	mkdir -p "$work"
	if "$f" -max_total_time="$secs" -max_len=20000 -timeout=5 \
	    -rss_limit_mb=2048 -print_final_stats=0 \
	    -artifact_prefix="$build/fuzz-artifacts/$name-" \
	    "$work" "tests/fuzz/corpus/$name" >"$build/fuzz-$name.log" 2>&1; then
		runs=$(grep -o 'Done [0-9]* runs' "$build/fuzz-$name.log" | tail -n 1)
		echo "fuzz $name: ok (${runs:-done})"
		pass=$((pass + 1))
	else
		echo "fuzz $name: FAILED"
		tail -n 30 "$build/fuzz-$name.log"
		fail=$((fail + 1))
	fi
done
echo "fuzz: $pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
