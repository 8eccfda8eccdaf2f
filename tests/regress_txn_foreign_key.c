/* SPDX-License-Identifier: Apache-2.0 */
/*
 * regress_txn_foreign_key.c - a Txn-Token signed by the Transaction Token
 * Service of another trust domain.
 *
 * The story: every trust domain has its own TTS (txn-tokens-10 section
 * 3), and key ids are chosen locally: two domains may well both call their
 * key "tts-1".  A recipient that pooled keys, or looked them up by kid
 * alone, or trusted a key the header carries, would accept a token minted
 * in the other domain once its aud was rewritten, or a token the attacker
 * signed with a key of its own.  hopcheck looks keys up only in the TTS
 * set of its own trust domain (never from iss, jku, x5u, jwk or x5c,
 * section 13.16): the foreign key under the same kid fails the signature,
 * before aud is even read, and a kid the set lacks is no key.
 *
 * The cases are in testvectors/txn_tokens.json (group "foreign-key/"),
 * made by tools/vectors/gen_txn_vectors.py with python3-jwcrypto.  Each
 * record names one case, the exact status it must get, a fragment of the
 * detail that shows the right thing was caught, and why.  Every case of
 * the group must have a record; the file's baseline/ tokens must be
 * accepted.
 */
#include "testutil.h"

static const hc_regress_record records[] = {
	{ "foreign-key/same-kid", HC_SIGNATURE,
	    "signature does not verify with the EC P-256 key kid \"tts-1\"",
	    "the same kid in another domain's set is another key" },
	{ "foreign-key/same-kid-other-aud", HC_SIGNATURE,
	    "signature does not verify",
	    "the signature is checked before aud: the token never gets as far "
	    "as saying which domain it was for" },
	{ "foreign-key/embedded-jwk", HC_SIGNATURE,
	    "signature does not verify with the EC P-256 key kid \"tts-1\"",
	    "a header jwk is never used to find a key" },
	{ "foreign-key/unknown-kid", HC_KEY,
	    "no key has kid \"tts-other\"",
	    "a kid the TTS set lacks is no key" },
	{ "foreign-key/access-issuer-key", HC_KEY,
	    "no key has kid \"as-1\"",
	    "the access-token issuer's keys are not TTS keys" },
	{ NULL, HC_OK, NULL, NULL }
};

int
main(void)
{
	return hc_regress_main_file("regress_txn_foreign_key",
	    "testvectors/txn_tokens.json", "foreign-key/", records);
}
