/* SPDX-License-Identifier: Apache-2.0 */
/*
 * log.c - JSON-lines logging for hopcheckd.
 *
 * Nothing here ever sees a token: the decision line is built from a
 * result's accessors (verified claims, the detail that by contract names
 * no token bytes) and the route, cut at its query string because a client
 * may have put a token there.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

/* A logged route is cut here; a path is at most HC_MAX_REQUEST_STRING. */
#define HCD_ROUTE_LOG_MAX 512

static atomic_int log_level = HCD_LOG_INFO;

static const char *const level_names[] = { "error", "warn", "info", "debug" };

void
hcd_log_set_level(int level)
{
	if (level < HCD_LOG_ERROR)
		level = HCD_LOG_ERROR;
	if (level > HCD_LOG_DEBUG)
		level = HCD_LOG_DEBUG;
	atomic_store(&log_level, level);
}

int
hcd_log_enabled(int level)
{
	return level <= atomic_load(&log_level);
}

/* Starts a line: {"time":"...","level":"...","event":"..." */
static void
line_start(hcd_buf *b, int level, const char *event)
{
	struct timespec ts;
	struct tm tm;
	char when[40];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	(void)strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	hcd_buf_printf(b, "{\"time\":\"%s.%03ldZ\",\"level\":\"%s\",\"event\":",
	    when, ts.tv_nsec / 1000000L, level_names[level]);
	hcd_buf_json_string(b, event);
}

/* Ends a line and writes it whole to stderr. */
static void
line_end(hcd_buf *b)
{
	const char *p;
	size_t left;

	hcd_buf_add(b, "}\n", 2);
	if (b->failed) {
		static const char oom[] =
		    "{\"level\":\"error\",\"event\":\"log\",\"msg\":\"log line "
		    "lost: out of memory\"}\n";
		(void)!write(STDERR_FILENO, oom, sizeof(oom) - 1);
		hcd_buf_free(b);
		return;
	}
	for (p = b->p, left = b->len; left > 0;) {
		ssize_t w = write(STDERR_FILENO, p, left);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		p += w;
		left -= (size_t)w;
	}
	hcd_buf_free(b);
}

void
hcd_log(int level, const char *event, const char *fmt, ...)
{
	hcd_buf b = { 0 };
	char msg[1024];
	va_list ap;

	if (!hcd_log_enabled(level))
		return;
	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	line_start(&b, level, event);
	hcd_buf_puts(&b, ",\"msg\":");
	hcd_buf_json_string(&b, msg);
	line_end(&b);
}

void
hcd_log_lines(int level, const char *event, const char *msg,
    const char *lines)
{
	const char *s = lines, *nl;
	char one[1024];

	if (!hcd_log_enabled(level))
		return;
	if (s == NULL || *s == '\0') {
		hcd_log(level, event, "%s", msg);
		return;
	}
	for (; *s != '\0'; s = *nl ? nl + 1 : nl) {
		hcd_buf b = { 0 };
		size_t n;
		nl = s + strcspn(s, "\n");
		n = (size_t)(nl - s);
		if (n == 0)
			continue;
		if (n >= sizeof(one))
			n = sizeof(one) - 1;
		memcpy(one, s, n);
		one[n] = '\0';
		line_start(&b, level, event);
		hcd_buf_puts(&b, ",\"msg\":");
		hcd_buf_json_string(&b, msg);
		hcd_buf_puts(&b, ",\"error\":");
		hcd_buf_json_string(&b, one);
		line_end(&b);
	}
}

void
hcd_log_json(int level, const char *event, const char *json_fields)
{
	hcd_buf b = { 0 };
	size_t n;

	if (!hcd_log_enabled(level))
		return;
	line_start(&b, level, event);
	n = json_fields != NULL ? strlen(json_fields) : 0;
	/* The members of the object, without its braces, after ours. */
	if (n > 2 && json_fields[0] == '{' && json_fields[n - 1] == '}' &&
	    strchr(json_fields, '\n') == NULL) {
		hcd_buf_puts(&b, ",");
		hcd_buf_add(&b, json_fields + 1, n - 2);
	}
	line_end(&b);
}

/* Adds ,"name":"value" when value is not NULL. */
static void
field(hcd_buf *b, const char *name, const char *value)
{
	if (value == NULL)
		return;
	hcd_buf_printf(b, ",\"%s\":", name);
	hcd_buf_json_string(b, value);
}

void
hcd_log_fields(int level, const char *event, const char *msg, ...)
{
	hcd_buf b = { 0 };
	const char *name, *value;
	va_list ap;

	if (!hcd_log_enabled(level))
		return;
	line_start(&b, level, event);
	field(&b, "msg", msg);
	va_start(ap, msg);
	while ((name = va_arg(ap, const char *)) != NULL) {
		value = va_arg(ap, const char *);
		field(&b, name, value);
	}
	va_end(ap);
	line_end(&b);
}

void
hcd_log_decision(const hcd_decision *d)
{
	const hc_result *r = d->result;
	int level = HCD_LOG_INFO;
	hcd_buf b = { 0 };

	if (d->status == HC_UNAVAILABLE)
		level = HCD_LOG_WARN;
	else if (d->status == HC_INTERNAL || d->status == HC_CONFIG)
		level = HCD_LOG_ERROR;
	if (!hcd_log_enabled(level))
		return;
	line_start(&b, level, "decision");
	field(&b, "endpoint", d->endpoint);
	field(&b, "status", hc_status_name(d->status));
	field(&b, "detail", d->detail);
	if (r != NULL) {
		size_t n = hc_result_actor_count(r);
		field(&b, "issuer", hc_result_issuer(r));
		field(&b, "subject", hc_result_subject(r));
		field(&b, "client", hc_result_client(r));
		if (n > 0) {
			hcd_buf_puts(&b, ",\"chain\":[");
			for (size_t i = 0; i < n; i++) {
				if (i > 0)
					hcd_buf_add(&b, ",", 1);
				hcd_buf_json_string(&b, hc_result_actor(r, i));
			}
			hcd_buf_add(&b, "]", 1);
		}
		field(&b, "kid", hc_result_kid(r));
		field(&b, "alg", hc_result_alg(r));
		/* The Txn-Token's txn and req_wl, never the token. */
		field(&b, "txn", hc_result_txn(r));
		field(&b, "req_wl", hc_result_txn_requesting_workload(r));
		/* The proof key's thumbprint and the WIT's sub, never a token. */
		field(&b, "dpop_jkt", hc_result_dpop_jkt(r));
		field(&b, "workload", hc_result_workload(r));
		field(&b, "credential", hc_result_credential(r));
	}
	if (d->method != NULL && d->path != NULL) {
		char route[HCD_ROUTE_LOG_MAX];
		size_t plen = strcspn(d->path, "?#");
		(void)snprintf(route, sizeof(route), "%s %.*s", d->method,
		    (int)(plen < HCD_ROUTE_LOG_MAX ? plen : HCD_ROUTE_LOG_MAX),
		    d->path);
		field(&b, "route", route);
	}
	hcd_buf_printf(&b, ",\"http\":%u,\"latency_ms\":%.3f", d->http_code,
	    d->latency_ms);
	field(&b, "request_id", d->request_id);
	field(&b, "trace_id", d->trace_id);
	line_end(&b);
}
