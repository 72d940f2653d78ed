//! HTTP: the JSON 1.1 endpoint, the JWKS, the emulator's own routes, and CORS on everything.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::Request;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use serde_json::{json, Value};

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
        .route("/_emulator/outbox", get(outbox))
        .route("/_emulator/client-metadata", get(client_metadata))
        .route("/_emulator/clock", post(clock))
        .route("/_emulator/reset", post(reset))
        .route("/_emulator/delay/{ms}", post(delayed))
        .route("/{*path}", get(jwks))
        .fallback(not_found)
        .layer(axum::middleware::from_fn(preflight))
        .layer(axum::middleware::map_response(cors))
        .with_state(app)
}

/// Every response, errors and preflights included, may be read by a page on any origin: the
/// browser is the client we exist for.
async fn cors(mut response: Response) -> Response {
    let h = response.headers_mut();
    h.insert("access-control-allow-origin", HeaderValue::from_static("*"));
    h.insert(
        "access-control-expose-headers",
        HeaderValue::from_static("x-amzn-errortype, x-amzn-requestid, x-amzn-errormessage, date"),
    );
    response
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
    let status = if e.name == "InternalErrorException" {
        StatusCode::INTERNAL_SERVER_ERROR
    } else {
        StatusCode::BAD_REQUEST
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
    match ops::dispatch(&app, op, body).await {
        Ok(v) => json_response(StatusCode::OK, &v),
        Err(e) => error_response(&e),
    }
}

/// `POST /_emulator/delay/{ms}`: the API, answering after `ms` milliseconds (at most a
/// minute), so clients can test their time-outs against a real slow server.
async fn delayed(
    State(app): State<Arc<App>>,
    Path(ms): Path<u64>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    tokio::time::sleep(std::time::Duration::from_millis(ms.min(60_000))).await;
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

async fn outbox(State(app): State<Arc<App>>, Query(q): Query<OutboxQuery>) -> Response {
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
async fn client_metadata(State(app): State<Arc<App>>, Query(q): Query<OutboxQuery>) -> Response {
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

#[derive(Deserialize)]
struct ClockRequest {
    advance_seconds: u64,
}

async fn clock(State(app): State<Arc<App>>, body: Bytes) -> Response {
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

async fn reset(State(app): State<Arc<App>>) -> Response {
    *app.lock() = Default::default();
    json_response(StatusCode::OK, &json!({}))
}

/// Answers CORS preflights on every path before routing (a route's method filter would
/// otherwise answer 405).
async fn preflight(request: Request, next: Next) -> Response {
    if request.method() == Method::OPTIONS {
        let mut r = StatusCode::NO_CONTENT.into_response();
        let h = r.headers_mut();
        h.insert(
            "access-control-allow-methods",
            HeaderValue::from_static("GET, POST, OPTIONS"),
        );
        h.insert(
            "access-control-allow-headers",
            HeaderValue::from_static(
                "content-type, x-amz-target, x-amz-user-agent, authorization, cache-control, x-amz-date, x-amz-security-token",
            ),
        );
        h.insert("access-control-max-age", HeaderValue::from_static("86400"));
        return r;
    }
    next.run(request).await
}

async fn not_found() -> Response {
    json_response(
        StatusCode::NOT_FOUND,
        &json!({ "__type": "NotFound", "message": "No such route on the emulator" }),
    )
}
