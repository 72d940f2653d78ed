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
const ready = import(GLUE).then(async (m) => { await m.default(); m.precomputeSrp(); return m; });
const sessions = new Map();
let nextSession = 1;
const fail = (message) => Object.assign(new Error(message), { name: "PlatformError" });
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
}

/// A session: its secret here, or the worker's handle for it.
pub(crate) enum Session {
    Inline(SrpClient),
    Worker(Value),
}

/// The page's one worker and the requests waiting for it.
struct Channel {
    worker: Worker,
    next_id: u32,
    pending: Rc<RefCell<Vec<(u32, Function, Function)>>>,
    /// Set by the error handler: the next request starts a new worker (the old one is dropped
    /// there, not inside its own handler).
    failed: Rc<Cell<bool>>,
    // Kept alive as long as the worker: they are its event handlers.
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(JsValue)>,
}

thread_local! {
    static CHANNEL: RefCell<Option<Channel>> = const { RefCell::new(None) };
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

    let waiting = pending.clone();
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
            reject.call1(&JsValue::NULL, &js_error(&text("name"), &text("message")))
        } else {
            resolve.call1(&JsValue::NULL, &field("result"))
        };
    });
    // A worker that cannot start (no module workers, a CSP without `worker-src blob:`) fails
    // every request waiting on it; the next sign-in starts a new one.
    let waiting = pending.clone();
    let failed = Rc::new(Cell::new(false));
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
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    Ok(Channel {
        worker,
        next_id: 1,
        pending,
        failed,
        _on_message: on_message,
        _on_error: on_error,
    })
}

/// Posts `message` (with a fresh id) to the worker, starting it if need be; the promise
/// settles with the worker's answer.
fn post(message: &Object) -> Result<Promise, Error> {
    CHANNEL.with(|cell| {
        let mut cell = cell.borrow_mut();
        if cell.as_ref().is_none_or(|c| c.failed.get()) {
            if let Some(old) = cell.take() {
                old.worker.terminate();
            }
            *cell = Some(start_worker()?);
        }
        // Set just above. // invariant
        let Some(channel) = cell.as_mut() else {
            return Err(Error::Platform("no SRP worker".into()));
        };
        let id = channel.next_id;
        channel.next_id = id.wrapping_add(1);
        let mut message = message.clone();
        message.insert("id", i64::from(id));
        let data = js_sys::JSON::parse(&Value::Object(message).to_json()).map_err(platform)?;
        let pending = channel.pending.clone();
        let promise = Promise::new(&mut |resolve, reject| {
            pending.borrow_mut().push((id, resolve, reject));
        });
        channel.worker.post_message(&data).map_err(platform)?;
        Ok(promise)
    })
}

impl BrowserSrp {
    async fn call(&self, message: Object) -> Result<Object, Error> {
        let answer = JsFuture::from(post(&message)?)
            .await
            .map_err(worker_error)?;
        let text = js_sys::JSON::stringify(&answer)
            .ok()
            .and_then(|t| t.as_string())
            .unwrap_or_default();
        json::parse_object(&text).map_err(|e| Error::Platform(e.message()))
    }
}

/// The worker's errors keep their kind: a challenge it cannot compute on is the server's
/// fault (MalformedResponseError) there as it is in line.
fn worker_error(e: JsValue) -> Error {
    let text = |k: &str| Reflect::get(&e, &k.into()).ok().and_then(|v| v.as_string());
    let message = text("message").unwrap_or_else(|| js_text(&e));
    match text("name").as_deref() {
        Some("MalformedResponseError") => Error::MalformedResponse(message),
        Some("InvalidInputError") => Error::InvalidInput(message),
        _ => Error::Platform(message),
    }
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
        let o = self.call(Object::new().with("op", "start")).await?;
        let handle = o
            .get("session")
            .cloned()
            .ok_or_else(|| Error::Platform("the SRP worker's answer lacks session".into()))?;
        Ok((Session::Worker(handle), answer(&o, "a")?))
    }

    async fn claim(
        &self,
        session: Session,
        pool_name: &str,
        password: &str,
        challenge: &PasswordVerifier<'_>,
        timestamp: &str,
    ) -> Result<String, Error> {
        let handle = match session {
            Session::Inline(secret) => {
                return InlineSrp
                    .claim(secret, pool_name, password, challenge, timestamp)
                    .await
            }
            Session::Worker(handle) => handle,
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
        answer(&self.call(message).await?, "signature")
    }
}
