/* SPDX-License-Identifier: Apache-2.0 */
/*
 * peer.c - the peer's workload identity: is the peer a workload, which
 * one, and is it the party the token names?
 *
 * The peer is described by the request: its leaf certificate (from a TLS
 * layer, or from a trusted proxy's XFCC `Cert`), or a SPIFFE ID a trusted
 * proxy passed.  A leaf that says it is a workload (it has a URI SAN) must
 * be a valid X.509-SVID: exactly one URI SAN holding a SPIFFE ID with a
 * path, cA false, neither keyCertSign nor cRLSign (X509-SVID sections 2
 * and 5.2); anything else is refused as a peer identity (HC_PEER) whenever
 * identity is checked.  A leaf without any URI SAN is an ordinary mTLS
 * client certificate: no identity.
 *
 * A verified WIMSE WIT's `sub` (pop_creds.c) is an identity of the same
 * standing: the context's caller, a Workload Identifier of any scheme.
 *
 * The party the token names is its current actor (outermost act.sub, RFC
 * 8693 section 4.1) or, without act, its client (client_id, else sub).
 * When that is an OAuth client id rather than a Workload Identifier,
 * binding.identities says which workload it stands for; hc_peer_workload()
 * is the one copy of that rule, shared with delegation.direct_callers
 * (chain.c) so that both steps judge one caller.
 *
 * Every comparison is byte-exact on the full URI: SPIFFE IDs pass the
 * grammar of spiffe.c, other Workload Identifiers that of wid.c.
 */
#include <stdlib.h>
#include <string.h>

#include "peer.h"
#include "wimse.h"

/* ------------------------------------------------------ private prototypes */

static hc_status check_spiffe_id(const char *id, const char *what,
    hc_detail *d);
static hc_status svid_identity(const hc_request *req,
    hc_x509_identity *ident, const char **id, const char **none,
    hc_detail *d);
static hc_status expected_identity(hc_ctx *c, const char **want,
    const char **raw, const char **what);

/* -------------------------------------------------------------------- API */

const char *
hc_peer_workload(const hc_policy *p, const char *id, bool *mapped)
{
	size_t td_len;

	if (mapped != NULL)
		*mapped = false;
	if (hc_spiffe_id_check(id, strlen(id), &td_len, NULL) == HC_OK)
		return id;
	for (size_t i = 0; i < p->nidentities; i++) {
		const hc_identity_map *m = &p->identities[i];
		if (m->client_id != NULL && m->spiffe_id != NULL &&
		    strcmp(m->client_id, id) == 0) {
			if (mapped != NULL)
				*mapped = true;
			return m->spiffe_id;
		}
	}
	/* Any Workload Identifier (draft-ietf-wimse-identifier 4.1). */
	if (hc_wid_check(id, strlen(id), NULL, NULL, NULL) == HC_OK)
		return id;
	return NULL;
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
	if ((*want = hc_peer_workload(c->pol, *raw, NULL)) != NULL)
		return HC_OK;
	return hc_fail(d, HC_PEER, "%s %s is not a SPIFFE ID and "
	    "binding.identities does not map it to one, so no peer can be "
	    "shown to be it", *what, hc_quote(q, sizeof(q), *raw));
}

/*
 * binding.peer_identity.  "required": the peer must have a workload
 * identity, equal to the expected one.  "if_present": the same, but only
 * when the peer has an identity at all.
 */
hc_status
hc_peer_check(hc_ctx *c)
{
	hc_detail *d = &c->res->detail;
	hc_x509_identity ident;
	const char *id, *none, *want, *raw = NULL, *what = NULL;
	char q[HC_QBUF], q2[HC_QBUF], q3[HC_QBUF];
	hc_status st = HC_OK;

	memset(&ident, 0, sizeof(ident));
	/* A verified WIT's sub (pop_creds.c) is the caller, as a URI SAN. */
	if ((id = c->peer_id) == NULL &&
	    (st = svid_identity(c->req, &ident, &id, &none, d)) != HC_OK)
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
