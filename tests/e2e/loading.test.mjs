// loading.test.mjs: how the package's core is loaded, in headless Chromium. The core imports
// nothing, so the driver instantiates it itself (crate/js/driver/mailbox.js): from the
// default URL, a URL, a Response, the bytes, a compiled module, wasm-bindgen's
// `{ module_or_path }` form, or synchronously with `initSync`; a failure is PlatformError and
// a later call tries again.
//
// Each case runs in a page of its own (the driver loads once per page). Run as the other e2e
// tests (www/pkg built).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { POOL, SPA_CLIENT, TIMEOUT, browser, server, start, stop } from './js_bridge.mjs';

before(start);
after(stop);

/** Runs `how` (a function's source, given the package's module `m` and the wasm's URL) in a
 *  fresh page, then checks the core works: a verifier can be made. */
async function load(how) {
  const page = await browser.newPage();
  try {
    // A page of the origin that loads nothing itself: the static server's 404 page.
    await page.goto(new URL('no-such-page', server.url).href);
    return await page.evaluate(
      async ({ how, pool, clientId }) => {
        const m = await import('./pkg/cognito_wasm.js');
        const wasmUrl = new URL('./pkg/cognito_wasm.wasm', location.href).href;
        const outcome = { steps: [] };
        try {
          const run = new Function('m', 'wasmUrl', 'steps', `return (async () => { ${how} })()`);
          await run(m, wasmUrl, outcome.steps);
          const v = new m.TokenVerifier({ userPoolId: pool, clientId, tokenUse: 'id' });
          v.free();
          outcome.works = true;
        } catch (e) {
          outcome.error = { name: e?.name, message: e?.message };
        }
        return outcome;
      },
      { how, pool: POOL, clientId: SPA_CLIENT },
    );
  } finally {
    await page.close();
  }
}

test('the core loads from every source init takes', TIMEOUT, async () => {
  const cases = {
    default: 'await m.default();',
    'a URL string': 'await m.default(wasmUrl);',
    'a URL': 'await m.default(new URL(wasmUrl));',
    'a Response': 'await m.default(await fetch(wasmUrl));',
    'a Response promise': 'await m.default(fetch(wasmUrl));',
    'the bytes': 'await m.default(await (await fetch(wasmUrl)).arrayBuffer());',
    'a compiled module': 'await m.default(await WebAssembly.compileStreaming(fetch(wasmUrl)));',
    '{ module_or_path }': 'await m.default({ module_or_path: wasmUrl });',
    'an empty options object (the default)': 'await m.default({});',
    'initSync from bytes': 'm.initSync(await (await fetch(wasmUrl)).arrayBuffer());',
    'initSync with { module }':
      'm.initSync({ module: await WebAssembly.compileStreaming(fetch(wasmUrl)) });',
    'twice': 'const a = await m.default(); const b = await m.default(wasmUrl); if (a !== b) throw new Error("two instances");',
    'initSync while init is under way keeps one instance':
      'const p = m.default(); const s = m.initSync(await (await fetch(wasmUrl)).arrayBuffer()); if ((await p) !== s) throw new Error("two instances");',
  };
  for (const [name, how] of Object.entries(cases)) {
    const outcome = await load(how);
    assert.deepEqual(outcome, { steps: [], works: true }, name);
  }
});

test('a failed load is PlatformError, and the next init tries again', TIMEOUT, async () => {
  const outcome = await load(`
    for (const bad of [wasmUrl + '.missing', new Uint8Array([0, 97, 115, 109]), 'http://127.0.0.1:9/x.wasm']) {
      try {
        await m.default(bad);
        steps.push('loaded');
      } catch (e) {
        steps.push(e.name);
      }
    }
    try {
      m.initSync(new Uint8Array([1, 2, 3]));
    } catch (e) {
      steps.push('sync ' + e.name);
    }
    await m.default();
  `);
  assert.deepEqual(outcome, {
    steps: ['PlatformError', 'PlatformError', 'PlatformError', 'sync PlatformError'],
    works: true,
  });
});
