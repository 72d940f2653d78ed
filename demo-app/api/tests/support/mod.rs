//! What the API's tests stand on: an RSA key pair of their own, tokens signed with it, a JWKS
//! server that publishes it (or fails as told), the real router on a loopback port, and a
//! plain HTTP/1.1 client that can send what well-behaved clients will not (two
//! `Authorization` headers, non-ASCII bytes).

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use base64ct::{Base64UrlUnpadded, Encoding};
use cognito_wasm::native::NativePlatform;
use cognito_wasm::{TokenUse, Verifier, VerifierConfig};
use rand_core::OsRng;
use rsa::pkcs1v15::SigningKey;
use rsa::signature::{SignatureEncoding, Signer};
use rsa::traits::PublicKeyParts;
use rsa::RsaPrivateKey;
use serde_json::{json, Value};
use sha2::Sha256;
use tokio::runtime::Runtime;

pub const POOL: &str = "us-east-1_ApiTest";
pub const CLIENT: &str = "apitestclient";
/// The kid the JWKS publishes `keys().main` under.
pub const KID: &str = "main-kid";

pub struct Keys {
    /// Published as [`KID`]; signs the valid tokens.
    pub main: RsaPrivateKey,
    /// Never published at first: a forger's key, or the next one a rotation brings.
    pub other: RsaPrivateKey,
}

/// Made once per test binary: key generation is the slow part.
pub fn keys() -> &'static Keys {
    static KEYS: OnceLock<Keys> = OnceLock::new();
    KEYS.get_or_init(|| {
        let generate = || RsaPrivateKey::new(&mut OsRng, 2048).expect("RSA key generation");
        Keys {
            main: generate(),
            other: generate(),
        }
    })
}

fn b64(bytes: &[u8]) -> String {
    Base64UrlUnpadded::encode_string(bytes)
}

/// The JWK Cognito publishes for `key`.
pub fn jwk(kid: &str, key: &RsaPrivateKey) -> Value {
    json!({
        "alg": "RS256",
        "e": b64(&key.e().to_bytes_be()),
        "kid": kid,
        "kty": "RSA",
        "n": b64(&key.n().to_bytes_be()),
        "use": "sig",
    })
}

/// A compact JWS of `claims`, RS256 with `key`, `kid` in its header.
pub fn sign(claims: &Value, kid: &str, key: &RsaPrivateKey) -> String {
    let header = json!({ "alg": "RS256", "kid": kid, "typ": "JWT" });
    let input = format!(
        "{}.{}",
        b64(header.to_string().as_bytes()),
        b64(claims.to_string().as_bytes())
    );
    let signature = SigningKey::<Sha256>::new(key.clone()).sign(input.as_bytes());
    format!("{input}.{}", b64(&signature.to_bytes()))
}

pub fn now() -> i64 {
    let since = SystemTime::now().duration_since(UNIX_EPOCH);
    since.expect("a clock after 1970").as_secs() as i64
}

/// An access token's claims as Cognito writes them, valid for an hour from now.
pub fn access_claims(issuer: &str, sub: &str, username: &str) -> Value {
    json!({
        "sub": sub,
        "iss": issuer,
        "client_id": CLIENT,
        "origin_jti": "c0ffee",
        "event_id": "e1",
        "token_use": "access",
        "scope": "aws.cognito.signin.user.admin",
        "auth_time": now(),
        "exp": now() + 3600,
        "iat": now(),
        "jti": "j1",
        "username": username,
    })
}

/// What the test JWKS server answers at `/{POOL}/.well-known/jwks.json`.
#[derive(Clone)]
pub enum Jwks {
    /// 200 with this key set.
    Serve(Value),
    /// This status, no key set: an outage.
    Status(StatusCode),
    /// 200 with a body that is not a key set.
    Garbage,
}

/// The JWKS server's switch and how many times it was asked.
pub struct JwksServer {
    mode: Mutex<Jwks>,
    fetches: AtomicUsize,
}

impl JwksServer {
    pub fn set(&self, mode: Jwks) {
        *self.mode.lock().expect("the JWKS mode lock") = mode;
    }

    pub fn fetches(&self) -> usize {
        self.fetches.load(Ordering::SeqCst)
    }
}

async fn jwks(State(server): State<Arc<JwksServer>>) -> Response {
    server.fetches.fetch_add(1, Ordering::SeqCst);
    let mode = server.mode.lock().expect("the JWKS mode lock").clone();
    match mode {
        Jwks::Serve(keys) => keys.to_string().into_response(),
        Jwks::Status(status) => (status, "the key service is down").into_response(),
        Jwks::Garbage => "<html>maintenance</html>".into_response(),
    }
}

/// The key set with `keys().main` as [`KID`].
pub fn main_jwks() -> Jwks {
    Jwks::Serve(json!({ "keys": [jwk(KID, &keys().main)] }))
}

/// A running API and its JWKS, on loopback ports; both stop when it is dropped.
pub struct Harness {
    /// The API's address.
    pub api: SocketAddr,
    /// The issuer its verifier trusts: `http://127.0.0.1:{jwks port}/{POOL}`.
    pub issuer: String,
    pub jwks: Arc<JwksServer>,
    _runtime: Runtime,
}

impl Harness {
    /// The API with a verifier of [`CLIENT`]'s access tokens from a JWKS server answering as
    /// `jwks` says.
    pub fn start(jwks: Jwks) -> Harness {
        let runtime = runtime();
        let server = Arc::new(JwksServer {
            mode: Mutex::new(jwks),
            fetches: AtomicUsize::new(0),
        });
        let path = format!("/{POOL}/.well-known/jwks.json");
        let router = Router::new()
            .route(&path, get(self::jwks))
            .with_state(server.clone());
        let jwks_addr = serve(&runtime, router);
        let issuer = format!("http://{jwks_addr}/{POOL}");
        let api = serve(&runtime, demo_api::app(verifier(&issuer)));
        Harness {
            api,
            issuer,
            jwks: server,
            _runtime: runtime,
        }
    }

    /// The API with a verifier whose issuer (and so JWKS) is `issuer`, with no JWKS server.
    pub fn start_with_issuer(issuer: &str) -> (Runtime, SocketAddr) {
        let runtime = runtime();
        let api = serve(&runtime, demo_api::app(verifier(issuer)));
        (runtime, api)
    }

    /// A token from the pool for `sub`, signed with the published key.
    pub fn token(&self, sub: &str, username: &str) -> String {
        sign(
            &access_claims(&self.issuer, sub, username),
            KID,
            &keys().main,
        )
    }

    /// `GET /api/videos` with this `Authorization` value, if any.
    pub fn videos(&self, authorization: Option<&str>) -> Answer {
        let headers: Vec<(&str, &[u8])> = authorization
            .iter()
            .map(|a| ("authorization", a.as_bytes()))
            .collect();
        request(self.api, "GET", "/api/videos", &headers)
    }
}

/// The one verifier configuration of these tests: the practical's, with the test pool's
/// issuer.
fn verifier(issuer: &str) -> demo_api::AppVerifier {
    let config = VerifierConfig {
        issuer: Some(issuer.into()),
        ..VerifierConfig::new(POOL, [CLIENT], Some(TokenUse::Access))
    };
    let platform = NativePlatform::new(Duration::from_secs(3));
    Arc::new(Verifier::new(config, platform).expect("a loopback issuer is accepted"))
}

pub fn runtime() -> Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// Serves `router` on `127.0.0.1:0` in `runtime`; its address.
pub fn serve(runtime: &Runtime, router: Router) -> SocketAddr {
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("a loopback port");
    let addr = listener.local_addr().expect("the listener's address");
    runtime.spawn(async move { axum::serve(listener, router).await });
    addr
}

/// An HTTP answer: status, headers (names in lower case), body.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        let mut found = self.headers.iter().filter(|(n, _)| n == name);
        let first = found.next().map(|(_, v)| v.as_str());
        assert!(found.next().is_none(), "two {name} headers: {self:?}");
        first
    }

    pub fn json(&self) -> Value {
        assert_eq!(
            self.header("content-type"),
            Some("application/json"),
            "{self:?}"
        );
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {self:?}"))
    }
}

/// One HTTP/1.1 request over a new connection, headers sent byte for byte as given.
pub fn request(addr: SocketAddr, method: &str, path: &str, headers: &[(&str, &[u8])]) -> Answer {
    let mut stream = TcpStream::connect(addr).expect("connect to the server");
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .expect("a read timeout");
    let mut out =
        format!("{method} {path} HTTP/1.1\r\nhost: {addr}\r\nconnection: close\r\n").into_bytes();
    for (name, value) in headers {
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"\r\n");
    stream.write_all(&out).expect("send the request");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read the answer");
    let text = String::from_utf8(raw).expect("a UTF-8 answer");
    let (head, body) = text.split_once("\r\n\r\n").expect("an HTTP answer");
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("a status line: {status_line:?}"));
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let answer = Answer {
        status,
        headers,
        body: body.to_owned(),
    };
    assert_eq!(
        answer.header("transfer-encoding"),
        None,
        "these tests read only sized bodies"
    );
    answer
}
