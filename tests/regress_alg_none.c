/* SPDX-License-Identifier: Apache-2.0 */
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
 * tools/vectors/gen_attack_vectors.py with python3-jwcrypto; each carries
 * one fault.  Each record below names one case, the exact status it must
 * get, a fragment of the detail that shows the right thing was caught (so
 * the case cannot pass for another reason), and why.  Every case of the
 * group must have a record.
 */
#include "testutil.h"

static const hc_regress_record records[] = {
	{ "alg_none/none-empty-sig", HC_ALG,
	    "alg \"none\" (an unsecured JWS) is never accepted",
	    "\"none\" is refused before any key is looked up" },
	{ "alg_none/none-kept-sig", HC_ALG,
	    "alg \"none\" (an unsecured JWS) is never accepted",
	    "a valid signature left in place does not rescue \"none\"" },
	{ "alg_none/None-empty-sig", HC_ALG,
	    "alg \"None\" (an unsecured JWS) is never accepted",
	    "a case-insensitive lookup would read \"None\" as \"none\"" },
	{ "alg_none/None-kept-sig", HC_ALG,
	    "alg \"None\" (an unsecured JWS) is never accepted",
	    "\"None\" with the old signature kept" },
	{ "alg_none/NONE-empty-sig", HC_ALG,
	    "alg \"NONE\" (an unsecured JWS) is never accepted",
	    "upper case is still the unsecured JWS" },
	{ "alg_none/NONE-kept-sig", HC_ALG,
	    "alg \"NONE\" (an unsecured JWS) is never accepted",
	    "\"NONE\" with the old signature kept" },
	{ "alg_none/nOnE-empty-sig", HC_ALG,
	    "alg \"nOnE\" (an unsecured JWS) is never accepted",
	    "mixed case defeats a case-sensitive deny-list" },
	{ "alg_none/nOnE-kept-sig", HC_ALG,
	    "alg \"nOnE\" (an unsecured JWS) is never accepted",
	    "mixed case with the old signature kept" },
	{ NULL, HC_OK, NULL, NULL }
};

int
main(void)
{
	return hc_regress_main("regress_alg_none", "alg_none/", records);
}
