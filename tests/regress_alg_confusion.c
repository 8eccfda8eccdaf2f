/* SPDX-License-Identifier: Apache-2.0 */
/*
 * regress_alg_confusion.c - HS/RS and other algorithm/key confusions.
 *
 * The story: a verifier that holds an RSA public key and lets the header
 * choose the algorithm can be given an HS256 token whose MAC was keyed
 * with that public key's bytes (PEM, DER or JWK text), which the attacker
 * knows; the library happily runs HMAC with the public key as the secret
 * (CVE-2016-10555; RFC 8725 sections 2.1 and 3.1). Relatives: an RS token
 * naming an EC key, PS with a key meant for RS, unknown or lower-case
 * algorithm names. hopcheck binds each key to its type and curve, admits
 * HS* only for an issuer configured with a secret, and checks the
 * issuer's algorithm allowlist: every case is status alg.
 *
 * The cases are in testvectors/attacks.json (group "alg_confusion/"), made by
 * tools/vectors/gen_attack_vectors.py with python3-jwcrypto; each carries
 * one fault.  Each record below names one case, the exact status it must
 * get, a fragment of the detail that shows the right thing was caught (so
 * the case cannot pass for another reason), and why.  Every case of the
 * group must have a record.
 */
#include "testutil.h"

static const hc_regress_record records[] = {
	{ "alg_confusion/hs256-rsa-pem", HC_ALG,
	    "alg HS256 is not allowed for issuer \"https://a.example.com\"",
	    "HMAC keyed with the RSA public key as PEM text (CVE-2016-10555)" },
	{ "alg_confusion/hs256-rsa-der", HC_ALG,
	    "alg HS256 is not allowed for issuer \"https://a.example.com\"",
	    "HMAC keyed with the RSA public key as DER bytes" },
	{ "alg_confusion/hs256-rsa-jwk", HC_ALG,
	    "alg HS256 is not allowed for issuer \"https://a.example.com\"",
	    "HMAC keyed with the RSA public key as JWK text" },
	{ "alg_confusion/hs256-ec-pem", HC_ALG,
	    "alg HS256 is not allowed for issuer \"https://a.example.com\"",
	    "HMAC keyed with the EC public key as PEM text" },
	{ "alg_confusion/hs256-no-kid", HC_ALG,
	    "alg HS256 is not allowed for issuer \"https://a.example.com\"",
	    "without a kid HS256 still meets the allowlist first" },
	{ "alg_confusion/es-key-rs-alg", HC_ALG,
	    "token alg RS256 needs an RSA key, not the EC P-256 key kid "
	    "\"a-es\"",
	    "each key is bound to its type: RS256 cannot use an EC key" },
	{ "alg_confusion/rs-key-es-alg", HC_ALG,
	    "token alg ES256 needs an EC key, not the RSA 2048-bit key kid "
	    "\"a-rs\"",
	    "ES256 cannot use an RSA key" },
	{ "alg_confusion/ps256-not-allowed", HC_ALG,
	    "alg PS256 is not allowed for issuer \"https://a.example.com\"",
	    "an RSA key allowed for RS256 is not thereby allowed for PS256" },
	{ "alg_confusion/unknown-alg", HC_ALG,
	    "alg \"ES256K\" is not a supported algorithm",
	    "an algorithm hopcheck does not implement is refused by name" },
	{ "alg_confusion/lowercase-alg", HC_ALG,
	    "alg \"es256\" is not a supported algorithm",
	    "algorithm names are case-sensitive (RFC 7515 4.1.1)" },
	{ NULL, HC_OK, NULL, NULL }
};

int
main(void)
{
	return hc_regress_main("regress_alg_confusion", "alg_confusion/",
	    records);
}
