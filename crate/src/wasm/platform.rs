//! The browser [`Platform`]: fetch (credentials omitted, time-out by `AbortSignal.timeout`),
//! `Date.now`, and WebCrypto for RS256. Works in windows and workers alike: everything is
//! taken from the global scope.

use crate::prelude::*;

use js_sys::Reflect;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    AbortSignal, Headers, Request, RequestCredentials, RequestInit, RequestMode, Response,
};

use super::js_text::js_text;
use crate::error::Error;
use crate::platform::{HttpResponse, Platform};

#[wasm_bindgen]
extern "C" {
    /// The global `fetch`, in a window or a worker.
    #[wasm_bindgen(js_name = fetch)]
    fn global_fetch(request: &Request) -> js_sys::Promise;
}

/// fetch + Date.now + WebCrypto: the Rust API in a page or a worker (a Yew or Leptos app).
/// WebCrypto needs a secure context (https or localhost); the `rust-rsa` feature does
/// without it.
///
/// ```no_run
/// use std::rc::Rc;
///
/// use cognito_wasm::{Client, ClientConfig, SignInResult, Tokens, WebPlatform};
///
/// fn client() -> Result<Rc<Client<WebPlatform>>, cognito_wasm::Error> {
///     let config = ClientConfig {
///         user_pool_id: "us-east-1_AbC123xyz".into(),
///         client_id: "4tq8a9c1h2e3f4g5h6i7j8k9l0".into(),
///         ..ClientConfig::default()
///     };
///     Client::new(config, WebPlatform::new(10_000)).map(Rc::new)
/// }
///
/// // Spawned with `wasm_bindgen_futures::spawn_local` from a form's submit handler.
/// async fn sign_in(
///     client: Rc<Client<WebPlatform>>,
///     user: String,
///     password: String,
/// ) -> Option<Tokens> {
///     match client.sign_in_srp(&user, &password).await {
///         Ok(SignInResult::Tokens(tokens)) => Some(tokens),
///         Ok(SignInResult::Challenge(_)) | Err(_) => None,
///     }
/// }
/// ```
#[derive(Clone, Debug)]
pub struct WebPlatform {
    timeout_ms: u32,
}

impl WebPlatform {
    /// Requests give up after `timeout_ms` milliseconds.
    pub fn new(timeout_ms: u32) -> WebPlatform {
        WebPlatform { timeout_ms }
    }

    async fn send(&self, url: &str, init: RequestInit) -> Result<HttpResponse, Error> {
        init.set_credentials(RequestCredentials::Omit);
        init.set_mode(RequestMode::Cors);
        init.set_signal(Some(&AbortSignal::timeout_with_u32(self.timeout_ms)));
        let request = Request::new_with_str_and_init(url, &init)
            .map_err(|e| Error::invalid_input(js_text(&e)))?;
        let response: Response = JsFuture::from(global_fetch(&request))
            .await
            .map_err(fetch_error)?
            .dyn_into()
            .map_err(|_| Error::malformed("fetch did not give a Response"))?;
        let error_type = response.headers().get("x-amzn-errortype").ok().flatten();
        let text = response.text().map_err(fetch_error)?;
        let body = JsFuture::from(text)
            .await
            .map_err(fetch_error)?
            .as_string()
            .unwrap_or_default();
        Ok(HttpResponse {
            status: response.status(),
            body,
            error_type,
        })
    }
}

/// A rejected fetch: `TimeoutError` (our signal), else a network failure (offline, CORS, DNS).
fn fetch_error(e: JsValue) -> Error {
    let name = Reflect::get(&e, &"name".into())
        .ok()
        .and_then(|n| n.as_string());
    match name.as_deref() {
        Some("TimeoutError") | Some("AbortError") => Error::Timeout,
        _ => Error::Network(js_text(&e)),
    }
}

impl Platform for WebPlatform {
    #[cfg(not(feature = "rust-rsa"))]
    type Key = web_sys::CryptoKey;
    #[cfg(feature = "rust-rsa")]
    type Key = crate::rs256::Key;

    async fn post_json(
        &self,
        url: &str,
        target: &str,
        body: String,
    ) -> Result<HttpResponse, Error> {
        let headers = Headers::new().map_err(|e| Error::Platform(js_text(&e)))?;
        headers
            .set("content-type", "application/x-amz-json-1.1")
            .and_then(|_| headers.set("x-amz-target", target))
            .map_err(|e| Error::invalid_input(js_text(&e)))?;
        let init = RequestInit::new();
        init.set_method("POST");
        init.set_headers(&headers);
        init.set_body(&JsValue::from_str(&body));
        self.send(url, init).await
    }

    async fn get(&self, url: &str) -> Result<HttpResponse, Error> {
        let init = RequestInit::new();
        init.set_method("GET");
        self.send(url, init).await
    }

    fn now(&self) -> f64 {
        js_sys::Date::now() / 1000.0
    }

    async fn import_rsa_key(&self, modulus: &[u8], exponent: &[u8]) -> Result<Self::Key, String> {
        #[cfg(feature = "rust-rsa")]
        return crate::rs256::import(modulus, exponent);
        #[cfg(not(feature = "rust-rsa"))]
        return super::webcrypto::import(modulus, exponent).await;
    }

    async fn verify_rs256(
        &self,
        key: &Self::Key,
        message: &[u8],
        signature: &[u8],
    ) -> Result<bool, String> {
        #[cfg(feature = "rust-rsa")]
        return Ok(crate::rs256::verify(key, message, signature));
        #[cfg(not(feature = "rust-rsa"))]
        return super::webcrypto::verify(key, message, signature).await;
    }
}
