/* SPDX-License-Identifier: Apache-2.0 */
/*
 * regress_header_params.c - header parameters that change what a token
 * means, which hopcheck does not implement.
 *
 * The story: a JOSE header may carry parameters that change how the rest of
 * the token is to be read.  A verifier that checks `alg`, `kid` and the
 * signature and then skips every parameter it does not know reads a token
 * differently from the party that made it, and that gap is the attack:
 *
 *  - `cty: "JWT"` (RFC 7519 section 5.2) says the payload is itself a
 *    JWT, a nested token whose claims are the ones that count.  An issuer
 *    that wraps a token it received (a gateway signing "I saw this") is
 *    then mistaken for the issuer of the inner claims, or the outer claims
 *    are used where the sender meant the inner ones;
 *  - `zip: "DEF"` (RFC 7516 section 4.1.3) says the payload is
 *    compressed.  It exists only for JWE; in a JWS it means the producer
 *    thinks of the bytes as something other than the claims that were
 *    checked, and a decompressing consumer further along is a compression
 *    bomb waiting for its input;
 *  - `b64: false` (RFC 7797) says the payload is not base64url-encoded, so
 *    the signature covers other bytes than a plain JWS verifier feeds it.
 *    RFC 7797 section 6 requires `crit: ["b64"]`, which hopcheck already
 *    refuses; a producer that leaves crit out must not slip past;
 *  - a JWE parameter (`enc`, `epk`, `apu`, `apv`, `iv`, `tag`, `p2s`,
 *    `p2c`) in a JWS header: the token claims to be (part of) an encrypted
 *    one, and any consumer that believes the header over the dots is
 *    confused about what it holds.
 *
 * The rule (src/jws.c): a parameter that changes the meaning is refused,
 * never ignored, whatever its value.  JWE parameters, `zip` and a `cty`
 * naming a JWT ("JWT" or "application/jwt", any case) are malformed; `b64`
 * is crit, like the extension mechanism it belongs to.  A `cty` naming
 * anything else is informational (RFC 7515 section 4.1.10) and accepted.
 *
 * The tokens are in tests/data/header_params/tokens.json, made by
 * tools/vectors/gen_header_param_tokens.py with python3-jwcrypto: each has a good
 * ES256 signature and valid claims, so that the parameter is the only
 * fault.  Each record below names one case, the exact status it must get, a
 * fragment of the detail that shows the right thing was caught, and why.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "testutil.h"

#define HP_DIR    "tests/data/header_params"
#define HP_CONF   HP_DIR "/header_params.conf"
#define HP_TOKENS HP_DIR "/tokens.json"

/* One case and what must come of it. */
typedef struct record {
	const char *name;
	hc_status want;
	const char *detail;      /* a fragment of the detail, or NULL */
	const char *why;
} record;

static const record records[] = {
	/* Controls: the same key and claims, nothing unusual. */
	{ "ok/plain", HC_OK, "accepted",
	    "the baseline: only the parameter under test differs below" },
	{ "ok/cty-informational", HC_OK, "accepted",
	    "a cty naming no JWT is informational (RFC 7515 4.1.10)" },

	/* Nested JWTs. */
	{ "cty/JWT", HC_MALFORMED, "nested JWT (cty \"JWT\") is not supported",
	    "the claims would be those of an inner token nothing verifies" },
	{ "cty/jwt-lowercase", HC_MALFORMED, "nested JWT (cty \"jwt\")",
	    "media types compare case-insensitively (RFC 7515 4.1.10)" },
	{ "cty/application-jwt", HC_MALFORMED,
	    "nested JWT (cty \"application/JWT\")",
	    "the application/ prefix may be kept (RFC 7515 4.1.10)" },
	{ "cty/not-a-string", HC_MALFORMED, "header cty is a number",
	    "cty is a string or absent; anything else is not a JWS" },

	/* Compression. */
	{ "zip/DEF", HC_MALFORMED, "header carries zip",
	    "zip is JWE-only; a JWS payload is never compressed" },
	{ "zip/empty", HC_MALFORMED, "header carries zip",
	    "any value: the presence is the fault, not the algorithm" },

	/* The unencoded payload option. */
	{ "b64/false", HC_CRIT, "header carries b64",
	    "the signature would cover other bytes; crit left out (7797 6)" },
	{ "b64/true", HC_CRIT, "header carries b64",
	    "any value: hopcheck implements no JWS extension" },
	{ "b64/false-with-crit", HC_CRIT, NULL,
	    "with crit as RFC 7797 demands: refused all the same" },

	/* A JWE's parameters in a JWS header. */
	{ "jwe/enc", HC_MALFORMED, "header carries enc, a JWE parameter",
	    "the content encryption algorithm of a JWE" },
	{ "jwe/epk", HC_MALFORMED, "header carries epk, a JWE parameter",
	    "an ephemeral key (ECDH-ES, RFC 7518 4.6.1.1)" },
	{ "jwe/apu", HC_MALFORMED, "header carries apu, a JWE parameter",
	    "ECDH-ES key agreement input (RFC 7518 4.6.1.2)" },
	{ "jwe/apv", HC_MALFORMED, "header carries apv, a JWE parameter",
	    "ECDH-ES key agreement input (RFC 7518 4.6.1.3)" },
	{ "jwe/iv", HC_MALFORMED, "header carries iv, a JWE parameter",
	    "AES-GCM key wrapping (RFC 7518 4.7.1.1)" },
	{ "jwe/tag", HC_MALFORMED, "header carries tag, a JWE parameter",
	    "AES-GCM key wrapping (RFC 7518 4.7.1.2)" },
	{ "jwe/p2s", HC_MALFORMED, "header carries p2s, a JWE parameter",
	    "PBES2 salt (RFC 7518 4.8.1.1)" },
	{ "jwe/p2c", HC_MALFORMED, "header carries p2c, a JWE parameter",
	    "PBES2 iteration count (RFC 7518 4.8.1.2)" },
	{ NULL, HC_OK, NULL, NULL }
};

static cJSON *doc;
static hc_validator *v;
static int64_t now;

/* The case named `name` in tokens.json, or NULL. */
static const cJSON *
find_case(const char *name)
{
	const cJSON *c;

	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(doc, "cases")) {
		const cJSON *n = cJSON_GetObjectItemCaseSensitive(c, "name");
		if (cJSON_IsString(n) && strcmp(n->valuestring, name) == 0)
			return c;
	}
	return NULL;
}

static void
test_setup(void)
{
	char *text, *errors = NULL;
	const cJSON *n;
	size_t len;

	text = hc_test_read(HP_TOKENS, &len);
	CU_ASSERT_FATAL(text != NULL);
	doc = cJSON_ParseWithLength(text, len);
	free(text);
	CU_ASSERT_FATAL(doc != NULL);
	n = cJSON_GetObjectItemCaseSensitive(doc, "now");
	CU_ASSERT_FATAL(cJSON_IsNumber(n));
	now = (int64_t)n->valuedouble;
	HC_ASSERT_STATUS(hc_validator_new_from_file(HP_CONF, &v, &errors),
	    HC_OK);
	if (errors != NULL)
		fprintf(stderr, "\n  %s\n", errors);
	hc_string_free(errors);
	CU_ASSERT_FATAL(v != NULL);
}

/*
 * Every record: the token validated at the file's clock must get exactly
 * the record's status, with the detail fragment in its detail, and a
 * refusal must quote none of the token's bytes.
 */
static void
test_records(void)
{
	size_t n = 0;

	for (const record *r = records; r->name != NULL; r++, n++) {
		const cJSON *c = find_case(r->name);
		const cJSON *t = cJSON_GetObjectItemCaseSensitive(c, "token");
		hc_request *req = hc_request_new();
		hc_result *res = NULL;
		const char *detail, *sig;
		hc_status st;

		if (!cJSON_IsString(t)) {
			fprintf(stderr, "\n  no case %s in %s\n", r->name,
			    HP_TOKENS);
			CU_FAIL("case missing from tokens.json");
			hc_request_free(req);
			continue;
		}
		CU_ASSERT_FATAL(req != NULL);
		hc_request_set_time(req, now);
		st = hc_validate(v, t->valuestring, strlen(t->valuestring), req,
		    &res);
		detail = hc_result_detail(res);
		if (st != r->want)
			fprintf(stderr, "\n  case %s (%s):", r->name, r->why);
		hc_test_assert_status(st, r->want, detail, __FILE__, __LINE__);
		if (r->detail != NULL && strstr(detail, r->detail) == NULL) {
			fprintf(stderr, "\n  case %s: detail \"%s\" lacks \"%s\"\n",
			    r->name, detail, r->detail);
			CU_FAIL("detail does not name what was caught");
		}
		sig = strrchr(t->valuestring, '.');
		CU_ASSERT(sig != NULL && strstr(detail, sig + 1) == NULL);
		hc_result_free(res);
		hc_request_free(req);
	}
	/* Every token the generator made has a record here. */
	CU_ASSERT_EQUAL(n, (size_t)cJSON_GetArraySize(
	    cJSON_GetObjectItemCaseSensitive(doc, "cases")));
}

static void
test_teardown(void)
{
	hc_validator_free(v);
	cJSON_Delete(doc);
	v = NULL;
	doc = NULL;
}

static const hc_test tests[] = {
	{ "load the tokens and the configuration", test_setup },
	{ "unimplemented parameters refused, controls accepted", test_records },
	{ "free", test_teardown },
	{ NULL, NULL }
};

static const hc_suite suites[] = {
	{ "regress_header_params", tests },
	{ NULL, NULL }
};

int
main(void)
{
	return hc_test_main(suites);
}
