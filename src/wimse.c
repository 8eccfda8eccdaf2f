/* SPDX-License-Identifier: Apache-2.0 */
/*
 * wimse.c - verifying a WIMSE Workload Identity Token and its Workload
 * Proof Token (draft-ietf-wimse-workload-creds-03 sections 3, 4, 5.1 and
 * 9; draft-ietf-wimse-wpt-02 sections 2 and 3.1).
 *
 * The WIT's keys are those of the trust domain its `sub` names (section
 * 3: trust anchors are configured per trust domain, never looked up from
 * token content), so `sub` is read before the signature is verified, and
 * only to choose that set; every other claim is read after.  The WPT's
 * key is the WIT's cnf.jwk and nothing else, and its `alg` must
 * string-equal cnf.jwk.alg (wpt-02 section 2).  The order of the checks
 * and the caveats are in wimse.h.
 *
 * The WPT replay record is SHA-256 over the WIT sub and the WPT jti, each
 * length-prefixed (wpt-02 section 3.1: unique "within the scope of a
 * particular sender"), kept until exp + skew.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "keyset.h"
#include "pop.h"
#include "refresh.h"
#include "wimse.h"

struct hc_wimse {
	const hc_policy *p;      /* borrowed */
	hc_wimse_td *tds;        /* ntds of them, each slot initialised */
	size_t ntds;
	unsigned alg_union;      /* every domain's algorithms */
};

/* The source name of a trust domain: its keys, stats and logs. */
#define WIMSE_LABEL_PREFIX "wimse:"

/* ----------------------------------------------------------- lifetime */

/*
 * Fills the slot of a trust domain whose keys are a file: a JWKS
 * (jwks_file), or the "wit-svid" entries of a SPIFFE bundle (bundle_file;
 * one with no such entry is refused here, as it could verify nothing).
 * A remote source is left empty for the refresher.  HC_CONFIG when the
 * file cannot be read, HC_KEY when it holds no usable key.
 */
static hc_status
load_file(hc_wimse_td *t, hc_detail *d)
{
	const hc_wimse_td_policy *tp = t->pol;
	char *text = NULL;
	size_t len = 0;
	hc_keyset *ks = NULL;
	hc_status st;

	if (tp->keysrc != HC_WIMSE_KEYS_JWKS_FILE &&
	    tp->keysrc != HC_WIMSE_KEYS_BUNDLE_FILE)
		return HC_OK;
	if (hc_read_file(tp->key_location, HC_MAX_KEYFILE_BYTES, &text, &len,
	    d) != 0)
		return HC_CONFIG;
	if (tp->keysrc == HC_WIMSE_KEYS_JWKS_FILE)
		st = hc_keyset_parse(text, len, false, &ks, d);
	else
		st = hc_bundle_parse_use(text, len, tp->trust_domain,
		    HC_BUNDLE_USE_WIT_SVID, &ks, d);
	free(text);
	if (st == HC_OK && ks->nkeys == 0) {
		st = hc_fail(d, HC_KEY, "bundle %s has no key with use "
		    "\"%s\"", tp->key_location, HC_BUNDLE_USE_WIT_SVID);
		hc_keyset_unref(ks);
		ks = NULL;
	}
	if (st == HC_OK)
		hc_keyslot_swap(&t->keys, ks);
	return st;
}

hc_status
hc_wimse_new(const hc_policy *p, hc_wimse **out, hc_detail *d)
{
	char q[HC_QBUF];
	hc_wimse *w;
	hc_detail kd = { "" };
	hc_status st;

	*out = NULL;
	if ((w = calloc(1, sizeof(*w))) == NULL)
		return hc_fail(d, HC_INTERNAL, "out of memory");
	w->p = p;
	if (p->wimse.ntds > 0 &&
	    (w->tds = calloc(p->wimse.ntds, sizeof(*w->tds))) == NULL) {
		free(w);
		return hc_fail(d, HC_INTERNAL, "out of memory");
	}
	for (size_t i = 0; i < p->wimse.ntds; i++) {
		const hc_wimse_td_policy *tp = &p->wimse.tds[i];
		hc_wimse_td *t = &w->tds[i];
		size_t llen = strlen(WIMSE_LABEL_PREFIX) +
		    strlen(tp->trust_domain) + 1;

		t->pol = tp;
		hc_keyslot_init(&t->keys);
		w->ntds++;
		w->alg_union |= tp->alg_mask;
		if ((t->label = malloc(llen)) == NULL) {
			st = hc_fail(d, HC_INTERNAL, "out of memory");
			goto fail;
		}
		(void)snprintf(t->label, llen, "%s%s", WIMSE_LABEL_PREFIX,
		    tp->trust_domain);
		if ((st = load_file(t, &kd)) != HC_OK) {
			st = hc_fail(d, st, "wimse trust domain %s: %s",
			    hc_quote(q, sizeof(q), tp->trust_domain), kd.text);
			goto fail;
		}
	}
	*out = w;
	return HC_OK;
fail:
	hc_wimse_free(w);
	return st;
}

void
hc_wimse_free(hc_wimse *w)
{
	if (w == NULL)
		return;
	for (size_t i = 0; i < w->ntds; i++) {
		hc_keyslot_destroy(&w->tds[i].keys);
		free(w->tds[i].label);
	}
	free(w->tds);
	free(w);
}

size_t
hc_wimse_ntds(const hc_wimse *w)
{
	return w != NULL ? w->ntds : 0;
}

hc_wimse_td *
hc_wimse_td_at(const hc_wimse *w, size_t i)
{
	return &w->tds[i];
}

void
hc_wimse_result_clear(hc_wimse_result *r)
{
	if (r == NULL)
		return;
	free(r->sub);
	free(r->wit_jti);
	free(r->wpt_jti);
	hc_replay_record_clear(&r->record);
	memset(r, 0, sizeof(*r));
}

/* ------------------------------------------------------------ helpers */

static hc_wimse_td *
find_td(const hc_wimse *w, const char *td, size_t len)
{
	for (size_t i = 0; i < w->ntds; i++) {
		const char *n = w->tds[i].pol->trust_domain;

		if (strlen(n) == len && memcmp(n, td, len) == 0)
			return &w->tds[i];
	}
	return NULL;
}

static bool
is_spiffe(const char *sub)
{
	return strncmp(sub, HC_SPIFFE_SCHEME, HC_SPIFFE_SCHEME_LEN) == 0;
}

/*
 * The WIT's own times (workload-creds section 5.1 and 9.2.1): exp
 * required and not passed, nbf not ahead, iat not in the future (a
 * future iat is lifetime, as for every kind), and no longer-lived than
 * wimse.max_wit_lifetime_s, counted from iat (else from now).
 */
static hc_status
wit_times(const hc_policy *p, const hc_json *pl, int64_t now, hc_detail *d)
{
	const int64_t skew = p->clock_skew_s;
	int64_t exp, iat, nbf, from;
	bool has_exp, has_iat, has_nbf;
	hc_status st;

	if ((st = hc_pop_numeric_date(pl, "exp", "WIT", &exp, &has_exp, d)) !=
	    HC_OK)
		return st;
	if (!has_exp)
		return hc_fail(d, HC_CLAIM, "WIT lacks exp (workload-creds "
		    "section 5.1)");
	if ((st = hc_pop_numeric_date(pl, "iat", "WIT", &iat, &has_iat, d)) !=
	    HC_OK)
		return st;
	if ((st = hc_pop_numeric_date(pl, "nbf", "WIT", &nbf, &has_nbf, d)) !=
	    HC_OK)
		return st;
	if (now >= exp + skew)
		return hc_fail(d, HC_EXPIRED, "WIT exp %lld has passed (now %lld, "
		    "skew %lld)", (long long)exp, (long long)now,
		    (long long)skew);
	if (has_nbf && now + skew < nbf)
		return hc_fail(d, HC_NOT_YET_VALID, "WIT nbf %lld is ahead of "
		    "now %lld", (long long)nbf, (long long)now);
	if (has_iat && iat > now + skew)
		return hc_fail(d, HC_LIFETIME, "WIT iat %lld is in the future "
		    "(now %lld)", (long long)iat, (long long)now);
	from = has_iat ? iat : now;
	if (exp - from > p->wimse.max_wit_lifetime_s)
		return hc_fail(d, HC_LIFETIME, "WIT exp %lld is %lld s after "
		    "%s, more than wimse.max_wit_lifetime_s %lld (a lifetime "
		    "cap)", (long long)exp, (long long)(exp - from),
		    has_iat ? "iat" : "now",
		    (long long)p->wimse.max_wit_lifetime_s);
	return HC_OK;
}

/*
 * cnf.jwk (workload-creds section 5.1): present, public, with an `alg`
 * that is an asymmetric JWS algorithm this backend verifies (HC_ALG,
 * naming the backend, when it cannot) and that fits the key.  SPIFFE
 * WIT-SVIDs exclude EdDSA.
 */
static hc_status
wit_cnf_key(const hc_json *pl, bool spiffe, hc_key **key, hc_alg *alg,
    char *jkt, hc_detail *d)
{
	char q[HC_QBUF];
	const hc_json *cnf = hc_json_get(pl, "cnf"), *jwk;
	const char *a, *why = NULL;
	hc_detail kd = { "" };
	hc_status st;

	*key = NULL;
	if (hc_json_type_of(cnf) != HC_JSON_OBJECT)
		return hc_fail(d, HC_CLAIM, "WIT lacks a cnf object; a WIT MUST "
		    "carry cnf.jwk (workload-creds section 5.1)");
	jwk = hc_json_get(cnf, "jwk");
	if (hc_json_type_of(jwk) != HC_JSON_OBJECT)
		return hc_fail(d, HC_CLAIM, "WIT cnf has no jwk object");
	if ((a = hc_json_string(hc_json_get(jwk, "alg"))) == NULL)
		return hc_fail(d, HC_KEY, "WIT cnf.jwk has no string alg; it "
		    "is required (workload-creds section 5.1)");
	*alg = hc_alg_from_name(a);
	if (*alg == HC_ALG_UNKNOWN || hc_alg_kty(*alg) == HC_KTY_OCT)
		return hc_fail(d, HC_KEY, "WIT cnf.jwk alg %s is not an "
		    "asymmetric signature algorithm", hc_quote(q, sizeof(q), a));
	if (!hc_alg_supported(*alg, &why))
		return hc_fail(d, HC_ALG, "WIT cnf.jwk alg %s: %s", a,
		    why != NULL ? why : "not supported by this backend");
	if (spiffe && hc_alg_kty(*alg) == HC_KTY_OKP)
		return hc_fail(d, HC_ALG, "WIT cnf.jwk alg %s: a SPIFFE WIT-SVID "
		    "allows RS, ES and PS algorithms only", a);
	if ((st = hc_key_from_jwk(jwk, false, key, &kd)) != HC_OK)
		return hc_fail(d, st == HC_INTERNAL ? HC_INTERNAL : HC_KEY,
		    "WIT cnf.jwk: %s", kd.text);
	if ((st = hc_key_allows(*key, *alg, &kd)) != HC_OK)
		return hc_fail(d, HC_KEY, "WIT cnf.jwk: %s", kd.text);
	return hc_jwk_thumbprint(jwk, jkt, d);
}

/*
 * The WIT's signature by a key of trust domain td: by kid in the set the
 * domain holds now (a reference taken for this check only), or without
 * kid the key of a one-key set.  HC_UNAVAILABLE while a remote source has
 * not loaded a set (fail closed); a kid the set lacks asks the refresher
 * for an early fetch (a rotation, perhaps) and is HC_KEY.
 */
static hc_status
wit_signature(hc_wimse_td *td, const hc_jws *jws, hc_alg walg,
    const char *kid, hc_detail *d)
{
	char q[HC_QBUF], q2[HC_QBUF];
	const hc_key *tk = NULL;
	hc_detail wd = { "" };
	hc_keyset *ks;
	hc_status st;

	hc_quote(q2, sizeof(q2), td->pol->trust_domain);
	if ((ks = hc_keyslot_get(&td->keys)) == NULL)
		return hc_fail(d, HC_UNAVAILABLE, "keys of wimse trust domain "
		    "%s are not loaded yet", q2);
	if (kid == NULL && ks->nkeys != 1) {
		st = hc_fail(d, HC_KEY, "WIT has no kid and trust domain %s "
		    "has %zu keys; without kid only a one-key set is used", q2,
		    ks->nkeys);
		goto out;
	}
	if (kid == NULL) {
		tk = ks->keys[0];
	} else if ((st = hc_keyset_find(ks, kid, walg, &tk, &wd)) != HC_OK) {
		if (st == HC_KEY)
			hc_refresh_note_kid_miss(td->remote);
		st = hc_fail(d, HC_KEY, "WIT kid %s in trust domain %s: %s",
		    hc_quote(q, sizeof(q), kid), q2, wd.text);
		goto out;
	}
	st = hc_key_verify(tk, walg, (const unsigned char *)jws->signing_input,
	    jws->signing_input_len, jws->sig, jws->sig_len, d);
	if (st == HC_ALG)
		st = HC_KEY;
out:
	hc_keyset_unref(ks);
	return st;
}

/*
 * The WIT up to its cnf key (see wimse.h).  On HC_OK, *jws holds the
 * parsed WIT, *key its cnf.jwk and *alg its alg.
 */
static hc_status
verify_wit(const hc_wimse *w, const hc_wimse_request *rq, hc_jws *jws,
    hc_key **key, hc_alg *alg, hc_wimse_result *out, hc_detail *d)
{
	char q[HC_QBUF], q2[HC_QBUF];
	const hc_json *subj, *kidj, *iss;
	hc_wimse_td *td;
	const char *sub, *tdn, *kid = NULL;
	size_t tdlen;
	hc_detail wd = { "" };
	hc_alg walg;
	hc_status st;

	if ((st = hc_pop_compact_check(rq->wit, rq->wit_len, "WIT", d)) !=
	    HC_OK)
		return st;
	if ((st = hc_jws_parse(rq->wit, rq->wit_len, jws, d)) != HC_OK)
		return st;
	if ((st = hc_pop_alg_check(jws->header, w->alg_union, "WIT", &walg,
	    d)) != HC_OK)
		return st;
	if ((st = hc_pop_crit_check(jws->header, "WIT", d)) != HC_OK)
		return st;
	if ((st = hc_pop_typ_check(jws->header, "wit+jwt", "WIT", d)) != HC_OK)
		return st;

	/* Section 3: sub, unverified, only to choose the trust domain. */
	subj = hc_json_get(jws->payload, "sub");
	if ((sub = hc_json_string(subj)) == NULL)
		return hc_fail(d, HC_CLAIM, "WIT sub is %s; a string Workload "
		    "Identifier is required", subj == NULL ? "missing" :
		    hc_json_type_name(hc_json_type_of(subj)));
	if (hc_wid_check(sub, strlen(sub), &tdn, &tdlen, &wd) != HC_OK)
		return hc_fail(d, HC_CLAIM, "WIT sub: %s", wd.text);
	if ((td = find_td(w, tdn, tdlen)) == NULL)
		return hc_fail(d, HC_ISSUER, "WIT sub %s names trust domain "
		    "%.*s, which wimse.trust_domains does not configure",
		    hc_quote(q, sizeof(q), sub), (int)tdlen, tdn);
	if ((td->pol->alg_mask & HC_ALG_BIT(walg)) == 0)
		return hc_fail(d, HC_ALG, "WIT alg %s is not in the algorithms "
		    "of trust domain %s", hc_alg_name(walg),
		    hc_quote(q, sizeof(q), td->pol->trust_domain));

	/* Key: by kid in that domain's set; no kid, only a one-key set. */
	kidj = hc_json_get(jws->header, "kid");
	if (kidj != NULL && (kid = hc_json_string(kidj)) == NULL)
		return hc_fail(d, HC_KEY, "WIT kid is a %s, not a string",
		    hc_json_type_name(hc_json_type_of(kidj)));
	if (kid == NULL && is_spiffe(sub))
		return hc_fail(d, HC_KEY, "WIT for SPIFFE ID %s has no kid; a "
		    "WIT-SVID must name its key", hc_quote(q, sizeof(q), sub));
	if ((st = wit_signature(td, jws, walg, kid, d)) != HC_OK)
		return st;

	/* Verified: the claims. */
	if ((st = wit_times(w->p, jws->payload, rq->now, d)) != HC_OK)
		return st;
	iss = hc_json_get(jws->payload, "iss");
	if (td->pol->issuers.n > 0) {
		const char *is = hc_json_string(iss);
		bool ok = false;

		for (size_t i = 0; is != NULL && i < td->pol->issuers.n; i++)
			ok = ok || strcmp(td->pol->issuers.v[i], is) == 0;
		if (!ok)
			return hc_fail(d, HC_ISSUER, "WIT iss %s is not among "
			    "the issuers of trust domain %s",
			    hc_quote(q, sizeof(q), is != NULL ? is :
			    "(missing)"), hc_quote(q2, sizeof(q2),
			    td->pol->trust_domain));
	}
	if ((st = wit_cnf_key(jws->payload, is_spiffe(sub), key, alg,
	    out->jkt, d)) != HC_OK)
		return st;
	if ((out->sub = hc_strdup(sub)) == NULL)
		return hc_fail(d, HC_INTERNAL, "out of memory");
	if (hc_json_string(hc_json_get(jws->payload, "jti")) != NULL &&
	    (out->wit_jti = hc_strdup(hc_json_string(hc_json_get(
	    jws->payload, "jti")))) == NULL)
		return hc_fail(d, HC_INTERNAL, "out of memory");
	return HC_OK;
}

