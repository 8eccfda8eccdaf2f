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
 * tools/gen_attack_vectors.py with python3-jwcrypto; each carries one
 * fault and names the status hopcheck must return.
 */
#include "testutil.h"

int
main(void)
{
	return hc_regress_main("regress_cross_issuer", "cross_issuer/", 2);
}
