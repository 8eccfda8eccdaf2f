/* SPDX-License-Identifier: Apache-2.0 */
/*
 * wid.c - the Workload Identifier grammar (draft-ietf-wimse-identifier
 * section 4.1, 4.3 and 4.4; draft-ietf-wimse-workload-creds-03 sections
 * 1.3 and 4): an absolute URI whose authority is the trust domain, with
 * no userinfo, port, query or fragment, at most 2048 bytes.
 *
 * As for SPIFFE IDs (spiffe.c), the strict reading is taken where the
 * drafts leave room, so that one identity has one spelling and compares
 * byte-exactly: the scheme and the host must already be lower-case, the
 * host is a name of letters, digits, '.', '-' and '_' (no IP literal, no
 * percent-encoding), and percent-encodings in the path must be well
 * formed.  A "spiffe" URI must also pass the SPIFFE-ID grammar: SPIFFE
 * IDs are the strict subset.  One left-to-right scan, no allocation.
 */
#include <string.h>

#include "wimse.h"

static bool
lower_alpha(int c)
{
	return c >= 'a' && c <= 'z';
}

static bool
digit(int c)
{
	return c >= '0' && c <= '9';
}

static bool
hexdig(int c)
{
	return digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

hc_status
hc_wid_check(const char *id, size_t len, const char **td, size_t *td_len,
    hc_detail *d)
{
	size_t i, h0, h1;

	if (td != NULL)
		*td = NULL;
	if (td_len != NULL)
		*td_len = 0;
	if (id == NULL || len == 0)
		return hc_fail(d, HC_MALFORMED, "Workload Identifier is empty");
	if (len > HC_MAX_WID_BYTES)
		return hc_fail(d, HC_MALFORMED, "Workload Identifier is %zu "
		    "bytes, more than %d (identifier section 4.1)", len,
		    HC_MAX_WID_BYTES);
	/* RFC 3986 section 3.1, lower-case only. */
	for (i = 0; i < len && (lower_alpha(id[i]) || (i > 0 &&
	    (digit(id[i]) || id[i] == '+' || id[i] == '-' || id[i] == '.')));
	    i++)
		;
	if (i == 0 || len - i < 3 || memcmp(id + i, "://", 3) != 0)
		return hc_fail(d, HC_MALFORMED, "Workload Identifier is not an "
		    "absolute URI with an authority (a lower-case scheme and "
		    "\"://\"; identifier section 4.1)");
	h0 = i + 3;
	for (h1 = h0; h1 < len && id[h1] != '/'; h1++) {
		unsigned char c = (unsigned char)id[h1];

		if (c == '@')
			return hc_fail(d, HC_MALFORMED, "Workload Identifier "
			    "has userinfo (identifier section 4.1)");
		if (c == ':')
			return hc_fail(d, HC_MALFORMED, "Workload Identifier "
			    "has a port (identifier section 4.1)");
		if (c == '?' || c == '#')
			return hc_fail(d, HC_MALFORMED, "Workload Identifier "
			    "has a query or fragment (identifier section 4.1)");
		if (!(lower_alpha(c) || digit(c) || c == '.' || c == '-' ||
		    c == '_'))
			return hc_fail(d, HC_MALFORMED, "Workload Identifier "
			    "trust domain has byte 0x%02x at offset %zu; a "
			    "lower-case name is required", c, h1);
	}
	if (h1 == h0)
		return hc_fail(d, HC_MALFORMED, "Workload Identifier has an "
		    "empty trust domain (identifier section 4.3)");
	if (h1 - h0 > HC_MAX_TRUST_DOMAIN_BYTES)
		return hc_fail(d, HC_MALFORMED, "Workload Identifier trust "
		    "domain is longer than %d bytes",
		    HC_MAX_TRUST_DOMAIN_BYTES);
	for (i = h1; i < len; i++) {
		unsigned char c = (unsigned char)id[i];

		if (c == '?' || c == '#')
			return hc_fail(d, HC_MALFORMED, "Workload Identifier "
			    "has a query or fragment (identifier section 4.1)");
		if (c == '%') {
			if (len - i < 3 || !hexdig(id[i + 1]) ||
			    !hexdig(id[i + 2]))
				return hc_fail(d, HC_MALFORMED, "Workload "
				    "Identifier has a '%%' not followed by two "
				    "hex digits at offset %zu", i);
			i += 2;
			continue;
		}
		if (!(lower_alpha(c) || (c >= 'A' && c <= 'Z') || digit(c) ||
		    strchr("-._~!$&'()*+,;=:@/", c) != NULL) || c == '\0')
			return hc_fail(d, HC_MALFORMED, "Workload Identifier "
			    "path has byte 0x%02x at offset %zu, not allowed in "
			    "a URI path", c, i);
	}
	/* SPIFFE IDs are the strict subset: their own grammar on top. */
	if (h0 == HC_SPIFFE_SCHEME_LEN &&
	    memcmp(id, HC_SPIFFE_SCHEME, HC_SPIFFE_SCHEME_LEN) == 0) {
		hc_detail sd = { "" };

		if (hc_spiffe_id_check(id, len, NULL, &sd) != HC_OK)
			return hc_fail(d, HC_MALFORMED, "Workload Identifier is "
			    "a spiffe URI but not a SPIFFE ID: %s", sd.text);
	}
	if (td != NULL)
		*td = id + h0;
	if (td_len != NULL)
		*td_len = h1 - h0;
	return HC_OK;
}
