//! Token refresh, by both of Cognito's ways: InitiateAuth's REFRESH_TOKEN_AUTH and
//! GetTokensFromRefreshToken. One set of checks on the refresh token; what differs is how
//! the client proves itself (SECRET_HASH of the user, or the client secret itself) and that
//! only GetTokensFromRefreshToken rotates: with the client's `RefreshTokenRotation` ENABLED it
//! answers a new refresh token, and the one it was given keeps working for the client's
//! `RetryGracePeriodSeconds` (for a retry whose answer was lost), then is refused as
//! reuse (RefreshTokenReuseException). Rotation must be done with GetTokensFromRefreshToken,
//! so a rotating client refuses REFRESH_TOKEN_AUTH, as one without ALLOW_REFRESH_TOKEN_AUTH
//! does (the console turns that flow off when rotation is turned on).

use serde::Deserialize;
use serde_json::{json, Value};

use super::app_client::{check_secret_hash, client_context};
use super::client_metadata::record_metadata;
use super::session::{issue_refresh_token, mint, refresh_token_expiry, Unsigned};
use crate::error::{ApiError, ApiResult};
use crate::state::{App, Client, ClientMetadata, State};
use crate::tokens::Keys;

/// How the caller proved to be the app client.
pub enum Proof<'a> {
    /// REFRESH_TOKEN_AUTH's SECRET_HASH, over the user's name or `sub`.
    SecretHash(Option<&'a str>),
    /// GetTokensFromRefreshToken's ClientSecret.
    ClientSecret(Option<&'a str>),
}

/// New tokens for `token` under the lock (the caller signs them after releasing it), and
/// whose they are: Cognito's checks in its order, then, when `rotate`, a new refresh token
/// in the answer.
pub fn refresh(
    app: &App,
    state: &mut State,
    pool_id: &str,
    client: &Client,
    token: &str,
    proof: Proof,
    rotate: bool,
) -> ApiResult<(Unsigned, String)> {
    let now = app.now();
    // With its final period, as Cognito writes it (aws-sdk-js-v3 #7162).
    let invalid = || ApiError::not_authorized("Invalid Refresh Token.");
    let (origin, rotated_until) = match state.refresh_tokens.get(token) {
        Some(found) => (found.origin.clone(), found.rotated_until),
        // Its session is gone: the token is not ours, or it expired and was swept.
        None if refresh_token_expiry(app, token).is_some_and(|e| now > e) => {
            return Err(ApiError::not_authorized("Refresh Token has expired"))
        }
        None => return Err(invalid()),
    };
    let session = state.sessions.get(&origin).ok_or_else(invalid)?;
    if session.client_id != client.id {
        return Err(invalid());
    }
    match proof {
        Proof::SecretHash(given) => {
            check_secret_hash(client, &[&session.username, &session.sub], given)?
        }
        Proof::ClientSecret(given) => check_client_secret(client, given)?,
    }
    if session.revoked {
        return Err(ApiError::not_authorized("Refresh Token has been revoked"));
    }
    if now > session.refresh_expires {
        return Err(ApiError::not_authorized("Refresh Token has expired"));
    }
    if rotated_until.is_some_and(|until| now >= until) {
        return Err(ApiError::new(
            "RefreshTokenReuseException",
            "Refresh Token has been rotated and its grace period is over",
        ));
    }
    let (username, sub, auth_time) = (
        session.username.clone(),
        session.sub.clone(),
        session.auth_time,
    );
    let (refresh_expires, keep_until) = (session.refresh_expires, session.keep_until);
    match state.pool(pool_id)?.user(&username) {
        Some(u) if u.sub == sub && u.enabled => {}
        Some(u) if u.sub == sub => return Err(ApiError::not_authorized("User is disabled.")),
        _ => return Err(invalid()),
    }
    let mut tokens = mint(app, state, pool_id, client, &username, &origin, auth_time)?;
    if let (true, Some(grace)) = (rotate, client.rotation_grace) {
        tokens.refresh = Some(issue_refresh_token(
            app,
            state,
            &origin,
            refresh_expires,
            keep_until,
        )?);
        if let Some(old) = state.refresh_tokens.get_mut(token) {
            // A retry within the grace period does not extend it.
            old.rotated_until.get_or_insert(now + grace as f64);
        }
    }
    Ok((tokens, username))
}

/// The client secret itself, as GetTokensFromRefreshToken and RevokeToken take it.
fn check_client_secret(client: &Client, given: Option<&str>) -> ApiResult<()> {
    match (&client.secret, given) {
        (None, _) => Ok(()),
        (Some(_), None) => Err(ApiError::not_authorized(format!(
            "Client {} is configured for secret but secret was not received",
            client.id
        ))),
        (Some(secret), Some(given)) if secret == given => Ok(()),
        (Some(_), Some(_)) => Err(ApiError::not_authorized(format!(
            "Unable to verify secret for client {}",
            client.id
        ))),
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetTokensFromRefreshToken {
    client_id: String,
    refresh_token: String,
    #[serde(default)]
    client_secret: Option<String>,
    /// Remembered devices are not emulated: accepted and unused.
    #[serde(default)]
    #[allow(dead_code)]
    device_key: Option<String>,
    #[serde(default)]
    client_metadata: Option<ClientMetadata>,
}

pub fn get_tokens_from_refresh_token(
    app: &App,
    keys: &Keys,
    req: GetTokensFromRefreshToken,
) -> ApiResult<Value> {
    let mut state = app.lock();
    let (pool_id, client) = client_context(&state, &req.client_id)?;
    let proof = Proof::ClientSecret(req.client_secret.as_deref());
    let (tokens, username) = refresh(
        app,
        &mut state,
        &pool_id,
        &client,
        &req.refresh_token,
        proof,
        true,
    )?;
    record_metadata(
        app,
        &mut state,
        &pool_id,
        &username,
        "GetTokensFromRefreshToken",
        &req.client_metadata,
    );
    drop(state);
    Ok(json!({ "AuthenticationResult": tokens.sign(keys) }))
}
