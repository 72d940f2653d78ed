//! The demo API served for real on a loopback port, its verifier fetching a JWKS from a server
//! the test controls, with tokens signed by the test's own key: each answer the README lists
//! (200; 401 with its `WWW-Authenticate` challenge; 503 when the keys cannot be had; 500 for a
//! panic) as a client sees it.

mod support;

use std::net::TcpListener;
use std::time::Duration;

use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;
use serde_json::{json, Value};

use support::{access_claims, jwk, keys, request, sign, Harness, Jwks, CLIENT, KID};

#[test]
fn a_valid_access_token_gets_the_users_own_videos_whatever_the_schemes_case() {
    let api = Harness::start(support::main_jwks());
    let token = api.token("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", "alice");
    for scheme in ["Bearer", "bearer", "BEARER", "bEaReR"] {
        let answer = api.videos(Some(&format!("{scheme} {token}")));
        assert_eq!(answer.status, 200, "{scheme}: {answer:?}");
        assert_eq!(answer.header("access-control-allow-origin"), Some("*"));
        let body = answer.json();
        assert_eq!(
            body["user"],
            json!({ "username": "alice", "sub": "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0" })
        );
        let videos = body["videos"].as_array().expect("a list of videos");
        assert_eq!(videos.len(), 3);
        for (i, video) in videos.iter().enumerate() {
            assert_eq!(video["id"], format!("0f1e2d3c-{i}"));
            let title = video["title"].as_str().unwrap_or_default();
            assert!(title.ends_with("(alice's copy)"), "{title}");
        }
    }
    // The key set was fetched once, for the first call.
    assert_eq!(api.jwks.fetches(), 1);
}

#[test]
fn a_sub_with_multibyte_characters_is_cut_by_characters() {
    let api = Harness::start(support::main_jwks());
    // Byte 8 is inside the 'é': slicing the sub's first eight bytes would panic.
    let sub = "1234567é-ü-🦀";
    let answer = api.videos(Some(&format!("Bearer {}", api.token(sub, "zoë"))));
    assert_eq!(answer.status, 200, "{answer:?}");
    let body = answer.json();
    assert_eq!(body["user"]["sub"], sub);
    assert_eq!(body["videos"][0]["id"], "1234567é-0");
    assert_eq!(body["videos"][2]["id"], "1234567é-2");
    // A sub shorter than eight characters is used whole.
    let answer = api.videos(Some(&format!("Bearer {}", api.token("ü", "zoë"))));
    assert_eq!(answer.json()["videos"][1]["id"], "ü-1");
}

/// The 401's challenge for a judged token: `invalid_token` and the verifier's reason.
fn assert_invalid_token(answer: &support::Answer, error_name: &str) {
    assert_eq!(answer.status, 401, "{answer:?}");
    let body = answer.json();
    assert_eq!(body["error"], "unauthorized");
    let reason = body["reason"].as_str().unwrap_or_default();
    assert!(reason.starts_with(&format!("{error_name}: ")), "{reason}");
    let challenge = answer.header("www-authenticate").unwrap_or_default();
    let expected = format!(
        "Bearer realm=\"demo-api\", error=\"invalid_token\", error_description=\"{error_name}: "
    );
    assert!(challenge.starts_with(&expected), "{challenge}");
    assert!(challenge.ends_with('"'), "{challenge}");
}

#[test]
fn a_token_that_is_not_valid_is_401_invalid_token_naming_why() {
    let api = Harness::start(support::main_jwks());
    let issuer = api.issuer.clone();
    let with = |patch: Value| {
        let mut claims = access_claims(&issuer, "s-1", "alice");
        for (k, v) in patch.as_object().expect("an object") {
            claims[k] = v.clone();
        }
        claims
    };
    let main = &keys().main;
    let cases = [
        (
            sign(&with(json!({ "exp": support::now() - 60 })), KID, main),
            "JwtExpiredError",
        ),
        (
            sign(&with(json!({ "client_id": "someoneelse" })), KID, main),
            "CognitoJwtInvalidClientIdError",
        ),
        (
            sign(
                &with(json!({ "token_use": "id", "aud": CLIENT })),
                KID,
                main,
            ),
            "CognitoJwtInvalidTokenUseError",
        ),
        // The published kid, a forger's key.
        (
            sign(&with(json!({})), KID, &keys().other),
            "JwtInvalidSignatureError",
        ),
        ("not.a.jwt".to_owned(), "JwtParseError"),
    ];
    for (token, error_name) in cases {
        assert_invalid_token(&api.videos(Some(&format!("Bearer {token}"))), error_name);
    }
}

