/* SPDX-License-Identifier: Apache-2.0 */
/*
 * keylog.h - hopcheckd's key events as log lines (keylog.c).
 */
#ifndef HCD_KEYLOG_H
#define HCD_KEYLOG_H

#include "hopcheck.h"

/*
 * Sets the key event hook of `v` to write log lines, which at once logs
 * the sets loaded from files.  Call it before the refresher starts, so
 * that the first fetches are logged too.
 */
void hcd_keylog_attach(hc_validator *v);

#endif /* HCD_KEYLOG_H */
