//! Who may drive the emulator: CORS only for loopback origins and `--cors-origin`, requests
//! only addressed to a loopback name or `--allow-host`, and the admin header on `/_emulator/*`
//! and the admin operations. A web page the developer visits must not be able to use it.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use serde_json::json;

use crate::common::*;

const FOREIGN: &str = "https://evil.example";

/// `Access-Control-Allow-Origin` is exactly `origin` (never `*`), with `Vary: Origin`.
fn assert_allowed(r: &RawResponse, origin: &str, what: &str) {
    assert_eq!(
        r.header("access-control-allow-origin"),
        Some(origin),
        "{what}: {r:?}"
    );
    assert!(
        r.header("vary")
            .is_some_and(|v| v.to_ascii_lowercase().contains("origin")),
        "{what}: Vary: Origin: {r:?}"
    );
}

/// No CORS header at all: the page cannot read the answer.
fn assert_no_cors(r: &RawResponse, what: &str) {
    for name in r.headers.keys() {
        assert!(
            !name.starts_with("access-control-"),
            "{what}: {name} sent: {r:?}"
        );
    }
}

fn assert_access_denied(r: &RawResponse, what: &str) {
    assert_eq!(r.status, 403, "{what}: {r:?}");
    let v = r.json();
    assert_eq!(v["__type"], json!("AccessDeniedException"), "{what}: {r:?}");
    assert!(v["message"].is_string(), "{what}: {r:?}");
    assert_eq!(
        r.header("x-amzn-errortype"),
        Some("AccessDeniedException"),
        "{what}: {r:?}"
    );
}

fn preflight(emu: &Emulator, path: &str, origin: &str, extra: &[(&str, &str)]) -> RawResponse {
    let mut headers = vec![
        ("Origin", origin),
        ("Access-Control-Request-Method", "POST"),
        (
            "Access-Control-Request-Headers",
            "content-type,x-amz-target,x-cognito-emulator-admin",
        ),
    ];
    headers.extend_from_slice(extra);
    emu.request_raw("OPTIONS", path, &headers)
}

#[test]
fn loopback_origins_get_their_own_origin_back() {
    let emu = shared();
    let app = emu.public_app();
    for origin in [
        "http://localhost:5173",
        "http://127.0.0.1:8080",
        "http://[::1]:3000",
        "http://localhost",
    ] {
        let r = preflight(emu, "/", origin, &[]);
        assert_eq!(r.status, 204, "{origin}: {r:?}");
        assert_allowed(&r, origin, "preflight");
        let allow = r.header("access-control-allow-headers").unwrap_or_default();
        assert!(allow.contains("x-cognito-emulator-admin"), "{r:?}");
        let user = unique("origin");
        let body = app.sign_up_body(&user, PASSWORD, &email_of(&user));
        let r = emu.call_raw("SignUp", &body, &[("Origin", origin)]);
        assert_eq!(r.status, 200, "{r:?}");
        assert_allowed(&r, origin, "SignUp");
        let r = emu.call_raw("SignUp", &body, &[("Origin", origin)]);
        assert_eq!(r.status, 400, "{r:?}");
        assert_allowed(&r, origin, "an error");
        let r = emu.request_raw("GET", "/_emulator/outbox", &[("Origin", origin), ADMIN]);
        assert_eq!(r.status, 200, "{r:?}");
        assert_allowed(&r, origin, "the outbox");
    }
}

