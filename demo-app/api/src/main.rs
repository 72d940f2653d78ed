//! `demo-api`: one protected route, as the practical's last step asks. See README.md.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use cognito_wasm::native::NativePlatform;
use cognito_wasm::{TokenUse, Verifier, VerifierConfig};
use serde_json::{json, Value};

struct Args {
    port: u16,
    pool: String,
    clients: Vec<String>,
    emulator: Option<String>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        port: 9230,
        pool: "us-east-1_Practical".into(),
        clients: Vec::new(),
        emulator: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--port" => args.port = value()?.parse().map_err(|e| format!("--port: {e}"))?,
            "--user-pool-id" => args.pool = value()?,
            "--client-id" => args.clients.push(value()?),
            "--emulator" => args.emulator = Some(value()?.trim_end_matches('/').to_owned()),
            other => {
                return Err(format!(
                    "unknown argument {other} (see demo-app/api/README.md)"
                ))
            }
        }
    }
    if args.clients.is_empty() {
        args.clients = vec![
            "practicalwebclientsecret01".into(),
            "practicalspaclientnosecret".into(),
        ];
    }
    Ok(args)
}

type AppVerifier = Arc<Verifier<NativePlatform>>;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> std::process::ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("demo-api: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    let config = VerifierConfig {
        issuer: args.emulator.as_ref().map(|e| format!("{e}/{}", args.pool)),
        user_pool_id: args.pool,
        client_ids: args.clients,
        token_use: Some(TokenUse::Access),
        grace_seconds: 5,
        ..VerifierConfig::default()
    };
    let verifier = match Verifier::new(config, NativePlatform::new(Duration::from_secs(3))) {
        Ok(v) => Arc::new(v),
        Err(e) => {
            eprintln!("demo-api: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    let listener =
        match tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], args.port))).await {
            Ok(l) => l,
            Err(e) => {
                eprintln!("demo-api: cannot listen on port {}: {e}", args.port);
                return std::process::ExitCode::FAILURE;
            }
        };
    match listener.local_addr() {
        Ok(addr) => println!("listening on http://{addr}"),
        Err(e) => eprintln!("demo-api: {e}"),
    }
    let app = Router::new()
        .route("/api/videos", get(videos).options(preflight))
        .route("/health", get(|| async { "ok" }))
        .layer(axum::middleware::map_response(cors))
        .with_state(verifier);
    let served = axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await;
    match served {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("demo-api: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// The demo app is served from another origin; tokens travel in a header, not in cookies.
async fn cors(mut response: Response) -> Response {
    let h = response.headers_mut();
    h.insert("access-control-allow-origin", HeaderValue::from_static("*"));
    h.insert(
        "access-control-expose-headers",
        HeaderValue::from_static("www-authenticate"),
    );
    response
}

async fn preflight() -> Response {
    let mut r = StatusCode::NO_CONTENT.into_response();
    let h = r.headers_mut();
    h.insert(
        "access-control-allow-methods",
        HeaderValue::from_static("GET, OPTIONS"),
    );
    h.insert(
        "access-control-allow-headers",
        HeaderValue::from_static("authorization"),
    );
    h.insert("access-control-max-age", HeaderValue::from_static("600"));
    r
}

fn unauthorized(reason: &str) -> Response {
    let mut r = (
        StatusCode::UNAUTHORIZED,
        [(header::CONTENT_TYPE, "application/json")],
        json!({ "error": "unauthorized", "reason": reason }).to_string(),
    )
        .into_response();
    // RFC 6750: the challenge names the problem; quotes would break the header, so drop them.
    let description = reason.replace('"', "'");
    if let Ok(v) = HeaderValue::from_str(&format!(
        "Bearer error=\"invalid_token\", error_description=\"{description}\""
    )) {
        r.headers_mut().insert(header::WWW_AUTHENTICATE, v);
    }
    r
}

/// `GET /api/videos`: the caller's own videos, for a valid access token only.
async fn videos(State(verifier): State<AppVerifier>, headers: HeaderMap) -> Response {
    let Some(auth) = headers.get(header::AUTHORIZATION) else {
        return unauthorized("missing bearer token: send Authorization: Bearer <access token>");
    };
    let Some(token) = auth
        .to_str()
        .ok()
        .and_then(|a| a.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
    else {
        return unauthorized("the Authorization header is not 'Bearer <token>'");
    };
    // The native platform does blocking HTTP (JWKS fetches): keep it off the async workers.
    let verified =
        tokio::task::spawn_blocking(move || pollster::block_on(verifier.verify(&token))).await;
    let claims = match verified {
        Ok(Ok(claims)) => claims,
        Ok(Err(e)) => return unauthorized(&format!("{}: {e}", e.name())),
        Err(e) => {
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("verification failed: {e}"),
            )
                .into_response()
        }
    };
    let username = claims.username.clone().unwrap_or_default();
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        json!({
            "user": { "username": username, "sub": claims.sub },
            "videos": videos_of(&claims.sub, &username),
        })
        .to_string(),
    )
        .into_response()
}

/// Every user has their own shelf: picked from the sub, so it is stable across sign-ins and
/// different between users.
fn videos_of(sub: &str, username: &str) -> Value {
    const TITLES: [&str; 8] = [
        "Intro to user pools",
        "SECRET_HASH, explained",
        "SRP without tears",
        "What is in a JWT",
        "Verifying tokens in the browser",
        "Refresh tokens and sign-out",
        "Protecting an API route",
        "Password policies that help",
    ];
    let seed = sub
        .bytes()
        .fold(0usize, |a, b| a.wrapping_mul(31).wrapping_add(b as usize));
    let list: Vec<Value> = (0..3)
        .map(|i| {
            let title = TITLES[(seed + i * 3) % TITLES.len()];
            json!({ "id": format!("{}-{i}", &sub[..sub.len().min(8)]), "title": format!("{title} ({username}'s copy)") })
        })
        .collect();
    Value::Array(list)
}
