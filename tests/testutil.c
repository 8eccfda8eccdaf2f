/* SPDX-License-Identifier: Apache-2.0 */
/*
 * testutil.c - the runner behind every CUnit program of the suite, the one
 * loader of the vector files, and the main of the regress programs.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <cjson/cJSON.h>
#include <unistd.h>

#include "testutil.h"

/* The hooks of suite `name` in `hooks` (may be NULL), or NULL. */
static const hc_hooks *
find_hooks(const hc_hooks *hooks, const char *name)
{
	for (; hooks != NULL && hooks->suite != NULL; hooks++)
		if (strcmp(hooks->suite, name) == 0)
			return hooks;
	return NULL;
}

int
hc_test_main_hooks(const hc_suite *suites, const hc_hooks *hooks)
{
	unsigned failed;

	for (const hc_hooks *h = hooks; h != NULL && h->suite != NULL; h++) {
		const hc_suite *s = suites;

		while (s->name != NULL && strcmp(s->name, h->suite) != 0)
			s++;
		if (s->name == NULL) {
			fprintf(stderr, "hooks for suite \"%s\", which does "
			    "not exist\n", h->suite);
			return 2;
		}
	}
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	for (const hc_suite *s = suites; s->name != NULL; s++) {
		const hc_hooks *h = find_hooks(hooks, s->name);
		CU_pSuite cs = CU_add_suite(s->name, h ? h->init : NULL,
		    h ? h->cleanup : NULL);
		if (cs == NULL)
			return 2;
		for (const hc_test *t = s->tests; t->name != NULL; t++)
			if (CU_add_test(cs, t->name, t->fn) == NULL)
				return 2;
	}
	CU_basic_set_mode(CU_BRM_NORMAL);
	CU_basic_run_tests();
	failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed() +
	    CU_get_number_of_suites_failed();
	if (CU_get_number_of_tests_run() == 0)
		failed = 1;
	CU_cleanup_registry();
	return failed == 0 ? 0 : 1;
}

int
hc_test_main(const hc_suite *suites)
{
	return hc_test_main_hooks(suites, NULL);
}

