//! Each answer reader of the Cognito API (crate/src/api/answers.rs, chosen by the registry's
//! row in operation.rs) on arbitrary answers, reached as real answers are: a `Client` call over
//! a platform that answers with the fuzzer's bytes. The first byte picks the call, the second
//! the status and whether an `x-amzn-errortype` header comes; the rest is the body.
//!
//! The npm package's reading of the same body by its shapes (crate/src/api/shapes.rs) must
//! give what the typed readers give, result or error.
//!
//! No panic; an error status is never a success; a success is read only from what the
//! serde_json reference reads as a JSON object; an error status is Cognito's exception exactly
//! when the body or header names one.
#![no_main]

use cognito_wasm::{Client, ClientConfig, Error, HttpResponse, Platform};
use cognito_wasm_fuzz::now_or_never;
use cognito_wasm_fuzz::reference::{self, Doc};
use libfuzzer_sys::fuzz_target;

struct Answering(HttpResponse);

impl Platform for Answering {
    type Key = ();

    async fn post_json(&self, _: &str, _: &str, _: String) -> Result<HttpResponse, Error> {
        Ok(self.0.clone())
    }

    async fn get(&self, _: &str) -> Result<HttpResponse, Error> {
        Err(Error::Network("no GET here".into()))
    }

    fn now(&self) -> f64 {
        1_700_000_000.0
    }

    async fn import_rsa_key(&self, _: &[u8], _: &[u8]) -> Result<(), String> {
        Err("no keys here".into())
    }

    async fn verify_rs256(&self, _: &(), _: &[u8], _: &[u8]) -> Result<bool, String> {
        Ok(false)
    }
}

const STATUSES: [u16; 8] = [200, 200, 204, 400, 400, 404, 500, 503];

/// One call per kind of answer (and SRP's two-step sign-in, whose second answer is the same
/// body); `Ok(())` or the call's error.
async fn call(client: &Client<Answering>, which: u8) -> Result<(), Error> {
    let attrs = [("email".to_owned(), "a@example.com".to_owned())];
    match which % 16 {
        0 => client
            .sign_up("alice", "Correct-Horse-9", &attrs)
            .await
            .map(drop),
        1 => client.confirm_sign_up("alice", "123456").await,
        2 => client.resend_confirmation_code("alice").await.map(drop),
        3 => client
            .sign_in_password("alice", "Correct-Horse-9")
            .await
            .map(drop),
        4 => client
            .sign_in_srp("alice", "Correct-Horse-9")
            .await
            .map(drop),
        5 => {
            // USERNAME: what SECRET_HASH is computed over, when the client has a secret.
            let responses = vec![
                ("USERNAME".to_owned(), "alice".to_owned()),
                ("SMS_MFA_CODE".to_owned(), "123456".to_owned()),
            ];
            client
                .respond_to_challenge("SMS_MFA", Some("session"), responses)
                .await
                .map(drop)
        }
        6 => client
            .refresh("refresh-token", Some("alice"))
            .await
            .map(drop),
        7 => client.get_user("access-token").await.map(drop),
        8 => client.forgot_password("alice").await.map(drop),
        9 => client
            .update_user_attributes("access-token", &attrs)
            .await
            .map(drop),
        10 => client
            .get_user_attribute_verification_code("access-token", "email")
            .await
            .map(drop),
        11 => client.global_sign_out("access-token").await,
        12 => {
            let challenge = cognito_wasm::Challenge {
                name: "SOFTWARE_TOKEN_MFA".into(),
                session: Some("session".into()),
                parameters: vec![("USERNAME".into(), "alice".into())],
            };
            (client
                .confirm_sign_in(&challenge, Some("123456"), &[])
                .await)
                .map(drop)
        }
        13 => client
            .associate_software_token(Some("access-token"), None)
            .await
            .map(drop),
        14 => client
            .verify_software_token(None, Some("session"), "123456", Some("phone"))
            .await
            .map(drop),
        _ => {
            let preference =
                client.set_user_mfa_preference("access-token", Some("PREFERRED"), None, None);
            preference.await
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let [which, status, body @ ..] = data else {
        return;
    };
    let Ok(body) = std::str::from_utf8(body) else {
        return;
    };
    let response = HttpResponse {
        status: STATUSES[usize::from(status & 7)],
        body: body.to_owned(),
        error_type: (status & 8 != 0).then(|| "NotAuthorizedException".to_owned()),
    };
    let success = (200..300).contains(&response.status);
    let config = ClientConfig {
        user_pool_id: "us-east-1_FuzzPool1".into(),
        client_id: "fuzzclient".into(),
        // Every other call with a secret: SECRET_HASH in the requests.
        client_secret: (which & 0x80 != 0).then(|| "secret".into()),
        ..ClientConfig::default()
    };
    let client = Client::new(config, Answering(response.clone())).expect("a valid configuration");
    let verdict = now_or_never(call(&client, *which));
    let doc = if reference::ambiguous(body) {
        None
    } else {
        reference::parse(body).ok()
    };
    match verdict {
        Ok(()) => {
            assert!(success, "status {} read as a success", response.status);
            assert!(
                reference::ambiguous(body) || matches!(doc, Some(Doc::Object(_))),
                "{body:?} read as an answer"
            );
        }
        Err(Error::Cognito { status, .. }) => {
            assert!(!success, "a success read as Cognito's exception");
            assert_eq!(status, response.status);
        }
        Err(Error::MalformedResponse(_)) if !success => {
            // No error type anywhere: not the header, nor `__type` or `code` in the body.
            assert!(response.error_type.is_none(), "{response:?}");
            if let Some(Doc::Object(members)) = doc {
                let names = members
                    .iter()
                    .any(|(k, v)| (k == "__type" || k == "code") && matches!(v, Doc::String(_)));
                assert!(!names, "{body:?} names an exception");
            }
        }
        Err(e) => assert!(
            success || response.error_type.is_none(),
            "{e:?} for {response:?}"
        ),
    }
    // The npm package reads the same body by its answers' shapes: as the typed readers do.
    if let Some((shapes, typed)) = cognito_wasm::fuzzing::answer_shapes(*which, body) {
        assert_eq!(shapes, typed, "{body:?}");
    }
});
