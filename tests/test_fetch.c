/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_fetch.c - remote key sources: jwks_uri, discovery (OpenID Connect
 * and RFC 8414), SPIFFE bundle endpoints, and the refresher around them.
 *
 * Each test talks to tests/servers/keyserver.py, started here on
 * 127.0.0.1 with a port of the system's choosing, and tells it per path
 * what to answer (a key set, a metadata document, a 304, a slow or broken
 * answer) and how many requests it saw.  The key sets, bundles and tokens
 * are data made by jwcrypto (tests/data/fetch/gen-fetch-data.py); every
 * token was issued at TOKENS_IAT and the clock of each validation is
 * fixed a minute later.
 *
 * The rounds are driven by hc_validator_refresh() from the test itself,
 * except in the suite of the background thread, so that every fetch the
 * server counts is one the test asked for.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "testutil.h"
#include "crypto.h"
#include "fetch.h"
#include "validator.h"

#define DATA        "tests/data/fetch/"
#define TOKENS_IAT  1767225600
#define NOW         (TOKENS_IAT + 60)
#define ISS         "https://issuer.test"

/* Fetch bounds of most tests: nothing is due before the test says so. */
#define FETCH_DEFAULT \
	"{\"min_refresh_s\": 0, \"max_refresh_s\": 600, \"max_stale_s\": 600," \
	" \"unknown_kid_cooldown_s\": 60, \"connect_timeout_ms\": 1000," \
	" \"timeout_ms\": 2000, \"max_bytes\": 65536}"

/* ------------------------------------------------------ the key server */

static pid_t srv_pid = -1;
static FILE *srv_in;            /* its stdin: commands */
static FILE *srv_out;           /* its stdout: answers */
static int srv_port;
static int srv_tls_port;        /* TLS, certificate for "localhost" */

static void
srv_stop(void)
{
	if (srv_pid <= 0)
		return;
	if (srv_in != NULL)
		fclose(srv_in);
	(void)kill(srv_pid, SIGTERM);
	(void)waitpid(srv_pid, NULL, 0);
	if (srv_out != NULL)
		fclose(srv_out);
	srv_pid = -1;
}

/* Starts the server once per program; later calls forget its routes. */
static int
srv_start(void)
{
	int to[2], from[2];
	char line[128];

	if (srv_pid > 0)
		return 0;
	(void)signal(SIGPIPE, SIG_IGN);
	if (pipe(to) != 0 || pipe(from) != 0)
		return -1;
	if ((srv_pid = fork()) < 0)
		return -1;
	if (srv_pid == 0) {
		(void)dup2(to[0], 0);
		(void)dup2(from[1], 1);
		close(to[0]);
		close(to[1]);
		close(from[0]);
		close(from[1]);
		execl("/usr/bin/python3", "/usr/bin/python3", "-I",
		    "tests/servers/keyserver.py",
		    "--data", DATA, "--lifetime", "120",
		    "--tls-cert", DATA "tls-server.pem",
		    "--tls-key", DATA "tls-server.test-key.pem", (char *)NULL);
		_exit(127);
	}
	close(to[0]);
	close(from[1]);
	srv_in = fdopen(to[1], "w");
	srv_out = fdopen(from[0], "r");
	atexit(srv_stop);
	if (srv_in == NULL || srv_out == NULL ||
	    fgets(line, sizeof(line), srv_out) == NULL ||
	    sscanf(line, "port %d tls %d", &srv_port, &srv_tls_port) != 2 ||
	    srv_port <= 0 || srv_tls_port <= 0) {
		fprintf(stderr, "keyserver did not start\n");
		srv_stop();
		return -1;
	}
	return 0;
}

/* Sends one command line and returns the answer line in buf. */
static int srv_cmd(char *buf, size_t n, const char *fmt, ...) HC_PRINTF(3, 4);

static int
srv_cmd(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;

	if (srv_pid <= 0)
		return -1;
	va_start(ap, fmt);
	(void)vfprintf(srv_in, fmt, ap);
	va_end(ap);
	fputc('\n', srv_in);
	fflush(srv_in);
	if (fgets(buf, (int)n, srv_out) == NULL)
		return -1;
	return 0;
}

/* Sets a route: `route` is the JSON members after "path". */
#define ROUTE(path, route) route_at(path, route, __LINE__)
static void
route_at(const char *path, const char *route, int line)
{
	char ans[256];

	if (srv_cmd(ans, sizeof(ans), "{\"cmd\": \"set\", \"path\": \"%s\"%s%s}",
	    path, route[0] ? ", " : "", route) != 0 ||
	    strncmp(ans, "{\"ok\": true}", 12) != 0) {
		fprintf(stderr, "line %d: keyserver refused route %s\n", line,
		    path);
		CU_FAIL("keyserver route");
	}
}

/* Requests the server got for `path`; the last If-None-Match in inm. */
static long
srv_count(const char *path, char *inm, size_t n)
{
	char ans[512], *p;
	long count = -1;

	if (inm != NULL && n > 0)
		inm[0] = '\0';
	if (srv_cmd(ans, sizeof(ans), "{\"cmd\": \"count\", \"path\": \"%s\"}",
	    path) != 0 || sscanf(ans, "{\"count\": %ld", &count) != 1)
		return -1;
	if (inm != NULL && (p = strstr(ans, "\"inm\": \"")) != NULL) {
		size_t i = 0;

		/* The value is JSON: \" for each quote of the ETag. */
		for (p += 8; *p != '\0' && *p != '"' && i + 1 < n; p++) {
			if (*p == '\\' && p[1] != '\0')
				p++;
			inm[i++] = *p;
		}
		inm[i] = '\0';
	}
	return count;
}

static long
count(const char *path)
{
	return srv_count(path, NULL, 0);
}

/* Every test starts from a server without routes or counts. */
static int
fresh_server(void)
{
	char ans[64];

	if (srv_start() != 0) {
		CU_FAIL("cannot start tests/servers/keyserver.py");
		return -1;
	}
	if (srv_cmd(ans, sizeof(ans), "{\"cmd\": \"reset\"}") != 0) {
		CU_FAIL("keyserver does not answer");
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------ helpers */

/* A validator from a configuration built with printf. */
static hc_validator *vnew(const char *fmt, ...) HC_PRINTF(1, 2);

static hc_validator *
vnew(const char *fmt, ...)
{
	char conf[4096], *errors = NULL;
	hc_validator *v = NULL;
	hc_status st;
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(conf, sizeof(conf), fmt, ap);
	va_end(ap);
	st = hc_validator_new_from_json(conf, strlen(conf), NULL, &v, &errors);
	if (st != HC_OK)
		fprintf(stderr, "\nconfiguration refused: %s\n%s\n",
		    errors ? errors : "", conf);
	HC_ASSERT_STATUS(st, HC_OK);
	hc_string_free(errors);
	return v;
}

/* One issuer whose keys come from `member` (jwks_uri or discovery). */
static hc_validator *
v_issuer(const char *member, const char *path, const char *fetch)
{
	return vnew("{\"service\": {\"audiences\": [\"https://api.test\"]},"
	    " \"issuers\": [{\"issuer\": \"" ISS "\","
	    " \"%s\": \"http://127.0.0.1:%d%s\", \"algorithms\": [\"ES256\"],"
	    " \"allow_insecure_http\": true}], \"fetch\": %s}",
	    member, srv_port, path, fetch);
}

/* A local issuer and the trust domain example.org at bundle endpoint. */
static hc_validator *
v_bundle(const char *path)
{
	return vnew("{\"service\": {\"audiences\": [\"https://api.test\"]},"
	    " \"issuers\": [{\"issuer\": \"" ISS "\","
	    " \"jwks_file\": \"" DATA "jwks-k1.json\","
	    " \"algorithms\": [\"ES256\"]}],"
	    " \"spiffe\": {\"trust_domains\": [{\"trust_domain\": \"example.org\","
	    " \"bundle_uri\": \"http://127.0.0.1:%d%s\","
	    " \"allow_insecure_http\": true}]}, \"fetch\": " FETCH_DEFAULT "}",
	    srv_port, path);
}

/* Validates the token in file `name` at NOW; asserts the status. */
#define EXPECT(v, name, want) expect_at((v), (name), (want), __LINE__)
static void
expect_at(const hc_validator *v, const char *name, hc_status want, int line)
{
	char path[256];
	hc_request *req = hc_request_new();
	hc_result *res = NULL;
	size_t len;
	char *tok;

	(void)snprintf(path, sizeof(path), DATA "%s", name);
	tok = hc_test_read(path, &len);
	while (len > 0 && (tok[len - 1] == '\n' || tok[len - 1] == '\r'))
		len--;
	hc_request_set_time(req, NOW);
	(void)hc_validate(v, tok, len, req, &res);
	hc_test_assert_status(hc_result_status(res), want,
	    hc_result_detail(res), __FILE__, line);
	hc_result_free(res);
	hc_request_free(req);
	free(tok);
}

/* Runs one refresh round; asserts its status. */
#define REFRESH(v, want) refresh_at((v), (want), NULL, __LINE__)
static void
refresh_at(hc_validator *v, hc_status want, int64_t *next, int line)
{
	int64_t n = -1;
	hc_status st = hc_validator_refresh(v, &n);
	hc_detail d;

	(void)hc_refresh_last_error(v, 0, &d);
	hc_test_assert_status(st, want, d.text[0] ? d.text : NULL, __FILE__,
	    line);
	CU_ASSERT(n >= 1000);
	if (next != NULL)
		*next = n;
}

static hc_key_stats
stats_of(const hc_validator *v, size_t i)
{
	hc_key_stats s[4];

	memset(s, 0, sizeof(s));
	CU_ASSERT(hc_validator_key_stats(v, s, 4) > i);
	return s[i];
}

/* The last error of source i must mention `what`. */
#define ERROR_HAS(v, i, what) do { \
	hc_detail d_; \
	CU_ASSERT_TRUE(hc_refresh_last_error((v), (i), &d_)); \
	if (strstr(d_.text, (what)) == NULL) \
		fprintf(stderr, "\nline %d: error \"%s\" lacks \"%s\"\n", \
		    __LINE__, d_.text, (what)); \
	CU_ASSERT_PTR_NOT_NULL(strstr(d_.text, (what))); \
} while (0)

#define ERROR_LACKS(v, i, what) do { \
	hc_detail d_; \
	CU_ASSERT_TRUE(hc_refresh_last_error((v), (i), &d_)); \
	CU_ASSERT_PTR_NULL(strstr(d_.text, (what))); \
} while (0)

static void
sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static long
elapsed_ms(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (long)(t1.tv_sec - t0->tv_sec) * 1000 +
	    (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

/* ---------------------------------------------------------- URL rules */

static void
test_url_rules(void)
{
	static const struct { const char *url; int allow_http; } ok[] = {
		{ "https://keys.example.com/jwks", 0 },
		{ "https://keys.example.com:8443/a/b?x=1", 0 },
		{ "https://[2001:db8::1]:8443/jwks", 0 },
		{ "http://127.0.0.1:8080/jwks", 1 },
		{ "http://127.255.0.1/jwks", 1 },
		{ "http://localhost/jwks", 1 },
		{ "http://[::1]:9/jwks", 1 },
		{ "https://keys.example.com/jwks", 1 },
	};
	static const struct { const char *url; int allow_http; } bad[] = {
		{ "http://127.0.0.1/jwks", 0 },          /* http not allowed */
		{ "http://keys.example.com/jwks", 1 },   /* not loopback */
		{ "http://10.0.0.1/jwks", 1 },
		{ "http://192.0.2.1/jwks", 1 },
		{ "http://127.0.0.1.example.com/", 1 },
		{ "http://0177.0.0.1/", 1 },             /* octal spelling */
		{ "http://127.1/", 1 },                  /* short form */
		{ "http://127.0.0.256/", 1 },
		{ "http://[::2]/", 1 },
		{ "http://localhost.example.com/", 1 },
		{ "https://user:pw@keys.example.com/", 0 },
		{ "https://keys.example.com@evil.example/", 0 },
		{ "ftp://keys.example.com/jwks", 0 },
		{ "file:///etc/hosts", 0 },
		{ "gopher://keys.example.com/", 0 },
		{ "HTTPS://keys.example.com/", 0 },
		{ "https://keys.example.com/jwks#frag", 0 },
		{ "https://keys.example.com/a b", 0 },
		{ "https://keys.example.com/a\\@evil.example/", 0 },
		{ "https://keys.example.com/\r\nX: y", 0 },
		{ "https:///jwks", 0 },
		{ "https://:443/jwks", 0 },
		{ "https://keys.example.com:0/", 0 },
		{ "https://keys.example.com:65536/", 0 },
		{ "https://keys.example.com:44x/", 0 },
		{ "https://keys%2eexample.com/", 0 },
		{ "https://[::1/jwks", 0 },
		{ "", 0 },
	};
	hc_detail d;
	char buf[HC_FETCH_URL_LABEL_MAX];

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		hc_status st = hc_fetch_url_check(ok[i].url, ok[i].allow_http,
		    &d);
		if (st != HC_OK)
			fprintf(stderr, "\n%s: %s\n", ok[i].url, d.text);
		HC_ASSERT_STATUS(st, HC_OK);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		hc_status st = hc_fetch_url_check(bad[i].url, bad[i].allow_http,
		    &d);
		if (st != HC_UNAVAILABLE)
			fprintf(stderr, "\naccepted: %s\n", bad[i].url);
		HC_ASSERT_STATUS(st, HC_UNAVAILABLE);
	}
	HC_ASSERT_STATUS(hc_fetch_url_check(NULL, 1, &d), HC_UNAVAILABLE);

	/* Details show neither the query nor any userinfo. */
	CU_ASSERT_STRING_EQUAL(hc_fetch_url_label(
	    "https://keys.example.com/jwks?token=s3cret", buf, sizeof(buf)),
	    "https://keys.example.com/jwks");
	CU_ASSERT_STRING_EQUAL(hc_fetch_url_label(
	    "https://u:pw@keys.example.com/x#f", buf, sizeof(buf)),
	    "https://keys.example.com/x");
	CU_ASSERT_STRING_EQUAL(hc_fetch_url_label(
	    "https://keys.example.com/abcdefgh", buf, 16), "https://keys...");
}

/* A configured http:// URL to a host that is not loopback is refused. */
static void
test_config_refuses_remote_http(void)
{
	static const char *const confs[] = {
		"{\"service\": {\"audiences\": [\"a\"]}, \"issuers\": [{\"issuer\":"
		" \"" ISS "\", \"jwks_uri\": \"http://192.0.2.1/jwks\","
		" \"algorithms\": [\"ES256\"], \"allow_insecure_http\": true}]}",
		"{\"service\": {\"audiences\": [\"a\"]}, \"issuers\": [{\"issuer\":"
		" \"" ISS "\", \"jwks_uri\": \"http://127.0.0.1/jwks\","
		" \"algorithms\": [\"ES256\"]}]}",
	};

	for (size_t i = 0; i < sizeof(confs) / sizeof(confs[0]); i++) {
		hc_validator *v = NULL;
		char *errors = NULL;

		HC_ASSERT_STATUS(hc_validator_new_from_json(confs[i],
		    strlen(confs[i]), NULL, &v, &errors), HC_CONFIG);
		CU_ASSERT_PTR_NULL(v);
		CU_ASSERT_PTR_NOT_NULL(errors);
		hc_string_free(errors);
	}
}

/* ------------------------------------------------------------ jwks_uri */

static void
test_jwks_first_load(void)
{
	hc_validator *v;
	hc_key_stats s;

	if (fresh_server() != 0)
		return;
	ROUTE("/t1/jwks", "\"file\": \"jwks-k1.json\"");
	v = v_issuer("jwks_uri", "/t1/jwks", FETCH_DEFAULT);
	if (v == NULL)
		return;
	/* Nothing is fetched while the validator is built. */
	CU_ASSERT_EQUAL(count("/t1/jwks"), 0);
	CU_ASSERT_EQUAL(hc_validator_ready(v), 0);
	EXPECT(v, "tok-k1.jwt", HC_UNAVAILABLE);
	s = stats_of(v, 0);
	CU_ASSERT_STRING_EQUAL(s.source, ISS);
	CU_ASSERT_EQUAL(s.keys, 0);
	CU_ASSERT_EQUAL(s.loaded_at, 0);

	REFRESH(v, HC_OK);
	CU_ASSERT_EQUAL(count("/t1/jwks"), 1);
	CU_ASSERT_EQUAL(hc_validator_ready(v), 1);
	EXPECT(v, "tok-k1.jwt", HC_OK);
	s = stats_of(v, 0);
	CU_ASSERT_EQUAL(s.keys, 1);
	CU_ASSERT(s.loaded_at > 0);
	CU_ASSERT_EQUAL(s.refresh_ok, 1);
	CU_ASSERT_EQUAL(s.refresh_not_modified, 0);
	CU_ASSERT_EQUAL(s.refresh_failed, 0);

	/* Not due again yet (no Cache-Control: max_refresh_s) ... */
	REFRESH(v, HC_OK);
	CU_ASSERT_EQUAL(count("/t1/jwks"), 1);
	/* ... but the unknown kid k3 asks for one early fetch. */
	EXPECT(v, "tok-k3.jwt", HC_KEY);
	REFRESH(v, HC_OK);
	CU_ASSERT_EQUAL(count("/t1/jwks"), 2);
	EXPECT(v, "tok-k3.jwt", HC_KEY);
	CU_ASSERT_EQUAL(stats_of(v, 0).refresh_ok, 2);
	hc_validator_free(v);
}

static void
test_connection_refused(void)
{
	hc_validator *v;

	if (fresh_server() != 0)
		return;
	/* Port 1 on loopback: nothing listens there. */
	v = vnew("{\"service\": {\"audiences\": [\"https://api.test\"]},"
	    " \"issuers\": [{\"issuer\": \"" ISS "\","
	    " \"jwks_uri\": \"http://127.0.0.1:1/jwks\","
	    " \"algorithms\": [\"ES256\"], \"allow_insecure_http\": true}],"
	    " \"fetch\": " FETCH_DEFAULT "}");
	if (v == NULL)
		return;
	REFRESH(v, HC_UNAVAILABLE);
	EXPECT(v, "tok-k1.jwt", HC_UNAVAILABLE);
	CU_ASSERT_EQUAL(stats_of(v, 0).refresh_failed, 1);
	ERROR_HAS(v, 0, "http://127.0.0.1:1/jwks");
	hc_validator_free(v);
}

/*
 * A token signed with a key the set does not hold yet gets `key` and asks
 * for one early refresh; the round that follows fetches the rotated set.
 */
static void
test_rotation(void)
{
	hc_validator *v;

	if (fresh_server() != 0)
		return;
	ROUTE("/rot/jwks", "\"file\": \"jwks-k1.json\"");
	v = v_issuer("jwks_uri", "/rot/jwks", FETCH_DEFAULT);
	if (v == NULL)
		return;
	REFRESH(v, HC_OK);
	EXPECT(v, "tok-k1.jwt", HC_OK);

	ROUTE("/rot/jwks", "\"file\": \"jwks-k1k2.json\"");
	REFRESH(v, HC_OK);                      /* nothing due, nothing asked */
	CU_ASSERT_EQUAL(count("/rot/jwks"), 1);
	EXPECT(v, "tok-k2.jwt", HC_KEY);        /* asks for a refresh */
	REFRESH(v, HC_OK);
	CU_ASSERT_EQUAL(count("/rot/jwks"), 2);
	EXPECT(v, "tok-k2.jwt", HC_OK);
	EXPECT(v, "tok-k1.jwt", HC_OK);
	CU_ASSERT_EQUAL(stats_of(v, 0).keys, 2);
	CU_ASSERT_EQUAL(stats_of(v, 0).refresh_ok, 2);
	hc_validator_free(v);
}

/* Unknown kids within the cool-down trigger no further fetch. */
static void
test_kid_cooldown(void)
{
	hc_validator *v;

	if (fresh_server() != 0)
		return;
	ROUTE("/cool/jwks", "\"file\": \"jwks-k1.json\"");
	v = v_issuer("jwks_uri", "/cool/jwks", FETCH_DEFAULT);
	if (v == NULL)
		return;
	REFRESH(v, HC_OK);
	CU_ASSERT_EQUAL(count("/cool/jwks"), 1);

	EXPECT(v, "tok-k2.jwt", HC_KEY);        /* granted: one early fetch */
	EXPECT(v, "tok-k2.jwt", HC_KEY);        /* already pending */
	REFRESH(v, HC_OK);
	CU_ASSERT_EQUAL(count("/cool/jwks"), 2);

	EXPECT(v, "tok-k3.jwt", HC_KEY);        /* within the cool-down */
	EXPECT(v, "tok-k2.jwt", HC_KEY);
	REFRESH(v, HC_OK);
	REFRESH(v, HC_OK);
	CU_ASSERT_EQUAL(count("/cool/jwks"), 2);
	EXPECT(v, "tok-k1.jwt", HC_OK);
	hc_validator_free(v);
}

/* A 304 to If-None-Match keeps the set and is counted apart. */
static void
test_etag_not_modified(void)
{
	char inm[128];
	hc_validator *v;
	hc_key_stats s;
	int64_t loaded;

	if (fresh_server() != 0)
		return;
	ROUTE("/etag/jwks", "\"file\": \"jwks-k1.json\", \"etag\": \"\\\"v1\\\"\","
	    " \"cache_control\": \"max-age=0\"");
	v = v_issuer("jwks_uri", "/etag/jwks", FETCH_DEFAULT);
	if (v == NULL)
		return;
	REFRESH(v, HC_OK);
	CU_ASSERT_EQUAL(srv_count("/etag/jwks", inm, sizeof(inm)), 1);
	CU_ASSERT_STRING_EQUAL(inm, "");        /* nothing to revalidate yet */
	loaded = stats_of(v, 0).loaded_at;

	REFRESH(v, HC_OK);                      /* max-age=0: due at once */
	CU_ASSERT_EQUAL(srv_count("/etag/jwks", inm, sizeof(inm)), 2);
	CU_ASSERT_STRING_EQUAL(inm, "\"v1\"");
	s = stats_of(v, 0);
	CU_ASSERT_EQUAL(s.refresh_ok, 1);
	CU_ASSERT_EQUAL(s.refresh_not_modified, 1);
	CU_ASSERT_EQUAL(s.refresh_failed, 0);
	CU_ASSERT_EQUAL(s.loaded_at, loaded);
	CU_ASSERT_EQUAL(s.keys, 1);
	EXPECT(v, "tok-k1.jwt", HC_OK);

	/* A new version under a new ETag replaces the set. */
	ROUTE("/etag/jwks", "\"file\": \"jwks-k1k2.json\", \"etag\":"
	    " \"\\\"v2\\\"\", \"cache_control\": \"max-age=0\"");
	REFRESH(v, HC_OK);
	CU_ASSERT_EQUAL(srv_count("/etag/jwks", inm, sizeof(inm)), 3);
	CU_ASSERT_STRING_EQUAL(inm, "\"v1\"");
	s = stats_of(v, 0);
	CU_ASSERT_EQUAL(s.refresh_ok, 2);
	CU_ASSERT_EQUAL(s.keys, 2);
	EXPECT(v, "tok-k2.jwt", HC_OK);
	REFRESH(v, HC_OK);
	CU_ASSERT_EQUAL(srv_count("/etag/jwks", inm, sizeof(inm)), 4);
	CU_ASSERT_STRING_EQUAL(inm, "\"v2\"");
	CU_ASSERT_EQUAL(stats_of(v, 0).refresh_not_modified, 2);
	hc_validator_free(v);
}

/* Cache-Control max-age, within [min_refresh_s, max_refresh_s]. */
static void
test_cache_control_bounds(void)
{
	static const struct {
		const char *cc;            /* "" for none */
		int64_t lo, hi;            /* expected next_ms */
	} cases[] = {
		{ "max-age=100000", 290000, 300000 },   /* cut to max 300 s */
		{ "public, max-age=120", 110000, 120000 },
		{ "max-age=1", 4000, 5000 },            /* raised to min 5 s */
		{ "no-store", 4000, 5000 },
		{ "no-cache, max-age=200", 4000, 5000 },
		{ "max-age=abc", 4000, 5000 },          /* unreadable: stale */
		{ "", 290000, 300000 },                 /* none: the maximum */
	};

	if (fresh_server() != 0)
		return;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char path[32], route[128];
		hc_validator *v;
		int64_t next = 0;

		(void)snprintf(path, sizeof(path), "/cc%zu/jwks", i);
		if (cases[i].cc[0] != '\0')
			(void)snprintf(route, sizeof(route), "\"file\": "
			    "\"jwks-k1.json\", \"cache_control\": \"%s\"",
			    cases[i].cc);
		else
			(void)snprintf(route, sizeof(route), "\"file\": "
			    "\"jwks-k1.json\"");
		ROUTE(path, route);
		v = v_issuer("jwks_uri", path, "{\"min_refresh_s\": 5,"
		    " \"max_refresh_s\": 300, \"max_stale_s\": 3600}");
		if (v == NULL)
			return;
		refresh_at(v, HC_OK, &next, __LINE__);
		if (next < cases[i].lo || next > cases[i].hi)
			fprintf(stderr, "\n%s: next %lld ms\n", cases[i].cc,
			    (long long)next);
		CU_ASSERT(next >= cases[i].lo && next <= cases[i].hi);
		REFRESH(v, HC_OK);                  /* not due yet */
		CU_ASSERT_EQUAL(count(path), 1);
		hc_validator_free(v);
	}
}

/*
 * The issuer stops answering: the last good set serves until it is older
 * than max_stale_s, then tokens fail closed.
 */
static void
test_server_down_then_stale(void)
{
	hc_validator *v;
	hc_key_stats s;

	if (fresh_server() != 0)
		return;
	ROUTE("/down/jwks", "\"file\": \"jwks-k1.json\", \"cache_control\":"
	    " \"max-age=0\"");
	v = v_issuer("jwks_uri", "/down/jwks", "{\"min_refresh_s\": 0,"
	    " \"max_refresh_s\": 600, \"max_stale_s\": 1}");
	if (v == NULL)
		return;
	REFRESH(v, HC_OK);
	ROUTE("/down/jwks", "\"status\": 500, \"body\": \"{}\"");
	REFRESH(v, HC_OK);                      /* failed; set kept */
	CU_ASSERT_EQUAL(count("/down/jwks"), 2);
	EXPECT(v, "tok-k1.jwt", HC_OK);
	s = stats_of(v, 0);
	CU_ASSERT_EQUAL(s.refresh_ok, 1);
	CU_ASSERT_EQUAL(s.refresh_failed, 1);
	CU_ASSERT_EQUAL(s.keys, 1);
	ERROR_HAS(v, 0, "HTTP 500");

	sleep_ms(1200);
	REFRESH(v, HC_UNAVAILABLE);
	EXPECT(v, "tok-k1.jwt", HC_UNAVAILABLE);
	CU_ASSERT_EQUAL(hc_validator_ready(v), 0);
	CU_ASSERT_EQUAL(stats_of(v, 0).keys, 0);
	ERROR_HAS(v, 0, "max_stale_s");
	hc_validator_free(v);
}

/* After a failure the next try waits (backoff), then succeeds. */
static void
test_retry_backoff(void)
{
	hc_validator *v;
	int64_t next = 0;

	if (fresh_server() != 0)
		return;
	ROUTE("/retry/jwks", "\"status\": 503, \"body\": \"\"");
	v = v_issuer("jwks_uri", "/retry/jwks", "{\"min_refresh_s\": 0,"
	    " \"max_refresh_s\": 1, \"max_stale_s\": 60}");
	if (v == NULL)
		return;
	refresh_at(v, HC_UNAVAILABLE, &next, __LINE__);
	CU_ASSERT(next >= 1000 && next <= 1000);
	ROUTE("/retry/jwks", "\"file\": \"jwks-k1.json\"");
	REFRESH(v, HC_UNAVAILABLE);             /* backing off: no fetch */
	CU_ASSERT_EQUAL(count("/retry/jwks"), 1);
	sleep_ms(1100);
	REFRESH(v, HC_OK);
	CU_ASSERT_EQUAL(count("/retry/jwks"), 2);
	EXPECT(v, "tok-k1.jwt", HC_OK);
	hc_validator_free(v);
}

/* ------------------------------------------------------ broken answers */

static void
test_slow_server(void)
{
	hc_validator *v;

	if (fresh_server() != 0)
		return;
	ROUTE("/slow/jwks", "\"file\": \"jwks-k1.json\", \"delay_ms\": 1500");
	v = v_issuer("jwks_uri", "/slow/jwks", "{\"connect_timeout_ms\": 300,"
	    " \"timeout_ms\": 300}");
	if (v == NULL)
		return;
	REFRESH(v, HC_UNAVAILABLE);
	EXPECT(v, "tok-k1.jwt", HC_UNAVAILABLE);
	ERROR_HAS(v, 0, "timed out");
	ERROR_HAS(v, 0, "/slow/jwks");
	hc_validator_free(v);
}

static void
test_garbage_bodies(void)
{
	static const char *const bodies[] = {
		"<html>SECRET-BODY-MARKER</html>",
		"{\\\"keys\\\": 5}",
		"{\\\"keys\\\": []}",
		"{\\\"keys\\\": [{\\\"kty\\\": \\\"EC\\\"}]}",
		"[]",
		"",
	};

	if (fresh_server() != 0)
		return;
	for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		char path[32], route[256];
		hc_validator *v;

		(void)snprintf(path, sizeof(path), "/junk%zu/jwks", i);
		(void)snprintf(route, sizeof(route), "\"body\": \"%s\"",
		    bodies[i]);
		ROUTE(path, route);
		v = v_issuer("jwks_uri", path, FETCH_DEFAULT);
		if (v == NULL)
			return;
		REFRESH(v, HC_UNAVAILABLE);
		EXPECT(v, "tok-k1.jwt", HC_UNAVAILABLE);
		CU_ASSERT_EQUAL(stats_of(v, 0).refresh_failed, 1);
		ERROR_HAS(v, 0, path);
		ERROR_LACKS(v, 0, "SECRET-BODY-MARKER");
		hc_validator_free(v);
	}
}

static void
test_oversized_body(void)
{
	static const char *const routes[] = {
		"\"big\": 4096",                        /* announced length */
		"\"big\": 4096, \"no_length\": true",   /* until close */
	};

	if (fresh_server() != 0)
		return;
	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		char path[32];
		hc_validator *v;

		(void)snprintf(path, sizeof(path), "/big%zu/jwks", i);
		ROUTE(path, routes[i]);
		v = v_issuer("jwks_uri", path, "{\"max_bytes\": 1024}");
		if (v == NULL)
			return;
		REFRESH(v, HC_UNAVAILABLE);
		EXPECT(v, "tok-k1.jwt", HC_UNAVAILABLE);
		ERROR_HAS(v, 0, "max_bytes");
		hc_validator_free(v);
	}
	/* Just under the cap is fine. */
	ROUTE("/big/ok", "\"file\": \"jwks-k1.json\", \"no_length\": true");
	{
		hc_validator *v = v_issuer("jwks_uri", "/big/ok",
		    "{\"max_bytes\": 1024}");
		if (v == NULL)
			return;
		REFRESH(v, HC_OK);
		hc_validator_free(v);
	}
}

static void
test_http_errors(void)
{
	hc_validator *v;

	if (fresh_server() != 0)
		return;
	ROUTE("/e500/jwks", "\"status\": 500, \"file\": \"jwks-k1.json\"");
	v = v_issuer("jwks_uri", "/e500/jwks?access=QUERY-MARKER",
	    FETCH_DEFAULT);
	if (v == NULL)
		return;
	REFRESH(v, HC_UNAVAILABLE);
	EXPECT(v, "tok-k1.jwt", HC_UNAVAILABLE);
	ERROR_HAS(v, 0, "HTTP 500");
	ERROR_HAS(v, 0, "/e500/jwks");
	ERROR_LACKS(v, 0, "QUERY-MARKER");
	hc_validator_free(v);

	/* A redirect is not followed, wherever it points. */
	ROUTE("/e302/jwks", "\"status\": 302, \"file\": \"jwks-k1.json\"");
	v = v_issuer("jwks_uri", "/e302/jwks", FETCH_DEFAULT);
	if (v == NULL)
		return;
	REFRESH(v, HC_UNAVAILABLE);
	ERROR_HAS(v, 0, "redirects are not followed");
	hc_validator_free(v);

	/* A 304 to a request that sent no If-None-Match means nothing. */
	ROUTE("/e304/jwks", "\"status\": 304, \"body\": \"\"");
	v = v_issuer("jwks_uri", "/e304/jwks", FETCH_DEFAULT);
	if (v == NULL)
		return;
	REFRESH(v, HC_UNAVAILABLE);
	ERROR_HAS(v, 0, "HTTP 304");
	hc_validator_free(v);
}

/* ------------------------------------------------------------ discovery */

static void
test_discovery_oidc(void)
{
	hc_validator *v;

	if (fresh_server() != 0)
		return;
	ROUTE("/d1/.well-known/openid-configuration",
	    "\"meta_issuer\": \"" ISS "\", \"jwks_path\": \"/d1/keys\"");
	ROUTE("/d1/keys", "\"file\": \"jwks-k1.json\"");
	v = v_issuer("discovery", "/d1/", FETCH_DEFAULT);
	if (v == NULL)
		return;
	EXPECT(v, "tok-k1.jwt", HC_UNAVAILABLE);
	REFRESH(v, HC_OK);
	EXPECT(v, "tok-k1.jwt", HC_OK);
	CU_ASSERT_EQUAL(count("/d1/.well-known/openid-configuration"), 1);
	CU_ASSERT_EQUAL(count("/.well-known/oauth-authorization-server/d1"), 0);
	CU_ASSERT_EQUAL(count("/d1/keys"), 1);

	/* Rotation through discovery: the metadata is read again. */
	ROUTE("/d1/keys", "\"file\": \"jwks-k1k2.json\"");
	EXPECT(v, "tok-k2.jwt", HC_KEY);
	REFRESH(v, HC_OK);
	EXPECT(v, "tok-k2.jwt", HC_OK);
	CU_ASSERT_EQUAL(count("/d1/.well-known/openid-configuration"), 2);
	hc_validator_free(v);
}

/*
 * The metadata moves the key set to a new URL: the ETag of the old URL's
 * document means nothing there and is not sent.
 */
static void
test_discovery_jwks_uri_moves(void)
{
	char inm[64];
	hc_validator *v;

	if (fresh_server() != 0)
		return;
	ROUTE("/mv/.well-known/openid-configuration",
	    "\"meta_issuer\": \"" ISS "\", \"jwks_path\": \"/mv/keys1\"");
	ROUTE("/mv/keys1", "\"file\": \"jwks-k1.json\", \"etag\": \"\\\"v1\\\"\","
	    " \"cache_control\": \"max-age=0\"");
	ROUTE("/mv/keys2", "\"file\": \"jwks-k1k2.json\", \"etag\":"
	    " \"\\\"v1\\\"\", \"cache_control\": \"max-age=0\"");
	v = v_issuer("discovery", "/mv", FETCH_DEFAULT);
	if (v == NULL)
		return;
	REFRESH(v, HC_OK);
	EXPECT(v, "tok-k2.jwt", HC_KEY);
	ROUTE("/mv/.well-known/openid-configuration",
	    "\"meta_issuer\": \"" ISS "\", \"jwks_path\": \"/mv/keys2\"");
	REFRESH(v, HC_OK);
	CU_ASSERT_EQUAL(srv_count("/mv/keys2", inm, sizeof(inm)), 1);
	CU_ASSERT_STRING_EQUAL(inm, "");
	EXPECT(v, "tok-k2.jwt", HC_OK);
	CU_ASSERT_EQUAL(stats_of(v, 0).refresh_ok, 2);
	CU_ASSERT_EQUAL(stats_of(v, 0).refresh_not_modified, 0);
	hc_validator_free(v);
}

/* RFC 8414 section 3: the well-known segment goes before the path. */
static void
test_discovery_rfc8414_fallback(void)
{
	hc_validator *v;

	if (fresh_server() != 0)
		return;
	ROUTE("/.well-known/oauth-authorization-server/tenant/d2",
	    "\"meta_issuer\": \"" ISS "\", \"jwks_path\": \"/d2/keys\"");
	ROUTE("/d2/keys", "\"file\": \"jwks-k1.json\"");
	v = v_issuer("discovery", "/tenant/d2", FETCH_DEFAULT);
	if (v == NULL)
		return;
	REFRESH(v, HC_OK);
	EXPECT(v, "tok-k1.jwt", HC_OK);
	CU_ASSERT_EQUAL(count("/tenant/d2/.well-known/openid-configuration"),
	    1);
	CU_ASSERT_EQUAL(count("/.well-known/oauth-authorization-server/"
	    "tenant/d2"), 1);
	CU_ASSERT_EQUAL(count("/d2/keys"), 1);
	hc_validator_free(v);

	/* Both missing: one failure naming both places. */
	v = v_issuer("discovery", "/nowhere", FETCH_DEFAULT);
	if (v == NULL)
		return;
	REFRESH(v, HC_UNAVAILABLE);
	ERROR_HAS(v, 0, "/nowhere/.well-known/openid-configuration");
	ERROR_HAS(v, 0, "/.well-known/oauth-authorization-server/nowhere");
	hc_validator_free(v);
}

/* A configured metadata document is fetched as it is. */
static void
test_discovery_document_url(void)
{
	hc_validator *v;

	if (fresh_server() != 0)
		return;
	ROUTE("/d3/.well-known/oauth-authorization-server",
	    "\"meta_issuer\": \"" ISS "\", \"jwks_path\": \"/d3/keys\"");
	ROUTE("/d3/keys", "\"file\": \"jwks-k1.json\"");
	v = v_issuer("discovery", "/d3/.well-known/oauth-authorization-server",
	    FETCH_DEFAULT);
	if (v == NULL)
		return;
	REFRESH(v, HC_OK);
	EXPECT(v, "tok-k1.jwt", HC_OK);
	CU_ASSERT_EQUAL(count("/d3/.well-known/oauth-authorization-server"), 1);
	hc_validator_free(v);
}

/* The document's issuer must be the configured one, byte for byte. */
static void
test_discovery_wrong_issuer(void)
{
	static const char *const issuers[] = {
		ISS "/", "https://ISSUER.test", "https://attacker.test",
	};

	if (fresh_server() != 0)
		return;
	for (size_t i = 0; i < sizeof(issuers) / sizeof(issuers[0]); i++) {
		char path[32], meta[96], route[128];
		hc_validator *v;

		(void)snprintf(path, sizeof(path), "/w%zu", i);
		(void)snprintf(meta, sizeof(meta),
		    "%s/.well-known/openid-configuration", path);
		(void)snprintf(route, sizeof(route), "\"meta_issuer\": \"%s\","
		    " \"jwks_path\": \"/w/keys\"", issuers[i]);
		ROUTE("/w/keys", "\"file\": \"jwks-k1.json\"");
		ROUTE(meta, route);
		v = v_issuer("discovery", path, FETCH_DEFAULT);
		if (v == NULL)
			return;
		REFRESH(v, HC_UNAVAILABLE);
		EXPECT(v, "tok-k1.jwt", HC_UNAVAILABLE);
		ERROR_HAS(v, 0, "names issuer");
		hc_validator_free(v);
	}
	/* No key set was fetched, and no fallback was tried. */
	CU_ASSERT_EQUAL(count("/w/keys"), 0);
	CU_ASSERT_EQUAL(count("/.well-known/oauth-authorization-server/w0"), 0);
}

/* The jwks_uri a document names obeys the same rules as a configured one. */
static void
test_discovery_jwks_uri_rules(void)
{
	static const char *const uris[] = {
		"http://192.0.2.1/keys",              /* http, not loopback */
		"ftp://127.0.0.1/keys",
		"http://user@127.0.0.1/keys",
		"http://127.0.0.1.example.com/keys",
	};

	if (fresh_server() != 0)
		return;
	for (size_t i = 0; i < sizeof(uris) / sizeof(uris[0]); i++) {
		char route[160];
		hc_validator *v;

		(void)snprintf(route, sizeof(route), "\"meta_issuer\": \"" ISS
		    "\", \"jwks_uri\": \"%s\"", uris[i]);
		ROUTE("/j/.well-known/openid-configuration", route);
		v = v_issuer("discovery", "/j", FETCH_DEFAULT);
		if (v == NULL)
			return;
		REFRESH(v, HC_UNAVAILABLE);
		EXPECT(v, "tok-k1.jwt", HC_UNAVAILABLE);
		ERROR_HAS(v, 0, "jwks_uri");
		hc_validator_free(v);
	}
	/* And http:// needs allow_insecure_http for the jwks_uri too. */
	{
		hc_detail d;
		HC_ASSERT_STATUS(hc_fetch_url_check("http://127.0.0.1/keys",
		    false, &d), HC_UNAVAILABLE);
	}
}

/* ------------------------------------------------------------------ TLS */

/* An issuer whose jwks_uri is https://HOST:<tls port>/tls/jwks. */
static hc_validator *
v_tls(const char *host, const char *ca_member)
{
	return vnew("{\"service\": {\"audiences\": [\"https://api.test\"]},"
	    " \"issuers\": [{\"issuer\": \"" ISS "\","
	    " \"jwks_uri\": \"https://%s:%d/tls/jwks\", \"algorithms\":"
	    " [\"ES256\"]%s}], \"fetch\": " FETCH_DEFAULT "}", host,
	    srv_tls_port, ca_member);
}

/*
 * The peer is verified: its chain against ca_file (or the system store),
 * and its name against the URL's host.  A failed check ends the handshake
 * before any request, so the server counts none.
 */
static void
test_tls_verification(void)
{
	static const struct {
		const char *host, *ca;
		hc_status want;
	} cases[] = {
		{ "localhost", ", \"ca_file\": \"" DATA "tls-ca.pem\"", HC_OK },
		/* the system store does not know the test CA */
		{ "localhost", "", HC_UNAVAILABLE },
		{ "localhost", ", \"ca_file\": \"" DATA "tls-other-ca.pem\"",
		    HC_UNAVAILABLE },
		/* the certificate names localhost, not 127.0.0.1 */
		{ "127.0.0.1", ", \"ca_file\": \"" DATA "tls-ca.pem\"",
		    HC_UNAVAILABLE },
	};

	if (fresh_server() != 0)
		return;
	ROUTE("/tls/jwks", "\"file\": \"jwks-k1.json\"");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		hc_validator *v = v_tls(cases[i].host, cases[i].ca);
		long before = count("/tls/jwks");

		if (v == NULL)
			return;
		refresh_at(v, cases[i].want, NULL, __LINE__);
		EXPECT(v, "tok-k1.jwt", cases[i].want);
		CU_ASSERT_EQUAL(count("/tls/jwks") - before,
		    cases[i].want == HC_OK ? 1 : 0);
		if (cases[i].want != HC_OK)
			ERROR_HAS(v, 0, "https://");
		hc_validator_free(v);
	}
}

/* -------------------------------------------------------- SPIFFE bundles */

/* Parses a bundle given as text; *nkeys and *hint as found. */
static hc_status
parse_bundle_text(const char *text, size_t *nkeys, int64_t *hint)
{
	hc_keyset *ks = NULL;
	hc_detail d = { "" };
	hc_status st;

	st = hc_bundle_parse_hint(text, strlen(text), "example.org",
	    HC_BUNDLE_USE_JWT_SVID, &ks, hint, &d);
	if (nkeys != NULL)
		*nkeys = ks != NULL ? ks->nkeys : 0;
	CU_ASSERT((st == HC_OK) == (ks != NULL));
	if (st != HC_OK)
		CU_ASSERT(d.text[0] != '\0');
	hc_keyset_unref(ks);
	return st;
}

static hc_status
parse_bundle_file(const char *name, hc_keyset **out, int64_t *hint)
{
	char path[256];
	hc_detail d = { "" };
	hc_status st;
	size_t len;
	char *text;

	(void)snprintf(path, sizeof(path), DATA "%s", name);
	text = hc_test_read(path, &len);
	st = hc_bundle_parse_hint(text, len, "example.org",
	    HC_BUNDLE_USE_JWT_SVID, out, hint, &d);
	free(text);
	return st;
}

static void
test_bundle_parse(void)
{
	hc_keyset *ks = NULL;
	int64_t hint = 0;

	/* jwt-svid kept; x509-svid, no use, unknown kty ignored. */
	HC_ASSERT_STATUS(parse_bundle_file("bundle-mixed.json", &ks, &hint),
	    HC_OK);
	if (ks != NULL) {
		CU_ASSERT_EQUAL(ks->nkeys, 1);
		CU_ASSERT_STRING_EQUAL(ks->keys[0]->kid, "b1");
		CU_ASSERT_EQUAL(ks->keys[0]->kty, HC_KTY_EC);
	}
	CU_ASSERT_EQUAL(hint, 300);
	hc_keyset_unref(ks);

	HC_ASSERT_STATUS(parse_bundle_file("bundle-dupkid.json", &ks, &hint),
	    HC_KEY);
	CU_ASSERT_PTR_NULL(ks);
	CU_ASSERT_EQUAL(hint, -1);
	/* JWT-SVID section 6.1: a jwt-svid key without kid spoils the bundle. */
	HC_ASSERT_STATUS(parse_bundle_file("bundle-nokid.json", &ks, &hint),
	    HC_KEY);
	CU_ASSERT_PTR_NULL(ks);

	HC_ASSERT_STATUS(parse_bundle_file("bundle-empty.json", &ks, &hint),
	    HC_OK);
	CU_ASSERT_PTR_NOT_NULL(ks);
	if (ks != NULL)
		CU_ASSERT_EQUAL(ks->nkeys, 0);
	CU_ASSERT_EQUAL(hint, -1);
	hc_keyset_unref(ks);

	HC_ASSERT_STATUS(parse_bundle_file("bundle-x509only.json", &ks, NULL),
	    HC_OK);
	if (ks != NULL)
		CU_ASSERT_EQUAL(ks->nkeys, 0);
	hc_keyset_unref(ks);
}

static void
test_bundle_malformed(void)
{
	static const char *const bad[] = {
		"",
		"[]",
		"{}",
		"{\"keys\": {}}",
		"{\"keys\": null}",
		"{\"keys\": [1]}",
		"{\"keys\": [], \"keys\": []}",
		"{\"keys\": [], \"spiffe_refresh_hint\": \"300\"}",
		"{\"keys\": [], \"spiffe_refresh_hint\": -1}",
		"{\"keys\": [], \"spiffe_sequence\": 1.5}",
		"{\"keys\": [], \"spiffe_sequence\": true}",
		"{\"keys\": [{\"kty\": \"EC\", \"use\": \"jwt-svid\"}]}",
		"{\"keys\": [{\"kty\": \"EC\", \"use\": \"jwt-svid\", \"kid\": 7}]}",
		/* a jwt-svid key the key reader refuses */
		("{\"keys\": [{\"kty\": \"EC\", \"crv\": \"P-256\", \"x\": \"AA\","
		" \"y\": \"AA\", \"use\": \"jwt-svid\", \"kid\": \"a\"}]}"),
	};
	static const char *const empty[] = {
		"{\"keys\": []}",
		"{\"keys\": [], \"spiffe_sequence\": 0}",
		/* ignored entries: unknown or missing kty, other or no use */
		"{\"keys\": [{\"kty\": \"OKP\", \"use\": \"jwt-svid\", \"kid\": \"a\"}]}",
		"{\"keys\": [{\"use\": \"jwt-svid\", \"kid\": \"a\"}]}",
		"{\"keys\": [{\"kty\": \"EC\", \"use\": \"wit-svid\", \"kid\": \"a\"}]}",
		"{\"keys\": [{\"kty\": \"EC\", \"use\": \"JWT-SVID\", \"kid\": \"a\"}]}",
		"{\"keys\": [{\"kty\": \"EC\", \"kid\": \"a\"}]}",
		/* a curve hopcheck does not verify with (RFC 7517 section 5) */
		("{\"keys\": [{\"kty\": \"EC\", \"crv\": \"P-192\", \"x\": \"AA\","
		" \"y\": \"AA\", \"use\": \"jwt-svid\", \"kid\": \"a\"}]}"),
	};
	int64_t hint = 0;
	size_t n;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		hc_status st = parse_bundle_text(bad[i], NULL, &hint);
		if (st != HC_KEY)
			fprintf(stderr, "\naccepted bundle: %s\n", bad[i]);
		HC_ASSERT_STATUS(st, HC_KEY);
		CU_ASSERT_EQUAL(hint, -1);
	}
	for (size_t i = 0; i < sizeof(empty) / sizeof(empty[0]); i++) {
		n = 99;
		HC_ASSERT_STATUS(parse_bundle_text(empty[i], &n, &hint), HC_OK);
		CU_ASSERT_EQUAL(n, 0);
		CU_ASSERT_EQUAL(hint, -1);
	}
	HC_ASSERT_STATUS(parse_bundle_text("{\"keys\": [],"
	    " \"spiffe_refresh_hint\": 60}", &n, &hint), HC_OK);
	CU_ASSERT_EQUAL(hint, 60);
}

static void
test_bundle_endpoint(void)
{
	hc_validator *v;
	hc_key_stats s;
	int64_t next = 0;

	if (fresh_server() != 0)
		return;
	ROUTE("/b/bundle", "\"file\": \"bundle-mixed.json\"");
	v = v_bundle("/b/bundle");
	if (v == NULL)
		return;
	CU_ASSERT_EQUAL(hc_validator_ready(v), 0);
	EXPECT(v, "svid-b1.jwt", HC_UNAVAILABLE);
	EXPECT(v, "tok-k1.jwt", HC_OK);         /* the local issuer works */
	refresh_at(v, HC_OK, &next, __LINE__);
	/* spiffe_refresh_hint 300 s schedules the next fetch. */
	CU_ASSERT(next > 290000 && next <= 300000);
	CU_ASSERT_EQUAL(hc_validator_ready(v), 1);
	EXPECT(v, "svid-b1.jwt", HC_OK);
	/* Keys the bundle holds for other uses never verify a JWT-SVID. */
	EXPECT(v, "svid-x509.jwt", HC_KEY);
	EXPECT(v, "svid-nouse.jwt", HC_KEY);

	CU_ASSERT_EQUAL(hc_validator_key_stats(v, NULL, 0), 2);
	s = stats_of(v, 0);
	CU_ASSERT_STRING_EQUAL(s.source, ISS);
	CU_ASSERT_EQUAL(s.keys, 1);
	CU_ASSERT_EQUAL(s.refresh_ok, 0);
	s = stats_of(v, 1);
	CU_ASSERT_STRING_EQUAL(s.source, "spiffe://example.org");
	CU_ASSERT_EQUAL(s.keys, 1);
	CU_ASSERT_EQUAL(s.refresh_ok, 1);
	hc_validator_free(v);

	/* An empty bundle is a loaded set under which every SVID fails. */
	ROUTE("/b/empty", "\"file\": \"bundle-empty.json\"");
	v = v_bundle("/b/empty");
	if (v == NULL)
		return;
	REFRESH(v, HC_OK);
	CU_ASSERT_EQUAL(hc_validator_ready(v), 1);
	EXPECT(v, "svid-b1.jwt", HC_KEY);
	hc_validator_free(v);

	/*
	 * A trust domain rotates: a JWT-SVID under a kid the bundle lacks asks
	 * for one early fetch of the bundle, as for an issuer.
	 */
	ROUTE("/b/rot", "\"file\": \"bundle-empty.json\"");
	v = v_bundle("/b/rot");
	if (v == NULL)
		return;
	REFRESH(v, HC_OK);
	ROUTE("/b/rot", "\"file\": \"bundle-mixed.json\"");
	REFRESH(v, HC_OK);                      /* not due: nothing fetched */
	EXPECT(v, "svid-b1.jwt", HC_KEY);       /* asks for an early fetch */
	REFRESH(v, HC_OK);
	EXPECT(v, "svid-b1.jwt", HC_OK);
	hc_validator_free(v);

	/* A bundle with a repeated kid is refused; nothing is loaded. */
	ROUTE("/b/dup", "\"file\": \"bundle-dupkid.json\"");
	v = v_bundle("/b/dup");
	if (v == NULL)
		return;
	REFRESH(v, HC_UNAVAILABLE);
	EXPECT(v, "svid-b1.jwt", HC_UNAVAILABLE);
	ERROR_HAS(v, 1, "repeats kid");
	hc_validator_free(v);
}

/* --------------------------------------------------- background thread */

static int
wait_for(const hc_validator *v, const char *name, hc_status want)
{
	char path[256];
	size_t len;
	char *tok;
	hc_request *req = hc_request_new();
	hc_status st = HC_INTERNAL;

	(void)snprintf(path, sizeof(path), DATA "%s", name);
	tok = hc_test_read(path, &len);
	while (len > 0 && tok[len - 1] == '\n')
		len--;
	hc_request_set_time(req, NOW);
	for (int i = 0; i < 250; i++) {         /* 5 s at most */
		if ((st = hc_validate(v, tok, len, req, NULL)) == want)
			break;
		sleep_ms(20);
	}
	hc_request_free(req);
	free(tok);
	return st == want;
}

static void
test_refresher_thread(void)
{
	hc_validator *v;

	if (fresh_server() != 0)
		return;
	ROUTE("/th/jwks", "\"file\": \"jwks-k1.json\"");
	v = v_issuer("jwks_uri", "/th/jwks", FETCH_DEFAULT);
	if (v == NULL)
		return;
	HC_ASSERT_STATUS(hc_validator_start_refresher(v), HC_OK);
	HC_ASSERT_STATUS(hc_validator_start_refresher(v), HC_OK);
	CU_ASSERT_TRUE(wait_for(v, "tok-k1.jwt", HC_OK));
	CU_ASSERT_EQUAL(hc_validator_ready(v), 1);

	/* The unknown kid wakes the thread, which fetches the new set. */
	ROUTE("/th/jwks", "\"file\": \"jwks-k1k2.json\"");
	EXPECT(v, "tok-k2.jwt", HC_KEY);
	CU_ASSERT_TRUE(wait_for(v, "tok-k2.jwt", HC_OK));
	CU_ASSERT_EQUAL(count("/th/jwks"), 2);
	hc_validator_free(v);                   /* stops and joins */

	/* Without a remote source there is nothing to run. */
	v = vnew("{\"service\": {\"audiences\": [\"https://api.test\"]},"
	    " \"issuers\": [{\"issuer\": \"" ISS "\","
	    " \"jwks_file\": \"" DATA "jwks-k1.json\","
	    " \"algorithms\": [\"ES256\"]}]}");
	if (v == NULL)
		return;
	HC_ASSERT_STATUS(hc_validator_start_refresher(v), HC_OK);
	REFRESH(v, HC_OK);
	CU_ASSERT_EQUAL(hc_validator_ready(v), 1);
	CU_ASSERT_EQUAL(stats_of(v, 0).keys, 1);
	hc_validator_free(v);
}

/* Freeing a validator stops a transfer in flight instead of waiting. */
static void
test_free_during_fetch(void)
{
	struct timespec t0;
	hc_validator *v;

	if (fresh_server() != 0)
		return;
	ROUTE("/hang/jwks", "\"file\": \"jwks-k1.json\", \"delay_ms\": 8000");
	v = v_issuer("jwks_uri", "/hang/jwks", "{\"timeout_ms\": 20000}");
	if (v == NULL)
		return;
	HC_ASSERT_STATUS(hc_validator_start_refresher(v), HC_OK);
	for (int i = 0; i < 100 && count("/hang/jwks") < 1; i++)
		sleep_ms(20);
	CU_ASSERT_EQUAL(count("/hang/jwks"), 1);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	hc_validator_free(v);
	/* libcurl polls the stop flag about once a second. */
	CU_ASSERT(elapsed_ms(&t0) < 5000);
}

static const hc_test url_tests[] = {
	{ "URL rules and labels", test_url_rules },
	{ "configured http:// to a remote host", test_config_refuses_remote_http },
	{ NULL, NULL }
};

static const hc_test jwks_tests[] = {
	{ "unavailable until the first load", test_jwks_first_load },
	{ "connection refused", test_connection_refused },
	{ "rotation through an unknown kid", test_rotation },
	{ "unknown kid cool-down", test_kid_cooldown },
	{ "ETag and 304", test_etag_not_modified },
	{ "Cache-Control within bounds", test_cache_control_bounds },
	{ "server down, then stale", test_server_down_then_stale },
	{ "retry with backoff", test_retry_backoff },
	{ NULL, NULL }
};

static const hc_test broken_tests[] = {
	{ "slow server", test_slow_server },
	{ "garbage bodies", test_garbage_bodies },
	{ "oversized body", test_oversized_body },
	{ "HTTP errors and redirects", test_http_errors },
	{ NULL, NULL }
};

/* ----------------------------------------------------------- key events */

/* What a recording logger got: events and their fields, in order. */
#define REC_MAX 32
static struct rec {
	size_t n;
	int level[REC_MAX];
	char event[REC_MAX][32];
	char fields[REC_MAX][1024];
} rec;

static void
rec_log(void *arg, int level, const char *event, const char *json_fields)
{
	struct rec *r = arg;

	if (r->n >= REC_MAX)
		return;
	r->level[r->n] = level;
	(void)snprintf(r->event[r->n], sizeof(r->event[0]), "%s", event);
	(void)snprintf(r->fields[r->n], sizeof(r->fields[0]), "%s",
	    json_fields);
	r->n++;
}

/* The index of the first event `name` whose fields hold `frag`, or -1. */
static int
rec_find(const char *name, const char *frag)
{
	for (size_t i = 0; i < rec.n; i++)
		if (strcmp(rec.event[i], name) == 0 &&
		    strstr(rec.fields[i], frag) != NULL)
			return (int)i;
	return -1;
}

#define REC_HAS(name, frag) do { \
	if (rec_find((name), (frag)) < 0) { \
		fprintf(stderr, "\nno %s event with %s; got:\n", (name), (frag)); \
		for (size_t i_ = 0; i_ < rec.n; i_++) \
			fprintf(stderr, "  %s %s\n", rec.event[i_], \
			    rec.fields[i_]); \
	} \
	CU_ASSERT(rec_find((name), (frag)) >= 0); \
} while (0)

/* A refresh that fails for `route` logs exactly that kind of failure. */
static void
failure_kind(const char *route, const char *fetch, const char *want)
{
	static int seq;
	char path[32], frag[64];
	hc_validator *v;

	(void)snprintf(path, sizeof(path), "/ev%d/jwks", seq++);
	if (route != NULL)
		ROUTE(path, route);
	v = v_issuer("jwks_uri", path, fetch);
	if (v == NULL)
		return;
	memset(&rec, 0, sizeof(rec));
	hc_validator_set_logger(v, rec_log, &rec);
	CU_ASSERT_EQUAL(rec.n, 0);              /* nothing loaded yet */
	REFRESH(v, HC_UNAVAILABLE);
	(void)snprintf(frag, sizeof(frag), "\"reason\":\"%s\"", want);
	REC_HAS("keys.refresh_failed", frag);
	CU_ASSERT(rec.n == 1 && rec.level[0] == HC_LOG_WARN);
	hc_validator_free(v);
}

/*
 * Every way a refresh fails is told apart in its event: an operator who
 * reads "connection_refused" looks at the network, "no_usable_key" at the
 * issuer's keys, "issuer_mismatch" at the configuration.
 */
static void
test_events_failures(void)
{
	hc_validator *v;

	if (fresh_server() != 0)
		return;
	failure_kind(NULL, FETCH_DEFAULT, "http_status");       /* 404 */
	REC_HAS("keys.refresh_failed", "\"http_status\":404");
	failure_kind("\"status\": 302, \"file\": \"jwks-k1.json\"",
	    FETCH_DEFAULT, "redirect");
	failure_kind("\"body\": \"<html>\"", FETCH_DEFAULT, "bad_json");
	failure_kind("\"body\": \"{\\\"keys\\\": []}\"", FETCH_DEFAULT,
	    "no_usable_key");
	failure_kind("\"body\": \"{\\\"keys\\\": 5}\"", FETCH_DEFAULT,
	    "bad_key_set");
	failure_kind("\"big\": 4096", "{\"max_bytes\": 1024}", "too_large");

	v = vnew("{\"service\": {\"audiences\": [\"https://api.test\"]},"
	    " \"issuers\": [{\"issuer\": \"" ISS "\","
	    " \"jwks_uri\": \"http://127.0.0.1:1/jwks\","
	    " \"algorithms\": [\"ES256\"], \"allow_insecure_http\": true}],"
	    " \"fetch\": " FETCH_DEFAULT "}");
	if (v == NULL)
		return;
	memset(&rec, 0, sizeof(rec));
	hc_validator_set_logger(v, rec_log, &rec);
	REFRESH(v, HC_UNAVAILABLE);
	REC_HAS("keys.refresh_failed", "\"reason\":\"connection_refused\"");
	hc_validator_free(v);

	ROUTE("/evd/.well-known/openid-configuration",
	    "\"meta_issuer\": \"https://other.test\", \"jwks_path\": "
	    "\"/evd/keys\"");
	v = v_issuer("discovery", "/evd/", FETCH_DEFAULT);
	if (v == NULL)
		return;
	memset(&rec, 0, sizeof(rec));
	hc_validator_set_logger(v, rec_log, &rec);
	REFRESH(v, HC_UNAVAILABLE);
	REC_HAS("keys.refresh_failed", "\"reason\":\"issuer_mismatch\"");
	hc_validator_free(v);
}

/*
 * A first fetch logs the kids loaded and the keys skipped; a rotation logs
 * the kids added and removed; a token naming a skipped kid hears why.
 */
static void
test_events_rotation_and_skips(void)
{
	hc_validator *v;
	hc_result *res = NULL;
	char *tok, *report;
	size_t len;

	if (fresh_server() != 0)
		return;
	ROUTE("/evr/jwks", "\"body\": \"{\\\"keys\\\": [{\\\"kty\\\": \\\"RSA\\\","
	    " \\\"kid\\\": \\\"k1\\\", \\\"use\\\": \\\"enc\\\", \\\"n\\\": \\\"AQAB\\\","
	    " \\\"e\\\": \\\"AQAB\\\"}, {\\\"kty\\\": \\\"EC\\\", \\\"kid\\\": \\\"k0\\\","
	    " \\\"crv\\\": \\\"P-256\\\","
	    " \\\"x\\\": \\\"tzvSg5sF801E_4ie1Kfv3EylAgcRtVwDrNBXwZnyTJk\\\","
	    " \\\"y\\\": \\\"IqBBA7MJmQNcly-Z6-B3Q5VbTpfxMZ4bynfhXYbt6LQ\\\"}]}\"");
	v = v_issuer("jwks_uri", "/evr/jwks", FETCH_DEFAULT);
	if (v == NULL)
		return;
	memset(&rec, 0, sizeof(rec));
	hc_validator_set_logger(v, rec_log, &rec);
	REFRESH(v, HC_OK);
	REC_HAS("keys.loaded", "\"kids\":[\"k0\"]");
	REC_HAS("keys.skipped", "\"kid\":\"k1\",\"reason\":\"use \\\"enc\\\"\"");

	/* tok-k1.jwt names kid k1: skipped here, and the detail says why. */
	tok = hc_test_read(DATA "tok-k1.jwt", &len);
	while (len > 0 && (tok[len - 1] == '\n' || tok[len - 1] == '\r'))
		len--;
	(void)hc_validate(v, tok, len, NULL, &res);
	HC_ASSERT_RESULT(res, HC_KEY);
	CU_ASSERT_STRING_EQUAL(hc_result_detail(res),
	    "kid \"k1\" was skipped: use \"enc\"");
	hc_result_free(res);
	free(tok);

	/* The report shows the skipped key, no error, a next refresh. */
	report = hc_validator_keys_json(v);
	CU_ASSERT_PTR_NOT_NULL_FATAL(report);
	CU_ASSERT(strstr(report, "\"reason\":\t\"use \\\"enc\\\"\"") != NULL);
	CU_ASSERT(strstr(report, "\"origin\":\t\"jwks_uri\"") != NULL);
	CU_ASSERT(strstr(report, "\"last_error\":\tnull") != NULL);
	CU_ASSERT(strstr(report, "\"next_refresh\":\tnull") == NULL);
	hc_string_free(report);

	/* The kid miss asked for a refresh: k1 arrives as a usable key. */
	ROUTE("/evr/jwks", "\"file\": \"jwks-k1k2.json\"");
	memset(&rec, 0, sizeof(rec));
	REFRESH(v, HC_OK);
	REC_HAS("keys.refreshed", "\"added\":[\"k1\",\"k2\"],\"removed\":[\"k0\"]");
	CU_ASSERT(rec_find("keys.skipped", "") < 0);

	hc_validator_free(v);

	/* A failure shows in the report with its kind. */
	ROUTE("/evf/jwks", "\"status\": 500");
	v = v_issuer("jwks_uri", "/evf/jwks", FETCH_DEFAULT);
	if (v == NULL)
		return;
	REFRESH(v, HC_UNAVAILABLE);
	report = hc_validator_keys_json(v);
	CU_ASSERT_PTR_NOT_NULL_FATAL(report);
	CU_ASSERT(strstr(report, "HTTP 500") != NULL);
	CU_ASSERT(strstr(report, "\"last_error_kind\":\t\"http_status\"") !=
	    NULL);
	CU_ASSERT(strstr(report, "\"ready\":\tfalse") != NULL);
	hc_string_free(report);
	hc_validator_free(v);
}

static const hc_test event_tests[] = {
	{ "refresh failures told apart", test_events_failures },
	{ "loads, rotations and skipped keys", test_events_rotation_and_skips },
	{ NULL, NULL }
};

static const hc_test discovery_tests[] = {
	{ "OpenID Connect discovery", test_discovery_oidc },
	{ "jwks_uri moves", test_discovery_jwks_uri_moves },
	{ "RFC 8414 fallback", test_discovery_rfc8414_fallback },
	{ "metadata document URL", test_discovery_document_url },
	{ "wrong issuer refused", test_discovery_wrong_issuer },
	{ "jwks_uri rules", test_discovery_jwks_uri_rules },
	{ NULL, NULL }
};

static const hc_test tls_tests[] = {
	{ "certificate and host verification", test_tls_verification },
	{ NULL, NULL }
};

/* ---------------------------------------------------- wimse remote keys */

/*
 * The WIT/WPT cases of testvectors/wimse.json (policy "default"): their
 * key files, and the request of one case verified by hc_wimse_verify().
 */
static cJSON *wimse_doc;

static const cJSON *
wimse_case(const char *name)
{
	const cJSON *c;

	if (wimse_doc == NULL) {
		size_t len;
		char *text = hc_test_read("testvectors/wimse.json", &len);

		CU_ASSERT_PTR_NOT_NULL_FATAL(text);
		wimse_doc = cJSON_ParseWithLength(text, len);
		free(text);
		CU_ASSERT_PTR_NOT_NULL_FATAL(wimse_doc);
	}
	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(wimse_doc,
	    "wimse_cases"))
		if (strcmp(cJSON_GetObjectItemCaseSensitive(c, "name")->
		    valuestring, name) == 0)
			return c;
	CU_FAIL_FATAL("no such wimse case");
	return NULL;
}

static hc_status
wimse_verify_case(const hc_validator *v, const char *name, hc_detail *d)
{
	const cJSON *c = wimse_case(name);
	hc_wimse_request rq;
	hc_wimse_result res;
	hc_status st;

	memset(&rq, 0, sizeof(rq));
	rq.wit = cJSON_GetObjectItemCaseSensitive(c, "wit")->valuestring;
	rq.wit_len = strlen(rq.wit);
	rq.wpt = cJSON_GetObjectItemCaseSensitive(c, "wpt")->valuestring;
	rq.wpt_len = strlen(rq.wpt);
	rq.path = cJSON_GetObjectItemCaseSensitive(c, "path")->valuestring;
	rq.access_token = cJSON_GetObjectItemCaseSensitive(c, "token")->
	    valuestring;
	rq.access_token_len = strlen(rq.access_token);
	rq.now = (int64_t)cJSON_GetObjectItemCaseSensitive(c, "now")->
	    valuedouble;
	st = hc_wimse_verify(v->wimse, &rq, &res, d);
	hc_wimse_result_clear(&res);
	return st;
}

/* Serves `body` at `path` (the route's "body", JSON-escaped here). */
static void
route_body(const char *path, const char *body)
{
	cJSON *str = cJSON_CreateString(body);
	char *esc = cJSON_PrintUnformatted(str), *member;
	size_t n = strlen(esc) + 16;

	member = malloc(n);
	CU_ASSERT_PTR_NOT_NULL_FATAL(member);
	(void)snprintf(member, n, "\"body\": %s", esc);
	ROUTE(path, member);
	free(member);
	free(esc);
	cJSON_Delete(str);
}

/* The statistics of key source `label`; NULL when there is none. */
static const hc_key_stats *
stats_named(const hc_key_stats *all, size_t n, const char *label)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(all[i].source, label) == 0)
			return &all[i];
	return NULL;
}

/*
 * wimse trust domains with a jwks_uri (a.example) and a bundle_uri whose
 * "wit-svid" entries sign WITs (s.example): unavailable before the first
 * round, verified with the fetched keys after it, counted for readiness,
 * statistics and the key report; an unknown kid asks for an early fetch.
 */
static void
test_wimse_remote(void)
{
	static const char a1[] = "{\"kty\":\"EC\",\"kid\":\"a-1\","
	    "\"crv\":\"P-256\",\"x\":\"2pKwDK90vakAAA0EZW27pGKHIbWfrjjNPZpr4"
	    "HGX5fw\",\"y\":\"tzdnm2R2_j5StHgMI5lQQitZRFhs6DZFErsjbaDJc4Q\"}";
	static const char a2[] = "{\"kty\":\"EC\",\"kid\":\"a-2\","
	    "\"crv\":\"P-256\",\"x\":\"33Qnp_wsUrMAoaHhIdUlgN7HliKBlqC6ipd1P"
	    "FUUHb8\",\"y\":\"BqYITwvWUUKof15ejwXBZqlfZOOqOXgZ5we41MbcnUQ\"}";
	static const char sb[] = "{\"spiffe_sequence\":3,\"keys\":["
	    "{\"kty\":\"EC\",\"kid\":\"s-1\",\"use\":\"wit-svid\","
	    "\"crv\":\"P-256\",\"x\":\"D-uPYm72mAY0BvH5_-ARC7hHYeHtEKbTQY-6E"
	    "cWcbaQ\",\"y\":\"BjTQwdnSVf6E-WUbDVqfuQWK2tIkEUk8tKpjkBCr5jA\"},"
	    "{\"kty\":\"EC\",\"kid\":\"svid-1\",\"use\":\"jwt-svid\","
	    "\"crv\":\"P-256\",\"x\":\"G8A5IzxyqZFoGNg77JneKmH3WWwwXlV8-6-_Y"
	    "Ojyaqk\",\"y\":\"8vpNQeCHgAioF2bz1WrbjQWOu0jpaMJMg5RYm0bmh3s\"}]}";
	char jwks[512];
	hc_key_stats st[8];
	const hc_key_stats *ks;
	hc_validator *v;
	hc_detail d = { "" };
	char *report;
	size_t n;

	if (fresh_server() != 0)
		return;
	/* a.example starts without a-1, the key of baseline_ok. */
	(void)snprintf(jwks, sizeof(jwks), "{\"keys\":[%s]}", a2);
	route_body("/wimse/a/jwks", jwks);
	route_body("/wimse/s/bundle", sb);
	v = vnew("{\"service\": {\"audiences\": [\"https://api.test\"],"
	    " \"origins\": [\"https://payments.a.example\"]},"
	    " \"issuers\": [{\"issuer\": \"" ISS "\","
	    " \"jwks_file\": \"" DATA "jwks-k1.json\","
	    " \"algorithms\": [\"ES256\"]}],"
	    " \"wimse\": {\"mode\": \"if_present\", \"trust_domains\": ["
	    "{\"trust_domain\": \"a.example\","
	    " \"jwks_uri\": \"http://127.0.0.1:%d/wimse/a/jwks\","
	    " \"allow_insecure_http\": true, \"algorithms\": [\"ES256\"],"
	    " \"issuers\": [\"https://wit.a.example\"]},"
	    "{\"trust_domain\": \"s.example\","
	    " \"bundle_uri\": \"http://127.0.0.1:%d/wimse/s/bundle\","
	    " \"allow_insecure_http\": true, \"algorithms\": [\"ES256\"]}]},"
	    " \"fetch\": " FETCH_DEFAULT "}", srv_port, srv_port);
	if (v == NULL)
		return;

	/* Before the first round: not ready, and WITs fail closed. */
	CU_ASSERT_EQUAL(hc_validator_ready(v), 0);
	HC_ASSERT_STATUS(wimse_verify_case(v, "spiffe_sub_ok", &d),
	    HC_UNAVAILABLE);
	CU_ASSERT_PTR_NOT_NULL(strstr(d.text, "s.example"));
	CU_ASSERT_PTR_NOT_NULL(strstr(d.text, "not loaded yet"));
	HC_ASSERT_STATUS(wimse_verify_case(v, "baseline_ok", &d),
	    HC_UNAVAILABLE);
	n = hc_validator_key_stats(v, st, 8);
	CU_ASSERT_EQUAL_FATAL(n, 3);
	ks = stats_named(st, n, "wimse:s.example");
	CU_ASSERT_PTR_NOT_NULL_FATAL(ks);
	CU_ASSERT_EQUAL(ks->keys, 0);

	/* One round: both fetched; the bundle gives its wit-svid key only. */
	HC_ASSERT_STATUS(hc_validator_refresh(v, NULL), HC_OK);
	CU_ASSERT_EQUAL(hc_validator_ready(v), 1);
	CU_ASSERT_EQUAL(count("/wimse/a/jwks"), 1);
	CU_ASSERT_EQUAL(count("/wimse/s/bundle"), 1);
	HC_ASSERT_STATUS(wimse_verify_case(v, "spiffe_sub_ok", &d), HC_OK);
	n = hc_validator_key_stats(v, st, 8);
	ks = stats_named(st, n, "wimse:s.example");
	CU_ASSERT_PTR_NOT_NULL_FATAL(ks);
	CU_ASSERT_EQUAL(ks->keys, 1);
	CU_ASSERT_EQUAL(ks->refresh_ok, 1);
	ks = stats_named(st, n, "wimse:a.example");
	CU_ASSERT_PTR_NOT_NULL_FATAL(ks);
	CU_ASSERT_EQUAL(ks->keys, 1);
	report = hc_validator_keys_json(v);
	CU_ASSERT_PTR_NOT_NULL_FATAL(report);
	CU_ASSERT(strstr(report, "\"source\":\t\"wimse:s.example\"") != NULL);
	CU_ASSERT(strstr(report, "\"origin\":\t\"bundle_uri\"") != NULL);
	CU_ASSERT(strstr(report, "\"origin\":\t\"jwks_uri\"") != NULL);
	CU_ASSERT(strstr(report, "svid-1") != NULL);   /* skipped: its use */
	hc_string_free(report);

	/* a-1 is not there yet: HC_KEY, and an early fetch is asked for. */
	HC_ASSERT_STATUS(wimse_verify_case(v, "baseline_ok", &d), HC_KEY);
	(void)snprintf(jwks, sizeof(jwks), "{\"keys\":[%s,%s]}", a1, a2);
	route_body("/wimse/a/jwks", jwks);
	HC_ASSERT_STATUS(hc_validator_refresh(v, NULL), HC_OK);
	CU_ASSERT_EQUAL(count("/wimse/a/jwks"), 2);
	CU_ASSERT_EQUAL(count("/wimse/s/bundle"), 1);
	HC_ASSERT_STATUS(wimse_verify_case(v, "baseline_ok", &d), HC_OK);
	hc_validator_free(v);
	cJSON_Delete(wimse_doc);
	wimse_doc = NULL;
}

static const hc_test wimse_tests[] = {
	{ "wimse jwks_uri and bundle_uri", test_wimse_remote },
	{ NULL, NULL }
};

static const hc_test bundle_tests[] = {
	{ "bundle entries kept and ignored", test_bundle_parse },
	{ "malformed bundles", test_bundle_malformed },
	{ "bundle endpoint", test_bundle_endpoint },
	{ NULL, NULL }
};

static const hc_test thread_tests[] = {
	{ "refresher thread", test_refresher_thread },
	{ "free during a fetch", test_free_during_fetch },
	{ NULL, NULL }
};

static const hc_suite suites[] = {
	{ "fetch: URLs", url_tests },
	{ "fetch: jwks_uri", jwks_tests },
	{ "fetch: broken answers", broken_tests },
	{ "fetch: discovery", discovery_tests },
	{ "fetch: TLS", tls_tests },
	{ "fetch: SPIFFE bundles", bundle_tests },
	{ "fetch: wimse trust domains", wimse_tests },
	{ "fetch: refresher thread", thread_tests },
	{ "fetch: key events", event_tests },
	{ NULL, NULL }
};

int
main(void)
{
	return hc_test_main(suites);
}
