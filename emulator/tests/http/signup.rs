//! SignUp, ConfirmSignUp, ResendConfirmationCode, codes, password policy, SECRET_HASH on sign-up.

use serde_json::json;

use crate::common::*;

#[test]
fn sign_up_ok() {
    let emu = shared();
    let app = emu.public_app();
    let user = unique("signup");
    let v = app.sign_up(&user, PASSWORD).unwrap();
    assert_eq!(v["UserConfirmed"], json!(false), "{v}");
    let sub = v["UserSub"]
        .as_str()
        .unwrap_or_else(|| panic!("UserSub in {v}"));
    assert_eq!(sub.len(), 36, "UserSub is a UUID: {sub}");
    assert_eq!(sub.matches('-').count(), 4, "UserSub is a UUID: {sub}");
    let d = &v["CodeDeliveryDetails"];
    assert_eq!(d["DeliveryMedium"], json!("EMAIL"), "{v}");
    assert_eq!(d["AttributeName"], json!("email"), "{v}");
    let dest = d["Destination"]
        .as_str()
        .unwrap_or_else(|| panic!("Destination in {v}"));
    assert_ne!(dest, email_of(&user), "the destination is masked");
    assert!(dest.contains('*'), "masked destination: {dest}");
    assert!(dest.contains('@'), "masked email keeps the @: {dest}");
    assert!(
        !dest.contains(&user),
        "masked destination hides the local part: {dest}"
    );

    // The code went to the full address.
    let msgs = emu.outbox(&app.pool_id, &user);
    assert_eq!(msgs.len(), 1, "{msgs:?}");
    let m = &msgs[0];
    assert_eq!(m["kind"], json!("confirm_sign_up"));
    assert_eq!(m["destination"], json!(email_of(&user)));
    assert_eq!(m["pool_id"], json!(app.pool_id));
    assert_eq!(m["username"], json!(user));
    let sent_at = m["sent_at"]
        .as_f64()
        .unwrap_or_else(|| panic!("sent_at in {m}"));
    assert!(
        (sent_at - unix_now() as f64).abs() < 60.0,
        "sent_at is epoch seconds: {m}"
    );
    let code = m["code"].as_str().unwrap();
    assert_eq!(code.len(), 6, "6 digits: {code}");
    assert!(code.chars().all(|c| c.is_ascii_digit()), "6 digits: {code}");

    // Confirm: then the user is CONFIRMED.
    app.confirm(&user, code).unwrap();
    assert_eq!(
        app.admin_get_user(&user).unwrap()["UserStatus"],
        json!("CONFIRMED")
    );
}

#[test]
fn outbox_filters() {
    let emu = shared();
    let app = emu.public_app();
    let a = unique("outbox-a");
    let b = unique("outbox-b");
    app.sign_up(&a, PASSWORD).unwrap();
    app.sign_up(&b, PASSWORD).unwrap();
    let all = emu.get_json(&format!("/_emulator/outbox?pool_id={}", app.pool_id));
    let all = all.as_array().unwrap();
    assert_eq!(all.len(), 2, "{all:?}");
    assert_eq!(all[0]["username"], json!(a), "oldest first");
    assert_eq!(all[1]["username"], json!(b));
    assert_eq!(emu.outbox(&app.pool_id, &a).len(), 1);
    let everything = emu.get_json("/_emulator/outbox");
    assert!(everything.as_array().unwrap().len() >= 2);
}

#[test]
fn username_exists() {
    let emu = shared();
    let app = emu.public_app();
    let user = unique("exists");
    app.sign_up(&user, PASSWORD).unwrap();
    let e = app.sign_up(&user, PASSWORD).unwrap_err();
    assert_api_error(&e, "UsernameExistsException", "same username");
    // Usernames are case-insensitive.
    let e = app
        .sign_up(&user.to_ascii_uppercase(), PASSWORD)
        .unwrap_err();
    assert_api_error(&e, "UsernameExistsException", "same username in upper case");
    // Even once confirmed.
    let code = app.code(&user, "confirm_sign_up");
    app.confirm(&user, &code).unwrap();
    let e = app.sign_up(&user, PASSWORD).unwrap_err();
    assert_api_error(
        &e,
        "UsernameExistsException",
        "same username after confirmation",
    );
}

