/* SPDX-License-Identifier: Apache-2.0 */
/*
 * config_daemon.c - the `daemon` section of the configuration.
 *
 * Only hopcheckd reads these settings, but they are parsed with the rest of
 * the file, so that `hopcheckd -t` and `hopcheck check-config` report their
 * problems like any other, and a reload takes them whole or not at all.
 *
 * The one rule that ties members together here is the network rule:
 * hopcheckd believes what its caller says in headers (the peer certificate,
 * XFCC, the tenant), so a `listen` address that is not loopback is an error
 * unless `tls` is set, which makes every caller prove who it is with a
 * client certificate that hopcheckd verifies itself.  `metrics_listen`
 * serves nothing a caller could abuse (counters and probes) and may bind
 * any address.  Files are only resolved here; hopcheckd reads them.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>

#include "config_read.h"
#include "policy.h"
#include "url.h"

/* Schema bounds and defaults (conf/schema.md lists the same numbers). */
#define CFG_DEFAULT_THREADS      4
#define CFG_MAX_THREADS          64
#define CFG_DEFAULT_LOG_LEVEL    2             /* info */
#define CFG_DEFAULT_HEADER_MS    5000
#define CFG_MIN_HEADER_MS        100
#define CFG_MAX_HEADER_MS        60000
#define CFG_DEFAULT_PER_CLIENT   64            /* network mode */
#define CFG_MAX_PER_CLIENT       1024
#define CFG_MAX_ALLOWED_CLIENTS  256

const char *const hc_cfg_daemon_keys[] = {
	"listen", "unix_socket", "peer_cert_header", "xfcc",
	"tenant_header", "threads", "log_level", "tls", "metrics_listen",
	"header_timeout_ms", "max_connections_per_client",
	"allow_request_time", NULL
};

static const char *const tls_keys[] = {
	"cert_file", "key_file", "client_ca_file", "allowed_clients", NULL
};

static char
to_lower(char ch)
{
	return ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
}

/* "HOST:PORT" with a port in 1..65535; the host is checked elsewhere. */
static bool
check_hostport(struct cfg *c, const char *s, const void *arg)
{
	char q[CFG_QUOTE_MAX];
	hc_hostport hp;

	(void)arg;
	if (!hc_hostport_split(s, strlen(s), &hp) || !hp.has_port) {
		hc_cfg_error(c, "expected HOST:PORT with a port in 1..65535,"
		    " got %s", hc_quote(q, sizeof(q), s));
		return false;
	}
	return true;
}

/*
 * An allowed client: a Workload Identifier (a URI, such as a SPIFFE ID) or a
 * DNS name, compared exactly with the client certificate's URI and DNS
 * SANs, or a prefix of one followed by `*`.
 */
static bool
check_client(struct cfg *c, const char *s, const void *arg)
{
	char q[CFG_QUOTE_MAX];

	if (!hc_cfg_check_pattern(c, s, arg))
		return false;
	for (const char *t = s; *t != '\0'; t++) {
		unsigned char ch = (unsigned char)*t;
		if (ch <= 0x20 || ch >= 0x7f) {
			hc_cfg_error(c, "a URI or DNS name has no space or"
			    " non-ASCII byte, got %s", hc_quote(q, sizeof(q), s));
			return false;
		}
	}
	return true;
}

/*
 * Reads an HTTP field name member into *out in lower case: field names are
 * case-insensitive (RFC 9110 section 5.1), and one stored form spares every
 * lookup a case-insensitive compare.
 */
static void
read_header_name(struct cfg *c, const hc_json *j, const char *name,
    char **out)
{
	if (hc_cfg_str(c, j, name, false, hc_cfg_check_header, NULL, out) == 1)
		for (char *u = *out; *u != '\0'; u++)
			*u = to_lower(*u);
}

/* daemon.tls: every member is required, and allowed_clients not empty. */
static void
read_tls(struct cfg *c, const hc_json *j)
{
	hc_daemon_tls_policy *t = &c->p->daemon.tls;
	static const char *const files[] = {
		"cert_file", "key_file", "client_ca_file", NULL
	};
	char **dest[] = { &t->cert_file, &t->key_file, &t->client_ca_file };
	size_t saved;

	c->p->daemon.has_tls = true;
	for (size_t i = 0; files[i] != NULL; i++) {
		if (hc_cfg_file(c, j, files[i], dest[i]) == 0) {
			saved = hc_cfg_path_key(c, files[i]);
			hc_cfg_error(c, "required key is missing");
			hc_cfg_path_pop(c, saved);
		}
	}
	if (hc_cfg_strlist(c, j, "allowed_clients", false, check_client, NULL,
	    &t->allowed_clients) == 0) {
		saved = hc_cfg_path_key(c, "allowed_clients");
		hc_cfg_error(c, "required key is missing (the URI or DNS"
		    " names of the clients that may call hopcheckd)");
		hc_cfg_path_pop(c, saved);
	} else if (t->allowed_clients.n > CFG_MAX_ALLOWED_CLIENTS) {
		saved = hc_cfg_path_key(c, "allowed_clients");
		hc_cfg_error(c, "at most %d entries", CFG_MAX_ALLOWED_CLIENTS);
		hc_cfg_path_pop(c, saved);
	}
}

/*
 * daemon: the settings only hopcheckd reads.  unix_socket is measured after
 * resolution against base_dir, because it is the resolved path that must fit
 * in sun_path.  `listen` is held to loopback once tls is known.
 */
void
hc_cfg_read_daemon(struct cfg *c, const hc_json *j)
{
	static const char *const levels[] = {
		"error", "warn", "info", "debug", NULL
	};
	static const int level_values[] = { 0, 1, 2, 3 };
	hc_daemon_policy *d = &c->p->daemon;
	struct sockaddr_un sa;
	int64_t threads = d->threads, per = 0;
	char q[CFG_QUOTE_MAX];
	hc_hostport hp;
	size_t saved;
	int rc;

	rc = hc_cfg_str(c, j, "listen", false, check_hostport, NULL,
	    &d->listen);
	if (hc_cfg_file(c, j, "unix_socket", &d->unix_socket) == 1 &&
	    strlen(d->unix_socket) >= sizeof(sa.sun_path)) {
		saved = hc_cfg_path_key(c, "unix_socket");
		hc_cfg_error(c, "the resolved path is %zu bytes; a socket"
		    " address holds at most %zu", strlen(d->unix_socket),
		    sizeof(sa.sun_path) - 1);
		hc_cfg_path_pop(c, saved);
	}
	read_header_name(c, j, "peer_cert_header", &d->peer_cert_header);
	(void)hc_cfg_bool(c, j, "xfcc", &d->xfcc);
	read_header_name(c, j, "tenant_header", &d->tenant_header);
	if (hc_cfg_int(c, j, "threads", 1, CFG_MAX_THREADS, &threads) == 1)
		d->threads = (unsigned)threads;
	(void)hc_cfg_enum(c, j, "log_level", levels, level_values,
	    &d->log_level);
	(void)hc_cfg_section(c, j, "tls", tls_keys, read_tls);
	(void)hc_cfg_str(c, j, "metrics_listen", false, check_hostport, NULL,
	    &d->metrics_listen);
	(void)hc_cfg_int(c, j, "header_timeout_ms", CFG_MIN_HEADER_MS,
	    CFG_MAX_HEADER_MS, &d->header_timeout_ms);
	if (hc_cfg_int(c, j, "max_connections_per_client", 1,
	    CFG_MAX_PER_CLIENT, &per) == 1) {
		if (!d->has_tls) {
			saved = hc_cfg_path_key(c, "max_connections_per_client");
			hc_cfg_error(c, "applies in network mode only (with"
			    " daemon.tls); behind a local proxy there is one"
			    " client");
			hc_cfg_path_pop(c, saved);
		}
		d->max_connections_per_client = (unsigned)per;
	} else if (d->has_tls) {
		d->max_connections_per_client = CFG_DEFAULT_PER_CLIENT;
	}
	(void)hc_cfg_bool(c, j, "allow_request_time", &d->allow_request_time);

	/*
	 * The daemon trusts headers its caller sets (the client certificate,
	 * the tenant): without tls, only a loopback caller may reach it.
	 */
	if (rc == 1 && !d->has_tls && hc_hostport_split(d->listen,
	    strlen(d->listen), &hp) && !hc_hostport_is_loopback(&hp)) {
		saved = hc_cfg_path_key(c, "listen");
		hc_cfg_error(c, "the daemon listens on loopback only"
		    " (127.x.x.x, [::1], localhost), got %s",
		    hc_quote(q, sizeof(q), d->listen));
		hc_cfg_path_pop(c, saved);
	}
}

void
hc_cfg_daemon_defaults(hc_daemon_policy *d)
{
	d->threads = CFG_DEFAULT_THREADS;
	d->log_level = CFG_DEFAULT_LOG_LEVEL;
	d->header_timeout_ms = CFG_DEFAULT_HEADER_MS;
}

void
hc_daemon_policy_clear(hc_daemon_policy *d)
{
	free(d->listen);
	free(d->unix_socket);
	free(d->peer_cert_header);
	free(d->tenant_header);
	free(d->tls.cert_file);
	free(d->tls.key_file);
	free(d->tls.client_ca_file);
	hc_strlist_free(&d->tls.allowed_clients);
	free(d->metrics_listen);
}
