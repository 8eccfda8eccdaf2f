/* SPDX-License-Identifier: Apache-2.0 */
/*
 * config_warn.c - what a valid configuration may still get wrong.
 *
 * A warning is a setting the schema accepts but that probably does not do
 * what its author meant, or that weakens a default on purpose (a test
 * feature).  They are computed from a built validator, whose policy is
 * immutable and whose local key files are loaded, so that a warning can
 * speak of the keys as well as of the text: `hopcheckd -t` and
 * `hopcheck check-config` print them, and hopcheckd logs them at start.
 * Each line is "PATH: message", like the errors of config.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hopcheck.h"
#include "keyset.h"
#include "validator.h"

/* A growing newline-separated list; `failed` once out of memory. */
struct warn {
	char *s;
	size_t len, cap;
	bool failed;
};

static void add(struct warn *w, const char *fmt, ...) HC_PRINTF(2, 3);

/* Appends one line. */
static void
add(struct warn *w, const char *fmt, ...)
{
	char line[1024];
	size_t n;
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	n = strlen(line);
	if (w->failed)
		return;
	if (w->len + n + 2 > w->cap) {
		size_t cap = w->cap > 0 ? w->cap * 2 : 512;
		char *p;
		while (cap < w->len + n + 2)
			cap *= 2;
		if ((p = realloc(w->s, cap)) == NULL) {
			w->failed = true;
			return;
		}
		w->s = p;
		w->cap = cap;
	}
	if (w->len > 0)
		w->s[w->len++] = '\n';
	memcpy(w->s + w->len, line, n + 1);
	w->len += n;
}

/*
 * Whether some key of the set may verify some algorithm of `mask`.  The set
 * is the one loaded from the issuer's jwks_file at construction.
 */
static bool
keys_fit(hc_issuer_state *is, unsigned mask)
{
	hc_keyset *ks = hc_keyslot_get(&is->keys);
	bool fit = false;

	for (size_t k = 0; ks != NULL && k < ks->nkeys && !fit; k++)
		for (int a = HC_ALG_UNKNOWN + 1; a < HC_ALG_COUNT && !fit; a++)
			if ((mask & HC_ALG_BIT(a)) != 0 && hc_key_allows(
			    ks->keys[k], (hc_alg)a, NULL) == HC_OK)
				fit = true;
	hc_keyset_unref(ks);
	return fit;
}

char *
hc_validator_warnings(const hc_validator *v)
{
	const hc_policy *p;
	struct warn w = { NULL, 0, 0, false };

	if (v == NULL || (p = v->policy) == NULL)
		return NULL;
	if (p->default_route == NULL || !p->default_route->deny)
		add(&w, "default_route: not {\"deny\": true}: a request that no"
		    " route matches is judged without any route's rules, and"
		    " paths are case-sensitive, so a request for /V1/payments"
		    " misses the route for /v1/payments and skips its scopes,"
		    " tenant and one-time-use rules");
	for (size_t i = 0; i < p->nissuers; i++) {
		const hc_issuer_policy *ip = &p->issuers[i];
		if (ip->keysrc == HC_KEYSRC_JWKS_FILE &&
		    !keys_fit(&v->issuers[i], ip->alg_mask))
			add(&w, "issuers[%zu]: no key of jwks_file can verify"
			    " any of the algorithms allowed: every token of %s"
			    " will be refused", i, ip->issuer);
	}
	if (p->delegation && p->mtls == HC_MODE_OFF)
		add(&w, "binding.mtls: off while delegation is configured: a"
		    " token bound to a certificate (cnf.x5t#S256) is accepted"
		    " from any caller, so a stolen delegated token is usable");
	if (p->delegation && p->peer_identity == HC_MODE_OFF)
		add(&w, "binding.peer_identity: off while delegation is"
		    " configured: nothing ties the current actor to the peer"
		    " that presents the token");
	if (p->daemon.allow_request_time)
		add(&w, "daemon.allow_request_time: true: any caller of"
		    " /v1/validate may set the clock and have expired tokens"
		    " accepted; for tests only");
	if (w.failed) {
		free(w.s);
		return NULL;
	}
	return w.s;
}
