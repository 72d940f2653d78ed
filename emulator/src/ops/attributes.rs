//! The user's own attributes, authorised by their access token: UpdateUserAttributes,
//! GetUserAttributeVerificationCode, VerifyUserAttribute and DeleteUserAttributes; and the
//! rules an attribute's name and value must follow, which SignUp shares.

use serde::Deserialize;
use serde_json::{json, Value};

use super::client_metadata::{metadata, record_metadata};
use super::codes::{check_code, issue_code, Outgoing};
use super::request::{attributes_from, NameValue};
use super::session::verify_access_token;
use crate::error::{ApiError, ApiResult};
use crate::state::{App, ClientMetadata, Pool, State, User};
use crate::tokens::Keys;

/// How long an attribute verification code lives: 24 hours, like the sign-up confirmation
/// code ("The verification code or link is valid for 24 hours", Cognito developer guide).
const ATTRIBUTE_CODE_LIFETIME: f64 = 24.0 * 3600.0;

/// Attributes every pool has, whether or not its schema names them.
const STANDARD_ATTRIBUTES: &[&str] = &[
    "address",
    "birthdate",
    "email",
    "email_verified",
    "family_name",
    "gender",
    "given_name",
    "locale",
    "middle_name",
    "name",
    "nickname",
    "phone_number",
    "phone_number_verified",
    "picture",
    "preferred_username",
    "profile",
    "updated_at",
    "website",
    "zoneinfo",
];

pub fn is_standard_attribute(name: &str) -> bool {
    STANDARD_ATTRIBUTES.contains(&name)
}

/// `email` and `phone_number`, the attributes a code verifies, as static names.
fn verifiable(name: &str) -> Option<&'static str> {
    match name {
        "email" => Some("email"),
        "phone_number" => Some("phone_number"),
        _ => None,
    }
}

fn verified_flag(attribute: &str) -> String {
    format!("{attribute}_verified")
}

fn schema_error(name: &str, why: &str) -> ApiError {
    ApiError::invalid_parameter(format!(
        "Attributes did not conform to the schema: {name}: {why}"
    ))
}

/// A value's format, for the attributes that have one: email as SignUp has always checked
/// it, phone_number in E.164 (`+` then 1 to 15 digits).
pub fn check_value(name: &str, value: &str) -> ApiResult<()> {
    match name {
        "email" if !valid_email(value) => {
            Err(ApiError::invalid_parameter("Invalid email address format."))
        }
        "phone_number" if !valid_phone(value) => Err(ApiError::invalid_parameter(
            "Invalid phone number format: use E.164, a + and up to 15 digits (+12065551234).",
        )),
        _ => Ok(()),
    }
}

fn valid_email(email: &str) -> bool {
    match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !email.chars().any(char::is_whitespace)
                && !domain.contains('@')
        }
        None => false,
    }
}

fn valid_phone(phone: &str) -> bool {
    phone
        .strip_prefix('+')
        .is_some_and(|d| (1..=15).contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit()))
}

/// What a user may write or delete with their own token: attributes of the pool's schema,
/// never `sub` nor the `*_verified` flags (only an administrator or VerifyUserAttribute sets
/// those).
pub(super) fn check_writable(pool: &Pool, name: &str) -> ApiResult<()> {
    if name == "sub" {
        return Err(schema_error(name, "The sub attribute cannot be modified."));
    }
    if name == "email_verified" || name == "phone_number_verified" {
        return Err(schema_error(
            name,
            "Only an administrator or VerifyUserAttribute can set it.",
        ));
    }
    let known = is_standard_attribute(name)
        || (name.starts_with("custom:") && pool.schema.contains_key(name));
    if !known {
        return Err(schema_error(
            name,
            "Attribute does not exist in the schema.",
        ));
    }
    Ok(())
}

/// The user an access token speaks for, read-only.
fn owner<'s>(pool: &'s Pool, username: &str) -> ApiResult<&'s User> {
    pool.user(username).ok_or_else(ApiError::user_not_found)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateUserAttributes {
    access_token: String,
    user_attributes: Vec<NameValue>,
    #[serde(default)]
    client_metadata: Option<ClientMetadata>,
}

/// Applies the attributes given (a blank value deletes one). A new `email` or
/// `phone_number` is sent a code when the pool auto-verifies it; when the pool also lists it in
/// AttributesRequireVerificationBeforeUpdate, the old value stays in place, verified, and the
/// new one waits for VerifyUserAttribute. Everything is checked before anything changes.
pub fn update_user_attributes(
    app: &App,
    keys: &Keys,
    req: UpdateUserAttributes,
) -> ApiResult<Value> {
    let now = app.now();
    let token = verify_access_token(keys, &req.access_token)?;
    let mut state = app.lock();
    let who = token.owner(app, &state)?;
    let changes = attributes_from(&req.user_attributes)?;
    let pool = state.pool(&who.pool_id)?;
    let user = owner(pool, &who.username)?;
    for (name, value) in &changes {
        check_writable(pool, name)?;
        let current = user.attributes.get(name);
        if !pool.mutable(name) && current.is_some_and(|c| c != value) {
            return Err(schema_error(
                name,
                "Cannot modify an already provided immutable attribute.",
            ));
        }
        if value.is_empty() {
            if pool.required(name) {
                return Err(schema_error(name, "The attribute is required"));
            }
        } else {
            check_value(name, value)?;
        }
    }
    let verifiables = ["email", "phone_number"];
    let auto_verified = verifiables.map(|a| pool.auto_verifies(a));
    let keep_old = verifiables.map(|a| pool.verifies_before_update(a));
    let pool = state.pool_mut(&who.pool_id)?;
    let user = pool
        .user_mut(&who.username)
        .ok_or_else(ApiError::user_not_found)?;
    // (attribute, address) of each code to send.
    let mut codes: Vec<(&'static str, String)> = Vec::new();
    for (name, value) in changes {
        let Some(i) = verifiables.iter().position(|a| *a == name) else {
            if value.is_empty() {
                user.attributes.remove(&name);
            } else {
                user.attributes.insert(name, value);
            }
            continue;
        };
        let attribute = verifiables[i];
        if value.is_empty() {
            user.attributes.remove(attribute);
            user.attributes.remove(&verified_flag(attribute));
            user.verifications.remove(attribute);
            continue;
        }
        let current = user.attributes.get(attribute);
        if current == Some(&value) {
            // Back to the value in place: a change waiting for its code is abandoned.
            if let Some(v) = user.verifications.get_mut(attribute) {
                if v.pending.take().is_some() {
                    v.code = None;
                }
            }
            continue;
        }
        if current.is_some() && keep_old[i] {
            // The pool was refused at creation unless it auto-verifies this attribute, so a
            // code always goes out for the pending value.
            let v = user.verifications.entry(attribute.to_owned()).or_default();
            v.pending = Some(value.clone());
            v.code = None;
            codes.push((attribute, value));
        } else {
            user.attributes.insert(attribute.to_owned(), value.clone());
            user.attributes
                .insert(verified_flag(attribute), "false".into());
            user.verifications.remove(attribute);
            if auto_verified[i] {
                codes.push((attribute, value));
            }
        }
    }
    user.modified = now;
    let username = user.username.clone();
    let mut details = Vec::new();
    for (attribute, address) in codes {
        let code = send_code(
            app,
            &mut state,
            &who.pool_id,
            &username,
            attribute,
            &address,
            &req.client_metadata,
        )?;
        details.push(code);
    }
    record_metadata(
        app,
        &mut state,
        &who.pool_id,
        &username,
        "UpdateUserAttributes",
        &req.client_metadata,
    );
    Ok(json!({ "CodeDeliveryDetailsList": details }))
}

/// Sends a new verification code for `attribute` to `address`, voiding the one before;
/// answers its `CodeDeliveryDetails`.
fn send_code(
    app: &App,
    state: &mut State,
    pool_id: &str,
    username: &str,
    attribute: &'static str,
    address: &str,
    client_metadata: &Option<ClientMetadata>,
) -> ApiResult<Value> {
    let to = Outgoing {
        pool_id,
        username,
        attribute,
        address,
        kind: "verify_attribute",
        client_metadata: metadata(client_metadata),
    };
    let (code, details) = issue_code(app, state, to, ATTRIBUTE_CODE_LIFETIME)?;
    let user = state
        .pool_mut(pool_id)?
        .user_mut(username)
        .ok_or_else(ApiError::user_not_found)?;
    user.verifications
        .entry(attribute.to_owned())
        .or_default()
        .code = Some(code);
    Ok(details)
}

/// The name of an attribute a code can verify, or the error for any other.
fn verifiable_or_refused(name: &str) -> ApiResult<&'static str> {
    verifiable(name).ok_or_else(|| {
        ApiError::invalid_parameter(format!(
            "Attribute {name} cannot be verified: only email and phone_number can."
        ))
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetUserAttributeVerificationCode {
    access_token: String,
    attribute_name: String,
    #[serde(default)]
    client_metadata: Option<ClientMetadata>,
}

/// Sends a code for `email` or `phone_number`: to the value waiting for verification if
/// there is one, else to the current value.
pub fn get_user_attribute_verification_code(
    app: &App,
    keys: &Keys,
    req: GetUserAttributeVerificationCode,
) -> ApiResult<Value> {
    let token = verify_access_token(keys, &req.access_token)?;
    let mut state = app.lock();
    let who = token.owner(app, &state)?;
    let attribute = verifiable_or_refused(&req.attribute_name)?;
    let user = owner(state.pool(&who.pool_id)?, &who.username)?;
    let pending = user
        .verifications
        .get(attribute)
        .and_then(|v| v.pending.as_ref());
    let address = pending
        .or_else(|| user.attributes.get(attribute))
        .cloned()
        .ok_or_else(|| {
            ApiError::invalid_parameter(format!("The user has no {attribute} attribute to verify."))
        })?;
    let username = user.username.clone();
    let details = send_code(
        app,
        &mut state,
        &who.pool_id,
        &username,
        attribute,
        &address,
        &req.client_metadata,
    )?;
    record_metadata(
        app,
        &mut state,
        &who.pool_id,
        &username,
        "GetUserAttributeVerificationCode",
        &req.client_metadata,
    );
    Ok(json!({ "CodeDeliveryDetails": details }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VerifyUserAttribute {
    access_token: String,
    attribute_name: String,
    code: String,
}

/// Checks the attribute's code; on success the pending value (if any) replaces the old one,
/// and `{attribute}_verified` becomes `"true"`.
pub fn verify_user_attribute(app: &App, keys: &Keys, req: VerifyUserAttribute) -> ApiResult<Value> {
    let now = app.now();
    let token = verify_access_token(keys, &req.access_token)?;
    let mut state = app.lock();
    let who = token.owner(app, &state)?;
    let attribute = verifiable_or_refused(&req.attribute_name)?;
    let user = state
        .pool_mut(&who.pool_id)?
        .user_mut(&who.username)
        .ok_or_else(ApiError::user_not_found)?;
    let mut none = None;
    let slot = match user.verifications.get_mut(attribute) {
        Some(v) => &mut v.code,
        None => &mut none,
    };
    check_code(slot, &req.code, now)?;
    let pending = user.verifications.remove(attribute).and_then(|v| v.pending);
    if let Some(value) = pending {
        user.attributes.insert(attribute.to_owned(), value);
    }
    if user.attributes.contains_key(attribute) {
        user.attributes
            .insert(verified_flag(attribute), "true".into());
    }
    user.modified = now;
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeleteUserAttributes {
    access_token: String,
    user_attribute_names: Vec<String>,
}

/// Deletes attributes; `email` / `phone_number` take their `_verified` flag and any value
/// waiting for verification with them. Refused (and nothing deleted) for `sub`, the
/// `_verified` flags, required or immutable attributes, and names outside the schema.
pub fn delete_user_attributes(
    app: &App,
    keys: &Keys,
    req: DeleteUserAttributes,
) -> ApiResult<Value> {
    let now = app.now();
    let token = verify_access_token(keys, &req.access_token)?;
    let mut state = app.lock();
    let who = token.owner(app, &state)?;
    let pool = state.pool_mut(&who.pool_id)?;
    for name in &req.user_attribute_names {
        check_writable(pool, name)?;
        if pool.required(name) {
            return Err(schema_error(name, "The attribute is required"));
        }
        if !pool.mutable(name) {
            return Err(schema_error(name, "Cannot delete an immutable attribute."));
        }
    }
    let user = pool
        .user_mut(&who.username)
        .ok_or_else(ApiError::user_not_found)?;
    for name in &req.user_attribute_names {
        user.attributes.remove(name);
        if verifiable(name).is_some() {
            user.attributes.remove(&verified_flag(name));
            user.verifications.remove(name);
        }
    }
    user.modified = now;
    Ok(json!({}))
}
