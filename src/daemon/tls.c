/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tls.c - hopcheckd's TLS credentials and client checks; the only daemon
 * file that includes GnuTLS.
 *
 * libmicrohttpd runs the handshakes.  It is given hcd_tls_cert_callback()
 * instead of fixed key material, so that the certificate a handshake
 * presents is whatever generation the connection was bound to when it was
 * accepted (hcd_tls_session_open(), which stores the generation as the
 * session's user pointer: libmicrohttpd 0.9.75 sets that pointer to its
 * connection but reads it back only for TLS-PSK, which hopcheckd does not
 * use).  A generation is freed when the holder has let go of it and the
 * last connection bound to it has closed.
 *
 * Peer checks do not use the credentials libmicrohttpd holds (they carry
 * the client CA of the first generation only, so that it asks for a
 * certificate): they verify against the trust list of the current
 * generation, so a rotated client CA applies to the next request.
 *
 * Threading: one mutex guards the current pointer and every reference
 * count; a generation is immutable once loaded, so handshakes and checks
 * read it without the lock while they hold a reference.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "tls.h"

/* A PEM file larger than this is not a certificate chain or a key. */
#define HCD_TLS_MAX_FILE (1024 * 1024)

struct hcd_tls_creds {
	unsigned refs;                /* the holder's, and one per connection */
	gnutls_pcert_st pcert[HCD_TLS_MAX_CHAIN];
	unsigned npcert;
	gnutls_privkey_t key;
	gnutls_x509_trust_list_t trust;
	unsigned ncas;
	char *ca_pem;                 /* the client CA file, NUL-terminated */
	char desc[512];               /* hcd_tls_creds_describe() */
};

struct hcd_tls {
	pthread_mutex_t lock;         /* guards cur and every refs */
	hcd_tls_creds *cur;
	char *trust_pem;              /* of the first generation, for MHD */
};

/* ------------------------------------------------------------- loading */

/*
 * Reads a whole file of at most HCD_TLS_MAX_FILE bytes into *out, with a
 * NUL after it (not counted in size).  Returns 0, or -1 with the reason.
 */
static int
read_file(const char *path, gnutls_datum_t *out, char *err, size_t errlen)
{
	FILE *f;
	unsigned char *p;
	size_t n;

	out->data = NULL;
	out->size = 0;
	if ((f = fopen(path, "rb")) == NULL) {
		(void)snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if ((p = malloc(HCD_TLS_MAX_FILE + 1)) == NULL) {
		(void)fclose(f);
		(void)snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	n = fread(p, 1, HCD_TLS_MAX_FILE + 1, f);
	if (ferror(f) || n > HCD_TLS_MAX_FILE) {
		(void)snprintf(err, errlen, "%s: %s", path, ferror(f) ?
		    "read error" : "larger than 1 MiB");
		(void)fclose(f);
		free(p);
		return -1;
	}
	(void)fclose(f);
	p[n] = '\0';
	out->data = p;
	out->size = (unsigned)n;
	return 0;
}

/* Wipes and frees what read_file() returned (a key file, maybe). */
static void
datum_wipe(gnutls_datum_t *d)
{
	if (d->data != NULL) {
		gnutls_memset(d->data, 0, d->size);
		free(d->data);
	}
	d->data = NULL;
	d->size = 0;
}

/* Appends "; " and a formatted reason to err. */
static void
add_error(char *err, size_t errlen, const char *what, const char *file,
    int rc)
{
	size_t used = strlen(err);

	if (used + 3 >= errlen)
		return;
	(void)snprintf(err + used, errlen - used, "%s%s: %s%s%s",
	    used > 0 ? "; " : "", file, what, rc < 0 ? ": " : "",
	    rc < 0 ? gnutls_strerror(rc) : "");
}

/* True when the public keys of the leaf and of `key` are the same. */
static bool
key_matches(gnutls_pcert_st *leaf, gnutls_privkey_t key)
{
	unsigned char a[64], b[64];
	size_t alen = sizeof(a), blen = sizeof(b);
	gnutls_pubkey_t pub;
	bool same = false;

	if (gnutls_pubkey_init(&pub) < 0)
		return false;
	if (gnutls_pubkey_import_privkey(pub, key, 0, 0) >= 0 &&
	    gnutls_pubkey_get_key_id(pub, GNUTLS_KEYID_USE_SHA256, a,
	    &alen) >= 0 &&
	    gnutls_pubkey_get_key_id(leaf->pubkey, GNUTLS_KEYID_USE_SHA256, b,
	    &blen) >= 0)
		same = alen == blen && memcmp(a, b, alen) == 0;
	gnutls_pubkey_deinit(pub);
	return same;
}

/* Checks the leaf's dates and writes the description; 0 or -1. */
static int
describe_leaf(hcd_tls_creds *c, const char *cert_file, char *err,
    size_t errlen)
{
	gnutls_x509_crt_t crt;
	unsigned char serial[64];
	char hex[2 * sizeof(serial) + 1], when[32];
	size_t slen = sizeof(serial);
	gnutls_datum_t dn = { NULL, 0 };
	time_t now = time(NULL), nb, na;
	struct tm tm;
	int rc = 0;

	if (gnutls_x509_crt_init(&crt) < 0) {
		add_error(err, errlen, "out of memory", cert_file, 0);
		return -1;
	}
	if (gnutls_x509_crt_import(crt, &c->pcert[0].cert,
	    GNUTLS_X509_FMT_DER) < 0) {
		add_error(err, errlen, "the certificate cannot be read",
		    cert_file, 0);
		gnutls_x509_crt_deinit(crt);
		return -1;
	}
	nb = gnutls_x509_crt_get_activation_time(crt);
	na = gnutls_x509_crt_get_expiration_time(crt);
	if (na != (time_t)-1 && na < now) {
		add_error(err, errlen, "the certificate has expired",
		    cert_file, 0);
		rc = -1;
	} else if (nb != (time_t)-1 && nb > now) {
		add_error(err, errlen, "the certificate is not valid yet",
		    cert_file, 0);
		rc = -1;
	}
	hex[0] = '\0';
	if (gnutls_x509_crt_get_serial(crt, serial, &slen) >= 0)
		for (size_t i = 0; i < slen; i++)
			(void)snprintf(hex + 2 * i, 3, "%02x", serial[i]);
	when[0] = '\0';
	if (na != (time_t)-1 && gmtime_r(&na, &tm) != NULL)
		(void)strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	(void)gnutls_x509_crt_get_dn3(crt, &dn, 0);
	(void)snprintf(c->desc, sizeof(c->desc), "serial %s, subject %s, "
	    "expires %s, %u certificates in the chain, %u client CAs", hex,
	    dn.data != NULL ? (const char *)dn.data : "?", when, c->npcert,
	    c->ncas);
	gnutls_free(dn.data);
	gnutls_x509_crt_deinit(crt);
	return rc;
}

hcd_tls_creds *
hcd_tls_load(const char *cert_file, const char *key_file,
    const char *ca_file, char *err, size_t errlen)
{
	hcd_tls_creds *c;
	gnutls_datum_t d = { NULL, 0 };
	char why[256];
	int rc;

	err[0] = '\0';
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		(void)snprintf(err, errlen, "out of memory");
		return NULL;
	}
	c->refs = 1;

	/* The chain: leaf first, each certificate signed by the next. */
	why[0] = '\0';
	if (read_file(cert_file, &d, why, sizeof(why)) != 0) {
		add_error(err, errlen, why, "daemon.tls.cert_file", 0);
	} else {
		c->npcert = HCD_TLS_MAX_CHAIN;
		rc = gnutls_pcert_list_import_x509_raw(c->pcert, &c->npcert, &d,
		    GNUTLS_X509_FMT_PEM, GNUTLS_X509_CRT_LIST_FAIL_IF_UNSORTED);
		if (rc < 0) {
			c->npcert = 0;
			add_error(err, errlen, rc == GNUTLS_E_SHORT_MEMORY_BUFFER ?
			    "more than 8 certificates" : "not a PEM certificate "
			    "chain, leaf first", cert_file, rc);
		} else if (c->npcert == 0) {
			add_error(err, errlen, "no certificate", cert_file, 0);
		}
		datum_wipe(&d);
	}

	/* The key, which must be the leaf's. */
	why[0] = '\0';
	if (read_file(key_file, &d, why, sizeof(why)) != 0) {
		add_error(err, errlen, why, "daemon.tls.key_file", 0);
	} else {
		if ((rc = gnutls_privkey_init(&c->key)) >= 0)
			rc = gnutls_privkey_import_x509_raw(c->key, &d,
			    GNUTLS_X509_FMT_PEM, NULL, 0);
		if (rc < 0) {
			add_error(err, errlen, "not an unencrypted PEM private "
			    "key", key_file, rc);
		} else if (c->npcert > 0 && !key_matches(&c->pcert[0], c->key)) {
			add_error(err, errlen, "not the key of the first "
			    "certificate of daemon.tls.cert_file", key_file, 0);
		}
		datum_wipe(&d);
	}

	/* The client CAs. */
	why[0] = '\0';
	if (read_file(ca_file, &d, why, sizeof(why)) != 0) {
		add_error(err, errlen, why, "daemon.tls.client_ca_file", 0);
	} else {
		c->ca_pem = (char *)d.data;
		if ((rc = gnutls_x509_trust_list_init(&c->trust, 0)) >= 0)
			rc = gnutls_x509_trust_list_add_trust_mem(c->trust, &d,
			    NULL, GNUTLS_X509_FMT_PEM, 0, 0);
		if (rc <= 0)
			add_error(err, errlen, "no PEM CA certificate", ca_file,
			    rc);
		else
			c->ncas = (unsigned)rc;
	}

	if (err[0] == '\0' && c->npcert > 0)
		(void)describe_leaf(c, cert_file, err, errlen);
	if (err[0] != '\0') {
		hcd_tls_creds_free(c);
		return NULL;
	}
	return c;
}

void
hcd_tls_creds_free(hcd_tls_creds *c)
{
	if (c == NULL)
		return;
	for (unsigned i = 0; i < c->npcert; i++)
		gnutls_pcert_deinit(&c->pcert[i]);
	if (c->key != NULL)
		gnutls_privkey_deinit(c->key);
	if (c->trust != NULL)
		gnutls_x509_trust_list_deinit(c->trust, 1);
	free(c->ca_pem);
	free(c);
}

void
hcd_tls_creds_describe(const hcd_tls_creds *c, char *out, size_t len)
{
	(void)snprintf(out, len, "%s", c->desc);
}

/* ------------------------------------------------------------- holder */

hcd_tls *
hcd_tls_new(hcd_tls_creds *c)
{
	hcd_tls *t;

	if ((t = calloc(1, sizeof(*t))) == NULL ||
	    (t->trust_pem = strdup(c->ca_pem)) == NULL) {
		free(t);
		hcd_tls_creds_free(c);
		return NULL;
	}
	pthread_mutex_init(&t->lock, NULL);
	t->cur = c;
	return t;
}

/* Drops one reference; called with the lock held.  The last one frees. */
static void
unref_locked(hcd_tls_creds *c)
{
	if (--c->refs == 0)
		hcd_tls_creds_free(c);
}

void
hcd_tls_install(hcd_tls *t, hcd_tls_creds *c)
{
	pthread_mutex_lock(&t->lock);
	unref_locked(t->cur);
	t->cur = c;
	pthread_mutex_unlock(&t->lock);
}

void
hcd_tls_free(hcd_tls *t)
{
	if (t == NULL)
		return;
	unref_locked(t->cur);
	pthread_mutex_destroy(&t->lock);
	free(t->trust_pem);
	free(t);
}

const char *
hcd_tls_trust_pem(const hcd_tls *t)
{
	return t->trust_pem;
}

/* ---------------------------------------------------------- handshakes */

/*
 * gnutls_certificate_retrieve_function2: the chain and key of the
 * generation bound to the session.  A session bound to none fails its
 * handshake.
 */
static int
cert_callback(gnutls_session_t session, const gnutls_datum_t *req_ca_rdn,
    int nreqs, const gnutls_pk_algorithm_t *pk_algos, int pk_algos_length,
    gnutls_pcert_st **pcert, unsigned int *pcert_length,
    gnutls_privkey_t *pkey)
{
	hcd_tls_creds *c = gnutls_session_get_ptr(session);

	(void)req_ca_rdn;
	(void)nreqs;
	(void)pk_algos;
	(void)pk_algos_length;
	if (c == NULL)
		return -1;
	*pcert = c->pcert;
	*pcert_length = c->npcert;
	*pkey = c->key;
	return 0;
}

hcd_tls_fn
hcd_tls_cert_callback(void)
{
	return (hcd_tls_fn)cert_callback;
}

hcd_tls_creds *
hcd_tls_session_open(hcd_tls *t, void *session)
{
	hcd_tls_creds *c = NULL;

	if (t != NULL) {
		pthread_mutex_lock(&t->lock);
		c = t->cur;
		c->refs++;
		pthread_mutex_unlock(&t->lock);
	}
	gnutls_session_set_ptr((gnutls_session_t)session, c);
	/*
	 * Name no CA in the certificate request: libmicrohttpd's list is the
	 * first generation's, and a client that filters its certificates by
	 * it would stop sending one after a CA rotation.
	 */
	gnutls_certificate_send_x509_rdn_sequence((gnutls_session_t)session,
	    1);
	return c;
}

void
hcd_tls_session_close(hcd_tls *t, hcd_tls_creds *c)
{
	if (c == NULL)
		return;
	pthread_mutex_lock(&t->lock);
	unref_locked(c);
	pthread_mutex_unlock(&t->lock);
}

/* -------------------------------------------------------------- peers */

/* The URI and DNS SANs of the leaf, at most HCD_TLS_MAX_SANS. */
static void
leaf_sans(gnutls_x509_crt_t leaf, hcd_tls_peer *out)
{
	char buf[HCD_TLS_MAX_SAN + 1];
	unsigned critical;
	size_t size;
	int type;

	for (unsigned seq = 0; out->nsans < HCD_TLS_MAX_SANS; seq++) {
		size = sizeof(buf);
		type = gnutls_x509_crt_get_subject_alt_name(leaf, seq, buf,
		    &size, &critical);
		if (type == GNUTLS_E_SHORT_MEMORY_BUFFER)
			continue;    /* too long to be an allowed client */
		if (type < 0)
			break;
		if (type != GNUTLS_SAN_URI && type != GNUTLS_SAN_DNSNAME)
			continue;
		/* An embedded NUL would let "a\0b" pass for "a". */
		if (size >= sizeof(buf) || memchr(buf, '\0', size) != NULL)
			continue;
		buf[size] = '\0';
		out->san[out->nsans].uri = type == GNUTLS_SAN_URI;
		memcpy(out->san[out->nsans].value, buf, size + 1);
		out->nsans++;
	}
}

void
hcd_tls_peer_check(hcd_tls *t, void *session, hcd_tls_peer *out)
{
	gnutls_session_t s = session;
	gnutls_x509_crt_t crts[HCD_TLS_MAX_CHAIN];
	gnutls_typed_vdata_st purpose = {
		GNUTLS_DT_KEY_PURPOSE_OID,
		(unsigned char *)(uintptr_t)GNUTLS_KP_TLS_WWW_CLIENT, 0
	};
	const gnutls_datum_t *list;
	gnutls_datum_t text = { NULL, 0 };
	unsigned n = 0, ncrt = 0, status = 0;
	hcd_tls_creds *c;
	int rc;

	memset(out, 0, sizeof(*out));
	if (gnutls_certificate_type_get(s) != GNUTLS_CRT_X509 ||
	    (list = gnutls_certificate_get_peers(s, &n)) == NULL || n == 0) {
		(void)snprintf(out->reason, sizeof(out->reason),
		    "no client certificate");
		return;
	}
	if (n > HCD_TLS_MAX_CHAIN) {
		(void)snprintf(out->reason, sizeof(out->reason),
		    "a client chain of %u certificates (at most %d)", n,
		    HCD_TLS_MAX_CHAIN);
		return;
	}
	for (; ncrt < n; ncrt++) {
		if (gnutls_x509_crt_init(&crts[ncrt]) < 0)
			goto unreadable;
		if (gnutls_x509_crt_import(crts[ncrt], &list[ncrt],
		    GNUTLS_X509_FMT_DER) < 0) {
			ncrt++;
			goto unreadable;
		}
	}
	leaf_sans(crts[0], out);

	pthread_mutex_lock(&t->lock);
	c = t->cur;
	c->refs++;
	pthread_mutex_unlock(&t->lock);
	rc = gnutls_x509_trust_list_verify_crt2(c->trust, crts, n, &purpose, 1,
	    0, &status, NULL);
	hcd_tls_session_close(t, c);

	if (rc < 0) {
		(void)snprintf(out->reason, sizeof(out->reason),
		    "verification failed: %s", gnutls_strerror(rc));
	} else if (status != 0) {
		if (gnutls_certificate_verification_status_print(status,
		    GNUTLS_CRT_X509, &text, 0) >= 0 && text.data != NULL)
			(void)snprintf(out->reason, sizeof(out->reason), "%s",
			    (const char *)text.data);
		else
			(void)snprintf(out->reason, sizeof(out->reason),
			    "not trusted (status 0x%x)", status);
		gnutls_free(text.data);
	} else {
		out->verified = true;
	}
	for (unsigned i = 0; i < ncrt; i++)
		gnutls_x509_crt_deinit(crts[i]);
	return;
unreadable:
	(void)snprintf(out->reason, sizeof(out->reason),
	    "a client certificate that cannot be read");
	for (unsigned i = 0; i < ncrt; i++)
		gnutls_x509_crt_deinit(crts[i]);
}
