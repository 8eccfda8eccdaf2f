/* SPDX-License-Identifier: Apache-2.0 */
/*
 * replay_redis.c - the Redis replay store, the only file that sees
 * hiredis.
 *
 * "redis://[[user]:password@]host[:port][/db]": a loopback host, or any
 * host when replay.allow_network is set (there is no TLS: hiredis 0.14 has
 * none, so the path to the server must be private).  A key is spent with
 * SET <name> 1 NX EX <ttl>, with connect and command timeouts, where the
 * name is
 *
 *	hopcheck:<kind>:<hex>                 no replay.namespace (the
 *	                                      format of every release
 *	                                      before it, kept so that an
 *	                                      upgrade forgets nothing)
 *	hopcheck:<namespace>:<kind>:<hex>     with replay.namespace
 *
 * <kind> is the record kind of the policy ("jti"; [a-z0-9-]), <namespace>
 * is 1..HC_REPLAY_NAMESPACE_MAX bytes of [A-Za-z0-9._-] (config.c checks
 * it) and <hex> 64 lowercase hex digits: no part holds a ':', so the two
 * forms never name the same key, and services that share one server but
 * not their token space each take a namespace.  <hex> is the plain SHA-256
 * of the key, not a keyed hash: every daemon sharing the server must
 * compute the same name, and a random key per process would defeat that.
 * This is acceptable because Redis hashes its keys with its own randomly
 * seeded SipHash, and SHA-256 keeps distinct keys apart.  The TTL is the
 * relative one the policy computed (hc_replay_spend.ttl) rather than an
 * absolute EXAT, so that a Redis host whose clock is off gets the same
 * lifetime the memory store would give.
 *
 * A pool of replay.pool_size connections, opened as needed.  A spend takes
 * a free connection (an open one first), waiting at most
 * REDIS_POOL_WAIT_MS for one to be given back, and owns it alone for its
 * command: the pool's mutex guards only which connection is whose and the
 * counters, never network I/O, so one slow reply delays one request, not
 * all.  Any failure to reach the server, or an error reply, is
 * HC_UNAVAILABLE; a broken connection is closed and reopened by the next
 * spend that takes it; after a failed connect no new one is attempted for
 * HC_REPLAY_REDIS_BACKOFF_MS, so that a dead server costs requests one
 * timeout per period, not each one.  A connection the server closed while
 * it sat idle (a restart) is reopened and the command sent once more; if
 * the first SET did reach the server before the connection broke, the
 * second answers HC_REPLAY: refusing a first use, never admitting a second.
 */
#include <errno.h>
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
/* The longest record kind a key name carries ("jti", "dpop", ...). */
#define REDIS_NS_MAX 32
/* The longest prefix: "hopcheck:" namespace ':'. */
#define REDIS_PREFIX_MAX (sizeof(REDIS_KEY_PREFIX) + HC_REPLAY_NAMESPACE_MAX + 1)
/* The longest key name: prefix, kind, ':', 64 hex digits. */
#define REDIS_NAME_MAX (REDIS_PREFIX_MAX + REDIS_NS_MAX + 1 + 64)
/* How long a spend waits for a connection of the pool to come free. */
#define REDIS_POOL_WAIT_MS HC_REPLAY_REDIS_COMMAND_MS

/* ------------------------------------------------------------------ types */

/*
 * One connection of the pool.  Invariant: `busy` changes only under the
 * store's lock; while it is set, `ctx` belongs to the one thread that set
 * it, which touches it without the lock (the lock orders each owner after
 * the one before); while it is clear, nobody touches `ctx`.
 */
struct redis_conn {
	redisContext *ctx;       /* NULL when not connected */
	bool busy;
};

/*
 * The Redis store.  Invariants: host, port, db, user, password, prefix
 * and nconns are fixed once opened; retry_at_ms, the counters and each
 * conns[i].busy change only under `lock`; `freed` is signalled whenever a
 * connection is given back.
 */
