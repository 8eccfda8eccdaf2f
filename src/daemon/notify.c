/* SPDX-License-Identifier: Apache-2.0 */
/*
 * notify.c - sd_notify(3) by hand: the datagram protocol is a few
 * newline-separated VARIABLE=value lines sent to the AF_UNIX datagram
 * socket named by $NOTIFY_SOCKET, a path or, with a leading '@', an
 * abstract socket name.  Debian 12's systemd 252 has no notify-reload, so
 * the unit is Type=notify and reloads go through ExecReload.
 *
 * Only the main thread calls these functions (start, the signal loop,
 * shutdown), so the state below needs no lock.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "notify.h"

static int notify_fd = -1;
static struct sockaddr_un notify_addr;
static socklen_t notify_len;

int
hcd_notify_init(void)
{
	const char *e = getenv("NOTIFY_SOCKET");
	size_t n;

	if (e == NULL || *e == '\0')
		return 0;
	n = strlen(e);
	if ((e[0] != '/' && e[0] != '@') || n >= sizeof(notify_addr.sun_path)) {
		hcd_log(HCD_LOG_ERROR, "start", "NOTIFY_SOCKET is neither an "
		    "absolute path nor an abstract name of at most %zu bytes; "
		    "readiness is not reported",
		    sizeof(notify_addr.sun_path) - 1);
		(void)unsetenv("NOTIFY_SOCKET");
		return -1;
	}
	memset(&notify_addr, 0, sizeof(notify_addr));
	notify_addr.sun_family = AF_UNIX;
	memcpy(notify_addr.sun_path, e, n);
	if (e[0] == '@')
		notify_addr.sun_path[0] = '\0';
	notify_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n +
	    (e[0] == '@' ? 0 : 1));
	(void)unsetenv("NOTIFY_SOCKET");
	notify_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (notify_fd < 0) {
		hcd_log(HCD_LOG_ERROR, "start", "NOTIFY_SOCKET: socket: %s; "
		    "readiness is not reported", strerror(errno));
		return -1;
	}
	return 0;
}

void
hcd_notify(const char *state, const char *fmt, ...)
{
	char msg[512];
	int n;
	va_list ap;

	if (notify_fd < 0)
		return;
	n = snprintf(msg, sizeof(msg), "%s\n", state);
	if (n < 0 || (size_t)n >= sizeof(msg))
		return;
	if (fmt != NULL) {
		size_t used = (size_t)n;
		int m = snprintf(msg + used, sizeof(msg) - used, "STATUS=");
		va_start(ap, fmt);
		if (m > 0)
			(void)vsnprintf(msg + used + (size_t)m,
			    sizeof(msg) - used - (size_t)m, fmt, ap);
		va_end(ap);
		/* A status is one line. */
		for (char *p = msg + used; *p != '\0'; p++)
			if (*p == '\n')
				*p = ' ';
		n = (int)strlen(msg);
	}
	if (sendto(notify_fd, msg, (size_t)n, MSG_NOSIGNAL,
	    (const struct sockaddr *)&notify_addr, notify_len) < 0)
		hcd_log(HCD_LOG_DEBUG, "notify", "NOTIFY_SOCKET: %s",
		    strerror(errno));
}

void
hcd_notify_close(void)
{
	if (notify_fd >= 0)
		(void)close(notify_fd);
	notify_fd = -1;
}
