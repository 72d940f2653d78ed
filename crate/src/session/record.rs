//! A session as it is stored (localStorage, sessionStorage, an app's own store): one JSON
//! record under one key per pool and client. What is read back is untrusted (any script of
//! the origin, an extension, a user can write it): it is parsed strictly and bounded here,
//! and its tokens are verified again by the caller before the session takes them.

use crate::prelude::*;

use super::types::debug_without_tokens;
use super::{SessionError, SessionTokens};
use crate::json::{self, ObjectWriter, Value};
use crate::verify::MAX_TOKEN_BYTES;

/// The record's format; another version is not read (the session is then signed out).
pub const RECORD_VERSION: i64 = 1;

/// A record longer than this is refused before it is parsed: three tokens at their cap and
/// room for the rest.
pub const MAX_RECORD_BYTES: usize = 3 * MAX_TOKEN_BYTES + 1024;

/// A stored clock drift beyond this (about 31 years) is refused: no device clock is that far
/// off, and within it a drift goes through seconds as `f64` and back to the same milliseconds.
pub const MAX_CLOCK_DRIFT_MS: u64 = 1_000_000_000_000;

/// Whether `token` can be a stored token: not empty, within [`MAX_TOKEN_BYTES`], and visible
/// ASCII only (JWTs and Cognito's refresh tokens are base64url and dots): a line break or a
/// control character read from storage could otherwise end a line of the npm package's text
/// between its core and its driver.
pub fn is_token_text(token: &str) -> bool {
    !token.is_empty()
        && token.len() <= MAX_TOKEN_BYTES
        && token.bytes().all(|b| b.is_ascii_graphic())
}

/// The storage key of the session of one app client of one pool:
/// `cognito-wasm.{user_pool_id}.{client_id}`. One key per client, so two apps of one origin
/// (or one app with two clients) keep their sessions apart.
pub fn storage_key(user_pool_id: &str, client_id: &str) -> String {
    crate::concat(&["cognito-wasm.", user_pool_id, ".", client_id])
}

/// A stored session as read back, before its tokens are verified: no expiry and no user
/// name are trusted from storage (they come from the verified tokens' claims).
#[derive(Clone, PartialEq, Eq)]
pub struct StoredSession {
    /// The ID token (JWT), to verify.
    pub id_token: String,
    /// The access token (JWT), to verify.
    pub access_token: String,
    /// The refresh token.
    pub refresh_token: String,
    /// The device clock minus the tokens' clock when they came, in milliseconds.
    pub clock_drift_ms: i64,
}

debug_without_tokens! {
    StoredSession { clock_drift_ms }
}

/// The members of a record, in the order they are written; no other is read.
const MEMBERS: [&str; 5] = [
    "v",
    "idToken",
    "accessToken",
    "refreshToken",
    "clockDriftMs",
];

impl StoredSession {
    /// What to store for these tokens.
    pub fn record(tokens: &SessionTokens) -> String {
        // The drift is stored in whole milliseconds, rounded to the nearest (`as` alone
        // would truncate 1.234 s to 1233 ms).
        let ms = tokens.clock_drift * 1000.0;
        let drift_ms = if ms < 0.0 { ms - 0.5 } else { ms + 0.5 } as i64;
        ObjectWriter::new()
            .int("v", RECORD_VERSION)
            .string("idToken", &tokens.id_token)
            .string("accessToken", &tokens.access_token)
            .string("refreshToken", &tokens.refresh_token)
            .int("clockDriftMs", drift_ms)
            .finish()
    }

