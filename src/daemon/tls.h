/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tls.h - hopcheckd's network mode: its TLS credentials and the check of
 * its callers' certificates (GnuTLS, fenced into tls.c).
 *
 * With daemon.tls, the `listen` socket speaks HTTPS (libmicrohttpd over
 * GnuTLS).  A set of credentials is one generation of three files: the
 * server's certificate chain and key, which the handshake presents, and
 * the client CA, which peer checks verify against.  A generation is
 * reference counted: every connection binds the generation current when
 * it was accepted and keeps it until it closes, so a reload (SIGHUP) that
 * installs new files never pulls a key from under a handshake.
 *
 * The client certificate is requested by the handshake but not judged
 * there: libmicrohttpd lets any certificate (or none) through, and http.c
 * asks hcd_tls_peer_check() on each request, which verifies the chain
 * against the client CA of the current generation with our own trust
 * list (GnuTLS path validation: signatures, validity dates, basic
 * constraints, key usage, and the TLS client purpose when the leaf has
 * an extended key usage) and returns the leaf's URI and DNS SANs; the
 * caller matches them against daemon.tls.allowed_clients.
 *
 * Important caveats (what is NOT checked):
 *  - revocation: no CRL, no OCSP; a stolen proxy key is stopped by
 *    rotating the client CA or by removing the identity from
 *    allowed_clients, then SIGHUP;
 *  - the subject CN is ignored; only URI and DNS SANs identify a client;
 *  - a connection verified before a reload keeps its credentials for the
 *    handshake, but each later request on it is checked again with the
 *    current client CA and allowed_clients.
 */
#ifndef HCD_TLS_H
#define HCD_TLS_H

#include <stdbool.h>
#include <stddef.h>

/* Bounds on the files and on a peer's certificate. */
#define HCD_TLS_MAX_CHAIN    8      /* certificates in a chain, ours or a peer's */
#define HCD_TLS_MAX_SANS     16     /* SANs of a client looked at */
#define HCD_TLS_MAX_SAN      255    /* bytes of one SAN; longer ones are skipped */
#define HCD_TLS_MAX_REASON   256

typedef struct hcd_tls hcd_tls;              /* the current generation */
typedef struct hcd_tls_creds hcd_tls_creds;  /* one generation */

/* A function pointer of no particular type (the handshake callback). */
typedef void (*hcd_tls_fn)(void);

/* What a peer check found. */
typedef struct hcd_tls_peer {
	bool verified;                /* the chain is valid under the client CA */
	char reason[HCD_TLS_MAX_REASON];  /* why not, when !verified */
	size_t nsans;
	struct {
		bool uri;             /* a URI SAN, else a DNS name */
		char value[HCD_TLS_MAX_SAN + 1];
	} san[HCD_TLS_MAX_SANS];
} hcd_tls_peer;

/*
 * Loads one generation from PEM files: the certificate chain (leaf first,
 * each signing the one before), its private key (which must match the
 * leaf), and the client CA certificates (at least one).  A server
 * certificate that has expired or is not valid yet is refused.  Returns
 * the generation, or NULL with every reason found in err (size errlen).
 */
hcd_tls_creds *hcd_tls_load(const char *cert_file, const char *key_file,
    const char *ca_file, char *err, size_t errlen);

/* Frees a generation that was never installed.  NULL is a no-op. */
void hcd_tls_creds_free(hcd_tls_creds *c);

/*
 * One line describing a generation for the log: the leaf's serial number
 * (hex), its subject and when it expires, and the number of client CAs.
 */
void hcd_tls_creds_describe(const hcd_tls_creds *c, char *out, size_t len);

/* The holder of the current generation, installing `c` (taking it). */
hcd_tls *hcd_tls_new(hcd_tls_creds *c);

/*
 * Installs `c` (taking it) as the current generation; the previous one
 * is freed when its last connection closes.
 */
void hcd_tls_install(hcd_tls *t, hcd_tls_creds *c);

/* Frees the holder; every connection must be closed. */
void hcd_tls_free(hcd_tls *t);

/*
 * The client CA file of the first generation, as PEM text (libmicrohttpd
 * requests a client certificate only when it has one; it does not judge
 * it).  Borrowed for the life of `t`.
 */
const char *hcd_tls_trust_pem(const hcd_tls *t);

/*
 * The handshake's certificate callback, of GnuTLS type
 * gnutls_certificate_retrieve_function2, to hand to libmicrohttpd.
 */
hcd_tls_fn hcd_tls_cert_callback(void);

/*
 * Binds the current generation to a TLS session (a gnutls_session_t)
 * before its handshake starts and returns it, referenced; the caller
 * passes it to hcd_tls_session_close() once the connection is closed.
 * With `t` NULL the session is bound to nothing and its handshake fails.
 */
hcd_tls_creds *hcd_tls_session_open(hcd_tls *t, void *session);

/* Drops the reference hcd_tls_session_open() returned.  NULL is a no-op. */
void hcd_tls_session_close(hcd_tls *t, hcd_tls_creds *c);

/*
 * Checks the client certificate of an established session against the
 * current client CA into *out.  Never fails: a missing or invalid
 * certificate is out->verified false with the reason; the SANs are
 * filled whenever a leaf was sent.
 */
void hcd_tls_peer_check(hcd_tls *t, void *session, hcd_tls_peer *out);

#endif /* HCD_TLS_H */
