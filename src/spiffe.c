/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spiffe.c - the SPIFFE ID grammar (SPIFFE-ID standard sections 2-2.4).
 *
 * A SPIFFE ID is `spiffe://` + trust domain + path.  The checker is a single
 * left-to-right scan over at most HC_MAX_SPIFFE_ID_BYTES bytes that works on
 * (pointer, length), so an embedded NUL is just another forbidden byte, and
 * that allocates nothing: it runs on the validation path for every peer
 * certificate and every `sub` or actor that names a workload.
 *
 * Where the standard leaves room we take the strict reading, as go-spiffe
 * does: the scheme and trust domain must already be lowercase (section 2.1
 * says "MUST be lowercase" even though section 2.4 calls them
 * case-insensitive), so that two spellings of one identity can never both
 * be accepted and compared byte-exactly later.  The character set
 * `[a-z0-9.-_]` of sections 2.1 and 2.2 is read as the literal set of
 * letters, digits, '.', '-' and '_' (not as a '.'..'_' range).  Nothing is
 * decoded or normalised: percent-encoding, dot segments and empty segments
 * are rejected, never resolved.
 *
 * Every rejection is HC_MALFORMED with a detail that names the rule, the
 * offending byte and its offset, followed by a bounded, escaped quote of
 * the start of the input.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/*
 * Size of the buffer that receives the quoted input in a detail.  hc_quote()
 * cuts at HC_DETAIL_VALUE_MAX input bytes or when this buffer is full,
 * whichever comes first, so the rule text before it always fits in the
 * HC_DETAIL_MAX bytes of a detail.
 */
#define SPIFFE_QUOTE_BUF (HC_DETAIL_MAX / 2)

/* Size of the buffer that names one offending byte: "'x'" or "byte 0xNN". */
#define SPIFFE_CHAR_BUF 16

/* ------------------------------------------------------ private prototypes */

static hc_status spiffe_fail(hc_detail *d, const char *s, size_t len,
    const char *fmt, ...) HC_PRINTF(4, 5);
static const char *char_name(char *buf, size_t n, unsigned char c);
static bool is_td_char(unsigned char c);
static bool is_path_char(unsigned char c);
static bool has_scheme_nocase(const char *s, size_t len);
static hc_status check_td_chars(const char *s, size_t len, size_t start,
    size_t end, hc_detail *d);
static hc_status check_path(const char *id, size_t len, size_t start,
    hc_detail *d);
static char *copy_range(const char *s, size_t n);

/* -------------------------------------------------------------------- API */

/*
 * Checks `len` bytes of `id` against the whole grammar.  The checks run in
 * the order in which the parts appear (total length first, because it
 * bounds everything after it), and the first rule broken is the one
 * reported.  *td_len, when td_len is not NULL, receives the trust domain's
 * length on HC_OK and 0 otherwise.
 */