    /// Reads a stored record, strictly: this version, every member present and of its type
    /// (the numbers whole, written without a fraction or an exponent), no other member, every
    /// token [`is_token_text`], nothing longer than the caps.
    pub fn parse(text: &str) -> Result<StoredSession, SessionError> {
        if text.len() > MAX_RECORD_BYTES {
            return Err(SessionError::UnreadableRecord("longer than any session"));
        }
        let record =
            json::parse_object(text).map_err(|_| SessionError::UnreadableRecord("not JSON"))?;
        if record.get("v").and_then(whole) != Some(RECORD_VERSION) {
            return Err(SessionError::UnreadableRecord("another version"));
        }
        if record
            .iter()
            .any(|(name, _)| !MEMBERS.contains(&name.as_str()))
        {
            return Err(SessionError::UnreadableRecord(
                "a member of another version",
            ));
        }
        let token = |name: &'static str| match record.get(name).and_then(Value::as_str) {
            Some(t) if is_token_text(t) => Ok(t.to_owned()),
            _ => Err(SessionError::UnreadableRecord(name)),
        };
        Ok(StoredSession {
            id_token: token("idToken")?,
            access_token: token("accessToken")?,
            refresh_token: token("refreshToken")?,
            clock_drift_ms: record
                .get("clockDriftMs")
                .and_then(whole)
                .filter(|ms| ms.unsigned_abs() <= MAX_CLOCK_DRIFT_MS)
                .ok_or(SessionError::UnreadableRecord("clockDriftMs"))?,
        })
    }

    /// Whether this record holds `tokens`' tokens (so there is nothing to verify again).
    pub fn holds(&self, tokens: &SessionTokens) -> bool {
        self.id_token == tokens.id_token
            && self.access_token == tokens.access_token
            && self.refresh_token == tokens.refresh_token
    }

    /// The session's tokens, once the caller has verified the ID and access tokens: the user
    /// name, the expiry and the issue time come from their claims.
    pub fn verified(self, username: String, expires_at: f64, issued_at: f64) -> SessionTokens {
        SessionTokens {
            id_token: self.id_token,
            access_token: self.access_token,
            refresh_token: self.refresh_token,
            username,
            expires_at,
            issued_at,
            clock_drift: self.clock_drift_ms as f64 / 1000.0,
            drift_measured: false,
        }
    }
}

/// A JSON number written as a whole number (`-`? digits), as `i64`.
fn whole(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => {
            let digits = n.as_str().strip_prefix('-').unwrap_or(n.as_str());
            digits
                .bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| n.as_i64())?
        }
        _ => None,
    }
}

/// The prefix of the keys amazon-cognito-identity-js and Amplify JS v6 keep a session under
/// (the same names in both): `CognitoIdentityServiceProvider.{clientId}.LastAuthUser` names
/// the user, and `CognitoIdentityServiceProvider.{clientId}.{username}.idToken`,
/// `.accessToken`, `.refreshToken` hold the tokens.
const ACIJ_PREFIX: &str = "CognitoIdentityServiceProvider.";

/// The storage keys of an amazon-cognito-identity-js or Amplify JS v6 session of
/// `client_id`: the last user's key, then, for `username`, the ID, access and refresh
/// tokens' (what an app that has switched may remove once the session is imported).
pub fn acij_keys(client_id: &str, username: &str) -> [String; 4] {
    let user = |what: &str| crate::concat(&[ACIJ_PREFIX, client_id, ".", username, ".", what]);
    [
        crate::concat(&[ACIJ_PREFIX, client_id, ".LastAuthUser"]),
        user("idToken"),
        user("accessToken"),
        user("refreshToken"),
    ]
}

impl StoredSession {
    /// The session amazon-cognito-identity-js or Amplify JS v6 left in storage for
    /// `client_id` (read with `get`), if there is one whose tokens fit our record's rules;
    /// its tokens are still to be verified, as a record of ours. Their `clockDrift` is not
    /// read: the two libraries store it in different units and signs under one name, so the
    /// drift starts at zero and the first refresh measures it.
    pub fn from_acij(
        client_id: &str,
        get: impl Fn(&str) -> Option<String>,
    ) -> Option<StoredSession> {
        let [last_user, ..] = acij_keys(client_id, "");
        let username = get(&last_user).filter(|u| !u.is_empty())?;
        let [_, id, access, refresh] = acij_keys(client_id, &username);
        let token = |key: &str| get(key).filter(|t| is_token_text(t));
        Some(StoredSession {
            id_token: token(&id)?,
            access_token: token(&access)?,
            refresh_token: token(&refresh)?,
            clock_drift_ms: 0,
        })
    }
}
