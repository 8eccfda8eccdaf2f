/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_binding.c - workload identity: the X.509 helper (x509.c), the
 * binding step (binding.c: the cnf dispatcher of cnf.c, then the peer
 * identity of peer.c), and the Envoy x-forwarded-client-cert parser
 * (xfcc.c).
 *
 * Four suites:
 *  - x509: each certificate of tests/data/certs (made by the openssl CLI,
 *    see make-certs.sh there) through hc_x509_to_der() and
 *    hc_x509_identity_of(), as PEM and DER, and the RFC 8705 Appendix A
 *    thumbprint;
 *  - check: hc_binding_check() on a hand-built context, one setting and
 *    one fact at a time, so that each rule is seen on its own;
 *  - xfcc: hc_xfcc_parse() and hc_request_set_xfcc() on the examples of
 *    Envoy's documentation and on broken or hostile values;
 *  - vectors: testvectors/binding.json (tokens signed by jwcrypto, see
 *    tools/vectors/gen_binding_vectors.py) through the whole of hc_validate().
 *
 * Test code may read JSON with cJSON directly; the library never exposes it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "binding.h"
#include "testutil.h"
#include "validator.h"

#define CERTS "tests/data/certs/"
#define TD "spiffe://example.org"
#define ORDERS TD "/ns/prod/sa/orders"
#define BILLING TD "/ns/prod/sa/billing"
#define APPA "tests/vectors/rfc8705-appA.pem"
/* RFC 8705 Appendix A, and the same digest with non-zero trailing bits. */
#define APPA_X5T "A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0"
#define APPA_X5T_ALIAS "A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v1"

#define X5T_SIZE 44              /* 43 characters and the NUL */
#define PATH_SIZE 1024

/* ---------------------------------------------------------------- helpers */

/* The leaf DER of a certificate file; fails the test when it does not load. */
static unsigned char *
load_der(const char *path, size_t *len)
{
	unsigned char *der = NULL;
	size_t n;
	char *buf = hc_test_read(path, &n);
	hc_detail d = { "" };

	*len = 0;
	if (buf == NULL)
		return NULL;
	HC_ASSERT_STATUS(hc_x509_to_der((unsigned char *)buf, n, &der, len, &d),
	    HC_OK);
	free(buf);
	return der;
}

/* The RFC 8705 thumbprint of a DER certificate, into out[X5T_SIZE]. */
static void
thumbprint(const unsigned char *der, size_t len, char *out)
{
	unsigned char digest[32];

	hc_crypto()->sha256(der, len, digest);
	hc_b64url_encode(digest, sizeof(digest), out);
}

static void
thumbprint_of(const char *path, char *out)
{
	size_t len;
	unsigned char *der = load_der(path, &len);

	out[0] = '\0';
	if (der != NULL)
		thumbprint(der, len, out);
	free(der);
}

/* What hc_x509_identity_of() says of a certificate file. */
static hc_status
identity_of(const char *path, hc_x509_identity *id)
{
	size_t len;
	unsigned char *der = load_der(path, &len);
	hc_detail d = { "" };
	hc_status st;

	memset(id, 0, sizeof(*id));
	if (der == NULL)
		return HC_INTERNAL;
	st = hc_x509_identity_of(der, len, id, &d);
	free(der);
	return st;
}

/* ------------------------------------------------------------------- x509 */

static void
test_x509_svid(void)
{
	hc_x509_identity id;

	HC_ASSERT_STATUS(identity_of(CERTS "orders.pem", &id), HC_OK);
	CU_ASSERT_EQUAL(id.uri_sans, 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(id.spiffe_id);
	CU_ASSERT_STRING_EQUAL(id.spiffe_id, ORDERS);
	CU_ASSERT_FALSE(id.is_ca);
	CU_ASSERT_FALSE(id.key_cert_sign);
	hc_x509_identity_clear(&id);
	CU_ASSERT_PTR_NULL(id.spiffe_id);
	hc_x509_identity_clear(&id);        /* twice is harmless */
	hc_x509_identity_clear(NULL);

	HC_ASSERT_STATUS(identity_of(CERTS "billing.pem", &id), HC_OK);
	CU_ASSERT_STRING_EQUAL(id.spiffe_id, BILLING);
	hc_x509_identity_clear(&id);
}

static void
test_x509_pem_der_same(void)
{
	size_t lp, ld, lraw;
	unsigned char *p = load_der(CERTS "orders.pem", &lp);
	unsigned char *d = load_der(CERTS "orders.der", &ld);
	char *raw = hc_test_read(CERTS "orders.der", &lraw);

	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	/* PEM decodes to exactly the DER file, and DER comes back unchanged. */
	CU_ASSERT_EQUAL(lp, ld);
	CU_ASSERT_EQUAL(ld, lraw);
	CU_ASSERT(lp == ld && memcmp(p, d, lp) == 0);
	CU_ASSERT(ld == lraw && memcmp(d, raw, ld) == 0);
	free(p);
	free(d);
	free(raw);
}

static void
test_x509_not_svids(void)
{
	static const struct {
		const char *file;
		size_t uris;
		bool ca, kcs;
		const char *id;
	} cases[] = {
		{ CERTS "two-uris.pem", 2, false, false, NULL },
		{ CERTS "no-uri.pem", 0, false, false, NULL },
		{ CERTS "ca-true.pem", 1, true, false, ORDERS },
		{ CERTS "keycertsign.pem", 1, false, true, ORDERS },
		{ CERTS "crlsign.pem", 1, false, true, ORDERS },
		{ CERTS "no-path.pem", 1, false, false, TD },
		{ CERTS "bad-spiffe.pem", 1, false, false,
		    "spiffe://Example.org/ns/prod/sa/orders" },
		{ CERTS "https-uri.pem", 1, false, false,
		    "https://orders.example.org/" },
		{ CERTS "ca.pem", 1, true, true, TD },
		{ CERTS "intermediate.pem", 1, true, true, TD },
		{ APPA, 0, false, false, NULL },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		hc_x509_identity id;

		HC_ASSERT_STATUS(identity_of(cases[i].file, &id), HC_OK);
		CU_ASSERT_EQUAL(id.uri_sans, cases[i].uris);
		CU_ASSERT_EQUAL(id.is_ca, cases[i].ca);
		CU_ASSERT_EQUAL(id.key_cert_sign, cases[i].kcs);
		if (cases[i].id == NULL) {
			CU_ASSERT_PTR_NULL(id.spiffe_id);
		} else {
			CU_ASSERT(id.spiffe_id != NULL &&
			    strcmp(id.spiffe_id, cases[i].id) == 0);
		}
		if (id.uri_sans != cases[i].uris)
			fprintf(stderr, "\n%s: %zu URI SANs\n", cases[i].file,
			    id.uri_sans);
		hc_x509_identity_clear(&id);
	}
}

/* Text before the PEM armour, even text that starts like DER, is skipped. */
static void
test_x509_pem_preamble(void)
{
	static const char *const preambles[] = {
		"Bag Attributes\n    friendlyName: orders\n",
		"0 s:O = hopcheck tests, CN = orders\n",
	};
	size_t n, want_len, len;
	unsigned char *want = load_der(CERTS "orders.pem", &want_len), *der;
	char *pem = hc_test_read(CERTS "orders.pem", &n), *text;
	hc_detail d = { "" };

	CU_ASSERT_PTR_NOT_NULL_FATAL(want);
	for (size_t i = 0; i < sizeof(preambles) / sizeof(preambles[0]); i++) {
		size_t pl = strlen(preambles[i]);

		text = malloc(pl + n);
		CU_ASSERT_PTR_NOT_NULL_FATAL(text);
		memcpy(text, preambles[i], pl);
		memcpy(text + pl, pem, n);
		HC_ASSERT_STATUS(hc_x509_to_der((unsigned char *)text, pl + n,
		    &der, &len, &d), HC_OK);
		CU_ASSERT(len == want_len && memcmp(der, want, len) == 0);
		free(der);
		free(text);
	}
	free(pem);
	free(want);
}

/* The leaf of a PEM chain is its first block, not the CA after it. */
static void
test_x509_chain_leaf(void)
{
	hc_x509_identity id;
	char leaf[X5T_SIZE], inter[X5T_SIZE];

	HC_ASSERT_STATUS(identity_of(CERTS "orders-chain.pem", &id), HC_OK);
	CU_ASSERT_FALSE(id.is_ca);
	CU_ASSERT(id.spiffe_id != NULL && strcmp(id.spiffe_id, ORDERS) == 0);
	hc_x509_identity_clear(&id);
	thumbprint_of(CERTS "orders-chain.pem", leaf);
	thumbprint_of(CERTS "intermediate.pem", inter);
	CU_ASSERT_EQUAL(strlen(leaf), 43);
	CU_ASSERT(strcmp(leaf, inter) != 0);
}

/* More subjectAltName entries than HC_MAX_CERT_SANS: refused, not walked. */
static void
test_x509_too_many_sans(void)
{
	hc_x509_identity id;

	HC_ASSERT_STATUS(identity_of(CERTS "many-sans.pem", &id),
	    HC_MALFORMED);
	CU_ASSERT_PTR_NULL(id.spiffe_id);
	CU_ASSERT_EQUAL(id.uri_sans, 0);
}

static void
test_x509_rfc8705_thumbprint(void)
{
	char x5t[X5T_SIZE];
	unsigned char buf[40];
	size_t n;

	thumbprint_of(APPA, x5t);
	CU_ASSERT_STRING_EQUAL(x5t, APPA_X5T);
	CU_ASSERT_STRING_NOT_EQUAL(x5t, APPA_X5T_ALIAS);
	/* The alias decodes to the same digest only under a lax decoder. */
	CU_ASSERT_EQUAL(hc_b64url_decode(APPA_X5T_ALIAS, 43, buf, sizeof(buf),
	    &n), -1);
	CU_ASSERT_EQUAL(hc_b64url_decode(APPA_X5T, 43, buf, sizeof(buf), &n),
	    0);
	CU_ASSERT_EQUAL(n, 32);
}

static void
test_x509_bad_input(void)
{
	static const char garbage[] = "not a certificate at all";
	static const char no_body[] = "-----BEGIN CERTIFICATE-----\n"
	    "!!!!\n-----END CERTIFICATE-----\n";
	static const char no_end[] = "-----BEGIN CERTIFICATE-----\n"
	    "MIIBBjCBrAIBAjAKBggqhkjOPQQDAjAPMQ0wCwYDVQQDDARtdGxz\n";
	unsigned char *der = NULL, *big, *cut;
	size_t len = 0, dlen;
	unsigned char *good = load_der(CERTS "orders.pem", &dlen);
	hc_x509_identity id;
	hc_detail d = { "" };

	CU_ASSERT_PTR_NOT_NULL_FATAL(good);
	HC_ASSERT_STATUS(hc_x509_to_der(NULL, 0, &der, &len, &d), HC_MALFORMED);
	HC_ASSERT_STATUS(hc_x509_to_der((const unsigned char *)garbage,
	    strlen(garbage), &der, &len, &d), HC_MALFORMED);
	CU_ASSERT_PTR_NULL(der);
	HC_ASSERT_STATUS(hc_x509_to_der((const unsigned char *)no_body,
	    strlen(no_body), &der, &len, &d), HC_MALFORMED);
	HC_ASSERT_STATUS(hc_x509_to_der((const unsigned char *)no_end,
	    strlen(no_end), &der, &len, NULL), HC_MALFORMED);

	/* A byte after the DER certificate; the certificate cut short. */
	big = malloc(dlen + 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(big);
	memcpy(big, good, dlen);
	big[dlen] = 0;
	HC_ASSERT_STATUS(hc_x509_to_der(big, dlen + 1, &der, &len, &d),
	    HC_MALFORMED);
	CU_ASSERT_PTR_NOT_NULL(strstr(d.text, "follow"));
	HC_ASSERT_STATUS(hc_x509_identity_of(big, dlen + 1, &id, &d),
	    HC_MALFORMED);
	cut = good;
	HC_ASSERT_STATUS(hc_x509_to_der(cut, dlen - 1, &der, &len, &d),
	    HC_MALFORMED);
	HC_ASSERT_STATUS(hc_x509_to_der(cut, dlen / 2, &der, &len, NULL),
	    HC_MALFORMED);
	/* Over the size bound, whatever it holds. */
	free(big);
	big = calloc(1, HC_MAX_CERT_BYTES + 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(big);
	big[0] = 0x30;
	HC_ASSERT_STATUS(hc_x509_to_der(big, HC_MAX_CERT_BYTES + 1, &der, &len,
	    &d), HC_MALFORMED);
	HC_ASSERT_STATUS(hc_x509_identity_of(big, HC_MAX_CERT_BYTES + 1, &id,
	    &d), HC_MALFORMED);
	CU_ASSERT_PTR_NULL(der);
	CU_ASSERT_EQUAL(len, 0);
	free(big);
	free(good);
}

/* ------------------------------------------------------------------ check */

/* binding.identities of the "check" suite. */
static hc_identity_map test_map[] = {
	{ "orders-mtls", ORDERS },
};

/* A request whose peer is the certificate file `path` (NULL: no peer). */
static hc_request *
req_cert(const char *path)
{
	hc_request *req = hc_request_new();
	size_t n;
	char *buf;

	CU_ASSERT_PTR_NOT_NULL_FATAL(req);
	if (path == NULL)
		return req;
	buf = hc_test_read(path, &n);
	HC_ASSERT_STATUS(hc_request_set_peer_cert(req, (unsigned char *)buf, n),
	    HC_OK);
	free(buf);
	return req;
}

/* A request whose peer a proxy described (either may be NULL). */
static hc_request *
req_ident(const char *x5t, const char *spiffe_id)
{
	hc_request *req = hc_request_new();

	CU_ASSERT_PTR_NOT_NULL_FATAL(req);
	HC_ASSERT_STATUS(hc_request_set_peer_identity(req, x5t, spiffe_id),
	    HC_OK);
	return req;
}

/*
 * Runs hc_binding_check() on a context made by hand: a policy with only
 * the two binding settings and test_map, the claims `claims` (JSON text)
 * read into the result as the pipeline would, and `req`.  The detail is
 * copied to *detail when it is not NULL.
 */
static hc_status
check(hc_mode mtls, hc_mode pid, const char *claims, const hc_request *req,
    hc_detail *detail)
{
	hc_policy pol;
	hc_result res;
	hc_json *payload = NULL;
	hc_detail d = { "" };
	hc_ctx c;
	hc_status st;

	memset(&pol, 0, sizeof(pol));
	memset(&res, 0, sizeof(res));
	memset(&c, 0, sizeof(c));
	pol.mtls = mtls;
	pol.peer_identity = pid;
	pol.identities = test_map;
	pol.nidentities = sizeof(test_map) / sizeof(test_map[0]);
	HC_ASSERT_STATUS(hc_json_parse(claims, strlen(claims), &payload, &d),
	    HC_OK);
	if (payload == NULL)
		return HC_INTERNAL;
	c.pol = &pol;
	c.req = req;
	c.payload = payload;
	c.res = &res;
	HC_ASSERT_STATUS(hc_claims_fill_result(&c), HC_OK);
	CU_ASSERT_EQUAL(c.chain_status, HC_OK);
	st = hc_binding_check(&c);
	if (st != HC_OK)
		CU_ASSERT(res.detail.text[0] != '\0');
	if (detail != NULL)
		*detail = res.detail;
	free(res.actors);           /* the names are borrowed from payload */
	free(res.scope_buf);
	hc_json_free(payload);
	return st;
}

/* Claims with sub and, when x5t is not NULL, cnf.x5t#S256. */
static const char *
bound_claims(char *buf, size_t n, const char *sub, const char *x5t)
{
	if (x5t != NULL)
		(void)snprintf(buf, n, "{\"sub\":\"%s\",\"cnf\":{\"x5t#S256\":"
		    "\"%s\"}}", sub, x5t);
	else
		(void)snprintf(buf, n, "{\"sub\":\"%s\"}", sub);
	return buf;
}

static void
test_check_mtls_required(void)
{
	const hc_mode R = HC_MODE_REQUIRED, OFF = HC_MODE_OFF;
	char orders[X5T_SIZE], cl[512], padded[64];
	hc_request *ro = req_cert(CERTS "orders.pem");
	hc_request *rd = req_cert(CERTS "orders.der");
	hc_request *rb = req_cert(CERTS "billing.pem");
	hc_request *rn = req_cert(NULL);
	hc_request *ra = req_cert(APPA);
	hc_detail d;

	thumbprint_of(CERTS "orders.pem", orders);
	bound_claims(cl, sizeof(cl), ORDERS, orders);
	HC_ASSERT_STATUS(check(R, OFF, cl, ro, &d), HC_OK);
	HC_ASSERT_STATUS(check(R, OFF, cl, rd, &d), HC_OK);
	HC_ASSERT_STATUS(check(R, OFF, cl, rb, &d), HC_BINDING);
	CU_ASSERT_PTR_NOT_NULL(strstr(d.text, orders));
	HC_ASSERT_STATUS(check(R, OFF, cl, rn, &d), HC_BINDING);
	CU_ASSERT_PTR_NOT_NULL(strstr(d.text, "no peer certificate"));
	HC_ASSERT_STATUS(check(R, OFF, cl, NULL, &d), HC_BINDING);

	HC_ASSERT_STATUS(check(R, OFF, "{\"sub\":\"a\"}", ro, &d), HC_BINDING);
	CU_ASSERT_PTR_NOT_NULL(strstr(d.text, "no cnf"));
	HC_ASSERT_STATUS(check(R, OFF, "{\"sub\":\"a\",\"cnf\":{}}", ro, &d),
	    HC_BINDING);
	HC_ASSERT_STATUS(check(R, OFF, "{\"sub\":\"a\",\"cnf\":{\"x5t\":"
	    "\"abc\"}}", ro, &d), HC_BINDING);
	CU_ASSERT_PTR_NOT_NULL(strstr(d.text, "RFC 7800"));
	HC_ASSERT_STATUS(check(R, OFF, "{\"sub\":\"a\",\"cnf\":{\"x5t#S256\":"
	    "43}}", ro, &d), HC_BINDING);
	HC_ASSERT_STATUS(check(R, OFF, "{\"sub\":\"a\",\"cnf\":{\"jkt\":"
	    "\"0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I\"}}", ro, &d),
	    HC_BINDING);
	CU_ASSERT_PTR_NOT_NULL(strstr(d.text, "cnf.jkt"));
	(void)snprintf(cl, sizeof(cl), "{\"sub\":\"a\",\"cnf\":{\"x5t#S256\":"
	    "\"%s\",\"jwk\":{\"kty\":\"EC\"}}}", orders);
	/* Every method must be checked: jwk cannot be, so x5t is not enough. */
	HC_ASSERT_STATUS(check(R, OFF, cl, ro, &d), HC_BINDING);
	CU_ASSERT_PTR_NOT_NULL(strstr(d.text, "cnf.jwk"));

	/* Spellings of the thumbprint other than the canonical one. */
	(void)snprintf(padded, sizeof(padded), "%s=", orders);
	HC_ASSERT_STATUS(check(R, OFF, bound_claims(cl, sizeof(cl), "a",
	    padded), ro, &d), HC_BINDING);
	padded[42] = '\0';
	HC_ASSERT_STATUS(check(R, OFF, bound_claims(cl, sizeof(cl), "a",
	    padded), ro, &d), HC_BINDING);
	HC_ASSERT_STATUS(check(R, OFF, bound_claims(cl, sizeof(cl), "a",
	    APPA_X5T), ra, &d), HC_OK);
	HC_ASSERT_STATUS(check(R, OFF, bound_claims(cl, sizeof(cl), "a",
	    APPA_X5T_ALIAS), ra, &d), HC_BINDING);
	CU_ASSERT_PTR_NOT_NULL(strstr(d.text, "canonical"));

	hc_request_free(ro);
	hc_request_free(rd);
	hc_request_free(rb);
	hc_request_free(rn);
	hc_request_free(ra);
}

static void
test_check_mtls_proxy(void)
{
	const hc_mode R = HC_MODE_REQUIRED, OFF = HC_MODE_OFF;
	char orders[X5T_SIZE], cl[512], bad[64];
	hc_request *rq;
	hc_detail d;

	thumbprint_of(CERTS "orders.pem", orders);
	bound_claims(cl, sizeof(cl), ORDERS, orders);
	rq = req_ident(orders, NULL);
	HC_ASSERT_STATUS(check(R, OFF, cl, rq, &d), HC_OK);
	hc_request_free(rq);
	(void)snprintf(bad, sizeof(bad), "%s=", orders);
	rq = req_ident(bad, NULL);
	HC_ASSERT_STATUS(check(R, OFF, cl, rq, &d), HC_BINDING);
	CU_ASSERT_PTR_NOT_NULL(strstr(d.text, "peer thumbprint"));
	hc_request_free(rq);
	/* An identity with no thumbprint cannot satisfy a bound token. */
	rq = req_ident(NULL, ORDERS);
	HC_ASSERT_STATUS(check(R, OFF, cl, rq, &d), HC_BINDING);
	hc_request_free(rq);
}

static void
test_check_mtls_if_present_off(void)
{
	const hc_mode IP = HC_MODE_IF_PRESENT, OFF = HC_MODE_OFF;
	char orders[X5T_SIZE], cl[512];
	hc_request *ro = req_cert(CERTS "orders.pem");
	hc_request *rb = req_cert(CERTS "billing.pem");
	hc_detail d;

	thumbprint_of(CERTS "orders.pem", orders);
	HC_ASSERT_STATUS(check(IP, OFF, "{\"sub\":\"a\"}", NULL, &d), HC_OK);
	HC_ASSERT_STATUS(check(IP, OFF, "{\"sub\":\"a\"}", rb, &d), HC_OK);
	HC_ASSERT_STATUS(check(IP, OFF, "{\"sub\":\"a\",\"cnf\":{\"x-y\":1}}",
	    NULL, &d), HC_OK);
	HC_ASSERT_STATUS(check(IP, OFF, "{\"sub\":\"a\",\"cnf\":{\"jkt\":"
	    "\"x\"}}", NULL, &d), HC_BINDING);
	bound_claims(cl, sizeof(cl), ORDERS, orders);
	HC_ASSERT_STATUS(check(IP, OFF, cl, NULL, &d), HC_BINDING);
	HC_ASSERT_STATUS(check(IP, OFF, cl, ro, &d), HC_OK);
	HC_ASSERT_STATUS(check(IP, OFF, cl, rb, &d), HC_BINDING);

	/* off: nothing about cnf is looked at. */
	HC_ASSERT_STATUS(check(OFF, OFF, cl, rb, &d), HC_OK);
	HC_ASSERT_STATUS(check(OFF, OFF, cl, NULL, &d), HC_OK);
	HC_ASSERT_STATUS(check(OFF, OFF, "{\"sub\":\"a\",\"cnf\":{\"jkt\":"
	    "\"x\"}}", NULL, &d), HC_OK);
	hc_request_free(ro);
	hc_request_free(rb);
}

static void
test_check_peer_required(void)
{
	static const struct {
		const char *file;
		const char *why;         /* in the detail */
	} bad[] = {
		{ CERTS "billing.pem", "is not the client (sub)" },
		{ CERTS "no-uri.pem", "no URI SAN" },
		{ CERTS "two-uris.pem", "2 URI SANs" },
		{ CERTS "ca-true.pem", "cA=true" },
		{ CERTS "keycertsign.pem", "keyCertSign" },
		{ CERTS "crlsign.pem", "cRLSign" },
		{ CERTS "no-path.pem", "no path" },
		{ CERTS "bad-spiffe.pem", "not a valid SPIFFE ID" },
		{ CERTS "https-uri.pem", "not a valid SPIFFE ID" },
		{ CERTS "many-sans.pem", "cannot be read" },
		{ APPA, "no URI SAN" },
		{ NULL, "no peer certificate" },
	};
	const hc_mode R = HC_MODE_REQUIRED, OFF = HC_MODE_OFF;
	const char *cl = "{\"sub\":\"" ORDERS "\"}";
	hc_request *rq;
	hc_detail d;

	rq = req_cert(CERTS "orders.pem");
	HC_ASSERT_STATUS(check(OFF, R, cl, rq, &d), HC_OK);
	hc_request_free(rq);
	rq = req_cert(CERTS "orders-chain.pem");
	HC_ASSERT_STATUS(check(OFF, R, cl, rq, &d), HC_OK);
	hc_request_free(rq);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		rq = req_cert(bad[i].file);
		HC_ASSERT_STATUS(check(OFF, R, cl, rq, &d), HC_PEER);
		if (strstr(d.text, bad[i].why) == NULL) {
			fprintf(stderr, "\n%s: detail \"%s\" lacks \"%s\"\n",
			    bad[i].file ? bad[i].file : "(no peer)", d.text,
			    bad[i].why);
			CU_FAIL("detail does not say why");
		}
		hc_request_free(rq);
	}
	HC_ASSERT_STATUS(check(OFF, R, cl, NULL, &d), HC_PEER);
}

/* A chain of two: orders acts now, gateway acted before it. */
#define CHAIN2 "{\"sub\":\"user:alice\",\"act\":{\"sub\":\"" ORDERS \
	"\",\"act\":{\"sub\":\"" TD "/ns/prod/sa/gateway\"}}}"

static void
test_check_peer_expected(void)
{
	const hc_mode R = HC_MODE_REQUIRED, OFF = HC_MODE_OFF;
	hc_request *ro = req_cert(CERTS "orders.pem");
	hc_request *rg = req_cert(CERTS "gateway.pem");
	hc_request *rb = req_cert(CERTS "billing.pem");
	hc_detail d;

	/* The current actor, not the subject, not a prior actor. */
	HC_ASSERT_STATUS(check(OFF, R, CHAIN2, ro, &d), HC_OK);
	HC_ASSERT_STATUS(check(OFF, R, CHAIN2, rg, &d), HC_PEER);
	CU_ASSERT_PTR_NOT_NULL(strstr(d.text, "current actor"));
	/* With act, client_id does not count. */
	HC_ASSERT_STATUS(check(OFF, R, "{\"sub\":\"user:alice\",\"client_id\":"
	    "\"" TD "/ns/prod/sa/gateway\",\"act\":{\"sub\":\"" ORDERS "\"}}",
	    rg, &d), HC_PEER);
	/* Without act: client_id wins over sub. */
	HC_ASSERT_STATUS(check(OFF, R, "{\"sub\":\"" BILLING "\",\"client_id\":"
	    "\"" ORDERS "\"}", ro, &d), HC_OK);
	HC_ASSERT_STATUS(check(OFF, R, "{\"sub\":\"" ORDERS "\",\"client_id\":"
	    "\"" BILLING "\"}", ro, &d), HC_PEER);
	CU_ASSERT_PTR_NOT_NULL(strstr(d.text, "client_id"));
	/* An OAuth client id, mapped or not by binding.identities. */
	HC_ASSERT_STATUS(check(OFF, R, "{\"sub\":\"u\",\"client_id\":"
	    "\"orders-mtls\"}", ro, &d), HC_OK);
	HC_ASSERT_STATUS(check(OFF, R, "{\"sub\":\"u\",\"client_id\":"
	    "\"orders-mtls\"}", rb, &d), HC_PEER);
	CU_ASSERT_PTR_NOT_NULL(strstr(d.text, "maps to"));
	HC_ASSERT_STATUS(check(OFF, R, "{\"sub\":\"u\",\"client_id\":"
	    "\"reports\"}", ro, &d), HC_PEER);
	CU_ASSERT_PTR_NOT_NULL(strstr(d.text, "binding.identities"));
	HC_ASSERT_STATUS(check(OFF, R, "{\"sub\":\"orders-mtls\"}", ro, &d),
	    HC_OK);
	HC_ASSERT_STATUS(check(OFF, R, "{\"iss\":\"x\"}", ro, &d), HC_PEER);
	/* Byte-exact: the path is case-sensitive. */
	HC_ASSERT_STATUS(check(OFF, R, "{\"sub\":\"" TD "/ns/prod/sa/Orders\"}",
	    ro, &d), HC_PEER);
	hc_request_free(ro);
	hc_request_free(rg);
	hc_request_free(rb);
}

static void
test_check_peer_proxy(void)
{
	const hc_mode R = HC_MODE_REQUIRED, IP = HC_MODE_IF_PRESENT;
	const hc_mode OFF = HC_MODE_OFF;
	const char *cl = "{\"sub\":\"" ORDERS "\"}";
	hc_request *rq;
	hc_detail d;

	rq = req_ident(NULL, ORDERS);
	HC_ASSERT_STATUS(check(OFF, R, cl, rq, &d), HC_OK);
	hc_request_free(rq);
	rq = req_ident(NULL, BILLING);
	HC_ASSERT_STATUS(check(OFF, IP, cl, rq, &d), HC_PEER);
	hc_request_free(rq);
	rq = req_ident(NULL, TD);
	HC_ASSERT_STATUS(check(OFF, IP, "{\"sub\":\"" TD "\"}", rq, &d),
	    HC_PEER);
	CU_ASSERT_PTR_NOT_NULL(strstr(d.text, "no path"));
	hc_request_free(rq);
	rq = req_ident(NULL, "spiffe://example.org/a//b");
	HC_ASSERT_STATUS(check(OFF, IP, cl, rq, &d), HC_PEER);
	hc_request_free(rq);
	/* A thumbprint without identity: none to check, unless required. */
	rq = req_ident(APPA_X5T, NULL);
	HC_ASSERT_STATUS(check(OFF, IP, cl, rq, &d), HC_OK);
	HC_ASSERT_STATUS(check(OFF, R, cl, rq, &d), HC_PEER);
	hc_request_free(rq);
}

static void
test_check_peer_if_present_off(void)
{
	const hc_mode IP = HC_MODE_IF_PRESENT, OFF = HC_MODE_OFF;
	const char *cl = "{\"sub\":\"" ORDERS "\"}";
	hc_request *rq;
	hc_detail d;

	HC_ASSERT_STATUS(check(OFF, IP, cl, NULL, &d), HC_OK);
	HC_ASSERT_STATUS(check(OFF, IP, "{\"sub\":\"anyone\"}", NULL, &d),
	    HC_OK);
	rq = req_cert(CERTS "no-uri.pem");
	HC_ASSERT_STATUS(check(OFF, IP, "{\"sub\":\"anyone\"}", rq, &d), HC_OK);
	hc_request_free(rq);
	rq = req_cert(CERTS "orders.pem");
	HC_ASSERT_STATUS(check(OFF, IP, cl, rq, &d), HC_OK);
	HC_ASSERT_STATUS(check(OFF, IP, "{\"sub\":\"anyone\"}", rq, &d),
	    HC_PEER);
	hc_request_free(rq);
	rq = req_cert(CERTS "two-uris.pem");
	HC_ASSERT_STATUS(check(OFF, IP, cl, rq, &d), HC_PEER);
	HC_ASSERT_STATUS(check(OFF, OFF, cl, rq, &d), HC_OK);
	hc_request_free(rq);
	rq = req_cert(CERTS "ca-true.pem");
	HC_ASSERT_STATUS(check(OFF, IP, cl, rq, &d), HC_PEER);
	hc_request_free(rq);
	rq = req_cert(CERTS "billing.pem");
	HC_ASSERT_STATUS(check(OFF, OFF, cl, rq, &d), HC_OK);
	hc_request_free(rq);
}

/* binding.mtls runs first: a token failing both reports the binding. */
static void
test_check_order(void)
{
	const hc_mode R = HC_MODE_REQUIRED;
	char orders[X5T_SIZE], cl[512];
	hc_request *rb = req_cert(CERTS "billing.pem");
	hc_detail d;

	thumbprint_of(CERTS "orders.pem", orders);
	bound_claims(cl, sizeof(cl), ORDERS, orders);
	HC_ASSERT_STATUS(check(R, R, cl, rb, &d), HC_BINDING);
	hc_request_free(rb);
}

/* ------------------------------------------------------------------- xfcc */

/* The digests of Envoy's examples, as base64url. */
#define ENVOY_HASH1 \
	"468ed33be74eee6556d90c0149c1309e9ba61d6425303443c0748a02dd8de688"
#define ENVOY_X5T1 "Ro7TO-dO7mVW2QwBScEwnpumHWQlMDRDwHSKAt2N5og"
#define ENVOY_HASH2 \
	"9ba61d6425303443c0748a02dd8de688468ed33be74eee6556d90c0149c1309e"
#define ENVOY_X5T2 "m6YdZCUwNEPAdIoC3Y3miEaO0zvnTu5lVtkMAUnBMJ4"

/* Parses `v`; on HC_OK compares the outputs with x5t and id (NULL: none). */
static hc_status
xfcc(const char *v, const char *x5t, const char *id)
{
	static char unset[] = "unset";
	char *gx = unset, *gi = unset;
	hc_detail d = { "" };
	hc_status st;

	st = hc_xfcc_parse(v, strlen(v), &gx, &gi, &d);
	if (st != HC_OK) {
		CU_ASSERT_PTR_NULL(gx);
		CU_ASSERT_PTR_NULL(gi);
		CU_ASSERT(d.text[0] != '\0');
		return st;
	}
	if (x5t == NULL) {
		CU_ASSERT_PTR_NULL(gx);
	} else {
		CU_ASSERT(gx != NULL && strcmp(gx, x5t) == 0);
	}
	if (id == NULL) {
		CU_ASSERT_PTR_NULL(gi);
	} else {
		CU_ASSERT(gi != NULL && strcmp(gi, id) == 0);
	}
	free(gx);
	free(gi);
	return st;
}

/* The three examples of Envoy's x-forwarded-client-cert documentation. */
static void
test_xfcc_envoy_examples(void)
{
	HC_ASSERT_STATUS(xfcc("By=http://frontend.lyft.com;Hash=" ENVOY_HASH1
	    ";Subject=\"/C=US/ST=CA/L=San Francisco/OU=Lyft/CN=Test Client\";"
	    "URI=http://testclient.lyft.com", ENVOY_X5T1,
	    "http://testclient.lyft.com"), HC_OK);
	HC_ASSERT_STATUS(xfcc("By=http://frontend.lyft.com;Hash=" ENVOY_HASH1
	    ";URI=http://testclient.lyft.com,By=http://backend.lyft.com;Hash="
	    ENVOY_HASH2 ";URI=http://frontend.lyft.com", ENVOY_X5T2,
	    "http://frontend.lyft.com"), HC_OK);
	HC_ASSERT_STATUS(xfcc("By=http://frontend.lyft.com;Hash=" ENVOY_HASH1
	    ";Subject=\"/C=US/ST=CA/L=San Francisco/OU=Lyft/CN=Test Client\";"
	    "URI=http://testclient.lyft.com;DNS=lyft.com;DNS=www.lyft.com",
	    ENVOY_X5T1, "http://testclient.lyft.com"), HC_OK);
}

static void
test_xfcc_syntax(void)
{
	/* Keys are case-insensitive; unknown keys are skipped. */
	HC_ASSERT_STATUS(xfcc("hash=" ENVOY_HASH1 ";uri=" ORDERS ";Foo=bar",
	    ENVOY_X5T1, ORDERS), HC_OK);
	HC_ASSERT_STATUS(xfcc("HASH=" ENVOY_HASH1, ENVOY_X5T1, NULL), HC_OK);
	HC_ASSERT_STATUS(xfcc("Hash=" ENVOY_HASH1 ";URI=", ENVOY_X5T1, NULL),
	    HC_OK);
	HC_ASSERT_STATUS(xfcc("URI=\"" ORDERS "\"", NULL, ORDERS), HC_OK);
	/* Uppercase hex is still hex. */
	HC_ASSERT_STATUS(xfcc("Hash=468ED33BE74EEE6556D90C0149C1309E"
	    "9BA61D6425303443C0748A02DD8DE688", ENVOY_X5T1, NULL), HC_OK);
	/* Separators and escaped quotes inside a quoted value. */
	HC_ASSERT_STATUS(xfcc("Subject=\"CN=a \\\"b\\\", O=c;d=e\";Hash="
	    ENVOY_HASH1, ENVOY_X5T1, NULL), HC_OK);
	/* A quoted comma does not start an element (the hash stays). */
	HC_ASSERT_STATUS(xfcc("Subject=\"a,Hash=" ENVOY_HASH2 "\";Hash="
	    ENVOY_HASH1, ENVOY_X5T1, NULL), HC_OK);
	/* Two header lines joined by a list: ", " between elements. */
	HC_ASSERT_STATUS(xfcc("Hash=" ENVOY_HASH2 ", Hash=" ENVOY_HASH1 " ",
	    ENVOY_X5T1, NULL), HC_OK);

	HC_ASSERT_STATUS(xfcc("", NULL, NULL), HC_MALFORMED);
	HC_ASSERT_STATUS(xfcc(" ", NULL, NULL), HC_MALFORMED);
	HC_ASSERT_STATUS(xfcc("Hash=" ENVOY_HASH1 ",", NULL, NULL),
	    HC_MALFORMED);
	HC_ASSERT_STATUS(xfcc(",Hash=" ENVOY_HASH1, NULL, NULL), HC_MALFORMED);
	HC_ASSERT_STATUS(xfcc("Hash=" ENVOY_HASH1 ";", NULL, NULL),
	    HC_MALFORMED);
	HC_ASSERT_STATUS(xfcc("Hash", NULL, NULL), HC_MALFORMED);
	HC_ASSERT_STATUS(xfcc("=x;Hash=" ENVOY_HASH1, NULL, NULL),
	    HC_MALFORMED);
	HC_ASSERT_STATUS(xfcc("Ha sh=" ENVOY_HASH1, NULL, NULL), HC_MALFORMED);
	HC_ASSERT_STATUS(xfcc("Subject=\"abc;Hash=" ENVOY_HASH1, NULL, NULL),
	    HC_MALFORMED);
	HC_ASSERT_STATUS(xfcc("Subject=\"abc\"x;Hash=" ENVOY_HASH1, NULL, NULL),
	    HC_MALFORMED);
	HC_ASSERT_STATUS(xfcc("Subject=a\"b;Hash=" ENVOY_HASH1, NULL, NULL),
	    HC_MALFORMED);
	HC_ASSERT_STATUS(xfcc("Subject=\"a\nb\";Hash=" ENVOY_HASH1, NULL, NULL),
	    HC_MALFORMED);
	HC_ASSERT_STATUS(xfcc("By=x;Subject=\"y\"", NULL, NULL), HC_MALFORMED);
	HC_ASSERT_STATUS(xfcc("[{\"Hash\":\"" ENVOY_HASH1 "\"}]", NULL, NULL),
	    HC_MALFORMED);
	/* An unbalanced quote earlier must not swallow the last element. */
	HC_ASSERT_STATUS(xfcc("Subject=\"x,Hash=" ENVOY_HASH1, NULL, NULL),
	    HC_MALFORMED);
}

static void
test_xfcc_hash(void)
{
	HC_ASSERT_STATUS(xfcc("Hash=" ENVOY_HASH1 "0", NULL, NULL),
	    HC_MALFORMED);
	HC_ASSERT_STATUS(xfcc("Hash=468ed33be74eee6556d90c0149c1309e"
	    "9ba61d6425303443c0748a02dd8de68", NULL, NULL), HC_MALFORMED);
	HC_ASSERT_STATUS(xfcc("Hash=468ed33be74eee6556d90c0149c1309e"
	    "9ba61d6425303443c0748a02dd8de68g", NULL, NULL), HC_MALFORMED);
	HC_ASSERT_STATUS(xfcc("Hash=" ENVOY_X5T1, NULL, NULL), HC_MALFORMED);
	HC_ASSERT_STATUS(xfcc("Hash=", NULL, NULL), HC_MALFORMED);
	HC_ASSERT_STATUS(xfcc("Hash=" ENVOY_HASH1 ";Hash=" ENVOY_HASH1, NULL,
	    NULL), HC_MALFORMED);
	HC_ASSERT_STATUS(xfcc("Hash=\"" ENVOY_HASH1 "\\\"\"", NULL, NULL),
	    HC_MALFORMED);
}

static void
test_xfcc_uri(void)
{
	HC_ASSERT_STATUS(xfcc("Hash=" ENVOY_HASH1 ";URI=" ORDERS ";URI="
	    BILLING, NULL, NULL), HC_PEER);
	HC_ASSERT_STATUS(xfcc("URI=\"spiffe://a/\\\\b\"", NULL, NULL),
	    HC_MALFORMED);
	/* Only the last element counts: two URIs earlier are not ours. */
	HC_ASSERT_STATUS(xfcc("URI=" ORDERS ";URI=" BILLING ",URI=" ORDERS,
	    NULL, ORDERS), HC_OK);
}

/* Envoy's urlEncodedPemEncodedPeerCertificate: %-escapes for what PEM has. */
static char *
url_encode(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(s), o = 0;
	char *out = malloc(3 * n + 1);

	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
		    (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' ||
		    ch == '_' || ch == '~') {
			out[o++] = (char)ch;
		} else {
			out[o++] = '%';
			out[o++] = hex[ch >> 4];
			out[o++] = hex[ch & 15];
		}
	}
	out[o] = '\0';
	return out;
}

/* An XFCC value with the Cert of `file`, and `rest` appended. */
static char *
xfcc_with_cert(const char *file, const char *rest)
{
	size_t n;
	char *pem = hc_test_read(file, &n), *enc, *v;

	enc = url_encode(pem);
	v = malloc(strlen(enc) + strlen(rest) + 16);
	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	(void)sprintf(v, "Cert=\"%s\"%s", enc, rest);
	free(pem);
	free(enc);
	return v;
}

static void
test_xfcc_cert(void)
{
	char orders[X5T_SIZE], rest[X5T_SIZE];
	char *v;

	thumbprint_of(CERTS "orders.pem", orders);

	v = xfcc_with_cert(CERTS "orders.pem", "");
	HC_ASSERT_STATUS(xfcc(v, orders, ORDERS), HC_OK);
	free(v);
	v = xfcc_with_cert(CERTS "no-uri.pem", ";URI=");
	thumbprint_of(CERTS "no-uri.pem", rest);
	HC_ASSERT_STATUS(xfcc(v, rest, NULL), HC_OK);
	free(v);
	/* URI must be the certificate's own. */
	v = xfcc_with_cert(CERTS "orders.pem", ";URI=" ORDERS);
	HC_ASSERT_STATUS(xfcc(v, orders, ORDERS), HC_OK);
	free(v);
	v = xfcc_with_cert(CERTS "orders.pem", ";URI=" BILLING);
	HC_ASSERT_STATUS(xfcc(v, NULL, NULL), HC_PEER);
	free(v);
	v = xfcc_with_cert(CERTS "no-uri.pem", ";URI=" ORDERS);
	HC_ASSERT_STATUS(xfcc(v, NULL, NULL), HC_PEER);
	free(v);
	v = xfcc_with_cert(CERTS "two-uris.pem", "");
	HC_ASSERT_STATUS(xfcc(v, NULL, NULL), HC_PEER);
	free(v);
	/* Hash must be the digest of Cert's DER. */
	v = xfcc_with_cert(CERTS "orders.pem", ";Hash=" ENVOY_HASH1);
	HC_ASSERT_STATUS(xfcc(v, NULL, NULL), HC_BINDING);
	free(v);
	/* A percent-escape that is not two hex digits. */
	v = xfcc_with_cert(CERTS "orders.pem", "");
	v[10] = '%';
	v[11] = 'Z';
	HC_ASSERT_STATUS(xfcc(v, NULL, NULL), HC_MALFORMED);
	free(v);
	HC_ASSERT_STATUS(xfcc("Cert=\"hello\"", NULL, NULL), HC_MALFORMED);
	HC_ASSERT_STATUS(xfcc("Cert=\"%2", NULL, NULL), HC_MALFORMED);
	HC_ASSERT_STATUS(xfcc("Cert=\"abc%2\"", NULL, NULL), HC_MALFORMED);
	HC_ASSERT_STATUS(xfcc("Cert=\"a b\"", NULL, NULL), HC_MALFORMED);
	HC_ASSERT_STATUS(xfcc("Cert=a;Cert=b", NULL, NULL), HC_MALFORMED);
}

static void
test_xfcc_bounds(void)
{
	size_t n = HC_MAX_XFCC_BYTES + 1;
	char *v = malloc(n + 1);
	char *gx, *gi;
	hc_detail d = { "" };

	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	memset(v, 'a', n);
	memcpy(v, "Hash=" ENVOY_HASH1 ";X=", 72);
	v[n] = '\0';
	HC_ASSERT_STATUS(hc_xfcc_parse(v, n, &gx, &gi, &d), HC_MALFORMED);
	CU_ASSERT_PTR_NOT_NULL(strstr(d.text, "limit"));
	/* Too many pairs in one element. */
	v[0] = '\0';
	for (int i = 0; i <= HC_MAX_XFCC_PAIRS; i++)
		strcat(v, "DNS=a.example;");
	strcat(v, "Hash=" ENVOY_HASH1);
	HC_ASSERT_STATUS(hc_xfcc_parse(v, strlen(v), &gx, &gi, &d),
	    HC_MALFORMED);
	CU_ASSERT_PTR_NOT_NULL(strstr(d.text, "pairs"));
	HC_ASSERT_STATUS(hc_xfcc_parse(NULL, 0, &gx, &gi, &d), HC_MALFORMED);
	free(v);
}

static void
test_xfcc_request(void)
{
	char orders[X5T_SIZE];
	hc_request *req = hc_request_new();
	size_t dlen;
	unsigned char *der = load_der(CERTS "orders.pem", &dlen);
	char *v;

	CU_ASSERT_PTR_NOT_NULL_FATAL(req);
	CU_ASSERT_PTR_NOT_NULL_FATAL(der);
	thumbprint_of(CERTS "orders.pem", orders);

	/* Hash and URI: thumbprint and identity, no certificate. */
	HC_ASSERT_STATUS(hc_request_set_xfcc(req, "Hash=" ENVOY_HASH1 ";URI="
	    ORDERS, strlen("Hash=" ENVOY_HASH1 ";URI=" ORDERS)), HC_OK);
	CU_ASSERT(req->has_peer);
	CU_ASSERT_PTR_NULL(req->peer_der);
	CU_ASSERT(req->peer_x5t && strcmp(req->peer_x5t, ENVOY_X5T1) == 0);
	CU_ASSERT(req->peer_spiffe_id &&
	    strcmp(req->peer_spiffe_id, ORDERS) == 0);

	/* A refused value leaves the request as it was. */
	HC_ASSERT_STATUS(hc_request_set_xfcc(req, "Hash=zz", 7), HC_MALFORMED);
	CU_ASSERT(req->peer_x5t && strcmp(req->peer_x5t, ENVOY_X5T1) == 0);
	HC_ASSERT_STATUS(hc_request_set_xfcc(req, "URI=a;URI=b", 11), HC_PEER);
	CU_ASSERT(req->peer_spiffe_id &&
	    strcmp(req->peer_spiffe_id, ORDERS) == 0);

	/* Cert: the request holds the leaf itself, as from a TLS layer. */
	v = xfcc_with_cert(CERTS "orders.pem", ";URI=" ORDERS);
	HC_ASSERT_STATUS(hc_request_set_xfcc(req, v, strlen(v)), HC_OK);
	CU_ASSERT_PTR_NULL(req->peer_x5t);
	CU_ASSERT_PTR_NULL(req->peer_spiffe_id);
	CU_ASSERT(req->peer_der_len == dlen &&
	    memcmp(req->peer_der, der, dlen) == 0);
	free(v);

	HC_ASSERT_STATUS(hc_request_set_xfcc(NULL, "URI=a", 5), HC_INTERNAL);
	HC_ASSERT_STATUS(hc_request_set_xfcc(req, NULL, 0), HC_MALFORMED);
	hc_request_free(req);
	free(der);
}

/* ---------------------------------------------------------------- vectors */

#define VEC_FILE "testvectors/binding.json"

/* Writes the vector file's keys as DIR/keys.json (the config's jwks_file). */
static int
write_keys(const char *dir, const cJSON *keys, char *path, size_t n)
{
	char *text = cJSON_PrintUnformatted(keys);
	FILE *f;
	int ok;

	if (text == NULL || snprintf(path, n, "%s/keys.json", dir) >= (int)n) {
		cJSON_free(text);
		return -1;
	}
	if ((f = fopen(path, "wb")) == NULL) {
		cJSON_free(text);
		return -1;
	}
	ok = fputs(text, f) >= 0;
	ok = fclose(f) == 0 && ok;
	cJSON_free(text);
	return ok ? 0 : -1;
}

/* The file's configuration with a case's config_patch applied. */
static hc_validator *
vec_validator(const cJSON *config, const cJSON *patch, const char *dir)
{
	return hc_test_validator(config, patch, NULL, dir);
}

/*
 * The request of a case: its clock and its peer.  *early is set to a
 * status other than HC_OK when hc_request_set_xfcc() refused the value:
 * that is then the case's result.
 */
static hc_request *
vec_request(const cJSON *c, hc_status *early)
{
	const cJSON *now = cJSON_GetObjectItemCaseSensitive(c, "now");
	const cJSON *rq = cJSON_GetObjectItemCaseSensitive(c, "request");
	const cJSON *pc = cJSON_GetObjectItemCaseSensitive(rq,
	    "peer_cert_file");
	const cJSON *px = cJSON_GetObjectItemCaseSensitive(rq, "peer_x5t");
	const cJSON *ps = cJSON_GetObjectItemCaseSensitive(rq,
	    "peer_spiffe_id");
	const cJSON *xf = cJSON_GetObjectItemCaseSensitive(rq, "xfcc");
	hc_request *req = hc_request_new();

	*early = HC_OK;
	CU_ASSERT_PTR_NOT_NULL_FATAL(req);
	CU_ASSERT_FATAL(cJSON_IsNumber(now));
	hc_request_set_time(req, (int64_t)now->valuedouble);
	if (cJSON_IsString(pc)) {
		size_t n;
		char *buf = hc_test_read(pc->valuestring, &n);
		HC_ASSERT_STATUS(hc_request_set_peer_cert(req,
		    (unsigned char *)buf, n), HC_OK);
		free(buf);
	}
	if (cJSON_IsString(px) || cJSON_IsString(ps))
		HC_ASSERT_STATUS(hc_request_set_peer_identity(req,
		    cJSON_IsString(px) ? px->valuestring : NULL,
		    cJSON_IsString(ps) ? ps->valuestring : NULL), HC_OK);
	if (cJSON_IsString(xf))
		*early = hc_request_set_xfcc(req, xf->valuestring,
		    strlen(xf->valuestring));
	return req;
}

static void
test_vectors(void)
{
	const cJSON *config, *keys, *cases, *c;
	hc_validator *base;
	char dir[PATH_SIZE], keypath[PATH_SIZE];
	const char *tmp = getenv("TMPDIR");
	size_t len, n = 0, passed = 0;
	char *buf = hc_test_read(VEC_FILE, &len);
	cJSON *doc;

	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	doc = cJSON_ParseWithLength(buf, len);
	free(buf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	config = cJSON_GetObjectItemCaseSensitive(doc, "config");
	keys = cJSON_GetObjectItemCaseSensitive(doc, "keys");
	cases = cJSON_GetObjectItemCaseSensitive(doc, "cases");
	CU_ASSERT_FATAL(cJSON_IsObject(config) && cJSON_IsObject(keys) &&
	    cJSON_IsArray(cases) && cJSON_GetArraySize(cases) > 0);
	if (tmp == NULL || tmp[0] == '\0')
#ifdef P_tmpdir
		tmp = P_tmpdir;
#else
		tmp = ".";
#endif
	(void)snprintf(dir, sizeof(dir), "%s/hc-binding-XXXXXX", tmp);
	CU_ASSERT_FATAL(mkdtemp(dir) != NULL);
	CU_ASSERT_FATAL(write_keys(dir, keys, keypath, sizeof(keypath)) == 0);
	base = vec_validator(config, NULL, dir);
	CU_ASSERT_PTR_NOT_NULL(base);

	cJSON_ArrayForEach(c, cases) {
		const cJSON *name = cJSON_GetObjectItemCaseSensitive(c, "name");
		const cJSON *tok = cJSON_GetObjectItemCaseSensitive(c, "token");
		const cJSON *exp = cJSON_GetObjectItemCaseSensitive(c,
		    "expect");
		const cJSON *patch = cJSON_GetObjectItemCaseSensitive(c,
		    "config_patch");
		hc_validator *v = base, *pv = NULL;
		hc_result *res = NULL;
		hc_request *req;
		hc_status want, got;

		n++;
		CU_ASSERT_FATAL(cJSON_IsString(name) && cJSON_IsString(tok) &&
		    cJSON_IsString(exp));
		CU_ASSERT_FATAL(hc_status_from_name(exp->valuestring, &want) ==
		    0);
		if (patch != NULL)
			v = pv = vec_validator(config, patch, dir);
		if (v == NULL) {
			CU_FAIL("no validator for a case");
			continue;
		}
		req = vec_request(c, &got);
		if (got == HC_OK) {
			got = hc_validate(v, tok->valuestring,
			    strlen(tok->valuestring), req, &res);
			CU_ASSERT_PTR_NOT_NULL(res);
			CU_ASSERT_EQUAL(got, hc_result_status(res));
		}
		if (got != want)
			fprintf(stderr, "\n" VEC_FILE ": %s: got %s, want "
			    "%s: %s", name->valuestring, hc_status_name(got),
			    hc_status_name(want), res ? hc_result_detail(res) :
			    "(refused by hc_request_set_xfcc)");
		HC_ASSERT_STATUS(got, want);
		passed += got == want;
		hc_result_free(res);
		hc_request_free(req);
		hc_validator_free(pv);
	}
	if (passed != n)
		fprintf(stderr, "\n" VEC_FILE ": %zu of %zu cases passed\n",
		    passed, n);
	CU_ASSERT(n >= 60);
	hc_validator_free(base);
	(void)unlink(keypath);
	if (rmdir(dir) != 0)
		fprintf(stderr, "cannot remove %s: %s\n", dir, strerror(errno));
	cJSON_Delete(doc);
}

/* ------------------------------------------------------------------- main */

static const hc_test x509_tests[] = {
	{ "SVID leaf", test_x509_svid },
	{ "PEM and DER give the same DER", test_x509_pem_der_same },
	{ "leaves that are no SVID", test_x509_not_svids },
	{ "text before the PEM armour", test_x509_pem_preamble },
	{ "first block of a PEM chain", test_x509_chain_leaf },
	{ "subjectAltName entry bound", test_x509_too_many_sans },
	{ "RFC 8705 Appendix A thumbprint", test_x509_rfc8705_thumbprint },
	{ "bad input", test_x509_bad_input },
	{ NULL, NULL }
};

static const hc_test check_tests[] = {
	{ "mtls required", test_check_mtls_required },
	{ "mtls with a proxy thumbprint", test_check_mtls_proxy },
	{ "mtls if_present and off", test_check_mtls_if_present_off },
	{ "peer_identity required", test_check_peer_required },
	{ "expected identity", test_check_peer_expected },
	{ "peer identity from a proxy", test_check_peer_proxy },
	{ "peer_identity if_present and off", test_check_peer_if_present_off },
	{ "binding before peer", test_check_order },
	{ NULL, NULL }
};

static const hc_test xfcc_tests[] = {
	{ "Envoy's examples", test_xfcc_envoy_examples },
	{ "syntax", test_xfcc_syntax },
	{ "Hash", test_xfcc_hash },
	{ "URI", test_xfcc_uri },
	{ "Cert", test_xfcc_cert },
	{ "bounds", test_xfcc_bounds },
	{ "hc_request_set_xfcc", test_xfcc_request },
	{ NULL, NULL }
};

static const hc_test vector_tests[] = {
	{ VEC_FILE, test_vectors },
	{ NULL, NULL }
};

static const hc_suite suites[] = {
	{ "x509", x509_tests },
	{ "check", check_tests },
	{ "xfcc", xfcc_tests },
	{ "vectors", vector_tests },
	{ NULL, NULL }
};

int
main(void)
{
	return hc_test_main(suites);
}
