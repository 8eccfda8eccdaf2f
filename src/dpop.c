/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dpop.c - verifying a DPoP proof (RFC 9449 section 4.3) at a resource
 * server (section 7.1), server nonces (section 8), and the replay record
 * of a proof (section 11.1).
 *
 * The proof is the only token hopcheck takes a key from its own header
 * for (section 4.2, `jwk`), and that key proves possession only: it is
 * imported through jwk.c with no private member allowed, must have the
 * key type and curve of the proof's `alg`, and its RFC 7638 thumbprint is
 * what an access token's cnf.jkt must name (section 6.1).  The order of
 * the checks is in dpop.h; each failure is one hc_fail() naming the claim
 * and values, never the proof's bytes.
 *
 * Server nonces are stateless: a nonce is an HMAC of the current time step
 * under dpop.nonce_secret_file's 32 bytes, and the nonce of this step and
 * of the one before are accepted.  Nothing is stored; every process that
 * shares the secret accepts the others' nonces.
 *
 * The replay key of a proof is SHA-256 over the thumbprint, the normalised
 * htu and the jti, each length-prefixed (section 11.1: a jti is unique "in
 * the context of the target URI"; the key keeps two clients' ids apart),
 * kept until iat + max_age + skew, after which the iat window refuses the
 * proof anyway.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cnf.h"
#include "crypto.h"
#include "dpop.h"
#include "pop.h"

#define WHAT "DPoP proof"
#define NONCE_LABEL "hopcheck-dpop-nonce:"
#define HMAC_MSG_MAX 128

/* ------------------------------------------------------------ helpers */

void
hc_hmac_sha256(const unsigned char *key, size_t klen, const unsigned char *msg,
    size_t mlen, unsigned char out[32])
{
	unsigned char k[64], inner[64 + HMAC_MSG_MAX], outer[64 + 32];

	memset(k, 0, sizeof(k));
	if (klen > sizeof(k) || mlen > HMAC_MSG_MAX) {
		memset(out, 0, 32);
		return;
	}
	memcpy(k, key, klen);
	for (size_t i = 0; i < 64; i++) {
		inner[i] = (unsigned char)(k[i] ^ 0x36);
		outer[i] = (unsigned char)(k[i] ^ 0x5c);
	}
	memcpy(inner + 64, msg, mlen);
	hc_crypto()->sha256(inner, 64 + mlen, outer + 64);
	hc_crypto()->sha256(outer, sizeof(outer), out);
	hc_wipe(k, sizeof(k));
	hc_wipe(inner, sizeof(inner));
	hc_wipe(outer, sizeof(outer));
}

/* The nonce of time step `step` into out (HC_DPOP_NONCE_LEN + 1). */
static void
nonce_of_step(const hc_dpop_policy *dp, int64_t step, char *out)
{
	char msg[HMAC_MSG_MAX];
	unsigned char mac[32];
	int n;

	n = snprintf(msg, sizeof(msg), "%s%lld", NONCE_LABEL,
	    (long long)step);
	hc_hmac_sha256(dp->nonce_secret, sizeof(dp->nonce_secret),
	    (const unsigned char *)msg, (size_t)n, mac);
	hc_b64url_encode(mac, sizeof(mac), out);
	hc_wipe(mac, sizeof(mac));
}

static int64_t
step_of(int64_t now)
{
	/* Floor division: a clock before 1970 still gets a step. */
	return now >= 0 ? now / HC_DPOP_NONCE_STEP_S :
	    -((-now + HC_DPOP_NONCE_STEP_S - 1) / HC_DPOP_NONCE_STEP_S);
}

bool
hc_dpop_nonce(const hc_dpop_policy *dp, int64_t now, char *out)
{
	out[0] = '\0';
	if (dp == NULL || !dp->has_nonce)
		return false;
	nonce_of_step(dp, step_of(now), out);
	return true;
}

/*
 * A required string claim of at most `max` bytes (0: no bound here),
 * non-empty: HC_CLAIM otherwise.
 */
static hc_status
string_claim(const hc_json *payload, const char *name, size_t max,
    const char **out, hc_detail *d)
{
	const hc_json *j = hc_json_get(payload, name);
	const char *s = hc_json_string(j);

	*out = NULL;
	if (j == NULL)
		return hc_fail(d, HC_CLAIM, WHAT " lacks %s (RFC 9449 section "
		    "4.2)", name);
	if (s == NULL)
		return hc_fail(d, HC_CLAIM, WHAT " %s is a %s, not a string",
		    name, hc_json_type_name(hc_json_type_of(j)));
	if (s[0] == '\0')
		return hc_fail(d, HC_CLAIM, WHAT " %s is empty", name);
	if (max != 0 && strlen(s) > max)
		return hc_fail(d, HC_CLAIM, WHAT " %s is %zu bytes, more than "
		    "%zu", name, strlen(s), max);
	*out = s;
	return HC_OK;
}

/*
 * The proof's header jwk (RFC 9449 section 4.2): present, an object, no
 * private or secret member, the kty of alg, importable; then the key must
 * allow alg (curve, size).  Every refusal is HC_KEY.
 */
static hc_status
proof_key(const hc_json *header, hc_alg alg, hc_key **key, hc_detail *d)
{
	static const char *const private_members[] = {
		"d", "p", "q", "dp", "dq", "qi", "oth", "k"
	};
	char q[HC_QBUF];
	const hc_json *jwk = hc_json_get(header, "jwk");
	const char *kty;
	hc_detail kd = { "" };
	hc_status st;

	*key = NULL;
	if (jwk == NULL)
		return hc_fail(d, HC_KEY, WHAT " header has no jwk; the key "
		    "must be given there (RFC 9449 section 4.2), never by kid, "
		    "jku, x5c or x5u");
	if (hc_json_type_of(jwk) != HC_JSON_OBJECT)
		return hc_fail(d, HC_KEY, WHAT " jwk is a %s, not an object",
		    hc_json_type_name(hc_json_type_of(jwk)));
	for (size_t i = 0; i < sizeof(private_members) /
	    sizeof(private_members[0]); i++)
		if (hc_json_get(jwk, private_members[i]) != NULL)
			return hc_fail(d, HC_KEY, WHAT " jwk contains private "
			    "key member \"%s\"; it MUST NOT (RFC 9449 section "
			    "4.2)", private_members[i]);
	kty = hc_json_string(hc_json_get(jwk, "kty"));
	if (kty == NULL)
		return hc_fail(d, HC_KEY, WHAT " jwk has no string kty");
	if ((hc_alg_kty(alg) == HC_KTY_RSA && strcmp(kty, "RSA") != 0) ||
	    (hc_alg_kty(alg) == HC_KTY_EC && strcmp(kty, "EC") != 0) ||
	    (hc_alg_kty(alg) == HC_KTY_OKP && strcmp(kty, "OKP") != 0))
		return hc_fail(d, HC_KEY, WHAT " jwk kty %s cannot verify alg "
		    "%s", hc_quote(q, sizeof(q), kty), hc_alg_name(alg));
	if ((st = hc_key_from_jwk(jwk, false, key, &kd)) != HC_OK)
		return hc_fail(d, st == HC_INTERNAL ? HC_INTERNAL : HC_KEY,
		    WHAT " jwk: %s", kd.text);
	if ((st = hc_key_allows(*key, alg, &kd)) != HC_OK) {
		hc_key_free(*key);
		*key = NULL;
		return hc_fail(d, HC_KEY, WHAT " jwk does not fit alg: %s",
		    kd.text);
	}
	return HC_OK;
}

/*
 * The replay record: SHA-256 of (jkt, htu, jti), each with a 4-byte
 * length, in namespace "dpop", until iat + max_age + skew.
 */
static hc_status
make_record(hc_dpop_result *r, int64_t expires, int64_t max_ttl,
    hc_detail *d)
{
	const char *parts[3] = { r->jkt, r->htu, r->jti };

	return hc_replay_record_make(&r->record, "dpop", parts, 3, expires,
	    max_ttl, d);
}

/* ----------------------------------------------------------------- API */

hc_status
hc_dpop_verify(const hc_policy *p, const hc_dpop_request *rq,
    hc_dpop_result *out, hc_detail *d)
{
	char q[HC_QBUF], q2[HC_QBUF];
	const hc_dpop_policy *dp = &p->dpop;
	const int64_t skew = p->clock_skew_s;
	const char *jti, *htm, *htu, *nonce;
	const hc_json *nj;
	hc_jws jws;
	hc_key *key = NULL;
	hc_alg alg;
	int64_t iat;
	bool present;
	hc_status st;

	memset(out, 0, sizeof(*out));
	memset(&jws, 0, sizeof(jws));

	/* Syntax: one compact JWS (RFC 9449 section 4.3 items 1-2). */
	if ((st = hc_pop_compact_check(rq->proof, rq->proof_len, WHAT, d)) !=
	    HC_OK)
		return st;
	if ((st = hc_jws_parse(rq->proof, rq->proof_len, &jws, d)) != HC_OK)
		return st;
	/* Items 4-6: alg, crit, typ, then the key and the signature. */
	if ((st = hc_pop_alg_check(jws.header, dp->alg_mask, WHAT, &alg, d)) !=
	    HC_OK)
		goto out;
	if ((st = hc_pop_crit_check(jws.header, WHAT, d)) != HC_OK)
		goto out;
	if ((st = hc_pop_typ_check(jws.header, "dpop+jwt", WHAT, d)) != HC_OK)
		goto out;
	if ((st = proof_key(jws.header, alg, &key, d)) != HC_OK)
		goto out;
	if ((st = hc_jwk_thumbprint(hc_json_get(jws.header, "jwk"), out->jkt,
	    d)) != HC_OK)
		goto out;
	if ((st = hc_key_verify(key, alg,
	    (const unsigned char *)jws.signing_input, jws.signing_input_len,
	    jws.sig, jws.sig_len, d)) != HC_OK) {
		if (st == HC_ALG)
			st = HC_KEY;
		goto out;
	}

	/* Item 3 and section 4.2: the claims, present and typed. */
	if ((st = string_claim(jws.payload, "jti", HC_MAX_JTI_BYTES, &jti,
	    d)) != HC_OK)
		goto out;
	if ((st = string_claim(jws.payload, "htm", 0, &htm, d)) != HC_OK)
		goto out;
	if ((st = string_claim(jws.payload, "htu", 0, &htu, d)) != HC_OK)
		goto out;
	if ((st = hc_pop_numeric_date(jws.payload, "iat", WHAT, &iat,
	    &present, d)) != HC_OK)
		goto out;
	if (!present) {
		st = hc_fail(d, HC_CLAIM, WHAT " lacks iat (RFC 9449 section "
		    "4.2)");
		goto out;
	}
	nj = hc_json_get(jws.payload, "nonce");
	nonce = hc_json_string(nj);
	if (nj != NULL && (nonce == NULL ||
	    strlen(nonce) > HC_MAX_DPOP_NONCE_BYTES)) {
		st = hc_fail(d, HC_CLAIM, WHAT " nonce is not a string of at "
		    "most %d bytes", HC_MAX_DPOP_NONCE_BYTES);
		goto out;
	}
	if (rq->access_token != NULL &&
	    hc_json_get(jws.payload, "ath") == NULL) {
		st = hc_fail(d, HC_CLAIM, WHAT " lacks ath, required with an "
		    "access token (RFC 9449 section 7.1)");
		goto out;
	}

	/* Item 7: htm, exact (methods are case-sensitive, RFC 9110 9.1). */
	if (rq->method == NULL || strcmp(htm, rq->method) != 0) {
		st = hc_fail(d, HC_AUDIENCE, WHAT " htm %s is not the request "
		    "method %s", hc_quote(q, sizeof(q), htm),
		    hc_quote(q2, sizeof(q2), rq->method != NULL ?
		    rq->method : ""));
		goto out;
	}
	/* Item 8: htu against service.origins + the path, normalised. */
	if ((st = hc_pop_uri_match(htu, WHAT " htu", &p->origins, rq->path,
	    &out->htu, d)) != HC_OK)
		goto out;
	/* Item 12 (section 4.3): ath over the exact token. */
	if (rq->access_token != NULL) {
		if ((st = hc_pop_hash_check(jws.payload, "ath",
		    rq->access_token, rq->access_token_len, WHAT, &present,
		    d)) != HC_OK)
			goto out;
	} else if (hc_json_get(jws.payload, "ath") != NULL) {
		st = hc_fail(d, HC_BINDING, WHAT " carries ath and no access "
		    "token was presented with it");
		goto out;
	}
	/* Section 7.1: the token's cnf.jkt names this proof's key. */
	if (rq->access_token != NULL || rq->cnf_jkt != NULL) {
		if ((st = hc_cnf_jkt_match(rq->cnf_jkt, out->jkt, d)) != HC_OK) {
			out->key_binding = true;
			goto out;
		}
	}
	/* Item 10 and section 8: the server nonce, when configured. */
	if (dp->has_nonce) {
		char cur[HC_DPOP_NONCE_LEN + 1], prev[HC_DPOP_NONCE_LEN + 1];
		int64_t step = step_of(rq->now);

		nonce_of_step(dp, step, cur);
		nonce_of_step(dp, step - 1, prev);
		if (nonce == NULL || strlen(nonce) != HC_DPOP_NONCE_LEN ||
		    (hc_ct_memcmp(nonce, cur, HC_DPOP_NONCE_LEN) != 0 &&
		    hc_ct_memcmp(nonce, prev, HC_DPOP_NONCE_LEN) != 0)) {
			memcpy(out->nonce, cur, sizeof(cur));
			st = hc_fail(d, HC_NONCE, WHAT " %s; use the DPoP-Nonce "
			    "given (RFC 9449 section 8)", nonce == NULL ?
			    "has no nonce and this server requires one" :
			    "nonce is not a current server nonce");
			goto out;
		}
	}
	/* Item 11 and section 11.1: the iat window. */
	if (iat > rq->now + skew) {
		st = hc_fail(d, HC_LIFETIME, WHAT " iat %lld is %lld s in the "
		    "future, more than the clock skew of %lld s",
		    (long long)iat, (long long)(iat - rq->now),
		    (long long)skew);
		goto out;
	}
	if (rq->now - iat > dp->max_age_s + skew) {
		st = hc_fail(d, HC_EXPIRED, WHAT " iat %lld is %lld s old, more "
		    "than dpop.max_age_s %lld + skew %lld", (long long)iat,
		    (long long)(rq->now - iat), (long long)dp->max_age_s,
		    (long long)skew);
		goto out;
	}
	out->iat = iat;
	if ((out->jti = hc_strdup(jti)) == NULL) {
		st = hc_fail(d, HC_INTERNAL, "out of memory");
		goto out;
	}
	st = make_record(out, iat + dp->max_age_s + skew,
	    dp->max_age_s + 2 * skew, d);
out:
	hc_key_free(key);
	hc_jws_clear(&jws);
	return st;
}

void
hc_dpop_result_clear(hc_dpop_result *r)
{
	if (r == NULL)
		return;
	free(r->htu);
	free(r->jti);
	hc_replay_record_clear(&r->record);
	memset(r, 0, sizeof(*r));
}

hc_status
hc_dpop_scheme_check(bool dpop_scheme, bool has_proof, const char *cnf_jkt,
    hc_detail *d)
{
	if (dpop_scheme && !has_proof)
		return hc_fail(d, HC_BINDING, "Authorization scheme DPoP without "
		    "a DPoP proof (RFC 9449 section 7.1)");
	if (!dpop_scheme && cnf_jkt != NULL)
		return hc_fail(d, HC_BINDING, "a DPoP-bound token (cnf.jkt) was "
		    "sent as a bearer token; it MUST be refused (RFC 9449 "
		    "section 7.2)");
	if (dpop_scheme && cnf_jkt == NULL)
		return hc_fail(d, HC_BINDING, "a token without cnf.jkt was sent "
		    "with the DPoP scheme: it is not bound to the proof's key");
	return HC_OK;
}
