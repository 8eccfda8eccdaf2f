/* SPDX-License-Identifier: Apache-2.0 */
/*
 * watchdog.h - deadlines on connections that are slow to send a request.
 *
 * A slow client (slowloris) sends its request head a byte at a time, each
 * byte just inside the idle timeout, and holds a connection for as long
 * as it likes; enough of them hold every connection the server has.  The
 * watchdog gives each connection a deadline by which its request must be
 * in, and a thread of its own shuts down (shutdown(2), SHUT_RDWR) the
 * socket of any connection past it; libmicrohttpd then sees the end of
 * the stream and closes the connection itself.
 *
 * http.c owns the entries (one per connection, inside its own record)
 * and says when a deadline starts and stops.  An entry is removed before
 * its socket is closed, under the same lock as the scan, so the watchdog
 * never shuts down a descriptor that has been closed and reused.
 */
#ifndef HCD_WATCHDOG_H
#define HCD_WATCHDOG_H

#include <stdbool.h>
#include <stddef.h>

typedef struct hcd_watchdog hcd_watchdog;

/* One watched connection; the fields are the watchdog's. */
typedef struct hcd_wd_entry {
	int fd;
	double deadline;              /* monotonic seconds; 0: none */
	bool cut;                     /* shut down already */
	struct hcd_wd_entry *prev, *next;
} hcd_wd_entry;

/*
 * Starts the watchdog thread; it looks at the deadlines every
 * HCD_WD_TICK_MS.  Returns NULL with the reason in err.
 */
hcd_watchdog *hcd_watchdog_start(char *err, size_t errlen);

/* Watches socket `fd` with a deadline `after_ms` from now (0: none). */
void hcd_watchdog_add(hcd_watchdog *w, hcd_wd_entry *e, int fd,
    long after_ms);

/* Moves the deadline to `after_ms` from now, or removes it (0). */
void hcd_watchdog_set(hcd_watchdog *w, hcd_wd_entry *e, long after_ms);

/* Stops watching; from its return the socket may be closed. */
void hcd_watchdog_remove(hcd_watchdog *w, hcd_wd_entry *e);

/* Stops the thread and frees the watchdog; NULL is a no-op. */
void hcd_watchdog_stop(hcd_watchdog *w);

#endif /* HCD_WATCHDOG_H */
