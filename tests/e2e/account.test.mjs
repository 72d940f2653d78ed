// account.test.mjs: account self-service through the package's JS API in headless Chromium,
// against the emulator: CognitoClient's methods for the registry's account operations, with
// and without a client secret, their results and Cognito's errors by name.
//
// Run as the other e2e tests (COGNITO_ENDPOINT set to an emulator seeded with
// emulator/practical.json, www/pkg built).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { uniqueName } from './harness.mjs';
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