#[test]
fn claims_quoted_in_the_reason_cannot_break_the_challenge() {
    let api = Harness::start(support::main_jwks());
    let mut claims = access_claims(&api.issuer, "s-1", "alice");
    claims["iss"] = json!("https://evil.example/\"pool\\\" é\u{7f}");
    let answer = api.videos(Some(&format!(
        "Bearer {}",
        sign(&claims, KID, &keys().main)
    )));
    assert_invalid_token(&answer, "JwtInvalidIssuerError");
    // The body keeps the claim (JSON-quoted in the reason); the header has only printable
    // ASCII, no '"' or '\'.
    let reason = answer.json()["reason"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(reason.contains("/\\\"pool\\\\\\\" é\u{7f}\""), "{reason}");
    let challenge = answer.header("www-authenticate").unwrap_or_default();
    let description = challenge
        .split_once("error_description=\"")
        .map(|(_, d)| d.trim_end_matches('"'))
        .unwrap_or_default();
    assert!(description.contains("/'pool///' ??'"), "{challenge}");
    assert!(
        description
            .chars()
            .all(|c| (' '..='~').contains(&c) && c != '"' && c != '\\'),
        "{challenge}"
    );
}

#[test]
fn no_header_another_scheme_or_a_malformed_one_is_401_with_a_bearer_challenge() {
    let api = Harness::start(support::main_jwks());
    // No credentials at all: a bare challenge (RFC 6750 section 3.1).
    let answer = api.videos(None);
    assert_eq!(answer.status, 401, "{answer:?}");
    assert_eq!(
        answer.header("www-authenticate"),
        Some("Bearer realm=\"demo-api\"")
    );
    assert!(answer.json()["reason"]
        .as_str()
        .unwrap_or_default()
        .starts_with("missing bearer token"));

    let token = api.token("s-1", "alice");
    let two = format!("Bearer {token}");
    let cases: Vec<Vec<(&str, Vec<u8>)>> = vec![
        vec![("authorization", b"Basic YWxpY2U6cGFzc3dvcmQ=".to_vec())],
        vec![("authorization", b"Bearer".to_vec())],
        vec![("authorization", format!("Bearer{token}").into_bytes())],
        vec![(
            "authorization",
            format!("Bearer {token} extra").into_bytes(),
        )],
        vec![("authorization", format!("Bearer\t{token}").into_bytes())],
        vec![("authorization", b"Bearer caf\xe9".to_vec())],
        vec![
            ("authorization", two.clone().into_bytes()),
            ("authorization", two.into_bytes()),
        ],
    ];
    for headers in cases {
        let sent: Vec<(&str, &[u8])> = headers.iter().map(|(n, v)| (*n, v.as_slice())).collect();
        let answer = request(api.api, "GET", "/api/videos", &sent);
        assert_eq!(answer.status, 401, "{headers:?}: {answer:?}");
        assert_eq!(answer.json()["error"], "unauthorized");
        let challenge = answer.header("www-authenticate").unwrap_or_default();
        assert!(
            challenge.starts_with(
                "Bearer realm=\"demo-api\", error=\"invalid_request\", error_description=\""
            ),
            "{challenge}"
        );
    }
    // None of these reached the verifier.
    assert_eq!(api.jwks.fetches(), 0);
}

/// A 503 as the README describes it: the key set named as the problem, not the token.
fn assert_keys_unavailable(answer: &support::Answer) -> u64 {
    assert_eq!(answer.status, 503, "{answer:?}");
    assert_eq!(answer.header("www-authenticate"), None, "not a bad token");
    let body = answer.json();
    assert_eq!(body["error"], "unavailable");
    let reason = body["reason"].as_str().unwrap_or_default();
    assert!(reason.contains("signing keys (JWKS)"), "{reason}");
    assert!(
        !reason.contains("127.0.0.1"),
        "the JWKS URL is for the log: {reason}"
    );
    let exposed = answer
        .header("access-control-expose-headers")
        .unwrap_or_default();
    assert!(exposed.contains("retry-after"), "{exposed}");
    answer
        .header("retry-after")
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("Retry-After in seconds: {answer:?}"))
}

#[test]
fn a_jwks_outage_is_503_with_retry_after_and_the_same_token_passes_after_it() {
    let api = Harness::start(Jwks::Status(StatusCode::INTERNAL_SERVER_ERROR));
    let bearer = format!("Bearer {}", api.token("s-1", "alice"));
    let retry_after = assert_keys_unavailable(&api.videos(Some(&bearer)));
    assert_eq!(retry_after, 10);
    // Asked again at once: the same answer, and the key service is not asked again.
    assert_keys_unavailable(&api.videos(Some(&bearer)));
    assert_eq!(api.jwks.fetches(), 1);
    // The keys are back; after Retry-After, the same token is answered.
    api.jwks.set(support::main_jwks());
    std::thread::sleep(Duration::from_secs(retry_after) + Duration::from_millis(200));
    let answer = api.videos(Some(&bearer));
    assert_eq!(answer.status, 200, "{answer:?}");
    assert_eq!(api.jwks.fetches(), 2);
}

#[test]
fn a_refused_connection_or_a_body_that_is_no_key_set_is_503() {
    let closed = {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        listener.local_addr().expect("its address")
    };
    let issuer = format!("http://{closed}/{}", support::POOL);
    let (_runtime, addr) = Harness::start_with_issuer(&issuer);
    let claims = access_claims(&issuer, "s-1", "alice");
    let bearer = format!("Bearer {}", sign(&claims, KID, &keys().main));
    let sent: [(&str, &[u8]); 1] = [("authorization", bearer.as_bytes())];
    let answer = request(addr, "GET", "/api/videos", &sent);
    assert_keys_unavailable(&answer);
    assert!(answer.json()["reason"]
        .as_str()
        .unwrap_or_default()
        .starts_with("JwksFetchError: "));

    let api = Harness::start(Jwks::Garbage);
    let answer = api.videos(Some(&format!("Bearer {}", api.token("s-1", "alice"))));
    assert_keys_unavailable(&answer);
    assert!(answer.json()["reason"]
        .as_str()
        .unwrap_or_default()
        .starts_with("JwksValidationError: "));
}

#[test]
fn known_keys_outlive_an_outage_and_a_new_kid_waits_for_its_end() {
    let api = Harness::start(support::main_jwks());
    let bearer = format!("Bearer {}", api.token("s-1", "alice"));
    assert_eq!(api.videos(Some(&bearer)).status, 200);
    api.jwks.set(Jwks::Status(StatusCode::BAD_GATEWAY));
    // The cached key still verifies its tokens...
    assert_eq!(api.videos(Some(&bearer)).status, 200);
    // ...but a token under a kid not yet seen (a rotation) cannot be judged.
    let rotated = sign(
        &access_claims(&api.issuer, "s-1", "alice"),
        "rotated-kid",
        &keys().other,
    );
    assert_keys_unavailable(&api.videos(Some(&format!("Bearer {rotated}"))));
    // Once published, the rotated key is found (after the pause, as Retry-After said).
    api.jwks.set(Jwks::Serve(json!({
        "keys": [jwk(KID, &keys().main), jwk("rotated-kid", &keys().other)]
    })));
    std::thread::sleep(Duration::from_millis(10_200));
    let answer = api.videos(Some(&format!("Bearer {rotated}")));
    assert_eq!(answer.status, 200, "{answer:?}");
}

#[test]
fn a_panic_is_a_plain_500_without_its_message() {
    const SECRET: &str = "panic text that quotes eyJhbGciOiJSUzI1NiJ9.c2VjcmV0";
    let runtime = support::runtime();
    let router = demo_api::with_layers(Router::new().route(
        "/boom",
        get(|| async {
            if SECRET.is_empty() {
                return "unreachable";
            }
            panic!("{SECRET}")
        }),
    ));
    let addr = support::serve(&runtime, router);
    let answer = request(addr, "GET", "/boom", &[]);
    assert_eq!(answer.status, 500, "{answer:?}");
    assert_eq!(
        answer.json(),
        json!({ "error": "internal", "reason": "internal error" })
    );
    assert!(!answer.body.contains("panic"), "{answer:?}");
    assert!(
        answer.headers.iter().all(|(_, v)| !v.contains("eyJ")),
        "{answer:?}"
    );
    assert_eq!(answer.header("access-control-allow-origin"), Some("*"));
    // The server lives on: the next request is answered too.
    assert_eq!(request(addr, "GET", "/boom", &[]).status, 500);
}

#[test]
fn the_preflight_allows_the_authorization_header_from_any_origin() {
    let api = Harness::start(support::main_jwks());
    let answer = request(api.api, "OPTIONS", "/api/videos", &[]);
    assert_eq!(answer.status, 204, "{answer:?}");
    assert_eq!(
        answer.header("access-control-allow-headers"),
        Some("authorization")
    );
    assert_eq!(answer.header("access-control-allow-origin"), Some("*"));
    assert_eq!(request(api.api, "GET", "/health", &[]).body, "ok");
}
