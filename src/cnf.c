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
 * `jkt` (RFC 9449 section 6.1) is checked against the thumbprint of the
 * DPoP proof the pipeline verified for this request (pop_creds.c).
 * Adding a method is adding a row.  A row without a check is a method
 * hopcheck knows but cannot verify, and a token confirmed by it is
 * refused rather than accepted as a bearer token (RFC 9449 section 7.2).
 * A cnf with several methods must satisfy every one of them: a token
 * bound both to a certificate and to a DPoP key needs both proofs.
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
static hc_status check_jkt(hc_ctx *c, const hc_json *value);

/*
 * The confirmation methods, in the order a detail names them.  The rows
 * without a check confirm a key whose proof of possession hopcheck cannot
 * verify yet.
 */
static const struct cnf_method cnf_methods[] = {
	{ "x5t#S256", check_x5t_s256 },  /* RFC 8705 section 3.1 */
	{ "jkt", check_jkt },            /* RFC 9449 section 6.1 */
	{ "jwk", NULL },                 /* RFC 7800 section 3.2 */
	{ "jwe", NULL },                 /* RFC 7800 section 3.3 */
	{ "jku", NULL },                 /* RFC 7800 section 3.5 */
	{ "kid", NULL },                 /* RFC 7800 section 3.4 */
};

#define NMETHODS (sizeof(cnf_methods) / sizeof(cnf_methods[0]))

/* -------------------------------------------------------------------- API */

/*
 * The dispatcher.  Every method the cnf carries must have a check here,
 * and every check must pass: a token bound to two proofs needs both.
 */
hc_status
hc_cnf_check(hc_ctx *c)
{
	const hc_json *cnf = hc_json_get(c->payload, "cnf");
	const struct cnf_method *m = NULL;
	hc_detail *d = &c->res->detail;
	hc_status st;

	for (size_t i = 0; i < NMETHODS; i++) {
		if (hc_json_get(cnf, cnf_methods[i].member) == NULL)
			continue;
		m = &cnf_methods[i];
		if (m->check == NULL)
			return hc_fail(d, HC_BINDING, "token is confirmed by "
			    "cnf.%s, a proof of possession hopcheck cannot "
			    "verify; a sender-constrained token is not accepted "
			    "as a bearer token (RFC 9449 section 7.2)",
			    m->member);
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
	for (size_t i = 0; i < NMETHODS; i++) {
		const hc_json *v = hc_json_get(cnf, cnf_methods[i].member);
		if (v != NULL && (st = cnf_methods[i].check(c, v)) != HC_OK)
			return st;
	}
	return HC_OK;
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

/*
 * cnf.jkt must name the key of the DPoP proof verified for this request
 * (RFC 9449 sections 6.1 and 7.1); without one the token is refused.
 */
static hc_status
check_jkt(hc_ctx *c, const hc_json *value)
{
	if (!c->dpop_ok)
		return hc_fail(&c->res->detail, HC_BINDING, "token is bound to "
		    "a DPoP key (cnf.jkt) and no DPoP proof was verified for "
		    "this request (%s)", c->pol->dpop.mode == HC_MODE_OFF ?
		    "dpop.mode is off" : "RFC 9449 section 7.1");
	return hc_cnf_jkt_match(hc_json_string(value), c->dpop.jkt,
	    &c->res->detail);
}

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
