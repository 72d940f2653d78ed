//! MFA with an authenticator app, over HTTP: the pool's settings, a user's software token
//! associated and verified with a TOTP code computed here from the SecretCode, the user's
//! preference as GetUser reports it, and Cognito's errors on the way.

use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha1::Sha1;

use crate::common::{assert_api_error, shared, unique, App, PASSWORD};

/// RFC 4648 base32 (unpadded), decoded.
pub fn base32(text: &str) -> Vec<u8> {
    let (mut out, mut buffer, mut bits) = (Vec::new(), 0u32, 0);
    for c in text.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'2'..=b'7' => c - b'2' + 26,
            _ => panic!("not base32: {text:?}"),
        };
        buffer = (buffer << 5) | u32::from(v);
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    out
}

/// The 6-digit TOTP (RFC 6238, HMAC-SHA1, 30 s) of `secret` at `time`.
pub fn totp(secret: &str, time: u64) -> String {
    let mut mac = Hmac::<Sha1>::new_from_slice(&base32(secret)).unwrap();
    mac.update(&(time / 30).to_be_bytes());
    let d = mac.finalize().into_bytes();
    let at = usize::from(d[19] & 15);
    let word = u32::from_be_bytes([d[at], d[at + 1], d[at + 2], d[at + 3]]) & 0x7fff_ffff;
    format!("{:06}", word % 1_000_000)
}

fn mfa_config(app: &App, body: Value) -> Result<Value, crate::common::ApiError> {
    let mut body = body;
    body["UserPoolId"] = json!(app.pool_id);
    app.emu.call("SetUserPoolMfaConfig", body)
}

#[test]
fn the_pools_mfa_settings_are_kept_and_checked() {
    let emu = shared();
    let app = emu.public_app();
    let got = |app: &App| emu.ok("GetUserPoolMfaConfig", json!({ "UserPoolId": app.pool_id }));
    assert_eq!(
        got(&app),
        json!({ "MfaConfiguration": "OFF", "SoftwareTokenMfaConfiguration": { "Enabled": false } })
    );
    // MFA on needs a factor.
    let e = mfa_config(&app, json!({ "MfaConfiguration": "ON" })).unwrap_err();
    assert_api_error(&e, "InvalidParameterException", "ON without a factor");
    let e = mfa_config(&app, json!({ "MfaConfiguration": "MAYBE" })).unwrap_err();
    assert_api_error(&e, "InvalidParameterException", "an unknown configuration");
    let set = mfa_config(
        &app,
        json!({ "MfaConfiguration": "OPTIONAL", "SoftwareTokenMfaConfiguration": { "Enabled": true } }),
    )
    .unwrap();
    assert_eq!(set, got(&app));
    assert_eq!(set["MfaConfiguration"], "OPTIONAL");
    assert_eq!(set["SoftwareTokenMfaConfiguration"]["Enabled"], true);
    // (Both need the admin header: access.rs tries every admin operation without it.)
}

#[test]
fn an_authenticator_app_is_associated_verified_and_preferred() {
    let emu = shared();
    let app = emu.public_app();
    let user = unique("totp");
    app.confirmed_user(&user, PASSWORD);
    let access = app.tokens(&user, PASSWORD)["AccessToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let associate = || emu.call("AssociateSoftwareToken", json!({ "AccessToken": access }));
    // Not before the pool enables software tokens.
    assert_api_error(
        &associate().unwrap_err(),
        "SoftwareTokenMFANotFoundException",
        "the pool has no software token MFA",
    );
    mfa_config(
        &app,
        json!({ "MfaConfiguration": "OPTIONAL", "SoftwareTokenMfaConfiguration": { "Enabled": true } }),
    )
    .unwrap();
    // Not preferred before it is verified.
    let prefer = |enabled: bool| {
        emu.call(
            "SetUserMFAPreference",
            json!({ "AccessToken": access, "SoftwareTokenMfaSettings": { "Enabled": enabled, "PreferredMfa": enabled } }),
        )
    };
    assert_api_error(
        &prefer(true).unwrap_err(),
        "InvalidParameterException",
        "unverified",
    );
    let verify = |code: &str| {
        emu.call(
            "VerifySoftwareToken",
            json!({ "AccessToken": access, "UserCode": code, "FriendlyDeviceName": "phone" }),
        )
    };
    assert_api_error(
        &verify("123456").unwrap_err(),
        "InvalidParameterException",
        "no token yet",
    );

    let secret = associate().unwrap()["SecretCode"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(secret.len(), 32, "160 bits, base32");
    let now = emu.now();
    let right = totp(&secret, now);
    let wrong = format!("{:06}", (right.parse::<u32>().unwrap() + 1) % 1_000_000);
    assert_api_error(
        &verify(&wrong).unwrap_err(),
        "EnableSoftwareTokenMFAException",
        "a wrong code",
    );
    assert_api_error(
        &verify("12345").unwrap_err(),
        "InvalidParameterException",
        "five digits",
    );
    // A code from long ago.
    let stale = totp(&secret, now - 600);
    if stale != right {
        assert_api_error(
            &verify(&stale).unwrap_err(),
            "EnableSoftwareTokenMFAException",
            "stale",
        );
    }
    assert_eq!(verify(&right).unwrap(), json!({ "Status": "SUCCESS" }));

    let me = |what: &str| emu.ok("GetUser", json!({ "AccessToken": access }))[what].clone();
    assert_eq!(
        me("UserMFASettingList"),
        Value::Null,
        "verified, not yet chosen"
    );
    prefer(true).unwrap();
    assert_eq!(me("UserMFASettingList"), json!(["SOFTWARE_TOKEN_MFA"]));
    assert_eq!(me("PreferredMfaSetting"), "SOFTWARE_TOKEN_MFA");
    prefer(false).unwrap();
    assert_eq!(me("UserMFASettingList"), Value::Null);
    assert_eq!(me("PreferredMfaSetting"), Value::Null);
    // A new association voids the verified one.
    prefer(true).unwrap();
    associate().unwrap();
    assert_eq!(me("UserMFASettingList"), Value::Null);
    assert_api_error(
        &prefer(true).unwrap_err(),
        "InvalidParameterException",
        "re-associated",
    );
}
