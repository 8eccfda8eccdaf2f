/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench.h - what the benchmark driver (bench.c) shares with the code it
 * times.
 *
 * Each library or primitive under test is one `struct bench_impl`: a const
 * table of function pointers filled by exactly one file, which is also the
 * only file that includes that library's headers (impl_hopcheck.c,
 * impl_mbedtls.c, impl_openssl.c, impl_libjwt.c).  The driver hands every
 * implementation the same case: the token, its signing input and decoded
 * signature, the key in the form that implementation takes, and the request
 * context.  mem.c counts heap use for all of them alike.
 */
#ifndef BENCH_H
#define BENCH_H

#include <stddef.h>
#include <stdint.h>

/* Outcomes of setup(). */
#define BENCH_OK      0
#define BENCH_NA      1   /* the implementation cannot do this algorithm */
#define BENCH_ERR     2   /* it should, and failed: the run is wrong */

/* The four algorithms measured. */
enum bench_alg {
	BENCH_ES256 = 0,
	BENCH_RS256,
	BENCH_PS256,
	BENCH_HS256,
	BENCH_NALGS
};

/* The request every token is validated for (bench/data/context). */
struct bench_context {
	int64_t now;
	char method[16];
	char path[256];
	char tenant[128];
	char peer_spiffe_id[512];
	char peer_x5t[64];
};

/*
 * One case.  Every buffer is owned by the driver and outlives the
 * implementation's context.  `token` is NUL-terminated (libjwt needs it);
 * `key` is the PEM text with its NUL counted in key_len for the public-key
 * algorithms (what mbedtls_pk_parse_public_key() wants), the raw secret
 * for HS256.
 */
struct bench_case {
	enum bench_alg alg;
	const char *alg_name;
	const char *token;
	size_t token_len;
	const unsigned char *signing_input;   /* header "." payload */
	size_t signing_input_len;
	const unsigned char *sig;             /* the decoded signature */
	size_t sig_len;
	const unsigned char *key;
	size_t key_len;
	const char *conf_path;                /* hopcheck.conf */
	const struct bench_context *ctx;
};

struct bench_impl {
	const char *name;        /* command-line name: hopcheck, mbedtls, ... */
	const char *label;       /* the table's name for it */
	/*
	 * Prepares everything a service would prepare once (parsed keys,
	 * validator, request).  Returns BENCH_OK and a context, BENCH_NA, or
	 * BENCH_ERR with a reason in err.
	 */
	int (*setup)(const struct bench_case *bc, void **ctx, char *err,
	    size_t errlen);
	/* One timed operation on the case's token: 0 when it is accepted. */
	int (*run)(void *ctx);
	/*
	 * Optional: the verdict on another token, in words ("ok", "expired",
	 * "accepted", "rejected"), for the probe table.  Returns 0 when the
	 * token is accepted.
	 */
	int (*verdict)(void *ctx, const char *token, size_t len, char *buf,
	    size_t buflen);
	void (*teardown)(void *ctx);
};

extern const struct bench_impl bench_hopcheck;            /* mbedTLS build */
extern const struct bench_impl bench_hopcheck_openssl;    /* OpenSSL build */
extern const struct bench_impl bench_hopcheck_hit;        /* cache hits */
extern const struct bench_impl bench_hopcheck_hit_openssl;
extern const struct bench_impl bench_mbedtls;
extern const struct bench_impl bench_openssl;
extern const struct bench_impl bench_libjwt;

/* ---------------------------------------------------------------- mem.c */

/* Heap use between bench_mem_start() and bench_mem_stop(). */
struct bench_mem {
	uint64_t allocs;        /* malloc, calloc, realloc, aligned calls */
	uint64_t bytes;         /* bytes they asked for */
	uint64_t peak;          /* highest live heap above the starting level */
};

void bench_mem_start(void);
void bench_mem_stop(struct bench_mem *out);

#endif /* BENCH_H */
