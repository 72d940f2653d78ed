//! SRP's arithmetic in a Web Worker: the [`SrpProver`] behind
//! `new CognitoClient({ srpWorker: true })`.
//!
//! One sign-in costs milliseconds of arithmetic on a desktop, several times that on a slow
//! phone, and in line it all lands on the page's main thread. With the option, one module
//! worker per page (started at the first SRP sign-in) loads this same package and keeps each
//! session's secret `a`; the page only posts `start` (answered with SRP_A) and `claim`
//! (answered with the signature).
//!
//! The worker's script is made here, as a Blob, around the URL of this package's glue module
//! (`import.meta.url`, read in the glue): no file of its own, so the package's load gains no
//! request (a JS snippet imported by the glue cost every page ~15 ms of cold start, measured),
//! and it works wherever the package is served from. A Content-Security-Policy must allow
//! `worker-src blob:` for it.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Array, Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, BlobPropertyBag, MessageEvent, Url, Worker, WorkerOptions, WorkerType};

use super::platform::js_text;
use crate::api::{InlineSrp, SrpProver};
use crate::error::Error;
use crate::json::{self, quoted, Object, Value};
use crate::srp::{PasswordVerifier, SrpClient};

#[wasm_bindgen]
extern "C" {
    /// The URL of this package's JS glue: `import.meta.url` evaluated in the glue module.
    #[wasm_bindgen(thread_local_v2, js_namespace = ["import", "meta"], js_name = url)]
    static GLUE_URL: String;
}

/// The worker's script, after `const GLUE = "<url of the glue>";`. It answers
/// `{ id, op: "start" }` with `{ id, result: { session, a } }`, and
/// `{ id, op: "claim", session, poolName, password, parameters, timestamp }` with
/// `{ id, result: { signature } }`, or `{ id, error: { name, message } }`. The password is
/// there only for its one claim; nothing is stored or logged.
const WORKER_SCRIPT: &str = r#"
// The page's compiled module comes with the first message: no second fetch or compile, and
// no guessing where the wasm file lives.
let ready;
const load = (module) =>
  import(GLUE).then(async (m) => { await m.default({ module_or_path: module }); m.precomputeSrp(); return m; });
const sessions = new Map();
let nextSession = 1;
const fail = (message) => Object.assign(new Error(message), { name: "PlatformError" });
self.onmessage = async (event) => {
  const { id, op } = event.data;
  try {
    if (!ready) ready = load(event.data.module);
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
      if (!session) throw fail("unknown SRP session");
      try {
        result = { signature: session.passwordClaim(poolName, password, parameters, timestamp) };
      } finally {
        session.free();
      }
    } else {
      throw fail("unknown operation " + op);
    }
    self.postMessage({ id, result });
  } catch (e) {
    self.postMessage({ id, error: { name: e?.name ?? "Error", message: String(e?.message ?? e) } });
  }
};
"#;

/// SRP in line or in the worker, as the client's options say. One type for both, so the
/// sign-in's state machine exists once in the wasm.
pub(crate) struct BrowserSrp {
    pub(crate) in_worker: bool,
    /// How long a worker request may take (the client's `timeoutMs`): a worker that dies
    /// without an error event must not leave a sign-in waiting forever.
    pub(crate) timeout_ms: u32,
}

/// A session: its secret here, or the worker's handle for it and which worker holds it.
pub(crate) enum Session {
    Inline(SrpClient),
    Worker { handle: Value, generation: u32 },
}

/// The page's one worker and the requests waiting for it.
struct Channel {
    worker: Worker,
    /// Which worker this is: a session started in one is unknown to its successor.
    generation: u32,
    next_id: u32,
    /// Whether the compiled module went with a message yet (the worker needs it once).
    module_sent: bool,
    pending: Rc<RefCell<Vec<(u32, Function, Function)>>>,
    /// Set by the error handler: the next request starts a new worker (the old one is dropped
    /// there, not inside its own handler).
    failed: Rc<Cell<bool>>,
    // Kept alive as long as the worker: they are its event handlers.
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(JsValue)>,
    /// Rejects the request whose id it is given with TimeoutError, if still waiting.
    on_timeout: Closure<dyn FnMut(u32)>,
}

thread_local! {
    static CHANNEL: RefCell<Option<Channel>> = const { RefCell::new(None) };
    static GENERATION: Cell<u32> = const { Cell::new(0) };
}

#[wasm_bindgen]
extern "C" {
    /// The global `setTimeout`, in a window or a worker.
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(callback: &JsValue, ms: f64) -> JsValue;
}

fn platform(e: JsValue) -> Error {
    Error::Platform(js_text(&e))
}

fn js_error(name: &str, message: &str) -> JsValue {
    let e = js_sys::Error::new(message);
    e.set_name(name);
    e.into()
}

fn start_worker() -> Result<Channel, Error> {
    let mut script = String::from("const GLUE = ");
    script.push_str(&quoted(&GLUE_URL.with(String::clone)));
    script.push(';');
    script.push_str(WORKER_SCRIPT);
    let bag = BlobPropertyBag::new();
    bag.set_type("text/javascript");
    let blob = Blob::new_with_str_sequence_and_options(&Array::of1(&script.into()), &bag)
        .map_err(platform)?;
    let url = Url::create_object_url_with_blob(&blob).map_err(platform)?;
    let options = WorkerOptions::new();
    options.set_type(WorkerType::Module);
    options.set_name("cognito-wasm SRP");
    let worker = Worker::new_with_options(&url, &options).map_err(platform)?;
    let pending: Rc<RefCell<Vec<(u32, Function, Function)>>> = Rc::default();
    let failed = Rc::new(Cell::new(false));

    let waiting = pending.clone();
    let failed_on_message = failed.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let data = event.data();
        let field = |k: &str| Reflect::get(&data, &k.into()).unwrap_or(JsValue::UNDEFINED);
        let id = field("id").as_f64().unwrap_or(-1.0);
        let mut list = waiting.borrow_mut();
        let Some(at) = list.iter().position(|(i, _, _)| f64::from(*i) == id) else {
            return;
        };
        let (_, resolve, reject) = list.swap_remove(at);
        drop(list);
        let error = field("error");
        let _ = if error.is_object() {
            let text = |k: &str| {
                Reflect::get(&error, &k.into())
                    .ok()
                    .and_then(|v| v.as_string())
                    .unwrap_or_default()
            };
            // A trap (a Rust panic) leaves that wasm instance unusable: start afresh next time.
            if text("name") == "RuntimeError" {
                failed_on_message.set(true);
            }
            reject.call1(&JsValue::NULL, &js_error(&text("name"), &text("message")))
        } else {
            resolve.call1(&JsValue::NULL, &field("result"))
        };
    });
    // A worker that cannot start (no module workers, a CSP without `worker-src blob:`) fails
    // every request waiting on it; the next sign-in starts a new one.
    let waiting = pending.clone();
    let failed_here = failed.clone();
    let on_error = Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
        failed_here.set(true);
        let message = Reflect::get(&event, &"message".into())
            .ok()
            .and_then(|m| m.as_string())
            .unwrap_or_else(|| "it could not start".into());
        let error = js_error(
            "PlatformError",
            &["the SRP worker failed: ", &message].concat(),
        );
        let rejected: Vec<_> = waiting.borrow_mut().drain(..).collect();
        for (_, _, reject) in rejected {
            let _ = reject.call1(&JsValue::NULL, &error);
        }
    });
    let waiting = pending.clone();
    let on_timeout = Closure::<dyn FnMut(u32)>::new(move |id: u32| {
        let mut list = waiting.borrow_mut();
        let Some(at) = list.iter().position(|(i, _, _)| *i == id) else {
            return;
        };
        let (_, _, reject) = list.swap_remove(at);
        drop(list);
        let error = js_error("TimeoutError", "the SRP worker did not answer in time");
        let _ = reject.call1(&JsValue::NULL, &error);
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    let generation = GENERATION.with(|g| {
        g.set(g.get().wrapping_add(1));
        g.get()
    });
    Ok(Channel {
        worker,
        generation,
        next_id: 1,
        module_sent: false,
        pending,
        failed,
        _on_message: on_message,
        _on_error: on_error,
        on_timeout,
    })
}

/// Posts `message` (with a fresh id) to the worker, starting it if need be (unless the
/// message belongs to a session of `generation`, which only that worker knows); the promise
/// settles with the worker's answer, or with TimeoutError after `timeout_ms`.
fn post(
    message: &Object,
    generation: Option<u32>,
    timeout_ms: u32,
) -> Result<(Promise, u32), Error> {
    CHANNEL.with(|cell| {
        let mut cell = cell.borrow_mut();
        let usable = cell
            .as_ref()
            .filter(|c| !c.failed.get())
            .map(|c| c.generation);
        match (usable, generation) {
            (Some(now), Some(wanted)) if now != wanted => return Err(restarted()),
            (None, Some(_)) => return Err(restarted()),
            (None, None) => {
                if let Some(old) = cell.take() {
                    old.worker.terminate();
                }
                *cell = Some(start_worker()?);
            }
            _ => {}
        }
        // Set just above, or found usable. // invariant
        let Some(channel) = cell.as_mut() else {
            return Err(Error::Platform("no SRP worker".into()));
        };
        let id = channel.next_id;
        channel.next_id = id.wrapping_add(1);
        let data =
            js_sys::JSON::parse(&Value::Object(message.clone()).to_json()).map_err(platform)?;
        let _ = Reflect::set(&data, &"id".into(), &id.into());
        if !channel.module_sent {
            let _ = Reflect::set(&data, &"module".into(), &wasm_bindgen::module());
            channel.module_sent = true;
        }
        let pending = channel.pending.clone();
        let promise = Promise::new(&mut |resolve, reject| {
            pending.borrow_mut().push((id, resolve, reject));
        });
        if let Err(e) = channel.worker.post_message(&data) {
            channel.pending.borrow_mut().retain(|(i, _, _)| *i != id);
            return Err(platform(e));
        }
        let on_timeout: &Function = channel.on_timeout.as_ref().unchecked_ref();
        let expire = on_timeout.bind1(&JsValue::NULL, &id.into());
        set_timeout(&expire, f64::from(timeout_ms));
        Ok((promise, channel.generation))
    })
}

fn restarted() -> Error {
    Error::Platform("the SRP worker was restarted during this sign-in; sign in again".into())
}

impl BrowserSrp {
    /// One request to the worker (a new session's when `generation` is `None`); the answer,
    /// and which worker gave it.
    async fn call(&self, message: Object, generation: Option<u32>) -> Result<(Object, u32), Error> {
        let (promise, generation) = post(&message, generation, self.timeout_ms)?;
        let answer = JsFuture::from(promise).await.map_err(worker_error)?;
        let text = js_sys::JSON::stringify(&answer)
            .ok()
            .and_then(|t| t.as_string())
            .unwrap_or_default();
        let answer = json::parse_object(&text).map_err(|e| Error::Platform(e.message()))?;
        Ok((answer, generation))
    }
}

/// The worker's errors keep their kind and message: a challenge it cannot compute on is the
/// server's fault (MalformedResponseError) there as it is in line.
fn worker_error(e: JsValue) -> Error {
    let text = |k: &str| Reflect::get(&e, &k.into()).ok().and_then(|v| v.as_string());
    let message = text("message").unwrap_or_else(|| js_text(&e));
    Error::from_name_and_text(text("name").as_deref().unwrap_or_default(), &message)
}

fn answer(o: &Object, key: &str) -> Result<String, Error> {
    o.get(key)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| Error::Platform(["the SRP worker's answer lacks ", key].concat()))
}

impl SrpProver for BrowserSrp {
    type Session = Session;

    async fn start(&self) -> Result<(Session, String), Error> {
        if !self.in_worker {
            let (secret, a) = InlineSrp.start().await?;
            return Ok((Session::Inline(secret), a));
        }
        let (o, generation) = self.call(Object::new().with("op", "start"), None).await?;
        let handle = o
            .get("session")
            .cloned()
            .ok_or_else(|| Error::Platform("the SRP worker's answer lacks session".into()))?;
        Ok((Session::Worker { handle, generation }, answer(&o, "a")?))
    }

    async fn claim(
        &self,
        session: Session,
        pool_name: &str,
        password: &str,
        challenge: &PasswordVerifier<'_>,
        timestamp: &str,
    ) -> Result<String, Error> {
        let (handle, generation) = match session {
            Session::Inline(secret) => {
                return InlineSrp
                    .claim(secret, pool_name, password, challenge, timestamp)
                    .await
            }
            Session::Worker { handle, generation } => (handle, generation),
        };
        let parameters = Object::new()
            .with("SRP_B", challenge.srp_b)
            .with("SALT", challenge.salt)
            .with("SECRET_BLOCK", challenge.secret_block)
            .with("USER_ID_FOR_SRP", challenge.user_id_for_srp);
        let message = Object::new()
            .with("op", "claim")
            .with("session", handle)
            .with("poolName", pool_name)
            .with("password", password)
            .with("parameters", parameters)
            .with("timestamp", timestamp);
        let (o, _) = self.call(message, Some(generation)).await?;
        answer(&o, "signature")
    }
}
