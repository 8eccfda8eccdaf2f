/* SPDX-License-Identifier: Apache-2.0 */
/*
 * x509.c - the X.509 helper: a peer's leaf certificate, as bytes and as
 * what it says about the workload presenting it.
 *
 * It never calls a crypto library: the backend (crypto.h, x509_leaf and
 * x509_pem_first) parses, and this file keeps the rules.  It does two
 * things and no more:
 *
 *  - hc_x509_to_der() turns what a TLS layer or a front proxy hands over
 *    (DER, or PEM text whose first CERTIFICATE block is the leaf) into the
 *    leaf's exact DER bytes, the input of the RFC 8705 section 3.1
 *    thumbprint.  The bytes must parse as one certificate and nothing may
 *    trail it, so that the thumbprint is taken over the certificate and
 *    never over a chain, a PEM text or a certificate plus garbage.
 *  - hc_x509_identity_of() reports the facts X509-SVID section 5.2 asks a
 *    validator to check on a leaf: its URI SANs (how many, and the one
 *    there is), basicConstraints cA, and keyUsage keyCertSign / cRLSign.
 *    Deciding what those facts mean (is this a workload identity?) is
 *    binding.c's business.
 *
 * What makes a URI SAN usable (printable ASCII, a bounded length) is
 * decided here, in take_uri(), the same for every backend.
 *
 * Nothing here validates a chain, a signature, a validity period or a
 * trust anchor: the TLS layer (or the trusted proxy) authenticated the
 * peer, and RFC 8705 section 6.2 does not need the chain for the binding.
 */
#include <stdlib.h>
#include <string.h>

#include "crypto.h"

/* The PEM armour of a certificate (RFC 7468 section 5.1). */
#define PEM_CERT_BEGIN "-----BEGIN CERTIFICATE-----"

/* The first byte of DER for a SEQUENCE (constructed, universal tag 16). */
#define DER_SEQUENCE 0x30

/* ------------------------------------------------------ private prototypes */

static bool has_pem_begin(const unsigned char *in, size_t len);
static hc_status parse_one(const unsigned char *der, size_t len,
    hc_x509_facts *facts, hc_detail *d);
static hc_status copy_der(const unsigned char *der, size_t len,
    unsigned char **out, size_t *outlen, hc_detail *d);
static hc_status pem_to_der(const unsigned char *in, size_t len,
    unsigned char **der, size_t *derlen, hc_detail *d);
static hc_status take_uri(void *arg, const unsigned char *p, size_t len,
    hc_detail *d);

/* -------------------------------------------------------------------- API */

hc_status
hc_x509_to_der(const unsigned char *in, size_t len, unsigned char **der,
    size_t *derlen, hc_detail *d)
{
	hc_status st;

	*der = NULL;
	*derlen = 0;
	if (in == NULL || len == 0)
		return hc_fail(d, HC_MALFORMED, "no certificate bytes");
	if (len > HC_MAX_CERT_BYTES)
		return hc_fail(d, HC_MALFORMED, "certificate input is %zu "
		    "bytes, over the limit of %d", len, HC_MAX_CERT_BYTES);

	/*
	 * DER starts with the SEQUENCE tag.  So does a text that happens to
	 * begin with '0': when DER fails and there is a PEM armour, the input
	 * is read as PEM instead.
	 */
	if (in[0] == DER_SEQUENCE) {
		hc_detail why;

		why.text[0] = '\0';
		st = parse_one(in, len, NULL, &why);
		if (st == HC_OK)
			return copy_der(in, len, der, derlen, d);
		if (!has_pem_begin(in, len)) {
			if (d != NULL)
				*d = why;
			return st;
		}
	}
	return pem_to_der(in, len, der, derlen, d);
}

hc_status
hc_x509_identity_of(const unsigned char *der, size_t len,
    hc_x509_identity *out, hc_detail *d)
{
	hc_x509_facts facts;
	hc_status st;

	memset(out, 0, sizeof(*out));
	if (der == NULL || len == 0 || len > HC_MAX_CERT_BYTES)
		return hc_fail(d, HC_MALFORMED, "certificate of %zu bytes is "
		    "empty or over the limit of %d", len, HC_MAX_CERT_BYTES);
	memset(&facts, 0, sizeof(facts));
	facts.on_uri = take_uri;
	facts.arg = out;
	if ((st = parse_one(der, len, &facts, d)) != HC_OK) {
		hc_x509_identity_clear(out);
		return st;
	}
	/*
	 * RFC 5280 section 4.2.1.9: no basicConstraints, cA is FALSE; section
	 * 4.2.1.3: no keyUsage, no usage is asserted.  The backend reports
	 * both that way.
	 */
	out->is_ca = facts.is_ca;
	out->key_cert_sign = facts.key_cert_sign;
	/* Only a sole URI SAN is reported as the identity. */
	if (out->uri_sans != 1) {
		free(out->spiffe_id);
		out->spiffe_id = NULL;
	}
	return HC_OK;
}

void
hc_x509_identity_clear(hc_x509_identity *id)
{
	if (id == NULL)
		return;
	free(id->spiffe_id);
	memset(id, 0, sizeof(*id));
}

/* ---------------------------------------------------------------- private */

/* Whether the PEM armour of a certificate occurs in the `len` bytes. */
static bool
has_pem_begin(const unsigned char *in, size_t len)
{
	const size_t n = sizeof(PEM_CERT_BEGIN) - 1;

	for (size_t i = 0; i + n <= len; i++)
		if (in[i] == '-' && memcmp(in + i, PEM_CERT_BEGIN, n) == 0)
			return true;
	return false;
}

/*
 * Parses `len` bytes as exactly one DER certificate.  Parsers stop at the
 * end of the outer SEQUENCE and ignore what follows; we do not, since the
 * thumbprint is taken over all the bytes we were given.
 */
static hc_status
parse_one(const unsigned char *der, size_t len, hc_x509_facts *facts,
    hc_detail *d)
{
	size_t used = 0;
	hc_status st;

	if ((st = hc_crypto()->x509_leaf(der, len, &used, facts, d)) != HC_OK)
		return st;
	if (used != len)
		return hc_fail(d, HC_MALFORMED, "%zu bytes follow the "
		    "certificate's DER encoding", len - used);
	return HC_OK;
}

/* A heap copy of the DER (free()). */
static hc_status
copy_der(const unsigned char *der, size_t len, unsigned char **out,
    size_t *outlen, hc_detail *d)
{
	if ((*out = malloc(len)) == NULL)
		return hc_fail(d, HC_INTERNAL, "out of memory");
	memcpy(*out, der, len);
	*outlen = len;
	return HC_OK;
}

/*
 * Decodes the first CERTIFICATE block of PEM text (RFC 7468 section 5.1):
 * that is the leaf, whatever follows it (the rest of a chain) is not read.
 * The backend reads a NUL-terminated string, so the input is copied first;
 * a NUL inside the input ends the text there.
 */
static hc_status
pem_to_der(const unsigned char *in, size_t len, unsigned char **der,
    size_t *derlen, hc_detail *d)
{
	unsigned char *body = NULL;
	size_t bodylen = 0;
	char *text;
	hc_status st;

	if ((text = malloc(len + 1)) == NULL)
		return hc_fail(d, HC_INTERNAL, "out of memory");
	memcpy(text, in, len);
	text[len] = '\0';
	if (strstr(text, PEM_CERT_BEGIN) == NULL) {
		free(text);
		return hc_fail(d, HC_MALFORMED, "certificate is neither DER "
		    "nor PEM with a " PEM_CERT_BEGIN " line");
	}
	st = hc_crypto()->x509_pem_first(text, &body, &bodylen, d);
	free(text);
	if (st != HC_OK)
		return st;
	if ((st = parse_one(body, bodylen, NULL, d)) == HC_OK) {
		*der = body;
		*derlen = bodylen;
		return HC_OK;
	}
	free(body);
	return st;
}

/*
 * Counts one URI SAN (the backend's on_uri; arg is the hc_x509_identity)
 * and keeps a copy of the first.  An IA5String is ASCII; a URI (RFC 3986
 * section 2) is printable ASCII, so a control byte, a NUL or a byte over
 * 0x7e makes the certificate unusable as an identity.
 */
static hc_status
take_uri(void *arg, const unsigned char *p, size_t len, hc_detail *d)
{
	hc_x509_identity *out = arg;

	out->uri_sans++;
	if (len == 0)
		return hc_fail(d, HC_MALFORMED, "subjectAltName URI %zu is "
		    "empty", out->uri_sans);
	if (len > HC_MAX_SPIFFE_ID_BYTES)
		return hc_fail(d, HC_MALFORMED, "subjectAltName URI %zu is %zu "
		    "bytes, longer than a SPIFFE ID may be (%d)", out->uri_sans,
		    len, HC_MAX_SPIFFE_ID_BYTES);
	for (size_t i = 0; i < len; i++)
		if (p[i] < 0x21 || p[i] > 0x7e)
			return hc_fail(d, HC_MALFORMED, "subjectAltName URI "
			    "%zu has byte 0x%02x at offset %zu, not a URI "
			    "character", out->uri_sans, p[i], i);
	if (out->spiffe_id != NULL)
		return HC_OK;       /* only the count matters past the first */
	if ((out->spiffe_id = malloc(len + 1)) == NULL)
		return hc_fail(d, HC_INTERNAL, "out of memory");
	memcpy(out->spiffe_id, p, len);
	out->spiffe_id[len] = '\0';
	return HC_OK;
}
