//! Sign-in: InitiateAuth (password, SRP, refresh) and RespondToAuthChallenge (SRP's proof;
//! the challenges after it are `challenge.rs`'s). The sessions and tokens it makes are
//! `session.rs`'s.

use std::collections::HashMap;

use base64ct::{Base64, Encoding};
use cognito_wasm::srp::{self, SrpServer};
use serde::Deserialize;
use serde_json::{json, Value};

use super::app_client::{check_secret_hash, client_context, unknown_user};
use super::challenge::{self, Answer};
use super::client_metadata::record_metadata;
use super::credentials::Credentials;
use super::refresh::{refresh, Proof};
use super::request::param;
use crate::error::{ApiError, ApiResult};
use crate::ids;
use crate::state::{
    App, ChallengeStep, Claimant, Client, ClientMetadata, PendingSrp, State, UserStatus,
};
use crate::tokens::Keys;

/// Failed sign-ins in a row before the account is locked for [`LOCKOUT_SECONDS`].
const MAX_FAILED_SIGN_INS: u32 = 5;
const LOCKOUT_SECONDS: f64 = 60.0;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct InitiateAuth {
    auth_flow: String,
    client_id: String,
    #[serde(default)]
    auth_parameters: HashMap<String, String>,
    #[serde(default)]
    client_metadata: Option<ClientMetadata>,
}

fn require_flow(client: &Client, flow: &str) -> ApiResult<()> {
    if client.allows(&format!("ALLOW_{flow}")) {
        Ok(())
    } else {
        Err(ApiError::invalid_parameter(format!(
            "{flow} flow not enabled for this client"
        )))
    }
}

/// The three flows share a shape: under the lock, the checks and a copy of what the proof
/// needs; without it, the mathematics (the verifier's, SRP's exponentiations); under it again,
/// the result committed after checking that what was read still holds; the tokens signed once
/// it is released (`session.rs`).
pub fn initiate_auth(app: &App, keys: &Keys, req: InitiateAuth) -> ApiResult<Value> {
    let state = app.lock();
    let (pool_id, client) = client_context(&state, &req.client_id)?;
    let params = &req.auth_parameters;
    match req.auth_flow.as_str() {
        "USER_PASSWORD_AUTH" => {
            require_flow(&client, "USER_PASSWORD_AUTH")?;
            let username = param(params, "USERNAME")?;
            let password = param(params, "PASSWORD")?;
            check_secret_hash(&client, &[username], params.get("SECRET_HASH").map(String::as_str))?;
            let pool = state.pool(&pool_id)?;
            let stored = pool
                .user(username)
                .map(|user| Credentials::of(pool, user))
                .ok_or_else(|| unknown_user(&client))?;
            drop(state);
            let proven = stored.matches(password);
            let mut state = app.lock();
            let pool = state.pool(&pool_id)?;
            let proven = match pool.user(username) {
                None => return Err(unknown_user(&client)),
                Some(user) if stored.current(pool, user) => proven,
                // The password changed (or the user was made anew) while we computed: prove
                // against what is there now, under the lock (rare).
                Some(user) => Credentials::of(pool, user).matches(password),
            };
            let canonical = sign_in_attempt(&mut state, &pool_id, username, proven, app.now())?;
            let next = challenge::after_password(app, &mut state, &pool_id, &client, &canonical)?;
            record_metadata(
                app,
                &mut state,
                &pool_id,
                &canonical,
                "InitiateAuth",
                &req.client_metadata,
            );
            drop(state);
            Ok(next.answer(keys))
        }
        "USER_SRP_AUTH" => {
            require_flow(&client, "USER_SRP_AUTH")?;
            let username = param(params, "USERNAME")?;
            let srp_a = param(params, "SRP_A")?;
            check_secret_hash(&client, &[username], params.get("SECRET_HASH").map(String::as_str))?;
            let pool = state.pool(&pool_id)?;
            let (user_id, salt, verifier, known) = match pool.user(username) {
                Some(user) => (
                    user.username.clone(),
                    user.salt.clone(),
                    user.verifier.clone(),
                    Some(Claimant {
                        username: user.username.clone(),
                        sub: user.sub.clone(),
                    }),
                ),
                None if client.prevent_user_existence_errors => {
                    // A plausible challenge for a user that does not exist, the proof then
                    // failing. Its SALT is the same at every attempt, as a real user's is (as
                    // Cognito's is), so two attempts do not tell that the user is unknown.
                    let key = pool.user_key(username);
                    let who = [pool.id.as_bytes(), key.as_bytes()];
                    let salt = app.derive("fake SRP salt", &who)[..16].to_vec();
                    let fake = app.derive("fake SRP verifier", &who).to_vec();
                    (username.to_owned(), salt, fake, None)
                }
                None => return Err(ApiError::user_not_found()),
            };
            drop(state);
            // B = k·v + g^b, and the session key K = H((A·v^u)^b): computed here, once, so
            // that a bad A is refused now, as Cognito does, and the answer costs an HMAC.
            let server = SrpServer::new(&verifier).map_err(|e| ApiError::internal(e.to_string()))?;
            let key = server
                .session_key(srp_a)
                .map_err(|e| ApiError::invalid_parameter(format!("Invalid SRP_A: {e}")))?;
            let block = Base64::encode_string(&ids::random_bytes::<64>()?);
            let mut state = app.lock();
            let now = app.now();
            if known.is_some() {
                record_metadata(
                    app,
                    &mut state,
                    &pool_id,
                    &user_id,
                    "InitiateAuth",
                    &req.client_metadata,
                );
            }
            state.srp_pending.insert(
                block.clone(),
                PendingSrp {
                    pool_id,
                    client_id: client.id.clone(),
                    user: known,
                    key,
                    expires: now + client.auth_session_validity as f64,
                },
                now,
            );
            Ok(json!({
                "ChallengeName": "PASSWORD_VERIFIER",
                "ChallengeParameters": {
                    "SALT": cognito_wasm::srp::to_hex(&salt),
                    "SECRET_BLOCK": block,
                    "SRP_B": server.public_hex(),
                    "USERNAME": user_id,
                    "USER_ID_FOR_SRP": user_id,
                },
            }))
        }
        "REFRESH_TOKEN_AUTH" | "REFRESH_TOKEN" => {
            // Rotation is GetTokensFromRefreshToken's alone (see refresh.rs).
            if client.rotation_grace.is_some() {
                return Err(ApiError::invalid_parameter(
                    "REFRESH_TOKEN_AUTH flow not enabled for this client",
                ));
            }
            require_flow(&client, "REFRESH_TOKEN_AUTH")?;
            let mut state = state;
            let token = param(params, "REFRESH_TOKEN")?;
            let proof = Proof::SecretHash(params.get("SECRET_HASH").map(String::as_str));
            let (tokens, username) =
                refresh(app, &mut state, &pool_id, &client, token, proof, false)?;
            record_metadata(
                app,
                &mut state,
                &pool_id,
                &username,
                "InitiateAuth",
                &req.client_metadata,
            );
            drop(state);
            Ok(json!({ "ChallengeParameters": {}, "AuthenticationResult": tokens.sign(keys) }))
        }
        "USER_AUTH" | "CUSTOM_AUTH" | "ADMIN_USER_PASSWORD_AUTH" | "ADMIN_NO_SRP_AUTH" => {
            Err(ApiError::invalid_parameter(format!(
                "The emulator does not implement the {} flow",
                req.auth_flow
            )))
        }
        other => Err(ApiError::invalid_parameter(format!(
            "1 validation error detected: Value '{other}' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set: [USER_SRP_AUTH, REFRESH_TOKEN_AUTH, REFRESH_TOKEN, CUSTOM_AUTH, USER_PASSWORD_AUTH, USER_AUTH]"
        ))),
    }
}

/// Applies the result of a password or SRP proof: lockout after repeated failures, then the
/// user's status. Returns the canonical username on success.
fn sign_in_attempt(
    state: &mut State,
    pool_id: &str,
    username: &str,
    proven: bool,
    now: f64,
) -> ApiResult<String> {
    let pool = state.pool_mut(pool_id)?;
    let user = pool
        .user_mut(username)
        .ok_or_else(ApiError::incorrect_credentials)?;
    if now < user.locked_until {
        return Err(ApiError::not_authorized("Password attempts exceeded"));
    }
    if !proven {
        user.failed_sign_ins += 1;
        if user.failed_sign_ins >= MAX_FAILED_SIGN_INS {
            user.failed_sign_ins = 0;
            user.locked_until = now + LOCKOUT_SECONDS;
            return Err(ApiError::not_authorized("Password attempts exceeded"));
        }
        return Err(ApiError::incorrect_credentials());
    }
    user.failed_sign_ins = 0;
    if !user.enabled {
        return Err(ApiError::not_authorized("User is disabled."));
    }
    if user.status == UserStatus::Unconfirmed {
        return Err(ApiError::new(
            "UserNotConfirmedException",
            "User is not confirmed.",
        ));
    }
    if user.temporary_password_expires.is_some_and(|t| now > t) {
        return Err(ApiError::not_authorized(
            "Temporary password has expired and must be reset by an administrator.",
        ));
    }
    Ok(user.username.clone())
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RespondToAuthChallenge {
    challenge_name: String,
    client_id: String,
    #[serde(default)]
    session: Option<String>,
    #[serde(default)]
    challenge_responses: HashMap<String, String>,
    #[serde(default)]
    client_metadata: Option<ClientMetadata>,
}

pub fn respond_to_auth_challenge(
    app: &App,
    keys: &Keys,
    req: RespondToAuthChallenge,
) -> ApiResult<Value> {
    let mut state = app.lock();
    let (pool_id, client) = client_context(&state, &req.client_id)?;
    match req.challenge_name.as_str() {
        "PASSWORD_VERIFIER" => {}
        name if ChallengeStep::is_name(name) => {
            let answer = Answer {
                client: &client,
                pool_id: &pool_id,
                name: &req.challenge_name,
                session: req.session.as_deref(),
                responses: &req.challenge_responses,
            };
            let (mut state, next, username) = challenge::respond(app, state, answer)?;
            record_metadata(
                app,
                &mut state,
                &pool_id,
                &username,
                "RespondToAuthChallenge",
                &req.client_metadata,
            );
            drop(state);
            return Ok(next.answer(keys));
        }
        other => {
            return Err(ApiError::invalid_parameter(format!(
                "The emulator does not implement the {other} challenge"
            )))
        }
    }
    let r = &req.challenge_responses;
    let username = param(r, "USERNAME")?;
    let block = param(r, "PASSWORD_CLAIM_SECRET_BLOCK")?;
    let signature = param(r, "PASSWORD_CLAIM_SIGNATURE")?;
    let timestamp = param(r, "TIMESTAMP")?;
    check_secret_hash(
        &client,
        &[username],
        r.get("SECRET_HASH").map(String::as_str),
    )?;
    if !valid_timestamp(timestamp) {
        return Err(ApiError::invalid_parameter(format!(
            "TIMESTAMP {timestamp:?} is not of the form 'Mon Feb 14 09:05:07 UTC 2022'"
        )));
    }
    let now = app.now();
    // Single use: a secret block is gone once presented, whatever the outcome. Removing it is
    // the claim: of two concurrent answers, exactly one finds it.
    let pending = state
        .srp_pending
        .remove(block)
        .filter(|p| p.expires > now && p.client_id == client.id && p.pool_id == pool_id)
        .ok_or_else(|| {
            ApiError::not_authorized(
                "Invalid PASSWORD_CLAIM_SECRET_BLOCK: unknown, used or expired",
            )
        })?;
    let Some(claimant) = pending.user else {
        return Err(ApiError::incorrect_credentials());
    };
    let pool = state.pool(&pool_id)?;
    if pool.user_key(&claimant.username) != pool.user_key(username) {
        return Err(ApiError::incorrect_credentials());
    }
    // The user the challenge was made for, not one signed up since under the same name.
    if pool
        .user(&claimant.username)
        .is_none_or(|u| u.sub != claimant.sub)
    {
        return Err(ApiError::incorrect_credentials());
    }
    let block_bytes = Base64::decode_vec(block).map_err(|_| ApiError::incorrect_credentials())?;
    let expected = srp::claim_signature(
        &pending.key,
        pool.srp_name(),
        &claimant.username,
        &block_bytes,
        timestamp,
    );
    let proven = constant_time_eq(expected.as_bytes(), signature.as_bytes());
    let canonical = sign_in_attempt(&mut state, &pool_id, &claimant.username, proven, now)?;
    let next = challenge::after_password(app, &mut state, &pool_id, &client, &canonical)?;
    record_metadata(
        app,
        &mut state,
        &pool_id,
        &canonical,
        "RespondToAuthChallenge",
        &req.client_metadata,
    );
    drop(state);
    Ok(next.answer(keys))
}

/// Whether two byte strings are equal, in time that depends on their length only.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// `ddd MMM D HH:mm:ss UTC YYYY`, the day with or without a leading zero.
fn valid_timestamp(ts: &str) -> bool {
    const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let parts: Vec<&str> = ts.split(' ').collect();
    let digits = |s: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    let [day, month, date, time, utc, year] = parts.as_slice() else {
        return false;
    };
    let hms: Vec<&str> = time.split(':').collect();
    DAYS.contains(day)
        && MONTHS.contains(month)
        && digits(date, 1..=2)
        && hms.len() == 3
        && hms.iter().all(|p| digits(p, 2..=2))
        && *utc == "UTC"
        && digits(year, 4..=4)
}
