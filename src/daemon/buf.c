/* SPDX-License-Identifier: Apache-2.0 */
/*
 * buf.c - growable text buffers and JSON string escaping for hopcheckd.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

/* Makes room for n more bytes and the NUL; false once the buffer failed. */
static bool
reserve(hcd_buf *b, size_t n)
{
	size_t cap;
	char *p;

	if (b->failed)
		return false;
	if (n > HCD_BUF_MAX || b->len + n + 1 > HCD_BUF_MAX) {
		b->failed = true;
		return false;
	}
	if (b->len + n + 1 <= b->cap)
		return true;
	cap = b->cap ? b->cap : 256;
	while (cap < b->len + n + 1)
		cap *= 2;
	if ((p = realloc(b->p, cap)) == NULL) {
		b->failed = true;
		return false;
	}
	b->p = p;
	b->cap = cap;
	return true;
}

void
hcd_buf_add(hcd_buf *b, const char *s, size_t n)
{
	if (!reserve(b, n))
		return;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void
hcd_buf_puts(hcd_buf *b, const char *s)
{
	hcd_buf_add(b, s, strlen(s));
}

void
hcd_buf_printf(hcd_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->failed = true;
		return;
	}
	if (!reserve(b, (size_t)n))
		return;
	va_start(ap, fmt);
	(void)vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/*
 * Length of the well-formed UTF-8 sequence at s (RFC 3629 section 4: no
 * overlong forms, no surrogates, nothing above U+10FFFF), or 0.
 */
static size_t
utf8_len(const unsigned char *s)
{
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		return (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (s[0] >= 0xe0 && s[0] <= 0xef) {
		if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
			return 0;
		if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] > 0x9f))
			return 0;
		return 3;
	}
	if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 ||
		    (s[3] & 0xc0) != 0x80)
			return 0;
		if ((s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] > 0x8f))
			return 0;
		return 4;
	}
	return 0;
}

void
hcd_buf_json_string(hcd_buf *b, const char *str)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)str;
	char esc[8];

	if (s == NULL) {
		hcd_buf_puts(b, "null");
		return;
	}
	hcd_buf_add(b, "\"", 1);
	while (*s != '\0') {
		size_t run = 0, n;
		/* Copy the longest run that needs no escaping at once. */
		while (s[run] >= 0x20 && s[run] < 0x7f && s[run] != '"' &&
		    s[run] != '\\')
			run++;
		if (run > 0) {
			hcd_buf_add(b, (const char *)s, run);
			s += run;
			continue;
		}
		if (*s == '"' || *s == '\\') {
			esc[0] = '\\';
			esc[1] = (char)*s;
			hcd_buf_add(b, esc, 2);
			s++;
		} else if (*s < 0x20 || *s == 0x7f) {
			memcpy(esc, "\\u00", 4);
			esc[4] = hex[*s >> 4];
			esc[5] = hex[*s & 15];
			hcd_buf_add(b, esc, 6);
			s++;
		} else if ((n = utf8_len(s)) > 0) {
			hcd_buf_add(b, (const char *)s, n);
			s += n;
		} else {
			hcd_buf_puts(b, "\\ufffd");
			s++;
		}
	}
	hcd_buf_add(b, "\"", 1);
}

char *
hcd_buf_take(hcd_buf *b, size_t *len)
{
	char *p = NULL;

	if (!b->failed && reserve(b, 0)) {
		p = b->p;
		if (len != NULL)
			*len = b->len;
		b->p = NULL;
	} else {
		free(b->p);
		b->p = NULL;
	}
	b->len = b->cap = 0;
	b->failed = false;
	return p;
}

void
hcd_buf_free(hcd_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
	b->failed = false;
}
