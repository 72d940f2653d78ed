//! HTTP: the JSON 1.1 endpoint, the JWKS, the emulator's own routes, and who may use them
//! (`access.rs`): CORS for allowed origins, the `Host` check, the admin header.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::Request;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::access::ADMIN_HEADER;
use crate::error::ApiError;
use crate::ids;
use crate::ops;
use crate::state::App;

const TARGET_PREFIX: &str = "AWSCognitoIdentityProviderService.";

pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/", post(api))
        .route(
            "/health",
            get(|| async { json_response(StatusCode::OK, &json!({"status": "ok"})) }),
        )
        // The emulator's own routes: their handlers take [`Admin`].
        .route("/_emulator/outbox", get(outbox))
        .route("/_emulator/client-metadata", get(client_metadata))
        .route("/_emulator/stats", get(stats))
        .route("/_emulator/clock", post(clock))
        .route("/_emulator/reset", post(reset))
        .route("/_emulator/delay/{ms}", post(delayed))
        .route("/{*path}", get(jwks))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(app.clone(), check_host))
        .layer(middleware::from_fn_with_state(app.clone(), cors))
        .with_state(app)
}

/// CORS, outermost: a page on an allowed origin (`access.rs`) may read every response, errors
/// and preflights included; a page on any other origin gets no CORS header at all, and its
/// preflight is refused, so it can neither read an answer nor send a request that needs one
/// (any Cognito call: `X-Amz-Target`; anything of the emulator's own: the admin header).
async fn cors(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let origin = request.headers().get(header::ORIGIN).cloned();
    let allowed = origin.as_ref().filter(|o| {
        o.to_str()
            .is_ok_and(|o| app.settings.access.origin_allowed(o))
    });
    let mut response = if request.method() == Method::OPTIONS {
        preflight(&request, origin.as_ref(), allowed.is_some())
    } else {
        next.run(request).await
    };
    let h = response.headers_mut();
    h.append(header::VARY, HeaderValue::from_static("origin"));
    if let Some(origin) = allowed {
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone());
        h.insert(
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static(
                "x-amzn-errortype, x-amzn-requestid, x-amzn-errormessage, date",
            ),
        );
    }
    response
}

/// Answers an `OPTIONS` request on any path, before routing (a route's method filter would
/// otherwise answer 405): the preflight of an allowed origin, or a refusal.
fn preflight(request: &Request, origin: Option<&HeaderValue>, allowed: bool) -> Response {
    if let (Some(origin), false) = (origin, allowed) {
        let origin = String::from_utf8_lossy(origin.as_bytes());
        return error_response(&ApiError::access_denied(format!(
            "Origin {origin} may not use the emulator: only loopback origins (http://localhost, \
             127.0.0.1 or [::1], any port) and those given with --cors-origin may"
        )));
    }
    let mut r = StatusCode::NO_CONTENT.into_response();
    if !allowed {
        return r;
    }
    let h = r.headers_mut();
    h.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("GET, POST, OPTIONS"),
    );
    h.insert(
        header::ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static(
            "content-type, x-amz-target, x-amz-user-agent, authorization, cache-control, \
             x-amz-date, x-amz-security-token, x-cognito-emulator-admin",
        ),
    );
    h.insert(
        header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static("86400"),
    );
    // Chromium's Private Network Access: a page on a public origin given with --cors-origin
    // asks before it may reach a local server.
    let private = request
        .headers()
        .get("access-control-request-private-network")
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"true"));
    if private {
        h.insert(
            "access-control-allow-private-network",
            HeaderValue::from_static("true"),
        );
    }
    r
}

/// Refuses a request not addressed to us by name: a page on `attacker.example` whose name
/// the attacker has rebound to 127.0.0.1 reaches us as same-origin, but still sends
/// `Host: attacker.example`.
async fn check_host(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let host = request.headers().get(header::HOST);
    if host
        .and_then(|h| h.to_str().ok())
        .is_some_and(|h| app.settings.access.host_allowed(h))
    {
        return next.run(request).await;
    }
    let host = host.map_or("(none)".into(), |h| String::from_utf8_lossy(h.as_bytes()));
    error_response(&ApiError::access_denied(format!(
        "Host {host} is not a name the emulator answers to: it answers to localhost, 127.0.0.1 \
         and [::1] (any port), the public URL's host, and the hosts given with --allow-host"
    )))
}

/// The refusal of a call that needs the admin header and came without it.
fn admin_required(what: &str) -> ApiError {
    ApiError::access_denied(format!(
        "{what} needs the header X-Cognito-Emulator-Admin: 1. Tests and tools send it; a web \
         page on another origin cannot (its preflight is refused)."
    ))
}

/// Proof that a request carries the admin header, which the emulator's own routes take: a
/// page on another origin can send a "simple" GET or POST without a preflight, but not with
/// this header. (An extractor rather than a layer, so that a wrong method is still 405.)
struct Admin;

impl<S: Send + Sync> FromRequestParts<S> for Admin {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Admin, Response> {
        if parts.headers.contains_key(ADMIN_HEADER) {
            Ok(Admin)
        } else {
            Err(error_response(&admin_required(parts.uri.path())))
        }
    }
}

fn json_response(status: StatusCode, body: &Value) -> Response {
    let mut r = (status, body.to_string()).into_response();
    r.headers_mut().insert(
        "content-type",
        HeaderValue::from_static("application/x-amz-json-1.1"),
    );
    if let Ok(id) = ids::uuid() {
        if let Ok(v) = HeaderValue::from_str(&id) {
            r.headers_mut().insert("x-amzn-requestid", v);
        }
    }
    r
}

fn error_response(e: &ApiError) -> Response {
    let status = match e.name {
        "InternalErrorException" => StatusCode::INTERNAL_SERVER_ERROR,
        "AccessDeniedException" => StatusCode::FORBIDDEN,
        _ => StatusCode::BAD_REQUEST,
    };
    let mut r = json_response(status, &json!({ "__type": e.name, "message": e.message }));
    r.headers_mut()
        .insert("x-amzn-errortype", HeaderValue::from_static(e.name));
    r
}

async fn api(State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes) -> Response {
    let target = headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let Some(op) = target.strip_prefix(TARGET_PREFIX) else {
        return error_response(&ApiError::new(
            "UnknownOperationException",
            format!("X-Amz-Target must be {TARGET_PREFIX}<Operation>, got {target:?}"),
        ));
    };
    if ops::requires_admin(op) && !headers.contains_key(ADMIN_HEADER) {
        return error_response(&admin_required(op));
    }
    let body: Value = match serde_json::from_slice(&body) {
        Ok(v @ Value::Object(_)) => v,
        Ok(_) => {
            return error_response(&ApiError::new(
                "SerializationException",
                "The request body must be a JSON object",
            ))
        }
        Err(e) => {
            return error_response(&ApiError::new(
                "SerializationException",
                format!("The request body is not valid JSON: {e}"),
            ))
        }
    };
    let result = ops::dispatch(&app, op, body).await;
    if !matches!(&result, Err(e) if e.name == "UnknownOperationException") {
        *app.lock().requests.entry(op.to_owned()).or_default() += 1;
    }
    match result {
        Ok(v) => json_response(StatusCode::OK, &v),
        Err(e) => error_response(&e),
    }
}

/// `POST /_emulator/delay/{ms}`: the API, answering after `ms` milliseconds (at most a
/// minute), so clients can test their time-outs against a real slow server. A client library
/// pointed here cannot add the admin header, so this route does not need it (its admin
/// operations do, as on `/`); a request without `X-Amz-Target`, the only kind a page on
/// another origin can send, is answered at once, so such pages cannot pile up sleepers.
async fn delayed(
    State(app): State<Arc<App>>,
    Path(ms): Path<u64>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if headers.contains_key("x-amz-target") {
        tokio::time::sleep(std::time::Duration::from_millis(ms.min(60_000))).await;
    }
    api(State(app), headers, body).await
}

/// `GET {prefix}/{poolId}/.well-known/jwks.json`, where the prefix is the public URL's path.
async fn jwks(State(app): State<Arc<App>>, Path(path): Path<String>) -> Response {
    let pool_id = path
        .strip_suffix("/.well-known/jwks.json")
        .and_then(|p| p.rsplit('/').next());
    let known = pool_id.is_some_and(|id| app.lock().pools.contains_key(id));
    if !known {
        return not_found().await;
    }
    match app.keys().await {
        Ok(keys) => json_response(StatusCode::OK, &keys.jwks()),
        Err(e) => error_response(&e),
    }
}

#[derive(Deserialize)]
struct OutboxQuery {
    username: Option<String>,
    pool_id: Option<String>,
}

async fn outbox(_: Admin, State(app): State<Arc<App>>, Query(q): Query<OutboxQuery>) -> Response {
    let state = app.lock();
    let messages: Vec<_> = state
        .outbox
        .iter()
        .filter(|m| {
            q.username
                .as_ref()
                .is_none_or(|u| m.username.eq_ignore_ascii_case(u))
        })
        .filter(|m| q.pool_id.as_ref().is_none_or(|p| &m.pool_id == p))
        .collect();
    json_response(StatusCode::OK, &json!(messages))
}

/// `GET /_emulator/client-metadata[?username=U][&pool_id=P]`: the ClientMetadata of every
/// successful call that carried some, oldest first.
async fn client_metadata(
    _: Admin,
    State(app): State<Arc<App>>,
    Query(q): Query<OutboxQuery>,
) -> Response {
    let state = app.lock();
    let records: Vec<_> = state
        .client_metadata
        .iter()
        .filter(|r| {
            q.username
                .as_ref()
                .is_none_or(|u| r.username.eq_ignore_ascii_case(u))
        })
        .filter(|r| q.pool_id.as_ref().is_none_or(|p| &r.pool_id == p))
        .collect();
    json_response(StatusCode::OK, &json!(records))
}

/// `GET /_emulator/stats`: how much the emulator holds, so tests can see that what expires
/// is forgotten (`Expiring`), and how many requests of each operation it answered.
async fn stats(_: Admin, State(app): State<Arc<App>>) -> Response {
    let state = app.lock();
    let pools = state.pools.values();
    json_response(
        StatusCode::OK,
        &json!({
            "pools": state.pools.len(),
            "clients": pools.clone().map(|p| p.clients.len()).sum::<usize>(),
            "users": pools.map(|p| p.users.len()).sum::<usize>(),
            "sessions": state.sessions.len(),
            "refresh_tokens": state.refresh_tokens.len(),
            "srp_challenges": state.srp_pending.len(),
            "outbox": state.outbox.len(),
            "client_metadata": state.client_metadata.len(),
            "requests": state.requests,
        }),
    )
}

#[derive(Deserialize)]
struct ClockRequest {
    advance_seconds: u64,
}

async fn clock(_: Admin, State(app): State<Arc<App>>, body: Bytes) -> Response {
    match serde_json::from_slice::<ClockRequest>(&body) {
        Ok(req) => json_response(
            StatusCode::OK,
            &json!({ "now": app.advance_clock(req.advance_seconds) }),
        ),
        Err(e) => error_response(&ApiError::new(
            "SerializationException",
            format!("expected {{\"advance_seconds\": N}}: {e}"),
        )),
    }
}

async fn reset(_: Admin, State(app): State<Arc<App>>) -> Response {
    *app.lock() = Default::default();
    json_response(StatusCode::OK, &json!({}))
}

async fn not_found() -> Response {
    json_response(
        StatusCode::NOT_FOUND,
        &json!({ "__type": "NotFound", "message": "No such route on the emulator" }),
    )
}
