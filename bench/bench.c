/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench.c - the benchmark driver: hopcheck against the raw crypto it
 * stands on and against a peer library, in one run, on the same tokens.
 *
 * For each algorithm (ES256, RS256, PS256, HS256) and each implementation
 * (hopcheck's hc_validate(), mbedTLS's bare signature check, OpenSSL's,
 * libjwt's jwt_decode()), the driver forks a child that sets the
 * implementation up, checks that it accepts the token, warms it up, times
 * several batches with the monotonic clock, counts heap use over a further
 * batch (mem.c), and reports its peak resident set.  One child per
 * measurement keeps one library's caches, heap growth and resident pages
 * out of the next one's numbers.  The parent prints the median time per
 * operation, the spread of the batches, the ratios to the two raw
 * backends, and the memory figures.
 *
 * Other modes:
 *   --probe      a table of verdicts (hopcheck status, libjwt accept or
 *                reject) on tokens a careful validator refuses, to show
 *                what each one checks; untimed;
 *   --ops I A N  sets implementation I up for algorithm A, warms it, and
 *                runs N operations inside bench_ops(), for
 *                `valgrind --tool=callgrind --toggle-collect=bench_ops`.
 *
 * Nothing here is a test: the numbers are reported, never asserted.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

#define MAX_FILE        65536   /* largest data file read */
#define MAX_REPS        25      /* timed batches per round */
#define MAX_ROUNDS      9
#define MAX_BATCHES     (MAX_REPS * MAX_ROUNDS)
#define WARM_MIN_S      0.08    /* warm-up: at least this long ... */
#define WARM_MIN_OPS    20      /* ... and this many operations */
#define MEM_OPS         64      /* operations of the heap-counting pass */
#define ERR_LEN         240

static const char *const alg_names[BENCH_NALGS] = {
	"ES256", "RS256", "PS256", "HS256"
};

/* The implementations, in table order; the raw backends are the bases. */
static const struct bench_impl *const impls[] = {
	&bench_hopcheck, &bench_hopcheck_openssl, &bench_hopcheck_hit,
	&bench_hopcheck_hit_openssl, &bench_mbedtls, &bench_openssl,
	&bench_libjwt
};
#define NIMPLS (sizeof(impls) / sizeof(impls[0]))
#define IMPL_MBEDTLS 4
#define IMPL_OPENSSL 5

/*
 * What a child reports for one (algorithm, implementation) and one round,
 * and, merged over the rounds by the parent, what the table shows.
 */
struct result {
	int status;                  /* BENCH_OK, BENCH_NA, BENCH_ERR */
	char err[ERR_LEN];
	int nbatches;
	double us[MAX_BATCHES];      /* microseconds per operation, per batch */
	double us_median, us_min, us_max, us_q1, us_q3;
	uint64_t timed_ops;
	double allocs, bytes;        /* per operation */
	uint64_t peak_heap;          /* bytes above the level before the pass */
	int64_t net_heap;            /* heap still held after MEM_OPS ops */
	long rss_start_kib, maxrss_kib;
};

struct options {
	const char *data;
	int reps;
	int rounds;
	double batch_s;
	unsigned impl_mask;
	unsigned alg_mask;
	const char *tsv;
};

/* Every input, loaded once by the parent before any fork. */
struct inputs {
	struct bench_context ctx;
	char conf_path[4096];
	char *token[BENCH_NALGS];
	size_t token_len[BENCH_NALGS];
	unsigned char *sig[BENCH_NALGS];
	size_t sig_len[BENCH_NALGS];
	unsigned char *key[BENCH_NALGS];
	size_t key_len[BENCH_NALGS];
};

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2),
    noreturn));

static void
die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("bench: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(2);
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ----------------------------------------------------------- inputs */

/*
 * Reads DIR/NAME whole into a heap buffer with a NUL after it; *len is the
 * file's length.  Dies on any failure: the data is the benchmark's own.
 */
static char *
read_data(const char *dir, const char *name, size_t *len)
{
	char path[4096];
	FILE *f;
	char *buf;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "rb")) == NULL)
		die("%s: %s (run bench/gen_tokens.py?)", path, strerror(errno));
	if ((buf = malloc(MAX_FILE + 1)) == NULL)
		die("out of memory");
	n = fread(buf, 1, MAX_FILE + 1, f);
	if (ferror(f) || n > MAX_FILE)
		die("%s: unreadable or over %d bytes", path, MAX_FILE);
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

static int
b64url_value(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '-')
		return 62;
	if (c == '_')
		return 63;
	return -1;
}

/* Decodes unpadded base64url (the benchmark's own data); NULL if bad. */
static unsigned char *
b64url_decode(const char *s, size_t n, size_t *outlen)
{
	unsigned char *out;
	uint32_t acc = 0;
	size_t i, o = 0;
	int bits = 0, v;

	if ((out = malloc(n * 3 / 4 + 3)) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		if ((v = b64url_value((unsigned char)s[i])) < 0) {
			free(out);
			return NULL;
		}
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (unsigned char)(acc >> bits);
		}
	}
	*outlen = o;
	return out;
}

/* Copies a context value into its field; dies when it does not fit. */
static void
set_field(char *dst, size_t size, const char *key, const char *val)
{
	size_t n = strlen(val);

	if (n >= size)
		die("context: %s is over %zu bytes", key, size - 1);
	memcpy(dst, val, n + 1);
}

/* Reads the "key value" lines of DIR/context into c. */
static void
load_context(const char *dir, struct bench_context *c)
{
	char *text, *line, *save = NULL, key[32], val[512];
	size_t len;

	memset(c, 0, sizeof(*c));
	text = read_data(dir, "context", &len);
	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#' || line[0] == '\0')
			continue;
		if (sscanf(line, "%31s %511s", key, val) != 2)
			die("context: bad line \"%s\"", line);
		if (strcmp(key, "now") == 0)
			c->now = strtoll(val, NULL, 10);
		else if (strcmp(key, "method") == 0)
			set_field(c->method, sizeof(c->method), key, val);
		else if (strcmp(key, "path") == 0)
			set_field(c->path, sizeof(c->path), key, val);
		else if (strcmp(key, "tenant") == 0)
			set_field(c->tenant, sizeof(c->tenant), key, val);
		else if (strcmp(key, "peer_spiffe_id") == 0)
			set_field(c->peer_spiffe_id, sizeof(c->peer_spiffe_id),
			    key, val);
		else if (strcmp(key, "peer_x5t") == 0)
			set_field(c->peer_x5t, sizeof(c->peer_x5t), key, val);
		else
			die("context: unknown key \"%s\"", key);
	}
	free(text);
	if (c->now == 0 || c->method[0] == '\0' || c->path[0] == '\0')
		die("context: now, method and path are required");
}

/* Drops trailing newlines and spaces in place; returns the new length. */
static size_t
chomp(char *s, size_t n)
{
	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r' ||
	    s[n - 1] == ' '))
		s[--n] = '\0';
	return n;
}

/*
 * Loads a key file: a PEM keeps its NUL in the length (what mbedTLS's PEM
 * parser asks for); a secret loses one trailing newline, as hopcheck's
 * hmac_secret_file does.
 */
static unsigned char *
load_key(const char *dir, const char *name, size_t *len)
{
	char *k = read_data(dir, name, len);
	size_t n = strlen(name);

	if (n > 4 && strcmp(name + n - 4, ".pem") == 0)
		(*len)++;
	else if (*len > 0 && k[*len - 1] == '\n')
		k[--*len] = '\0';
	return (unsigned char *)k;
}

static const char *
key_file(enum bench_alg alg)
{
	switch (alg) {
	case BENCH_ES256:
		return "es256.pub.pem";
	case BENCH_HS256:
		return "hs256.key";
	default:
		return "rsa2048.pub.pem";
	}
}

static void
load_inputs(const char *dir, struct inputs *in)
{
	char name[64], *dot;
	int a;

	memset(in, 0, sizeof(*in));
	load_context(dir, &in->ctx);
	snprintf(in->conf_path, sizeof(in->conf_path), "%s/hopcheck.conf",
	    dir);
	for (a = 0; a < BENCH_NALGS; a++) {
		/* tokens/es256.jwt: the algorithm's name in lower case. */
		snprintf(name, sizeof(name), "tokens/%s.jwt", alg_names[a]);
		for (dot = name; *dot != '\0'; dot++)
			*dot = (char)tolower((unsigned char)*dot);
		in->token[a] = read_data(dir, name, &in->token_len[a]);
		in->token_len[a] = chomp(in->token[a], in->token_len[a]);
		if ((dot = strrchr(in->token[a], '.')) == NULL ||
		    (in->sig[a] = b64url_decode(dot + 1, strlen(dot + 1),
		    &in->sig_len[a])) == NULL)
			die("%s: not a compact JWS", name);
		in->key[a] = load_key(dir, key_file((enum bench_alg)a),
		    &in->key_len[a]);
	}
}

static void
make_case(const struct inputs *in, enum bench_alg a, struct bench_case *bc)
{
	memset(bc, 0, sizeof(*bc));
	bc->alg = a;
	bc->alg_name = alg_names[a];
	bc->token = in->token[a];
	bc->token_len = in->token_len[a];
	bc->signing_input = (const unsigned char *)in->token[a];
	bc->signing_input_len = (size_t)(strrchr(in->token[a], '.') -
	    in->token[a]);
	bc->sig = in->sig[a];
	bc->sig_len = in->sig_len[a];
	bc->key = in->key[a];
	bc->key_len = in->key_len[a];
	bc->conf_path = in->conf_path;
	bc->ctx = &in->ctx;
}

/* ---------------------------------------------------------- measuring */

/*
 * Runs n operations.  Kept out of line and named so that callgrind can
 * count exactly these instructions (--toggle-collect=bench_ops).
 */
__attribute__((noinline)) int bench_ops(const struct bench_impl *impl,
    void *ctx, uint64_t n);

__attribute__((noinline)) int
bench_ops(const struct bench_impl *impl, void *ctx, uint64_t n)
{
	uint64_t i;

	for (i = 0; i < n; i++)
		if (impl->run(ctx) != 0)
			return -1;
	return 0;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static long
rss_now_kib(void)
{
	FILE *f;
	long pages = 0, resident = 0;

	if ((f = fopen("/proc/self/statm", "r")) == NULL)
		return 0;
	if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
		resident = 0;
	fclose(f);
	return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

/* The child's whole job: one implementation, one algorithm. */
static void
measure(const struct bench_impl *impl, const struct bench_case *bc,
    const struct options *o, struct result *r)
{
	double t0, t1;
	struct bench_mem mem;
	struct rusage ru;
	uint64_t warm = 0, batch;
	void *ctx = NULL;
	int i;

	memset(r, 0, sizeof(*r));
	r->rss_start_kib = rss_now_kib();
	r->status = impl->setup(bc, &ctx, r->err, sizeof(r->err));
	if (r->status != BENCH_OK)
		return;
	if (impl->run(ctx) != 0) {
		snprintf(r->err, sizeof(r->err), "the %s token is not accepted",
		    bc->alg_name);
		r->status = BENCH_ERR;
		goto out;
	}

	/* Warm-up, which also sizes the batches. */
	t0 = now_s();
	do {
		if (bench_ops(impl, ctx, 1) != 0)
			goto failed;
		warm++;
		t1 = now_s();
	} while (t1 - t0 < WARM_MIN_S || warm < WARM_MIN_OPS);
	batch = (uint64_t)((double)warm / (t1 - t0) * o->batch_s);
	if (batch < 1)
		batch = 1;

	for (i = 0; i < o->reps; i++) {
		t0 = now_s();
		if (bench_ops(impl, ctx, batch) != 0)
			goto failed;
		t1 = now_s();
		r->us[i] = (t1 - t0) * 1e6 / (double)batch;
	}
	r->nbatches = o->reps;
	r->timed_ops = batch * (uint64_t)o->reps;

	bench_mem_start();
	i = bench_ops(impl, ctx, MEM_OPS);
	bench_mem_stop(&mem);
	if (i != 0)
		goto failed;
	r->allocs = (double)mem.allocs / MEM_OPS;
	r->bytes = (double)mem.bytes / MEM_OPS;
	r->peak_heap = mem.peak;

	getrusage(RUSAGE_SELF, &ru);
	r->maxrss_kib = ru.ru_maxrss;
	goto out;
failed:
	snprintf(r->err, sizeof(r->err), "an operation failed mid-run");
	r->status = BENCH_ERR;
out:
	impl->teardown(ctx);
}

/* Forks, measures in the child, and returns the child's report. */
static void
measure_in_child(const struct bench_impl *impl, const struct bench_case *bc,
    const struct options *o, struct result *r)
{
	int fd[2], status;
	size_t got = 0;
	ssize_t n;
	pid_t pid;

	if (pipe(fd) != 0)
		die("pipe: %s", strerror(errno));
	fflush(stdout);
	if ((pid = fork()) < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		close(fd[0]);
		measure(impl, bc, o, r);
		if (write(fd[1], r, sizeof(*r)) != (ssize_t)sizeof(*r))
			_exit(1);
		_exit(0);
	}
	close(fd[1]);
	while (got < sizeof(*r) &&
	    ((n = read(fd[0], (char *)r + got, sizeof(*r) - got)) > 0 ||
	    (n < 0 && errno == EINTR)))
		if (n > 0)
			got += (size_t)n;
	close(fd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (got != sizeof(*r)) {
		memset(r, 0, sizeof(*r));
		r->status = BENCH_ERR;
		snprintf(r->err, sizeof(r->err), "the measuring process died "
		    "(status %d)", status);
	}
}

/* The q-quantile of n sorted values, interpolated (q in 0..1). */
static double
quantile(const double *v, int n, double q)
{
	double pos = q * (n - 1);
	int i = (int)pos;

	if (i + 1 >= n)
		return v[n - 1];
	return v[i] + (pos - i) * (v[i + 1] - v[i]);
}

/*
 * Adds one round's report to the running total: the batches are pooled;
 * the heap counts of the first round are kept (they repeat exactly); the
 * peaks are the highest seen.  A failure in any round marks the total.
 */
static void
merge_round(struct result *total, const struct result *r, int first)
{
	int i;

	if (first) {
		*total = *r;
		return;
	}
	if (total->status != BENCH_OK)
		return;
	if (r->status != BENCH_OK) {
		total->status = r->status;
		memcpy(total->err, r->err, sizeof(total->err));
		return;
	}
	for (i = 0; i < r->nbatches && total->nbatches < MAX_BATCHES; i++)
		total->us[total->nbatches++] = r->us[i];
	total->timed_ops += r->timed_ops;
	if (r->peak_heap > total->peak_heap)
		total->peak_heap = r->peak_heap;
	if (r->maxrss_kib > total->maxrss_kib) {
		total->maxrss_kib = r->maxrss_kib;
		total->rss_start_kib = r->rss_start_kib;
	}
}

/* Median, quartiles and extremes of the pooled batches. */
static void
summarise(struct result *r)
{
	if (r->status != BENCH_OK || r->nbatches == 0)
		return;
	qsort(r->us, (size_t)r->nbatches, sizeof(r->us[0]), cmp_double);
	r->us_min = r->us[0];
	r->us_max = r->us[r->nbatches - 1];
	r->us_median = quantile(r->us, r->nbatches, 0.5);
	r->us_q1 = quantile(r->us, r->nbatches, 0.25);
	r->us_q3 = quantile(r->us, r->nbatches, 0.75);
}

/* ---------------------------------------------------------- reporting */

/* "1.23x": r's median time over b's, or "-" when either is missing. */
static void
fmt_ratio(char *buf, size_t n, const struct result *r, const struct result *b)
{
	if (r->status != BENCH_OK || b->status != BENCH_OK || b->us_median <= 0)
		snprintf(buf, n, "-");
	else
		snprintf(buf, n, "%.2fx", r->us_median / b->us_median);
}

/* The main table, and the same rows as tab-separated values when tsv. */
static void
print_table(const struct result res[BENCH_NALGS][NIMPLS],
    const struct options *o, FILE *tsv)
{
	char rm[16], ro[16];
	size_t i;
	int a;

	printf("%-5s  %-22s %9s %9s %5s %8s %8s %7s %8s %8s %7s %6s\n",
	    "alg", "implementation", "op/s", "us/op", "iqr%", "vs mbed",
	    "vs ossl", "allocs", "bytes", "peakheap", "rssKiB", "+rss");
	if (tsv != NULL)
		fprintf(tsv, "alg\timpl\tops_per_s\tus_per_op\tus_q1\tus_q3\t"
		    "us_min\tus_max\tbatches\ttimed_ops\tratio_mbedtls\t"
		    "ratio_openssl\tallocs_per_op\tbytes_per_op\tpeak_heap\t"
		    "maxrss_kib\trss_start_kib\n");
	for (a = 0; a < BENCH_NALGS; a++) {
		if (!(o->alg_mask & (1u << a)))
			continue;
		for (i = 0; i < NIMPLS; i++) {
			const struct result *r = &res[a][i];

			if (!(o->impl_mask & (1u << i)))
				continue;
			if (r->status == BENCH_NA) {
				printf("%-5s  %-22s %10s  (%s)\n", alg_names[a],
				    impls[i]->label, "n/a", r->err);
				continue;
			}
			if (r->status != BENCH_OK) {
				printf("%-5s  %-22s %10s  (%s)\n", alg_names[a],
				    impls[i]->label, "ERROR", r->err);
				continue;
			}
			fmt_ratio(rm, sizeof(rm), r, &res[a][IMPL_MBEDTLS]);
			fmt_ratio(ro, sizeof(ro), r, &res[a][IMPL_OPENSSL]);
			printf("%-5s  %-22s %9.0f %9.2f %5.1f %8s %8s %7.1f "
			    "%8.0f %8llu %7ld %6ld\n", alg_names[a],
			    impls[i]->label, 1e6 / r->us_median, r->us_median,
			    100.0 * (r->us_q3 - r->us_q1) / r->us_median,
			    rm, ro, r->allocs, r->bytes,
			    (unsigned long long)r->peak_heap, r->maxrss_kib,
			    r->maxrss_kib - r->rss_start_kib);
			if (tsv != NULL)
				fprintf(tsv, "%s\t%s\t%.1f\t%.3f\t%.3f\t%.3f\t"
				    "%.3f\t%.3f\t%d\t%llu\t%s\t%s\t%.2f\t%.1f\t"
				    "%llu\t%ld\t%ld\n",
				    alg_names[a], impls[i]->name,
				    1e6 / r->us_median, r->us_median,
				    r->us_q1, r->us_q3, r->us_min, r->us_max,
				    r->nbatches,
				    (unsigned long long)r->timed_ops, rm, ro,
				    r->allocs, r->bytes,
				    (unsigned long long)r->peak_heap,
				    r->maxrss_kib, r->rss_start_kib);
		}
	}
}

/* The two questions the table is for, answered in words. */
static void
print_summary(const struct result res[BENCH_NALGS][NIMPLS],
    const struct options *o)
{
	const struct result *h, *m, *s;
	int a;

	printf("\nraw mbedTLS 2.28 / raw OpenSSL 3, time per verification:\n");
	for (a = 0; a < BENCH_NALGS; a++) {
		m = &res[a][IMPL_MBEDTLS];
		s = &res[a][IMPL_OPENSSL];
		if (!(o->alg_mask & (1u << a)) || m->status != BENCH_OK ||
		    s->status != BENCH_OK)
			continue;
		printf("  %s  %8.2f us / %8.2f us = %.2fx\n", alg_names[a],
		    m->us_median, s->us_median, m->us_median / s->us_median);
	}
	printf("\nhopcheck over its raw backend, per token (parsing and "
	    "policy; on a busy machine\nthe noise can exceed it: the "
	    "instruction counts are the steadier measure):\n");
	for (a = 0; a < BENCH_NALGS; a++) {
		h = &res[a][0];
		m = &res[a][IMPL_MBEDTLS];
		if (!(o->alg_mask & (1u << a)) || h->status != BENCH_OK ||
		    m->status != BENCH_OK)
			continue;
		printf("  %s  %+.2f us (%.0f%% of hc_validate is outside the "
		    "signature check)\n", alg_names[a],
		    h->us_median - m->us_median,
		    100.0 * (h->us_median - m->us_median) / h->us_median);
	}
}

/* ------------------------------------------------------------- probes */

/*
 * Runs every probe token through hopcheck and libjwt and prints their
 * verdicts.  Returns the number of probes where hopcheck's status is not
 * the one the generator expects.
 */
static int
probe(const char *dir, const struct inputs *in)
{
	char *list, *line, *save = NULL, name[64], want[32], kfile[64];
	char file[128], hv[64], jv[64], *tok;
	struct bench_case bc, jc;
	void *hctx = NULL, *jctx = NULL;
	char err[ERR_LEN];
	size_t len, tlen, klen;
	unsigned char *key;
	int bad = 0;

	make_case(in, BENCH_ES256, &bc);
	if (bench_hopcheck.setup(&bc, &hctx, err, sizeof(err)) != BENCH_OK)
		die("hopcheck: %s", err);
	list = read_data(dir, "probes/list", &len);
	printf("%-28s %-10s %-10s %s\n", "probe token", "expected", "hopcheck",
	    "libjwt 1.10");
	for (line = strtok_r(list, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#')
			continue;
		if (sscanf(line, "%63s %31s %63s", name, want, kfile) != 3)
			die("probes/list: bad line \"%s\"", line);
		snprintf(file, sizeof(file), "probes/%s.jwt", name);
		tok = read_data(dir, file, &tlen);
		tlen = chomp(tok, tlen);
		(void)bench_hopcheck.verdict(hctx, tok, tlen, hv, sizeof(hv));

		key = load_key(dir, kfile, &klen);
		jc = bc;
		jc.key = key;
		jc.key_len = klen;
		if (bench_libjwt.setup(&jc, &jctx, err, sizeof(err)) !=
		    BENCH_OK)
			die("libjwt: %s", err);
		(void)bench_libjwt.verdict(jctx, tok, tlen, jv, sizeof(jv));
		bench_libjwt.teardown(jctx);
		free(key);

		printf("%-28s %-10s %-10s %s\n", name, want, hv, jv);
		if (strcmp(hv, want) != 0) {
			printf("  ^ hopcheck gave %s, expected %s\n", hv, want);
			bad++;
		}
		free(tok);
	}
	free(list);
	bench_hopcheck.teardown(hctx);
	return bad;
}

/* ---------------------------------------------------------------- main */

static void usage(void) __attribute__((noreturn));

static void
usage(void)
{
	fprintf(stderr,
	    "usage: bench [--data DIR] [--rounds N] [--reps N] [--batch-ms MS] "
	    "[--impl a,b] [--alg a,b] [--tsv FILE]\n"
	    "       bench --probe [--data DIR]\n"
	    "       bench --ops IMPL ALG N [--data DIR]\n"
	    "implementations: hopcheck hopcheck-openssl hit hit-openssl "
	    "mbedtls openssl libjwt; "
	    "algorithms: ES256 RS256 PS256 HS256\n");
	exit(2);
}

static int
impl_index(const char *name)
{
	size_t i;

	for (i = 0; i < NIMPLS; i++)
		if (strcmp(impls[i]->name, name) == 0)
			return (int)i;
	return -1;
}

static int
alg_index(const char *name)
{
	int a;

	for (a = 0; a < BENCH_NALGS; a++)
		if (strcasecmp(alg_names[a], name) == 0)
			return a;
	return -1;
}

/* Parses "a,b,c" with lookup into a bit mask; dies on an unknown name. */
static unsigned
parse_mask(const char *list, int (*lookup)(const char *))
{
	char buf[256], *t, *save = NULL;
	unsigned mask = 0;
	int i;

	snprintf(buf, sizeof(buf), "%s", list);
	for (t = strtok_r(buf, ",", &save); t != NULL;
	    t = strtok_r(NULL, ",", &save)) {
		if ((i = lookup(t)) < 0)
			die("unknown name \"%s\"", t);
		mask |= 1u << i;
	}
	return mask;
}

/* --ops: setup, warm-up, then exactly n operations in bench_ops(). */
static int
ops_mode(const struct inputs *in, const char *iname, const char *aname,
    const char *count)
{
	const struct bench_impl *impl;
	struct bench_case bc;
	char err[ERR_LEN];
	void *ctx = NULL;
	int i, a, st;
	long n;

	if ((i = impl_index(iname)) < 0 || (a = alg_index(aname)) < 0 ||
	    (n = strtol(count, NULL, 10)) <= 0)
		usage();
	impl = impls[i];
	make_case(in, (enum bench_alg)a, &bc);
	if ((st = impl->setup(&bc, &ctx, err, sizeof(err))) != BENCH_OK) {
		fprintf(stderr, "bench: %s %s: %s\n", iname, aname, err);
		return st == BENCH_NA ? 3 : 1;
	}
	st = 0;
	for (i = 0; i < 3 && st == 0; i++)
		st = impl->run(ctx);
	if (st == 0)
		st = bench_ops(impl, ctx, (uint64_t)n);
	impl->teardown(ctx);
	if (st != 0)
		fprintf(stderr, "bench: %s %s: not accepted\n", iname, aname);
	return st == 0 ? 0 : 1;
}

int
main(int argc, char **argv)
{
	static struct result res[BENCH_NALGS][NIMPLS], one;
	struct options o = {
		.data = "bench/data", .rounds = 5, .reps = 3, .batch_s = 0.08,
		.impl_mask = (1u << NIMPLS) - 1,
		.alg_mask = (1u << BENCH_NALGS) - 1, .tsv = NULL,
	};
	const char *ops[3] = { NULL, NULL, NULL };
	struct inputs in;
	struct bench_case bc;
	int do_probe = 0, i, a, round;
	FILE *tsv = NULL;
	size_t k;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--probe") == 0)
			do_probe = 1;
		else if (strcmp(argv[i], "--ops") == 0 && i + 3 < argc) {
			ops[0] = argv[++i];
			ops[1] = argv[++i];
			ops[2] = argv[++i];
		} else if (i + 1 >= argc)
			usage();
		else if (strcmp(argv[i], "--data") == 0)
			o.data = argv[++i];
		else if (strcmp(argv[i], "--reps") == 0)
			o.reps = atoi(argv[++i]);
		else if (strcmp(argv[i], "--rounds") == 0)
			o.rounds = atoi(argv[++i]);
		else if (strcmp(argv[i], "--batch-ms") == 0)
			o.batch_s = atof(argv[++i]) / 1000.0;
		else if (strcmp(argv[i], "--impl") == 0)
			o.impl_mask = parse_mask(argv[++i], impl_index);
		else if (strcmp(argv[i], "--alg") == 0)
			o.alg_mask = parse_mask(argv[++i], alg_index);
		else if (strcmp(argv[i], "--tsv") == 0)
			o.tsv = argv[++i];
		else
			usage();
	}
	if (o.reps < 1 || o.reps > MAX_REPS || o.rounds < 1 ||
	    o.rounds > MAX_ROUNDS || o.batch_s <= 0)
		die("--reps is 1..%d, --rounds 1..%d, --batch-ms positive",
		    MAX_REPS, MAX_ROUNDS);

	load_inputs(o.data, &in);
	if (ops[0] != NULL)
		return ops_mode(&in, ops[0], ops[1], ops[2]);
	if (do_probe)
		return probe(o.data, &in) == 0 ? 0 : 1;

	/*
	 * Every measurement in its own process, one after another.  The
	 * implementations take turns, round after round, so that a slow
	 * spell of the machine (frequency, a neighbour's load) spreads over
	 * all of them instead of landing on one.
	 */
	for (a = 0; a < BENCH_NALGS; a++) {
		if (!(o.alg_mask & (1u << a)))
			continue;
		make_case(&in, (enum bench_alg)a, &bc);
		fprintf(stderr, "  measuring %s ...\n", alg_names[a]);
		for (round = 0; round < o.rounds; round++)
			for (k = 0; k < NIMPLS; k++) {
				if (!(o.impl_mask & (1u << k)))
					continue;
				measure_in_child(impls[k], &bc, &o, &one);
				merge_round(&res[a][k], &one, round == 0);
			}
		for (k = 0; k < NIMPLS; k++)
			summarise(&res[a][k]);
	}
	if (o.tsv != NULL && (tsv = fopen(o.tsv, "w")) == NULL)
		die("%s: %s", o.tsv, strerror(errno));
	print_table(res, &o, tsv);
	print_summary(res, &o);
	if (tsv != NULL)
		fclose(tsv);
	for (a = 0; a < BENCH_NALGS; a++)
		for (k = 0; k < NIMPLS; k++)
			if (res[a][k].status == BENCH_ERR &&
			    (o.alg_mask & (1u << a)) && (o.impl_mask & (1u << k)))
				return 1;
	return 0;
}