struct redis_store {
	hc_replay_store base;    /* first: all the policy sees */
	char host[HC_REPLAY_REDIS_HOST_MAX + 1];  /* without brackets */
	int port;
	long db;
	char *user;              /* NULL: AUTH with the password alone */
	char *password;          /* NULL: no AUTH; wiped when freed */
	char prefix[REDIS_PREFIX_MAX];  /* "hopcheck:" [namespace ":"] */
	size_t prefix_len;
	bool allow_network;      /* any host, not only loopback */
	pthread_mutex_t lock;
	pthread_cond_t freed;    /* on CLOCK_MONOTONIC */
	struct redis_conn *conns;  /* nconns of them */
	unsigned nconns;         /* replay.pool_size, >= 1 */
	int64_t retry_at_ms;     /* monotonic: no connect before this */
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
 * a loopback host unless r->allow_network: the store is trusted with
 * one-time-use decisions and spoken to without TLS.  Details never quote
 * the userinfo.
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
	if (!r->allow_network &&
	    !hc_host_is_loopback(s, (size_t)(he - s) + (*s == '[' ? 1 : 0)))
		return hc_fail(d, HC_CONFIG, "replay.store: the Redis host %s is "
		    "not a loopback host (127.x.x.x, localhost or [::1]); set "
		    "replay.allow_network to true to reach a Redis server over "
		    "a private network (there is no TLS)",
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

/* The monotonic clock `ms` from now, for pthread_cond_timedwait(). */
static struct timespec
mono_deadline(int ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	return ts;
}

/*
 * Takes a free connection for the calling thread, an open one first,
 * waiting at most REDIS_POOL_WAIT_MS for one to be given back.  Called and
 * returns with r->lock held; NULL when none came free in time.
 */
static struct redis_conn *
pool_take(struct redis_store *r)
{
	struct timespec deadline = mono_deadline(REDIS_POOL_WAIT_MS);
	bool late = false;

	for (;;) {
		struct redis_conn *closed = NULL;

		for (unsigned i = 0; i < r->nconns; i++) {
			struct redis_conn *c = &r->conns[i];
			if (c->busy)
				continue;
			if (c->ctx != NULL) {
				c->busy = true;
				return c;
			}
			if (closed == NULL)
				closed = c;
		}
		if (closed != NULL) {
			closed->busy = true;
			return closed;
		}
		if (late)
			return NULL;
		/* One more look after the deadline, then give up. */
		late = pthread_cond_timedwait(&r->freed, &r->lock, &deadline) ==
		    ETIMEDOUT;
	}
}

/* Gives a connection back, under r->lock. */
static void
pool_give(struct redis_store *r, struct redis_conn *c)
{
	c->busy = false;
	pthread_cond_signal(&r->freed);
}

/* Closes the connection of c, which the caller owns. */
static void
conn_drop(struct redis_conn *c)
{
	if (c->ctx != NULL)
		redisFree(c->ctx);
	c->ctx = NULL;
}

/*
 * Connects c, which the caller owns (no lock held: this is network I/O),
 * authenticates and selects the database.  HC_UNAVAILABLE with a reason,
 * and c left closed, on any failure.
 */
static hc_status
conn_open(const struct redis_store *r, struct redis_conn *c, hc_detail *d)
{
	redisReply *rep = NULL;
	const char *what = "connect to";
	char q[HC_QBUF];

	c->ctx = redisConnectWithTimeout(r->host, r->port,
	    ms_timeval(HC_REPLAY_REDIS_CONNECT_MS));
	if (c->ctx == NULL || c->ctx->err)
		goto fail;
	what = "set a timeout on";
	if (redisSetTimeout(c->ctx, ms_timeval(HC_REPLAY_REDIS_COMMAND_MS)) !=
	    REDIS_OK)
		goto fail;
	if (r->password != NULL) {
		what = "authenticate to";
		if (r->user != NULL)
			rep = redisCommand(c->ctx, "AUTH %s %s", r->user,
			    r->password);
		else
			rep = redisCommand(c->ctx, "AUTH %s", r->password);
		if (!reply_ok(rep))
			goto fail;
		freeReplyObject(rep);
		rep = NULL;
	}
	if (r->db != 0) {
		what = "select the database of";
		rep = redisCommand(c->ctx, "SELECT %ld", r->db);
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
		    c->ctx != NULL && c->ctx->err ? c->ctx->errstr :
		    "unexpected reply");
	if (rep != NULL)
		freeReplyObject(rep);
	conn_drop(c);
	return HC_UNAVAILABLE;
}

/*
 * SET name 1 NX EX ttl on c, which the caller owns (no lock held),
 * opening it first when closed.  *connect_failed tells the caller to back
 * off.  HC_OK (recorded), HC_REPLAY (known), or HC_UNAVAILABLE with a
 * reason; a connection that failed is left closed.
 */
static hc_status
conn_set(const struct redis_store *r, struct redis_conn *c,
    const char *name, int64_t ttl, bool *connect_failed, hc_detail *d)
{
	char q[HC_QBUF];
	redisReply *rep;
	hc_status st;
	bool fresh = false;

	*connect_failed = false;
	for (;;) {
		int err;

		if (c->ctx == NULL) {
			if ((st = conn_open(r, c, d)) != HC_OK) {
				*connect_failed = true;
				return st;
			}
			fresh = true;
		}
		if ((rep = redisCommand(c->ctx, "SET %s 1 NX EX %lld", name,
		    (long long)ttl)) != NULL)
			break;
		err = errno;
		(void)hc_fail(d, HC_UNAVAILABLE, "replay store at %s:%d: %s",
		    r->host, r->port, c->ctx->err ? c->ctx->errstr : "no reply");
		/*
		 * A pooled connection the server closed while idle is worth
		 * one more try on a new one; any other failure is final.
		 */
		fresh = fresh || !(c->ctx->err == REDIS_ERR_EOF ||
		    (c->ctx->err == REDIS_ERR_IO && (err == ECONNRESET ||
		    err == EPIPE)));
		conn_drop(c);
		if (fresh)
			return HC_UNAVAILABLE;
		fresh = true;
	}
	if (reply_ok(rep))
		st = HC_OK;
	else if (rep->type == REDIS_REPLY_NIL)
		st = HC_REPLAY;
	else
		st = hc_fail(d, HC_UNAVAILABLE, "replay store at %s:%d refused "
		    "SET: %s", r->host, r->port, rep->type == REDIS_REPLY_ERROR &&
		    rep->str != NULL ? hc_quote(q, sizeof(q), rep->str) :
		    "unexpected reply type");
	freeReplyObject(rep);
	return st;
}

/* ------------------------------------------------------------ the store */

static void
redis_close(hc_replay_store *s)
{
	struct redis_store *r = redis_store_of(s);

	for (unsigned i = 0; r->conns != NULL && i < r->nconns; i++)
		conn_drop(&r->conns[i]);
	free(r->conns);
	if (r->password != NULL) {
		hc_wipe(r->password, strlen(r->password));
		free(r->password);
	}
	free(r->user);
	pthread_cond_destroy(&r->freed);
	pthread_mutex_destroy(&r->lock);
	free(r);
}

/* Parses the URL and sizes the pool; connecting waits for a spend. */
static hc_status
redis_open(const hc_replay_options *o, hc_replay_store **out, hc_detail *d)
{
	pthread_condattr_t ca;
	struct redis_store *r;
	size_t nslen = o->key_namespace != NULL ? strlen(o->key_namespace) : 0;
	hc_status st;

	*out = NULL;
	if (nslen > HC_REPLAY_NAMESPACE_MAX)
		return hc_fail(d, HC_CONFIG, "replay.namespace: at most %d "
		    "characters", HC_REPLAY_NAMESPACE_MAX);
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return hc_fail(d, HC_INTERNAL, "out of memory");
	r->base.ops = &hc_replay_store_redis;
	r->allow_network = o->allow_network;
	pthread_mutex_init(&r->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&r->freed, &ca);
	pthread_condattr_destroy(&ca);
	r->prefix_len = (size_t)snprintf(r->prefix, sizeof(r->prefix), "%s%s%s",
	    REDIS_KEY_PREFIX, nslen > 0 ? o->key_namespace : "",
	    nslen > 0 ? ":" : "");
	r->nconns = o->pool_size > 0 ? o->pool_size : 1;
	if ((r->conns = calloc(r->nconns, sizeof(*r->conns))) == NULL) {
		redis_close(&r->base);
		return hc_fail(d, HC_INTERNAL, "out of memory");
	}
	if ((st = redis_parse(o->spec, r, d)) != HC_OK) {
		redis_close(&r->base);
		return st;
	}
	*out = &r->base;
	return HC_OK;
}

/*
 * Records the key for sp->ttl seconds with SET NX, on a connection of the
 * pool that this thread owns for the command.
 */
static hc_status
redis_spend(hc_replay_store *s, const hc_replay_spend *sp, hc_detail *d)
{
	static const char hex[] = "0123456789abcdef";
	struct redis_store *r = redis_store_of(s);
	char name[REDIS_NAME_MAX];
	unsigned char h[32];
	size_t nslen = strlen(sp->ns), o = r->prefix_len;
	struct redis_conn *c;
	bool connect_failed;
	hc_status st;

	if (nslen == 0 || nslen > REDIS_NS_MAX)
		return hc_fail(d, HC_INTERNAL, "replay store: a namespace of %zu "
		    "bytes", nslen);
	hc_crypto()->sha256(sp->key, sp->klen, h);
	memcpy(name, r->prefix, o);
	memcpy(name + o, sp->ns, nslen);
	o += nslen;
	name[o++] = ':';
	for (size_t i = 0; i < sizeof(h); i++) {
		name[o++] = hex[h[i] >> 4];
		name[o++] = hex[h[i] & 15];
	}
	name[o] = '\0';

	pthread_mutex_lock(&r->lock);
	if ((c = pool_take(r)) == NULL) {
		r->failures++;
		pthread_mutex_unlock(&r->lock);
		return hc_fail(d, HC_UNAVAILABLE, "replay store at %s:%d: all %u "
		    "connections stayed busy for %d ms", r->host, r->port,
		    r->nconns, REDIS_POOL_WAIT_MS);
	}
	if (c->ctx == NULL && mono_ms() < r->retry_at_ms) {
		pool_give(r, c);
		r->failures++;
		pthread_mutex_unlock(&r->lock);
		return hc_fail(d, HC_UNAVAILABLE, "replay store at %s:%d is down "
		    "(waiting before the next attempt)", r->host, r->port);
	}
	pthread_mutex_unlock(&r->lock);

	st = conn_set(r, c, name, sp->ttl, &connect_failed, d);

	pthread_mutex_lock(&r->lock);
	if (connect_failed)
		r->retry_at_ms = mono_ms() + HC_REPLAY_REDIS_BACKOFF_MS;
	if (st == HC_OK)
		r->recorded++;
	else if (st == HC_REPLAY)
		r->replays++;
	else
		r->failures++;
	pool_give(r, c);
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
