build-tsan/obj/b64url.o: src/b64url.c src/internal.h include/hopcheck.h \
  src/hc_limits.h

src/internal.h:

include/hopcheck.h:

src/hc_limits.h:
