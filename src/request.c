/*
 * request.c - the request context: what the service knows about the call
 * a token is presented on (route, tenant, clock, peer).
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "validator.h"

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

HC_EXPORT void
hc_request_free(hc_request *req)
{
	if (req == NULL)
		return;
	free(req->method);
	free(req->path);
	free(req->tenant);
	clear_peer(req);
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

/*
 * Route patterns match the path as a string, so a path must be in normal
 * form, or "/public/../admin" (or "/public/..;/admin") would match the pattern "/public/" + "*": it must start with
 * '/', and hold no empty, "." or ".." segment, no backslash, and no
 * percent-encoded '/', '.' or '%' that a server could decode into one.
 */
static bool
path_ok(const char *p)
{
	if (p[0] != '/')
		return false;
	for (const char *s = p; *s != '\0'; s++) {
		if (*s == '\\' || (unsigned char)*s < 0x21 || *s == 0x7f)
			return false;
		if (*s == '%' && s[1] != '\0' && s[2] != '\0') {
			char a = s[1], b = (char)(s[2] | 0x20);
			if ((a == '2' && (b == 'e' || b == 'f')) ||
			    (a == '5' && b == 'c') || (a == '2' && b == '5'))
				return false;
		}
		if (*s == '/') {
			/*
			 * A segment's name ends at ';' for servers that take
			 * matrix parameters ("/..;/" is ".." to them).
			 */
			const char *n = s + 1;
			size_t l = strcspn(n, "/;");
			if (*n == '/' || (l == 1 && n[0] == '.') ||
			    (l == 2 && n[0] == '.' && n[1] == '.'))
				return false;
		}
	}
	return true;
}

HC_EXPORT hc_status
hc_request_set_route(hc_request *req, const char *method, const char *path)
{
	char *m = NULL, *p = NULL, *q;
	hc_status st;

	if (req == NULL)
		return HC_INTERNAL;
	if ((st = set_string(&m, method)) != HC_OK)
		return st;
	if ((st = set_string(&p, path)) != HC_OK) {
		free(m);
		return st;
	}
	/* Routes are matched on the path alone. */
	if ((q = strchr(p, '?')) != NULL)
		*q = '\0';
	if ((q = strchr(p, '#')) != NULL)
		*q = '\0';
	if (!method_ok(m) || !path_ok(p)) {
		free(m);
		free(p);
		return HC_MALFORMED;
	}
	free(req->method);
	free(req->path);
	req->method = m;
	req->path = p;
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
