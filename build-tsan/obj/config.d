build-tsan/obj/config.o: src/config.c src/crypto.h src/internal.h \
  include/hopcheck.h src/hc_limits.h src/policy.h

src/crypto.h:

src/internal.h:

include/hopcheck.h:

src/hc_limits.h:

src/policy.h:
