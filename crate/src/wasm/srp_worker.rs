//! SRP's arithmetic in a Web Worker: the [`SrpProver`] behind
//! `new CognitoClient({ srpWorker: true })`.
//!
//! One sign-in costs ~15 ms of arithmetic on a desktop, but several times that on a slow phone,
//! and in line it all lands on the page's main thread. js/srp_worker.js is both sides: on the
//! page it starts one module worker (itself) and matches answers to requests; in the worker it
//! loads this same package, keeps each session's secret `a`, and answers `start` (SRP_A) and
//! `claim` (the signature). The page only posts messages.

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::platform::js_text;
use crate::api::{InlineSrp, SrpProver};
use crate::error::Error;
use crate::json::{self, Object, Value};
use crate::srp::{PasswordVerifier, SrpClient};

#[wasm_bindgen(module = "/js/srp_worker.js")]
extern "C" {
    #[wasm_bindgen(js_name = srpWorkerCall)]
    fn srp_worker_call(message: &JsValue) -> Promise;
}

/// SRP in line or in the worker (which starts on first use, one per page), as the client's
/// options say. One type for both, so the sign-in's state machine exists once in the wasm.
pub(crate) struct BrowserSrp {
    pub(crate) in_worker: bool,
}

/// A session: its secret here, or the worker's handle for it.
pub(crate) enum Session {
    Inline(SrpClient),
    Worker(String),
}

impl BrowserSrp {
    async fn call(&self, message: Object) -> Result<Object, Error> {
        let message = js_sys::JSON::parse(&Value::Object(message).to_json())
            .map_err(|e| Error::Platform(js_text(&e)))?;
        let answer = JsFuture::from(srp_worker_call(&message))
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
    let name = js_sys::Reflect::get(&e, &"name".into())
        .ok()
        .and_then(|n| n.as_string());
    let message = js_sys::Reflect::get(&e, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .unwrap_or_else(|| js_text(&e));
    match name.as_deref() {
        Some("MalformedResponseError") => Error::MalformedResponse(message),
        Some("InvalidInputError") => Error::InvalidInput(message),
        _ => Error::Platform(message),
    }
}

fn answer(o: &Object, key: &str) -> Result<String, Error> {
    o.get(key)
        .and_then(|v| match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.as_str().to_owned()),
            _ => None,
        })
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
        Ok((Session::Worker(answer(&o, "session")?), answer(&o, "a")?))
    }

    async fn claim(
        &self,
        session: Session,
        pool_name: &str,
        password: &str,
        challenge: &PasswordVerifier<'_>,
        timestamp: &str,
    ) -> Result<String, Error> {
        let session = match session {
            Session::Inline(secret) => {
                return InlineSrp
                    .claim(secret, pool_name, password, challenge, timestamp)
                    .await
            }
            Session::Worker(handle) => handle,
        };
        let handle = json::parse(&session).map_err(|e| Error::Platform(e.message()))?;
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