#[test]
fn other_origins_get_no_cors_and_their_preflight_is_refused() {
    let emu = shared();
    let app = emu.public_app();
    for origin in [
        FOREIGN,
        "http://localhost.evil.example:9229",
        "http://127.0.0.1.nip.io:8080",
        "null",
    ] {
        let r = preflight(emu, "/", origin, &[]);
        assert_access_denied(&r, &format!("preflight from {origin}"));
        assert_no_cors(&r, "preflight");
        let r = preflight(emu, "/_emulator/reset", origin, &[]);
        assert_no_cors(&r, "preflight of /_emulator/reset");
        // What a page can send without a preflight is answered, but not for it to read.
        let r = emu.request_raw("GET", "/health", &[("Origin", origin)]);
        assert_eq!(r.status, 200, "{r:?}");
        assert_no_cors(&r, "/health");
        let user = unique("foreign");
        let body = app.sign_up_body(&user, PASSWORD, &email_of(&user));
        let r = emu.call_raw("SignUp", &body, &[("Origin", origin)]);
        assert_no_cors(&r, "SignUp");
    }
}

#[test]
fn cors_origin_flag_allows_exactly_that_origin() {
    let emu = Emulator::start(&[
        "--cors-origin",
        "https://dev.example:3000",
        "--cors-origin",
        "http://app.test/",
    ]);
    for origin in [
        "https://dev.example:3000",
        "http://app.test",
        "http://localhost:1234",
    ] {
        let r = preflight(&emu, "/", origin, &[]);
        assert_eq!(r.status, 204, "{origin}: {r:?}");
        assert_allowed(&r, origin, origin);
        let r = emu.request_raw("GET", "/health", &[("Origin", origin)]);
        assert_allowed(&r, origin, origin);
    }
    for origin in ["https://dev.example", "http://dev.example:3000", FOREIGN] {
        let r = preflight(&emu, "/", origin, &[]);
        assert_access_denied(&r, origin);
        assert_no_cors(&r, origin);
    }
    // Chromium's Private Network Access: a public origin asks before it reaches us.
    let r = preflight(
        &emu,
        "/",
        "https://dev.example:3000",
        &[("Access-Control-Request-Private-Network", "true")],
    );
    assert_eq!(
        r.header("access-control-allow-private-network"),
        Some("true"),
        "{r:?}"
    );
}

#[test]
fn bad_access_flags_are_refused_at_start() {
    for args in [
        ["--cors-origin", "dev.example"],
        ["--cors-origin", "https://dev.example/app"],
        ["--cors-origin", "*"],
        ["--allow-host", "cognito:9229"],
        ["--allow-host", "a/b"],
    ] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_cognito-emulator"))
            .args(["--port", "0"])
            .args(args)
            .output()
            .expect("running the emulator");
        assert_eq!(out.status.code(), Some(2), "{args:?}: {out:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(args[0]), "{args:?}: {stderr}");
    }
}

/// One HTTP/1.1 request with exactly these headers (ureq sets `Host` itself): status and body.
fn raw_request(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut request = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
    for (k, v) in headers {
        request.push_str(&format!("{k}: {v}\r\n"));
    }
    request.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    s.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    let status = answer
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("no status in {answer:?}"));
    let body = answer
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

#[test]
fn only_loopback_and_allowed_host_names_are_answered() {
    let public = "http://cognito.example.test/prefix";
    let emu = Emulator::start(&["--allow-host", "cognito", "--public-url", public]);
    let port = emu.port;
    let target = (
        "X-Amz-Target",
        "AWSCognitoIdentityProviderService.DescribeUserPool",
    );
    let body = r#"{"UserPoolId":"us-east-1_Nope12345"}"#;
    let with_port = |h: &str| format!("{h}:{port}");
    let allowed = [
        with_port("localhost"),
        with_port("127.0.0.1"),
        with_port("[::1]"),
        "localhost".to_owned(),
        with_port("cognito"),
        with_port("COGNITO"),
        "cognito.example.test".to_owned(),
    ];
    for host in &allowed {
        let (status, answer) = raw_request(port, "GET", "/health", &[("Host", host)], "");
        assert_eq!(status, 200, "Host {host}: {answer}");
        let (status, answer) = raw_request(port, "POST", "/", &[("Host", host), target], body);
        assert_eq!(status, 400, "Host {host}: {answer}");
        assert!(answer.contains("ResourceNotFoundException"), "{answer}");
    }
    // A page on evil.example whose name now resolves to 127.0.0.1 (DNS rebinding) sends its own
    // name: refused, whatever the path, even with the admin header.
    for host in [
        with_port("evil.example"),
        with_port("localhost.evil.example"),
        with_port("127.0.0.1.nip.io"),
        "other-container:9229".to_owned(),
    ] {
        for (method, path, headers) in [
            ("GET", "/health", vec![("Host", host.as_str())]),
            ("POST", "/", vec![("Host", host.as_str()), target]),
            (
                "GET",
                "/_emulator/outbox",
                vec![("Host", host.as_str()), ADMIN],
            ),
            (
                "POST",
                "/_emulator/reset",
                vec![("Host", host.as_str()), ADMIN],
            ),
        ] {
            let (status, answer) = raw_request(port, method, path, &headers, body);
            assert_eq!(status, 403, "Host {host}, {method} {path}: {answer}");
            let v: serde_json::Value = serde_json::from_str(&answer).expect("JSON");
            assert_eq!(v["__type"], json!("AccessDeniedException"), "{answer}");
            assert!(
                v["message"].as_str().unwrap().contains("--allow-host"),
                "{answer}"
            );
        }
    }
    // No Host at all (HTTP/1.0) is not a name we answer to either.
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.write_all(b"GET /health HTTP/1.0\r\n\r\n").unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    assert!(
        answer.starts_with("HTTP/1.0 403") || answer.starts_with("HTTP/1.1 403"),
        "{answer}"
    );
}

#[test]
fn admin_operations_need_the_admin_header() {
    let emu = shared();
    let app = emu.public_app();
    let user = unique("adm");
    app.sign_up(&user, PASSWORD).unwrap();
    let pool = json!({ "UserPoolId": app.pool_id });
    let bodies = [
        ("CreateUserPool", json!({ "PoolName": unique("p") })),
        (
            "CreateUserPoolClient",
            json!({ "UserPoolId": app.pool_id, "ClientName": "c", "GenerateSecret": true }),
        ),
        (
            "DescribeUserPoolClient",
            json!({ "UserPoolId": app.pool_id, "ClientId": app.client_id }),
        ),
        (
            "AdminGetUser",
            json!({ "UserPoolId": app.pool_id, "Username": user }),
        ),
        (
            "AdminConfirmSignUp",
            json!({ "UserPoolId": app.pool_id, "Username": user }),
        ),
        (
            "AdminDeleteUser",
            json!({ "UserPoolId": app.pool_id, "Username": user }),
        ),
        ("ListUsers", pool.clone()),
        (
            "SetUserPoolMfaConfig",
            json!({ "UserPoolId": app.pool_id, "MfaConfiguration": "OFF" }),
        ),
        ("GetUserPoolMfaConfig", pool.clone()),
        (
            "AdminCreateUser",
            json!({ "UserPoolId": app.pool_id, "Username": unique("new") }),
        ),
        (
            "AdminSetUserPassword",
            json!({ "UserPoolId": app.pool_id, "Username": user, "Password": PASSWORD, "Permanent": true }),
        ),
        (
            "AdminSetUserMFAPreference",
            json!({ "UserPoolId": app.pool_id, "Username": user }),
        ),
    ];
    let ops: Vec<&str> = bodies.iter().map(|(op, _)| *op).collect();
    assert_eq!(ops, ADMIN_OPS.to_vec(), "every admin operation is tried");
    for (op, body) in &bodies {
        for extra in [vec![], vec![("Origin", "http://localhost:5173")]] {
            let r = emu.call_raw(op, body, &extra);
            assert_access_denied(&r, op);
            assert!(
                r.json()["message"]
                    .as_str()
                    .unwrap()
                    .contains("X-Cognito-Emulator-Admin"),
                "{op}: {r:?}"
            );
        }
        // Through the delay route too.
        let target = format!("AWSCognitoIdentityProviderService.{op}");
        let r = emu.post_raw(
            "/_emulator/delay/0",
            &[("Content-Type", CONTENT_TYPE), ("X-Amz-Target", &target)],
            &body.to_string(),
        );
        assert_access_denied(&r, &format!("{op} by /_emulator/delay"));
    }
    // Nothing was done: the user is still there, unconfirmed.
    let v = app.admin_get_user(&user).unwrap();
    assert_eq!(v["UserStatus"], json!("UNCONFIRMED"));
    // DescribeUserPool (no secret, no user) and the user's own calls need no header.
    let r = emu.call_raw("DescribeUserPool", &pool, &[]);
    assert_eq!(r.status, 200, "{r:?}");
    let r = emu.call_raw(
        "ResendConfirmationCode",
        &app.resend_body(&user),
        &[("Origin", "http://localhost:5173")],
    );
    assert_eq!(r.status, 200, "{r:?}");
}

