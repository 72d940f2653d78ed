//! InitiateAuth (USER_PASSWORD_AUTH, USER_SRP_AUTH, REFRESH_TOKEN_AUTH) and
//! RespondToAuthChallenge (PASSWORD_VERIFIER).

use cognito_wasm::srp::{self, PasswordVerifier, SrpClient};
use serde_json::{json, Value};

use crate::common::*;

const INCORRECT: &str = "Incorrect username or password.";

fn assert_authentication_result(v: &Value) {
    let r = &v["AuthenticationResult"];
    for k in ["AccessToken", "IdToken", "RefreshToken"] {
        let t = r[k].as_str().unwrap_or_else(|| panic!("{k} in {v}"));
        assert!(!t.is_empty(), "{k} empty");
    }
    assert_eq!(
        r["AccessToken"].as_str().unwrap().split('.').count(),
        3,
        "AccessToken is a JWT"
    );
    assert_eq!(
        r["IdToken"].as_str().unwrap().split('.').count(),
        3,
        "IdToken is a JWT"
    );
    assert_eq!(r["ExpiresIn"], json!(3600), "{v}");
    assert_eq!(r["TokenType"], json!("Bearer"), "{v}");
}

#[test]
fn user_password_auth_success() {
    let emu = shared();
    let app = emu.public_app();
    let user = unique("upa");
    app.confirmed_user(&user, PASSWORD);
    let v = app.password_auth(&user, PASSWORD).unwrap();
    assert_authentication_result(&v);
    assert!(
        v.get("ChallengeName").is_none_or(Value::is_null),
        "no challenge: {v}"
    );
    // Usernames are case-insensitive at sign-in too.
    let v = app
        .password_auth(&user.to_ascii_uppercase(), PASSWORD)
        .unwrap();
    assert_authentication_result(&v);
}

#[test]
fn user_password_auth_with_secret() {
    let emu = shared();
    let app = emu.secret_app();
    let user = unique("upa-s");
    app.confirmed_user(&user, PASSWORD);
    let v = app.password_auth(&user, PASSWORD).unwrap();
    assert_authentication_result(&v);

    let mut body = app.password_auth_body(&user, PASSWORD);
    body["AuthParameters"]
        .as_object_mut()
        .unwrap()
        .remove("SECRET_HASH");
    let e = emu.err("InitiateAuth", body.clone(), "NotAuthorizedException");
    assert!(!e.message.is_empty());
    body["AuthParameters"]["SECRET_HASH"] = json!(secret_hash("wrong", &user, &app.client_id));
    emu.err("InitiateAuth", body.clone(), "NotAuthorizedException");
    body["AuthParameters"]["SECRET_HASH"] = json!(secret_hash(
        app.secret.as_ref().unwrap(),
        "other-user",
        &app.client_id
    ));
    emu.err("InitiateAuth", body, "NotAuthorizedException");
}

#[test]
fn unknown_user_and_wrong_password_look_the_same() {
    let emu = shared();
    let app = emu.public_app();
    let user = unique("same");
    app.confirmed_user(&user, PASSWORD);
    let wrong = app.password_auth(&user, NEW_PASSWORD).unwrap_err();
    assert_api_error(&wrong, "NotAuthorizedException", "wrong password");
    assert_eq!(wrong.message, INCORRECT);
    let unknown = app.password_auth("nobody-at-all", PASSWORD).unwrap_err();
    assert_api_error(&unknown, "NotAuthorizedException", "unknown user");
    assert_eq!(unknown.message, INCORRECT);
}

#[test]
fn user_not_confirmed() {
    let emu = shared();
    let app = emu.public_app();
    let user = unique("unconf");
    app.sign_up(&user, PASSWORD).unwrap();
    let e = app.password_auth(&user, PASSWORD).unwrap_err();
    assert_api_error(
        &e,
        "UserNotConfirmedException",
        "right password before confirmation",
    );
    // The password is proven first: a wrong one does not reveal the status.
    let e = app.password_auth(&user, NEW_PASSWORD).unwrap_err();
    assert_api_error(
        &e,
        "NotAuthorizedException",
        "wrong password before confirmation",
    );
    assert_eq!(e.message, INCORRECT);
    // SRP too: the proof is checked, then the status.
    let e = srp_sign_in(&app, &user, PASSWORD).unwrap_err();
    assert_api_error(&e, "UserNotConfirmedException", "SRP before confirmation");
}

#[test]
fn explicit_auth_flows_enforced() {
    let emu = shared();
    // Default flows: SRP, refresh, custom; not USER_PASSWORD_AUTH.
    let app = emu.app(json!({}));
    let user = unique("flows");
    app.confirmed_user(&user, PASSWORD);
    let e = app.password_auth(&user, PASSWORD).unwrap_err();
    assert_api_error(
        &e,
        "InvalidParameterException",
        "USER_PASSWORD_AUTH on a default client",
    );
    assert_eq!(
        e.message,
        "USER_PASSWORD_AUTH flow not enabled for this client"
    );
    // SRP works on the default client.
    let v = srp_sign_in(&app, &user, PASSWORD).unwrap();
    assert_authentication_result(&v);

    // A client that only allows USER_PASSWORD_AUTH refuses SRP.
    let pool = emu.ok("DescribeUserPool", json!({ "UserPoolId": app.pool_id }))["UserPool"].clone();
    let only_pw = emu.app_in(
        &pool,
        json!({ "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH"] }),
    );
    let c = SrpClient::new().unwrap();
    let e = emu
        .call(
            "InitiateAuth",
            json!({
                "AuthFlow": "USER_SRP_AUTH",
                "ClientId": only_pw.client_id,
                "AuthParameters": { "USERNAME": user, "SRP_A": c.public_hex() },
            }),
        )
        .unwrap_err();
    assert_api_error(
        &e,
        "InvalidParameterException",
        "USER_SRP_AUTH on a password-only client",
    );
    assert_authentication_result(&only_pw.password_auth(&user, PASSWORD).unwrap());
}

#[test]
fn initiate_auth_bad_requests() {
    let emu = shared();
    let app = emu.public_app();
    // Unknown flow.
    emu.err(
        "InitiateAuth",
        json!({ "AuthFlow": "MAGIC_AUTH", "ClientId": app.client_id, "AuthParameters": {} }),
        "InvalidParameterException",
    );
    // Missing AuthFlow / ClientId.
    emu.err(
        "InitiateAuth",
        json!({ "ClientId": app.client_id, "AuthParameters": { "USERNAME": "a", "PASSWORD": PASSWORD } }),
        "InvalidParameterException",
    );
    emu.err(
        "InitiateAuth",
        json!({ "AuthFlow": "USER_PASSWORD_AUTH", "AuthParameters": { "USERNAME": "a", "PASSWORD": PASSWORD } }),
        "InvalidParameterException",
    );
    // Missing PASSWORD.
    emu.err(
        "InitiateAuth",
        json!({ "AuthFlow": "USER_PASSWORD_AUTH", "ClientId": app.client_id, "AuthParameters": { "USERNAME": "a" } }),
        "InvalidParameterException",
    );
}

#[test]
fn password_attempts_exceeded() {
    let emu = shared();
    let app = emu.public_app();
    let user = unique("lock");
    app.confirmed_user(&user, PASSWORD);
    for i in 1..=4 {
        let e = app.password_auth(&user, NEW_PASSWORD).unwrap_err();
        assert_api_error(&e, "NotAuthorizedException", &format!("failure {i}"));
        assert_eq!(e.message, INCORRECT, "failure {i}");
    }
    let e = app.password_auth(&user, NEW_PASSWORD).unwrap_err();
    assert_api_error(&e, "NotAuthorizedException", "failure 5");
    // Now even the right password is refused.
    let e = app.password_auth(&user, PASSWORD).unwrap_err();
    assert_api_error(
        &e,
        "NotAuthorizedException",
        "right password after 5 failures",
    );
    assert!(
        e.message.contains("Password attempts exceeded"),
        "message: {:?}",
        e.message
    );
    // Other users of the pool are not affected.
    let other = unique("lock-other");
    app.confirmed_user(&other, PASSWORD);
    app.tokens(&other, PASSWORD);
}

#[test]
fn password_attempts_exceeded_wears_off_after_60_seconds() {
    let emu = Emulator::start(&[]);
    let app = emu.public_app();
    let user = unique("lock-clock");
    app.confirmed_user(&user, PASSWORD);
    for _ in 0..5 {
        app.password_auth(&user, NEW_PASSWORD).unwrap_err();
    }
    let e = app.password_auth(&user, PASSWORD).unwrap_err();
    assert!(e.message.contains("Password attempts exceeded"), "{e:?}");
    emu.advance_clock(61);
    let v = app
        .password_auth(&user, PASSWORD)
        .expect("sign-in 61 s later");
    assert_authentication_result(&v);
}

#[test]
fn successful_sign_in_resets_the_failure_count() {
    let emu = shared();
    let app = emu.public_app();
    let user = unique("lock-reset");
    app.confirmed_user(&user, PASSWORD);
    for _ in 0..4 {
        app.password_auth(&user, NEW_PASSWORD).unwrap_err();
    }
    app.tokens(&user, PASSWORD);
    for _ in 0..4 {
        app.password_auth(&user, NEW_PASSWORD).unwrap_err();
    }
    app.tokens(&user, PASSWORD);
}

// ----- SRP -----

/// InitiateAuth USER_SRP_AUTH; returns (client, challenge response).
/// A client's secret `a`, kept so that a test may answer one challenge more than once (an
/// `SrpClient` makes one claim: each answer makes a client from the secret).
pub struct SrpSecret([u8; SrpClient::SECRET_BYTES]);

impl SrpSecret {
    pub fn new() -> SrpSecret {
        let mut secret = SrpSecret([0; SrpClient::SECRET_BYTES]);
        getrandom::getrandom(&mut secret.0).unwrap();
        secret
    }

    pub fn client(&self) -> SrpClient {
        SrpClient::with_secret(&self.0).unwrap()
    }

    pub fn public_hex(&self) -> String {
        self.client().public_hex()
    }
}

pub fn srp_start(app: &App<'_>, username: &str) -> Result<(SrpSecret, Value), ApiError> {
    let client = SrpSecret::new();
    let mut params = json!({ "USERNAME": username, "SRP_A": client.public_hex() });
    if let Some(h) = app.secret_hash(username) {
        params["SECRET_HASH"] = json!(h);
    }
    let v = app.emu.call(
        "InitiateAuth",
        json!({ "AuthFlow": "USER_SRP_AUTH", "ClientId": app.client_id, "AuthParameters": params }),
    )?;
    Ok((client, v))
}

/// The RespondToAuthChallenge body for a PASSWORD_VERIFIER challenge, signed at `now`.
pub fn srp_answer(
    app: &App<'_>,
    client: &SrpSecret,
    challenge: &Value,
    password: &str,
    now: u64,
) -> Value {
    assert_eq!(
        challenge["ChallengeName"],
        json!("PASSWORD_VERIFIER"),
        "{challenge}"
    );
    let p = &challenge["ChallengeParameters"];
    let get = |k: &str| {
        p[k].as_str()
            .unwrap_or_else(|| panic!("{k} in {challenge}"))
            .to_string()
    };
    let (srp_b, salt, block, user_id) = (
        get("SRP_B"),
        get("SALT"),
        get("SECRET_BLOCK"),
        get("USER_ID_FOR_SRP"),
    );
    let timestamp = srp::timestamp(now);
    let claim = client
        .client()
        .password_claim(
            app.srp_pool_name(),
            password,
            &PasswordVerifier {
                srp_b: &srp_b,
                salt: &salt,
                secret_block: &block,
                user_id_for_srp: &user_id,
            },
            &timestamp,
        )
        .unwrap();
    let mut responses = json!({
        "USERNAME": user_id,
        "PASSWORD_CLAIM_SECRET_BLOCK": block,
        "TIMESTAMP": timestamp,
        "PASSWORD_CLAIM_SIGNATURE": claim,
    });
    if let Some(h) = app.secret_hash(&user_id) {
        responses["SECRET_HASH"] = json!(h);
    }
    let mut body = json!({
        "ChallengeName": "PASSWORD_VERIFIER",
        "ClientId": app.client_id,
        "ChallengeResponses": responses,
    });
    if let Some(s) = challenge.get("Session").and_then(Value::as_str) {
        body["Session"] = json!(s);
    }
    body
}

/// A whole SRP sign-in.
pub fn srp_sign_in(app: &App<'_>, username: &str, password: &str) -> Result<Value, ApiError> {
    let (client, challenge) = srp_start(app, username)?;
    let body = srp_answer(app, &client, &challenge, password, unix_now());
    app.emu.call("RespondToAuthChallenge", body)
}

#[test]
fn srp_round_trip() {
    let emu = shared();
    let app = emu.public_app();
    let user = unique("srp");
    let sub = app.confirmed_user(&user, PASSWORD);
    let (client, challenge) = srp_start(&app, &user).unwrap();
    let p = &challenge["ChallengeParameters"];
    assert_eq!(challenge["ChallengeName"], json!("PASSWORD_VERIFIER"));
    for k in ["SRP_B", "SALT", "SECRET_BLOCK", "USER_ID_FOR_SRP"] {
        assert!(
            p[k].as_str().is_some_and(|s| !s.is_empty()),
            "{k} in {challenge}"
        );
    }
    assert!(
        p["SRP_B"]
            .as_str()
            .unwrap()
            .chars()
            .all(|c| c.is_ascii_hexdigit()),
        "SRP_B hex"
    );
    assert!(
        p["SALT"]
            .as_str()
            .unwrap()
            .chars()
            .all(|c| c.is_ascii_hexdigit()),
        "SALT hex"
    );
    let uid = p["USER_ID_FOR_SRP"].as_str().unwrap();
    assert!(
        uid == user || uid == sub,
        "USER_ID_FOR_SRP {uid:?} is the username or sub"
    );
    let v = emu.call(
        "RespondToAuthChallenge",
        srp_answer(&app, &client, &challenge, PASSWORD, unix_now()),
    );
    let v = v.unwrap_or_else(|e| panic!("SRP proof refused: {e:?}"));
    assert_authentication_result(&v);
    // The tokens are for this user.
    let me = app
        .get_user(v["AuthenticationResult"]["AccessToken"].as_str().unwrap())
        .unwrap();
    assert_eq!(me["Username"], json!(user));
}

#[test]
fn srp_round_trip_with_secret() {
    let emu = shared();
    let app = emu.secret_app();
    let user = unique("srp-s");
    app.confirmed_user(&user, PASSWORD);
    assert_authentication_result(&srp_sign_in(&app, &user, PASSWORD).unwrap());

    // InitiateAuth without SECRET_HASH.
    let c = SrpClient::new().unwrap();
    let e = emu
        .call(
            "InitiateAuth",
            json!({
                "AuthFlow": "USER_SRP_AUTH",
                "ClientId": app.client_id,
                "AuthParameters": { "USERNAME": user, "SRP_A": c.public_hex() },
            }),
        )
        .unwrap_err();
    assert_api_error(
        &e,
        "NotAuthorizedException",
        "USER_SRP_AUTH without SECRET_HASH",
    );

    // RespondToAuthChallenge with a missing, then a wrong, SECRET_HASH; the proof is right.
    let (client, challenge) = srp_start(&app, &user).unwrap();
    let mut body = srp_answer(&app, &client, &challenge, PASSWORD, unix_now());
    body["ChallengeResponses"]
        .as_object_mut()
        .unwrap()
        .remove("SECRET_HASH");
    emu.err("RespondToAuthChallenge", body, "NotAuthorizedException");
    let (client, challenge) = srp_start(&app, &user).unwrap();
    let mut body = srp_answer(&app, &client, &challenge, PASSWORD, unix_now());
    body["ChallengeResponses"]["SECRET_HASH"] = json!(secret_hash("wrong", &user, &app.client_id));
    emu.err("RespondToAuthChallenge", body, "NotAuthorizedException");
}

#[test]
fn srp_wrong_password_is_rejected() {
    let emu = shared();
    let app = emu.public_app();
    let user = unique("srp-bad");
    app.confirmed_user(&user, PASSWORD);
    let e = srp_sign_in(&app, &user, NEW_PASSWORD).unwrap_err();
    assert_api_error(
        &e,
        "NotAuthorizedException",
        "SRP proof with the wrong password",
    );
    assert_eq!(e.message, INCORRECT);
}

#[test]
fn srp_tampered_signature_is_rejected() {
    let emu = shared();
    let app = emu.public_app();
    let user = unique("srp-tamper");
    app.confirmed_user(&user, PASSWORD);
    let (client, challenge) = srp_start(&app, &user).unwrap();
    let mut body = srp_answer(&app, &client, &challenge, PASSWORD, unix_now());
    // Sign a different timestamp than the one sent.
    let other = srp_answer(&app, &client, &challenge, PASSWORD, unix_now() - 7);
    body["ChallengeResponses"]["PASSWORD_CLAIM_SIGNATURE"] =
        other["ChallengeResponses"]["PASSWORD_CLAIM_SIGNATURE"].clone();
    if body["ChallengeResponses"]["TIMESTAMP"] != other["ChallengeResponses"]["TIMESTAMP"] {
        emu.err("RespondToAuthChallenge", body, "NotAuthorizedException");
    }
}

#[test]
fn srp_unknown_user_gets_a_plausible_challenge_then_fails() {
    let emu = shared();
    let app = emu.public_app();
    let (client, challenge) =
        srp_start(&app, "nobody-at-all").expect("a challenge even for an unknown user");
    assert_eq!(
        challenge["ChallengeName"],
        json!("PASSWORD_VERIFIER"),
        "{challenge}"
    );
    let body = srp_answer(&app, &client, &challenge, PASSWORD, unix_now());
    let e = emu.call("RespondToAuthChallenge", body).unwrap_err();
    assert_api_error(
        &e,
        "NotAuthorizedException",
        "SRP proof for an unknown user",
    );
    assert_eq!(e.message, INCORRECT);
}

/// The challenge's parameters, for comparing shapes: each name with its value's length and
/// whether it is lowercase hex.
fn shape(challenge: &Value) -> Vec<(String, usize, bool)> {
    let hex = |s: &str| {
        s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    };
    let mut out: Vec<_> = challenge["ChallengeParameters"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| {
            let v = v.as_str().unwrap();
            let len = match k.as_str() {
                // Minimal hex of a number below N: it may be a digit or two short.
                "SRP_B" => v.len().div_ceil(8),
                // The username asked for (checked apart).
                "USERNAME" | "USER_ID_FOR_SRP" => 0,
                _ => v.len(),
            };
            (k.clone(), len, hex(v))
        })
        .collect();
    out.sort();
    out
}

#[test]
fn srp_unknown_user_gets_a_stable_salt_shaped_like_a_real_one() {
    let emu = shared();
    let app = emu.public_app();
    let salt = |challenge: &Value| challenge["ChallengeParameters"]["SALT"].clone();
    // A known user's SALT is the same at every attempt, so an unknown user's must be too.
    let known = unique("known");
    app.confirmed_user(&known, PASSWORD);
    let (_, k1) = srp_start(&app, &known).unwrap();
    let (_, k2) = srp_start(&app, &known).unwrap();
    assert_eq!(salt(&k1), salt(&k2));
    let ghost = unique("ghost");
    let (_, g1) = srp_start(&app, &ghost).unwrap();
    let (_, g2) = srp_start(&app, &ghost).unwrap();
    assert_eq!(salt(&g1), salt(&g2), "one unknown user, one SALT");
    assert_ne!(
        g1["ChallengeParameters"]["SRP_B"], g2["ChallengeParameters"]["SRP_B"],
        "SRP_B is fresh each time, as a real user's"
    );
    // Usernames are case-insensitive in this pool: the same unknown user, the same SALT.
    let (_, g3) = srp_start(&app, &ghost.to_uppercase()).unwrap();
    assert_eq!(salt(&g1), salt(&g3));
    let (_, other) = srp_start(&app, &unique("ghost")).unwrap();
    assert_ne!(
        salt(&g1),
        salt(&other),
        "another unknown user, another SALT"
    );
    assert_ne!(salt(&g1), salt(&k1));
    // The same names and shapes as a real user's challenge.
    for name in ["USERNAME", "USER_ID_FOR_SRP"] {
        assert_eq!(g1["ChallengeParameters"][name], json!(ghost));
        assert_eq!(k1["ChallengeParameters"][name], json!(known));
    }
    for g in [&g1, &g2, &other] {
        assert_eq!(shape(g), shape(&k1), "{g} vs {k1}");
        assert_eq!(g["ChallengeName"], k1["ChallengeName"]);
        assert_eq!(
            g.as_object().unwrap().keys().collect::<Vec<_>>(),
            k1.as_object().unwrap().keys().collect::<Vec<_>>()
        );
    }
}

#[test]
fn srp_secret_block_is_single_use() {
    let emu = shared();
    let app = emu.public_app();
    let user = unique("srp-once");
    app.confirmed_user(&user, PASSWORD);
    let (client, challenge) = srp_start(&app, &user).unwrap();
    let now = unix_now();
    let body = srp_answer(&app, &client, &challenge, PASSWORD, now);
    assert_authentication_result(&emu.ok("RespondToAuthChallenge", body.clone()));
    // Replaying the very same (valid) answer.
    let e = emu.call("RespondToAuthChallenge", body).unwrap_err();
    assert_api_error(&e, "NotAuthorizedException", "replayed SECRET_BLOCK");
    // Even freshly signed.
    let body = srp_answer(&app, &client, &challenge, PASSWORD, now + 1);
    let e = emu.call("RespondToAuthChallenge", body).unwrap_err();
    assert_api_error(&e, "NotAuthorizedException", "re-signed SECRET_BLOCK");
}

#[test]
fn srp_secret_block_after_wrong_proof_is_spent() {
    let emu = shared();
    let app = emu.public_app();
    let user = unique("srp-spent");
    app.confirmed_user(&user, PASSWORD);
    let (client, challenge) = srp_start(&app, &user).unwrap();
    let bad = srp_answer(&app, &client, &challenge, NEW_PASSWORD, unix_now());
    emu.err("RespondToAuthChallenge", bad, "NotAuthorizedException");
    let good = srp_answer(&app, &client, &challenge, PASSWORD, unix_now());
    let r = emu.call("RespondToAuthChallenge", good);
    // Cognito's session is spent by any answer; a second answer is refused.
    let e = r.expect_err("a SECRET_BLOCK answered once cannot be answered again");
    assert_api_error(
        &e,
        "NotAuthorizedException",
        "second answer to one challenge",
    );
}

#[test]
fn srp_secret_block_expires_after_5_minutes() {
    let emu = Emulator::start(&[]);
    let app = emu.public_app();
    let user = unique("srp-exp");
    app.confirmed_user(&user, PASSWORD);
    let (client, challenge) = srp_start(&app, &user).unwrap();
    let now = emu.advance_clock(301);
    let body = srp_answer(&app, &client, &challenge, PASSWORD, now);
    let e = emu.call("RespondToAuthChallenge", body).unwrap_err();
    assert_api_error(&e, "NotAuthorizedException", "SECRET_BLOCK 301 s old");
    // A fresh challenge still works at the new time.
    let (client, challenge) = srp_start(&app, &user).unwrap();
    let body = srp_answer(&app, &client, &challenge, PASSWORD, emu.now());
    assert_authentication_result(&emu.ok("RespondToAuthChallenge", body));
}

#[test]
fn srp_bad_inputs() {
    let emu = shared();
    let app = emu.public_app();
    let user = unique("srp-in");
    app.confirmed_user(&user, PASSWORD);
    // SRP_A = 0 and SRP_A = N are refused (A mod N must not be 0).
    let n_hex = "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF";
    for a in ["0", "00", n_hex] {
        let e = emu
            .call(
                "InitiateAuth",
                json!({
                    "AuthFlow": "USER_SRP_AUTH",
                    "ClientId": app.client_id,
                    "AuthParameters": { "USERNAME": user, "SRP_A": a },
                }),
            )
            .expect_err("SRP_A = 0 mod N must be refused");
        assert_api_error(
            &e,
            "InvalidParameterException",
            &format!("SRP_A = {:.8}", a),
        );
    }
    // Missing SRP_A.
    emu.err(
        "InitiateAuth",
        json!({ "AuthFlow": "USER_SRP_AUTH", "ClientId": app.client_id, "AuthParameters": { "USERNAME": user } }),
        "InvalidParameterException",
    );
}

// ----- refresh -----

#[test]
fn refresh_token_auth() {
    let emu = shared();
    let app = emu.public_app();
    let user = unique("refresh");
    app.confirmed_user(&user, PASSWORD);
    let t = app.tokens(&user, PASSWORD);
    let rt = t["RefreshToken"].as_str().unwrap();
    let v = app.refresh(rt, &user).unwrap();
    let r = &v["AuthenticationResult"];
    assert!(
        r["AccessToken"].is_string() && r["IdToken"].is_string(),
        "{v}"
    );
    assert_eq!(r["ExpiresIn"], json!(3600));
    assert_eq!(r["TokenType"], json!("Bearer"));
    app.get_user(r["AccessToken"].as_str().unwrap())
        .expect("refreshed access token works");
    // REFRESH_TOKEN is an alias of REFRESH_TOKEN_AUTH.
    let mut body = app.refresh_body(rt, &user);
    body["AuthFlow"] = json!("REFRESH_TOKEN");
    emu.ok("InitiateAuth", body);
    // A made-up refresh token.
    let e = app.refresh("not-a-refresh-token", &user).unwrap_err();
    assert_api_error(&e, "NotAuthorizedException", "unknown refresh token");
}

#[test]
fn refresh_token_auth_with_secret() {
    let emu = shared();
    let app = emu.secret_app();
    let user = unique("refresh-s");
    app.confirmed_user(&user, PASSWORD);
    let t = app.tokens(&user, PASSWORD);
    let rt = t["RefreshToken"].as_str().unwrap();
    app.refresh(rt, &user)
        .expect("REFRESH_TOKEN_AUTH with SECRET_HASH over the username");

    let mut body = app.refresh_body(rt, &user);
    body["AuthParameters"]
        .as_object_mut()
        .unwrap()
        .remove("SECRET_HASH");
    emu.err("InitiateAuth", body.clone(), "NotAuthorizedException");
    body["AuthParameters"]["SECRET_HASH"] = json!(secret_hash("wrong", &user, &app.client_id));
    emu.err("InitiateAuth", body, "NotAuthorizedException");
}

#[test]
fn refresh_token_of_another_client_is_refused() {
    let emu = shared();
    let app = emu.public_app();
    let user = unique("refresh-x");
    app.confirmed_user(&user, PASSWORD);
    let rt = app.tokens(&user, PASSWORD)["RefreshToken"]
        .as_str()
        .unwrap()
        .to_string();
    let pool = emu.ok("DescribeUserPool", json!({ "UserPoolId": app.pool_id }))["UserPool"].clone();
    let other = emu.app_in(&pool, json!({ "ExplicitAuthFlows": all_flows() }));
    let e = other.refresh(&rt, &user).unwrap_err();
    assert_api_error(
        &e,
        "NotAuthorizedException",
        "refresh token used with another client",
    );
}
