/*
 * config.c - the configuration file (v1 schema) into an immutable policy.
 *
 * The text is JSON with `//` and block comments (hc_json_parse_commented(),
 * which refuses duplicate member names at any depth).  Every key of the
 * schema is checked here: its type, its bounds, and the rules that tie keys
 * together (one key source per issuer, HS* only with a shared secret, plain
 * http only to loopback, ...).  An unknown key is an error naming its path,
 * so that a misspelt security setting never silently falls back to a
 * default.  Like OpenBSD's parse.y, the loader does not stop at the first
 * problem: it walks the whole document and reports every error, one line
 * "PATH: message" each, up to HC_MAX_CONFIG_ERRORS lines.
 *
 * Nothing here reads a key file: paths are only resolved against the
 * directory of the configuration, and the validator loads them.  The
 * reference of every key (type, default, bounds) is conf/schema.md; keep
 * the two in step.
 *
 * Layout: the parse context and error reporting, generic readers (string,
 * integer, boolean, enumeration, list, object, array of objects), value
 * checks (URL, loopback host, pattern, scope token, header name), one
 * function per section, then the public API.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>

#include "crypto.h"
#include "policy.h"

/* ------------------------------------------------------------- bounds */

#ifndef HC_MAX_CONFIG_ERRORS
#define HC_MAX_CONFIG_ERRORS     100   /* error lines reported, then one more */
#endif

/* A JSON path in an error line; deeper or longer paths are cut. */
#define CFG_PATH_MAX             256
/* One error line: path, message and a few quoted values. */
#define CFG_LINE_MAX             1024
/* Room for hc_quote() of one value (every byte may become \xNN). */
#define CFG_QUOTE_MAX            (HC_DETAIL_VALUE_MAX * 4 + 8)

/* Schema bounds and defaults (conf/schema.md lists the same numbers). */
#define CFG_MAX_LIFETIME_S       31536000      /* one year */
#define CFG_MAX_ENTRIES          10000000      /* replay and cache entries */
#define CFG_DEFAULT_REPLAY_ENTRIES 100000
#define CFG_DEFAULT_CACHE_ENTRIES 10000
#define CFG_MAX_AUD_VALUES       HC_MAX_AUDIENCES

#define CFG_DEFAULT_MIN_REFRESH_S 60
#define CFG_MAX_MIN_REFRESH_S    86400         /* one day */
#define CFG_DEFAULT_MAX_REFRESH_S 3600
#define CFG_MAX_MAX_REFRESH_S    604800        /* one week */
#define CFG_DEFAULT_MAX_STALE_S  86400
#define CFG_MAX_MAX_STALE_S      2592000       /* thirty days */
#define CFG_DEFAULT_KID_COOLDOWN_S 30
#define CFG_MAX_KID_COOLDOWN_S   3600
#define CFG_DEFAULT_CONNECT_MS   2000
#define CFG_MAX_CONNECT_MS       60000
#define CFG_DEFAULT_TIMEOUT_MS   5000
#define CFG_MAX_TIMEOUT_MS       300000
#define CFG_DEFAULT_FETCH_BYTES  1048576
#define CFG_MIN_FETCH_BYTES      1024
#define CFG_MAX_FETCH_BYTES      16777216

#define CFG_DEFAULT_THREADS      4
#define CFG_MAX_THREADS          64
#define CFG_DEFAULT_LOG_LEVEL    2             /* info */

/* ------------------------------------------------------ parse context */

/*
 * The state of one parse.  `path` always holds the JSON path of the value
 * being read ("" for the document itself), so that any reader can report
 * an error without being told where it is.
 */
struct cfg {
	hc_policy	*p;
	const char	*base_dir;      /* for relative paths; may be NULL */
	char		 path[CFG_PATH_MAX];
	size_t		 plen;          /* strlen(path) */
	char		*err;           /* "PATH: message\n..." */
	size_t		 errlen;
	size_t		 errcap;
	unsigned	 nerr;          /* errors seen (reported or not) */
	bool		 oom;
};

/* Checks a string value at the current path; reports and returns false. */
typedef bool (*str_check)(struct cfg *c, const char *s, const void *arg);
/* Reads element i of `arr` from j (an object whose keys are checked). */
typedef void (*item_reader)(struct cfg *c, const hc_json *j, void *arr,
    size_t i);
/* Reads a section (an object whose keys are already checked). */
typedef void (*section_reader)(struct cfg *c, const hc_json *j);

static void cfg_error(struct cfg *c, const char *fmt, ...) HC_PRINTF(2, 3);
static size_t path_push(struct cfg *c, const char *fmt, ...) HC_PRINTF(2, 3);

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
static void
cfg_error(struct cfg *c, const char *fmt, ...)
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
 * with path_pop().  A path that would not fit is cut (the error lines stay
 * readable; nothing depends on the path but them).
 */
static size_t
path_push(struct cfg *c, const char *fmt, ...)
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
static size_t
path_key(struct cfg *c, const char *name)
{
	if (c->plen == 0)
		return path_push(c, "%s", name);
	return path_push(c, ".%s", name);
}

/*
 * Enters element i of an array: "[i]".  Returns the length that path_pop()
 * restores.
 */
static size_t
path_index(struct cfg *c, size_t i)
{
	return path_push(c, "[%zu]", i);
}

/* Leaves whatever the path_push() that returned `saved` entered. */
static void
path_pop(struct cfg *c, size_t saved)
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
static void *
cfg_calloc(struct cfg *c, size_t n, size_t size)
{
	void *v;

	if (n == 0)
		n = 1;
	if ((v = calloc(n, size)) == NULL)
		c->oom = true;
	return v;
}

/* strdup() that marks the parse out of memory, as cfg_calloc() does. */
static char *
cfg_strdup(struct cfg *c, const char *s)
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
static void
strlist_free(hc_strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* ------------------------------------------------------- small helpers */

/*
 * ASCII classes and case mappings that ignore the locale: configuration syntax
 * must not change with setlocale(), as <ctype.h> would.
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

static char
to_lower(char ch)
{
	return ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
}

static char
to_upper(char ch)
{
	return ch >= 'a' && ch <= 'z' ? (char)(ch - 'a' + 'A') : ch;
}

/* RFC 9110 section 5.6.2: tchar, the characters of a token. */
static bool
is_tchar(unsigned char ch)
{
	return is_alpha(ch) || is_digit(ch) ||
	    (ch != '\0' && strchr("!#$%&'*+-.^_`|~", ch) != NULL);
}

/* Case-insensitive ASCII comparison of n bytes with a lowercase word. */
static bool
ascii_ieq(const char *s, size_t n, const char *lower)
{
	size_t i;

	for (i = 0; i < n && lower[i] != '\0'; i++)
		if (to_lower(s[i]) != lower[i])
			return false;
	return i == n && lower[i] == '\0';
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
static void
type_error(struct cfg *c, const char *want, const hc_json *j)
{
	cfg_error(c, "expected %s, got %s", want, json_type(j));
}

/* ------------------------------------------------------ generic readers */

/*
 * A string value as the schema wants every string: not empty, at most
 * HC_MAX_CONFIG_STRING bytes, without control characters (no setting
 * needs one, and they would only hide in logs).  Returns it (borrowed
 * from the tree) or NULL after reporting.
 */
static const char *
val_str(struct cfg *c, const hc_json *j)
{
	const char *s = hc_json_string(j);
	size_t n;

	if (s == NULL) {
		type_error(c, "a string", j);
		return NULL;
	}
	n = strnlen(s, (size_t)HC_MAX_CONFIG_STRING + 1);
	if (n == 0) {
		cfg_error(c, "must not be empty");
		return NULL;
	}
	if (n > HC_MAX_CONFIG_STRING) {
		cfg_error(c, "longer than %d bytes", HC_MAX_CONFIG_STRING);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch < 0x20 || ch == 0x7f) {
			cfg_error(c, "contains a control character");
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
static int
mem_str(struct cfg *c, const hc_json *obj, const char *name, bool required,
    str_check check, const void *arg, char **out)
{
	const hc_json *j = hc_json_get(obj, name);
	const char *s;
	size_t saved;
	int rc = -1;

	saved = path_key(c, name);
	if (j == NULL) {
		if (required)
			cfg_error(c, "required key is missing");
		path_pop(c, saved);
		return required ? -1 : 0;
	}
	if ((s = val_str(c, j)) != NULL &&
	    (check == NULL || check(c, s, arg)) &&
	    (*out = cfg_strdup(c, s)) != NULL)
		rc = 1;
	path_pop(c, saved);
	return rc;
}

/* Like mem_str() for a file name, stored resolved against base_dir. */
static int
mem_path(struct cfg *c, const hc_json *obj, const char *name, char **out)
{
	const hc_json *j = hc_json_get(obj, name);
	const char *s;
	size_t saved;
	int rc = -1;

	if (j == NULL)
		return 0;
	saved = path_key(c, name);
	if ((s = val_str(c, j)) != NULL) {
		if ((*out = hc_path_join(c->base_dir, s)) == NULL)
			c->oom = true;
		else
			rc = 1;
	}
	path_pop(c, saved);
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
static int
mem_int(struct cfg *c, const hc_json *obj, const char *name, int64_t min,
    int64_t max, int64_t *out)
{
	const hc_json *j = hc_json_get(obj, name);
	char num[64];
	size_t saved;
	double d;
	int rc = -1;

	if (j == NULL)
		return 0;
	saved = path_key(c, name);
	if (!hc_json_number(j, &d)) {
		cfg_error(c, "expected an integer in %lld..%lld, got %s",
		    (long long)min, (long long)max, json_type(j));
	} else if (!(d >= (double)min && d <= (double)max) ||
	    (double)(int64_t)d != d) {
		/*
		 * The range test comes first, so the cast is defined; it also
		 * catches NaN and infinities.  Every bound is below 2^53.
		 */
		cfg_error(c, "expected an integer in %lld..%lld, got %s",
		    (long long)min, (long long)max,
		    fmt_number(num, sizeof(num), d));
	} else {
		*out = (int64_t)d;
		rc = 1;
	}
	path_pop(c, saved);
	return rc;
}

/* mem_int() into a size_t. */
static int
mem_size(struct cfg *c, const hc_json *obj, const char *name, int64_t min,
    int64_t max, size_t *out)
{
	int64_t v = (int64_t)*out;
	int rc;

	if ((rc = mem_int(c, obj, name, min, max, &v)) == 1)
		*out = (size_t)v;
	return rc;
}

/* Reads a boolean member; *out keeps its default when absent. */
static int
mem_bool(struct cfg *c, const hc_json *obj, const char *name, bool *out)
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
		saved = path_key(c, name);
		type_error(c, "a boolean", j);
		path_pop(c, saved);
		return -1;
	}
}

/*
 * Reads a string member that must be one of names[] (NULL-terminated);
 * *out becomes values[k] of the match, or keeps its default when absent.
 */
static int
mem_enum(struct cfg *c, const hc_json *obj, const char *name,
    const char *const *names, const int *values, int *out)
{
	const hc_json *j = hc_json_get(obj, name);
	char q[CFG_QUOTE_MAX], list[256];
	const char *s;
	size_t saved, o = 0;
	int rc = -1;

	if (j == NULL)
		return 0;
	saved = path_key(c, name);
	if ((s = val_str(c, j)) != NULL) {
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
			cfg_error(c, "expected one of %s, got %s", list,
			    hc_quote(q, sizeof(q), s));
		}
	}
	path_pop(c, saved);
	return rc;
}

/*
 * Reads an array of strings, each checked with `check` (may be NULL), at
 * most HC_MAX_LIST_ITEMS long (empty only if `may_be_empty`).  When the
 * whole list is valid it replaces *out (freeing a default there).
 * Returns 1, 0 (absent) or -1 (reported).
 */
static int
mem_strlist(struct cfg *c, const hc_json *obj, const char *name,
    bool may_be_empty, str_check check, const void *arg, hc_strlist *out)
{
	const hc_json *j = hc_json_get(obj, name), *e;
	hc_strlist l = { NULL, 0 };
	size_t saved, n, i;
	bool bad = false;

	if (j == NULL)
		return 0;
	saved = path_key(c, name);
	if (hc_json_type_of(j) != HC_JSON_ARRAY) {
		type_error(c, "an array of strings", j);
		goto fail;
	}
	n = hc_json_count(j);
	if (n > HC_MAX_LIST_ITEMS) {
		cfg_error(c, "has %zu items, more than the limit of %d", n,
		    HC_MAX_LIST_ITEMS);
		goto fail;
	}
	if (n == 0 && !may_be_empty) {
		cfg_error(c, "must not be empty");
		goto fail;
	}
	if ((l.v = cfg_calloc(c, n, sizeof(*l.v))) == NULL)
		goto fail;
	for (i = 0, e = hc_json_first(j); e != NULL && i < n;
	    i++, e = hc_json_next(e)) {
		size_t s2 = path_index(c, i);
		const char *s = val_str(c, e);

		if (s == NULL || (check != NULL && !check(c, s, arg)))
			bad = true;
		else if ((l.v[l.n] = cfg_strdup(c, s)) != NULL)
			l.n++;
		else
			bad = true;
		path_pop(c, s2);
	}
	if (bad)
		goto fail;
	strlist_free(out);
	*out = l;
	path_pop(c, saved);
	return 1;
fail:
	strlist_free(&l);
	path_pop(c, saved);
	return -1;
}

/* Reports every member of obj whose name is not in keys[] (NULL-ended). */
static void
check_keys(struct cfg *c, const hc_json *obj, const char *const *keys)
{
	char q[CFG_QUOTE_MAX];

	for (const hc_json *m = hc_json_first(obj); m != NULL;
	    m = hc_json_next(m)) {
		const char *name = hc_json_name(m);
		size_t k;

		for (k = 0; keys[k] != NULL; k++)
			if (name != NULL && strcmp(name, keys[k]) == 0)
				break;
		if (keys[k] == NULL)
			cfg_error(c, "unknown key %s",
			    hc_quote(q, sizeof(q), name));
	}
}

/*
 * Reads object member `name` of obj: checks its type and keys, then calls
 * `fn` with the path entered.  Returns true when the member is present
 * (whatever its validity), so that callers can tell "absent" apart.
 */
static bool
mem_section(struct cfg *c, const hc_json *obj, const char *name,
    const char *const *keys, section_reader fn)
{
	const hc_json *j = hc_json_get(obj, name);
	size_t saved;

	if (j == NULL)
		return false;
	saved = path_key(c, name);
	if (hc_json_type_of(j) != HC_JSON_OBJECT) {
		type_error(c, "an object", j);
	} else {
		check_keys(c, j, keys);
		fn(c, j);
	}
	path_pop(c, saved);
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
static void *
mem_objarray(struct cfg *c, const hc_json *obj, const char *name,
    size_t max, bool nonempty, const char *const *keys, size_t size,
    size_t *n, item_reader fn, int *rc)
{
	const hc_json *j = hc_json_get(obj, name), *e;
	size_t saved, count, i;
	void *arr = NULL;

	*rc = 0;
	if (j == NULL)
		return NULL;
	*rc = -1;
	saved = path_key(c, name);
	if (hc_json_type_of(j) != HC_JSON_ARRAY) {
		type_error(c, "an array of objects", j);
		goto out;
	}
	count = hc_json_count(j);
	if (count > max) {
		cfg_error(c, "has %zu items, more than the limit of %zu", count,
		    max);
		goto out;
	}
	if (count == 0 && nonempty) {
		cfg_error(c, "must not be empty");
		goto out;
	}
	if ((arr = cfg_calloc(c, count, size)) == NULL)
		goto out;
	*n = count;
	*rc = 1;
	for (i = 0, e = hc_json_first(j); e != NULL && i < count;
	    i++, e = hc_json_next(e)) {
		size_t s2 = path_index(c, i);

		if (hc_json_type_of(e) != HC_JSON_OBJECT) {
			type_error(c, "an object", e);
			*rc = -1;
		} else {
			check_keys(c, e, keys);
			fn(c, e, arr, i);
		}
		path_pop(c, s2);
	}
out:
	path_pop(c, saved);
	return arr;
}

/* -------------------------------------------------------- value checks */

/*
 * Whether host (len bytes, without brackets) names this machine: the name
 * "localhost", an IPv4 address in 127.0.0.0/8 written as four decimal
 * octets without leading zeros (some resolvers read "0177" as octal), or,
 * when `bracketed`, the IPv6 loopback ::1.
 */
static bool
is_loopback_host(const char *host, size_t len, bool bracketed)
{
	size_t i = 0;
	unsigned part;

	if (bracketed)
		return len == 3 && memcmp(host, "::1", 3) == 0;
	if (ascii_ieq(host, len, "localhost"))
		return true;
	for (part = 0; part < 4; part++) {
		unsigned v = 0;
		size_t start = i;

		while (i < len && is_digit((unsigned char)host[i]) &&
		    i - start < 3)
			v = v * 10 + (unsigned)(host[i++] - '0');
		if (i == start || v > 255 ||
		    (host[start] == '0' && i - start > 1))
			return false;
		if (part == 0 && v != 127)
			return false;
		if (part < 3) {
			if (i >= len || host[i] != '.')
				return false;
			i++;
		}
	}
	return i == len;
}

/* Parses "1".."65535" (n bytes, digits only); 0 when not a port. */
static unsigned
parse_port(const char *s, size_t n)
{
	unsigned v = 0;

	if (n == 0 || n > 5 || s[0] == '0')
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (!is_digit((unsigned char)s[i]))
			return 0;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	return v <= 65535 ? v : 0;
}

/*
 * Splits "HOST[:PORT]" or "[V6][:PORT]" (n bytes).  Returns false when the
 * shape is wrong; *port is 0 when no port was given.
 */
static bool
split_hostport(const char *a, size_t n, const char **host, size_t *hlen,
    bool *bracketed, unsigned *port, bool *has_port)
{
	const char *rest;
	size_t rlen;

	*port = 0;
	*has_port = false;
	if (n > 0 && a[0] == '[') {
		const char *end = memchr(a, ']', n);

		if (end == NULL)
			return false;
		*host = a + 1;
		*hlen = (size_t)(end - a) - 1;
		*bracketed = true;
		rest = end + 1;
	} else {
		const char *colon = memchr(a, ':', n);

		*host = a;
		*hlen = colon != NULL ? (size_t)(colon - a) : n;
		*bracketed = false;
		rest = a + *hlen;
	}
	rlen = n - (size_t)(rest - a);
	if (rlen == 0)
		return *hlen > 0;
	if (rest[0] != ':')
		return false;
	*has_port = true;
	*port = parse_port(rest + 1, rlen - 1);
	return *hlen > 0 && *port != 0;
}

/*
 * A URL to fetch keys, metadata or a bundle from: https://HOST[:PORT]/...,
 * or http:// when `*arg` (allow_insecure_http) is true and the host is a
 * loopback host.  No userinfo (credentials do not belong in this file),
 * no spaces, no fragment.
 */
static bool
check_url(struct cfg *c, const char *url, const void *arg)
{
	bool allow_http = *(const bool *)arg, https, bracketed, has_port;
	char q[CFG_QUOTE_MAX];
	const char *auth, *host;
	size_t alen, hlen;
	unsigned port;

	if (strncmp(url, "https://", 8) == 0)
		https = true;
	else if (strncmp(url, "http://", 7) == 0)
		https = false;
	else {
		cfg_error(c, "expected an https:// URL, got %s",
		    hc_quote(q, sizeof(q), url));
		return false;
	}
	if (strpbrk(url, " #") != NULL) {
		cfg_error(c, "URL must not contain a space or a fragment");
		return false;
	}
	auth = url + (https ? 8 : 7);
	alen = strcspn(auth, "/?");
	if (memchr(auth, '@', alen) != NULL) {
		cfg_error(c, "URL must not contain userinfo");
		return false;
	}
	if (!split_hostport(auth, alen, &host, &hlen, &bracketed, &port,
	    &has_port)) {
		cfg_error(c, "URL has no valid host[:port]: %s",
		    hc_quote(q, sizeof(q), url));
		return false;
	}
	if (!https) {
		if (!allow_http) {
			cfg_error(c, "plain http:// needs allow_insecure_http"
			    " (and a loopback host); use https://");
			return false;
		}
		if (!is_loopback_host(host, hlen, bracketed)) {
			cfg_error(c, "plain http:// is allowed only to a"
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
static bool
check_pattern(struct cfg *c, const char *s, const void *arg)
{
	const char *star = strchr(s, '*');
	char q[CFG_QUOTE_MAX];

	(void)arg;
	if (star != NULL && star[1] != '\0') {
		cfg_error(c, "\"*\" is allowed only as the last character of a"
		    " pattern, got %s", hc_quote(q, sizeof(q), s));
		return false;
	}
	return true;
}

/*
 * A route path pattern: starts with '/', '*' only last, no query or
 * fragment (requests are matched without their query), no space.
 */
static bool
check_route_path(struct cfg *c, const char *s, const void *arg)
{
	char q[CFG_QUOTE_MAX];

	if (s[0] != '/') {
		cfg_error(c, "a route path must start with \"/\", got %s",
		    hc_quote(q, sizeof(q), s));
		return false;
	}
	if (strpbrk(s, "?# ") != NULL) {
		cfg_error(c, "a route path must not contain \"?\", \"#\" or a"
		    " space, got %s", hc_quote(q, sizeof(q), s));
		return false;
	}
	return check_pattern(c, s, arg);
}

/*
 * A scope token, RFC 6749 section 3.3: 1*( %x21 / %x23-5B / %x5D-7E ),
 * that is printable ASCII other than space, '"' and '\'.  A token that
 * breaks this grammar could never appear in a token's `scope`.
 */
static bool
check_scope(struct cfg *c, const char *s, const void *arg)
{
	char q[CFG_QUOTE_MAX];

	(void)arg;
	for (const char *t = s; *t != '\0'; t++) {
		unsigned char ch = (unsigned char)*t;
		if (ch <= 0x20 || ch >= 0x7f || ch == '"' || ch == '\\') {
			cfg_error(c, "not a scope token (RFC 6749 section 3.3:"
			    " no space, quote, backslash or non-ASCII), got %s",
			    hc_quote(q, sizeof(q), s));
			return false;
		}
	}
	return true;
}

/* An HTTP field name (RFC 9110 section 5.1: a token). */
static bool
check_header(struct cfg *c, const char *s, const void *arg)
{
	char q[CFG_QUOTE_MAX];

	(void)arg;
	for (const char *t = s; *t != '\0'; t++) {
		if (!is_tchar((unsigned char)*t)) {
			cfg_error(c, "not an HTTP header name (RFC 9110"
			    " section 5.1), got %s", hc_quote(q, sizeof(q), s));
			return false;
		}
	}
	return true;
}

/* An HTTP method (RFC 9110 section 9.1: a token), or "*" for any. */
static bool
check_method(struct cfg *c, const char *s, const void *arg)
{
	char q[CFG_QUOTE_MAX];

	(void)arg;
	if (strcmp(s, "*") == 0)
		return true;
	for (const char *t = s; *t != '\0'; t++) {
		if (!is_tchar((unsigned char)*t) || *t == '*') {
			cfg_error(c, "not an HTTP method (or \"*\"), got %s",
			    hc_quote(q, sizeof(q), s));
			return false;
		}
	}
	return true;
}

/*
 * A workload SPIFFE ID: the SPIFFE-ID grammar (spiffe.c) and a non-empty
 * path, since an ID that is only a trust domain names no workload
 * (X509-SVID section 5.2 demands the same of a peer).
 */
static bool
check_workload_id(struct cfg *c, const char *s, const void *arg)
{
	char q[CFG_QUOTE_MAX];
	size_t len = strlen(s), td_len = 0;
	hc_detail d;

	(void)arg;
	d.text[0] = '\0';
	if (hc_spiffe_id_check(s, len, &td_len, &d) != HC_OK) {
		cfg_error(c, "not a valid SPIFFE ID: %s", d.text);
		return false;
	}
	if (HC_SPIFFE_SCHEME_LEN + td_len >= len) {
		cfg_error(c, "a SPIFFE ID with a path is required (a workload,"
		    " not a trust domain), got %s", hc_quote(q, sizeof(q), s));
		return false;
	}
	return true;
}

/*
 * A SPIFFE trust domain name (SPIFFE-ID section 2.1), with the reason from
 * hc_spiffe_td_check() when it is not one.  Returns false after reporting.
 */
static bool
check_trust_domain(struct cfg *c, const char *s, const void *arg)
{
	hc_detail d;

	(void)arg;
	d.text[0] = '\0';
	if (hc_spiffe_td_check(s, strlen(s), &d) != HC_OK) {
		cfg_error(c, "not a valid SPIFFE trust domain: %s", d.text);
		return false;
	}
	return true;
}

/* ------------------------------------------------------------- service */

/*
 * service: the audiences and SPIFFE ID by which tokens name this service (the
 * values `aud` must hold).  One of the two is required, but that is reported
 * only when neither member was invalid, so one mistake gives one line.
 */
static void
read_service(struct cfg *c, const hc_json *j)
{
	hc_policy *p = c->p;
	int ra, rs;

	ra = mem_strlist(c, j, "audiences", true, NULL, NULL, &p->audiences);
	rs = mem_str(c, j, "spiffe_id", false, check_workload_id, NULL,
	    &p->service_spiffe_id);
	/* Only complain about "nothing" when what was there was valid. */
	if (ra >= 0 && rs >= 0 && p->audiences.n == 0 &&
	    p->service_spiffe_id == NULL)
		cfg_error(c, "needs audiences (non-empty) or spiffe_id: the"
		    " values of aud that name this service");
}

/* ------------------------------------------------------------- issuers */

static const char *const issuer_keys[] = {
	"issuer", "jwks_file", "jwks_uri", "discovery", "hmac_secret_file",
	"algorithms", "token_types", "max_lifetime_s", "required_claims",
	"allow_insecure_http", "ca_file", NULL
};

static const char *const keysrc_names[] = {
	"jwks_file", "jwks_uri", "discovery", "hmac_secret_file", NULL
};
static const hc_keysrc keysrc_values[] = {
	HC_KEYSRC_JWKS_FILE, HC_KEYSRC_JWKS_URI, HC_KEYSRC_DISCOVERY,
	HC_KEYSRC_HMAC_SECRET
};

/* Which of the exclusive members names[] obj has: the index, -1 if none. */
static int
one_of(struct cfg *c, const hc_json *obj, const char *const *names,
    const char *what)
{
	int found = -1;

	for (int k = 0; names[k] != NULL; k++) {
		if (hc_json_get(obj, names[k]) == NULL)
			continue;
		if (found >= 0) {
			cfg_error(c, "%s and %s are exclusive: give exactly one"
			    " %s", names[found], names[k], what);
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
		cfg_error(c, "needs a %s: %s", what, list);
	}
	return found;
}

/*
 * The algorithm allowlist (RFC 8725 section 3.1: the verifier decides the
 * algorithms, never the token).  Names are looked up exactly; "none" is
 * refused by name (RFC 8725 section 3.2); HS* only with a shared secret,
 * and a shared secret only with HS*, so that a public key can never be
 * used as an HMAC secret (RFC 8725 section 2.1).
 */
static void
read_algorithms(struct cfg *c, const hc_json *j, hc_issuer_policy *ip,
    bool keysrc_known)
{
	hc_strlist l = { NULL, 0 };
	char q[CFG_QUOTE_MAX];
	const char *why;
	size_t saved, s2;
	int rc;

	rc = mem_strlist(c, j, "algorithms", false, NULL, NULL, &l);
	if (rc == 0) {
		saved = path_key(c, "algorithms");
		cfg_error(c, "required key is missing (no default: list the"
		    " algorithms this issuer signs with)");
		path_pop(c, saved);
	}
	if (rc != 1)
		return;
	saved = path_key(c, "algorithms");
	for (size_t i = 0; i < l.n; i++) {
		hc_alg alg = hc_alg_from_name(l.v[i]);
		bool hs = alg == HC_ALG_HS256 || alg == HC_ALG_HS384 ||
		    alg == HC_ALG_HS512;

		s2 = path_index(c, i);
		if (strcmp(l.v[i], "none") == 0)
			cfg_error(c, "\"none\" is never allowed (unsecured JWTs"
			    " are always refused)");
		else if (alg == HC_ALG_UNKNOWN)
			cfg_error(c, "unknown algorithm %s",
			    hc_quote(q, sizeof(q), l.v[i]));
		else if (!hc_alg_supported(alg, &why))
			cfg_error(c, "%s", why);
		else if (keysrc_known && hs &&
		    ip->keysrc != HC_KEYSRC_HMAC_SECRET)
			cfg_error(c, "%s needs hmac_secret_file (HMAC is never"
			    " verified with a public key)", l.v[i]);
		else if (keysrc_known && !hs &&
		    ip->keysrc == HC_KEYSRC_HMAC_SECRET)
			cfg_error(c, "%s cannot be used with hmac_secret_file"
			    " (HS256, HS384, HS512 only)", l.v[i]);
		else
			ip->alg_mask |= HC_ALG_BIT(alg);
		path_pop(c, s2);
	}
	path_pop(c, saved);
	strlist_free(&l);
}

/*
 * token_types: compared case-insensitively with an optional "application/"
 * prefix (RFC 7515 section 4.1.9, RFC 8725 section 3.11), so they are
 * stored lowercased and without it; "none" admits a token without `typ`.
 */
static void
read_token_types(struct cfg *c, const hc_json *j, hc_issuer_policy *ip)
{
	hc_strlist l = { NULL, 0 };
	size_t saved, keep = 0;

	if (mem_strlist(c, j, "token_types", false, NULL, NULL, &l) != 1)
		return;
	saved = path_key(c, "token_types");
	for (size_t i = 0; i < l.n; i++) {
		char *t = l.v[i];
		size_t s2 = path_index(c, i);

		for (char *u = t; *u != '\0'; u++)
			*u = to_lower(*u);
		if (strncmp(t, "application/", 12) == 0)
			memmove(t, t + 12, strlen(t + 12) + 1);
		if (t[0] == '\0') {
			cfg_error(c, "\"application/\" alone is no type");
			free(t);
		} else if (strcmp(t, "none") == 0) {
			ip->typ_may_be_absent = true;
			free(t);
		} else
			l.v[keep++] = t;
		path_pop(c, s2);
	}
	l.n = keep;
	path_pop(c, saved);
	strlist_free(&ip->token_types);
	ip->token_types = l;
}

/*
 * One issuers[] entry, filled in place (an item_reader for mem_objarray()).
 * Starts from the defaults (typ at+jwt, HC_DEFAULT_MAX_LIFETIME_S), refuses an
 * issuer repeated from an earlier entry, and requires exactly one key source;
 * allow_insecure_http is read first because the URL check of a remote source
 * depends on it.
 */
static void
read_issuer(struct cfg *c, const hc_json *j, void *arr, size_t i)
{
	hc_issuer_policy *all = arr, *ip = &all[i];
	int k;

	ip->max_lifetime_s = HC_DEFAULT_MAX_LIFETIME_S;
	if ((ip->token_types.v = cfg_calloc(c, 1, sizeof(char *))) != NULL &&
	    (ip->token_types.v[0] = cfg_strdup(c, "at+jwt")) != NULL)
		ip->token_types.n = 1;

	if (mem_str(c, j, "issuer", true, NULL, NULL, &ip->issuer) == 1) {
		for (size_t o = 0; o < i; o++) {
			const char *other = all[o].issuer;
			if (other != NULL && strcmp(other, ip->issuer) == 0) {
				size_t saved = path_key(c, "issuer");
				cfg_error(c, "same issuer as issuers[%zu]", o);
				path_pop(c, saved);
				break;
			}
		}
	}
	(void)mem_bool(c, j, "allow_insecure_http", &ip->allow_insecure_http);
	(void)mem_path(c, j, "ca_file", &ip->ca_file);

	k = one_of(c, j, keysrc_names, "key source");
	if (k >= 0) {
		ip->keysrc = keysrc_values[k];
		if (ip->keysrc == HC_KEYSRC_JWKS_URI ||
		    ip->keysrc == HC_KEYSRC_DISCOVERY)
			(void)mem_str(c, j, keysrc_names[k], true, check_url,
			    &ip->allow_insecure_http, &ip->key_location);
		else
			(void)mem_path(c, j, keysrc_names[k],
			    &ip->key_location);
	}
	read_algorithms(c, j, ip, k >= 0);
	read_token_types(c, j, ip);
	(void)mem_int(c, j, "max_lifetime_s", 1, CFG_MAX_LIFETIME_S,
	    &ip->max_lifetime_s);
	(void)mem_strlist(c, j, "required_claims", true, NULL, NULL,
	    &ip->required_claims);
}

/* -------------------------------------------------------------- spiffe */

static const char *const td_keys[] = {
	"trust_domain", "bundle_file", "bundle_uri", "allow_insecure_http",
	"ca_file", NULL
};

static const char *const bundle_names[] = {
	"bundle_file", "bundle_uri", NULL
};

/*
 * One spiffe.trust_domains[] entry, filled in place (an item_reader for
 * mem_objarray()): a trust domain not repeated from an earlier entry and
 * exactly one bundle source, whose URL is checked under the entry's own
 * allow_insecure_http.
 */
static void
read_trust_domain(struct cfg *c, const hc_json *j, void *arr, size_t i)
{
	hc_trust_domain_policy *all = arr, *t = &all[i];
	int k;

	if (mem_str(c, j, "trust_domain", true, check_trust_domain, NULL,
	    &t->trust_domain) == 1) {
		for (size_t o = 0; o < i; o++) {
			const char *other = all[o].trust_domain;

			if (other != NULL &&
			    strcmp(other, t->trust_domain) == 0) {
				size_t saved = path_key(c, "trust_domain");
				cfg_error(c, "same trust domain as"
				    " trust_domains[%zu]", o);
				path_pop(c, saved);
				break;
			}
		}
	}
	(void)mem_bool(c, j, "allow_insecure_http", &t->allow_insecure_http);
	(void)mem_path(c, j, "ca_file", &t->ca_file);
	k = one_of(c, j, bundle_names, "bundle source");
	if (k == 0)
		(void)mem_path(c, j, "bundle_file", &t->bundle_file);
	else if (k == 1)
		(void)mem_str(c, j, "bundle_uri", true, check_url,
		    &t->allow_insecure_http, &t->bundle_uri);
}

/*
 * spiffe: a present section must configure at least one trust domain; an
 * absent section leaves the service without JWT-SVID support.
 */
static void
read_spiffe(struct cfg *c, const hc_json *j)
{
	size_t saved;
	int rc;

	c->p->trust_domains = mem_objarray(c, j, "trust_domains",
	    HC_MAX_LIST_ITEMS, true, td_keys, sizeof(hc_trust_domain_policy),
	    &c->p->ntrust_domains, read_trust_domain, &rc);
	if (rc == 0) {
		saved = path_key(c, "trust_domains");
		cfg_error(c, "required key is missing");
		path_pop(c, saved);
	}
}

/* ------------------------------------------------- audience and binding */

/*
 * audience: how many values `aud` may hold in a direct and in a delegated
 * token (0 for any number).
 */
static void
read_audience(struct cfg *c, const hc_json *j)
{
	(void)mem_size(c, j, "max_direct", 0, CFG_MAX_AUD_VALUES,
	    &c->p->aud_max_direct);
	(void)mem_size(c, j, "max_delegated", 0, CFG_MAX_AUD_VALUES,
	    &c->p->aud_max_delegated);
}

static const char *const mode_names[] = {
	"required", "if_present", "off", NULL
};
static const int mode_values[] = {
	HC_MODE_REQUIRED, HC_MODE_IF_PRESENT, HC_MODE_OFF
};

/* binding.identities: client identifier -> workload SPIFFE ID. */
static void
read_identities(struct cfg *c, const hc_json *b)
{
	const hc_json *j = hc_json_get(b, "identities"), *m;
	char q[CFG_QUOTE_MAX];
	size_t saved, n, i;

	if (j == NULL)
		return;
	saved = path_key(c, "identities");
	if (hc_json_type_of(j) != HC_JSON_OBJECT) {
		type_error(c, "an object (client id -> SPIFFE ID)", j);
		goto out;
	}
	n = hc_json_count(j);
	if (n > HC_MAX_LIST_ITEMS) {
		cfg_error(c, "has %zu members, more than the limit of %d", n,
		    HC_MAX_LIST_ITEMS);
		goto out;
	}
	if ((c->p->identities = cfg_calloc(c, n, sizeof(hc_identity_map))) ==
	    NULL)
		goto out;
	for (i = 0, m = hc_json_first(j); m != NULL && i < n;
	    i++, m = hc_json_next(m)) {
		hc_identity_map *im = &c->p->identities[i];
		const char *key = hc_json_name(m), *s;
		size_t s2 = path_push(c, "[%s]", hc_quote(q, sizeof(q), key));

		c->p->nidentities = i + 1;
		if (key == NULL || key[0] == '\0')
			cfg_error(c, "a client identifier must not be empty");
		else if (strlen(key) > HC_MAX_CONFIG_STRING)
			cfg_error(c, "client identifier longer than %d bytes",
			    HC_MAX_CONFIG_STRING);
		else if ((s = val_str(c, m)) != NULL &&
		    check_workload_id(c, s, NULL)) {
			im->client_id = cfg_strdup(c, key);
			im->spiffe_id = cfg_strdup(c, s);
		}
		path_pop(c, s2);
	}
out:
	path_pop(c, saved);
}

/*
 * binding: the mtls and peer_identity modes (required, if_present, off) and
 * the client identity map.  A mode keeps its default unless the member is
 * valid.
 */
static void
read_binding(struct cfg *c, const hc_json *j)
{
	int v;

	v = (int)c->p->mtls;
	if (mem_enum(c, j, "mtls", mode_names, mode_values, &v) == 1)
		c->p->mtls = (hc_mode)v;
	v = (int)c->p->peer_identity;
	if (mem_enum(c, j, "peer_identity", mode_names, mode_values, &v) == 1)
		c->p->peer_identity = (hc_mode)v;
	read_identities(c, j);
}

/* ---------------------------------------------------------- delegation */

static const char *const actor_keys[] = {
	"actor", "subjects", "scopes", NULL
};

/*
 * One delegation.actors[] entry, filled in place (an item_reader for
 * mem_objarray()).  An actor repeated from an earlier entry is refused: the
 * first match would hide the second, whose rules would then silently never
 * apply.
 */
static void
read_actor(struct cfg *c, const hc_json *j, void *arr, size_t i)
{
	hc_actor_policy *all = arr, *a = &all[i];

	if (mem_str(c, j, "actor", true, check_pattern, NULL, &a->actor) == 1) {
		for (size_t o = 0; o < i; o++) {
			const char *other = all[o].actor;
			if (other != NULL && strcmp(other, a->actor) == 0) {
				size_t saved = path_key(c, "actor");
				cfg_error(c, "same actor as actors[%zu]: merge"
				    " the two entries", o);
				path_pop(c, saved);
				break;
			}
		}
	}
	(void)mem_strlist(c, j, "subjects", true, check_pattern, NULL,
	    &a->subjects);
	(void)mem_strlist(c, j, "scopes", true, check_scope, NULL, &a->scopes);
}

/*
 * delegation: the presence of the section turns delegation on.  direct_callers
 * is recorded as configured even when empty (or invalid), because an empty
 * allowlist admits no direct caller while an absent one admits every caller.
 */
static void
read_delegation(struct cfg *c, const hc_json *j)
{
	hc_policy *p = c->p;
	int64_t depth = p->max_depth;
	int rc;

	p->delegation = true;
	if (mem_int(c, j, "max_depth", 1, HC_MAX_ACT_DEPTH, &depth) == 1)
		p->max_depth = (unsigned)depth;
	p->actors = mem_objarray(c, j, "actors", HC_MAX_LIST_ITEMS, false,
	    actor_keys, sizeof(hc_actor_policy), &p->nactors, read_actor, &rc);
	if (mem_strlist(c, j, "direct_callers", true, check_pattern, NULL,
	    &p->direct_callers) != 0)
		p->has_direct_callers = true;
	(void)mem_bool(c, j, "path_policy", &p->path_policy);
}

/* -------------------------------------------------------------- routes */

static const char *const route_keys[] = {
	"method", "path", "scopes", "tenant_claim", "one_time_use", NULL
};
static const char *const default_route_keys[] = {
	"scopes", "tenant_claim", "one_time_use", "deny", NULL
};

/* The members shared by routes[] and default_route. */
static void
read_route_rules(struct cfg *c, const hc_json *j, hc_route_policy *r)
{
	(void)mem_strlist(c, j, "scopes", true, check_scope, NULL, &r->scopes);
	(void)mem_str(c, j, "tenant_claim", false, NULL, NULL,
	    &r->tenant_claim);
	(void)mem_bool(c, j, "one_time_use", &r->one_time_use);
}

/*
 * One routes[] entry, filled in place (an item_reader for mem_objarray()).
 * The method defaults to "*" and is kept in upper case; a method and path
 * repeated from an earlier entry are refused, since first match wins and the
 * repeat could never apply.
 */
static void
read_route(struct cfg *c, const hc_json *j, void *arr, size_t i)
{
	hc_route_policy *all = arr, *r = &all[i];
	int rm;

	rm = mem_str(c, j, "method", false, check_method, NULL, &r->method);
	if (rm == 0)
		r->method = cfg_strdup(c, "*");
	else if (rm == 1)
		for (char *u = r->method; *u != '\0'; u++)
			*u = to_upper(*u);
	(void)mem_str(c, j, "path", true, check_route_path, NULL, &r->path);
	read_route_rules(c, j, r);

	/* An exact repeat could never be reached: first match wins. */
	if (r->method == NULL || r->path == NULL)
		return;
	for (size_t o = 0; o < i; o++) {
		const hc_route_policy *q = &all[o];
		if (q->method != NULL && q->path != NULL &&
		    strcmp(q->method, r->method) == 0 &&
		    strcmp(q->path, r->path) == 0) {
			cfg_error(c, "same method and path as routes[%zu], so"
			    " never used", o);
			break;
		}
	}
}

/*
 * default_route: the rule for every request no route matches.  Its method and
 * path are "*" so that no code reading a route meets NULL; `deny` makes it
 * refuse the unmatched requests instead.
 */
static void
read_default_route(struct cfg *c, const hc_json *j)
{
	hc_route_policy *r;

	if ((r = cfg_calloc(c, 1, sizeof(*r))) == NULL)
		return;
	c->p->default_route = r;
	/* Matches anything; set so that no reader meets a NULL. */
	r->method = cfg_strdup(c, "*");
	r->path = cfg_strdup(c, "*");
	read_route_rules(c, j, r);
	(void)mem_bool(c, j, "deny", &r->deny);
}

/* ------------------------------------------------ replay, cache, fetch */

/*
 * replay.store: "memory", or a redis:// URL with something after the scheme.
 * The value is never quoted in the error, as a Redis URL may carry a password.
 * Returns false after reporting.
 */
static bool
check_replay_store(struct cfg *c, const char *s, const void *arg)
{
	(void)arg;
	if (strcmp(s, "memory") == 0)
		return true;
	if (strncmp(s, "redis://", 8) == 0 && s[8] != '\0')
		return true;
	/* Not quoted: a Redis URL may carry a password. */
	cfg_error(c, "expected \"memory\" or a redis:// URL");
	return false;
}

/*
 * replay: the store replaces the "memory" default (freed here) only when
 * valid, so the policy always owns exactly one store string.
 */
static void
read_replay(struct cfg *c, const hc_json *j)
{
	char *store = NULL;

	if (mem_str(c, j, "store", false, check_replay_store, NULL,
	    &store) == 1) {
		free(c->p->replay_store);
		c->p->replay_store = store;
	}
	(void)mem_size(c, j, "max_entries", 1, CFG_MAX_ENTRIES,
	    &c->p->replay_max_entries);
}

/* cache: the number of validated tokens remembered (0 turns the cache off). */
static void
read_cache(struct cfg *c, const hc_json *j)
{
	(void)mem_size(c, j, "max_entries", 0, CFG_MAX_ENTRIES,
	    &c->p->cache_max_entries);
}

/*
 * fetch: the timing and size limits of remote key fetches.  min_refresh_s
 * above max_refresh_s is refused, but only when both read cleanly, so that one
 * bad value is not reported twice.
 */
static void
read_fetch(struct cfg *c, const hc_json *j)
{
	hc_fetch_policy *f = &c->p->fetch;
	int rmin, rmax;

	rmin = mem_int(c, j, "min_refresh_s", 0, CFG_MAX_MIN_REFRESH_S,
	    &f->min_refresh_s);
	rmax = mem_int(c, j, "max_refresh_s", 1, CFG_MAX_MAX_REFRESH_S,
	    &f->max_refresh_s);
	(void)mem_int(c, j, "max_stale_s", 0, CFG_MAX_MAX_STALE_S,
	    &f->max_stale_s);
	(void)mem_int(c, j, "unknown_kid_cooldown_s", 0,
	    CFG_MAX_KID_COOLDOWN_S, &f->unknown_kid_cooldown_s);
	(void)mem_int(c, j, "connect_timeout_ms", 1, CFG_MAX_CONNECT_MS,
	    &f->connect_timeout_ms);
	(void)mem_int(c, j, "timeout_ms", 1, CFG_MAX_TIMEOUT_MS,
	    &f->timeout_ms);
	(void)mem_size(c, j, "max_bytes", CFG_MIN_FETCH_BYTES,
	    CFG_MAX_FETCH_BYTES, &f->max_bytes);
	if (rmin >= 0 && rmax >= 0 && f->min_refresh_s > f->max_refresh_s) {
		size_t saved = path_key(c, "min_refresh_s");
		cfg_error(c, "%lld is more than max_refresh_s (%lld)",
		    (long long)f->min_refresh_s, (long long)f->max_refresh_s);
		path_pop(c, saved);
	}
}

/* -------------------------------------------------------------- daemon */

/*
 * daemon.listen: "HOST:PORT" on a loopback host only.  The daemon trusts
 * headers from its front proxy (DESIGN, "Delegation ... workload
 * identity"), so it must not be reachable by anyone else.
 */
static bool
check_listen(struct cfg *c, const char *s, const void *arg)
{
	char q[CFG_QUOTE_MAX];
	const char *host;
	size_t hlen;
	bool bracketed, has_port;
	unsigned port;

	(void)arg;
	if (!split_hostport(s, strlen(s), &host, &hlen, &bracketed, &port,
	    &has_port) || !has_port) {
		cfg_error(c, "expected HOST:PORT with a port in 1..65535, got"
		    " %s", hc_quote(q, sizeof(q), s));
		return false;
	}
	if (!is_loopback_host(host, hlen, bracketed)) {
		cfg_error(c, "the daemon listens on loopback only (127.x.x.x,"
		    " [::1], localhost), got %s", hc_quote(q, sizeof(q), s));
		return false;
	}
	return true;
}

/*
 * Reads an HTTP field name member into *out in lower case: field names are
 * case-insensitive (RFC 9110 section 5.1), and one stored form spares every
 * lookup a case-insensitive compare.
 */
static void
read_header_name(struct cfg *c, const hc_json *j, const char *name,
    char **out)
{
	if (mem_str(c, j, name, false, check_header, NULL, out) == 1)
		for (char *u = *out; *u != '\0'; u++)
			*u = to_lower(*u);
}

/*
 * daemon: the settings only hopcheckd reads.  unix_socket is measured after
 * resolution against base_dir, because it is the resolved path that must fit
 * in sun_path.
 */
static void
read_daemon(struct cfg *c, const hc_json *j)
{
	static const char *const levels[] = {
		"error", "warn", "info", "debug", NULL
	};
	static const int level_values[] = { 0, 1, 2, 3 };
	hc_daemon_policy *d = &c->p->daemon;
	struct sockaddr_un sa;
	int64_t threads = d->threads;

	(void)mem_str(c, j, "listen", false, check_listen, NULL, &d->listen);
	if (mem_path(c, j, "unix_socket", &d->unix_socket) == 1 &&
	    strlen(d->unix_socket) >= sizeof(sa.sun_path)) {
		size_t saved = path_key(c, "unix_socket");
		cfg_error(c, "the resolved path is %zu bytes; a socket address"
		    " holds at most %zu", strlen(d->unix_socket),
		    sizeof(sa.sun_path) - 1);
		path_pop(c, saved);
	}
	read_header_name(c, j, "peer_cert_header", &d->peer_cert_header);
	(void)mem_bool(c, j, "xfcc", &d->xfcc);
	read_header_name(c, j, "tenant_header", &d->tenant_header);
	if (mem_int(c, j, "threads", 1, CFG_MAX_THREADS, &threads) == 1)
		d->threads = (unsigned)threads;
	(void)mem_enum(c, j, "log_level", levels, level_values,
	    &d->log_level);
}

/* ------------------------------------------------------------ document */

static const char *const top_keys[] = {
	"service", "clock_skew_s", "max_token_bytes", "issuers", "spiffe",
	"audience", "binding", "delegation", "routes", "default_route",
	"replay", "cache", "fetch", "daemon", NULL
};

/*
 * Sets every documented default before the document is read, so that an
 * omitted member keeps its default and every string the policy holds is owned
 * (hc_policy_free() can free them all).
 */
static void
set_defaults(struct cfg *c)
{
	hc_policy *p = c->p;

	p->base_dir = cfg_strdup(c, c->base_dir != NULL ? c->base_dir : ".");
	p->clock_skew_s = HC_DEFAULT_CLOCK_SKEW_S;
	p->max_token_bytes = HC_DEFAULT_MAX_TOKEN_BYTES;
	p->aud_max_direct = 0;
	p->aud_max_delegated = 1;
	p->mtls = HC_MODE_IF_PRESENT;
	p->peer_identity = HC_MODE_IF_PRESENT;
	p->delegation = false;
	p->max_depth = HC_DEFAULT_ACT_DEPTH;
	p->replay_store = cfg_strdup(c, "memory");
	p->replay_max_entries = CFG_DEFAULT_REPLAY_ENTRIES;
	p->cache_max_entries = CFG_DEFAULT_CACHE_ENTRIES;
	p->fetch.min_refresh_s = CFG_DEFAULT_MIN_REFRESH_S;
	p->fetch.max_refresh_s = CFG_DEFAULT_MAX_REFRESH_S;
	p->fetch.max_stale_s = CFG_DEFAULT_MAX_STALE_S;
	p->fetch.unknown_kid_cooldown_s = CFG_DEFAULT_KID_COOLDOWN_S;
	p->fetch.connect_timeout_ms = CFG_DEFAULT_CONNECT_MS;
	p->fetch.timeout_ms = CFG_DEFAULT_TIMEOUT_MS;
	p->fetch.max_bytes = CFG_DEFAULT_FETCH_BYTES;
	p->daemon.threads = CFG_DEFAULT_THREADS;
	p->daemon.log_level = CFG_DEFAULT_LOG_LEVEL;
}

/* Reads the whole document into c->p, reporting every problem. */
static void
read_document(struct cfg *c, const hc_json *root)
{
	static const char *const service_keys[] = {
		"audiences", "spiffe_id", NULL
	};
	static const char *const spiffe_keys[] = { "trust_domains", NULL };
	static const char *const audience_keys[] = {
		"max_direct", "max_delegated", NULL
	};
	static const char *const binding_keys[] = {
		"mtls", "peer_identity", "identities", NULL
	};
	static const char *const delegation_keys[] = {
		"max_depth", "actors", "direct_callers", "path_policy", NULL
	};
	static const char *const replay_keys[] = {
		"store", "max_entries", NULL
	};
	static const char *const cache_keys[] = { "max_entries", NULL };
	static const char *const fetch_keys[] = {
		"min_refresh_s", "max_refresh_s", "max_stale_s",
		"unknown_kid_cooldown_s", "connect_timeout_ms", "timeout_ms",
		"max_bytes", NULL
	};
	static const char *const daemon_keys[] = {
		"listen", "unix_socket", "peer_cert_header", "xfcc",
		"tenant_header", "threads", "log_level", NULL
	};
	hc_policy *p = c->p;
	size_t saved;
	int rc;

	if (hc_json_type_of(root) != HC_JSON_OBJECT) {
		type_error(c, "an object", root);
		return;
	}
	check_keys(c, root, top_keys);

	if (!mem_section(c, root, "service", service_keys, read_service)) {
		saved = path_key(c, "service");
		cfg_error(c, "required key is missing (the audiences that"
		    " name this service)");
		path_pop(c, saved);
	}
	(void)mem_int(c, root, "clock_skew_s", 0, HC_MAX_CLOCK_SKEW_S,
	    &p->clock_skew_s);
	(void)mem_size(c, root, "max_token_bytes", 256, HC_MAX_TOKEN_BYTES_CAP,
	    &p->max_token_bytes);
	/*
	 * A service needs someone to trust: configured issuers, or (a
	 * JWT-SVID-only service) SPIFFE trust domains.
	 */
	p->issuers = mem_objarray(c, root, "issuers", HC_MAX_ISSUERS, false,
	    issuer_keys, sizeof(hc_issuer_policy), &p->nissuers, read_issuer,
	    &rc);
	(void)mem_section(c, root, "spiffe", spiffe_keys, read_spiffe);
	if (rc >= 0 && p->nissuers == 0 && p->ntrust_domains == 0) {
		saved = path_key(c, "issuers");
		cfg_error(c, "%s", rc == 0 ? "required key is missing (a non-empty "
		    "array, unless spiffe.trust_domains is configured)" :
		    "must not be empty unless spiffe.trust_domains is configured");
		path_pop(c, saved);
	}
	(void)mem_section(c, root, "audience", audience_keys, read_audience);
	(void)mem_section(c, root, "binding", binding_keys, read_binding);
	(void)mem_section(c, root, "delegation", delegation_keys,
	    read_delegation);
	p->routes = mem_objarray(c, root, "routes", HC_MAX_LIST_ITEMS, false,
	    route_keys, sizeof(hc_route_policy), &p->nroutes, read_route, &rc);
	(void)mem_section(c, root, "default_route", default_route_keys,
	    read_default_route);
	(void)mem_section(c, root, "replay", replay_keys, read_replay);
	(void)mem_section(c, root, "cache", cache_keys, read_cache);
	(void)mem_section(c, root, "fetch", fetch_keys, read_fetch);
	(void)mem_section(c, root, "daemon", daemon_keys, read_daemon);
}

/* ----------------------------------------------------------------- API */

hc_status
hc_policy_parse(char *text, size_t len, const char *base_dir, hc_policy **out,
    char **errors)
{
	struct cfg c;
	hc_json *root = NULL;
	hc_detail d;
	hc_status st;

	*out = NULL;
	if (errors != NULL)
		*errors = NULL;
	memset(&c, 0, sizeof(c));
	c.base_dir = base_dir;
	if ((c.p = calloc(1, sizeof(*c.p))) == NULL)
		return HC_INTERNAL;
	set_defaults(&c);

	if (text == NULL) {
		cfg_error(&c, "no configuration text");
	} else if (len > HC_MAX_CONFIG_BYTES) {
		cfg_error(&c, "the configuration is %zu bytes, more than the"
		    " limit of %d", len, HC_MAX_CONFIG_BYTES);
	} else {
		d.text[0] = '\0';
		st = hc_json_parse_commented(text, len, &root, &d);
		if (st == HC_INTERNAL)
			c.oom = true;
		else if (st != HC_OK)
			cfg_error(&c, "not valid JSON (with comments): %s",
			    d.text);
		else
			read_document(&c, root);
		hc_json_free(root);
	}

	if (c.oom) {
		hc_policy_free(c.p);
		free(c.err);
		if (errors != NULL)
			*errors = strdup("toplevel: out of memory");
		return HC_INTERNAL;
	}
	if (c.nerr > 0) {
		hc_policy_free(c.p);
		if (errors != NULL)
			*errors = c.err;
		else
			free(c.err);
		return HC_CONFIG;
	}
	free(c.err);
	*out = c.p;
	return HC_OK;
}

/*
 * Frees what a route owns but not the route itself, which lives in an array
 * (or is default_route, freed by the caller).
 */
static void
route_clear(hc_route_policy *r)
{
	free(r->method);
	free(r->path);
	strlist_free(&r->scopes);
	free(r->tenant_claim);
}

void
hc_policy_free(hc_policy *p)
{
	size_t i;

	if (p == NULL)
		return;
	free(p->base_dir);
	strlist_free(&p->audiences);
	free(p->service_spiffe_id);
	for (i = 0; i < p->nissuers; i++) {
		hc_issuer_policy *ip = &p->issuers[i];
		free(ip->issuer);
		free(ip->key_location);
		strlist_free(&ip->token_types);
		strlist_free(&ip->required_claims);
		free(ip->ca_file);
	}
	free(p->issuers);
	for (i = 0; i < p->ntrust_domains; i++) {
		hc_trust_domain_policy *t = &p->trust_domains[i];
		free(t->trust_domain);
		free(t->bundle_file);
		free(t->bundle_uri);
		free(t->ca_file);
	}
	free(p->trust_domains);
	for (i = 0; i < p->nidentities; i++) {
		free(p->identities[i].client_id);
		free(p->identities[i].spiffe_id);
	}
	free(p->identities);
	for (i = 0; i < p->nactors; i++) {
		free(p->actors[i].actor);
		strlist_free(&p->actors[i].subjects);
		strlist_free(&p->actors[i].scopes);
	}
	free(p->actors);
	strlist_free(&p->direct_callers);
	for (i = 0; i < p->nroutes; i++)
		route_clear(&p->routes[i]);
	free(p->routes);
	if (p->default_route != NULL)
		route_clear(p->default_route);
	free(p->default_route);
	/* A redis:// URL may carry a password. */
	if (p->replay_store != NULL)
		hc_wipe(p->replay_store, strlen(p->replay_store));
	free(p->replay_store);
	free(p->daemon.listen);
	free(p->daemon.unix_socket);
	free(p->daemon.peer_cert_header);
	free(p->daemon.tenant_header);
	free(p);
}

/* hc_pattern_match() on the first vlen bytes of value. */
static bool
pattern_match_n(const char *pattern, const char *value, size_t vlen)
{
	size_t plen = strlen(pattern);

	if (plen > 0 && pattern[plen - 1] == '*')
		return vlen >= plen - 1 &&
		    memcmp(pattern, value, plen - 1) == 0;
	return vlen == plen && memcmp(pattern, value, plen) == 0;
}

bool
hc_pattern_match(const char *pattern, const char *value)
{
	if (pattern == NULL || value == NULL)
		return false;
	return pattern_match_n(pattern, value, strlen(value));
}

/*
 * Whether a route pattern "X/" + "*" names the path X itself: a request
 * path arrives without its trailing slash (request.c), so "/v1/orders/"
 * is "/v1/orders", and the collection must not escape its members' rule.
 */
static bool
collection_of(const char *pattern, const char *path, size_t plen)
{
	size_t l = strlen(pattern);

	return l >= 3 && pattern[l - 1] == '*' && pattern[l - 2] == '/' &&
	    plen == l - 2 && memcmp(pattern, path, plen) == 0;
}

/*
 * First route, in file order, whose method is "*" or equal to `method`
 * (methods are case-sensitive, RFC 9110 section 9.1) and whose path
 * pattern matches `path` up to any '?'; else default_route, which is NULL
 * when none is configured.
 */
const hc_route_policy *
hc_policy_route(const hc_policy *p, const char *method, const char *path)
{
	size_t plen;

	if (p == NULL)
		return NULL;
	if (method != NULL && path != NULL) {
		plen = strcspn(path, "?");
		for (size_t i = 0; i < p->nroutes; i++) {
			const hc_route_policy *r = &p->routes[i];
			if (strcmp(r->method, "*") != 0 &&
			    strcmp(r->method, method) != 0)
				continue;
			if (pattern_match_n(r->path, path, plen) ||
			    collection_of(r->path, path, plen))
				return r;
		}
	}
	return p->default_route;
}

const hc_issuer_policy *
hc_policy_issuer(const hc_policy *p, const char *iss, size_t *index)
{
	if (p == NULL || iss == NULL)
		return NULL;
	for (size_t i = 0; i < p->nissuers; i++) {
		if (strcmp(p->issuers[i].issuer, iss) == 0) {
			if (index != NULL)
				*index = i;
			return &p->issuers[i];
		}
	}
	return NULL;
}
