/* SPDX-License-Identifier: Apache-2.0 */
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
 *
 * A connection's life, around its requests (NOTIFY_CONNECTION):
 *
 *  - accept: a listener at its connection limit closes it at once (the
 *    accept policy callback, counted), because libmicrohttpd at its own
 *    limit stops accepting instead, and every new caller would wait in
 *    the backlog behind the connections that hold the slots;
 *  - started: a record (the socket context) that binds the TLS
 *    credentials in use (tls.h) and puts the socket under the watchdog
 *    (watchdog.h) with the deadline daemon.header_timeout_ms;
 *  - each request's answer lifts the deadline; its completion sets one
 *    for the next request (the idle timeout), and the next request line
 *    (URI_LOG_CALLBACK) restarts the head deadline;
 *  - closed: libmicrohttpd reports it before it closes the socket, so the
 *    watchdog lets go of the descriptor before it can be reused.
 *
 * On a tls listener the first call of every request checks the client
 * certificate (step 0): a request from a client that is missing, not
 * verified or not allowed is answered 403 and no endpoint sees it.
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
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "buf.h"
#include "connstats.h"
#include "endpoints.h"
#include "http.h"
#include "log.h"
#include "settings.h"
#include "watchdog.h"

/* Bounds of the HTTP server. */
#define HCD_MAX_LISTENERS     3         /* TCP, a Unix socket, metrics */
#define HCD_CONN_TIMEOUT_S    30        /* an idle connection is closed */
#define HCD_MAX_CONNECTIONS   1024      /* per listener, at most */
#define HCD_MIN_CONNECTIONS   16        /* below this, refuse to start */
#define HCD_METRICS_CONNECTIONS 32      /* the metrics listener's own */
#define HCD_METRICS_TIMEOUT_S 10
/*
 * Descriptors kept out of the connection limits: standard streams, key
 * fetches, the Redis pool, files read at reload, the notify socket; each
 * MHD daemon adds its listening socket and an epoll and an eventfd per
 * thread (HCD_FDS_PER_THREAD).
 */
#define HCD_FD_RESERVE        64
#define HCD_FDS_PER_THREAD    2
/* TLS versions: 1.2 and 1.3 only. */
#define HCD_TLS_PRIORITIES    "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2"

struct hcd_http;

/* What one MHD daemon serves (its callbacks' cls). */
struct lctx {
	struct hcd_http *h;
	bool metrics;            /* probes and /metrics only */
	bool tls;                /* client certificates checked */
	unsigned limit;          /* connections; more are closed at once */
	atomic_uint live;        /* connections between started and closed */
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
	hcd_tls *tls;            /* borrowed; NULL without tls listeners */
	hcd_watchdog *wd;
};

/* One connection (MHD's socket context), from started to closed. */
struct conn_rec {
	hcd_wd_entry wd;         /* under the watchdog */
	long head_ms;            /* daemon.header_timeout_ms at accept */
	bool idle;               /* between a response and the next request */
	hcd_tls_creds *creds;    /* bound for the connection's handshake */
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

/* --------------------------------------------------------- connections */

static struct conn_rec *
conn_rec_of(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn,
	    MHD_CONNECTION_INFO_SOCKET_CONTEXT);

	return ci != NULL ? ci->socket_context : NULL;
}

/* The request is in (head and body): its deadline is lifted. */
static void
request_in(struct hcd_http *h, struct MHD_Connection *conn)
{
	struct conn_rec *rec = conn_rec_of(conn);

	if (rec != NULL)
		hcd_watchdog_set(h->wd, &rec->wd, 0);
}

/* daemon.header_timeout_ms of the generation in use. */
static long
head_timeout(struct hcd_http *h)
{
	hcd_gen *g = hcd_holder_acquire(h->holder);
	hcd_settings set;

	hcd_settings_of(hcd_gen_validator(g), &set);
	hcd_holder_release(h->holder, g);
	return set.header_timeout_ms;
}

static void
on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
    enum MHD_ConnectionNotificationCode toe)
{
	struct lctx *lc = cls;
	struct hcd_http *h = lc->h;
	struct conn_rec *rec = *socket_context;
	const union MHD_ConnectionInfo *ci;
	void *session = NULL;

	if (toe == MHD_CONNECTION_NOTIFY_CLOSED) {
		if (rec != NULL) {
			hcd_watchdog_remove(h->wd, &rec->wd);
			hcd_tls_session_close(h->tls, rec->creds);
			free(rec);
			*socket_context = NULL;
		}
		atomic_fetch_sub(&lc->live, 1);
		return;
	}
	atomic_fetch_add(&lc->live, 1);
	rec = calloc(1, sizeof(*rec));
	if (lc->tls && (ci = MHD_get_connection_info(conn,
	    MHD_CONNECTION_INFO_GNUTLS_SESSION)) != NULL)
		session = ci->tls_session;
	/* Without a record the session is bound to nothing: no handshake. */
	if (session != NULL) {
		if (rec != NULL)
			rec->creds = hcd_tls_session_open(h->tls, session);
		else
			(void)hcd_tls_session_open(NULL, session);
	}
	if (rec == NULL)
		return;
	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
	rec->head_ms = head_timeout(h);
	hcd_watchdog_add(h->wd, &rec->wd, ci != NULL ? (int)ci->connect_fd :
	    -1, rec->head_ms);
	*socket_context = rec;
}

/*
 * The request line of a request is in.  After an idle spell on a kept-
 * alive connection, the head deadline starts again from here; the first
 * request's deadline runs from the accept.  Returns NULL: the value
 * becomes con_cls, which on_request() sets itself.
 */
static void *
on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct lctx *lc = cls;
	struct conn_rec *rec = conn_rec_of(conn);

	(void)uri;
	if (rec != NULL && rec->idle) {
		rec->idle = false;
		hcd_watchdog_set(lc->h->wd, &rec->wd, rec->head_ms);
	}
	return NULL;
}

/* A listener at its limit closes a new connection at once. */
static enum MHD_Result
on_accept(void *cls, const struct sockaddr *addr, socklen_t addrlen)
{
	struct lctx *lc = cls;

	(void)addr;
	(void)addrlen;
	if (atomic_load(&lc->live) >= lc->limit) {
		hcd_connstats_refused();
		return MHD_NO;
	}
	return MHD_YES;
}

/* The client's address as text, for the log. */
static void
peer_address(struct MHD_Connection *conn, char *out, size_t len)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn,
	    MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci != NULL ? ci->client_addr : NULL;

	(void)snprintf(out, len, "?");
	if (sa == NULL)
		return;
	if (sa->sa_family == AF_INET)
		(void)inet_ntop(AF_INET, &((const struct sockaddr_in *)
		    (const void *)sa)->sin_addr, out, (socklen_t)len);
	else if (sa->sa_family == AF_INET6)
		(void)inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)
		    (const void *)sa)->sin6_addr, out, (socklen_t)len);
}

/*
 * Network mode: NULL when the client certificate verifies under the
 * current client CA and one of its URI or DNS SANs is an allowed client
 * of generation `v`; else the reason for the 403 (static), logged with
 * the detail and the client's SANs.
 */
static const char *
client_refusal(struct hcd_http *h, struct MHD_Connection *conn,
    const hc_validator *v)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn,
	    MHD_CONNECTION_INFO_GNUTLS_SESSION);
	hcd_tls_peer *peer;
	hcd_settings set;
	hcd_buf sans = { 0 };
	const char *why = NULL;
	char addr[INET6_ADDRSTRLEN + 1];

	if ((peer = malloc(sizeof(*peer))) == NULL)
		return "out of memory";
	if (ci == NULL || ci->tls_session == NULL) {
		memset(peer, 0, sizeof(*peer));
		(void)snprintf(peer->reason, sizeof(peer->reason), "no TLS "
		    "session");
	} else {
		hcd_tls_peer_check(h->tls, ci->tls_session, peer);
	}
	if (!peer->verified) {
		why = peer->nsans == 0 && strcmp(peer->reason,
		    "no client certificate") == 0 ? "no client certificate" :
		    "the client certificate is not valid";
	} else {
		hcd_settings_of(v, &set);
		why = "the client is not in daemon.tls.allowed_clients";
		for (size_t i = 0; i < peer->nsans && why != NULL; i++)
			if (hcd_settings_client_allowed(&set,
			    peer->san[i].value))
				why = NULL;
	}
	if (why != NULL) {
		for (size_t i = 0; i < peer->nsans; i++) {
			hcd_buf_printf(&sans, "%s%s:%s", i > 0 ? "," : "",
			    peer->san[i].uri ? "URI" : "DNS",
			    peer->san[i].value);
		}
		peer_address(conn, addr, sizeof(addr));
		hcd_log_fields(HCD_LOG_WARN, "tls", "client refused", "reason",
		    why, "detail", peer->verified ? NULL : peer->reason,
		    "client_sans", sans.p != NULL ? sans.p : "", "address", addr,
		    (const char *)NULL);
		hcd_connstats_client_refused();
		hcd_buf_free(&sans);
	}
	free(peer);
	return why;
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

	request_in(lc->h, conn);
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
 * A fixed answer that does not go through the endpoints, given before the
 * body is read: the connection is closed after it, since where the unread
 * body ends is not known (or not agreed).  `body` is static, or heap text
 * that this call frees.  Answers at most once.
 */
static enum MHD_Result
respond_fixed(struct hcd_http *h, struct MHD_Connection *conn,
    struct conn_state *cs, unsigned code, const char *content_type,
    char *body, bool heap)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;

	if (cs->responded) {
		if (heap)
			free(body);
		return MHD_YES;
	}
	cs->responded = true;
	request_in(h, conn);
	resp = MHD_create_response_from_buffer(strlen(body), body, heap ?
	    MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
	if (resp == NULL) {
		if (heap)
			free(body);
		return MHD_NO;
	}
	(void)MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
	    content_type);
	(void)MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION,
	    "close");
	ret = MHD_queue_response(conn, code, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* A plain-text answer of respond_fixed(). */
static enum MHD_Result
respond_plain(struct hcd_http *h, struct MHD_Connection *conn,
    struct conn_state *cs, unsigned code, const char *text)
{
	return respond_fixed(h, conn, cs, code, "text/plain; charset=utf-8",
	    (char *)(uintptr_t)text, false);
}

/* Network mode: 403 with an RFC 9457 problem body saying why. */
static enum MHD_Result
respond_client_refused(struct hcd_http *h, struct MHD_Connection *conn,
    struct conn_state *cs, const char *why)
{
	hcd_buf b = { 0 };
	char *body;
	size_t len;

	hcd_buf_puts(&b, "{\"type\":\"about:blank\",\"title\":"
	    "\"client_certificate\",\"status\":403,\"detail\":");
	hcd_buf_json_string(&b, why);
	hcd_buf_puts(&b, "}\n");
	if ((body = hcd_buf_take(&b, &len)) == NULL)
		return MHD_NO;
	return respond_fixed(h, conn, cs, 403, "application/problem+json", body,
	    true);
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
		if (lc->tls && (why = client_refusal(h, conn,
		    hcd_gen_validator(cs->gen))) != NULL)
			return respond_client_refused(h, conn, cs, why);
		if ((why = framing_error(conn)) != NULL)
			return respond_plain(h, conn, cs, 400, why);
		cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
		    MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl == NULL && MHD_lookup_connection_value(conn,
		    MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING) != NULL)
			return respond_plain(h, conn, cs, 411, "a request body needs a "
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
	struct conn_rec *rec = conn_rec_of(conn);

	(void)toe;
	/* Kept alive, the next request must start within the idle timeout. */
	if (rec != NULL) {
		rec->idle = true;
		hcd_watchdog_set(h->wd, &rec->wd, 1000L * (lc->metrics ?
		    HCD_METRICS_TIMEOUT_S : HCD_CONN_TIMEOUT_S));
	}
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

/*
 * The connection limit of each listener that is not a metrics listener,
 * from the file limit; raises the soft limit toward what the listeners
 * could use, within the hard limit.  Returns 0, or -1 with the reason.
 */
static int
connection_limit(const hcd_listener *ls, size_t n, unsigned threads,
    unsigned *out, char *err, size_t errlen)
{
	rlim_t need, reserve, avail;
	struct rlimit rl;
	size_t nmain = 0, nmetrics = 0;

	for (size_t i = 0; i < n; i++) {
		if (ls[i].metrics)
			nmetrics++;
		else
			nmain++;
	}
	*out = HCD_MAX_CONNECTIONS;
	if (nmain == 0)
		return 0;
	reserve = HCD_FD_RESERVE + (rlim_t)n * (1 + HCD_FDS_PER_THREAD *
	    (rlim_t)(threads + 1)) + (rlim_t)nmetrics * HCD_METRICS_CONNECTIONS;
	need = reserve + (rlim_t)nmain * HCD_MAX_CONNECTIONS;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0) {
		(void)snprintf(err, errlen, "getrlimit(RLIMIT_NOFILE): %s",
		    strerror(errno));
		return -1;
	}
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < need &&
	    rl.rlim_max != rl.rlim_cur) {
		rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > need ?
		    need : rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
		(void)getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= need)
		return 0;
	avail = rl.rlim_cur > reserve ? (rl.rlim_cur - reserve) / nmain : 0;
	if (avail < HCD_MIN_CONNECTIONS) {
		(void)snprintf(err, errlen, "the file limit (RLIMIT_NOFILE, "
		    "ulimit -n) of %llu leaves %llu connections per listener "
		    "after %llu reserved descriptors; at least %d are needed",
		    (unsigned long long)rl.rlim_cur, (unsigned long long)avail,
		    (unsigned long long)reserve, HCD_MIN_CONNECTIONS);
		return -1;
	}
	*out = (unsigned)avail;
	return 0;
}

