// session.test.mjs: the package's CognitoSession in headless Chromium, against an emulator of
// this file's own (it counts the refresh requests, which other files' calls would add to):
// reloads with each storage, one refresh for 20 callers in two pages, rotation, a tampered
// record, a revoked refresh token, the network cut during a refresh, sign-out across tabs,
// and the import of a session amazon-cognito-identity-js made in the same browser.
//
// Time: each page's Date.now is the real clock plus `skipMs`; `pass` moves it and the
// emulator's clock together, to bring the tokens near their expiry as the hour would.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import {
  ADMIN,
  cognitoCall,
  launchBrowser,
  outboxCode,
  serveStatic,
  startEmulator,
  uniqueName,
  watchPage,
} from './harness.mjs';

const WWW = fileURLToPath(new URL('../../www/', import.meta.url));
const ACIJ = fileURLToPath(
  new URL('../interop/node_modules/amazon-cognito-identity-js/dist/amazon-cognito-identity.min.js', import.meta.url),
);
const POOL = 'us-east-1_Practical';
const SPA_CLIENT = 'practicalspaclientnosecret';
const PASSWORD = 'Correct-Horse-9';
const TIMEOUT = { timeout: 120_000 };
const MINUTE = 60_000;
const EVENTS = ['signedIn', 'signedOut', 'tokenRefresh', 'tokenRefreshFailure', 'sessionExpired'];

let emulator;
let server;
let browser;

before(async () => {
  emulator = await startEmulator();
  server = await serveStatic(WWW);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
  emulator?.stop();
});

/** One of Cognito's calls to the emulator, as a test's own client. */
const cognito = (operation, body, headers = {}) => cognitoCall(emulator.url, operation, body, headers);

/** A confirmed user of `clientId`: its name. */
async function newUser(prefix, clientId = SPA_CLIENT) {
  const username = uniqueName(prefix);
  const email = [{ Name: 'email', Value: `${username}@example.com` }];
  await cognito('SignUp', { ClientId: clientId, Username: username, Password: PASSWORD, UserAttributes: email });
  const code = await outboxCode(emulator.url, username, 'confirm_sign_up', POOL);
  await cognito('ConfirmSignUp', { ClientId: clientId, Username: username, ConfirmationCode: code });
  return username;
}

/** How many requests of `operation` the emulator has answered. */
async function requests(operation) {
  const stats = await (await fetch(new URL('/_emulator/stats', emulator.url), { headers: ADMIN })).json();
  return stats.requests[operation] ?? 0;
}

/** A browser context whose pages' clocks start at the emulator's (which `pass` moves), or
 *  `driftMs` off it (a device clock set wrong). */
async function newContext(driftMs = 0) {
  const context = await browser.newContext();
  const offset = (await pass(0)) * 1000 - Date.now() + driftMs;
  await context.addInitScript((offset) => {
    const real = Date.now.bind(Date);
    globalThis.skipMs = offset;
    Date.now = () => real() + globalThis.skipMs;
  }, offset);
  return context;
}

/** A page of `context` with the package loaded, and what went wrong in it. */
async function openPage(context) {
  const page = await context.newPage();
  const watch = watchPage(page);
  await page.goto(new URL('practical.html', server.url).href);
  await load(page);
  return { page, watch };
}

async function load(page) {
  await page.evaluate(async () => {
    const m = await import('./pkg/cognito_wasm.js');
    await m.default();
    globalThis.m = m;
  });
}

/** `globalThis.s`: a CognitoSession in `page`, its events collected in `globalThis.events`.
 *  `storage: 'adapter'` is an app's own asynchronous adapter (over sessionStorage). */
async function session(page, extra = {}) {
  const options = { userPoolId: POOL, clientId: SPA_CLIENT, endpoint: emulator.url, issuer: `${emulator.url}/${POOL}`, ...extra };
  await page.evaluate(
    ({ options, names }) => {
      if (options.storage === 'adapter' || options.storage === 'brokenAdapter') {
        const later = (f) =>
          new Promise((resolve, reject) =>
            setTimeout(() => {
              try {
                resolve(f());
              } catch (e) {
                reject(e);
              }
            }, 1),
          );
        const broken = options.storage === 'brokenAdapter';
        options.storage = {
          getItem: (k) => later(() => sessionStorage.getItem(`app:${k}`)),
          setItem: (k, v) => later(() => sessionStorage.setItem(`app:${k}`, v)),
          removeItem: (k) =>
            later(() => {
              if (broken) throw new DOMException('the store is gone', 'InvalidStateError');
              sessionStorage.removeItem(`app:${k}`);
            }),
        };
      }
      globalThis.s = new m.CognitoSession(options);
      globalThis.events = [];
      for (const n of names) s.addEventListener(n, () => events.push(n));
    },
    { options, names: EVENTS },
  );
}

/** `s.method(...args)` in `page`: its value, or `{ error: name }` when it rejects (with
 *  the checks every error of the package passes). */
function call(page, method, ...args) {
  return page.evaluate(
    async ({ method, args }) => {
      try {
        return { value: await s[method](...args) };
      } catch (e) {
        const ofItsClass = e instanceof m.CognitoWasmError && (e.status !== undefined || e instanceof m[e.name]);
        return { error: e.name, ofItsClass, message: e.message, code: e.code };
      }
    },
    { method, args },
  );
}

async function ok(page, method, ...args) {
  const r = await call(page, method, ...args);
  assert.ok(!('error' in r), `${method}: ${r.error}: ${r.message}`);
  return r.value;
}

async function err(page, method, ...args) {
  const r = await call(page, method, ...args);
  assert.ok('error' in r, `${method} resolved: ${JSON.stringify(r.value)}`);
  assert.ok(r.ofItsClass && r.message && r.code === r.error, JSON.stringify(r));
  return r.error;
}

/** `ms` pass for the emulator and for the pages: the emulator's time after. */
async function pass(ms, ...pages) {
  const r = await fetch(new URL('/_emulator/clock', emulator.url), {
    method: 'POST',
    headers: { ...ADMIN, 'content-type': 'application/json' },
    body: JSON.stringify({ advance_seconds: ms / 1000 }),
  });
  assert.ok(r.ok, `the emulator's clock: HTTP ${r.status}`);
  for (const page of pages) await page.evaluate((ms) => (globalThis.skipMs += ms), ms);
  return (await r.json()).now;
}
const events = (page) => page.evaluate(() => events.splice(0));
const stored = (page, where = 'localStorage') => page.evaluate(([w, k]) => globalThis[w].getItem(k), [where, `cognito-wasm.${POOL}.${SPA_CLIENT}`]);

test('a reload keeps the session in localStorage, sessionStorage and an adapter, not in memory', TIMEOUT, async () => {
  for (const storage of ['localStorage', 'sessionStorage', 'adapter', 'memory']) {
    const context = await newContext();
    const { page, watch } = await openPage(context);
    const user = await newUser('reload');
    await session(page, { storage });
    assert.equal((await ok(page, 'signInSrp', user, PASSWORD)).kind, 'tokens');
    assert.deepEqual(await events(page), ['signedIn']);
    const before = await ok(page, 'getSession');
    assert.equal(before.username, user);
    const where = { localStorage: ['localStorage', ''], sessionStorage: ['sessionStorage', ''], adapter: ['sessionStorage', 'app:'] };
    if (where[storage]) {
      const [area, prefix] = where[storage];
      const record = JSON.parse(await page.evaluate(([a, k]) => globalThis[a].getItem(k), [area, `${prefix}cognito-wasm.${POOL}.${SPA_CLIENT}`]));
      assert.equal(record.refreshToken, before.refreshToken);
    }
    assert.equal(before.idClaims.email, `${user}@example.com`);
    assert.equal(before.accessClaims.token_use, 'access');
    // Nothing but the session's record, and never the password.
    const everything = await page.evaluate(() => JSON.stringify([{ ...localStorage }, { ...sessionStorage }]));
    assert.ok(!everything.includes(PASSWORD));

    await page.reload();
    await load(page);
    await session(page, { storage });
    if (storage === 'memory') {
      assert.equal(await err(page, 'getCurrentUser'), 'UserUnAuthenticatedException');
    } else {
      assert.deepEqual(await ok(page, 'getCurrentUser'), { username: user, userId: before.idClaims.sub });
      const after = await ok(page, 'getSession');
      assert.equal(after.accessToken, before.accessToken, 'restored, not refreshed');
      // Restoring is not an event: the session was there before.
      assert.deepEqual(await events(page), []);
      assert.equal(await err(page, 'signInSrp', user, PASSWORD), 'UserAlreadyAuthenticatedException');
    }
    watch.assertNone();
    await context.close();
  }
});

test('20 concurrent getSession calls near expiry in two pages make one refresh', TIMEOUT, async () => {
  const context = await newContext();
  const [a, b] = [await openPage(context), await openPage(context)];
  const user = await newUser('twenty');
  for (const { page } of [a, b]) await session(page, { storage: 'localStorage' });
  await ok(a.page, 'signInSrp', user, PASSWORD);
  const old = await ok(b.page, 'getSession');
  assert.deepEqual(await events(a.page), ['signedIn']);
  assert.deepEqual(await events(b.page), [], 'the session was there before');
  const before = await requests('GetTokensFromRefreshToken');

  // 58 minutes on: the hour's tokens expire within the 5-minute margin.
  await pass(58 * MINUTE, a.page, b.page);
  const ten = (page) =>
    page.evaluate(() => Promise.all(Array.from({ length: 10 }, () => s.getSession().then((x) => x.accessToken))));
  const tokens = (await Promise.all([ten(a.page), ten(b.page)])).flat();

  assert.equal((await requests('GetTokensFromRefreshToken')) - before, 1);
  for (const { page } of [a, b]) assert.deepEqual(await events(page), ['tokenRefresh']);
  // Fresh now, the same in both pages: no more refreshes.
  const fresh = (await ok(a.page, 'getSession')).accessToken;
  assert.equal((await ok(b.page, 'getSession')).accessToken, fresh);
  assert.notEqual(fresh, old.accessToken);
  assert.equal((await requests('GetTokensFromRefreshToken')) - before, 1);
  // Each caller had the new tokens, or (while the refresh was under way) the old ones,
  // still valid for two minutes.
  assert.ok(tokens.includes(fresh));
  assert.deepEqual(tokens.filter((t) => t !== fresh && t !== old.accessToken), []);
  a.watch.assertNone();
  b.watch.assertNone();
  await context.close();
});

test('rotation: the new refresh token replaces the old one in storage', TIMEOUT, async () => {
  const { UserPoolClient } = await cognito(
    'CreateUserPoolClient',
    {
      UserPoolId: POOL,
      ClientName: 'rotating',
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 0 },
    },
    ADMIN,
  );
  const clientId = UserPoolClient.ClientId;
  const context = await newContext();
  const { page, watch } = await openPage(context);
  const user = await newUser('rotate', clientId);
  await session(page, { clientId, storage: 'localStorage' });
  await ok(page, 'signInSrp', user, PASSWORD);
  const first = await ok(page, 'getSession');
  const second = await ok(page, 'getSession', { forceRefresh: true });
  assert.notEqual(second.refreshToken, first.refreshToken);
  const key = `cognito-wasm.${POOL}.${clientId}`;
  const record = JSON.parse(await page.evaluate((k) => localStorage.getItem(k), key));
  assert.equal(record.refreshToken, second.refreshToken);
  // The old one is spent (no grace period here).
  await assert.rejects(
    cognito('GetTokensFromRefreshToken', { ClientId: clientId, RefreshToken: first.refreshToken }),
    /RefreshTokenReuseException/,
  );
  // And the session goes on with the new one.
  const third = await ok(page, 'getSession', { forceRefresh: true });
  assert.notEqual(third.refreshToken, second.refreshToken);
  watch.assertNone();
  await context.close();
});

test('a tampered or unreadable stored session is discarded', TIMEOUT, async () => {
  const context = await newContext();
  const { page, watch } = await openPage(context);
  const user = await newUser('tamper');
  await session(page, { storage: 'localStorage' });
  await ok(page, 'signInSrp', user, PASSWORD);
  const record = JSON.parse(await stored(page));
  // The ID token's payload made to say another user, its signature kept.
  const [h, p, sig] = record.idToken.split('.');
  const claims = JSON.parse(Buffer.from(p, 'base64url'));
  claims['cognito:username'] = 'someone-else';
  const forged = [h, Buffer.from(JSON.stringify(claims)).toString('base64url'), sig].join('.');
  const records = [
    JSON.stringify({ ...record, idToken: forged }),
    '{"v":1',
    JSON.stringify({ ...record, v: 2 }),
    // Genuine tokens, and a line break in the refresh token that would name another user.
    JSON.stringify({ ...record, refreshToken: `${record.refreshToken}\nadmin` }),
  ];
  for (const text of records) {
    await page.evaluate(([k, v]) => localStorage.setItem(k, v), [`cognito-wasm.${POOL}.${SPA_CLIENT}`, text]);
    await page.reload();
    await load(page);
    await session(page, { storage: 'localStorage' });
    assert.equal(await err(page, 'getSession'), 'UserUnAuthenticatedException');
    assert.equal(await stored(page), null, 'the record is removed');
    assert.deepEqual(await events(page), []);
  }
  watch.assertNone();
  await context.close();
});

test('sign-out revokes the refresh token even when the storage fails, then says so', TIMEOUT, async () => {
  const context = await newContext();
  const { page, watch } = await openPage(context);
  const user = await newUser('broken');
  await session(page, { storage: 'brokenAdapter' });
  await ok(page, 'signInSrp', user, PASSWORD);
  const { refreshToken } = await ok(page, 'getSession');
  assert.equal(await err(page, 'signOut'), 'PlatformError');
  await assert.rejects(
    cognito('GetTokensFromRefreshToken', { ClientId: SPA_CLIENT, RefreshToken: refreshToken }),
    /NotAuthorizedException/,
  );
  assert.equal(await err(page, 'getSession'), 'UserUnAuthenticatedException');
  watch.assertNone();
  await context.close();
});

test('a revoked refresh token ends the session at its next refresh', TIMEOUT, async () => {
  const context = await newContext();
  const { page, watch } = await openPage(context);
  const user = await newUser('revoked');
  await session(page, { storage: 'localStorage' });
  await ok(page, 'signInSrp', user, PASSWORD);
  const { refreshToken } = await ok(page, 'getSession');
  await events(page);
  await cognito('RevokeToken', { ClientId: SPA_CLIENT, Token: refreshToken });
  await pass(58 * MINUTE, page);
  assert.equal(await err(page, 'getSession'), 'NotAuthorizedException');
  assert.deepEqual(await events(page), ['tokenRefreshFailure', 'sessionExpired', 'signedOut']);
  assert.equal(await stored(page), null);
  assert.equal(await err(page, 'getSession'), 'UserUnAuthenticatedException');
  assert.equal(await err(page, 'getCurrentUser'), 'UserUnAuthenticatedException');
  expectOnly(watch, [/status of 400/]);
  await context.close();
});

test('the network cut during a refresh keeps the session; a later call refreshes', TIMEOUT, async () => {
  const context = await newContext();
  const { page, watch } = await openPage(context);
  const user = await newUser('offline');
  await session(page, { storage: 'localStorage' });
  await ok(page, 'signInSrp', user, PASSWORD);
  const old = await ok(page, 'getSession');
  await events(page);
  const cut = (route) => route.abort('internetdisconnected');
  await page.route(`${emulator.url}/**`, cut);

  // Within the margin, still valid: the old tokens, and the failure reported.
  await pass(57 * MINUTE, page);
  assert.equal((await ok(page, 'getSession')).accessToken, old.accessToken);
  assert.deepEqual(await events(page), ['tokenRefreshFailure']);
  // Expired and still cut off: the refresh's error, the session kept.
  await pass(4 * MINUTE, page);
  assert.equal(await err(page, 'getSession'), 'NetworkError');
  assert.ok(await stored(page), 'the session stays stored');
  assert.equal((await ok(page, 'getCurrentUser')).username, user);

  await page.unroute(`${emulator.url}/**`, cut);
  await pass(MINUTE, page); // past the back-off
  const fresh = await ok(page, 'getSession');
  assert.notEqual(fresh.accessToken, old.accessToken);
  assert.equal(fresh.refreshToken, old.refreshToken);
  assert.ok((await events(page)).includes('tokenRefresh'));
  expectOnly(watch, [/ERR_INTERNET_DISCONNECTED/]);
  await context.close();
});

test('a device clock an hour off: no refresh at sign-in, one within the margin', TIMEOUT, async () => {
  for (const driftMs of [60 * MINUTE, -60 * MINUTE]) {
    const context = await newContext(driftMs);
    const { page, watch } = await openPage(context);
    const user = await newUser('drift');
    await session(page);
    await ok(page, 'signInSrp', user, PASSWORD);
    const before = await requests('GetTokensFromRefreshToken');
    const first = await ok(page, 'getSession');
    assert.equal(await requests('GetTokensFromRefreshToken'), before, 'fresh tokens, whatever the clock says');
    await pass(50 * MINUTE, page);
    assert.equal((await ok(page, 'getSession')).accessToken, first.accessToken, 'not yet');
    await pass(6 * MINUTE, page);
    assert.notEqual((await ok(page, 'getSession')).accessToken, first.accessToken, 'refreshed within the margin');
    assert.equal(await requests('GetTokensFromRefreshToken'), before + 1);
    watch.assertNone();
    await context.close();
  }
});

test('signing out offline ends the session all the same, then says why', TIMEOUT, async () => {
  const context = await newContext();
  const { page, watch } = await openPage(context);
  const user = await newUser('offline-out');
  await session(page, { storage: 'localStorage' });
  await ok(page, 'signInSrp', user, PASSWORD);
  await events(page);
  const cut = (route) => route.abort('internetdisconnected');
  await page.route(`${emulator.url}/**`, cut);
  assert.equal(await err(page, 'signOut'), 'NetworkError');
  assert.deepEqual(await events(page), ['signedOut']);
  assert.equal(await stored(page), null);
  assert.equal(await err(page, 'getSession'), 'UserUnAuthenticatedException');
  expectOnly(watch, [/ERR_INTERNET_DISCONNECTED/]);
  await context.close();
});

test('signing out in one tab signs out the other', TIMEOUT, async () => {
  const context = await newContext();
  const [a, b] = [await openPage(context), await openPage(context)];
  const user = await newUser('tabs');
  for (const { page } of [a, b]) await session(page, { storage: 'localStorage' });
  await ok(a.page, 'signInSrp', user, PASSWORD);
  assert.equal((await ok(b.page, 'getCurrentUser')).username, user);
  await events(b.page);
  await ok(a.page, 'signOut');
  assert.deepEqual(await events(a.page), ['signedIn', 'signedOut']);
  // The storage event reaches the other tab.
  await b.page.waitForFunction(() => events.includes('signedOut'));
  assert.equal(await err(b.page, 'getSession'), 'UserUnAuthenticatedException');
  // And a sign-in in one tab signs the other in.
  await ok(b.page, 'signInSrp', user, PASSWORD);
  await a.page.waitForFunction(() => events.includes('signedIn'));
  assert.equal((await ok(a.page, 'getCurrentUser')).username, user);
  a.watch.assertNone();
  b.watch.assertNone();
  await context.close();
});

test("amazon-cognito-identity-js's session in the same browser is imported, verified", TIMEOUT, async () => {
  const acij = await readFile(ACIJ, 'utf8');
  const context = await newContext();
  await context.route('**/acij.min.js', (route) => route.fulfill({ contentType: 'text/javascript', body: acij }));
  const { page, watch } = await openPage(context);
  const user = await newUser('acij');
  // amazon-cognito-identity-js signs in with SRP and stores its session in localStorage.
  await page.addScriptTag({ url: '/acij.min.js' });
  await page.evaluate(
    ({ pool, clientId, endpoint, user, password }) =>
      new Promise((resolve, reject) => {
        const { CognitoUserPool, CognitoUser, AuthenticationDetails } = globalThis.AmazonCognitoIdentity;
        const userPool = new CognitoUserPool({ UserPoolId: pool, ClientId: clientId, endpoint });
        const cognitoUser = new CognitoUser({ Username: user, Pool: userPool });
        const details = new AuthenticationDetails({ Username: user, Password: password });
        cognitoUser.authenticateUser(details, { onSuccess: resolve, onFailure: reject });
      }),
    { pool: POOL, clientId: SPA_CLIENT, endpoint: emulator.url, user, password: PASSWORD },
  );
  const prefix = `CognitoIdentityServiceProvider.${SPA_CLIENT}`;
  assert.equal(await page.evaluate((k) => localStorage.getItem(k), `${prefix}.LastAuthUser`), user);

  // A tampered token is refused, and nothing is taken.
  const idKey = `${prefix}.${user}.idToken`;
  const idToken = await page.evaluate((k) => localStorage.getItem(k), idKey);
  await page.evaluate(([k, v]) => localStorage.setItem(k, v), [idKey, `${idToken.slice(0, -4)}AAAA`]);
  await session(page, { storage: 'localStorage' });
  assert.equal(await err(page, 'importAmazonCognitoIdentityJs'), 'JwtInvalidSignatureError');
  assert.equal(await stored(page), null);

  await page.evaluate(([k, v]) => localStorage.setItem(k, v), [idKey, idToken]);
  assert.equal(await ok(page, 'importAmazonCognitoIdentityJs'), true);
  assert.deepEqual(await events(page), ['signedIn']);
  const imported = await ok(page, 'getSession');
  assert.equal(imported.username, user);
  assert.equal(imported.idToken, idToken);
  assert.ok(await stored(page), 'stored as ours');
  // Theirs is left as it was; a second import finds someone signed in.
  assert.equal(await page.evaluate((k) => localStorage.getItem(k), idKey), idToken);
  assert.equal(await ok(page, 'importAmazonCognitoIdentityJs'), false);
  // The imported refresh token works.
  assert.notEqual((await ok(page, 'getSession', { forceRefresh: true })).accessToken, imported.accessToken);
  watch.assertNone();
  await context.close();
});

/** Nothing went wrong in the page but what `expected` allows. */
function expectOnly(watch, expected) {
  const unexpected = watch.errors.filter((e) => !expected.some((re) => re.test(e)));
  assert.deepEqual(unexpected, []);
}
