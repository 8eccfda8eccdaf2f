build-tsan/obj/replay.o: src/replay.c src/validator.h src/crypto.h \
  src/internal.h include/hopcheck.h src/hc_limits.h src/policy.h \
  src/replay.h

src/validator.h:

src/crypto.h:

src/internal.h:

include/hopcheck.h:

src/hc_limits.h:

src/policy.h:

src/replay.h:
