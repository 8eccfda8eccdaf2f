/*
 * binding.c - workload identity: the RFC 8705 certificate binding of a
 * token, the peer's SPIFFE ID against the party the token names, and the
 * Envoy x-forwarded-client-cert header that carries both from a proxy.
 *
 * hc_binding_check() is the layer-3 step of DESIGN.md "Workload identity".
 * It runs after the act chain has been read and before delegation policy,
 * and does two independent checks, each under its own setting:
 *
 *   binding.mtls: `cnf.x5t#S256` (RFC 8705 section 3.1) against the SHA-256
 *   thumbprint of the peer's leaf certificate, computed here from its DER,
 *   or handed over already computed by a trusted front proxy;
 *
 *   binding.peer_identity: the peer's SPIFFE ID against the current actor
 *   (outermost act.sub, RFC 8693 section 4.1) or, for a token without act,
 *   against its client (client_id, else sub), mapped through
 *   binding.identities when the token names an OAuth client id.
 *
 * The binding is to the leaf, the certificate the peer authenticated with
 * (RFC 8705 section 3), never to a CA or intermediate.  A leaf that says
 * it is a workload (it has a URI SAN) must be a valid X.509-SVID: exactly
 * one URI SAN holding a SPIFFE ID with a path, cA false, neither
 * keyCertSign nor cRLSign (X509-SVID sections 2 and 5.2); anything else is
 * refused as a peer identity (HC_PEER) whenever identity is checked.  A
 * leaf without any URI SAN is an ordinary mTLS client certificate: it can
 * carry an RFC 8705 binding, but no identity.
 *
 * Every comparison is byte-exact, on canonical forms only: a thumbprint is
 * 43 characters of canonical base64url (the strict decoder of b64url.c
 * gives every digest exactly one accepted spelling), and SPIFFE IDs pass
 * the grammar of spiffe.c, which admits one spelling per identity.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "binding.h"
#include "validator.h"

/* A SHA-256 thumbprint: 32 bytes, 43 base64url characters. */
#define X5T_BYTES 32
#define X5T_LEN HC_B64URL_ENCODED_LEN(X5T_BYTES)

/*
 * cnf members (RFC 7800 section 3; RFC 9449 section 6.1) that confirm a
 * key other than a certificate: each demands a proof of possession that
 * hopcheck cannot check.
 */
static const char *const other_pop_members[] = {
	"jkt", "jwk", "jwe", "jku", "kid", NULL
};

/* One value of an XFCC key=value pair, as it stands in the header. */
struct xfcc_span {
	const char *p;
	size_t len;
};

/* The fields of one XFCC element that hopcheck reads. */
struct xfcc_elem {
	struct xfcc_span hash, cert, uri;
	size_t nhash, ncert, nuri, npairs;
};

/* What an XFCC element says about the peer. */
struct xfcc_peer {
	bool has_x5t;
	char x5t[X5T_LEN + 1];
	char *spiffe_id;         /* heap, or NULL */
	unsigned char *der;      /* the leaf from Cert (heap), or NULL */
	size_t derlen;
};

/* ------------------------------------------------------ private prototypes */

static bool x5t_canonical(const char *s, size_t len);
static hc_status peer_thumbprint(const hc_request *req, char *out,
    bool *have, hc_detail *d);
static const char *other_pop_member(const hc_json *cnf);
static hc_status check_mtls(hc_ctx *c);
static hc_status svid_identity(const hc_request *req,
    hc_x509_identity *ident, const char **id, const char **none,
    hc_detail *d);
static hc_status check_spiffe_id(const char *id, const char *what,
    hc_detail *d);
static hc_status expected_identity(hc_ctx *c, const char **want,
    const char **raw, const char **what);
static hc_status check_peer(hc_ctx *c);

static bool is_tchar(unsigned char ch);
static bool is_ows(char ch);
static bool is_bare(char ch);
static bool key_is(const char *k, size_t klen, const char *name);
static hc_status xfcc_record(struct xfcc_elem *e, const char *k,
    size_t klen, struct xfcc_span v, size_t elem, hc_detail *d);
static hc_status xfcc_value(const char *v, size_t len, size_t *i,
    struct xfcc_span *val, hc_detail *d);
static hc_status xfcc_scan(const char *v, size_t len,
    struct xfcc_elem *last, hc_detail *d);
static int hex_value(unsigned char ch);
static hc_status xfcc_hash(const struct xfcc_span *s, unsigned char *out,
    hc_detail *d);
static hc_status xfcc_cert(const struct xfcc_span *s, unsigned char **der,
    size_t *derlen, hc_detail *d);
static hc_status xfcc_from_cert(const struct xfcc_elem *e,
    const unsigned char *hash, struct xfcc_peer *out, hc_detail *d);
static hc_status xfcc_read(const char *value, size_t len,
    struct xfcc_peer *out, hc_detail *d);
static void xfcc_peer_clear(struct xfcc_peer *p);

/* -------------------------------------------------------------------- API */

hc_status
hc_binding_check(hc_ctx *c)
{
	hc_status st;

	if (c->pol->mtls != HC_MODE_OFF && (st = check_mtls(c)) != HC_OK)
		return st;
	if (c->pol->peer_identity != HC_MODE_OFF)
		return check_peer(c);
	return HC_OK;
}

hc_status
hc_xfcc_parse(const char *value, size_t len, char **x5t_b64url,
    char **spiffe_id, hc_detail *d)
{
	struct xfcc_peer p;
	hc_status st;

	*x5t_b64url = NULL;
	*spiffe_id = NULL;
	if ((st = xfcc_read(value, len, &p, d)) != HC_OK)
		return st;
	if (p.has_x5t && (*x5t_b64url = hc_strdup(p.x5t)) == NULL) {
		xfcc_peer_clear(&p);
		return hc_fail(d, HC_INTERNAL, "out of memory");
	}
	*spiffe_id = p.spiffe_id;
	p.spiffe_id = NULL;
	xfcc_peer_clear(&p);
	return HC_OK;
}

/*
 * With a `Cert`, the request gets the leaf itself, so that binding sees
 * exactly what it would see from a TLS layer (and makes the leaf checks of
 * X509-SVID section 5.2); otherwise the thumbprint and SPIFFE ID.
 */
HC_EXPORT hc_status
hc_request_set_xfcc(hc_request *req, const char *value, size_t len)
{
	struct xfcc_peer p;
	hc_status st;

	if (req == NULL)
		return HC_INTERNAL;
	if ((st = xfcc_read(value, len, &p, NULL)) != HC_OK)
		return st;
	if (p.der != NULL)
		st = hc_request_set_peer_cert(req, p.der, p.derlen);
	else
		st = hc_request_set_peer_identity(req, p.has_x5t ? p.x5t : NULL,
		    p.spiffe_id);
	xfcc_peer_clear(&p);
	return st;
}

/* ----------------------------------------------------- certificate binding */

/*
 * Whether `len` bytes of `s` are a thumbprint as RFC 8705 section 3.1
 * writes one: base64url of 32 bytes, no padding, no whitespace, and (by
 * the strict decoder) canonical trailing bits.
 */
static bool
x5t_canonical(const char *s, size_t len)
{
	unsigned char buf[HC_B64URL_DECODED_MAX(X5T_LEN)];
	size_t n;

	return len == X5T_LEN &&
	    hc_b64url_decode(s, len, buf, sizeof(buf), &n) == 0 &&
	    n == X5T_BYTES;
}

/*
 * The peer's thumbprint into out (X5T_LEN + 1 bytes): computed over the
 * leaf's DER when the request has it, else the one a trusted proxy passed.
 * *have is false when the request has neither.
 */
static hc_status
peer_thumbprint(const hc_request *req, char *out, bool *have, hc_detail *d)
{
	unsigned char digest[X5T_BYTES];
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
		memcpy(out, req->peer_x5t, X5T_LEN + 1);
		*have = true;
	}
	return HC_OK;
}

/* The first member of cnf that confirms a non-certificate key, or NULL. */
static const char *
other_pop_member(const hc_json *cnf)
{
	for (size_t i = 0; other_pop_members[i] != NULL; i++)
		if (hc_json_get(cnf, other_pop_members[i]) != NULL)
			return other_pop_members[i];
	return NULL;
}

/*
 * binding.mtls.  "required": the token must carry cnf.x5t#S256 equal to
 * the peer's thumbprint.  "if_present": a token that carries one must
 * match, one that carries no cnf passes.  Either way a token confirmed by
 * a key hopcheck cannot check (DPoP `jkt`, RFC 7800 `jwk`, ...) is
 * refused: accepting it would turn a sender-constrained token into a
 * bearer token (RFC 9449 section 7.2).  Members no specification defines
 * are ignored (RFC 7800 section 3.1), which leaves the token unbound.
 */
static hc_status
check_mtls(hc_ctx *c)
{
	const hc_json *cnf = hc_json_get(c->payload, "cnf"), *j = NULL;
	const char *other = NULL, *x5t;
	char peer[X5T_LEN + 1], q[HC_QBUF], q2[HC_QBUF];
	hc_detail *d = &c->res->detail;
	bool have = false;
	hc_status st;

	if (cnf != NULL) {
		j = hc_json_get(cnf, "x5t#S256");
		other = other_pop_member(cnf);
	}
	if (j == NULL) {
		if (other != NULL)
			return hc_fail(d, HC_BINDING, "token is confirmed by "
			    "cnf.%s, a proof of possession hopcheck cannot "
			    "verify; a sender-constrained token is not "
			    "accepted as a bearer token (RFC 9449 section 7.2)",
			    other);
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
	if (other != NULL)
		return hc_fail(d, HC_BINDING, "cnf carries both x5t#S256 and "
		    "%s; it must confirm a single proof-of-possession key "
		    "(RFC 7800 section 3.1)", other);
	if ((x5t = hc_json_string(j)) == NULL)
		return hc_fail(d, HC_BINDING, "cnf.x5t#S256 is a %s, not a "
		    "string", hc_json_type_name(hc_json_type_of(j)));
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
	/* Both are canonical and X5T_LEN long: equal strings, equal digests. */
	if (hc_ct_memcmp(x5t, peer, X5T_LEN) != 0)
		return hc_fail(d, HC_BINDING, "cnf.x5t#S256 %s does not match "
		    "the peer certificate's thumbprint %s (RFC 8705 section 3)",
		    hc_quote(q, sizeof(q), x5t),
		    hc_quote(q2, sizeof(q2), peer));
	return HC_OK;
}

/* ----------------------------------------------------------- peer identity */

/*
 * Checks a SPIFFE ID that is to stand for a workload: the grammar of
 * spiffe.c and a path (X509-SVID section 5.2: "a non-root path
 * component").  HC_PEER with a reason naming `what` otherwise.
 */
static hc_status
check_spiffe_id(const char *id, const char *what, hc_detail *d)
{
	char q[HC_QBUF];
	size_t len = strlen(id), td_len = 0;
	hc_detail why;

	why.text[0] = '\0';
	if (hc_spiffe_id_check(id, len, &td_len, &why) != HC_OK)
		return hc_fail(d, HC_PEER, "%s %s is not a valid SPIFFE ID, so "
		    "no workload identity (X509-SVID section 5.2): %s", what,
		    hc_quote(q, sizeof(q), id), why.text);
	if (HC_SPIFFE_SCHEME_LEN + td_len >= len)
		return hc_fail(d, HC_PEER, "%s %s has no path: it names a "
		    "trust domain, not a workload (X509-SVID section 5.2)",
		    what, hc_quote(q, sizeof(q), id));
	return HC_OK;
}

hc_status
hc_peer_spiffe_id(const hc_request *req, char **out, hc_detail *d)
{
	hc_x509_identity ident;
	const char *id = NULL, *none = NULL;
	hc_status st;

	*out = NULL;
	memset(&ident, 0, sizeof(ident));
	st = svid_identity(req, &ident, &id, &none, d);
	if (st == HC_OK && id != NULL && (*out = strdup(id)) == NULL)
		st = hc_fail(d, HC_INTERNAL, "out of memory");
	hc_x509_identity_clear(&ident);
	return st;
}

/*
 * The peer's workload identity.  On HC_OK, *id is the peer's SPIFFE ID
 * (borrowed from the request or from *ident, which the caller clears), or
 * NULL with *none saying why there is none.  HC_PEER when the peer claims
 * an identity that is not a valid X.509-SVID (X509-SVID sections 2, 5.2).
 */
static hc_status
svid_identity(const hc_request *req, hc_x509_identity *ident,
    const char **id, const char **none, hc_detail *d)
{
	hc_detail why;

	*id = NULL;
	*none = NULL;
	why.text[0] = '\0';
	if (req == NULL || !req->has_peer) {
		*none = "the request carries no peer certificate or identity";
		return HC_OK;
	}
	if (req->peer_der == NULL) {
		if (req->peer_spiffe_id == NULL) {
			*none = "the peer identity given for the request has a "
			    "thumbprint but no SPIFFE ID";
			return HC_OK;
		}
		*id = req->peer_spiffe_id;
		return check_spiffe_id(*id, "peer SPIFFE ID", d);
	}
	if (hc_x509_identity_of(req->peer_der, req->peer_der_len, ident,
	    &why) != HC_OK)
		return hc_fail(d, HC_PEER, "the peer certificate's names "
		    "cannot be read: %s", why.text);
	if (ident->uri_sans == 0) {
		*none = "the peer certificate has no URI SAN, so it is no "
		    "X.509-SVID (X509-SVID section 2)";
		return HC_OK;
	}
	if (ident->uri_sans > 1)
		return hc_fail(d, HC_PEER, "the peer certificate has %zu URI "
		    "SANs; an X.509-SVID has exactly one (X509-SVID section 2)",
		    ident->uri_sans);
	if (ident->is_ca)
		return hc_fail(d, HC_PEER, "the peer certificate is a CA "
		    "certificate (basicConstraints cA=true), not a leaf SVID "
		    "(X509-SVID section 5.2)");
	if (ident->key_cert_sign)
		return hc_fail(d, HC_PEER, "the peer certificate's keyUsage "
		    "has keyCertSign or cRLSign, which a leaf SVID must not "
		    "have (X509-SVID section 5.2)");
	*id = ident->spiffe_id;
	return check_spiffe_id(*id, "the peer certificate's URI SAN", d);
}

/*
 * The SPIFFE ID the peer must have: the current actor's for a token with
 * act (RFC 8693 section 4.1), else the client's (client_id, else sub).  An
 * identifier that is not a SPIFFE ID (an OAuth client id) is mapped through
 * binding.identities.  *raw is what the token says, *what names it.
 */
static hc_status
expected_identity(hc_ctx *c, const char **want, const char **raw,
    const char **what)
{
	const hc_result *r = c->res;
	hc_detail *d = &c->res->detail;
	char q[HC_QBUF];
	hc_detail why;
	size_t td_len;

	*want = NULL;
	if (r->nactors > 0) {
		*raw = r->actors[0];
		*what = "the current actor (act.sub)";
	} else if (r->client != NULL) {
		*raw = r->client;
		*what = hc_json_get(c->payload, "client_id") != NULL ?
		    "the client (client_id)" : "the client (sub)";
	} else {
		return hc_fail(d, HC_PEER, "the token names no act, "
		    "client_id or sub to compare with the peer's identity");
	}
	if (hc_spiffe_id_check(*raw, strlen(*raw), &td_len, &why) == HC_OK) {
		*want = *raw;
		return HC_OK;
	}
	for (size_t i = 0; i < c->pol->nidentities; i++) {
		const hc_identity_map *m = &c->pol->identities[i];
		if (m->client_id != NULL && m->spiffe_id != NULL &&
		    strcmp(m->client_id, *raw) == 0) {
			*want = m->spiffe_id;
			return HC_OK;
		}
	}
	return hc_fail(d, HC_PEER, "%s %s is not a SPIFFE ID and "
	    "binding.identities does not map it to one, so no peer can be "
	    "shown to be it", *what, hc_quote(q, sizeof(q), *raw));
}

/*
 * binding.peer_identity.  "required": the peer must have a workload
 * identity, equal to the expected one.  "if_present": the same, but only
 * when the peer has an identity at all.
 */
static hc_status
check_peer(hc_ctx *c)
{
	hc_detail *d = &c->res->detail;
	hc_x509_identity ident;
	const char *id, *none, *want, *raw = NULL, *what = NULL;
	char q[HC_QBUF], q2[HC_QBUF], q3[HC_QBUF];
	hc_status st;

	memset(&ident, 0, sizeof(ident));
	if ((st = svid_identity(c->req, &ident, &id, &none, d)) != HC_OK)
		goto out;
	if (id == NULL) {
		if (c->pol->peer_identity == HC_MODE_REQUIRED)
			st = hc_fail(d, HC_PEER, "binding.peer_identity is "
			    "required and %s", none);
		goto out;
	}
	if ((st = expected_identity(c, &want, &raw, &what)) != HC_OK)
		goto out;
	if (strcmp(id, want) != 0) {
		if (want == raw)
			st = hc_fail(d, HC_PEER, "peer %s is not %s %s",
			    hc_quote(q, sizeof(q), id), what,
			    hc_quote(q2, sizeof(q2), want));
		else
			st = hc_fail(d, HC_PEER, "peer %s is not %s %s, which "
			    "binding.identities maps to %s",
			    hc_quote(q, sizeof(q), id), what,
			    hc_quote(q2, sizeof(q2), raw),
			    hc_quote(q3, sizeof(q3), want));
	}
out:
	hc_x509_identity_clear(&ident);
	return st;
}

/* ------------------------------------------------------------------- XFCC */

/*
 * Envoy's x-forwarded-client-cert, text format (Envoy documentation,
 * "HTTP header manipulation", section x-forwarded-client-cert;
 * docs/root/configuration/http/http_conn_man/headers.rst): elements
 * separated by ',', each added by one proxy; in an element, key=value
 * pairs separated by ';'; keys case-insensitive, values case-sensitive,
 * double-quoted when they hold ',', ';' or '=', with \" for a quote.
 *
 * Which element: "A proxy can append the current client certificate
 * information as an XFCC element, to the end of the request's XFCC header
 * after a comma" (same section), and Envoy removes the header altogether
 * when the connection it terminated was not mutual TLS, except in the
 * FORWARD_ONLY / ALWAYS_FORWARD_ONLY modes (mutateXfccRequestHeader in
 * source/common/http/conn_manager_utility.cc).  So the last element is the
 * one the nearest proxy, the trusted front proxy, wrote about the peer it
 * authenticated; earlier elements are whatever that peer chose to send and
 * are never believed.  The whole header is still parsed strictly, so that
 * an unbalanced quote in an earlier element cannot swallow the separator
 * of the last one.
 */

/* Every XFCC reason starts with the header's name. */
static hc_status xfcc_fail(hc_detail *d, hc_status st, const char *fmt, ...)
    HC_PRINTF(3, 4);

static hc_status
xfcc_fail(hc_detail *d, hc_status st, const char *fmt, ...)
{
	char msg[HC_DETAIL_MAX];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return hc_fail(d, st, "x-forwarded-client-cert: %s", msg);
}

/* RFC 9110 section 5.6.2: tchar. */
static bool
is_tchar(unsigned char ch)
{
	if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	    (ch >= '0' && ch <= '9'))
		return true;
	return ch != '\0' && strchr("!#$%&'*+-.^_`|~", ch) != NULL;
}

/* RFC 9110 section 5.6.3: OWS, as a list of field lines adds it. */
static bool
is_ows(char ch)
{
	return ch == ' ' || ch == '\t';
}

/* A byte of an unquoted value: visible ASCII but for '"', '\', ';', ','. */
static bool
is_bare(char ch)
{
	return ch > 0x20 && ch < 0x7f && ch != '"' && ch != '\\' &&
	    ch != ';' && ch != ',';
}

static bool
key_is(const char *k, size_t klen, const char *name)
{
	return klen == strlen(name) && strncasecmp(k, name, klen) == 0;
}

/* Notes one pair of element number `elem` (1-based) in *e. */
static hc_status
xfcc_record(struct xfcc_elem *e, const char *k, size_t klen,
    struct xfcc_span v, size_t elem, hc_detail *d)
{
	if (++e->npairs > HC_MAX_XFCC_PAIRS)
		return xfcc_fail(d, HC_MALFORMED, "element %zu has more than "
		    "%d pairs", elem, HC_MAX_XFCC_PAIRS);
	if (key_is(k, klen, "Hash")) {
		if (e->nhash++ > 0)
			return xfcc_fail(d, HC_MALFORMED, "element %zu has "
			    "two Hash keys", elem);
		e->hash = v;
	} else if (key_is(k, klen, "Cert")) {
		if (e->ncert++ > 0)
			return xfcc_fail(d, HC_MALFORMED, "element %zu has "
			    "two Cert keys", elem);
		e->cert = v;
	} else if (key_is(k, klen, "URI")) {
		/* Envoy writes "URI=" for a certificate without one. */
		if (v.len > 0 && e->nuri++ == 0)
			e->uri = v;
	}
	return HC_OK;
}

/*
 * Reads the value that starts at v[*i] into *val and moves *i past it.  A
 * quoted value runs to the next unescaped '"' (a backslash escapes the
 * byte after it) and may hold any byte but a control byte; an unquoted one
 * is a run of is_bare() bytes.
 */
static hc_status
xfcc_value(const char *v, size_t len, size_t *i, struct xfcc_span *val,
    hc_detail *d)
{
	size_t k = *i;

	if (k >= len || v[k] != '"') {
		val->p = v + k;
		while (k < len && is_bare(v[k]))
			k++;
		val->len = (size_t)(v + k - val->p);
		*i = k;
		return HC_OK;
	}
	val->p = v + ++k;
	while (k < len && v[k] != '"') {
		unsigned char ch = (unsigned char)v[k];

		if ((ch < 0x20 && ch != '\t') || ch == 0x7f)
			return xfcc_fail(d, HC_MALFORMED, "control byte "
			    "0x%02x at offset %zu", ch, k);
		k += ch == '\\' ? 2 : 1;
	}
	if (k >= len)
		return xfcc_fail(d, HC_MALFORMED, "quoted value at offset "
		    "%zu is not closed", *i);
	val->len = (size_t)(v + k - val->p);
	*i = k + 1;
	return HC_OK;
}

/*
 * Tokenises the whole header and leaves the fields of its last element in
 * *last.  Empty elements, pairs without '=' and stray bytes after a value
 * are errors.
 */
static hc_status
xfcc_scan(const char *v, size_t len, struct xfcc_elem *last, hc_detail *d)
{
	struct xfcc_elem e;
	struct xfcc_span val = { NULL, 0 };
	size_t i = 0, elem = 0, ks, klen;
	hc_status st;

	for (;;) {
		memset(&e, 0, sizeof(e));
		elem++;
		while (i < len && is_ows(v[i]))
			i++;
		if (i >= len || v[i] == ',')
			return xfcc_fail(d, HC_MALFORMED, "element %zu is "
			    "empty", elem);
		for (;;) {
			for (ks = i; i < len && is_tchar((unsigned char)v[i]);)
				i++;
			klen = i - ks;
			if (klen == 0 || i >= len || v[i] != '=')
				return xfcc_fail(d, HC_MALFORMED, "element "
				    "%zu: no key=value at offset %zu", elem,
				    ks);
			i++;
			if ((st = xfcc_value(v, len, &i, &val, d)) != HC_OK ||
			    (st = xfcc_record(&e, v + ks, klen, val, elem,
			    d)) != HC_OK)
				return st;
			while (i < len && is_ows(v[i]))
				i++;
			if (i >= len) {
				*last = e;
				return HC_OK;
			}
			if (v[i++] == ',')
				break;
			if (v[i - 1] != ';')
				return xfcc_fail(d, HC_MALFORMED, "element "
				    "%zu: unexpected byte 0x%02x at offset %zu",
				    elem, (unsigned char)v[i - 1], i - 1);
		}
	}
}

static int
hex_value(unsigned char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* `Hash`: the SHA-256 of the DER leaf as exactly 64 hex digits. */
static hc_status
xfcc_hash(const struct xfcc_span *s, unsigned char *out, hc_detail *d)
{
	if (s->len != 2 * X5T_BYTES)
		return xfcc_fail(d, HC_MALFORMED, "Hash is %zu characters, "
		    "not the %d hex digits of a SHA-256 digest", s->len,
		    2 * X5T_BYTES);
	for (size_t i = 0; i < X5T_BYTES; i++) {
		int hi = hex_value((unsigned char)s->p[2 * i]);
		int lo = hex_value((unsigned char)s->p[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return xfcc_fail(d, HC_MALFORMED, "Hash has a "
			    "non-hex character near offset %zu", 2 * i);
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return HC_OK;
}

/*
 * `Cert`: the URL-encoded PEM leaf.  Percent-escapes are decoded (RFC 3986
 * section 2.1); any other byte stands for itself and must be visible
 * ASCII.  The result goes through hc_x509_to_der(), so the thumbprint is
 * always taken over the DER of the first certificate, never over the text.
 */
static hc_status
xfcc_cert(const struct xfcc_span *s, unsigned char **der, size_t *derlen,
    hc_detail *d)
{
	unsigned char *pem;
	size_t n = 0;
	hc_detail why;
	hc_status st = HC_OK;

	*der = NULL;
	*derlen = 0;
	why.text[0] = '\0';
	if ((pem = malloc(s->len + 1)) == NULL)
		return hc_fail(d, HC_INTERNAL, "out of memory");
	for (size_t i = 0; i < s->len && st == HC_OK; i++) {
		unsigned char ch = (unsigned char)s->p[i];
		int hi = -1, lo = -1;

		if (ch != '%') {
			if (ch > 0x20 && ch < 0x7f && ch != '"' && ch != '\\')
				pem[n++] = ch;
			else
				st = xfcc_fail(d, HC_MALFORMED, "Cert has byte "
				    "0x%02x at offset %zu; it must be "
				    "URL-encoded", ch, i);
			continue;
		}
		if (i + 2 < s->len) {
			hi = hex_value((unsigned char)s->p[i + 1]);
			lo = hex_value((unsigned char)s->p[i + 2]);
		}
		if (hi < 0 || lo < 0)
			st = xfcc_fail(d, HC_MALFORMED, "Cert has a bad "
			    "percent-escape at offset %zu", i);
		else
			pem[n++] = (unsigned char)(hi << 4 | lo);
		i += 2;
	}
	if (st == HC_OK && n > HC_MAX_CERT_BYTES)
		st = xfcc_fail(d, HC_MALFORMED, "Cert is %zu bytes, over the "
		    "limit of %d", n, HC_MAX_CERT_BYTES);
	if (st == HC_OK &&
	    (st = hc_x509_to_der(pem, n, der, derlen, &why)) != HC_OK)
		st = xfcc_fail(d, st, "Cert: %s", why.text);
	free(pem);
	return st;
}

/*
 * With `Cert`: the leaf's DER, its thumbprint (which `Hash`, if any, must
 * equal) and its only URI SAN (which `URI`, if any, must equal).
 */
static hc_status
xfcc_from_cert(const struct xfcc_elem *e, const unsigned char *hash,
    struct xfcc_peer *out, hc_detail *d)
{
	unsigned char digest[X5T_BYTES];
	hc_x509_identity ident;
	char q[HC_QBUF], q2[HC_QBUF], uri[HC_MAX_SPIFFE_ID_BYTES + 1];
	hc_detail why;
	hc_status st;

	why.text[0] = '\0';
	if ((st = xfcc_cert(&e->cert, &out->der, &out->derlen, d)) != HC_OK)
		return st;
	hc_crypto()->sha256(out->der, out->derlen, digest);
	if (e->nhash > 0 && hc_ct_memcmp(hash, digest, X5T_BYTES) != 0)
		return xfcc_fail(d, HC_BINDING, "Hash is not the SHA-256 of "
		    "the DER of Cert");
	if (hc_x509_identity_of(out->der, out->derlen, &ident, &why) != HC_OK)
		return xfcc_fail(d, HC_PEER, "Cert: %s", why.text);
	if (ident.uri_sans > 1) {
		st = xfcc_fail(d, HC_PEER, "Cert has %zu URI SANs; an "
		    "X.509-SVID has exactly one (X509-SVID section 2)",
		    ident.uri_sans);
		goto out;
	}
	if (e->nuri > 0) {
		memcpy(uri, e->uri.p, e->uri.len);
		uri[e->uri.len] = '\0';
		if (ident.spiffe_id == NULL ||
		    strcmp(ident.spiffe_id, uri) != 0) {
			st = xfcc_fail(d, HC_PEER, "URI %s is not the URI SAN "
			    "of Cert (%s)", hc_quote(q, sizeof(q), uri),
			    hc_quote(q2, sizeof(q2), ident.spiffe_id));
			goto out;
		}
	}
	hc_b64url_encode(digest, sizeof(digest), out->x5t);
	out->has_x5t = true;
	out->spiffe_id = ident.spiffe_id;
	ident.spiffe_id = NULL;
out:
	hc_x509_identity_clear(&ident);
	return st;
}

/* Reads the last element of an XFCC value into *out (see hc_xfcc_parse). */
static hc_status
xfcc_read(const char *value, size_t len, struct xfcc_peer *out,
    hc_detail *d)
{
	unsigned char hash[X5T_BYTES];
	struct xfcc_elem e;
	size_t i;
	hc_status st;

	memset(out, 0, sizeof(*out));
	memset(&e, 0, sizeof(e));
	if (value == NULL || len == 0)
		return xfcc_fail(d, HC_MALFORMED, "empty");
	if (len > HC_MAX_XFCC_BYTES)
		return xfcc_fail(d, HC_MALFORMED, "%zu bytes, over the limit "
		    "of %d", len, HC_MAX_XFCC_BYTES);
	for (i = 0; i < len && is_ows(value[i]); i++)
		;
	if (i < len && (value[i] == '[' || value[i] == '{'))
		return xfcc_fail(d, HC_MALFORMED, "Envoy's JSON format is not "
		    "read, only its text format");
	if ((st = xfcc_scan(value, len, &e, d)) != HC_OK)
		return st;
	if (e.nhash == 0 && e.ncert == 0 && e.nuri == 0)
		return xfcc_fail(d, HC_MALFORMED, "the last element has no "
		    "Hash, Cert or URI");
	if (e.nuri > 1)
		return xfcc_fail(d, HC_PEER, "the last element lists %zu URI "
		    "SANs; an X.509-SVID has exactly one (X509-SVID section "
		    "2)", e.nuri);
	if (e.uri.len > HC_MAX_SPIFFE_ID_BYTES)
		return xfcc_fail(d, HC_MALFORMED, "URI is %zu bytes, longer "
		    "than a SPIFFE ID may be (%d)", e.uri.len,
		    HC_MAX_SPIFFE_ID_BYTES);
	if (e.uri.len > 0 && memchr(e.uri.p, '\\', e.uri.len) != NULL)
		return xfcc_fail(d, HC_MALFORMED, "URI holds a backslash");
	if (e.nhash > 0 && (st = xfcc_hash(&e.hash, hash, d)) != HC_OK)
		return st;

	if (e.ncert > 0)
		st = xfcc_from_cert(&e, hash, out, d);
	else {
		if (e.nhash > 0) {
			hc_b64url_encode(hash, sizeof(hash), out->x5t);
			out->has_x5t = true;
		}
		if (e.nuri > 0 &&
		    (out->spiffe_id = strndup(e.uri.p, e.uri.len)) == NULL)
			st = hc_fail(d, HC_INTERNAL, "out of memory");
	}
	if (st != HC_OK)
		xfcc_peer_clear(out);
	return st;
}

static void
xfcc_peer_clear(struct xfcc_peer *p)
{
	free(p->spiffe_id);
	free(p->der);
	memset(p, 0, sizeof(*p));
}
