/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_spiffe.c - the SPIFFE ID grammar (src/spiffe.c).
 *
 * Two halves.  The first runs every case of testvectors/spiffe_ids.json,
 * the language-neutral table that other implementations can run too,
 * through the public hc_spiffe_id_parse() and the internal checker, and
 * compares verdict, trust domain and path.  The second tests each rule of
 * SPIFFE-ID sections 2-2.3 directly, with the exact status and the part of
 * the detail that names the rule, the byte and its offset.
 *
 * Inputs are handed to the library in heap buffers of exactly their length,
 * with no terminating NUL, so that a read past `len` is caught by
 * AddressSanitizer rather than hidden by a convenient terminator.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "internal.h"
#include "testutil.h"

#define VECTORS_PATH "testvectors/spiffe_ids.json"
#define MIN_VECTOR_CASES 60

/*
 * cJSON returns strings as C strings, so a "\u0000" escape would cut the ID
 * short.  Before parsing, each such escape is rewritten to "\uE000" (same
 * length), a private-use character the file never uses otherwise, whose
 * UTF-8 form EE 80 80 is turned back into one NUL byte afterwards.
 */
#define NUL_STANDIN "\xee\x80\x80"
#define NUL_STANDIN_LEN 3

/* ------------------------------------------------------------ helpers */

/* A heap copy of the n bytes at s, without a terminator (for overreads). */
static char *
exact_copy(const char *s, size_t n)
{
	char *r = malloc(n > 0 ? n : 1);

	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	if (n > 0)
		memcpy(r, s, n);
	return r;
}

/* Runs the checker over exactly n bytes of s; returns its status. */
static hc_status
check_n(const char *s, size_t n, size_t *td_len, hc_detail *d)
{
	char *buf = exact_copy(s, n);
	hc_status st;

	d->text[0] = '\0';
	st = hc_spiffe_id_check(buf, n, td_len, d);
	free(buf);
	return st;
}

static hc_status
check(const char *s, hc_detail *d)
{
	return check_n(s, strlen(s), NULL, d);
}

static hc_status
td_check(const char *s, size_t n, hc_detail *d)
{
	char *buf = exact_copy(s, n);
	hc_status st;

	d->text[0] = '\0';
	st = hc_spiffe_td_check(buf, n, d);
	free(buf);
	return st;
}

/* A detail must be present, bounded, and printable ASCII throughout. */
static void
assert_detail_ok(const char *detail)
{
	size_t n;

	CU_ASSERT_PTR_NOT_NULL_FATAL(detail);
	n = strlen(detail);
	CU_ASSERT(n > 0);
	CU_ASSERT(n < HC_DETAIL_MAX);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)detail[i];
		if (c < 0x20 || c >= 0x7f) {
			fprintf(stderr, "\ndetail byte 0x%02x at %zu: %s\n", c,
			    i, detail);
			CU_FAIL("detail holds a non-printable byte");
			return;
		}
	}
}

/* Asserts that `detail` contains `want`, showing both when it does not. */
#define ASSERT_DETAIL_HAS(detail, want) \
	assert_detail_has((detail), (want), __LINE__)

static void
assert_detail_has(const char *detail, const char *want, int line)
{
	assert_detail_ok(detail);
	if (detail == NULL || strstr(detail, want) == NULL) {
		fprintf(stderr, "\nline %d: detail \"%s\" lacks \"%s\"\n", line,
		    detail ? detail : "(null)", want);
		CU_FAIL("detail names the rule");
	}
}

/* Asserts that an output string is present and equal to `want`. */
#define ASSERT_OUT(got, want) assert_out((got), (want), __LINE__)

static void
assert_out(const char *got, const char *want, int line)
{
	if (got == NULL || strcmp(got, want) != 0) {
		fprintf(stderr, "\nline %d: got %s%s%s, want \"%s\"\n", line,
		    got ? "\"" : "", got ? got : "(null)", got ? "\"" : "",
		    want);
		CU_FAIL("output string as expected");
	}
}

/* Builds prefix + c * k + suffix with total length n (heap, NUL-ended). */
static char *
repeat(const char *prefix, char c, size_t n, const char *suffix)
{
	size_t pl = strlen(prefix), sl = strlen(suffix);
	char *r;

	CU_ASSERT_FATAL(pl + sl <= n);
	r = malloc(n + 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	memcpy(r, prefix, pl);
	memset(r + pl, c, n - pl - sl);
	memcpy(r + n - sl, suffix, sl);
	r[n] = '\0';
	return r;
}

/* ------------------------------------------------------- the vector file */

/*
 * Rewrites each "\u0000" escape of the JSON text to "\uE000", walking the
 * escapes so that an escaped backslash followed by "u0000" is left alone.
 * Fails the test if the text already uses U+E000 in either spelling.
 */
static void
map_nul_escapes(char *text, size_t len)
{
	CU_ASSERT_FATAL(strstr(text, NUL_STANDIN) == NULL);
	for (size_t i = 0; i + 1 < len; i++) {
		if (text[i] != '\\')
			continue;
		if (text[i + 1] == 'u' && i + 5 < len) {
			CU_ASSERT_FATAL(strncmp(text + i + 2, "E000", 4) != 0 &&
			    strncmp(text + i + 2, "e000", 4) != 0);
			if (strncmp(text + i + 2, "0000", 4) == 0)
				memcpy(text + i + 2, "E000", 4);
		}
		i++;	/* skip the escaped character */
	}
}

/* Turns each NUL_STANDIN of s back into a NUL; returns the new length. */
static size_t
unmap_nul(char *s)
{
	size_t i = 0, o = 0, n = strlen(s);

	while (i < n) {
		if (n - i >= NUL_STANDIN_LEN &&
		    memcmp(s + i, NUL_STANDIN, NUL_STANDIN_LEN) == 0) {
			s[o++] = '\0';
			i += NUL_STANDIN_LEN;
		} else
			s[o++] = s[i++];
	}
	s[o] = '\0';
	return o;
}

/*
 * Reads string field `name` of case c, literal or in the `<name>_repeat`
 * notation described in the file.  Returns true and a heap copy (with its
 * length, which counts NUL bytes) when exactly one form is present; false,
 * with *out NULL, when neither is.  A malformed entry fails the test.
 */
static bool
vector_string(const cJSON *c, const char *name, char **out, size_t *len)
{
	char rname[64];
	const cJSON *lit, *rep;

	*out = NULL;
	*len = 0;
	(void)snprintf(rname, sizeof(rname), "%s_repeat", name);
	lit = cJSON_GetObjectItemCaseSensitive(c, name);
	rep = cJSON_GetObjectItemCaseSensitive(c, rname);
	CU_ASSERT_FATAL(lit == NULL || rep == NULL);
	if (lit != NULL) {
		CU_ASSERT_FATAL(cJSON_IsString(lit));
		*out = strdup(lit->valuestring);
		CU_ASSERT_PTR_NOT_NULL_FATAL(*out);
		*len = unmap_nul(*out);
		return true;
	}
	if (rep != NULL) {
		const cJSON *p, *ch, *tl, *sf;

		CU_ASSERT_FATAL(cJSON_IsObject(rep));
		p = cJSON_GetObjectItemCaseSensitive(rep, "prefix");
		ch = cJSON_GetObjectItemCaseSensitive(rep, "char");
		tl = cJSON_GetObjectItemCaseSensitive(rep, "total_len");
		sf = cJSON_GetObjectItemCaseSensitive(rep, "suffix");
		CU_ASSERT_FATAL(cJSON_IsString(p) && cJSON_IsString(ch));
		CU_ASSERT_FATAL(strlen(ch->valuestring) == 1);
		CU_ASSERT_FATAL(cJSON_IsNumber(tl) && tl->valuedouble >= 0 &&
		    tl->valuedouble <= 65536 &&
		    tl->valuedouble == (double)tl->valueint);
		CU_ASSERT_FATAL(sf == NULL || cJSON_IsString(sf));
		*out = repeat(p->valuestring, ch->valuestring[0],
		    (size_t)tl->valueint, sf ? sf->valuestring : "");
		*len = (size_t)tl->valueint;
		return true;
	}
	return false;
}

/* Runs one case; returns true when it behaves as the file says. */
static bool
run_vector(const cJSON *c, size_t index)
{
	const cJSON *valid, *reason;
	char *id = NULL, *want_td = NULL, *want_path = NULL, *buf;
	char *td = NULL, *path = NULL, *detail = NULL;
	size_t idlen, wtdlen, wpathlen, tdlen = 99;
	bool has_td, has_path, ok = true;
	hc_detail d;
	hc_status st, st2;

	CU_ASSERT_FATAL(cJSON_IsObject(c));
	valid = cJSON_GetObjectItemCaseSensitive(c, "valid");
	reason = cJSON_GetObjectItemCaseSensitive(c, "reason");
	CU_ASSERT_FATAL(cJSON_IsBool(valid));
	CU_ASSERT_FATAL(cJSON_IsString(reason) &&
	    reason->valuestring[0] != '\0');
	CU_ASSERT_FATAL(vector_string(c, "id", &id, &idlen));
	has_td = vector_string(c, "trust_domain", &want_td, &wtdlen);
	has_path = vector_string(c, "path", &want_path, &wpathlen);
	/* Valid cases give both expectations, invalid ones neither. */
	CU_ASSERT_FATAL(has_td == (bool)cJSON_IsTrue(valid));
	CU_ASSERT_FATAL(has_path == (bool)cJSON_IsTrue(valid));

	buf = exact_copy(id, idlen);
	st = hc_spiffe_id_parse(buf, idlen, &td, &path, &detail);
	st2 = hc_spiffe_id_check(buf, idlen, &tdlen, &d);
	free(buf);

	HC_ASSERT_STATUS(st, cJSON_IsTrue(valid) ? HC_OK : HC_MALFORMED);
	HC_ASSERT_STATUS(st2, st);
	if (cJSON_IsTrue(valid)) {
		ok = st == HC_OK && td != NULL && path != NULL &&
		    detail == NULL && strlen(td) == wtdlen &&
		    strcmp(td, want_td) == 0 && strlen(path) == wpathlen &&
		    strcmp(path, want_path) == 0 && tdlen == wtdlen;
	} else {
		ok = st == HC_MALFORMED && td == NULL && path == NULL &&
		    detail != NULL && tdlen == 0;
		assert_detail_ok(detail);
	}
	if (!ok)
		fprintf(stderr, "\ncase %zu (%s): status %s, td %s, path %s, "
		    "detail %s\n", index, reason->valuestring,
		    hc_status_name(st), td ? td : "(null)",
		    path ? path : "(null)", detail ? detail : "(null)");
	CU_ASSERT(ok);

	hc_string_free(td);
	hc_string_free(path);
	hc_string_free(detail);
	free(id);
	free(want_td);
	free(want_path);
	return ok;
}

static void
test_vector_file(void)
{
	char *text;
	size_t len, n = 0, nvalid = 0, failed = 0;
	cJSON *root;
	const cJSON *cases, *c, *desc, *src;

	text = hc_test_read(VECTORS_PATH, &len);
	map_nul_escapes(text, len);
	root = cJSON_ParseWithLength(text, len);
	free(text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(root);
	desc = cJSON_GetObjectItemCaseSensitive(root, "description");
	src = cJSON_GetObjectItemCaseSensitive(root, "source");
	cases = cJSON_GetObjectItemCaseSensitive(root, "cases");
	CU_ASSERT(cJSON_IsString(desc));
	CU_ASSERT(cJSON_IsString(src));
	CU_ASSERT_FATAL(cJSON_IsArray(cases));
	cJSON_ArrayForEach(c, cases) {
		if (!run_vector(c, n))
			failed++;
		if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(c, "valid")))
			nvalid++;
		n++;
	}
	cJSON_Delete(root);
	CU_ASSERT(n >= MIN_VECTOR_CASES);
	/* Both verdicts must be well represented for the file to mean much. */
	CU_ASSERT(nvalid >= 15);
	CU_ASSERT(n - nvalid >= 40);
	CU_ASSERT_EQUAL(failed, 0);
}

/* Each escape form of the NUL mapping, so that the loader itself is tested. */
static void
test_vector_nul_mapping(void)
{
	char text[] = "[\"a\\u0000b\", \"c\\\\u0000\"]";
	cJSON *root;
	char *s;
	size_t n;

	map_nul_escapes(text, strlen(text));
	root = cJSON_Parse(text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(root);
	s = strdup(cJSON_GetArrayItem(root, 0)->valuestring);
	n = unmap_nul(s);
	CU_ASSERT_EQUAL(n, 3);
	CU_ASSERT(memcmp(s, "a\0b", 3) == 0);
	free(s);
	/* An escaped backslash before "u0000" is text, not a NUL. */
	CU_ASSERT_STRING_EQUAL(cJSON_GetArrayItem(root, 1)->valuestring,
	    "c\\u0000");
	cJSON_Delete(root);
}

/* ------------------------------------------------------------ the rules */

static void
test_parse_outputs(void)
{
	const char *id = "spiffe://example.org/ns/prod/sa/web";
	/* Sentinels: the call must overwrite every out-parameter. */
	char *td = (char *)1, *path = (char *)1, *detail = (char *)1;
	size_t tdlen = 0;
	hc_detail d;

	HC_ASSERT_STATUS(hc_spiffe_id_parse(id, strlen(id), &td, &path,
	    &detail), HC_OK);
	ASSERT_OUT(td, "example.org");
	ASSERT_OUT(path, "/ns/prod/sa/web");
	CU_ASSERT_PTR_NULL(detail);
	hc_string_free(td);
	hc_string_free(path);

	HC_ASSERT_STATUS(check_n(id, strlen(id), &tdlen, &d), HC_OK);
	CU_ASSERT_EQUAL(tdlen, strlen("example.org"));

	/* No path: the path output is "", not NULL. */
	HC_ASSERT_STATUS(hc_spiffe_id_parse("spiffe://td", 11, &td, &path,
	    &detail), HC_OK);
	ASSERT_OUT(td, "td");
	ASSERT_OUT(path, "");
	hc_string_free(td);
	hc_string_free(path);

	/* Every out-parameter is optional. */
	HC_ASSERT_STATUS(hc_spiffe_id_parse(id, strlen(id), NULL, NULL, NULL),
	    HC_OK);
	HC_ASSERT_STATUS(hc_spiffe_id_parse("spiffe://A", 10, NULL, NULL,
	    NULL), HC_MALFORMED);
	HC_ASSERT_STATUS(hc_spiffe_id_parse(id, strlen(id), NULL, &path,
	    NULL), HC_OK);
	ASSERT_OUT(path, "/ns/prod/sa/web");
	hc_string_free(path);
}

static void
test_parse_failure_clears_outputs(void)
{
	char *td = (char *)1, *path = (char *)1, *detail = NULL;
	size_t tdlen = 7;
	hc_detail d;

	HC_ASSERT_STATUS(hc_spiffe_id_parse("spiffe://example.org/a/", 23,
	    &td, &path, &detail), HC_MALFORMED);
	CU_ASSERT_PTR_NULL(td);
	CU_ASSERT_PTR_NULL(path);
	ASSERT_DETAIL_HAS(detail, "trailing '/'");
	hc_string_free(detail);

	HC_ASSERT_STATUS(check_n("spiffe://x/", 11, &tdlen, &d),
	    HC_MALFORMED);
	CU_ASSERT_EQUAL(tdlen, 0);
}

static void
test_missing_and_empty(void)
{
	char *detail = NULL, *td = (char *)1;
	hc_detail d;

	HC_ASSERT_STATUS(hc_spiffe_id_parse(NULL, 0, &td, NULL, &detail),
	    HC_MALFORMED);
	CU_ASSERT_PTR_NULL(td);
	ASSERT_DETAIL_HAS(detail, "missing");
	hc_string_free(detail);
	HC_ASSERT_STATUS(hc_spiffe_id_check(NULL, 5, NULL, &d), HC_MALFORMED);
	HC_ASSERT_STATUS(hc_spiffe_id_check("spiffe://x", 0, NULL, &d),
	    HC_MALFORMED);
	ASSERT_DETAIL_HAS(d.text, "empty");
	/* A NULL detail buffer is allowed. */
	HC_ASSERT_STATUS(hc_spiffe_id_check("x", 1, NULL, NULL),
	    HC_MALFORMED);
	HC_ASSERT_STATUS(hc_spiffe_td_check(NULL, 0, &d), HC_MALFORMED);
}

/* SPIFFE-ID 2, 2.1, 2.4: the scheme is exactly lowercase "spiffe://". */
static void
test_scheme(void)
{
	hc_detail d;

	HC_ASSERT_STATUS(check("SPIFFE://example.org/x", &d), HC_MALFORMED);
	ASSERT_DETAIL_HAS(d.text, "not lowercase \"spiffe://\"");
	HC_ASSERT_STATUS(check("spiffE://example.org/x", &d), HC_MALFORMED);
	ASSERT_DETAIL_HAS(d.text, "not lowercase");
	HC_ASSERT_STATUS(check("http://example.org/x", &d), HC_MALFORMED);
	ASSERT_DETAIL_HAS(d.text, "does not start with \"spiffe://\"");
	HC_ASSERT_STATUS(check("spiffe:/", &d), HC_MALFORMED);
	ASSERT_DETAIL_HAS(d.text, "does not start with");
	HC_ASSERT_STATUS(check("spiffe:/x/y", &d), HC_MALFORMED);
	HC_ASSERT_STATUS(check("spiffe", &d), HC_MALFORMED);
	/* "spiffe://" spread over a NUL is not the scheme. */
	HC_ASSERT_STATUS(check_n("spiffe:\0//x", 11, NULL, &d), HC_MALFORMED);
	/* The length decides: the first 9 bytes alone are only the scheme. */
	HC_ASSERT_STATUS(check_n("spiffe://example.org", 9, NULL, &d),
	    HC_MALFORMED);
	ASSERT_DETAIL_HAS(d.text, "trust domain is empty");
	HC_ASSERT_STATUS(check_n("spiffe://example.org/x", 8, NULL, &d),
	    HC_MALFORMED);
	ASSERT_DETAIL_HAS(d.text, "does not start with");
}

/* SPIFFE-ID 2.1: the exact detail of the rule's example. */
static void
test_td_uppercase(void)
{
	hc_detail d;

	HC_ASSERT_STATUS(check("spiffe://Example.org/x", &d), HC_MALFORMED);
	ASSERT_DETAIL_HAS(d.text, "trust domain character 'E' at offset 9 "
	    "is not lowercase [a-z0-9.-_]");
	ASSERT_DETAIL_HAS(d.text, "\"spiffe://Example.org/x\"");
	HC_ASSERT_STATUS(check("spiffe://example.orG", &d), HC_MALFORMED);
	ASSERT_DETAIL_HAS(d.text, "'G' at offset 19");
}

/*
 * Every byte value in the trust domain and at the end of a path segment:
 * accepted exactly when it is in the set of SPIFFE-ID 2.1 or 2.2 (the same
 * sweep as go-spiffe's tests, over all 256 values so that UTF-8 lead and
 * continuation bytes are covered).
 */
static void
test_charset_sweep(void)
{
	char id[32];
	size_t n;
	hc_detail d;

	for (int c = 0; c < 256; c++) {
		bool lower = c >= 'a' && c <= 'z', upper = c >= 'A' && c <= 'Z';
		bool digit = c >= '0' && c <= '9';
		bool punct = c == '.' || c == '-' || c == '_';
		hc_status want;

		if (c == '/')
			continue;
		memcpy(id, "spiffe://td", 11);
		id[11] = (char)c;
		memcpy(id + 12, "/path", 5);
		n = 17;
		want = lower || digit || punct ? HC_OK : HC_MALFORMED;
		HC_ASSERT_STATUS(check_n(id, n, NULL, &d), want);
		if (want != HC_OK) {
			assert_detail_ok(d.text);
			CU_ASSERT(strstr(d.text, "offset 11") != NULL);
		}
		HC_ASSERT_STATUS(td_check(id + 9, 3, &d), want);

		memcpy(id, "spiffe://td/path", 16);
		id[16] = (char)c;
		n = 17;
		want = lower || upper || digit || punct ? HC_OK : HC_MALFORMED;
		HC_ASSERT_STATUS(check_n(id, n, NULL, &d), want);
		if (want != HC_OK) {
			assert_detail_ok(d.text);
			CU_ASSERT(strstr(d.text, "offset 16") != NULL);
		}
	}
}

/* SPIFFE-ID 2.1: no userinfo, no port. */
static void
test_userinfo_port(void)
{
	hc_detail d;

	HC_ASSERT_STATUS(check("spiffe://example.org:8443/x", &d),
	    HC_MALFORMED);
	ASSERT_DETAIL_HAS(d.text, "port: ':' at offset 20");
	HC_ASSERT_STATUS(check("spiffe://example.org:", &d), HC_MALFORMED);
	ASSERT_DETAIL_HAS(d.text, "port");
	HC_ASSERT_STATUS(check("spiffe://user@example.org/x", &d),
	    HC_MALFORMED);
	ASSERT_DETAIL_HAS(d.text, "userinfo: '@' at offset 13");
	/* With a password, the ':' belongs to the userinfo, not a port. */
	HC_ASSERT_STATUS(check("spiffe://user:pw@test.org/p", &d),
	    HC_MALFORMED);
	ASSERT_DETAIL_HAS(d.text, "userinfo: '@' at offset 16");
}

/* SPIFFE-ID 2: no query, no fragment, wherever they start. */
static void
test_query_fragment(void)
{
	hc_detail d;

	HC_ASSERT_STATUS(check("spiffe://example.org/x?y=1", &d),
	    HC_MALFORMED);
	ASSERT_DETAIL_HAS(d.text, "query is not allowed: '?' at offset 22");
	HC_ASSERT_STATUS(check("spiffe://example.org/x#f", &d), HC_MALFORMED);
	ASSERT_DETAIL_HAS(d.text, "fragment is not allowed: '#' at offset 22");
	HC_ASSERT_STATUS(check("spiffe://example.org?y", &d), HC_MALFORMED);
	ASSERT_DETAIL_HAS(d.text, "query is not allowed: '?' at offset 20");
	HC_ASSERT_STATUS(check("spiffe://example.org#f", &d), HC_MALFORMED);
	ASSERT_DETAIL_HAS(d.text, "fragment is not allowed");
	/* An '@' after the query is not userinfo. */
	HC_ASSERT_STATUS(check("spiffe://example.org?a@b", &d), HC_MALFORMED);
	ASSERT_DETAIL_HAS(d.text, "query");
}

/* SPIFFE-ID 2.1 and 2.2: percent-encoding is rejected, never decoded. */
static void
test_percent(void)
{
	hc_detail d;

	HC_ASSERT_STATUS(check("spiffe://%62ad/x", &d), HC_MALFORMED);
	ASSERT_DETAIL_HAS(d.text, "trust domain is percent-encoded: '%' at "
	    "offset 9");
	HC_ASSERT_STATUS(check("spiffe://example.org/a%20b", &d),
	    HC_MALFORMED);
	ASSERT_DETAIL_HAS(d.text, "path is percent-encoded: '%' at offset 22");
	HC_ASSERT_STATUS(check("spiffe://example.org/%2e%2e", &d),
	    HC_MALFORMED);
	ASSERT_DETAIL_HAS(d.text, "percent-encoded");
}

/* SPIFFE-ID 2.1: brackets are outside the set, so IPv6 is impossible. */
static void
test_ip_literals(void)
{
	char *td = NULL;
	hc_detail d;

	HC_ASSERT_STATUS(check("spiffe://[::1]/x", &d), HC_MALFORMED);
	ASSERT_DETAIL_HAS(d.text, "'[' at offset 9");
	ASSERT_DETAIL_HAS(d.text, "IPv6");
	HC_ASSERT_STATUS(hc_spiffe_id_parse("spiffe://10.0.0.1/x", 19, &td,
	    NULL, NULL), HC_OK);
	ASSERT_OUT(td, "10.0.0.1");
	hc_string_free(td);
}

/* SPIFFE-ID 2.2: no empty segment, no trailing '/', no "." or "..". */
static void
test_path_segments(void)
{
	hc_detail d;

	HC_ASSERT_STATUS(check("spiffe://example.org/a//b", &d), HC_MALFORMED);
	ASSERT_DETAIL_HAS(d.text, "empty segment: \"//\" at offset 22");
	HC_ASSERT_STATUS(check("spiffe://td//", &d), HC_MALFORMED);
	ASSERT_DETAIL_HAS(d.text, "empty segment: \"//\" at offset 11");
	HC_ASSERT_STATUS(check("spiffe://example.org/a/", &d), HC_MALFORMED);
	ASSERT_DETAIL_HAS(d.text, "trailing '/' at offset 22");
	HC_ASSERT_STATUS(check("spiffe://td/", &d), HC_MALFORMED);
	ASSERT_DETAIL_HAS(d.text, "trailing '/'");
	HC_ASSERT_STATUS(check("spiffe://example.org/./a", &d), HC_MALFORMED);
	ASSERT_DETAIL_HAS(d.text, "path segment \".\" is a relative path "
	    "modifier (offset 21");
	HC_ASSERT_STATUS(check("spiffe://example.org/a/..", &d), HC_MALFORMED);
	ASSERT_DETAIL_HAS(d.text, "path segment \"..\" is a relative path "
	    "modifier (offset 23");
	HC_ASSERT_STATUS(check("spiffe://td/..", &d), HC_MALFORMED);
	HC_ASSERT_STATUS(check("spiffe://td/.", &d), HC_MALFORMED);

	/* Dots that are not a whole "." or ".." segment are names. */
	HC_ASSERT_STATUS(check("spiffe://example.org/.a", &d), HC_OK);
	HC_ASSERT_STATUS(check("spiffe://example.org/...", &d), HC_OK);
	HC_ASSERT_STATUS(check("spiffe://example.org/..a", &d), HC_OK);
	HC_ASSERT_STATUS(check("spiffe://example.org/a./b..", &d), HC_OK);
	HC_ASSERT_STATUS(check("spiffe://trustdomain", &d), HC_OK);

	HC_ASSERT_STATUS(check("spiffe://example.org/pa:th", &d),
	    HC_MALFORMED);
	ASSERT_DETAIL_HAS(d.text, "path character ':' at offset 23 is not in "
	    "[a-zA-Z0-9.-_]");
	HC_ASSERT_STATUS(check("spiffe://example.org/it's", &d), HC_MALFORMED);
	ASSERT_DETAIL_HAS(d.text, "path character '\\'' at offset 23");
	HC_ASSERT_STATUS(check("spiffe://example.org/caf\xc3\xa9", &d),
	    HC_MALFORMED);
	ASSERT_DETAIL_HAS(d.text, "byte 0xc3 at offset 24");
}

/* SPIFFE-ID 2.3: trust domain at most 255 bytes; ID at most 2048. */
static void
test_lengths(void)
{
	char *id, *td = NULL, *path = NULL;
	size_t tdlen = 0;
	hc_detail d;

	id = repeat("spiffe://", 'a', 9 + HC_MAX_TRUST_DOMAIN_BYTES, "");
	HC_ASSERT_STATUS(check_n(id, strlen(id), &tdlen, &d), HC_OK);
	CU_ASSERT_EQUAL(tdlen, HC_MAX_TRUST_DOMAIN_BYTES);
	HC_ASSERT_STATUS(td_check(id + 9, HC_MAX_TRUST_DOMAIN_BYTES, &d),
	    HC_OK);
	free(id);

	id = repeat("spiffe://", 'a', 9 + HC_MAX_TRUST_DOMAIN_BYTES + 1 + 2,
	    "/x");
	HC_ASSERT_STATUS(check(id, &d), HC_MALFORMED);
	ASSERT_DETAIL_HAS(d.text, "trust domain is 256 bytes, more than the "
	    "limit of 255");
	HC_ASSERT_STATUS(td_check(id + 9, HC_MAX_TRUST_DOMAIN_BYTES + 1, &d),
	    HC_MALFORMED);
	ASSERT_DETAIL_HAS(d.text, "256 bytes");
	free(id);

	/* Exactly 2048 bytes is accepted (MUST support), 2049 is not. */
	id = repeat("spiffe://example.org/", 'p', HC_MAX_SPIFFE_ID_BYTES, "");
	HC_ASSERT_STATUS(hc_spiffe_id_parse(id, HC_MAX_SPIFFE_ID_BYTES, &td,
	    &path, NULL), HC_OK);
	CU_ASSERT(path != NULL &&
	    strlen(path) == HC_MAX_SPIFFE_ID_BYTES - 20);
	hc_string_free(td);
	hc_string_free(path);
	free(id);
	id = repeat("spiffe://example.org/", 'p', HC_MAX_SPIFFE_ID_BYTES + 1,
	    "");
	HC_ASSERT_STATUS(check(id, &d), HC_MALFORMED);
	ASSERT_DETAIL_HAS(d.text, "SPIFFE ID is 2049 bytes, more than the "
	    "limit of 2048");
	free(id);

	/* The longest trust domain inside the longest ID. */
	id = repeat("spiffe://", 'z', HC_MAX_SPIFFE_ID_BYTES, "");
	id[9 + HC_MAX_TRUST_DOMAIN_BYTES] = '/';
	for (size_t i = 9 + HC_MAX_TRUST_DOMAIN_BYTES + 2;
	    i < HC_MAX_SPIFFE_ID_BYTES - 1; i += 2)
		id[i] = '/';
	HC_ASSERT_STATUS(check_n(id, HC_MAX_SPIFFE_ID_BYTES, &tdlen, &d),
	    HC_OK);
	CU_ASSERT_EQUAL(tdlen, HC_MAX_TRUST_DOMAIN_BYTES);
	free(id);
}

/* Embedded NUL bytes count in `len` and are rejected where they stand. */
static void
test_embedded_nul(void)
{
	static const char with_nul[] = "spiffe://example.org/x\0y";
	static const char td_nul[] = "spiffe://exa\0mple.org/x";
	hc_detail d;

	HC_ASSERT_STATUS(check_n(with_nul, sizeof(with_nul) - 1, NULL, &d),
	    HC_MALFORMED);
	ASSERT_DETAIL_HAS(d.text, "path has a NUL byte at offset 22");
	HC_ASSERT_STATUS(check_n(with_nul, 23, NULL, &d), HC_MALFORMED);
	ASSERT_DETAIL_HAS(d.text, "NUL byte at offset 22");
	/* Stopping before the NUL leaves a valid ID. */
	HC_ASSERT_STATUS(check_n(with_nul, 22, NULL, &d), HC_OK);
	HC_ASSERT_STATUS(check_n(td_nul, sizeof(td_nul) - 1, NULL, &d),
	    HC_MALFORMED);
	ASSERT_DETAIL_HAS(d.text, "trust domain has a NUL byte at offset 12");
	HC_ASSERT_STATUS(td_check("exa\0mple", 8, &d), HC_MALFORMED);
	ASSERT_DETAIL_HAS(d.text, "NUL byte at offset 3");
}

/* A bare trust domain name: the rules of 2.1 and 2.3, no scheme, no path. */
static void
test_td_check(void)
{
	hc_detail d;

	HC_ASSERT_STATUS(td_check("example.org", 11, &d), HC_OK);
	HC_ASSERT_STATUS(td_check("10.0.0.1", 8, &d), HC_OK);
	HC_ASSERT_STATUS(td_check("", 0, &d), HC_MALFORMED);
	ASSERT_DETAIL_HAS(d.text, "empty");
	HC_ASSERT_STATUS(td_check("Example.org", 11, &d), HC_MALFORMED);
	ASSERT_DETAIL_HAS(d.text, "'E' at offset 0 is not lowercase");
	HC_ASSERT_STATUS(td_check("spiffe://example.org", 20, &d),
	    HC_MALFORMED);
	ASSERT_DETAIL_HAS(d.text, "scheme");
	HC_ASSERT_STATUS(td_check("example.org/x", 13, &d), HC_MALFORMED);
	ASSERT_DETAIL_HAS(d.text, "'/' at offset 11");
	HC_ASSERT_STATUS(td_check("example.org:1", 13, &d), HC_MALFORMED);
	ASSERT_DETAIL_HAS(d.text, "port");
	HC_ASSERT_STATUS(td_check("u@example.org", 13, &d), HC_MALFORMED);
	ASSERT_DETAIL_HAS(d.text, "userinfo");
	HC_ASSERT_STATUS(td_check("%41", 3, &d), HC_MALFORMED);
	ASSERT_DETAIL_HAS(d.text, "percent-encoded");
	HC_ASSERT_STATUS(td_check("[::1]", 5, &d), HC_MALFORMED);
	ASSERT_DETAIL_HAS(d.text, "IPv6");
	/* Only the given length is read. */
	HC_ASSERT_STATUS(td_check("example.orgX", 11, &d), HC_OK);
}

/*
 * Details quote the input, but only a bounded, escaped prefix: a hostile ID
 * of control bytes can neither overflow the detail nor put a newline or a
 * terminal escape into a log line.
 */
static void
test_detail_bounded(void)
{
	char *id;
	char *detail = NULL;
	hc_detail d;

	/* A path of 0x1b bytes: each would quote as \x1b, four bytes. */
	id = repeat("spiffe://x/", '\x1b', HC_MAX_SPIFFE_ID_BYTES, "");
	HC_ASSERT_STATUS(check_n(id, HC_MAX_SPIFFE_ID_BYTES, NULL, &d),
	    HC_MALFORMED);
	ASSERT_DETAIL_HAS(d.text, "path character byte 0x1b at offset 11");
	ASSERT_DETAIL_HAS(d.text, "\\x1b");
	ASSERT_DETAIL_HAS(d.text, "...");
	CU_ASSERT(strlen(d.text) < HC_DETAIL_MAX - 1);
	free(id);

	/* The rule stays readable when the quote is long. */
	id = repeat("spiffe://example.org/", 'a', HC_MAX_SPIFFE_ID_BYTES, "\n");
	HC_ASSERT_STATUS(hc_spiffe_id_parse(id, HC_MAX_SPIFFE_ID_BYTES, NULL,
	    NULL, &detail), HC_MALFORMED);
	ASSERT_DETAIL_HAS(detail, "path character byte 0x0a at offset 2047");
	ASSERT_DETAIL_HAS(detail, "...");
	CU_ASSERT(strchr(detail, '\n') == NULL);
	hc_string_free(detail);
	free(id);

	/* An over-long ID is reported without reading all of it. */
	id = repeat("spiffe://", '"', 100000, "");
	HC_ASSERT_STATUS(check_n(id, 100000, NULL, &d), HC_MALFORMED);
	ASSERT_DETAIL_HAS(d.text, "100000 bytes");
	free(id);
}

static const hc_test vector_tests[] = {
	{"spiffe_ids.json, every case", test_vector_file},
	{"NUL escapes survive the loader", test_vector_nul_mapping},
	{NULL, NULL}
};

static const hc_test rule_tests[] = {
	{"parse outputs", test_parse_outputs},
	{"failure clears outputs", test_parse_failure_clears_outputs},
	{"missing and empty", test_missing_and_empty},
	{"scheme (2, 2.1, 2.4)", test_scheme},
	{"trust domain lowercase (2.1)", test_td_uppercase},
	{"character sets, all 256 bytes (2.1, 2.2)", test_charset_sweep},
	{"userinfo and port (2.1)", test_userinfo_port},
	{"query and fragment (2)", test_query_fragment},
	{"percent-encoding (2.1, 2.2)", test_percent},
	{"IP literals (2.1)", test_ip_literals},
	{"path segments (2.2)", test_path_segments},
	{"lengths (2.3)", test_lengths},
	{"embedded NUL", test_embedded_nul},
	{"bare trust domain", test_td_check},
	{"details are bounded", test_detail_bounded},
	{NULL, NULL}
};

static const hc_suite suites[] = {
	{"spiffe vectors", vector_tests},
	{"spiffe rules", rule_tests},
	{NULL, NULL}
};

int
main(void)
{
	return hc_test_main(suites);
}
