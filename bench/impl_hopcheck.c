/* SPDX-License-Identifier: Apache-2.0 */
/*
 * impl_hopcheck.c - hopcheck, end to end, through its public API only, on
 * either crypto backend.
 *
 * The two builds of the library (build/ on mbedTLS, build-openssl/ on
 * OpenSSL 3) export the same names, so one program cannot link both.
 * Each measurement runs in a child process of its own (bench.c), and
 * that child loads the build it measures with dlopen(): the shared
 * library, libhopcheck.so.0, of that build folder.  The parent never
 * loads either, except for --probe, which uses the mbedTLS build alone.
 *
 * Setup builds what a service builds once: a validator from the
 * benchmark's configuration and a request carrying the route, the tenant,
 * the peer's identity (thumbprint and SPIFFE ID) and the fixed clock.  One
 * operation is hc_validate() with a result object, and hc_result_free():
 * all three layers (strict decoding, signature, claims, actor chain,
 * delegation policy, certificate binding, peer identity, route scopes,
 * tenant) run on every call.
 *
 * The "cold" rows use the configuration as it is (cache.max_entries 0):
 * every call verifies the signature.  The "cache hit" rows turn the
 * verified-token cache on (64 entries) and validate once before timing,
 * so that every timed call is a hit: layer 1 is skipped, layers 2 and 3
 * run in full.
 */
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hopcheck.h"
#include "bench.h"

/* The library's functions this file calls, found with dlsym(). */
struct hc_api {
	void *dl;
	hc_status (*validator_new_from_json)(const char *, size_t,
	    const char *, hc_validator **, char **);
	void (*validator_free)(hc_validator *);
	hc_request *(*request_new)(void);
	void (*request_free)(hc_request *);
	hc_status (*request_set_route)(hc_request *, const char *,
	    const char *);
	hc_status (*request_set_tenant)(hc_request *, const char *);
	hc_status (*request_set_peer_identity)(hc_request *, const char *,
	    const char *);
	void (*request_set_time)(hc_request *, int64_t);
	hc_status (*validate)(const hc_validator *, const char *, size_t,
	    const hc_request *, hc_result **);
	void (*result_free)(hc_result *);
	const char *(*status_name)(hc_status);
	void (*string_free)(char *);
};

struct hc_bench {
	struct hc_api api;
	hc_validator *v;
	hc_request *req;
	const char *token;
	size_t len;
};

