/* SPDX-License-Identifier: Apache-2.0 */
/*
 * settings.c - reads the daemon section out of a validator's policy.
 *
 * hopcheckd is built from this tree and links the static library, so it
 * may include the private validator layout; it does so here only.
 */
#include <stdio.h>

#include "crypto.h"
#include "policy.h"
#include "settings.h"
#include "validator.h"

void
hcd_settings_of(const hc_validator *v, hcd_settings *out)
{
	const hc_daemon_policy *d = &v->policy->daemon;

	out->listen = d->listen;
	out->unix_socket = d->unix_socket;
	out->peer_cert_header = d->peer_cert_header;
	out->xfcc = d->xfcc;
	out->tenant_header = d->tenant_header;
	out->threads = d->threads > 0 ? d->threads : 1;
	out->log_level = d->log_level;
	out->max_token_bytes = v->policy->max_token_bytes;
	out->tls = d->has_tls;
	out->cert_file = d->tls.cert_file;
	out->key_file = d->tls.key_file;
	out->client_ca_file = d->tls.client_ca_file;
	out->allowed_clients = (const char *const *)d->tls.allowed_clients.v;
	out->nallowed_clients = d->tls.allowed_clients.n;
	out->metrics_listen = d->metrics_listen;
	out->header_timeout_ms = (long)d->header_timeout_ms;
	out->max_per_client = d->max_connections_per_client;
	out->allow_request_time = d->allow_request_time;
}

void
hcd_settings_dpop_algs(const hc_validator *v, char *buf, size_t n)
{
	const hc_dpop_policy *dp = &v->policy->dpop;
	size_t o = 0;

	buf[0] = '\0';
	for (int a = 0; dp->mode != HC_MODE_OFF && a < HC_ALG_COUNT; a++) {
		int w;
		if (!(dp->alg_mask & HC_ALG_BIT(a)))
			continue;
		w = snprintf(buf + o, n - o, "%s%s", o ? " " : "",
		    hc_alg_name((hc_alg)a));
		if (w < 0 || (size_t)w >= n - o)
			break;
		o += (size_t)w;
	}
}

bool
hcd_settings_dpop_required(const hc_validator *v)
{
	return v->policy->dpop.mode == HC_MODE_REQUIRED;
}

bool
hcd_settings_client_allowed(const hcd_settings *s, const char *id)
{
	for (size_t i = 0; i < s->nallowed_clients; i++)
		if (hc_pattern_match(s->allowed_clients[i], id))
			return true;
	return false;
}
