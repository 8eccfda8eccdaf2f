/* SPDX-License-Identifier: Apache-2.0 */
/*
 * json.c - strict JSON, the only file that includes cJSON.
 *
 * cJSON is lenient in ways a security tool cannot be: it accepts some
 * malformed numbers, raw control characters and invalid UTF-8 in strings,
 * silently truncates a string at an escaped U+0000, and keeps duplicate
 * member names (so "alg" could mean two things to two parsers).  So every
 * document first goes through our own validating scanner, which enforces
 * the RFC 8259 grammar, well-formed UTF-8, no U+0000, and the depth and
 * member bounds (json_scan.c).  Only then does cJSON build the tree, and a final walk rejects duplicate member names at every depth,
 * compared after unescaping (RFC 7515 section 10.13: "\u0061lg" is "alg").
 *
 * Outside this file a node is the opaque hc_json; lookups are always
 * case-sensitive (cJSON_GetObjectItemCaseSensitive).
 */
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "internal.h"

/* -------------------------------------------------------------- builder */

/*
 * Trees are built in one heap block: the cJSON nodes first (root at the
 * start of the block), then every string, names and values, unescaped.
 * The root carries HC_JSON_ARENA in its type so that hc_json_free() frees
 * the block whole; cJSON's own type tests mask the low byte and never see
 * it.  A tree so built is read-only: nothing may be added to it or taken
 * out of it, and only its root may be freed.  One allocation per document,
 * where cJSON makes one per node and one per string.
 */
#define HC_JSON_ARENA (1 << 12)

typedef struct build {
	const char *s;
	size_t n;
	size_t i;
	cJSON *node;             /* the block's nodes ... */
	size_t used, cap;        /* ... used and allocated */
	char *str;               /* next free byte of the string area */
	const char *str_end;
} build;

static cJSON *build_value(build *b, unsigned depth);

static void
build_ws(build *b)
{
	while (b->i < b->n && (b->s[b->i] == ' ' || b->s[b->i] == '\t' ||
	    b->s[b->i] == '\n' || b->s[b->i] == '\r'))
		b->i++;
}

/* Four hex digits at b->i, or -1. */
static long
build_u4(build *b)
{
	long v = 0;

	if (b->n - b->i < 4)
		return -1;
	for (int k = 0; k < 4; k++) {
		int h = hc_hex_digit((unsigned char)b->s[b->i + (size_t)k]);
		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	b->i += 4;
	return v;
}

/*
 * Unescapes the string at b->i (its opening quote) into the string area
 * and returns it, NUL-terminated; NULL on text the scanner would refuse.
 * The unescaped form is never longer than the escaped one.
 */
static char *
build_string(build *b)
{
	char *start = b->str, *o = b->str;
	long u, lo;

	b->i++;
	for (;;) {
		/* Plain bytes, the common case, go over in one copy. */
		size_t run = b->i;
		while (run < b->n && b->s[run] != '"' && b->s[run] != '\\')
			run++;
		if (run - b->i > (size_t)(b->str_end - o))
			return NULL;
		memcpy(o, b->s + b->i, run - b->i);
		o += run - b->i;
		b->i = run;
		if (b->i >= b->n || o >= b->str_end)
			return NULL;
		unsigned char c = (unsigned char)b->s[b->i++];
		if (c == '"')
			break;
		if (c != '\\') {
			*o++ = (char)c;
			continue;
		}
		if (b->i >= b->n)
			return NULL;
		switch (b->s[b->i++]) {
		case '"': *o++ = '"'; continue;
		case '\\': *o++ = '\\'; continue;
		case '/': *o++ = '/'; continue;
		case 'b': *o++ = '\b'; continue;
		case 'f': *o++ = '\f'; continue;
		case 'n': *o++ = '\n'; continue;
		case 'r': *o++ = '\r'; continue;
		case 't': *o++ = '\t'; continue;
		case 'u': break;
		default: return NULL;
		}
		if ((u = build_u4(b)) <= 0)
			return NULL;
		if (u >= 0xd800 && u <= 0xdbff) {
			if (b->n - b->i < 2 || b->s[b->i] != '\\' ||
			    b->s[b->i + 1] != 'u')
				return NULL;
			b->i += 2;
			if ((lo = build_u4(b)) < 0xdc00 || lo > 0xdfff)
				return NULL;
			u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
		} else if (u >= 0xdc00 && u <= 0xdfff)
			return NULL;
		if (b->str_end - o < 4)
			return NULL;
		if (u < 0x80)
			*o++ = (char)u;
		else if (u < 0x800) {
			*o++ = (char)(0xc0 | (u >> 6));
			*o++ = (char)(0x80 | (u & 0x3f));
		} else if (u < 0x10000) {
			*o++ = (char)(0xe0 | (u >> 12));
			*o++ = (char)(0x80 | ((u >> 6) & 0x3f));
			*o++ = (char)(0x80 | (u & 0x3f));
		} else {
			*o++ = (char)(0xf0 | (u >> 18));
			*o++ = (char)(0x80 | ((u >> 12) & 0x3f));
			*o++ = (char)(0x80 | ((u >> 6) & 0x3f));
			*o++ = (char)(0x80 | (u & 0x3f));
		}
	}
	if (o >= b->str_end)
		return NULL;
	*o++ = '\0';
	b->str = o;
	return start;
}

/*
 * Reads the number at b->i the way cJSON does (strtod with the locale's
 * decimal point; valueint clamped to int), so that a tree built here
 * prints and compares like one cJSON built.
 */
static bool
build_number(build *b, cJSON *item)
{
	char buf[HC_JSON_MAX_NUMBER_CHARS + 1], *end, dp;
	size_t k = 0, at = b->i;
	int64_t iv = 0;
	double v;

	/*
	 * An integer of up to 15 digits (a NumericDate) is exact in a double,
	 * as strtod would give it; anything else goes to strtod.
	 */
	if (at < b->n && b->s[at] == '-')
		at++;
	while (at < b->n && b->s[at] >= '0' && b->s[at] <= '9' &&
	    at - b->i < 16)
		iv = iv * 10 + (b->s[at++] - '0');
	if (at > b->i && b->s[at - 1] != '-' && at - b->i < 16 &&
	    (at >= b->n || (b->s[at] != '.' && b->s[at] != 'e' &&
	    b->s[at] != 'E' && (b->s[at] < '0' || b->s[at] > '9')))) {
		v = b->s[b->i] == '-' ? -(double)iv : (double)iv;
		b->i = at;
		goto done;
	}
	dp = *localeconv()->decimal_point;
	while (b->i < b->n && k < HC_JSON_MAX_NUMBER_CHARS) {
		char c = b->s[b->i];
		if (c == '.')
			c = dp;
		else if (!((c >= '0' && c <= '9') || c == '-' || c == '+' ||
		    c == 'e' || c == 'E'))
			break;
		buf[k++] = c;
		b->i++;
	}
	buf[k] = '\0';
	v = strtod(buf, &end);
	if (k == 0 || end != buf + k)
		return false;
done:
	item->type = cJSON_Number;
	item->valuedouble = v;
	if (v >= INT_MAX)
		item->valueint = INT_MAX;
	else if (v <= (double)INT_MIN)
		item->valueint = INT_MIN;
	else
		item->valueint = (int)v;
	return true;
}

/* Reads the literal `lit` at b->i. */
static bool
build_literal(build *b, const char *lit, size_t l)
{
	if (b->n - b->i < l || memcmp(b->s + b->i, lit, l) != 0)
		return false;
	b->i += l;
	return true;
}

/* Builds an object's or array's children after its opening byte. */
static bool
build_container(build *b, cJSON *item, unsigned depth)
{
	bool object = b->s[b->i] == '{';
	char close = object ? '}' : ']', *name = NULL;
	cJSON *last = NULL, *child;

	if (depth >= HC_JSON_MAX_DEPTH)
		return false;
	item->type = object ? cJSON_Object : cJSON_Array;
	b->i++;
	build_ws(b);
	if (b->i < b->n && b->s[b->i] == close) {
		b->i++;
		return true;
	}
	for (;;) {
		build_ws(b);
		if (object) {
			if (b->i >= b->n || b->s[b->i] != '"' ||
			    (name = build_string(b)) == NULL)
				return false;
			build_ws(b);
			if (b->i >= b->n || b->s[b->i] != ':')
				return false;
			b->i++;
		}
		if ((child = build_value(b, depth + 1)) == NULL)
			return false;
		child->string = name;
		if (last == NULL)
			item->child = child;
		else {
			last->next = child;
			child->prev = last;
		}
		last = child;
		item->child->prev = last;    /* cJSON keeps the tail here */
		build_ws(b);
		if (b->i >= b->n)
			return false;
		if (b->s[b->i++] == close)
			return true;
		if (b->s[b->i - 1] != ',')
			return false;
	}
}

/* Builds one value at b->i into the next free node. */
static cJSON *
build_value(build *b, unsigned depth)
{
	cJSON *item;
	bool ok;

	build_ws(b);
	if (b->i >= b->n || b->used >= b->cap)
		return NULL;
	item = &b->node[b->used++];
	memset(item, 0, sizeof(*item));
	switch (b->s[b->i]) {
	case '{':
	case '[':
		ok = build_container(b, item, depth);
		break;
	case '"':
		item->type = cJSON_String;
		ok = (item->valuestring = build_string(b)) != NULL;
		break;
	case 't':
		item->type = cJSON_True;
		item->valueint = 1;
		ok = build_literal(b, "true", 4);
		break;
	case 'f':
		item->type = cJSON_False;
		ok = build_literal(b, "false", 5);
		break;
	case 'n':
		item->type = cJSON_NULL;
		ok = build_literal(b, "null", 4);
		break;
	default:
		ok = build_number(b, item);
		break;
	}
	return ok ? item : NULL;
}

/*
 * Builds the tree of buf[0..len), a text the scanner has accepted with
 * `nodes` values, in one block.  NULL when out of memory (or, for a text
 * the scanner never saw, when it is not JSON).
 */
static cJSON *
build_tree(const char *buf, size_t len, size_t nodes)
{
	build b = { buf, len, 0, NULL, 0, nodes, NULL, NULL };
	size_t strbytes = len + 2 * nodes;
	cJSON *root;

	if (nodes == 0 || nodes > HC_JSON_MAX_BYTES)
		return NULL;
	if ((b.node = malloc(nodes * sizeof(cJSON) + strbytes)) == NULL)
		return NULL;
	b.str = (char *)(b.node + nodes);
	b.str_end = b.str + strbytes;
	root = build_value(&b, 0);
	build_ws(&b);
	if (root == NULL || b.i != len) {
		free(b.node);
		return NULL;
	}
	root->type |= HC_JSON_ARENA;
	return root;
}

/* ------------------------------------------------------------ duplicates */

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * Whether the object j holds two members of the same name, *dup then
 * pointing at it.  Small objects compare every pair; larger ones sort the
 * names (at most HC_JSON_MAX_MEMBERS, the scanner's bound) and compare
 * neighbours, so that a hostile object of a thousand members costs
 * n log n comparisons, not n squared.
 */
static bool
object_has_duplicate(const cJSON *j, const char **dup)
{
	const char *names[HC_JSON_MAX_MEMBERS];
	size_t n = 0;

	for (const cJSON *c = j->child; c != NULL && n < HC_JSON_MAX_MEMBERS;
	    c = c->next)
		names[n++] = c->string;
	if (n <= 16) {
		for (size_t i = 1; i < n; i++)
			for (size_t k = 0; k < i; k++)
				if (strcmp(names[k], names[i]) == 0) {
					*dup = names[i];
					return true;
				}
		return false;
	}
	qsort(names, n, sizeof(names[0]), cmp_names);
	for (size_t i = 1; i < n; i++)
		if (strcmp(names[i - 1], names[i]) == 0) {
			*dup = names[i];
			return true;
		}
	return false;
}

/*
 * Whether any object at any depth of j holds two members of the same name;
 * *dup then points at the name (borrowed from the tree).  Names are compared
 * as cJSON unescaped them, so "\u0061lg" repeats "alg"; the scanner refused
 * escaped U+0000, so strcmp() sees whole names.  The recursion is bounded
 * by the scanner's HC_JSON_MAX_DEPTH.
 */
static bool
has_duplicate(const cJSON *j, const char **dup)
{
	if (!cJSON_IsObject(j) && !cJSON_IsArray(j))
		return false;
	if (cJSON_IsObject(j) && object_has_duplicate(j, dup))
		return true;
	for (const cJSON *c = j->child; c != NULL; c = c->next)
		if (has_duplicate(c, dup))
			return true;
	return false;
}

/* ------------------------------------------------------------------ API */

/*
 * Parses exactly one JSON value filling buf[0..len) into a new tree in *out
 * (NULL on failure).  cJSON only builds what the scanner has accepted, so its
 * failure means out of memory (HC_INTERNAL); every rejection of the text is
 * HC_MALFORMED, with a detail naming the offset or the duplicate member.
 */
static hc_status
parse_common(const char *buf, size_t len, hc_json **out, hc_detail *d)
{
	const char *dup = NULL;
	char q[HC_QBUF];
	size_t nodes;
	cJSON *j;
	hc_status st;

	*out = NULL;
	if (len > HC_JSON_MAX_BYTES)
		return hc_fail(d, HC_MALFORMED, "JSON: %zu bytes, over the limit "
		    "of %d", len, HC_JSON_MAX_BYTES);
	if ((st = hc_json_scan(buf, len, &nodes, d)) != HC_OK)
		return st;
	/* The scanner accepted the text: the tree can only fail to allocate. */
	j = build_tree(buf, len, nodes);
	if (j == NULL)
		return hc_fail(d, HC_INTERNAL, "JSON: out of memory");
	if (has_duplicate(j, &dup)) {
		hc_fail(d, HC_MALFORMED, "JSON: duplicate member name %s",
		    hc_quote(q, sizeof(q), dup));
		hc_json_free(j);
		return HC_MALFORMED;
	}
	*out = j;
	return HC_OK;
}

hc_status
hc_json_parse(const char *buf, size_t len, hc_json **out, hc_detail *d)
{
	return parse_common(buf, len, out, d);
}

hc_json *
hc_json_rebuild(const char *buf, size_t len, size_t nodes)
{
	return build_tree(buf, len, nodes);
}

/* The values in the sibling list from c on, and below them. */
static size_t
nodes_from(const cJSON *c)
{
	size_t n = 0;

	for (; c != NULL; c = c->next) {
		n++;
		if (cJSON_IsObject(c) || cJSON_IsArray(c))
			n += nodes_from(c->child);
	}
	return n;
}

size_t
hc_json_nodes(const hc_json *j)
{
	if (j == NULL)
		return 0;
	if (cJSON_IsObject(j) || cJSON_IsArray(j))
		return 1 + nodes_from(j->child);
	return 1;
}

/*
 * Replaces // and block comments outside strings with spaces (keeping
 * newlines), so that offsets in errors still point into the file.
 */
static int
strip_comments(char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		if (s[i] == '"') {
			for (i++; i < n && s[i] != '"'; i++)
				if (s[i] == '\\' && i + 1 < n)
					i++;
			i++;
		} else if (s[i] == '/' && i + 1 < n && s[i + 1] == '/') {
			while (i < n && s[i] != '\n')
				s[i++] = ' ';
		} else if (s[i] == '/' && i + 1 < n && s[i + 1] == '*') {
			s[i++] = ' ';
			s[i++] = ' ';
			while (i < n && !(s[i] == '*' && i + 1 < n && s[i + 1] == '/')) {
				if (s[i] != '\n')
					s[i] = ' ';
				i++;
			}
			if (i >= n)
				return -1;
			s[i++] = ' ';
			s[i++] = ' ';
		} else
			i++;
	}
	return 0;
}

hc_status
hc_json_parse_commented(char *buf, size_t len, hc_json **out, hc_detail *d)
{
	hc_status st;

	*out = NULL;
	if (strip_comments(buf, len) != 0)
		return hc_fail(d, HC_MALFORMED, "JSON: unterminated comment");
	st = parse_common(buf, len, out, d);
	if (st != HC_OK && d != NULL) {
		/* Turn "at byte N" into a line and column for people. */
		const char *at = strstr(d->text, " at byte ");
		if (at != NULL) {
			size_t off = (size_t)strtoul(at + 9, NULL, 10), line = 1,
			    col = 1;
			for (size_t i = 0; i < off && i < len; i++) {
				if (buf[i] == '\n') {
					line++;
					col = 1;
				} else
					col++;
			}
			(void)snprintf(d->text + (at - d->text),
			    sizeof(d->text) - (size_t)(at - d->text),
			    " at line %zu column %zu", line, col);
		}
	}
	return st;
}

void
hc_json_free(hc_json *j)
{
	if (j != NULL && (j->type & HC_JSON_ARENA))
		free(j);                /* the block the tree was built in */
	else
		cJSON_Delete(j);
}

hc_json_type
hc_json_type_of(const hc_json *j)
{
	if (j == NULL)
		return HC_JSON_INVALID;
	if (cJSON_IsNull(j))
		return HC_JSON_NULL;
	if (cJSON_IsFalse(j))
		return HC_JSON_FALSE;
	if (cJSON_IsTrue(j))
		return HC_JSON_TRUE;
	if (cJSON_IsNumber(j))
		return HC_JSON_NUMBER;
	if (cJSON_IsString(j))
		return HC_JSON_STRING;
	if (cJSON_IsArray(j))
		return HC_JSON_ARRAY;
	if (cJSON_IsObject(j))
		return HC_JSON_OBJECT;
	return HC_JSON_INVALID;
}

const char *
hc_json_type_name(hc_json_type t)
{
	switch (t) {
	case HC_JSON_NULL:
		return "null";
	case HC_JSON_FALSE:
	case HC_JSON_TRUE:
		return "boolean";
	case HC_JSON_NUMBER:
		return "number";
	case HC_JSON_STRING:
		return "string";
	case HC_JSON_ARRAY:
		return "array";
	case HC_JSON_OBJECT:
		return "object";
	default:
		return "nothing";
	}
}

/*
 * What cJSON_GetObjectItemCaseSensitive() does (the first member of that
 * exact name), with the first byte compared before strcmp(): layers 2 and
 * 3 make a few dozen lookups per token, most of them misses.
 */
const hc_json *
hc_json_get(const hc_json *obj, const char *name)
{
	if (!cJSON_IsObject(obj) || name == NULL)
		return NULL;
	for (const cJSON *c = obj->child; c != NULL; c = c->next)
		if (c->string != NULL && c->string[0] == name[0] &&
		    strcmp(c->string, name) == 0)
			return c;
	return NULL;
}

const hc_json *
hc_json_first(const hc_json *j)
{
	if (!cJSON_IsObject(j) && !cJSON_IsArray(j))
		return NULL;
	return j->child;
}

const hc_json *
hc_json_next(const hc_json *j)
{
	return j == NULL ? NULL : j->next;
}

const char *
hc_json_name(const hc_json *j)
{
	return j == NULL ? NULL : j->string;
}

size_t
hc_json_count(const hc_json *j)
{
	size_t n = 0;

	for (const hc_json *c = hc_json_first(j); c != NULL; c = c->next)
		n++;
	return n;
}

const char *
hc_json_string(const hc_json *j)
{
	return cJSON_IsString(j) ? j->valuestring : NULL;
}

bool
hc_json_number(const hc_json *j, double *out)
{
	if (!cJSON_IsNumber(j))
		return false;
	*out = j->valuedouble;
	return true;
}

char *
hc_json_print(const hc_json *j)
{
	return j == NULL ? NULL : cJSON_PrintUnformatted(j);
}

char *
hc_json_print_pretty(const hc_json *j)
{
	return j == NULL ? NULL : cJSON_Print(j);
}

hc_json *
hc_json_new_object(void)
{
	return cJSON_CreateObject();
}

hc_json *
hc_json_new_array(void)
{
	return cJSON_CreateArray();
}

hc_json *
hc_json_new_string(const char *s)
{
	return s == NULL ? cJSON_CreateNull() : cJSON_CreateString(s);
}

hc_json *
hc_json_dup(const hc_json *j)
{
	cJSON *d = j == NULL ? NULL : cJSON_Duplicate(j, 1);

	/* A copy is cJSON's own, node by node, whatever j was built in. */
	if (d != NULL)
		d->type &= ~HC_JSON_ARENA;
	return d;
}

void
hc_json_add(hc_json *obj, const char *name, hc_json *item)
{
	if (obj == NULL || item == NULL) {
		cJSON_Delete(item);
		return;
	}
	cJSON_AddItemToObject(obj, name, item);
}

void
hc_json_add_string(hc_json *obj, const char *name, const char *s)
{
	hc_json_add(obj, name, hc_json_new_string(s));
}

void
hc_json_add_number(hc_json *obj, const char *name, double n)
{
	hc_json_add(obj, name, cJSON_CreateNumber(n));
}

void
hc_json_add_bool(hc_json *obj, const char *name, bool b)
{
	hc_json_add(obj, name, cJSON_CreateBool(b));
}

void
hc_json_add_null(hc_json *obj, const char *name)
{
	hc_json_add(obj, name, cJSON_CreateNull());
}

void
hc_json_append(hc_json *arr, hc_json *item)
{
	if (arr == NULL || item == NULL) {
		cJSON_Delete(item);
		return;
	}
	cJSON_AddItemToArray(arr, item);
}
