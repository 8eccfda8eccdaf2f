/* SPDX-License-Identifier: Apache-2.0 */
/*
 * regress_cross_issuer.c - keys of one issuer used for another.
 *
 * The story: a verifier that pools the keys of every trusted issuer lets
 * issuer B mint tokens that claim to come from issuer A (RFC 8725 section
 * 3.8: the key must belong to the issuer named in the token). hopcheck
 * looks a key up only in the set of the issuer the token's iss names: B's
 * kid is unknown to A (key), and A's kid with B's signature fails
 * (signature).
 *
 * The cases are in testvectors/attacks.json (group "cross_issuer/"), made by
 * tools/vectors/gen_attack_vectors.py with python3-jwcrypto; each carries
 * one fault.  Each record below names one case, the exact status it must
 * get, a fragment of the detail that shows the right thing was caught (so
 * the case cannot pass for another reason), and why.  Every case of the
 * group must have a record.
 */
#include "testutil.h"

static const hc_regress_record records[] = {
	{ "cross_issuer/b-key-a-iss", HC_KEY,
	    "no key has kid \"b-es\" (2 keys in the set)",
	    "B's kid is looked up in A's set only, and is not there" },
	{ "cross_issuer/b-key-a-iss-a-kid", HC_SIGNATURE,
	    "ES256 signature does not verify with the EC P-256 key kid "
	    "\"a-es\"",
	    "A's key does not verify B's signature" },
	{ "cross_issuer/b-token", HC_OK,
	    "accepted",
	    "B's own token under B's keys is honest" },
	{ NULL, HC_OK, NULL, NULL }
};

int
main(void)
{
	return hc_regress_main("regress_cross_issuer", "cross_issuer/",
	    records);
}
