build-tsan/obj/binding.o: src/binding.c src/binding.h src/internal.h \
  include/hopcheck.h src/hc_limits.h src/validator.h src/crypto.h \
  src/policy.h

src/binding.h:

src/internal.h:

include/hopcheck.h:

src/hc_limits.h:

src/validator.h:

src/crypto.h:

src/policy.h:
