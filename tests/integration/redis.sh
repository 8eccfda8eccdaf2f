#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# redis.sh BUILD - two hopcheckd processes sharing one redis-server.
#
# Starts a redis-server of its own on a free loopback port (requirepass,
# no persistence, its directory in the test's), and two BUILD/hopcheckd
# processes whose one-time-use route POST /pay spends jti values in it
# (configuration: tests/integration/data/redis.conf.in, replay.pool_size
# 2), with tokens minted for this run by jwcrypto, and checks:
#   - a token spent on the first daemon is refused (replay) on the second,
#     and on the first again;
#   - with different replay.namespace values (the second reloaded with
#     SIGHUP) each daemon accepts a token once, and the key names carry
#     the namespaces;
#   - a wrong password fails closed (unavailable, 503) and spends nothing,
#     while /readyz still answers 200;
#   - redis-server stopped mid-run: unavailable; started again: the pool
#     reconnects and one-time use works again.
set -u
BUILD=${1:-build}
. tests/integration/lib/common.sh

HOPCHECKD=$BUILD/hopcheckd
DATA=$(pwd)/tests/integration/data
[ -x "$HOPCHECKD" ] || bail "$HOPCHECKD is not built"
command -v curl >/dev/null || bail "curl is not installed"
command -v redis-server >/dev/null || bail "redis-server is not installed"
command -v redis-cli >/dev/null || bail "redis-cli is not installed"

setup_tmp
mint "$T_TMP"
# shellcheck source=/dev/null
. "$T_TMP/tokens.sh"
REDISPORT=$(free_port)
REDISPASS=rp-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
[ -n "$REDISPORT" ] || bail "no free port"
mkdir -p "$T_TMP/redis" || bail "mkdir"

# rcli ARGS...: redis-cli against the test's server.
rcli() {
	redis-cli -h 127.0.0.1 -p "$REDISPORT" -a "$REDISPASS" --no-auth-warning \
	    "$@" 2>/dev/null
}

# Starts the server (again); waits at most 5 s for PONG.
redis_start() {
	redis-server --port "$REDISPORT" --bind 127.0.0.1 \
	    --requirepass "$REDISPASS" --save '' --appendonly no \
	    --dir "$T_TMP/redis" --daemonize no \
	    >>"$T_TMP/redis/server.log" 2>&1 &
	RPID=$!
	track "$RPID"
	_i=0
	while [ "$_i" -lt 50 ]; do
		[ "$(rcli ping)" = PONG ] && return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	return 1
}

# conf OUT PORT NAMESPACE PASSWORD: a daemon's configuration.
conf() {
	PORT=$2
	from_template "$DATA/redis.conf.in" "$1.tmp"
	sed -e "s|@REDISPORT@|$REDISPORT|g" -e "s|@REDISPASS@|$4|g" \
	    -e "s|@NAMESPACE@|$3|g" "$1.tmp" > "$1" || bail "conf $1"
	rm -f "$1.tmp"
}

# pay URL TOKEN: POST /pay through /v1/authz; "$CODE $status" in $GOT.
pay() {
	req -H "Authorization: Bearer $2" -H "X-Original-Method: POST" \
	    -H "X-Original-URI: /pay" "$1/v1/authz"
	GOT="$CODE $(hdr X-Hopcheck-Status)"
}

# reloads LOG N: waits (at most 5 s) for the Nth "configuration reloaded".
# shellcheck disable=SC2317  # called through check
reloads() {
	_i=0
	while [ "$_i" -lt 50 ]; do
		[ "$(grep -c '"msg":"configuration reloaded"' "$1")" -ge "$2" ] &&
		    return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	return 1
}

redis_start || bail "redis-server did not start"
ok "redis-server up, with a password"

PA=$(free_port)
PB=$(free_port)
A=http://127.0.0.1:$PA
B=http://127.0.0.1:$PB
conf "$T_TMP/a.conf" "$PA" shared "$REDISPASS"
conf "$T_TMP/b.conf" "$PB" shared "$REDISPASS"

out=$("$HOPCHECKD" -t -c "$T_TMP/a.conf" 2>&1)
expect "-t accepts the configuration" "$? $out" "0 configuration OK"

