//! `Error` and `VerifyError` are `std::error::Error`s, as applications use them: through `?`
//! in functions that return `Box<dyn std::error::Error>`, boxed (also as `Send + Sync`, what
//! `anyhow` and threads ask for), and downcast back to ours.
#![cfg(not(target_arch = "wasm32"))]

use std::error::Error as StdError;

use cognito_wasm::{
    Client, ClientConfig, Error, HttpResponse, Platform, SignInResult, TokenUse, Verifier,
    VerifierConfig, VerifyError,
};
use futures::executor::block_on;

/// A host without a network.
struct Offline;

impl Platform for Offline {
    type Key = ();

    async fn post_json(&self, _: &str, _: &str, _: String) -> Result<HttpResponse, Error> {
        Err(Error::Network("offline".into()))
    }

    async fn get(&self, _: &str) -> Result<HttpResponse, Error> {
        Err(Error::Network("offline".into()))
    }

    fn now(&self) -> f64 {
        1_700_000_000.0
    }

    async fn import_rsa_key(&self, _: &[u8], _: &[u8]) -> Result<(), String> {
        Ok(())
    }

    async fn verify_rs256(&self, _: &(), _: &[u8], _: &[u8]) -> Result<bool, String> {
        Ok(false)
    }
}

fn sign_in(user_pool_id: &str) -> Result<String, Box<dyn StdError>> {
    let config = ClientConfig {
        user_pool_id: user_pool_id.into(),
        client_id: "client".into(),
        ..ClientConfig::default()
    };
    let client = Client::new(config, Offline)?;
    match block_on(client.sign_in_password("alice", "Correct-Horse-9"))? {
        SignInResult::Tokens(tokens) => Ok(tokens.access_token),
        SignInResult::Challenge(c) => Ok(c.name),
    }
}

fn subject(token: &str) -> Result<String, Box<dyn StdError + Send + Sync>> {
    let config = VerifierConfig::new("us-east-1_AbC123xyz", ["client"], Some(TokenUse::Id));
    let verifier = Verifier::new(config, Offline)?;
    Ok(block_on(verifier.verify(token))?.sub)
}

#[test]
fn client_errors_go_through_question_marks() {
    let e = sign_in("not a pool id").unwrap_err();
    let ours = e.downcast_ref::<Error>().expect("our Error");
    assert_eq!(ours.name(), "InvalidInputError");
    assert!(e.to_string().contains("not a pool id"), "{e}");

    let e = sign_in("us-east-1_AbC123xyz").unwrap_err();
    assert_eq!(
        e.downcast_ref::<Error>().map(Error::name),
        Some("NetworkError")
    );
    assert!(e.to_string().contains("offline"), "{e}");
}

#[test]
fn verifier_errors_go_through_question_marks() {
    let e = subject("not a token").unwrap_err();
    assert_eq!(
        e.downcast_ref::<VerifyError>().map(VerifyError::name),
        Some("JwtParseError")
    );
    // A well-formed token needs the JWKS, which cannot be fetched.
    let token = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsifQ.e30.c2ln";
    let e = subject(token).unwrap_err();
    assert_eq!(
        e.downcast_ref::<VerifyError>().map(VerifyError::name),
        Some("JwksFetchError")
    );
    // And a threaded caller gets it across threads.
    let e = std::thread::spawn(move || subject(token).unwrap_err().to_string())
        .join()
        .unwrap();
    assert!(!e.is_empty());
}

#[test]
fn errors_box_with_their_messages() {
    let boxed: Vec<Box<dyn StdError + Send + Sync + 'static>> = vec![
        Box::new(Error::Timeout),
        Box::new(VerifyError::InvalidSignature),
        Error::Platform("no secure random numbers".into()).into(),
    ];
    for e in &boxed {
        assert!(!e.to_string().is_empty());
        assert!(e.source().is_none());
    }
    assert!(boxed[1].is::<VerifyError>());
}
