/* SPDX-License-Identifier: Apache-2.0 */
/*
 * listen.h - the listening sockets of hopcheckd.
 *
 * hopcheckd trusts headers its front proxy sets (the client certificate,
 * the tenant, the original route), so nothing but that proxy may reach
 * it: TCP on a loopback address, a Unix socket whose file permissions say
 * who may connect, or (network mode, daemon.tls) any address where every
 * caller must present a client certificate that http.c verifies.
 */
#ifndef HCD_LISTEN_H
#define HCD_LISTEN_H

#include <stdbool.h>
#include <stddef.h>

#include "http.h"

/*
 * Binds and listens on "HOST:PORT".  Unless `any`, HOST must be
 * 127.x.x.x, [::1] or localhost and every address it resolves to
 * loopback.  `key` names the setting in errors ("daemon.listen").
 * Returns 0 and the socket in *out, or -1 with a reason in err.
 */
int hcd_listen_tcp(const char *hostport, const char *key, bool any,
    hcd_listener *out, char *err, size_t errlen);

/*
 * Binds and listens on the Unix socket `path`, mode 0660 (the proxy's
 * group may connect).  A stale socket file left by a dead daemon is
 * replaced; a live one, or any other kind of file, is an error.  Returns
 * 0 and the socket in *out, or -1 with a reason in err.
 */
int hcd_listen_unix(const char *path, hcd_listener *out, char *err,
    size_t errlen);

#endif /* HCD_LISTEN_H */
