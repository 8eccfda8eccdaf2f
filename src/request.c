/* SPDX-License-Identifier: Apache-2.0 */
/*
 * request.c - the request context: what the service knows about the call
 * a token is presented on (route, tenant, clock, peer, a Txn-Token, the
 * scheme and DPoP proof, a WIT and WPT), and the setters
 * that fill it, the peer from a certificate, from a proxy's identity, or
 * from an x-forwarded-client-cert header (parsed by xfcc.c).
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "validator.h"
#include "xfcc.h"

HC_EXPORT hc_request *
hc_request_new(void)
{
	return calloc(1, sizeof(hc_request));
}

static void
clear_peer(hc_request *req)
{
	free(req->peer_der);
	free(req->peer_x5t);
	free(req->peer_spiffe_id);
	req->peer_der = NULL;
	req->peer_der_len = 0;
	req->peer_x5t = NULL;
	req->peer_spiffe_id = NULL;
	req->has_peer = false;
}

/* Wipes and frees a credential the request holds. */
static void
clear_token(char **t, size_t *len)
{
	if (*t != NULL)
		hc_wipe(*t, *len);
	free(*t);
	*t = NULL;
	*len = 0;
}

HC_EXPORT void
hc_request_free(hc_request *req)
{
	if (req == NULL)
		return;
	free(req->method);
	free(req->path);
	free(req->raw_method);
	free(req->raw_path);
	free(req->tenant);
	clear_peer(req);
	clear_token(&req->txn_token, &req->txn_token_len);
	clear_token(&req->dpop, &req->dpop_len);
	clear_token(&req->wit, &req->wit_len);
	clear_token(&req->wpt, &req->wpt_len);
	free(req);
}

/* Copies a request string, refusing empty or over-long values. */
static hc_status
set_string(char **dst, const char *s)
{
	char *n;

	if (s == NULL || s[0] == '\0' || strlen(s) > HC_MAX_REQUEST_STRING)
		return HC_MALFORMED;
	if ((n = strdup(s)) == NULL)
		return HC_INTERNAL;
	free(*dst);
	*dst = n;
	return HC_OK;
}

/* An HTTP method token of letters (RFC 9110 section 9.1), stored upper. */
static bool
method_ok(char *m)
{
	for (; *m != '\0'; m++) {
		if (*m >= 'a' && *m <= 'z')
			*m = (char)(*m - 'a' + 'A');
		else if (*m < 'A' || *m > 'Z')
			return false;
	}
	return true;
}

/* RFC 3986 section 2.3: characters whose escaping means nothing. */
static bool
unreserved(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	    c == '~';
}

/*
 * Route patterns match the path as a string, so the path is brought into
 * one normal form first, in place, or a spelling the backend decodes to the
 * same resource would match no route (and so need no scope):
 *
 *  - escapes of unreserved characters are decoded ("/v1/%70ayments" is
 *    "/v1/payments", RFC 3986 section 6.2.2.2), other escapes keep their
 *    meaning and are written in upper case;
 *  - escapes of '/', '\', '%' and control characters, raw backslashes,
 *    control characters, spaces, non-ASCII bytes and ';' (matrix
 *    parameters, which make "/..;/" a ".." segment to some servers) are
 *    refused, and so is a '%' not followed by two hex digits;
 *  - then, on the decoded path, empty, "." and ".." segments are refused,
 *    and one trailing '/' is dropped ("/v1/payments/" is "/v1/payments").
 *
 * Case is kept: paths are case-sensitive (RFC 3986 section 6.2.2.1).  A
 * backend that is not should be fronted with a denying default route.
 */
static bool
path_normalize(char *p)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i = 0, o = 0;

	if (p[0] != '/')
		return false;
	while (p[i] != '\0') {
		unsigned char c = (unsigned char)p[i];
		if (c == '%') {
			int h = hc_hex_digit((unsigned char)p[i + 1]), l;
			if (h < 0 || (l = hc_hex_digit((unsigned char)p[i + 2])) < 0)
				return false;
			c = (unsigned char)(h * 16 + l);
			i += 3;
			if (unreserved(c)) {
				p[o++] = (char)c;
			} else if (c < 0x20 || c == 0x7f || c == '/' ||
			    c == '\\' || c == '%') {
				return false;
			} else {
				p[o++] = '%';
				p[o++] = hex[c >> 4];
				p[o++] = hex[c & 15];
			}
			continue;
		}
		if (c < 0x21 || c >= 0x7f || c == '\\' || c == ';')
			return false;
		p[o++] = (char)c;
		i++;
	}
	p[o] = '\0';
	if (strstr(p, "//") != NULL)
		return false;
	if (o > 1 && p[o - 1] == '/')
		p[--o] = '\0';
	for (const char *s = p; *s != '\0'; s++) {
		if (*s != '/')
			continue;
		size_t l = strcspn(s + 1, "/");
		if ((l == 1 && s[1] == '.') ||
		    (l == 2 && s[1] == '.' && s[2] == '.'))
			return false;
	}
	return true;
}

HC_EXPORT hc_status
hc_request_set_route(hc_request *req, const char *method, const char *path)
{
	char *m = NULL, *p = NULL, *rm = NULL, *rp = NULL, *q;
	hc_status st;

	if (req == NULL)
		return HC_INTERNAL;
	if ((st = set_string(&m, method)) != HC_OK)
		return st;
	if ((st = set_string(&p, path)) != HC_OK) {
		free(m);
		return st;
	}
	/* As sent, for DPoP htm/htu and the WPT aud (RFC 9449 4.3). */
	if ((rm = strdup(m)) == NULL || (rp = strdup(p)) == NULL) {
		free(m);
		free(p);
		free(rm);
		return HC_INTERNAL;
	}
	/* Routes are matched on the path alone. */
	if ((q = strchr(p, '?')) != NULL)
		*q = '\0';
	if ((q = strchr(p, '#')) != NULL)
		*q = '\0';
	if (!method_ok(m) || !path_normalize(p)) {
		free(m);
		free(p);
		free(rm);
		free(rp);
		return HC_MALFORMED;
	}
	free(req->method);
	free(req->path);
	free(req->raw_method);
	free(req->raw_path);
	req->method = m;
	req->path = p;
	req->raw_method = rm;
	req->raw_path = rp;
	return HC_OK;
}

HC_EXPORT hc_status
hc_request_set_tenant(hc_request *req, const char *tenant)
{
	if (req == NULL)
		return HC_INTERNAL;
	return set_string(&req->tenant, tenant);
}

HC_EXPORT void
hc_request_set_time(hc_request *req, int64_t now)
{
	if (req == NULL)
		return;
	req->has_time = true;
	req->now = now;
}

HC_EXPORT hc_status
hc_request_set_peer_cert(hc_request *req, const unsigned char *cert,
    size_t len)
{
	unsigned char *der;
	size_t derlen;
	hc_status st;

	if (req == NULL)
		return HC_INTERNAL;
	if (cert == NULL || len == 0 || len > HC_MAX_CERT_BYTES)
		return HC_MALFORMED;
	if ((st = hc_x509_to_der(cert, len, &der, &derlen, NULL)) != HC_OK)
		return st;
	clear_peer(req);
	req->peer_der = der;
	req->peer_der_len = derlen;
	req->has_peer = true;
	return HC_OK;
}

HC_EXPORT hc_status
hc_request_set_peer_identity(hc_request *req, const char *x5t_s256,
    const char *spiffe_id)
{
	char *x = NULL, *s = NULL;

	if (req == NULL)
		return HC_INTERNAL;
	if (x5t_s256 == NULL && spiffe_id == NULL)
		return HC_MALFORMED;
	if (x5t_s256 != NULL && set_string(&x, x5t_s256) != HC_OK)
		return HC_MALFORMED;
	if (spiffe_id != NULL && set_string(&s, spiffe_id) != HC_OK) {
		free(x);
		return HC_MALFORMED;
	}
	clear_peer(req);
	req->peer_x5t = x;
	req->peer_spiffe_id = s;
	req->has_peer = true;
	return HC_OK;
}

/*
 * A trusted front proxy's x-forwarded-client-cert (xfcc.c).  With a
 * `Cert`, the request gets the leaf itself, so that binding sees exactly
 * what it would see from a TLS layer (and makes the leaf checks of
 * X509-SVID section 5.2); otherwise the thumbprint and SPIFFE ID.
 */
HC_EXPORT hc_status
hc_request_set_xfcc(hc_request *req, const char *value, size_t len)
{
	hc_xfcc_peer p;
	hc_status st;

	if (req == NULL)
		return HC_INTERNAL;
	if ((st = hc_xfcc_read(value, len, &p, NULL)) != HC_OK)
		return st;
	if (p.der != NULL)
		st = hc_request_set_peer_cert(req, p.der, p.derlen);
	else
		st = hc_request_set_peer_identity(req, p.has_x5t ? p.x5t : NULL,
		    p.spiffe_id);
	hc_xfcc_peer_clear(&p);
	return st;
}

/*
 * Copies a credential header's `len` bytes into *dst (wiping the old
 * one): the bound here is HC_MAX_TOKEN_BYTES_CAP; the module that judges
 * it applies its own.
 */
static hc_status
set_token(char **dst, size_t *dlen, const char *token, size_t len)
{
	char *t;

	if (token == NULL || len == 0 || len > HC_MAX_TOKEN_BYTES_CAP)
		return HC_MALFORMED;
	if ((t = malloc(len + 1)) == NULL)
		return HC_INTERNAL;
	memcpy(t, token, len);
	t[len] = '\0';
	clear_token(dst, dlen);
	*dst = t;
	*dlen = len;
	return HC_OK;
}

/*
 * The Txn-Token header's value, kept byte for byte (txn.c judges it,
 * commas and all).
 */
HC_EXPORT hc_status
hc_request_set_txn_token(hc_request *req, const char *token, size_t len)
{
	if (req == NULL)
		return HC_INTERNAL;
	return set_token(&req->txn_token, &req->txn_token_len, token, len);
}

HC_EXPORT hc_status
hc_request_set_auth_scheme(hc_request *req, hc_auth_scheme scheme)
{
	if (req == NULL)
		return HC_INTERNAL;
	if (scheme != HC_SCHEME_BEARER && scheme != HC_SCHEME_DPOP)
		return HC_MALFORMED;
	req->scheme = scheme;
	return HC_OK;
}

/* The DPoP header's value (dpop.c judges it, commas and all). */
HC_EXPORT hc_status
hc_request_set_dpop(hc_request *req, const char *proof, size_t len)
{
	hc_status st;

	if (req == NULL)
		return HC_INTERNAL;
	if ((st = set_token(&req->dpop, &req->dpop_len, proof, len)) == HC_OK)
		req->scheme = HC_SCHEME_DPOP;
	return st;
}

HC_EXPORT hc_status
hc_request_set_wit(hc_request *req, const char *wit, size_t len)
{
	if (req == NULL)
		return HC_INTERNAL;
	return set_token(&req->wit, &req->wit_len, wit, len);
}

HC_EXPORT hc_status
hc_request_set_wpt(hc_request *req, const char *wpt, size_t len)
{
	if (req == NULL)
		return HC_INTERNAL;
	return set_token(&req->wpt, &req->wpt_len, wpt, len);
}
