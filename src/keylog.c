/* SPDX-License-Identifier: Apache-2.0 */
/*
 * keylog.c - key operations as an operator sees them: the events of the
 * hook set with hc_validator_set_logger(), and the report of every key
 * source that hc_validator_keys_json() returns.
 *
 * An event is a name ("keys.loaded", "keys.refreshed", "keys.skipped",
 * "keys.refresh_failed") and one compact JSON object of fields, so that
 * a daemon can write it as a log line and a program can read it without
 * parsing sentences.  The hook is read under the refresher's lock and
 * called outside it: a slow hook delays the refresher, never a
 * validation.
 *
 * The report reads each source's slot (keyset.h) and the refresher's
 * state (refresh.h) one source at a time: it is a consistent picture of
 * each source, not a snapshot of all of them at one instant.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fetch.h"
#include "keylog.h"
#include "refresh.h"
#include "validator.h"

/* ------------------------------------------------------------- private */

static const char *
kty_word(hc_kty kty)
{
	switch (kty) {
	case HC_KTY_RSA:
		return "RSA";
	case HC_KTY_EC:
		return "EC";
	case HC_KTY_OCT:
		return "oct";
	case HC_KTY_OKP:
		return "OKP";
	}
	return "unknown";
}

/* Adds a string member, or null when s is NULL. */
static void
add_str(hc_json *o, const char *name, const char *s)
{
	if (s != NULL)
		hc_json_add_string(o, name, s);
	else
		hc_json_add_null(o, name);
}

/* Adds a time in seconds since the epoch, or null when 0 (never). */
static void
add_time(hc_json *o, const char *name, int64_t t)
{
	if (t > 0)
		hc_json_add_number(o, name, (double)t);
	else
		hc_json_add_null(o, name);
}

/* A key as the report shows it: kid, kty, alg, and crv or bits. */
static hc_json *
key_json(const hc_key *k)
{
	hc_json *o = hc_json_new_object();

	add_str(o, "kid", k->kid);
	hc_json_add_string(o, "kty", kty_word(k->kty));
	add_str(o, "alg", k->alg != HC_ALG_UNKNOWN ? hc_alg_name(k->alg) :
	    NULL);
	if (k->kty == HC_KTY_EC) {
		char crv[16];

		(void)snprintf(crv, sizeof(crv), "P-%d", k->curve_bits);
		hc_json_add_string(o, "crv", crv);
	} else if (k->kty == HC_KTY_OKP) {
		hc_json_add_string(o, "crv", k->curve_bits == HC_CURVE_ED448 ?
		    "Ed448" : "Ed25519");
	} else {
		hc_json_add_number(o, "bits", (double)k->bits);
	}
	return o;
}

static hc_json *
skipped_json(const hc_skipped_key *sk)
{
	hc_json *o = hc_json_new_object();

	hc_json_add_number(o, "index", (double)sk->index);
	add_str(o, "kid", sk->kid);
	hc_json_add_string(o, "reason", sk->reason);
	return o;
}

/* The kids of a set, as an array (a key without kid is left out). */
static hc_json *
kids_json(const hc_keyset *ks)
{
	hc_json *a = hc_json_new_array();

	for (size_t i = 0; ks != NULL && i < ks->nkeys; i++)
		if (ks->keys[i]->kid != NULL)
			hc_json_append(a, hc_json_new_string(ks->keys[i]->kid));
	return a;
}

static bool
has_kid(const hc_keyset *ks, const char *kid)
{
	for (size_t i = 0; ks != NULL && i < ks->nkeys; i++)
		if (ks->keys[i]->kid != NULL &&
		    strcmp(ks->keys[i]->kid, kid) == 0)
			return true;
	return false;
}

/* Whether `old` skipped the same key (same kid, or index) for the same reason. */
static bool
skipped_before(const hc_keyset *old, const hc_skipped_key *sk)
{
	for (size_t i = 0; old != NULL && i < old->nskipped; i++) {
		const hc_skipped_key *o = &old->skipped[i];

		if (strcmp(o->reason, sk->reason) != 0)
			continue;
		if (sk->kid != NULL ? (o->kid != NULL &&
		    strcmp(o->kid, sk->kid) == 0) : (o->kid == NULL &&
		    o->index == sk->index))
			return true;
	}
	return false;
}

/*
 * Calls the hook, if any, with `fields` (consumed).  The fields are
 * printed only when there is a hook to read them.
 */
static void
emit(const hc_validator *v, int level, const char *event, hc_json *fields)
{
	void *arg;
	hc_log_fn fn = hc_refresh_logger(v, &arg);
	char *text;

	if (fn != NULL && fields != NULL &&
	    (text = hc_json_print(fields)) != NULL) {
		fn(arg, level, event, text);
		free(text);
	}
	hc_json_free(fields);
}

/* One "keys.skipped" event per key of ks that `old` did not skip. */
static void
emit_skipped(const hc_validator *v, const char *source, const hc_keyset *old,
    const hc_keyset *ks)
{
	for (size_t i = 0; ks != NULL && i < ks->nskipped; i++) {
		hc_json *f;

		if (skipped_before(old, &ks->skipped[i]))
			continue;
		f = skipped_json(&ks->skipped[i]);
		hc_json_add_string(f, "source", source);
		emit(v, HC_LOG_WARN, "keys.skipped", f);
	}
}

/* Where the keys of source i come from: the config word and location. */
static void
origin_of(const hc_validator *v, size_t i, const char **origin,
    const char **location)
{
	const hc_policy *p = v->policy;

	if (i < p->nissuers) {
		const hc_issuer_policy *ip = &p->issuers[i];

		*location = ip->key_location;
		switch (ip->keysrc) {
		case HC_KEYSRC_JWKS_FILE:
			*origin = "jwks_file";
			return;
		case HC_KEYSRC_JWKS_URI:
			*origin = "jwks_uri";
			return;
		case HC_KEYSRC_DISCOVERY:
			*origin = "discovery";
			return;
		case HC_KEYSRC_HMAC_SECRET:
			*origin = "hmac_secret_file";
			return;
		default:
			*origin = "none";
			return;
		}
	}
	i -= p->nissuers;
	if (p->trust_domains[i].bundle_uri != NULL) {
		*origin = "bundle_uri";
		*location = p->trust_domains[i].bundle_uri;
	} else {
		*origin = "bundle_file";
		*location = p->trust_domains[i].bundle_file;
	}
}

/* The current set of source i (a reference, or NULL), and its label. */
static hc_keyset *
source_set(const hc_validator *v, size_t i, const char **label)
{
	if (i < v->policy->nissuers) {
		*label = v->policy->issuers[i].issuer;
		return hc_keyslot_get(&v->issuers[i].keys);
	}
	i -= v->policy->nissuers;
	*label = NULL;
	return hc_keyslot_get(&v->tds[i].keys);
}

/* "spiffe://" + the trust domain of source i >= nissuers, into buf. */
static const char *
td_label(const hc_validator *v, size_t i, char *buf, size_t n)
{
	(void)snprintf(buf, n, "%s%s", HC_SPIFFE_SCHEME,
	    v->policy->trust_domains[i - v->policy->nissuers].trust_domain);
	return buf;
}

/* The config word of a wimse trust domain's key source. */
static const char *
wimse_origin(const hc_wimse_td_policy *tp)
{
	switch (tp->keysrc) {
	case HC_WIMSE_KEYS_JWKS_URI:
		return "jwks_uri";
	case HC_WIMSE_KEYS_BUNDLE_FILE:
		return "bundle_file";
	case HC_WIMSE_KEYS_BUNDLE_URI:
		return "bundle_uri";
	default:
		return "jwks_file";
	}
}

/* Key source number (hc_validator_key_stats()) of wimse trust domain w. */
static size_t
wimse_index(const hc_validator *v, size_t w)
{
	return v->policy->nissuers + v->policy->ntrust_domains +
	    (v->txn != NULL ? 1 : 0) + w;
}

/* ------------------------------------------------------ internal API */

void
hc_keylog_installed(const hc_validator *v, const char *source,
    const char *location, const hc_keyset *old, const hc_keyset *ks)
{
	void *arg;
	hc_json *f, *added, *removed;

	if (hc_refresh_logger(v, &arg) == NULL)
		return;
	f = hc_json_new_object();
	hc_json_add_string(f, "source", source);
	add_str(f, "location", location);
	hc_json_add(f, "kids", kids_json(ks));
	if (old != NULL) {
		added = hc_json_new_array();
		removed = hc_json_new_array();
		for (size_t i = 0; i < ks->nkeys; i++)
			if (ks->keys[i]->kid != NULL &&
			    !has_kid(old, ks->keys[i]->kid))
				hc_json_append(added,
				    hc_json_new_string(ks->keys[i]->kid));
		for (size_t i = 0; i < old->nkeys; i++)
			if (old->keys[i]->kid != NULL &&
			    !has_kid(ks, old->keys[i]->kid))
				hc_json_append(removed,
				    hc_json_new_string(old->keys[i]->kid));
		hc_json_add(f, "added", added);
		hc_json_add(f, "removed", removed);
	}
	hc_json_add_number(f, "skipped", (double)ks->nskipped);
	emit(v, HC_LOG_INFO, old != NULL ? "keys.refreshed" : "keys.loaded",
	    f);
	emit_skipped(v, source, old, ks);
}

void
hc_keylog_failed(const hc_validator *v, const char *source,
    const char *failure, long http_status, const char *detail)
{
	void *arg;
	hc_json *f;

	if (hc_refresh_logger(v, &arg) == NULL)
		return;
	f = hc_json_new_object();
	hc_json_add_string(f, "source", source);
	add_str(f, "reason", failure);
	if (http_status > 0)
		hc_json_add_number(f, "http_status", (double)http_status);
	add_str(f, "detail", detail);
	emit(v, strcmp(failure, "stale") == 0 ? HC_LOG_ERROR : HC_LOG_WARN,
	    "keys.refresh_failed", f);
}

/* ------------------------------------------------------------ public API */

/*
 * Sets the hook, then reports the sets held now: those loaded from files
 * at construction had no hook to report to.
 */
HC_EXPORT void
hc_validator_set_logger(hc_validator *v, hc_log_fn fn, void *arg)
{
	char tdl[HC_MAX_TRUST_DOMAIN_BYTES + 16];
	size_t n;

	if (v == NULL || v->policy == NULL)
		return;
	hc_refresh_set_logger(v, fn, arg);
	if (fn == NULL)
		return;
	n = v->policy->nissuers + v->policy->ntrust_domains;
	for (size_t i = 0; i < n; i++) {
		const char *label, *origin, *location;
		hc_keyset *ks = source_set(v, i, &label);
		hc_json *f;

		if (label == NULL)
			label = td_label(v, i, tdl, sizeof(tdl));
		origin_of(v, i, &origin, &location);
		if (ks == NULL && !(i < v->policy->nissuers &&
		    v->issuers[i].secret != NULL))
			continue;
		f = hc_json_new_object();
		hc_json_add_string(f, "source", label);
		hc_json_add_string(f, "origin", origin);
		add_str(f, "location", location);
		hc_json_add(f, "kids", kids_json(ks));
		hc_json_add_number(f, "skipped", ks != NULL ?
		    (double)ks->nskipped : 0);
		emit(v, HC_LOG_INFO, "keys.loaded", f);
		emit_skipped(v, label, NULL, ks);
		hc_keyset_unref(ks);
	}
	for (size_t w = 0; w < hc_wimse_ntds(v->wimse); w++) {
		hc_wimse_td *wt = hc_wimse_td_at(v->wimse, w);
		hc_keyset *ks = hc_keyslot_get(&wt->keys);
		hc_json *f;

		if (ks == NULL)
			continue;
		f = hc_json_new_object();
		hc_json_add_string(f, "source", wt->label);
		hc_json_add_string(f, "origin", wimse_origin(wt->pol));
		add_str(f, "location", wt->pol->key_location);
		hc_json_add(f, "kids", kids_json(ks));
		hc_json_add_number(f, "skipped", (double)ks->nskipped);
		emit(v, HC_LOG_INFO, "keys.loaded", f);
		emit_skipped(v, wt->label, NULL, ks);
		hc_keyset_unref(ks);
	}
}

/*
 * The members every key source's report shares: its keys (`secret`, an
 * issuer's HMAC key, after the set's, when not NULL), the keys skipped and
 * why, when the set was loaded, and the refresh state of a remote source
 * (nulls for a local one).
 */
static void
add_set_fields(hc_json *o, const hc_keyset *ks, const hc_key *secret,
    const hc_refresh_state *rs)
{
	hc_json *keys = hc_json_new_array(), *skipped = hc_json_new_array();

	for (size_t k = 0; ks != NULL && k < ks->nkeys; k++)
		hc_json_append(keys, key_json(ks->keys[k]));
	if (secret != NULL)
		hc_json_append(keys, key_json(secret));
	hc_json_add(o, "keys", keys);
	for (size_t k = 0; ks != NULL && k < ks->nskipped; k++)
		hc_json_append(skipped, skipped_json(&ks->skipped[k]));
	hc_json_add(o, "skipped", skipped);
	add_time(o, "loaded_at", ks != NULL ? ks->loaded_at : 0);
	if (rs->remote) {
		add_str(o, "last_error", rs->last_error.text[0] != '\0' ?
		    rs->last_error.text : NULL);
		add_str(o, "last_error_kind", rs->last_failure);
		add_time(o, "last_refresh_ok", rs->ok_at);
		add_time(o, "next_refresh", rs->next_at);
	} else {
		hc_json_add_null(o, "last_error");
		hc_json_add_null(o, "last_error_kind");
		hc_json_add_null(o, "last_refresh_ok");
		hc_json_add_null(o, "next_refresh");
	}
}

/*
 * The report of wimse trust domain w: as a spiffe trust domain's, with
 * "credential": "wit" and its "wimse:" source name.
 */
static hc_json *
wimse_json(const hc_validator *v, size_t w)
{
	char ul[HC_FETCH_URL_LABEL_MAX];
	hc_wimse_td *wt = hc_wimse_td_at(v->wimse, w);
	hc_keyset *ks = hc_keyslot_get(&wt->keys);
	const char *location = wt->pol->key_location;
	hc_refresh_state rs;
	hc_json *o = hc_json_new_object();

	(void)hc_refresh_info(v, wimse_index(v, w), &rs);
	hc_json_add_string(o, "trust_domain", wt->pol->trust_domain);
	hc_json_add_string(o, "credential", "wit");
	hc_json_add_string(o, "source", wt->label);
	hc_json_add_string(o, "origin", wimse_origin(wt->pol));
	add_str(o, "location", rs.remote ? hc_fetch_url_label(location, ul,
	    sizeof(ul)) : location);
	add_set_fields(o, ks, NULL, &rs);
	hc_json_add_bool(o, "ready", ks != NULL);
	hc_keyset_unref(ks);
	return o;
}

HC_EXPORT char *
hc_validator_keys_json(const hc_validator *v)
{
	char tdl[HC_MAX_TRUST_DOMAIN_BYTES + 16], ul[HC_FETCH_URL_LABEL_MAX];
	hc_json *root, *arr;
	char *text;
	size_t n;

	if (v == NULL || v->policy == NULL)
		return NULL;
	if ((root = hc_json_new_object()) == NULL)
		return NULL;
	arr = hc_json_new_array();
	n = v->policy->nissuers + v->policy->ntrust_domains;
	for (size_t i = 0; i < n; i++) {
		const char *label, *origin, *location;
		hc_keyset *ks = source_set(v, i, &label);
		hc_refresh_state rs;
		hc_json *o = hc_json_new_object();
		bool issuer = i < v->policy->nissuers;

		origin_of(v, i, &origin, &location);
		(void)hc_refresh_info(v, i, &rs);
		if (issuer) {
			hc_json_add_string(o, "issuer", label);
		} else {
			hc_json_add_string(o, "trust_domain",
			    v->policy->trust_domains[i -
			    v->policy->nissuers].trust_domain);
			label = td_label(v, i, tdl, sizeof(tdl));
		}
		hc_json_add_string(o, "source", label);
		hc_json_add_string(o, "origin", origin);
		add_str(o, "location", location == NULL ? NULL : rs.remote ?
		    hc_fetch_url_label(location, ul, sizeof(ul)) : location);
		add_set_fields(o, ks, issuer ? v->issuers[i].secret : NULL,
		    &rs);
		hc_json_add_bool(o, "ready", ks != NULL || (issuer &&
		    v->issuers[i].secret != NULL));
		hc_json_append(arr, o);
		hc_keyset_unref(ks);
	}
	for (size_t w = 0; w < hc_wimse_ntds(v->wimse); w++)
		hc_json_append(arr, wimse_json(v, w));
	hc_json_add(root, "sources", arr);
	text = hc_json_print_pretty(root);
	hc_json_free(root);
	return text;
}
