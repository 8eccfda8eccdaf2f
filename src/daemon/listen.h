/*
 * listen.h - the listening sockets of hopcheckd.
 *
 * hopcheckd trusts headers its front proxy sets (the client certificate,
 * the tenant, the original route), so nothing but that proxy may reach
 * it: TCP on a loopback address only, or a Unix socket whose file
 * permissions say who may connect.
 */
#ifndef HCD_LISTEN_H
#define HCD_LISTEN_H

#include <stddef.h>

#include "http.h"

/*
 * Binds and listens on "HOST:PORT" (HOST 127.x.x.x, [::1] or localhost;
 * every address it resolves to must be loopback).  Returns 0 and the
 * socket in *out, or -1 with a reason in err.
 */
int hcd_listen_tcp(const char *hostport, hcd_listener *out, char *err,
    size_t errlen);

/*
 * Binds and listens on the Unix socket `path`, mode 0660 (the proxy's
 * group may connect).  A stale socket file left by a dead daemon is
 * replaced; a live one, or any other kind of file, is an error.  Returns
 * 0 and the socket in *out, or -1 with a reason in err.
 */
int hcd_listen_unix(const char *path, hcd_listener *out, char *err,
    size_t errlen);

#endif /* HCD_LISTEN_H */
