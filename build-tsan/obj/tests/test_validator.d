build-tsan/obj/tests/test_validator.o: tests/test_validator.c \
  src/hc_limits.h tests/testutil.h include/hopcheck.h

src/hc_limits.h:

tests/testutil.h:

include/hopcheck.h:
