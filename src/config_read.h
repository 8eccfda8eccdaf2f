/* SPDX-License-Identifier: Apache-2.0 */
/*
 * config_read.h - the generic half of the configuration reader (private).
 *
 * config_read.c knows how to read a value of a given type out of the parsed
 * configuration text and how to say where a problem is; config.c knows the
 * schema and calls it, one section at a time.  Nothing else includes this.
 *
 * A parse is a struct cfg.  Its `path` is always the JSON path of the value
 * being read, so every reader and check reports with hc_cfg_error() without
 * being told where it is: a reader enters a member or an element with
 * hc_cfg_path_key() or hc_cfg_path_index() and leaves with hc_cfg_path_pop().
 * Readers never stop the parse: they report, count, and go on, so that one
 * run lists every problem.  Out of memory only sets `oom`.
 *
 * The hc_cfg_<type>() member readers share one convention: they return 1
 * when the member was present and valid (and stored), 0 when absent (the
 * destination keeps its default), -1 when invalid (already reported).
 *
 * Important caveats (what is NOT checked):
 *
 *  - Readers check one value each.  Rules that tie members together (one
 *    key source per issuer, min below max) belong to the schema in config.c.
 *  - hc_cfg_file() only resolves a file name against base_dir: the file is
 *    neither opened nor looked at.
 */
#ifndef HC_CONFIG_READ_H
#define HC_CONFIG_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto.h"
#include "policy.h"

/* ------------------------------------------------------------- bounds */

#ifndef HC_MAX_CONFIG_ERRORS
#define HC_MAX_CONFIG_ERRORS     100   /* error lines reported, then one more */
#endif

/* A JSON path in an error line; deeper or longer paths are cut. */
#define CFG_PATH_MAX             256
/* Room for hc_quote() of one value (every byte may become \xNN). */
#define CFG_QUOTE_MAX            (HC_DETAIL_VALUE_MAX * 4 + 8)

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
typedef bool (*hc_cfg_check)(struct cfg *c, const char *s, const void *arg);
/* Reads element i of `arr` from j (an object whose keys are checked). */
typedef void (*hc_cfg_item_reader)(struct cfg *c, const hc_json *j,
    void *arr, size_t i);
/* Reads a section (an object whose keys are already checked). */
typedef void (*hc_cfg_section_reader)(struct cfg *c, const hc_json *j);

/* ---------------------------------------------------- errors and paths */

/* Reports one problem, "PATH: message", at the current path. */
void hc_cfg_error(struct cfg *c, const char *fmt, ...) HC_PRINTF(2, 3);
/* Appends to the path; returns what hc_cfg_path_pop() restores. */
size_t hc_cfg_path_push(struct cfg *c, const char *fmt, ...) HC_PRINTF(2, 3);
/* Enters member `name`. */
size_t hc_cfg_path_key(struct cfg *c, const char *name);
/* Enters array element i. */
size_t hc_cfg_path_index(struct cfg *c, size_t i);
/* Leaves what the push that returned `saved` entered. */
void hc_cfg_path_pop(struct cfg *c, size_t saved);
/* Reports that the value j at the current path is not `want`. */
void hc_cfg_type_error(struct cfg *c, const char *want, const hc_json *j);

/* ----------------------------------------------------------- allocation */

/* calloc() and strdup() that mark the parse out of memory on failure. */
void *hc_cfg_calloc(struct cfg *c, size_t n, size_t size);
char *hc_cfg_strdup(struct cfg *c, const char *s);
/* Frees the strings and the array of a list and leaves it empty. */
void hc_strlist_free(hc_strlist *l);

/* ------------------------------------------------------ generic readers */

/* A non-empty, bounded string without control characters, or NULL. */
const char *hc_cfg_val_str(struct cfg *c, const hc_json *j);
int hc_cfg_str(struct cfg *c, const hc_json *obj, const char *name,
    bool required, hc_cfg_check check, const void *arg, char **out);
int hc_cfg_file(struct cfg *c, const hc_json *obj, const char *name,
    char **out);
int hc_cfg_int(struct cfg *c, const hc_json *obj, const char *name,
    int64_t min, int64_t max, int64_t *out);
int hc_cfg_size(struct cfg *c, const hc_json *obj, const char *name,
    int64_t min, int64_t max, size_t *out);
int hc_cfg_bool(struct cfg *c, const hc_json *obj, const char *name,
    bool *out);
int hc_cfg_enum(struct cfg *c, const hc_json *obj, const char *name,
    const char *const *names, const int *values, int *out);
int hc_cfg_strlist(struct cfg *c, const hc_json *obj, const char *name,
    bool may_be_empty, hc_cfg_check check, const void *arg, hc_strlist *out);
/*
 * A section's own rule on one algorithm of its `algorithms` list: false to
 * refuse it, with the reason (naming `name`) written into why[n].
 */
typedef bool (*hc_cfg_alg_rule)(const void *arg, hc_alg alg, const char *name,
    char *why, size_t n);
/*
 * The `algorithms` list of obj (RFC 8725 section 3.1: the verifier decides
 * the algorithms, never the token): names looked up exactly, "none" refused
 * by name (RFC 8725 section 3.2), each supported by the crypto backend and
 * allowed by `rule` (may be NULL).  When the list is absent and `required`,
 * the error says "list the <what>".  Returns the HC_ALG_BIT() mask of the
 * algorithms accepted.
 */
unsigned hc_cfg_algorithms(struct cfg *c, const hc_json *obj, bool required,
    const char *what, hc_cfg_alg_rule rule, const void *arg);
/* Reports every member of obj not named in keys[] (NULL-ended). */
void hc_cfg_check_keys(struct cfg *c, const hc_json *obj,
    const char *const *keys);
/* An object member, keys checked, read by fn; true when present. */
bool hc_cfg_section(struct cfg *c, const hc_json *obj, const char *name,
    const char *const *keys, hc_cfg_section_reader fn);
/* An array of objects, each read in place by fn. */
void *hc_cfg_objarray(struct cfg *c, const hc_json *obj, const char *name,
    size_t max, bool nonempty, const char *const *keys, size_t size,
    size_t *n, hc_cfg_item_reader fn, int *rc);
/* Which one of the exclusive members names[] obj has. */
int hc_cfg_one_of(struct cfg *c, const hc_json *obj,
    const char *const *names, const char *what);

/* --------------------------------------------------------- value checks */

/*
 * hc_cfg_check functions for values of the same kind wherever they appear:
 * `arg` is unused except by hc_cfg_check_url(), where it points to the
 * allow_insecure_http (bool) that applies.
 */
bool hc_cfg_check_url(struct cfg *c, const char *url, const void *arg);
bool hc_cfg_check_pattern(struct cfg *c, const char *s, const void *arg);
bool hc_cfg_check_scope(struct cfg *c, const char *s, const void *arg);
bool hc_cfg_check_header(struct cfg *c, const char *s, const void *arg);
bool hc_cfg_check_method(struct cfg *c, const char *s, const void *arg);
bool hc_cfg_check_workload_id(struct cfg *c, const char *s, const void *arg);
/* A SPIFFE ID as above, or any other Workload Identifier (wid.c). */
bool hc_cfg_check_caller_id(struct cfg *c, const char *s, const void *arg);
bool hc_cfg_check_trust_domain(struct cfg *c, const char *s,
    const void *arg);

/* ------------------------------------------------------------ sections */

/* config_daemon.c: the `daemon` section, its keys, defaults and freeing. */
extern const char *const hc_cfg_daemon_keys[];
void hc_cfg_read_daemon(struct cfg *c, const hc_json *j);
void hc_cfg_daemon_defaults(hc_daemon_policy *d);
void hc_daemon_policy_clear(hc_daemon_policy *d);

/* config_txn.c: the txn_tokens section of the document (sets p->txn). */
void hc_cfg_txn_section(struct cfg *c, const hc_json *root);
/* config_txn.c: route keys credentials, callers, txn_single_use. */
void hc_cfg_read_route_creds(struct cfg *c, const hc_json *j,
    hc_route_policy *r);
/* config_txn.c: frees a txn_tokens policy; NULL is a no-op. */
void hc_txn_policy_free(hc_txn_policy *tp);

/*
 * config_pop.c: service.origins and the `dpop` and `wimse` sections, their
 * keys, defaults, the rules across sections, and freeing.
 */
extern const char *const hc_cfg_dpop_keys[];
extern const char *const hc_cfg_wimse_keys[];
void hc_cfg_pop_defaults(hc_policy *p);
void hc_cfg_read_origins(struct cfg *c, const hc_json *service);
void hc_cfg_read_dpop(struct cfg *c, const hc_json *j);
void hc_cfg_read_wimse(struct cfg *c, const hc_json *j);
void hc_cfg_pop_check(struct cfg *c);
void hc_pop_policy_clear(hc_policy *p);

#endif /* HC_CONFIG_READ_H */
