//! [`SessionClient`]: the Rust API's driver of the session state machine. It does what
//! [`Session`] decides: the sign-in, the refresh (GetTokensFromRefreshToken, which works with
//! and without rotation), the verification of every token before the session takes it, the
//! storage, and one refresh at a time for every caller of one `SessionClient`. Here the
//! calls and the one place the state changes (`update`); `stored` reads storage, `verified`
//! checks every token the session takes, `failure` is what either gives back when it fails.

use std::boxed::Box;

use super::shared::Shared;
use super::storage::SessionStorage;
use super::waiting::{Abandon, RefreshDone};
use super::{
    storage_key, Next, RefreshFailure, Refreshed, Session, SessionConfig, SessionError,
    SessionEvent, SessionTokens, StoredSession,
};
use crate::api::{Challenge, Client, SignInResult, Tokens};
use crate::lock::Lock;
use crate::platform::Platform;
use crate::prelude::*;
use crate::verify::{Claims, Verifier};
use failure::RefreshError;

mod failure;
mod stored;
mod verified;

/// The session's tokens and their verified claims, as [`SessionClient::get_session`] gives
/// them. `Debug` shows neither the tokens nor the claims (an email, a phone number), only
/// whose they are.
#[derive(Clone)]
pub struct AuthSession {
    /// The tokens (the refresh token included: it is the session's to use).
    pub tokens: SessionTokens,
    /// The ID token's verified claims.
    pub id: Claims,
    /// The access token's verified claims.
    pub access: Claims,
}

impl core::fmt::Debug for AuthSession {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("AuthSession")
            .field("tokens", &self.tokens)
            .finish_non_exhaustive()
    }
}

/// The signed-in user, from the verified ID token (no request).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrentUser {
    /// The username (`cognito:username`).
    pub username: String,
    /// The user's id (`sub`).
    pub user_id: String,
}

/// A client that keeps a signed-in user's session: signs in, stores, refreshes before the
/// tokens expire (one refresh at a time for all its callers), verifies every token it takes,
/// and signs out.
///
/// The verifier must accept both kinds of token (`token_use: None`) for this client: the
/// session checks which is which, and that both are for this client. A `SessionClient` is
/// neither `Send` nor `Sync` (its storage is a plain trait object): one per page, or per
/// thread on a server.
///
/// With refresh-token rotation, give the app client a grace period
/// (`RetryGracePeriodSeconds` above 0): a refresh whose answer is lost (the network cut, the
/// call dropped) is then retried with the same token; with none, the retry is
/// RefreshTokenReuseException and the user must sign in again. One `SessionClient` shares its
/// refreshes among its callers; two tabs of a page are two clients, which do not share one
/// (the npm package's `CognitoSession` does, with Web Locks; here, with rotation, the grace
/// period covers two tabs refreshing at once).
pub struct SessionClient<P: Platform> {
    client: Client<P>,
    verifier: Verifier<P>,
    storage: Box<dyn SessionStorage>,
    key: String,
    shared: Lock<Shared>,
    listeners: Listeners,
}

/// The event listeners, apart from the state so that one may call the client.
type Listeners = Lock<Vec<(u64, std::sync::Arc<dyn Fn(SessionEvent)>)>>;

impl<P: Platform> SessionClient<P> {
    /// A session over `client` and `verifier` (of the same pool and app client), kept in
    /// `storage` under the key of the pool and client.
    pub fn new(
        client: Client<P>,
        verifier: Verifier<P>,
        storage: Box<dyn SessionStorage>,
        config: SessionConfig,
    ) -> Result<SessionClient<P>, SessionError> {
        let c = client.config();
        let key = storage_key(&c.user_pool_id, &c.client_id);
        Ok(SessionClient {
            client,
            verifier,
            storage,
            key,
            shared: Lock::new(Shared {
                session: Session::new(config)?,
                claims: None,
                restored: false,
                generation: 0,
                waiters: Vec::new(),
            }),
            listeners: Lock::new(Vec::new()),
        })
    }

    /// The client, for the calls that need no session.
    pub fn client(&self) -> &Client<P> {
        &self.client
    }

    /// Calls `listener` with every event from now on (signedIn, tokenRefresh, ...), outside
    /// the client's locks (it may call the client); returns what
    /// [`SessionClient::unsubscribe`] takes.
    pub fn subscribe(&self, listener: impl Fn(SessionEvent) + 'static) -> u64 {
        let mut listeners = self.listeners.lock();
        let id = listeners.last().map_or(0, |(id, _)| id + 1);
        listeners.push((id, std::sync::Arc::new(listener)));
        id
    }

    /// Stops calling the listener `subscribe` returned `id` for.
    pub fn unsubscribe(&self, id: u64) {
        self.listeners.lock().retain(|(i, _)| *i != id);
    }

    /// Signs in with SRP (the password never leaves the device). A challenge (MFA, a new
    /// password) comes back as it is: answer it with [`SessionClient::confirm_sign_in`].
    pub async fn sign_in_srp(
        &self,
        username: &str,
        password: &str,
    ) -> Result<SignInResult, SessionError> {
        self.refuse_if_signed_in().await?;
        let result = self.client.sign_in_srp(username, password).await?;
        self.started(result).await
    }

    /// Answers a sign-in's challenge ([`Client::confirm_sign_in`]): tokens start the session,
    /// verified; the next challenge comes back as it is.
    pub async fn confirm_sign_in(
        &self,
        challenge: &Challenge,
        answer: Option<&str>,
        attributes: &[(String, String)],
    ) -> Result<SignInResult, SessionError> {
        self.refuse_if_signed_in().await?;
        let result = (self.client)
            .confirm_sign_in(challenge, answer, attributes)
            .await?;
        self.started(result).await
    }

    /// A sign-in's outcome, its tokens (if it gave some) starting the session.
    async fn started(&self, result: SignInResult) -> Result<SignInResult, SessionError> {
        if let SignInResult::Tokens(tokens) = &result {
            self.start(tokens.clone()).await?;
        }
        Ok(result)
    }

    /// Starts the session with a sign-in's tokens (from any flow): verified, then stored.
    pub async fn start(&self, tokens: Tokens) -> Result<(), SessionError> {
        self.refuse_if_signed_in().await?;
        let (verified, id, access) = self.verify(tokens).await?;
        let now = self.client.platform().now();
        let id_token = verified.id_token.clone();
        self.update(|s| {
            s.session.sign_in(verified, now)?;
            s.claims = Some((id_token, id, access));
            Ok(())
        })
    }

    /// The tokens and their claims, refreshed first when they expire within the margin (or
    /// when `force`); [`SessionError::SignedOut`] when nobody is signed in.
    pub async fn get_session(&self, force: bool) -> Result<AuthSession, SessionError> {
        self.restore().await?;
        let mut force = force;
        // Why the last refresh here failed, for a caller left without valid tokens.
        let mut failure = None;
        loop {
            let now = self.client.platform().now();
            let (next, generation) = {
                let mut s = self.shared.lock();
                (s.session.next(now, force)?, s.generation)
            };
            match next {
                Next::SignedOut => return Err(SessionError::SignedOut),
                Next::Unavailable { retry_at } => {
                    return Err(failure.unwrap_or(SessionError::Unavailable { retry_at }));
                }
                Next::Ready => {
                    // Every path that gives the session tokens stores their claims with
                    // them (start, restore, a refresh). // invariant
                    return self.current().ok_or(SessionError::SignedOut);
                }
                Next::Wait => {
                    RefreshDone {
                        shared: &self.shared,
                        generation,
                    }
                    .await;
                    // The refresh waited for satisfies a forced call.
                    force = false;
                }
                Next::Refresh(request) => {
                    let mut guard = Abandon {
                        shared: &self.shared,
                        ticket: request.ticket,
                        done: false,
                    };
                    let outcome = self.refresh(&request.refresh_token).await;
                    let now = self.client.platform().now();
                    let (failed, revoke) = self.update(|s| {
                        let (outcome, claims) = match outcome {
                            Ok((verified, id, access)) => {
                                let id_token = verified.id_token.clone();
                                (Ok(verified), Some((id_token, id, access)))
                            }
                            Err(e) => (Err(e), None),
                        };
                        let failure = outcome.as_ref().err().cloned();
                        let refreshed =
                            s.session
                                .refreshed(request.ticket, outcome.map_err(|e| e.0), now);
                        if refreshed == Refreshed::Applied && claims.is_some() {
                            s.claims = claims;
                        }
                        let revoke = match refreshed {
                            Refreshed::Stale { revoke } => revoke,
                            Refreshed::Applied => None,
                        };
                        Ok((failure, revoke))
                    })?;
                    // Those who wait go on now, not after the revocation below.
                    guard.end();
                    if let Some(token) = revoke {
                        let _ = self.client.revoke_token(&token).await;
                    }
                    match failed {
                        Some(RefreshError(RefreshFailure::Refused, cause)) => return Err(cause),
                        // A forced refresh asked for new tokens: the old ones will not do.
                        Some(RefreshError(RefreshFailure::Network, cause)) if force => {
                            return Err(cause)
                        }
                        Some(RefreshError(RefreshFailure::Network, cause)) => failure = Some(cause),
                        None => {}
                    }
                    force = false;
                }
            }
        }
    }

    /// The signed-in user, from the verified ID token, without a request; `None` when
    /// signed out.
    pub async fn current_user(&self) -> Result<Option<CurrentUser>, SessionError> {
        self.restore().await?;
        Ok(self.current().map(|a| CurrentUser {
            username: a.tokens.username,
            user_id: a.id.sub,
        }))
    }

    /// Signs out: `global` signs out everywhere (GlobalSignOut, with an access token that is
    /// refreshed first if it has expired; RevokeToken if that fails), otherwise this
    /// session's refresh token is revoked (RevokeToken). Storage is cleared and the session
    /// ended whatever the network does, even when the stored session could not be read back;
    /// the network's error, if any, comes back after.
    pub async fn sign_out(&self, global: bool) -> Result<(), SessionError> {
        if let Err(e) = self.restore().await {
            // Not verifiable now (the JWKS out of reach): its refresh token is revoked
            // unverified, and the record goes.
            let stored = self.storage.get(&self.key);
            self.storage.remove(&self.key);
            if let Some(Ok(record)) = stored.map(|t| StoredSession::parse(&t)) {
                return self
                    .client
                    .revoke_token(&record.refresh_token)
                    .await
                    .map_err(SessionError::from);
            }
            return Err(e);
        }
        let access = match global {
            true => self
                .get_session(false)
                .await
                .ok()
                .map(|s| s.tokens.access_token),
            false => None,
        };
        let revoke = self.update(|s| {
            s.claims = None;
            Ok(s.session.sign_out())
        })?;
        let Some(refresh_token) = revoke else {
            return Ok(());
        };
        if let Some(access) = access {
            if self.client.global_sign_out(&access).await.is_ok() {
                return Ok(());
            }
        }
        self.client
            .revoke_token(&refresh_token)
            .await
            .map_err(SessionError::from)
    }

    async fn refuse_if_signed_in(&self) -> Result<(), SessionError> {
        self.restore().await?;
        match self.shared.lock().session.current() {
            Some(_) => Err(SessionError::AlreadySignedIn),
            None => Ok(()),
        }
    }

    fn current(&self) -> Option<AuthSession> {
        let s = self.shared.lock();
        let tokens = s.session.current()?;
        match &s.claims {
            Some((id_token, id, access)) if *id_token == tokens.id_token => Some(AuthSession {
                tokens: tokens.clone(),
                id: id.clone(),
                access: access.clone(),
            }),
            _ => None,
        }
    }

    /// Runs `f` on the shared state, then stores the session and tells the listeners
    /// what happened.
    fn update<T>(
        &self,
        f: impl FnOnce(&mut Shared) -> Result<T, SessionError>,
    ) -> Result<T, SessionError> {
        let (result, events, listeners) = {
            let mut s = self.shared.lock();
            let result = f(&mut s);
            let events = s.session.events();
            if !events.is_empty() {
                match s.session.current() {
                    Some(tokens) => self.storage.set(&self.key, &StoredSession::record(tokens)),
                    None => self.storage.remove(&self.key),
                }
            }
            // Copied under the state's lock, so that two updates' events keep their order.
            let listeners: Vec<_> = self
                .listeners
                .lock()
                .iter()
                .map(|(_, l)| l.clone())
                .collect();
            (result, events, listeners)
        };
        for event in &events {
            for listener in &listeners {
                listener(*event);
            }
        }
        result
    }
}
