//! The library in real headless Chromium, through its JS surface (`CognitoClient`,
//! `TokenVerifier`), against our emulator and against moto_server, an implementation we did
//! not write. Run by `cargo xtask test`, which starts both servers and passes their URLs at
//! compile time (the browser sees no environment).
#![cfg(target_arch = "wasm32")]

use cognito_wasm::platform::Platform;
use cognito_wasm::wasm::{JsClient, JsVerifier, WebPlatform};
use js_sys::{Promise, Reflect};
use serde_json::{json, Value};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The practical's pool, as `emulator/practical.json` seeds it.
const POOL: &str = "us-east-1_Practical";
const WEB_CLIENT: &str = "practicalwebclientsecret01";
const WEB_SECRET: &str = "localdemosecretnotforproductionuseanywhere000000001";
const SPA_CLIENT: &str = "practicalspaclientnosecret";
const PASSWORD: &str = "Correct-Horse-9";

fn emulator() -> &'static str {
    option_env!("COGNITO_EMULATOR_ENDPOINT")
        .expect("COGNITO_EMULATOR_ENDPOINT unset: run these through `cargo xtask test`")
}

fn moto() -> &'static str {
    option_env!("MOTO_ENDPOINT").expect("MOTO_ENDPOINT unset: run these through `cargo xtask test`")
}

fn obj(value: Value) -> JsValue {
    js_sys::JSON::parse(&value.to_string()).expect("valid JSON")
}

fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

fn text(value: &JsValue, key: &str) -> String {
    get(value, key)
        .as_string()
        .unwrap_or_else(|| panic!("{key} is not a string in {}", json_of(value)))
}

fn json_of(value: &JsValue) -> String {
    js_sys::JSON::stringify(value)
        .map(String::from)
        .unwrap_or_else(|_| "<unprintable>".into())
}

async fn ok(p: Promise) -> JsValue {
    match JsFuture::from(p).await {
        Ok(v) => v,
        Err(e) => panic!(
            "unexpected error {}: {}",
            text(&e, "name"),
            text(&e, "message")
        ),
    }
}

/// The rejection's `name` (and checks it is an `Error` with a message and a matching `code`).
async fn err(p: Promise) -> String {
    match JsFuture::from(p).await {
        Ok(v) => panic!("expected an error, got {}", json_of(&v)),
        Err(e) => {
            assert!(e.is_instance_of::<js_sys::Error>(), "not an Error: {e:?}");
            let name = text(&e, "name");
            assert_eq!(text(&e, "code"), name);
            assert!(!text(&e, "message").is_empty(), "{name} without a message");
            name
        }
    }
}

fn unique(prefix: &str) -> String {
    format!("{prefix}{}", (js_sys::Math::random() * 1e12) as u64)
}

fn client(endpoint: &str, pool: &str, client_id: &str, secret: Option<&str>) -> JsClient {
    let mut o = json!({ "userPoolId": pool, "clientId": client_id, "endpoint": endpoint });
    if let Some(s) = secret {
        o["clientSecret"] = json!(s);
    }
    JsClient::new(obj(o)).unwrap_or_else(|e| panic!("{}", text(&e, "message")))
}

fn verifier(
    pool: &str,
    client_id: &str,
    token_use: &str,
    issuer: &str,
    jwks: Option<String>,
) -> JsVerifier {
    let mut o = json!({ "userPoolId": pool, "clientId": client_id, "tokenUse": token_use, "issuer": issuer });
    if let Some(j) = jwks {
        o["jwksUri"] = json!(j);
    }
    JsVerifier::new(obj(o)).unwrap_or_else(|e| panic!("{}", text(&e, "message")))
}

/// The newest code of `kind` the emulator "sent" to `username`.
async fn code_from_outbox(username: &str, kind: &str) -> String {
    let url = format!("{}/_emulator/outbox?username={username}", emulator());
    let response = WebPlatform::new(5_000).get(&url).await.expect("outbox");
    let messages: Vec<Value> = serde_json::from_str(&response.body).expect("outbox JSON");
    messages
        .iter()
        .rev()
        .find(|m| m["kind"] == kind)
        .and_then(|m| m["code"].as_str())
        .unwrap_or_else(|| panic!("no {kind} code for {username}"))
        .to_owned()
}

async fn sign_up_and_confirm(c: &JsClient, username: &str) {
    let email = format!("{username}@example.com");
    let r = ok(c.sign_up(
        username.into(),
        PASSWORD.into(),
        obj(json!({ "email": email })),
    ))
    .await;
    assert_eq!(get(&r, "userConfirmed"), JsValue::FALSE);
    assert!(!text(&r, "userSub").is_empty());
    let delivery = get(&r, "codeDelivery");
    assert_eq!(text(&delivery, "deliveryMedium"), "EMAIL");
    assert_eq!(
        text(&delivery, "destination"),
        format!("{}***@e***", &username[..1])
    );
    // Not yet confirmed: the right password is refused with a clear name.
    assert_eq!(
        err(c.sign_in_password(username.into(), PASSWORD.into())).await,
        "UserNotConfirmedException"
    );
    let code = code_from_outbox(username, "confirm_sign_up").await;
    ok(c.confirm_sign_up(username.into(), code)).await;
}

fn tokens_of(result: &JsValue) -> JsValue {
    assert_eq!(text(result, "kind"), "tokens", "{}", json_of(result));
    let tokens = get(result, "tokens");
    assert_eq!(text(&tokens, "tokenType"), "Bearer");
    assert_eq!(get(&tokens, "expiresIn").as_f64(), Some(3600.0));
    tokens
}

/// The practical end to end on one app client: sign up, confirm, both sign-ins, verify both
/// tokens, refresh, get the user, sign out everywhere, and the old token refused.
async fn practical(client_id: &str, secret: Option<&str>) {
    let c = client(emulator(), POOL, client_id, secret);
    let issuer = format!("{}/{POOL}", emulator());
    let id_verifier = verifier(POOL, client_id, "id", &issuer, None);
    let access_verifier = verifier(POOL, client_id, "access", &issuer, None);
    let user = unique("student");
    sign_up_and_confirm(&c, &user).await;

    for result in [
        ok(c.sign_in_password(user.clone(), PASSWORD.into())).await,
        ok(c.sign_in_srp(user.clone(), PASSWORD.into())).await,
    ] {
        let tokens = tokens_of(&result);
        let id = ok(id_verifier.verify(text(&tokens, "idToken"))).await;
        assert_eq!(text(&id, "cognito:username"), user);
        assert_eq!(text(&id, "email"), format!("{user}@example.com"));
        assert_eq!(get(&id, "email_verified"), JsValue::TRUE);
        assert_eq!(text(&id, "aud"), client_id);
        assert_eq!(text(&id, "token_use"), "id");
        let access = ok(access_verifier.verify(text(&tokens, "accessToken"))).await;
        assert_eq!(text(&access, "username"), user);
        assert_eq!(text(&access, "client_id"), client_id);
        // Each verifier refuses the other kind of token.
        assert_eq!(
            err(id_verifier.verify(text(&tokens, "accessToken"))).await,
            "CognitoJwtInvalidTokenUseError"
        );
    }

    let tokens = tokens_of(&ok(c.sign_in_srp(user.clone(), PASSWORD.into())).await);
    let refresh_token = text(&tokens, "refreshToken");
    let refreshed = ok(c.refresh(refresh_token.clone(), Some(user.clone()))).await;
    assert!(get(&refreshed, "refreshToken").is_undefined());
    let access_token = text(&refreshed, "accessToken");
    ok(access_verifier.verify(access_token.clone())).await;

    let me = ok(c.get_user(access_token.clone())).await;
    assert_eq!(text(&me, "username"), user);
    assert_eq!(
        text(&get(&me, "attributes"), "email"),
        format!("{user}@example.com")
    );

    ok(c.global_sign_out(access_token.clone())).await;
    assert_eq!(
        err(c.get_user(access_token)).await,
        "NotAuthorizedException"
    );
    assert_eq!(
        err(c.refresh(refresh_token, Some(user))).await,
        "NotAuthorizedException"
    );
}

#[wasm_bindgen_test]
async fn practical_with_a_client_secret() {
    practical(WEB_CLIENT, Some(WEB_SECRET)).await;
}

#[wasm_bindgen_test]
async fn practical_without_a_client_secret() {
    practical(SPA_CLIENT, None).await;
}

#[wasm_bindgen_test]
async fn revoke_forgot_and_change_password() {
    let c = client(emulator(), POOL, WEB_CLIENT, Some(WEB_SECRET));
    let user = unique("reset");
    sign_up_and_confirm(&c, &user).await;

    let tokens = tokens_of(&ok(c.sign_in_srp(user.clone(), PASSWORD.into())).await);
    ok(c.revoke_token(text(&tokens, "refreshToken"))).await;
    assert_eq!(
        err(c.refresh(text(&tokens, "refreshToken"), Some(user.clone()))).await,
        "NotAuthorizedException"
    );
    assert_eq!(
        err(c.get_user(text(&tokens, "accessToken"))).await,
        "NotAuthorizedException"
    );

    let delivery = ok(c.forgot_password(user.clone())).await;
    assert_eq!(text(&delivery, "deliveryMedium"), "EMAIL");
    let code = code_from_outbox(&user, "forgot_password").await;
    assert_eq!(
        err(c.confirm_forgot_password(user.clone(), "000000".into(), "New-Password-1".into()))
            .await,
        if code == "000000" {
            "InvalidPasswordException"
        } else {
            "CodeMismatchException"
        }
    );
    ok(c.confirm_forgot_password(user.clone(), code, "New-Password-1".into())).await;
    assert_eq!(
        err(c.sign_in_srp(user.clone(), PASSWORD.into())).await,
        "NotAuthorizedException"
    );
    let tokens = tokens_of(&ok(c.sign_in_srp(user.clone(), "New-Password-1".into())).await);

    let access = text(&tokens, "accessToken");
    assert_eq!(
        err(c.change_password(
            access.clone(),
            "wrong-Password-1".into(),
            "Newer-Password-2".into()
        ))
        .await,
        "NotAuthorizedException"
    );
    assert_eq!(
        err(c.change_password(access.clone(), "New-Password-1".into(), "weak".into())).await,
        "InvalidPasswordException"
    );
    ok(c.change_password(access, "New-Password-1".into(), "Newer-Password-2".into())).await;
    tokens_of(&ok(c.sign_in_password(user, "Newer-Password-2".into())).await);
}

#[wasm_bindgen_test]
async fn cognito_exceptions_keep_their_names() {
    let c = client(emulator(), POOL, WEB_CLIENT, Some(WEB_SECRET));
    let user = unique("errors");
    let email = obj(json!({ "email": format!("{user}@example.com") }));
    assert_eq!(
        err(c.sign_up(user.clone(), "weak".into(), email.clone())).await,
        "InvalidPasswordException"
    );
    assert_eq!(
        err(c.sign_up(user.clone(), PASSWORD.into(), obj(json!({})))).await,
        "InvalidParameterException"
    );
    ok(c.sign_up(user.clone(), PASSWORD.into(), email.clone())).await;
    assert_eq!(
        err(c.sign_up(user.clone(), PASSWORD.into(), email)).await,
        "UsernameExistsException"
    );
    let code = code_from_outbox(&user, "confirm_sign_up").await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    assert_eq!(
        err(c.confirm_sign_up(user.clone(), wrong.into())).await,
        "CodeMismatchException"
    );
    let resent = ok(c.resend_confirmation_code(user.clone())).await;
    assert_eq!(text(&resent, "attributeName"), "email");
    // The resend voided the first code.
    let new_code = code_from_outbox(&user, "confirm_sign_up").await;
    if new_code != code {
        assert_eq!(
            err(c.confirm_sign_up(user.clone(), code)).await,
            "CodeMismatchException"
        );
    }
    ok(c.confirm_sign_up(user.clone(), new_code)).await;
    assert_eq!(
        err(c.sign_in_password(user.clone(), "Wrong-Horse-9".into())).await,
        "NotAuthorizedException"
    );
    assert_eq!(
        err(c.sign_in_srp(user.clone(), "Wrong-Horse-9".into())).await,
        "NotAuthorizedException"
    );
    assert_eq!(
        err(c.sign_in_srp(unique("nobody"), PASSWORD.into())).await,
        "NotAuthorizedException"
    );
    // The secret client without its secret: SECRET_HASH missing.
    let no_secret = client(emulator(), POOL, WEB_CLIENT, None);
    assert_eq!(
        err(no_secret.sign_in_password(user.clone(), PASSWORD.into())).await,
        "NotAuthorizedException"
    );
    let unknown_client = client(emulator(), POOL, "nosuchclient0000000000000a", None);
    assert_eq!(
        err(unknown_client.sign_in_srp(user, PASSWORD.into())).await,
        "ResourceNotFoundException"
    );
}

#[wasm_bindgen_test]
async fn our_error_kinds_have_their_names() {
    // Nothing listens on port 9 (discard) here: the fetch itself fails.
    let offline = client("http://127.0.0.1:9/", POOL, SPA_CLIENT, None);
    assert_eq!(
        err(offline.sign_in_srp("someone".into(), PASSWORD.into())).await,
        "NetworkError"
    );
    // The emulator's delay route answers after 3 s; we give up after 200 ms.
    let slow = JsClient::new(obj(json!({
        "userPoolId": POOL, "clientId": SPA_CLIENT, "timeoutMs": 200,
        "endpoint": format!("{}/_emulator/delay/3000", emulator()),
    })))
    .unwrap();
    assert_eq!(
        err(slow.sign_in_password("someone".into(), PASSWORD.into())).await,
        "TimeoutError"
    );
    // A server that answers, but not in Cognito's protocol.
    let wrong_server = client(
        &format!("{}/_emulator/outbox", emulator()),
        POOL,
        SPA_CLIENT,
        None,
    );
    assert_eq!(
        err(wrong_server.sign_in_password("someone".into(), PASSWORD.into())).await,
        "MalformedResponseError"
    );
    let c = client(emulator(), POOL, SPA_CLIENT, None);
    assert_eq!(
        err(c.sign_in_password(String::new(), PASSWORD.into())).await,
        "InvalidInputError"
    );
    let bad = JsClient::new(obj(json!({ "userPoolId": "not-a-pool", "clientId": "x" })));
    assert_eq!(
        text(&bad.err().expect("refused"), "name"),
        "InvalidInputError"
    );
    let bad = JsClient::new(obj(json!({ "userPoolId": POOL })));
    assert_eq!(
        text(&bad.err().expect("refused"), "name"),
        "InvalidInputError"
    );
}

#[wasm_bindgen_test]
async fn verifier_failures_have_their_names() {
    let c = client(emulator(), POOL, SPA_CLIENT, None);
    let user = unique("verify");
    sign_up_and_confirm(&c, &user).await;
    let tokens = tokens_of(&ok(c.sign_in_srp(user.clone(), PASSWORD.into())).await);
    let id_token = text(&tokens, "idToken");
    let issuer = format!("{}/{POOL}", emulator());

    let other_client = verifier(POOL, WEB_CLIENT, "id", &issuer, None);
    assert_eq!(
        err(other_client.verify(id_token.clone())).await,
        "CognitoJwtInvalidClientIdError"
    );
    let other_issuer = verifier(
        POOL,
        SPA_CLIENT,
        "id",
        "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Practical",
        Some(format!("{issuer}/.well-known/jwks.json")),
    );
    assert_eq!(
        err(other_issuer.verify(id_token.clone())).await,
        "JwtInvalidIssuerError"
    );
    let v = verifier(POOL, SPA_CLIENT, "id", &issuer, None);
    ok(v.prefetch()).await;
    // Change one character of the payload: the signature no longer matches.
    let parts: Vec<&str> = id_token.split('.').collect();
    let mut payload = parts[1].to_owned();
    let last = payload.pop().expect("payload");
    payload.push(if last == 'A' { 'B' } else { 'A' });
    let tampered = format!("{}.{payload}.{}", parts[0], parts[2]);
    let name = err(v.verify(tampered)).await;
    assert!(
        name == "JwtInvalidSignatureError" || name == "JwtParseError",
        "tampered token gave {name}"
    );
    assert_eq!(err(v.verify("not.a.jwt".into())).await, "JwtParseError");
    let unsigned = format!("eyJhbGciOiJub25lIn0.{}.", parts[1]);
    assert_eq!(
        err(v.verify(unsigned)).await,
        "JwtInvalidSignatureAlgorithmError"
    );
    // Once a verification has imported the key, verifications take the cached path
    // (bindings.rs, `cached`): the same rules, the same names.
    let claims = ok(v.verify(id_token.clone())).await;
    assert_eq!(text(&claims, "cognito:username"), user);
    let mut signature: Vec<char> = parts[2].chars().collect();
    let middle = signature.len() / 2;
    signature[middle] = if signature[middle] == 'A' { 'B' } else { 'A' };
    let forged = format!(
        "{}.{}.{}",
        parts[0],
        parts[1],
        signature.iter().collect::<String>()
    );
    assert_eq!(err(v.verify(forged)).await, "JwtInvalidSignatureError");
    assert_eq!(
        err(other_client.verify(id_token.clone())).await,
        "CognitoJwtInvalidClientIdError",
        "the second verification, with the key cached"
    );
    let access = verifier(POOL, SPA_CLIENT, "access", &issuer, None);
    ok(access.verify(text(&tokens, "accessToken"))).await;
    assert_eq!(
        err(access.verify(id_token.clone())).await,
        "CognitoJwtInvalidTokenUseError"
    );
    let unreachable = verifier(
        POOL,
        SPA_CLIENT,
        "id",
        &issuer,
        Some("http://127.0.0.1:9/jwks.json".into()),
    );
    assert_eq!(err(unreachable.verify(id_token)).await, "JwksFetchError");
    let bad = JsVerifier::new(obj(
        json!({ "userPoolId": POOL, "clientId": [], "tokenUse": "id" }),
    ));
    assert_eq!(
        text(&bad.err().expect("refused"), "name"),
        "InvalidInputError"
    );
}

/// moto's admin API, unauthenticated, from the page.
async fn moto_admin(operation: &str, body: Value) -> Value {
    let response = WebPlatform::new(10_000)
        .post_json(
            &format!("{}/", moto()),
            &format!("AWSCognitoIdentityProviderService.{operation}"),
            body.to_string(),
        )
        .await
        .expect("moto answers");
    assert_eq!(response.status, 200, "{operation}: {}", response.body);
    serde_json::from_str(&response.body).expect("moto JSON")
}

/// The same happy path and error names against moto_server: its iss says amazonaws.com while
/// its JWKS is served locally, which is what the verifier's overrides are for.
#[wasm_bindgen_test]
async fn practical_against_moto() {
    let pool = moto_admin(
        "CreateUserPool",
        json!({ "PoolName": unique("practical"), "AutoVerifiedAttributes": ["email"] }),
    )
    .await;
    let pool_id = pool["UserPool"]["Id"].as_str().expect("pool id").to_owned();
    let created = moto_admin(
        "CreateUserPoolClient",
        json!({
            "UserPoolId": pool_id, "ClientName": "web", "GenerateSecret": true,
            "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        }),
    )
    .await;
    let client_id = created["UserPoolClient"]["ClientId"]
        .as_str()
        .expect("client id")
        .to_owned();
    let secret = created["UserPoolClient"]["ClientSecret"]
        .as_str()
        .map(str::to_owned);

    let c = client(moto(), &pool_id, &client_id, secret.as_deref());
    let user = unique("moto");
    let email = obj(json!({ "email": format!("{user}@example.com") }));
    let r = ok(c.sign_up(user.clone(), PASSWORD.into(), email.clone())).await;
    assert!(!text(&r, "userSub").is_empty());
    assert_eq!(
        err(c.sign_up(user.clone(), PASSWORD.into(), email)).await,
        "UsernameExistsException"
    );
    // moto accepts any code (one of the leniencies our emulator exists for).
    ok(c.confirm_sign_up(user.clone(), "123456".into())).await;

    let issuer = format!("https://cognito-idp.us-east-1.amazonaws.com/{pool_id}");
    let jwks = Some(format!("{}/{pool_id}/.well-known/jwks.json", moto()));
    let id_verifier = verifier(&pool_id, &client_id, "id", &issuer, jwks.clone());
    let access_verifier = verifier(&pool_id, &client_id, "access", &issuer, jwks);
    for result in [
        ok(c.sign_in_password(user.clone(), PASSWORD.into())).await,
        ok(c.sign_in_srp(user.clone(), PASSWORD.into())).await,
    ] {
        assert_eq!(text(&result, "kind"), "tokens", "{}", json_of(&result));
        let tokens = get(&result, "tokens");
        let id = ok(id_verifier.verify(text(&tokens, "idToken"))).await;
        assert_eq!(text(&id, "cognito:username"), user);
        let access = ok(access_verifier.verify(text(&tokens, "accessToken"))).await;
        assert_eq!(text(&access, "client_id"), client_id);
    }
    let tokens = get(
        &ok(c.sign_in_password(user.clone(), PASSWORD.into())).await,
        "tokens",
    );
    let refreshed = ok(c.refresh(text(&tokens, "refreshToken"), Some(user.clone()))).await;
    ok(access_verifier.verify(text(&refreshed, "accessToken"))).await;
    let me = ok(c.get_user(text(&refreshed, "accessToken"))).await;
    assert_eq!(text(&me, "username"), user);
    assert_eq!(
        err(c.sign_in_password(user.clone(), "Wrong-Horse-9".into())).await,
        "NotAuthorizedException"
    );
    assert_eq!(
        err(c.sign_up(unique("weak"), "short".into(), obj(json!({})))).await,
        "InvalidPasswordException"
    );
    ok(c.global_sign_out(text(&refreshed, "accessToken"))).await;
    assert_eq!(
        err(c.get_user(text(&refreshed, "accessToken"))).await,
        "NotAuthorizedException"
    );
}
