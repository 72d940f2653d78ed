// csp.test.mjs: the package under a Content-Security-Policy, in headless Chromium. The policy
// the README gives (with the emulator's origin in place of Cognito's) lets a page load the
// core, sign in with the SRP Worker and verify a token, with no violation reported; a policy
// without `worker-src blob:` makes that sign-in a PlatformError that names the directive; one
// without 'wasm-unsafe-eval' makes init() a PlatformError.
//
// Each page carries its policy in a <meta http-equiv> (what it allows here is what the header
// would). Run as the other e2e tests (COGNITO_ENDPOINT set, www/pkg built).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { outboxCode, serveStatic, uniqueName, watchPage } from './harness.mjs';
import { EMULATOR, PASSWORD, POOL, SPA_CLIENT, TIMEOUT, browser, start, stop } from './js_bridge.mjs';

const PKG = fileURLToPath(new URL('../../www/pkg/', import.meta.url));
const COGNITO = new URL(EMULATOR).origin;

/** The README's policy, Cognito's origin being the emulator's here. */
const POLICY =
  `default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src blob:; ` +
  `connect-src 'self' ${COGNITO}`;

let dir;
let server;

before(async () => {
  await start();
  dir = mkdtempSync(path.join(tmpdir(), 'cognito-wasm-csp-'));
  cpSync(PKG, path.join(dir, 'pkg'), { recursive: true });
  const pages = {
    'policy.html': POLICY,
    'no-blob.html': POLICY.replace('worker-src blob:', "worker-src 'self'"),
    'no-wasm.html': POLICY.replace(" 'wasm-unsafe-eval'", ''),
  };
  for (const [name, policy] of Object.entries(pages)) {
    writeFileSync(
      path.join(dir, name),
      `<!doctype html><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${policy}">` +
        `<title>csp</title><script type="module" src="pkg/cognito_wasm.js"></script>`,
    );
  }
  // The browser asks for one; 'self' allows it.
  writeFileSync(path.join(dir, 'favicon.ico'), '');
  server = await serveStatic(dir);
});

after(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
  await stop();
});

/** A confirmed user of the practical's client without a secret, made over HTTP. */
async function confirmedUser() {
  const user = uniqueName('csp');
  const call = (target, body) =>
    fetch(EMULATOR, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `AWSCognitoIdentityProviderService.${target}`,
      },
      body: JSON.stringify({ ClientId: SPA_CLIENT, Username: user, ...body }),
    }).then((r) => assert.equal(r.status, 200, target));
  await call('SignUp', {
    Password: PASSWORD,
    UserAttributes: [{ Name: 'email', Value: `${user}@example.com` }],
  });
  await call('ConfirmSignUp', { ConfirmationCode: await outboxCode(EMULATOR, user, 'confirm_sign_up', POOL) });
  return user;
}

/** Signs in with the SRP Worker in `page` (a file above) and verifies the ID token. */
async function signIn(pageName, user) {
  const page = await browser.newPage();
  const watch = watchPage(page);
  try {
    await page.goto(new URL(pageName, server.url).href);
    const outcome = await page.evaluate(
      async ({ user, password, pool, clientId, endpoint }) => {
        const m = await import('./pkg/cognito_wasm.js');
        try {
          await m.default();
        } catch (e) {
          return { init: e.name, message: e.message, platform: e instanceof m.PlatformError };
        }
        const client = new m.CognitoClient({ userPoolId: pool, clientId, endpoint, srpWorker: true });
        try {
          const r = await client.signInSrp(user, password);
          const verifier = new m.TokenVerifier({
            userPoolId: pool,
            clientId,
            tokenUse: 'id',
            issuer: `${endpoint}/${pool}`,
          });
          return { username: (await verifier.verify(r.tokens.idToken))['cognito:username'] };
        } catch (e) {
          return { signIn: e.name, message: e.message, platform: e instanceof m.PlatformError };
        }
      },
      { user, password: PASSWORD, pool: POOL, clientId: SPA_CLIENT, endpoint: EMULATOR },
    );
    return { ...outcome, errors: watch.errors };
  } finally {
    await page.close();
  }
}

test("the README's policy: the Worker signs in, the token verifies, nothing is refused", TIMEOUT, async () => {
  const user = await confirmedUser();
  const r = await signIn('policy.html', user);
  assert.equal(r.username, user, JSON.stringify(r));
  assert.deepEqual(r.errors, []);
});

test('without worker-src blob: the Worker sign-in is a PlatformError naming the directive', TIMEOUT, async () => {
  const r = await signIn('no-blob.html', await confirmedUser());
  assert.equal(r.signIn, 'PlatformError', JSON.stringify(r));
  assert.ok(r.platform);
  assert.match(r.message, /worker-src blob:/);
});

test("without 'wasm-unsafe-eval' init() is a PlatformError", TIMEOUT, async () => {
  const r = await signIn('no-wasm.html', 'nobody');
  assert.equal(r.init, 'PlatformError', JSON.stringify(r));
  assert.ok(r.platform);
  assert.match(r.message, /could not be loaded/);
});
