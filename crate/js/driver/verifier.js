// TokenVerifier: the core checks tokens, keeps the JWKS and decides when to fetch it (the key
// cache's rule, crate/src/verify/key_cache.rs); this fetches, waits, imports keys and runs
// WebCrypto when the core says so.

import { adopt, ask, json, Owner, wasm } from './mailbox.js';
import { error, parts, shown } from './errors.js';
import { ms, send, url } from './net.js';

/** RS256, as WebCrypto names it. */
const RS256 = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };

/** WebCrypto, which pages get only in a secure context. */
function subtle() {
  const s = globalThis.crypto?.subtle;
  if (s) return s;
  const why = 'platform crypto: WebCrypto (crypto.subtle) is not available: serve the page over https or localhost';
  throw error('PlatformError', why);
}

/** `verify` without the time claims (exp, nbf, iat against this device's clock), for
 *  CognitoSession, which judges expiry on its own clock corrected for the drift. The
 *  package's entry does not export it: not an API. */
export const UNCLOCKED = Symbol('unclocked');

/** Verifies Cognito ID or access tokens against the pool's JWKS (fetched once, cached). */
export class TokenVerifier {
  #owner;
  #uri;
  #ms;
  #next = 0;
  /** The CryptoKeys imported, by the index the core keeps for each kid, and those indices by
   *  kid (a kid's key, imported again after a rotation, takes its old place). */
  #keys = [];
  #slots = new Map();
  /** The JWKS fetch under way, for those the core tells to wait for it. */
  #fetching = null;

  /** Checks the options; fetches nothing until the first token (or `prefetch`). */
  constructor(options) {
    const made = ask('verifier_new', json('TokenVerifier options', options));
    const [handle, uri] = parts(made, 1);
    this.#owner = new Owner(adopt(this, 'verifier', Number(handle)));
    this.#uri = url('jwksUri', uri);
    this.#ms = ms(options.timeoutMs, 3000);
  }

  /** Resolves to the token's claims, or rejects with the reason as `error.name`. */
  verify(token) {
    return this.#verify(token, 1);
  }

  [UNCLOCKED](token) {
    return this.#verify(token, 0);
  }

  async #verify(token, clock) {
    const v = this.#owner.enter();
    try {
      token = String(token);
      const id = this.#next++ >>> 0;
      let plan = ask('verifier_verify', token, [v.handle, id], true);
      if (plan === null) {
        await this.#prepare(v, token);
        plan = ask('verifier_verify', token, [v.handle, id], true);
      }
      if (plan === null) throw error('JwksValidationError', 'invalid JWKS: the key was replaced');
      // The key, and where the signed input and the signature are in wasm memory: WebCrypto
      // gets views, and copies them before `verify` returns (so no later growth of the
      // memory can detach them).
      const d = new DataView(plan.buffer, plan.byteOffset, 20);
      const n = (i) => d.getUint32(i * 4, true);
      const memory = wasm.memory.buffer;
      let outcome = 0;
      let why = '';
      try {
        const signature = new Uint8Array(memory, n(3), n(4));
        const data = new Uint8Array(memory, n(1), n(2));
        outcome = (await subtle().verify(RS256, this.#keys[n(0)], signature, data)) === true ? 1 : 0;
      } catch (e) {
        [outcome, why] = [2, shown(e)];
      }
      return JSON.parse(ask('verifier_finish', why, [v.handle, id, outcome, Date.now() / 1000, clock]));
    } finally {
      this.#owner.leave();
    }
  }

  /** Imports the token's key, fetching the JWKS first when it does not list the kid. */
  async #prepare(v, token) {
    let jwk = ask('verifier_import_key', token, [v.handle, 0]);
    if (jwk === null) {
      await this.#refresh(v, false);
      jwk = ask('verifier_import_key', token, [v.handle, 1]);
    }
    const key = JSON.parse(jwk);
    let imported;
    try {
      imported = await subtle().importKey('jwk', key, RS256, false, ['verify']);
    } catch (e) {
      throw e?.name === 'PlatformError' ? e : error('PlatformError', `platform crypto: ${shown(e)}`);
    }
    const slot = this.#slots.get(key.kid) ?? this.#keys.length;
    this.#slots.set(key.kid, slot);
    this.#keys[slot] = imported;
    // The core binds the key to the JWK imported (kid, n, e), and refuses it if the JWKS
    // changed meanwhile.
    ask('verifier_add_key', jwk, [v.handle, slot]);
  }

  /** Does what the core's key cache says: fetch the JWKS, wait for the fetch under way, or
   *  nothing (in the pause after a fetch that lacked the kid; after one that failed, the
   *  core throws that failure's error). `force`: a prefetch, which the pause does not stop. */
  async #refresh(v, force) {
    const next = ask('verifier_jwks_next', '', [v.handle, force ? 1 : 0, Date.now() / 1000]);
    if (next === 'wait') {
      // Only this object fetches for its core, and it always reports the outcome.
      if (this.#fetching) return this.#fetching;
      throw error('PlatformError', 'platform: the JWKS fetch under way was lost; please report it');
    }
    if (next !== 'fetch') return;
    const fetching = (async () => {
      try {
        const [status, kind, body] = await send(this.#uri, { method: 'GET' }, this.#ms);
        ask('verifier_jwks_fetched', `${kind}\n${body}`, [v.handle, status]);
      } finally {
        if (this.#fetching === fetching) this.#fetching = null;
      }
    })();
    return (this.#fetching = fetching);
  }

  /** Uses this JWKS (the document, as a string or an object) instead of fetching it. */
  cacheJwks(jwks) {
    const text = typeof jwks === 'string' ? jwks : json('JWKS', jwks);
    ask('verifier_cache_jwks', text, [this.#owner.core.handle]);
  }

  /** Fetches the JWKS now, so the first verification does not wait for it. */
  prefetch() {
    return this.#owner.run((v) => this.#refresh(v, true));
  }

  /** Frees the wasm memory now (or when the verifications under way end) rather than when
   *  the object is collected. */
  free() {
    this.#owner.free();
  }
}
