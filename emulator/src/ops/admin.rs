//! The admin calls tests and the demo use to inspect and manage users. Unauthenticated: the
//! emulator binds loopback by default.

use serde::Deserialize;
use serde_json::{json, Value};

use super::attributes_json;
use crate::error::{ApiError, ApiResult};
use crate::state::{App, UserStatus};

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
    Ok(user_json(user, "UserAttributes"))
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
