//! The wasm half of the JS package: what the hand-written driver (`crate/js/`) calls.
//!
//! The driver owns I/O and timing (fetch, WebCrypto, promises, the SRP worker, the JWKS
//! refetch pause); this side owns every rule: options, requests, answers, errors, SRP, the
//! token checks.
//!
//! The interface is a mailbox, not wasm-bindgen: the driver writes a call's text into the
//! inbox (`cw_inbox`), calls an export (`cw_*`) with numbers only, and reads the outbox
//! (`cw_outbox`, `cw_outbox_len`). An export answers 0 (the outbox holds the result), 1 (it
//! holds the error, `name \n status \n message`, which the driver turns into an `Error` whose
//! `name` is Cognito's exception name or ours), 2 (nothing: no prepared key, no such kid) or
//! 3 (the module stopped: an earlier call trapped). Objects are handles, positions in lists
//! kept here, never pointers: a stale or made-up handle is an error, not memory unsafety. The
//! module imports nothing of its own (only wasm-bindgen's two, for `compiled_module`): the
//! driver passes in the time and SRP's random bytes. wasm-bindgen's glue and shims were 4 KB
//! of the package's gzip for string passing this does in a few lines (docs/benchmarks.md).

use crate::prelude::*;

use core::cell::{Cell, RefCell};

use crate::api::{
    self, ClientConfig, CodeDelivery, Pairs, Request, Requests, SignInResult, Tokens,
};
use crate::error::Error;
use crate::json::{self, Object, ObjectWriter, Value};
use crate::platform::HttpResponse;
use crate::srp::SrpClient;
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

/// The module's state: the mailbox and the objects the driver holds handles to.
struct State {
    inbox: Vec<u8>,
    outbox: Vec<u8>,
    clients: Handles<Requests>,
    verifiers: Handles<VerifierCore>,
    sessions: Handles<SrpClient>,
}

/// wasm32 without the atomics feature runs one thread per instance (a Web Worker is another
/// instance with its own memory), so state in a `static` is what `thread_local!` would be.
struct Local(RefCell<State>);

// SAFETY: no threads (see above; the build refuses the atomics feature).
unsafe impl Sync for Local {}

static STATE: Local = Local(RefCell::new(State {
    inbox: Vec::new(),
    outbox: Vec::new(),
    clients: Handles::new(),
    verifiers: Handles::new(),
    sessions: Handles::new(),
}));

/// Objects by handle: position + 1, never reused, so a stale handle finds nothing rather
/// than another object. Boxed, so a freed slot costs a word.
struct Handles<T>(Vec<Option<alloc::boxed::Box<T>>>);

impl<T> Handles<T> {
    const fn new() -> Handles<T> {
        Handles(Vec::new())
    }

    fn add(&mut self, value: T) -> String {
        self.0.push(Some(alloc::boxed::Box::new(value)));
        json::itoa(self.0.len() as i64)
    }

    fn get(&mut self, handle: u32) -> Result<&mut T, String> {
        let at = (handle as usize).wrapping_sub(1);
        match self.0.get_mut(at) {
            Some(Some(value)) => Ok(value),
            _ => Err(err(Error::Platform("no such object (freed?)".into()))),
        }
    }

    fn free(&mut self, handle: u32) {
        if let Some(slot) = self.0.get_mut((handle as usize).wrapping_sub(1)) {
            *slot = None;
        }
    }
}

/// What a call gives: bytes for the outbox (text, but for `verifier_verify`), or nothing
/// (2).
enum Reply {
    Bytes(Vec<u8>),
    Nothing,
}

impl From<String> for Reply {
    fn from(text: String) -> Reply {
        Reply::Bytes(text.into_bytes())
    }
}

/// Runs one call: its input is the inbox (as text when `f` wants text), its reply goes to
/// the outbox. A call never reaches `STATE` again, so the borrow is free, unless an earlier
/// call trapped midway (a bug) and left it borrowed: then 3, which the driver reports as the
/// module having stopped.
fn call<R: Into<Reply>>(f: impl FnOnce(&[u8], &mut Objects) -> Result<R, String>) -> u32 {
    let Ok(mut state) = STATE.0.try_borrow_mut() else {
        return 3;
    };
    let State {
        inbox,
        outbox,
        clients,
        verifiers,
        sessions,
    } = &mut *state;
    let mut objects = Objects {
        clients,
        verifiers,
        sessions,
    };
    let (status, reply) = match f(inbox, &mut objects).map(Into::into) {
        Ok(Reply::Bytes(bytes)) => (0, bytes),
        Ok(Reply::Nothing) => (2, Vec::new()),
        Err(e) => (1, e.into_bytes()),
    };
    // Requests carry passwords, answers tokens, SRP its secret: zeroed once read, not left
    // in freed memory for the next allocation.
    outbox.fill(0);
    *outbox = reply;
    inbox.fill(0);
    inbox.clear();
    status
}

/// Forgets an object. Not through [`call`]: the outbox is left as it is (the driver may
/// still be reading the last reply), and when the state is busy (only after a trap, which
/// left it borrowed) nothing happens, so that a `finally` or a collected object's clean-up
/// never adds a second error to the first.
fn free(f: impl FnOnce(&mut State)) {
    if let Ok(mut state) = STATE.0.try_borrow_mut() {
        f(&mut state);
    }
}

/// The inbox as text. The driver writes UTF-8 (`TextEncoder`); anything else is refused.
fn text(inbox: &[u8]) -> Result<&str, String> {
    core::str::from_utf8(inbox).map_err(|_| invalid_input(&["text that is not UTF-8"]))
}

/// The inbox's text as `first \n rest` (the first part a name the driver chose: no newline).
fn split(inbox: &[u8]) -> Result<(&str, &str), String> {
    text(inbox)?
        .split_once('\n')
        .ok_or_else(|| invalid_input(&["a call without its parts"]))
}

struct Objects<'s> {
    clients: &'s mut Handles<Requests>,
    verifiers: &'s mut Handles<VerifierCore>,
    sessions: &'s mut Handles<SrpClient>,
}

/// Room for `len` bytes of a call's input; the driver writes them there, then calls.
#[export_name = "cw_inbox"]
pub extern "C" fn inbox(len: usize) -> *mut u8 {
    // Never borrowed here: exports do not call each other. // invariant
    let Ok(mut state) = STATE.0.try_borrow_mut() else {
        core::arch::wasm32::unreachable()
    };
    state.inbox.clear();
    state.inbox.resize(len, 0);
    state.inbox.as_mut_ptr()
}

/// Where the last call's reply is.
#[export_name = "cw_outbox"]
pub extern "C" fn outbox() -> *const u8 {
    STATE
        .0
        .try_borrow()
        .map_or(core::ptr::null(), |s| s.outbox.as_ptr())
}

/// The last call's reply's length, in bytes.
#[export_name = "cw_outbox_len"]
pub extern "C" fn outbox_len() -> usize {
    STATE.0.try_borrow().map_or(0, |s| s.outbox.len())
}

// The client: `CognitoClient`'s requests and answers.

/// A client for the options (`CognitoClientOptions`, JSON) in the inbox; sends nothing.
/// Replies `handle \n pool name \n endpoint`.
#[export_name = "cw_client_new"]
pub extern "C" fn client_new() -> u32 {
    call(|inbox, o| {
        let options = Options::read(
            "CognitoClient options",
            text(inbox)?,
            &[
                "userPoolId",
                "clientId",
                "clientSecret",
                "endpoint",
                "timeoutMs",
                "srpWorker",
            ],
        )?;
        options.opt_bool("srpWorker")?;
        options.opt_count("timeoutMs")?;
        let config = ClientConfig {
            user_pool_id: options.req_str("userPoolId")?,
            client_id: options.req_str("clientId")?,
            client_secret: options.opt_str("clientSecret")?,
            endpoint: options.opt_str("endpoint")?,
        };
        let requests = Requests::new(config).map_err(err)?;
        let described = concat(&[requests.pool_name(), "\n", requests.endpoint()]);
        Ok(concat(&[&o.clients.add(requests), "\n", &described]))
    })
}

