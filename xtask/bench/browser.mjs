// browser.mjs: cognito-wasm beside its anchors in one headless Chromium, one run.
//
//   SRP          the whole client computation of one sign-in (A, then the password claim from
//                B, salt and secret block): ours (SrpSession) and amazon-cognito-identity-js's
//                AuthenticationHelper (ACIJ), same inputs, same page, interleaved, after
//                warm-up; median and p90. Every signature is checked in Node against the server
//                side of SRP, so a fast wrong answer cannot count.
//   verify       one real ID token from the emulator, JWKS cached: ours (TokenVerifier) and
//                aws-jwt-verify's CognitoJwtVerifier, sequential awaited verifications for a
//                fixed time per round, rounds interleaved; median rate.
//   cold start   a fresh browser context per sample: fetch + instantiate + first verification
//                (ours: cognito_wasm.js + init() + TokenVerifier + cacheJwks + verify; theirs:
//                the esbuild bundle of aws-jwt-verify + create + cacheJwks + verify).
//   getSession   CognitoSession.getSession() with fresh tokens (no refresh), sequential awaited
//                calls for a fixed time per round; median microseconds per call (no anchor:
//                Amplify's fetchAuthSession needs its whole configured runtime).
//   bytes        our release package (wasm + the JS driver) and the anchors' esbuild bundle
//                (anchor.mjs), minified / gzip -9 / brotli 11; and the ceiling, Amplify JS's
//                auth module with every call (amplify.mjs), gzip -9.
//
// Prints a table and writes OUT_DIR/summary.json. `cargo xtask bench browser` runs it with:
//   EMULATOR_URL  a release emulator started with --config emulator/practical.json and
//                 --public-url https://cognito-idp.us-east-1.amazonaws.com (so the token's iss
//                 is the one aws-jwt-verify expects for us-east-1_Practical)
//   WWW_DIR       the directory whose pkg/ holds our built package (www, default)
//   OUT_DIR       where summary.json goes (target/bench, default)
// Optional: PKG_DIR (package measured for bytes, default crate/pkg), CHROMIUM, SRP_RUNS (21),
// VERIFY_ROUNDS (9), VERIFY_MS (1000), COLD_RUNS (5), WAIT_QUIET_S (180: how long to wait for
// other work on the machine to finish before measuring).
//
// This file is the run, in order; each measure lives in a module of its own, beside this one,
// with its measurement and its rows of the table and fields of summary.json:
//   srp.mjs (with the server side of SRP that checks every signature), verify.mjs (with the
//   check that both verifiers accept the token and refuse a forged one), session.mjs, cold.mjs,
//   bytes.mjs.
// And what they share: config.mjs (the settings above and the pool, each defined once),
// emulator.mjs (the real ID token), server.mjs (the static server the page loads from),
// chromium.mjs (the browser and its pages), bundle.mjs (esbuild), machine.mjs (waiting for
// quiet CPUs, the versions), stats.mjs (median, percentile), report.mjs (the table).
// page.mjs is the page side, in the browser.

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { bytesReport, measureBytes } from './bytes.mjs';
import { launch, newPage, openBenchPage } from './chromium.mjs';
import { benchCold, coldReport } from './cold.mjs';
import { EMULATOR_URL, OUT_DIR, PUBLIC_URL, WWW_DIR } from './config.mjs';
import { realIdToken } from './emulator.mjs';
import { quietBefore, versions } from './machine.mjs';
import { table } from './report.mjs';
import { routes, serve } from './server.mjs';
import { benchGetSession, sessionReport } from './session.mjs';
import { benchSrp, srpFixture, srpReport } from './srp.mjs';
import { round } from './stats.mjs';
import { benchVerify, sanity, setupFloor, verifyReport } from './verify.mjs';

async function main() {
  if (!EMULATOR_URL) {
    throw new Error(
      'set EMULATOR_URL to a release emulator started with --config emulator/practical.json ' +
        `--public-url ${PUBLIC_URL} (cargo xtask bench browser does this)`,
    );
  }
  const glue = await readFile(path.join(WWW_DIR, 'pkg/cognito_wasm.js'), 'utf8');
  if (!glue.includes('SrpSession') || !glue.includes('defineOperations')) {
    throw new Error(`${WWW_DIR}/pkg predates the registry of operations: rebuild it (cargo xtask bench does)`);
  }
  const before = await quietBefore();

  const bytes = await measureBytes();
  const { token, jwks, sub, tokens } = await realIdToken();
  const fixture = srpFixture();
  const server = await serve(await routes());
  const browser = await launch();
  let srp;
  let verify;
  let cold;
  let getSession;
  let chromiumVersion;
  try {
    chromiumVersion = browser.version();
    const context = await browser.newContext();
    const { page, check } = await newPage(context);
    await openBenchPage(page, server.origin, jwks);
    await sanity(page, token, sub);
    await setupFloor(page, token, jwks);
    srp = await benchSrp(page, fixture);
    verify = await benchVerify(page, token);
    getSession = await benchGetSession(page, tokens);
    check();
    await context.close();
    cold = await benchCold(browser, server.origin, token, jwks, sub);
  } finally {
    await browser.close();
    await server.close();
  }
  const loadAfter = os.loadavg();

  // In the order of the table and of summary.json's fields (bytes, measured first, last).
  const reports = [
    srpReport(srp),
    verifyReport(verify),
    sessionReport(getSession),
    coldReport(cold),
    bytesReport(bytes),
  ];
  const merged = (key) => Object.assign({}, ...reports.map((r) => r[key]));
  const summary = {
    date: new Date().toISOString(),
    chromium_version: chromiumVersion,
    node_version: process.version,
    cpus: os.cpus().length,
    cpu_busy_before_pct: round(before.busy, 1),
    load_average_before: before.load.map((x) => round(x)),
    load_average_after: loadAfter.map((x) => round(x)),
    ...merged('fields'),
    versions: await versions(),
    samples: merged('samples'),
  };
  const rows = [['measure', 'cognito-wasm', 'anchor', 'ours vs anchor'], ...reports.flatMap((r) => r.rows)];
  console.log(`\ncognito-wasm vs anchors, headless Chromium ${chromiumVersion}, ${os.cpus().length} cores`);
  console.log(table(rows));
  console.log(
    `CPUs ${before.busy.toFixed(0)}% busy just before; load average before / after: ` +
      `${before.load[0].toFixed(2)} / ${loadAfter[0].toFixed(2)}` +
      `; every SRP signature (${srp.checked.ours} ours, ${srp.checked.acij} ACIJ) checked against the server side`,
  );

  await mkdir(OUT_DIR, { recursive: true });
  const out = path.join(OUT_DIR, 'summary.json');
  await writeFile(out, `${JSON.stringify(summary, null, 2)}\n`);
  console.log(`wrote ${out}`);
}

main().catch((e) => {
  console.error(`bench: ${e.stack || e}`);
  process.exit(1);
});
