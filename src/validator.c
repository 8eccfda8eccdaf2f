/* SPDX-License-Identifier: Apache-2.0 */
/*
 * validator.c - building a validator, and the pipeline of hc_validate().
 *
 * A validator is the parsed policy plus, per issuer, its current key set.
 * Construction reads every key file the policy names and reports every
 * problem at once.  hc_validate() runs the layers in a fixed order and
 * stops at the first failure:
 *
 *   layer 1 (here): size, compact JWS syntax, `alg`, `crit`, the issuer
 *   whose keys may verify the token (the only claim read before the
 *   signature, RFC 8725 section 3.8), the algorithm allowlist, the key by
 *   `kid` within that issuer's own set, and the signature;
 *   claim types, layer 2 and layer 3 (claims.c).
 *
 * Nothing a token says is believed before its signature verifies: the
 * unverified `iss` only selects whose keys to try, and header parameters
 * that name keys (`jku`, `jwk`, `x5u`, `x5c`) are never consulted.
 */
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "cache.h"
#include "credentials.h"
#include "refresh.h"
#include "replay.h"
#include "txn.h"
#include "validator.h"

/* Decimal digits of the largest size_t (2^64 - 1), for a "%zu" index. */
#define ZU_DIGITS 20

/* Room for every algorithm name alg_list() can write, each with its space. */
#define ALG_LIST_MAX (HC_ALG_COUNT * sizeof("ES256 "))

/* --------------------------------------------------------- construction */

/* Appends "prefix: line" to a growing error text; keeps going on OOM. */
static void
add_error(char **errors, const char *prefix, const char *line)
{
	size_t old = *errors ? strlen(*errors) : 0;
	size_t need = strlen(prefix) + 2 + strlen(line) + 1;
	char *n = realloc(*errors, old + 1 + need);

	if (n == NULL)
		return;
	*errors = n;
	if (old > 0)
		n[old++] = '\n';
	(void)snprintf(n + old, need, "%s%s%s", prefix, prefix[0] ? ": " : "",
	    line);
}

/*
 * Loads the keys of one issuer from its files.  Remote sources (jwks_uri,
 * discovery) start empty: their tokens get HC_UNAVAILABLE until a refresh
 * has loaded a set.
 */
static hc_status
load_issuer_keys(hc_issuer_state *is, hc_detail *d)
{
	const hc_issuer_policy *ip = is->pol;
	hc_keyset *ks;
	char *buf = NULL;
	size_t len = 0;
	hc_status st = HC_OK;

	switch (ip->keysrc) {
	case HC_KEYSRC_JWKS_FILE:
		if (hc_read_file(ip->key_location, HC_MAX_KEYFILE_BYTES, &buf,
		    &len, d) != 0)
			return HC_CONFIG;
		st = hc_keyset_parse(buf, len, false, &ks, d);
		if (st == HC_OK) {
			ks->loaded_at = (int64_t)time(NULL);
			hc_keyslot_swap(&is->keys, ks);
		}
		break;
	case HC_KEYSRC_HMAC_SECRET:
		if (hc_read_file(ip->key_location, HC_MAX_HMAC_BYTES + 2, &buf,
		    &len, d) != 0)
			return HC_CONFIG;
		/* One trailing newline is the file's, not the secret's. */
		if (len > 0 && buf[len - 1] == '\n')
			len--;
		if (len > 0 && buf[len - 1] == '\r')
			len--;
		st = hc_key_from_secret((const unsigned char *)buf, len,
		    &is->secret, d);
		hc_wipe(buf, len);
		break;
	default:
		break;
	}
	free(buf);
	return st;
}

/* Loads a trust domain's JWT-SVID keys from its bundle file. */
static hc_status
load_bundle_keys(hc_td_state *ts, hc_detail *d)
{
	hc_keyset *ks;
	char *buf = NULL;
	size_t len = 0;
	hc_status st;

	if (ts->pol->bundle_file == NULL)
		return HC_OK;
	if (hc_read_file(ts->pol->bundle_file, HC_MAX_KEYFILE_BYTES, &buf, &len,
	    d) != 0)
		return HC_CONFIG;
	st = hc_bundle_parse(buf, len, ts->pol->trust_domain, &ks, d);
	if (st == HC_OK) {
		ks->loaded_at = (int64_t)time(NULL);
		hc_keyslot_swap(&ts->keys, ks);
	}
	free(buf);
	return st;
}

static void
validator_free_states(hc_validator *v)
{
	hc_refresh_free(v);
	hc_txn_free(v);
	hc_wimse_free(v->wimse);
	v->wimse = NULL;
	hc_replay_free(v->replay);
	v->replay = NULL;
	hc_cache_free(v->cache);
	v->cache = NULL;
	if (v->issuers != NULL) {
		for (size_t i = 0; i < v->policy->nissuers; i++) {
			hc_keyslot_destroy(&v->issuers[i].keys);
			hc_key_free(v->issuers[i].secret);
		}
	}
	if (v->tds != NULL) {
		for (size_t i = 0; i < v->policy->ntrust_domains; i++) {
			hc_keyslot_destroy(&v->tds[i].keys);
		}
	}
	free(v->issuers);
	free(v->tds);
	v->issuers = NULL;
	v->tds = NULL;
}

HC_EXPORT hc_status
hc_validator_new_from_json(const char *json, size_t len, const char *base_dir,
    hc_validator **out, char **errors)
{
	hc_validator *v = NULL;
	char *text = NULL, *errs = NULL;
	hc_status st;

	*out = NULL;
	if (errors != NULL)
		*errors = NULL;
	if (json == NULL || len > HC_MAX_CONFIG_BYTES) {
		add_error(&errs, "configuration", "missing or over the size limit");
		st = HC_CONFIG;
		goto fail;
	}
	if ((text = malloc(len + 1)) == NULL ||
	    (v = calloc(1, sizeof(*v))) == NULL) {
		st = HC_INTERNAL;
		goto fail;
	}
	memcpy(text, json, len);
	text[len] = '\0';
	st = hc_policy_parse(text, len, base_dir, &v->policy, &errs);
	if (st != HC_OK)
		goto fail;
	v->issuers = calloc(v->policy->nissuers + 1, sizeof(*v->issuers));
	v->tds = calloc(v->policy->ntrust_domains + 1, sizeof(*v->tds));
	if (v->issuers == NULL || v->tds == NULL) {
		st = HC_INTERNAL;
		goto fail;
	}
	for (size_t i = 0; i < v->policy->nissuers; i++) {
		hc_issuer_state *is = &v->issuers[i];
		hc_detail d = { "" };

		is->pol = &v->policy->issuers[i];
		hc_keyslot_init(&is->keys);
		if (load_issuer_keys(is, &d) != HC_OK) {
			char path[sizeof("issuers[]") + ZU_DIGITS];
			(void)snprintf(path, sizeof(path), "issuers[%zu]", i);
			add_error(&errs, path, d.text);
			st = HC_CONFIG;
		}
	}
	for (size_t i = 0; i < v->policy->ntrust_domains; i++) {
		hc_td_state *ts = &v->tds[i];
		hc_detail d = { "" };

		ts->pol = &v->policy->trust_domains[i];
		hc_keyslot_init(&ts->keys);
		if (load_bundle_keys(ts, &d) != HC_OK) {
			char path[sizeof("spiffe.trust_domains[]") + ZU_DIGITS];
			(void)snprintf(path, sizeof(path), "spiffe.trust_domains[%zu]",
			    i);
			add_error(&errs, path, d.text);
			st = HC_CONFIG;
		}
	}
	if (st == HC_OK) {
		hc_detail d = { "" };
		if ((st = hc_txn_init(v, &d)) != HC_OK)
			add_error(&errs, "txn_tokens", d.text);
	}
	if (st == HC_OK && v->policy->wimse.mode != HC_MODE_OFF) {
		hc_detail d = { "" };
		if ((st = hc_wimse_new(v->policy, &v->wimse, &d)) != HC_OK) {
			add_error(&errs, "wimse", d.text);
			st = st == HC_INTERNAL ? HC_INTERNAL : HC_CONFIG;
		}
	}
	if (st == HC_OK) {
		hc_detail d = { "" };
		if ((st = hc_replay_new(v->policy, &v->replay, &d)) != HC_OK)
			add_error(&errs, "replay", d.text);
	}
	if (st == HC_OK) {
		hc_detail d = { "" };
		st = hc_cache_new(v->policy->cache_max_entries, &v->cache, &d);
		if (st != HC_OK)
			add_error(&errs, "cache", d.text);
	}
	if (st == HC_OK) {
		hc_detail d = { "" };
		if ((st = hc_refresh_init(v, &d)) != HC_OK)
			add_error(&errs, "fetch", d.text);
	}
	if (st != HC_OK)
		goto fail;
	hc_wipe(text, len);         /* it may hold a Redis password */
	free(text);
	*out = v;
	return HC_OK;
fail:
	if (text != NULL)
		hc_wipe(text, len);
	free(text);
	if (v != NULL) {
		if (v->policy != NULL)
			validator_free_states(v);
		hc_policy_free(v->policy);
		free(v);
	}
	if (st == HC_INTERNAL && errs == NULL)
		add_error(&errs, "", "out of memory");
	if (errors != NULL)
		*errors = errs;
	else
		free(errs);
	return st == HC_OK ? HC_CONFIG : st;
}

HC_EXPORT hc_status
hc_validator_new_from_file(const char *path, hc_validator **out,
    char **errors)
{
	hc_detail d = { "" };
	char *buf = NULL, *dircopy = NULL;
	size_t len;
	hc_status st;

	*out = NULL;
	if (errors != NULL)
		*errors = NULL;
	if (hc_read_file(path, HC_MAX_CONFIG_BYTES, &buf, &len, &d) != 0) {
		if (errors != NULL)
			*errors = hc_strdup(d.text);
		return HC_CONFIG;
	}
	if ((dircopy = hc_strdup(path)) == NULL) {
		free(buf);
		return HC_INTERNAL;
	}
	st = hc_validator_new_from_json(buf, len, dirname(dircopy), out, errors);
	free(dircopy);
	hc_wipe(buf, len);
	free(buf);
	return st;
}

HC_EXPORT void
hc_validator_free(hc_validator *v)
{
	if (v == NULL)
		return;
	validator_free_states(v);
	hc_policy_free(v->policy);
	free(v);
}

/* ---------------------------------------------------------------- layer 1 */

/* Names the allowed algorithms of an issuer into buf, for details. */
static const char *
alg_list(unsigned mask, char *buf, size_t n)
{
	size_t o = 0;

	buf[0] = '\0';
	for (int a = HC_ALG_HS256; a < HC_ALG_COUNT; a++) {
		if (!(mask & HC_ALG_BIT(a)))
			continue;
		int w = snprintf(buf + o, n - o, "%s%s", o ? " " : "",
		    hc_alg_name((hc_alg)a));
		if (w < 0 || (size_t)w >= n - o)
			break;
		o += (size_t)w;
	}
	return buf;
}

/*
 * Verifies the signature with the key for `kid` from the current set of
 * `slot`, holding a reference of its own so that a concurrent swap cannot
 * free the set under it.  `set_name` (or NULL) names the set in a lookup
 * failure, and `note` (or NULL) is appended to it.
 */
static hc_status
verify_with_set(hc_ctx *c, const hc_jws *jws, hc_alg alg, const char *kid,
    hc_keyslot *slot, hc_remote *remote, const char *owner,
    const char *set_name, const char *note, hc_detail *d)
{
	char q[HC_QBUF];
	const hc_key *key;
	hc_keyset *ks;
	hc_status st;

	if ((ks = hc_keyslot_get(slot)) == NULL)
		return hc_fail(d, HC_UNAVAILABLE, "keys of %s are not loaded yet",
		    hc_quote(q, sizeof(q), owner));
	st = hc_keyset_find_in(ks, set_name, kid, alg, &key, d);
	if (st == HC_KEY) {
		hc_refresh_note_kid_miss(remote);   /* a rotation, perhaps */
		if (note != NULL) {
			hc_detail kd = *d;
			(void)hc_fail(d, st, "%s; %s", kd.text, note);
		}
	}
	if (st == HC_OK)
		st = hc_key_verify(key, alg, (const unsigned char *)
		    jws->signing_input, jws->signing_input_len, jws->sig,
		    jws->sig_len, d);
	if (st != HC_OK) {
		hc_keyset_unref(ks);
		return st;
	}
	/* The cache remembers which set verified the token. */
	c->key_set = ks;
	c->key_slot = slot;
	return HC_OK;
}

/* Records what verified the token. */
static hc_status
finish_layer1(hc_ctx *c, hc_alg alg, const char *kid, hc_status st,
    hc_detail *d)
{
	if (st != HC_OK)
		return st;
	(void)d;                    /* nothing left here can fail */
	c->res->alg = hc_alg_name(alg);
	c->res->kid = kid;          /* borrowed from the header */
	return HC_OK;
}

/*
 * The policy JWT-SVIDs are held to (JWT-SVID sections 2-4): RS, ES and PS
 * algorithms only, `typ` JWT or JOSE or absent, default lifetime bound.
 */
static const char *const svid_types[] = { "jwt", "jose" };
static const hc_issuer_policy svid_policy = {
	.issuer = NULL,
	.alg_mask = HC_ALG_BIT(HC_ALG_RS256) | HC_ALG_BIT(HC_ALG_RS384) |
	    HC_ALG_BIT(HC_ALG_RS512) | HC_ALG_BIT(HC_ALG_PS256) |
	    HC_ALG_BIT(HC_ALG_PS384) | HC_ALG_BIT(HC_ALG_PS512) |
	    HC_ALG_BIT(HC_ALG_ES256) | HC_ALG_BIT(HC_ALG_ES384) |
	    HC_ALG_BIT(HC_ALG_ES512),
	.token_types = { (char **)(uintptr_t)svid_types, 2 },
	.typ_may_be_absent = true,
	.max_lifetime_s = HC_DEFAULT_MAX_LIFETIME_S,
};

/* The configured trust domain of an unverified SPIFFE ID `sub`, or NULL. */
static hc_td_state *
svid_domain(hc_ctx *c, const hc_json *payload)
{
	const char *sub = hc_json_string(hc_json_get(payload, "sub"));
	size_t tdlen;

	/* A JWT-SVID names a workload: a SPIFFE ID with a path (section 3.1). */
	if (sub == NULL || c->pol->ntrust_domains == 0 ||
	    hc_spiffe_id_check(sub, strlen(sub), &tdlen, NULL) != HC_OK ||
	    strlen(sub) == HC_SPIFFE_SCHEME_LEN + tdlen)
		return NULL;
	for (size_t i = 0; i < c->pol->ntrust_domains; i++) {
		const char *td = c->pol->trust_domains[i].trust_domain;
		if (strlen(td) == tdlen &&
		    memcmp(td, sub + HC_SPIFFE_SCHEME_LEN, tdlen) == 0)
			return &c->v->tds[i];
	}
	return NULL;
}

/*
 * Layer 1 of a JWT-SVID: only `alg`, `kid` and `typ` may appear in the
 * header (JWT-SVID section 2), the algorithm is one of RFC 7518 sections
 * 3.3-3.5, and the key is a "jwt-svid" key of the bundle of the trust
 * domain the `sub` names.  `iss` (or NULL) is the token's unconfigured
 * issuer: a key miss says so, since the token may have been meant for
 * that issuer rather than as a JWT-SVID.
 */
static hc_status
layer1_svid(hc_ctx *c, const hc_jws *jws, hc_alg alg, hc_td_state *ts,
    const char *iss, hc_detail *d)
{
	char q[HC_QBUF], owner[HC_MAX_TRUST_DOMAIN_BYTES + 16];
	char set_name[HC_MAX_TRUST_DOMAIN_BYTES + 32];
	char note[HC_QBUF + 40];
	const char *kid = NULL;
	const hc_json *j;

	for (j = hc_json_first(jws->header); j != NULL; j = hc_json_next(j)) {
		const char *n = hc_json_name(j);
		if (strcmp(n, "alg") != 0 && strcmp(n, "kid") != 0 &&
		    strcmp(n, "typ") != 0)
			return hc_fail(d, HC_MALFORMED, "JWT-SVID header carries %s; "
			    "only alg, kid and typ are allowed (JWT-SVID section 2)",
			    hc_quote(q, sizeof(q), n));
	}
	if (!(svid_policy.alg_mask & HC_ALG_BIT(alg)))
		return hc_fail(d, HC_ALG, "alg %s is not allowed for a JWT-SVID "
		    "(JWT-SVID section 2.1)", hc_alg_name(alg));
	j = hc_json_get(jws->header, "kid");
	if (j != NULL && (kid = hc_json_string(j)) == NULL)
		return hc_fail(d, HC_MALFORMED, "header kid is a %s, not a string",
		    hc_json_type_name(hc_json_type_of(j)));
	c->ipol = &svid_policy;
	(void)snprintf(owner, sizeof(owner), "spiffe://%s", ts->pol->trust_domain);
	(void)snprintf(set_name, sizeof(set_name), "the bundle of trust domain "
	    "%s", ts->pol->trust_domain);
	if (iss != NULL)
		(void)snprintf(note, sizeof(note), "iss %s is not a configured "
		    "issuer", hc_quote(q, sizeof(q), iss));
	return finish_layer1(c, alg, kid, verify_with_set(c, jws, alg, kid,
	    &ts->keys, ts->remote, owner, set_name, iss != NULL ? note : NULL,
	    d), d);
}

/*
 * Layer 1: everything up to and including the signature.  On success the
 * issuer policy is in c->ipol and the verifying key's kid (if any) and the
 * algorithm in the result.
 */
static hc_status
layer1(hc_ctx *c, const char *token, size_t len, hc_jws *jws, hc_detail *d)
{
	const hc_json *j;
	const char *alg_s, *iss = NULL, *kid = NULL;
	char q[HC_QBUF], algs[ALG_LIST_MAX];
	hc_issuer_state *is;
	size_t idx;
	hc_alg alg;
	hc_status st;

	if (len > c->pol->max_token_bytes)
		return hc_fail(d, HC_MALFORMED, "token is %zu bytes, over "
		    "max_token_bytes %zu", len, c->pol->max_token_bytes);
	if ((st = hc_jws_parse(token, len, jws, d)) != HC_OK)
		return st;
	c->header = jws->header;
	c->payload = jws->payload;

	/* RFC 7515 section 4.1.1: alg is required and is a string. */
	j = hc_json_get(jws->header, "alg");
	if (j == NULL)
		return hc_fail(d, HC_MALFORMED, "header has no alg");
	if ((alg_s = hc_json_string(j)) == NULL)
		return hc_fail(d, HC_MALFORMED, "header alg is a %s, not a string",
		    hc_json_type_name(hc_json_type_of(j)));
	if (strcasecmp(alg_s, "none") == 0)
		return hc_fail(d, HC_ALG, "alg %s (an unsecured JWS) is never "
		    "accepted", hc_quote(q, sizeof(q), alg_s));
	if ((alg = hc_alg_from_name(alg_s)) == HC_ALG_UNKNOWN)
		return hc_fail(d, HC_ALG, "alg %s is not a supported algorithm",
		    hc_quote(q, sizeof(q), alg_s));

	/* RFC 7515 section 4.1.11: no extension is understood here. */
	if (hc_json_get(jws->header, "crit") != NULL)
		return hc_fail(d, HC_CRIT, "header carries crit; hopcheck "
		    "understands no JWS extension");
	/* A token of another kind, before any issuer is chosen. */
	if ((st = hc_typ_refuse_other_kinds(jws->header, d)) != HC_OK)
		return st;

	/*
	 * The unverified iss only chooses whose keys may verify the token; a
	 * token of no configured issuer whose sub is a SPIFFE ID of a
	 * configured trust domain is a JWT-SVID, verified with that domain's
	 * bundle (SPIFFE-ID section 3: an SVID is valid when signed by an
	 * authority of its own trust domain).
	 */
	j = hc_json_get(jws->payload, "iss");
	if (j != NULL && (iss = hc_json_string(j)) == NULL)
		return hc_fail(d, HC_MALFORMED, "iss is a %s, not a string",
		    hc_json_type_name(hc_json_type_of(j)));
	if (iss == NULL || (c->ipol = hc_policy_issuer(c->pol, iss, &idx)) ==
	    NULL) {
		hc_td_state *ts = svid_domain(c, jws->payload);
		if (ts != NULL)
			return layer1_svid(c, jws, alg, ts, iss, d);
		if (iss == NULL)
			return hc_fail(d, HC_ISSUER, "token has no iss");
		return hc_fail(d, HC_ISSUER, "iss %s is not a configured issuer",
		    hc_quote(q, sizeof(q), iss));
	}
	is = &c->v->issuers[idx];

	if (!(c->ipol->alg_mask & HC_ALG_BIT(alg)))
		return hc_fail(d, HC_ALG, "alg %s is not allowed for issuer %s "
		    "(allowed: %s)", alg_s, hc_quote(q, sizeof(q), iss),
		    alg_list(c->ipol->alg_mask, algs, sizeof(algs)));

	j = hc_json_get(jws->header, "kid");
	if (j != NULL && (kid = hc_json_string(j)) == NULL)
		return hc_fail(d, HC_MALFORMED, "header kid is a %s, not a string",
		    hc_json_type_name(hc_json_type_of(j)));

	if (hc_alg_kty(alg) == HC_KTY_OCT) {
		/* Config admits HS* only for issuers with a secret. */
		if (is->secret == NULL)
			return hc_fail(d, HC_ALG, "alg %s needs a shared secret and "
			    "issuer %s has none", alg_s, hc_quote(q, sizeof(q), iss));
		st = hc_key_verify(is->secret, alg, (const unsigned char *)
		    jws->signing_input, jws->signing_input_len, jws->sig,
		    jws->sig_len, d);
	} else {
		st = verify_with_set(c, jws, alg, kid, &is->keys, is->remote,
		    iss, NULL, NULL, d);
	}
	return finish_layer1(c, alg, kid, st, d);
}

/* ------------------------------------------------------------- pipeline */

hc_status
hc_verify_token(const hc_validator *v, const char *token, size_t len,
    bool applicable, int64_t now, hc_json **claims, hc_detail *d)
{
	hc_result res;
	hc_jws jws;
	hc_ctx c;
	hc_status st;

	*claims = NULL;
	memset(&res, 0, sizeof(res));
	memset(&jws, 0, sizeof(jws));
	memset(&c, 0, sizeof(c));
	c.v = v;
	c.pol = v->policy;
	c.res = &res;
	c.now = now;
	st = layer1(&c, token, len, &jws, d);
	if (st == HC_OK) {
		c.payload = jws.payload;
		st = hc_claims_types(&c);
		if (st == HC_OK && applicable &&
		    (st = hc_claims_check_type(&c)) == HC_OK)
			st = hc_claims_check_times(&c);
		if (st != HC_OK && d != NULL)
			*d = res.detail;
	}
	if (st == HC_OK) {
		*claims = jws.payload;
		jws.payload = NULL;
	}
	hc_keyset_unref(c.key_set);
	hc_jws_clear(&jws);
	return st;
}

HC_EXPORT hc_status
hc_validate(const hc_validator *v, const char *token, size_t len,
    const hc_request *req, hc_result **out)
{
	hc_result *res;
	hc_jws jws;
	hc_ctx c;
	hc_status st;
	bool cached;

	if (out != NULL)
		*out = NULL;
	if ((res = calloc(1, sizeof(*res))) == NULL)
		return HC_INTERNAL;
	memset(&jws, 0, sizeof(jws));
	memset(&c, 0, sizeof(c));
	c.v = v;
	c.pol = v != NULL ? v->policy : NULL;
	c.req = req;
	c.res = res;
	c.now = req != NULL && req->has_time ? req->now : (int64_t)time(NULL);

	if (v == NULL || (token == NULL && len > 0)) {
		st = hc_fail(&res->detail, HC_INTERNAL, "no validator or token");
		goto done;
	}
	if ((st = hc_creds_begin(&c)) != HC_OK)
		goto done;
	/* token NULL, len 0: no access token (credentials.c decides). */
	if (token == NULL)
		goto others;
	c.has_access_token = true;
	c.token = token;
	c.token_len = len;
	res->credential = "access_token";
	if (!(cached = hc_cache_lookup(v->cache, token, len, &c, &jws))) {
		st = layer1(&c, token, len, &jws, &res->detail);
		if (st != HC_OK)
			goto done;
	}
	/* The signature holds: the claims may now be read. */
	res->claims = jws.payload;
	jws.payload = NULL;
	c.payload = res->claims;
	if ((st = hc_claims_types(&c)) != HC_OK)
		goto done;
	if (!cached)
		hc_cache_insert(v->cache, token, len, &c, &jws);
	if ((st = hc_claims_fill_result(&c)) != HC_OK)
		goto done;
	res->verified = true;
	if ((st = hc_claims_layer2(&c)) != HC_OK)
		goto done;
others:
	st = hc_creds_finish(&c);
done:
	res->header = jws.header;   /* the kid is borrowed from it */
	jws.header = NULL;
	hc_jws_clear(&jws);
	hc_keyset_unref(c.key_set);
	free(c.peer_id);
	hc_dpop_result_clear(&c.dpop);
	hc_wimse_result_clear(&c.wimse);
	res->status = st;
	if (st == HC_OK || st == HC_INTERNAL)
		res->credential = NULL;
	if (st == HC_OK)
		hc_fail(&res->detail, HC_OK, "accepted");
	else if (res->detail.text[0] == '\0')
		hc_fail(&res->detail, st, "rejected");
	if (out != NULL)
		*out = res;
	else
		hc_result_free(res);
	return st;
}
