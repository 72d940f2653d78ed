//! The sign-in's challenges over HTTP: an administrator's user (AdminCreateUser, a temporary
//! password in the outbox) answers NEW_PASSWORD_REQUIRED, then MFA_SETUP with an
//! authenticator app associated and verified with the challenge's session, then signs in
//! again with SOFTWARE_TOKEN_MFA; wrong codes, used, expired and foreign sessions, and the
//! admin calls that set passwords and MFA preferences.

use serde_json::{json, Value};

use crate::common::{
    assert_api_error, shared, unique, ApiError, App, Emulator, NEW_PASSWORD, PASSWORD,
};
use crate::mfa::totp;

/// A pool with MFA `mfa` by authenticator app whose users need an email and a `name`, and a
/// client of it.
pub fn mfa_app<'e>(emu: &'e Emulator, mfa: &str, client: Value) -> App<'e> {
    let required = |name: &str| json!({"Name": name, "AttributeDataType": "String", "Required": true, "Mutable": true});
    let pool = emu.create_pool(json!({ "Schema": [required("email"), required("name")] }));
    let app = emu.app_in(&pool, client);
    emu.ok(
        "SetUserPoolMfaConfig",
        json!({
            "UserPoolId": app.pool_id,
            "MfaConfiguration": mfa,
            "SoftwareTokenMfaConfiguration": { "Enabled": true },
        }),
    );
    app
}

pub fn flows(secret: bool) -> Value {
    json!({ "GenerateSecret": secret, "ExplicitAuthFlows": crate::common::all_flows() })
}

/// AdminCreateUser with an email and the temporary password `password`.
pub fn admin_user(app: &App, username: &str, password: &str) -> Value {
    app.emu.ok(
        "AdminCreateUser",
        json!({
            "UserPoolId": app.pool_id,
            "Username": username,
            "TemporaryPassword": password,
            "UserAttributes": [{ "Name": "email", "Value": format!("{username}@example.com") }],
            "DesiredDeliveryMediums": ["EMAIL"],
        }),
    )
}

/// RespondToAuthChallenge with USERNAME (and SECRET_HASH for a client with a secret).
pub fn respond(
    app: &App,
    name: &str,
    session: &str,
    username: &str,
    mut responses: Value,
) -> Result<Value, ApiError> {
    responses["USERNAME"] = json!(username);
    if let Some(hash) = app.secret_hash(username) {
        responses["SECRET_HASH"] = json!(hash);
    }
    app.emu.call(
        "RespondToAuthChallenge",
        json!({
            "ClientId": app.client_id,
            "ChallengeName": name,
            "Session": session,
            "ChallengeResponses": responses,
        }),
    )
}

pub fn text<'v>(value: &'v Value, name: &str) -> &'v str {
    value[name]
        .as_str()
        .unwrap_or_else(|| panic!("no {name} in {value}"))
}

/// A code that is not the one for now, nor for the steps either side.
pub fn not_the_code(secret: &str, now: u64) -> String {
    let near: Vec<String> = [now - 30, now, now + 30]
        .iter()
        .map(|t| totp(secret, *t))
        .collect();
    (0..)
        .map(|i| format!("{:06}", (i * 7919) % 1_000_000))
        .find(|c| !near.contains(c))
        .unwrap()
}

#[test]
fn an_admin_created_user_sets_a_password_then_an_authenticator_app_then_signs_in_with_it() {
    let emu = shared();
    for secret in [false, true] {
        let app = mfa_app(emu, "ON", flows(secret));
        let user = unique("invited");
        let temporary = "Temporary-Pass-1";
        let created = admin_user(&app, &user, temporary);
        assert_eq!(created["User"]["UserStatus"], "FORCE_CHANGE_PASSWORD");
        // The invitation: the temporary password, by email.
        let invite = emu.latest_code(&app.pool_id, &user, "admin_create_user");
        assert_eq!(invite, temporary);

        // First sign-in: a new password, and `name`, which the pool requires.
        let first = app.password_auth(&user, temporary).unwrap();
        assert_eq!(first["ChallengeName"], "NEW_PASSWORD_REQUIRED", "{first}");
        let params = &first["ChallengeParameters"];
        let required: Value = serde_json::from_str(text(params, "requiredAttributes")).unwrap();
        assert_eq!(required, json!(["userAttributes.name"]));
        let shown: Value = serde_json::from_str(text(params, "userAttributes")).unwrap();
        assert_eq!(shown["email"], format!("{user}@example.com"));
        assert!(shown.get("sub").is_none(), "{shown}");
        assert_eq!(text(params, "USER_ID_FOR_SRP"), user);
        let session = text(&first, "Session");
        let weak = respond(
            &app,
            "NEW_PASSWORD_REQUIRED",
            session,
            &user,
            json!({ "NEW_PASSWORD": "short", "userAttributes.name": "N" }),
        );
        assert_api_error(&weak.unwrap_err(), "InvalidPasswordException", "weak");
        let nameless = respond(
            &app,
            "NEW_PASSWORD_REQUIRED",
            session,
            &user,
            json!({ "NEW_PASSWORD": NEW_PASSWORD }),
        );
        assert_api_error(
            &nameless.unwrap_err(),
            "InvalidParameterException",
            "name missing",
        );
        let wrong_name = respond(
            &app,
            "SOFTWARE_TOKEN_MFA",
            session,
            &user,
            json!({ "SOFTWARE_TOKEN_MFA_CODE": "123456" }),
        );
        assert_api_error(
            &wrong_name.unwrap_err(),
            "InvalidParameterException",
            "another challenge's name",
        );
        let setup = respond(
            &app,
            "NEW_PASSWORD_REQUIRED",
            session,
            &user,
            json!({ "NEW_PASSWORD": NEW_PASSWORD, "userAttributes.name": "Ada" }),
        )
        .unwrap();
        // Straight on to MFA_SETUP: the pool requires MFA and the user has none.
        assert_eq!(setup["ChallengeName"], "MFA_SETUP", "{setup}");
        let can: Value =
            serde_json::from_str(text(&setup["ChallengeParameters"], "MFAS_CAN_SETUP")).unwrap();
        assert_eq!(can, json!(["SOFTWARE_TOKEN_MFA"]));
        let used = respond(
            &app,
            "NEW_PASSWORD_REQUIRED",
            session,
            &user,
            json!({ "NEW_PASSWORD": NEW_PASSWORD, "userAttributes.name": "Ada" }),
        );
        assert_api_error(
            &used.unwrap_err(),
            "NotAuthorizedException",
            "a used session",
        );
        let got = emu.ok(
            "AdminGetUser",
            json!({ "UserPoolId": app.pool_id, "Username": user }),
        );
        assert_eq!(got["UserStatus"], "CONFIRMED");
        assert!(got["UserAttributes"]
            .as_array()
            .unwrap()
            .contains(&json!({ "Name": "name", "Value": "Ada" })));

        let session = text(&setup, "Session");
        let early = respond(&app, "MFA_SETUP", session, &user, json!({}));
        assert_api_error(
            &early.unwrap_err(),
            "InvalidParameterException",
            "nothing verified",
        );
        let verify_first = emu.call(
            "VerifySoftwareToken",
            json!({ "Session": session, "UserCode": "123456" }),
        );
        assert_api_error(
            &verify_first.unwrap_err(),
            "InvalidParameterException",
            "nothing associated",
        );
        let associated = emu.ok("AssociateSoftwareToken", json!({ "Session": session }));
        let key = text(&associated, "SecretCode").to_owned();
        let session = text(&associated, "Session").to_owned();
        let both = emu.call(
            "AssociateSoftwareToken",
            json!({ "Session": session, "AccessToken": "x" }),
        );
        assert_api_error(
            &both.unwrap_err(),
            "InvalidParameterException",
            "token and session",
        );
        let verified_at = emu.now();
        let wrong = emu.call(
            "VerifySoftwareToken",
            json!({ "Session": session, "UserCode": not_the_code(&key, verified_at) }),
        );
        assert_api_error(
            &wrong.unwrap_err(),
            "EnableSoftwareTokenMFAException",
            "a wrong code",
        );
        let verified = emu.ok(
            "VerifySoftwareToken",
            json!({ "Session": session, "UserCode": totp(&key, verified_at), "FriendlyDeviceName": "phone" }),
        );
        assert_eq!(verified["Status"], "SUCCESS");
        let done = respond(
            &app,
            "MFA_SETUP",
            text(&verified, "Session"),
            &user,
            json!({}),
        )
        .unwrap();
        let tokens = &done["AuthenticationResult"];
        let me = emu.ok("GetUser", json!({ "AccessToken": tokens["AccessToken"] }));
        assert_eq!(me["UserMFASettingList"], json!(["SOFTWARE_TOKEN_MFA"]));
        assert_eq!(me["PreferredMfaSetting"], "SOFTWARE_TOKEN_MFA");

        // The next sign-in asks for a code of the app.
        let again = app.password_auth(&user, NEW_PASSWORD).unwrap();
        assert_eq!(again["ChallengeName"], "SOFTWARE_TOKEN_MFA", "{again}");
        assert!(again.get("AuthenticationResult").is_none());
        let session = text(&again, "Session");
        let now = emu.now();
        let wrong = respond(
            &app,
            "SOFTWARE_TOKEN_MFA",
            session,
            &user,
            json!({ "SOFTWARE_TOKEN_MFA_CODE": not_the_code(&key, now) }),
        );
        assert_api_error(&wrong.unwrap_err(), "CodeMismatchException", "a wrong code");
        // The code of now verified the app, and a code is good once: the next step's.
        let code = json!({ "SOFTWARE_TOKEN_MFA_CODE": totp(&key, now + 30) });
        let used = respond(
            &app,
            "SOFTWARE_TOKEN_MFA",
            session,
            &user,
            json!({ "SOFTWARE_TOKEN_MFA_CODE": totp(&key, verified_at) }),
        );
        assert_api_error(
            &used.unwrap_err(),
            "CodeMismatchException",
            "the verifying code",
        );
        let other = unique("other");
        let foreign = respond(&app, "SOFTWARE_TOKEN_MFA", session, &other, code.clone());
        assert_api_error(
            &foreign.unwrap_err(),
            "NotAuthorizedException",
            "another user's name",
        );
        let signed_in = respond(&app, "SOFTWARE_TOKEN_MFA", session, &user, code.clone()).unwrap();
        assert!(signed_in["AuthenticationResult"]["AccessToken"].is_string());
        let replay = respond(&app, "SOFTWARE_TOKEN_MFA", session, &user, code.clone());
        assert_api_error(&replay.unwrap_err(), "NotAuthorizedException", "used once");
        let third = app.password_auth(&user, NEW_PASSWORD).unwrap();
        let reused = respond(
            &app,
            "SOFTWARE_TOKEN_MFA",
            text(&third, "Session"),
            &user,
            code,
        );
        assert_api_error(&reused.unwrap_err(), "CodeMismatchException", "a code used");
        if secret {
            let again = app.password_auth(&user, NEW_PASSWORD).unwrap();
            let unsigned = emu.call(
                "RespondToAuthChallenge",
                json!({
                    "ClientId": app.client_id,
                    "ChallengeName": "SOFTWARE_TOKEN_MFA",
                    "Session": again["Session"],
                    "ChallengeResponses": { "USERNAME": user, "SOFTWARE_TOKEN_MFA_CODE": totp(&key, now) },
                }),
            );
            assert_api_error(
                &unsigned.unwrap_err(),
                "NotAuthorizedException",
                "no SECRET_HASH",
            );
        }
    }
}

