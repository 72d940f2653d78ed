// SRP's arithmetic in a Web Worker, for `new CognitoClient({ srpWorker: true })`. One file, two
// roles: imported on the page (by the package's glue), it exports srpWorkerCall, which starts
// this same file as a module worker on first use and matches answers to requests by id; run as
// that worker, it loads the package (wasm-bindgen puts this file in
// pkg/snippets/<crate>-<hash>/js/, three levels below the glue) and answers:
//   { id, op: "start" }  -> { id, result: { session, a } }
//   { id, op: "claim", session, poolName, password, parameters, timestamp }
//                        -> { id, result: { signature } }
// or { id, error: { name, message } }. A session's secret `a` never leaves the worker; the
// password is there only for its one claim. Nothing is stored or logged.

const inWorker =
  typeof WorkerGlobalScope !== "undefined" && self instanceof WorkerGlobalScope;

// ---- the page's side

let worker;
let nextId = 1;
const pending = new Map();

function platformError(message) {
  return Object.assign(new Error(message), { name: "PlatformError" });
}

export function srpWorkerCall(message) {
  if (!worker) {
    worker = new Worker(import.meta.url, { type: "module", name: "cognito-wasm SRP" });
    worker.onmessage = (event) => {
      const { id, result, error } = event.data;
      const request = pending.get(id);
      if (!request) return;
      pending.delete(id);
      if (error) {
        request.reject(Object.assign(new Error(error.message), { name: error.name }));
      } else {
        request.resolve(result);
      }
    };
    // A worker that cannot start (no module workers, a CSP that forbids them) fails every
    // request waiting on it; the next sign-in tries a new one.
    worker.onerror = (event) => {
      event.preventDefault?.();
      worker = undefined;
      const failed = [...pending.values()];
      pending.clear();
      for (const { reject } of failed) {
        reject(platformError(`the SRP worker failed: ${event.message || "it could not start"}`));
      }
    };
  }
  return new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { resolve, reject });
    worker.postMessage({ id, ...message });
  });
}

// ---- the worker's side

if (inWorker) {
  const ready = import(new URL("../../../cognito_wasm.js", import.meta.url).href).then(
    async (m) => {
      await m.default();
      m.precomputeSrp();
      return m;
    },
  );
  const sessions = new Map();
  let nextSession = 1;

  self.onmessage = async (event) => {
    const { id, op } = event.data;
    try {
      const m = await ready;
      let result;
      if (op === "start") {
        const session = new m.SrpSession();
        const handle = nextSession++;
        sessions.set(handle, session);
        result = { session: handle, a: session.publicA };
      } else if (op === "claim") {
        const { session: handle, poolName, password, parameters, timestamp } = event.data;
        const session = sessions.get(handle);
        sessions.delete(handle);
        if (!session) throw platformError("unknown SRP session");
        try {
          result = { signature: session.passwordClaim(poolName, password, parameters, timestamp) };
        } finally {
          session.free();
        }
      } else {
        throw platformError(`unknown operation ${op}`);
      }
      self.postMessage({ id, result });
    } catch (e) {
      self.postMessage({ id, error: { name: e?.name ?? "Error", message: String(e?.message ?? e) } });
    }
  };
}
