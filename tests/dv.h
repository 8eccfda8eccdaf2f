/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dv.h - testvectors/delegation.json through the one vector loader of
 * testutil.h, under the short names test_chain.c and
 * regress_act_splicing.c use.  Test code only; it may read JSON with
 * cJSON directly.
 */
#ifndef HC_TEST_DV_H
#define HC_TEST_DV_H

#include <cjson/cJSON.h>

#include "testutil.h"

#define DV_FILE "testvectors/delegation.json"

/* The document, the temporary directory of its key files, its validator. */
typedef hc_vec dv;

/* Opens DV_FILE; 0, or -1 after failing the test. */
static inline int
dv_open(dv *d)
{
	return hc_vec_open(d, DV_FILE);
}

static inline void
dv_close(dv *d)
{
	hc_vec_close(d);
}

/* A validator of the configuration with the patches applied, or NULL. */
static inline hc_validator *
dv_validator(const dv *d, const cJSON *patch1, const cJSON *patch2)
{
	return hc_vec_validator(d, patch1, patch2);
}

/* The case called `name` in list `list`, or NULL after failing the test. */
static inline const cJSON *
dv_find(const dv *d, const char *list, const char *name)
{
	return hc_vec_find(d, list, name);
}

#endif /* HC_TEST_DV_H */