#[test]
fn wrong_codes_end_the_session_and_optional_mfa_asks_only_users_with_an_app() {
    let emu = shared();
    let app = mfa_app(emu, "OPTIONAL", flows(false));
    let user = unique("optional");
    let mut sign_up = app.sign_up_body(&user, PASSWORD, &format!("{user}@example.com"));
    sign_up["UserAttributes"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "Name": "name", "Value": "Bo" }));
    emu.ok("SignUp", sign_up);
    emu.ok(
        "AdminConfirmSignUp",
        json!({ "UserPoolId": app.pool_id, "Username": user }),
    );
    // No app yet: tokens at once.
    let tokens = app.tokens(&user, PASSWORD);
    let access = tokens["AccessToken"].clone();
    let key = emu.ok("AssociateSoftwareToken", json!({ "AccessToken": access }))["SecretCode"]
        .as_str()
        .unwrap()
        .to_owned();
    emu.ok(
        "VerifySoftwareToken",
        json!({ "AccessToken": access, "UserCode": totp(&key, emu.now()) }),
    );
    // Verified but not enabled: still no challenge. Enabled by the administrator: one.
    assert!(app.password_auth(&user, PASSWORD).unwrap()["AuthenticationResult"].is_object());
    let prefer = json!({
        "UserPoolId": app.pool_id,
        "Username": user,
        "SoftwareTokenMfaSettings": { "Enabled": true, "PreferredMfa": true },
    });
    emu.ok("AdminSetUserMFAPreference", prefer);
    let challenge = app.password_auth(&user, PASSWORD).unwrap();
    assert_eq!(challenge["ChallengeName"], "SOFTWARE_TOKEN_MFA");
    let session = text(&challenge, "Session");
    let wrong = json!({ "SOFTWARE_TOKEN_MFA_CODE": not_the_code(&key, emu.now()) });
    for _ in 0..3 {
        let e = respond(&app, "SOFTWARE_TOKEN_MFA", session, &user, wrong.clone());
        assert_api_error(&e.unwrap_err(), "CodeMismatchException", "wrong");
    }
    // The code of now verified the app: the next step's, which the window takes.
    let right = json!({ "SOFTWARE_TOKEN_MFA_CODE": totp(&key, emu.now() + 30) });
    let e = respond(&app, "SOFTWARE_TOKEN_MFA", session, &user, right.clone());
    assert_api_error(
        &e.unwrap_err(),
        "NotAuthorizedException",
        "three wrong codes end it",
    );
    let session = app.password_auth(&user, PASSWORD).unwrap()["Session"].clone();
    let ok = respond(
        &app,
        "SOFTWARE_TOKEN_MFA",
        session.as_str().unwrap(),
        &user,
        right,
    )
    .unwrap();
    assert!(ok["AuthenticationResult"].is_object());
    let unknown = emu.call(
        "AdminSetUserMFAPreference",
        json!({ "UserPoolId": app.pool_id, "Username": unique("nobody") }),
    );
    assert_api_error(
        &unknown.unwrap_err(),
        "UserNotFoundException",
        "no such user",
    );
}

