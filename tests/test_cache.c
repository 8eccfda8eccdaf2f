/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_cache.c - the verified-token cache (src/cache.c).
 *
 * A hit may skip layer 1 only: these tests check that time, route and
 * tenant are judged again on a hit, that changed bytes never hit, that a
 * replaced key set drops its entries, that the cache is bounded, and that
 * max_entries 0 disables it.  Tokens and configuration are those of
 * tests/data/core, made by python3-jwcrypto.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "testutil.h"
#include "validator.h"

#define CORE_CONF "tests/data/core/core.conf"
#define NOW 1767225600

static cJSON *tokens;

/* The token of case `name` in tests/data/core/tokens.json. */
static const char *
token(const char *name)
{
	const cJSON *c;

	if (tokens == NULL) {
		char *text = hc_test_read("tests/data/core/tokens.json", NULL);
		tokens = cJSON_Parse(text);
		free(text);
	}
	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(tokens, "cases")) {
		const cJSON *n = cJSON_GetObjectItemCaseSensitive(c, "name");
		if (cJSON_IsString(n) && strcmp(n->valuestring, name) == 0)
			return cJSON_GetObjectItemCaseSensitive(c, "token")->valuestring;
	}
	CU_FAIL_FATAL("no such token case");
	return NULL;
}

/* A validator of core.conf with the cache set to max entries. */
static hc_validator *
validator(int max)
{
	char *text = hc_test_read(CORE_CONF, NULL), *errors = NULL, *p;
	hc_validator *v = NULL;
	char buf[64];

	/* Insert the cache section after the opening brace. */
	p = strchr(text, '{');
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	(void)snprintf(buf, sizeof(buf), "{\"cache\":{\"max_entries\":%d},", max);
	{
		size_t head = (size_t)(p - text), rest = strlen(p + 1);
		char *conf = malloc(head + strlen(buf) + rest + 1);
		memcpy(conf, text, head);
		memcpy(conf + head, buf, strlen(buf));
		memcpy(conf + head + strlen(buf), p + 1, rest + 1);
		if (hc_validator_new_from_json(conf, strlen(conf),
		    "tests/data/core", &v, &errors) != HC_OK)
			fprintf(stderr, "\n%s\n", errors);
		free(conf);
	}
	free(text);
	hc_string_free(errors);
	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	return v;
}

static hc_status
check(hc_validator *v, const char *tok, int64_t now, const char *method,
    const char *path)
{
	hc_request *req = hc_request_new();
	hc_status st;

	hc_request_set_time(req, now);
	if (method != NULL)
		CU_ASSERT_EQUAL(hc_request_set_route(req, method, path), HC_OK);
	st = hc_validate(v, tok, strlen(tok), req, NULL);
	hc_request_free(req);
	return st;
}

static void
test_hit_same_verdict(void)
{
	hc_validator *v = validator(16);
	const char *t = token("ok/es256");
	hc_result *a = NULL, *b = NULL;
	hc_request *req = hc_request_new();
	uint64_t hits, misses;
	size_t n;

	hc_request_set_time(req, NOW);
	HC_ASSERT_STATUS(hc_validate(v, t, strlen(t), req, &a), HC_OK);
	HC_ASSERT_STATUS(hc_validate(v, t, strlen(t), req, &b), HC_OK);
	hc_validator_cache_stats(v, &hits, &misses, &n);
	CU_ASSERT_EQUAL(hits, 1);
	CU_ASSERT_EQUAL(misses, 1);
	CU_ASSERT_EQUAL(n, 1);
	/* The hit reports what the verification found. */
	{
		char *ja = hc_result_to_json(a), *jb = hc_result_to_json(b);
		CU_ASSERT_STRING_EQUAL(ja, jb);
		hc_string_free(ja);
		hc_string_free(jb);
	}
	CU_ASSERT_STRING_EQUAL(hc_result_alg(b), "ES256");
	CU_ASSERT_STRING_EQUAL(hc_result_kid(b), "core-es");
	hc_result_free(a);
	hc_result_free(b);
	hc_request_free(req);
	hc_validator_free(v);
}

/* Layers 2 and 3 run on every request, cached or not. */
static void
test_hit_rejudged(void)
{
	hc_validator *v = validator(16);
	const char *t = token("ok/es256");
	uint64_t hits;

	HC_ASSERT_STATUS(check(v, t, NOW, NULL, NULL), HC_OK);
	HC_ASSERT_STATUS(check(v, t, NOW + 100000, NULL, NULL), HC_EXPIRED);
	HC_ASSERT_STATUS(check(v, t, NOW - 100000, NULL, NULL), HC_LIFETIME);
	HC_ASSERT_STATUS(check(v, t, NOW, "GET", "/v1/items"), HC_OK);
	HC_ASSERT_STATUS(check(v, token("l3/scope"), NOW, "POST", "/v1/items"),
	    HC_SCOPE);
	hc_validator_cache_stats(v, &hits, NULL, NULL);
	CU_ASSERT(hits >= 2);
	hc_validator_free(v);
}

/* One byte changed is another token: no hit, and the signature fails. */
static void
test_changed_bytes_miss(void)
{
	hc_validator *v = validator(16);
	char *t = strdup(token("ok/es256"));
	size_t len = strlen(t);
	uint64_t hits;

	HC_ASSERT_STATUS(check(v, t, NOW, NULL, NULL), HC_OK);
	t[len - 2] = t[len - 2] == 'A' ? 'B' : 'A';
	HC_ASSERT_STATUS(check(v, t, NOW, NULL, NULL), HC_SIGNATURE);
	t[len - 1] = '\0';     /* 85 characters: 1 mod 4 */
	HC_ASSERT_STATUS(check(v, t, NOW, NULL, NULL), HC_MALFORMED);
	hc_validator_cache_stats(v, &hits, NULL, NULL);
	CU_ASSERT_EQUAL(hits, 0);
	free(t);
	hc_validator_free(v);
}

