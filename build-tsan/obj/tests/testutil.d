build-tsan/obj/tests/testutil.o: tests/testutil.c tests/testutil.h \
  include/hopcheck.h

tests/testutil.h:

include/hopcheck.h:
