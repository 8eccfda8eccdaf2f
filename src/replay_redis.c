/* SPDX-License-Identifier: Apache-2.0 */
/*
 * replay_redis.c - the Redis replay store, the only file that sees
 * hiredis.
 *
 * "redis://[[user]:password@]host[:port][/db]", loopback hosts only: a
 * key is spent with SET hopcheck:<ns>:<hex> 1 NX EX <ttl>, with connect
 * and command timeouts.  <hex> is the plain SHA-256 of the key, not a
 * keyed hash: every daemon sharing the server must compute the same name,
 * and a random key per process would defeat that.  This is acceptable
 * because Redis hashes its keys with its own randomly seeded SipHash, and
 * SHA-256 keeps distinct keys apart.  The TTL is the relative one the
 * policy computed (hc_replay_spend.ttl) rather than an absolute EXAT, so
 * that a Redis host whose clock is off gets the same lifetime the memory
 * store would give.  Any failure to reach the server, or an error reply,
 * is HC_UNAVAILABLE; after a failed connect no new attempt is made for
 * HC_REPLAY_REDIS_BACKOFF_MS.
 *
 * One connection per store, guarded by one mutex, reopened after a
 * failure; any number of threads may spend at once.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include <hiredis/hiredis.h>

#include "crypto.h"
#include "replay.h"
#include "url.h"

#define REDIS_KEY_PREFIX "hopcheck:"
#define REDIS_DEFAULT_PORT 6379
/* The longest namespace a key name carries ("jti", "dpop", ...). */
#define REDIS_NS_MAX 32

/* ------------------------------------------------------------------ types */

/*
 * The Redis store: one connection, reopened after a failure.  Invariants:
 * host, port, db, user and password are fixed once opened; ctx,
 * retry_at_ms and the counters change only under `lock`.
 */
struct redis_store {
	hc_replay_store base;    /* first: all the policy sees */
	pthread_mutex_t lock;
	char host[HC_REPLAY_REDIS_HOST_MAX + 1];  /* without brackets */
	int port;
	long db;
	char *user;              /* NULL: AUTH with the password alone */
	char *password;          /* NULL: no AUTH; wiped when freed */
	redisContext *ctx;       /* NULL when not connected */
	int64_t retry_at_ms;     /* monotonic: no reconnect before this */
	uint64_t recorded, replays, failures;
};

/* ---------------------------------------------------------------- private */

static struct redis_store *
redis_store_of(hc_replay_store *s)
{
	return (struct redis_store *)(void *)s;
}

static int64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static struct timeval
ms_timeval(int ms)
{
	struct timeval tv;

	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	return tv;
}

/* Parses a decimal number of at most `maxdig` digits into *out. */
static bool
parse_dec(const char *s, size_t n, size_t maxdig, long *out)
{
	long v = 0;

	if (n == 0 || n > maxdig)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

/* Copies n bytes of s into a new string; NULL when out of memory. */
static char *
dup_n(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	if (p != NULL) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

/*
 * Parses "redis://[[user]:password@]host[:port][/db]".  The host must be
 * a loopback host: the store is trusted with one-time-use decisions and
 * spoken to without TLS.  Details never quote the userinfo.
 */
static hc_status
redis_parse(const char *url, struct redis_store *r, hc_detail *d)
{
	char q[HC_QBUF];
	const char *s = url + 8, *at, *end, *hs, *he, *ps = NULL;
	size_t hlen;
	long v;

	if (strncmp(url, "redis://", 8) != 0)
		return hc_fail(d, HC_CONFIG, "replay.store: expected \"memory\" "
		    "or a redis:// URL");
	end = s + strcspn(s, "/");
	if ((at = memchr(s, '@', (size_t)(end - s))) != NULL) {
		const char *colon = memchr(s, ':', (size_t)(at - s));
		if (colon == NULL)
			return hc_fail(d, HC_CONFIG, "replay.store: the userinfo of "
			    "a redis:// URL is [user]:password");
		if (colon > s && (r->user = dup_n(s, (size_t)(colon - s))) ==
		    NULL)
			return hc_fail(d, HC_INTERNAL, "out of memory");
		if (at > colon + 1 && (r->password = dup_n(colon + 1,
		    (size_t)(at - colon - 1))) == NULL)
			return hc_fail(d, HC_INTERNAL, "out of memory");
		if (r->password == NULL)
			return hc_fail(d, HC_CONFIG, "replay.store: the redis:// URL "
			    "has a user but an empty password");
		s = at + 1;
	}
	if (*s == '[') {
		hs = s + 1;
		if ((he = memchr(hs, ']', (size_t)(end - hs))) == NULL)
			return hc_fail(d, HC_CONFIG, "replay.store: unterminated "
			    "[ in the redis:// host");
		if (he + 1 < end && he[1] == ':')
			ps = he + 2;
		else if (he + 1 != end)
			return hc_fail(d, HC_CONFIG, "replay.store: unexpected "
			    "bytes after the redis:// host");
	} else {
		hs = s;
		he = memchr(s, ':', (size_t)(end - s));
		if (he != NULL)
			ps = he + 1;
		else
			he = end;
	}
	hlen = (size_t)(he - hs);
	if (hlen == 0 || hlen > HC_REPLAY_REDIS_HOST_MAX)
		return hc_fail(d, HC_CONFIG, "replay.store: the redis:// URL needs "
		    "a host of at most %d bytes", HC_REPLAY_REDIS_HOST_MAX);
	memcpy(r->host, hs, hlen);
	r->host[hlen] = '\0';
	/* The host as written, brackets included: "[127.0.0.1]" is not one. */
	if (!hc_host_is_loopback(s, (size_t)(he - s) + (*s == '[' ? 1 : 0)))
		return hc_fail(d, HC_CONFIG, "replay.store: the Redis host must "
		    "be a loopback host (127.x.x.x, localhost or [::1]), got %s",
		    hc_quote(q, sizeof(q), r->host));
	r->port = REDIS_DEFAULT_PORT;
	if (ps != NULL) {
		if (!parse_dec(ps, (size_t)(end - ps), 5, &v) || v < 1 ||
		    v > 65535)
			return hc_fail(d, HC_CONFIG, "replay.store: the redis:// "
			    "port must be 1..65535");
		r->port = (int)v;
	}
	r->db = 0;
	if (*end == '/' && end[1] != '\0') {
		if (!parse_dec(end + 1, strlen(end + 1), 4, &v) ||
		    v > HC_REPLAY_REDIS_MAX_DB)
			return hc_fail(d, HC_CONFIG, "replay.store: the redis:// "
			    "database must be a number 0..%d", HC_REPLAY_REDIS_MAX_DB);
		r->db = v;
	}
	return HC_OK;
}

/* True when a reply is the simple status "OK". */
static bool
reply_ok(const redisReply *rep)
{
	return rep != NULL && rep->type == REDIS_REPLY_STATUS &&
	    rep->str != NULL && strcmp(rep->str, "OK") == 0;
}

/*
 * Connects, authenticates and selects the database, under r->lock.  After
 * a failure, no new attempt is made for HC_REPLAY_REDIS_BACKOFF_MS, so
 * that a dead server costs requests one timeout per period, not each one.
 */
static hc_status
redis_connect(struct redis_store *r, hc_detail *d)
{
	redisReply *rep = NULL;
	const char *what = "connect";
	char q[HC_QBUF];

	if (r->ctx != NULL)
		return HC_OK;
	if (mono_ms() < r->retry_at_ms)
		return hc_fail(d, HC_UNAVAILABLE, "replay store at %s:%d is down "
		    "(waiting before the next attempt)", r->host, r->port);
	r->ctx = redisConnectWithTimeout(r->host, r->port,
	    ms_timeval(HC_REPLAY_REDIS_CONNECT_MS));
	if (r->ctx == NULL || r->ctx->err)
		goto fail;
	what = "set a timeout on";
	if (redisSetTimeout(r->ctx, ms_timeval(HC_REPLAY_REDIS_COMMAND_MS)) !=
	    REDIS_OK)
		goto fail;
	if (r->password != NULL) {
		what = "authenticate to";
		if (r->user != NULL)
			rep = redisCommand(r->ctx, "AUTH %s %s", r->user,
			    r->password);
		else
			rep = redisCommand(r->ctx, "AUTH %s", r->password);
		if (!reply_ok(rep))
			goto fail;
		freeReplyObject(rep);
		rep = NULL;
	}
	if (r->db != 0) {
		what = "select the database of";
		rep = redisCommand(r->ctx, "SELECT %ld", r->db);
		if (!reply_ok(rep))
			goto fail;
		freeReplyObject(rep);
	}
	return HC_OK;
fail:
	if (rep != NULL && rep->type == REDIS_REPLY_ERROR && rep->str != NULL)
		(void)hc_fail(d, HC_UNAVAILABLE, "replay store: cannot %s "
		    "%s:%d: %s", what, r->host, r->port,
		    hc_quote(q, sizeof(q), rep->str));
	else
		(void)hc_fail(d, HC_UNAVAILABLE, "replay store: cannot %s "
		    "%s:%d: %s", what, r->host, r->port,
		    r->ctx != NULL && r->ctx->err ? r->ctx->errstr :
		    "unexpected reply");
	if (rep != NULL)
		freeReplyObject(rep);
	if (r->ctx != NULL)
		redisFree(r->ctx);
	r->ctx = NULL;
	r->retry_at_ms = mono_ms() + HC_REPLAY_REDIS_BACKOFF_MS;
	return HC_UNAVAILABLE;
}

/* ------------------------------------------------------------ the store */

static void
redis_close(hc_replay_store *s)
{
	struct redis_store *r = redis_store_of(s);

	if (r->ctx != NULL)
		redisFree(r->ctx);
	if (r->password != NULL) {
		hc_wipe(r->password, strlen(r->password));
		free(r->password);
	}
	free(r->user);
	pthread_mutex_destroy(&r->lock);
	free(r);
}

/* Parses the URL; connecting waits for the first spend. */
static hc_status
redis_open(const char *spec, size_t max_entries, hc_replay_store **out,
    hc_detail *d)
{
	struct redis_store *r;
	hc_status st;

	(void)max_entries;
	*out = NULL;
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return hc_fail(d, HC_INTERNAL, "out of memory");
	r->base.ops = &hc_replay_store_redis;
	pthread_mutex_init(&r->lock, NULL);
	if ((st = redis_parse(spec, r, d)) != HC_OK) {
		redis_close(&r->base);
		return st;
	}
	*out = &r->base;
	return HC_OK;
}

/* Records the key for sp->ttl seconds with SET NX. */
static hc_status
redis_spend(hc_replay_store *s, const hc_replay_spend *sp, hc_detail *d)
{
	static const char hex[] = "0123456789abcdef";
	struct redis_store *r = redis_store_of(s);
	char rkey[sizeof(REDIS_KEY_PREFIX) + REDIS_NS_MAX + 1 + 64];
	char q[HC_QBUF];
	unsigned char h[32];
	size_t nslen = strlen(sp->ns), o;
	redisReply *rep;
	hc_status st;

	if (nslen == 0 || nslen > REDIS_NS_MAX)
		return hc_fail(d, HC_INTERNAL, "replay store: a namespace of %zu "
		    "bytes", nslen);
	hc_crypto()->sha256(sp->key, sp->klen, h);
	o = strlen(REDIS_KEY_PREFIX);
	memcpy(rkey, REDIS_KEY_PREFIX, o);
	memcpy(rkey + o, sp->ns, nslen);
	o += nslen;
	rkey[o++] = ':';
	for (size_t i = 0; i < sizeof(h); i++) {
		rkey[o++] = hex[h[i] >> 4];
		rkey[o++] = hex[h[i] & 15];
	}
	rkey[o] = '\0';

	pthread_mutex_lock(&r->lock);
	if ((st = redis_connect(r, d)) != HC_OK) {
		r->failures++;
		pthread_mutex_unlock(&r->lock);
		return st;
	}
	rep = redisCommand(r->ctx, "SET %s 1 NX EX %lld", rkey,
	    (long long)sp->ttl);
	if (rep == NULL) {
		/* The connection is unusable: drop it, reconnect next time. */
		st = hc_fail(d, HC_UNAVAILABLE, "replay store at %s:%d: %s",
		    r->host, r->port, r->ctx->err ? r->ctx->errstr : "no reply");
		redisFree(r->ctx);
		r->ctx = NULL;
	} else if (reply_ok(rep)) {
		st = HC_OK;
		r->recorded++;
	} else if (rep->type == REDIS_REPLY_NIL) {
		st = HC_REPLAY;
		r->replays++;
	} else {
		st = hc_fail(d, HC_UNAVAILABLE, "replay store at %s:%d refused "
		    "SET: %s", r->host, r->port, rep->type == REDIS_REPLY_ERROR &&
		    rep->str != NULL ? hc_quote(q, sizeof(q), rep->str) :
		    "unexpected reply type");
	}
	if (st == HC_UNAVAILABLE)
		r->failures++;
	if (rep != NULL)
		freeReplyObject(rep);
	pthread_mutex_unlock(&r->lock);
	return st;
}

/* The server holds the keys: only the counters are ours. */
static void
redis_stats(hc_replay_store *s, hc_replay_stats *out)
{
	struct redis_store *r = redis_store_of(s);

	pthread_mutex_lock(&r->lock);
	out->entries = 0;
	out->capacity = 0;
	out->recorded = r->recorded;
	out->replays = r->replays;
	out->failures = r->failures;
	pthread_mutex_unlock(&r->lock);
}

/* No inherit: after a reload, the server still remembers. */
const hc_replay_store_ops hc_replay_store_redis = {
	.name = "redis",
	.open = redis_open,
	.spend = redis_spend,
	.stats = redis_stats,
	.close = redis_close,
};
