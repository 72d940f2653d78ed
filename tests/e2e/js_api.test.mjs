// js_api.test.mjs: the package's JS API (CognitoClient, TokenVerifier) in headless Chromium,
// against our emulator and against moto_server, an implementation we did not write.
//
// The page imports www/pkg/cognito_wasm.js as an app would; every call runs in the page and
// its outcome (the resolved value, or the rejection's instanceof Error, name, code, status and
// message) comes back here, where it is asserted. Each test is one scenario: the practical with
// and without a client secret, revoke/forgot/change password, Cognito's exception names, our
// own error kinds, the verifier's error names, a page without WebCrypto or secure random
// numbers, and the practical against moto_server.
//
// Run as the other e2e tests (see practical_page.test.mjs): COGNITO_ENDPOINT set to an emulator
// seeded with emulator/practical.json, www/pkg built. The moto test also needs moto_server:
//   python3 -m moto.server -p PORT & MOTO_ENDPOINT=http://127.0.0.1:PORT
// and is skipped, saying so, without MOTO_ENDPOINT.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { outboxCode, uniqueName } from './harness.mjs';
import {
  EMULATOR,
  MOTO,
  MOTO_SKIP,
  PASSWORD,
  POOL,
  SPA_CLIENT,
  TIMEOUT,
  WEB_CLIENT,
  WEB_SECRET,
  browser,
  client,
  err,
  literal,
  make,
  ok,
  refused,
  server,
  signUpAndConfirm,
  start,
  stop,
  tokensOf,
  verifier,
  withPage,
} from './js_bridge.mjs';

before(start);
after(stop);

/**
 * The practical end to end on one app client: sign up, confirm, both sign-ins, verify both
 * tokens, refresh, get the user, sign out everywhere, and the old token refused.
 */
async function practical(page, clientId, secret) {
  const c = await client(page, EMULATOR, POOL, clientId, secret);
  const issuer = `${EMULATOR}/${POOL}`;
  const idVerifier = await verifier(page, POOL, clientId, 'id', issuer);
  const accessVerifier = await verifier(page, POOL, clientId, 'access', issuer);
  const user = uniqueName('student');
  await signUpAndConfirm(c, user);

  for (const result of [
    await ok(c.signInPassword(user, PASSWORD)),
    await ok(c.signInSrp(user, PASSWORD)),
  ]) {
    const tokens = tokensOf(result);
    assert.equal(typeof tokens.refreshToken, 'string');
    const id = await ok(idVerifier.verify(tokens.idToken));
    assert.equal(id['cognito:username'], user);
    assert.equal(id.email, `${user}@example.com`);
    assert.equal(id.email_verified, true);
    assert.equal(id.aud, clientId);
    assert.equal(id.token_use, 'id');
    const access = await ok(accessVerifier.verify(tokens.accessToken));
    assert.equal(access.username, user);
    assert.equal(access.client_id, clientId);
    // Each verifier refuses the other kind of token.
    assert.equal(
      await err(idVerifier.verify(tokens.accessToken)),
      'CognitoJwtInvalidTokenUseError',
    );
  }

  const tokens = tokensOf(await ok(c.signInSrp(user, PASSWORD)));
  const refreshToken = tokens.refreshToken;
  const refreshed = await ok(c.refresh(refreshToken, user));
  assert.equal(refreshed.refreshToken, undefined);
  assert.equal(refreshed.tokenType, 'Bearer');
  const accessToken = refreshed.accessToken;
  await ok(accessVerifier.verify(accessToken));

  const me = await ok(c.getUser(accessToken));
  assert.equal(me.username, user);
  assert.equal(me.attributes.email, `${user}@example.com`);

  assert.equal(await ok(c.globalSignOut(accessToken)), undefined);
  assert.equal(await err(c.getUser(accessToken)), 'NotAuthorizedException');
  assert.equal(await err(c.refresh(refreshToken, user)), 'NotAuthorizedException');
}

test('the practical with a client secret', TIMEOUT, () =>
  withPage((page) => practical(page, WEB_CLIENT, WEB_SECRET)),
);

test('the practical without a client secret', TIMEOUT, () =>
  withPage((page) => practical(page, SPA_CLIENT, undefined)),
);

test('revoke, forgot and change password', TIMEOUT, () =>
  withPage(async (page) => {
    const c = await client(page, EMULATOR, POOL, WEB_CLIENT, WEB_SECRET);
    const user = uniqueName('reset');
    await signUpAndConfirm(c, user);

    let tokens = tokensOf(await ok(c.signInSrp(user, PASSWORD)));
    // GetTokensFromRefreshToken, with the client secret itself; no rotation on this client.
    const renewed = await ok(c.getTokensFromRefreshToken(tokens.refreshToken));
    assert.equal(renewed.idToken.split('.').length, 3);
    assert.equal(renewed.refreshToken, undefined);
    assert.equal(await ok(c.revokeToken(tokens.refreshToken)), undefined);
    assert.equal(await err(c.getTokensFromRefreshToken(tokens.refreshToken)), 'NotAuthorizedException');
    assert.equal(await err(c.refresh(tokens.refreshToken, user)), 'NotAuthorizedException');
    assert.equal(await err(c.getUser(tokens.accessToken)), 'NotAuthorizedException');

    const delivery = await ok(c.forgotPassword(user));
    assert.equal(delivery.deliveryMedium, 'EMAIL');
    const code = await outboxCode(EMULATOR, user, 'forgot_password', POOL);
    assert.equal(
      await err(c.confirmForgotPassword(user, '000000', 'New-Password-1')),
      code === '000000' ? 'InvalidPasswordException' : 'CodeMismatchException',
    );
    assert.equal(await ok(c.confirmForgotPassword(user, code, 'New-Password-1')), undefined);
    assert.equal(await err(c.signInSrp(user, PASSWORD)), 'NotAuthorizedException');
    tokens = tokensOf(await ok(c.signInSrp(user, 'New-Password-1')));

    const access = tokens.accessToken;
    assert.equal(
      await err(c.changePassword(access, 'wrong-Password-1', 'Newer-Password-2')),
      'NotAuthorizedException',
    );
    assert.equal(
      await err(c.changePassword(access, 'New-Password-1', 'weak')),
      'InvalidPasswordException',
    );
    assert.equal(
      await ok(c.changePassword(access, 'New-Password-1', 'Newer-Password-2')),
      undefined,
    );
    tokensOf(await ok(c.signInPassword(user, 'Newer-Password-2')));
  }),
);

test("Cognito's exceptions keep their names (and code and status)", TIMEOUT, () =>
  withPage(async (page) => {
    const c = await client(page, EMULATOR, POOL, WEB_CLIENT, WEB_SECRET);
    const user = uniqueName('errors');
    const email = { email: `${user}@example.com` };
    assert.equal(await err(c.signUp(user, 'weak', email)), 'InvalidPasswordException');
    assert.equal(await err(c.signUp(user, PASSWORD, {})), 'InvalidParameterException');
    await ok(c.signUp(user, PASSWORD, email));
    assert.equal(await err(c.signUp(user, PASSWORD, email)), 'UsernameExistsException');
    const code = await outboxCode(EMULATOR, user, 'confirm_sign_up', POOL);
    const wrong = code === '000000' ? '111111' : '000000';
    assert.equal(await err(c.confirmSignUp(user, wrong)), 'CodeMismatchException');
    const resent = await ok(c.resendConfirmationCode(user));
    assert.equal(resent.attributeName, 'email');
    // The resend voided the first code.
    const newCode = await outboxCode(EMULATOR, user, 'confirm_sign_up', POOL);
    if (newCode !== code) {
      assert.equal(await err(c.confirmSignUp(user, code)), 'CodeMismatchException');
    }
    await ok(c.confirmSignUp(user, newCode));
    assert.equal(await err(c.signInPassword(user, 'Wrong-Horse-9')), 'NotAuthorizedException');
    assert.equal(await err(c.signInSrp(user, 'Wrong-Horse-9')), 'NotAuthorizedException');
    assert.equal(
      await err(c.signInSrp(uniqueName('nobody'), PASSWORD)),
      'NotAuthorizedException',
    );
    // The secret client without its secret: SECRET_HASH missing.
    const noSecret = await client(page, EMULATOR, POOL, WEB_CLIENT, undefined);
    assert.equal(await err(noSecret.signInPassword(user, PASSWORD)), 'NotAuthorizedException');
    const unknownClient = await client(page, EMULATOR, POOL, 'nosuchclient0000000000000a');
    assert.equal(await err(unknownClient.signInSrp(user, PASSWORD)), 'ResourceNotFoundException');
  }),
);

