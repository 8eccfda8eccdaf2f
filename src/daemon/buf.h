/* SPDX-License-Identifier: Apache-2.0 */
/*
 * buf.h - a growable text buffer for the daemon's responses, metrics and
 * log lines, with a JSON string writer that always produces valid JSON.
 *
 * A buffer that failed to grow remembers it (`failed`) and ignores further
 * writes, so that callers check once, at the end, instead of after every
 * append.
 */
#ifndef HCD_BUF_H
#define HCD_BUF_H

#include <stdbool.h>
#include <stddef.h>

#if defined(__GNUC__) || defined(__clang__)
#define HCD_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define HCD_PRINTF(f, a)
#endif

/* The largest buffer the daemon builds (a metrics page, one response). */
#define HCD_BUF_MAX (4 * 1024 * 1024)

typedef struct hcd_buf {
	char *p;                 /* NUL-terminated when not failed */
	size_t len;
	size_t cap;
	bool failed;             /* out of memory or over HCD_BUF_MAX */
} hcd_buf;

/* Appends n bytes. */
void hcd_buf_add(hcd_buf *b, const char *s, size_t n);
/* Appends a NUL-terminated string. */
void hcd_buf_puts(hcd_buf *b, const char *s);
/* Appends formatted text. */
void hcd_buf_printf(hcd_buf *b, const char *fmt, ...) HCD_PRINTF(2, 3);
/*
 * Appends `s` as a quoted JSON string (RFC 8259 section 7): quote,
 * backslash and control bytes escaped, valid UTF-8 copied, and each byte
 * of an invalid UTF-8 sequence replaced by U+FFFD.  NULL gives `null`.
 */
void hcd_buf_json_string(hcd_buf *b, const char *s);
/*
 * Takes the text out of the buffer (heap, free()); NULL when the buffer
 * failed.  The buffer is empty afterwards.
 */
char *hcd_buf_take(hcd_buf *b, size_t *len);
/* Releases the buffer's memory. */
void hcd_buf_free(hcd_buf *b);

#endif /* HCD_BUF_H */
