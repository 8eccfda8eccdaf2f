/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_url.c - the one loopback-host rule of src/url.c and the HOST[:PORT]
 * splitter.  Each record is a host as written, the answer the rule gives,
 * and why: the spellings that resolvers read differently (short, octal,
 * hex), the near misses (one octet off, a trailing dot, a longer name), and
 * the one spelling of the IPv6 loopback that counts.
 */
#include <stdio.h>
#include <string.h>

#include "url.h"
#include "testutil.h"

struct host_case {
	const char *host;
	bool loopback;
	const char *why;
};

static const struct host_case host_cases[] = {
	{ "127.0.0.1", true, "the usual IPv4 loopback" },
	{ "127.255.255.254", true, "anywhere in 127.0.0.0/8" },
	{ "127.0.0.0", true, "the network address is still 127/8" },
	{ "127.255.255.255", true, "so is the broadcast address" },
	{ "126.255.255.255", false, "just below 127.0.0.0/8" },
	{ "128.0.0.1", false, "just above 127.0.0.0/8" },
	{ "10.0.0.1", false, "a private address is not loopback" },
	{ "0.0.0.0", false, "the wildcard address is every interface" },
	{ "127.1", false, "short form: inet_aton() reads it, we do not" },
	{ "127.0.1", false, "short form with three parts" },
	{ "2130706433", false, "127.0.0.1 as one 32-bit number" },
	{ "0177.0.0.1", false, "octal for a resolver, 177 for a human" },
	{ "0x7f.0.0.1", false, "hexadecimal octet" },
	{ "127.000.0.1", false, "leading zeros in an octet" },
	{ "127.0.0.01", false, "a leading zero in the last octet" },
	{ "127.0.0.256", false, "an octet above 255" },
	{ "127.0.0.1000", false, "an octet of four digits" },
	{ "127.0.0.1.5", false, "five parts" },
	{ "127.0.0.1.", false, "a trailing dot" },
	{ ".127.0.0.1", false, "a leading dot" },
	{ "127..0.1", false, "an empty octet" },
	{ "127.0.0.1 ", false, "a trailing space" },
	{ "127.0.0.-1", false, "a sign" },
	{ "::1", true, "the IPv6 loopback" },
	{ "[::1]", true, "the IPv6 loopback as a URL writes it" },
	{ "::2", false, "another IPv6 address" },
	{ "[::2]", false, "another bracketed IPv6 address" },
	{ "::", false, "the IPv6 unspecified address" },
	{ "0:0:0:0:0:0:0:1", false, "::1 spelt out: one spelling only" },
	{ "::ffff:127.0.0.1", false, "IPv4-mapped: kept out of the rule" },
	{ "[::ffff:127.0.0.1]", false, "IPv4-mapped, bracketed" },
	{ "[127.0.0.1]", false, "brackets hold IPv6 literals only" },
	{ "[::1", false, "an unclosed bracket" },
	{ "::1]", false, "a stray closing bracket" },
	{ "[[::1]]", false, "brackets twice" },
	{ "localhost", true, "the name" },
	{ "LOCALHOST", true, "host names ignore case" },
	{ "LocalHost", true, "in any mix" },
	{ "localhost.", false, "a trailing dot: another name to a resolver" },
	{ "localhost.example", false, "a name under someone else's zone" },
	{ "localhost.localdomain", false, "a longer name" },
	{ "xlocalhost", false, "a longer name, in front" },
	{ "localhos", false, "a shorter name" },
	{ "[localhost]", false, "a name in brackets" },
	{ "ip6-localhost", false, "a hosts-file alias is not the name" },
};

/* Every record, with the length of the string. */
static void
test_host_records(void)
{
	for (size_t i = 0; i < sizeof(host_cases) / sizeof(host_cases[0]);
	    i++) {
		const struct host_case *t = &host_cases[i];
		bool got = hc_host_is_loopback(t->host, strlen(t->host));

		if (got != t->loopback)
			fprintf(stderr, "  %s: got %d (%s)\n", t->host, got,
			    t->why);
		CU_ASSERT_EQUAL(got, t->loopback);
	}
}

/*
 * The length is what counts, not a NUL: a loopback host followed by more
 * bytes is judged on the bytes given, and a host cut short is not one.
 */
static void
test_host_length(void)
{
	static const char url_host[] = "127.0.0.1:8080";
	static const char v6[] = "[::1]:443";
	char big[4096];

	CU_ASSERT_TRUE(hc_host_is_loopback(url_host, 9));
	CU_ASSERT_FALSE(hc_host_is_loopback(url_host, 8));
	CU_ASSERT_FALSE(hc_host_is_loopback(url_host, sizeof(url_host) - 1));
	CU_ASSERT_TRUE(hc_host_is_loopback(v6, 5));
	CU_ASSERT_TRUE(hc_host_is_loopback(v6 + 1, 3));
	CU_ASSERT_TRUE(hc_host_is_loopback("localhostXYZ", 9));

	/* Empty, NULL, and overlong. */
	CU_ASSERT_FALSE(hc_host_is_loopback("", 0));
	CU_ASSERT_FALSE(hc_host_is_loopback("localhost", 0));
	CU_ASSERT_FALSE(hc_host_is_loopback(NULL, 0));
	CU_ASSERT_FALSE(hc_host_is_loopback(NULL, 9));
	memset(big, '1', sizeof(big));
	memcpy(big, "127.0.0.", 8);
	CU_ASSERT_FALSE(hc_host_is_loopback(big, sizeof(big)));
	memcpy(big, "localhost", 9);
	CU_ASSERT_FALSE(hc_host_is_loopback(big, sizeof(big)));
	memset(big, '0', sizeof(big));
	CU_ASSERT_FALSE(hc_host_is_loopback(big, sizeof(big)));
}

/* HOST[:PORT] and [V6][:PORT], and the loopback answer on the result. */
static void
test_hostport(void)
{
	static const struct {
		const char *in;
		bool ok;
		const char *host;      /* without brackets */
		bool bracketed, has_port;
		unsigned port;
		bool loopback;
	} v[] = {
		{ "127.0.0.1:9300", true, "127.0.0.1", false, true, 9300,
		    true },
		{ "127.0.0.1", true, "127.0.0.1", false, false, 0, true },
		{ "[::1]:65535", true, "::1", true, true, 65535, true },
		{ "[::1]", true, "::1", true, false, 0, true },
		{ "LOCALHOST:80", true, "LOCALHOST", false, true, 80, true },
		{ "keys.example.com:443", true, "keys.example.com", false,
		    true, 443, false },
		{ "[127.0.0.1]:80", true, "127.0.0.1", true, true, 80, false },
		{ "[::]:9300", true, "::", true, true, 9300, false },
		{ "0.0.0.0:9300", true, "0.0.0.0", false, true, 9300, false },
		{ "127.0.0.1:0", false, NULL, false, false, 0, false },
		{ "127.0.0.1:65536", false, NULL, false, false, 0, false },
		{ "127.0.0.1:080", false, NULL, false, false, 0, false },
		{ "127.0.0.1:", false, NULL, false, false, 0, false },
		{ "127.0.0.1:80x", false, NULL, false, false, 0, false },
		{ ":9300", false, NULL, false, false, 0, false },
		{ "[]:9300", false, NULL, false, false, 0, false },
		{ "[::1:9300", false, NULL, false, false, 0, false },
		{ "[::1]x", false, NULL, false, false, 0, false },
		{ "::1:9300", false, NULL, false, false, 0, false },
		{ "", false, NULL, false, false, 0, false },
	};
	hc_hostport hp;

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		bool ok = hc_hostport_split(v[i].in, strlen(v[i].in), &hp);

		CU_ASSERT_EQUAL(ok, v[i].ok);
		if (ok != v[i].ok)
			fprintf(stderr, "  split %s: got %d\n", v[i].in, ok);
		if (!ok || !v[i].ok)
			continue;
		CU_ASSERT_EQUAL(hp.hlen, strlen(v[i].host));
		CU_ASSERT(memcmp(hp.host, v[i].host, hp.hlen) == 0);
		CU_ASSERT_EQUAL(hp.bracketed, v[i].bracketed);
		CU_ASSERT_EQUAL(hp.has_port, v[i].has_port);
		CU_ASSERT_EQUAL(hp.port, v[i].port);
		CU_ASSERT_EQUAL(hc_hostport_is_loopback(&hp), v[i].loopback);
	}
	CU_ASSERT_FALSE(hc_hostport_split(NULL, 0, &hp));
	CU_ASSERT_FALSE(hc_hostport_is_loopback(NULL));
}

static const hc_test tests[] = {
	{ "loopback host records", test_host_records },
	{ "loopback host: length, empty, NULL, overlong", test_host_length },
	{ "HOST[:PORT] split", test_hostport },
	{ NULL, NULL }
};

static const hc_suite suites[] = {
	{ "url", tests },
	{ NULL, NULL }
};

int
main(void)
{
	return hc_test_main(suites);
}
