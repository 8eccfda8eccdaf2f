/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_validator.c - the public API end to end (validator.c, claims.c,
 * result.c, status.c, request.c).
 *
 * The tokens in tests/data/core/tokens.json were signed by jwcrypto, which
 * shares no code with hopcheck (tools/vectors/gen_core_test_tokens.py; the
 * private keys were never written out).  The suite loads tests/data/core/core.conf
 * with hc_validator_new_from_file(), so that its key file is found relative
 * to the configuration, and then checks:
 *
 *  - construction: a missing file, a directory, JSON with a syntax error
 *    (reported by line and column), unknown keys named by their path, a
 *    missing key file, a key file holding private members, and several
 *    problems reported together;
 *  - every case of tokens.json, with its exact status and the words its
 *    detail must contain: a layer-2 rejection names the claim and the
 *    values involved (RFC 7519 section 4.1, RFC 9068 section 4);
 *  - validation with no request, on the system clock;
 *  - the result: nothing of the payload is exposed before the signature
 *    verified (layer 1), everything after (layer 2 onwards), the claim
 *    accessor and the JSON form;
 *  - that no detail, nor the JSON form of any result, repeats the payload
 *    or signature segment of the token;
 *  - the stable status names and their round trip;
 *  - that hc_*_free(NULL) is a no-op;
 *  - thread safety: eight threads share one validator and one request and
 *    validate a mix of good and bad tokens, every verdict as expected.
 *
 * Test code reads JSON with cJSON directly; the library never exposes it.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "hc_limits.h"
#include "testutil.h"

#define CORE_DIR    "tests/data/core"
#define CORE_CONF   CORE_DIR "/core.conf"
#define CORE_TOKENS CORE_DIR "/tokens.json"
#define CORE_KEYS   CORE_DIR "/keys.jwks.json"

#define NOW     1767225600
#define SKEW    30
#define ISS     "https://issuer.core.test"
#define AUD     "https://api.core.test"
#define ACTOR   "spiffe://core.test/sa/gateway"

#define MIN_CASES 30

#define THREADS 8
#define ROUNDS  2000

/* ------------------------------------------------------------ support */

static cJSON *tokens_doc;       /* tokens.json, loaded once */

static const cJSON *
cases(void)
{
	if (tokens_doc == NULL) {
		char *text = hc_test_read(CORE_TOKENS, NULL);
		tokens_doc = cJSON_Parse(text);
		free(text);
		CU_ASSERT_PTR_NOT_NULL_FATAL(tokens_doc);
	}
	return cJSON_GetObjectItemCaseSensitive(tokens_doc, "cases");
}

/* The case called `name` of tokens.json (fails the test when absent). */
static const cJSON *
find_case(const char *name)
{
	const cJSON *c;

	cJSON_ArrayForEach(c, cases()) {
		const cJSON *n = cJSON_GetObjectItemCaseSensitive(c, "name");
		if (cJSON_IsString(n) && strcmp(n->valuestring, name) == 0)
			return c;
	}
	fprintf(stderr, "\nno case %s in %s\n", name, CORE_TOKENS);
	CU_FAIL_FATAL("case missing from tokens.json");
	return NULL;
}

static const char *
case_str(const cJSON *c, const char *member)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(c, member);

	return cJSON_IsString(j) ? j->valuestring : NULL;
}

static const char *
token_of(const char *name)
{
	const char *t = case_str(find_case(name), "token");

	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	return t;
}

/* The validator of core.conf (fails the test when it does not load). */
static hc_validator *
core_validator(void)
{
	hc_validator *v = NULL;
	char *errors = NULL;
	hc_status st;

	st = hc_validator_new_from_file(CORE_CONF, &v, &errors);
	if (st != HC_OK)
		fprintf(stderr, "\n%s: %s\n", CORE_CONF, errors ? errors : "");
	HC_ASSERT_STATUS(st, HC_OK);
	CU_ASSERT_PTR_NULL(errors);
	hc_string_free(errors);
	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	return v;
}

/* A request at the fixed clock, with an optional route and tenant. */
static hc_request *
request_at(int64_t now, const char *method, const char *path,
    const char *tenant)
{
	hc_request *req = hc_request_new();

	CU_ASSERT_PTR_NOT_NULL_FATAL(req);
	hc_request_set_time(req, now);
	if (method != NULL)
		HC_ASSERT_STATUS(hc_request_set_route(req, method, path),
		    HC_OK);
	if (tenant != NULL)
		HC_ASSERT_STATUS(hc_request_set_tenant(req, tenant), HC_OK);
	return req;
}

/* Validates token `name` at NOW with no route; the result is the caller's. */
static hc_result *
validate_at(const hc_validator *v, const char *name, int64_t now)
{
	const char *tok = token_of(name);
	hc_request *req = request_at(now, NULL, NULL, NULL);
	hc_result *res = NULL;
	hc_status st;

	st = hc_validate(v, tok, strlen(tok), req, &res);
	CU_ASSERT_PTR_NOT_NULL_FATAL(res);
	CU_ASSERT_EQUAL(st, hc_result_status(res));
	hc_request_free(req);
	return res;
}

/*
 * True when `text` contains `seg`, or any window of `run` consecutive
 * bytes of it: a detail that quoted part of a segment is caught too.
 */
static int
contains_run(const char *text, const char *seg, size_t seglen, size_t run)
{
	char w[64];

	if (seglen < run)
		return 0;
	if (run >= sizeof(w))
		run = sizeof(w) - 1;
	for (size_t i = 0; i + run <= seglen; i++) {
		memcpy(w, seg + i, run);
		w[run] = '\0';
		if (strstr(text, w) != NULL)
			return 1;
	}
	return 0;
}

/*
 * Asserts that neither the detail nor the JSON form of a result repeats
 * any 16-byte run of the token's header, payload or signature segment.
 */
static void
assert_no_token_bytes(const hc_result *res, const char *tok, const char *name)
{
	const char *d1 = strchr(tok, '.');
	const char *d2 = d1 ? strchr(d1 + 1, '.') : NULL;
	char *json = hc_result_to_json(res);
	const struct {
		const char *p;
		size_t n;
	} seg[3] = {
		{ tok, d1 ? (size_t)(d1 - tok) : strlen(tok) },
		{ d1 ? d1 + 1 : "", d2 ? (size_t)(d2 - d1 - 1) : 0 },
		{ d2 ? d2 + 1 : "", d2 ? strlen(d2 + 1) : 0 },
	};

	CU_ASSERT_PTR_NOT_NULL_FATAL(json);
	for (size_t i = 0; i < 3; i++) {
		const char *d = hc_result_detail(res);
		if (contains_run(d, seg[i].p, seg[i].n, 16) ||
		    contains_run(json, seg[i].p, seg[i].n, 16)) {
			fprintf(stderr, "\ncase %s: segment %zu repeated in "
			    "%s\n", name, i, json);
			CU_FAIL("result repeats token bytes");
		}
	}
	hc_string_free(json);
}

/* Parses hc_result_to_json() output (the caller deletes it). */
static cJSON *
result_json(const hc_result *res)
{
	char *s = hc_result_to_json(res);
	cJSON *j;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	j = cJSON_Parse(s);
	hc_string_free(s);
	CU_ASSERT_PTR_NOT_NULL_FATAL(j);
	return j;
}

static const char *
json_str(const cJSON *o, const char *name)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsString(j) ? j->valuestring : NULL;
}

/* A fresh temporary directory (TMPDIR, else the system default). */
static void
make_tmpdir(char *buf, size_t n)
{
	const char *base = getenv("TMPDIR");

	if (base == NULL || base[0] == '\0')
		base = P_tmpdir;
	(void)snprintf(buf, n, "%s/hc-core-XXXXXX", base);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(buf));
}

static void
write_file(const char *dir, const char *name, const char *text)
{
	char path[1024];
	FILE *f;

	(void)snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(text, f);
	fclose(f);
}

static void
remove_file(const char *dir, const char *name)
{
	char path[1024];

	(void)snprintf(path, sizeof(path), "%s/%s", dir, name);
	(void)unlink(path);
}

