//! The page's own small `fetch` with a few headers: the bearer token for the demo API, the
//! admin header for the emulator's helper routes (GETs, and the POST that moves its clock). Cognito's calls go through the library's `WebPlatform`.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    AbortSignal, Headers, Request, RequestCredentials, RequestInit, RequestMode, Response,
};

use crate::errors::Failure;

/// An HTTP answer, whatever its status.
pub struct Answer {
    pub status: u16,
    pub status_text: String,
    pub body: String,
}

/// `GET url` with `headers`. No cookies (the bearer token is the only credential), and a
/// time-out so a dead server cannot hang a button.
pub async fn get(url: &str, headers: &[(&str, &str)], timeout_ms: u32) -> Result<Answer, Failure> {
    send("GET", url, headers, None, timeout_ms).await
}

/// `POST url` with a JSON `body`, as [`get`] sends.
pub async fn post_json(
    url: &str,
    headers: &[(&str, &str)],
    body: &str,
    timeout_ms: u32,
) -> Result<Answer, Failure> {
    let mut all = headers.to_vec();
    all.push(("content-type", "application/json"));
    send("POST", url, &all, Some(body), timeout_ms).await
}

async fn send(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
    timeout_ms: u32,
) -> Result<Answer, Failure> {
    let init = RequestInit::new();
    init.set_method(method);
    if let Some(body) = body {
        init.set_body(&JsValue::from_str(body));
    }
    init.set_mode(RequestMode::Cors);
    init.set_credentials(RequestCredentials::Omit);
    init.set_signal(Some(&AbortSignal::timeout_with_u32(timeout_ms)));
    if !headers.is_empty() {
        let h = Headers::new().map_err(js_failure)?;
        for (name, value) in headers {
            h.set(name, value).map_err(js_failure)?;
        }
        init.set_headers(&h);
    }
    let request = Request::new_with_str_and_init(url, &init)
        .map_err(|e| Failure::new("InvalidInputError", format!("{url}: {}", js_text(&e))))?;
    let window = web_sys::window().ok_or_else(|| Failure::new("PlatformError", "no window"))?;
    let response: Response = JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(js_failure)?
        .dyn_into()
        .map_err(|_| Failure::new("MalformedResponseError", "fetch gave no Response"))?;
    let text = response.text().map_err(js_failure)?;
    let body = JsFuture::from(text)
        .await
        .map_err(js_failure)?
        .as_string()
        .unwrap_or_default();
    Ok(Answer {
        status: response.status(),
        status_text: response.status_text(),
        body,
    })
}

/// A rejected fetch: our time-out, or a network failure (offline, refused, CORS, DNS), which
/// the browser does not tell apart for us.
fn js_failure(e: JsValue) -> Failure {
    let name = js_sys::Reflect::get(&e, &"name".into())
        .ok()
        .and_then(|n| n.as_string());
    match name.as_deref() {
        Some("TimeoutError") | Some("AbortError") => Failure::new("TimeoutError", js_text(&e)),
        _ => Failure::new("NetworkError", js_text(&e)),
    }
}

fn js_text(value: &JsValue) -> String {
    if let Some(s) = value.as_string() {
        return s;
    }
    match value.dyn_ref::<js_sys::Error>() {
        Some(e) => String::from(e.message()),
        None => format!("{value:?}"),
    }
}
