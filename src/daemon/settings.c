/*
 * settings.c - reads the daemon section out of a validator's policy.
 *
 * hopcheckd is built from this tree and links the static library, so it
 * may include the private validator layout; it does so here only.
 */
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
}
