/* SPDX-License-Identifier: Apache-2.0 */
/*
 * url.c - the loopback-host rule and the HOST[:PORT] splitter (url.h).
 *
 * The rule is written once, in url.h, and implemented once, here: every
 * file that lets something through only to this machine calls
 * hc_host_is_loopback().  The parsing is byte by byte over a length, with
 * the ASCII classes spelt out, so that neither the locale nor a missing NUL
 * can change the answer.
 */
#include <string.h>

#include "url.h"

/* Largest port number. */
#define URL_PORT_MAX      65535
/* Digits in the largest port number. */
#define URL_PORT_DIGITS   5
/* Digits in an IPv4 octet. */
#define URL_OCTET_DIGITS  3

/* ------------------------------------------------------------ private */

static bool
is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

static char
to_lower(char ch)
{
	return ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
}

/* Whether the n bytes at s equal the lowercase word, ignoring ASCII case. */
static bool
ascii_ieq(const char *s, size_t n, const char *lower)
{
	size_t i;

	for (i = 0; i < n && lower[i] != '\0'; i++)
		if (to_lower(s[i]) != lower[i])
			return false;
	return i == n && lower[i] == '\0';
}

/*
 * Whether the n bytes at s are an IPv4 address in 127.0.0.0/8 written as
 * four decimal octets 0..255, each without a leading zero.
 */
static bool
is_loopback_v4(const char *s, size_t n)
{
	size_t i = 0;

	for (unsigned part = 0; part < 4; part++) {
		size_t start = i;
		unsigned v = 0;

		while (i < n && is_digit(s[i]) && i - start < URL_OCTET_DIGITS)
			v = v * 10 + (unsigned)(s[i++] - '0');
		if (i == start || v > 255 || (s[start] == '0' && i - start > 1))
			return false;
		if (part == 0 && v != 127)
			return false;
		if (part < 3) {
			if (i >= n || s[i] != '.')
				return false;
			i++;
		}
	}
	return i == n;
}

/* Parses "1".."65535" (n bytes, digits only); 0 when not a port. */
static unsigned
parse_port(const char *s, size_t n)
{
	unsigned v = 0;

	if (n == 0 || n > URL_PORT_DIGITS || s[0] == '0')
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return 0;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	return v <= URL_PORT_MAX ? v : 0;
}

/* ---------------------------------------------------------------- API */

bool
hc_host_is_loopback(const char *host, size_t len)
{
	if (host == NULL || len == 0)
		return false;
	if ((len == 3 && memcmp(host, "::1", 3) == 0) ||
	    (len == 5 && memcmp(host, "[::1]", 5) == 0))
		return true;
	if (ascii_ieq(host, len, "localhost"))
		return true;
	return is_loopback_v4(host, len);
}

bool
hc_hostport_split(const char *s, size_t n, hc_hostport *out)
{
	const char *rest;
	size_t rlen;

	memset(out, 0, sizeof(*out));
	if (s == NULL)
		return false;
	if (n > 0 && s[0] == '[') {
		const char *end = memchr(s, ']', n);

		if (end == NULL)
			return false;
		out->host = s + 1;
		out->hlen = (size_t)(end - s) - 1;
		out->bracketed = true;
		rest = end + 1;
	} else {
		const char *colon = memchr(s, ':', n);

		out->host = s;
		out->hlen = colon != NULL ? (size_t)(colon - s) : n;
		rest = s + out->hlen;
	}
	rlen = n - (size_t)(rest - s);
	if (rlen == 0)
		return out->hlen > 0;
	if (rest[0] != ':')
		return false;
	out->has_port = true;
	out->port = parse_port(rest + 1, rlen - 1);
	return out->hlen > 0 && out->port != 0;
}

/*
 * A bracketed host is looked at with its brackets, which the split left in
 * place just outside [host, host + hlen), so that "[127.0.0.1]" stays what
 * the rule says it is: not loopback.
 */
bool
hc_hostport_is_loopback(const hc_hostport *hp)
{
	if (hp == NULL || hp->host == NULL)
		return false;
	if (hp->bracketed)
		return hc_host_is_loopback(hp->host - 1, hp->hlen + 2);
	return hc_host_is_loopback(hp->host, hp->hlen);
}
