//! What a sign-in asks once the password is proven: NEW_PASSWORD_REQUIRED for a user an
//! administrator created (FORCE_CHANGE_PASSWORD), then MFA as the pool and the user have it,
//! then tokens. MFA: the factor the user enabled (SMS_MFA and EMAIL_OTP send a code to the
//! outbox, SOFTWARE_TOKEN_MFA asks the app's), the preferred one if they enabled several, or
//! SELECT_MFA_TYPE if none is preferred; MFA_SETUP for a user with none while the pool
//! requires MFA.
//!
//! Each challenge is a [`PendingChallenge`] under a random `Session` string that lives for the
//! client's AuthSessionValidity (3 minutes by default). An answer that moves the sign-in on
//! uses the session up (the next step gets a new one); a wrong code costs one of
//! [`PendingChallenge::TRIES`], and the last one ends the session. MFA_SETUP's session also
//! carries AssociateSoftwareToken and VerifySoftwareToken (`software_token.rs`), each of which
//! renews it.

use std::collections::HashMap;

use serde_json::{json, Value};

use super::app_client::check_secret_hash;
use super::attributes::{check_value, check_writable};
use super::codes::{issue_code, Outgoing};
use super::credentials::new_verifier;
use super::session::{start_session, Unsigned};
use super::totp::accepted_step;
use crate::error::{ApiError, ApiResult};
use crate::ids;
use crate::state::{
    App, ChallengeStep, Claimant, Client, Factor, MfaConfiguration, PendingChallenge, State,
    UserStatus,
};
use crate::tokens::Keys;

/// Where a sign-in stands after a step: signed in (the tokens, signed once the lock is
/// released), or asked something more.
pub enum Outcome {
    Tokens(Unsigned),
    Challenge(Value),
}

impl Outcome {
    /// The InitiateAuth / RespondToAuthChallenge answer (signs the tokens: call it without the
    /// lock).
    pub fn answer(self, keys: &Keys) -> Value {
        match self {
            Outcome::Tokens(tokens) => {
                json!({ "ChallengeParameters": {}, "AuthenticationResult": tokens.sign(keys) })
            }
            Outcome::Challenge(challenge) => challenge,
        }
    }
}

/// The next step for `username`, whose password was just proven.
pub fn after_password(
    app: &App,
    state: &mut State,
    pool_id: &str,
    client: &Client,
    username: &str,
) -> ApiResult<Outcome> {
    let user = state
        .pool(pool_id)?
        .user(username)
        .ok_or_else(ApiError::incorrect_credentials)?;
    if user.status == UserStatus::ForceChangePassword {
        return challenge(
            app,
            state,
            pool_id,
            client,
            username,
            ChallengeStep::NewPassword,
        );
    }
    after_new_password(app, state, pool_id, client, username)
}

/// The step after the password (and a new one, if one was required): MFA, or tokens.
fn after_new_password(
    app: &App,
    state: &mut State,
    pool_id: &str,
    client: &Client,
    username: &str,
) -> ApiResult<Outcome> {
    let pool = state.pool(pool_id)?;
    let user = pool
        .user(username)
        .ok_or_else(ApiError::incorrect_credentials)?;
    // The user's factors the pool offers (a factor the pool stopped offering is not asked).
    let factors: Vec<Factor> = (user.mfa.enabled().iter().copied())
        .filter(|f| pool.mfa.offers(*f))
        .collect();
    let preferred = user.mfa.preferred().filter(|f| factors.contains(f));
    let step = match (pool.mfa.configuration, factors.as_slice()) {
        (MfaConfiguration::Off, _) | (MfaConfiguration::Optional, []) => None,
        (MfaConfiguration::On, []) => Some(ChallengeStep::MfaSetup {
            secret: None,
            verified: false,
        }),
        (_, [only]) => Some(factor_step(*only)),
        _ => Some(match preferred {
            Some(factor) => factor_step(factor),
            None => ChallengeStep::SelectMfaType { allowed: factors },
        }),
    };
    match step {
        Some(step) => challenge(app, state, pool_id, client, username, step),
        None => Ok(Outcome::Tokens(start_session(
            app, state, pool_id, client, username,
        )?)),
    }
}

/// The challenge that asks for a code of `factor` (the code itself made when it is sent).
fn factor_step(factor: Factor) -> ChallengeStep {
    match factor {
        Factor::SoftwareToken => ChallengeStep::SoftwareTokenMfa,
        _ => ChallengeStep::SentCode {
            factor,
            code: String::new(),
        },
    }
}

/// A new challenge session for `step`, and the answer that asks it. SMS_MFA's and EMAIL_OTP's
/// code is made and sent here.
fn challenge(
    app: &App,
    state: &mut State,
    pool_id: &str,
    client: &Client,
    username: &str,
    mut step: ChallengeStep,
) -> ApiResult<Outcome> {
    let pool = state.pool(pool_id)?;
    let user = pool
        .user(username)
        .ok_or_else(ApiError::incorrect_credentials)?;
    let mut parameters = json!({ "USER_ID_FOR_SRP": user.username });
    // SMS_MFA's or EMAIL_OTP's code goes to the attribute and address: sent below, once the
    // pool is no longer borrowed.
    let mut send_to = None;
    match &mut step {
        ChallengeStep::NewPassword => {
            let shown: serde_json::Map<String, Value> = user
                .attributes
                .iter()
                .filter(|(name, _)| name.as_str() != "sub")
                .map(|(name, value)| (name.clone(), json!(value)))
                .collect();
            let missing: Vec<String> = pool
                .schema
                .iter()
                .filter(|(name, a)| a.required && !user.attributes.contains_key(*name))
                .map(|(name, _)| format!("userAttributes.{name}"))
                .collect();
            parameters["userAttributes"] = json!(Value::Object(shown).to_string());
            parameters["requiredAttributes"] = json!(json!(missing).to_string());
        }
        ChallengeStep::MfaSetup { .. } => {
            // What the pool offers; the emulator sets up an authenticator app (the one a
            // session can carry), as MFA_SETUP is answered in the common case.
            let offered: Vec<&str> = (Factor::ALL.into_iter())
                .filter(|f| pool.mfa.offers(*f))
                .map(Factor::name)
                .collect();
            parameters["MFAS_CAN_SETUP"] = json!(json!(offered).to_string());
        }
        ChallengeStep::SelectMfaType { allowed } => {
            let names: Vec<&str> = allowed.iter().map(|f| f.name()).collect();
            parameters["MFAS_CAN_CHOOSE"] = json!(json!(names).to_string());
        }
        ChallengeStep::SentCode { factor, .. } => {
            // Enabling the factor required the attribute; it may have been deleted since.
            let attribute = factor.attribute().unwrap_or("email");
            let address = user.attributes.get(attribute).ok_or_else(|| {
                ApiError::invalid_parameter(format!(
                    "User does not have delivery config set to turn on {}",
                    factor.name()
                ))
            })?;
            send_to = Some((attribute, address.clone()));
        }
        ChallengeStep::SoftwareTokenMfa => {}
    }
    let claimant = Claimant {
        username: user.username.clone(),
        sub: user.sub.clone(),
    };
    let lifetime = client.auth_session_validity as f64;
    if let (Some((attribute, address)), ChallengeStep::SentCode { code, .. }) = (send_to, &mut step)
    {
        let to = Outgoing {
            pool_id,
            username: &claimant.username,
            attribute,
            address: &address,
            kind: "mfa",
            client_metadata: None,
        };
        let (sent, details) = issue_code(app, state, to, lifetime)?;
        *code = sent.code;
        parameters["CODE_DELIVERY_DELIVERY_MEDIUM"] = details["DeliveryMedium"].clone();
        parameters["CODE_DELIVERY_DESTINATION"] = details["Destination"].clone();
    }
    let name = step.name();
    let pending = PendingChallenge {
        pool_id: pool_id.to_owned(),
        client_id: client.id.clone(),
        user: claimant,
        step,
        expires: app.now() + lifetime,
        tries_left: PendingChallenge::TRIES,
    };
    let session = ids::challenge_session()?;
    state.challenges.insert(session.clone(), pending, app.now());
    Ok(Outcome::Challenge(json!({
        "ChallengeName": name,
        "Session": session,
        "ChallengeParameters": parameters,
    })))
}

