//! The npm package's answers as data: each answer's shape (Cognito's member, the JS result's
//! name for it, its kind) read by one interpreter, which checks every member as the typed
//! readers of `answers.rs` do (the same members required, the same types, the same errors, in
//! the same order) and writes the JS result's JSON. The package's core uses this instead of
//! the typed readers and a writer per type: those were 4.0 KB of its gzip (measured,
//! docs/benchmarks.md). `reference` below is that old path, kept for the tests and the
//! `answers` fuzz target, which hold the two to one another.

use crate::prelude::*;

use super::operation::Answer;
use crate::error::Error;
use crate::json::{self, Object, ObjectWriter, Value};

/// What a member holds.
#[derive(Clone, Copy)]
enum Kind {
    /// A string, required.
    Text,
    /// A string, or absent (or null).
    OptText,
    /// A boolean, required.
    Flag,
    /// A whole, non-negative number of seconds, required (null is not a number).
    Seconds,
    /// An object of strings (a challenge's parameters); absent is `{}`.
    Strings,
    /// An object of this shape, or absent.
    Shape(&'static [Field]),
    /// A list of `{Name, Value}` (GetUser's attributes), as an object; absent is `{}`.
    Attributes,
    /// A list of strings; absent is `[]`.
    Texts,
}

/// A member of an answer: Cognito's name, the JS result's, its kind.
#[derive(Clone, Copy)]
struct Field(&'static str, &'static str, Kind);

const DELIVERY: &[Field] = &[
    Field("Destination", "destination", Kind::OptText),
    Field("DeliveryMedium", "deliveryMedium", Kind::OptText),
    Field("AttributeName", "attributeName", Kind::OptText),
];
const SIGN_UP: &[Field] = &[
    Field("UserConfirmed", "userConfirmed", Kind::Flag),
    Field("UserSub", "userSub", Kind::Text),
    Field("CodeDeliveryDetails", "codeDelivery", Kind::Shape(DELIVERY)),
];
const TOKENS: &[Field] = &[
    Field("IdToken", "idToken", Kind::Text),
    Field("AccessToken", "accessToken", Kind::Text),
    Field("RefreshToken", "refreshToken", Kind::OptText),
    Field("ExpiresIn", "expiresIn", Kind::Seconds),
    Field("TokenType", "tokenType", Kind::Text),
];
/// A challenge as the JS API shows it and takes it back (`Challenge::to_json`'s members).
const CHALLENGE: &[Field] = &[
    Field("ChallengeName", "name", Kind::Text),
    Field("Session", "session", Kind::OptText),
    Field("ChallengeParameters", "parameters", Kind::Strings),
];
const USER: &[Field] = &[
    Field("Username", "username", Kind::Text),
    Field("UserAttributes", "attributes", Kind::Attributes),
    Field("UserMFASettingList", "mfaSettings", Kind::Texts),
    Field("PreferredMfaSetting", "preferredMfa", Kind::OptText),
];
const SOFTWARE_TOKEN: &[Field] = &[
    Field("SecretCode", "secretCode", Kind::OptText),
    Field("Session", "session", Kind::OptText),
];
/// What the password claim needs of PASSWORD_VERIFIER (`Challenge::password_verifier`).
const VERIFIER_PARAMETERS: [&str; 4] = ["SRP_B", "SALT", "SECRET_BLOCK", "USER_ID_FOR_SRP"];

fn wrong(key: &str, problem: &str) -> Error {
    Error::malformed(concat(&[key, problem]))
}

/// The member, absent when null.
fn member<'a>(o: &'a Object, key: &str) -> Option<&'a Value> {
    o.get(key).filter(|v| !matches!(v, Value::Null))
}

fn opt_object<'a>(o: &'a Object, key: &str) -> Result<Option<&'a Object>, Error> {
    match member(o, key) {
        None => Ok(None),
        Some(Value::Object(inner)) => Ok(Some(inner)),
        Some(_) => Err(wrong(key, " is not an object")),
    }
}

fn list<'a>(o: &'a Object, key: &str) -> Result<&'a [Value], Error> {
    match member(o, key) {
        None => Ok(&[]),
        Some(Value::Array(items)) => Ok(items),
        Some(_) => Err(wrong(key, " is not a list")),
    }
}

/// The members of `o` that `shape` names, checked, as the JS result's object.
fn object(o: &Object, shape: &[Field]) -> Result<String, Error> {
    let mut w = ObjectWriter::new();
    for &Field(key, name, kind) in shape {
        w = match (kind, member(o, key)) {
            (Kind::Text | Kind::OptText, Some(Value::String(s))) => w.string(name, s),
            (Kind::Text | Kind::OptText, Some(_)) => return Err(wrong(key, " is not a string")),
            (Kind::Text, None) => return Err(wrong(key, " is missing")),
            (Kind::Flag, Some(Value::Bool(b))) => w.bool(name, *b),
            (Kind::Flag, _) => return Err(wrong(key, " is missing or not a boolean")),
            (Kind::Seconds, _) => match o.get(key) {
                None => return Err(wrong(key, " is missing")),
                Some(v) => match v.as_i64().filter(|n| *n >= 0) {
                    Some(n) => w.int(name, n),
                    None => return Err(wrong(key, " is not a count of seconds")),
                },
            },
            (Kind::Strings, _) => {
                let mut inner = ObjectWriter::new();
                for (k, v) in opt_object(o, key)?.into_iter().flat_map(Object::iter) {
                    let v = v.as_str().ok_or_else(|| wrong(k, " is not a string"))?;
                    inner = inner.string(k, v);
                }
                w.raw(name, &inner.finish())
            }
            (Kind::Shape(inner), _) => match opt_object(o, key)? {
                Some(inner_o) => w.raw(name, &object(inner_o, inner)?),
                None => w,
            },
            (Kind::Attributes, _) => {
                let items = list(o, key)?;
                // They become an object's members, so at most as many.
                if items.len() > json::MAX_MEMBERS {
                    return Err(wrong(key, " holds too many attributes"));
                }
                let mut attributes = Vec::with_capacity(items.len());
                for a in items {
                    let a = a
                        .as_object()
                        .ok_or_else(|| wrong(key, " holds a non-object"))?;
                    let text = |k: &str| match member(a, k) {
                        None => Ok(None),
                        Some(Value::String(s)) => Ok(Some(s.clone())),
                        Some(_) => Err(wrong(k, " is not a string")),
                    };
                    let name = text("Name")?.ok_or_else(|| wrong("Name", " is missing"))?;
                    attributes.push((name, text("Value")?.unwrap_or_default()));
                }
                let attributes: json::Object = attributes.into_iter().collect();
                w.raw(name, &Value::Object(attributes).to_json())
            }
            (Kind::Texts, _) => {
                let texts = json_list(list(o, key)?, |item| {
                    let text = item.as_str();
                    Ok(json::quoted(
                        text.ok_or_else(|| wrong(key, " holds a non-string"))?,
                    ))
                })?;
                w.raw(name, &texts)
            }
            (Kind::OptText, None) => w,
        };
    }
    Ok(w.finish())
}

/// The list `o[key]` of objects of `shape`, as a JSON list.
fn objects(o: &Object, key: &str, shape: &[Field]) -> Result<String, Error> {
    json_list(list(o, key)?, |item| {
        let item = item
            .as_object()
            .ok_or_else(|| wrong(key, " holds a non-object"))?;
        object(item, shape)
    })
}

/// `items`, each written by `each`, as a JSON list (the first error stops it).
fn json_list(
    items: &[Value],
    each: impl Fn(&Value) -> Result<String, Error>,
) -> Result<String, Error> {
    let mut out = String::from("[");
    for (at, item) in items.iter().enumerate() {
        if at > 0 {
            out.push(',');
        }
        out.push_str(&each(item)?);
    }
    out.push(']');
    Ok(out)
}

/// A 2xx answer (`read_answer`'s object) as the JS method's result (JSON). For a sign-in:
/// `{"kind":"tokens","tokens":...}`, or `{"kind":"challenge","challenge":...}` (`"verifier"`
/// for PASSWORD_VERIFIER in the first answer of an SRP sign-in, its parameters checked).
pub(crate) fn answer(kind: Answer, o: &Object) -> Result<String, Error> {
    let (srp, tokens_only) = match kind {
        Answer::Nothing => return Ok("null".into()),
        Answer::SignUp => return object(o, SIGN_UP),
        Answer::CodeDelivery => {
            let d = opt_object(o, "CodeDeliveryDetails")?;
            return object(d.unwrap_or(&Object::default()), DELIVERY);
        }
        Answer::CodeDeliveries => return objects(o, "CodeDeliveryDetailsList", DELIVERY),
        Answer::User => return object(o, USER),
        Answer::SoftwareToken => return object(o, SOFTWARE_TOKEN),
        Answer::SignIn => (false, false),
        Answer::SrpStart => (true, false),
        Answer::Tokens => (false, true),
    };
    if let Some(r) = opt_object(o, "AuthenticationResult")? {
        let tokens = object(r, TOKENS)?;
        if tokens_only {
            return Ok(tokens);
        }
        return Ok(ObjectWriter::new()
            .string("kind", "tokens")
            .raw("tokens", &tokens)
            .finish());
    }
    let Some(Value::String(name)) = member(o, "ChallengeName") else {
        return Err(match member(o, "ChallengeName") {
            Some(_) => wrong("ChallengeName", " is not a string"),
            None => Error::malformed("neither AuthenticationResult nor ChallengeName"),
        });
    };
    let challenge = object(o, CHALLENGE)?;
    if tokens_only {
        let why = "a refresh answered with the challenge ";
        return Err(Error::malformed(concat(&[why, name])));
    }
    let verifier = srp && name == "PASSWORD_VERIFIER";
    if verifier {
        let parameters = opt_object(o, "ChallengeParameters")?;
        for k in VERIFIER_PARAMETERS {
            if parameters.and_then(|p| p.get(k)).is_none() {
                return Err(wrong(k, " is missing from PASSWORD_VERIFIER"));
            }
        }
    }
    Ok(ObjectWriter::new()
        .string("kind", if verifier { "verifier" } else { "challenge" })
        .raw("challenge", &challenge)
        .finish())
}

/// The old path, typed readers then a writer per type: what [`answer`] must equal.
#[cfg(any(test, feature = "fuzzing"))]
pub(crate) mod reference {
    use super::*;
    use crate::api::answers;
    use crate::api::{CodeDelivery, SignInResult, Tokens};

    /// Every kind of answer.
    pub(crate) const KINDS: [Answer; 9] = [
        Answer::Nothing,
        Answer::SignUp,
        Answer::CodeDelivery,
        Answer::CodeDeliveries,
        Answer::SignIn,
        Answer::SrpStart,
        Answer::Tokens,
        Answer::User,
        Answer::SoftwareToken,
    ];

    pub(crate) fn answer(kind: Answer, w: &Object) -> Result<String, Error> {
        Ok(match kind {
            Answer::Nothing => "null".into(),
            Answer::SignUp => {
                let r = answers::read_sign_up(w)?;
                let delivery = r.code_delivery.map(code_delivery_json);
                ObjectWriter::new()
                    .bool("userConfirmed", r.user_confirmed)
                    .string("userSub", &r.user_sub)
                    .opt_raw("codeDelivery", delivery.as_deref())
                    .finish()
            }
            Answer::CodeDelivery => code_delivery_json(answers::read_code_delivery(w)?),
            Answer::CodeDeliveries => {
                let list: Vec<String> = answers::read_code_deliveries(w)?
                    .into_iter()
                    .map(code_delivery_json)
                    .collect();
                concat(&["[", &list.join(","), "]"])
            }
            Answer::SignIn => sign_in_json(answers::read_sign_in(w)?, false),
            Answer::SrpStart => sign_in_json(answers::read_srp_start(w)?, true),
            Answer::Tokens => tokens_json(answers::read_refresh(w)?),
            Answer::User => {
                let u = answers::read_user(w)?;
                let attributes: json::Object = u.attributes.into_iter().collect();
                let settings: Vec<Value> = u.mfa_settings.into_iter().map(Value::String).collect();
                ObjectWriter::new()
                    .string("username", &u.username)
                    .raw("attributes", &Value::Object(attributes).to_json())
                    .raw("mfaSettings", &Value::Array(settings).to_json())
                    .opt_string("preferredMfa", u.preferred_mfa.as_deref())
                    .finish()
            }
            Answer::SoftwareToken => {
                let t = answers::read_software_token(w)?;
                ObjectWriter::new()
                    .opt_string("secretCode", t.secret_code.as_deref())
                    .opt_string("session", t.session.as_deref())
                    .finish()
            }
        })
    }

    fn code_delivery_json(c: CodeDelivery) -> String {
        ObjectWriter::new()
            .opt_string("destination", c.destination.as_deref())
            .opt_string("deliveryMedium", c.delivery_medium.as_deref())
            .opt_string("attributeName", c.attribute_name.as_deref())
            .finish()
    }

    fn tokens_json(t: Tokens) -> String {
        ObjectWriter::new()
            .string("idToken", &t.id_token)
            .string("accessToken", &t.access_token)
            .opt_string("refreshToken", t.refresh_token.as_deref())
            .int("expiresIn", t.expires_in.min(i64::MAX as u64) as i64)
            .string("tokenType", &t.token_type)
            .finish()
    }

    fn sign_in_json(result: SignInResult, srp: bool) -> String {
        match result {
            SignInResult::Tokens(t) => ObjectWriter::new()
                .string("kind", "tokens")
                .raw("tokens", &tokens_json(t)),
            SignInResult::Challenge(c) => {
                let verifier = srp && c.name == "PASSWORD_VERIFIER";
                ObjectWriter::new()
                    .string("kind", if verifier { "verifier" } else { "challenge" })
                    .raw("challenge", &c.to_json())
            }
        }
        .finish()
    }
}

#[cfg(test)]
mod tests;
