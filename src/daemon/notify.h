/* SPDX-License-Identifier: Apache-2.0 */
/*
 * notify.h - the systemd readiness protocol (sd_notify(3)), without
 * libsystemd: one datagram per state change to $NOTIFY_SOCKET.
 *
 * hopcheckd runs as Type=notify: READY=1 once every key source has keys
 * (before that a validation would answer `unavailable`), RELOADING=1 and
 * READY=1 around a SIGHUP reload, STOPPING=1 at shutdown, and STATUS=
 * lines a person reads in `systemctl status`.  Without $NOTIFY_SOCKET
 * (not under systemd, or Type=simple) every call is a no-op.
 */
#ifndef HCD_NOTIFY_H
#define HCD_NOTIFY_H

#include "log.h"

/*
 * Reads $NOTIFY_SOCKET once, and unsets it so that no child inherits it.
 * Returns 0, or -1 when it is set but unusable (logged; notifications are
 * then off, and systemd will time the start out, as it should).
 */
int hcd_notify_init(void);

/*
 * Sends `state` ("READY=1", "RELOADING=1", ...) followed by a STATUS=
 * line formatted from fmt (NULL for none).  Failures are logged at debug
 * level and otherwise ignored: readiness is advisory to the supervisor.
 */
void hcd_notify(const char *state, const char *fmt, ...) HCD_PRINTF(2, 3);

/* Closes the socket. */
void hcd_notify_close(void);

#endif /* HCD_NOTIFY_H */
