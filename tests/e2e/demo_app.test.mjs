// demo_app.test.mjs: the Yew demo (www/index.html + www/demo/) in headless Chromium, against the
// emulator and the demo API, clicked through as a new user walks the practical.
//
// Needs the app built into www/demo/:
//   PATH=xtask/tools/node_modules/.bin:$PATH \
//     wasm-pack build --release --target web demo-app --out-dir ../www/demo --no-typescript
// and, running, the emulator on the practical's pool and the demo API pointed at it:
//   target/debug/cognito-emulator --port 0 --config emulator/practical.json   # prints its URL
//   target/debug/demo-api --port 0 --emulator http://127.0.0.1:EMULATOR_PORT  # prints its URL
//   COGNITO_ENDPOINT=http://127.0.0.1:EMULATOR_PORT DEMO_API=http://127.0.0.1:API_PORT \
//     node --test tests/e2e/demo_app.test.mjs
// The test serves www/ itself and types both URLs into the app's settings, so the servers may
// run on any port. With SCREENSHOTS=1 it also saves the main screens to docs/screenshots/.
//
// Codes are read from the app's Mailbox panel, as a user would, not from the outbox API.

import { test, before, after, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { emulatorEndpoint, launchBrowser, serveStatic, startEmulator, uniqueName, watchPage } from './harness.mjs';

const WWW = fileURLToPath(new URL('../../www/', import.meta.url));
const SHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
const ENDPOINT = emulatorEndpoint();
const API = (process.env.DEMO_API || '').replace(/\/+$/, '');
const SCREENSHOTS = process.env.SCREENSHOTS === '1';
const POOL_ID = 'us-east-1_Practical';
const WEB_CLIENT = 'practicalwebclientsecret01';
const PASSWORD = 'Correct-Horse-9';
const WAIT = 30_000; // an action's answer: the first token waits for the emulator's RSA key
const TIMEOUT = { timeout: 180_000 };
/** Where the app looks before the test types the real URLs in (nothing needs to listen). */
const DEFAULT_ENDPOINT = 'http://127.0.0.1:9229';

if (!API) {
  throw new Error(
    'set DEMO_API to a running demo API, e.g. start ' +
      '`target/debug/demo-api --port 0 --emulator $COGNITO_ENDPOINT` and use the URL of its first line',
  );
}
if (!existsSync(`${WWW}demo/demo_app_bg.wasm`)) {
  throw new Error(
    'www/demo/ is missing: build it with `wasm-pack build --release --target web demo-app ' +
      '--out-dir ../www/demo --no-typescript` (npm binaryen\'s wasm-opt first on PATH)',
  );
}

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
  page.setDefaultTimeout(WAIT);
  watch = watchPage(page);
  await page.goto(server.url);
  await page.waitForSelector('#settings-form');
  // The settings come from the environment, typed in as a user would.
  await page.fill('#endpoint', ENDPOINT);
  await page.fill('#api-url', API);
  await page.click('#apply-settings');
  await page.waitForSelector('#backend.emulator');
  await page.waitForSelector('#mailbox');
  await expectText('#sign-up-rules', /read with DescribeUserPool/);
});

afterEach(async () => {
  await page?.close();
});

/** Waits until the text of `selector` matches `pattern`; returns the text. */
async function expectText(selector, pattern, timeout = WAIT) {
  try {
    await page.waitForFunction(
      ([sel, source, flags]) => {
        const el = document.querySelector(sel);
        return el && new RegExp(source, flags).test(el.textContent);
      },
      [selector, pattern.source, pattern.flags],
      { timeout },
    );
  } catch (e) {
    const text = await page.textContent(selector).catch(() => '(missing)');
    throw new Error(
      `${selector} never matched ${pattern}; it says:\n${text}\npage errors: ${watch.errors.join('; ') || 'none'}`,
      { cause: e },
    );
  }
  return (await page.textContent(selector)).replace(/\s+/g, ' ').trim();
}

/**
 * Runs `trigger` (a click, an Enter) and waits for what it changes under `watched` to settle:
 * something changed there, `ready` exists, and no button is busy. Watching for a change, not
 * only for `ready`, keeps a previous message (the same error twice) from passing for the new one.
 */
async function act(watched, trigger, ready) {
  await page.$eval(watched, (el) => {
    window.__changed = false;
    window.__observer?.disconnect();
    window.__observer = new MutationObserver(() => {
      window.__changed = true;
    });
    window.__observer.observe(el, { childList: true, subtree: true, characterData: true, attributes: true });
  });
  await trigger();
  await page.waitForFunction(
    (sel) => window.__changed && document.querySelector(sel) && !document.querySelector('[aria-busy=true]'),
    ready,
  );
}

/** Runs `trigger` and returns the outcome its status line shows: { text, error }. */
async function outcome(statusId, trigger) {
  await act(`#${statusId}`, trigger, `#${statusId} p`);
  const text = (await page.innerText(`#${statusId}`)).replace(/\s+/g, ' ').trim();
  const error = await page.$eval(`#${statusId}`, (el) => !!el.querySelector('.error'));
  return { text, error };
}

/** Clicks one of the API buttons and returns { status: 'HTTP ...', body }. */
async function callApi(button) {
  await act('section:has(#api-call)', () => page.click(button), '#api-http-status');
  return {
    status: (await page.textContent('#api-http-status')).trim(),
    body: JSON.parse(await page.textContent('#api-json')),
  };
}

/** The rule items' states: { 'At least 8 characters': true, ... }. */
async function rules() {
  return page.$$eval('#sign-up-rules li', (items) =>
    Object.fromEntries(
      items.map((li) => [li.textContent.replace(/[✓○]|: (done|not yet)$/g, '').trim(), li.classList.contains('met')]),
    ),
  );
}

/** A claims table as { claim: value text } (of `on`, a page; the test's by default). */
async function claims(tableId, on = page) {
  return on.$$eval(`#${tableId} tbody tr`, (rows) =>
    Object.fromEntries(
      rows.map((r) => [r.querySelector('th').textContent.trim(), r.querySelector('td').textContent.trim()]),
    ),
  );
}

/** Saves a clip of the page from the top of `fromSelector` to the bottom of `toSelector`, full
 * width, as docs/screenshots/<name>.png (only with SCREENSHOTS=1). */
async function screenshot(name, fromSelector, toSelector = fromSelector) {
  if (!SCREENSHOTS) return;
  await mkdir(SHOTS, { recursive: true });
  const box = async (sel) => {
    const b = await page.locator(sel).first().boundingBox();
    const scroll = await page.evaluate(() => window.scrollY);
    return { top: b.y + scroll, bottom: b.y + b.height + scroll };
  };
  const from = await box(fromSelector);
  const to = await box(toSelector);
  const width = await page.evaluate(() => document.documentElement.clientWidth);
  const path = `${SHOTS}${name}.png`;
  await page.screenshot({
    path,
    fullPage: true,
    clip: { x: 0, y: Math.max(0, from.top - 12), width, height: to.bottom - from.top + 24 },
  });
  optimise(path);
  const { size } = await stat(path);
  assert.ok(size < 200_000, `${path} is ${size} bytes`);
}

/** Shrinks a screenshot to a 256-colour palette with pngquant when it is installed (UI
 * screenshots lose nothing visible: `apt-get install pngquant`); without it the PNG stays as
 * Chromium wrote it, still under the size limit. */
function optimise(path) {
  try {
    execFileSync('pngquant', ['--force', '--skip-if-larger', '--strip', '--speed', '1', '--output', path, '256', path], {
      stdio: 'ignore',
    });
  } catch {
    // pngquant missing (or nothing to gain): keep the original.
  }
}

/** Signs a fresh user up through the form, checking the live password rules on the way. */
async function signUp(prefix, { checkRules = false } = {}) {
  const username = uniqueName(prefix);
  await page.fill('#sign-up-username', username);
  await page.fill('#sign-up-email', `${username}@example.com`);
  if (checkRules) {
    assert.deepEqual(await rules(), {
      'At least 8 characters': false,
      'An uppercase letter': false,
      'A lowercase letter': false,
      'A number': false,
      'A symbol, e.g. ! @ # - _': false,
    });
    await page.type('#sign-up-password', 'correct');
    let r = await rules();
    assert.equal(r['A lowercase letter'], true);
    assert.equal(r['An uppercase letter'], false);
    assert.equal(r['At least 8 characters'], false);
    await page.fill('#sign-up-password', '');
    await page.type('#sign-up-password', PASSWORD);
    r = await rules();
    assert.ok(Object.values(r).every(Boolean), `every rule met: ${JSON.stringify(r)}`);
    await screenshot('1-settings-and-sign-up', 'section:has(#settings-form)', 'section:has(#sign-up-form)');
  } else {
    await page.fill('#sign-up-password', PASSWORD);
  }
  const { text, error } = await outcome('sign-up-status', () => page.click('#sign-up-submit'));
  assert.match(text, new RegExp(`^Signed up ${username}\\. A confirmation code went to \\S+@\\S+\\.`), text);
  assert.equal(error, false);
  return username;
}

/** The newest code for `username` as the Mailbox panel shows it, and its row. */
async function mailboxCode(username) {
  const row = page.locator('#mailbox-table tbody tr', { hasText: username }).first();
  await row.waitFor();
  assert.match(await row.textContent(), /Sign-up code/);
  assert.match(await row.textContent(), new RegExp(`${username}@example\\.com`));
  const code = (await row.locator('.code').textContent()).trim();
  assert.match(code, /^\d{6}$/);
  return { code, row };
}

/** Signs in by `flow` ('srp' or 'password'); returns the ID token's claims. */
async function signIn(username, password, flow) {
  await page.fill('#sign-in-username', username);
  await page.fill('#sign-in-password', password);
  await page.check(`#flow-${flow}`);
  // Enter in a field submits the form, as for a keyboard user.
  return outcome('sign-in-status', () => page.press('#sign-in-password', 'Enter'));
}

test('a new user signs up, confirms from the mailbox, signs in both ways, calls the API, signs out', TIMEOUT, async () => {
  const username = await signUp('e2e-demo', { checkRules: true });

  // The code, from the Mailbox panel; "Use this code" fills the Confirm form and focuses it.
  assert.equal(await page.inputValue('#confirm-username'), username, 'prefilled by the sign-up');
  const { code, row } = await mailboxCode(username);
  await row.getByRole('button', { name: /^Use this code/ }).click();
  assert.equal(await page.inputValue('#confirm-code'), code);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'confirm-code');
  await screenshot('2-mailbox-and-confirm', '#mailbox', 'section:has(#confirm-form)');
  let result = await outcome('confirm-status', () => page.keyboard.press('Enter'));
  assert.equal(result.text, `Confirmed ${username}. Now sign in.`);

  // USER_PASSWORD_AUTH, then USER_SRP_AUTH (the default), each timed and verified.
  assert.equal(await page.inputValue('#sign-in-username'), username, 'prefilled');
  assert.equal(await page.isChecked('#flow-srp'), true, 'SRP is the default');
  result = await signIn(username, PASSWORD, 'password');
  assert.match(result.text, /^Signed in with USER_PASSWORD_AUTH in \d+ ms\./, result.text);
  assert.equal(result.error, false);
  await page.waitForSelector('#id-claims');

  result = await signIn(username, PASSWORD, 'srp');
  assert.match(result.text, /^Signed in with USER_SRP_AUTH in \d+ ms\./, result.text);

  const id = await claims('id-claims');
  const access = await claims('access-claims');
  assert.equal(id['cognito:username'], username);
  assert.equal(id.email, `${username}@example.com`);
  assert.equal(id.token_use, 'id');
  assert.equal(id.aud, WEB_CLIENT);
  assert.equal(id.iss, `${ENDPOINT}/${POOL_ID}`);
  assert.equal(access.username, username);
  assert.equal(access.token_use, 'access');
  assert.equal(access.client_id, WEB_CLIENT);
  assert.equal(access.sub, id.sub);
  // Times as local dates, with the raw seconds beside them.
  for (const t of [id.exp, id.iat, id.auth_time, access.exp]) {
    assert.match(t, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \d{10}$/, t);
  }
  await expectText('#signed-in-as', new RegExp(`Signed in as ${username} \\(${username}@example\\.com\\)\\.`));

  // The access token's time left ticks each second.
  const left = await page.textContent('#countdown-left');
  assert.match(left, /^\d+:\d{2}(:\d{2})?$/);
  await page.waitForFunction((before) => document.getElementById('countdown-left').textContent !== before, left, {
    timeout: 5_000,
  });
  await screenshot('3-session-claims', 'section:has(#id-claims)');

  // Refresh now (GetTokensFromRefreshToken, with the client secret itself: no username).
  result = await outcome('session-status', () => page.click('#refresh-submit'));
  assert.match(result.text, /^Refreshed: new ID and access tokens, valid until \d{4}-/, result.text);

  // The protected API with the access token: 200 and the user's name.
  let api = await callApi('#api-call');
  assert.equal(api.status, 'HTTP 200 OK (with the access token)');
  assert.equal(await page.textContent('#api-username'), username);
  assert.equal(api.body.user.username, username);
  assert.equal(api.body.user.sub, id.sub);
  assert.ok(api.body.videos.length > 0 && api.body.videos.every((v) => v.id && v.title), JSON.stringify(api.body));
  await screenshot('4-api-answer', 'section:has(#api-call)');

  // Without a token: 401.
  api = await callApi('#api-call-anonymous');
  assert.equal(api.status, 'HTTP 401 Unauthorized (without a token)');
  assert.equal(api.body.error, 'unauthorized');
  assert.ok(api.body.reason);
  assert.match(await page.textContent('#api-answer'), /The API refused the call: \S/);

  // Sign out everywhere: Cognito revokes, the page forgets; the next call has no token: 401.
  result = await outcome('session-status', () => page.click('#sign-out'));
  assert.match(result.text, /^Signed out everywhere/, result.text);
  await page.waitForSelector('#no-session');
  assert.equal(await page.locator('#id-claims').count(), 0, 'the claims are gone');
  await page.waitForSelector('#api-no-session');
  api = await callApi('#api-call');
  assert.match(api.status, /^HTTP 401 /);
  assert.deepEqual(Object.keys(api.body).sort(), ['error', 'reason']);
  assert.equal(api.body.error, 'unauthorized');

  assertOnlyExpectedErrors([401]);
});

test('the session: kept in localStorage through a reload, refreshed by itself 55 minutes on, followed by a second tab, signed out in both', TIMEOUT, async () => {
  // An emulator of its own: "skip 55 minutes" moves its clock, which would age every other
  // test's tokens on the shared one.
  const own = await startEmulator();
  // Two tabs of one browser (one context: one localStorage); the helpers drive `page`.
  const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
  let other;
  try {
    await page.close();
    page = await context.newPage();
    page.setDefaultTimeout(WAIT);
    watch = watchPage(page);
    await page.goto(server.url);
    await page.waitForSelector('#settings-form');
    await page.fill('#api-url', API);
    await page.fill('#endpoint', own.url);
    await page.selectOption('#session-storage', 'localStorage');
    await page.click('#apply-settings');
    await expectText('#backend', new RegExp(`found at ${own.url}`));
    await page.waitForSelector('#mailbox');
    const username = await signUp('session');
    const { row } = await mailboxCode(username);
    await row.getByRole('button', { name: /^Use this code/ }).click();
    let result = await outcome('confirm-status', () => page.keyboard.press('Enter'));
    assert.equal(result.text, `Confirmed ${username}. Now sign in.`);
    result = await signIn(username, PASSWORD, 'srp');
    assert.match(result.text, /^Signed in with USER_SRP_AUTH/, result.text);
    assert.equal(await page.textContent('#session-storage-used'), 'localStorage');
    const key = `cognito-wasm.${POOL_ID}.${WEB_CLIENT}`;
    const stored = await page.evaluate((k) => localStorage.getItem(k), key);
    assert.ok(stored, 'the session is in localStorage');
    assert.doesNotMatch(stored, new RegExp(PASSWORD), 'never the password');
    const first = await claims('id-claims');

    // A reload keeps the user signed in: the stored session, verified again.
    await page.reload();
    await expectText('#signed-in-as', new RegExp(`Signed in as ${username} `));
    assert.equal((await claims('id-claims')).iat, first.iat, 'the same tokens');

    // A second tab of this browser has the session too.
    other = await context.newPage();
    other.setDefaultTimeout(WAIT);
    await other.goto(server.url);
    await other.waitForSelector('#id-claims');
    assert.equal((await claims('id-claims', other)).sub, first.sub);

    // 55 minutes on (the emulator's clock and the page's): the tokens are within the
    // session's margin, so it refreshes them by itself; the other tab takes the new ones.
    result = await outcome('session-status', () => page.click('#skip-time'));
    assert.match(result.text, /^55 minutes later .* the session refreshed them by itself/, result.text);
    const fresh = await claims('id-claims');
    assert.notEqual(fresh.iat, first.iat, 'new tokens');
    await other.waitForFunction(
      (iat) => [...document.querySelectorAll('#id-claims td')].some((td) => td.textContent.trim() === iat),
      fresh.iat,
    );

    // Signed out in one tab: the other follows, and the storage is empty.
    result = await outcome('session-status', () => page.click('#forget'));
    assert.match(result.text, /^Signed out here/, result.text);
    await page.waitForSelector('#no-session');
    await other.waitForSelector('#no-session');
    assert.equal(await page.evaluate((k) => localStorage.getItem(k), key), null);
    assertOnlyExpectedErrors([]);
  } finally {
    await context.close();
    own.stop();
  }
});

test('a wrong code, a wrong password, a taken name and a weak password read plainly, with their names', TIMEOUT, async () => {
  const username = await signUp('e2e-demo-wrong');
  const { code } = await mailboxCode(username);
  const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
  await page.fill('#confirm-code', wrong);
  let result = await outcome('confirm-status', () => page.click('#confirm-submit'));
  assert.equal(
    result.text,
    'That code is not right. Check the newest email and try again. (CodeMismatchException) ' +
      'Details: Invalid verification code provided, please try again.',
  );
  assert.equal(result.error, true);
  assert.equal(await page.textContent('#confirm-status .error-name'), 'CodeMismatchException');

  // The right code still works (one wrong try does not void it).
  await page.fill('#confirm-code', code);
  result = await outcome('confirm-status', () => page.click('#confirm-submit'));
  assert.equal(result.text, `Confirmed ${username}. Now sign in.`);
  assert.equal(result.error, false);

  for (const flow of ['srp', 'password']) {
    result = await signIn(username, `${PASSWORD}x`, flow);
    assert.equal(result.text, 'The username or password is wrong. (NotAuthorizedException) Details: Incorrect username or password.', flow);
    assert.equal(result.error, true);
  }
  assert.equal(await page.locator('#id-claims').count(), 0, 'no session after a wrong password');

  // The same name again, then a password the pool refuses.
  await page.fill('#sign-up-username', username);
  result = await outcome('sign-up-status', () => page.click('#sign-up-submit'));
  assert.match(result.text, /^That username is taken\. .*\(UsernameExistsException\)/, result.text);
  await page.fill('#sign-up-username', uniqueName('e2e-demo-weak'));
  await page.fill('#sign-up-password', 'weak');
  result = await outcome('sign-up-status', () => page.click('#sign-up-submit'));
  assert.match(
    result.text,
    /^The password does not follow the pool's rules .*\(InvalidPasswordException\) Details: Password did not conform with policy/,
    result.text,
  );

  assertOnlyExpectedErrors([400]);
});

test('settings: the secret warning, what is saved, the client without a secret, labels and keys', TIMEOUT, async () => {
  // A warning whenever a secret is set (the practical's default has one).
  assert.equal(await page.isVisible('#secret-warning'), true);
  assert.match(await page.textContent('#secret-warning'), /anyone who opens this page can read/);
  await page.fill('#client-secret', '');
  assert.equal(await page.isVisible('#secret-warning'), false);
  await page.fill('#client-secret', 'something');
  assert.equal(await page.isVisible('#secret-warning'), true);

  // The client without a secret: no warning, and a refresh needs no username.
  await page.click('text=Use the client without a secret');
  assert.equal(await page.inputValue('#client-id'), 'practicalspaclientnosecret');
  assert.equal(await page.isVisible('#secret-warning'), false);
  await page.click('#apply-settings');

  // Saved without the secret; a reload keeps the URLs.
  const saved = await page.evaluate(() => localStorage.getItem('cognito-wasm-demo/settings'));
  assert.deepEqual(JSON.parse(saved), {
    endpoint: ENDPOINT,
    poolId: POOL_ID,
    clientId: 'practicalspaclientnosecret',
    apiUrl: API,
    storage: 'memory',
  });
  await page.click('text=The practical\'s defaults');
  await page.fill('#endpoint', ENDPOINT);
  await page.fill('#api-url', API);
  await page.click('#apply-settings');
  const secretless = await page.evaluate(() => localStorage.getItem('cognito-wasm-demo/settings'));
  assert.doesNotMatch(secretless, /localdemosecret/);
  // Requests the reload cuts short (the mailbox's poll) are not the page's errors.
  assertOnlyExpectedErrors([]);
  await page.reload();
  watch.errors.length = 0;
  await page.waitForSelector('#mailbox');
  assert.equal(await page.inputValue('#endpoint'), ENDPOINT);
  assert.equal(await page.inputValue('#api-url'), API);
  // The practical's own (public) secret comes back with its client.
  assert.equal(await page.inputValue('#client-id'), WEB_CLIENT);
  assert.notEqual(await page.inputValue('#client-secret'), '');

  // Every input has a label; Tab walks the sign-up form in order; every form has a submit button.
  const unlabelled = await page.$$eval('input', (inputs) => inputs.filter((i) => !i.labels?.length).map((i) => i.id));
  assert.deepEqual(unlabelled, []);
  const noSubmit = await page.$$eval('form', (forms) =>
    forms.filter((f) => !f.querySelector('button[type=submit]')).map((f) => f.id),
  );
  assert.deepEqual(noSubmit, []);
  await page.focus('#sign-up-username');
  const order = [];
  for (let i = 0; i < 4; i++) {
    await page.keyboard.press('Tab');
    order.push(await page.evaluate(() => document.activeElement.id));
  }
  assert.deepEqual(order, ['sign-up-email', 'sign-up-password', 'sign-up-show', 'sign-up-submit']);
  assertOnlyExpectedErrors([]);
});

test('forgot password: the reset code from the mailbox, a new password, a sign-in with it', TIMEOUT, async () => {
  const username = await signUp('e2e-demo-reset');
  const { row } = await mailboxCode(username);
  await row.getByRole('button', { name: /^Use this code/ }).click();
  let result = await outcome('confirm-status', () => page.keyboard.press('Enter'));
  assert.equal(result.text, `Confirmed ${username}. Now sign in.`);

  await page.click('#reset summary');
  await page.fill('#reset-username', username);
  result = await outcome('reset-send-status', () => page.click('#reset-send'));
  assert.match(result.text, new RegExp(`^If ${username} exists, a reset code went to \\S+\\.`), result.text);

  // Folded away again, then opened by "Use this code" on the reset mail.
  await page.click('#reset summary');
  assert.equal(await page.$eval('#reset', (d) => d.open), false);
  const mail = page.locator('#mailbox-table tbody tr', { hasText: 'Password reset code' }).filter({ hasText: username });
  await mail.waitFor();
  const code = (await mail.locator('.code').textContent()).trim();
  await mail.getByRole('button', { name: /^Use this code/ }).click();
  assert.equal(await page.$eval('#reset', (d) => d.open), true);
  assert.equal(await page.inputValue('#reset-code'), code);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'reset-code');

  const fresh = `${PASSWORD}-new`;
  await page.fill('#reset-password', fresh);
  result = await outcome('reset-status', () => page.press('#reset-password', 'Enter'));
  assert.equal(result.text, `The password of ${username} is changed. Sign in with the new one.`);

  result = await signIn(username, PASSWORD, 'srp');
  assert.match(result.text, /\(NotAuthorizedException\)/, 'the old password no longer works');
  result = await signIn(username, fresh, 'srp');
  assert.match(result.text, /^Signed in with USER_SRP_AUTH in \d+ ms\./, result.text);
  assertOnlyExpectedErrors([400]);
});

test('account: a new email verified with the code from the mailbox, then the account deleted', TIMEOUT, async () => {
  const username = await signUp('e2e-demo-account');
  const { row } = await mailboxCode(username);
  await row.getByRole('button', { name: /^Use this code/ }).click();
  await outcome('confirm-status', () => page.keyboard.press('Enter'));
  let result = await signIn(username, PASSWORD, 'srp');
  assert.match(result.text, /^Signed in with USER_SRP_AUTH/, result.text);

  const [before, after] = [`${username}@example.com`, `${username}@example.org`];
  await page.fill('#email-new', after);
  result = await outcome('account-status', () => page.click('#email-submit'));
  // The practical's pool keeps the old address, verified, until the new one is.
  assert.equal(result.error, false, result.text);
  assert.match(result.text, new RegExp(`^A code went to \\S+\\. Until you enter it, your email stays ${before}\\.$`), result.text);
  await expectText('#account-email', new RegExp(`Email: ${before} \\(waiting for the code sent to ${after}\\)`));
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'email-code');

  await page.fill('#email-code', '000000');
  result = await outcome('account-status', () => page.press('#email-code', 'Enter'));
  assert.equal(result.error, true);
  assert.match(result.text, /That code is not right.*\(CodeMismatchException\)/, result.text);

  const mail = page.locator('#mailbox-table tbody tr', { hasText: 'Email verification code' }).filter({ hasText: after });
  await mail.waitFor();
  const code = (await mail.locator('.code').textContent()).trim();
  await mail.getByRole('button', { name: /^Use this code/ }).click();
  assert.equal(await page.inputValue('#email-code'), code);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'email-code');
  result = await outcome('account-status', () => page.keyboard.press('Enter'));
  assert.match(result.text, new RegExp(`^Verified: your email is now ${after}\\.`), result.text);
  await expectText('#account-email', new RegExp(`^\\s*Email: ${after}\\s*$`));

  await page.click('#delete-account');
  await expectText('#delete-question', new RegExp(`Delete ${username} for good\\?`));
  await screenshot('5-account', 'section.account');
  // The session's section turns to "not signed in", with the outcome in its status line.
  await act('section[aria-labelledby=session-title]', () => page.click('#delete-confirm'), '#no-session');
  await expectText('#session-status', new RegExp(`^\\s*Deleted ${username}: the account is gone and every session of it has ended\\.`));
  result = await signIn(username, PASSWORD, 'srp');
  assert.match(result.text, /\(NotAuthorizedException\)/, 'the deleted user cannot sign in');
  assertOnlyExpectedErrors([400]);
});

test('elsewhere than the emulator: no mailbox, default rules, progress shown, a dead API explained', TIMEOUT, async () => {
  // The emulator's delay route answers the Cognito API slowly and has no /health: to the app it
  // is "not the emulator", and each call takes long enough to watch its progress.
  await page.fill('#endpoint', `${ENDPOINT}/_emulator/delay/1500`);
  await page.fill('#api-url', 'http://127.0.0.1:9');
  await page.click('#apply-settings');
  await page.waitForSelector('#backend.cognito');
  assert.equal(await page.locator('#mailbox').count(), 0, 'no mailbox');
  await expectText('#sign-up-rules', /^Cognito's default rules/);
  assert.equal(await page.locator('#sign-up-rules li').count(), 5);

  const username = uniqueName('e2e-demo-slow');
  await page.fill('#sign-up-username', username);
  await page.fill('#sign-up-email', `${username}@example.com`);
  await page.fill('#sign-up-password', PASSWORD);
  await page.click('#sign-up-submit');
  const button = page.locator('#sign-up-submit');
  await page.waitForSelector('#sign-up-submit[aria-busy=true]');
  assert.equal(await button.textContent(), 'Working…');
  assert.equal(await button.getAttribute('aria-disabled'), 'true');
  assert.equal(await page.getAttribute('#sign-up-form', 'aria-busy'), 'true');
  await page.waitForSelector('#sign-up-status p', { timeout: WAIT });
  assert.equal(await button.textContent(), 'Sign up');
  assert.equal(await button.getAttribute('aria-busy'), null);
  assert.match(await page.innerText('#sign-up-status'), new RegExp(`^Signed up ${username}\\. A confirmation code went to \\S+\\.$`));

  // Nothing listens on the API's port: plain words, and the name for developers.
  const result = await outcome('api-status', () => page.click('#api-call-anonymous'));
  assert.match(result.text, /^The server could not be reached\. .*\(NetworkError\)/, result.text);
  assert.equal(result.error, true);

  assertOnlyExpectedErrors([404], [/127\.0\.0\.1:9\/api\/videos/]);
});

/**
 * Only the failures a test provokes: Chromium reports each HTTP error status on the console as a
 * failed resource load (`statuses`), requests to a server that is down fail (`patterns`), and
 * the app's first look for an emulator at its default URL (before the test types the real one)
 * finds nothing when nothing listens there.
 */
function assertOnlyExpectedErrors(statuses, patterns = []) {
  const status = /^console\.error: Failed to load resource: the server responded with a status of (\d+) /;
  const unexpected = watch.errors.filter((e) => {
    const m = e.match(status);
    if (m && statuses.includes(Number(m[1]))) return false;
    if (patterns.some((p) => p.test(e))) return false;
    return !e.includes(`${DEFAULT_ENDPOINT}/health`);
  });
  assert.deepEqual(unexpected, [], `errors in the page:\n  ${unexpected.join('\n  ')}`);
}
