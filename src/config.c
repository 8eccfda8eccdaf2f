/* SPDX-License-Identifier: Apache-2.0 */
/*
 * config.c - the configuration file (v1 schema) into an immutable policy.
 *
 * The text is JSON with `//` and block comments (hc_json_parse_commented(),
 * which refuses duplicate member names at any depth).  Every key of the
 * schema is checked here: its type, its bounds, and the rules that tie keys
 * together (one key source per issuer, HS* only with a shared secret, plain
 * http only to loopback, ...).  An unknown key is an error naming its path,
 * so that a misspelt security setting never silently falls back to a
 * default.  Like OpenBSD's parse.y, the loader does not stop at the first
 * problem: it walks the whole document and reports every error, one line
 * "PATH: message" each, up to HC_MAX_CONFIG_ERRORS lines.
 *
 * Nothing here reads a key file: paths are only resolved against the
 * directory of the configuration, and the validator loads them.  The
 * reference of every key (type, default, bounds) is conf/schema.md; keep
 * the two in step.
 *
 * Layout: the schema bounds and defaults, one function per section (with
 * the checks only that section needs), then the public API: parsing and
 * freeing.  The daemon section is in config_daemon.c; the generic
 * readers, the error lines and their JSON paths are in config_read.c; what
 * a loopback host is, in url.c; the queries over a built policy, in
 * policy.c; the warnings about a built policy, in config_warn.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_read.h"
#include "crypto.h"
#include "policy.h"
#include "url.h"

/* ------------------------------------------------------------- bounds */

/* Schema bounds and defaults (conf/schema.md lists the same numbers). */
#define CFG_MAX_LIFETIME_S       31536000      /* one year */
#define CFG_MAX_ENTRIES          10000000      /* replay and cache entries */
#define CFG_DEFAULT_REPLAY_ENTRIES 100000
#define CFG_DEFAULT_CACHE_ENTRIES 10000
#define CFG_MAX_AUD_VALUES       HC_MAX_AUDIENCES

#define CFG_DEFAULT_MIN_REFRESH_S 60
#define CFG_MAX_MIN_REFRESH_S    86400         /* one day */
#define CFG_DEFAULT_MAX_REFRESH_S 3600
#define CFG_MAX_MAX_REFRESH_S    604800        /* one week */
#define CFG_DEFAULT_MAX_STALE_S  86400
#define CFG_MAX_MAX_STALE_S      2592000       /* thirty days */
#define CFG_DEFAULT_KID_COOLDOWN_S 30
#define CFG_MAX_KID_COOLDOWN_S   3600
#define CFG_DEFAULT_CONNECT_MS   2000
#define CFG_MAX_CONNECT_MS       60000
#define CFG_DEFAULT_TIMEOUT_MS   5000
#define CFG_MAX_TIMEOUT_MS       300000
#define CFG_DEFAULT_FETCH_BYTES  1048576
#define CFG_MIN_FETCH_BYTES      1024
#define CFG_MAX_FETCH_BYTES      16777216


/* ------------------------------------------------------- small helpers */

/*
 * ASCII case mappings that ignore the locale: configuration syntax must not
 * change with setlocale(), as <ctype.h> would.
 */
static char
to_lower(char ch)
{
	return ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
}

static char
to_upper(char ch)
{
	return ch >= 'a' && ch <= 'z' ? (char)(ch - 'a' + 'A') : ch;
}

/* ------------------------------------------------------------- service */

/*
 * service: the audiences and SPIFFE ID by which tokens name this service (the
 * values `aud` must hold).  One of the two is required, but that is reported
 * only when neither member was invalid, so one mistake gives one line.
 */
static void
read_service(struct cfg *c, const hc_json *j)
{
	hc_policy *p = c->p;
	int ra, rs;

	ra = hc_cfg_strlist(c, j, "audiences", true, NULL, NULL, &p->audiences);
	rs = hc_cfg_str(c, j, "spiffe_id", false, hc_cfg_check_workload_id,
	    NULL, &p->service_spiffe_id);
	hc_cfg_read_origins(c, j);
	/* Only complain about "nothing" when what was there was valid. */
	if (ra >= 0 && rs >= 0 && p->audiences.n == 0 &&
	    p->service_spiffe_id == NULL)
		hc_cfg_error(c, "needs audiences (non-empty) or spiffe_id: the"
		    " values of aud that name this service");
}

/* ------------------------------------------------------------- issuers */

static const char *const issuer_keys[] = {
	"issuer", "jwks_file", "jwks_uri", "discovery", "hmac_secret_file",
	"algorithms", "token_types", "max_lifetime_s", "required_claims",
	"allow_insecure_http", "ca_file", NULL
};

static const char *const keysrc_names[] = {
	"jwks_file", "jwks_uri", "discovery", "hmac_secret_file", NULL
};
static const hc_keysrc keysrc_values[] = {
	HC_KEYSRC_JWKS_FILE, HC_KEYSRC_JWKS_URI, HC_KEYSRC_DISCOVERY,
	HC_KEYSRC_HMAC_SECRET
};

/*
 * The algorithm allowlist (RFC 8725 section 3.1: the verifier decides the
 * algorithms, never the token).  Names are looked up exactly; "none" is
 * refused by name (RFC 8725 section 3.2); HS* only with a shared secret,
 * and a shared secret only with HS*, so that a public key can never be
 * used as an HMAC secret (RFC 8725 section 2.1).
 */
struct issuer_algs {
	const hc_issuer_policy *ip;
	bool keysrc_known;
};

static bool
issuer_alg_rule(const void *arg, hc_alg alg, const char *name, char *why,
    size_t n)
{
	const struct issuer_algs *ia = arg;
	bool hs = hc_alg_kty(alg) == HC_KTY_OCT;
	bool secret = ia->ip->keysrc == HC_KEYSRC_HMAC_SECRET;

	if (!ia->keysrc_known || hs == secret)
		return true;
	if (hs)
		(void)snprintf(why, n, "%s needs hmac_secret_file (HMAC is "
		    "never verified with a public key)", name);
	else
		(void)snprintf(why, n, "%s cannot be used with hmac_secret_file "
		    "(HS256, HS384, HS512 only)", name);
	return false;
}

static void
read_algorithms(struct cfg *c, const hc_json *j, hc_issuer_policy *ip,
    bool keysrc_known)
{
	const struct issuer_algs ia = { ip, keysrc_known };

	ip->alg_mask |= hc_cfg_algorithms(c, j, true,
	    "algorithms this issuer signs with", issuer_alg_rule, &ia);
}

/*
 * token_types: compared case-insensitively with an optional "application/"
 * prefix (RFC 7515 section 4.1.9, RFC 8725 section 3.11), so they are
 * stored lowercased and without it; "none" admits a token without `typ`.
 */
static void
read_token_types(struct cfg *c, const hc_json *j, hc_issuer_policy *ip)
{
	hc_strlist l = { NULL, 0 };
	size_t saved, keep = 0;

	if (hc_cfg_strlist(c, j, "token_types", false, NULL, NULL, &l) != 1)
		return;
	saved = hc_cfg_path_key(c, "token_types");
	for (size_t i = 0; i < l.n; i++) {
		char *t = l.v[i];
		size_t s2 = hc_cfg_path_index(c, i);

		for (char *u = t; *u != '\0'; u++)
			*u = to_lower(*u);
		if (strncmp(t, "application/", 12) == 0)
			memmove(t, t + 12, strlen(t + 12) + 1);
		if (t[0] == '\0') {
			hc_cfg_error(c, "\"application/\" alone is no type");
			free(t);
		} else if (strcmp(t, "none") == 0) {
			ip->typ_may_be_absent = true;
			free(t);
		} else
			l.v[keep++] = t;
		hc_cfg_path_pop(c, s2);
	}
	l.n = keep;
	hc_cfg_path_pop(c, saved);
	hc_strlist_free(&ip->token_types);
	ip->token_types = l;
}

/*
 * One issuers[] entry, filled in place (an hc_cfg_item_reader for
 * hc_cfg_objarray()).  Starts from the defaults (typ at+jwt,
 * HC_DEFAULT_MAX_LIFETIME_S), refuses an issuer repeated from an earlier
 * entry, and requires exactly one key source; allow_insecure_http is read
 * first because the URL check of a remote source depends on it.
 */
static void
read_issuer(struct cfg *c, const hc_json *j, void *arr, size_t i)
{
	hc_issuer_policy *all = arr, *ip = &all[i];
	int k;

	ip->max_lifetime_s = HC_DEFAULT_MAX_LIFETIME_S;
	if ((ip->token_types.v = hc_cfg_calloc(c, 1, sizeof(char *))) != NULL &&
	    (ip->token_types.v[0] = hc_cfg_strdup(c, "at+jwt")) != NULL)
		ip->token_types.n = 1;

	if (hc_cfg_str(c, j, "issuer", true, NULL, NULL, &ip->issuer) == 1) {
		for (size_t o = 0; o < i; o++) {
			const char *other = all[o].issuer;
			if (other != NULL && strcmp(other, ip->issuer) == 0) {
				size_t saved = hc_cfg_path_key(c, "issuer");
				hc_cfg_error(c, "same issuer as issuers[%zu]",
				    o);
				hc_cfg_path_pop(c, saved);
				break;
			}
		}
	}
	(void)hc_cfg_bool(c, j, "allow_insecure_http",
	    &ip->allow_insecure_http);
	(void)hc_cfg_file(c, j, "ca_file", &ip->ca_file);

	k = hc_cfg_one_of(c, j, keysrc_names, "key source");
	if (k >= 0) {
		ip->keysrc = keysrc_values[k];
		if (ip->keysrc == HC_KEYSRC_JWKS_URI ||
		    ip->keysrc == HC_KEYSRC_DISCOVERY)
			(void)hc_cfg_str(c, j, keysrc_names[k], true,
			    hc_cfg_check_url, &ip->allow_insecure_http,
			    &ip->key_location);
		else
			(void)hc_cfg_file(c, j, keysrc_names[k],
			    &ip->key_location);
	}
	read_algorithms(c, j, ip, k >= 0);
	read_token_types(c, j, ip);
	(void)hc_cfg_int(c, j, "max_lifetime_s", 1, CFG_MAX_LIFETIME_S,
	    &ip->max_lifetime_s);
	(void)hc_cfg_strlist(c, j, "required_claims", true, NULL, NULL,
	    &ip->required_claims);
}

/* -------------------------------------------------------------- spiffe */

static const char *const td_keys[] = {
	"trust_domain", "bundle_file", "bundle_uri", "allow_insecure_http",
	"ca_file", NULL
};

static const char *const bundle_names[] = {
	"bundle_file", "bundle_uri", NULL
};

/*
 * One spiffe.trust_domains[] entry, filled in place (an hc_cfg_item_reader for
 * hc_cfg_objarray()): a trust domain not repeated from an earlier entry and
 * exactly one bundle source, whose URL is checked under the entry's own
 * allow_insecure_http.
 */
static void
read_trust_domain(struct cfg *c, const hc_json *j, void *arr, size_t i)
{
	hc_trust_domain_policy *all = arr, *t = &all[i];
	int k;

	if (hc_cfg_str(c, j, "trust_domain", true, hc_cfg_check_trust_domain,
	    NULL, &t->trust_domain) == 1) {
		for (size_t o = 0; o < i; o++) {
			const char *other = all[o].trust_domain;

			if (other != NULL &&
			    strcmp(other, t->trust_domain) == 0) {
				size_t saved;

				saved = hc_cfg_path_key(c, "trust_domain");
				hc_cfg_error(c, "same trust domain as"
				    " trust_domains[%zu]", o);
				hc_cfg_path_pop(c, saved);
				break;
			}
		}
	}
	(void)hc_cfg_bool(c, j, "allow_insecure_http",
	    &t->allow_insecure_http);
	(void)hc_cfg_file(c, j, "ca_file", &t->ca_file);
	k = hc_cfg_one_of(c, j, bundle_names, "bundle source");
	if (k == 0)
		(void)hc_cfg_file(c, j, "bundle_file", &t->bundle_file);
	else if (k == 1)
		(void)hc_cfg_str(c, j, "bundle_uri", true, hc_cfg_check_url,
		    &t->allow_insecure_http, &t->bundle_uri);
}

/*
 * spiffe: a present section must configure at least one trust domain; an
 * absent section leaves the service without JWT-SVID support.
 */
static void
read_spiffe(struct cfg *c, const hc_json *j)
{
	size_t saved;
	int rc;

	c->p->trust_domains = hc_cfg_objarray(c, j, "trust_domains",
	    HC_MAX_LIST_ITEMS, true, td_keys, sizeof(hc_trust_domain_policy),
	    &c->p->ntrust_domains, read_trust_domain, &rc);
	if (rc == 0) {
		saved = hc_cfg_path_key(c, "trust_domains");
		hc_cfg_error(c, "required key is missing");
		hc_cfg_path_pop(c, saved);
	}
}

/* ------------------------------------------------- audience and binding */

/*
 * audience: how many values `aud` may hold in a direct and in a delegated
 * token (0 for any number).
 */
static void
read_audience(struct cfg *c, const hc_json *j)
{
	(void)hc_cfg_size(c, j, "max_direct", 0, CFG_MAX_AUD_VALUES,
	    &c->p->aud_max_direct);
	(void)hc_cfg_size(c, j, "max_delegated", 0, CFG_MAX_AUD_VALUES,
	    &c->p->aud_max_delegated);
}

static const char *const mode_names[] = {
	"required", "if_present", "off", NULL
};
static const int mode_values[] = {
	HC_MODE_REQUIRED, HC_MODE_IF_PRESENT, HC_MODE_OFF
};

/* binding.identities: client identifier -> workload SPIFFE ID. */
static void
read_identities(struct cfg *c, const hc_json *b)
{
	const hc_json *j = hc_json_get(b, "identities"), *m;
	char q[CFG_QUOTE_MAX];
	size_t saved, n, i;

	if (j == NULL)
		return;
	saved = hc_cfg_path_key(c, "identities");
	if (hc_json_type_of(j) != HC_JSON_OBJECT) {
		hc_cfg_type_error(c, "an object (client id -> SPIFFE ID)", j);
		goto out;
	}
	n = hc_json_count(j);
	if (n > HC_MAX_LIST_ITEMS) {
		hc_cfg_error(c, "has %zu members, more than the limit of %d", n,
		    HC_MAX_LIST_ITEMS);
		goto out;
	}
	if ((c->p->identities = hc_cfg_calloc(c, n, sizeof(hc_identity_map))) ==
	    NULL)
		goto out;
	for (i = 0, m = hc_json_first(j); m != NULL && i < n;
	    i++, m = hc_json_next(m)) {
		hc_identity_map *im = &c->p->identities[i];
		const char *key = hc_json_name(m), *s;
		size_t s2;

		s2 = hc_cfg_path_push(c, "[%s]", hc_quote(q, sizeof(q), key));

		c->p->nidentities = i + 1;
		if (key == NULL || key[0] == '\0')
			hc_cfg_error(c, "a client identifier must not be"
			    " empty");
		else if (strlen(key) > HC_MAX_CONFIG_STRING)
			hc_cfg_error(c, "client identifier longer than %d"
			    " bytes", HC_MAX_CONFIG_STRING);
		else if ((s = hc_cfg_val_str(c, m)) != NULL &&
		    hc_cfg_check_caller_id(c, s, NULL)) {
			im->client_id = hc_cfg_strdup(c, key);
			im->spiffe_id = hc_cfg_strdup(c, s);
		}
		hc_cfg_path_pop(c, s2);
	}
out:
	hc_cfg_path_pop(c, saved);
}

/*
 * binding: the mtls and peer_identity modes (required, if_present, off) and
 * the client identity map.  A mode keeps its default unless the member is
 * valid.
 */
static void
read_binding(struct cfg *c, const hc_json *j)
{
	int v;

	v = (int)c->p->mtls;
	if (hc_cfg_enum(c, j, "mtls", mode_names, mode_values, &v) == 1)
		c->p->mtls = (hc_mode)v;
	v = (int)c->p->peer_identity;
	if (hc_cfg_enum(c, j, "peer_identity", mode_names, mode_values,
	    &v) == 1)
		c->p->peer_identity = (hc_mode)v;
	read_identities(c, j);
}

/* ---------------------------------------------------------- delegation */

static const char *const actor_keys[] = {
	"actor", "subjects", "scopes", NULL
};

/*
 * One delegation.actors[] entry, filled in place (an hc_cfg_item_reader for
 * hc_cfg_objarray()).  An actor repeated from an earlier entry is refused: the
 * first match would hide the second, whose rules would then silently never
 * apply.
 */
static void
read_actor(struct cfg *c, const hc_json *j, void *arr, size_t i)
{
	hc_actor_policy *all = arr, *a = &all[i];

	if (hc_cfg_str(c, j, "actor", true, hc_cfg_check_pattern, NULL,
	    &a->actor) == 1) {
		for (size_t o = 0; o < i; o++) {
			const char *other = all[o].actor;
			if (other != NULL && strcmp(other, a->actor) == 0) {
				size_t saved = hc_cfg_path_key(c, "actor");
				hc_cfg_error(c, "same actor as actors[%zu]:"
				    " merge the two entries", o);
				hc_cfg_path_pop(c, saved);
				break;
			}
		}
	}
	(void)hc_cfg_strlist(c, j, "subjects", true, hc_cfg_check_pattern, NULL,
	    &a->subjects);
	(void)hc_cfg_strlist(c, j, "scopes", true, hc_cfg_check_scope, NULL,
	    &a->scopes);
}

/*
 * delegation: the presence of the section turns delegation on.  direct_callers
 * is recorded as configured even when empty (or invalid), because an empty
 * allowlist admits no direct caller while an absent one admits every caller.
 */
static void
read_delegation(struct cfg *c, const hc_json *j)
{
	hc_policy *p = c->p;
	int64_t depth = p->max_depth;
	int rc;

	p->delegation = true;
	if (hc_cfg_int(c, j, "max_depth", 1, HC_MAX_ACT_DEPTH, &depth) == 1)
		p->max_depth = (unsigned)depth;
	p->actors = hc_cfg_objarray(c, j, "actors", HC_MAX_LIST_ITEMS, false,
	    actor_keys, sizeof(hc_actor_policy), &p->nactors, read_actor, &rc);
	if (hc_cfg_strlist(c, j, "direct_callers", true, hc_cfg_check_pattern,
	    NULL, &p->direct_callers) != 0)
		p->has_direct_callers = true;
	(void)hc_cfg_bool(c, j, "path_policy", &p->path_policy);
}

/* -------------------------------------------------------------- routes */

static const char *const route_keys[] = {
	"method", "path", "scopes", "tenant_claim", "one_time_use",
	"credentials", "callers", "txn_single_use", NULL
};
static const char *const default_route_keys[] = {
	"scopes", "tenant_claim", "one_time_use", "deny", "credentials",
	"callers", "txn_single_use", NULL
};

/*
 * A route path pattern: starts with '/', '*' only last, no query or
 * fragment (requests are matched without their query), no space.
 */
static bool
check_route_path(struct cfg *c, const char *s, const void *arg)
{
	char q[CFG_QUOTE_MAX];

	if (s[0] != '/') {
		hc_cfg_error(c, "a route path must start with \"/\", got %s",
		    hc_quote(q, sizeof(q), s));
		return false;
	}
	if (strpbrk(s, "?# ") != NULL) {
		hc_cfg_error(c, "a route path must not contain \"?\", \"#\""
		    " or a space, got %s", hc_quote(q, sizeof(q), s));
		return false;
	}
	return hc_cfg_check_pattern(c, s, arg);
}

/* The members shared by routes[] and default_route. */
static void
read_route_rules(struct cfg *c, const hc_json *j, hc_route_policy *r)
{
	(void)hc_cfg_strlist(c, j, "scopes", true, hc_cfg_check_scope, NULL,
	    &r->scopes);
	(void)hc_cfg_str(c, j, "tenant_claim", false, NULL, NULL,
	    &r->tenant_claim);
	(void)hc_cfg_bool(c, j, "one_time_use", &r->one_time_use);
	hc_cfg_read_route_creds(c, j, r);
}

/*
 * One routes[] entry, filled in place (an hc_cfg_item_reader for
 * hc_cfg_objarray()).  The method defaults to "*" and is kept in upper case;
 * a method and path repeated from an earlier entry are refused, since first
 * match wins and the repeat could never apply.
 */
static void
read_route(struct cfg *c, const hc_json *j, void *arr, size_t i)
{
	hc_route_policy *all = arr, *r = &all[i];
	int rm;

	rm = hc_cfg_str(c, j, "method", false, hc_cfg_check_method, NULL,
	    &r->method);
	if (rm == 0)
		r->method = hc_cfg_strdup(c, "*");
	else if (rm == 1)
		for (char *u = r->method; *u != '\0'; u++)
			*u = to_upper(*u);
	(void)hc_cfg_str(c, j, "path", true, check_route_path, NULL, &r->path);
	read_route_rules(c, j, r);

	/* An exact repeat could never be reached: first match wins. */
	if (r->method == NULL || r->path == NULL)
		return;
	for (size_t o = 0; o < i; o++) {
		const hc_route_policy *q = &all[o];
		if (q->method != NULL && q->path != NULL &&
		    strcmp(q->method, r->method) == 0 &&
		    strcmp(q->path, r->path) == 0) {
			hc_cfg_error(c, "same method and path as routes[%zu],"
			    " so never used", o);
			break;
		}
	}
}

/*
 * default_route: the rule for every request no route matches.  Its method and
 * path are "*" so that no code reading a route meets NULL; `deny` makes it
 * refuse the unmatched requests instead.
 */
static void
read_default_route(struct cfg *c, const hc_json *j)
{
	hc_route_policy *r;

	if ((r = hc_cfg_calloc(c, 1, sizeof(*r))) == NULL)
		return;
	c->p->default_route = r;
	/* Matches anything; set so that no reader meets a NULL. */
	r->method = hc_cfg_strdup(c, "*");
	r->path = hc_cfg_strdup(c, "*");
	read_route_rules(c, j, r);
	(void)hc_cfg_bool(c, j, "deny", &r->deny);
}

/* ------------------------------------------------ replay, cache, fetch */

/*
 * replay.store: "memory", or a redis:// URL with something after the scheme.
 * The value is never quoted in the error, as a Redis URL may carry a password.
 * Returns false after reporting.
 */
static bool
check_replay_store(struct cfg *c, const char *s, const void *arg)
{
	(void)arg;
	if (strcmp(s, "memory") == 0)
		return true;
	if (strncmp(s, "redis://", 8) == 0 && s[8] != '\0')
		return true;
	/* Not quoted: a Redis URL may carry a password. */
	hc_cfg_error(c, "expected \"memory\" or a redis:// URL");
	return false;
}

/*
 * replay.namespace: 1..HC_REPLAY_NAMESPACE_MAX bytes of [A-Za-z0-9._-], so
 * that it sits between two ':' of a Redis key name without ambiguity.
 * Returns false after reporting.
 */
static bool
check_replay_namespace(struct cfg *c, const char *s, const void *arg)
{
	size_t n = strlen(s);

	(void)arg;
	if (n > HC_REPLAY_NAMESPACE_MAX ||
	    strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789._-") != n) {
		hc_cfg_error(c, "expected 1..%d characters of A-Z a-z 0-9 . _ -",
		    HC_REPLAY_NAMESPACE_MAX);
		return false;
	}
	return true;
}

/*
 * replay: the store replaces the "memory" default (freed here) only when
 * valid, so the policy always owns exactly one store string.  An empty
 * namespace is the default (no namespace: key names as before there was
 * one), so it is accepted as such.
 */
static void
read_replay(struct cfg *c, const hc_json *j)
{
	const hc_json *ns = hc_json_get(j, "namespace");
	const char *nss = ns != NULL ? hc_json_string(ns) : NULL;
	char *store = NULL;
	int64_t pool;

	if (hc_cfg_str(c, j, "store", false, check_replay_store, NULL,
	    &store) == 1) {
		free(c->p->replay_store);
		c->p->replay_store = store;
	}
	(void)hc_cfg_size(c, j, "max_entries", 1, CFG_MAX_ENTRIES,
	    &c->p->replay_max_entries);
	if (nss == NULL || *nss != '\0')
		(void)hc_cfg_str(c, j, "namespace", false,
		    check_replay_namespace, NULL, &c->p->replay_namespace);
	if (hc_cfg_int(c, j, "pool_size", 1, HC_REPLAY_POOL_MAX, &pool) == 1)
		c->p->replay_pool_size = (unsigned)pool;
	(void)hc_cfg_bool(c, j, "allow_network", &c->p->replay_allow_network);
}

/* cache: the number of validated tokens remembered (0 turns the cache off). */
static void
read_cache(struct cfg *c, const hc_json *j)
{
	(void)hc_cfg_size(c, j, "max_entries", 0, CFG_MAX_ENTRIES,
	    &c->p->cache_max_entries);
}

/*
 * fetch: the timing and size limits of remote key fetches.  min_refresh_s
 * above max_refresh_s is refused, but only when both read cleanly, so that one
 * bad value is not reported twice.
 */
static void
read_fetch(struct cfg *c, const hc_json *j)
{
	hc_fetch_policy *f = &c->p->fetch;
	int rmin, rmax;

	rmin = hc_cfg_int(c, j, "min_refresh_s", 0, CFG_MAX_MIN_REFRESH_S,
	    &f->min_refresh_s);
	rmax = hc_cfg_int(c, j, "max_refresh_s", 1, CFG_MAX_MAX_REFRESH_S,
	    &f->max_refresh_s);
	(void)hc_cfg_int(c, j, "max_stale_s", 0, CFG_MAX_MAX_STALE_S,
	    &f->max_stale_s);
	(void)hc_cfg_int(c, j, "unknown_kid_cooldown_s", 0,
	    CFG_MAX_KID_COOLDOWN_S, &f->unknown_kid_cooldown_s);
	(void)hc_cfg_int(c, j, "connect_timeout_ms", 1, CFG_MAX_CONNECT_MS,
	    &f->connect_timeout_ms);
	(void)hc_cfg_int(c, j, "timeout_ms", 1, CFG_MAX_TIMEOUT_MS,
	    &f->timeout_ms);
	(void)hc_cfg_size(c, j, "max_bytes", CFG_MIN_FETCH_BYTES,
	    CFG_MAX_FETCH_BYTES, &f->max_bytes);
	if (rmin >= 0 && rmax >= 0 && f->min_refresh_s > f->max_refresh_s) {
		size_t saved = hc_cfg_path_key(c, "min_refresh_s");
		hc_cfg_error(c, "%lld is more than max_refresh_s (%lld)",
		    (long long)f->min_refresh_s, (long long)f->max_refresh_s);
		hc_cfg_path_pop(c, saved);
	}
}

/* ------------------------------------------------------------ document */

static const char *const top_keys[] = {
	"service", "clock_skew_s", "max_token_bytes", "issuers", "spiffe",
	"audience", "binding", "delegation", "routes", "default_route",
	"replay", "cache", "fetch", "daemon", "txn_tokens", "dpop", "wimse",
	NULL
};

/*
 * Sets every documented default before the document is read, so that an
 * omitted member keeps its default and every string the policy holds is owned
 * (hc_policy_free() can free them all).
 */
static void
set_defaults(struct cfg *c)
{
	hc_policy *p = c->p;

	p->base_dir = hc_cfg_strdup(c, c->base_dir != NULL ? c->base_dir : ".");
	p->clock_skew_s = HC_DEFAULT_CLOCK_SKEW_S;
	p->max_token_bytes = HC_DEFAULT_MAX_TOKEN_BYTES;
	p->aud_max_direct = 0;
	p->aud_max_delegated = 1;
	p->mtls = HC_MODE_IF_PRESENT;
	p->peer_identity = HC_MODE_IF_PRESENT;
	p->delegation = false;
	p->max_depth = HC_DEFAULT_ACT_DEPTH;
	p->replay_store = hc_cfg_strdup(c, "memory");
	p->replay_max_entries = CFG_DEFAULT_REPLAY_ENTRIES;
	p->replay_pool_size = HC_REPLAY_POOL_DEFAULT;
	p->cache_max_entries = CFG_DEFAULT_CACHE_ENTRIES;
	p->fetch.min_refresh_s = CFG_DEFAULT_MIN_REFRESH_S;
	p->fetch.max_refresh_s = CFG_DEFAULT_MAX_REFRESH_S;
	p->fetch.max_stale_s = CFG_DEFAULT_MAX_STALE_S;
	p->fetch.unknown_kid_cooldown_s = CFG_DEFAULT_KID_COOLDOWN_S;
	p->fetch.connect_timeout_ms = CFG_DEFAULT_CONNECT_MS;
	p->fetch.timeout_ms = CFG_DEFAULT_TIMEOUT_MS;
	p->fetch.max_bytes = CFG_DEFAULT_FETCH_BYTES;
	hc_cfg_daemon_defaults(&p->daemon);
	hc_cfg_pop_defaults(p);
}

/* Reads the whole document into c->p, reporting every problem. */
static void
read_document(struct cfg *c, const hc_json *root)
{
	static const char *const service_keys[] = {
		"audiences", "spiffe_id", "origins", NULL
	};
	static const char *const spiffe_keys[] = { "trust_domains", NULL };
	static const char *const audience_keys[] = {
		"max_direct", "max_delegated", NULL
	};
	static const char *const binding_keys[] = {
		"mtls", "peer_identity", "identities", NULL
	};
	static const char *const delegation_keys[] = {
		"max_depth", "actors", "direct_callers", "path_policy", NULL
	};
	static const char *const replay_keys[] = {
		"store", "max_entries", "namespace", "pool_size",
		"allow_network", NULL
	};
	static const char *const cache_keys[] = { "max_entries", NULL };
	static const char *const fetch_keys[] = {
		"min_refresh_s", "max_refresh_s", "max_stale_s",
		"unknown_kid_cooldown_s", "connect_timeout_ms", "timeout_ms",
		"max_bytes", NULL
	};
	hc_policy *p = c->p;
	size_t saved;
	int rc;

	if (hc_json_type_of(root) != HC_JSON_OBJECT) {
		hc_cfg_type_error(c, "an object", root);
		return;
	}
	hc_cfg_check_keys(c, root, top_keys);

	if (!hc_cfg_section(c, root, "service", service_keys, read_service)) {
		saved = hc_cfg_path_key(c, "service");
		hc_cfg_error(c, "required key is missing (the audiences that"
		    " name this service)");
		hc_cfg_path_pop(c, saved);
	}
	(void)hc_cfg_int(c, root, "clock_skew_s", 0, HC_MAX_CLOCK_SKEW_S,
	    &p->clock_skew_s);
	(void)hc_cfg_size(c, root, "max_token_bytes", 256,
	    HC_MAX_TOKEN_BYTES_CAP, &p->max_token_bytes);
	/*
	 * A service needs someone to trust: configured issuers, or (a
	 * JWT-SVID-only service) SPIFFE trust domains.
	 */
	p->issuers = hc_cfg_objarray(c, root, "issuers", HC_MAX_ISSUERS, false,
	    issuer_keys, sizeof(hc_issuer_policy), &p->nissuers, read_issuer,
	    &rc);
	(void)hc_cfg_section(c, root, "spiffe", spiffe_keys, read_spiffe);
	hc_cfg_txn_section(c, root);        /* before the routes */
	if (rc >= 0 && p->nissuers == 0 && p->ntrust_domains == 0 &&
	    p->txn == NULL) {
		saved = hc_cfg_path_key(c, "issuers");
		hc_cfg_error(c, "%s", rc == 0 ? "required key is missing (a"
		    " non-empty array, unless spiffe.trust_domains or"
		    " txn_tokens is configured)" : "must not be empty unless"
		    " spiffe.trust_domains or txn_tokens is configured");
		hc_cfg_path_pop(c, saved);
	}
	(void)hc_cfg_section(c, root, "audience", audience_keys, read_audience);
	(void)hc_cfg_section(c, root, "binding", binding_keys, read_binding);
	(void)hc_cfg_section(c, root, "delegation", delegation_keys,
	    read_delegation);
	p->routes = hc_cfg_objarray(c, root, "routes", HC_MAX_LIST_ITEMS, false,
	    route_keys, sizeof(hc_route_policy), &p->nroutes, read_route, &rc);
	(void)hc_cfg_section(c, root, "default_route", default_route_keys,
	    read_default_route);
	(void)hc_cfg_section(c, root, "replay", replay_keys, read_replay);
	(void)hc_cfg_section(c, root, "cache", cache_keys, read_cache);
	(void)hc_cfg_section(c, root, "fetch", fetch_keys, read_fetch);
	(void)hc_cfg_section(c, root, "daemon", hc_cfg_daemon_keys,
	    hc_cfg_read_daemon);
	(void)hc_cfg_section(c, root, "dpop", hc_cfg_dpop_keys,
	    hc_cfg_read_dpop);
	(void)hc_cfg_section(c, root, "wimse", hc_cfg_wimse_keys,
	    hc_cfg_read_wimse);
	hc_cfg_pop_check(c);
}

