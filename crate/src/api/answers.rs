//! Reading Cognito's answers: a non-2xx as Cognito's exception, a 2xx as the operation's
//! result. A member that is absent or null is absent; one of the wrong type makes the answer
//! malformed (nothing is guessed). The npm package's core reads its answers by their shapes
//! instead (`shapes.rs`, held to these by its tests), so without `std` only `read_answer` is
//! used here.
#![cfg_attr(not(feature = "std"), allow(dead_code))]

use crate::prelude::*;

use super::operation::{max_answer_mib, MAX_ANSWER_BYTES};
use super::types::{
    Challenge, ChallengeStep, CodeDelivery, Pairs, SignInResult, SignUpResult, SoftwareToken,
    Tokens, User,
};
use crate::error::{CognitoException, Error};
use crate::json::{self, Object, Value};
use crate::platform::HttpResponse;
use crate::srp::PasswordVerifier;

fn wrong(key: &str, problem: &str) -> Error {
    let mut m = String::from(key);
    m.push_str(problem);
    Error::malformed(m)
}

fn opt_str(o: &Object, key: &str) -> Result<Option<String>, Error> {
    match o.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(wrong(key, " is not a string")),
    }
}

fn req_str(o: &Object, key: &str) -> Result<String, Error> {
    opt_str(o, key)?.ok_or_else(|| wrong(key, " is missing"))
}

fn opt_obj<'a>(o: &'a Object, key: &str) -> Result<Option<&'a Object>, Error> {
    match o.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(inner)) => Ok(Some(inner)),
        Some(_) => Err(wrong(key, " is not an object")),
    }
}

fn string_pairs(o: &Object, key: &str) -> Result<Pairs, Error> {
    let mut pairs = Pairs::new();
    if let Some(inner) = opt_obj(o, key)? {
        for (k, v) in inner.iter() {
            let v = v.as_str().ok_or_else(|| wrong(k, " is not a string"))?;
            pairs.push((k.clone(), v.to_owned()));
        }
    }
    Ok(pairs)
}

fn code_delivery(o: &Object) -> Result<Option<CodeDelivery>, Error> {
    opt_obj(o, "CodeDeliveryDetails")?.map(delivery).transpose()
}

fn delivery(d: &Object) -> Result<CodeDelivery, Error> {
    Ok(CodeDelivery {
        destination: opt_str(d, "Destination")?,
        delivery_medium: opt_str(d, "DeliveryMedium")?,
        attribute_name: opt_str(d, "AttributeName")?,
    })
}

/// InitiateAuth's and RespondToAuthChallenge's answer: tokens or the next challenge.
pub fn read_sign_in(o: &Object) -> Result<SignInResult, Error> {
    if let Some(r) = opt_obj(o, "AuthenticationResult")? {
        // Checked in the members' order, as the npm package's shapes (shapes.rs) are.
        return Ok(SignInResult::Tokens(Tokens {
            id_token: req_str(r, "IdToken")?,
            access_token: req_str(r, "AccessToken")?,
            refresh_token: opt_str(r, "RefreshToken")?,
            expires_in: match r.get("ExpiresIn") {
                Some(v) => v
                    .as_i64()
                    .and_then(|n| u64::try_from(n).ok())
                    .ok_or_else(|| wrong("ExpiresIn", " is not a count of seconds"))?,
                None => return Err(wrong("ExpiresIn", " is missing")),
            },
            token_type: req_str(r, "TokenType")?,
        }));
    }
    match opt_str(o, "ChallengeName")? {
        Some(name) => Ok(SignInResult::Challenge(Challenge {
            name,
            session: opt_str(o, "Session")?,
            parameters: string_pairs(o, "ChallengeParameters")?,
        })),
        None => Err(Error::malformed(
            "neither AuthenticationResult nor ChallengeName",
        )),
    }
}

/// Reads an answer to `operation`: the JSON object of a 2xx, else Cognito's exception (from
/// the body's `__type` or `code`, or the `x-amzn-errortype` header). A body is parsed only
/// up to [`MAX_ANSWER_BYTES`].
pub fn read_answer(operation: &str, response: &HttpResponse) -> Result<Object, Error> {
    let body = Some(response.body.as_str()).filter(|b| b.len() <= MAX_ANSWER_BYTES);
    if (200..300).contains(&response.status) {
        let parsed = body.map(json::parse_object);
        return match parsed {
            Some(Ok(object)) => Ok(object),
            Some(Err(e)) => Err(Error::malformed(concat(&[operation, ": ", &e.message()]))),
            None => Err(wrong(
                operation,
                concat!(": an answer is at most ", max_answer_mib!(), " MiB"),
            )),
        };
    }
    let parsed = body
        .and_then(|b| json::parse_object(b).ok())
        .unwrap_or_default();
    let text = |k: &str| parsed.get(k).and_then(Value::as_str);
    let kind = text("__type")
        .or(text("code"))
        .or(response.error_type.as_deref());
    match kind {
        Some(kind) => Err(Error::Cognito {
            exception: CognitoException::from_type(kind),
            message: text("message")
                .or(text("Message"))
                .unwrap_or_default()
                .to_owned(),
            status: response.status,
        }),
        None => {
            let status = json::itoa(response.status.into());
            Err(Error::malformed(concat(&[
                operation,
                ": HTTP ",
                &status,
                " without an error type",
            ])))
        }
    }
}

/// SignUp's answer.
pub fn read_sign_up(w: &Object) -> Result<SignUpResult, Error> {
    Ok(SignUpResult {
        user_confirmed: w
            .get("UserConfirmed")
            .and_then(Value::as_bool)
            .ok_or_else(|| wrong("UserConfirmed", " is missing or not a boolean"))?,
        user_sub: req_str(w, "UserSub")?,
        code_delivery: code_delivery(w)?,
    })
}

/// The answer of ResendConfirmationCode and ForgotPassword: where the code went.
pub fn read_code_delivery(w: &Object) -> Result<CodeDelivery, Error> {
    Ok(code_delivery(w)?.unwrap_or_default())
}

/// UpdateUserAttributes' answer: where the codes for new emails or phone numbers went.
pub fn read_code_deliveries(w: &Object) -> Result<Vec<CodeDelivery>, Error> {
    match w.get("CodeDeliveryDetailsList") {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(list)) => {
            let mut deliveries = Vec::with_capacity(list.len());
            for d in list {
                let d = d
                    .as_object()
                    .ok_or_else(|| wrong("CodeDeliveryDetailsList", " holds a non-object"))?;
                deliveries.push(delivery(d)?);
            }
            Ok(deliveries)
        }
        Some(_) => Err(wrong("CodeDeliveryDetailsList", " is not a list")),
    }
}

/// The answer to a USER_SRP_AUTH InitiateAuth: PASSWORD_VERIFIER's challenge, with the
/// parameters the password claim needs checked here (their absence is the server's fault, a
/// MalformedResponseError), or whatever else Cognito answered (tokens, another challenge).
pub fn read_srp_start(w: &Object) -> Result<SignInResult, Error> {
    let result = read_sign_in(w)?;
    if let SignInResult::Challenge(c) = &result {
        if c.name == "PASSWORD_VERIFIER" {
            c.password_verifier()?;
        }
    }
    Ok(result)
}

/// The answer to a refresh: tokens (Cognito sends no new refresh token).
pub fn read_refresh(w: &Object) -> Result<Tokens, Error> {
    match read_sign_in(w)? {
        SignInResult::Tokens(t) => Ok(t),
        SignInResult::Challenge(c) => {
            let mut m = String::from("a refresh answered with the challenge ");
            m.push_str(&c.name);
            Err(Error::malformed(m))
        }
    }
}

/// GetUser's answer.
pub fn read_user(w: &Object) -> Result<User, Error> {
    let username = req_str(w, "Username")?;
    let mut attributes = Pairs::new();
    match w.get("UserAttributes") {
        None | Some(Value::Null) => {}
        // They become an object's members (the JS API's `attributes`), so at most as many.
        Some(Value::Array(list)) if list.len() > json::MAX_MEMBERS => {
            return Err(wrong("UserAttributes", " holds too many attributes"))
        }
        Some(Value::Array(list)) => {
            for a in list {
                let a = a
                    .as_object()
                    .ok_or_else(|| wrong("UserAttributes", " holds a non-object"))?;
                attributes.push((
                    req_str(a, "Name")?,
                    opt_str(a, "Value")?.unwrap_or_default(),
                ));
            }
        }
        Some(_) => return Err(wrong("UserAttributes", " is not a list")),
    }
    let mfa_settings = match w.get("UserMFASettingList") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(list)) => list
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| wrong("UserMFASettingList", " holds a non-string"))
            })
            .collect::<Result<_, _>>()?,
        Some(_) => return Err(wrong("UserMFASettingList", " is not a list")),
    };
    Ok(User {
        username,
        attributes,
        mfa_settings,
        preferred_mfa: opt_str(w, "PreferredMfaSetting")?,
    })
}

/// AssociateSoftwareToken's and VerifySoftwareToken's answer.
pub fn read_software_token(w: &Object) -> Result<SoftwareToken, Error> {
    Ok(SoftwareToken {
        secret_code: opt_str(w, "SecretCode")?,
        session: opt_str(w, "Session")?,
    })
}

impl Challenge {
    /// What the challenge asks, from its name and parameters. Cognito sends lists and
    /// attributes as JSON text inside the parameters (`requiredAttributes`,
    /// `MFAS_CAN_SETUP`, ...): text that does not parse makes the answer malformed.
    pub fn step(&self) -> Result<ChallengeStep, Error> {
        let destination = || {
            self.parameter("CODE_DELIVERY_DESTINATION")
                .map(str::to_owned)
        };
        Ok(match self.name.as_str() {
            "NEW_PASSWORD_REQUIRED" => ChallengeStep::NewPasswordRequired {
                required_attributes: self
                    .json_list("requiredAttributes")?
                    .into_iter()
                    .map(|n| match n.strip_prefix("userAttributes.") {
                        Some(name) => name.to_owned(),
                        None => n,
                    })
                    .collect(),
                user_attributes: match self.parameter("userAttributes") {
                    None => Pairs::new(),
                    Some(text) => {
                        let value = json::parse(text)
                            .map_err(|_| wrong("userAttributes", " is not JSON"))?;
                        let object = value
                            .as_object()
                            .ok_or_else(|| wrong("userAttributes", " is not an object"))?;
                        object
                            .iter()
                            .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
                            .collect()
                    }
                },
            },
            "SMS_MFA" => ChallengeStep::SmsMfa {
                destination: destination(),
            },
            "EMAIL_OTP" | "EMAIL_MFA" => ChallengeStep::EmailOtp {
                destination: destination(),
            },
            "SOFTWARE_TOKEN_MFA" => ChallengeStep::SoftwareTokenMfa,
            "SELECT_MFA_TYPE" => ChallengeStep::SelectMfaType {
                allowed: self.json_list("MFAS_CAN_CHOOSE")?,
            },
            "MFA_SETUP" => ChallengeStep::MfaSetup {
                allowed: self.json_list("MFAS_CAN_SETUP")?,
            },
            _ => ChallengeStep::Unsupported,
        })
    }

    /// A parameter holding a JSON list of strings; absent is empty.
    fn json_list(&self, name: &str) -> Result<Vec<String>, Error> {
        let Some(text) = self.parameter(name) else {
            return Ok(Vec::new());
        };
        let value = json::parse(text).map_err(|_| wrong(name, " is not JSON"))?;
        let list = value
            .as_array()
            .ok_or_else(|| wrong(name, " is not a list"))?;
        list.iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| wrong(name, " holds a non-string"))
            })
            .collect()
    }

    /// PASSWORD_VERIFIER's parameters, as the password claim reads them.
    pub fn password_verifier(&self) -> Result<PasswordVerifier<'_>, Error> {
        let get = |k: &'static str| {
            self.parameter(k)
                .ok_or_else(|| wrong(k, " is missing from PASSWORD_VERIFIER"))
        };
        Ok(PasswordVerifier {
            srp_b: get("SRP_B")?,
            salt: get("SALT")?,
            secret_block: get("SECRET_BLOCK")?,
            user_id_for_srp: get("USER_ID_FOR_SRP")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, body: String) -> Result<Object, Error> {
        let error_type = Some("TooManyRequestsException".into());
        read_answer(
            "GetUser",
            &HttpResponse {
                status,
                body,
                error_type,
            },
        )
    }

    /// `{"Username":"u","pad":"xx..."}`, `len` bytes long.
    fn body(len: usize) -> String {
        let head = r#"{"Username":"u","pad":""#;
        concat(&[head, &"x".repeat(len - head.len() - 2), r#""}"#])
    }

    #[test]
    fn answers_are_read_up_to_the_cap() {
        assert_eq!(answer(200, body(MAX_ANSWER_BYTES)).unwrap().len(), 2);
        assert_eq!(
            answer(200, body(MAX_ANSWER_BYTES + 1)).unwrap_err(),
            Error::malformed("GetUser: an answer is at most 1 MiB")
        );
        // An error too long to read is still Cognito's, by its header.
        let error = |len| match answer(400, body(len)) {
            Err(Error::Cognito { exception, .. }) => exception,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            error(MAX_ANSWER_BYTES + 1),
            CognitoException::TooManyRequests
        );
    }

    #[test]
    fn a_user_has_at_most_as_many_attributes_as_an_object_has_members() {
        let user = |n: usize| {
            let attribute = r#"{"Name":"a","Value":"b"}"#;
            let list = vec![attribute; n].join(",");
            let text = concat(&[r#"{"Username":"u","UserAttributes":["#, &list, "]}"]);
            read_user(&json::parse_object(&text).unwrap())
        };
        assert_eq!(user(json::MAX_MEMBERS).unwrap().attributes.len(), 1024);
        assert_eq!(
            user(json::MAX_MEMBERS + 1).unwrap_err(),
            Error::malformed("UserAttributes holds too many attributes")
        );
    }

    #[test]
    fn a_challenge_says_what_it_asks() {
        let challenge = |name: &str, parameters: &[(&str, &str)]| Challenge {
            name: name.into(),
            session: Some("s".into()),
            parameters: parameters
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        };
        let step = |name, parameters| challenge(name, parameters).step();
        assert_eq!(
            step(
                "NEW_PASSWORD_REQUIRED",
                &[
                    (
                        "requiredAttributes",
                        r#"["userAttributes.name","family_name"]"#
                    ),
                    (
                        "userAttributes",
                        r#"{"email":"a@x.io","email_verified":"true"}"#
                    ),
                ]
            ),
            Ok(ChallengeStep::NewPasswordRequired {
                required_attributes: vec!["name".into(), "family_name".into()],
                user_attributes: vec![
                    ("email".into(), "a@x.io".into()),
                    ("email_verified".into(), "true".into())
                ],
            })
        );
        let masked = [("CODE_DELIVERY_DESTINATION", "+*******1234")];
        assert_eq!(
            step("SMS_MFA", &masked),
            Ok(ChallengeStep::SmsMfa {
                destination: Some("+*******1234".into())
            })
        );
        assert_eq!(
            step("EMAIL_MFA", &[]),
            Ok(ChallengeStep::EmailOtp { destination: None })
        );
        assert_eq!(
            step("SOFTWARE_TOKEN_MFA", &[]),
            Ok(ChallengeStep::SoftwareTokenMfa)
        );
        let choose = [("MFAS_CAN_CHOOSE", r#"["SMS_MFA","SOFTWARE_TOKEN_MFA"]"#)];
        assert_eq!(
            step("SELECT_MFA_TYPE", &choose),
            Ok(ChallengeStep::SelectMfaType {
                allowed: vec!["SMS_MFA".into(), "SOFTWARE_TOKEN_MFA".into()]
            })
        );
        let setup = [("MFAS_CAN_SETUP", r#"["SOFTWARE_TOKEN_MFA"]"#)];
        assert_eq!(
            step("MFA_SETUP", &setup),
            Ok(ChallengeStep::MfaSetup {
                allowed: vec!["SOFTWARE_TOKEN_MFA".into()]
            })
        );
        assert_eq!(
            step("CUSTOM_CHALLENGE", &[]),
            Ok(ChallengeStep::Unsupported)
        );
        assert_eq!(
            step("MFA_SETUP", &[("MFAS_CAN_SETUP", "[1]")]),
            Err(Error::malformed("MFAS_CAN_SETUP holds a non-string"))
        );
        assert_eq!(
            step("NEW_PASSWORD_REQUIRED", &[("userAttributes", "{")]),
            Err(Error::malformed("userAttributes is not JSON"))
        );
    }
}
