/*
 * regress_duplicate_members.c - duplicate JSON member names.
 *
 * The story: JSON parsers disagree on duplicate names (first wins, last
 * wins, error), so a header {"alg":"ES256",...,"alg":"none"} or a payload
 * with two aud members can mean one thing to the component that checks
 * and another to the one that acts (RFC 7515 section 4, RFC 7519 section
 * 4 allow rejecting; RFC 8725 section 3.7). hopcheck rejects a duplicate
 * name at any depth, compared after unescaping, so "\\u0061lg" and "alg"
 * collide: malformed.
 *
 * The cases are in testvectors/attacks.json (group "duplicate/"), made by
 * tools/gen_attack_vectors.py with python3-jwcrypto; each carries one
 * fault and names the status hopcheck must return.
 */
#include "testutil.h"

int
main(void)
{
	return hc_regress_main("regress_duplicate_members", "duplicate/", 6);
}
