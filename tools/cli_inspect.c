/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli_inspect.c - `hopcheck inspect`: shows a token without trusting it.
 *
 *   hopcheck inspect [--json] [--now UNIX] TOKEN|-|@FILE
 *
 * Decodes the header and the claims (hc_jws_decode(): the syntax only, so
 * that a token a validator would refuse can still be looked at), never
 * verifies the signature nor any claim, and says so: the text form opens
 * with an UNVERIFIED banner, the JSON form carries "verified": false.
 * Beside the decoded parts it gives the dates in ISO 8601 UTC, how long
 * until (or since) expiry, the actor chain, and warnings: what a validator
 * would refuse or ignore in this token, as plain sentences.
 *
 * It is a debugging aid for the caller's own token, so it is the one
 * command that prints token contents.  Exit 0 when the input is a compact
 * JWS (whatever the warnings), 1 when it is not, 2 on usage or input
 * errors.
 */
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "cli.h"
#include "jwk.h"
#include "crypto.h"
#include "hopcheck.h"
#include "internal.h"


/* "2026-01-01T00:00:00Z" and its NUL. */
#define ISO_LEN 21
/* NumericDates shown as dates: years 0001 to 9999. */
#define DATE_MIN (-62135596800.0)
#define DATE_MAX 253402300799.0

/* Header parameters of a JWE, refused by src/jws.c. */
static const char *const jwe_params[] = {
	"enc", "epk", "apu", "apv", "iv", "tag", "p2s", "p2c", NULL
};

/* Header parameters that may name a key, never used to find one. */
static const char *const key_params[] = { "jku", "jwk", "x5u", "x5c", NULL };

/*
 * Token types an issuer is commonly configured to accept (compared as the
 * validator does: case-insensitively, `application/` optional).
 */
static const char *const usual_types[] = {
	"at+jwt", "jwt", "txntoken+jwt", NULL
};

/* Appends one warning, formatted, to the array w. */
static void
warn(hc_json *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
warn(hc_json *w, const char *fmt, ...)
{
	char buf[HC_DETAIL_MAX];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	hc_json_append(w, hc_json_new_string(buf));
}

static bool
usual_type(const char *typ)
{
	if (strncasecmp(typ, "application/", 12) == 0)
		typ += 12;
	for (size_t i = 0; usual_types[i] != NULL; i++)
		if (strcasecmp(typ, usual_types[i]) == 0)
			return true;
	return false;
}

/* The warnings about the header: what layer 1 would refuse or not use. */
static void
header_warnings(const hc_json *h, hc_json *w)
{
	const hc_json *j;
	const char *s;
	char q[HC_QBUF];

	if ((j = hc_json_get(h, "alg")) == NULL)
		warn(w, "no alg: refused");
	else if ((s = hc_json_string(j)) == NULL)
		warn(w, "alg is not a string: refused");
	else if (strcasecmp(s, "none") == 0)
		warn(w, "alg %s: an unsecured token is never accepted",
		    hc_quote(q, sizeof(q), s));
	else if (hc_alg_from_name(s) == HC_ALG_UNKNOWN)
		warn(w, "alg %s is not a supported algorithm: refused",
		    hc_quote(q, sizeof(q), s));
	if (hc_json_get(h, "crit") != NULL)
		warn(w, "crit present: refused (no JWS extension is understood)");
	if (hc_json_get(h, "b64") != NULL)
		warn(w, "b64 present (RFC 7797 unencoded payload): refused");
	if (hc_json_get(h, "zip") != NULL)
		warn(w, "zip present (compression, a JWE parameter): refused");
	for (size_t i = 0; jwe_params[i] != NULL; i++)
		if (hc_json_get(h, jwe_params[i]) != NULL)
			warn(w, "%s present (a JWE parameter; a JWE is not a JWS): "
			    "refused", jwe_params[i]);
	if ((j = hc_json_get(h, "cty")) != NULL) {
		if ((s = hc_json_string(j)) == NULL)
			warn(w, "cty is not a string: refused");
		else if (strcasecmp(s, "JWT") == 0 ||
		    strcasecmp(s, "application/jwt") == 0)
			warn(w, "cty %s names a nested JWT: refused",
			    hc_quote(q, sizeof(q), s));
		else
			warn(w, "cty %s present: informational, not used",
			    hc_quote(q, sizeof(q), s));
	}
	for (size_t i = 0; key_params[i] != NULL; i++)
		if (hc_json_get(h, key_params[i]) != NULL)
			warn(w, "%s present: never used to find a key; the key "
			    "comes from the configuration", key_params[i]);
	if ((j = hc_json_get(h, "typ")) == NULL)
		warn(w, "no typ: refused by an issuer with token_types (RFC 9068 "
		    "access tokens carry at+jwt)");
	else if ((s = hc_json_string(j)) == NULL)
		warn(w, "typ is not a string: refused");
	else if (!usual_type(s))
		warn(w, "typ %s is unusual: accepted only where the issuer's "
		    "token_types lists it", hc_quote(q, sizeof(q), s));
}

/*
 * Adds {"epoch": N, "utc": "..."} under `name` to dates when the claim is
 * present, with a warning when it is not a usable NumericDate.  Returns
 * true with the value in *v when it is a number.
 */
static bool
add_date(const hc_json *claims, const char *name, hc_json *dates,
    hc_json *w, double *v)
{
	const hc_json *j = hc_json_get(claims, name);
	char iso[ISO_LEN];
	hc_json *o;
	struct tm tm;
	time_t t;

	if (j == NULL)
		return false;
	if (!hc_json_number(j, v)) {
		warn(w, "%s is not a number: refused", name);
		return false;
	}
	o = hc_json_new_object();
	hc_json_add_number(o, "epoch", *v);
	t = (time_t)floor(*v);
	if (*v >= DATE_MIN && *v <= DATE_MAX && gmtime_r(&t, &tm) != NULL &&
	    strftime(iso, sizeof(iso), "%Y-%m-%dT%H:%M:%SZ", &tm) != 0)
		hc_json_add_string(o, "utc", iso);
	else {
		hc_json_add_null(o, "utc");
		warn(w, "%s is out of range: refused", name);
	}
	hc_json_add(dates, name, o);
	return true;
}

/*
 * A Txn-Token (typ txntoken+jwt, draft-ietf-oauth-transaction-tokens-10):
 * its transaction fields under "txn_token", and warnings for the claims
 * section 9.2 requires that it lacks.
 */
static void
describe_txn(const hc_jws *jws, hc_json *o, hc_json *w)
{
	static const char *const required[] = { "iat", "aud", "exp", "txn",
	    "sub", "scope", "req_wl", NULL };
	const char *typ = hc_json_string(hc_json_get(jws->header, "typ"));
	hc_json *t;

	if (typ == NULL)
		return;
	if (strncasecmp(typ, "application/", 12) == 0)
		typ += 12;
	if (strcasecmp(typ, "txntoken+jwt") != 0)
		return;
	hc_json_add_string(o, "kind", "txn_token");
	t = hc_json_new_object();
	hc_json_add(t, "txn", hc_json_dup(hc_json_get(jws->payload, "txn")));
	hc_json_add(t, "req_wl", hc_json_dup(hc_json_get(jws->payload,
	    "req_wl")));
	hc_json_add(t, "tctx", hc_json_dup(hc_json_get(jws->payload, "tctx")));
	hc_json_add(o, "txn_token", t);
	for (size_t i = 0; required[i] != NULL; i++)
		if (hc_json_get(jws->payload, required[i]) == NULL)
			warn(w, "Txn-Token without %s: refused (txn-tokens-10 "
			    "section 9.2)", required[i]);
}

/* Whether header typ is `want`, as a media type ("application/" optional). */
static bool
typ_is(const hc_json *header, const char *want)
{
	const char *typ = hc_json_string(hc_json_get(header, "typ"));

	if (typ != NULL && strncasecmp(typ, "application/", 12) == 0)
		typ += 12;
	return typ != NULL && strcasecmp(typ, want) == 0;
}

/*
 * A DPoP proof (RFC 9449): the RFC 7638 thumbprint of its header jwk, the
 * value an access token's cnf.jkt must hold, with htm and htu.  A WIMSE
 * WIT (draft-ietf-wimse-workload-creds-03): its sub and cnf, and the
 * thumbprint of cnf.jwk.  Unverified, like everything here.
 */
static void
describe_pop(const hc_jws *jws, hc_json *o, hc_json *w)
{
	char jkt[HC_JKT_LEN + 1];
	hc_detail d = { "" };
	const hc_json *k;
	hc_json *t;

	if (typ_is(jws->header, "dpop+jwt")) {
		hc_json_add_string(o, "kind", "dpop_proof");
		t = hc_json_new_object();
		k = hc_json_get(jws->header, "jwk");
		if (hc_jwk_thumbprint(k, jkt, &d) == HC_OK)
			hc_json_add_string(t, "jkt", jkt);
		else
			warn(w, "DPoP proof jwk has no thumbprint: %s", d.text);
		hc_json_add(t, "htm", hc_json_dup(hc_json_get(jws->payload,
		    "htm")));
		hc_json_add(t, "htu", hc_json_dup(hc_json_get(jws->payload,
		    "htu")));
		hc_json_add(o, "dpop", t);
	} else if (typ_is(jws->header, "wit+jwt")) {
		hc_json_add_string(o, "kind", "wit");
		t = hc_json_new_object();
		k = hc_json_get(jws->payload, "cnf");
		hc_json_add(t, "sub", hc_json_dup(hc_json_get(jws->payload,
		    "sub")));
		hc_json_add(t, "cnf", hc_json_dup(k));
		if (hc_jwk_thumbprint(hc_json_get(k, "jwk"), jkt, &d) == HC_OK)
			hc_json_add_string(t, "jkt", jkt);
		else
			warn(w, "WIT without a usable cnf.jwk: refused (%s)",
			    d.text);
		hc_json_add(o, "wit", t);
	} else if (typ_is(jws->header, "wpt+jwt")) {
		hc_json_add_string(o, "kind", "wpt");
	}
}

/*
 * The JSON document of a decoded token: the parts, the dates relative to
 * now, the actor chain (current actor first) and the warnings.
 */
static hc_json *
describe(const hc_jws *jws, int64_t now)
{
	hc_json *o = hc_json_new_object(), *dates = hc_json_new_object();
	hc_json *w = hc_json_new_array(), *actors = hc_json_new_array();
	const hc_json *a;
	double exp, nbf, iat;
	int depth = 0;

	hc_json_add_bool(o, "verified", false);
	hc_json_add(o, "header", hc_json_dup(jws->header));
	hc_json_add(o, "payload", hc_json_dup(jws->payload));
	hc_json_add_number(o, "signature_bytes", (double)jws->sig_len);
	hc_json_add_number(o, "now", (double)now);
	header_warnings(jws->header, w);
	if (add_date(jws->payload, "exp", dates, w, &exp)) {
		if ((double)now < exp)
			hc_json_add_number(o, "expires_in", exp - (double)now);
		else {
			hc_json_add_number(o, "expired_ago", (double)now - exp);
			warn(w, "expired %.0f s ago: refused", (double)now - exp);
		}
	} else if (hc_json_get(jws->payload, "exp") == NULL)
		warn(w, "no exp: refused (exp is required)");
	if (add_date(jws->payload, "nbf", dates, w, &nbf) && nbf > (double)now)
		warn(w, "nbf is %.0f s in the future: not yet valid",
		    nbf - (double)now);
	if (add_date(jws->payload, "iat", dates, w, &iat) && iat > (double)now)
		warn(w, "iat is %.0f s in the future: refused beyond the clock "
		    "skew", iat - (double)now);
	hc_json_add(o, "dates", dates);
	for (a = hc_json_get(jws->payload, "act"); a != NULL &&
	    depth < HC_MAX_ACT_DEPTH; a = hc_json_get(a, "act"), depth++)
		hc_json_append(actors, hc_json_dup(hc_json_get(a, "sub")));
	if (a != NULL)
		warn(w, "act is deeper than %d levels: refused", HC_MAX_ACT_DEPTH);
	hc_json_add(o, "actors", actors);
	describe_txn(jws, o, w);
	describe_pop(jws, o, w);
	hc_json_add(o, "warnings", w);
	return o;
}

/* Draws the act chain of unverified claims as a tree. */
static void
print_chain(const hc_json *claims)
{
	const hc_json *a = hc_json_get(claims, "act");
	char q[HC_QBUF];
	int depth = 0;

	if (a == NULL)
		return;
	printf("actor chain (current actor first):\n");
	printf("  subject %s\n", hc_quote(q, sizeof(q),
	    hc_json_string(hc_json_get(claims, "sub"))));
	for (; a != NULL && depth < HC_MAX_ACT_DEPTH; a = hc_json_get(a, "act")) {
		printf("  %*s`- %s %s\n", depth * 3, "",
		    depth == 0 ? "current actor" : "prior actor",
		    hc_quote(q, sizeof(q), hc_json_string(hc_json_get(a, "sub"))));
		depth++;
	}
	if (a != NULL)
		printf("  %*s`- ... (deeper than %d levels)\n", depth * 3, "",
		    HC_MAX_ACT_DEPTH);
}

/*
 * The text form: the banner, header, claims and chain as before, then one
 * line per date and per warning, taken from the JSON description.
 */
static void
print_text(const hc_jws *jws, const hc_json *desc)
{
	static const char *const names[] = { "exp", "nbf", "iat", NULL };
	const hc_json *dates = hc_json_get(desc, "dates"), *j;
	char *h, *p;
	double n;

	printf("UNVERIFIED: decoded without checking the signature or any "
	    "claim; do not trust it.\n");
	h = hc_json_print_pretty(jws->header);
	p = hc_json_print_pretty(jws->payload);
	printf("header: %s\nclaims: %s\nsignature: %zu bytes\n", h ? h : "",
	    p ? p : "", jws->sig_len);
	free(h);
	free(p);
	print_chain(jws->payload);
	if ((j = hc_json_get(desc, "txn_token")) != NULL) {
		char *x = hc_json_print(hc_json_get(j, "tctx"));
		char q[HC_QBUF], q2[HC_QBUF];

		printf("Txn-Token: txn %s, requesting workload (req_wl) %s\n",
		    hc_quote(q, sizeof(q), hc_json_string(hc_json_get(j, "txn"))),
		    hc_quote(q2, sizeof(q2), hc_json_string(hc_json_get(j,
		    "req_wl"))));
		printf("transaction context (tctx): %s\n", x != NULL ? x :
		    "none");
		free(x);
	}
	if ((j = hc_json_get(hc_json_get(desc, "dpop"), "jkt")) != NULL)
		printf("DPoP proof key thumbprint (cnf.jkt): %s\n",
		    hc_json_string(j));
	if ((j = hc_json_get(desc, "wit")) != NULL) {
		char *x = hc_json_print(hc_json_get(j, "cnf"));
		const char *jk = hc_json_string(hc_json_get(j, "jkt"));

		printf("WIT cnf: %s\nWIT key thumbprint: %s\n", x != NULL ? x :
		    "none", jk != NULL ? jk : "none");
		free(x);
	}
	for (size_t i = 0; names[i] != NULL; i++) {
		const char *utc;

		j = hc_json_get(dates, names[i]);
		if (j == NULL || (utc = hc_json_string(hc_json_get(j, "utc"))) ==
		    NULL)
			continue;
		printf("%s: %s", names[i], utc);
		if (strcmp(names[i], "exp") == 0 &&
		    hc_json_number(hc_json_get(desc, "expires_in"), &n))
			printf(" (expires in %.0f s)", n);
		else if (strcmp(names[i], "exp") == 0 &&
		    hc_json_number(hc_json_get(desc, "expired_ago"), &n))
			printf(" (expired %.0f s ago)", n);
		printf("\n");
	}
	for (j = hc_json_first(hc_json_get(desc, "warnings")); j != NULL;
	    j = hc_json_next(j))
		printf("warning: %s\n", hc_json_string(j));
}

/* Prints {"verified": false, "error": ...} for an input that is no JWS. */
static void
print_json_error(const char *detail)
{
	hc_json *o = hc_json_new_object();
	char *s;

	hc_json_add_bool(o, "verified", false);
	hc_json_add_string(o, "error", detail);
	if ((s = hc_json_print(o)) != NULL)
		puts(s);
	free(s);
	hc_json_free(o);
}

static int
cmd_inspect(const cli_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "now", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int64_t now = (int64_t)time(NULL);
	bool json = false, stdin_used = false;
	hc_detail d = { "" };
	hc_json *desc;
	char *token, *s;
	size_t len;
	hc_jws jws;
	int c, rc;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":jn:h", opts, NULL)) != -1) {
		switch (c) {
		case 'j': json = true; break;
		case 'n':
			if (cli_parse_time(optarg, &now) != 0)
				return cli_usage_error(cmd, "--now needs seconds since "
				    "the epoch");
			break;
		case 'h': return cli_help(cmd);
		default: return cli_bad_option(cmd, c, argv);
		}
	}
	if ((rc = cli_operands(cmd, argc, argv, 1, "the token")) != 0)
		return rc;
	if ((rc = cli_token(cmd, "token", argv[optind], &stdin_used, &token,
	    &len)) != 0)
		return rc;
	if (hc_jws_decode(token, len, &jws, &d) != HC_OK) {
		if (json)
			print_json_error(d.text);
		else
			printf("not a compact JWS: %s\n", d.text);
		cli_drop(token, len);
		return CLI_EXIT_REJECT;
	}
	rc = CLI_EXIT_OK;
	if ((desc = describe(&jws, now)) == NULL)
		rc = CLI_EXIT_USAGE;
	else if (json) {
		if ((s = hc_json_print_pretty(desc)) != NULL)
			puts(s);
		else
			rc = CLI_EXIT_USAGE;
		free(s);
	} else
		print_text(&jws, desc);
	hc_json_free(desc);
	hc_jws_clear(&jws);
	cli_drop(token, len);
	return rc;
}

const cli_cmd cli_cmd_inspect = {
	.name = "inspect",
	.synopsis = "[--json] [--now UNIX] TOKEN|-|@FILE",
	.help =
	    "Decodes a token's header and claims WITHOUT verifying the signature\n"
	    "or any claim, for debugging your own tokens; never a verdict.\n"
	    "Shows the dates in UTC, the actor chain and warnings: what a\n"
	    "validator would refuse (alg none, crit, b64, zip, JWE parameters,\n"
	    "a nested JWT, a missing exp or typ, expiry) or not use (jku, jwk,\n"
	    "x5u, x5c).  Exit 0 for any compact JWS, 1 when it is not one.\n"
	    "\n"
	    "  TOKEN|-|@FILE  the token, - for standard input, or @FILE;\n"
	    "                 surrounding whitespace is ignored\n"
	    "  --json         one JSON document: verified (always false), header,\n"
	    "                 payload, signature_bytes, now, dates (epoch and\n"
	    "                 utc of exp, nbf, iat), expires_in or expired_ago\n"
	    "                 (seconds), actors (current first), warnings; for\n"
	    "                 a Txn-Token, kind and txn_token{txn, req_wl, tctx}\n"
	    "  --now UNIX     the clock for expires_in and the warnings\n",
	.run = cmd_inspect,
};
