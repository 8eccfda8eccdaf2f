/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_vectors.c - the language-neutral vectors of testvectors/, run through
 * the public API.
 *
 * tools/vectors/gen_*.py made these tokens with jwcrypto, a JOSE library
 * that shares no code with hopcheck, and tools/run_vectors.py runs the same
 * files through the CLI.  Here each file is one CUnit test: its keys and
 * extra files are written into a fresh temporary directory, the
 * configuration is loaded with hc_validator_new_from_json() using that
 * directory as the base for relative paths, and every case ("cases",
 * "peer_cases", "exchange_cases") is run at its fixed clock with its
 * request.  The expected status is the case's stable name, parsed with
 * hc_status_from_name(), so a misspelt name fails the test too.  A case
 * carrying "config_patch" gets its own validator, built from the file's
 * configuration with the patch's top-level members replaced.  A case with
 * "requires" (e.g. ["eddsa"]) that the library's crypto backend cannot meet
 * is not run: it is counted and shown as skipped, as tools/run_vectors.py
 * does, and never as passed.
 *
 * The loader is the strict one of testutil.h (hc_test_vectors()): a case
 * without `now`, or with a case or request member it does not know, fails
 * the test naming the member, so that a typo cannot test something else.
 */
#include <stddef.h>

#include "testutil.h"

/* Runs every case of one vector file; the file must have some. */
static void
vec_file(const char *file)
{
	CU_ASSERT(hc_test_vectors(file, "") > 0);
}

static void
test_core(void)
{
	vec_file("testvectors/core.json");
}

static void
test_layer2(void)
{
	vec_file("testvectors/layer2.json");
}

static void
test_routes(void)
{
	vec_file("testvectors/routes.json");
}

static void
test_default_route(void)
{
	vec_file("testvectors/default_route.json");
}

static void
test_exchange_tenant_binding(void)
{
	vec_file("testvectors/exchange_tenant_binding.json");
}

static void
test_jwt_svid(void)
{
	vec_file("testvectors/jwt_svid.json");
}

static void
test_route_normalization(void)
{
	vec_file("testvectors/route_normalization.json");
}

static void
test_attacks(void)
{
	vec_file("testvectors/attacks.json");
}

static void
test_binding(void)
{
	vec_file("testvectors/binding.json");
}

static void
test_delegation(void)
{
	vec_file("testvectors/delegation.json");
}

static void
test_eddsa(void)
{
	vec_file("testvectors/eddsa.json");
}

static void
test_pop_pipeline(void)
{
	vec_file("testvectors/pop_pipeline.json");
}

static void
test_txn_tokens(void)
{
	vec_file("testvectors/txn_tokens.json");
}

static const hc_test tests[] = {
	{ "core.json (layer 1)", test_core },
	{ "route_normalization.json (paths in normal form)",
	    test_route_normalization },
	{ "jwt_svid.json (JWT-SVIDs against bundles)", test_jwt_svid },
	{ "layer2.json (claim types, applicability)", test_layer2 },
	{ "routes.json (layer 3)", test_routes },
	{ "default_route.json (layer 3)", test_default_route },
	{ "attacks.json (one per attack class)", test_attacks },
	{ "binding.json (sender-constrained tokens)", test_binding },
	{ "delegation.json (act chains and exchanges)", test_delegation },
	{ "exchange_tenant_binding.json (tenant and binding kept)",
	    test_exchange_tenant_binding },
	{ "eddsa.json (EdDSA, OKP keys; some need OpenSSL)", test_eddsa },
	{ "txn_tokens.json (Transaction Tokens)", test_txn_tokens },
	{ "pop_pipeline.json (DPoP and WIMSE in the pipeline)",
	    test_pop_pipeline },
	{ NULL, NULL }
};

static const hc_suite suites[] = {
	{ "vectors", tests },
	{ NULL, NULL }
};

int
main(void)
{
	return hc_test_main(suites);
}
