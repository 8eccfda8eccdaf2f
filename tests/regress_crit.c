/* SPDX-License-Identifier: Apache-2.0 */
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
 * tools/vectors/gen_attack_vectors.py with python3-jwcrypto; each carries
 * one fault.  Each record below names one case, the exact status it must
 * get, a fragment of the detail that shows the right thing was caught (so
 * the case cannot pass for another reason), and why.  Every case of the
 * group must have a record.
 */
#include "testutil.h"

static const hc_regress_record records[] = {
	{ "crit/exp", HC_CRIT,
	    "header carries crit; hopcheck understands no JWS extension",
	    "crit naming a claim: no extension is understood" },
	{ "crit/empty", HC_CRIT,
	    "header carries crit; hopcheck understands no JWS extension",
	    "an empty crit list is itself invalid (RFC 7515 4.1.11)" },
	{ "crit/alg", HC_CRIT,
	    "header carries crit; hopcheck understands no JWS extension",
	    "crit may not name a registered parameter" },
	{ "crit/missing", HC_CRIT,
	    "header carries crit; hopcheck understands no JWS extension",
	    "an extension hopcheck does not implement" },
	{ "crit/b64", HC_CRIT,
	    "header carries b64 (RFC 7797 unencoded payload)",
	    "b64 false (RFC 7797) would change what is signed: refused for "
	    "the b64 itself, before crit is looked at" },
	{ NULL, HC_OK, NULL, NULL }
};

int
main(void)
{
	return hc_regress_main("regress_crit", "crit/", records);
}
