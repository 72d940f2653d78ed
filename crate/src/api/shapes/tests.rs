//! The shapes against the typed readers (`reference`): the same result, or the same error,
//! for hand-made answers of every kind and for many generated ones.

use super::reference::KINDS;
use super::*;

fn both(kind: Answer, text: &str) -> Result<String, Error> {
    let o = json::parse_object(text).unwrap();
    let ours = answer(kind, &o);
    assert_eq!(ours, reference::answer(kind, &o), "{kind:?} {text}");
    ours
}

const TOKENS_JSON: &str = r#"{"AuthenticationResult":{"IdToken":"i","AccessToken":"a","RefreshToken":"r","ExpiresIn":3600,"TokenType":"Bearer"}}"#;

#[test]
fn every_kind_reads_as_before() {
    let tokens = r#"{"idToken":"i","accessToken":"a","refreshToken":"r","expiresIn":3600,"tokenType":"Bearer"}"#;
    assert_eq!(
        both(Answer::SignIn, TOKENS_JSON).unwrap(),
        concat(&[r#"{"kind":"tokens","tokens":"#, tokens, "}"])
    );
    assert_eq!(both(Answer::Tokens, TOKENS_JSON).unwrap(), tokens);
    let verifier = r#"{"ChallengeName":"PASSWORD_VERIFIER","ChallengeParameters":{"SRP_B":"b","SALT":"s","SECRET_BLOCK":"k","USER_ID_FOR_SRP":"u"}}"#;
    assert!(both(Answer::SrpStart, verifier).unwrap().starts_with(
        r#"{"kind":"verifier","challenge":{"name":"PASSWORD_VERIFIER","parameters":{"SRP_B":"b""#
    ));
    assert!(both(Answer::SignIn, verifier)
        .unwrap()
        .starts_with(r#"{"kind":"challenge""#));
    let mfa = r#"{"ChallengeName":"SMS_MFA","Session":"s","ChallengeParameters":{"CODE_DELIVERY_DESTINATION":"+1***"}}"#;
    assert_eq!(
        both(Answer::SignIn, mfa).unwrap(),
        r#"{"kind":"challenge","challenge":{"name":"SMS_MFA","session":"s","parameters":{"CODE_DELIVERY_DESTINATION":"+1***"}}}"#
    );
    let sign_up = r#"{"UserConfirmed":false,"UserSub":"x","CodeDeliveryDetails":{"Destination":"a***","DeliveryMedium":"EMAIL","AttributeName":"email"}}"#;
    assert_eq!(
        both(Answer::SignUp, sign_up).unwrap(),
        r#"{"userConfirmed":false,"userSub":"x","codeDelivery":{"destination":"a***","deliveryMedium":"EMAIL","attributeName":"email"}}"#
    );
    assert_eq!(both(Answer::CodeDelivery, "{}").unwrap(), "{}");
    assert_eq!(both(Answer::CodeDeliveries, "{}").unwrap(), "[]");
    let list = r#"{"CodeDeliveryDetailsList":[{"Destination":"a"},{"DeliveryMedium":"SMS"}]}"#;
    assert_eq!(
        both(Answer::CodeDeliveries, list).unwrap(),
        r#"[{"destination":"a"},{"deliveryMedium":"SMS"}]"#
    );
    let user = r#"{"Username":"u","UserAttributes":[{"Name":"email","Value":"e"},{"Name":"x"}]}"#;
    assert_eq!(
        both(Answer::User, user).unwrap(),
        r#"{"username":"u","attributes":{"email":"e","x":""},"mfaSettings":[]}"#
    );
    let mfa = r#"{"Username":"u","UserMFASettingList":["SOFTWARE_TOKEN_MFA","SMS_MFA"],"PreferredMfaSetting":"SMS_MFA"}"#;
    assert_eq!(
        both(Answer::User, mfa).unwrap(),
        r#"{"username":"u","attributes":{},"mfaSettings":["SOFTWARE_TOKEN_MFA","SMS_MFA"],"preferredMfa":"SMS_MFA"}"#
    );
    assert_eq!(both(Answer::Nothing, "{}").unwrap(), "null");
}

#[test]
fn every_error_is_the_typed_readers() {
    let cases = [
        (
            Answer::SignIn,
            r#"{}"#,
            "neither AuthenticationResult nor ChallengeName",
        ),
        (
            Answer::SignIn,
            r#"{"ChallengeName":7}"#,
            "ChallengeName is not a string",
        ),
        (
            Answer::SignIn,
            r#"{"AuthenticationResult":[]}"#,
            "AuthenticationResult is not an object",
        ),
        (
            Answer::SignIn,
            r#"{"AuthenticationResult":{"IdToken":"i","AccessToken":"a","ExpiresIn":-1,"TokenType":"B"}}"#,
            "ExpiresIn is not a count of seconds",
        ),
        (
            Answer::SignIn,
            r#"{"AuthenticationResult":{"IdToken":"i","AccessToken":"a","ExpiresIn":null,"TokenType":"B"}}"#,
            "ExpiresIn is not a count of seconds",
        ),
        (
            Answer::SignIn,
            r#"{"AuthenticationResult":{"IdToken":"i","AccessToken":"a","TokenType":"B"}}"#,
            "ExpiresIn is missing",
        ),
        (
            Answer::SignIn,
            r#"{"AuthenticationResult":{"AccessToken":"a"}}"#,
            "IdToken is missing",
        ),
        (
            Answer::SignIn,
            r#"{"ChallengeName":"X","ChallengeParameters":{"a":1}}"#,
            "a is not a string",
        ),
        (
            Answer::SrpStart,
            r#"{"ChallengeName":"PASSWORD_VERIFIER","ChallengeParameters":{"SRP_B":"b"}}"#,
            "SALT is missing from PASSWORD_VERIFIER",
        ),
        (
            Answer::Tokens,
            r#"{"ChallengeName":"SMS_MFA"}"#,
            "a refresh answered with the challenge SMS_MFA",
        ),
        (
            Answer::SignUp,
            r#"{"UserSub":"x"}"#,
            "UserConfirmed is missing or not a boolean",
        ),
        (
            Answer::SignUp,
            r#"{"UserConfirmed":true,"UserSub":"x","CodeDeliveryDetails":"e"}"#,
            "CodeDeliveryDetails is not an object",
        ),
        (
            Answer::CodeDelivery,
            r#"{"CodeDeliveryDetails":{"Destination":1}}"#,
            "Destination is not a string",
        ),
        (
            Answer::CodeDeliveries,
            r#"{"CodeDeliveryDetailsList":{}}"#,
            "CodeDeliveryDetailsList is not a list",
        ),
        (
            Answer::CodeDeliveries,
            r#"{"CodeDeliveryDetailsList":[1]}"#,
            "CodeDeliveryDetailsList holds a non-object",
        ),
        (
            Answer::User,
            r#"{"Username":"u","UserAttributes":[{"Value":"v"}]}"#,
            "Name is missing",
        ),
        (
            Answer::User,
            r#"{"Username":"u","UserAttributes":[{"Name":"n","Value":2}]}"#,
            "Value is not a string",
        ),
        (
            Answer::User,
            r#"{"UserAttributes":[]}"#,
            "Username is missing",
        ),
        (
            Answer::User,
            r#"{"Username":"u","UserMFASettingList":"SMS_MFA"}"#,
            "UserMFASettingList is not a list",
        ),
        (
            Answer::User,
            r#"{"Username":"u","UserMFASettingList":[null]}"#,
            "UserMFASettingList holds a non-string",
        ),
        (
            Answer::User,
            r#"{"Username":"u","PreferredMfaSetting":1}"#,
            "PreferredMfaSetting is not a string",
        ),
    ];
    for (kind, text, why) in cases {
        assert_eq!(
            both(kind, text),
            Err(Error::malformed(why)),
            "{kind:?} {text}"
        );
    }
}

/// A small deterministic generator (xorshift), so a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// Every member name the shapes know, and a few they do not.
const NAMES: [&str; 27] = [
    "AuthenticationResult",
    "IdToken",
    "AccessToken",
    "RefreshToken",
    "ExpiresIn",
    "TokenType",
    "ChallengeName",
    "Session",
    "ChallengeParameters",
    "SRP_B",
    "SALT",
    "SECRET_BLOCK",
    "USER_ID_FOR_SRP",
    "UserConfirmed",
    "UserSub",
    "CodeDeliveryDetails",
    "Destination",
    "DeliveryMedium",
    "AttributeName",
    "CodeDeliveryDetailsList",
    "Username",
    "UserAttributes",
    "Name",
    "Value",
    "SecretCode",
    "UserMFASettingList",
    "PreferredMfaSetting",
];

fn value(rng: &mut Rng, depth: usize, out: &mut String) {
    match rng.next(if depth > 2 { 6 } else { 9 }) {
        0 => out.push_str("null"),
        1 => out.push_str(["true", "false"][rng.next(2)]),
        2 => out.push_str(["0", "3600", "-1", "1.5", "1e3"][rng.next(5)]),
        3..=5 => out.push_str(["\"PASSWORD_VERIFIER\"", "\"x\"", "\"\""][rng.next(3)]),
        6..=7 => object(rng, depth + 1, out),
        _ => {
            out.push('[');
            for i in 0..rng.next(3) {
                if i > 0 {
                    out.push(',');
                }
                value(rng, depth + 1, out);
            }
            out.push(']');
        }
    }
}

fn object(rng: &mut Rng, depth: usize, out: &mut String) {
    out.push('{');
    let mut used = Vec::new();
    for _ in 0..rng.next(6) {
        let name = NAMES[rng.next(NAMES.len())];
        if used.contains(&name) {
            continue;
        }
        if !used.is_empty() {
            out.push(',');
        }
        used.push(name);
        out.push_str(&json::quoted(name));
        out.push(':');
        value(rng, depth, out);
    }
    out.push('}');
}

#[test]
fn generated_answers_read_as_the_typed_readers_read_them() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut oks = 0;
    for _ in 0..50_000 {
        let mut text = String::new();
        object(&mut rng, 0, &mut text);
        for kind in KINDS {
            oks += both(kind, &text).is_ok() as usize;
        }
    }
    // Not only errors: the generator reaches the readers' successes too.
    assert!(oks > 25_000, "{oks}");
}
