build-tsan/obj/tests/test_cache.o: tests/test_cache.c tests/testutil.h \
  include/hopcheck.h src/validator.h src/crypto.h src/internal.h \
  src/hc_limits.h src/policy.h

tests/testutil.h:

include/hopcheck.h:

src/validator.h:

src/crypto.h:

src/internal.h:

src/hc_limits.h:

src/policy.h:
