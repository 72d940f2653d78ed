// account.test.mjs: account self-service through the package's JS API in headless Chromium,
// against the emulator: CognitoClient's methods for the registry's account operations, with
// and without a client secret, their results and Cognito's errors by name.
//
// Run as the other e2e tests (COGNITO_ENDPOINT set to an emulator seeded with
// emulator/practical.json, www/pkg built).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, outboxCode, uniqueName } from './harness.mjs';
import {
  EMULATOR,
  PASSWORD,
  POOL,
  SPA_CLIENT,
  TIMEOUT,
  WEB_CLIENT,
  WEB_SECRET,
  client,
  err,
  ok,
  signUpAndConfirm,
  start,
  stop,
  tokensOf,
  withPage,
} from './js_bridge.mjs';

before(start);
after(stop);

/** Both of the practical's app clients: without and with a secret. */
const CLIENTS = [
  [SPA_CLIENT, undefined],
  [WEB_CLIENT, WEB_SECRET],
];

test('deleteUser ends the account and every session', TIMEOUT, () =>
  withPage(async (page) => {
    for (const [clientId, secret] of CLIENTS) {
      const c = await client(page, EMULATOR, POOL, clientId, secret);
      const user = uniqueName('delete');
      await signUpAndConfirm(c, user);
      const first = tokensOf(await ok(c.signInSrp(user, PASSWORD)));
      const second = tokensOf(await ok(c.signInPassword(user, PASSWORD)));
      assert.equal(await ok(c.deleteUser(first.accessToken)), undefined);
      assert.equal(await err(c.deleteUser(first.accessToken)), 'NotAuthorizedException');
      assert.equal(await err(c.getUser(second.accessToken)), 'NotAuthorizedException');
      assert.equal(await err(c.signInPassword(user, PASSWORD)), 'NotAuthorizedException');
      assert.equal(await err(c.deleteUser('')), 'InvalidInputError');
    }
  }),
);

/** What the emulator recorded of the ClientMetadata of `username`'s calls. */
async function recordedMetadata(username) {
  const url = new URL('/_emulator/client-metadata', EMULATOR);
  url.searchParams.set('username', username);
  return (await (await fetch(url, { headers: ADMIN })).json()).map((r) => [r.operation, r.client_metadata]);
}

test('attributes: change (the old email kept until the new one is verified), verify, delete', TIMEOUT, () =>
  withPage(async (page) => {
    for (const [clientId, secret] of CLIENTS) {
      const c = await client(page, EMULATOR, POOL, clientId, secret);
      const user = uniqueName('attrs');
      await signUpAndConfirm(c, user);
      const { accessToken } = tokensOf(await ok(c.signInSrp(user, PASSWORD)));
      const [before, after] = [`${user}@example.com`, `${user}@example.org`];
      const deliveries = await ok(
        c.updateUserAttributes(accessToken, { email: after, nickname: 'Ada' }, { origin: 'js-api' }),
      );
      assert.deepEqual(deliveries, [
        { destination: `${user[0]}***@e***`, deliveryMedium: 'EMAIL', attributeName: 'email' },
      ]);
      // The practical's pool verifies a new email before it takes it.
      let me = await ok(c.getUser(accessToken));
      assert.equal(me.attributes.email, before);
      assert.equal(me.attributes.email_verified, 'true');
      assert.equal(me.attributes.nickname, 'Ada');
      assert.equal(await err(c.verifyUserAttribute(accessToken, 'email', '000000')), 'CodeMismatchException');
      const code = await outboxCode(EMULATOR, user, 'verify_attribute', POOL);
      assert.equal(await ok(c.verifyUserAttribute(accessToken, 'email', code)), undefined);
      me = await ok(c.getUser(accessToken));
      assert.equal(me.attributes.email, after);
      assert.equal(me.attributes.email_verified, 'true');
      assert.deepEqual(
        (await recordedMetadata(user)).filter(([op]) => op === 'UpdateUserAttributes'),
        [['UpdateUserAttributes', { origin: 'js-api' }]],
      );

      const again = await ok(c.getUserAttributeVerificationCode(accessToken, 'email'));
      assert.equal(again.attributeName, 'email');
      assert.equal(
        await err(c.getUserAttributeVerificationCode(accessToken, 'phone_number')),
        'InvalidParameterException',
      );
      assert.equal(await ok(c.deleteUserAttributes(accessToken, ['nickname'])), undefined);
      me = await ok(c.getUser(accessToken));
      assert.equal(me.attributes.nickname, undefined);
      assert.equal(await err(c.deleteUserAttributes(accessToken, ['email'])), 'InvalidParameterException');
      assert.equal(await err(c.updateUserAttributes(accessToken, { sub: 'x' })), 'InvalidParameterException');
      // Refused before sending: not a list, an empty name, metadata that is not strings.
      assert.equal(await err(c.deleteUserAttributes(accessToken, 'nickname')), 'InvalidInputError');
      assert.equal(await err(c.deleteUserAttributes(accessToken, [''])), 'InvalidInputError');
      assert.equal(
        await err(c.updateUserAttributes(accessToken, { nickname: 'x' }, { n: 1 })),
        'InvalidInputError',
      );
      assert.equal(await err(c.verifyUserAttribute(accessToken, 'email')), 'InvalidInputError');
      await ok(c.globalSignOut(accessToken));
      assert.equal(
        await err(c.updateUserAttributes(accessToken, { nickname: 'x' })),
        'NotAuthorizedException',
      );
    }
  }),
);