char *
hc_test_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0;

	if (f == NULL) {
		fprintf(stderr, "cannot open %s\n", path);
		/* A suite's init or cleanup hook has no test to stop. */
		if (CU_get_current_test() == NULL) {
			CU_FAIL("test data file missing");
		} else {
			CU_FAIL_FATAL("test data file missing");
		}
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

/* ------------------------------------------------------ vector files */

/* A name from a vector file must stay inside the temporary directory. */
static int
safe_name(const char *name)
{
	return name != NULL && name[0] != '\0' && strcmp(name, ".") != 0 &&
	    strcmp(name, "..") != 0 && strchr(name, '/') == NULL;
}

/* Writes a string's bytes, or any other value as JSON text, as dir/name. */
static int
vec_write(hc_vec *vf, const char *name, const cJSON *val)
{
	char path[HC_VEC_PATH_MAX], *text = NULL;
	const char *data;
	FILE *f;
	int ok;

	if (!safe_name(name) || val == NULL ||
	    vf->nnames >= HC_VEC_MAX_FILES + 1)
		return -1;
	if (snprintf(path, sizeof(path), "%s/%s", vf->dir, name) >=
	    (int)sizeof(path))
		return -1;
	if (cJSON_IsString(val))
		data = val->valuestring;
	else if ((data = text = cJSON_PrintUnformatted(val)) == NULL)
		return -1;
	if ((vf->names[vf->nnames] = strdup(name)) == NULL) {
		cJSON_free(text);
		return -1;
	}
	vf->nnames++;
	if ((f = fopen(path, "wb")) == NULL) {
		cJSON_free(text);
		return -1;
	}
	ok = fputs(data, f) >= 0;
	if (fclose(f) != 0)
		ok = 0;
	cJSON_free(text);
	return ok ? 0 : -1;
}

void
hc_vec_close(hc_vec *vf)
{
	char path[HC_VEC_PATH_MAX];

	hc_validator_free(vf->v);
	for (size_t i = 0; i < vf->nnames; i++) {
		if (snprintf(path, sizeof(path), "%s/%s", vf->dir,
		    vf->names[i]) < (int)sizeof(path))
			(void)unlink(path);
		free(vf->names[i]);
	}
	if (vf->dir[0] != '\0' && rmdir(vf->dir) != 0)
		fprintf(stderr, "cannot remove %s: %s\n", vf->dir,
		    strerror(errno));
	cJSON_Delete(vf->doc);
	memset(vf, 0, sizeof(*vf));
}

int
hc_vec_open(hc_vec *vf, const char *file)
{
	const char *base = getenv("TMPDIR");
	const cJSON *f, *files;
	char *buf;
	size_t len;

	memset(vf, 0, sizeof(*vf));
	vf->file = file;
	if ((buf = hc_test_read(file, &len)) == NULL)
		return -1;
	vf->doc = cJSON_ParseWithLength(buf, len);
	free(buf);
	if (!cJSON_IsObject(vf->doc)) {
		fprintf(stderr, "\n%s: not a JSON object\n", file);
		CU_FAIL("vector file is not JSON");
		hc_vec_close(vf);
		return -1;
	}
	files = cJSON_GetObjectItemCaseSensitive(vf->doc, "files");
	if (files != NULL && (!cJSON_IsObject(files) ||
	    cJSON_GetArraySize(files) > HC_VEC_MAX_FILES)) {
		fprintf(stderr, "\n%s: \"files\" is not an object of at most "
		    "%d members\n", file, HC_VEC_MAX_FILES);
		CU_FAIL("vector file's files malformed");
		hc_vec_close(vf);
		return -1;
	}
	if (base == NULL || base[0] == '\0')
		base = P_tmpdir;
	if (snprintf(vf->dir, sizeof(vf->dir), "%s/hc-vectors-XXXXXX", base) >=
	    (int)sizeof(vf->dir) || mkdtemp(vf->dir) == NULL) {
		vf->dir[0] = '\0';
		CU_FAIL("cannot make a temporary directory");
		hc_vec_close(vf);
		return -1;
	}
	if (vec_write(vf, "keys.json", cJSON_GetObjectItemCaseSensitive(vf->doc,
	    "keys")) != 0) {
		fprintf(stderr, "\n%s: cannot write its keys\n", file);
		goto fail;
	}
	cJSON_ArrayForEach(f, files) {
		if (vec_write(vf, f->string, f) != 0) {
			fprintf(stderr, "\n%s: cannot write file \"%s\"\n",
			    file, f->string);
			goto fail;
		}
	}
	if ((vf->v = hc_vec_validator(vf, NULL, NULL)) != NULL)
		return 0;
	fprintf(stderr, "%s: its configuration was refused\n", file);
fail:
	CU_FAIL("cannot set up the vector file");
	hc_vec_close(vf);
	return -1;
}

hc_validator *
hc_vec_validator(const hc_vec *vf, const cJSON *patch1, const cJSON *patch2)
{
	return hc_test_validator(cJSON_GetObjectItemCaseSensitive(vf->doc,
	    "config"), patch1, patch2, vf->dir);
}

const cJSON *
hc_vec_find(const hc_vec *vf, const char *list, const char *name)
{
	const cJSON *c;

	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(vf->doc, list)) {
		const cJSON *n = cJSON_GetObjectItemCaseSensitive(c, "name");
		if (cJSON_IsString(n) && strcmp(n->valuestring, name) == 0)
			return c;
	}
	fprintf(stderr, "\n%s: no case %s in %s\n", vf->file, name, list);
	CU_FAIL("vector case missing");
	return NULL;
}

/* Whether `name` is in the NULL-terminated list `known`. */
static int
known_name(const char *const *known, const char *name)
{
	for (; *known != NULL; known++)
		if (strcmp(*known, name) == 0)
			return 1;
	return 0;
}

/* The name of a case for messages. */
static const char *
case_name(const cJSON *c)
{
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(c, "name");

	return cJSON_IsString(n) ? n->valuestring : "(unnamed)";
}

/* Fails the test naming the file, the case and what is wrong with it. */
static int
bad_case(const hc_vec *vf, const cJSON *c, const char *what, const char *m)
{
	fprintf(stderr, "\n%s: case %s: %s \"%s\"\n", vf->file, case_name(c),
	    what, m);
	CU_FAIL("malformed vector case");
	return -1;
}

