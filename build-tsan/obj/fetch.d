build-tsan/obj/fetch.o: src/fetch.c src/fetch.h src/crypto.h \
  src/internal.h include/hopcheck.h src/hc_limits.h src/policy.h

src/fetch.h:

src/crypto.h:

src/internal.h:

include/hopcheck.h:

src/hc_limits.h:

src/policy.h:
