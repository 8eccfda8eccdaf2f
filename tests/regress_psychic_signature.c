/* SPDX-License-Identifier: Apache-2.0 */
/*
 * regress_psychic_signature.c - psychic ECDSA signatures and signature
 * encodings.
 *
 * The story: Java 15-18 accepted an ECDSA signature of r = s = 0 for any
 * message and key (CVE-2022-21449, "psychic signatures"); other libraries
 * accepted DER where JWS requires raw r||s, or signatures of the wrong
 * length. hopcheck requires exactly 2 x 32 bytes for ES256, 1 <= r, s <=
 * n - 1, and raw encoding: every case is signature.
 *
 * The cases are in testvectors/attacks.json (group "psychic/"), made by
 * tools/vectors/gen_attack_vectors.py with python3-jwcrypto; each carries
 * one fault.  Each record below names one case, the exact status it must
 * get, a fragment of the detail that shows the right thing was caught (so
 * the case cannot pass for another reason), and why.  Every case of the
 * group must have a record.
 */
#include "testutil.h"

static const hc_regress_record records[] = {
	{ "psychic/zero", HC_SIGNATURE,
	    "ES256 signature does not verify with the EC P-256 key kid "
	    "\"a-es\"",
	    "r = s = 0 verifies nothing (CVE-2022-21449)" },
	{ "psychic/r-zero", HC_SIGNATURE,
	    "ES256 signature does not verify with the EC P-256 key kid "
	    "\"a-es\"",
	    "r = 0 is outside 1..n-1" },
	{ "psychic/s-zero", HC_SIGNATURE,
	    "ES256 signature does not verify with the EC P-256 key kid "
	    "\"a-es\"",
	    "s = 0 is outside 1..n-1" },
	{ "psychic/r-n", HC_SIGNATURE,
	    "ES256 signature does not verify with the EC P-256 key kid "
	    "\"a-es\"",
	    "r = n is outside 1..n-1" },
	{ "psychic/s-n", HC_SIGNATURE,
	    "ES256 signature does not verify with the EC P-256 key kid "
	    "\"a-es\"",
	    "s = n is outside 1..n-1" },
	{ "psychic/short", HC_SIGNATURE,
	    "ES256 signature is 63 bytes; 64 expected",
	    "one byte short of raw R || S" },
	{ "psychic/long", HC_SIGNATURE,
	    "ES256 signature is 65 bytes; 64 expected",
	    "one byte over raw R || S" },
	{ "psychic/empty", HC_SIGNATURE,
	    "ES256 signature is 0 bytes; 64 expected",
	    "no signature bytes at all" },
	{ "psychic/der-encoded", HC_SIGNATURE,
	    "ES256 signature is 72 bytes; 64 expected (raw R || S, RFC 7518 "
	    "section 3.4, not DER)",
	    "DER where JWS requires raw R || S" },
	{ NULL, HC_OK, NULL, NULL }
};

int
main(void)
{
	return hc_regress_main("regress_psychic_signature", "psychic/",
	    records);
}
