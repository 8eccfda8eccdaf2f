build-tsan/obj/json.o: src/json.c src/internal.h include/hopcheck.h \
  src/hc_limits.h

src/internal.h:

include/hopcheck.h:

src/hc_limits.h:
