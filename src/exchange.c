/* SPDX-License-Identifier: Apache-2.0 */
/*
 * exchange.c - the calling side of an RFC 8693 token exchange: is the
 * token an STS returned narrower than the one sent to it?
 *
 * RFC 8693 itself asks for no narrowing (its section 1 only says the new
 * token "might be" more narrowly scoped), and a resource server never sees
 * both tokens.  The service that performs the exchange does, and is the
 * one place where an STS that broadened a token, or an intermediary that
 * rewrote its actor chain, can be caught before the token travels on.
 * hc_check_exchange() holds the issued token to the contract written in
 * hopcheck.h:
 *
 *  - both tokens verify under the validator's issuers (layer 1 and the
 *    claim types; no audience or time check, they are not addressed to
 *    this service), and the issued one has not expired;
 *  - same `iss` and `sub`; `aud` only the audience asked for;
 *  - every scope of the issued token (`scope` and `scp`) is in the
 *    subject token's scope; `exp` no later than the subject's;
 *  - with hc_check_exchange_ex() and a tenant claim name, that claim is
 *    the same in both tokens (or absent from both);
 *  - a subject token bound to a certificate (`cnf.x5t#S256`, RFC 8705)
 *    gives an issued token bound to the same certificate, never a bearer
 *    token;
 *  - `may_act` of the subject token (RFC 8693 section 4.4), when present,
 *    names the caller;
 *  - `act` is {"sub": the caller, "act": the subject token's `act`}: the
 *    caller becomes the current actor and every prior actor is kept, in
 *    order, unaltered (RFC 8693 section 4.1).  Both chains are read by
 *    the one parser of chain.c; levels are compared on their identity
 *    members, `sub` and `iss`; other members of an `act` level are not
 *    used (RFC 8693 section 4.1) and may differ.
 *
 * A broadening gives HC_NARROWING, a malformed actor chain HC_CHAIN, and
 * a token that does not verify the status its verification gave.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chain.h"
#include "validator.h"

/* How many `aud` values a detail lists before it says "..." instead. */
#define AUD_SHOWN 3

/* ------------------------------------------------------- small functions */

/* Quotes s for a detail, or says "(none)" when the claim is absent. */
static const char *
quote_opt(char *buf, size_t n, const char *s)
{
	if (s == NULL) {
		(void)snprintf(buf, n, "(none)");
		return buf;
	}
	return hc_quote(buf, n, s);
}

/* Two optional strings are equal: both absent, or both the same bytes. */
static bool
same_opt(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/*
 * Verifies one token (with `applicable`, also its typ and time rules at
 * `now`); a failure's detail is prefixed with which token it was.  The
 * claims (owned) in *claims on HC_OK.
 */
static hc_status
verify_one(const hc_validator *v, const char *which, const char *token,
    size_t len, bool applicable, int64_t now, hc_json **claims, hc_detail *d)
{
	hc_detail vd = { "" };
	hc_status st;

	if ((st = hc_verify_token(v, token, len, applicable, now, claims,
	    &vd)) != HC_OK)
		return hc_fail(d, st, "%s token: %s", which,
		    vd.text[0] != '\0' ? vd.text : hc_status_name(st));
	return HC_OK;
}

/* ------------------------------------------------------------ the checks */

/*
 * `aud` of the issued token names the requested audience and nothing else
 * (RFC 8707 section 3, RFC 8693 section 2.1: the audience asked for).
 */
static hc_status
check_audience(const hc_json *ij, const char *audience, hc_detail *d)
{
	const hc_json *a = hc_json_get(ij, "aud");
	char q[HC_QBUF], list[HC_DETAIL_MAX];
	size_t n, o, shown = 0;

	if (a == NULL)
		return hc_fail(d, HC_NARROWING, "issued token has no aud; it must "
		    "name only the requested audience %s",
		    hc_quote(q, sizeof(q), audience));
	if (hc_json_type_of(a) == HC_JSON_STRING) {
		if (strcmp(hc_json_string(a), audience) == 0)
			return HC_OK;
		return hc_fail(d, HC_NARROWING, "issued aud %s is not the requested "
		    "audience %s", hc_quote(list, sizeof(list), hc_json_string(a)),
		    hc_quote(q, sizeof(q), audience));
	}
	/* hc_claims_types() made it an array of strings. */
	n = hc_json_count(a);
	if (n == 1 && strcmp(hc_json_string(hc_json_first(a)), audience) == 0)
		return HC_OK;
	o = (size_t)snprintf(list, sizeof(list), "[");
	for (const hc_json *e = hc_json_first(a); e != NULL && o < sizeof(list);
	    e = hc_json_next(e)) {
		int w;
		if (shown == AUD_SHOWN) {
			w = snprintf(list + o, sizeof(list) - o, ", ... %zu values",
			    n);
			o += w > 0 ? (size_t)w : 0;
			break;
		}
		w = snprintf(list + o, sizeof(list) - o, "%s%s",
		    shown > 0 ? ", " : "", hc_quote(q, sizeof(q),
		    hc_json_string(e)));
		o += w > 0 ? (size_t)w : 0;
		shown++;
	}
	if (o < sizeof(list) - 1)
		(void)snprintf(list + o, sizeof(list) - o, "]");
	return hc_fail(d, HC_NARROWING, "issued aud %s is not only the requested "
	    "audience %s", list, hc_quote(q, sizeof(q), audience));
}

/* Whether the `len` bytes at tok are one token of the space-separated s. */
static bool
scope_list_has(const char *s, const char *tok, size_t len)
{
	while (*s != '\0') {
		size_t l = strcspn(s, " ");
		if (l == len && memcmp(s, tok, len) == 0)
			return true;
		s += l;
		if (*s == ' ')
			s++;
	}
	return false;
}

/*
 * Whether the subject token grants the scope at tok: its `scope` string
 * when it has one, else its `scp` array (the same precedence as the
 * result's scope in claims.c, so that the check matches what a validator
 * of the subject token granted).
 */
static bool
subject_grants(const hc_json *sj, const char *tok, size_t len)
{
	const char *s = hc_json_string(hc_json_get(sj, "scope"));
	const hc_json *scp;

	if (s != NULL)
		return scope_list_has(s, tok, len);
	scp = hc_json_get(sj, "scp");
	for (const hc_json *e = hc_json_first(scp); e; e = hc_json_next(e)) {
		const char *es = hc_json_string(e);
		if (es != NULL && strlen(es) == len && memcmp(es, tok, len) == 0)
			return true;
	}
	return false;
}

/* Fails with the first scope of the issued token the subject does not grant. */
static hc_status
scope_refused(const char *claim, const char *tok, size_t len, hc_detail *d)
{
	char cut[HC_DETAIL_VALUE_MAX + 2], q[HC_QBUF];
	size_t n = len < sizeof(cut) - 1 ? len : sizeof(cut) - 1;

	memcpy(cut, tok, n);
	cut[n] = '\0';
	return hc_fail(d, HC_NARROWING, "issued token %s %s is not in the "
	    "subject token's scope", claim, hc_quote(q, sizeof(q), cut));
}

/*
 * Every scope of the issued token, from `scope` and from `scp` alike (a
 * consumer may read either), is granted by the subject token.
 */
static hc_status
check_scope(const hc_json *sj, const hc_json *ij, hc_detail *d)
{
	const char *s = hc_json_string(hc_json_get(ij, "scope"));
	const hc_json *scp = hc_json_get(ij, "scp");

	/* hc_claims_types() checked the RFC 6749 section 3.3 form. */
	while (s != NULL && *s != '\0') {
		size_t l = strcspn(s, " ");
		if (l > 0 && !subject_grants(sj, s, l))
			return scope_refused("scope", s, l, d);
		s += l;
		if (*s == ' ')
			s++;
	}
	for (const hc_json *e = hc_json_first(scp); e; e = hc_json_next(e)) {
		const char *es = hc_json_string(e);
		if (es != NULL && !subject_grants(sj, es, strlen(es)))
			return scope_refused("scp", es, strlen(es), d);
	}
	return HC_OK;
}

/*
 * Whether the chain has a level at `depth` (from 1) at all, well formed or
 * not: the walk below meets a level before it reports what is wrong with
 * it, so that a broadened chain is reported as such even when a deeper
 * level is also malformed.
 */
static bool
has_level(const hc_act_chain *ch, size_t depth)
{
	return depth <= ch->n || (depth == ch->n + 1 && ch->next != NULL);
}

/* The level at `depth` as the token has it, malformed or not, or NULL. */
static const hc_json *
level_at(const hc_act_chain *ch, size_t depth)
{
	if (depth <= ch->n)
		return ch->level[depth - 1].json;
	return depth == ch->n + 1 ? ch->next : NULL;
}

/* The parser's fault of one token's chain, naming that token. */
static hc_status
chain_fault(const hc_act_chain *ch, const char *which, hc_detail *d)
{
	return hc_fail(d, HC_CHAIN, "%s token %s", which, ch->detail.text);
}

/* "sub" or "sub" (iss "iss"), for details. */
static const char *
identity(char *buf, size_t n, const hc_json *a)
{
	const char *iss = hc_json_string(hc_json_get(a, "iss"));
	char q[HC_QBUF], q2[HC_QBUF];

	hc_quote(q, sizeof(q), hc_json_string(hc_json_get(a, "sub")));
	if (iss == NULL)
		(void)snprintf(buf, n, "%s", q);
	else
		(void)snprintf(buf, n, "%s (iss %s)", q, hc_quote(q2, sizeof(q2),
		    iss));
	return buf;
}

/*
 * Two act levels name the same actor: equal non-empty `sub`, and equal
 * `iss` or neither has one (RFC 8693 section 4.1: "the combination of the
 * two claims "iss" and "sub" might be necessary to uniquely identify an
 * actor").  A level that is not an object names no one.
 */
static bool
same_actor(const hc_json *a, const hc_json *b)
{
	const char *sa = hc_json_string(hc_json_get(a, "sub"));
	const char *sb = hc_json_string(hc_json_get(b, "sub"));

	return sa != NULL && sb != NULL && strcmp(sa, sb) == 0 &&
	    same_opt(hc_json_string(hc_json_get(a, "iss")),
	    hc_json_string(hc_json_get(b, "iss")));
}

/*
 * Says how the issued chain departs from the subject's at subject depth k
 * (issued depth k + 1), where the levels sa and ia differ.  One level of
 * look-ahead names the usual splices: two neighbours swapped, a level
 * inserted, a level dropped; anything else is an altered actor.
 */
static hc_status
act_mismatch(const hc_json *sa, const hc_json *ia, size_t k, hc_detail *d)
{
	const hc_json *sn = hc_json_get(sa, "act"), *in = hc_json_get(ia, "act");
	char id1[2 * HC_QBUF + 16], id2[2 * HC_QBUF + 16];

	identity(id1, sizeof(id1), ia);
	identity(id2, sizeof(id2), sa);
	if (same_actor(sn, ia) && same_actor(sa, in))
		return hc_fail(d, HC_NARROWING, "issued act reorders prior actors: "
		    "%s now comes before %s (depths %zu and %zu)", id1, id2,
		    k + 1, k + 2);
	if (same_actor(sa, in))
		return hc_fail(d, HC_NARROWING, "issued act inserts prior actor "
		    "%s at depth %zu, above %s, which the subject token's chain "
		    "does not carry there", id1, k + 1, id2);
	if (same_actor(sn, ia))
		return hc_fail(d, HC_NARROWING, "issued act drops prior actor %s "
		    "(depth %zu of the subject token's chain, expected at depth "
		    "%zu)", id2, k, k + 1);
	return hc_fail(d, HC_NARROWING, "issued act at depth %zu names %s "
	    "where the subject token's chain has %s (a prior actor altered)",
	    k + 1, id1, id2);
}

/*
 * `act` of the issued token is {"sub": self, "act": <subject's act>}: self
 * is the new current actor, and below it the subject token's chain level
 * for level, on the identity members `sub` and `iss`.  A level dropped,
 * inserted, reordered or altered is a laundered delegation path.  Both
 * chains are read by the parser of chain.c; the walk judges level k of
 * the subject's chain and level k + 1 of the issued one together, and
 * stops where the issued chain would pass HC_MAX_ACT_DEPTH levels.
 */
static hc_status
check_act(const hc_json *sj, const hc_json *ij, const char *self,
    hc_detail *d)
{
	const hc_json *sa, *ia;
	char q[HC_QBUF], q2[HC_QBUF], id[2 * HC_QBUF + 16];
	hc_act_chain sc, ic;

	if (hc_json_get(ij, "act") == NULL)
		return hc_fail(d, HC_NARROWING, "issued token has no act; it must "
		    "name self %s as the current actor (RFC 8693 section 4.1)",
		    hc_quote(q, sizeof(q), self));
	(void)hc_act_chain_read(hc_json_get(ij, "act"), &ic);
	(void)hc_act_chain_read(hc_json_get(sj, "act"), &sc);
	if (ic.n == 0)
		return chain_fault(&ic, "issued", d);
	if (strcmp(ic.level[0].sub, self) != 0)
		return hc_fail(d, HC_NARROWING, "issued act.sub %s is not self %s",
		    hc_quote(q, sizeof(q), ic.level[0].sub),
		    hc_quote(q2, sizeof(q2), self));

	/* Subject depth k sits at depth k + 1 of the issued chain. */
	for (size_t k = 1; has_level(&sc, k) || has_level(&ic, k + 1); k++) {
		sa = level_at(&sc, k);
		ia = level_at(&ic, k + 1);
		if (k + 1 > HC_MAX_ACT_DEPTH) {
			if (ia != NULL)
				return hc_fail(d, HC_CHAIN, "issued token act chain is "
				    "deeper than the hard limit of %d",
				    HC_MAX_ACT_DEPTH);
			return hc_fail(d, HC_CHAIN, "subject token act chain has %zu "
			    "or more levels; with self in front it would pass the "
			    "hard limit of %d", k, HC_MAX_ACT_DEPTH);
		}
		if (sa != NULL && k > sc.n)
			return chain_fault(&sc, "subject", d);
		if (ia != NULL && k + 1 > ic.n)
			return chain_fault(&ic, "issued", d);
		if (ia == NULL)
			return hc_fail(d, HC_NARROWING, "issued act drops prior actor "
			    "%s (depth %zu of the subject token's chain, expected at "
			    "depth %zu)", identity(id, sizeof(id), sa), k, k + 1);
		if (sa == NULL)
			return hc_fail(d, HC_NARROWING, "issued act inserts prior "
			    "actor %s at depth %zu, which the subject token's chain "
			    "does not carry", identity(id, sizeof(id), ia), k + 1);
		if (!same_actor(sa, ia))
			return act_mismatch(sa, ia, k, d);
	}
	return HC_OK;
}

/*
 * RFC 8693 section 4.4: `may_act` in the subject token names the party
 * allowed to become the actor.  Self must be that party (by `sub`); a
 * `may_act` naming no `sub` authorises no one this check can recognise.
 */
static hc_status
check_may_act(const hc_json *sj, const hc_json *ij, const char *self,
    hc_detail *d)
{
	const hc_json *m = hc_json_get(sj, "may_act");
	const char *who, *miss, *aiss;
	char q[HC_QBUF], q2[HC_QBUF], q3[HC_QBUF];

	if (m == NULL)
		return HC_OK;
	if ((who = hc_json_string(hc_json_get(m, "sub"))) == NULL)
		return hc_fail(d, HC_NARROWING, "subject token may_act names no "
		    "sub, so self %s is not shown to be the party it authorises",
		    hc_quote(q, sizeof(q), self));
	if (strcmp(who, self) != 0)
		return hc_fail(d, HC_NARROWING, "self %s is not the party may_act "
		    "names (%s)", hc_quote(q, sizeof(q), self),
		    hc_quote(q2, sizeof(q2), who));
	/*
	 * A may_act that qualifies its sub with an iss (RFC 8693 section 4.4:
	 * identity claims, as in act) names a party of that issuer: the
	 * issued token's act must say the same.
	 */
	miss = hc_json_string(hc_json_get(m, "iss"));
	aiss = hc_json_string(hc_json_get(hc_json_get(ij, "act"), "iss"));
	if (miss != NULL && (aiss == NULL || strcmp(miss, aiss) != 0))
		return hc_fail(d, HC_NARROWING, "may_act names %s of issuer %s; the "
		    "issued act names %s", hc_quote(q, sizeof(q), who),
		    hc_quote(q2, sizeof(q2), miss), aiss != NULL ?
		    hc_quote(q3, sizeof(q3), aiss) : "no issuer");
	return HC_OK;
}

/*
 * RFC 8705 section 3: a token bound to a certificate (cnf.x5t#S256) is
 * usable only with that certificate.  An exchange that returns it as a
 * bearer token, or bound to another certificate, hands its holder a token
 * that works without the key the subject token demanded.
 */
static hc_status
check_binding(const hc_json *sj, const hc_json *ij, hc_detail *d)
{
	const char *s = hc_json_string(hc_json_get(hc_json_get(sj, "cnf"),
	    "x5t#S256"));
	const char *i = hc_json_string(hc_json_get(hc_json_get(ij, "cnf"),
	    "x5t#S256"));
	char q[HC_QBUF], q2[HC_QBUF];

	if (s == NULL)
		return HC_OK;
	if (i == NULL)
		return hc_fail(d, HC_NARROWING, "the subject token is bound to "
		    "certificate x5t#S256 %s and the issued token is a bearer "
		    "token: a bound token must come back bound to the same "
		    "certificate (RFC 8705)", hc_quote(q, sizeof(q), s));
	if (strcmp(s, i) != 0)
		return hc_fail(d, HC_NARROWING, "issued cnf.x5t#S256 %s differs "
		    "from the subject token's %s: a bound token must come back "
		    "bound to the same certificate (RFC 8705)",
		    hc_quote(q, sizeof(q), i), hc_quote(q2, sizeof(q2), s));
	return HC_OK;
}

/*
 * The tenant claim `name` is the same JSON value in both tokens, or absent
 * from both: an exchange may narrow a token, never move it to another
 * tenant, nor add or drop the tenant it was for.
 */
static hc_status
check_tenant(const hc_json *sj, const hc_json *ij, const char *name,
    hc_detail *d)
{
	const hc_json *s = hc_json_get(sj, name), *i = hc_json_get(ij, name);
	char *st = NULL, *it = NULL;
	char q[HC_QBUF], q2[HC_QBUF], q3[HC_QBUF];
	hc_status rc = HC_OK;

	if (s == NULL && i == NULL)
		return HC_OK;
	if ((s != NULL && (st = hc_json_print(s)) == NULL) ||
	    (i != NULL && (it = hc_json_print(i)) == NULL)) {
		rc = hc_fail(d, HC_INTERNAL, "out of memory");
		goto out;
	}
	/* A string shows as a string, any other value as its JSON text. */
	if (st == NULL || it == NULL || strcmp(st, it) != 0)
		rc = hc_fail(d, HC_NARROWING, "tenant claim %s of the issued "
		    "token is %s, the subject token's is %s: an exchange may not "
		    "change the tenant", hc_quote(q, sizeof(q), name),
		    it == NULL ? "absent" : hc_json_string(i) != NULL ?
		    hc_quote(q2, sizeof(q2), hc_json_string(i)) : it,
		    st == NULL ? "absent" : hc_json_string(s) != NULL ?
		    hc_quote(q3, sizeof(q3), hc_json_string(s)) : st);
out:
	free(st);
	free(it);
	return rc;
}

/* Both verified claim sets, compared in the order of the contract. */
static hc_status
compare(const hc_json *sj, const hc_json *ij, const char *audience,
    const char *self, const char *tenant_claim, int64_t now, hc_detail *d)
{
	const char *s, *i;
	char q[HC_QBUF], q2[HC_QBUF];
	double sexp, iexp;
	hc_status st;

	/* exp is required of both, as layer 2 requires it of every token. */
	if (!hc_json_number(hc_json_get(ij, "exp"), &iexp))
		return hc_fail(d, HC_CLAIM, "issued token has no exp");
	if (!hc_json_number(hc_json_get(sj, "exp"), &sexp))
		return hc_fail(d, HC_CLAIM, "subject token has no exp");
	/* RFC 7519 section 4.1.4: expired on or after exp. */
	if ((double)now >= iexp)
		return hc_fail(d, HC_EXPIRED, "issued token expired: exp %.17g, "
		    "now %lld", iexp, (long long)now);

	s = hc_json_string(hc_json_get(sj, "iss"));
	i = hc_json_string(hc_json_get(ij, "iss"));
	if (!same_opt(s, i))
		return hc_fail(d, HC_NARROWING, "issued iss %s differs from the "
		    "subject token's iss %s", quote_opt(q, sizeof(q), i),
		    quote_opt(q2, sizeof(q2), s));
	s = hc_json_string(hc_json_get(sj, "sub"));
	i = hc_json_string(hc_json_get(ij, "sub"));
	if (!same_opt(s, i))
		return hc_fail(d, HC_NARROWING, "issued sub %s differs from the "
		    "subject token's sub %s", quote_opt(q, sizeof(q), i),
		    quote_opt(q2, sizeof(q2), s));
	if ((st = check_audience(ij, audience, d)) != HC_OK ||
	    (st = check_scope(sj, ij, d)) != HC_OK ||
	    (tenant_claim != NULL &&
	    (st = check_tenant(sj, ij, tenant_claim, d)) != HC_OK) ||
	    (st = check_binding(sj, ij, d)) != HC_OK)
		return st;
	if (iexp > sexp)
		return hc_fail(d, HC_NARROWING, "issued exp %.17g is later than the "
		    "subject's exp %.17g", iexp, sexp);
	if ((st = check_may_act(sj, ij, self, d)) != HC_OK)
		return st;
	return check_act(sj, ij, self, d);
}

/* ------------------------------------------------------------------- API */

HC_EXPORT hc_status
hc_check_exchange(const hc_validator *v, const char *subject,
    size_t subject_len, const char *issued, size_t issued_len,
    const char *audience, const char *self, int64_t now, char **detail)
{
	return hc_check_exchange_ex(v, subject, subject_len, issued,
	    issued_len, audience, self, NULL, now, detail);
}

HC_EXPORT hc_status
hc_check_exchange_ex(const hc_validator *v, const char *subject,
    size_t subject_len, const char *issued, size_t issued_len,
    const char *audience, const char *self, const char *tenant_claim,
    int64_t now, char **detail)
{
	hc_json *sj = NULL, *ij = NULL;
	hc_detail d = { "" };
	hc_status st;

	if (detail != NULL)
		*detail = NULL;
	if (v == NULL || subject == NULL || issued == NULL || audience == NULL ||
	    self == NULL || audience[0] == '\0' || self[0] == '\0' ||
	    (tenant_claim != NULL && tenant_claim[0] == '\0')) {
		st = hc_fail(&d, HC_INTERNAL, "hc_check_exchange needs a validator, "
		    "both tokens, a non-empty audience and a non-empty self "
		    "(and a tenant claim name, if any, not empty)");
		goto out;
	}
	if (now == 0)
		now = (int64_t)time(NULL);
	/*
	 * The issued token is about to be used: it must also be of an accepted
	 * type and within its time rules (not before nbf, iat not ahead).
	 */
	if ((st = verify_one(v, "subject", subject, subject_len, false, now,
	    &sj, &d)) != HC_OK ||
	    (st = verify_one(v, "issued", issued, issued_len, true, now, &ij,
	    &d)) != HC_OK)
		goto out;
	st = compare(sj, ij, audience, self, tenant_claim, now, &d);
out:
	if (st == HC_OK)
		hc_fail(&d, HC_OK, "accepted");
	if (detail != NULL)
		*detail = hc_strdup(d.text);
	hc_json_free(sj);
	hc_json_free(ij);
	return st;
}
