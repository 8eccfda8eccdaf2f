build-tsan/obj/bundle.o: src/bundle.c src/crypto.h src/internal.h \
  include/hopcheck.h src/hc_limits.h src/fetch.h src/policy.h

src/crypto.h:

src/internal.h:

include/hopcheck.h:

src/hc_limits.h:

src/fetch.h:

src/policy.h:
