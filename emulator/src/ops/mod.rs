//! The Cognito operations, one module per family. Each takes the parsed request and answers a
//! JSON value or a Cognito error; HTTP is `http.rs`'s business.

mod admin;
mod attributes;
mod auth;
mod challenge;
mod mfa;
mod pools;
mod refresh;
mod session;
mod signup;
mod software_token;
mod totp;
mod user;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use cognito_wasm::secret_hash;
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use crate::error::{ApiError, ApiResult};
use crate::ids;
use crate::state::{App, Client, ClientMetadata, Code, Message, MetadataRecord, Pool, State, User};

pub use mfa::set_user_pool_mfa_config;
pub use pools::{create_user_pool, create_user_pool_client};

/// Whether an operation needs the admin header (`access::ADMIN_HEADER`): every operation
/// AWS signs with IAM credentials, which a web page cannot, except DescribeUserPool, whose
/// answer holds no secret and no user (the demo reads the pool's password policy with it
/// from the page).
pub fn requires_admin(op: &str) -> bool {
    matches!(
        op,
        "CreateUserPool"
            | "CreateUserPoolClient"
            | "DescribeUserPoolClient"
            | "AdminGetUser"
            | "AdminConfirmSignUp"
            | "AdminDeleteUser"
            | "ListUsers"
            | "SetUserPoolMfaConfig"
            | "GetUserPoolMfaConfig"
            | "AdminCreateUser"
            | "AdminSetUserPassword"
            | "AdminSetUserMFAPreference"
    )
}

/// Runs one operation. `op` is the part of `X-Amz-Target` after the service name.
pub async fn dispatch(app: &Arc<App>, op: &str, body: Value) -> ApiResult<Value> {
    match op {
        "CreateUserPool" => pools::create_user_pool(app, parse(body)?),
        "CreateUserPoolClient" => pools::create_user_pool_client(app, parse(body)?),
        "DescribeUserPool" => pools::describe_user_pool(app, parse(body)?),
        "DescribeUserPoolClient" => pools::describe_user_pool_client(app, parse(body)?),
        "AdminGetUser" => admin::admin_get_user(app, parse(body)?),
        "AdminConfirmSignUp" => admin::admin_confirm_sign_up(app, parse(body)?),
        "AdminDeleteUser" => admin::admin_delete_user(app, parse(body)?),
        "ListUsers" => admin::list_users(app, parse(body)?),
        "SetUserPoolMfaConfig" => mfa::set_user_pool_mfa_config(app, parse(body)?),
        "GetUserPoolMfaConfig" => mfa::get_user_pool_mfa_config(app, parse(body)?),
        "AdminSetUserMFAPreference" => mfa::admin_set_user_mfa_preference(app, parse(body)?),
        "AdminCreateUser" => {
            let req = parse(body)?;
            compute(app, move |app| admin::admin_create_user(app, req)).await
        }
        "AdminSetUserPassword" => {
            let req = parse(body)?;
            compute(app, move |app| admin::admin_set_user_password(app, req)).await
        }
        "SignUp" => {
            let req = parse(body)?;
            compute(app, move |app| signup::sign_up(app, req)).await
        }
        "ConfirmSignUp" => signup::confirm_sign_up(app, parse(body)?),
        "ResendConfirmationCode" => signup::resend_confirmation_code(app, parse(body)?),
        "ForgotPassword" => signup::forgot_password(app, parse(body)?),
        "ConfirmForgotPassword" => {
            let req = parse(body)?;
            compute(app, move |app| signup::confirm_forgot_password(app, req)).await
        }
        "InitiateAuth" => {
            let req = parse(body)?;
            let keys = app.keys().await?;
            compute(app, move |app| auth::initiate_auth(app, &keys, req)).await
        }
        "GetTokensFromRefreshToken" => {
            let req = parse(body)?;
            let keys = app.keys().await?;
            compute(app, move |app| {
                refresh::get_tokens_from_refresh_token(app, &keys, req)
            })
            .await
        }
        "RespondToAuthChallenge" => {
            let req = parse(body)?;
            let keys = app.keys().await?;
            compute(app, move |app| {
                auth::respond_to_auth_challenge(app, &keys, req)
            })
            .await
        }
        "ChangePassword" => {
            let req = parse(body)?;
            let keys = app.keys().await?;
            compute(app, move |app| user::change_password(app, &keys, req)).await
        }
        "GetUser"
        | "GlobalSignOut"
        | "DeleteUser"
        | "UpdateUserAttributes"
        | "GetUserAttributeVerificationCode"
        | "VerifyUserAttribute"
        | "DeleteUserAttributes"
        | "AssociateSoftwareToken"
        | "VerifySoftwareToken"
        | "SetUserMFAPreference" => {
            let keys = app.keys().await?;
            match op {
                "AssociateSoftwareToken" => {
                    software_token::associate_software_token(app, &keys, parse(body)?)
                }
                "VerifySoftwareToken" => {
                    software_token::verify_software_token(app, &keys, parse(body)?)
                }
                "SetUserMFAPreference" => mfa::set_user_mfa_preference(app, &keys, parse(body)?),
                "GetUser" => user::get_user(app, &keys, parse(body)?),
                "GlobalSignOut" => user::global_sign_out(app, &keys, parse(body)?),
                "UpdateUserAttributes" => {
                    attributes::update_user_attributes(app, &keys, parse(body)?)
                }
                "GetUserAttributeVerificationCode" => {
                    attributes::get_user_attribute_verification_code(app, &keys, parse(body)?)
                }
                "VerifyUserAttribute" => {
                    attributes::verify_user_attribute(app, &keys, parse(body)?)
                }
                "DeleteUserAttributes" => {
                    attributes::delete_user_attributes(app, &keys, parse(body)?)
                }
                "DeleteUser" => user::delete_user(app, &keys, parse(body)?),
                // Only the names above reach here; a name added there without an arm here
                // must not fall into another operation.
                _ => Err(unknown_operation(op)),
            }
        }
        "RevokeToken" => user::revoke_token(app, parse(body)?),
        _ => Err(unknown_operation(op)),
    }
}

/// Runs an operation that computes (SRP's modular exponentiations, RSA signatures: a few
/// milliseconds) on tokio's blocking pool at a lower priority, once one of [`App::compute`]'s
/// permits is free. The operation itself takes the lock only to read and to commit (`state.rs`).
async fn compute<F>(app: &Arc<App>, operation: F) -> ApiResult<Value>
where
    F: FnOnce(&App) -> ApiResult<Value> + Send + 'static,
{
    let _permit = app
        .compute
        .acquire()
        .await
        .map_err(|e| ApiError::internal(format!("no compute permit: {e}")))?;
    let app = Arc::clone(app);
    tokio::task::spawn_blocking(move || {
        lower_priority();
        operation(&app)
    })
    .await
    .map_err(|e| ApiError::internal(format!("the operation failed: {e}")))?
}

/// Lowers the calling thread's priority (nice 10), once per thread: the threads that compute
/// then yield the core to the runtime's workers whenever a request comes in, so `/health`
/// answers in milliseconds even with every core computing (measured on one core, its p99
/// went from 26 ms to 8 ms, and throughput did not drop). Linux only; elsewhere a no-op.
fn lower_priority() {
    thread_local!(static LOWERED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) });
    if LOWERED.with(|lowered| lowered.replace(true)) {
        return;
    }
    #[cfg(target_os = "linux")]
    // SAFETY: setpriority takes no pointer; on Linux, `who` 0 with PRIO_PROCESS is the calling
    // thread. A failure (not allowed) leaves the priority as it was, which is harmless.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, 10);
    }
}

fn unknown_operation(op: &str) -> ApiError {
    ApiError::new(
        "UnknownOperationException",
        format!("Unknown operation {op}: the emulator does not implement it"),
    )
}

/// Deserializes a request: a missing member is Cognito's `InvalidParameterException`, a member
/// of the wrong type a `SerializationException`. A `null` member is an absent one, as in AWS's
/// JSON protocol: ACIJ sends `"DEVICE_KEY": null` in every browser refresh.
fn parse<T: DeserializeOwned>(mut body: Value) -> ApiResult<T> {
    strip_nulls(&mut body);
    serde_json::from_value(body).map_err(|e| {
        let text = e.to_string();
        match text.strip_prefix("missing field `") {
            Some(rest) => {
                let field = rest.split('`').next().unwrap_or(rest);
                ApiError::invalid_parameter(format!(
                    "1 validation error detected: Value null at '{field}' failed to satisfy constraint: Member must not be null"
                ))
            }
            None => ApiError::new("SerializationException", text),
        }
    })
}

/// A challenge's or an auth flow's parameter, required (`AuthParameters`,
/// `ChallengeResponses`).
fn param<'a>(params: &'a HashMap<String, String>, name: &str) -> ApiResult<&'a str> {
    params
        .get(name)
        .map(String::as_str)
        .ok_or_else(|| ApiError::invalid_parameter(format!("Missing required parameter {name}")))
}

fn strip_nulls(value: &mut Value) {
    match value {
        Value::Object(members) => {
            members.retain(|_, v| !v.is_null());
            members.values_mut().for_each(strip_nulls);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_nulls),
        _ => {}
    }
}

/// Looks up an app client and the id of its pool.
fn client_context(state: &State, client_id: &str) -> ApiResult<(String, Client)> {
    let pool = state.pool_of_client(client_id)?;
    let client = pool
        .clients
        .get(client_id)
        .ok_or_else(|| ApiError::client_not_found(client_id))?;
    Ok((pool.id.clone(), client.clone()))
}

/// Enforces `SECRET_HASH` for clients with a secret. `usernames`: the names the hash may have
/// been computed over (the username, or for refresh also the `sub`).
fn check_secret_hash(client: &Client, usernames: &[&str], given: Option<&str>) -> ApiResult<()> {
    let Some(secret) = &client.secret else {
        return Ok(());
    };
    let Some(given) = given else {
        return Err(ApiError::not_authorized(format!(
            "Client {} is configured for secret but secret was not received",
            client.id
        )));
    };
    let ok = usernames
        .iter()
        .any(|u| secret_hash(secret, u, &client.id).as_bytes() == given.as_bytes());
    if ok {
        Ok(())
    } else {
        Err(ApiError::not_authorized(format!(
            "Unable to verify secret hash for client {}",
            client.id
        )))
    }
}

/// The error for "no such user" on the client's terms: with user existence errors prevented,
/// the same as a wrong password.
fn unknown_user(client: &Client) -> ApiError {
    if client.prevent_user_existence_errors {
        ApiError::incorrect_credentials()
    } else {
        ApiError::user_not_found()
    }
}

fn attributes_json(attributes: &BTreeMap<String, String>) -> Value {
    Value::Array(
        attributes
            .iter()
            .map(|(k, v)| json!({ "Name": k, "Value": v }))
            .collect(),
    )
}

/// `{Name, Value}` list from a request into a map, rejecting duplicates.
fn attributes_from(list: &[NameValue]) -> ApiResult<BTreeMap<String, String>> {
    let mut map = BTreeMap::new();
    for a in list {
        if map.insert(a.name.clone(), a.value.clone()).is_some() {
            return Err(ApiError::invalid_parameter(format!(
                "Duplicate attribute: {}",
                a.name
            )));
        }
    }
    Ok(map)
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NameValue {
    pub name: String,
    #[serde(default)]
    pub value: String,
}

/// `a***@e***`, as Cognito masks a destination.
fn mask_email(email: &str) -> String {
    let (local, domain) = email.split_once('@').unwrap_or((email, ""));
    let first = |s: &str| s.chars().next().map(String::from).unwrap_or_default();
    format!("{}***@{}***", first(local), first(domain))
}

/// `+*******1234`: every digit but the last four hidden, as Cognito masks a phone number.
fn mask_phone(phone: &str) -> String {
    let digits: Vec<char> = phone.chars().filter(char::is_ascii_digit).collect();
    let hidden = digits.len().saturating_sub(4);
    let shown: String = digits[hidden..].iter().collect();
    format!("+{}{shown}", "*".repeat(hidden))
}

/// Who a code goes to, how, and why.
pub struct Outgoing<'a> {
    pub pool_id: &'a str,
    pub username: &'a str,
    /// `email` (sent by email) or `phone_number` (sent by SMS).
    pub attribute: &'static str,
    /// The full address.
    pub address: &'a str,
    /// The outbox `kind`.
    pub kind: &'static str,
    pub client_metadata: Option<&'a ClientMetadata>,
}

impl<'a> Outgoing<'a> {
    /// A code mailed to the user's email.
    fn email(
        pool_id: &'a str,
        username: &'a str,
        address: &'a str,
        kind: &'static str,
        client_metadata: Option<&'a ClientMetadata>,
    ) -> Outgoing<'a> {
        Outgoing {
            pool_id,
            username,
            attribute: "email",
            address,
            kind,
            client_metadata,
        }
    }
}

/// A new code, "sent" through the outbox; answers it with its `CodeDeliveryDetails`.
fn issue_code(
    app: &App,
    state: &mut State,
    to: Outgoing<'_>,
    lifetime: f64,
) -> ApiResult<(Code, Value)> {
    let code = ids::code()?;
    let now = app.now();
    app.send(
        state,
        Message {
            pool_id: to.pool_id.to_owned(),
            username: to.username.to_owned(),
            destination: to.address.to_owned(),
            kind: to.kind,
            code: code.clone(),
            sent_at: now,
            medium: medium(to.attribute),
            attribute: to.attribute,
            client_metadata: to.client_metadata.cloned(),
        },
    );
    Ok((
        Code {
            code,
            expires: now + lifetime,
            tries_left: Code::TRIES,
        },
        delivery(to.attribute, to.address),
    ))
}

/// How a code for the attribute travels: `SMS` for `phone_number`, else `EMAIL`.
fn medium(attribute: &str) -> &'static str {
    if attribute == "phone_number" {
        "SMS"
    } else {
        "EMAIL"
    }
}

/// `CodeDeliveryDetails` for a code sent to `address`, the value of `attribute`.
fn delivery(attribute: &'static str, address: &str) -> Value {
    let destination = if attribute == "phone_number" {
        mask_phone(address)
    } else {
        mask_email(address)
    };
    json!({
        "Destination": destination,
        "DeliveryMedium": medium(attribute),
        "AttributeName": attribute,
    })
}

/// A request's ClientMetadata when it has any member (an empty map is as good as none).
fn metadata(given: &Option<ClientMetadata>) -> Option<&ClientMetadata> {
    given.as_ref().filter(|m| !m.is_empty())
}

/// Keeps a successful call's ClientMetadata where tests can read it (`GET
/// /_emulator/client-metadata`): Cognito hands it to the pool's Lambda triggers, and the
/// emulator has none.
fn record_metadata(
    app: &App,
    state: &mut State,
    pool_id: &str,
    username: &str,
    operation: &'static str,
    given: &Option<ClientMetadata>,
) {
    if let Some(m) = metadata(given) {
        state.client_metadata.push(MetadataRecord {
            pool_id: pool_id.to_owned(),
            username: username.to_owned(),
            operation,
            client_metadata: m.clone(),
            received_at: app.now(),
        });
    }
}

/// Checks a code against the stored one, consuming a try; the stored code is removed when it
/// is used, expired or out of tries.
fn check_code(slot: &mut Option<Code>, given: &str, now: f64) -> ApiResult<()> {
    let Some(code) = slot.as_mut() else {
        return Err(ApiError::code_mismatch());
    };
    if now > code.expires {
        *slot = None;
        return Err(ApiError::expired_code());
    }
    if code.tries_left == 0 {
        *slot = None;
        return Err(too_many_failed_attempts());
    }
    if code.code.as_bytes() != given.as_bytes() {
        code.tries_left -= 1;
        if code.tries_left == 0 {
            *slot = None;
            return Err(too_many_failed_attempts());
        }
        return Err(ApiError::code_mismatch());
    }
    *slot = None;
    Ok(())
}

fn too_many_failed_attempts() -> ApiError {
    ApiError::new(
        "TooManyFailedAttemptsException",
        "Too many failed attempts: request a new code.",
    )
}

/// A username Cognito would accept: 1-128 characters, no whitespace or control characters.
fn check_username(username: &str) -> ApiResult<()> {
    let len = username.chars().count();
    if len == 0
        || len > 128
        || username
            .chars()
            .any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(ApiError::invalid_parameter(
            "1 validation error detected: Value at 'username' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+",
        ));
    }
    Ok(())
}

/// What proving a password against a user needs, copied out of the state so that the proof
/// (the verifier `g^x`, a modular exponentiation) runs without the lock; we keep no password.
struct Credentials {
    srp_name: String,
    username: String,
    salt: Vec<u8>,
    verifier: Vec<u8>,
}

impl Credentials {
    fn of(pool: &Pool, user: &User) -> Credentials {
        Credentials {
            srp_name: pool.srp_name().to_owned(),
            username: user.username.clone(),
            salt: user.salt.clone(),
            verifier: user.verifier.clone(),
        }
    }

    /// Whether `password` is the one these credentials were made from.
    fn matches(&self, password: &str) -> bool {
        let v = cognito_wasm::srp::verifier(&self.srp_name, &self.username, password, &self.salt);
        v == self.verifier
    }

    /// Whether the user still has these credentials: a proof made without the lock holds
    /// only if no password change (or a new user of the same name) came in between.
    fn current(&self, pool: &Pool, user: &User) -> bool {
        self.srp_name == pool.srp_name()
            && self.username == user.username
            && self.salt == user.salt
            && self.verifier == user.verifier
    }
}

/// A new salt and verifier for a password (a modular exponentiation: call it without the
/// lock). `srp_name` is the pool's ([`Pool::srp_name`]), `username` the user's as stored.
fn new_verifier(srp_name: &str, username: &str, password: &str) -> ApiResult<(Vec<u8>, Vec<u8>)> {
    let salt = ids::random_bytes::<16>()?.to_vec();
    let v = cognito_wasm::srp::verifier(srp_name, username, password, &salt);
    Ok((salt, v))
}
