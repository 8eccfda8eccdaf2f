/*
 * regress_alg_none.c - the unsecured JWS (alg none).
 *
 * The story: JWT libraries used to take the algorithm from the token
 * header, and a header saying "none" (or "None", "NONE", "nOnE" against
 * case-insensitive lookups) turned signature checking off: an attacker
 * edited the claims, set alg to none, dropped or kept the signature, and
 * was let in (CVE-2015-2951 and many since; RFC 8725 section 3.2).
 * hopcheck never takes the algorithm's authority from the header: "none"
 * in any case is refused with status alg, before any key is looked up.
 *
 * The cases are in testvectors/attacks.json (group "alg_none/"), made by
 * tools/gen_attack_vectors.py with python3-jwcrypto; each carries one
 * fault and names the status hopcheck must return.
 */
#include "testutil.h"

int
main(void)
{
	return hc_regress_main("regress_alg_none", "alg_none/", 8);
}
