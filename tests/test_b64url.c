/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_b64url.c - the strict base64url codec (src/b64url.c).
 *
 * RFC 7515 section 2 defines base64url as RFC 4648 section 5 with the
 * padding omitted and nothing else allowed in the text.  The decoder must
 * accept exactly one spelling of each byte string, so the suite checks,
 * besides the RFC 4648 section 10 vectors and round trips:
 *
 *  - every byte outside the alphabet, at every position of a group, in a
 *    full group and in both kinds of partial group, is refused ('=', '+',
 *    '/', whitespace, NUL, '.', bytes >= 0x80, ...);
 *  - a length of 1 mod 4 is refused (6 bits cannot make a byte);
 *  - every alias that differs from the canonical spelling only in the
 *    unused trailing bits of the last character is refused (RFC 4648
 *    section 3.5), exhaustively for lengths 2 and 3 mod 4;
 *  - the decoder never writes more than `cap` bytes, and the size macros
 *    bound what the codec produces.
 *
 * Expected encodings come from an independent bit-at-a-time encoder in
 * this file, not from the library's encoder.  Inputs are handed over in
 * heap buffers of exactly their length, with no terminator, so that a read
 * past `n` shows under AddressSanitizer.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "testutil.h"

static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* ------------------------------------------------------------ support */

/* A heap copy of the n bytes at s, without a terminator. */
static char *
exact(const char *s, size_t n)
{
	char *p = malloc(n > 0 ? n : 1);

	if (p == NULL)
		abort();
	if (n > 0)
		memcpy(p, s, n);
	return p;
}

/* Decodes the n bytes at s (copied to an exact buffer); 0 or -1. */
static int
dec(const char *s, size_t n, unsigned char *out, size_t cap, size_t *outlen)
{
	char *in = exact(s, n);
	int rc = hc_b64url_decode(in, n, out, cap, outlen);

	free(in);
	return rc;
}

/* Decodes a NUL-terminated string with a roomy output buffer. */
static int
dec_str(const char *s, unsigned char *out, size_t *outlen)
{
	return dec(s, strlen(s), out, HC_B64URL_DECODED_MAX(strlen(s)), outlen);
}

/*
 * The reference encoder: emits 6 bits at a time from a bit accumulator,
 * the way RFC 4648 section 4 describes it, then drops the padding.
 */
static void
ref_encode(const unsigned char *in, size_t n, char *out)
{
	uint32_t acc = 0;
	unsigned bits = 0;
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		acc = (acc << 8) | in[i];
		bits += 8;
		while (bits >= 6) {
			bits -= 6;
			out[o++] = alphabet[(acc >> bits) & 63];
		}
	}
	if (bits > 0)
		out[o++] = alphabet[(acc << (6 - bits)) & 63];
	out[o] = '\0';
}

/* Value of an alphabet character (the test's own table). */
static int
val(char c)
{
	const char *p = strchr(alphabet, c);

	return c != '\0' && p != NULL ? (int)(p - alphabet) : -1;
}

/* A small deterministic generator (xorshift32), for repeatable data. */
static uint32_t
next_rand(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/* --------------------------------------------------------- vectors */

/* RFC 4648 section 10, in the URL-safe alphabet without padding. */
static void
test_rfc4648_vectors(void)
{
	static const struct {
		const char *plain;
		const char *enc;
	} v[] = {
		{ "", "" },
		{ "f", "Zg" },
		{ "fo", "Zm8" },
		{ "foo", "Zm9v" },
		{ "foob", "Zm9vYg" },
		{ "fooba", "Zm9vYmE" },
		{ "foobar", "Zm9vYmFy" },
	};
	char enc[16];
	unsigned char out[16];
	size_t n, i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		size_t pl = strlen(v[i].plain);

		memset(enc, 'X', sizeof(enc));
		hc_b64url_encode((const unsigned char *)v[i].plain, pl, enc);
		CU_ASSERT_STRING_EQUAL(enc, v[i].enc);
		CU_ASSERT_EQUAL(HC_B64URL_ENCODED_LEN(pl), strlen(v[i].enc));

		n = 99;
		CU_ASSERT_EQUAL(dec_str(v[i].enc, out, &n), 0);
		CU_ASSERT_EQUAL(n, pl);
		CU_ASSERT(memcmp(out, v[i].plain, pl) == 0);
	}
}

/*
 * The two characters where base64url differs from base64: 0xfb 0xff is
 * "+/8=" in RFC 4648 section 4 and "-_8" here; 0xf8 is "-A".
 */
static void
test_url_alphabet(void)
{
	static const unsigned char b[] = { 0xfb, 0xff }, c[] = { 0xf8 };
	char enc[8];
	unsigned char out[8];
	size_t n;

	hc_b64url_encode(b, 2, enc);
	CU_ASSERT_STRING_EQUAL(enc, "-_8");
	hc_b64url_encode(c, 1, enc);
	CU_ASSERT_STRING_EQUAL(enc, "-A");
	CU_ASSERT_EQUAL(dec_str("-_8", out, &n), 0);
	CU_ASSERT_EQUAL(n, 2);
	CU_ASSERT(memcmp(out, b, 2) == 0);
	/* The same bytes in the standard alphabet are refused. */
	CU_ASSERT_EQUAL(dec_str("+/8", out, &n), -1);
	CU_ASSERT_EQUAL(dec_str("+/8=", out, &n), -1);
	CU_ASSERT_EQUAL(n, 0);
}

/* Every byte value, in every position of a 3-byte group. */
static void
test_all_byte_values(void)
{
	unsigned char in[258], out[258];
	char enc[HC_B64URL_ENCODED_LEN(258) + 1], ref[sizeof(enc)];
	size_t n;

	for (size_t shift = 0; shift < 3; shift++) {
		size_t len = 256 + shift;
		for (size_t i = 0; i < len; i++)
			in[i] = (unsigned char)(i - shift);
		hc_b64url_encode(in, len, enc);
		ref_encode(in, len, ref);
		CU_ASSERT_STRING_EQUAL(enc, ref);
		CU_ASSERT_EQUAL(dec(ref, strlen(ref), out, len, &n), 0);
		CU_ASSERT_EQUAL(n, len);
		CU_ASSERT(memcmp(in, out, len) == 0);
	}
}

/* Random data of every length 0..300 survives encode and decode. */
static void
test_round_trip(void)
{
	unsigned char in[300] = { 0 }, out[300 + 8];
	char enc[HC_B64URL_ENCODED_LEN(300) + 2], ref[sizeof(enc)];
	uint32_t seed = 0x9e3779b9u;
	size_t n;

	for (size_t len = 0; len <= 300; len++) {
		for (size_t i = 0; i < len; i++)
			in[i] = (unsigned char)next_rand(&seed);
		memset(enc, '*', sizeof(enc));
		hc_b64url_encode(in, len, enc);
		ref_encode(in, len, ref);
		CU_ASSERT_STRING_EQUAL(enc, ref);
		CU_ASSERT_EQUAL(strlen(enc), HC_B64URL_ENCODED_LEN(len));
		/* The encoder writes the text and its NUL, nothing more. */
		CU_ASSERT_EQUAL(enc[HC_B64URL_ENCODED_LEN(len) + 1], '*');
		CU_ASSERT_PTR_NULL(strpbrk(enc, "=+/ \n"));

		n = 12345;
		CU_ASSERT_EQUAL(dec(enc, strlen(enc), out, len, &n), 0);
		CU_ASSERT_EQUAL(n, len);
		CU_ASSERT(len == 0 || memcmp(in, out, len) == 0);
	}
}

/* The decoder reads exactly n bytes: what follows is not part of it. */
static void
test_length_is_honoured(void)
{
	unsigned char out[16];
	size_t n;

	CU_ASSERT_EQUAL(hc_b64url_decode("Zm9vYmFy!!!!", 8, out, sizeof(out),
	    &n), 0);
	CU_ASSERT_EQUAL(n, 6);
	CU_ASSERT(memcmp(out, "foobar", 6) == 0);
	CU_ASSERT_EQUAL(hc_b64url_decode("Zm9v====", 4, out, sizeof(out), &n),
	    0);
	CU_ASSERT_EQUAL(n, 3);
	CU_ASSERT_EQUAL(hc_b64url_decode("Zg==", 0, out, 0, &n), 0);
	CU_ASSERT_EQUAL(n, 0);
}

/* ------------------------------------------------------ rejections */

/*
 * Every byte that is not in the alphabet, put in place of each character
 * of a full group ("Zm9vYmFy"), of a 3-character tail ("Zm9vYmE") and of
 * a 2-character tail ("Zm9vYg"), makes the decoding fail.  This covers
 * '=', '+', '/', '.', space, tab, CR, LF, NUL and every byte >= 0x80.
 */
/* Decodes `base` with byte c at pos; 1 when refused as it must be. */
static int
refused_with(const char *base, unsigned c, size_t pos)
{
	size_t len = strlen(base), n = 99;
	unsigned char out[16];
	char s[16];

	memcpy(s, base, len);
	s[pos] = (char)c;
	if (dec(s, len, out, sizeof(out), &n) == -1 && n == 0)
		return 1;
	fprintf(stderr, "\naccepted 0x%02x at %zu of %s\n", c, pos, base);
	return 0;
}

static void
test_non_alphabet_bytes(void)
{
	static const char *const base[] = { "Zm9vYmFy", "Zm9vYmE", "Zm9vYg" };
	size_t bad = 0, refused = 0;

	for (size_t b = 0; b < sizeof(base) / sizeof(base[0]); b++) {
		for (unsigned c = 0; c < 256; c++) {
			if (c != 0 && strchr(alphabet, (int)c) != NULL)
				continue;
			for (size_t pos = 0; pos < strlen(base[b]); pos++) {
				bad++;
				if (refused_with(base[b], c, pos))
					refused++;
			}
		}
	}
	CU_ASSERT_EQUAL(bad, (256 - 64) * (8 + 7 + 6));
	CU_ASSERT_EQUAL(refused, bad);
}

/* Padding, whitespace and separators, spelled out. */
static void
test_named_rejections(void)
{
	static const char *const bad[] = {
		"Zg==", "Zg=", "Zm8=", "Zm9v====", "Zm9v=", "Z=9v", "====",
		"Zm9v YmFy", "Zm9v\nYmFy", "Zm9v\r\nYmFy", "\tZm9v", "Zm9v ",
		" Zm9v", "Zm9v\n", "Zm+v", "Zm/v", "+/8=", "Zm9v.YmFy",
	};
	unsigned char out[16];
	size_t n;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = dec_str(bad[i], out, &n);
		if (rc != -1)
			fprintf(stderr, "\naccepted \"%s\"\n", bad[i]);
		CU_ASSERT_EQUAL(rc, -1);
	}
	/* A NUL inside the counted bytes is not the end of the input. */
	CU_ASSERT_EQUAL(dec("Zm\0v", 4, out, sizeof(out), &n), -1);
	CU_ASSERT_EQUAL(dec("Zm9vYm\0y", 8, out, sizeof(out), &n), -1);
	CU_ASSERT_EQUAL(dec("Zm9vY\0", 6, out, sizeof(out), &n), -1);
	CU_ASSERT_EQUAL(dec("\xc3\xa9\xc3\xa9", 4, out, sizeof(out), &n), -1);
}

/* Lengths of 1 mod 4 carry 6 stray bits: never a valid encoding. */
static void
test_length_one_mod_four(void)
{
	char s[64];
	unsigned char out[64];
	size_t n;

	memset(s, 'A', sizeof(s));
	for (size_t len = 0; len <= 41; len++) {
		int rc = dec(s, len, out, sizeof(out), &n);
		if (len % 4 == 1) {
			CU_ASSERT_EQUAL(rc, -1);
			CU_ASSERT_EQUAL(n, 0);
		} else {
			CU_ASSERT_EQUAL(rc, 0);
			size_t want = len / 4 * 3 + (len % 4 ? len % 4 - 1 : 0);
			CU_ASSERT_EQUAL(n, want);
		}
	}
	CU_ASSERT_EQUAL(dec_str("Zm9vY", out, &n), -1);
	CU_ASSERT_EQUAL(dec_str("Z", out, &n), -1);
}

/*
 * Length 2 mod 4: the last character carries 2 data bits and 4 unused
 * bits.  For every pair of characters, the decoder must accept exactly
 * when the unused bits are zero, and then produce the byte the two data
 * fields make; the 15 aliases of each canonical spelling are refused.
 * Tried alone and after a full group.
 */
static void
test_trailing_bits_two(void)
{
	unsigned char out[8];
	size_t n, accepted = 0, aliases = 0;
	char s[8];

	memcpy(s, "Zm9v", 4);
	for (size_t off = 0; off <= 4; off += 4) {
		for (int a = 0; a < 64; a++) {
			for (int b = 0; b < 64; b++) {
				int rc;
				s[off] = alphabet[a];
				s[off + 1] = alphabet[b];
				rc = dec(s, off + 2, out, sizeof(out), &n);
				if ((b & 15) != 0) {
					aliases += rc == -1;
					continue;
				}
				CU_ASSERT_EQUAL(rc, 0);
				CU_ASSERT_EQUAL(n, off / 4 * 3 + 1);
				CU_ASSERT_EQUAL(out[n - 1],
				    (unsigned char)(a << 2 | b >> 4));
				accepted++;
			}
		}
	}
	CU_ASSERT_EQUAL(accepted, 2 * 64 * 4);
	CU_ASSERT_EQUAL(aliases, 2 * 64 * 60);
}

/*
 * Length 3 mod 4: the last character carries 4 data bits and 2 unused
 * bits; every 3-character string is tried, accepted exactly when those 2
 * bits are zero, and the 3 aliases of each canonical spelling refused.
 */
/*
 * Decodes the 3 characters of values a, b, c; 1 when the decoder does
 * what it must: accept with the two bytes the data bits make when the 2
 * unused bits of c are zero, refuse otherwise.
 */
static int
three_ok(int a, int b, int c)
{
	char s[3] = { alphabet[a], alphabet[b], alphabet[c] };
	unsigned char out[8];
	size_t n;
	int rc = hc_b64url_decode(s, 3, out, sizeof(out), &n);

	if ((c & 3) != 0)
		return rc == -1;
	return rc == 0 && n == 2 &&
	    out[0] == (unsigned char)(a << 2 | b >> 4) &&
	    out[1] == (unsigned char)((b & 15) << 4 | c >> 2);
}

static void
test_trailing_bits_three(void)
{
	unsigned char out[8];
	size_t n, right = 0;

	for (int a = 0; a < 64; a++)
		for (int b = 0; b < 64; b++)
			for (int c = 0; c < 64; c++)
				right += (size_t)three_ok(a, b, c);
	CU_ASSERT_EQUAL(right, 64 * 64 * 64);

	/* After a full group too, on one sample. */
	CU_ASSERT_EQUAL(dec_str("Zm9vYmE", out, &n), 0);
	CU_ASSERT_EQUAL(dec_str("Zm9vYmF", out, &n), -1);
	CU_ASSERT_EQUAL(dec_str("Zm9vYmG", out, &n), -1);
	CU_ASSERT_EQUAL(dec_str("Zm9vYmH", out, &n), -1);
	/* And the RFC 8705 Appendix A thumbprint and its alias. */
	{
		static const char x5t[] =
		    "A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0";
		static const char alias[] =
		    "A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v1";
		unsigned char h[32];
		CU_ASSERT_EQUAL(dec(x5t, 43, h, sizeof(h), &n), 0);
		CU_ASSERT_EQUAL(n, 32);
		CU_ASSERT_EQUAL(dec(alias, 43, h, sizeof(h), &n), -1);
	}
}

/* ----------------------------------------------------------- bounds */

/* Output that would not fit in `cap` is refused, and nothing spills. */
static void
test_capacity(void)
{
	static const struct {
		const char *enc;
		size_t need;
	} v[] = {
		{ "Zg", 1 }, { "Zm8", 2 }, { "Zm9v", 3 }, { "Zm9vYg", 4 },
		{ "Zm9vYmE", 5 }, { "Zm9vYmFy", 6 },
	};
	unsigned char out[16];
	size_t n;

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		size_t len = strlen(v[i].enc);
		for (size_t cap = 0; cap < v[i].need; cap++) {
			memset(out, 0xa5, sizeof(out));
			n = 99;
			CU_ASSERT_EQUAL(dec(v[i].enc, len, out, cap, &n), -1);
			CU_ASSERT_EQUAL(n, 0);
			for (size_t k = cap; k < sizeof(out); k++)
				CU_ASSERT_EQUAL(out[k], 0xa5);
		}
		memset(out, 0xa5, sizeof(out));
		CU_ASSERT_EQUAL(dec(v[i].enc, len, out, v[i].need, &n), 0);
		CU_ASSERT_EQUAL(n, v[i].need);
		CU_ASSERT_EQUAL(out[v[i].need], 0xa5);
	}
	/* A heap buffer of exactly the decoded size (ASan sees any spill). */
	{
		unsigned char *h = malloc(6);
		CU_ASSERT_FATAL(h != NULL);
		CU_ASSERT_EQUAL(dec("Zm9vYmFy", 8, h, 6, &n), 0);
		CU_ASSERT(memcmp(h, "foobar", 6) == 0);
		free(h);
	}
}

/*
 * HC_B64URL_ENCODED_LEN(n) is exactly ceil(4n / 3); HC_B64URL_DECODED_MAX
 * of an encoded length is never below what it decodes to, and is tight
 * within the 2 bytes the header allows.
 */
static void
test_size_macros(void)
{
	for (size_t n = 0; n <= 3000; n++) {
		size_t e = HC_B64URL_ENCODED_LEN(n);
		CU_ASSERT_EQUAL(e, (4 * n + 2) / 3);
		CU_ASSERT(e % 4 != 1);
		CU_ASSERT(HC_B64URL_DECODED_MAX(e) >= n);
		CU_ASSERT(HC_B64URL_DECODED_MAX(e) <= n + 2);
	}
	for (size_t m = 0; m <= 4000; m++) {
		if (m % 4 == 1)
			continue;
		CU_ASSERT(HC_B64URL_DECODED_MAX(m) >=
		    m / 4 * 3 + (m % 4 ? m % 4 - 1 : 0));
	}
	CU_ASSERT_EQUAL(HC_B64URL_ENCODED_LEN(32), 43);   /* a SHA-256 */
	CU_ASSERT_EQUAL(HC_B64URL_ENCODED_LEN(0), 0);
}

/* The decoder's own view of the alphabet matches the test's. */
static void
test_alphabet_values(void)
{
	unsigned char out[4];
	size_t n;
	char s[4];

	for (int c = 0; c < 64; c++) {
		/* "XXc" with c's 2 low bits cleared: check the 4 high bits. */
		s[0] = 'A';
		s[1] = 'A';
		s[2] = alphabet[c & ~3];
		CU_ASSERT_EQUAL(hc_b64url_decode(s, 3, out, sizeof(out), &n),
		    0);
		CU_ASSERT_EQUAL(n, 2);
		CU_ASSERT_EQUAL(out[1], (unsigned char)(c >> 2));
		CU_ASSERT_EQUAL(val(alphabet[c]), c);
	}
}

static const hc_test vector_tests[] = {
	{ "RFC 4648 section 10 vectors", test_rfc4648_vectors },
	{ "'-' and '_' replace '+' and '/'", test_url_alphabet },
	{ "every byte value in every group position", test_all_byte_values },
	{ "round trips of lengths 0..300", test_round_trip },
	{ "decoder reads exactly n bytes", test_length_is_honoured },
	{ "decoder alphabet values", test_alphabet_values },
	{ NULL, NULL }
};

static const hc_test reject_tests[] = {
	{ "non-alphabet bytes at every position", test_non_alphabet_bytes },
	{ "padding, whitespace, standard alphabet", test_named_rejections },
	{ "length 1 mod 4", test_length_one_mod_four },
	{ "trailing-bit aliases, length 2 mod 4", test_trailing_bits_two },
	{ "trailing-bit aliases, length 3 mod 4", test_trailing_bits_three },
	{ NULL, NULL }
};

static const hc_test bound_tests[] = {
	{ "output capacity is enforced", test_capacity },
	{ "ENCODED_LEN and DECODED_MAX", test_size_macros },
	{ NULL, NULL }
};

static const hc_suite suites[] = {
	{ "b64url vectors", vector_tests },
	{ "b64url rejections", reject_tests },
	{ "b64url bounds", bound_tests },
	{ NULL, NULL }
};

int
main(void)
{
	return hc_test_main(suites);
}
