build-tsan/obj/jws.o: src/jws.c src/internal.h include/hopcheck.h \
  src/hc_limits.h

src/internal.h:

include/hopcheck.h:

src/hc_limits.h:
