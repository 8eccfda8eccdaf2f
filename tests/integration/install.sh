#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# install.sh BUILD - `make install` with PREFIX and DESTDIR puts the
# programs, library, header, pkg-config file, man pages and examples where
# they belong, and a program built with `pkg-config --cflags --libs
# hopcheck` against the installed shared library validates a token.
set -u
. tests/integration/lib/common.sh
BUILD=${1:-build}
setup_tmp

dest="$T_TMP/root"
prefix=/usr/local
make -s --no-print-directory install BUILD="$BUILD" DESTDIR="$dest" \
    PREFIX="$prefix" >"$T_TMP/install.log" 2>&1
check "make install DESTDIR PREFIX" test $? -eq 0
for f in bin/hopcheck sbin/hopcheckd include/hopcheck.h \
    lib/libhopcheck.a lib/libhopcheck.so.0 lib/libhopcheck.so \
    lib/pkgconfig/hopcheck.pc share/man/man1/hopcheck.1 \
    share/man/man5/hopcheck.conf.5 share/man/man8/hopcheckd.8 \
    share/doc/hopcheck/examples/hopcheck.conf \
    share/doc/hopcheck/SECURITY.md; do
	check "installed $f" test -e "$dest$prefix/$f"
done
soname=$(objdump -p "$dest$prefix/lib/libhopcheck.so.0" 2>/dev/null |
    awk '$1 == "SONAME" { print $2 }')
expect "shared library SONAME" "$soname" "libhopcheck.so.0"
# Only the public API is exported.
exported=$(nm -D --defined-only "$dest$prefix/lib/libhopcheck.so.0" |
    awk '$2 == "T" { print $3 }' | grep -vc '^hc_')
expect "only hc_ symbols exported" "$exported" "0"
if command -v man >/dev/null 2>&1; then
	for m in man1/hopcheck.1 man5/hopcheck.conf.5 man8/hopcheckd.8; do
		w=$(man -l "$dest$prefix/share/man/$m" 2>&1 >/dev/null | grep -c .)
		expect "man page $m renders without warnings" "$w" "0"
	done
fi

export PKG_CONFIG_PATH="$dest$prefix/lib/pkgconfig"
export PKG_CONFIG_SYSROOT_DIR="$dest"
flags=$(pkg-config --cflags --libs hopcheck)
cc -std=c11 -Wall -Wextra -Werror -o "$T_TMP/example" \
    tests/integration/data/install/example.c $flags >"$T_TMP/cc.log" 2>&1
check "a program builds with pkg-config" test $? -eq 0

# A token signed by python3-jwcrypto (tests/data/core).
tok=$(/usr/bin/python3 -c 'import json; d=json.load(open("tests/data/core/tokens.json")); print([c["token"] for c in d["cases"] if c["name"] == "ok/es256"][0])')
out=$(LD_LIBRARY_PATH="$dest$prefix/lib" "$T_TMP/example" \
    tests/data/core/core.conf "$tok" 1767225600 2>&1)
expect_match "the installed library validates a token" "$out" \
    "^[0-9.]+ ok user:alice$"
out=$(LD_LIBRARY_PATH="$dest$prefix/lib" "$T_TMP/example" \
    tests/data/core/core.conf "$tok" 1867225600 2>&1)
expect_match "and rejects it once expired" "$out" " expired token expired"
# The .pc file is relocatable: moved with the tree, --define-prefix finds it.
moved="$T_TMP/moved"
mkdir -p "$moved"
cp -R "$dest$prefix/." "$moved/"
libs=$(PKG_CONFIG_SYSROOT_DIR= PKG_CONFIG_PATH="$moved/lib/pkgconfig" \
    pkg-config --define-prefix --libs --cflags hopcheck 2>&1)
expect_match "hopcheck.pc with --define-prefix follows the moved tree" \
    "$libs" "^-I$moved/include -L$moved/lib -lhopcheck"
check_not "hopcheck.pc names no fixed prefix but its own" \
    grep -q '^libdir=/' "$dest$prefix/lib/pkgconfig/hopcheck.pc"

# make uninstall with the same variables takes everything away again.
make -s --no-print-directory uninstall BUILD="$BUILD" DESTDIR="$dest" \
    PREFIX="$prefix" >"$T_TMP/uninstall.log" 2>&1
check "make uninstall DESTDIR PREFIX" test $? -eq 0
left=$(find "$dest$prefix" -type f | wc -l)
expect "make uninstall leaves no file behind" "$left" "0"
finish
