/* SPDX-License-Identifier: Apache-2.0 */
/*
 * result.c - the outcome of hc_validate(): status, detail, and the verified
 * identity of the token, with its JSON form (the output of `hopcheck
 * validate` and of the daemon).  Identity fields are only ever filled from
 * a token whose signature verified.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "validator.h"

HC_EXPORT void
hc_result_free(hc_result *r)
{
	if (r == NULL)
		return;
	hc_json_free(r->claims);
	hc_json_free(r->header);
	free(r->actors);
	free(r->scope_buf);
	hc_json_free(r->txn_claims);
	free(r->workload);
	free(r);
}

HC_EXPORT hc_status
hc_result_status(const hc_result *r)
{
	return r == NULL ? HC_INTERNAL : r->status;
}

HC_EXPORT const char *
hc_result_detail(const hc_result *r)
{
	return r == NULL ? "no result" : r->detail.text;
}

#define VERIFIED(r, field) ((r) != NULL && (r)->verified ? (r)->field : NULL)

HC_EXPORT const char *
hc_result_issuer(const hc_result *r)
{
	return VERIFIED(r, issuer);
}

HC_EXPORT const char *
hc_result_subject(const hc_result *r)
{
	return VERIFIED(r, subject);
}

HC_EXPORT const char *
hc_result_client(const hc_result *r)
{
	return VERIFIED(r, client);
}

HC_EXPORT const char *
hc_result_kid(const hc_result *r)
{
	return VERIFIED(r, kid);
}

HC_EXPORT const char *
hc_result_alg(const hc_result *r)
{
	return VERIFIED(r, alg);
}

HC_EXPORT const char *
hc_result_scope(const hc_result *r)
{
	return VERIFIED(r, scope);
}

HC_EXPORT size_t
hc_result_actor_count(const hc_result *r)
{
	return r != NULL && r->verified ? r->nactors : 0;
}

HC_EXPORT const char *
hc_result_actor(const hc_result *r, size_t i)
{
	if (r == NULL || !r->verified || i >= r->nactors)
		return NULL;
	return r->actors[i];
}

HC_EXPORT int64_t
hc_result_expiry(const hc_result *r)
{
	return r != NULL && r->verified ? r->exp : 0;
}

HC_EXPORT char *
hc_result_claim_json(const hc_result *r, const char *name)
{
	const hc_json *j;

	if (r == NULL || !r->verified || name == NULL)
		return NULL;
	if ((j = hc_json_get(r->claims, name)) == NULL)
		return NULL;
	return hc_json_print(j);
}

HC_EXPORT const char *
hc_result_credential(const hc_result *r)
{
	return r != NULL && r->status != HC_OK ? r->credential : NULL;
}

#define TXN_VERIFIED(r, field) \
	((r) != NULL && (r)->txn_verified ? (r)->field : NULL)

HC_EXPORT const char *
hc_result_txn(const hc_result *r)
{
	return TXN_VERIFIED(r, txn);
}

HC_EXPORT const char *
hc_result_txn_subject(const hc_result *r)
{
	return TXN_VERIFIED(r, txn_subject);
}

HC_EXPORT const char *
hc_result_txn_scope(const hc_result *r)
{
	return TXN_VERIFIED(r, txn_scope);
}

HC_EXPORT const char *
hc_result_txn_requesting_workload(const hc_result *r)
{
	return TXN_VERIFIED(r, txn_req_wl);
}

HC_EXPORT char *
hc_result_txn_claim_json(const hc_result *r, const char *name)
{
	const hc_json *j;

	if (r == NULL || !r->txn_verified || name == NULL ||
	    (j = hc_json_get(r->txn_claims, name)) == NULL)
		return NULL;
	return hc_json_print(j);
}

HC_EXPORT const char *
hc_result_dpop_jkt(const hc_result *r)
{
	return r != NULL && r->dpop_jkt[0] != '\0' ? r->dpop_jkt : NULL;
}

HC_EXPORT const char *
hc_result_dpop_nonce(const hc_result *r)
{
	return r != NULL && r->status == HC_NONCE && r->dpop_nonce[0] != '\0' ?
	    r->dpop_nonce : NULL;
}

HC_EXPORT const char *
hc_result_workload(const hc_result *r)
{
	return r != NULL ? r->workload : NULL;
}

/* The Txn-Token fields of the JSON form, nested as txn_token{...}. */
static hc_json *
txn_to_json(const hc_result *r)
{
	hc_json *o = hc_json_new_object();
	const hc_json *j;

	hc_json_add_string(o, "txn", r->txn);
	hc_json_add_string(o, "subject", r->txn_subject);
	hc_json_add_string(o, "scope", r->txn_scope);
	hc_json_add_string(o, "req_wl", r->txn_req_wl);
	if ((j = hc_json_get(r->txn_claims, "tctx")) != NULL)
		hc_json_add(o, "tctx", hc_json_dup(j));
	if ((j = hc_json_get(r->txn_claims, "rctx")) != NULL)
		hc_json_add(o, "rctx", hc_json_dup(j));
	return o;
}

HC_EXPORT char *
hc_result_to_json(const hc_result *r)
{
	hc_json *o, *a;
	char *s;

	if (r == NULL || (o = hc_json_new_object()) == NULL)
		return NULL;
	hc_json_add_string(o, "status", hc_status_name(r->status));
	hc_json_add_string(o, "detail", r->detail.text);
	if (r->verified) {
		hc_json_add_string(o, "issuer", r->issuer);
		hc_json_add_string(o, "subject", r->subject);
		hc_json_add_string(o, "client", r->client);
		a = hc_json_new_array();
		for (size_t i = 0; i < r->nactors; i++)
			hc_json_append(a, hc_json_new_string(r->actors[i]));
		hc_json_add(o, "actors", a);
		hc_json_add_string(o, "scope", r->scope);
		hc_json_add_number(o, "exp", (double)r->exp);
		hc_json_add_string(o, "kid", r->kid);
		hc_json_add_string(o, "alg", r->alg);
	}
	if (r->txn_verified && r->txn != NULL)
		hc_json_add(o, "txn_token", txn_to_json(r));
	if (hc_result_dpop_jkt(r) != NULL) {
		a = hc_json_new_object();
		hc_json_add_string(a, "jkt", r->dpop_jkt);
		hc_json_add(o, "dpop", a);
	}
	if (r->workload != NULL) {
		a = hc_json_new_object();
		hc_json_add_string(a, "id", r->workload);
		hc_json_add(o, "workload", a);
	}
	if (hc_result_dpop_nonce(r) != NULL)
		hc_json_add_string(o, "dpop_nonce", r->dpop_nonce);
	if (hc_result_credential(r) != NULL)
		hc_json_add_string(o, "credential", r->credential);
	s = hc_json_print(o);
	hc_json_free(o);
	return s;
}
