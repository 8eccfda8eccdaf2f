build-tsan/obj/crypto_mbedtls.o: src/crypto_mbedtls.c src/crypto.h \
  src/internal.h include/hopcheck.h src/hc_limits.h

src/crypto.h:

src/internal.h:

include/hopcheck.h:

src/hc_limits.h:
