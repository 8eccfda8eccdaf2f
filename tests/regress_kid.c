/* SPDX-License-Identifier: Apache-2.0 */
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
 * tools/vectors/gen_attack_vectors.py with python3-jwcrypto; each carries
 * one fault.  Each record below names one case, the exact status it must
 * get, a fragment of the detail that shows the right thing was caught (so
 * the case cannot pass for another reason), and why.  Every case of the
 * group must have a record.
 */
#include "testutil.h"

static const hc_regress_record records[] = {
	{ "kid/path-traversal", HC_KEY,
	    "no key has kid \"../../../../../../dev/null\" (2 keys in the set)",
	    "kid is not a file path: traversal finds no key" },
	{ "kid/dev-null", HC_KEY,
	    "no key has kid \"/dev/null\" (2 keys in the set)",
	    "an empty file as an HMAC key is never read" },
	{ "kid/empty", HC_KEY,
	    "no key has kid \"\" (2 keys in the set)",
	    "an empty kid does not match \"any key\"" },
	{ "kid/sql", HC_KEY,
	    "no key has kid \"x' UNION SELECT '1';--\" (2 keys in the set)",
	    "kid is not a database key: injection finds no key" },
	{ "kid/cmd", HC_KEY,
	    "no key has kid \"|sleep 10\" (2 keys in the set)",
	    "kid is not a shell argument" },
	{ "kid/case", HC_KEY,
	    "no key has kid \"A-ES\" (2 keys in the set)",
	    "kids compare byte for byte, case included" },
	{ "kid/trailing-space", HC_KEY,
	    "no key has kid \"a-es \" (2 keys in the set)",
	    "no trimming of whitespace" },
	{ "kid/control", HC_KEY,
	    "no key has kid \"a-es\\x0a\" (2 keys in the set)",
	    "a control character is kept, and shown escaped" },
	{ "kid/long", HC_KEY,
	    "token kid is longer than 256 bytes and matches no key",
	    "an over-long kid is refused without being echoed" },
	{ "kid/other-issuer", HC_KEY,
	    "no key has kid \"b-es\" (2 keys in the set)",
	    "another issuer's kid is not in this issuer's set" },
	{ "kid/not-a-string", HC_MALFORMED,
	    "header kid is a number, not a string",
	    "a kid of the wrong type is malformed, not coerced" },
	{ "kid/escaped-nul", HC_MALFORMED,
	    "escaped U+0000 in string",
	    "an escaped NUL would truncate the kid in C" },
	{ NULL, HC_OK, NULL, NULL }
};

int
main(void)
{
	return hc_regress_main("regress_kid", "kid/", records);
}
