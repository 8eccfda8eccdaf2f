/* SPDX-License-Identifier: Apache-2.0 */
/*
 * json_scan.c - the validating scanner every JSON text passes before any
 * tree is built (json.c).
 *
 * It enforces the RFC 8259 grammar exactly, well-formed UTF-8 (RFC 3629:
 * no overlong forms, no surrogates, nothing above U+10FFFF), paired
 * surrogate escapes, no U+0000 (which cJSON would silently end a string
 * at), a nesting depth of at most HC_JSON_MAX_DEPTH and at most
 * HC_JSON_MAX_MEMBERS members per container, and counts the values so
 * that the builder can size its one block.  It allocates nothing and keeps
 * no state; the recursion is bounded by HC_JSON_MAX_DEPTH.
 */
#include <stddef.h>
#include <string.h>

#include "internal.h"

typedef struct scan {
	const unsigned char *s;
	size_t n;
	size_t i;
	hc_detail *d;
	const char *what;        /* "JSON", for details */
	size_t nodes;            /* values seen: the tree's node count */
} scan;

static hc_status scan_value(scan *sc, unsigned depth);

/*
 * Fails the scan with HC_MALFORMED, naming the byte offset but never the bytes
 * (the document may be a token payload).
 */
static hc_status
scan_err(scan *sc, const char *msg)
{
	return hc_fail(sc->d, HC_MALFORMED, "%s: %s at byte %zu", sc->what, msg,
	    sc->i);
}

/* Skips the four whitespace bytes of RFC 8259 section 2, and no others. */
static void
skip_ws(scan *sc)
{
	while (sc->i < sc->n && (sc->s[sc->i] == ' ' || sc->s[sc->i] == '\t' ||
	    sc->s[sc->i] == '\n' || sc->s[sc->i] == '\r'))
		sc->i++;
}

/* Reads the 4 hex digits after "\u" at sc->i; -1 when not hex. */
static long
scan_u4(scan *sc)
{
	long v = 0;

	if (sc->n - sc->i < 4)
		return -1;
	for (int k = 0; k < 4; k++) {
		int h = hc_hex_digit(sc->s[sc->i + (size_t)k]);
		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	sc->i += 4;
	return v;
}

/*
 * Validates one UTF-8 sequence starting at sc->i (a byte >= 0x80) and
 * advances past it (RFC 3629 section 4, the table of well-formed bytes).
 */
static hc_status
scan_utf8(scan *sc)
{
	const unsigned char *p = sc->s + sc->i;
	size_t left = sc->n - sc->i, len;
	unsigned char lo = 0x80, hi = 0xbf;

	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		len = 3;
		if (p[0] == 0xe0)
			lo = 0xa0;          /* overlong */
		else if (p[0] == 0xed)
			hi = 0x9f;          /* surrogates */
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		len = 4;
		if (p[0] == 0xf0)
			lo = 0x90;          /* overlong */
		else if (p[0] == 0xf4)
			hi = 0x8f;          /* above U+10FFFF */
	} else
		return scan_err(sc, "invalid UTF-8 lead byte");
	if (left < len)
		return scan_err(sc, "truncated UTF-8 sequence");
	if (p[1] < lo || p[1] > hi)
		return scan_err(sc, "invalid UTF-8 sequence");
	for (size_t k = 2; k < len; k++)
		if (p[k] < 0x80 || p[k] > 0xbf)
			return scan_err(sc, "invalid UTF-8 sequence");
	sc->i += len;
	return HC_OK;
}

/*
 * Scans the string whose opening quote is at sc->i and leaves sc->i past its
 * closing quote.  Refuses what cJSON would let through (RFC 8259 sections 7
 * and 8.2): raw control bytes, ill-formed UTF-8, unknown escapes, an unpaired
 * surrogate escape, and an escaped U+0000, at which cJSON would silently cut
 * the string.
 */
static hc_status
scan_string(scan *sc)
{
	sc->i++;                        /* opening quote */
	for (;;) {
		if (sc->i >= sc->n)
			return scan_err(sc, "unterminated string");
		unsigned char c = sc->s[sc->i];
		if (c == '"') {
			sc->i++;
			return HC_OK;
		}
		if (c < 0x20)
			return scan_err(sc, "control character in string");
		if (c >= 0x80) {
			hc_status st = scan_utf8(sc);
			if (st != HC_OK)
				return st;
			continue;
		}
		if (c != '\\') {
			sc->i++;
			continue;
		}
		if (++sc->i >= sc->n)
			return scan_err(sc, "unterminated escape");
		c = sc->s[sc->i++];
		if (strchr("\"\\/bfnrt", c) != NULL && c != '\0')
			continue;
		if (c != 'u')
			return scan_err(sc, "invalid escape");
		long u = scan_u4(sc);
		if (u < 0)
			return scan_err(sc, "invalid \\u escape");
		if (u == 0)
			return scan_err(sc, "escaped U+0000 in string");
		if (u >= 0xdc00 && u <= 0xdfff)
			return scan_err(sc, "unpaired low surrogate escape");
		if (u >= 0xd800 && u <= 0xdbff) {
			if (sc->n - sc->i < 2 || sc->s[sc->i] != '\\' ||
			    sc->s[sc->i + 1] != 'u')
				return scan_err(sc, "unpaired high surrogate escape");
			sc->i += 2;
			long lo = scan_u4(sc);
			if (lo < 0xdc00 || lo > 0xdfff)
				return scan_err(sc, "unpaired high surrogate escape");
		}
	}
}

/*
 * Scans the number at sc->i by the RFC 8259 section 6 grammar (no leading
 * zero, no '+', digits on both sides of '.' and after 'e'), and refuses one
 * longer than HC_JSON_MAX_NUMBER_CHARS, so that cJSON never meets a number it
 * would read differently.
 */
static hc_status
scan_number(scan *sc)
{
	const unsigned char *s = sc->s;
	size_t start = sc->i;

	if (s[sc->i] == '-')
		sc->i++;
	if (sc->i >= sc->n)
		return scan_err(sc, "invalid number");
	if (s[sc->i] == '0')
		sc->i++;
	else if (s[sc->i] >= '1' && s[sc->i] <= '9')
		while (sc->i < sc->n && s[sc->i] >= '0' && s[sc->i] <= '9')
			sc->i++;
	else
		return scan_err(sc, "invalid number");
	if (sc->i < sc->n && s[sc->i] == '.') {
		sc->i++;
		if (sc->i >= sc->n || s[sc->i] < '0' || s[sc->i] > '9')
			return scan_err(sc, "invalid number");
		while (sc->i < sc->n && s[sc->i] >= '0' && s[sc->i] <= '9')
			sc->i++;
	}
	if (sc->i < sc->n && (s[sc->i] == 'e' || s[sc->i] == 'E')) {
		sc->i++;
		if (sc->i < sc->n && (s[sc->i] == '+' || s[sc->i] == '-'))
			sc->i++;
		if (sc->i >= sc->n || s[sc->i] < '0' || s[sc->i] > '9')
			return scan_err(sc, "invalid number");
		while (sc->i < sc->n && s[sc->i] >= '0' && s[sc->i] <= '9')
			sc->i++;
	}
	if (sc->i - start > HC_JSON_MAX_NUMBER_CHARS)
		return scan_err(sc, "number too long");
	return HC_OK;
}

/*
 * Scans the literal `lit` (true, false or null) at sc->i, exactly and
 * case-sensitively.
 */
static hc_status
scan_literal(scan *sc, const char *lit)
{
	size_t l = strlen(lit);

	if (sc->n - sc->i < l || memcmp(sc->s + sc->i, lit, l) != 0)
		return scan_err(sc, "invalid literal");
	sc->i += l;
	return HC_OK;
}

/* Scans an array or object body; the recursion is bounded by `depth`. */
static hc_status
scan_container(scan *sc, unsigned depth)
{
	unsigned char close = sc->s[sc->i] == '{' ? '}' : ']';
	size_t count = 0;
	hc_status st;

	if (depth >= HC_JSON_MAX_DEPTH)
		return scan_err(sc, "nesting too deep");
	sc->i++;
	skip_ws(sc);
	if (sc->i < sc->n && sc->s[sc->i] == close) {
		sc->i++;
		return HC_OK;
	}
	for (;;) {
		if (++count > HC_JSON_MAX_MEMBERS)
			return scan_err(sc, "too many members");
		skip_ws(sc);
		if (close == '}') {
			if (sc->i >= sc->n || sc->s[sc->i] != '"')
				return scan_err(sc, "expected a member name");
			if ((st = scan_string(sc)) != HC_OK)
				return st;
			skip_ws(sc);
			if (sc->i >= sc->n || sc->s[sc->i] != ':')
				return scan_err(sc, "expected ':'");
			sc->i++;
		}
		if ((st = scan_value(sc, depth + 1)) != HC_OK)
			return st;
		skip_ws(sc);
		if (sc->i >= sc->n)
			return scan_err(sc, "unexpected end");
		if (sc->s[sc->i] == close) {
			sc->i++;
			return HC_OK;
		}
		if (sc->s[sc->i] != ',')
			return scan_err(sc, "expected ',' or end of container");
		sc->i++;
	}
}

/*
 * Scans one value of any type at sc->i, after any whitespace.  `depth` counts
 * the containers around it and bounds the recursion through scan_container().
 */
static hc_status
scan_value(scan *sc, unsigned depth)
{
	sc->nodes++;
	skip_ws(sc);
	if (sc->i >= sc->n)
		return scan_err(sc, "unexpected end");
	switch (sc->s[sc->i]) {
	case '{':
	case '[':
		return scan_container(sc, depth);
	case '"':
		return scan_string(sc);
	case 't':
		return scan_literal(sc, "true");
	case 'f':
		return scan_literal(sc, "false");
	case 'n':
		return scan_literal(sc, "null");
	default:
		if (sc->s[sc->i] == '-' ||
		    (sc->s[sc->i] >= '0' && sc->s[sc->i] <= '9'))
			return scan_number(sc);
		return scan_err(sc, "unexpected character");
	}
}

hc_status
hc_json_scan(const char *buf, size_t len, size_t *nodes, hc_detail *d)
{
	scan sc = { (const unsigned char *)buf, len, 0, d, "JSON", 0 };
	hc_status st;

	*nodes = 0;
	if ((st = scan_value(&sc, 0)) != HC_OK)
		return st;
	skip_ws(&sc);
	if (sc.i != len)
		return scan_err(&sc, "trailing bytes after the value");
	*nodes = sc.nodes;
	return HC_OK;
}
