/* SPDX-License-Identifier: Apache-2.0 */
/*
 * config_txn.c - the configuration of Transaction Tokens
 * (draft-ietf-oauth-transaction-tokens-10): the `txn_tokens` section, and
 * the route keys that say which credentials a route requires
 * (`credentials`), which authenticated workloads may call it (`callers`)
 * and whether a Txn-Token's txn is spent once on it (`txn_single_use`).
 *
 * Same discipline as config.c: every key is checked, every problem is
 * reported with its JSON path, and a route that needs Txn-Tokens is an
 * error where no `txn_tokens` section says whose tokens they are.  The
 * section is read before the routes (config.c), so that the route keys
 * can be checked against it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_read.h"
#include "crypto.h"
#include "policy.h"

/* The names of the credentials a route may require, and their bits. */
static const char *const cred_names[] = {
	"access_token", "txn_token", "workload", NULL
};
static const unsigned cred_bits[] = {
	HC_CRED_ACCESS_TOKEN, HC_CRED_TXN_TOKEN, HC_CRED_WORKLOAD
};

static const char *const txn_keysrc_names[] = {
	"jwks_file", "jwks_uri", NULL
};

/*
 * txn_tokens.algorithms: required, asymmetric only.  Many workloads of a
 * trust domain verify the same tokens, so a shared secret would let any of
 * them mint (txn-tokens-10 section 9.1 leaves the choice to the
 * deployment; RFC 8725 section 3.1: the verifier decides).
 */
static bool
txn_alg_rule(const void *arg, hc_alg alg, const char *name, char *why,
    size_t n)
{
	(void)arg;
	if (hc_alg_kty(alg) != HC_KTY_OCT)
		return true;
	(void)snprintf(why, n, "%s is a shared-secret algorithm; Txn-Tokens "
	    "are verified with the TTS's public keys only", name);
	return false;
}

static void
read_txn_algorithms(struct cfg *c, const hc_json *j, hc_txn_policy *tp)
{
	tp->alg_mask |= hc_cfg_algorithms(c, j, true,
	    "algorithms the Transaction Token Service signs with",
	    txn_alg_rule, NULL);
}

static const char *const txn_keys[] = {
	"trust_domain", "jwks_file", "jwks_uri", "algorithms", "issuers",
	"max_lifetime_s", "require_peer", "allow_insecure_http", "ca_file", NULL
};

/*
 * txn_tokens: the trust domain (the exact aud, sections 9.2 and 12.2),
 * the TTS keys (a file or a URI, refreshed like an issuer's), the
 * algorithms, an optional iss allowlist, the lifetime cap (section 6:
 * short-lived; at most HC_TXN_MAX_LIFETIME_S) and whether the caller must
 * be an authenticated workload (section 13.12: a Txn-Token authenticates
 * no one).
 */
static void
read_txn(struct cfg *c, const hc_json *j)
{
	hc_txn_policy *tp;
	int k;

	if ((tp = hc_cfg_calloc(c, 1, sizeof(*tp))) == NULL)
		return;
	c->p->txn = tp;
	tp->max_lifetime_s = HC_TXN_DEFAULT_LIFETIME_S;
	tp->require_peer = true;
	/* An opaque identifier (section 3), compared exactly: not a URL. */
	(void)hc_cfg_str(c, j, "trust_domain", true, NULL, NULL,
	    &tp->trust_domain);
	(void)hc_cfg_bool(c, j, "allow_insecure_http", &tp->allow_insecure_http);
	(void)hc_cfg_file(c, j, "ca_file", &tp->ca_file);
	/* Keys only from this configuration, never from iss (section 13.16). */
	k = hc_cfg_one_of(c, j, txn_keysrc_names, "key source");
	if (k == 0) {
		tp->keysrc = HC_KEYSRC_JWKS_FILE;
		(void)hc_cfg_file(c, j, "jwks_file", &tp->key_location);
	} else if (k == 1) {
		tp->keysrc = HC_KEYSRC_JWKS_URI;
		(void)hc_cfg_str(c, j, "jwks_uri", true, hc_cfg_check_url,
		    &tp->allow_insecure_http, &tp->key_location);
	}
	read_txn_algorithms(c, j, tp);
	(void)hc_cfg_strlist(c, j, "issuers", false, NULL, NULL, &tp->issuers);
	(void)hc_cfg_int(c, j, "max_lifetime_s", 1, HC_TXN_MAX_LIFETIME_S,
	    &tp->max_lifetime_s);
	(void)hc_cfg_bool(c, j, "require_peer", &tp->require_peer);
}

void
hc_cfg_txn_section(struct cfg *c, const hc_json *root)
{
	(void)hc_cfg_section(c, root, "txn_tokens", txn_keys, read_txn);
}

void
hc_txn_policy_free(hc_txn_policy *tp)
{
	if (tp == NULL)
		return;
	free(tp->trust_domain);
	free(tp->key_location);
	hc_strlist_free(&tp->issuers);
	free(tp->ca_file);
	free(tp);
}

/*
 * route.credentials: a non-empty list of known names, each once; absent
 * means ["access_token"].  A Txn-Token credential, or txn_single_use,
 * needs the txn_tokens section (read before the routes).
 */
void
hc_cfg_read_route_creds(struct cfg *c, const hc_json *j, hc_route_policy *r)
{
	hc_strlist l = { NULL, 0 };
	char q[CFG_QUOTE_MAX];
	size_t saved, s2;
	int rc;

	r->credentials = HC_CRED_ACCESS_TOKEN;
	rc = hc_cfg_strlist(c, j, "credentials", false, NULL, NULL, &l);
	if (rc == 1) {
		r->credentials = 0;
		saved = hc_cfg_path_key(c, "credentials");
		for (size_t i = 0; i < l.n; i++) {
			size_t k;

			s2 = hc_cfg_path_index(c, i);
			for (k = 0; cred_names[k] != NULL; k++)
				if (strcmp(cred_names[k], l.v[i]) == 0)
					break;
			if (cred_names[k] == NULL)
				hc_cfg_error(c, "unknown credential %s (access_token,"
				    " txn_token or workload)",
				    hc_quote(q, sizeof(q), l.v[i]));
			else if (r->credentials & cred_bits[k])
				hc_cfg_error(c, "%s is listed twice", l.v[i]);
			else
				r->credentials |= cred_bits[k];
			hc_cfg_path_pop(c, s2);
		}
		if ((r->credentials & HC_CRED_TXN_TOKEN) && c->p->txn == NULL)
			hc_cfg_error(c, "txn_token needs the txn_tokens section "
			    "(whose Transaction Token Service to trust)");
		if (r->credentials == 0)
			r->credentials = HC_CRED_ACCESS_TOKEN;
		hc_cfg_path_pop(c, saved);
	}
	hc_strlist_free(&l);
	rc = hc_cfg_strlist(c, j, "callers", false, hc_cfg_check_pattern, NULL,
	    &r->callers);
	r->has_callers = rc == 1;
	if (hc_cfg_bool(c, j, "txn_single_use", &r->txn_single_use) == 1 &&
	    r->txn_single_use && c->p->txn == NULL) {
		saved = hc_cfg_path_key(c, "txn_single_use");
		hc_cfg_error(c, "needs the txn_tokens section");
		hc_cfg_path_pop(c, saved);
	}
}