pub(super) fn invalid_session() -> ApiError {
    ApiError::not_authorized("Invalid session for the user, session is expired.")
}

/// The challenge under `session`, if it is live and its user is still the one it was made for.
pub(super) fn live<'s>(
    state: &'s State,
    session: &str,
    now: f64,
) -> ApiResult<&'s PendingChallenge> {
    let pending = state
        .challenges
        .get(session)
        .filter(|p| p.expires > now)
        .ok_or_else(invalid_session)?;
    let pool = state.pool(&pending.pool_id)?;
    pool.user(&pending.user.username)
        .filter(|u| u.sub == pending.user.sub)
        .ok_or_else(invalid_session)?;
    Ok(pending)
}

/// A wrong code: one try fewer, and the session gone with the last one.
pub(super) fn wrong_code(state: &mut State, session: &str, error: ApiError) -> ApiError {
    if let Some(pending) = state.challenges.get_mut(session) {
        pending.tries_left = pending.tries_left.saturating_sub(1);
        if pending.tries_left == 0 {
            state.challenges.remove(session);
        }
    }
    error
}

/// What RespondToAuthChallenge carries for a challenge of ours.
pub struct Answer<'a> {
    pub client: &'a Client,
    pub pool_id: &'a str,
    pub name: &'a str,
    pub session: Option<&'a str>,
    pub responses: &'a HashMap<String, String>,
}

/// Answers a challenge of ours. `state` is released before a new password's verifier is made
/// (a modular exponentiation), so it is taken as the guard and handed back, with the outcome.
pub fn respond<'a>(
    app: &'a App,
    mut state: std::sync::MutexGuard<'a, State>,
    answer: Answer<'_>,
) -> ApiResult<(std::sync::MutexGuard<'a, State>, Outcome, String)> {
    let Answer {
        client,
        pool_id,
        name,
        session,
        responses,
    } = answer;
    let r = responses;
    let username = super::request::param(r, "USERNAME")?;
    check_secret_hash(
        client,
        &[username],
        r.get("SECRET_HASH").map(String::as_str),
    )?;
    let session =
        session.ok_or_else(|| ApiError::invalid_parameter("Missing required parameter Session"))?;
    let now = app.now();
    let pending = live(&state, session, now)?;
    let pool = state.pool(pool_id)?;
    if pending.client_id != client.id
        || pending.pool_id != pool_id
        || pool.user_key(&pending.user.username) != pool.user_key(username)
    {
        return Err(invalid_session());
    }
    if pending.step.name() != name {
        return Err(ApiError::invalid_parameter(format!(
            "The session is for {}, not {name}",
            pending.step.name()
        )));
    }
    let canonical = pending.user.username.clone();
    match pending.step.clone() {
        ChallengeStep::SoftwareTokenMfa => {
            let code = super::request::param(r, "SOFTWARE_TOKEN_MFA_CODE")?;
            let user = pool.user(&canonical).ok_or_else(invalid_session)?;
            let step = (user.software_token.as_ref())
                .filter(|t| t.verified)
                .and_then(|t| accepted_step(&t.secret, now, code, t.last_step));
            let Some(step) = step else {
                let e = ApiError::new("CodeMismatchException", "Invalid code received for user");
                return Err(wrong_code(&mut state, session, e));
            };
            let user = state.pool_mut(pool_id)?.user_mut(&canonical);
            if let Some(token) = user.and_then(|u| u.software_token.as_mut()) {
                token.last_step = Some(step);
            }
            state.challenges.remove(session);
            let tokens = start_session(app, &mut state, pool_id, client, &canonical)?;
            Ok((state, Outcome::Tokens(tokens), canonical))
        }
        ChallengeStep::SentCode { factor, code } => {
            let key = match factor {
                Factor::Sms => "SMS_MFA_CODE",
                _ => "EMAIL_OTP_CODE",
            };
            if super::request::param(r, key)? != code {
                let e = ApiError::new("CodeMismatchException", "Invalid code received for user");
                return Err(wrong_code(&mut state, session, e));
            }
            state.challenges.remove(session);
            let tokens = start_session(app, &mut state, pool_id, client, &canonical)?;
            Ok((state, Outcome::Tokens(tokens), canonical))
        }
        ChallengeStep::SelectMfaType { allowed } => {
            let answer = super::request::param(r, "ANSWER")?;
            let chosen = Factor::from_name(answer)
                .filter(|f| allowed.contains(f))
                .ok_or_else(|| {
                    ApiError::invalid_parameter(format!(
                        "Invalid MFA type {answer}: the user can choose one of MFAS_CAN_CHOOSE"
                    ))
                })?;
            state.challenges.remove(session);
            let next = challenge(
                app,
                &mut state,
                pool_id,
                client,
                &canonical,
                factor_step(chosen),
            )?;
            Ok((state, next, canonical))
        }
        ChallengeStep::MfaSetup { verified, .. } => {
            if !verified {
                return Err(ApiError::invalid_parameter(
                    "No software token was verified with this session: call AssociateSoftwareToken and VerifySoftwareToken with it first",
                ));
            }
            state.challenges.remove(session);
            let tokens = start_session(app, &mut state, pool_id, client, &canonical)?;
            Ok((state, Outcome::Tokens(tokens), canonical))
        }
        ChallengeStep::NewPassword => {
            let password = super::request::param(r, "NEW_PASSWORD")?;
            let attributes = new_attributes(&state, pool_id, &canonical, r)?;
            crate::state::check_password(&pool.policy, password)?;
            let srp_name = pool.srp_name().to_owned();
            drop(state);
            let (salt, verifier) = new_verifier(&srp_name, &canonical, password)?;
            let mut state = app.lock();
            // Claimed now: of two answers with one session, one finds it.
            let pending = state
                .challenges
                .remove(session)
                .filter(|p| p.expires > now)
                .ok_or_else(invalid_session)?;
            let pool = state.pool_mut(pool_id)?;
            let same_name = pool.srp_name() == srp_name;
            let user = pool
                .user_mut(&canonical)
                .filter(|u| u.sub == pending.user.sub)
                .ok_or_else(invalid_session)?;
            (user.salt, user.verifier) = if same_name {
                (salt, verifier)
            } else {
                new_verifier(&srp_name, &canonical, password)?
            };
            user.attributes.extend(attributes);
            user.status = UserStatus::Confirmed;
            user.temporary_password_expires = None;
            user.modified = now;
            let next = after_new_password(app, &mut state, pool_id, client, &canonical)?;
            Ok((state, next, canonical))
        }
    }
}

