/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_keys.c - `hopcheck keys`: the key report of a configuration, offline.
 *
 *   hopcheck keys --conf FILE [--no-fetch]
 *
 * Loads the configuration and its local key files, fetches every remote
 * source (jwks_uri, discovery, bundle_uri) once unless --no-fetch, and
 * prints hc_validator_keys_json(): each issuer and trust domain, its kids,
 * the keys skipped and why, the load time, the last refresh error and when
 * the next refresh would be due.  The same report hopcheckd serves at GET
 * /v1/keys, for checking a key file or an issuer's JWKS before a reload.
 *
 * Exit status 0 when the report is printed (a remote source that failed
 * shows its error in it), 2 on usage, an unreadable file, a configuration
 * that does not load (its problems on standard error), or out of memory.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include "cli.h"
#include "hopcheck.h"

/*
 * hopcheck keys: builds the validator, runs one refresh round unless told
 * not to, and prints the report.
 */
static int
cmd_keys(const cli_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "conf", required_argument, NULL, 'c' },
		{ "no-fetch", no_argument, NULL, 'N' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *conf = NULL;
	hc_validator *v = NULL;
	char *errors = NULL, *report;
	bool fetch = true;
	int c, rc;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			conf = optarg;
			break;
		case 'N':
			fetch = false;
			break;
		case 'h':
			return cli_help(cmd);
		default:
			return cli_bad_option(cmd, c, argv);
		}
	}
	if ((rc = cli_operands(cmd, argc, argv, 0, "")) != 0)
		return rc;
	if (conf == NULL)
		return cli_usage_error(cmd, "--conf is required");
	if ((rc = cli_readable(conf)) != 0)
		return rc;
	if (hc_validator_new_from_file(conf, &v, &errors) != HC_OK) {
		fprintf(stderr, "%s: %s\n", conf, errors != NULL ? errors :
		    "out of memory");
		hc_string_free(errors);
		return CLI_EXIT_USAGE;
	}
	if (fetch)
		(void)hc_validator_refresh(v, NULL);
	if ((report = hc_validator_keys_json(v)) == NULL) {
		fprintf(stderr, "hopcheck: out of memory\n");
		hc_validator_free(v);
		return CLI_EXIT_USAGE;
	}
	puts(report);
	hc_string_free(report);
	hc_validator_free(v);
	return CLI_EXIT_OK;
}

const cli_cmd cli_cmd_keys = {
	.name = "keys",
	.synopsis = "--conf FILE [--no-fetch]",
	.help =
	    "Prints the key sources of a configuration as JSON: each issuer and\n"
	    "trust domain, its kids, the keys skipped and why, when the set was\n"
	    "loaded and the last refresh error.  Remote sources are fetched once\n"
	    "unless --no-fetch.  Exit 0, or 2 when the configuration does not\n"
	    "load.\n",
	.run = cmd_keys,
};
