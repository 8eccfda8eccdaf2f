/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli.h - what the commands of `hopcheck` share (tools/cli_util.c): one
 * exit-code rule, one way to report a usage error, one way to read a token
 * or a file.
 *
 * Exit status of every command: CLI_EXIT_OK when accepted (or the command
 * did what it was asked), CLI_EXIT_REJECT when the input was judged and
 * refused, CLI_EXIT_USAGE for a usage error or an input that could not be
 * read (a missing file, a second `-`, a "Bearer " prefix), and for a
 * configuration or system error: anything that is not a verdict.
 */
#ifndef HC_CLI_H
#define HC_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define CLI_EXIT_OK 0
#define CLI_EXIT_REJECT 1
#define CLI_EXIT_USAGE 2

/* One command: its word, its synopsis and its help. */
typedef struct cli_cmd {
	const char *name;        /* "validate" */
	const char *synopsis;    /* options after "hopcheck NAME", may wrap */
	const char *help;        /* what it does and its options, or NULL */
	int (*run)(const struct cli_cmd *cmd, int argc, char **argv);
} cli_cmd;

/* The commands defined outside hopcheck.c. */
extern const cli_cmd cli_cmd_check_exchange;    /* tools/cmd_exchange.c */
extern const cli_cmd cli_cmd_inspect;           /* tools/cli_inspect.c */
extern const cli_cmd cli_cmd_keys;              /* tools/cmd_keys.c */

/* Prints "usage: hopcheck NAME SYNOPSIS" to f. */
void cli_usage(const cli_cmd *cmd, FILE *f);

/* `hopcheck NAME --help`: the usage and the help on standard output; 0. */
int cli_help(const cli_cmd *cmd);

/*
 * A usage error: one line "hopcheck NAME: <message>" and the usage, on
 * standard error.  Returns CLI_EXIT_USAGE.
 */
int cli_usage_error(const cli_cmd *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Reports what getopt_long() (with opterr 0 and an optstring that starts
 * with ':') returned for a bad option `c`: an unknown option or a missing
 * value.  Returns CLI_EXIT_USAGE.
 */
int cli_bad_option(const cli_cmd *cmd, int c, char **argv);

/*
 * The remaining words after the options: exactly `want` of them, or a
 * usage error naming the first extra one or the missing operand `what`.
 * Returns 0, or CLI_EXIT_USAGE after saying so.
 */
int cli_operands(const cli_cmd *cmd, int argc, char **argv, int want,
    const char *what);

/*
 * Reads the whole of path (at most max bytes) into a NUL-terminated heap
 * buffer.  Returns 0, or CLI_EXIT_USAGE after printing "hopcheck: cannot
 * read PATH: <reason>" on standard error: the one rule for every file a
 * command names.
 */
int cli_read_file(const char *path, size_t max, char **out, size_t *len);

/* Fails as cli_read_file() would when path cannot be opened and read. */
int cli_readable(const char *path);

/*
 * Reads all of standard input (at most max bytes), byte for byte, into a
 * NUL-terminated heap buffer.  Returns 0, or CLI_EXIT_USAGE after saying
 * why.
 */
int cli_read_stdin(size_t max, char **out, size_t *len);

/*
 * Removes leading and trailing whitespace (space, tab, CR, LF) in place and
 * returns the new length; the one rule for every token input.
 */
size_t cli_trim(char *buf, size_t len);

/*
 * Loads the token an option gives: the argument itself, `-` (standard
 * input; *stdin_used keeps that to one option per invocation) or @FILE.
 * Whitespace is trimmed (cli_trim()) and a "Bearer " prefix refused.
 * `opt` names the option in messages ("--token").  Returns 0 with a heap
 * copy the caller frees with cli_drop(), or CLI_EXIT_USAGE after saying
 * why.
 */
int cli_token(const cli_cmd *cmd, const char *opt, const char *arg,
    bool *stdin_used, char **out, size_t *len);

/* Wipes and frees a buffer of len bytes plus its NUL; NULL is a no-op. */
void cli_drop(char *buf, size_t len);

/* A whole decimal string as seconds since the epoch: 0, or -1. */
int cli_parse_time(const char *s, int64_t *out);

#endif
