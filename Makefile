# SPDX-License-Identifier: Apache-2.0
# hopcheck - build, test, install.
#
#   make                 library (static and shared), the CLI and hopcheckd
#   make CRYPTO=openssl  the same on the OpenSSL 3 backend (in build-openssl/)
#   make test            every test stage (may install the test stack as root)
#   make deps            install the Debian build dependencies (as root)
#   make test-deps       install the test stack: servers, clang, jwcrypto (root)
#   make install         PREFIX=/usr/local DESTDIR=   (make uninstall undoes it)
#
# Plain `make`, `make install` and the library targets only build: they never
# install a package and never start, stop or reconfigure a service.

PREFIX   ?= /usr/local
BINDIR   ?= $(PREFIX)/bin
SBINDIR  ?= $(PREFIX)/sbin
LIBDIR   ?= $(PREFIX)/lib
INCDIR   ?= $(PREFIX)/include
MANDIR   ?= $(PREFIX)/share/man
DOCDIR   ?= $(PREFIX)/share/doc/hopcheck

# The crypto backend (docs/ARCHITECTURE.md): mbedtls (default) or openssl.
CRYPTO   ?= mbedtls
ifeq ($(filter $(CRYPTO),mbedtls openssl),)
$(error CRYPTO must be mbedtls or openssl, not '$(CRYPTO)')
endif
BUILD_mbedtls = build
BUILD_openssl = build-openssl
BUILD    ?= $(BUILD_$(CRYPTO))
# The sanitizer and fuzzer builds keep one folder per backend too.
SAN_SUFFIX = $(if $(filter openssl,$(CRYPTO)),-openssl,)
ASAN_BUILD = build-asan$(SAN_SUFFIX)
TSAN_BUILD = build-tsan$(SAN_SUFFIX)
FUZZ_BUILD = build-fuzz$(SAN_SUFFIX)

CC       ?= cc
SONAME    = libhopcheck.so.0
CFLAGS   ?= -O2 -g

WARN      = -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wmissing-prototypes \
            -Wstrict-prototypes -Wvla -Wpointer-arith -Wcast-qual \
            -Wconversion
BASE_CFLAGS = -std=c11 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L \
            -DHC_CRYPTO_$(CRYPTO) $(WARN) -Iinclude -Isrc -pthread
ALL_CFLAGS = $(BASE_CFLAGS) $(CFLAGS) $(EXTRA_CFLAGS) -fPIC -fvisibility=hidden
DEPFLAGS  = -MMD -MP

# Programs (CLI, daemon) are hardened; the sanitizer builds turn it off.
HARDEN   ?= 1
ifeq ($(HARDEN),1)
PROG_CFLAGS  = -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE
PROG_LDFLAGS = -pie -Wl,-z,relro,-z,now
endif

CRYPTO_LIBS_mbedtls = -lmbedx509 -lmbedcrypto
CRYPTO_LIBS_openssl = -lcrypto
CRYPTO_PC_mbedtls   = -lmbedx509 -lmbedcrypto
CRYPTO_PC_openssl   = -lcrypto
LIBS      = $(CRYPTO_LIBS_$(CRYPTO)) -lcjson -lcurl -lhiredis -lpthread -lm
TEST_LIBS = -lcunit

# Every src/*.c is the library, except the backends not selected.
LIB_SRCS  = $(filter-out $(wildcard src/crypto_*.c) $(wildcard src/x509_*.c), \
              $(sort $(wildcard src/*.c))) \
            $(wildcard src/crypto_$(CRYPTO).c src/x509_$(CRYPTO).c)
LIB_OBJS  = $(LIB_SRCS:src/%.c=$(BUILD)/obj/%.o)

CLI_SRCS  = $(sort $(wildcard tools/*.c))
CLI_OBJS  = $(CLI_SRCS:tools/%.c=$(BUILD)/obj/cli/%.o)
DAEMON_SRCS = $(sort $(wildcard src/daemon/*.c))
DAEMON_OBJS = $(DAEMON_SRCS:src/daemon/%.c=$(BUILD)/obj/daemon/%.o)
DAEMON_LIBS = -lmicrohttpd -lgnutls
TEST_SRCS = $(sort $(wildcard tests/test_*.c tests/regress_*.c))
TEST_BINS = $(TEST_SRCS:tests/%.c=$(BUILD)/tests/%)
TEST_UTIL_OBJ = $(BUILD)/obj/tests/testutil.o
VERSION   = $(shell sed -n 's/^\#define HC_VERSION "\(.*\)"/\1/p' include/hopcheck.h)

# The word before each stage's closing counts line (tests/run-all.sh adds
# them up): unit / vectors on the default backend, -openssl on the other.
LABEL_SUFFIX_mbedtls =
LABEL_SUFFIX_openssl = -openssl
UNIT_LABEL ?= unit$(LABEL_SUFFIX_$(CRYPTO))
VECTORS_LABEL ?= vectors$(LABEL_SUFFIX_$(CRYPTO))

.SECONDARY:

.PHONY: all deps test-deps test unit vectors integration asan tsan fuzz \
        fuzz-smoke clean install uninstall demo bench format format-check \
        both-backends

all: $(BUILD)/libhopcheck.a $(BUILD)/libhopcheck.so $(BUILD)/hopcheck \
     $(BUILD)/hopcheckd

deps:
	@sh tools/install-deps.sh build

test-deps:
	@sh tools/install-deps.sh test

$(BUILD)/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(DEPFLAGS) -c $< -o $@

$(BUILD)/obj/cli/%.o: tools/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(PROG_CFLAGS) $(DEPFLAGS) -c $< -o $@

$(BUILD)/obj/daemon/%.o: src/daemon/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(PROG_CFLAGS) $(DEPFLAGS) -Isrc/daemon -c $< -o $@

$(BUILD)/obj/tests/%.o: tests/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(DEPFLAGS) -Wno-missing-prototypes -c $< -o $@

$(BUILD)/libhopcheck.a: $(LIB_OBJS)
	rm -f $@
	ar rcs $@ $(LIB_OBJS)

$(BUILD)/$(SONAME): $(LIB_OBJS)
	$(CC) -shared -Wl,-soname,$(SONAME) -Wl,-z,relro,-z,now -o $@ \
	    $(LIB_OBJS) $(LDFLAGS) $(LIBS)

$(BUILD)/libhopcheck.so: $(BUILD)/$(SONAME)
	ln -sf $(SONAME) $@

$(BUILD)/hopcheck: $(CLI_OBJS) $(BUILD)/libhopcheck.a
	$(CC) $(ALL_CFLAGS) $(PROG_CFLAGS) -o $@ $(CLI_OBJS) \
	    $(BUILD)/libhopcheck.a $(PROG_LDFLAGS) $(LDFLAGS) $(LIBS)

$(BUILD)/hopcheckd: $(DAEMON_OBJS) $(BUILD)/libhopcheck.a
	$(CC) $(ALL_CFLAGS) $(PROG_CFLAGS) -o $@ $(DAEMON_OBJS) \
	    $(BUILD)/libhopcheck.a $(PROG_LDFLAGS) $(LDFLAGS) $(LIBS) $(DAEMON_LIBS)

$(BUILD)/tests/%: $(BUILD)/obj/tests/%.o $(TEST_UTIL_OBJ) $(BUILD)/libhopcheck.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(TEST_UTIL_OBJ) \
	    $(BUILD)/libhopcheck.a $(LDFLAGS) $(LIBS) $(TEST_LIBS)

-include $(wildcard $(BUILD)/obj/*.d $(BUILD)/obj/*/*.d)

# ---------------------------------------------------------------- tests

# Every suite runs from the top of the tree.  tests/run-all.sh prints each
# CUnit summary and a closing "N passed, N failed" line over all of them.
unit: all $(TEST_BINS)
	@sh tests/run-unit.sh $(BUILD) $(UNIT_LABEL)

vectors: all
	@python3 tools/run_vectors.py --hopcheck $(BUILD)/hopcheck \
	    --label $(VECTORS_LABEL) testvectors/*.json

# The same unit suites under AddressSanitizer + UndefinedBehaviorSanitizer.
SAN_FLAGS = -O1 -g -fno-omit-frame-pointer
asan:
	@$(MAKE) --no-print-directory BUILD=$(ASAN_BUILD) CC=clang HARDEN=0 \
	    CFLAGS="$(SAN_FLAGS) -fsanitize=address,undefined -fno-sanitize-recover=all" \
	    LDFLAGS="-fsanitize=address,undefined" UNIT_LABEL=asan unit

# The threaded suites under ThreadSanitizer: validators shared by many
# threads, the cache, the refresher and key fetches, the replay stores.
TSAN_TESTS ?= test_validator test_cache test_crypto test_replay test_fetch
tsan:
	@$(MAKE) --no-print-directory BUILD=$(TSAN_BUILD) CC=clang HARDEN=0 \
	    CFLAGS="$(SAN_FLAGS) -fsanitize=thread" LDFLAGS="-fsanitize=thread" \
	    $(TSAN_TESTS:%=$(TSAN_BUILD)/tests/%)
	@TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" \
	    sh tests/run-unit.sh $(TSAN_BUILD) tsan $(TSAN_TESTS)

# libFuzzer targets (clang), linked against an instrumented library and
# built with the same warnings as everything else.
FUZZ_SRCS = $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_SAN  = -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_DAEMON = $(filter-out src/daemon/hopcheckd.c,$(DAEMON_SRCS))

fuzz:
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=clang HARDEN=0 \
	    CFLAGS="$(SAN_FLAGS) -fsanitize=fuzzer-no-link $(FUZZ_SAN)" \
	    $(FUZZ_BUILD)/libhopcheck.a
	@for f in $(FUZZ_SRCS); do \
	    n=$$(basename $$f .c); \
	    extra=""; \
	    case $$n in fuzz_daemon*) extra="-Isrc/daemon $(FUZZ_DAEMON) $(DAEMON_LIBS)";; esac; \
	    clang $(BASE_CFLAGS) -Wno-missing-prototypes $(SAN_FLAGS) \
	        -fsanitize=fuzzer $(FUZZ_SAN) -o $(FUZZ_BUILD)/$$n $$f $$extra \
	        $(FUZZ_BUILD)/libhopcheck.a $(LIBS) || exit 1; \
	done

fuzz-smoke: fuzz
	@sh tests/fuzz/run.sh $(FUZZ_BUILD)

# Real programs on loopback: hopcheckd, nginx, curl, redis-server.
integration: all
	@sh tests/integration/run.sh $(BUILD)

# The README's main job: hopcheckd on loopback, a call chain, verdicts.
demo: deps
	@$(MAKE) --no-print-directory all
	@BUILD=$(BUILD) sh tools/demo/demo.sh

# Speed and memory, as ratios against raw crypto and peer libraries.
bench: all
	@sh bench/run.sh

test: test-deps
	@MAKE="$(MAKE)" CRYPTO=$(CRYPTO) sh tests/run-all.sh

FORMAT_SRCS = $(sort $(wildcard include/*.h src/*.[ch] src/daemon/*.[ch] \
              tools/*.c))
format:
	clang-format -i $(FORMAT_SRCS)

FORMAT_BASE ?= HEAD
format-check:
	@sh tools/format-check.sh $(FORMAT_BASE)

clean:
	rm -rf build build-openssl build-asan build-tsan build-fuzz \
	    build-asan-openssl build-tsan-openssl build-fuzz-openssl bench/out

# ---------------------------------------------------------------- install

$(BUILD)/hopcheck.pc: hopcheck.pc.in include/hopcheck.h
	sed -e 's|@PREFIX@|$(PREFIX)|' \
	    -e 's|@LIBDIR@|$(patsubst $(PREFIX)%,$${prefix}%,$(LIBDIR))|' \
	    -e 's|@INCDIR@|$(patsubst $(PREFIX)%,$${prefix}%,$(INCDIR))|' \
	    -e 's|@VERSION@|$(VERSION)|' \
	    -e 's|@CRYPTO_LIBS@|$(CRYPTO_PC_$(CRYPTO))|' $< > $@

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
	install -m 0644 README.md SECURITY.md CHANGELOG.md LICENSE $(DESTDIR)$(DOCDIR)/
	@if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" -eq 0 ] && \
	    command -v ldconfig >/dev/null 2>&1; then ldconfig; fi

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/hopcheck $(DESTDIR)$(SBINDIR)/hopcheckd \
	    $(DESTDIR)$(LIBDIR)/libhopcheck.a $(DESTDIR)$(LIBDIR)/$(SONAME) \
	    $(DESTDIR)$(LIBDIR)/libhopcheck.so \
	    $(DESTDIR)$(LIBDIR)/pkgconfig/hopcheck.pc \
	    $(DESTDIR)$(INCDIR)/hopcheck.h \
	    $(DESTDIR)$(MANDIR)/man1/hopcheck.1 \
	    $(DESTDIR)$(MANDIR)/man5/hopcheck.conf.5 \
	    $(DESTDIR)$(MANDIR)/man8/hopcheckd.8
	rm -rf $(DESTDIR)$(DOCDIR)
	@if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" -eq 0 ] && \
	    command -v ldconfig >/dev/null 2>&1; then ldconfig; fi
