/*
 * replay.c - the jti replay store of one-time-use routes.
 *
 * A route with `one_time_use` accepts each token once: its `jti` (RFC 7519
 * section 4.1.7), qualified by its issuer because a jti is unique only per
 * issuer, is remembered until the token could no longer pass the time
 * checks anyway (exp + clock_skew_s), and a second presentation within
 * that time is HC_REPLAY.  The check runs last in layer 3 (claims.c), so
 * only a token that passed everything else spends its jti.
 *
 * Two stores, chosen by replay.store:
 *
 *  - "memory": a hash table bounded by replay.max_entries, keyed by
 *    SipHash-2-4 of issuer '\0' jti under a random per-table key (so that
 *    jti values cannot be chosen to collide into one bucket), with the full
 *    key bytes kept and compared exactly.  Entries also sit in a min-heap
 *    by expiry; every check first drops the expired ones from its top, so a
 *    full table is known in O(1).  Full with nothing expired is
 *    HC_UNAVAILABLE: failing closed beats forgetting a live jti.
 *  - "redis://[[user]:password@]host[:port][/db]", loopback hosts only:
 *    SET hopcheck:jti:<hex> 1 NX EX <ttl> through hiredis, with connect
 *    and command timeouts.  The key is the plain SHA-256 of issuer '\0'
 *    jti, not a keyed hash: every daemon sharing the server must compute
 *    the same key, and a random key per process would defeat that.  This
 *    is acceptable because the keyed hash of the memory store protects our
 *    own table from collision flooding, while Redis hashes its keys with
 *    its own randomly seeded SipHash; and SHA-256 keeps distinct (issuer,
 *    jti) pairs apart.  The TTL is computed from the validator's clock
 *    (exp + skew - now) rather than sent as an absolute EXAT, so that a
 *    Redis host whose clock is off, or a request with a fixed time, gets
 *    the same lifetime the memory store would give (both age by the earlier
 *    of the request's and the system's clock, see hc_replay_check()).  Any
 *    failure to reach
 *    the server, or an error reply, is HC_UNAVAILABLE.
 *
 * Both stores are safe to call from any number of threads: the table and
 * the Redis connection are each guarded by one mutex.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include <hiredis/hiredis.h>

#include "validator.h"
#include "replay.h"

#define REDIS_KEY_PREFIX "hopcheck:jti:"
#define REDIS_DEFAULT_PORT 6379

/* ------------------------------------------------------------------ types */

/* One remembered jti. */
struct mem_entry {
	struct mem_entry *next;  /* bucket chain */
	uint64_t hash;           /* SipHash of key under the table's key */
	int64_t expires;         /* forgotten once now >= expires */
	size_t heap_idx;         /* position in the expiry heap */
	size_t klen;
	unsigned char key[];     /* issuer '\0' jti, exactly */
};

/*
 * The memory table.  May be shared by the stores of two validators across
 * a reload (hc_replay_inherit()); `refs` counts them.  Invariants, under
 * `lock`: count <= max; every entry is in exactly one bucket chain and at
 * heap[heap_idx]; heap is a min-heap on `expires`; nbuckets is a power of
 * two no larger than max_buckets.
 */
struct mem_table {
	pthread_mutex_t lock;
	int refs;
	unsigned char sipkey[16];
	struct mem_entry **buckets;
	size_t nbuckets;
	size_t max_buckets;
	struct mem_entry **heap;
	size_t heap_cap;
	size_t count;
	size_t max;
	uint64_t recorded, replays, failures;
};