"$HOPCHECKD" -c "$T_TMP/a.conf" 2>"$T_TMP/a.log" &
APID=$!
track "$APID"
"$HOPCHECKD" -c "$T_TMP/b.conf" 2>"$T_TMP/b.log" &
BPID=$!
track "$BPID"
wait_http "$A/readyz" 200 || bail "hopcheckd A did not become ready"
wait_http "$B/readyz" 200 || bail "hopcheckd B did not become ready"
ok "two daemons ready"

# --------------------------------------------------- one shared namespace

pay "$A" "$TOK_PAY"
expect "shared: first use on A" "$GOT" "200 ok"
pay "$B" "$TOK_PAY"
expect "shared: the same token on B is a replay" "$GOT" "401 replay"
pay "$A" "$TOK_PAY"
expect "shared: and on A again" "$GOT" "401 replay"
expect "shared: one key, under the namespace" \
    "$(rcli --scan --pattern 'hopcheck:shared:jti:*' | wc -l | tr -d ' ')" "1"
expect_match "shared: key name format" \
    "$(rcli --scan --pattern 'hopcheck:*')" '^hopcheck:shared:jti:[0-9a-f]{64}$'

# ----------------------------------------------- two namespaces (SIGHUP)

conf "$T_TMP/b.conf" "$PB" other "$REDISPASS"
kill -HUP "$BPID"
check "namespace: B reloaded" reloads "$T_TMP/b.log" 1
pay "$A" "$TOK_OK"
expect "namespace: first use on A" "$GOT" "200 ok"
pay "$B" "$TOK_OK"
expect "namespace: first use on B too (another namespace)" "$GOT" "200 ok"
pay "$B" "$TOK_OK"
expect "namespace: second use on B is a replay" "$GOT" "401 replay"
pay "$A" "$TOK_OK"
expect "namespace: second use on A is a replay" "$GOT" "401 replay"
expect "namespace: one key each" \
    "$(rcli --scan --pattern 'hopcheck:*:jti:*' | cut -d: -f2 | sort | uniq -c |
    awk '{print $2 "=" $1}' | tr '\n' ' ')" "other=1 shared=2 "

# ------------------------------------------------------- wrong password

conf "$T_TMP/b.conf" "$PB" shared wrong-password
kill -HUP "$BPID"
check "wrong password: B reloaded (connecting waits for a spend)" \
    reloads "$T_TMP/b.log" 2
pay "$B" "$TOK_TENANT"
expect "wrong password: unavailable (fail closed)" "$GOT" "503 unavailable"
req "$B/readyz"
expect "wrong password: /readyz still 200" "$CODE" "200"
check_not "wrong password: never logged" grep -q wrong-password "$T_TMP/b.log"
pay "$A" "$TOK_TENANT"
expect "wrong password: nothing was spent (A admits the token)" "$GOT" \
    "200 ok"
req "$B/metrics"
expect_match "wrong password: failures counted" "$(body)" \
    '^hopcheck_replay_failures_total\{store="redis"\} [1-9]'

# -------------------------------------------------- redis-server restart

stop_wait "$RPID" 5
pay "$A" "$TOK_SCOPE"
expect "redis down: unavailable" "$GOT" "503 unavailable"
pay "$A" "$TOK_SCOPE"
expect "redis down: still unavailable" "$GOT" "503 unavailable"
req "$A/readyz"
expect "redis down: /readyz still 200" "$CODE" "200"
redis_start || bail "redis-server did not start again"
# The store backs off for a second after a failed connect.
_i=0
GOT=
while [ "$_i" -lt 30 ]; do
	pay "$A" "$TOK_SCOPE"
	[ "$GOT" = "503 unavailable" ] || break
	sleep 0.2
	_i=$((_i + 1))
done
expect "redis back: the pool reconnects" "$GOT" "200 ok"
pay "$A" "$TOK_SCOPE"
expect "redis back: one-time use holds again" "$GOT" "401 replay"

# ---------------------------------------------------------------- stop

stop_wait "$APID" 5
expect "A: SIGTERM exits 0" "$?" "0"
stop_wait "$BPID" 5
expect "B: SIGTERM exits 0" "$?" "0"
check_not "logs never carry the password" grep -q "$REDISPASS" \
    "$T_TMP/a.log" "$T_TMP/b.log"
finish
