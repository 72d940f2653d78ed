// demo_app.test.mjs: the Yew demo in headless Chromium, against the emulator and the demo API,
// clicked through as a new user walks the practical. How to run it: demo_page.mjs.
//
// Codes are read from the app's Mailbox panel, as a user would, not from the outbox API.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, uniqueName } from './harness.mjs';
import {
  API,
  ENDPOINT,
  PASSWORD,
  POOL_ID,
  TIMEOUT,
  WAIT,
  WEB_CLIENT,
  act,
  assertOnlyExpectedErrors,
  browser,
  callApi,
  claims,
  demoHooks,
  expectText,
  mailboxCode,
  outcome,
  page,
  rules,
  screenshot,
  server,
  setPage,
  signIn,
  signUp,
  watch,
} from './demo_page.mjs';

demoHooks();

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
    setPage(await context.newPage());
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
