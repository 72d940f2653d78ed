// `srpWorker: true`: the SRP sign-in's arithmetic in one Web Worker per page, so the page
// never waits on it.

import { error, fail } from './errors.js';
import { compiledModule, json } from './mailbox.js';
import { random } from './srp.js';

// Its script is a Blob that instantiates the compiled core the first message brings (the
// core imports nothing, so no loader and no import: bundlers have nothing to rewrite) and
// talks to the core's mailbox itself. A CSP must allow `worker-src blob:`.
/** The worker's script: this function's source. It is a function, not a string, so that
 *  minifiers shrink it too; it uses nothing from outside (nor may it: a bundler that lowers
 *  syntax with helpers of its own would break it). */
function srpWorker() {
  let ready;
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
      ready ??= WebAssembly.instantiate(data.module, {}).then(
        ({ exports: w }) => {
          w.cw_precompute_srp();
          return w;
        },
        (e) => {
          ready = undefined;
          throw e;
        },
      );
      const w = await ready;
      // A session is the core's handle of its SrpClient (never reused; a stale one is the
      // core's PlatformError), freed once it has made its claim or is abandoned.
      const s = data.session;
      if (op === 'end') return w.cw_srp_free(s);
      let result;
      if (op === 'start') {
        const made = ask(w, 'srp_new', data.secret);
        data.secret.fill(0);
        const at = made.indexOf('\n');
        result = { session: Number(made.slice(0, at)), a: made.slice(at + 1) };
      } else {
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

/** Why the worker cannot run, for the error: the CSP directive it needs. */
const NEEDS = 'if the page has a Content-Security-Policy, it must allow `worker-src blob:`';

function startWorker() {
  if (typeof Worker !== 'function') {
    const why = 'platform: srpWorker needs Web Workers, which this platform lacks (in Node, leave it off)';
    throw error('PlatformError', why);
  }
  const script = `(${srpWorker})()`;
  const url = URL.createObjectURL(new Blob([script], { type: 'text/javascript' }));
  let created;
  try {
    created = new Worker(url, { name: 'cognito-wasm SRP' });
  } catch (e) {
    URL.revokeObjectURL(url);
    throw error('PlatformError', `platform: the SRP worker could not start (${NEEDS}): ${e?.message ?? e}`);
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
    // The core's own errors come as its text; anything else (a trap, a module that would
    // not instantiate, the core stopped) leaves the worker unusable: start afresh next time.
    if (typeof e === 'string') return p.reject(fail(e));
    w.failed = true;
    p.reject(error('PlatformError', `platform: the SRP worker failed: ${e.name}: ${e.message}`));
  };
  // A worker that cannot start (a CSP without `worker-src blob:`) fails
  // every request waiting on it; the next sign-in starts a new one.
  w.worker.onerror = (event) => {
    URL.revokeObjectURL(url);
    w.failed = true;
    const why = event.message || `it could not start (${NEEDS})`;
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
  if (!w.moduleSent) message.module = compiledModule();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      if (w.pending.delete(id)) reject(error('TimeoutError', 'the SRP worker did not answer in time'));
    }, timeout);
    w.pending.set(id, { resolve, reject, timer });
    try {
      w.worker.postMessage({ ...message, id }, transfer);
      w.moduleSent = true;
    } catch (e) {
      w.pending.delete(id);
      clearTimeout(timer);
      reject(error('PlatformError', `platform: ${e}`));
    }
  }).then((result) => [result, w.generation]);
}

export const inWorker = {
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
