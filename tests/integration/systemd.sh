#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# systemd.sh BUILD - hopcheckd's readiness protocol (sd_notify, Type=notify)
# against a stand-in notification socket, and the shipped unit file.
#
#   - READY=1 (with a STATUS= line) once the keys are in, and not before:
#     with keys that cannot be fetched, no READY=1 at all;
#   - SIGHUP: RELOADING=1 then READY=1; a refused reload says so in STATUS;
#   - SIGTERM: STOPPING=1;
#   - NOTIFY_SOCKET unset: nothing is sent, the daemon runs as before;
#   - conf/hopcheckd.service: Type=notify, after network-online.target, and
#     a reload that checks the file (hopcheckd -t) before it sends SIGHUP.
set -u
BUILD=${1:-build}
. tests/integration/lib/common.sh

HOPCHECKD=$BUILD/hopcheckd
DATA=$(pwd)/tests/integration/data
[ -x "$HOPCHECKD" ] || bail "$HOPCHECKD is not built"
setup_tmp
CERTS=tests/data/certs
mint "$T_TMP" --cert "orders=$CERTS/orders.pem"
PORT=$(free_port)
DEADPORT=$(free_port)
from_template "$DATA/daemon.conf.in" "$T_TMP/hopcheck.conf"
from_template "$DATA/daemon-remote.conf.in" "$T_TMP/remote.conf"

SOCK=$T_TMP/notify.sock
MSGS=$T_TMP/notify.log
python3 tests/integration/lib/notifysock.py "$SOCK" "$MSGS" &
track $!
i=0
while [ ! -S "$SOCK" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
[ -S "$SOCK" ] || bail "the stand-in notification socket did not come up"

# ------------------------------------------------------------ local keys

NOTIFY_SOCKET=$SOCK "$HOPCHECKD" -c "$T_TMP/hopcheck.conf" \
    2>"$T_TMP/hopcheckd.log" &
pid=$!
track $pid
check "READY=1 once the keys are in" wait_grep "$MSGS" '^READY=1'
expect_match "with a STATUS line" "$(grep '^READY=1' "$MSGS" | head -n 1)" \
    'READY=1 \| STATUS=serving; every key source has keys'
check "the daemon answers when it said it was ready" \
    wait_http "http://127.0.0.1:$PORT/readyz" 200
expect_match "the log says ready too" "$(cat "$T_TMP/hopcheckd.log")" \
    '"event":"ready"'

: > "$MSGS"
kill -HUP $pid
check "SIGHUP: RELOADING=1" wait_grep "$MSGS" '^RELOADING=1'
check "then READY=1" wait_grep "$MSGS" '^READY=1 | STATUS=serving; configuration reloaded'
expect "RELOADING=1 comes before READY=1" \
    "$(cut -d' ' -f1 "$MSGS" | tr '\n' ' ')" "RELOADING=1 READY=1 "

: > "$MSGS"
cp "$T_TMP/hopcheck.conf" "$T_TMP/good.conf"
echo '{ "servce": {} }' > "$T_TMP/hopcheck.conf"
kill -HUP $pid
check "a refused reload: READY=1 again" wait_grep "$MSGS" '^READY=1'
expect_match "whose STATUS says the reload was refused" "$(cat "$MSGS")" \
    'STATUS=reload refused \(see the log\); serving with the previous configuration'
cp "$T_TMP/good.conf" "$T_TMP/hopcheck.conf"

: > "$MSGS"
stop_wait $pid 5
expect "SIGTERM: exit 0" "$?" "0"
expect_match "SIGTERM: STOPPING=1" "$(cat "$MSGS")" '^STOPPING=1'

# ------------------------------------------- keys that cannot be fetched

: > "$MSGS"
NOTIFY_SOCKET=$SOCK "$HOPCHECKD" -c "$T_TMP/remote.conf" \
    2>"$T_TMP/remote.log" &
pid=$!
track $pid
check "unreachable keys: the daemon runs" \
    wait_http "http://127.0.0.1:$PORT/readyz" 503
sleep 1
check_not "and never says READY=1 without keys" grep -q '^READY=1' "$MSGS"
stop_wait $pid 5

# ------------------------------------------------- without NOTIFY_SOCKET

: > "$MSGS"
"$HOPCHECKD" -c "$T_TMP/hopcheck.conf" 2>"$T_TMP/plain.log" &
pid=$!
track $pid
check "without NOTIFY_SOCKET the daemon serves" \
    wait_http "http://127.0.0.1:$PORT/readyz" 200
stop_wait $pid 5
expect "and sends nothing" "$(wc -c < "$MSGS" | tr -d ' ')" "0"

# ------------------------------------------------------------ the unit

UNIT=conf/hopcheckd.service
expect_match "unit: Type=notify" "$(cat "$UNIT")" '^Type=notify$'
expect_match "unit: after network-online.target" "$(cat "$UNIT")" \
    '^After=network-online.target'
expect_match "unit: wants network-online.target" "$(cat "$UNIT")" \
    '^Wants=network-online.target'
reload_lines=$(grep '^ExecReload=' "$UNIT" | tr '\n' ' ')
expect_match "unit: reload checks the file before SIGHUP" "$reload_lines" \
    '^ExecReload=[^ ]*hopcheckd -t -c [^ ]+ ExecReload=/bin/kill -HUP \$MAINPID $'
finish
