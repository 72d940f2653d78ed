// The core's mailbox (crate/src/wasm/exports): loading the wasm (it imports nothing, so this
// is WebAssembly.instantiate and no more), writing a call's input to its inbox, calling an
// export with numbers, reading the outbox; and the core's objects, which are handles freed
// with `free()` or when their owner is collected.

import { error, fail, stopped } from './errors.js';

/** The core's exports, once loaded, and the compiled module (the SRP worker instantiates
 *  it again: no second fetch, no guess where the wasm file is). */
export let wasm;
let compiled;
let loading;

/** The compiled core, for the SRP worker. */
export function compiledModule() {
  return compiled;
}

/** The core imports nothing: it gets the time and random bytes from the driver. */
const IMPORTS = {};

function loadFailed(e) {
  return e?.name === 'PlatformError'
    ? e
    : error('PlatformError', `platform: the wasm module could not be loaded: ${e?.message ?? e}`);
}

/** Loads and instantiates the core, once: from `input` (a URL, a Request or Response, the
 *  bytes or a compiled `WebAssembly.Module`; `{ module_or_path }` as wasm-bindgen's `init`
 *  takes it), by default from `fallback()` (the entry's URL of `cognito_wasm.wasm`, made only
 *  when needed: where `import.meta.url` is not a URL it throws, as a PlatformError). A failure
 *  is PlatformError, and the next call tries again. */
export function load(input, fallback) {
  if (wasm) return Promise.resolve(wasm);
  loading ??= instantiate(input, fallback).then(
    ({ instance, module }) => {
      // An `initSync` while this was under way won: keep its instance (its handles).
      if (!wasm) [wasm, compiled] = [instance.exports, module];
      return wasm;
    },
    (e) => {
      loading = undefined;
      throw loadFailed(e);
    },
  );
  return loading;
}

async function instantiate(input, fallback) {
  const options = input && Object.getPrototypeOf(input) === Object.prototype;
  let source = (options ? input.module_or_path : input) ?? fallback();
  if (`${source}`.startsWith('file:')) {
    // Node (its fetch reads no files): the file itself, by a module Node gives without an
    // import, which no bundler would then try to resolve for a browser.
    // Deno and Bun, without it, fetch file: URLs.
    const fs = globalThis.process?.getBuiltinModule?.('fs/promises');
    source = fs ? fs.readFile(new URL(`${source}`)) : fetch(source);
  } else if (typeof source === 'string' || source instanceof URL || (globalThis.Request && source instanceof Request)) {
    source = fetch(source);
  }
  source = await source;
  if (source instanceof WebAssembly.Module) {
    return { instance: await WebAssembly.instantiate(source, IMPORTS), module: source };
  }
  if (!(source instanceof Response)) return WebAssembly.instantiate(source, IMPORTS);
  if (!source.ok) throw new Error(`HTTP ${source.status} for ${source.url}`);
  // Streaming needs the `application/wasm` type; a server that sends another gets the
  // slower path, as wasm-bindgen's loader did.
  if (WebAssembly.instantiateStreaming && source.headers.get('content-type')?.startsWith('application/wasm')) {
    return WebAssembly.instantiateStreaming(source, IMPORTS);
  }
  return WebAssembly.instantiate(await source.arrayBuffer(), IMPORTS);
}

/** `load` from the bytes or a compiled module, synchronously. */
export function loadSync(input) {
  if (wasm) return wasm;
  try {
    const source = input?.module ?? input;
    const module = source instanceof WebAssembly.Module ? source : new WebAssembly.Module(source);
    wasm = new WebAssembly.Instance(module, IMPORTS).exports;
    compiled = module;
    return wasm;
  } catch (e) {
    throw loadFailed(e);
  }
}

export function loaded() {
  if (wasm) return wasm;
  throw error('PlatformError', 'platform: cognito-wasm is not loaded: await init() first');
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Calls the core's `cw_${fn}` with `input` (text or bytes) in its inbox and `args`: the
 *  reply (text, or a view of the outbox's bytes when `bytes`, valid until the next call),
 *  `null` when the core has nothing to say (status 2), or the core's error thrown. */
export function ask(fn, input, args = [], bytes = false) {
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

/** Half of a surrogate pair, alone: what `String.prototype.toWellFormed` replaces. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** `value` as JSON for the core. Strings are made well-formed first (a lone surrogate, half an
 *  emoji, becomes U+FFFD, as text passed to wasm always did), since the core's strict parser
 *  refuses lone surrogates. */
export function json(what, value) {
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
export function adopt(owner, kind, handle) {
  collected.register(owner, [kind, handle], owner);
  return {
    handle,
    free() {
      collected.unregister(owner);
      wasm[`cw_${kind}_free`](handle);
    },
  };
}

/** Frees a core once the calls under way have finished with it. */
export class Owner {
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
