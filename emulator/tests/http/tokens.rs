//! Token claims, JWKS and RS256 signatures; GetUser, GlobalSignOut, RevokeToken.

use base64ct::{Base64UrlUnpadded, Encoding};
use rsa::{BigUint, Pkcs1v15Sign, RsaPublicKey};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::common::*;

fn jwks_for(app: &App<'_>) -> Value {
    app.emu
        .get_json(&format!("/{}/.well-known/jwks.json", app.pool_id))
}

/// Checks the RS256 signature of `token` against the JWKS key with its kid.
fn verify_rs256(token: &str, jwks: &Value) {
    let (header, _, signing_input, sig) = decode_jwt(token);
    let kid = header["kid"].as_str().expect("kid");
    let jwk = jwks["keys"]
        .as_array()
        .expect("keys")
        .iter()
        .find(|k| k["kid"] == kid)
        .unwrap_or_else(|| panic!("kid {kid} not in JWKS {jwks}"));
    assert_eq!(jwk["kty"], json!("RSA"), "{jwk}");
    assert_eq!(jwk["alg"], json!("RS256"), "{jwk}");
    assert_eq!(jwk["use"], json!("sig"), "{jwk}");
    let n = BigUint::from_bytes_be(&b64url_decode(jwk["n"].as_str().expect("n")));
    let e = BigUint::from_bytes_be(&b64url_decode(jwk["e"].as_str().expect("e")));
    let key = RsaPublicKey::new(n, e).expect("a valid RSA public key");
    let digest = Sha256::digest(signing_input.as_bytes());
    key.verify(Pkcs1v15Sign::new::<Sha256>(), &digest, &sig)
        .unwrap_or_else(|e| panic!("RS256 signature does not verify: {e}"));
    // And a modified signing input does not verify.
    let digest = Sha256::digest(format!("{signing_input}x").as_bytes());
    assert!(key
        .verify(Pkcs1v15Sign::new::<Sha256>(), &digest, &sig)
        .is_err());
}

/// The error RevokeToken answers for a wrong client or client secret.
const REVOKE_BAD_CLIENT: &str = "UnauthorizedException";

struct Session {
    access: String,
    id: String,
    refresh: String,
}

fn session(app: &App<'_>, user: &str, password: &str) -> Session {
    let t = app.tokens(user, password);
    Session {
        access: t["AccessToken"].as_str().unwrap().into(),
        id: t["IdToken"].as_str().unwrap().into(),
        refresh: t["RefreshToken"].as_str().unwrap().into(),
    }
}

#[test]
fn token_claims() {
    let emu = shared();
    let app = emu.public_app();
    let user = unique("claims");
    let sub = app.confirmed_user(&user, PASSWORD);
    let before = unix_now();
    let s = session(&app, &user, PASSWORD);
    let after = unix_now();
    let iss = app.issuer();

    let (ah, a, _, _) = decode_jwt(&s.access);
    let (ih, i, _, _) = decode_jwt(&s.id);
    for (name, h) in [("access", &ah), ("id", &ih)] {
        assert_eq!(h["alg"], json!("RS256"), "{name} header {h}");
        assert!(
            h["kid"].as_str().is_some_and(|k| !k.is_empty()),
            "{name} header {h}"
        );
    }

    // Access token.
    assert_eq!(a["iss"], json!(iss), "{a}");
    assert_eq!(a["token_use"], json!("access"), "{a}");
    assert_eq!(a["client_id"], json!(app.client_id), "{a}");
    assert_eq!(a["username"], json!(user), "{a}");
    assert_eq!(a["sub"], json!(sub), "{a}");
    assert_eq!(a["scope"], json!("aws.cognito.signin.user.admin"), "{a}");
    assert!(
        a.get("aud").is_none(),
        "Cognito access tokens have no aud: {a}"
    );

    // ID token.
    assert_eq!(i["iss"], json!(iss), "{i}");
    assert_eq!(i["token_use"], json!("id"), "{i}");
    assert_eq!(i["aud"], json!(app.client_id), "{i}");
    assert_eq!(i["cognito:username"], json!(user), "{i}");
    assert_eq!(i["sub"], json!(sub), "{i}");
    assert_eq!(i["email"], json!(email_of(&user)), "{i}");
    assert_eq!(
        i["email_verified"],
        json!(true),
        "confirmed via an emailed code: {i}"
    );

    for (name, c) in [("access", &a), ("id", &i)] {
        let iat = c["iat"]
            .as_u64()
            .unwrap_or_else(|| panic!("{name} iat: {c}"));
        let exp = c["exp"]
            .as_u64()
            .unwrap_or_else(|| panic!("{name} exp: {c}"));
        let auth_time = c["auth_time"]
            .as_u64()
            .unwrap_or_else(|| panic!("{name} auth_time: {c}"));
        assert_eq!(exp - iat, 3600, "{name}: exp - iat");
        assert!(
            iat + 5 >= before && iat <= after + 5,
            "{name}: iat {iat} near now [{before}, {after}]"
        );
        assert!(
            auth_time <= iat && auth_time + 5 >= before,
            "{name}: auth_time {auth_time}"
        );
        for k in ["jti", "origin_jti", "event_id"] {
            assert!(
                c[k].as_str().is_some_and(|s| !s.is_empty()),
                "{name} {k}: {c}"
            );
        }
    }
    assert_ne!(a["jti"], i["jti"], "each token has its own jti");
    assert_eq!(
        a["origin_jti"], i["origin_jti"],
        "one sign-in, one origin_jti"
    );
    assert_eq!(a["event_id"], i["event_id"], "one sign-in, one event_id");

    // A second sign-in has fresh identifiers.
    let s2 = session(&app, &user, PASSWORD);
    let (_, a2, _, _) = decode_jwt(&s2.access);
    assert_ne!(a2["jti"], a["jti"]);
    assert_ne!(a2["origin_jti"], a["origin_jti"]);
    assert_ne!(s2.refresh, s.refresh);

    // The refresh token is opaque and not the access token.
    assert_ne!(s.refresh, s.access);
}

#[test]
fn refreshed_tokens_keep_origin_jti_and_auth_time() {
    let emu = shared();
    let app = emu.public_app();
    let user = unique("origin");
    app.confirmed_user(&user, PASSWORD);
    let s = session(&app, &user, PASSWORD);
    let v = app.refresh(&s.refresh, &user).unwrap();
    let (_, a0, _, _) = decode_jwt(&s.access);
    let (_, a1, _, _) = decode_jwt(v["AuthenticationResult"]["AccessToken"].as_str().unwrap());
    let (_, i1, _, _) = decode_jwt(v["AuthenticationResult"]["IdToken"].as_str().unwrap());
    assert_eq!(
        a1["origin_jti"], a0["origin_jti"],
        "refresh keeps the session's origin_jti"
    );
    assert_eq!(a1["auth_time"], a0["auth_time"], "refresh keeps auth_time");
    assert_ne!(a1["jti"], a0["jti"]);
    assert_eq!(i1["token_use"], json!("id"));
    assert_eq!(i1["cognito:username"], json!(user));
}

#[test]
fn jwks_has_the_kid_and_signatures_verify() {
    let emu = shared();
    let app = emu.public_app();
    let user = unique("jwks");
    app.confirmed_user(&user, PASSWORD);
    let s = session(&app, &user, PASSWORD);
    let (_, a, _, _) = decode_jwt(&s.access);
    // The JWKS is at {iss}/.well-known/jwks.json.
    let iss = a["iss"].as_str().unwrap();
    let path = iss
        .strip_prefix(&emu.base)
        .expect("iss is under the emulator's base URL");
    let jwks = emu.get_json(&format!("{path}/.well-known/jwks.json"));
    assert_eq!(jwks, jwks_for(&app));
    let keys = jwks["keys"].as_array().expect("keys");
    assert!(!keys.is_empty());
    for k in keys {
        assert!(
            k.get("d").is_none() && k.get("p").is_none(),
            "no private parts in the JWKS: {k}"
        );
    }
    verify_rs256(&s.access, &jwks);
    verify_rs256(&s.id, &jwks);
    // Refreshed tokens too.
    let v = app.refresh(&s.refresh, &user).unwrap();
    verify_rs256(
        v["AuthenticationResult"]["AccessToken"].as_str().unwrap(),
        &jwks,
    );
    verify_rs256(
        v["AuthenticationResult"]["IdToken"].as_str().unwrap(),
        &jwks,
    );
}

#[test]
fn srp_tokens_verify_too() {
    let emu = shared();
    let app = emu.public_app();
    let user = unique("jwks-srp");
    let sub = app.confirmed_user(&user, PASSWORD);
    let v = crate::auth::srp_sign_in(&app, &user, PASSWORD).unwrap();
    let access = v["AuthenticationResult"]["AccessToken"].as_str().unwrap();
    let id = v["AuthenticationResult"]["IdToken"].as_str().unwrap();
    let jwks = jwks_for(&app);
    verify_rs256(access, &jwks);
    verify_rs256(id, &jwks);
    let (_, a, _, _) = decode_jwt(access);
    assert_eq!(a["sub"], json!(sub));
    assert_eq!(a["iss"], json!(app.issuer()));
}

#[test]
fn get_user_with_valid_token() {
    let emu = shared();
    let app = emu.public_app();
    let user = unique("getuser");
    let sub = app.confirmed_user(&user, PASSWORD);
    let s = session(&app, &user, PASSWORD);
    let v = app.get_user(&s.access).unwrap();
    assert_eq!(v["Username"], json!(user));
    let attrs = v["UserAttributes"].as_array().expect("UserAttributes");
    let get = |n: &str| {
        attrs
            .iter()
            .find(|a| a["Name"] == n)
            .map(|a| a["Value"].clone())
    };
    assert_eq!(get("sub"), Some(json!(sub)));
    assert_eq!(get("email"), Some(json!(email_of(&user))));
    // Missing AccessToken.
    emu.err("GetUser", json!({}), "InvalidParameterException");
}

#[test]
fn get_user_refuses_bad_tokens() {
    let emu = shared();
    let app = emu.public_app();
    let user = unique("badtok");
    app.confirmed_user(&user, PASSWORD);
    let s = session(&app, &user, PASSWORD);

    let tampered = tamper_payload(&s.access);
    assert_ne!(tampered, s.access);
    let e = app.get_user(&tampered).unwrap_err();
    assert_api_error(&e, "NotAuthorizedException", "tampered payload");

    // The ID token is not an access token (token_use).
    let e = app.get_user(&s.id).unwrap_err();
    assert_api_error(
        &e,
        "NotAuthorizedException",
        "ID token given as access token",
    );

    // The refresh token is not an access token either.
    let e = app.get_user(&s.refresh).unwrap_err();
    assert_api_error(
        &e,
        "NotAuthorizedException",
        "refresh token given as access token",
    );

    // Garbage.
    let e = app.get_user("not.a.jwt").unwrap_err();
    assert_api_error(&e, "NotAuthorizedException", "garbage token");

    // alg none with the same payload.
    let parts: Vec<&str> = s.access.split('.').collect();
    let (h, _, _, _) = decode_jwt(&s.access);
    let none_header = json!({ "alg": "none", "kid": h["kid"] }).to_string();
    let unsigned = format!(
        "{}.{}.",
        Base64UrlUnpadded::encode_string(none_header.as_bytes()),
        parts[1]
    );
    let e = app.get_user(&unsigned).unwrap_err();
    assert_api_error(&e, "NotAuthorizedException", "alg none");

    // Signature of another token pasted on.
    let other = session(&app, &user, PASSWORD);
    let other_sig = other.access.rsplit('.').next().unwrap();
    let frankenstein = format!("{}.{}.{}", parts[0], parts[1], other_sig);
    let e = app.get_user(&frankenstein).unwrap_err();
    assert_api_error(&e, "NotAuthorizedException", "signature of another token");

    // The untouched token still works.
    app.get_user(&s.access).unwrap();
}

#[test]
fn get_user_with_expired_token() {
    let emu = Emulator::start(&[]);
    let app = emu.public_app();
    let user = unique("expired");
    app.confirmed_user(&user, PASSWORD);
    let s = session(&app, &user, PASSWORD);
    app.get_user(&s.access).unwrap();
    emu.advance_clock(2 * 3600);
    let e = app.get_user(&s.access).unwrap_err();
    assert_api_error(&e, "NotAuthorizedException", "access token 2 h old");
    // The refresh token still works and gives a usable access token.
    let v = app
        .refresh(&s.refresh, &user)
        .expect("refresh after the access token expired");
    let fresh = v["AuthenticationResult"]["AccessToken"].as_str().unwrap();
    let (_, c, _, _) = decode_jwt(fresh);
    let now = emu.now();
    assert!(
        c["exp"].as_u64().unwrap() > now,
        "the new token's exp follows the emulator clock"
    );
    app.get_user(fresh).unwrap();
}

#[test]
fn global_sign_out_revokes() {
    let emu = shared();
    let app = emu.public_app();
    let user = unique("gso");
    app.confirmed_user(&user, PASSWORD);
    let s1 = session(&app, &user, PASSWORD);
    let s2 = session(&app, &user, PASSWORD);
    emu.ok("GlobalSignOut", json!({ "AccessToken": s1.access }));
    for (what, token) in [
        ("first session", &s1.access),
        ("second session", &s2.access),
    ] {
        let e = app.get_user(token).unwrap_err();
        assert_api_error(
            &e,
            "NotAuthorizedException",
            &format!("GetUser after GlobalSignOut, {what}"),
        );
    }
    for (what, rt) in [("first", &s1.refresh), ("second", &s2.refresh)] {
        let e = app.refresh(rt, &user).unwrap_err();
        assert_api_error(
            &e,
            "NotAuthorizedException",
            &format!("refresh after GlobalSignOut, {what}"),
        );
    }
    // GlobalSignOut with the revoked token fails too.
    emu.err(
        "GlobalSignOut",
        json!({ "AccessToken": s1.access }),
        "NotAuthorizedException",
    );
    // A new sign-in works.
    let s3 = session(&app, &user, PASSWORD);
    app.get_user(&s3.access).unwrap();
}

#[test]
fn global_sign_out_with_bad_token() {
    let emu = shared();
    let app = emu.public_app();
    let user = unique("gso-bad");
    app.confirmed_user(&user, PASSWORD);
    let s = session(&app, &user, PASSWORD);
    emu.err(
        "GlobalSignOut",
        json!({ "AccessToken": tamper_payload(&s.access) }),
        "NotAuthorizedException",
    );
    emu.err(
        "GlobalSignOut",
        json!({ "AccessToken": s.id }),
        "NotAuthorizedException",
    );
    app.get_user(&s.access)
        .expect("failed sign-outs revoke nothing");
}

#[test]
fn revoke_token() {
    let emu = shared();
    let app = emu.public_app();
    let user = unique("revoke");
    app.confirmed_user(&user, PASSWORD);
    let s1 = session(&app, &user, PASSWORD);
    let s2 = session(&app, &user, PASSWORD);
    // Tokens refreshed from s1 belong to the s1 session too.
    let r1 = app.refresh(&s1.refresh, &user).unwrap();
    let s1_refreshed = r1["AuthenticationResult"]["AccessToken"]
        .as_str()
        .unwrap()
        .to_string();

    let v = emu.ok("RevokeToken", app.revoke_body(&s1.refresh));
    assert!(
        v.as_object().is_some_and(|o| o.is_empty()),
        "RevokeToken answers {{}}: {v}"
    );

    let e = app.refresh(&s1.refresh, &user).unwrap_err();
    assert_api_error(
        &e,
        "NotAuthorizedException",
        "refresh with a revoked refresh token",
    );
    let e = app.get_user(&s1.access).unwrap_err();
    assert_api_error(
        &e,
        "NotAuthorizedException",
        "access token of the revoked session",
    );
    let e = app.get_user(&s1_refreshed).unwrap_err();
    assert_api_error(
        &e,
        "NotAuthorizedException",
        "refreshed access token of the revoked session",
    );

    // The other session is untouched.
    app.get_user(&s2.access)
        .expect("another session's access token");
    app.refresh(&s2.refresh, &user)
        .expect("another session's refresh token");
}

#[test]
fn revoke_token_errors() {
    let emu = shared();
    let app = emu.secret_app();
    let user = unique("revoke-s");
    app.confirmed_user(&user, PASSWORD);
    let s = session(&app, &user, PASSWORD);
    // Wrong ClientSecret. The README says NotAuthorizedException, but RevokeToken's documented
    // errors (AWS API reference) have no NotAuthorizedException: real Cognito answers
    // UnauthorizedException ("Invalid client or secret"), and so does the emulator.
    let mut body = app.revoke_body(&s.refresh);
    body["ClientSecret"] = json!("definitely-not-the-secret");
    emu.err("RevokeToken", body.clone(), REVOKE_BAD_CLIENT);
    // Missing ClientSecret.
    body.as_object_mut().unwrap().remove("ClientSecret");
    emu.err("RevokeToken", body, REVOKE_BAD_CLIENT);
    // Another client of the same pool cannot revoke this client's token.
    let pool = emu.ok("DescribeUserPool", json!({ "UserPoolId": app.pool_id }))["UserPool"].clone();
    let other = emu.app_in(&pool, json!({ "ExplicitAuthFlows": all_flows() }));
    emu.err(
        "RevokeToken",
        other.revoke_body(&s.refresh),
        REVOKE_BAD_CLIENT,
    );
    // Nothing was revoked.
    app.refresh(&s.refresh, &user)
        .expect("refresh after failed revocations");
    app.get_user(&s.access)
        .expect("access token after failed revocations");
    // Missing Token.
    emu.err(
        "RevokeToken",
        json!({ "ClientId": app.client_id, "ClientSecret": app.secret }),
        "InvalidParameterException",
    );
    // The right secret works.
    emu.ok("RevokeToken", app.revoke_body(&s.refresh));
    let e = app.refresh(&s.refresh, &user).unwrap_err();
    assert_api_error(
        &e,
        "NotAuthorizedException",
        "refresh after RevokeToken (secret client)",
    );
}

#[test]
fn tokens_of_one_pool_name_that_pool() {
    let emu = shared();
    let a = emu.public_app();
    let b = emu.public_app();
    let user = unique("twopools");
    a.confirmed_user(&user, PASSWORD);
    b.confirmed_user(&user, PASSWORD);
    let ta = session(&a, &user, PASSWORD);
    let tb = session(&b, &user, PASSWORD);
    let (_, ca, _, _) = decode_jwt(&ta.access);
    let (_, cb, _, _) = decode_jwt(&tb.access);
    assert_eq!(ca["iss"], json!(a.issuer()));
    assert_eq!(cb["iss"], json!(b.issuer()));
    assert_ne!(ca["sub"], cb["sub"], "two users, two subs");
    // Each pool's refresh token is refused by the other pool's client.
    let e = b.refresh(&ta.refresh, &user).unwrap_err();
    assert_api_error(
        &e,
        "NotAuthorizedException",
        "refresh token of another pool",
    );
}
