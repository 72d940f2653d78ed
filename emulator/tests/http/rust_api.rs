//! The library's Rust API (`cognito_wasm::Client` on the native platform) against the emulator
//! over HTTP: the client the Yew demo uses in the browser, natively. Every typed method of the
//! registry's operations is called, with and without a client secret, and Cognito's errors
//! come back typed.

use std::future::Future;
use std::time::Duration;

use cognito_wasm::api::SignInResult;
use cognito_wasm::native::NativePlatform;
use cognito_wasm::{Client, ClientConfig, CognitoException, Error, Tokens};
use serde_json::{json, Value};

use crate::common::{self, App, NEW_PASSWORD, PASSWORD};

/// The native platform's futures finish on their first poll (its HTTP blocks).
pub fn run<F: Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a runtime")
        .block_on(f)
}

pub fn client(app: &App<'_>) -> Client<NativePlatform> {
    let config = ClientConfig {
        user_pool_id: app.pool_id.clone(),
        client_id: app.client_id.clone(),
        client_secret: app.secret.clone(),
        endpoint: Some(format!("{}/", app.emu.base)),
    };
    Client::new(config, NativePlatform::new(Duration::from_secs(10))).expect("a client")
}

/// The exception of a call that Cognito refused.
pub fn exception<T: std::fmt::Debug>(result: Result<T, Error>) -> CognitoException {
    match result {
        Err(Error::Cognito { exception, .. }) => exception,
        other => panic!("expected Cognito's exception, got {other:?}"),
    }
}

pub fn tokens(result: Result<SignInResult, Error>) -> Tokens {
    match result.expect("a sign-in") {
        SignInResult::Tokens(t) => t,
        SignInResult::Challenge(c) => panic!("unexpected challenge {}", c.name),
    }
}

/// A user signed up and confirmed through the client; its tokens from an SRP sign-in.
fn signed_in(app: &App<'_>, c: &Client<NativePlatform>, username: &str) -> Tokens {
    let email = [("email".to_owned(), format!("{username}@example.com"))];
    let r = run(c.sign_up(username, PASSWORD, &email)).expect("SignUp");
    assert!(!r.user_confirmed);
    assert_eq!(
        r.code_delivery.and_then(|d| d.delivery_medium).as_deref(),
        Some("EMAIL")
    );
    let code = app.code(username, "confirm_sign_up");
    run(c.confirm_sign_up(username, &code)).expect("ConfirmSignUp");
    tokens(run(c.sign_in_srp(username, PASSWORD)))
}

/// The ClientMetadata the emulator recorded for `username`'s calls, as (operation, metadata).
fn recorded_metadata(app: &App<'_>, username: &str) -> Vec<(String, Value)> {
    let list = app
        .emu
        .get_json(&format!("/_emulator/client-metadata?username={username}"));
    list.as_array()
        .expect("a list")
        .iter()
        .map(|r| {
            (
                r["operation"].as_str().unwrap_or("").to_owned(),
                r["client_metadata"].clone(),
            )
        })
        .collect()
}

#[test]
fn the_practical_through_the_rust_api() {
    for app in [common::shared().public_app(), common::shared().secret_app()] {
        let c = client(&app);
        let user = common::unique("rust");
        let t = signed_in(&app, &c, &user);
        assert!(t.refresh_token.is_some());
        let by_password = tokens(run(c.sign_in_password(&user, PASSWORD)));
        let me = run(c.get_user(&by_password.access_token)).expect("GetUser");
        assert_eq!(me.username, user);
        assert_eq!(me.attribute("email_verified"), Some("true"));
        let refresh_token = t.refresh_token.as_deref().unwrap_or_default();
        let refreshed = run(c.refresh(refresh_token, Some(&user))).expect("a refresh");
        assert!(refreshed.refresh_token.is_none());
        run(c.revoke_token(refresh_token)).expect("RevokeToken");
        assert_eq!(
            exception(run(c.refresh(refresh_token, Some(&user)))),
            CognitoException::NotAuthorized
        );
        run(c.global_sign_out(&by_password.access_token)).expect("GlobalSignOut");
        assert_eq!(
            exception(run(c.get_user(&by_password.access_token))),
            CognitoException::NotAuthorized
        );
        assert_eq!(
            exception(run(c.sign_in_password(&user, "Wrong-Horse-9"))),
            CognitoException::NotAuthorized
        );
    }
}

#[test]
fn get_tokens_from_refresh_token_with_and_without_rotation() {
    let emu = common::shared();
    let rotating = json!({
        "GenerateSecret": true,
        "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH"],
        "RefreshTokenRotation": { "Feature": "ENABLED", "RetryGracePeriodSeconds": 0 },
    });
    for (app, rotates) in [(emu.public_app(), false), (emu.app(rotating), true)] {
        let c = client(&app);
        let user = common::unique("rustgt");
        let first = signed_in(&app, &c, &user).refresh_token.unwrap_or_default();
        let t = run(c.get_tokens_from_refresh_token(&first)).expect("GetTokensFromRefreshToken");
        run(c.get_user(&t.access_token)).expect("the new access token works");
        assert_eq!(t.refresh_token.is_some(), rotates);
        let again = run(c.get_tokens_from_refresh_token(&first));
        if rotates {
            assert_eq!(exception(again), CognitoException::RefreshTokenReuse);
            let second = t.refresh_token.unwrap_or_default();
            run(c.get_tokens_from_refresh_token(&second)).expect("the rotated-in token");
        } else {
            again.expect("without rotation the token stays");
        }
    }
}

#[test]
fn passwords_change_and_reset_through_the_rust_api() {
    let app = common::shared().secret_app();
    let c = client(&app);
    let user = common::unique("rustpw");
    let t = signed_in(&app, &c, &user);
    run(c.change_password(&t.access_token, PASSWORD, NEW_PASSWORD)).expect("ChangePassword");
    tokens(run(c.sign_in_srp(&user, NEW_PASSWORD)));
    let delivery = run(c.forgot_password(&user)).expect("ForgotPassword");
    assert_eq!(delivery.attribute_name.as_deref(), Some("email"));
    let code = app.code(&user, "forgot_password");
    assert_eq!(
        exception(run(c.confirm_forgot_password(&user, "000000", PASSWORD))),
        CognitoException::CodeMismatch
    );
    run(c.confirm_forgot_password(&user, &code, PASSWORD)).expect("ConfirmForgotPassword");
    tokens(run(c.sign_in_password(&user, PASSWORD)));
    let resent = run(c.resend_confirmation_code(&user));
    // Confirmed already: Cognito says so.
    assert_eq!(exception(resent), CognitoException::InvalidParameter);
}

#[test]
fn client_metadata_goes_with_every_call_that_takes_it() {
    let app = common::shared().secret_app();
    let plain = client(&app);
    let user = common::unique("rustcm");
    let metadata = vec![("origin".to_owned(), "rust-api".to_owned())];
    let c = plain.with_client_metadata(metadata);
    let email = [("email".to_owned(), format!("{user}@example.com"))];
    run(c.sign_up(&user, PASSWORD, &email)).expect("SignUp");
    let code = app.code(&user, "confirm_sign_up");
    run(c.confirm_sign_up(&user, &code)).expect("ConfirmSignUp");
    let t = tokens(run(c.sign_in_srp(&user, PASSWORD)));
    // GetUser takes no ClientMetadata, so the client sends none there (the bodies are
    // checked in crate/src/api/requests_tests.rs; the emulator records only where Cognito
    // takes it).
    run(c.get_user(&t.access_token)).expect("GetUser");
    tokens(run(plain.sign_in_password(&user, PASSWORD)));
    let want = json!({ "origin": "rust-api" });
    let recorded = recorded_metadata(&app, &user);
    let ops: Vec<&str> = recorded.iter().map(|(op, _)| op.as_str()).collect();
    assert_eq!(
        ops,
        [
            "SignUp",
            "ConfirmSignUp",
            "InitiateAuth",
            "RespondToAuthChallenge"
        ],
        "the plain client's sign-in sent none"
    );
    assert!(recorded.iter().all(|(_, m)| *m == want), "{recorded:?}");
}

#[test]
fn bad_input_is_refused_before_sending() {
    let app = common::shared().public_app();
    let c = client(&app);
    for e in [
        run(c.sign_up("", PASSWORD, &[])).map(drop),
        run(c.confirm_sign_up("someone", "")),
        run(c.get_user("")).map(drop),
        run(c.change_password("token", "", NEW_PASSWORD)),
    ] {
        assert_eq!(e.expect_err("refused").name(), "InvalidInputError");
    }
}

#[test]
fn delete_user_ends_the_account_and_its_sessions() {
    for app in [common::shared().public_app(), common::shared().secret_app()] {
        let c = client(&app);
        let user = common::unique("rustdel");
        let t = signed_in(&app, &c, &user);
        let other = tokens(run(c.sign_in_password(&user, PASSWORD)));
        run(c.delete_user(&t.access_token)).expect("DeleteUser");
        assert_eq!(
            exception(run(c.delete_user(&t.access_token))),
            CognitoException::NotAuthorized,
            "the deleted user's token"
        );
        assert_eq!(
            exception(run(c.get_user(&other.access_token))),
            CognitoException::NotAuthorized,
            "another session of the deleted user"
        );
        assert_eq!(
            exception(run(c.sign_in_password(&user, PASSWORD))),
            CognitoException::NotAuthorized
        );
        assert!(app.admin_get_user(&user).is_err(), "the user is gone");
        let empty = run(c.delete_user("")).expect_err("an empty token");
        assert_eq!(empty.name(), "InvalidInputError");
    }
}

#[test]
fn attributes_change_verify_and_delete_through_the_rust_api() {
    let emu = common::shared();
    let pool = emu.create_pool(json!({
        "UserAttributeUpdateSettings": { "AttributesRequireVerificationBeforeUpdate": ["email"] },
    }));
    let app = emu.app_in(
        &pool,
        json!({ "GenerateSecret": true, "ExplicitAuthFlows": common::all_flows() }),
    );
    let c = client(&app);
    let user = common::unique("rustattr");
    let t = signed_in(&app, &c, &user);
    let (old, new) = (format!("{user}@example.com"), format!("{user}@example.org"));
    let metadata = vec![("origin".to_owned(), "rust-api".to_owned())];
    let changes = [
        ("email".to_owned(), new.clone()),
        ("nickname".to_owned(), "Ada".to_owned()),
    ];
    let deliveries = run(c
        .with_client_metadata(metadata)
        .update_user_attributes(&t.access_token, &changes))
    .expect("UpdateUserAttributes");
    assert_eq!(deliveries.len(), 1, "{deliveries:?}");
    assert_eq!(deliveries[0].attribute_name.as_deref(), Some("email"));
    assert_eq!(deliveries[0].delivery_medium.as_deref(), Some("EMAIL"));
    // The old address stays, verified, until the new one is.
    let me = run(c.get_user(&t.access_token)).expect("GetUser");
    assert_eq!(me.attribute("email"), Some(old.as_str()));
    assert_eq!(me.attribute("email_verified"), Some("true"));
    assert_eq!(me.attribute("nickname"), Some("Ada"));
    assert_eq!(
        exception(run(c.verify_user_attribute(
            &t.access_token,
            "email",
            "000000"
        ))),
        CognitoException::CodeMismatch
    );
    let code = app.code(&user, "verify_attribute");
    run(c.verify_user_attribute(&t.access_token, "email", &code)).expect("VerifyUserAttribute");
    let me = run(c.get_user(&t.access_token)).expect("GetUser");
    assert_eq!(me.attribute("email"), Some(new.as_str()));
    assert_eq!(me.attribute("email_verified"), Some("true"));
    let recorded = recorded_metadata(&app, &user);
    assert!(
        recorded.iter().any(|(op, _)| op == "UpdateUserAttributes"),
        "{recorded:?}"
    );

    let again = run(c.get_user_attribute_verification_code(&t.access_token, "email"))
        .expect("GetUserAttributeVerificationCode");
    assert_eq!(again.attribute_name.as_deref(), Some("email"));
    assert_eq!(
        exception(run(c.get_user_attribute_verification_code(
            &t.access_token,
            "phone_number"
        ))),
        CognitoException::InvalidParameter,
        "no phone number to verify"
    );
    run(c.delete_user_attributes(&t.access_token, &["nickname".to_owned()]))
        .expect("DeleteUserAttributes");
    let me = run(c.get_user(&t.access_token)).expect("GetUser");
    assert_eq!(me.attribute("nickname"), None);
    for refused in [
        run(c.delete_user_attributes(&t.access_token, &["email".to_owned()])),
        run(c.update_user_attributes(&t.access_token, &[("sub".to_owned(), "x".to_owned())]))
            .map(drop),
        run(c.update_user_attributes(&t.access_token, &[("email".to_owned(), String::new())]))
            .map(drop),
    ] {
        assert_eq!(exception(refused), CognitoException::InvalidParameter);
    }
    assert_eq!(
        run(c.delete_user_attributes(&t.access_token, &[String::new()]))
            .expect_err("an empty name")
            .name(),
        "InvalidInputError"
    );
    run(c.global_sign_out(&t.access_token)).expect("GlobalSignOut");
    assert_eq!(
        exception(run(c.verify_user_attribute(
            &t.access_token,
            "email",
            &code
        ))),
        CognitoException::NotAuthorized,
        "a revoked token"
    );
}