/// The request of method `op` for `args`, the inbox being `op \n args` (a JSON list):
/// `X-Amz-Target \n body`. The SRP sign-in is two: `signInSrp` (username, password, SRP_A)
/// and `passwordVerifier` (the challenge, timestamp, signature).
#[export_name = "cw_client_request"]
pub extern "C" fn client_request(client: u32) -> u32 {
    call(|inbox, o| {
        let (op, args) = split(inbox)?;
        let request = request(o.clients.get(client)?, op, args)?;
        Ok(concat(&[&request.target(), "\n", &request.body]))
    })
}

fn request(r: &Requests, op: &str, args: &str) -> Result<Request, String> {
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
    let request = match op {
        "signUp" => r.sign_up(a.str(0)?, a.str(1)?, &a.pairs(2)?),
        "confirmSignUp" => r.confirm_sign_up(a.str(0)?, a.str(1)?),
        "resendConfirmationCode" => r.resend_confirmation_code(a.str(0)?),
        "signInPassword" => r.sign_in_password(a.str(0)?, a.str(1)?),
        "signInSrp" => r.sign_in_srp(a.str(0)?, a.str(1)?, a.str(2)?),
        "passwordVerifier" => r.password_verifier(&challenge_from(a.get(0))?, a.str(1)?, a.str(2)?),
        "respondToChallenge" => r.respond_to_challenge(a.str(0)?, a.opt_str(1)?, a.pairs(2)?),
        "refresh" => r.refresh(a.str(0)?, a.opt_str(1)?),
        "getUser" => r.get_user(a.str(0)?),
        "globalSignOut" => r.global_sign_out(a.str(0)?),
        "revokeToken" => r.revoke_token(a.str(0)?),
        "forgotPassword" => r.forgot_password(a.str(0)?),
        "confirmForgotPassword" => r.confirm_forgot_password(a.str(0)?, a.str(1)?, a.str(2)?),
        _ => r.change_password(a.str(0)?, a.str(1)?, a.str(2)?),
    };
    request.map_err(err)
}

/// The answer to `op`'s request as the method's result (JSON), the inbox being
/// `op \n kind \n body`; for `status` 0 see `response`.
#[export_name = "cw_client_answer"]
pub extern "C" fn client_answer(client: u32, status: u32) -> u32 {
    call(|inbox, o| {
        o.clients.get(client)?;
        let (op, rest) = split(inbox)?;
        let (kind, body) = rest
            .split_once('\n')
            .ok_or_else(|| invalid_input(&["an answer without its parts"]))?;
        answer(op, status, kind, body)
    })
}

fn answer(op: &str, status: u32, kind: &str, body: &str) -> Result<String, String> {
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
    let status = u16::try_from(status).map_err(|_| invalid_input(&["an HTTP status"]))?;
    let w = response(status, kind, body)
        .and_then(|r| api::read_answer(&upper, &r))
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

/// Forgets a client.
#[export_name = "cw_client_free"]
pub extern "C" fn client_free(client: u32) {
    free(|o| o.clients.free(client));
}

// The verifier: `TokenVerifier`'s rules and caches; the driver fetches and runs WebCrypto.

/// The verifier's host in the package. The driver fetches, imports keys and runs WebCrypto,
/// so only the clock is used here, set by the driver for each check; a prepared key is the
/// index of a `CryptoKey` in the driver's list.
struct Driver {
    now: Cell<f64>,
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
        self.now.get()
    }

    async fn import_rsa_key(&self, _: &[u8], _: &[u8]) -> Result<u32, String> {
        Err("the driver imports keys".into())
    }

    async fn verify_rs256(&self, _: &u32, _: &[u8], _: &[u8]) -> Result<bool, String> {
        Err("the driver runs WebCrypto".into())
    }
}

struct VerifierCore {
    inner: Verifier<Driver>,
    /// Verifications waiting for WebCrypto's verdict, by the id the driver gave (per
    /// verifier: ids of two verifiers may be equal). A handful at a time: a list.
    waiting: Vec<(u32, Waiting)>,
}

/// A token whose signature WebCrypto is checking: what it checks (read from here: the inbox
/// is reused by the next call), the claims, parsed, and their JSON.
struct Waiting {
    signed: alloc::boxed::Box<[u8]>,
    signature: Vec<u8>,
    payload: Object,
    json: String,
}

/// A verifier for the options (`TokenVerifierOptions`, JSON) in the inbox; fetches nothing.
/// Replies `handle \n JWKS URI`.
#[export_name = "cw_verifier_new"]
pub extern "C" fn verifier_new() -> u32 {
    call(|inbox, o| {
        let options = Options::read(
            "TokenVerifier options",
            text(inbox)?,
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
        let token_use = match options.o.get("tokenUse") {
            Some(Value::Null) => None,
            Some(Value::String(s)) if s == "id" => Some(TokenUse::Id),
            Some(Value::String(s)) if s == "access" => Some(TokenUse::Access),
            _ => return Err(options.wrong("tokenUse", "\"id\", \"access\" or null")),
        };
        options.opt_count("timeoutMs")?;
        let config = VerifierConfig {
            user_pool_id: options.req_str("userPoolId")?,
            client_ids: options
                .strings("clientId")?
                .ok_or_else(|| options.wrong("clientId", "a string or a list of strings"))?,
            token_use,
            grace_seconds: options.opt_count("graceSeconds")?.unwrap_or(0).into(),
            groups: options.strings("groups")?,
            issuer: options.opt_str("issuer")?,
            jwks_uri: options.opt_str("jwksUri")?,
        };
        let driver = Driver {
            now: Cell::new(0.0),
        };
        let inner = Verifier::new(config, driver).map_err(verify_err)?;
        let uri = inner.jwks_uri().to_owned();
        let core = VerifierCore {
            inner,
            waiting: Vec::new(),
        };
        Ok(concat(&[&o.verifiers.add(core), "\n", &uri]))
    })
}

/// For the token in the inbox, when its key is prepared, what WebCrypto is to check, the
/// rest kept under `id` for `verifier_finish`: five little-endian u32s, the key, the signed
/// input's address and length, the signature's address and length (in this module's memory,
/// valid until `verifier_finish`). Nothing (2) when the key is not prepared (see
/// `verifier_import_key`). Fails with what the token's shape and header already refuse.
#[export_name = "cw_verifier_verify"]
pub extern "C" fn verifier_verify(verifier: u32, id: u32) -> u32 {
    call(|inbox, o| {
        let v = o.verifiers.get(verifier)?;
        let started = v.inner.start(text(inbox)?).map_err(verify_err)?;
        let Some(key) = started.key else {
            return Ok(Reply::Nothing);
        };
        let jws = started.jws;
        let w = Waiting {
            signed: jws.signed.as_bytes().into(),
            signature: jws.signature,
            payload: jws.payload,
            json: jws.payload_json,
        };
        // wasm32: addresses and lengths fit in u32. The boxed slice and the vector's buffer
        // do not move when the list grows.
        let plan = [
            *key,
            w.signed.as_ptr() as u32,
            w.signed.len() as u32,
            w.signature.as_ptr() as u32,
            w.signature.len() as u32,
        ];
        v.waiting.push((id, w));
        let mut out = Vec::with_capacity(20);
        for n in plan {
            out.extend_from_slice(&n.to_le_bytes());
        }
        Ok(Reply::Bytes(out))
    })
}

/// The claims (JSON) of the verification kept under `id`, now that WebCrypto has answered:
/// `outcome` 1 if its promise gave `true`, 0 if anything else, 2 if it was rejected (the
/// inbox then says why). `now` is the time, in seconds since the epoch.
#[export_name = "cw_verifier_finish"]
pub extern "C" fn verifier_finish(verifier: u32, id: u32, outcome: u32, now: f64) -> u32 {
    call(|inbox, o| {
        let v = o.verifiers.get(verifier)?;
        let at = v.waiting.iter().position(|(i, _)| *i == id);
        let w = at
            .map(|at| v.waiting.swap_remove(at).1)
            .ok_or_else(|| verify_err(VerifyError::Platform("no such verification".into())))?;
        if outcome == 2 {
            return Err(verify_err(VerifyError::Platform(text(inbox)?.to_owned())));
        }
        v.inner.platform().now.set(now);
        v.inner
            .check(&w.payload, outcome == 1)
            .map_err(verify_err)?;
        Ok(w.json)
    })
}

/// The JWK (JSON, as `crypto.subtle.importKey("jwk", ...)` takes it, with its `kid`), checked,
/// for the kid
/// of the token in the inbox when the cached JWKS lists it; nothing (2) when it does not
/// (fetch the JWKS, then ask again with `fetched` 1: a kid still missing is then
/// KidNotFoundInJwksError).
#[export_name = "cw_verifier_import_key"]
pub extern "C" fn verifier_import_key(verifier: u32, fetched: u32) -> u32 {
    call(|inbox, o| {
        use crate::base64::{encode, Alphabet::UrlUnpadded};
        let v = o.verifiers.get(verifier)?;
        let started = v.inner.start(text(inbox)?).map_err(verify_err)?;
        match v.inner.key_material(&started.kid, &started.alg) {
            Ok(Some(rsa)) => Ok(ObjectWriter::new()
                .string("kid", &started.kid)
                .string("kty", "RSA")
                .string("alg", "RS256")
                .string("n", &encode(&rsa.modulus, UrlUnpadded))
                .string("e", &encode(&rsa.exponent, UrlUnpadded))
                .finish()
                .into()),
            Ok(None) if fetched == 1 => Err(verify_err(VerifyError::KidNotFound(started.kid))),
            Ok(None) => Ok(Reply::Nothing),
            Err(e) => Err(verify_err(e)),
        }
    })
}

/// Keeps `key`, the index of the driver's `CryptoKey` imported for the kid of the token in
/// the inbox.
#[export_name = "cw_verifier_add_key"]
pub extern "C" fn verifier_add_key(verifier: u32, key: u32) -> u32 {
    call(|inbox, o| {
        let v = o.verifiers.get(verifier)?;
        let started = v.inner.start(text(inbox)?).map_err(verify_err)?;
        v.inner.add_key(&started.kid, key);
        Ok(String::new())
    })
}

/// A JWKS fetch's outcome (as `client_answer` takes one; the inbox `kind \n body`), stored
/// when it is a JWKS.
#[export_name = "cw_verifier_jwks_fetched"]
pub extern "C" fn verifier_jwks_fetched(verifier: u32, status: u32) -> u32 {
    call(|inbox, o| {
        let v = o.verifiers.get(verifier)?;
        let (kind, body) = split(inbox)?;
        let status = u16::try_from(status).map_err(|_| invalid_input(&["an HTTP status"]))?;
        v.inner
            .jwks_fetched(response(status, kind, body))
            .map_err(verify_err)?;
        Ok(String::new())
    })
}

/// Uses the JWKS document in the inbox instead of fetching one.
#[export_name = "cw_verifier_cache_jwks"]
pub extern "C" fn verifier_cache_jwks(verifier: u32) -> u32 {
    call(|inbox, o| {
        let v = o.verifiers.get(verifier)?;
        v.inner.cache_jwks(text(inbox)?).map_err(verify_err)?;
        Ok(String::new())
    })
}

/// Forgets a verifier.
#[export_name = "cw_verifier_free"]
pub extern "C" fn verifier_free(verifier: u32) {
    free(|o| o.verifiers.free(verifier));
}

// SRP: the client side of one sign-in (`SrpSession`, and the SRP worker).

/// A session whose secret is the inbox's random bytes (`SrpClient::SECRET_BYTES` of them,
/// from `crypto.getRandomValues`). Replies `handle \n SRP_A` (hex).
#[export_name = "cw_srp_new"]
pub extern "C" fn srp_new() -> u32 {
    call(|inbox, o| {
        if inbox.len() != SrpClient::SECRET_BYTES {
            return Err(err(Error::Platform("SRP needs 48 random bytes".into())));
        }
        let session = SrpClient::with_secret(inbox).map_err(|e| err(e.into()))?;
        let a = session.public_hex();
        Ok(concat(&[&o.sessions.add(session), "\n", &a]))
    })
}

/// PASSWORD_CLAIM_SIGNATURE, the inbox being the JSON list `[pool name, password, challenge
/// parameters (SRP_B, SALT, SECRET_BLOCK, USER_ID_FOR_SRP), timestamp]`.
#[export_name = "cw_srp_claim"]
pub extern "C" fn srp_claim(session: u32) -> u32 {
    call(|inbox, o| {
        let s = o.sessions.get(session)?;
        let names = &["pool name", "password", "challenge parameters", "timestamp"];
        let a = Args::read(text(inbox)?, names)?;
        let p = a.pairs(2)?;
        let get = |k: &str| {
            api::lookup(&p, k).ok_or_else(|| invalid_input(&["challenge parameters lack ", k]))
        };
        let challenge = crate::srp::PasswordVerifier {
            srp_b: get("SRP_B")?,
            salt: get("SALT")?,
            secret_block: get("SECRET_BLOCK")?,
            user_id_for_srp: get("USER_ID_FOR_SRP")?,
        };
        s.password_claim(a.str(0)?, a.str(1)?, &challenge, a.str(3)?)
            .map_err(|e| err(e.into()))
    })
}

/// Forgets a session.
#[export_name = "cw_srp_free"]
pub extern "C" fn srp_free(session: u32) {
    free(|o| o.sessions.free(session));
}

/// Builds SRP's tables (a few milliseconds) now, so the first sign-in does not pay for them.
#[export_name = "cw_precompute_srp"]
pub extern "C" fn precompute_srp() {
    crate::srp::precompute();
}

/// The TIMESTAMP of a password claim for a time in milliseconds since the epoch.
#[export_name = "cw_srp_timestamp"]
pub extern "C" fn srp_timestamp(epoch_ms: f64) -> u32 {
    call(|_, _| Ok(crate::srp::timestamp((epoch_ms.max(0.0) / 1000.0) as u64)))
}

/// `SECRET_HASH` for the inbox's JSON list `[client secret, username, client id]`:
/// base64(HMAC-SHA256(clientSecret, username + clientId)).
#[export_name = "cw_secret_hash"]
pub extern "C" fn secret_hash() -> u32 {
    call(|inbox, _| {
        let a = Args::read(text(inbox)?, &["client secret", "username", "client id"])?;
        Ok(crate::secret_hash(a.str(0)?, a.str(1)?, a.str(2)?))
    })
}

/// The claims (JSON) of the token in the inbox WITHOUT verification: for display, never for
/// decisions.
#[export_name = "cw_decode_jwt"]
pub extern "C" fn decode_jwt() -> u32 {
    call(|inbox, _| crate::verify::decode_unverified_json(text(inbox)?).map_err(verify_err))
}

/// This module, compiled: the driver sends it to the SRP worker, which then needs no second
/// fetch or compile (and no guess where the wasm file lives). The one wasm-bindgen export:
/// wasm-pack's wasm-bindgen step needs its runtime in the module, and its glue (`init`, the
/// module) is what the driver loads the module with.
#[wasm_bindgen::prelude::wasm_bindgen(js_name = compiledModule)]
pub fn compiled_module() -> wasm_bindgen::JsValue {
    wasm_bindgen::module()
}
