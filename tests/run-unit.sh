#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# run-unit.sh BUILD [LABEL [TEST...]] - run every CUnit program in
# BUILD/tests (or only the named ones), show each summary, and close with one
# line over all of them: "LABEL: N passed, N failed".
set -u
build=${1:-build}
label=${2:-unit}
[ $# -ge 2 ] && shift 2 || shift $#
only="$*"
total_pass=0
total_fail=0
bad=""
for t in "$build"/tests/*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	if [ -n "$only" ]; then
		case " $only " in *" $name "*) ;; *) continue ;; esac
	fi
	out=$("$t" 2>&1)
	rc=$?
	echo "$out" | grep -E "^\s+(suites|tests|asserts)\s" | sed "s/^/[$name] /"
	line=$(echo "$out" | awk '$1 == "tests" {print $3, $4, $5}' | tail -n 1)
	set -- $line
	if [ $# -eq 3 ]; then
		total_pass=$((total_pass + $2))
		total_fail=$((total_fail + $3))
	fi
	if [ $rc -ne 0 ]; then
		bad="$bad $name"
		echo "$out" | tail -n 40
		[ $# -eq 3 ] || total_fail=$((total_fail + 1))
	fi
done
echo "$label: $total_pass passed, $total_fail failed"
[ -z "$bad" ] || { echo "failing programs:$bad"; exit 1; }
[ "$total_pass" -gt 0 ] || { echo "no tests ran"; exit 1; }
