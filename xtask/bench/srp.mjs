// srp.mjs: the SRP measure. The whole client computation of one sign-in (A, then the password
// claim from B, salt and secret block), ours (SrpSession) and ACIJ's AuthenticationHelper, on
// the same fixed inputs, interleaved after warm-up. Every signature is checked against the
// server side of SRP computed here (Node's BigInt and crypto; nothing of it is timed), so a
// fast wrong answer cannot count.

import { createHash, createHmac } from 'node:crypto';
import { POOL_ID, SRP_RUNS, SRP_WARMUP } from './config.mjs';
import { fmtMs, smallerBetter } from './report.mjs';
import { median, percentile, round } from './stats.mjs';

// ---------------------------------------------------------------------------------------------
// SRP inputs and the server side, to check every signature

const N = BigInt(
  '0x' +
    'ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74020bbea63b139b22514a08798e3404dd' +
    'ef9519b3cd3a431b302b0a6df25f14374fe1356d6d51c245e485b576625e7ec6f44c42e9a637ed6b0bff5cb6f406b7ed' +
    'ee386bfb5a899fa5ae9f24117c4b1fe649286651ece45b3dc2007cb8a163bf0598da48361c55d39a69163fa8fd24cf5f' +
    '83655d23dca3ad961c62f356208552bb9ed529077096966d670c354e4abc9804f1746c08ca18217c32905e462e36ce3b' +
    'e39e772c180e86039b2783a2ec07a28fb5c55df06f4c52c9de2bcbf6955817183995497cea956ae515d2261898fa0510' +
    '15728e5a8aaac42dad33170d04507a33a85521abdf1cba64ecfb850458dbef0a8aea71575d060c7db3970f85a6e1e4c7' +
    'abf5ae8cdb0933d71e8c94e04a25619dcee3d2261ad2ee6bf12ffa06d98a0864d87602733ec86a64521f2b18177b200c' +
    'bbe117577a615d6c770988c0bad946e208e24fa074e5ab3143db5bfce0fd108e4b82d120a93ad2caffffffffffffffff',
);
const G = 2n;

function modPow(base, exp, mod) {
  let result = 1n;
  base %= mod;
  while (exp > 0n) {
    if (exp & 1n) result = (result * base) % mod;
    base = (base * base) % mod;
    exp >>= 1n;
  }
  return result;
}
/** ACIJ's padHex for a non-negative integer. */
function padHex(n) {
  let h = n.toString(16);
  if (h.length % 2) h = `0${h}`;
  return /^[89a-f]/.test(h) ? `00${h}` : h;
}
const sha256 = (data) => createHash('sha256').update(data).digest();
const hmac = (key, data) => createHmac('sha256', key).update(data).digest();
const hexHash = (hex) => sha256(Buffer.from(hex, 'hex')).toString('hex');
const int = (hex) => BigInt(`0x${hex}`);

/** Fixed inputs of one sign-in, and the server that checks claims made with them. */
export function srpFixture() {
  const seed = (label) => sha256(`cognito-wasm bench: ${label}`);
  const poolName = POOL_ID.split('_')[1];
  const userId = '7d3f0c9a-51b2-4e8e-9b6a-2f4c8d1e0a53';
  const password = 'Correct-Horse-Battery-9';
  const salt = seed('salt').subarray(0, 16).toString('hex');
  // Cognito's SECRET_BLOCK is an opaque blob of about a kilobyte; only its bytes are signed.
  const blockBytes = Buffer.concat(Array.from({ length: 32 }, (_, i) => seed(`block ${i}`)));
  const secretBlock = blockBytes.toString('base64');
  const timestamp = 'Fri Nov 27 06:00:00 UTC 2026';

  const k = int(hexHash(padHex(N) + padHex(G)));
  const userHash = sha256(`${poolName}${userId}:${password}`).toString('hex');
  const x = int(hexHash(padHex(int(salt)) + userHash));
  const v = modPow(G, x, N);
  const b = int(seed('b').toString('hex')); // 256 bits, as the emulator's
  const B = (k * v + modPow(G, b, N)) % N;
  const srpB = B.toString(16);
  const info = Buffer.concat([Buffer.from('Caldera Derived Key', 'utf8'), Buffer.from([1])]);
  const message = (user) =>
    Buffer.concat([
      Buffer.from(poolName, 'utf8'),
      Buffer.from(user, 'utf8'),
      blockBytes,
      Buffer.from(timestamp, 'utf8'),
    ]);

  /** The PASSWORD_CLAIM_SIGNATURE the server expects for this SRP_A. */
  function expectedSignature(srpA) {
    const A = int(srpA);
    if (A % N === 0n) throw new Error('SRP_A is zero modulo N');
    const u = int(hexHash(padHex(A) + padHex(B)));
    const S = modPow((A * modPow(v, u, N)) % N, b, N);
    const prk = hmac(Buffer.from(padHex(u), 'hex'), Buffer.from(padHex(S), 'hex'));
    const key = hmac(prk, info).subarray(0, 16);
    return hmac(key, message(userId)).toString('base64');
  }

  return {
    input: { poolName, userId, password, srpB, salt, secretBlock, timestamp },
    expectedSignature,
  };
}

// ---------------------------------------------------------------------------------------------
// The measure

/** Warm-ups, then SRP_RUNS runs each, interleaved; every signature checked. */
export async function benchSrp(page, fixture) {
  console.log(`SRP: ${SRP_WARMUP} warm-ups, then ${SRP_RUNS} runs each, interleaved`);
  const run = (which) =>
    page.evaluate(
      ([w, c]) => (w === 'ours' ? globalThis.bench.srpOurs(c) : globalThis.bench.srpAcij(c)),
      [which, fixture.input],
    );
  const samples = { ours: [], acij: [] };
  const first = {};
  const checked = { ours: 0, acij: 0 };
  for (let i = 0; i < SRP_WARMUP + SRP_RUNS; i++) {
    // Interleaved, alternating which goes first, so drift (heat, other load, tier-up) hits both.
    const order = i % 2 ? ['acij', 'ours'] : ['ours', 'acij'];
    for (const which of order) {
      const r = await run(which);
      if (r.signature !== fixture.expectedSignature(r.srpA)) {
        throw new Error(`SRP ${which}: wrong PASSWORD_CLAIM_SIGNATURE for SRP_A ${r.srpA}`);
      }
      checked[which]++;
      if (i === 0) first[which] = r.ms;
      if (i >= SRP_WARMUP) samples[which].push(r);
    }
  }
  const stats = (xs) => ({
    median: median(xs.map((r) => r.ms)),
    p90: percentile(xs.map((r) => r.ms), 90),
    aMedian: median(xs.map((r) => r.aMs)),
    claimMedian: median(xs.map((r) => r.claimMs)),
    samples: xs.map((r) => round(r.ms, 1)),
  });
  return {
    ours: { ...stats(samples.ours), first: first.ours },
    acij: { ...stats(samples.acij), first: first.acij },
    checked,
  };
}

/** The table's rows and summary.json's fields and samples for `benchSrp`'s answer. */
export function srpReport(srp) {
  const rows = [
    [
      `SRP sign-in, client compute (median of ${SRP_RUNS}; anchor ACIJ)`,
      fmtMs(srp.ours.median),
      fmtMs(srp.acij.median),
      smallerBetter(srp.ours.median, srp.acij.median),
    ],
    ['  p90', fmtMs(srp.ours.p90), fmtMs(srp.acij.p90), smallerBetter(srp.ours.p90, srp.acij.p90)],
    [
      '  of which A = g^a (median)',
      fmtMs(srp.ours.aMedian),
      fmtMs(srp.acij.aMedian),
      smallerBetter(srp.ours.aMedian, srp.acij.aMedian),
    ],
    [
      '  of which the claim from B (median)',
      fmtMs(srp.ours.claimMedian),
      fmtMs(srp.acij.claimMedian),
      smallerBetter(srp.ours.claimMedian, srp.acij.claimMedian),
    ],
    [
      '  first run in the page (no warm-up)',
      fmtMs(srp.ours.first),
      fmtMs(srp.acij.first),
      smallerBetter(srp.ours.first, srp.acij.first),
    ],
  ];
  const fields = {
    srp_ms: round(srp.ours.median),
    srp_p90_ms: round(srp.ours.p90),
    srp_a_ms: round(srp.ours.aMedian),
    srp_claim_ms: round(srp.ours.claimMedian),
    acij_srp_ms: round(srp.acij.median),
    acij_srp_p90_ms: round(srp.acij.p90),
    acij_a_ms: round(srp.acij.aMedian),
    acij_claim_ms: round(srp.acij.claimMedian),
    srp_first_ms: round(srp.ours.first),
    acij_srp_first_ms: round(srp.acij.first),
    srp_runs: SRP_RUNS,
    srp_warmup: SRP_WARMUP,
  };
  const samples = { srp_ms: srp.ours.samples, acij_srp_ms: srp.acij.samples };
  return { rows, fields, samples };
}
