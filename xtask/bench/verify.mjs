// verify.mjs: the token verification measure. One real ID token, JWKS cached: ours
// (TokenVerifier) and aws-jwt-verify's CognitoJwtVerifier, sequential awaited verifications for
// a fixed time per round, rounds interleaved; and the floor under both, crypto.subtle.verify
// alone on the same signature. Both verifiers are first made to show they accept the token and
// refuse a forged one, so a verifier that checks nothing cannot count.

import { CLIENT_ID, VERIFY_MS, VERIFY_ROUNDS } from './config.mjs';
import { fmtRate, largerBetter, pct } from './report.mjs';
import { median, round } from './stats.mjs';

/** Both verifiers accept the token with the same claims and refuse it with a broken signature. */
export async function sanity(page, token, sub) {
  const once = (w, t) => page.evaluate(([a, b]) => globalThis.bench.verifyOnce(a, b), [w, t]);
  const [head, body, sig] = token.split('.');
  const flipped = sig[10] === 'A' ? 'B' : 'A';
  const forged = `${head}.${body}.${sig.slice(0, 10)}${flipped}${sig.slice(11)}`;
  for (const which of ['ours', 'theirs']) {
    const ok = await once(which, token);
    if (!ok.ok || ok.sub !== sub || ok.aud !== CLIENT_ID || ok.tokenUse !== 'id') {
      throw new Error(`${which} does not accept the token: ${JSON.stringify(ok)}`);
    }
    const bad = await once(which, forged);
    if (bad.ok) throw new Error(`${which} accepts a token with a broken signature`);
  }
}

/** The floor (page.mjs's setupFloor): the token's signature checked by WebCrypto alone. */
export async function setupFloor(page, token, jwks) {
  await page.evaluate(([t, keys]) => globalThis.bench.setupFloor(t, keys), [token, jwks]);
}

/** VERIFY_ROUNDS rounds of VERIFY_MS each, ours, theirs and the floor, after a warm-up. */
export async function benchVerify(page, token) {
  console.log(`verify: ${VERIFY_ROUNDS} rounds of ${VERIFY_MS} ms each, interleaved`);
  const rate = (which, ms) =>
    page.evaluate(([w, t, m]) => globalThis.bench.verifyRate(w, t, m), [which, token, ms]);
  const all = ['ours', 'theirs', 'webcrypto'];
  // Warm-up: JIT, wasm tier-up, the imported CryptoKeys.
  for (const which of all) await rate(which, 300);
  const rates = { ours: [], theirs: [], webcrypto: [] };
  for (let i = 0; i < VERIFY_ROUNDS; i++) {
    // Rotate who goes first, so drift hits each in every position.
    const order = all.map((_, j) => all[(i + j) % all.length]);
    for (const which of order) rates[which].push((await rate(which, VERIFY_MS)).perSecond);
  }
  const stats = (xs) => ({ median: median(xs), rounds: xs.map((r) => round(r, 0)) });
  // The machine's speed drifts between rounds by more than the difference under test; the
  // ratio within each round (same seconds) is steadier than the ratio of the medians.
  const ratios = rates.ours.map((r, i) => r / rates.theirs[i]);
  return {
    ours: stats(rates.ours),
    theirs: stats(rates.theirs),
    webcrypto: stats(rates.webcrypto),
    ratio: { median: median(ratios), rounds: ratios.map((r) => round(r, 2)) },
  };
}

/** The table's rows and summary.json's fields and samples for `benchVerify`'s answer. */
export function verifyReport(verify) {
  const rows = [
    [
      `ID token verify, cached JWKS (median of ${VERIFY_ROUNDS}; aws-jwt-verify)`,
      fmtRate(verify.ours.median),
      fmtRate(verify.theirs.median),
      largerBetter(verify.ours.median, verify.theirs.median),
    ],
    [
      '  ratio within each round (median)',
      '',
      '',
      `${verify.ratio.median.toFixed(2)}x faster (rounds ${verify.ratio.rounds.join(', ')})`,
    ],
    [
      '  floor: crypto.subtle.verify alone (same signature)',
      fmtRate(verify.webcrypto.median),
      '',
      `ours at ${pct(verify.ours.median, verify.webcrypto.median)}, anchor at ${pct(verify.theirs.median, verify.webcrypto.median)}`,
    ],
  ];
  const fields = {
    verify_per_s: round(verify.ours.median, 0),
    awsjwt_verify_per_s: round(verify.theirs.median, 0),
    webcrypto_verify_per_s: round(verify.webcrypto.median, 0),
    verify_ratio_median_of_rounds: round(verify.ratio.median, 2),
    verify_rounds: VERIFY_ROUNDS,
    verify_round_ms: VERIFY_MS,
  };
  const samples = {
    verify_per_s: verify.ours.rounds,
    awsjwt_verify_per_s: verify.theirs.rounds,
    webcrypto_verify_per_s: verify.webcrypto.rounds,
  };
  return { rows, fields, samples };
}
