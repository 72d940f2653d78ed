//! What goes into the session and what comes out of it: the tokens (as verified, as held),
//! the decisions, the outcomes of a refresh, the events and the errors.

use crate::prelude::*;

use crate::error::Error;
use crate::verify::{Claims, VerifyError};

/// How a session decides.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SessionConfig {
    /// Refresh when the ID or access token expires within this many seconds. Default 300
    /// (5 minutes): far more than a slow refresh takes, a twelfth of Cognito's default hour.
    /// A margin longer than half the tokens' lifetime is taken as half (2.5 minutes for
    /// Cognito's shortest validity, 5 minutes), so that no margin means a refresh at every
    /// call.
    pub refresh_margin: f64,
}

impl Default for SessionConfig {
    fn default() -> SessionConfig {
        SessionConfig {
            refresh_margin: 300.0,
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

/// What the session needs of a verified token's claims.
#[derive(Debug, Clone, Copy)]
pub struct TokenClaims<'a> {
    /// `token_use`: `id` or `access`.
    pub token_use: &'a str,
    /// `sub`.
    pub sub: &'a str,
    /// `cognito:username` (ID token) or `username` (access token).
    pub username: Option<&'a str>,
    /// `aud` (ID token) or `client_id` (access token).
    pub client_id: &'a str,
    /// `exp`.
    pub exp: i64,
    /// `iat`.
    pub iat: Option<i64>,
}

impl<'a> TokenClaims<'a> {
    /// From a verified token's payload (the npm package's session reads it from the token).
    #[cfg_attr(not(any(test, feature = "js")), allow(dead_code))]
    pub(crate) fn of_payload(payload: &'a crate::json::Object) -> TokenClaims<'a> {
        use crate::json::Value;
        let text = |name: &str| payload.get(name).and_then(Value::as_str);
        let token_use = text("token_use").unwrap_or_default();
        let id = token_use == "id";
        TokenClaims {
            token_use,
            sub: text("sub").unwrap_or_default(),
            username: text(if id { "cognito:username" } else { "username" }),
            client_id: text(if id { "aud" } else { "client_id" }).unwrap_or_default(),
            exp: payload
                .get("exp")
                .and_then(Value::as_i64)
                .unwrap_or(i64::MIN),
            iat: payload.get("iat").and_then(Value::as_i64),
        }
    }
}

impl<'a> From<&'a Claims> for TokenClaims<'a> {
    fn from(c: &'a Claims) -> TokenClaims<'a> {
        TokenClaims {
            token_use: &c.token_use,
            sub: &c.sub,
            username: c.username.as_deref(),
            client_id: &c.client_id,
            exp: c.exp,
            iat: c.iat,
        }
    }
}

impl VerifiedTokens {
    /// A sign-in's or a refresh's tokens, from their verified claims: the ID token an ID
    /// token and the access token an access token, both for `client_id` (the session's app
    /// client, whatever else the verifier accepts) and one user's (`sub` and username), the
    /// access token with an `iat` (the drift is measured from it). The one place these
    /// rules are: the Rust API's session comes here, and so does the npm package's.
    pub fn pair(
        tokens: [String; 2],
        refresh_token: Option<String>,
        [id, access]: [TokenClaims<'_>; 2],
        client_id: &str,
    ) -> Result<VerifiedTokens, VerifyError> {
        for (claims, kind) in [(&id, "id"), (&access, "access")] {
            if claims.token_use != kind {
                return Err(VerifyError::InvalidTokenUse {
                    expected: kind.to_owned(),
                    actual: claims.token_use.to_owned(),
                });
            }
            if claims.client_id != client_id {
                return Err(VerifyError::InvalidClientId(claims.client_id.to_owned()));
            }
        }
        let username = access.username.unwrap_or_default();
        if id.sub != access.sub || id.username != Some(username) || username.is_empty() {
            let why = "the ID and access tokens are not one user's";
            return Err(VerifyError::InvalidClaim(why.into()));
        }
        let iat = access
            .iat
            .ok_or_else(|| VerifyError::InvalidClaim("iat missing".into()))?;
        let [id_token, access_token] = tokens;
        Ok(VerifiedTokens {
            id_token,
            access_token,
            refresh_token,
            username: username.to_owned(),
            expires_at: id.exp.min(access.exp) as f64,
            issued_at: iat as f64,
        })
    }
}

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
    /// The access token's `iat`, on the tokens' clock.
    pub issued_at: f64,
    /// The device clock minus the tokens' clock, in seconds, measured when the tokens came
    /// (amazon-cognito-identity-js's sign; Amplify v6 stores the opposite, in milliseconds):
    /// expiry is judged on the device clock minus this drift.
    pub clock_drift: f64,
    /// Whether this session measured the drift itself, from tokens it had just received (a
    /// sign-in, a refresh). A drift read back from storage is not trusted to make tokens
    /// younger (anyone who can write the storage could revive expired tokens with it) unless
    /// it agrees, within [`DRIFT_AGREEMENT`](super::DRIFT_AGREEMENT) seconds, with one this
    /// session measured on this device; otherwise, until a refresh measures it again, only
    /// a drift that shortens their life is used.
    pub drift_measured: bool,
}

impl SessionTokens {
    /// Whether the two hold the same user's same tokens (the drift aside: a stored one
    /// reads back rounded to milliseconds).
    pub fn same_as(&self, other: &SessionTokens) -> bool {
        self.username == other.username
            && self.id_token == other.id_token
            && self.access_token == other.access_token
            && self.refresh_token == other.refresh_token
    }
}

/// What the caller does next for someone who wants the tokens.
#[derive(Debug, Clone, PartialEq)]
pub enum Next {
    /// Nobody is signed in.
    SignedOut,
    /// The tokens are good to use: [`Session::current`](super::Session::current).
    Ready,
    /// Refresh with this refresh token (GetTokensFromRefreshToken), verify the answer, and
    /// report with [`Session::refreshed`](super::Session::refreshed), or
    /// [`Session::abandon`](super::Session::abandon) it.
    Refresh(RefreshRequest),
    /// A refresh is under way and the tokens will not do without it: wait for its outcome
    /// and ask again. A forced caller is satisfied by that refresh: it asks again without
    /// `force` (so that twenty forced calls make one refresh, not twenty in a row).
    Wait,
    /// A refresh failed on the network, the tokens have expired and the next attempt is not
    /// due before `retry_at` (device clock): the caller reports the network failure. The
    /// session is kept.
    Unavailable {
        /// When a refresh may be tried again.
        retry_at: f64,
    },
}

/// What a refresh needs, and the ticket its outcome is reported with.
#[derive(Clone, PartialEq)]
pub struct RefreshRequest {
    /// Names this refresh: an outcome reported with another ticket (a refresh the session
    /// no longer waits for) changes nothing.
    pub ticket: u64,
    /// The refresh token to send.
    pub refresh_token: String,
    /// The user's name (a driver that refreshes with REFRESH_TOKEN_AUTH computes SECRET_HASH
    /// over it; GetTokensFromRefreshToken, which `SessionClient` uses, sends the client
    /// secret itself).
    pub username: String,
}

/// How a refresh failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefreshFailure {
    /// It may work later (no answer, a time-out, throttling, Cognito's or the JWKS's
    /// trouble): the session stays, and the next refresh is tried after a back-off.
    Network,
    /// The refresh token is refused (revoked, expired, rotated out), or the new tokens fail
    /// verification: the session ends.
    Refused,
}

impl RefreshFailure {
    /// What a refresh's failure means for the session, by the error's name (Cognito's
    /// exception, ours, or the verifier's): the one list (by name, so that the npm package's
    /// driver can hand over its error's `name`). The refresh token refused, or the new
    /// tokens failing a rule of the verifier: `Refused`. The network, throttling, Cognito's
    /// own trouble, the JWKS out of reach or unreadable, the platform: `Network`.
    pub fn of_name(name: &str) -> RefreshFailure {
        const REFUSED: [&str; 4] = [
            "NotAuthorizedException",
            "RefreshTokenReuseException",
            "UserNotFoundException",
            "ResourceNotFoundException",
        ];
        const PASSING: [&str; 4] = [
            "JwksFetchError",
            "JwksValidationError",
            "PlatformError",
            "InvalidInputError",
        ];
        let rule = VerifyError::NAMES.contains(&name) && !PASSING.contains(&name);
        if rule || REFUSED.contains(&name) {
            RefreshFailure::Refused
        } else {
            RefreshFailure::Network
        }
    }

    /// What a refresh call's error means for the session.
    pub fn of(error: &Error) -> RefreshFailure {
        RefreshFailure::of_name(error.name())
    }

    /// What the new tokens' failed verification means for the session.
    pub fn of_verification(error: &VerifyError) -> RefreshFailure {
        RefreshFailure::of_name(error.name())
    }
}

/// What became of a refresh's outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refreshed {
    /// It was the session's refresh: the session took it.
    Applied,
    /// The session was no longer waiting for it (signed out, another tab's tokens adopted,
    /// abandoned). When the session is signed out and the refresh rotated in a new refresh
    /// token, here it is, to revoke.
    Stale {
        /// The refresh token to revoke.
        revoke: Option<String>,
    },
}

/// What happened to a session, for the app's listeners (drained by
/// [`Session::events`](super::Session::events)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionEvent {
    /// A session began: a sign-in here, or one another tab stored.
    SignedIn,
    /// The session ended: signed out here, in another tab, or expired.
    SignedOut,
    /// New tokens replaced the old ones (refreshed here or in another tab).
    TokenRefresh,
    /// A refresh failed (the session may be kept: see [`RefreshFailure`]).
    TokenRefreshFailure,
    /// The refresh token was refused: the user must sign in again (followed by `SignedOut`).
    SessionExpired,
}

