//! What the attribute calls refuse, their codes' lifetime and tries, deletion, DeleteUser and
//! revoked tokens.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::*;
use crate::common::*;

#[test]
fn attribute_codes_expire_after_24_hours_and_allow_5_tries() {
    let emu = &Emulator::start(&[]);
    let app = emu.public_app();
    let (user, token) = signed_in(&app, "expiry");
    let before = app.admin_get_user(&user).unwrap()["UserLastModifiedDate"]
        .as_f64()
        .unwrap();

    // No code outstanding.
    let e = verify(emu, &token, "email", "123456").unwrap_err();
    assert_api_error(&e, "CodeMismatchException", "no code sent yet");

    emu.advance_clock(600);
    update(
        emu,
        &token,
        json!([{"Name": "email", "Value": "later@example.com"}]),
    )
    .unwrap();
    let after = app.admin_get_user(&user).unwrap()["UserLastModifiedDate"]
        .as_f64()
        .unwrap();
    assert!(
        after >= before + 600.0,
        "modified time moves: {before} -> {after}"
    );
    let code = app.code(&user, "verify_attribute");

    // 23 h later the code still works (with a fresh token: access tokens live 1 h).
    emu.advance_clock(23 * 3600);
    let e = verify(emu, &token, "email", &code).unwrap_err();
    assert_api_error(&e, "NotAuthorizedException", "expired access token");
    let token = app.tokens(&user, PASSWORD)["AccessToken"]
        .as_str()
        .unwrap()
        .to_string();
    get_code(emu, &token, "email").unwrap();
    let second = app.code(&user, "verify_attribute");
    emu.advance_clock(23 * 3600);
    let token = app.tokens(&user, PASSWORD)["AccessToken"]
        .as_str()
        .unwrap()
        .to_string();
    verify(emu, &token, "email", &second).expect("a 23 h old code");

    // Expired after 24 h.
    get_code(emu, &token, "email").unwrap();
    let third = app.code(&user, "verify_attribute");
    emu.advance_clock(24 * 3600 + 60);
    let token = app.tokens(&user, PASSWORD)["AccessToken"]
        .as_str()
        .unwrap()
        .to_string();
    let e = verify(emu, &token, "email", &third).unwrap_err();
    assert_api_error(&e, "ExpiredCodeException", "a 24 h old code");

    // Five wrong tries void the code.
    get_code(emu, &token, "email").unwrap();
    let fourth = app.code(&user, "verify_attribute");
    let bad = wrong_code(&fourth);
    for i in 1..=4 {
        let e = verify(emu, &token, "email", &bad).unwrap_err();
        assert_api_error(&e, "CodeMismatchException", &format!("wrong code {i}"));
    }
    let e = verify(emu, &token, "email", &bad).unwrap_err();
    assert_api_error(&e, "TooManyFailedAttemptsException", "wrong code 5");
    let e = verify(emu, &token, "email", &fourth).unwrap_err();
    assert_api_error_any(
        &e,
        &["CodeMismatchException", "TooManyFailedAttemptsException"],
        "right code after 5 wrong",
    );
    // (the email was verified with the 23 h old code and stays so.)
    assert_eq!(me(&app, &token)["email_verified"], "true");
}

/// A pool with an immutable custom attribute and an immutable standard one.
fn immutable_pool(emu: &Emulator) -> Value {
    emu.create_pool(json!({
        "Schema": [
            {"Name": "email", "AttributeDataType": "String", "Required": true, "Mutable": true},
            {"Name": "tenant", "AttributeDataType": "String", "Mutable": false},
            {"Name": "nickname", "AttributeDataType": "String", "Mutable": false},
            {"Name": "plan", "AttributeDataType": "String"},
        ],
    }))
}

#[test]
fn immutable_attributes() {
    let emu = shared();
    let pool = immutable_pool(emu);
    let mutable: BTreeMap<String, bool> = pool["SchemaAttributes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["Name"].as_str().unwrap().to_string(),
                a["Mutable"].as_bool().unwrap(),
            )
        })
        .collect();
    assert!(!mutable["custom:tenant"], "{pool}");
    assert!(!mutable["nickname"], "{pool}");
    assert!(mutable["custom:plan"], "Mutable defaults to true: {pool}");
    assert!(mutable["email"], "{pool}");
    let described = emu.ok("DescribeUserPool", json!({ "UserPoolId": pool["Id"] }));
    assert_eq!(
        described["UserPool"]["SchemaAttributes"],
        pool["SchemaAttributes"]
    );

    let app = emu.app_in(&pool, json!({ "ExplicitAuthFlows": all_flows() }));
    let user = unique("immutable");
    let mut body = app.sign_up_body(&user, PASSWORD, &email_of(&user));
    body["UserAttributes"]
        .as_array_mut()
        .unwrap()
        .push(json!({"Name": "custom:tenant", "Value": "acme"}));
    emu.ok("SignUp", body);
    let code = app.code(&user, "confirm_sign_up");
    app.confirm(&user, &code).unwrap();
    let token = app.tokens(&user, PASSWORD)["AccessToken"]
        .as_str()
        .unwrap()
        .to_string();

    for value in ["globex", ""] {
        let e = update(
            emu,
            &token,
            json!([{"Name": "custom:tenant", "Value": value}]),
        )
        .unwrap_err();
        assert_api_error(
            &e,
            "InvalidParameterException",
            &format!("tenant {value:?}"),
        );
    }
    let e = delete_attrs(emu, &token, json!(["custom:tenant"])).unwrap_err();
    assert_api_error(&e, "InvalidParameterException", "delete immutable");
    // Refused as a whole: the mutable attribute in the same call did not change either.
    let e = update(
        emu,
        &token,
        json!([{"Name": "custom:plan", "Value": "gold"}, {"Name": "custom:tenant", "Value": "x"}]),
    )
    .unwrap_err();
    assert_api_error(&e, "InvalidParameterException", "mixed call");
    let now = me(&app, &token);
    assert_eq!(now["custom:tenant"], "acme");
    assert!(!now.contains_key("custom:plan"), "{now:?}");

    // An immutable attribute without a value may be given one, once.
    update(emu, &token, json!([{"Name": "nickname", "Value": "ada"}])).unwrap();
    update(emu, &token, json!([{"Name": "nickname", "Value": "ada"}]))
        .expect("the same value is no change");
    let e = update(emu, &token, json!([{"Name": "nickname", "Value": "bob"}])).unwrap_err();
    assert_api_error(&e, "InvalidParameterException", "nickname changed");
    assert_eq!(me(&app, &token)["nickname"], "ada");
    // Mutable custom attributes change freely.
    update(
        emu,
        &token,
        json!([{"Name": "custom:plan", "Value": "gold"}]),
    )
    .unwrap();
    update(
        emu,
        &token,
        json!([{"Name": "custom:plan", "Value": "silver"}]),
    )
    .unwrap();
    assert_eq!(me(&app, &token)["custom:plan"], "silver");
}

#[test]
fn sub_and_verified_flags_are_not_the_users_to_set() {
    let emu = shared();
    let pool = emu.create_pool(json!({ "AutoVerifiedAttributes": ["email", "phone_number"] }));
    let app = emu.app_in(&pool, json!({ "ExplicitAuthFlows": all_flows() }));
    let (_, token) = signed_in(&app, "flags");
    update(
        emu,
        &token,
        json!([{"Name": "phone_number", "Value": "+12065550000"}]),
    )
    .unwrap();
    let before = me(&app, &token);
    assert_eq!(before["phone_number_verified"], "false");

    for (name, value) in [
        ("sub", "00000000-0000-4000-8000-000000000000"),
        ("sub", ""),
        ("email_verified", "false"),
        ("phone_number_verified", "true"),
    ] {
        let e = update(emu, &token, json!([{"Name": name, "Value": value}])).unwrap_err();
        assert_api_error(&e, "InvalidParameterException", &format!("update {name}"));
        if name == "sub" {
            // Refused as immutable, not as unknown: every user has a sub.
            assert!(e.message.contains("cannot be modified"), "{e:?}");
        }
        // Not even alongside an allowed change.
        let e = update(
            emu,
            &token,
            json!([{"Name": "given_name", "Value": "Eve"}, {"Name": name, "Value": value}]),
        )
        .unwrap_err();
        assert_api_error(
            &e,
            "InvalidParameterException",
            &format!("update {name} too"),
        );
    }
    for name in ["sub", "email_verified", "phone_number_verified"] {
        let e = delete_attrs(emu, &token, json!([name])).unwrap_err();
        assert_api_error(&e, "InvalidParameterException", &format!("delete {name}"));
    }
    assert_eq!(me(&app, &token), before);
}

