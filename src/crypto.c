/* SPDX-License-Identifier: Apache-2.0 */
/*
 * crypto.c - the crypto seam's one switch: which backend this build has,
 * and what follows from that for the rest of the library.
 *
 * The build compiles exactly one backend file (crypto_mbedtls.c or
 * crypto_openssl.c) and defines HC_CRYPTO_<name> for it; this file is the
 * only place that turns that macro into a backend.  Everything else asks
 * hc_crypto() for the table, or asks here what the backend can do, so that
 * a configuration naming an algorithm the backend lacks is refused with a
 * sentence saying which backend would have it.
 */
#include <stdbool.h>
#include <stddef.h>

#include "crypto.h"

#if defined(HC_CRYPTO_openssl)
#define HC_BACKEND hc_crypto_openssl
#elif defined(HC_CRYPTO_mbedtls)
#define HC_BACKEND hc_crypto_mbedtls
#else
#error "define HC_CRYPTO_mbedtls or HC_CRYPTO_openssl (make CRYPTO=...)"
#endif

/* The backend compiled in; never NULL. */
const hc_crypto_backend *
hc_crypto(void)
{
	return &HC_BACKEND;
}

/*
 * Whether the backend can verify alg.  Only the Edwards-curve algorithms
 * depend on the backend; every backend verifies the RFC 7518 set.
 */
bool
hc_alg_supported(hc_alg alg, const char **why)
{
	if (why != NULL)
		*why = NULL;
	if (alg <= HC_ALG_UNKNOWN || alg >= HC_ALG_COUNT) {
		if (why != NULL)
			*why = "not a JWS algorithm hopcheck verifies";
		return false;
	}
	if ((alg == HC_ALG_EDDSA || alg == HC_ALG_ED25519 ||
	    alg == HC_ALG_ED448) && !(hc_crypto()->caps & HC_CRYPTO_EDDSA)) {
		if (why != NULL)
			*why = "EdDSA needs the OpenSSL backend "
			    "(make CRYPTO=openssl)";
		return false;
	}
	return true;
}

HC_EXPORT const char *
hc_crypto_backend_name(void)
{
	return hc_crypto()->version();
}
