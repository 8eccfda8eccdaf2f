/*
 * testutil.h - shared helpers of the CUnit suites.
 *
 * Each tests/test_<module>.c and tests/regress_<attack>.c is its own program:
 * it defines its suites with HC_SUITE tables and calls hc_test_main(), which
 * runs them with CUnit's basic interface (the summary shows the counts) and
 * exits non-zero on any failure.  Tests run from the top of the tree, so
 * data paths are relative to it ("tests/vectors/...", "testvectors/...").
 */
#ifndef HC_TESTUTIL_H
#define HC_TESTUTIL_H

#include <stddef.h>
#include <CUnit/CUnit.h>

#include "hopcheck.h"

typedef struct hc_test {
	const char *name;
	void (*fn)(void);
} hc_test;

typedef struct hc_suite {
	const char *name;
	const hc_test *tests;    /* terminated by {NULL, NULL} */
} hc_suite;

/* Runs the suites (terminated by {NULL, NULL}); returns the exit status. */
int hc_test_main(const hc_suite *suites);

/* Reads a whole file into a NUL-terminated heap buffer, or fails the test. */
char *hc_test_read(const char *path, size_t *len);

/*
 * Asserts that `got` equals `want`, printing both status names on failure
 * (and the detail when `detail` is not NULL).
 */
#define HC_ASSERT_STATUS(got, want) \
	hc_test_assert_status((got), (want), NULL, __FILE__, __LINE__)
#define HC_ASSERT_RESULT(res, want) \
	hc_test_assert_status(hc_result_status(res), (want), \
	    hc_result_detail(res), __FILE__, __LINE__)
void hc_test_assert_status(hc_status got, hc_status want, const char *detail,
    const char *file, int line);

struct cJSON;

/*
 * A validator of a vector file's `config`, with the top-level members of
 * each patch (either may be NULL) replacing their namesakes (a null member
 * removes its namesake); relative key paths resolve in `dir`.  NULL, after
 * saying why on stderr, when the configuration is refused.
 */
hc_validator *hc_test_validator(const struct cJSON *config,
    const struct cJSON *patch1, const struct cJSON *patch2, const char *dir);

/*
 * Runs the cases of a test vector file (DESIGN.md "Test vectors" format)
 * whose name starts with `prefix` ("" for all) through hc_validate(), each
 * asserted against its expected status.  The file's keys and extra files
 * are written to a temporary directory the configuration resolves against.
 * Returns the number of cases run (the caller asserts it is not zero).
 */
size_t hc_test_vectors(const char *file, const char *prefix);

/*
 * The main of a tests/regress_<attack>.c program: runs the group `prefix`
 * of testvectors/attacks.json (at least `min` cases) and the honest
 * baseline tokens of the same file, as one CUnit suite named `name`.
 */
int hc_regress_main(const char *name, const char *prefix, size_t min);

#endif
