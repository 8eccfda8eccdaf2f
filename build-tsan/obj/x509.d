build-tsan/obj/x509.o: src/x509.c src/internal.h include/hopcheck.h \
  src/hc_limits.h

src/internal.h:

include/hopcheck.h:

src/hc_limits.h:
