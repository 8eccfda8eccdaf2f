/* SPDX-License-Identifier: Apache-2.0 */
/*
 * config_pop.c - the configuration of proofs of possession: the
 * `service.origins` list, the `dpop` section (RFC 9449) and the `wimse`
 * section (draft-ietf-wimse-workload-creds-03, draft-ietf-wimse-wpt-02),
 * read into the policy (policy.h) with every problem reported at its JSON
 * path, as config.c does for the rest of the schema.
 *
 * The rules that tie keys together: origins are https (http only for a
 * loopback host, url.h) without a path, and required once dpop or wimse
 * is not "off"; the algorithms of dpop and of each WIMSE trust domain are
 * required when their section is on, asymmetric only, and supported by
 * the crypto backend (EdDSA names the backend it needs).
 *
 * One exception to "nothing here reads a key file": the 32-byte DPoP
 * nonce secret is read at parse time, so that check-config refuses a
 * missing or wrongly sized one, copied into the policy, and the read
 * buffer wiped at once; the policy wipes its copy when freed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_read.h"
#include "crypto.h"
#include "pop.h"

static const char *const mode_names[] = {
	"required", "if_present", "off", NULL
};
static const int mode_values[] = {
	HC_MODE_REQUIRED, HC_MODE_IF_PRESENT, HC_MODE_OFF
};

const char *const hc_cfg_dpop_keys[] = {
	"mode", "algorithms", "max_age_s", "nonce_secret_file", NULL
};
const char *const hc_cfg_wimse_keys[] = {
	"mode", "trust_domains", "max_wit_lifetime_s", "max_wpt_ttl_s", NULL
};
static const char *const wimse_td_keys[] = {
	"trust_domain", "jwks_file", "jwks_uri", "bundle_file", "bundle_uri",
	"algorithms", "issuers", "allow_insecure_http", "ca_file", NULL
};
/* The key sources of a wimse trust domain, in hc_wimse_keysrc order. */
static const char *const wimse_keysrc_names[] = {
	"jwks_file", "jwks_uri", "bundle_file", "bundle_uri", NULL
};

void
hc_cfg_pop_defaults(hc_policy *p)
{
	p->dpop.mode = HC_MODE_OFF;
	p->dpop.max_age_s = HC_DEFAULT_DPOP_MAX_AGE_S;
	p->wimse.mode = HC_MODE_OFF;
	p->wimse.max_wit_lifetime_s = HC_DEFAULT_WIT_LIFETIME_S;
	p->wimse.max_wpt_ttl_s = HC_DEFAULT_WPT_TTL_S;
}

/*
 * service.origins: scheme://host[:port] each, stored in normal form
 * (pop.h), no two the same.
 */
void
hc_cfg_read_origins(struct cfg *c, const hc_json *service)
{
	hc_strlist l = { NULL, 0 };
	size_t saved;

	if (hc_cfg_strlist(c, service, "origins", false, NULL, NULL, &l) != 1)
		return;
	if ((c->p->origins.v = hc_cfg_calloc(c, l.n, sizeof(char *))) ==
	    NULL) {
		hc_strlist_free(&l);
		return;
	}
	saved = hc_cfg_path_key(c, "origins");
	for (size_t i = 0; i < l.n; i++) {
		size_t s2 = hc_cfg_path_index(c, i);
		hc_detail d = { "" };
		char *n = NULL;

		if (!hc_pop_origin_parse(l.v[i], &n, &d)) {
			hc_cfg_error(c, "not an origin: %s", d.text);
		} else {
			for (size_t k = 0; k < c->p->origins.n; k++)
				if (strcmp(c->p->origins.v[k], n) == 0) {
					hc_cfg_error(c, "the same origin as "
					    "an earlier one");
					free(n);
					n = NULL;
					break;
				}
			if (n != NULL)
				c->p->origins.v[c->p->origins.n++] = n;
		}
		hc_cfg_path_pop(c, s2);
	}
	hc_cfg_path_pop(c, saved);
	hc_strlist_free(&l);
}

/*
 * An algorithm list of a proof-of-possession section: required (when
 * `required`), asymmetric, known and supported by the backend.
 */
static bool
pop_alg_rule(const void *arg, hc_alg alg, const char *name, char *why,
    size_t n)
{
	(void)arg;
	if (hc_alg_kty(alg) != HC_KTY_OCT)
		return true;
	(void)snprintf(why, n, "%s is a MAC; a proof of possession needs an "
	    "asymmetric algorithm", name);
	return false;
}

static unsigned
read_pop_algorithms(struct cfg *c, const hc_json *j, bool required)
{
	return hc_cfg_algorithms(c, j, required,
	    "asymmetric algorithms to accept", pop_alg_rule, NULL);
}

/* The nonce secret: exactly HC_DPOP_NONCE_SECRET_BYTES bytes. */
static void
read_nonce_secret(struct cfg *c, const hc_json *j)
{
	char *path = NULL, *buf = NULL;
	hc_detail d = { "" };
	size_t len = 0, saved;

	if (hc_cfg_file(c, j, "nonce_secret_file", &path) != 1)
		return;
	saved = hc_cfg_path_key(c, "nonce_secret_file");
	if (hc_read_file(path, HC_MAX_KEYFILE_BYTES, &buf, &len, &d) != 0)
		hc_cfg_error(c, "%s", d.text);
	else if (len != HC_DPOP_NONCE_SECRET_BYTES)
		hc_cfg_error(c, "the nonce secret is %zu bytes; it must be "
		    "exactly %d (random bytes, not text)", len,
		    HC_DPOP_NONCE_SECRET_BYTES);
	else {
		memcpy(c->p->dpop.nonce_secret, buf, len);
		c->p->dpop.has_nonce = true;
	}
	if (buf != NULL) {
		hc_wipe(buf, len);
		free(buf);
	}
	free(path);
	hc_cfg_path_pop(c, saved);
}

/* dpop: mode, algorithms (required unless off), max_age_s, nonces. */
void
hc_cfg_read_dpop(struct cfg *c, const hc_json *j)
{
	hc_dpop_policy *dp = &c->p->dpop;
	int v = (int)dp->mode;

	if (hc_cfg_enum(c, j, "mode", mode_names, mode_values, &v) == 1)
		dp->mode = (hc_mode)v;
	dp->alg_mask = read_pop_algorithms(c, j, dp->mode != HC_MODE_OFF);
	(void)hc_cfg_int(c, j, "max_age_s", 1, HC_MAX_DPOP_MAX_AGE_S,
	    &dp->max_age_s);
	read_nonce_secret(c, j);
}

/*
 * One wimse.trust_domains[] entry: a trust domain (the lower-case name a
 * Workload Identifier's authority must equal) not repeated, exactly one
 * key source (jwks_file, jwks_uri, bundle_file or bundle_uri; a bundle's
 * keys are its entries with `use` "wit-svid"), allow_insecure_http and
 * ca_file for a remote one, algorithms (required) and an optional issuers
 * allowlist.
 */
static void
read_wimse_td(struct cfg *c, const hc_json *j, void *arr, size_t i)
{
	hc_wimse_td_policy *all = arr, *t = &all[i];
	size_t saved;
	int k;

	if (hc_cfg_str(c, j, "trust_domain", true, hc_cfg_check_trust_domain,
	    NULL, &t->trust_domain) == 1) {
		for (size_t o = 0; o < i; o++)
			if (all[o].trust_domain != NULL &&
			    strcmp(all[o].trust_domain, t->trust_domain) == 0) {
				saved = hc_cfg_path_key(c, "trust_domain");
				hc_cfg_error(c, "same trust domain as"
				    " trust_domains[%zu]", o);
				hc_cfg_path_pop(c, saved);
				break;
			}
	}
	(void)hc_cfg_bool(c, j, "allow_insecure_http", &t->allow_insecure_http);
	(void)hc_cfg_file(c, j, "ca_file", &t->ca_file);
	/* Keys only from this configuration, never from token content. */
	k = hc_cfg_one_of(c, j, wimse_keysrc_names, "key source");
	if (k >= 0) {
		t->keysrc = (hc_wimse_keysrc)k;
		if (t->keysrc == HC_WIMSE_KEYS_JWKS_URI ||
		    t->keysrc == HC_WIMSE_KEYS_BUNDLE_URI)
			(void)hc_cfg_str(c, j, wimse_keysrc_names[k], true,
			    hc_cfg_check_url, &t->allow_insecure_http,
			    &t->key_location);
		else
			(void)hc_cfg_file(c, j, wimse_keysrc_names[k],
			    &t->key_location);
	}
	t->alg_mask = read_pop_algorithms(c, j, true);
	(void)hc_cfg_strlist(c, j, "issuers", false, NULL, NULL, &t->issuers);
}

/* wimse: mode, trust_domains (required unless off), the two caps. */
void
hc_cfg_read_wimse(struct cfg *c, const hc_json *j)
{
	hc_wimse_policy *wp = &c->p->wimse;
	size_t saved;
	int v = (int)wp->mode, rc;

	if (hc_cfg_enum(c, j, "mode", mode_names, mode_values, &v) == 1)
		wp->mode = (hc_mode)v;
	wp->tds = hc_cfg_objarray(c, j, "trust_domains", HC_MAX_LIST_ITEMS,
	    true, wimse_td_keys, sizeof(hc_wimse_td_policy), &wp->ntds,
	    read_wimse_td, &rc);
	if (rc == 0 && wp->mode != HC_MODE_OFF) {
		saved = hc_cfg_path_key(c, "trust_domains");
		hc_cfg_error(c, "required key is missing (the trust domains"
		    " whose WITs are accepted)");
		hc_cfg_path_pop(c, saved);
	}
	(void)hc_cfg_int(c, j, "max_wit_lifetime_s", 1, HC_MAX_WIT_LIFETIME_S,
	    &wp->max_wit_lifetime_s);
	(void)hc_cfg_int(c, j, "max_wpt_ttl_s", 1, HC_MAX_WPT_TTL_S,
	    &wp->max_wpt_ttl_s);
}

/* The rules across sections, once the document is read. */
void
hc_cfg_pop_check(struct cfg *c)
{
	size_t saved;

	if ((c->p->dpop.mode != HC_MODE_OFF ||
	    c->p->wimse.mode != HC_MODE_OFF) && c->p->origins.n == 0) {
		saved = hc_cfg_path_push(c, "service.origins");
		hc_cfg_error(c, "required when dpop or wimse is on (DPoP htu"
		    " and WPT aud are an origin + the request path)");
		hc_cfg_path_pop(c, saved);
	}
}

void
hc_pop_policy_clear(hc_policy *p)
{
	hc_strlist_free(&p->origins);
	hc_wipe(p->dpop.nonce_secret, sizeof(p->dpop.nonce_secret));
	for (size_t i = 0; i < p->wimse.ntds; i++) {
		free(p->wimse.tds[i].trust_domain);
		free(p->wimse.tds[i].key_location);
		free(p->wimse.tds[i].ca_file);
		hc_strlist_free(&p->wimse.tds[i].issuers);
	}
	free(p->wimse.tds);
	p->wimse.tds = NULL;
	p->wimse.ntds = 0;
}
