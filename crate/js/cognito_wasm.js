// cognito-wasm's JS entry: CognitoClient, TokenVerifier, SrpSession, secretHash, decodeJwt.
//
// A driver, no rules: the wasm core (cognito_wasm_core.js, made by wasm-bindgen from
// crate/src/wasm/bindings.rs) checks options, builds every request, reads every answer, does
// SRP and the token checks, and names every error. This file only moves strings between it,
// fetch, WebCrypto and the SRP worker, and keeps the promises. Async Rust compiled to wasm
// was most of the module's bytes; here the same sequencing is a few hundred bytes.

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

function core(f) {
  try {
    return f();
  } catch (e) {
    throw fail(e);
  }
}

function json(what, value) {
  try {
    return JSON.stringify(value ?? null);
  } catch (e) {
    throw error('InvalidInputError', `invalid input: ${what}: ${e.message}`);
  }
}

/** One fetch, as the core reads it: [status, x-amzn-errortype, body], or [0, why, message]. */
async function send(url, init, ms) {
  try {
    const r = await fetch(url, {
      ...init,
      credentials: 'omit',
      mode: 'cors',
      signal: AbortSignal.timeout(ms),
    });
    return [r.status, r.headers.get('x-amzn-errortype') ?? '', await r.text()];
  } catch (e) {
    const timedOut = e?.name === 'TimeoutError' || e?.name === 'AbortError';
    return [0, timedOut ? 'TimeoutError' : 'NetworkError', String(e)];
  }
}

/** A Cognito user-pool client. Every method returns a Promise. */
export class CognitoClient {
  #core;
  #endpoint;
  #ms;
  #srp;

  /** Checks the options' shape; sends nothing. */
  constructor(options) {
    this.#core = core(() => new ClientCore(json('CognitoClient options', options)));
    this.#endpoint = this.#core.endpoint;
    this.#ms = options.timeoutMs ?? 10000;
    this.#srp = options.srpWorker ? inWorker : inLine;
  }