/* ----------------------------------------------------------------- API */

hc_status
hc_policy_parse(char *text, size_t len, const char *base_dir, hc_policy **out,
    char **errors)
{
	struct cfg c;
	hc_json *root = NULL;
	hc_detail d;
	hc_status st;

	*out = NULL;
	if (errors != NULL)
		*errors = NULL;
	memset(&c, 0, sizeof(c));
	c.base_dir = base_dir;
	if ((c.p = calloc(1, sizeof(*c.p))) == NULL)
		return HC_INTERNAL;
	set_defaults(&c);

	if (text == NULL) {
		hc_cfg_error(&c, "no configuration text");
	} else if (len > HC_MAX_CONFIG_BYTES) {
		hc_cfg_error(&c, "the configuration is %zu bytes, more than the"
		    " limit of %d", len, HC_MAX_CONFIG_BYTES);
	} else {
		d.text[0] = '\0';
		st = hc_json_parse_commented(text, len, &root, &d);
		if (st == HC_INTERNAL)
			c.oom = true;
		else if (st != HC_OK)
			hc_cfg_error(&c, "not valid JSON (with comments): %s",
			    d.text);
		else
			read_document(&c, root);
		hc_json_free(root);
	}

	if (c.oom) {
		hc_policy_free(c.p);
		free(c.err);
		if (errors != NULL)
			*errors = strdup("toplevel: out of memory");
		return HC_INTERNAL;
	}
	if (c.nerr > 0) {
		hc_policy_free(c.p);
		if (errors != NULL)
			*errors = c.err;
		else
			free(c.err);
		return HC_CONFIG;
	}
	free(c.err);
	*out = c.p;
	return HC_OK;
}

/*
 * Frees what a route owns but not the route itself, which lives in an array
 * (or is default_route, freed by the caller).
 */
static void
route_clear(hc_route_policy *r)
{
	free(r->method);
	free(r->path);
	hc_strlist_free(&r->scopes);
	free(r->tenant_claim);
	hc_strlist_free(&r->callers);
}

void
hc_policy_free(hc_policy *p)
{
	size_t i;

	if (p == NULL)
		return;
	free(p->base_dir);
	hc_strlist_free(&p->audiences);
	free(p->service_spiffe_id);
	for (i = 0; i < p->nissuers; i++) {
		hc_issuer_policy *ip = &p->issuers[i];
		free(ip->issuer);
		free(ip->key_location);
		hc_strlist_free(&ip->token_types);
		hc_strlist_free(&ip->required_claims);
		free(ip->ca_file);
	}
	free(p->issuers);
	for (i = 0; i < p->ntrust_domains; i++) {
		hc_trust_domain_policy *t = &p->trust_domains[i];
		free(t->trust_domain);
		free(t->bundle_file);
		free(t->bundle_uri);
		free(t->ca_file);
	}
	free(p->trust_domains);
	for (i = 0; i < p->nidentities; i++) {
		free(p->identities[i].client_id);
		free(p->identities[i].spiffe_id);
	}
	free(p->identities);
	for (i = 0; i < p->nactors; i++) {
		free(p->actors[i].actor);
		hc_strlist_free(&p->actors[i].subjects);
		hc_strlist_free(&p->actors[i].scopes);
	}
	free(p->actors);
	hc_strlist_free(&p->direct_callers);
	for (i = 0; i < p->nroutes; i++)
		route_clear(&p->routes[i]);
	free(p->routes);
	if (p->default_route != NULL)
		route_clear(p->default_route);
	free(p->default_route);
	hc_txn_policy_free(p->txn);
	/* A redis:// URL may carry a password. */
	if (p->replay_store != NULL)
		hc_wipe(p->replay_store, strlen(p->replay_store));
	free(p->replay_store);
	free(p->replay_namespace);
	hc_daemon_policy_clear(&p->daemon);
	hc_pop_policy_clear(p);
	free(p);
}
