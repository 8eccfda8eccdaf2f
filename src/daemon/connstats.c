/* SPDX-License-Identifier: Apache-2.0 */
/*
 * connstats.c - connection counters (see connstats.h).
 */
#include <stdatomic.h>
#include <stdint.h>

#include "connstats.h"

static atomic_uint_fast64_t refused, timeouts, client_refused;

void
hcd_connstats_refused(void)
{
	atomic_fetch_add(&refused, 1);
}

void
hcd_connstats_timeout(void)
{
	atomic_fetch_add(&timeouts, 1);
}

void
hcd_connstats_client_refused(void)
{
	atomic_fetch_add(&client_refused, 1);
}

void
hcd_connstats_render(hcd_buf *b)
{
	hcd_buf_printf(b, "# HELP hopcheck_connections_refused_total "
	    "Connections closed at once because the listener was at its "
	    "connection limit.\n"
	    "# TYPE hopcheck_connections_refused_total counter\n"
	    "hopcheck_connections_refused_total %llu\n",
	    (unsigned long long)atomic_load(&refused));
	hcd_buf_printf(b, "# HELP hopcheck_connections_timed_out_total "
	    "Connections cut because their request was not in within "
	    "daemon.header_timeout_ms.\n"
	    "# TYPE hopcheck_connections_timed_out_total counter\n"
	    "hopcheck_connections_timed_out_total %llu\n",
	    (unsigned long long)atomic_load(&timeouts));
	hcd_buf_printf(b, "# HELP hopcheck_tls_clients_refused_total "
	    "Requests refused (403) in network mode because the client "
	    "certificate was missing, not valid or not allowed.\n"
	    "# TYPE hopcheck_tls_clients_refused_total counter\n"
	    "hopcheck_tls_clients_refused_total %llu\n",
	    (unsigned long long)atomic_load(&client_refused));
}
