/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ep_probes.c - the endpoints an operator's tools poll: GET /metrics (the
 * Prometheus text format 0.0.4), /healthz (liveness) and /readyz (every
 * key source has keys).  They are also the only ones the metrics listener
 * (daemon.metrics_listen) serves.
 */
#include <stdbool.h>
#include <string.h>

#include "endpoints.h"
#include "metrics.h"

/*
 * Whether the request is a GET or HEAD; otherwise answers 405 with Allow
 * itself, so the caller just returns.
 */
bool
hcd_only_get(const hcd_request *rq, hcd_response *rs)
{
	if (strcmp(rq->method, "GET") == 0 || strcmp(rq->method, "HEAD") == 0)
		return true;
	rs->code = 405;
	hcd_add_header(rs, "Allow", "GET, HEAD");
	hcd_text_body(rs, "method not allowed\n");
	return false;
}

/* GET /metrics: the counters in the Prometheus text format 0.0.4. */
void
hcd_ep_metrics(const hcd_request *rq, hcd_response *rs)
{
	if (!hcd_only_get(rq, rs))
		return;
	if ((rs->body = hcd_metrics_render(rq->v, &rs->body_len)) == NULL) {
		rs->code = 500;
		hcd_text_body(rs, "out of memory\n");
		return;
	}
	rs->code = 200;
	rs->content_type = "text/plain; version=0.0.4; charset=utf-8";
}

/* GET /healthz: liveness only; 200 whenever the daemon can answer at all. */
void
hcd_ep_healthz(const hcd_request *rq, hcd_response *rs)
{
	if (!hcd_only_get(rq, rs))
		return;
	rs->code = 200;
	hcd_text_body(rs, "ok\n");
}

/*
 * GET /readyz: 200 once every issuer and trust domain has a key set, else 503,
 * so that an orchestrator sends no traffic that could only be answered
 * HC_UNAVAILABLE.
 */
void
hcd_ep_readyz(const hcd_request *rq, hcd_response *rs)
{
	if (!hcd_only_get(rq, rs))
		return;
	if (hc_validator_ready(rq->v)) {
		rs->code = 200;
		hcd_text_body(rs, "ready\n");
	} else {
		rs->code = 503;
		hcd_text_body(rs, "not ready: some issuer or trust domain has no "
		    "keys yet\n");
	}
}
