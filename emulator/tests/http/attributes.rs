//! Account self-service: UpdateUserAttributes, GetUserAttributeVerificationCode,
//! VerifyUserAttribute, DeleteUserAttributes, DeleteUser, and ClientMetadata. This file: how
//! email and phone number changes are applied and verified; `rules`: what is refused, codes'
//! lifetimes and tries, deletion and revoked tokens; `client_metadata`: ClientMetadata.

mod client_metadata;
mod rules;

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::common::*;

/// A confirmed, signed-in user of `app`; returns (username, access token).
fn signed_in(app: &App<'_>, prefix: &str) -> (String, String) {
    let user = unique(prefix);
    app.confirmed_user(&user, PASSWORD);
    let t = app.tokens(&user, PASSWORD);
    (user, t["AccessToken"].as_str().unwrap().to_string())
}

fn attrs_of(list: &Value) -> BTreeMap<String, String> {
    list.as_array()
        .unwrap_or_else(|| panic!("an attribute list: {list}"))
        .iter()
        .map(|a| {
            (
                a["Name"].as_str().unwrap().to_string(),
                a["Value"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// GetUser's attributes.
fn me(app: &App<'_>, token: &str) -> BTreeMap<String, String> {
    let v = app.get_user(token).unwrap();
    attrs_of(&v["UserAttributes"])
}

/// AdminGetUser's attributes.
fn admin_attrs(app: &App<'_>, user: &str) -> BTreeMap<String, String> {
    attrs_of(&app.admin_get_user(user).unwrap()["UserAttributes"])
}

fn update_body(token: &str, attributes: Value) -> Value {
    json!({ "AccessToken": token, "UserAttributes": attributes })
}

fn update(emu: &Emulator, token: &str, attributes: Value) -> Result<Value, ApiError> {
    emu.call("UpdateUserAttributes", update_body(token, attributes))
}

fn verify(emu: &Emulator, token: &str, attribute: &str, code: &str) -> Result<Value, ApiError> {
    emu.call(
        "VerifyUserAttribute",
        json!({ "AccessToken": token, "AttributeName": attribute, "Code": code }),
    )
}

fn get_code(emu: &Emulator, token: &str, attribute: &str) -> Result<Value, ApiError> {
    emu.call(
        "GetUserAttributeVerificationCode",
        json!({ "AccessToken": token, "AttributeName": attribute }),
    )
}

fn delete_attrs(emu: &Emulator, token: &str, names: Value) -> Result<Value, ApiError> {
    emu.call(
        "DeleteUserAttributes",
        json!({ "AccessToken": token, "UserAttributeNames": names }),
    )
}

/// The newest outbox message for `user`.
fn last_message(app: &App<'_>, user: &str) -> Value {
    let msgs = app.emu.outbox(&app.pool_id, user);
    msgs.last()
        .unwrap_or_else(|| panic!("no message for {user}"))
        .clone()
}

#[test]
fn change_email_at_once_then_verify_it() {
    let emu = shared();
    let app = emu.public_app();
    let (user, token) = signed_in(&app, "email-now");
    assert_eq!(me(&app, &token)["email_verified"], "true");
    let new_email = format!("new-{}", email_of(&user));

    let v = update(emu, &token, json!([{"Name": "email", "Value": new_email}])).unwrap();
    let list = v["CodeDeliveryDetailsList"].as_array().unwrap();
    assert_eq!(list.len(), 1, "{v}");
    assert_eq!(list[0]["DeliveryMedium"], json!("EMAIL"), "{v}");
    assert_eq!(list[0]["AttributeName"], json!("email"), "{v}");
    let dest = list[0]["Destination"].as_str().unwrap();
    assert!(dest.starts_with("n***@"), "masked new address: {dest}");

    // Without AttributesRequireVerificationBeforeUpdate the value changes at once, unverified.
    let now = me(&app, &token);
    assert_eq!(now["email"], new_email);
    assert_eq!(now["email_verified"], "false");
    assert_eq!(admin_attrs(&app, &user)["email"], new_email);

    let m = last_message(&app, &user);
    assert_eq!(m["kind"], json!("verify_attribute"), "{m}");
    assert_eq!(m["destination"], json!(new_email), "{m}");
    assert_eq!(m["medium"], json!("EMAIL"), "{m}");
    assert_eq!(m["attribute"], json!("email"), "{m}");
    assert!(m["client_metadata"].is_null(), "no ClientMetadata: {m}");
    let code = m["code"].as_str().unwrap().to_string();

    let e = verify(emu, &token, "email", &wrong_code(&code)).unwrap_err();
    assert_api_error(&e, "CodeMismatchException", "wrong attribute code");
    assert_eq!(me(&app, &token)["email_verified"], "false");
    verify(emu, &token, "email", &code).unwrap();
    let now = me(&app, &token);
    assert_eq!(now["email"], new_email);
    assert_eq!(now["email_verified"], "true");
    // Single use.
    let e = verify(emu, &token, "email", &code).unwrap_err();
    assert_api_error(&e, "CodeMismatchException", "attribute code reused");

    // New tokens carry the new, verified email.
    let t = app.tokens(&user, PASSWORD);
    let (_, claims, _, _) = decode_jwt(t["IdToken"].as_str().unwrap());
    assert_eq!(claims["email"], json!(new_email));
    assert_eq!(claims["email_verified"], json!(true));
}

#[test]
fn other_attributes_change_at_once_and_blank_deletes() {
    let emu = shared();
    let app = emu.public_app();
    let (user, token) = signed_in(&app, "given");
    let v = update(
        emu,
        &token,
        json!([{"Name": "given_name", "Value": "Ada"}, {"Name": "locale", "Value": "en-GB"}]),
    )
    .unwrap();
    assert_eq!(v["CodeDeliveryDetailsList"], json!([]), "{v}");
    let now = me(&app, &token);
    assert_eq!(now["given_name"], "Ada");
    assert_eq!(now["locale"], "en-GB");
    assert_eq!(now["email_verified"], "true", "email untouched");
    assert!(
        emu.outbox(&app.pool_id, &user)
            .iter()
            .all(|m| m["kind"] != "verify_attribute"),
        "no code for other attributes"
    );
    // A blank value deletes the attribute (AWS: "submit the attribute ... with a blank value").
    update(emu, &token, json!([{"Name": "locale", "Value": ""}])).unwrap();
    let now = me(&app, &token);
    assert!(!now.contains_key("locale"), "{now:?}");
    assert_eq!(now["given_name"], "Ada");
    // The same email again is no change: no code, still verified.
    let v = update(
        emu,
        &token,
        json!([{"Name": "email", "Value": email_of(&user)}]),
    )
    .unwrap();
    assert_eq!(v["CodeDeliveryDetailsList"], json!([]), "{v}");
    assert_eq!(me(&app, &token)["email_verified"], "true");
}

/// A pool whose email change waits for its code.
fn verify_first_pool(emu: &Emulator) -> Value {
    emu.create_pool(json!({
        "AutoVerifiedAttributes": ["email", "phone_number"],
        "UserAttributeUpdateSettings": {
            "AttributesRequireVerificationBeforeUpdate": ["email"]
        },
    }))
}

#[test]
fn change_email_with_verification_before_update() {
    let emu = shared();
    let pool = verify_first_pool(emu);
    assert_eq!(
        pool["UserAttributeUpdateSettings"]["AttributesRequireVerificationBeforeUpdate"],
        json!(["email"]),
        "{pool}"
    );
    let described = emu.ok("DescribeUserPool", json!({ "UserPoolId": pool["Id"] }));
    assert_eq!(
        described["UserPool"]["UserAttributeUpdateSettings"],
        json!({ "AttributesRequireVerificationBeforeUpdate": ["email"] }),
        "{described}"
    );
    let app = emu.app_in(&pool, json!({ "ExplicitAuthFlows": all_flows() }));
    let (user, token) = signed_in(&app, "email-later");
    let old_email = email_of(&user);
    let new_email = format!("moved-{old_email}");

    let v = update(emu, &token, json!([{"Name": "email", "Value": new_email}])).unwrap();
    assert_eq!(
        v["CodeDeliveryDetailsList"][0]["AttributeName"],
        json!("email"),
        "{v}"
    );
    let m = last_message(&app, &user);
    assert_eq!(m["kind"], json!("verify_attribute"));
    assert_eq!(
        m["destination"],
        json!(new_email),
        "the code goes to the NEW address"
    );
    let code = m["code"].as_str().unwrap().to_string();

    // Meanwhile the old value stays, verified, everywhere.
    for attrs in [me(&app, &token), admin_attrs(&app, &user)] {
        assert_eq!(attrs["email"], old_email, "{attrs:?}");
        assert_eq!(attrs["email_verified"], "true", "{attrs:?}");
    }
    // ... and messages still go to it.
    emu.ok("ForgotPassword", app.forgot_body(&user));
    assert_eq!(last_message(&app, &user)["destination"], json!(old_email));

    // Asking again sends a new code to the pending address and voids the first one.
    let v = get_code(emu, &token, "email").unwrap();
    assert_eq!(v["CodeDeliveryDetails"]["AttributeName"], json!("email"));
    let m = last_message(&app, &user);
    assert_eq!(m["destination"], json!(new_email));
    let fresh = m["code"].as_str().unwrap().to_string();
    if fresh != code {
        let e = verify(emu, &token, "email", &code).unwrap_err();
        assert_api_error(&e, "CodeMismatchException", "voided code");
    }
    assert_eq!(me(&app, &token)["email"], old_email);

    verify(emu, &token, "email", &fresh).unwrap();
    for attrs in [me(&app, &token), admin_attrs(&app, &user)] {
        assert_eq!(attrs["email"], new_email, "{attrs:?}");
        assert_eq!(attrs["email_verified"], "true", "{attrs:?}");
    }
}

#[test]
fn going_back_to_the_current_email_abandons_the_pending_one() {
    let emu = shared();
    let pool = verify_first_pool(emu);
    let app = emu.app_in(&pool, json!({ "ExplicitAuthFlows": all_flows() }));
    let (user, token) = signed_in(&app, "email-back");
    update(
        emu,
        &token,
        json!([{"Name": "email", "Value": "elsewhere@example.org"}]),
    )
    .unwrap();
    let code = app.code(&user, "verify_attribute");
    update(
        emu,
        &token,
        json!([{"Name": "email", "Value": email_of(&user)}]),
    )
    .unwrap();
    let e = verify(emu, &token, "email", &code).unwrap_err();
    assert_api_error(&e, "CodeMismatchException", "code of an abandoned change");
    assert_eq!(me(&app, &token)["email"], email_of(&user));
}

#[test]
fn verification_before_update_needs_auto_verification() {
    let emu = shared();
    for (auto, listed) in [
        (json!([]), json!(["email"])),
        (json!(["email"]), json!(["phone_number"])),
        (json!(["email"]), json!(["address"])),
    ] {
        let e = emu
            .call(
                "CreateUserPool",
                json!({
                    "PoolName": unique("bad-settings"),
                    "AutoVerifiedAttributes": auto,
                    "UserAttributeUpdateSettings": {
                        "AttributesRequireVerificationBeforeUpdate": listed
                    },
                }),
            )
            .unwrap_err();
        assert_api_error(
            &e,
            "InvalidParameterException",
            &format!("{listed} with AutoVerifiedAttributes {auto}"),
        );
    }
    // Without the setting, DescribeUserPool says so.
    let pool = emu.create_pool(json!({}));
    assert_eq!(
        pool["UserAttributeUpdateSettings"]["AttributesRequireVerificationBeforeUpdate"],
        json!([]),
        "{pool}"
    );
}

#[test]
fn phone_number_by_sms() {
    let emu = shared();
    let pool = emu.create_pool(json!({ "AutoVerifiedAttributes": ["email", "phone_number"] }));
    let app = emu.app_in(&pool, json!({ "ExplicitAuthFlows": all_flows() }));
    let (user, token) = signed_in(&app, "phone");

    for bad in [
        "2065551234",
        "+",
        "+1 206 555 1234",
        "+1206555123456789",
        "+1-206-555-1234",
        "++12065551234",
    ] {
        let e = update(emu, &token, json!([{"Name": "phone_number", "Value": bad}])).unwrap_err();
        assert_api_error(&e, "InvalidParameterException", &format!("phone {bad:?}"));
    }
    assert!(!me(&app, &token).contains_key("phone_number"));

    let v = update(
        emu,
        &token,
        json!([{"Name": "phone_number", "Value": "+12065551234"}]),
    )
    .unwrap();
    assert_eq!(
        v["CodeDeliveryDetailsList"],
        json!([{
            "Destination": "+*******1234",
            "DeliveryMedium": "SMS",
            "AttributeName": "phone_number",
        }]),
        "{v}"
    );
    let m = last_message(&app, &user);
    assert_eq!(m["kind"], json!("verify_attribute"), "{m}");
    assert_eq!(m["medium"], json!("SMS"), "{m}");
    assert_eq!(m["attribute"], json!("phone_number"), "{m}");
    assert_eq!(m["destination"], json!("+12065551234"), "{m}");
    let now = me(&app, &token);
    assert_eq!(now["phone_number"], "+12065551234");
    assert_eq!(now["phone_number_verified"], "false");
    assert_eq!(now["email_verified"], "true", "email untouched");

    let code = m["code"].as_str().unwrap();
    let e = verify(emu, &token, "email", code).unwrap_err();
    assert_api_error(&e, "CodeMismatchException", "phone code for email");
    verify(emu, &token, "phone_number", code).unwrap();
    assert_eq!(me(&app, &token)["phone_number_verified"], "true");

    // The shortest and longest E.164 numbers are fine.
    update(
        emu,
        &token,
        json!([{"Name": "phone_number", "Value": "+1"}]),
    )
    .unwrap();
    update(
        emu,
        &token,
        json!([{"Name": "phone_number", "Value": "+123456789012345"}]),
    )
    .unwrap();
    assert_eq!(me(&app, &token)["phone_number_verified"], "false");
}

#[test]
fn phone_number_without_auto_verification() {
    let emu = shared();
    let app = emu.public_app();
    let (user, token) = signed_in(&app, "phone-manual");
    let v = update(
        emu,
        &token,
        json!([{"Name": "phone_number", "Value": "+447700900123"}]),
    )
    .unwrap();
    assert_eq!(
        v["CodeDeliveryDetailsList"],
        json!([]),
        "not auto-verified: {v}"
    );
    assert_eq!(me(&app, &token)["phone_number_verified"], "false");
    // The user may still ask for a code.
    let v = get_code(emu, &token, "phone_number").unwrap();
    assert_eq!(
        v["CodeDeliveryDetails"]["DeliveryMedium"],
        json!("SMS"),
        "{v}"
    );
    assert_eq!(
        v["CodeDeliveryDetails"]["Destination"],
        json!("+********0123"),
        "{v}"
    );
    let code = app.code(&user, "verify_attribute");
    verify(emu, &token, "phone_number", &code).unwrap();
    assert_eq!(me(&app, &token)["phone_number_verified"], "true");
}

#[test]
fn sign_up_checks_the_phone_number_too() {
    let emu = shared();
    let app = emu.public_app();
    let user = unique("signup-phone");
    let mut body = app.sign_up_body(&user, PASSWORD, &email_of(&user));
    body["UserAttributes"]
        .as_array_mut()
        .unwrap()
        .push(json!({"Name": "phone_number", "Value": "206-555-0123"}));
    emu.err("SignUp", body.clone(), "InvalidParameterException");
    body["UserAttributes"][1]["Value"] = json!("+12065550123");
    emu.ok("SignUp", body);
    let attrs = admin_attrs(&app, &user);
    assert_eq!(attrs["phone_number"], "+12065550123");
    assert_eq!(attrs["phone_number_verified"], "false");
    assert_eq!(attrs["email_verified"], "false");
}
