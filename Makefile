# hopcheck - build, test, install.
#
#   make            library (static and shared) and the CLI, in build/
#   make test       everything: unit suites, vectors, integration, sanitizers, fuzz smoke
#   make deps       install the Debian packages the build and tests need (as root)
#   make install    PREFIX=/usr/local DESTDIR=

PREFIX   ?= /usr/local
BINDIR   ?= $(PREFIX)/bin
SBINDIR  ?= $(PREFIX)/sbin
LIBDIR   ?= $(PREFIX)/lib
INCDIR   ?= $(PREFIX)/include
MANDIR   ?= $(PREFIX)/share/man

CC       ?= cc
BUILD    ?= build
SONAME    = libhopcheck.so.0
CFLAGS   ?= -O2 -g

WARN      = -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wmissing-prototypes \
            -Wstrict-prototypes -Wvla -Wpointer-arith -Wcast-qual
ALL_CFLAGS = -std=c11 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L \
            $(WARN) $(CFLAGS) $(EXTRA_CFLAGS) -fPIC -fvisibility=hidden \
            -Iinclude -Isrc -pthread
LIBS      = -lmbedx509 -lmbedcrypto -lcjson -lcurl -lhiredis -lpthread -lm
TEST_LIBS = -lcunit

LIB_SRCS  = src/util.c src/status.c src/b64url.c src/json.c src/jws.c \
            src/crypto_mbedtls.c src/jwk.c src/keyset.c src/config.c \
            src/claims.c src/validator.c src/request.c src/result.c \
            src/spiffe.c src/x509.c src/binding.c src/chain.c src/exchange.c \
            src/replay.c src/cache.c src/bundle.c src/fetch.c src/refresh.c
LIB_OBJS  = $(LIB_SRCS:src/%.c=$(BUILD)/obj/%.o)

CLI_SRCS  = tools/hopcheck.c tools/cmd_exchange.c
DAEMON_SRCS = $(sort $(wildcard src/daemon/*.c))
DAEMON_LIBS = -lmicrohttpd
TEST_SRCS = $(sort $(wildcard tests/test_*.c tests/regress_*.c))
TEST_BINS = $(TEST_SRCS:tests/%.c=$(BUILD)/tests/%)
TEST_UTIL = tests/testutil.c

DEPS_STAMP = $(BUILD)/.deps
UNIT_LABEL ?= unit

.PHONY: all deps test unit vectors integration asan fuzz fuzz-smoke clean install demo bench

all: $(BUILD)/libhopcheck.a $(BUILD)/libhopcheck.so $(BUILD)/hopcheck \
     $(BUILD)/hopcheckd

deps:
	@sh tools/install-deps.sh

$(DEPS_STAMP): tools/install-deps.sh
	@mkdir -p $(BUILD)
	@sh tools/install-deps.sh
	@touch $@

$(BUILD)/obj/%.o: src/%.c $(wildcard src/*.h) include/hopcheck.h | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/libhopcheck.a: $(LIB_OBJS)
	rm -f $@
	ar rcs $@ $(LIB_OBJS)

$(BUILD)/$(SONAME): $(LIB_OBJS)
	$(CC) -shared -Wl,-soname,$(SONAME) -o $@ $(LIB_OBJS) $(LDFLAGS) $(LIBS)

$(BUILD)/libhopcheck.so: $(BUILD)/$(SONAME)
	ln -sf $(SONAME) $@

$(BUILD)/hopcheck: $(CLI_SRCS) $(BUILD)/libhopcheck.a
	$(CC) $(ALL_CFLAGS) -o $@ $(CLI_SRCS) $(BUILD)/libhopcheck.a $(LDFLAGS) $(LIBS)

$(BUILD)/hopcheckd: $(DAEMON_SRCS) $(wildcard src/daemon/*.h) $(BUILD)/libhopcheck.a
	$(CC) $(ALL_CFLAGS) -Isrc/daemon -o $@ $(DAEMON_SRCS) $(BUILD)/libhopcheck.a \
	    $(LDFLAGS) $(LIBS) $(DAEMON_LIBS)

$(BUILD)/tests/%: tests/%.c $(TEST_UTIL) $(wildcard tests/*.h) $(BUILD)/libhopcheck.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -o $@ $< $(TEST_UTIL) \
	    $(BUILD)/libhopcheck.a $(LDFLAGS) $(LIBS) $(TEST_LIBS)

# ---------------------------------------------------------------- tests

# Every suite runs from the top of the tree.  tests/run-all.sh prints each
# CUnit summary and a closing "N passed, N failed" line over all of them.
unit: all $(TEST_BINS)
	@sh tests/run-unit.sh $(BUILD) $(UNIT_LABEL)

vectors: all
	@python3 tools/run_vectors.py --hopcheck $(BUILD)/hopcheck testvectors/*.json

# The same unit suites under AddressSanitizer + UndefinedBehaviorSanitizer.
asan:
	@$(MAKE) --no-print-directory BUILD=build-asan CC=clang \
	    CFLAGS="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all" \
	    LDFLAGS="-fsanitize=address,undefined" UNIT_LABEL=asan unit

# libFuzzer targets (clang), linked against an instrumented library.
FUZZ_SRCS = $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_SAN  = -fsanitize=address,undefined -fno-sanitize-recover=all

fuzz: $(DEPS_STAMP)
	@$(MAKE) --no-print-directory BUILD=build-fuzz CC=clang \
	    CFLAGS="-O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link $(FUZZ_SAN)" \
	    build-fuzz/libhopcheck.a
	@for f in $(FUZZ_SRCS); do \
	    n=$$(basename $$f .c); \
	    clang -std=c11 -D_DEFAULT_SOURCE -O1 -g -Iinclude -Isrc \
	        -fsanitize=fuzzer $(FUZZ_SAN) -o build-fuzz/$$n $$f \
	        build-fuzz/libhopcheck.a $(LIBS) || exit 1; \
	done

fuzz-smoke: fuzz
	@sh tests/fuzz/run.sh build-fuzz

# Real programs on loopback: hopcheckd, nginx, curl, redis-server.
integration: all
	@sh tests/integration/run.sh $(BUILD)

# The README's main job: hopcheckd on loopback, a call chain, verdicts.
demo: all
	@sh tools/demo/demo.sh

# Speed and memory, as ratios against raw crypto and peer libraries.
bench: all
	@sh bench/run.sh

test:
	@MAKE="$(MAKE)" sh tests/run-all.sh

clean:
	rm -rf build build-asan build-fuzz bench/out

DOCDIR   ?= $(PREFIX)/share/doc/hopcheck
VERSION   = $(shell sed -n 's/^#define HC_VERSION "\(.*\)"/\1/p' include/hopcheck.h)

$(BUILD)/hopcheck.pc: hopcheck.pc.in include/hopcheck.h
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	    -e 's|@INCDIR@|$(INCDIR)|' -e 's|@VERSION@|$(VERSION)|' $< > $@

install: all $(BUILD)/hopcheck.pc
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SBINDIR) $(DESTDIR)$(LIBDIR) \
	    $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCDIR) \
	    $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man8 \
	    $(DESTDIR)$(DOCDIR)/examples
	install -m 0755 $(BUILD)/hopcheck $(DESTDIR)$(BINDIR)/hopcheck
	install -m 0755 $(BUILD)/hopcheckd $(DESTDIR)$(SBINDIR)/hopcheckd
	install -m 0644 $(BUILD)/libhopcheck.a $(DESTDIR)$(LIBDIR)/
	install -m 0755 $(BUILD)/$(SONAME) $(DESTDIR)$(LIBDIR)/
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libhopcheck.so
	install -m 0644 $(BUILD)/hopcheck.pc $(DESTDIR)$(LIBDIR)/pkgconfig/
	install -m 0644 include/hopcheck.h $(DESTDIR)$(INCDIR)/
	install -m 0644 man/hopcheck.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 0644 man/hopcheck.conf.5 $(DESTDIR)$(MANDIR)/man5/
	install -m 0644 man/hopcheckd.8 $(DESTDIR)$(MANDIR)/man8/
	cp -R conf/. $(DESTDIR)$(DOCDIR)/examples/
	install -m 0644 README.md SECURITY.md $(DESTDIR)$(DOCDIR)/
