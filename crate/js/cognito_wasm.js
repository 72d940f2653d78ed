// cognito-wasm's JS entry: CognitoClient, TokenVerifier, SrpSession, secretHash, decodeJwt.
//
// A driver, no rules: the wasm core (crate/src/wasm/bindings.rs) checks options, builds every
// request, reads every answer, does SRP and the token checks, and names every error. This
// file only moves text between it, fetch, WebCrypto and the SRP worker, and keeps the
// promises. The core is called through a mailbox (text in, text out, handles for objects;
// see bindings.rs), not wasm-bindgen's bindings: their glue and shims were 4 KB of gzip.

import coreInit, { initSync as coreInitSync, compiledModule } from './cognito_wasm_core.js';

/** The core's exports, once `init` has run. */
let wasm;

/** Loads and instantiates the wasm (by default `cognito_wasm_core_bg.wasm` next to this file);
 *  resolves to the module's exports. Call it, and wait for it, once before anything else. */
export default async function init(input) {
  return (wasm = await coreInit(input));
}

/** `init` from bytes or a compiled module, synchronously. */
export function initSync(input) {
  return (wasm = coreInitSync(input));
}

function loaded() {
  if (wasm) return wasm;
  throw error('PlatformError', 'platform: cognito-wasm is not loaded: await init() first');
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Calls the core's `cw_${fn}` with `input` (text or bytes) in its inbox and `args`: the
 *  reply (text, or a view of the outbox's bytes when `bytes`, valid until the next call),
 *  `null` when the core has nothing to say (status 2), or the core's error thrown. */
function ask(fn, input, args = [], bytes = false) {
  const w = loaded();
  let status;
  try {
    put(w, input);
    status = w[`cw_${fn}`](...args);
  } catch (e) {
    // A trap: a bug in the core (a panic), never a bad input or answer.
    throw e instanceof WebAssembly.RuntimeError ? stopped(e) : e;
  }
  if (status === 2) return null;
  if (status === 3) throw stopped('an earlier call failed');
  const [from, length] = [w.cw_outbox() >>> 0, w.cw_outbox_len() >>> 0];
  const reply = new Uint8Array(w.memory.buffer, from, length);
  if (status === 0 && bytes) return reply;
  const text = decoder.decode(reply);
  if (status) throw fail(text);
  return text;
}

function stopped(why) {
  const message = `platform: the wasm module stopped (${why}); reload the page, and please report it`;
  return error('PlatformError', message);
}

/** Writes `input` into the core's inbox. The address comes first: making room may grow the
 *  memory, which detaches older views. */
function put(w, input) {
  if (input.length === 0) return; // each call leaves the inbox empty
  if (typeof input === 'string') {
    // ASCII (tokens, most JSON) is written in place, a byte per character; anything else
    // (read stops short) is encoded first.
    const at = w.cw_inbox(input.length) >>> 0;
    const { read } = encoder.encodeInto(input, new Uint8Array(w.memory.buffer, at, input.length));
    if (read === input.length) return;
    input = encoder.encode(input);
  }
  const at = w.cw_inbox(input.length) >>> 0;
  new Uint8Array(w.memory.buffer, at, input.length).set(input);
}

/** `text` up to its first `count` newlines, and the rest. */
function parts(text, count) {
  const out = [];
  for (let i = 0; i < count; i++) {
    const at = text.indexOf('\n');
    out.push(text.slice(0, at));
    text = text.slice(at + 1);
  }
  out.push(text);
  return out;
}

/** Objects the page dropped without `free()`: the core forgets them when they are collected. */
const collected =
  typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry(([kind, handle]) => {
        try {
          wasm[`cw_${kind}_free`](handle);
        } catch {
          // A module that trapped keeps what it had: nothing more to do.
        }
      })
    : { register() {}, unregister() {} };

/** A core object: its handle, freed with `free()` or when its owner is collected. */
function adopt(owner, kind, handle) {
  collected.register(owner, [kind, handle], owner);
  return {
    handle,
    free() {
      collected.unregister(owner);
      wasm[`cw_${kind}_free`](handle);
    },
  };
}

/** An Error whose `name` (and `code`, as amazon-cognito-identity-js has it) says what failed. */
function error(name, message, status) {
  const e = new Error(message);
  e.name = name;
  e.code = name;
  if (status !== undefined) e.status = status;
  return e;
}

/** The core's errors arrive as `name \n status \n message`. */
function fail(e) {
  const [name, status, message] = parts(e, 2);
  return error(name, message, status ? Number(status) : undefined);
}

/** Half of a surrogate pair, alone: what `String.prototype.toWellFormed` replaces. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** `value` as JSON for the core. Strings are made well-formed first (a lone surrogate, half an
 *  emoji, becomes U+FFFD, as text passed to wasm always did), since the core's strict parser
 *  refuses lone surrogates. */
function json(what, value) {
  let text;
  try {
    text = JSON.stringify(value ?? null, (_, v) =>
      typeof v === 'string' ? v.replace(LONE_SURROGATE, '\uFFFD') : v,
    );
  } catch (e) {
    throw error('InvalidInputError', `invalid input: ${what}: ${e.message}`);
  }
  // A function or a symbol has no JSON at all.
  if (text === undefined) throw error('InvalidInputError', `invalid input: ${what} is not data`);
  return text;
}

/** A time-out option the core accepted (a whole number, or absent: then `fallback`). */
function ms(value, fallback) {
  return Number.isFinite(value) ? value : fallback;
}

/** An endpoint the core accepted (http or https), checked as a URL: fetch would call a bad
 *  one a network failure. */
function url(what, value) {
  try {
    new URL(value);
    return value;
  } catch {
    throw error('InvalidInputError', `invalid input: ${what} ${JSON.stringify(value)} is not a URL`);
  }
}

/** Frees a core once the calls under way have finished with it. */
class Owner {
  core;
  #busy = 0;
  #freeing = false;

  constructor(core) {
    this.core = core;
  }

  /** The core, for one call; `leave` when it is done with it. */
  enter() {
    this.#busy++;
    return this.core;
  }

  leave() {
    if (--this.#busy === 0 && this.#freeing) this.core.free();
  }

  async run(f) {
    try {
      return await f(this.enter());
    } finally {
      this.leave();
    }
  }

  free() {
    if (this.#freeing) return;
    this.#freeing = true;
    if (this.#busy === 0) this.core.free();
  }
}

/** One fetch, as the core reads it: [status, x-amzn-errortype, body], or [0, why, message]. */
async function send(url, init, timeout) {
  try {
    const r = await fetch(url, {
      ...init,
      credentials: 'omit',
      mode: 'cors',
      signal: AbortSignal.timeout(timeout),
    });
    return [r.status, r.headers.get('x-amzn-errortype') ?? '', await r.text()];
  } catch (e) {
    const timedOut = e?.name === 'TimeoutError' || e?.name === 'AbortError';
    return [0, timedOut ? 'TimeoutError' : 'NetworkError', String(e)];
  }
}

/** RS256, as WebCrypto names it. */
const RS256 = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };

/** WebCrypto, which pages get only in a secure context. */
function subtle() {
  const s = globalThis.crypto?.subtle;
  if (s) return s;
  const why = 'platform crypto: WebCrypto (crypto.subtle) is not available: serve the page over https or localhost';
  throw error('PlatformError', why);
}

/** A Cognito user-pool client. Every method returns a Promise. */
export class CognitoClient {
  #owner;
  #endpoint;
  #poolName;
  #ms;
  #srp;

  /** Checks the options' shape; sends nothing. */
  constructor(options) {
    const made = ask('client_new', json('CognitoClient options', options));
    const [handle, poolName, endpoint] = parts(made, 2);
    this.#owner = new Owner(adopt(this, 'client', Number(handle)));
    this.#endpoint = url('endpoint', endpoint);
    this.#poolName = poolName;
    this.#ms = ms(options.timeoutMs, 10000);
    this.#srp = options.srpWorker ? inWorker : inLine;
  }

  #call(op, args) {
    return this.#owner.run((client) => call(client, this.#endpoint, this.#ms, op, args));
  }

  signUp(username, password, attributes) {
    return this.#call('signUp', [username, password, attributes]);
  }
  confirmSignUp(username, code) {
    return this.#call('confirmSignUp', [username, code]);
  }
  resendConfirmationCode(username) {
    return this.#call('resendConfirmationCode', [username]);
  }
  signInPassword(username, password) {
    return this.#call('signInPassword', [username, password]);
  }
  respondToChallenge(name, session, responses) {
    return this.#call('respondToChallenge', [name, session, responses]);
  }
  refresh(refreshToken, username) {
    return this.#call('refresh', [refreshToken, username]);
  }
  getUser(accessToken) {
    return this.#call('getUser', [accessToken]);
  }
  globalSignOut(accessToken) {
    return this.#call('globalSignOut', [accessToken]);
  }
  revokeToken(refreshToken) {
    return this.#call('revokeToken', [refreshToken]);
  }
  forgotPassword(username) {
    return this.#call('forgotPassword', [username]);
  }
  confirmForgotPassword(username, code, newPassword) {
    return this.#call('confirmForgotPassword', [username, code, newPassword]);
  }
  changePassword(accessToken, previous, proposed) {
    return this.#call('changePassword', [accessToken, previous, proposed]);
  }

  /** Frees the wasm memory now (or when the calls under way end) rather than when the
   *  object is collected. */
  free() {
    this.#owner.free();
  }

  /** USER_SRP_AUTH: SRP_A, Cognito's PASSWORD_VERIFIER, the password claim, its answer. */
  signInSrp(username, password) {
    return this.#owner.run(async (client) => {
      // The inputs checked first (the request itself needs SRP_A): a bad one must not start
      // the worker, nor wait for it.
      request(client, 'signInSrp', [username, password, '']);
      const srp = this.#srp;
      const session = await srp.start(this.#ms);
      try {
        const args = [username, password, session.a];
        const first = await call(client, this.#endpoint, this.#ms, 'signInSrp', args);
        if (first.kind !== 'verifier') return first;
        const timestamp = srpTimestamp(Date.now());
        const claim = [this.#poolName, password, first.challenge.parameters, timestamp];
        const signature = await srp.claim(session, claim, this.#ms);
        const answer = [first.challenge, timestamp, signature];
        return await call(client, this.#endpoint, this.#ms, 'passwordVerifier', answer);
      } finally {
        srp.end(session);
      }
    });
  }
}

/** The core's request of method `op` for `args`: [X-Amz-Target, body]. */
function request(client, op, args) {
  return parts(ask('client_request', `${op}\n${json('arguments', args)}`, [client.handle]), 1);
}

/** One operation: the core's request for `args`, fetched, and the core's reading of the
 *  answer. */
async function call(client, endpoint, timeout, op, args) {
  const [target, body] = request(client, op, args);
  const init = {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target },
    body,
  };
  const [status, kind, text] = await send(endpoint, init, timeout);
  return JSON.parse(ask('client_answer', `${op}\n${kind}\n${text}`, [client.handle, status])) ?? undefined;
}

/** SRP's arithmetic on this thread. */
const inLine = {
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

// SRP's arithmetic in a module worker (`srpWorker: true`), so the page never waits on it.
// Its script is a Blob that imports the core's loader (`cognito_wasm_core.js`, which bundlers
// emit as an asset, being named by `new URL`; this module, bundled, might not be importable)
// and talks to the core's mailbox itself; the compiled wasm module goes with the first
// message. A CSP must allow `worker-src blob:`.
/** The worker's script: this function's source, called with the core's loader's URL. It is
 *  a function, not a string, so that minifiers shrink it too; it uses nothing from outside
 *  (nor may it: a bundler that lowers syntax with helpers of its own would break it). */
function srpWorker(CORE) {
  let ready;
  const sessions = new Map();
  let next = 1;
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  // The core's mailbox, as ask() uses it; an error is its text, `name \n status \n message`.
  const ask = (w, fn, input, ...args) => {
    const data = typeof input === 'string' ? encoder.encode(input) : input;
    const at = w.cw_inbox(data.length) >>> 0;
    new Uint8Array(w.memory.buffer, at, data.length).set(data);
    const status = w[`cw_${fn}`](...args);
    if (status === 3) throw { name: 'PlatformError', message: 'platform: the wasm module stopped' };
    const [from, length] = [w.cw_outbox() >>> 0, w.cw_outbox_len() >>> 0];
    const text = decoder.decode(new Uint8Array(w.memory.buffer, from, length));
    if (status) throw text;
    return text;
  };
  self.onmessage = async ({ data }) => {
    const { id, op } = data;
    try {
      ready ??= import(CORE).then(async (m) => {
        const w = await m.default({ module_or_path: data.module });
        w.cw_precompute_srp();
        return w;
      });
      const w = await ready;
      const s = sessions.get(data.session);
      sessions.delete(data.session);
      if (op === 'end') return s && w.cw_srp_free(s);
      let result;
      if (op === 'start') {
        const made = ask(w, 'srp_new', data.secret);
        data.secret.fill(0);
        const at = made.indexOf('\n');
        sessions.set(next, Number(made.slice(0, at)));
        result = { session: next++, a: made.slice(at + 1) };
      } else {
        if (!s) throw 'PlatformError\n\nplatform: unknown SRP session';
        try {
          result = ask(w, 'srp_claim', data.claim, s);
        } finally {
          w.cw_srp_free(s);
        }
      }
      self.postMessage({ id, result });
    } catch (e) {
      const name = e?.name ?? 'Error';
      self.postMessage({ id, error: typeof e === 'string' ? e : { name, message: String(e?.message ?? e) } });
    }
  };
}

/** The page's one SRP worker, and its requests waiting for an answer. */
let worker = null;
let generation = 0;

function startWorker() {
  const core = new URL('./cognito_wasm_core.js', import.meta.url).href;
  const script = `(${srpWorker})(${JSON.stringify(core)})`;
  const url = URL.createObjectURL(new Blob([script], { type: 'text/javascript' }));
  let created;
  try {
    created = new Worker(url, { type: 'module', name: 'cognito-wasm SRP' });
  } catch (e) {
    URL.revokeObjectURL(url);
    throw error('PlatformError', `platform: the SRP worker failed: ${e?.message ?? e}`);
  }
  const w = {
    worker: created,
    generation: ++generation,
    next: 1,
    moduleSent: false,
    failed: false,
    pending: new Map(),
  };
  const settle = (id) => {
    const p = w.pending.get(id);
    w.pending.delete(id);
    if (p) clearTimeout(p.timer);
    return p;
  };
  w.worker.onmessage = ({ data }) => {
    URL.revokeObjectURL(url); // loaded: the script is no longer needed
    const p = settle(data.id);
    if (!p) return;
    const e = data.error;
    if (e === undefined) return p.resolve(data.result);
    // A trap (a Rust panic) leaves that wasm instance unusable: start afresh next time.
    if (e.name === 'RuntimeError') w.failed = true;
    p.reject(typeof e === 'string' ? fail(e) : error(e.name, e.message));
  };
  // A worker that cannot start (no module workers, a CSP without `worker-src blob:`) fails
  // every request waiting on it; the next sign-in starts a new one.
  w.worker.onerror = (event) => {
    URL.revokeObjectURL(url);
    w.failed = true;
    const why = event.message || 'it could not start';
    const e = error('PlatformError', `platform: the SRP worker failed: ${why}`);
    for (const id of [...w.pending.keys()]) settle(id).reject(e);
  };
  return w;
}

/** Posts `message` to the worker (moving `transfer`); for a session's message, only the
 *  worker that has it. */
function post(message, timeout, session, transfer = []) {
  let w = worker;
  if (session) {
    if (!w || w.failed || w.generation !== session.generation) {
      const why = 'platform: the SRP worker was restarted during this sign-in; sign in again';
      return Promise.reject(error('PlatformError', why));
    }
    message.session = session.handle;
  } else if (!w || w.failed) {
    w?.worker.terminate();
    try {
      w = worker = startWorker();
    } catch (e) {
      worker = null;
      return Promise.reject(e);
    }
  }
  const id = w.next++;
  if (!w.moduleSent) {
    message.module = compiledModule();
    w.moduleSent = true;
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      if (w.pending.delete(id)) reject(error('TimeoutError', 'the SRP worker did not answer in time'));
    }, timeout);
    w.pending.set(id, { resolve, reject, timer });
    try {
      w.worker.postMessage({ ...message, id }, transfer);
    } catch (e) {
      w.pending.delete(id);
      clearTimeout(timer);
      reject(error('PlatformError', `platform: ${e}`));
    }
  }).then((result) => [result, w.generation]);
}

const inWorker = {
  async start(timeout) {
    // The secret is drawn here (the worker's crypto would do as well), and moved, not copied.
    const secret = random(48);
    const [{ session, a }, generation] = await post({ op: 'start', secret }, timeout, null, [
      secret.buffer,
    ]);
    return { handle: session, generation, a };
  },
  async claim(session, claim, timeout) {
    session.claimed = true;
    const args = json('arguments', claim);
    return (await post({ op: 'claim', claim: args }, timeout, session))[0];
  },
  end(session) {
    const w = worker;
    if (!session.claimed && w && !w.failed && w.generation === session.generation) {
      w.worker.postMessage({ op: 'end', session: session.handle });
    }
  },
};

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
  #fetching = null;
  #lastFetch = -Infinity;
  #lastError = null;

  /** Checks the options; fetches nothing until the first token (or `prefetch`). */
  constructor(options) {
    const made = ask('verifier_new', json('TokenVerifier options', options));
    const [handle, uri] = parts(made, 1);
    this.#owner = new Owner(adopt(this, 'verifier', Number(handle)));
    this.#uri = url('jwksUri', uri);
    this.#ms = ms(options.timeoutMs, 3000);
  }

  /** Resolves to the token's claims, or rejects with the reason as `error.name`. */
  async verify(token) {
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
      return JSON.parse(ask('verifier_finish', why, [v.handle, id, outcome, Date.now() / 1000]));
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
      // The fetch found the kid (a first fetch, or a rotation): no pause owed.
      this.#lastFetch = -Infinity;
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
    ask('verifier_add_key', token, [v.handle, slot]);
  }

  /** Fetches the JWKS unless a fetch is running (then waits for it) or the last one that
   *  failed or lacked a wanted kid is under 10 s old (unless `force`), as aws-jwt-verify. */
  #refresh(v, force) {
    if (this.#fetching) return this.#fetching;
    const now = Date.now();
    if (!force && now >= this.#lastFetch && now - this.#lastFetch < 10000) {
      // Each caller gets its own Error (callers may annotate theirs).
      const e = this.#lastError;
      return e ? Promise.reject(error(e.name, e.message, e.status)) : Promise.resolve();
    }
    this.#lastFetch = now;
    this.#fetching = (async () => {
      try {
        const [status, kind, body] = await send(this.#uri, { method: 'GET' }, this.#ms);
        ask('verifier_jwks_fetched', `${kind}\n${body}`, [v.handle, status]);
        this.#lastError = null;
      } catch (e) {
        this.#lastError = e;
        throw e;
      } finally {
        this.#fetching = null;
      }
    })();
    return this.#fetching;
  }

  /** Uses this JWKS (the document, as a string or an object) instead of fetching it. */
  cacheJwks(jwks) {
    const text = typeof jwks === 'string' ? jwks : json('JWKS', jwks);
    ask('verifier_cache_jwks', text, [this.#owner.core.handle]);
    this.#lastError = null;
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

/** A thrown value as text (`OperationError: ...`), even one whose `toString` throws. */
function shown(e) {
  try {
    return String(e);
  } catch {
    return 'a value that cannot be shown';
  }
}

/** Secure random bytes, for SRP's secret. */
function random(n) {
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

for (const c of [CognitoClient, TokenVerifier, SrpSession]) {
  if (Symbol.dispose) c.prototype[Symbol.dispose] = c.prototype.free;
}

/** A token's claims WITHOUT verification: for display, never for decisions. */
export function decodeJwt(token) {
  return JSON.parse(ask('decode_jwt', String(token)));
}

/** Builds SRP's tables (a few milliseconds) now, so the first sign-in does not pay for them. */
export function precomputeSrp() {
  loaded().cw_precompute_srp();
}

/** `SECRET_HASH` for a username: base64(HMAC-SHA256(clientSecret, username + clientId)). */
export function secretHash(clientSecret, username, clientId) {
  return ask('secret_hash', json('arguments', [clientSecret, username, clientId]));
}

/** The TIMESTAMP of a password claim for a time in milliseconds since the epoch. */
export function srpTimestamp(epochMs) {
  return ask('srp_timestamp', '', [Number(epochMs)]);
}
