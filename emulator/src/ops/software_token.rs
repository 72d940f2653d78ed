//! A user's authenticator app: AssociateSoftwareToken makes a key, VerifySoftwareToken
//! checks a code of it and so enables it. Each takes the access token of a signed-in user, or
//! MFA_SETUP's challenge session (the key is then kept with the session, which each call
//! renews, until the challenge is answered).

use serde::Deserialize;
use serde_json::{json, Value};

use super::challenge::{invalid_session, live, renew, wrong_code};
use super::session::{verify_access_token, AccessToken};
use super::totp::{accepted_step, new_secret};
use crate::error::{ApiError, ApiResult};
use crate::state::{App, ChallengeStep, Factor, Pool, SoftwareToken, State, User};
use crate::tokens::Keys;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AssociateSoftwareToken {
    #[serde(default)]
    access_token: Option<String>,
    #[serde(default)]
    session: Option<String>,
}

fn software_token_enabled(pool: &Pool) -> ApiResult<()> {
    if pool.mfa.software_token {
        return Ok(());
    }
    Err(ApiError::new(
        "SoftwareTokenMFANotFoundException",
        "Software Token MFA is not enabled for the user pool",
    ))
}

/// The token's owner, in a pool that offers authenticator apps.
fn owner<'s>(app: &App, state: &'s mut State, token: &AccessToken) -> ApiResult<&'s mut User> {
    let owner = token.owner(app, state)?;
    let pool = state.pool_mut(&owner.pool_id)?;
    software_token_enabled(pool)?;
    pool.user_mut(&owner.username)
        .ok_or_else(ApiError::user_not_found)
}

pub fn associate_software_token(
    app: &App,
    keys: &Keys,
    req: AssociateSoftwareToken,
) -> ApiResult<Value> {
    let access_token = match (req.access_token, req.session) {
        (Some(token), None) => token,
        (None, Some(session)) => return associate_with_session(app, &session),
        _ => return Err(token_or_session()),
    };
    let token = verify_access_token(keys, &access_token)?;
    let (secret, code) = new_secret()?;
    let mut state = app.lock();
    let user = owner(app, &mut state, &token)?;
    user.software_token = Some(SoftwareToken {
        secret,
        verified: false,
        device_name: None,
        last_step: None,
    });
    // A new key voids the old one: the factor is off until the new one is verified.
    user.mfa.set(Factor::SoftwareToken, false);
    Ok(json!({ "SecretCode": code }))
}

/// Associate and Verify take an AccessToken (a signed-in user) or a Session (MFA_SETUP's),
/// exactly one.
fn token_or_session() -> ApiError {
    ApiError::invalid_parameter("Exactly one of AccessToken and Session is required")
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VerifySoftwareToken {
    #[serde(default)]
    access_token: Option<String>,
    #[serde(default)]
    session: Option<String>,
    user_code: String,
    #[serde(default)]
    friendly_device_name: Option<String>,
}

pub fn verify_software_token(app: &App, keys: &Keys, req: VerifySoftwareToken) -> ApiResult<Value> {
    if req.user_code.len() != 6 || !req.user_code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ApiError::invalid_parameter(
            "1 validation error detected: Value at 'userCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [0-9]+ and have length 6",
        ));
    }
    let access_token = match (req.access_token, req.session) {
        (Some(token), None) => token,
        (None, Some(session)) => {
            let device = req.friendly_device_name;
            return verify_with_session(app, &session, &req.user_code, device);
        }
        _ => return Err(token_or_session()),
    };
    let token = verify_access_token(keys, &access_token)?;
    let now = app.now();
    let mut state = app.lock();
    let user = owner(app, &mut state, &token)?;
    let Some(software) = user.software_token.as_mut() else {
        return Err(ApiError::invalid_parameter(
            "User has not associated a software token: call AssociateSoftwareToken first",
        ));
    };
    let Some(step) = accepted_step(&software.secret, now, &req.user_code, software.last_step)
    else {
        return Err(ApiError::new(
            "EnableSoftwareTokenMFAException",
            "Code mismatch",
        ));
    };
    software.last_step = Some(step);
    software.verified = true;
    software.device_name = req.friendly_device_name;
    Ok(json!({ "Status": "SUCCESS" }))
}

/// AssociateSoftwareToken with MFA_SETUP's session: a new key, kept with the session until it
/// is verified; the answer carries the key and the session's next string.
fn associate_with_session(app: &App, session: &str) -> ApiResult<Value> {
    let (secret, code) = new_secret()?;
    let mut state = app.lock();
    let pending = live(&state, session, app.now())?;
    if !matches!(pending.step, ChallengeStep::MfaSetup { .. }) {
        return Err(invalid_session());
    }
    software_token_enabled(state.pool(&pending.pool_id)?)?;
    let next = renew(&mut state, session, app.now(), |step| {
        *step = ChallengeStep::MfaSetup {
            secret: Some(secret),
            verified: false,
        }
    })?;
    Ok(json!({ "SecretCode": code, "Session": next }))
}

/// VerifySoftwareToken with MFA_SETUP's session: the key associated with the session checked
/// against `code`, and on success made the user's authenticator app, enabled and preferred.
fn verify_with_session(
    app: &App,
    session: &str,
    code: &str,
    device: Option<String>,
) -> ApiResult<Value> {
    let now = app.now();
    let mut state = app.lock();
    let pending = live(&state, session, now)?;
    let ChallengeStep::MfaSetup {
        secret: Some(secret),
        ..
    } = &pending.step
    else {
        return Err(ApiError::invalid_parameter(
            "No software token is associated with this session: call AssociateSoftwareToken first",
        ));
    };
    let Some(step) = accepted_step(secret, now, code, None) else {
        let e = ApiError::new("EnableSoftwareTokenMFAException", "Code mismatch");
        return Err(wrong_code(&mut state, session, e));
    };
    let (secret, pool_id, username) = (
        secret.clone(),
        pending.pool_id.clone(),
        pending.user.username.clone(),
    );
    let user = state
        .pool_mut(&pool_id)?
        .user_mut(&username)
        .ok_or_else(invalid_session)?;
    user.software_token = Some(SoftwareToken {
        secret,
        verified: true,
        device_name: device,
        last_step: Some(step),
    });
    user.mfa.prefer(Factor::SoftwareToken, true);
    let next = renew(&mut state, session, now, |step| {
        if let ChallengeStep::MfaSetup { verified, .. } = step {
            *verified = true;
        }
    })?;
    Ok(json!({ "Status": "SUCCESS", "Session": next }))
}
