/*
 * regress_embedded_key.c - attacker-chosen keys in the header (jwk, jku, x5u, x5c).
 *
 * The story: node-jose (CVE-2018-0114) and others verified a token with
 * the jwk the token itself carried, so anyone could sign with their own
 * key and embed it; jku and x5u made the verifier fetch the attacker's
 * key set (and served as SSRF), x5c offered an unvalidated certificate
 * (RFC 8725 sections 3.8 and 3.10). hopcheck never reads these parameters
 * to find a key: keys come only from the issuer's configured set, so the
 * attacker's signature simply fails (signature) or the attacker's kid is
 * unknown (key).
 *
 * The cases are in testvectors/attacks.json (group "embedded_key/"), made by
 * tools/gen_attack_vectors.py with python3-jwcrypto; each carries one
 * fault and names the status hopcheck must return.
 */
#include "testutil.h"

int
main(void)
{
	return hc_regress_main("regress_embedded_key", "embedded_key/", 9);
}