/* A header name as oth keys it: lower-case RFC 9110 token characters. */
static bool
oth_name_ok(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    strchr("!#$%&'*+-.^_`|~", *s) != NULL))
			return false;
	return true;
}

/*
 * oth (wpt-02 section 2): every key a lower-case header name this
 * recipient understands, present exactly once, hashed over its trimmed
 * value.  An unknown key MUST cause rejection (section 2.3).
 */
static hc_status
check_oth(const hc_json *pl, const hc_wimse_request *rq, hc_detail *d)
{
	char q[HC_QBUF];
	const hc_json *oth = hc_json_get(pl, "oth");

	if (oth == NULL)
		return HC_OK;
	if (hc_json_type_of(oth) != HC_JSON_OBJECT)
		return hc_fail(d, HC_CLAIM, "WPT oth is a %s, not an object",
		    hc_json_type_name(hc_json_type_of(oth)));
	if (hc_json_count(oth) > HC_MAX_OTH_ENTRIES)
		return hc_fail(d, HC_CLAIM, "WPT oth has %zu members, more than "
		    "%d", hc_json_count(oth), HC_MAX_OTH_ENTRIES);
	for (const hc_json *m = hc_json_first(oth); m != NULL;
	    m = hc_json_next(m)) {
		const char *name = hc_json_name(m), *h = hc_json_string(m);
		const hc_wimse_other *o = NULL;
		char want[HC_JKT_LEN + 1];

		hc_quote(q, sizeof(q), name);
		if (!oth_name_ok(name))
			return hc_fail(d, HC_CLAIM, "WPT oth key %s is not a "
			    "lower-case header name", q);
		if (h == NULL)
			return hc_fail(d, HC_CLAIM, "WPT oth %s is not a string",
			    q);
		for (size_t i = 0; i < rq->nothers && o == NULL; i++)
			if (strcmp(rq->others[i].name, name) == 0)
				o = &rq->others[i];
		if (o == NULL)
			return hc_fail(d, HC_BINDING, "WPT oth key %s not "
			    "understood; it MUST be refused (wpt-02 section "
			    "2.3)", q);
		if (o->value == NULL || o->count == 0)
			return hc_fail(d, HC_BINDING, "WPT oth covers header %s, "
			    "absent from the request", q);
		if (o->count > 1)
			return hc_fail(d, HC_BINDING, "WPT oth covers header %s, "
			    "sent more than once", q);
		hc_pop_hash(o->value, strlen(o->value), want);
		if (strlen(h) != HC_JKT_LEN ||
		    hc_ct_memcmp(h, want, HC_JKT_LEN) != 0)
			return hc_fail(d, HC_BINDING, "WPT oth %s is not the "
			    "SHA-256 of that header's value", q);
	}
	return HC_OK;
}

/* A hash claim (ath, tth) required iff its token is in the request. */
static hc_status
co_token(const hc_json *pl, const char *name, const char *tok, size_t len,
    const char *tokname, hc_detail *d)
{
	bool present;
	hc_status st;

	if (tok == NULL) {
		if (hc_json_get(pl, name) != NULL)
			return hc_fail(d, HC_BINDING, "WPT carries %s and the "
			    "request has no %s: it was stripped in transit",
			    name, tokname);
		return HC_OK;
	}
	if ((st = hc_pop_hash_check(pl, name, tok, len, "WPT", &present, d)) !=
	    HC_OK)
		return st == HC_CLAIM ? HC_BINDING : st;
	if (!present)
		return hc_fail(d, HC_BINDING, "the request carries %s and the "
		    "WPT has no %s covering it (wpt-02 section 2)", tokname,
		    name);
	return HC_OK;
}

/* The WPT's replay record: (WIT sub, WPT jti) in namespace "wpt". */
static hc_status
make_record(hc_wimse_result *out, int64_t expires, int64_t max_ttl,
    hc_detail *d)
{
	const char *parts[2] = { out->sub, out->wpt_jti };

	return hc_replay_record_make(&out->record, "wpt", parts, 2, expires,
	    max_ttl, d);
}

