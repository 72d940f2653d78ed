//! Sign-in (password, SRP, refresh), the tokens it mints, and the checks on tokens presented
//! back to us.

use std::collections::HashMap;

use base64ct::{Base64, Base64UrlUnpadded, Encoding};
use cognito_wasm::srp::SrpServer;
use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::{check_secret_hash, client_context, password_matches, record_metadata, unknown_user};
use crate::error::{ApiError, ApiResult};
use crate::ids;
use crate::state::{
    App, Client, ClientMetadata, PendingSrp, RefreshToken, Session, State, UserStatus,
};
use crate::tokens::Keys;

/// Failed sign-ins in a row before the account is locked for [`LOCKOUT_SECONDS`].
const MAX_FAILED_SIGN_INS: u32 = 5;
const LOCKOUT_SECONDS: f64 = 60.0;
const SRP_CHALLENGE_LIFETIME: f64 = 300.0;

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

fn param<'a>(params: &'a HashMap<String, String>, name: &str) -> ApiResult<&'a str> {
    params
        .get(name)
        .map(String::as_str)
        .ok_or_else(|| ApiError::invalid_parameter(format!("Missing required parameter {name}")))
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

pub fn initiate_auth(app: &App, keys: &Keys, req: InitiateAuth) -> ApiResult<Value> {
    let mut state = app.lock();
    let (pool_id, client) = client_context(&state, &req.client_id)?;
    let params = &req.auth_parameters;
    match req.auth_flow.as_str() {
        "USER_PASSWORD_AUTH" => {
            require_flow(&client, "USER_PASSWORD_AUTH")?;
            let username = param(params, "USERNAME")?;
            let password = param(params, "PASSWORD")?;
            check_secret_hash(&client, &[username], params.get("SECRET_HASH").map(String::as_str))?;
            let now = app.now();
            let pool = state.pool_mut(&pool_id)?;
            let matches = match pool.user(username) {
                None => return Err(unknown_user(&client)),
                Some(user) => password_matches(pool, user, password),
            };
            let canonical = sign_in_attempt(&mut state, &pool_id, username, matches, now)?;
            let result = start_session(app, keys, &mut state, &pool_id, &client, &canonical)?;
            record_metadata(
                app,
                &mut state,
                &pool_id,
                &canonical,
                "InitiateAuth",
                &req.client_metadata,
            );
            Ok(json!({ "ChallengeParameters": {}, "AuthenticationResult": result }))
        }
        "USER_SRP_AUTH" => {
            require_flow(&client, "USER_SRP_AUTH")?;
            let username = param(params, "USERNAME")?;
            let srp_a = param(params, "SRP_A")?;
            check_secret_hash(&client, &[username], params.get("SECRET_HASH").map(String::as_str))?;
            let pool = state.pool(&pool_id)?;
            let (user_id, salt, server, known) = match pool.user(username) {
                Some(user) => (
                    user.username.clone(),
                    user.salt.clone(),
                    SrpServer::new(&user.verifier),
                    true,
                ),
                None if client.prevent_user_existence_errors => {
                    // A plausible challenge for a user that does not exist, the proof then
                    // failing. Its SALT is the same at every attempt, as a real user's is (as
                    // Cognito's is), so two attempts do not tell that the user is unknown.
                    let key = pool.user_key(username);
                    let who = [pool.id.as_bytes(), key.as_bytes()];
                    let salt = app.derive("fake SRP salt", &who)[..16].to_vec();
                    let fake = app.derive("fake SRP verifier", &who);
                    (username.to_owned(), salt, SrpServer::new(&fake), false)
                }
                None => return Err(ApiError::user_not_found()),
            };
            let server = server.map_err(|e| ApiError::internal(e.to_string()))?;
            // Reject a bad A now, as Cognito does, rather than at the proof.
            server
                .session_key(srp_a)
                .map_err(|e| ApiError::invalid_parameter(format!("Invalid SRP_A: {e}")))?;
            let block = Base64::encode_string(&ids::random_bytes::<64>()?);
            let now = app.now();
            let srp_b = server.public_hex();
            if known {
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
                    username: known.then(|| user_id.clone()),
                    srp_a: srp_a.to_owned(),
                    server,
                    expires: now + SRP_CHALLENGE_LIFETIME,
                },
                now,
            );
            Ok(json!({
                "ChallengeName": "PASSWORD_VERIFIER",
                "ChallengeParameters": {
                    "SALT": cognito_wasm::srp::to_hex(&salt),
                    "SECRET_BLOCK": block,
                    "SRP_B": srp_b,
                    "USERNAME": user_id,
                    "USER_ID_FOR_SRP": user_id,
                },
            }))
        }
        "REFRESH_TOKEN_AUTH" | "REFRESH_TOKEN" => {
            require_flow(&client, "REFRESH_TOKEN_AUTH")?;
            let token = param(params, "REFRESH_TOKEN")?;
            let now = app.now();
            let invalid = || ApiError::not_authorized("Invalid Refresh Token");
            let origin = match state.refresh_tokens.get(token) {
                Some(found) => found.origin.clone(),
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
            check_secret_hash(
                &client,
                &[&session.username, &session.sub],
                params.get("SECRET_HASH").map(String::as_str),
            )?;
            if session.revoked {
                return Err(ApiError::not_authorized("Refresh Token has been revoked"));
            }
            if now > session.refresh_expires {
                return Err(ApiError::not_authorized("Refresh Token has expired"));
            }
            let (username, sub, auth_time) =
                (session.username.clone(), session.sub.clone(), session.auth_time);
            let pool = state.pool(&pool_id)?;
            match pool.user(&username) {
                Some(u) if u.sub == sub && u.enabled => {}
                Some(u) if u.sub == sub => {
                    return Err(ApiError::not_authorized("User is disabled."))
                }
                _ => return Err(invalid()),
            }
            let mut result = mint(app, keys, &state, &pool_id, &client, &username, &origin, auth_time)?;
            result.remove("RefreshToken");
            record_metadata(
                app,
                &mut state,
                &pool_id,
                &username,
                "InitiateAuth",
                &req.client_metadata,
            );
            Ok(json!({ "ChallengeParameters": {}, "AuthenticationResult": result }))
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
    Ok(user.username.clone())
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RespondToAuthChallenge {
    challenge_name: String,
    client_id: String,
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
    if req.challenge_name != "PASSWORD_VERIFIER" {
        return Err(ApiError::invalid_parameter(format!(
            "The emulator does not implement the {} challenge",
            req.challenge_name
        )));
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
    // Single use: a secret block is gone once presented, whatever the outcome.
    let pending = state
        .srp_pending
        .remove(block)
        .filter(|p| p.expires > now && p.client_id == client.id && p.pool_id == pool_id)
        .ok_or_else(|| {
            ApiError::not_authorized(
                "Invalid PASSWORD_CLAIM_SECRET_BLOCK: unknown, used or expired",
            )
        })?;
    let Some(user_id) = pending.username else {
        return Err(ApiError::incorrect_credentials());
    };
    let pool = state.pool(&pool_id)?;
    if pool.user_key(&user_id) != pool.user_key(username) {
        return Err(ApiError::incorrect_credentials());
    }
    let block_bytes = Base64::decode_vec(block).map_err(|_| ApiError::incorrect_credentials())?;
    let proven = pending
        .server
        .verify_claim(
            &pending.srp_a,
            pool.srp_name(),
            &user_id,
            &block_bytes,
            timestamp,
            signature,
        )
        .map_err(|e| ApiError::invalid_parameter(e.to_string()))?;
    let canonical = sign_in_attempt(&mut state, &pool_id, &user_id, proven, now)?;
    let result = start_session(app, keys, &mut state, &pool_id, &client, &canonical)?;
    record_metadata(
        app,
        &mut state,
        &pool_id,
        &canonical,
        "RespondToAuthChallenge",
        &req.client_metadata,
    );
    Ok(json!({ "ChallengeParameters": {}, "AuthenticationResult": result }))
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

/// A new sign-in session: refresh token plus the first access and ID tokens.
fn start_session(
    app: &App,
    keys: &Keys,
    state: &mut State,
    pool_id: &str,
    client: &Client,
    username: &str,
) -> ApiResult<Map<String, Value>> {
    let now = app.now();
    let sub = state
        .pool(pool_id)?
        .user(username)
        .map(|u| u.sub.clone())
        .ok_or_else(ApiError::incorrect_credentials)?;
    let origin = ids::uuid()?;
    let refresh_expires = now + client.refresh_validity as f64;
    let keep_until = refresh_expires + client.access_validity as f64;
    let refresh = refresh_token(app, refresh_expires)?;
    state.refresh_tokens.insert(
        refresh.clone(),
        RefreshToken {
            origin: origin.clone(),
            keep_until,
        },
        now,
    );
    state.sessions.insert(
        origin.clone(),
        Session {
            pool_id: pool_id.to_owned(),
            client_id: client.id.clone(),
            sub,
            username: username.to_owned(),
            auth_time: now as u64,
            refresh_expires,
            keep_until,
            revoked: false,
        },
        now,
    );
    let mut result = mint(
        app, keys, state, pool_id, client, username, &origin, now as u64,
    )?;
    result.insert("RefreshToken".into(), json!(refresh));
    Ok(result)
}

/// A new refresh token: 64 random bytes, its expiry (epoch seconds, big-endian) and a MAC of
/// both under the process's key, base64url. Its session is forgotten once expired; the token
/// still says when it expired, so that using it is "expired" rather than "invalid", as on AWS.
fn refresh_token(app: &App, expires: f64) -> ApiResult<String> {
    let nonce = ids::random_bytes::<64>()?;
    let expires = (expires.ceil() as u64).to_be_bytes();
    let mac = app.derive("refresh token", &[&nonce, &expires]);
    let bytes = [&nonce[..], &expires, &mac[..24]].concat();
    Ok(Base64UrlUnpadded::encode_string(&bytes))
}

/// The expiry a refresh token of ours carries; `None` for a token we did not make.
fn refresh_token_expiry(app: &App, token: &str) -> Option<f64> {
    let bytes = Base64UrlUnpadded::decode_vec(token).ok()?;
    let (nonce, rest) = bytes.split_at_checked(64)?;
    let (expires, mac) = rest.split_at_checked(8)?;
    let ours = app.derive("refresh token", &[nonce, expires]);
    (mac.len() == 24 && mac == &ours[..24])
        .then(|| u64::from_be_bytes(expires.try_into().unwrap_or_default()) as f64)
}

/// Access and ID tokens for one session, as `AuthenticationResult` members.
#[allow(clippy::too_many_arguments)]
fn mint(
    app: &App,
    keys: &Keys,
    state: &State,
    pool_id: &str,
    client: &Client,
    username: &str,
    origin_jti: &str,
    auth_time: u64,
) -> ApiResult<Map<String, Value>> {
    let user = state
        .pool(pool_id)?
        .user(username)
        .ok_or_else(ApiError::incorrect_credentials)?;
    let now = app.now() as u64;
    let iss = app.issuer(pool_id);
    let event_id = ids::uuid()?;
    let access = json!({
        "sub": user.sub,
        "iss": iss,
        "client_id": client.id,
        "origin_jti": origin_jti,
        "event_id": event_id,
        "token_use": "access",
        "scope": "aws.cognito.signin.user.admin",
        "auth_time": auth_time,
        "exp": now + client.access_validity,
        "iat": now,
        "jti": ids::uuid()?,
        "username": user.username,
    });
    let mut id = Map::new();
    for (name, value) in &user.attributes {
        let value = match name.as_str() {
            "email_verified" | "phone_number_verified" => json!(value == "true"),
            _ => json!(value),
        };
        id.insert(name.clone(), value);
    }
    for (k, v) in [
        ("iss", json!(iss)),
        ("cognito:username", json!(user.username)),
        ("origin_jti", json!(origin_jti)),
        ("aud", json!(client.id)),
        ("event_id", json!(event_id)),
        ("token_use", json!("id")),
        ("auth_time", json!(auth_time)),
        ("exp", json!(now + client.id_validity)),
        ("iat", json!(now)),
        ("jti", json!(ids::uuid()?)),
    ] {
        id.insert(k.into(), v);
    }
    let mut out = Map::new();
    out.insert("AccessToken".into(), json!(keys.sign(&access)));
    out.insert("ExpiresIn".into(), json!(client.access_validity));
    out.insert("TokenType".into(), json!("Bearer"));
    out.insert("IdToken".into(), json!(keys.sign(&Value::Object(id))));
    Ok(out)
}

/// Who an access token belongs to, after every check Cognito makes: our signature, an issuer
/// that is one of our pools, `token_use`, expiry, and a session neither signed out nor revoked.
pub struct TokenOwner {
    pub pool_id: String,
    pub username: String,
    pub sub: String,
}

pub fn verify_access_token(
    app: &App,
    keys: &Keys,
    state: &State,
    token: &str,
) -> ApiResult<TokenOwner> {
    let invalid = || ApiError::not_authorized("Invalid Access Token");
    let claims = keys.verified_claims(token).ok_or_else(invalid)?;
    let text = |name: &str| claims.get(name).and_then(Value::as_str).ok_or_else(invalid);
    if text("token_use")? != "access" {
        return Err(invalid());
    }
    let pool_id = text("iss")?
        .strip_prefix(&format!("{}/", app.settings.public_url))
        .ok_or_else(invalid)?
        .to_owned();
    let pool = state.pool(&pool_id).map_err(|_| invalid())?;
    let exp = claims
        .get("exp")
        .and_then(Value::as_f64)
        .ok_or_else(invalid)?;
    if app.now() >= exp {
        return Err(ApiError::not_authorized("Access Token has expired"));
    }
    let session = state
        .sessions
        .get(text("origin_jti")?)
        .ok_or_else(invalid)?;
    let sub = text("sub")?;
    if session.revoked || session.sub != sub {
        return Err(ApiError::not_authorized("Access Token has been revoked"));
    }
    let user = pool
        .user(text("username")?)
        .filter(|u| u.sub == sub)
        .ok_or_else(|| ApiError::not_authorized("Access Token has been revoked"))?;
    Ok(TokenOwner {
        pool_id,
        username: user.username.clone(),
        sub: sub.to_owned(),
    })
}
