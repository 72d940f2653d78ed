//! `demo-api`'s routes and layers, apart from `main.rs` (its flags) so the tests can serve
//! them too. See README.md.

use std::any::Any;
use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use cognito_wasm::native::NativePlatform;
use cognito_wasm::verify::JWKS_REFETCH_SECONDS;
use cognito_wasm::{Verifier, VerifyError};
use serde_json::{json, Value};
use tower_http::catch_panic::CatchPanicLayer;

/// The verifier every request shares.
pub type AppVerifier = Arc<Verifier<NativePlatform>>;

/// The server: `GET /api/videos`, `GET /health`, and [`with_layers`].
pub fn app(verifier: AppVerifier) -> Router {
    with_layers(
        Router::new()
            .route("/api/videos", get(videos).options(preflight))
            .route("/health", get(|| async { "ok" }))
            .with_state(verifier),
    )
}

/// What every route gets: a panic is a plain 500 (its message, which may quote the request,
/// goes to stderr only, through [`install_panic_hook`]), and CORS headers.
pub fn with_layers(router: Router) -> Router {
    router
        .layer(CatchPanicLayer::custom(|_: Box<dyn Any + Send>| {
            ApiError::Internal("a handler panicked".into()).into_response()
        }))
        .layer(axum::middleware::map_response(cors))
}

/// Panics are logged as one line to stderr, with anything that looks like a token or a part of
/// one (a long run of base64url characters and dots) replaced by `[redacted]`.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let payload = info.payload();
        let message = payload
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
            .unwrap_or("(no message)");
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!("demo-api: panic{at}: {}", redact(message));
    }));
}

/// `text` without runs of 16 or more base64url characters and dots (tokens, their segments).
pub fn redact(text: &str) -> String {
    const LONGEST_KEPT: usize = 15;
    let tokenish = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '=');
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if run.chars().count() > LONGEST_KEPT {
            out.push_str("[redacted]");
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in text.chars() {
        if tokenish(c) {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

/// The demo app is served from another origin; tokens travel in a header, not in cookies.
async fn cors(mut response: Response) -> Response {
    let h = response.headers_mut();
    h.insert("access-control-allow-origin", HeaderValue::from_static("*"));
    h.insert(
        "access-control-expose-headers",
        HeaderValue::from_static("www-authenticate, retry-after"),
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

/// Why `GET /api/videos` did not answer 200. Each kind is one status and one body shape
/// (`{"error", "reason"}`), so a caller can tell "your token is bad" (401) from "try again"
/// (503) from "our fault" (500).
#[derive(Debug)]
pub enum ApiError {
    /// No `Authorization` header: 401 with a bare `Bearer` challenge (RFC 6750 section 3.1:
    /// a request without credentials gets no error code).
    MissingToken,
    /// An `Authorization` header that is not one `Bearer <b64token>` (another scheme, no
    /// token, bytes that are not visible ASCII, two headers): 401, `invalid_request`.
    BadHeader(&'static str),
    /// The token was judged and refused: 401, `invalid_token`, the verifier's reason.
    InvalidToken(VerifyError),
    /// The pool's signing keys cannot be had (the JWKS is unreachable, not 200, or not a key
    /// set): no token can be judged, so the caller is told to come back, not that its token
    /// is bad. 503 with `Retry-After`.
    KeysUnavailable(VerifyError),
    /// Our fault (a panic, a broken platform, a bad configuration): a plain 500. The detail is
    /// for the operator's stderr only: a panic's message may quote the request.
    Internal(String),
}

impl From<VerifyError> for ApiError {
    fn from(e: VerifyError) -> ApiError {
        match e {
            VerifyError::JwksFetch(_) | VerifyError::JwksInvalid(_) => ApiError::KeysUnavailable(e),
            // The platform's crypto or clock, or the verifier's own configuration: nothing the
            // caller sent can cause these.
            VerifyError::Platform(_) | VerifyError::InvalidConfig(_) => {
                ApiError::Internal(format!("cannot verify tokens: {}: {e}", e.name()))
            }
            _ => ApiError::InvalidToken(e),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            ApiError::MissingToken => unauthorized(
                "missing bearer token: send Authorization: Bearer <access token>",
                None,
            ),
            ApiError::BadHeader(why) => unauthorized(why, Some("invalid_request")),
            ApiError::InvalidToken(e) => {
                unauthorized(&format!("{}: {e}", e.name()), Some("invalid_token"))
            }
            ApiError::KeysUnavailable(e) => {
                // The detail (the JWKS URL, the HTTP status or network error) is for the operator.
                eprintln!("demo-api: cannot verify tokens: {}: {e}", e.name());
                let mut r = json_response(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "unavailable",
                    &format!(
                        "{}: the user pool's signing keys (JWKS) cannot be fetched now; try again later",
                        e.name()
                    ),
                );
                // The verifier does not refetch a failed JWKS sooner than this: an earlier retry
                // gets the same answer.
                r.headers_mut().insert(
                    header::RETRY_AFTER,
                    HeaderValue::from(JWKS_REFETCH_SECONDS.ceil() as u64),
                );
                r
            }
            ApiError::Internal(detail) => {
                eprintln!("demo-api: internal error: {}", redact(&detail));
                json_response(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "internal error",
                )
            }
        }
    }
}

fn json_response(status: StatusCode, error: &str, reason: &str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        json!({ "error": error, "reason": reason }).to_string(),
    )
        .into_response()
}

/// A 401 whose `WWW-Authenticate: Bearer` challenge carries the RFC 6750 error code, if any,
/// and the reason as its `error_description`.
fn unauthorized(reason: &str, error: Option<&str>) -> Response {
    let mut r = json_response(StatusCode::UNAUTHORIZED, "unauthorized", reason);
    let mut challenge = format!("Bearer realm=\"{REALM}\"");
    if let Some(error) = error {
        // error_description is a quoted-string of printable ASCII but '"' and '\' (RFC 6750
        // section 3), and the reason may quote the token's claims: the rest is replaced.
        let description: String = reason
            .chars()
            .map(|c| match c {
                '"' => '\'',
                '\\' => '/',
                ' '..='~' => c,
                _ => '?',
            })
            .collect();
        challenge.push_str(&format!(
            ", error=\"{error}\", error_description=\"{description}\""
        ));
    }
    let value = HeaderValue::from_str(&challenge)
        .unwrap_or(HeaderValue::from_static("Bearer realm=\"demo-api\""));
    r.headers_mut().insert(header::WWW_AUTHENTICATE, value);
    r
}

/// The protection space named in every challenge.
const REALM: &str = "demo-api";

/// The token of the request's one `Authorization: Bearer <token>` header: the scheme in any
/// case (RFC 7235 section 2.1), one or more spaces after it, the token a b64token (RFC 6750
/// section 2.1; a JWT is one), whitespace around the value ignored.
pub fn bearer_token(headers: &HeaderMap) -> Result<&str, ApiError> {
    let mut values = headers.get_all(header::AUTHORIZATION).iter();
    let value = values.next().ok_or(ApiError::MissingToken)?;
    if values.next().is_some() {
        return Err(ApiError::BadHeader("more than one Authorization header"));
    }
    let value = value
        .to_str()
        .map_err(|_| ApiError::BadHeader("the Authorization header is not visible ASCII"))?
        .trim_matches([' ', '\t']);
    let (scheme, token) = match value.split_once(' ') {
        Some((scheme, rest)) => (scheme, rest.trim_start_matches(' ')),
        None => (value, ""),
    };
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(ApiError::BadHeader(
            "the Authorization scheme is not Bearer: send Authorization: Bearer <access token>",
        ));
    }
    if token.is_empty() {
        return Err(ApiError::BadHeader("the Bearer credentials have no token"));
    }
    if !is_b64token(token) {
        return Err(ApiError::BadHeader(
            "the bearer token has characters a token cannot have",
        ));
    }
    Ok(token)
}

/// RFC 6750's `b64token`: `1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="`.
fn is_b64token(token: &str) -> bool {
    let body = token.trim_end_matches('=');
    !body.is_empty()
        && body.bytes().all(|b| {
            b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'+' | b'/')
        })
}

/// `GET /api/videos`: the caller's own videos, for a valid access token only.
async fn videos(
    State(verifier): State<AppVerifier>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let token = bearer_token(&headers)?.to_owned();
    // The native platform does blocking HTTP (JWKS fetches): keep it off the async workers.
    let verified = tokio::task::spawn_blocking(move || pollster::block_on(verifier.verify(&token)))
        .await
        .map_err(|e| {
            // A panic's message went to stderr through the panic hook when it happened.
            let how = if e.is_panic() {
                "panicked"
            } else {
                "was cancelled"
            };
            ApiError::Internal(format!("a verification {how}"))
        })?;
    let claims = verified?;
    let username = claims.username.clone().unwrap_or_default();
    Ok((
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        json!({
            "user": { "username": username, "sub": claims.sub },
            "videos": videos_of(&claims.sub, &username),
        })
        .to_string(),
    )
        .into_response())
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
    // The sub's first eight characters (not bytes: a sub is any string the pool signed).
    let prefix: String = sub.chars().take(8).collect();
    let list: Vec<Value> = (0..3)
        .map(|i| {
            let title = TITLES[(seed.wrapping_add(i * 3)) % TITLES.len()];
            json!({ "id": format!("{prefix}-{i}"), "title": format!("{title} ({username}'s copy)") })
        })
        .collect();
    Value::Array(list)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn authorization(values: &[&'static str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for v in values {
            headers.append(header::AUTHORIZATION, HeaderValue::from_static(v));
        }
        headers
    }

    #[test]
    fn the_scheme_is_matched_in_any_case_with_spaces_around() {
        for (value, token) in [
            ("Bearer t", "t"),
            ("bearer t", "t"),
            ("BEARER t", "t"),
            ("bEaReR   t", "t"),
            ("  Bearer t  ", "t"),
            ("Bearer a.b-c_d~e+f/g==", "a.b-c_d~e+f/g=="),
        ] {
            let headers = authorization(&[value]);
            let found = bearer_token(&headers).map_err(|e| format!("{e:?}"));
            assert_eq!(found, Ok(token), "{value:?}");
        }
    }

    #[test]
    fn other_schemes_and_malformed_values_are_bad_headers() {
        let cases: [&[&'static str]; 9] = [
            &["Bearer"],
            &["Bearer   "],
            &["Bearert"],
            &["Basic dXNlcjpwYXNz"],
            &["Bearer\tt"],
            &["Bearer a b"],
            &["Bearer a,b"],
            &["Bearer ==="],
            &["Bearer t", "Bearer t"],
        ];
        for values in cases {
            let headers = authorization(values);
            let result = bearer_token(&headers);
            assert!(
                matches!(result, Err(ApiError::BadHeader(_))),
                "{values:?}: {result:?}"
            );
        }
        assert!(matches!(
            bearer_token(&HeaderMap::new()),
            Err(ApiError::MissingToken)
        ));
        let mut latin1 = HeaderMap::new();
        latin1.insert(
            header::AUTHORIZATION,
            HeaderValue::from_bytes(b"Bearer caf\xe9").expect("obs-text is a valid header value"),
        );
        assert!(matches!(bearer_token(&latin1), Err(ApiError::BadHeader(_))));
    }

    #[test]
    fn an_outage_is_503_and_a_broken_platform_500_not_a_bad_token() {
        let status = |e: VerifyError| ApiError::from(e).into_response().status();
        assert_eq!(status(VerifyError::JwksFetch("HTTP 500".into())), 503);
        assert_eq!(status(VerifyError::JwksInvalid("not JSON".into())), 503);
        assert_eq!(status(VerifyError::Platform("clock".into())), 500);
        assert_eq!(status(VerifyError::InvalidSignature), 401);
    }

    #[test]
    fn redaction_hides_token_like_runs_and_keeps_words() {
        let token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";
        let out = redact(&format!(
            "cannot read `{token}`: byte index 8 of `aaaaaaaé`"
        ));
        assert_eq!(out, "cannot read `[redacted]`: byte index 8 of `aaaaaaaé`");
    }

    #[test]
    fn video_ids_take_the_subs_first_characters() {
        let v = videos_of("aaaaaaaé-long", "u");
        assert_eq!(v[0]["id"], "aaaaaaaé-0");
        assert_eq!(videos_of("é", "u")[2]["id"], "é-2");
        assert_eq!(videos_of("", "u")[0]["id"], "-0");
    }
}
