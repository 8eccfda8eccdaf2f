#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# format-check.sh [BASE] - fail when the C lines changed since BASE (default
# HEAD: the uncommitted change) are not formatted as .clang-format says.
#
# The check is on changed lines, the way a pre-commit hook works: the tree
# predates the .clang-format file, and clang-format 14 cannot express two
# habits it keeps (adjacent string literals packed with their arguments,
# trailing comments aligned on a column), so a whole-tree reformat would
# churn about a tenth of the lines for no reader's benefit.  New and changed
# code must conform.  `make format-check FORMAT_BASE=v0.1.0` checks a series
# of commits; `make format` reformats whole files.
set -eu
base=${1:-HEAD}
command -v git-clang-format >/dev/null 2>&1 || {
	echo "format-check: git-clang-format not found (Debian package clang-format)" >&2
	exit 2
}
out=$(git clang-format --quiet --diff --extensions c,h "$base" -- include src tools tests 2>&1) || true
case "$out" in
"" | "no modified files to format" | *"did not modify any files"*)
	echo "format-check: ok (lines changed since $base are formatted)"
	exit 0 ;;
esac
printf '%s\n' "$out"
echo "format-check: the lines above (changed since $base) are not formatted; run git clang-format $base" >&2
exit 1
