# SPDX-License-Identifier: Apache-2.0
# common.sh - helpers of the integration tests, sourced by each script.
#
# Every check prints "ok - NAME" or "not ok - NAME" (with a "#" line of
# diagnosis); finish prints the script's own count and sets its exit
# status.  Processes a test starts are registered with track and killed
# on exit, every wait is bounded, and everything listens on 127.0.0.1.

T_NAME=$(basename "$0" .sh)
T_PASS=0
T_FAIL=0
T_PIDS=""
T_TMP=""

ok() {
	T_PASS=$((T_PASS + 1))
	echo "ok - $1"
}

not_ok() {
	T_FAIL=$((T_FAIL + 1))
	echo "not ok - $1"
	shift
	for line in "$@"; do
		echo "#   $line"
	done
}

# expect NAME GOT WANT: exact string comparison.
expect() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1" "got:  $2" "want: $3"
	fi
}

# expect_match NAME TEXT PATTERN: TEXT matches the grep -E PATTERN.
expect_match() {
	if printf '%s\n' "$2" | grep -Eq -- "$3"; then
		ok "$1"
	else
		not_ok "$1" "got:  $2" "want: /$3/"
	fi
}

# check NAME COMMAND [ARGS...]: ok when the command succeeds.
check() {
	_n=$1
	shift
	if "$@"; then
		ok "$_n"
	else
		not_ok "$_n" "failed: $*"
	fi
}

# check_not NAME COMMAND [ARGS...]: ok when the command fails.
check_not() {
	_n=$1
	shift
	if "$@"; then
		not_ok "$_n" "succeeded: $*"
	else
		ok "$_n"
	fi
}

finish() {
	echo "# $T_NAME: $T_PASS passed, $T_FAIL failed"
	[ "$T_FAIL" -eq 0 ]
	exit $?
}

# bail REASON: a setup step failed; no point in going on.
bail() {
	not_ok "setup: $1"
	finish
}

# Kills whatever the test started, removes its directory.
cleanup() {
	for p in $T_PIDS; do
		stop_wait "$p" 3
	done
	[ -n "$T_TMP" ] && rm -rf "$T_TMP"
}

setup_tmp() {
	T_TMP=$(mktemp -d -t hopcheck-it.XXXXXX) ||
	    bail "mktemp"
	trap cleanup EXIT
	trap 'exit 1' INT TERM HUP
}

track() {
	T_PIDS="$T_PIDS $1"
}

untrack() {
	T_PIDS=$(echo " $T_PIDS " | sed "s/ $1 / /")
}

# stop_wait PID SECONDS: SIGTERM, then wait at most SECONDS for the exit.
# Returns the exit status (137 or so when it had to be killed).
stop_wait() {
	kill -TERM "$1" 2>/dev/null
	(sleep "$2"; kill -KILL "$1" 2>/dev/null) &
	_wd=$!
	wait "$1"
	_rc=$?
	kill "$_wd" 2>/dev/null
	wait "$_wd" 2>/dev/null
	untrack "$1"
	return $_rc
}

# A loopback TCP port that was free a moment ago.
free_port() {
	python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

# wait_http URL CODE [CURL ARGS...]: polls (at most 10 s) until URL
# answers CODE.
wait_http() {
	_url=$1
	_want=$2
	shift 2
	_i=0
	while [ $_i -lt 100 ]; do
		_got=$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$@" \
		    "$_url" 2>/dev/null)
		[ "$_got" = "$_want" ] && return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	return 1
}

# req [CURL ARGS...]: one request; the status code in $CODE, the
# headers in $T_TMP/headers, the body in $T_TMP/body.
req() {
	# shellcheck disable=SC2034  # read by the scripts that source this
	CODE=$(curl -s --max-time 5 -o "$T_TMP/body" -D "$T_TMP/headers" \
	    -w '%{http_code}' "$@")
}

# hdr NAME: the value of response header NAME of the last req.
hdr() {
	tr -d '\r' < "$T_TMP/headers" | awk -v n="$1" '
	    BEGIN { n = tolower(n) ":" }
	    tolower(substr($0, 1, length(n))) == n {
		v = substr($0, length(n) + 1); sub(/^[ \t]+/, "", v); print v; exit
	    }'
}

body() {
	cat "$T_TMP/body"
}

# wait_grep FILE PATTERN: polls (at most 5 s) until FILE has PATTERN.
wait_grep() {
	_i=0
	while [ $_i -lt 50 ]; do
		grep -q -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	return 1
}

# The interpreter with jwcrypto, which signs the tests' tokens.
PY_JOSE=${PY_JOSE:-/usr/bin/python3}

# mint DIR [--cert NAME=PEM ...]: fresh keys and tokens into DIR/tokens.sh.
mint() {
	_dir=$1
	shift
	"$PY_JOSE" tools/vectors/gen_integration_tokens.py live --dir "$_dir" "$@" ||
	    bail "tools/vectors/gen_integration_tokens.py (needs $PY_JOSE with jwcrypto)"
}

# from_template IN OUT: copies IN replacing @TMP@, @DATA@, @PORT@,
# @HCPORT@ and @DEADPORT@ with the variables of the same names.
from_template() {
	sed -e "s|@TMP@|$T_TMP|g" -e "s|@DATA@|${DATA:-}|g" \
	    -e "s|@PORT@|${PORT:-}|g" -e "s|@HCPORT@|${HCPORT:-}|g" \
	    -e "s|@DEADPORT@|${DEADPORT:-}|g" "$1" > "$2" ||
	    bail "template $1"
}
