// SPDX-License-Identifier: Apache-2.0
// provider.mjs - an OpenID provider for tests/integration/oidc.sh, built on
// panva's oidc-provider (a third-party implementation, not hopcheck's).
//
// Listens on 127.0.0.1 (port OIDC_PORT, or a random one when unset or 0)
// with the issuer http://127.0.0.1:PORT and prints the port on stdout once
// it accepts connections.  It serves its own discovery document
// (/.well-known/openid-configuration), a JWKS, and a token endpoint where
// one confidential client (OIDC_CLIENT_ID / OIDC_CLIENT_SECRET sent with
// HTTP Basic, client_secret_basic) may use the client_credentials grant.
//
// Signing keys (one P-256 key for ES256, one 2048-bit RSA key for RS256)
// are generated at every start and never written to disk, so a restart on
// the same port is a key rotation: new kids, old ones gone.
//
// Access tokens are JWTs (RFC 9068, typ at+jwt) for these resource
// indicators (RFC 8707):
//   https://api.example.com     aud https://api.example.com, ES256
//   urn:example:api:rs256       aud https://api.example.com, RS256
//   https://other.example.com   aud https://other.example.com, ES256
// each admitting the scopes "payments:read payments:write".
//
// DPoP (RFC 9449) is on, optional for the client: a token request that
// carries a DPoP proof (tests/integration/oidc/dpop_client.mjs) gets a
// token_type DPoP access token bound to the proof's key (cnf.jkt); one
// without a proof gets a Bearer token as before.  Proofs are ES256.
import * as crypto from 'node:crypto';
import { createServer } from 'node:http';
import Provider, { errors } from 'oidc-provider';

const HOST = '127.0.0.1';
const SCOPE = 'payments:read payments:write';
const API = 'https://api.example.com';
const RESOURCES = {
	[API]: { audience: API, alg: 'ES256' },
	'urn:example:api:rs256': { audience: API, alg: 'RS256' },
	'https://other.example.com': { audience: 'https://other.example.com', alg: 'ES256' },
};

function fatal(msg) {
	process.stderr.write(`provider.mjs: ${msg}\n`);
	process.exit(1);
}

// The RFC 7638 thumbprint of a public JWK, used as its kid.
function thumbprint(jwk) {
	const members = jwk.kty === 'EC' ?
	    { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y } :
	    { e: jwk.e, kty: jwk.kty, n: jwk.n };
	return crypto.createHash('sha256').update(JSON.stringify(members))
	    .digest('base64url');
}

// A fresh private signing JWK for alg.
function signingKey(alg) {
	const { privateKey } = alg === 'ES256' ?
	    crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }) :
	    crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
	const jwk = privateKey.export({ format: 'jwk' });
	return { ...jwk, kid: thumbprint(jwk), use: 'sig', alg };
}

const port = Number(process.env.OIDC_PORT || 0);
const clientId = process.env.OIDC_CLIENT_ID;
const clientSecret = process.env.OIDC_CLIENT_SECRET;
if (!Number.isInteger(port) || port < 0 || port > 65535)
	fatal('OIDC_PORT is not a port number');
if (!clientId || !clientSecret || clientSecret.length < 32)
	fatal('set OIDC_CLIENT_ID and OIDC_CLIENT_SECRET (32 characters or more)');

// The issuer names the port, so bind first and build the provider after.
let handler = (req, res) => { res.statusCode = 503; res.end(); };
const server = createServer((req, res) => handler(req, res));
await new Promise((resolve, reject) => {
	server.once('error', reject);
	server.listen(port, HOST, resolve);
}).catch((err) => fatal(`listen: ${err.message}`));
const issuer = `http://${HOST}:${server.address().port}`;

const provider = new Provider(issuer, {
	clients: [{
		client_id: clientId,
		client_secret: clientSecret,
		grant_types: ['client_credentials'],
		response_types: [],
		redirect_uris: [],
		scope: SCOPE,
	}],
	jwks: { keys: [signingKey('ES256'), signingKey('RS256')] },
	scopes: SCOPE.split(' '),
	enabledJWA: { dPoPSigningAlgValues: ['ES256'] },
	// No interactive flow runs, so no cookie matters; random keys keep the
	// provider from warning about their absence.
	cookies: { keys: [crypto.randomBytes(32).toString('base64url')] },
	features: {
		devInteractions: { enabled: false },
		clientCredentials: { enabled: true },
		dPoP: { enabled: true },
		resourceIndicators: {
			enabled: true,
			// No resource parameter: no default, so an opaque token.
			defaultResource: async () => undefined,
			getResourceServerInfo: async (ctx, indicator) => {
				const rs = RESOURCES[indicator];
				if (rs === undefined)
					throw new errors.InvalidTarget();
				return {
					scope: SCOPE,
					audience: rs.audience,
					accessTokenTTL: 300,
					accessTokenFormat: 'jwt',
					jwt: { sign: { alg: rs.alg } },
				};
			},
		},
	},
});
provider.on('server_error', (ctx, err) => {
	process.stderr.write(`provider.mjs: server_error: ${err.stack}\n`);
});
handler = provider.callback();

// Stop at once, idle keep-alive connections included, so that a restart
// can bind the same port.
function stop() {
	server.close(() => process.exit(0));
	server.closeAllConnections();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdout.write(`${server.address().port}\n`);