test('our error kinds have their names', TIMEOUT, () =>
  withPage(
    async (page) => {
      // Nothing listens on port 9 (discard) here: the fetch itself fails.
      const offline = await client(page, 'http://127.0.0.1:9/', POOL, SPA_CLIENT);
      assert.equal(await err(offline.signInSrp('someone', PASSWORD)), 'NetworkError');
      // The emulator's delay route answers after 3 s; we give up after 200 ms.
      const slow = await make(page, 'CognitoClient', {
        userPoolId: POOL,
        clientId: SPA_CLIENT,
        timeoutMs: 200,
        endpoint: `${EMULATOR}/_emulator/delay/3000`,
      });
      const started = Date.now();
      assert.equal(await err(slow.signInPassword('someone', PASSWORD)), 'TimeoutError');
      assert.ok(Date.now() - started < 2_500, 'the time-out did not cut the wait short');
      // A server that answers, but not in Cognito's protocol.
      const wrongServer = await client(page, `${EMULATOR}/_emulator/outbox`, POOL, SPA_CLIENT);
      assert.equal(
        await err(wrongServer.signInPassword('someone', PASSWORD)),
        'MalformedResponseError',
      );
      const c = await client(page, EMULATOR, POOL, SPA_CLIENT);
      assert.equal(await err(c.signInPassword('', PASSWORD)), 'InvalidInputError');
      assert.equal(
        await refused(page, 'CognitoClient', { userPoolId: 'not-a-pool', clientId: 'x' }),
        'InvalidInputError',
      );
      assert.equal(await refused(page, 'CognitoClient', { userPoolId: POOL }), 'InvalidInputError');
      // http:// and nothing else passes the core's check, not the URL parser's.
      assert.equal(
        await refused(page, 'CognitoClient', { userPoolId: POOL, clientId: 'x', endpoint: 'http://' }),
        'InvalidInputError',
      );
      // A time-out that JSON cannot carry is the default, not a broken signal.
      const nan = await make(page, 'CognitoClient', {
        userPoolId: POOL,
        clientId: SPA_CLIENT,
        timeoutMs: Number.NaN,
        endpoint: EMULATOR,
      });
      assert.equal(await err(nan.signInPassword('nobody-at-all', PASSWORD)), 'NotAuthorizedException');
      // In the page itself (no transport between): half an emoji in a password is sent as
      // U+FFFD (as text passed to wasm always was), not refused as unreadable JSON;
      // free() with a call under way lets the call finish first; a freed object, and a
      // driver not initialised, give PlatformError.
      const outcomes = await page.evaluate(
        async ({ pool, clientId, endpoint }) => {
          const m = await import('./pkg/cognito_wasm.js');
          const name = (p) => p.then(() => 'resolved', (e) => e.name);
          const client = new m.CognitoClient({ userPoolId: pool, clientId, endpoint });
          const halfEmoji = `pass${String.fromCharCode(0xd83d)}word`;
          const surrogate = await name(client.signInPassword('nobody-at-all', halfEmoji));
          const call = client.signInPassword('nobody-at-all', 'Correct-Horse-9');
          client.free();
          const freed = await name(call);
          // Freed for good now: the core no longer knows the handle (an error, not a crash).
          const afterFree = await name(client.getUser('token'));
          client.free();
          const session = new m.SrpSession();
          session.free();
          session.free();
          const sync = (f) => {
            try {
              f();
              return 'returned';
            } catch (e) {
              return e.name;
            }
          };
          const claimAfterFree = sync(() => session.passwordClaim('pool', 'pw', {}, 'now'));
          // One secret, one claim: a second claim from one session is refused.
          const once = new m.SrpSession();
          const challenge = { SRP_B: '02', SALT: '01', SECRET_BLOCK: 'AAAA', USER_ID_FOR_SRP: 'u' };
          const firstClaim = typeof once.passwordClaim('pool', 'pw', challenge, 'now');
          const secondClaim = sync(() => once.passwordClaim('pool', 'pw', challenge, 'now'));
          once.free();
          return { surrogate, freed, afterFree, claimAfterFree, firstClaim, secondClaim };
        },
        { pool: POOL, clientId: SPA_CLIENT, endpoint: EMULATOR },
      );
      // The driver in a page that never initialised it (a page of the origin that does not:
      // the static server's 404 page; the driver's modules are one instance per page).
      const bare = await browser.newPage();
      await bare.goto(new URL('no-such-page', server.url).href);
      outcomes.unloaded = await bare.evaluate(async ({ pool, clientId }) => {
        const m = await import('./pkg/cognito_wasm.js');
        try {
          new m.TokenVerifier({ userPoolId: pool, clientId, tokenUse: 'id' });
          return 'returned';
        } catch (e) {
          return e.name;
        }
      }, { pool: POOL, clientId: SPA_CLIENT });
      await bare.close();
      assert.deepEqual(outcomes, {
        surrogate: 'NotAuthorizedException',
        freed: 'NotAuthorizedException',
        afterFree: 'PlatformError',
        claimAfterFree: 'PlatformError',
        firstClaim: 'string',
        secondClaim: 'PlatformError',
        unloaded: 'PlatformError',
      });
    },
    [
      // What Chromium logs for the three requests this test makes fail (port 9 is one it
      // refuses to connect to: ERR_UNSAFE_PORT, still a failed fetch).
      /^requestfailed: POST http:\/\/127\.0\.0\.1:9\/: net::ERR_\w+$/,
      /^console\.error: Failed to load resource: net::ERR_\w+ \(http:\/\/127\.0\.0\.1:9\/:\d+\)$/,
      new RegExp(`^requestfailed: POST ${literal(EMULATOR)}/_emulator/delay/3000: net::ERR_ABORTED$`),
      new RegExp(
        `^console\\.error: Failed to load resource: the server responded with a status of 405 .*\\(${literal(EMULATOR)}/_emulator/outbox:\\d+\\)$`,
      ),
    ],
  ),
);

test("the verifier's failures have their names", TIMEOUT, () =>
  withPage(
    async (page) => {
      const c = await client(page, EMULATOR, POOL, SPA_CLIENT);
      const user = uniqueName('verify');
      await signUpAndConfirm(c, user);
      const tokens = tokensOf(await ok(c.signInSrp(user, PASSWORD)));
      const idToken = tokens.idToken;
      const issuer = `${EMULATOR}/${POOL}`;

      const otherClient = await verifier(page, POOL, WEB_CLIENT, 'id', issuer);
      assert.equal(await err(otherClient.verify(idToken)), 'CognitoJwtInvalidClientIdError');
      const otherIssuer = await verifier(
        page,
        POOL,
        SPA_CLIENT,
        'id',
        `https://cognito-idp.us-east-1.amazonaws.com/${POOL}`,
        `${issuer}/.well-known/jwks.json`,
      );
      assert.equal(await err(otherIssuer.verify(idToken)), 'JwtInvalidIssuerError');
      const v = await verifier(page, POOL, SPA_CLIENT, 'id', issuer);
      assert.equal(await ok(v.prefetch()), undefined);
      // Change one character of the payload: the signature no longer matches.
      const parts = idToken.split('.');
      assert.equal(parts.length, 3);
      const last = parts[1].at(-1);
      const tampered = `${parts[0]}.${parts[1].slice(0, -1)}${last === 'A' ? 'B' : 'A'}.${parts[2]}`;
      const name = await err(v.verify(tampered));
      assert.ok(
        name === 'JwtInvalidSignatureError' || name === 'JwtParseError',
        `tampered token gave ${name}`,
      );
      assert.equal(await err(v.verify('not.a.jwt')), 'JwtParseError');
      const unsigned = `eyJhbGciOiJub25lIn0.${parts[1]}.`;
      assert.equal(await err(v.verify(unsigned)), 'JwtInvalidSignatureAlgorithmError');
      // Once a verification has imported the key, verifications take the cached path: the
      // same rules, the same names.
      const claims = await ok(v.verify(idToken));
      assert.equal(claims['cognito:username'], user);
      const signature = [...parts[2]];
      const middle = signature.length >> 1;
      signature[middle] = signature[middle] === 'A' ? 'B' : 'A';
      const forged = `${parts[0]}.${parts[1]}.${signature.join('')}`;
      assert.equal(await err(v.verify(forged)), 'JwtInvalidSignatureError');
      assert.equal(
        await err(otherClient.verify(idToken)),
        'CognitoJwtInvalidClientIdError',
        'the second verification, with the key cached',
      );
      const access = await verifier(page, POOL, SPA_CLIENT, 'access', issuer);
      const accessClaims = await ok(access.verify(tokens.accessToken));
      assert.equal(accessClaims.username, user);
      assert.equal(await err(access.verify(idToken)), 'CognitoJwtInvalidTokenUseError');
      const unreachable = await verifier(
        page,
        POOL,
        SPA_CLIENT,
        'id',
        issuer,
        'http://127.0.0.1:9/jwks.json',
      );
      assert.equal(await err(unreachable.verify(idToken)), 'JwksFetchError');
      assert.equal(
        await refused(page, 'TokenVerifier', { userPoolId: POOL, clientId: [], tokenUse: 'id' }),
        'InvalidInputError',
      );
    },
    [
      /^requestfailed: GET http:\/\/127\.0\.0\.1:9\/jwks\.json: net::ERR_\w+$/,
      /^console\.error: Failed to load resource: net::ERR_\w+ \(http:\/\/127\.0\.0\.1:9\/jwks\.json:\d+\)$/,
    ],
  ),
);

// A regression test of the wasm core under the driver: each verifier's verifications under way
// are its own, even with the same id (the driver numbers them per verifier). When they were
// kept in one list for the module, a verifier could finish another's token. Driven by hand, so
// the order of the finishes is not left to WebCrypto's timing.
test('without WebCrypto or secure random numbers: PlatformErrors that say why', TIMEOUT, () =>
  withPage(async (page) => {
    const c = await client(page, EMULATOR, POOL, SPA_CLIENT);
    const user = uniqueName('nocrypto');
    await signUpAndConfirm(c, user);
    const { idToken } = tokensOf(await ok(c.signInPassword(user, PASSWORD)));
    // In this page, from now on: no crypto.subtle (as outside a secure context), and a
    // getRandomValues that fails; then a verification and an SRP sign-in.
    const outcome = await page.evaluate(
      async ({ idToken, user, password, pool, clientId, endpoint, issuer }) => {
        const m = await import('./pkg/cognito_wasm.js');
        Object.defineProperty(crypto, 'subtle', { value: undefined, configurable: true });
        crypto.getRandomValues = () => {
          throw new Error('no entropy today');
        };
        const caught = (p) =>
          p.then(
            () => 'resolved',
            (e) => ({ name: e.name, platform: e instanceof m.PlatformError, message: e.message }),
          );
        const v = new m.TokenVerifier({ userPoolId: pool, clientId, tokenUse: 'id', issuer });
        const verify = await caught(v.verify(idToken));
        const client = new m.CognitoClient({ userPoolId: pool, clientId, endpoint });
        const srp = await caught(client.signInSrp(user, password));
        return { verify, srp };
      },
      {
        idToken,
        user,
        password: PASSWORD,
        pool: POOL,
        clientId: SPA_CLIENT,
        endpoint: EMULATOR,
        issuer: `${EMULATOR}/${POOL}`,
      },
    );
    assert.equal(outcome.verify.name, 'PlatformError', JSON.stringify(outcome));
    assert.ok(outcome.verify.platform);
    assert.match(outcome.verify.message, /WebCrypto \(crypto\.subtle\) is not available/);
    assert.equal(outcome.srp.name, 'PlatformError', JSON.stringify(outcome));
    assert.ok(outcome.srp.platform);
    assert.match(outcome.srp.message, /no secure random numbers available: no entropy today/);
  }),
);

test("the core keeps each verifier's verifications apart", TIMEOUT, () =>
  withPage(async (page) => {
    const c = await client(page, EMULATOR, POOL, SPA_CLIENT);
    const user = uniqueName('apart');
    await signUpAndConfirm(c, user);
    const tokens = tokensOf(await ok(c.signInSrp(user, PASSWORD)));
    const outcome = await page.evaluate(
      async ({ tokens, pool, clientId, issuer }) => {
        // The core's mailbox, as the driver uses it (crate/src/wasm/exports/mailbox.rs).
        const wasm = await (await import('./pkg/cognito_wasm.js')).default();
        const ask = (fn, input, ...args) => {
          const data = typeof input === 'string' ? new TextEncoder().encode(input) : input;
          const at = wasm.cw_inbox(data.length); // before taking the buffer: it may grow
          new Uint8Array(wasm.memory.buffer, at, data.length).set(data);
          const status = wasm[`cw_${fn}`](...args);
          const [from, length] = [wasm.cw_outbox(), wasm.cw_outbox_len()];
          const reply = new Uint8Array(wasm.memory.buffer, from, length);
          if (status === 1) throw new TextDecoder().decode(reply);
          return status === 0 ? reply.slice() : null;
        };
        const text = (bytes) => new TextDecoder().decode(bytes);
        const jwks = await (await fetch(`${issuer}/.well-known/jwks.json`)).text();
        const RS256 = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
        const keys = [];
        const make = async (tokenUse, token) => {
          const options = { userPoolId: pool, clientId, tokenUse, issuer };
          const v = Number(text(ask('verifier_new', JSON.stringify(options))).split('\n')[0]);
          ask('verifier_cache_jwks', jwks, v);
          const jwk = text(ask('verifier_import_key', token, v, 0));
          keys.push(await crypto.subtle.importKey('jwk', JSON.parse(jwk), RS256, false, ['verify']));
          // The key is kept with the components it was made of (kid, n, e).
          ask('verifier_add_key', jwk, v, keys.length - 1);
          return v;
        };
        // What the driver does with the core's plan: WebCrypto on views of wasm memory.
        const check = (v, token) => {
          const plan = new DataView(ask('verifier_verify', token, v, 0).buffer);
          const [key, at, length, sigAt, sigLength] = [0, 4, 8, 12, 16].map((i) =>
            plan.getUint32(i, true),
          );
          const memory = wasm.memory.buffer;
          const signature = new Uint8Array(memory, sigAt, sigLength);
          const data = new Uint8Array(memory, at, length);
          return crypto.subtle.verify(RS256, keys[key], signature, data);
        };
        const finish = (v, ok) =>
          JSON.parse(text(ask('verifier_finish', '', v, 0, ok ? 1 : 0, Date.now() / 1000)));
        const idVerifier = await make('id', tokens.idToken);
        const accessVerifier = await make('access', tokens.accessToken);
        const idVerdict = check(idVerifier, tokens.idToken);
        const accessVerdict = check(accessVerifier, tokens.accessToken);
        const [idOk, accessOk] = await Promise.all([idVerdict, accessVerdict]);
        // The second one finishes first.
        const access = finish(accessVerifier, accessOk);
        const id = finish(idVerifier, idOk);
        let again;
        try {
          finish(idVerifier, idOk);
        } catch (e) {
          again = String(e).split('\n')[0];
        }
        return { access: access.token_use, id: id.token_use, again };
      },
      { tokens, pool: POOL, clientId: SPA_CLIENT, issuer: `${EMULATOR}/${POOL}` },
    );
    assert.deepEqual(outcome, { access: 'access', id: 'id', again: 'PlatformError' });
  }),
);

/** moto's admin API, unauthenticated, from here (setting up, not what is tested). */
async function motoAdmin(operation, body) {
  const resp = await fetch(`${MOTO}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AWSCognitoIdentityProviderService.${operation}`,
    },
    body: JSON.stringify(body),
  });
  const text = await resp.text();
  assert.equal(resp.status, 200, `${operation}: ${text}`);
  return JSON.parse(text);
}

// The same happy path and error names against moto_server: its iss says amazonaws.com while
// its JWKS is served locally, which is what the verifier's overrides are for.
test('the practical against moto_server', { ...TIMEOUT, skip: MOTO_SKIP }, () =>
  withPage(async (page) => {
    const pool = await motoAdmin('CreateUserPool', {
      PoolName: uniqueName('practical'),
      AutoVerifiedAttributes: ['email'],
    });
    const poolId = pool.UserPool?.Id;
    assert.equal(typeof poolId, 'string', JSON.stringify(pool));
    const created = await motoAdmin('CreateUserPoolClient', {
      UserPoolId: poolId,
      ClientName: 'web',
      GenerateSecret: true,
      ExplicitAuthFlows: [
        'ALLOW_USER_PASSWORD_AUTH',
        'ALLOW_USER_SRP_AUTH',
        'ALLOW_REFRESH_TOKEN_AUTH',
      ],
    });
    const clientId = created.UserPoolClient?.ClientId;
    assert.equal(typeof clientId, 'string', JSON.stringify(created));
    const secret = created.UserPoolClient.ClientSecret;

    const c = await client(page, MOTO, poolId, clientId, secret);
    const user = uniqueName('moto');
    const email = { email: `${user}@example.com` };
    const r = await ok(c.signUp(user, PASSWORD, email));
    assert.equal(typeof r.userSub, 'string');
    assert.ok(r.userSub);
    assert.equal(await err(c.signUp(user, PASSWORD, email)), 'UsernameExistsException');
    // moto accepts any code (one of the leniencies our emulator exists for).
    await ok(c.confirmSignUp(user, '123456'));

    const issuer = `https://cognito-idp.us-east-1.amazonaws.com/${poolId}`;
    const jwks = `${MOTO}/${poolId}/.well-known/jwks.json`;
    const idVerifier = await verifier(page, poolId, clientId, 'id', issuer, jwks);
    const accessVerifier = await verifier(page, poolId, clientId, 'access', issuer, jwks);
    for (const result of [
      await ok(c.signInPassword(user, PASSWORD)),
      await ok(c.signInSrp(user, PASSWORD)),
    ]) {
      assert.equal(result.kind, 'tokens', JSON.stringify(result));
      const id = await ok(idVerifier.verify(result.tokens.idToken));
      assert.equal(id['cognito:username'], user);
      const access = await ok(accessVerifier.verify(result.tokens.accessToken));
      assert.equal(access.client_id, clientId);
    }
    const { tokens } = await ok(c.signInPassword(user, PASSWORD));
    const refreshed = await ok(c.refresh(tokens.refreshToken, user));
    await ok(accessVerifier.verify(refreshed.accessToken));
    const me = await ok(c.getUser(refreshed.accessToken));
    assert.equal(me.username, user);
    assert.equal(await err(c.signInPassword(user, 'Wrong-Horse-9')), 'NotAuthorizedException');
    assert.equal(
      await err(c.signUp(uniqueName('weak'), 'short', {})),
      'InvalidPasswordException',
    );
    await ok(c.globalSignOut(refreshed.accessToken));
    assert.equal(await err(c.getUser(refreshed.accessToken)), 'NotAuthorizedException');
  }),
);

