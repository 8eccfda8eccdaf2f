/*
 * hopcheck.c - the command-line interface of libhopcheck.
 *
 *   hopcheck validate --conf FILE --token TOKEN|- [--peer-cert FILE]
 *                     [--route "METHOD /path"] [--tenant T] [--now UNIX]
 *   hopcheck inspect TOKEN|-
 *   hopcheck check-config FILE
 *   hopcheck check-exchange --conf FILE --subject-token T --issued-token T
 *                           --audience A --self ID [--now UNIX]
 *   hopcheck spiffe-id ID|-
 *   hopcheck thumbprint CERT|-
 *   hopcheck version
 *
 * Exit status: 0 accepted (or success), 1 rejected (or invalid), 2 usage,
 * configuration or system errors.  Output is JSON on standard output;
 * diagnostics go to standard error.  No command prints token bytes back
 * except `inspect`, whose whole purpose is to show the caller's own token.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "hopcheck.h"
#include "internal.h"

/* tools/cmd_exchange.c */
int hc_cli_check_exchange(int argc, char **argv);

#define EXIT_REJECT 1
#define EXIT_USAGE 2
#define MAX_INPUT_BYTES (HC_MAX_TOKEN_BYTES_CAP + 1)

/*
 * Prints the synopsis of every command to f: standard output for --help,
 * standard error next to a usage error.
 */
static void
usage(FILE *f)
{
	fputs("usage: hopcheck validate --conf FILE --token TOKEN|- "
	    "[--peer-cert FILE]\n"
	    "                         [--peer-x5t X5T] [--peer-spiffe-id ID] "
	    "[--xfcc VALUE]\n"
	    "                         [--route \"METHOD /path\"] [--tenant T] "
	    "[--now UNIX]\n"
	    "       hopcheck inspect TOKEN|-\n"
	    "       hopcheck check-config FILE\n"
	    "       hopcheck check-exchange --conf FILE --subject-token T "
	    "--issued-token T\n"
	    "                               --audience A --self ID "
	    "[--now UNIX]\n"
	    "       hopcheck spiffe-id ID|-\n"
	    "       hopcheck thumbprint CERT|-\n"
	    "       hopcheck version\n", f);
}

/*
 * Reads standard input (at most MAX_INPUT_BYTES).  With `trim`, trailing
 * whitespace (the newline of `echo`) is dropped; without, the bytes are
 * kept exactly.
 */
static char *
read_stdin(size_t *len, bool trim)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);

	if (buf == NULL)
		return NULL;
	for (;;) {
		if (n + 1 >= cap) {
			char *nb;
			if (cap >= MAX_INPUT_BYTES + 1) {
				fprintf(stderr, "hopcheck: input over %d bytes\n",
				    MAX_INPUT_BYTES);
				free(buf);
				return NULL;
			}
			cap *= 2;
			if ((nb = realloc(buf, cap)) == NULL) {
				free(buf);
				return NULL;
			}
			buf = nb;
		}
		size_t r = fread(buf + n, 1, cap - n - 1, stdin);
		n += r;
		if (r == 0)
			break;
	}
	while (trim && n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r' ||
	    buf[n - 1] == ' ' || buf[n - 1] == '\t'))
		n--;
	buf[n] = '\0';
	*len = n;
	return buf;
}

/*
 * A whole decimal string as an int64_t, refusing trailing bytes and
 * out-of-range values instead of clamping them.  Returns 0, or -1.
 */
static int
parse_int64(const char *s, int64_t *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0')
		return -1;
	*out = v;
	return 0;
}

/* Prints {"status": "config", "detail": ...} for a validator that failed. */
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
	return EXIT_USAGE;
}

/*
 * hopcheck validate: builds the request from the options, reads the
 * configuration and runs one hc_validate(), printing the result JSON.  Exits 0
 * when accepted, 1 for any refusal (a route or XFCC value the library refuses
 * is a refusal, printed as JSON), 2 for usage, configuration and system
 * errors; the token is wiped before exit.
 */
static int
cmd_validate(int argc, char **argv)
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
		{ NULL, 0, NULL, 0 }
	};
	const char *conf = NULL, *token_arg = NULL, *peer = NULL, *route = NULL;
	const char *tenant = NULL, *peer_x5t = NULL, *peer_id = NULL;
	const char *xfcc = NULL;
	hc_validator *v = NULL;
	hc_request *req = NULL;
	hc_result *res = NULL;
	char *token = NULL, *errors = NULL, *out, *cert = NULL;
	size_t tlen, clen;
	int64_t now;
	int c, rc = EXIT_USAGE;
	hc_detail d;
	hc_status st;

	if ((req = hc_request_new()) == NULL)
		return EXIT_USAGE;
	while ((c = getopt_long(argc, argv, "c:t:p:r:T:n:x:s:X:", opts,
	    NULL)) != -1) {
		switch (c) {
		case 'x': peer_x5t = optarg; break;
		case 's': peer_id = optarg; break;
		case 'X': xfcc = optarg; break;
		case 'c': conf = optarg; break;
		case 't': token_arg = optarg; break;
		case 'p': peer = optarg; break;
		case 'r': route = optarg; break;
		case 'T': tenant = optarg; break;
		case 'n':
			if (parse_int64(optarg, &now) != 0) {
				fprintf(stderr, "hopcheck: --now needs seconds since "
				    "the epoch\n");
				goto out;
			}
			hc_request_set_time(req, now);
			break;
		default:
			usage(stderr);
			goto out;
		}
	}
	if (conf == NULL || token_arg == NULL || optind != argc) {
		usage(stderr);
		goto out;
	}
	if (route != NULL) {
		const char *sp = strchr(route, ' ');
		char method[32];
		if (sp == NULL || (size_t)(sp - route) >= sizeof(method) ||
		    sp == route) {
			fprintf(stderr, "hopcheck: --route needs \"METHOD /path\"\n");
			goto out;
		}
		memcpy(method, route, (size_t)(sp - route));
		method[sp - route] = '\0';
		if (hc_request_set_route(req, method, sp + 1) != HC_OK) {
			/* Not judged, so not accepted: fail closed. */
			puts("{\"status\":\"malformed\",\"detail\":\"the request's "
			    "method or path is not in normal form (see "
			    "hopcheck(1))\"}");
			rc = EXIT_REJECT;
			goto out;
		}
	}
	if (tenant != NULL && hc_request_set_tenant(req, tenant) != HC_OK) {
		fprintf(stderr, "hopcheck: invalid --tenant\n");
		goto out;
	}
	if (peer != NULL) {
		if (hc_read_file(peer, HC_MAX_CERT_BYTES, &cert, &clen, &d) != 0) {
			fprintf(stderr, "hopcheck: --peer-cert: %s\n", d.text);
			goto out;
		}
		if (hc_request_set_peer_cert(req, (const unsigned char *)cert,
		    clen) != HC_OK) {
			fprintf(stderr, "hopcheck: --peer-cert %s is not a PEM or DER "
			    "certificate\n", peer);
			goto out;
		}
	}
	if ((peer_x5t != NULL || peer_id != NULL) &&
	    hc_request_set_peer_identity(req, peer_x5t, peer_id) != HC_OK) {
		fprintf(stderr, "hopcheck: invalid --peer-x5t or --peer-spiffe-id\n");
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
			rc = st == HC_INTERNAL ? EXIT_USAGE : EXIT_REJECT;
			goto out;
		}
	}
	if (strcmp(token_arg, "-") == 0) {
		if ((token = read_stdin(&tlen, true)) == NULL)
			goto out;
	} else {
		if ((token = strdup(token_arg)) == NULL)
			goto out;
		tlen = strlen(token);
	}
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
	rc = st == HC_OK ? 0 : (st == HC_CONFIG || st == HC_INTERNAL) ?
	    EXIT_USAGE : EXIT_REJECT;
out:
	hc_result_free(res);
	hc_validator_free(v);
	hc_request_free(req);
	if (token != NULL)
		hc_wipe(token, strlen(token));
	free(token);
	free(cert);
	return rc;
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
 * hopcheck inspect: prints the header, claims and actor chain of a token
 * without verifying anything, under an UNVERIFIED banner; a debugging aid,
 * never a verdict.  Exits 1 when the token is not a compact JWS.
 */
static int
cmd_inspect(int argc, char **argv)
{
	char *token, *h, *p;
	size_t len;
	hc_detail d = { "" };
	hc_jws jws;

	if (argc != 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "-") == 0)
		token = read_stdin(&len, true);
	else {
		token = strdup(argv[1]);
		len = token ? strlen(token) : 0;
	}
	if (token == NULL)
		return EXIT_USAGE;
	if (hc_jws_parse(token, len, &jws, &d) != HC_OK) {
		printf("not a compact JWS: %s\n", d.text);
		free(token);
		return EXIT_REJECT;
	}
	printf("UNVERIFIED: decoded without checking the signature or any "
	    "claim; do not trust it.\n");
	h = hc_json_print_pretty(jws.header);
	p = hc_json_print_pretty(jws.payload);
	printf("header: %s\nclaims: %s\nsignature: %zu bytes\n", h ? h : "",
	    p ? p : "", jws.sig_len);
	print_chain(jws.payload);
	free(h);
	free(p);
	hc_jws_clear(&jws);
	free(token);
	return 0;
}

/*
 * hopcheck check-config: builds a validator from FILE as hopcheckd would
 * (local key files included) and prints "configuration OK", or every error
 * found and exits 1, so that a reload can be checked before it is sent.
 */
static int
cmd_check_config(int argc, char **argv)
{
	hc_validator *v = NULL;
	char *errors = NULL;
	hc_status st;

	if (argc != 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	st = hc_validator_new_from_file(argv[1], &v, &errors);
	if (st != HC_OK) {
		fprintf(stderr, "%s: %s\n", argv[1], errors ? errors :
		    hc_status_name(st));
		hc_string_free(errors);
		return EXIT_REJECT;
	}
	hc_validator_free(v);
	printf("%s: configuration OK\n", argv[1]);
	return 0;
}

/*
 * Prints the RFC 8705 section 3.1 thumbprint of a certificate: base64url,
 * unpadded, of the SHA-256 of its DER, the value of cnf.x5t#S256.
 */
static int
cmd_thumbprint(int argc, char **argv)
{
	unsigned char *der = NULL, digest[32];
	char *pem = NULL, out[HC_B64URL_ENCODED_LEN(32) + 1];
	size_t len, derlen;
	hc_detail d = { "" };

	if (argc != 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "-") == 0)
		pem = read_stdin(&len, false);
	else if (hc_read_file(argv[1], HC_MAX_CERT_BYTES, &pem, &len, &d) != 0) {
		fprintf(stderr, "hopcheck: %s\n", d.text);
		return EXIT_USAGE;
	}
	if (pem == NULL)
		return EXIT_USAGE;
	if (hc_x509_to_der((const unsigned char *)pem, len, &der, &derlen,
	    &d) != HC_OK) {
		fprintf(stderr, "hopcheck: not a PEM or DER certificate: %s\n",
		    d.text);
		free(pem);
		return EXIT_REJECT;
	}
	hc_crypto()->sha256(der, derlen, digest);
	hc_b64url_encode(digest, sizeof(digest), out);
	printf("%s\n", out);
	free(der);
	free(pem);
	return 0;
}

/*
 * hopcheck spiffe-id: parses one SPIFFE ID (from standard input byte for byte,
 * so that a stray newline is judged, not trimmed) and prints its trust domain
 * and path, or why it is invalid with exit 1.
 */
static int
cmd_spiffe_id(int argc, char **argv)
{
	char *id, *td = NULL, *path = NULL, *detail = NULL, *s;
	size_t len;
	hc_json *o;
	hc_status st;

	if (argc != 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "-") == 0)
		id = read_stdin(&len, false);   /* the exact bytes */
	else {
		id = strdup(argv[1]);
		len = id ? strlen(id) : 0;
	}
	if (id == NULL)
		return EXIT_USAGE;
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
	return st == HC_OK ? 0 : EXIT_REJECT;
}

/* Dispatches on the command word; each command parses its own options. */
int
main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "validate") == 0)
		return cmd_validate(argc - 1, argv + 1);
	if (strcmp(argv[1], "inspect") == 0)
		return cmd_inspect(argc - 1, argv + 1);
	if (strcmp(argv[1], "check-config") == 0)
		return cmd_check_config(argc - 1, argv + 1);
	if (strcmp(argv[1], "check-exchange") == 0)
		return hc_cli_check_exchange(argc - 1, argv + 1);
	if (strcmp(argv[1], "spiffe-id") == 0)
		return cmd_spiffe_id(argc - 1, argv + 1);
	if (strcmp(argv[1], "thumbprint") == 0)
		return cmd_thumbprint(argc - 1, argv + 1);
	if (strcmp(argv[1], "version") == 0) {
		printf("hopcheck %s\ncrypto: %s\n", hc_version(),
		    hc_crypto_backend_name());
		return 0;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return 0;
	}
	fprintf(stderr, "hopcheck: unknown command \"%s\"\n", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
