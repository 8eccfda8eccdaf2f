/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_config.c - the configuration loader (config.c, v1 schema).
 *
 * The annotated example conf/hopcheck.conf and minimal documents load, and
 * every default is the one conf/schema.md documents.  Then, section by
 * section, each class of mistake is refused with HC_CONFIG and an error
 * line that names the JSON path of the offending value; several mistakes
 * are all reported; the number of lines is capped; comments are accepted
 * and duplicate members refused.  Last, pattern and route matching.
 *
 * Documents are written with single quotes for readability; doc() turns
 * every ' into " before parsing (so a JSON \" is written ' here).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "crypto.h"
#include "policy.h"

#ifndef HC_MAX_CONFIG_ERRORS
#define HC_MAX_CONFIG_ERRORS 100
#endif

/* A minimal valid service and issuer, and documents built from them. */
#define SVC "'service':{'audiences':['https://rs.example']}"
#define ISS_BODY "'issuer':'https://sts.example','jwks_file':'k.json'," \
	"'algorithms':['ES256']"
#define ISS(extra) "{" ISS_BODY extra "}"
/* The minimal document plus top-level members `extra` (",..."). */
#define DOC(extra) "{" SVC ",'issuers':[" ISS("") "]" extra "}"
/* The minimal document whose only issuer has members `extra` added. */
#define DOC_ISS(extra) "{" SVC ",'issuers':[" ISS(extra) "]}"
/* An issuer with key source and algorithms given by the case. */
#define DOC_ISS2(body) "{" SVC ",'issuers':[{'issuer':'https://sts.example'," \
	body "}]}"

/* ------------------------------------------------------------- helpers */

/* A heap copy of s with every ' turned into ". */
static char *
doc(const char *s)
{
	char *r = strdup(s);

	if (r == NULL)
		abort();
	for (char *t = r; *t != '\0'; t++)
		if (*t == '\'')
			*t = '"';
	return r;
}

/* Parses a document that must load; NULL (and a failed assert) if not. */
static hc_policy *
load_ok(const char *s, const char *base_dir)
{
	char *text = doc(s), *errors = NULL;
	hc_policy *p = NULL;
	hc_status st;

	st = hc_policy_parse(text, strlen(text), base_dir, &p, &errors);
	if (st != HC_OK)
		fprintf(stderr, "\nunexpected errors for %s:\n%s\n", s,
		    errors ? errors : "(none)");
	HC_ASSERT_STATUS(st, HC_OK);
	CU_ASSERT_PTR_NULL(errors);
	free(errors);
	free(text);
	return p;
}

/* Counts the lines of an error text. */
static size_t
count_lines(const char *s)
{
	size_t n = 1;

	if (s == NULL || *s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (*s == '\n')
			n++;
	return n;
}

/*
 * Parses a document that must be refused with HC_CONFIG and an error text
 * containing `want`; returns the error text (caller frees) for more checks.
 */
static char *
load_bad(const char *s, const char *want)
{
	char *text = doc(s), *errors = NULL, *w = doc(want);
	hc_policy *p = NULL;
	hc_status st;

	st = hc_policy_parse(text, strlen(text), "base", &p, &errors);
	HC_ASSERT_STATUS(st, HC_CONFIG);
	CU_ASSERT_PTR_NULL(p);
	CU_ASSERT_PTR_NOT_NULL(errors);
	if (errors == NULL || strstr(errors, w) == NULL) {
		fprintf(stderr, "\nfor %s\nwanted: %s\ngot:\n%s\n", s, w,
		    errors ? errors : "(none)");
		CU_FAIL("expected error line missing");
	}
	hc_policy_free(p);
	free(text);
	free(w);
	return errors;
}

struct bad_case {
	const char *doc;
	const char *want;        /* a substring of the error text */
};

static void
run_bad(const struct bad_case *cases)
{
	for (const struct bad_case *c = cases; c->doc != NULL; c++)
		free(load_bad(c->doc, c->want));
}

static void
run_good(const char *const *docs)
{
	for (const char *const *d = docs; *d != NULL; d++)
		hc_policy_free(load_ok(*d, "base"));
}

/* -------------------------------------------------------------- loading */

/* The shipped, annotated example loads with the values it shows. */
static void
test_example_loads(void)
{
	size_t len;
	char *text = hc_test_read("conf/hopcheck.conf", &len), *errors = NULL;
	hc_policy *p = NULL;
	hc_status st;

	st = hc_policy_parse(text, len, "conf", &p, &errors);
	if (st != HC_OK)
		fprintf(stderr, "\n%s\n", errors ? errors : "(no errors)");
	HC_ASSERT_STATUS(st, HC_OK);
	free(text);
	free(errors);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);

	CU_ASSERT_EQUAL(p->audiences.n, 1);
	CU_ASSERT_STRING_EQUAL(p->audiences.v[0], "https://payments.internal");
	CU_ASSERT_STRING_EQUAL(p->service_spiffe_id,
	    "spiffe://example.org/ns/prod/sa/payments");
	CU_ASSERT_EQUAL(p->nissuers, 1);
	CU_ASSERT_STRING_EQUAL(p->issuers[0].issuer, "https://sts.example.org");
	CU_ASSERT_EQUAL(p->issuers[0].keysrc, HC_KEYSRC_JWKS_FILE);
	CU_ASSERT_STRING_EQUAL(p->issuers[0].key_location,
	    "conf/keys/sts.jwks.json");
	CU_ASSERT_EQUAL(p->issuers[0].alg_mask,
	    HC_ALG_BIT(HC_ALG_ES256) | HC_ALG_BIT(HC_ALG_RS256));
	CU_ASSERT_EQUAL(p->issuers[0].max_lifetime_s, 3600);
	CU_ASSERT_EQUAL(p->issuers[0].required_claims.n, 2);
	CU_ASSERT_EQUAL(p->ntrust_domains, 1);
	CU_ASSERT_STRING_EQUAL(p->trust_domains[0].bundle_file,
	    "conf/keys/example.org.bundle.json");
	CU_ASSERT_EQUAL(p->nidentities, 1);
	CU_ASSERT_STRING_EQUAL(p->identities[0].client_id, "orders-mtls");
	CU_ASSERT_TRUE(p->delegation);
	CU_ASSERT_EQUAL(p->nactors, 1);
	CU_ASSERT_EQUAL(p->actors[0].scopes.n, 2);
	CU_ASSERT_TRUE(p->has_direct_callers);
	CU_ASSERT_EQUAL(p->nroutes, 2);
	CU_ASSERT_TRUE(p->routes[0].one_time_use);
	CU_ASSERT_PTR_NOT_NULL(p->default_route);
	CU_ASSERT_STRING_EQUAL(p->daemon.listen, "127.0.0.1:9300");
	CU_ASSERT_STRING_EQUAL(p->daemon.unix_socket,
	    "conf/run/hopcheckd.sock");
	CU_ASSERT_STRING_EQUAL(p->daemon.peer_cert_header, "x-client-cert");
	CU_ASSERT_EQUAL(p->daemon.log_level, 2);
	hc_policy_free(p);
}

/* The smallest documents that load: audiences, or only a SPIFFE ID. */
static void
test_minimal_loads(void)
{
	static const char *const docs[] = {
		DOC(""),
		"{'service':{'spiffe_id':'spiffe://example.org/sa/rs'},"
		    "'issuers':[" ISS("") "]}",
		/* An empty audiences list is fine next to a spiffe_id. */
		"{'service':{'audiences':[],'spiffe_id':'spiffe://e.org/x'},"
		    "'issuers':[" ISS("") "]}",
		/* Sections present but empty keep their defaults. */
		DOC(",'audience':{},'binding':{},'replay':{},'cache':{},"
		    "'fetch':{},'daemon':{},'routes':[]"),
		NULL
	};

	run_good(docs);
}

/* Every default, as conf/schema.md documents it. */
static void
test_defaults(void)
{
	hc_policy *p = load_ok(DOC(""), "base");
	const hc_issuer_policy *ip;

	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_STRING_EQUAL(p->base_dir, "base");
	CU_ASSERT_PTR_NULL(p->service_spiffe_id);
	CU_ASSERT_EQUAL(p->clock_skew_s, HC_DEFAULT_CLOCK_SKEW_S);
	CU_ASSERT_EQUAL(p->clock_skew_s, 30);
	CU_ASSERT_EQUAL(p->max_token_bytes, HC_DEFAULT_MAX_TOKEN_BYTES);

	ip = &p->issuers[0];
	CU_ASSERT_EQUAL(ip->keysrc, HC_KEYSRC_JWKS_FILE);
	CU_ASSERT_STRING_EQUAL(ip->key_location, "base/k.json");
	CU_ASSERT_EQUAL(ip->alg_mask, HC_ALG_BIT(HC_ALG_ES256));
	CU_ASSERT_EQUAL_FATAL(ip->token_types.n, 1);
	CU_ASSERT_STRING_EQUAL(ip->token_types.v[0], "at+jwt");
	CU_ASSERT_FALSE(ip->typ_may_be_absent);
	CU_ASSERT_EQUAL(ip->max_lifetime_s, HC_DEFAULT_MAX_LIFETIME_S);
	CU_ASSERT_EQUAL(ip->required_claims.n, 0);
	CU_ASSERT_FALSE(ip->allow_insecure_http);
	CU_ASSERT_PTR_NULL(ip->ca_file);

	CU_ASSERT_EQUAL(p->ntrust_domains, 0);
	CU_ASSERT_EQUAL(p->aud_max_direct, 0);
	CU_ASSERT_EQUAL(p->aud_max_delegated, 1);
	CU_ASSERT_EQUAL(p->mtls, HC_MODE_IF_PRESENT);
	CU_ASSERT_EQUAL(p->peer_identity, HC_MODE_IF_PRESENT);
	CU_ASSERT_EQUAL(p->nidentities, 0);
	CU_ASSERT_FALSE(p->delegation);
	CU_ASSERT_EQUAL(p->max_depth, HC_DEFAULT_ACT_DEPTH);
	CU_ASSERT_EQUAL(p->nactors, 0);
	CU_ASSERT_FALSE(p->has_direct_callers);
	CU_ASSERT_FALSE(p->path_policy);
	CU_ASSERT_EQUAL(p->nroutes, 0);
	CU_ASSERT_PTR_NULL(p->default_route);
	CU_ASSERT_STRING_EQUAL(p->replay_store, "memory");
	CU_ASSERT_EQUAL(p->replay_max_entries, 100000);
	CU_ASSERT_EQUAL(p->cache_max_entries, 10000);

	CU_ASSERT_EQUAL(p->fetch.min_refresh_s, 60);
	CU_ASSERT_EQUAL(p->fetch.max_refresh_s, 3600);
	CU_ASSERT_EQUAL(p->fetch.max_stale_s, 86400);
	CU_ASSERT_EQUAL(p->fetch.unknown_kid_cooldown_s, 30);
	CU_ASSERT_EQUAL(p->fetch.connect_timeout_ms, 2000);
	CU_ASSERT_EQUAL(p->fetch.timeout_ms, 5000);
	CU_ASSERT_EQUAL(p->fetch.max_bytes, 1048576);

	CU_ASSERT_PTR_NULL(p->daemon.listen);
	CU_ASSERT_PTR_NULL(p->daemon.unix_socket);
	CU_ASSERT_PTR_NULL(p->daemon.peer_cert_header);
	CU_ASSERT_FALSE(p->daemon.xfcc);
	CU_ASSERT_PTR_NULL(p->daemon.tenant_header);
	CU_ASSERT_EQUAL(p->daemon.threads, 4);
	CU_ASSERT_EQUAL(p->daemon.log_level, 2);
	CU_ASSERT_FALSE(p->daemon.has_tls);
	CU_ASSERT_PTR_NULL(p->daemon.metrics_listen);
	CU_ASSERT_EQUAL(p->daemon.header_timeout_ms, 5000);
	CU_ASSERT_EQUAL(p->daemon.max_connections_per_client, 0);
	CU_ASSERT_FALSE(p->daemon.allow_request_time);
	hc_policy_free(p);
}

/* Defaults inside optional sections and entries. */
static void
test_section_defaults(void)
{
	hc_policy *p = load_ok(DOC(",'delegation':{'actors':[{'actor':'a'}]},"
	    "'routes':[{'path':'/x'}],'default_route':{}"), NULL);

	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_STRING_EQUAL(p->base_dir, ".");
	/* Without a base directory, relative names stay as written. */
	CU_ASSERT_STRING_EQUAL(p->issuers[0].key_location, "k.json");
	CU_ASSERT_TRUE(p->delegation);
	CU_ASSERT_EQUAL(p->max_depth, HC_DEFAULT_ACT_DEPTH);
	CU_ASSERT_EQUAL(p->actors[0].subjects.n, 0);
	CU_ASSERT_EQUAL(p->actors[0].scopes.n, 0);
	CU_ASSERT_FALSE(p->has_direct_callers);
	CU_ASSERT_FALSE(p->path_policy);
	CU_ASSERT_STRING_EQUAL(p->routes[0].method, "*");
	CU_ASSERT_EQUAL(p->routes[0].scopes.n, 0);
	CU_ASSERT_PTR_NULL(p->routes[0].tenant_claim);
	CU_ASSERT_FALSE(p->routes[0].one_time_use);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p->default_route);
	CU_ASSERT_STRING_EQUAL(p->default_route->method, "*");
	CU_ASSERT_STRING_EQUAL(p->default_route->path, "*");
	CU_ASSERT_EQUAL(p->default_route->scopes.n, 0);
	CU_ASSERT_PTR_NULL(p->default_route->tenant_claim);
	CU_ASSERT_FALSE(p->default_route->one_time_use);
	hc_policy_free(p);
}

/* Values are stored in their normal form. */
static void
test_normalised_values(void)
{
	hc_policy *p = load_ok("{" SVC ",'issuers':["
	    "{'issuer':'a','jwks_file':'/abs/k.json','algorithms':['ES256'],"
	    "'token_types':['Application/AT+JWT','JWT','none'],"
	    "'ca_file':'ca.pem'},"
	    "{'issuer':'b','hmac_secret_file':'s','algorithms':"
	    "['HS256','HS512']},"
	    "{'issuer':'c','jwks_uri':'http://127.0.0.1:8080/jwks',"
	    "'allow_insecure_http':true,'algorithms':['PS256']},"
	    "{'issuer':'d','discovery':'https://sts.example/.well-known/x',"
	    "'algorithms':['RS512'],'token_types':['none']}],"
	    "'binding':{'mtls':'required','peer_identity':'off',"
	    "'identities':{'c1':'spiffe://e.org/a','c2':'spiffe://e.org/b'}},"
	    "'delegation':{'max_depth':16,'direct_callers':[],"
	    "'path_policy':true},"
	    "'routes':[{'method':'post','path':'/a'}],"
	    "'replay':{'store':'redis://127.0.0.1:6379/0','max_entries':1},"
	    "'cache':{'max_entries':0},"
	    "'clock_skew_s':0,'max_token_bytes':1e3,"
	    "'daemon':{'listen':'[::1]:1','peer_cert_header':'X-SSL-Cert',"
	    "'tenant_header':'X-Tenant','xfcc':true,'threads':64,"
	    "'log_level':'debug','unix_socket':'/run/h.sock'}}", "base");

	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_STRING_EQUAL(p->issuers[0].key_location, "/abs/k.json");
	CU_ASSERT_STRING_EQUAL(p->issuers[0].ca_file, "base/ca.pem");
	CU_ASSERT_EQUAL_FATAL(p->issuers[0].token_types.n, 2);
	CU_ASSERT_STRING_EQUAL(p->issuers[0].token_types.v[0], "at+jwt");
	CU_ASSERT_STRING_EQUAL(p->issuers[0].token_types.v[1], "jwt");
	CU_ASSERT_TRUE(p->issuers[0].typ_may_be_absent);
	CU_ASSERT_EQUAL(p->issuers[1].keysrc, HC_KEYSRC_HMAC_SECRET);
	CU_ASSERT_STRING_EQUAL(p->issuers[1].key_location, "base/s");
	CU_ASSERT_EQUAL(p->issuers[1].alg_mask,
	    HC_ALG_BIT(HC_ALG_HS256) | HC_ALG_BIT(HC_ALG_HS512));
	CU_ASSERT_EQUAL(p->issuers[2].keysrc, HC_KEYSRC_JWKS_URI);
	CU_ASSERT_STRING_EQUAL(p->issuers[2].key_location,
	    "http://127.0.0.1:8080/jwks");
	CU_ASSERT_TRUE(p->issuers[2].allow_insecure_http);
	CU_ASSERT_EQUAL(p->issuers[3].keysrc, HC_KEYSRC_DISCOVERY);
	CU_ASSERT_EQUAL(p->issuers[3].token_types.n, 0);
	CU_ASSERT_TRUE(p->issuers[3].typ_may_be_absent);
	CU_ASSERT_EQUAL(p->mtls, HC_MODE_REQUIRED);
	CU_ASSERT_EQUAL(p->peer_identity, HC_MODE_OFF);
	CU_ASSERT_EQUAL_FATAL(p->nidentities, 2);
	CU_ASSERT_STRING_EQUAL(p->identities[1].client_id, "c2");
	CU_ASSERT_STRING_EQUAL(p->identities[1].spiffe_id, "spiffe://e.org/b");
	CU_ASSERT_EQUAL(p->max_depth, 16);
	/* Present though empty: nobody may call without act. */
	CU_ASSERT_TRUE(p->has_direct_callers);
	CU_ASSERT_EQUAL(p->direct_callers.n, 0);
	CU_ASSERT_TRUE(p->path_policy);
	CU_ASSERT_STRING_EQUAL(p->routes[0].method, "POST");
	CU_ASSERT_STRING_EQUAL(p->replay_store, "redis://127.0.0.1:6379/0");
	CU_ASSERT_EQUAL(p->replay_max_entries, 1);
	CU_ASSERT_EQUAL(p->cache_max_entries, 0);
	CU_ASSERT_EQUAL(p->clock_skew_s, 0);
	CU_ASSERT_EQUAL(p->max_token_bytes, 1000);
	CU_ASSERT_STRING_EQUAL(p->daemon.listen, "[::1]:1");
	CU_ASSERT_STRING_EQUAL(p->daemon.peer_cert_header, "x-ssl-cert");
	CU_ASSERT_STRING_EQUAL(p->daemon.tenant_header, "x-tenant");
	CU_ASSERT_TRUE(p->daemon.xfcc);
	CU_ASSERT_EQUAL(p->daemon.threads, 64);
	CU_ASSERT_EQUAL(p->daemon.log_level, 3);
	CU_ASSERT_STRING_EQUAL(p->daemon.unix_socket, "/run/h.sock");
	hc_policy_free(p);
}

/* Each accepted log level maps to its number. */
static void
test_log_levels(void)
{
	static const char *const names[] = { "error", "warn", "info", "debug" };
	char buf[256];

	for (int i = 0; i < 4; i++) {
		hc_policy *p;

		(void)snprintf(buf, sizeof(buf),
		    DOC(",'daemon':{'log_level':'%s'}"), names[i]);
		p = load_ok(buf, NULL);
		CU_ASSERT_PTR_NOT_NULL_FATAL(p);
		CU_ASSERT_EQUAL(p->daemon.log_level, i);
		hc_policy_free(p);
	}
}

/* Plain http to loopback hosts, when allowed; https anywhere. */
static void
test_urls_accepted(void)
{
#define URL_OK(u) DOC_ISS2("'jwks_uri':'" u "','allow_insecure_http':true," \
	"'algorithms':['ES256']")
	static const char *const docs[] = {
		URL_OK("http://127.0.0.1/jwks"),
		URL_OK("http://127.1.2.3:8080/jwks"),
		URL_OK("http://localhost:1/jwks"),
		URL_OK("http://LOCALHOST/jwks"),
		URL_OK("http://[::1]:65535/jwks"),
		URL_OK("http://127.0.0.1"),
		URL_OK("https://sts.example/jwks?x=1"),
		URL_OK("https://[2001:db8::1]:443/jwks"),
		DOC(",'spiffe':{'trust_domains':[{'trust_domain':'e.org',"
		    "'bundle_uri':'http://localhost:8081/b',"
		    "'allow_insecure_http':true},{'trust_domain':'f.org',"
		    "'bundle_uri':'https://f.org/bundle',"
		    "'ca_file':'ca.pem'}]}"),
		NULL
	};
#undef URL_OK

	run_good(docs);
}

/* Comments of both kinds, anywhere whitespace may be. */
static void
test_comments(void)
{
	hc_policy *p = load_ok("// leading line comment\n"
	    "/* block { 'not': 'json' } */ {\n"
	    "  'service': /* inline */ {'audiences': ['a'] // trailing\n },\n"
	    "  // a comment holding a closing brace }\n"
	    "  'issuers': [" ISS("") "] /* * / ** */\n"
	    "}\n// the end", "base");

	/* What the comments hid stays hidden, what they surround is read. */
	CU_ASSERT_FATAL(p != NULL && p->audiences.n == 1 && p->nissuers == 1);
	CU_ASSERT_STRING_EQUAL(p->audiences.v[0], "a");
	CU_ASSERT_STRING_EQUAL(p->issuers[0].issuer, "https://sts.example");
	hc_policy_free(p);
	free(load_bad(DOC("") " /* never closed", "toplevel: not valid JSON"));
}

/* ---------------------------------------------------- document-level errors */

static const struct bad_case document_cases[] = {
	{ "[]", "toplevel: expected an object, got array" },
	{ "", "toplevel: not valid JSON" },
	{ DOC(","), "toplevel: not valid JSON" },
	{ DOC(",'servce':{}"), "toplevel: unknown key 'servce'" },
	{ "{'issuers':[" ISS("") "]}",
	    "service: required key is missing" },
	{ "{" SVC "}", "issuers: required key is missing" },
	{ "{" SVC ",'issuers':[]}", "issuers: must not be empty" },
	{ "{" SVC ",'issuers':{}}",
	    "issuers: expected an array of objects, got object" },
	{ "{" SVC ",'issuers':[1]}",
	    "issuers[0]: expected an object, got number" },
	/* Duplicate members, at the top and deep down. */
	{ "{" SVC "," SVC ",'issuers':[" ISS("") "]}", "duplicate" },
	{ DOC_ISS(",'issuer':'x'"), "duplicate" },
	{ DOC(",'daemon':{'xfcc':true,'xfcc':true}"), "duplicate" },
	/* A control character arrives as a JSON escape. */
	{ "{'service':{'audiences':['a\\u0001b']},'issuers':["
	    ISS("") "]}",
	    "service.audiences[0]: contains a control character" },
	{ NULL, NULL }
};

static void
test_document_errors(void)
{
	run_bad(document_cases);
}

/* A string over HC_MAX_CONFIG_STRING bytes; a text over the size cap. */
static void
test_size_limits(void)
{
	size_t n = HC_MAX_CONFIG_STRING + 1;
	char *big = malloc(n + 256), *errors = NULL;
	hc_policy *p = NULL;

	CU_ASSERT_PTR_NOT_NULL_FATAL(big);
	strcpy(big, "{'service':{'audiences':['");
	memset(big + strlen(big), 'a', n);
	strcpy(big + strlen("{'service':{'audiences':['") + n,
	    "']},'issuers':[" ISS("") "]}");
	free(load_bad(big, "service.audiences[0]: longer than 4096 bytes"));
	free(big);

	/* The length is checked before anything is parsed. */
	big = doc(DOC(""));
	HC_ASSERT_STATUS(hc_policy_parse(big, (size_t)HC_MAX_CONFIG_BYTES + 1,
	    NULL, &p, &errors), HC_CONFIG);
	CU_ASSERT_PTR_NULL(p);
	CU_ASSERT_PTR_NOT_NULL(errors);
	if (errors != NULL)
		CU_ASSERT_PTR_NOT_NULL(strstr(errors, "more than the limit"));
	free(errors);
	free(big);

	/* A caller that does not want the text gets the status alone. */
	big = doc(DOC(",'x':1"));
	HC_ASSERT_STATUS(hc_policy_parse(big, strlen(big), NULL, &p, NULL),
	    HC_CONFIG);
	CU_ASSERT_PTR_NULL(p);
	free(big);
}

/* Every problem is reported, one line each, in one pass. */
static void
test_multiple_errors(void)
{
	char *errors = load_bad("{'service':{'audiences':[1]},'clock_skew_s':"
	    "'30','issuers':[{'issuer':'i','jwks_file':'k','algorithms':"
	    "['XS256']},{'issuer':'i','jwks_uri':'ftp://x','algorithms':"
	    "['none']}],'routes':[{'path':'/a'},{'path':'/b'},{'method':5,"
	    "'path':'/c'}],'bogus':0}", "toplevel: unknown key 'bogus'");
	static const char *const want[] = {
		"service.audiences[0]: expected a string, got number",
		"clock_skew_s: expected an integer in 0..300, got string",
		"issuers[0].algorithms[0]: unknown algorithm \"XS256\"",
		"issuers[1].issuer: same issuer as issuers[0]",
		"issuers[1].jwks_uri: expected an https:// URL",
		"issuers[1].algorithms[0]: \"none\" is never allowed",
		"routes[2].method: expected a string, got number",
	};

	CU_ASSERT_PTR_NOT_NULL_FATAL(errors);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		if (strstr(errors, want[i]) == NULL) {
			fprintf(stderr, "\nmissing %s in:\n%s\n", want[i],
			    errors);
			CU_FAIL("an error was not reported");
		}
	}
	CU_ASSERT_EQUAL(count_lines(errors), 8);
	free(errors);
}

/* The number of lines is capped; a final line says so. */
static void
test_error_cap(void)
{
	size_t cap = 64 + 300 * 16, o;
	char *text = malloc(cap), *errors;

	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	o = (size_t)snprintf(text, cap, "{");
	for (int i = 0; i < 300; i++)
		o += (size_t)snprintf(text + o, cap - o, "%s'k%d':0",
		    i ? "," : "", i);
	(void)snprintf(text + o, cap - o, "}");
	errors = load_bad(text, "toplevel: unknown key 'k99'");
	CU_ASSERT_EQUAL(count_lines(errors), HC_MAX_CONFIG_ERRORS + 1);
	CU_ASSERT_PTR_NULL(strstr(errors, "\"k100\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(errors, "the rest are not reported"));
	free(errors);
	free(text);
}

/* A hostile key cannot forge a line: it is quoted and escaped. */
static void
test_error_quoting(void)
{
	char *errors = load_bad(DOC(",'a\\nservice: fine':0"),
	    "toplevel: unknown key 'a\\x0aservice: fine'");

	CU_ASSERT_EQUAL(count_lines(errors), 1);
	free(errors);
}

/* ------------------------------------------------------- section errors */

static const struct bad_case service_cases[] = {
	{ "{'service':{},'issuers':[" ISS("") "]}",
	    "service: needs audiences (non-empty) or spiffe_id" },
	{ "{'service':{'audiences':[]},'issuers':[" ISS("") "]}",
	    "service: needs audiences" },
	{ "{'service':{'audiences':['']},'issuers':[" ISS("") "]}",
	    "service.audiences[0]: must not be empty" },
	{ "{'service':{'audiences':'a'},'issuers':[" ISS("") "]}",
	    "service.audiences: expected an array of strings, got string" },
	{ "{'service':{'spiffe_id':'spiffe://example.org'},'issuers':["
	    ISS("") "]}", "service.spiffe_id: a SPIFFE ID with a path" },
	{ "{'service':{'spiffe_id':'spiffe://example.org/'},'issuers':["
	    ISS("") "]}", "service.spiffe_id: not a valid SPIFFE ID" },
	{ "{'service':{'spiffe_id':'https://example.org/x'},'issuers':["
	    ISS("") "]}", "service.spiffe_id: not a valid SPIFFE ID" },
	{ "{'service':{'audiences':['a'],'audience':'b'},'issuers':["
	    ISS("") "]}", "service: unknown key 'audience'" },
	{ "{'service':[],'issuers':[" ISS("") "]}",
	    "service: expected an object, got array" },
	{ NULL, NULL }
};

static void
test_service_errors(void)
{
	run_bad(service_cases);
}

static const struct bad_case integer_cases[] = {
	{ DOC(",'clock_skew_s':301"),
	    "clock_skew_s: expected an integer in 0..300, got 301" },
	{ DOC(",'clock_skew_s':-1"),
	    "clock_skew_s: expected an integer in 0..300, got -1" },
	{ DOC(",'clock_skew_s':1.5"),
	    "clock_skew_s: expected an integer in 0..300, got 1.5" },
	{ DOC(",'clock_skew_s':'30'"),
	    "clock_skew_s: expected an integer in 0..300, got string" },
	{ DOC(",'clock_skew_s':true"),
	    "clock_skew_s: expected an integer in 0..300, got boolean" },
	{ DOC(",'clock_skew_s':null"),
	    "clock_skew_s: expected an integer in 0..300, got null" },
	{ DOC(",'clock_skew_s':1e300"),
	    "clock_skew_s: expected an integer in 0..300, got 1e+300" },
	{ DOC(",'clock_skew_s':0.1"),
	    "clock_skew_s: expected an integer in 0..300, got 0.1" },
	{ DOC(",'clock_skew_s':-0.5"),
	    "clock_skew_s: expected an integer in 0..300, got -0.5" },
	{ DOC(",'max_token_bytes':255"),
	    "max_token_bytes: expected an integer in 256..1048576" },
	{ DOC(",'max_token_bytes':1048577"),
	    "max_token_bytes: expected an integer in 256..1048576" },
	{ NULL, NULL }
};

static void
test_integer_errors(void)
{
	run_bad(integer_cases);
}

static const struct bad_case issuer_cases[] = {
	{ DOC_ISS2("'jwks_file':'k','algorithms':['ES256'],'jwks':'x'"),
	    "issuers[0]: unknown key 'jwks'" },
	{ "{" SVC ",'issuers':[{'jwks_file':'k','algorithms':['ES256']}]}",
	    "issuers[0].issuer: required key is missing" },
	{ "{" SVC ",'issuers':[{'issuer':'','jwks_file':'k',"
	    "'algorithms':['ES256']}]}",
	    "issuers[0].issuer: must not be empty" },
	{ "{" SVC ",'issuers':[" ISS("") "," ISS("") "]}",
	    "issuers[1].issuer: same issuer as issuers[0]" },
	{ DOC_ISS2("'algorithms':['ES256']"),
	    "issuers[0]: needs a key source: jwks_file, jwks_uri,"
	    " discovery or hmac_secret_file" },
	{ DOC_ISS2("'jwks_file':'k','jwks_uri':'https://x/',"
	    "'algorithms':['ES256']"),
	    "issuers[0]: jwks_file and jwks_uri are exclusive" },
	{ DOC_ISS2("'discovery':'https://x/','hmac_secret_file':'s',"
	    "'algorithms':['HS256']"),
	    "issuers[0]: discovery and hmac_secret_file are exclusive" },
	{ DOC_ISS2("'jwks_file':'','algorithms':['ES256']"),
	    "issuers[0].jwks_file: must not be empty" },
	{ DOC_ISS2("'jwks_file':7,'algorithms':['ES256']"),
	    "issuers[0].jwks_file: expected a string, got number" },
	/* Algorithms. */
	{ DOC_ISS2("'jwks_file':'k'"),
	    "issuers[0].algorithms: required key is missing" },
	{ DOC_ISS2("'jwks_file':'k','algorithms':[]"),
	    "issuers[0].algorithms: must not be empty" },
	{ DOC_ISS2("'jwks_file':'k','algorithms':'ES256'"),
	    "issuers[0].algorithms: expected an array of strings" },
	{ DOC_ISS2("'jwks_file':'k','algorithms':['ES256','XS256']"),
	    "issuers[0].algorithms[1]: unknown algorithm 'XS256'" },
	{ DOC_ISS2("'jwks_file':'k','algorithms':['es256']"),
	    "issuers[0].algorithms[0]: unknown algorithm 'es256'" },
	{ DOC_ISS2("'jwks_file':'k','algorithms':['none']"),
	    "issuers[0].algorithms[0]: 'none' is never allowed" },
	{ DOC_ISS2("'jwks_file':'k','algorithms':['ES256K']"),
	    "issuers[0].algorithms[0]: unknown algorithm" },
	{ DOC_ISS2("'jwks_file':'k','algorithms':['RS256','HS256']"),
	    "issuers[0].algorithms[1]: HS256 needs hmac_secret_file" },
	{ DOC_ISS2("'jwks_uri':'https://x/','algorithms':['HS384']"),
	    "issuers[0].algorithms[0]: HS384 needs hmac_secret_file" },
	{ DOC_ISS2("'hmac_secret_file':'s','algorithms':['HS256','RS256']"),
	    "issuers[0].algorithms[1]: RS256 cannot be used with"
	    " hmac_secret_file" },
	{ DOC_ISS2("'hmac_secret_file':'s','algorithms':['ES512']"),
	    "issuers[0].algorithms[0]: ES512 cannot be used with" },
	/* The other members. */
	{ DOC_ISS(",'token_types':[]"),
	    "issuers[0].token_types: must not be empty" },
	{ DOC_ISS(",'token_types':['application/']"),
	    "issuers[0].token_types[0]: 'application/' alone" },
	{ DOC_ISS(",'token_types':['at+jwt',1]"),
	    "issuers[0].token_types[1]: expected a string, got number" },
	{ DOC_ISS(",'max_lifetime_s':0"),
	    "issuers[0].max_lifetime_s: expected an integer in"
	    " 1..31536000, got 0" },
	{ DOC_ISS(",'max_lifetime_s':31536001"),
	    "issuers[0].max_lifetime_s: expected an integer" },
	{ DOC_ISS(",'required_claims':'jti'"),
	    "issuers[0].required_claims: expected an array of strings" },
	{ DOC_ISS(",'required_claims':['']"),
	    "issuers[0].required_claims[0]: must not be empty" },
	{ DOC_ISS(",'allow_insecure_http':'yes'"),
	    "issuers[0].allow_insecure_http: expected a boolean, got"
	    " string" },
	{ DOC_ISS(",'ca_file':1"),
	    "issuers[0].ca_file: expected a string, got number" },
	{ NULL, NULL }
};

static void
test_issuer_errors(void)
{
	run_bad(issuer_cases);
}

/* Too many issuers, and too many items in a list. */
static void
test_list_limits(void)
{
	size_t cap = 128 + (HC_MAX_ISSUERS + 1) * 128, o;
	char *text = malloc(cap);

	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	o = (size_t)snprintf(text, cap, "{" SVC ",'issuers':[");
	for (int i = 0; i <= HC_MAX_ISSUERS; i++)
		o += (size_t)snprintf(text + o, cap - o, "%s{'issuer':'i%d',"
		    "'jwks_file':'k','algorithms':['ES256']}", i ? "," : "", i);
	(void)snprintf(text + o, cap - o, "]}");
	free(load_bad(text,
	    "issuers: has 65 items, more than the limit of 64"));
	free(text);

	cap = 128 + (HC_MAX_LIST_ITEMS + 1) * 8;
	text = malloc(cap);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	o = (size_t)snprintf(text, cap, "{'service':{'audiences':[");
	for (int i = 0; i <= HC_MAX_LIST_ITEMS; i++)
		o += (size_t)snprintf(text + o, cap - o, "%s'a'", i ? "," : "");
	(void)snprintf(text + o, cap - o, "]},'issuers':[" ISS("") "]}");
	free(load_bad(text, "service.audiences: has 257 items, more than the"
	    " limit of 256"));
	free(text);
}

/* Key locations fetched over the network. */
#define URL(u, insecure) DOC_ISS2("'jwks_uri':'" u "'," \
	"'allow_insecure_http':" insecure ",'algorithms':['ES256']")
static const struct bad_case url_cases[] = {
	{ URL("ftp://x/k", "false"),
	    "issuers[0].jwks_uri: expected an https:// URL" },
	{ URL("HTTPS://x/k", "false"),
	    "issuers[0].jwks_uri: expected an https:// URL" },
	{ URL("keys.json", "false"),
	    "issuers[0].jwks_uri: expected an https:// URL" },
	{ URL("http://127.0.0.1/k", "false"),
	    "issuers[0].jwks_uri: plain http:// needs allow_insecure_http" },
	{ URL("http://sts.example/k", "true"),
	    "issuers[0].jwks_uri: plain http:// is allowed only to a"
	    " loopback host" },
	{ URL("http://127.0.0.1.evil.example/k", "true"),
	    "issuers[0].jwks_uri: plain http:// is allowed only" },
	{ URL("http://localhost.evil.example/k", "true"),
	    "issuers[0].jwks_uri: plain http:// is allowed only" },
	{ URL("http://0177.0.0.1/k", "true"),
	    "issuers[0].jwks_uri: plain http:// is allowed only" },
	{ URL("http://128.0.0.1/k", "true"),
	    "issuers[0].jwks_uri: plain http:// is allowed only" },
	{ URL("http://127.0.0.256/k", "true"),
	    "issuers[0].jwks_uri: plain http:// is allowed only" },
	{ URL("http://[::2]/k", "true"),
	    "issuers[0].jwks_uri: plain http:// is allowed only" },
	{ URL("http://2130706433/k", "true"),
	    "issuers[0].jwks_uri: plain http:// is allowed only" },
	{ URL("https://user:pw@sts.example/k", "false"),
	    "issuers[0].jwks_uri: URL must not contain userinfo" },
	{ URL("http://evil@127.0.0.1/k", "true"),
	    "issuers[0].jwks_uri: URL must not contain userinfo" },
	{ URL("https:///k", "false"),
	    "issuers[0].jwks_uri: URL has no valid host[:port]" },
	{ URL("https://x:0/k", "false"),
	    "issuers[0].jwks_uri: URL has no valid host[:port]" },
	{ URL("https://x:65536/k", "false"),
	    "issuers[0].jwks_uri: URL has no valid host[:port]" },
	{ URL("https://x:/k", "false"),
	    "issuers[0].jwks_uri: URL has no valid host[:port]" },
	{ URL("https://[::1/k", "false"),
	    "issuers[0].jwks_uri: URL has no valid host[:port]" },
	{ URL("https://x/k#frag", "false"),
	    "issuers[0].jwks_uri: URL must not contain a space or a"
	    " fragment" },
	{ DOC_ISS2("'discovery':'http://h/x','algorithms':['ES256']"),
	    "issuers[0].discovery: plain http:// needs" },
	{ NULL, NULL }
};
#undef URL

static void
test_url_errors(void)
{
	run_bad(url_cases);
}

#define TD(body) DOC(",'spiffe':{'trust_domains':[" body "]}")
static const struct bad_case spiffe_cases[] = {
	{ DOC(",'spiffe':{}"),
	    "spiffe.trust_domains: required key is missing" },
	{ TD(""), "spiffe.trust_domains: must not be empty" },
	{ DOC(",'spiffe':{'trust_domains':[],'x':1}"),
	    "spiffe: unknown key 'x'" },
	{ TD("{'bundle_file':'b'}"),
	    "spiffe.trust_domains[0].trust_domain: required key is"
	    " missing" },
	{ TD("{'trust_domain':'Example.org','bundle_file':'b'}"),
	    "spiffe.trust_domains[0].trust_domain: not a valid SPIFFE"
	    " trust domain" },
	{ TD("{'trust_domain':'spiffe://example.org','bundle_file':'b'}"),
	    "spiffe.trust_domains[0].trust_domain: not a valid SPIFFE" },
	{ TD("{'trust_domain':'e.org','bundle_file':'b'},"
	    "{'trust_domain':'e.org','bundle_file':'c'}"),
	    "spiffe.trust_domains[1].trust_domain: same trust domain as"
	    " trust_domains[0]" },
	{ TD("{'trust_domain':'e.org'}"),
	    "spiffe.trust_domains[0]: needs a bundle source: bundle_file"
	    " or bundle_uri" },
	{ TD("{'trust_domain':'e.org','bundle_file':'b',"
	    "'bundle_uri':'https://e.org/b'}"),
	    "spiffe.trust_domains[0]: bundle_file and bundle_uri are"
	    " exclusive" },
	{ TD("{'trust_domain':'e.org','bundle_uri':'http://e.org/b',"
	    "'allow_insecure_http':true}"),
	    "spiffe.trust_domains[0].bundle_uri: plain http:// is allowed"
	    " only" },
	{ TD("{'trust_domain':'e.org','bundle_uri':'http://[::1]/b'}"),
	    "spiffe.trust_domains[0].bundle_uri: plain http:// needs" },
	{ TD("{'trust_domain':'e.org','bundle_file':'b','bundle':'c'}"),
	    "spiffe.trust_domains[0]: unknown key 'bundle'" },
	{ NULL, NULL }
};
#undef TD

static void
test_spiffe_errors(void)
{
	run_bad(spiffe_cases);
}

static const struct bad_case audience_binding_cases[] = {
	{ DOC(",'audience':{'max_direct':-1}"),
	    "audience.max_direct: expected an integer in 0..64, got -1" },
	{ DOC(",'audience':{'max_delegated':65}"),
	    "audience.max_delegated: expected an integer in 0..64" },
	{ DOC(",'audience':{'max_delegated':1.5}"),
	    "audience.max_delegated: expected an integer" },
	{ DOC(",'audience':{'max':1}"), "audience: unknown key 'max'" },
	{ DOC(",'binding':{'mtls':'on'}"),
	    "binding.mtls: expected one of 'required', 'if_present',"
	    " 'off', got 'on'" },
	{ DOC(",'binding':{'peer_identity':true}"),
	    "binding.peer_identity: expected a string, got boolean" },
	{ DOC(",'binding':{'mtls':'Required'}"), "binding.mtls: expected" },
	{ DOC(",'binding':{'identities':[]}"),
	    "binding.identities: expected an object" },
	{ DOC(",'binding':{'identities':{'c':'spiffe://e.org'}}"),
	    "binding.identities['c']: a SPIFFE ID with a path is"
	    " required" },
	{ DOC(",'binding':{'identities':{'c':'user:alice'}}"),
	    "binding.identities['c']: not a valid Workload Identifier" },
	{ DOC(",'binding':{'identities':{'c':'wimse://E.org/x'}}"),
	    "binding.identities['c']: not a valid Workload Identifier" },
	{ DOC(",'binding':{'identities':{'c':1}}"),
	    "binding.identities['c']: expected a string, got number" },
	{ DOC(",'binding':{'identities':{'':'spiffe://e.org/x'}}"),
	    "binding.identities['']: a client identifier must not be"
	    " empty" },
	{ DOC(",'binding':{'identity':{}}"),
	    "binding: unknown key 'identity'" },
	{ NULL, NULL }
};

static void
test_audience_binding_errors(void)
{
	run_bad(audience_binding_cases);
}

#define DEL(body) DOC(",'delegation':{" body "}")
static const struct bad_case delegation_cases[] = {
	{ DEL("'max_depth':0"),
	    "delegation.max_depth: expected an integer in 1..16, got 0" },
	{ DEL("'max_depth':17"),
	    "delegation.max_depth: expected an integer in 1..16, got 17" },
	{ DEL("'max_dept':2"), "delegation: unknown key 'max_dept'" },
	{ DEL("'actors':{}"),
	    "delegation.actors: expected an array of objects, got object" },
	{ DEL("'actors':['a']"),
	    "delegation.actors[0]: expected an object, got string" },
	{ DEL("'actors':[{}]"),
	    "delegation.actors[0].actor: required key is missing" },
	{ DEL("'actors':[{'actor':'a*b'}]"),
	    "delegation.actors[0].actor: '*' is allowed only as the last"
	    " character" },
	{ DEL("'actors':[{'actor':'a','subjects':['us*er:*']}]"),
	    "delegation.actors[0].subjects[0]: '*' is allowed only" },
	{ DEL("'actors':[{'actor':'a','subjects':'user:*'}]"),
	    "delegation.actors[0].subjects: expected an array of strings" },
	{ DEL("'actors':[{'actor':'a','scopes':['a b']}]"),
	    "delegation.actors[0].scopes[0]: not a scope token" },
	{ DEL("'actors':[{'actor':'a','scopes':['']}]"),
	    "delegation.actors[0].scopes[0]: must not be empty" },
	{ DEL("'actors':[{'actor':'a','scopes':['caf\\u00e9']}]"),
	    "delegation.actors[0].scopes[0]: not a scope token" },
	{ DEL("'actors':[{'actor':'a','scope':['x']}]"),
	    "delegation.actors[0]: unknown key 'scope'" },
	{ DEL("'actors':[{'actor':'a'},{'actor':'b'},{'actor':'a'}]"),
	    "delegation.actors[2].actor: same actor as actors[0]" },
	{ DEL("'direct_callers':'x'"),
	    "delegation.direct_callers: expected an array of strings" },
	{ DEL("'direct_callers':['ok','*x*']"),
	    "delegation.direct_callers[1]: '*' is allowed only" },
	{ DEL("'path_policy':1"),
	    "delegation.path_policy: expected a boolean, got number" },
	{ DOC(",'delegation':true"),
	    "delegation: expected an object, got boolean" },
	{ NULL, NULL }
};
#undef DEL

static void
test_delegation_errors(void)
{
	run_bad(delegation_cases);
}

#define RT(body) DOC(",'routes':[" body "]")
static const struct bad_case route_cases[] = {
	{ DOC(",'routes':{}"),
	    "routes: expected an array of objects, got object" },
	{ RT("{'path':'/a'},{'path':'/b'},{'method':5,'path':'/c'}"),
	    "routes[2].method: expected a string, got number" },
	{ RT("{'method':'GET'}"), "routes[0].path: required key is missing" },
	{ RT("{'path':'v1'}"),
	    "routes[0].path: a route path must start with '/'" },
	{ RT("{'path':'*'}"),
	    "routes[0].path: a route path must start with '/'" },
	{ RT("{'path':'/v1/*/x'}"),
	    "routes[0].path: '*' is allowed only as the last character" },
	{ RT("{'path':'/v1?x=1'}"),
	    "routes[0].path: a route path must not contain '?'" },
	{ RT("{'path':'/v 1'}"),
	    "routes[0].path: a route path must not contain" },
	{ RT("{'method':'G ET','path':'/'}"),
	    "routes[0].method: not an HTTP method" },
	{ RT("{'method':'G*','path':'/'}"),
	    "routes[0].method: not an HTTP method" },
	{ RT("{'method':'','path':'/'}"),
	    "routes[0].method: must not be empty" },
	{ RT("{'path':'/','scopes':['a\\'b']}"),
	    "routes[0].scopes[0]: not a scope token" },
	{ RT("{'path':'/','scopes':['a\\\\b']}"),
	    "routes[0].scopes[0]: not a scope token" },
	{ RT("{'path':'/','tenant_claim':''}"),
	    "routes[0].tenant_claim: must not be empty" },
	{ RT("{'path':'/','one_time_use':'true'}"),
	    "routes[0].one_time_use: expected a boolean, got string" },
	{ RT("{'path':'/','scope':'x'}"), "routes[0]: unknown key 'scope'" },
	{ RT("{'method':'get','path':'/a'},{'method':'GET','path':'/a'}"),
	    "routes[1]: same method and path as routes[0]" },
	{ DOC(",'default_route':{'path':'/'}"),
	    "default_route: unknown key 'path'" },
	{ DOC(",'default_route':{'method':'GET'}"),
	    "default_route: unknown key 'method'" },
	{ DOC(",'default_route':[]"),
	    "default_route: expected an object, got array" },
	{ DOC(",'default_route':{'scopes':['a b']}"),
	    "default_route.scopes[0]: not a scope token" },
	{ NULL, NULL }
};
#undef RT

static void
test_route_errors(void)
{
	run_bad(route_cases);
}

static const struct bad_case store_fetch_cases[] = {
	{ DOC(",'replay':{'store':'disk'}"),
	    "replay.store: expected 'memory' or a redis:// URL" },
	{ DOC(",'replay':{'store':'redis://'}"), "replay.store: expected" },
	{ DOC(",'replay':{'store':'Memory'}"), "replay.store: expected" },
	{ DOC(",'replay':{'max_entries':0}"),
	    "replay.max_entries: expected an integer in 1..10000000" },
	{ DOC(",'replay':{'max_entries':10000001}"),
	    "replay.max_entries: expected an integer" },
	{ DOC(",'replay':{'redis':'x'}"), "replay: unknown key 'redis'" },
	{ DOC(",'cache':{'max_entries':-1}"),
	    "cache.max_entries: expected an integer in 0..10000000" },
	{ DOC(",'cache':{'size':1}"), "cache: unknown key 'size'" },
	{ DOC(",'fetch':{'min_refresh_s':100,'max_refresh_s':50}"),
	    "fetch.min_refresh_s: 100 is more than max_refresh_s (50)" },
	{ DOC(",'fetch':{'min_refresh_s':4000}"),
	    "fetch.min_refresh_s: 4000 is more than max_refresh_s (3600)" },
	{ DOC(",'fetch':{'max_refresh_s':0}"),
	    "fetch.max_refresh_s: expected an integer in 1..604800" },
	{ DOC(",'fetch':{'max_stale_s':2592001}"),
	    "fetch.max_stale_s: expected an integer in 0..2592000" },
	{ DOC(",'fetch':{'unknown_kid_cooldown_s':-5}"),
	    "fetch.unknown_kid_cooldown_s: expected an integer in 0..3600" },
	{ DOC(",'fetch':{'connect_timeout_ms':0}"),
	    "fetch.connect_timeout_ms: expected an integer in 1..60000" },
	{ DOC(",'fetch':{'timeout_ms':300001}"),
	    "fetch.timeout_ms: expected an integer in 1..300000" },
	{ DOC(",'fetch':{'max_bytes':16777217}"),
	    "fetch.max_bytes: expected an integer in 1024..16777216" },
	{ DOC(",'fetch':{'max_bytes':'1M'}"),
	    "fetch.max_bytes: expected an integer in 1024..16777216, got"
	    " string" },
	{ DOC(",'fetch':{'retries':1}"), "fetch: unknown key 'retries'" },
	{ NULL, NULL }
};

static void
test_store_fetch_errors(void)
{
	run_bad(store_fetch_cases);
}

#define DM(body) DOC(",'daemon':{" body "}")
static const struct bad_case daemon_cases[] = {
	{ DM("'listen':'0.0.0.0:9300'"),
	    "daemon.listen: the daemon listens on loopback only" },
	{ DM("'listen':'[::]:9300'"),
	    "daemon.listen: the daemon listens on loopback only" },
	{ DM("'listen':'10.0.0.1:9300'"),
	    "daemon.listen: the daemon listens on loopback only" },
	{ DM("'listen':'127.0.0.1'"),
	    "daemon.listen: expected HOST:PORT with a port in 1..65535" },
	{ DM("'listen':'[::1]'"), "daemon.listen: expected HOST:PORT" },
	{ DM("'listen':'127.0.0.1:0'"), "daemon.listen: expected HOST:PORT" },
	{ DM("'listen':'localhost:65536'"),
	    "daemon.listen: expected HOST:PORT" },
	{ DM("'listen':'localhost:80x'"),
	    "daemon.listen: expected HOST:PORT" },
	{ DM("'listen':':9300'"), "daemon.listen: expected HOST:PORT" },
	{ DM("'unix_socket':'/run/hopcheck/a-socket-path-that-goes-on-and-"
	    "on-well-past-the-hundred-and-eight-bytes-a-sockaddr_un-can-"
	    "hold.sock'"), "daemon.unix_socket: the resolved path is" },
	{ DM("'peer_cert_header':'x client'"),
	    "daemon.peer_cert_header: not an HTTP header name" },
	{ DM("'tenant_header':'x:tenant'"),
	    "daemon.tenant_header: not an HTTP header name" },
	{ DM("'xfcc':'no'"), "daemon.xfcc: expected a boolean" },
	{ DM("'threads':0"),
	    "daemon.threads: expected an integer in 1..64, got 0" },
	{ DM("'threads':65"),
	    "daemon.threads: expected an integer in 1..64, got 65" },
	{ DM("'log_level':'trace'"),
	    "daemon.log_level: expected one of 'error', 'warn',"
	    " 'info', 'debug', got 'trace'" },
	{ DM("'port':9300"), "daemon: unknown key 'port'" },
	{ DM("'metrics_listen':'0.0.0.0'"),
	    "daemon.metrics_listen: expected HOST:PORT" },
	{ DM("'header_timeout_ms':50"),
	    "daemon.header_timeout_ms: expected an integer in 100..60000" },
	{ DM("'max_connections_per_client':8"),
	    "daemon.max_connections_per_client: applies in network mode" },
	{ DM("'allow_request_time':1"),
	    "daemon.allow_request_time: expected a boolean" },
	{ DM("'tls':{}"), "daemon.tls.cert_file: required key is missing" },
	{ DM("'tls':{}"), "daemon.tls.client_ca_file: required key is missing" },
	{ DM("'tls':{}"),
	    "daemon.tls.allowed_clients: required key is missing" },
	{ DM("'tls':{'cert_file':'c','key_file':'k','client_ca_file':'a',"
	    "'allowed_clients':[]}"), "daemon.tls.allowed_clients: " },
	{ DM("'tls':{'cert_file':'c','key_file':'k','client_ca_file':'a',"
	    "'allowed_clients':['spiffe://x/*/y']}"),
	    "daemon.tls.allowed_clients[0]: \"*\" is allowed only" },
	{ DM("'tls':{'cert_fle':'c'}"),
	    "daemon.tls: unknown key 'cert_fle' (did you mean 'cert_file'?)" },
	{ NULL, NULL }
};
#undef DM

static void
test_daemon_errors(void)
{
	run_bad(daemon_cases);
}

/*
 * Network mode: with daemon.tls, any listen address; the files resolved
 * against the base directory; a per-client limit by default.
 */
static void
test_daemon_network(void)
{
	hc_policy *p = load_ok(DOC(",'daemon':{'listen':'0.0.0.0:9300',"
	    "'metrics_listen':'[::]:9301','header_timeout_ms':2000,"
	    "'allow_request_time':true,'tls':{'cert_file':'tls/s.crt',"
	    "'key_file':'tls/s.key','client_ca_file':'/etc/ca.pem',"
	    "'allowed_clients':['spiffe://example.org/ns/edge/sa/proxy',"
	    "'proxy.example.org','spiffe://example.org/ns/edge/*']}}"),
	    "base");

	if (p == NULL)
		return;
	CU_ASSERT_TRUE(p->daemon.has_tls);
	CU_ASSERT_STRING_EQUAL(p->daemon.listen, "0.0.0.0:9300");
	CU_ASSERT_STRING_EQUAL(p->daemon.metrics_listen, "[::]:9301");
	CU_ASSERT_STRING_EQUAL(p->daemon.tls.cert_file, "base/tls/s.crt");
	CU_ASSERT_STRING_EQUAL(p->daemon.tls.key_file, "base/tls/s.key");
	CU_ASSERT_STRING_EQUAL(p->daemon.tls.client_ca_file, "/etc/ca.pem");
	CU_ASSERT_EQUAL(p->daemon.tls.allowed_clients.n, 3);
	CU_ASSERT_EQUAL(p->daemon.header_timeout_ms, 2000);
	CU_ASSERT_EQUAL(p->daemon.max_connections_per_client, 64);
	CU_ASSERT_TRUE(p->daemon.allow_request_time);
	hc_policy_free(p);
}

/* A misspelt key is named with its likely spelling; others are not. */
static const struct bad_case suggest_cases[] = {
	{ DOC(",'servce':{}"),
	    "toplevel: unknown key 'servce' (did you mean 'service'?)" },
	{ DOC(",'Routes':[]"),
	    "toplevel: unknown key 'Routes' (did you mean 'routes'?)" },
	{ DOC(",'binding':{'mtsl':'off'}"),
	    "binding: unknown key 'mtsl' (did you mean 'mtls'?)" },
	{ DOC(",'daemon':{'metrics_listn':'127.0.0.1:1'}"),
	    "daemon: unknown key 'metrics_listn' (did you mean"
	    " 'metrics_listen'?)" },
	{ DOC(",'colour':1,'zz':2"), "toplevel: unknown key 'colour'\n" },
	{ NULL, NULL }
};

static void
test_did_you_mean(void)
{
	run_bad(suggest_cases);
}

/* Loopback listen addresses the daemon accepts. */
static void
test_listen_accepted(void)
{
	static const char *const docs[] = {
		DOC(",'daemon':{'listen':'127.0.0.1:9300'}"),
		DOC(",'daemon':{'listen':'127.255.0.9:1'}"),
		DOC(",'daemon':{'listen':'[::1]:65535'}"),
		DOC(",'daemon':{'listen':'localhost:80'}"),
		NULL
	};

	run_good(docs);
}

/* ------------------------------------------------------------- matching */

static void
test_pattern_match(void)
{
	CU_ASSERT_TRUE(hc_pattern_match("user:*", "user:alice"));
	CU_ASSERT_TRUE(hc_pattern_match("user:*", "user:"));
	CU_ASSERT_FALSE(hc_pattern_match("user:*", "user"));
	CU_ASSERT_FALSE(hc_pattern_match("user:*", "User:alice"));
	CU_ASSERT_FALSE(hc_pattern_match("user:*", "xuser:alice"));
	CU_ASSERT_TRUE(hc_pattern_match("*", "anything"));
	CU_ASSERT_TRUE(hc_pattern_match("*", ""));
	CU_ASSERT_TRUE(hc_pattern_match("abc", "abc"));
	CU_ASSERT_FALSE(hc_pattern_match("abc", "abcd"));
	CU_ASSERT_FALSE(hc_pattern_match("abc", "ab"));
	CU_ASSERT_FALSE(hc_pattern_match("abc", ""));
	CU_ASSERT_TRUE(hc_pattern_match("spiffe://e.org/*",
	    "spiffe://e.org/ns/a"));
	CU_ASSERT_FALSE(hc_pattern_match("spiffe://e.org/*",
	    "spiffe://e.org.evil/ns/a"));
	CU_ASSERT_FALSE(hc_pattern_match(NULL, "a"));
	CU_ASSERT_FALSE(hc_pattern_match("a", NULL));
}

static void
test_route_match(void)
{
	hc_policy *p = load_ok(DOC(",'routes':["
	    "{'method':'POST','path':'/v1/payments','scopes':['w']},"
	    "{'method':'get','path':'/v1/payments/*','scopes':['r']},"
	    "{'method':'*','path':'/admin'},"
	    "{'path':'/v2/*'},{'method':'PUT','path':'/v2/x'}],"
	    "'default_route':{'scopes':['d']}"), NULL);
	const hc_route_policy *r = NULL;

	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_PTR_EQUAL(hc_policy_route(p, "POST", "/v1/payments"),
	    &p->routes[0]);
	CU_ASSERT_PTR_EQUAL(hc_policy_route(p, "POST", "/v1/payments?x=1"),
	    &p->routes[0]);
	/*
	 * "X/" + "*" covers the collection X too: request paths arrive without
	 * a trailing slash, and "/v1/payments/" must not escape the rule.
	 */
	CU_ASSERT_PTR_EQUAL(hc_policy_route(p, "GET", "/v1/payments"),
	    &p->routes[1]);
	CU_ASSERT_PTR_EQUAL(hc_policy_route(p, "GET", "/v1/payments/42?a=/b"),
	    &p->routes[1]);
	CU_ASSERT_PTR_EQUAL(hc_policy_route(p, "GET", "/v1/payments?/x"),
	    &p->routes[1]);
	CU_ASSERT_PTR_EQUAL(hc_policy_route(p, "GET", "/v1/paymentsx"),
	    p->default_route);
	/* Methods compare exactly: the stored "GET" is not "get". */
	CU_ASSERT_PTR_EQUAL(hc_policy_route(p, "get", "/v1/payments/1"),
	    p->default_route);
	CU_ASSERT_PTR_EQUAL(hc_policy_route(p, "DELETE", "/admin"),
	    &p->routes[2]);
	CU_ASSERT_PTR_EQUAL(hc_policy_route(p, "GET", "/admin/x"),
	    p->default_route);
	/* First match wins: the prefix route shadows the later PUT. */
	CU_ASSERT_PTR_EQUAL(hc_policy_route(p, "PUT", "/v2/x"), &p->routes[3]);
	CU_ASSERT_PTR_EQUAL(hc_policy_route(p, "PATCH", "/elsewhere"),
	    p->default_route);
	r = hc_policy_route(p, NULL, "/admin");
	CU_ASSERT_PTR_EQUAL(r, p->default_route);
	CU_ASSERT_EQUAL(p->default_route->scopes.n, 1);
	hc_policy_free(p);

	/* Without a default route, an unmatched request has no route. */
	p = load_ok(DOC(",'routes':[{'method':'GET','path':'/a'}]"), NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_PTR_EQUAL(hc_policy_route(p, "GET", "/a"), &p->routes[0]);
	CU_ASSERT_PTR_NULL(hc_policy_route(p, "GET", "/b"));
	CU_ASSERT_PTR_NULL(hc_policy_route(p, "POST", "/a"));
	CU_ASSERT_PTR_NULL(hc_policy_route(NULL, "GET", "/a"));
	hc_policy_free(p);
}

static void
test_issuer_lookup(void)
{
	hc_policy *p = load_ok("{" SVC ",'issuers':["
	    "{'issuer':'https://a','jwks_file':'k','algorithms':['ES256']},"
	    "{'issuer':'https://b','jwks_file':'k','algorithms':['ES256']}]}",
	    NULL);
	size_t idx = 99;

	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_PTR_EQUAL(hc_policy_issuer(p, "https://b", &idx),
	    &p->issuers[1]);
	CU_ASSERT_EQUAL(idx, 1);
	CU_ASSERT_PTR_EQUAL(hc_policy_issuer(p, "https://a", NULL),
	    &p->issuers[0]);
	/* Exact comparison: no trailing-slash or case folding. */
	CU_ASSERT_PTR_NULL(hc_policy_issuer(p, "https://a/", &idx));
	CU_ASSERT_PTR_NULL(hc_policy_issuer(p, "HTTPS://A", &idx));
	CU_ASSERT_PTR_NULL(hc_policy_issuer(p, NULL, &idx));
	CU_ASSERT_EQUAL(idx, 1);
	hc_policy_free(p);
	hc_policy_free(NULL);
}

/* ------------------------------------------- origins, dpop and wimse */

#define SVC_O "'service':{'audiences':['https://api.example'],"  \
	"'origins':['https://api.example']}"
#define DOC_O(extra) "{" SVC_O ",'issuers':[" ISS("") "]" extra "}"
#define WTD(extra) "{'trust_domain':'a.example','jwks_file':'a.jwks',"  \
	"'algorithms':['ES256']" extra "}"

static void
test_pop_loads(void)
{
	hc_policy *p;

	/* Defaults: both off, the caps of hc_limits.h. */
	p = load_ok(DOC(""), "base");
	CU_ASSERT_EQUAL(p->dpop.mode, HC_MODE_OFF);
	CU_ASSERT_EQUAL(p->dpop.max_age_s, HC_DEFAULT_DPOP_MAX_AGE_S);
	CU_ASSERT_FALSE(p->dpop.has_nonce);
	CU_ASSERT_EQUAL(p->wimse.mode, HC_MODE_OFF);
	CU_ASSERT_EQUAL(p->wimse.max_wit_lifetime_s, 86400);
	CU_ASSERT_EQUAL(p->wimse.max_wpt_ttl_s, 300);
	CU_ASSERT_EQUAL(p->origins.n, 0);
	hc_policy_free(p);

	p = load_ok("{'service':{'audiences':['a'],'origins':["
	    "'HTTPS://API.example:443/','http://127.0.0.1:8080',"
	    "'https://b.example:8443']},'issuers':[" ISS("") "],"
	    "'dpop':{'mode':'required','algorithms':['ES256','PS256'],"
	    "'max_age_s':30},"
	    "'wimse':{'mode':'if_present','trust_domains':[" WTD(
	    ",'issuers':['https://wit.a.example']") "],"
	    "'max_wit_lifetime_s':3600,'max_wpt_ttl_s':60}}", "/etc/hc");
	CU_ASSERT_EQUAL_FATAL(p->origins.n, 3);
	CU_ASSERT_STRING_EQUAL(p->origins.v[0], "https://api.example");
	CU_ASSERT_STRING_EQUAL(p->origins.v[2], "https://b.example:8443");
	CU_ASSERT_EQUAL(p->dpop.mode, HC_MODE_REQUIRED);
	CU_ASSERT_EQUAL(p->dpop.alg_mask, HC_ALG_BIT(HC_ALG_ES256) |
	    HC_ALG_BIT(HC_ALG_PS256));
	CU_ASSERT_EQUAL(p->dpop.max_age_s, 30);
	CU_ASSERT_EQUAL(p->wimse.mode, HC_MODE_IF_PRESENT);
	CU_ASSERT_EQUAL_FATAL(p->wimse.ntds, 1);
	CU_ASSERT_STRING_EQUAL(p->wimse.tds[0].trust_domain, "a.example");
	CU_ASSERT_EQUAL(p->wimse.tds[0].keysrc, HC_WIMSE_KEYS_JWKS_FILE);
	CU_ASSERT_STRING_EQUAL(p->wimse.tds[0].key_location, "/etc/hc/a.jwks");
	CU_ASSERT_EQUAL(p->wimse.tds[0].issuers.n, 1);
	CU_ASSERT_EQUAL(p->wimse.max_wit_lifetime_s, 3600);
	CU_ASSERT_EQUAL(p->wimse.max_wpt_ttl_s, 60);
	hc_policy_free(p);

	/* The remote and bundle sources, with their transport settings. */
	p = load_ok(DOC_O(",'wimse':{'mode':'required','trust_domains':["
	    "{'trust_domain':'a.example','bundle_uri':"
	    "'http://127.0.0.1:8443/b','allow_insecure_http':true,"
	    "'ca_file':'ca.pem','algorithms':['ES256']},"
	    "{'trust_domain':'b.example','jwks_uri':'https://b.example/j',"
	    "'algorithms':['ES256']},"
	    "{'trust_domain':'c.example','bundle_file':'c.bundle',"
	    "'algorithms':['ES256']}]}"), "/etc/hc");
	CU_ASSERT_EQUAL_FATAL(p->wimse.ntds, 3);
	CU_ASSERT_EQUAL(p->wimse.tds[0].keysrc, HC_WIMSE_KEYS_BUNDLE_URI);
	CU_ASSERT_STRING_EQUAL(p->wimse.tds[0].key_location,
	    "http://127.0.0.1:8443/b");
	CU_ASSERT_TRUE(p->wimse.tds[0].allow_insecure_http);
	CU_ASSERT_STRING_EQUAL(p->wimse.tds[0].ca_file, "/etc/hc/ca.pem");
	CU_ASSERT_EQUAL(p->wimse.tds[1].keysrc, HC_WIMSE_KEYS_JWKS_URI);
	CU_ASSERT_FALSE(p->wimse.tds[1].allow_insecure_http);
	CU_ASSERT_PTR_NULL(p->wimse.tds[1].ca_file);
	CU_ASSERT_EQUAL(p->wimse.tds[2].keysrc, HC_WIMSE_KEYS_BUNDLE_FILE);
	CU_ASSERT_STRING_EQUAL(p->wimse.tds[2].key_location,
	    "/etc/hc/c.bundle");
	hc_policy_free(p);
}

/* A 32-byte nonce secret is read (and copied); any other size refused. */
static void
test_dpop_nonce_secret(void)
{
	char dir[] = "/tmp/hc-cfg-XXXXXX", path[64];
	unsigned char key[HC_DPOP_NONCE_SECRET_BYTES];
	hc_policy *p;
	FILE *f;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	for (size_t i = 0; i < sizeof(key); i++)
		key[i] = (unsigned char)(i * 7 + 1);
	(void)snprintf(path, sizeof(path), "%s/n.key", dir);
	f = fopen(path, "wb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(fwrite(key, 1, sizeof(key), f), sizeof(key));
	fclose(f);
	p = load_ok(DOC_O(",'dpop':{'mode':'required','algorithms':['ES256'],"
	    "'nonce_secret_file':'n.key'}"), dir);
	CU_ASSERT_TRUE(p->dpop.has_nonce);
	CU_ASSERT_EQUAL(memcmp(p->dpop.nonce_secret, key, sizeof(key)), 0);
	hc_policy_free(p);
	f = fopen(path, "ab");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputc('\n', f);
	fclose(f);
	{
		char *text = doc(DOC_O(",'dpop':{'mode':'required',"
		    "'algorithms':['ES256'],'nonce_secret_file':'n.key'}"));
		char *errors = NULL;

		HC_ASSERT_STATUS(hc_policy_parse(text, strlen(text), dir, &p,
		    &errors), HC_CONFIG);
		CU_ASSERT_PTR_NOT_NULL(errors != NULL ? strstr(errors,
		    "dpop.nonce_secret_file: the nonce secret is 33 bytes") :
		    NULL);
		free(errors);
		free(text);
	}
	(void)remove(path);
	(void)rmdir(dir);
}

static const struct bad_case pop_cases[] = {
	{ DOC(",'dpop':{'mode':'required','algorithms':['ES256']}"),
	    "service.origins: required when dpop or wimse is on" },
	{ DOC(",'wimse':{'mode':'required','trust_domains':[" WTD("") "]}"),
	    "service.origins: required when dpop or wimse is on" },
	{ "{'service':{'audiences':['a'],'origins':['http://a.example']},"
	    "'issuers':[" ISS("") "]}",
	    "service.origins[0]: not an origin: plain http is allowed only" },
	{ "{'service':{'audiences':['a'],'origins':['https://a.example/p']},"
	    "'issuers':[" ISS("") "]}",
	    "service.origins[0]: not an origin: an origin is" },
	{ "{'service':{'audiences':['a'],'origins':['https://a.example?x']},"
	    "'issuers':[" ISS("") "]}", "service.origins[0]: not an origin" },
	{ "{'service':{'audiences':['a'],'origins':['https://u@a.example']},"
	    "'issuers':[" ISS("") "]}", "service.origins[0]: not an origin" },
	{ "{'service':{'audiences':['a'],'origins':['https://a.example',"
	    "'HTTPS://A.EXAMPLE:443']},'issuers':[" ISS("") "]}",
	    "service.origins[1]: the same origin" },
	{ "{'service':{'audiences':['a'],'origins':[]},'issuers':[" ISS("")
	    "]}", "service.origins: must not be empty" },
	{ DOC_O(",'dpop':{'mode':'required'}"),
	    "dpop.algorithms: required key is missing" },
	{ DOC_O(",'dpop':{'mode':'on','algorithms':['ES256']}"), "dpop.mode" },
	{ DOC_O(",'dpop':{'mode':'required','algorithms':['HS256']}"),
	    "dpop.algorithms[0]: HS256 is a MAC" },
	{ DOC_O(",'dpop':{'mode':'required','algorithms':['none']}"),
	    "dpop.algorithms[0]: \"none\" is never allowed" },
	{ DOC_O(",'dpop':{'mode':'required','algorithms':['XS256']}"),
	    "dpop.algorithms[0]: unknown algorithm" },
	{ DOC_O(",'dpop':{'mode':'required','algorithms':['ES256'],"
	    "'max_age_s':0}"), "dpop.max_age_s" },
	{ DOC_O(",'dpop':{'mode':'required','algorithms':['ES256'],"
	    "'max_age_s':3601}"), "dpop.max_age_s" },
	{ DOC_O(",'dpop':{'mode':'required','algorithms':['ES256'],"
	    "'nonce_secret_file':'no-such.key'}"), "dpop.nonce_secret_file:" },
	{ DOC_O(",'dpop':{'mode':'required','algorithms':['ES256'],"
	    "'nonces':true}"), "dpop: unknown key 'nonces'" },
	{ DOC_O(",'wimse':{'mode':'required'}"),
	    "wimse.trust_domains: required key is missing" },
	{ DOC_O(",'wimse':{'mode':'required','trust_domains':[]}"),
	    "wimse.trust_domains" },
	{ DOC_O(",'wimse':{'mode':'required','trust_domains':["
	    "{'trust_domain':'a.example','algorithms':['ES256']}]}"),
	    "wimse.trust_domains[0]: needs a key source: jwks_file, jwks_uri,"
	    " bundle_file or bundle_uri" },
	{ DOC_O(",'wimse':{'mode':'required','trust_domains':["
	    "{'trust_domain':'a.example','jwks_file':'a'}]}"),
	    "wimse.trust_domains[0].algorithms: required key is missing" },
	{ DOC_O(",'wimse':{'mode':'required','trust_domains':[" WTD("") ","
	    WTD("") "]}"), "wimse.trust_domains[1].trust_domain: same trust" },
	{ DOC_O(",'wimse':{'mode':'required','trust_domains':["
	    "{'trust_domain':'A.example','jwks_file':'a',"
	    "'algorithms':['ES256']}]}"),
	    "wimse.trust_domains[0].trust_domain: not a valid" },
	{ DOC_O(",'wimse':{'mode':'required','trust_domains':[" WTD(
	    ",'bundle_uri':'https://x.example/b'") "]}"),
	    "wimse.trust_domains[0]: jwks_file and bundle_uri are exclusive:"
	    " give exactly one key source" },
	{ DOC_O(",'wimse':{'mode':'required','trust_domains':["
	    "{'trust_domain':'a.example','jwks_uri':'https://x.example/j',"
	    "'bundle_file':'b','algorithms':['ES256']}]}"),
	    "wimse.trust_domains[0]: jwks_uri and bundle_file are exclusive" },
	{ DOC_O(",'wimse':{'mode':'required','trust_domains':["
	    "{'trust_domain':'a.example','jwks_uri':'http://x.example/j',"
	    "'algorithms':['ES256']}]}"),
	    "wimse.trust_domains[0].jwks_uri" },
	{ DOC_O(",'wimse':{'mode':'required','trust_domains':[" WTD(
	    ",'key_file':'k'") "]}"),
	    "wimse.trust_domains[0]: unknown key 'key_file'" },
	{ DOC_O(",'wimse':{'mode':'required','trust_domains':[" WTD("") "],"
	    "'max_wpt_ttl_s':3601}"), "wimse.max_wpt_ttl_s" },
	{ DOC_O(",'wimse':{'mode':'required','trust_domains':[" WTD("") "],"
	    "'max_wit_lifetime_s':0}"), "wimse.max_wit_lifetime_s" },
	{ NULL, NULL }
};

static void
test_pop_errors(void)
{
	run_bad(pop_cases);
	if ((hc_crypto()->caps & HC_CRYPTO_EDDSA) == 0)
		free(load_bad(DOC_O(",'dpop':{'mode':'required',"
		    "'algorithms':['EdDSA']}"),
		    "dpop.algorithms[0]: EdDSA needs the OpenSSL backend"));
}

static const hc_test load_tests[] = {
	{ "example conf/hopcheck.conf loads", test_example_loads },
	{ "minimal documents load", test_minimal_loads },
	{ "documented defaults", test_defaults },
	{ "defaults inside sections", test_section_defaults },
	{ "values stored normalised", test_normalised_values },
	{ "log levels", test_log_levels },
	{ "URLs accepted", test_urls_accepted },
	{ "loopback listen accepted", test_listen_accepted },
	{ "comments", test_comments },
	{ "origins, dpop and wimse", test_pop_loads },
	{ "dpop nonce secret file", test_dpop_nonce_secret },
	{ NULL, NULL }
};

static const hc_test error_tests[] = {
	{ "document errors and duplicates", test_document_errors },
	{ "size limits", test_size_limits },
	{ "list limits", test_list_limits },
	{ "all errors reported", test_multiple_errors },
	{ "error lines capped", test_error_cap },
	{ "error values quoted", test_error_quoting },
	{ "service", test_service_errors },
	{ "integers", test_integer_errors },
	{ "issuers", test_issuer_errors },
	{ "URLs", test_url_errors },
	{ "spiffe", test_spiffe_errors },
	{ "audience and binding", test_audience_binding_errors },
	{ "delegation", test_delegation_errors },
	{ "routes", test_route_errors },
	{ "replay, cache, fetch", test_store_fetch_errors },
	{ "daemon", test_daemon_errors },
	{ "daemon network mode", test_daemon_network },
	{ "did you mean", test_did_you_mean },
	{ "origins, dpop and wimse", test_pop_errors },
	{ NULL, NULL }
};

static const hc_test match_tests[] = {
	{ "patterns", test_pattern_match },
	{ "routes", test_route_match },
	{ "issuer lookup", test_issuer_lookup },
	{ NULL, NULL }
};

static const hc_suite suites[] = {
	{ "config: loading", load_tests },
	{ "config: errors", error_tests },
	{ "config: matching", match_tests },
	{ NULL, NULL }
};

int
main(void)
{
	return hc_test_main(suites);
}
