/* SPDX-License-Identifier: Apache-2.0 */
/*
 * keylog.c - hopcheckd's key events: the library's key event hook
 * (hc_validator_set_logger()) written as log lines.
 *
 * Each event becomes one line, {"time", "level", "event", and the event's
 * own fields}: "keys.loaded", "keys.refreshed", "keys.skipped",
 * "keys.refresh_failed" (include/hopcheck.h lists their fields).  The
 * library's levels are the daemon's (HC_LOG_* equal HCD_LOG_*), so
 * daemon.log_level filters them like any other line.
 */
#include "keylog.h"
#include "log.h"

_Static_assert(HC_LOG_ERROR == HCD_LOG_ERROR && HC_LOG_WARN == HCD_LOG_WARN &&
    HC_LOG_INFO == HCD_LOG_INFO && HC_LOG_DEBUG == HCD_LOG_DEBUG,
    "library and daemon log levels differ");

/* The hook: one log line per event; thread-safe as hcd_log_json() is. */
static void
key_event(void *arg, int level, const char *event, const char *json_fields)
{
	(void)arg;
	hcd_log_json(level, event, json_fields);
}

void
hcd_keylog_attach(hc_validator *v)
{
	hc_validator_set_logger(v, key_event, NULL);
}
