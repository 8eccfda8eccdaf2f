/*
 * regress_base64.c - base64url strictness and compact serialization.
 *
 * The story: lenient base64 decoders accept padding, whitespace, the
 * standard alphabet and non-zero unused bits, which gives one token many
 * spellings (defeating replay caches and deny-lists keyed on the token)
 * and lets a signature be altered without changing its bytes (RFC 7515
 * section 2, RFC 4648 section 3.5). JSON serialization where compact was
 * expected, and missing or extra segments, confuse splitting. hopcheck
 * accepts exactly one encoding and exactly three segments: malformed.
 *
 * The cases are in testvectors/attacks.json (group "base64/"), made by
 * tools/gen_attack_vectors.py with python3-jwcrypto; each carries one
 * fault and names the status hopcheck must return.
 */
#include "testutil.h"

int
main(void)
{
	return hc_regress_main("regress_base64", "base64/", 9);
}
