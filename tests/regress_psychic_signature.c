/*
 * regress_psychic_signature.c - psychic ECDSA signatures and signature encodings.
 *
 * The story: Java 15-18 accepted an ECDSA signature of r = s = 0 for any
 * message and key (CVE-2022-21449, "psychic signatures"); other libraries
 * accepted DER where JWS requires raw r||s, or signatures of the wrong
 * length. hopcheck requires exactly 2 x 32 bytes for ES256, 1 <= r, s <=
 * n - 1, and raw encoding: every case is signature.
 *
 * The cases are in testvectors/attacks.json (group "psychic/"), made by
 * tools/gen_attack_vectors.py with python3-jwcrypto; each carries one
 * fault and names the status hopcheck must return.
 */
#include "testutil.h"

int
main(void)
{
	return hc_regress_main("regress_psychic_signature", "psychic/", 9);
}
