// challenges.test.mjs: a sign-in's challenges through the package's JS API in headless
// Chromium, against an emulator of this file's own (it moves the clock): an administrator's
// user answers NEW_PASSWORD_REQUIRED, sets up an authenticator app at MFA_SETUP, signs in
// again with SOFTWARE_TOKEN_MFA; wrong codes, a used session and an expired one; with and
// without a client secret, SRP and USER_PASSWORD_AUTH. The TOTP codes are computed here from
// the secret the page was given (RFC 6238, as an authenticator app does).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, cognitoCall, emulatorClock, outboxCode, startEmulator, totp, uniqueName, wrongCode } from './harness.mjs';
import { client, err, literal, ok, start, stop, tokensOf, withPage } from './js_bridge.mjs';

const TIMEOUT = { timeout: 120_000 };
const NEW_PASSWORD = 'Another-Pass-42';
let emulator;

before(async () => {
  emulator = await startEmulator();
  await start();
});
after(async () => {
  await stop();
  emulator?.stop();
});

/** An admin call to the emulator. */
const admin = (operation, body) => cognitoCall(emulator.url, operation, body, ADMIN);

/** The emulator's clock, moved `seconds` on: epoch seconds. */
const clock = (seconds = 0) => emulatorClock(emulator.url, seconds);

/** A pool requiring `name` and MFA (an authenticator app), and two clients: without and
 *  with a secret. */
async function mfaPool() {
  const pool = (
    await admin('CreateUserPool', {
      PoolName: uniqueName('mfa'),
      Schema: [{ Name: 'name', AttributeDataType: 'String', Required: true, Mutable: true }],
    })
  ).UserPool.Id;
  await admin('SetUserPoolMfaConfig', {
    UserPoolId: pool,
    MfaConfiguration: 'ON',
    SoftwareTokenMfaConfiguration: { Enabled: true },
  });
  const flows = ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];
  const clients = [];
  for (const GenerateSecret of [false, true]) {
    const c = (
      await admin('CreateUserPoolClient', { UserPoolId: pool, ClientName: 'spa', GenerateSecret, ExplicitAuthFlows: flows })
    ).UserPoolClient;
    clients.push([c.ClientId, c.ClientSecret]);
  }
  return { pool, clients };
}

/** A page for `body`, where this file's emulator's 400s (the errors under test) are expected. */
function inPage(body) {
  const ours = new RegExp(`status of 400 \\(Bad Request\\) \\(${literal(emulator.url)}/:0\\)$`);
  return withPage(body, [ours]);
}

/** `challengeStep` of the result's challenge, in the page. */
async function stepOf(page, result) {
  assert.equal(result?.kind, 'challenge', JSON.stringify(result));
  return page.evaluate(
    async (challenge) => (await import('./pkg/cognito_wasm.js')).challengeStep(challenge),
    result.challenge,
  );
}

test('NEW_PASSWORD_REQUIRED, then MFA_SETUP, then SOFTWARE_TOKEN_MFA', TIMEOUT, () =>
  inPage(async (page) => {
    const { pool, clients } = await mfaPool();
    for (const [[clientId, secret], srp] of [
      [clients[0], true],
      [clients[1], false],
    ]) {
      const c = await client(page, emulator.url, pool, clientId, secret);
      const user = uniqueName('invited');
      await admin('AdminCreateUser', {
        UserPoolId: pool,
        Username: user,
        UserAttributes: [{ Name: 'email', Value: `${user}@example.com` }],
        DesiredDeliveryMediums: ['EMAIL'],
      });
      const temporary = await outboxCode(emulator.url, user, 'admin_create_user', pool);
      const signIn = (password) => (srp ? c.signInSrp(user, password) : c.signInPassword(user, password));

      const first = await ok(signIn(temporary));
      assert.deepEqual(await stepOf(page, first), {
        step: 'NEW_PASSWORD_REQUIRED',
        requiredAttributes: ['name'],
        userAttributes: { email: `${user}@example.com`, email_verified: 'false' },
      });
      const challenge = first.challenge;
      assert.equal(await err(c.confirmSignIn(challenge, 'weak', { name: 'Ada' })), 'InvalidPasswordException');
      assert.equal(await err(c.confirmSignIn(challenge, NEW_PASSWORD)), 'InvalidParameterException');
      assert.equal(await err(c.confirmSignIn(challenge)), 'InvalidInputError');
      const setup = await ok(c.confirmSignIn(challenge, NEW_PASSWORD, { name: 'Ada' }));
      assert.deepEqual(await stepOf(page, setup), { step: 'MFA_SETUP', allowed: ['SOFTWARE_TOKEN_MFA'] });
      assert.equal(await err(c.confirmSignIn(challenge, NEW_PASSWORD, { name: 'Ada' })), 'NotAuthorizedException');

      const session = setup.challenge.session;
      assert.equal(await err(c.associateSoftwareToken()), 'InvalidInputError');
      const { secretCode, session: associated } = await ok(c.associateSoftwareToken(null, session));
      assert.match(secretCode, /^[A-Z2-7]{32}$/);
      const uri = await page.evaluate(
        async ([u, s]) => (await import('./pkg/cognito_wasm.js')).totpUri('Practical', u, s),
        [user, secretCode],
      );
      assert.equal(uri, `otpauth://totp/Practical:${user}?secret=${secretCode}&issuer=Practical`);
      let now = await clock();
      const wrong = wrongCode(secretCode, now);
      assert.equal(await err(c.verifySoftwareToken(null, associated, wrong)), 'EnableSoftwareTokenMFAException');
      const verified = await ok(c.verifySoftwareToken(null, associated, totp(secretCode, now), 'phone'));
      assert.equal(typeof verified.session, 'string');
      const done = await ok(c.confirmSignIn({ ...setup.challenge, session: verified.session }));
      const tokens = tokensOf(done);
      const me = await ok(c.getUser(tokens.accessToken));
      assert.equal(me.attributes.name, 'Ada');
      assert.deepEqual([me.mfaSettings, me.preferredMfa], [['SOFTWARE_TOKEN_MFA'], 'SOFTWARE_TOKEN_MFA']);

      const again = await ok(signIn(NEW_PASSWORD));
      assert.deepEqual(await stepOf(page, again), { step: 'SOFTWARE_TOKEN_MFA' });
      assert.equal(again.challenge.parameters.USERNAME ?? again.challenge.parameters.USER_ID_FOR_SRP, user);
      now = await clock();
      assert.equal(await err(c.confirmSignIn(again.challenge, wrongCode(secretCode, now))), 'CodeMismatchException');
      // A code is good once: the one of now verified the app; the next step's is taken.
      tokensOf(await ok(c.confirmSignIn(again.challenge, totp(secretCode, now + 30))));
      assert.equal(await err(c.confirmSignIn(again.challenge, totp(secretCode, now + 30))), 'NotAuthorizedException');
      const third = await ok(signIn(NEW_PASSWORD));
      assert.equal(await err(c.confirmSignIn(third.challenge, totp(secretCode, now + 30))), 'CodeMismatchException');

      // With the access token: a new key, verified, then the preference.
      const fresh = await ok(c.associateSoftwareToken(tokens.accessToken));
      const off = await ok(c.getUser(tokens.accessToken));
      assert.deepEqual([off.mfaSettings, off.preferredMfa], [[], undefined]);
      now = await clock();
      await ok(c.verifySoftwareToken(tokens.accessToken, null, totp(fresh.secretCode, now)));
      assert.equal(await ok(c.setUserMfaPreference(tokens.accessToken, 'PREFERRED')), undefined);
      const on = await ok(c.getUser(tokens.accessToken));
      assert.deepEqual([on.mfaSettings, on.preferredMfa], [['SOFTWARE_TOKEN_MFA'], 'SOFTWARE_TOKEN_MFA']);
      assert.equal(await err(c.setUserMfaPreference(tokens.accessToken, 'ON')), 'InvalidInputError');
    }
  }),
);

test('a challenge answered after its session expired', TIMEOUT, () =>
  inPage(async (page) => {
    const { pool, clients } = await mfaPool();
    const [clientId] = clients[0];
    const c = await client(page, emulator.url, pool, clientId);
    const user = uniqueName('late');
    await admin('AdminCreateUser', { UserPoolId: pool, Username: user, TemporaryPassword: 'Temporary-Pass-1', MessageAction: 'SUPPRESS' });
    const first = await ok(c.signInPassword(user, 'Temporary-Pass-1'));
    await clock(3 * 60 + 1);
    assert.equal(await err(c.confirmSignIn(first.challenge, NEW_PASSWORD, { name: 'Bo' })), 'NotAuthorizedException');
    const unknown = { name: 'CUSTOM_CHALLENGE', session: 's', parameters: { USERNAME: user } };
    assert.deepEqual(await stepOf(page, { kind: 'challenge', challenge: unknown }), {
      step: 'UNSUPPORTED',
      name: 'CUSTOM_CHALLENGE',
      parameters: { USERNAME: user },
    });
    assert.equal(await err(c.confirmSignIn(unknown, 'x')), 'InvalidInputError');
    // A parameter that is not what Cognito sends is the core's typed error, in JS too.
    for (const parameters of [{ MFAS_CAN_SETUP: '["SOFTWARE_TOKEN_MFA"' }, { MFAS_CAN_SETUP: '{}' }, { MFAS_CAN_SETUP: '[1]' }]) {
      const broken = { kind: 'challenge', challenge: { name: 'MFA_SETUP', session: 's', parameters } };
      const name = await page.evaluate(async (r) => {
        const { challengeStep } = await import('./pkg/cognito_wasm.js');
        try {
          return challengeStep(r.challenge);
        } catch (e) {
          return `${e.name}: ${e.message}`;
        }
      }, broken);
      assert.match(name, /^MalformedResponseError: unreadable answer from Cognito: MFAS_CAN_SETUP /, JSON.stringify(parameters));
    }
    // What is not a challenge, and text a URI cannot carry, are the caller's errors; the URI
    // is encoded as the Rust API's `totp_uri` encodes it (RFC 3986's unreserved kept).
    const outcomes = await page.evaluate(async () => {
      const { challengeStep, totpUri } = await import('./pkg/cognito_wasm.js');
      const name = (f) => {
        try {
          return f();
        } catch (e) {
          return e.name;
        }
      };
      return [
        name(() => challengeStep(null)),
        name(() => challengeStep({ parameters: {} })),
        name(() => totpUri('x', 'a\ud800', 'S')),
        totpUri("Bob's App (x)*!", 'a/b', 'S'),
      ];
    });
    assert.deepEqual(outcomes, [
      'InvalidInputError',
      'InvalidInputError',
      'InvalidInputError',
      'otpauth://totp/Bob%27s%20App%20%28x%29%2A%21:a%2Fb?secret=S&issuer=Bob%27s%20App%20%28x%29%2A%21',
    ]);
  }),
);

test('SMS_MFA, then SELECT_MFA_TYPE and EMAIL_OTP: codes from the outbox, preferences by the user', TIMEOUT, () =>
  inPage(async (page) => {
    const pool = (await admin('CreateUserPool', { PoolName: uniqueName('codes') })).UserPool.Id;
    await admin('SetUserPoolMfaConfig', {
      UserPoolId: pool,
      MfaConfiguration: 'OPTIONAL',
      SmsMfaConfiguration: { SmsAuthenticationMessage: 'Code {####}' },
      EmailMfaConfiguration: { Message: 'Code {####}', Subject: 'Sign-in' },
    });
    const flows = ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];
    const made = await admin('CreateUserPoolClient', { UserPoolId: pool, ClientName: 'spa', GenerateSecret: true, ExplicitAuthFlows: flows });
    const { ClientId, ClientSecret } = made.UserPoolClient;
    const c = await client(page, emulator.url, pool, ClientId, ClientSecret);
    const user = uniqueName('coded');
    const attributes = { email: `${user}@example.com`, phone_number: '+15555550142' };
    await admin('AdminCreateUser', {
      UserPoolId: pool,
      Username: user,
      MessageAction: 'SUPPRESS',
      UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
    });
    await admin('AdminSetUserPassword', { UserPoolId: pool, Username: user, Password: NEW_PASSWORD, Permanent: true });
    const code = () => outboxCode(emulator.url, user, 'mfa', pool);

    // No factor yet (MFA optional): tokens. The user turns SMS on and prefers it.
    const { accessToken } = tokensOf(await ok(c.signInSrp(user, NEW_PASSWORD)));
    await ok(c.setUserMfaPreference(accessToken, null, 'PREFERRED'));
    const sms = await ok(c.signInSrp(user, NEW_PASSWORD));
    assert.deepEqual(await stepOf(page, sms), { step: 'SMS_MFA', destination: '+*******0142' });
    assert.equal(await err(c.confirmSignIn(sms.challenge, (Number(await code()) ^ 1).toString().padStart(6, '0'))), 'CodeMismatchException');
    tokensOf(await ok(c.confirmSignIn(sms.challenge, await code())));

    // Both codes enabled, neither preferred: the user is asked which.
    // ENABLED leaves the preference as it is; NOT_PREFERRED takes it away.
    await ok(c.setUserMfaPreference(accessToken, null, 'ENABLED', 'ENABLED'));
    let me = await ok(c.getUser(accessToken));
    assert.deepEqual([me.mfaSettings, me.preferredMfa], [['SMS_MFA', 'EMAIL_OTP'], 'SMS_MFA']);
    await ok(c.setUserMfaPreference(accessToken, null, 'NOT_PREFERRED'));
    me = await ok(c.getUser(accessToken));
    assert.deepEqual([me.mfaSettings, me.preferredMfa], [['SMS_MFA', 'EMAIL_OTP'], undefined]);
    const select = await ok(c.signInSrp(user, NEW_PASSWORD));
    assert.deepEqual(await stepOf(page, select), { step: 'SELECT_MFA_TYPE', allowed: ['SMS_MFA', 'EMAIL_OTP'] });
    assert.equal(await err(c.confirmSignIn(select.challenge, 'SOFTWARE_TOKEN_MFA')), 'InvalidParameterException');
    const email = await ok(c.confirmSignIn(select.challenge, 'EMAIL_OTP'));
    assert.deepEqual(await stepOf(page, email), { step: 'EMAIL_OTP', destination: `${user[0]}***@e***` });
    const done = tokensOf(await ok(c.confirmSignIn(email.challenge, await code())));
    assert.equal(typeof done.idToken, 'string');

    // A CognitoSession answers the challenge itself: its tokens start the session, verified.
    const outcome = await page.evaluate(
      async ({ options, user, password, endpoint, pool }) => {
        const m = await import('./pkg/cognito_wasm.js');
        const session = new m.CognitoSession(options);
        const asked = await session.signInSrp(user, password);
        const mailbox = new URL('/_emulator/outbox', endpoint);
        mailbox.search = new URLSearchParams({ username: user, pool_id: pool });
        const chosen = await session.confirmSignIn(asked.challenge, 'SMS_MFA');
        // The code went out before the challenge was answered: the outbox's newest.
        const sent = await (await fetch(mailbox, { headers: { 'X-Cognito-Emulator-Admin': '1' } })).json();
        const mail = sent[sent.length - 1];
        const signedIn = await session.confirmSignIn(chosen.challenge, mail.code);
        const { idClaims } = await session.getSession();
        return { steps: [asked.challenge.name, chosen.challenge.name, signedIn.kind], user: idClaims['cognito:username'] };
      },
      {
        options: { userPoolId: pool, clientId: ClientId, clientSecret: ClientSecret, endpoint: emulator.url, issuer: `${emulator.url}/${pool}` },
        user,
        password: NEW_PASSWORD,
        endpoint: emulator.url,
        pool,
      },
    );
    assert.deepEqual(outcome, { steps: ['SELECT_MFA_TYPE', 'SMS_MFA', 'tokens'], user });
  }),
);