#[test]
fn required_and_unknown_attributes() {
    let emu = shared();
    let app = emu.public_app();
    let (_, token) = signed_in(&app, "required");
    let before = me(&app, &token);

    let e = update(emu, &token, json!([{"Name": "email", "Value": ""}])).unwrap_err();
    assert_api_error(&e, "InvalidParameterException", "required email blanked");
    let e = delete_attrs(emu, &token, json!(["email"])).unwrap_err();
    assert_api_error(&e, "InvalidParameterException", "required email deleted");

    for name in ["favourite_colour", "custom:nope", "cognito:username"] {
        let e = update(emu, &token, json!([{"Name": name, "Value": "x"}])).unwrap_err();
        assert_api_error(&e, "InvalidParameterException", &format!("update {name}"));
        assert!(e.message.contains(name), "names the attribute: {e:?}");
        let e = delete_attrs(emu, &token, json!([name])).unwrap_err();
        assert_api_error(&e, "InvalidParameterException", &format!("delete {name}"));
    }
    for bad in [
        "not-an-email",
        "a@b",
        "two@at@example.com",
        "sp ace@example.com",
    ] {
        let e = update(emu, &token, json!([{"Name": "email", "Value": bad}])).unwrap_err();
        assert_api_error(&e, "InvalidParameterException", &format!("email {bad:?}"));
    }
    let e = update(
        emu,
        &token,
        json!([{"Name": "locale", "Value": "a"}, {"Name": "locale", "Value": "b"}]),
    )
    .unwrap_err();
    assert_api_error(&e, "InvalidParameterException", "duplicate attribute");
    assert_eq!(me(&app, &token), before);
}

#[test]
fn verification_code_for_a_missing_or_unverifiable_attribute() {
    let emu = shared();
    let app = emu.public_app();
    let (user, token) = signed_in(&app, "nocode");
    let sent = emu.outbox(&app.pool_id, &user).len();
    let e = get_code(emu, &token, "phone_number").unwrap_err();
    assert_api_error(&e, "InvalidParameterException", "no phone_number");
    for name in ["given_name", "email_verified", "sub", "custom:x"] {
        let e = get_code(emu, &token, name).unwrap_err();
        assert_api_error(&e, "InvalidParameterException", &format!("code for {name}"));
        let e = verify(emu, &token, name, "123456").unwrap_err();
        assert_api_error(&e, "InvalidParameterException", &format!("verify {name}"));
    }
    assert_eq!(emu.outbox(&app.pool_id, &user).len(), sent, "nothing sent");

    // For the email it works, even though it is verified already; a new code voids the last.
    let v = get_code(emu, &token, "email").unwrap();
    assert_eq!(
        v["CodeDeliveryDetails"],
        json!({
            "Destination": format!("{}***@e***", &user[..1]),
            "DeliveryMedium": "EMAIL",
            "AttributeName": "email",
        })
    );
    let first = app.code(&user, "verify_attribute");
    get_code(emu, &token, "email").unwrap();
    let second = app.code(&user, "verify_attribute");
    if first != second {
        let e = verify(emu, &token, "email", &first).unwrap_err();
        assert_api_error(&e, "CodeMismatchException", "voided code");
    }
    verify(emu, &token, "email", &second).unwrap();
}

#[test]
fn delete_user_attributes() {
    let emu = shared();
    // Email optional here, so that it can go; changes wait for their code.
    let pool = emu.create_pool(json!({
        "Schema": [],
        "AutoVerifiedAttributes": ["email", "phone_number"],
        "UserAttributeUpdateSettings": {
            "AttributesRequireVerificationBeforeUpdate": ["email", "phone_number"]
        },
    }));
    let app = emu.app_in(&pool, json!({ "ExplicitAuthFlows": all_flows() }));
    let (user, token) = signed_in(&app, "del-attrs");
    // No phone yet: set at once, nothing to keep.
    update(
        emu,
        &token,
        json!([
            {"Name": "phone_number", "Value": "+12065550100"},
            {"Name": "given_name", "Value": "Grace"},
            {"Name": "custom:unknown", "Value": "x"}
        ]),
    )
    .unwrap_err();
    update(
        emu,
        &token,
        json!([
            {"Name": "phone_number", "Value": "+12065550100"},
            {"Name": "given_name", "Value": "Grace"},
        ]),
    )
    .unwrap();
    let now = me(&app, &token);
    assert_eq!(now["phone_number"], "+12065550100");
    assert_eq!(now["phone_number_verified"], "false");
    // A pending email change, then the email goes: the pending value and its code go too.
    update(
        emu,
        &token,
        json!([{"Name": "email", "Value": "next@example.com"}]),
    )
    .unwrap();
    let code = app.code(&user, "verify_attribute");

    let e = delete_attrs(emu, &token, json!(["given_name", "sub"])).unwrap_err();
    assert_api_error(&e, "InvalidParameterException", "sub among them");
    assert_eq!(me(&app, &token)["given_name"], "Grace", "nothing deleted");

    delete_attrs(
        emu,
        &token,
        json!(["given_name", "phone_number", "email", "locale"]),
    )
    .unwrap();
    let now = me(&app, &token);
    for gone in [
        "given_name",
        "phone_number",
        "phone_number_verified",
        "email",
        "email_verified",
    ] {
        assert!(!now.contains_key(gone), "{gone} deleted: {now:?}");
    }
    assert!(now.contains_key("sub"));
    let e = verify(emu, &token, "email", &code).unwrap_err();
    assert_api_error(&e, "CodeMismatchException", "code of a deleted attribute");
    assert!(!me(&app, &token).contains_key("email"));
    let e = get_code(emu, &token, "email").unwrap_err();
    assert_api_error(&e, "InvalidParameterException", "code for a deleted email");
    assert_eq!(admin_attrs(&app, &user), me(&app, &token));
}

