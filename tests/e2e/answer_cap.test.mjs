// A body longer than the core reads (an answer: 1 MiB; a JWKS: 64 KiB) is refused with the
// error its length earns, and the core's memory, which a WebAssembly module can never give
// back, does not grow by the body's size: the driver hands the core only the first 1 MiB + 1
// characters. In Node, where the test can hold the module's memory (it wraps
// WebAssembly.instantiate while the package loads).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';

const PKG = new URL('../../www/pkg/cognito_wasm.js', import.meta.url);

const BIG = 64 * 1024 * 1024;
const POOL = 'us-east-1_Practical';
let endpoint;
let close;

/** A fresh copy of the package (a module URL of its own, so a core of its own), and its
 *  core's memory, caught as the package instantiates it. */
async function fresh(tag) {
  const instantiate = WebAssembly.instantiate;
  let memory;
  WebAssembly.instantiate = async function (...args) {
    const made = await instantiate(...args);
    // Ours: Node's own fetch instantiates a module too (llhttp).
    const { exports } = made.instance ?? made;
    if (exports.cw_inbox) memory = exports.memory;
    return made;
  };
  try {
    const m = await import(`${PKG.href}?${tag}`);
    await m.default();
    assert.ok(memory instanceof WebAssembly.Memory, 'the package loaded through instantiate');
    return { m, memory };
  } finally {
    WebAssembly.instantiate = instantiate;
  }
}

before(async () => {
  const body = 'x'.repeat(BIG);
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(body);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${server.address().port}`;
  close = () => new Promise((resolve) => server.close(resolve));
});

after(() => close?.());

/** What `call` rejects with (its name), and by how many bytes the core's `memory` grew. */
async function outcome(memory, call) {
  const before = memory.buffer.byteLength;
  const name = await call().then(
    () => 'resolved',
    (e) => e.name,
  );
  return { name, grown: memory.buffer.byteLength - before };
}

test('a 64 MiB JWKS is refused as a key set, and the core does not keep 64 MiB', async () => {
  const { m, memory } = await fresh('jwks');
  const verifier = new m.TokenVerifier({
    userPoolId: POOL,
    clientId: 'someclient',
    tokenUse: 'id',
    issuer: `${endpoint}/${POOL}`,
    jwksUri: `${endpoint}/jwks.json`,
  });
  const { name, grown } = await outcome(memory, () => verifier.prefetch());
  assert.equal(name, 'JwksValidationError');
  assert.ok(grown < BIG / 4, `the core's memory grew by ${grown} bytes`);
  verifier.free();
});

test('a 64 MiB answer is a MalformedResponseError, and the core does not keep 64 MiB', async () => {
  const { m, memory } = await fresh('answer');
  const client = new m.CognitoClient({ userPoolId: POOL, clientId: 'someclient', endpoint });
  const { name, grown } = await outcome(memory, () =>
    client.signInPassword('someone', 'Password-1'),
  );
  assert.equal(name, 'MalformedResponseError');
  assert.ok(grown < BIG / 4, `the core's memory grew by ${grown} bytes`);
  client.free();
});
