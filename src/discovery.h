/* SPDX-License-Identifier: Apache-2.0 */
/*
 * discovery.h - an issuer's jwks_uri from its metadata (discovery.c).
 */
#ifndef HC_DISCOVERY_H
#define HC_DISCOVERY_H

#include <stdbool.h>

#include "fetch.h"
#include "internal.h"

/* Kinds of failure of a discovery beyond a fetch's (see fetch.h). */
#define HC_DISCOVERY_FAIL_METADATA "bad_metadata"
#define HC_DISCOVERY_FAIL_ISSUER   "issuer_mismatch"

/* One GET of `url` into *resp, with the caller's transport settings. */
typedef hc_status (*hc_discovery_get_fn)(void *arg, const char *url,
    hc_fetch_resp *resp, hc_detail *d);

/*
 * Finds the jwks_uri of `issuer` from the metadata at `url`.  A URL with a
 * "/.well-known/" segment is the metadata document itself; otherwise it is
 * the base the two well-known locations are built on: OpenID Connect's
 * first, then, when that answers with a 4xx status (not there), RFC
 * 8414's.  The document must be a JSON object whose `issuer` equals
 * `issuer` exactly (RFC 8414 section 3.3, OpenID Connect Discovery section
 * 4.3) and whose `jwks_uri` passes hc_fetch_url_check() with `allow_http`.
 * Returns HC_OK and the jwks_uri in *jwks_uri (heap, free()); otherwise
 * HC_UNAVAILABLE (or HC_INTERNAL) with a reason in d and its kind, a
 * static word, in *why.
 */
hc_status hc_discover_jwks_uri(const char *url, const char *issuer,
    bool allow_http, hc_discovery_get_fn get, void *arg, char **jwks_uri,
    const char **why, hc_detail *d);

#endif /* HC_DISCOVERY_H */
