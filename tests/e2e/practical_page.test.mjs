// practical_page.test.mjs: www/practical.html in headless Chromium against the emulator.
//
// The page runs the practical (sign up, confirm with the emailed code, sign in, print the
// verified claims) and keeps the sign-in in a CognitoSession, with the package in www/pkg/. These tests click through it as a user
// would, reading the emailed code from the emulator's outbox.
//
// Run from the repository root, with the emulator running on the practical's pools:
//   target/debug/cognito-emulator --port 0 --config emulator/practical.json   # prints its URL
//   COGNITO_ENDPOINT=http://127.0.0.1:PORT node --test tests/e2e/
// (`cargo xtask test` does this.) A screenshot lands in tests/e2e/output/practical-page.png.

import { test, before, after, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
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
const OUTPUT = fileURLToPath(new URL('./output/', import.meta.url));
const ENDPOINT = emulatorEndpoint();
const POOL_ID = 'us-east-1_Practical';
const PASSWORD = 'Correct-Horse-9';
const WAIT = 30_000; // an action's answer: the first token waits for the emulator's RSA key
const TIMEOUT = { timeout: 120_000 };

let server;
let browser;
let page;
let watch;

before(async () => {
  server = await serveStatic(WWW);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

beforeEach(async () => {
  page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
  watch = watchPage(page);
  await page.goto(new URL('practical.html', server.url).href);
  // The handlers are attached once the wasm module is initialised, which the page announces.
  await expectOutput(/^Ready\./);
  await page.fill('#endpoint', ENDPOINT);
});

afterEach(async () => {
  await page?.close();
});

/** Waits until #output's text matches `pattern` and returns the text. */
async function expectOutput(pattern, timeout = WAIT) {
  try {
    await page.waitForFunction(
      ([source, flags]) =>
        new RegExp(source, flags).test(document.getElementById('output').textContent),
      [pattern.source, pattern.flags],
      { timeout },
    );
  } catch (e) {
    const text = await page.textContent('#output').catch(() => '(unreadable)');
    throw new Error(
      `#output never matched ${pattern}; it says:\n${text}\npage errors: ${watch.errors.join('; ') || 'none'}`,
      { cause: e },
    );
  }
  return page.textContent('#output');
}

async function outputHasErrorClass() {
  return page.$eval('#output', (el) => el.classList.contains('error'));
}

/** Fills the sign-up fields and signs up; returns the username. */
async function signUp(prefix) {
  const username = uniqueName(prefix);
  await page.fill('#username', username);
  await page.fill('#email', `${username}@example.com`);
  await page.fill('#password', PASSWORD);
  await page.click('#sign-up');
  const text = await expectOutput(/^(Signed up\.|\w+(Exception|Error): )/);
  assert.match(text, /^Signed up\. Check the email for the code:/, text);
  assert.equal(await outputHasErrorClass(), false);
  const result = JSON.parse(text.slice(text.indexOf('\n') + 1));
  assert.equal(result.userConfirmed, false);
  assert.ok(result.userSub, 'a userSub');
  return username;
}

async function confirm(username) {
  const code = await outboxCode(ENDPOINT, username, 'confirm_sign_up', POOL_ID);
  assert.match(code, /^\d{6}$/);
  await page.fill('#code', code);
  await page.click('#confirm');
  const text = await expectOutput(/^(Confirmed\.|\w+(Exception|Error): )/);
  assert.match(text, /^Confirmed\. Now sign in\./, text);
}

/** Clicks a sign-in button, waits for the verified claims and checks them. */
async function signInAndCheckClaims(button, method, username) {
  await page.click(button);
  const text = await expectOutput(/Verified claims|^\w+(Exception|Error): /);
  assert.match(text, new RegExp(`^Signed in with ${method} in \\d+ ms\\. Verified claims:\\n`), text);
  assert.equal(await outputHasErrorClass(), false);
  const { idToken, accessToken } = JSON.parse(text.slice(text.indexOf('\n') + 1));
  assert.equal(idToken['cognito:username'], username);
  assert.equal(idToken.email, `${username}@example.com`);
  assert.equal(idToken.token_use, 'id');
  assert.equal(idToken.iss, `${ENDPOINT}/${POOL_ID}`);
  assert.equal(accessToken.username, username);
  assert.equal(accessToken.token_use, 'access');
  assert.equal(accessToken.sub, idToken.sub);
}

test('sign up, confirm with the emailed code, sign in with SRP and with the password', TIMEOUT, async () => {
  const username = await signUp('e2e-practical');
  await confirm(username);

  await signInAndCheckClaims('#sign-in-srp', 'signInSrp', username);
  await mkdir(OUTPUT, { recursive: true });
  await page.screenshot({ path: `${OUTPUT}practical-page.png`, fullPage: true });

  await signInAndCheckClaims('#sign-in-password', 'signInPassword', username);
  watch.assertNone();
});

test('a wrong code and a wrong password show Cognito\'s errors', TIMEOUT, async () => {
  const username = await signUp('e2e-wrong');
  const code = await outboxCode(ENDPOINT, username, 'confirm_sign_up', POOL_ID);
  const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
  await page.fill('#code', wrong);
  await page.click('#confirm');
  let text = await expectOutput(/^(Confirmed\.|\w+(Exception|Error): )/);
  assert.match(text, /^CodeMismatchException: \S/, text);
  assert.equal(await outputHasErrorClass(), true, 'the error class on #output');

  await confirm(username);
  assert.equal(await outputHasErrorClass(), false, 'no error class after a success');

  await page.fill('#password', `${PASSWORD}x`);
  await page.click('#sign-in-srp');
  text = await expectOutput(/Verified claims|^\w+(Exception|Error): /);
  assert.match(text, /^NotAuthorizedException: \S/, text);
  assert.equal(await outputHasErrorClass(), true, 'the error class on #output');

  await page.click('#sign-in-password');
  text = await expectOutput(/Verified claims|^\w+(Exception|Error): /);
  assert.match(text, /^NotAuthorizedException: \S/, text);

  // Cognito's errors (HTTP 400, on the console as failed loads) and nothing else.
  assertOnlyCognitoErrors(watch, ENDPOINT);
});

test('the sign-in stays across a reload, refreshes, and signs out', TIMEOUT, async () => {
  const username = await signUp('e2e-session');
  await confirm(username);
  await signInAndCheckClaims('#sign-in-srp', 'signInSrp', username);
  const claims = async (button, pattern) => {
    await page.click(button);
    const text = await expectOutput(new RegExp(`${pattern.source}|^\\w+(Exception|Error): `));
    assert.match(text, pattern, text);
    return JSON.parse(text.slice(text.indexOf('\n') + 1));
  };

  await page.reload();
  await expectOutput(/^Ready\./);
  await page.fill('#endpoint', ENDPOINT);
  const kept = await claims('#show-session', new RegExp(`^Signed in as ${username}; the tokens expire in \\d+ s\\.`));
  assert.equal(kept.idToken['cognito:username'], username);
  const refreshed = await claims('#refresh', /^Refreshed\. Verified claims:/);
  assert.equal(refreshed.accessToken.username, username);
  assert.notEqual(refreshed.accessToken.jti, kept.accessToken.jti, 'new tokens');

  await page.click('#sign-out');
  assert.match(await expectOutput(/^Signed out|^\w+(Exception|Error): /), /^Signed out: /);
  assert.equal(await page.evaluate(() => localStorage.length), 0, 'nothing left in localStorage');
  await page.click('#show-session');
  assert.match(await expectOutput(/^\w+(Exception|Error): /), /^UserUnAuthenticatedException: \S/);
  watch.assertNone();
});

test('the client secret warning shows exactly when there is a secret', TIMEOUT, async () => {
  const warning = page.locator('#secret-warning');
  assert.notEqual(await page.inputValue('#secret'), '', 'the page defaults to a secret');
  assert.equal(await warning.isVisible(), true, 'visible with the default secret');

  await page.fill('#secret', '');
  assert.equal(await warning.isVisible(), false, 'hidden without a secret');
  assert.equal(await page.$eval('#secret-warning', (el) => el.hidden), true);

  await page.fill('#secret', '   ');
  assert.equal(await warning.isVisible(), false, 'hidden with a blank secret');

  await page.fill('#secret', 'localdemosecretnotforproductionuseanywhere000000001');
  assert.equal(await warning.isVisible(), true, 'visible again with a secret');
  watch.assertNone();
});
