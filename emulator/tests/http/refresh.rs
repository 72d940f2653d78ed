//! GetTokensFromRefreshToken, refresh-token rotation with its grace period, and the app
//! client's AuthSessionValidity.

use serde_json::{json, Value};

use crate::common::*;

/// GetTokensFromRefreshToken's body, with the client secret when the client has one.
fn get_tokens_body(app: &App, refresh_token: &str) -> Value {
    let mut body = json!({ "ClientId": app.client_id, "RefreshToken": refresh_token });
    if let Some(s) = &app.secret {
        body["ClientSecret"] = json!(s);
    }
    body
}

fn get_tokens(app: &App, refresh_token: &str) -> Result<Value, ApiError> {
    app.emu.call(
        "GetTokensFromRefreshToken",
        get_tokens_body(app, refresh_token),
    )
}

fn rotating(emu: &Emulator, grace: u64, extra: Value) -> App<'_> {
    let mut client = json!({
        "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH"],
        "RefreshTokenRotation": { "Feature": "ENABLED", "RetryGracePeriodSeconds": grace },
    });
    if let (Some(c), Value::Object(extra)) = (client.as_object_mut(), extra) {
        c.extend(extra);
    }
    emu.app(client)
}

/// A signed-in user of `app`: its refresh token.
fn refresh_token_of(app: &App, prefix: &str) -> String {
    let user = unique(prefix);
    app.confirmed_user(&user, PASSWORD);
    app.tokens(&user, PASSWORD)["RefreshToken"]
        .as_str()
        .expect("a sign-in answers a refresh token")
        .to_owned()
}

#[test]
fn without_rotation_new_id_and_access_tokens_and_no_refresh_token() {
    let emu = shared();
    for app in [emu.public_app(), emu.secret_app()] {
        let rt = refresh_token_of(&app, "gtfrt");
        let r = get_tokens(&app, &rt).expect("GetTokensFromRefreshToken")["AuthenticationResult"]
            .clone();
        for k in ["AccessToken", "IdToken"] {
            assert_eq!(r[k].as_str().map(|t| t.split('.').count()), Some(3), "{k}");
        }
        assert_eq!(r["TokenType"], json!("Bearer"));
        assert!(r["ExpiresIn"].as_u64().is_some());
        assert!(
            r.get("RefreshToken").is_none(),
            "no rotation, no new refresh token: {r}"
        );
        app.get_user(r["AccessToken"].as_str().unwrap())
            .expect("the new access token works");
        // The same token again: still good (nothing rotates).
        get_tokens(&app, &rt).expect("a second refresh with the same token");
    }
}

#[test]
fn the_client_secret_is_checked() {
    let emu = shared();
    let app = emu.secret_app();
    let rt = refresh_token_of(&app, "gtfrt-s");
    let mut body = get_tokens_body(&app, &rt);
    body.as_object_mut().unwrap().remove("ClientSecret");
    let e = emu.err(
        "GetTokensFromRefreshToken",
        body.clone(),
        "NotAuthorizedException",
    );
    assert!(e.message.contains("secret was not received"), "{e:?}");
    body["ClientSecret"] = json!("not-the-secret");
    emu.err("GetTokensFromRefreshToken", body, "NotAuthorizedException");
}

#[test]
fn bad_revoked_or_foreign_refresh_tokens_are_refused() {
    let emu = shared();
    let app = emu.public_app();
    let e = get_tokens(&app, "not-a-refresh-token").unwrap_err();
    assert_api_error(&e, "NotAuthorizedException", "a made-up refresh token");
    assert_eq!(e.message, "Invalid Refresh Token.");

    let rt = refresh_token_of(&app, "gtfrt-r");
    let other = emu.public_app();
    let e = get_tokens(&other, &rt).unwrap_err();
    assert_api_error(
        &e,
        "NotAuthorizedException",
        "another client's refresh token",
    );

    emu.ok("RevokeToken", app.revoke_body(&rt));
    let e = get_tokens(&app, &rt).unwrap_err();
    assert_api_error(&e, "NotAuthorizedException", "a revoked refresh token");
    assert_eq!(e.message, "Refresh Token has been revoked");

    let mut body = get_tokens_body(&app, "x");
    body["ClientId"] = json!("nosuchclient0000000000000");
    emu.err(
        "GetTokensFromRefreshToken",
        body,
        "ResourceNotFoundException",
    );
}

#[test]
fn rotation_answers_a_new_refresh_token_and_the_old_one_lasts_its_grace_period() {
    let emu = Emulator::start(&[]);
    let app = rotating(&emu, 30, json!({}));
    let first = refresh_token_of(&app, "rotate");
    let r = get_tokens(&app, &first).expect("rotation")["AuthenticationResult"].clone();
    let second = r["RefreshToken"]
        .as_str()
        .expect("a new refresh token")
        .to_owned();
    assert_ne!(second, first);
    app.get_user(r["AccessToken"].as_str().unwrap())
        .expect("new access token");

    // A retry with the old token within the grace period works, and answers a token too.
    emu.advance_clock(29);
    let retry = get_tokens(&app, &first).expect("the old token within its grace period");
    assert!(retry["AuthenticationResult"]["RefreshToken"].is_string());
    // The retry did not extend the grace period.
    emu.advance_clock(2);
    let e = get_tokens(&app, &first).unwrap_err();
    assert_api_error(
        &e,
        "RefreshTokenReuseException",
        "the old token after its grace",
    );
    // The new one rotates in its turn.
    let third = get_tokens(&app, &second).expect("the new token")["AuthenticationResult"]
        ["RefreshToken"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(third != second && third != first);
}

#[test]
fn with_no_grace_the_rotated_token_is_refused_at_once() {
    let emu = Emulator::start(&[]);
    let app = rotating(&emu, 0, json!({ "GenerateSecret": true }));
    let first = refresh_token_of(&app, "rotate0");
    get_tokens(&app, &first).expect("rotation");
    emu.advance_clock(1);
    let e = get_tokens(&app, &first).unwrap_err();
    assert_api_error(&e, "RefreshTokenReuseException", "no grace period");
}

#[test]
fn a_rotating_client_refuses_refresh_token_auth() {
    let emu = shared();
    let app = rotating(emu, 10, json!({}));
    let user = unique("rotate-rta");
    app.confirmed_user(&user, PASSWORD);
    let rt = app.tokens(&user, PASSWORD)["RefreshToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let e = app.refresh(&rt, &user).unwrap_err();
    assert_api_error(
        &e,
        "InvalidParameterException",
        "REFRESH_TOKEN_AUTH with rotation",
    );
    assert_eq!(
        e.message,
        "REFRESH_TOKEN_AUTH flow not enabled for this client"
    );
}

#[test]
fn the_refresh_token_expires_with_its_session_rotated_or_not() {
    let emu = Emulator::start(&[]);
    // RefreshTokenValidity's least: 60 minutes.
    let validity =
        json!({ "RefreshTokenValidity": 60, "TokenValidityUnits": { "RefreshToken": "minutes" } });
    let app = rotating(&emu, 0, validity);
    let first = refresh_token_of(&app, "rotate-exp");
    emu.advance_clock(1800);
    let second = get_tokens(&app, &first).unwrap()["AuthenticationResult"]["RefreshToken"]
        .as_str()
        .unwrap()
        .to_owned();
    // Rotation does not extend the session: an hour after the sign-in, both are expired.
    emu.advance_clock(1801);
    let e = get_tokens(&app, &second).unwrap_err();
    assert_api_error(&e, "NotAuthorizedException", "expired after rotation");
    assert_eq!(e.message, "Refresh Token has expired");
}

#[test]
fn refresh_token_rotation_and_auth_session_validity_are_checked_and_described() {
    let emu = shared();
    let pool = emu.create_pool(json!({}));
    let pool_id = pool["Id"].as_str().unwrap();
    let create = |extra: Value| {
        let mut body = json!({ "UserPoolId": pool_id, "ClientName": unique("c") });
        if let (Some(b), Value::Object(extra)) = (body.as_object_mut(), extra) {
            b.extend(extra);
        }
        emu.call("CreateUserPoolClient", body)
    };
    for bad in [
        json!({ "RefreshTokenRotation": { "Feature": "ENABLED", "RetryGracePeriodSeconds": 61 } }),
        json!({ "RefreshTokenRotation": { "Feature": "ON" } }),
        json!({ "RefreshTokenRotation": { "RetryGracePeriodSeconds": 5 } }),
        json!({ "AuthSessionValidity": 2 }),
        json!({ "AuthSessionValidity": 16 }),
    ] {
        let e = create(bad.clone()).unwrap_err();
        assert_api_error(&e, "InvalidParameterException", &bad.to_string());
    }
    let made = create(json!({
        "RefreshTokenRotation": { "Feature": "ENABLED", "RetryGracePeriodSeconds": 60 },
        "AuthSessionValidity": 15,
    }))
    .unwrap()["UserPoolClient"]
        .clone();
    assert_eq!(
        made["RefreshTokenRotation"],
        json!({ "Feature": "ENABLED", "RetryGracePeriodSeconds": 60 })
    );
    assert_eq!(made["AuthSessionValidity"], json!(15));
    let plain = create(json!({})).unwrap()["UserPoolClient"].clone();
    assert_eq!(
        plain["RefreshTokenRotation"],
        json!({ "Feature": "DISABLED", "RetryGracePeriodSeconds": 0 })
    );
    assert_eq!(plain["AuthSessionValidity"], json!(3));
}
