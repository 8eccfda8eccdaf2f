/* SPDX-License-Identifier: Apache-2.0 */
/*
 * status.c - the stable status names.  These strings are an interface:
 * logs, metrics labels, CLI output and test vectors use them verbatim.
 */
#include <string.h>

#include "internal.h"

static const char *const status_names[HC_STATUS_COUNT] = {
	[HC_OK] = "ok",
	[HC_MALFORMED] = "malformed",
	[HC_ALG] = "alg",
	[HC_CRIT] = "crit",
	[HC_KEY] = "key",
	[HC_SIGNATURE] = "signature",
	[HC_ISSUER] = "issuer",
	[HC_TYPE] = "type",
	[HC_AUDIENCE] = "audience",
	[HC_EXPIRED] = "expired",
	[HC_NOT_YET_VALID] = "not_yet_valid",
	[HC_LIFETIME] = "lifetime",
	[HC_CLAIM] = "claim",
	[HC_CHAIN] = "chain",
	[HC_BINDING] = "binding",
	[HC_PEER] = "peer",
	[HC_SCOPE] = "scope",
	[HC_TENANT] = "tenant",
	[HC_POLICY] = "policy",
	[HC_REPLAY] = "replay",
	[HC_NARROWING] = "narrowing",
	[HC_UNAVAILABLE] = "unavailable",
	[HC_CONFIG] = "config",
	[HC_INTERNAL] = "internal",
	[HC_NONCE] = "nonce",
};

HC_EXPORT const char *
hc_status_name(hc_status status)
{
	if ((unsigned)status >= HC_STATUS_COUNT)
		return "internal";
	return status_names[status];
}

HC_EXPORT int
hc_status_from_name(const char *name, hc_status *out)
{
	if (name == NULL)
		return -1;
	for (unsigned i = 0; i < HC_STATUS_COUNT; i++) {
		if (strcmp(status_names[i], name) == 0) {
			*out = (hc_status)i;
			return 0;
		}
	}
	return -1;
}

HC_EXPORT const char *
hc_version(void)
{
	return HC_VERSION;
}
