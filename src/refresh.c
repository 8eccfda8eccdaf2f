/* SPDX-License-Identifier: Apache-2.0 */
/*
 * refresh.c - keeping remote key sets fresh.
 *
 * A validator may take keys from the network: an issuer's `jwks_uri`, an
 * issuer's metadata (`discovery`: OpenID Connect Discovery 1.0 section 4,
 * or RFC 8414 section 3, then the `jwks_uri` it names), or a SPIFFE trust
 * domain's bundle endpoint (`bundle_uri`), or the `jwks_uri` of the
 * Transaction Token Service of txn_tokens, or a wimse trust domain's
 * `jwks_uri` or `bundle_uri` (its "wit-svid" keys).  Each such source has
 * a struct hc_remote here, and the validator one struct hc_refresher that
 * holds them.  A refresh round (hc_validator_refresh()) visits every source and
 * fetches those that are due; the caller's own loop, or the thread of
 * hc_validator_start_refresher(), runs rounds and sleeps in between.
 *
 * The rules, per source:
 *
 *  - Until a first set is loaded the issuer has none (layer 1 answers
 *    HC_UNAVAILABLE: fail closed).
 *  - A good answer is swapped in whole into the key slot of the issuer
 *    or trust domain (hc_keyslot_swap()); validations in flight keep the
 *    set they hold.
 *  - The next fetch is due after the answer's Cache-Control max-age
 *    (RFC 9111 section 5.2.2.1), or a bundle's spiffe_refresh_hint, held
 *    within [fetch.min_refresh_s, fetch.max_refresh_s]; no-cache and
 *    no-store mean the minimum, and no directive the maximum.
 *  - The ETag of the current set is sent back as If-None-Match (RFC 9110
 *    section 13.1.2); a 304 keeps the set and counts as confirming it.
 *  - A failed fetch keeps the last good set until it was last confirmed
 *    more than fetch.max_stale_s ago; then it is dropped and the source
 *    answers HC_UNAVAILABLE again.  Failures are retried with a doubling
 *    delay, bounded by REFRESH_BACKOFF_MAX_MS and by max_refresh_s.
 *  - A token whose kid the set lacks asks for one early refresh
 *    (hc_refresh_note_kid_miss()), granted at most once per
 *    fetch.unknown_kid_cooldown_s per issuer, so that a stream of forged
 *    kids cannot turn the validator into a load generator against the
 *    issuer.  The request is an atomic flag and a condition variable: the
 *    validating thread never fetches, sleeps or waits on I/O.
 *
 * Locks: `round` serialises rounds (it is held across network I/O, and
 * only a round takes it); `lock` guards the wake-up and stop flags, the
 * statistics and last errors, and is never held across I/O.  An issuer's
 * key slot guards its set (keyset.h).  Scheduling runs on the monotonic
 * clock; loaded_at in the statistics is wall-clock time.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "discovery.h"
#include "fetch.h"
#include "keylog.h"
#include "keyset.h"
#include "refresh.h"
#include "validator.h"

/* First retry delay after a failure; it doubles per consecutive failure. */
#define REFRESH_BACKOFF_FIRST_MS  1000
/* Retries happen at least this often (and at least every max_refresh_s). */
#define REFRESH_BACKOFF_MAX_MS    (300 * 1000)
/* A refresher loop never sleeps less than this between rounds. */
#define REFRESH_MIN_SLEEP_MS      1000
/* Nor more than this in one wait (a bound for the arithmetic). */
#define REFRESH_MAX_SLEEP_MS      (7 * 86400 * 1000LL)

/* A kind of failure of a refresh beyond a fetch's, a set's, metadata's. */
#define REFRESH_FAIL_STALE        "stale"

/* ----------------------------------------------------------- types */

typedef enum remote_kind {
	REMOTE_JWKS,             /* issuer jwks_uri */
	REMOTE_DISCOVERY,        /* issuer discovery, then its jwks_uri */
	REMOTE_BUNDLE            /* trust domain bundle_uri (spiffe, wimse) */
} remote_kind;

struct hc_remote {
	struct hc_refresher *rf;
	remote_kind kind;
	const char *source;      /* the issuer, or "spiffe://" + domain */
	const char *url;         /* as configured */
	bool allow_http;
	const char *ca_file;
	hc_issuer_state *is;     /* discovery: the issuer */
	const char *bundle_td;   /* bundle: its trust domain */
	const char *bundle_use;  /*   and the `use` of the keys wanted */
	hc_keyslot *slot;        /* the source's keys: where a set goes */

