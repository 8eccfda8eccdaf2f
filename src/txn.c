/* SPDX-License-Identifier: Apache-2.0 */
/*
 * txn.c - OAuth Transaction Tokens (draft-ietf-oauth-transaction-tokens-10)
 * on the receiving side.
 *
 * A Transaction Token Service (TTS) mints a short-lived Txn-Token at the
 * edge of a trust domain; every workload in the call chain receives it in
 * the `Txn-Token` header (section 12), verifies it, and forwards it as
 * received.  Here one token is verified, in the order every kind follows:
 *
 *   size and transport (one token: a comma means two fields were joined),
 *   compact JWS parse, `alg` (the txn_tokens allowlist, never `none`),
 *   `crit`, `typ` txntoken+jwt as a media type (section 9.1) before any
 *   key is chosen, the key by `kid` in the TTS set of this trust domain
 *   only (never from iss, jku, x5u, jwk or x5c: section 13.16), the
 *   signature, then the claims of section 9.2: iat, aud, exp, txn, sub,
 *   scope and req_wl present with their types, tctx and rctx objects when
 *   present; aud exactly this trust domain (sections 12.2, 14); exp, nbf,
 *   a future iat and the lifetime cap (section 6); iss against the
 *   allowlist when both are there.
 *
 * Peer authentication, the route's scopes and the txn spend of a
 * txn_single_use route are steps of the pipeline (credentials.c), which
 * runs them after every credential of the request has passed its own
 * checks.  Unknown claims, `act` included, are ignored (section 9.2).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "refresh.h"
#include "replay.h"
#include "txn.h"

/* The replay namespace of txn values (replay.h). */
#define TXN_NS "txn"

/* Token kinds the access-token path must never take (RFC 8725 3.11). */
static const char *const other_kinds[] = {
	HC_TXN_TYP, "dpop+jwt", "wit+jwt", "wpt+jwt", NULL
};

/* ------------------------------------------------------------- typ */

bool
hc_typ_is(const char *typ, const char *want)
{
	static const char app[] = "application/";

	if (strncasecmp(typ, app, sizeof(app) - 1) == 0)
		typ += sizeof(app) - 1;
	return strcasecmp(typ, want) == 0;
}

hc_status
hc_typ_refuse_other_kinds(const hc_json *header, hc_detail *d)
{
	const char *t = hc_json_string(hc_json_get(header, "typ"));
	char q[HC_QBUF];

	if (t == NULL)
		return HC_OK;
	for (size_t i = 0; other_kinds[i] != NULL; i++)
		if (hc_typ_is(t, other_kinds[i]))
			return hc_fail(d, HC_TYPE, "typ %s is not an access token: "
			    "a token of another kind is never accepted as one (RFC "
			    "8725 section 3.11)", hc_quote(q, sizeof(q), t));
	return HC_OK;
}

/* ------------------------------------------------------------- state */

hc_status
hc_txn_init(hc_validator *v, hc_detail *d)
{
	const hc_txn_policy *tp = v->policy->txn;
	hc_txn_state *ts;
	hc_keyset *ks;
	char *buf = NULL;
	size_t len = 0;
	hc_status st = HC_OK;

	if (tp == NULL)
		return HC_OK;
	if ((ts = calloc(1, sizeof(*ts))) == NULL)
		return hc_fail(d, HC_INTERNAL, "out of memory");
	ts->pol = tp;
	hc_keyslot_init(&ts->keys);
	v->txn = ts;
	if (tp->keysrc != HC_KEYSRC_JWKS_FILE)
		return HC_OK;
	if (hc_read_file(tp->key_location, HC_MAX_KEYFILE_BYTES, &buf, &len,
	    d) != 0)
		return HC_CONFIG;
	st = hc_keyset_parse(buf, len, false, &ks, d);
	if (st == HC_OK) {
		ks->loaded_at = (int64_t)time(NULL);
		hc_keyslot_swap(&ts->keys, ks);
	} else
		st = HC_CONFIG;
	free(buf);
	return st;
}

void
hc_txn_free(hc_validator *v)
{
	if (v == NULL || v->txn == NULL)
		return;
	hc_keyslot_destroy(&v->txn->keys);
	free(v->txn);
	v->txn = NULL;
}

/* ------------------------------------------------------ verification */

void
hc_txn_token_clear(hc_txn_token *t)
{
	hc_json_free(t->claims);
	memset(t, 0, sizeof(*t));
}

/* The header up to the key: alg, crit, typ (section 9.1). */
static hc_status
check_header(const hc_txn_policy *tp, const hc_json *h, hc_alg *alg,
    const char **kid, hc_detail *d)
{
	const hc_json *j = hc_json_get(h, "alg");
	const char *s;
	char q[HC_QBUF];

	if (j == NULL)
		return hc_fail(d, HC_MALFORMED, "Txn-Token header has no alg");
	if ((s = hc_json_string(j)) == NULL)
		return hc_fail(d, HC_MALFORMED, "Txn-Token header alg is a %s, not "
		    "a string", hc_json_type_name(hc_json_type_of(j)));
	if (strcasecmp(s, "none") == 0)
		return hc_fail(d, HC_ALG, "Txn-Token alg %s (an unsecured JWS) is "
		    "never accepted", hc_quote(q, sizeof(q), s));
	*alg = hc_alg_from_name(s);
	if (*alg == HC_ALG_UNKNOWN || !(tp->alg_mask & HC_ALG_BIT(*alg)))
		return hc_fail(d, HC_ALG, "Txn-Token alg %s is not in "
		    "txn_tokens.algorithms", hc_quote(q, sizeof(q), s));
	if (hc_json_get(h, "crit") != NULL)
		return hc_fail(d, HC_CRIT, "Txn-Token header carries crit; "
		    "hopcheck understands no JWS extension");
	/* Section 9.1: typ "MUST be present and MUST have the value". */
	if ((j = hc_json_get(h, "typ")) == NULL)
		return hc_fail(d, HC_TYPE, "Txn-Token header has no typ; "
		    "txn-tokens-10 section 9.1 requires %s", HC_TXN_TYP);
	if ((s = hc_json_string(j)) == NULL)
		return hc_fail(d, HC_TYPE, "Txn-Token typ is a %s, not %s",
		    hc_json_type_name(hc_json_type_of(j)), HC_TXN_TYP);
	if (!hc_typ_is(s, HC_TXN_TYP))
		return hc_fail(d, HC_TYPE, "typ %s is not %s (txn-tokens-10 "
		    "section 9.1)", hc_quote(q, sizeof(q), s), HC_TXN_TYP);
	j = hc_json_get(h, "kid");
	if (j != NULL && (*kid = hc_json_string(j)) == NULL)
		return hc_fail(d, HC_MALFORMED, "Txn-Token header kid is a %s, "
		    "not a string", hc_json_type_name(hc_json_type_of(j)));
	return HC_OK;
}

/* The signature, with a key of the TTS set of this trust domain only. */
static hc_status
check_signature(hc_txn_state *ts, const hc_jws *jws, hc_alg alg,
    const char *kid, hc_detail *d)
{
	char q[HC_QBUF];
	const hc_key *key;
	hc_keyset *ks;
	hc_status st;

	if ((ks = hc_keyslot_get(&ts->keys)) == NULL)
		return hc_fail(d, HC_UNAVAILABLE, "keys of the Transaction Token "
		    "Service of %s are not loaded yet", hc_quote(q, sizeof(q),
		    ts->pol->trust_domain));
	st = hc_keyset_find(ks, kid, alg, &key, d);
	if (st == HC_KEY)
		hc_refresh_note_kid_miss(ts->remote);  /* a rotation, perhaps */
	if (st == HC_OK)
		st = hc_key_verify(key, alg, (const unsigned char *)
		    jws->signing_input, jws->signing_input_len, jws->sig,
		    jws->sig_len, d);
	hc_keyset_unref(ks);
	return st;
}

/* A required string claim of section 9.2. */
static hc_status
need_string(const hc_json *p, const char *name, const char **out,
    hc_detail *d)
{
	const hc_json *j = hc_json_get(p, name);

	if (j == NULL)
		return hc_fail(d, HC_CLAIM, "Txn-Token has no %s (required, "
		    "txn-tokens-10 section 9.2)", name);
	if ((*out = hc_json_string(j)) == NULL)
		return hc_fail(d, HC_CLAIM, "Txn-Token claim %s is a %s, not a "
		    "string (txn-tokens-10 section 9.2)", name,
		    hc_json_type_name(hc_json_type_of(j)));
	return HC_OK;
}

/* A NumericDate (RFC 7519 section 2); required unless `optional`. */
static hc_status
need_date(const hc_json *p, const char *name, bool optional, double *out,
    hc_detail *d)
{
	const hc_json *j = hc_json_get(p, name);

	if (j == NULL && optional)
		return HC_OK;
	if (j == NULL)
		return hc_fail(d, HC_CLAIM, "Txn-Token has no %s (required, "
		    "txn-tokens-10 section 9.2)", name);
	if (!hc_json_number(j, out))
		return hc_fail(d, HC_CLAIM, "Txn-Token claim %s is a %s, not a "
		    "NumericDate", name, hc_json_type_name(hc_json_type_of(j)));
	if (!isfinite(*out) || *out < 0 || *out > HC_MAX_NUMERIC_DATE)
		return hc_fail(d, HC_CLAIM, "Txn-Token claim %s %.17g is outside "
		    "the NumericDate range", name, *out);
	return HC_OK;
}

/* tctx and rctx: objects when present; null is no object (section 9.2). */
static hc_status
optional_object(const hc_json *p, const char *name, hc_detail *d)
{
	const hc_json *j = hc_json_get(p, name);

	if (j != NULL && hc_json_type_of(j) != HC_JSON_OBJECT)
		return hc_fail(d, HC_CLAIM, "Txn-Token claim %s is a %s, not an "
		    "object (txn-tokens-10 section 9.2)", name,
		    hc_json_type_name(hc_json_type_of(j)));
	return HC_OK;
}

/* The claims of section 9.2, their presence and their JSON types. */
static hc_status
check_claims(hc_txn_token *t, hc_detail *d)
{
	const hc_json *p = t->claims, *j;
	double nbf;
	size_t n;
	hc_status st;

	if ((st = need_date(p, "iat", false, &t->iat, d)) != HC_OK)
		return st;
	if ((j = hc_json_get(p, "aud")) == NULL)
		return hc_fail(d, HC_CLAIM, "Txn-Token has no aud (required, "
		    "txn-tokens-10 section 9.2)");
	if (hc_json_type_of(j) == HC_JSON_ARRAY) {
		if (hc_json_count(j) > HC_MAX_AUDIENCES)
			return hc_fail(d, HC_CLAIM, "Txn-Token aud has %zu values, "
			    "over the limit of %d", hc_json_count(j),
			    HC_MAX_AUDIENCES);
		for (const hc_json *e = hc_json_first(j); e; e = hc_json_next(e))
			if (hc_json_type_of(e) != HC_JSON_STRING)
				return hc_fail(d, HC_CLAIM, "Txn-Token aud has a %s "
				    "element, not a string",
				    hc_json_type_name(hc_json_type_of(e)));
	} else if (hc_json_type_of(j) != HC_JSON_STRING)
		return hc_fail(d, HC_CLAIM, "Txn-Token claim aud is a %s, not a "
		    "string", hc_json_type_name(hc_json_type_of(j)));
	if ((st = need_date(p, "exp", false, &t->exp, d)) != HC_OK ||
	    (st = need_date(p, "nbf", true, &nbf, d)) != HC_OK ||
	    (st = need_string(p, "txn", &t->txn, d)) != HC_OK ||
	    (st = need_string(p, "sub", &t->sub, d)) != HC_OK ||
	    (st = need_string(p, "scope", &t->scope, d)) != HC_OK ||
	    (st = need_string(p, "req_wl", &t->req_wl, d)) != HC_OK ||
	    (st = optional_object(p, "tctx", d)) != HC_OK ||
	    (st = optional_object(p, "rctx", d)) != HC_OK)
		return st;
	if (t->txn[0] == '\0')
		return hc_fail(d, HC_CLAIM, "Txn-Token txn is empty");
	/* RFC 8693 section 4.2, as section 9.2 says. */
	if (!hc_scope_well_formed(t->scope, &n))
		return hc_fail(d, HC_CLAIM, "Txn-Token scope is not a list of "
		    "scope tokens separated by single spaces (RFC 6749 section "
		    "3.3)");
	if ((j = hc_json_get(p, "iss")) != NULL &&
	    (t->iss = hc_json_string(j)) == NULL)
		return hc_fail(d, HC_CLAIM, "Txn-Token claim iss is a %s, not a "
		    "string", hc_json_type_name(hc_json_type_of(j)));
	return HC_OK;
}

/*
 * aud names this trust domain, exactly (sections 12.2 and 14): no case or
 * slash folding, and an array of exactly that one value.
 */
static hc_status
check_audience(const hc_txn_policy *tp, const hc_json *p, hc_detail *d)
{
	const hc_json *j = hc_json_get(p, "aud");
	const char *a = hc_json_string(j);
	char q[HC_QBUF], q2[HC_QBUF];

	if (a == NULL) {
		if (hc_json_count(j) != 1)
			return hc_fail(d, HC_AUDIENCE, "Txn-Token aud is an array "
			    "of %zu values; it must name exactly the trust domain "
			    "%s", hc_json_count(j), hc_quote(q, sizeof(q),
			    tp->trust_domain));
		a = hc_json_string(hc_json_first(j));
	}
	if (strcmp(a, tp->trust_domain) != 0)
		return hc_fail(d, HC_AUDIENCE, "Txn-Token aud %s is not this trust "
		    "domain %s (txn-tokens-10 section 12.2)",
		    hc_quote(q, sizeof(q), a), hc_quote(q2, sizeof(q2),
		    tp->trust_domain));
	return HC_OK;
}

/*
 * exp (section 12.2), nbf, a future iat (lifetime, as for access tokens)
 * and exp - iat within max_lifetime_s (section 6: short-lived).
 */
static hc_status
check_times(const hc_validator *v, const hc_txn_token *t, int64_t now,
    hc_detail *d)
{
	const double n = (double)now, skew = (double)v->policy->clock_skew_s;
	const int64_t max = v->policy->txn->max_lifetime_s;
	double nbf;

	if (n >= t->exp + skew)
		return hc_fail(d, HC_EXPIRED, "Txn-Token expired: exp %.17g, now "
		    "%lld, clock skew %.0fs", t->exp, (long long)now, skew);
	if (hc_json_number(hc_json_get(t->claims, "nbf"), &nbf) &&
	    n + skew < nbf)
		return hc_fail(d, HC_NOT_YET_VALID, "Txn-Token not valid before "
		    "nbf %.17g, now %lld", nbf, (long long)now);
	if (t->iat > n + skew)
		return hc_fail(d, HC_LIFETIME, "Txn-Token iat %.17g is in the "
		    "future (now %lld, clock skew %.0fs)", t->iat, (long long)now,
		    skew);
	if (t->exp - t->iat > (double)max)
		return hc_fail(d, HC_LIFETIME, "Txn-Token lifetime exp - iat = "
		    "%.17gs is over txn_tokens.max_lifetime_s %lld",
		    t->exp - t->iat, (long long)max);
	return HC_OK;
}

/* iss, when present and an allowlist is configured (section 13.16). */
static hc_status
check_issuer(const hc_txn_policy *tp, const hc_txn_token *t, hc_detail *d)
{
	char q[HC_QBUF];

	if (t->iss == NULL || tp->issuers.n == 0)
		return HC_OK;
	for (size_t i = 0; i < tp->issuers.n; i++)
		if (strcmp(tp->issuers.v[i], t->iss) == 0)
			return HC_OK;
	return hc_fail(d, HC_ISSUER, "Txn-Token iss %s is not in "
	    "txn_tokens.issuers", hc_quote(q, sizeof(q), t->iss));
}

hc_status
hc_txn_verify(const hc_validator *v, const char *token, size_t len,
    int64_t now, bool times, hc_txn_token *out, hc_detail *d)
{
	const hc_txn_policy *tp;
	const char *kid = NULL;
	hc_alg alg = HC_ALG_UNKNOWN;
	hc_jws jws;
	hc_status st;

	memset(out, 0, sizeof(*out));
	memset(&jws, 0, sizeof(jws));
	if (v == NULL || v->txn == NULL)
		return hc_fail(d, HC_MALFORMED, "a Txn-Token was presented and "
		    "this service configures no txn_tokens");
	tp = v->txn->pol;
	/* Section 12.1: exactly one token; a JWS has no comma. */
	if (len > 0 && memchr(token, ',', len) != NULL)
		return hc_fail(d, HC_MALFORMED, "the Txn-Token value holds a "
		    "comma: two tokens, or two header fields joined "
		    "(txn-tokens-10 section 12.1)");
	if (len > v->policy->max_token_bytes)
		return hc_fail(d, HC_MALFORMED, "Txn-Token is %zu bytes, over "
		    "max_token_bytes %zu", len, v->policy->max_token_bytes);
	if ((st = hc_jws_parse(token, len, &jws, d)) != HC_OK)
		goto done;
	if ((st = check_header(tp, jws.header, &alg, &kid, d)) != HC_OK ||
	    (st = check_signature(v->txn, &jws, alg, kid, d)) != HC_OK)
		goto done;
	out->claims = jws.payload;
	jws.payload = NULL;
	out->verified = true;
	if ((st = check_claims(out, d)) != HC_OK ||
	    (st = check_audience(tp, out->claims, d)) != HC_OK ||
	    (times && (st = check_times(v, out, now, d)) != HC_OK))
		goto done;
	st = check_issuer(tp, out, d);
done:
	hc_jws_clear(&jws);
	return st;
}

/* ---------------------------------------------------------- pipeline */

hc_status
hc_txn_check(hc_ctx *c)
{
	hc_result *r = c->res;
	hc_txn_token t;
	hc_status st;

	st = hc_txn_verify(c->v, c->req->txn_token, c->req->txn_token_len,
	    c->now, true, &t, &r->detail);
	if (t.verified) {
		r->txn_claims = t.claims;
		r->txn_verified = true;
		r->txn = t.txn;
		r->txn_subject = t.sub;
		r->txn_scope = t.scope;
		r->txn_req_wl = t.req_wl;
		r->txn_exp = (int64_t)floor(t.exp);
		t.claims = NULL;
	}
	hc_txn_token_clear(&t);
	return st;
}

hc_status
hc_txn_spend(hc_ctx *c, const hc_route_policy *rt)
{
	const char *td = c->v->txn->pol->trust_domain, *txn = c->res->txn;
	const int64_t skew = c->pol->clock_skew_s;
	size_t tl = strlen(td), xl = strlen(txn), ml = strlen(rt->method);
	size_t pl = strlen(rt->path), klen = tl + xl + ml + pl + 3, o = 0;
	char q[HC_QBUF];
	unsigned char *key;
	int64_t expires;
	hc_status st;

	/* (trust domain, txn, route pattern): each NUL-separated. */
	if ((key = malloc(klen)) == NULL)
		return hc_fail(&c->res->detail, HC_INTERNAL, "out of memory");
	memcpy(key + o, td, tl);
	o += tl;
	key[o++] = '\0';
	memcpy(key + o, txn, xl);
	o += xl;
	key[o++] = '\0';
	memcpy(key + o, rt->method, ml);
	o += ml;
	key[o++] = '\0';
	memcpy(key + o, rt->path, pl);
	/* Section 13.2: remembered as long as the token could pass. */
	expires = c->res->txn_exp > INT64_MAX - skew ? INT64_MAX :
	    c->res->txn_exp + skew;
	st = hc_replay_spend_key(c->v, TXN_NS, key, klen, c->now, expires,
	    c->pol->txn->max_lifetime_s + 2 * skew, &c->res->detail);
	free(key);
	if (st == HC_REPLAY)
		return hc_fail(&c->res->detail, HC_REPLAY, "Txn-Token txn %s was "
		    "already used on this txn_single_use route (txn-tokens-10 "
		    "section 13.2)", hc_quote(q, sizeof(q), txn));
	return st;
}

/* ------------------------------------------------------ calling side */

/* Whether every scope of `narrow` is in `wide`. */
static bool
scope_subset(const char *narrow, const char *wide, char *missing, size_t n)
{
	const char *p = narrow;

	while (*p != '\0') {
		size_t l = strcspn(p, " ");
		char tok[HC_DETAIL_VALUE_MAX + 1];

		(void)snprintf(tok, sizeof(tok), "%.*s", (int)l, p);
		if (l > HC_DETAIL_VALUE_MAX || !hc_scope_has(wide, tok)) {
			(void)snprintf(missing, n, "%s", tok);
			return false;
		}
		p += l;
		while (*p == ' ')
			p++;
	}
	return true;
}

/* Compares claim `name` of both tokens as compact JSON; 0 when equal. */
static int
claim_differs(const hc_json *a, const hc_json *b, const char *name)
{
	char *x = hc_json_print(hc_json_get(a, name));
	char *y = hc_json_print(hc_json_get(b, name));
	int diff = x == NULL || y == NULL || strcmp(x, y) != 0;

	free(x);
	free(y);
	return diff;
}

/*
 * Section 13.15: a replacement keeps txn, sub and aud, does not widen
 * scope, is not issued from an expired input, and is itself valid.
 */
HC_EXPORT hc_status
hc_check_txn_replacement(const hc_validator *v, const char *subject,
    size_t subject_len, const char *issued, size_t issued_len, int64_t now,
    char **detail)
{
	static const char *const kept[] = { "txn", "sub", "aud" };
	char miss[HC_DETAIL_VALUE_MAX + 1], q[HC_QBUF];
	hc_txn_token s, i;
	hc_detail d = { "" }, sub = { "" };
	hc_status st;

	if (detail != NULL)
		*detail = NULL;
	memset(&s, 0, sizeof(s));
	memset(&i, 0, sizeof(i));
	if (v == NULL || subject == NULL || issued == NULL) {
		st = hc_fail(&d, HC_INTERNAL, "no validator or token");
		goto done;
	}
	if (now == 0)
		now = (int64_t)time(NULL);
	if ((st = hc_txn_verify(v, subject, subject_len, now, false, &s,
	    &sub)) != HC_OK) {
		(void)hc_fail(&d, st, "subject token: %s", sub.text);
		goto done;
	}
	if ((st = hc_txn_verify(v, issued, issued_len, now, true, &i, &sub)) !=
	    HC_OK) {
		(void)hc_fail(&d, st, "issued token: %s", sub.text);
		goto done;
	}
	for (size_t k = 0; k < sizeof(kept) / sizeof(kept[0]); k++)
		if (claim_differs(s.claims, i.claims, kept[k])) {
			st = hc_fail(&d, HC_POLICY, "the replacement changes %s "
			    "(txn-tokens-10 section 13.15: it MUST NOT)", kept[k]);
			goto done;
		}
	if (!scope_subset(i.scope, s.scope, miss, sizeof(miss))) {
		st = hc_fail(&d, HC_NARROWING, "the replacement adds scope %s "
		    "(txn-tokens-10 section 13.15: it MUST NOT expand scope)",
		    hc_quote(q, sizeof(q), miss));
		goto done;
	}
	if (i.iat >= s.exp + (double)v->policy->clock_skew_s) {
		st = hc_fail(&d, HC_EXPIRED, "the replacement was issued at iat "
		    "%.17g, after its input expired at %.17g (txn-tokens-10 "
		    "section 13.15)", i.iat, s.exp);
		goto done;
	}
	st = hc_fail(&d, HC_OK, "the replacement keeps txn, sub and aud and "
	    "does not widen scope");
done:
	hc_txn_token_clear(&s);
	hc_txn_token_clear(&i);
	if (detail != NULL)
		*detail = hc_strdup(d.text);
	return st;
}
