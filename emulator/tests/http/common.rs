//! Harness for the black-box HTTP tests: spawns the `cognito-emulator` binary, speaks its
//! JSON 1.1 protocol with ureq and offers small fixtures (a pool and a client per test).

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::Duration;

use base64ct::{Base64, Base64UrlUnpadded, Encoding};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

/// The password used everywhere; satisfies the default policy.
pub const PASSWORD: &str = "Correct-Horse-9";
/// A second valid password (for resets and changes).
pub const NEW_PASSWORD: &str = "Battery-Staple-7";

pub const TARGET_PREFIX: &str = "AWSCognitoIdentityProviderService.";
pub const CONTENT_TYPE: &str = "application/x-amz-json-1.1";

/// The header the emulator's own routes (`/_emulator/*`) and its admin operations need: a
/// page on another origin cannot send it, tests and tools do.
pub const ADMIN: (&str, &str) = ("X-Cognito-Emulator-Admin", "1");

/// The operations that need [`ADMIN`]: those AWS signs with IAM credentials, but
/// DescribeUserPool (no secret, no user in its answer; the demo reads it from the page).
pub const ADMIN_OPS: [&str; 12] = [
    "CreateUserPool",
    "CreateUserPoolClient",
    "DescribeUserPoolClient",
    "AdminGetUser",
    "AdminConfirmSignUp",
    "AdminDeleteUser",
    "ListUsers",
    "SetUserPoolMfaConfig",
    "GetUserPoolMfaConfig",
    "AdminCreateUser",
    "AdminSetUserPassword",
    "AdminSetUserMFAPreference",
];

/// The flows most tests' clients allow.
pub fn all_flows() -> Value {
    json!([
        "ALLOW_USER_PASSWORD_AUTH",
        "ALLOW_USER_SRP_AUTH",
        "ALLOW_REFRESH_TOKEN_AUTH"
    ])
}

/// A running emulator. Dropping it stops the process.
///
/// The binary is started under a tiny `sh` guard that kills it as soon as our end of the guard's
/// stdin closes: on drop, and also when the test process exits without running destructors (the
/// shared emulator lives in a static), so no emulator outlives `cargo test`.
pub struct Emulator {
    pub base: String,
    pub port: u16,
    agent: ureq::Agent,
    guard: Option<ChildStdin>,
    child: Child,
}

impl Drop for Emulator {
    fn drop(&mut self) {
        // Closing the guard's stdin makes it kill the emulator and exit.
        drop(self.guard.take());
        let _ = self.child.wait();
    }
}

/// The emulator shared by every test of this binary that does not move the clock or reset.
pub fn shared() -> &'static Emulator {
    static SHARED: OnceLock<Emulator> = OnceLock::new();
    SHARED.get_or_init(|| Emulator::start(&[]))
}

/// An error answer of the Cognito API.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: u16,
    /// `__type`, exactly as sent.
    pub kind: String,
    pub message: String,
    /// Header names lowercased.
    pub headers: BTreeMap<String, String>,
    pub body: String,
}

impl ApiError {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(&name.to_ascii_lowercase())
            .map(String::as_str)
    }
}

/// A raw HTTP answer (any status).
#[derive(Debug, Clone)]
pub struct RawResponse {
    pub status: u16,
    pub headers: BTreeMap<String, String>,
    pub body: String,
}

impl RawResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(&name.to_ascii_lowercase())
            .map(String::as_str)
    }
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("body is not JSON ({e}): {:?}", self.body))
    }
}

fn collect_headers(resp: &ureq::Response) -> BTreeMap<String, String> {
    let mut headers = BTreeMap::new();
    for name in resp.headers_names() {
        let values: Vec<&str> = resp.all(&name);
        headers.insert(name.to_ascii_lowercase(), values.join(", "));
    }
    headers
}

fn into_raw(result: Result<ureq::Response, ureq::Error>) -> RawResponse {
    let resp = match result {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("transport error talking to the emulator: {e}"),
    };
    let status = resp.status();
    let headers = collect_headers(&resp);
    let body = resp.into_string().expect("reading the response body");
    RawResponse {
        status,
        headers,
        body,
    }
}

impl Emulator {
    /// Starts a fresh emulator with `--port 0 --quiet` plus `extra` flags.
    pub fn start(extra: &[&str]) -> Emulator {
        let bin = env!("CARGO_BIN_EXE_cognito-emulator");
        // `$0` is the binary, `$@` its flags. The background job's stdin is /dev/null (no job
        // control), so `read` waits on OUR pipe: it returns when we close it or die.
        let script = r#""$0" "$@" & pid=$!; read -r _ignored; kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null"#;
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(script)
            .arg(bin)
            .args(["--port", "0", "--quiet"])
            .args(extra)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawning the emulator");
        let guard = child.stdin.take();
        let stdout = child.stdout.take().expect("emulator stdout");
        let mut reader = BufReader::new(stdout);
        let mut line = String::new();
        reader
            .read_line(&mut line)
            .expect("reading the emulator's first line");
        let line = line.trim().to_string();
        let base = line
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line from the emulator: {line:?}"))
            .trim_end_matches('/')
            .to_string();
        assert!(
            base.starts_with("http://127.0.0.1:"),
            "first line: {line:?}"
        );
        let port: u16 = base
            .rsplit(':')
            .next()
            .unwrap()
            .parse()
            .expect("port in first line");
        assert_ne!(port, 0, "the emulator must print the port it really bound");
        // Keep draining stdout so that a later print never hits a closed pipe.
        std::thread::spawn(move || {
            let _ = std::io::copy(&mut reader, &mut std::io::sink());
        });
        let agent = ureq::AgentBuilder::new()
            .timeout(Duration::from_secs(120))
            .max_idle_connections_per_host(64)
            .build();
        Emulator {
            base,
            port,
            agent,
            guard,
            child,
        }
    }

    // ----- raw HTTP -----

    pub fn post_raw(&self, path: &str, headers: &[(&str, &str)], body: &str) -> RawResponse {
        let mut req = self.agent.post(&format!("{}{}", self.base, path));
        for (k, v) in headers {
            req = req.set(k, v);
        }
        into_raw(req.send_string(body))
    }

    pub fn get_raw(&self, path: &str) -> RawResponse {
        into_raw(self.agent.get(&format!("{}{}", self.base, path)).call())
    }

    pub fn request_raw(&self, method: &str, path: &str, headers: &[(&str, &str)]) -> RawResponse {
        let mut req = self
            .agent
            .request(method, &format!("{}{}", self.base, path));
        for (k, v) in headers {
            req = req.set(k, v);
        }
        into_raw(req.call())
    }

    /// `GET path` with the admin header, as a test tool reads `/_emulator/*`: a 200's JSON.
    pub fn get_json(&self, path: &str) -> Value {
        let r = self.request_raw("GET", path, &[ADMIN]);
        assert_eq!(r.status, 200, "GET {path}: {} {}", r.status, r.body);
        r.json()
    }

    /// POSTs a Cognito operation with the given extra headers; returns the raw answer.
    pub fn call_raw(&self, op: &str, body: &Value, extra: &[(&str, &str)]) -> RawResponse {
        let target = format!("{TARGET_PREFIX}{op}");
        let mut headers = vec![
            ("Content-Type", CONTENT_TYPE),
            ("X-Amz-Target", target.as_str()),
        ];
        headers.extend_from_slice(extra);
        self.post_raw("/", &headers, &body.to_string())
    }

    /// Calls a Cognito operation, with the admin header if it is one of [`ADMIN_OPS`]. `Ok` is
    /// the JSON body of a 200; anything else is an `ApiError`.
    pub fn call(&self, op: &str, body: Value) -> Result<Value, ApiError> {
        let admin: &[(&str, &str)] = if ADMIN_OPS.contains(&op) {
            &[ADMIN]
        } else {
            &[]
        };
        let r = self.call_raw(op, &body, admin);
        to_result(op, r)
    }

    /// Calls and insists on success.
    pub fn ok(&self, op: &str, body: Value) -> Value {
        match self.call(op, body.clone()) {
            Ok(v) => v,
            Err(e) => panic!("{op} {body} failed: {e:?}"),
        }
    }

    /// Calls and insists on the given error, checking status 400, `__type` and the
    /// `x-amzn-errortype` header. Returns the error for further checks.
    pub fn err(&self, op: &str, body: Value, kind: &str) -> ApiError {
        match self.call(op, body.clone()) {
            Ok(v) => panic!("{op} {body} succeeded with {v}, expected {kind}"),
            Err(e) => {
                assert_api_error(&e, kind, &format!("{op} {body}"));
                e
            }
        }
    }

    // ----- emulator endpoints -----

    pub fn outbox(&self, pool_id: &str, username: &str) -> Vec<Value> {
        let v = self.get_json(&format!(
            "/_emulator/outbox?username={}&pool_id={}",
            urlencode(username),
            urlencode(pool_id)
        ));
        v.as_array().expect("outbox is a JSON list").clone()
    }

    /// The latest code of `kind` ("confirm_sign_up" or "forgot_password") sent to `username`.
    pub fn latest_code(&self, pool_id: &str, username: &str, kind: &str) -> String {
        let msgs = self.outbox(pool_id, username);
        let msg = msgs
            .iter()
            .rev()
            .find(|m| m["kind"] == kind)
            .unwrap_or_else(|| panic!("no {kind} message for {username} in {msgs:?}"));
        msg["code"].as_str().expect("code is a string").to_string()
    }

    pub fn advance_clock(&self, seconds: u64) -> u64 {
        let r = self.post_raw(
            "/_emulator/clock",
            &[("Content-Type", "application/json"), ADMIN],
            &json!({ "advance_seconds": seconds }).to_string(),
        );
        assert_eq!(r.status, 200, "clock: {} {}", r.status, r.body);
        r.json()["now"].as_f64().expect("clock answers {now}") as u64
    }

    pub fn now(&self) -> u64 {
        self.advance_clock(0)
    }

    pub fn reset(&self) {
        let r = self.post_raw(
            "/_emulator/reset",
            &[("Content-Type", "application/json"), ADMIN],
            "{}",
        );
        assert!(
            r.status == 200 || r.status == 204,
            "reset: {} {}",
            r.status,
            r.body
        );
    }

    // ----- fixtures -----

    /// CreateUserPool with a unique name; `extra` members are merged in. Returns `UserPool`.
    pub fn create_pool(&self, extra: Value) -> Value {
        let mut body = json!({
            "PoolName": unique("pool"),
            "AutoVerifiedAttributes": ["email"],
            "Schema": [{"Name": "email", "AttributeDataType": "String", "Required": true, "Mutable": true}],
        });
        merge(&mut body, extra);
        let v = self.ok("CreateUserPool", body);
        v["UserPool"].clone()
    }

    /// CreateUserPoolClient; `extra` members are merged in. Returns `UserPoolClient`.
    pub fn create_client(&self, pool_id: &str, extra: Value) -> Value {
        let mut body = json!({ "UserPoolId": pool_id, "ClientName": unique("client") });
        merge(&mut body, extra);
        let v = self.ok("CreateUserPoolClient", body);
        v["UserPoolClient"].clone()
    }

    /// A new pool (email required, auto-verified) and a client with `client_extra`.
    pub fn app(&self, client_extra: Value) -> App<'_> {
        let pool = self.create_pool(json!({}));
        self.app_in(&pool, client_extra)
    }

    pub fn app_in(&self, pool: &Value, client_extra: Value) -> App<'_> {
        let pool_id = pool["Id"].as_str().expect("pool id").to_string();
        let client = self.create_client(&pool_id, client_extra);
        App {
            emu: self,
            pool_name: pool["Name"].as_str().unwrap_or_default().to_string(),
            client_id: client["ClientId"].as_str().expect("client id").to_string(),
            secret: client["ClientSecret"].as_str().map(str::to_string),
            pool_id,
        }
    }

    /// A client without secret that allows USER_PASSWORD_AUTH, SRP and refresh.
    pub fn public_app(&self) -> App<'_> {
        self.app(json!({ "ExplicitAuthFlows": all_flows() }))
    }

    /// A client with a secret that allows USER_PASSWORD_AUTH, SRP and refresh.
    pub fn secret_app(&self) -> App<'_> {
        self.app(json!({ "GenerateSecret": true, "ExplicitAuthFlows": all_flows() }))
    }
}

fn to_result(op: &str, r: RawResponse) -> Result<Value, ApiError> {
    if r.status == 200 {
        let v: Value = if r.body.trim().is_empty() {
            json!({})
        } else {
            serde_json::from_str(&r.body).unwrap_or_else(|e| {
                panic!("{op}: 200 with a body that is not JSON ({e}): {:?}", r.body)
            })
        };
        return Ok(v);
    }
    let parsed: Value = serde_json::from_str(&r.body).unwrap_or(Value::Null);
    Err(ApiError {
        status: r.status,
        kind: parsed["__type"].as_str().unwrap_or_default().to_string(),
        message: parsed["message"]
            .as_str()
            .or_else(|| parsed["Message"].as_str())
            .unwrap_or_default()
            .to_string(),
        headers: r.headers,
        body: r.body,
    })
}

/// Status 400, `__type` exactly `kind`, header `x-amzn-errortype` exactly `kind`.
pub fn assert_api_error(e: &ApiError, kind: &str, what: &str) {
    assert_eq!(e.kind, kind, "{what}: wrong __type; full error: {e:?}");
    assert_eq!(e.status, 400, "{what}: wrong status; full error: {e:?}");
    assert_eq!(
        e.header("x-amzn-errortype"),
        Some(kind),
        "{what}: wrong x-amzn-errortype header; full error: {e:?}"
    );
}

/// Like `assert_api_error` but any of `kinds` is accepted (where the spec leaves the name open).
pub fn assert_api_error_any(e: &ApiError, kinds: &[&str], what: &str) {
    assert!(
        kinds.contains(&e.kind.as_str()),
        "{what}: __type not in {kinds:?}; full error: {e:?}"
    );
    assert_eq!(e.status, 400, "{what}: wrong status; full error: {e:?}");
    assert_eq!(
        e.header("x-amzn-errortype"),
        Some(e.kind.as_str()),
        "{what}: header; {e:?}"
    );
}

/// A pool and one of its clients, with helpers that add SECRET_HASH when the client has a secret.
#[derive(Clone)]
pub struct App<'a> {
    pub emu: &'a Emulator,
    pub pool_id: String,
    pub pool_name: String,
    pub client_id: String,
    pub secret: Option<String>,
}

impl<'a> App<'a> {
    pub fn secret_hash(&self, username: &str) -> Option<String> {
        self.secret
            .as_ref()
            .map(|s| secret_hash(s, username, &self.client_id))
    }

    /// Adds `SecretHash` (top level) when the client has a secret.
    fn with_top_hash(&self, mut body: Value, username: &str) -> Value {
        if let Some(h) = self.secret_hash(username) {
            body["SecretHash"] = json!(h);
        }
        body
    }

    pub fn sign_up_body(&self, username: &str, password: &str, email: &str) -> Value {
        self.with_top_hash(
            json!({
                "ClientId": self.client_id,
                "Username": username,
                "Password": password,
                "UserAttributes": [{"Name": "email", "Value": email}],
            }),
            username,
        )
    }

    pub fn sign_up(&self, username: &str, password: &str) -> Result<Value, ApiError> {
        self.emu.call(
            "SignUp",
            self.sign_up_body(username, password, &email_of(username)),
        )
    }

    pub fn confirm_body(&self, username: &str, code: &str) -> Value {
        self.with_top_hash(
            json!({ "ClientId": self.client_id, "Username": username, "ConfirmationCode": code }),
            username,
        )
    }

    pub fn confirm(&self, username: &str, code: &str) -> Result<Value, ApiError> {
        self.emu
            .call("ConfirmSignUp", self.confirm_body(username, code))
    }

    pub fn resend_body(&self, username: &str) -> Value {
        self.with_top_hash(
            json!({ "ClientId": self.client_id, "Username": username }),
            username,
        )
    }

    pub fn forgot_body(&self, username: &str) -> Value {
        self.with_top_hash(
            json!({ "ClientId": self.client_id, "Username": username }),
            username,
        )
    }

    pub fn confirm_forgot_body(&self, username: &str, code: &str, password: &str) -> Value {
        self.with_top_hash(
            json!({
                "ClientId": self.client_id,
                "Username": username,
                "ConfirmationCode": code,
                "Password": password,
            }),
            username,
        )
    }

    pub fn code(&self, username: &str, kind: &str) -> String {
        self.emu.latest_code(&self.pool_id, username, kind)
    }

    /// SignUp + ConfirmSignUp with the code from the outbox. Returns the UserSub.
    pub fn confirmed_user(&self, username: &str, password: &str) -> String {
        let v = self
            .sign_up(username, password)
            .unwrap_or_else(|e| panic!("SignUp {username}: {e:?}"));
        let code = self.code(username, "confirm_sign_up");
        self.confirm(username, &code)
            .unwrap_or_else(|e| panic!("ConfirmSignUp {username}: {e:?}"));
        v["UserSub"].as_str().expect("UserSub").to_string()
    }

    pub fn password_auth_body(&self, username: &str, password: &str) -> Value {
        let mut params = json!({ "USERNAME": username, "PASSWORD": password });
        if let Some(h) = self.secret_hash(username) {
            params["SECRET_HASH"] = json!(h);
        }
        json!({ "AuthFlow": "USER_PASSWORD_AUTH", "ClientId": self.client_id, "AuthParameters": params })
    }

    pub fn password_auth(&self, username: &str, password: &str) -> Result<Value, ApiError> {
        self.emu
            .call("InitiateAuth", self.password_auth_body(username, password))
    }

    /// USER_PASSWORD_AUTH that must succeed; returns AuthenticationResult.
    pub fn tokens(&self, username: &str, password: &str) -> Value {
        let v = self
            .password_auth(username, password)
            .unwrap_or_else(|e| panic!("USER_PASSWORD_AUTH {username}: {e:?}"));
        v["AuthenticationResult"].clone()
    }

    /// REFRESH_TOKEN_AUTH; the SECRET_HASH (if any) is computed over `hash_user`.
    pub fn refresh_body(&self, refresh_token: &str, hash_user: &str) -> Value {
        let mut params = json!({ "REFRESH_TOKEN": refresh_token });
        if let Some(h) = self.secret_hash(hash_user) {
            params["SECRET_HASH"] = json!(h);
        }
        json!({ "AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": self.client_id, "AuthParameters": params })
    }

    pub fn refresh(&self, refresh_token: &str, hash_user: &str) -> Result<Value, ApiError> {
        self.emu
            .call("InitiateAuth", self.refresh_body(refresh_token, hash_user))
    }

    pub fn revoke_body(&self, refresh_token: &str) -> Value {
        let mut body = json!({ "Token": refresh_token, "ClientId": self.client_id });
        if let Some(s) = &self.secret {
            body["ClientSecret"] = json!(s);
        }
        body
    }

    pub fn get_user(&self, access_token: &str) -> Result<Value, ApiError> {
        self.emu
            .call("GetUser", json!({ "AccessToken": access_token }))
    }

    pub fn admin_get_user(&self, username: &str) -> Result<Value, ApiError> {
        self.emu.call(
            "AdminGetUser",
            json!({ "UserPoolId": self.pool_id, "Username": username }),
        )
    }

    /// The part of the pool id after `_` (SRP's pool name).
    pub fn srp_pool_name(&self) -> &str {
        self.pool_id
            .split_once('_')
            .map(|(_, n)| n)
            .unwrap_or(&self.pool_id)
    }

    pub fn issuer(&self) -> String {
        format!("{}/{}", self.emu.base, self.pool_id)
    }
}

/// base64(HMAC-SHA256(secret, username || client_id)).
pub fn secret_hash(secret: &str, username: &str, client_id: &str) -> String {
    let message = [username.as_bytes(), client_id.as_bytes()].concat();
    Base64::encode_string(&hmac_sha256(secret.as_bytes(), &message))
}

/// HMAC-SHA256 (RFC 2104), written out here so the tests do not share the library's.
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut block = [0u8; 64];
    if key.len() > 64 {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let ipad: Vec<u8> = block.iter().map(|b| b ^ 0x36).collect();
    let opad: Vec<u8> = block.iter().map(|b| b ^ 0x5c).collect();
    let inner = Sha256::new()
        .chain_update(&ipad)
        .chain_update(message)
        .finalize();
    Sha256::new()
        .chain_update(&opad)
        .chain_update(inner)
        .finalize()
        .into()
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A lowercase name unique within this test process (and very likely across processes).
pub fn unique(prefix: &str) -> String {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!("{prefix}-{}-{n}-{nanos:x}", std::process::id())
}

pub fn email_of(username: &str) -> String {
    format!("{}@example.com", username.to_ascii_lowercase())
}

pub fn merge(base: &mut Value, extra: Value) {
    if let (Some(b), Value::Object(e)) = (base.as_object_mut(), extra) {
        for (k, v) in e {
            b.insert(k, v);
        }
    }
}

pub fn urlencode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A code that differs from `code` in every digit (so it is certainly wrong).
pub fn wrong_code(code: &str) -> String {
    code.chars()
        .map(|c| match c.to_digit(10) {
            Some(d) => char::from_digit((d + 1) % 10, 10).unwrap(),
            None => 'x',
        })
        .collect()
}

/// Base64url (unpadded, tolerating padding) decoding.
pub fn b64url_decode(s: &str) -> Vec<u8> {
    Base64UrlUnpadded::decode_vec(s.trim_end_matches('='))
        .unwrap_or_else(|e| panic!("not base64url ({e}): {s:?}"))
}

/// Splits a JWT into (header JSON, payload JSON, signing input, signature bytes).
pub fn decode_jwt(token: &str) -> (Value, Value, String, Vec<u8>) {
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3, "a JWT has three parts: {token:?}");
    let header: Value = serde_json::from_slice(&b64url_decode(parts[0])).expect("header JSON");
    let payload: Value = serde_json::from_slice(&b64url_decode(parts[1])).expect("payload JSON");
    let sig = b64url_decode(parts[2]);
    (header, payload, format!("{}.{}", parts[0], parts[1]), sig)
}

/// Flips one character in the middle of the JWT payload (keeps it base64url).
pub fn tamper_payload(token: &str) -> String {
    let parts: Vec<&str> = token.split('.').collect();
    let mut payload: Vec<u8> = parts[1].as_bytes().to_vec();
    let i = payload.len() / 2;
    payload[i] = if payload[i] == b'A' { b'B' } else { b'A' };
    format!(
        "{}.{}.{}",
        parts[0],
        String::from_utf8(payload).unwrap(),
        parts[2]
    )
}

/// Cognito's SRP timestamp: `ddd MMM D HH:mm:ss UTC YYYY`, day not zero-padded.
pub fn srp_timestamp(epoch: u64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let days = (epoch / 86_400) as i64;
    let secs = epoch % 86_400;
    let weekday = DAYS[(days % 7) as usize];
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
    format!(
        "{weekday} {} {d} {:02}:{:02}:{:02} UTC {y}",
        MONTHS[(m - 1) as usize],
        secs / 3600,
        (secs / 60) % 60,
        secs % 60
    )
}

pub fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// Writes a temporary file and returns its path.
pub fn temp_file(name: &str, contents: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("cognito-emulator-tests-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    let mut f = std::fs::File::create(&path).unwrap();
    f.write_all(contents.as_bytes()).unwrap();
    path
}

#[test]
fn hmac_sha256_rfc4231_case_2() {
    let mac = hmac_sha256(b"Jefe", b"what do ya want for nothing?");
    let hex: String = mac.iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(
        hex,
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    );
}

#[test]
fn srp_timestamp_format() {
    assert_eq!(srp_timestamp(0), "Thu Jan 1 00:00:00 UTC 1970");
    assert_eq!(srp_timestamp(1_644_829_507), "Mon Feb 14 09:05:07 UTC 2022");
    // The library's TIMESTAMP, which the SRP tests sign with, agrees with this one.
    for t in [
        0,
        951_782_400,
        1_644_829_507,
        1_709_164_800,
        4_107_542_399,
        unix_now(),
    ] {
        assert_eq!(cognito_wasm::srp::timestamp(t), srp_timestamp(t), "at {t}");
    }
}