#[test]
fn sessions_and_temporary_passwords_expire_and_admins_set_passwords() {
    // Its own emulator: the test moves the clock.
    let emu = Emulator::start(&[]);
    let app = mfa_app(&emu, "ON", flows(false));
    let user = unique("late");
    admin_user(&app, &user, "Temporary-Pass-1");
    let first = app.password_auth(&user, "Temporary-Pass-1").unwrap();
    emu.advance_clock(3 * 60 + 1);
    let late = respond(
        &app,
        "NEW_PASSWORD_REQUIRED",
        text(&first, "Session"),
        &user,
        json!({ "NEW_PASSWORD": NEW_PASSWORD, "userAttributes.name": "Ada" }),
    );
    let e = late.unwrap_err();
    assert_api_error(&e, "NotAuthorizedException", "three minutes later");
    assert!(e.message.contains("expired"), "{e:?}");
    // The temporary password lasts 7 days (the default).
    emu.advance_clock(7 * 86_400);
    let e = app.password_auth(&user, "Temporary-Pass-1").unwrap_err();
    assert_api_error(
        &e,
        "NotAuthorizedException",
        "an expired temporary password",
    );
    assert!(
        e.message.contains("Temporary password has expired"),
        "{e:?}"
    );
    // An administrator sets a new one, temporary, then permanent.
    let set = |password: &str, permanent: bool| {
        emu.call(
            "AdminSetUserPassword",
            json!({ "UserPoolId": app.pool_id, "Username": user, "Password": password, "Permanent": permanent }),
        )
    };
    assert_api_error(
        &set("weak", true).unwrap_err(),
        "InvalidPasswordException",
        "weak",
    );
    set("Temporary-Pass-2", false).unwrap();
    assert_eq!(
        app.password_auth(&user, "Temporary-Pass-2").unwrap()["ChallengeName"],
        "NEW_PASSWORD_REQUIRED"
    );
    set(PASSWORD, true).unwrap();
    let got = emu.ok(
        "AdminGetUser",
        json!({ "UserPoolId": app.pool_id, "Username": user }),
    );
    assert_eq!(got["UserStatus"], "CONFIRMED");
    // Permanent, but the pool requires MFA: set up an app first.
    assert_eq!(
        app.password_auth(&user, PASSWORD).unwrap()["ChallengeName"],
        "MFA_SETUP"
    );
    // A generated temporary password, resent.
    let other = unique("generated");
    let body = json!({
        "UserPoolId": app.pool_id,
        "Username": other,
        "UserAttributes": [{ "Name": "email", "Value": "g@example.com" }],
        "DesiredDeliveryMediums": ["EMAIL"],
    });
    emu.ok("AdminCreateUser", body.clone());
    let sent = emu.latest_code(&app.pool_id, &other, "admin_create_user");
    assert_eq!(
        app.password_auth(&other, &sent).unwrap()["ChallengeName"],
        "NEW_PASSWORD_REQUIRED"
    );
    let exists = emu.call("AdminCreateUser", body.clone());
    assert_api_error(&exists.unwrap_err(), "UsernameExistsException", "twice");
    let mut resend = body;
    resend["MessageAction"] = json!("RESEND");
    emu.ok("AdminCreateUser", resend);
    let resent = emu.latest_code(&app.pool_id, &other, "admin_create_user");
    assert_ne!(resent, sent);
    assert!(
        app.password_auth(&other, &sent).is_err(),
        "the old one is void"
    );
    assert_eq!(
        app.password_auth(&other, &resent).unwrap()["ChallengeName"],
        "NEW_PASSWORD_REQUIRED"
    );
    let quiet = unique("quiet");
    emu.ok(
        "AdminCreateUser",
        json!({ "UserPoolId": app.pool_id, "Username": quiet, "MessageAction": "SUPPRESS", "TemporaryPassword": "Temporary-Pass-3" }),
    );
    assert!(emu.outbox(&app.pool_id, &quiet).is_empty());
}
