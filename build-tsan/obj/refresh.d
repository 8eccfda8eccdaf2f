build-tsan/obj/refresh.o: src/refresh.c src/fetch.h src/crypto.h \
  src/internal.h include/hopcheck.h src/hc_limits.h src/policy.h \
  src/validator.h

src/fetch.h:

src/crypto.h:

src/internal.h:

include/hopcheck.h:

src/hc_limits.h:

src/policy.h:

src/validator.h:
