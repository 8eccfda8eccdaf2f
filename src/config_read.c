/* SPDX-License-Identifier: Apache-2.0 */
/*
 * config_read.c - reading typed values out of the configuration text.
 *
 * The generic half of the configuration loader (config_read.h): the error
 * lines and the JSON path they start with, allocation that marks the parse
 * out of memory instead of stopping it, the member readers (string, file
 * name, integer in range, boolean, enumeration, list of strings, object,
 * array of objects, exclusive members), the unknown-key check, and the
 * checks of values that mean the same in every section (URL, pattern,
 * scope token, HTTP header name and method, SPIFFE ID, trust domain).
 * Nothing here knows the schema: config.c does, and calls these.
 *
 * Like OpenBSD's parse.y, nothing stops at the first problem: every reader
 * reports at the current path, counts, and lets the caller go on, up to
 * HC_MAX_CONFIG_ERRORS lines.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_read.h"
#include "url.h"
#include "wimse.h"

/* One error line: path, message and a few quoted values. */
#define CFG_LINE_MAX             1024

/* ---------------------------------------------------- errors and paths */

/* Appends the NUL-terminated line to the error text, '\n'-separated. */
static void
err_append(struct cfg *c, const char *line)
{
	size_t n = strlen(line), need = c->errlen + n + 2;
	char *nb;

	if (c->oom)
		return;
	if (need > c->errcap) {
		size_t cap = c->errcap ? c->errcap : 512;

		while (cap < need)
			cap *= 2;
		if ((nb = realloc(c->err, cap)) == NULL) {
			c->oom = true;
			return;
		}
		c->err = nb;
		c->errcap = cap;
	}
	if (c->errlen > 0)
		c->err[c->errlen++] = '\n';
	memcpy(c->err + c->errlen, line, n + 1);
	c->errlen += n;
}

/*
 * Reports one problem at the current path.  After HC_MAX_CONFIG_ERRORS
 * lines a last line says that the rest are not shown; the count goes on,
 * so that the parse still fails.
 */
void
hc_cfg_error(struct cfg *c, const char *fmt, ...)
{
	char line[CFG_LINE_MAX];
	va_list ap;
	int n;

	c->nerr++;
	if (c->nerr > HC_MAX_CONFIG_ERRORS + 1)
		return;
	if (c->nerr == HC_MAX_CONFIG_ERRORS + 1) {
		(void)snprintf(line, sizeof(line), "toplevel: more than %d"
		    " errors; the rest are not reported", HC_MAX_CONFIG_ERRORS);
		err_append(c, line);
		return;
	}
	n = snprintf(line, sizeof(line), "%s: ",
	    c->plen > 0 ? c->path : "toplevel");
	if (n < 0 || (size_t)n >= sizeof(line))
		n = 0;
	va_start(ap, fmt);
	(void)vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	va_end(ap);
	err_append(c, line);
}

/*
 * Appends a segment to the current path and returns the length to restore
 * with hc_cfg_path_pop().  A path that would not fit is cut (the error
 * lines stay readable; nothing depends on the path but them).
 */
size_t
hc_cfg_path_push(struct cfg *c, const char *fmt, ...)
{
	size_t saved = c->plen, room = sizeof(c->path) - c->plen;
	va_list ap;
	int n;

	if (room <= 1)
		return saved;
	va_start(ap, fmt);
	n = vsnprintf(c->path + c->plen, room, fmt, ap);
	va_end(ap);
	if (n < 0)
		c->path[c->plen] = '\0';
	else if ((size_t)n >= room)
		c->plen = sizeof(c->path) - 1;
	else
		c->plen += (size_t)n;
	return saved;
}

/* Enters member `name`: "name" at the top, ".name" below. */
size_t
hc_cfg_path_key(struct cfg *c, const char *name)
{
	if (c->plen == 0)
		return hc_cfg_path_push(c, "%s", name);
	return hc_cfg_path_push(c, ".%s", name);
}

/*
 * Enters element i of an array: "[i]".  Returns the length that
 * hc_cfg_path_pop() restores.
 */
size_t
hc_cfg_path_index(struct cfg *c, size_t i)
{
	return hc_cfg_path_push(c, "[%zu]", i);
}

/* Leaves whatever the hc_cfg_path_push() that returned `saved` entered. */
void
hc_cfg_path_pop(struct cfg *c, size_t saved)
{
	c->plen = saved;
	c->path[saved] = '\0';
}

/* ----------------------------------------------------------- allocation */

/*
 * calloc() that marks the parse out of memory instead of stopping it: the
 * readers go on and hc_policy_parse() turns the mark into HC_INTERNAL.  A
 * count of 0 still allocates, so NULL means only out of memory.
 */
void *
hc_cfg_calloc(struct cfg *c, size_t n, size_t size)
{
	void *v;

	if (n == 0)
		n = 1;
	if ((v = calloc(n, size)) == NULL)
		c->oom = true;
	return v;
}

/* strdup() that marks the parse out of memory, as hc_cfg_calloc() does. */
char *
hc_cfg_strdup(struct cfg *c, const char *s)
{
	char *r;

	if ((r = strdup(s)) == NULL)
		c->oom = true;
	return r;
}

/*
 * Frees the strings and the array of a list and leaves it empty, so that a
 * default can be dropped before a read value replaces it.
 */
void
hc_strlist_free(hc_strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* ------------------------------------------------------- small helpers */

/*
 * ASCII classes that ignore the locale: configuration syntax must not
 * change with setlocale(), as <ctype.h> would.
 */
static bool
is_digit(unsigned char ch)
{
	return ch >= '0' && ch <= '9';
}

static bool
is_alpha(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

/* RFC 9110 section 5.6.2: tchar, the characters of a token. */
static bool
is_tchar(unsigned char ch)
{
	return is_alpha(ch) || is_digit(ch) ||
	    (ch != '\0' && strchr("!#$%&'*+-.^_`|~", ch) != NULL);
}

/* The name of j's JSON type, for error lines. */
static const char *
json_type(const hc_json *j)
{
	return hc_json_type_name(hc_json_type_of(j));
}

/*
 * Reports that the value at the current path is not `want`, naming the type
 * found instead.
 */
void
hc_cfg_type_error(struct cfg *c, const char *want, const hc_json *j)
{
	hc_cfg_error(c, "expected %s, got %s", want, json_type(j));
}

/* ------------------------------------------------------ generic readers */

/*
 * A string value as the schema wants every string: not empty, at most
 * HC_MAX_CONFIG_STRING bytes, without control characters (no setting
 * needs one, and they would only hide in logs).  Returns it (borrowed
 * from the tree) or NULL after reporting.
 */
const char *
hc_cfg_val_str(struct cfg *c, const hc_json *j)
{
	const char *s = hc_json_string(j);
	size_t n;

	if (s == NULL) {
		hc_cfg_type_error(c, "a string", j);
		return NULL;
	}
	n = strnlen(s, (size_t)HC_MAX_CONFIG_STRING + 1);
	if (n == 0) {
		hc_cfg_error(c, "must not be empty");
		return NULL;
	}
	if (n > HC_MAX_CONFIG_STRING) {
		hc_cfg_error(c, "longer than %d bytes", HC_MAX_CONFIG_STRING);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch < 0x20 || ch == 0x7f) {
			hc_cfg_error(c, "contains a control character");
			return NULL;
		}
	}
	return s;
}

/*
 * Reads string member `name` of obj, checks it with `check` (may be NULL)
 * and stores a copy in *out (replacing nothing: *out must be NULL).
 * Returns 1 when stored, 0 when absent (an error if `required`), -1 when
 * invalid (reported).
 */
int
hc_cfg_str(struct cfg *c, const hc_json *obj, const char *name, bool required,
    hc_cfg_check check, const void *arg, char **out)
{
	const hc_json *j = hc_json_get(obj, name);
	const char *s;
	size_t saved;
	int rc = -1;

	saved = hc_cfg_path_key(c, name);
	if (j == NULL) {
		if (required)
			hc_cfg_error(c, "required key is missing");
		hc_cfg_path_pop(c, saved);
		return required ? -1 : 0;
	}
	if ((s = hc_cfg_val_str(c, j)) != NULL &&
	    (check == NULL || check(c, s, arg)) &&
	    (*out = hc_cfg_strdup(c, s)) != NULL)
		rc = 1;
	hc_cfg_path_pop(c, saved);
	return rc;
}

/* Like hc_cfg_str() for a file name, stored resolved against base_dir. */
int
hc_cfg_file(struct cfg *c, const hc_json *obj, const char *name, char **out)
{
	const hc_json *j = hc_json_get(obj, name);
	const char *s;
	size_t saved;
	int rc = -1;

	if (j == NULL)
		return 0;
	saved = hc_cfg_path_key(c, name);
	if ((s = hc_cfg_val_str(c, j)) != NULL) {
		if ((*out = hc_path_join(c->base_dir, s)) == NULL)
			c->oom = true;
		else
			rc = 1;
	}
	hc_cfg_path_pop(c, saved);
	return rc;
}

/*
 * Writes a number for an error line: integral values of moderate size in
 * full ("10000001", not "1e+07"), anything else in %g form ("1.5").
 */
static const char *
fmt_number(char *buf, size_t n, double d)
{
	if (d > -1e15 && d < 1e15 && (double)(int64_t)d == d)
		(void)snprintf(buf, n, "%lld", (long long)d);
	else
		(void)snprintf(buf, n, "%g", d);
	return buf;
}

/*
 * Reads an integer member: a JSON number that is integral and within
 * min..max ("30" and 1.5 are refused).  *out keeps its default when the
 * member is absent.  Returns 1, 0 (absent) or -1 (reported).
 */
int
hc_cfg_int(struct cfg *c, const hc_json *obj, const char *name, int64_t min,
    int64_t max, int64_t *out)
{
	const hc_json *j = hc_json_get(obj, name);
	char num[64];
	size_t saved;
	double d;
	int rc = -1;

	if (j == NULL)
		return 0;
	saved = hc_cfg_path_key(c, name);
	if (!hc_json_number(j, &d)) {
		hc_cfg_error(c, "expected an integer in %lld..%lld, got %s",
		    (long long)min, (long long)max, json_type(j));
	} else if (!(d >= (double)min && d <= (double)max) ||
	    (double)(int64_t)d != d) {
		/*
		 * The range test comes first, so the cast is defined; it also
		 * catches NaN and infinities.  Every bound is below 2^53.
		 */
		hc_cfg_error(c, "expected an integer in %lld..%lld, got %s",
		    (long long)min, (long long)max,
		    fmt_number(num, sizeof(num), d));
	} else {
		*out = (int64_t)d;
		rc = 1;
	}
	hc_cfg_path_pop(c, saved);
	return rc;
}

/* hc_cfg_int() into a size_t. */
int
hc_cfg_size(struct cfg *c, const hc_json *obj, const char *name, int64_t min,
    int64_t max, size_t *out)
{
	int64_t v = (int64_t)*out;
	int rc;

	if ((rc = hc_cfg_int(c, obj, name, min, max, &v)) == 1)
		*out = (size_t)v;
	return rc;
}

/* Reads a boolean member; *out keeps its default when absent. */
int
hc_cfg_bool(struct cfg *c, const hc_json *obj, const char *name, bool *out)
{
	const hc_json *j = hc_json_get(obj, name);
	size_t saved;

	if (j == NULL)
		return 0;
	switch (hc_json_type_of(j)) {
	case HC_JSON_TRUE:
		*out = true;
		return 1;
	case HC_JSON_FALSE:
		*out = false;
		return 1;
	default:
		saved = hc_cfg_path_key(c, name);
		hc_cfg_type_error(c, "a boolean", j);
		hc_cfg_path_pop(c, saved);
		return -1;
	}
}

/*
 * Reads a string member that must be one of names[] (NULL-terminated);
 * *out becomes values[k] of the match, or keeps its default when absent.
 */
int
hc_cfg_enum(struct cfg *c, const hc_json *obj, const char *name,
    const char *const *names, const int *values, int *out)
{
	const hc_json *j = hc_json_get(obj, name);
	char q[CFG_QUOTE_MAX], list[256];
	const char *s;
	size_t saved, o = 0;
	int rc = -1;

	if (j == NULL)
		return 0;
	saved = hc_cfg_path_key(c, name);
	if ((s = hc_cfg_val_str(c, j)) != NULL) {
		for (size_t k = 0; names[k] != NULL; k++) {
			if (strcmp(s, names[k]) == 0) {
				*out = values[k];
				rc = 1;
				break;
			}
		}
		if (rc != 1) {
			list[0] = '\0';
			for (size_t k = 0; names[k] != NULL; k++) {
				int n = snprintf(list + o, sizeof(list) - o,
				    "%s\"%s\"", k ? ", " : "", names[k]);
				if (n < 0 || (size_t)n >= sizeof(list) - o)
					break;
				o += (size_t)n;
			}
			hc_cfg_error(c, "expected one of %s, got %s", list,
			    hc_quote(q, sizeof(q), s));
		}
	}
	hc_cfg_path_pop(c, saved);
	return rc;
}

/*
 * Reads an array of strings, each checked with `check` (may be NULL), at
 * most HC_MAX_LIST_ITEMS long (empty only if `may_be_empty`).  When the
 * whole list is valid it replaces *out (freeing a default there).
 * Returns 1, 0 (absent) or -1 (reported).
 */
int
hc_cfg_strlist(struct cfg *c, const hc_json *obj, const char *name,
    bool may_be_empty, hc_cfg_check check, const void *arg, hc_strlist *out)
{
	const hc_json *j = hc_json_get(obj, name), *e;
	hc_strlist l = { NULL, 0 };
	size_t saved, n, i;
	bool bad = false;

	if (j == NULL)
		return 0;
	saved = hc_cfg_path_key(c, name);
	if (hc_json_type_of(j) != HC_JSON_ARRAY) {
		hc_cfg_type_error(c, "an array of strings", j);
		goto fail;
	}
	n = hc_json_count(j);
	if (n > HC_MAX_LIST_ITEMS) {
		hc_cfg_error(c, "has %zu items, more than the limit of %d", n,
		    HC_MAX_LIST_ITEMS);
		goto fail;
	}
	if (n == 0 && !may_be_empty) {
		hc_cfg_error(c, "must not be empty");
		goto fail;
	}
	if ((l.v = hc_cfg_calloc(c, n, sizeof(*l.v))) == NULL)
		goto fail;
	for (i = 0, e = hc_json_first(j); e != NULL && i < n;
	    i++, e = hc_json_next(e)) {
		size_t s2 = hc_cfg_path_index(c, i);
		const char *s = hc_cfg_val_str(c, e);

		if (s == NULL || (check != NULL && !check(c, s, arg)))
			bad = true;
		else if ((l.v[l.n] = hc_cfg_strdup(c, s)) != NULL)
			l.n++;
		else
			bad = true;
		hc_cfg_path_pop(c, s2);
	}
	if (bad)
		goto fail;
	hc_strlist_free(out);
	*out = l;
	hc_cfg_path_pop(c, saved);
	return 1;
fail:
	hc_strlist_free(&l);
	hc_cfg_path_pop(c, saved);
	return -1;
}

/* Reports every member of obj whose name is not in keys[] (NULL-ended). */
/* Longest key compared for a suggestion; longer names get none. */
#define CFG_SUGGEST_MAX 64

/*
 * Whether two names are close: equal but for case, or at most two edits
 * apart (Levenshtein distance: insertions, deletions, substitutions).
 */
static bool
close_names(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), row[CFG_SUGGEST_MAX + 1];

	if (la > CFG_SUGGEST_MAX || lb > CFG_SUGGEST_MAX)
		return false;
	if (la == lb) {
		size_t i;
		for (i = 0; i < la; i++) {
			char x = a[i], y = b[i];
			if (x >= 'A' && x <= 'Z')
				x = (char)(x - 'A' + 'a');
			if (y >= 'A' && y <= 'Z')
				y = (char)(y - 'A' + 'a');
			if (x != y)
				break;
		}
		if (i == la)
			return true;
	}
	if ((la > lb ? la - lb : lb - la) > 2)
		return false;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0], best;
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb] <= 2;
}

void
hc_cfg_check_keys(struct cfg *c, const hc_json *obj, const char *const *keys)
{
	char q[CFG_QUOTE_MAX];

	for (const hc_json *m = hc_json_first(obj); m != NULL;
	    m = hc_json_next(m)) {
		const char *name = hc_json_name(m);
		size_t k;

		for (k = 0; keys[k] != NULL; k++)
			if (name != NULL && strcmp(name, keys[k]) == 0)
				break;
		if (keys[k] != NULL)
			continue;
		/* A misspelt known key gets its right spelling. */
		for (k = 0; name != NULL && keys[k] != NULL; k++)
			if (close_names(name, keys[k]))
				break;
		if (name != NULL && keys[k] != NULL)
			hc_cfg_error(c, "unknown key %s (did you mean \"%s\"?)",
			    hc_quote(q, sizeof(q), name), keys[k]);
		else
			hc_cfg_error(c, "unknown key %s",
			    hc_quote(q, sizeof(q), name));
	}
}

/*
 * Reads object member `name` of obj: checks its type and keys, then calls
 * `fn` with the path entered.  Returns true when the member is present
 * (whatever its validity), so that callers can tell "absent" apart.
 */
bool
hc_cfg_section(struct cfg *c, const hc_json *obj, const char *name,
    const char *const *keys, hc_cfg_section_reader fn)
{
	const hc_json *j = hc_json_get(obj, name);
	size_t saved;

	if (j == NULL)
		return false;
	saved = hc_cfg_path_key(c, name);
	if (hc_json_type_of(j) != HC_JSON_OBJECT) {
		hc_cfg_type_error(c, "an object", j);
	} else {
		hc_cfg_check_keys(c, j, keys);
		fn(c, j);
	}
	hc_cfg_path_pop(c, saved);
	return true;
}

/*
 * Reads an array of objects into a new array of *n elements of `size`
 * bytes each (zeroed), and calls `fn` for each element with that array,
 * so that fn fills element i in place and can compare it with the ones
 * before.  At most `max` elements; at least one when `nonempty`.  Returns
 * the array (the caller stores it, whatever *rc), or NULL; *rc is 1, 0
 * (absent) or -1 (reported).
 */
void *
hc_cfg_objarray(struct cfg *c, const hc_json *obj, const char *name,
    size_t max, bool nonempty, const char *const *keys, size_t size,
    size_t *n, hc_cfg_item_reader fn, int *rc)
{
	const hc_json *j = hc_json_get(obj, name), *e;
	size_t saved, count, i;
	void *arr = NULL;

	*rc = 0;
	if (j == NULL)
		return NULL;
	*rc = -1;
	saved = hc_cfg_path_key(c, name);
	if (hc_json_type_of(j) != HC_JSON_ARRAY) {
		hc_cfg_type_error(c, "an array of objects", j);
		goto out;
	}
	count = hc_json_count(j);
	if (count > max) {
		hc_cfg_error(c, "has %zu items, more than the limit of %zu",
		    count, max);
		goto out;
	}
	if (count == 0 && nonempty) {
		hc_cfg_error(c, "must not be empty");
		goto out;
	}
	if ((arr = hc_cfg_calloc(c, count, size)) == NULL)
		goto out;
	*n = count;
	*rc = 1;
	for (i = 0, e = hc_json_first(j); e != NULL && i < count;
	    i++, e = hc_json_next(e)) {
		size_t s2 = hc_cfg_path_index(c, i);

		if (hc_json_type_of(e) != HC_JSON_OBJECT) {
			hc_cfg_type_error(c, "an object", e);
			*rc = -1;
		} else {
			hc_cfg_check_keys(c, e, keys);
			fn(c, e, arr, i);
		}
		hc_cfg_path_pop(c, s2);
	}
out:
	hc_cfg_path_pop(c, saved);
	return arr;
}

/* Which of the exclusive members names[] obj has: the index, -1 if none. */
int
hc_cfg_one_of(struct cfg *c, const hc_json *obj, const char *const *names,
    const char *what)
{
	int found = -1;

	for (int k = 0; names[k] != NULL; k++) {
		if (hc_json_get(obj, names[k]) == NULL)
			continue;
		if (found >= 0) {
			hc_cfg_error(c, "%s and %s are exclusive: give"
			    " exactly one %s", names[found], names[k], what);
			return -2;
		}
		found = k;
	}
	if (found < 0) {
		char list[256];
		size_t o = 0;

		list[0] = '\0';
		for (int k = 0; names[k] != NULL; k++) {
			int n = snprintf(list + o, sizeof(list) - o, "%s%s",
			    k == 0 ? "" : names[k + 1] == NULL ? " or " : ", ",
			    names[k]);
			if (n < 0 || (size_t)n >= sizeof(list) - o)
				break;
			o += (size_t)n;
		}
		hc_cfg_error(c, "needs a %s: %s", what, list);
	}
	return found;
}

/* -------------------------------------------------------- value checks */

/*
 * A URL to fetch keys, metadata or a bundle from: https://HOST[:PORT]/...,
 * or http:// when `*arg` (allow_insecure_http) is true and the host is a
 * loopback host.  No userinfo (credentials do not belong in this file),
 * no spaces, no fragment.
 */
bool
hc_cfg_check_url(struct cfg *c, const char *url, const void *arg)
{
	bool allow_http = *(const bool *)arg, https;
	char q[CFG_QUOTE_MAX];
	const char *auth;
	hc_hostport hp;
	size_t alen;

	if (strncmp(url, "https://", 8) == 0)
		https = true;
	else if (strncmp(url, "http://", 7) == 0)
		https = false;
	else {
		hc_cfg_error(c, "expected an https:// URL, got %s",
		    hc_quote(q, sizeof(q), url));
		return false;
	}
	if (strpbrk(url, " #") != NULL) {
		hc_cfg_error(c, "URL must not contain a space or a fragment");
		return false;
	}
	auth = url + (https ? 8 : 7);
	alen = strcspn(auth, "/?");
	if (memchr(auth, '@', alen) != NULL) {
		hc_cfg_error(c, "URL must not contain userinfo");
		return false;
	}
	if (!hc_hostport_split(auth, alen, &hp)) {
		hc_cfg_error(c, "URL has no valid host[:port]: %s",
		    hc_quote(q, sizeof(q), url));
		return false;
	}
	if (!https) {
		if (!allow_http) {
			hc_cfg_error(c, "plain http:// needs"
			    " allow_insecure_http (and a loopback host); use"
			    " https://");
			return false;
		}
		if (!hc_hostport_is_loopback(&hp)) {
			hc_cfg_error(c, "plain http:// is allowed only to a"
			    " loopback host (127.x.x.x, [::1], localhost),"
			    " got %s", hc_quote(q, sizeof(q), url));
			return false;
		}
	}
	return true;
}

/*
 * A pattern (actor, subject, direct caller): an exact string, or a prefix
 * followed by one '*' at the very end.  A '*' anywhere else would be taken
 * literally by hc_pattern_match(), which is never what was meant.
 */
bool
hc_cfg_check_pattern(struct cfg *c, const char *s, const void *arg)
{
	const char *star = strchr(s, '*');
	char q[CFG_QUOTE_MAX];

	(void)arg;
	if (star != NULL && star[1] != '\0') {
		hc_cfg_error(c, "\"*\" is allowed only as the last character"
		    " of a pattern, got %s", hc_quote(q, sizeof(q), s));
		return false;
	}
	return true;
}

/*
 * A scope token, RFC 6749 section 3.3: 1*( %x21 / %x23-5B / %x5D-7E ),
 * that is printable ASCII other than space, '"' and '\'.  A token that
 * breaks this grammar could never appear in a token's `scope`.
 */
bool
hc_cfg_check_scope(struct cfg *c, const char *s, const void *arg)
{
	char q[CFG_QUOTE_MAX];

	(void)arg;
	for (const char *t = s; *t != '\0'; t++) {
		unsigned char ch = (unsigned char)*t;
		if (ch <= 0x20 || ch >= 0x7f || ch == '"' || ch == '\\') {
			hc_cfg_error(c, "not a scope token (RFC 6749 section"
			    " 3.3: no space, quote, backslash or non-ASCII),"
			    " got %s", hc_quote(q, sizeof(q), s));
			return false;
		}
	}
	return true;
}

/* An HTTP field name (RFC 9110 section 5.1: a token). */
bool
hc_cfg_check_header(struct cfg *c, const char *s, const void *arg)
{
	char q[CFG_QUOTE_MAX];

	(void)arg;
	for (const char *t = s; *t != '\0'; t++) {
		if (!is_tchar((unsigned char)*t)) {
			hc_cfg_error(c, "not an HTTP header name (RFC 9110"
			    " section 5.1), got %s", hc_quote(q, sizeof(q), s));
			return false;
		}
	}
	return true;
}

/* An HTTP method (RFC 9110 section 9.1: a token), or "*" for any. */
bool
hc_cfg_check_method(struct cfg *c, const char *s, const void *arg)
{
	char q[CFG_QUOTE_MAX];

	(void)arg;
	if (strcmp(s, "*") == 0)
		return true;
	for (const char *t = s; *t != '\0'; t++) {
		if (!is_tchar((unsigned char)*t) || *t == '*') {
			hc_cfg_error(c, "not an HTTP method (or \"*\"), got %s",
			    hc_quote(q, sizeof(q), s));
			return false;
		}
	}
	return true;
}

/*
 * A workload identity a caller may have: a SPIFFE ID as
 * hc_cfg_check_workload_id() wants it, or another Workload Identifier
 * (draft-ietf-wimse-identifier section 4.1, wid.c), such as a WIT's sub.
 */
bool
hc_cfg_check_caller_id(struct cfg *c, const char *s, const void *arg)
{
	hc_detail d;

	d.text[0] = '\0';
	if (strncmp(s, HC_SPIFFE_SCHEME, HC_SPIFFE_SCHEME_LEN) == 0)
		return hc_cfg_check_workload_id(c, s, arg);
	if (hc_wid_check(s, strlen(s), NULL, NULL, &d) == HC_OK)
		return true;
	hc_cfg_error(c, "not a valid Workload Identifier: %s", d.text);
	return false;
}

/*
 * A workload SPIFFE ID: the SPIFFE-ID grammar (spiffe.c) and a non-empty
 * path, since an ID that is only a trust domain names no workload
 * (X509-SVID section 5.2 demands the same of a peer).
 */
bool
hc_cfg_check_workload_id(struct cfg *c, const char *s, const void *arg)
{
	char q[CFG_QUOTE_MAX];
	size_t len = strlen(s), td_len = 0;
	hc_detail d;

	(void)arg;
	d.text[0] = '\0';
	if (hc_spiffe_id_check(s, len, &td_len, &d) != HC_OK) {
		hc_cfg_error(c, "not a valid SPIFFE ID: %s", d.text);
		return false;
	}
	if (HC_SPIFFE_SCHEME_LEN + td_len >= len) {
		hc_cfg_error(c, "a SPIFFE ID with a path is required (a"
		    " workload, not a trust domain), got %s",
		    hc_quote(q, sizeof(q), s));
		return false;
	}
	return true;
}

/*
 * A SPIFFE trust domain name (SPIFFE-ID section 2.1), with the reason from
 * hc_spiffe_td_check() when it is not one.  Returns false after reporting.
 */
bool
hc_cfg_check_trust_domain(struct cfg *c, const char *s, const void *arg)
{
	hc_detail d;

	(void)arg;
	d.text[0] = '\0';
	if (hc_spiffe_td_check(s, strlen(s), &d) != HC_OK) {
		hc_cfg_error(c, "not a valid SPIFFE trust domain: %s", d.text);
		return false;
	}
	return true;
}

unsigned
hc_cfg_algorithms(struct cfg *c, const hc_json *obj, bool required,
    const char *what, hc_cfg_alg_rule rule, const void *arg)
{
	hc_strlist l = { NULL, 0 };
	char q[CFG_QUOTE_MAX], why[HC_DETAIL_MAX];
	const char *unsupported;
	unsigned mask = 0;
	size_t saved, s2;
	int rc;

	rc = hc_cfg_strlist(c, obj, "algorithms", false, NULL, NULL, &l);
	if (rc == 0 && required) {
		saved = hc_cfg_path_key(c, "algorithms");
		hc_cfg_error(c, "required key is missing (no default: list the"
		    " %s)", what);
		hc_cfg_path_pop(c, saved);
	}
	if (rc != 1)
		return 0;
	saved = hc_cfg_path_key(c, "algorithms");
	for (size_t i = 0; i < l.n; i++) {
		hc_alg alg = hc_alg_from_name(l.v[i]);

		s2 = hc_cfg_path_index(c, i);
		if (strcmp(l.v[i], "none") == 0)
			hc_cfg_error(c, "\"none\" is never allowed (unsecured"
			    " JWTs are always refused)");
		else if (alg == HC_ALG_UNKNOWN)
			hc_cfg_error(c, "unknown algorithm %s",
			    hc_quote(q, sizeof(q), l.v[i]));
		else if (!hc_alg_supported(alg, &unsupported))
			hc_cfg_error(c, "%s", unsupported);
		else if (rule != NULL && !rule(arg, alg, l.v[i], why,
		    sizeof(why)))
			hc_cfg_error(c, "%s", why);
		else
			mask |= HC_ALG_BIT(alg);
		hc_cfg_path_pop(c, s2);
	}
	hc_cfg_path_pop(c, saved);
	hc_strlist_free(&l);
	return mask;
}
