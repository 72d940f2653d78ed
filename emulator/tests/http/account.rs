//! ForgotPassword, ConfirmForgotPassword, ChangePassword, DeleteUser.

use serde_json::json;

use crate::common::*;

#[test]
fn forgot_password_then_sign_in_with_the_new_one() {
    let emu = shared();
    let app = emu.public_app();
    let user = unique("forgot");
    app.confirmed_user(&user, PASSWORD);
    let before = app.tokens(&user, PASSWORD);

    let v = emu.ok("ForgotPassword", app.forgot_body(&user));
    let d = &v["CodeDeliveryDetails"];
    assert_eq!(d["DeliveryMedium"], json!("EMAIL"), "{v}");
    assert_eq!(d["AttributeName"], json!("email"), "{v}");
    assert!(
        d["Destination"].as_str().unwrap().contains('*'),
        "masked: {v}"
    );
    let msgs = emu.outbox(&app.pool_id, &user);
    let last = msgs.last().unwrap();
    assert_eq!(last["kind"], json!("forgot_password"));
    assert_eq!(last["destination"], json!(email_of(&user)));

    let code = app.code(&user, "forgot_password");
    let e = emu.call(
        "ConfirmForgotPassword",
        app.confirm_forgot_body(&user, &wrong_code(&code), NEW_PASSWORD),
    );
    assert_api_error(&e.unwrap_err(), "CodeMismatchException", "wrong reset code");
    // A new password that breaks the policy.
    let e = emu.call(
        "ConfirmForgotPassword",
        app.confirm_forgot_body(&user, &code, "weak"),
    );
    assert_api_error(
        &e.unwrap_err(),
        "InvalidPasswordException",
        "weak new password",
    );

    emu.ok(
        "ConfirmForgotPassword",
        app.confirm_forgot_body(&user, &code, NEW_PASSWORD),
    );
    app.tokens(&user, NEW_PASSWORD);
    let e = app.password_auth(&user, PASSWORD).unwrap_err();
    assert_api_error(&e, "NotAuthorizedException", "old password after reset");
    // SRP uses the new password too.
    crate::auth::srp_sign_in(&app, &user, NEW_PASSWORD).expect("SRP with the new password");

    // The reset code is single use.
    let e = emu
        .call(
            "ConfirmForgotPassword",
            app.confirm_forgot_body(&user, &code, "Third-Password-3"),
        )
        .unwrap_err();
    assert_api_error(&e, "CodeMismatchException", "reset code reused");
    app.tokens(&user, NEW_PASSWORD);
    let _ = before;
}

#[test]
fn forgot_password_secret_hash() {
    let emu = shared();
    let app = emu.secret_app();
    let user = unique("forgot-s");
    app.confirmed_user(&user, PASSWORD);

    let mut body = app.forgot_body(&user);
    body.as_object_mut().unwrap().remove("SecretHash");
    emu.err("ForgotPassword", body.clone(), "NotAuthorizedException");
    body["SecretHash"] = json!(secret_hash("wrong", &user, &app.client_id));
    emu.err("ForgotPassword", body, "NotAuthorizedException");
    assert!(
        emu.outbox(&app.pool_id, &user)
            .iter()
            .all(|m| m["kind"] != "forgot_password"),
        "no reset code sent without a valid SECRET_HASH"
    );

    emu.ok("ForgotPassword", app.forgot_body(&user));
    let code = app.code(&user, "forgot_password");
    let mut body = app.confirm_forgot_body(&user, &code, NEW_PASSWORD);
    body.as_object_mut().unwrap().remove("SecretHash");
    emu.err(
        "ConfirmForgotPassword",
        body.clone(),
        "NotAuthorizedException",
    );
    body["SecretHash"] = json!(secret_hash("wrong", &user, &app.client_id));
    emu.err("ConfirmForgotPassword", body, "NotAuthorizedException");
    // The code survived the refused attempts.
    emu.ok(
        "ConfirmForgotPassword",
        app.confirm_forgot_body(&user, &code, NEW_PASSWORD),
    );
    app.tokens(&user, NEW_PASSWORD);
}

#[test]
fn forgot_password_for_unknown_user_is_simulated() {
    let emu = shared();
    let app = emu.public_app();
    let v = emu.ok("ForgotPassword", app.forgot_body("nobody-at-all"));
    assert!(v["CodeDeliveryDetails"].is_object(), "{v}");
    assert!(emu.outbox(&app.pool_id, "nobody-at-all").is_empty());
}

#[test]
fn forgot_password_resend_voids_the_old_code() {
    let emu = shared();
    let app = emu.public_app();
    let user = unique("forgot-twice");
    app.confirmed_user(&user, PASSWORD);
    emu.ok("ForgotPassword", app.forgot_body(&user));
    let old = app.code(&user, "forgot_password");
    emu.ok("ForgotPassword", app.forgot_body(&user));
    let new = app.code(&user, "forgot_password");
    if old != new {
        let e = emu
            .call(
                "ConfirmForgotPassword",
                app.confirm_forgot_body(&user, &old, NEW_PASSWORD),
            )
            .unwrap_err();
        assert_api_error(&e, "CodeMismatchException", "old reset code");
    }
    emu.ok(
        "ConfirmForgotPassword",
        app.confirm_forgot_body(&user, &new, NEW_PASSWORD),
    );
}

#[test]
fn forgot_password_five_wrong_codes() {
    let emu = shared();
    let app = emu.public_app();
    let user = unique("forgot-tries");
    app.confirmed_user(&user, PASSWORD);
    emu.ok("ForgotPassword", app.forgot_body(&user));
    let code = app.code(&user, "forgot_password");
    let bad = wrong_code(&code);
    for i in 1..=4 {
        let e = emu.call(
            "ConfirmForgotPassword",
            app.confirm_forgot_body(&user, &bad, NEW_PASSWORD),
        );
        assert_api_error(
            &e.unwrap_err(),
            "CodeMismatchException",
            &format!("wrong reset code {i}"),
        );
    }
    let e = emu.call(
        "ConfirmForgotPassword",
        app.confirm_forgot_body(&user, &bad, NEW_PASSWORD),
    );
    assert_api_error(
        &e.unwrap_err(),
        "TooManyFailedAttemptsException",
        "wrong reset code 5",
    );
    // The code is void now: the right one is refused too.
    let e = emu.call(
        "ConfirmForgotPassword",
        app.confirm_forgot_body(&user, &code, NEW_PASSWORD),
    );
    assert_api_error_any(
        &e.unwrap_err(),
        &["CodeMismatchException", "TooManyFailedAttemptsException"],
        "right reset code after 5 wrong",
    );
    app.tokens(&user, PASSWORD);
    // A new reset code works.
    emu.ok("ForgotPassword", app.forgot_body(&user));
    let fresh = app.code(&user, "forgot_password");
    emu.ok(
        "ConfirmForgotPassword",
        app.confirm_forgot_body(&user, &fresh, NEW_PASSWORD),
    );
    app.tokens(&user, NEW_PASSWORD);
}

#[test]
fn codes_expire() {
    let emu = Emulator::start(&[]);
    let app = emu.public_app();

    // A reset code lives 1 h.
    let user = unique("exp-reset");
    app.confirmed_user(&user, PASSWORD);
    emu.ok("ForgotPassword", app.forgot_body(&user));
    let code = app.code(&user, "forgot_password");
    emu.advance_clock(3600 + 60);
    let e = emu.call(
        "ConfirmForgotPassword",
        app.confirm_forgot_body(&user, &code, NEW_PASSWORD),
    );
    assert_api_error(
        &e.unwrap_err(),
        "ExpiredCodeException",
        "reset code after 61 min",
    );
    app.tokens(&user, PASSWORD);

    // A confirmation code lives 24 h: fine after 23 h, expired after 25 h.
    let a = unique("exp-a");
    let b = unique("exp-b");
    app.sign_up(&a, PASSWORD).unwrap();
    app.sign_up(&b, PASSWORD).unwrap();
    emu.advance_clock(23 * 3600);
    let code_a = app.code(&a, "confirm_sign_up");
    app.confirm(&a, &code_a)
        .expect("confirmation code 23 h old");
    emu.advance_clock(2 * 3600);
    let code_b = app.code(&b, "confirm_sign_up");
    let e = app.confirm(&b, &code_b).unwrap_err();
    assert_api_error(&e, "ExpiredCodeException", "confirmation code 25 h old");
    // A resent code works.
    emu.ok("ResendConfirmationCode", app.resend_body(&b));
    let fresh = app.code(&b, "confirm_sign_up");
    app.confirm(&b, &fresh).expect("fresh code after expiry");
}

#[test]
fn change_password() {
    let emu = shared();
    let app = emu.public_app();
    let user = unique("change");
    app.confirmed_user(&user, PASSWORD);
    let t = app.tokens(&user, PASSWORD);
    let access = t["AccessToken"].as_str().unwrap();

    let e = emu.call(
        "ChangePassword",
        json!({ "AccessToken": access, "PreviousPassword": "Wrong-Previous-1", "ProposedPassword": NEW_PASSWORD }),
    );
    assert_api_error(
        &e.unwrap_err(),
        "NotAuthorizedException",
        "wrong PreviousPassword",
    );
    let e = emu.call(
        "ChangePassword",
        json!({ "AccessToken": access, "PreviousPassword": PASSWORD, "ProposedPassword": "weak" }),
    );
    assert_api_error(
        &e.unwrap_err(),
        "InvalidPasswordException",
        "weak ProposedPassword",
    );
    let e = emu.call(
        "ChangePassword",
        json!({ "AccessToken": tamper_payload(access), "PreviousPassword": PASSWORD, "ProposedPassword": NEW_PASSWORD }),
    );
    assert_api_error(
        &e.unwrap_err(),
        "NotAuthorizedException",
        "tampered AccessToken",
    );
    app.tokens(&user, PASSWORD);

    emu.ok(
        "ChangePassword",
        json!({ "AccessToken": access, "PreviousPassword": PASSWORD, "ProposedPassword": NEW_PASSWORD }),
    );
    app.tokens(&user, NEW_PASSWORD);
    let e = app.password_auth(&user, PASSWORD).unwrap_err();
    assert_api_error(
        &e,
        "NotAuthorizedException",
        "old password after ChangePassword",
    );
    crate::auth::srp_sign_in(&app, &user, NEW_PASSWORD).expect("SRP with the changed password");
}

#[test]
fn delete_user() {
    let emu = shared();
    let app = emu.public_app();
    let user = unique("delete");
    app.confirmed_user(&user, PASSWORD);
    let t = app.tokens(&user, PASSWORD);
    let access = t["AccessToken"].as_str().unwrap();
    let refresh = t["RefreshToken"].as_str().unwrap();

    emu.err(
        "DeleteUser",
        json!({ "AccessToken": tamper_payload(access) }),
        "NotAuthorizedException",
    );
    app.admin_get_user(&user)
        .expect("still there after a refused DeleteUser");

    emu.ok("DeleteUser", json!({ "AccessToken": access }));
    let e = app.password_auth(&user, PASSWORD).unwrap_err();
    assert_api_error(&e, "NotAuthorizedException", "sign-in after DeleteUser");
    assert_eq!(e.message, "Incorrect username or password.");
    let e = app.get_user(access).unwrap_err();
    assert_api_error(
        &e,
        "NotAuthorizedException",
        "GetUser with a deleted user's token",
    );
    let e = app.refresh(refresh, &user).unwrap_err();
    assert_api_error(
        &e,
        "NotAuthorizedException",
        "refresh with a deleted user's token",
    );
    assert_api_error(
        &app.admin_get_user(&user).unwrap_err(),
        "UserNotFoundException",
        "AdminGetUser",
    );
    emu.err(
        "DeleteUser",
        json!({ "AccessToken": access }),
        "NotAuthorizedException",
    );

    // The username can be taken again, and the old token does not work for the new user.
    app.confirmed_user(&user, PASSWORD);
    let e = app.get_user(access).unwrap_err();
    assert_api_error(
        &e,
        "NotAuthorizedException",
        "old token for a re-created user",
    );
}
