/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pop.h - what the proof-of-possession verifiers (dpop.c, wimse.c) share
 * (pop.c): the strict compact-JWT syntax of a header value, the media-type
 * comparison of `typ`, NumericDates, token hashes (`ath`, `wth`, `tth`,
 * `oth`), and the target URI of a proof: the
 * DPoP `htu` (RFC 9449 section 4.3 item 9) and the WIMSE WPT `aud`
 * (draft-ietf-wimse-wpt-02 section 2 and 3.1), compared with what this
 * service is: one of its configured origins plus the request's path.
 *
 * Both sides are brought into one normal form (RFC 3986 sections 6.2.2
 * and 6.2.3) and compared as strings:
 *
 *  - an absolute URI "scheme://authority[path]"; a relative reference, an
 *    authority with userinfo, a percent-encoded or malformed host, a bad
 *    port, a control character, space or non-ASCII byte is refused;
 *  - the query and the fragment are dropped, on both sides;
 *  - scheme and host are lower-cased, the default port (:443 for https,
 *    :80 for http) and an empty port are dropped, a port loses leading
 *    zeros, an empty path becomes "/";
 *  - percent-encodings of unreserved characters are decoded ("%7E" is
 *    "~"), the others written with upper-case hex; dot-segments are
 *    removed (RFC 3986 section 5.2.4).
 *
 * Important caveats (what is NOT done)
 *  - The trailing slash is kept ("/api" is not "/api/"), "%2F" is not
 *    decoded, and the path is not case-folded.
 *  - The host the client asked for (Host, X-Forwarded-Host) never enters
 *    the comparison: the expected URI is built from the configured
 *    origins only.
 *  - Host names are not resolved and IDNs not converted.
 */
#ifndef HC_POP_H
#define HC_POP_H

#include <stdbool.h>
#include <stddef.h>

#include "internal.h"
#include "policy.h"

/*
 * Normalises the `len` bytes of an absolute URI into a heap string
 * (*out, free()) by the rules above.  HC_AUDIENCE with a reason (naming
 * `what`, e.g. "htu") when it is not one; HC_INTERNAL when out of memory.
 */
hc_status hc_pop_uri_normalize(const char *uri, size_t len, const char *what,
    char **out, hc_detail *d);

/*
 * Whether `s` is an origin as service.origins holds one: an absolute URI
 * with scheme https (or http with a loopback host), a host, an optional
 * port and no path (or "/"), query, fragment or userinfo.  On true, *out
 * (heap) is its normal form without the trailing "/"; on false, a reason
 * is in d.
 */
bool hc_pop_origin_parse(const char *s, char **out, hc_detail *d);

/*
 * Whether the claim `uri` (DPoP htu, WPT aud; `what` names it) equals one
 * of `origins` (normal forms, as hc_pop_origin_parse() gives) followed by
 * `path`, the request's origin-relative path (its query is ignored),
 * after normalising both sides.  HC_OK, HC_AUDIENCE with a reason naming
 * the claim and the expected URI, HC_INTERNAL.  *norm_out, when not NULL,
 * receives the normalised claim (heap) on HC_OK.
 */
hc_status hc_pop_uri_match(const char *uri, const char *what,
    const hc_strlist *origins, const char *path, char **norm_out,
    hc_detail *d);

/* ---------------------------------------------------- shared checks */

/*
 * A header value that must be one compact JWS and nothing else (RFC 9449
 * section 4.3 items 1-2; draft-ietf-wimse-workload-creds-03 section 5.1.1
 * ABNF): base64url characters and exactly two dots, no '=', no space, no
 * comma (two header fields joined).  HC_MALFORMED naming `what`.
 */
hc_status hc_pop_compact_check(const char *tok, size_t len, const char *what,
    hc_detail *d);

/*
 * Whether header `typ` is `want` ("dpop+jwt") compared as a media type
 * (RFC 7515 section 4.1.9): case-insensitive, "application/" optional.
 * HC_TYPE with a reason naming `what` and the value.
 */
hc_status hc_pop_typ_check(const hc_json *header, const char *want,
    const char *what, hc_detail *d);

/*
 * Member `name` of `obj` as a NumericDate (RFC 7519 section 2): a finite
 * number in [0, HC_MAX_NUMERIC_DATE], integer or not; *out is its floor,
 * *present whether it is there.  HC_CLAIM naming `what` and the member
 * when it is not a number or out of range.
 */
hc_status hc_pop_numeric_date(const hc_json *obj, const char *name,
    const char *what, int64_t *out, bool *present, hc_detail *d);

/*
 * Whether claim `name` of `obj`, a string, is base64url(SHA-256(the `len`
 * bytes of `tok`)) exactly (43 characters, compared in constant time).
 * Absent or not a string: HC_CLAIM when `required`, HC_OK otherwise with
 * *present false; a mismatch is HC_BINDING naming `what` and `name`.
 */
hc_status hc_pop_hash_check(const hc_json *obj, const char *name,
    const char *tok, size_t len, const char *what, bool *present,
    hc_detail *d);

/* b64url(SHA-256(`len` bytes)) into out (HC_JKT_LEN + 1 bytes). */
void hc_pop_hash(const char *tok, size_t len, char *out);

/*
 * Whether `alg` names a JWS signature algorithm a proof may use: known,
 * asymmetric (never none or HS*), in `mask` and verifiable by this
 * backend.  HC_ALG with a reason naming `what`, the value and, for a
 * missing capability, the backend.
 */
hc_status hc_pop_alg_check(const hc_json *header, unsigned mask,
    const char *what, hc_alg *out, hc_detail *d);

/* `crit` present: HC_CRIT naming `what` (no extension is understood). */
hc_status hc_pop_crit_check(const hc_json *header, const char *what,
    hc_detail *d);

#endif /* HC_POP_H */
