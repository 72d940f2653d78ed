// session.mjs: the getSession measure. CognitoSession.getSession() with fresh tokens (no
// refresh: the hot call of an app that keeps a session), sequential awaited calls for a fixed
// time per round; median microseconds per call. No anchor: Amplify's fetchAuthSession needs its
// whole configured runtime.

import { CLIENT_ID, EMULATOR_URL, POOL_ID, VERIFY_MS, VERIFY_ROUNDS } from './config.mjs';
import { median, round } from './stats.mjs';

/** A session started with a sign-in's real tokens, then VERIFY_ROUNDS rounds of VERIFY_MS. */
export async function benchGetSession(page, tokens) {
  console.log(`getSession: ${VERIFY_ROUNDS} rounds of ${VERIFY_MS} ms each`);
  const options = {
    userPoolId: POOL_ID,
    clientId: CLIENT_ID,
    endpoint: EMULATOR_URL,
    jwksUri: `${EMULATOR_URL}/${POOL_ID}/.well-known/jwks.json`,
  };
  const username = await page.evaluate((a) => globalThis.bench.setupSession(a), { options, tokens });
  if (!username) throw new Error('getSession: the session has no user');
  const rate = (ms) => page.evaluate((m) => globalThis.bench.sessionRate(m), ms);
  await rate(300); // warm-up
  const rounds = [];
  for (let i = 0; i < VERIFY_ROUNDS; i++) rounds.push((await rate(VERIFY_MS)).usPerCall);
  return { median: median(rounds), rounds: rounds.map((r) => round(r, 2)) };
}

/** The table's row and summary.json's field and samples for `benchGetSession`'s answer. */
export function sessionReport(getSession) {
  const rows = [
    [
      `CognitoSession.getSession, fresh tokens (median of ${VERIFY_ROUNDS})`,
      `${getSession.median.toFixed(1)} us`,
      '',
      '',
    ],
  ];
  const fields = { get_session_us: round(getSession.median, 2) };
  const samples = { get_session_us: getSession.rounds };
  return { rows, fields, samples };
}
