//! The Cognito side of a session, kept by the library's `SessionClient`: sign-in by either
//! flow, every token verified before it is shown (signature against the pool's JWKS, issuer,
//! this client, token use), the session stored where the settings say (this tab's memory,
//! `sessionStorage` or `localStorage`), refreshed before the tokens expire, followed across
//! tabs, signed out.
//!
//! The page's clock is `time::now()`, which the emulator-only "skip 55 minutes" moves forward
//! together with the emulator's: the session then sees the tokens near their expiry, as it
//! would 55 minutes later, and refreshes them by itself.

use cognito_wasm::session::{
    AuthSession, MemoryStorage, SessionClient, SessionConfig, SessionError, SessionStorage,
};
use cognito_wasm::wasm::{BrowserStorage, WebPlatform};
use cognito_wasm::{Challenge, Claims, Error, HttpResponse, Platform, SignInResult, Tokens};
use cognito_wasm::{Verifier, VerifierConfig};

use crate::errors::Failure;
use crate::settings::{Settings, StorageChoice, TIMEOUT_MS};
use crate::time;

/// The two sign-in flows the practical compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flow {
    /// `USER_SRP_AUTH`: proves the password without sending it.
    Srp,
    /// `USER_PASSWORD_AUTH`: sends the password (over TLS) to Cognito.
    Password,
}

impl Flow {
    pub fn name(self) -> &'static str {
        match self {
            Flow::Srp => "USER_SRP_AUTH",
            Flow::Password => "USER_PASSWORD_AUTH",
        }
    }
}

/// The browser's platform on the page's clock (`time::now`), which "skip 55 minutes" moves.
#[derive(Clone)]
pub struct PagePlatform(WebPlatform);

impl Platform for PagePlatform {
    type Key = <WebPlatform as Platform>::Key;

    async fn post_json(
        &self,
        url: &str,
        target: &str,
        body: String,
    ) -> Result<HttpResponse, Error> {
        self.0.post_json(url, target, body).await
    }

    async fn get(&self, url: &str) -> Result<HttpResponse, Error> {
        self.0.get(url).await
    }

    fn now(&self) -> f64 {
        time::now()
    }

    async fn import_rsa_key(&self, modulus: &[u8], exponent: &[u8]) -> Result<Self::Key, String> {
        self.0.import_rsa_key(modulus, exponent).await
    }

    async fn verify_rs256(
        &self,
        key: &Self::Key,
        message: &[u8],
        sig: &[u8],
    ) -> Result<bool, String> {
        self.0.verify_rs256(key, message, sig).await
    }
}

/// The session of the settings in force.
pub type Sessions = SessionClient<PagePlatform>;

/// A session client for the settings: on the emulator tokens are issued by
/// `{endpoint}/{poolId}`; on AWS the library's defaults are right.
pub fn sessions(settings: &Settings, on_emulator: bool) -> Result<Sessions, Failure> {
    let platform = PagePlatform(WebPlatform::new(TIMEOUT_MS));
    let client = cognito_wasm::Client::new(settings.client_config(), platform.clone())?;
    let issuer = settings
        .endpoint()
        .filter(|_| on_emulator)
        .map(|e| format!("{e}/{}", settings.pool_id));
    let verifier = Verifier::new(
        VerifierConfig {
            issuer,
            ..VerifierConfig::new(&settings.pool_id, [&settings.client_id], None)
        },
        platform,
    )?;
    let storage: Box<dyn SessionStorage> = match settings.storage {
        StorageChoice::Memory => Box::new(MemoryStorage::default()),
        StorageChoice::Session => Box::new(BrowserStorage::session()?),
        StorageChoice::Local => Box::new(BrowserStorage::local()?),
    };
    Ok(SessionClient::new(
        client,
        verifier,
        storage,
        SessionConfig::default(),
    )?)
}

/// A signed-in session as the page shows it: the tokens and their verified claims.
#[derive(Clone, PartialEq)]
pub struct Session {
    pub tokens: Tokens,
    pub id: Claims,
    pub access: Claims,
}

impl From<AuthSession> for Session {
    fn from(s: AuthSession) -> Session {
        Session {
            tokens: Tokens {
                id_token: s.tokens.id_token,
                access_token: s.tokens.access_token,
                refresh_token: Some(s.tokens.refresh_token),
                expires_in: (s.access.exp as f64 - time::now()).max(0.0) as u64,
                token_type: "Bearer".into(),
            },
            id: s.id,
            access: s.access,
        }
    }
}

impl Session {
    /// The username the pool knows the user by.
    pub fn username(&self) -> String {
        self.id
            .username
            .clone()
            .or_else(|| self.access.username.clone())
            .unwrap_or_else(|| self.id.sub.clone())
    }
}

/// What a sign-in came to.
pub enum SignedIn {
    /// Tokens, verified and kept by the session.
    Session(Box<Session>),
    /// Cognito wants more (MFA, a new password, ...): the challenge to answer. Not an error.
    Challenge(Box<Challenge>),
}

/// Signs in by `flow` (after signing out whoever was signed in: the session holds one user),
/// then verifies the tokens. Also returns the milliseconds the sign-in itself took (the
/// Cognito round trips and, for SRP, the arithmetic), without verification.
pub async fn sign_in(
    sessions: &Sessions,
    flow: Flow,
    username: &str,
    password: &str,
) -> Result<(SignedIn, f64), Failure> {
    if sessions.current_user().await?.is_some() {
        // Revoked here; a failure to revoke does not keep the old session.
        let _ = sessions.sign_out(false).await;
    }
    let started = js_sys::Date::now();
    let result = match flow {
        Flow::Srp => sessions.client().sign_in_srp(username, password).await?,
        Flow::Password => {
            sessions
                .client()
                .sign_in_password(username, password)
                .await?
        }
    };
    let took = js_sys::Date::now() - started;
    if let SignInResult::Tokens(tokens) = &result {
        sessions.start(tokens.clone()).await?;
    }
    Ok((signed_in(sessions, result).await?, took))
}

/// Answers `challenge` (`confirm_sign_in`: the session, USERNAME and SECRET_HASH are the
/// library's): tokens start the session, verified; another challenge comes back to answer.
pub async fn answer(
    sessions: &Sessions,
    challenge: &Challenge,
    answer: Option<&str>,
    attributes: &[(String, String)],
) -> Result<SignedIn, Failure> {
    let result = sessions
        .confirm_sign_in(challenge, answer, attributes)
        .await?;
    signed_in(sessions, result).await
}

/// The sign-in's outcome as the page shows it (the session already started with its tokens).
async fn signed_in(sessions: &Sessions, result: SignInResult) -> Result<SignedIn, Failure> {
    Ok(match result {
        SignInResult::Tokens(_) => {
            SignedIn::Session(Box::new(sessions.get_session(false).await?.into()))
        }
        SignInResult::Challenge(c) => SignedIn::Challenge(Box::new(c)),
    })
}

/// The session now: refreshed first when its tokens expire within five minutes (or when
/// `force`); `None` when nobody is signed in.
pub async fn current(sessions: &Sessions, force: bool) -> Result<Option<Session>, Failure> {
    match sessions.get_session(force).await {
        Ok(s) => Ok(Some(s.into())),
        Err(SessionError::SignedOut) => Ok(None),
        Err(e) => Err(e.into()),
    }
}
