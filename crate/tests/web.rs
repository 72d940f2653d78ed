//! The library's Rust API in real headless Chromium: `api::Client` and `verify::Verifier` on the
//! browser's [`WebPlatform`] (fetch, WebCrypto), against our emulator and against moto_server,
//! an implementation we did not write. Run by `cargo xtask test`, which starts both servers and
//! passes their URLs at compile time (the browser sees no environment). The JS API over it is
//! tested the same way by tests/e2e/js_api.test.mjs.
#![cfg(target_arch = "wasm32")]

use cognito_wasm::api::{Client, ClientConfig, SignInResult, Tokens};
use cognito_wasm::error::{CognitoException, Error};
use cognito_wasm::platform::Platform;
use cognito_wasm::session::{SessionClient, SessionConfig, SessionError};
use cognito_wasm::verify::{ClaimValue, Claims, TokenUse, Verifier, VerifierConfig, VerifyError};
use cognito_wasm::wasm::{BrowserStorage, WebPlatform};
use serde_json::{json, Value};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The practical's pool, as `emulator/practical.json` seeds it.
const POOL: &str = "us-east-1_Practical";
const WEB_CLIENT: &str = "practicalwebclientsecret01";
const WEB_SECRET: &str = "localdemosecretnotforproductionuseanywhere000000001";
const SPA_CLIENT: &str = "practicalspaclientnosecret";
const PASSWORD: &str = "Correct-Horse-9";
/// The JS API's default time-outs: requests to Cognito, JWKS fetches.
const CLIENT_TIMEOUT_MS: u32 = 10_000;
const JWKS_TIMEOUT_MS: u32 = 3_000;

fn emulator() -> &'static str {
    // Not `env!`: the crate's other checks compile this file without the servers.
    match option_env!("COGNITO_EMULATOR_ENDPOINT") {
        Some(url) => url,
        None => panic!("COGNITO_EMULATOR_ENDPOINT unset: run these through `cargo xtask test`"),
    }
}

fn moto() -> &'static str {
    match option_env!("MOTO_ENDPOINT") {
        Some(url) => url,
        None => panic!("MOTO_ENDPOINT unset: run these through `cargo xtask test`"),
    }
}

fn ok<T>(result: Result<T, Error>) -> T {
    result.unwrap_or_else(|e| panic!("unexpected error {}: {e}", e.name()))
}

fn verified(result: Result<Claims, VerifyError>) -> Claims {
    result.unwrap_or_else(|e| panic!("unexpected error {}: {e}", e.name()))
}

/// The error (and checks that it says something).
fn err<T: std::fmt::Debug>(result: Result<T, Error>) -> Error {
    let e = result.expect_err("expected an error");
    assert!(!e.to_string().is_empty(), "{} without a message", e.name());
    e
}

/// The Cognito exception, checking it is one, with HTTP 400 and its name.
fn exception<T: std::fmt::Debug>(result: Result<T, Error>) -> CognitoException {
    match err(result) {
        Error::Cognito {
            exception, status, ..
        } => {
            assert_eq!(status, 400, "{}", exception.name());
            exception
        }
        other => panic!(
            "expected a Cognito exception, got {}: {other}",
            other.name()
        ),
    }
}

/// The verifier's refusal, by name.
fn refusal(result: Result<Claims, VerifyError>) -> &'static str {
    let e = result.expect_err("expected the token to be refused");
    assert!(!e.to_string().is_empty(), "{} without a message", e.name());
    e.name()
}

fn unique(prefix: &str) -> String {
    format!("{prefix}{}", (js_sys::Math::random() * 1e12) as u64)
}

fn config(endpoint: &str, pool: &str, client_id: &str, secret: Option<&str>) -> ClientConfig {
    ClientConfig {
        user_pool_id: pool.into(),
        client_id: client_id.into(),
        client_secret: secret.map(str::to_owned),
        endpoint: Some(endpoint.into()),
    }
}

