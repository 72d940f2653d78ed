//! The wasm half of the JS package: what the hand-written driver (`crate/js/`) calls.
//!
//! The driver owns I/O and timing (fetch, promises, the SRP worker, the JWKS refetch pause);
//! this side owns every rule: options, requests, answers, errors, SRP, the token checks. Only
//! strings cross, as JSON (the browser's `JSON.parse` is smaller than a serializer here), and
//! no Rust future is compiled in: the async state machines of a dozen methods were the
//! biggest part of the module (see docs/benchmarks.md).
//!
//! Errors cross as strings, `name \n status \n message`, which the driver turns into an
//! `Error` whose `name` (and `code`) is Cognito's exception name or ours.

use crate::prelude::*;

use wasm_bindgen::prelude::*;

use crate::api::{
    self, ClientConfig, CodeDelivery, Pairs, Request, Requests, SignInResult, Tokens,
};
use crate::error::Error;
use crate::json::{self, Object, ObjectWriter, Value};
use crate::lock::Lock;
use crate::platform::HttpResponse;
use crate::verify::{TokenUse, Verifier, VerifierConfig, VerifyError};

/// An error for the driver: `name \n status \n message`.
fn encode(name: &str, status: Option<u16>, message: &str) -> String {
    let mut out = String::from(name);
    out.push('\n');
    if let Some(s) = status {
        out.push_str(&json::itoa(s.into()));
    }
    out.push('\n');
    out.push_str(message);
    out
}

fn err(e: Error) -> String {
    match &e {
        Error::Cognito {
            message, status, ..
        } if !message.is_empty() => encode(e.name(), Some(*status), message),
        Error::Cognito { status, .. } => encode(e.name(), Some(*status), &e.message()),
        other => encode(other.name(), None, &other.message()),
    }
}

fn verify_err(e: VerifyError) -> String {
    encode(e.name(), None, &e.message())
}

fn invalid_input(parts: &[&str]) -> String {
    err(Error::InvalidInput(concat(parts)))
}

/// What a fetch gave: an answer, or (`status` 0) why there was none, `kind` then being
/// `TimeoutError` or `NetworkError` and `body` the browser's message.
fn response(status: u16, kind: &str, body: &str) -> Result<HttpResponse, Error> {
    match (status, kind) {
        (0, "TimeoutError") => Err(Error::Timeout),
        (0, _) => Err(Error::Network(body.to_owned())),
        _ => Ok(HttpResponse {
            status,
            body: body.to_owned(),
            error_type: Some(kind).filter(|k| !k.is_empty()).map(str::to_owned),
        }),
    }
}

/// An options object (as JSON), read strictly.
struct Options {
    what: &'static str,
    o: Object,
}

impl Options {
    /// `allowed`: every member name the options may have; others are refused (a typo such
    /// as `clientID` must not silently mean "no client id").
    fn read(what: &'static str, text: &str, allowed: &[&str]) -> Result<Options, String> {
        let o =
            json::parse_object(text).map_err(|_| invalid_input(&[what, " must be an object"]))?;
        if let Some((k, _)) = o.iter().find(|(k, _)| !allowed.contains(&k.as_str())) {
            return Err(invalid_input(&[what, ": unknown option ", k]));
        }
        Ok(Options { what, o })
    }

    fn wrong(&self, key: &str, expected: &str) -> String {
        invalid_input(&[self.what, ": ", key, " must be ", expected])
    }

    fn opt_str(&self, key: &str) -> Result<Option<String>, String> {
        match self.o.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(self.wrong(key, "a string")),
        }
    }

    fn req_str(&self, key: &str) -> Result<String, String> {
        self.opt_str(key)?
            .ok_or_else(|| self.wrong(key, "a string"))
    }

    fn opt_bool(&self, key: &str) -> Result<(), String> {
        match self.o.get(key) {
            None | Some(Value::Null) | Some(Value::Bool(_)) => Ok(()),
            Some(_) => Err(self.wrong(key, "a boolean")),
        }
    }

    fn opt_count(&self, key: &str) -> Result<Option<u32>, String> {
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
    fn strings(&self, key: &str) -> Result<Option<Vec<String>>, String> {
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

/// A method's arguments, as the JSON array the driver sends; `names` says what each is, for
/// messages.
struct Args<'n> {
    values: Vec<Value>,
    names: &'n [&'n str],
}

impl<'n> Args<'n> {
    fn read(text: &str, names: &'n [&'n str]) -> Result<Args<'n>, String> {
        match json::parse(text) {
            Ok(Value::Array(values)) => Ok(Args { values, names }),
            Ok(_) => Err(invalid_input(&["arguments must be a list"])),
            Err(e) => Err(invalid_input(&["arguments: ", &e.message()])),
        }
    }

    fn get(&self, i: usize) -> Option<&Value> {
        self.values.get(i).filter(|v| !matches!(v, Value::Null))
    }

    fn name(&self, i: usize) -> &str {
        self.names.get(i).copied().unwrap_or("argument")
    }

    fn opt_str(&self, i: usize) -> Result<Option<&str>, String> {
        match self.get(i) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(invalid_input(&[self.name(i), " must be a string"])),
        }
    }

    fn str(&self, i: usize) -> Result<&str, String> {
        self.opt_str(i)?
            .ok_or_else(|| invalid_input(&[self.name(i), " must be a string"]))
    }

    /// A `Record<string, string>`.
    fn pairs(&self, i: usize) -> Result<Pairs, String> {
        pairs_of(self.get(i), self.name(i))
    }
}

/// A `Record<string, string>` (absent: empty).
fn pairs_of(value: Option<&Value>, what: &str) -> Result<Pairs, String> {
    let mut pairs = Pairs::new();
    match value {
        None | Some(Value::Null) => {}
        Some(Value::Object(o)) => {
            for (k, v) in o.iter() {
                let v = v
                    .as_str()
                    .ok_or_else(|| invalid_input(&[what, ": ", k, " must be a string"]))?;
                pairs.push((k.clone(), v.to_owned()));
            }
        }
        Some(_) => return Err(invalid_input(&[what, " must be an object"])),
    }
    Ok(pairs)
}

fn code_delivery_json(c: CodeDelivery) -> String {
    ObjectWriter::new()
        .opt_string("destination", c.destination.as_deref())
        .opt_string("deliveryMedium", c.delivery_medium.as_deref())
        .opt_string("attributeName", c.attribute_name.as_deref())
        .finish()
}

fn tokens_json(t: Tokens) -> String {
    ObjectWriter::new()
        .string("idToken", &t.id_token)
        .string("accessToken", &t.access_token)
        .opt_string("refreshToken", t.refresh_token.as_deref())
        .int("expiresIn", t.expires_in.min(i64::MAX as u64) as i64)
        .string("tokenType", &t.token_type)
        .finish()
}

/// Name-value pairs from an answer as a JSON object (a name given twice counts once).
fn pairs_json(pairs: Pairs) -> String {
    Value::Object(pairs.into_iter().collect()).to_json()
}

/// `kind` is "tokens", "challenge", or (after the first step of an SRP sign-in) "verifier":
/// PASSWORD_VERIFIER, which the driver answers with a password claim.
fn sign_in_json(result: SignInResult, srp: bool) -> String {
    match result {
        SignInResult::Tokens(t) => ObjectWriter::new()
            .string("kind", "tokens")
            .raw("tokens", &tokens_json(t)),
        SignInResult::Challenge(c) => {
            let kind = if srp && c.name == "PASSWORD_VERIFIER" {
                "verifier"
            } else {
                "challenge"
            };
            let challenge = ObjectWriter::new()
                .string("name", &c.name)
                .opt_string("session", c.session.as_deref())
                .raw("parameters", &pairs_json(c.parameters));
            ObjectWriter::new()
                .string("kind", kind)
                .raw("challenge", &challenge.finish())
        }
    }
    .finish()
}

/// A challenge back from the driver (as `sign_in_json` gave it).
fn challenge_from(value: Option<&Value>) -> Result<api::Challenge, String> {
    let bad = || invalid_input(&["challenge must be a sign-in's challenge"]);
    let o = value.and_then(Value::as_object).ok_or_else(bad)?;
    let text = |k: &str| o.get(k).and_then(Value::as_str).map(str::to_owned);
    let mut parameters = Pairs::new();
    for (k, v) in o
        .get("parameters")
        .and_then(Value::as_object)
        .ok_or_else(bad)?
        .iter()
    {
        parameters.push((k.clone(), v.as_str().ok_or_else(bad)?.to_owned()));
    }
    Ok(api::Challenge {
        name: text("name").ok_or_else(bad)?,
        session: text("session"),
        parameters,
    })
}

/// The requests and answers of one app client (the driver's `CognitoClient` sends them).
#[wasm_bindgen(js_name = ClientCore)]
pub struct JsClientCore {
    requests: Requests,
}

#[wasm_bindgen(js_class = ClientCore)]
impl JsClientCore {
    /// Checks the options (`CognitoClientOptions`, as JSON); sends nothing.
    #[wasm_bindgen(constructor)]
    pub fn new(options: &str) -> Result<JsClientCore, String> {
        let o = Options::read(
            "CognitoClient options",
            options,
            &[
                "userPoolId",
                "clientId",
                "clientSecret",
                "endpoint",
                "timeoutMs",
                "srpWorker",
            ],
        )?;
        o.opt_bool("srpWorker")?;
        o.opt_count("timeoutMs")?;
        let config = ClientConfig {
            user_pool_id: o.req_str("userPoolId")?,
            client_id: o.req_str("clientId")?,
            client_secret: o.opt_str("clientSecret")?,
            endpoint: o.opt_str("endpoint")?,
        };
        Ok(JsClientCore {
            requests: Requests::new(config).map_err(err)?,
        })
    }

    /// The URL requests go to.
    #[wasm_bindgen(getter)]
    pub fn endpoint(&self) -> String {
        self.requests.endpoint().to_owned()
    }

    /// The pool's name, for SRP's password claim.
    #[wasm_bindgen(getter, js_name = poolName)]
    pub fn pool_name(&self) -> String {
        self.requests.pool_name().to_owned()
    }

    /// The request of method `op` for `args` (a JSON list): `X-Amz-Target`, a newline, the
    /// body. The SRP sign-in is two: `signInSrp` (username, password, SRP_A) and
    /// `passwordVerifier` (the challenge, timestamp, signature).
    pub fn request(&self, op: &str, args: &str) -> Result<String, String> {
        let names: &[&str] = match op {
            "signUp" => &["username", "password", "attributes"],
            "confirmSignUp" => &["username", "code"],
            "resendConfirmationCode" | "forgotPassword" => &["username"],
            "signInPassword" => &["username", "password"],
            "signInSrp" => &["username", "password", "SRP_A"],
            "passwordVerifier" => &["challenge", "timestamp", "signature"],
            "respondToChallenge" => &["name", "session", "responses"],
            "refresh" => &["refresh token", "username"],
            "getUser" | "globalSignOut" => &["access token"],
            "revokeToken" => &["refresh token"],
            "confirmForgotPassword" => &["username", "code", "new password"],
            "changePassword" => &["access token", "previous", "proposed"],
            _ => return Err(invalid_input(&["no method ", op])),
        };
        let a = Args::read(args, names)?;
        let r = &self.requests;
        // In a closure, so that the arguments are dropped in one place, not at every `?`.
        let request = (|| -> Result<Result<Request, Error>, String> {
            Ok(match op {
                "signUp" => r.sign_up(a.str(0)?, a.str(1)?, &a.pairs(2)?),
                "confirmSignUp" => r.confirm_sign_up(a.str(0)?, a.str(1)?),
                "resendConfirmationCode" => r.resend_confirmation_code(a.str(0)?),
                "signInPassword" => r.sign_in_password(a.str(0)?, a.str(1)?),
                "signInSrp" => r.sign_in_srp(a.str(0)?, a.str(1)?, a.str(2)?),
                "passwordVerifier" => {
                    r.password_verifier(&challenge_from(a.get(0))?, a.str(1)?, a.str(2)?)
                }
                "respondToChallenge" => {
                    r.respond_to_challenge(a.str(0)?, a.opt_str(1)?, a.pairs(2)?)
                }
                "refresh" => r.refresh(a.str(0)?, a.opt_str(1)?),
                "getUser" => r.get_user(a.str(0)?),
                "globalSignOut" => r.global_sign_out(a.str(0)?),
                "revokeToken" => r.revoke_token(a.str(0)?),
                "forgotPassword" => r.forgot_password(a.str(0)?),
                "confirmForgotPassword" => {
                    r.confirm_forgot_password(a.str(0)?, a.str(1)?, a.str(2)?)
                }
                _ => r.change_password(a.str(0)?, a.str(1)?, a.str(2)?),
            })
        })()?;
        let request: Request = request.map_err(err)?;
        let mut out = request.target();
        out.push('\n');
        out.push_str(&request.body);
        Ok(out)
    }

    /// The answer to `op`'s request (see `response` for `status` 0) as the method's result,
    /// JSON.
    pub fn answer(&self, op: &str, status: u16, kind: &str, body: &str) -> Result<String, String> {
        let operation = match op {
            "signInPassword" | "signInSrp" | "refresh" => "InitiateAuth",
            "passwordVerifier" | "respondToChallenge" => "RespondToAuthChallenge",
            // The others are named as Cognito's operations, capitalised.
            _ => op,
        };
        let mut upper = operation.to_owned();
        if let Some(first) = upper.get_mut(..1) {
            first.make_ascii_uppercase();
        }
        let operation = upper.as_str();
        let w = response(status, kind, body)
            .and_then(|r| api::read_answer(operation, &r))
            .map_err(err)?;
        Ok(match op {
            "signUp" => {
                let r = api::read_sign_up(&w).map_err(err)?;
                let delivery = r.code_delivery.map(code_delivery_json);
                ObjectWriter::new()
                    .bool("userConfirmed", r.user_confirmed)
                    .string("userSub", &r.user_sub)
                    .opt_raw("codeDelivery", delivery.as_deref())
                    .finish()
            }
            "resendConfirmationCode" | "forgotPassword" => {
                code_delivery_json(api::read_code_delivery(&w).map_err(err)?)
            }
            "signInSrp" => sign_in_json(api::read_srp_start(&w).map_err(err)?, true),
            "signInPassword" | "passwordVerifier" | "respondToChallenge" => {
                sign_in_json(api::read_sign_in(&w).map_err(err)?, false)
            }
            "refresh" => tokens_json(api::read_refresh(&w).map_err(err)?),
            "getUser" => {
                let u = api::read_user(&w).map_err(err)?;
                ObjectWriter::new()
                    .string("username", &u.username)
                    .raw("attributes", &pairs_json(u.attributes))
                    .finish()
            }
            _ => "null".into(),
        })
    }
}

/// The verifier's host in the package. The driver fetches and runs WebCrypto itself, so only
/// the clock is used here; a prepared key is the index of a `CryptoKey` in the driver's list.
/// No js-sys or web-sys: their shims and glue were about 8 KB of the module.
struct Driver;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = Date, js_name = now)]
    fn date_now() -> f64;
}

impl crate::platform::Platform for Driver {
    type Key = u32;

    async fn post_json(&self, _: &str, _: &str, _: String) -> Result<HttpResponse, Error> {
        Err(Error::Platform("the driver fetches".into()))
    }

    async fn get(&self, _: &str) -> Result<HttpResponse, Error> {
        Err(Error::Platform("the driver fetches".into()))
    }

    fn now(&self) -> f64 {
        date_now() / 1000.0
    }

    async fn import_rsa_key(&self, _: &[u8], _: &[u8]) -> Result<u32, String> {
        Err("the driver imports keys".into())
    }

    async fn verify_rs256(&self, _: &u32, _: &[u8], _: &[u8]) -> Result<bool, String> {
        Err("the driver runs WebCrypto".into())
    }
}

/// A token verifier's rules and caches (the driver's `TokenVerifier` fetches the JWKS and
/// runs WebCrypto).
#[wasm_bindgen(js_name = VerifierCore)]
pub struct JsVerifierCore {
    inner: Verifier<Driver>,
    /// Verifications waiting for WebCrypto's verdict, by the id the driver gave (per
    /// verifier: ids of two verifiers may be equal). A handful at a time: a list.
    waiting: Lock<Vec<(u32, Waiting)>>,
}

#[wasm_bindgen(js_class = VerifierCore)]
impl JsVerifierCore {
    /// Checks the options (`TokenVerifierOptions`, as JSON); fetches nothing.
    #[wasm_bindgen(constructor)]
    pub fn new(options: &str) -> Result<JsVerifierCore, String> {
        let o = Options::read(
            "TokenVerifier options",
            options,
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
        o.opt_count("timeoutMs")?;
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
        Ok(JsVerifierCore {
            inner: Verifier::new(config, Driver).map_err(verify_err)?,
            waiting: Lock::new(Vec::new()),
        })
    }

    /// Where the JWKS is fetched from.
    #[wasm_bindgen(getter, js_name = jwksUri)]
    pub fn jwks_uri(&self) -> String {
        self.inner.jwks_uri().to_owned()
    }

    /// When the token's key is prepared, what WebCrypto is to check, the rest kept under `id`
    /// for `finish`: `[key, signed input's address, its length, signature's address, its
    /// length]`, addresses in this module's memory (valid until `finish`); `undefined` when
    /// the key is not prepared (see `importKey`). Throws what the token's shape and header
    /// already refuse.
    pub fn verify(&self, token: &str, id: u32) -> Result<Option<Vec<u32>>, String> {
        let started = self.inner.start(token).map_err(verify_err)?;
        let Some(key) = started.key else {
            return Ok(None);
        };
        let jws = started.jws;
        let w = Waiting {
            signed: jws.signed.as_bytes().into(),
            signature: jws.signature,
            payload: jws.payload,
            json: jws.payload_json,
        };
        // wasm32: addresses and lengths fit in u32.
        let plan = vec![
            *key,
            w.signed.as_ptr() as u32,
            w.signed.len() as u32,
            w.signature.as_ptr() as u32,
            w.signature.len() as u32,
        ];
        // The boxed slices do not move when the list grows.
        self.waiting.lock().push((id, w));
        Ok(Some(plan))
    }

    /// The claims (JSON) of the verification kept under `id`, now that WebCrypto has
    /// answered: `valid` is whether its promise gave `true`; `rejected`, why it failed, if it
    /// did.
    pub fn finish(&self, id: u32, valid: bool, rejected: Option<String>) -> Result<String, String> {
        let w = {
            let mut waiting = self.waiting.lock();
            let at = waiting.iter().position(|(i, _)| *i == id);
            at.map(|at| waiting.swap_remove(at).1)
        }
        .ok_or_else(|| verify_err(VerifyError::Platform("no such verification".into())))?;
        if let Some(why) = rejected {
            return Err(verify_err(VerifyError::Platform(why)));
        }
        self.inner.check(&w.payload, valid).map_err(verify_err)?;
        Ok(w.json)
    }

    /// The JWK (JSON, as `crypto.subtle.importKey("jwk", ...)` takes it) for the token's kid,
    /// checked, when the cached JWKS lists it; `undefined` when it does not (fetch the JWKS,
    /// then ask again with `fetched`: a kid still missing is then KidNotFoundInJwksError).
    #[wasm_bindgen(js_name = importKey)]
    pub fn import_key(&self, token: &str, fetched: bool) -> Result<Option<String>, String> {
        use crate::base64::{encode, Alphabet::UrlUnpadded};
        let started = self.inner.start(token).map_err(verify_err)?;
        match self.inner.key_material(&started.kid, &started.alg) {
            Ok(Some(rsa)) => Ok(Some(
                ObjectWriter::new()
                    .string("kty", "RSA")
                    .string("alg", "RS256")
                    .string("n", &encode(&rsa.modulus, UrlUnpadded))
                    .string("e", &encode(&rsa.exponent, UrlUnpadded))
                    .finish(),
            )),
            Ok(None) if fetched => Err(verify_err(VerifyError::KidNotFound(started.kid))),
            Ok(None) => Ok(None),
            Err(e) => Err(verify_err(e)),
        }
    }

    /// Keeps `key`, the index of the driver's `CryptoKey` imported for the token's kid.
    #[wasm_bindgen(js_name = addKey)]
    pub fn add_key(&self, token: &str, key: u32) -> Result<(), String> {
        let started = self.inner.start(token).map_err(verify_err)?;
        self.inner.add_key(&started.kid, key);
        Ok(())
    }

    /// A JWKS fetch's outcome (as `ClientCore.answer` takes one); stored when it is a JWKS.
    #[wasm_bindgen(js_name = jwksFetched)]
    pub fn jwks_fetched(&self, status: u16, kind: &str, body: &str) -> Result<(), String> {
        self.inner
            .jwks_fetched(response(status, kind, body))
            .map_err(verify_err)
    }

    /// Uses this JWKS document instead of fetching one.
    #[wasm_bindgen(js_name = cacheJwks)]
    pub fn cache_jwks(&self, jwks: &str) -> Result<(), String> {
        self.inner.cache_jwks(jwks).map_err(verify_err)
    }
}

/// A token whose signature WebCrypto is checking: what it checks (read from here: the token
/// passed in is freed when `verify` returns), the claims, parsed, and their JSON.
struct Waiting {
    signed: alloc::boxed::Box<[u8]>,
    signature: Vec<u8>,
    payload: Object,
    json: String,
}

/// The client side of one SRP sign-in: `publicA` goes to InitiateAuth as SRP_A, then
/// `passwordClaim` answers PASSWORD_VERIFIER. The driver's `SrpSession` and SRP worker use it.
#[wasm_bindgen(js_name = SrpCore)]
pub struct JsSrpCore {
    inner: crate::srp::SrpClient,
}

#[wasm_bindgen(js_class = SrpCore)]
impl JsSrpCore {
    /// A fresh random secret and its public value A.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Result<JsSrpCore, String> {
        Ok(JsSrpCore {
            inner: crate::srp::SrpClient::new().map_err(|e| err(e.into()))?,
        })
    }

    /// SRP_A, hex.
    #[wasm_bindgen(getter, js_name = publicA)]
    pub fn public_a(&self) -> String {
        self.inner.public_hex()
    }

    /// PASSWORD_CLAIM_SIGNATURE for the challenge's parameters (JSON: SRP_B, SALT,
    /// SECRET_BLOCK, USER_ID_FOR_SRP) at `timestamp`.
    #[wasm_bindgen(js_name = passwordClaim)]
    pub fn password_claim(
        &self,
        pool_name: &str,
        password: &str,
        parameters: &str,
        timestamp: &str,
    ) -> Result<String, String> {
        let parameters = json::parse(parameters)
            .map_err(|e| invalid_input(&["challenge parameters: ", &e.message()]))?;
        let p = pairs_of(Some(&parameters), "challenge parameters")?;
        let get = |k: &str| {
            api::lookup(&p, k).ok_or_else(|| invalid_input(&["challenge parameters lack ", k]))
        };
        let challenge = crate::srp::PasswordVerifier {
            srp_b: get("SRP_B")?,
            salt: get("SALT")?,
            secret_block: get("SECRET_BLOCK")?,
            user_id_for_srp: get("USER_ID_FOR_SRP")?,
        };
        self.inner
            .password_claim(pool_name, password, &challenge, timestamp)
            .map_err(|e| err(e.into()))
    }
}

/// Builds SRP's tables (a few milliseconds) now, so the first sign-in does not pay for them.
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

/// A token's claims (JSON) WITHOUT verification: for display, never for decisions.
#[wasm_bindgen(js_name = decodeJwt)]
pub fn decode_jwt(token: &str) -> Result<String, String> {
    crate::verify::decode_unverified_json(token).map_err(verify_err)
}

/// This module, compiled: the driver sends it to the SRP worker, which then needs no second
/// fetch or compile (and no guess where the wasm file lives).
#[wasm_bindgen(js_name = compiledModule)]
pub fn wasm_module() -> JsValue {
    wasm_bindgen::module()
}

/// This module's memory: the driver gives WebCrypto views of it (see `VerifierCore.verify`).
#[wasm_bindgen(js_name = wasmMemory)]
pub fn wasm_memory() -> JsValue {
    wasm_bindgen::memory()
}