impl SessionEvent {
    /// The event's name, as the npm package dispatches it (and Amplify's Hub names its own).
    pub fn name(self) -> &'static str {
        match self {
            SessionEvent::SignedIn => "signedIn",
            SessionEvent::SignedOut => "signedOut",
            SessionEvent::TokenRefresh => "tokenRefresh",
            SessionEvent::TokenRefreshFailure => "tokenRefreshFailure",
            SessionEvent::SessionExpired => "sessionExpired",
        }
    }
}

/// Why the session cannot do what was asked.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum SessionError {
    /// The clock is not a finite number, or is further from the tokens' than any clock is
    /// ([`MAX_CLOCK_DRIFT_MS`](super::MAX_CLOCK_DRIFT_MS)).
    Clock,
    /// The configuration cannot work (a margin that is negative or not a number).
    Config(&'static str),
    /// Someone is signed in already: sign out first (Amplify's
    /// UserAlreadyAuthenticatedException).
    AlreadySignedIn,
    /// A sign-in's tokens came without a refresh token: a session could not be refreshed.
    NoRefreshToken,
    /// A stored session that cannot be read (another version, tampered, truncated).
    UnreadableRecord(&'static str),
    /// Nobody is signed in (a call that needs a session).
    SignedOut,
    /// The tokens have expired and the refresh failed on the network; it is tried again
    /// from `retry_at` (device clock). The session is kept.
    Unavailable {
        /// When a refresh may be tried again.
        retry_at: f64,
    },
    /// A call to Cognito failed (the session's sign-in, refresh or sign-out).
    Client(Error),
    /// A token failed verification (the session then ends, unless the JWKS was out of
    /// reach).
    Verify(VerifyError),
}

impl SessionError {
    /// The error's name, as the npm package names its errors: Cognito's or the verifier's for theirs,
    /// Amplify's for a call that needs a session and has none or a sign-in over one
    /// (`UserUnAuthenticatedException`, `UserAlreadyAuthenticatedException`), ours otherwise.
    pub fn name(&self) -> &str {
        match self {
            SessionError::Clock => "PlatformError",
            SessionError::Config(_)
            | SessionError::NoRefreshToken
            | SessionError::UnreadableRecord(_) => "InvalidInputError",
            SessionError::AlreadySignedIn => "UserAlreadyAuthenticatedException",
            SessionError::SignedOut => "UserUnAuthenticatedException",
            SessionError::Unavailable { .. } => "NetworkError",
            SessionError::Client(e) => e.name(),
            SessionError::Verify(e) => e.name(),
        }
    }

    /// The names the session gives its own errors (Amplify's), beside the client's and the
    /// verifier's: the npm package has a class for each.
    pub const OWN_NAMES: &'static [&'static str] = &[
        "UserUnAuthenticatedException",
        "UserAlreadyAuthenticatedException",
    ];

    /// What went wrong, for people (`Display` writes this): without `core::fmt`, which the
    /// npm package's core does not ship.
    pub fn message(&self) -> String {
        match self {
            SessionError::Clock => "platform: the clock is not usable".into(),
            SessionError::Config(why) => (*why).into(),
            SessionError::AlreadySignedIn => "a user is signed in already: sign out first".into(),
            SessionError::NoRefreshToken => {
                "the sign-in's tokens have no refresh token: no session to keep".into()
            }
            SessionError::UnreadableRecord(why) => {
                crate::concat(&["the stored session cannot be read: ", why])
            }
            SessionError::SignedOut => "nobody is signed in".into(),
            SessionError::Unavailable { .. } => {
                "the tokens have expired and Cognito cannot be reached to refresh them".into()
            }
            SessionError::Client(e) => e.message(),
            SessionError::Verify(e) => e.message(),
        }
    }
}

impl core::fmt::Display for SessionError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.message())
    }
}

#[cfg(feature = "std")]
impl std::error::Error for SessionError {}

/// `Debug` for the types that hold tokens: their other fields, never a token.
macro_rules! debug_without_tokens {
    ($($type:ident { $($field:ident),* })*) => {$(
        impl core::fmt::Debug for $type {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.debug_struct(stringify!($type))
                    $(.field(stringify!($field), &self.$field))*
                    .finish_non_exhaustive()
            }
        }
    )*};
}
pub(super) use debug_without_tokens;

debug_without_tokens! {
    VerifiedTokens { username, expires_at, issued_at }
    SessionTokens { username, expires_at, issued_at, clock_drift, drift_measured }
    RefreshRequest { ticket, username }
}
