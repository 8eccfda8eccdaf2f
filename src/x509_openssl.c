/* SPDX-License-Identifier: Apache-2.0 */
/*
 * x509_openssl.c - the X.509 reader of the OpenSSL 3 backend: a peer's leaf
 * certificate as DER bytes, and the facts x509.c asks of it (basicConstraints
 * cA, keyUsage keyCertSign / cRLSign, each URI SAN).
 *
 * Part of the OpenSSL backend with crypto_openssl.c, whose table names
 * these two functions; the two files are the only ones that include OpenSSL
 * headers, and only an OpenSSL build compiles them.  It takes the
 * certificates mbedTLS 2.28 takes and refuses the ones it refuses (see
 * known_ext below), so that both backends judge a peer alike.  OpenSSL's
 * error queue is cleared before every return.
 */
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "crypto.h"

/*
 * The extensions mbedTLS 2.28 understands: it refuses a certificate that
 * repeats one of them, or that marks any other extension critical.  The
 * same is refused here, so that both backends take the same certificates.
 */
static const int known_ext[] = {
	NID_basic_constraints, NID_key_usage, NID_ext_key_usage,
	NID_subject_alt_name, NID_netscape_cert_type, NID_certificate_policies
};

#define KNOWN_EXTS (sizeof(known_ext) / sizeof(known_ext[0]))

/* HC_MALFORMED for a repeated known or an unknown critical extension. */
static hc_status
check_extensions(const X509 *x, hc_detail *d)
{
	int count = X509_get_ext_count(x);

	for (size_t i = 0; i < KNOWN_EXTS; i++) {
		int at = X509_get_ext_by_NID(x, known_ext[i], -1);

		if (at >= 0 && X509_get_ext_by_NID(x, known_ext[i], at) >= 0)
			return hc_fail(d, HC_MALFORMED, "certificate has two "
			    "%s extensions (RFC 5280 section 4.2)",
			    OBJ_nid2sn(known_ext[i]));
	}
	for (int i = 0; i < count; i++) {
		X509_EXTENSION *ext = X509_get_ext(x, i);
		int nid = OBJ_obj2nid(X509_EXTENSION_get_object(ext));
		bool known = false;

		for (size_t j = 0; j < KNOWN_EXTS; j++)
			known = known || nid == known_ext[j];
		if (!known && X509_EXTENSION_get_critical(ext) > 0)
			return hc_fail(d, HC_MALFORMED, "certificate has a "
			    "critical extension hopcheck does not know");
	}
	return HC_OK;
}

/*
 * Reports basicConstraints cA, keyUsage keyCertSign / cRLSign and each URI
 * SAN of a parsed certificate.  An extension that is present but does not
 * decode makes the certificate malformed.
 */
static hc_status
read_facts(X509 *x, hc_x509_facts *facts, hc_detail *d)
{
	BASIC_CONSTRAINTS *bc;
	ASN1_BIT_STRING *ku;
	GENERAL_NAMES *gens;
	hc_status st = HC_OK;
	int crit = -1, n;

	bc = X509_get_ext_d2i(x, NID_basic_constraints, &crit, NULL);
	if (bc == NULL && crit != -1)
		return hc_fail(d, HC_MALFORMED, "certificate basicConstraints "
		    "is not well-formed");
	/* RFC 5280 section 4.2.1.9: no extension, cA is FALSE. */
	facts->is_ca = bc != NULL && bc->ca != 0;
	BASIC_CONSTRAINTS_free(bc);

	crit = -1;
	ku = X509_get_ext_d2i(x, NID_key_usage, &crit, NULL);
	if (ku == NULL && crit != -1)
		return hc_fail(d, HC_MALFORMED, "certificate keyUsage is not "
		    "well-formed");
	/* RFC 5280 section 4.2.1.3: keyCertSign is bit 5, cRLSign bit 6. */
	facts->key_cert_sign = ku != NULL &&
	    (ASN1_BIT_STRING_get_bit(ku, 5) || ASN1_BIT_STRING_get_bit(ku, 6));
	ASN1_BIT_STRING_free(ku);

	crit = -1;
	gens = X509_get_ext_d2i(x, NID_subject_alt_name, &crit, NULL);
	if (gens == NULL) {
		if (crit == -1)
			return HC_OK;
		if (crit == -2)
			return hc_fail(d, HC_MALFORMED, "certificate has two "
			    "subjectAltName extensions (RFC 5280 section 4.2)");
		return hc_fail(d, HC_MALFORMED, "subjectAltName is not a "
		    "well-formed SEQUENCE of GeneralName");
	}
	n = sk_GENERAL_NAME_num(gens);
	if (n <= 0)
		st = hc_fail(d, HC_MALFORMED, "subjectAltName is empty (RFC "
		    "5280 section 4.2.1.6 requires at least one name)");
	else if (n > HC_MAX_CERT_SANS)
		st = hc_fail(d, HC_MALFORMED, "subjectAltName has more than "
		    "%d entries", HC_MAX_CERT_SANS);
	for (int i = 0; st == HC_OK && i < n; i++) {
		const GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);

		if (g->type != GEN_URI || facts->on_uri == NULL)
			continue;
		st = facts->on_uri(facts->arg,
		    ASN1_STRING_get0_data(g->d.uniformResourceIdentifier),
		    (size_t)ASN1_STRING_length(g->d.uniformResourceIdentifier),
		    d);
	}
	GENERAL_NAMES_free(gens);
	return st;
}

/*
 * Parses the DER certificate at the start of der; *used is the length of
 * its encoding (d2i_X509 advances past exactly that).  With facts, reports
 * what x509.c asks for.
 */
hc_status
hc_ossl_x509_leaf(const unsigned char *der, size_t len, size_t *used,
    hc_x509_facts *facts, hc_detail *d)
{
	const unsigned char *p = der;
	hc_status st;
	X509 *x;

	*used = 0;
	if (len > (size_t)LONG_MAX ||
	    (x = d2i_X509(NULL, &p, (long)len)) == NULL) {
		ERR_clear_error();
		return hc_fail(d, HC_MALFORMED, "certificate of %zu bytes does "
		    "not parse as an X.509 certificate", len);
	}
	*used = (size_t)(p - der);
	st = check_extensions(x, d);
	if (st == HC_OK && facts != NULL)
		st = read_facts(x, facts, d);
	X509_free(x);
	ERR_clear_error();
	return st;
}

/*
 * Decodes the first block named exactly "CERTIFICATE" of the NUL-terminated
 * PEM text into a heap copy of its DER bytes; blocks of other names before
 * it are passed over.
 */
hc_status
hc_ossl_x509_pem_first(const char *text, unsigned char **der, size_t *derlen,
    hc_detail *d)
{
	BIO *bio;
	hc_status st = HC_MALFORMED;

	*der = NULL;
	*derlen = 0;
	if ((bio = BIO_new_mem_buf(text, -1)) == NULL)
		return hc_fail(d, HC_INTERNAL, "out of memory");
	for (;;) {
		char *name = NULL, *header = NULL;
		unsigned char *data = NULL;
		long n = 0;
		bool cert;

		if (PEM_read_bio(bio, &name, &header, &data, &n) != 1)
			break;
		cert = strcmp(name, PEM_STRING_X509) == 0;
		if (cert && n > 0 && (*der = malloc((size_t)n)) != NULL) {
			memcpy(*der, data, (size_t)n);
			*derlen = (size_t)n;
			st = HC_OK;
		} else if (cert)
			st = n > 0 ? HC_INTERNAL : HC_MALFORMED;
		OPENSSL_free(name);
		OPENSSL_free(header);
		OPENSSL_free(data);
		if (cert)
			break;
	}
	BIO_free(bio);
	ERR_clear_error();
	if (st == HC_INTERNAL)
		return hc_fail(d, HC_INTERNAL, "out of memory");
	if (st != HC_OK)
		return hc_fail(d, HC_MALFORMED, "the first PEM CERTIFICATE "
		    "block is not valid base64 between its BEGIN and END "
		    "lines");
	return HC_OK;
}
