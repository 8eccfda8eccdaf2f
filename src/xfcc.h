/* SPDX-License-Identifier: Apache-2.0 */
/*
 * xfcc.h - the parser of Envoy's x-forwarded-client-cert header (xfcc.c),
 * through which a front proxy that terminated mutual TLS describes the
 * peer: its leaf certificate, the certificate's thumbprint, its URI SAN.
 * hc_request_set_xfcc() (request.c) puts what it reads into a request;
 * the daemon also calls hc_xfcc_parse() directly.
 *
 * Important caveats
 *  - A forwarded certificate header is only as trustworthy as the hop that
 *    wrote it (RFC 8705 section 6.5; RFC 9700 section 4.13).  Parse one only
 *    when it came from the front proxy the configuration names
 *    (daemon.xfcc), over loopback or a Unix socket; otherwise drop it.
 *  - Of the comma-separated elements, only the last one is read: Envoy
 *    appends the element of the connection it terminated to the end of the
 *    header.  The front Envoy must run with forward_client_cert_details
 *    SANITIZE_SET (or APPEND_FORWARD), never FORWARD_ONLY or
 *    ALWAYS_FORWARD_ONLY, which pass a client's header on unchanged.
 *  - Without `Cert`, the header's `Hash` and `URI` are believed as they
 *    are: the leaf checks of X509-SVID section 5.2 (cA, keyUsage) cannot be
 *    made on a certificate that is not there.  Ask Envoy for `Cert` when the
 *    proxy itself does not enforce them.
 *  - Only Envoy's text format is read, not its JSON format.
 */
#ifndef HC_XFCC_H
#define HC_XFCC_H

#include "cnf.h"

/*
 * What the last element of an XFCC value says about the peer.  With
 * `Cert`, der is the leaf (heap) and x5t its thumbprint; without it, der
 * is NULL and x5t (when has_x5t) comes from `Hash`.  spiffe_id (heap) is
 * NULL when the element names none.  hc_xfcc_peer_clear() frees it all.
 */
typedef struct hc_xfcc_peer {
	bool has_x5t;
	char x5t[HC_X5T_LEN + 1];
	char *spiffe_id;
	unsigned char *der;
	size_t derlen;
} hc_xfcc_peer;

/*
 * Reads the last element of an XFCC value into *out, by the rules of
 * hc_xfcc_parse(), with the leaf itself when the element has `Cert`.  On
 * failure *out is empty.  d may be NULL.
 */
hc_status hc_xfcc_read(const char *value, size_t len, hc_xfcc_peer *out,
    hc_detail *d);

/* Frees what hc_xfcc_read() put in *p and empties it. */
void hc_xfcc_peer_clear(hc_xfcc_peer *p);

/*
 * Parses the `len` bytes of an Envoy x-forwarded-client-cert value (text
 * format) and reads its last element:
 *
 *  - `Hash`, the hex SHA-256 of the DER leaf (exactly 64 hex digits), is
 *    turned into the base64url thumbprint of RFC 8705 section 3.1;
 *  - `Cert`, the URL-encoded PEM leaf, when present, gives the thumbprint
 *    instead (recomputed over its DER), and must then agree with `Hash`
 *    if both are there;
 *  - `URI`, the URI SAN, is the peer's SPIFFE ID; with `Cert`, it must be
 *    the certificate's only URI SAN, which is used when `URI` is absent.
 *
 * Keys are case-insensitive; values may be double-quoted, with \" for a
 * quote inside; unknown keys (By, Subject, DNS, Chain, ...) are skipped.
 * On HC_OK, *x5t_b64url and *spiffe_id are heap strings (free()) or NULL
 * when the element has no such field, never both NULL.  Otherwise both
 * are NULL and the status is HC_MALFORMED (syntax, bounds, an element
 * with neither Hash, Cert nor URI), HC_BINDING (`Hash` is not the digest
 * of `Cert`) or HC_PEER (two URI SANs, or a `URI` that is not the
 * certificate's: no workload identity, X509-SVID section 2), with the
 * reason in d.
 */
hc_status hc_xfcc_parse(const char *value, size_t len, char **x5t_b64url,
    char **spiffe_id, hc_detail *d);

#endif /* HC_XFCC_H */
