/* SPDX-License-Identifier: Apache-2.0 */
/*
 * replay.c - the replay policy of one-time-use routes, over a store.
 *
 * A route with `one_time_use` accepts each token once: its `jti` (RFC 7519
 * section 4.1.7), qualified by its issuer because a jti is unique only per
 * issuer, is remembered until the token could no longer pass the time
 * checks anyway (exp + clock_skew_s), and a second presentation within
 * that time is HC_REPLAY.  The check runs last in layer 3 (claims.c), so
 * only a token that passed everything else spends its jti.
 *
 * This file decides what is spent and for how long: the key (authority
 * '\0' jti, in the namespace "jti"), the clock the store ages by (the
 * earlier of the request's and the system's), the lifetime (exp + skew,
 * and for a store that counts relative time no more than the issuer's
 * maximum lifetime plus twice the skew), and that any answer but "new"
 * fails the request.  Where keys are kept is a store's business
 * (replay.h): "memory" (replay_mem.c) or a redis:// URL (replay_redis.c),
 * chosen by replay.store.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto.h"
#include "replay.h"
#include "validator.h"

/* The namespace of jti values in a store. */
#define JTI_NS "jti"

/* A validator's replay state: the store it spends in. */
struct hc_replay {
	hc_replay_store *store;  /* never NULL once built */
};

/* ------------------------------------------------------------------- API */

hc_status
hc_replay_new(const hc_policy *p, struct hc_replay **out, hc_detail *d)
{
	const char *spec = p->replay_store != NULL ? p->replay_store : "memory";
	const hc_replay_options o = {
		.spec = spec,
		.max_entries = p->replay_max_entries,
		.key_namespace = p->replay_namespace,
		.pool_size = p->replay_pool_size != 0 ? p->replay_pool_size :
		    HC_REPLAY_POOL_DEFAULT,
		.allow_network = p->replay_allow_network,
	};
	const hc_replay_store_ops *ops;
	struct hc_replay *r;
	hc_status st;

	*out = NULL;
	/* Anything but "memory" is for the Redis store to accept or refuse. */
	ops = strcmp(spec, "memory") == 0 ? &hc_replay_store_memory :
	    &hc_replay_store_redis;
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return hc_fail(d, HC_INTERNAL, "out of memory");
	if ((st = ops->open(&o, &r->store, d)) != HC_OK) {
		free(r);
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
	r->store->ops->close(r->store);
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
	int64_t expires, clock, ttl, cap, skew = c->pol->clock_skew_s;
	hc_replay_spend sp;
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
	 * with a past `now` must not pin entries for ever in a store that
	 * counts relative time).
	 */
	expires = c->res->exp > INT64_MAX - skew ? INT64_MAX : c->res->exp + skew;
	clock = (int64_t)time(NULL);
	if (c->now < clock)
		clock = c->now;
	ttl = expires - clock;
	cap = c->ipol->max_lifetime_s + 2 * skew;
	if (ttl > cap)
		ttl = cap;
	sp = (hc_replay_spend){
		.ns = JTI_NS,
		.key = key,
		.klen = klen,
		.now = clock,
		.expires = expires,
		.ttl = ttl < 1 ? 1 : ttl,
	};
	st = c->v->replay->store->ops->spend(c->v->replay->store, &sp,
	    &c->res->detail);
	free(key);
	if (st == HC_REPLAY)
		return hc_fail(&c->res->detail, HC_REPLAY, "jti %s of %s was "
		    "already used on a one-time-use route", hc_quote(q1,
		    sizeof(q1), jti), hc_quote(q2, sizeof(q2), c->res->issuer ?
		    c->res->issuer : c->res->subject));
	return st;
}

/*
 * Spends one key of namespace `ns` by the rules of hc_replay_check(): the
 * store ages by the earlier of the request's clock and the system's, keeps
 * the key until `expires`, and a relative TTL is at most `max_ttl`.
 */
