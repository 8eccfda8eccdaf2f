/*
 * cmd_exchange.c - `hopcheck check-exchange`: the calling side of an RFC
 * 8693 token exchange, from the command line.
 *
 *   hopcheck check-exchange --conf FILE --subject-token T|@FILE|-
 *                           --issued-token T|@FILE|- --audience A
 *                           --self ID [--now UNIX]
 *
 * A service that has just exchanged `subject` for `issued` at its STS asks
 * whether the new token is narrower (hc_check_exchange() in hopcheck.h):
 * same issuer and subject, only the requested audience, no new scope, no
 * later expiry, and an actor chain that puts `--self` in front of the
 * subject token's chain without touching it.  A token is given inline, as
 * @FILE, or as `-` for standard input (one of the two at most); trailing
 * whitespace of a file or of standard input is dropped.
 *
 * Output: {"status": "...", "detail": "..."} on standard output.  Exit
 * status 0 when the issued token is narrower, 1 when it is rejected, 2 on
 * usage, configuration or system errors.  No token bytes are printed.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hopcheck.h"
#include "internal.h"

int hc_cli_check_exchange(int argc, char **argv);

#define EXIT_REJECT 1
#define EXIT_USAGE 2
/* A token read from a file or standard input, plus a trailing newline. */
#define TOKEN_INPUT_MAX (HC_MAX_TOKEN_BYTES_CAP + 2)

static void
usage(FILE *f)
{
	fputs("usage: hopcheck check-exchange --conf FILE "
	    "--subject-token T|@FILE|-\n"
	    "                                --issued-token T|@FILE|- "
	    "--audience A --self ID\n"
	    "                                [--now UNIX]\n", f);
}

/* Drops the trailing whitespace (the newline of `echo` or an editor). */
static void
trim(char *buf, size_t *len)
{
	while (*len > 0 && (buf[*len - 1] == '\n' || buf[*len - 1] == '\r' ||
	    buf[*len - 1] == ' ' || buf[*len - 1] == '\t'))
		(*len)--;
	buf[*len] = '\0';
}

/* Reads standard input, at most TOKEN_INPUT_MAX bytes; NULL on failure. */
static char *
read_stdin(size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap), *nb;

	if (buf == NULL)
		return NULL;
	for (;;) {
		size_t r;

		if (n + 1 >= cap) {
			if (cap > TOKEN_INPUT_MAX) {
				fprintf(stderr, "hopcheck: standard input is over %d "
				    "bytes\n", TOKEN_INPUT_MAX);
				goto fail;
			}
			if ((nb = realloc(buf, cap * 2)) == NULL)
				goto fail;
			buf = nb;
			cap *= 2;
		}
		r = fread(buf + n, 1, cap - n - 1, stdin);
		n += r;
		if (r == 0)
			break;
	}
	if (ferror(stdin)) {
		fprintf(stderr, "hopcheck: cannot read standard input\n");
		goto fail;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
fail:
	hc_wipe(buf, cap);
	free(buf);
	return NULL;
}

/*
 * Loads the token an option names: the argument itself, @FILE, or `-`
 * (standard input, which *stdin_used keeps to one token).  Returns 0, or
 * -1 after saying why on standard error.
 */
static int
load_token(const char *opt, const char *arg, bool *stdin_used, char **out,
    size_t *len)
{
	hc_detail d = { "" };

	*out = NULL;
	if (strcmp(arg, "-") == 0) {
		if (*stdin_used) {
			fprintf(stderr, "hopcheck: only one token may come from "
			    "standard input\n");
			return -1;
		}
		*stdin_used = true;
		if ((*out = read_stdin(len)) == NULL)
			return -1;
	} else if (arg[0] == '@') {
		if (hc_read_file(arg + 1, TOKEN_INPUT_MAX, out, len, &d) != 0) {
			fprintf(stderr, "hopcheck: %s %s: %s\n", opt, arg + 1,
			    d.text);
			return -1;
		}
	} else {
		if ((*out = strdup(arg)) == NULL)
			return -1;
		*len = strlen(arg);
	}
	trim(*out, len);
	return 0;
}

static int
parse_now(const char *s, int64_t *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v <= 0)
		return -1;
	*out = (int64_t)v;
	return 0;
}

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

/* Wipes and frees a token buffer of len bytes (plus its NUL). */
static void
drop_token(char *t, size_t len)
{
	if (t == NULL)
		return;
	hc_wipe(t, len + 1);
	free(t);
}

int
hc_cli_check_exchange(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "conf", required_argument, NULL, 'c' },
		{ "subject-token", required_argument, NULL, 's' },
		{ "issued-token", required_argument, NULL, 'i' },
		{ "audience", required_argument, NULL, 'a' },
		{ "self", required_argument, NULL, 'S' },
		{ "now", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *conf = NULL, *subj_arg = NULL, *iss_arg = NULL;
	const char *audience = NULL, *self = NULL;
	char *subj = NULL, *issued = NULL, *errors = NULL, *detail = NULL;
	size_t slen = 0, ilen = 0;
	bool stdin_used = false;
	hc_validator *v = NULL;
	int64_t now = 0;
	int c, rc = EXIT_USAGE;
	hc_status st;

	while ((c = getopt_long(argc, argv, "c:s:i:a:S:n:h", opts, NULL)) !=
	    -1) {
		switch (c) {
		case 'c': conf = optarg; break;
		case 's': subj_arg = optarg; break;
		case 'i': iss_arg = optarg; break;
		case 'a': audience = optarg; break;
		case 'S': self = optarg; break;
		case 'n':
			if (parse_now(optarg, &now) != 0) {
				fprintf(stderr, "hopcheck: --now needs a positive "
				    "number of seconds since the epoch\n");
				return EXIT_USAGE;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (conf == NULL || subj_arg == NULL || iss_arg == NULL ||
	    audience == NULL || self == NULL || optind != argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (audience[0] == '\0' || self[0] == '\0') {
		fprintf(stderr, "hopcheck: --audience and --self must not be "
		    "empty\n");
		return EXIT_USAGE;
	}
	if (load_token("--subject-token", subj_arg, &stdin_used, &subj,
	    &slen) != 0 ||
	    load_token("--issued-token", iss_arg, &stdin_used, &issued,
	    &ilen) != 0)
		goto out;

	st = hc_validator_new_from_file(conf, &v, &errors);
	if (st != HC_OK) {
		(void)print_verdict(st, errors != NULL ? errors :
		    "configuration error");
		goto out;
	}
	st = hc_check_exchange(v, subj, slen, issued, ilen, audience, self, now,
	    &detail);
	if (print_verdict(st, detail != NULL ? detail : hc_status_name(st)) != 0)
		goto out;
	rc = st == HC_OK ? 0 : (st == HC_CONFIG || st == HC_INTERNAL) ?
	    EXIT_USAGE : EXIT_REJECT;
out:
	hc_string_free(detail);
	hc_string_free(errors);
	hc_validator_free(v);
	drop_token(subj, slen);
	drop_token(issued, ilen);
	return rc;
}
