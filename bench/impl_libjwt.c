/* SPDX-License-Identifier: Apache-2.0 */
/*
 * impl_libjwt.c - the peer library: libjwt 1.10 (Debian's libjwt-dev).
 *
 * One operation is jwt_decode() with the key, then jwt_free(): the way
 * libjwt 1.10 verifies a token.  Its key argument is the PEM text itself
 * (or the HMAC secret), which it parses again on every call; there is no
 * API to keep a parsed key.  libjwt 1.10 knows no PS* algorithm, so PS256
 * is reported as not available.
 *
 * What jwt_decode() checks, and what it leaves to the caller, is in
 * bench/README.md ("What libjwt checks"); `bench --probe` shows it on
 * tokens a careful validator refuses.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jwt.h>

#include "bench.h"

struct jwt_bench {
	const char *token;
	const unsigned char *key;
	int key_len;
};

static void
jwt_teardown(void *ctx)
{
	free(ctx);
}

static int
jwt_setup(const struct bench_case *bc, void **out, char *err, size_t errlen)
{
	struct jwt_bench *b;
	size_t klen = bc->key_len;

	*out = NULL;
	if (bc->alg == BENCH_PS256) {
		snprintf(err, errlen, "libjwt 1.10 has no PS256");
		return BENCH_NA;
	}
	if ((b = calloc(1, sizeof(*b))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return BENCH_ERR;
	}
	/* The PEM as read from its file, without the driver's NUL. */
	if (bc->alg != BENCH_HS256 && klen > 0 && bc->key[klen - 1] == '\0')
		klen--;
	b->token = bc->token;
	b->key = bc->key;
	b->key_len = (int)klen;
	*out = b;
	return BENCH_OK;
}

static int
jwt_verdict(void *ctx, const char *token, size_t len, char *buf,
    size_t buflen)
{
	struct jwt_bench *b = ctx;
	jwt_t *jwt = NULL;
	int ret;

	(void)len;              /* jwt_decode() reads up to the NUL */
	ret = jwt_decode(&jwt, token, b->key, b->key_len);
	jwt_free(jwt);
	if (buf != NULL) {
		if (ret == 0)
			snprintf(buf, buflen, "accepted");
		else
			snprintf(buf, buflen, "rejected (%s)",
			    ret == EINVAL ? "EINVAL" : strerror(ret));
	}
	return ret == 0 ? 0 : -1;
}

static int
jwt_run(void *ctx)
{
	struct jwt_bench *b = ctx;

	return jwt_verdict(ctx, b->token, 0, NULL, 0);
}

const struct bench_impl bench_libjwt = {
	.name = "libjwt",
	.label = "libjwt 1.10 jwt_decode",
	.setup = jwt_setup,
	.run = jwt_run,
	.verdict = jwt_verdict,
	.teardown = jwt_teardown,
};
