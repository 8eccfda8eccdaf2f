/* SPDX-License-Identifier: Apache-2.0 */
/*
 * listen.c - binding hopcheckd's TCP and Unix sockets.
 *
 * A TCP address is held to loopback unless the caller says otherwise:
 * the main listener in network mode (daemon.tls) and the metrics
 * listener may bind any address.
 */
#include <errno.h>
#include <netdb.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "listen.h"
#include "url.h"

#define HCD_LISTEN_BACKLOG 128
#define HCD_HOST_MAX 256

/*
 * Whether a resolved address is loopback, by the one rule of url.h applied
 * to its numeric form: inet_ntop() writes 127.0.0.0/8 as a dotted quad and
 * the IPv6 loopback as "::1".  A hosts file that sends "localhost" to
 * another address, or to an IPv4-mapped one, is refused here.
 */
static bool
is_loopback(const struct sockaddr *sa)
{
	const struct sockaddr_in *in = (const void *)sa;
	const struct sockaddr_in6 *in6 = (const void *)sa;
	char text[INET6_ADDRSTRLEN];
	const void *addr;

	if (sa->sa_family == AF_INET)
		addr = &in->sin_addr;
	else if (sa->sa_family == AF_INET6)
		addr = &in6->sin6_addr;
	else
		return false;
	if (inet_ntop(sa->sa_family, addr, text, sizeof(text)) == NULL)
		return false;
	return hc_host_is_loopback(text, strlen(text));
}

/*
 * Binds and listens on "HOST:PORT".  Unless `any`, the host must be a
 * loopback host as written (url.h), and every address it resolves to must
 * be loopback too.  `key` names the setting in errors.
 */
int
hcd_listen_tcp(const char *hostport, const char *key, bool any,
    hcd_listener *out, char *err, size_t errlen)
{
	struct addrinfo hints, *res = NULL, *ai;
	char host[HCD_HOST_MAX], port[8];
	hc_hostport hp;
	int fd = -1, rc, one = 1, saved = 0;

	if (!hc_hostport_split(hostport, strlen(hostport), &hp) ||
	    !hp.has_port) {
		(void)snprintf(err, errlen, "%s is not HOST:PORT", key);
		return -1;
	}
	if (hp.hlen >= sizeof(host)) {
		(void)snprintf(err, errlen, "%s has no usable host", key);
		return -1;
	}
	if (!any && !hc_hostport_is_loopback(&hp)) {
		(void)snprintf(err, errlen, "%s %s is not a "
		    "loopback host (127.x.x.x, [::1], localhost)", key, hostport);
		return -1;
	}
	memcpy(host, hp.host, hp.hlen);
	host[hp.hlen] = '\0';
	(void)snprintf(port, sizeof(port), "%u", hp.port);
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	if ((rc = getaddrinfo(host, port, &hints, &res)) != 0) {
		(void)snprintf(err, errlen, "%s %s: %s", key, hostport,
		    gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		if (!any && !is_loopback(ai->ai_addr)) {
			(void)snprintf(err, errlen, "%s %s resolves to an "
			    "address that is not loopback", key, hostport);
			freeaddrinfo(res);
			return -1;
		}
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
		    ai->ai_protocol);
		if (fd < 0) {
			saved = errno;
			continue;
		}
		(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (ai->ai_family == AF_INET6)
			(void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one,
			    sizeof(one));
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 &&
		    listen(fd, HCD_LISTEN_BACKLOG) == 0) {
			memset(out, 0, sizeof(*out));
			out->fd = fd;
			out->family = ai->ai_family;
			freeaddrinfo(res);
			return 0;
		}
		saved = errno;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	(void)snprintf(err, errlen, "cannot listen on %s: %s", hostport,
	    strerror(saved ? saved : EADDRNOTAVAIL));
	return -1;
}

/* True when something accepts connections on the Unix socket `sun`. */
static bool
socket_alive(const struct sockaddr_un *sun)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	bool alive;

	if (fd < 0)
		return false;
	alive = connect(fd, (const struct sockaddr *)(const void *)sun,
	    sizeof(*sun)) == 0;
	close(fd);
	return alive;
}

int
hcd_listen_unix(const char *path, hcd_listener *out, char *err,
    size_t errlen)
{
	struct sockaddr_un sun;
	struct stat st;
	int fd, saved;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		(void)snprintf(err, errlen, "daemon.unix_socket is too long");
		return -1;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			(void)snprintf(err, errlen, "%s exists and is not a socket",
			    path);
			return -1;
		}
		if (socket_alive(&sun)) {
			(void)snprintf(err, errlen, "%s is in use by a running "
			    "server", path);
			return -1;
		}
		(void)unlink(path);
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) {
		saved = errno;
		goto fail;
	}
	if (bind(fd, (struct sockaddr *)(void *)&sun, sizeof(sun)) != 0) {
		saved = errno;
		close(fd);
		goto fail;
	}
	if (chmod(path, 0660) != 0 || listen(fd, HCD_LISTEN_BACKLOG) != 0) {
		saved = errno;
		close(fd);
		(void)unlink(path);
		goto fail;
	}
	memset(out, 0, sizeof(*out));
	out->fd = fd;
	out->family = AF_UNIX;
	return 0;
fail:
	(void)snprintf(err, errlen, "cannot listen on %s: %s", path,
	    strerror(saved));
	return -1;
}
