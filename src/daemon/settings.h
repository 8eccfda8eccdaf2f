/* SPDX-License-Identifier: Apache-2.0 */
/*
 * settings.h - the daemon's view of its configuration.
 *
 * The `daemon` section is parsed by the library with everything else
 * (config.c) and kept in the validator's policy, which the public API does
 * not expose.  This accessor is the one place in hopcheckd that looks
 * inside a validator; every other daemon file uses the public API only.
 */
#ifndef HCD_SETTINGS_H
#define HCD_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>

#include "hopcheck.h"

typedef struct hcd_settings {
	const char *listen;           /* "127.0.0.1:9300", or NULL */
	const char *unix_socket;      /* resolved path, or NULL */
	const char *peer_cert_header; /* lowercase header name, or NULL */
	bool xfcc;                    /* trust x-forwarded-client-cert */
	const char *tenant_header;    /* lowercase header name, or NULL */
	unsigned threads;             /* worker threads, >= 1 */
	int log_level;                /* 0 error .. 3 debug */
	size_t max_token_bytes;       /* from the top level */
	bool tls;                     /* daemon.tls is set: network mode */
	const char *cert_file;        /* daemon.tls, resolved paths */
	const char *key_file;
	const char *client_ca_file;
	const char *const *allowed_clients;  /* patterns */
	size_t nallowed_clients;
	const char *metrics_listen;   /* "HOST:PORT", or NULL */
	long header_timeout_ms;       /* request head deadline */
	unsigned max_per_client;      /* connections per client IP; 0: any */
	bool allow_request_time;      /* "now" in /v1/validate */
} hcd_settings;

/*
 * Fills *out from validator `v`.  The strings are borrowed from `v` and
 * live as long as it does.
 */
void hcd_settings_of(const hc_validator *v, hcd_settings *out);

/*
 * The algorithms a DPoP proof may use (dpop.algorithms), space-separated,
 * into buf (size n), for the `algs` of a DPoP challenge (RFC 9449 section
 * 7.1); "" when dpop is off.
 */
void hcd_settings_dpop_algs(const hc_validator *v, char *buf, size_t n);
/* Whether dpop.mode is required (a bearer token is then never accepted). */
bool hcd_settings_dpop_required(const hc_validator *v);

/*
 * True when `id` (a URI or DNS SAN of a verified client certificate) is
 * one of daemon.tls.allowed_clients: equal to one, or starting with one
 * that ends in `*` (before the `*`).
 */
bool hcd_settings_client_allowed(const hcd_settings *s, const char *id);

#endif /* HCD_SETTINGS_H */
