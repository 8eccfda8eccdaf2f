/* SPDX-License-Identifier: Apache-2.0 */
/*
 * metrics.h - hopcheckd's counters and their Prometheus text exposition
 * (format 0.0.4).
 *
 * Counters live for the life of the process and are updated lock-free
 * from any thread; key and replay figures are read from the validator in
 * use when the page is rendered.
 */
#ifndef HCD_METRICS_H
#define HCD_METRICS_H

#include <stdbool.h>
#include <stddef.h>

#include "hopcheck.h"

/* Counts one decision (hopcheck_decisions_total{status}). */
void hcd_metrics_decision(hc_status status);
/* Observes the time one hc_validate() took (hopcheck_validation_seconds). */
void hcd_metrics_validation(double seconds);
/*
 * Counts a request that lacked a credential its endpoint needs
 * (hopcheck_missing_credentials_total{kind}); it is also a `malformed`
 * decision.  `kind` is a static string: "access_token".
 */
void hcd_metrics_missing_credential(const char *kind);

/*
 * Counts one decision per credential in
 * hopcheck_credential_decisions_total{kind,status}: the credential a
 * refusal names, with its status, and on acceptance every credential the
 * request presented ("access_token", "txn_token"), with "ok".
 */
void hcd_metrics_credentials(const hc_result *res, bool access_token,
    bool txn_token);
/* Counts one decision `st` about credential `kind`. */
void hcd_metrics_credential(const char *kind, hc_status st);

/*
 * Logs a warning (event "replay.fill") once each time the memory replay
 * store of `v` crosses 80% of replay.max_entries; called per decision.
 */
void hcd_metrics_replay_watch(const hc_validator *v);

/* Counts one configuration reload (hopcheck_config_reloads_total{result}). */
void hcd_metrics_reload(bool ok);

/*
 * The holder's retirement hooks (holder.h): a replaced validator's
 * counters are carried into the totals, so that they survive a reload.
 */
void *hcd_metrics_retire_begin(const hc_validator *v);
void hcd_metrics_retire_end(const hc_validator *v, void *token);
/*
 * Renders the whole page for validator `v` (keys, replay store,
 * readiness) and the counters.  Heap text (free()) and its length in
 * *len, or NULL when out of memory.
 */
char *hcd_metrics_render(const hc_validator *v, size_t *len);

#endif /* HCD_METRICS_H */