  async #call(op, args) {
    const request = core(() => this.#core.request(op, json('arguments', args)));
    const at = request.indexOf('\n');
    const init = {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': request.slice(0, at),
      },
      body: request.slice(at + 1),
    };
    const [status, kind, body] = await send(this.#endpoint, init, this.#ms);
    return JSON.parse(core(() => this.#core.answer(op, status, kind, body))) ?? undefined;
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

  /** Frees the wasm memory now rather than when the object is collected. */
  free() {
    this.#core.free();
  }

  /** USER_SRP_AUTH: SRP_A, Cognito's PASSWORD_VERIFIER, the password claim, its answer. */
  async signInSrp(username, password) {
    const srp = this.#srp;
    const session = await srp.start(this.#ms);
    try {
      const first = await this.#call('signInSrp', [username, password, session.a]);
      if (first.kind !== 'verifier') return first;
      const timestamp = srpTimestamp(Date.now());
      const parameters = JSON.stringify(first.challenge.parameters);
      const claim = [this.#core.poolName, password, parameters, timestamp];
      const signature = await srp.claim(session, claim, this.#ms);
      return await this.#call('passwordVerifier', [first.challenge, timestamp, signature]);
    } finally {
      srp.end(session);
    }
  }
}

/** SRP's arithmetic on this thread. */
const inLine = {
  async start() {
    const s = core(() => new SrpCore());
    return { s, a: s.publicA };
  },
  async claim({ s }, claim) {
    return core(() => s.passwordClaim(...claim));
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
  const w = {
    worker: new Worker(url, { type: 'module', name: 'cognito-wasm SRP' }),
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
    w.failed = true;
    const why = event.message || 'it could not start';
    const e = error('PlatformError', `platform: the SRP worker failed: ${why}`);
    for (const id of [...w.pending.keys()]) settle(id).reject(e);
  };
  return w;
}

/** Posts `message` to the worker; for a session's message, only the worker that has it. */
function post(message, ms, session) {
  let w = worker;
  if (session) {
    if (!w || w.failed || w.generation !== session.generation) {
      const why = 'platform: the SRP worker was restarted during this sign-in; sign in again';
      return Promise.reject(error('PlatformError', why));
    }
    message.session = session.handle;
  } else if (!w || w.failed) {
    w?.worker.terminate();
    w = worker = startWorker();
  }
  const id = w.next++;
  if (!w.moduleSent) {
    message.module = compiledModule();
    w.moduleSent = true;
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      if (w.pending.delete(id)) reject(error('TimeoutError', 'the SRP worker did not answer in time'));
    }, ms);
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
  async start(ms) {
    const [{ session, a }, generation] = await post({ op: 'start' }, ms);
    return { handle: session, generation, a };
  },
  async claim(session, claim, ms) {
    session.claimed = true;
    return (await post({ op: 'claim', claim }, ms, session))[0];
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
  #core;
  #uri;
  #ms;
  #next = 0;
  #fetching = null;
  #lastFetch = -Infinity;
  #lastError = null;

  /** Checks the options; fetches nothing until the first token (or `prefetch`). */
  constructor(options) {
    this.#core = core(() => new VerifierCore(json('TokenVerifier options', options)));
    this.#uri = this.#core.jwksUri;
    this.#ms = options.timeoutMs ?? 3000;
  }

  /** Resolves to the token's claims, or rejects with the reason as `error.name`. */
  async verify(token) {
    try {
      const id = this.#next++ >>> 0;
      let verdict = this.#core.verify(token, id);
      if (verdict === undefined) {
        await this.#prepare(token);
        verdict = this.#core.verify(token, id);
      }
      if (verdict === undefined) throw 'JwksValidationError\n\ninvalid JWKS: the key was replaced';
      let outcome;
      let rejected = false;
      try {
        outcome = await verdict;
      } catch (e) {
        [outcome, rejected] = [e, true];
      }
      return JSON.parse(this.#core.finish(id, outcome, rejected));
    } catch (e) {
      throw fail(e);
    }
  }

  /** Imports the token's key, fetching the JWKS first when it does not list the kid. */
  async #prepare(token) {
    let key = this.#core.importKey(token, false);
    if (key === null) {
      await this.#refresh(false);
      key = this.#core.importKey(token, true);
      // The fetch found the kid (a first fetch, or a rotation): no pause owed.
      this.#lastFetch = -Infinity;
    }
    let imported;
    try {
      imported = await key;
    } catch (e) {
      throw error('PlatformError', `platform crypto: ${e}`);
    }
    this.#core.addKey(token, imported);
  }

  /** Fetches the JWKS unless a fetch is running (then waits for it) or the last one that
   *  failed or lacked a wanted kid is under 10 s old (unless `force`), as aws-jwt-verify. */
  #refresh(force) {
    if (this.#fetching) return this.#fetching;
    const now = Date.now();
    if (!force && now >= this.#lastFetch && now - this.#lastFetch < 10000) {
      return this.#lastError ? Promise.reject(this.#lastError) : Promise.resolve();
    }
    this.#lastFetch = now;
    this.#fetching = (async () => {
      try {
        const [status, kind, body] = await send(this.#uri, { method: 'GET' }, this.#ms);
        core(() => this.#core.jwksFetched(status, kind, body));
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
    core(() => this.#core.cacheJwks(typeof jwks === 'string' ? jwks : json('JWKS', jwks)));
    this.#lastError = null;
  }

  /** Fetches the JWKS now, so the first verification does not wait for it. */
  async prefetch() {
    await this.#refresh(true);
  }

  /** Frees the wasm memory now rather than when the object is collected. */
  free() {
    this.#core.free();
  }
}

/** The client side of one SRP sign-in, for custom flows: `publicA` goes to InitiateAuth as
 *  SRP_A, then `passwordClaim` answers PASSWORD_VERIFIER. `signInSrp` does all of this. */
export class SrpSession {
  #s = core(() => new SrpCore());

  get publicA() {
    return this.#s.publicA;
  }

  passwordClaim(poolName, password, parameters, timestamp) {
    const p = json('challenge parameters', parameters);
    return core(() => this.#s.passwordClaim(poolName, password, p, timestamp));
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
  return JSON.parse(core(() => decodeJwtJson(token)));
}
