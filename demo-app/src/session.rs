//! The Cognito side of a session: sign-in by either flow, verification of both tokens, refresh.
//!
//! Tokens are trusted only after the library's [`Verifier`] has checked them (signature
//! against the pool's JWKS, issuer, client, `token_use`, expiry): the page shows claims it
//! verified, never ones it merely decoded.

use cognito_wasm::wasm::WebPlatform;
use cognito_wasm::{Claims, SignInResult, TokenUse, Tokens, Verifier, VerifierConfig};

use crate::errors::Failure;
use crate::settings::Settings;

/// Clock difference tolerated between the browser and the pool, in seconds: a token minted a
/// moment "in the future" by a slightly fast server clock is still fine.
const GRACE_SECONDS: u64 = 5;

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

/// A verifier for each kind of token, built once per settings so the JWKS is fetched once.
pub struct Verifiers {
    id: Verifier<WebPlatform>,
    access: Verifier<WebPlatform>,
}

impl Verifiers {
    /// On the emulator tokens are issued by `{endpoint}/{poolId}`; on AWS the library's
    /// defaults (`https://cognito-idp.{region}.amazonaws.com/{poolId}`) are right.
    pub fn new(settings: &Settings, on_emulator: bool) -> Result<Verifiers, Failure> {
        let issuer = settings
            .endpoint()
            .filter(|_| on_emulator)
            .map(|e| format!("{e}/{}", settings.pool_id));
        let make = |token_use| {
            Verifier::new(
                VerifierConfig {
                    grace_seconds: GRACE_SECONDS,
                    issuer: issuer.clone(),
                    ..VerifierConfig::new(&settings.pool_id, [&settings.client_id], Some(token_use))
                },
                WebPlatform::new(crate::settings::TIMEOUT_MS),
            )
        };
        Ok(Verifiers {
            id: make(TokenUse::Id)?,
            access: make(TokenUse::Access)?,
        })
    }

    /// Both tokens verified, or the first failure.
    async fn verify(&self, tokens: &Tokens) -> Result<(Claims, Claims), Failure> {
        let id = self.id.verify(&tokens.id_token).await?;
        let access = self.access.verify(&tokens.access_token).await?;
        Ok((id, access))
    }
}

/// A signed-in session: the tokens (in memory only) and their verified claims.
#[derive(Clone, PartialEq)]
pub struct Session {
    pub tokens: Tokens,
    pub id: Claims,
    pub access: Claims,
}

impl Session {
    async fn verified(verifiers: &Verifiers, tokens: Tokens) -> Result<Session, Failure> {
        let (id, access) = verifiers.verify(&tokens).await?;
        Ok(Session { tokens, id, access })
    }

    /// The username the pool knows the user by (what SECRET_HASH is computed over).
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
    /// Tokens, verified.
    Session(Box<Session>),
    /// Cognito wants more (MFA, a new password, ...): its name. Not an error.
    Challenge(String),
}

/// Signs in by `flow`, then verifies the tokens. Also returns the milliseconds the sign-in
/// itself took (the Cognito round trips and, for SRP, the arithmetic), without verification.
pub async fn sign_in(
    settings: &Settings,
    verifiers: &Verifiers,
    flow: Flow,
    username: &str,
    password: &str,
) -> Result<(SignedIn, f64), Failure> {
    let client = settings.client()?;
    let started = js_sys::Date::now();
    let result = match flow {
        Flow::Srp => client.sign_in_srp(username, password).await?,
        Flow::Password => client.sign_in_password(username, password).await?,
    };
    let took = js_sys::Date::now() - started;
    let signed_in = match result {
        SignInResult::Tokens(tokens) => {
            SignedIn::Session(Box::new(Session::verified(verifiers, tokens).await?))
        }
        SignInResult::Challenge(c) => SignedIn::Challenge(c.name),
    };
    Ok((signed_in, took))
}

/// New ID and access tokens for `session`, verified; the refresh token stays (Cognito does
/// not send a new one). A client with a secret needs the username for SECRET_HASH.
pub async fn refresh(
    settings: &Settings,
    verifiers: &Verifiers,
    session: &Session,
    username: &str,
) -> Result<Session, Failure> {
    let refresh_token =
        session.tokens.refresh_token.clone().ok_or_else(|| {
            Failure::new("InvalidInputError", "this session has no refresh token")
        })?;
    let username = Some(username.trim()).filter(|u| !u.is_empty());
    let mut tokens = settings.client()?.refresh(&refresh_token, username).await?;
    if tokens.refresh_token.is_none() {
        tokens.refresh_token = Some(refresh_token);
    }
    Session::verified(verifiers, tokens).await
}
