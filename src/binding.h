/*
 * binding.h - the workload-identity helpers of binding.c that the daemon
 * uses directly: the parser of Envoy's x-forwarded-client-cert header.
 *
 * hc_binding_check() itself, the layer-3 step, is declared in validator.h
 * with the other pipeline steps.
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
#ifndef HC_BINDING_H
#define HC_BINDING_H

#include "internal.h"

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

#endif /* HC_BINDING_H */
