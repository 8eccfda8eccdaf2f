/* SPDX-License-Identifier: Apache-2.0 */
/*
 * regress_embedded_key.c - attacker-chosen keys in the header (jwk, jku,
 * x5u, x5c).
 *
 * The story: node-jose (CVE-2018-0114) and others verified a token with
 * the jwk the token itself carried, so anyone could sign with their own
 * key and embed it; jku and x5u made the verifier fetch the attacker's
 * key set (and served as SSRF), x5c offered an unvalidated certificate
 * (RFC 8725 sections 3.8 and 3.10). hopcheck never reads these parameters
 * to find a key: keys come only from the issuer's configured set, so the
 * attacker's signature simply fails (signature) or the attacker's kid is
 * unknown (key).
 *
 * The cases are in testvectors/attacks.json (group "embedded_key/"), made by
 * tools/vectors/gen_attack_vectors.py with python3-jwcrypto; each carries
 * one fault.  Each record below names one case, the exact status it must
 * get, a fragment of the detail that shows the right thing was caught (so
 * the case cannot pass for another reason), and why.  Every case of the
 * group must have a record.
 */
#include "testutil.h"

static const hc_regress_record records[] = {
	{ "embedded_key/jwk-issuer-kid", HC_SIGNATURE,
	    "ES256 signature does not verify with the EC P-256 key kid "
	    "\"a-es\"",
	    "the embedded jwk is ignored: the issuer's key named by kid is "
	    "used (CVE-2018-0114)" },
	{ "embedded_key/jwk-no-kid", HC_SIGNATURE,
	    "RS256 signature does not verify with the RSA 2048-bit key kid "
	    "\"a-rs\"",
	    "without kid, the issuer's only RSA key is used, not the jwk" },
	{ "embedded_key/jku-issuer-kid", HC_SIGNATURE,
	    "ES256 signature does not verify with the EC P-256 key kid "
	    "\"a-es\"",
	    "jku is never fetched: no key from an attacker's URL" },
	{ "embedded_key/jku-no-kid", HC_SIGNATURE,
	    "RS256 signature does not verify with the RSA 2048-bit key kid "
	    "\"a-rs\"",
	    "jku without kid: still the issuer's own RSA key" },
	{ "embedded_key/x5u-issuer-kid", HC_SIGNATURE,
	    "ES256 signature does not verify with the EC P-256 key kid "
	    "\"a-es\"",
	    "x5u is never fetched" },
	{ "embedded_key/x5u-no-kid", HC_SIGNATURE,
	    "RS256 signature does not verify with the RSA 2048-bit key kid "
	    "\"a-rs\"",
	    "x5u without kid: still the issuer's own RSA key" },
	{ "embedded_key/x5c-issuer-kid", HC_SIGNATURE,
	    "ES256 signature does not verify with the EC P-256 key kid "
	    "\"a-es\"",
	    "an unvalidated x5c certificate provides no key" },
	{ "embedded_key/x5c-no-kid", HC_SIGNATURE,
	    "RS256 signature does not verify with the RSA 2048-bit key kid "
	    "\"a-rs\"",
	    "x5c without kid: still the issuer's own RSA key" },
	{ "embedded_key/attacker-kid", HC_KEY,
	    "no key has kid \"evil\"",
	    "the attacker's own kid is not in the issuer's set" },
	{ NULL, HC_OK, NULL, NULL }
};

int
main(void)
{
	return hc_regress_main("regress_embedded_key", "embedded_key/",
	    records);
}