/* Counts the lines of a text (0 for NULL or empty). */
static size_t
count_lines(const char *s)
{
	size_t n = 1;

	if (s == NULL || *s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		n += *s == '\n';
	return n;
}

/* Builds a validator that must be refused, with each of `want` reported. */
static char *
config_refused(const char *json, const char *base_dir,
    const char *const *want)
{
	hc_validator *v = (hc_validator *)&v;   /* must be reset to NULL */
	char *errors = NULL;
	hc_status st;

	st = hc_validator_new_from_json(json, strlen(json), base_dir, &v,
	    &errors);
	HC_ASSERT_STATUS(st, HC_CONFIG);
	CU_ASSERT_PTR_NULL(v);
	CU_ASSERT_PTR_NOT_NULL(errors);
	for (; *want != NULL; want++) {
		if (errors == NULL || strstr(errors, *want) == NULL) {
			fprintf(stderr, "\nwanted \"%s\" in:\n%s\n", *want,
			    errors ? errors : "(none)");
			CU_FAIL("configuration error not reported");
		}
	}
	return errors;
}

/* --------------------------------------------------- construction */

#define SVC "\"service\":{\"audiences\":[\"" AUD "\"]}"
#define ISSUER(iss, file) "{\"issuer\":\"" iss "\",\"jwks_file\":\"" file \
	"\",\"algorithms\":[\"RS256\"]}"

static void
test_config_from_file(void)
{
	hc_validator *v = NULL;
	char *errors = NULL;

	hc_validator_free(core_validator());

	/*
	 * The same text from memory: relative key paths resolve against
	 * base_dir, and NULL means the current directory (the top of the
	 * tree, where the key file is not).
	 */
	{
		size_t n;
		char *text = hc_test_read(CORE_CONF, &n);
		HC_ASSERT_STATUS(hc_validator_new_from_json(text, n, CORE_DIR,
		    &v, &errors), HC_OK);
		CU_ASSERT_PTR_NOT_NULL(v);
		hc_validator_free(v);
		v = NULL;
		HC_ASSERT_STATUS(hc_validator_new_from_json(text, n, NULL, &v,
		    &errors), HC_CONFIG);
		CU_ASSERT_PTR_NULL(v);
		CU_ASSERT(errors != NULL &&
		    strstr(errors, "issuers[0]") != NULL &&
		    strstr(errors, "keys.jwks.json") != NULL);
		hc_string_free(errors);
		errors = NULL;
		free(text);
	}

	/* A missing file, and a directory. */
	HC_ASSERT_STATUS(hc_validator_new_from_file(CORE_DIR "/missing.conf",
	    &v, &errors), HC_CONFIG);
	CU_ASSERT_PTR_NULL(v);
	CU_ASSERT(errors != NULL && strstr(errors, "missing.conf") != NULL);
	hc_string_free(errors);
	errors = NULL;
	HC_ASSERT_STATUS(hc_validator_new_from_file(CORE_DIR, &v, &errors),
	    HC_CONFIG);
	CU_ASSERT_PTR_NULL(v);
	CU_ASSERT(errors != NULL && strstr(errors, "not a regular file") !=
	    NULL);
	hc_string_free(errors);
	/* errors may be NULL. */
	HC_ASSERT_STATUS(hc_validator_new_from_file(CORE_DIR "/missing.conf",
	    &v, NULL), HC_CONFIG);
	CU_ASSERT_PTR_NULL(v);
}

/* A syntax error is reported by line and column, through the file too. */
static void
test_config_bad_json(void)
{
	static const char doc[] =
	    "{\n \"service\": {\n  \"audiences\": [\"a\",]\n }\n}";
	static const char *const want[] = { "line 3 column 21", NULL };
	char dir[512], path[1024];
	hc_validator *v = NULL;
	char *errors;

	errors = config_refused(doc, NULL, want);
	hc_string_free(errors);

	make_tmpdir(dir, sizeof(dir));
	write_file(dir, "bad.conf", "// a comment first\n" "{\n"
	    " \"service\": {\"audiences\": [\"a\"]},\n"
	    " \"issuers\": [ /* none */ ]\n" " \"clock_skew_s\": 30\n}\n");
	(void)snprintf(path, sizeof(path), "%s/bad.conf", dir);
	errors = NULL;
	HC_ASSERT_STATUS(hc_validator_new_from_file(path, &v, &errors),
	    HC_CONFIG);
	CU_ASSERT_PTR_NULL(v);
	if (errors == NULL || strstr(errors, "line 5 column 2") == NULL) {
		fprintf(stderr, "\nerrors: %s\n", errors ? errors : "(none)");
		CU_FAIL("line and column of the syntax error");
	}
	hc_string_free(errors);
	remove_file(dir, "bad.conf");
	rmdir(dir);
}

/* Unknown keys name their path; every problem is reported at once. */
static void
test_config_errors_together(void)
{
	static const char doc[] = "{\"service\":{},\"bogus\":1,\"issuers\":[{"
	    "\"issuer\":\"https://a\",\"jwks_file\":\"k.json\","
	    "\"algorithms\":[\"RS256\",\"XS256\"],\"extra\":true}],"
	    "\"routes\":[{\"method\":\"GET\",\"path\":\"/a\",\"scope\":[]}]}";
	static const char *const want[] = {
		"toplevel: unknown key \"bogus\"",
		"service",
		"issuers[0]: unknown key \"extra\"",
		"issuers[0].algorithms[1]",
		"XS256",
		"routes[0]: unknown key \"scope\"",
		NULL
	};
	char *errors = config_refused(doc, ".", want);

	CU_ASSERT(count_lines(errors) >= 5);
	hc_string_free(errors);

	/* Without an error text, the same verdict and no leak. */
	{
		hc_validator *v = NULL;
		HC_ASSERT_STATUS(hc_validator_new_from_json(doc, strlen(doc),
		    ".", &v, NULL), HC_CONFIG);
		CU_ASSERT_PTR_NULL(v);
		HC_ASSERT_STATUS(hc_validator_new_from_json(NULL, 0, ".", &v,
		    NULL), HC_CONFIG);
		CU_ASSERT_PTR_NULL(v);
	}
}

/* Key files: missing (every issuer reported), or holding private parts. */
static void
test_config_key_files(void)
{
	static const char missing[] = "{" SVC ",\"issuers\":["
	    ISSUER("https://a.test", "missing-a.json") ","
	    ISSUER("https://b.test", "missing-b.json") "]}";
	static const char *const want_missing[] = {
		"issuers[0]", "missing-a.json", "issuers[1]", "missing-b.json",
		NULL
	};
	static const char priv[] = "{" SVC ",\"issuers\":["
	    ISSUER("https://a.test", "private.json") "]}";
	static const char *const want_priv[] = {
		"issuers[0]", "private key member \"d\"", NULL
	};
	char dir[512], *errors, *keys, *text;
	cJSON *jwks, *k;

	errors = config_refused(missing, CORE_DIR, want_missing);
	CU_ASSERT_EQUAL(count_lines(errors), 2);
	hc_string_free(errors);

	/* The committed public set, with a private exponent added. */
	keys = hc_test_read(CORE_KEYS, NULL);
	jwks = cJSON_Parse(keys);
	free(keys);
	CU_ASSERT_PTR_NOT_NULL_FATAL(jwks);
	k = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(jwks, "keys"),
	    0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(k);
	cJSON_AddStringToObject(k, "d", "bm90LWEtcmVhbC1wcml2YXRlLWtleQ");
	/* Alone: a key with a private member is skipped, and nothing is left. */
	k = cJSON_DetachItemFromArray(cJSON_GetObjectItemCaseSensitive(jwks,
	    "keys"), 0);
	cJSON_ReplaceItemInObjectCaseSensitive(jwks, "keys",
	    cJSON_CreateArray());
	cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(jwks, "keys"), k);
	text = cJSON_Print(jwks);
	cJSON_Delete(jwks);
	make_tmpdir(dir, sizeof(dir));
	write_file(dir, "private.json", text);
	free(text);
	errors = config_refused(priv, dir, want_priv);
	/* The detail names the member, never its value. */
	CU_ASSERT(errors != NULL &&
	    strstr(errors, "bm90LWEtcmVhbC1wcml2YXRlLWtleQ") == NULL);
	hc_string_free(errors);
	remove_file(dir, "private.json");
	rmdir(dir);
}

/* ------------------------------------------------------ the cases */

/* Asserts what the detail of case `name` must and must not hold. */
static void
check_detail(const char *name, const hc_result *res, const cJSON *words)
{
	const char *d = hc_result_detail(res);
	const cJSON *e;

	cJSON_ArrayForEach(e, words) {
		if (cJSON_IsString(e) && strstr(d, e->valuestring) != NULL)
			continue;
		fprintf(stderr, "\ncase %s: detail \"%s\" lacks \"%s\"\n", name,
		    d, cJSON_IsString(e) ? e->valuestring : "?");
		CU_FAIL("detail does not name the claim and values");
	}
	/* One line of printable ASCII: no forged log lines. */
	for (const char *q = d; *q != '\0'; q++) {
		if ((unsigned char)*q < 0x20 || (unsigned char)*q >= 0x7f) {
			fprintf(stderr, "\ncase %s: byte 0x%02x in detail\n",
			    name, (unsigned char)*q);
			CU_FAIL("detail is not printable ASCII");
			break;
		}
	}
}

/*
 * Runs one case of tokens.json: at its fixed clock with its route and
 * tenant, or, with no "now", with no request at all.
 */
