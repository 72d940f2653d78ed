//! The verifier's rules, one test each, natively: tokens signed here with real RSA keys, a
//! JWKS served from memory by a [`TestPlatform`] that counts fetches and has a settable clock.
//!
//! Test code only: `verify/mod.rs` includes this module under `#[cfg(test)]`. The rules on
//! which keys and URLs are trusted are in `key_rules.rs`, with these helpers.

use std::cell::{Cell, RefCell};
use std::pin::pin;
use std::sync::OnceLock;

use base64ct::{Base64UrlUnpadded, Encoding};
use futures::executor::block_on;
use futures::future::join_all;
use futures::FutureExt;
use rand_core::OsRng;
use rsa::pkcs1v15::{Signature, SigningKey, VerifyingKey};
use rsa::signature::{SignatureEncoding, Signer, Verifier as _};
use rsa::traits::PublicKeyParts;
use rsa::{BigUint, RsaPrivateKey, RsaPublicKey};
use sha2::Sha256;

use super::*;
// The tests build tokens and key sets with serde_json, independently of the code under test.
use crate::error::Error;
use crate::platform::HttpResponse;
use serde_json::{json, Map, Value};
use std::str::FromStr;

const POOL: &str = "us-east-1_AbC123xyz";
const ISSUER: &str = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123xyz";
const JWKS_URI: &str =
    "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123xyz/.well-known/jwks.json";
const CLIENT: &str = "4tq8a9c1h2e3f4g5h6i7j8k9l0";
const FOREIGN_CLIENT: &str = "7foreign0client0of0the0pool";
const KID: &str = "kid-1";
/// The clock's start, and the tokens' `iat` and `auth_time`.
const NOW: i64 = 1_700_000_000;

// ---------------------------------------------------------------------------------------------
// Keys, JWKs and tokens

struct Keys {
    /// Publishes as `KID`; signs every valid token.
    main: RsaPrivateKey,
    /// Another 2048-bit key: a forger's, or the one a rotation brings in.
    other: RsaPrivateKey,
    /// Too short to be accepted.
    short: RsaPrivateKey,
}

/// Generated once per test binary: RSA key generation is the slow part of these tests.
fn keys() -> &'static Keys {
    static KEYS: OnceLock<Keys> = OnceLock::new();
    KEYS.get_or_init(|| {
        let generate = |bits| RsaPrivateKey::new(&mut OsRng, bits).expect("RSA key generation");
        Keys {
            main: generate(2048),
            other: generate(2048),
            short: generate(1024),
        }
    })
}

fn b64(bytes: &[u8]) -> String {
    Base64UrlUnpadded::encode_string(bytes)
}

/// The JWK Cognito publishes for `key`.
fn jwk(kid: &str, key: &RsaPrivateKey) -> Value {
    json!({
        "alg": "RS256",
        "e": b64(&key.e().to_bytes_be()),
        "kid": kid,
        "kty": "RSA",
        "n": b64(&key.n().to_bytes_be()),
        "use": "sig",
    })
}

/// `jwk(KID, main)` with `member` set (or removed, for `Value::Null`).
fn main_jwk_with(member: &str, value: Value) -> Value {
    let mut jwk = jwk(KID, &keys().main);
    if value.is_null() {
        jwk.as_object_mut().unwrap().remove(member);
    } else {
        jwk[member] = value;
    }
    jwk
}

fn jwks(keys: &[Value]) -> Value {
    json!({ "keys": keys })
}

/// `header.claims.signature` from raw header and claims bytes, signed RS256 with `key`.
fn encode_signed(header: &[u8], claims: &[u8], key: &RsaPrivateKey) -> String {
    let input = format!("{}.{}", b64(header), b64(claims));
    let signature = SigningKey::<Sha256>::new(key.clone()).sign(input.as_bytes());
    format!("{input}.{}", b64(&signature.to_bytes()))
}

/// A token under construction: a Cognito-shaped one, then one change per test.
#[derive(Clone)]
struct Jwt {
    header: Map<String, Value>,
    claims: Map<String, Value>,
}

impl Jwt {
    fn new(claims: Value) -> Jwt {
        let header = json!({ "kid": KID, "alg": "RS256" });
        Jwt {
            header: header.as_object().unwrap().clone(),
            claims: claims.as_object().unwrap().clone(),
        }
    }

    /// An ID token of `CLIENT` for alice, as Cognito issues it.
    fn id() -> Jwt {
        Jwt::new(json!({
            "sub": "a1b2c3d4-0000-4000-8000-00000000a11c",
            "cognito:groups": ["editors", "admins"],
            "email_verified": true,
            "iss": ISSUER,
            "cognito:username": "alice",
            "origin_jti": "0b5e7a4c-1111-4111-8111-111111111111",
            "aud": CLIENT,
            "event_id": "9c3d2e1f-2222-4222-8222-222222222222",
            "token_use": "id",
            "auth_time": NOW,
            "exp": NOW + 3600,
            "iat": NOW,
            "jti": "5f6e7d8c-3333-4333-8333-333333333333",
            "email": "alice@example.com",
        }))
    }

    /// An access token of `CLIENT` for alice, as Cognito issues it.
    fn access() -> Jwt {
        Jwt::new(json!({
            "sub": "a1b2c3d4-0000-4000-8000-00000000a11c",
            "cognito:groups": ["editors", "admins"],
            "iss": ISSUER,
            "client_id": CLIENT,
            "origin_jti": "0b5e7a4c-1111-4111-8111-111111111111",
            "event_id": "9c3d2e1f-2222-4222-8222-222222222222",
            "token_use": "access",
            "scope": "aws.cognito.signin.user.admin",
            "auth_time": NOW,
            "exp": NOW + 3600,
            "iat": NOW,
            "jti": "6a7b8c9d-4444-4444-8444-444444444444",
            "username": "alice",
        }))
    }

