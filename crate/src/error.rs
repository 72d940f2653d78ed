//! What can go wrong talking to Cognito, as values: Cognito's own exceptions by name, and our
//! kinds for the network, time-outs, answers we cannot read, and input we refuse to send.
//!
//! In JS each becomes an `Error` whose `name` is [`Error::name`], so
//! `catch (e) { if (e.name === "CodeMismatchException") ... }` works as with Amplify.

use crate::prelude::*;

use core::fmt;

use crate::srp::SrpError;

/// Cognito's exception names, as `__type` / `x-amzn-errortype` carry them.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CognitoException {
    /// The username is taken.
    UsernameExists,
    /// The password breaks the pool's policy.
    InvalidPassword,
    /// A parameter is wrong or missing (also: a flow the app client does not allow).
    InvalidParameter,
    /// The confirmation or reset code is wrong.
    CodeMismatch,
    /// The code has expired; ask for a new one.
    ExpiredCode,
    /// The user has not confirmed the sign-up yet.
    UserNotConfirmed,
    /// Wrong username or password, bad SECRET_HASH, revoked or expired token, ...
    NotAuthorized,
    /// The user does not exist (pools that do not prevent user existence errors).
    UserNotFound,
    /// The password must be reset before signing in.
    PasswordResetRequired,
    /// A per-user or per-pool limit was hit.
    LimitExceeded,
    /// Too many requests: back off.
    TooManyRequests,
    /// Too many wrong codes or passwords.
    TooManyFailedAttempts,
    /// The code could not be delivered.
    CodeDeliveryFailure,
    /// The pool or app client does not exist.
    ResourceNotFound,
    /// The request is not authorised (RevokeToken with a wrong client secret).
    Unauthorized,
    /// A token of a type the call does not take.
    UnsupportedTokenType,
    /// Cognito failed internally.
    InternalError,
    /// The request body could not be read.
    Serialization,
    /// The operation does not exist.
    UnknownOperation,
    /// A refresh token that rotation replaced, used after its grace period.
    RefreshTokenReuse,
    /// Any other exception, by name.
    Unknown(String),
}

impl CognitoException {
    const NAMES: [(&'static str, CognitoException); 20] = [
        ("UsernameExistsException", CognitoException::UsernameExists),
        (
            "InvalidPasswordException",
            CognitoException::InvalidPassword,
        ),
        (
            "InvalidParameterException",
            CognitoException::InvalidParameter,
        ),
        ("CodeMismatchException", CognitoException::CodeMismatch),
        ("ExpiredCodeException", CognitoException::ExpiredCode),
        (
            "UserNotConfirmedException",
            CognitoException::UserNotConfirmed,
        ),
        ("NotAuthorizedException", CognitoException::NotAuthorized),
        ("UserNotFoundException", CognitoException::UserNotFound),
        (
            "PasswordResetRequiredException",
            CognitoException::PasswordResetRequired,
        ),
        ("LimitExceededException", CognitoException::LimitExceeded),
        (
            "TooManyRequestsException",
            CognitoException::TooManyRequests,
        ),
        (
            "TooManyFailedAttemptsException",
            CognitoException::TooManyFailedAttempts,
        ),
        (
            "CodeDeliveryFailureException",
            CognitoException::CodeDeliveryFailure,
        ),
        (
            "ResourceNotFoundException",
            CognitoException::ResourceNotFound,
        ),
        ("UnauthorizedException", CognitoException::Unauthorized),
        (
            "UnsupportedTokenTypeException",
            CognitoException::UnsupportedTokenType,
        ),
        ("InternalErrorException", CognitoException::InternalError),
        ("SerializationException", CognitoException::Serialization),
        (
            "UnknownOperationException",
            CognitoException::UnknownOperation,
        ),
        (
            "RefreshTokenReuseException",
            CognitoException::RefreshTokenReuse,
        ),
    ];

    /// From a `__type` or `x-amzn-errortype`: AWS may prefix it (`com.amazonaws...#Name`) or
    /// suffix it (`Name:http://...`); both are cut off.
    pub fn from_type(raw: &str) -> CognitoException {
        // Byte positions of ASCII separators, so both cuts are at char boundaries.
        let start = raw.bytes().rposition(|b| b == b'#').map_or(0, |at| at + 1);
        let name = raw.get(start..).unwrap_or(raw);
        let end = name.bytes().position(|b| b == b':').unwrap_or(name.len());
        let name = name.get(..end).unwrap_or(name).trim_ascii();
        Self::NAMES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, e)| e.clone())
            .unwrap_or_else(|| CognitoException::Unknown(name.to_owned()))
    }

    /// The names of the exceptions this type knows (the others are [`CognitoException::Unknown`]):
    /// what the JS package's types list.
    pub fn known_names() -> impl Iterator<Item = &'static str> {
        Self::NAMES.iter().map(|(name, _)| *name)
    }

    /// The exception's name, e.g. `CodeMismatchException`.
    pub fn name(&self) -> &str {
        match self {
            CognitoException::Unknown(name) => name,
            known => Self::NAMES
                .iter()
                .find(|(_, e)| e == known)
                .map_or("UnknownException", |(n, _)| n),
        }
    }
}

/// Every failure of a client call.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// Cognito answered with an exception.
    Cognito {
        /// Which one.
        exception: CognitoException,
        /// Cognito's message, meant for people.
        message: String,
        /// The HTTP status (400 for most).
        status: u16,
    },
    /// The request did not reach Cognito or its answer did not come back (offline, DNS,
    /// CORS, connection reset).
    Network(String),
    /// No answer within the configured time-out.
    Timeout,
    /// An answer we cannot read: not JSON, or missing what the operation promises.
    MalformedResponse(String),
    /// Input refused before sending (an empty username, a pool id of the wrong shape, ...).
    InvalidInput(String),
    /// The platform lacks something we need (secure random numbers, WebCrypto).
    Platform(String),
}

impl Error {
    /// The names of our own kinds (the JS package has a class for each), the others being
    /// Cognito's exceptions'. Checked against one error of each kind by this module's test.
    pub const OUR_NAMES: &'static [&'static str] = &[
        "NetworkError",
        "TimeoutError",
        "MalformedResponseError",
        "InvalidInputError",
        "PlatformError",
    ];

    /// The name JS sees as `error.name`: Cognito's exception name, or one of ours.
    pub fn name(&self) -> &str {
        match self {
            Error::Cognito { exception, .. } => exception.name(),
            Error::Network(_) => "NetworkError",
            Error::Timeout => "TimeoutError",
            Error::MalformedResponse(_) => "MalformedResponseError",
            Error::InvalidInput(_) => "InvalidInputError",
            Error::Platform(_) => "PlatformError",
        }
    }

    /// The Cognito exception, if that is what this is.
    pub fn exception(&self) -> Option<&CognitoException> {
        match self {
            Error::Cognito { exception, .. } => Some(exception),
            _ => None,
        }
    }

    pub(crate) fn invalid_input(message: impl Into<String>) -> Error {
        Error::InvalidInput(message.into())
    }

    pub(crate) fn malformed(message: impl Into<String>) -> Error {
        Error::MalformedResponse(message.into())
    }
}

const MALFORMED: &str = "unreadable answer from Cognito: ";
const INVALID_INPUT: &str = "invalid input: ";
const PLATFORM: &str = "platform: ";

impl Error {
    /// The message, for people (what `Display` writes). Built by concatenation: the JS
    /// package then carries none of the formatting machinery.
    pub fn message(&self) -> String {
        match self {
            Error::Cognito { message, .. } => concat(&[self.name(), ": ", message]),
            Error::Network(m) => concat(&["network error: ", m]),
            Error::Timeout => "Cognito did not answer in time".into(),
            Error::MalformedResponse(m) => concat(&[MALFORMED, m]),
            Error::InvalidInput(m) => concat(&[INVALID_INPUT, m]),
            Error::Platform(m) => concat(&[PLATFORM, m]),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl core::error::Error for Error {}

impl From<SrpError> for Error {
    fn from(e: SrpError) -> Error {
        match e {
            SrpError::Random => Error::Platform(e.message()),
            // A challenge we cannot compute on is the server's fault, not the user's.
            _ => Error::MalformedResponse(e.message()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exception_names_round_trip_and_prefixes_are_cut() {
        for (name, e) in CognitoException::NAMES.iter() {
            assert_eq!(CognitoException::from_type(name), *e);
            assert_eq!(e.name(), *name);
        }
        assert_eq!(
            CognitoException::from_type("com.amazonaws.cognito#CodeMismatchException"),
            CognitoException::CodeMismatch
        );
        assert_eq!(
            CognitoException::from_type("NotAuthorizedException:http://internal.amazon.com/x"),
            CognitoException::NotAuthorized
        );
        let odd = CognitoException::from_type("BrandNewException");
        assert_eq!(odd, CognitoException::Unknown("BrandNewException".into()));
        assert_eq!(odd.name(), "BrandNewException");
    }

    #[test]
    fn our_names_are_listed() {
        let ours = [
            Error::Network("x".into()),
            Error::Timeout,
            Error::MalformedResponse("x".into()),
            Error::InvalidInput("x".into()),
            Error::Platform("x".into()),
        ];
        // A new kind breaks the build here, so that it is listed.
        for e in &ours {
            match e {
                Error::Cognito { .. } => unreachable!(),
                Error::Network(_)
                | Error::Timeout
                | Error::MalformedResponse(_)
                | Error::InvalidInput(_)
                | Error::Platform(_) => {}
            }
        }
        let names: Vec<&str> = ours.iter().map(Error::name).collect();
        assert_eq!(names, Error::OUR_NAMES);
    }

    #[test]
    fn our_kinds_have_their_own_names() {
        assert_eq!(Error::Timeout.name(), "TimeoutError");
        assert_eq!(Error::Network("x".into()).name(), "NetworkError");
        assert_eq!(
            Error::MalformedResponse("x".into()).name(),
            "MalformedResponseError"
        );
        assert_eq!(Error::InvalidInput("x".into()).name(), "InvalidInputError");
        assert_eq!(Error::from(SrpError::Random).name(), "PlatformError");
    }
}
