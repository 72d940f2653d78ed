//! Calls authorised by the user's own access token, and refresh-token revocation.

use serde::Deserialize;
use serde_json::{json, Value};

use super::app_client::client_context;
use super::credentials::{new_verifier, Credentials};
use super::request::attributes_json;
use super::session::verify_access_token;
use crate::error::{ApiError, ApiResult};
use crate::state::App;
use crate::tokens::Keys;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AccessTokenRequest {
    access_token: String,
}

pub fn get_user(app: &App, keys: &Keys, req: AccessTokenRequest) -> ApiResult<Value> {
    let token = verify_access_token(keys, &req.access_token)?;
    let state = app.lock();
    let owner = token.owner(app, &state)?;
    let user = state
        .pool(&owner.pool_id)?
        .user(&owner.username)
        .ok_or_else(ApiError::user_not_found)?;
    let mut out = serde_json::Map::new();
    out.insert("Username".into(), json!(user.username));
    out.insert("UserAttributes".into(), attributes_json(&user.attributes));
    super::mfa::user_mfa_json(user, &mut out);
    Ok(Value::Object(out))
}

pub fn global_sign_out(app: &App, keys: &Keys, req: AccessTokenRequest) -> ApiResult<Value> {
    let token = verify_access_token(keys, &req.access_token)?;
    let mut state = app.lock();
    let owner = token.owner(app, &state)?;
    state.revoke_user_sessions(&owner.pool_id, &owner.sub);
    Ok(json!({}))
}

pub fn delete_user(app: &App, keys: &Keys, req: AccessTokenRequest) -> ApiResult<Value> {
    let token = verify_access_token(keys, &req.access_token)?;
    let mut state = app.lock();
    let owner = token.owner(app, &state)?;
    let pool = state.pool_mut(&owner.pool_id)?;
    let key = pool.user_key(&owner.username);
    pool.users.remove(&key);
    state.revoke_user_sessions(&owner.pool_id, &owner.sub);
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ChangePassword {
    access_token: String,
    previous_password: String,
    proposed_password: String,
}

/// Proves the previous password and makes the new verifier without the lock (two modular
/// exponentiations), then commits if the user's credentials are still those it proved against.
pub fn change_password(app: &App, keys: &Keys, req: ChangePassword) -> ApiResult<Value> {
    let now = app.now();
    let token = verify_access_token(keys, &req.access_token)?;
    let state = app.lock();
    let owner = token.owner(app, &state)?;
    let pool = state.pool(&owner.pool_id)?;
    let user = pool
        .user(&owner.username)
        .ok_or_else(ApiError::user_not_found)?;
    if now < user.locked_until {
        return Err(ApiError::not_authorized("Password attempts exceeded"));
    }
    let stored = Credentials::of(pool, user);
    let policy = pool.policy;
    drop(state);
    if !stored.matches(&req.previous_password) {
        return Err(ApiError::incorrect_credentials());
    }
    crate::state::check_password(&policy, &req.proposed_password)?;
    let (salt, verifier) =
        new_verifier(&stored.srp_name, &stored.username, &req.proposed_password)?;
    let mut state = app.lock();
    let owner = token.owner(app, &state)?;
    let pool = state.pool_mut(&owner.pool_id)?;
    let user = pool
        .user(&owner.username)
        .ok_or_else(ApiError::user_not_found)?;
    // Changed meanwhile (another ChangePassword, a reset): prove again, under the lock (rare).
    if !stored.current(pool, user) && !Credentials::of(pool, user).matches(&req.previous_password) {
        return Err(ApiError::incorrect_credentials());
    }
    if let Some(user) = pool.user_mut(&owner.username) {
        user.salt = salt;
        user.verifier = verifier;
        user.modified = now;
    }
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RevokeToken {
    token: String,
    client_id: String,
    #[serde(default)]
    client_secret: Option<String>,
}

/// Revokes a refresh token and every access token minted from it. Unknown tokens are not an
/// error (RFC 7009 section 2.2); a wrong client is.
pub fn revoke_token(app: &App, req: RevokeToken) -> ApiResult<Value> {
    let mut state = app.lock();
    let (_, client) = client_context(&state, &req.client_id)?;
    if let Some(secret) = &client.secret {
        if req.client_secret.as_deref() != Some(secret.as_str()) {
            return Err(ApiError::new(
                "UnauthorizedException",
                "Client secret is missing or wrong",
            ));
        }
    }
    let Some(origin) = state
        .refresh_tokens
        .get(&req.token)
        .map(|r| r.origin.clone())
    else {
        return Ok(json!({}));
    };
    if let Some(session) = state.sessions.get_mut(&origin) {
        if session.client_id != client.id {
            return Err(ApiError::new(
                "UnauthorizedException",
                "The token was not issued to this client",
            ));
        }
        session.revoked = true;
    }
    Ok(json!({}))
}
