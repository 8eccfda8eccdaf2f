/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_alloc.c - how many heap allocations one hc_validate() makes.
 *
 * The hot path is a cache hit: layer 1 is skipped, layers 2 and 3 run on
 * the claims the cache keeps.  It must cost at most HIT_CEILING
 * allocations, the result object included; a cold validation (cache off)
 * at most COLD_CEILING beyond what the crypto library allocates.  These
 * are counts, not timings: they do not move with the machine's load.
 *
 * This program alone replaces malloc, calloc, realloc and the aligned
 * allocators with wrappers over glibc's own (its __libc_* entry points),
 * so every library in the process allocates through them.  A call whose
 * return address lies in the crypto library (libmbedcrypto, libcrypto),
 * found by dl_iterate_phdr() before counting starts, is counted apart.
 * Under a sanitizer, which owns malloc itself, the counts are skipped.
 *
 * The token, configuration and request are the benchmark's
 * (bench/data): a delegated token with an act chain of two, certificate
 * binding, peer identity, a route with a scope and a tenant, so that
 * every layer runs to its end.
 */
#define _GNU_SOURCE 1
#include <errno.h>
#include <link.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

/* The ceilings the hot path is held to. */
#define HIT_CEILING  8          /* cache hit, result included */
#define COLD_CEILING 16         /* cache off, crypto library excluded */

#define BENCH_DIR    "bench/data"
#define BENCH_NOW    1767225600

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define HC_SANITIZED 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define HC_SANITIZED 1
#endif

#ifndef HC_SANITIZED

/* --------------------------------------------------- the counting hook */

extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t n);
extern void __libc_free(void *p);
extern void *__libc_memalign(size_t align, size_t n);

/* The tree builds with -fvisibility=hidden: these must be seen by libc. */
#define REPLACES __attribute__((visibility("default")))

/* Text ranges of the crypto library's objects (at most a few). */
#define MAX_RANGES 8
static struct { uintptr_t lo, hi; } crypto_text[MAX_RANGES];
static int ncrypto;

/* Counted on the test's one thread; other threads are not started. */
static int counting;
static unsigned long n_ours, n_crypto;

static void
note(const void *caller)
{
	uintptr_t a = (uintptr_t)caller;

	if (!counting)
		return;
	for (int i = 0; i < ncrypto; i++)
		if (a >= crypto_text[i].lo && a < crypto_text[i].hi) {
			n_crypto++;
			return;
		}
	n_ours++;
}

REPLACES void *
malloc(size_t n)
{
	note(__builtin_return_address(0));
	return __libc_malloc(n);
}

REPLACES void *
calloc(size_t n, size_t size)
{
	note(__builtin_return_address(0));
	return __libc_calloc(n, size);
}

REPLACES void *
realloc(void *p, size_t n)
{
	note(__builtin_return_address(0));
	return __libc_realloc(p, n);
}

REPLACES void
free(void *p)
{
	__libc_free(p);
}

REPLACES void *
memalign(size_t align, size_t n)
{
	note(__builtin_return_address(0));
	return __libc_memalign(align, n);
}

REPLACES void *
aligned_alloc(size_t align, size_t n)
{
	note(__builtin_return_address(0));
	return __libc_memalign(align, n);
}

REPLACES int
posix_memalign(void **out, size_t align, size_t n)
{
	void *p;

	note(__builtin_return_address(0));
	if (align < sizeof(void *) || (align & (align - 1)) != 0)
		return EINVAL;
	if ((p = __libc_memalign(align, n)) == NULL)
		return ENOMEM;
	*out = p;
	return 0;
}

/* Records the loaded segments of libmbedcrypto and libcrypto. */
static int
find_crypto(struct dl_phdr_info *info, size_t size, void *arg)
{
	(void)size;
	(void)arg;
	if (info->dlpi_name == NULL ||
	    (strstr(info->dlpi_name, "libmbedcrypto") == NULL &&
	    strstr(info->dlpi_name, "libcrypto") == NULL))
		return 0;
	for (int i = 0; i < info->dlpi_phnum && ncrypto < MAX_RANGES; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_X))
			continue;
		crypto_text[ncrypto].lo = info->dlpi_addr + ph->p_vaddr;
		crypto_text[ncrypto].hi = crypto_text[ncrypto].lo + ph->p_memsz;
		ncrypto++;
	}
	return 0;
}

/* ------------------------------------------------------------ the cases */

static char *conf_off, *conf_on;

/*
 * The benchmark's configuration, with the cache at `max` entries (it
 * ships with "max_entries": 0).
 */
static char *
conf_with_cache(const char *text, int max)
{
	const char *at = strstr(text, "\"max_entries\": 0");
	size_t head, n = strlen(text) + 16;
	char *out;

	if (at == NULL || (out = __libc_malloc(n)) == NULL)
		return NULL;
	head = (size_t)(at - text);
	memcpy(out, text, head);
	(void)snprintf(out + head, n - head, "\"max_entries\": %d%s", max,
	    at + strlen("\"max_entries\": 0"));
	return out;
}

static int
suite_init(void)
{
	char *text = hc_test_read(BENCH_DIR "/hopcheck.conf", NULL);

	if (text == NULL)
		return -1;
	conf_off = conf_with_cache(text, 0);
	conf_on = conf_with_cache(text, 64);
	free(text);
	dl_iterate_phdr(find_crypto, NULL);
	return conf_off != NULL && conf_on != NULL && ncrypto > 0 ? 0 : -1;
}

static int
suite_cleanup(void)
{
	__libc_free(conf_off);
	__libc_free(conf_on);
	return 0;
}

static hc_validator *
make_validator(const char *conf)
{
	hc_validator *v = NULL;
	char *errors = NULL;

	if (hc_validator_new_from_json(conf, strlen(conf), BENCH_DIR, &v,
	    &errors) != HC_OK)
		fprintf(stderr, "\n%s\n", errors != NULL ? errors : "?");
	hc_string_free(errors);
	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	return v;
}

/* The benchmark's request (bench/data/context). */
static hc_request *
make_request(void)
{
	hc_request *req = hc_request_new();

	CU_ASSERT_PTR_NOT_NULL_FATAL(req);
	CU_ASSERT_EQUAL_FATAL(hc_request_set_route(req, "POST",
	    "/v1/payments"), HC_OK);
	CU_ASSERT_EQUAL_FATAL(hc_request_set_tenant(req, "acme"), HC_OK);
	CU_ASSERT_EQUAL_FATAL(hc_request_set_peer_identity(req,
	    "OVQsklGN-n47Y_hGWWNhIpoGYcw4whYlc03GoJUa358",
	    "spiffe://example.org/sa/orders"), HC_OK);
	hc_request_set_time(req, BENCH_NOW);
	return req;
}

/* The benchmark's token of algorithm `alg` ("es256"), newline dropped. */
static char *
read_token(const char *alg, size_t *len)
{
	char path[64], *t;

	(void)snprintf(path, sizeof(path), BENCH_DIR "/tokens/%s.jwt", alg);
	t = hc_test_read(path, len);
	while (*len > 0 && (t[*len - 1] == '\n' || t[*len - 1] == '\r'))
		t[--*len] = '\0';
	return t;
}

/*
 * One hc_validate() of the token, counted: the allocations outside the
 * crypto library in *ours, inside it in *crypto.  The result is read
 * through its accessors before it is freed (uncounted), so that a
 * borrowing result is shown to work.
 */
static void
count_one(hc_validator *v, const hc_request *req, const char *tok,
    size_t len, unsigned long *ours, unsigned long *crypto)
{
	hc_result *r = NULL;
	hc_status st;
	char *claim;

	n_ours = n_crypto = 0;
	counting = 1;
	st = hc_validate(v, tok, len, req, &r);
	counting = 0;
	*ours = n_ours;
	*crypto = n_crypto;
	HC_ASSERT_RESULT(r, HC_OK);
	CU_ASSERT_EQUAL(st, HC_OK);
	CU_ASSERT_STRING_EQUAL(hc_result_subject(r), "user:alice");
	CU_ASSERT_STRING_EQUAL(hc_result_scope(r),
	    "payments:read payments:write");
	CU_ASSERT_EQUAL(hc_result_actor_count(r), 2);
	CU_ASSERT_STRING_EQUAL(hc_result_actor(r, 0),
	    "spiffe://example.org/sa/orders");
	claim = hc_result_claim_json(r, "tenant");
	CU_ASSERT_STRING_EQUAL(claim, "\"acme\"");
	hc_string_free(claim);
	hc_result_free(r);
}

static void
cold_and_hit(const char *alg)
{
	hc_validator *off = make_validator(conf_off);
	hc_validator *on = make_validator(conf_on);
	hc_request *req = make_request();
	unsigned long ours, crypto;
	size_t len;
	char *tok = read_token(alg, &len);

	/* Warm once: first-use initialisation is not per-token cost. */
	count_one(off, req, tok, len, &ours, &crypto);
	count_one(off, req, tok, len, &ours, &crypto);
	printf("\n    %s cold: %lu allocations (+%lu in the crypto library) ",
	    alg, ours, crypto);
	CU_ASSERT(ours <= COLD_CEILING);

	count_one(on, req, tok, len, &ours, &crypto);   /* the miss, stored */
	count_one(on, req, tok, len, &ours, &crypto);
	printf("\n    %s cache hit: %lu allocations (+%lu in the crypto "
	    "library) ", alg, ours, crypto);
	CU_ASSERT(ours + crypto <= HIT_CEILING);

	free(tok);
	hc_request_free(req);
	hc_validator_free(on);
	hc_validator_free(off);
}

static void
test_es256(void)
{
	cold_and_hit("es256");
}

static void
test_rs256(void)
{
	cold_and_hit("rs256");
}

#else /* HC_SANITIZED */

static int
suite_init(void)
{
	return 0;
}

static int
suite_cleanup(void)
{
	return 0;
}

static void
test_es256(void)
{
	printf("\n    skipped: a sanitizer owns malloc ");
}

static void
test_rs256(void)
{
	test_es256();
}

#endif /* HC_SANITIZED */

static const hc_test tests[] = {
	{ "ES256: cold and cache hit within the ceilings", test_es256 },
	{ "RS256: cold and cache hit within the ceilings", test_rs256 },
	{ NULL, NULL }
};

static const hc_suite suites[] = {
	{ "alloc", tests },
	{ NULL, NULL }
};

static const hc_hooks hooks[] = {
	{ "alloc", suite_init, suite_cleanup },
	{ NULL, NULL, NULL }
};

int
main(void)
{
	return hc_test_main_hooks(suites, hooks);
}
