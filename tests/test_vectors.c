/*
 * test_vectors.c - the language-neutral vectors of testvectors/, run through
 * the public API.
 *
 * tools/gen_vectors.py made these tokens with jwcrypto, a JOSE library that
 * shares no code with hopcheck, and tools/run_vectors.py runs the same files
 * through the CLI.  Here each file is one CUnit test: its keys and extra
 * files are written into a fresh temporary directory, the configuration is
 * loaded with hc_validator_new_from_json() using that directory as the base
 * for relative paths, and every case is validated at its fixed clock with
 * its route and tenant.  The expected status is the case's stable name,
 * parsed with hc_status_from_name(), so a misspelt name fails the test too.
 * A case carrying "config_patch" gets its own validator, built from the
 * file's configuration with the patch's top-level members replaced.
 * A case with "requires" (e.g. ["eddsa"]) that the library's crypto
 * backend cannot meet is not run: it is counted and shown as skipped, as
 * tools/run_vectors.py does, and never as passed.
 *
 * Test code may read JSON with cJSON directly; the library never exposes it.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "testutil.h"

#define VEC_MAX_FILES  16        /* extra files one vector file may name */
#define VEC_PATH_MAX   1024

/* A temporary directory and the files written into it. */
typedef struct vec_dir {
	char path[VEC_PATH_MAX];
	char *names[VEC_MAX_FILES + 1];  /* keys.json + the "files" */
	size_t nnames;
} vec_dir;

/* A name from a vector file must stay inside the temporary directory. */
static int
safe_name(const char *name)
{
	return name != NULL && name[0] != '\0' && strcmp(name, ".") != 0 &&
	    strcmp(name, "..") != 0 && strchr(name, '/') == NULL;
}

static int
vec_dir_make(vec_dir *d)
{
	const char *base = getenv("TMPDIR");

	memset(d, 0, sizeof(*d));
	if (base == NULL || base[0] == '\0')
#ifdef P_tmpdir
		base = P_tmpdir;
#else
		base = ".";
#endif
	if (snprintf(d->path, sizeof(d->path), "%s/hc-vectors-XXXXXX", base) >=
	    (int)sizeof(d->path))
		return -1;
	return mkdtemp(d->path) == NULL ? -1 : 0;
}

/* Writes len bytes as d/name and remembers the name for removal. */
static int
vec_dir_write(vec_dir *d, const char *name, const char *data, size_t len)
{
	char path[VEC_PATH_MAX];
	FILE *f;
	int ok;

	if (!safe_name(name) || d->nnames >= VEC_MAX_FILES + 1)
		return -1;
	if (snprintf(path, sizeof(path), "%s/%s", d->path, name) >=
	    (int)sizeof(path))
		return -1;
	if ((d->names[d->nnames] = strdup(name)) == NULL)
		return -1;
	d->nnames++;
	if ((f = fopen(path, "wb")) == NULL)
		return -1;
	ok = fwrite(data, 1, len, f) == len;
	if (fclose(f) != 0)
		ok = 0;
	return ok ? 0 : -1;
}

/* A string is written as its exact bytes, any other value as JSON text. */
static int
vec_dir_write_json(vec_dir *d, const char *name, const cJSON *value)
{
	char *text;
	int rc;

	if (cJSON_IsString(value))
		return vec_dir_write(d, name, value->valuestring,
		    strlen(value->valuestring));
	if ((text = cJSON_PrintUnformatted(value)) == NULL)
		return -1;
	rc = vec_dir_write(d, name, text, strlen(text));
	cJSON_free(text);
	return rc;
}

static void
vec_dir_remove(vec_dir *d)
{
	char path[VEC_PATH_MAX];

	for (size_t i = 0; i < d->nnames; i++) {
		if (snprintf(path, sizeof(path), "%s/%s", d->path, d->names[i]) <
		    (int)sizeof(path))
			(void)unlink(path);
		free(d->names[i]);
	}
	d->nnames = 0;
	if (d->path[0] != '\0' && rmdir(d->path) != 0)
		fprintf(stderr, "cannot remove %s: %s\n", d->path,
		    strerror(errno));
}

/*
 * Builds a validator from `config`, with the members of `patch` (may be
 * NULL) replacing the top-level members of the same name.  Returns NULL,
 * after printing the configuration errors, when it does not load.
 */
static hc_validator *
vec_validator(const char *file, const cJSON *config, const cJSON *patch,
    const char *dir)
{
	hc_validator *v = hc_test_validator(config, patch, NULL, dir);

	if (v == NULL)
		fprintf(stderr, "%s: its configuration was refused\n", file);
	return v;
}

/*
 * Whether the library can run a case's "requires": every entry must be a
 * capability the crypto backend has ("eddsa": the OpenSSL backend, learnt
 * through the public hc_crypto_backend_name()).  A malformed or unknown
 * requirement counts as unmet.
 */
static int
requirements_met(const cJSON *c)
{
	const cJSON *req = cJSON_GetObjectItemCaseSensitive(c, "requires");
	const cJSON *r;
	int eddsa = strncmp(hc_crypto_backend_name(), "openssl ", 8) == 0;

	if (req == NULL)
		return 1;
	if (!cJSON_IsArray(req))
		return 0;
	cJSON_ArrayForEach(r, req) {
		if (!cJSON_IsString(r))
			return 0;
		if (strcmp(r->valuestring, "eddsa") == 0 && eddsa)
			continue;
		return 0;
	}
	return 1;
}

/* The members a case's "request" object may have. */
static int
request_field_known(const char *name)
{
	static const char *const known[] = {
		"route", "tenant", "peer_cert_file", "peer_x5t",
		"peer_spiffe_id", "xfcc", NULL
	};

	for (size_t i = 0; known[i] != NULL; i++)
		if (strcmp(known[i], name) == 0)
			return 1;
	return 0;
}

/*
 * Runs one case; returns 1 when the status is the expected one.  The
 * request carries the case's clock, route ("METHOD /path"), tenant, and
 * peer: a certificate file (path relative to the top of the tree), a
 * thumbprint and SPIFFE ID, or an x-forwarded-client-cert value, as a
 * front proxy would pass them; they are applied in the order of
 * hopcheck(1) validate.
 */