int
hc_vec_check(const hc_vec *vf, const cJSON *c, hc_status *want)
{
	static const char *const case_members[] = {
		"name", "description", "token", "now", "expect", "request",
		"config_patch", "subject_token", "issued_token", "audience",
		"self", "requires", "txn", "tenant_claim", NULL
	};
	static const char *const request_members[] = {
		"route", "tenant", "peer_cert_file", "peer_x5t",
		"peer_spiffe_id", "xfcc", "txn_token", "scheme", "dpop", "wit",
		"wpt", NULL
	};
	const cJSON *m, *e = cJSON_GetObjectItemCaseSensitive(c, "expect");
	const cJSON *rq = cJSON_GetObjectItemCaseSensitive(c, "request");
	const cJSON *patch = cJSON_GetObjectItemCaseSensitive(c,
	    "config_patch");

	if (!cJSON_IsObject(c))
		return bad_case(vf, c, "not an object", "");
	cJSON_ArrayForEach(m, c)
		if (!known_name(case_members, m->string))
			return bad_case(vf, c, "unknown member", m->string);
	if (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(c, "name")))
		return bad_case(vf, c, "lacks a string member", "name");
	if (!cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(c, "now")))
		return bad_case(vf, c, "lacks a numeric member", "now");
	if (!cJSON_IsString(e) || hc_status_from_name(e->valuestring,
	    want) != 0)
		return bad_case(vf, c, "expects no status name",
		    cJSON_IsString(e) ? e->valuestring : "expect");
	if (rq != NULL && !cJSON_IsObject(rq))
		return bad_case(vf, c, "member is not an object", "request");
	if (patch != NULL && !cJSON_IsObject(patch))
		return bad_case(vf, c, "member is not an object",
		    "config_patch");
	cJSON_ArrayForEach(m, rq) {
		if (!known_name(request_members, m->string))
			return bad_case(vf, c, "unknown request member",
			    m->string);
		if (!cJSON_IsString(m))
			return bad_case(vf, c, "request member is not a string",
			    m->string);
	}
	return 0;
}

/* A refusal by a request setter: the verdict, as in hopcheck(1). */
static hc_request *
refused_by(hc_request *req, hc_status st, hc_status *refused)
{
	hc_request_free(req);
	*refused = st;
	return NULL;
}

hc_request *
hc_vec_request(const hc_vec *vf, const cJSON *c, hc_status *refused)
{
	const cJSON *rq = cJSON_GetObjectItemCaseSensitive(c, "request");
	const cJSON *now = cJSON_GetObjectItemCaseSensitive(c, "now");
	const cJSON *route = cJSON_GetObjectItemCaseSensitive(rq, "route");
	const cJSON *tenant = cJSON_GetObjectItemCaseSensitive(rq, "tenant");
	const cJSON *pcert = cJSON_GetObjectItemCaseSensitive(rq,
	    "peer_cert_file");
	const cJSON *px5t = cJSON_GetObjectItemCaseSensitive(rq, "peer_x5t");
	const cJSON *psid = cJSON_GetObjectItemCaseSensitive(rq,
	    "peer_spiffe_id");
	const cJSON *xfcc = cJSON_GetObjectItemCaseSensitive(rq, "xfcc");
	const cJSON *txn = cJSON_GetObjectItemCaseSensitive(rq, "txn_token");
	const cJSON *scheme = cJSON_GetObjectItemCaseSensitive(rq, "scheme");
	const cJSON *dpop = cJSON_GetObjectItemCaseSensitive(rq, "dpop");
	const cJSON *wit = cJSON_GetObjectItemCaseSensitive(rq, "wit");
	const cJSON *wpt = cJSON_GetObjectItemCaseSensitive(rq, "wpt");
	hc_request *req;
	hc_status want, st;

	*refused = HC_OK;
	if (hc_vec_check(vf, c, &want) != 0)
		return NULL;
	if ((req = hc_request_new()) == NULL) {
		CU_FAIL("hc_request_new");
		return NULL;
	}
	hc_request_set_time(req, (int64_t)now->valuedouble);
	if (route != NULL) {
		const char *r = route->valuestring, *sp = strchr(r, ' ');
		char method[32];

		if (sp == NULL || sp == r ||
		    (size_t)(sp - r) >= sizeof(method)) {
			hc_request_free(req);
			(void)bad_case(vf, c, "route is not \"METHOD /path\":",
			    r);
			return NULL;
		}
		memcpy(method, r, (size_t)(sp - r));
		method[sp - r] = '\0';
		if ((st = hc_request_set_route(req, method, sp + 1)) != HC_OK)
			return refused_by(req, st, refused);
	}
	if (tenant != NULL)
		HC_ASSERT_STATUS(hc_request_set_tenant(req,
		    tenant->valuestring), HC_OK);
	if (pcert != NULL) {
		size_t n;
		char *pem = hc_test_read(pcert->valuestring, &n);

		HC_ASSERT_STATUS(hc_request_set_peer_cert(req,
		    (const unsigned char *)pem, n), HC_OK);
		free(pem);
	}
	if (px5t != NULL || psid != NULL)
		HC_ASSERT_STATUS(hc_request_set_peer_identity(req,
		    px5t != NULL ? px5t->valuestring : NULL,
		    psid != NULL ? psid->valuestring : NULL), HC_OK);
	if (xfcc != NULL && (st = hc_request_set_xfcc(req, xfcc->valuestring,
	    strlen(xfcc->valuestring))) != HC_OK)
		return refused_by(req, st, refused);
	if (txn != NULL && (st = hc_request_set_txn_token(req, txn->valuestring,
	    strlen(txn->valuestring))) != HC_OK)
		return refused_by(req, st, refused);
	/* "scheme": "DPoP" or "Bearer"; a "dpop" proof implies DPoP. */
	if (scheme != NULL && (st = hc_request_set_auth_scheme(req,
	    strcmp(scheme->valuestring, "DPoP") == 0 ? HC_SCHEME_DPOP :
	    HC_SCHEME_BEARER)) != HC_OK)
		return refused_by(req, st, refused);
	if (dpop != NULL && (st = hc_request_set_dpop(req, dpop->valuestring,
	    strlen(dpop->valuestring))) != HC_OK)
		return refused_by(req, st, refused);
	if (wit != NULL && (st = hc_request_set_wit(req, wit->valuestring,
	    strlen(wit->valuestring))) != HC_OK)
		return refused_by(req, st, refused);
	if (wpt != NULL && (st = hc_request_set_wpt(req, wpt->valuestring,
	    strlen(wpt->valuestring))) != HC_OK)
		return refused_by(req, st, refused);
	return req;
}