#[test]
fn delete_user_revokes_every_session() {
    let emu = shared();
    let app = emu.public_app();
    let (user, first) = signed_in(&app, "del-user");
    let second = app.tokens(&user, PASSWORD);
    let second_access = second["AccessToken"].as_str().unwrap();
    let second_refresh = second["RefreshToken"].as_str().unwrap();

    emu.ok("DeleteUser", json!({ "AccessToken": first }));
    assert_api_error(
        &app.admin_get_user(&user).unwrap_err(),
        "UserNotFoundException",
        "AdminGetUser after DeleteUser",
    );
    for token in [first.as_str(), second_access] {
        let e = app.get_user(token).unwrap_err();
        assert_api_error(&e, "NotAuthorizedException", "GetUser after DeleteUser");
        let e = update(emu, token, json!([{"Name": "given_name", "Value": "Z"}])).unwrap_err();
        assert_api_error(&e, "NotAuthorizedException", "update after DeleteUser");
        emu.err(
            "DeleteUser",
            json!({ "AccessToken": token }),
            "NotAuthorizedException",
        );
    }
    let e = app.refresh(second_refresh, &user).unwrap_err();
    assert_api_error(&e, "NotAuthorizedException", "refresh after DeleteUser");
    let e = app.password_auth(&user, PASSWORD).unwrap_err();
    assert_api_error(&e, "NotAuthorizedException", "sign-in after DeleteUser");
}

#[test]
fn revoked_or_forged_tokens_are_refused() {
    let emu = shared();
    let app = emu.public_app();
    let (user, token) = signed_in(&app, "revoked");
    get_code(emu, &token, "email").unwrap();
    let code = app.code(&user, "verify_attribute");
    let before = admin_attrs(&app, &user);

    let calls = |token: &str| {
        vec![
            (
                "UpdateUserAttributes",
                update_body(token, json!([{"Name": "given_name", "Value": "Mallory"}])),
            ),
            (
                "GetUserAttributeVerificationCode",
                json!({ "AccessToken": token, "AttributeName": "email" }),
            ),
            (
                "VerifyUserAttribute",
                json!({ "AccessToken": token, "AttributeName": "email", "Code": code }),
            ),
            (
                "DeleteUserAttributes",
                json!({ "AccessToken": token, "UserAttributeNames": ["given_name"] }),
            ),
        ]
    };
    for (op, body) in calls(&tamper_payload(&token)) {
        emu.err(op, body, "NotAuthorizedException");
    }
    for (op, body) in calls("not-a-jwt") {
        emu.err(op, body, "NotAuthorizedException");
    }
    emu.ok("GlobalSignOut", json!({ "AccessToken": token }));
    for (op, body) in calls(&token) {
        let e = emu.err(op, body, "NotAuthorizedException");
        assert!(e.message.contains("revoked"), "{op}: {e:?}");
    }
    let sent = emu.outbox(&app.pool_id, &user).len();
    assert_eq!(admin_attrs(&app, &user), before, "nothing changed");
    // The code survived the refused VerifyUserAttribute calls.
    let token = app.tokens(&user, PASSWORD)["AccessToken"]
        .as_str()
        .unwrap()
        .to_string();
    verify(emu, &token, "email", &code).unwrap();
    assert_eq!(emu.outbox(&app.pool_id, &user).len(), sent);
}
