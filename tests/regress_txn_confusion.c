/* SPDX-License-Identifier: Apache-2.0 */
/*
 * regress_txn_confusion.c - an access token taken for a Txn-Token, and a
 * Txn-Token taken for an access token.
 *
 * The story: a trust domain runs an authorization server that mints RFC
 * 9068 access tokens (typ at+jwt) and a Transaction Token Service that
 * mints Txn-Tokens (typ txntoken+jwt, draft-ietf-oauth-transaction-
 * tokens-10).  Both are signed JWTs with overlapping claims (sub, scope,
 * aud, exp), and a workload accepts both, in different headers.  An
 * attacker holding one kind presents it as the other (RFC 8725 section
 * 3.11, cross-JWT confusion; txn-tokens-10 sections 12 and 13.13):
 *
 *  - an access token in the Txn-Token header, hoping its scope is read as
 *    the transaction's: the Txn-Token path demands typ txntoken+jwt before
 *    any key is chosen (type), whoever signed it, even the TTS itself;
 *  - a Txn-Token sent as `Authorization: Bearer`, hoping the access-token
 *    path reads its aud and scope: the access-token path refuses the typ
 *    of every other kind (txntoken+jwt, dpop+jwt, wit+jwt, wpt+jwt) before
 *    it chooses an issuer (type), so a Txn-Token whose iss names the
 *    configured issuer and whose signature is that issuer's still fails.
 *
 * The cases are in testvectors/txn_tokens.json (group "confusion/"), made
 * by tools/vectors/gen_txn_vectors.py with python3-jwcrypto.  Each record
 * names one case, the exact status it must get, a fragment of the detail
 * that shows the right thing was caught, and why.  Every case of the group
 * must have a record; the file's baseline/ tokens must be accepted.
 */
#include "testutil.h"

static const hc_regress_record records[] = {
	{ "confusion/at-jwt-in-txn-header", HC_TYPE,
	    "typ \"at+jwt\" is not txntoken+jwt",
	    "a valid access token is no Txn-Token: typ is checked before the key" },
	{ "confusion/at-jwt-signed-by-tts", HC_TYPE,
	    "typ \"at+jwt\" is not txntoken+jwt",
	    "even the TTS's own key does not make an at+jwt a Txn-Token" },
	{ "confusion/txn-as-bearer", HC_TYPE,
	    "typ \"txntoken+jwt\" is not an access token",
	    "a Txn-Token in Authorization is refused by typ (section 12)" },
	{ "confusion/txn-as-bearer-issuer-key", HC_TYPE,
	    "typ \"txntoken+jwt\" is not an access token",
	    "refused before an issuer is chosen, so the issuer's own key and "
	    "aud do not help" },
	{ "confusion/dpop-as-bearer", HC_TYPE,
	    "typ \"dpop+jwt\" is not an access token",
	    "a DPoP proof is no access token either" },
	{ NULL, HC_OK, NULL, NULL }
};

int
main(void)
{
	return hc_regress_main_file("regress_txn_confusion",
	    "testvectors/txn_tokens.json", "confusion/", records);
}