/*
 * Runs an exchange case through hc_check_exchange(), or, when it names a
 * "tenant_claim", hc_check_exchange_ex().
 */
static hc_status
vec_exchange(const hc_vec *vf, const cJSON *c, char *detail, size_t n)
{
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(c, "subject_token");
	const cJSON *i = cJSON_GetObjectItemCaseSensitive(c, "issued_token");
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(c, "audience");
	const cJSON *self = cJSON_GetObjectItemCaseSensitive(c, "self");
	const cJSON *now = cJSON_GetObjectItemCaseSensitive(c, "now");
	const cJSON *tc = cJSON_GetObjectItemCaseSensitive(c, "tenant_claim");
	char *d = NULL;
	hc_status st;

	if (tc != NULL && !cJSON_IsString(tc)) {
		(void)bad_case(vf, c, "non-string member", "tenant_claim");
		return HC_INTERNAL;
	}
	/* A Txn-Token replacement (section 13.15 of the draft). */
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(c, "txn")) &&
	    cJSON_IsString(s) && cJSON_IsString(i)) {
		st = hc_check_txn_replacement(vf->v, s->valuestring,
		    strlen(s->valuestring), i->valuestring,
		    strlen(i->valuestring), (int64_t)now->valuedouble, &d);
		(void)snprintf(detail, n, "%s", d != NULL ? d : "");
		hc_string_free(d);
		return st;
	}
	if (!cJSON_IsString(s) || !cJSON_IsString(i) || !cJSON_IsString(a) ||
	    !cJSON_IsString(self)) {
		(void)bad_case(vf, c, "lacks a string member of",
		    "subject_token issued_token audience self");
		return HC_INTERNAL;
	}
	if (tc != NULL)
		st = hc_check_exchange_ex(vf->v, s->valuestring,
		    strlen(s->valuestring), i->valuestring,
		    strlen(i->valuestring), a->valuestring, self->valuestring,
		    tc->valuestring, (int64_t)now->valuedouble, &d);
	else
		st = hc_check_exchange(vf->v, s->valuestring,
		    strlen(s->valuestring), i->valuestring,
		    strlen(i->valuestring), a->valuestring, self->valuestring,
		    (int64_t)now->valuedouble, &d);
	(void)snprintf(detail, n, "%s", d != NULL ? d : "");
	hc_string_free(d);
	return st;
}

