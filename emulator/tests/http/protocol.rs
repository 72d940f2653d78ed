//! The wire protocol: serialization errors, unknown operations, missing members, CORS, /health,
//! the emulator's own endpoints and its flags.

use serde_json::json;

use crate::common::*;

const ORIGIN: &str = "http://localhost:5173";

fn assert_error_raw(r: &RawResponse, kind: &str, what: &str) {
    assert_eq!(r.status, 400, "{what}: {r:?}");
    let v = r.json();
    assert_eq!(v["__type"], json!(kind), "{what}: {r:?}");
    assert!(v["message"].is_string(), "{what}: a message: {r:?}");
    assert_eq!(r.header("x-amzn-errortype"), Some(kind), "{what}: {r:?}");
}

fn has_token(list: Option<&str>, token: &str) -> bool {
    list.unwrap_or_default()
        .split(',')
        .any(|t| t.trim().eq_ignore_ascii_case(token))
}

fn assert_cors(r: &RawResponse, what: &str) {
    // The page's own origin, never `*`: other origins get nothing (access.rs).
    assert_eq!(
        r.header("access-control-allow-origin"),
        Some(ORIGIN),
        "{what}: Access-Control-Allow-Origin: {r:?}"
    );
    let expose = r.header("access-control-expose-headers");
    for h in ["x-amzn-errortype", "x-amzn-requestid"] {
        assert!(
            has_token(expose, h),
            "{what}: Access-Control-Expose-Headers lacks {h}: {r:?}"
        );
    }
}

#[test]
fn body_not_json_is_serialization_exception() {
    let emu = shared();
    let headers = [
        ("Content-Type", CONTENT_TYPE),
        ("X-Amz-Target", "AWSCognitoIdentityProviderService.SignUp"),
    ];
    for body in [
        "this is not json",
        "{\"ClientId\": ",
        "[1, 2]",
        "\"a string\"",
        "42",
        "null",
    ] {
        let r = emu.post_raw("/", &headers, body);
        assert_error_raw(&r, "SerializationException", &format!("body {body:?}"));
    }
}

#[test]
fn wrong_member_type_is_an_error() {
    let emu = shared();
    let app = emu.public_app();
    let e = emu
        .call(
            "SignUp",
            json!({ "ClientId": app.client_id, "Username": 42, "Password": PASSWORD }),
        )
        .unwrap_err();
    assert_api_error(&e, "SerializationException", "Username: 42");
}

#[test]
fn unknown_operation() {
    let emu = shared();
    let r = emu.call_raw("Frobnicate", &json!({}), &[]);
    assert_error_raw(&r, "UnknownOperationException", "unknown operation");
    let r = emu.post_raw(
        "/",
        &[
            ("Content-Type", CONTENT_TYPE),
            ("X-Amz-Target", "SomeOtherService.SignUp"),
        ],
        "{}",
    );
    assert_error_raw(&r, "UnknownOperationException", "another service's target");
    let r = emu.post_raw("/", &[("Content-Type", CONTENT_TYPE)], "{}");
    assert_error_raw(&r, "UnknownOperationException", "no X-Amz-Target at all");
}

#[test]
fn missing_client_id_is_invalid_parameter() {
    let emu = shared();
    for (op, body) in [
        ("SignUp", json!({ "Username": "a", "Password": PASSWORD })),
        (
            "ConfirmSignUp",
            json!({ "Username": "a", "ConfirmationCode": "123456" }),
        ),
        ("ResendConfirmationCode", json!({ "Username": "a" })),
        ("ForgotPassword", json!({ "Username": "a" })),
        (
            "ConfirmForgotPassword",
            json!({ "Username": "a", "ConfirmationCode": "1", "Password": PASSWORD }),
        ),
        (
            "InitiateAuth",
            json!({ "AuthFlow": "USER_PASSWORD_AUTH", "AuthParameters": { "USERNAME": "a", "PASSWORD": PASSWORD } }),
        ),
        (
            "RespondToAuthChallenge",
            json!({ "ChallengeName": "PASSWORD_VERIFIER", "ChallengeResponses": {} }),
        ),
        ("RevokeToken", json!({ "Token": "x" })),
    ] {
        emu.err(op, body, "InvalidParameterException");
    }
}

#[test]
fn missing_members_of_admin_calls() {
    let emu = shared();
    for (op, body) in [
        ("CreateUserPool", json!({})),
        ("CreateUserPoolClient", json!({ "ClientName": "x" })),
        ("DescribeUserPool", json!({})),
        ("DescribeUserPoolClient", json!({})),
        ("AdminGetUser", json!({ "Username": "a" })),
        ("AdminConfirmSignUp", json!({ "Username": "a" })),
        ("AdminDeleteUser", json!({ "Username": "a" })),
        ("ListUsers", json!({})),
        ("GetUser", json!({})),
        ("GlobalSignOut", json!({})),
        (
            "ChangePassword",
            json!({ "PreviousPassword": PASSWORD, "ProposedPassword": NEW_PASSWORD }),
        ),
        ("DeleteUser", json!({})),
    ] {
        emu.err(op, body, "InvalidParameterException");
    }
}

#[test]
fn cors_on_success() {
    let emu = shared();
    let app = emu.public_app();
    let user = unique("cors");
    let body = app.sign_up_body(&user, PASSWORD, &email_of(&user));
    let r = emu.call_raw("SignUp", &body, &[("Origin", ORIGIN)]);
    assert_eq!(r.status, 200, "{r:?}");
    assert_cors(&r, "SignUp success");
    let r = emu.request_raw("GET", "/health", &[("Origin", ORIGIN)]);
    assert_eq!(r.status, 200);
    assert!(
        r.header("access-control-allow-origin").is_some(),
        "CORS on /health: {r:?}"
    );
}

#[test]
fn cors_on_errors() {
    let emu = shared();
    let r = emu.call_raw(
        "DescribeUserPool",
        &json!({ "UserPoolId": "us-east-1_Nope12345" }),
        &[("Origin", ORIGIN)],
    );
    assert_error_raw(&r, "ResourceNotFoundException", "unknown pool");
    assert_cors(&r, "error");
    let r = emu.post_raw(
        "/",
        &[
            ("Content-Type", CONTENT_TYPE),
            ("X-Amz-Target", "AWSCognitoIdentityProviderService.SignUp"),
            ("Origin", ORIGIN),
        ],
        "not json",
    );
    assert_error_raw(&r, "SerializationException", "not json");
    assert_cors(&r, "serialization error");
    let r = emu.call_raw("Frobnicate", &json!({}), &[("Origin", ORIGIN)]);
    assert_cors(&r, "unknown operation");
}

#[test]
fn cors_preflight() {
    let emu = shared();
    let r = emu.request_raw(
        "OPTIONS",
        "/",
        &[
            ("Origin", ORIGIN),
            ("Access-Control-Request-Method", "POST"),
            (
                "Access-Control-Request-Headers",
                "content-type,x-amz-target,x-amz-user-agent,authorization",
            ),
        ],
    );
    assert!(
        r.status == 200 || r.status == 204,
        "preflight status: {r:?}"
    );
    assert_eq!(
        r.header("access-control-allow-origin"),
        Some(ORIGIN),
        "preflight Allow-Origin: {r:?}"
    );
    let allow = r.header("access-control-allow-headers");
    for h in [
        "content-type",
        "x-amz-target",
        "x-amz-user-agent",
        "authorization",
    ] {
        assert!(
            has_token(allow, h),
            "Access-Control-Allow-Headers lacks {h}: {r:?}"
        );
    }
    let methods = r.header("access-control-allow-methods");
    assert!(
        has_token(methods, "POST") || methods == Some("*"),
        "Allow-Methods has POST: {r:?}"
    );
    // A preflight for another path (the JWKS) too.
    let r = emu.request_raw(
        "OPTIONS",
        "/us-east-1_Nope12345/.well-known/jwks.json",
        &[("Origin", ORIGIN), ("Access-Control-Request-Method", "GET")],
    );
    assert!(r.status == 200 || r.status == 204, "JWKS preflight: {r:?}");
    assert!(
        r.header("access-control-allow-origin").is_some(),
        "JWKS preflight: {r:?}"
    );
}

#[test]
fn request_id_and_content_type() {
    let emu = shared();
    let r = emu.call_raw(
        "DescribeUserPool",
        &json!({ "UserPoolId": "us-east-1_Nope12345" }),
        &[],
    );
    assert!(
        r.header("x-amzn-requestid").is_some_and(|s| !s.is_empty()),
        "request id on errors: {r:?}"
    );
    assert!(
        r.header("content-type")
            .is_some_and(|c| c.starts_with(CONTENT_TYPE)),
        "error Content-Type: {r:?}"
    );
    let pool = emu.create_pool(json!({}));
    let r = emu.call_raw(
        "DescribeUserPool",
        &json!({ "UserPoolId": pool["Id"] }),
        &[],
    );
    assert_eq!(r.status, 200);
    assert!(
        r.header("x-amzn-requestid").is_some_and(|s| !s.is_empty()),
        "request id on success: {r:?}"
    );
    assert!(
        r.header("content-type")
            .is_some_and(|c| c.starts_with(CONTENT_TYPE)),
        "success Content-Type: {r:?}"
    );
}

#[test]
fn health() {
    let emu = shared();
    let r = emu.get_raw("/health");
    assert_eq!(r.status, 200);
    assert_eq!(r.json(), json!({ "status": "ok" }));
}

#[test]
fn jwks_of_an_unknown_pool_is_not_found() {
    let emu = shared();
    let r = emu.get_raw("/us-east-1_Nope12345/.well-known/jwks.json");
    assert_eq!(r.status, 404, "{r:?}");
}

#[test]
fn reset_forgets_everything() {
    let emu = Emulator::start(&[]);
    let app = emu.public_app();
    let user = unique("reset");
    app.confirmed_user(&user, PASSWORD);
    let t = app.tokens(&user, PASSWORD);
    let kid_before = decode_jwt(t["AccessToken"].as_str().unwrap()).0["kid"].clone();
    emu.reset();
    emu.err(
        "DescribeUserPool",
        json!({ "UserPoolId": app.pool_id }),
        "ResourceNotFoundException",
    );
    assert_eq!(emu.get_json("/_emulator/outbox"), json!([]));
    // The signing key stays.
    let app = emu.public_app();
    app.confirmed_user(&user, PASSWORD);
    let t = app.tokens(&user, PASSWORD);
    assert_eq!(
        decode_jwt(t["AccessToken"].as_str().unwrap()).0["kid"],
        kid_before
    );
}

#[test]
fn clock_moves_forward() {
    let emu = Emulator::start(&[]);
    let t0 = emu.now();
    assert!(
        t0 + 5 >= unix_now() && t0 <= unix_now() + 5,
        "the clock starts at the real time"
    );
    let t1 = emu.advance_clock(1000);
    assert!(t1 >= t0 + 1000 && t1 <= t0 + 1010, "{t0} -> {t1}");
}

#[test]
fn config_file_and_public_url() {
    let config = json!({
        "UserPools": [{
            "Id": "us-east-1_Practical1",
            "PoolName": "practical",
            "AutoVerifiedAttributes": ["email"],
            "Schema": [{ "Name": "email", "Required": true }],
            "Clients": [{
                "ClientId": "1example23456789abcdefghij",
                "ClientName": "web",
                "GenerateSecret": true,
                "ClientSecret": "fixed-secret-for-tests",
                "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
            }, {
                "ClientId": "2example23456789abcdefghij",
                "ClientName": "spa"
            }]
        }]
    });
    let path = temp_file("practical.json", &config.to_string());
    let public = "http://cognito.example.test/prefix";
    let emu = Emulator::start(&["--config", path.to_str().unwrap(), "--public-url", public]);

    let v = emu.ok(
        "DescribeUserPool",
        json!({ "UserPoolId": "us-east-1_Practical1" }),
    );
    assert_eq!(v["UserPool"]["Name"], json!("practical"));
    let v = emu.ok(
        "DescribeUserPoolClient",
        json!({ "UserPoolId": "us-east-1_Practical1", "ClientId": "1example23456789abcdefghij" }),
    );
    assert_eq!(
        v["UserPoolClient"]["ClientSecret"],
        json!("fixed-secret-for-tests")
    );
    let spa = emu.ok(
        "DescribeUserPoolClient",
        json!({ "UserPoolId": "us-east-1_Practical1", "ClientId": "2example23456789abcdefghij" }),
    );
    assert!(
        spa["UserPoolClient"]
            .get("ClientSecret")
            .is_none_or(|s| s.is_null()),
        "{spa}"
    );

    let app = App {
        emu: &emu,
        pool_id: "us-east-1_Practical1".into(),
        pool_name: "practical".into(),
        client_id: "1example23456789abcdefghij".into(),
        secret: Some("fixed-secret-for-tests".into()),
    };
    let user = unique("cfg");
    app.confirmed_user(&user, PASSWORD);
    let t = app.tokens(&user, PASSWORD);
    let (_, claims, _, _) = decode_jwt(t["AccessToken"].as_str().unwrap());
    assert_eq!(
        claims["iss"],
        json!(format!("{public}/us-east-1_Practical1"))
    );
    // The JWKS is served under the public URL's path prefix, and at the root.
    let a = emu.get_json("/prefix/us-east-1_Practical1/.well-known/jwks.json");
    let b = emu.get_json("/us-east-1_Practical1/.well-known/jwks.json");
    assert_eq!(a, b);
    assert!(!a["keys"].as_array().unwrap().is_empty());
    // SRP on the configured pool (pool name for SRP = the id after `_`).
    crate::auth::srp_sign_in(&app, &user, PASSWORD).expect("SRP on a configured pool");
}

#[test]
fn region_flag() {
    let emu = Emulator::start(&["--region", "eu-west-3"]);
    let pool = emu.create_pool(json!({}));
    let id = pool["Id"].as_str().unwrap();
    assert!(id.starts_with("eu-west-3_"), "{id}");
    assert_eq!(id.len(), "eu-west-3_".len() + 9, "{id}");
}
