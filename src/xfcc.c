/* SPDX-License-Identifier: Apache-2.0 */
/*
 * xfcc.c - Envoy's x-forwarded-client-cert header, text format: the
 * strict tokeniser of the whole value, and the reading of its last
 * element (`Hash`, `Cert`, `URI`) into what a request needs to know about
 * the peer.  Every size is bounded by hc_limits.h (HC_MAX_XFCC_BYTES,
 * HC_MAX_XFCC_PAIRS, HC_MAX_CERT_BYTES, HC_MAX_SPIFFE_ID_BYTES).
 *
 * Nothing here decides whether the header is believed: the daemon passes
 * one on only from the front proxy its configuration names (xfcc.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "crypto.h"
#include "xfcc.h"

/* One value of an XFCC key=value pair, as it stands in the header. */
struct xfcc_span {
	const char *p;
	size_t len;
};

/* The fields of one XFCC element that hopcheck reads. */
struct xfcc_elem {
	struct xfcc_span hash, cert, uri;
	size_t nhash, ncert, nuri, npairs;
};

/* ------------------------------------------------------ private prototypes */

static bool is_tchar(unsigned char ch);
static bool is_ows(char ch);
static bool is_bare(char ch);
static bool key_is(const char *k, size_t klen, const char *name);
static hc_status xfcc_record(struct xfcc_elem *e, const char *k,
    size_t klen, struct xfcc_span v, size_t elem, hc_detail *d);
static hc_status xfcc_value(const char *v, size_t len, size_t *i,
    struct xfcc_span *val, hc_detail *d);
static hc_status xfcc_scan(const char *v, size_t len,
    struct xfcc_elem *last, hc_detail *d);
static hc_status xfcc_hash(const struct xfcc_span *s, unsigned char *out,
    hc_detail *d);
static hc_status xfcc_cert(const struct xfcc_span *s, unsigned char **der,
    size_t *derlen, hc_detail *d);
static hc_status xfcc_from_cert(const struct xfcc_elem *e,
    const unsigned char *hash, hc_xfcc_peer *out, hc_detail *d);

/* -------------------------------------------------------------------- API */

hc_status
hc_xfcc_parse(const char *value, size_t len, char **x5t_b64url,
    char **spiffe_id, hc_detail *d)
{
	hc_xfcc_peer p;
	hc_status st;

	*x5t_b64url = NULL;
	*spiffe_id = NULL;
	if ((st = hc_xfcc_read(value, len, &p, d)) != HC_OK)
		return st;
	if (p.has_x5t && (*x5t_b64url = hc_strdup(p.x5t)) == NULL) {
		hc_xfcc_peer_clear(&p);
		return hc_fail(d, HC_INTERNAL, "out of memory");
	}
	*spiffe_id = p.spiffe_id;
	p.spiffe_id = NULL;
	hc_xfcc_peer_clear(&p);
	return HC_OK;
}

/* ---------------------------------------------------------------- parsing */

/*
 * Envoy's x-forwarded-client-cert, text format (Envoy documentation,
 * "HTTP header manipulation", section x-forwarded-client-cert;
 * docs/root/configuration/http/http_conn_man/headers.rst): elements
 * separated by ',', each added by one proxy; in an element, key=value
 * pairs separated by ';'; keys case-insensitive, values case-sensitive,
 * double-quoted when they hold ',', ';' or '=', with \" for a quote.
 *
 * Which element: "A proxy can append the current client certificate
 * information as an XFCC element, to the end of the request's XFCC header
 * after a comma" (same section), and Envoy removes the header altogether
 * when the connection it terminated was not mutual TLS, except in the
 * FORWARD_ONLY / ALWAYS_FORWARD_ONLY modes (mutateXfccRequestHeader in
 * source/common/http/conn_manager_utility.cc).  So the last element is the
 * one the nearest proxy, the trusted front proxy, wrote about the peer it
 * authenticated; earlier elements are whatever that peer chose to send and
 * are never believed.  The whole header is still parsed strictly, so that
 * an unbalanced quote in an earlier element cannot swallow the separator
 * of the last one.
 */

/* Every XFCC reason starts with the header's name. */
static hc_status xfcc_fail(hc_detail *d, hc_status st, const char *fmt, ...)
    HC_PRINTF(3, 4);

static hc_status
xfcc_fail(hc_detail *d, hc_status st, const char *fmt, ...)
{
	char msg[HC_DETAIL_MAX];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return hc_fail(d, st, "x-forwarded-client-cert: %s", msg);
}

/* RFC 9110 section 5.6.2: tchar. */
static bool
is_tchar(unsigned char ch)
{
	if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	    (ch >= '0' && ch <= '9'))
		return true;
	return ch != '\0' && strchr("!#$%&'*+-.^_`|~", ch) != NULL;
}

/* RFC 9110 section 5.6.3: OWS, as a list of field lines adds it. */
static bool
is_ows(char ch)
{
	return ch == ' ' || ch == '\t';
}

/* A byte of an unquoted value: visible ASCII but for '"', '\', ';', ','. */
static bool
is_bare(char ch)
{
	return ch > 0x20 && ch < 0x7f && ch != '"' && ch != '\\' &&
	    ch != ';' && ch != ',';
}

static bool
key_is(const char *k, size_t klen, const char *name)
{
	return klen == strlen(name) && strncasecmp(k, name, klen) == 0;
}

/* Notes one pair of element number `elem` (1-based) in *e. */
static hc_status
xfcc_record(struct xfcc_elem *e, const char *k, size_t klen,
    struct xfcc_span v, size_t elem, hc_detail *d)
{
	if (++e->npairs > HC_MAX_XFCC_PAIRS)
		return xfcc_fail(d, HC_MALFORMED, "element %zu has more than "
		    "%d pairs", elem, HC_MAX_XFCC_PAIRS);
	if (key_is(k, klen, "Hash")) {
		if (e->nhash++ > 0)
			return xfcc_fail(d, HC_MALFORMED, "element %zu has "
			    "two Hash keys", elem);
		e->hash = v;
	} else if (key_is(k, klen, "Cert")) {
		if (e->ncert++ > 0)
			return xfcc_fail(d, HC_MALFORMED, "element %zu has "
			    "two Cert keys", elem);
		e->cert = v;
	} else if (key_is(k, klen, "URI")) {
		/* Envoy writes "URI=" for a certificate without one. */
		if (v.len > 0 && e->nuri++ == 0)
			e->uri = v;
	}
	return HC_OK;
}

/*
 * Reads the value that starts at v[*i] into *val and moves *i past it.  A
 * quoted value runs to the next unescaped '"' (a backslash escapes the
 * byte after it) and may hold any byte but a control byte; an unquoted one
 * is a run of is_bare() bytes.
 */
static hc_status
xfcc_value(const char *v, size_t len, size_t *i, struct xfcc_span *val,
    hc_detail *d)
{
	size_t k = *i;

	if (k >= len || v[k] != '"') {
		val->p = v + k;
		while (k < len && is_bare(v[k]))
			k++;
		val->len = (size_t)(v + k - val->p);
		*i = k;
		return HC_OK;
	}
	val->p = v + ++k;
	while (k < len && v[k] != '"') {
		unsigned char ch = (unsigned char)v[k];

		if ((ch < 0x20 && ch != '\t') || ch == 0x7f)
			return xfcc_fail(d, HC_MALFORMED, "control byte "
			    "0x%02x at offset %zu", ch, k);
		k += ch == '\\' ? 2 : 1;
	}
	if (k >= len)
		return xfcc_fail(d, HC_MALFORMED, "quoted value at offset "
		    "%zu is not closed", *i);
	val->len = (size_t)(v + k - val->p);
	*i = k + 1;
	return HC_OK;
}

/*
 * Tokenises the whole header and leaves the fields of its last element in
 * *last.  Empty elements, pairs without '=' and stray bytes after a value
 * are errors.
 */
static hc_status
xfcc_scan(const char *v, size_t len, struct xfcc_elem *last, hc_detail *d)
{
	struct xfcc_elem e;
	struct xfcc_span val = { NULL, 0 };
	size_t i = 0, elem = 0, ks, klen;
	hc_status st;

	for (;;) {
		memset(&e, 0, sizeof(e));
		elem++;
		while (i < len && is_ows(v[i]))
			i++;
		if (i >= len || v[i] == ',')
			return xfcc_fail(d, HC_MALFORMED, "element %zu is "
			    "empty", elem);
		for (;;) {
			for (ks = i; i < len && is_tchar((unsigned char)v[i]);)
				i++;
			klen = i - ks;
			if (klen == 0 || i >= len || v[i] != '=')
				return xfcc_fail(d, HC_MALFORMED, "element "
				    "%zu: no key=value at offset %zu", elem,
				    ks);
			i++;
			if ((st = xfcc_value(v, len, &i, &val, d)) != HC_OK ||
			    (st = xfcc_record(&e, v + ks, klen, val, elem,
			    d)) != HC_OK)
				return st;
			while (i < len && is_ows(v[i]))
				i++;
			if (i >= len) {
				*last = e;
				return HC_OK;
			}
			if (v[i++] == ',')
				break;
			if (v[i - 1] != ';')
				return xfcc_fail(d, HC_MALFORMED, "element "
				    "%zu: unexpected byte 0x%02x at offset %zu",
				    elem, (unsigned char)v[i - 1], i - 1);
		}
	}
}

/* `Hash`: the SHA-256 of the DER leaf as exactly 64 hex digits. */
static hc_status
xfcc_hash(const struct xfcc_span *s, unsigned char *out, hc_detail *d)
{
	if (s->len != 2 * HC_X5T_BYTES)
		return xfcc_fail(d, HC_MALFORMED, "Hash is %zu characters, "
		    "not the %d hex digits of a SHA-256 digest", s->len,
		    2 * HC_X5T_BYTES);
	for (size_t i = 0; i < HC_X5T_BYTES; i++) {
		int hi = hc_hex_digit((unsigned char)s->p[2 * i]);
		int lo = hc_hex_digit((unsigned char)s->p[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return xfcc_fail(d, HC_MALFORMED, "Hash has a "
			    "non-hex character near offset %zu", 2 * i);
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return HC_OK;
}

/*
 * `Cert`: the URL-encoded PEM leaf.  Percent-escapes are decoded (RFC 3986
 * section 2.1); any other byte stands for itself and must be visible
 * ASCII.  The result goes through hc_x509_to_der(), so the thumbprint is
 * always taken over the DER of the first certificate, never over the text.
 */
static hc_status
xfcc_cert(const struct xfcc_span *s, unsigned char **der, size_t *derlen,
    hc_detail *d)
{
	unsigned char *pem;
	size_t n = 0;
	hc_detail why;
	hc_status st = HC_OK;

	*der = NULL;
	*derlen = 0;
	why.text[0] = '\0';
	if ((pem = malloc(s->len + 1)) == NULL)
		return hc_fail(d, HC_INTERNAL, "out of memory");
	for (size_t i = 0; i < s->len && st == HC_OK; i++) {
		unsigned char ch = (unsigned char)s->p[i];
		int hi = -1, lo = -1;

		if (ch != '%') {
			if (ch > 0x20 && ch < 0x7f && ch != '"' && ch != '\\')
				pem[n++] = ch;
			else
				st = xfcc_fail(d, HC_MALFORMED, "Cert has byte "
				    "0x%02x at offset %zu; it must be "
				    "URL-encoded", ch, i);
			continue;
		}
		if (i + 2 < s->len) {
			hi = hc_hex_digit((unsigned char)s->p[i + 1]);
			lo = hc_hex_digit((unsigned char)s->p[i + 2]);
		}
		if (hi < 0 || lo < 0)
			st = xfcc_fail(d, HC_MALFORMED, "Cert has a bad "
			    "percent-escape at offset %zu", i);
		else
			pem[n++] = (unsigned char)(hi << 4 | lo);
		i += 2;
	}
	if (st == HC_OK && n > HC_MAX_CERT_BYTES)
		st = xfcc_fail(d, HC_MALFORMED, "Cert is %zu bytes, over the "
		    "limit of %d", n, HC_MAX_CERT_BYTES);
	if (st == HC_OK &&
	    (st = hc_x509_to_der(pem, n, der, derlen, &why)) != HC_OK)
		st = xfcc_fail(d, st, "Cert: %s", why.text);
	free(pem);
	return st;
}

/*
 * With `Cert`: the leaf's DER, its thumbprint (which `Hash`, if any, must
 * equal) and its only URI SAN (which `URI`, if any, must equal).
 */
static hc_status
xfcc_from_cert(const struct xfcc_elem *e, const unsigned char *hash,
    hc_xfcc_peer *out, hc_detail *d)
{
	unsigned char digest[HC_X5T_BYTES];
	hc_x509_identity ident;
	char q[HC_QBUF], q2[HC_QBUF], uri[HC_MAX_SPIFFE_ID_BYTES + 1];
	hc_detail why;
	hc_status st;

	why.text[0] = '\0';
	if ((st = xfcc_cert(&e->cert, &out->der, &out->derlen, d)) != HC_OK)
		return st;
	hc_crypto()->sha256(out->der, out->derlen, digest);
	if (e->nhash > 0 && hc_ct_memcmp(hash, digest, HC_X5T_BYTES) != 0)
		return xfcc_fail(d, HC_BINDING, "Hash is not the SHA-256 of "
		    "the DER of Cert");
	if (hc_x509_identity_of(out->der, out->derlen, &ident, &why) != HC_OK)
		return xfcc_fail(d, HC_PEER, "Cert: %s", why.text);
	if (ident.uri_sans > 1) {
		st = xfcc_fail(d, HC_PEER, "Cert has %zu URI SANs; an "
		    "X.509-SVID has exactly one (X509-SVID section 2)",
		    ident.uri_sans);
		goto out;
	}
	if (e->nuri > 0) {
		memcpy(uri, e->uri.p, e->uri.len);
		uri[e->uri.len] = '\0';
		if (ident.spiffe_id == NULL ||
		    strcmp(ident.spiffe_id, uri) != 0) {
			st = xfcc_fail(d, HC_PEER, "URI %s is not the URI SAN "
			    "of Cert (%s)", hc_quote(q, sizeof(q), uri),
			    hc_quote(q2, sizeof(q2), ident.spiffe_id));
			goto out;
		}
	}
	hc_b64url_encode(digest, sizeof(digest), out->x5t);
	out->has_x5t = true;
	out->spiffe_id = ident.spiffe_id;
	ident.spiffe_id = NULL;
out:
	hc_x509_identity_clear(&ident);
	return st;
}

hc_status
hc_xfcc_read(const char *value, size_t len, hc_xfcc_peer *out,
    hc_detail *d)
{
	unsigned char hash[HC_X5T_BYTES];
	struct xfcc_elem e;
	size_t i;
	hc_status st;

	memset(out, 0, sizeof(*out));
	memset(&e, 0, sizeof(e));
	if (value == NULL || len == 0)
		return xfcc_fail(d, HC_MALFORMED, "empty");
	if (len > HC_MAX_XFCC_BYTES)
		return xfcc_fail(d, HC_MALFORMED, "%zu bytes, over the limit "
		    "of %d", len, HC_MAX_XFCC_BYTES);
	for (i = 0; i < len && is_ows(value[i]); i++)
		;
	if (i < len && (value[i] == '[' || value[i] == '{'))
		return xfcc_fail(d, HC_MALFORMED, "Envoy's JSON format is not "
		    "read, only its text format");
	if ((st = xfcc_scan(value, len, &e, d)) != HC_OK)
		return st;
	if (e.nhash == 0 && e.ncert == 0 && e.nuri == 0)
		return xfcc_fail(d, HC_MALFORMED, "the last element has no "
		    "Hash, Cert or URI");
	if (e.nuri > 1)
		return xfcc_fail(d, HC_PEER, "the last element lists %zu URI "
		    "SANs; an X.509-SVID has exactly one (X509-SVID section "
		    "2)", e.nuri);
	if (e.uri.len > HC_MAX_SPIFFE_ID_BYTES)
		return xfcc_fail(d, HC_MALFORMED, "URI is %zu bytes, longer "
		    "than a SPIFFE ID may be (%d)", e.uri.len,
		    HC_MAX_SPIFFE_ID_BYTES);
	if (e.uri.len > 0 && memchr(e.uri.p, '\\', e.uri.len) != NULL)
		return xfcc_fail(d, HC_MALFORMED, "URI holds a backslash");
	if (e.nhash > 0 && (st = xfcc_hash(&e.hash, hash, d)) != HC_OK)
		return st;

	if (e.ncert > 0)
		st = xfcc_from_cert(&e, hash, out, d);
	else {
		if (e.nhash > 0) {
			hc_b64url_encode(hash, sizeof(hash), out->x5t);
			out->has_x5t = true;
		}
		if (e.nuri > 0 &&
		    (out->spiffe_id = strndup(e.uri.p, e.uri.len)) == NULL)
			st = hc_fail(d, HC_INTERNAL, "out of memory");
	}
	if (st != HC_OK)
		hc_xfcc_peer_clear(out);
	return st;
}

void
hc_xfcc_peer_clear(hc_xfcc_peer *p)
{
	free(p->spiffe_id);
	free(p->der);
	memset(p, 0, sizeof(*p));
}
