/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_exchange.c - `hopcheck check-exchange`: the calling side of an RFC
 * 8693 token exchange, from the command line.
 *
 *   hopcheck check-exchange --conf FILE --subject-token T|@FILE|-
 *                           --issued-token T|@FILE|- --audience A
 *                           --self ID [--now UNIX] [--tenant-claim NAME]
 *   hopcheck check-exchange --txn --conf FILE --subject-token T|@FILE|-
 *                           --issued-token T|@FILE|- [--now UNIX]
 *
 * With --txn the pair is a Txn-Token and its replacement
 * (hc_check_txn_replacement(), draft-ietf-oauth-transaction-tokens-10
 * section 13.15).
 *
 * A service that has just exchanged `subject` for `issued` at its STS asks
 * whether the new token is narrower (hc_check_exchange() in hopcheck.h):
 * same issuer and subject, only the requested audience, no new scope, no
 * later expiry, and an actor chain that puts `--self` in front of the
 * subject token's chain without touching it; a certificate-bound subject
 * token must come back bound to the same certificate, and with
 * --tenant-claim the named claim must be unchanged.  A token is given inline, as
 * @FILE, or as `-` for standard input (one of the two at most), and read
 * by cli_token() like every token of the CLI: surrounding whitespace
 * dropped, a "Bearer " prefix refused.
 *
 * Output: {"status": "...", "detail": "..."} on standard output.  Exit
 * status 0 when the issued token is narrower, 1 when it is rejected, 2 on
 * usage, input (an unreadable file), configuration or system errors.  No
 * token bytes are printed.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "hopcheck.h"
#include "internal.h"

/* Prints the verdict as one JSON object; returns 0, or -1 without memory. */
static int
print_verdict(hc_status st, const char *detail)
{
	hc_json *o = hc_json_new_object();
	char *s;

	hc_json_add_string(o, "status", hc_status_name(st));
	hc_json_add_string(o, "detail", detail);
	if ((s = hc_json_print(o)) == NULL) {
		hc_json_free(o);
		fprintf(stderr, "hopcheck: out of memory\n");
		return -1;
	}
	puts(s);
	free(s);
	hc_json_free(o);
	return 0;
}

/*
 * hopcheck check-exchange: loads both tokens and the configuration, runs
 * hc_check_exchange() and prints its verdict; the tokens are wiped before
 * exit.
 */
static int
cmd_check_exchange(const cli_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "conf", required_argument, NULL, 'c' },
		{ "subject-token", required_argument, NULL, 's' },
		{ "issued-token", required_argument, NULL, 'i' },
		{ "audience", required_argument, NULL, 'a' },
		{ "self", required_argument, NULL, 'S' },
		{ "now", required_argument, NULL, 'n' },
		{ "txn", no_argument, NULL, 'x' },
		{ "tenant-claim", required_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *conf = NULL, *subj_arg = NULL, *iss_arg = NULL;
	const char *audience = NULL, *self = NULL, *tenant = NULL;
	char *subj = NULL, *issued = NULL, *errors = NULL, *detail = NULL;
	size_t slen = 0, ilen = 0;
	bool stdin_used = false, txn = false;
	hc_validator *v = NULL;
	int64_t now = 0;
	int c, rc;
	hc_status st;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":c:s:i:a:S:n:T:xh", opts,
	    NULL)) != -1) {
		switch (c) {
		case 'x': txn = true; break;
		case 'c': conf = optarg; break;
		case 's': subj_arg = optarg; break;
		case 'i': iss_arg = optarg; break;
		case 'a': audience = optarg; break;
		case 'S': self = optarg; break;
		case 'T': tenant = optarg; break;
		case 'n':
			/* 0 would mean the system clock to the library. */
			if (cli_parse_time(optarg, &now) != 0 || now <= 0)
				return cli_usage_error(cmd, "--now needs a positive "
				    "number of seconds since the epoch");
			break;
		case 'h': return cli_help(cmd);
		default: return cli_bad_option(cmd, c, argv);
		}
	}
	if ((rc = cli_operands(cmd, argc, argv, 0, NULL)) != 0)
		return rc;
	/* A Txn-Token replacement names no audience and no actor. */
	if (txn && (audience != NULL || self != NULL))
		return cli_usage_error(cmd, "--txn takes no --audience or --self");
	if (txn && (conf == NULL || subj_arg == NULL || iss_arg == NULL))
		return cli_usage_error(cmd, "missing %s", conf == NULL ? "--conf" :
		    subj_arg == NULL ? "--subject-token" : "--issued-token");
	if (!txn && (conf == NULL || subj_arg == NULL || iss_arg == NULL ||
	    audience == NULL || self == NULL))
		return cli_usage_error(cmd, "missing %s", conf == NULL ? "--conf" :
		    subj_arg == NULL ? "--subject-token" : iss_arg == NULL ?
		    "--issued-token" : audience == NULL ? "--audience" : "--self");
	if (!txn && (audience[0] == '\0' || self[0] == '\0'))
		return cli_usage_error(cmd, "--audience and --self must not be "
		    "empty");
	if (tenant != NULL && (txn || tenant[0] == '\0'))
		return cli_usage_error(cmd, "--tenant-claim must name a claim, "
		    "and goes without --txn");
	if ((rc = cli_readable(conf)) != 0 ||
	    (rc = cli_token(cmd, "--subject-token", subj_arg, &stdin_used,
	    &subj, &slen)) != 0 ||
	    (rc = cli_token(cmd, "--issued-token", iss_arg, &stdin_used,
	    &issued, &ilen)) != 0)
		goto out;
	rc = CLI_EXIT_USAGE;

	st = hc_validator_new_from_file(conf, &v, &errors);
	if (st != HC_OK) {
		(void)print_verdict(st, errors != NULL ? errors :
		    "configuration error");
		goto out;
	}
	if (txn)
		st = hc_check_txn_replacement(v, subj, slen, issued, ilen, now,
		    &detail);
	else
		st = hc_check_exchange_ex(v, subj, slen, issued, ilen, audience,
		    self, tenant, now, &detail);
	if (print_verdict(st, detail != NULL ? detail : hc_status_name(st)) != 0)
		goto out;
	rc = st == HC_OK ? CLI_EXIT_OK : (st == HC_CONFIG ||
	    st == HC_INTERNAL) ? CLI_EXIT_USAGE : CLI_EXIT_REJECT;
out:
	hc_string_free(detail);
	hc_string_free(errors);
	hc_validator_free(v);
	cli_drop(subj, slen);
	cli_drop(issued, ilen);
	return rc;
}

const cli_cmd cli_cmd_check_exchange = {
	.name = "check-exchange",
	.synopsis = "--conf FILE --subject-token T|-|@FILE\n"
	    "        --issued-token T|-|@FILE --audience A --self ID [--now UNIX]\n"
	    "        [--tenant-claim NAME]\n"
	    "       hopcheck check-exchange --txn --conf FILE --subject-token "
	    "T|-|@FILE\n"
	    "        --issued-token T|-|@FILE [--now UNIX]",
	.help =
	    "On the calling side of an RFC 8693 token exchange, checks that the\n"
	    "issued token is narrower than the subject token: same iss and sub,\n"
	    "only the requested audience, no new scope, no later expiry, and\n"
	    "an act chain that puts --self in front of the subject's chain; a\n"
	    "certificate-bound subject token must come back bound to the same\n"
	    "certificate.  Prints {\"status\": ..., \"detail\": ...}.\n"
	    "\n"
	    "  --conf FILE                 the configuration\n"
	    "  --subject-token T|-|@FILE   the token that was exchanged\n"
	    "  --issued-token T|-|@FILE    the token the STS issued for it\n"
	    "                              (- for one of the two at most;\n"
	    "                              surrounding whitespace is ignored)\n"
	    "  --audience A                the audience that was requested\n"
	    "  --self ID                   this service, the new current actor\n"
	    "  --now UNIX                  the clock, seconds since the epoch\n"
	    "  --tenant-claim NAME         the claim NAME must be unchanged\n"
	    "\n"
	    "With --txn, a Txn-Token replacement (draft-ietf-oauth-transaction-\n"
	    "tokens-10 section 13.15): the issued Txn-Token keeps txn, sub and\n"
	    "aud (else policy), does not widen scope (else narrowing), was not\n"
	    "issued from an expired input (else expired) and is itself valid.\n",
	.run = cmd_check_exchange,
};