hc_status
hc_vec_run(const hc_vec *vf, const cJSON *c, char *detail, size_t n)
{
	const cJSON *tok = cJSON_GetObjectItemCaseSensitive(c, "token");
	const cJSON *patch = cJSON_GetObjectItemCaseSensitive(c,
	    "config_patch");
	hc_validator *pv = NULL;
	hc_request *req;
	hc_result *res = NULL;
	hc_status want, st;

	detail[0] = '\0';
	if (hc_vec_check(vf, c, &want) != 0)
		return HC_INTERNAL;
	if (cJSON_GetObjectItemCaseSensitive(c, "subject_token") != NULL)
		return vec_exchange(vf, c, detail, n);
	/* No token: a request without an access token (a Txn-Token, a peer). */
	if (tok != NULL && !cJSON_IsString(tok)) {
		(void)bad_case(vf, c, "member is not a string", "token");
		return HC_INTERNAL;
	}
	if (patch != NULL && (pv = hc_vec_validator(vf, patch, NULL)) == NULL) {
		(void)bad_case(vf, c, "configuration refused with",
		    "config_patch");
		return HC_INTERNAL;
	}
	if ((req = hc_vec_request(vf, c, &st)) == NULL) {
		hc_validator_free(pv);
		if (st == HC_OK)
			return HC_INTERNAL;
		(void)snprintf(detail, n, "the request setter refused the "
		    "case's route or xfcc with %s", hc_status_name(st));
		return st;
	}
	st = hc_validate(pv != NULL ? pv : vf->v, tok != NULL ?
	    tok->valuestring : NULL, tok != NULL ? strlen(tok->valuestring) : 0,
	    req, &res);
	if (res == NULL || hc_result_status(res) != st) {
		fprintf(stderr, "\n%s: case %s: hc_validate() returned %s, its "
		    "result says otherwise\n", vf->file, case_name(c),
		    hc_status_name(st));
		CU_FAIL("hc_validate() and its result disagree");
	}
	(void)snprintf(detail, n, "%s", hc_result_detail(res));
	hc_result_free(res);
	hc_request_free(req);
	hc_validator_free(pv);
	return st;
}

/*
 * Whether the library can run a case's "requires": every entry must be a
 * capability the crypto backend has ("eddsa": the OpenSSL backend, learnt
 * through the public hc_crypto_backend_name()).  A requirement that is not
 * an array of known strings fails the test as a malformed case.  Returns 1
 * (run it), 0 (skip it) or -1 (malformed).
 */
static int
requirements_met(const hc_vec *vf, const cJSON *c)
{
	const cJSON *req = cJSON_GetObjectItemCaseSensitive(c, "requires");
	const cJSON *r;
	int met = 1;

	if (req == NULL)
		return 1;
	if (!cJSON_IsArray(req))
		return bad_case(vf, c, "member is not an array", "requires");
	cJSON_ArrayForEach(r, req) {
		if (!cJSON_IsString(r) || strcmp(r->valuestring, "eddsa") != 0)
			return bad_case(vf, c, "unknown requirement", "requires");
		if (strncmp(hc_crypto_backend_name(), "openssl ", 8) != 0)
			met = 0;
	}
	return met;
}

/* Runs one case against the status its file expects; 1 when it passed. */
static int
vec_case(const hc_vec *vf, const cJSON *c)
{
	char detail[1024];
	hc_status want, got;

	if (hc_vec_check(vf, c, &want) != 0)
		return 0;
	got = hc_vec_run(vf, c, detail, sizeof(detail));
	if (got != want)
		fprintf(stderr, "\n%s: case %s:", vf->file, case_name(c));
	hc_test_assert_status(got, want, detail, __FILE__, __LINE__);
	return got == want;
}

