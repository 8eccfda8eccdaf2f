build-tsan/obj/tests/test_crypto.o: tests/test_crypto.c src/crypto.h \
  src/internal.h include/hopcheck.h src/hc_limits.h tests/testutil.h

src/crypto.h:

src/internal.h:

include/hopcheck.h:

src/hc_limits.h:

tests/testutil.h:
