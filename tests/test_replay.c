/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_replay.c - the jti replay store of one-time-use routes (replay.c),
 * through the whole of hc_validate().
 *
 * The tokens in tests/data/replay were signed by jwcrypto (see
 * tools/vectors/gen_integration_tokens.py) at the fixed clock NOW; every
 * request here sets its own time, so they never go stale.  Two suites:
 *
 *  - memory: first use accepted, second HC_REPLAY; jti missing, empty or
 *    not a string; a jti is per issuer; a token rejected for another
 *    reason does not spend its jti; a full store fails closed
 *    (HC_UNAVAILABLE) and makes room only as entries expire; concurrent
 *    presentations of one token admit exactly one; a reload shares one
 *    table between the old and the new validator whatever their
 *    capacities (hc_replay_inherit()), keeps every live entry when the
 *    capacity shrinks, and admits one of many threads on both;
 *  - redis: the same verdicts against a real redis-server started on a
 *    random loopback port, shared by two validators, the key's TTL, a
 *    database of its own; a server that is down is HC_UNAVAILABLE; URLs
 *    that are not well formed, or not loopback without
 *    replay.allow_network, are configuration errors; namespaces keep
 *    services apart (and none keeps the key names of old); AUTH, right and
 *    wrong; the pool reconnects after a restart; threads on two
 *    validators over small pools admit each token once.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <hiredis/hiredis.h>

#include "replay.h"
#include "validator.h"
#include "testutil.h"

#define DATA "tests/data/replay/"
#define NOW 1767225600           /* the clock of the committed tokens */
#define SKEW 30
#define NTHREADS 8

/* ---------------------------------------------------------------- helpers */

/* A token of tests/data/replay, without its trailing newline. */
static char *
token(const char *name)
{
	char path[256];
	size_t n;
	char *t;

	(void)snprintf(path, sizeof(path), DATA "%s.jwt", name);
	t = hc_test_read(path, &n);
	while (t != NULL && n > 0 && (t[n - 1] == '\n' || t[n - 1] == '\r'))
		t[--n] = '\0';
	return t;
}

/*
 * A validator for the replay configuration with the given store; `more`
 * (may be empty) adds members to the replay section.
 */
static hc_validator *
validator_more(const char *store, size_t max_entries, const char *more)
{
	char conf[2048];
	hc_validator *v = NULL;
	char *errors = NULL;
	hc_status st;

	(void)snprintf(conf, sizeof(conf),
	    "{ \"service\": { \"audiences\": [\"https://api.example\"] },\n"
	    "  \"clock_skew_s\": %d,\n"
	    "  \"issuers\": [\n"
	    "    { \"issuer\": \"https://one.example\", \"jwks_file\": "
	    "\"one.jwks.json\", \"algorithms\": [\"ES256\"] },\n"
	    "    { \"issuer\": \"https://two.example\", \"jwks_file\": "
	    "\"two.jwks.json\", \"algorithms\": [\"ES256\"] } ],\n"
	    "  \"routes\": [\n"
	    "    { \"method\": \"POST\", \"path\": \"/pay\", \"scopes\": "
	    "[\"pay\"], \"one_time_use\": true },\n"
	    "    { \"method\": \"POST\", \"path\": \"/tenant-pay\", "
	    "\"tenant_claim\": \"tenant\", \"one_time_use\": true },\n"
	    "    { \"method\": \"GET\", \"path\": \"/read\" } ],\n"
	    "  \"replay\": { \"store\": \"%s\", \"max_entries\": %zu%s } }\n",
	    SKEW, store, max_entries, more);
	st = hc_validator_new_from_json(conf, strlen(conf), DATA, &v, &errors);
	if (st != HC_OK)
		fprintf(stderr, "\nconfiguration: %s\n", errors ? errors : "?");
	HC_ASSERT_STATUS(st, HC_OK);
	hc_string_free(errors);
	return v;
}

static hc_validator *
validator(const char *store, size_t max_entries)
{
	return validator_more(store, max_entries, "");
}

/*
 * Validates token `name` for `method path` at `now` (tenant may be NULL)
 * and asserts the verdict; returns it.
 */
static hc_status
expect_at(const hc_validator *v, const char *name, const char *method,
    const char *path, const char *tenant, int64_t now, hc_status want,
    int line)
{
	char *tok = token(name);
	hc_request *req = hc_request_new();
	hc_result *res = NULL;
	hc_status st;

	CU_ASSERT_PTR_NOT_NULL_FATAL(req);
	CU_ASSERT_EQUAL(hc_request_set_route(req, method, path), HC_OK);
	if (tenant != NULL)
		CU_ASSERT_EQUAL(hc_request_set_tenant(req, tenant), HC_OK);
	hc_request_set_time(req, now);
	st = hc_validate(v, tok, tok ? strlen(tok) : 0, req, &res);
	hc_test_assert_status(st, want, res ? hc_result_detail(res) : NULL,
	    __FILE__, line);
	CU_ASSERT_EQUAL(hc_result_status(res), st);
	hc_result_free(res);
	hc_request_free(req);
	free(tok);
	return st;
}

#define PAY(v, name, now, want) \
	expect_at((v), (name), "POST", "/pay", NULL, (now), (want), __LINE__)

static size_t
entries(const hc_validator *v)
{
	hc_replay_stats s;

	hc_replay_get_stats(v, &s);
	return s.entries;
}

/* ---------------------------------------------------------- memory store */

static void
test_first_ok_then_replay(void)
{
	hc_validator *v = validator("memory", 100);
	hc_replay_stats s;

	PAY(v, "a", NOW, HC_OK);
	PAY(v, "a", NOW, HC_REPLAY);
	PAY(v, "a", NOW + 60, HC_REPLAY);
	PAY(v, "b", NOW, HC_OK);
	hc_replay_get_stats(v, &s);
	CU_ASSERT_STRING_EQUAL(s.store, "memory");
	CU_ASSERT_EQUAL(s.entries, 2);
	CU_ASSERT_EQUAL(s.capacity, 100);
	CU_ASSERT_EQUAL(s.recorded, 2);
	CU_ASSERT_EQUAL(s.replays, 2);
	CU_ASSERT_EQUAL(s.failures, 0);
	hc_validator_free(v);
}

static void
test_replay_detail_names_jti(void)
{
	hc_validator *v = validator("memory", 10);
	hc_request *req = hc_request_new();
	char *tok = token("a");
	hc_result *res = NULL;

	hc_request_set_time(req, NOW);
	CU_ASSERT_EQUAL(hc_request_set_route(req, "POST", "/pay"), HC_OK);
	HC_ASSERT_STATUS(hc_validate(v, tok, strlen(tok), req, NULL), HC_OK);
	HC_ASSERT_STATUS(hc_validate(v, tok, strlen(tok), req, &res),
	    HC_REPLAY);
	CU_ASSERT_PTR_NOT_NULL(strstr(hc_result_detail(res), "\"jti-a\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(hc_result_detail(res),
	    "https://one.example"));
	/* The detail never carries token bytes. */
	CU_ASSERT_PTR_NULL(strstr(hc_result_detail(res), "eyJ"));
	hc_result_free(res);
	hc_request_free(req);
	free(tok);
	hc_validator_free(v);
}

static void
test_other_routes_do_not_spend(void)
{
	hc_validator *v = validator("memory", 10);

	expect_at(v, "a", "GET", "/read", NULL, NOW, HC_OK, __LINE__);
	expect_at(v, "a", "GET", "/read", NULL, NOW, HC_OK, __LINE__);
	CU_ASSERT_EQUAL(entries(v), 0);
	PAY(v, "a", NOW, HC_OK);
	/* Routes without one_time_use never look at the store. */
	expect_at(v, "a", "GET", "/read", NULL, NOW, HC_OK, __LINE__);
	hc_validator_free(v);
}

static void
test_jti_required(void)
{
	hc_validator *v = validator("memory", 10);

	PAY(v, "nojti", NOW, HC_CLAIM);
	PAY(v, "emptyjti", NOW, HC_CLAIM);
	PAY(v, "numjti", NOW, HC_MALFORMED);
	/* A jti-less token is fine where one-time use is not asked for. */
	expect_at(v, "nojti", "GET", "/read", NULL, NOW, HC_OK, __LINE__);
	CU_ASSERT_EQUAL(entries(v), 0);
	hc_validator_free(v);
}

static void
test_jti_is_per_issuer(void)
{
	hc_validator *v = validator("memory", 10);

	PAY(v, "a", NOW, HC_OK);
	PAY(v, "two-a", NOW, HC_OK);
	PAY(v, "two-a", NOW, HC_REPLAY);
	CU_ASSERT_EQUAL(entries(v), 2);
	hc_validator_free(v);
}

static void
test_rejection_does_not_spend(void)
{
	hc_validator *v = validator("memory", 10);

	expect_at(v, "tenant", "POST", "/tenant-pay", "globex", NOW,
	    HC_TENANT, __LINE__);
	CU_ASSERT_EQUAL(entries(v), 0);
	expect_at(v, "tenant", "POST", "/tenant-pay", "acme", NOW, HC_OK,
	    __LINE__);
	expect_at(v, "tenant", "POST", "/tenant-pay", "acme", NOW, HC_REPLAY,
	    __LINE__);
	/* An expired token is refused before the store is asked. */
	PAY(v, "b", NOW + 100 + SKEW, HC_EXPIRED);
	CU_ASSERT_EQUAL(entries(v), 1);
	hc_validator_free(v);
}

static void
test_full_store_fails_closed(void)
{
	hc_validator *v = validator("memory", 2);
	hc_replay_stats s;

	PAY(v, "a", NOW, HC_OK);
	PAY(v, "b", NOW, HC_OK);
	PAY(v, "c", NOW, HC_UNAVAILABLE);
	/* A replay is still recognised as one when the store is full. */
	PAY(v, "a", NOW, HC_REPLAY);
	/* a and b are remembered until exp + skew = NOW + 130. */
	PAY(v, "c", NOW + 129, HC_UNAVAILABLE);
	hc_replay_get_stats(v, &s);
	CU_ASSERT_EQUAL(s.failures, 2);
	CU_ASSERT_EQUAL(s.entries, 2);
	hc_validator_free(v);
}

static void
test_expired_entries_evicted(void)
{
	hc_validator *v = validator("memory", 2);

	PAY(v, "a", NOW, HC_OK);
	PAY(v, "b", NOW, HC_OK);
	/* At exp + skew both entries go, and their tokens are expired too. */
	PAY(v, "c", NOW + 130, HC_OK);
	CU_ASSERT_EQUAL(entries(v), 1);
	PAY(v, "d", NOW + 130, HC_OK);
	PAY(v, "e", NOW + 130, HC_UNAVAILABLE);
	PAY(v, "a", NOW + 130, HC_EXPIRED);
	PAY(v, "c", NOW + 500, HC_REPLAY);
	/* c and d live until NOW + 1030. */
	PAY(v, "e", NOW + 1029, HC_UNAVAILABLE);
	CU_ASSERT_EQUAL(entries(v), 2);
	hc_validator_free(v);
}

/*
 * Calls the replay check directly, as layer 3 would for a token of issuer
 * one with this jti and exp, at the request time `now`.
 */
static hc_status
spend(hc_validator *v, const char *jti, int64_t exp, int64_t now)
{
	char text[128];
	hc_json *payload = NULL;
	hc_result res;
	hc_ctx c;
	hc_status st;

	(void)snprintf(text, sizeof(text), "{\"jti\":\"%s\"}", jti);
	CU_ASSERT_EQUAL_FATAL(hc_json_parse(text, strlen(text), &payload, NULL),
	    HC_OK);
	memset(&res, 0, sizeof(res));
	memset(&c, 0, sizeof(c));
	res.issuer = "https://one.example";
	res.exp = exp;
	c.v = v;
	c.pol = v->policy;
	c.ipol = &v->policy->issuers[0];
	c.payload = payload;
	c.res = &res;
	c.now = now;
	st = hc_replay_check(&c, &v->policy->routes[0]);
	hc_json_free(payload);
	return st;
}

/*
 * The store is shared, so no request's clock may age it: a request that
 * claims a time far ahead (POST /v1/validate takes "now") must not purge
 * the jtis other requests spent, or a captured one-time token could be
 * used again at the real time.
 */
static void
test_future_clock_does_not_purge(void)
{
	hc_validator *v = validator("memory", 100);
	int64_t real = (int64_t)time(NULL);

	HC_ASSERT_STATUS(spend(v, "victim", real + 300, real), HC_OK);
	HC_ASSERT_STATUS(spend(v, "victim", real + 300, real), HC_REPLAY);
	/* Another token, at a request time long after the victim's exp. */
	HC_ASSERT_STATUS(spend(v, "other", real + 100000, real + 50000), HC_OK);
	CU_ASSERT_EQUAL(entries(v), 2);
	HC_ASSERT_STATUS(spend(v, "victim", real + 300, real), HC_REPLAY);
	hc_validator_free(v);
}

struct race {
	const hc_validator *v;
	const char *tok;
	hc_status st;
};

static void *
race_one(void *arg)
{
	struct race *r = arg;
	hc_request *req = hc_request_new();

	if (req == NULL) {
		r->st = HC_INTERNAL;
		return NULL;
	}
	if (hc_request_set_route(req, "POST", "/pay") != HC_OK) {
		r->st = HC_INTERNAL;
		hc_request_free(req);
		return NULL;
	}
	hc_request_set_time(req, NOW);
	r->st = hc_validate(r->v, r->tok, strlen(r->tok), req, NULL);
	hc_request_free(req);
	return NULL;
}

static void
test_concurrent_use_admits_one(void)
{
	hc_validator *v = validator("memory", 100);
	struct race r[NTHREADS];
	pthread_t th[NTHREADS];
	char *tok = token("c");
	int ok = 0, replay = 0;

	for (int i = 0; i < NTHREADS; i++) {
		r[i].v = v;
		r[i].tok = tok;
		r[i].st = HC_INTERNAL;
		CU_ASSERT_EQUAL_FATAL(pthread_create(&th[i], NULL, race_one,
		    &r[i]), 0);
	}
	for (int i = 0; i < NTHREADS; i++) {
		pthread_join(th[i], NULL);
		ok += r[i].st == HC_OK;
		replay += r[i].st == HC_REPLAY;
	}
	CU_ASSERT_EQUAL(ok, 1);
	CU_ASSERT_EQUAL(replay, NTHREADS - 1);
	free(tok);
	hc_validator_free(v);
}

/*
 * The SIGHUP race.  hopcheckd builds the new validator, hands the store
 * over, then swaps; a request that started before the swap finishes on
 * the old validator.  When the handover copied the old table into a new
 * one (as it did when replay.max_entries changed), a jti spent on the old
 * validator after the copy was unknown to the new one, and the token
 * could be spent a second time there.  One table for both: whichever
 * validator spends first, the other answers replay.
 */
static void
test_reload_race_one_table(void)
{
	hc_validator *v1 = validator("memory", 10);
	hc_validator *v2 = validator("memory", 20);
	hc_replay_stats s;
	size_t over = 99;

	PAY(v1, "a", NOW, HC_OK);
	HC_ASSERT_STATUS(hc_replay_inherit(v2, v1, &over), HC_OK);
	CU_ASSERT_EQUAL(over, 0);
	/* In flight on the old validator after the handover. */
	PAY(v1, "b", NOW, HC_OK);
	PAY(v2, "b", NOW, HC_REPLAY);
	/* Spent on the new one first: the old one knows too. */
	PAY(v2, "c", NOW, HC_OK);
	PAY(v1, "c", NOW, HC_REPLAY);
	PAY(v2, "a", NOW, HC_REPLAY);
	/* The counters are the table's: they survive the reload. */
	hc_replay_get_stats(v2, &s);
	CU_ASSERT_EQUAL(s.entries, 3);
	CU_ASSERT_EQUAL(s.capacity, 20);
	CU_ASSERT_EQUAL(s.recorded, 3);
	CU_ASSERT_EQUAL(s.replays, 3);
	hc_validator_free(v1);
	/* v2 outlives v1 with the table. */
	PAY(v2, "a", NOW, HC_REPLAY);
	PAY(v2, "d", NOW, HC_OK);
	CU_ASSERT_EQUAL(entries(v2), 4);
	hc_validator_free(v2);
}

/*
 * A reload that lowers replay.max_entries below what is remembered used
 * to drop the entries that did not fit, reopening their tokens.  Now all
 * are kept, the handover says how many are over, and the new validator
 * refuses new spends (fail closed) until enough expire.
 */
static void
test_reload_shrink_keeps_all(void)
{
	hc_validator *v1 = validator("memory", 10);
	hc_validator *v2 = validator("memory", 2);
	hc_request *req = hc_request_new();
	hc_result *res = NULL;
	hc_replay_stats s;
	char *tok = token("d");
	size_t over = 0;

	PAY(v1, "a", NOW, HC_OK);
	PAY(v1, "b", NOW, HC_OK);
	PAY(v1, "c", NOW, HC_OK);
	HC_ASSERT_STATUS(hc_replay_inherit(v2, v1, &over), HC_OK);
	CU_ASSERT_EQUAL(over, 1);
	hc_validator_free(v1);
	hc_replay_get_stats(v2, &s);
	CU_ASSERT_EQUAL(s.entries, 3);
	CU_ASSERT_EQUAL(s.capacity, 2);
	/* Every jti stays spent, even those beyond the new capacity. */
	PAY(v2, "a", NOW, HC_REPLAY);
	PAY(v2, "b", NOW, HC_REPLAY);
	PAY(v2, "c", NOW, HC_REPLAY);
	/* Nothing new until enough expire; the detail says why. */
	CU_ASSERT_EQUAL_FATAL(hc_request_set_route(req, "POST", "/pay"), HC_OK);
	hc_request_set_time(req, NOW);
	HC_ASSERT_STATUS(hc_validate(v2, tok, strlen(tok), req, &res),
	    HC_UNAVAILABLE);
	CU_ASSERT_PTR_NOT_NULL(strstr(hc_result_detail(res),
	    "since a reload lowered it"));
	hc_result_free(res);
	/* a and b go at NOW + 130 (c, d and e live until NOW + 1030). */
	PAY(v2, "d", NOW + 129, HC_UNAVAILABLE);
	PAY(v2, "d", NOW + 130, HC_OK);
	PAY(v2, "e", NOW + 130, HC_UNAVAILABLE);
	PAY(v2, "c", NOW + 130, HC_REPLAY);
	hc_replay_get_stats(v2, &s);
	CU_ASSERT_EQUAL(s.entries, 2);
	CU_ASSERT_EQUAL(s.recorded, 4);
	CU_ASSERT_EQUAL(s.failures, 3);
	hc_request_free(req);
	free(tok);
	hc_validator_free(v2);
}

/*
 * Threads presenting one token, half on the old validator and half on
 * the new, while the handover happens: exactly one is admitted.
 */
static void
test_reload_threads_admit_one(void)
{
	hc_validator *v1 = validator("memory", 100);
	hc_validator *v2 = validator("memory", 50);
	struct race r[NTHREADS];
	pthread_t th[NTHREADS];
	char *tok = token("e");
	int ok = 0, replay = 0;

	for (int i = 0; i < NTHREADS / 2; i++) {
		r[i] = (struct race){ .v = v1, .tok = tok, .st = HC_INTERNAL };
		CU_ASSERT_EQUAL_FATAL(pthread_create(&th[i], NULL, race_one,
		    &r[i]), 0);
	}
	HC_ASSERT_STATUS(hc_replay_inherit(v2, v1, NULL), HC_OK);
	for (int i = NTHREADS / 2; i < NTHREADS; i++) {
		r[i] = (struct race){ .v = v2, .tok = tok, .st = HC_INTERNAL };
		CU_ASSERT_EQUAL_FATAL(pthread_create(&th[i], NULL, race_one,
		    &r[i]), 0);
	}
	for (int i = 0; i < NTHREADS; i++) {
		pthread_join(th[i], NULL);
		ok += r[i].st == HC_OK;
		replay += r[i].st == HC_REPLAY;
	}
	CU_ASSERT_EQUAL(ok, 1);
	CU_ASSERT_EQUAL(replay, NTHREADS - 1);
	hc_validator_free(v1);
	CU_ASSERT_EQUAL(entries(v2), 1);
	free(tok);
	hc_validator_free(v2);
}

/* ----------------------------------------------------------- Redis store */

static pid_t redis_pid = -1;
static int redis_port;

/* A loopback port that was free a moment ago. */
static int
free_port(void)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM, 0), port = 0;

	if (fd < 0)
		return 0;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&sa, &len) == 0)
		port = ntohs(sa.sin_port);
	close(fd);
	return port;
}

static void
sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* A direct connection to the test server, or NULL. */
static redisContext *
redis_direct(void)
{
	struct timeval tv = { 0, 200000 };
	redisContext *c = redisConnectWithTimeout("127.0.0.1", redis_port, tv);

	if (c != NULL && c->err) {
		redisFree(c);
		c = NULL;
	}
	return c;
}

/*
 * Starts redis-server on `port` (0: a free one) and waits (at most 5 s)
 * until it answers PING.
 */
static int
redis_start_on(int port_number)
{
	char port[16];

	if ((redis_port = port_number != 0 ? port_number : free_port()) == 0)
		return -1;
	(void)snprintf(port, sizeof(port), "%d", redis_port);
	if ((redis_pid = fork()) < 0)
		return -1;
	if (redis_pid == 0) {
		FILE *null = freopen("/dev/null", "w", stdout);
		(void)null;
		execlp("redis-server", "redis-server", "--port", port, "--bind",
		    "127.0.0.1", "--save", "", "--appendonly", "no",
		    "--daemonize", "no", (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 50; i++) {
		redisContext *c = redis_direct();
		if (c != NULL) {
			redisReply *r = redisCommand(c, "PING");
			int up = r != NULL && r->type == REDIS_REPLY_STATUS;
			freeReplyObject(r);
			redisFree(c);
			if (up)
				return 0;
		}
		if (waitpid(redis_pid, NULL, WNOHANG) == redis_pid) {
			redis_pid = -1;
			return -1;
		}
		sleep_ms(100);
	}
	return -1;
}

static int
redis_start(void)
{
	return redis_start_on(0);
}

/* A server of our own, up and empty. */
static void
redis_fresh(void)
{
	redisContext *c;
	redisReply *r;

	if (redis_pid <= 0)
		CU_ASSERT_EQUAL_FATAL(redis_start(), 0);
	c = redis_direct();
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	r = redisCommand(c, "FLUSHALL");
	CU_ASSERT_PTR_NOT_NULL(r);
	freeReplyObject(r);
	redisFree(c);
}

/* The number of keys matching `pattern` in db 0. */
static size_t
redis_count(const char *pattern)
{
	redisContext *c = redis_direct();
	redisReply *r;
	size_t n = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	r = redisCommand(c, "KEYS %s", pattern);
	CU_ASSERT_PTR_NOT_NULL(r);
	if (r != NULL && r->type == REDIS_REPLY_ARRAY)
		n = r->elements;
	freeReplyObject(r);
	redisFree(c);
	return n;
}

/* Stops the server: SIGTERM, at most 5 s, then SIGKILL. */
static void
redis_stop(void)
{
	if (redis_pid <= 0)
		return;
	kill(redis_pid, SIGTERM);
	for (int i = 0; i < 50; i++) {
		if (waitpid(redis_pid, NULL, WNOHANG) == redis_pid) {
			redis_pid = -1;
			return;
		}
		sleep_ms(100);
	}
	kill(redis_pid, SIGKILL);
	(void)waitpid(redis_pid, NULL, 0);
	redis_pid = -1;
}

static void
redis_url(char *buf, size_t n, int port, int db)
{
	(void)snprintf(buf, n, "redis://127.0.0.1:%d/%d", port, db);
}

static void
test_redis_store(void)
{
	char url[64];
	hc_validator *v, *w;
	redisContext *c;
	redisReply *r;
	hc_replay_stats s;

	CU_ASSERT_EQUAL_FATAL(redis_start(), 0);
	redis_url(url, sizeof(url), redis_port, 0);
	v = validator(url, 1);
	w = validator(url, 1);
	PAY(v, "a", NOW, HC_OK);
	PAY(v, "a", NOW, HC_REPLAY);
	/* A second validator (another daemon) shares what the server holds. */
	PAY(w, "a", NOW, HC_REPLAY);
	PAY(w, "two-a", NOW, HC_OK);
	PAY(v, "nojti", NOW, HC_CLAIM);
	/* replay.max_entries bounds the memory store only. */
	PAY(v, "b", NOW, HC_OK);
	hc_replay_get_stats(v, &s);
	CU_ASSERT_STRING_EQUAL(s.store, "redis");
	CU_ASSERT_EQUAL(s.recorded, 2);
	CU_ASSERT_EQUAL(s.replays, 1);

	/* Three keys in db 0, each living until exp + skew. */
	c = redis_direct();
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	r = redisCommand(c, "KEYS hopcheck:jti:*");
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_EQUAL(r->type, REDIS_REPLY_ARRAY);
	CU_ASSERT_EQUAL(r->elements, 3);
	if (r->type == REDIS_REPLY_ARRAY && r->elements > 0) {
		redisReply *t = redisCommand(c, "TTL %s", r->element[0]->str);
		CU_ASSERT_EQUAL(strlen(r->element[0]->str),
		    strlen("hopcheck:jti:") + 64);
		CU_ASSERT_PTR_NOT_NULL(t);
		if (t != NULL) {
			CU_ASSERT_EQUAL(t->type, REDIS_REPLY_INTEGER);
			CU_ASSERT(t->integer > 100 && t->integer <= 100 + SKEW);
			freeReplyObject(t);
		}
	}
	freeReplyObject(r);
	redisFree(c);
	hc_validator_free(w);

	/* Another database is another store. */
	redis_url(url, sizeof(url), redis_port, 3);
	w = validator(url, 1);
	PAY(w, "a", NOW, HC_OK);
	hc_validator_free(w);

	/* The server goes away: fail closed, now and on the next try. */
	redis_stop();
	PAY(v, "c", NOW, HC_UNAVAILABLE);
	PAY(v, "d", NOW, HC_UNAVAILABLE);
	PAY(v, "a", NOW, HC_UNAVAILABLE);
	hc_replay_get_stats(v, &s);
	CU_ASSERT_EQUAL(s.failures, 3);
	hc_validator_free(v);
}

static void
test_redis_never_up(void)
{
	char url[64];
	hc_validator *v;
	int port = free_port();

	CU_ASSERT_FATAL(port != 0);
	redis_url(url, sizeof(url), port, 0);
	v = validator(url, 1);
	PAY(v, "a", NOW, HC_UNAVAILABLE);
	PAY(v, "a", NOW, HC_UNAVAILABLE);
	/* Refused before the store: no jti, no connection needed. */
	PAY(v, "nojti", NOW, HC_CLAIM);
	hc_validator_free(v);
}

static void
test_redis_url_rules(void)
{
	static const char *const bad[] = {
		"redis://10.0.0.1:6379/0",          /* not loopback */
		"redis://example.org/0",
		"redis://127.0.0.1:0/0",            /* port range */
		"redis://127.0.0.1:65536/0",
		"redis://127.0.0.1:6379/x",         /* database */
		"redis://127.0.0.1:6379/123456",
		"redis://user@127.0.0.1:6379/0",    /* userinfo without ':' */
		"redis://[::1/0",
		"redis://127.0.0.01:6379",          /* leading zero */
		"redis://128.0.0.1",
		"redis://[127.0.0.1]:6379",         /* v4 in brackets */
		"redis://127.1:6379",               /* short form */
		"redis://localhost.:6379",
		"redis://[::2]:6379",
		NULL
	};
	static const char *const good[] = {
		"redis://127.0.0.1", "redis://localhost:6380/2",
		"redis://[::1]:6379/0", "redis://:secret@127.0.0.1:6379/0",
		"redis://app:secret@127.0.0.2/1",
		"redis://LOCALHOST:6379/0",         /* the one rule: any case */
		"redis://LocalHost", NULL
	};
	/* Any host once replay.allow_network is set; the rest still holds. */
	static const char *const network[] = {
		"redis://10.0.0.1:6379/0", "redis://example.org/0",
		"redis://:secret@redis.internal:6380/2",
		"redis://app:secret@[fd00::7]:6379/1", NULL
	};
	static const char *const network_bad[] = {
		"redis://10.0.0.1:0/0", "redis://example.org/x",
		"redis://user@10.0.0.1:6379/0", "redis://[fd00::7/0", NULL
	};
	char conf[1024];

	for (int i = 0; bad[i] != NULL; i++) {
		hc_validator *v = NULL;
		char *errors = NULL;
		(void)snprintf(conf, sizeof(conf),
		    "{\"service\":{\"audiences\":[\"a\"]},\"issuers\":[{\"issuer\":"
		    "\"https://one.example\",\"jwks_file\":\"one.jwks.json\","
		    "\"algorithms\":[\"ES256\"]}],\"replay\":{\"store\":\"%s\"}}",
		    bad[i]);
		HC_ASSERT_STATUS(hc_validator_new_from_json(conf, strlen(conf),
		    DATA, &v, &errors), HC_CONFIG);
		CU_ASSERT_PTR_NULL(v);
		CU_ASSERT_PTR_NOT_NULL(errors);
		if (errors != NULL) {
			CU_ASSERT_PTR_NOT_NULL(strstr(errors, "replay"));
			/* Credentials are never echoed. */
			CU_ASSERT_PTR_NULL(strstr(errors, "secret"));
		}
		/* A host off loopback: the error names the key that allows it. */
		if (errors != NULL && i < 2)
			CU_ASSERT_PTR_NOT_NULL(strstr(errors,
			    "replay.allow_network"));
		hc_string_free(errors);
	}
	for (int i = 0; network[i] != NULL || network_bad[i] != NULL; i++) {
		for (int bad_url = 0; bad_url < 2; bad_url++) {
			const char *url = bad_url ? network_bad[i] : network[i];
			hc_validator *v = NULL;
			char *errors = NULL;
			if (url == NULL)
				continue;
			(void)snprintf(conf, sizeof(conf),
			    "{\"service\":{\"audiences\":[\"a\"]},\"issuers\":"
			    "[{\"issuer\":\"https://one.example\",\"jwks_file\":"
			    "\"one.jwks.json\",\"algorithms\":[\"ES256\"]}],"
			    "\"replay\":{\"store\":\"%s\",\"allow_network\":"
			    "true}}", url);
			HC_ASSERT_STATUS(hc_validator_new_from_json(conf,
			    strlen(conf), DATA, &v, &errors), bad_url ?
			    HC_CONFIG : HC_OK);
			if (errors != NULL)
				CU_ASSERT_PTR_NULL(strstr(errors, "secret"));
			hc_string_free(errors);
			hc_validator_free(v);
		}
	}
	for (int i = 0; good[i] != NULL; i++) {
		hc_validator *v = NULL;
		char *errors = NULL;
		(void)snprintf(conf, sizeof(conf),
		    "{\"service\":{\"audiences\":[\"a\"]},\"issuers\":[{\"issuer\":"
		    "\"https://one.example\",\"jwks_file\":\"one.jwks.json\","
		    "\"algorithms\":[\"ES256\"]}],\"replay\":{\"store\":\"%s\"}}",
		    good[i]);
		HC_ASSERT_STATUS(hc_validator_new_from_json(conf, strlen(conf),
		    DATA, &v, &errors), HC_OK);
		hc_string_free(errors);
		hc_validator_free(v);
	}
}

/*
 * replay.namespace: services that share one server but not their tokens
 * each take a namespace.  No namespace keeps the key names of every
 * release before it (hopcheck:jti:<hex>), so that an upgrade forgets no
 * spent jti; a namespace goes between the prefix and the kind.
 */
static void
test_redis_namespace(void)
{
	char url[64];
	hc_validator *plain, *na, *na2, *nb;

	redis_fresh();
	redis_url(url, sizeof(url), redis_port, 0);
	plain = validator(url, 1);
	na = validator_more(url, 1, ", \"namespace\": \"pay.prod-1\"");
	na2 = validator_more(url, 1, ", \"namespace\": \"pay.prod-1\", "
	    "\"pool_size\": 1");
	nb = validator_more(url, 1, ", \"namespace\": \"pay_B\"");
	PAY(plain, "a", NOW, HC_OK);
	PAY(na, "a", NOW, HC_OK);
	PAY(nb, "a", NOW, HC_OK);
	PAY(plain, "a", NOW, HC_REPLAY);
	PAY(na2, "a", NOW, HC_REPLAY);
	PAY(nb, "a", NOW, HC_REPLAY);
	CU_ASSERT_EQUAL(redis_count("hopcheck:jti:*"), 1);
	CU_ASSERT_EQUAL(redis_count("hopcheck:pay.prod-1:jti:*"), 1);
	CU_ASSERT_EQUAL(redis_count("hopcheck:pay_B:jti:*"), 1);
	CU_ASSERT_EQUAL(redis_count("*"), 3);
	hc_validator_free(plain);
	hc_validator_free(na);
	hc_validator_free(na2);
	hc_validator_free(nb);
}

/*
 * AUTH with the password of the URL; a wrong one fails closed, and the
 * detail never carries it.
 */
static void
test_redis_auth(void)
{
	char url[128];
	hc_validator *good, *bad;
	hc_request *req = hc_request_new();
	hc_result *res = NULL;
	char *tok = token("b");
	redisContext *c;
	redisReply *r;

	redis_fresh();
	c = redis_direct();
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	r = redisCommand(c, "CONFIG SET requirepass s3cret-pw");
	CU_ASSERT(r != NULL && r->type == REDIS_REPLY_STATUS);
	freeReplyObject(r);
	(void)snprintf(url, sizeof(url), "redis://:s3cret-pw@127.0.0.1:%d/0",
	    redis_port);
	good = validator_more(url, 1, ", \"pool_size\": 2");
	(void)snprintf(url, sizeof(url), "redis://:wrong-pw@127.0.0.1:%d/0",
	    redis_port);
	bad = validator_more(url, 1, ", \"pool_size\": 2");
	PAY(good, "a", NOW, HC_OK);
	PAY(good, "a", NOW, HC_REPLAY);
	CU_ASSERT_EQUAL_FATAL(hc_request_set_route(req, "POST", "/pay"), HC_OK);
	hc_request_set_time(req, NOW);
	HC_ASSERT_STATUS(hc_validate(bad, tok, strlen(tok), req, &res),
	    HC_UNAVAILABLE);
	CU_ASSERT_PTR_NOT_NULL(strstr(hc_result_detail(res), "authenticate"));
	CU_ASSERT_PTR_NULL(strstr(hc_result_detail(res), "wrong-pw"));
	hc_result_free(res);
	/* Nothing was spent: the right password still admits b once. */
	PAY(good, "b", NOW, HC_OK);
	r = redisCommand(c, "AUTH s3cret-pw");
	freeReplyObject(r);
	r = redisCommand(c, "CONFIG SET requirepass %s", "");
	CU_ASSERT(r != NULL && r->type == REDIS_REPLY_STATUS);
	freeReplyObject(r);
	redisFree(c);
	hc_request_free(req);
	free(tok);
	hc_validator_free(good);
	hc_validator_free(bad);
}

/*
 * The server restarts while the pool's connections sit idle: the next
 * spend finds its connection closed, reopens it and succeeds; while the
 * server is down, spends fail closed, and once it is back (after the
 * back-off) they work again.
 */
static void
test_redis_restart(void)
{
	char url[64];
	hc_validator *v;
	int port;

	redis_fresh();
	port = redis_port;
	redis_url(url, sizeof(url), port, 0);
	v = validator_more(url, 1, ", \"pool_size\": 2");
	PAY(v, "a", NOW, HC_OK);
	redis_stop();
	CU_ASSERT_EQUAL_FATAL(redis_start_on(port), 0);
	PAY(v, "b", NOW, HC_OK);
	redis_stop();
	PAY(v, "c", NOW, HC_UNAVAILABLE);
	PAY(v, "c", NOW, HC_UNAVAILABLE);
	CU_ASSERT_EQUAL_FATAL(redis_start_on(port), 0);
	sleep_ms(HC_REPLAY_REDIS_BACKOFF_MS + 100);
	PAY(v, "c", NOW, HC_OK);
	PAY(v, "c", NOW, HC_REPLAY);
	hc_validator_free(v);
}

struct spender {
	const hc_validator *v;
	char *tok[5];            /* a .. e */
	hc_status st[5];
};

static void *
spend_all(void *arg)
{
	struct spender *sp = arg;
	hc_request *req = hc_request_new();

	for (int i = 0; i < 5; i++)
		sp->st[i] = HC_INTERNAL;
	if (req == NULL || hc_request_set_route(req, "POST", "/pay") != HC_OK) {
		hc_request_free(req);
		return NULL;
	}
	hc_request_set_time(req, NOW);
	for (int i = 0; i < 5; i++)
		sp->st[i] = hc_validate(sp->v, sp->tok[i], strlen(sp->tok[i]),
		    req, NULL);
	hc_request_free(req);
	return NULL;
}

/*
 * More threads than connections, on two validators (two daemons) of one
 * server: every token is admitted exactly once, nobody waits past the
 * pool's bound, and ThreadSanitizer sees the hand-offs of the pool.
 */
static void
test_redis_pool_threads(void)
{
	static const char *const names[5] = { "a", "b", "c", "d", "e" };
	struct spender sp[NTHREADS];
	pthread_t th[NTHREADS];
	hc_validator *v, *w;
	hc_replay_stats s1, s2;
	char url[64];
	char *tok[5];

	redis_fresh();
	redis_url(url, sizeof(url), redis_port, 0);
	v = validator_more(url, 1, ", \"pool_size\": 2");
	w = validator_more(url, 1, ", \"pool_size\": 1");
	for (int i = 0; i < 5; i++)
		CU_ASSERT_PTR_NOT_NULL_FATAL(tok[i] = token(names[i]));
	for (int t = 0; t < NTHREADS; t++) {
		sp[t].v = t % 2 ? w : v;
		memcpy(sp[t].tok, tok, sizeof(tok));
		CU_ASSERT_EQUAL_FATAL(pthread_create(&th[t], NULL, spend_all,
		    &sp[t]), 0);
	}
	for (int t = 0; t < NTHREADS; t++)
		pthread_join(th[t], NULL);
	for (int i = 0; i < 5; i++) {
		int ok = 0, replay = 0;
		for (int t = 0; t < NTHREADS; t++) {
			ok += sp[t].st[i] == HC_OK;
			replay += sp[t].st[i] == HC_REPLAY;
		}
		CU_ASSERT_EQUAL(ok, 1);
		CU_ASSERT_EQUAL(replay, NTHREADS - 1);
	}
	hc_replay_get_stats(v, &s1);
	hc_replay_get_stats(w, &s2);
	CU_ASSERT_EQUAL(s1.recorded + s2.recorded, 5);
	CU_ASSERT_EQUAL(s1.replays + s2.replays, 5 * (NTHREADS - 1));
	CU_ASSERT_EQUAL(s1.failures + s2.failures, 0);
	for (int i = 0; i < 5; i++)
		free(tok[i]);
	hc_validator_free(v);
	hc_validator_free(w);
}

/* The replay keys that are not the store URL: each value checked. */
static void
test_replay_options_rules(void)
{
	static const struct {
		const char *replay;  /* members of the replay section */
		hc_status want;
		const char *fragment;  /* in the errors when HC_CONFIG */
	} cases[] = {
		{ "\"namespace\": \"\"", HC_OK, NULL },  /* the default */
		{ "\"namespace\": \"a\"", HC_OK, NULL },
		{ "\"namespace\": \"A-z_0.9\"", HC_OK, NULL },
		{ "\"namespace\": \"a:b\"", HC_CONFIG, "replay.namespace" },
		{ "\"namespace\": \"a b\"", HC_CONFIG, "replay.namespace" },
		{ "\"namespace\": \"a*\"", HC_CONFIG, "replay.namespace" },
		{ "\"namespace\": \"x123456789x123456789x123456789x123456789"
		  "x123456789x123456789xyz4\"", HC_OK, NULL },  /* 64 */
		{ "\"namespace\": \"x123456789x123456789x123456789x123456789"
		  "x123456789x123456789xyz45\"", HC_CONFIG, "replay.namespace" },
		{ "\"namespace\": 7", HC_CONFIG, "replay.namespace" },
		{ "\"pool_size\": 1", HC_OK, NULL },
		{ "\"pool_size\": 64", HC_OK, NULL },
		{ "\"pool_size\": 0", HC_CONFIG, "replay.pool_size" },
		{ "\"pool_size\": 65", HC_CONFIG, "replay.pool_size" },
		{ "\"pool_size\": 2.5", HC_CONFIG, "replay.pool_size" },
		{ "\"allow_network\": \"yes\"", HC_CONFIG, "replay.allow_network" },
		{ "\"allow_network\": false", HC_OK, NULL },
		{ "\"pools\": 2", HC_CONFIG, "unknown key \"pools\"" },
	};
	char conf[1024];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		hc_validator *v = NULL;
		char *errors = NULL;
		(void)snprintf(conf, sizeof(conf),
		    "{\"service\":{\"audiences\":[\"a\"]},\"issuers\":[{\"issuer\":"
		    "\"https://one.example\",\"jwks_file\":\"one.jwks.json\","
		    "\"algorithms\":[\"ES256\"]}],\"replay\":{\"store\":"
		    "\"redis://127.0.0.1:6379/0\",%s}}", cases[i].replay);
		HC_ASSERT_STATUS(hc_validator_new_from_json(conf, strlen(conf),
		    DATA, &v, &errors), cases[i].want);
		if (cases[i].fragment != NULL) {
			CU_ASSERT_PTR_NOT_NULL(errors);
			if (errors != NULL && strstr(errors, cases[i].fragment) ==
			    NULL)
				fprintf(stderr, "\ncase %zu: %s\n", i, errors);
			CU_ASSERT(errors != NULL && strstr(errors,
			    cases[i].fragment) != NULL);
		}
		hc_string_free(errors);
		hc_validator_free(v);
	}
}

/*
 * The memory store through its interface, as a future record kind would
 * use it: equal key bytes in two namespaces are two keys, a spent key is
 * HC_REPLAY until its time passes, and a full store fails closed.
 */
static void
test_store_interface(void)
{
	const hc_replay_store_ops *ops = &hc_replay_store_memory;
	const hc_replay_options o = { .spec = "memory", .max_entries = 2,
	    .pool_size = 1 };
	hc_replay_spend sp = { .ns = "jti", .key = (const unsigned char *)"k",
	    .klen = 1, .now = NOW, .expires = NOW + 60, .ttl = 60 };
	hc_replay_store *s = NULL;
	hc_replay_stats st;
	hc_detail d;

	HC_ASSERT_STATUS(ops->open(&o, &s, &d), HC_OK);
	CU_ASSERT_PTR_EQUAL_FATAL(s->ops, ops);
	HC_ASSERT_STATUS(ops->spend(s, &sp, &d), HC_OK);
	HC_ASSERT_STATUS(ops->spend(s, &sp, &d), HC_REPLAY);
	sp.ns = "dpop";
	HC_ASSERT_STATUS(ops->spend(s, &sp, &d), HC_OK);
	sp.key = (const unsigned char *)"other";
	sp.klen = 5;
	HC_ASSERT_STATUS(ops->spend(s, &sp, &d), HC_UNAVAILABLE);
	CU_ASSERT_PTR_NOT_NULL(strstr(d.text, "forgetting a dpop"));
	memset(&st, 0, sizeof(st));
	ops->stats(s, &st);
	CU_ASSERT_EQUAL(st.entries, 2);
	CU_ASSERT_EQUAL(st.capacity, 2);
	CU_ASSERT_EQUAL(st.recorded, 2);
	CU_ASSERT_EQUAL(st.replays, 1);
	CU_ASSERT_EQUAL(st.failures, 1);
	/* Once its time has passed, a key is forgotten and room is made. */
	sp.now = NOW + 60;
	sp.expires = NOW + 120;
	HC_ASSERT_STATUS(ops->spend(s, &sp, &d), HC_OK);
	ops->stats(s, &st);
	CU_ASSERT_EQUAL(st.entries, 1);
	ops->close(s);
}

static const hc_test memory_tests[] = {
	{ "first use ok, second replay", test_first_ok_then_replay },
	{ "replay detail names jti and issuer", test_replay_detail_names_jti },
	{ "routes without one_time_use do not spend", test_other_routes_do_not_spend },
	{ "jti required, string, non-empty", test_jti_required },
	{ "jti is per issuer", test_jti_is_per_issuer },
	{ "a rejected token keeps its jti", test_rejection_does_not_spend },
	{ "full store fails closed", test_full_store_fails_closed },
	{ "expired entries are evicted", test_expired_entries_evicted },
	{ "a future request clock purges nothing",
	    test_future_clock_does_not_purge },
	{ "concurrent presentations admit one", test_concurrent_use_admits_one },
	{ "reload: one table for old and new validators",
	    test_reload_race_one_table },
	{ "reload: a lower capacity keeps every entry",
	    test_reload_shrink_keeps_all },
	{ "reload: threads on both generations admit one",
	    test_reload_threads_admit_one },
	{ "memory store interface, namespaces", test_store_interface },
	{ NULL, NULL }
};

static const hc_test redis_tests[] = {
	{ "redis-server store", test_redis_store },
	{ "redis down from the start", test_redis_never_up },
	{ "redis URL rules, allow_network", test_redis_url_rules },
	{ "replay.namespace keeps stores apart", test_redis_namespace },
	{ "AUTH: a wrong password fails closed", test_redis_auth },
	{ "the pool reconnects after a restart", test_redis_restart },
	{ "threads over a pool admit each token once",
	    test_redis_pool_threads },
	{ "replay.namespace, pool_size, allow_network rules",
	    test_replay_options_rules },
	{ NULL, NULL }
};

static const hc_suite suites[] = {
	{ "replay-memory", memory_tests },
	{ "replay-redis", redis_tests },
	{ NULL, NULL }
};

int
main(void)
{
	int rc;

	/* hiredis writes with write(2); a closed server must not kill us. */
	signal(SIGPIPE, SIG_IGN);
	rc = hc_test_main(suites);
	redis_stop();
	return rc;
}
