// harness.mjs: small helpers for the browser end-to-end tests of the pages in www/.
//
// - serveStatic(rootDir): a static file server on 127.0.0.1 (the pages load wasm, which
//   browsers refuse from file:// URLs).
// - launchBrowser(): headless /usr/bin/chromium through playwright-core (nothing downloads
//   a browser), with the flags that keep it off the closed network.
// - watchPage(page): collects page errors and console errors, for asserting there were none.
// - emulatorEndpoint(), outboxCode(), uniqueName(): the emulator side; startEmulator(): an
//   emulator of one's own (for a test that moves its clock).

import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { createHmac, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

/** See /work/shared/reference/toolchain.md: without these Chromium floods the closed network. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
};

/** Is `child` (a resolved path) `parent` itself or inside it? */
function inside(parent, child) {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Serves the files under `rootDir` on 127.0.0.1 at a free port. GET and HEAD only; no directory
 * listings (a directory serves its index.html if it has one); 404 for anything else, including
 * paths that would leave the root (`..`, encoded or not, and symlinks pointing out of it).
 * Resolves to { url, close }, url ending in '/'.
 */
export async function serveStatic(rootDir) {
  const root = await realpath(path.resolve(rootDir));

  async function resolve(urlPath) {
    let decoded;
    try {
      decoded = decodeURIComponent(urlPath);
    } catch {
      return null;
    }
    if (decoded.includes('\0') || decoded.includes('\\')) return null;
    let file = path.resolve(root, '.' + path.posix.normalize('/' + decoded));
    if (!inside(root, file)) return null;
    let info;
    try {
      file = await realpath(file);
      if (!inside(root, file)) return null;
      info = await stat(file);
      if (info.isDirectory()) {
        file = await realpath(path.join(file, 'index.html'));
        if (!inside(root, file)) return null;
        info = await stat(file);
      }
    } catch {
      return null;
    }
    return info.isFile() ? { file, size: info.size } : null;
  }

  const server = createServer(async (req, res) => {
    const notFound = () => {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('not found\n');
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('method not allowed\n');
      return;
    }
    const urlPath = (req.url || '/').split(/[?#]/, 1)[0];
    const found = await resolve(urlPath);
    if (!found) return notFound();
    res.writeHead(200, {
      'Content-Type':
        CONTENT_TYPES[path.extname(found.file).toLowerCase()] || 'application/octet-stream',
      'Content-Length': found.size,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
    if (req.method === 'HEAD') return res.end();
    createReadStream(found.file)
      .on('error', () => res.destroy())
      .pipe(res);
  });

  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', ok);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      }),
  };
}

/** Headless Chromium from /usr/bin (playwright-core never downloads one). */
export function launchBrowser(options = {}) {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    ...options,
  });
}

/**
 * Starts collecting what went wrong in `page`: uncaught exceptions, console errors and
 * requests that failed. Returns { errors, assertNone() }.
 */
export function watchPage(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.stack || e.message || e}`));
  page.on('console', (m) => {
    if (m.type() === 'error') {
      const at = m.location();
      errors.push(`console.error: ${m.text()}${at?.url ? ` (${at.url}:${at.lineNumber})` : ''}`);
    }
  });
  page.on('requestfailed', (r) =>
    errors.push(`requestfailed: ${r.method()} ${r.url()}: ${r.failure()?.errorText}`),
  );
  return {
    errors,
    assertNone() {
      if (errors.length) throw new Error(`errors in the page:\n  ${errors.join('\n  ')}`);
    },
  };
}

/**
 * Asserts that the page logged nothing but the emulator's HTTP 400 answers (Cognito's errors,
 * which Chromium reports on the console as failed resource loads): for tests that provoke them.
 */
export function assertOnlyCognitoErrors(watch, endpoint) {
  const expected =
    /^console\.error: Failed to load resource: the server responded with a status of 400 .*\((\S+):\d+\)$/;
  const unexpected = watch.errors.filter((e) => {
    const m = e.match(expected);
    return !(m && (m[1] === endpoint || m[1].startsWith(`${endpoint}/`)));
  });
  if (unexpected.length) throw new Error(`errors in the page:\n  ${unexpected.join('\n  ')}`);
}

/** The emulator's URL from COGNITO_ENDPOINT, without a trailing slash. */
export function emulatorEndpoint() {
  const endpoint = (process.env.COGNITO_ENDPOINT || '').replace(/\/+$/, '');
  if (!endpoint) {
    throw new Error(
      'set COGNITO_ENDPOINT to a running emulator, e.g. start ' +
        '`target/debug/cognito-emulator --port 0 --config emulator/practical.json` ' +
        'and use the URL of its first line ("listening on URL")',
    );
  }
  return endpoint;
}

/**
 * An emulator of the test's own, seeded with the practical's pool (the binary `cargo xtask
 * test` built): for a test that moves the clock, which would change every other test's
 * tokens on the shared one. Resolves to { url, stop }.
 */
export function startEmulator() {
  const root = new URL('../../', import.meta.url);
  const binary = new URL('target/debug/cognito-emulator', root);
  const config = new URL('emulator/practical.json', root);
  const child = spawn(binary.pathname, ['--port', '0', '--quiet', '--config', config.pathname], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let seen = '';
    child.on('error', reject);
    child.stdout.on('data', (chunk) => {
      seen += chunk;
      const line = seen.match(/^listening on (\S+)\n/);
      if (line) {
        // Keep draining stdout, so the emulator never blocks on a full pipe.
        child.stdout.removeAllListeners('data');
        child.stdout.resume();
        resolve({ url: line[1].replace(/\/+$/, ''), stop: () => child.kill() });
      }
    });
    child.on('exit', (code) => reject(new Error(`the emulator exited (${code}) before listening`)));
  });
}

/** The header the emulator wants on its own routes (`/_emulator/*`) and its admin calls. */
export const ADMIN = { 'X-Cognito-Emulator-Admin': '1' };

/**
 * The newest code of `kind` ('confirm_sign_up' or 'forgot_password') the emulator at `endpoint`
 * "sent" to `username` (optionally only in pool `poolId`). Throws if there is none.
 */
export async function outboxCode(endpoint, username, kind = 'confirm_sign_up', poolId) {
  const url = new URL('/_emulator/outbox', endpoint);
  url.searchParams.set('username', username);
  if (poolId) url.searchParams.set('pool_id', poolId);
  const resp = await fetch(url, { headers: ADMIN });
  if (!resp.ok) throw new Error(`GET ${url}: HTTP ${resp.status}`);
  const entries = (await resp.json()).filter((e) => e.kind === kind);
  if (!entries.length) throw new Error(`no ${kind} message for ${username} in the outbox`);
  return entries[entries.length - 1].code;
}

/** A fresh lowercase name (usernames are case-insensitive in the pool). */
export function uniqueName(prefix = 'user') {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`.toLowerCase();
}

/** RFC 6238's code (HMAC-SHA1, 30-second steps, 6 digits) of base32 `secret` at epoch second
 *  `at`: what an authenticator app shows. */
export function totp(secret, at) {
  let bits = '';
  for (const c of secret) bits += 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 30)));
  const d = createHmac('sha1', key).update(counter).digest();
  return String((d.readUInt32BE(d[19] & 15) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

/** A code that is none of the three the emulator accepts at `now` (its step and either side). */
export function wrongCode(secret, now) {
  const near = [now - 30, now, now + 30].map((t) => totp(secret, t));
  for (let i = 1; ; i += 1) {
    const c = String((i * 7919) % 1_000_000).padStart(6, '0');
    if (!near.includes(c)) return c;
  }
}

/** The emulator's clock at `endpoint`, moved `seconds` on: epoch seconds. */
export async function emulatorClock(endpoint, seconds = 0) {
  const r = await fetch(new URL('/_emulator/clock', endpoint), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...ADMIN },
    body: JSON.stringify({ advance_seconds: seconds }),
  });
  return Math.floor((await r.json()).now);
}

/** One of Cognito's calls to the emulator (or another endpoint) at `endpoint`, as a test's own
 *  client sets things up: the answer, or an Error naming Cognito's exception. */
export async function cognitoCall(endpoint, operation, body, headers = {}) {
  const r = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AWSCognitoIdentityProviderService.${operation}`,
      ...headers,
    },
    body: JSON.stringify(body),
  });
  const answer = await r.json();
  if (!r.ok) throw new Error(`${operation}: ${answer.__type}: ${answer.message}`);
  return answer;
}
