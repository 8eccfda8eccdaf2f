/* SPDX-License-Identifier: Apache-2.0 */
/*
 * regress_binding.c - attacks on the binding between a token and the
 * workload that presents it.
 *
 * The story.  A bearer token is a key anyone may turn.  In a mesh, tokens
 * leak all the time: into logs, into a compromised sidecar, into the next
 * service of a call chain that was only meant to forward a request.  RFC
 * 8705 ties an access token to the client certificate its holder used at
 * the token endpoint (cnf.x5t#S256, the SHA-256 of the DER leaf), and
 * SPIFFE gives each workload an X.509-SVID whose URI SAN names it; a
 * resource server that checks both can tell "a token" from "this caller's
 * token".  Each check has been got wrong in ways worth pinning down:
 *
 *  1. Replay from another workload.  billing steals a token minted for
 *     orders and presents it over its own mTLS connection, or over none.
 *     A bound token must fail the thumbprint; an unbound one must still
 *     fail when billing's SPIFFE ID is not the token's client.
 *  2. A prior actor's certificate.  gateway called orders, which exchanged
 *     the token (RFC 8693) so that act = {orders, act: {gateway}}.  gateway
 *     keeps a copy and replays it: it does appear in the token, but only as
 *     a prior actor, and RFC 8693 section 4.1 makes only the current actor
 *     count.  Likewise a delegated token's client is not its presenter.
 *  3. The intermediate instead of the leaf.  A validator that accepts a
 *     thumbprint matching "some certificate of the presented chain" lets
 *     every leaf under a bound CA use the token.  The binding is to the
 *     leaf the peer authenticated with, the first certificate, only.
 *  4. PEM versus DER, and other spellings.  The thumbprint is over the DER
 *     encoding (RFC 8705 section 3.1).  A proxy or issuer that hashes the
 *     PEM text produces a value that never matches; a validator that
 *     hashed whatever bytes it got would accept a PEM-hashed binding when
 *     the certificate arrives as PEM and refuse it as DER.  Same digest,
 *     other spelling (padding, non-canonical trailing bits) must not match
 *     either, or one binding has many names.
 *  5. A forwarded certificate header from an untrusted hop.  Behind a TLS-
 *     terminating proxy the certificate travels in a header, and a client
 *     can send that header itself.  Envoy appends the element of the
 *     connection it terminated to the end of x-forwarded-client-cert, so
 *     only the last element is the proxy's; earlier ones are the client's
 *     fiction.  A header from a hop that is not the configured front proxy
 *     is dropped before it reaches the library, leaving no peer at all.
 *
 * The tokens are those of testvectors/binding.json (signed by jwcrypto,
 * tools/vectors/gen_binding_vectors.py); each case is looked up by name and
 * the status it must get is written here, independently of the file's
 * "expect".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "xfcc.h"
#include "testutil.h"

#define VEC_FILE "testvectors/binding.json"

/* The vector file, opened by the suite's init hook (testutil.h loader). */
static hc_vec vec;

static int
suite_init(void)
{
	return hc_vec_open(&vec, VEC_FILE) == 0 ? 0 : -1;
}

static int
suite_cleanup(void)
{
	hc_vec_close(&vec);
	return 0;
}

/* ---------------------------------------------------------------- helpers */

/*
 * Runs the case `name` of the vector file with its request and any
 * config_patch, and returns its status (a refusal of hc_request_set_xfcc()
 * included).  The detail is printed when the status is not `want`.
 */
static hc_status
run(const char *name, hc_status want)
{
	const cJSON *c = hc_vec_find(&vec, "cases", name);
	char detail[1024];
	hc_status st;

	if (c == NULL)
		return HC_INTERNAL;
	st = hc_vec_run(&vec, c, detail, sizeof(detail));
	if (st != want)
		fprintf(stderr, "\n%s: %s\n", name, detail);
	return st;
}

#define CASE(name, want) HC_ASSERT_STATUS(run((name), (want)), (want))

/* -------------------------------------------- 1. replay from elsewhere */

static void
test_replay_other_workload(void)
{
	/* The rightful holder. */
	CASE("ok-bound-pem", HC_OK);
	/* billing presents orders' bound token over its own mTLS. */
	CASE("binding-wrong-cert", HC_BINDING);
	CASE("binding-ifp-wrong-cert", HC_BINDING);
	/* ... or without any client certificate. */
	CASE("binding-no-peer", HC_BINDING);
	CASE("binding-ifp-bound-no-peer", HC_BINDING);
	/* An unbound token is still not billing's to use. */
	CASE("peer-ifp-unbound-replayed", HC_PEER);
	/* A proxy vouching for the right thumbprint but billing's identity. */
	CASE("peer-wrong-spiffe-id", HC_PEER);
	/* What "off" gives up, on purpose. */
	CASE("ok-off-wrong-cert", HC_OK);
}

/* ------------------------------------------------ 2. a prior actor */

static void
test_prior_actor(void)
{
	CASE("ok-delegated-prior-actor", HC_OK);
	CASE("peer-prior-actor", HC_PEER);
	CASE("peer-client-not-actor", HC_PEER);
}

/* -------------------------------------- 3. intermediate, not the leaf */

static void
test_intermediate(void)
{
	CASE("ok-chain-leaf", HC_OK);
	CASE("binding-intermediate", HC_BINDING);
	/* A CA certificate presented as the leaf is no workload identity. */
	CASE("peer-ca-true", HC_PEER);
	CASE("peer-xfcc-cert-ca-true", HC_PEER);
}

/* ---------------------------------------------- 4. PEM versus DER */

static void
test_pem_der(void)
{
	CASE("ok-bound-pem", HC_OK);
	CASE("ok-bound-der", HC_OK);
	CASE("binding-pem-thumbprint", HC_BINDING);
	CASE("binding-xfcc-hash-of-pem", HC_BINDING);
	CASE("binding-hex", HC_BINDING);
	CASE("binding-standard-alphabet", HC_BINDING);
	CASE("binding-padded", HC_BINDING);
	CASE("binding-rfc8705-alias", HC_BINDING);
	CASE("ok-ifp-rfc8705-appA", HC_OK);
}

/* ------------------------------------ 5. a forwarded header from afar */

#define HASH0 \
	"0000000000000000000000000000000000000000000000000000000000000000"
#define HASH1 \
	"1111111111111111111111111111111111111111111111111111111111111111"

static void
test_forwarded_header(void)
{
	static const char forged[] =
	    "Hash=" HASH0 ";URI=spiffe://example.org/ns/prod/sa/orders,"
	    "Hash=" HASH1 ";URI=spiffe://example.org/ns/prod/sa/billing";
	static const char swallow[] =
	    "Subject=\"x,Hash=" HASH0 ";URI=spiffe://example.org/ns/prod/sa/"
	    "orders";
	char *x5t = NULL, *id = NULL;
	hc_detail d = { "" };

	/* The element the proxy appended wins over the client's own. */
	CASE("ok-xfcc-last-element", HC_OK);
	CASE("binding-xfcc-forged-first", HC_BINDING);
	HC_ASSERT_STATUS(hc_xfcc_parse(forged, strlen(forged), &x5t, &id, &d),
	    HC_OK);
	CU_ASSERT(id != NULL &&
	    strcmp(id, "spiffe://example.org/ns/prod/sa/billing") == 0);
	CU_ASSERT(x5t != NULL &&
	    strcmp(x5t, "ERERERERERERERERERERERERERERERERERERERERERE") == 0);
	free(x5t);
	free(id);
	/* An open quote in a client's element must not eat the separator. */
	HC_ASSERT_STATUS(hc_xfcc_parse(swallow, strlen(swallow), &x5t, &id,
	    &d), HC_MALFORMED);
	CU_ASSERT_PTR_NULL(x5t);
	CU_ASSERT_PTR_NULL(id);
	/* A header that contradicts itself is refused. */
	CASE("binding-xfcc-hash-not-cert", HC_BINDING);
	CASE("peer-xfcc-uri-not-cert", HC_PEER);
	CASE("peer-xfcc-two-uris", HC_PEER);
	/* Dropped because the hop is not trusted: no peer, no binding. */
	CASE("binding-no-peer", HC_BINDING);
}

static const hc_test tests[] = {
	{ "1. bearer token replayed from another workload",
	    test_replay_other_workload },
	{ "2. a prior actor's certificate", test_prior_actor },
	{ "3. the intermediate's thumbprint, not the leaf's",
	    test_intermediate },
	{ "4. PEM versus DER thumbprints", test_pem_der },
	{ "5. a forwarded certificate header from an untrusted hop",
	    test_forwarded_header },
	{ NULL, NULL }
};

static const hc_suite suites[] = {
	{ "binding attacks", tests },
	{ NULL, NULL }
};

static const hc_hooks hooks[] = {
	{ "binding attacks", suite_init, suite_cleanup },
	{ NULL, NULL, NULL }
};

int
main(void)
{
	return hc_test_main_hooks(suites, hooks);
}