fn client(
    endpoint: &str,
    pool: &str,
    client_id: &str,
    secret: Option<&str>,
) -> Client<WebPlatform> {
    ok(Client::new(
        config(endpoint, pool, client_id, secret),
        WebPlatform::new(CLIENT_TIMEOUT_MS),
    ))
}

fn verifier_config(
    pool: &str,
    client_id: &str,
    token_use: TokenUse,
    issuer: &str,
    jwks: Option<String>,
) -> VerifierConfig {
    VerifierConfig {
        issuer: Some(issuer.into()),
        jwks_uri: jwks,
        ..VerifierConfig::new(pool, [client_id], Some(token_use))
    }
}

fn verifier(
    pool: &str,
    client_id: &str,
    token_use: TokenUse,
    issuer: &str,
    jwks: Option<String>,
) -> Verifier<WebPlatform> {
    Verifier::new(
        verifier_config(pool, client_id, token_use, issuer, jwks),
        WebPlatform::new(JWKS_TIMEOUT_MS),
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

fn attributes(email: &str) -> Vec<(String, String)> {
    vec![("email".into(), email.into())]
}

/// The newest code of `kind` the emulator "sent" to `username`.
async fn code_from_outbox(username: &str, kind: &str) -> String {
    let url = format!("{}/_emulator/outbox?username={username}", emulator());
    let messages: Vec<Value> = serde_json::from_str(&admin_get(&url).await).expect("outbox JSON");
    messages
        .iter()
        .rev()
        .find(|m| m["kind"] == kind)
        .and_then(|m| m["code"].as_str())
        .unwrap_or_else(|| panic!("no {kind} code for {username}"))
        .to_owned()
}

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = fetch)]
    fn global_fetch(request: &web_sys::Request) -> js_sys::Promise;
}

/// `GET url` with the header the emulator wants on its own routes; the body.
async fn admin_get(url: &str) -> String {
    use wasm_bindgen::JsCast;
    let headers = web_sys::Headers::new().expect("Headers");
    headers
        .set("x-cognito-emulator-admin", "1")
        .expect("a header");
    let init = web_sys::RequestInit::new();
    init.set_headers(&headers);
    let request = web_sys::Request::new_with_str_and_init(url, &init).expect("a request");
    let response: web_sys::Response = wasm_bindgen_futures::JsFuture::from(global_fetch(&request))
        .await
        .expect("the emulator answers")
        .dyn_into()
        .expect("a Response");
    assert_eq!(response.status(), 200, "{url}");
    let text = wasm_bindgen_futures::JsFuture::from(response.text().expect("text"))
        .await
        .expect("a body");
    text.as_string().expect("text")
}

async fn sign_up_and_confirm(c: &Client<WebPlatform>, username: &str) {
    let email = format!("{username}@example.com");
    let r = ok(c.sign_up(username, PASSWORD, &attributes(&email)).await);
    assert!(!r.user_confirmed);
    assert!(!r.user_sub.is_empty());
    let delivery = r.code_delivery.expect("code delivery");
    assert_eq!(delivery.delivery_medium.as_deref(), Some("EMAIL"));
    assert_eq!(
        delivery.destination,
        Some(format!("{}***@e***", &username[..1]))
    );
    // Not yet confirmed: the right password is refused with a clear name.
    assert_eq!(
        exception(c.sign_in_password(username, PASSWORD).await),
        CognitoException::UserNotConfirmed
    );
    let code = code_from_outbox(username, "confirm_sign_up").await;
    ok(c.confirm_sign_up(username, &code).await);
}

fn tokens_of(result: SignInResult) -> Tokens {
    match result {
        SignInResult::Tokens(tokens) => {
            assert_eq!(tokens.token_type, "Bearer");
            assert_eq!(tokens.expires_in, 3600);
            tokens
        }
        SignInResult::Challenge(c) => panic!("expected tokens, got the challenge {}", c.name),
    }
}

