/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli_util.c - the rules every `hopcheck` command follows (cli.h): how a
 * usage error reads, how a file or standard input is read and what is said
 * when it cannot be, and how a token argument is loaded and cleaned.
 *
 * Kept in one place so that the commands cannot drift apart: a token given
 * to validate, inspect or check-exchange is read, trimmed and checked for a
 * "Bearer " prefix by the same code, and a missing file is exit 2 with the
 * same sentence whichever option named it.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "internal.h"

/* The first read of a file or of standard input; grown by doubling. */
#define CLI_READ_CHUNK 4096

void
cli_usage(const cli_cmd *cmd, FILE *f)
{
	fprintf(f, "usage: hopcheck %s%s%s\n", cmd->name,
	    cmd->synopsis[0] != '\0' ? " " : "", cmd->synopsis);
}

int
cli_help(const cli_cmd *cmd)
{
	cli_usage(cmd, stdout);
	if (cmd->help != NULL)
		printf("\n%s", cmd->help);
	printf("\nexit status: 0 accepted, 1 refused, 2 usage or input "
	    "error\n");
	return CLI_EXIT_OK;
}

int
cli_usage_error(const cli_cmd *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "hopcheck %s: ", cmd->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	cli_usage(cmd, stderr);
	return CLI_EXIT_USAGE;
}

int
cli_bad_option(const cli_cmd *cmd, int c, char **argv)
{
	const char *word = argv[optind - 1];

	if (c == ':')
		return cli_usage_error(cmd, "option '%s' needs a value", word);
	if (optopt != 0)
		return cli_usage_error(cmd, "unknown option '-%c'", optopt);
	return cli_usage_error(cmd, "unknown option '%s'", word);
}

int
cli_operands(const cli_cmd *cmd, int argc, char **argv, int want,
    const char *what)
{
	if (argc - optind > want)
		return cli_usage_error(cmd, "unexpected argument '%s'",
		    argv[optind + want]);
	if (argc - optind < want)
		return cli_usage_error(cmd, "missing %s", what);
	return 0;
}

/*
 * Reads fd to its end, at most max bytes, into a NUL-terminated heap
 * buffer; every buffer given up on the way is wiped (it may hold a token).
 * Returns 0, or -1 with errno set (EFBIG when over max).
 */
static int
read_all(int fd, size_t max, char **out, size_t *len)
{
	size_t cap = CLI_READ_CHUNK, n = 0;
	char *buf = malloc(cap), *nb;
	ssize_t r;

	if (buf == NULL)
		return -1;
	for (;;) {
		if (n + 1 >= cap) {
			if (n > max) {
				errno = EFBIG;
				goto fail;
			}
			if ((nb = malloc(cap * 2)) == NULL)
				goto fail;
			memcpy(nb, buf, n);
			hc_wipe(buf, cap);
			free(buf);
			buf = nb;
			cap *= 2;
		}
		r = read(fd, buf + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			goto fail;
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (n > max) {
		errno = EFBIG;
		goto fail;
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
fail:
	r = errno;
	hc_wipe(buf, cap);
	free(buf);
	errno = (int)r;
	return -1;
}

/* Says why `name` could not be read; returns CLI_EXIT_USAGE. */
static int
cannot_read(const char *name, int err, size_t max)
{
	if (err == EFBIG)
		fprintf(stderr, "hopcheck: cannot read %s: over %zu bytes\n", name,
		    max);
	else
		fprintf(stderr, "hopcheck: cannot read %s: %s\n", name,
		    strerror(err));
	return CLI_EXIT_USAGE;
}

/* Opens path for reading, refusing a directory; -1 with errno set. */
static int
open_file(const char *path)
{
	struct stat st;
	int fd, err;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	if (fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
		err = S_ISDIR(st.st_mode) ? EISDIR : errno;
		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

int
cli_read_file(const char *path, size_t max, char **out, size_t *len)
{
	int fd, rc;

	*out = NULL;
	*len = 0;
	if ((fd = open_file(path)) < 0)
		return cannot_read(path, errno, max);
	rc = read_all(fd, max, out, len);
	if (rc != 0) {
		int err = errno;
		close(fd);
		return cannot_read(path, err, max);
	}
	close(fd);
	return 0;
}

int
cli_readable(const char *path)
{
	int fd;

	if ((fd = open_file(path)) < 0)
		return cannot_read(path, errno, 0);
	close(fd);
	return 0;
}

int
cli_read_stdin(size_t max, char **out, size_t *len)
{
	*out = NULL;
	*len = 0;
	if (read_all(STDIN_FILENO, max, out, len) != 0)
		return cannot_read("standard input", errno, max);
	return 0;
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

size_t
cli_trim(char *buf, size_t len)
{
	size_t lead = 0;

	while (len > 0 && is_space(buf[len - 1]))
		len--;
	while (lead < len && is_space(buf[lead]))
		lead++;
	memmove(buf, buf + lead, len - lead);
	len -= lead;
	/* The moved-from tail may hold token bytes. */
	memset(buf + len, 0, lead);
	buf[len] = '\0';
	return len;
}

int
cli_token(const cli_cmd *cmd, const char *opt, const char *arg,
    bool *stdin_used, char **out, size_t *len)
{
	/* A token of the largest allowed size, with room for whitespace. */
	const size_t max = HC_MAX_TOKEN_BYTES_CAP + CLI_READ_CHUNK;
	int rc;

	*out = NULL;
	*len = 0;
	if (strcmp(arg, "-") == 0) {
		if (*stdin_used)
			return cli_usage_error(cmd, "%s -: standard input is "
			    "already read by another option", opt);
		*stdin_used = true;
		rc = cli_read_stdin(max, out, len);
	} else if (arg[0] == '@')
		rc = cli_read_file(arg + 1, max, out, len);
	else {
		if ((*out = strdup(arg)) == NULL) {
			fprintf(stderr, "hopcheck: out of memory\n");
			return CLI_EXIT_USAGE;
		}
		*len = strlen(arg);
		rc = 0;
	}
	if (rc != 0)
		return rc;
	*len = cli_trim(*out, *len);
	if (*len >= 7 && strncasecmp(*out, "Bearer", 6) == 0 &&
	    ((*out)[6] == ' ' || (*out)[6] == '\t')) {
		fprintf(stderr, "hopcheck: the token starts with \"Bearer \"; "
		    "pass the token alone\n");
		cli_drop(*out, *len);
		*out = NULL;
		*len = 0;
		return CLI_EXIT_USAGE;
	}
	return 0;
}

void
cli_drop(char *buf, size_t len)
{
	if (buf == NULL)
		return;
	hc_wipe(buf, len + 1);
	free(buf);
}

int
cli_parse_time(const char *s, int64_t *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0')
		return -1;
	*out = (int64_t)v;
	return 0;
}
