build-tsan/obj/tests/test_replay.o: tests/test_replay.c src/replay.h \
  include/hopcheck.h src/validator.h src/crypto.h src/internal.h \
  src/hc_limits.h src/policy.h tests/testutil.h

src/replay.h:

include/hopcheck.h:

src/validator.h:

src/crypto.h:

src/internal.h:

src/hc_limits.h:

src/policy.h:

tests/testutil.h:
