/* SPDX-License-Identifier: Apache-2.0 */
/*
 * internal.h - interfaces shared between the library's modules.
 *
 * Nothing here is public.  Each block below belongs to one .c file, named in
 * its banner; a dependency library (cJSON, a crypto library, libcurl) is
 * included by exactly one .c file, and the rest of the tree sees it only
 * through these wrappers.
 */
#ifndef HC_INTERNAL_H
#define HC_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hopcheck.h"
#include "hc_limits.h"

#if defined(__GNUC__) || defined(__clang__)
#define HC_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define HC_PRINTF(f, a)
#endif

/* ---------------------------------------------------------------- util.c */

/*
 * A detail buffer: the human-readable reason attached to a status.  Writers
 * never overflow it; a value quoted into it is cut at HC_DETAIL_VALUE_MAX
 * bytes and escaped so that control bytes cannot forge log lines.
 */
typedef struct hc_detail {
	char text[HC_DETAIL_MAX];
} hc_detail;

/* Formats into d (truncating) and returns `status`, for one-line returns. */
hc_status hc_fail(hc_detail *d, hc_status status, const char *fmt, ...)
    HC_PRINTF(3, 4);

/*
 * Writes `s` into buf (size n, n >= 8) as a quoted, escaped, length-capped
 * string for a detail: "abc", or "abc..." when cut.  Returns buf.
 */
const char *hc_quote(char *buf, size_t n, const char *s);

/* The value of one hex digit (either case), or -1 for any other byte. */
int hc_hex_digit(int c);

/*
 * Room for one value quoted by hc_quote(): HC_DETAIL_VALUE_MAX plain bytes,
 * the two quotes, "..." and the NUL.  A value full of escapes is cut sooner,
 * never overflowed, so this is the size of every quote buffer.
 */
#define HC_QBUF (HC_DETAIL_VALUE_MAX + 16)

/* Overwrites n bytes of p in a way the compiler may not elide. */
void hc_wipe(void *p, size_t n);

/* Constant-time equality of two equal-length buffers (0 when equal). */
int hc_ct_memcmp(const void *a, const void *b, size_t n);

/*
 * SipHash-2-4 of n bytes under a 16-byte key: the keyed hash of the tables
 * that attacker-chosen strings index (replay store, token cache), so that
 * collisions cannot be planned.
 */
uint64_t hc_siphash24(const unsigned char k[16], const unsigned char *in,
    size_t n);

/* strdup that returns NULL for NULL. */
char *hc_strdup(const char *s);

/*
 * Reads a whole regular file of at most `max` bytes into a NUL-terminated
 * heap buffer.  Returns 0, or -1 with a reason in d (not found, too large,
 * not a regular file, I/O error).
 */
int hc_read_file(const char *path, size_t max, char **out, size_t *outlen,
    hc_detail *d);

/* Joins dir and a relative path; absolute paths are copied unchanged. */
char *hc_path_join(const char *dir, const char *path);

/* --------------------------------------------------------------- b64url.c */

/*
 * Strict base64url (RFC 7515 section 2, RFC 4648 section 5): alphabet
 * A-Z a-z 0-9 - _ only, no padding, no whitespace, length mod 4 != 1, and
 * the unused trailing bits zero (RFC 4648 section 3.5), so that every byte
 * string has exactly one accepted encoding.
 */

/* Decoded size for an input of n characters (an upper bound). */
#define HC_B64URL_DECODED_MAX(n) (((n) / 4) * 3 + 2)
/* Encoded size for n bytes, without NUL. */
#define HC_B64URL_ENCODED_LEN(n) (((n) / 3) * 4 + ((n) % 3 ? (n) % 3 + 1 : 0))

/*
 * Decodes the n characters at `in` into out (capacity cap).  Returns 0 and
 * the decoded length in *outlen, or -1 on any non-canonical input.
 */
int hc_b64url_decode(const char *in, size_t n, unsigned char *out, size_t cap,
    size_t *outlen);

/* Encodes n bytes into out (capacity >= HC_B64URL_ENCODED_LEN(n) + 1). */
void hc_b64url_encode(const unsigned char *in, size_t n, char *out);

/* ----------------------------------------------------------------- json.c */

/*
 * A parsed JSON value.  Opaque outside json.c (it is a cJSON node there).
 * Parsing is strict: RFC 8259 grammar, valid UTF-8 (no lone surrogates, no
 * overlong forms), no U+0000 in strings, no duplicate member names at any
 * depth (compared after unescaping), depth <= HC_JSON_MAX_DEPTH, nothing but
 * whitespace after the value.
 */
typedef struct cJSON hc_json;

typedef enum hc_json_type {
	HC_JSON_INVALID = 0,
	HC_JSON_NULL,
	HC_JSON_FALSE,
	HC_JSON_TRUE,
	HC_JSON_NUMBER,
	HC_JSON_STRING,
	HC_JSON_ARRAY,
	HC_JSON_OBJECT
} hc_json_type;

/*
 * json_scan.c: validates that buf[0..len) is exactly one JSON value by the
 * strict rules of json.c (grammar, UTF-8, no U+0000, depth and member
 * bounds) and gives the number of values in it.  HC_OK, or HC_MALFORMED
 * with the offset and the reason.  Allocates nothing.
 */
hc_status hc_json_scan(const char *buf, size_t len, size_t *nodes,
    hc_detail *d);

/*
 * Parses len bytes.  Returns HC_OK and the tree in *out, or HC_MALFORMED
 * with a reason in d, which names no input bytes beyond an offset and a
 * duplicated member name (quoted, escaped and length-capped).
 */
hc_status hc_json_parse(const char *buf, size_t len, hc_json **out,
    hc_detail *d);

/*
 * Parses a configuration text: like hc_json_parse() after removing `//`
 * and block comments.  `buf` is modified in place.
 */
hc_status hc_json_parse_commented(char *buf, size_t len, hc_json **out,
    hc_detail *d);

/*
 * Frees a tree from any function here (NULL does nothing).  A parsed tree
 * is one heap block, read-only: only its root may be freed, and nothing
 * may be added to it (hc_json_dup() gives a tree that may be changed).
 */
void hc_json_free(hc_json *j);

/*
 * Builds again, in one block, the tree of a text hc_json_parse() accepted
 * before (byte for byte) and that had `nodes` values (hc_json_nodes() of
 * its tree); the checks are not repeated.  NULL when out of memory.  For
 * the token cache, which keeps the accepted text and not its tree.
 */
hc_json *hc_json_rebuild(const char *buf, size_t len, size_t nodes);
/* The number of values in the tree j: j itself and everything below it. */
size_t hc_json_nodes(const hc_json *j);

hc_json_type hc_json_type_of(const hc_json *j);
/* Human name of a type, for details: "string", "array", ... */
const char *hc_json_type_name(hc_json_type t);
/* Member `name` of an object (case-sensitive), or NULL. */
const hc_json *hc_json_get(const hc_json *obj, const char *name);
/* First child of an array or object, and the next sibling. */
const hc_json *hc_json_first(const hc_json *j);
const hc_json *hc_json_next(const hc_json *j);
/* The member name of an object child. */
const char *hc_json_name(const hc_json *j);
/* Number of children of an array or object. */
size_t hc_json_count(const hc_json *j);
/* The string value, or NULL if j is not a string. */
const char *hc_json_string(const hc_json *j);
/* The number value; false if j is not a number. */
bool hc_json_number(const hc_json *j, double *out);
/* Compact JSON text of j (heap; free with free()). */
char *hc_json_print(const hc_json *j);
/* Indented JSON text of j (heap; free with free()). */
char *hc_json_print_pretty(const hc_json *j);

/* Builders (NULL-tolerant: adding to NULL or adding NULL does nothing). */
hc_json *hc_json_new_object(void);
hc_json *hc_json_new_array(void);
hc_json *hc_json_new_string(const char *s);
hc_json *hc_json_dup(const hc_json *j);
void hc_json_add(hc_json *obj, const char *name, hc_json *item);
void hc_json_add_string(hc_json *obj, const char *name, const char *s);
void hc_json_add_number(hc_json *obj, const char *name, double n);
void hc_json_add_bool(hc_json *obj, const char *name, bool b);
void hc_json_add_null(hc_json *obj, const char *name);
void hc_json_append(hc_json *arr, hc_json *item);

/* ------------------------------------------------------------------ jws.c */

/*
 * A compact JWS split into its parts.  Header and payload are parsed JSON
 * objects; the signing input is the first two segments as transmitted.
 * The decoded segments live in one block, `buf`: the header's and the
 * payload's JSON text (each NUL-terminated) and the signature.
 */
typedef struct hc_jws {
	hc_json *header;
	hc_json *payload;
	const char *signing_input;  /* borrowed: the token itself */
	size_t signing_input_len;
	unsigned char *sig;         /* in buf */
	size_t sig_len;
	const char *header_json;    /* in buf: the decoded header */
	size_t header_json_len;
	const char *payload_json;   /* in buf: the decoded payload */
	size_t payload_json_len;
	unsigned char *buf;         /* owned */
} hc_jws;

/*
 * Splits and decodes `token` (exactly three base64url segments, header and
 * payload JSON objects) and refuses the header parameters hopcheck does not
 * implement (a JWE's, `zip`, `b64`, a `cty` naming a nested JWT).  Returns
 * HC_OK, HC_MALFORMED or HC_CRIT with a reason.  The other header rules
 * (alg, crit, typ, ...) are the caller's.
 */
hc_status hc_jws_parse(const char *token, size_t len, hc_jws *out,
    hc_detail *d);

/*
 * The syntax of hc_jws_parse() alone, without its header-parameter rules:
 * for showing a token (hopcheck inspect), never for accepting one.
 */
hc_status hc_jws_decode(const char *token, size_t len, hc_jws *out,
    hc_detail *d);

void hc_jws_clear(hc_jws *jws);

/* --------------------------------------------------------------- spiffe.c */

#define HC_SPIFFE_SCHEME "spiffe://"
#define HC_SPIFFE_SCHEME_LEN 9

/*
 * The SPIFFE-ID grammar (see hc_spiffe_id_parse()).  On HC_OK, *td_len is
 * the length of the trust domain that starts at id + HC_SPIFFE_SCHEME_LEN;
 * the path (possibly empty) follows it.  HC_MALFORMED with a reason in d.
 */
hc_status hc_spiffe_id_check(const char *id, size_t len, size_t *td_len,
    hc_detail *d);

/* A bare trust domain name (no scheme), same rules. */
hc_status hc_spiffe_td_check(const char *td, size_t len, hc_detail *d);

/* ----------------------------------------------------------------- x509.c */

/*
 * The X.509 helper (the facts come from the crypto backend).  hc_x509_to_der() accepts DER, or PEM text
 * whose first CERTIFICATE block is the leaf, and returns the leaf's DER
 * (heap, free()) after checking that it parses as one certificate.
 */
hc_status hc_x509_to_der(const unsigned char *in, size_t len,
    unsigned char **der, size_t *derlen, hc_detail *d);

/* What a leaf certificate says about the workload presenting it. */
typedef struct hc_x509_identity {
	char *spiffe_id;         /* the only URI SAN, or NULL (heap) */
	size_t uri_sans;         /* number of URI SANs */
	bool is_ca;              /* basicConstraints cA = true */
	bool key_cert_sign;      /* keyUsage keyCertSign or cRLSign */
} hc_x509_identity;

hc_status hc_x509_identity_of(const unsigned char *der, size_t len,
    hc_x509_identity *out, hc_detail *d);
void hc_x509_identity_clear(hc_x509_identity *id);

#endif /* HC_INTERNAL_H */
