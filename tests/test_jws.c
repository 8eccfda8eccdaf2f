/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_jws.c - splitting a compact JWS (src/jws.c).
 *
 * RFC 7515 section 7.1: a compact JWS is BASE64URL(header) '.'
 * BASE64URL(payload) '.' BASE64URL(signature), "exactly two delimiting
 * period characters" (section 5.2 step 1); header and payload decode to
 * JSON objects (section 5.2 step 3, RFC 7519 section 7.2 step 10); the
 * signing input is the first two segments as received, byte for byte.
 * hc_jws_parse() enforces the syntax, refuses the header parameters
 * hopcheck does not implement (JWE parameters, zip, b64, a cty naming a
 * nested JWT), and leaves the other header rules (alg, crit, kid, typ) to
 * its caller; hc_jws_decode() is the syntax alone.  The suite checks:
 *
 *  - every dot count from 0 to 5, with the count named in the detail;
 *  - empty header and payload segments refused, an empty signature
 *    decoded to zero bytes (refusing it is the caller's business);
 *  - header and payload that are JSON but not objects, or not JSON;
 *  - the signature decoded exactly, and refused when not canonical;
 *  - the signing input: a pointer into the token, covering exactly the
 *    first two segments;
 *  - a NUL byte anywhere in the token refused;
 *  - no detail ever repeats token bytes, decoded or encoded: the tokens
 *    carry the marker "SECRETMARKER" in the faulty part;
 *  - each unimplemented header parameter refused with its status and the
 *    parts cleared, an informational cty kept, and hc_jws_decode()
 *    decoding all of them (signed tokens of the same parameters run
 *    through the validator in regress_header_params.c).
 *
 * Segments are encoded by this file's own base64url encoder, so that a
 * fault in the library's encoder cannot mask one in its decoder.  Tokens
 * are handed over in heap buffers of exactly their length, with no
 * terminator, so that a read past `len` shows under AddressSanitizer.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "testutil.h"

#define MARKER "SECRETMARKER"


#define HDR "{\"alg\":\"ES256\",\"kid\":\"k1\"}"
#define PAY "{\"iss\":\"https://iss.example\",\"sub\":\"alice\"}"

/* ------------------------------------------------------------ support */

static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* Appends the base64url of n bytes at in to the string at out. */
static void
b64u_n(const void *in, size_t n, char *out)
{
	const unsigned char *p = in;
	uint32_t acc = 0;
	unsigned bits = 0;
	size_t o = strlen(out);

	for (size_t i = 0; i < n; i++) {
		acc = (acc << 8) | p[i];
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

static void
b64u(const char *s, char *out)
{
	b64u_n(s, strlen(s), out);
}

/* Builds "b64(h).b64(p).b64(sig)" into out (size >= 1024). */
static void
make(const char *h, const char *p, const void *sig, size_t siglen,
    char *out)
{
	out[0] = '\0';
	b64u(h, out);
	strcat(out, ".");
	b64u(p, out);
	strcat(out, ".");
	b64u_n(sig, siglen, out);
}

/*
 * Parses the n bytes at tok from an exact heap copy; the detail goes to
 * d.  The parsed parts stay in *jws (the caller clears them); the copy is
 * kept in *copy when the caller wants the signing input (else freed).
 */
static hc_status
parse(const char *tok, size_t n, hc_jws *jws, hc_detail *d, char **copy)
{
	char *in = malloc(n > 0 ? n : 1);
	hc_status st;

	if (in == NULL)
		abort();
	if (n > 0)
		memcpy(in, tok, n);
	d->text[0] = '\0';
	st = hc_jws_parse(in, n, jws, d);
	if (copy != NULL)
		*copy = in;
	else
		free(in);
	return st;
}

/* Asserts that the token is refused and that the parts are all cleared. */
static void
refused(const char *tok, size_t n, const char *want_detail, int line)
{
	hc_jws jws;
	hc_detail d;
	hc_status st;

	memset(&jws, 0x5a, sizeof(jws));
	st = parse(tok, n, &jws, &d, NULL);
	if (st != HC_MALFORMED)
		fprintf(stderr, "\nline %d: status %s for %.*s\n", line,
		    hc_status_name(st), (int)n, tok);
	HC_ASSERT_STATUS(st, HC_MALFORMED);
	CU_ASSERT_PTR_NULL(jws.header);
	CU_ASSERT_PTR_NULL(jws.payload);
	CU_ASSERT_PTR_NULL(jws.sig);
	CU_ASSERT_EQUAL(jws.sig_len, 0);
	CU_ASSERT_PTR_NULL(jws.signing_input);
	if (want_detail != NULL && strstr(d.text, want_detail) == NULL) {
		fprintf(stderr, "\nline %d: detail \"%s\" lacks \"%s\"\n", line,
		    d.text, want_detail);
		CU_FAIL("detail");
	}
	if (st == HC_OK)
		hc_jws_clear(&jws);
}

#define REFUSED(tok, want) refused((tok), strlen(tok), (want), __LINE__)

/*
 * True when `detail` contains `needle`, or any run of `run` consecutive
 * bytes of it (an encoding at another alignment shares long runs).
 */
static int
leaks(const char *detail, const char *needle, size_t run)
{
	size_t n = strlen(needle);

	if (n < run)
		return strstr(detail, needle) != NULL;
	for (size_t i = 0; i + run <= n; i++) {
		char w[256];
		if (run >= sizeof(w))
			return 1;
		memcpy(w, needle + i, run);
		w[run] = '\0';
		if (strstr(detail, w) != NULL)
			return 1;
	}
	return 0;
}

/* ------------------------------------------------------------ tests */

static void
test_good_token(void)
{
	static const unsigned char sig[64] = { 1, 2, 3, 0, 255, 254 };
	char tok[1024], *copy = NULL;
	hc_jws jws;
	hc_detail d;

	make(HDR, PAY, sig, sizeof(sig), tok);
	HC_ASSERT_STATUS(parse(tok, strlen(tok), &jws, &d, &copy), HC_OK);
	CU_ASSERT_EQUAL(hc_json_type_of(jws.header), HC_JSON_OBJECT);
	CU_ASSERT_EQUAL(hc_json_type_of(jws.payload), HC_JSON_OBJECT);
	CU_ASSERT_STRING_EQUAL(hc_json_string(hc_json_get(jws.header, "alg")),
	    "ES256");
	CU_ASSERT_STRING_EQUAL(hc_json_string(hc_json_get(jws.payload, "sub")),
	    "alice");
	CU_ASSERT_EQUAL(jws.sig_len, sizeof(sig));
	CU_ASSERT(jws.sig != NULL && memcmp(jws.sig, sig, sizeof(sig)) == 0);
	hc_jws_clear(&jws);
	CU_ASSERT_PTR_NULL(jws.header);
	CU_ASSERT_PTR_NULL(jws.sig);
	hc_jws_clear(&jws);             /* clearing twice is harmless */
	free(copy);
}

/*
 * The signing input is the token's own bytes up to (not including) the
 * second dot: a pointer into the token, not a copy or a re-encoding.
 */
static void
test_signing_input(void)
{
	static const unsigned char sig[] = { 0xde, 0xad, 0xbe, 0xef, 0x01 };
	char tok[1024], expect[1024] = "", *copy = NULL;
	hc_jws jws;
	hc_detail d;

	make(HDR, PAY, sig, sizeof(sig), tok);
	b64u(HDR, expect);
	strcat(expect, ".");
	b64u(PAY, expect);
	HC_ASSERT_STATUS(parse(tok, strlen(tok), &jws, &d, &copy), HC_OK);
	CU_ASSERT_PTR_EQUAL(jws.signing_input, copy);
	CU_ASSERT_EQUAL(jws.signing_input_len, strlen(expect));
	CU_ASSERT(memcmp(jws.signing_input, expect, strlen(expect)) == 0);
	CU_ASSERT_EQUAL(copy[jws.signing_input_len], '.');
	CU_ASSERT_EQUAL(jws.sig_len, sizeof(sig));
	hc_jws_clear(&jws);
	free(copy);

	/* Whitespace in the JSON is signed as sent, not normalised. */
	make("{ \"alg\" : \"ES256\" }", "{\n\"a\":1\n}", sig, 1, tok);
	expect[0] = '\0';
	b64u("{ \"alg\" : \"ES256\" }", expect);
	strcat(expect, ".");
	b64u("{\n\"a\":1\n}", expect);
	HC_ASSERT_STATUS(parse(tok, strlen(tok), &jws, &d, &copy), HC_OK);
	CU_ASSERT_EQUAL(jws.signing_input_len, strlen(expect));
	CU_ASSERT(memcmp(jws.signing_input, expect, strlen(expect)) == 0);
	hc_jws_clear(&jws);
	free(copy);
}

/* RFC 7515 section 5.2 step 1: exactly two dots. */
static void
test_segment_counts(void)
{
	char h[256] = "", p[256] = "", s[64] = "", tok[1024], want[64];
	static const unsigned char sig[] = { 7, 7, 7 };
	size_t dots;

	b64u(HDR, h);
	b64u(PAY, p);
	b64u_n(sig, sizeof(sig), s);
	for (dots = 0; dots <= 5; dots++) {
		/* h, then p, s, s, s, s as further segments */
		const char *seg[6] = { h, p, s, s, s, s };
		tok[0] = '\0';
		for (size_t i = 0; i <= dots; i++) {
			if (i > 0)
				strcat(tok, ".");
			strcat(tok, seg[i]);
		}
		if (dots == 2) {
			hc_jws jws;
			hc_detail d;
			HC_ASSERT_STATUS(parse(tok, strlen(tok), &jws, &d,
			    NULL), HC_OK);
			hc_jws_clear(&jws);
			continue;
		}
		(void)snprintf(want, sizeof(want), "token has %zu segments",
		    dots + 1);
		REFUSED(tok, want);
	}
	/* Dots alone, and empty segments in every place. */
	REFUSED(".", "2 segments");
	REFUSED("..", NULL);
	REFUSED("...", "4 segments");
	REFUSED("....", "5 segments");
	/* A JWE compact serialization has five segments. */
	(void)snprintf(tok, sizeof(tok), "%s.%s.%s.%s.%s", h, s, s, p, s);
	REFUSED(tok, "5 segments");
	/* Leading or trailing extra dot. */
	(void)snprintf(tok, sizeof(tok), ".%s.%s.%s", h, p, s);
	REFUSED(tok, "4 segments");
	(void)snprintf(tok, sizeof(tok), "%s.%s.%s.", h, p, s);
	REFUSED(tok, "4 segments");
}

static void
test_empty_segments(void)
{
	char h[256] = "", p[256] = "", tok[1024];
	hc_jws jws;
	hc_detail d;

	b64u(HDR, h);
	b64u(PAY, p);
	(void)snprintf(tok, sizeof(tok), ".%s.AAAA", p);
	REFUSED(tok, "header segment is empty");
	(void)snprintf(tok, sizeof(tok), "%s..AAAA", h);
	REFUSED(tok, "payload segment is empty");
	REFUSED("..AAAA", "header segment is empty");
	REFUSED("", "empty");
	{
		hc_jws j2;
		memset(&j2, 0x5a, sizeof(j2));
		HC_ASSERT_STATUS(hc_jws_parse(NULL, 0, &j2, &d), HC_MALFORMED);
		CU_ASSERT_PTR_NULL(j2.header);
		CU_ASSERT_PTR_NULL(j2.sig);
	}

	/* An empty signature decodes to nothing; the caller refuses it. */
	(void)snprintf(tok, sizeof(tok), "%s.%s.", h, p);
	HC_ASSERT_STATUS(parse(tok, strlen(tok), &jws, &d, NULL), HC_OK);
	CU_ASSERT_EQUAL(jws.sig_len, 0);
	CU_ASSERT_EQUAL(jws.signing_input_len, strlen(tok) - 1);
	hc_jws_clear(&jws);
}

/* RFC 7515 section 5.2 step 3: the header is a JSON object. */
static void
test_not_objects(void)
{
	static const struct {
		const char *json, *type;
	} v[] = {
		{ "[\"alg\",\"ES256\"]", "array" },
		{ "\"ES256\"", "string" },
		{ "256", "number" },
		{ "true", "boolean" },
		{ "null", "null" },
	};
	char tok[1024], want[64];

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		make(v[i].json, PAY, "s", 1, tok);
		(void)snprintf(want, sizeof(want), "header is a JSON %s, not "
		    "an object", v[i].type);
		REFUSED(tok, want);
		make(HDR, v[i].json, "s", 1, tok);
		(void)snprintf(want, sizeof(want), "payload is a JSON %s, not "
		    "an object", v[i].type);
		REFUSED(tok, want);
	}
	/* Not JSON at all, or JSON with a fault: the part is named. */
	make("alg=ES256", PAY, "s", 1, tok);
	REFUSED(tok, "header: JSON");
	make(HDR, "{\"a\":1}x", "s", 1, tok);
	REFUSED(tok, "payload: JSON");
	make("{\"alg\":\"ES256\",\"alg\":\"none\"}", PAY, "s", 1, tok);
	REFUSED(tok, "header: JSON: duplicate");
	make(HDR, "{\"sub\":\"a\",\"sub\":\"b\"}", "s", 1, tok);
	REFUSED(tok, "payload: JSON: duplicate");
	make(HDR, "{\"sub\":\"\xed\xa0\x80\"}", "s", 1, tok);
	REFUSED(tok, "payload: JSON");
	make("\xef\xbb\xbf" HDR, PAY, "s", 1, tok);
	REFUSED(tok, "header: JSON");
}

/* Each segment goes through the strict decoder. */
static void
test_segment_encoding(void)
{
	static const unsigned char sig[] = { 0xff, 0xee };   /* "_-4" */
	char h[256] = "", p[256] = "", tok[1024];

	b64u(HDR, h);
	b64u(PAY, p);
	/* Signature: padding, standard alphabet, trailing bits, length. */
	(void)snprintf(tok, sizeof(tok), "%s.%s._-4=", h, p);
	REFUSED(tok, "signature segment is not canonical");
	(void)snprintf(tok, sizeof(tok), "%s.%s./+4", h, p);
	REFUSED(tok, "signature segment");
	(void)snprintf(tok, sizeof(tok), "%s.%s._-5", h, p);
	REFUSED(tok, "signature segment");
	(void)snprintf(tok, sizeof(tok), "%s.%s._-4AA", h, p);
	REFUSED(tok, "signature segment");
	(void)snprintf(tok, sizeof(tok), "%s.%s._-\n4", h, p);
	REFUSED(tok, "signature segment");
	/* The canonical form decodes to the bytes. */
	{
		hc_jws jws;
		hc_detail d;
		(void)snprintf(tok, sizeof(tok), "%s.%s._-4", h, p);
		HC_ASSERT_STATUS(parse(tok, strlen(tok), &jws, &d, NULL),
		    HC_OK);
		CU_ASSERT_EQUAL(jws.sig_len, 2);
		CU_ASSERT(jws.sig != NULL && memcmp(jws.sig, sig, 2) == 0);
		hc_jws_clear(&jws);
	}
	/* Header and payload: padding and a space. */
	(void)snprintf(tok, sizeof(tok), "%s=.%s.AAAA", h, p);
	REFUSED(tok, "header segment is not canonical");
	(void)snprintf(tok, sizeof(tok), "%s.%s==.AAAA", h, p);
	REFUSED(tok, "payload segment is not canonical");
	(void)snprintf(tok, sizeof(tok), "%s.%s .AAAA", h, p);
	REFUSED(tok, "payload segment");
	(void)snprintf(tok, sizeof(tok), "%s.A%s.AAAA", h, p);
	REFUSED(tok, "payload");
}

/* A NUL byte anywhere inside the counted bytes. */
static void
test_nul_byte(void)
{
	char tok[1024];
	size_t n;

	make(HDR, PAY, "sig", 3, tok);
	n = strlen(tok);
	for (size_t pos = 0; pos < n; pos += 7) {
		char t[1024];
		memcpy(t, tok, n);
		t[pos] = '\0';
		refused(t, n, "NUL", __LINE__);
	}
	/* After the signature, within len. */
	memcpy(tok + n, "\0", 1);
	refused(tok, n + 1, "NUL", __LINE__);
	/* Inside the signature, where a C string would stop early. */
	{
		char t[1024];
		memcpy(t, tok, n);
		t[n - 2] = '\0';
		refused(t, n, "NUL", __LINE__);
	}
}

/*
 * The marker is put where the token is at fault; the detail may say what
 * is wrong and where, never repeat the marker, decoded or encoded.
 */
static void
test_detail_has_no_token_bytes(void)
{
	char m64[64] = "", tok[2048], h[256] = "", p[256] = "";
	const char *toks[16];
	char store[16][2048];
	size_t nt = 0;

	b64u(MARKER, m64);
	b64u(HDR, h);
	b64u(PAY, p);

#define ADD(...) do { \
	(void)snprintf(store[nt], sizeof(store[nt]), __VA_ARGS__); \
	toks[nt] = store[nt]; \
	nt++; \
} while (0)
	/* Marker in a segment with bad encoding, in each place. */
	ADD("%s=.%s.%s", m64, p, m64);
	ADD("%s.%s=.%s", h, m64, m64);
	ADD("%s.%s.%s=", h, p, m64);
	ADD("%s.%s.%s%s", h, p, m64, "+");
	/* Wrong segment counts. */
	ADD("%s.%s", m64, m64);
	ADD("%s.%s.%s.%s", h, p, m64, m64);
	ADD("%s", m64);
	/* Marker inside JSON with a fault after it. */
	make("{\"alg\":\"" MARKER "\",}", PAY, "s", 1, tok);
	ADD("%s", tok);
	make(HDR, "{\"sub\":\"" MARKER "\x01\"}", "s", 1, tok);
	ADD("%s", tok);
	make(HDR, "{\"sub\":\"" MARKER "\"} " MARKER, "s", 1, tok);
	ADD("%s", tok);
	make(HDR, "\"" MARKER "\"", "s", 1, tok);
	ADD("%s", tok);
	make(MARKER, PAY, "s", 1, tok);
	ADD("%s", tok);
	make(HDR, "{\"sub\":\"" MARKER "\",\"sub\":\"" MARKER "\"}", "s", 1,
	    tok);
	ADD("%s", tok);
	make(HDR, "{\"sub\":\"" MARKER "\xc0\xaf\"}", "s", 1, tok);
	ADD("%s", tok);
#undef ADD

	for (size_t i = 0; i < nt; i++) {
		hc_jws jws;
		hc_detail d;
		hc_status st = parse(toks[i], strlen(toks[i]), &jws, &d, NULL);
		HC_ASSERT_STATUS(st, HC_MALFORMED);
		CU_ASSERT(d.text[0] != '\0');
		if (strstr(d.text, MARKER) != NULL || leaks(d.text, m64, 8) ||
		    leaks(d.text, toks[i], 12)) {
			fprintf(stderr, "\ncase %zu: detail repeats token "
			    "bytes: %s\n", i, d.text);
			CU_FAIL("detail repeats token bytes");
		}
		if (st == HC_OK)
			hc_jws_clear(&jws);
	}
}

/*
 * Header parameters hopcheck does not implement: refused by hc_jws_parse()
 * whatever their value, with the parts cleared; decoded by hc_jws_decode().
 */
static void
test_header_params(void)
{
	static const struct {
		const char *header;
		hc_status want;
		const char *detail;
	} cases[] = {
		{ "{\"alg\":\"ES256\",\"cty\":\"JWT\"}", HC_MALFORMED,
		    "nested JWT (cty \"JWT\")" },
		{ "{\"alg\":\"ES256\",\"cty\":\"jWt\"}", HC_MALFORMED,
		    "nested JWT" },
		{ "{\"alg\":\"ES256\",\"cty\":\"Application/JWT\"}",
		    HC_MALFORMED, "nested JWT" },
		{ "{\"alg\":\"ES256\",\"cty\":[\"JWT\"]}", HC_MALFORMED,
		    "cty is a array" },
		{ "{\"alg\":\"ES256\",\"cty\":\"JWTX\"}", HC_OK, NULL },
		{ "{\"alg\":\"ES256\",\"cty\":\"example\"}", HC_OK, NULL },
		{ "{\"alg\":\"ES256\",\"zip\":\"DEF\"}", HC_MALFORMED,
		    "zip" },
		{ "{\"alg\":\"ES256\",\"zip\":null}", HC_MALFORMED, "zip" },
		{ "{\"alg\":\"ES256\",\"b64\":false}", HC_CRIT, "b64" },
		{ "{\"alg\":\"ES256\",\"b64\":true,\"crit\":[\"b64\"]}",
		    HC_CRIT, "b64" },
		{ "{\"alg\":\"ES256\",\"enc\":\"A128GCM\"}", HC_MALFORMED,
		    "enc, a JWE parameter" },
		{ "{\"alg\":\"ES256\",\"epk\":{}}", HC_MALFORMED, "epk" },
		{ "{\"alg\":\"ES256\",\"apu\":\"\"}", HC_MALFORMED, "apu" },
		{ "{\"alg\":\"ES256\",\"apv\":\"\"}", HC_MALFORMED, "apv" },
		{ "{\"alg\":\"ES256\",\"iv\":\"\"}", HC_MALFORMED, "iv" },
		{ "{\"alg\":\"ES256\",\"tag\":\"\"}", HC_MALFORMED, "tag" },
		{ "{\"alg\":\"ES256\",\"p2s\":\"\"}", HC_MALFORMED, "p2s" },
		{ "{\"alg\":\"ES256\",\"p2c\":1}", HC_MALFORMED, "p2c" },
		/* Names are case-sensitive (RFC 7515 4): not these parameters. */
		{ "{\"alg\":\"ES256\",\"ZIP\":\"DEF\",\"Enc\":1}", HC_OK,
		    NULL },
	};
	char tok[1024];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		hc_jws jws;
		hc_detail d;
		hc_status st;

		make(cases[i].header, PAY, "s", 1, tok);
		st = parse(tok, strlen(tok), &jws, &d, NULL);
		if (st != cases[i].want)
			fprintf(stderr, "\ncase %zu: %s\n", i, cases[i].header);
		HC_ASSERT_STATUS(st, cases[i].want);
		if (st != HC_OK) {
			CU_ASSERT_PTR_NULL(jws.header);
			CU_ASSERT_PTR_NULL(jws.sig);
		}
		if (cases[i].detail != NULL &&
		    strstr(d.text, cases[i].detail) == NULL) {
			fprintf(stderr, "\ncase %zu: detail \"%s\" lacks \"%s\"\n",
			    i, d.text, cases[i].detail);
			CU_FAIL("detail");
		}
		hc_jws_clear(&jws);
		HC_ASSERT_STATUS(hc_jws_decode(tok, strlen(tok), &jws, &d), HC_OK);
		CU_ASSERT_EQUAL(hc_json_type_of(jws.header), HC_JSON_OBJECT);
		hc_jws_clear(&jws);
	}
}

static const hc_test tests[] = {
	{ "a well-formed token", test_good_token },
	{ "the signing input is the first two segments", test_signing_input },
	{ "0 to 5 dots", test_segment_counts },
	{ "empty segments", test_empty_segments },
	{ "header and payload must be objects", test_not_objects },
	{ "strict base64url in every segment", test_segment_encoding },
	{ "NUL bytes", test_nul_byte },
	{ "details carry no token bytes", test_detail_has_no_token_bytes },
	{ "unimplemented header parameters", test_header_params },
	{ NULL, NULL }
};

static const hc_suite suites[] = {
	{ "jws compact serialization", tests },
	{ NULL, NULL }
};

int
main(void)
{
	return hc_test_main(suites);
}
