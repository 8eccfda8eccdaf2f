#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# install-deps.sh build|test - make sure the Debian packages hopcheck needs
# are installed: `build` what `make` needs (both crypto backends), `test` the
# test stack on top (clang for the sanitizers and fuzzers, python3-jwcrypto,
# curl, and the servers the integration tests start on loopback).
#
# As root, installs what is missing with apt-get; as another user, names
# what is missing and fails.  It never starts, stops, enables or disables a
# service: the tests start their own server instances on loopback ports and
# leave the machine's services as they found them.
set -eu

BUILD_PKGS="gcc make pkg-config libmbedtls-dev libssl-dev libcjson-dev
libcurl4-openssl-dev libmicrohttpd-dev libhiredis-dev libgnutls28-dev"
TEST_PKGS="$BUILD_PKGS libcunit1-dev clang libclang-rt-14-dev clang-format
python3 python3-jwcrypto openssl curl nginx-light redis-server"

case "${1:-build}" in
build) PKGS=$BUILD_PKGS ;;
test) PKGS=$TEST_PKGS ;;
*) echo "usage: install-deps.sh build|test" >&2; exit 2 ;;
esac

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "hopcheck: missing Debian packages:$missing" >&2
	echo "hopcheck: as root, run 'make deps' (build) or 'make test-deps' (tests), or: apt-get install -y$missing" >&2
	exit 1
fi
echo "hopcheck: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
# Packages installed here must not start their services: a policy-rc.d
# that refuses every start, removed again afterwards, keeps the machine's
# services as they were (nginx and redis-server would otherwise start on
# their default ports).
rcd=/usr/sbin/policy-rc.d
own_rcd=0
if [ ! -e "$rcd" ]; then
	printf '#!/bin/sh\nexit 101\n' > "$rcd"
	chmod 0755 "$rcd"
	own_rcd=1
fi
trap '[ "$own_rcd" = 1 ] && rm -f "$rcd"' EXIT
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
