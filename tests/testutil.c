/*
 * testutil.c - the runner behind every CUnit program of the suite.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <cjson/cJSON.h>
#include <unistd.h>

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

hc_validator *
hc_test_validator(const cJSON *config, const cJSON *patch1,
    const cJSON *patch2, const char *dir)
{
	const cJSON *patches[2] = { patch1, patch2 }, *m;
	cJSON *conf = cJSON_Duplicate(config, 1);
	hc_validator *v = NULL;
	char *text = NULL, *errors = NULL;

	if (conf == NULL)
		return NULL;
	for (size_t i = 0; i < 2; i++) {
		cJSON_ArrayForEach(m, patches[i]) {
			cJSON_DeleteItemFromObjectCaseSensitive(conf, m->string);
			if (!cJSON_IsNull(m))
				cJSON_AddItemToObject(conf, m->string,
				    cJSON_Duplicate(m, 1));
		}
	}
	if ((text = cJSON_PrintUnformatted(conf)) != NULL &&
	    hc_validator_new_from_json(text, strlen(text), dir, &v,
	    &errors) != HC_OK)
		fprintf(stderr, "\nconfiguration refused: %s\n",
		    errors != NULL ? errors : "?");
	hc_string_free(errors);
	cJSON_free(text);
	cJSON_Delete(conf);
	return v;
}

/* Writes a string, or a JSON value as text, to dir/name. */
static void
write_data(const char *dir, const char *name, const cJSON *val)
{
	char path[512];
	char *text = cJSON_IsString(val) ? NULL : cJSON_Print(val);
	FILE *f;

	if (strchr(name, '/') != NULL)
		CU_FAIL_FATAL("vector file names must be plain");
	(void)snprintf(path, sizeof(path), "%.256s/%.200s", dir, name);
	if ((f = fopen(path, "wb")) == NULL)
		CU_FAIL_FATAL("cannot write vector data");
	fputs(text ? text : val->valuestring, f);
	fclose(f);
	free(text);
}

static void
remove_dir(const char *dir, const cJSON *files)
{
	char path[512];
	const cJSON *e;

	(void)snprintf(path, sizeof(path), "%.256s/keys.json", dir);
	unlink(path);
	cJSON_ArrayForEach(e, files) {
		(void)snprintf(path, sizeof(path), "%.256s/%.200s", dir, e->string);
		unlink(path);
	}
	rmdir(dir);
}

/* Applies a case's "request" object. */
static hc_request *
make_request(const cJSON *c, hc_status *refused)
{
	const cJSON *rq = cJSON_GetObjectItemCaseSensitive(c, "request");
	const cJSON *now = cJSON_GetObjectItemCaseSensitive(c, "now");
	const cJSON *j;
	hc_request *req = hc_request_new();

	if (req == NULL)
		return NULL;
	if (cJSON_IsNumber(now))
		hc_request_set_time(req, (int64_t)now->valuedouble);
	if ((j = cJSON_GetObjectItemCaseSensitive(rq, "route")) != NULL &&
	    cJSON_IsString(j)) {
		char method[32];
		const char *sp = strchr(j->valuestring, ' ');
		size_t ml = sp ? (size_t)(sp - j->valuestring) : 0;
		if (sp != NULL && ml < sizeof(method)) {
			memcpy(method, j->valuestring, ml);
			method[ml] = '\0';
			CU_ASSERT_EQUAL(hc_request_set_route(req, method, sp + 1),
			    HC_OK);
		}
	}
	if ((j = cJSON_GetObjectItemCaseSensitive(rq, "tenant")) != NULL &&
	    cJSON_IsString(j))
		CU_ASSERT_EQUAL(hc_request_set_tenant(req, j->valuestring), HC_OK);
	if ((j = cJSON_GetObjectItemCaseSensitive(rq, "peer_cert_file")) != NULL &&
	    cJSON_IsString(j)) {
		size_t n;
		char *pem = hc_test_read(j->valuestring, &n);
		CU_ASSERT_EQUAL(hc_request_set_peer_cert(req,
		    (const unsigned char *)pem, n), HC_OK);
		free(pem);
	}
	/* A refused x-forwarded-client-cert value is the case's verdict. */
	*refused = HC_OK;
	if ((j = cJSON_GetObjectItemCaseSensitive(rq, "xfcc")) != NULL &&
	    cJSON_IsString(j))
		*refused = hc_request_set_xfcc(req, j->valuestring,
		    strlen(j->valuestring));
	{
		const cJSON *x = cJSON_GetObjectItemCaseSensitive(rq, "peer_x5t");
		const cJSON *sid = cJSON_GetObjectItemCaseSensitive(rq,
		    "peer_spiffe_id");
		if (cJSON_IsString(x) || cJSON_IsString(sid))
			CU_ASSERT_EQUAL(hc_request_set_peer_identity(req,
			    cJSON_IsString(x) ? x->valuestring : NULL,
			    cJSON_IsString(sid) ? sid->valuestring : NULL), HC_OK);
	}
	return req;
}

