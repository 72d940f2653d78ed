//! Building requests, without I/O: an operation's row (see [`operation`](super::operation))
//! and the caller's inputs make the body, with SECRET_HASH, the client id or secret, and
//! ClientMetadata where the row says. [`Client`](super::Client) sends them; the JS package's
//! driver sends them with `fetch`.

use crate::prelude::*;

use super::operation::{Auth, Body, Custom, Input, Kind, Operation, Spec};
use super::types::{Challenge, ClientConfig};
use crate::error::Error;
use crate::json::{self, write_string, Object, ObjectWriter, Value};
use crate::secret_hash::secret_hash;

/// One request to Cognito, built but not sent: what [`Client`](super::Client) posts, and
/// what the JS package's driver posts with `fetch` (so the rules live once, here, and the
/// wasm holds no futures). The body may hold a password: `Debug` shows only the operation.
#[derive(Clone)]
pub struct Request {
    /// What is asked.
    pub operation: Operation,
    /// The JSON body.
    pub body: String,
}

impl Request {
    /// `AWSCognitoIdentityProviderService.{target}`: the `X-Amz-Target` header.
    pub fn target(&self) -> String {
        concat(&[
            "AWSCognitoIdentityProviderService.",
            self.operation.spec().target,
        ])
    }
}

impl core::fmt::Debug for Request {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Request")
            .field("operation", &self.operation)
            .finish_non_exhaustive()
    }
}

/// Splits `us-east-1_AbC123xyz` into region and pool name, refusing other shapes.
pub fn parse_pool_id(pool_id: &str) -> Result<(&str, &str), Error> {
    let bad = || {
        Error::invalid_input(concat(&[
            "user pool id ",
            &json::quoted(pool_id),
            " is not of the form region_Name, e.g. us-east-1_AbC123xyz",
        ]))
    };
    let (region, name) = crate::split_at_byte(pool_id, b'_').ok_or_else(bad)?;
    let region_ok = !region.is_empty()
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    let name_ok = !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric());
    if region_ok && name_ok {
        Ok((region, name))
    } else {
        Err(bad())
    }
}

fn invalid(name: &str, problem: &str) -> Error {
    Error::invalid_input(concat(&[name, problem]))
}

fn non_empty<'a>(what: &str, value: &'a str) -> Result<&'a str, Error> {
    if value.is_empty() {
        Err(invalid(what, " must not be empty"))
    } else {
        Ok(value)
    }
}

/// The inputs of one call, checked against its row: `get` finds them by name.
struct Inputs<'a> {
    spec: &'a Spec,
    values: &'a [Value],
}

impl<'a> Inputs<'a> {
    /// Checks each value's kind (a missing optional input and `null` are absent), and that
    /// nothing is given beyond the row's inputs (and ClientMetadata).
    fn check(spec: &'a Spec, values: &'a [Value]) -> Result<Inputs<'a>, Error> {
        let allowed = spec.inputs.len() + usize::from(spec.client_metadata);
        if values
            .iter()
            .skip(allowed)
            .any(|v| !matches!(v, Value::Null))
        {
            let n = json::itoa(allowed as i64);
            return Err(invalid(
                spec.method,
                &concat(&[" takes ", &n, " arguments"]),
            ));
        }
        for (i, input) in spec.inputs.iter().enumerate() {
            check(input, values.get(i))?;
        }
        if spec.client_metadata {
            string_pairs("clientMetadata", values.get(spec.inputs.len()))?;
        }
        Ok(Inputs { spec, values })
    }

    fn value(&self, i: usize) -> Option<&'a Value> {
        let optional = self.spec.inputs.get(i).is_some_and(|input| input.optional);
        self.values.get(i).filter(|v| match v {
            Value::Null => false,
            Value::String(s) => !(optional && s.is_empty()),
            _ => true,
        })
    }

    /// The text input at `i` (checked: a string, or absent when optional).
    fn text(&self, i: usize) -> Option<&'a str> {
        self.value(i).and_then(Value::as_str)
    }

    /// The input whose member is `member`, as text.
    fn member(&self, member: &str) -> Option<&'a str> {
        let at = self.spec.inputs.iter().position(|i| i.member == member)?;
        self.text(at)
    }

    fn metadata(&self) -> Option<&'a Value> {
        if self.spec.client_metadata {
            self.value(self.spec.inputs.len())
                .filter(|v| v.as_object().is_some_and(|o| !o.is_empty()))
        } else {
            None
        }
    }
}

/// One input checked for its kind.
fn check(input: &Input, value: Option<&Value>) -> Result<(), Error> {
    let name = input.name;
    let value = match value {
        None | Some(Value::Null) if input.optional => return Ok(()),
        // An optional text left empty is absent (`refresh(token, "")` without a secret).
        Some(Value::String(s)) if input.optional && s.is_empty() => return Ok(()),
        None | Some(Value::Null) => return Err(invalid(name, " is required")),
        Some(v) => Some(v),
    };
    match input.kind {
        Kind::Text => match value.and_then(Value::as_str) {
            Some(s) => non_empty(name, s).map(drop),
            None => Err(invalid(name, " must be a string")),
        },
        Kind::Computed => value
            .and_then(Value::as_str)
            .map(drop)
            .ok_or_else(|| invalid(name, " must be a string")),
        Kind::Attributes | Kind::Map => {
            let what = match input.kind {
                Kind::Map => "a response's name",
                _ => "an attribute's name",
            };
            for (k, _) in string_pairs(name, value)? {
                non_empty(what, k)?;
            }
            Ok(())
        }
        Kind::Names => {
            let names = value.and_then(Value::as_array);
            let names = names.ok_or_else(|| invalid(name, " must be a list of strings"))?;
            for n in names {
                let n = n.as_str();
                non_empty(
                    name,
                    n.ok_or_else(|| invalid(name, " must be a list of strings"))?,
                )?;
            }
            Ok(())
        }
        Kind::Challenge => Challenge::from_value(value).map(drop),
    }
}

/// A `Record<string, string>` (absent: none).
fn string_pairs<'v>(
    what: &str,
    value: Option<&'v Value>,
) -> Result<Vec<(&'v str, &'v str)>, Error> {
    let mut pairs = Vec::new();
    match value {
        None | Some(Value::Null) => {}
        Some(Value::Object(o)) => {
            for (k, v) in o.iter() {
                let v = v.as_str().ok_or_else(|| {
                    Error::invalid_input(concat(&[what, ": ", k, " must be a string"]))
                })?;
                pairs.push((k.as_str(), v));
            }
        }
        Some(_) => return Err(invalid(what, " must be an object of strings")),
    }
    Ok(pairs)
}

/// The requests of one app client, built without I/O from the registry's rows.
/// [`Client`](super::Client) sends them.
#[derive(Debug, Clone)]
pub struct Requests {
    config: ClientConfig,
    pool_name: String,
    endpoint: String,
}

impl Requests {
    /// Checks the configuration's shape.
    pub fn new(config: ClientConfig) -> Result<Requests, Error> {
        let (region, pool_name) = parse_pool_id(&config.user_pool_id)?;
        non_empty("client id", &config.client_id)?;
        if config.client_secret.as_deref() == Some("") {
            return Err(Error::invalid_input(
                "client secret must not be empty (leave it out for a client without one)",
            ));
        }
        let endpoint = match &config.endpoint {
            Some(e) if e.starts_with("http://") || e.starts_with("https://") => e.clone(),
            Some(e) => {
                return Err(Error::invalid_input(concat(&[
                    "endpoint ",
                    &json::quoted(e),
                    " must be an http:// or https:// URL",
                ])))
            }
            None => concat(&["https://cognito-idp.", region, ".amazonaws.com/"]),
        };
        Ok(Requests {
            pool_name: pool_name.to_owned(),
            endpoint,
            config,
        })
    }

    /// The configuration.
    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// The URL requests go to.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The pool's name (after the region), which SRP hashes.
    pub fn pool_name(&self) -> &str {
        &self.pool_name
    }

    /// SECRET_HASH for `username`, when the client has a secret.
    fn secret_hash(&self, username: &str) -> Option<String> {
        self.config
            .client_secret
            .as_deref()
            .map(|s| secret_hash(s, username, &self.config.client_id))
    }

    /// `operation`'s request for `inputs`: the row's inputs in order (JSON values: strings,
    /// objects of strings, lists of strings, a challenge), then its ClientMetadata if it takes
    /// one. Every input is checked against the row before anything is built.
    pub fn request(&self, operation: Operation, inputs: &[Value]) -> Result<Request, Error> {
        let spec = operation.spec();
        let inputs = Inputs::check(spec, inputs)?;
        let body = match spec.body {
            Body::Members => self.members(&inputs),
            Body::AuthParameters(flow) => {
                let params = self.members(&inputs);
                ObjectWriter::new()
                    .string("AuthFlow", flow)
                    .string("ClientId", &self.config.client_id)
                    .raw("AuthParameters", &params.finish())
            }
            Body::Custom(Custom::PasswordVerifier) => password_verifier(self, inputs.values)?,
            Body::Custom(Custom::RespondToChallenge) => respond_to_challenge(self, inputs.values)?,
            Body::Custom(Custom::Refresh) => refresh(self, inputs.values)?,
            Body::Custom(Custom::ConfirmSignIn) => confirm_sign_in(self, inputs.values)?,
            Body::Custom(Custom::MfaPreference) => mfa_preference(inputs.values)?,
        };
        // The software-token calls: the access token or MFA_SETUP's session, exactly one.
        if spec.inputs.iter().any(|i| i.member == "Session")
            && inputs.member("AccessToken").is_some() == inputs.member("Session").is_some()
        {
            return Err(Error::invalid_input(
                "give either the access token or the challenge's session (exactly one)",
            ));
        }
        let metadata = inputs.metadata().map(Value::to_json);
        Ok(Request {
            operation,
            body: body.opt_raw("ClientMetadata", metadata.as_deref()).finish(),
        })
    }

    /// The inputs as members, with what the row's [`Auth`] adds. In `AuthParameters` the
    /// username is `USERNAME` and the hash `SECRET_HASH`; in a body, `Username`, `SecretHash`.
    fn members(&self, inputs: &Inputs<'_>) -> ObjectWriter {
        let spec = inputs.spec;
        let in_params = matches!(spec.body, Body::AuthParameters(_));
        let mut w = ObjectWriter::new();
        if !in_params && spec.auth != Auth::AccessToken {
            w = w.string("ClientId", &self.config.client_id);
        }
        for (i, input) in spec.inputs.iter().enumerate() {
            if input.member.is_empty() {
                continue;
            }
            w = match (input.kind, inputs.value(i)) {
                (Kind::Attributes, value) => w.raw(input.member, &attributes(value)),
                (_, None) => w,
                (Kind::Names, Some(Value::Array(names))) => {
                    let mut list = String::from("[");
                    for n in names.iter().filter_map(Value::as_str) {
                        if list.len() > 1 {
                            list.push(',');
                        }
                        write_string(n, &mut list);
                    }
                    list.push(']');
                    w.raw(input.member, &list)
                }
                (_, Some(v)) => w.opt_string(input.member, v.as_str()),
            };
        }
        match spec.auth {
            Auth::SecretHash => {
                let (user, hash) = if in_params {
                    ("USERNAME", "SECRET_HASH")
                } else {
                    ("Username", "SecretHash")
                };
                let secret_hash = inputs.member(user).and_then(|u| self.secret_hash(u));
                w.opt_string(hash, secret_hash.as_deref())
            }
            Auth::ClientSecret => {
                w.opt_string("ClientSecret", self.config.client_secret.as_deref())
            }
            Auth::AccessToken => w,
        }
    }
}

/// Name-value pairs as Cognito's `[{"Name": ..., "Value": ...}]` (absent: `[]`).
fn attributes(value: Option<&Value>) -> String {
    let mut list = String::from("[");
    for (name, v) in value
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(Object::iter)
    {
        if list.len() > 1 {
            list.push(',');
        }
        let attr = ObjectWriter::new()
            .string("Name", name)
            .string("Value", v.as_str().unwrap_or_default());
        list.push_str(&attr.finish());
    }
    list.push(']');
    list
}

/// The inputs of a [`Body::Custom`] row, checked already: the text at `i` (an optional one
/// left empty is absent, as `Inputs::check` took it).
fn text(inputs: &[Value], i: usize) -> Option<&str> {
    inputs
        .get(i)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

/// `RespondToAuthChallenge` with `responses`, SECRET_HASH added over their USERNAME.
fn challenge_answer(
    r: &Requests,
    name: &str,
    session: Option<&str>,
    mut responses: Object,
) -> Result<ObjectWriter, Error> {
    let username = responses
        .get("USERNAME")
        .and_then(Value::as_str)
        .ok_or_else(|| Error::invalid_input("challenge responses need USERNAME"))?;
    if let Some(hash) = r.secret_hash(username) {
        responses.insert("SECRET_HASH", hash);
    }
    Ok(ObjectWriter::new()
        .string("ChallengeName", name)
        .string("ClientId", &r.config.client_id)
        .raw("ChallengeResponses", &Value::Object(responses).to_json())
        .opt_string("Session", session))
}

/// [`Operation::RespondToChallenge`]: `[name, session, responses]`. Responses go into an
/// object first: a name given twice counts once (the last), for the hash too.
fn respond_to_challenge(r: &Requests, inputs: &[Value]) -> Result<ObjectWriter, Error> {
    let responses = match inputs.get(2) {
        Some(Value::Object(o)) => o.clone(),
        _ => Object::new(),
    };
    challenge_answer(
        r,
        text(inputs, 0).unwrap_or_default(),
        text(inputs, 1),
        responses,
    )
}

/// The ChallengeResponses member that carries the user's answer to the challenge `name`
/// (MFA_SETUP carries none: its app was verified with the session), or `None` for a
/// challenge `confirmSignIn` does not know.
pub(crate) fn answer_key(name: &str) -> Option<&'static str> {
    Some(match name {
        "NEW_PASSWORD_REQUIRED" => "NEW_PASSWORD",
        "SMS_MFA" => "SMS_MFA_CODE",
        "EMAIL_OTP" => "EMAIL_OTP_CODE",
        "EMAIL_MFA" => "EMAIL_MFA_CODE",
        "SOFTWARE_TOKEN_MFA" => "SOFTWARE_TOKEN_MFA_CODE",
        "SELECT_MFA_TYPE" => "ANSWER",
        "MFA_SETUP" => "",
        _ => return None,
    })
}

/// [`Operation::ConfirmSignIn`]: `[challenge, answer, attributes]`. The user is the one the
/// challenge names (USERNAME, else USER_ID_FOR_SRP: the library's sign-ins add USERNAME
/// where Cognito leaves it out); `attributes` become NEW_PASSWORD_REQUIRED's
/// `userAttributes.<name>`.
fn confirm_sign_in(r: &Requests, inputs: &[Value]) -> Result<ObjectWriter, Error> {
    let challenge = Challenge::from_value(inputs.first())?;
    let name = challenge.name.as_str();
    let key = answer_key(name).ok_or_else(|| {
        Error::invalid_input(concat(&[
            "confirmSignIn does not answer ",
            name,
            ": answer it with respondToChallenge",
        ]))
    })?;
    let user = challenge
        .parameter("USERNAME")
        .or_else(|| challenge.parameter("USER_ID_FOR_SRP"))
        .ok_or_else(|| Error::invalid_input("the challenge does not name its user (USERNAME)"))?;
    let mut responses = Object::new().with("USERNAME", user);
    if !key.is_empty() {
        let answer = text(inputs, 1)
            .ok_or_else(|| Error::invalid_input(concat(&["answer is needed for ", name])))?;
        responses.insert(key, answer);
    }
    for (k, v) in string_pairs("attributes", inputs.get(2))? {
        responses.insert(concat(&["userAttributes.", k]), v);
    }
    challenge_answer(r, name, challenge.session.as_deref(), responses)
}

/// [`Operation::SetUserMfaPreference`]: `[accessToken, totp, sms, email]`, each factor's
/// word made SetUserMFAPreference's `{Enabled, PreferredMfa}`.
fn mfa_preference(inputs: &[Value]) -> Result<ObjectWriter, Error> {
    let mut w = ObjectWriter::new().string("AccessToken", text(inputs, 0).unwrap_or_default());
    for (i, (input, member)) in [
        ("totp", "SoftwareTokenMfaSettings"),
        ("sms", "SMSMfaSettings"),
        ("email", "EmailMfaSettings"),
    ]
    .into_iter()
    .enumerate()
    {
        let Some(word) = text(inputs, i + 1) else {
            continue;
        };
        let (enabled, preferred) = match word {
            "ENABLED" => (true, None),
            "PREFERRED" => (true, Some(true)),
            "NOT_PREFERRED" => (true, Some(false)),
            "DISABLED" => (false, Some(false)),
            _ => {
                return Err(Error::invalid_input(concat(&[
                    input,
                    " must be ENABLED, PREFERRED, NOT_PREFERRED or DISABLED",
                ])))
            }
        };
        let mut settings = ObjectWriter::new().bool("Enabled", enabled);
        if let Some(preferred) = preferred {
            settings = settings.bool("PreferredMfa", preferred);
        }
        w = w.raw(member, &settings.finish());
    }
    Ok(w)
}

/// [`Operation::PasswordVerifier`]: `[challenge, timestamp, signature]`. It answers as the
/// USERNAME Cognito named in the challenge (the user id SRP hashed is USER_ID_FOR_SRP, which
/// real Cognito also accepts here; moto accepts only USERNAME).
fn password_verifier(r: &Requests, inputs: &[Value]) -> Result<ObjectWriter, Error> {
    let challenge = Challenge::from_value(inputs.first())?;
    let verifier = challenge.password_verifier()?;
    let answer_as = challenge
        .parameter("USERNAME")
        .unwrap_or(verifier.user_id_for_srp);
    let responses = Object::new()
        .with("USERNAME", answer_as)
        .with("PASSWORD_CLAIM_SECRET_BLOCK", verifier.secret_block)
        .with("TIMESTAMP", text(inputs, 1).unwrap_or_default())
        .with(
            "PASSWORD_CLAIM_SIGNATURE",
            text(inputs, 2).unwrap_or_default(),
        );
    challenge_answer(
        r,
        "PASSWORD_VERIFIER",
        challenge.session.as_deref(),
        responses,
    )
}

/// [`Operation::Refresh`]: `[refresh token, username]`. With a client secret the username
/// (or `sub` in alias pools) is needed for SECRET_HASH; it is not sent otherwise.
fn refresh(r: &Requests, inputs: &[Value]) -> Result<ObjectWriter, Error> {
    let username = text(inputs, 1);
    if r.config.client_secret.is_some() && username.is_none() {
        return Err(Error::invalid_input(
            "a client with a secret needs the username to refresh (for SECRET_HASH)",
        ));
    }
    let hash = username.and_then(|u| r.secret_hash(u));
    let params = ObjectWriter::new()
        .string("REFRESH_TOKEN", text(inputs, 0).unwrap_or_default())
        .opt_string("SECRET_HASH", hash.as_deref());
    Ok(ObjectWriter::new()
        .string("AuthFlow", "REFRESH_TOKEN_AUTH")
        .string("ClientId", &r.config.client_id)
        .raw("AuthParameters", &params.finish()))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
#[path = "requests_tests.rs"]
mod tests;
