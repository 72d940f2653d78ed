// config.mjs: the bench's settings, each defined once: the paths and counts read from the
// environment (browser.mjs's header says what each means) and the pool the emulator's token
// and both verifiers are for. Every other module imports them from here.

import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, '../..');

function intEnv(name, fallback, min) {
  const v = process.env[name] ? Number(process.env[name]) : fallback;
  if (!Number.isInteger(v) || v < min) throw new Error(`${name} must be an integer >= ${min}`);
  return v;
}

export const EMULATOR_URL = (process.env.EMULATOR_URL || '').replace(/\/+$/, '');
export const WWW_DIR = path.resolve(process.env.WWW_DIR || path.join(ROOT, 'www'));
export const PKG_DIR = path.resolve(process.env.PKG_DIR || path.join(ROOT, 'crate/pkg'));
export const OUT_DIR = path.resolve(process.env.OUT_DIR || path.join(ROOT, 'target/bench'));
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const SRP_WARMUP = 3;
export const SRP_RUNS = intEnv('SRP_RUNS', 21, 15);
export const VERIFY_ROUNDS = intEnv('VERIFY_ROUNDS', 9, 1);
export const VERIFY_MS = intEnv('VERIFY_MS', 1000, 100);
export const COLD_RUNS = intEnv('COLD_RUNS', 5, 1);
/** Seconds to wait for other work to finish before measuring (0: do not wait). */
export const WAIT_QUIET_S = intEnv('WAIT_QUIET_S', 180, 0);
export const QUIET_PCT = 20;

/** The emulator's --public-url (xtask/src/bench.rs starts it with the same): real Cognito's
 * origin for us-east-1, so that aws-jwt-verify, which derives the issuer from the pool id,
 * accepts the emulator's tokens. */
export const PUBLIC_URL = 'https://cognito-idp.us-east-1.amazonaws.com';
export const POOL_ID = 'us-east-1_Practical';
export const CLIENT_ID = 'practicalspaclientnosecret';
export const VERIFIER_OPTIONS = { userPoolId: POOL_ID, clientId: CLIENT_ID, tokenUse: 'id' };
