// SPDX-License-Identifier: Apache-2.0
// dpop_client.mjs - the DPoP client (RFC 9449) of
// tests/integration/dpop_interop.sh, built on panva's jose (npm), not on
// anything of hopcheck's.  One step per run, so that the shell test makes
// each proof just before it sends it:
//
//   node dpop_client.mjs keygen KEYFILE
//       a fresh ES256 key pair, the private JWK written to KEYFILE (0600);
//       prints the RFC 7638 thumbprint (what cnf.jkt must name).
//   node dpop_client.mjs token KEYFILE TOKEN_ENDPOINT RESOURCE SCOPE
//       client_credentials at TOKEN_ENDPOINT (HTTP Basic with
//       OIDC_CLIENT_ID / OIDC_CLIENT_SECRET) with a DPoP proof (htm POST,
//       htu the endpoint) for the RFC 8707 RESOURCE; when the server
//       answers use_dpop_nonce, retries once with its DPoP-Nonce.  Prints
//       the JSON response (token_type DPoP, access_token bound to the key).
//   node dpop_client.mjs proof KEYFILE METHOD URL [TOKEN [NONCE]]
//       prints a proof for METHOD URL (htm, htu, iat, a random jti), with
//       ath = base64url(SHA-256(TOKEN)) when TOKEN is given and not empty,
//       and the server's NONCE when given.
import * as crypto from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import {
	SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK,
} from 'jose';

const ALG = 'ES256';

function fatal(msg) {
	process.stderr.write(`dpop_client.mjs: ${msg}\n`);
	process.exit(1);
}

function publicJwk(jwk) {
	const { kty, crv, x, y } = jwk;
	return { kty, crv, x, y };
}

function loadKey(file) {
	try {
		return JSON.parse(readFileSync(file, 'utf8'));
	} catch (err) {
		return fatal(`${file}: ${err.message}`);
	}
}

// proof JWK METHOD URL [TOKEN [NONCE]]: a DPoP proof JWT.
async function proof(jwk, htm, htu, token, nonce) {
	const claims = { htm, htu, jti: crypto.randomUUID() };
	if (token)
		claims.ath = crypto.createHash('sha256').update(token, 'ascii')
		    .digest('base64url');
	if (nonce)
		claims.nonce = nonce;
	return new SignJWT(claims)
	    .setProtectedHeader({ alg: ALG, typ: 'dpop+jwt', jwk: publicJwk(jwk) })
	    .setIssuedAt()
	    .sign(await importJWK(jwk, ALG));
}

async function token(jwk, endpoint, resource, scope) {
	const id = process.env.OIDC_CLIENT_ID;
	const secret = process.env.OIDC_CLIENT_SECRET;
	if (!id || !secret)
		fatal('set OIDC_CLIENT_ID and OIDC_CLIENT_SECRET');
	const basic = Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`)
	    .toString('base64');
	const form = new URLSearchParams({ grant_type: 'client_credentials', scope });
	if (resource)
		form.set('resource', resource);
	let nonce;
	for (let attempt = 0; attempt < 2; attempt++) {
		const res = await fetch(endpoint, {
			method: 'POST',
			headers: {
				authorization: `Basic ${basic}`,
				'content-type': 'application/x-www-form-urlencoded',
				dpop: await proof(jwk, 'POST', endpoint, undefined, nonce),
			},
			body: form.toString(),
			signal: AbortSignal.timeout(5000),
		});
		const body = await res.text();
		const challenge = res.headers.get('www-authenticate') || '';
		if (attempt === 0 && res.headers.get('dpop-nonce') &&
		    (body.includes('use_dpop_nonce') || challenge.includes('use_dpop_nonce'))) {
			nonce = res.headers.get('dpop-nonce');
			continue;
		}
		if (!res.ok)
			fatal(`token endpoint ${res.status}: ${body}`);
		return body;
	}
	return fatal('token endpoint: use_dpop_nonce twice');
}

const [cmd, ...args] = process.argv.slice(2);
switch (cmd) {
case 'keygen': {
	if (args.length !== 1)
		fatal('usage: keygen KEYFILE');
	const { privateKey } = await generateKeyPair(ALG, { extractable: true });
	const jwk = await exportJWK(privateKey);
	writeFileSync(args[0], `${JSON.stringify(jwk)}\n`, { mode: 0o600 });
	process.stdout.write(`${await calculateJwkThumbprint(publicJwk(jwk), 'sha256')}\n`);
	break;
}
case 'token':
	if (args.length !== 4)
		fatal('usage: token KEYFILE TOKEN_ENDPOINT RESOURCE SCOPE');
	process.stdout.write(`${await token(loadKey(args[0]), args[1], args[2], args[3])}\n`);
	break;
case 'proof':
	if (args.length < 3 || args.length > 5)
		fatal('usage: proof KEYFILE METHOD URL [TOKEN [NONCE]]');
	process.stdout.write(`${await proof(loadKey(args[0]), args[1], args[2], args[3], args[4])}\n`);
	break;
default:
	fatal('usage: keygen | token | proof');
}
