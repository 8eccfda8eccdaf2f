/* SPDX-License-Identifier: Apache-2.0 */
/*
 * b64url.c - strict base64url (RFC 7515 section 2; RFC 4648 section 5).
 *
 * JWS uses the URL-safe alphabet without padding.  The decoder accepts one
 * encoding per byte string and nothing else: no '=', no whitespace, no '+'
 * or '/', no length of 1 mod 4, and the unused low bits of the last
 * character must be zero (RFC 4648 section 3.5 lets a decoder reject
 * otherwise; we do, so that a token has exactly one valid spelling and
 * signature or thumbprint aliases cannot exist).
 */
#include <string.h>

#include "internal.h"

static const char enc_table[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/*
 * The value of each byte as a base64url digit, -1 for a byte outside the
 * alphabet: one load per character where a chain of range tests took about
 * twenty instructions (the token cache decodes every hit's claims again).
 */
static const signed char dec_table[256] = {
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 62, -1, -1,
	52, 53, 54, 55, 56, 57, 58, 59, 60, 61, -1, -1, -1, -1, -1, -1,
	-1,  0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14,
	15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, -1, -1, -1, -1, 63,
	-1, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40,
	41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
};

/* Value of a base64url character, or -1. */
static int
dec_char(unsigned char c)
{
	return dec_table[c];
}

int
hc_b64url_decode(const char *in, size_t n, unsigned char *out, size_t cap,
    size_t *outlen)
{
	size_t full = n / 4, rem = n % 4, o = 0;
	int v[4];

	*outlen = 0;
	if (rem == 1)
		return -1;
	if (full * 3 + (rem ? rem - 1 : 0) > cap)
		return -1;
	for (size_t i = 0; i < full; i++) {
		const unsigned char *p = (const unsigned char *)in + i * 4;
		int a = dec_table[p[0]], b = dec_table[p[1]], c = dec_table[p[2]],
		    e = dec_table[p[3]];
		uint32_t w;

		if ((a | b | c | e) < 0)
			return -1;
		w = (uint32_t)a << 18 | (uint32_t)b << 12 | (uint32_t)c << 6 |
		    (uint32_t)e;
		out[o++] = (unsigned char)(w >> 16);
		out[o++] = (unsigned char)(w >> 8);
		out[o++] = (unsigned char)w;
	}
	if (rem > 0) {
		const char *t = in + full * 4;
		for (size_t k = 0; k < rem; k++)
			if ((v[k] = dec_char((unsigned char)t[k])) < 0)
				return -1;
		out[o++] = (unsigned char)((v[0] << 2) | (v[1] >> 4));
		if (rem == 2) {
			if ((v[1] & 15) != 0)
				return -1;  /* non-canonical trailing bits */
		} else {
			out[o++] = (unsigned char)(((v[1] & 15) << 4) | (v[2] >> 2));
			if ((v[2] & 3) != 0)
				return -1;
		}
	}
	*outlen = o;
	return 0;
}

void
hc_b64url_encode(const unsigned char *in, size_t n, char *out)
{
	size_t o = 0, i = 0;

	for (; i + 3 <= n; i += 3) {
		unsigned w = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8 |
		    in[i + 2];
		out[o++] = enc_table[(w >> 18) & 63];
		out[o++] = enc_table[(w >> 12) & 63];
		out[o++] = enc_table[(w >> 6) & 63];
		out[o++] = enc_table[w & 63];
	}
	if (n - i == 1) {
		unsigned w = (unsigned)in[i] << 16;
		out[o++] = enc_table[(w >> 18) & 63];
		out[o++] = enc_table[(w >> 12) & 63];
	} else if (n - i == 2) {
		unsigned w = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8;
		out[o++] = enc_table[(w >> 18) & 63];
		out[o++] = enc_table[(w >> 12) & 63];
		out[o++] = enc_table[(w >> 6) & 63];
	}
	out[o] = '\0';
}