static void
run_case(const hc_validator *v, const cJSON *c)
{
	const char *name = case_str(c, "name");
	const char *tok = case_str(c, "token");
	const char *exp_name = case_str(c, "expect");
	const cJSON *now = cJSON_GetObjectItemCaseSensitive(c, "now");
	const cJSON *rq = cJSON_GetObjectItemCaseSensitive(c, "request");
	const cJSON *expires = cJSON_GetObjectItemCaseSensitive(c, "expires");
	hc_request *req = NULL;
	hc_result *res = NULL;
	hc_status want, st;
	time_t t0, t1;

	CU_ASSERT_FATAL(name != NULL && tok != NULL && exp_name != NULL);
	CU_ASSERT_EQUAL_FATAL(hc_status_from_name(exp_name, &want), 0);
	if (cJSON_IsNumber(now))
		req = request_at((int64_t)now->valuedouble,
		    case_str(rq, "method"), case_str(rq, "path"),
		    case_str(rq, "tenant"));
	else
		CU_ASSERT_PTR_NULL_FATAL(rq);
	t0 = time(NULL);
	st = hc_validate(v, tok, strlen(tok), req, &res);
	t1 = time(NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(res);
	CU_ASSERT_EQUAL(st, hc_result_status(res));
	/* A system-clock case: accepted until exp + skew, expired after. */
	if (cJSON_IsNumber(expires) && want == HC_OK) {
		double lim = expires->valuedouble + SKEW;
		if ((double)t0 >= lim)
			want = HC_EXPIRED;
		else if ((double)t1 >= lim)
			want = st;      /* crossed during the call */
	}
	if (hc_result_status(res) != want)
		fprintf(stderr, "\n  case %s:", name);
	HC_ASSERT_RESULT(res, want);
	check_detail(name, res, cJSON_GetObjectItemCaseSensitive(c,
	    "detail"));
	if (want == HC_OK) {
		CU_ASSERT_STRING_EQUAL(hc_result_detail(res), "accepted");
	} else {
		assert_no_token_bytes(res, tok, name);
	}
	hc_result_free(res);
	hc_request_free(req);
}

static void
test_cases(void)
{
	hc_validator *v = core_validator();
	const cJSON *c;
	size_t run = 0;

	cJSON_ArrayForEach(c, cases()) {
		run_case(v, c);
		run++;
	}
	CU_ASSERT(run >= MIN_CASES);
	hc_validator_free(v);
}

/*
 * Every case the generator rejects at layer 2 carries the words its
 * detail must contain, so that the data cannot silently stop checking.
 */
static void
test_layer2_cases_check_details(void)
{
	static const hc_status layer2[] = {
		HC_ISSUER, HC_TYPE, HC_AUDIENCE, HC_EXPIRED, HC_NOT_YET_VALID,
		HC_LIFETIME, HC_CLAIM
	};
#define NLAYER2 (sizeof(layer2) / sizeof(layer2[0]))
	bool seen[HC_STATUS_COUNT] = { false };
	const cJSON *c, *det;

	cJSON_ArrayForEach(c, cases()) {
		hc_status st;
		if (hc_status_from_name(case_str(c, "expect"), &st) != 0)
			continue;
		for (size_t i = 0; i < NLAYER2; i++) {
			if (st != layer2[i])
				continue;
			seen[st] = true;
			det = cJSON_GetObjectItemCaseSensitive(c, "detail");
			CU_ASSERT(cJSON_GetArraySize(det) >= 1);
		}
	}
	for (size_t i = 0; i < NLAYER2; i++) {
		if (!seen[layer2[i]])
			fprintf(stderr, "\nno case for %s\n",
			    hc_status_name(layer2[i]));
		CU_ASSERT(seen[layer2[i]]);
	}
}

/* The exp boundary (RFC 7519 section 4.1.4) on the fixed clock. */
static void
test_time_boundaries(void)
{
	hc_validator *v = core_validator();
	const int64_t exp = NOW + 600, iat = NOW - 60;
	hc_result *res;

	res = validate_at(v, "ok/rs256", exp + SKEW - 1);
	HC_ASSERT_RESULT(res, HC_OK);
	hc_result_free(res);
	res = validate_at(v, "ok/rs256", exp + SKEW);
	HC_ASSERT_RESULT(res, HC_EXPIRED);
	hc_result_free(res);
	res = validate_at(v, "ok/rs256", iat - SKEW);
	HC_ASSERT_RESULT(res, HC_OK);
	hc_result_free(res);
	res = validate_at(v, "ok/rs256", iat - SKEW - 1);
	HC_ASSERT_RESULT(res, HC_LIFETIME);
	hc_result_free(res);
	hc_validator_free(v);
}

/*
 * With no request, hc_validate() uses the system clock: the "now" a time
 * detail reports lies between two readings taken around the call.
 */
static void
test_null_request(void)
{
	hc_validator *v = core_validator();
	const char *tok = token_of("sys/expired");
	hc_result *res = NULL;
	const char *p;
	time_t t0, t1;
	long long now = -1;

	t0 = time(NULL);
	HC_ASSERT_STATUS(hc_validate(v, tok, strlen(tok), NULL, &res),
	    HC_EXPIRED);
	t1 = time(NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(res);
	p = strstr(hc_result_detail(res), "now ");
	CU_ASSERT_PTR_NOT_NULL(p);
	if (p != NULL)
		now = strtoll(p + 4, NULL, 10);
	CU_ASSERT(now >= (long long)t0 && now <= (long long)t1);
	hc_result_free(res);

	/* The fixed clock of a request, by contrast, is used as given. */
	res = validate_at(v, "sys/expired", 1000000000 + SKEW - 1);
	HC_ASSERT_RESULT(res, HC_OK);
	hc_result_free(res);
	hc_validator_free(v);
}

/* Validation without a result object, or without a validator or token. */
static void
test_validate_edges(void)
{
	hc_validator *v = core_validator();
	hc_request *req = request_at(NOW, NULL, NULL, NULL);
	const char *tok = token_of("ok/rs256");
	hc_result *res = (hc_result *)&res;
	char *big;

	HC_ASSERT_STATUS(hc_validate(v, tok, strlen(tok), req, NULL), HC_OK);
	HC_ASSERT_STATUS(hc_validate(v, token_of("l1/bad-signature"),
	    strlen(token_of("l1/bad-signature")), req, NULL), HC_SIGNATURE);

	HC_ASSERT_STATUS(hc_validate(NULL, tok, strlen(tok), req, &res),
	    HC_INTERNAL);
	HC_ASSERT_RESULT(res, HC_INTERNAL);
	hc_result_free(res);

	HC_ASSERT_STATUS(hc_validate(v, NULL, 0, req, &res), HC_MALFORMED);
	HC_ASSERT_RESULT(res, HC_MALFORMED);
	hc_result_free(res);
	HC_ASSERT_STATUS(hc_validate(v, "", 0, req, &res), HC_MALFORMED);
	hc_result_free(res);
	HC_ASSERT_STATUS(hc_validate(v, NULL, 5, req, &res), HC_INTERNAL);
	hc_result_free(res);

	/* The length is the token: a prefix of a good token is not it. */
	HC_ASSERT_STATUS(hc_validate(v, tok, strlen(tok) - 2, req, &res),
	    HC_SIGNATURE);
	hc_result_free(res);
	HC_ASSERT_STATUS(hc_validate(v, tok, (size_t)(strrchr(tok, '.') - tok), req,
	    &res), HC_MALFORMED);
	hc_result_free(res);

	/* max_token_bytes (core.conf keeps the default): checked first. */
	big = malloc(HC_DEFAULT_MAX_TOKEN_BYTES + 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(big);
	memset(big, 'A', HC_DEFAULT_MAX_TOKEN_BYTES + 1);
	HC_ASSERT_STATUS(hc_validate(v, big, HC_DEFAULT_MAX_TOKEN_BYTES + 1,
	    req, &res), HC_MALFORMED);
	CU_ASSERT_PTR_NOT_NULL(strstr(hc_result_detail(res),
	    "max_token_bytes"));
	hc_result_free(res);
	HC_ASSERT_STATUS(hc_validate(v, big, HC_DEFAULT_MAX_TOKEN_BYTES, req,
	    &res), HC_MALFORMED);
	CU_ASSERT_PTR_NULL(strstr(hc_result_detail(res), "max_token_bytes"));
	hc_result_free(res);
	free(big);

	hc_request_free(req);
	hc_validator_free(v);
}

/* ------------------------------------------------------- results */

/*
 * Nothing of the payload before the signature verified, nor when the
 * claims it verified are not of their registered types.
 */
static void
assert_unverified(const hc_result *res)
{
	cJSON *j;

	CU_ASSERT_PTR_NULL(hc_result_issuer(res));
	CU_ASSERT_PTR_NULL(hc_result_subject(res));
	CU_ASSERT_PTR_NULL(hc_result_client(res));
	CU_ASSERT_PTR_NULL(hc_result_kid(res));
	CU_ASSERT_PTR_NULL(hc_result_alg(res));
	CU_ASSERT_PTR_NULL(hc_result_scope(res));
	CU_ASSERT_EQUAL(hc_result_actor_count(res), 0);
	CU_ASSERT_PTR_NULL(hc_result_actor(res, 0));
	CU_ASSERT_EQUAL(hc_result_expiry(res), 0);
	CU_ASSERT_PTR_NULL(hc_result_claim_json(res, "sub"));
	CU_ASSERT_PTR_NULL(hc_result_claim_json(res, "iss"));
	j = result_json(res);
	CU_ASSERT(json_str(j, "status") != NULL && strcmp(json_str(j, "status"),
	    hc_status_name(hc_result_status(res))) == 0);
	CU_ASSERT(json_str(j, "detail") != NULL && strcmp(json_str(j, "detail"),
	    hc_result_detail(res)) == 0);
	/* status, detail, and the credential a refusal is about. */
	CU_ASSERT_EQUAL(cJSON_GetArraySize(j),
	    hc_result_credential(res) != NULL ? 3 : 2);
	CU_ASSERT(hc_result_credential(res) == NULL ||
	    strcmp(json_str(j, "credential"), hc_result_credential(res)) == 0);
	CU_ASSERT_PTR_NULL(cJSON_GetObjectItemCaseSensitive(j, "issuer"));
	CU_ASSERT_PTR_NULL(cJSON_GetObjectItemCaseSensitive(j, "subject"));
	cJSON_Delete(j);
}

static void
test_result_layer1(void)
{
	static const char *const names[] = {
		"l1/bad-signature", "l1/attacker-key", "l1/unknown-kid",
		"l1/alg-not-allowed", "l1/alg-none", "l1/hs256", "l1/crit",
		"l1/issuer-unknown", "l1/padding", "l1/duplicate-claim",
		/* signed, but a registered claim has the wrong type */
		"types/exp-string", "types/aud-number",
	};
	hc_validator *v = core_validator();

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		hc_result *res = validate_at(v, names[i], NOW);
		CU_ASSERT(hc_result_status(res) != HC_OK);
		assert_unverified(res);
		hc_result_free(res);
	}
	hc_validator_free(v);
}

/* After layer 1 the verified identity is there, even on a rejection. */
static void
test_result_layer2(void)
{
	hc_validator *v = core_validator();
	hc_result *res = validate_at(v, "l2/aud-other", NOW);
	char *s;
	cJSON *j;

	HC_ASSERT_RESULT(res, HC_AUDIENCE);
	CU_ASSERT_STRING_EQUAL(hc_result_issuer(res), ISS);
	CU_ASSERT_STRING_EQUAL(hc_result_subject(res), "user:alice");
	CU_ASSERT_STRING_EQUAL(hc_result_client(res), "client-42");
	CU_ASSERT_STRING_EQUAL(hc_result_kid(res), "core-rs");
	CU_ASSERT_STRING_EQUAL(hc_result_alg(res), "RS256");
	CU_ASSERT_EQUAL(hc_result_expiry(res), NOW + 600);
	s = hc_result_claim_json(res, "aud");
	CU_ASSERT_STRING_EQUAL(s, "\"https://other.core.test\"");
	hc_string_free(s);
	j = result_json(res);
	CU_ASSERT_STRING_EQUAL(json_str(j, "status"), "audience");
	CU_ASSERT_STRING_EQUAL(json_str(j, "issuer"), ISS);
	CU_ASSERT_STRING_EQUAL(json_str(j, "subject"), "user:alice");
	cJSON_Delete(j);
	hc_result_free(res);

	res = validate_at(v, "l2/expired", NOW);
	HC_ASSERT_RESULT(res, HC_EXPIRED);
	CU_ASSERT_STRING_EQUAL(hc_result_issuer(res), ISS);
	CU_ASSERT_EQUAL(hc_result_expiry(res), NOW - 600);
	hc_result_free(res);
	hc_validator_free(v);
}

static void
test_result_accepted(void)
{
	hc_validator *v = core_validator();
	hc_result *res = validate_at(v, "ok/rs256", NOW);
	const cJSON *e;
	char *s;
	cJSON *j;

	HC_ASSERT_RESULT(res, HC_OK);
	CU_ASSERT_STRING_EQUAL(hc_result_detail(res), "accepted");
	CU_ASSERT_STRING_EQUAL(hc_result_issuer(res), ISS);
	CU_ASSERT_STRING_EQUAL(hc_result_subject(res), "user:alice");
	CU_ASSERT_STRING_EQUAL(hc_result_client(res), "client-42");
	CU_ASSERT_STRING_EQUAL(hc_result_kid(res), "core-rs");
	CU_ASSERT_STRING_EQUAL(hc_result_alg(res), "RS256");
	CU_ASSERT_STRING_EQUAL(hc_result_scope(res), "items:read items:write");
	CU_ASSERT_EQUAL(hc_result_expiry(res), NOW + 600);
	CU_ASSERT_EQUAL(hc_result_actor_count(res), 0);
	CU_ASSERT_PTR_NULL(hc_result_actor(res, 0));

	/* Claims as compact JSON; names are case-sensitive. */
	s = hc_result_claim_json(res, "sub");
	CU_ASSERT_STRING_EQUAL(s, "\"user:alice\"");
	hc_string_free(s);
	s = hc_result_claim_json(res, "exp");
	CU_ASSERT_STRING_EQUAL(s, "1767226200");
	hc_string_free(s);
	s = hc_result_claim_json(res, "tenant");
	CU_ASSERT_STRING_EQUAL(s, "\"acme\"");
	hc_string_free(s);
	CU_ASSERT_PTR_NULL(hc_result_claim_json(res, "SUB"));
	CU_ASSERT_PTR_NULL(hc_result_claim_json(res, "nbf"));
	CU_ASSERT_PTR_NULL(hc_result_claim_json(res, ""));
	CU_ASSERT_PTR_NULL(hc_result_claim_json(res, NULL));

	j = result_json(res);
	CU_ASSERT_STRING_EQUAL(json_str(j, "status"), "ok");
	CU_ASSERT_STRING_EQUAL(json_str(j, "detail"), "accepted");
	CU_ASSERT_STRING_EQUAL(json_str(j, "issuer"), ISS);
	CU_ASSERT_STRING_EQUAL(json_str(j, "subject"), "user:alice");
	CU_ASSERT_STRING_EQUAL(json_str(j, "client"), "client-42");
	CU_ASSERT_STRING_EQUAL(json_str(j, "scope"), "items:read items:write");
	CU_ASSERT_STRING_EQUAL(json_str(j, "kid"), "core-rs");
	CU_ASSERT_STRING_EQUAL(json_str(j, "alg"), "RS256");
	e = cJSON_GetObjectItemCaseSensitive(j, "exp");
	CU_ASSERT(cJSON_IsNumber(e) && e->valuedouble == NOW + 600);
	e = cJSON_GetObjectItemCaseSensitive(j, "actors");
	CU_ASSERT(cJSON_IsArray(e) && cJSON_GetArraySize(e) == 0);
	cJSON_Delete(j);
	hc_result_free(res);

	/* scp joined into the scope string; ES256 names its key. */
	res = validate_at(v, "ok/scp", NOW);
	HC_ASSERT_RESULT(res, HC_OK);
	CU_ASSERT_STRING_EQUAL(hc_result_scope(res), "items:read items:list");
	hc_result_free(res);
	res = validate_at(v, "ok/es256", NOW);
	HC_ASSERT_RESULT(res, HC_OK);
	CU_ASSERT_STRING_EQUAL(hc_result_alg(res), "ES256");
	CU_ASSERT_STRING_EQUAL(hc_result_kid(res), "core-es");
	hc_result_free(res);
	hc_validator_free(v);
}

/* A delegated token: the actor chain, current actor first. */
static void
test_result_actors(void)
{
	hc_validator *v = core_validator();
	hc_result *res = validate_at(v, "ok/delegated", NOW);
	const cJSON *a;
	char *s;
	cJSON *j;

	HC_ASSERT_RESULT(res, HC_OK);
	CU_ASSERT_EQUAL(hc_result_actor_count(res), 1);
	CU_ASSERT_STRING_EQUAL(hc_result_actor(res, 0), ACTOR);
	CU_ASSERT_PTR_NULL(hc_result_actor(res, 1));
	CU_ASSERT_PTR_NULL(hc_result_actor(res, SIZE_MAX));
	s = hc_result_claim_json(res, "act");
	CU_ASSERT_STRING_EQUAL(s, "{\"sub\":\"" ACTOR "\"}");
	hc_string_free(s);
	j = result_json(res);
	a = cJSON_GetObjectItemCaseSensitive(j, "actors");
	CU_ASSERT(cJSON_IsArray(a) && cJSON_GetArraySize(a) == 1);
	CU_ASSERT(cJSON_IsString(cJSON_GetArrayItem(a, 0)) &&
	    strcmp(cJSON_GetArrayItem(a, 0)->valuestring, ACTOR) == 0);
	cJSON_Delete(j);
	hc_result_free(res);
	hc_validator_free(v);
}

/* Accessors of no result at all. */
static void
test_result_null(void)
{
	CU_ASSERT_EQUAL(hc_result_status(NULL), HC_INTERNAL);
	CU_ASSERT_STRING_EQUAL(hc_result_detail(NULL), "no result");
	CU_ASSERT_PTR_NULL(hc_result_issuer(NULL));
	CU_ASSERT_PTR_NULL(hc_result_subject(NULL));
	CU_ASSERT_PTR_NULL(hc_result_client(NULL));
	CU_ASSERT_PTR_NULL(hc_result_kid(NULL));
	CU_ASSERT_PTR_NULL(hc_result_alg(NULL));
	CU_ASSERT_PTR_NULL(hc_result_scope(NULL));
	CU_ASSERT_EQUAL(hc_result_actor_count(NULL), 0);
	CU_ASSERT_PTR_NULL(hc_result_actor(NULL, 0));
	CU_ASSERT_EQUAL(hc_result_expiry(NULL), 0);
	CU_ASSERT_PTR_NULL(hc_result_claim_json(NULL, "sub"));
	CU_ASSERT_PTR_NULL(hc_result_to_json(NULL));
}

/* Route and tenant end to end, through the request's normal form. */
static void
test_routes(void)
{
	hc_validator *v = core_validator();
	const char *ro = token_of("l3/scope");   /* scope items:read only */
	hc_request *req;
	hc_result *res = NULL;

	/* "post" and a query string still select POST /v1/items. */
	req = request_at(NOW, "post", "/v1/items?via=query", NULL);
	HC_ASSERT_STATUS(hc_validate(v, ro, strlen(ro), req, &res), HC_SCOPE);
	CU_ASSERT_PTR_NOT_NULL(strstr(hc_result_detail(res), "items:write"));
	/* The rejection is after verification: the identity is there. */
	CU_ASSERT_STRING_EQUAL(hc_result_subject(res), "user:alice");
	hc_result_free(res);
	hc_request_free(req);
	/* Another method, or a path no route names: no scope needed. */
	req = request_at(NOW, "GET", "/v1/items", NULL);
	HC_ASSERT_STATUS(hc_validate(v, ro, strlen(ro), req, &res), HC_OK);
	hc_result_free(res);
	hc_request_free(req);
	req = request_at(NOW, "POST", "/v1/items/x", NULL);
	HC_ASSERT_STATUS(hc_validate(v, ro, strlen(ro), req, &res), HC_OK);
	hc_result_free(res);
	hc_request_free(req);
	/* The request's tenant is quoted in the detail, never raw. */
	req = request_at(NOW, "GET", "/v1/tenants/acme", "acme\nstatus=ok");
	HC_ASSERT_STATUS(hc_validate(v, ro, strlen(ro), req, &res), HC_TENANT);
	CU_ASSERT_PTR_NULL(strchr(hc_result_detail(res), '\n'));
	CU_ASSERT_PTR_NOT_NULL(strstr(hc_result_detail(res),
	    "\"acme\\x0astatus=ok\""));
	hc_result_free(res);
	hc_request_free(req);
	/* A tenant route without a tenant in the request. */
	req = request_at(NOW, "GET", "/v1/tenants/acme", NULL);
	HC_ASSERT_STATUS(hc_validate(v, ro, strlen(ro), req, &res), HC_TENANT);
	hc_result_free(res);
	hc_request_free(req);
	hc_validator_free(v);
}

/* -------------------------------------------------- status names */

static void
test_status_names(void)
{
	/* the stable status names (include/hopcheck.h), in enum order. */
	static const char *const names[HC_STATUS_COUNT] = {
		"ok", "malformed", "alg", "crit", "key", "signature", "issuer",
		"type", "audience", "expired", "not_yet_valid", "lifetime",
		"claim", "chain", "binding", "peer", "scope", "tenant",
		"policy", "replay", "narrowing", "unavailable", "config",
		"internal", "nonce"
	};
	hc_status st;

	CU_ASSERT_EQUAL(HC_STATUS_COUNT, 25);
	CU_ASSERT_EQUAL(HC_OK, 0);
	for (int i = 0; i < HC_STATUS_COUNT; i++) {
		const char *n = hc_status_name((hc_status)i);
		CU_ASSERT_PTR_NOT_NULL_FATAL(n);
		CU_ASSERT_STRING_EQUAL(n, names[i]);
		st = HC_STATUS_COUNT;
		CU_ASSERT_EQUAL(hc_status_from_name(n, &st), 0);
		CU_ASSERT_EQUAL(st, (hc_status)i);
		for (int k = 0; k < i; k++)
			CU_ASSERT_STRING_NOT_EQUAL(n,
			    hc_status_name((hc_status)k));
	}
	/* Out of range is "internal", never NULL. */
	CU_ASSERT_STRING_EQUAL(hc_status_name(HC_STATUS_COUNT), "internal");
	CU_ASSERT_STRING_EQUAL(hc_status_name((hc_status)1000), "internal");
	CU_ASSERT_STRING_EQUAL(hc_status_name((hc_status)-1), "internal");
	/* Unknown names: -1, and *out untouched. */
	st = HC_SCOPE;
	CU_ASSERT_EQUAL(hc_status_from_name("OK", &st), -1);
	CU_ASSERT_EQUAL(hc_status_from_name("", &st), -1);
	CU_ASSERT_EQUAL(hc_status_from_name("ok ", &st), -1);
	CU_ASSERT_EQUAL(hc_status_from_name("not-yet-valid", &st), -1);
	CU_ASSERT_EQUAL(hc_status_from_name("internalx", &st), -1);
	CU_ASSERT_EQUAL(hc_status_from_name(NULL, &st), -1);
	CU_ASSERT_EQUAL(st, HC_SCOPE);
	CU_ASSERT_STRING_EQUAL(hc_version(), HC_VERSION);
}

static void
test_free_null(void)
{
	hc_validator_free(NULL);
	hc_result_free(NULL);
	hc_request_free(NULL);
	hc_string_free(NULL);
	CU_PASS("no-ops");
}

/* -------------------------------------------------- thread safety */

/* The mix each thread validates, with the verdicts it must get. */
static const struct {
	const char *name;
	hc_status want;
} mix[] = {
	{ "ok/rs256", HC_OK },
	{ "l1/bad-signature", HC_SIGNATURE },
	{ "l2/expired", HC_EXPIRED },
	{ "ok/delegated", HC_OK },
	{ "l2/aud-other", HC_AUDIENCE },
	{ "l1/padding", HC_MALFORMED },
	{ "l1/unknown-kid", HC_KEY },
	{ "l2/typ-wrong", HC_TYPE },
	{ "ok/scp", HC_OK },
	{ "l1/attacker-key", HC_SIGNATURE },
	{ "l1/issuer-unknown", HC_ISSUER },
	{ "ok/es256", HC_OK },
};
#define NMIX (sizeof(mix) / sizeof(mix[0]))

typedef struct worker {
	const hc_validator *v;
	const hc_request *req;
	const char *tokens[NMIX];
	unsigned id;
	size_t done, wrong;
} worker;

/* The verdict, and the result agreeing with it, as expected. */
static bool
verdict_right(const hc_result *res, hc_status st, hc_status want)
{
	const char *sub = hc_result_subject(res);

	if (res == NULL || st != want || hc_result_status(res) != st)
		return false;
	if (st == HC_OK)
		return sub != NULL && strcmp(sub, "user:alice") == 0;
	return strcmp(hc_result_detail(res), "accepted") != 0;
}

static void *
work(void *arg)
{
	worker *w = arg;

	for (size_t i = 0; i < ROUNDS; i++) {
		size_t k = (i * 7 + w->id) % NMIX;
		hc_result *res = NULL;
		hc_status st;

		st = hc_validate(w->v, w->tokens[k], strlen(w->tokens[k]),
		    w->req, &res);
		if (!verdict_right(res, st, mix[k].want))
			w->wrong++;
		hc_result_free(res);
		w->done++;
	}
	return NULL;
}

static void
test_threads(void)
{
	hc_validator *v = core_validator();
	hc_request *req = request_at(NOW, NULL, NULL, NULL);
	pthread_t th[THREADS];
	worker w[THREADS];
	size_t done = 0, wrong = 0;

	memset(w, 0, sizeof(w));
	for (unsigned t = 0; t < THREADS; t++) {
		w[t].v = v;
		w[t].req = req;
		w[t].id = t;
		for (size_t k = 0; k < NMIX; k++)
			w[t].tokens[k] = token_of(mix[k].name);
	}
	for (unsigned t = 0; t < THREADS; t++)
		CU_ASSERT_EQUAL_FATAL(pthread_create(&th[t], NULL, work, &w[t]),
		    0);
	for (unsigned t = 0; t < THREADS; t++) {
		CU_ASSERT_EQUAL(pthread_join(th[t], NULL), 0);
		done += w[t].done;
		wrong += w[t].wrong;
	}
	CU_ASSERT_EQUAL(done, (size_t)THREADS * ROUNDS);
	if (wrong != 0)
		fprintf(stderr, "\n%zu of %zu verdicts wrong\n", wrong, done);
	CU_ASSERT_EQUAL(wrong, 0);
	hc_request_free(req);
	hc_validator_free(v);
}

/* ------------------------------------------------------------ main */

/* Releases tokens.json after each suite that loaded it (suite hook). */
static int
release_tokens(void)
{
	cJSON_Delete(tokens_doc);
	tokens_doc = NULL;
	return 0;
}

static const hc_test config_tests[] = {
	{ "from file; missing file; directory", test_config_from_file },
	{ "JSON errors by line and column", test_config_bad_json },
	{ "unknown keys and several errors at once",
	    test_config_errors_together },
	{ "missing key files; private key members", test_config_key_files },
	{ NULL, NULL }
};

static const hc_test validate_tests[] = {
	{ "every case of tokens.json", test_cases },
	{ "layer-2 cases check their details",
	    test_layer2_cases_check_details },
	{ "exp and iat boundaries", test_time_boundaries },
	{ "NULL request uses the system clock", test_null_request },
	{ "NULL validator, token, result; size limit", test_validate_edges },
	{ "routes and tenant through the request", test_routes },
	{ NULL, NULL }
};

static const hc_test result_tests[] = {
	{ "layer-1 rejection exposes nothing", test_result_layer1 },
	{ "layer-2 rejection exposes the identity", test_result_layer2 },
	{ "accepted token: accessors and JSON", test_result_accepted },
	{ "actor chain", test_result_actors },
	{ "accessors of NULL", test_result_null },
	{ NULL, NULL }
};

static const hc_test misc_tests[] = {
	{ "stable status names", test_status_names },
	{ "free(NULL) is a no-op", test_free_null },
	{ "8 threads share a validator", test_threads },
	{ NULL, NULL }
};

static const hc_suite suites[] = {
	{ "validator construction", config_tests },
	{ "validation", validate_tests },
	{ "results", result_tests },
	{ "names, frees, threads", misc_tests },
	{ NULL, NULL }
};

static const hc_hooks hooks[] = {
	{ "validation", NULL, release_tokens },
	{ "results", NULL, release_tokens },
	{ "names, frees, threads", NULL, release_tokens },
	{ NULL, NULL, NULL }
};

int
main(void)
{
	return hc_test_main_hooks(suites, hooks);
}
