#!/bin/sh
# install-deps.sh - make sure the Debian packages hopcheck builds and tests
# with are installed.  As root, installs what is missing with apt-get; as
# another user, names what is missing and fails.
set -eu

PKGS="gcc make pkg-config libmbedtls-dev libcjson-dev libcurl4-openssl-dev
libcunit1-dev libmicrohttpd-dev libhiredis-dev clang libclang-rt-14-dev
python3 python3-jwcrypto openssl curl nginx-light redis-server"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "hopcheck: missing Debian packages:$missing" >&2
	echo "hopcheck: run 'make deps' as root, or: apt-get install -y$missing" >&2
	exit 1
fi
echo "hopcheck: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
# The packaged servers are started by the tests themselves, on loopback.
for svc in nginx redis-server; do
	if command -v systemctl >/dev/null 2>&1; then
		systemctl disable --now "$svc" >/dev/null 2>&1 || true
	fi
done