size_t
hc_test_vectors(const char *file, const char *prefix)
{
	static const char *const lists[] = { "cases", "peer_cases",
	    "exchange_cases" };
	const cJSON *c;
	size_t run = 0, passed = 0, skipped = 0;
	hc_vec vf;
	int met;

	if (hc_vec_open(&vf, file) != 0)
		return 0;
	for (size_t l = 0; l < sizeof(lists) / sizeof(lists[0]); l++) {
		cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(vf.doc,
		    lists[l])) {
			if (strncmp(case_name(c), prefix, strlen(prefix)) != 0)
				continue;
			/* Skipped is never passed: it is counted and shown. */
			if ((met = requirements_met(&vf, c)) == 0) {
				skipped++;
				continue;
			}
			run++;
			if (met > 0)
				passed += (size_t)vec_case(&vf, c);
		}
	}
	if (passed != run)
		fprintf(stderr, "\n%s: %zu of %zu cases passed\n", file, passed,
		    run);
	if (skipped > 0)
		printf("\n  %s: %zu cases skipped: they require what the %s "
		    "backend lacks\n", file, skipped, hc_crypto_backend_name());
	hc_vec_close(&vf);
	return run;
}

/* ---------------------------------------------------- regress programs */

#define ATTACKS "testvectors/attacks.json"

static const char *regress_prefix;
static const char *regress_file = ATTACKS;
static const hc_regress_record *regress_records;
static hc_vec regress_vec;

static int
regress_init(void)
{
	return hc_vec_open(&regress_vec, regress_file) == 0 ? 0 : -1;
}

static int
regress_cleanup(void)
{
	hc_vec_close(&regress_vec);
	return 0;
}

/*
 * Each record: the file must expect the record's status, and the status
 * and detail fragment must come out.
 */
static void
regress_run_records(void)
{
	char detail[1024];

	CU_ASSERT_FATAL(regress_records[0].name != NULL);
	for (const hc_regress_record *r = regress_records; r->name != NULL;
	    r++) {
		const cJSON *c = hc_vec_find(&regress_vec, "cases", r->name);
		hc_status got, file_want;

		if (c == NULL || hc_vec_check(&regress_vec, c, &file_want) != 0)
			continue;
		if (file_want != r->want) {
			fprintf(stderr, "\n  case %s: the file expects %s, the "
			    "record %s\n", r->name, hc_status_name(file_want),
			    hc_status_name(r->want));
			CU_FAIL("vector file and record disagree");
		}
		got = hc_vec_run(&regress_vec, c, detail, sizeof(detail));
		if (got != r->want)
			fprintf(stderr, "\n  case %s (%s):", r->name, r->why);
		hc_test_assert_status(got, r->want, detail, __FILE__, __LINE__);
		if (r->detail == NULL || strstr(detail, r->detail) == NULL) {
			fprintf(stderr, "\n  case %s (%s): detail \"%s\" lacks "
			    "\"%s\"\n", r->name, r->why, detail,
			    r->detail != NULL ? r->detail : "(none given)");
			CU_FAIL("detail does not name what was caught");
		}
	}
}

/* Every case of the group has a record: none is tested by status alone. */
static void
regress_all_recorded(void)
{
	const cJSON *c;
	size_t n = 0;

	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(regress_vec.doc,
	    "cases")) {
		const char *name = case_name(c);
		const hc_regress_record *r = regress_records;

		if (strncmp(name, regress_prefix, strlen(regress_prefix)) != 0)
			continue;
		n++;
		while (r->name != NULL && strcmp(r->name, name) != 0)
			r++;
		if (r->name == NULL) {
			fprintf(stderr, "\n  case %s of %s has no record\n",
			    name, regress_file);
			CU_FAIL("attack case without a record");
		}
	}
	CU_ASSERT(n > 0);
}

/* The same keys and configuration accept honest tokens. */
static void
regress_baseline(void)
{
	CU_ASSERT(hc_test_vectors(regress_file, "baseline/") >= 2);
}

int
hc_regress_main(const char *name, const char *prefix,
    const hc_regress_record *records)
{
	return hc_regress_main_file(name, ATTACKS, prefix, records);
}

int
hc_regress_main_file(const char *name, const char *file, const char *prefix,
    const hc_regress_record *records)
{
	static const hc_test tests[] = {
		{ "attack cases: status and detail", regress_run_records },
		{ "every attack case has a record", regress_all_recorded },
		{ "honest tokens still accepted", regress_baseline },
		{ NULL, NULL }
	};
	hc_suite suites[] = { { name, tests }, { NULL, NULL } };
	hc_hooks hooks[] = {
		{ name, regress_init, regress_cleanup },
		{ NULL, NULL, NULL }
	};

	regress_prefix = prefix;
	regress_records = records;
	regress_file = file;
	return hc_test_main_hooks(suites, hooks);
}
