//! `CognitoSession`'s core: the session state machine ([`crate::session::Session`]), its
//! stored record and its token rules, as the Rust API's `SessionClient` has them. The driver
//! (`crate/js/driver/session.js`) signs in, refreshes, verifies every token (with the
//! session's `TokenVerifier`) before it hands them here, keeps the storage and the lock
//! across tabs, and dispatches the events this names.
//!
//! One export, [`session`], takes every call on a session: its name is the inbox's first
//! line (one export rather than one per call: each export repeats the mailbox's prologue,
//! measured at about 300 bytes of code apiece). Tokens come in as `id \n access \n refresh`
//! (the refresh token empty when a refresh did not rotate it); what the session needs of
//! their claims is read here from the tokens themselves, so the two cannot disagree.
//!
//! A call that may change the session replies `events \n record \n extra`: the events'
//! names (space-separated, oldest first); when there are events, the record to store (empty:
//! remove it); and the call's own result.

use crate::prelude::*;

use super::client::CLIENT_OPTIONS;
use super::errors::{invalid_input, session_err};
use super::mailbox::{call, free, split, text};
use super::objects::SessionCore;
use super::options::Options;
use crate::session::{
    acij_keys, is_token_text, storage_key, Next, RefreshFailure, Refreshed, Session, SessionConfig,
    SessionError, SessionTokens, StoredSession, TokenClaims, VerifiedTokens,
};
use crate::split_at_byte;
use crate::verify::jwt;

/// A session for the options (`CognitoSessionOptions` as JSON, without `storage`): signed
/// out. Replies `handle \n storage key`.
#[export_name = "cw_session_new"]
pub extern "C" fn session_new() -> u32 {
    call(|inbox, o| {
        // The client's, the verifier's overrides, and the session's own (the driver hands
        // each part to its object, which checks it again).
        let own = ["issuer", "jwksUri", "refreshMarginSeconds"];
        let allowed: [&[&str]; 2] = [&CLIENT_OPTIONS, &own];
        let options = Options::read("CognitoSession options", text(inbox)?, &allowed)?;
        let pool = options.req_str("userPoolId")?;
        let client_id = options.req_str("clientId")?;
        let mut config = SessionConfig::default();
        if let Some(margin) = options.opt_count("refreshMarginSeconds")? {
            config.refresh_margin = margin.into();
        }
        let session = Session::new(config).map_err(session_err)?;
        let key = storage_key(&pool, &client_id);
        let handle = o.sessions.add(SessionCore { session, client_id });
        Ok(concat(&[&handle, "\n", &key]))
    })
}

/// One call on the session `s`, at `now` (device clock, seconds), with `n` (a ticket or a
/// flag, as the call says); the inbox is `call \n input`:
///
/// - `read`, a stored record: `same` when it holds the session's tokens, else its tokens
///   for the driver to verify before `adopt`; InvalidInputError when it cannot be read.
/// - `signIn`, a sign-in's tokens (verified): an update.
/// - `adopt`, the record found in storage (its tokens verified), or nothing (it is gone: the
///   session signs out); `n` 1: the page's first read, taken only while nobody is signed in
///   here, without an event (the session was there before); `n` 2: an
///   amazon-cognito-identity-js session instead (`username \n id \n access \n refresh`, from
///   the keys `acijKeys` names), taken only while nobody is signed in. An update.
/// - `acijKeys`, a username (or nothing): the keys of that user's amazon-cognito-identity-js
///   session of this client, a line each, the last user's first.
/// - `current`: `ready \n id \n access \n refresh \n username` without a refresh, or
///   UserUnAuthenticatedException; `n` 1: nothing, or UserAlreadyAuthenticatedException
///   when someone is signed in.
/// - `next`: what to do for a caller who wants the tokens (`n` 1: fresh ones): `ready ...`
///   as `current`, `wait` (for the refresh under way) or `refresh \n ticket \n refresh
///   token`; UserUnAuthenticatedException when nobody is signed in, NetworkError while the
///   tokens have expired and the back-off lasts.
/// - `refreshed`, the outcome of the refresh ticket `n`: `ok \n tokens` (verified) or
///   `failed \n error name`. An update whose extra is `revoke \n error`: a refresh token to
///   revoke (rotated in for a session signed out meanwhile), then, when the new tokens
///   break the session's rules (which ends it, as a refused refresh does), that error, for
///   the driver to throw once it has carried out the update.
/// - `waits`: `yes` while the session waits for the refresh ticket `n` (not once another
///   tab's tokens, or its sign-out, were adopted).
/// - `signOut`: an update whose extra is the refresh token to revoke.
/// - `failure`, an error's name: `refused` when such a failure ends a session, `network`
///   when it may pass.
#[export_name = "cw_session"]
pub extern "C" fn session(s: u32, now: f64, n: f64) -> u32 {
    call(|inbox, o| {
        let (name, input) = split(inbox)?;
        let core = o.sessions.get(s)?;
        let ticket = n as u64;
        match name {
            "read" => core.read(input),
            "signIn" => {
                let verified = core.verified(input).map_err(session_err)?;
                core.session.sign_in(verified, now).map_err(session_err)?;
                Ok(core.update(""))
            }
            "adopt" => core.adopt(input, n as u32),
            "acijKeys" => Ok(acij_keys(&core.client_id, input).join("\n")),
            "current" => match (core.session.current(), n == 1.0) {
                (Some(_), true) => Err(session_err(SessionError::AlreadySignedIn)),
                (None, true) => Ok(String::new()),
                (None, false) => Err(session_err(SessionError::SignedOut)),
                (Some(t), false) => Ok(ready(t)),
            },
            "next" => core.next(now, n == 1.0),
            "refreshed" => Ok(core.refreshed(input, ticket, now)?),
            "waits" => {
                let waits = core.session.refreshing() == Some(ticket);
                Ok(if waits { "yes" } else { "" }.into())
            }
            "signOut" => {
                let revoke = core.session.sign_out().unwrap_or_default();
                Ok(core.update(&revoke))
            }
            "failure" => Ok(match RefreshFailure::of_name(input) {
                RefreshFailure::Refused => "refused".into(),
                RefreshFailure::Network => "network".into(),
            }),
            _ => Err(invalid_input(&["no such session call"])),
        }
    })
}

/// Forgets a session.
#[export_name = "cw_session_free"]
pub extern "C" fn session_free(s: u32) {
    free(|o| o.sessions.free(s));
}

fn ready(t: &SessionTokens) -> String {
    concat(&[
        "ready\n",
        &t.id_token,
        "\n",
        &t.access_token,
        "\n",
        &t.refresh_token,
        "\n",
        &t.username,
    ])
}

impl SessionCore {
    fn read(&self, input: &str) -> Result<String, String> {
        let record = StoredSession::parse(input).map_err(session_err)?;
        if self.session.current().is_some_and(|t| record.holds(t)) {
            return Ok("same".into());
        }
        Ok(concat(&[
            &record.id_token,
            "\n",
            &record.access_token,
            "\n",
            &record.refresh_token,
        ]))
    }

    fn adopt(&mut self, input: &str, how: u32) -> Result<String, String> {
        let (restore, import) = (how == 1, how == 2);
        let record = match (input.is_empty(), import) {
            (true, _) => None,
            (false, false) => Some(StoredSession::parse(input).map_err(session_err)?),
            (false, true) => match self.acij(input) {
                Some(record) => Some(record),
                // Not a session we can take (as the Rust API's import says: none).
                None => return Ok(self.update("")),
            },
        };
        if (restore || import) && self.session.current().is_some() {
            return Ok(self.update(""));
        }
        let tokens = match record {
            Some(r) => {
                let pair = concat(&[&r.id_token, "\n", &r.access_token, "\n"]);
                let v = self.verified(&pair).map_err(session_err)?;
                Some(r.verified(v.username, v.expires_at, v.issued_at))
            }
            None => None,
        };
        self.session.adopt(tokens);
        if restore {
            self.session.events();
        }
        Ok(self.update(""))
    }

