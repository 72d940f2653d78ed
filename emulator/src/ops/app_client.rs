//! The app client a call names: its pool, its SECRET_HASH, and how it answers for a user
//! that does not exist.

use cognito_wasm::secret_hash;

use crate::error::{ApiError, ApiResult};
use crate::state::{Client, State};

/// Looks up an app client and the id of its pool.
pub(super) fn client_context(state: &State, client_id: &str) -> ApiResult<(String, Client)> {
    let pool = state.pool_of_client(client_id)?;
    let client = pool
        .clients
        .get(client_id)
        .ok_or_else(|| ApiError::client_not_found(client_id))?;
    Ok((pool.id.clone(), client.clone()))
}

/// Enforces `SECRET_HASH` for clients with a secret. `usernames`: the names the hash may have
/// been computed over (the username, or for refresh also the `sub`).
pub(super) fn check_secret_hash(
    client: &Client,
    usernames: &[&str],
    given: Option<&str>,
) -> ApiResult<()> {
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
pub(super) fn unknown_user(client: &Client) -> ApiError {
    if client.prevent_user_existence_errors {
        ApiError::incorrect_credentials()
    } else {
        ApiError::user_not_found()
    }
}
