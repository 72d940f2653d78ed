// chromium.mjs: the browser every measure runs in: one headless Chromium (the Debian package,
// launched by playwright-core with the e2e tests' flags), pages that fail the run on any error
// in them, and the bench page (page.mjs) loaded and set up with our package and the JWKS.

import { chromium } from 'playwright-core';
import { CHROMIUM, VERIFIER_OPTIONS } from './config.mjs';

/** As tests/e2e/harness.mjs: without the --disable-* flags Chromium floods a closed network. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export function launch() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/** A page that fails the run on any page error. */
export async function newPage(context) {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.stack || e.message || e}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console.error: ${m.text()}`);
  });
  page.on('requestfailed', (r) => errors.push(`requestfailed: ${r.url()}: ${r.failure()?.errorText}`));
  return {
    page,
    check() {
      if (errors.length) throw new Error(`errors in the page:\n  ${errors.join('\n  ')}`);
    },
  };
}

/** Loads the bench page from `origin` and sets it up: our package and both verifiers, JWKS cached. */
export async function openBenchPage(page, origin, jwks) {
  await page.goto(`${origin}/`);
  await page.waitForFunction(() => globalThis.bench !== undefined);
  await page.evaluate((args) => globalThis.bench.setup(args), {
    pkgUrl: `${origin}/pkg/cognito_wasm.js`,
    verifierOptions: VERIFIER_OPTIONS,
    jwks,
  });
}
