//! A signed-in user's session as a state machine without I/O: it decides when the tokens
//! must be refreshed, lets one refresh run at a time, keeps the device clock's drift from the
//! tokens' clock, says what to store and what to revoke, and reports what happened as
//! events. Whoever drives it (the Rust API's `SessionClient`; the npm package's
//! `CognitoSession`, through `wasm/exports/session.rs`) carries out what it decides: the network calls, the verification of every token
//! before it gets here, the storage, what is shared across tabs.
//!
//! The states, and what moves them (each transition has a test in `tests.rs`):
//!
//! ```text
//!             sign_in, adopt(Some)                    next(): fresh, or backing off
//!  SignedOut ─────────────────────> SignedIn <─────── and still valid -> Ready
//!      ^                              │   ^  \
//!      │ sign_out, adopt(None),       │   │   \ next(): expiring or forced -> Refresh(ticket)
//!      │ refreshed(Refused)           │   │    v
//!      └──────────────────────────────┘   │  SignedIn + a refresh under way
//!                                         │    │  next(): valid and not forced -> Ready,
//!         refreshed(ticket, Ok): the new  │    │          else Wait
//!         tokens; (Network): a back-off;  └────┘
//!         abandon(ticket); adopt(other tokens): the refresh is no longer waited for
//! ```
//!
//! A refresh is named by its ticket: an outcome for a refresh the session no longer waits
//! for (signed out, another tab's tokens adopted, abandoned) changes nothing, so a stale
//! answer never lands on another session. Times are seconds since the Unix epoch as `f64`,
//! what [`Platform::now`](crate::Platform) gives; a clock that is not a finite number is
//! refused ([`SessionError::Clock`]), as the verifier refuses it, so that a broken clock
//! never means "nothing expires".

use crate::prelude::*;

#[cfg(feature = "std")]
mod client;
mod record;
#[cfg(test)]
mod tests;
mod types;

#[cfg(feature = "std")]
mod shared;
#[cfg(feature = "std")]
mod storage;
#[cfg(feature = "std")]
mod waiting;

#[cfg(feature = "std")]
pub use client::{AuthSession, CurrentUser, SessionClient};
pub use record::{
    acij_keys, is_token_text, storage_key, StoredSession, MAX_CLOCK_DRIFT_MS, MAX_RECORD_BYTES,
    RECORD_VERSION,
};
#[cfg(feature = "std")]
pub use storage::{MemoryStorage, SessionStorage};
pub use types::{
    Next, RefreshFailure, RefreshRequest, Refreshed, SessionConfig, SessionError, SessionEvent,
    SessionTokens, TokenClaims, VerifiedTokens,
};

/// The first back-off after a refresh failed on the network, doubled per failure up to
/// [`MAX_BACKOFF`] seconds.
pub const FIRST_BACKOFF: f64 = 1.0;
/// The longest wait between two refresh attempts.
pub const MAX_BACKOFF: f64 = 60.0;
/// Tokens that expire within this many seconds are not handed out, even during a back-off
/// (Amplify keeps the same five seconds).
pub const EXPIRY_TOLERANCE: f64 = 5.0;

/// The session: signed out, or signed in with its tokens and the refresh's progress.
#[derive(Debug, Clone)]
pub struct Session {
    config: SessionConfig,
    state: State,
    /// The ticket of the next refresh.
    tickets: u64,
    /// The drift this session last measured itself (its device's clock against Cognito's):
    /// a stored drift within [`DRIFT_AGREEMENT`] of it is this device's, and trusted.
    measured_drift: Option<f64>,
    events: Vec<SessionEvent>,
}

/// How close, in seconds, a stored drift must be to one measured here to be taken as this
/// device's (another tab of the page measured it on the same clock).
pub const DRIFT_AGREEMENT: f64 = 60.0;

#[derive(Debug, Clone)]
enum State {
    SignedOut,
    SignedIn {
        tokens: SessionTokens,
        /// The ticket of the refresh under way.
        refreshing: Option<u64>,
        /// Network failures in a row, and when the next attempt is due (device clock).
        failures: u32,
        retry_at: f64,
    },
}

impl Session {
    /// A signed-out session.
    pub fn new(config: SessionConfig) -> Result<Session, SessionError> {
        let margin = config.refresh_margin;
        if !(margin.is_finite() && margin >= 0.0) {
            return Err(SessionError::Config(
                "the refresh margin must be a finite, non-negative number of seconds",
            ));
        }
        Ok(Session {
            config,
            state: State::SignedOut,
            tickets: 0,
            measured_drift: None,
            events: Vec::new(),
        })
    }

    /// The tokens, if signed in (whether fresh or not: ask [`Session::next`] first).
    pub fn current(&self) -> Option<&SessionTokens> {
        match &self.state {
            State::SignedIn { tokens, .. } => Some(tokens),
            State::SignedOut => None,
        }
    }

    /// The ticket of the refresh the session waits for, if any: none once another tab's
    /// tokens were adopted (or the session signed out) meanwhile.
    pub fn refreshing(&self) -> Option<u64> {
        match &self.state {
            State::SignedIn { refreshing, .. } => *refreshing,
            State::SignedOut => None,
        }
    }

    /// A sign-in ended with these (verified) tokens at `now` (device clock). Refused while
    /// someone is signed in: sign out first.
    pub fn sign_in(&mut self, tokens: VerifiedTokens, now: f64) -> Result<(), SessionError> {
        if self.current().is_some() {
            return Err(SessionError::AlreadySignedIn);
        }
        let drift = drift(now, tokens.issued_at).ok_or(SessionError::Clock)?;
        let refresh_token = tokens.refresh_token.ok_or(SessionError::NoRefreshToken)?;
        self.state = signed_in(SessionTokens {
            id_token: tokens.id_token,
            access_token: tokens.access_token,
            refresh_token,
            username: tokens.username,
            expires_at: tokens.expires_at,
            issued_at: tokens.issued_at,
            clock_drift: drift,
            drift_measured: true,
        });
        self.measured_drift = Some(drift);
        self.events.push(SessionEvent::SignedIn);
        Ok(())
    }

    /// Tokens read back from storage (or written there by another tab), verified again by the
    /// caller, become the session's; `None` (nothing stored any more) signs out. Other tokens
    /// than the session's end the wait for a refresh under way here (another tab refreshed,
    /// or signed in as someone else).
    pub fn adopt(&mut self, stored: Option<SessionTokens>) {
        let Some(new) = stored else {
            if self.current().is_some() {
                self.end();
            }
            return;
        };
        match self.current() {
            Some(held) if held.same_as(&new) => return,
            Some(held) if held.username == new.username => {
                self.events.push(SessionEvent::TokenRefresh);
            }
            Some(_) => {
                self.events.push(SessionEvent::SignedOut);
                self.events.push(SessionEvent::SignedIn);
            }
            None => self.events.push(SessionEvent::SignedIn),
        }
        self.state = signed_in(new);
    }

    /// What to do for someone who wants the tokens at `now` (device clock): use them, refresh
    /// them (`force` refreshes even fresh ones), wait for the refresh under way, or report
    /// that the session is signed out or unreachable.
    pub fn next(&mut self, now: f64, force: bool) -> Result<Next, SessionError> {
        let now = finite(now)?;
        let State::SignedIn {
            tokens,
            refreshing,
            retry_at,
            ..
        } = &mut self.state
        else {
            return Ok(Next::SignedOut);
        };
        // The tokens' clock now, from the device's; a margin of at most half the lifetime.
        let agrees = |d: f64| {
            self.measured_drift
                .is_some_and(|m| (m - d).abs() <= DRIFT_AGREEMENT)
        };
        let drift = match tokens.drift_measured || agrees(tokens.clock_drift) {
            true => tokens.clock_drift,
            // Not ours (stored): it may make the tokens older, never younger.
            false => tokens.clock_drift.min(0.0),
        };
        let token_now = now - drift;
        let lifetime = tokens.expires_at - tokens.issued_at;
        let margin = self.config.refresh_margin.min(lifetime / 2.0);
        // Tokens issued "in the future" of the corrected clock mean the drift is wrong (the
        // device's clock was set right since, or the stored drift was changed): nothing
        // about their expiry can be judged, so they are refreshed, which measures it again.
        let misjudged = token_now + EXPIRY_TOLERANCE < tokens.issued_at;
        let valid = !misjudged && token_now + EXPIRY_TOLERANCE < tokens.expires_at;
        if refreshing.is_some() {
            return Ok(if valid && !force {
                Next::Ready
            } else {
                Next::Wait
            });
        }
        // Never closer to expiry than the tolerance, whatever the margin.
        let margin = margin.max(EXPIRY_TOLERANCE);
        if !force && !misjudged && token_now + margin < tokens.expires_at {
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
        self.tickets = self.tickets.wrapping_add(1);
        *refreshing = Some(self.tickets);
        Ok(Next::Refresh(RefreshRequest {
            ticket: self.tickets,
            refresh_token: tokens.refresh_token.clone(),
            username: tokens.username.clone(),
        }))
    }

    /// The outcome of the refresh `ticket` names, at `now` (device clock). New tokens for
    /// another user than the session's are refused (the session ends). A clock that cannot
    /// be used keeps the drift measured before.
    pub fn refreshed(
        &mut self,
        ticket: u64,
        outcome: Result<VerifiedTokens, RefreshFailure>,
        now: f64,
    ) -> Refreshed {
        let State::SignedIn {
            tokens,
            refreshing,
            failures,
            retry_at,
        } = &mut self.state
        else {
            // Signed out meanwhile: a refresh token rotated in is revoked.
            let revoke = outcome.ok().and_then(|new| new.refresh_token);
            return Refreshed::Stale { revoke };
        };
        if *refreshing != Some(ticket) {
            return Refreshed::Stale { revoke: None };
        }
        *refreshing = None;
        let outcome = match outcome {
            Ok(new) if new.username != tokens.username => Err(RefreshFailure::Refused),
            other => other,
        };
        match outcome {
            Ok(new) => {
                // Rotation: a new refresh token replaces the old one; otherwise it stays.
                if let Some(refresh_token) = new.refresh_token {
                    tokens.refresh_token = refresh_token;
                }
                tokens.id_token = new.id_token;
                tokens.access_token = new.access_token;
                tokens.expires_at = new.expires_at;
                tokens.issued_at = new.issued_at;
                if let Some(drift) = drift(now, new.issued_at) {
                    (tokens.clock_drift, tokens.drift_measured) = (drift, true);
                    self.measured_drift = Some(drift);
                }
                (*failures, *retry_at) = (0, f64::NEG_INFINITY);
                self.events.push(SessionEvent::TokenRefresh);
            }
            Err(RefreshFailure::Network) => {
                *failures = failures.saturating_add(1);
                // A clock that cannot be used leaves the back-off as it was.
                if now.is_finite() {
                    *retry_at = now + backoff(*failures);
                }
                self.events.push(SessionEvent::TokenRefreshFailure);
            }
            Err(RefreshFailure::Refused) => {
                self.events.push(SessionEvent::TokenRefreshFailure);
                self.events.push(SessionEvent::SessionExpired);
                self.end();
            }
        }
        Refreshed::Applied
    }

    /// The refresh `ticket` names will not be reported (its call was dropped): the session
    /// stops waiting for it, and the next call may refresh again.
    pub fn abandon(&mut self, ticket: u64) {
        if let State::SignedIn { refreshing, .. } = &mut self.state {
            if *refreshing == Some(ticket) {
                *refreshing = None;
            }
        }
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
        refreshing: None,
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

/// The device clock minus the tokens', if the device clock is a number and within
/// [`MAX_CLOCK_DRIFT_MS`] of the tokens' (so that a stored drift always reads back).
fn drift(now: f64, issued_at: f64) -> Option<f64> {
    let drift = now - issued_at;
    (drift.is_finite() && drift.abs() * 1000.0 <= MAX_CLOCK_DRIFT_MS as f64).then_some(drift)
}

/// Seconds to wait after the `failures`-th network failure in a row: 1, 2, 4, ... up to
/// [`MAX_BACKOFF`].
fn backoff(failures: u32) -> f64 {
    let doublings = failures.saturating_sub(1).min(16);
    (FIRST_BACKOFF * f64::from(1u32 << doublings)).min(MAX_BACKOFF)
}
