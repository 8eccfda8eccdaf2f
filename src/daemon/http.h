/* SPDX-License-Identifier: Apache-2.0 */
/*
 * http.h - hopcheckd's HTTP server (libmicrohttpd, fenced into http.c).
 *
 * The server takes listening sockets that hopcheckd.c has already bound
 * (loopback TCP, a Unix socket), serves each with a pool of worker
 * threads, and hands every request, once its body is in, to
 * hcd_handle() (endpoints.h) together with a reference to the validator
 * generation in use when the request arrived.
 */
#ifndef HCD_HTTP_H
#define HCD_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include "holder.h"
#include "tls.h"

typedef struct hcd_http hcd_http;

/* A listening socket to serve. */
typedef struct hcd_listener {
	int fd;                  /* bound and listening */
	int family;              /* AF_INET, AF_INET6, AF_UNIX */
	bool metrics;            /* /metrics, /healthz, /readyz only */
	bool tls;                /* network mode: HTTPS, client certificates */
} hcd_listener;

/* How the listeners are served. */
typedef struct hcd_http_opts {
	unsigned threads;        /* worker threads per listener (not metrics) */
	size_t conn_memory;      /* request line and headers, per connection */
	hcd_tls *tls;            /* the credentials of the tls listeners */
	unsigned max_per_client; /* connections per IP on tls listeners; 0: any */
} hcd_http_opts;

/*
 * Starts serving `n` listeners as `o` says.  A metrics listener has a
 * thread and a connection limit of its own, so that probes are answered
 * whatever the other listeners suffer.  The other listeners share what
 * the file limit (RLIMIT_NOFILE, whose soft value is raised as far as the
 * hard one allows) leaves after a reserve for key fetches, Redis, logs
 * and the threads' own descriptors; a connection over a listener's limit
 * is closed at once and counted.  Every connection must have its request
 * in within daemon.header_timeout_ms of the generation in use when it was
 * accepted (watchdog.h).  A tls listener answers 403 to a request whose
 * client certificate is missing, not valid under the client CA or not in
 * daemon.tls.allowed_clients, before any endpoint sees it.  Returns the
 * server, or NULL with a reason in err (size errlen); the sockets belong
 * to the server from here on, and are closed when it is stopped or fails
 * to start.
 */
hcd_http *hcd_http_start(hcd_holder *holder, const hcd_listener *ls,
    size_t n, const hcd_http_opts *o, char *err, size_t errlen);

/* Stops accepting connections and closes the listening sockets. */
void hcd_http_quiesce(hcd_http *h);

/*
 * Waits until no request is in progress, at most timeout_ms
 * milliseconds.  Returns the number still in progress (0: drained).
 */
unsigned hcd_http_drain(hcd_http *h, long timeout_ms);

/* Closes every connection, joins the threads and frees the server. */
void hcd_http_stop(hcd_http *h);

#endif /* HCD_HTTP_H */