/* Loads BUILD/libhopcheck.so.0 and its functions; -1 with a reason. */
static int
load_api(const char *build, struct hc_api *a, char *err, size_t errlen)
{
	char path[256];

	memset(a, 0, sizeof(*a));
	snprintf(path, sizeof(path), "%s/libhopcheck.so.0", build);
	if ((a->dl = dlopen(path, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		snprintf(err, errlen, "%s", dlerror());
		return -1;
	}
#define SYM(field, name) \
	if ((*(void **)(&a->field) = dlsym(a->dl, name)) == NULL) { \
		snprintf(err, errlen, "%s: no %s", path, name); \
		return -1; \
	}
	SYM(validator_new_from_json, "hc_validator_new_from_json");
	SYM(validator_free, "hc_validator_free");
	SYM(request_new, "hc_request_new");
	SYM(request_free, "hc_request_free");
	SYM(request_set_route, "hc_request_set_route");
	SYM(request_set_tenant, "hc_request_set_tenant");
	SYM(request_set_peer_identity, "hc_request_set_peer_identity");
	SYM(request_set_time, "hc_request_set_time");
	SYM(validate, "hc_validate");
	SYM(result_free, "hc_result_free");
	SYM(status_name, "hc_status_name");
	SYM(string_free, "hc_string_free");
#undef SYM
	return 0;
}

static void
hopcheck_teardown(void *ctx)
{
	struct hc_bench *b = ctx;

	if (b == NULL)
		return;
	if (b->api.request_free != NULL)
		b->api.request_free(b->req);
	if (b->api.validator_free != NULL)
		b->api.validator_free(b->v);
	/* The library stays loaded: the process ends with the measurement. */
	free(b);
}

/* Reads the whole configuration file; NULL on failure. */
static char *
read_conf(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 &&
	    fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 32)) != NULL &&
	    fread(buf, 1, (size_t)n, f) == (size_t)n) {
		buf[n] = '\0';
		*len = (size_t)n;
	} else {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

/* The configuration with cache.max_entries set to 64 (it ships at 0). */
static int
enable_cache(char *conf, size_t *len)
{
	static const char off[] = "\"max_entries\": 0", on[] =
	    "\"max_entries\": 64";
	char *at = strstr(conf, off);

	if (at == NULL)
		return -1;
	memmove(at + sizeof(on) - 1, at + sizeof(off) - 1,
	    strlen(at + sizeof(off) - 1) + 1);
	memcpy(at, on, sizeof(on) - 1);
	*len += sizeof(on) - sizeof(off);
	return 0;
}

static int
setup_build(const struct bench_case *bc, void **out, char *err,
    size_t errlen, const char *build, int cached)
{
	struct hc_bench *b;
	char *errors = NULL, *conf, dir[4096], *slash;
	size_t conf_len = 0;
	hc_status st;

	*out = NULL;
	if ((b = calloc(1, sizeof(*b))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return BENCH_ERR;
	}
	if (load_api(build, &b->api, err, errlen) != 0) {
		free(b);
		return BENCH_NA;       /* that build is not there */
	}
	b->token = bc->token;
	b->len = bc->token_len;
	snprintf(dir, sizeof(dir), "%s", bc->conf_path);
	if ((slash = strrchr(dir, '/')) != NULL)
		*slash = '\0';
	if ((conf = read_conf(bc->conf_path, &conf_len)) == NULL ||
	    (cached && enable_cache(conf, &conf_len) != 0)) {
		snprintf(err, errlen, "%s: unreadable", bc->conf_path);
		free(conf);
		goto fail;
	}
	st = b->api.validator_new_from_json(conf, conf_len, dir, &b->v,
	    &errors);
	free(conf);
	if (st != HC_OK) {
		snprintf(err, errlen, "%s: %s", bc->conf_path,
		    errors != NULL ? errors : b->api.status_name(st));
		b->api.string_free(errors);
		goto fail;
	}
	if ((b->req = b->api.request_new()) == NULL ||
	    b->api.request_set_route(b->req, bc->ctx->method, bc->ctx->path) !=
	    HC_OK ||
	    b->api.request_set_tenant(b->req, bc->ctx->tenant) != HC_OK ||
	    b->api.request_set_peer_identity(b->req, bc->ctx->peer_x5t,
	    bc->ctx->peer_spiffe_id) != HC_OK) {
		snprintf(err, errlen, "cannot build the request");
		goto fail;
	}
	b->api.request_set_time(b->req, bc->ctx->now);
	*out = b;
	return BENCH_OK;
fail:
	hopcheck_teardown(b);
	return BENCH_ERR;
}

static int
setup_mbedtls(const struct bench_case *bc, void **out, char *err,
    size_t errlen)
{
	return setup_build(bc, out, err, errlen, "build", 0);
}

static int
setup_openssl(const struct bench_case *bc, void **out, char *err,
    size_t errlen)
{
	return setup_build(bc, out, err, errlen, "build-openssl", 0);
}

static int
setup_hit_mbedtls(const struct bench_case *bc, void **out, char *err,
    size_t errlen)
{
	return setup_build(bc, out, err, errlen, "build", 1);
}

static int
setup_hit_openssl(const struct bench_case *bc, void **out, char *err,
    size_t errlen)
{
	return setup_build(bc, out, err, errlen, "build-openssl", 1);
}

static int
hopcheck_verdict(void *ctx, const char *token, size_t len, char *buf,
    size_t buflen)
{
	struct hc_bench *b = ctx;
	hc_result *r = NULL;
	hc_status st;

	st = b->api.validate(b->v, token, len, b->req, &r);
	if (buf != NULL)
		snprintf(buf, buflen, "%s", b->api.status_name(st));
	b->api.result_free(r);
	return st == HC_OK ? 0 : -1;
}

static int
hopcheck_run(void *ctx)
{
	struct hc_bench *b = ctx;

	return hopcheck_verdict(ctx, b->token, b->len, NULL, 0);
}

const struct bench_impl bench_hopcheck = {
	.name = "hopcheck",
	.label = "hopcheck mbedTLS",
	.setup = setup_mbedtls,
	.run = hopcheck_run,
	.verdict = hopcheck_verdict,
	.teardown = hopcheck_teardown,
};

const struct bench_impl bench_hopcheck_openssl = {
	.name = "hopcheck-openssl",
	.label = "hopcheck OpenSSL",
	.setup = setup_openssl,
	.run = hopcheck_run,
	.verdict = hopcheck_verdict,
	.teardown = hopcheck_teardown,
};

const struct bench_impl bench_hopcheck_hit = {
	.name = "hit",
	.label = "hopcheck mbedTLS hit",
	.setup = setup_hit_mbedtls,
	.run = hopcheck_run,
	.verdict = hopcheck_verdict,
	.teardown = hopcheck_teardown,
};

const struct bench_impl bench_hopcheck_hit_openssl = {
	.name = "hit-openssl",
	.label = "hopcheck OpenSSL hit",
	.setup = setup_hit_openssl,
	.run = hopcheck_run,
	.verdict = hopcheck_verdict,
	.teardown = hopcheck_teardown,
};
