// jwks_pause.test.mjs: the JWKS refetch rule (crate/src/verify/key_cache.rs, the one copy: the
// JS driver only does what the core's key cache says) holds through TokenVerifier in Chromium.
//
// A JWKS server of the test's own counts the fetches, can answer slowly or fail; the page's
// clock (`Date.now`, which the driver passes to the core) is moved forward instead of waiting.
// A token whose kid the JWKS never lists: a first lookup fetches; lookups in the next 10 s do
// not, and give the last fetch's error; a prefetch is not paused; concurrent lookups share one
// fetch.
//
// Run as the other e2e tests (COGNITO_ENDPOINT set, www/pkg built).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { EMULATOR, POOL, SPA_CLIENT, TIMEOUT, err, make, ok, start, stop, withPage } from './js_bridge.mjs';

before(start);
after(stop);

/** A JWKS with no keys, served with CORS: `count()` fetches so far, `fail(status)` to answer
 *  with an error instead, `slow(ms)` to answer late. */
async function countingJwks() {
  let count = 0;
  let status = 200;
  let delay = 0;
  const server = createServer((req, res) => {
    count += 1;
    setTimeout(() => {
      res.writeHead(status, {
        'content-type': 'application/json',
        'access-control-allow-origin': '*',
      });
      res.end(status === 200 ? '{"keys":[]}' : '{"message":"unavailable"}');
    }, delay);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/.well-known/jwks.json`,
    count: () => count,
    fail: (s) => (status = s),
    slow: (ms) => (delay = ms),
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** A token, signed by nobody, whose header names `kid`: it fails at the key lookup. */
function tokenWithKid(kid) {
  const part = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'RS256', kid })}.${part({ sub: 'x', token_use: 'id' })}.AAAA`;
}

test('the JWKS refetch pause holds through the driver', TIMEOUT, () =>
  withPage(
    async (page) => {
      const jwks = await countingJwks();
      try {
        const v = await make(page, 'TokenVerifier', {
          userPoolId: POOL,
          clientId: SPA_CLIENT,
          tokenUse: 'id',
          issuer: `${EMULATOR}/${POOL}`,
          jwksUri: jwks.url,
        });
        await page.evaluate(() => {
          const real = Date.now;
          globalThis.skewMs = 0;
          Date.now = () => real() + globalThis.skewMs;
        });
        const later = (ms) => page.evaluate((ms) => (globalThis.skewMs += ms), ms);
        const token = tokenWithKid('kid-nowhere');

        assert.equal(await err(v.verify(token)), 'KidNotFoundInJwksError');
        assert.equal(jwks.count(), 1, 'a first lookup fetches');
        assert.equal(await err(v.verify(token)), 'KidNotFoundInJwksError');
        await later(9_500);
        assert.equal(await err(v.verify(token)), 'KidNotFoundInJwksError');
        assert.equal(jwks.count(), 1, 'no fetch within 10 s of one that lacked the kid');

        await later(1_000);
        jwks.fail(503);
        assert.equal(await err(v.verify(token)), 'JwksFetchError');
        assert.equal(jwks.count(), 2, 'the pause is over after 10 s');
        assert.equal(await err(v.verify(token)), 'JwksFetchError', "the pause gives the fetch's error");
        assert.equal(jwks.count(), 2, 'no fetch within 10 s of one that failed');

        jwks.fail(200);
        assert.equal(await ok(v.prefetch()), undefined);
        assert.equal(jwks.count(), 3, 'a prefetch is not paused');

        await later(11_000);
        jwks.slow(300);
        const outcomes = await Promise.all(Array.from({ length: 20 }, () => err(v.verify(token))));
        assert.deepEqual(new Set(outcomes), new Set(['KidNotFoundInJwksError']));
        assert.equal(jwks.count(), 4, 'twenty lookups during one fetch share it');
      } finally {
        await jwks.close();
      }
    },
    [
      // Chromium logs the JWKS server's 503.
      /^console\.error: Failed to load resource: the server responded with a status of 503 /,
    ],
  ),
);
