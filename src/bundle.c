/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bundle.c - what a bundle endpoint's refresher needs from a SPIFFE bundle
 * beyond its keys.
 *
 * keyset.c reads a bundle's JWT-SVID keys (hc_bundle_parse(): entries
 * with `use` "jwt-svid", each with a kid; everything else ignored as the
 * SPIFFE Trust Domain and Bundle specification, section 4.2, requires).
 * The refresher of a `bundle_uri` also wants the bundle's own idea of how
 * often to come back: `spiffe_refresh_hint` (section 4.1.2), in seconds.
 * hc_bundle_parse() has already checked that member's type; this file only
 * reads it, so that a bundle from a file and a bundle from an endpoint go
 * through one parser with one set of rules.
 */
#include <math.h>
#include <stdlib.h>

#include "fetch.h"
#include "keyset.h"

hc_status
hc_bundle_parse_hint(const char *json, size_t len, const char *trust_domain,
    const char *use, hc_keyset **out, int64_t *refresh_hint, hc_detail *d)
{
	const hc_json *j;
	hc_json *root = NULL;
	hc_detail jd = { "" };
	hc_status st;
	double v;

	if (refresh_hint != NULL)
		*refresh_hint = -1;
	st = hc_bundle_parse_use(json, len, trust_domain, use, out, d);
	if (st != HC_OK || refresh_hint == NULL)
		return st;
	/* Parsed once already: this cannot fail but for memory. */
	if (hc_json_parse(json, len, &root, &jd) != HC_OK) {
		hc_keyset_unref(*out);
		*out = NULL;
		return hc_fail(d, HC_INTERNAL, "out of memory");
	}
	j = hc_json_get(root, "spiffe_refresh_hint");
	/* A non-negative integer up to 2^53 (hc_bundle_parse() checked). */
	if (hc_json_number(j, &v) && v >= 0 && v == floor(v) &&
	    v <= 9007199254740992.0)
		*refresh_hint = (int64_t)v;
	hc_json_free(root);
	return HC_OK;
}