/// The practical end to end on one app client: sign up, confirm, both sign-ins, verify both
/// tokens, refresh, get the user, sign out everywhere, and the old token refused.
async fn practical(client_id: &str, secret: Option<&str>) {
    let c = client(emulator(), POOL, client_id, secret);
    let issuer = format!("{}/{POOL}", emulator());
    let id_verifier = verifier(POOL, client_id, TokenUse::Id, &issuer, None);
    let access_verifier = verifier(POOL, client_id, TokenUse::Access, &issuer, None);
    let user = unique("student");
    sign_up_and_confirm(&c, &user).await;

    for result in [
        ok(c.sign_in_password(&user, PASSWORD).await),
        ok(c.sign_in_srp(&user, PASSWORD).await),
    ] {
        let tokens = tokens_of(result);
        assert!(tokens.refresh_token.is_some());
        let id = verified(id_verifier.verify(&tokens.id_token).await);
        assert_eq!(id.username.as_deref(), Some(user.as_str()));
        assert_eq!(id.email, Some(format!("{user}@example.com")));
        assert_eq!(id.claim("email_verified"), Some(&ClaimValue::Bool(true)));
        assert_eq!(id.client_id, client_id);
        assert_eq!(id.token_use, "id");
        assert_eq!(id.iss, issuer);
        let access = verified(access_verifier.verify(&tokens.access_token).await);
        assert_eq!(access.username.as_deref(), Some(user.as_str()));
        assert_eq!(access.client_id, client_id);
        assert_eq!(access.token_use, "access");
        assert_eq!(access.sub, id.sub);
        // Each verifier refuses the other kind of token.
        assert_eq!(
            refusal(id_verifier.verify(&tokens.access_token).await),
            "CognitoJwtInvalidTokenUseError"
        );
    }

    let tokens = tokens_of(ok(c.sign_in_srp(&user, PASSWORD).await));
    let refresh_token = tokens.refresh_token.expect("refresh token");
    let refreshed = ok(c.refresh(&refresh_token, Some(&user)).await);
    assert_eq!(refreshed.refresh_token, None);
    assert_eq!(refreshed.token_type, "Bearer");
    let access_token = refreshed.access_token;
    verified(access_verifier.verify(&access_token).await);

    let me = ok(c.get_user(&access_token).await);
    assert_eq!(me.username, user);
    assert_eq!(
        me.attribute("email"),
        Some(format!("{user}@example.com").as_str())
    );

    ok(c.global_sign_out(&access_token).await);
    assert_eq!(
        exception(c.get_user(&access_token).await),
        CognitoException::NotAuthorized
    );
    assert_eq!(
        exception(c.refresh(&refresh_token, Some(&user)).await),
        CognitoException::NotAuthorized
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

    let tokens = tokens_of(ok(c.sign_in_srp(&user, PASSWORD).await));
    let refresh_token = tokens.refresh_token.expect("refresh token");
    ok(c.revoke_token(&refresh_token).await);
    assert_eq!(
        exception(c.refresh(&refresh_token, Some(&user)).await),
        CognitoException::NotAuthorized
    );
    assert_eq!(
        exception(c.get_user(&tokens.access_token).await),
        CognitoException::NotAuthorized
    );

    let delivery = ok(c.forgot_password(&user).await);
    assert_eq!(delivery.delivery_medium.as_deref(), Some("EMAIL"));
    let code = code_from_outbox(&user, "forgot_password").await;
    assert_eq!(
        exception(
            c.confirm_forgot_password(&user, "000000", "New-Password-1")
                .await
        ),
        if code == "000000" {
            CognitoException::InvalidPassword
        } else {
            CognitoException::CodeMismatch
        }
    );
    ok(c.confirm_forgot_password(&user, &code, "New-Password-1")
        .await);
    assert_eq!(
        exception(c.sign_in_srp(&user, PASSWORD).await),
        CognitoException::NotAuthorized
    );
    let tokens = tokens_of(ok(c.sign_in_srp(&user, "New-Password-1").await));

    let access = tokens.access_token;
    assert_eq!(
        exception(
            c.change_password(&access, "wrong-Password-1", "Newer-Password-2")
                .await
        ),
        CognitoException::NotAuthorized
    );
    assert_eq!(
        exception(c.change_password(&access, "New-Password-1", "weak").await),
        CognitoException::InvalidPassword
    );
    ok(
        c.change_password(&access, "New-Password-1", "Newer-Password-2")
            .await,
    );
    tokens_of(ok(c.sign_in_password(&user, "Newer-Password-2").await));
}

#[wasm_bindgen_test]
async fn cognito_exceptions_keep_their_names() {
    let c = client(emulator(), POOL, WEB_CLIENT, Some(WEB_SECRET));
    let user = unique("errors");
    let email = attributes(&format!("{user}@example.com"));
    let weak = exception(c.sign_up(&user, "weak", &email).await);
    assert_eq!(weak, CognitoException::InvalidPassword);
    assert_eq!(weak.name(), "InvalidPasswordException");
    let e = err(c.sign_up(&user, PASSWORD, &[]).await);
    assert_eq!(e.name(), "InvalidParameterException");
    assert_eq!(e.exception(), Some(&CognitoException::InvalidParameter));
    ok(c.sign_up(&user, PASSWORD, &email).await);
    assert_eq!(
        exception(c.sign_up(&user, PASSWORD, &email).await),
        CognitoException::UsernameExists
    );
    let code = code_from_outbox(&user, "confirm_sign_up").await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    assert_eq!(
        exception(c.confirm_sign_up(&user, wrong).await),
        CognitoException::CodeMismatch
    );
    let resent = ok(c.resend_confirmation_code(&user).await);
    assert_eq!(resent.attribute_name.as_deref(), Some("email"));
    // The resend voided the first code.
    let new_code = code_from_outbox(&user, "confirm_sign_up").await;
    if new_code != code {
        assert_eq!(
            exception(c.confirm_sign_up(&user, &code).await),
            CognitoException::CodeMismatch
        );
    }
    ok(c.confirm_sign_up(&user, &new_code).await);
    assert_eq!(
        exception(c.sign_in_password(&user, "Wrong-Horse-9").await),
        CognitoException::NotAuthorized
    );
    assert_eq!(
        exception(c.sign_in_srp(&user, "Wrong-Horse-9").await),
        CognitoException::NotAuthorized
    );
    assert_eq!(
        exception(c.sign_in_srp(&unique("nobody"), PASSWORD).await),
        CognitoException::NotAuthorized
    );
    // The secret client without its secret: SECRET_HASH missing.
    let no_secret = client(emulator(), POOL, WEB_CLIENT, None);
    assert_eq!(
        exception(no_secret.sign_in_password(&user, PASSWORD).await),
        CognitoException::NotAuthorized
    );
    let unknown_client = client(emulator(), POOL, "nosuchclient0000000000000a", None);
    let e = err(unknown_client.sign_in_srp(&user, PASSWORD).await);
    assert_eq!(e.name(), "ResourceNotFoundException");
    assert!(
        matches!(
            &e,
            Error::Cognito { exception: CognitoException::ResourceNotFound, status: 400, message }
                if !message.is_empty()
        ),
        "{e:?}"
    );
}

#[wasm_bindgen_test]
async fn our_error_kinds_have_their_names() {
    // Nothing listens on port 9 (discard) here: the fetch itself fails.
    let offline = client("http://127.0.0.1:9/", POOL, SPA_CLIENT, None);
    let e = err(offline.sign_in_srp("someone", PASSWORD).await);
    assert!(matches!(e, Error::Network(_)), "{e:?}");
    assert_eq!(e.name(), "NetworkError");
    // The emulator's delay route answers after 3 s; we give up after 200 ms.
    let slow = ok(Client::new(
        config(
            &format!("{}/_emulator/delay/3000", emulator()),
            POOL,
            SPA_CLIENT,
            None,
        ),
        WebPlatform::new(200),
    ));
    let started = js_sys::Date::now();
    let e = err(slow.sign_in_password("someone", PASSWORD).await);
    assert_eq!(e, Error::Timeout);
    assert_eq!(e.name(), "TimeoutError");
    assert!(
        js_sys::Date::now() - started < 2_500.0,
        "the time-out did not cut the wait short"
    );
    // A server that answers, but not in Cognito's protocol.
    let wrong_server = client(
        &format!("{}/_emulator/outbox", emulator()),
        POOL,
        SPA_CLIENT,
        None,
    );
    let e = err(wrong_server.sign_in_password("someone", PASSWORD).await);
    assert!(matches!(e, Error::MalformedResponse(_)), "{e:?}");
    assert_eq!(e.name(), "MalformedResponseError");
    let c = client(emulator(), POOL, SPA_CLIENT, None);
    let e = err(c.sign_in_password("", PASSWORD).await);
    assert!(matches!(e, Error::InvalidInput(_)), "{e:?}");
    assert_eq!(e.name(), "InvalidInputError");
    let platform = || WebPlatform::new(CLIENT_TIMEOUT_MS);
    let bad = err(Client::new(config(emulator(), "not-a-pool", "x", None), platform()).map(drop));
    assert!(matches!(bad, Error::InvalidInput(_)), "{bad:?}");
    let no_client_id = ClientConfig {
        user_pool_id: POOL.into(),
        ..ClientConfig::default()
    };
    let bad = err(Client::new(no_client_id, platform()).map(drop));
    assert_eq!(bad.name(), "InvalidInputError");
}

#[wasm_bindgen_test]
async fn verifier_failures_have_their_names() {
    let c = client(emulator(), POOL, SPA_CLIENT, None);
    let user = unique("verify");
    sign_up_and_confirm(&c, &user).await;
    let tokens = tokens_of(ok(c.sign_in_srp(&user, PASSWORD).await));
    let id_token = tokens.id_token;
    let issuer = format!("{}/{POOL}", emulator());

    let other_client = verifier(POOL, WEB_CLIENT, TokenUse::Id, &issuer, None);
    let e = other_client.verify(&id_token).await.expect_err("refused");
    assert_eq!(e, VerifyError::InvalidClientId(SPA_CLIENT.into()));
    assert_eq!(e.name(), "CognitoJwtInvalidClientIdError");
    let other_issuer = verifier(
        POOL,
        SPA_CLIENT,
        TokenUse::Id,
        "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Practical",
        Some(format!("{issuer}/.well-known/jwks.json")),
    );
    assert_eq!(
        refusal(other_issuer.verify(&id_token).await),
        "JwtInvalidIssuerError"
    );
    let v = verifier(POOL, SPA_CLIENT, TokenUse::Id, &issuer, None);
    v.prefetch().await.unwrap_or_else(|e| panic!("{e}"));
    // Change one character of the payload: the signature no longer matches.
    let parts: Vec<&str> = id_token.split('.').collect();
    assert_eq!(parts.len(), 3);
    let mut payload = parts[1].to_owned();
    let last = payload.pop().expect("payload");
    payload.push(if last == 'A' { 'B' } else { 'A' });
    let tampered = format!("{}.{payload}.{}", parts[0], parts[2]);
    let name = refusal(v.verify(&tampered).await);
    assert!(
        name == "JwtInvalidSignatureError" || name == "JwtParseError",
        "tampered token gave {name}"
    );
    assert_eq!(refusal(v.verify("not.a.jwt").await), "JwtParseError");
    let unsigned = format!("eyJhbGciOiJub25lIn0.{}.", parts[1]);
    let e = v.verify(&unsigned).await.expect_err("refused");
    assert_eq!(e, VerifyError::InvalidAlgorithm("none".into()));
    assert_eq!(e.name(), "JwtInvalidSignatureAlgorithmError");
    // Once a verification has imported the key, verifications use the cached key: the same
    // rules, the same names.
    let claims = verified(v.verify(&id_token).await);
    assert_eq!(claims.username.as_deref(), Some(user.as_str()));
    let mut signature: Vec<char> = parts[2].chars().collect();
    let middle = signature.len() / 2;
    signature[middle] = if signature[middle] == 'A' { 'B' } else { 'A' };
    let forged = format!(
        "{}.{}.{}",
        parts[0],
        parts[1],
        signature.iter().collect::<String>()
    );
    let e = v.verify(&forged).await.expect_err("refused");
    assert_eq!(e, VerifyError::InvalidSignature);
    assert_eq!(e.name(), "JwtInvalidSignatureError");
    assert_eq!(
        refusal(other_client.verify(&id_token).await),
        "CognitoJwtInvalidClientIdError",
        "the second verification, with the key cached"
    );
    let access = verifier(POOL, SPA_CLIENT, TokenUse::Access, &issuer, None);
    let access_claims = verified(access.verify(&tokens.access_token).await);
    assert_eq!(access_claims.username.as_deref(), Some(user.as_str()));
    let e = access.verify(&id_token).await.expect_err("refused");
    assert!(
        matches!(&e, VerifyError::InvalidTokenUse { expected, actual } if expected == "access" && actual == "id"),
        "{e:?}"
    );
    assert_eq!(e.name(), "CognitoJwtInvalidTokenUseError");
    let unreachable = verifier(
        POOL,
        SPA_CLIENT,
        TokenUse::Id,
        &issuer,
        Some("http://127.0.0.1:9/jwks.json".into()),
    );
    let e = unreachable.verify(&id_token).await.expect_err("refused");
    assert!(matches!(e, VerifyError::JwksFetch(_)), "{e:?}");
    assert_eq!(e.name(), "JwksFetchError");
    let no_clients = VerifierConfig {
        client_ids: Vec::new(),
        ..verifier_config(POOL, SPA_CLIENT, TokenUse::Id, &issuer, None)
    };
    let bad = Verifier::new(no_clients, WebPlatform::new(JWKS_TIMEOUT_MS))
        .err()
        .expect("refused");
    assert!(matches!(bad, VerifyError::InvalidConfig(_)), "{bad:?}");
    assert_eq!(bad.name(), "InvalidInputError");
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
    let email = attributes(&format!("{user}@example.com"));
    let r = ok(c.sign_up(&user, PASSWORD, &email).await);
    assert!(!r.user_sub.is_empty());
    assert_eq!(
        exception(c.sign_up(&user, PASSWORD, &email).await),
        CognitoException::UsernameExists
    );
    // moto accepts any code (one of the leniencies our emulator exists for).
    ok(c.confirm_sign_up(&user, "123456").await);

    let issuer = format!("https://cognito-idp.us-east-1.amazonaws.com/{pool_id}");
    let jwks = Some(format!("{}/{pool_id}/.well-known/jwks.json", moto()));
    let id_verifier = verifier(&pool_id, &client_id, TokenUse::Id, &issuer, jwks.clone());
    let access_verifier = verifier(&pool_id, &client_id, TokenUse::Access, &issuer, jwks);
    for result in [
        ok(c.sign_in_password(&user, PASSWORD).await),
        ok(c.sign_in_srp(&user, PASSWORD).await),
    ] {
        let SignInResult::Tokens(tokens) = result else {
            panic!("expected tokens, got {result:?}");
        };
        let id = verified(id_verifier.verify(&tokens.id_token).await);
        assert_eq!(id.username.as_deref(), Some(user.as_str()));
        let access = verified(access_verifier.verify(&tokens.access_token).await);
        assert_eq!(access.client_id, client_id);
    }
    let SignInResult::Tokens(tokens) = ok(c.sign_in_password(&user, PASSWORD).await) else {
        panic!("expected tokens");
    };
    let refresh_token = tokens.refresh_token.expect("refresh token");
    let refreshed = ok(c.refresh(&refresh_token, Some(&user)).await);
    verified(access_verifier.verify(&refreshed.access_token).await);
    let me = ok(c.get_user(&refreshed.access_token).await);
    assert_eq!(me.username, user);
    assert_eq!(
        exception(c.sign_in_password(&user, "Wrong-Horse-9").await),
        CognitoException::NotAuthorized
    );
    assert_eq!(
        exception(c.sign_up(&unique("weak"), "short", &[]).await),
        CognitoException::InvalidPassword
    );
    ok(c.global_sign_out(&refreshed.access_token).await);
    assert_eq!(
        exception(c.get_user(&refreshed.access_token).await),
        CognitoException::NotAuthorized
    );
}

/// A `SessionClient` over the window's localStorage: what a Yew app keeps across reloads.
fn session_client(storage: BrowserStorage) -> SessionClient<WebPlatform> {
    let verifier = Verifier::new(
        VerifierConfig {
            issuer: Some(format!("{}/{POOL}", emulator().trim_end_matches('/'))),
            ..VerifierConfig::new(POOL, [SPA_CLIENT], None)
        },
        WebPlatform::new(JWKS_TIMEOUT_MS),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    SessionClient::new(
        client(emulator(), POOL, SPA_CLIENT, None),
        verifier,
        Box::new(storage),
        SessionConfig::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

#[wasm_bindgen_test]
async fn a_session_in_local_storage_survives_a_reload_and_signs_out() {
    let key = format!("cognito-wasm.{POOL}.{SPA_CLIENT}");
    let local = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    local.remove_item(&key).unwrap();
    let first = session_client(BrowserStorage::local().unwrap());
    let user = unique("rsession");
    sign_up_and_confirm(first.client(), &user).await;
    match first.sign_in_srp(&user, PASSWORD).await {
        Ok(SignInResult::Tokens(_)) => {}
        other => panic!("a sign-in: {other:?}"),
    }
    let session = first
        .get_session(false)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(session.id.username.as_deref(), Some(user.as_str()));
    let stored = local
        .get_item(&key)
        .unwrap()
        .expect("stored in localStorage");
    assert!(stored.contains(&session.tokens.id_token));
    assert!(!stored.contains(PASSWORD), "never a password");

    // The page reloaded: a new client over the same storage has the user, verified.
    let reloaded = session_client(BrowserStorage::local().unwrap());
    let me = reloaded
        .current_user()
        .await
        .unwrap()
        .expect("the stored user");
    assert_eq!(
        (me.username.as_str(), me.user_id.as_str()),
        (user.as_str(), session.id.sub.as_str())
    );
    let again = reloaded.get_session(false).await.unwrap();
    assert_eq!(again.tokens.id_token, session.tokens.id_token);
    // A forced refresh, verified in the browser (WebCrypto), stored.
    let fresh = reloaded.get_session(true).await.unwrap();
    assert_ne!(fresh.tokens.id_token, session.tokens.id_token);
    assert!(local
        .get_item(&key)
        .unwrap()
        .unwrap()
        .contains(&fresh.tokens.id_token));

    reloaded.sign_out(false).await.unwrap();
    assert_eq!(local.get_item(&key).unwrap(), None);
    assert!(matches!(
        reloaded.get_session(false).await,
        Err(SessionError::SignedOut)
    ));
    // sessionStorage exists too.
    BrowserStorage::session().expect("sessionStorage");
}
