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

typedef struct hcd_http hcd_http;

/* A listening socket to serve. */
typedef struct hcd_listener {
	int fd;                  /* bound and listening */
	int family;              /* AF_INET, AF_INET6, AF_UNIX */
	bool metrics;            /* /metrics, /healthz, /readyz only */
} hcd_listener;

/*
 * Starts serving `n` listeners with `threads` worker threads each, each
 * connection holding at most `conn_memory` bytes of request line and
 * headers.  A metrics listener has a thread and a connection limit of its
 * own, so that probes are answered whatever the other listeners suffer.  Returns the server, or NULL with a reason in err (size
 * errlen); the sockets belong to the server from here on, and are closed
 * when it is stopped or fails to start.
 */
hcd_http *hcd_http_start(hcd_holder *holder, const hcd_listener *ls,
    size_t n, unsigned threads, size_t conn_memory, char *err,
    size_t errlen);

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