hcd_http *
hcd_http_start(hcd_holder *holder, const hcd_listener *ls, size_t n,
    const hcd_http_opts *o, char *err, size_t errlen)
{
	hcd_http *h;
	unsigned limit;

	if (n == 0 || n > HCD_MAX_LISTENERS) {
		(void)snprintf(err, errlen, "1 to %d listening sockets, not %zu",
		    HCD_MAX_LISTENERS, n);
		goto fail_fds;
	}
	if (connection_limit(ls, n, o->threads, &limit, err, errlen) != 0)
		goto fail_fds;
	if ((h = calloc(1, sizeof(*h))) == NULL) {
		(void)snprintf(err, errlen, "out of memory");
		goto fail_fds;
	}
	if ((h->wd = hcd_watchdog_start(err, errlen)) == NULL) {
		free(h);
		goto fail_fds;
	}
	h->holder = holder;
	h->tls = o->tls;
	pthread_mutex_init(&h->lock, NULL);
	pthread_cond_init(&h->idle, NULL);
	for (size_t i = 0; i < n; i++) {
		unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC |
		    MHD_USE_ERROR_LOG | MHD_USE_AUTO;
		bool m = ls[i].metrics, tls = ls[i].tls && o->tls != NULL;
		unsigned threads = o->threads > 1 && !m ? o->threads : 0;
		unsigned lim = m ? HCD_METRICS_CONNECTIONS : limit;
		struct MHD_OptionItem tls_opts[] = {
			{ MHD_OPTION_HTTPS_CERT_CALLBACK, 0,
			  (void *)hcd_tls_cert_callback() },
			{ MHD_OPTION_HTTPS_MEM_TRUST, 0,
			  tls ? (void *)(uintptr_t)hcd_tls_trust_pem(o->tls) : NULL },
			{ MHD_OPTION_HTTPS_PRIORITIES, 0,
			  (void *)(uintptr_t)HCD_TLS_PRIORITIES },
			{ MHD_OPTION_PER_IP_CONNECTION_LIMIT,
			  (intptr_t)o->max_per_client, NULL },
			{ MHD_OPTION_END, 0, NULL }
		};

		if (ls[i].tls && o->tls == NULL) {
			(void)snprintf(err, errlen, "listening socket %zu is for "
			    "TLS, and there are no credentials", i);
			for (size_t j = i; j < n; j++)
				close(ls[j].fd);
			h->n = i;
			hcd_http_stop(h);
			return NULL;
		}
		if (ls[i].family == AF_INET6)
			flags |= MHD_USE_IPv6;
		if (tls)
			flags |= MHD_USE_TLS;
		h->ls[i] = ls[i];
		h->lc[i].h = h;
		h->lc[i].metrics = m;
		h->lc[i].tls = tls;
		h->lc[i].limit = lim;
		atomic_init(&h->lc[i].live, 0);
		/*
		 * The logger goes first, or MHD's own one reports the options.
		 * MHD's connection limit is a little above ours, so that our
		 * accept policy closes (and counts) the excess instead of MHD
		 * leaving it in the backlog; MHD shares it among the threads.
		 */
		h->d[i] = MHD_start_daemon(flags, 0, m ? NULL : on_accept,
		    &h->lc[i], on_request, &h->lc[i],
		    MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL,
		    MHD_OPTION_LISTEN_SOCKET, (MHD_socket)ls[i].fd,
		    MHD_OPTION_THREAD_POOL_SIZE, threads,
		    MHD_OPTION_NOTIFY_COMPLETED, on_completed, &h->lc[i],
		    MHD_OPTION_NOTIFY_CONNECTION, on_connection, &h->lc[i],
		    MHD_OPTION_URI_LOG_CALLBACK, on_uri, &h->lc[i],
		    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)(m ?
		    HCD_METRICS_TIMEOUT_S : HCD_CONN_TIMEOUT_S),
		    MHD_OPTION_CONNECTION_LIMIT, lim + 2 * (threads + 1),
		    MHD_OPTION_CONNECTION_MEMORY_LIMIT, o->conn_memory,
		    MHD_OPTION_UNESCAPE_CALLBACK, no_unescape, NULL,
		    MHD_OPTION_ARRAY, tls ? tls_opts : &tls_opts[4],
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
		if (!m)
			hcd_log(HCD_LOG_INFO, "start", "listening socket %zu: at "
			    "most %u connections%s", i, lim, tls ?
			    ", TLS with client certificates" : "");
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
	hcd_watchdog_stop(h->wd);
	pthread_cond_destroy(&h->idle);
	pthread_mutex_destroy(&h->lock);
	free(h);
}
