/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pop.c - what the proof-of-possession verifiers share (pop.h): strict
 * syntax of the header values, typ, NumericDates, token hashes, alg and
 * crit, and the normal forms of the URIs a proof names: the
 * DPoP `htu` (RFC 9449 section 4.3 item 9, "ignoring any query and
 * fragment parts", with the RFC 3986 sections 6.2.2 and 6.2.3
 * normalisation it recommends) and the WIMSE WPT `aud`
 * (draft-ietf-wimse-wpt-02 sections 2 and 3.1, where the authorities
 * allowed come from configuration, never from Host or X-Forwarded-Host).
 *
 * The URI rules are listed in pop.h.  Everything is a left-to-right scan
 * over at most HC_MAX_POP_URI_BYTES bytes into a buffer no longer than the
 * input plus one; nothing is resolved or decoded beyond unreserved
 * characters.
 */
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>
#include <strings.h>

#include "crypto.h"
#include "jwk.h"
#include "pop.h"
#include "url.h"

/* ------------------------------------------------------------- helpers */

static bool
is_alpha(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static bool
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static char
lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* RFC 3986 section 2.3. */
static bool
unreserved(int c)
{
	return is_alpha(c) || is_digit(c) || c == '-' || c == '.' ||
	    c == '_' || c == '~';
}

/* RFC 3986 section 3.3: pchar without '%', plus '/'. */
static bool
path_char(int c)
{
	return unreserved(c) || strchr("!$&'()*+,;=:@/", c) != NULL;
}

/*
 * RFC 3986 section 5.2.4, in place on a path that starts with '/': each
 * "." segment goes, each ".." segment takes the one before it.
 */
static void
remove_dot_segments(char *p)
{
	char *in = p, *out = p;

	while (*in != '\0') {
		if (strncmp(in, "/./", 3) == 0) {
			in += 2;
		} else if (strcmp(in, "/.") == 0) {
			in[1] = '\0';
		} else if (strncmp(in, "/../", 4) == 0 ||
		    strcmp(in, "/..") == 0) {
			in += 3;
			while (out > p && *--out != '/')
				;
			if (*in == '\0') {
				*out++ = '/';
				break;
			}
		} else {
			do
				*out++ = *in++;
			while (*in != '\0' && *in != '/');
		}
	}
	*out = '\0';
	if (p[0] == '\0')
		(void)memcpy(p, "/", 2);
}

/* ----------------------------------------------------------------- API */

hc_status
hc_pop_uri_normalize(const char *uri, size_t len, const char *what,
    char **out, hc_detail *d)
{
	static const char hex[] = "0123456789ABCDEF";
	char q[HC_QBUF];
	const char *s = uri, *end, *auth, *aend, *host, *hend, *port = NULL;
	size_t i, o = 0;
	unsigned long pv = 0;
	char *buf, *path;
	bool https;

	*out = NULL;
	if (len > HC_MAX_POP_URI_BYTES)
		return hc_fail(d, HC_AUDIENCE, "%s is %zu bytes, more than %d",
		    what, len, HC_MAX_POP_URI_BYTES);
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x21 || (unsigned char)s[i] > 0x7e)
			return hc_fail(d, HC_AUDIENCE, "%s holds a control "
			    "character, space or non-ASCII byte at offset %zu",
			    what, i);
	/* The query and the fragment are ignored (RFC 9449 section 4.3). */
	end = s + len;
	for (const char *t = s; t < end; t++)
		if (*t == '?' || *t == '#') {
			end = t;
			break;
		}
	/* RFC 3986 section 3.1: scheme = ALPHA *( ALPHA / DIGIT / + - . ). */
	for (i = 0; s + i < end && (is_alpha(s[i]) || (i > 0 &&
	    (is_digit(s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.')));
	    i++)
		;
	if (i == 0 || end - (s + i) < 3 || memcmp(s + i, "://", 3) != 0) {
		char head[HC_DETAIL_VALUE_MAX + 1];
		size_t hl = len < HC_DETAIL_VALUE_MAX ? len :
		    HC_DETAIL_VALUE_MAX;

		/* uri holds len bytes, not necessarily a NUL after them. */
		memcpy(head, uri, hl);
		head[hl] = '\0';
		return hc_fail(d, HC_AUDIENCE, "%s %s is not an absolute URI "
		    "with an authority (RFC 3986 section 4.3)", what,
		    hc_quote(q, sizeof(q), head));
	}
	if ((buf = malloc(len + 2)) == NULL)
		return hc_fail(d, HC_INTERNAL, "out of memory");
	for (size_t k = 0; k < i; k++)
		buf[o++] = lower(s[k]);
	https = i == 5 && memcmp(buf, "https", 5) == 0;
	memcpy(buf + o, "://", 3);
	o += 3;

	auth = s + i + 3;
	for (aend = auth; aend < end && *aend != '/'; aend++)
		;
	if (memchr(auth, '@', (size_t)(aend - auth)) != NULL) {
		free(buf);
		return hc_fail(d, HC_AUDIENCE, "%s carries userinfo; a target "
		    "URI has none", what);
	}
	host = auth;
	if (host < aend && *host == '[') {
		hend = memchr(host, ']', (size_t)(aend - host));
		if (hend == NULL) {
			free(buf);
			return hc_fail(d, HC_AUDIENCE, "%s has an unclosed IP "
			    "literal", what);
		}
		hend++;
		if (hend < aend && *hend != ':') {
			free(buf);
			return hc_fail(d, HC_AUDIENCE, "%s has bytes after its "
			    "IP literal", what);
		}
	} else {
		hend = memchr(host, ':', (size_t)(aend - host));
		if (hend == NULL)
			hend = aend;
	}
	if (hend < aend)
		port = hend + 1;
	if (hend == host) {
		free(buf);
		return hc_fail(d, HC_AUDIENCE, "%s has an empty host", what);
	}
	for (const char *h = host; h < hend; h++) {
		bool lit = *host == '[';

		if (!(unreserved(*h) || (lit && (*h == '[' || *h == ']' ||
		    *h == ':')))) {
			free(buf);
			return hc_fail(d, HC_AUDIENCE, "%s host has byte '%c', "
			    "not allowed here", what, *h);
		}
		buf[o++] = lower(*h);
	}
	if (port != NULL) {
		const char *pp;

		for (pp = port; pp < aend; pp++) {
			if (!is_digit(*pp) || pv > 65535) {
				free(buf);
				return hc_fail(d, HC_AUDIENCE, "%s has a bad "
				    "port", what);
			}
			pv = pv * 10 + (unsigned long)(*pp - '0');
		}
		if (pv > 65535 || (pp > port && pv == 0)) {
			free(buf);
			return hc_fail(d, HC_AUDIENCE, "%s has port %lu, out of "
			    "range", what, pv);
		}
		/* RFC 3986 section 6.2.3: an empty or default port goes. */
		if (pp > port && pv != (https ? 443UL : 0UL) &&
		    !(i == 4 && memcmp(buf, "http", 4) == 0 && pv == 80))
			o += (size_t)snprintf(buf + o, len + 2 - o, ":%lu", pv);
	}

	path = buf + o;
	for (const char *t = aend; t < end; t++) {
		unsigned char c = (unsigned char)*t;

		if (c == '%') {
			int h, l;

			if (end - t < 3 || (h = hc_hex_digit(t[1])) < 0 ||
			    (l = hc_hex_digit(t[2])) < 0) {
				free(buf);
				return hc_fail(d, HC_AUDIENCE, "%s has a '%%' not "
				    "followed by two hex digits", what);
			}
			c = (unsigned char)(h * 16 + l);
			t += 2;
			if (unreserved(c)) {
				buf[o++] = (char)c;
			} else {
				buf[o++] = '%';
				buf[o++] = hex[c >> 4];
				buf[o++] = hex[c & 15];
			}
			continue;
		}
		if (!path_char(c)) {
			free(buf);
			return hc_fail(d, HC_AUDIENCE, "%s path has byte '%c', "
			    "not allowed in a URI path", what, c);
		}
		buf[o++] = (char)c;
	}
	buf[o] = '\0';
	if (path[0] == '\0')
		(void)memcpy(path, "/", 2);
	else
		remove_dot_segments(path);
	*out = buf;
	return HC_OK;
}

bool
hc_pop_origin_parse(const char *s, char **out, hc_detail *d)
{
	char *n = NULL, *p;
	const char *h;
	size_t hl;

	*out = NULL;
	if (strpbrk(s, "?#") != NULL) {
		hc_fail(d, HC_CONFIG, "an origin has no query or fragment");
		return false;
	}
	if (hc_pop_uri_normalize(s, strlen(s), "origin", &n, d) != HC_OK)
		return false;
	h = strstr(n, "://") + 3;
	p = strchr(h, '/');
	if (p == NULL || strcmp(p, "/") != 0) {
		hc_fail(d, HC_CONFIG, "an origin is scheme://host[:port] "
		    "without a path");
		free(n);
		return false;
	}
	*p = '\0';
	if (strncmp(n, "https://", 8) != 0) {
		hc_hostport hp;

		if (strncmp(n, "http://", 7) != 0) {
			hc_fail(d, HC_CONFIG, "an origin's scheme is https, "
			    "or http for a loopback host");
			free(n);
			return false;
		}
		hl = strlen(h);
		if (!hc_hostport_split(h, hl, &hp) ||
		    !hc_hostport_is_loopback(&hp)) {
			hc_fail(d, HC_CONFIG, "plain http is allowed only for "
			    "a loopback host (127.0.0.1, ::1, localhost)");
			free(n);
			return false;
		}
	}
	*out = n;
	return true;
}

hc_status
hc_pop_uri_match(const char *uri, const char *what, const hc_strlist *origins,
    const char *path, char **norm_out, hc_detail *d)
{
	char q[HC_QBUF], q2[HC_QBUF];
	char *claim = NULL, *want = NULL, *first = NULL;
	size_t plen;
	hc_status st;

	if (norm_out != NULL)
		*norm_out = NULL;
	if (origins == NULL || origins->n == 0)
		return hc_fail(d, HC_AUDIENCE, "no service.origins configured "
		    "to compare %s with", what);
	if (path == NULL || path[0] != '/')
		return hc_fail(d, HC_AUDIENCE, "the request path is not "
		    "origin-relative (it must start with '/')");
	plen = strcspn(path, "?#");
	if ((st = hc_pop_uri_normalize(uri, strlen(uri), what, &claim, d)) !=
	    HC_OK)
		return st;
	for (size_t i = 0; i < origins->n; i++) {
		size_t ol = strlen(origins->v[i]);
		char *cat = malloc(ol + plen + 1);

		if (cat == NULL) {
			st = hc_fail(d, HC_INTERNAL, "out of memory");
			goto out;
		}
		memcpy(cat, origins->v[i], ol);
		memcpy(cat + ol, path, plen);
		cat[ol + plen] = '\0';
		st = hc_pop_uri_normalize(cat, ol + plen, "request URI",
		    &want, d);
		free(cat);
		if (st != HC_OK)
			goto out;
		if (strcmp(claim, want) == 0) {
			if (norm_out != NULL) {
				*norm_out = claim;
				claim = NULL;
			}
			st = HC_OK;
			goto out;
		}
		if (first == NULL)
			first = want;
		else
			free(want);
		want = NULL;
	}
	st = hc_fail(d, HC_AUDIENCE, "%s %s is not this request's URI %s "
	    "(service.origins + the request path, query and fragment "
	    "ignored)", what, hc_quote(q, sizeof(q), claim),
	    hc_quote(q2, sizeof(q2), first != NULL ? first : "?"));
out:
	free(claim);
	free(want);
	free(first);
	return st;
}

/* ------------------------------------------------------- shared checks */

hc_status
hc_pop_compact_check(const char *tok, size_t len, const char *what,
    hc_detail *d)
{
	size_t dots = 0;

	if (tok == NULL || len == 0)
		return hc_fail(d, HC_MALFORMED, "%s is empty", what);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)tok[i];

		if (c == '.') {
			dots++;
			continue;
		}
		if (is_alpha(c) || is_digit(c) || c == '-' || c == '_')
			continue;
		if (c == ',')
			return hc_fail(d, HC_MALFORMED, "%s holds a comma: two "
			    "header fields joined, or a list; exactly one "
			    "compact JWT is allowed", what);
		return hc_fail(d, HC_MALFORMED, "%s has byte 0x%02x at offset "
		    "%zu; a compact JWT is base64url and two dots only (no "
		    "padding)", what, c, i);
	}
	if (dots != 2)
		return hc_fail(d, HC_MALFORMED, "%s has %zu segments; a compact "
		    "JWT has exactly 3", what, dots + 1);
	return HC_OK;
}

hc_status
hc_pop_typ_check(const hc_json *header, const char *want, const char *what,
    hc_detail *d)
{
	char q[HC_QBUF];
	const hc_json *j = hc_json_get(header, "typ");
	const char *t = hc_json_string(j);

	if (j == NULL)
		return hc_fail(d, HC_TYPE, "%s has no typ; it must be \"%s\" "
		    "(explicit typing, RFC 8725 section 3.11)", what, want);
	if (t == NULL)
		return hc_fail(d, HC_TYPE, "%s typ is a %s, not a string", what,
		    hc_json_type_name(hc_json_type_of(j)));
	if (strncasecmp(t, "application/", 12) == 0)
		t += 12;
	if (strcasecmp(t, want) != 0)
		return hc_fail(d, HC_TYPE, "%s typ is %s, not \"%s\"", what,
		    hc_quote(q, sizeof(q), hc_json_string(j)), want);
	return HC_OK;
}

hc_status
hc_pop_numeric_date(const hc_json *obj, const char *name, const char *what,
    int64_t *out, bool *present, hc_detail *d)
{
	const hc_json *j = hc_json_get(obj, name);
	double v;

	*out = 0;
	*present = j != NULL;
	if (j == NULL)
		return HC_OK;
	if (!hc_json_number(j, &v))
		return hc_fail(d, HC_CLAIM, "%s %s is a %s, not a NumericDate",
		    what, name, hc_json_type_name(hc_json_type_of(j)));
	if (!isfinite(v) || v < 0 || v > HC_MAX_NUMERIC_DATE)
		return hc_fail(d, HC_CLAIM, "%s %s is out of the NumericDate "
		    "range 0..%.0f", what, name, HC_MAX_NUMERIC_DATE);
	*out = (int64_t)floor(v);
	return HC_OK;
}

void
hc_pop_hash(const char *tok, size_t len, char *out)
{
	unsigned char digest[HC_JKT_BYTES];

	hc_crypto()->sha256((const unsigned char *)tok, len, digest);
	hc_b64url_encode(digest, sizeof(digest), out);
}

hc_status
hc_pop_hash_check(const hc_json *obj, const char *name, const char *tok,
    size_t len, const char *what, bool *present, hc_detail *d)
{
	char want[HC_JKT_LEN + 1], q[HC_QBUF];
	const hc_json *j = hc_json_get(obj, name);
	const char *s = hc_json_string(j);

	*present = s != NULL;
	if (j != NULL && s == NULL)
		return hc_fail(d, HC_CLAIM, "%s %s is a %s, not a string", what,
		    name, hc_json_type_name(hc_json_type_of(j)));
	if (s == NULL)
		return HC_OK;
	hc_pop_hash(tok, len, want);
	if (strlen(s) != HC_JKT_LEN ||
	    hc_ct_memcmp(s, want, HC_JKT_LEN) != 0)
		return hc_fail(d, HC_BINDING, "%s %s %s is not the SHA-256 of "
		    "the token presented with it", what, name,
		    hc_quote(q, sizeof(q), s));
	return HC_OK;
}

hc_status
hc_pop_alg_check(const hc_json *header, unsigned mask, const char *what,
    hc_alg *out, hc_detail *d)
{
	char q[HC_QBUF];
	const hc_json *j = hc_json_get(header, "alg");
	const char *a = hc_json_string(j), *why = NULL;
	hc_alg alg;

	*out = HC_ALG_UNKNOWN;
	if (j == NULL)
		return hc_fail(d, HC_ALG, "%s has no alg", what);
	if (a == NULL)
		return hc_fail(d, HC_ALG, "%s alg is a %s, not a string", what,
		    hc_json_type_name(hc_json_type_of(j)));
	alg = hc_alg_from_name(a);
	if (alg == HC_ALG_UNKNOWN || hc_alg_kty(alg) == HC_KTY_OCT)
		return hc_fail(d, HC_ALG, "%s alg %s is not an asymmetric "
		    "signature algorithm (none and MACs are never allowed)",
		    what, hc_quote(q, sizeof(q), a));
	if (!hc_alg_supported(alg, &why))
		return hc_fail(d, HC_ALG, "%s alg %s: %s", what, a,
		    why != NULL ? why : "not supported by this backend");
	if ((mask & HC_ALG_BIT(alg)) == 0)
		return hc_fail(d, HC_ALG, "%s alg %s is not in the configured "
		    "algorithms", what, a);
	*out = alg;
	return HC_OK;
}

hc_status
hc_pop_crit_check(const hc_json *header, const char *what, hc_detail *d)
{
	if (hc_json_get(header, "crit") != NULL)
		return hc_fail(d, HC_CRIT, "%s carries crit; hopcheck "
		    "understands no JWS extension (RFC 7515 section 4.1.11)",
		    what);
	return HC_OK;
}