static int
vec_case(const char *file, const hc_validator *v, const cJSON *c)
{
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(c, "name");
	const cJSON *tok = cJSON_GetObjectItemCaseSensitive(c, "token");
	const cJSON *now = cJSON_GetObjectItemCaseSensitive(c, "now");
	const cJSON *exp = cJSON_GetObjectItemCaseSensitive(c, "expect");
	const cJSON *rq = cJSON_GetObjectItemCaseSensitive(c, "request");
	const cJSON *route = cJSON_GetObjectItemCaseSensitive(rq, "route");
	const cJSON *tenant = cJSON_GetObjectItemCaseSensitive(rq, "tenant");
	const cJSON *pcert = cJSON_GetObjectItemCaseSensitive(rq,
	    "peer_cert_file");
	const cJSON *px5t = cJSON_GetObjectItemCaseSensitive(rq, "peer_x5t");
	const cJSON *psid = cJSON_GetObjectItemCaseSensitive(rq,
	    "peer_spiffe_id");
	const cJSON *xfcc = cJSON_GetObjectItemCaseSensitive(rq, "xfcc");
	const cJSON *m;
	const char *cname = cJSON_IsString(name) ? name->valuestring : "?";
	hc_request *req = NULL;
	hc_result *res = NULL;
	hc_status want, got;
	int pass = 0;

	if (!cJSON_IsString(tok) || !cJSON_IsNumber(now) ||
	    !cJSON_IsString(exp) ||
	    hc_status_from_name(exp->valuestring, &want) != 0) {
		fprintf(stderr, "\n%s: %s: case lacks token, now or a valid "
		    "expect\n", file, cname);
		CU_FAIL("malformed vector case");
		return 0;
	}
	cJSON_ArrayForEach(m, rq) {
		if (!request_field_known(m->string)) {
			fprintf(stderr, "\n%s: %s: unknown request member \"%s\"\n",
			    file, cname, m->string);
			CU_FAIL("unknown request member in vector");
			return 0;
		}
	}
	if ((req = hc_request_new()) == NULL) {
		CU_FAIL("hc_request_new");
		return 0;
	}
	hc_request_set_time(req, (int64_t)now->valuedouble);
	if (cJSON_IsString(route)) {
		const char *r = route->valuestring;
		const char *sp = strchr(r, ' ');
		char method[32];

		if (sp == NULL || sp == r || (size_t)(sp - r) >= sizeof(method)) {
			fprintf(stderr, "\n%s: %s: bad route \"%s\"\n", file, cname,
			    r);
			CU_FAIL("bad route in vector");
			goto out;
		}
		memcpy(method, r, (size_t)(sp - r));
		method[sp - r] = '\0';
		/* A route refused as ambiguous is the verdict, as in hopcheck(1). */
		got = hc_request_set_route(req, method, sp + 1);
		if (got != HC_OK) {
			if (got != want)
				fprintf(stderr, "\n%s: case %s: route refused with "
				    "%s, want %s", file, cname, hc_status_name(got),
				    hc_status_name(want));
			HC_ASSERT_STATUS(got, want);
			pass = got == want;
			goto out;
		}
	}
	if (cJSON_IsString(tenant))
		HC_ASSERT_STATUS(hc_request_set_tenant(req, tenant->valuestring),
		    HC_OK);
	if (cJSON_IsString(pcert)) {
		size_t n;
		char *pem = hc_test_read(pcert->valuestring, &n);

		HC_ASSERT_STATUS(hc_request_set_peer_cert(req,
		    (const unsigned char *)pem, n), HC_OK);
		free(pem);
	}
	if (cJSON_IsString(px5t) || cJSON_IsString(psid))
		HC_ASSERT_STATUS(hc_request_set_peer_identity(req,
		    cJSON_IsString(px5t) ? px5t->valuestring : NULL,
		    cJSON_IsString(psid) ? psid->valuestring : NULL), HC_OK);

	if (cJSON_IsString(xfcc)) {
		/* A refused header value is the verdict, as in hopcheck(1). */
		got = hc_request_set_xfcc(req, xfcc->valuestring,
		    strlen(xfcc->valuestring));
		if (got != HC_OK) {
			if (got != want)
				fprintf(stderr, "\n%s: case %s: xfcc refused with "
				    "%s, want %s", file, cname, hc_status_name(got),
				    hc_status_name(want));
			HC_ASSERT_STATUS(got, want);
			pass = got == want;
			goto out;
		}
	}

	got = hc_validate(v, tok->valuestring, strlen(tok->valuestring), req,
	    &res);
	CU_ASSERT_PTR_NOT_NULL(res);
	if (res == NULL)
		goto out;
	CU_ASSERT_EQUAL(got, hc_result_status(res));
	if (got != want)
		fprintf(stderr, "\n%s: case %s: got %s, want %s", file, cname,
		    hc_status_name(got), hc_status_name(want));
	HC_ASSERT_RESULT(res, want);
	pass = got == want;
out:
	hc_result_free(res);
	hc_request_free(req);
	return pass;
}

/*
 * Runs every case of one vector file, each at its own clock, and removes
 * the temporary directory afterwards.
 */
