/*
 * testutil.c - the runner behind every CUnit program of the suite.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>

#include "testutil.h"

int
hc_test_main(const hc_suite *suites)
{
	unsigned failed;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	for (const hc_suite *s = suites; s->name != NULL; s++) {
		CU_pSuite cs = CU_add_suite(s->name, NULL, NULL);
		if (cs == NULL)
			return 2;
		for (const hc_test *t = s->tests; t->name != NULL; t++)
			if (CU_add_test(cs, t->name, t->fn) == NULL)
				return 2;
	}
	CU_basic_set_mode(CU_BRM_NORMAL);
	CU_basic_run_tests();
	failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	if (CU_get_number_of_tests_run() == 0)
		failed = 1;
	CU_cleanup_registry();
	return failed == 0 ? 0 : 1;
}

char *
hc_test_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0;

	if (f == NULL) {
		fprintf(stderr, "cannot open %s\n", path);
		CU_FAIL_FATAL("test data file missing");
		return NULL;
	}
	for (;;) {
		if (n + 4096 + 1 > cap) {
			cap = (cap + 4096 + 1) * 2;
			buf = realloc(buf, cap);
			if (buf == NULL)
				abort();
		}
		size_t r = fread(buf + n, 1, 4096, f);
		n += r;
		if (r < 4096)
			break;
	}
	fclose(f);
	buf[n] = '\0';
	if (len != NULL)
		*len = n;
	return buf;
}

void
hc_test_assert_status(hc_status got, hc_status want, const char *detail,
    const char *file, int line)
{
	if (got != want)
		fprintf(stderr, "\n%s:%d: status %s, want %s%s%s\n", file, line,
		    hc_status_name(got), hc_status_name(want),
		    detail ? ": " : "", detail ? detail : "");
	CU_assertImplementation(got == want, (unsigned)line,
	    "status matches", file, "", CU_FALSE);
}
