// demo_mfa.test.mjs: two-factor sign-in in the Yew demo, in headless Chromium against the
// emulator's practical pool (MFA optional: authenticator apps and email codes), clicked through
// as a user would. How to run it: demo_page.mjs.
//
// The authenticator app's codes are computed here from the key the page shows (RFC 6238, as an
// app does); email codes and temporary passwords are read from the app's Mailbox panel.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import jsQR from 'jsqr';
import { ADMIN, cognitoCall, emulatorClock, totp, uniqueName, wrongCode } from './harness.mjs';
import {
  ENDPOINT,
  PASSWORD,
  TIMEOUT,
  act,
  assertOnlyExpectedErrors,
  demoHooks,
  expectText,
  mailboxCode,
  outcome,
  page,
  screenshot,
  signIn,
  signUp,
} from './demo_page.mjs';

demoHooks();

/** An admin call to the emulator. */
const admin = (operation, body) => cognitoCall(ENDPOINT, operation, body, ADMIN);

/** The text of the page's QR code, as a phone's camera reads it: the SVG drawn on a canvas
 *  in the page, its pixels decoded here by jsQR, an independent decoder. */
async function scanQr() {
  const { width, height, pixels } = await page.$eval('#authenticator-key svg.qr', async (svg) => {
    const image = new Image();
    image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg.outerHTML)}`;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 400;
    const context = canvas.getContext('2d');
    context.drawImage(image, 0, 0, 400, 400);
    return { width: 400, height: 400, pixels: Array.from(context.getImageData(0, 0, 400, 400).data) };
  });
  const found = jsQR(Uint8ClampedArray.from(pixels), width, height);
  assert.ok(found, 'a QR code jsQR can read');
  return found.data;
}

/** A user signed up and confirmed through the page, then signed in by SRP. */
async function signedInUser(prefix) {
  const username = await signUp(prefix);
  const { row } = await mailboxCode(username);
  await row.getByRole('button', { name: /^Use this code/ }).click();
  const confirmed = await outcome('confirm-status', () => page.keyboard.press('Enter'));
  assert.equal(confirmed.text, `Confirmed ${username}. Now sign in.`);
  const result = await signIn(username, PASSWORD, 'srp');
  assert.match(result.text, /^Signed in with USER_SRP_AUTH/, result.text);
  return username;
}

/** Signs out here (the session's "Sign out here"). */
async function signOut() {
  // The section, not its status line: the status line is a new element once signed out.
  await act('section[aria-labelledby=session-title]', () => page.click('#forget'), '#no-session');
  await expectText('#session-status', /^Signed out here/);
}

/** Signs in by SRP and expects the challenge `name`. */
async function signInToChallenge(username, password, name) {
  const result = await signIn(username, password, 'srp');
  assert.match(result.text, new RegExp(`Cognito asks for one more step before it gives tokens \\(${name}\\)\\.$`), result.text);
  await page.waitForSelector(`#challenge[data-challenge=${name}]`);
}

/** Types `value` into the challenge's field `field` and presses Enter: a refusal's status, or
 *  the session once signed in. */
async function answer(field, value, { refused = false } = {}) {
  await page.fill(field, value);
  if (refused) return outcome('challenge-status', () => page.press(field, 'Enter'));
  await act('section[aria-labelledby=sign-in-title]', () => page.press(field, 'Enter'), '#sign-in-status p.ok');
  await page.waitForSelector('#id-claims');
  return { text: await expectText('#sign-in-status', /^Signed in\./) };
}

test('two-factor: an authenticator app from its QR code, its code at sign-in, email codes from the mailbox, then none', TIMEOUT, async () => {
  const username = await signedInUser('e2e-mfa');
  await expectText('#mfa-now', /^No second factor/);

  // A new key: as a QR code of the otpauth URI, and as text.
  await act('#mfa', () => page.click('#mfa-setup'), '#totp-secret');
  const secret = await page.getAttribute('#totp-secret', 'data-secret');
  assert.match(secret, /^[A-Z2-7]{32}$/);
  assert.equal((await page.textContent('#totp-secret')).replace(/ /g, ''), secret);
  const issuer = encodeURIComponent('cognito-wasm demo');
  assert.equal(
    await page.getAttribute('#totp-uri', 'href'),
    `otpauth://totp/${issuer}:${encodeURIComponent(username)}?secret=${secret}&issuer=${issuer}`,
  );
  assert.equal(await scanQr(), await page.getAttribute('#totp-uri', 'href'), 'the QR code, read by jsQR, is the URI');
  await screenshot('6-mfa-setup', '#mfa');

  // A wrong code, then the app's.
  await page.fill('#mfa-code', wrongCode(secret, await emulatorClock(ENDPOINT)));
  let result = await outcome('mfa-status', () => page.press('#mfa-code', 'Enter'));
  assert.equal(result.error, true);
  assert.match(result.text, /EnableSoftwareTokenMFAException/);
  await page.fill('#mfa-code', totp(secret, await emulatorClock(ENDPOINT)));
  result = await outcome('mfa-status', () => page.press('#mfa-code', 'Enter'));
  assert.match(result.text, /^Your authenticator app is set up and preferred/, result.text);
  await expectText('#mfa-now', /^Enabled: A code of my authenticator app\. Preferred: A code of my authenticator app\./);
  assert.equal(await page.isChecked('#mfa-choice-SOFTWARE_TOKEN_MFA'), true);

  // The next sign-in asks for the app's code: a wrong one is refused, the right one signs in.
  await signOut();
  await signInToChallenge(username, PASSWORD, 'SOFTWARE_TOKEN_MFA');
  result = await answer('#challenge-code', wrongCode(secret, await emulatorClock(ENDPOINT)), { refused: true });
  assert.equal(result.error, true);
  assert.match(result.text, /CodeMismatchException/);
  // A code is good once: the one of now verified the app; the next step's is taken.
  await answer('#challenge-code', totp(secret, (await emulatorClock(ENDPOINT)) + 30));
  await expectText('#signed-in-as', new RegExp(`Signed in as ${username} `));

  // Email codes instead: the code lands in the Mailbox, "Use this code" puts it in the field.
  await page.check('#mfa-choice-EMAIL_OTP');
  result = await outcome('mfa-status', () => page.click('#mfa-save'));
  assert.equal(result.text, 'Saved: the next sign-in asks for a code by email.');
  // The app stays enabled, not preferred: choosing it again needs no new key.
  await expectText('#mfa-now', /^Enabled: A code of my authenticator app, A code by email\. Preferred: A code by email\./);
  await signOut();
  await signInToChallenge(username, PASSWORD, 'EMAIL_OTP');
  await expectText('#challenge-code-hint', new RegExp(`^Sent by email to ${username[0]}\\*\\*\\*@e\\*\\*\\* \\(EMAIL_OTP\\)\\.$`));
  const row = page.locator('#mailbox-table tbody tr', { hasText: 'Sign-in code' }).filter({ hasText: username }).first();
  await row.waitFor();
  await row.getByRole('button', { name: /^Use this code/ }).click();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'challenge-code');
  assert.match(await page.inputValue('#challenge-code'), /^\d{6}$/);
  await act('section[aria-labelledby=sign-in-title]', () => page.keyboard.press('Enter'), '#sign-in-status p.ok');
  await page.waitForSelector('#id-claims');

  // None again: the password alone signs in.
  await page.check('#mfa-choice-NONE');
  result = await outcome('mfa-status', () => page.click('#mfa-save'));
  assert.match(result.text, /^No second factor/, result.text);
  await signOut();
  result = await signIn(username, PASSWORD, 'srp');
  assert.match(result.text, /^Signed in with USER_SRP_AUTH/, result.text);

  assertOnlyExpectedErrors([400]);
});

test("an administrator's user: the temporary password from the mailbox, then a new password at the first sign-in", TIMEOUT, async () => {
  const username = uniqueName('e2e-invited');
  await page.click('#admin-user summary');
  await page.fill('#admin-username', username);
  let result = await outcome('admin-user-status', () => page.click('#admin-create'));
  assert.match(result.text, new RegExp(`^Created ${username} \\(${username}@example\\.com\\) with a temporary password`), result.text);

  // The temporary password, from the Mailbox, fills the sign-in.
  const row = page.locator('#mailbox-table tbody tr', { hasText: 'Temporary password' }).filter({ hasText: username }).first();
  await row.waitFor();
  const temporary = (await row.locator('.code').textContent()).trim();
  await row.getByRole('button', { name: /^Use this code/ }).click();
  assert.equal(await page.inputValue('#sign-in-username'), username);
  assert.equal(await page.inputValue('#sign-in-password'), temporary);
  result = await outcome('sign-in-status', () => page.click('#sign-in-submit'));
  assert.match(result.text, /\(NEW_PASSWORD_REQUIRED\)\.$/, result.text);
  await page.waitForSelector('#challenge[data-challenge=NEW_PASSWORD_REQUIRED]');
  assert.equal(await page.locator('[id^=challenge-attribute-]').count(), 0, 'the pool needs only the email, which the user has');

  // A weak password is refused by the pool's policy; a good one signs in.
  result = await answer('#challenge-new-password', 'weak', { refused: true });
  assert.equal(result.error, true);
  assert.match(result.text, /InvalidPasswordException/);
  await answer('#challenge-new-password', PASSWORD);
  await expectText('#signed-in-as', new RegExp(`Signed in as ${username} \\(${username}@example\\.com\\)\\.`));
  await signOut();
  result = await signIn(username, PASSWORD, 'srp');
  assert.match(result.text, /^Signed in with USER_SRP_AUTH/, result.text);

  assertOnlyExpectedErrors([400]);
});

test('a pool that requires MFA: NEW_PASSWORD_REQUIRED, then MFA_SETUP from the QR code, then SELECT_MFA_TYPE and an email code', TIMEOUT, async () => {
  // A pool of the test's own, MFA on (authenticator apps, email codes), typed into the settings.
  const pool = (await admin('CreateUserPool', { PoolName: uniqueName('e2e-mfa-on') })).UserPool.Id;
  await admin('SetUserPoolMfaConfig', {
    UserPoolId: pool,
    MfaConfiguration: 'ON',
    SoftwareTokenMfaConfiguration: { Enabled: true },
    EmailMfaConfiguration: { Message: 'Your code is {####}', Subject: 'Sign-in' },
  });
  const flows = ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];
  const made = await admin('CreateUserPoolClient', { UserPoolId: pool, ClientName: 'e2e', ExplicitAuthFlows: flows });
  await page.fill('#pool-id', pool);
  await page.fill('#client-id', made.UserPoolClient.ClientId);
  await page.fill('#client-secret', '');
  await page.click('#apply-settings');
  await expectText('#sign-up-rules', new RegExp(`The rules of pool ${pool}`));

  // The administrator's user, the temporary password from the Mailbox, a new password.
  const username = uniqueName('e2e-required');
  await page.click('#admin-user summary');
  await page.fill('#admin-username', username);
  await outcome('admin-user-status', () => page.click('#admin-create'));
  const row = page.locator('#mailbox-table tbody tr', { hasText: 'Temporary password' }).filter({ hasText: username }).first();
  await row.waitFor();
  await row.getByRole('button', { name: /^Use this code/ }).click();
  await signInToChallenge(username, await page.inputValue('#sign-in-password'), 'NEW_PASSWORD_REQUIRED');

  // Straight on to MFA_SETUP: the key as a QR code, its code, and the session starts.
  await page.fill('#challenge-new-password', PASSWORD);
  await act('section[aria-labelledby=sign-in-title]', () => page.press('#challenge-new-password', 'Enter'), '#challenge[data-challenge=MFA_SETUP]');
  await expectText('#sign-in-status', /One more step: MFA_SETUP\./);
  await act('#challenge', () => page.click('#challenge-setup'), '#totp-secret');
  const secret = await page.getAttribute('#totp-secret', 'data-secret');
  assert.equal(await scanQr(), await page.getAttribute('#totp-uri', 'href'));
  await answer('#challenge-code', totp(secret, await emulatorClock(ENDPOINT)));
  await expectText('#mfa-now', /^Enabled: A code of my authenticator app\. Preferred: A code of my authenticator app\./);

  // Two factors and none preferred (set by an administrator): the sign-in asks which.
  await admin('AdminSetUserMFAPreference', {
    UserPoolId: pool,
    Username: username,
    SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: false },
    EmailMfaSettings: { Enabled: true, PreferredMfa: false },
  });
  await signOut();
  await signInToChallenge(username, PASSWORD, 'SELECT_MFA_TYPE');
  assert.deepEqual(
    await page.$$eval('#challenge-form button', (buttons) => buttons.map((b) => b.id)),
    ['choose-SOFTWARE_TOKEN_MFA', 'choose-EMAIL_OTP'],
  );
  await act('section[aria-labelledby=sign-in-title]', () => page.click('#choose-EMAIL_OTP'), '#challenge[data-challenge=EMAIL_OTP]');
  const code = page.locator('#mailbox-table tbody tr', { hasText: 'Sign-in code' }).filter({ hasText: username }).first();
  await code.waitFor();
  await code.getByRole('button', { name: /^Use this code/ }).click();
  await act('section[aria-labelledby=sign-in-title]', () => page.keyboard.press('Enter'), '#sign-in-status p.ok');
  await expectText('#signed-in-as', new RegExp(`Signed in as ${username} `));

  assertOnlyExpectedErrors([400]);
});
