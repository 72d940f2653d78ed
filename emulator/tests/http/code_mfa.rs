//! MFA by codes the emulator sends (SMS_MFA by text message, EMAIL_OTP by email, both to the
//! outbox as kind `mfa`), and SELECT_MFA_TYPE for a user with several factors and none
//! preferred; the pool's and the user's settings for them, with Cognito's refusals.

use serde_json::{json, Value};

use crate::challenges::{flows, respond, text};
use crate::common::{assert_api_error, shared, unique, App, Emulator, PASSWORD};

/// A pool with optional MFA offering all three factors, and a client of it.
pub fn three_factor_app(emu: &Emulator) -> App<'_> {
    let app = emu.app(flows(true));
    let config = emu.ok(
        "SetUserPoolMfaConfig",
        json!({
            "UserPoolId": app.pool_id,
            "MfaConfiguration": "OPTIONAL",
            "SoftwareTokenMfaConfiguration": { "Enabled": true },
            "SmsMfaConfiguration": {
                "SmsAuthenticationMessage": "Your sign-in code is {####}",
                "SmsConfiguration": { "SnsCallerArn": "arn:aws:iam::123456789012:role/sms" },
            },
            "EmailMfaConfiguration": { "Message": "Code: {####}", "Subject": "Sign-in" },
        }),
    );
    assert_eq!(
        config["SmsMfaConfiguration"]["SmsAuthenticationMessage"],
        "Your sign-in code is {####}"
    );
    assert_eq!(config["EmailMfaConfiguration"]["Subject"], "Sign-in");
    app
}

/// A confirmed user with an email, and a phone number when `phone` is given.
pub fn user_with(app: &App, phone: Option<&str>) -> String {
    let user = unique("coded");
    let mut body = app.sign_up_body(&user, PASSWORD, &format!("{user}@example.com"));
    if let Some(phone) = phone {
        body["UserAttributes"]
            .as_array_mut()
            .unwrap()
            .push(json!({ "Name": "phone_number", "Value": phone }));
    }
    app.emu.ok("SignUp", body);
    app.emu.ok(
        "AdminConfirmSignUp",
        json!({ "UserPoolId": app.pool_id, "Username": user }),
    );
    user
}

fn preference(app: &App, user: &str, settings: Value) -> Result<Value, crate::common::ApiError> {
    let mut body = settings;
    body["UserPoolId"] = json!(app.pool_id);
    body["Username"] = json!(user);
    app.emu.call("AdminSetUserMFAPreference", body)
}

/// The last `mfa` message sent to `user`.
pub fn last_mfa(app: &App, user: &str) -> Value {
    let outbox = app.emu.outbox(&app.pool_id, user);
    let found = outbox.iter().rev().find(|m| m["kind"] == "mfa");
    found
        .unwrap_or_else(|| panic!("no mfa code in {outbox:?}"))
        .clone()
}

#[test]
fn pool_templates_must_hold_the_code() {
    let emu = shared();
    let app = emu.app(flows(false));
    for body in [
        json!({ "SmsMfaConfiguration": { "SmsAuthenticationMessage": "no code here" } }),
        json!({ "EmailMfaConfiguration": { "Message": "no code here either" } }),
        json!({ "SmsMfaConfiguration": { "SmsAuthenticationMessage": format!("{{####}}{}", "x".repeat(135)) } }),
    ] {
        let mut body = body;
        body["UserPoolId"] = json!(app.pool_id);
        body["MfaConfiguration"] = json!("ON");
        let e = emu.call("SetUserPoolMfaConfig", body.clone()).unwrap_err();
        assert_api_error(&e, "InvalidParameterException", &body.to_string());
    }
    let unchanged = emu.ok("GetUserPoolMfaConfig", json!({ "UserPoolId": app.pool_id }));
    assert_eq!(unchanged["MfaConfiguration"], "OFF");
    assert!(
        unchanged.get("SmsMfaConfiguration").is_none(),
        "{unchanged}"
    );
}

#[test]
fn an_sms_code_signs_in_and_a_wrong_one_does_not() {
    let emu = shared();
    let app = three_factor_app(emu);
    let phoneless = user_with(&app, None);
    let sms = json!({ "SMSMfaSettings": { "Enabled": true, "PreferredMfa": true } });
    let e = preference(&app, &phoneless, sms.clone()).unwrap_err();
    assert_api_error(&e, "InvalidParameterException", "no phone number");
    assert!(e.message.contains("SMS_MFA"), "{e:?}");

    let user = user_with(&app, Some("+15555550123"));
    preference(&app, &user, sms).unwrap();
    let challenge = app.password_auth(&user, PASSWORD).unwrap();
    assert_eq!(challenge["ChallengeName"], "SMS_MFA", "{challenge}");
    let params = &challenge["ChallengeParameters"];
    assert_eq!(params["CODE_DELIVERY_DELIVERY_MEDIUM"], "SMS");
    assert_eq!(params["CODE_DELIVERY_DESTINATION"], "+*******0123");
    let sent = last_mfa(&app, &user);
    assert_eq!(
        (&sent["medium"], &sent["destination"]),
        (&json!("SMS"), &json!("+15555550123"))
    );
    let code = sent["code"].as_str().unwrap().to_owned();
    let session = text(&challenge, "Session");
    let wrong_code = if code == "000000" { "111111" } else { "000000" };
    let wrong = respond(
        &app,
        "SMS_MFA",
        session,
        &user,
        json!({ "SMS_MFA_CODE": wrong_code }),
    );
    assert_api_error(&wrong.unwrap_err(), "CodeMismatchException", "a wrong code");
    let as_email = respond(
        &app,
        "EMAIL_OTP",
        session,
        &user,
        json!({ "EMAIL_OTP_CODE": code }),
    );
    assert_api_error(
        &as_email.unwrap_err(),
        "InvalidParameterException",
        "another challenge's name",
    );
    let done = respond(
        &app,
        "SMS_MFA",
        session,
        &user,
        json!({ "SMS_MFA_CODE": code }),
    )
    .unwrap();
    let access = &done["AuthenticationResult"]["AccessToken"];
    let me = emu.ok("GetUser", json!({ "AccessToken": access }));
    assert_eq!(me["UserMFASettingList"], json!(["SMS_MFA"]));
    assert_eq!(me["PreferredMfaSetting"], "SMS_MFA");
    let replay = respond(
        &app,
        "SMS_MFA",
        session,
        &user,
        json!({ "SMS_MFA_CODE": code }),
    );
    assert_api_error(&replay.unwrap_err(), "NotAuthorizedException", "used once");
}

#[test]
fn several_factors_and_none_preferred_ask_which_then_send_its_code() {
    let emu = shared();
    let app = three_factor_app(emu);
    let user = user_with(&app, Some("+15555550199"));
    let two = json!({
        "SMSMfaSettings": { "Enabled": true, "PreferredMfa": true },
        "EmailMfaSettings": { "Enabled": true, "PreferredMfa": true },
    });
    let e = preference(&app, &user, two).unwrap_err();
    assert_api_error(&e, "InvalidParameterException", "two preferred");
    let none_preferred = json!({
        "SMSMfaSettings": { "Enabled": true },
        "EmailMfaSettings": { "Enabled": true },
    });
    preference(&app, &user, none_preferred).unwrap();

    let select = app.password_auth(&user, PASSWORD).unwrap();
    assert_eq!(select["ChallengeName"], "SELECT_MFA_TYPE", "{select}");
    let choices: Value =
        serde_json::from_str(text(&select["ChallengeParameters"], "MFAS_CAN_CHOOSE")).unwrap();
    assert_eq!(choices, json!(["SMS_MFA", "EMAIL_OTP"]));
    let session = text(&select, "Session");
    let not_theirs = respond(
        &app,
        "SELECT_MFA_TYPE",
        session,
        &user,
        json!({ "ANSWER": "SOFTWARE_TOKEN_MFA" }),
    );
    assert_api_error(
        &not_theirs.unwrap_err(),
        "InvalidParameterException",
        "a factor the user has not enabled",
    );
    let before = emu.outbox(&app.pool_id, &user).len();
    let email = respond(
        &app,
        "SELECT_MFA_TYPE",
        session,
        &user,
        json!({ "ANSWER": "EMAIL_OTP" }),
    )
    .unwrap();
    assert_eq!(email["ChallengeName"], "EMAIL_OTP", "{email}");
    assert_eq!(
        email["ChallengeParameters"]["CODE_DELIVERY_DESTINATION"],
        json!(format!("{}***@e***", &user[..1]))
    );
    assert_eq!(emu.outbox(&app.pool_id, &user).len(), before + 1);
    let sent = last_mfa(&app, &user);
    assert_eq!(sent["medium"], "EMAIL");
    let code = json!({ "EMAIL_OTP_CODE": sent["code"] });
    let reused = respond(&app, "EMAIL_OTP", session, &user, code.clone());
    assert_api_error(
        &reused.unwrap_err(),
        "NotAuthorizedException",
        "the select session",
    );
    let done = respond(&app, "EMAIL_OTP", text(&email, "Session"), &user, code).unwrap();
    assert!(
        done["AuthenticationResult"]["IdToken"].is_string(),
        "{done}"
    );

    // With a preferred factor, that one is asked at once; disabled, the other one alone is.
    let prefer_email = json!({ "EmailMfaSettings": { "Enabled": true, "PreferredMfa": true } });
    preference(&app, &user, prefer_email).unwrap();
    let asked = app.password_auth(&user, PASSWORD).unwrap();
    assert_eq!(asked["ChallengeName"], "EMAIL_OTP", "{asked}");
    preference(
        &app,
        &user,
        json!({ "EmailMfaSettings": { "Enabled": false } }),
    )
    .unwrap();
    let got = emu.ok(
        "AdminGetUser",
        json!({ "UserPoolId": app.pool_id, "Username": user }),
    );
    assert_eq!(got["UserMFASettingList"], json!(["SMS_MFA"]));
    assert!(got.get("PreferredMfaSetting").is_none(), "{got}");
    let asked = app.password_auth(&user, PASSWORD).unwrap();
    assert_eq!(asked["ChallengeName"], "SMS_MFA", "{asked}");
}
