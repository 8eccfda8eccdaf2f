/*
 * http.c - the libmicrohttpd side of hopcheckd; no other file includes it.
 *
 * One MHD daemon per listening socket, each with an internal polling
 * thread pool.  A request's life:
 *
 *  1. first call of the access handler (headers in): take a reference to
 *     the current validator generation, so that a reload in the middle of
 *     the request does not change the rules under it; find the body limit
 *     of the endpoint; a declared Content-Length over it is answered 413
 *     at once, before any of the body is read, and a body of undeclared
 *     length (chunked) 411, and a request whose framing is ambiguous
 *     (two Content-Length values, or one with Transfer-Encoding) 400:
 *     MHD lets only this first call answer before the body is in, so a
 *     body must be known to fit, and where it ends, from the start;
 *  2. calls with body data: append (the declared length bounds it);
 *  3. last call: hcd_handle() and queue its response;
 *  4. completion callback: drop the reference and the body.
 *
 * The count of requests between 1 and 4 is what a shutdown drains.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "buf.h"
#include "endpoints.h"
#include "http.h"
#include "log.h"

/* Bounds of the HTTP server. */
#define HCD_MAX_LISTENERS     3         /* TCP, a Unix socket, metrics */
#define HCD_CONN_TIMEOUT_S    30        /* an idle connection is closed */
#define HCD_MAX_CONNECTIONS   1024      /* per listener */
#define HCD_METRICS_CONNECTIONS 32      /* the metrics listener's own */
#define HCD_METRICS_TIMEOUT_S 10

struct hcd_http;

/* What one MHD daemon serves (its callbacks' cls). */
struct lctx {
	struct hcd_http *h;
	bool metrics;            /* probes and /metrics only */
};

struct hcd_http {
	hcd_holder *holder;
	struct MHD_Daemon *d[HCD_MAX_LISTENERS];
	hcd_listener ls[HCD_MAX_LISTENERS];
	struct lctx lc[HCD_MAX_LISTENERS];
	size_t n;
	bool quiesced;
	pthread_mutex_t lock;    /* guards inflight */
	pthread_cond_t idle;     /* signalled when inflight drops to 0 */
	unsigned inflight;
};

/* One request in progress (MHD's con_cls). */
struct conn_state {
	hcd_gen *gen;
	hcd_buf body;
	size_t limit;
	bool too_large;
	bool responded;
	double started;
};

/* ------------------------------------------------------------- headers */

struct header_find {
	const char *name;
	const char *value;       /* the first one */
	size_t count;
};

static enum MHD_Result
header_iter(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	struct header_find *f = cls;

	(void)kind;
	if (key != NULL && strcasecmp(key, f->name) == 0) {
		if (f->count++ == 0)
			f->value = value != NULL ? value : "";
	}
	return MHD_YES;
}

/* hcd_request's header(): every header of that name is counted. */
static const char *
header_get(void *ctx, const char *name, size_t *count)
{
	struct header_find f = { name, NULL, 0 };

	(void)MHD_get_connection_values((struct MHD_Connection *)ctx,
	    MHD_HEADER_KIND, header_iter, &f);
	if (count != NULL)
		*count = f.count;
	return f.value;
}

/* Every Content-Length field of a request: how many, and do they agree. */
struct length_scan {
	const char *first;
	size_t count;
	bool differ;
};

static enum MHD_Result
length_iter(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	struct length_scan *ls = cls;

	(void)kind;
	if (key == NULL || strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) != 0)
		return MHD_YES;
	if (value == NULL)
		value = "";
	if (ls->count++ == 0)
		ls->first = value;
	else if (strcmp(ls->first, value) != 0)
		ls->differ = true;
	return MHD_YES;
}

/*
 * The framing rules of RFC 9112 section 6.3 that libmicrohttpd 0.9.75 does
 * not enforce itself.  A request whose body length two parties could read
 * differently is the raw material of request smuggling: the proxy in
 * front and this server must never disagree on where a request ends.
 * Returns NULL when the framing is sound, else the reason for a 400.
 */
static const char *
framing_error(struct MHD_Connection *conn)
{
	struct length_scan ls = { NULL, 0, false };

	(void)MHD_get_connection_values(conn, MHD_HEADER_KIND, length_iter,
	    &ls);
	if (ls.differ)
		return "two different Content-Length values\n";
	if (ls.count > 0 && MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_TRANSFER_ENCODING) != NULL)
		return "Content-Length together with Transfer-Encoding\n";
	return NULL;
}

/* True when a Content-Length value is over `limit` (or not a number). */
static bool
length_over(const char *cl, size_t limit)
{
	unsigned long long v = 0;

	if (*cl == '\0')
		return true;
	for (; *cl != '\0'; cl++) {
		if (*cl < '0' || *cl > '9' || v > (unsigned long long)limit)
			return true;
		v = v * 10 + (unsigned long long)(*cl - '0');
	}
	return v > (unsigned long long)limit;
}

/* ------------------------------------------------------------ requests */

/* Answers the request now: hcd_handle(), then MHD_queue_response(). */
static enum MHD_Result
respond(struct MHD_Connection *conn, const struct lctx *lc,
    struct conn_state *cs, const char *url, const char *method)
{
	hcd_request rq;
	hcd_response rs;
	struct MHD_Response *resp;
	enum MHD_Result ret;

	memset(&rq, 0, sizeof(rq));
	rq.method = method;
	rq.path = url;
	rq.body = cs->body.p;
	rq.body_len = cs->body.len;
	rq.body_too_large = cs->too_large;
	rq.header = header_get;
	rq.ctx = conn;
	rq.v = hcd_gen_validator(cs->gen);
	rq.started = cs->started;
	rq.metrics_only = lc->metrics;
	hcd_handle(&rq, &rs);
	cs->responded = true;

	if (rs.body != NULL) {
		resp = MHD_create_response_from_buffer(rs.body_len, rs.body,
		    MHD_RESPMEM_MUST_FREE);
		if (resp != NULL)
			rs.body = NULL;  /* MHD frees it now */
	} else {
		resp = MHD_create_response_from_buffer(0, (void *)(uintptr_t)"",
		    MHD_RESPMEM_PERSISTENT);
	}
	if (resp == NULL) {
		hcd_response_clear(&rs);
		return MHD_NO;
	}
	if (rs.content_type != NULL)
		(void)MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
		    rs.content_type);
	for (size_t i = 0; i < rs.nheaders; i++)
		if (MHD_add_response_header(resp, rs.headers[i].name,
		    rs.headers[i].value) != MHD_YES)
			hcd_log(HCD_LOG_WARN, "http", "response header %s dropped",
			    rs.headers[i].name);
	ret = MHD_queue_response(conn, rs.code, resp);
	MHD_destroy_response(resp);
	hcd_response_clear(&rs);
	return ret;
}

/*
 * A fixed plain-text answer that does not go through the endpoints, given
 * before the body is read: the connection is closed after it, since where
 * the unread body ends is not known (or not agreed).  Answers at most once.
 */
static enum MHD_Result
respond_plain(struct MHD_Connection *conn, struct conn_state *cs,
    unsigned code, const char *text)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;

	if (cs->responded)
		return MHD_YES;
	cs->responded = true;
	resp = MHD_create_response_from_buffer(strlen(text),
	    (void *)(uintptr_t)text, MHD_RESPMEM_PERSISTENT);
	if (resp == NULL)
		return MHD_NO;
	(void)MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
	    "text/plain; charset=utf-8");
	(void)MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION,
	    "close");
	ret = MHD_queue_response(conn, code, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *data,
    size_t *size, void **con_cls)
{
	const struct lctx *lc = cls;
	struct hcd_http *h = lc->h;
	struct conn_state *cs = *con_cls;
	const char *cl, *why;

	(void)version;
	if (cs == NULL) {
		if ((cs = calloc(1, sizeof(*cs))) == NULL)
			return MHD_NO;
		cs->started = hcd_now();
		cs->gen = hcd_holder_acquire(h->holder);
		cs->limit = hcd_body_limit(hcd_gen_validator(cs->gen), url);
		pthread_mutex_lock(&h->lock);
		h->inflight++;
		pthread_mutex_unlock(&h->lock);
		*con_cls = cs;
		/*
		 * Only the first call may answer before the body is read, so
		 * every body must declare its length: a chunked one could grow
		 * past the limit where no answer can be given any more.
		 */
		if ((why = framing_error(conn)) != NULL)
			return respond_plain(conn, cs, 400, why);
		cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
		    MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl == NULL && MHD_lookup_connection_value(conn,
		    MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING) != NULL)
			return respond_plain(conn, cs, 411, "a request body needs a "
			    "Content-Length\n");
		if (cl != NULL && length_over(cl, cs->limit)) {
			cs->too_large = true;
			return respond(conn, lc, cs, url, method);
		}
		return MHD_YES;
	}
	if (*size > 0) {
		if (cs->responded) {
			*size = 0;
			return MHD_YES;
		}
		/* Content-Length was checked: more means the peer misbehaves. */
		if (*size > cs->limit - cs->body.len)
			return MHD_NO;
		hcd_buf_add(&cs->body, data, *size);
		*size = 0;
		return cs->body.failed ? MHD_NO : MHD_YES;
	}
	if (cs->responded)
		return MHD_YES;
	return respond(conn, lc, cs, url, method);
}

static void
on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	const struct lctx *lc = cls;
	struct hcd_http *h = lc->h;
	struct conn_state *cs = *con_cls;

	(void)conn;
	(void)toe;
	if (cs == NULL)
		return;
	*con_cls = NULL;
	hcd_holder_release(h->holder, cs->gen);
	hcd_buf_free(&cs->body);
	free(cs);
	pthread_mutex_lock(&h->lock);
	if (--h->inflight == 0)
		pthread_cond_broadcast(&h->idle);
	pthread_mutex_unlock(&h->lock);
}

/*
 * Leaves the request path as sent: /v1/authz/PATH is a route, and a
 * decoded %2F or %2E would hide from the normal-form check what the
 * backend sees.  No endpoint path has an escape in it.
 */
static size_t
no_unescape(void *cls, struct MHD_Connection *conn, char *s)
{
	(void)cls;
	(void)conn;
	return strlen(s);
}

/* libmicrohttpd's own messages, as log lines. */
static void on_mhd_log(void *cls, const char *fmt, va_list ap)
    HCD_PRINTF(2, 0);

static void
on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[512];
	size_t n;

	(void)cls;
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
		msg[--n] = '\0';
	hcd_log(HCD_LOG_WARN, "http", "%s", msg);
}

/* ------------------------------------------------------------------ API */

hcd_http *
hcd_http_start(hcd_holder *holder, const hcd_listener *ls, size_t n,
    unsigned threads, size_t conn_memory, char *err, size_t errlen)
{
	hcd_http *h;

	if (n == 0 || n > HCD_MAX_LISTENERS) {
		(void)snprintf(err, errlen, "1 to %d listening sockets, not %zu",
		    HCD_MAX_LISTENERS, n);
		goto fail_fds;
	}
	if ((h = calloc(1, sizeof(*h))) == NULL) {
		(void)snprintf(err, errlen, "out of memory");
		goto fail_fds;
	}
	h->holder = holder;
	pthread_mutex_init(&h->lock, NULL);
	pthread_cond_init(&h->idle, NULL);
	for (size_t i = 0; i < n; i++) {
		unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC |
		    MHD_USE_ERROR_LOG | MHD_USE_AUTO;
		bool m = ls[i].metrics;

		if (ls[i].family == AF_INET6)
			flags |= MHD_USE_IPv6;
		h->ls[i] = ls[i];
		h->lc[i].h = h;
		h->lc[i].metrics = m;
		/* The logger goes first, or MHD's own one reports the options. */
		h->d[i] = MHD_start_daemon(flags, 0, NULL, NULL, on_request,
		    &h->lc[i],
		    MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL,
		    MHD_OPTION_LISTEN_SOCKET, (MHD_socket)ls[i].fd,
		    MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(threads > 1 && !m ?
		    threads : 0),
		    MHD_OPTION_NOTIFY_COMPLETED, on_completed, &h->lc[i],
		    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)(m ?
		    HCD_METRICS_TIMEOUT_S : HCD_CONN_TIMEOUT_S),
		    MHD_OPTION_CONNECTION_LIMIT, (unsigned)(m ?
		    HCD_METRICS_CONNECTIONS : HCD_MAX_CONNECTIONS),
		    MHD_OPTION_CONNECTION_MEMORY_LIMIT, conn_memory,
		    MHD_OPTION_UNESCAPE_CALLBACK, no_unescape, NULL,
		    MHD_OPTION_END);
		if (h->d[i] == NULL) {
			(void)snprintf(err, errlen, "libmicrohttpd could not serve "
			    "listening socket %zu", i);
			/*
			 * The sockets not handed to MHD yet are still ours; the
			 * one it refused is left alone (whether MHD closed it is
			 * not documented) and goes with the process, which exits.
			 */
			for (size_t j = i + 1; j < n; j++)
				close(ls[j].fd);
			h->n = i;
			hcd_http_stop(h);
			return NULL;
		}
		h->n = i + 1;
	}
	return h;
fail_fds:
	for (size_t i = 0; i < n; i++)
		close(ls[i].fd);
	return NULL;
}

void
hcd_http_quiesce(hcd_http *h)
{
	if (h->quiesced)
		return;
	h->quiesced = true;
	for (size_t i = 0; i < h->n; i++) {
		MHD_socket s = MHD_quiesce_daemon(h->d[i]);
		if (s != MHD_INVALID_SOCKET)
			close(s);
	}
}

unsigned
hcd_http_drain(hcd_http *h, long timeout_ms)
{
	struct timespec until;
	unsigned left;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += timeout_ms / 1000;
	until.tv_nsec += (timeout_ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&h->lock);
	while (h->inflight > 0 &&
	    pthread_cond_timedwait(&h->idle, &h->lock, &until) != ETIMEDOUT)
		;
	left = h->inflight;
	pthread_mutex_unlock(&h->lock);
	return left;
}

void
hcd_http_stop(hcd_http *h)
{
	if (h == NULL)
		return;
	for (size_t i = 0; i < h->n; i++)
		MHD_stop_daemon(h->d[i]);
	pthread_cond_destroy(&h->idle);
	pthread_mutex_destroy(&h->lock);
	free(h);
}
