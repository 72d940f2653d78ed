//! What the client's calls take and give: the configuration and the answers, as Rust types.

use crate::prelude::*;

use crate::error::Error;
use crate::json::{ObjectWriter, Value};

/// How to reach one app client of one user pool.
#[derive(Clone, Default)]
pub struct ClientConfig {
    /// `us-east-1_AbC123xyz`: the region and the SRP pool name come from it.
    pub user_pool_id: String,
    /// The app client id.
    pub client_id: String,
    /// The app client secret, if the client has one. Anyone who can read the page can read
    /// it: public web apps should use a client without a secret.
    pub client_secret: Option<String>,
    /// Another endpoint than `https://cognito-idp.{region}.amazonaws.com/` (an emulator).
    pub endpoint: Option<String>,
}

impl core::fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ClientConfig")
            .field("user_pool_id", &self.user_pool_id)
            .field("client_id", &self.client_id)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "<redacted>"),
            )
            .field("endpoint", &self.endpoint)
            .finish()
    }
}

/// Where a confirmation or reset code went (masked, as Cognito reports it).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CodeDelivery {
    /// `a***@e***`.
    pub destination: Option<String>,
    /// `EMAIL` or `SMS`.
    pub delivery_medium: Option<String>,
    /// `email` or `phone_number`.
    pub attribute_name: Option<String>,
}

/// The answer to a sign-up.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SignUpResult {
    /// Whether the user is confirmed already (a pre-sign-up trigger can do that).
    pub user_confirmed: bool,
    /// The new user's `sub`.
    pub user_sub: String,
    /// Where the confirmation code went, if one was sent.
    pub code_delivery: Option<CodeDelivery>,
}

/// The tokens of a signed-in session. `Debug` leaves the tokens out (they are credentials);
/// with the `serde` feature they serialize in full (you asked for them).
#[derive(Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Tokens {
    /// The ID token (JWT): who the user is.
    pub id_token: String,
    /// The access token (JWT): what the user may call.
    pub access_token: String,
    /// The refresh token (opaque); absent in the answer to a refresh.
    pub refresh_token: Option<String>,
    /// Seconds the access token is valid for.
    pub expires_in: u64,
    /// `Bearer`.
    pub token_type: String,
}

impl core::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // Tokens are credentials: never print them.
        f.debug_struct("Tokens")
            .field("expires_in", &self.expires_in)
            .field("token_type", &self.token_type)
            .finish_non_exhaustive()
    }
}

/// A challenge the library cannot answer by itself (MFA, a new password, ...): the caller
/// answers it with [`Client::respond_to_challenge`](super::Client::respond_to_challenge).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Challenge {
    /// `SMS_MFA`, `SOFTWARE_TOKEN_MFA`, `NEW_PASSWORD_REQUIRED`, ...
    pub name: String,
    /// The session to send back with the answer.
    pub session: Option<String>,
    /// The challenge's parameters, as sent (with `serde`: a map, in this order).
    #[cfg_attr(feature = "serde", serde(with = "crate::serde_impls::pairs"))]
    pub parameters: Pairs,
}

impl Challenge {
    /// The parameter `name`.
    pub fn parameter(&self, name: &str) -> Option<&str> {
        lookup(&self.parameters, name)
    }

    /// As JSON, `{"name", "session", "parameters"}`: how the JS API shows a challenge, and how
    /// a challenge is given back to be answered ([`Challenge::from_value`] reads it). The
    /// parameters came from an object, so their names are distinct.
    #[cfg_attr(not(feature = "std"), allow(dead_code))]
    pub(crate) fn to_json(&self) -> String {
        let mut parameters = ObjectWriter::new();
        for (k, v) in &self.parameters {
            parameters = parameters.string(k, v);
        }
        ObjectWriter::new()
            .string("name", &self.name)
            .opt_string("session", self.session.as_deref())
            .raw("parameters", &parameters.finish())
            .finish()
    }

    /// [`Challenge::to_json`] as a value, for a request's inputs.
    pub(crate) fn to_value(&self) -> Result<Value, Error> {
        crate::json::parse(&self.to_json()).map_err(|e| Error::Platform(e.message()))
    }

    /// [`Challenge::to_json`] read back: a challenge as a sign-in returned it.
    pub(crate) fn from_value(value: Option<&Value>) -> Result<Challenge, Error> {
        let bad = || Error::invalid_input("challenge must be a sign-in's challenge");
        let o = value.and_then(Value::as_object).ok_or_else(bad)?;
        let text = |k: &str| o.get(k).and_then(Value::as_str).map(str::to_owned);
        let mut parameters = Pairs::new();
        for (k, v) in o
            .get("parameters")
            .and_then(Value::as_object)
            .ok_or_else(bad)?
            .iter()
        {
            parameters.push((k.clone(), v.as_str().ok_or_else(bad)?.to_owned()));
        }
        Ok(Challenge {
            name: text("name").ok_or_else(bad)?,
            session: text("session"),
            parameters,
        })
    }
}

