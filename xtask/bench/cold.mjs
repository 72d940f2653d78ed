// cold.mjs: the cold start measure. A fresh browser context per sample (own process, empty
// caches), from a blank page: fetch + instantiate + first verification. Ours: cognito_wasm.js +
// init() + TokenVerifier + cacheJwks + verify; theirs: the esbuild bundle of aws-jwt-verify +
// create + cacheJwks + verify. Interleaved, alternating which goes first.

import { newPage } from './chromium.mjs';
import { COLD_RUNS, VERIFIER_OPTIONS } from './config.mjs';
import { fmtMs, smallerBetter } from './report.mjs';
import { median, round } from './stats.mjs';

/** One cold start in a fresh context (own process, empty caches). */
async function coldStart(browser, origin, which, token, jwks) {
  const context = await browser.newContext();
  try {
    const { page, check } = await newPage(context);
    await page.goto(`${origin}/blank.html`);
    const r = await page.evaluate(
      async ([w, o, options, t, keys]) => {
        const t0 = performance.now();
        let verifier;
        if (w === 'ours') {
          const m = await import(`${o}/pkg/cognito_wasm.js`);
          await m.default();
          verifier = new m.TokenVerifier(options);
        } else {
          const m = await import(`${o}/bench/awsjwt.js`);
          verifier = m.CognitoJwtVerifier.create(options);
        }
        verifier.cacheJwks(keys);
        const t1 = performance.now();
        const claims = await verifier.verify(t);
        const t2 = performance.now();
        return { ms: t2 - t0, loadMs: t1 - t0, firstVerifyMs: t2 - t1, sub: claims.sub };
      },
      [which, origin, VERIFIER_OPTIONS, token, jwks],
    );
    check();
    return r;
  } finally {
    await context.close();
  }
}

/** COLD_RUNS cold starts each, every one checked to give the token's claims. */
export async function benchCold(browser, origin, token, jwks, sub) {
  console.log(`cold start: ${COLD_RUNS} fresh contexts each`);
  const runs = { ours: [], theirs: [] };
  for (let i = 0; i < COLD_RUNS; i++) {
    const order = i % 2 ? ['theirs', 'ours'] : ['ours', 'theirs'];
    for (const which of order) {
      const r = await coldStart(browser, origin, which, token, jwks);
      if (r.sub !== sub) throw new Error(`cold start ${which}: wrong claims`);
      runs[which].push(r);
    }
  }
  const stats = (xs) => ({
    median: median(xs.map((r) => r.ms)),
    loadMedian: median(xs.map((r) => r.loadMs)),
    firstVerifyMedian: median(xs.map((r) => r.firstVerifyMs)),
    samples: xs.map((r) => round(r.ms, 1)),
  });
  return { ours: stats(runs.ours), theirs: stats(runs.theirs) };
}

/** The table's rows and summary.json's fields and samples for `benchCold`'s answer. */
export function coldReport(cold) {
  const rows = [
    [
      `cold start: fetch + instantiate + 1st verify (median of ${COLD_RUNS})`,
      fmtMs(cold.ours.median),
      fmtMs(cold.theirs.median),
      smallerBetter(cold.ours.median, cold.theirs.median),
    ],
    [
      '  of which load (import, init)',
      fmtMs(cold.ours.loadMedian),
      fmtMs(cold.theirs.loadMedian),
      smallerBetter(cold.ours.loadMedian, cold.theirs.loadMedian),
    ],
    [
      '  of which the first verification',
      fmtMs(cold.ours.firstVerifyMedian),
      fmtMs(cold.theirs.firstVerifyMedian),
      smallerBetter(cold.ours.firstVerifyMedian, cold.theirs.firstVerifyMedian),
    ],
  ];
  const fields = {
    cold_start_ms: round(cold.ours.median),
    cold_start_load_ms: round(cold.ours.loadMedian),
    cold_start_first_verify_ms: round(cold.ours.firstVerifyMedian),
    awsjwt_cold_start_ms: round(cold.theirs.median),
    awsjwt_cold_start_load_ms: round(cold.theirs.loadMedian),
    awsjwt_cold_start_first_verify_ms: round(cold.theirs.firstVerifyMedian),
    cold_runs: COLD_RUNS,
  };
  const samples = { cold_start_ms: cold.ours.samples, awsjwt_cold_start_ms: cold.theirs.samples };
  return { rows, fields, samples };
}
