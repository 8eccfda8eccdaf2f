/* SPDX-License-Identifier: Apache-2.0 */
/*
 * policy.c - the questions the validator asks a built policy.
 *
 * config.c builds a struct hc_policy once and never changes it; this file
 * only reads one: which issuer is configured for an `iss`, which route
 * applies to a request, and whether a pattern (actor, subject, direct
 * caller, route path) matches a value.  Nothing here allocates or locks, so
 * any number of threads may ask at once.
 */
#include <string.h>

#include "policy.h"

/* ---------------------------------------------------------- patterns */

/* hc_pattern_match() on the first vlen bytes of value. */
static bool
pattern_match_n(const char *pattern, const char *value, size_t vlen)
{
	size_t plen = strlen(pattern);

	if (plen > 0 && pattern[plen - 1] == '*')
		return vlen >= plen - 1 &&
		    memcmp(pattern, value, plen - 1) == 0;
	return vlen == plen && memcmp(pattern, value, plen) == 0;
}

/* Exact match, or prefix match when the pattern ends in '*'; NULL never. */
bool
hc_pattern_match(const char *pattern, const char *value)
{
	if (pattern == NULL || value == NULL)
		return false;
	return pattern_match_n(pattern, value, strlen(value));
}

/* ------------------------------------------------------------ routes */

/*
 * Whether a route pattern "X/" + "*" names the path X itself: a request
 * path arrives without its trailing slash (request.c), so "/v1/orders/"
 * is "/v1/orders", and the collection must not escape its members' rule.
 */
static bool
collection_of(const char *pattern, const char *path, size_t plen)
{
	size_t l = strlen(pattern);

	return l >= 3 && pattern[l - 1] == '*' && pattern[l - 2] == '/' &&
	    plen == l - 2 && memcmp(pattern, path, plen) == 0;
}

/*
 * First route, in file order, whose method is "*" or equal to `method`
 * (methods are case-sensitive, RFC 9110 section 9.1) and whose path
 * pattern matches `path` up to any '?'; else default_route, which is NULL
 * when none is configured.
 */
const hc_route_policy *
hc_policy_route(const hc_policy *p, const char *method, const char *path)
{
	size_t plen;

	if (p == NULL)
		return NULL;
	if (method != NULL && path != NULL) {
		plen = strcspn(path, "?");
		for (size_t i = 0; i < p->nroutes; i++) {
			const hc_route_policy *r = &p->routes[i];
			if (strcmp(r->method, "*") != 0 &&
			    strcmp(r->method, method) != 0)
				continue;
			if (pattern_match_n(r->path, path, plen) ||
			    collection_of(r->path, path, plen))
				return r;
		}
	}
	return p->default_route;
}

/* ----------------------------------------------------------- issuers */

/*
 * The issuer whose `issuer` equals iss byte for byte (no normalisation: RFC
 * 9068 section 4 compares exactly), with its index in *index when wanted.
 */
const hc_issuer_policy *
hc_policy_issuer(const hc_policy *p, const char *iss, size_t *index)
{
	if (p == NULL || iss == NULL)
		return NULL;
	for (size_t i = 0; i < p->nissuers; i++) {
		if (strcmp(p->issuers[i].issuer, iss) == 0) {
			if (index != NULL)
				*index = i;
			return &p->issuers[i];
		}
	}
	return NULL;
}
