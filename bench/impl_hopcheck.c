/*
 * impl_hopcheck.c - hopcheck, end to end, through its public API only.
 *
 * Setup builds what a service builds once: a validator from the
 * benchmark's configuration and a request carrying the route, the tenant,
 * the peer's identity (thumbprint and SPIFFE ID) and the fixed clock.  One
 * operation is hc_validate() with a result object, and hc_result_free():
 * all three layers (strict decoding, signature, claims, actor chain,
 * delegation policy, certificate binding, peer identity, route scopes,
 * tenant) run on every call.
 */
#include <stdio.h>
#include <stdlib.h>

#include "hopcheck.h"
#include "bench.h"

struct hc_bench {
	hc_validator *v;
	hc_request *req;
	const char *token;
	size_t len;
};

static void
hopcheck_teardown(void *ctx)
{
	struct hc_bench *b = ctx;

	if (b == NULL)
		return;
	hc_request_free(b->req);
	hc_validator_free(b->v);
	free(b);
}

static int
hopcheck_setup(const struct bench_case *bc, void **out, char *err,
    size_t errlen)
{
	struct hc_bench *b;
	char *errors = NULL;
	hc_status st;

	*out = NULL;
	if ((b = calloc(1, sizeof(*b))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return BENCH_ERR;
	}
	b->token = bc->token;
	b->len = bc->token_len;
	st = hc_validator_new_from_file(bc->conf_path, &b->v, &errors);
	if (st != HC_OK) {
		snprintf(err, errlen, "%s: %s", bc->conf_path,
		    errors != NULL ? errors : hc_status_name(st));
		hc_string_free(errors);
		goto fail;
	}
	if ((b->req = hc_request_new()) == NULL ||
	    hc_request_set_route(b->req, bc->ctx->method, bc->ctx->path) !=
	    HC_OK ||
	    hc_request_set_tenant(b->req, bc->ctx->tenant) != HC_OK ||
	    hc_request_set_peer_identity(b->req, bc->ctx->peer_x5t,
	    bc->ctx->peer_spiffe_id) != HC_OK) {
		snprintf(err, errlen, "cannot build the request");
		goto fail;
	}
	hc_request_set_time(b->req, bc->ctx->now);
	*out = b;
	return BENCH_OK;
fail:
	hopcheck_teardown(b);
	return BENCH_ERR;
}

static int
hopcheck_verdict(void *ctx, const char *token, size_t len, char *buf,
    size_t buflen)
{
	struct hc_bench *b = ctx;
	hc_result *r = NULL;
	hc_status st;

	st = hc_validate(b->v, token, len, b->req, &r);
	if (buf != NULL)
		snprintf(buf, buflen, "%s", hc_status_name(st));
	hc_result_free(r);
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
	.label = "hopcheck hc_validate",
	.setup = hopcheck_setup,
	.run = hopcheck_run,
	.verdict = hopcheck_verdict,
	.teardown = hopcheck_teardown,
};
