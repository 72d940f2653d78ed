//! A signed-in user's session as a state machine without I/O: it decides when the tokens
//! must be refreshed, lets one refresh run at a time, keeps the device clock's drift from the
//! tokens' clock, says what to store and what to revoke, and reports what happened as
//! events. Whoever drives it (the Rust API's session, the JS driver) carries out what it
//! decides: the network calls, the verification of every token before it gets here, the
//! storage, the lock across tabs.
//!
//! The state machine, and what moves it (each transition has a test in `tests.rs`):
//!
//! ```text
//!              sign_in / restore                     next(): tokens fresh -> Ready
//!  SignedOut ───────────────────────> SignedIn <──── next(): backing off, still valid -> Ready
//!      ^  ^                            │    ^   \
//!      │  │ sign_out                   │    │    \ next(): expiring, or forced
//!      │  └────────────────────────────┘    │     v
//!      │                       refreshed(Ok)│   Refreshing ── next() -> Wait (join it)
//!      │                 refreshed(Network) │     │
//!      │                 (backs off)        └─────┤
//!      └──────────────────────────────────────────┘ refreshed(Refused): SessionExpired
//! ```
//!
//! Times are seconds since the Unix epoch as `f64`, what [`Platform::now`](crate::Platform)
//! gives; a clock that is not a finite number is refused ([`SessionError::Clock`]), as the
//! verifier refuses it, so that a broken clock never means "nothing expires".

use crate::prelude::*;

mod record;
#[cfg(test)]
mod tests;

pub use record::{
    storage_key, StoredSession, MAX_CLOCK_DRIFT_MS, MAX_RECORD_BYTES, RECORD_VERSION,
};

/// How a session decides.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SessionConfig {
    /// Refresh when the ID or access token expires within this many seconds. Default 120:
    /// under Cognito's shortest token validity (5 minutes), so a pool at the minimum still
    /// gets minutes of use out of each refresh, and more than a slow refresh takes.
    pub refresh_margin: f64,
}

impl Default for SessionConfig {
    fn default() -> SessionConfig {
        SessionConfig {
            refresh_margin: 120.0,
        }
    }
}

/// Tokens from a sign-in or a refresh, already verified by the caller (signature against the
/// pool's JWKS, issuer, this client, token use), with what the session needs of their claims.
#[derive(Clone, PartialEq)]
pub struct VerifiedTokens {
    /// The ID token (JWT).
    pub id_token: String,
    /// The access token (JWT).
    pub access_token: String,
    /// The refresh token: always in a sign-in's answer; in a refresh's only when the app
    /// client rotates refresh tokens (then it replaces the old one).
    pub refresh_token: Option<String>,
    /// The access token's `username` claim.
    pub username: String,
    /// The earlier of the two tokens' `exp`, Unix seconds on the tokens' clock.
    pub expires_at: f64,
    /// The access token's `iat`, Unix seconds on the tokens' clock: with the device's clock
    /// when the tokens arrived, it gives the drift between the two.
    pub issued_at: f64,
}

impl core::fmt::Debug for VerifiedTokens {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // Tokens are credentials: never printed.
        f.debug_struct("VerifiedTokens")
            .field("username", &self.username)
            .field("expires_at", &self.expires_at)
            .field("issued_at", &self.issued_at)
            .finish_non_exhaustive()
    }
}

/// What the caller does next for someone who wants the tokens.
#[derive(Debug, Clone, PartialEq)]
pub enum Next {
    /// Nobody is signed in.
    SignedOut,
    /// The stored tokens are good to use: [`Session::current`].
    Ready,
    /// Refresh with this refresh token (REFRESH_TOKEN_AUTH, or GetTokensFromRefreshToken
    /// when the client rotates them), verify the answer, and report with
    /// [`Session::refreshed`].
    Refresh(RefreshRequest),
    /// A refresh is already under way: wait for its outcome and ask again.
    Wait,
    /// A refresh failed on the network, the tokens have expired and the next attempt is not
    /// due before `retry_at` (device clock): the caller reports the network failure. The
    /// session is kept.
    Unavailable {
        /// When a refresh may be tried again.
        retry_at: f64,
    },
}

/// What a refresh needs.
#[derive(Clone, PartialEq)]
pub struct RefreshRequest {
    /// The refresh token to send.
    pub refresh_token: String,
    /// The user's name, for SECRET_HASH when the client has a secret.
    pub username: String,
}

impl core::fmt::Debug for RefreshRequest {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("RefreshRequest")
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

/// How a refresh failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefreshFailure {
    /// No answer (offline, a time-out, a 5xx): the session stays, and the next refresh is
    /// tried after a back-off.
    Network,
    /// Cognito refused the refresh token (revoked, expired: `NotAuthorizedException`), or
    /// the new tokens failed verification: the session ends.
    Refused,
}

/// What happened to a session, for the app's listeners (drained by [`Session::events`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionEvent {
    /// A sign-in ended in a session.
    SignedIn,
    /// The session ended: signed out here, in another tab, or expired.
    SignedOut,
    /// New tokens replaced the old ones.
    TokenRefresh,
    /// A refresh failed (the session may be kept: see [`RefreshFailure`]).
    TokenRefreshFailure,
    /// The refresh token was refused: the user must sign in again (followed by `SignedOut`).
    SessionExpired,
}

/// Why the session cannot do what was asked.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SessionError {
    /// The clock is not a finite number.
    Clock,
    /// A sign-in's tokens came without a refresh token: a session could not be refreshed.
    NoRefreshToken,
    /// A stored session that cannot be read (another version, tampered, truncated).
    UnreadableRecord(&'static str),
}

impl core::fmt::Display for SessionError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            SessionError::Clock => f.write_str("platform: the clock is not a finite number"),
            SessionError::NoRefreshToken => {
                f.write_str("the sign-in's tokens have no refresh token: no session to keep")
            }
            SessionError::UnreadableRecord(why) => {
                f.write_str("the stored session cannot be read: ")?;
                f.write_str(why)
            }
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for SessionError {}

/// The tokens a session holds, as stored and as handed out.
#[derive(Clone, PartialEq)]
pub struct SessionTokens {
    /// The ID token (JWT).
    pub id_token: String,
    /// The access token (JWT).
    pub access_token: String,
    /// The refresh token.
    pub refresh_token: String,
    /// The user's name (the access token's `username`).
    pub username: String,
    /// The earlier of the two tokens' `exp`, on the tokens' clock.
    pub expires_at: f64,
    /// The device clock minus the tokens' clock, in seconds, measured when the tokens came:
    /// expiry is judged on the device clock minus this drift.
    pub clock_drift: f64,
}

impl core::fmt::Debug for SessionTokens {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SessionTokens")
            .field("username", &self.username)
            .field("expires_at", &self.expires_at)
            .field("clock_drift", &self.clock_drift)
            .finish_non_exhaustive()
    }
}

/// The session: signed out, or signed in with its tokens and the refresh's progress.
#[derive(Debug, Clone)]
pub struct Session {
    config: SessionConfig,
    state: State,
    events: Vec<SessionEvent>,
}

#[derive(Debug, Clone)]
enum State {
    SignedOut,
    SignedIn {
        tokens: SessionTokens,
        refreshing: bool,
        /// Network failures in a row, and when the next attempt is due (device clock).
        failures: u32,
        retry_at: f64,
    },
}

/// The first back-off after a refresh failed on the network, doubled per failure up to
/// [`MAX_BACKOFF`] seconds.
pub const FIRST_BACKOFF: f64 = 1.0;
/// The longest wait between two refresh attempts.
pub const MAX_BACKOFF: f64 = 60.0;

impl Session {
    /// A signed-out session.
    pub fn new(config: SessionConfig) -> Session {
        Session {
            config,
            state: State::SignedOut,
            events: Vec::new(),
        }
    }

    /// The tokens, if signed in (whether fresh or not: ask [`Session::next`] first).
    pub fn current(&self) -> Option<&SessionTokens> {
        match &self.state {
            State::SignedIn { tokens, .. } => Some(tokens),
            State::SignedOut => None,
        }
    }

    /// A sign-in ended with these (verified) tokens at `now` (device clock).
    pub fn sign_in(&mut self, tokens: VerifiedTokens, now: f64) -> Result<(), SessionError> {
        let now = finite(now)?;
        let refresh_token = tokens.refresh_token.ok_or(SessionError::NoRefreshToken)?;
        self.state = signed_in(SessionTokens {
            id_token: tokens.id_token,
            access_token: tokens.access_token,
            refresh_token,
            username: tokens.username,
            expires_at: tokens.expires_at,
            clock_drift: now - tokens.issued_at,
        });
        self.events.push(SessionEvent::SignedIn);
        Ok(())
    }

    /// Tokens read back from storage (or written there by another tab), verified again by the
    /// caller, become the session's; `None` (nothing stored any more) signs out. A refresh
    /// under way here is not affected: its outcome is reported as usual.
    pub fn adopt(&mut self, stored: Option<SessionTokens>) {
        match (stored, &mut self.state) {
            (None, State::SignedOut) => {}
            (None, State::SignedIn { .. }) => self.end(),
            (Some(new), State::SignedIn { tokens, .. }) => {
                if *tokens != new {
                    *tokens = new;
                    self.events.push(SessionEvent::TokenRefresh);
                }
            }
            (Some(new), State::SignedOut) => {
                self.state = signed_in(new);
                self.events.push(SessionEvent::SignedIn);
            }
        }
    }

    /// What to do for someone who wants the tokens at `now` (device clock): use them, refresh
    /// them (`force` refreshes even fresh ones), wait for the refresh under way, or report
    /// that the session is signed out or unreachable.
    pub fn next(&mut self, now: f64, force: bool) -> Result<Next, SessionError> {
        let now = finite(now)?;
        let margin = self.config.refresh_margin;
        let State::SignedIn {
            tokens,
            refreshing,
            retry_at,
            ..
        } = &mut self.state
        else {
            return Ok(Next::SignedOut);
        };
        if *refreshing {
            return Ok(Next::Wait);
        }
        // The tokens' clock now, from the device's.
        let token_now = now - tokens.clock_drift;
        let valid = token_now < tokens.expires_at;
        if !force && token_now + margin < tokens.expires_at {
            return Ok(Next::Ready);
        }
        if !force && now < *retry_at {
            return Ok(if valid {
                Next::Ready
            } else {
                Next::Unavailable {
                    retry_at: *retry_at,
                }
            });
        }
        *refreshing = true;
        Ok(Next::Refresh(RefreshRequest {
            refresh_token: tokens.refresh_token.clone(),
            username: tokens.username.clone(),
        }))
    }

    /// The outcome of the refresh [`Session::next`] asked for, at `now` (device clock). An
    /// outcome nobody asked for (the session was signed out meanwhile) changes nothing and
    /// returns `false`.
    pub fn refreshed(
        &mut self,
        outcome: Result<VerifiedTokens, RefreshFailure>,
        now: f64,
    ) -> Result<bool, SessionError> {
        let now = finite(now)?;
        let State::SignedIn {
            tokens,
            refreshing,
            failures,
            retry_at,
        } = &mut self.state
        else {
            return Ok(false);
        };
        if !*refreshing {
            return Ok(false);
        }
        *refreshing = false;
        match outcome {
            Ok(new) => {
                // Rotation: a new refresh token replaces the old one; otherwise it stays.
                if let Some(refresh_token) = new.refresh_token {
                    tokens.refresh_token = refresh_token;
                }
                tokens.id_token = new.id_token;
                tokens.access_token = new.access_token;
                tokens.username = new.username;
                tokens.expires_at = new.expires_at;
                tokens.clock_drift = now - new.issued_at;
                (*failures, *retry_at) = (0, f64::NEG_INFINITY);
                self.events.push(SessionEvent::TokenRefresh);
            }
            Err(RefreshFailure::Network) => {
                *failures = failures.saturating_add(1);
                *retry_at = now + backoff(*failures);
                self.events.push(SessionEvent::TokenRefreshFailure);
            }
            Err(RefreshFailure::Refused) => {
                self.events.push(SessionEvent::TokenRefreshFailure);
                self.events.push(SessionEvent::SessionExpired);
                self.end();
            }
        }
        Ok(true)
    }

    /// Signs out here: returns the refresh token to revoke (RevokeToken), if there was a
    /// session. The session is signed out whatever becomes of the revocation.
    pub fn sign_out(&mut self) -> Option<String> {
        let token = match &mut self.state {
            State::SignedIn { tokens, .. } => core::mem::take(&mut tokens.refresh_token),
            State::SignedOut => return None,
        };
        self.end();
        Some(token)
    }

    /// The events since the last call, oldest first.
    pub fn events(&mut self) -> Vec<SessionEvent> {
        core::mem::take(&mut self.events)
    }

    fn end(&mut self) {
        self.state = State::SignedOut;
        self.events.push(SessionEvent::SignedOut);
    }
}

fn signed_in(tokens: SessionTokens) -> State {
    State::SignedIn {
        tokens,
        refreshing: false,
        failures: 0,
        retry_at: f64::NEG_INFINITY,
    }
}

fn finite(now: f64) -> Result<f64, SessionError> {
    if now.is_finite() {
        Ok(now)
    } else {
        Err(SessionError::Clock)
    }
}

/// Seconds to wait after the `failures`-th network failure in a row: 1, 2, 4, ... up to
/// [`MAX_BACKOFF`].
fn backoff(failures: u32) -> f64 {
    let doublings = failures.saturating_sub(1).min(16);
    (FIRST_BACKOFF * f64::from(1u32 << doublings)).min(MAX_BACKOFF)
}
