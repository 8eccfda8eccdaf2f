/*
 * regress_kid.c - kid injection and kid tricks.
 *
 * The story: verifiers that used kid as a file path ("../../dev/null",
 * then an empty HMAC key), a database key (SQL injection) or a shell
 * argument were turned into oracles for whatever key the attacker could
 * predict (jwt_tool's playbook; RFC 8725 section 3.10). In hopcheck kid
 * is an opaque string compared byte for byte with the kids of the
 * issuer's own set: traversal, injection, case and whitespace variants,
 * control characters, over-long values and another issuer's kid all find
 * no key (key); a non-string kid or an escaped NUL is malformed.
 *
 * The cases are in testvectors/attacks.json (group "kid/"), made by
 * tools/gen_attack_vectors.py with python3-jwcrypto; each carries one
 * fault and names the status hopcheck must return.
 */
#include "testutil.h"

int
main(void)
{
	return hc_regress_main("regress_kid", "kid/", 12);
}
