/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_request.c - the request context (src/request.c).
 *
 * Route patterns are matched against the request path as a string, so the
 * path must arrive in one normal form, or "/public/../admin" would match
 * the pattern "/public/" + "*" and reach what "/admin" protects.
 * hc_request_set_route() therefore refuses, rather than repairs, any path
 * that a server could resolve differently: not starting with '/', an
 * empty ("//"), "." or ".." segment, a backslash, a control byte or space,
 * and a percent-encoded '.', '/', '\' or '%' (RFC 3986 section 2.4: a
 * server decodes these into the very characters refused above).  The
 * query and fragment are not part of the route (RFC 3986 section 3.3) and
 * are dropped.  The method is an RFC 9110 section 9.1 token restricted to
 * letters, compared in upper case.
 *
 * The stored form is read through the private layout in validator.h; a
 * refusal must leave the request as it was.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "validator.h"

/* ------------------------------------------------------------ support */

/* A heap string of n copies of c after `prefix`. */
static char *
filled(const char *prefix, char c, size_t n)
{
	size_t pl = strlen(prefix);
	char *s = malloc(pl + n + 1);

	if (s == NULL)
		abort();
	memcpy(s, prefix, pl);
	memset(s + pl, c, n);
	s[pl + n] = '\0';
	return s;
}

/* Sets a route that must be accepted and stored as want_m / want_p. */
static void
route_ok(const char *m, const char *p, const char *want_m, const char *want_p,
    int line)
{
	hc_request *req = hc_request_new();
	hc_status st;

	CU_ASSERT_PTR_NOT_NULL_FATAL(req);
	st = hc_request_set_route(req, m, p);
	if (st != HC_OK)
		fprintf(stderr, "\nline %d: refused %s %s\n", line, m, p);
	HC_ASSERT_STATUS(st, HC_OK);
	if (st == HC_OK) {
		CU_ASSERT_STRING_EQUAL(req->method, want_m);
		CU_ASSERT_STRING_EQUAL(req->path, want_p);
		if (strcmp(req->path, want_p) != 0)
			fprintf(stderr, "\nline %d: stored %s, want %s\n", line,
			    req->path, want_p);
	}
	hc_request_free(req);
}

/*
 * Sets a route that must be refused with HC_MALFORMED, over a request
 * that already has a good route, which must survive unchanged.
 */
static void
route_bad(const char *m, const char *p, int line)
{
	hc_request *req = hc_request_new();
	hc_status st;

	CU_ASSERT_PTR_NOT_NULL_FATAL(req);
	HC_ASSERT_STATUS(hc_request_set_route(req, "GET", "/ok"), HC_OK);
	st = hc_request_set_route(req, m, p);
	if (st != HC_MALFORMED)
		fprintf(stderr, "\nline %d: status %s for %s %s\n", line,
		    hc_status_name(st), m ? m : "(null)", p ? p : "(null)");
	HC_ASSERT_STATUS(st, HC_MALFORMED);
	CU_ASSERT_STRING_EQUAL(req->method, "GET");
	CU_ASSERT_STRING_EQUAL(req->path, "/ok");
	hc_request_free(req);
}

#define ROUTE_OK(m, p, wm, wp) route_ok((m), (p), (wm), (wp), __LINE__)
#define PATH_OK(p, wp) route_ok("GET", (p), "GET", (wp), __LINE__)
#define PATH_BAD(p) route_bad("GET", (p), __LINE__)
#define METHOD_BAD(m) route_bad((m), "/x", __LINE__)

/* ------------------------------------------------------------ tests */

static void
test_new_is_empty(void)
{
	hc_request *req = hc_request_new();

	CU_ASSERT_PTR_NOT_NULL_FATAL(req);
	CU_ASSERT_PTR_NULL(req->method);
	CU_ASSERT_PTR_NULL(req->path);
	CU_ASSERT_PTR_NULL(req->tenant);
	CU_ASSERT_FALSE(req->has_time);
	CU_ASSERT_FALSE(req->has_peer);
	CU_ASSERT_PTR_NULL(req->peer_der);
	CU_ASSERT_PTR_NULL(req->peer_x5t);
	CU_ASSERT_PTR_NULL(req->peer_spiffe_id);
	hc_request_free(req);
	hc_request_free(NULL);          /* a no-op */
}

/* Letters only, stored in upper case. */
static void
test_methods(void)
{
	ROUTE_OK("GET", "/", "GET", "/");
	ROUTE_OK("get", "/", "GET", "/");
	ROUTE_OK("PoSt", "/", "POST", "/");
	ROUTE_OK("patch", "/", "PATCH", "/");
	ROUTE_OK("z", "/", "Z", "/");
	ROUTE_OK("PROPFIND", "/", "PROPFIND", "/");

	METHOD_BAD("");
	METHOD_BAD(NULL);
	METHOD_BAD("GET ");
	METHOD_BAD(" GET");
	METHOD_BAD("G T");
	METHOD_BAD("G1T");
	METHOD_BAD("M-SEARCH");
	METHOD_BAD("GET\n");
	METHOD_BAD("GE\tT");
	METHOD_BAD("*");
	METHOD_BAD("G\xc3\x89T");
	METHOD_BAD("GET /x HTTP/1.1");
}

static void
test_paths_accepted(void)
{
	PATH_OK("/", "/");
	PATH_OK("/v1/payments", "/v1/payments");
	/* One trailing slash names the same resource. */
	PATH_OK("/v1/payments/", "/v1/payments");
	PATH_OK("/a/b.c", "/a/b.c");
	PATH_OK("/a/.well-known/x", "/a/.well-known/x");
	PATH_OK("/a/..b", "/a/..b");
	PATH_OK("/a/b..", "/a/b..");
	PATH_OK("/a/...", "/a/...");
	PATH_OK("/a.", "/a.");
	/* Escapes of unreserved characters decode; others keep, in upper case. */
	PATH_OK("/~user/%41%20b", "/~user/A%20b");
	PATH_OK("/v1/%70ayments", "/v1/payments");
	PATH_OK("/a/%3f", "/a/%3F");
	PATH_OK("/a/caf%c3%a9", "/a/caf%C3%A9");
	PATH_OK("/Case/Kept", "/Case/Kept");
	/* A decoded "." or ".." segment is still one. */
	PATH_BAD("/a/%2e%2e/admin");
	PATH_BAD("/a/%2E/b");
	PATH_BAD("/a/.%2e");
	/* Broken escapes. */
	PATH_BAD("/a/%2");
	PATH_BAD("/a/%");
	PATH_BAD("/a/%zz");
	PATH_BAD("/a/%00");
	PATH_BAD("/a/%0a");
	/* Matrix parameters: "..;" is ".." to servers that take them. */
	PATH_BAD("/public/..;/admin");
	PATH_BAD("/public/.;x/admin");
	PATH_BAD("/public/..;");
	PATH_BAD("/a;v=1/b");
	PATH_BAD("/v1/payments;x=1");
	/* Raw bytes a request line does not carry. */
	PATH_BAD("/a/caf\xc3\xa9");
}

/* The query and fragment are not part of the route. */
static void
test_query_and_fragment(void)
{
	PATH_OK("/a/b?x=1", "/a/b");
	PATH_OK("/a/b?", "/a/b");
	PATH_OK("/a#frag", "/a");
	PATH_OK("/a?x#y", "/a");
	PATH_OK("/a#x?y", "/a");
	PATH_OK("/?x=1", "/");
	/* What is refused in a path is harmless in a query. */
	PATH_OK("/a?next=/../../admin", "/a");
	PATH_OK("/a?q=%2e%2e%2f", "/a");
	PATH_OK("/a?q=a//b\\c", "/a");
	PATH_OK("/a#/../b", "/a");
	/* And stripping them does not hide a bad path. */
	PATH_BAD("/a/..?x=1");
	PATH_BAD("/a/.#top");
	PATH_BAD("//?x");
	PATH_BAD("?x=/a");
	PATH_BAD("#/a");
}

