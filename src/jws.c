/* SPDX-License-Identifier: Apache-2.0 */
/*
 * jws.c - the JWS compact serialization (RFC 7515 sections 3.1 and 5.2).
 *
 * A token is exactly three base64url segments separated by two dots: the
 * protected header, the payload and the signature.  Each is decoded with
 * the strict decoder of b64url.c; header and payload must be JSON objects
 * under the strict rules of json.c (RFC 7515 section 5.2 steps 1-3, RFC
 * 7519 section 7.2 steps 1-5 and 10).  The signing input is the first two
 * segments exactly as they were received, never a re-encoding, so that what
 * is verified is byte for byte what was sent.
 *
 * hc_jws_parse() also refuses the header parameters whose meaning hopcheck
 * does not implement, so that no caller can ignore them by forgetting to
 * look: a parameter that changes what a token means must be understood or
 * refused, never skipped.  Refused, whatever else the header says:
 *
 *  - any JWE parameter (`enc`, `epk`, `apu`, `apv`, `iv`, `tag`, `p2s`,
 *    `p2c`; RFC 7516 section 4.1 and RFC 7518 section 4.6-4.8): the token
 *    is, or pretends to be, encrypted, and a JWE is not a JWS: malformed;
 *  - `zip` (RFC 7516 section 4.1.3), compression, defined for JWE only:
 *    malformed;
 *  - `b64` (RFC 7797), the unencoded-payload extension, with or without
 *    `crit`: it changes what the signature covers, and hopcheck
 *    understands no JWS extension: crit, as `crit` itself is;
 *  - `cty` naming a nested JWT ("JWT" or "application/jwt", compared
 *    case-insensitively; RFC 7519 section 5.2): the claims would be those
 *    of the inner token, which nothing here verifies: malformed.  Any other
 *    `cty` string is informational (RFC 7515 section 4.1.10) and allowed;
 *    a `cty` that is not a string is malformed.
 *
 * The other rules on the header (`alg`, `crit`, `kid`, `typ`) are the
 * caller's.  hc_jws_decode() splits and decodes without these rules, for a
 * tool that only shows a token and verifies nothing (`hopcheck inspect`).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

/*
 * Decodes one segment into `buf` (room for HC_B64URL_DECODED_MAX(n) + 1
 * bytes) and NUL-terminates it, for JSON.
 */
static hc_status
decode_segment(const char *seg, size_t n, const char *what,
    unsigned char *buf, size_t *outlen, hc_detail *d)
{
	if (hc_b64url_decode(seg, n, buf, HC_B64URL_DECODED_MAX(n), outlen) != 0)
		return hc_fail(d, HC_MALFORMED, "%s segment is not canonical "
		    "unpadded base64url", what);
	buf[*outlen] = '\0';
	return HC_OK;
}

/* Decodes a segment that must hold a JSON object into buf and *out. */
static hc_status
decode_object(const char *seg, size_t n, const char *what,
    unsigned char *buf, size_t *blen, hc_json **out, hc_detail *d)
{
	hc_status st;

	*out = NULL;
	if (n == 0)
		return hc_fail(d, HC_MALFORMED, "%s segment is empty", what);
	if ((st = decode_segment(seg, n, what, buf, blen, d)) != HC_OK)
		return st;
	st = hc_json_parse((const char *)buf, *blen, out, d);
	if (st != HC_OK) {
		if (d != NULL) {
			hc_detail inner = *d;
			hc_fail(d, st, "%s: %s", what, inner.text);
		}
		return st;
	}
	if (hc_json_type_of(*out) != HC_JSON_OBJECT) {
		hc_fail(d, HC_MALFORMED, "%s is a JSON %s, not an object", what,
		    hc_json_type_name(hc_json_type_of(*out)));
		hc_json_free(*out);
		*out = NULL;
		return HC_MALFORMED;
	}
	return HC_OK;
}

/* Header parameters of a JWE (RFC 7516 section 4.1, RFC 7518 4.6-4.8). */
static const char *const jwe_params[] = {
	"enc", "epk", "apu", "apv", "iv", "tag", "p2s", "p2c", NULL
};

/*
 * Refuses the header parameters hopcheck does not implement (see the top
 * of this file).  Returns HC_OK, or HC_MALFORMED or HC_CRIT with a detail
 * that names the parameter and, for cty, its value quoted and capped.
 */
static hc_status
header_params(const hc_json *header, hc_detail *d)
{
	const hc_json *j;
	const char *cty;
	char q[HC_QBUF];

	for (size_t i = 0; jwe_params[i] != NULL; i++)
		if (hc_json_get(header, jwe_params[i]) != NULL)
			return hc_fail(d, HC_MALFORMED, "header carries %s, a JWE "
			    "parameter; a JWE is not a JWS", jwe_params[i]);
	if (hc_json_get(header, "zip") != NULL)
		return hc_fail(d, HC_MALFORMED, "header carries zip (compression, "
		    "a JWE parameter); a JWS is never compressed");
	if (hc_json_get(header, "b64") != NULL)
		return hc_fail(d, HC_CRIT, "header carries b64 (RFC 7797 unencoded "
		    "payload); hopcheck understands no JWS extension");
	if ((j = hc_json_get(header, "cty")) == NULL)
		return HC_OK;
	if ((cty = hc_json_string(j)) == NULL)
		return hc_fail(d, HC_MALFORMED, "header cty is a %s, not a string",
		    hc_json_type_name(hc_json_type_of(j)));
	if (strcasecmp(cty, "JWT") == 0 ||
	    strcasecmp(cty, "application/jwt") == 0)
		return hc_fail(d, HC_MALFORMED, "nested JWT (cty %s) is not "
		    "supported", hc_quote(q, sizeof(q), cty));
	return HC_OK;
}

hc_status
hc_jws_parse(const char *token, size_t len, hc_jws *out, hc_detail *d)
{
	hc_status st;

	if ((st = hc_jws_decode(token, len, out, d)) != HC_OK)
		return st;
	if ((st = header_params(out->header, d)) != HC_OK)
		hc_jws_clear(out);
	return st;
}

hc_status
hc_jws_decode(const char *token, size_t len, hc_jws *out, hc_detail *d)
{
	const char *dot1, *dot2;
	size_t hlen, plen, slen, hcap, pcap;
	hc_status st;

	memset(out, 0, sizeof(*out));
	if (token == NULL || len == 0)
		return hc_fail(d, HC_MALFORMED, "token is empty");
	if (memchr(token, '\0', len) != NULL)
		return hc_fail(d, HC_MALFORMED, "token contains a NUL byte");
	dot1 = memchr(token, '.', len);
	dot2 = dot1 ? memchr(dot1 + 1, '.', len - (size_t)(dot1 + 1 - token)) :
	    NULL;
	if (dot1 == NULL || dot2 == NULL ||
	    memchr(dot2 + 1, '.', len - (size_t)(dot2 + 1 - token)) != NULL) {
		size_t dots = 0;
		for (size_t i = 0; i < len; i++)
			dots += token[i] == '.';
		return hc_fail(d, HC_MALFORMED, "token has %zu segments; a compact "
		    "JWS has exactly 3", dots + 1);
	}
	hlen = (size_t)(dot1 - token);
	plen = (size_t)(dot2 - dot1 - 1);
	slen = len - (size_t)(dot2 + 1 - token);
	/* One block for the three decoded segments, each NUL-terminated. */
	hcap = HC_B64URL_DECODED_MAX(hlen) + 1;
	pcap = HC_B64URL_DECODED_MAX(plen) + 1;
	if ((out->buf = malloc(hcap + pcap + HC_B64URL_DECODED_MAX(slen) +
	    1)) == NULL)
		return hc_fail(d, HC_INTERNAL, "out of memory");
	st = decode_object(token, hlen, "header", out->buf,
	    &out->header_json_len, &out->header, d);
	if (st != HC_OK)
		goto fail;
	st = decode_object(dot1 + 1, plen, "payload", out->buf + hcap,
	    &out->payload_json_len, &out->payload, d);
	if (st != HC_OK)
		goto fail;
	out->sig = out->buf + hcap + pcap;
	st = decode_segment(dot2 + 1, slen, "signature", out->sig,
	    &out->sig_len, d);
	if (st != HC_OK)
		goto fail;
	out->header_json = (const char *)out->buf;
	out->payload_json = (const char *)out->buf + hcap;
	out->signing_input = token;
	out->signing_input_len = (size_t)(dot2 - token);
	return HC_OK;
fail:
	hc_jws_clear(out);
	return st;
}

void
hc_jws_clear(hc_jws *jws)
{
	hc_json_free(jws->header);
	hc_json_free(jws->payload);
	free(jws->buf);
	memset(jws, 0, sizeof(*jws));
}
