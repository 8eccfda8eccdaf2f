build-tsan/obj/validator.o: src/validator.c src/validator.h src/crypto.h \
  src/internal.h include/hopcheck.h src/hc_limits.h src/policy.h

src/validator.h:

src/crypto.h:

src/internal.h:

include/hopcheck.h:

src/hc_limits.h:

src/policy.h:
