// browser.mjs: cognito-wasm beside its anchors in one headless Chromium, one run.
//
//   SRP          the whole client computation of one sign-in (A, then the password claim from
//                B, salt and secret block): ours (SrpSession) and amazon-cognito-identity-js's
//                AuthenticationHelper (ACIJ), same inputs, same page, interleaved, after
//                warm-up; median and p90. Every signature is checked here against the server
//                side of SRP, so a fast wrong answer cannot count.
//   verify       one real ID token from the emulator, JWKS cached: ours (TokenVerifier) and
//                aws-jwt-verify's CognitoJwtVerifier, sequential awaited verifications for a
//                fixed time per round, rounds interleaved; median rate.
//   cold start   a fresh browser context per sample: fetch + instantiate + first verification
//                (ours: cognito_wasm.js + init() + TokenVerifier + cacheJwks + verify; theirs:
//                the esbuild bundle of aws-jwt-verify + create + cacheJwks + verify).
//   getSession   CognitoSession.getSession() with fresh tokens (no refresh), sequential awaited
//                calls for a fixed time per round; median microseconds per call (no anchor:
//                Amplify's fetchAuthSession needs its whole configured runtime).
//   bytes        our release package (wasm + the JS driver) and the anchors' esbuild bundle
//                (anchor.mjs), minified / gzip -9 / brotli 11; and the ceiling, Amplify JS's
//                auth module with every call (amplify.mjs), gzip -9.
//
// Prints a table and writes OUT_DIR/summary.json. `cargo xtask bench browser` runs it with:
//   EMULATOR_URL  a release emulator started with --config emulator/practical.json and
//                 --public-url https://cognito-idp.us-east-1.amazonaws.com (so the token's iss
//                 is the one aws-jwt-verify expects for us-east-1_Practical)
//   WWW_DIR       the directory whose pkg/ holds our built package (www, default)
//   OUT_DIR       where summary.json goes (target/bench, default)
// Optional: PKG_DIR (package measured for bytes, default crate/pkg), CHROMIUM, SRP_RUNS (21),
// VERIFY_ROUNDS (9), VERIFY_MS (1000), COLD_RUNS (5), WAIT_QUIET_S (180: how long to wait for
// other work on the machine to finish before measuring).

import { createServer } from 'node:http';
import { createHash, createHmac } from 'node:crypto';
import { readFile, readdir, mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');

function intEnv(name, fallback, min) {
  const v = process.env[name] ? Number(process.env[name]) : fallback;
  if (!Number.isInteger(v) || v < min) throw new Error(`${name} must be an integer >= ${min}`);
  return v;
}

const EMULATOR_URL = (process.env.EMULATOR_URL || '').replace(/\/+$/, '');
const WWW_DIR = path.resolve(process.env.WWW_DIR || path.join(ROOT, 'www'));
const PKG_DIR = path.resolve(process.env.PKG_DIR || path.join(ROOT, 'crate/pkg'));
const OUT_DIR = path.resolve(process.env.OUT_DIR || path.join(ROOT, 'target/bench'));
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const SRP_WARMUP = 3;
const SRP_RUNS = intEnv('SRP_RUNS', 21, 15);
const VERIFY_ROUNDS = intEnv('VERIFY_ROUNDS', 9, 1);
const VERIFY_MS = intEnv('VERIFY_MS', 1000, 100);
const COLD_RUNS = intEnv('COLD_RUNS', 5, 1);
/** Seconds to wait for other work to finish before measuring (0: do not wait). */
const WAIT_QUIET_S = intEnv('WAIT_QUIET_S', 180, 0);
const QUIET_PCT = 20;

/** As tests/e2e/harness.mjs: without the --disable-* flags Chromium floods a closed network. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

const POOL_ID = 'us-east-1_Practical';
const CLIENT_ID = 'practicalspaclientnosecret';
const VERIFIER_OPTIONS = { userPoolId: POOL_ID, clientId: CLIENT_ID, tokenUse: 'id' };

// ---------------------------------------------------------------------------------------------
// Small statistics

function sorted(xs) {
  return [...xs].sort((a, b) => a - b);
}
/** The median (mean of the two middle values for an even count). */
function median(xs) {
  const s = sorted(xs);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
/** Nearest-rank percentile. */
function percentile(xs, p) {
  const s = sorted(xs);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}
const round = (x, digits = 2) => Number(x.toFixed(digits));

// ---------------------------------------------------------------------------------------------
// Bytes

function compressed(buf) {
  return {
    raw: buf.length,
    gzip: gzipSync(buf, { level: 9 }).length,
    brotli: brotliCompressSync(buf, {
      params: {
        [zlib.BROTLI_PARAM_QUALITY]: 11,
        [zlib.BROTLI_PARAM_SIZE_HINT]: buf.length,
      },
    }).length,
  };
}

/** esbuild: bundle, minify, format esm, platform browser. `entry`: a path, or esbuild's stdin. */
async function bundle(entry, extra = {}) {
  const result = await esbuild.build({
    ...(typeof entry === 'string' ? { entryPoints: [entry] } : { stdin: entry }),
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    logLevel: 'warning',
    ...extra,
  });
  return Buffer.from(result.outputFiles[0].contents);
}

/** Every JS file of the package as shipped (the driver, one file since the registry). */
async function shippedJs(dir) {
  const files = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.js')) {
      files.push(await readFile(path.join(entry.parentPath ?? entry.path, entry.name)));
    }
  }
  return files.map(compressed).reduce(
    (a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip, brotli: a.brotli + b.brotli }),
    { raw: 0, gzip: 0, brotli: 0 },
  );
}

async function measureBytes() {
  const wasm = await readFile(path.join(PKG_DIR, 'cognito_wasm.wasm'));
  const anchor = await bundle(path.join(HERE, 'anchor.mjs'));
  const w = compressed(wasm);
  // Our JS measured as the anchors' is: bundled and minified by esbuild from the entry (the
  // driver is all the JS there is). As shipped (unminified) too, for the record.
  const j = compressed(await bundle(path.join(PKG_DIR, 'cognito_wasm.js')));
  return {
    wasm: w,
    js: j,
    jsShipped: await shippedJs(PKG_DIR),
    pkg: { raw: w.raw + j.raw, gzip: w.gzip + j.gzip, brotli: w.brotli + j.brotli },
    anchor: compressed(anchor),
    ceiling: compressed(await bundle(path.join(HERE, 'amplify.mjs'))),
  };
}

// ---------------------------------------------------------------------------------------------
// A real ID token from the emulator

async function cognito(target, body) {
  const resp = await fetch(`${EMULATOR_URL}/`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': `AWSCognitoIdentityProviderService.${target}`,
      'X-Cognito-Emulator-Admin': '1',
    },
    body: JSON.stringify(body),
  });
  const text = await resp.text();
  if (!resp.ok) throw new Error(`${target}: HTTP ${resp.status}: ${text}`);
  return text ? JSON.parse(text) : {};
}

async function realIdToken() {
  const username = `bench-${Date.now().toString(36)}`;
  const password = 'Bench-Passw0rd!';
  await cognito('SignUp', {
    ClientId: CLIENT_ID,
    Username: username,
    Password: password,
    UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }],
  });
  await cognito('AdminConfirmSignUp', { UserPoolId: POOL_ID, Username: username });
  const auth = await cognito('InitiateAuth', {
    AuthFlow: 'USER_PASSWORD_AUTH',
    ClientId: CLIENT_ID,
    AuthParameters: { USERNAME: username, PASSWORD: password },
  });
  const token = auth.AuthenticationResult?.IdToken;
  if (!token) throw new Error(`InitiateAuth gave no IdToken: ${JSON.stringify(auth)}`);
  const resp = await fetch(`${EMULATOR_URL}/${POOL_ID}/.well-known/jwks.json`);
  if (!resp.ok) throw new Error(`JWKS: HTTP ${resp.status}`);
  const jwks = await resp.json();
  const payload = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
  const iss = `https://cognito-idp.us-east-1.amazonaws.com/${POOL_ID}`;
  if (payload.iss !== iss) {
    throw new Error(
      `the token's iss is ${payload.iss}, not ${iss}: start the emulator with ` +
        '--public-url https://cognito-idp.us-east-1.amazonaws.com',
    );
  }
  const { AccessToken: accessToken, RefreshToken: refreshToken } = auth.AuthenticationResult;
  return { token, jwks, sub: payload.sub, tokens: { idToken: token, accessToken, refreshToken } };
}

// ---------------------------------------------------------------------------------------------
// SRP inputs and the server side, to check every signature (Node's BigInt and crypto; nothing
// here is timed)

const N = BigInt(
  '0x' +
    'ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74020bbea63b139b22514a08798e3404dd' +
    'ef9519b3cd3a431b302b0a6df25f14374fe1356d6d51c245e485b576625e7ec6f44c42e9a637ed6b0bff5cb6f406b7ed' +
    'ee386bfb5a899fa5ae9f24117c4b1fe649286651ece45b3dc2007cb8a163bf0598da48361c55d39a69163fa8fd24cf5f' +
    '83655d23dca3ad961c62f356208552bb9ed529077096966d670c354e4abc9804f1746c08ca18217c32905e462e36ce3b' +
    'e39e772c180e86039b2783a2ec07a28fb5c55df06f4c52c9de2bcbf6955817183995497cea956ae515d2261898fa0510' +
    '15728e5a8aaac42dad33170d04507a33a85521abdf1cba64ecfb850458dbef0a8aea71575d060c7db3970f85a6e1e4c7' +
    'abf5ae8cdb0933d71e8c94e04a25619dcee3d2261ad2ee6bf12ffa06d98a0864d87602733ec86a64521f2b18177b200c' +
    'bbe117577a615d6c770988c0bad946e208e24fa074e5ab3143db5bfce0fd108e4b82d120a93ad2caffffffffffffffff',
);
const G = 2n;

function modPow(base, exp, mod) {
  let result = 1n;
  base %= mod;
  while (exp > 0n) {
    if (exp & 1n) result = (result * base) % mod;
    base = (base * base) % mod;
    exp >>= 1n;
  }
  return result;
}
/** ACIJ's padHex for a non-negative integer. */
function padHex(n) {
  let h = n.toString(16);
  if (h.length % 2) h = `0${h}`;
  return /^[89a-f]/.test(h) ? `00${h}` : h;
}
const sha256 = (data) => createHash('sha256').update(data).digest();
const hmac = (key, data) => createHmac('sha256', key).update(data).digest();
const hexHash = (hex) => sha256(Buffer.from(hex, 'hex')).toString('hex');
const int = (hex) => BigInt(`0x${hex}`);

/** Fixed inputs of one sign-in, and the server that checks claims made with them. */
function srpFixture() {
  const seed = (label) => sha256(`cognito-wasm bench: ${label}`);
  const poolName = POOL_ID.split('_')[1];
  const userId = '7d3f0c9a-51b2-4e8e-9b6a-2f4c8d1e0a53';
  const password = 'Correct-Horse-Battery-9';
  const salt = seed('salt').subarray(0, 16).toString('hex');
  // Cognito's SECRET_BLOCK is an opaque blob of about a kilobyte; only its bytes are signed.
  const blockBytes = Buffer.concat(Array.from({ length: 32 }, (_, i) => seed(`block ${i}`)));
  const secretBlock = blockBytes.toString('base64');
  const timestamp = 'Fri Nov 27 06:00:00 UTC 2026';

  const k = int(hexHash(padHex(N) + padHex(G)));
  const userHash = sha256(`${poolName}${userId}:${password}`).toString('hex');
  const x = int(hexHash(padHex(int(salt)) + userHash));
  const v = modPow(G, x, N);
  const b = int(seed('b').toString('hex')); // 256 bits, as the emulator's
  const B = (k * v + modPow(G, b, N)) % N;
  const srpB = B.toString(16);
  const info = Buffer.concat([Buffer.from('Caldera Derived Key', 'utf8'), Buffer.from([1])]);
  const message = (user) =>
    Buffer.concat([
      Buffer.from(poolName, 'utf8'),
      Buffer.from(user, 'utf8'),
      blockBytes,
      Buffer.from(timestamp, 'utf8'),
    ]);

  /** The PASSWORD_CLAIM_SIGNATURE the server expects for this SRP_A. */
  function expectedSignature(srpA) {
    const A = int(srpA);
    if (A % N === 0n) throw new Error('SRP_A is zero modulo N');
    const u = int(hexHash(padHex(A) + padHex(B)));
    const S = modPow((A * modPow(v, u, N)) % N, b, N);
    const prk = hmac(Buffer.from(padHex(u), 'hex'), Buffer.from(padHex(S), 'hex'));
    const key = hmac(prk, info).subarray(0, 16);
    return hmac(key, message(userId)).toString('base64');
  }

  return {
    input: { poolName, userId, password, srpB, salt, secretBlock, timestamp },
    expectedSignature,
  };
}

// ---------------------------------------------------------------------------------------------
// The static server: the bench page, its bundles and our package, on 127.0.0.1

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
};

/** Serves exactly `routes` (path -> { body } or { file }): no directory access, no guessing. */
async function serve(routes) {
  const server = createServer(async (req, res) => {
    const route = routes.get((req.url || '/').split(/[?#]/, 1)[0]);
    if (req.method !== 'GET' || !route) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found\n');
      return;
    }
    try {
      const body = route.body ?? (await readFile(route.file));
      res.writeHead(200, {
        'Content-Type': route.type,
        'Content-Length': body.length,
        'Cache-Control': 'no-store',
      });
      res.end(body);
    } catch (e) {
      res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(`${e}\n`);
    }
  });
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', ok);
  });
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    close: () =>
      new Promise((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      }),
  };
}

async function routes() {
  const r = new Map();
  const html = (title, body = '') =>
    Buffer.from(`<!doctype html><meta charset="utf-8"><title>${title}</title>${body}\n`);
  r.set('/', {
    type: TYPES['.html'],
    body: html('cognito-wasm bench', '<script type="module" src="/bench/page.js"></script>'),
  });
  r.set('/blank.html', { type: TYPES['.html'], body: html('cold start') });
  r.set('/favicon.ico', { type: 'image/x-icon', body: Buffer.alloc(0) });
  // `global`: buffer 4.9.2 (ACIJ's) reads it; browser bundlers provide it the same way.
  r.set('/bench/page.js', {
    type: TYPES['.js'],
    body: await bundle(path.join(HERE, 'page.mjs'), { define: { global: 'globalThis' } }),
  });
  r.set('/bench/awsjwt.js', {
    type: TYPES['.js'],
    body: await bundle({
      contents: "export { CognitoJwtVerifier } from 'aws-jwt-verify';",
      resolveDir: HERE,
      sourcefile: 'awsjwt-entry.mjs',
    }),
  });
  const pkg = path.join(WWW_DIR, 'pkg');
  // The package's files: the driver and the wasm.
  for (const entry of await readdir(pkg, { withFileTypes: true, recursive: true })) {
    const type = TYPES[path.extname(entry.name)];
    const file = path.join(entry.parentPath ?? entry.path, entry.name);
    const url = `/pkg/${path.relative(pkg, file).split(path.sep).join('/')}`;
    if (entry.isFile() && type) r.set(url, { type, file });
  }
  return r;
}

// ---------------------------------------------------------------------------------------------
// The browser

function launch() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/** A page that fails the run on any page error. */
async function newPage(context) {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.stack || e.message || e}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console.error: ${m.text()}`);
  });
  page.on('requestfailed', (r) => errors.push(`requestfailed: ${r.url()}: ${r.failure()?.errorText}`));
  return {
    page,
    check() {
      if (errors.length) throw new Error(`errors in the page:\n  ${errors.join('\n  ')}`);
    },
  };
}

async function benchSrp(page, fixture) {
  const run = (which) =>
    page.evaluate(
      ([w, c]) => (w === 'ours' ? globalThis.bench.srpOurs(c) : globalThis.bench.srpAcij(c)),
      [which, fixture.input],
    );
  const samples = { ours: [], acij: [] };
  const first = {};
  const checked = { ours: 0, acij: 0 };
  for (let i = 0; i < SRP_WARMUP + SRP_RUNS; i++) {
    // Interleaved, alternating which goes first, so drift (heat, other load, tier-up) hits both.
    const order = i % 2 ? ['acij', 'ours'] : ['ours', 'acij'];
    for (const which of order) {
      const r = await run(which);
      if (r.signature !== fixture.expectedSignature(r.srpA)) {
        throw new Error(`SRP ${which}: wrong PASSWORD_CLAIM_SIGNATURE for SRP_A ${r.srpA}`);
      }
      checked[which]++;
      if (i === 0) first[which] = r.ms;
      if (i >= SRP_WARMUP) samples[which].push(r);
    }
  }
  const stats = (xs) => ({
    median: median(xs.map((r) => r.ms)),
    p90: percentile(xs.map((r) => r.ms), 90),
    min: Math.min(...xs.map((r) => r.ms)),
    aMedian: median(xs.map((r) => r.aMs)),
    claimMedian: median(xs.map((r) => r.claimMs)),
    samples: xs.map((r) => round(r.ms, 1)),
  });
  return {
    ours: { ...stats(samples.ours), first: first.ours },
    acij: { ...stats(samples.acij), first: first.acij },
    checked,
  };
}

async function benchVerify(page, token) {
  const rate = (which, ms) =>
    page.evaluate(([w, t, m]) => globalThis.bench.verifyRate(w, t, m), [which, token, ms]);
  const all = ['ours', 'theirs', 'webcrypto'];
  // Warm-up: JIT, wasm tier-up, the imported CryptoKeys.
  for (const which of all) await rate(which, 300);
  const rates = { ours: [], theirs: [], webcrypto: [] };
  for (let i = 0; i < VERIFY_ROUNDS; i++) {
    // Rotate who goes first, so drift hits each in every position.
    const order = all.map((_, j) => all[(i + j) % all.length]);
    for (const which of order) rates[which].push((await rate(which, VERIFY_MS)).perSecond);
  }
  const stats = (xs) => ({ median: median(xs), rounds: xs.map((r) => round(r, 0)) });
  // The machine's speed drifts between rounds by more than the difference under test; the
  // ratio within each round (same seconds) is steadier than the ratio of the medians.
  const ratios = rates.ours.map((r, i) => r / rates.theirs[i]);
  return {
    ours: stats(rates.ours),
    theirs: stats(rates.theirs),
    webcrypto: stats(rates.webcrypto),
    ratio: { median: median(ratios), rounds: ratios.map((r) => round(r, 2)) },
  };
}

async function benchGetSession(page, tokens) {
  const options = {
    userPoolId: POOL_ID,
    clientId: CLIENT_ID,
    endpoint: EMULATOR_URL,
    jwksUri: `${EMULATOR_URL}/${POOL_ID}/.well-known/jwks.json`,
  };
  const username = await page.evaluate((a) => globalThis.bench.setupSession(a), { options, tokens });
  if (!username) throw new Error('getSession: the session has no user');
  const rate = (ms) => page.evaluate((m) => globalThis.bench.sessionRate(m), ms);
  await rate(300); // warm-up
  const rounds = [];
  for (let i = 0; i < VERIFY_ROUNDS; i++) rounds.push((await rate(VERIFY_MS)).usPerCall);
  return { median: median(rounds), rounds: rounds.map((r) => round(r, 2)) };
}

/** One cold start in a fresh context (own process, empty caches). */
async function coldStart(browser, origin, which, token, jwks) {
  const context = await browser.newContext();
  try {
    const { page, check } = await newPage(context);
    await page.goto(`${origin}/blank.html`);
    const r = await page.evaluate(
      async ([w, o, options, t, keys]) => {
        const t0 = performance.now();
        let verifier;
        if (w === 'ours') {
          const m = await import(`${o}/pkg/cognito_wasm.js`);
          await m.default();
          verifier = new m.TokenVerifier(options);
        } else {
          const m = await import(`${o}/bench/awsjwt.js`);
          verifier = m.CognitoJwtVerifier.create(options);
        }
        verifier.cacheJwks(keys);
        const t1 = performance.now();
        const claims = await verifier.verify(t);
        const t2 = performance.now();
        return { ms: t2 - t0, loadMs: t1 - t0, firstVerifyMs: t2 - t1, sub: claims.sub };
      },
      [which, origin, VERIFIER_OPTIONS, token, jwks],
    );
    check();
    return r;
  } finally {
    await context.close();
  }
}

async function benchCold(browser, origin, token, jwks, sub) {
  const runs = { ours: [], theirs: [] };
  for (let i = 0; i < COLD_RUNS; i++) {
    const order = i % 2 ? ['theirs', 'ours'] : ['ours', 'theirs'];
    for (const which of order) {
      const r = await coldStart(browser, origin, which, token, jwks);
      if (r.sub !== sub) throw new Error(`cold start ${which}: wrong claims`);
      runs[which].push(r);
    }
  }
  const stats = (xs) => ({
    median: median(xs.map((r) => r.ms)),
    loadMedian: median(xs.map((r) => r.loadMs)),
    firstVerifyMedian: median(xs.map((r) => r.firstVerifyMs)),
    samples: xs.map((r) => round(r.ms, 1)),
  });
  return { ours: stats(runs.ours), theirs: stats(runs.theirs) };
}

/** Both verifiers accept the token with the same claims and refuse it with a broken signature. */
async function sanity(page, token, sub) {
  const once = (w, t) => page.evaluate(([a, b]) => globalThis.bench.verifyOnce(a, b), [w, t]);
  const [head, body, sig] = token.split('.');
  const flipped = sig[10] === 'A' ? 'B' : 'A';
  const forged = `${head}.${body}.${sig.slice(0, 10)}${flipped}${sig.slice(11)}`;
  for (const which of ['ours', 'theirs']) {
    const ok = await once(which, token);
    if (!ok.ok || ok.sub !== sub || ok.aud !== CLIENT_ID || ok.tokenUse !== 'id') {
      throw new Error(`${which} does not accept the token: ${JSON.stringify(ok)}`);
    }
    const bad = await once(which, forged);
    if (bad.ok) throw new Error(`${which} accepts a token with a broken signature`);
  }
}

// ---------------------------------------------------------------------------------------------
// The report

const fmtMs = (x) => `${x.toFixed(1)} ms`;
const fmtRate = (x) => `${Math.round(x).toLocaleString('en-US')} /s`;
const fmtKB = (n) => `${(n / 1000).toFixed(1)} KB`;
/** Ratio for quantities where smaller is better (times, bytes). */
function smallerBetter(ours, theirs, word = ['faster', 'slower']) {
  return ours <= theirs
    ? `${(theirs / ours).toFixed(2)}x ${word[0]}`
    : `${(ours / theirs).toFixed(2)}x ${word[1]}`;
}
/** A rate as a share of the floor's. */
const pct = (x, floorRate) => `${Math.round((100 * x) / floorRate)}%`;
function largerBetter(ours, theirs) {
  return ours >= theirs
    ? `${(ours / theirs).toFixed(2)}x faster`
    : `${(theirs / ours).toFixed(2)}x slower`;
}

function table(rows) {
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r) => `| ${r.map((c, i) => (i ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [line(rows[0]), rule, ...rows.slice(1).map(line)].join('\n');
}

// ---------------------------------------------------------------------------------------------

async function main() {
  if (!EMULATOR_URL) {
    throw new Error(
      'set EMULATOR_URL to a release emulator started with --config emulator/practical.json ' +
        '--public-url https://cognito-idp.us-east-1.amazonaws.com (cargo xtask bench browser does this)',
    );
  }
  const glue = await readFile(path.join(WWW_DIR, 'pkg/cognito_wasm.js'), 'utf8');
  if (!glue.includes('SrpSession') || !glue.includes('defineOperations')) {
    throw new Error(`${WWW_DIR}/pkg predates the registry of operations: rebuild it (cargo xtask bench does)`);
  }
  const busyBefore = await waitForQuiet();
  const loadBefore = os.loadavg();
  if (busyBefore > QUIET_PCT) {
    console.log(
      `note: the CPUs were ${busyBefore.toFixed(0)}% busy before the run (load average ` +
        `${loadBefore[0].toFixed(2)}): other work may skew the numbers`,
    );
  }

  console.log('bytes: esbuild bundle of the anchors, our package');
  const bytes = await measureBytes();
  console.log('token: sign-up, confirm and USER_PASSWORD_AUTH on the emulator');
  const { token, jwks, sub, tokens } = await realIdToken();
  const fixture = srpFixture();
  const server = await serve(await routes());
  const browser = await launch();
  let srp;
  let verify;
  let cold;
  let getSession;
  let chromiumVersion;
  try {
    chromiumVersion = browser.version();
    const context = await browser.newContext();
    const { page, check } = await newPage(context);
    await page.goto(`${server.origin}/`);
    await page.waitForFunction(() => globalThis.bench !== undefined);
    await page.evaluate((args) => globalThis.bench.setup(args), {
      pkgUrl: `${server.origin}/pkg/cognito_wasm.js`,
      verifierOptions: VERIFIER_OPTIONS,
      jwks,
    });
    await sanity(page, token, sub);
    await page.evaluate(([t, keys]) => globalThis.bench.setupFloor(t, keys), [token, jwks]);
    console.log(`SRP: ${SRP_WARMUP} warm-ups, then ${SRP_RUNS} runs each, interleaved`);
    srp = await benchSrp(page, fixture);
    console.log(`verify: ${VERIFY_ROUNDS} rounds of ${VERIFY_MS} ms each, interleaved`);
    verify = await benchVerify(page, token);
    console.log(`getSession: ${VERIFY_ROUNDS} rounds of ${VERIFY_MS} ms each`);
    getSession = await benchGetSession(page, tokens);
    check();
    await context.close();
    console.log(`cold start: ${COLD_RUNS} fresh contexts each`);
    cold = await benchCold(browser, server.origin, token, jwks, sub);
  } finally {
    await browser.close();
    await server.close();
  }
  const loadAfter = os.loadavg();

  const summary = {
    date: new Date().toISOString(),
    chromium_version: chromiumVersion,
    node_version: process.version,
    cpus: os.cpus().length,
    cpu_busy_before_pct: round(busyBefore, 1),
    load_average_before: loadBefore.map((x) => round(x)),
    load_average_after: loadAfter.map((x) => round(x)),
    srp_ms: round(srp.ours.median),
    srp_p90_ms: round(srp.ours.p90),
    srp_a_ms: round(srp.ours.aMedian),
    srp_claim_ms: round(srp.ours.claimMedian),
    acij_srp_ms: round(srp.acij.median),
    acij_srp_p90_ms: round(srp.acij.p90),
    acij_a_ms: round(srp.acij.aMedian),
    acij_claim_ms: round(srp.acij.claimMedian),
    srp_first_ms: round(srp.ours.first),
    acij_srp_first_ms: round(srp.acij.first),
    srp_runs: SRP_RUNS,
    srp_warmup: SRP_WARMUP,
    verify_per_s: round(verify.ours.median, 0),
    awsjwt_verify_per_s: round(verify.theirs.median, 0),
    webcrypto_verify_per_s: round(verify.webcrypto.median, 0),
    verify_ratio_median_of_rounds: round(verify.ratio.median, 2),
    verify_rounds: VERIFY_ROUNDS,
    verify_round_ms: VERIFY_MS,
    get_session_us: round(getSession.median, 2),
    cold_start_ms: round(cold.ours.median),
    cold_start_load_ms: round(cold.ours.loadMedian),
    cold_start_first_verify_ms: round(cold.ours.firstVerifyMedian),
    awsjwt_cold_start_ms: round(cold.theirs.median),
    awsjwt_cold_start_load_ms: round(cold.theirs.loadMedian),
    awsjwt_cold_start_first_verify_ms: round(cold.theirs.firstVerifyMedian),
    cold_runs: COLD_RUNS,
    pkg_wasm_bytes: bytes.wasm.raw,
    pkg_wasm_gzip_bytes: bytes.wasm.gzip,
    pkg_wasm_brotli_bytes: bytes.wasm.brotli,
    pkg_js_bytes: bytes.js.raw,
    pkg_js_gzip_bytes: bytes.js.gzip,
    pkg_js_brotli_bytes: bytes.js.brotli,
    pkg_js_shipped_bytes: bytes.jsShipped.raw,
    pkg_js_shipped_gzip_bytes: bytes.jsShipped.gzip,
    pkg_bytes: bytes.pkg.raw,
    pkg_gzip_bytes: bytes.pkg.gzip,
    pkg_brotli_bytes: bytes.pkg.brotli,
    anchor_min_bytes: bytes.anchor.raw,
    anchor_gzip_bytes: bytes.anchor.gzip,
    anchor_brotli_bytes: bytes.anchor.brotli,
    amplify_auth_min_bytes: bytes.ceiling.raw,
    amplify_auth_gzip_bytes: bytes.ceiling.gzip,
    versions: {
      'amazon-cognito-identity-js': await packageVersion('amazon-cognito-identity-js'),
      'aws-jwt-verify': await packageVersion('aws-jwt-verify'),
      'aws-amplify': await packageVersion('aws-amplify'),
      esbuild: esbuild.version,
    },
    samples: {
      srp_ms: srp.ours.samples,
      acij_srp_ms: srp.acij.samples,
      verify_per_s: verify.ours.rounds,
      awsjwt_verify_per_s: verify.theirs.rounds,
      webcrypto_verify_per_s: verify.webcrypto.rounds,
      get_session_us: getSession.rounds,
      cold_start_ms: cold.ours.samples,
      awsjwt_cold_start_ms: cold.theirs.samples,
    },
  };

  const rows = [
    ['measure', 'cognito-wasm', 'anchor', 'ours vs anchor'],
    [
      `SRP sign-in, client compute (median of ${SRP_RUNS}; anchor ACIJ)`,
      fmtMs(srp.ours.median),
      fmtMs(srp.acij.median),
      smallerBetter(srp.ours.median, srp.acij.median),
    ],
    ['  p90', fmtMs(srp.ours.p90), fmtMs(srp.acij.p90), smallerBetter(srp.ours.p90, srp.acij.p90)],
    [
      '  of which A = g^a (median)',
      fmtMs(srp.ours.aMedian),
      fmtMs(srp.acij.aMedian),
      smallerBetter(srp.ours.aMedian, srp.acij.aMedian),
    ],
    [
      '  of which the claim from B (median)',
      fmtMs(srp.ours.claimMedian),
      fmtMs(srp.acij.claimMedian),
      smallerBetter(srp.ours.claimMedian, srp.acij.claimMedian),
    ],
    [
      '  first run in the page (no warm-up)',
      fmtMs(srp.ours.first),
      fmtMs(srp.acij.first),
      smallerBetter(srp.ours.first, srp.acij.first),
    ],
    [
      `ID token verify, cached JWKS (median of ${VERIFY_ROUNDS}; aws-jwt-verify)`,
      fmtRate(verify.ours.median),
      fmtRate(verify.theirs.median),
      largerBetter(verify.ours.median, verify.theirs.median),
    ],
    [
      '  ratio within each round (median)',
      '',
      '',
      `${verify.ratio.median.toFixed(2)}x faster (rounds ${verify.ratio.rounds.join(', ')})`,
    ],
    [
      '  floor: crypto.subtle.verify alone (same signature)',
      fmtRate(verify.webcrypto.median),
      '',
      `ours at ${pct(verify.ours.median, verify.webcrypto.median)}, anchor at ${pct(verify.theirs.median, verify.webcrypto.median)}`,
    ],
    [
      `CognitoSession.getSession, fresh tokens (median of ${VERIFY_ROUNDS})`,
      `${getSession.median.toFixed(1)} us`,
      '',
      '',
    ],
    [
      `cold start: fetch + instantiate + 1st verify (median of ${COLD_RUNS})`,
      fmtMs(cold.ours.median),
      fmtMs(cold.theirs.median),
      smallerBetter(cold.ours.median, cold.theirs.median),
    ],
    [
      '  of which load (import, init)',
      fmtMs(cold.ours.loadMedian),
      fmtMs(cold.theirs.loadMedian),
      smallerBetter(cold.ours.loadMedian, cold.theirs.loadMedian),
    ],
    [
      '  of which the first verification',
      fmtMs(cold.ours.firstVerifyMedian),
      fmtMs(cold.theirs.firstVerifyMedian),
      smallerBetter(cold.ours.firstVerifyMedian, cold.theirs.firstVerifyMedian),
    ],
    [
      'bytes, raw / minified (ours: wasm + JS minified; anchor: ACIJ + aws-jwt-verify)',
      fmtKB(bytes.pkg.raw),
      fmtKB(bytes.anchor.raw),
      smallerBetter(bytes.pkg.raw, bytes.anchor.raw, ['smaller', 'larger']),
    ],
    [
      'bytes, gzip -9',
      fmtKB(bytes.pkg.gzip),
      fmtKB(bytes.anchor.gzip),
      smallerBetter(bytes.pkg.gzip, bytes.anchor.gzip, ['smaller', 'larger']),
    ],
    [
      'bytes, brotli 11',
      fmtKB(bytes.pkg.brotli),
      fmtKB(bytes.anchor.brotli),
      smallerBetter(bytes.pkg.brotli, bytes.anchor.brotli, ['smaller', 'larger']),
    ],
    [
      'bytes, gzip -9: ours against the ceiling (Amplify JS auth, every call; amplify.mjs)',
      fmtKB(bytes.pkg.gzip),
      fmtKB(bytes.ceiling.gzip),
      smallerBetter(bytes.pkg.gzip, bytes.ceiling.gzip, ['smaller', 'larger']),
    ],
    [
      '  ours: wasm (raw / gzip / brotli)',
      `${fmtKB(bytes.wasm.raw)} / ${fmtKB(bytes.wasm.gzip)} / ${fmtKB(bytes.wasm.brotli)}`,
      '',
      '',
    ],
    [
      '  ours: JS driver, esbuild-minified (raw / gzip / brotli)',
      `${fmtKB(bytes.js.raw)} / ${fmtKB(bytes.js.gzip)} / ${fmtKB(bytes.js.brotli)}`,
      '',
      '',
    ],
    [
      '  ours: JS as shipped, unminified (raw / gzip / brotli)',
      `${fmtKB(bytes.jsShipped.raw)} / ${fmtKB(bytes.jsShipped.gzip)} / ${fmtKB(bytes.jsShipped.brotli)}`,
      '',
      '',
    ],
  ];
  console.log(`\ncognito-wasm vs anchors, headless Chromium ${chromiumVersion}, ${os.cpus().length} cores`);
  console.log(table(rows));
  console.log(
    `CPUs ${busyBefore.toFixed(0)}% busy just before; load average before / after: ` +
      `${loadBefore[0].toFixed(2)} / ${loadAfter[0].toFixed(2)}` +
      `; every SRP signature (${srp.checked.ours} ours, ${srp.checked.acij} ACIJ) checked against the server side`,
  );

  await mkdir(OUT_DIR, { recursive: true });
  const out = path.join(OUT_DIR, 'summary.json');
  await writeFile(out, `${JSON.stringify(summary, null, 2)}\n`);
  console.log(`wrote ${out}`);
}

/**
 * On a shared machine another build or test run would slow both sides, unevenly: waits up to
 * WAIT_QUIET_S for the CPUs to be under QUIET_PCT% busy over two seconds. Returns how busy they
 * were when we started.
 */
async function waitForQuiet() {
  const deadline = Date.now() + WAIT_QUIET_S * 1000;
  let busy = await cpuBusy(2000);
  if (busy > QUIET_PCT && Date.now() < deadline) {
    console.log(`the CPUs are ${busy.toFixed(0)}% busy: waiting up to ${WAIT_QUIET_S} s for quiet`);
  }
  while (busy > QUIET_PCT && Date.now() < deadline) busy = await cpuBusy(2000);
  return busy;
}

/** The share of all CPUs' time spent busy over the next `ms` (Linux /proc/stat). */
async function cpuBusy(ms) {
  const sample = async () => {
    const [, ...fields] = (await readFile('/proc/stat', 'utf8')).split('\n')[0].trim().split(/\s+/);
    const n = fields.slice(0, 8).map(Number);
    return { total: n.reduce((a, b) => a + b, 0), idle: n[3] + n[4] };
  };
  try {
    const a = await sample();
    await new Promise((ok) => setTimeout(ok, ms));
    const b = await sample();
    return (100 * (b.total - a.total - (b.idle - a.idle))) / Math.max(1, b.total - a.total);
  } catch {
    return 0; // not Linux: unknown
  }
}

async function packageVersion(name) {
  const text = await readFile(path.join(HERE, 'node_modules', name, 'package.json'), 'utf8');
  return JSON.parse(text).version;
}

main().catch((e) => {
  console.error(`bench: ${e.stack || e}`);
  process.exit(1);
});
