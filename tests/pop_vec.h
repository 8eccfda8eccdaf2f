/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pop_vec.h - the loader of the proof-of-possession vectors
 * (testvectors/dpop.json, testvectors/wimse.json; the format is described
 * in tools/vectors/gen_pop_vectors.py), shared by test_dpop.c,
 * test_wimse.c and their regress_*.c programs.  Test code only: it reads
 * JSON with cJSON directly and builds the policies by hand, since these
 * cases run against dpop.c and wimse.c before the pipeline calls them.
 *
 * Strict like testutil.c's loader: a case member it does not know, a
 * missing `now` or an unknown status name fails the test.
 */
#ifndef HC_TEST_POP_VEC_H
#define HC_TEST_POP_VEC_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "crypto.h"
#include "dpop.h"
#include "pop.h"
#include "replay.h"
#include "testutil.h"
#include "wimse.h"

#define PV_MAX_POLICIES 8
#define PV_MAX_GROUPS   8

typedef struct pv_policy {
	const char *name;
	hc_policy *p;            /* NULL: needs what the backend lacks */
	hc_wimse *w;             /* WIMSE files only */
	hc_strlist oth;          /* names understood for oth */
} pv_policy;

typedef struct pv_group {
	const char *name;
	struct hc_replay *r;
} pv_group;

typedef struct pv {
	cJSON *doc;
	char dir[64];            /* the files, for WIMSE */
	pv_policy pol[PV_MAX_POLICIES];
	size_t npol;
	pv_group grp[PV_MAX_GROUPS];
	size_t ngrp;
	hc_policy replay_pol;    /* the memory store's settings */
	size_t run, skipped;
} pv;

static inline const char *
pv_str(const cJSON *o, const char *name)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsString(j) ? j->valuestring : NULL;
}

static inline bool
pv_has_eddsa(void)
{
	return (hc_crypto()->caps & HC_CRYPTO_EDDSA) != 0;
}

/* Whether the "requires" of o can be met here. */
static inline bool
pv_requires_ok(const cJSON *o)
{
	const cJSON *r = cJSON_GetObjectItemCaseSensitive(o, "requires"), *e;

	cJSON_ArrayForEach(e, r) {
		if (!cJSON_IsString(e) || strcmp(e->valuestring, "eddsa") != 0 ||
		    !pv_has_eddsa())
			return false;
	}
	return true;
}

static inline void
pv_strlist(const cJSON *arr, hc_strlist *out)
{
	const cJSON *e;
	size_t n = 0;

	out->n = 0;
	out->v = calloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof(char *));
	cJSON_ArrayForEach(e, arr)
		out->v[n++] = strdup(e->valuestring);
	out->n = n;
}

static inline unsigned
pv_algs(const cJSON *arr)
{
	const cJSON *e;
	unsigned m = 0;

	cJSON_ArrayForEach(e, arr)
		m |= HC_ALG_BIT(hc_alg_from_name(e->valuestring));
	return m;
}

/* Builds the policy `j` by hand (what config_pop.c would). */
static inline hc_policy *
pv_build_policy(pv *v, const cJSON *j)
{
	hc_policy *p = calloc(1, sizeof(*p));
	const cJSON *o = cJSON_GetObjectItemCaseSensitive(j, "origins"), *e;
	const cJSON *tds;
	const char *ns;
	size_t n = 0;
	hc_detail d;

	p->clock_skew_s = (int64_t)cJSON_GetObjectItemCaseSensitive(j,
	    "clock_skew_s")->valuedouble;
	p->origins.v = calloc((size_t)cJSON_GetArraySize(o) + 1,
	    sizeof(char *));
	cJSON_ArrayForEach(e, o) {
		CU_ASSERT_FATAL(hc_pop_origin_parse(e->valuestring,
		    &p->origins.v[n], &d));
		n++;
	}
	p->origins.n = n;
	p->dpop.mode = HC_MODE_REQUIRED;
	p->dpop.alg_mask = pv_algs(cJSON_GetObjectItemCaseSensitive(j,
	    "algorithms"));
	if (cJSON_GetObjectItemCaseSensitive(j, "max_age_s") != NULL)
		p->dpop.max_age_s = (int64_t)cJSON_GetObjectItemCaseSensitive(j,
		    "max_age_s")->valuedouble;
	if ((ns = pv_str(j, "nonce_secret")) != NULL) {
		size_t sl = 0;

		CU_ASSERT_FATAL(hc_b64url_decode(ns, strlen(ns),
		    p->dpop.nonce_secret, sizeof(p->dpop.nonce_secret),
		    &sl) == 0 && sl == HC_DPOP_NONCE_SECRET_BYTES);
		p->dpop.has_nonce = true;
	}
	tds = cJSON_GetObjectItemCaseSensitive(j, "trust_domains");
	if (tds != NULL) {
		p->wimse.mode = HC_MODE_REQUIRED;
		p->wimse.tds = calloc((size_t)cJSON_GetArraySize(tds) + 1,
		    sizeof(hc_wimse_td_policy));
		cJSON_ArrayForEach(e, tds) {
			hc_wimse_td_policy *t = &p->wimse.tds[p->wimse.ntds++];
			char path[256];

			t->trust_domain = strdup(pv_str(e, "trust_domain"));
			(void)snprintf(path, sizeof(path), "%s/%s", v->dir,
			    pv_str(e, "jwks_file"));
			t->keysrc = HC_WIMSE_KEYS_JWKS_FILE;
			t->key_location = strdup(path);
			t->alg_mask = pv_algs(cJSON_GetObjectItemCaseSensitive(e,
			    "algorithms"));
			pv_strlist(cJSON_GetObjectItemCaseSensitive(e,
			    "issuers"), &t->issuers);
		}
		p->wimse.max_wit_lifetime_s = (int64_t)
		    cJSON_GetObjectItemCaseSensitive(j,
		    "max_wit_lifetime_s")->valuedouble;
		p->wimse.max_wpt_ttl_s = (int64_t)
		    cJSON_GetObjectItemCaseSensitive(j,
		    "max_wpt_ttl_s")->valuedouble;
	}
	return p;
}

static inline void
pv_free_policy(hc_policy *p)
{
	if (p == NULL)
		return;
	for (size_t i = 0; i < p->origins.n; i++)
		free(p->origins.v[i]);
	free(p->origins.v);
	for (size_t i = 0; i < p->wimse.ntds; i++) {
		hc_wimse_td_policy *t = &p->wimse.tds[i];

		free(t->trust_domain);
		free(t->key_location);
		for (size_t k = 0; k < t->issuers.n; k++)
			free(t->issuers.v[k]);
		free(t->issuers.v);
	}
	free(p->wimse.tds);
	free(p);
}

/* Opens a vector file; 0, or -1 after failing the test. */
static inline int
pv_open(pv *v, const char *file)
{
	const cJSON *pols, *j, *files;
	size_t len;
	char *text;

	memset(v, 0, sizeof(*v));
	if ((text = hc_test_read(file, &len)) == NULL)
		return -1;
	v->doc = cJSON_ParseWithLength(text, len);
	free(text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(v->doc);
	(void)snprintf(v->dir, sizeof(v->dir), "/tmp/hc-pop-XXXXXX");
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(v->dir));
	files = cJSON_GetObjectItemCaseSensitive(v->doc, "files");
	cJSON_ArrayForEach(j, files) {
		char path[256], *s = cJSON_PrintUnformatted(j);
		FILE *f;

		(void)snprintf(path, sizeof(path), "%s/%s", v->dir, j->string);
		f = fopen(path, "w");
		CU_ASSERT_PTR_NOT_NULL_FATAL(f);
		fputs(s, f);
		fclose(f);
		free(s);
	}
	pols = cJSON_GetObjectItemCaseSensitive(v->doc, "policies");
	cJSON_ArrayForEach(j, pols) {
		pv_policy *pp = &v->pol[v->npol++];
		hc_detail d = { "" };

		CU_ASSERT_FATAL(v->npol <= PV_MAX_POLICIES);
		pp->name = j->string;
		if (!pv_requires_ok(j))
			continue;
		pp->p = pv_build_policy(v, j);
		if (cJSON_GetObjectItemCaseSensitive(j, "oth_understood"))
			pv_strlist(cJSON_GetObjectItemCaseSensitive(j,
			    "oth_understood"), &pp->oth);
		if (pp->p->wimse.ntds > 0) {
			hc_status st = hc_wimse_new(pp->p, &pp->w, &d);

			if (st != HC_OK)
				fprintf(stderr, "%s: policy %s: %s\n", file,
				    pp->name, d.text);
			CU_ASSERT_EQUAL_FATAL(st, HC_OK);
		}
	}
	v->replay_pol.replay_store = (char *)"memory";
	v->replay_pol.replay_max_entries = 1000;
	return 0;
}

static inline void
pv_close(pv *v)
{
	for (size_t i = 0; i < v->npol; i++) {
		hc_wimse_free(v->pol[i].w);
		pv_free_policy(v->pol[i].p);
		for (size_t k = 0; k < v->pol[i].oth.n; k++)
			free(v->pol[i].oth.v[k]);
		free(v->pol[i].oth.v);
	}
	for (size_t i = 0; i < v->ngrp; i++)
		hc_replay_free(v->grp[i].r);
	if (v->dir[0] != '\0') {
		char cmd[128];

		(void)snprintf(cmd, sizeof(cmd), "rm -rf '%s'", v->dir);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", v->dir);
	}
	cJSON_Delete(v->doc);
	memset(v, 0, sizeof(*v));
}

static inline const pv_policy *
pv_policy_of(const pv *v, const char *name)
{
	for (size_t i = 0; i < v->npol; i++)
		if (strcmp(v->pol[i].name, name) == 0)
			return &v->pol[i];
	CU_FAIL_FATAL("case names an unknown policy");
	return NULL;
}

static inline struct hc_replay *
pv_group_store(pv *v, const char *name)
{
	hc_detail d = { "" };

	for (size_t i = 0; i < v->ngrp; i++)
		if (strcmp(v->grp[i].name, name) == 0)
			return v->grp[i].r;
	CU_ASSERT_FATAL(v->ngrp < PV_MAX_GROUPS);
	v->grp[v->ngrp].name = name;
	CU_ASSERT_EQUAL_FATAL(hc_replay_new(&v->replay_pol,
	    &v->grp[v->ngrp].r, &d), HC_OK);
	return v->grp[v->ngrp++].r;
}

/* Checks that every member of case c is one of `known` (NULL-ended). */
static inline bool
pv_known(const cJSON *c, const char *const *known)
{
	const cJSON *m;

	cJSON_ArrayForEach(m, c) {
		bool ok = false;

		for (size_t i = 0; known[i] != NULL; i++)
			ok = ok || strcmp(known[i], m->string) == 0;
		if (!ok) {
			fprintf(stderr, "case %s: unknown member \"%s\"\n",
			    pv_str(c, "name"), m->string);
			return false;
		}
	}
	return true;
}

/*
 * Spends the case's record in its group's store when it says "spend";
 * returns false after reporting a wrong outcome.
 */
static inline bool
pv_spend(pv *v, const cJSON *c, const hc_replay_record *rec, int64_t now)
{
	const char *want = pv_str(c, "spend"), *grp = pv_str(c, "group");
	hc_status ws = HC_INTERNAL, st;
	hc_detail d = { "" };

	if (want == NULL)
		return true;
	CU_ASSERT_FATAL(grp != NULL && hc_status_from_name(want, &ws) == 0);
	st = hc_replay_spend_record(pv_group_store(v, grp), rec, now, &d);
	if (st != ws) {
		fprintf(stderr, "case %s: spend gave %s, want %s (%s)\n",
		    pv_str(c, "name"), hc_status_name(st), want, d.text);
		return false;
	}
	return true;
}

/* Compares a case's outcome with its expect and detail fragment. */
static inline bool
pv_judge(const cJSON *c, hc_status st, const char *detail)
{
	const char *want = pv_str(c, "expect"), *frag = pv_str(c, "detail");
	hc_status ws;

	if (want == NULL || hc_status_from_name(want, &ws) != 0) {
		fprintf(stderr, "case %s: bad expect\n", pv_str(c, "name"));
		return false;
	}
	if (st != ws) {
		fprintf(stderr, "case %s: got %s, want %s (%s)\n",
		    pv_str(c, "name"), hc_status_name(st), want, detail);
		return false;
	}
	if (ws != HC_OK && frag != NULL && strstr(detail, frag) == NULL) {
		fprintf(stderr, "case %s: detail \"%s\" lacks \"%s\"\n",
		    pv_str(c, "name"), detail, frag);
		return false;
	}
	return true;
}

/* ------------------------------------------------------------- DPoP */

/*
 * Runs one proof case; stores its status and detail; returns false after
 * reporting a malformed case or a wrong outcome.  A case whose policy or
 * requires the backend cannot meet is counted as skipped.
 */
static inline bool
pv_run_dpop(pv *v, const cJSON *c, hc_status *got, char *detail, size_t n)
{
	static const char *const known[] = {
		"name", "policy", "proof", "method", "path", "token", "cnf_jkt",
		"now", "expect", "detail", "jkt", "group", "spend", "requires",
		"expect_nonce", NULL
	};
	const pv_policy *pp;
	const cJSON *now = cJSON_GetObjectItemCaseSensitive(c, "now");
	hc_dpop_request rq;
	hc_dpop_result res;
	hc_detail d = { "" };
	const char *s;
	bool ok;

	if (!pv_known(c, known) || !cJSON_IsNumber(now))
		return false;
	pp = pv_policy_of(v, pv_str(c, "policy"));
	if (pp->p == NULL || !pv_requires_ok(c)) {
		v->skipped++;
		*got = HC_OK;
		return true;
	}
	memset(&rq, 0, sizeof(rq));
	rq.proof = pv_str(c, "proof");
	rq.proof_len = strlen(rq.proof);
	rq.method = pv_str(c, "method");
	rq.path = pv_str(c, "path");
	if ((s = pv_str(c, "token")) != NULL) {
		rq.access_token = s;
		rq.access_token_len = strlen(s);
	}
	rq.cnf_jkt = pv_str(c, "cnf_jkt");
	rq.now = (int64_t)now->valuedouble;
	*got = hc_dpop_verify(pp->p, &rq, &res, &d);
	(void)snprintf(detail, n, "%s", d.text);
	ok = pv_judge(c, *got, d.text);
	if (ok && (s = pv_str(c, "jkt")) != NULL && strcmp(s, res.jkt) != 0) {
		fprintf(stderr, "case %s: jkt %s, want %s\n", pv_str(c, "name"),
		    res.jkt, s);
		ok = false;
	}
	if (ok && (s = pv_str(c, "expect_nonce")) != NULL &&
	    strcmp(s, res.nonce) != 0) {
		fprintf(stderr, "case %s: DPoP-Nonce %s, want %s\n",
		    pv_str(c, "name"), res.nonce, s);
		ok = false;
	}
	if (ok && *got == HC_OK)
		ok = pv_spend(v, c, &res.record, rq.now);
	hc_dpop_result_clear(&res);
	v->run++;
	return ok;
}

/* ------------------------------------------------------------ WIMSE */

static inline bool
pv_run_wimse(pv *v, const cJSON *c, hc_status *got, char *detail, size_t n)
{
	static const char *const known[] = {
		"name", "policy", "wit", "wpt", "method", "path", "token",
		"txn_token", "oth", "now", "expect", "detail", "sub", "group",
		"spend", "requires", NULL
	};
	hc_wimse_other others[HC_MAX_OTH_ENTRIES];
	const pv_policy *pp;
	const cJSON *now = cJSON_GetObjectItemCaseSensitive(c, "now"), *oth;
	hc_wimse_request rq;
	hc_wimse_result res;
	hc_detail d = { "" };
	const char *s;
	bool ok;

	if (!pv_known(c, known) || !cJSON_IsNumber(now))
		return false;
	pp = pv_policy_of(v, pv_str(c, "policy"));
	if (pp->p == NULL || !pv_requires_ok(c)) {
		v->skipped++;
		*got = HC_OK;
		return true;
	}
	memset(&rq, 0, sizeof(rq));
	rq.wit = pv_str(c, "wit");
	rq.wit_len = strlen(rq.wit);
	if ((s = pv_str(c, "wpt")) != NULL) {
		rq.wpt = s;
		rq.wpt_len = strlen(s);
	}
	rq.path = pv_str(c, "path");
	if ((s = pv_str(c, "token")) != NULL) {
		rq.access_token = s;
		rq.access_token_len = strlen(s);
	}
	if ((s = pv_str(c, "txn_token")) != NULL) {
		rq.txn_token = s;
		rq.txn_token_len = strlen(s);
	}
	/* The headers understood, with what the case's request carries. */
	oth = cJSON_GetObjectItemCaseSensitive(c, "oth");
	for (size_t i = 0; i < pp->oth.n && i < HC_MAX_OTH_ENTRIES; i++) {
		const cJSON *h = cJSON_GetObjectItemCaseSensitive(oth,
		    pp->oth.v[i]);

		others[i].name = pp->oth.v[i];
		others[i].value = NULL;
		others[i].count = 0;
		if (cJSON_IsString(h)) {
			others[i].value = h->valuestring;
			others[i].count = 1;
		} else if (cJSON_IsArray(h) && cJSON_GetArraySize(h) > 0) {
			others[i].value = cJSON_GetArrayItem(h, 0)->valuestring;
			others[i].count = (unsigned)cJSON_GetArraySize(h);
		}
		rq.nothers++;
	}
	rq.others = others;
	rq.now = (int64_t)now->valuedouble;
	*got = hc_wimse_verify(pp->w, &rq, &res, &d);
	(void)snprintf(detail, n, "%s", d.text);
	ok = pv_judge(c, *got, d.text);
	if (ok && (s = pv_str(c, "sub")) != NULL &&
	    (res.sub == NULL || strcmp(s, res.sub) != 0)) {
		fprintf(stderr, "case %s: sub %s, want %s\n", pv_str(c, "name"),
		    res.sub != NULL ? res.sub : "(null)", s);
		ok = false;
	}
	if (ok && *got == HC_OK)
		ok = pv_spend(v, c, &res.record, rq.now);
	hc_wimse_result_clear(&res);
	v->run++;
	return ok;
}

/* The case `name` of list `list`, or NULL. */
static inline const cJSON *
pv_find(const pv *v, const char *list, const char *name)
{
	const cJSON *c;

	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(v->doc, list))
		if (strcmp(pv_str(c, "name"), name) == 0)
			return c;
	return NULL;
}

#endif /* HC_TEST_POP_VEC_H */
