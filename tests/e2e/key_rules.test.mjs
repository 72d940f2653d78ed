// key_rules.test.mjs: which keys, signatures, clocks and URLs TokenVerifier trusts, through the
// JS API in headless Chromium and in Node, whose WebCrypto differ: Chromium refuses an RSA key
// with e = 1 at import, Node's accepts it, and with e = 1 any "signature" equal to the padded
// digest verifies. The core refuses such keys before the platform sees them, so both must
// answer alike; each test checks both, and shows the attack working on Node's bare WebCrypto.
//
// The tokens are signed here, with keys made here, and the JWKS served from here (one path per
// test, so each verifier fetches its own). Needs www/pkg (the build step); no emulator.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';
import {
  TIMEOUT,
  WWW,
  err,
  installBridge,
  make,
  ok,
  refused,
  start,
  stop,
  withPage,
} from './js_bridge.mjs';

const POOL = 'us-east-1_KeyRules';
const CLIENT = 'keyrulesclient';
const KID = 'key-1';

const b64url = (bytes) => Buffer.from(bytes).toString('base64url');
const keyPair = (bits) => generateKeyPairSync('rsa', { modulusLength: bits });
const main = keyPair(2048);
const other = keyPair(2048);

/** A JWK for `pair`'s public key (or its parts replaced by `changes`). */
function jwk(pair, changes = {}, kid = KID) {
  const { n, e } = pair.publicKey.export({ format: 'jwk' });
  return { kty: 'RSA', alg: 'RS256', use: 'sig', kid, n, e, ...changes };
}

/** The JWKS each test's verifier fetches, by test name; the server reads it at each request. */
const served = new Map();
let jwksServer;
let closeJwks;
let issuer;

function signingInput(kid = KID) {
  const now = Math.floor(Date.now() / 1000);
  const header = b64url(JSON.stringify({ alg: 'RS256', kid, typ: 'JWT' }));
  const payload = b64url(
    JSON.stringify({
      sub: randomUUID(),
      iss: issuer,
      aud: CLIENT,
      token_use: 'id',
      iat: now,
      exp: now + 3600,
      'cognito:username': 'alice',
    }),
  );
  return `${header}.${payload}`;
}

/** An RS256 token signed with `pair`'s private key. */
function token(pair, kid = KID) {
  const input = signingInput(kid);
  return `${input}.${b64url(sign('sha256', Buffer.from(input), pair.privateKey))}`;
}

/** EMSA-PKCS1-v1_5 for SHA-256 (RFC 8017 9.2) in `length` bytes: what e = 1 "signs" to. */
function paddedDigest(input, length) {
  const digestInfo = Buffer.from('3031300d060960864801650304020105000420', 'hex');
  const t = Buffer.concat([digestInfo, createHash('sha256').update(input).digest()]);
  const padding = Buffer.alloc(length - t.length - 3, 0xff);
  return Buffer.concat([Buffer.from([0, 1]), padding, Buffer.from([0]), t]);
}

/** A token whose signature is the padded digest, "signed" by `main`'s modulus with e = 1. */
function forgedForExponentOne() {
  const input = signingInput();
  return `${input}.${b64url(paddedDigest(input, 256))}`;
}

/** Where the JS API runs: a Chromium page, or this Node process (the same bridge). */
const places = {
  chromium: (body) => withPage(body),
  async node(body) {
    await body({ evaluate: async (fn, arg) => fn(arg) });
  },
};

/** `body(where, name)` in Chromium and in Node, with the JWKS `jwks` served for it. */
function inBoth(name, jwks, body) {
  for (const [place, run] of Object.entries(places)) {
    test(`${name} (${place})`, TIMEOUT, () => {
      const path = `${place}-${name.replace(/\W+/g, '-')}`;
      served.set(path, jwks);
      return run((where) => body(where, `${jwksServer}/${path}/jwks.json`, path));
    });
  }
}

function verifier(where, jwksUri) {
  return make(where, 'TokenVerifier', {
    userPoolId: POOL,
    clientId: CLIENT,
    tokenUse: 'id',
    issuer,
    jwksUri,
  });
}

before(async () => {
  await start();
  const m = await import(pathToFileURL(`${WWW}pkg/cognito_wasm.js`).href);
  await m.default();
  installBridge(m);
  const http = createServer((req, res) => {
    const jwks = served.get(req.url.split('/')[1]);
    res.setHeader('access-control-allow-origin', '*');
    res.writeHead(jwks ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(jwks ?? {}));
  });
  await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));
  jwksServer = `http://127.0.0.1:${http.address().port}`;
  issuer = `${jwksServer}/${POOL}`;
  closeJwks = () => new Promise((resolve) => http.close(resolve));
});

after(async () => {
  await closeJwks?.();
  await stop();
});

test("the forgery is real: Node's WebCrypto takes e = 1 and the padded digest as a signature", async () => {
  const { n } = jwk(main);
  const key = await crypto.subtle.importKey(
    'jwk',
    { kty: 'RSA', n, e: 'AQ', alg: 'RS256' },
    { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    false,
    ['verify'],
  );
  const [header, payload, signature] = forgedForExponentOne().split('.');
  const valid = await crypto.subtle.verify(
    'RSASSA-PKCS1-v1_5',
    key,
    Buffer.from(signature, 'base64url'),
    Buffer.from(`${header}.${payload}`),
  );
  assert.equal(valid, true);
});

inBoth('a well-made key verifies', { keys: [jwk(main)] }, async (where, jwksUri) => {
  const v = await verifier(where, jwksUri);
  const claims = await ok(v.verify(token(main)));
  assert.equal(claims['cognito:username'], 'alice');
});

inBoth(
  'an exponent of 1 is refused',
  { keys: [jwk(main, { e: 'AQ' })] },
  async (where, jwksUri) => {
    const v = await verifier(where, jwksUri);
    assert.equal(await err(v.verify(forgedForExponentOne())), 'JwkValidationError');
  },
);

inBoth(
  'an even exponent is refused',
  { keys: [jwk(main, { e: b64url([1, 0, 0]) })] },
  async (where, jwksUri) => {
    const v = await verifier(where, jwksUri);
    assert.equal(await err(v.verify(token(main))), 'JwkValidationError');
  },
);

inBoth(
  'an exponent of 2^32 + 1 is refused',
  { keys: [jwk(main, { e: b64url([1, 0, 0, 0, 1]) })] },
  async (where, jwksUri) => {
    const v = await verifier(where, jwksUri);
    assert.equal(await err(v.verify(token(main))), 'JwkValidationError');
  },
);

const small = keyPair(1024);
inBoth('a 1024-bit modulus is refused', { keys: [jwk(small)] }, async (where, jwksUri) => {
  const v = await verifier(where, jwksUri);
  assert.equal(await err(v.verify(token(small))), 'JwkValidationError');
});

inBoth(
  'a modulus above 8192 bits is refused',
  { keys: [jwk(main, { n: b64url(Buffer.alloc(1025, 0xff)) })] },
  async (where, jwksUri) => {
    const v = await verifier(where, jwksUri);
    assert.equal(await err(v.verify(token(main))), 'JwkValidationError');
  },
);

inBoth(
  'a signature of another length than the modulus is refused',
  { keys: [jwk(main)] },
  async (where, jwksUri) => {
    const v = await verifier(where, jwksUri);
    const good = token(main);
    await ok(v.verify(good));
    const [header, payload, signature] = good.split('.');
    const bytes = Buffer.from(signature, 'base64url');
    // A leading zero leaves the number the same: a lenient platform could accept it.
    for (const forged of [
      Buffer.concat([Buffer.from([0]), bytes]),
      bytes.subarray(1),
      Buffer.alloc(0),
    ]) {
      assert.equal(
        await err(v.verify(`${header}.${payload}.${b64url(forged)}`)),
        'JwtInvalidSignatureError',
      );
    }
  },
);

inBoth(
  'a kid kept with a new modulus no longer verifies with the old key',
  { keys: [jwk(main)] },
  async (where, jwksUri, path) => {
    const v = await verifier(where, jwksUri);
    await ok(v.verify(token(main)));
    served.set(path, { keys: [jwk(other)] });
    await ok(v.prefetch());
    assert.equal(await err(v.verify(token(main))), 'JwtInvalidSignatureError');
    await ok(v.verify(token(other)));
  },
);

inBoth(
  'a clock that is not a finite number decides nothing',
  { keys: [jwk(main)] },
  async (where, jwksUri) => {
    const v = await verifier(where, jwksUri);
    const good = token(main);
    await ok(v.verify(good));
    for (const now of [NaN, Infinity]) {
      await where.evaluate((now) => {
        globalThis.realDateNow ??= Date.now;
        Date.now = () => now;
      }, now);
      try {
        assert.equal(await err(v.verify(good)), 'PlatformError');
      } finally {
        await where.evaluate(() => {
          Date.now = globalThis.realDateNow;
        });
      }
    }
    await ok(v.verify(good));
  },
);

inBoth(
  'issuer and jwksUri must be https unless on this machine',
  { keys: [jwk(main)] },
  async (where) => {
    const options = { userPoolId: POOL, clientId: CLIENT, tokenUse: 'id' };
    for (const bad of [
      { issuer: `http://example.com/${POOL}` },
      { jwksUri: 'http://example.com/jwks.json' },
      { issuer: `http://localhost.example.com/${POOL}` },
    ]) {
      assert.equal(
        await refused(where, 'TokenVerifier', { ...options, ...bad }),
        'InvalidInputError',
      );
    }
    for (const good of [
      { issuer: `http://localhost:9229/${POOL}` },
      { jwksUri: 'http://[::1]:9229/jwks.json' },
    ]) {
      await make(where, 'TokenVerifier', { ...options, ...good });
    }
  },
);