#[test]
fn username_exists_with_secret_client_and_case() {
    let emu = shared();
    let app = emu.secret_app();
    let user = unique("exists-s");
    app.sign_up(&user, PASSWORD).unwrap();
    // The SECRET_HASH is computed over the username as sent.
    let upper = user.to_ascii_uppercase();
    let e = app.sign_up(&upper, PASSWORD).unwrap_err();
    assert_api_error(
        &e,
        "UsernameExistsException",
        "upper-case duplicate, secret client",
    );
}

#[test]
fn same_username_in_two_pools_is_fine() {
    let emu = shared();
    let a = emu.public_app();
    let b = emu.public_app();
    let user = unique("twopools");
    a.sign_up(&user, PASSWORD).unwrap();
    b.sign_up(&user, PASSWORD).unwrap();
}

#[test]
fn password_policy_default() {
    let emu = shared();
    let app = emu.public_app();
    for (why, pw) in [
        ("too short (7)", "Ab1!xyz"),
        ("no upper case", "correct-horse-9"),
        ("no lower case", "CORRECT-HORSE-9"),
        ("no number", "Correct-Horse-x"),
        ("no symbol", "CorrectHorse9"),
        ("empty", ""),
    ] {
        let user = unique("policy");
        let e = app.sign_up(&user, pw).unwrap_err();
        assert_api_error(&e, "InvalidPasswordException", why);
        // Nothing was created.
        assert_api_error(
            &app.admin_get_user(&user).unwrap_err(),
            "UserNotFoundException",
            why,
        );
    }
    // Exactly 8 characters with all classes is fine.
    app.sign_up(&unique("policy-ok"), "Ab1!wxyz").unwrap();
}

#[test]
fn password_policy_custom() {
    let emu = shared();
    let pool = emu.create_pool(json!({
        "Policies": { "PasswordPolicy": {
            "MinimumLength": 12,
            "RequireUppercase": false,
            "RequireLowercase": true,
            "RequireNumbers": true,
            "RequireSymbols": false,
        }}
    }));
    let app = emu.app_in(&pool, json!({ "ExplicitAuthFlows": all_flows() }));
    let e = app.sign_up(&unique("cp"), "Correct-9").unwrap_err();
    assert_api_error(
        &e,
        "InvalidPasswordException",
        "shorter than MinimumLength 12",
    );
    let e = app
        .sign_up(&unique("cp"), "correcthorsebattery")
        .unwrap_err();
    assert_api_error(
        &e,
        "InvalidPasswordException",
        "no number with RequireNumbers",
    );
    app.sign_up(&unique("cp"), "correcthorse9x")
        .expect("no upper, no symbol allowed by this policy");
}

#[test]
fn missing_required_email() {
    let emu = shared();
    let app = emu.public_app();
    let user = unique("noemail");
    let e = emu
        .call(
            "SignUp",
            json!({ "ClientId": app.client_id, "Username": user, "Password": PASSWORD }),
        )
        .unwrap_err();
    assert_api_error(
        &e,
        "InvalidParameterException",
        "SignUp without the required email",
    );
    let e = emu
        .call(
            "SignUp",
            json!({ "ClientId": app.client_id, "Username": user, "Password": PASSWORD, "UserAttributes": [] }),
        )
        .unwrap_err();
    assert_api_error(
        &e,
        "InvalidParameterException",
        "SignUp with empty attributes",
    );
    assert_api_error(
        &app.admin_get_user(&user).unwrap_err(),
        "UserNotFoundException",
        "not created",
    );
}

#[test]
fn sign_up_missing_members() {
    let emu = shared();
    let app = emu.public_app();
    for body in [
        json!({ "Username": "u1", "Password": PASSWORD }),
        json!({ "ClientId": app.client_id, "Password": PASSWORD }),
        json!({ "ClientId": app.client_id, "Username": "u2" }),
    ] {
        emu.err("SignUp", body, "InvalidParameterException");
    }
}

#[test]
fn secret_hash_on_sign_up_confirm_resend() {
    let emu = shared();
    let app = emu.secret_app();
    let user = unique("sh");

    // SignUp: missing, wrong (other username, other secret), then right.
    let mut body = app.sign_up_body(&user, PASSWORD, &email_of(&user));
    body.as_object_mut().unwrap().remove("SecretHash");
    emu.err("SignUp", body.clone(), "NotAuthorizedException");
    body["SecretHash"] = json!(secret_hash(
        app.secret.as_ref().unwrap(),
        "someone-else",
        &app.client_id
    ));
    emu.err("SignUp", body.clone(), "NotAuthorizedException");
    body["SecretHash"] = json!(secret_hash("not-the-secret", &user, &app.client_id));
    emu.err("SignUp", body.clone(), "NotAuthorizedException");
    assert_api_error(
        &app.admin_get_user(&user).unwrap_err(),
        "UserNotFoundException",
        "not created",
    );
    app.sign_up(&user, PASSWORD).unwrap();

    // ResendConfirmationCode.
    let mut body = app.resend_body(&user);
    body.as_object_mut().unwrap().remove("SecretHash");
    emu.err(
        "ResendConfirmationCode",
        body.clone(),
        "NotAuthorizedException",
    );
    body["SecretHash"] = json!(secret_hash("not-the-secret", &user, &app.client_id));
    emu.err("ResendConfirmationCode", body, "NotAuthorizedException");
    emu.ok("ResendConfirmationCode", app.resend_body(&user));

    // ConfirmSignUp with the right code but missing / wrong hash.
    let code = app.code(&user, "confirm_sign_up");
    let mut body = app.confirm_body(&user, &code);
    body.as_object_mut().unwrap().remove("SecretHash");
    emu.err("ConfirmSignUp", body.clone(), "NotAuthorizedException");
    body["SecretHash"] = json!(secret_hash("not-the-secret", &user, &app.client_id));
    emu.err("ConfirmSignUp", body, "NotAuthorizedException");
    assert_eq!(
        app.admin_get_user(&user).unwrap()["UserStatus"],
        json!("UNCONFIRMED")
    );
    app.confirm(&user, &code)
        .expect("confirm with the right hash");
    assert_eq!(
        app.admin_get_user(&user).unwrap()["UserStatus"],
        json!("CONFIRMED")
    );
}

#[test]
fn code_mismatch() {
    let emu = shared();
    let app = emu.public_app();
    let user = unique("mismatch");
    app.sign_up(&user, PASSWORD).unwrap();
    let code = app.code(&user, "confirm_sign_up");
    let e = app.confirm(&user, &wrong_code(&code)).unwrap_err();
    assert_api_error(&e, "CodeMismatchException", "wrong code");
    assert_eq!(
        app.admin_get_user(&user).unwrap()["UserStatus"],
        json!("UNCONFIRMED")
    );
    app.confirm(&user, &code)
        .expect("the right code still works after one wrong try");
}

#[test]
fn confirmation_code_is_single_use() {
    let emu = shared();
    let app = emu.public_app();
    let user = unique("single");
    app.sign_up(&user, PASSWORD).unwrap();
    let code = app.code(&user, "confirm_sign_up");
    app.confirm(&user, &code).unwrap();
    let e = app.confirm(&user, &code).unwrap_err();
    // As Cognito: "User cannot be confirmed. Current status is CONFIRMED".
    assert_api_error(
        &e,
        "NotAuthorizedException",
        "second use of a confirmation code",
    );
    assert!(e.message.contains("CONFIRMED"), "{e:?}");
}

#[test]
fn resend_voids_the_old_code() {
    let emu = shared();
    let app = emu.public_app();
    let user = unique("resend");
    app.sign_up(&user, PASSWORD).unwrap();
    let old = app.code(&user, "confirm_sign_up");
    let v = emu.ok("ResendConfirmationCode", app.resend_body(&user));
    assert_eq!(
        v["CodeDeliveryDetails"]["DeliveryMedium"],
        json!("EMAIL"),
        "{v}"
    );
    assert!(
        v["CodeDeliveryDetails"]["Destination"]
            .as_str()
            .unwrap()
            .contains('*'),
        "{v}"
    );
    let msgs = emu.outbox(&app.pool_id, &user);
    assert_eq!(msgs.len(), 2, "a second message was sent: {msgs:?}");
    let new = app.code(&user, "confirm_sign_up");
    if new != old {
        let e = app.confirm(&user, &old).unwrap_err();
        assert_api_error(&e, "CodeMismatchException", "old code after resend");
    }
    app.confirm(&user, &new).expect("the new code works");
}

#[test]
fn five_wrong_codes_void_the_code() {
    let emu = shared();
    let app = emu.public_app();
    let user = unique("tries");
    app.sign_up(&user, PASSWORD).unwrap();
    let code = app.code(&user, "confirm_sign_up");
    let bad = wrong_code(&code);
    for i in 1..=4 {
        let e = app.confirm(&user, &bad).unwrap_err();
        assert_api_error(&e, "CodeMismatchException", &format!("wrong try {i}"));
    }
    let e = app.confirm(&user, &bad).unwrap_err();
    assert_api_error(&e, "TooManyFailedAttemptsException", "wrong try 5");
    // The code is now void, even the right one. (The README leaves open which error a void
    // code gets: the emulator answers CodeMismatchException, as for no code at all.)
    let e = app.confirm(&user, &code).unwrap_err();
    assert_api_error_any(
        &e,
        &["CodeMismatchException", "TooManyFailedAttemptsException"],
        "right code after 5 wrong tries",
    );
    assert_eq!(
        app.admin_get_user(&user).unwrap()["UserStatus"],
        json!("UNCONFIRMED")
    );
    // A new code works.
    emu.ok("ResendConfirmationCode", app.resend_body(&user));
    let fresh = app.code(&user, "confirm_sign_up");
    app.confirm(&user, &fresh)
        .expect("a fresh code after the void one");
}

#[test]
fn resend_for_unknown_user_is_simulated() {
    let emu = shared();
    let app = emu.public_app();
    let v = emu.ok("ResendConfirmationCode", app.resend_body("nobody-here"));
    assert!(
        v["CodeDeliveryDetails"].is_object(),
        "simulated delivery details: {v}"
    );
    assert!(
        emu.outbox(&app.pool_id, "nobody-here").is_empty(),
        "nothing is really sent"
    );
}

#[test]
fn confirm_unknown_user_does_not_succeed() {
    let emu = shared();
    let app = emu.public_app();
    let e = app.confirm("nobody-here", "123456").unwrap_err();
    // With PreventUserExistenceErrors=ENABLED Cognito answers CodeMismatchException here.
    assert_api_error(
        &e,
        "CodeMismatchException",
        "ConfirmSignUp for an unknown user",
    );
}

#[test]
fn legacy_client_reveals_unknown_users() {
    let emu = shared();
    let app = emu
        .app(json!({ "ExplicitAuthFlows": all_flows(), "PreventUserExistenceErrors": "LEGACY" }));
    let e = app.password_auth("nobody-here", PASSWORD).unwrap_err();
    assert_api_error(
        &e,
        "UserNotFoundException",
        "USER_PASSWORD_AUTH unknown user, LEGACY",
    );
    emu.err(
        "ForgotPassword",
        app.forgot_body("nobody-here"),
        "UserNotFoundException",
    );
    emu.err(
        "ResendConfirmationCode",
        app.resend_body("nobody-here"),
        "UserNotFoundException",
    );
    // A wrong password for a known user is still NotAuthorizedException.
    let user = unique("legacy");
    app.confirmed_user(&user, PASSWORD);
    let e = app.password_auth(&user, NEW_PASSWORD).unwrap_err();
    assert_api_error(&e, "NotAuthorizedException", "wrong password, LEGACY");
}
