/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_json.c - the strict JSON wrapper (src/json.c).
 *
 * Every token header, payload, key set and configuration goes through
 * hc_json_parse(), so what it lets through is what the rest of the library
 * must be ready for.  The suite checks, each with the exact status:
 *
 *  - the RFC 8259 grammar: numbers (section 6: no leading zero, no '+',
 *    digits on both sides of '.', an exponent with digits, no NaN or
 *    Infinity), literals, no trailing comma, no single quotes, no unquoted
 *    names, no comments (hc_json_parse_commented() removes them and turns
 *    the byte offset of an error into a line and column);
 *  - UTF-8 (RFC 3629 section 4): overlong forms, surrogates, code points
 *    above U+10FFFF and truncated sequences refused, 2-, 3- and 4-byte
 *    sequences kept byte for byte;
 *  - escapes (RFC 8259 section 7): U+0000 refused (cJSON would cut the
 *    string there), lone or reversed surrogate escapes refused, a valid
 *    pair decoded, unknown escape letters refused, raw control characters
 *    refused;
 *  - the bounds of hc_limits.h: depth, members per container, bytes;
 *  - duplicate member names at every depth, compared after unescaping
 *    (RFC 7515 section 10.13: "\u0061lg" is "alg"), and trailing bytes
 *    (RFC 7515 section 10.12: {"tag":"value"}ABCD is invalid);
 *  - the accessors (case-sensitive lookups), the builders and printing.
 *
 * Inputs are handed over in heap buffers of exactly their length, with no
 * terminator, so that a read past `len` shows under AddressSanitizer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "internal.h"
#include "testutil.h"

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

/* Parses n bytes from an exact copy; the detail goes to d (may be NULL). */
static hc_status
parse_n(const char *s, size_t n, hc_json **out, hc_detail *d)
{
	char *in = exact(s, n);
	hc_status st = hc_json_parse(in, n, out, d);

	free(in);
	return st;
}

/* Asserts that the n bytes at s parse; returns the tree (caller frees). */
static hc_json *
ok_n(const char *s, size_t n, int line)
{
	hc_detail d = { "" };
	hc_json *j = NULL;
	hc_status st = parse_n(s, n, &j, &d);

	if (st != HC_OK)
		fprintf(stderr, "\nline %d: refused %.*s: %s\n", line, (int)n,
		    s, d.text);
	HC_ASSERT_STATUS(st, HC_OK);
	CU_ASSERT_PTR_NOT_NULL(j);
	return j;
}

/* Asserts that the n bytes at s are refused with HC_MALFORMED. */
static void
bad_n(const char *s, size_t n, int line)
{
	hc_detail d = { "" };
	hc_json *j = (hc_json *)&d;     /* must be reset to NULL */
	hc_status st = parse_n(s, n, &j, &d);

	if (st != HC_MALFORMED)
		fprintf(stderr, "\nline %d: accepted %.*s\n", line, (int)n, s);
	HC_ASSERT_STATUS(st, HC_MALFORMED);
	CU_ASSERT_PTR_NULL(j);
	CU_ASSERT(d.text[0] != '\0');
	if (st == HC_OK)
		hc_json_free(j);
}

#define OKJ(s) ok_n((s), strlen(s), __LINE__)
#define OK(s) hc_json_free(OKJ(s))
#define BAD(s) bad_n((s), strlen(s), __LINE__)
#define BAD_N(s, n) bad_n((s), (n), __LINE__)

/* Runs a NULL-terminated table of strings through OK or BAD. */
static void
all_ok(const char *const *v)
{
	for (; *v != NULL; v++)
		hc_json_free(ok_n(*v, strlen(*v), 0));
}

static void
all_bad(const char *const *v)
{
	for (; *v != NULL; v++)
		bad_n(*v, strlen(*v), 0);
}

/* The string member `name` of the object parsed from s, as a copy. */
static char *
string_of(const char *s, const char *name)
{
	hc_json *j = ok_n(s, strlen(s), __LINE__);
	const char *v = hc_json_string(hc_json_get(j, name));
	char *r = v ? strdup(v) : NULL;

	hc_json_free(j);
	return r;
}

/* A heap buffer of n copies of c. */
static char *
repeat(char c, size_t n)
{
	char *p = malloc(n + 1);

	if (p == NULL)
		abort();
	memset(p, c, n);
	p[n] = '\0';
	return p;
}

/* -------------------------------------------------------- grammar */

static void
test_values_accepted(void)
{
	static const char *const v[] = {
		"0", "-0", "1", "-1", "10", "1.5", "-0.25", "1e5", "1E5",
		"1e+5", "1e-5", "-0.0e0", "123456789012345", "0.000001",
		"true", "false", "null", "\"\"", "\"a b\"", "[]", "{}",
		"[1,2,3]", "[[],[{}]]",
		"{\"a\":1}", "{\"a\":[1,{\"b\":null}],\"c\":\"d\"}",
		"{\"\":0}", "\"\\u00e9\"", "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"",
		NULL
	};

	all_ok(v);
}

/* RFC 8259 section 6: the number grammar, and no other spelling. */
static void
test_numbers_refused(void)
{
	static const char *const v[] = {
		"01", "-01", "00", "+1", "1.", ".5", "-.5", "1e", "1e+", "1E-",
		"-", "--1", "1.e5", "0x10", "1_000", "NaN", "Infinity",
		"-Infinity", "nan", "inf", "1.5.2", "[01]", "{\"a\":+1}",
		"[1e]", "[.5]", "[-]", NULL
	};

	all_bad(v);
}

/*
 * Long numbers: 64 characters still parse to their value (cJSON copies a
 * number into a bounded buffer, so a cut there would change it); a
 * thousand digits are refused as malformed, not failed as internal.
 */
static void
test_long_numbers(void)
{
	char buf[1100];
	hc_json *j;
	double v = 0;

	buf[0] = '[';
	memset(buf + 1, '1', 63);
	memcpy(buf + 64, "0]", 3);
	j = OKJ(buf);
	CU_ASSERT(hc_json_number(hc_json_first(j), &v));
	CU_ASSERT_DOUBLE_EQUAL(v, 1.1111111111111111e63, 1e48);
	hc_json_free(j);
	memset(buf + 1, '1', 1000);
	memcpy(buf + 1001, "]", 2);
	BAD(buf);
}

static void
test_structure_refused(void)
{
	static const char *const v[] = {
		"", " ", "[", "]", "{", "}", "[1,]", "[,1]", "[1,,2]", "{,}",
		"{\"a\":1,}", "{\"a\":1,,\"b\":2}", "[1 2]", "{\"a\" 1}",
		"{\"a\":}", "{\"a\"}", "{:1}", "{1:1}", "{'a':1}", "['a']",
		"'a'", "{a:1}", "{\"a\":1 \"b\":2}", "[1]]", "{}}", "\"abc",
		"tru", "True", "nul", "NULL", "falsey", "undefined",
		"[true false]", "{\"a\":1]", "[1}", NULL
	};

	all_bad(v);
}

/* Comments are not JSON; the configuration reader removes them first. */
static void
test_comments(void)
{
	static const char *const v[] = {
		"// c\n1", "/* c */ 1", "[1 /* c */]", "{\"a\":1 // c\n}",
		"{\"a\":1} // c", "# c\n1", NULL
	};
	char buf[128];
	hc_detail d = { "" };
	hc_json *j = NULL;

	all_bad(v);
	for (size_t i = 0; v[i] != NULL; i++) {
		if (v[i][0] == '#')
			continue;
		(void)snprintf(buf, sizeof(buf), "%s", v[i]);
		HC_ASSERT_STATUS(hc_json_parse_commented(buf, strlen(buf), &j,
		    &d), HC_OK);
		hc_json_free(j);
		j = NULL;
	}

	/* Comment markers inside strings are data. */
	(void)snprintf(buf, sizeof(buf), "{\"u\":\"http://x/*y*/z\"} // end");
	HC_ASSERT_STATUS(hc_json_parse_commented(buf, strlen(buf), &j, &d),
	    HC_OK);
	CU_ASSERT_STRING_EQUAL(hc_json_string(hc_json_get(j, "u")),
	    "http://x/*y*/z");
	hc_json_free(j);
	j = NULL;
	(void)snprintf(buf, sizeof(buf), "{\"q\\\"//\":\"/*\"} /* \"x\" */");
	HC_ASSERT_STATUS(hc_json_parse_commented(buf, strlen(buf), &j, &d),
	    HC_OK);
	CU_ASSERT_STRING_EQUAL(hc_json_string(hc_json_get(j, "q\"//")), "/*");
	hc_json_free(j);
	j = NULL;

	/* An unterminated block comment. */
	(void)snprintf(buf, sizeof(buf), "{\"a\":1} /* open");
	HC_ASSERT_STATUS(hc_json_parse_commented(buf, strlen(buf), &j, &d),
	    HC_MALFORMED);
	CU_ASSERT_PTR_NULL(j);
	CU_ASSERT_PTR_NOT_NULL(strstr(d.text, "comment"));
	/* Comments do not hide other mistakes. */
	(void)snprintf(buf, sizeof(buf), "/* c */ {\"a\":01}");
	HC_ASSERT_STATUS(hc_json_parse_commented(buf, strlen(buf), &j, &d),
	    HC_MALFORMED);
	CU_ASSERT_PTR_NULL(j);
}

/*
 * An error offset is a byte in hc_json_parse() and a line and column
 * (both from 1) in hc_json_parse_commented(); comments before the error
 * must not shift it.
 */
static void
test_error_positions(void)
{
	char buf[128];
	hc_detail d = { "" };
	hc_json *j = NULL;

	HC_ASSERT_STATUS(parse_n("{\"a\":tru}", 9, &j, &d), HC_MALFORMED);
	CU_ASSERT_PTR_NOT_NULL(strstr(d.text, "at byte 5"));

	(void)snprintf(buf, sizeof(buf), "{\"a\":01}");
	HC_ASSERT_STATUS(hc_json_parse_commented(buf, strlen(buf), &j, &d),
	    HC_MALFORMED);
	CU_ASSERT_PTR_NOT_NULL(strstr(d.text, "line 1 column 7"));

	(void)snprintf(buf, sizeof(buf), "{\n  \"a\": 1,\n  \"b\": tru\n}");
	HC_ASSERT_STATUS(hc_json_parse_commented(buf, strlen(buf), &j, &d),
	    HC_MALFORMED);
	if (strstr(d.text, "line 3 column 8") == NULL)
		fprintf(stderr, "\ndetail: %s\n", d.text);
	CU_ASSERT_PTR_NOT_NULL(strstr(d.text, "line 3 column 8"));
	CU_ASSERT_PTR_NULL(strstr(d.text, "at byte"));

	(void)snprintf(buf, sizeof(buf),
	    "// header\n{\n /* x */ \"a\": 01\n}");
	HC_ASSERT_STATUS(hc_json_parse_commented(buf, strlen(buf), &j, &d),
	    HC_MALFORMED);
	if (strstr(d.text, "line 3 column 16") == NULL)
		fprintf(stderr, "\ndetail: %s\n", d.text);
	CU_ASSERT_PTR_NOT_NULL(strstr(d.text, "line 3 column 16"));

	(void)snprintf(buf, sizeof(buf), "/* a\nb\nc */ [1,\n\n 2,]");
	HC_ASSERT_STATUS(hc_json_parse_commented(buf, strlen(buf), &j, &d),
	    HC_MALFORMED);
	if (strstr(d.text, "line 5 column 4") == NULL)
		fprintf(stderr, "\ndetail: %s\n", d.text);
	CU_ASSERT_PTR_NOT_NULL(strstr(d.text, "line 5 column 4"));
}

/* RFC 7515 section 10.12: nothing but whitespace may follow the value. */
static void
test_trailing_bytes(void)
{
	static const char *const v[] = {
		"{\"tag\":\"value\"}ABCD", "{}x", "{} {}", "1 2", "[] ]",
		"{}\"\"", "null null", "{},", "\"a\"\"b\"", NULL
	};
	static const char *const ws[] = {
		" {}", "{} ", " \t\r\n{\"a\" : [ 1 , 2 ] }\n\t\r ",
		"\n\n1\n", NULL
	};

	all_bad(v);
	all_ok(ws);
	BAD_N("{}\0", 3);
	BAD_N("\0{}", 3);
	/* Only the four RFC 8259 whitespace bytes are whitespace. */
	BAD("\f{}");
	BAD("{}\v");
	BAD("\xc2\xa0{}");
	BAD("\xef\xbb\xbf{}");          /* no byte order mark either */
	/* The length is the input: what lies beyond it is not read. */
	{
		hc_json *j = ok_n("{}garbage", 2, __LINE__);
		hc_json_free(j);
	}
}

/* ------------------------------------------------------------ UTF-8 */

static void
test_utf8_refused(void)
{
	static const char *const v[] = {
		"\"\xc0\xaf\"",                 /* overlong '/' */
		"\"\xc1\xbf\"",                 /* overlong */
		"\"\xe0\x80\xaf\"",             /* overlong, 3 bytes */
		"\"\xe0\x9f\xbf\"",             /* overlong, 3 bytes */
		"\"\xf0\x80\x80\xaf\"",         /* overlong, 4 bytes */
		"\"\xf0\x8f\xbf\xbf\"",         /* overlong, 4 bytes */
		"\"\xed\xa0\x80\"",             /* U+D800 */
		"\"\xed\xbf\xbf\"",             /* U+DFFF */
		"\"\xed\xa0\xbd\xed\xb8\x80\"", /* CESU-8 surrogate pair */
		"\"\xf4\x90\x80\x80\"",         /* U+110000 */
		"\"\xf5\x80\x80\x80\"",
		"\"\xf7\xbf\xbf\xbf\"",
		"\"\xf8\x88\x80\x80\x80\"",
		"\"\xfe\"", "\"\xff\"",
		"\"\x80\"", "\"\xbf\"",         /* lone continuation bytes */
		"\"\xc3\"",                     /* truncated before the quote */
		"\"\xe2\x82\"", "\"\xf0\x9f\x98\"",
		"\"\xc3\x28\"",                 /* continuation not 10xxxxxx */
		"\"\xe2\x28\xa1\"", "\"\xe2\x82\x28\"",
		"\"\xf0\x9f\x28\x80\"", "\"\xf0\x9f\x98\x28\"",
		"\"\xc3\xa9\xa9\"",             /* one continuation too many */
		"{\"\xc0\xaf\":1}",             /* in a member name */
		"[\"ok\",\"\xed\xa0\x80\"]",
		"\xc3\xa9",                     /* outside any string */
		NULL
	};

	all_bad(v);
	/* Truncated at the very end of the input. */
	BAD_N("\"\xe2\x82", 3);
	BAD_N("\"\xf0\x9f\x98", 4);
	BAD_N("\"\xc3", 2);
}

/* Valid sequences of every length, and the boundaries, kept exactly. */
static void
test_utf8_accepted(void)
{
	static const char *const v[] = {
		"\xc2\x80", "\xc3\xa9", "\xdf\xbf",             /* 2 bytes */
		"\xe0\xa0\x80", "\xe2\x82\xac", "\xed\x9f\xbf", /* U+D7FF */
		"\xee\x80\x80", "\xef\xbf\xbf",                 /* 3 bytes */
		"\xf0\x90\x80\x80", "\xf0\x9f\x98\x80",
		"\xf4\x8f\xbf\xbf",                             /* U+10FFFF */
		"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
		"\x7f",                                 /* DEL is allowed */
		NULL
	};
	char doc[64];

	for (size_t i = 0; v[i] != NULL; i++) {
		char *s;
		(void)snprintf(doc, sizeof(doc), "{\"k\":\"%s\"}", v[i]);
		s = string_of(doc, "k");
		CU_ASSERT_PTR_NOT_NULL(s);
		if (s != NULL)
			CU_ASSERT_STRING_EQUAL(s, v[i]);
		free(s);
	}
}

/* ---------------------------------------------------------- escapes */

static void
test_escapes(void)
{
	static const char *const bad[] = {
		"\"\\u0000\"", "\"a\\u0000b\"", "{\"a\\u0000\":1}",
		"\"\\uD800\"", "\"\\ud800\"", "\"\\uDBFF\"",  /* lone high */
		"\"\\uD800x\"", "\"\\uD800\\n\"", "\"\\uD800\\u0041\"",
		"\"\\uD800\\uD800\"", "\"\\uD800\\\"",
		"\"\\uDC00\"", "\"\\udfff\"",                     /* lone low */
		"\"\\uDC00\\uD800\"",                             /* reversed */
		"\"\\x41\"", "\"\\a\"", "\"\\0\"", "\"\\'\"", "\"\\v\"",
		"\"\\e\"", "\"\\U0041\"", "\"\\u12\"", "\"\\u12G4\"",
		"\"\\u\"", "\"\\", "\"\\\"", "\"\\ \"", "\"\\\xc3\xa9\"",
		NULL
	};
	char *s;

	all_bad(bad);
	/* A valid pair is one code point, stored as its UTF-8. */
	s = string_of("{\"k\":\"\\uD83D\\uDE00\"}", "k");
	CU_ASSERT_PTR_NOT_NULL(s);
	if (s != NULL)
		CU_ASSERT_STRING_EQUAL(s, "\xf0\x9f\x98\x80");
	free(s);
	s = string_of("{\"k\":\"\\udbff\\udfff\"}", "k");
	CU_ASSERT_PTR_NOT_NULL(s);
	if (s != NULL)
		CU_ASSERT_STRING_EQUAL(s, "\xf4\x8f\xbf\xbf");
	free(s);
	s = string_of("{\"k\":\"\\u00e9\\u20AC\\u0001\"}", "k");
	CU_ASSERT_PTR_NOT_NULL(s);
	if (s != NULL)
		CU_ASSERT_STRING_EQUAL(s, "\xc3\xa9\xe2\x82\xac\x01");
	free(s);
	s = string_of("{\"k\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"}", "k");
	CU_ASSERT_PTR_NOT_NULL(s);
	if (s != NULL)
		CU_ASSERT_STRING_EQUAL(s, "\"\\/\b\f\n\r\t");
	free(s);
}

/* RFC 8259 section 7: U+0000..U+001F must be escaped in strings. */
static void
test_control_characters(void)
{
	char doc[8];

	for (int c = 0; c < 0x20; c++) {
		doc[0] = '"';
		doc[1] = 'a';
		doc[2] = (char)c;
		doc[3] = '"';
		BAD_N(doc, 4);
		memcpy(doc, "{\"\x01\":1}", 7);
		doc[2] = (char)c;
		BAD_N(doc, 7);
	}
	OK("\"a\x7f\"");
}

/* ---------------------------------------------------------- bounds */

/* n nested containers of kind open/close, with `inner` at the bottom. */
static char *
nest(size_t n, const char *open, const char *close, const char *inner)
{
	size_t ol = strlen(open), cl = strlen(close), il = strlen(inner);
	char *s = malloc(n * (ol + cl) + il + 1), *p = s;

	if (s == NULL)
		abort();
	for (size_t i = 0; i < n; i++, p += ol)
		memcpy(p, open, ol);
	memcpy(p, inner, il);
	p += il;
	for (size_t i = 0; i < n; i++, p += cl)
		memcpy(p, close, cl);
	*p = '\0';
	return s;
}

static void
test_depth(void)
{
	/* Each level opens `per` containers; `inner` opens `extra` more. */
	static const struct {
		const char *open, *close, *inner;
		size_t per, extra;
	} k[] = {
		{ "[", "]", "", 1, 0 },
		{ "[", "]", "1", 1, 0 },
		{ "{\"a\":", "}", "1", 1, 0 },
		{ "{\"a\":", "}", "{}", 1, 1 },
		{ "[{\"a\":", "}]", "1", 2, 0 },
		{ "[{\"a\":", "}]", "[]", 2, 1 },
	};
	char *s;

	for (size_t i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
		size_t levels = (HC_JSON_MAX_DEPTH - k[i].extra) / k[i].per;

		/* At or just under the limit, then just over it. */
		s = nest(levels, k[i].open, k[i].close, k[i].inner);
		OK(s);
		free(s);
		s = nest(levels + 1, k[i].open, k[i].close, k[i].inner);
		BAD(s);
		free(s);
	}
	/* Exactly the maximum, then one more, on plain arrays. */
	s = nest(HC_JSON_MAX_DEPTH, "[", "]", "");
	OK(s);
	free(s);
	s = nest(HC_JSON_MAX_DEPTH + 1, "[", "]", "");
	BAD(s);
	free(s);
	/* Far deeper than any stack would allow a naive recursion. */
	s = repeat('[', 200000);
	BAD(s);
	free(s);
	s = nest(100000, "{\"a\":", "}", "1");
	BAD(s);
	free(s);
}

/* {"m0":0,"m1":0,...} or [0,0,...] with n members. */
static char *
wide(size_t n, int object)
{
	char *s = malloc(n * 16 + 8), *p = s;

	if (s == NULL)
		abort();
	*p++ = object ? '{' : '[';
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			*p++ = ',';
		if (object)
			p += sprintf(p, "\"m%zu\":%zu", i, i);
		else
			p += sprintf(p, "%zu", i);
	}
	*p++ = object ? '}' : ']';
	*p = '\0';
	return s;
}

static void
test_members(void)
{
	char *s;
	hc_json *j;

	s = wide(HC_JSON_MAX_MEMBERS, 1);
	j = ok_n(s, strlen(s), __LINE__);
	CU_ASSERT_EQUAL(hc_json_count(j), HC_JSON_MAX_MEMBERS);
	hc_json_free(j);
	free(s);
	s = wide(HC_JSON_MAX_MEMBERS + 1, 1);
	BAD(s);
	free(s);
	/*
	 * A duplicate among many members (the sorted path of the duplicate
	 * check), at the start, the end, and as neighbours after sorting.
	 */
	{
		static const char *const dups[] = { "m0", "m999", "m99", "m5000" };
		for (size_t i = 0; i < sizeof(dups) / sizeof(dups[0]); i++) {
			char *w = wide(HC_JSON_MAX_MEMBERS - 1, 1);
			size_t l = strlen(w);
			char *t = malloc(l + 32);
			memcpy(t, w, l - 1);
			(void)sprintf(t + l - 1, ",\"%s\":1}", dups[i]);
			if (strcmp(dups[i], "m5000") == 0)
				OK(t);          /* m0..m1021 hold no m5000 */
			else
				BAD(t);
			free(t);
			free(w);
		}
	}
	/* json.c bounds every container, arrays included. */
	s = wide(HC_JSON_MAX_MEMBERS, 0);
	OK(s);
	free(s);
	s = wide(HC_JSON_MAX_MEMBERS + 1, 0);
	BAD(s);
	free(s);
	/* Nested: the bound is per container, not per document. */
	{
		char *a = wide(HC_JSON_MAX_MEMBERS, 0);
		size_t l = strlen(a);
		char *doc = malloc(2 * l + 4);
		CU_ASSERT_FATAL(doc != NULL);
		(void)sprintf(doc, "[%s,%s]", a, a);
		OK(doc);
		free(doc);
		free(a);
	}
}

static void
test_max_bytes(void)
{
	char *s = repeat(' ', HC_JSON_MAX_BYTES + 1);
	hc_detail d = { "" };
	hc_json *j = NULL;

	/* "{}" padded with spaces to exactly the limit, then one byte more. */
	s[0] = '{';
	s[1] = '}';
	hc_json_free(ok_n(s, HC_JSON_MAX_BYTES, __LINE__));
	HC_ASSERT_STATUS(parse_n(s, HC_JSON_MAX_BYTES + 1, &j, &d),
	    HC_MALFORMED);
	CU_ASSERT_PTR_NULL(j);
	CU_ASSERT_PTR_NOT_NULL(strstr(d.text, "limit"));
	/* A string value that fills the limit. */
	memset(s, 'a', HC_JSON_MAX_BYTES + 1);
	s[0] = '"';
	s[HC_JSON_MAX_BYTES - 1] = '"';
	j = ok_n(s, HC_JSON_MAX_BYTES, __LINE__);
	CU_ASSERT_EQUAL(strlen(hc_json_string(j)), HC_JSON_MAX_BYTES - 2);
	hc_json_free(j);
	free(s);
}

/* ------------------------------------------------------- duplicates */

static void
test_duplicates(void)
{
	static const char *const bad[] = {
		"{\"a\":1,\"a\":2}",
		"{\"a\":1,\"a\":1}",
		"{\"a\":1,\"b\":2,\"a\":3}",
		"{\"alg\":\"RS256\",\"alg\":\"none\"}",
		"{\"x\":{\"a\":1,\"a\":2}}",
		"{\"x\":[{\"a\":1,\"a\":2}]}",
		"[{\"a\":1,\"a\":2}]",
		"{\"act\":{\"sub\":\"a\","
		    "\"act\":{\"sub\":\"b\",\"sub\":\"c\"}}}",
		/* equal after unescaping (RFC 7515 section 10.13) */
		"{\"\\u0061\":1,\"a\":2}",
		"{\"\\u0061lg\":\"x\",\"alg\":\"y\"}",
		"{\"alg\":\"x\",\"\\u0061\\u006c\\u0067\":\"y\"}",
		"{\"\\/\":1,\"/\":2}",
		"{\"\\uD83D\\uDE00\":1,\"\xf0\x9f\x98\x80\":2}",
		"{\"\\u00e9\":1,\"\xc3\xa9\":2}",
		"{\"\":1,\"\":2}",
		NULL
	};
	static const char *const good[] = {
		"{\"a\":1,\"A\":2}",
		"{\"alg\":1,\"Alg\":2,\"ALG\":3}",
		"{\"a\":{\"a\":{\"a\":1}}}",
		"[{\"a\":1},{\"a\":2}]",
		"{\"x\":{\"a\":1},\"y\":{\"a\":1}}",
		"{\"sig\":1,\"SIG\":2,\"Sig\":3,\"si\\u0047\":4}",
		"{\"a\":[\"a\",\"a\"]}",
		NULL
	};
	hc_detail d = { "" };
	hc_json *j = NULL;
	char *deep;

	all_bad(bad);
	all_ok(good);
	HC_ASSERT_STATUS(parse_n(bad[0], strlen(bad[0]), &j, &d),
	    HC_MALFORMED);
	CU_ASSERT_PTR_NOT_NULL(strstr(d.text, "duplicate"));
	/* At the deepest level allowed. */
	deep = nest(HC_JSON_MAX_DEPTH - 1, "{\"a\":", "}", "{\"k\":1,\"k\":2}");
	BAD(deep);
	free(deep);
	deep = nest(HC_JSON_MAX_DEPTH - 1, "{\"a\":", "}", "{\"k\":1,\"K\":2}");
	OK(deep);
	free(deep);
}

/*
 * A detail names an offset, never the input text: a value that breaks
 * the grammar is not echoed back.
 */
static void
test_detail_has_no_input(void)
{
	static const char *const v[] = {
		"{\"k\":\"SECRETMARKER\x01\"}",
		"{\"k\":\"SECRETMARKER\\q\"}",
		"{\"k\":\"SECRETMARKER\xc0\xaf\"}",
		"{\"k\":SECRETMARKER}",
		"{\"k\":\"SECRETMARKER\"}SECRETMARKER",
		"{\"k\":\"SECRETMARKER\",\"k\":\"SECRETMARKER\"}",
		"[\"SECRETMARKER\",]",
		NULL
	};

	for (size_t i = 0; v[i] != NULL; i++) {
		hc_detail d = { "" };
		hc_json *j = NULL;
		HC_ASSERT_STATUS(parse_n(v[i], strlen(v[i]), &j, &d),
		    HC_MALFORMED);
		CU_ASSERT(d.text[0] != '\0');
		if (strstr(d.text, "SECRET") != NULL)
			fprintf(stderr, "\ndetail echoes input: %s\n", d.text);
		CU_ASSERT_PTR_NULL(strstr(d.text, "SECRET"));
	}
}

/* Parsing with no detail buffer works and still refuses. */
static void
test_null_detail(void)
{
	hc_json *j = NULL;

	HC_ASSERT_STATUS(parse_n("[1,]", 4, &j, NULL), HC_MALFORMED);
	CU_ASSERT_PTR_NULL(j);
	HC_ASSERT_STATUS(parse_n("{\"a\":1,\"a\":2}", 13, &j, NULL),
	    HC_MALFORMED);
	CU_ASSERT_PTR_NULL(j);
	HC_ASSERT_STATUS(parse_n("[1]", 3, &j, NULL), HC_OK);
	hc_json_free(j);
}

/* -------------------------------------------------------- accessors */

static void
test_get_is_case_sensitive(void)
{
	hc_json *j = OKJ("{\"alg\":\"ES256\",\"Alg\":\"none\",\"ALGx\":1}");
	hc_json *k = OKJ("{\"Alg\":\"none\"}");

	CU_ASSERT_STRING_EQUAL(hc_json_string(hc_json_get(j, "alg")), "ES256");
	CU_ASSERT_STRING_EQUAL(hc_json_string(hc_json_get(j, "Alg")), "none");
	CU_ASSERT_PTR_NULL(hc_json_get(j, "ALG"));
	CU_ASSERT_PTR_NULL(hc_json_get(j, "al"));
	CU_ASSERT_PTR_NULL(hc_json_get(j, "algx"));
	CU_ASSERT_PTR_NULL(hc_json_get(k, "alg"));
	CU_ASSERT_STRING_EQUAL(hc_json_string(hc_json_get(k, "Alg")), "none");
	/* Not an object: nothing to get. */
	CU_ASSERT_PTR_NULL(hc_json_get(NULL, "alg"));
	CU_ASSERT_PTR_NULL(hc_json_get(hc_json_get(j, "alg"), "alg"));
	hc_json_free(j);
	hc_json_free(k);
	j = OKJ("[\"alg\"]");
	CU_ASSERT_PTR_NULL(hc_json_get(j, "alg"));
	CU_ASSERT_PTR_NULL(hc_json_get(j, "0"));
	hc_json_free(j);
}

static void
test_types_and_walk(void)
{
	static const char doc[] = "{\"n\":null,\"f\":false,\"t\":true,"
	    "\"num\":-2.5e2,\"s\":\"x\",\"a\":[1,\"2\"],\"o\":{\"k\":1}}";
	static const hc_json_type want[] = {
		HC_JSON_NULL, HC_JSON_FALSE, HC_JSON_TRUE, HC_JSON_NUMBER,
		HC_JSON_STRING, HC_JSON_ARRAY, HC_JSON_OBJECT
	};
	static const char *const names[] = {
		"n", "f", "t", "num", "s", "a", "o"
	};
	static const char *const tnames[] = {
		"null", "boolean", "boolean", "number", "string", "array",
		"object"
	};
	hc_json *j = ok_n(doc, strlen(doc), __LINE__);
	const hc_json *c;
	size_t i = 0;
	double v = 0;

	CU_ASSERT_EQUAL(hc_json_type_of(j), HC_JSON_OBJECT);
	CU_ASSERT_EQUAL(hc_json_count(j), 7);
	for (c = hc_json_first(j); c != NULL; c = hc_json_next(c), i++) {
		CU_ASSERT_FATAL(i < 7);
		CU_ASSERT_STRING_EQUAL(hc_json_name(c), names[i]);
		CU_ASSERT_EQUAL(hc_json_type_of(c), want[i]);
		CU_ASSERT_STRING_EQUAL(hc_json_type_name(hc_json_type_of(c)),
		    tnames[i]);
	}
	CU_ASSERT_EQUAL(i, 7);
	CU_ASSERT(hc_json_number(hc_json_get(j, "num"), &v));
	CU_ASSERT_DOUBLE_EQUAL(v, -250.0, 0.0);
	CU_ASSERT_FALSE(hc_json_number(hc_json_get(j, "s"), &v));
	CU_ASSERT_FALSE(hc_json_number(NULL, &v));
	CU_ASSERT_PTR_NULL(hc_json_string(hc_json_get(j, "num")));
	CU_ASSERT_PTR_NULL(hc_json_string(NULL));
	CU_ASSERT_EQUAL(hc_json_count(hc_json_get(j, "a")), 2);
	CU_ASSERT_EQUAL(hc_json_count(hc_json_get(j, "s")), 0);
	CU_ASSERT_PTR_NULL(hc_json_first(hc_json_get(j, "s")));
	CU_ASSERT_EQUAL(hc_json_type_of(NULL), HC_JSON_INVALID);
	CU_ASSERT_STRING_EQUAL(hc_json_type_name(HC_JSON_INVALID), "nothing");
	CU_ASSERT_PTR_NULL(hc_json_next(NULL));
	CU_ASSERT_PTR_NULL(hc_json_name(NULL));
	hc_json_free(j);
}

/* -------------------------------------------------- builders, print */

static void
test_builders_and_print(void)
{
	hc_json *o = hc_json_new_object(), *a = hc_json_new_array(), *j, *dup;
	char *text, *again;
	hc_detail d = { "" };

	CU_ASSERT_FATAL(o != NULL && a != NULL);
	hc_json_add_string(o, "s", "x\"y\\z\n\x01\xc3\xa9");
	hc_json_add_number(o, "n", 1.5);
	hc_json_add_number(o, "i", 1767225600);
	hc_json_add_bool(o, "t", true);
	hc_json_add_bool(o, "f", false);
	hc_json_add_null(o, "z");
	hc_json_add_string(o, "nul", NULL);     /* a NULL string is null */
	hc_json_append(a, hc_json_new_string("a"));
	hc_json_append(a, hc_json_new_object());
	hc_json_add(o, "arr", a);

	text = hc_json_print(o);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_STRING_EQUAL(text, "{\"s\":\"x\\\"y\\\\z\\n\\u0001\xc3\xa9\","
	    "\"n\":1.5,\"i\":1767225600,\"t\":true,\"f\":false,\"z\":null,"
	    "\"nul\":null,\"arr\":[\"a\",{}]}");

	/* The printed text goes back through the strict parser unchanged. */
	HC_ASSERT_STATUS(parse_n(text, strlen(text), &j, &d), HC_OK);
	CU_ASSERT_STRING_EQUAL(hc_json_string(hc_json_get(j, "s")),
	    "x\"y\\z\n\x01\xc3\xa9");
	again = hc_json_print(j);
	CU_ASSERT_STRING_EQUAL(again, text);
	free(again);

	/* A duplicate is deep and independent. */
	dup = hc_json_dup(o);
	hc_json_free(o);
	again = hc_json_print(dup);
	CU_ASSERT_STRING_EQUAL(again, text);
	free(again);
	hc_json_free(dup);

	again = hc_json_print_pretty(j);
	CU_ASSERT_PTR_NOT_NULL(again);
	CU_ASSERT_PTR_NOT_NULL(strchr(again, '\n'));
	hc_json_free(j);
	HC_ASSERT_STATUS(parse_n(again, strlen(again), &j, &d), HC_OK);
	hc_json_free(j);
	free(again);
	free(text);
}

/* Builders tolerate NULL on either side (and free what they drop). */
static void
test_builders_null(void)
{
	hc_json *o = hc_json_new_object();
	char *t;

	hc_json_add(NULL, "x", hc_json_new_string("leak?"));
	hc_json_append(NULL, hc_json_new_object());
	hc_json_add(o, "x", NULL);
	hc_json_append(o, NULL);
	hc_json_add_string(NULL, "x", "y");
	hc_json_add_number(NULL, "x", 1);
	hc_json_add_bool(NULL, "x", true);
	hc_json_add_null(NULL, "x");
	CU_ASSERT_PTR_NULL(hc_json_dup(NULL));
	CU_ASSERT_PTR_NULL(hc_json_print(NULL));
	CU_ASSERT_PTR_NULL(hc_json_print_pretty(NULL));
	t = hc_json_print(o);
	CU_ASSERT_STRING_EQUAL(t, "{}");
	free(t);
	hc_json_free(o);
	hc_json_free(NULL);
}

/* Parse, print, parse again: a fixed point after one round. */
static void
test_print_round_trip(void)
{
	static const char *const docs[] = {
		"{\"iss\":\"https://sts.example\",\"aud\":[\"a\",\"b\"],"
		"\"exp\":1767226200.5,"
		"\"act\":{\"sub\":\"x\",\"act\":{\"sub\":\"y\"}},"
		"\"cnf\":{\"x5t#S256\":"
		"\"A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0\"},"
		"\"e\":[],\"o\":{},\"n\":null,\"b\":false,"
		"\"u\":\"\\u00e9\\ud83d\\ude00\"}",
		"[1,-1,0.5,-0,1e300,\"\\t\"]",
		"\"plain\"",
		NULL
	};

	for (size_t i = 0; docs[i] != NULL; i++) {
		hc_json *a = ok_n(docs[i], strlen(docs[i]), __LINE__), *b;
		char *t1 = hc_json_print(a), *t2;
		b = ok_n(t1, strlen(t1), __LINE__);
		t2 = hc_json_print(b);
		CU_ASSERT_STRING_EQUAL(t1, t2);
		CU_ASSERT_EQUAL(hc_json_count(a), hc_json_count(b));
		free(t1);
		free(t2);
		hc_json_free(a);
		hc_json_free(b);
	}
}

/*
 * A parsed tree is one block built by json.c, not by cJSON's parser: it
 * must read and print exactly as cJSON's own tree of the same text, for
 * escapes, surrogate pairs, UTF-8, every kind of number and nesting; and
 * hc_json_rebuild() of the accepted text, with hc_json_nodes() of the
 * tree, must give the same tree again.  A copy (hc_json_dup()) is an
 * ordinary tree that may be added to.
 */
static void
test_block_tree_matches_cjson(void)
{
	static const char *const docs[] = {
		"{\"a\":\"x\\\"y\\\\z\\/\\b\\f\\n\\r\\t\"}",
		"{\"\\u0061lg\":\"\\u00e9\\u20ac\\ud83d\\ude00\\u0001\"}",
		"{\"u\":\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80 plain\"}",
		("[0,-0,1,-1,1767225600,123456789012345,1234567890123456,"
		    "12345678901234567890,1.5,-2.25e3,1E-7,2147483648,"
		    "-2147483649,1e308,0.1]"),
		("{\"t\":true,\"f\":false,\"n\":null,\"e\":{},\"a\":[],"
		    "\"s\":\"\"}"),
		" { \"o\" : { \"p\" : [ 1 , { \"q\" : [ ] } ] } } ",
		"\"just a string\"",
		"42",
	};

	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		hc_json *j = NULL, *r, *dup;
		hc_detail d;
		char *mine, *theirs, *again;
		struct cJSON *c;

		HC_ASSERT_STATUS(hc_json_parse(docs[i], strlen(docs[i]), &j, &d),
		    HC_OK);
		CU_ASSERT_PTR_NOT_NULL_FATAL(j);
		c = cJSON_ParseWithLength(docs[i], strlen(docs[i]));
		CU_ASSERT_PTR_NOT_NULL_FATAL(c);
		mine = hc_json_print(j);
		theirs = cJSON_PrintUnformatted(c);
		CU_ASSERT_STRING_EQUAL(mine, theirs);
		r = hc_json_rebuild(docs[i], strlen(docs[i]), hc_json_nodes(j));
		CU_ASSERT_PTR_NOT_NULL_FATAL(r);
		again = hc_json_print(r);
		CU_ASSERT_STRING_EQUAL(again, theirs);
		dup = hc_json_dup(r);
		hc_json_add_string(dup, "added", "fine");
		hc_json_free(dup);
		free(again);
		free(mine);
		free(theirs);
		cJSON_Delete(c);
		hc_json_free(r);
		hc_json_free(j);
	}
	/* Too few nodes for the text: refused, never overrun. */
	CU_ASSERT_PTR_NULL(hc_json_rebuild("[1,2,3]", 7, 3));
	CU_ASSERT_PTR_NULL(hc_json_rebuild("[1,2", 4, 3));
}

static const hc_test grammar_tests[] = {
	{ "valid values accepted", test_values_accepted },
	{ "RFC 8259 numbers only", test_numbers_refused },
	{ "long numbers", test_long_numbers },
	{ "structure errors refused", test_structure_refused },
	{ "comments only through parse_commented", test_comments },
	{ "error offsets and line/column", test_error_positions },
	{ "trailing bytes and whitespace", test_trailing_bytes },
	{ NULL, NULL }
};

static const hc_test text_tests[] = {
	{ "ill-formed UTF-8 refused", test_utf8_refused },
	{ "well-formed UTF-8 kept", test_utf8_accepted },
	{ "escapes", test_escapes },
	{ "control characters in strings", test_control_characters },
	{ NULL, NULL }
};

static const hc_test bound_tests[] = {
	{ "HC_JSON_MAX_DEPTH", test_depth },
	{ "HC_JSON_MAX_MEMBERS", test_members },
	{ "HC_JSON_MAX_BYTES", test_max_bytes },
	{ "duplicate member names", test_duplicates },
	{ "details do not echo the input", test_detail_has_no_input },
	{ "NULL detail", test_null_detail },
	{ NULL, NULL }
};

static const hc_test access_tests[] = {
	{ "hc_json_get is case-sensitive", test_get_is_case_sensitive },
	{ "types, names, counts, walking", test_types_and_walk },
	{ "builders and print", test_builders_and_print },
	{ "builders tolerate NULL", test_builders_null },
	{ "print round trip", test_print_round_trip },
	{ "one-block trees read as cJSON's", test_block_tree_matches_cjson },
	{ NULL, NULL }
};

static const hc_suite suites[] = {
	{ "json grammar", grammar_tests },
	{ "json strings", text_tests },
	{ "json bounds and duplicates", bound_tests },
	{ "json accessors and builders", access_tests },
	{ NULL, NULL }
};

int
main(void)
{
	return hc_test_main(suites);
}
