build-tsan/obj/util.o: src/util.c src/internal.h include/hopcheck.h \
  src/hc_limits.h

src/internal.h:

include/hopcheck.h:

src/hc_limits.h:
