//! The bodies the registry builds, against bodies written out by hand from Cognito's API
//! reference: every operation, with and without a client secret, and which operations take
//! ClientMetadata (a fact from the API reference, not read from the rows).

use serde_json::{json, Value as Json};

use super::*;
use crate::api::Challenge;

const CLIENT: &str = "client1";
const SECRET: &str = "s3cret";

fn requests(secret: bool) -> Requests {
    Requests::new(ClientConfig {
        user_pool_id: "us-east-1_AbC123xyz".into(),
        client_id: CLIENT.into(),
        client_secret: secret.then(|| SECRET.into()),
        endpoint: None,
    })
    .unwrap()
}

/// Our JSON values from serde_json's (inputs written the short way).
fn ours(v: &Json) -> Value {
    crate::json::parse(&v.to_string()).unwrap()
}

fn body(r: &Requests, op: Operation, inputs: Json) -> Json {
    let inputs: Vec<Value> = inputs.as_array().unwrap().iter().map(ours).collect();
    let request = r
        .request(op, &inputs)
        .unwrap_or_else(|e| panic!("{op:?}: {e}"));
    serde_json::from_str(&request.body).unwrap()
}

fn hash(username: &str) -> String {
    crate::secret_hash(SECRET, username, CLIENT)
}

fn challenge() -> Json {
    json!({
        "name": "PASSWORD_VERIFIER",
        "session": "sess",
        "parameters": {
            "USERNAME": "alice", "USER_ID_FOR_SRP": "alice-id", "SRP_B": "0b", "SALT": "0a",
            "SECRET_BLOCK": "c2VjcmV0"
        }
    })
}

/// An operation, its inputs, its body for a client without a secret, and what a secret adds
/// (the member's path, its value).
type Case = (Operation, Json, Json, Option<(&'static str, String)>);

fn cases() -> Vec<Case> {
    use Operation::*;
    let token = || json!("tok");
    vec![
        (
            SignUp,
            json!(["alice", "pw", {"email": "a@x.io"}]),
            json!({"ClientId": CLIENT, "Username": "alice", "Password": "pw",
                "UserAttributes": [{"Name": "email", "Value": "a@x.io"}]}),
            Some(("SecretHash", hash("alice"))),
        ),
        (
            ConfirmSignUp,
            json!(["alice", "123"]),
            json!({"ClientId": CLIENT, "Username": "alice", "ConfirmationCode": "123"}),
            Some(("SecretHash", hash("alice"))),
        ),
        (
            ResendConfirmationCode,
            json!(["alice"]),
            json!({"ClientId": CLIENT, "Username": "alice"}),
            Some(("SecretHash", hash("alice"))),
        ),
        (
            SignInPassword,
            json!(["alice", "pw"]),
            json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": CLIENT,
                "AuthParameters": {"USERNAME": "alice", "PASSWORD": "pw"}}),
            Some(("AuthParameters.SECRET_HASH", hash("alice"))),
        ),
        (
            SignInSrp,
            json!(["alice", "pw", "abc"]),
            json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": CLIENT,
                "AuthParameters": {"USERNAME": "alice", "SRP_A": "abc"}}),
            Some(("AuthParameters.SECRET_HASH", hash("alice"))),
        ),
        (
            PasswordVerifier,
            json!([challenge(), "Thu Jan 1 00:00:00 UTC 1970", "sig"]),
            json!({"ChallengeName": "PASSWORD_VERIFIER", "ClientId": CLIENT, "Session": "sess",
                "ChallengeResponses": {"USERNAME": "alice", "PASSWORD_CLAIM_SECRET_BLOCK": "c2VjcmV0",
                    "TIMESTAMP": "Thu Jan 1 00:00:00 UTC 1970", "PASSWORD_CLAIM_SIGNATURE": "sig"}}),
            Some(("ChallengeResponses.SECRET_HASH", hash("alice"))),
        ),
        (
            RespondToChallenge,
            json!(["SMS_MFA", "sess", {"USERNAME": "bob", "SMS_MFA_CODE": "1"}]),
            json!({"ChallengeName": "SMS_MFA", "ClientId": CLIENT, "Session": "sess",
                "ChallengeResponses": {"USERNAME": "bob", "SMS_MFA_CODE": "1"}}),
            Some(("ChallengeResponses.SECRET_HASH", hash("bob"))),
        ),
        (
            ConfirmSignIn,
            json!([
                {"name": "NEW_PASSWORD_REQUIRED", "session": "sess",
                    "parameters": {"USER_ID_FOR_SRP": "bob", "requiredAttributes": "[]"}},
                "New-Pass-1",
                {"name": "Bo"}
            ]),
            json!({"ChallengeName": "NEW_PASSWORD_REQUIRED", "ClientId": CLIENT, "Session": "sess",
                "ChallengeResponses": {"USERNAME": "bob", "NEW_PASSWORD": "New-Pass-1",
                    "userAttributes.name": "Bo"}}),
            Some(("ChallengeResponses.SECRET_HASH", hash("bob"))),
        ),
        (
            AssociateSoftwareToken,
            json!([null, "sess"]),
            json!({"Session": "sess"}),
            None,
        ),
        (
            VerifySoftwareToken,
            json!(["tok", null, "123456", "phone"]),
            json!({"AccessToken": "tok", "UserCode": "123456", "FriendlyDeviceName": "phone"}),
            None,
        ),
        (
            SetUserMfaPreference,
            json!(["tok", "PREFERRED", null, "DISABLED"]),
            json!({"AccessToken": "tok",
                "SoftwareTokenMfaSettings": {"Enabled": true, "PreferredMfa": true},
                "EmailMfaSettings": {"Enabled": false, "PreferredMfa": false}}),
            None,
        ),
        (
            Refresh,
            json!(["rt", "alice"]),
            json!({"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": CLIENT,
                "AuthParameters": {"REFRESH_TOKEN": "rt"}}),
            Some(("AuthParameters.SECRET_HASH", hash("alice"))),
        ),
        (
            GetTokensFromRefreshToken,
            json!(["rt"]),
            json!({"ClientId": CLIENT, "RefreshToken": "rt"}),
            Some(("ClientSecret", SECRET.to_owned())),
        ),
        (
            GetUser,
            json!([token()]),
            json!({"AccessToken": "tok"}),
            None,
        ),
        (
            GlobalSignOut,
            json!([token()]),
            json!({"AccessToken": "tok"}),
            None,
        ),
        (
            RevokeToken,
            json!(["rt"]),
            json!({"ClientId": CLIENT, "Token": "rt"}),
            Some(("ClientSecret", SECRET.to_owned())),
        ),
        (
            ForgotPassword,
            json!(["alice"]),
            json!({"ClientId": CLIENT, "Username": "alice"}),
            Some(("SecretHash", hash("alice"))),
        ),
        (
            ConfirmForgotPassword,
            json!(["alice", "123", "new"]),
            json!({"ClientId": CLIENT, "Username": "alice", "ConfirmationCode": "123", "Password": "new"}),
            Some(("SecretHash", hash("alice"))),
        ),
        (
            ChangePassword,
            json!([token(), "old", "new"]),
            json!({"AccessToken": "tok", "PreviousPassword": "old", "ProposedPassword": "new"}),
            None,
        ),
        (
            UpdateUserAttributes,
            json!([token(), {"email": "b@x.io", "nickname": ""}]),
            json!({"AccessToken": "tok", "UserAttributes": [{"Name": "email", "Value": "b@x.io"},
                {"Name": "nickname", "Value": ""}]}),
            None,
        ),
        (
            GetUserAttributeVerificationCode,
            json!([token(), "email"]),
            json!({"AccessToken": "tok", "AttributeName": "email"}),
            None,
        ),
        (
            VerifyUserAttribute,
            json!([token(), "email", "123"]),
            json!({"AccessToken": "tok", "AttributeName": "email", "Code": "123"}),
            None,
        ),
        (
            DeleteUserAttributes,
            json!([token(), ["nickname", "custom:team"]]),
            json!({"AccessToken": "tok", "UserAttributeNames": ["nickname", "custom:team"]}),
            None,
        ),
        (
            DeleteUser,
            json!([token()]),
            json!({"AccessToken": "tok"}),
            None,
        ),
    ]
}

/// The operations whose API reference lists `ClientMetadata`.
const TAKE_METADATA: &[Operation] = &[
    Operation::SignUp,
    Operation::ConfirmSignUp,
    Operation::ResendConfirmationCode,
    Operation::SignInPassword,
    Operation::SignInSrp,
    Operation::PasswordVerifier,
    Operation::RespondToChallenge,
    Operation::ConfirmSignIn,
    Operation::Refresh,
    Operation::GetTokensFromRefreshToken,
    Operation::ForgotPassword,
    Operation::ConfirmForgotPassword,
    Operation::UpdateUserAttributes,
    Operation::GetUserAttributeVerificationCode,
];

#[test]
fn every_operation_builds_cognitos_body() {
    let cases = cases();
    assert_eq!(cases.len(), Operation::ALL.len(), "a case per operation");
    for (op, inputs, want, with_secret) in cases {
        assert_eq!(body(&requests(false), op, inputs.clone()), want, "{op:?}");
        let mut want = want;
        if let Some((path, value)) = with_secret {
            let (outer, member) = path
                .split_once('.')
                .map_or((None, path), |(o, m)| (Some(o), m));
            let at = match outer {
                Some(o) => &mut want[o],
                None => &mut want,
            };
            at[member] = json!(value);
        }
        assert_eq!(
            body(&requests(true), op, inputs),
            want,
            "{op:?} with a secret"
        );
    }
}

#[test]
fn client_metadata_goes_where_cognito_takes_it_and_nowhere_else() {
    for (op, inputs, _, _) in cases() {
        let mut with = inputs.as_array().unwrap().clone();
        with.resize(op.spec().inputs.len(), Json::Null);
        with.push(json!({"k": "v"}));
        let inputs: Vec<Value> = with.iter().map(ours).collect();
        let built = requests(false).request(op, &inputs);
        if TAKE_METADATA.contains(&op) {
            let body: Json = serde_json::from_str(&built.unwrap().body).unwrap();
            assert_eq!(body["ClientMetadata"], json!({"k": "v"}), "{op:?}");
            assert!(body["AuthParameters"].get("ClientMetadata").is_none());
        } else {
            let e = built.expect_err("no ClientMetadata");
            assert_eq!(e.name(), "InvalidInputError", "{op:?}");
        }
    }
}

#[test]
fn inputs_are_checked_before_anything_is_built() {
    let r = requests(true);
    let refused = |op, inputs: Json| {
        let inputs: Vec<Value> = inputs.as_array().unwrap().iter().map(ours).collect();
        r.request(op, &inputs).expect_err("refused").message()
    };
    use Operation::*;
    assert!(refused(SignUp, json!(["", "pw"])).contains("username must not be empty"));
    assert!(refused(SignUp, json!(["a"])).contains("password is required"));
    assert!(refused(SignUp, json!(["a", "pw", {"email": 1}])).contains("email must be a string"));
    assert!(refused(SignUp, json!(["a", "pw", {"": "x"}])).contains("an attribute's name"));
    assert!(refused(DeleteUserAttributes, json!(["t", "nickname"])).contains("list of strings"));
    assert!(refused(DeleteUserAttributes, json!(["t", [""]])).contains("must not be empty"));
    assert!(refused(GetUser, json!(["t", {"k": "v"}])).contains("takes 1 arguments"));
    assert!(refused(PasswordVerifier, json!([{}, "t", "s"])).contains("a sign-in's challenge"));
    assert!(refused(RespondToChallenge, json!(["X", null, {"A": "1"}])).contains("need USERNAME"));
    // With a secret, a refresh needs the username; an empty one is no username.
    assert!(refused(Refresh, json!(["rt", ""])).contains("needs the username"));
    // The software-token calls: the access token or the session, one of them.
    for inputs in [json!([null, null]), json!(["tok", "sess"])] {
        assert!(refused(AssociateSoftwareToken, inputs).contains("exactly one"));
    }
    assert!(refused(SetUserMfaPreference, json!(["tok", "ON"])).contains("PREFERRED"));
    // confirmSignIn: a challenge it knows, an answer where one is due, a user to answer as.
    let challenge = |name: &str, parameters: Json| json!({"name": name, "parameters": parameters});
    let who = json!({"USERNAME": "u"});
    assert!(refused(
        ConfirmSignIn,
        json!([challenge("CUSTOM_CHALLENGE", who.clone()), "x"])
    )
    .contains("respondToChallenge"));
    assert!(refused(ConfirmSignIn, json!([challenge("SMS_MFA", who.clone())])).contains("answer"));
    assert!(refused(ConfirmSignIn, json!([challenge("SMS_MFA", json!({})), "1"])).contains("user"));
    let setup = [ours(&challenge("MFA_SETUP", who))];
    assert!(
        requests(true).request(ConfirmSignIn, &setup).is_ok(),
        "MFA_SETUP takes no answer"
    );
    // Without one, an optional input left empty is absent, as before the registry.
    let inputs = [ours(&json!("rt")), ours(&json!(""))];
    assert!(requests(false).request(Refresh, &inputs).is_ok());
    let inputs = [
        ours(&json!("X")),
        ours(&json!("")),
        ours(&json!({"USERNAME": "u"})),
    ];
    let body: Json = serde_json::from_str(
        &requests(false)
            .request(RespondToChallenge, &inputs)
            .unwrap()
            .body,
    )
    .unwrap();
    assert!(body.get("Session").is_none(), "{body}");
}

#[test]
fn a_challenge_goes_back_as_it_came() {
    let c = Challenge::from_value(Some(&ours(&challenge()))).unwrap();
    let again: Json = serde_json::from_str(&c.to_json()).unwrap();
    assert_eq!(again, challenge());
}

#[test]
fn pool_ids_are_checked() {
    assert_eq!(
        parse_pool_id("us-east-1_AbC123xyz").unwrap(),
        ("us-east-1", "AbC123xyz")
    );
    for bad in [
        "",
        "us-east-1",
        "_x",
        "us-east-1_",
        "US_x",
        "us-east-1_a_b",
        "eu_a-b",
    ] {
        assert_eq!(
            parse_pool_id(bad).unwrap_err().name(),
            "InvalidInputError",
            "{bad}"
        );
    }
}