static void
vec_file(const char *file)
{
	const cJSON *config, *keys, *files, *cases, *c, *f;
	hc_validator *v = NULL;
	cJSON *doc = NULL;
	size_t len, n = 0, passed = 0, skipped = 0;
	char *buf;
	vec_dir d;

	buf = hc_test_read(file, &len);
	if (buf == NULL)
		return;
	doc = cJSON_ParseWithLength(buf, len);
	free(buf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	config = cJSON_GetObjectItemCaseSensitive(doc, "config");
	keys = cJSON_GetObjectItemCaseSensitive(doc, "keys");
	files = cJSON_GetObjectItemCaseSensitive(doc, "files");
	cases = cJSON_GetObjectItemCaseSensitive(doc, "cases");
	CU_ASSERT_FATAL(cJSON_IsObject(config) && cJSON_IsObject(keys) &&
	    cJSON_IsArray(cases));
	CU_ASSERT_FATAL(files == NULL || cJSON_IsObject(files));
	CU_ASSERT_FATAL(cJSON_GetArraySize(cases) > 0);
	if (vec_dir_make(&d) != 0) {
		cJSON_Delete(doc);
		CU_FAIL_FATAL("cannot make a temporary directory");
		return;
	}
	if (vec_dir_write_json(&d, "keys.json", keys) != 0) {
		CU_FAIL("cannot write keys.json");
		goto out;
	}
	cJSON_ArrayForEach(f, files) {
		if (vec_dir_write_json(&d, f->string, f) != 0) {
			fprintf(stderr, "\n%s: cannot write file \"%s\"\n", file,
			    f->string);
			CU_FAIL("cannot write a vector's file");
			goto out;
		}
	}
	if ((v = vec_validator(file, config, NULL, d.path)) == NULL) {
		CU_FAIL("the vector file's configuration does not load");
		goto out;
	}
	cJSON_ArrayForEach(c, cases) {
		const cJSON *patch = cJSON_GetObjectItemCaseSensitive(c,
		    "config_patch");

		if (!requirements_met(c)) {
			skipped++;
			continue;
		}
		n++;
		if (patch != NULL) {
			hc_validator *pv = vec_validator(file, config, patch,
			    d.path);

			CU_ASSERT_PTR_NOT_NULL(pv);
			if (pv != NULL)
				passed += (size_t)vec_case(file, pv, c);
			hc_validator_free(pv);
		} else
			passed += (size_t)vec_case(file, v, c);
	}
	if (passed != n)
		fprintf(stderr, "\n%s: %zu of %zu cases passed\n", file, passed,
		    n);
	if (skipped > 0)
		printf("\n  %s: %zu cases skipped: they require what the %s "
		    "backend lacks\n", file, skipped, hc_crypto_backend_name());
out:
	hc_validator_free(v);
	vec_dir_remove(&d);
	cJSON_Delete(doc);
}

static void
test_core(void)
{
	vec_file("testvectors/core.json");
}

static void
test_layer2(void)
{
	vec_file("testvectors/layer2.json");
}

static void
test_routes(void)
{
	vec_file("testvectors/routes.json");
}

static void
test_default_route(void)
{
	vec_file("testvectors/default_route.json");
}

static void
test_jwt_svid(void)
{
	vec_file("testvectors/jwt_svid.json");
}

static void
test_route_normalization(void)
{
	vec_file("testvectors/route_normalization.json");
}

static void
test_eddsa(void)
{
	vec_file("testvectors/eddsa.json");
}

static const hc_test tests[] = {
	{ "core.json (layer 1)", test_core },
	{ "route_normalization.json (paths in normal form)",
	    test_route_normalization },
	{ "jwt_svid.json (JWT-SVIDs against bundles)", test_jwt_svid },
	{ "layer2.json (claim types, applicability)", test_layer2 },
	{ "routes.json (layer 3)", test_routes },
	{ "default_route.json (layer 3)", test_default_route },
	{ "eddsa.json (EdDSA, OKP keys; some need OpenSSL)", test_eddsa },
	{ NULL, NULL }
};

static const hc_suite suites[] = {
	{ "vectors", tests },
	{ NULL, NULL }
};

int
main(void)
{
	return hc_test_main(suites);
}
