//! Sign-in sessions and their tokens: the refresh token, the access and ID tokens' claims, and
//! the checks on an access token presented back to us.
//!
//! Signing and verifying are RSA operations (a signature costs about a millisecond), so they
//! happen outside the state lock: the claims are built under it ([`Unsigned`]) and signed
//! after it is released, and a presented token's signature is checked before it is taken
//! ([`verify_access_token`]).

use base64ct::{Base64UrlUnpadded, Encoding};
use serde_json::{json, Map, Value};

use crate::error::{ApiError, ApiResult};
use crate::ids;
use crate::state::{App, Client, RefreshToken, Session, State, User};
use crate::tokens::Keys;

/// The tokens of one sign-in or refresh, their claims fixed but not yet signed.
pub struct Unsigned {
    access: Value,
    id: Value,
    access_validity: u64,
    /// When a session starts, and when a refresh rotates the refresh token.
    pub refresh: Option<String>,
}

impl Unsigned {
    /// Signs the tokens (two RSA signatures: call it without the lock) into an
    /// `AuthenticationResult`.
    pub fn sign(self, keys: &Keys) -> Value {
        let mut out = Map::new();
        out.insert("AccessToken".into(), json!(keys.sign(&self.access)));
        out.insert("ExpiresIn".into(), json!(self.access_validity));
        out.insert("TokenType".into(), json!("Bearer"));
        out.insert("IdToken".into(), json!(keys.sign(&self.id)));
        if let Some(refresh) = self.refresh {
            out.insert("RefreshToken".into(), json!(refresh));
        }
        Value::Object(out)
    }
}

/// A new sign-in session for the pool's user `username`: its refresh token is recorded and
/// the first access and ID tokens' claims made.
pub fn start_session(
    app: &App,
    state: &mut State,
    pool_id: &str,
    client: &Client,
    username: &str,
) -> ApiResult<Unsigned> {
    let now = app.now();
    let sub = state
        .pool(pool_id)?
        .user(username)
        .map(|u| u.sub.clone())
        .ok_or_else(ApiError::incorrect_credentials)?;
    let origin = ids::uuid()?;
    let refresh_expires = now + client.refresh_validity as f64;
    let keep_until = refresh_expires + client.access_validity as f64;
    let refresh = issue_refresh_token(app, state, &origin, refresh_expires, keep_until)?;
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
    let mut tokens = mint(app, state, pool_id, client, username, &origin, now as u64)?;
    tokens.refresh = Some(refresh);
    Ok(tokens)
}

/// A new refresh token for the session `origin`, recorded: at sign-in, and when
/// GetTokensFromRefreshToken rotates one (the session's expiry, not a new one).
pub fn issue_refresh_token(
    app: &App,
    state: &mut State,
    origin: &str,
    refresh_expires: f64,
    keep_until: f64,
) -> ApiResult<String> {
    let refresh = refresh_token(app, refresh_expires)?;
    state.refresh_tokens.insert(
        refresh.clone(),
        RefreshToken {
            origin: origin.to_owned(),
            keep_until,
            rotated_until: None,
        },
        app.now(),
    );
    Ok(refresh)
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
pub fn refresh_token_expiry(app: &App, token: &str) -> Option<f64> {
    let bytes = Base64UrlUnpadded::decode_vec(token).ok()?;
    let (nonce, rest) = bytes.split_at_checked(64)?;
    let (expires, mac) = rest.split_at_checked(8)?;
    let ours = app.derive("refresh token", &[nonce, expires]);
    (mac.len() == 24 && mac == &ours[..24])
        .then(|| u64::from_be_bytes(expires.try_into().unwrap_or_default()) as f64)
}

/// The claims of the access and ID tokens of one session, from the user as it is now.
pub fn mint(
    app: &App,
    state: &State,
    pool_id: &str,
    client: &Client,
    username: &str,
    origin_jti: &str,
    auth_time: u64,
) -> ApiResult<Unsigned> {
    let user: &User = state
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
    Ok(Unsigned {
        access,
        id: Value::Object(id),
        access_validity: client.access_validity,
        refresh: None,
    })
}

/// An access token whose signature is ours; what it claims is checked against the state by
/// [`AccessToken::owner`].
pub struct AccessToken(Value);

/// Checks a presented access token's signature: an RSA verification, done before the caller
/// takes the lock.
pub fn verify_access_token(keys: &Keys, token: &str) -> ApiResult<AccessToken> {
    keys.verified_claims(token)
        .map(AccessToken)
        .ok_or_else(invalid_access_token)
}

fn invalid_access_token() -> ApiError {
    ApiError::not_authorized("Invalid Access Token")
}

/// Who an access token belongs to, after every check Cognito makes: our signature, an issuer
/// that is one of our pools, `token_use`, expiry, and a session neither signed out nor revoked.
pub struct TokenOwner {
    pub pool_id: String,
    pub username: String,
    pub sub: String,
}

impl AccessToken {
    /// The token's owner, if the token is still good: the rest of Cognito's checks, against
    /// the state (held by the caller, who goes on to act on the owner under the same lock).
    pub fn owner(&self, app: &App, state: &State) -> ApiResult<TokenOwner> {
        let claims = &self.0;
        let text = |name: &str| {
            claims
                .get(name)
                .and_then(Value::as_str)
                .ok_or_else(invalid_access_token)
        };
        if text("token_use")? != "access" {
            return Err(invalid_access_token());
        }
        let pool_id = text("iss")?
            .strip_prefix(&format!("{}/", app.settings.public_url))
            .ok_or_else(invalid_access_token)?
            .to_owned();
        let pool = state.pool(&pool_id).map_err(|_| invalid_access_token())?;
        let exp = claims
            .get("exp")
            .and_then(Value::as_f64)
            .ok_or_else(invalid_access_token)?;
        if app.now() >= exp {
            return Err(ApiError::not_authorized("Access Token has expired"));
        }
        let session = state
            .sessions
            .get(text("origin_jti")?)
            .ok_or_else(invalid_access_token)?;
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
}
