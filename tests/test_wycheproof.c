/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_wycheproof.c - every file of Project Wycheproof's JOSE-related
 * vectors (tests/vectors/wycheproof/testvectors_v1), run through the key
 * import and verification code that hopcheck uses for tokens.
 *
 * Each file is one CUnit test, so the summary counts files; each prints
 * its own tally: total, passed (outcome equals the label), exceptions
 * (label known to be wrong for a strict JWS verifier, see the table
 * below), and skipped-with-reason (the vector's parameters are not a JWS
 * algorithm; even then the outcome is asserted wherever there is one).
 * Every test of every file lands in exactly one of those counts, and the
 * sum is checked against the file's numberOfTests.
 *
 * How a vector becomes a hopcheck call:
 *  - ECDSA P1363: the group's publicKeyJwk (or, for the few groups without
 *    one, a JWK built from publicKey.wx/wy) through hc_key_from_jwk(), then
 *    hc_key_verify() with ES256/ES384/ES512 on msg and the raw sig;
 *  - RSA PKCS#1 v1.5 and PSS: keyJwk / publicKeyJwk, RS* / PS*.  PSS groups
 *    whose MGF hash or salt length differ from what RFC 7518 section 3.5
 *    fixes for PS* would be skipped with that reason (none do today);
 *    `acceptable` (PKCS#1 DigestInfo without its NULL) must be rejected;
 *  - EdDSA (ed25519, ed448): the group's publicKeyJwk (kty OKP) through
 *    hc_key_from_jwk(), then hc_key_verify() with EdDSA on msg and sig;
 *    every tcId, valid accepted and invalid (non-canonical S, wrong length,
 *    garbage) refused with a signature verdict.  Only the OpenSSL backend
 *    has EdDSA: on mbedTLS every vector counts as skipped, and the key
 *    import is asserted to be refused;
 *  - HMAC: the raw key through hc_key_from_secret(), HS*.  Groups with a
 *    truncated tag, or a key shorter than the hash (RFC 7518 section 3.2),
 *    are not JWS: they count as skipped, and every one of their tags is
 *    asserted to be rejected;
 *  - JWS (json_web_signature, json_web_crypto, json_web_key): the compact
 *    string is split on '.', each part decoded with strict base64url, the
 *    header parsed with hc_json_parse() and its alg and kid taken from it;
 *    the group's key (its public form when both are given) is imported with
 *    secrets allowed, a key set through hc_keyset_parse(); the key is found
 *    with hc_keyset_find() and the signature checked with hc_key_verify()
 *    over the first two segments as transmitted.  Any failing step is a
 *    rejection.  A `crit` header is a rejection (no extension is
 *    understood), and so is the JSON serialization.  JWE cases are skipped.
 *
 * The vector files are read with cJSON directly: this is test code.
 */
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "crypto.h"
#include "keyset.h"
#include "testutil.h"

#define WP_DIR "tests/vectors/wycheproof/testvectors_v1/"
#define JWS_FILE "json_web_signature_test.json"

/* ------------------------------------------------------ label exceptions */

/*
 * The only vectors whose label we do not follow, each with the outcome we
 * assert instead and why (see tests/vectors/wycheproof/README.md,
 * "Caveats").  Every entry must be met exactly once per run.
 */
static const struct label_exception {
	const char *file;
	int tcid;
	bool accept;             /* the outcome asserted instead of the label */
	int same_as;             /* tcId with a byte-identical jws, or 0 */
	const char *why;
} exceptions[] = {
	/*
	 * Labelled invalid ("invalidBase64Padding"), but the jws string is
	 * byte for byte the one of tcId 357, labelled valid (C2SP/wycheproof
	 * issue #236).  The same bytes cannot be both; we accept.
	 */
	{ JWS_FILE, 367, true, 357, "identical to tcId 357 (valid)" },
	/* The same, "invalidBase64PaddingInPayload". */
	{ JWS_FILE, 370, true, 357, "identical to tcId 357 (valid)" },
	/*
	 * Labelled valid, but a '?' sits inside the header segment.  The MAC
	 * only matches the string without the '?', i.e. it was not computed
	 * over the signing input as transmitted, and '?' is no base64url
	 * character (RFC 7515 section 2).  The commit that added the case
	 * (de8f0c1) says such characters are not allowed.  We reject.
	 */
	{ JWS_FILE, 372, false, 0, "'?' inside the header segment" },
	/* The same with the '?' inside the payload segment. */
	{ JWS_FILE, 373, false, 0, "'?' inside the payload segment" },
	/*
	 * RFC 7520 Figure 20: the header says PS384 while the group's JWK
	 * says "alg": "PS256".  A key's alg binds it to that one algorithm
	 * (RFC 7517 section 4.4, RFC 8725 section 3.1); the WrongPrimitive
	 * cases 332..340 of the same file are labelled invalid for exactly
	 * this mismatch.  We reject (HC_ALG).
	 */
	{ JWS_FILE, 346, false, 0, "header PS384, key alg PS256" },
	/* The same key and token, from the rfc7520WithKeyOps group. */
	{ JWS_FILE, 350, false, 0, "header PS384, key alg PS256" },
	/*
	 * RFC 7520 Figure 27: the group's JWK says "alg": "ES521", which is
	 * no JWS algorithm (ES512 is, RFC 7518 section 3.1).  A key naming an
	 * unknown alg is refused at import.  We reject.
	 */
	{ JWS_FILE, 347, false, 0, "key alg \"ES521\" is no JWS algorithm" },
	/* The same key and token, from the rfc7520WithKeyOps group. */
	{ JWS_FILE, 351, false, 0, "key alg \"ES521\" is no JWS algorithm" },
};

#define NEXCEPTIONS (sizeof(exceptions) / sizeof(exceptions[0]))

static unsigned exception_hits[NEXCEPTIONS];

/* ---------------------------------------------------------------- tally */

#define MAX_REASONS 8

typedef struct tally {
	const char *file;
	const cJSON *root;
	size_t total, passed, exceptions, skipped;
	struct {
		const char *why;
		size_t n;
	} reasons[MAX_REASONS];
	size_t nreasons;
	const char *note;        /* printed after the counts, or NULL */
	size_t noted;
} tally;

static void
skip(tally *t, const char *why)
{
	size_t i;

	t->total++;
	t->skipped++;
	for (i = 0; i < t->nreasons; i++) {
		if (strcmp(t->reasons[i].why, why) == 0) {
			t->reasons[i].n++;
			return;
		}
	}
	CU_ASSERT_FATAL(i < MAX_REASONS);
	t->reasons[i].why = why;
	t->reasons[i].n = 1;
	t->nreasons++;
}

static const cJSON *
find_test(const cJSON *root, int tcid)
{
	const cJSON *g, *tc;

	cJSON_ArrayForEach(g, cJSON_GetObjectItemCaseSensitive(root,
	    "testGroups")) {
		cJSON_ArrayForEach(tc, cJSON_GetObjectItemCaseSensitive(g,
		    "tests")) {
			const cJSON *id = cJSON_GetObjectItemCaseSensitive(tc,
			    "tcId");

			if (cJSON_IsNumber(id) && id->valueint == tcid)
				return tc;
		}
	}
	return NULL;
}

/*
 * Compares our outcome for one vector with its label, or with the
 * exception table when the vector is listed there.  `acceptable` labels
 * must be rejected: the strict choice.
 */
static void
check(tally *t, const cJSON *tc, bool accepted, const char *detail)
{
	const cJSON *idj = cJSON_GetObjectItemCaseSensitive(tc, "tcId");
	const char *label = cJSON_GetStringValue(
	    cJSON_GetObjectItemCaseSensitive(tc, "result"));
	int tcid = cJSON_IsNumber(idj) ? idj->valueint : -1;
	bool want;

	t->total++;
	for (size_t i = 0; i < NEXCEPTIONS; i++) {
		const struct label_exception *e = &exceptions[i];

		if (strcmp(e->file, t->file) != 0 || e->tcid != tcid)
			continue;
		exception_hits[i]++;
		t->exceptions++;
		if (accepted != e->accept) {
			fprintf(stderr, "\n%s tcId %d (exception: %s): %s, want "
			    "%s: %s\n", t->file, tcid, e->why,
			    accepted ? "accepted" : "rejected",
			    e->accept ? "accepted" : "rejected", detail);
			CU_FAIL("label exception outcome");
		}
		if (e->same_as != 0) {
			const cJSON *o = find_test(t->root, e->same_as);
			const char *a = cJSON_GetStringValue(
			    cJSON_GetObjectItemCaseSensitive(tc, "jws"));
			const char *b = cJSON_GetStringValue(
			    cJSON_GetObjectItemCaseSensitive(o, "jws"));

			CU_ASSERT(a != NULL && b != NULL && strcmp(a, b) == 0);
		}
		return;
	}
	CU_ASSERT_PTR_NOT_NULL_FATAL(label);
	if (strcmp(label, "valid") == 0)
		want = true;
	else if (strcmp(label, "invalid") == 0 ||
	    strcmp(label, "acceptable") == 0)
		want = false;
	else {
		fprintf(stderr, "\n%s tcId %d: unknown result %s\n", t->file,
		    tcid, label);
		CU_FAIL("unknown result label");
		return;
	}
	if (accepted != want) {
		const char *comment = cJSON_GetStringValue(
		    cJSON_GetObjectItemCaseSensitive(tc, "comment"));

		fprintf(stderr, "\n%s tcId %d (%s, %s): %s: %s\n", t->file, tcid,
		    label, comment != NULL ? comment : "",
		    accepted ? "accepted" : "rejected", detail);
		CU_FAIL("outcome differs from the Wycheproof label");
		return;
	}
	t->passed++;
}

static void
tally_close(tally *t)
{
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(t->root,
	    "numberOfTests");

	printf("\n  wycheproof %s: %zu total, %zu passed, %zu exceptions, "
	    "%zu skipped\n", t->file, t->total, t->passed, t->exceptions,
	    t->skipped);
	for (size_t i = 0; i < t->nreasons; i++)
		printf("    skipped %zu: %s\n", t->reasons[i].n,
		    t->reasons[i].why);
	if (t->note != NULL && t->noted > 0)
		printf("    note: %zu %s\n", t->noted, t->note);
	CU_ASSERT(t->passed + t->exceptions + t->skipped == t->total);
	CU_ASSERT(cJSON_IsNumber(n) && (size_t)n->valuedouble == t->total);
	if (!cJSON_IsNumber(n) || (size_t)n->valuedouble != t->total)
		fprintf(stderr, "\n%s: counted %zu tests, numberOfTests says "
		    "%g\n", t->file, t->total, cJSON_IsNumber(n) ?
		    n->valuedouble : -1.0);
}

/* -------------------------------------------------------------- helpers */

static cJSON *
load(const char *file, tally *t)
{
	char path[256];
	size_t len;
	char *text;
	cJSON *root;

	(void)snprintf(path, sizeof(path), "%s%s", WP_DIR, file);
	text = hc_test_read(path, &len);
	root = cJSON_ParseWithLength(text, len);
	free(text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(root);
	memset(t, 0, sizeof(*t));
	t->file = file;
	t->root = root;
	return root;
}

static const char *
str(const cJSON *obj, const char *name)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(obj, name));
}

static const cJSON *
get(const cJSON *obj, const char *name)
{
	return cJSON_GetObjectItemCaseSensitive(obj, name);
}

/* Decodes a hex member into a fresh buffer (never NULL). */
static unsigned char *
hex(const cJSON *obj, const char *name, size_t *len)
{
	const char *h = str(obj, name);
	size_t n;
	unsigned char *out;

	CU_ASSERT_PTR_NOT_NULL_FATAL(h);
	n = strlen(h) / 2;
	out = malloc(n + 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	for (size_t i = 0; i < n; i++) {
		unsigned v;

		if (sscanf(h + 2 * i, "%2x", &v) != 1)
			CU_FAIL_FATAL("vector member is not hex");
		out[i] = (unsigned char)v;
	}
	*len = n;
	return out;
}

static hc_alg
alg_for_sha(char family, const char *sha)
{
	static const struct {
		char family;
		const char *sha;
		hc_alg alg;
	} t[] = {
		{ 'H', "SHA-256", HC_ALG_HS256 },
		{ 'H', "SHA-384", HC_ALG_HS384 },
		{ 'H', "SHA-512", HC_ALG_HS512 },
		{ 'R', "SHA-256", HC_ALG_RS256 },
		{ 'R', "SHA-384", HC_ALG_RS384 },
		{ 'R', "SHA-512", HC_ALG_RS512 },
		{ 'P', "SHA-256", HC_ALG_PS256 },
		{ 'P', "SHA-384", HC_ALG_PS384 },
		{ 'P', "SHA-512", HC_ALG_PS512 },
		{ 'E', "SHA-256", HC_ALG_ES256 },
		{ 'E', "SHA-384", HC_ALG_ES384 },
		{ 'E', "SHA-512", HC_ALG_ES512 },
	};

	for (size_t i = 0; sha != NULL && i < sizeof(t) / sizeof(t[0]); i++)
		if (t[i].family == family && strcmp(t[i].sha, sha) == 0)
			return t[i].alg;
	return HC_ALG_UNKNOWN;
}

static hc_status
key_from_cjson(const cJSON *jwk, bool allow_secret, hc_key **out,
    hc_detail *d)
{
	return hc_key_from_jwk(jwk, allow_secret, out, d);
}

/*
 * A JWK for a Wycheproof EcPublicKey that has no publicKeyJwk: wx and wy
 * are big-endian two's complement hex, so a sign byte may precede the
 * field-size value; it is dropped and the value left-padded.
 */
static cJSON *
ec_jwk_from_point(const cJSON *pk)
{
	static const struct {
		const char *curve, *crv;
		size_t flen;
	} curves[] = {
		{ "secp256r1", "P-256", 32 },
		{ "secp384r1", "P-384", 48 },
		{ "secp521r1", "P-521", 66 },
	};
	const char *curve = str(pk, "curve");
	const char *names[2] = { "wx", "wy" };
	const char *members[2] = { "x", "y" };
	cJSON *jwk = cJSON_CreateObject();
	size_t c;

	for (c = 0; c < 3; c++)
		if (curve != NULL && strcmp(curves[c].curve, curve) == 0)
			break;
	CU_ASSERT_FATAL(c < 3);
	cJSON_AddStringToObject(jwk, "kty", "EC");
	cJSON_AddStringToObject(jwk, "crv", curves[c].crv);
	for (int i = 0; i < 2; i++) {
		unsigned char field[66] = { 0 };
		char enc[HC_B64URL_ENCODED_LEN(66) + 1];
		size_t n, skip0 = 0;
		unsigned char *v = hex(pk, names[i], &n);

		while (n - skip0 > curves[c].flen && v[skip0] == 0)
			skip0++;
		CU_ASSERT_FATAL(n - skip0 <= curves[c].flen);
		memcpy(field + curves[c].flen - (n - skip0), v + skip0,
		    n - skip0);
		hc_b64url_encode(field, curves[c].flen, enc);
		cJSON_AddStringToObject(jwk, members[i], enc);
		free(v);
	}
	return jwk;
}

/* --------------------------------------------------- signature primitives */

/*
 * EdDSA (RFC 8032 PureEdDSA as JWS uses it, RFC 8037): one OKP key per
 * group, msg and sig per test, verified as alg EdDSA.
 */
static void
run_eddsa_file(const char *file)
{
	const cJSON *g, *tc;
	tally t;
	cJSON *root = load(file, &t);

	cJSON_ArrayForEach(g, get(root, "testGroups")) {
		const cJSON *jwk = get(g, "publicKeyJwk");
		hc_detail kd = { "" };
		hc_key *key = NULL;
		hc_status kst;

		CU_ASSERT_PTR_NOT_NULL_FATAL(jwk);
		kst = key_from_cjson(jwk, false, &key, &kd);
		if (!(hc_crypto()->caps & HC_CRYPTO_EDDSA)) {
			HC_ASSERT_STATUS(kst, HC_KEY);
			cJSON_ArrayForEach(tc, get(g, "tests"))
				skip(&t, "EdDSA needs the OpenSSL backend (make "
				    "CRYPTO=openssl)");
			continue;
		}
		cJSON_ArrayForEach(tc, get(g, "tests")) {
			size_t mlen, slen;
			unsigned char *msg, *sig;
			hc_detail d = { "" };
			hc_status st;

			if (kst != HC_OK) {
				check(&t, tc, false, kd.text);
				continue;
			}
			msg = hex(tc, "msg", &mlen);
			sig = hex(tc, "sig", &slen);
			st = hc_key_verify(key, HC_ALG_EDDSA, msg, mlen, sig,
			    slen, &d);
			/* A rejection is always a signature verdict here. */
			if (st != HC_OK)
				HC_ASSERT_STATUS(st, HC_SIGNATURE);
			check(&t, tc, st == HC_OK, d.text);
			free(msg);
			free(sig);
		}
		hc_key_free(key);
	}
	tally_close(&t);
	cJSON_Delete(root);
}

static void
test_ed25519(void)
{
	run_eddsa_file("ed25519_test.json");
}

static void
test_ed448(void)
{
	run_eddsa_file("ed448_test.json");
}

/*
 * ECDSA P1363 and RSA PKCS#1 / PSS: one key per group, msg and sig per
 * test.  `family` is 'E', 'R' or 'P'.
 */
static void
run_signature_file(const char *file, char family)
{
	const cJSON *g, *tc;
	tally t;
	cJSON *root = load(file, &t);

	t.note = "groups without publicKeyJwk: JWK built from publicKey wx, wy";
	cJSON_ArrayForEach(g, get(root, "testGroups")) {
		const char *sha = str(g, "sha");
		hc_alg alg = alg_for_sha(family, sha);
		const cJSON *jwk = get(g, "publicKeyJwk");
		const char *skip_why = NULL;
		cJSON *built = NULL;
		hc_detail kd = { "" };
		hc_key *key = NULL;
		hc_status kst;

		if (jwk == NULL)
			jwk = get(g, "keyJwk");
		if (jwk == NULL && family == 'E') {
			jwk = built = ec_jwk_from_point(get(g, "publicKey"));
			t.noted++;
		}
		CU_ASSERT_PTR_NOT_NULL_FATAL(jwk);
		CU_ASSERT_FATAL(alg != HC_ALG_UNKNOWN);
		if (family == 'P') {
			/* RFC 7518 section 3.5: MGF1, same hash, sLen hLen. */
			const cJSON *slen = get(g, "sLen");
			const char *mgf = str(g, "mgf"), *mgfsha = str(g, "mgfSha");

			if (mgf == NULL || strcmp(mgf, "MGF1") != 0 ||
			    mgfsha == NULL || strcmp(mgfsha, sha) != 0)
				skip_why = "PSS MGF is not MGF1 with the message "
				    "hash (RFC 7518 section 3.5)";
			else if (!cJSON_IsNumber(slen) ||
			    (size_t)slen->valuedouble != hc_alg_hash_len(alg))
				skip_why = "PSS salt length is not the hash length "
				    "(RFC 7518 section 3.5)";
		}
		if (family == 'E') {
			const char *curve = str(get(g, "publicKey"), "curve");
			int bits = curve == NULL ? 0 :
			    strcmp(curve, "secp256r1") == 0 ? 256 :
			    strcmp(curve, "secp384r1") == 0 ? 384 :
			    strcmp(curve, "secp521r1") == 0 ? 521 : 0;

			if (bits != hc_alg_curve(alg))
				skip_why = "curve and hash are no JWS ES* pair "
				    "(RFC 7518 section 3.4)";
		}
		kst = key_from_cjson(jwk, false, &key, &kd);
		cJSON_ArrayForEach(tc, get(g, "tests")) {
			size_t mlen, slen;
			unsigned char *msg, *sig;
			hc_detail d = { "" };
			hc_status st;

			if (skip_why != NULL) {
				skip(&t, skip_why);
				continue;
			}
			if (kst != HC_OK) {
				check(&t, tc, false, kd.text);
				continue;
			}
			msg = hex(tc, "msg", &mlen);
			sig = hex(tc, "sig", &slen);
			st = hc_key_verify(key, alg, msg, mlen, sig, slen, &d);
			/* A rejection is always a signature verdict here. */
			if (st != HC_OK)
				HC_ASSERT_STATUS(st, HC_SIGNATURE);
			check(&t, tc, st == HC_OK, d.text);
			free(msg);
			free(sig);
		}
		hc_key_free(key);
		cJSON_Delete(built);
	}
	tally_close(&t);
	cJSON_Delete(root);
}

static void
test_ecdsa_p256(void)
{
	run_signature_file("ecdsa_secp256r1_sha256_p1363_test.json", 'E');
}

static void
test_ecdsa_p384(void)
{
	run_signature_file("ecdsa_secp384r1_sha384_p1363_test.json", 'E');
}

static void
test_ecdsa_p521(void)
{
	run_signature_file("ecdsa_secp521r1_sha512_p1363_test.json", 'E');
}

static void
test_rsa_pkcs1_sha256(void)
{
	run_signature_file("rsa_signature_2048_sha256_test.json", 'R');
}

static void
test_rsa_pkcs1_sha384(void)
{
	run_signature_file("rsa_signature_2048_sha384_test.json", 'R');
}

static void
test_rsa_pkcs1_sha512(void)
{
	run_signature_file("rsa_signature_2048_sha512_test.json", 'R');
}

static void
test_rsa_pss_2048_sha256(void)
{
	run_signature_file("rsa_pss_2048_sha256_mgf1_32_test.json", 'P');
}

static void
test_rsa_pss_2048_sha384(void)
{
	run_signature_file("rsa_pss_2048_sha384_mgf1_48_test.json", 'P');
}

static void
test_rsa_pss_3072_sha256(void)
{
	run_signature_file("rsa_pss_3072_sha256_mgf1_32_test.json", 'P');
}

static void
test_rsa_pss_4096_sha512(void)
{
	run_signature_file("rsa_pss_4096_sha512_mgf1_64_test.json", 'P');
}

/* ----------------------------------------------------------------- HMAC */

#define WHY_TRUNCATED "truncated tag (JWS HS* uses the full MAC, RFC 7518 " \
	"section 3.2); each asserted rejected"
#define WHY_SHORT_KEY "key shorter than the hash (RFC 7518 section 3.2); " \
	"each asserted rejected"

static void
run_hmac_file(const char *file, const char *sha)
{
	hc_alg alg = alg_for_sha('H', sha);
	size_t hlen = hc_alg_hash_len(alg);
	const cJSON *g, *tc;
	tally t;
	cJSON *root = load(file, &t);

	cJSON_ArrayForEach(g, get(root, "testGroups")) {
		const cJSON *ts = get(g, "tagSize"), *ks = get(g, "keySize");
		bool truncated, shortkey;

		CU_ASSERT_FATAL(cJSON_IsNumber(ts) && cJSON_IsNumber(ks));
		truncated = (size_t)ts->valuedouble != hlen * 8;
		shortkey = (size_t)ks->valuedouble < hlen * 8;
		cJSON_ArrayForEach(tc, get(g, "tests")) {
			size_t klen, mlen, taglen;
			unsigned char *k = hex(tc, "key", &klen);
			unsigned char *msg = hex(tc, "msg", &mlen);
			unsigned char *tag = hex(tc, "tag", &taglen);
			hc_detail d = { "" };
			hc_key *key = NULL;
			hc_status st;

			st = hc_key_from_secret(k, klen, &key, &d);
			if (st == HC_OK)
				st = hc_key_verify(key, alg, msg, mlen, tag,
				    taglen, &d);
			if (truncated || shortkey) {
				/* Not JWS: whatever the label, rejected. */
				CU_ASSERT(st != HC_OK);
				if (truncated && !shortkey)
					HC_ASSERT_STATUS(st, HC_SIGNATURE);
				skip(&t, truncated ? WHY_TRUNCATED :
				    WHY_SHORT_KEY);
			} else {
				if (st != HC_OK)
					HC_ASSERT_STATUS(st, HC_SIGNATURE);
				check(&t, tc, st == HC_OK, d.text);
			}
			hc_key_free(key);
			free(k);
			free(msg);
			free(tag);
		}
	}
	tally_close(&t);
	cJSON_Delete(root);
}

static void
test_hmac_sha256(void)
{
	run_hmac_file("hmac_sha256_test.json", "SHA-256");
}

static void
test_hmac_sha384(void)
{
	run_hmac_file("hmac_sha384_test.json", "SHA-384");
}

static void
test_hmac_sha512(void)
{
	run_hmac_file("hmac_sha512_test.json", "SHA-512");
}

/* ------------------------------------------------------------------ JWS */

/* Strict base64url decode of in[0..n) into a fresh buffer; NULL if bad. */
static unsigned char *
b64(const char *in, size_t n, size_t *outlen)
{
	size_t cap = HC_B64URL_DECODED_MAX(n);
	unsigned char *out = malloc(cap + 1);

	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	if (hc_b64url_decode(in, n, out, cap, outlen) != 0) {
		free(out);
		return NULL;
	}
	return out;
}

/*
 * Verifies a compact JWS with the keys of `ks` the way a strict verifier
 * does; returns whether it is accepted, with the reason in d.
 */
static bool
jws_accepts(const cJSON *jws, const hc_keyset *ks, hc_detail *d)
{
	const char *s = cJSON_GetStringValue(jws), *dot1, *dot2;
	unsigned char *hdr = NULL, *payload = NULL, *sig = NULL;
	size_t hlen, plen, slen;
	const hc_json *algj, *kidj;
	const hc_key *key = NULL;
	hc_json *header = NULL;
	bool ok = false;
	hc_alg alg;

	if (s == NULL) {
		hc_fail(d, HC_MALFORMED, "JSON serialization: compact only");
		return false;
	}
	/* RFC 7515 section 7.1: exactly two periods. */
	if ((dot1 = strchr(s, '.')) == NULL ||
	    (dot2 = strchr(dot1 + 1, '.')) == NULL ||
	    strchr(dot2 + 1, '.') != NULL) {
		hc_fail(d, HC_MALFORMED, "not three segments");
		return false;
	}
	if ((hdr = b64(s, (size_t)(dot1 - s), &hlen)) == NULL ||
	    (payload = b64(dot1 + 1, (size_t)(dot2 - dot1 - 1), &plen)) ==
	    NULL || (sig = b64(dot2 + 1, strlen(dot2 + 1), &slen)) == NULL) {
		hc_fail(d, HC_MALFORMED, "segment is not strict base64url");
		goto out;
	}
	if (hc_json_parse((const char *)hdr, hlen, &header, d) != HC_OK)
		goto out;
	if (hc_json_type_of(header) != HC_JSON_OBJECT) {
		hc_fail(d, HC_MALFORMED, "header is not an object");
		goto out;
	}
	if (hc_json_get(header, "crit") != NULL) {
		hc_fail(d, HC_CRIT, "crit header");
		goto out;
	}
	algj = hc_json_get(header, "alg");
	if ((alg = hc_alg_from_name(hc_json_string(algj))) == HC_ALG_UNKNOWN) {
		hc_fail(d, HC_ALG, "alg missing or not supported");
		goto out;
	}
	kidj = hc_json_get(header, "kid");
	if (kidj != NULL && hc_json_string(kidj) == NULL) {
		hc_fail(d, HC_MALFORMED, "kid is not a string");
		goto out;
	}
	if (hc_keyset_find(ks, hc_json_string(kidj), alg, &key, d) != HC_OK)
		goto out;
	ok = hc_key_verify(key, alg, (const unsigned char *)s,
	    (size_t)(dot2 - s), sig, slen, d) == HC_OK;
out:
	hc_json_free(header);
	free(hdr);
	free(payload);
	free(sig);
	return ok;
}

/*
 * The key of a JWS group: its public form when the group gives both, a
 * JWK or a key set.  Returns HC_OK and the set, or the import status.
 */
static hc_status
group_keys(const cJSON *g, hc_keyset **out, hc_detail *d)
{
	const cJSON *k = get(g, "public");
	hc_key *key = NULL;
	hc_status st;

	*out = NULL;
	if (k == NULL)
		k = get(g, "private");
	CU_ASSERT_PTR_NOT_NULL_FATAL(k);
	if (get(k, "keys") != NULL) {
		char *text = cJSON_PrintUnformatted(k);

		CU_ASSERT_PTR_NOT_NULL_FATAL(text);
		st = hc_keyset_parse(text, strlen(text), true, out, d);
		free(text);
		return st;
	}
	if ((st = key_from_cjson(k, true, &key, d)) != HC_OK)
		return st;
	return hc_keyset_single(key, out);
}

static void
run_jws_file(const char *file)
{
	const cJSON *g, *tc;
	tally t;
	cJSON *root = load(file, &t);

	cJSON_ArrayForEach(g, get(root, "testGroups")) {
		hc_detail kd = { "" };
		hc_keyset *ks = NULL;
		hc_status kst = HC_KEY;
		bool keys_loaded = false;

		cJSON_ArrayForEach(tc, get(g, "tests")) {
			hc_detail d = { "" };

			if (get(tc, "jwe") != NULL) {
				skip(&t, "JWE: hopcheck verifies JWS and never "
				    "decrypts");
				continue;
			}
			if (!keys_loaded) {
				kst = group_keys(g, &ks, &kd);
				keys_loaded = true;
			}
			if (kst != HC_OK) {
				check(&t, tc, false, kd.text);
				continue;
			}
			check(&t, tc, jws_accepts(get(tc, "jws"), ks, &d),
			    d.text);
		}
		hc_keyset_unref(ks);
	}
	tally_close(&t);
	cJSON_Delete(root);
}

static void
test_json_web_signature(void)
{
	run_jws_file(JWS_FILE);
}

static void
test_json_web_crypto(void)
{
	run_jws_file("json_web_crypto_test.json");
}

static void
test_json_web_key(void)
{
	run_jws_file("json_web_key_test.json");
}

/* Runs last: every exception of the table was met exactly once. */
static void
test_exceptions_used(void)
{
	for (size_t i = 0; i < NEXCEPTIONS; i++) {
		if (exception_hits[i] != 1)
			fprintf(stderr, "\nexception %s tcId %d met %u times\n",
			    exceptions[i].file, exceptions[i].tcid,
			    exception_hits[i]);
		CU_ASSERT_EQUAL(exception_hits[i], 1);
	}
}

static void test_every_file_run(void);

static const hc_test tests[] = {
	{ "ecdsa_secp256r1_sha256_p1363_test.json", test_ecdsa_p256 },
	{ "ecdsa_secp384r1_sha384_p1363_test.json", test_ecdsa_p384 },
	{ "ecdsa_secp521r1_sha512_p1363_test.json", test_ecdsa_p521 },
	{ "rsa_signature_2048_sha256_test.json", test_rsa_pkcs1_sha256 },
	{ "rsa_signature_2048_sha384_test.json", test_rsa_pkcs1_sha384 },
	{ "rsa_signature_2048_sha512_test.json", test_rsa_pkcs1_sha512 },
	{ "rsa_pss_2048_sha256_mgf1_32_test.json", test_rsa_pss_2048_sha256 },
	{ "rsa_pss_2048_sha384_mgf1_48_test.json", test_rsa_pss_2048_sha384 },
	{ "rsa_pss_3072_sha256_mgf1_32_test.json", test_rsa_pss_3072_sha256 },
	{ "rsa_pss_4096_sha512_mgf1_64_test.json", test_rsa_pss_4096_sha512 },
	{ "ed25519_test.json", test_ed25519 },
	{ "ed448_test.json", test_ed448 },
	{ "hmac_sha256_test.json", test_hmac_sha256 },
	{ "hmac_sha384_test.json", test_hmac_sha384 },
	{ "hmac_sha512_test.json", test_hmac_sha512 },
	{ "json_web_signature_test.json", test_json_web_signature },
	{ "json_web_crypto_test.json", test_json_web_crypto },
	{ "json_web_key_test.json", test_json_web_key },
	{ "every vector file has a test", test_every_file_run },
	{ "label exceptions all met", test_exceptions_used },
	{ NULL, NULL }
};

/*
 * Every vector file in the directory has its test in the table above: a
 * file added to the directory without one fails here, not silently.
 */
static void
test_every_file_run(void)
{
	DIR *dir = opendir(WP_DIR);
	struct dirent *de;
	size_t files = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	while ((de = readdir(dir)) != NULL) {
		size_t n = strlen(de->d_name);
		bool found = false;

		if (n < 5 || strcmp(de->d_name + n - 5, ".json") != 0)
			continue;
		files++;
		for (const hc_test *t = tests; t->name != NULL; t++)
			if (strcmp(t->name, de->d_name) == 0)
				found = true;
		if (!found)
			fprintf(stderr, "\n%s%s has no test\n", WP_DIR,
			    de->d_name);
		CU_ASSERT(found);
	}
	closedir(dir);
	CU_ASSERT_EQUAL(files, 18);
}

static const hc_suite suites[] = {
	{ "wycheproof", tests },
	{ NULL, NULL }
};

int
main(void)
{
	return hc_test_main(suites);
}
