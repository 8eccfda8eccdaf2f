/* SPDX-License-Identifier: Apache-2.0 */
/*
 * connstats.h - counters of what happened to connections, as opposed to
 * requests: refused at the limit, cut at their deadline, refused for
 * their client certificate.  Lock-free, for the life of the process;
 * metrics.c renders them on /metrics.
 */
#ifndef HCD_CONNSTATS_H
#define HCD_CONNSTATS_H

#include "buf.h"

/* A connection closed at once: over the connection limit. */
void hcd_connstats_refused(void);
/* A connection cut: its request was not in by daemon.header_timeout_ms. */
void hcd_connstats_timeout(void);
/* A request answered 403 in network mode: its client certificate. */
void hcd_connstats_client_refused(void);

/* Appends the three families, Prometheus text format 0.0.4. */
void hcd_connstats_render(hcd_buf *b);

#endif /* HCD_CONNSTATS_H */