    fn claim(mut self, name: &str, value: impl Into<Value>) -> Jwt {
        self.claims.insert(name.to_owned(), value.into());
        self
    }

    fn without_claim(mut self, name: &str) -> Jwt {
        self.claims.remove(name);
        self
    }

    fn header(mut self, name: &str, value: impl Into<Value>) -> Jwt {
        self.header.insert(name.to_owned(), value.into());
        self
    }

    fn without_header(mut self, name: &str) -> Jwt {
        self.header.remove(name);
        self
    }

    fn header_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(&self.header).unwrap()
    }

    fn claims_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(&self.claims).unwrap()
    }

    /// Signed with the published key.
    fn sign(&self) -> String {
        self.sign_with(&keys().main)
    }

    fn sign_with(&self, key: &RsaPrivateKey) -> String {
        encode_signed(&self.header_bytes(), &self.claims_bytes(), key)
    }
}

/// `token` with its part `index` (0 header, 1 claims, 2 signature) replaced.
fn replace_part(token: &str, index: usize, part: &str) -> String {
    let mut parts: Vec<&str> = token.split('.').collect();
    parts[index] = part;
    parts.join(".")
}

// ---------------------------------------------------------------------------------------------
// The platform

/// What the JWKS endpoint does instead of serving the key set.
#[derive(Debug, Clone, Copy)]
enum Fault {
    Status(u16),
    InvalidJson,
    Timeout,
}

/// Serves a JWKS from memory (each answer Pending on its first poll, as a real fetch is),
/// records every fetch, keeps a settable clock and verifies RS256 with the `rsa` crate.
struct TestPlatform {
    jwks: RefCell<Value>,
    fault: Cell<Option<Fault>>,
    fetched: RefCell<Vec<String>>,
    imports: Cell<usize>,
    /// Signatures handed to the platform to check.
    verifies: Cell<usize>,
    clock: Cell<f64>,
}

impl TestPlatform {
    fn serving(jwks: Value) -> TestPlatform {
        TestPlatform {
            jwks: RefCell::new(jwks),
            fault: Cell::new(None),
            fetched: RefCell::new(Vec::new()),
            imports: Cell::new(0),
            verifies: Cell::new(0),
            clock: Cell::new(NOW as f64),
        }
    }

    /// How many times the JWKS was requested.
    fn fetches(&self) -> usize {
        self.fetched.borrow().len()
    }

    fn advance(&self, seconds: f64) {
        self.clock.set(self.clock.get() + seconds);
    }

    fn serve(&self, jwks: Value) {
        *self.jwks.borrow_mut() = jwks;
    }

    fn fail(&self, fault: Option<Fault>) {
        self.fault.set(fault);
    }
}

/// Pending on its first poll (waking its task at once), ready on the second.
#[derive(Default)]
struct YieldOnce(bool);

impl Future for YieldOnce {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            Poll::Ready(())
        } else {
            self.0 = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

impl Platform for TestPlatform {
    type Key = VerifyingKey<Sha256>;

    async fn post_json(&self, _: &str, _: &str, _: String) -> Result<HttpResponse, Error> {
        Err(Error::Network("the verifier never posts".into()))
    }

    async fn get(&self, url: &str) -> Result<HttpResponse, Error> {
        self.fetched.borrow_mut().push(url.to_owned());
        YieldOnce::default().await;
        let (status, body) = match self.fault.get() {
            None => (200, self.jwks.borrow().to_string()),
            Some(Fault::Status(status)) => (status, "{}".to_owned()),
            Some(Fault::InvalidJson) => (200, "<html>not a key set</html>".to_owned()),
            Some(Fault::Timeout) => return Err(Error::Timeout),
        };
        Ok(HttpResponse {
            status,
            body,
            error_type: None,
        })
    }

    fn now(&self) -> f64 {
        self.clock.get()
    }

    async fn import_rsa_key(&self, modulus: &[u8], exponent: &[u8]) -> Result<Self::Key, String> {
        self.imports.set(self.imports.get() + 1);
        RsaPublicKey::new(
            BigUint::from_bytes_be(modulus),
            BigUint::from_bytes_be(exponent),
        )
        .map(VerifyingKey::new)
        .map_err(|e| e.to_string())
    }

    async fn verify_rs256(
        &self,
        key: &Self::Key,
        message: &[u8],
        signature: &[u8],
    ) -> Result<bool, String> {
        self.verifies.set(self.verifies.get() + 1);
        let Ok(signature) = Signature::try_from(signature) else {
            return Ok(false);
        };
        Ok(key.verify(message, &signature).is_ok())
    }
}

// ---------------------------------------------------------------------------------------------
// Verifiers and assertions

/// Accepts both kinds of token of `CLIENT` in `POOL`, with no grace and no groups.
fn config() -> VerifierConfig {
    VerifierConfig::new(POOL, [CLIENT], None)
}

fn only(token_use: TokenUse) -> VerifierConfig {
    VerifierConfig {
        token_use: Some(token_use),
        ..config()
    }
}

fn with_grace(grace_seconds: u64) -> VerifierConfig {
    VerifierConfig {
        grace_seconds,
        ..config()
    }
}

/// A verifier whose JWKS holds `keys`.
fn verifier_serving(config: VerifierConfig, keys: &[Value]) -> Verifier<TestPlatform> {
    Verifier::new(config, TestPlatform::serving(jwks(keys))).expect("valid configuration")
}

/// A verifier whose JWKS holds the main key as `KID`.
fn verifier(config: VerifierConfig) -> Verifier<TestPlatform> {
    verifier_serving(config, &[jwk(KID, &keys().main)])
}

/// A verifier that fetched the JWKS at `NOW` and whose refetch pause has just ended.
fn warmed_up() -> Verifier<TestPlatform> {
    let v = verifier(config());
    accepted(&v, &Jwt::id().sign());
    v.platform().advance(JWKS_REFETCH_SECONDS);
    v
}

fn check(v: &Verifier<TestPlatform>, token: &str) -> Result<Claims, VerifyError> {
    block_on(v.verify(token))
}

#[track_caller]
fn accepted(v: &Verifier<TestPlatform>, token: &str) -> Claims {
    check(v, token).unwrap_or_else(|e| panic!("refused ({}): {e}", e.name()))
}

/// The error `token` is refused with, after checking that JS sees it as `name`.
#[track_caller]
fn refusal(v: &Verifier<TestPlatform>, token: &str, name: &str) -> VerifyError {
    match check(v, token) {
        Ok(claims) => panic!("accepted, expected {name}: {claims:?}"),
        Err(e) => {
            assert_eq!(e.name(), name, "{e:?}");
            e
        }
    }
}

/// Checks `token` against a fresh verifier with `config` and the usual JWKS.
#[track_caller]
fn refused_by(config: VerifierConfig, token: &str, name: &str) -> VerifyError {
    refusal(&verifier(config), token, name)
}

fn config_error(config: VerifierConfig) -> VerifyError {
    match Verifier::new(config, TestPlatform::serving(jwks(&[]))) {
        Ok(_) => panic!("configuration accepted"),
        Err(e) => e,
    }
}

// ---------------------------------------------------------------------------------------------
// Configuration

#[test]
fn new_rejects_an_empty_client_id_list() {
    for client_ids in [
        vec![],
        vec![String::new()],
        vec![CLIENT.into(), String::new()],
    ] {
        let e = config_error(VerifierConfig {
            client_ids: client_ids.clone(),
            ..config()
        });
        assert!(matches!(e, VerifyError::InvalidConfig(_)), "{client_ids:?}");
        assert_eq!(e.name(), "InvalidInputError");
    }
}

#[test]
fn new_rejects_a_malformed_pool_id() {
    for pool in [
        "",
        "us-east-1",
        "us-east-1_",
        "_AbC123xyz",
        "US-EAST-1_AbC",
        "us-east-1_a/b",
    ] {
        let e = config_error(VerifierConfig {
            user_pool_id: pool.into(),
            ..config()
        });
        assert!(matches!(e, VerifyError::InvalidConfig(_)), "{pool:?}");
        assert_eq!(e.name(), "InvalidInputError");
    }
}

#[test]
fn issuer_and_jwks_uri_default_to_the_pools() {
    let v = verifier(config());
    assert_eq!(v.issuer(), ISSUER);
    assert_eq!(v.jwks_uri(), JWKS_URI);
    accepted(&v, &Jwt::id().sign());
    assert_eq!(*v.platform().fetched.borrow(), [JWKS_URI]);
}

#[test]
fn issuer_override_gives_the_issuer_and_the_jwks_uri() {
    let issuer = "http://localhost:9229/us-east-1_AbC123xyz";
    let v = verifier(VerifierConfig {
        issuer: Some(format!("{issuer}/")),
        ..config()
    });
    assert_eq!(v.issuer(), format!("{issuer}/"));
    assert_eq!(v.jwks_uri(), format!("{issuer}/.well-known/jwks.json"));
    accepted(&v, &Jwt::id().claim("iss", format!("{issuer}/")).sign());
    assert_eq!(
        *v.platform().fetched.borrow(),
        [format!("{issuer}/.well-known/jwks.json")]
    );
}

#[test]
fn jwks_uri_override_is_fetched() {
    let uri = "http://127.0.0.1:5000/us-east-1_AbC123xyz/.well-known/jwks.json";
    let v = verifier(VerifierConfig {
        jwks_uri: Some(uri.into()),
        ..config()
    });
    assert_eq!(v.issuer(), ISSUER);
    assert_eq!(v.jwks_uri(), uri);
    accepted(&v, &Jwt::id().sign());
    assert_eq!(*v.platform().fetched.borrow(), [uri]);
}

// ---------------------------------------------------------------------------------------------
// Valid tokens

#[test]
fn a_valid_id_token_gives_its_claims() {
    let token = Jwt::id();
    let claims = accepted(&verifier(only(TokenUse::Id)), &token.sign());
    assert_eq!(
        claims,
        Claims {
            sub: "a1b2c3d4-0000-4000-8000-00000000a11c".into(),
            iss: ISSUER.into(),
            token_use: "id".into(),
            exp: NOW + 3600,
            iat: Some(NOW),
            auth_time: Some(NOW),
            client_id: CLIENT.into(),
            username: Some("alice".into()),
            groups: vec!["editors".into(), "admins".into()],
            email: Some("alice@example.com".into()),
            json: String::from_utf8(token.claims_bytes()).unwrap(),
            all: claim_value::members_of(
                &crate::json::parse_object(&String::from_utf8(token.claims_bytes()).unwrap())
                    .unwrap(),
            ),
        }
    );
}

#[test]
fn a_valid_access_token_gives_its_claims() {
    let token = Jwt::access();
    let claims = accepted(&verifier(only(TokenUse::Access)), &token.sign());
    assert_eq!(
        claims,
        Claims {
            sub: "a1b2c3d4-0000-4000-8000-00000000a11c".into(),
            iss: ISSUER.into(),
            token_use: "access".into(),
            exp: NOW + 3600,
            iat: Some(NOW),
            auth_time: Some(NOW),
            client_id: CLIENT.into(),
            username: Some("alice".into()),
            groups: vec!["editors".into(), "admins".into()],
            email: None,
            json: String::from_utf8(token.claims_bytes()).unwrap(),
            all: claim_value::members_of(
                &crate::json::parse_object(&String::from_utf8(token.claims_bytes()).unwrap())
                    .unwrap(),
            ),
        }
    );
}

#[test]
fn every_claim_is_kept_as_sent_and_in_order() {
    let token = Jwt::id()
        .claim("nbf", NOW - 5)
        .claim("custom:tier", "gold")
        .claim(
            "identities",
            json!([{ "providerName": "Google", "primary": true }]),
        );
    let claims = accepted(&verifier(config()), &token.sign());
    for name in ["exp", "iat", "nbf", "auth_time"] {
        assert_eq!(
            claims.claim(name).map(ClaimValue::to_json),
            token.claims.get(name).map(|v| v.to_string()),
            "{name}"
        );
    }
    assert_eq!(
        claims.claim("custom:tier").and_then(ClaimValue::as_str),
        Some("gold")
    );
    let google = claims
        .claim("identities")
        .and_then(|i| i.as_array()?.first());
    assert_eq!(
        google.and_then(|g| g.get("providerName")),
        Some(&ClaimValue::String("Google".into()))
    );
    assert_eq!(claims.claim("no such claim"), None);
    let names: Vec<&str> = claims.iter().map(|(name, _)| name).collect();
    let sent: Vec<&str> = token.claims.keys().map(String::as_str).collect();
    assert_eq!(names, sent);
}

#[cfg(feature = "serde")]
#[test]
fn verify_as_decodes_the_verified_claims_into_the_callers_type() {
    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Access {
        sub: String,
        scope: String,
        #[serde(rename = "cognito:groups")]
        groups: Vec<String>,
    }
    let v = verifier(only(TokenUse::Access));
    let access: Access = block_on(v.verify_as(&Jwt::access().sign())).unwrap();
    assert_eq!(
        access,
        Access {
            sub: "a1b2c3d4-0000-4000-8000-00000000a11c".into(),
            scope: "aws.cognito.signin.user.admin".into(),
            groups: vec!["editors".into(), "admins".into()],
        }
    );
    // The same claims, from a verification's result.
    let claims = accepted(&v, &Jwt::access().sign());
    assert_eq!(claims.deserialize_into::<Access>().unwrap(), access);

    // A type the claims do not fit: a claim error, naming what is missing.
    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Tenant {
        #[serde(rename = "custom:tenant")]
        tenant: String,
    }
    let e = block_on(v.verify_as::<Tenant>(&Jwt::access().sign())).unwrap_err();
    assert_eq!(e.name(), "JwtInvalidClaimError");
    assert!(e.to_string().contains("custom:tenant"), "{e}");
    // A token the verifier refuses is refused before any decoding.
    let expired = Jwt::access().claim("exp", NOW - 1).sign();
    let e = block_on(v.verify_as::<Access>(&expired)).unwrap_err();
    assert_eq!(e.name(), "JwtExpiredError");
}

#[test]
fn username_comes_from_the_claim_of_the_token_kind() {
    let v = verifier(config());
    let id = Jwt::id().claim("username", "mallory");
    assert_eq!(accepted(&v, &id.sign()).username.as_deref(), Some("alice"));
    let access = Jwt::access().claim("cognito:username", "mallory");
    assert_eq!(
        accepted(&v, &access.sign()).username.as_deref(),
        Some("alice")
    );
}

#[test]
fn no_token_use_configured_accepts_both_kinds() {
    let v = verifier(config());
    assert_eq!(accepted(&v, &Jwt::id().sign()).token_use, "id");
    assert_eq!(accepted(&v, &Jwt::access().sign()).token_use, "access");
}

#[test]
fn any_listed_client_is_accepted() {
    let v = verifier(VerifierConfig {
        client_ids: vec![FOREIGN_CLIENT.into(), CLIENT.into()],
        ..config()
    });
    assert_eq!(accepted(&v, &Jwt::id().sign()).client_id, CLIENT);
    let access = Jwt::access().claim("client_id", FOREIGN_CLIENT);
    assert_eq!(accepted(&v, &access.sign()).client_id, FOREIGN_CLIENT);
}

// ---------------------------------------------------------------------------------------------
// Parsing and header

#[track_caller]
fn assert_malformed(v: &Verifier<TestPlatform>, token: &str) {
    let e = refusal(v, token, "JwtParseError");
    assert!(matches!(e, VerifyError::Malformed(_)), "{token}: {e:?}");
}

#[test]
fn a_token_without_three_parts_is_malformed() {
    let v = verifier(config());
    let good = Jwt::id().sign();
    let (input, _) = good.rsplit_once('.').unwrap();
    for token in [
        "",
        "abc",
        input,
        format!("{good}.x").as_str(),
        format!("{good}.").as_str(),
    ] {
        assert_malformed(&v, token);
    }
    assert_eq!(v.platform().fetches(), 0, "junk must not reach the network");
}

#[test]
fn bad_base64url_is_malformed() {
    let v = verifier(config());
    let good = Jwt::id().sign();
    for (index, part) in [(0, "e30="), (0, "e30.e30"), (1, "e+30"), (2, "a*b")] {
        assert_malformed(&v, &replace_part(&good, index, part));
    }
    assert_eq!(v.platform().fetches(), 0);
}

#[test]
fn bad_json_is_malformed() {
    let v = verifier(config());
    let jwt = Jwt::id();
    let key = &keys().main;
    assert_malformed(&v, &encode_signed(b"not json", &jwt.claims_bytes(), key));
    assert_malformed(&v, &encode_signed(&jwt.header_bytes(), b"not json", key));
    assert_malformed(&v, &encode_signed(&jwt.header_bytes(), b"[1, 2]", key));
    assert_malformed(
        &v,
        &encode_signed(b"{\"kid\":\"kid-1\"}", &jwt.claims_bytes(), key),
    );
    assert_eq!(v.platform().fetches(), 0);
}

#[test]
fn alg_none_is_refused() {
    let v = verifier(config());
    let signed = Jwt::id().header("alg", "none").sign();
    let unsigned = replace_part(&signed, 2, "");
    for token in [&signed, &unsigned] {
        assert_eq!(
            refusal(&v, token, "JwtInvalidSignatureAlgorithmError"),
            VerifyError::InvalidAlgorithm("none".into())
        );
    }
}

/// The algorithm-confusion forgery: HMAC keyed with what the JWKS publishes.
#[test]
fn hs256_keyed_with_the_public_key_is_refused() {
    let v = verifier(config());
    let jwt = Jwt::id().header("alg", "HS256");
    let input = format!("{}.{}", b64(&jwt.header_bytes()), b64(&jwt.claims_bytes()));
    let n = keys().main.n().to_bytes_be();
    for secret in [
        n.clone(),
        b64(&n).into_bytes(),
        jwk(KID, &keys().main).to_string().into(),
    ] {
        let mac = crate::crypto::hmac_sha256(&secret, &[input.as_bytes()]);
        let token = format!("{input}.{}", b64(&mac));
        assert_eq!(
            refusal(&v, &token, "JwtInvalidSignatureAlgorithmError"),
            VerifyError::InvalidAlgorithm("HS256".into())
        );
    }
    assert_eq!(v.platform().fetches(), 0);
}

#[test]
fn rs512_is_refused() {
    let token = Jwt::id().header("alg", "RS512").sign();
    assert_eq!(
        refused_by(config(), &token, "JwtInvalidSignatureAlgorithmError"),
        VerifyError::InvalidAlgorithm("RS512".into())
    );
}

#[test]
fn a_crit_header_is_refused() {
    for (crit, first) in [(json!(["b64"]), "b64"), (json!([]), "")] {
        let token = Jwt::id().header("crit", crit).header("b64", false).sign();
        assert_eq!(
            refused_by(config(), &token, "JwtUnknownCriticalHeaderError"),
            VerifyError::UnknownCriticalHeader(first.into())
        );
    }
}

#[test]
fn a_missing_or_empty_kid_is_refused() {
    let v = verifier(config());
    for jwt in [Jwt::id().without_header("kid"), Jwt::id().header("kid", "")] {
        assert_eq!(
            refusal(&v, &jwt.sign(), "JwtWithoutValidKidError"),
            VerifyError::MissingKid
        );
    }
    assert_eq!(v.platform().fetches(), 0);
}

// ---------------------------------------------------------------------------------------------
// Key lookup and the JWKS cache

#[track_caller]
fn assert_kid_not_found(v: &Verifier<TestPlatform>, kid: &str) {
    let token = Jwt::id().header("kid", kid).sign();
    assert_eq!(
        refusal(v, &token, "KidNotFoundInJwksError"),
        VerifyError::KidNotFound(kid.into())
    );
}

#[test]
fn an_unknown_kid_refetches_the_jwks_once() {
    let v = warmed_up();
    assert_kid_not_found(&v, "kid-2");
    assert_eq!(v.platform().fetches(), 2);
}

#[test]
fn an_unknown_kid_within_the_pause_does_not_refetch() {
    let v = warmed_up();
    assert_kid_not_found(&v, "kid-2");
    v.platform().advance(JWKS_REFETCH_SECONDS - 0.5);
    assert_kid_not_found(&v, "kid-3");
    assert_kid_not_found(&v, "kid-2");
    assert_eq!(v.platform().fetches(), 2);
}

#[test]
fn after_the_pause_a_refetch_finds_a_rotated_key() {
    let v = warmed_up();
    let rotated = Jwt::id().header("kid", "kid-2");
    assert_kid_not_found(&v, "kid-2");
    v.platform().serve(jwks(&[jwk("kid-2", &keys().other)]));
    v.platform().advance(JWKS_REFETCH_SECONDS);
    accepted(&v, &rotated.sign_with(&keys().other));
    assert_eq!(v.platform().fetches(), 3);
}

#[test]
fn a_key_dropped_from_the_jwks_is_forgotten() {
    let v = warmed_up();
    v.platform().serve(jwks(&[jwk("kid-2", &keys().other)]));
    accepted(
        &v,
        &Jwt::id().header("kid", "kid-2").sign_with(&keys().other),
    );
    // Both fetches found their kid, so no pause is owed: the dropped kid is looked for once
    // more (fetch 3), which then starts the pause.
    assert_kid_not_found(&v, KID);
    assert_eq!(v.platform().fetches(), 3);
    assert_kid_not_found(&v, "kid-9");
    assert_eq!(v.platform().fetches(), 3);
}

#[test]
fn the_jwks_is_fetched_and_each_key_imported_once() {
    let v = verifier(config());
    for token in [Jwt::id().sign(), Jwt::access().sign()]
        .iter()
        .cycle()
        .take(10)
    {
        accepted(&v, token);
        v.platform().advance(JWKS_REFETCH_SECONDS);
    }
    assert_eq!(v.platform().fetches(), 1);
    assert_eq!(v.platform().imports.get(), 1);
}

#[test]
fn prefetch_fetches_before_the_first_token() {
    let v = verifier(config());
    block_on(v.prefetch()).unwrap();
    assert_eq!(v.platform().fetches(), 1);
    accepted(&v, &Jwt::id().sign());
    assert_eq!(v.platform().fetches(), 1);
    block_on(v.prefetch()).unwrap();
    assert_eq!(
        v.platform().fetches(),
        2,
        "prefetch ignores the refetch pause"
    );
}

#[test]
fn concurrent_verifications_share_one_fetch() {
    let v = verifier(config());
    let tokens: Vec<String> = (0..5)
        .map(|i| Jwt::id().claim("jti", format!("jti-{i}")).sign())
        .collect();
    let results = block_on(join_all(tokens.iter().map(|t| v.verify(t))));
    assert_eq!(v.platform().fetches(), 1);
    for result in results {
        result.unwrap();
    }
}

#[test]
fn concurrent_verifications_share_a_failed_fetch() {
    let v = verifier(config());
    v.platform().fail(Some(Fault::Status(503)));
    let token = Jwt::id().sign();
    let results = block_on(join_all((0..5).map(|_| v.verify(&token))));
    assert_eq!(v.platform().fetches(), 1);
    for result in results {
        assert_eq!(result.unwrap_err().name(), "JwksFetchError");
    }
}

/// Polls `future` with a no-op waker until it is ready, at most `polls` times.
fn poll_up_to<F: Future>(polls: usize, future: F) -> Option<F::Output> {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(futures::task::noop_waker_ref());
    (0..polls).find_map(|_| match future.as_mut().poll(&mut cx) {
        Poll::Ready(output) => Some(output),
        Poll::Pending => None,
    })
}

/// A caller may drop a verification midway (a time-out, a `select!`): the fetch it was
/// running must not leave the verifier waiting forever for it.
#[test]
fn a_fetch_dropped_midway_does_not_wedge_the_verifier() {
    let v = verifier(config());
    let token = Jwt::id().sign();
    let mut fetcher = Box::pin(v.verify(&token));
    let mut waiter = Box::pin(v.verify(&token));
    let mut cx = Context::from_waker(futures::task::noop_waker_ref());
    assert!(fetcher.as_mut().poll(&mut cx).is_pending(), "fetching");
    assert!(
        waiter.as_mut().poll(&mut cx).is_pending(),
        "waiting for that fetch"
    );
    drop(fetcher);
    let waited = poll_up_to(10, waiter).expect("the waiter still waits for a dropped fetch");
    waited.unwrap();
    accepted(&v, &token);
    assert_eq!(v.platform().fetches(), 2);
    assert!(v.verify(&token).now_or_never().is_some());
}

// ---------------------------------------------------------------------------------------------
// The JWK

#[track_caller]
fn refused_with_jwk(jwk: Value, token: &str, name: &str) -> VerifyError {
    refusal(&verifier_serving(config(), &[jwk]), token, name)
}

#[test]
fn a_jwk_of_another_kty_is_refused() {
    let ec = json!({
        "kty": "EC", "kid": KID, "use": "sig", "alg": "ES256", "crv": "P-256",
        "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
        "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0",
    });
    assert_eq!(
        refused_with_jwk(ec, &Jwt::id().sign(), "JwkInvalidKtyError"),
        VerifyError::JwkInvalidKty("EC".into())
    );
}

#[test]
fn a_jwk_for_encryption_is_refused() {
    assert_eq!(
        refused_with_jwk(
            main_jwk_with("use", json!("enc")),
            &Jwt::id().sign(),
            "JwkInvalidUseError"
        ),
        VerifyError::JwkInvalidUse("enc".into())
    );
}

#[test]
fn a_jwk_for_another_alg_is_refused() {
    assert_eq!(
        refused_with_jwk(
            main_jwk_with("alg", json!("RS512")),
            &Jwt::id().sign(),
            "JwkInvalidAlgError"
        ),
        VerifyError::JwkInvalidAlg("RS512".into())
    );
}

#[test]
fn a_jwk_without_use_or_alg_is_accepted() {
    let mut bare = main_jwk_with("use", Value::Null);
    bare.as_object_mut().unwrap().remove("alg");
    accepted(&verifier_serving(config(), &[bare]), &Jwt::id().sign());
}

#[test]
fn a_1024_bit_key_is_refused() {
    let token = Jwt::id().sign_with(&keys().short);
    assert_eq!(
        refused_with_jwk(jwk(KID, &keys().short), &token, "JwkValidationError"),
        VerifyError::JwkInvalidKey("RSA modulus of 1024 bits; 2048 to 8192 required".into())
    );
}

/// Passes `rsa_for` (4104 bits) but not the `rsa` crate's 4096-bit import limit (WebCrypto
/// may take it).
#[test]
fn a_key_the_platform_cannot_import_is_a_platform_error() {
    let huge = main_jwk_with("n", json!(b64(&[0xff; 513])));
    let e = refused_with_jwk(huge, &Jwt::id().sign(), "PlatformError");
    assert!(matches!(e, VerifyError::Platform(_)), "{e:?}");
}

#[test]
fn an_even_exponent_is_refused() {
    assert_eq!(
        refused_with_jwk(
            main_jwk_with("e", json!("AQAA")),
            &Jwt::id().sign(),
            "JwkValidationError"
        ),
        VerifyError::JwkInvalidKey(
            "RSA exponent must be odd, at least 3 and at most 4294967295".into()
        )
    );
}

// ---------------------------------------------------------------------------------------------
// The signature

#[test]
fn a_tampered_token_is_refused() {
    let v = verifier(config());
    let good = Jwt::id().sign();
    let forged_claims = b64(&Jwt::id().claim("sub", "someone-else").claims_bytes());
    let forged_header = b64(&Jwt::id().header("typ", "JWT").header_bytes());
    let short_signature = &good.rsplit_once('.').unwrap().1[4..];
    for token in [
        replace_part(&good, 1, &forged_claims),
        replace_part(&good, 0, &forged_header),
        replace_part(&good, 2, short_signature),
        replace_part(&good, 2, ""),
    ] {
        assert_eq!(
            refusal(&v, &token, "JwtInvalidSignatureError"),
            VerifyError::InvalidSignature
        );
    }
}

#[test]
fn a_signature_of_another_key_with_the_same_kid_is_refused() {
    let token = Jwt::id().sign_with(&keys().other);
    assert_eq!(
        refused_by(config(), &token, "JwtInvalidSignatureError"),
        VerifyError::InvalidSignature
    );
}

// ---------------------------------------------------------------------------------------------
// Claims

#[test]
fn the_other_kind_of_token_is_refused() {
    for (config, jwt, expected, actual) in [
        (only(TokenUse::Id), Jwt::access(), "id", "access"),
        (only(TokenUse::Access), Jwt::id(), "access", "id"),
    ] {
        assert_eq!(
            refused_by(config, &jwt.sign(), "CognitoJwtInvalidTokenUseError"),
            VerifyError::InvalidTokenUse {
                expected: expected.into(),
                actual: actual.into()
            }
        );
    }
}

#[test]
fn a_refresh_token_use_is_refused() {
    let token = Jwt::access().claim("token_use", "refresh").sign();
    assert_eq!(
        refused_by(config(), &token, "CognitoJwtInvalidTokenUseError"),
        VerifyError::InvalidTokenUse {
            expected: "id or access".into(),
            actual: "refresh".into()
        }
    );
}

#[test]
fn a_missing_token_use_is_refused() {
    for jwt in [
        Jwt::id().without_claim("token_use"),
        Jwt::id().claim("token_use", 1),
    ] {
        assert_eq!(
            refused_by(only(TokenUse::Id), &jwt.sign(), "JwtInvalidClaimError"),
            VerifyError::InvalidClaim("token_use missing or not a string".into())
        );
    }
}

#[test]
fn a_missing_exp_is_refused() {
    let token = Jwt::id().without_claim("exp").sign();
    assert_eq!(
        refused_by(config(), &token, "JwtInvalidClaimError"),
        VerifyError::InvalidClaim("exp missing".into())
    );
}

#[test]
fn an_expired_token_is_refused() {
    for exp in [NOW - 1, NOW] {
        let token = Jwt::id().claim("exp", exp).sign();
        assert_eq!(
            refused_by(config(), &token, "JwtExpiredError"),
            VerifyError::Expired { exp, now: NOW }
        );
    }
}

#[test]
fn an_expired_token_within_the_grace_is_accepted() {
    let v = verifier(with_grace(60));
    accepted(&v, &Jwt::id().claim("exp", NOW - 59).sign());
    let late = Jwt::id().claim("exp", NOW - 60).sign();
    assert_eq!(
        refusal(&v, &late, "JwtExpiredError"),
        VerifyError::Expired {
            exp: NOW - 60,
            now: NOW
        }
    );
}

#[test]
fn a_token_not_yet_valid_is_refused() {
    accepted(&verifier(config()), &Jwt::id().claim("nbf", NOW).sign());
    let token = Jwt::id().claim("nbf", NOW + 1).sign();
    assert_eq!(
        refused_by(config(), &token, "JwtNotBeforeError"),
        VerifyError::NotYetValid {
            nbf: NOW + 1,
            now: NOW
        }
    );
}

#[test]
fn time_claims_that_are_not_numeric_dates_are_refused_not_ignored() {
    for (name, value) in [
        ("nbf", json!("tomorrow")),
        ("nbf", json!(null)),
        ("nbf", json!(1.7e18)),
        ("iat", json!("1700000000")),
        ("iat", json!(true)),
        ("exp", json!("1700003600")),
        ("exp", json!(99999999999999999999u128 as f64)),
    ] {
        let token = Jwt::id().claim(name, value.clone()).sign();
        match refused_by(config(), &token, "JwtInvalidClaimError") {
            VerifyError::InvalidClaim(m) => assert!(m.starts_with(name), "{name}={value}: {m}"),
            other => panic!("{name}={value}: {other:?}"),
        }
    }
    // A fraction is a NumericDate too (RFC 7519): read rounded down.
    accepted(
        &verifier(config()),
        &Jwt::id().claim("nbf", json!(NOW as f64 - 0.5)).sign(),
    );
}

#[test]
fn a_token_not_yet_valid_within_the_grace_is_accepted() {
    let v = verifier(with_grace(60));
    accepted(&v, &Jwt::id().claim("nbf", NOW + 60).sign());
    let early = Jwt::id().claim("nbf", NOW + 61).sign();
    assert_eq!(
        refusal(&v, &early, "JwtNotBeforeError"),
        VerifyError::NotYetValid {
            nbf: NOW + 61,
            now: NOW
        }
    );
}

#[test]
fn a_token_issued_in_the_future_is_refused() {
    let token = Jwt::id().claim("iat", NOW + 1).sign();
    assert_eq!(
        refused_by(config(), &token, "JwtIssuedInFutureError"),
        VerifyError::IssuedInFuture {
            iat: NOW + 1,
            now: NOW
        }
    );
}

#[test]
fn a_token_issued_in_the_future_within_the_grace_is_accepted() {
    let v = verifier(with_grace(60));
    accepted(&v, &Jwt::id().claim("iat", NOW + 60).sign());
    let early = Jwt::id().claim("iat", NOW + 61).sign();
    assert_eq!(
        refusal(&v, &early, "JwtIssuedInFutureError"),
        VerifyError::IssuedInFuture {
            iat: NOW + 61,
            now: NOW
        }
    );
}

#[test]
fn another_issuer_is_refused() {
    let v = verifier(config());
    for iss in [
        format!("{ISSUER}/"),
        ISSUER.replace("https:", "http:"),
        ISSUER.replace("us-east-1_AbC123xyz", "us-east-1_Other"),
        ISSUER.replace("AbC123xyz", "abc123xyz"),
        "https://evil.example/us-east-1_AbC123xyz".into(),
    ] {
        let token = Jwt::id().claim("iss", iss.as_str()).sign();
        assert_eq!(
            refusal(&v, &token, "JwtInvalidIssuerError"),
            VerifyError::InvalidIssuer {
                expected: ISSUER.into(),
                actual: iss
            }
        );
    }
}

#[test]
fn an_id_token_of_another_client_is_refused() {
    let token = Jwt::id().claim("aud", FOREIGN_CLIENT).sign();
    assert_eq!(
        refused_by(config(), &token, "CognitoJwtInvalidClientIdError"),
        VerifyError::InvalidClientId(FOREIGN_CLIENT.into())
    );
}

#[test]
fn an_access_token_of_another_client_is_refused() {
    let token = Jwt::access().claim("client_id", FOREIGN_CLIENT).sign();
    assert_eq!(
        refused_by(config(), &token, "CognitoJwtInvalidClientIdError"),
        VerifyError::InvalidClientId(FOREIGN_CLIENT.into())
    );
}

/// The client claim follows the token's kind: an allowed id in the other kind's claim counts
/// for nothing.
#[test]
fn the_client_is_read_from_the_claim_of_the_token_kind() {
    let v = verifier(config());
    let id = Jwt::id()
        .claim("aud", FOREIGN_CLIENT)
        .claim("client_id", CLIENT);
    let access = Jwt::access()
        .claim("client_id", FOREIGN_CLIENT)
        .claim("aud", CLIENT);
    for jwt in [id, access] {
        assert_eq!(
            refusal(&v, &jwt.sign(), "CognitoJwtInvalidClientIdError"),
            VerifyError::InvalidClientId(FOREIGN_CLIENT.into())
        );
    }
}

#[test]
fn required_groups_must_be_held() {
    let v = verifier(VerifierConfig {
        groups: Some(vec!["admins".into(), "auditors".into()]),
        ..config()
    });
    accepted(&v, &Jwt::id().sign());
    accepted(
        &v,
        &Jwt::access()
            .claim("cognito:groups", json!(["auditors"]))
            .sign(),
    );
    for jwt in [
        Jwt::id().without_claim("cognito:groups"),
        Jwt::id().claim("cognito:groups", json!([])),
        Jwt::id().claim("cognito:groups", json!(["editors", "Admins"])),
    ] {
        assert_eq!(
            refusal(&v, &jwt.sign(), "CognitoJwtInvalidGroupError"),
            VerifyError::InvalidGroup
        );
    }
}

#[test]
fn groups_that_are_not_a_list_of_strings_are_refused() {
    let v = verifier(config());
    for groups in [
        json!("admins"),
        json!({ "admins": true }),
        json!(["admins", 1]),
    ] {
        let token = Jwt::id().claim("cognito:groups", groups).sign();
        let e = refusal(&v, &token, "JwtInvalidClaimError");
        assert!(matches!(e, VerifyError::InvalidClaim(_)), "{e:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// Fetching the JWKS

#[track_caller]
fn refused_when_jwks(fault: Fault, name: &str) -> VerifyError {
    let v = verifier(config());
    v.platform().fail(Some(fault));
    refusal(&v, &Jwt::id().sign(), name)
}

#[test]
fn a_jwks_http_error_is_a_fetch_error() {
    assert_eq!(
        refused_when_jwks(Fault::Status(500), "JwksFetchError"),
        VerifyError::JwksFetch(format!("HTTP 500 from {JWKS_URI}"))
    );
}

#[test]
fn a_jwks_timeout_is_a_fetch_error() {
    assert_eq!(
        refused_when_jwks(Fault::Timeout, "JwksFetchError"),
        VerifyError::JwksFetch("timed out".into())
    );
}

#[test]
fn a_jwks_that_is_not_json_is_invalid() {
    let e = refused_when_jwks(Fault::InvalidJson, "JwksValidationError");
    assert!(matches!(e, VerifyError::JwksInvalid(_)), "{e:?}");
}

#[test]
fn a_jwks_without_keys_is_invalid() {
    let v = verifier(config());
    v.platform().serve(json!({ "kid": KID }));
    let e = refusal(&v, &Jwt::id().sign(), "JwksValidationError");
    assert!(matches!(e, VerifyError::JwksInvalid(_)), "{e:?}");
}

#[test]
fn a_failed_fetch_is_retried_only_after_the_pause() {
    let v = verifier(config());
    let token = Jwt::id().sign();
    v.platform().fail(Some(Fault::Status(500)));
    refusal(&v, &token, "JwksFetchError");
    v.platform().fail(None);
    v.platform().advance(JWKS_REFETCH_SECONDS - 0.5);
    refusal(&v, &token, "JwksFetchError");
    assert_eq!(v.platform().fetches(), 1);
    v.platform().advance(0.5);
    accepted(&v, &token);
    assert_eq!(v.platform().fetches(), 2);
}

// ---------------------------------------------------------------------------------------------
// Decoding without verifying

#[test]
fn decode_unverified_reads_any_well_formed_token() {
    let jwt = Jwt::id()
        .claim("exp", NOW - 3600)
        .claim("iss", "https://evil.example");
    assert_eq!(
        Value::from_str(&decode_unverified_json(&jwt.sign_with(&keys().other)).unwrap()).unwrap(),
        Value::Object(jwt.claims.clone())
    );
    let claims = decode_unverified(&jwt.sign_with(&keys().other)).unwrap();
    assert_eq!(
        claims.iter().find(|(k, _)| k == "iss").map(|(_, v)| v),
        Some(&ClaimValue::String("https://evil.example".into()))
    );
    assert_eq!(claims.len(), jwt.claims.len());
    assert!(matches!(
        decode_unverified("a.b"),
        Err(VerifyError::Malformed(_))
    ));
}

#[test]
fn a_rotation_right_after_the_first_fetch_is_still_fetched() {
    // A first fetch that found its kid owes no pause (aws-jwt-verify's penalty box too): a key
    // rotated in a second later is fetched at once.
    let v = warmed_up();
    v.platform()
        .serve(jwks(&[jwk(KID, &keys().main), jwk("kid-2", &keys().other)]));
    accepted(
        &v,
        &Jwt::id().header("kid", "kid-2").sign_with(&keys().other),
    );
    assert_eq!(v.platform().fetches(), 2);
}

mod key_rules;
mod without_clock;
