/* SPDX-License-Identifier: Apache-2.0 */
/*
 * discovery.c - finding an issuer's jwks_uri from its metadata: OpenID
 * Connect Discovery 1.0 (section 4) or OAuth 2.0 Authorization Server
 * Metadata (RFC 8414 section 3).
 *
 * The refresher (refresh.c) calls hc_discover_jwks_uri() for a source
 * configured with `discovery`, handing it a GET that carries the source's
 * transport settings, and then fetches the key set the answer names.  The
 * rules that keep a metadata document from handing over someone else's
 * keys live here: the document's `issuer` must be the configured issuer,
 * exactly, and its `jwks_uri` must pass the URL rules of a configured one.
 * Nothing here keeps state: a call is one look-up.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "discovery.h"
#include "internal.h"
#include "keyset.h"

/* The path segment that marks a URL as a metadata document itself. */
#define WELL_KNOWN                "/.well-known/"
#define OIDC_SUFFIX               "/.well-known/openid-configuration"
#define RFC8414_SEGMENT           "/.well-known/oauth-authorization-server"

/* One look-up: whose metadata, and how to fetch. */
struct disco {
	const char *issuer;      /* the configured issuer, compared exactly */
	bool allow_http;         /* the source's allow_insecure_http */
	hc_discovery_get_fn get;
	void *arg;
};

/*
 * The OpenID Connect Discovery location of a base URL (section 4: any
 * trailing '/' removed, then the suffix appended).  NULL when out of
 * memory.
 */
static char *
oidc_url(const char *base)
{
	size_t n = strlen(base);
	char *u;

	while (n > 0 && base[n - 1] == '/')
		n--;
	if ((u = malloc(n + sizeof(OIDC_SUFFIX))) == NULL)
		return NULL;
	memcpy(u, base, n);
	memcpy(u + n, OIDC_SUFFIX, sizeof(OIDC_SUFFIX));
	return u;
}

/*
 * The RFC 8414 section 3 location of a base URL: the well-known segment
 * goes between the host and the path, the path losing any trailing '/'
 * ("https://as.example/t1" -> ".../.well-known/oauth-authorization-server
 * /t1").  NULL when out of memory.
 */
static char *
rfc8414_url(const char *base)
{
	const char *auth = strstr(base, "://"), *path;
	size_t hl, pl;
	char *u;

	auth = auth != NULL ? auth + 3 : base;
	path = auth + strcspn(auth, "/");
	hl = (size_t)(path - base);
	pl = strlen(path);
	while (pl > 0 && path[pl - 1] == '/')
		pl--;
	if ((u = malloc(hl + sizeof(RFC8414_SEGMENT) + pl)) == NULL)
		return NULL;
	memcpy(u, base, hl);
	memcpy(u + hl, RFC8414_SEGMENT, sizeof(RFC8414_SEGMENT) - 1);
	memcpy(u + hl + sizeof(RFC8414_SEGMENT) - 1, path, pl);
	u[hl + sizeof(RFC8414_SEGMENT) - 1 + pl] = '\0';
	return u;
}

/*
 * Fetches one metadata document and takes its jwks_uri.  The document's
 * `issuer` must equal the configured issuer exactly (RFC 8414 section 3.3,
 * OpenID Connect Discovery section 4.3): a document about another issuer
 * would hand us that issuer's keys.  The jwks_uri must pass the same URL
 * rules as a configured one.  *http_status is the answer's status (0 when
 * none) so that the caller can tell "not there" from other failures.
 */
static hc_status
fetch_metadata(const struct disco *dc, const char *url, long *http_status,
    char **jwks_out, const char **why, hc_detail *d)
{
	char label[HC_FETCH_URL_LABEL_MAX], q1[HC_QBUF];
	char q2[HC_QBUF];
	const char *iss, *jwks;
	hc_fetch_resp resp;
	hc_json *root = NULL;
	hc_detail sub = { "" };
	hc_status st;

	memset(&resp, 0, sizeof(resp));
	st = dc->get(dc->arg, url, &resp, d);
	*http_status = resp.http_status;
	*why = resp.failure;
	if (st != HC_OK)
		goto done;
	(void)hc_fetch_url_label(url, label, sizeof(label));
	*why = HC_DISCOVERY_FAIL_METADATA;
	if (hc_json_parse(resp.body, resp.len, &root, &sub) != HC_OK) {
		*why = HC_KEYSET_FAIL_JSON;
		st = hc_fail(d, HC_UNAVAILABLE, "metadata at %s is not valid "
		    "JSON: %s", label, sub.text);
		goto done;
	}
	if (hc_json_type_of(root) != HC_JSON_OBJECT) {
		st = hc_fail(d, HC_UNAVAILABLE, "metadata at %s is a %s, not an "
		    "object", label, hc_json_type_name(hc_json_type_of(root)));
		goto done;
	}
	if ((iss = hc_json_string(hc_json_get(root, "issuer"))) == NULL) {
		st = hc_fail(d, HC_UNAVAILABLE, "metadata at %s has no string "
		    "\"issuer\"", label);
		goto done;
	}
	if (strcmp(iss, dc->issuer) != 0) {
		*why = HC_DISCOVERY_FAIL_ISSUER;
		st = hc_fail(d, HC_UNAVAILABLE, "metadata at %s names issuer %s, "
		    "not the configured %s (RFC 8414 section 3.3); refused",
		    label, hc_quote(q1, sizeof(q1), iss),
		    hc_quote(q2, sizeof(q2), dc->issuer));
		goto done;
	}
	if ((jwks = hc_json_string(hc_json_get(root, "jwks_uri"))) == NULL) {
		st = hc_fail(d, HC_UNAVAILABLE, "metadata at %s has no string "
		    "\"jwks_uri\"", label);
		goto done;
	}
	if (hc_fetch_url_check(jwks, dc->allow_http, &sub) != HC_OK) {
		char jl[HC_FETCH_URL_LABEL_MAX];

		*why = HC_FETCH_FAIL_URL;
		st = hc_fail(d, HC_UNAVAILABLE, "metadata at %s: jwks_uri %s "
		    "refused: %s", label, hc_fetch_url_label(jwks, jl,
		    sizeof(jl)), sub.text);
		goto done;
	}
	if ((*jwks_out = hc_strdup(jwks)) == NULL) {
		*why = HC_FETCH_FAIL_INTERNAL;
		st = hc_fail(d, HC_INTERNAL, "out of memory");
		goto done;
	}
	*why = NULL;
	st = HC_OK;
done:
	hc_json_free(root);
	hc_fetch_resp_clear(&resp);
	return st;
}

/* ------------------------------------------------------------------ API */

hc_status
hc_discover_jwks_uri(const char *url, const char *issuer, bool allow_http,
    hc_discovery_get_fn get, void *arg, char **jwks_uri, const char **why,
    hc_detail *d)
{
	const struct disco dc = { issuer, allow_http, get, arg };
	char *first = NULL, *second = NULL;
	hc_detail d2 = { "" };
	long code = 0;
	hc_status st;

	*jwks_uri = NULL;
	*why = HC_FETCH_FAIL_INTERNAL;
	if (strstr(url, WELL_KNOWN) != NULL)
		return fetch_metadata(&dc, url, &code, jwks_uri, why, d);
	if (strchr(url, '?') != NULL) {
		*why = HC_FETCH_FAIL_URL;
		return hc_fail(d, HC_UNAVAILABLE, "discovery URL has a query; "
		    "give the issuer's base URL or its metadata document");
	}
	if ((first = oidc_url(url)) == NULL)
		return hc_fail(d, HC_INTERNAL, "out of memory");
	st = fetch_metadata(&dc, first, &code, jwks_uri, why, d);
	if (st == HC_UNAVAILABLE && code >= 400 && code < 500) {
		if ((second = rfc8414_url(url)) == NULL) {
			*why = HC_FETCH_FAIL_INTERNAL;
			st = hc_fail(d, HC_INTERNAL, "out of memory");
			goto done;
		}
		st = fetch_metadata(&dc, second, &code, jwks_uri, why, &d2);
		if (st != HC_OK) {
			hc_detail d1 = *d;
			(void)hc_fail(d, st, "%s; then %s", d1.text, d2.text);
		}
	}
done:
	free(first);
	free(second);
	return st;
}
