/* SPDX-License-Identifier: Apache-2.0 */
/*
 * keylog.h - key events for the hook of hc_validator_set_logger(), and the
 * key report of hc_validator_keys_json() (keylog.c).
 *
 * The refresher (refresh.c) calls these when a remote set is installed or
 * a refresh fails; keylog.c formats the event and calls the hook outside
 * every lock.  Sets loaded from files at construction are reported when
 * the hook is set, since no hook exists before the validator does.
 *
 * Important caveats
 *  - Events carry kids, URLs without their query, reasons and counts;
 *    never key material.
 *  - The hook is called from the refresher's thread and from the thread
 *    that sets it; it must be thread-safe and must not call back into
 *    the validator's refresh functions.
 */
#ifndef HC_KEYLOG_H
#define HC_KEYLOG_H

#include "internal.h"
#include "keyset.h"

/*
 * Reports a set installed for `source` from `location` (a URL label):
 * "keys.loaded" when `old` is NULL, else "keys.refreshed" with the kids
 * added and removed; then "keys.skipped" for each key `ks` skipped that
 * `old` did not.
 */
void hc_keylog_installed(const hc_validator *v, const char *source,
    const char *location, const hc_keyset *old, const hc_keyset *ks);

/*
 * Reports "keys.refresh_failed" for `source`: `failure` is the kind
 * (a stable word: HC_FETCH_FAIL_*, HC_KEYSET_FAIL_*, "issuer_mismatch",
 * "bad_metadata", "stale"), `http_status` the answer's status (0: none)
 * and `detail` the reason in words.
 */
void hc_keylog_failed(const hc_validator *v, const char *source,
    const char *failure, long http_status, const char *detail);

#endif /* HC_KEYLOG_H */
