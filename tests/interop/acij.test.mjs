// acij.test.mjs: amazon-cognito-identity-js (ACIJ) against the emulator.
//
// Why: ACIJ is the client most Cognito web apps run, and it is written by AWS against real
// Cognito. If it signs up, confirms, signs in with SRP, refreshes, changes and resets
// passwords and signs out against our emulator, with the error codes it expects, then the
// emulator speaks Cognito's wire protocol (and not just our own crate's idea of it).
//
// Run (emulator already running, dependencies installed with `npm ci` here):
//   COGNITO_ENDPOINT=http://127.0.0.1:PORT node --test tests/interop/acij.test.mjs
// The test creates its own pool and client through the emulator's admin API.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import acij from 'amazon-cognito-identity-js';

const {
  AuthenticationDetails,
  CognitoRefreshToken,
  CognitoUser,
  CognitoUserAttribute,
  CognitoUserPool,
  CognitoUserSession,
} = acij;

const ENDPOINT = (process.env.COGNITO_ENDPOINT || '').replace(/\/+$/, '');
if (!ENDPOINT) throw new Error('set COGNITO_ENDPOINT, e.g. http://127.0.0.1:9229');

const PASSWORD = 'Correct-Horse-9';
const TIMEOUT = { timeout: 60_000 };

// ---- helpers --------------------------------------------------------------------------

/** A plain Cognito JSON 1.1 call (for the admin operations, with the emulator's admin header). */
async function cognito(operation, body) {
  const resp = await fetch(`${ENDPOINT}/`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': `AWSCognitoIdentityProviderService.${operation}`,
      'X-Cognito-Emulator-Admin': '1',
    },
    body: JSON.stringify(body),
  });
  const data = await resp.json();
  if (!resp.ok) throw new Error(`${operation} failed: ${resp.status} ${JSON.stringify(data)}`);
  return data;
}

/** The last code of `kind` the emulator "sent" to `username`. */
async function outboxCode(username, kind, pool = poolId) {
  const url = `${ENDPOINT}/_emulator/outbox?username=${encodeURIComponent(username)}` +
    `&pool_id=${encodeURIComponent(pool)}`;
  const resp = await fetch(url, { headers: { 'X-Cognito-Emulator-Admin': '1' } });
  assert.equal(resp.status, 200, `GET ${url}`);
  const entries = (await resp.json()).filter(e => e.kind === kind);
  assert.ok(entries.length > 0, `no ${kind} message for ${username} in the outbox`);
  return entries[entries.length - 1].code;
}

/** Unique per call, lowercase (usernames are case-insensitive in the pool). */
function uniqueName(prefix) {
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}

/** Behaves like a browser's localStorage (getItem gives null when absent), one per user,
 *  so users in different tests never see each other's LastAuthUser. */
function browserLikeStorage() {
  const map = new Map();
  return {
    getItem: k => (map.has(k) ? map.get(k) : null),
    setItem: (k, v) => void map.set(k, String(v)),
    removeItem: k => void map.delete(k),
    clear: () => map.clear(),
  };
}

function decodePayload(jwt) {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
}

// Promise wrappers around ACIJ's callback API.
const signUp = (pool, username, password, email) =>
  new Promise((resolve, reject) =>
    pool.signUp(username, password,
      [new CognitoUserAttribute({ Name: 'email', Value: email })], null,
      (err, res) => (err ? reject(err) : resolve(res))));

const confirmRegistration = (user, code) =>
  new Promise((resolve, reject) =>
    user.confirmRegistration(code, false, (err, res) => (err ? reject(err) : resolve(res))));

const authenticate = (user, username, password) =>
  new Promise((resolve, reject) =>
    user.authenticateUser(
      new AuthenticationDetails({ Username: username, Password: password }),
      {
        onSuccess: session => resolve(session),
        onFailure: err => reject(err),
        newPasswordRequired: () => reject(new Error('unexpected newPasswordRequired')),
        mfaRequired: () => reject(new Error('unexpected mfaRequired')),
        totpRequired: () => reject(new Error('unexpected totpRequired')),
        customChallenge: () => reject(new Error('unexpected customChallenge')),
      }));

const getUserAttributes = user =>
  new Promise((resolve, reject) =>
    user.getUserAttributes((err, res) => (err ? reject(err) : resolve(res))));

const refreshSession = (user, refreshToken) =>
  new Promise((resolve, reject) =>
    user.refreshSession(refreshToken, (err, res) => (err ? reject(err) : resolve(res))));

const changePassword = (user, oldPassword, newPassword) =>
  new Promise((resolve, reject) =>
    user.changePassword(oldPassword, newPassword, (err, res) => (err ? reject(err) : resolve(res))));

const forgotPassword = user =>
  new Promise((resolve, reject) =>
    user.forgotPassword({ onSuccess: resolve, onFailure: reject, inputVerificationCode: resolve }));

const confirmPassword = (user, code, newPassword) =>
  new Promise((resolve, reject) =>
    user.confirmPassword(code, newPassword, { onSuccess: resolve, onFailure: reject }));

const globalSignOut = user =>
  new Promise((resolve, reject) => user.globalSignOut({ onSuccess: resolve, onFailure: reject }));

/** Asserts that `promise` rejects with a Cognito error of this name (ACIJ sets code and name). */
async function rejectsWith(promise, name) {
  await assert.rejects(promise, err => {
    assert.equal(err.code, name, `expected ${name}, got code=${err.code} message=${err.message}`);
    assert.equal(err.name, name);
    return true;
  });
}

// ---- fixture: one pool and one public client (no secret) for the whole file ------------

let poolId;
let clientId;

before(async () => {
  const pool = await cognito('CreateUserPool', {
    PoolName: uniqueName('acij'),
    AutoVerifiedAttributes: ['email'],
    Schema: [{ Name: 'email', Required: true, AttributeDataType: 'String', Mutable: true }],
  });
  poolId = pool.UserPool.Id;
  const client = await cognito('CreateUserPoolClient', {
    UserPoolId: poolId,
    ClientName: 'acij-web',
    ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  });
  clientId = client.UserPoolClient.ClientId;
  assert.ok(poolId && clientId);
});

function userPool() {
  return new CognitoUserPool({
    UserPoolId: poolId,
    ClientId: clientId,
    endpoint: ENDPOINT,
    Storage: browserLikeStorage(),
  });
}

function cognitoUser(pool, username) {
  return new CognitoUser({ Username: username, Pool: pool, Storage: pool.storage });
}

/** Signs up and confirms a fresh user through ACIJ; returns its pool, name and email. */
async function confirmedUser(prefix) {
  const pool = userPool();
  const username = uniqueName(prefix);
  const email = `${username}@example.com`;
  const res = await signUp(pool, username, PASSWORD, email);
  assert.equal(res.userConfirmed, false);
  await confirmRegistration(res.user, await outboxCode(username, 'confirm_sign_up'));
  return { pool, username, email };
}

// ---- tests ----------------------------------------------------------------------------

test('sign up, confirm, SRP sign-in, id token claims, GetUser, refresh', TIMEOUT, async () => {
  const pool = userPool();
  const username = uniqueName('alice');
  const email = `${username}@example.com`;

  const res = await signUp(pool, username, PASSWORD, email);
  assert.equal(res.userConfirmed, false);
  assert.match(res.userSub, /^[0-9a-f-]{36}$/);
  assert.equal(res.codeDeliveryDetails.DeliveryMedium, 'EMAIL');
  assert.equal(res.codeDeliveryDetails.AttributeName, 'email');

  const code = await outboxCode(username, 'confirm_sign_up');
  assert.match(code, /^\d{6}$/);
  assert.equal(await confirmRegistration(res.user, code), 'SUCCESS');

  const user = cognitoUser(pool, username);
  const session = await authenticate(user, username, PASSWORD);
  assert.ok(session.isValid());

  const id = decodePayload(session.getIdToken().getJwtToken());
  assert.equal(id['cognito:username'], username);
  assert.equal(id.email, email);
  assert.equal(id.token_use, 'id');
  assert.equal(id.aud, clientId);
  assert.equal(id.iss, `${ENDPOINT}/${poolId}`);
  assert.equal(id.sub, res.userSub);
  const access = decodePayload(session.getAccessToken().getJwtToken());
  assert.equal(access.token_use, 'access');
  assert.equal(access.client_id, clientId);

  const attrs = await getUserAttributes(user);
  const byName = Object.fromEntries(attrs.map(a => [a.getName(), a.getValue()]));
  assert.equal(byName.email, email);
  assert.equal(byName.sub, res.userSub);

  const refreshed = await refreshSession(user, session.getRefreshToken());
  const newIdJwt = refreshed.getIdToken().getJwtToken();
  assert.notEqual(newIdJwt, session.getIdToken().getJwtToken());
  const newId = decodePayload(newIdJwt);
  assert.equal(newId['cognito:username'], username);
  assert.equal(newId.token_use, 'id');
  assert.equal(newId.aud, clientId);
});

test('wrong password and unknown user are both NotAuthorizedException', TIMEOUT, async () => {
  const { pool, username } = await confirmedUser('bob');
  await rejectsWith(
    authenticate(cognitoUser(pool, username), username, 'Wrong-Horse-9'),
    'NotAuthorizedException');

  const ghost = uniqueName('ghost');
  await rejectsWith(
    authenticate(cognitoUser(pool, ghost), ghost, PASSWORD),
    'NotAuthorizedException');
});

test('wrong confirmation code is CodeMismatchException; the right one still works', TIMEOUT, async () => {
  const pool = userPool();
  const username = uniqueName('carol');
  const res = await signUp(pool, username, PASSWORD, `${username}@example.com`);
  const code = await outboxCode(username, 'confirm_sign_up');
  const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');

  await rejectsWith(confirmRegistration(res.user, wrong), 'CodeMismatchException');
  // Not confirmed yet: the right password is still refused.
  await rejectsWith(
    authenticate(cognitoUser(pool, username), username, PASSWORD),
    'UserNotConfirmedException');

  assert.equal(await confirmRegistration(res.user, code), 'SUCCESS');
  await authenticate(cognitoUser(pool, username), username, PASSWORD);
});

test('changePassword, then sign in with the new password', TIMEOUT, async () => {
  const { pool, username } = await confirmedUser('dave');
  const user = cognitoUser(pool, username);
  await authenticate(user, username, PASSWORD);

  const newPassword = 'Battery-Staple-7';
  assert.equal(await changePassword(user, PASSWORD, newPassword), 'SUCCESS');

  await authenticate(cognitoUser(pool, username), username, newPassword);
  await rejectsWith(
    authenticate(cognitoUser(pool, username), username, PASSWORD),
    'NotAuthorizedException');
});

test('forgotPassword + confirmPassword with the emailed code, then sign in', TIMEOUT, async () => {
  const { pool, username } = await confirmedUser('erin');
  const user = cognitoUser(pool, username);

  const data = await forgotPassword(user);
  assert.equal(data.CodeDeliveryDetails.DeliveryMedium, 'EMAIL');
  const code = await outboxCode(username, 'forgot_password');

  const newPassword = 'Reset-Horse-42';
  assert.equal(await confirmPassword(user, code, newPassword), 'SUCCESS');

  await authenticate(cognitoUser(pool, username), username, newPassword);
  await rejectsWith(
    authenticate(cognitoUser(pool, username), username, PASSWORD),
    'NotAuthorizedException');
});

test('globalSignOut revokes the old session', TIMEOUT, async () => {
  const { pool, username } = await confirmedUser('frank');
  const user = cognitoUser(pool, username);
  const session = await authenticate(user, username, PASSWORD);
  await getUserAttributes(user); // works before

  assert.equal(await globalSignOut(user), 'SUCCESS');

  // ACIJ keeps the in-memory session; replay it as a stale client would.
  const stale = cognitoUser(pool, username);
  stale.setSignInUserSession(new CognitoUserSession({
    IdToken: session.getIdToken(),
    AccessToken: session.getAccessToken(),
    RefreshToken: session.getRefreshToken(),
  }));
  await rejectsWith(getUserAttributes(stale), 'NotAuthorizedException');
  // GlobalSignOut invalidates the refresh token as well (ACIJ retries for a few seconds first).
  await rejectsWith(
    refreshSession(stale, new CognitoRefreshToken({ RefreshToken: session.getRefreshToken().getToken() })),
    'NotAuthorizedException');
});

/** RFC 6238's code (HMAC-SHA1, 30 s, 6 digits) of base32 `secret`, `ahead` seconds from now. */
function totpNow(secret, ahead = 0) {
  let bits = '';
  for (const c of secret) bits += 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map(b => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor((Date.now() + ahead * 1000) / 30_000)));
  const d = createHmac('sha1', key).update(counter).digest();
  return String((d.readUInt32BE(d[19] & 15) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

test("ACIJ's own MFA callbacks: newPasswordRequired, mfaSetup, associateSecretCode, totpRequired", TIMEOUT, async () => {
  // A pool that requires `name` and MFA by authenticator app, and an administrator's user.
  const mfaPoolId = (await cognito('CreateUserPool', {
    PoolName: uniqueName('acij-mfa'),
    Schema: [{ Name: 'name', Required: true, AttributeDataType: 'String', Mutable: true }],
  })).UserPool.Id;
  await cognito('SetUserPoolMfaConfig', {
    UserPoolId: mfaPoolId, MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true },
  });
  const mfaClientId = (await cognito('CreateUserPoolClient', {
    UserPoolId: mfaPoolId, ClientName: 'acij-mfa', ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  })).UserPoolClient.ClientId;
  const username = uniqueName('acij-invited');
  await cognito('AdminCreateUser', {
    UserPoolId: mfaPoolId, Username: username, TemporaryPassword: 'Temporary-Pass-1', MessageAction: 'SUPPRESS',
    UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }],
  });
  const pool = new CognitoUserPool({ UserPoolId: mfaPoolId, ClientId: mfaClientId, endpoint: ENDPOINT, Storage: browserLikeStorage() });

  // First sign-in: each of ACIJ's callbacks in turn, as an app wires them.
  const seen = [];
  const user = cognitoUser(pool, username);
  let secret;
  const session = await new Promise((resolve, reject) => {
    const callbacks = {
      onSuccess: resolve,
      onFailure: reject,
      newPasswordRequired(userAttributes, requiredAttributes) {
        seen.push(['newPasswordRequired', requiredAttributes]);
        assert.equal(userAttributes.email, `${username}@example.com`);
        user.completeNewPasswordChallenge('Another-Pass-42', { name: 'Ada' }, callbacks);
      },
      mfaSetup(challengeName, parameters) {
        seen.push([challengeName, JSON.parse(parameters.MFAS_CAN_SETUP)]);
        user.associateSoftwareToken(callbacks);
      },
      associateSecretCode(secretCode) {
        secret = secretCode;
        seen.push(['associateSecretCode']);
        user.verifySoftwareToken(totpNow(secretCode), 'phone', callbacks);
      },
      totpRequired: () => reject(new Error('unexpected totpRequired')),
      mfaRequired: () => reject(new Error('unexpected mfaRequired')),
    };
    user.authenticateUser(new AuthenticationDetails({ Username: username, Password: 'Temporary-Pass-1' }), callbacks);
  });
  assert.deepEqual(seen, [
    ['newPasswordRequired', ['name']],
    ['MFA_SETUP', ['SOFTWARE_TOKEN_MFA']],
    ['associateSecretCode'],
  ]);
  assert.equal(decodePayload(session.getIdToken().getJwtToken()).name, 'Ada');

  // The next sign-in asks for a code: totpRequired, answered with sendMFACode.
  const again = cognitoUser(pool, username);
  let asked;
  const second = await new Promise((resolve, reject) => {
    const callbacks = {
      onSuccess: resolve,
      onFailure: reject,
      totpRequired(challengeName) {
        asked = challengeName;
        // A code is good once: the one of now verified the app; the next step's is taken.
        again.sendMFACode(totpNow(secret, 30), callbacks, 'SOFTWARE_TOKEN_MFA');
      },
      newPasswordRequired: () => reject(new Error('unexpected newPasswordRequired')),
      mfaRequired: () => reject(new Error('unexpected mfaRequired')),
    };
    again.authenticateUser(new AuthenticationDetails({ Username: username, Password: 'Another-Pass-42' }), callbacks);
  });
  assert.equal(asked, 'SOFTWARE_TOKEN_MFA');
  assert.ok(second.isValid());
});

test("ACIJ's own MFA callbacks: selectMFAType, then mfaRequired with an SMS code", TIMEOUT, async () => {
  // A pool offering SMS codes and authenticator apps; a user with a phone and both enabled.
  const smsPoolId = (await cognito('CreateUserPool', { PoolName: uniqueName('acij-sms') })).UserPool.Id;
  await cognito('SetUserPoolMfaConfig', {
    UserPoolId: smsPoolId,
    MfaConfiguration: 'OPTIONAL',
    SmsMfaConfiguration: { SmsAuthenticationMessage: 'Your code is {####}' },
    SoftwareTokenMfaConfiguration: { Enabled: true },
  });
  const smsClientId = (await cognito('CreateUserPoolClient', {
    UserPoolId: smsPoolId, ClientName: 'acij-sms', ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  })).UserPoolClient.ClientId;
  const username = uniqueName('acij-sms');
  await cognito('AdminCreateUser', {
    UserPoolId: smsPoolId, Username: username, MessageAction: 'SUPPRESS',
    UserAttributes: [{ Name: 'phone_number', Value: '+15555550177' }],
  });
  await cognito('AdminSetUserPassword', { UserPoolId: smsPoolId, Username: username, Password: PASSWORD, Permanent: true });
  const pool = new CognitoUserPool({ UserPoolId: smsPoolId, ClientId: smsClientId, endpoint: ENDPOINT, Storage: browserLikeStorage() });

  // Signed in (no factor yet), the user sets up an app and enables SMS, preferring neither.
  const first = cognitoUser(pool, username);
  await authenticate(first, username, PASSWORD);
  const secret = await new Promise((resolve, reject) =>
    first.associateSoftwareToken({ associateSecretCode: resolve, onFailure: reject }));
  await new Promise((resolve, reject) =>
    first.verifySoftwareToken(totpNow(secret), 'phone', { onSuccess: resolve, onFailure: reject }));
  await new Promise((resolve, reject) => first.setUserMfaPreference(
    { Enabled: true, PreferredMfa: false }, { Enabled: true, PreferredMfa: false },
    (e, r) => (e ? reject(e) : resolve(r))));

  const seen = [];
  const user = cognitoUser(pool, username);
  const session = await new Promise((resolve, reject) => {
    const callbacks = {
      onSuccess: resolve,
      onFailure: reject,
      selectMFAType(challengeName, parameters) {
        seen.push([challengeName, JSON.parse(parameters.MFAS_CAN_CHOOSE)]);
        user.sendMFASelectionAnswer('SMS_MFA', callbacks);
      },
      async mfaRequired(challengeName, parameters) {
        seen.push([challengeName, parameters.CODE_DELIVERY_DELIVERY_MEDIUM, parameters.CODE_DELIVERY_DESTINATION]);
        user.sendMFACode(await outboxCode(username, 'mfa', smsPoolId), callbacks);
      },
      totpRequired: () => reject(new Error('unexpected totpRequired')),
    };
    user.authenticateUser(new AuthenticationDetails({ Username: username, Password: PASSWORD }), callbacks);
  });
  assert.deepEqual(seen, [
    ['SELECT_MFA_TYPE', ['SMS_MFA', 'SOFTWARE_TOKEN_MFA']],
    ['SMS_MFA', 'SMS', '+*******0177'],
  ]);
  assert.ok(session.isValid());
});