hc_status
hc_spiffe_id_check(const char *id, size_t len, size_t *td_len, hc_detail *d)
{
	const char *slash;
	size_t tdlen;
	hc_status st;

	if (td_len != NULL)
		*td_len = 0;
	if (id == NULL)
		return hc_fail(d, HC_MALFORMED, "SPIFFE ID is missing");
	if (len == 0)
		return hc_fail(d, HC_MALFORMED,
		    "SPIFFE ID is empty (SPIFFE-ID 2)");
	/* SPIFFE-ID 2.3: 2048 bytes must be supported; we take no more. */
	if (len > HC_MAX_SPIFFE_ID_BYTES)
		return spiffe_fail(d, id, len, "SPIFFE ID is %zu bytes, more "
		    "than the limit of %d (SPIFFE-ID 2.3)", len,
		    HC_MAX_SPIFFE_ID_BYTES);

	/* SPIFFE-ID 2 and 2.1: the scheme is exactly "spiffe://". */
	if (len < HC_SPIFFE_SCHEME_LEN ||
	    memcmp(id, HC_SPIFFE_SCHEME, HC_SPIFFE_SCHEME_LEN) != 0) {
		if (has_scheme_nocase(id, len))
			return spiffe_fail(d, id, len, "SPIFFE ID scheme is "
			    "not lowercase \"spiffe://\" (SPIFFE-ID 2.1)");
		return spiffe_fail(d, id, len, "SPIFFE ID does not start "
		    "with \"spiffe://\" (SPIFFE-ID 2)");
	}

	/*
	 * The authority runs to the first '/' or the end.  A '?', '#', '@'
	 * or ':' inside it is reported by check_td_chars() under its own
	 * rule (query, fragment, userinfo, port).
	 */
	slash = memchr(id + HC_SPIFFE_SCHEME_LEN, '/',
	    len - HC_SPIFFE_SCHEME_LEN);
	tdlen = (slash != NULL ? (size_t)(slash - id) : len) -
	    HC_SPIFFE_SCHEME_LEN;
	if (tdlen == 0)
		return spiffe_fail(d, id, len,
		    "trust domain is empty (SPIFFE-ID 2.1)");
	if (tdlen > HC_MAX_TRUST_DOMAIN_BYTES)
		return spiffe_fail(d, id, len, "trust domain is %zu bytes, "
		    "more than the limit of %d (SPIFFE-ID 2.3)", tdlen,
		    HC_MAX_TRUST_DOMAIN_BYTES);
	st = check_td_chars(id, len, HC_SPIFFE_SCHEME_LEN,
	    HC_SPIFFE_SCHEME_LEN + tdlen, d);
	if (st != HC_OK)
		return st;

	/* No path at all is the trust domain's own ID: valid here. */
	if (HC_SPIFFE_SCHEME_LEN + tdlen < len) {
		st = check_path(id, len, HC_SPIFFE_SCHEME_LEN + tdlen, d);
		if (st != HC_OK)
			return st;
	}
	if (td_len != NULL)
		*td_len = tdlen;
	return HC_OK;
}

/*
 * Checks a bare trust domain name, as written in configuration or a bundle
 * map key: the rules of SPIFFE-ID 2.1 and the length of 2.3, with no scheme
 * and no path.  Offsets in the detail count from the start of the name.
 */
hc_status
hc_spiffe_td_check(const char *td, size_t len, hc_detail *d)
{
	if (td == NULL)
		return hc_fail(d, HC_MALFORMED, "trust domain is missing");
	if (len == 0)
		return hc_fail(d, HC_MALFORMED,
		    "trust domain is empty (SPIFFE-ID 2.1)");
	/* A common slip: the ID of the trust domain instead of its name. */
	if (has_scheme_nocase(td, len))
		return spiffe_fail(d, td, len, "trust domain name must not "
		    "include the \"spiffe://\" scheme");
	if (len > HC_MAX_TRUST_DOMAIN_BYTES)
		return spiffe_fail(d, td, len, "trust domain is %zu bytes, "
		    "more than the limit of %d (SPIFFE-ID 2.3)", len,
		    HC_MAX_TRUST_DOMAIN_BYTES);
	return check_td_chars(td, len, 0, len, d);
}

/*
 * The public form of hc_spiffe_id_check(): on HC_OK the trust domain name
 * and the path ("" when there is none, else with its leading '/') are
 * returned as heap copies and *detail is set to NULL; on HC_MALFORMED both
 * are NULL and *detail holds the reason.  HC_INTERNAL means that a copy
 * could not be allocated, with nothing returned but the detail (itself
 * NULL if even that allocation failed).
 */
HC_EXPORT hc_status
hc_spiffe_id_parse(const char *id, size_t len, char **trust_domain,
    char **path, char **detail)
{
	hc_detail d;
	hc_status st;
	size_t tdlen = 0, off;
	char *td = NULL, *p = NULL;

	if (trust_domain != NULL)
		*trust_domain = NULL;
	if (path != NULL)
		*path = NULL;
	if (detail != NULL)
		*detail = NULL;
	d.text[0] = '\0';

	st = hc_spiffe_id_check(id, len, &tdlen, &d);
	if (st != HC_OK)
		goto fail;
	off = HC_SPIFFE_SCHEME_LEN + tdlen;
	if (trust_domain != NULL &&
	    (td = copy_range(id + HC_SPIFFE_SCHEME_LEN, tdlen)) == NULL) {
		st = hc_fail(&d, HC_INTERNAL, "out of memory copying a "
		    "SPIFFE ID");
		goto fail;
	}
	if (path != NULL && (p = copy_range(id + off, len - off)) == NULL) {
		st = hc_fail(&d, HC_INTERNAL, "out of memory copying a "
		    "SPIFFE ID");
		goto fail;
	}
	if (trust_domain != NULL)
		*trust_domain = td;
	if (path != NULL)
		*path = p;
	return HC_OK;

fail:
	free(td);
	free(p);
	if (detail != NULL)
		*detail = hc_strdup(d.text);
	return st;
}

/* ---------------------------------------------------------------- private */

/*
 * Formats the rule into d, then appends " in " and a quote of the start of
 * the `len` bytes at s.  hc_quote() wants a C string, so the prefix is
 * copied first; one byte more than it will show is kept so that it can
 * mark the cut with "...".  Always returns HC_MALFORMED.
 */
static hc_status
spiffe_fail(hc_detail *d, const char *s, size_t len, const char *fmt, ...)
{
	char rule[HC_DETAIL_MAX];
	char prefix[HC_DETAIL_VALUE_MAX + 2];
	char quoted[SPIFFE_QUOTE_BUF];
	size_t n;
	va_list ap;

	if (d == NULL)
		return HC_MALFORMED;
	va_start(ap, fmt);
	(void)vsnprintf(rule, sizeof(rule), fmt, ap);
	va_end(ap);
	n = len < HC_DETAIL_VALUE_MAX + 1 ? len : HC_DETAIL_VALUE_MAX + 1;
	memcpy(prefix, s, n);
	prefix[n] = '\0';
	return hc_fail(d, HC_MALFORMED, "%s in %s", rule,
	    hc_quote(quoted, sizeof(quoted), prefix));
}

/* Names byte c for a detail: 'E' when printable, else byte 0xNN. */
static const char *
char_name(char *buf, size_t n, unsigned char c)
{
	if (c == '\'' || c == '\\')
		(void)snprintf(buf, n, "'\\%c'", c);
	else if (c >= 0x20 && c < 0x7f)
		(void)snprintf(buf, n, "'%c'", c);
	else
		(void)snprintf(buf, n, "byte 0x%02x", c);
	return buf;
}

/* SPIFFE-ID 2.1: lowercase letters, digits, '.', '-', '_'. */
static bool
is_td_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	    c == '.' || c == '-' || c == '_';
}

/* SPIFFE-ID 2.2: letters of either case, digits, '.', '-', '_'. */
static bool
is_path_char(unsigned char c)
{
	return is_td_char(c) || (c >= 'A' && c <= 'Z');
}

/* Whether s starts with "spiffe://" in any mix of case (ASCII only). */
static bool
has_scheme_nocase(const char *s, size_t len)
{
	size_t i;

	if (len < HC_SPIFFE_SCHEME_LEN)
		return false;
	for (i = 0; i < HC_SPIFFE_SCHEME_LEN; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		if (c != (unsigned char)HC_SPIFFE_SCHEME[i])
			return false;
	}
	return true;
}

/*
 * Checks the trust domain bytes s[start..end) (SPIFFE-ID 2.1).  The bytes a
 * URI parser would read as another part of the authority or of the URI get
 * their own rule in the detail, so that an operator sees "port" rather than
 * a bare character complaint; offsets count from s.
 */
static hc_status
check_td_chars(const char *s, size_t len, size_t start, size_t end,
    hc_detail *d)
{
	char cn[SPIFFE_CHAR_BUF];
	size_t i;

	/*
	 * Userinfo first, as a URI parser would split it off before the
	 * host: in "user:pass@host" the ':' is not a port.  A '?' or '#'
	 * ends the authority, so an '@' after one is left to the loop.
	 */
	for (i = start; i < end && s[i] != '?' && s[i] != '#'; i++)
		if (s[i] == '@')
			return spiffe_fail(d, s, len, "trust domain has "
			    "userinfo: '@' at offset %zu (SPIFFE-ID 2.1)", i);
	for (i = start; i < end; i++) {
		unsigned char c = (unsigned char)s[i];

		if (is_td_char(c))
			continue;
		switch (c) {
		case ':':
			return spiffe_fail(d, s, len, "trust domain has a "
			    "port: ':' at offset %zu (SPIFFE-ID 2.1)", i);
		case '%':
			return spiffe_fail(d, s, len, "trust domain is "
			    "percent-encoded: '%%' at offset %zu "
			    "(SPIFFE-ID 2.1)", i);
		case '?':
			return spiffe_fail(d, s, len, "query is not allowed: "
			    "'?' at offset %zu (SPIFFE-ID 2)", i);
		case '#':
			return spiffe_fail(d, s, len, "fragment is not allowed: "
			    "'#' at offset %zu (SPIFFE-ID 2)", i);
		case '[':
		case ']':
			return spiffe_fail(d, s, len, "trust domain character "
			    "'%c' at offset %zu is not in [a-z0-9.-_]: IPv6 "
			    "literals are not trust domains (SPIFFE-ID 2.1)",
			    c, i);
		case '/':
			/* Only reachable for a bare name. */
			return spiffe_fail(d, s, len, "trust domain name has "
			    "a path: '/' at offset %zu (SPIFFE-ID 2.1)", i);
		case '\0':
			return spiffe_fail(d, s, len, "trust domain has a NUL "
			    "byte at offset %zu (SPIFFE-ID 2.1)", i);
		default:
			break;
		}
		if (c >= 'A' && c <= 'Z')
			return spiffe_fail(d, s, len, "trust domain character "
			    "'%c' at offset %zu is not lowercase [a-z0-9.-_] "
			    "(SPIFFE-ID 2.1)", c, i);
		return spiffe_fail(d, s, len, "trust domain character %s at "
		    "offset %zu is not in [a-z0-9.-_] (SPIFFE-ID 2.1)",
		    char_name(cn, sizeof(cn), c), i);
	}
	return HC_OK;
}

/*
 * Checks the path id[start..len), which starts with '/' (SPIFFE-ID 2.2):
 * segments of [a-zA-Z0-9.-_], none empty (no "//", no trailing '/') and
 * none exactly "." or "..".  Segments that merely contain dots, such as
 * ".a" or "...", are ordinary names.
 */
static hc_status
check_path(const char *id, size_t len, size_t start, hc_detail *d)
{
	char cn[SPIFFE_CHAR_BUF];
	size_t seg = start + 1, i, n;

	for (i = seg; i <= len; i++) {
		unsigned char c;

		if (i == len || id[i] == '/') {
			n = i - seg;
			if (n == 0 && i == len)
				return spiffe_fail(d, id, len, "path has a "
				    "trailing '/' at offset %zu "
				    "(SPIFFE-ID 2.2)", seg - 1);
			if (n == 0)
				return spiffe_fail(d, id, len, "path has an "
				    "empty segment: \"//\" at offset %zu "
				    "(SPIFFE-ID 2.2)", seg - 1);
			if ((n == 1 && id[seg] == '.') ||
			    (n == 2 && id[seg] == '.' && id[seg + 1] == '.'))
				return spiffe_fail(d, id, len, "path segment "
				    "\"%s\" is a relative path modifier "
				    "(offset %zu, SPIFFE-ID 2.2)",
				    n == 1 ? "." : "..", seg);
			seg = i + 1;
			continue;
		}
		c = (unsigned char)id[i];
		if (is_path_char(c))
			continue;
		switch (c) {
		case '%':
			return spiffe_fail(d, id, len, "path is "
			    "percent-encoded: '%%' at offset %zu "
			    "(SPIFFE-ID 2.2)", i);
		case '?':
			return spiffe_fail(d, id, len, "query is not allowed: "
			    "'?' at offset %zu (SPIFFE-ID 2)", i);
		case '#':
			return spiffe_fail(d, id, len, "fragment is not "
			    "allowed: '#' at offset %zu (SPIFFE-ID 2)", i);
		case '\0':
			return spiffe_fail(d, id, len, "path has a NUL byte "
			    "at offset %zu (SPIFFE-ID 2.2)", i);
		default:
			return spiffe_fail(d, id, len, "path character %s at "
			    "offset %zu is not in [a-zA-Z0-9.-_] "
			    "(SPIFFE-ID 2.2)", char_name(cn, sizeof(cn), c), i);
		}
	}
	return HC_OK;
}

/* A NUL-terminated heap copy of n bytes (n may be 0). */
static char *
copy_range(const char *s, size_t n)
{
	char *r = malloc(n + 1);

	if (r == NULL)
		return NULL;
	memcpy(r, s, n);
	r[n] = '\0';
	return r;
}
