//! ClientMetadata: accepted where Cognito takes it, refused unless strings, recorded for tests.

use serde_json::{json, Value};

use super::*;
use crate::common::*;

fn metadata_records(emu: &Emulator, user: &str) -> Vec<Value> {
    let v = emu.get_json(&format!(
        "/_emulator/client-metadata?username={}",
        urlencode(user)
    ));
    v.as_array().expect("a JSON list").clone()
}

/// `{"op": OP}` as ClientMetadata.
fn cm(op: &str) -> Value {
    json!({ "op": op, "app": "tests" })
}

fn with_cm(mut body: Value, op: &str) -> Value {
    body["ClientMetadata"] = cm(op);
    body
}

#[test]
fn client_metadata_is_recorded_for_each_operation_that_takes_it() {
    let emu = shared();
    let pool = emu.create_pool(json!({ "AutoVerifiedAttributes": ["email", "phone_number"] }));
    let app = emu.app_in(
        &pool,
        json!({ "GenerateSecret": true, "ExplicitAuthFlows": all_flows() }),
    );
    let user = unique("metadata");

    emu.ok(
        "SignUp",
        with_cm(
            app.sign_up_body(&user, PASSWORD, &email_of(&user)),
            "SignUp",
        ),
    );
    emu.ok(
        "ResendConfirmationCode",
        with_cm(app.resend_body(&user), "ResendConfirmationCode"),
    );
    let code = app.code(&user, "confirm_sign_up");
    emu.ok(
        "ConfirmSignUp",
        with_cm(app.confirm_body(&user, &code), "ConfirmSignUp"),
    );
    let t = emu.ok(
        "InitiateAuth",
        with_cm(app.password_auth_body(&user, PASSWORD), "InitiateAuth"),
    );
    let token = t["AuthenticationResult"]["AccessToken"]
        .as_str()
        .unwrap()
        .to_string();
    // SRP: both steps carry it.
    let client = crate::auth::SrpSecret::new();
    let params = json!({
        "USERNAME": user,
        "SRP_A": client.public_hex(),
        "SECRET_HASH": app.secret_hash(&user).unwrap(),
    });
    let challenge = emu.ok(
        "InitiateAuth",
        with_cm(
            json!({ "AuthFlow": "USER_SRP_AUTH", "ClientId": app.client_id, "AuthParameters": params }),
            "InitiateAuth",
        ),
    );
    let answer = crate::auth::srp_answer(&app, &client, &challenge, PASSWORD, unix_now());
    emu.ok(
        "RespondToAuthChallenge",
        with_cm(answer, "RespondToAuthChallenge"),
    );
    emu.ok(
        "UpdateUserAttributes",
        with_cm(
            update_body(
                &token,
                json!([{"Name": "phone_number", "Value": "+12065559876"}]),
            ),
            "UpdateUserAttributes",
        ),
    );
    emu.ok(
        "GetUserAttributeVerificationCode",
        with_cm(
            json!({ "AccessToken": token, "AttributeName": "email" }),
            "GetUserAttributeVerificationCode",
        ),
    );
    emu.ok(
        "ForgotPassword",
        with_cm(app.forgot_body(&user), "ForgotPassword"),
    );
    let reset = app.code(&user, "forgot_password");
    emu.ok(
        "ConfirmForgotPassword",
        with_cm(
            app.confirm_forgot_body(&user, &reset, NEW_PASSWORD),
            "ConfirmForgotPassword",
        ),
    );
    // Calls without it (or with an empty one) leave no record.
    emu.ok("InitiateAuth", app.password_auth_body(&user, NEW_PASSWORD));
    let mut empty = app.password_auth_body(&user, NEW_PASSWORD);
    empty["ClientMetadata"] = json!({});
    emu.ok("InitiateAuth", empty);

    let records = metadata_records(emu, &user);
    let ops: Vec<&str> = records
        .iter()
        .map(|r| r["operation"].as_str().unwrap())
        .collect();
    assert_eq!(
        ops,
        [
            "SignUp",
            "ResendConfirmationCode",
            "ConfirmSignUp",
            "InitiateAuth",
            "InitiateAuth",
            "RespondToAuthChallenge",
            "UpdateUserAttributes",
            "GetUserAttributeVerificationCode",
            "ForgotPassword",
            "ConfirmForgotPassword",
        ],
        "{records:?}"
    );
    let mut last = 0.0;
    for r in &records {
        let op = r["operation"].as_str().unwrap();
        assert_eq!(r["client_metadata"], cm(op), "{r}");
        assert_eq!(r["pool_id"], json!(app.pool_id), "{r}");
        assert_eq!(r["username"], json!(user), "{r}");
        let at = r["received_at"].as_f64().unwrap();
        assert!(at >= last && (at - unix_now() as f64).abs() < 60.0, "{r}");
        last = at;
    }
    // Each message a call sent carries the call's ClientMetadata.
    let msgs = emu.outbox(&app.pool_id, &user);
    let sent: Vec<(&str, &Value)> = msgs
        .iter()
        .map(|m| (m["kind"].as_str().unwrap(), &m["client_metadata"]))
        .collect();
    assert_eq!(
        sent,
        [
            ("confirm_sign_up", &cm("SignUp")),
            ("confirm_sign_up", &cm("ResendConfirmationCode")),
            ("verify_attribute", &cm("UpdateUserAttributes")),
            ("verify_attribute", &cm("GetUserAttributeVerificationCode")),
            ("forgot_password", &cm("ForgotPassword")),
        ],
        "{msgs:?}"
    );
    // Filtered by user: another user's records are not listed.
    let other = unique("metadata-other");
    emu.ok(
        "SignUp",
        with_cm(
            app.sign_up_body(&other, PASSWORD, &email_of(&other)),
            "SignUp",
        ),
    );
    assert_eq!(metadata_records(emu, &user).len(), records.len());
    assert_eq!(metadata_records(emu, &other).len(), 1);
}

