// js_bridge.mjs: the package's JS API driven in a headless Chromium page, for the JS API's
// tests (js_api, account, jwks_pause): a static server for www/, one browser, pages with the
// package loaded and a small bridge (`make` constructs a class in the page, its methods run
// there and resolve to how they settled), and the assertions on outcomes the tests share.

import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import {
  emulatorEndpoint,
  launchBrowser,
  outboxCode,
  serveStatic,
  watchPage,
} from './harness.mjs';

export const WWW = fileURLToPath(new URL('../../www/', import.meta.url));
export const EMULATOR = emulatorEndpoint();
export const MOTO = (process.env.MOTO_ENDPOINT || '').replace(/\/+$/, '');
export const MOTO_SKIP = MOTO
  ? false
  : 'MOTO_ENDPOINT unset: start `python3 -m moto.server -p PORT` and set ' +
    'MOTO_ENDPOINT=http://127.0.0.1:PORT to run it';

/** The practical's pool, as emulator/practical.json seeds it. */
export const POOL = 'us-east-1_Practical';
export const WEB_CLIENT = 'practicalwebclientsecret01';
export const WEB_SECRET = 'localdemosecretnotforproductionuseanywhere000000001';
export const SPA_CLIENT = 'practicalspaclientnosecret';
export const PASSWORD = 'Correct-Horse-9';
export const TIMEOUT = { timeout: 120_000 };

export let server;
export let browser;

/** Starts the static server and the browser: a test file's `before`. */
export async function start() {
  server = await serveStatic(WWW);
  browser = await launchBrowser();
}

/** A test file's `after`. */
export async function stop() {
  await browser?.close();
  await server?.close();
}


/**
 * Defines `globalThis.jsApi` over the package `m`: `make` constructs a class and keeps it by
 * handle, `invoke` calls a method and reports how it settled. Self-contained, so that pages
 * get it as source text and Node calls it as it is.
 */
export function installBridge(m) {
  const objects = [];
  const describe = (e) => ({
    isError: e instanceof Error,
    // The class the package gives an error of this name: its own (ours, the verifier's),
    // CognitoServiceError for Cognito's exceptions, all under CognitoWasmError.
    // Cognito's answers (with a status) are CognitoServiceErrors; ours, their own class.
    ofItsClass:
      e instanceof m.CognitoWasmError &&
      (e.status !== undefined
        ? e instanceof m.CognitoServiceError && e.name.endsWith('Exception')
        : typeof m[e.name] === 'function' && e instanceof m[e.name]),
    name: e?.name,
    code: e?.code,
    status: e?.status,
    message: e?.message,
  });
  globalThis.jsApi = {
    make(cls, options) {
      try {
        objects.push(new m[cls](options));
        return { handle: objects.length - 1 };
      } catch (e) {
        return { error: describe(e) };
      }
    },
    async invoke(handle, method, args) {
      let returned;
      try {
        returned = objects[handle][method](...args);
      } catch (e) {
        return { error: describe(e), threw: true };
      }
      const isPromise = returned instanceof Promise;
      try {
        return { value: await returned, isPromise };
      } catch (e) {
        return { error: describe(e), isPromise };
      }
    },
  };
}

/**
 * A fresh page with the package loaded and the bridge (`installBridge`).
 */
export async function openPage() {
  const page = await browser.newPage();
  const watch = watchPage(page);
  // Any page of the origin: the tests import the package from it.
  await page.goto(new URL('practical.html', server.url).href);
  await page.evaluate(
    `(async () => {
      const m = await import('./pkg/cognito_wasm.js');
      await m.default();
      (${installBridge})(m);
    })()`,
  );
  return { page, watch };
}

/** A page for `body(page)`, closed afterwards; then only the errors `expected` allows. */
export async function withPage(body, expected = []) {
  const { page, watch } = await openPage();
  try {
    await body(page);
  } finally {
    await page.close();
  }
  assertOnlyExpected(watch, expected);
}

/**
 * The page may have logged Cognito's HTTP 400 answers (Chromium reports them on the console)
 * from the emulator or moto, and whatever `expected` (regular expressions) allows; nothing else.
 */
export function assertOnlyExpected(watch, expected) {
  const cognito =
    /^console\.error: Failed to load resource: the server responded with a status of 400 .*\((\S+):\d+\)$/;
  const unexpected = watch.errors.filter((e) => {
    const m = e.match(cognito);
    if (m && [EMULATOR, MOTO].some((s) => s && (m[1] === s || m[1].startsWith(`${s}/`)))) {
      return false;
    }
    return !expected.some((re) => re.test(e));
  });
  if (unexpected.length) throw new Error(`errors in the page:\n  ${unexpected.join('\n  ')}`);
}

/** An object in the page: `obj.method(...args)` runs there and resolves to its outcome. */
export function remote(page, handle) {
  return new Proxy(
    {},
    {
      get: (_, method) =>
        method === 'then'
          ? undefined
          : (...args) =>
              page.evaluate(({ handle, method, args }) => jsApi.invoke(handle, method, args), {
                handle,
                method,
                args,
              }),
    },
  );
}

export async function make(page, cls, options) {
  const r = await page.evaluate(({ cls, options }) => jsApi.make(cls, options), { cls, options });
  if (r.error) throw new Error(`new ${cls} refused: ${r.error.name}: ${r.error.message}`);
  return remote(page, r.handle);
}

/** The error a constructor throws for `options` (checked as `err` checks rejections). */
export async function refused(page, cls, options) {
  const r = await page.evaluate(({ cls, options }) => jsApi.make(cls, options), { cls, options });
  assert.ok(r.error, `new ${cls}(${JSON.stringify(options)}) was accepted`);
  return checkedName(r.error);
}

/** The value a call resolved to; fails on a rejection. */
export async function ok(call) {
  const r = await call;
  if ('error' in r) assert.fail(`unexpected error ${r.error.name}: ${r.error.message}`);
  assert.ok(r.isPromise, 'the method did not return a Promise');
  return r.value;
}

/**
 * The rejection's `name`, having checked that it is an `Error` with a message and a `code` that
 * repeats the name, and a `status` exactly when it is Cognito's exception (HTTP 400 here).
 */
export async function err(call) {
  const r = await call;
  if (!('error' in r)) assert.fail(`expected an error, got ${JSON.stringify(r.value)}`);
  assert.ok(!r.threw, `${r.error.name} thrown instead of a rejected Promise`);
  assert.ok(r.isPromise, 'the method did not return a Promise');
  return checkedName(r.error);
}

export function checkedName(e) {
  assert.ok(e.isError, `not an Error: ${JSON.stringify(e)}`);
  assert.ok(e.ofItsClass, `${e.name} is not of its class`);
  assert.equal(typeof e.name, 'string');
  assert.equal(e.code, e.name);
  assert.ok(e.message, `${e.name} without a message`);
  if (e.name.endsWith('Exception')) {
    assert.equal(e.status, 400, `${e.name}'s status`);
  } else {
    assert.equal(e.status, undefined, `${e.name} has a status`);
  }
  return e.name;
}

export function client(page, endpoint, pool, clientId, secret) {
  const options = { userPoolId: pool, clientId, endpoint };
  if (secret) options.clientSecret = secret;
  return make(page, 'CognitoClient', options);
}

export function verifier(page, pool, clientId, tokenUse, issuer, jwksUri) {
  const options = { userPoolId: pool, clientId, tokenUse, issuer };
  if (jwksUri) options.jwksUri = jwksUri;
  return make(page, 'TokenVerifier', options);
}

export async function signUpAndConfirm(c, username) {
  const email = `${username}@example.com`;
  const r = await ok(c.signUp(username, PASSWORD, { email }));
  assert.equal(r.userConfirmed, false);
  assert.equal(typeof r.userSub, 'string');
  assert.ok(r.userSub);
  assert.equal(r.codeDelivery?.deliveryMedium, 'EMAIL');
  assert.equal(r.codeDelivery?.destination, `${username[0]}***@e***`);
  // Not yet confirmed: the right password is refused with a clear name.
  assert.equal(await err(c.signInPassword(username, PASSWORD)), 'UserNotConfirmedException');
  const code = await outboxCode(EMULATOR, username, 'confirm_sign_up', POOL);
  assert.equal(await ok(c.confirmSignUp(username, code)), undefined);
}

export function tokensOf(result) {
  assert.equal(result?.kind, 'tokens', JSON.stringify(result));
  const { tokens } = result;
  assert.equal(tokens.tokenType, 'Bearer');
  assert.equal(tokens.expiresIn, 3600);
  assert.equal(typeof tokens.idToken, 'string');
  assert.equal(typeof tokens.accessToken, 'string');
  return tokens;
}

/** `text` for a RegExp, matched literally. */
export function literal(text) {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
