// demo_page.mjs: the Yew demo (www/index.html + www/demo/) in headless Chromium, for the demo's
// test files (demo_app.test.mjs: the practical; demo_mfa.test.mjs: two-factor sign-in): the
// page each test drives, against the emulator and the demo API, and the helpers that click
// through it as a user would.
//
// Needs the app built into www/demo/:
//   PATH=xtask/tools/node_modules/.bin:$PATH \
//     wasm-pack build --release --target web demo-app --out-dir ../www/demo --no-typescript
// and, running, the emulator on the practical's pool and the demo API pointed at it:
//   target/debug/cognito-emulator --port 0 --config emulator/practical.json   # prints its URL
//   target/debug/demo-api --port 0 --emulator http://127.0.0.1:EMULATOR_PORT  # prints its URL
//   COGNITO_ENDPOINT=http://127.0.0.1:EMULATOR_PORT DEMO_API=http://127.0.0.1:API_PORT \
//     node --test tests/e2e/demo_app.test.mjs tests/e2e/demo_mfa.test.mjs
// The test serves www/ itself and types both URLs into the app's settings, so the servers may
// run on any port. With SCREENSHOTS=1 it also saves the main screens to docs/screenshots/.
//
// Codes are read from the app's Mailbox panel, as a user would, not from the outbox API.

import { before, after, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { emulatorEndpoint, launchBrowser, serveStatic, startEmulator, uniqueName, watchPage } from './harness.mjs';

export const WWW = fileURLToPath(new URL('../../www/', import.meta.url));
export const SHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
export const ENDPOINT = emulatorEndpoint();
export const API = (process.env.DEMO_API || '').replace(/\/+$/, '');
export const SCREENSHOTS = process.env.SCREENSHOTS === '1';
export const POOL_ID = 'us-east-1_Practical';
export const WEB_CLIENT = 'practicalwebclientsecret01';
export const PASSWORD = 'Correct-Horse-9';
export const WAIT = 30_000; // an action's answer: the first token waits for the emulator's RSA key
export const TIMEOUT = { timeout: 180_000 };
/** Where the app looks before the test types the real URLs in (nothing needs to listen). */
export const DEFAULT_ENDPOINT = 'http://127.0.0.1:9229';

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

// The test file's server and browser, and the page the helpers drive (live bindings: a test
// that opens another page makes it the helpers' with `setPage`).
export let server;
export let browser;
export let page;
export let watch;

/** Makes `next` the page the helpers drive, watched for errors. */
export function setPage(next) {
  page = next;
  page.setDefaultTimeout(WAIT);
  watch = watchPage(page);
}

/** The hooks of a demo test file: a server of www/ and a browser for the file, and for each
 *  test a page with the settings typed in. */
export function demoHooks() {
  before(async () => {
    server = await serveStatic(WWW);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
  beforeEach(openDemo);
  afterEach(async () => {
    await page?.close();
  });
}

async function openDemo() {
  setPage(await browser.newPage({ viewport: { width: 1000, height: 900 } }));
  await page.goto(server.url);
  await page.waitForSelector('#settings-form');
  // The settings come from the environment, typed in as a user would.
  await page.fill('#endpoint', ENDPOINT);
  await page.fill('#api-url', API);
  await page.click('#apply-settings');
  await page.waitForSelector('#backend.emulator');
  await page.waitForSelector('#mailbox');
  await expectText('#sign-up-rules', /read with DescribeUserPool/);
}

/** Waits until the text of `selector` matches `pattern`; returns the text. */
export async function expectText(selector, pattern, timeout = WAIT) {
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
export async function act(watched, trigger, ready) {
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
export async function outcome(statusId, trigger) {
  await act(`#${statusId}`, trigger, `#${statusId} p`);
  const text = (await page.innerText(`#${statusId}`)).replace(/\s+/g, ' ').trim();
  const error = await page.$eval(`#${statusId}`, (el) => !!el.querySelector('.error'));
  return { text, error };
}

/** Clicks one of the API buttons and returns { status: 'HTTP ...', body }. */
export async function callApi(button) {
  await act('section:has(#api-call)', () => page.click(button), '#api-http-status');
  return {
    status: (await page.textContent('#api-http-status')).trim(),
    body: JSON.parse(await page.textContent('#api-json')),
  };
}

/** The rule items' states: { 'At least 8 characters': true, ... }. */
export async function rules() {
  return page.$$eval('#sign-up-rules li', (items) =>
    Object.fromEntries(
      items.map((li) => [li.textContent.replace(/[✓○]|: (done|not yet)$/g, '').trim(), li.classList.contains('met')]),
    ),
  );
}

/** A claims table as { claim: value text } (of `on`, a page; the test's by default). */
export async function claims(tableId, on = page) {
  return on.$$eval(`#${tableId} tbody tr`, (rows) =>
    Object.fromEntries(
      rows.map((r) => [r.querySelector('th').textContent.trim(), r.querySelector('td').textContent.trim()]),
    ),
  );
}

/** Saves a clip of the page from the top of `fromSelector` to the bottom of `toSelector`, full
 * width, as docs/screenshots/<name>.png (only with SCREENSHOTS=1). */
export async function screenshot(name, fromSelector, toSelector = fromSelector) {
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
export async function signUp(prefix, { checkRules = false } = {}) {
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
export async function mailboxCode(username) {
  const row = page.locator('#mailbox-table tbody tr', { hasText: username }).first();
  await row.waitFor();
  assert.match(await row.textContent(), /Sign-up code/);
  assert.match(await row.textContent(), new RegExp(`${username}@example\\.com`));
  const code = (await row.locator('.code').textContent()).trim();
  assert.match(code, /^\d{6}$/);
  return { code, row };
}

/** Signs in by `flow` ('srp' or 'password'); returns the ID token's claims. */
export async function signIn(username, password, flow) {
  await page.fill('#sign-in-username', username);
  await page.fill('#sign-in-password', password);
  await page.check(`#flow-${flow}`);
  // Enter in a field submits the form, as for a keyboard user.
  return outcome('sign-in-status', () => page.press('#sign-in-password', 'Enter'));
}

/**
 * Only the failures a test provokes: Chromium reports each HTTP error status on the console as a
 * failed resource load (`statuses`), requests to a server that is down fail (`patterns`), and
 * the app's first look for an emulator at its default URL (before the test types the real one)
 * finds nothing when nothing listens there.
 */
export function assertOnlyExpectedErrors(statuses, patterns = []) {
  const status = /^console\.error: Failed to load resource: the server responded with a status of (\d+) /;
  const unexpected = watch.errors.filter((e) => {
    const m = e.match(status);
    if (m && statuses.includes(Number(m[1]))) return false;
    if (patterns.some((p) => p.test(e))) return false;
    return !e.includes(`${DEFAULT_ENDPOINT}/health`);
  });
  assert.deepEqual(unexpected, [], `errors in the page:\n  ${unexpected.join('\n  ')}`);
}