/// NEW_PASSWORD_REQUIRED's `userAttributes.<name>` answers, checked: writable names, valid
/// values, and every required attribute the user lacks given.
fn new_attributes(
    state: &State,
    pool_id: &str,
    username: &str,
    responses: &HashMap<String, String>,
) -> ApiResult<Vec<(String, String)>> {
    let pool = state.pool(pool_id)?;
    let user = pool.user(username).ok_or_else(invalid_session)?;
    let mut given = Vec::new();
    for (key, value) in responses {
        if let Some(name) = key.strip_prefix("userAttributes.") {
            check_writable(pool, name)?;
            check_value(name, value)?;
            given.push((name.to_owned(), value.clone()));
        }
    }
    for (name, a) in &pool.schema {
        let present = user.attributes.contains_key(name) || given.iter().any(|(n, _)| n == name);
        if a.required && !present {
            return Err(ApiError::invalid_parameter(format!(
                "Invalid attributes given, {name} is missing"
            )));
        }
    }
    Ok(given)
}

/// Moves a challenge to a new session string (the old one is used up), changing its step.
pub(super) fn renew(
    state: &mut State,
    session: &str,
    now: f64,
    change: impl FnOnce(&mut ChallengeStep),
) -> ApiResult<String> {
    let mut pending = state
        .challenges
        .remove(session)
        .ok_or_else(invalid_session)?;
    change(&mut pending.step);
    let next = ids::challenge_session()?;
    state.challenges.insert(next.clone(), pending, now);
    Ok(next)
}
