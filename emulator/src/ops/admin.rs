//! The admin calls tests and the demo use to create, inspect and manage users. They need the
//! admin header (`access.rs`), as AWS needs IAM credentials.

use serde::Deserialize;
use serde_json::{json, Value};

use super::attributes::{check_value, is_standard_attribute};
use super::client_metadata::metadata;
use super::codes::medium;
use super::credentials::new_verifier;
use super::request::{attributes_from, attributes_json, check_username, NameValue};
use crate::error::{ApiError, ApiResult};
use crate::ids;
use crate::state::{check_password, App, ClientMetadata, Message, User, UserStatus};

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserRef {
    user_pool_id: String,
    username: String,
}

fn user_json(user: &crate::state::User, attributes_key: &str) -> Value {
    json!({
        "Username": user.username,
        attributes_key: attributes_json(&user.attributes),
        "UserCreateDate": user.created,
        "UserLastModifiedDate": user.modified,
        "Enabled": user.enabled,
        "UserStatus": user.status.as_str(),
    })
}

pub fn admin_get_user(app: &App, req: UserRef) -> ApiResult<Value> {
    let state = app.lock();
    let pool = state.pool(&req.user_pool_id)?;
    let user = pool
        .user(&req.username)
        .ok_or_else(ApiError::user_not_found)?;
    let mut out = user_json(user, "UserAttributes");
    if let Value::Object(members) = &mut out {
        super::mfa::user_mfa_json(user, members);
    }
    Ok(out)
}

pub fn admin_confirm_sign_up(app: &App, req: UserRef) -> ApiResult<Value> {
    let now = app.now();
    let mut state = app.lock();
    let pool = state.pool_mut(&req.user_pool_id)?;
    let user = pool
        .user_mut(&req.username)
        .ok_or_else(ApiError::user_not_found)?;
    if user.status == UserStatus::Confirmed {
        return Err(ApiError::not_authorized(
            "User cannot be confirmed. Current status is CONFIRMED",
        ));
    }
    user.status = UserStatus::Confirmed;
    user.confirm_code = None;
    user.modified = now;
    Ok(json!({}))
}

pub fn admin_delete_user(app: &App, req: UserRef) -> ApiResult<Value> {
    let mut state = app.lock();
    let pool = state.pool_mut(&req.user_pool_id)?;
    let key = pool.user_key(&req.username);
    let user = pool
        .users
        .remove(&key)
        .ok_or_else(ApiError::user_not_found)?;
    state.revoke_user_sessions(&req.user_pool_id, &user.sub);
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListUsersRequest {
    user_pool_id: String,
    #[serde(default)]
    limit: Option<usize>,
    #[serde(default)]
    pagination_token: Option<String>,
    #[serde(default)]
    filter: Option<String>,
}

/// Cognito's filter language: `attribute = "value"` or `attribute ^= "prefix"`.
fn parse_filter(filter: &str) -> ApiResult<(String, bool, String)> {
    let bad = || ApiError::invalid_parameter(format!("Invalid filter: {filter}"));
    let (name, rest, prefix) = if let Some((n, r)) = filter.split_once("^=") {
        (n, r, true)
    } else if let Some((n, r)) = filter.split_once('=') {
        (n, r, false)
    } else {
        return Err(bad());
    };
    let value = rest
        .trim()
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .ok_or_else(bad)?;
    Ok((name.trim().to_owned(), prefix, value.to_owned()))
}

pub fn list_users(app: &App, req: ListUsersRequest) -> ApiResult<Value> {
    let limit = req.limit.unwrap_or(60);
    if !(1..=60).contains(&limit) {
        return Err(ApiError::invalid_parameter(
            "Limit must be between 1 and 60",
        ));
    }
    let filter = req
        .filter
        .as_deref()
        .filter(|f| !f.trim().is_empty())
        .map(parse_filter)
        .transpose()?;
    let start: usize = match &req.pagination_token {
        Some(t) => t
            .parse()
            .map_err(|_| ApiError::invalid_parameter("Invalid PaginationToken"))?,
        None => 0,
    };
    let state = app.lock();
    let pool = state.pool(&req.user_pool_id)?;
    let mut users: Vec<_> = pool
        .users
        .values()
        .filter(|u| match &filter {
            None => true,
            Some((name, prefix, value)) => {
                let actual = match name.as_str() {
                    "username" => Some(u.username.as_str()),
                    "cognito:user_status" | "status" => Some(u.status.as_str()),
                    other => u.attributes.get(other).map(String::as_str),
                };
                actual.is_some_and(|a| {
                    if *prefix {
                        a.starts_with(value.as_str())
                    } else {
                        a == value
                    }
                })
            }
        })
        .collect();
    users.sort_by(|a, b| {
        a.created
            .total_cmp(&b.created)
            .then(a.username.cmp(&b.username))
    });
    let page: Vec<Value> = users
        .iter()
        .skip(start)
        .take(limit)
        .map(|u| user_json(u, "Attributes"))
        .collect();
    let mut out = json!({ "Users": page });
    if start + limit < users.len() {
        out["PaginationToken"] = json!((start + limit).to_string());
    }
    Ok(out)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminCreateUser {
    user_pool_id: String,
    username: String,
    #[serde(default)]
    user_attributes: Vec<NameValue>,
    #[serde(default)]
    temporary_password: Option<String>,
    #[serde(default)]
    message_action: Option<String>,
    #[serde(default)]
    desired_delivery_mediums: Vec<String>,
    #[serde(default)]
    client_metadata: Option<ClientMetadata>,
}

/// A user in FORCE_CHANGE_PASSWORD with a temporary password (the one given, or a new one
/// sent in the invitation), valid for the pool's TemporaryPasswordValidityDays; its first
/// sign-in is answered NEW_PASSWORD_REQUIRED. `MessageAction: RESEND` sends a new temporary
/// password to a user still in FORCE_CHANGE_PASSWORD; `SUPPRESS` sends nothing. The
/// invitation goes to the outbox with kind `admin_create_user`, the password as its code.
/// Required attributes are not required here: the user gives them with the new password.
pub fn admin_create_user(app: &App, req: AdminCreateUser) -> ApiResult<Value> {
    check_username(&req.username)?;
    let resend = match req.message_action.as_deref() {
        None | Some("SUPPRESS") => false,
        Some("RESEND") => true,
        Some(other) => {
            return Err(ApiError::invalid_parameter(format!(
                "1 validation error detected: Value '{other}' at 'messageAction' failed to satisfy constraint: Member must satisfy enum value set: [SUPPRESS, RESEND]"
            )))
        }
    };
    for m in &req.desired_delivery_mediums {
        if m != "EMAIL" && m != "SMS" {
            return Err(ApiError::invalid_parameter(format!(
                "1 validation error detected: Value '[{m}]' at 'desiredDeliveryMediums' failed to satisfy constraint: Member must satisfy enum value set: [SMS, EMAIL]"
            )));
        }
    }
    let (srp_name, username, password) = {
        let state = app.lock();
        let pool = state.pool(&req.user_pool_id)?;
        let password = match &req.temporary_password {
            Some(p) => p.clone(),
            None => ids::temporary_password(pool.policy.minimum_length)?,
        };
        check_password(&pool.policy, &password)?;
        let username = match pool.user(&req.username) {
            Some(user) if resend => user.username.clone(),
            _ => req.username.clone(),
        };
        (pool.srp_name().to_owned(), username, password)
    };
    let (salt, verifier) = new_verifier(&srp_name, &username, &password)?;
    let now = app.now();
    let mut state = app.lock();
    let pool = state.pool_mut(&req.user_pool_id)?;
    if pool.srp_name() != srp_name {
        return Err(ApiError::internal(
            "the pool changed during the call: try again",
        ));
    }
    let expires = Some(now + pool.temporary_password_validity);
    let user = if resend {
        let user = pool
            .user_mut(&req.username)
            .filter(|u| u.username == username)
            .ok_or_else(ApiError::user_not_found)?;
        if user.status != UserStatus::ForceChangePassword {
            return Err(ApiError::new(
                "UnsupportedUserStateException",
                format!(
                    "Resend not possible. {} status is not FORCE_CHANGE_PASSWORD",
                    user.username
                ),
            ));
        }
        (user.salt, user.verifier) = (salt, verifier);
        user.temporary_password_expires = expires;
        user.modified = now;
        user
    } else {
        if pool.user(&req.username).is_some() {
            return Err(ApiError::new(
                "UsernameExistsException",
                "User account already exists",
            ));
        }
        let mut attributes = attributes_from(&req.user_attributes)?;
        for (name, value) in &attributes {
            let known = is_standard_attribute(name)
                || name == "email_verified"
                || name == "phone_number_verified"
                || (name.starts_with("custom:") && pool.schema.contains_key(name));
            if !known || name == "sub" {
                return Err(ApiError::invalid_parameter(format!(
                    "Attributes did not conform to the schema: {name}: Attribute does not exist in the schema."
                )));
            }
            check_value(name, value)?;
        }
        let sub = ids::uuid()?;
        attributes.insert("sub".into(), sub.clone());
        for attribute in ["email", "phone_number"] {
            let flag = format!("{attribute}_verified");
            if attributes.contains_key(attribute) && !attributes.contains_key(&flag) {
                attributes.insert(flag, "false".into());
            }
        }
        let key = pool.user_key(&req.username);
        pool.users.insert(
            key.clone(),
            User {
                username: req.username.clone(),
                sub,
                attributes,
                salt,
                verifier,
                status: UserStatus::ForceChangePassword,
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
                temporary_password_expires: expires,
            },
        );
        pool.users
            .get_mut(&key)
            .ok_or_else(|| ApiError::internal("the user just made is missing"))?
    };
    let answer = json!({ "User": user_json(user, "Attributes") });
    let mut mediums = req.desired_delivery_mediums.clone();
    if mediums.is_empty() {
        mediums.push("SMS".into());
    }
    let destinations: Vec<(&'static str, String)> = [("EMAIL", "email"), ("SMS", "phone_number")]
        .into_iter()
        .filter(|(m, _)| mediums.iter().any(|given| given == m))
        .filter_map(|(_, attribute)| {
            user.attributes
                .get(attribute)
                .map(|address| (attribute, address.clone()))
        })
        .collect();
    let username = user.username.clone();
    if req.message_action.as_deref() != Some("SUPPRESS") {
        for (attribute, destination) in destinations {
            let message = Message {
                pool_id: req.user_pool_id.clone(),
                username: username.clone(),
                destination,
                kind: "admin_create_user",
                code: password.clone(),
                sent_at: now,
                medium: medium(attribute),
                attribute,
                client_metadata: metadata(&req.client_metadata).cloned(),
            };
            app.send(&mut state, message);
        }
    }
    Ok(answer)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminSetUserPassword {
    user_pool_id: String,
    username: String,
    password: String,
    #[serde(default)]
    permanent: bool,
}

/// A new password for a user: permanent (the user is CONFIRMED and signs in with it) or
/// temporary (FORCE_CHANGE_PASSWORD, NEW_PASSWORD_REQUIRED at the next sign-in).
pub fn admin_set_user_password(app: &App, req: AdminSetUserPassword) -> ApiResult<Value> {
    let (srp_name, username) = {
        let state = app.lock();
        let pool = state.pool(&req.user_pool_id)?;
        check_password(&pool.policy, &req.password)?;
        let user = pool
            .user(&req.username)
            .ok_or_else(ApiError::user_not_found)?;
        (pool.srp_name().to_owned(), user.username.clone())
    };
    let (salt, verifier) = new_verifier(&srp_name, &username, &req.password)?;
    let now = app.now();
    let mut state = app.lock();
    let pool = state.pool_mut(&req.user_pool_id)?;
    let validity = pool.temporary_password_validity;
    let same_pool = pool.srp_name() == srp_name;
    let user = pool
        .user_mut(&req.username)
        .filter(|u| same_pool && u.username == username)
        .ok_or_else(ApiError::user_not_found)?;
    (user.salt, user.verifier) = (salt, verifier);
    (user.status, user.temporary_password_expires) = if req.permanent {
        (UserStatus::Confirmed, None)
    } else {
        (UserStatus::ForceChangePassword, Some(now + validity))
    };
    user.failed_sign_ins = 0;
    user.locked_until = 0.0;
    user.modified = now;
    Ok(json!({}))
}
