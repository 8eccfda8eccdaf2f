// SPDX-License-Identifier: Apache-2.0
// jose_bench.mjs - the `jose` row of bench/run.sh: jwtVerify() on Node.
//
//   node bench/jose_bench.mjs JOSE_DIR DATA_DIR ROUNDS
//
// Imports `jose` from JOSE_DIR/node_modules (bench/run.sh installs it there
// with npm), and times jwtVerify() on the very tokens bench/bench.c uses,
// with the same keys, made once (importSPKI): the signature, then iss, aud,
// exp/nbf/iat at the benchmark's fixed clock, and jti required.  It checks
// no actor chain, binding, route or tenant, so its row does less than
// hopcheck's.  Single-threaded, like the C rows: warm-up, then batches of
// about 80 ms, ROUNDS x 3 of them; prints "ALG us_per_op iqr_percent".
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [joseDir, dataDir, roundsArg] = process.argv.slice(2);
const jose = await import(pathToFileURL(join(joseDir, "node_modules", "jose",
    "dist", "node", "esm", "index.js")).href).catch(() =>
    import(pathToFileURL(join(joseDir, "node_modules", "jose",
        "dist", "webapi", "index.js")).href));
const rounds = Number(roundsArg || 5);

const ctx = Object.fromEntries(readFileSync(join(dataDir, "context"), "utf8")
    .split("\n").filter((l) => l && !l.startsWith("#"))
    .map((l) => l.split(/\s+/)));
const now = new Date(Number(ctx.now) * 1000);
const cases = [
	["ES256", "es256.jwt", "es256.pub.pem"],
	["RS256", "rs256.jwt", "rsa2048.pub.pem"],
	["PS256", "ps256.jwt", "rsa2048.pub.pem"],
];

function median(v) {
	const s = [...v].sort((a, b) => a - b);
	const q = (p) => {
		const pos = p * (s.length - 1), i = Math.floor(pos);
		return i + 1 < s.length ? s[i] + (pos - i) * (s[i + 1] - s[i]) : s[i];
	};
	return [q(0.5), q(0.25), q(0.75)];
}

for (const [alg, tokFile, keyFile] of cases) {
	const token = readFileSync(join(dataDir, "tokens", tokFile), "utf8").trim();
	const key = await jose.importSPKI(readFileSync(join(dataDir, keyFile),
	    "utf8"), alg);
	const opts = {
		algorithms: [alg], issuer: "https://sts.example.org",
		audience: "https://payments.internal", currentDate: now,
		requiredClaims: ["jti"], clockTolerance: 30,
	};
	const op = () => jose.jwtVerify(token, key, opts);
	await op();                              // accepted, or this throws
	let n = 0;
	const t0 = performance.now();
	while (performance.now() - t0 < 300 || n < 50) {
		await op();
		n++;
	}
	const batch = Math.max(1, Math.round(n / (performance.now() - t0) * 80));
	const us = [];
	for (let b = 0; b < rounds * 3; b++) {
		const s = performance.now();
		for (let i = 0; i < batch; i++)
			await op();
		us.push((performance.now() - s) * 1000 / batch);
	}
	const [med, q1, q3] = median(us);
	console.log(`${alg} ${med.toFixed(3)} ${(100 * (q3 - q1) / med).toFixed(1)}`);
}
