/*
 * x509.c - the X.509 helper: a peer's leaf certificate, as bytes and as
 * what it says about the workload presenting it.
 *
 * With crypto_mbedtls.c this is the only file that includes mbedTLS.  It
 * does two things and no more:
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
 * mbedTLS 2.28 keeps only DNS and otherName entries in
 * crt->subject_alt_names, so the subjectAltName extension (RFC 5280 section
 * 4.2.1.6) is walked here from crt->v3_ext with the mbedtls_asn1 readers.
 * Every length read from the certificate is checked against the end of its
 * enclosing element before use, the walk is iterative, and the number of
 * GeneralName entries it will visit is capped.
 *
 * Nothing here validates a chain, a signature, a validity period or a
 * trust anchor: the TLS layer (or the trusted proxy) authenticated the
 * peer, and RFC 8705 section 6.2 does not need the chain for the binding.
 */
#include <stdlib.h>
#include <string.h>

#include <mbedtls/asn1.h>
#include <mbedtls/oid.h>
#include <mbedtls/pem.h>
#include <mbedtls/x509.h>
#include <mbedtls/x509_crt.h>

#include "internal.h"


/* The PEM armour of a certificate (RFC 7468 section 5.1). */
#define PEM_CERT_BEGIN "-----BEGIN CERTIFICATE-----"
#define PEM_CERT_END "-----END CERTIFICATE-----"

/* GeneralName uniformResourceIdentifier: [6] IMPLICIT IA5String. */
#define SAN_TAG_URI (MBEDTLS_ASN1_CONTEXT_SPECIFIC | 6)

/* ------------------------------------------------------ private prototypes */

static bool has_pem_begin(const unsigned char *in, size_t len);
static hc_status parse_one(const unsigned char *der, size_t len,
    mbedtls_x509_crt *crt, hc_detail *d);
static hc_status copy_der(const unsigned char *der, size_t len,
    unsigned char **out, size_t *outlen, hc_detail *d);
static hc_status pem_to_der(const unsigned char *in, size_t len,
    unsigned char **der, size_t *derlen, hc_detail *d);
static hc_status walk_extensions(const mbedtls_x509_crt *crt,
    hc_x509_identity *out, hc_detail *d);
static hc_status walk_general_names(unsigned char *p,
    const unsigned char *end, hc_x509_identity *out, hc_detail *d);
static hc_status take_uri(const unsigned char *p, size_t len,
    hc_x509_identity *out, hc_detail *d);

/* -------------------------------------------------------------------- API */

hc_status
hc_x509_to_der(const unsigned char *in, size_t len, unsigned char **der,
    size_t *derlen, hc_detail *d)
{
	mbedtls_x509_crt crt;
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
	if (in[0] == (MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE)) {
		hc_detail why;

		why.text[0] = '\0';
		mbedtls_x509_crt_init(&crt);
		st = parse_one(in, len, &crt, &why);
		mbedtls_x509_crt_free(&crt);
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
	mbedtls_x509_crt crt;
	hc_status st;

	memset(out, 0, sizeof(*out));
	if (der == NULL || len == 0 || len > HC_MAX_CERT_BYTES)
		return hc_fail(d, HC_MALFORMED, "certificate of %zu bytes is "
		    "empty or over the limit of %d", len, HC_MAX_CERT_BYTES);
	mbedtls_x509_crt_init(&crt);
	if ((st = parse_one(der, len, &crt, d)) != HC_OK)
		goto fail;

	/* RFC 5280 section 4.2.1.9: no extension, cA is FALSE. */
	out->is_ca = (crt.ext_types & MBEDTLS_X509_EXT_BASIC_CONSTRAINTS) &&
	    crt.ca_istrue != 0;
	/* RFC 5280 section 4.2.1.3: no extension, no usage is asserted. */
	out->key_cert_sign = (crt.ext_types & MBEDTLS_X509_EXT_KEY_USAGE) &&
	    (crt.key_usage & (MBEDTLS_X509_KU_KEY_CERT_SIGN |
	    MBEDTLS_X509_KU_CRL_SIGN)) != 0;

	if ((st = walk_extensions(&crt, out, d)) != HC_OK)
		goto fail;
	/* Only a sole URI SAN is reported as the identity. */
	if (out->uri_sans != 1) {
		free(out->spiffe_id);
		out->spiffe_id = NULL;
	}
	mbedtls_x509_crt_free(&crt);
	return HC_OK;
fail:
	mbedtls_x509_crt_free(&crt);
	hc_x509_identity_clear(out);
	return st;
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
 * Parses `len` bytes as exactly one DER certificate.  mbedTLS stops at the
 * end of the outer SEQUENCE and ignores what follows; we do not, since the
 * thumbprint is taken over all the bytes we were given.
 */
static hc_status
parse_one(const unsigned char *der, size_t len, mbedtls_x509_crt *crt,
    hc_detail *d)
{
	if (mbedtls_x509_crt_parse_der(crt, der, len) != 0)
		return hc_fail(d, HC_MALFORMED, "certificate of %zu bytes does "
		    "not parse as an X.509 certificate", len);
	if (crt->raw.len != len || crt->next != NULL)
		return hc_fail(d, HC_MALFORMED, "%zu bytes follow the "
		    "certificate's DER encoding", len - crt->raw.len);
	return HC_OK;
}

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
 * mbedtls_pem_read_buffer() wants a NUL-terminated string, so the input is
 * copied first; a NUL inside the input ends the text there.
 */
static hc_status
pem_to_der(const unsigned char *in, size_t len, unsigned char **der,
    size_t *derlen, hc_detail *d)
{
	mbedtls_pem_context pem;
	mbedtls_x509_crt crt;
	const unsigned char *body;
	char *text;
	size_t used = 0;
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
	mbedtls_pem_init(&pem);
	mbedtls_x509_crt_init(&crt);
	if (mbedtls_pem_read_buffer(&pem, PEM_CERT_BEGIN, PEM_CERT_END,
	    (const unsigned char *)text, NULL, 0, &used) != 0) {
		st = hc_fail(d, HC_MALFORMED, "the first PEM CERTIFICATE block "
		    "is not valid base64 between its BEGIN and END lines");
		goto out;
	}
	body = pem.buf;          /* mbedTLS 2.28: the decoded DER */
	if ((st = parse_one(body, pem.buflen, &crt, d)) == HC_OK)
		st = copy_der(body, pem.buflen, der, derlen, d);
out:
	mbedtls_x509_crt_free(&crt);
	mbedtls_pem_free(&pem);
	free(text);
	return st;
}

/*
 * Finds the subjectAltName extension in the certificate's extensions
 * (RFC 5280 section 4.1: Extensions ::= SEQUENCE SIZE (1..MAX) OF
 * Extension; Extension ::= SEQUENCE { extnID OID, critical BOOLEAN DEFAULT
 * FALSE, extnValue OCTET STRING }).  mbedTLS has already rejected a
 * certificate whose extensions do not parse or repeat; the walk still
 * checks every step, and refuses a second subjectAltName itself.
 */
static hc_status
walk_extensions(const mbedtls_x509_crt *crt, hc_x509_identity *out,
    hc_detail *d)
{
	unsigned char *p = crt->v3_ext.p;
	const unsigned char *end;
	size_t len;
	bool seen = false;

	if (p == NULL || crt->v3_ext.len == 0)
		return HC_OK;       /* a v1 or v2 certificate: no extensions */
	end = p + crt->v3_ext.len;
	if (mbedtls_asn1_get_tag(&p, end, &len, MBEDTLS_ASN1_CONSTRUCTED |
	    MBEDTLS_ASN1_SEQUENCE) != 0 || p + len != end)
		return hc_fail(d, HC_MALFORMED, "certificate extensions are "
		    "not a well-formed SEQUENCE");
	while (p < end) {
		unsigned char *ext_end;
		mbedtls_x509_buf oid;
		int critical = 0;

		if (mbedtls_asn1_get_tag(&p, end, &len,
		    MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE) != 0)
			return hc_fail(d, HC_MALFORMED, "certificate "
			    "extension is not a SEQUENCE");
		ext_end = p + len;
		if (mbedtls_asn1_get_tag(&p, ext_end, &oid.len,
		    MBEDTLS_ASN1_OID) != 0)
			return hc_fail(d, HC_MALFORMED, "certificate "
			    "extension has no extnID");
		oid.p = p;
		p += oid.len;
		if (p < ext_end && *p == MBEDTLS_ASN1_BOOLEAN &&
		    mbedtls_asn1_get_bool(&p, ext_end, &critical) != 0)
			return hc_fail(d, HC_MALFORMED, "certificate "
			    "extension has a malformed critical flag");
		if (mbedtls_asn1_get_tag(&p, ext_end, &len,
		    MBEDTLS_ASN1_OCTET_STRING) != 0 || p + len != ext_end)
			return hc_fail(d, HC_MALFORMED, "certificate "
			    "extension has a malformed extnValue");
		if (MBEDTLS_OID_CMP(MBEDTLS_OID_SUBJECT_ALT_NAME, &oid) == 0) {
			hc_status st;

			if (seen)
				return hc_fail(d, HC_MALFORMED, "certificate "
				    "has two subjectAltName extensions (RFC "
				    "5280 section 4.2)");
			seen = true;
			st = walk_general_names(p, ext_end, out, d);
			if (st != HC_OK)
				return st;
		}
		p = ext_end;
	}
	return HC_OK;
}

/*
 * Walks GeneralNames (RFC 5280 section 4.2.1.6: SEQUENCE SIZE (1..MAX) OF
 * GeneralName), counting uniformResourceIdentifier entries and keeping the
 * first.  Every other choice is skipped by its length, whatever its tag.
 */
static hc_status
walk_general_names(unsigned char *p, const unsigned char *end,
    hc_x509_identity *out, hc_detail *d)
{
	size_t len, n = 0;
	hc_status st;

	if (mbedtls_asn1_get_tag(&p, end, &len, MBEDTLS_ASN1_CONSTRUCTED |
	    MBEDTLS_ASN1_SEQUENCE) != 0 || p + len != end)
		return hc_fail(d, HC_MALFORMED, "subjectAltName is not a "
		    "well-formed SEQUENCE of GeneralName");
	while (p < end) {
		unsigned char tag = *p++;

		if (++n > HC_MAX_CERT_SANS)
			return hc_fail(d, HC_MALFORMED, "subjectAltName has "
			    "more than %d entries", HC_MAX_CERT_SANS);
		/* GeneralName choices are [0]..[8]: never the long tag form. */
		if ((tag & 0xc0) != MBEDTLS_ASN1_CONTEXT_SPECIFIC ||
		    (tag & 0x1f) == 0x1f ||
		    mbedtls_asn1_get_len(&p, end, &len) != 0)
			return hc_fail(d, HC_MALFORMED, "subjectAltName entry "
			    "%zu is not a well-formed GeneralName", n);
		if (tag == SAN_TAG_URI) {
			if ((st = take_uri(p, len, out, d)) != HC_OK)
				return st;
		}
		p += len;
	}
	if (n == 0)
		return hc_fail(d, HC_MALFORMED, "subjectAltName is empty (RFC "
		    "5280 section 4.2.1.6 requires at least one name)");
	return HC_OK;
}

/*
 * Counts one URI SAN and keeps a copy of the first.  An IA5String is
 * ASCII; a URI (RFC 3986 section 2) is printable ASCII, so a control byte,
 * a NUL or a byte over 0x7e makes the certificate unusable as an identity.
 */
static hc_status
take_uri(const unsigned char *p, size_t len, hc_x509_identity *out,
    hc_detail *d)
{
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