	/* State of the rounds: read and written only under rf->round. */
	char *etag;              /* of the current set, or NULL */
	char *jwks_url;          /* discovery: the jwks_uri last learned */
	int64_t hint_s;          /* bundle: last spiffe_refresh_hint, or -1 */
	unsigned failures;       /* consecutive failed fetches */
	bool has_set;            /* a set from this source is installed */
	int64_t due_ms;          /* monotonic: the next fetch is due */
	int64_t good_ms;         /* monotonic: the set was last confirmed */

	/* Early refresh for an unknown kid, shared with validating threads. */
	int kid_asked;           /* atomic: an early refresh is pending */
	int64_t kid_granted_ms;  /* atomic: when the last one was granted */

	/* Under rf->lock. */
	uint64_t n_ok, n_not_modified, n_failed;
	hc_detail last_error;    /* empty after a success */
	const char *last_failure;    /* its kind (static), NULL after a success */
	int64_t next_at;         /* wall clock: when the next fetch is due */
	int64_t ok_at;           /* wall clock: the last good answer, or 0 */
};

struct hc_refresher {
	hc_validator *v;
	struct hc_remote *remotes;
	size_t nremote;
	char **td_labels;        /* "spiffe://" + domain, per trust domain */
	size_t ntd;
	pthread_mutex_t round;
	pthread_mutex_t lock;
	pthread_cond_t cond;     /* on CLOCK_MONOTONIC, with lock */
	bool wake;               /* under lock: a round was asked for */
	bool stop;               /* under lock: the validator is going away */
	int stopping;            /* atomic copy of stop, read by transfers */
	hc_log_fn log_fn;        /* under lock: the key event hook, or NULL */
	void *log_arg;
	bool thread_started;
	pthread_t thread;
	int inits;               /* how many of round, lock, cond exist */
};

/* ------------------------------------------------ private: helpers */

/*
 * Milliseconds on the monotonic clock: every refresh deadline is kept on it,
 * so that a step of the wall clock neither stalls nor floods the fetches.
 */
static int64_t
mono_ms(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* v limited to [lo, hi]; lo <= hi is the caller's business. */
static int64_t
clamp64(int64_t v, int64_t lo, int64_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* The fetch limits of the policy a remote belongs to. */
static const hc_fetch_policy *
limits_of(const struct hc_remote *r)
{
	return &r->rf->v->policy->fetch;
}

/*
 * How long to keep a fresh answer before the next fetch: the bundle's
 * refresh hint, else Cache-Control, within [min_refresh_s, max_refresh_s].
 */
static int64_t
interval_ms(const hc_fetch_policy *fp, const hc_fetch_resp *resp,
    int64_t hint_s)
{
	int64_t s;

	if (hint_s >= 0)
		s = hint_s;
	else if (resp->no_cache)
		s = fp->min_refresh_s;
	else if (resp->max_age >= 0)
		s = resp->max_age;
	else
		s = fp->max_refresh_s;
	return clamp64(s, fp->min_refresh_s, fp->max_refresh_s) * 1000;
}

/* The delay before retrying after `failures` consecutive failures. */
static int64_t
backoff_ms(const hc_fetch_policy *fp, unsigned failures)
{
	int64_t cap = clamp64(fp->max_refresh_s * 1000, REFRESH_BACKOFF_FIRST_MS,
	    REFRESH_BACKOFF_MAX_MS), ms = REFRESH_BACKOFF_FIRST_MS;

	for (unsigned i = 1; i < failures && ms < cap; i++)
		ms *= 2;
	return ms < cap ? ms : cap;
}

/*
 * Records the outcome of a fetch in the statistics, with the kind of
 * failure (`failure`, static) when `err` is not NULL, and when the next
 * fetch is due (r->due_ms, set by the caller) on the wall clock.
 */
static void
note_outcome(struct hc_remote *r, uint64_t *counter, const hc_detail *err,
    const char *failure)
{
	int64_t now = (int64_t)time(NULL);

	pthread_mutex_lock(&r->rf->lock);
	(*counter)++;
	if (err != NULL) {
		r->last_error = *err;
		r->last_failure = failure;
	} else {
		r->last_error.text[0] = '\0';
		r->last_failure = NULL;
		r->ok_at = now;
	}
	r->next_at = now + (r->due_ms - mono_ms()) / 1000;
	pthread_mutex_unlock(&r->rf->lock);
}

/*
 * Hands a freshly parsed key set (or NULL) to the issuer or trust domain
 * the remote serves, taking over the caller's reference; the old set is
 * freed once no verification holds it.
 */
static void
install(struct hc_remote *r, hc_keyset *ks)
{
	hc_keyslot_swap(r->slot, ks);
}

/* One GET with the source's transport settings. */
static hc_status
get(struct hc_remote *r, const char *url, const char *etag,
    hc_fetch_resp *resp, hc_detail *d)
{
	hc_fetch_req req = {
		.url = url,
		.limits = limits_of(r),
		.allow_insecure_http = r->allow_http,
		.ca_file = r->ca_file,
		.etag = etag,
		.stop = &r->rf->stopping,
	};

	return hc_fetch(&req, resp, d);
}

/* ---------------------------------------------- private: discovery */

/* discovery.c's GET: one request with the source's transport settings. */
static hc_status
discovery_get(void *arg, const char *url, hc_fetch_resp *resp, hc_detail *d)
{
	return get(arg, url, NULL, resp, d);
}

/*
 * Finds the jwks_uri of a discovery source (discovery.c) and remembers it;
 * when it changed, the ETag of the old document no longer applies.
 */
static hc_status
discover(struct hc_remote *r, const char **why, hc_detail *d)
{
	char *jwks = NULL;
	hc_status st;

	st = hc_discover_jwks_uri(r->url, r->is->pol->issuer, r->allow_http,
	    discovery_get, r, &jwks, why, d);
	if (st != HC_OK)
		return st;
	if (r->jwks_url == NULL || strcmp(r->jwks_url, jwks) != 0) {
		/* An ETag is a validator of one URL's document only. */
		free(r->jwks_url);
		free(r->etag);
		r->etag = NULL;
		r->jwks_url = jwks;
	} else {
		free(jwks);
	}
	return HC_OK;
}

/* ------------------------------------------------ private: a round */

/*
 * The kind of failure of a bundle that did not parse: not JSON, or not a
 * bundle.  (A bundle with no key is valid: bundle section 4.1.3.)
 */
static const char *
bundle_failure(const char *body, size_t len)
{
	hc_json *root = NULL;
	hc_detail jd = { "" };

	if (hc_json_parse(body, len, &root, &jd) != HC_OK)
		return HC_KEYSET_FAIL_JSON;
	hc_json_free(root);
	return HC_KEYSET_FAIL_INVALID;
}

/*
 * Fetches one source and installs what it got, or records why not.  Only
 * a round (holding rf->round) calls this.
 */
static void
refresh_one(struct hc_remote *r)
{
	const hc_fetch_policy *fp = limits_of(r);
	char label[HC_FETCH_URL_LABEL_MAX];
	const char *url = r->url, *why = NULL;
	hc_fetch_resp resp;
	hc_keyset *ks = NULL, *old;
	hc_detail d = { "" }, pd = { "" };
	int64_t hint = -1, now;
	long http_status = 0;
	hc_status st;

	memset(&resp, 0, sizeof(resp));
	if (r->kind == REMOTE_DISCOVERY) {
		if ((st = discover(r, &why, &d)) != HC_OK)
			goto failed;
		url = r->jwks_url;
	}
	st = get(r, url, r->has_set ? r->etag : NULL, &resp, &d);
	why = resp.failure;
	http_status = resp.http_status;
	if (st != HC_OK)
		goto failed;
	now = mono_ms();
	if (resp.http_status == 304) {
		r->good_ms = now;
		r->failures = 0;
		r->due_ms = now + interval_ms(fp, &resp, r->hint_s);
		note_outcome(r, &r->n_not_modified, NULL, NULL);
		hc_fetch_resp_clear(&resp);
		return;
	}
	if (r->kind == REMOTE_BUNDLE) {
		st = hc_bundle_parse_hint(resp.body, resp.len, r->bundle_td,
		    r->bundle_use, &ks, &hint, &pd);
		if (st != HC_OK)
			why = bundle_failure(resp.body, resp.len);
	} else {
		st = hc_keyset_parse_why(resp.body, resp.len, false, &ks, &why,
		    &pd);
	}
	if (st != HC_OK) {
		(void)hc_fail(&d, st, "%s: %s", hc_fetch_url_label(url, label,
		    sizeof(label)), pd.text);
		goto failed;
	}
	old = hc_keyslot_get(r->slot);
	hc_keylog_installed(r->rf->v, r->source, hc_fetch_url_label(url,
	    label, sizeof(label)), old, ks);
	hc_keyset_unref(old);
	install(r, ks);
	r->has_set = true;
	r->good_ms = now;
	r->failures = 0;
	r->hint_s = hint;
	free(r->etag);
	r->etag = resp.etag;     /* the new set's validator, or NULL */
	resp.etag = NULL;
	r->due_ms = now + interval_ms(fp, &resp, hint);
	note_outcome(r, &r->n_ok, NULL, NULL);
	hc_fetch_resp_clear(&resp);
	return;

failed:
	hc_fetch_resp_clear(&resp);
	if (r->failures < 64)
		r->failures++;
	r->due_ms = mono_ms() + backoff_ms(fp, r->failures);
	if (why == NULL)
		why = st == HC_INTERNAL ? HC_FETCH_FAIL_INTERNAL :
		    HC_KEYSET_FAIL_INVALID;
	note_outcome(r, &r->n_failed, &d, why);
	hc_keylog_failed(r->rf->v, r->source, why, http_status, d.text);
}

/*
 * Drops a set not confirmed for more than max_stale_s: past that, failing
 * closed is safer than trusting keys the issuer may have withdrawn.
 */
static void
expire_if_stale(struct hc_remote *r, int64_t now)
{
	const hc_fetch_policy *fp = limits_of(r);
	hc_detail d;

	if (!r->has_set || now - r->good_ms <= fp->max_stale_s * 1000)
		return;
	install(r, NULL);
	r->has_set = false;
	free(r->etag);
	r->etag = NULL;
	(void)hc_fail(&d, HC_UNAVAILABLE, "keys of %s dropped: not confirmed "
	    "for more than fetch.max_stale_s (%lld s)", r->source,
	    (long long)fp->max_stale_s);
	pthread_mutex_lock(&r->rf->lock);
	r->last_error = d;
	r->last_failure = REFRESH_FAIL_STALE;
	pthread_mutex_unlock(&r->rf->lock);
	hc_keylog_failed(r->rf->v, r->source, REFRESH_FAIL_STALE, 0, d.text);
}

/* The body of the thread of hc_validator_start_refresher(). */
static void *
refresher_main(void *arg)
{
	hc_validator *v = arg;
	struct hc_refresher *rf = v->refresher;

	while (!__atomic_load_n(&rf->stopping, __ATOMIC_ACQUIRE)) {
		int64_t next = REFRESH_MIN_SLEEP_MS;

		(void)hc_validator_refresh(v, &next);
		hc_validator_refresh_wait(v, next);
	}
	return NULL;
}

/* Frees a refresher, whole or partly built; stops its thread first. */
static void
refresher_destroy(hc_validator *v, struct hc_refresher *rf)
{
	if (rf->inits >= 3) {
		pthread_mutex_lock(&rf->lock);
		rf->stop = true;
		__atomic_store_n(&rf->stopping, 1, __ATOMIC_RELEASE);
		pthread_cond_broadcast(&rf->cond);
		pthread_mutex_unlock(&rf->lock);
	}
	if (rf->thread_started)
		(void)pthread_join(rf->thread, NULL);
	for (size_t i = 0; i < rf->nremote; i++) {
		struct hc_remote *r = &rf->remotes[i];

		free(r->etag);
		free(r->jwks_url);
	}
	for (size_t i = 0; v->issuers != NULL && i < v->policy->nissuers; i++)
		v->issuers[i].remote = NULL;
	for (size_t i = 0; v->tds != NULL && i < v->policy->ntrust_domains; i++)
		v->tds[i].remote = NULL;
	if (v->txn != NULL)
		v->txn->remote = NULL;
	for (size_t i = 0; i < hc_wimse_ntds(v->wimse); i++)
		hc_wimse_td_at(v->wimse, i)->remote = NULL;
	for (size_t i = 0; rf->td_labels != NULL && i < rf->ntd; i++)
		free(rf->td_labels[i]);
	free(rf->td_labels);
	free(rf->remotes);
	if (rf->inits >= 3)
		pthread_cond_destroy(&rf->cond);
	if (rf->inits >= 2)
		pthread_mutex_destroy(&rf->lock);
	if (rf->inits >= 1)
		pthread_mutex_destroy(&rf->round);
	free(rf);
}

/*
 * Creates the refresher's mutexes and its condition variable, the latter on
 * CLOCK_MONOTONIC to match mono_ms().  rf->inits counts what exists, so that
 * refresher_destroy() undoes exactly that after a failure here (HC_INTERNAL).
 */
static hc_status
refresher_sync_init(struct hc_refresher *rf)
{
	pthread_condattr_t ca;
	int rc;

	if (pthread_mutex_init(&rf->round, NULL) != 0)
		return HC_INTERNAL;
	rf->inits = 1;
	if (pthread_mutex_init(&rf->lock, NULL) != 0)
		return HC_INTERNAL;
	rf->inits = 2;
	if (pthread_condattr_init(&ca) != 0)
		return HC_INTERNAL;
	rc = pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	if (rc == 0)
		rc = pthread_cond_init(&rf->cond, &ca);
	pthread_condattr_destroy(&ca);
	if (rc != 0)
		return HC_INTERNAL;
	rf->inits = 3;
	return HC_OK;
}

/* Fills the remote of one source. */
static void
remote_setup(struct hc_refresher *rf, struct hc_remote *r, remote_kind kind,
    const char *source, const char *url, bool allow_http, const char *ca)
{
	r->rf = rf;
	r->kind = kind;
	r->source = source;
	r->url = url;
	r->allow_http = allow_http;
	r->ca_file = ca;
	r->hint_s = -1;
	r->due_ms = 0;           /* due at once: nothing is loaded yet */
	/* Far enough in the past that the first unknown kid is granted. */
	r->kid_granted_ms = INT64_MIN / 2;
}

/*
 * Key sources: issuers, trust domains, the txn_tokens TTS set, then the
 * wimse trust domains.
 */
static size_t
nsources(const hc_validator *v)
{
	return v->policy->nissuers + v->policy->ntrust_domains +
	    (v->txn != NULL ? 1 : 0) + hc_wimse_ntds(v->wimse);
}

/* Whether a wimse trust domain's keys come from the network. */
static bool
wimse_remote(const hc_wimse_td_policy *tp)
{
	return tp->keysrc == HC_WIMSE_KEYS_JWKS_URI ||
	    tp->keysrc == HC_WIMSE_KEYS_BUNDLE_URI;
}

/* The remote state of key source i (hc_validator_key_stats() order). */
static struct hc_remote *
remote_at(const hc_validator *v, size_t i)
{
	if (i < v->policy->nissuers)
		return v->issuers[i].remote;
	i -= v->policy->nissuers;
	if (i < v->policy->ntrust_domains)
		return v->tds[i].remote;
	i -= v->policy->ntrust_domains;
	if (v->txn != NULL && i-- == 0)
		return v->txn->remote;
	return i < hc_wimse_ntds(v->wimse) ?
	    hc_wimse_td_at(v->wimse, i)->remote : NULL;
}

/* ------------------------------------------------------ internal API */

hc_status
hc_refresh_init(hc_validator *v, hc_detail *d)
{
	const hc_policy *p = v->policy;
	struct hc_refresher *rf;
	size_t n = 0, k = 0;

	for (size_t i = 0; i < p->nissuers; i++)
		if (p->issuers[i].keysrc == HC_KEYSRC_JWKS_URI ||
		    p->issuers[i].keysrc == HC_KEYSRC_DISCOVERY)
			n++;
	for (size_t i = 0; i < p->ntrust_domains; i++)
		if (p->trust_domains[i].bundle_uri != NULL)
			n++;
	if (v->txn != NULL && p->txn->keysrc == HC_KEYSRC_JWKS_URI)
		n++;
	for (size_t i = 0; i < hc_wimse_ntds(v->wimse); i++)
		if (wimse_remote(hc_wimse_td_at(v->wimse, i)->pol))
			n++;
	if ((rf = calloc(1, sizeof(*rf))) == NULL)
		return hc_fail(d, HC_INTERNAL, "out of memory");
	rf->v = v;
	if (refresher_sync_init(rf) != HC_OK) {
		refresher_destroy(v, rf);
		return hc_fail(d, HC_INTERNAL, "cannot create the refresher's "
		    "locks");
	}
	rf->ntd = p->ntrust_domains;
	if ((rf->remotes = calloc(n > 0 ? n : 1, sizeof(*rf->remotes))) ==
	    NULL || (rf->td_labels = calloc(rf->ntd > 0 ? rf->ntd : 1,
	    sizeof(*rf->td_labels))) == NULL)
		goto oom;
	for (size_t i = 0; i < rf->ntd; i++) {
		const char *td = p->trust_domains[i].trust_domain;
		size_t len = HC_SPIFFE_SCHEME_LEN + strlen(td) + 1;

		if ((rf->td_labels[i] = malloc(len)) == NULL)
			goto oom;
		(void)snprintf(rf->td_labels[i], len, "%s%s", HC_SPIFFE_SCHEME,
		    td);
	}
	for (size_t i = 0; i < p->nissuers; i++) {
		const hc_issuer_policy *ip = &p->issuers[i];

		if (ip->keysrc != HC_KEYSRC_JWKS_URI &&
		    ip->keysrc != HC_KEYSRC_DISCOVERY)
			continue;
		remote_setup(rf, &rf->remotes[k], ip->keysrc ==
		    HC_KEYSRC_JWKS_URI ? REMOTE_JWKS : REMOTE_DISCOVERY,
		    ip->issuer, ip->key_location, ip->allow_insecure_http,
		    ip->ca_file);
		rf->remotes[k].is = &v->issuers[i];
		rf->remotes[k].slot = &v->issuers[i].keys;
		v->issuers[i].remote = &rf->remotes[k++];
	}
	for (size_t i = 0; i < p->ntrust_domains; i++) {
		const hc_trust_domain_policy *tp = &p->trust_domains[i];

		if (tp->bundle_uri == NULL)
			continue;
		remote_setup(rf, &rf->remotes[k], REMOTE_BUNDLE,
		    rf->td_labels[i], tp->bundle_uri, tp->allow_insecure_http,
		    tp->ca_file);
		rf->remotes[k].bundle_td = tp->trust_domain;
		rf->remotes[k].bundle_use = HC_BUNDLE_USE_JWT_SVID;
		rf->remotes[k].slot = &v->tds[i].keys;
		v->tds[i].remote = &rf->remotes[k++];
	}
	/* The Transaction Token Service's jwks_uri: one more JWKS source. */
	if (v->txn != NULL && p->txn->keysrc == HC_KEYSRC_JWKS_URI) {
		remote_setup(rf, &rf->remotes[k], REMOTE_JWKS,
		    p->txn->trust_domain, p->txn->key_location,
		    p->txn->allow_insecure_http, p->txn->ca_file);
		rf->remotes[k].slot = &v->txn->keys;
		v->txn->remote = &rf->remotes[k++];
	}
	/* wimse trust domains: a JWKS, or a bundle's "wit-svid" keys. */
	for (size_t i = 0; i < hc_wimse_ntds(v->wimse); i++) {
		hc_wimse_td *wt = hc_wimse_td_at(v->wimse, i);
		const hc_wimse_td_policy *tp = wt->pol;
		bool bundle = tp->keysrc == HC_WIMSE_KEYS_BUNDLE_URI;

		if (!wimse_remote(tp))
			continue;
		remote_setup(rf, &rf->remotes[k], bundle ? REMOTE_BUNDLE :
		    REMOTE_JWKS, wt->label, tp->key_location,
		    tp->allow_insecure_http, tp->ca_file);
		if (bundle) {
			rf->remotes[k].bundle_td = tp->trust_domain;
			rf->remotes[k].bundle_use = HC_BUNDLE_USE_WIT_SVID;
		}
		rf->remotes[k].slot = &wt->keys;
		wt->remote = &rf->remotes[k++];
	}
	rf->nremote = k;
	v->refresher = rf;
	return HC_OK;
oom:
	rf->nremote = k;
	refresher_destroy(v, rf);
	return hc_fail(d, HC_INTERNAL, "out of memory");
}

void
hc_refresh_free(hc_validator *v)
{
	if (v == NULL || v->refresher == NULL)
		return;
	refresher_destroy(v, v->refresher);
	v->refresher = NULL;
}

/*
 * Asks for an early refresh of the issuer's source.  The cool-down runs
 * on the monotonic clock, not on the request's clock (`now`), which a
 * caller may fix or replay.  Lock-free but for the brief, I/O-free
 * critical section that wakes the refresher.
 */
void
hc_refresh_note_kid_miss(hc_remote *r)
{
	struct hc_refresher *rf;
	int64_t t, last, cool;

	if (r == NULL)
		return;
	rf = r->rf;
	if (__atomic_load_n(&r->kid_asked, __ATOMIC_ACQUIRE))
		return;                         /* one is already pending */
	t = mono_ms();
	cool = rf->v->policy->fetch.unknown_kid_cooldown_s * 1000;
	last = __atomic_load_n(&r->kid_granted_ms, __ATOMIC_ACQUIRE);
	if (t - last < cool)
		return;
	/* Single flight: of the threads racing here, one wins the grant. */
	if (!__atomic_compare_exchange_n(&r->kid_granted_ms, &last, t, false,
	    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return;
	__atomic_store_n(&r->kid_asked, 1, __ATOMIC_RELEASE);
	pthread_mutex_lock(&rf->lock);
	rf->wake = true;
	pthread_cond_broadcast(&rf->cond);
	pthread_mutex_unlock(&rf->lock);
}

bool
hc_refresh_last_error(const hc_validator *v, size_t i, hc_detail *d)
{
	struct hc_remote *r;

	d->text[0] = '\0';
	if (v == NULL || i >= nsources(v))
		return false;
	if ((r = remote_at(v, i)) == NULL)
		return true;
	pthread_mutex_lock(&r->rf->lock);
	*d = r->last_error;
	pthread_mutex_unlock(&r->rf->lock);
	return true;
}

void
hc_refresh_set_logger(hc_validator *v, hc_log_fn fn, void *arg)
{
	struct hc_refresher *rf;

	if (v == NULL || (rf = v->refresher) == NULL)
		return;
	pthread_mutex_lock(&rf->lock);
	rf->log_fn = fn;
	rf->log_arg = arg;
	pthread_mutex_unlock(&rf->lock);
}

hc_log_fn
hc_refresh_logger(const hc_validator *v, void **arg)
{
	struct hc_refresher *rf;
	hc_log_fn fn;

	*arg = NULL;
	if (v == NULL || (rf = v->refresher) == NULL)
		return NULL;
	pthread_mutex_lock(&rf->lock);
	fn = rf->log_fn;
	*arg = rf->log_arg;
	pthread_mutex_unlock(&rf->lock);
	return fn;
}

bool
hc_refresh_info(const hc_validator *v, size_t i, hc_refresh_state *out)
{
	struct hc_remote *r;

	memset(out, 0, sizeof(*out));
	if (v == NULL || i >= nsources(v))
		return false;
	if ((r = remote_at(v, i)) == NULL)
		return true;
	out->remote = true;
	out->url = r->url;
	pthread_mutex_lock(&r->rf->lock);
	out->last_error = r->last_error;
	out->last_failure = r->last_failure;
	out->next_at = r->next_at;
	out->ok_at = r->ok_at;
	out->n_ok = r->n_ok;
	out->n_failed = r->n_failed;
	pthread_mutex_unlock(&r->rf->lock);
	return true;
}

/* ------------------------------------------------------- public API */

HC_EXPORT hc_status
hc_validator_refresh(hc_validator *v, int64_t *next_ms)
{
	struct hc_refresher *rf;
	int64_t next, now;

	if (next_ms != NULL)
		*next_ms = REFRESH_MIN_SLEEP_MS;
	if (v == NULL || v->policy == NULL)
		return HC_INTERNAL;
	rf = v->refresher;
	next = mono_ms() + v->policy->fetch.max_refresh_s * 1000;
	if (rf != NULL && rf->nremote > 0) {
		pthread_mutex_lock(&rf->round);
		pthread_mutex_lock(&rf->lock);
		rf->wake = false;
		pthread_mutex_unlock(&rf->lock);
		for (size_t i = 0; i < rf->nremote; i++) {
			struct hc_remote *r = &rf->remotes[i];
			int64_t stale_at;
			bool asked;

			if (__atomic_load_n(&rf->stopping, __ATOMIC_ACQUIRE))
				break;
			asked = __atomic_exchange_n(&r->kid_asked, 0,
			    __ATOMIC_ACQ_REL);
			if (asked || mono_ms() >= r->due_ms)
				refresh_one(r);
			now = mono_ms();
			expire_if_stale(r, now);
			if (r->due_ms < next)
				next = r->due_ms;
			stale_at = r->good_ms + limits_of(r)->max_stale_s * 1000 + 1;
			if (r->has_set && stale_at < next)
				next = stale_at;
		}
		pthread_mutex_unlock(&rf->round);
	}
	if (next_ms != NULL)
		*next_ms = clamp64(next - mono_ms(), REFRESH_MIN_SLEEP_MS,
		    REFRESH_MAX_SLEEP_MS);
	return hc_validator_ready(v) ? HC_OK : HC_UNAVAILABLE;
}

HC_EXPORT void
hc_validator_refresh_wait(hc_validator *v, int64_t max_ms)
{
	struct hc_refresher *rf;
	struct timespec until;
	int64_t ms;

	if (v == NULL || (rf = v->refresher) == NULL)
		return;
	ms = clamp64(max_ms, 0, REFRESH_MAX_SLEEP_MS);
	(void)clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += (time_t)(ms / 1000);
	until.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&rf->lock);
	while (!rf->wake && !rf->stop)
		if (pthread_cond_timedwait(&rf->cond, &rf->lock, &until) ==
		    ETIMEDOUT)
			break;
	pthread_mutex_unlock(&rf->lock);
}

HC_EXPORT hc_status
hc_validator_start_refresher(hc_validator *v)
{
	struct hc_refresher *rf;
	sigset_t all, old;
	hc_status st = HC_OK;

	if (v == NULL)
		return HC_INTERNAL;
	if ((rf = v->refresher) == NULL || rf->nremote == 0)
		return HC_OK;
	pthread_mutex_lock(&rf->lock);
	if (!rf->thread_started && !rf->stop) {
		/* The thread takes no signals: they belong to the program. */
		(void)sigfillset(&all);
		(void)pthread_sigmask(SIG_SETMASK, &all, &old);
		if (pthread_create(&rf->thread, NULL, refresher_main, v) == 0)
			rf->thread_started = true;
		else
			st = HC_INTERNAL;
		(void)pthread_sigmask(SIG_SETMASK, &old, NULL);
	}
	pthread_mutex_unlock(&rf->lock);
	return st;
}

HC_EXPORT int
hc_validator_ready(const hc_validator *v)
{
	if (v == NULL || v->policy == NULL)
		return 0;
	for (size_t i = 0; i < v->policy->nissuers; i++) {
		hc_issuer_state *is = &v->issuers[i];

		if (is->secret == NULL && hc_keyslot_holds(&is->keys, NULL))
			return 0;
	}
	for (size_t i = 0; i < v->policy->ntrust_domains; i++)
		if (hc_keyslot_holds(&v->tds[i].keys, NULL))
			return 0;
	if (v->txn != NULL && hc_keyslot_holds(&v->txn->keys, NULL))
		return 0;
	for (size_t i = 0; i < hc_wimse_ntds(v->wimse); i++)
		if (hc_keyslot_holds(&hc_wimse_td_at(v->wimse, i)->keys, NULL))
			return 0;
	return 1;
}

HC_EXPORT size_t
hc_validator_key_stats(const hc_validator *v, hc_key_stats *out, size_t max)
{
	const struct hc_refresher *rf;
	size_t n, nfixed;

	if (v == NULL || v->policy == NULL)
		return 0;
	rf = v->refresher;
	n = nsources(v);
	/* Sources before the wimse trust domains. */
	nfixed = v->policy->nissuers + v->policy->ntrust_domains +
	    (v->txn != NULL ? 1 : 0);
	for (size_t i = 0; i < n && i < max && out != NULL; i++) {
		hc_key_stats *s = &out[i];
		struct hc_remote *r = remote_at(v, i);
		hc_keyset *ks;

		memset(s, 0, sizeof(*s));
		if (i < v->policy->nissuers) {
			hc_issuer_state *is = &v->issuers[i];

			s->source = is->pol->issuer;
			ks = hc_keyslot_get(&is->keys);
			s->keys = ks != NULL ? ks->nkeys :
			    (size_t)(is->secret != NULL);
		} else if (i >= nfixed) {
			hc_wimse_td *wt = hc_wimse_td_at(v->wimse, i - nfixed);

			s->source = wt->label;
			ks = hc_keyslot_get(&wt->keys);
			s->keys = ks != NULL ? ks->nkeys : 0;
		} else if (i - v->policy->nissuers >= v->policy->ntrust_domains) {
			s->source = v->txn->pol->trust_domain;
			ks = hc_keyslot_get(&v->txn->keys);
			s->keys = ks != NULL ? ks->nkeys : 0;
		} else {
			size_t t = i - v->policy->nissuers;
			hc_td_state *ts = &v->tds[t];

			s->source = rf != NULL ? rf->td_labels[t] :
			    ts->pol->trust_domain;
			ks = hc_keyslot_get(&ts->keys);
			s->keys = ks != NULL ? ks->nkeys : 0;
		}
		s->loaded_at = ks != NULL ? ks->loaded_at : 0;
		hc_keyset_unref(ks);
		if (r != NULL) {
			pthread_mutex_lock(&r->rf->lock);
			s->refresh_ok = r->n_ok;
			s->refresh_not_modified = r->n_not_modified;
			s->refresh_failed = r->n_failed;
			pthread_mutex_unlock(&r->rf->lock);
		}
	}
	return n;
}
