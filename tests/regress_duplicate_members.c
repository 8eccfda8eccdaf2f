/* SPDX-License-Identifier: Apache-2.0 */
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
 * tools/vectors/gen_attack_vectors.py with python3-jwcrypto; each carries
 * one fault.  Each record below names one case, the exact status it must
 * get, a fragment of the detail that shows the right thing was caught (so
 * the case cannot pass for another reason), and why.  Every case of the
 * group must have a record.
 */
#include "testutil.h"

static const hc_regress_record records[] = {
	{ "duplicate/header-alg", HC_MALFORMED,
	    "header: JSON: duplicate member name \"alg\"",
	    "two alg members: first-wins and last-wins parsers disagree" },
	{ "duplicate/header-escaped", HC_MALFORMED,
	    "header: JSON: duplicate member name \"alg\"",
	    "names are compared after unescaping, \"\\u0061lg\" is \"alg\"" },
	{ "duplicate/payload-aud", HC_MALFORMED,
	    "payload: JSON: duplicate member name \"aud\"",
	    "two audiences: the checker and the service could read different "
	    "ones" },
	{ "duplicate/payload-iss", HC_MALFORMED,
	    "payload: JSON: duplicate member name \"iss\"",
	    "two issuers: key lookup and policy could read different ones" },
	{ "duplicate/act-sub", HC_MALFORMED,
	    "payload: JSON: duplicate member name \"sub\"",
	    "duplicates are refused at any depth, here inside act" },
	{ "duplicate/escaped-equal-ok", HC_OK,
	    "accepted",
	    "an escaped name on its own is no duplicate" },
	{ NULL, HC_OK, NULL, NULL }
};

int
main(void)
{
	return hc_regress_main("regress_duplicate_members", "duplicate/",
	    records);
}