/* The WPT (wpt-02 section 2), with the WIT's key and alg. */
static hc_status
verify_wpt(const hc_wimse *w, const hc_wimse_request *rq, const hc_key *key,
    hc_alg alg, hc_wimse_result *out, hc_detail *d)
{
	char q[HC_QBUF];
	const int64_t skew = w->p->clock_skew_s;
	const hc_json *aj, *jj;
	const char *a, *aud, *jti;
	hc_jws jws;
	int64_t exp;
	bool present;
	hc_status st;

	memset(&jws, 0, sizeof(jws));
	if (rq->wpt == NULL)
		return hc_fail(d, HC_BINDING, "a WIT without a "
		    "Workload-Proof-Token: a WIT MUST NOT be used as a bearer "
		    "token (workload-creds section 5.1)");
	if ((st = hc_pop_compact_check(rq->wpt, rq->wpt_len, "WPT", d)) !=
	    HC_OK)
		return st;
	if ((st = hc_jws_parse(rq->wpt, rq->wpt_len, &jws, d)) != HC_OK)
		return st;
	aj = hc_json_get(jws.header, "alg");
	if ((a = hc_json_string(aj)) == NULL || strcmp(a, hc_alg_name(alg)) !=
	    0) {
		st = hc_fail(d, HC_ALG, "WPT alg %s does not string-equal the "
		    "WIT's cnf.jwk.alg \"%s\" (wpt-02 section 2)",
		    hc_quote(q, sizeof(q), a != NULL ? a : "(none)"),
		    hc_alg_name(alg));
		goto out;
	}
	if ((st = hc_pop_crit_check(jws.header, "WPT", d)) != HC_OK)
		goto out;
	if ((st = hc_pop_typ_check(jws.header, "wpt+jwt", "WPT", d)) != HC_OK)
		goto out;
	/* The key is cnf.jwk, whatever the WPT header names. */
	if ((st = hc_key_verify(key, alg,
	    (const unsigned char *)jws.signing_input, jws.signing_input_len,
	    jws.sig, jws.sig_len, d)) != HC_OK)
		goto out;

	if ((aud = hc_json_string(hc_json_get(jws.payload, "aud"))) == NULL) {
		st = hc_fail(d, HC_CLAIM, "WPT aud is missing or not a string "
		    "(wpt-02 section 2)");
		goto out;
	}
	if ((st = hc_pop_numeric_date(jws.payload, "exp", "WPT", &exp,
	    &present, d)) != HC_OK)
		goto out;
	if (!present) {
		st = hc_fail(d, HC_CLAIM, "WPT lacks exp (wpt-02 section 2)");
		goto out;
	}
	jj = hc_json_get(jws.payload, "jti");
	if ((jti = hc_json_string(jj)) == NULL || jti[0] == '\0' ||
	    strlen(jti) > HC_MAX_JTI_BYTES) {
		st = hc_fail(d, HC_CLAIM, "WPT jti is missing, not a string, "
		    "empty or longer than %d bytes", HC_MAX_JTI_BYTES);
		goto out;
	}
	if (hc_json_string(hc_json_get(jws.payload, "wth")) == NULL) {
		st = hc_fail(d, HC_CLAIM, "WPT wth is missing or not a string "
		    "(wpt-02 section 2)");
		goto out;
	}
	if (rq->now >= exp + skew) {
		st = hc_fail(d, HC_EXPIRED, "WPT exp %lld has passed (now %lld, "
		    "skew %lld)", (long long)exp, (long long)rq->now,
		    (long long)skew);
		goto out;
	}
	if (exp - rq->now > w->p->wimse.max_wpt_ttl_s + skew) {
		st = hc_fail(d, HC_LIFETIME, "WPT exp %lld is %lld s ahead, "
		    "more than wimse.max_wpt_ttl_s %lld", (long long)exp,
		    (long long)(exp - rq->now),
		    (long long)w->p->wimse.max_wpt_ttl_s);
		goto out;
	}
	if ((st = hc_pop_uri_match(aud, "WPT aud", &w->p->origins, rq->path,
	    NULL, d)) != HC_OK)
		goto out;
	if ((st = hc_pop_hash_check(jws.payload, "wth", rq->wit, rq->wit_len,
	    "WPT", &present, d)) != HC_OK)
		goto out;
	if ((st = co_token(jws.payload, "ath", rq->access_token,
	    rq->access_token_len, "access token", d)) != HC_OK)
		goto out;
	if ((st = co_token(jws.payload, "tth", rq->txn_token,
	    rq->txn_token_len, "Txn-Token", d)) != HC_OK)
		goto out;
	if ((st = check_oth(jws.payload, rq, d)) != HC_OK)
		goto out;
	if ((out->wpt_jti = hc_strdup(jti)) == NULL) {
		st = hc_fail(d, HC_INTERNAL, "out of memory");
		goto out;
	}
	st = make_record(out, exp + skew, w->p->wimse.max_wpt_ttl_s + 2 * skew,
	    d);
out:
	hc_jws_clear(&jws);
	return st;
}

/* ----------------------------------------------------------------- API */

hc_status
hc_wimse_verify(const hc_wimse *w, const hc_wimse_request *rq,
    hc_wimse_result *out, hc_detail *d)
{
	hc_jws wit;
	hc_key *key = NULL;
	hc_alg alg = HC_ALG_UNKNOWN;
	hc_status st;

	memset(out, 0, sizeof(*out));
	memset(&wit, 0, sizeof(wit));
	out->credential = "wit";
	st = verify_wit(w, rq, &wit, &key, &alg, out, d);
	hc_jws_clear(&wit);
	if (st == HC_OK) {
		out->credential = "wpt";
		st = verify_wpt(w, rq, key, alg, out, d);
	}
	hc_key_free(key);
	if (st == HC_OK)
		out->credential = NULL;
	return st;
}