#[test]
fn client_metadata_must_map_strings_to_strings() {
    let emu = shared();
    let app = emu.public_app();
    let (user, token) = signed_in(&app, "metadata-types");
    let bodies = [
        (
            "SignUp",
            app.sign_up_body("someone-else", PASSWORD, "se@example.com"),
        ),
        ("ConfirmSignUp", app.confirm_body(&user, "123456")),
        ("ResendConfirmationCode", app.resend_body(&user)),
        ("ForgotPassword", app.forgot_body(&user)),
        (
            "ConfirmForgotPassword",
            app.confirm_forgot_body(&user, "123456", NEW_PASSWORD),
        ),
        ("InitiateAuth", app.password_auth_body(&user, PASSWORD)),
        (
            "RespondToAuthChallenge",
            json!({ "ChallengeName": "PASSWORD_VERIFIER", "ClientId": app.client_id, "ChallengeResponses": {} }),
        ),
        (
            "UpdateUserAttributes",
            update_body(&token, json!([{"Name": "given_name", "Value": "Q"}])),
        ),
        (
            "GetUserAttributeVerificationCode",
            json!({ "AccessToken": token, "AttributeName": "email" }),
        ),
    ];
    let sent = emu.outbox(&app.pool_id, &user).len();
    for (op, body) in &bodies {
        for bad in [
            json!({ "k": 1 }),
            json!({ "k": true }),
            json!({ "k": ["v"] }),
            json!({ "k": { "nested": "v" } }),
            json!("k=v"),
            json!(["k", "v"]),
            json!(7),
        ] {
            let mut body = body.clone();
            body["ClientMetadata"] = bad.clone();
            emu.err(op, body, "SerializationException");
        }
    }
    assert!(metadata_records(emu, &user).is_empty());
    assert!(metadata_records(emu, "someone-else").is_empty());
    assert_eq!(emu.outbox(&app.pool_id, &user).len(), sent, "nothing sent");
    assert!(!me(&app, &token).contains_key("given_name"));
}

#[test]
fn client_metadata_record_is_cleared_by_reset() {
    let emu = &Emulator::start(&[]);
    let app = emu.public_app();
    let user = unique("metadata-reset");
    emu.ok(
        "SignUp",
        with_cm(
            app.sign_up_body(&user, PASSWORD, &email_of(&user)),
            "SignUp",
        ),
    );
    assert_eq!(
        emu.get_json("/_emulator/client-metadata")
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let by_pool = emu.get_json(&format!(
        "/_emulator/client-metadata?pool_id={}",
        app.pool_id
    ));
    assert_eq!(by_pool.as_array().unwrap().len(), 1);
    let none = emu.get_json("/_emulator/client-metadata?pool_id=us-east-1_Other1234");
    assert_eq!(none, json!([]));
    emu.reset();
    assert_eq!(emu.get_json("/_emulator/client-metadata"), json!([]));
}