static void
test_paths_refused(void)
{
	static const char *const v[] = {
		/* not absolute */
		"v1/x", "x", ".", "..", "*", "\\v1",
		/* empty segments */
		"//", "//a", "/a//b", "/a///", "/a//",
		/* dot segments */
		"/.", "/..", "/./a", "/../a", "/a/.", "/a/..", "/a/./b",
		"/a/../b", "/public/../admin",
		/* backslash */
		"/a\\b", "/a\\..\\b", "/\\",
		/* encoded '.', '/', '\' and '%' (either case) */
		"/a/%2e%2e/b", "/a/%2E%2E/b", "/a/%2e", "/a/%2E", "/a%2fb",
		"/a%2Fb", "/a%5cb", "/a%5Cb", "/a%25", "/a%252e", "/%2e/x",
		/* spaces and control bytes */
		"/a b", "/a\tb", "/a\nb", "/a\rb", "/a\x01", "/a\x7f",
		"/a\x1b[",
		NULL
	};

	for (size_t i = 0; v[i] != NULL; i++)
		route_bad("GET", v[i], __LINE__);
	PATH_BAD("");
	PATH_BAD(NULL);
}

/* Each string is at most HC_MAX_REQUEST_STRING bytes. */
static void
test_lengths(void)
{
	char *m = filled("", 'A', HC_MAX_REQUEST_STRING);
	char *m1 = filled("", 'A', HC_MAX_REQUEST_STRING + 1);
	char *p = filled("/", 'a', HC_MAX_REQUEST_STRING - 1);
	char *p1 = filled("/", 'a', HC_MAX_REQUEST_STRING);
	char *q1 = filled("/a?", 'q', HC_MAX_REQUEST_STRING - 2);

	ROUTE_OK(m, "/", m, "/");
	route_bad(m1, "/", __LINE__);
	ROUTE_OK("GET", p, "GET", p);
	route_bad("GET", p1, __LINE__);
	/* The limit is on what the caller passed, query included. */
	route_bad("GET", q1, __LINE__);
	free(m);
	free(m1);
	free(p);
	free(p1);
	free(q1);
}

/* A later route replaces an earlier one. */
static void
test_route_replaced(void)
{
	hc_request *req = hc_request_new();

	CU_ASSERT_PTR_NOT_NULL_FATAL(req);
	HC_ASSERT_STATUS(hc_request_set_route(req, "get", "/a"), HC_OK);
	HC_ASSERT_STATUS(hc_request_set_route(req, "delete", "/b?x"), HC_OK);
	CU_ASSERT_STRING_EQUAL(req->method, "DELETE");
	CU_ASSERT_STRING_EQUAL(req->path, "/b");
	/* A refused method keeps the old path too, and the reverse. */
	HC_ASSERT_STATUS(hc_request_set_route(req, "G3T", "/c"), HC_MALFORMED);
	HC_ASSERT_STATUS(hc_request_set_route(req, "PUT", "/c/../d"),
	    HC_MALFORMED);
	CU_ASSERT_STRING_EQUAL(req->method, "DELETE");
	CU_ASSERT_STRING_EQUAL(req->path, "/b");
	hc_request_free(req);
}

static void
test_tenant(void)
{
	hc_request *req = hc_request_new();
	char *t = filled("", 't', HC_MAX_REQUEST_STRING);
	char *t1 = filled("", 't', HC_MAX_REQUEST_STRING + 1);

	CU_ASSERT_PTR_NOT_NULL_FATAL(req);
	HC_ASSERT_STATUS(hc_request_set_tenant(req, "acme"), HC_OK);
	CU_ASSERT_STRING_EQUAL(req->tenant, "acme");
	HC_ASSERT_STATUS(hc_request_set_tenant(req, ""), HC_MALFORMED);
	HC_ASSERT_STATUS(hc_request_set_tenant(req, NULL), HC_MALFORMED);
	HC_ASSERT_STATUS(hc_request_set_tenant(req, t1), HC_MALFORMED);
	CU_ASSERT_STRING_EQUAL(req->tenant, "acme");
	HC_ASSERT_STATUS(hc_request_set_tenant(req, "globex"), HC_OK);
	CU_ASSERT_STRING_EQUAL(req->tenant, "globex");
	HC_ASSERT_STATUS(hc_request_set_tenant(req, t), HC_OK);
	CU_ASSERT_EQUAL(strlen(req->tenant), HC_MAX_REQUEST_STRING);
	/* Compared exactly later: no case folding or trimming here. */
	HC_ASSERT_STATUS(hc_request_set_tenant(req, " Acme "), HC_OK);
	CU_ASSERT_STRING_EQUAL(req->tenant, " Acme ");
	hc_request_free(req);
	free(t);
	free(t1);
}

static void
test_time(void)
{
	hc_request *req = hc_request_new();

	CU_ASSERT_PTR_NOT_NULL_FATAL(req);
	CU_ASSERT_FALSE(req->has_time);
	hc_request_set_time(req, 1767225600);
	CU_ASSERT_TRUE(req->has_time);
	CU_ASSERT_EQUAL(req->now, 1767225600);
	/* Zero is a time (the epoch), not "unset". */
	hc_request_set_time(req, 0);
	CU_ASSERT_TRUE(req->has_time);
	CU_ASSERT_EQUAL(req->now, 0);
	hc_request_set_time(req, INT64_MAX);
	CU_ASSERT_EQUAL(req->now, INT64_MAX);
	hc_request_set_time(req, -1);
	CU_ASSERT_EQUAL(req->now, -1);
	hc_request_free(req);
}

#define X5T "A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0"
#define SID "spiffe://example.org/ns/prod/sa/orders"

static void
test_peer_identity(void)
{
	hc_request *req = hc_request_new();
	char *big = filled("spiffe://example.org/", 'a', HC_MAX_REQUEST_STRING);

	CU_ASSERT_PTR_NOT_NULL_FATAL(req);
	/* Nothing at all is not an identity. */
	HC_ASSERT_STATUS(hc_request_set_peer_identity(req, NULL, NULL),
	    HC_MALFORMED);
	CU_ASSERT_FALSE(req->has_peer);

	HC_ASSERT_STATUS(hc_request_set_peer_identity(req, X5T, NULL), HC_OK);
	CU_ASSERT_TRUE(req->has_peer);
	CU_ASSERT_STRING_EQUAL(req->peer_x5t, X5T);
	CU_ASSERT_PTR_NULL(req->peer_spiffe_id);

	/* A later call overrides the whole identity. */
	HC_ASSERT_STATUS(hc_request_set_peer_identity(req, NULL, SID), HC_OK);
	CU_ASSERT_PTR_NULL(req->peer_x5t);
	CU_ASSERT_STRING_EQUAL(req->peer_spiffe_id, SID);

	HC_ASSERT_STATUS(hc_request_set_peer_identity(req, X5T, SID), HC_OK);
	CU_ASSERT_STRING_EQUAL(req->peer_x5t, X5T);
	CU_ASSERT_STRING_EQUAL(req->peer_spiffe_id, SID);

	/* Refused arguments leave the identity as it was. */
	HC_ASSERT_STATUS(hc_request_set_peer_identity(req, "", SID),
	    HC_MALFORMED);
	HC_ASSERT_STATUS(hc_request_set_peer_identity(req, X5T, ""),
	    HC_MALFORMED);
	HC_ASSERT_STATUS(hc_request_set_peer_identity(req, NULL, ""),
	    HC_MALFORMED);
	HC_ASSERT_STATUS(hc_request_set_peer_identity(req, NULL, big),
	    HC_MALFORMED);
	HC_ASSERT_STATUS(hc_request_set_peer_identity(req, big, NULL),
	    HC_MALFORMED);
	CU_ASSERT_TRUE(req->has_peer);
	CU_ASSERT_STRING_EQUAL(req->peer_x5t, X5T);
	CU_ASSERT_STRING_EQUAL(req->peer_spiffe_id, SID);
	hc_request_free(req);
	free(big);
}

/* A certificate that does not parse leaves the request unchanged. */
static void
test_peer_cert_refused(void)
{
	static const char junk[] = "-----BEGIN CERTIFICATE-----\nAAAA\n"
	    "-----END CERTIFICATE-----\n";
	hc_request *req = hc_request_new();

	CU_ASSERT_PTR_NOT_NULL_FATAL(req);
	HC_ASSERT_STATUS(hc_request_set_peer_identity(req, X5T, SID), HC_OK);
	HC_ASSERT_STATUS(hc_request_set_peer_cert(req, NULL, 0), HC_MALFORMED);
	HC_ASSERT_STATUS(hc_request_set_peer_cert(req,
	    (const unsigned char *)"x", 0), HC_MALFORMED);
	HC_ASSERT_STATUS(hc_request_set_peer_cert(req,
	    (const unsigned char *)junk, sizeof(junk) - 1), HC_MALFORMED);
	HC_ASSERT_STATUS(hc_request_set_peer_cert(req,
	    (const unsigned char *)"\x30\x03\x02\x01\x01", 5), HC_MALFORMED);
	CU_ASSERT_TRUE(req->has_peer);
	CU_ASSERT_PTR_NULL(req->peer_der);
	CU_ASSERT_STRING_EQUAL(req->peer_x5t, X5T);
	CU_ASSERT_STRING_EQUAL(req->peer_spiffe_id, SID);
	hc_request_free(req);
}

/* Certificate and identity override each other entirely. */
static void
test_peer_override(void)
{
	hc_request *req = hc_request_new();
	size_t n;
	char *pem = hc_test_read("tests/data/certs/orders.pem", &n);

	CU_ASSERT_PTR_NOT_NULL_FATAL(req);
	HC_ASSERT_STATUS(hc_request_set_peer_identity(req, X5T, SID), HC_OK);
	HC_ASSERT_STATUS(hc_request_set_peer_cert(req,
	    (const unsigned char *)pem, n), HC_OK);
	CU_ASSERT_TRUE(req->has_peer);
	CU_ASSERT_PTR_NOT_NULL(req->peer_der);
	CU_ASSERT(req->peer_der_len > 0);
	CU_ASSERT_PTR_NULL(req->peer_x5t);
	CU_ASSERT_PTR_NULL(req->peer_spiffe_id);
	HC_ASSERT_STATUS(hc_request_set_peer_identity(req, NULL, SID), HC_OK);
	CU_ASSERT_PTR_NULL(req->peer_der);
	CU_ASSERT_EQUAL(req->peer_der_len, 0);
	CU_ASSERT_PTR_NULL(req->peer_x5t);
	CU_ASSERT_STRING_EQUAL(req->peer_spiffe_id, SID);
	hc_request_free(req);
	free(pem);
}

/* Everything a request holds is released (ASan's leak check sees it). */
static void
test_free_full(void)
{
	hc_request *req = hc_request_new();

	CU_ASSERT_PTR_NOT_NULL_FATAL(req);
	HC_ASSERT_STATUS(hc_request_set_route(req, "GET", "/a"), HC_OK);
	HC_ASSERT_STATUS(hc_request_set_tenant(req, "acme"), HC_OK);
	HC_ASSERT_STATUS(hc_request_set_peer_identity(req, X5T, SID), HC_OK);
	hc_request_set_time(req, 1);
	hc_request_free(req);
	hc_request_free(NULL);
}

static const hc_test tests[] = {
	{ "a new request is empty; free(NULL)", test_new_is_empty },
	{ "methods: letters, upper-cased", test_methods },
	{ "normal paths accepted", test_paths_accepted },
	{ "query and fragment stripped", test_query_and_fragment },
	{ "ambiguous paths refused", test_paths_refused },
	{ "HC_MAX_REQUEST_STRING", test_lengths },
	{ "a later route replaces, a refused one keeps", test_route_replaced },
	{ "tenant", test_tenant },
	{ "fixed clock", test_time },
	{ "peer identity arguments", test_peer_identity },
	{ "bad peer certificate changes nothing", test_peer_cert_refused },
	{ "certificate and identity override each other", test_peer_override },
	{ "free releases everything", test_free_full },
	{ NULL, NULL }
};

static const hc_suite suites[] = {
	{ "request context", tests },
	{ NULL, NULL }
};

int
main(void)
{
	return hc_test_main(suites);
}
