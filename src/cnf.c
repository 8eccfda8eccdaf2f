/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cnf.c - the confirmation dispatcher: reads a token's `cnf` claim (RFC
 * 7800 section 3.1) and hands the one confirmation method it carries to
 * the check of that method.
 *
 * The methods are the table cnf_methods below, one row per `cnf` member
 * name.  `x5t#S256` (RFC 8705 section 3.1) is checked here: the SHA-256
 * thumbprint of the peer's leaf certificate, computed from its DER or
 * handed over already computed by a trusted front proxy, must equal the
 * claim, compared in constant time.  The binding is to the leaf, the
 * certificate the peer authenticated with (RFC 8705 section 3), never to
 * a CA or intermediate.
 *
 * Adding a method is adding a row: `jkt` (RFC 9449 section 6.1) gets its
 * check once the DPoP proof is verified (dpop.c), and a WIMSE workload
 * key confirmation likewise.  A row without a check is a method hopcheck
 * knows but cannot verify, and a token confirmed by it is refused rather
 * than accepted as a bearer token (RFC 9449 section 7.2).
 *
 * Every comparison is byte-exact on canonical forms: a thumbprint is 43
 * characters of canonical base64url (the strict decoder of b64url.c gives
 * every digest exactly one accepted spelling).
 */
#include <string.h>

#include "cnf.h"
#include "validator.h"

/* One confirmation method: its cnf member and the check of its proof. */
struct cnf_method {
	const char *member;
	/* Checks the request against the member's value; NULL: not yet. */
	hc_status (*check)(hc_ctx *c, const hc_json *value);
};

/* ------------------------------------------------------ private prototypes */

static bool x5t_canonical(const char *s, size_t len);
static hc_status peer_thumbprint(const hc_request *req, char *out,
    bool *have, hc_detail *d);
static hc_status check_x5t_s256(hc_ctx *c, const hc_json *value);

/*
 * The confirmation methods, in the order a detail names them.  The rows
 * without a check confirm a key whose proof of possession hopcheck cannot
 * verify yet.
 */
static const struct cnf_method cnf_methods[] = {
	{ "x5t#S256", check_x5t_s256 },  /* RFC 8705 section 3.1 */
	/*
	 * RFC 9449 section 6.1 (DPoP): hc_cnf_jkt_match(), once the context
	 * carries the verified proof's thumbprint (dpop.c).
	 */
	{ "jkt", NULL },
	{ "jwk", NULL },                 /* RFC 7800 section 3.2 */
	{ "jwe", NULL },                 /* RFC 7800 section 3.3 */
	{ "jku", NULL },                 /* RFC 7800 section 3.5 */
	{ "kid", NULL },                 /* RFC 7800 section 3.4 */
};

#define NMETHODS (sizeof(cnf_methods) / sizeof(cnf_methods[0]))

/* -------------------------------------------------------------------- API */

/*
 * The dispatcher.  A cnf must confirm a single key (RFC 7800 section 3.1):
 * the first method present is the token's, a second one is refused.
 */
hc_status
hc_cnf_check(hc_ctx *c)
{
	const hc_json *cnf = hc_json_get(c->payload, "cnf");
	const struct cnf_method *m = NULL, *other = NULL;
	hc_detail *d = &c->res->detail;

	for (size_t i = 0; i < NMETHODS && other == NULL; i++) {
		if (hc_json_get(cnf, cnf_methods[i].member) == NULL)
			continue;
		if (m == NULL)
			m = &cnf_methods[i];
		else
			other = &cnf_methods[i];
	}
	if (m == NULL) {
		if (c->pol->mtls != HC_MODE_REQUIRED)
			return HC_OK;
		if (cnf == NULL)
			return hc_fail(d, HC_BINDING, "binding.mtls is "
			    "required and the token carries no cnf claim "
			    "(RFC 8705 section 3.1)");
		return hc_fail(d, HC_BINDING, "binding.mtls is required and "
		    "the token's cnf has no x5t#S256, only members that are "
		    "not understood and so ignored (RFC 7800 section 3.1): "
		    "the token is not bound to a certificate");
	}
	if (m->check == NULL)
		return hc_fail(d, HC_BINDING, "token is confirmed by cnf.%s, "
		    "a proof of possession hopcheck cannot verify; a "
		    "sender-constrained token is not accepted as a bearer "
		    "token (RFC 9449 section 7.2)", m->member);
	if (other != NULL)
		return hc_fail(d, HC_BINDING, "cnf carries both %s and %s; it "
		    "must confirm a single proof-of-possession key (RFC 7800 "
		    "section 3.1)", m->member, other->member);
	return m->check(c, hc_json_get(cnf, m->member));
}

/* ------------------------------------------------- x5t#S256 (RFC 8705) */

/*
 * Whether `len` bytes of `s` are a thumbprint as RFC 8705 section 3.1
 * writes one: base64url of 32 bytes, no padding, no whitespace, and (by
 * the strict decoder) canonical trailing bits.
 */
static bool
x5t_canonical(const char *s, size_t len)
{
	unsigned char buf[HC_B64URL_DECODED_MAX(HC_X5T_LEN)];
	size_t n;

	return len == HC_X5T_LEN &&
	    hc_b64url_decode(s, len, buf, sizeof(buf), &n) == 0 &&
	    n == HC_X5T_BYTES;
}

/*
 * The peer's thumbprint into out (HC_X5T_LEN + 1 bytes): computed over the
 * leaf's DER when the request has it, else the one a trusted proxy passed.
 * *have is false when the request has neither.
 */
static hc_status
peer_thumbprint(const hc_request *req, char *out, bool *have, hc_detail *d)
{
	unsigned char digest[HC_X5T_BYTES];
	char q[HC_QBUF];

	*have = false;
	out[0] = '\0';
	if (req == NULL)
		return HC_OK;
	if (req->peer_der != NULL) {
		hc_crypto()->sha256(req->peer_der, req->peer_der_len, digest);
		hc_b64url_encode(digest, sizeof(digest), out);
		*have = true;
	} else if (req->peer_x5t != NULL) {
		if (!x5t_canonical(req->peer_x5t, strlen(req->peer_x5t)))
			return hc_fail(d, HC_BINDING, "the peer thumbprint "
			    "given for the request, %s, is not 43 characters "
			    "of canonical base64url (RFC 8705 section 3.1)",
			    hc_quote(q, sizeof(q), req->peer_x5t));
		memcpy(out, req->peer_x5t, HC_X5T_LEN + 1);
		*have = true;
	}
	return HC_OK;
}

/*
 * cnf.x5t#S256 must be a canonical thumbprint equal to the peer
 * certificate's (RFC 8705 section 3), and the request must have a peer.
 */
static hc_status
check_x5t_s256(hc_ctx *c, const hc_json *value)
{
	char peer[HC_X5T_LEN + 1], q[HC_QBUF], q2[HC_QBUF];
	hc_detail *d = &c->res->detail;
	const char *x5t;
	bool have = false;
	hc_status st;

	if ((x5t = hc_json_string(value)) == NULL)
		return hc_fail(d, HC_BINDING, "cnf.x5t#S256 is a %s, not a "
		    "string", hc_json_type_name(hc_json_type_of(value)));
	if (!x5t_canonical(x5t, strlen(x5t)))
		return hc_fail(d, HC_BINDING, "cnf.x5t#S256 %s is not 43 "
		    "characters of canonical base64url without padding or "
		    "whitespace (RFC 8705 section 3.1)",
		    hc_quote(q, sizeof(q), x5t));
	if ((st = peer_thumbprint(c->req, peer, &have, d)) != HC_OK)
		return st;
	if (!have)
		return hc_fail(d, HC_BINDING, "token is bound to certificate "
		    "cnf.x5t#S256 %s and the request carries no peer "
		    "certificate (RFC 8705 section 3)", hc_quote(q, sizeof(q),
		    x5t));
	/* Both canonical, HC_X5T_LEN long: equal strings, equal digests. */
	if (hc_ct_memcmp(x5t, peer, HC_X5T_LEN) != 0)
		return hc_fail(d, HC_BINDING, "cnf.x5t#S256 %s does not match "
		    "the peer certificate's thumbprint %s (RFC 8705 section 3)",
		    hc_quote(q, sizeof(q), x5t),
		    hc_quote(q2, sizeof(q2), peer));
	return HC_OK;
}

/* ------------------------------------------------------ jkt (RFC 9449) */

hc_status
hc_cnf_jkt_match(const char *cnf_jkt, const char *proof_jkt, hc_detail *d)
{
	char q[HC_QBUF], q2[HC_QBUF];

	if (cnf_jkt == NULL)
		return hc_fail(d, HC_BINDING, "the access token has no cnf.jkt: "
		    "it is not bound to a DPoP key (RFC 9449 section 6.1)");
	/* A thumbprint has one spelling: padded or '+/' forms are refused. */
	if (!x5t_canonical(cnf_jkt, strlen(cnf_jkt)))
		return hc_fail(d, HC_BINDING, "cnf.jkt %s is not 43 characters "
		    "of canonical base64url without padding (RFC 9449 section "
		    "6.1)", hc_quote(q, sizeof(q), cnf_jkt));
	if (proof_jkt == NULL || strlen(proof_jkt) != HC_X5T_LEN ||
	    hc_ct_memcmp(cnf_jkt, proof_jkt, HC_X5T_LEN) != 0)
		return hc_fail(d, HC_BINDING, "cnf.jkt %s is not the thumbprint "
		    "%s of the DPoP proof's key (RFC 9449 section 6.1)",
		    hc_quote(q, sizeof(q), cnf_jkt), hc_quote(q2, sizeof(q2),
		    proof_jkt != NULL ? proof_jkt : ""));
	return HC_OK;
}
