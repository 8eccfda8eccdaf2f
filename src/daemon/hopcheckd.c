/* SPDX-License-Identifier: Apache-2.0 */
/*
 * hopcheckd.c - the helper daemon: configuration, signals, life cycle.
 *
 * hopcheckd -c FILE [-t] [-f]
 *
 * It builds a validator from FILE, starts its key refresher, binds the
 * sockets of the `daemon` section and serves the endpoints of
 * endpoints.c over HTTP until told to stop.  It never forks: it runs in
 * the foreground under systemd (Type=simple) or any other supervisor, and
 * logs JSON lines to stderr; -f is accepted for scripts that pass it.
 * Under systemd (Type=notify) it reports readiness through notify.c:
 * READY=1 once every key source has keys, RELOADING=1 / READY=1 around a
 * reload, STOPPING=1 at shutdown.
 *
 * Signals are blocked in every thread (the mask is set before the first
 * thread starts, and threads inherit it) and taken synchronously by the
 * main thread with sigwait(), so no work runs in a signal handler:
 *
 *  - SIGHUP: build a new validator from the same file.  If that fails,
 *    every problem is logged and the running configuration stays.  If it
 *    works, the new one takes over the memory replay store of the old
 *    (hc_replay_inherit()) and is swapped in; requests in flight finish
 *    with the validator they started with (holder.c).  In network mode
 *    the TLS files are read again too, and are part of the same all or
 *    nothing: a certificate, key or CA file that does not load refuses
 *    the whole reload (tls.h).
 *  - SIGTERM, SIGINT: stop accepting, wait for requests in flight (at
 *    most HCD_DRAIN_MS), close everything and exit 0.
 *
 * The listening sockets and the number of threads are fixed at start;
 * a reload that changes them says so in the log and needs a restart.
 */
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hopcheck.h"
#include "hc_limits.h"
#include "holder.h"
#include "http.h"
#include "keylog.h"
#include "listen.h"
#include "log.h"
#include "metrics.h"
#include "notify.h"
#include "replay.h"
#include "settings.h"
#include "tls.h"

/* Longest wait for requests in flight at shutdown. */
#define HCD_DRAIN_MS 10000
/* How often the signal loop looks whether the keys are in, until they are. */
#define HCD_READY_POLL_MS 200
/*
 * Per-connection memory (libmicrohttpd keeps a request's line and headers
 * in the connection's pool, and clears the whole pool between keep-alive
 * requests, so an oversized pool costs every request): room for the token
 * headers a request may carry (Authorization, Txn-Token, DPoP,
 * Workload-Identity-Token, Workload-Proof-Token), the proxy's headers, and,
 * only when the configuration reads one, a URL-encoded certificate (four
 * bytes per DER byte at worst) or an XFCC value.
 */
#define HCD_TOKEN_HEADERS 5
#define HCD_HEADER_BASE   (32 * 1024)
#define HCD_CERT_HEADER   (4 * HC_MAX_CERT_BYTES)

#define ERRLEN 512

/* What stays fixed from start to exit. */
struct app {
	const char *conf;
	char *listen;            /* copies of the settings in use at start */
	char *unix_socket;
	char *metrics_listen;
	bool bound;              /* the Unix socket file is ours to remove */
	unsigned threads;
	bool cert_room;          /* the pool has room for a certificate header */
	hcd_holder *holder;
	hcd_http *http;
	hcd_tls *tls;            /* network mode (daemon.tls), else NULL */
};

static void
usage(void)
{
	fprintf(stderr, "usage: hopcheckd -c FILE [-t] [-f]\n"
	    "  -c FILE  configuration file (hopcheck.conf(5))\n"
	    "  -t       check the configuration, print every problem or "
	    "\"configuration OK\", exit\n"
	    "  -f       stay in the foreground (always the case)\n"
	    "  -V       print the version and exit\n");
}

static bool
same(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* The per-connection memory for settings `set` (see HCD_TOKEN_HEADERS). */
static size_t
conn_memory(const hcd_settings *set)
{
	size_t n = HCD_TOKEN_HEADERS * set->max_token_bytes + HCD_HEADER_BASE;

	if (set->peer_cert_header != NULL || set->xfcc)
		n += HCD_CERT_HEADER;
	return n;
}

/*
 * The daemon's own rules on a configuration the library accepted: it
 * must say where to listen.  Returns NULL or a static reason.
 */
static const char *
daemon_problem(const hc_validator *v)
{
	hcd_settings set;

	hcd_settings_of(v, &set);
	if (set.listen == NULL && set.unix_socket == NULL)
		return "daemon: set daemon.listen or daemon.unix_socket, or "
		    "hopcheckd has nothing to listen on";
	return NULL;
}

/* -t: each warning about a valid configuration, "warning: " first. */
static void
print_warnings(const hc_validator *v)
{
	char *w = hc_validator_warnings(v), *line, *save = NULL;

	for (line = w != NULL ? strtok_r(w, "\n", &save) : NULL; line != NULL;
	    line = strtok_r(NULL, "\n", &save))
		fprintf(stderr, "warning: %s\n", line);
	hc_string_free(w);
}

/*
 * Network mode: the credentials of daemon.tls in `v`, or NULL with the
 * reasons in err.
 */
static hcd_tls_creds *
tls_load(const hc_validator *v, char *err, size_t errlen)
{
	hcd_settings set;
	hcd_tls_creds *c;
	size_t used;

	hcd_settings_of(v, &set);
	if ((c = hcd_tls_load(set.cert_file, set.key_file, set.client_ca_file,
	    err, errlen)) == NULL) {
		used = strlen("daemon.tls: ");
		if (strlen(err) + used < errlen) {
			memmove(err + used, err, strlen(err) + 1);
			memcpy(err, "daemon.tls: ", used);
		}
	}
	return c;
}

/* -t: NULL when daemon.tls is absent or its files load, else why not. */
static const char *
tls_problem(const hc_validator *v)
{
	static char err[1024];
	hcd_settings set;
	hcd_tls_creds *c;

	hcd_settings_of(v, &set);
	if (!set.tls)
		return NULL;
	if ((c = tls_load(v, err, sizeof(err))) == NULL)
		return err;
	hcd_tls_creds_free(c);
	return NULL;
}

/* -t: reports every problem of the file; 0 when there is none. */
static int
check_config(const char *path)
{
	hc_validator *v = NULL;
	char *errors = NULL;
	const char *p;
	hc_status st;

	st = hc_validator_new_from_file(path, &v, &errors);
	if (st != HC_OK) {
		fprintf(stderr, "%s\n", errors != NULL ? errors :
		    hc_status_name(st));
		hc_string_free(errors);
		return 1;
	}
	p = daemon_problem(v);
	if (p == NULL)
		p = tls_problem(v);
	if (p != NULL)
		fprintf(stderr, "%s\n", p);
	else
		fprintf(stderr, "configuration OK\n");
	print_warnings(v);
	hc_validator_free(v);
	return p != NULL ? 1 : 0;
}

/* Builds a validator from the file, logging every problem under `event`. */
static hc_validator *
load(const char *path, const char *event, const char *what)
{
	hc_validator *v = NULL;
	char *errors = NULL;
	const char *p;

	if (hc_validator_new_from_file(path, &v, &errors) != HC_OK) {
		hcd_log_lines(HCD_LOG_ERROR, event, what, errors != NULL ? errors :
		    "out of memory");
		hc_string_free(errors);
		return NULL;
	}
	if ((p = daemon_problem(v)) != NULL) {
		hcd_log_lines(HCD_LOG_ERROR, event, what, p);
		hc_validator_free(v);
		return NULL;
	}
	hcd_keylog_attach(v);
	if (hc_validator_start_refresher(v) != HC_OK) {
		hcd_log_lines(HCD_LOG_ERROR, event, what, "the key refresher "
		    "thread could not start");
		hc_validator_free(v);
		return NULL;
	}
	return v;
}

/* Logs each warning about the configuration of `v` (level warn). */
static void
log_warnings(const hc_validator *v, const char *event)
{
	char *w = hc_validator_warnings(v);

	if (w != NULL)
		hcd_log_lines(HCD_LOG_WARN, event, "configuration warning", w);
	hc_string_free(w);
}

/* SIGHUP: a new validator from the same file, or the old one kept. */
static void
reload(struct app *a)
{
	hcd_settings set;
	hc_validator *nv;
	hcd_tls_creds *creds = NULL;
	char err[1024];
	hcd_gen *g;
	size_t over = 0;

	hcd_log(HCD_LOG_INFO, "reload", "reloading %s", a->conf);
	hcd_notify("RELOADING=1", "reloading %s", a->conf);
	nv = load(a->conf, "reload", "configuration rejected; the running "
	    "one stays");
	if (nv == NULL) {
		hcd_metrics_reload(false);
		hcd_notify("READY=1", "reload refused (see the log); serving "
		    "with the previous configuration");
		return;
	}
	g = hcd_holder_acquire(a->holder);
	if (hc_replay_inherit(nv, hcd_gen_validator(g), &over) != HC_OK) {
		hcd_holder_release(a->holder, g);
		hc_validator_free(nv);
		hcd_log(HCD_LOG_ERROR, "reload", "out of memory handing the "
		    "replay store over; the running configuration stays");
		hcd_metrics_reload(false);
		hcd_notify("READY=1", "reload failed (out of memory); serving "
		    "with the previous configuration");
		return;
	}
	hcd_holder_release(a->holder, g);
	if (over > 0)
		hcd_log(HCD_LOG_WARN, "reload", "the new replay.max_entries is "
		    "%zu below the jti values remembered: all are kept, and "
		    "one-time-use routes answer unavailable until as many have "
		    "expired", over);
	hcd_settings_of(nv, &set);
	if (set.tls != (a->tls != NULL) || (set.tls &&
	    (creds = tls_load(nv, err, sizeof(err))) == NULL)) {
		hcd_log_lines(HCD_LOG_ERROR, "reload", "configuration rejected; "
		    "the running one stays", set.tls != (a->tls != NULL) ?
		    "daemon.tls: network mode is turned on or off by a restart "
		    "only" : err);
		hc_validator_free(nv);
		hcd_metrics_reload(false);
		hcd_notify("READY=1", "reload refused (see the log); serving "
		    "with the previous configuration");
		return;
	}
	if (!same(set.listen, a->listen) ||
	    !same(set.unix_socket, a->unix_socket) ||
	    !same(set.metrics_listen, a->metrics_listen) ||
	    set.threads != a->threads)
		hcd_log(HCD_LOG_WARN, "reload", "daemon.listen, "
		    "daemon.unix_socket, daemon.metrics_listen and "
		    "daemon.threads take effect on restart only");
	if (!a->cert_room && (set.peer_cert_header != NULL || set.xfcc))
		hcd_log(HCD_LOG_WARN, "reload", "daemon.peer_cert_header or "
		    "daemon.xfcc is new: requests carrying a certificate need "
		    "the room a restart gives them (until then they are "
		    "refused as too large)");
	if (hcd_holder_swap(a->holder, nv) != 0) {
		hc_validator_free(nv);
		hcd_tls_creds_free(creds);
		hcd_log(HCD_LOG_ERROR, "reload", "out of memory; the running "
		    "configuration stays");
		hcd_metrics_reload(false);
		hcd_notify("READY=1", "reload failed (out of memory); serving "
		    "with the previous configuration");
		return;
	}
	if (creds != NULL) {
		hcd_tls_creds_describe(creds, err, sizeof(err));
		hcd_tls_install(a->tls, creds);
		hcd_log(HCD_LOG_INFO, "reload", "TLS credentials: %s", err);
	}
	hcd_log_set_level(set.log_level);
	log_warnings(nv, "reload");
	hcd_metrics_reload(true);
	hcd_log(HCD_LOG_INFO, "reload", "configuration reloaded");
	hcd_notify("READY=1", "serving; configuration reloaded");
}

/* Binds the sockets of the settings in use; the count, or -1. */
static int
open_listeners(const hcd_settings *set, hcd_listener *ls)
{
	char err[ERRLEN];
	int n = 0;

	if (set->listen != NULL) {
		if (hcd_listen_tcp(set->listen, "daemon.listen", set->tls, &ls[n],
		    err, sizeof(err)) != 0)
			goto fail;
		ls[n].tls = set->tls;
		n++;
	}
	if (set->unix_socket != NULL) {
		if (hcd_listen_unix(set->unix_socket, &ls[n], err,
		    sizeof(err)) != 0)
			goto fail;
		n++;
	}
	if (set->metrics_listen != NULL) {
		if (hcd_listen_tcp(set->metrics_listen, "daemon.metrics_listen",
		    true, &ls[n], err, sizeof(err)) != 0)
			goto fail;
		ls[n].metrics = true;
		n++;
	}
	return n;
fail:
	hcd_log(HCD_LOG_ERROR, "start", "%s", err);
	while (n > 0)
		close(ls[--n].fd);
	return -1;
}

/*
 * True once every key source of the validator in use has keys; says so
 * once, in the log and to systemd.
 */
static bool
announce_ready(struct app *a)
{
	hcd_gen *g = hcd_holder_acquire(a->holder);
	bool ready = hc_validator_ready(hcd_gen_validator(g)) != 0;

	hcd_holder_release(a->holder, g);
	if (ready) {
		hcd_log(HCD_LOG_INFO, "ready", "every key source has keys");
		hcd_notify("READY=1", "serving; every key source has keys");
	}
	return ready;
}

/*
 * Serves until SIGTERM or SIGINT; SIGHUP reloads.  Until the keys are in,
 * the wait for a signal wakes every HCD_READY_POLL_MS to look again.
 */
static void
serve(struct app *a, const sigset_t *sigs)
{
	const struct timespec poll = { 0, HCD_READY_POLL_MS * 1000000L };
	bool ready = false;
	int sig;

	for (;;) {
		if (!ready)
			ready = announce_ready(a);
		if (ready) {
			if (sigwait(sigs, &sig) != 0)
				continue;
		} else if ((sig = sigtimedwait(sigs, NULL, &poll)) < 0) {
			continue;        /* EAGAIN: look at the keys again */
		}
		if (sig == SIGHUP) {
			reload(a);
			continue;
		}
		hcd_log(HCD_LOG_INFO, "stop", "%s: no new connections; draining "
		    "requests in flight", sig == SIGTERM ? "SIGTERM" : "SIGINT");
		hcd_notify("STOPPING=1", "stopping: draining requests in flight");
		return;
	}
}

int
main(int argc, char **argv)
{
	struct app a;
	hcd_listener ls[3];
	hcd_http_opts opts;
	hcd_tls_creds *creds;
	hcd_settings set;
	hc_validator *v;
	sigset_t sigs;
	char err[ERRLEN];
	bool test = false;
	unsigned left;
	int c, n;

	memset(&a, 0, sizeof(a));
	while ((c = getopt(argc, argv, "c:tfV")) != -1) {
		switch (c) {
		case 'c':
			a.conf = optarg;
			break;
		case 't':
			test = true;
			break;
		case 'f':
			break;
		case 'V':
			printf("hopcheckd %s\ncrypto: %s\n", hc_version(),
			    hc_crypto_backend_name());
			return 0;
		default:
			usage();
			return 2;
		}
	}
	if (a.conf == NULL || optind != argc) {
		usage();
		return 2;
	}
	if (test)
		return check_config(a.conf);

	/* Before any thread exists, so that every thread inherits the mask. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGHUP);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	if (pthread_sigmask(SIG_BLOCK, &sigs, NULL) != 0) {
		hcd_log(HCD_LOG_ERROR, "start", "cannot block signals");
		return 1;
	}
	/* hiredis and closed peers must not kill the process. */
	signal(SIGPIPE, SIG_IGN);
	/* Before any thread exists: it unsets NOTIFY_SOCKET. */
	(void)hcd_notify_init();

	if ((v = load(a.conf, "start", "configuration rejected")) == NULL)
		return 1;
	hcd_settings_of(v, &set);
	hcd_log_set_level(set.log_level);
	log_warnings(v, "start");
	a.listen = set.listen != NULL ? strdup(set.listen) : NULL;
	a.unix_socket = set.unix_socket != NULL ? strdup(set.unix_socket) :
	    NULL;
	a.metrics_listen = set.metrics_listen != NULL ?
	    strdup(set.metrics_listen) : NULL;
	a.threads = set.threads;
	if ((set.listen != NULL && a.listen == NULL) ||
	    (set.metrics_listen != NULL && a.metrics_listen == NULL) ||
	    (set.unix_socket != NULL && a.unix_socket == NULL) ||
	    (a.holder = hcd_holder_new(v)) == NULL) {
		hcd_log(HCD_LOG_ERROR, "start", "out of memory");
		hc_validator_free(v);
		goto fail;
	}
	hcd_holder_on_retire(a.holder, hcd_metrics_retire_begin,
	    hcd_metrics_retire_end);
	if (set.tls) {
		if ((creds = tls_load(v, err, sizeof(err))) == NULL) {
			hcd_log_lines(HCD_LOG_ERROR, "start", "configuration "
			    "rejected", err);
			goto fail;
		}
		hcd_tls_creds_describe(creds, err, sizeof(err));
		if ((a.tls = hcd_tls_new(creds)) == NULL) {
			hcd_log(HCD_LOG_ERROR, "start", "out of memory");
			goto fail;
		}
		hcd_log(HCD_LOG_INFO, "start", "TLS credentials: %s", err);
	}
	if ((n = open_listeners(&set, ls)) < 0)
		goto fail;
	a.bound = a.unix_socket != NULL;
	memset(&opts, 0, sizeof(opts));
	opts.threads = set.threads;
	opts.conn_memory = conn_memory(&set);
	a.cert_room = set.peer_cert_header != NULL || set.xfcc;
	opts.tls = a.tls;
	opts.max_per_client = set.max_per_client;
	a.http = hcd_http_start(a.holder, ls, (size_t)n, &opts, err,
	    sizeof(err));
	if (a.http == NULL) {
		hcd_log(HCD_LOG_ERROR, "start", "%s", err);
		goto fail;
	}
	(void)snprintf(err, sizeof(err), "%u", a.threads);
	hcd_log_fields(HCD_LOG_INFO, "start", "serving", "version",
	    hc_version(), "crypto", hc_crypto_backend_name(), "config", a.conf, "listen", a.listen, "unix_socket",
	    a.unix_socket, "metrics_listen", a.metrics_listen, "threads", err,
	    "keys",
	    hc_validator_ready(v) ? "ready" : "waiting", (const char *)NULL);

	serve(&a, &sigs);

	hcd_http_quiesce(a.http);
	if ((left = hcd_http_drain(a.http, HCD_DRAIN_MS)) > 0)
		hcd_log(HCD_LOG_WARN, "stop", "%u requests still in flight after "
		    "%d ms; closing them", left, HCD_DRAIN_MS);
	hcd_http_stop(a.http);
	hcd_tls_free(a.tls);
	if (a.bound)
		(void)unlink(a.unix_socket);
	hcd_holder_free(a.holder);
	hcd_log(HCD_LOG_INFO, "stop", "stopped");
	hcd_notify_close();
	free(a.listen);
	free(a.unix_socket);
	free(a.metrics_listen);
	return 0;
fail:
	hcd_tls_free(a.tls);
	if (a.bound)
		(void)unlink(a.unix_socket);
	hcd_holder_free(a.holder);
	free(a.listen);
	free(a.unix_socket);
	free(a.metrics_listen);
	return 1;
}