/* The Redis store: one connection, reopened after a failure. */
struct redis_store {
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

enum store_kind { STORE_MEMORY = 1, STORE_REDIS };

struct hc_replay {
	enum store_kind kind;
	struct mem_table *mem;
	struct redis_store *redis;
};

/* --------------------------------------------------------- memory store */

static void
heap_swap(struct mem_entry **h, size_t a, size_t b)
{
	struct mem_entry *t = h[a];

	h[a] = h[b];
	h[b] = t;
	h[a]->heap_idx = a;
	h[b]->heap_idx = b;
}

/* Restores the heap order around index i (iterative, either direction). */
static void
heap_fix(struct mem_table *t, size_t i)
{
	struct mem_entry **h = t->heap;

	while (i > 0 && h[(i - 1) / 2]->expires > h[i]->expires) {
		heap_swap(h, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < t->count && h[l]->expires < h[m]->expires)
			m = l;
		if (r < t->count && h[r]->expires < h[m]->expires)
			m = r;
		if (m == i)
			break;
		heap_swap(h, i, m);
		i = m;
	}
}

/* Unlinks entry e from its bucket chain and the heap, and frees it. */
static void
mem_remove(struct mem_table *t, struct mem_entry *e)
{
	struct mem_entry **pp = &t->buckets[e->hash & (t->nbuckets - 1)];
	size_t i = e->heap_idx;

	while (*pp != NULL && *pp != e)
		pp = &(*pp)->next;
	if (*pp == e)
		*pp = e->next;
	t->count--;
	if (i != t->count) {
		t->heap[i] = t->heap[t->count];
		t->heap[i]->heap_idx = i;
		heap_fix(t, i);
	}
	free(e);
}

/* Forgets every entry whose time has passed (now >= expires). */
static void
mem_purge(struct mem_table *t, int64_t now)
{
	while (t->count > 0 && t->heap[0]->expires <= now)
		mem_remove(t, t->heap[0]);
}

static struct mem_entry *
mem_find(const struct mem_table *t, uint64_t hash, const unsigned char *key,
    size_t klen)
{
	struct mem_entry *e = t->buckets[hash & (t->nbuckets - 1)];

	for (; e != NULL; e = e->next)
		if (e->hash == hash && e->klen == klen &&
		    memcmp(e->key, key, klen) == 0)
			return e;
	return NULL;
}

/* Doubles the bucket array (up to max_buckets); false when out of memory. */
static bool
mem_grow_buckets(struct mem_table *t)
{
	size_t n = t->nbuckets * 2;
	struct mem_entry **b;

	if (n > t->max_buckets)
		return true;
	if ((b = calloc(n, sizeof(*b))) == NULL)
		return false;
	for (size_t i = 0; i < t->nbuckets; i++) {
		struct mem_entry *e = t->buckets[i], *next;
		for (; e != NULL; e = next) {
			next = e->next;
			e->next = b[e->hash & (n - 1)];
			b[e->hash & (n - 1)] = e;
		}
	}
	free(t->buckets);
	t->buckets = b;
	t->nbuckets = n;
	return true;
}

/*
 * Adds a new entry; the caller has checked that the key is absent and
 * that count < max.  HC_INTERNAL when out of memory.
 */
static hc_status
mem_insert(struct mem_table *t, uint64_t hash, const unsigned char *key,
    size_t klen, int64_t expires)
{
	struct mem_entry *e;
	size_t b;

	if (t->count + 1 > t->nbuckets && !mem_grow_buckets(t))
		return HC_INTERNAL;
	if (t->count == t->heap_cap) {
		size_t cap = t->heap_cap ? t->heap_cap * 2 : HC_REPLAY_MIN_BUCKETS;
		struct mem_entry **h;
		if (cap > t->max)
			cap = t->max;
		if ((h = realloc(t->heap, cap * sizeof(*h))) == NULL)
			return HC_INTERNAL;
		t->heap = h;
		t->heap_cap = cap;
	}
	if ((e = malloc(sizeof(*e) + klen)) == NULL)
		return HC_INTERNAL;
	memcpy(e->key, key, klen);
	e->klen = klen;
	e->hash = hash;
	e->expires = expires;
	b = hash & (t->nbuckets - 1);
	e->next = t->buckets[b];
	t->buckets[b] = e;
	e->heap_idx = t->count;
	t->heap[t->count++] = e;
	heap_fix(t, e->heap_idx);
	return HC_OK;
}

static hc_status
mem_new(size_t max, struct mem_table **out, hc_detail *d)
{
	struct mem_table *t;
	size_t mb = HC_REPLAY_MIN_BUCKETS;

	*out = NULL;
	if (max == 0)
		return hc_fail(d, HC_CONFIG, "replay.max_entries must be at least 1");
	while (mb < max && mb <= SIZE_MAX / 4)
		mb *= 2;
	if ((t = calloc(1, sizeof(*t))) == NULL)
		return hc_fail(d, HC_INTERNAL, "out of memory");
	t->max = max;
	t->max_buckets = mb;
	t->nbuckets = HC_REPLAY_MIN_BUCKETS;
	t->refs = 1;
	if ((t->buckets = calloc(t->nbuckets, sizeof(*t->buckets))) == NULL) {
		free(t);
		return hc_fail(d, HC_INTERNAL, "out of memory");
	}
	if (hc_crypto()->random(t->sipkey, sizeof(t->sipkey)) != 0) {
		free(t->buckets);
		free(t);
		return hc_fail(d, HC_INTERNAL, "no random bytes for the replay "
		    "store's hash key");
	}
	pthread_mutex_init(&t->lock, NULL);
	*out = t;
	return HC_OK;
}

/* Drops one reference; the last one frees the table. */
static void
mem_unref(struct mem_table *t)
{
	bool last;

	if (t == NULL)
		return;
	pthread_mutex_lock(&t->lock);
	last = --t->refs == 0;
	pthread_mutex_unlock(&t->lock);
	if (!last)
		return;
	while (t->count > 0)
		mem_remove(t, t->heap[t->count - 1]);
	hc_wipe(t->sipkey, sizeof(t->sipkey));
	pthread_mutex_destroy(&t->lock);
	free(t->buckets);
	free(t->heap);
	free(t);
}

/* Records key until `expires`, or says why not. */
static hc_status
mem_check(struct mem_table *t, const unsigned char *key, size_t klen,
    int64_t now, int64_t expires, hc_detail *d)
{
	uint64_t hash = hc_siphash24(t->sipkey, key, klen);
	hc_status st;

	pthread_mutex_lock(&t->lock);
	mem_purge(t, now);
	if (mem_find(t, hash, key, klen) != NULL) {
		t->replays++;
		pthread_mutex_unlock(&t->lock);
		return HC_REPLAY;
	}
	if (t->count >= t->max) {
		t->failures++;
		pthread_mutex_unlock(&t->lock);
		return hc_fail(d, HC_UNAVAILABLE, "replay store is full (%zu of "
		    "replay.max_entries, none expired); refusing rather than "
		    "forgetting a jti", t->count);
	}
	st = mem_insert(t, hash, key, klen, expires);
	if (st == HC_OK)
		t->recorded++;
	else
		t->failures++;
	pthread_mutex_unlock(&t->lock);
	if (st != HC_OK)
		return hc_fail(d, st, "out of memory in the replay store");
	return HC_OK;
}

/* ---------------------------------------------------------- Redis store */

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

/* 127.x.x.x in four decimal octets without leading zeros. */
static bool
is_loopback_v4(const char *h, size_t n)
{
	unsigned octets = 0, val = 0, digits = 0;

	for (size_t i = 0; i <= n; i++) {
		if (i == n || h[i] == '.') {
			if (digits == 0 || val > 255)
				return false;
			if (octets == 0 && val != 127)
				return false;
			octets++;
			val = 0;
			digits = 0;
			continue;
		}
		if (h[i] < '0' || h[i] > '9' || (digits == 1 && val == 0) ||
		    ++digits > 3)
			return false;
		val = val * 10 + (unsigned)(h[i] - '0');
	}
	return octets == 4;
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

static void
redis_free(struct redis_store *r)
{
	if (r == NULL)
		return;
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
	if (!(hlen == 9 && memcmp(hs, "localhost", 9) == 0) &&
	    !(hlen == 3 && *s == '[' && memcmp(hs, "::1", 3) == 0) &&
	    !(*s != '[' && is_loopback_v4(hs, hlen)))
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

/* Records key for ttl seconds with SET NX; HC_REPLAY when already there. */
static hc_status
redis_check(struct redis_store *r, const unsigned char *key, size_t klen,
    int64_t ttl, hc_detail *d)
{
	static const char hex[] = "0123456789abcdef";
	char rkey[sizeof(REDIS_KEY_PREFIX) + 64], q[HC_QBUF];
	unsigned char h[32];
	redisReply *rep;
	hc_status st;
	size_t o;

	hc_crypto()->sha256(key, klen, h);
	o = strlen(REDIS_KEY_PREFIX);
	memcpy(rkey, REDIS_KEY_PREFIX, o);
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
	rep = redisCommand(r->ctx, "SET %s 1 NX EX %lld", rkey, (long long)ttl);
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

/* ------------------------------------------------------------------- API */

hc_status
hc_replay_new(const hc_policy *p, struct hc_replay **out, hc_detail *d)
{
	const char *store = p->replay_store != NULL ? p->replay_store : "memory";
	struct hc_replay *r;
	hc_status st;

	*out = NULL;
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return hc_fail(d, HC_INTERNAL, "out of memory");
	if (strcmp(store, "memory") == 0) {
		r->kind = STORE_MEMORY;
		st = mem_new(p->replay_max_entries, &r->mem, d);
	} else {
		r->kind = STORE_REDIS;
		if ((r->redis = calloc(1, sizeof(*r->redis))) == NULL) {
			free(r);
			return hc_fail(d, HC_INTERNAL, "out of memory");
		}
		pthread_mutex_init(&r->redis->lock, NULL);
		/* Connecting waits for the first one-time-use request. */
		st = redis_parse(store, r->redis, d);
	}
	if (st != HC_OK) {
		hc_replay_free(r);
		return st;
	}
	*out = r;
	return HC_OK;
}

void
hc_replay_free(struct hc_replay *r)
{
	if (r == NULL)
		return;
	mem_unref(r->mem);
	redis_free(r->redis);
	free(r);
}

/*
 * The authority a jti is unique under: the verified `iss`, or for a
 * JWT-SVID without one, "spiffe://" and the trust domain of its `sub`
 * (the trust domain's authorities signed it).  Writes the length of the
 * authority into *n and returns its bytes, or NULL when there is none.
 */
static const char *
jti_authority(const hc_result *res, size_t *n)
{
	const char *sub = res->subject, *slash;

	if (res->issuer != NULL) {
		*n = strlen(res->issuer);
		return res->issuer;
	}
	if (sub == NULL || strncmp(sub, HC_SPIFFE_SCHEME,
	    HC_SPIFFE_SCHEME_LEN) != 0)
		return NULL;
	slash = strchr(sub + HC_SPIFFE_SCHEME_LEN, '/');
	*n = slash != NULL ? (size_t)(slash - sub) : strlen(sub);
	return sub;
}

hc_status
hc_replay_check(hc_ctx *c, const hc_route_policy *rt)
{
	char q1[HC_QBUF], q2[HC_QBUF];
	const hc_json *j = hc_json_get(c->payload, "jti");
	const char *jti, *auth;
	unsigned char *key;
	size_t jlen, alen = 0, klen;
	int64_t expires, clock, skew = c->pol->clock_skew_s;
	hc_status st;

	if (j == NULL)
		return hc_fail(&c->res->detail, HC_CLAIM, "one-time-use route "
		    "needs a jti (route %s %s)", hc_quote(q1, sizeof(q1),
		    rt->method), hc_quote(q2, sizeof(q2), rt->path));
	if ((jti = hc_json_string(j)) == NULL)
		return hc_fail(&c->res->detail, HC_MALFORMED, "jti is a %s, not a "
		    "string", hc_json_type_name(hc_json_type_of(j)));
	if ((jlen = strlen(jti)) == 0)
		return hc_fail(&c->res->detail, HC_CLAIM, "jti is empty; a "
		    "one-time-use route needs a unique jti");
	if (c->v->replay == NULL)
		return hc_fail(&c->res->detail, HC_UNAVAILABLE, "no replay store");
	if ((auth = jti_authority(c->res, &alen)) == NULL)
		return hc_fail(&c->res->detail, HC_CLAIM, "token has neither iss "
		    "nor a SPIFFE sub to qualify its jti");

	/* RFC 7519 section 4.1.7: a jti is unique per issuer. */
	klen = alen + 1 + jlen;
	if ((key = malloc(klen)) == NULL)
		return hc_fail(&c->res->detail, HC_INTERNAL, "out of memory");
	memcpy(key, auth, alen);
	key[alen] = '\0';
	memcpy(key + alen + 1, jti, jlen);

	/*
	 * Past exp + skew, layer 2 rejects the token anyway.  The store is
	 * shared by every request, so it ages by a clock no request can push
	 * forward: the earlier of the request's time and the system's (a
	 * request with a future `now` must not purge other tokens' jtis), and
	 * a TTL no longer than the issuer's maximum lifetime allows (a request
	 * with a past `now` must not pin entries for ever).
	 */
	expires = c->res->exp > INT64_MAX - skew ? INT64_MAX : c->res->exp + skew;
	clock = (int64_t)time(NULL);
	if (c->now < clock)
		clock = c->now;
	if (c->v->replay->kind == STORE_MEMORY) {
		st = mem_check(c->v->replay->mem, key, klen, clock, expires,
		    &c->res->detail);
	} else {
		int64_t ttl = expires - clock;
		int64_t cap = c->ipol->max_lifetime_s + 2 * skew;
		if (ttl > cap)
			ttl = cap;
		st = redis_check(c->v->replay->redis, key, klen, ttl < 1 ? 1 : ttl,
		    &c->res->detail);
	}
	free(key);
	if (st == HC_REPLAY)
		return hc_fail(&c->res->detail, HC_REPLAY, "jti %s of %s was "
		    "already used on a one-time-use route", hc_quote(q1,
		    sizeof(q1), jti), hc_quote(q2, sizeof(q2), c->res->issuer ?
		    c->res->issuer : c->res->subject));
	return st;
}

void
hc_replay_get_stats(const hc_validator *v, hc_replay_stats *out)
{
	const struct hc_replay *r = v != NULL ? v->replay : NULL;

	memset(out, 0, sizeof(*out));
	out->store = "none";
	if (r == NULL)
		return;
	if (r->kind == STORE_MEMORY) {
		struct mem_table *t = r->mem;
		out->store = "memory";
		pthread_mutex_lock(&t->lock);
		out->entries = t->count;
		out->capacity = t->max;
		out->recorded = t->recorded;
		out->replays = t->replays;
		out->failures = t->failures;
		pthread_mutex_unlock(&t->lock);
	} else {
		struct redis_store *rs = r->redis;
		out->store = "redis";
		pthread_mutex_lock(&rs->lock);
		out->recorded = rs->recorded;
		out->replays = rs->replays;
		out->failures = rs->failures;
		pthread_mutex_unlock(&rs->lock);
	}
}

hc_status
hc_replay_inherit(hc_validator *to, const hc_validator *from,
    size_t *dropped)
{
	struct mem_table *src, *dst;
	size_t lost = 0;
	hc_status st = HC_OK;

	if (dropped != NULL)
		*dropped = 0;
	if (to == NULL || from == NULL || to->replay == NULL ||
	    from->replay == NULL || to->replay->kind != STORE_MEMORY ||
	    from->replay->kind != STORE_MEMORY ||
	    to->replay->mem == from->replay->mem)
		return HC_OK;
	src = from->replay->mem;
	dst = to->replay->mem;
	if (src->max == dst->max) {
		pthread_mutex_lock(&src->lock);
		src->refs++;
		pthread_mutex_unlock(&src->lock);
		to->replay->mem = src;
		mem_unref(dst);
		return HC_OK;
	}
	/*
	 * Different capacities: copy.  The new table is not in use yet, but
	 * both are locked (source first, the only order ever taken); the
	 * entries that do not fit a smaller table are counted for the log.
	 */
	pthread_mutex_lock(&src->lock);
	pthread_mutex_lock(&dst->lock);
	for (size_t i = 0; i < src->count; i++) {
		const struct mem_entry *e = src->heap[i];
		uint64_t h = hc_siphash24(dst->sipkey, e->key, e->klen);
		if (dst->count >= dst->max) {
			lost++;
			continue;
		}
		if (mem_find(dst, h, e->key, e->klen) != NULL)
			continue;
		if ((st = mem_insert(dst, h, e->key, e->klen, e->expires)) !=
		    HC_OK)
			break;
	}
	pthread_mutex_unlock(&dst->lock);
	pthread_mutex_unlock(&src->lock);
	if (dropped != NULL)
		*dropped = lost;
	return st;
}
