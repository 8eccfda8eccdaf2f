/* SPDX-License-Identifier: Apache-2.0 */
/*
 * log.h - hopcheckd's log: one JSON object per line on stderr.
 *
 * Every line has "time" (RFC 3339, UTC, milliseconds), "level" and
 * "event"; decisions add what was decided about which token, never the
 * token or its signature: a log is read by more people than the tokens
 * were meant for.  Lines are written
 * with one write(2) each, so lines of concurrent threads do not interleave.
 */
#ifndef HCD_LOG_H
#define HCD_LOG_H

#include <stddef.h>

#include "hopcheck.h"
#include "buf.h"

/* Levels, the values of daemon.log_level. */
#define HCD_LOG_ERROR 0
#define HCD_LOG_WARN  1
#define HCD_LOG_INFO  2
#define HCD_LOG_DEBUG 3

/* Sets the most verbose level written (HCD_LOG_ERROR .. HCD_LOG_DEBUG). */
void hcd_log_set_level(int level);
/* True when a line of `level` would be written. */
int hcd_log_enabled(int level);

/* Writes {"time", "level", "event", "msg"} with msg formatted. */
void hcd_log(int level, const char *event, const char *fmt, ...)
    HCD_PRINTF(3, 4);

/*
 * Writes {"time", "level", "event", "msg", "error"}: one line per error of
 * a newline-separated list (a configuration's problems).
 */
void hcd_log_lines(int level, const char *event, const char *msg,
    const char *lines);

/*
 * Writes {"time", "level", "event", "msg"} and then name/value string pairs
 * given as further arguments, ended by a NULL name; a pair whose value is
 * NULL is left out.  For events a program reads (start, key events).
 */
void hcd_log_fields(int level, const char *event, const char *msg, ...);

/*
 * Writes {"time", "level", "event"} and then the members of `json_fields`,
 * a compact JSON object on one line (the library's key events); fields
 * that are not such an object are left out.
 */
void hcd_log_json(int level, const char *event, const char *json_fields);

/* What one decision of /v1/validate or /v1/authz is logged with. */
typedef struct hcd_decision {
	const char *endpoint;    /* "/v1/authz", "/v1/validate" */
	hc_status status;
	const char *detail;
	const hc_result *result; /* NULL when no validation ran */
	const char *method;      /* the route, or NULL */
	const char *path;        /* logged without its query string */
	unsigned http_code;
	double latency_ms;
	const char *request_id;  /* X-Request-Id as sent, sanitised, or NULL */
	const char *trace_id;    /* the trace-id of a W3C traceparent, or NULL */
} hcd_decision;

/*
 * Writes a decision: status, detail, the verified issuer, subject, client,
 * chain (current actor first), kid and alg when the result has them, the
 * route, the HTTP code, the latency, and the request's id (X-Request-Id)
 * and trace id (traceparent) so that a decision can be found from the
 * proxy's or the application's log.  Level info, or warn for
 * unavailable, error for internal and config.
 */
void hcd_log_decision(const hcd_decision *d);

#endif /* HCD_LOG_H */
