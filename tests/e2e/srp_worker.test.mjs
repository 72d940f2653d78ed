// srp_worker.test.mjs: `new CognitoClient({ srpWorker: true })` in headless Chromium.
//
// The option moves SRP's arithmetic into a Web Worker so that the page never freezes for it.
// These tests show that it signs in (tokens that verify, Cognito's errors by name), that
// the page's main thread stays free meanwhile, and that a worker that dies is a PlatformError
// and is replaced by the next sign-in. A heartbeat on the main thread measures the
// longest stall during a sign-in, on a CPU slowed down 10x (as a slow phone), for three kinds:
// USER_PASSWORD_AUTH (no SRP: what any sign-in costs the main thread, the baseline), SRP in
// line, and SRP in the worker. The worker's stalls must stay near the baseline, the inline
// ones carry the arithmetic. The figures are printed; what is asserted is where the worker's
// stall falls between the other two, not a speed.
//
// Run as the other e2e tests (see practical_page.test.mjs): COGNITO_ENDPOINT set, www/pkg built.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import {
  assertOnlyCognitoErrors,
  emulatorEndpoint,
  launchBrowser,
  outboxCode,
  serveStatic,
  uniqueName,
  watchPage,
} from './harness.mjs';

const WWW = fileURLToPath(new URL('../../www/', import.meta.url));
const ENDPOINT = emulatorEndpoint();
const POOL_ID = 'us-east-1_Practical';
const CLIENT_ID = 'practicalspaclientnosecret';
const PASSWORD = 'Correct-Horse-9';
const SLOWDOWN = 10;
const RUNS = 7;
const TIMEOUT = { timeout: 120_000 };

let server;
let browser;
let page;
let watch;
let username;

before(async () => {
  server = await serveStatic(WWW);
  browser = await launchBrowser();
  page = await browser.newPage();
  watch = watchPage(page);
  // Any page of the origin: the tests import the package from it.
  await page.goto(new URL('practical.html', server.url).href);
  username = uniqueName('worker');
  await page.evaluate(
    async ({ endpoint, poolId, clientId, username, password }) => {
      const m = await import('./pkg/cognito_wasm.js');
      await m.default();
      globalThis.cw = m;
      globalThis.options = { userPoolId: poolId, clientId, endpoint };
      const client = new m.CognitoClient(globalThis.options);
      await client.signUp(username, password, { email: `${username}@example.com` });
    },
    { endpoint: ENDPOINT, poolId: POOL_ID, clientId: CLIENT_ID, username, password: PASSWORD },
  );
  const code = await outboxCode(ENDPOINT, username, 'confirm_sign_up', POOL_ID);
  await page.evaluate(
    ({ username, code }) => new cw.CognitoClient(options).confirmSignUp(username, code),
    { username, code },
  );
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('a sign-in with srpWorker gives tokens that verify, and errors keep their names', TIMEOUT, async () => {
  const result = await page.evaluate(
    async ({ username, password, endpoint, poolId, clientId }) => {
      const client = new cw.CognitoClient({ ...options, srpWorker: true });
      const signedIn = await client.signInSrp(username, password);
      const verifier = new cw.TokenVerifier({
        userPoolId: poolId,
        clientId,
        tokenUse: 'id',
        issuer: `${endpoint}/${poolId}`,
      });
      const claims = await verifier.verify(signedIn.tokens.idToken);
      let wrong;
      try {
        await client.signInSrp(username, 'Wrong-Horse-9');
      } catch (e) {
        wrong = { name: e.name, message: e.message };
      }
      return { kind: signedIn.kind, user: claims['cognito:username'], wrong };
    },
    { username, password: PASSWORD, endpoint: ENDPOINT, poolId: POOL_ID, clientId: CLIENT_ID },
  );
  assert.equal(result.kind, 'tokens');
  assert.equal(result.user, username);
  assert.equal(result.wrong?.name, 'NotAuthorizedException', JSON.stringify(result.wrong));
  assertOnlyCognitoErrors(watch, ENDPOINT);
  watch.errors.length = 0;
});

test('a challenge the arithmetic refuses gives the same error name in line and in the worker', TIMEOUT, async () => {
  // The emulator's PASSWORD_VERIFIER challenge, with SRP_B replaced by something that is not
  // hex: the claim fails inside SrpSession, in the page or in the worker.
  const initiateAuth = async (route) => {
    if (route.request().headers()['x-amz-target'] !== 'AWSCognitoIdentityProviderService.InitiateAuth') {
      return route.continue();
    }
    const response = await route.fetch();
    const body = await response.json();
    if (body.ChallengeParameters?.SRP_B) body.ChallengeParameters.SRP_B = 'not hex';
    return route.fulfill({ response, json: body });
  };
  await page.route(`${ENDPOINT}/`, initiateAuth);
  try {
    const names = await page.evaluate(
      async ({ username, password }) => {
        const name = async (srpWorker) => {
          try {
            await new cw.CognitoClient({ ...options, srpWorker }).signInSrp(username, password);
            return 'no error';
          } catch (e) {
            return `${e.name}: ${e.message}`;
          }
        };
        return { inline: await name(false), worker: await name(true) };
      },
      { username, password: PASSWORD },
    );
    assert.match(names.inline, /^MalformedResponseError: /, names.inline);
    assert.equal(names.worker, names.inline);
  } finally {
    await page.unroute(`${ENDPOINT}/`, initiateAuth);
  }
  watch.assertNone();
});

test('the main thread stays free during a worker sign-in, not during an inline one', TIMEOUT, async () => {
  const cdp = await page.context().newCDPSession(page);
  // Warm both paths first (the worker started, SRP's tables built on both sides), so what is
  // compared is one sign-in's arithmetic, not start-up.
  await page.evaluate(
    async ({ username, password }) => {
      cw.precomputeSrp();
      await new cw.CognitoClient({ ...options, srpWorker: true }).signInSrp(username, password);
      await new cw.CognitoClient(options).signInSrp(username, password);
    },
    { username, password: PASSWORD },
  );
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: SLOWDOWN });
  try {
    const measure = (mode) =>
      page.evaluate(
        async ({ username, password, mode }) => {
          // A heartbeat: a task every millisecond or so; the longest gap between beats is the
          // longest time the page could not have answered a click.
          const channel = new MessageChannel();
          let last = performance.now();
          let longest = 0;
          let beating = true;
          channel.port1.onmessage = () => {
            const now = performance.now();
            longest = Math.max(longest, now - last);
            last = now;
            if (beating) setTimeout(() => channel.port2.postMessage(0), 0);
          };
          channel.port2.postMessage(0);
          const client = new cw.CognitoClient({ ...options, srpWorker: mode === 'worker' });
          const started = performance.now();
          const result =
            mode === 'password'
              ? await client.signInPassword(username, password)
              : await client.signInSrp(username, password);
          const total = performance.now() - started;
          beating = false;
          return { kind: result.kind, longestStallMs: longest, totalMs: total };
        },
        { username, password: PASSWORD, mode },
      );
    const runs = { password: [], inline: [], worker: [] };
    for (let i = 0; i < RUNS; i++) {
      for (const mode of Object.keys(runs)) runs[mode].push(await measure(mode));
    }
    const median = (mode) => {
      const stalls = runs[mode].map((r) => r.longestStallMs).sort((a, b) => a - b);
      return stalls[stalls.length >> 1];
    };
    for (const mode of Object.keys(runs)) {
      for (const r of runs[mode]) assert.equal(r.kind, 'tokens', mode);
      console.log(
        `CPU slowed ${SLOWDOWN}x, ${mode}: longest main-thread stall ` +
          runs[mode].map((r) => r.longestStallMs.toFixed(0)).join('/') +
          ` ms (median ${median(mode).toFixed(0)})`,
      );
    }
    // In line, the arithmetic is one uninterrupted task on the main thread; in the worker the
    // main thread only posts messages and handles the HTTP answers, as for a password sign-in.
    const srpCost = median('inline') - median('password');
    assert.ok(srpCost > 0, 'SRP in line must cost the main thread something to compare with');
    assert.ok(
      median('worker') < median('password') + srpCost / 2,
      `worker stall ${median('worker').toFixed(0)} ms should stay near the password ` +
        `sign-in's ${median('password').toFixed(0)} ms, not near inline SRP's ` +
        `${median('inline').toFixed(0)} ms`,
    );
  } finally {
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  }
  watch.assertNone();
});

test('a worker that dies is a PlatformError, and the next sign-in starts a new one', TIMEOUT, async () => {
  // A page of its own (the driver keeps one worker per page), whose first Worker runs a
  // script that throws as it starts; the Workers after it are the driver's own.
  const fresh = await browser.newPage();
  try {
    await fresh.goto(new URL('practical.html', server.url).href);
    const r = await fresh.evaluate(
      async ({ options, username, password }) => {
        const m = await import('./pkg/cognito_wasm.js');
        await m.default();
        const Real = Worker;
        let started = 0;
        globalThis.Worker = class extends Real {
          constructor(url, opts) {
            if (started++ === 0) {
              url = URL.createObjectURL(new Blob(['throw new Error("the worker died")'], { type: 'text/javascript' }));
            }
            super(url, opts);
          }
        };
        const client = new m.CognitoClient({ ...options, srpWorker: true });
        let died;
        try {
          await client.signInSrp(username, password);
          died = 'resolved';
        } catch (e) {
          died = { name: e.name, platform: e instanceof m.PlatformError, message: e.message };
        }
        const again = await client.signInSrp(username, password);
        return { died, again: again.kind, started };
      },
      { options: { userPoolId: POOL_ID, clientId: CLIENT_ID, endpoint: ENDPOINT }, username, password: PASSWORD },
    );
    assert.equal(r.died.name, 'PlatformError', JSON.stringify(r));
    assert.ok(r.died.platform);
    assert.match(r.died.message, /the SRP worker failed: .*the worker died/);
    assert.equal(r.again, 'tokens');
    assert.equal(r.started, 2);
  } finally {
    await fresh.close();
  }
});
