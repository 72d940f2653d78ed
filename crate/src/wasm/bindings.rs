//! The JS/TypeScript surface: `CognitoClient`, `TokenVerifier`, `secretHash`, `decodeJwt`.
//!
//! camelCase options and plain-object results, crossing the boundary as JSON (the browser's
//! `JSON.parse` is smaller than a serializer in wasm). Errors reject the promise with an
//! `Error` whose `name` is Cognito's exception name or ours, and whose `code` repeats it
//! (as amazon-cognito-identity-js does) so code written for either works.

use std::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use super::platform::{js_text, WebPlatform};
use super::srp_worker::BrowserSrp;
use crate::api::{lookup, Client, ClientConfig, CodeDelivery, Pairs, SignInResult, Tokens};
use crate::error::Error;
use crate::json::{self, Object, Value};
use crate::verify::{TokenUse, Verifier, VerifierConfig, VerifyError};

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = r#"
/** How to reach one app client of one user pool. */
export interface CognitoClientOptions {
  /** `us-east-1_AbC123xyz`: the region and SRP pool name come from it. */
  userPoolId: string;
  /** The app client id. */
  clientId: string;
  /** The app client secret, if it has one. Anyone who can read your page can read it:
   *  public web apps should use a client without a secret. */
  clientSecret?: string;
  /** Another endpoint than `https://cognito-idp.{region}.amazonaws.com/` (an emulator). */
  endpoint?: string;
  /** Milliseconds before a request gives up with `TimeoutError` (default 10000). */
  timeoutMs?: number;
  /** Run SRP's arithmetic (signInSrp) in a Web Worker, so the page never freezes for it on
   *  slow devices. Needs module workers (Chrome 80, Firefox 114, Safari 15). Default false. */
  srpWorker?: boolean;
}

/** Where a code went, masked as Cognito reports it. */
export interface CodeDelivery {
  destination?: string;
  deliveryMedium?: "EMAIL" | "SMS" | string;
  attributeName?: string;
}

export interface SignUpResult {
  userConfirmed: boolean;
  userSub: string;
  codeDelivery?: CodeDelivery;
}

export interface Tokens {
  idToken: string;
  accessToken: string;
  /** Absent in the answer to a refresh. */
  refreshToken?: string;
  /** Seconds the access token is valid for. */
  expiresIn: number;
  tokenType: string;
}

/** A challenge to answer with `respondToChallenge` (MFA, a new password, ...). */
export interface Challenge {
  name: string;
  session?: string;
  parameters: Record<string, string>;
}

export type SignInResult =
  | { kind: "tokens"; tokens: Tokens }
  | { kind: "challenge"; challenge: Challenge };

export interface CognitoUser {
  username: string;
  attributes: Record<string, string>;
}

/** What a TokenVerifier accepts. */
export interface TokenVerifierOptions {
  userPoolId: string;
  /** The app client id(s) whose tokens are accepted. */
  clientId: string | string[];
  /** "id", "access", or null for either. */
  tokenUse: "id" | "access" | null;
  /** Clock skew tolerated on exp, nbf and iat (seconds, default 0). */
  graceSeconds?: number;
  /** If set, cognito:groups must include one of these. */
  groups?: string | string[];
  /** Issuer override (an emulator, moto). */
  issuer?: string;
  /** JWKS URL override (default `{issuer}/.well-known/jwks.json`). */
  jwksUri?: string;
  /** Milliseconds before a JWKS fetch gives up (default 3000). */
  timeoutMs?: number;
}

/** The claims of a verified Cognito token, as the token carries them. */
export interface CognitoJwtPayload {
  sub: string;
  iss: string;
  token_use: "id" | "access";
  exp: number;
  iat: number;
  auth_time: number;
  jti?: string;
  origin_jti?: string;
  event_id?: string;
  /** ID tokens */
  aud?: string;
  "cognito:username"?: string;
  email?: string;
  email_verified?: boolean;
  /** Access tokens */
  client_id?: string;
  username?: string;
  scope?: string;
  "cognito:groups"?: string[];
  [claim: string]: unknown;
}
"#;

/// An `Error` with `name` (and `code`) set: what every failure becomes in JS.
fn js_error(name: &str, message: &str, status: Option<u16>) -> JsValue {
    let e = js_sys::Error::new(message);
    e.set_name(name);
    let _ = js_sys::Reflect::set(&e, &"code".into(), &name.into());
    if let Some(s) = status {
        let _ = js_sys::Reflect::set(&e, &"status".into(), &s.into());
    }
    e.into()
}

impl From<Error> for JsValue {
    fn from(e: Error) -> JsValue {
        let message = match &e {
            Error::Cognito { message, .. } if !message.is_empty() => message.clone(),
            other => other.to_string(),
        };
        let status = match &e {
            Error::Cognito { status, .. } => Some(*status),
            _ => None,
        };
        js_error(e.name(), &message, status)
    }
}

impl From<VerifyError> for JsValue {
    fn from(e: VerifyError) -> JsValue {
        js_error(e.name(), &e.to_string(), None)
    }
}

fn invalid_input(parts: &[&str]) -> JsValue {
    js_error("InvalidInputError", &parts.concat(), None)
}

/// An options object from JS, read through `JSON.stringify` and our JSON parser: one small
/// import instead of a reflection call per member.
struct Options {
    what: &'static str,
    o: Object,
}

impl Options {
    /// `allowed`: every member name the options may have; others are refused (a typo such
    /// as `clientID` must not silently mean "no client id").
    fn read(what: &'static str, value: &JsValue, allowed: &[&str]) -> Result<Options, JsValue> {
        let o = object_from_js(what, value)?;
        if let Some((k, _)) = o.iter().find(|(k, _)| !allowed.contains(&k.as_str())) {
            return Err(invalid_input(&[what, ": unknown option ", k]));
        }
        Ok(Options { what, o })
    }

    fn wrong(&self, key: &str, expected: &str) -> JsValue {
        invalid_input(&[self.what, ": ", key, " must be ", expected])
    }

    fn opt_str(&self, key: &str) -> Result<Option<String>, JsValue> {
        match self.o.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(self.wrong(key, "a string")),
        }
    }

    fn req_str(&self, key: &str) -> Result<String, JsValue> {
        self.opt_str(key)?
            .ok_or_else(|| self.wrong(key, "a string"))
    }

    fn opt_count(&self, key: &str) -> Result<Option<u32>, JsValue> {
        match self.o.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => v
                .as_i64()
                .filter(|_| v.to_json().bytes().all(|b| b.is_ascii_digit()))
                .and_then(|n| u32::try_from(n).ok())
                .map(Some)
                .ok_or_else(|| self.wrong(key, "a whole number")),
        }
    }

    /// `string | string[]`.
    fn strings(&self, key: &str) -> Result<Option<Vec<String>>, JsValue> {
        match self.o.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(vec![s.clone()])),
            Some(Value::Array(a)) => a
                .iter()
                .map(|v| v.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
                .map(Some)
                .ok_or_else(|| self.wrong(key, "a string or a list of strings")),
            Some(_) => Err(self.wrong(key, "a string or a list of strings")),
        }
    }
}

fn object_from_js(what: &str, value: &JsValue) -> Result<Object, JsValue> {
    let text = js_sys::JSON::stringify(value)
        .map_err(|e| invalid_input(&[what, ": ", &js_text(&e)]))?
        .as_string()
        .ok_or_else(|| invalid_input(&[what, " must be an object"]))?;
    json::parse_object(&text).map_err(|_| invalid_input(&[what, " must be an object"]))
}

/// A `Record<string, string>` from JS.
fn string_pairs(what: &str, value: &JsValue) -> Result<Pairs, JsValue> {
    let o = object_from_js(what, value)?;
    let mut pairs = Pairs::new();
    for (k, v) in o.iter() {
        let v = v
            .as_str()
            .ok_or_else(|| invalid_input(&[what, ": ", k, " must be a string"]))?;
        pairs.push((k.clone(), v.to_owned()));
    }
    Ok(pairs)
}

/// A value to a plain JS object through `JSON.parse`.
fn to_js(value: Value) -> Result<JsValue, JsValue> {
    js_json(&value.to_json())
}

fn js_json(text: &str) -> Result<JsValue, JsValue> {
    js_sys::JSON::parse(text).map_err(|e| js_error("MalformedResponseError", &js_text(&e), None))
}

fn promise<F>(f: F) -> Promise
where
    F: std::future::Future<Output = Result<JsValue, JsValue>> + 'static,
{
    future_to_promise(f)
}

fn done<T>(r: Result<T, Error>) -> Result<JsValue, JsValue> {
    r.map(|_| JsValue::UNDEFINED).map_err(JsValue::from)
}

fn code_delivery_json(c: CodeDelivery) -> Value {
    let mut o = Object::new();
    for (k, v) in [
        ("destination", c.destination),
        ("deliveryMedium", c.delivery_medium),
        ("attributeName", c.attribute_name),
    ] {
        if let Some(v) = v {
            o.insert(k, v);
        }
    }
    o.into()
}

fn tokens_json(t: Tokens) -> Value {
    let mut o = Object::new()
        .with("idToken", t.id_token)
        .with("accessToken", t.access_token);
    if let Some(r) = t.refresh_token {
        o.insert("refreshToken", r);
    }
    o.with("expiresIn", t.expires_in.min(i64::MAX as u64) as i64)
        .with("tokenType", t.token_type)
        .into()
}

fn sign_in_js(result: SignInResult) -> Result<JsValue, JsValue> {
    to_js(match result {
        SignInResult::Tokens(t) => Object::new()
            .with("kind", "tokens")
            .with("tokens", tokens_json(t))
            .into(),
        SignInResult::Challenge(c) => {
            let mut challenge = Object::new().with("name", c.name);
            if let Some(s) = c.session {
                challenge.insert("session", s);
            }
            let parameters = c.parameters.into_iter().collect::<Object>();
            Object::new()
                .with("kind", "challenge")
                .with("challenge", challenge.with("parameters", parameters))
                .into()
        }
    })
}

/// A Cognito user-pool client. Every method returns a Promise.
#[wasm_bindgen(js_name = CognitoClient)]
pub struct JsClient {
    inner: Rc<Client<WebPlatform>>,
    srp: Rc<BrowserSrp>,
}

#[wasm_bindgen(js_class = CognitoClient)]
impl JsClient {
    /// Checks the options' shape; sends nothing.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "CognitoClientOptions")] options: JsValue,
    ) -> Result<JsClient, JsValue> {
        let o = Options::read(
            "CognitoClient options",
            &options,
            &[
                "userPoolId",
                "clientId",
                "clientSecret",
                "endpoint",
                "timeoutMs",
                "srpWorker",
            ],
        )?;
        let in_worker = match o.o.get("srpWorker") {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => return Err(o.wrong("srpWorker", "a boolean")),
        };
        let timeout_ms = o.opt_count("timeoutMs")?.unwrap_or(10_000);
        let platform = WebPlatform::new(timeout_ms);
        let config = ClientConfig {
            user_pool_id: o.req_str("userPoolId")?,
            client_id: o.req_str("clientId")?,
            client_secret: o.opt_str("clientSecret")?,
            endpoint: o.opt_str("endpoint")?,
        };
        Ok(JsClient {
            inner: Rc::new(Client::new(config, platform)?),
            srp: Rc::new(BrowserSrp {
                in_worker,
                timeout_ms,
            }),
        })
    }

    /// Registers a user; `attributes` like `{ email: "a@example.com" }`.
    #[wasm_bindgen(js_name = signUp, unchecked_return_type = "Promise<SignUpResult>")]
    pub fn sign_up(
        &self,
        username: String,
        password: String,
        #[wasm_bindgen(unchecked_param_type = "Record<string, string>")] attributes: JsValue,
    ) -> Promise {
        let c = self.inner.clone();
        promise(async move {
            let attributes: Vec<(String, String)> = if attributes.is_undefined() {
                Vec::new()
            } else {
                string_pairs("attributes", &attributes)?
            };
            let r = c.sign_up(&username, &password, &attributes).await?;
            let mut o = Object::new()
                .with("userConfirmed", r.user_confirmed)
                .with("userSub", r.user_sub);
            if let Some(d) = r.code_delivery {
                o.insert("codeDelivery", code_delivery_json(d));
            }
            to_js(o.into())
        })
    }

    /// Confirms a sign-up with the emailed code.
    #[wasm_bindgen(js_name = confirmSignUp, unchecked_return_type = "Promise<void>")]
    pub fn confirm_sign_up(&self, username: String, code: String) -> Promise {
        let c = self.inner.clone();
        promise(async move { done(c.confirm_sign_up(&username, &code).await) })
    }

    /// Sends the confirmation code again.
    #[wasm_bindgen(js_name = resendConfirmationCode, unchecked_return_type = "Promise<CodeDelivery>")]
    pub fn resend_confirmation_code(&self, username: String) -> Promise {
        let c = self.inner.clone();
        promise(async move {
            to_js(code_delivery_json(
                c.resend_confirmation_code(&username).await?,
            ))
        })
    }

    /// USER_PASSWORD_AUTH: the password goes to Cognito. Prefer `signInSrp`.
    #[wasm_bindgen(js_name = signInPassword, unchecked_return_type = "Promise<SignInResult>")]
    pub fn sign_in_password(&self, username: String, password: String) -> Promise {
        let c = self.inner.clone();
        promise(async move { sign_in_js(c.sign_in_password(&username, &password).await?) })
    }

    /// USER_SRP_AUTH: proves the password without sending it.
    #[wasm_bindgen(js_name = signInSrp, unchecked_return_type = "Promise<SignInResult>")]
    pub fn sign_in_srp(&self, username: String, password: String) -> Promise {
        let c = self.inner.clone();
        let srp = self.srp.clone();
        promise(async move { sign_in_js(c.sign_in_srp_with(&*srp, &username, &password).await?) })
    }

    /// Answers a challenge from a sign-in; `responses` must include USERNAME.
    #[wasm_bindgen(js_name = respondToChallenge, unchecked_return_type = "Promise<SignInResult>")]
    pub fn respond_to_challenge(
        &self,
        name: String,
        session: Option<String>,
        #[wasm_bindgen(unchecked_param_type = "Record<string, string>")] responses: JsValue,
    ) -> Promise {
        let c = self.inner.clone();
        promise(async move {
            let responses = string_pairs("responses", &responses)?;
            sign_in_js(
                c.respond_to_challenge(&name, session.as_deref(), responses)
                    .await?,
            )
        })
    }

    /// New ID and access tokens; `username` is needed when the client has a secret.
    #[wasm_bindgen(unchecked_return_type = "Promise<Tokens>")]
    pub fn refresh(&self, refresh_token: String, username: Option<String>) -> Promise {
        let c = self.inner.clone();
        promise(async move {
            to_js(tokens_json(
                c.refresh(&refresh_token, username.as_deref()).await?,
            ))
        })
    }

    /// The signed-in user's username and attributes.
    #[wasm_bindgen(js_name = getUser, unchecked_return_type = "Promise<CognitoUser>")]
    pub fn get_user(&self, access_token: String) -> Promise {
        let c = self.inner.clone();
        promise(async move {
            let u = c.get_user(&access_token).await?;
            let attributes = u.attributes.into_iter().collect::<Object>();
            to_js(
                Object::new()
                    .with("username", u.username)
                    .with("attributes", attributes)
                    .into(),
            )
        })
    }

    /// Signs the user out of every device.
    #[wasm_bindgen(js_name = globalSignOut, unchecked_return_type = "Promise<void>")]
    pub fn global_sign_out(&self, access_token: String) -> Promise {
        let c = self.inner.clone();
        promise(async move { done(c.global_sign_out(&access_token).await) })
    }

    /// Revokes one refresh token (sign-out of this device).
    #[wasm_bindgen(js_name = revokeToken, unchecked_return_type = "Promise<void>")]
    pub fn revoke_token(&self, refresh_token: String) -> Promise {
        let c = self.inner.clone();
        promise(async move { done(c.revoke_token(&refresh_token).await) })
    }

    /// Starts a password reset (a code is sent).
    #[wasm_bindgen(js_name = forgotPassword, unchecked_return_type = "Promise<CodeDelivery>")]
    pub fn forgot_password(&self, username: String) -> Promise {
        let c = self.inner.clone();
        promise(async move { to_js(code_delivery_json(c.forgot_password(&username).await?)) })
    }

    /// Finishes a password reset.
    #[wasm_bindgen(js_name = confirmForgotPassword, unchecked_return_type = "Promise<void>")]
    pub fn confirm_forgot_password(
        &self,
        username: String,
        code: String,
        new_password: String,
    ) -> Promise {
        let c = self.inner.clone();
        promise(async move {
            done(
                c.confirm_forgot_password(&username, &code, &new_password)
                    .await,
            )
        })
    }

    /// Changes the signed-in user's password.
    #[wasm_bindgen(js_name = changePassword, unchecked_return_type = "Promise<void>")]
    pub fn change_password(
        &self,
        access_token: String,
        previous: String,
        proposed: String,
    ) -> Promise {
        let c = self.inner.clone();
        promise(async move { done(c.change_password(&access_token, &previous, &proposed).await) })
    }
}

/// Verifies Cognito ID or access tokens against the pool's JWKS (fetched once, cached).
#[wasm_bindgen(js_name = TokenVerifier)]
pub struct JsVerifier {
    inner: Rc<Verifier<WebPlatform>>,
}

#[wasm_bindgen(js_class = TokenVerifier)]
impl JsVerifier {
    /// Checks the options; fetches nothing until the first token (or `prefetch`).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "TokenVerifierOptions")] options: JsValue,
    ) -> Result<JsVerifier, JsValue> {
        let o = Options::read(
            "TokenVerifier options",
            &options,
            &[
                "userPoolId",
                "clientId",
                "tokenUse",
                "graceSeconds",
                "groups",
                "issuer",
                "jwksUri",
                "timeoutMs",
            ],
        )?;
        // Required, possibly null: being explicit about which tokens are accepted is the point.
        let token_use = match o.o.get("tokenUse") {
            Some(Value::Null) => None,
            Some(Value::String(s)) if s == "id" => Some(TokenUse::Id),
            Some(Value::String(s)) if s == "access" => Some(TokenUse::Access),
            _ => return Err(o.wrong("tokenUse", "\"id\", \"access\" or null")),
        };
        let config = VerifierConfig {
            user_pool_id: o.req_str("userPoolId")?,
            client_ids: o
                .strings("clientId")?
                .ok_or_else(|| o.wrong("clientId", "a string or a list of strings"))?,
            token_use,
            grace_seconds: o.opt_count("graceSeconds")?.unwrap_or(0).into(),
            groups: o.strings("groups")?,
            issuer: o.opt_str("issuer")?,
            jwks_uri: o.opt_str("jwksUri")?,
        };
        let platform = WebPlatform::new(o.opt_count("timeoutMs")?.unwrap_or(3_000));
        Ok(JsVerifier {
            inner: Rc::new(Verifier::new(config, platform)?),
        })
    }

    /// Verifies a token; resolves to its claims, or rejects with the reason as `error.name`.
    #[wasm_bindgen(unchecked_return_type = "Promise<CognitoJwtPayload>")]
    pub fn verify(&self, token: String) -> Promise {
        #[cfg(not(feature = "rust-rsa"))]
        if let Some(promise) = cached::verify(&self.inner, &token) {
            return promise;
        }
        let v = self.inner.clone();
        // The payload's own JSON goes to JSON.parse: no second serialisation in wasm.
        promise(async move { js_json(&v.verify(&token).await?.json) })
    }

    /// Uses this JWKS (the document, as a string or an object) instead of fetching it.
    #[wasm_bindgen(js_name = cacheJwks)]
    pub fn cache_jwks(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | { keys: object[] }")] jwks: JsValue,
    ) -> Result<(), JsValue> {
        let text = match jwks.as_string() {
            Some(t) => t,
            None => js_sys::JSON::stringify(&jwks)
                .map(String::from)
                .map_err(|e| invalid_input(&[&js_text(&e)]))?,
        };
        Ok(self.inner.cache_jwks(&text)?)
    }

    /// Fetches the JWKS now, so the first verification does not wait for it.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn prefetch(&self) -> Promise {
        let v = self.inner.clone();
        promise(async move {
            v.prefetch().await?;
            Ok(JsValue::UNDEFINED)
        })
    }
}

/// Verification with a cached key, driven by hand: parse and look up synchronously, then one
/// `crypto.subtle.verify` promise whose verdict a single long-lived callback settles. The
/// general path (Rust futures: a promise, a task, two closures and several microtasks per
/// call) measured about a third slower for the same work; the logic is the same
/// (`Verifier::start` / `Verifier::finish`).
#[cfg(not(feature = "rust-rsa"))]
mod cached {
    use std::cell::RefCell;
    use std::rc::Rc;

    use js_sys::{Function, Promise};
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;

    use super::{js_error, js_json, WebPlatform};
    use crate::json::Object;
    use crate::verify::{Verifier, VerifyError};
    use crate::wasm::platform::js_text;
    use crate::wasm::webcrypto;

    /// A verification waiting for WebCrypto's verdict.
    struct Waiting {
        verifier: Rc<Verifier<WebPlatform>>,
        payload: Object,
        json: String,
    }

    #[wasm_bindgen]
    extern "C" {
        /// A promise, for `then` with plain functions (js-sys's `then` takes closures, which
        /// would mean one per call).
        type Thenable;
        #[wasm_bindgen(method, catch)]
        fn then(
            this: &Thenable,
            on_fulfilled: &JsValue,
            on_rejected: &JsValue,
        ) -> Result<Promise, JsValue>;
    }

    thread_local! {
        /// Slots of waiting verifications; the callback gets its slot bound.
        static WAITING: RefCell<Vec<Option<Waiting>>> = const { RefCell::new(Vec::new()) };
        /// `settle` as a JS function, made once per module instance and never freed.
        static SETTLE: Function =
            Closure::<dyn Fn(u32, bool, JsValue) -> Result<JsValue, JsValue>>::new(settle)
                .into_js_value()
                .unchecked_into();
    }

    /// WebCrypto's promise settled: `fulfilled` with a verdict, or rejected with an error.
    /// Only a fulfilled `true` is a valid signature (as on the general path).
    fn settle(slot: u32, fulfilled: bool, outcome: JsValue) -> Result<JsValue, JsValue> {
        let waiting = WAITING
            .with(|w| w.borrow_mut().get_mut(slot as usize).and_then(Option::take))
            .ok_or_else(|| js_error("PlatformError", "a verification settled twice", None))?;
        if !fulfilled {
            return Err(VerifyError::Platform(js_text(&outcome)).into());
        }
        let ok = outcome.as_bool() == Some(true);
        let claims = waiting.verifier.finish(waiting.payload, waiting.json, ok)?;
        js_json(&claims.json)
    }

    /// The promise of `token`'s claims, or `None` when its key is not cached yet (the caller
    /// takes the general path, which fetches and imports it).
    pub(super) fn verify(verifier: &Rc<Verifier<WebPlatform>>, token: &str) -> Option<Promise> {
        let started = match verifier.start(token) {
            Ok(s) => s,
            Err(e) => return Some(Promise::reject(&e.into())),
        };
        let key = started.key?;
        let jws = started.jws;
        let verdict = match webcrypto::verify_promise(&key, jws.signed.as_bytes(), &jws.signature) {
            Ok(p) => p,
            Err(e) => return Some(Promise::reject(&VerifyError::Platform(e).into())),
        };
        let waiting = Waiting {
            verifier: verifier.clone(),
            payload: jws.payload,
            json: jws.payload_json,
        };
        let slot = WAITING.with(|w| {
            let mut w = w.borrow_mut();
            match w.iter().position(Option::is_none) {
                Some(free) => {
                    w[free] = Some(waiting);
                    free
                }
                None => {
                    w.push(Some(waiting));
                    w.len() - 1
                }
            }
        });
        let (on_fulfilled, on_rejected): (JsValue, JsValue) = SETTLE.with(|f| {
            let slot = JsValue::from(slot as u32);
            (
                f.bind2(&JsValue::NULL, &slot, &JsValue::TRUE).into(),
                f.bind2(&JsValue::NULL, &slot, &JsValue::FALSE).into(),
            )
        });
        let chained = verdict
            .unchecked_ref::<Thenable>()
            .then(&on_fulfilled, &on_rejected);
        Some(chained.unwrap_or_else(|e| {
            // A `then` that throws (a patched Promise): free the slot, say so.
            WAITING.with(|w| w.borrow_mut().get_mut(slot).map(Option::take));
            Promise::reject(&VerifyError::Platform(js_text(&e)).into())
        }))
    }
}