size_t
hc_test_vectors(const char *file, const char *prefix)
{
	const char *tmp = getenv("TMPDIR");
	char dir[256];
	char *text;
	const cJSON *cases, *c, *files;
	hc_validator *v = NULL;
	size_t run = 0;
	cJSON *root;

	text = hc_test_read(file, NULL);
	root = cJSON_Parse(text);
	free(text);
	if (root == NULL)
		CU_FAIL_FATAL("vector file is not JSON");
	(void)snprintf(dir, sizeof(dir), "%s/hopcheck-vectors-XXXXXX",
	    tmp != NULL && tmp[0] != '\0' ? tmp : P_tmpdir);
	if (mkdtemp(dir) == NULL)
		CU_FAIL_FATAL("mkdtemp");
	write_data(dir, "keys.json", cJSON_GetObjectItemCaseSensitive(root,
	    "keys"));
	files = cJSON_GetObjectItemCaseSensitive(root, "files");
	cJSON_ArrayForEach(c, files)
		write_data(dir, c->string, c);
	v = hc_test_validator(cJSON_GetObjectItemCaseSensitive(root, "config"),
	    NULL, NULL, dir);
	if (v == NULL) {
		fprintf(stderr, "%s: its configuration was refused\n", file);
		CU_FAIL("vector configuration refused");
	}
	cases = cJSON_GetObjectItemCaseSensitive(root, "cases");
	cJSON_ArrayForEach(c, cases) {
		const cJSON *name = cJSON_GetObjectItemCaseSensitive(c, "name");
		const cJSON *tok = cJSON_GetObjectItemCaseSensitive(c, "token");
		const cJSON *exp = cJSON_GetObjectItemCaseSensitive(c, "expect");
		hc_status want, refused = HC_OK;
		hc_request *req;
		hc_result *res = NULL;

		if (v == NULL || !cJSON_IsString(name) ||
		    strncmp(name->valuestring, prefix, strlen(prefix)) != 0)
			continue;
		if (!cJSON_IsString(tok) || !cJSON_IsString(exp) ||
		    hc_status_from_name(exp->valuestring, &want) != 0) {
			CU_FAIL("malformed vector case");
			continue;
		}
		req = make_request(c, &refused);
		if (refused != HC_OK) {
			HC_ASSERT_STATUS(refused, want);
		} else {
			(void)hc_validate(v, tok->valuestring,
			    strlen(tok->valuestring), req, &res);
			if (hc_result_status(res) != want)
				fprintf(stderr, "\n  case %s:", name->valuestring);
			HC_ASSERT_RESULT(res, want);
		}
		hc_result_free(res);
		hc_request_free(req);
		run++;
	}
	hc_validator_free(v);
	remove_dir(dir, files);
	cJSON_Delete(root);
	return run;
}

static const char *regress_prefix;
static size_t regress_min;

static void
regress_vectors(void)
{
	CU_ASSERT(hc_test_vectors("testvectors/attacks.json", regress_prefix) >=
	    regress_min);
}

static void
regress_baseline(void)
{
	/* The same keys and configuration accept honest tokens. */
	CU_ASSERT(hc_test_vectors("testvectors/attacks.json", "baseline/") >= 2);
}

int
hc_regress_main(const char *name, const char *prefix, size_t min)
{
	static const hc_test tests[] = {
		{ "attack vectors rejected with their status", regress_vectors },
		{ "honest tokens still accepted", regress_baseline },
		{ NULL, NULL }
	};
	hc_suite suites[] = { { name, tests }, { NULL, NULL } };

	regress_prefix = prefix;
	regress_min = min;
	return hc_test_main(suites);
}
