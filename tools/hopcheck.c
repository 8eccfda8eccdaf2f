/* SPDX-License-Identifier: Apache-2.0 */
/*
 * hopcheck.c - the command-line interface of libhopcheck.
 *
 *   hopcheck validate --conf FILE [--token TOKEN|-|@FILE]
 *                     [--txn-token TOKEN|-|@FILE] [--peer-cert FILE]
 *                     [--dpop P|-|@FILE] [--scheme bearer|dpop]
 *                     [--wit W|-|@FILE] [--wpt P|-|@FILE]
 *                     [--route "METHOD /path"] [--tenant T] [--now UNIX]
 *   hopcheck inspect [--json] [--now UNIX] TOKEN|-|@FILE
 *   hopcheck check-config FILE
 *   hopcheck check-exchange --conf FILE --subject-token T --issued-token T
 *                           --audience A --self ID [--now UNIX]
 *   hopcheck check-exchange --txn --conf FILE --subject-token T
 *                           --issued-token T [--now UNIX]
 *   hopcheck spiffe-id ID|-
 *   hopcheck thumbprint CERT|-
 *   hopcheck version
 *   hopcheck --help | -h, hopcheck CMD --help | -h, hopcheck --version | -V
 *
 * Exit status (cli.h): 0 accepted (or success), 1 refused (or invalid), 2
 * usage or input errors (an unreadable file, a second `-`), configuration
 * and system errors.  Output is JSON on standard output; diagnostics go to
 * standard error, a usage error as one line naming what is wrong followed
 * by the usage.  No command prints token bytes back except `inspect`,
 * whose whole purpose is to show the caller's own token.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "crypto.h"
#include "hopcheck.h"
#include "internal.h"

/* An ID or a certificate from standard input, byte for byte. */
#define MAX_INPUT_BYTES HC_MAX_CERT_BYTES

/* Prints {"status": ..., "detail": ...} for a validator that failed. */
static int
config_failure(hc_status st, char *errors)
{
	hc_json *o = hc_json_new_object();
	char *s;

	hc_json_add_string(o, "status", hc_status_name(st));
	hc_json_add_string(o, "detail", errors ? errors : "configuration error");
	s = hc_json_print(o);
	if (s != NULL)
		puts(s);
	free(s);
	hc_json_free(o);
	hc_string_free(errors);
	return CLI_EXIT_USAGE;
}

/*
 * hopcheck validate: builds the request from the options, reads the
 * configuration and runs one hc_validate(), printing the result JSON.  Exits 0
 * when accepted, 1 for any refusal (a route or XFCC value the library refuses
 * is a refusal, printed as JSON), 2 for usage, input, configuration and
 * system errors; the token is wiped before exit.
 */
/* A request setter of a credential header (Txn-Token, DPoP, WIT, WPT). */
typedef hc_status (*cred_setter)(hc_request *, const char *, size_t);

/*
 * Reads the credential of option `opt` (a token, - or @FILE) into *buf
 * and gives it to the request with `set`.  A value the setter refuses is
 * the request's verdict, printed as JSON naming `cred`.  Returns 0 or the
 * exit status.
 */
static int
request_cred(const cli_cmd *cmd, const char *opt, const char *arg,
    const char *cred, bool *stdin_used, char **buf, size_t *len,
    hc_request *req, cred_setter set)
{
	hc_status st;
	int rc;

	if (arg == NULL)
		return 0;
	if ((rc = cli_token(cmd, opt, arg, stdin_used, buf, len)) != 0)
		return rc;
	if ((st = set(req, *buf, *len)) == HC_OK)
		return 0;
	printf("{\"status\":\"%s\",\"detail\":\"the %s value is refused "
	    "(empty or over 1 MiB)\",\"credential\":\"%s\"}\n",
	    hc_status_name(st), opt, cred);
	return st == HC_INTERNAL ? CLI_EXIT_USAGE : CLI_EXIT_REJECT;
}

static int
cmd_validate(const cli_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "conf", required_argument, NULL, 'c' },
		{ "token", required_argument, NULL, 't' },
		{ "peer-cert", required_argument, NULL, 'p' },
		{ "route", required_argument, NULL, 'r' },
		{ "tenant", required_argument, NULL, 'T' },
		{ "now", required_argument, NULL, 'n' },
		{ "peer-x5t", required_argument, NULL, 'x' },
		{ "peer-spiffe-id", required_argument, NULL, 's' },
		{ "xfcc", required_argument, NULL, 'X' },
		{ "txn-token", required_argument, NULL, 'k' },
		{ "dpop", required_argument, NULL, 'D' },
		{ "scheme", required_argument, NULL, 'S' },
		{ "wit", required_argument, NULL, 'W' },
		{ "wpt", required_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *conf = NULL, *token_arg = NULL, *peer = NULL, *route = NULL;
	const char *tenant = NULL, *peer_x5t = NULL, *peer_id = NULL;
	const char *xfcc = NULL, *txn_arg = NULL, *dpop_arg = NULL;
	const char *scheme = NULL, *wit_arg = NULL, *wpt_arg = NULL;
	hc_validator *v = NULL;
	hc_request *req = NULL;
	hc_result *res = NULL;
	char *token = NULL, *errors = NULL, *out, *cert = NULL, *txn = NULL;
	char *dpop = NULL, *wit = NULL, *wpt = NULL;
	size_t tlen = 0, clen = 0, xlen = 0, dlen = 0, wlen = 0, plen = 0;
	bool has_now = false, stdin_used = false;
	int64_t now = 0;
	int c, rc;
	hc_status st;

	opterr = 0;
	/* --dpop, --scheme, --wit and --wpt are long options only. */
	while ((c = getopt_long(argc, argv, ":c:t:p:r:T:n:x:s:X:k:h", opts,
	    NULL)) != -1) {
		switch (c) {
		case 'k': txn_arg = optarg; break;
		case 'D': dpop_arg = optarg; break;
		case 'S': scheme = optarg; break;
		case 'W': wit_arg = optarg; break;
		case 'P': wpt_arg = optarg; break;
		case 'x': peer_x5t = optarg; break;
		case 's': peer_id = optarg; break;
		case 'X': xfcc = optarg; break;
		case 'c': conf = optarg; break;
		case 't': token_arg = optarg; break;
		case 'p': peer = optarg; break;
		case 'r': route = optarg; break;
		case 'T': tenant = optarg; break;
		case 'n':
			if (cli_parse_time(optarg, &now) != 0)
				return cli_usage_error(cmd, "--now needs seconds since "
				    "the epoch");
			has_now = true;
			break;
		case 'h': return cli_help(cmd);
		default: return cli_bad_option(cmd, c, argv);
		}
	}
	if ((rc = cli_operands(cmd, argc, argv, 0, NULL)) != 0)
		return rc;
	if (conf == NULL)
		return cli_usage_error(cmd, "missing --conf");
	if ((rc = cli_readable(conf)) != 0)
		return rc;
	rc = CLI_EXIT_USAGE;
	if ((req = hc_request_new()) == NULL)
		goto out;
	if (has_now)
		hc_request_set_time(req, now);
	if (route != NULL) {
		const char *sp = strchr(route, ' ');
		char method[32];
		if (sp == NULL || (size_t)(sp - route) >= sizeof(method) ||
		    sp == route) {
			rc = cli_usage_error(cmd, "--route needs \"METHOD /path\"");
			goto out;
		}
		memcpy(method, route, (size_t)(sp - route));
		method[sp - route] = '\0';
		if (hc_request_set_route(req, method, sp + 1) != HC_OK) {
			/* Not judged, so not accepted: fail closed. */
			puts("{\"status\":\"malformed\",\"detail\":\"the request's "
			    "method or path is not in normal form (see "
			    "hopcheck(1))\"}");
			rc = CLI_EXIT_REJECT;
			goto out;
		}
	}
	if (tenant != NULL && hc_request_set_tenant(req, tenant) != HC_OK) {
		rc = cli_usage_error(cmd, "invalid --tenant");
		goto out;
	}
	if (peer != NULL) {
		if ((rc = cli_read_file(peer, HC_MAX_CERT_BYTES, &cert, &clen)) !=
		    0)
			goto out;
		rc = CLI_EXIT_USAGE;
		if (hc_request_set_peer_cert(req, (const unsigned char *)cert,
		    clen) != HC_OK) {
			fprintf(stderr, "hopcheck: --peer-cert %s is not a PEM or DER "
			    "certificate\n", peer);
			goto out;
		}
	}
	if ((peer_x5t != NULL || peer_id != NULL) &&
	    hc_request_set_peer_identity(req, peer_x5t, peer_id) != HC_OK) {
		rc = cli_usage_error(cmd, "invalid --peer-x5t or --peer-spiffe-id");
		goto out;
	}
	if (xfcc != NULL) {
		/* A refused header is the request's verdict, as in hopcheckd. */
		st = hc_request_set_xfcc(req, xfcc, strlen(xfcc));
		if (st != HC_OK) {
			hc_json *o = hc_json_new_object();
			char *s;
			hc_json_add_string(o, "status", hc_status_name(st));
			hc_json_add_string(o, "detail", "x-forwarded-client-cert "
			    "value refused");
			if ((s = hc_json_print(o)) != NULL)
				puts(s);
			free(s);
			hc_json_free(o);
			rc = st == HC_INTERNAL ? CLI_EXIT_USAGE : CLI_EXIT_REJECT;
			goto out;
		}
	}
	/* Without --token the request carries no access token. */
	if (token_arg != NULL && (rc = cli_token(cmd, "--token", token_arg,
	    &stdin_used, &token, &tlen)) != 0)
		goto out;
	if (scheme != NULL && strcasecmp(scheme, "dpop") != 0 &&
	    strcasecmp(scheme, "bearer") != 0) {
		rc = cli_usage_error(cmd, "--scheme is bearer or dpop");
		goto out;
	}
	if (scheme != NULL && hc_request_set_auth_scheme(req,
	    strcasecmp(scheme, "dpop") == 0 ? HC_SCHEME_DPOP :
	    HC_SCHEME_BEARER) != HC_OK)
		goto out;
	/* A proof makes --token a DPoP-scheme token (RFC 9449 7.1). */
	if ((rc = request_cred(cmd, "--txn-token", txn_arg, "txn_token",
	    &stdin_used, &txn, &xlen, req, hc_request_set_txn_token)) != 0 ||
	    (rc = request_cred(cmd, "--dpop", dpop_arg, "dpop", &stdin_used,
	    &dpop, &dlen, req, hc_request_set_dpop)) != 0 ||
	    (rc = request_cred(cmd, "--wit", wit_arg, "wit", &stdin_used,
	    &wit, &wlen, req, hc_request_set_wit)) != 0 ||
	    (rc = request_cred(cmd, "--wpt", wpt_arg, "wpt", &stdin_used,
	    &wpt, &plen, req, hc_request_set_wpt)) != 0)
		goto out;
	rc = CLI_EXIT_USAGE;
	st = hc_validator_new_from_file(conf, &v, &errors);
	if (st != HC_OK) {
		rc = config_failure(st, errors);
		goto out;
	}
	st = hc_validate(v, token, tlen, req, &res);
	if (res == NULL || (out = hc_result_to_json(res)) == NULL) {
		fprintf(stderr, "hopcheck: out of memory\n");
		goto out;
	}
	puts(out);
	hc_string_free(out);
	rc = st == HC_OK ? CLI_EXIT_OK : (st == HC_CONFIG ||
	    st == HC_INTERNAL) ? CLI_EXIT_USAGE : CLI_EXIT_REJECT;
out:
	hc_result_free(res);
	hc_validator_free(v);
	hc_request_free(req);
	cli_drop(token, tlen);
	cli_drop(txn, xlen);
	cli_drop(dpop, dlen);
	cli_drop(wit, wlen);
	cli_drop(wpt, plen);
	free(cert);
	return rc;
}

/*
 * Parses the options of a command that has none but --help, leaving optind
 * on its operands.  Returns -1 to go on, or the exit status.
 */
static int
no_options(const cli_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1)
		return c == 'h' ? cli_help(cmd) : cli_bad_option(cmd, c, argv);
	return -1;
}

/*
 * hopcheck check-config: builds a validator from FILE as hopcheckd would
 * (local key files included) and prints "configuration OK", or every error
 * found and exits 1, so that a reload can be checked before it is sent.  A
 * FILE that cannot be read is exit 2, as everywhere.
 */
static int
cmd_check_config(const cli_cmd *cmd, int argc, char **argv)
{
	hc_validator *v = NULL;
	char *errors = NULL, *warnings, *line, *save = NULL;
	const char *file;
	hc_status st;
	int rc;

	if ((rc = no_options(cmd, argc, argv)) >= 0 ||
	    (rc = cli_operands(cmd, argc, argv, 1, "FILE")) != 0)
		return rc;
	file = argv[optind];
	if ((rc = cli_readable(file)) != 0)
		return rc;
	st = hc_validator_new_from_file(file, &v, &errors);
	if (st != HC_OK) {
		fprintf(stderr, "%s: %s\n", file, errors ? errors :
		    hc_status_name(st));
		hc_string_free(errors);
		return CLI_EXIT_REJECT;
	}
	warnings = hc_validator_warnings(v);
	hc_validator_free(v);
	printf("%s: configuration OK\n", file);
	/* Warnings do not fail the check: the file is valid, maybe unwise. */
	for (line = warnings != NULL ? strtok_r(warnings, "\n", &save) : NULL;
	    line != NULL; line = strtok_r(NULL, "\n", &save))
		fprintf(stderr, "%s: warning: %s\n", file, line);
	hc_string_free(warnings);
	return CLI_EXIT_OK;
}

/*
 * Prints the RFC 8705 section 3.1 thumbprint of a certificate: base64url,
 * unpadded, of the SHA-256 of its DER, the value of cnf.x5t#S256.
 */
static int
cmd_thumbprint(const cli_cmd *cmd, int argc, char **argv)
{
	unsigned char *der = NULL, digest[32];
	char *pem = NULL, out[HC_B64URL_ENCODED_LEN(32) + 1];
	size_t len, derlen;
	hc_detail d = { "" };
	int rc;

	if ((rc = no_options(cmd, argc, argv)) >= 0 ||
	    (rc = cli_operands(cmd, argc, argv, 1, "CERT")) != 0)
		return rc;
	if (strcmp(argv[optind], "-") == 0)
		rc = cli_read_stdin(HC_MAX_CERT_BYTES, &pem, &len);
	else
		rc = cli_read_file(argv[optind], HC_MAX_CERT_BYTES, &pem, &len);
	if (rc != 0)
		return rc;
	if (hc_x509_to_der((const unsigned char *)pem, len, &der, &derlen,
	    &d) != HC_OK) {
		fprintf(stderr, "hopcheck: not a PEM or DER certificate: %s\n",
		    d.text);
		free(pem);
		return CLI_EXIT_REJECT;
	}
	hc_crypto()->sha256(der, derlen, digest);
	hc_b64url_encode(digest, sizeof(digest), out);
	printf("%s\n", out);
	free(der);
	free(pem);
	return CLI_EXIT_OK;
}

/*
 * hopcheck spiffe-id: parses one SPIFFE ID (from standard input byte for byte,
 * so that a stray newline is judged, not trimmed) and prints its trust domain
 * and path, or why it is invalid with exit 1.
 */
static int
cmd_spiffe_id(const cli_cmd *cmd, int argc, char **argv)
{
	char *id, *td = NULL, *path = NULL, *detail = NULL, *s;
	size_t len;
	hc_json *o;
	hc_status st;
	int rc;

	if ((rc = no_options(cmd, argc, argv)) >= 0 ||
	    (rc = cli_operands(cmd, argc, argv, 1, "ID")) != 0)
		return rc;
	if (strcmp(argv[optind], "-") == 0) {
		/* The exact bytes. */
		if ((rc = cli_read_stdin(MAX_INPUT_BYTES, &id, &len)) != 0)
			return rc;
	} else {
		if ((id = strdup(argv[optind])) == NULL)
			return CLI_EXIT_USAGE;
		len = strlen(id);
	}
	st = hc_spiffe_id_parse(id, len, &td, &path, &detail);
	o = hc_json_new_object();
	hc_json_add_bool(o, "valid", st == HC_OK);
	if (st == HC_OK) {
		hc_json_add_string(o, "trust_domain", td);
		hc_json_add_string(o, "path", path);
	} else
		hc_json_add_string(o, "detail", detail ? detail : "invalid");
	s = hc_json_print(o);
	if (s != NULL)
		puts(s);
	free(s);
	hc_json_free(o);
	hc_string_free(td);
	hc_string_free(path);
	hc_string_free(detail);
	free(id);
	return st == HC_OK ? CLI_EXIT_OK : CLI_EXIT_REJECT;
}

/*
 * The version lines, for both `hopcheck version` and `hopcheck --version`:
 * the one place that says what this build is.
 */
static void
print_version(void)
{
	printf("hopcheck %s\ncrypto: %s\n", hc_version(),
	    hc_crypto_backend_name());
}

static int
cmd_version(const cli_cmd *cmd, int argc, char **argv)
{
	int rc;

	if ((rc = no_options(cmd, argc, argv)) >= 0 ||
	    (rc = cli_operands(cmd, argc, argv, 0, NULL)) != 0)
		return rc;
	print_version();
	return CLI_EXIT_OK;
}

static const cli_cmd cmd_validate_def = {
	.name = "validate",
	.synopsis = "--conf FILE [--token TOKEN|-|@FILE]\n"
	    "        [--dpop PROOF|-|@FILE] [--scheme bearer|dpop]\n"
	    "        [--wit WIT|-|@FILE] [--wpt WPT|-|@FILE]\n"
	    "        [--txn-token TOKEN|-|@FILE] [--peer-cert FILE] [--peer-x5t X5T] [--peer-spiffe-id ID]\n"
	    "        [--xfcc VALUE] [--route \"METHOD /path\"] [--tenant T] "
	    "[--now UNIX]",
	.help =
	    "Runs the whole pipeline on one token and prints the result as one\n"
	    "JSON object: {\"status\": ..., \"detail\": ..., ...}.\n"
	    "\n"
	    "  --conf FILE        the configuration (hopcheck.conf(5))\n"
	    "  --token T|-|@FILE  the token, - for standard input, or @FILE;\n"
	    "                     surrounding whitespace is ignored, a \"Bearer \"\n"
	    "                     prefix refused; without it, the request carries\n"
	    "                     no access token\n"
	    "  --txn-token T|-|@FILE  a Txn-Token (the Txn-Token header), read the\n"
	    "                     same way; its fields are shown as txn_token{...}\n"
	    "  --dpop P|-|@FILE   a DPoP proof (the DPoP header, RFC 9449); --token\n"
	    "                     is then sent with the DPoP scheme; htm and htu\n"
	    "                     are checked against --route; shown as dpop{jkt}\n"
	    "  --scheme S         bearer or dpop: the scheme of --token (dpop\n"
	    "                     without --dpop tests a proof-less DPoP request)\n"
	    "  --wit W|-|@FILE    a WIMSE Workload-Identity-Token\n"
	    "  --wpt P|-|@FILE    its Workload-Proof-Token (aud: --route's path);\n"
	    "                     the WIT's sub is shown as workload{id}\n"
	    "                     (at most one of the token options reads -)\n"
	    "  --peer-cert FILE   the caller's leaf certificate (PEM or DER)\n"
	    "  --peer-x5t X5T     its base64url SHA-256 thumbprint, as a proxy "
	    "saw it\n"
	    "  --peer-spiffe-id ID  its SPIFFE ID, as a proxy saw it\n"
	    "  --xfcc VALUE       an Envoy x-forwarded-client-cert value\n"
	    "  --route \"METHOD /path\"  the configured route to check\n"
	    "  --tenant T         the request's tenant\n"
	    "  --now UNIX         the clock, in seconds since the epoch\n",
	.run = cmd_validate,
};

static const cli_cmd cmd_check_config_def = {
	.name = "check-config",
	.synopsis = "FILE",
	.help =
	    "Loads a configuration and the local key files it names; prints\n"
	    "\"FILE: configuration OK\" and any warnings (\"FILE: warning: ...\",\n"
	    "on standard error; they do not fail the check), or every problem on\n"
	    "standard error and exits 1.\n",
	.run = cmd_check_config,
};

static const cli_cmd cmd_spiffe_id_def = {
	.name = "spiffe-id",
	.synopsis = "ID|-",
	.help =
	    "Checks an ID against the SPIFFE-ID grammar; prints {\"valid\": ...}.\n"
	    "With -, reads the exact bytes of standard input (nothing trimmed).\n",
	.run = cmd_spiffe_id,
};

static const cli_cmd cmd_thumbprint_def = {
	.name = "thumbprint",
	.synopsis = "CERT|-",
	.help =
	    "Prints the RFC 8705 thumbprint (cnf.x5t#S256) of a PEM or DER\n"
	    "certificate.\n",
	.run = cmd_thumbprint,
};

static const cli_cmd cmd_version_def = {
	.name = "version",
	.synopsis = "",
	.help = "Prints the version (the same as hopcheck --version).\n",
	.run = cmd_version,
};

static const cli_cmd *const commands[] = {
	&cmd_validate_def, &cli_cmd_inspect, &cmd_check_config_def,
	&cli_cmd_check_exchange, &cli_cmd_keys, &cmd_spiffe_id_def,
	&cmd_thumbprint_def,
	&cmd_version_def, NULL
};

/*
 * Prints the synopsis of every command, the token conventions and the exit
 * status to f: standard output for --help, standard error after a usage
 * error.
 */
static void
usage(FILE *f)
{
	fputs("usage: hopcheck COMMAND [OPTIONS]  (hopcheck COMMAND --help for "
	    "one)\n", f);
	for (size_t i = 0; commands[i] != NULL; i++)
		fprintf(f, "  hopcheck %s%s%s\n", commands[i]->name,
		    commands[i]->synopsis[0] != '\0' ? " " : "",
		    commands[i]->synopsis);
	fputs("  hopcheck --help | -h | --version | -V\n"
	    "\n"
	    "A token is given as itself, as - (standard input; one option at\n"
	    "most) or as @FILE; surrounding whitespace is ignored.\n"
	    "\n"
	    "exit status: 0 accepted (or done), 1 refused (or invalid), 2 usage\n"
	    "or input error (bad option, unreadable file, configuration "
	    "error)\n", f);
}

/* Dispatches on the command word; each command parses its own options. */
int
main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "hopcheck: missing command\n");
		usage(stderr);
		return CLI_EXIT_USAGE;
	}
	for (size_t i = 0; commands[i] != NULL; i++)
		if (strcmp(argv[1], commands[i]->name) == 0)
			return commands[i]->run(commands[i], argc - 1, argv + 1);
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return CLI_EXIT_OK;
	}
	if (strcmp(argv[1], "-V") == 0 || strcmp(argv[1], "--version") == 0) {
		print_version();
		return CLI_EXIT_OK;
	}
	if (argv[1][0] == '-')
		fprintf(stderr, "hopcheck: unknown option '%s'\n", argv[1]);
	else
		fprintf(stderr, "hopcheck: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return CLI_EXIT_USAGE;
}
