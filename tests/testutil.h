/* SPDX-License-Identifier: Apache-2.0 */
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

/*
 * The hooks of the suite called `suite`: CUnit runs init once before its
 * first test and cleanup once after its last (each returns 0 on success; a
 * failing init skips the suite and fails the program).  State the tests of
 * a suite share is set up and released here, never by a test of its own.
 */
typedef struct hc_hooks {
	const char *suite;
	int (*init)(void);       /* may be NULL */
	int (*cleanup)(void);    /* may be NULL */
} hc_hooks;

/* Runs the suites (terminated by {NULL, NULL}); returns the exit status. */
int hc_test_main(const hc_suite *suites);

/*
 * The same, with the hooks of some suites (terminated by a NULL suite); a
 * hook naming no suite is a mistake of the program and fails it.
 */
int hc_test_main_hooks(const hc_suite *suites, const hc_hooks *hooks);

/*
 * Reads a whole file into a NUL-terminated heap buffer, or fails the test
 * (and stops it; in a suite hook, returns NULL).
 */
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

/* ------------------------------------------------------ vector files */

/*
 * The one loader of the language-neutral vector files (testvectors/<name>.json:
 * {"keys", "files", "config", "cases", ...}).  It is strict, so that a typo
 * in a vector cannot silently test something else: every case must carry
 * a numeric `now` (no case falls back to the system clock), a case or
 * request member the loader does not know fails the test naming it, and
 * `expect` must be a status name hc_status_from_name() knows.
 *
 * A request is {"route": "METHOD /path", "tenant", "peer_cert_file" (a
 * path relative to the top of the tree), "peer_x5t", "peer_spiffe_id",
 * "xfcc", "txn_token" (the Txn-Token header)}, applied in the order of
 * hopcheck(1) validate; a route, xfcc or txn_token value the request
 * setter refuses is the case's verdict, as in the CLI.  A case without
 * "token" carries no access token.  An exchange case with "txn": true is
 * a Txn-Token replacement (hc_check_txn_replacement()).
 */
#define HC_VEC_MAX_FILES  16     /* "files" of one document */
#define HC_VEC_PATH_MAX   1024

typedef struct hc_vec {
	const char *file;        /* as given to hc_vec_open() */
	struct cJSON *doc;
	char dir[HC_VEC_PATH_MAX];       /* keys.json and "files" are here */
	char *names[HC_VEC_MAX_FILES + 1];
	size_t nnames;
	hc_validator *v;         /* of the document's "config" */
} hc_vec;

/*
 * Reads `file`, writes its keys and files into a fresh temporary directory
 * and builds the validator of its configuration.  Returns 0, or -1 after
 * failing the test (the hc_vec is then closed).
 */
int hc_vec_open(hc_vec *vf, const char *file);

/* Frees the validator and document and removes the directory; idempotent. */
void hc_vec_close(hc_vec *vf);

/*
 * A validator of the document's `config`, with the top-level members of
 * each patch (either may be NULL) replacing their namesakes (a null member
 * removes its namesake).  NULL, after saying why on stderr, when refused.
 */
hc_validator *hc_vec_validator(const hc_vec *vf, const struct cJSON *patch1,
    const struct cJSON *patch2);

/* The case called `name` in list `list`, or NULL after failing the test. */
const struct cJSON *hc_vec_find(const hc_vec *vf, const char *list,
    const char *name);

/*
 * Checks a case's members (known names, `now` a number, `expect` a status
 * name) and stores its expected status in *want.  Returns 0, or -1 after
 * failing the test with the file, case and member named.
 */
int hc_vec_check(const hc_vec *vf, const struct cJSON *c, hc_status *want);

/*
 * The request of a token case: its clock and its "request" members.
 * Returns NULL with *refused set when the route or xfcc setter refused the
 * value (the verdict), and NULL with *refused HC_OK after failing the test
 * when the case is malformed.
 */
hc_request *hc_vec_request(const hc_vec *vf, const struct cJSON *c,
    hc_status *refused);

/*
 * Runs one case of any list: a token case through hc_validate() with its
 * config_patch and request, an exchange case ("subject_token") through
 * hc_check_exchange().  Returns the status and copies the detail into
 * detail[n] (for a refused request, a sentence saying so).  HC_INTERNAL,
 * after failing the test, for a malformed case.
 */
hc_status hc_vec_run(const hc_vec *vf, const struct cJSON *c, char *detail,
    size_t n);

/*
 * A validator of a vector file's `config`, with the top-level members of
 * each patch (either may be NULL) replacing their namesakes; relative key
 * paths resolve in `dir`.  NULL, after saying why on stderr, when refused.
 * (hc_vec_validator() for a loaded file.)
 */
hc_validator *hc_test_validator(const struct cJSON *config,
    const struct cJSON *patch1, const struct cJSON *patch2, const char *dir);

/*
 * Runs every case of `file` ("cases", "peer_cases" and "exchange_cases")
 * whose name starts with `prefix` ("" for all), each asserted against its
 * expected status.
 * Returns the number of cases run (the caller asserts it is not zero).
 */
size_t hc_test_vectors(const char *file, const char *prefix);

/* ---------------------------------------------------- regress programs */

/*
 * One attack case of testvectors/attacks.json and what must come of it:
 * the exact status, a fragment of hc_result_detail() that shows the right
 * thing was caught (so the case cannot pass for another reason), and why
 * hopcheck refuses (or accepts) it, printed when the record fails.
 */
typedef struct hc_regress_record {
	const char *name;
	hc_status want;
	const char *detail;
	const char *why;
} hc_regress_record;

/*
 * The main of a tests/regress_<attack>.c program: runs the records
 * (terminated by a NULL name) against testvectors/attacks.json, checks
 * that every case of the file named `prefix`... has a record, and that the
 * honest baseline tokens of the same file are accepted, as one CUnit
 * suite named `name`.
 */
int hc_regress_main(const char *name, const char *prefix,
    const hc_regress_record *records);

/* The same against the vector file `file` (its baseline/ cases too). */
int hc_regress_main_file(const char *name, const char *file,
    const char *prefix, const hc_regress_record *records);

#endif
