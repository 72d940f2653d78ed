// page.mjs: the page side of `cargo xtask bench` (server.mjs bundles it with esbuild; browser.mjs
// and its measure modules drive it with playwright-core). Everything here runs in ONE headless
// Chromium page, ours and theirs side by side, and times itself with performance.now(); the
// Node side only chooses the inputs, interleaves the calls and reads the numbers.
//
// - SRP: the whole client computation of one sign-in, A then the password claim, for ours
//   (SrpSession) and for amazon-cognito-identity-js (ACIJ): its AuthenticationHelper,
//   BigInteger, @aws-crypto/sha256-js HMAC and Buffer, exactly as
//   CognitoUser.authenticateUserDefaultAuth uses them (ACIJ 6.3.21, es/CognitoUser.js).
// - Token verification with a cached JWKS: ours (TokenVerifier) and aws-jwt-verify's
//   CognitoJwtVerifier, the same token, sequential awaited verifications for a fixed time;
//   and, for reference, crypto.subtle.verify alone on the same signature (the floor).
//
// - CognitoSession.getSession with fresh tokens (the hot call of an app that keeps a session).
//
// Cold start is measured from a blank page instead (see cold.mjs), so nothing here is
// loaded yet when it starts.

import AuthenticationHelper from 'amazon-cognito-identity-js/es/AuthenticationHelper.js';
import BigInteger from 'amazon-cognito-identity-js/es/BigInteger.js';
import { Sha256 } from '@aws-crypto/sha256-js';
import { Buffer } from 'buffer';
import { CognitoJwtVerifier } from 'aws-jwt-verify';

let ours; // the cognito_wasm.js module, initialised
let oursVerifier;
let theirsVerifier;
let floor; // { verify() }: WebCrypto alone, the floor under both verifiers

/** Loads and initialises our package (from a URL, so the bundler leaves it alone). */
async function setup({ pkgUrl, verifierOptions, jwks }) {
  ours = await import(pkgUrl);
  await ours.default();
  oursVerifier = new ours.TokenVerifier(verifierOptions);
  oursVerifier.cacheJwks(jwks);
  theirsVerifier = CognitoJwtVerifier.create(verifierOptions);
  theirsVerifier.cacheJwks(jwks);
  return { userAgent: navigator.userAgent, crossOriginIsolated: self.crossOriginIsolated };
}

/**
 * Ours: a fresh SrpSession (random a, A = g^a), SRP_A as sent, then PASSWORD_CLAIM_SIGNATURE
 * from B, salt and secret block. Returns the times and what a server would receive.
 */
function srpOurs(c) {
  const t0 = performance.now();
  const session = new ours.SrpSession();
  const srpA = session.publicA;
  const t1 = performance.now();
  const signature = session.passwordClaim(
    c.poolName,
    c.password,
    { SRP_B: c.srpB, SALT: c.salt, SECRET_BLOCK: c.secretBlock, USER_ID_FOR_SRP: c.userId },
    c.timestamp,
  );
  const t2 = performance.now();
  session.free();
  return { ms: t2 - t0, aMs: t1 - t0, claimMs: t2 - t1, srpA, signature };
}

/**
 * ACIJ, as CognitoUser.authenticateUserDefaultAuth: new AuthenticationHelper(poolName) (whose
 * constructor draws a random 1024-bit a and computes A), SRP_A = A.toString(16); then, from the
 * challenge, B and salt through new BigInteger(hex, 16), getPasswordAuthenticationKey, and the
 * HMAC-SHA256 of poolName || userId || secret block || timestamp with @aws-crypto/sha256-js.
 * All of ACIJ's callbacks here are called synchronously.
 */
function srpAcij(c) {
  const t0 = performance.now();
  const helper = new AuthenticationHelper(c.poolName);
  let srpA;
  helper.getLargeAValue((err, aValue) => {
    if (err) throw err;
    srpA = aValue.toString(16);
  });
  const t1 = performance.now();
  const serverBValue = new BigInteger(c.srpB, 16);
  const salt = new BigInteger(c.salt, 16);
  let signature;
  helper.getPasswordAuthenticationKey(c.userId, c.password, serverBValue, salt, (err, hkdf) => {
    if (err) throw err;
    const concatBuffer = Buffer.concat([
      Buffer.from(c.poolName, 'utf8'),
      Buffer.from(c.userId, 'utf8'),
      Buffer.from(c.secretBlock, 'base64'),
      Buffer.from(c.timestamp, 'utf8'),
    ]);
    const awsCryptoHash = new Sha256(hkdf);
    awsCryptoHash.update(concatBuffer);
    signature = Buffer.from(awsCryptoHash.digestSync()).toString('base64');
  });
  const t2 = performance.now();
  return { ms: t2 - t0, aMs: t1 - t0, claimMs: t2 - t1, srpA, signature };
}

/**
 * The floor: what any verifier of this token must at least do, one RS256 signature check with
 * an already imported key (crypto.subtle.verify), and nothing else: no parsing, no claims.
 */
async function setupFloor(token, jwks) {
  const [head, body, sig] = token.split('.');
  const { kid } = JSON.parse(atob(head.replace(/-/g, '+').replace(/_/g, '/')));
  const jwk = jwks.keys.find((k) => k.kid === kid);
  const rsa = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  const key = await crypto.subtle.importKey('jwk', jwk, rsa, false, ['verify']);
  const b64 = sig.replace(/-/g, '+').replace(/_/g, '/');
  const signature = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const data = new TextEncoder().encode(`${head}.${body}`);
  floor = { verify: () => crypto.subtle.verify(rsa, key, signature, data) };
  if (!(await floor.verify())) throw new Error('WebCrypto does not verify the token');
}

function verifierFor(which) {
  if (which === 'ours') return oursVerifier;
  if (which === 'theirs') return theirsVerifier;
  if (which === 'webcrypto') return floor;
  throw new Error(`unknown verifier ${which}`);
}

/** One verification: the claims, or the error's name. */
async function verifyOnce(which, token) {
  try {
    const claims = await verifierFor(which).verify(token);
    return { ok: true, sub: claims.sub, aud: claims.aud, tokenUse: claims.token_use };
  } catch (e) {
    return { ok: false, error: e && e.name };
  }
}

/**
 * Sequential awaited verifications of `token` for at least `ms`: verifications per second.
 * (`webcrypto` ignores the token: it checks the prepared signature.)
 */
async function verifyRate(which, token, ms) {
  const v = verifierFor(which);
  const batch = 50;
  let n = 0;
  const t0 = performance.now();
  let elapsed;
  do {
    for (let i = 0; i < batch; i++) await v.verify(token);
    n += batch;
    elapsed = performance.now() - t0;
  } while (elapsed < ms);
  return { n, ms: elapsed, perSecond: n / (elapsed / 1000) };
}

let session; // a CognitoSession, signed in

/** A CognitoSession started with a sign-in's real tokens (verified, as always, against the
 *  pool's JWKS, from the emulator). Returns the user's name, as the session has it. */
async function setupSession({ options, tokens }) {
  session = new ours.CognitoSession(options);
  await session.start(tokens);
  return (await session.getSession()).username;
}

/**
 * Sequential awaited `getSession()` calls with fresh tokens (no refresh: the app's hot call)
 * for at least `ms`: microseconds per call.
 */
async function sessionRate(ms) {
  const batch = 200;
  let n = 0;
  const t0 = performance.now();
  let elapsed;
  do {
    for (let i = 0; i < batch; i++) await session.getSession();
    n += batch;
    elapsed = performance.now() - t0;
  } while (elapsed < ms);
  return { n, usPerCall: (elapsed * 1000) / n };
}

globalThis.bench = { setup, setupFloor, srpOurs, srpAcij, verifyOnce, verifyRate, setupSession, sessionRate };
