build-tsan/obj/tests/test_fetch.o: tests/test_fetch.c tests/testutil.h \
  include/hopcheck.h src/crypto.h src/internal.h src/hc_limits.h \
  src/fetch.h src/policy.h

tests/testutil.h:

include/hopcheck.h:

src/crypto.h:

src/internal.h:

src/hc_limits.h:

src/fetch.h:

src/policy.h:
