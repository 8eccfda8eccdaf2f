/*
 * regress_crit.c - critical header extensions.
 *
 * The story: crit lists header extensions the recipient must understand
 * or reject (RFC 7515 section 4.1.11); a verifier that ignores crit
 * accepts tokens whose meaning depends on an extension it does not
 * implement (b64 false, for instance, changes what is signed). hopcheck
 * understands no extension and refuses any crit, even empty or naming a
 * registered parameter: crit.
 *
 * The cases are in testvectors/attacks.json (group "crit/"), made by
 * tools/gen_attack_vectors.py with python3-jwcrypto; each carries one
 * fault and names the status hopcheck must return.
 */
#include "testutil.h"

int
main(void)
{
	return hc_regress_main("regress_crit", "crit/", 5);
}