    fn next(&mut self, now: f64, force: bool) -> Result<String, String> {
        match self.session.next(now, force).map_err(session_err)? {
            Next::Wait => Ok("wait".into()),
            Next::Refresh(r) => Ok(concat(&[
                "refresh\n",
                &crate::json::itoa(r.ticket as i64),
                "\n",
                &r.refresh_token,
            ])),
            Next::Unavailable { retry_at } => {
                Err(session_err(SessionError::Unavailable { retry_at }))
            }
            // `Ready` is only ever said of a signed-in session.
            Next::Ready | Next::SignedOut => match self.session.current() {
                Some(t) => Ok(ready(t)),
                None => Err(session_err(SessionError::SignedOut)),
            },
        }
    }

    fn refreshed(&mut self, input: &str, ticket: u64, now: f64) -> Result<String, String> {
        let mut refused = String::new();
        let outcome = match split_at_byte(input, b'\n') {
            Some(("ok", tokens)) => self.verified(tokens).map_err(|e| {
                let failure = RefreshFailure::of_name(e.name());
                refused = session_err(e);
                failure
            }),
            Some(("failed", name)) => Err(RefreshFailure::of_name(name)),
            _ => return Err(invalid_input(&["a refresh's outcome"])),
        };
        let revoke = match self.session.refreshed(ticket, outcome, now) {
            Refreshed::Stale {
                revoke: Some(token),
            } => token,
            _ => String::new(),
        };
        Ok(self.update(&concat(&[&revoke, "\n", &refused])))
    }

    /// Tokens (`id \n access \n refresh`) the driver verified, by the session's rules.
    fn verified(&self, input: &str) -> Result<VerifiedTokens, SessionError> {
        let three = split_at_byte(input, b'\n')
            .and_then(|(id, rest)| Some((id, split_at_byte(rest, b'\n')?)));
        let Some((id, (access, refresh))) = three else {
            let why = "tokens as three lines".into();
            return Err(SessionError::Client(crate::error::Error::InvalidInput(why)));
        };
        let payload = |token: &str| {
            jwt::split(token)
                .map(|jws| jws.payload)
                .map_err(SessionError::Verify)
        };
        let (id_payload, access_payload) = (payload(id)?, payload(access)?);
        let claims = [
            TokenClaims::of_payload(&id_payload),
            TokenClaims::of_payload(&access_payload),
        ];
        if !(refresh.is_empty() || is_token_text(refresh)) {
            let why = "a refresh token of other than visible ASCII".into();
            return Err(SessionError::Client(
                crate::error::Error::MalformedResponse(why),
            ));
        }
        let refresh = Some(refresh).filter(|r| !r.is_empty()).map(str::to_owned);
        let tokens = [id.to_owned(), access.to_owned()];
        VerifiedTokens::pair(tokens, refresh, claims, &self.client_id).map_err(SessionError::Verify)
    }

    /// An amazon-cognito-identity-js session (`username \n id \n access \n refresh`), by
    /// [`StoredSession::from_acij`]'s rules: the values stand for the keys
    /// [`acij_keys`] names, in its order.
    fn acij(&self, input: &str) -> Option<StoredSession> {
        let mut values = Vec::new();
        let mut rest = input;
        while let Some((value, more)) = split_at_byte(rest, b'\n') {
            values.push(value);
            rest = more;
        }
        values.push(rest);
        let username = values.first().copied().unwrap_or_default();
        let keys = acij_keys(&self.client_id, username);
        let get = |key: &str| {
            let at = keys.iter().position(|k| k == key)?;
            values.get(at).map(|v| (*v).to_owned())
        };
        StoredSession::from_acij(&self.client_id, get).filter(|_| values.len() == keys.len())
    }

    /// `events \n record \n extra`, as the module's doc says.
    fn update(&mut self, extra: &str) -> String {
        let events = self.session.events();
        let mut out = String::new();
        for (at, event) in events.iter().enumerate() {
            if at > 0 {
                out.push(' ');
            }
            out.push_str(event.name());
        }
        out.push('\n');
        if !events.is_empty() {
            if let Some(tokens) = self.session.current() {
                out.push_str(&StoredSession::record(tokens));
            }
        }
        out.push('\n');
        out.push_str(extra);
        out
    }
}