/* A replaced key set (a refresh) drops the entries it verified. */
static void
test_key_set_replaced(void)
{
	hc_validator *v = validator(16);
	const char *t = token("ok/es256");
	char *jwks = hc_test_read("tests/data/core/keys.jwks.json", NULL);
	hc_keyset *ks = NULL;
	hc_detail d;
	uint64_t hits, misses;
	size_t n;

	HC_ASSERT_STATUS(check(v, t, NOW, NULL, NULL), HC_OK);
	HC_ASSERT_STATUS(hc_keyset_parse(jwks, strlen(jwks), false, &ks, &d),
	    HC_OK);
	hc_keyslot_swap(&v->issuers[0].keys, ks);
	HC_ASSERT_STATUS(check(v, t, NOW, NULL, NULL), HC_OK);
	hc_validator_cache_stats(v, &hits, &misses, &n);
	CU_ASSERT_EQUAL(hits, 0);
	CU_ASSERT_EQUAL(misses, 2);
	CU_ASSERT_EQUAL(n, 1);
	/* The new entry hits. */
	HC_ASSERT_STATUS(check(v, t, NOW, NULL, NULL), HC_OK);
	hc_validator_cache_stats(v, &hits, NULL, NULL);
	CU_ASSERT_EQUAL(hits, 1);
	free(jwks);
	hc_validator_free(v);
}

/* At most max_entries are held; the oldest goes first. */
static void
test_bounded(void)
{
	hc_validator *v = validator(2);
	const char *a = token("ok/es256"), *b = token("ok/rs256");
	const char *c = token("ok/aud-array");
	uint64_t hits;
	size_t n;

	HC_ASSERT_STATUS(check(v, a, NOW, NULL, NULL), HC_OK);
	HC_ASSERT_STATUS(check(v, b, NOW, NULL, NULL), HC_OK);
	HC_ASSERT_STATUS(check(v, c, NOW, NULL, NULL), HC_OK);
	hc_validator_cache_stats(v, NULL, NULL, &n);
	CU_ASSERT_EQUAL(n, 2);
	HC_ASSERT_STATUS(check(v, c, NOW, NULL, NULL), HC_OK);   /* hit */
	HC_ASSERT_STATUS(check(v, a, NOW, NULL, NULL), HC_OK);   /* evicted */
	hc_validator_cache_stats(v, &hits, NULL, &n);
	CU_ASSERT_EQUAL(hits, 1);
	CU_ASSERT_EQUAL(n, 2);
	hc_validator_free(v);
}

static void
test_disabled(void)
{
	hc_validator *v = validator(0);
	const char *t = token("ok/es256");
	uint64_t hits = 9, misses = 9;
	size_t n = 9;

	HC_ASSERT_STATUS(check(v, t, NOW, NULL, NULL), HC_OK);
	HC_ASSERT_STATUS(check(v, t, NOW, NULL, NULL), HC_OK);
	hc_validator_cache_stats(v, &hits, &misses, &n);
	CU_ASSERT_EQUAL(hits, 0);
	CU_ASSERT_EQUAL(misses, 0);
	CU_ASSERT_EQUAL(n, 0);
	hc_validator_cache_stats(NULL, &hits, NULL, NULL);
	CU_ASSERT_EQUAL(hits, 0);
	hc_validator_free(v);
}

/* Threads hitting, missing and evicting at once keep their verdicts. */
static hc_validator *shared;

static void *
worker(void *arg)
{
	static const char *const names[] = { "ok/es256", "ok/rs256",
	    "ok/aud-array", "l1/bad-signature", "l2/expired" };
	static const hc_status want[] = { HC_OK, HC_OK, HC_OK, HC_SIGNATURE,
	    HC_EXPIRED };
	size_t bad = 0;

	(void)arg;
	for (int i = 0; i < 400; i++) {
		size_t k = (size_t)i % 5;
		if (check(shared, token(names[k]), NOW, NULL, NULL) != want[k])
			bad++;
	}
	return (void *)(uintptr_t)bad;
}

static void
test_threads(void)
{
	pthread_t th[4];
	void *bad;

	shared = validator(2);
	(void)token("ok/es256");      /* parse the file before the threads */
	for (int i = 0; i < 4; i++)
		CU_ASSERT_EQUAL(pthread_create(&th[i], NULL, worker, NULL), 0);
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], &bad);
		CU_ASSERT_EQUAL((uintptr_t)bad, 0);
	}
	hc_validator_free(shared);
}

static const hc_test tests[] = {
	{ "a hit gives the same result", test_hit_same_verdict },
	{ "a hit is judged again for time and route", test_hit_rejudged },
	{ "changed bytes never hit", test_changed_bytes_miss },
	{ "a replaced key set drops its entries", test_key_set_replaced },
	{ "bounded, oldest evicted", test_bounded },
	{ "max_entries 0 disables", test_disabled },
	{ "threads", test_threads },
	{ NULL, NULL }
};

static const hc_suite suites[] = {
	{ "cache", tests },
	{ NULL, NULL }
};

int
main(void)
{
	int rc = hc_test_main(suites);

	cJSON_Delete(tokens);
	return rc;
}
