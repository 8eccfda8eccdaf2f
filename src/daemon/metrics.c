/* SPDX-License-Identifier: Apache-2.0 */
/*
 * metrics.c - Prometheus metrics of hopcheckd.
 *
 * The exposition follows the Prometheus text format 0.0.4: one # HELP and
 * # TYPE line per family, label values escaped (backslash, quote,
 * newline), histogram buckets cumulative with a final le="+Inf" equal to
 * _count.  Every status name appears in hopcheck_decisions_total from the
 * start, so that a rate() over a status that has not happened yet is 0,
 * not absent.
 *
 * Counters survive a reload.  The cache and key-refresh counters live in
 * each validator, and a reload replaces the validator: when a generation
 * is replaced, what it counted so far is added to a carried base
 * (hcd_metrics_retire_begin), and when its last request is done, what it
 * counted since (hcd_metrics_retire_end).  A page shows base + current, so
 * no scrape ever sees a counter go down.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hc_limits.h"
#include "buf.h"
#include "connstats.h"
#include "log.h"
#include "metrics.h"
#include "replay.h"

/* Upper bounds of the validation-time buckets, in seconds. */
static const double buckets[] = {
	0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
	0.1, 0.25, 0.5, 1.0
};
#define NBUCKETS (sizeof(buckets) / sizeof(buckets[0]))

/* Key sources read per page: every issuer and trust domain a policy has. */
#define HCD_MAX_KEY_SOURCES (HC_MAX_ISSUERS + HC_MAX_LIST_ITEMS)

static atomic_uint_fast64_t decisions[HC_STATUS_COUNT];
static atomic_uint_fast64_t hist[NBUCKETS];       /* not cumulative */
static atomic_uint_fast64_t hist_count;
static atomic_uint_fast64_t hist_sum_ns;
static atomic_uint_fast64_t reloads_ok, reloads_failed;
static atomic_uint_fast64_t missing_access_token;
/* The replay store fill, in percent, that is warned about once. */
#define HCD_REPLAY_WARN_PCT 80
/* hopcheck_credential_decisions_total, by credential kind and status. */
static const char *const cred_kinds[] = { "access_token", "txn_token",
    "peer", "dpop", "wit", "wpt" };
/* Whether the replay store was last seen at or above HCD_REPLAY_WARN_PCT. */
static atomic_bool replay_high;
#define NCRED_KINDS (sizeof(cred_kinds) / sizeof(cred_kinds[0]))
static atomic_uint_fast64_t cred_decisions[NCRED_KINDS][HC_STATUS_COUNT];

/* What one validator has counted: the snapshot of a retiring generation. */
struct counts {
	uint64_t hits, misses;
	size_t n;
	hc_key_stats ks[HCD_MAX_KEY_SOURCES];
};

/* Counts of replaced generations, by key source label.  Under carry_lock. */
struct carried_source {
	char *source;
	uint64_t val[3];         /* ok, not_modified, failed */
};

static pthread_mutex_t carry_lock = PTHREAD_MUTEX_INITIALIZER;
static struct carried_source carried[HCD_MAX_KEY_SOURCES];
static size_t ncarried;
static uint64_t carried_hits, carried_misses;

void
hcd_metrics_decision(hc_status status)
{
	if ((unsigned)status < HC_STATUS_COUNT)
		atomic_fetch_add(&decisions[status], 1);
}

void
hcd_metrics_validation(double seconds)
{
	size_t i;

	if (!(seconds >= 0))
		seconds = 0;
	for (i = 0; i < NBUCKETS && seconds > buckets[i]; i++)
		;
	/*
	 * The count first: a scrape reads the buckets before the count, so
	 * a cumulative bucket can never exceed le="+Inf".
	 */
	atomic_fetch_add(&hist_count, 1);
	if (i < NBUCKETS)
		atomic_fetch_add(&hist[i], 1);
	atomic_fetch_add(&hist_sum_ns, (uint_fast64_t)(seconds * 1e9));
}

void
hcd_metrics_missing_credential(const char *kind)
{
	if (strcmp(kind, "access_token") == 0)
		atomic_fetch_add(&missing_access_token, 1);
}

void
hcd_metrics_credential(const char *kind, hc_status st)
{
	for (size_t k = 0; kind != NULL && k < NCRED_KINDS; k++)
		if (strcmp(kind, cred_kinds[k]) == 0 && (unsigned)st <
		    HC_STATUS_COUNT)
			atomic_fetch_add(&cred_decisions[k][st], 1);
}

void
hcd_metrics_credentials(const hc_result *res, bool access_token,
    bool txn_token)
{
	hc_status st = hc_result_status(res);

	if (st != HC_OK) {
		hcd_metrics_credential(hc_result_credential(res), st);
		return;
	}
	if (access_token)
		hcd_metrics_credential("access_token", HC_OK);
	if (txn_token)
		hcd_metrics_credential("txn_token", HC_OK);
	if (hc_result_dpop_jkt(res) != NULL)
		hcd_metrics_credential("dpop", HC_OK);
	if (hc_result_workload(res) != NULL) {
		hcd_metrics_credential("wit", HC_OK);
		hcd_metrics_credential("wpt", HC_OK);
	}
}

/*
 * A DPoP proof and a WPT each hold a replay record for their whole
 * acceptance window, so the memory store's capacity bounds the request
 * rate (rate x window <= replay.max_entries): warn once each time the
 * fill crosses HCD_REPLAY_WARN_PCT, before the store fails closed.
 */
void
hcd_metrics_replay_watch(const hc_validator *v)
{
	char ent[24], cap[24];
	hc_replay_stats s;
	bool high;

	hc_replay_get_stats(v, &s);
	if (s.capacity == 0)
		return;
	high = s.entries >= s.capacity / 100 * HCD_REPLAY_WARN_PCT +
	    s.capacity % 100 * HCD_REPLAY_WARN_PCT / 100;
	if (high == atomic_exchange(&replay_high, high) || !high)
		return;
	(void)snprintf(ent, sizeof(ent), "%zu", s.entries);
	(void)snprintf(cap, sizeof(cap), "%zu", s.capacity);
	hcd_log_fields(HCD_LOG_WARN, "replay.fill", "the memory replay store "
	    "is over 80% full: size replay.max_entries for the request rate "
	    "times the replay window (DPoP max_age_s, WPT lifetime); a full "
	    "store refuses every one-time id", "entries", ent, "capacity", cap,
	    (const char *)NULL);
}

void
hcd_metrics_reload(bool ok)
{
	atomic_fetch_add(ok ? &reloads_ok : &reloads_failed, 1);
}

static void
read_counts(const hc_validator *v, struct counts *c)
{
	hc_validator_cache_stats(v, &c->hits, &c->misses, NULL);
	c->n = hc_validator_key_stats(v, c->ks, HCD_MAX_KEY_SOURCES);
	if (c->n > HCD_MAX_KEY_SOURCES)
		c->n = HCD_MAX_KEY_SOURCES;
}

/* The carried entry of `source`, made when new; NULL when the table is full. */
static struct carried_source *
carried_of(const char *source)
{
	for (size_t i = 0; i < ncarried; i++)
		if (strcmp(carried[i].source, source) == 0)
			return &carried[i];
	if (ncarried == HCD_MAX_KEY_SOURCES ||
	    (carried[ncarried].source = strdup(source)) == NULL)
		return NULL;
	memset(carried[ncarried].val, 0, sizeof(carried[ncarried].val));
	return &carried[ncarried++];
}