static hc_status
spend_at(struct hc_replay *r, const char *ns, const unsigned char *key,
    size_t klen, int64_t now, int64_t expires, int64_t max_ttl, hc_detail *d)
{
	int64_t clock = (int64_t)time(NULL), ttl;
	hc_replay_spend sp;

	if (r == NULL)
		return hc_fail(d, HC_UNAVAILABLE, "no replay store");
	if (now < clock)
		clock = now;
	ttl = expires - clock;
	if (ttl > max_ttl)
		ttl = max_ttl;
	sp = (hc_replay_spend){
		.ns = ns,
		.key = key,
		.klen = klen,
		.now = clock,
		.expires = expires,
		.ttl = ttl < 1 ? 1 : ttl,
	};
	return r->store->ops->spend(r->store, &sp, d);
}

hc_status
hc_replay_spend_key(const hc_validator *v, const char *ns,
    const unsigned char *key, size_t klen, int64_t now, int64_t expires,
    int64_t max_ttl, hc_detail *d)
{
	if (v == NULL)
		return hc_fail(d, HC_UNAVAILABLE, "no replay store");
	return spend_at(v->replay, ns, key, klen, now, expires, max_ttl, d);
}

hc_status
hc_replay_spend_record(struct hc_replay *r, const hc_replay_record *rec,
    int64_t now, hc_detail *d)
{
	hc_status st;

	if (rec == NULL || rec->key == NULL || rec->klen == 0)
		return hc_fail(d, HC_INTERNAL, "no replay record to spend");
	st = spend_at(r, rec->ns, rec->key, rec->klen, now, rec->expires,
	    rec->max_ttl, d);
	if (st == HC_REPLAY)
		return hc_fail(d, HC_REPLAY, "%s: this one-time id was already "
		    "used (the same proof presented twice)", rec->ns);
	return st;
}

hc_status
hc_replay_record_make(hc_replay_record *rec, const char *ns,
    const char *const *parts, size_t nparts, int64_t expires,
    int64_t max_ttl, hc_detail *d)
{
	unsigned char *buf, *key;
	size_t n = 0, o = 0;

	memset(rec, 0, sizeof(*rec));
	for (size_t i = 0; i < nparts; i++)
		n += 4 + strlen(parts[i]);
	if ((buf = malloc(n > 0 ? n : 1)) == NULL ||
	    (key = malloc(32)) == NULL) {
		free(buf);
		return hc_fail(d, HC_INTERNAL, "out of memory");
	}
	/* Each part with its length: ("ab", "c") is not ("a", "bc"). */
	for (size_t i = 0; i < nparts; i++) {
		size_t l = strlen(parts[i]);

		buf[o++] = (unsigned char)(l >> 24);
		buf[o++] = (unsigned char)(l >> 16);
		buf[o++] = (unsigned char)(l >> 8);
		buf[o++] = (unsigned char)l;
		memcpy(buf + o, parts[i], l);
		o += l;
	}
	hc_crypto()->sha256(buf, o, key);
	free(buf);
	*rec = (hc_replay_record){
		.ns = ns,
		.key = key,
		.klen = 32,
		.expires = expires,
		.max_ttl = max_ttl < 1 ? 1 : max_ttl,
	};
	return HC_OK;
}

void
hc_replay_record_clear(hc_replay_record *rec)
{
	if (rec == NULL)
		return;
	free(rec->key);
	memset(rec, 0, sizeof(*rec));
}

void
hc_replay_get_stats(const hc_validator *v, hc_replay_stats *out)
{
	const struct hc_replay *r = v != NULL ? v->replay : NULL;

	memset(out, 0, sizeof(*out));
	out->store = "none";
	if (r == NULL)
		return;
	r->store->ops->stats(r->store, out);
	out->store = r->store->ops->name;
}

/* Only stores of one kind can hand over; the store knows how. */
hc_status
hc_replay_inherit(hc_validator *to, const hc_validator *from, size_t *over)
{
	hc_replay_store *dst, *src;
	size_t n = 0;
	hc_status st;

	if (over != NULL)
		*over = 0;
	if (to == NULL || from == NULL || to->replay == NULL ||
	    from->replay == NULL)
		return HC_OK;
	dst = to->replay->store;
	src = from->replay->store;
	if (dst->ops != src->ops || dst->ops->inherit == NULL)
		return HC_OK;
	st = dst->ops->inherit(dst, src, &n);
	if (over != NULL)
		*over = n;
	return st;
}