#[test]
fn emulator_routes_need_the_admin_header() {
    let emu = Emulator::start(&[]);
    let app = emu.public_app();
    let user = unique("routes");
    app.sign_up(&user, PASSWORD).unwrap();
    for (method, path, body) in [
        ("GET", "/_emulator/outbox", ""),
        ("GET", "/_emulator/client-metadata", ""),
        ("GET", "/_emulator/stats", ""),
        ("POST", "/_emulator/clock", r#"{"advance_seconds": 100000}"#),
        ("POST", "/_emulator/reset", "{}"),
    ] {
        // What a foreign page can send without a preflight: a "simple" request.
        let headers = [("Origin", FOREIGN), ("Content-Type", "text/plain")];
        let r = match method {
            "GET" => emu.request_raw(method, path, &headers),
            _ => emu.post_raw(path, &headers, body),
        };
        assert_access_denied(&r, path);
        assert_no_cors(&r, path);
        let r = match method {
            "GET" => emu.request_raw(method, path, &[]),
            _ => emu.post_raw(path, &[], body),
        };
        assert_access_denied(&r, path);
        assert!(r.body.contains("X-Cognito-Emulator-Admin"), "{r:?}");
    }
    // Neither the reset nor the clock happened.
    assert_eq!(emu.outbox(&app.pool_id, &user).len(), 1);
    let now = emu.now();
    assert!(now <= unix_now() + 5, "the clock did not move: {now}");
    // A wrong method is still a wrong method.
    let r = emu.post_raw("/_emulator/outbox", &[], "{}");
    assert_eq!(r.status, 405, "{r:?}");
    // With the header, from a loopback page (its preflight passes): fine.
    let r = emu.request_raw(
        "GET",
        "/_emulator/stats",
        &[ADMIN, ("Origin", "http://127.0.0.1:8000")],
    );
    assert_eq!(r.status, 200, "{r:?}");
    assert_eq!(r.json()["users"], json!(1), "{r:?}");
}

#[test]
fn delay_waits_only_for_cognito_calls() {
    let emu = shared();
    // A request a foreign page can send unpreflighted (no X-Amz-Target) is answered at once.
    let started = Instant::now();
    let r = emu.post_raw(
        "/_emulator/delay/5000",
        &[("Content-Type", "text/plain"), ("Origin", FOREIGN)],
        "{}",
    );
    assert_eq!(r.status, 400, "{r:?}");
    assert_eq!(r.json()["__type"], json!("UnknownOperationException"));
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    // A Cognito call waits.
    let started = Instant::now();
    let r = emu.post_raw(
        "/_emulator/delay/600",
        &[
            ("Content-Type", CONTENT_TYPE),
            (
                "X-Amz-Target",
                "AWSCognitoIdentityProviderService.DescribeUserPool",
            ),
        ],
        r#"{"UserPoolId":"us-east-1_Nope12345"}"#,
    );
    assert!(
        started.elapsed() >= Duration::from_millis(600),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(r.json()["__type"], json!("ResourceNotFoundException"));
}
