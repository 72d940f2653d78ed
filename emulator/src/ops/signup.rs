//! Sign-up, its confirmation, and password recovery: the calls that send codes.

use serde::Deserialize;
use serde_json::{json, Value};

use super::app_client::{check_secret_hash, client_context};
use super::attributes::{check_value, is_standard_attribute};
use super::client_metadata::{metadata, record_metadata};
use super::codes::{check_code, delivery, issue_code, Outgoing};
use super::credentials::new_verifier;
use super::request::{attributes_from, check_username, NameValue};
use crate::error::{ApiError, ApiResult};
use crate::ids;
use crate::state::{App, ClientMetadata, User, UserStatus};

const CONFIRM_CODE_LIFETIME: f64 = 24.0 * 3600.0;
const RESET_CODE_LIFETIME: f64 = 3600.0;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SignUp {
    client_id: String,
    username: String,
    password: String,
    #[serde(default)]
    secret_hash: Option<String>,
    #[serde(default)]
    user_attributes: Vec<NameValue>,
    #[serde(default)]
    client_metadata: Option<ClientMetadata>,
}

/// The verifier is made without the lock (a modular exponentiation), after the first checks
/// (a password the policy refuses gets none); everything is checked again, in Cognito's order,
/// under the lock that commits, so of two sign-ups of one name, one is `UsernameExistsException`.
pub fn sign_up(app: &App, req: SignUp) -> ApiResult<Value> {
    let srp_name = {
        let state = app.lock();
        let (pool_id, client) = client_context(&state, &req.client_id)?;
        check_secret_hash(&client, &[&req.username], req.secret_hash.as_deref())?;
        check_username(&req.username)?;
        let pool = state.pool(&pool_id)?;
        crate::state::check_password(&pool.policy, &req.password)
            .is_ok()
            .then(|| pool.srp_name().to_owned())
    };
    let credentials = match &srp_name {
        Some(name) => Some(new_verifier(name, &req.username, &req.password)?),
        None => None,
    };
    let now = app.now();
    let mut state = app.lock();
    let (pool_id, client) = client_context(&state, &req.client_id)?;
    check_secret_hash(&client, &[&req.username], req.secret_hash.as_deref())?;
    check_username(&req.username)?;
    let pool = state.pool_mut(&pool_id)?;
    let mut attributes = attributes_from(&req.user_attributes)?;
    for name in attributes.keys() {
        let known = (is_standard_attribute(name) && !name.ends_with("_verified"))
            || (name.starts_with("custom:") && pool.schema.contains_key(name));
        if !known {
            return Err(ApiError::invalid_parameter(format!(
                "Attributes did not conform to the schema: {name}: Attribute does not exist in the schema."
            )));
        }
    }
    for (name, a) in &pool.schema {
        if a.required && attributes.get(name).is_none_or(|v| v.is_empty()) {
            return Err(ApiError::invalid_parameter(format!(
                "Attributes did not conform to the schema: {name}: The attribute is required"
            )));
        }
    }
    for (name, value) in &attributes {
        check_value(name, value)?;
    }
    if pool.user(&req.username).is_some() {
        return Err(ApiError::new(
            "UsernameExistsException",
            "User already exists",
        ));
    }
    crate::state::check_password(&pool.policy, &req.password)?;

    let sub = ids::uuid()?;
    attributes.insert("sub".into(), sub.clone());
    for attribute in ["email", "phone_number"] {
        if attributes.contains_key(attribute) {
            attributes.insert(format!("{attribute}_verified"), "false".into());
        }
    }
    let (salt, verifier) = match credentials {
        Some(made) if srp_name.as_deref() == Some(pool.srp_name()) => made,
        // The client now belongs to another pool (a reset, then a config): under the lock, rare.
        _ => new_verifier(pool.srp_name(), &req.username, &req.password)?,
    };
    let email = attributes
        .get("email")
        .filter(|_| pool.auto_verifies("email"))
        .cloned();
    let key = pool.user_key(&req.username);
    let username = req.username.clone();
    let mut user = User {
        username: req.username,
        sub: sub.clone(),
        attributes,
        salt,
        verifier,
        status: UserStatus::Unconfirmed,
        enabled: true,
        created: now,
        modified: now,
        confirm_code: None,
        reset_code: None,
        verifications: Default::default(),
        failed_sign_ins: 0,
        locked_until: 0.0,
        software_token: None,
        mfa: Default::default(),
        temporary_password_expires: None,
    };
    let mut out = json!({ "UserConfirmed": false, "UserSub": sub });
    if let Some(email) = email {
        let to = Outgoing::email(
            &pool_id,
            &username,
            &email,
            "confirm_sign_up",
            metadata(&req.client_metadata),
        );
        let (code, details) = issue_code(app, &mut state, to, CONFIRM_CODE_LIFETIME)?;
        user.confirm_code = Some(code);
        out["CodeDeliveryDetails"] = details;
    }
    state.pool_mut(&pool_id)?.users.insert(key, user);
    record_metadata(
        app,
        &mut state,
        &pool_id,
        &username,
        "SignUp",
        &req.client_metadata,
    );
    Ok(out)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConfirmSignUp {
    client_id: String,
    username: String,
    confirmation_code: String,
    #[serde(default)]
    secret_hash: Option<String>,
    #[serde(default)]
    client_metadata: Option<ClientMetadata>,
}

pub fn confirm_sign_up(app: &App, req: ConfirmSignUp) -> ApiResult<Value> {
    let now = app.now();
    let mut state = app.lock();
    let (pool_id, client) = client_context(&state, &req.client_id)?;
    check_secret_hash(&client, &[&req.username], req.secret_hash.as_deref())?;
    let pool = state.pool_mut(&pool_id)?;
    let Some(user) = pool.user_mut(&req.username) else {
        // Without existence errors, an unknown user looks like a wrong code.
        return Err(if client.prevent_user_existence_errors {
            ApiError::code_mismatch()
        } else {
            ApiError::user_not_found()
        });
    };
    if user.status == UserStatus::Confirmed {
        return Err(ApiError::not_authorized(
            "User cannot be confirmed. Current status is CONFIRMED",
        ));
    }
    check_code(&mut user.confirm_code, &req.confirmation_code, now)?;
    user.status = UserStatus::Confirmed;
    if user.attributes.contains_key("email") {
        user.attributes
            .insert("email_verified".into(), "true".into());
    }
    user.modified = now;
    let username = user.username.clone();
    record_metadata(
        app,
        &mut state,
        &pool_id,
        &username,
        "ConfirmSignUp",
        &req.client_metadata,
    );
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserCodeRequest {
    client_id: String,
    username: String,
    #[serde(default)]
    secret_hash: Option<String>,
    #[serde(default)]
    client_metadata: Option<ClientMetadata>,
}

/// Delivery details for a user that does not exist, so the answer reveals nothing.
fn simulated_delivery(username: &str) -> Value {
    let first = username.chars().next().unwrap_or('u');
    json!({ "CodeDeliveryDetails": delivery("email", &format!("{first}@e")) })
}

pub fn resend_confirmation_code(app: &App, req: UserCodeRequest) -> ApiResult<Value> {
    let mut state = app.lock();
    let (pool_id, client) = client_context(&state, &req.client_id)?;
    check_secret_hash(&client, &[&req.username], req.secret_hash.as_deref())?;
    let pool = state.pool_mut(&pool_id)?;
    let auto_verify = pool.auto_verifies("email");
    let Some(user) = pool.user(&req.username) else {
        return if client.prevent_user_existence_errors {
            Ok(simulated_delivery(&req.username))
        } else {
            Err(ApiError::user_not_found())
        };
    };
    if user.status == UserStatus::Confirmed {
        return Err(ApiError::invalid_parameter("User is already confirmed."));
    }
    let email = match user.attributes.get("email") {
        Some(e) if auto_verify => e.clone(),
        _ => {
            return Err(ApiError::invalid_parameter(
                "Auto verification not turned on.",
            ))
        }
    };
    let username = user.username.clone();
    let to = Outgoing::email(
        &pool_id,
        &username,
        &email,
        "confirm_sign_up",
        metadata(&req.client_metadata),
    );
    let (code, details) = issue_code(app, &mut state, to, CONFIRM_CODE_LIFETIME)?;
    if let Some(user) = state.pool_mut(&pool_id)?.user_mut(&username) {
        user.confirm_code = Some(code);
    }
    record_metadata(
        app,
        &mut state,
        &pool_id,
        &username,
        "ResendConfirmationCode",
        &req.client_metadata,
    );
    Ok(json!({ "CodeDeliveryDetails": details }))
}

pub fn forgot_password(app: &App, req: UserCodeRequest) -> ApiResult<Value> {
    let mut state = app.lock();
    let (pool_id, client) = client_context(&state, &req.client_id)?;
    check_secret_hash(&client, &[&req.username], req.secret_hash.as_deref())?;
    let pool = state.pool_mut(&pool_id)?;
    let Some(user) = pool.user(&req.username) else {
        return if client.prevent_user_existence_errors {
            Ok(simulated_delivery(&req.username))
        } else {
            Err(ApiError::user_not_found())
        };
    };
    if !user.enabled {
        return Err(ApiError::not_authorized("User is disabled."));
    }
    let verified = user.attributes.get("email_verified").map(String::as_str) == Some("true");
    let email = match user.attributes.get("email") {
        Some(e) if verified => e.clone(),
        _ => {
            return Err(ApiError::invalid_parameter(
                "Cannot reset password for the user as there is no registered/verified email or phone_number",
            ))
        }
    };
    let username = user.username.clone();
    let to = Outgoing::email(
        &pool_id,
        &username,
        &email,
        "forgot_password",
        metadata(&req.client_metadata),
    );
    let (code, details) = issue_code(app, &mut state, to, RESET_CODE_LIFETIME)?;
    if let Some(user) = state.pool_mut(&pool_id)?.user_mut(&username) {
        user.reset_code = Some(code);
    }
    record_metadata(
        app,
        &mut state,
        &pool_id,
        &username,
        "ForgotPassword",
        &req.client_metadata,
    );
    Ok(json!({ "CodeDeliveryDetails": details }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConfirmForgotPassword {
    client_id: String,
    username: String,
    confirmation_code: String,
    password: String,
    #[serde(default)]
    secret_hash: Option<String>,
    #[serde(default)]
    client_metadata: Option<ClientMetadata>,
}

/// Like SignUp: the new verifier is made without the lock, for the user as read, and made
/// again under it only if the user changed meanwhile.
pub fn confirm_forgot_password(app: &App, req: ConfirmForgotPassword) -> ApiResult<Value> {
    let read = {
        let state = app.lock();
        let (pool_id, client) = client_context(&state, &req.client_id)?;
        check_secret_hash(&client, &[&req.username], req.secret_hash.as_deref())?;
        let pool = state.pool(&pool_id)?;
        crate::state::check_password(&pool.policy, &req.password)?;
        pool.user(&req.username)
            .map(|user| (pool.srp_name().to_owned(), user.username.clone()))
    };
    let made = match &read {
        Some((srp_name, username)) => Some(new_verifier(srp_name, username, &req.password)?),
        None => None,
    };
    let now = app.now();
    let mut state = app.lock();
    let (pool_id, client) = client_context(&state, &req.client_id)?;
    check_secret_hash(&client, &[&req.username], req.secret_hash.as_deref())?;
    let pool = state.pool_mut(&pool_id)?;
    crate::state::check_password(&pool.policy, &req.password)?;
    let srp_name = pool.srp_name().to_owned();
    let Some(user) = pool.user_mut(&req.username) else {
        return Err(if client.prevent_user_existence_errors {
            ApiError::code_mismatch()
        } else {
            ApiError::user_not_found()
        });
    };
    check_code(&mut user.reset_code, &req.confirmation_code, now)?;
    let (salt, verifier) = match (read, made) {
        (Some((name, username)), Some(made)) if name == srp_name && username == user.username => {
            made
        }
        _ => new_verifier(&srp_name, &user.username, &req.password)?,
    };
    user.salt = salt;
    user.verifier = verifier;
    user.failed_sign_ins = 0;
    user.locked_until = 0.0;
    user.modified = now;
    let username = user.username.clone();
    record_metadata(
        app,
        &mut state,
        &pool_id,
        &username,
        "ConfirmForgotPassword",
        &req.client_metadata,
    );
    Ok(json!({}))
}