/// What a challenge asks, read from its name and parameters ([`Challenge::step`]): how an
/// app decides what to show. Answer it with [`Client::confirm_sign_in`](super::Client::confirm_sign_in).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ChallengeStep {
    /// NEW_PASSWORD_REQUIRED (an administrator's user at the first sign-in): a new password,
    /// and the required attributes the user lacks (`name`, not `userAttributes.name`).
    NewPasswordRequired {
        /// Attributes to give with the new password.
        required_attributes: Vec<String>,
        /// The user's attributes as they are.
        user_attributes: Pairs,
    },
    /// SMS_MFA: the code sent by text message to `destination` (masked).
    SmsMfa {
        /// `+*******1234`.
        destination: Option<String>,
    },
    /// EMAIL_OTP (or EMAIL_MFA): the code sent by email to `destination` (masked).
    EmailOtp {
        /// `a***@e***`.
        destination: Option<String>,
    },
    /// SOFTWARE_TOKEN_MFA: a code of the user's authenticator app.
    SoftwareTokenMfa,
    /// SELECT_MFA_TYPE: the factor to use, one of `allowed` (`SMS_MFA`, `SOFTWARE_TOKEN_MFA`,
    /// `EMAIL_OTP`).
    SelectMfaType {
        /// The factors the user may choose.
        allowed: Vec<String>,
    },
    /// MFA_SETUP: the pool requires MFA and the user has none; set one of `allowed` up
    /// (`SOFTWARE_TOKEN_MFA`: [`Client::associate_software_token`](super::Client::associate_software_token)
    /// and [`Client::verify_software_token`](super::Client::verify_software_token) with the
    /// challenge's session).
    MfaSetup {
        /// The factors the user may set up.
        allowed: Vec<String>,
    },
    /// A challenge this version does not know (CUSTOM_CHALLENGE, DEVICE_SRP_AUTH, ...): its
    /// name and parameters are the [`Challenge`]'s; answer it with
    /// [`Client::respond_to_challenge`](super::Client::respond_to_challenge).
    Unsupported,
}

/// An authenticator app's key, or a verification's outcome (AssociateSoftwareToken,
/// VerifySoftwareToken). `Debug` leaves the key out.
#[derive(Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SoftwareToken {
    /// The TOTP key, base32 (AssociateSoftwareToken): for [`totp_uri`](super::totp_uri).
    pub secret_code: Option<String>,
    /// The challenge's next session, when the call was made with MFA_SETUP's.
    pub session: Option<String>,
}

impl core::fmt::Debug for SoftwareToken {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SoftwareToken")
            .field(
                "secret_code",
                &self.secret_code.as_ref().map(|_| "<redacted>"),
            )
            .field("session", &self.session.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// Name-value pairs in the order Cognito sent them (challenge parameters, user attributes):
/// a handful each, so a list serves as well as a map, in fewer bytes of wasm.
pub type Pairs = Vec<(String, String)>;

/// The value for `name` in `pairs`.
pub fn lookup<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// The outcome of a sign-in: tokens, or a challenge to answer. With `serde`:
/// `{"tokens": {...}}` or `{"challenge": {...}}`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum SignInResult {
    /// Signed in.
    Tokens(Tokens),
    /// Cognito wants more (MFA, a new password, ...).
    Challenge(Challenge),
}

/// A user as GetUser returns them.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct User {
    /// The username.
    pub username: String,
    /// Attributes (`sub`, `email`, `email_verified`, `custom:...`), as sent (with `serde`: a
    /// map, in this order).
    #[cfg_attr(feature = "serde", serde(with = "crate::serde_impls::pairs"))]
    pub attributes: Pairs,
    /// The MFA factors the user has enabled (`UserMFASettingList`: `SOFTWARE_TOKEN_MFA`,
    /// `SMS_MFA`, `EMAIL_OTP`); empty when none.
    #[cfg_attr(feature = "serde", serde(default))]
    pub mfa_settings: Vec<String>,
    /// The factor the user prefers (`PreferredMfaSetting`), if they chose one.
    #[cfg_attr(feature = "serde", serde(default))]
    pub preferred_mfa: Option<String>,
}

impl User {
    /// The attribute `name`.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        lookup(&self.attributes, name)
    }
}
