// bundlers.test.mjs: the npm package as users get it (`npm pack` of crate/pkg, unpacked into
// node_modules/cognito-wasm here) in the bundlers and runtimes they use:
//
// - the same small app (app.js) built with esbuild, webpack 5 (its default config: no
//   webpack.config.js), Vite's production build, and served by Vite's dev server, each loaded
//   in headless Chromium against the emulator: sign up, confirm (the code from the emulator's
//   outbox), sign in with SRP on the page's thread and in the Worker, verify the ID token, a
//   wrong password as a CognitoServiceError;
// - Node: import, `init()` with no argument (it reads the file), sign in, verify; `srpWorker`
//   is a PlatformError there;
// - `tsc --strict --noEmit` over usage.ts, which uses every export: TypeScript 7 (bundler
//   resolution) and TypeScript 5.9 (node16 resolution, a lib without esnext.disposable, which
//   the declarations reference themselves).
//
// Run by `cargo xtask test` with COGNITO_ENDPOINT set to an emulator seeded with
// emulator/practical.json, after the package is built (crate/pkg).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createHmac } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { emulatorEndpoint, launchBrowser, outboxCode, serveStatic, uniqueName, watchPage } from '../e2e/harness.mjs';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const PKG = path.join(HERE, '../../crate/pkg');
const INSTALLED = path.join(HERE, 'node_modules/cognito-wasm');
const BIN = path.join(HERE, 'node_modules/.bin');
const DIST = path.join(HERE, 'dist');
const EMULATOR = emulatorEndpoint();
const POOL = 'us-east-1_Practical';
const CLIENT = 'practicalspaclientnosecret';
const PASSWORD = 'Correct-Horse-9';
const TIMEOUT = { timeout: 180_000 };

let browser;
const closing = [];

/** `npm pack` of the package, unpacked where an app's `import 'cognito-wasm'` finds it. */
function install() {
  const dir = mkdtempSync(path.join(tmpdir(), 'cognito-wasm-pack-'));
  const tarball = execFileSync('npm', ['pack', PKG, '--pack-destination', dir, '--silent'], {
    encoding: 'utf8',
  }).trim();
  rmSync(INSTALLED, { recursive: true, force: true });
  mkdirSync(INSTALLED, { recursive: true });
  execFileSync('tar', ['-xzf', path.join(dir, tarball), '-C', INSTALLED, '--strip-components=1']);
  rmSync(dir, { recursive: true, force: true });
  return readdirSync(INSTALLED).sort();
}

function run(bin, args, cwd = HERE) {
  return execFileSync(path.join(BIN, bin), args, { cwd, encoding: 'utf8', stdio: 'pipe' });
}

function page(dir, script, module = true) {
  writeFileSync(
    path.join(dir, 'index.html'),
    `<!doctype html><meta charset="utf-8"><title>loading</title><link rel="icon" href="data:,"><script ${module ? 'type="module" ' : ''}src="${script}"></script>`,
  );
}

before(() => {
  rmSync(DIST, { recursive: true, force: true });
  mkdirSync(DIST, { recursive: true });
});

after(async () => {
  for (const close of closing.reverse()) await close();
});

async function chromium() {
  if (!browser) {
    browser = await launchBrowser();
    closing.push(() => browser.close());
  }
  return browser;
}

/** The scenario in a page of `url` (an app's build): what happened, for the assertions. */
async function scenario(url) {
  const p = await (await chromium()).newPage();
  const watch = watchPage(p);
  try {
    await p.goto(url);
    await p.waitForFunction(() => document.title === 'ready', null, { timeout: 30_000 });
    const user = uniqueName('bundled');
    const options = { userPoolId: POOL, clientId: CLIENT, endpoint: EMULATOR };
    const signedUp = await p.evaluate(
      async ({ options, user, password }) => {
        const cw = window.cognitoWasm;
        await cw.init();
        window.client = new cw.CognitoClient(options);
        window.workerClient = new cw.CognitoClient({ ...options, srpWorker: true });
        return window.client.signUp(user, password, { email: `${user}@example.com` });
      },
      { options, user, password: PASSWORD },
    );
    const code = await outboxCode(EMULATOR, user, 'confirm_sign_up', POOL);
    const outcome = await p.evaluate(
      async ({ user, code, password, issuer, pool, clientId }) => {
        const cw = window.cognitoWasm;
        await window.client.confirmSignUp(user, code);
        const inPage = await window.client.signInSrp(user, password);
        const inWorker = await window.workerClient.signInSrp(user, password);
        const verifier = new cw.TokenVerifier({ userPoolId: pool, clientId, tokenUse: 'id', issuer });
        const claims = await verifier.verify(inWorker.tokens.idToken);
        let wrong;
        try {
          await window.workerClient.signInSrp(user, 'Wrong-Horse-9');
        } catch (e) {
          wrong = {
            name: e.name,
            service: e instanceof cw.CognitoServiceError,
            base: e instanceof cw.CognitoWasmError,
            status: e.status,
          };
        }
        return { kinds: [inPage.kind, inWorker.kind], username: claims['cognito:username'], wrong };
      },
      { user, code, password: PASSWORD, issuer: `${EMULATOR}/${POOL}`, pool: POOL, clientId: CLIENT },
    );
    return { userConfirmed: signedUp.userConfirmed, user, ...outcome, errors: watch.errors };
  } finally {
    await p.close();
  }
}

function assertScenario(r, what) {
  assert.equal(r.userConfirmed, false, what);
  assert.deepEqual(r.kinds, ['tokens', 'tokens'], `${what}: SRP in the page and in the Worker`);
  assert.equal(r.username, r.user, what);
  assert.deepEqual(r.wrong, { name: 'NotAuthorizedException', service: true, base: true, status: 400 }, what);
  // Chromium logs the wrong password's 400; nothing else may go wrong in the page.
  const unexpected = r.errors.filter((e) => !/status of 400/.test(e));
  assert.deepEqual(unexpected, [], `${what}: errors in the page`);
}

async function serve(dir) {
  const server = await serveStatic(dir);
  closing.push(() => server.close());
  return server.url;
}

test('the packed package has exactly its files', TIMEOUT, () => {
  assert.deepEqual(install(), [
    'LICENSE',
    'README.md',
    'cognito_wasm.d.ts',
    'cognito_wasm.js',
    'cognito_wasm.wasm',
    'package.json',
  ]);
});

/** `tsc` of the TypeScript in node_modules/`dir` (both have a `tsc` bin: .bin holds one). */
function tsc(dir, config) {
  const bin = path.join(HERE, 'node_modules', dir, 'bin/tsc');
  const r = spawnSync(process.execPath, [bin, '-p', path.join(HERE, config)], { cwd: HERE, encoding: 'utf8' });
  assert.equal(r.status, 0, `${dir} -p ${config}:\n${r.stdout}${r.stderr}`);
}

test('tsc --strict over every export: TypeScript 7, bundler resolution', TIMEOUT, () => {
  tsc('typescript', 'tsconfig.json');
});

test('tsc --strict over every export: TypeScript 5.9, node16 resolution, no esnext.disposable in lib', TIMEOUT, () => {
  tsc('typescript5', 'tsconfig.node16.json');
});

test('esbuild (the wasm copied beside the bundle)', TIMEOUT, async () => {
  const out = path.join(DIST, 'esbuild');
  run('esbuild', ['app.js', '--bundle', '--format=esm', `--outdir=${out}`, '--log-level=warning']);
  copyFileSync(path.join(INSTALLED, 'cognito_wasm.wasm'), path.join(out, 'cognito_wasm.wasm'));
  page(out, '/app.js');
  assertScenario(await scenario(await serve(out)), 'esbuild');
});

test('webpack 5, its default config', TIMEOUT, async () => {
  const cwd = path.join(HERE, 'webpack');
  rmSync(path.join(cwd, 'dist'), { recursive: true, force: true });
  const log = run('webpack', ['--mode', 'production'], cwd);
  assert.doesNotMatch(log, /WARNING|ERROR|Critical dependency/, log);
  page(path.join(cwd, 'dist'), '/main.js', false);
  assertScenario(await scenario(await serve(path.join(cwd, 'dist'))), 'webpack');
});

test("Vite's production build", TIMEOUT, async () => {
  const out = path.join(DIST, 'vite');
  const log = run('vite', ['build', '--outDir', out, '--emptyOutDir', '--logLevel', 'warn']);
  assert.equal(log.trim(), '', 'no warnings');
  assertScenario(await scenario(await serve(out)), 'vite build');
});

test("Vite's dev server", TIMEOUT, async () => {
  const server = spawn(path.join(BIN, 'vite'), ['--port', '0', '--strictPort', 'false', '--host', '127.0.0.1'], {
    cwd: HERE,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  closing.push(async () => server.kill());
  const url = await new Promise((resolve, reject) => {
    let seen = '';
    server.stdout.on('data', (chunk) => {
      seen += chunk;
      const m = seen.replace(/\x1b\[[0-9;]*m/g, '').match(/http:\/\/127\.0\.0\.1:\d+\//);
      if (m) resolve(m[0]);
    });
    server.on('exit', () => reject(new Error(`vite dev exited: ${seen}`)));
  });
  assertScenario(await scenario(url), 'vite dev');
});

test('Node: init() reads the file; sign-in, verification; srpWorker is a PlatformError', TIMEOUT, async () => {
  // By the package's name, as an app imports it (its exports map).
  const cw = await import('cognito-wasm');
  const missing = new URL('./no-such-dir/cognito_wasm.wasm', import.meta.url);
  await assert.rejects(cw.default(missing), (e) => {
    assert.ok(e instanceof cw.PlatformError, e.name);
    assert.match(e.message, /could not be loaded: .*ENOENT/);
    return true;
  });
  await cw.default();
  const user = uniqueName('node');
  const client = new cw.CognitoClient({ userPoolId: POOL, clientId: CLIENT, endpoint: EMULATOR });
  await client.signUp(user, PASSWORD, { email: `${user}@example.com` });
  await client.confirmSignUp(user, await outboxCode(EMULATOR, user, 'confirm_sign_up', POOL));
  const result = await client.signInSrp(user, PASSWORD);
  assert.equal(result.kind, 'tokens');
  const verifier = new cw.TokenVerifier({
    userPoolId: POOL,
    clientId: CLIENT,
    tokenUse: 'access',
    issuer: `${EMULATOR}/${POOL}`,
  });
  assert.equal((await verifier.verify(result.tokens.accessToken)).username, user);
  const inWorker = new cw.CognitoClient({ userPoolId: POOL, clientId: CLIENT, endpoint: EMULATOR, srpWorker: true });
  await assert.rejects(inWorker.signInSrp(user, PASSWORD), (e) => {
    assert.ok(e instanceof cw.PlatformError, e.name);
    assert.match(e.message, /Web Workers/);
    return true;
  });
});

test('Node: init() from a file: URL given as a string', TIMEOUT, () => {
  // A process of its own: this one's module is loaded already, and loads once.
  const wasm = pathToFileURL(path.join(INSTALLED, 'cognito_wasm.wasm')).href;
  const script = `import init, { secretHash } from 'cognito-wasm'; await init(${JSON.stringify(wasm)}); console.log(secretHash('s', 'u', 'c'));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: HERE, encoding: 'utf8' });
  assert.equal(out.trim(), createHmac('sha256', 's').update('uc').digest('base64'));
});
