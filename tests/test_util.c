/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_util.c - the small helpers of src/util.c: SipHash-2-4 against the
 * reference vectors of its authors, quoting of untrusted values into
 * details, constant-time comparison, path joining.
 */
#include <string.h>

#include "internal.h"
#include "testutil.h"

/*
 * SipHash-2-4 reference vectors (Aumasson and Bernstein, the paper's
 * appendix and the reference implementation's vectors.h): key 00..0f,
 * input 00..(n-1).
 */
static void
test_siphash_vectors(void)
{
	static const struct {
		size_t n;
		uint64_t want;
	} v[] = {
		{ 0, 0x726fdb47dd0e0e31ULL },
		{ 1, 0x74f839c593dc67fdULL },
		{ 7, 0xab0200f58b01d137ULL },
		{ 8, 0x93f5f5799a932462ULL },
		{ 15, 0xa129ca6149be45e5ULL },
		{ 63, 0x958a324ceb064572ULL },
	};
	unsigned char key[16], in[64];

	for (size_t i = 0; i < sizeof(key); i++)
		key[i] = (unsigned char)i;
	for (size_t i = 0; i < sizeof(in); i++)
		in[i] = (unsigned char)i;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		CU_ASSERT_EQUAL(hc_siphash24(key, in, v[i].n), v[i].want);
	/* Another key, another hash. */
	key[0] ^= 1;
	CU_ASSERT_NOT_EQUAL(hc_siphash24(key, in, 15), 0xa129ca6149be45e5ULL);
}

static void
test_quote(void)
{
	char buf[HC_DETAIL_VALUE_MAX + 16], big[HC_DETAIL_VALUE_MAX * 2];

	CU_ASSERT_STRING_EQUAL(hc_quote(buf, sizeof(buf), "abc"), "\"abc\"");
	CU_ASSERT_STRING_EQUAL(hc_quote(buf, sizeof(buf), "a\"b\\c"),
	    "\"a\\\"b\\\\c\"");
	/* Control bytes cannot forge a log line or a terminal escape. */
	CU_ASSERT_STRING_EQUAL(hc_quote(buf, sizeof(buf), "a\nb\x1b[0m\xff"),
	    "\"a\\x0ab\\x1b[0m\\xff\"");
	CU_ASSERT_STRING_EQUAL(hc_quote(buf, sizeof(buf), NULL), "(null)");
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	hc_quote(buf, sizeof(buf), big);
	CU_ASSERT(strlen(buf) < sizeof(buf));
	CU_ASSERT(strcmp(buf + strlen(buf) - 3, "...") == 0);
	/* A tiny buffer gets nothing rather than an overflow. */
	{
		char tiny[4] = "zzz";
		hc_quote(tiny, sizeof(tiny), "abc");
		CU_ASSERT_STRING_EQUAL(tiny, "");
	}
}

static void
test_ct_memcmp(void)
{
	unsigned char a[32], b[32];

	memset(a, 7, sizeof(a));
	memcpy(b, a, sizeof(b));
	CU_ASSERT_EQUAL(hc_ct_memcmp(a, b, sizeof(a)), 0);
	for (size_t i = 0; i < sizeof(a); i++) {
		b[i] ^= 0x80;
		CU_ASSERT_NOT_EQUAL(hc_ct_memcmp(a, b, sizeof(a)), 0);
		b[i] ^= 0x80;
	}
	CU_ASSERT_EQUAL(hc_ct_memcmp(a, b, 0), 0);
}

static void
test_path_join(void)
{
	char *p;

	p = hc_path_join("/etc/hopcheck", "keys/a.json");
	CU_ASSERT_STRING_EQUAL(p, "/etc/hopcheck/keys/a.json");
	hc_string_free(p);
	p = hc_path_join("/etc/hopcheck", "/abs/b.json");
	CU_ASSERT_STRING_EQUAL(p, "/abs/b.json");
	hc_string_free(p);
	p = hc_path_join(NULL, "c.json");
	CU_ASSERT_STRING_EQUAL(p, "c.json");
	hc_string_free(p);
	CU_ASSERT_PTR_NULL(hc_path_join("/x", NULL));
}

static const hc_test tests[] = {
	{ "SipHash-2-4 reference vectors", test_siphash_vectors },
	{ "quoting untrusted values", test_quote },
	{ "constant-time comparison", test_ct_memcmp },
	{ "path joining", test_path_join },
	{ NULL, NULL }
};

static const hc_suite suites[] = {
	{ "util", tests },
	{ NULL, NULL }
};

int
main(void)
{
	return hc_test_main(suites);
}
