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
 * tools/gen_attack_vectors.py with python3-jwcrypto; each carries one
 * fault and names the status hopcheck must return.
 */
#include "testutil.h"

int
main(void)
{
	return hc_regress_main("regress_alg_confusion", "alg_confusion/", 8);
}
