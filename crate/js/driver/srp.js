// SRP's client side on the page's thread: SrpSession, and `inLine`, the SRP sign-in's
// arithmetic without a worker.

import { adopt, ask, json } from './mailbox.js';
import { error, parts } from './errors.js';

/** Secure random bytes, for SRP's secret. */
export function random(n) {
  try {
    return crypto.getRandomValues(new Uint8Array(n));
  } catch (e) {
    throw error('PlatformError', `platform: no secure random numbers available: ${e?.message ?? e}`);
  }
}

/** The client side of one SRP sign-in, for custom flows: `publicA` goes to InitiateAuth as
 *  SRP_A, then `passwordClaim` answers PASSWORD_VERIFIER. `signInSrp` does all of this. */
export class SrpSession {
  #core;
  #a;

  /** A fresh secret (from `crypto.getRandomValues`) and its public value A. */
  constructor() {
    const secret = random(48);
    let made;
    try {
      made = ask('srp_new', secret);
    } finally {
      secret.fill(0);
    }
    const [handle, a] = parts(made, 1);
    this.#core = adopt(this, 'srp', Number(handle));
    this.#a = a;
  }

  /** SRP_A, hex. */
  get publicA() {
    return this.#a;
  }

  /** PASSWORD_CLAIM_SIGNATURE for the challenge's parameters (SRP_B, SALT, SECRET_BLOCK,
   *  USER_ID_FOR_SRP) at `timestamp`. */
  passwordClaim(poolName, password, parameters, timestamp) {
    const args = json('arguments', [poolName, password, parameters, timestamp]);
    return ask('srp_claim', args, [this.#core.handle]);
  }

  free() {
    this.#core.free();
  }
}

/** SRP's arithmetic on this thread. */
export const inLine = {
  async start() {
    const s = new SrpSession();
    return { s, a: s.publicA };
  },
  async claim({ s }, claim) {
    return s.passwordClaim(...claim);
  },
  end({ s }) {
    s.free();
  },
};
