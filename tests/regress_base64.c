/* SPDX-License-Identifier: Apache-2.0 */
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
 * tools/vectors/gen_attack_vectors.py with python3-jwcrypto; each carries
 * one fault.  Each record below names one case, the exact status it must
 * get, a fragment of the detail that shows the right thing was caught (so
 * the case cannot pass for another reason), and why.  Every case of the
 * group must have a record.
 */
#include "testutil.h"

static const hc_regress_record records[] = {
	{ "base64/padding", HC_MALFORMED,
	    "signature segment is not canonical unpadded base64url",
	    "\"=\" padding would give the token a second spelling" },
	{ "base64/std-alphabet", HC_MALFORMED,
	    "payload segment is not canonical unpadded base64url",
	    "\"+\" of the standard alphabet is not base64url" },
	{ "base64/space", HC_MALFORMED,
	    "header segment is not canonical unpadded base64url",
	    "a decoder that skips whitespace would accept it" },
	{ "base64/newline", HC_MALFORMED,
	    "payload segment is not canonical unpadded base64url",
	    "a line break inside a segment is not skipped" },
	{ "base64/non-canonical-bits", HC_MALFORMED,
	    "signature segment is not canonical unpadded base64url",
	    "non-zero unused bits alias the same signature bytes" },
	{ "base64/len-mod-4-is-1", HC_MALFORMED,
	    "payload segment is not canonical unpadded base64url",
	    "a length of 1 mod 4 encodes no whole byte" },
	{ "base64/two-segments", HC_MALFORMED,
	    "token has 2 segments; a compact JWS has exactly 3",
	    "header.payload with no signature at all" },
	{ "base64/four-segments", HC_MALFORMED,
	    "token has 4 segments; a compact JWS has exactly 3",
	    "an extra segment (a JWE has five) confuses splitting" },
	{ "base64/json-serialization", HC_MALFORMED,
	    "token has 1 segments; a compact JWS has exactly 3",
	    "JWS JSON serialization where compact is required" },
	{ NULL, HC_OK, NULL, NULL }
};

int
main(void)
{
	return hc_regress_main("regress_base64", "base64/", records);
}
