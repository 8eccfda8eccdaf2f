build-tsan/obj/keyset.o: src/keyset.c src/crypto.h src/internal.h \
  include/hopcheck.h src/hc_limits.h

src/crypto.h:

src/internal.h:

include/hopcheck.h:

src/hc_limits.h:
