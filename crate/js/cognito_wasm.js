// cognito-wasm's JS entry: CognitoClient, TokenVerifier, SrpSession, secretHash, decodeJwt.
//
// A driver, no rules: the wasm core (cognito_wasm_core.js, made by wasm-bindgen from
// crate/src/wasm/bindings.rs) checks options, builds every request, reads every answer, does
// SRP and the token checks, and names every error. This file only moves strings between it,
// fetch, WebCrypto and the SRP worker, and keeps the promises. Async Rust compiled to wasm
// was most of the module's bytes; here the same sequencing is a few hundred bytes. Calling
// fetch and WebCrypto from here, not through js-sys and web-sys, saves as much again.

import init, {
  initSync,
  ClientCore,
  VerifierCore,
  SrpCore,
  decodeJwt as decodeJwtJson,
  precomputeSrp,
  secretHash,
  srpTimestamp,
  compiledModule,
  wasmMemory,
} from './cognito_wasm_core.js';

export { init as default, initSync, precomputeSrp, secretHash, srpTimestamp };

/** An Error whose `name` (and `code`, as amazon-cognito-identity-js has it) says what failed. */
function error(name, message, status) {
  const e = new Error(message);
  e.name = name;
  e.code = name;
  if (status !== undefined) e.status = status;
  return e;
}

/** The core's errors arrive as `name \n status \n message`; anything else is passed on. */
function fail(e) {
  if (typeof e !== 'string') return e;
  const i = e.indexOf('\n');
  const j = e.indexOf('\n', i + 1);
  return error(e.slice(0, i), e.slice(j + 1), j > i + 1 ? Number(e.slice(i + 1, j)) : undefined);
}

function guarded(f) {
  try {
    return f();
  } catch (e) {
    throw fail(e);
  }
}

/** Half of a surrogate pair, alone: what `String.prototype.toWellFormed` replaces. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** `value` as JSON for the core. Strings are made well-formed first (a lone surrogate, half an
 *  emoji, becomes U+FFFD, as text passed to wasm always did), since the core's strict parser
 *  refuses lone surrogates. */
function json(what, value) {
  try {
    return JSON.stringify(value ?? null, (_, v) =>
      typeof v === 'string' ? v.replace(LONE_SURROGATE, '\uFFFD') : v,
    );
  } catch (e) {
    throw error('InvalidInputError', `invalid input: ${what}: ${e.message}`);
  }
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
  #ms;
  #srp;

  /** Checks the options' shape; sends nothing. */
  constructor(options) {
    const core = guarded(() => new ClientCore(json('CognitoClient options', options)));
    this.#owner = new Owner(core);
    this.#endpoint = url('endpoint', core.endpoint);
    this.#ms = ms(options.timeoutMs, 10000);
    this.#srp = options.srpWorker ? inWorker : inLine;
  }

  #call(op, args) {
    return this.#owner.run((core) => call(core, this.#endpoint, this.#ms, op, args));
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
    return this.#owner.run(async (core) => {
      // The inputs checked first (the request itself needs SRP_A): a bad one must not start
      // the worker, nor wait for it.
      guarded(() => core.request('signInSrp', json('arguments', [username, password, ''])));
      const srp = this.#srp;
      const session = await srp.start(this.#ms);
      try {
        const args = [username, password, session.a];
        const first = await call(core, this.#endpoint, this.#ms, 'signInSrp', args);
        if (first.kind !== 'verifier') return first;
        const timestamp = srpTimestamp(Date.now());
        const parameters = json('challenge parameters', first.challenge.parameters);
        const claim = [core.poolName, password, parameters, timestamp];
        const signature = await srp.claim(session, claim, this.#ms);
        const answer = [first.challenge, timestamp, signature];
        return await call(core, this.#endpoint, this.#ms, 'passwordVerifier', answer);
      } finally {
        srp.end(session);
      }
    });
  }
}

/** One operation: the core's request for `args`, fetched, and the core's reading of the
 *  answer. */
async function call(core, endpoint, timeout, op, args) {
  const request = guarded(() => core.request(op, json('arguments', args)));
  const at = request.indexOf('\n');
  const init = {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': request.slice(0, at),
    },
    body: request.slice(at + 1),
  };
  const [status, kind, body] = await send(endpoint, init, timeout);
  return JSON.parse(guarded(() => core.answer(op, status, kind, body))) ?? undefined;
}

/** SRP's arithmetic on this thread. */
const inLine = {
  async start() {
    const s = guarded(() => new SrpCore());
    return { s, a: s.publicA };
  },
  async claim({ s }, claim) {
    return guarded(() => s.passwordClaim(...claim));
  },
  end({ s }) {
    s.free();
  },
};

// SRP's arithmetic in a module worker (`srpWorker: true`), so the page never waits on it.
// Its script is a Blob around this package's core module (no file of its own to serve); the
// compiled module goes with the first message. A CSP must allow `worker-src blob:`.
const WORKER = `
let ready;
const sessions = new Map();
let next = 1;
self.onmessage = async ({ data }) => {
  const { id, op } = data;
  try {
    ready ??= import(CORE).then(async (m) => {
      await m.default({ module_or_path: data.module });
      m.precomputeSrp();
      return m;
    });
    const m = await ready;
    const s = sessions.get(data.session);
    sessions.delete(data.session);
    if (op === 'end') return s?.free();
    let result;
    if (op === 'start') {
      const s = new m.SrpCore();
      sessions.set(next, s);
      result = { session: next++, a: s.publicA };
    } else {
      if (!s) throw 'PlatformError\\n\\nplatform: unknown SRP session';
      try {
        result = s.passwordClaim(...data.claim);
      } finally {
        s.free();
      }
    }
    self.postMessage({ id, result });
  } catch (e) {
    const error = typeof e === 'string' ? e : { name: e?.name ?? 'Error', message: String(e?.message ?? e) };
    self.postMessage({ id, error });
  }
};`;

/** The page's one SRP worker, and its requests waiting for an answer. */
let worker = null;
let generation = 0;

function startWorker() {
  const base = new URL('./cognito_wasm_core.js', import.meta.url).href;
  const script = `const CORE = ${JSON.stringify(base)};${WORKER}`;
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

/** Posts `message` to the worker; for a session's message, only the worker that has it. */
function post(message, timeout, session) {
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
      w.worker.postMessage({ ...message, id });
    } catch (e) {
      w.pending.delete(id);
      clearTimeout(timer);
      reject(error('PlatformError', `platform: ${e}`));
    }
  }).then((result) => [result, w.generation]);
}

const inWorker = {
  async start(timeout) {
    const [{ session, a }, generation] = await post({ op: 'start' }, timeout);
    return { handle: session, generation, a };
  },
  async claim(session, claim, timeout) {
    session.claimed = true;
    return (await post({ op: 'claim', claim }, timeout, session))[0];
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
  /** The CryptoKeys imported, by the index the core keeps for each kid. */
  #keys = [];
  #fetching = null;
  #lastFetch = -Infinity;
  #lastError = null;

  /** Checks the options; fetches nothing until the first token (or `prefetch`). */
  constructor(options) {
    const core = guarded(() => new VerifierCore(json('TokenVerifier options', options)));
    this.#owner = new Owner(core);
    this.#uri = url('jwksUri', core.jwksUri);
    this.#ms = ms(options.timeoutMs, 3000);
  }

  /** Resolves to the token's claims, or rejects with the reason as `error.name`. */
  async verify(token) {
    const core = this.#owner.enter();
    try {
      const id = this.#next++ >>> 0;
      let plan = core.verify(token, id);
      if (plan === undefined) {
        await this.#prepare(core, token);
        plan = core.verify(token, id);
      }
      if (plan === undefined) throw 'JwksValidationError\n\ninvalid JWKS: the key was replaced';
      // [key, signed input, its length, signature, its length]: views of wasm memory, which
      // WebCrypto copies before `verify` returns (so a later growth cannot detach them).
      const [key, at, length, sigAt, sigLength] = plan;
      const memory = wasmMemory().buffer;
      let valid = false;
      let rejected;
      try {
        const signature = new Uint8Array(memory, sigAt, sigLength);
        const data = new Uint8Array(memory, at, length);
        valid = (await subtle().verify(RS256, this.#keys[key], signature, data)) === true;
      } catch (e) {
        rejected = String(e?.message ?? e);
      }
      return JSON.parse(core.finish(id, valid, rejected));
    } catch (e) {
      throw fail(e);
    } finally {
      this.#owner.leave();
    }
  }

  /** Imports the token's key, fetching the JWKS first when it does not list the kid. */
  async #prepare(core, token) {
    let jwk = core.importKey(token, false);
    if (jwk === undefined) {
      await this.#refresh(core, false);
      jwk = core.importKey(token, true);
      // The fetch found the kid (a first fetch, or a rotation): no pause owed.
      this.#lastFetch = -Infinity;
    }
    let imported;
    try {
      imported = await subtle().importKey('jwk', JSON.parse(jwk), RS256, false, ['verify']);
    } catch (e) {
      throw e?.name === 'PlatformError' ? e : error('PlatformError', `platform crypto: ${e}`);
    }
    core.addKey(token, this.#keys.push(imported) - 1);
  }

  /** Fetches the JWKS unless a fetch is running (then waits for it) or the last one that
   *  failed or lacked a wanted kid is under 10 s old (unless `force`), as aws-jwt-verify. */
  #refresh(core, force) {
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
        guarded(() => core.jwksFetched(status, kind, body));
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
    guarded(() => this.#owner.core.cacheJwks(text));
    this.#lastError = null;
  }

  /** Fetches the JWKS now, so the first verification does not wait for it. */
  prefetch() {
    return this.#owner.run((core) => this.#refresh(core, true));
  }

  /** Frees the wasm memory now (or when the verifications under way end) rather than when
   *  the object is collected. */
  free() {
    this.#owner.free();
  }
}

/** The client side of one SRP sign-in, for custom flows: `publicA` goes to InitiateAuth as
 *  SRP_A, then `passwordClaim` answers PASSWORD_VERIFIER. `signInSrp` does all of this. */
export class SrpSession {
  #s = guarded(() => new SrpCore());

  get publicA() {
    return this.#s.publicA;
  }

  passwordClaim(poolName, password, parameters, timestamp) {
    const p = json('challenge parameters', parameters);
    return guarded(() => this.#s.passwordClaim(poolName, password, p, timestamp));
  }

  free() {
    this.#s.free();
  }
}

for (const c of [CognitoClient, TokenVerifier, SrpSession]) {
  if (Symbol.dispose) c.prototype[Symbol.dispose] = c.prototype.free;
}

/** A token's claims WITHOUT verification: for display, never for decisions. */
export function decodeJwt(token) {
  return JSON.parse(guarded(() => decodeJwtJson(token)));
}