/* Adds now - before (before may be NULL: nothing) to the carried base. */
static void
carry(const struct counts *now, const struct counts *before)
{
	pthread_mutex_lock(&carry_lock);
	carried_hits += now->hits - (before != NULL ? before->hits : 0);
	carried_misses += now->misses - (before != NULL ? before->misses : 0);
	for (size_t i = 0; i < now->n; i++) {
		struct carried_source *cs = carried_of(now->ks[i].source);
		const hc_key_stats *b = before != NULL && i < before->n ?
		    &before->ks[i] : NULL;
		if (cs == NULL)
			continue;
		cs->val[0] += now->ks[i].refresh_ok - (b ? b->refresh_ok : 0);
		cs->val[1] += now->ks[i].refresh_not_modified -
		    (b ? b->refresh_not_modified : 0);
		cs->val[2] += now->ks[i].refresh_failed -
		    (b ? b->refresh_failed : 0);
	}
	pthread_mutex_unlock(&carry_lock);
}

void *
hcd_metrics_retire_begin(const hc_validator *v)
{
	struct counts *snap = malloc(sizeof(*snap));

	if (snap == NULL)
		return NULL;
	read_counts(v, snap);
	carry(snap, NULL);
	return snap;
}

void
hcd_metrics_retire_end(const hc_validator *v, void *token)
{
	struct counts *snap = token, *fin;

	/* Out of memory at begin: nothing was carried, so carry it all now. */
	if ((fin = malloc(sizeof(*fin))) != NULL) {
		read_counts(v, fin);
		carry(fin, snap);
		free(fin);
	}
	free(snap);
}

/* A label value, escaped as the text format requires. */
static void
label(hcd_buf *b, const char *s)
{
	hcd_buf_add(b, "\"", 1);
	for (; s != NULL && *s != '\0'; s++) {
		if (*s == '\\')
			hcd_buf_add(b, "\\\\", 2);
		else if (*s == '"')
			hcd_buf_add(b, "\\\"", 2);
		else if (*s == '\n')
			hcd_buf_add(b, "\\n", 2);
		else
			hcd_buf_add(b, s, 1);
	}
	hcd_buf_add(b, "\"", 1);
}

static void
family(hcd_buf *b, const char *name, const char *type, const char *help)
{
	hcd_buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name,
	    type);
}

static void
render_decisions(hcd_buf *b)
{
	uint_fast64_t cum = 0;

	family(b, "hopcheck_decisions_total", "counter",
	    "Decisions of /v1/validate and /v1/authz, by status.");
	for (int s = 0; s < HC_STATUS_COUNT; s++)
		hcd_buf_printf(b, "hopcheck_decisions_total{status=\"%s\"} %llu\n",
		    hc_status_name((hc_status)s),
		    (unsigned long long)atomic_load(&decisions[s]));

	family(b, "hopcheck_validation_seconds", "histogram",
	    "Time spent in hc_validate().");
	for (size_t i = 0; i < NBUCKETS; i++) {
		cum += atomic_load(&hist[i]);
		hcd_buf_printf(b, "hopcheck_validation_seconds_bucket{le=\"%g\"} "
		    "%llu\n", buckets[i], (unsigned long long)cum);
	}
	/* Read once: +Inf and _count must agree on one page. */
	cum = atomic_load(&hist_count);
	hcd_buf_printf(b, "hopcheck_validation_seconds_bucket{le=\"+Inf\"} "
	    "%llu\n", (unsigned long long)cum);
	hcd_buf_printf(b, "hopcheck_validation_seconds_sum %.9f\n",
	    (double)atomic_load(&hist_sum_ns) / 1e9);
	hcd_buf_printf(b, "hopcheck_validation_seconds_count %llu\n",
	    (unsigned long long)cum);
}

static void
render_keys(hcd_buf *b, const hc_validator *v)
{
	hc_key_stats *ks = calloc(HCD_MAX_KEY_SOURCES, sizeof(*ks));
	static const char *const results[] = { "ok", "not_modified", "failed" };
	int64_t now = (int64_t)time(NULL);
	size_t n;

	if (ks == NULL) {
		b->failed = true;
		return;
	}
	n = hc_validator_key_stats(v, ks, HCD_MAX_KEY_SOURCES);
	if (n > HCD_MAX_KEY_SOURCES)
		n = HCD_MAX_KEY_SOURCES;

	family(b, "hopcheck_key_refresh_total", "counter",
	    "Fetches of remote key sets, by source and result.");
	pthread_mutex_lock(&carry_lock);
	for (size_t i = 0; i < n; i++) {
		uint64_t val[3] = { ks[i].refresh_ok, ks[i].refresh_not_modified,
		    ks[i].refresh_failed };
		for (size_t c = 0; c < ncarried; c++)
			if (strcmp(carried[c].source, ks[i].source) == 0)
				for (size_t r = 0; r < 3; r++)
					val[r] += carried[c].val[r];
		for (size_t r = 0; r < 3; r++) {
			hcd_buf_puts(b, "hopcheck_key_refresh_total{source=");
			label(b, ks[i].source);
			hcd_buf_printf(b, ",result=\"%s\"} %llu\n", results[r],
			    (unsigned long long)val[r]);
		}
	}
	/* Sources of earlier configurations keep their totals. */
	for (size_t c = 0; c < ncarried; c++) {
		bool current = false;
		for (size_t i = 0; i < n && !current; i++)
			current = strcmp(carried[c].source, ks[i].source) == 0;
		for (size_t r = 0; r < 3 && !current; r++) {
			hcd_buf_puts(b, "hopcheck_key_refresh_total{source=");
			label(b, carried[c].source);
			hcd_buf_printf(b, ",result=\"%s\"} %llu\n", results[r],
			    (unsigned long long)carried[c].val[r]);
		}
	}
	pthread_mutex_unlock(&carry_lock);
	family(b, "hopcheck_keys_loaded", "gauge",
	    "Keys in the current set of each source (0: none loaded).");
	for (size_t i = 0; i < n; i++) {
		hcd_buf_puts(b, "hopcheck_keys_loaded{source=");
		label(b, ks[i].source);
		hcd_buf_printf(b, "} %zu\n", ks[i].keys);
	}
	family(b, "hopcheck_key_age_seconds", "gauge",
	    "Age of the current key set of each source that has one.");
	for (size_t i = 0; i < n; i++) {
		if (ks[i].loaded_at <= 0)
			continue;
		hcd_buf_puts(b, "hopcheck_key_age_seconds{source=");
		label(b, ks[i].source);
		hcd_buf_printf(b, "} %lld\n", (long long)(now > ks[i].loaded_at ?
		    now - ks[i].loaded_at : 0));
	}
	free(ks);
}

static void
render_replay(hcd_buf *b, const hc_validator *v)
{
	hc_replay_stats s;

	hc_replay_get_stats(v, &s);
	family(b, "hopcheck_replay_entries", "gauge",
	    "jti values the memory replay store remembers now.");
	hcd_buf_printf(b, "hopcheck_replay_entries{store=\"%s\"} %zu\n", s.store,
	    s.entries);
	family(b, "hopcheck_replay_capacity", "gauge",
	    "replay.max_entries of the memory replay store (0: not bounded here).");
	hcd_buf_printf(b, "hopcheck_replay_capacity{store=\"%s\"} %zu\n",
	    s.store, s.capacity);
	family(b, "hopcheck_replay_fill_ratio", "gauge",
	    "entries / capacity of the memory replay store (0 when not "
	    "bounded here); it refuses new ids (fails closed) at 1.");
	hcd_buf_printf(b, "hopcheck_replay_fill_ratio{store=\"%s\"} %.4f\n",
	    s.store, s.capacity > 0 ? (double)s.entries / (double)s.capacity :
	    0.0);
	family(b, "hopcheck_replay_recorded_total", "counter",
	    "Ids recorded by the replay store (the memory store carries its "
	    "counts across reloads).");
	hcd_buf_printf(b, "hopcheck_replay_recorded_total{store=\"%s\"} %llu\n",
	    s.store, (unsigned long long)s.recorded);
	family(b, "hopcheck_replay_rejected_total", "counter",
	    "Replays refused by the replay store.");
	hcd_buf_printf(b, "hopcheck_replay_rejected_total{store=\"%s\"} %llu\n",
	    s.store, (unsigned long long)s.replays);
	family(b, "hopcheck_replay_failures_total", "counter",
	    "Checks failed closed: store full or unreachable.");
	hcd_buf_printf(b, "hopcheck_replay_failures_total{store=\"%s\"} %llu\n",
	    s.store, (unsigned long long)s.failures);
}

static void
render_cache(hcd_buf *b, const hc_validator *v)
{
	uint64_t hits, misses;
	size_t entries;

	hc_validator_cache_stats(v, &hits, &misses, &entries);
	pthread_mutex_lock(&carry_lock);
	hits += carried_hits;
	misses += carried_misses;
	pthread_mutex_unlock(&carry_lock);
	family(b, "hopcheck_cache_lookups_total", "counter",
	    "Verified-token cache lookups, by result (a hit skips only the "
	    "signature layer).");
	hcd_buf_printf(b, "hopcheck_cache_lookups_total{result=\"hit\"} %llu\n",
	    (unsigned long long)hits);
	hcd_buf_printf(b, "hopcheck_cache_lookups_total{result=\"miss\"} "
	    "%llu\n", (unsigned long long)misses);
	family(b, "hopcheck_cache_entries", "gauge",
	    "Tokens the verified-token cache holds now.");
	hcd_buf_printf(b, "hopcheck_cache_entries %zu\n", entries);
}

char *
hcd_metrics_render(const hc_validator *v, size_t *len)
{
	hcd_buf b = { 0 };

	render_decisions(&b);
	render_keys(&b, v);
	render_replay(&b, v);
	render_cache(&b, v);
	family(&b, "hopcheck_missing_credentials_total", "counter",
	    "Requests without a credential their endpoint needs (each is also "
	    "a malformed decision), by kind.");
	hcd_buf_printf(&b, "hopcheck_missing_credentials_total"
	    "{kind=\"access_token\"} %llu\n",
	    (unsigned long long)atomic_load(&missing_access_token));
	family(&b, "hopcheck_credential_decisions_total", "counter",
	    "Decisions about each credential of a request, by kind and "
	    "status.");
	for (size_t k = 0; k < NCRED_KINDS; k++)
		for (int i = 0; i < HC_STATUS_COUNT; i++) {
			uint64_t cnt = atomic_load(&cred_decisions[k][i]);
			if (cnt > 0)
				hcd_buf_printf(&b, "hopcheck_credential_decisions_total"
				    "{kind=\"%s\",status=\"%s\"} %llu\n", cred_kinds[k],
				    hc_status_name((hc_status)i),
				    (unsigned long long)cnt);
		}
	family(&b, "hopcheck_config_reloads_total", "counter",
	    "Configuration reloads (SIGHUP), by result.");
	hcd_buf_printf(&b, "hopcheck_config_reloads_total{result=\"ok\"} %llu\n",
	    (unsigned long long)atomic_load(&reloads_ok));
	hcd_buf_printf(&b, "hopcheck_config_reloads_total{result=\"failed\"} "
	    "%llu\n", (unsigned long long)atomic_load(&reloads_failed));
	family(&b, "hopcheck_build_info", "gauge",
	    "The hopcheck version and crypto backend of this process (always 1).");
	hcd_buf_puts(&b, "hopcheck_build_info{version=");
	label(&b, hc_version());
	hcd_buf_puts(&b, ",crypto=");
	label(&b, hc_crypto_backend_name());
	hcd_buf_puts(&b, "} 1\n");
	hcd_connstats_render(&b);
	family(&b, "hopcheck_ready", "gauge",
	    "1 when every issuer and trust domain has keys (see /readyz).");
	hcd_buf_printf(&b, "hopcheck_ready %d\n", hc_validator_ready(v) ? 1 : 0);
	return hcd_buf_take(&b, len);
}