/// The client side of one SRP sign-in, for custom flows and Web Workers: `publicA` goes to
/// InitiateAuth as SRP_A, then `passwordClaim` answers the PASSWORD_VERIFIER challenge.
/// `CognitoClient.signInSrp` does all of this for you.
#[wasm_bindgen(js_name = SrpSession)]
pub struct JsSrpSession {
    inner: crate::srp::SrpClient,
}

#[wasm_bindgen(js_class = SrpSession)]
impl JsSrpSession {
    /// A fresh random secret and its public value A.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Result<JsSrpSession, JsValue> {
        Ok(JsSrpSession {
            inner: crate::srp::SrpClient::new().map_err(Error::from)?,
        })
    }

    /// SRP_A, hex.
    #[wasm_bindgen(getter, js_name = publicA)]
    pub fn public_a(&self) -> String {
        self.inner.public_hex()
    }

    /// PASSWORD_CLAIM_SIGNATURE for the PASSWORD_VERIFIER challenge's parameters (as Cognito
    /// sends them: SRP_B, SALT, SECRET_BLOCK, USER_ID_FOR_SRP) at `timestamp`
    /// (`ddd MMM D HH:mm:ss UTC YYYY`, see `srpTimestamp`).
    #[wasm_bindgen(js_name = passwordClaim)]
    pub fn password_claim(
        &self,
        pool_name: &str,
        password: &str,
        #[wasm_bindgen(unchecked_param_type = "Record<string, string>")]
        challenge_parameters: JsValue,
        timestamp: &str,
    ) -> Result<String, JsValue> {
        let p = string_pairs("challenge parameters", &challenge_parameters)?;
        let get = |k: &str| {
            lookup(&p, k).ok_or_else(|| invalid_input(&["challenge parameters lack ", k]))
        };
        let challenge = crate::srp::PasswordVerifier {
            srp_b: get("SRP_B")?,
            salt: get("SALT")?,
            secret_block: get("SECRET_BLOCK")?,
            user_id_for_srp: get("USER_ID_FOR_SRP")?,
        };
        Ok(self
            .inner
            .password_claim(pool_name, password, &challenge, timestamp)
            .map_err(Error::from)?)
    }
}

/// Builds SRP's tables (96 KiB, a few milliseconds) now, so the first `signInSrp` does not
/// pay for them: call it when the sign-in form appears.
#[wasm_bindgen(js_name = precomputeSrp)]
pub fn precompute_srp() {
    crate::srp::precompute();
}

/// The TIMESTAMP of a password claim for a time in milliseconds since the epoch.
#[wasm_bindgen(js_name = srpTimestamp)]
pub fn srp_timestamp(epoch_ms: f64) -> String {
    crate::srp::timestamp((epoch_ms.max(0.0) / 1000.0) as u64)
}

/// `SECRET_HASH` for a username: base64(HMAC-SHA256(clientSecret, username + clientId)).
#[wasm_bindgen(js_name = secretHash)]
pub fn secret_hash(client_secret: &str, username: &str, client_id: &str) -> String {
    crate::secret_hash(client_secret, username, client_id)
}

/// A token's claims WITHOUT verification: for display, never for decisions.
#[wasm_bindgen(js_name = decodeJwt, unchecked_return_type = "Record<string, unknown>")]
pub fn decode_jwt(token: &str) -> Result<JsValue, JsValue> {
    js_json(&crate::verify::decode_unverified_json(token)?)
}
