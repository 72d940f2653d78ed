//! Failures in plain words, with the error's name kept for developers.
//!
//! A new user should read what to do ("That code is not right..."), a developer what happened
//! (`CodeMismatchException`): the page shows both. Names we do not know fall back to the raw
//! message, so nothing is hidden.

use cognito_wasm::session::SessionError;
use cognito_wasm::{Error, VerifyError};

/// A failed action: the error's name (Cognito's exception, the library's or the verifier's
/// kind) and its raw message.
#[derive(Clone, Debug, PartialEq)]
pub struct Failure {
    /// `CodeMismatchException`, `NetworkError`, `JwtExpiredError`, ...
    pub name: String,
    /// The message as the server or library gave it.
    pub message: String,
}

impl Failure {
    pub fn new(name: impl Into<String>, message: impl Into<String>) -> Failure {
        Failure {
            name: name.into(),
            message: message.into(),
        }
    }

    /// What to tell the user, in plain words.
    pub fn plain(&self) -> String {
        plain_words(&self.name, &self.message)
    }

    /// The raw message, when it adds something to the plain words (they quote it otherwise).
    pub fn detail(&self) -> Option<&str> {
        let plain = self.plain();
        let m = self.message.trim();
        (!m.is_empty() && !plain.contains(m)).then_some(m)
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Failure {
        let message = match &e {
            // Display prefixes Cognito's message with the name, which we show apart.
            Error::Cognito { message, .. } => message.clone(),
            other => other.to_string(),
        };
        Failure::new(e.name(), message)
    }
}

impl From<SessionError> for Failure {
    fn from(e: SessionError) -> Failure {
        match e {
            SessionError::Client(e) => e.into(),
            SessionError::Verify(e) => e.into(),
            other => Failure::new(other.name(), other.to_string()),
        }
    }
}

impl From<VerifyError> for Failure {
    fn from(e: VerifyError) -> Failure {
        Failure::new(e.name(), e.to_string())
    }
}

/// Plain words for an error name; Cognito reuses `NotAuthorizedException` for many causes, so
/// its message picks the words there.
pub fn plain_words(name: &str, message: &str) -> String {
    let words = match name {
        "CodeMismatchException" => "That code is not right. Check the newest email and try again.",
        "ExpiredCodeException" => {
            "That code has expired or was replaced by a newer one. \
             Press “Resend code” for a new one."
        }
        "TooManyFailedAttemptsException" => {
            "Too many wrong codes: this one no longer works. Press “Resend code” for a new one."
        }
        "UsernameExistsException" => {
            "That username is taken. Choose another one, or sign in if it is yours."
        }
        "InvalidPasswordException" => {
            "The password does not follow the pool's rules (see the list under the password)."
        }
        "InvalidParameterException" => return format!("Cognito refused the request: {message}"),
        "UserNotConfirmedException" => {
            "This account is not confirmed yet. Enter the emailed code under “Confirm” first."
        }
        "NotAuthorizedException" => return not_authorized(message),
        "UserNotFoundException" => "There is no user with that name.",
        "PasswordResetRequiredException" => "This password must be reset before you can sign in.",
        "LimitExceededException" => "Too many attempts for now. Wait a while and try again.",
        "TooManyRequestsException" => "Too many requests. Wait a moment and try again.",
        "CodeDeliveryFailureException" => "The code could not be sent. Check the email address.",
        "ResourceNotFoundException" => {
            "That user pool or app client does not exist. Check the settings."
        }
        "InternalErrorException" => "Cognito failed on its side. Try again in a moment.",
        "NetworkError" => {
            "The server could not be reached. Check the URL in the settings and that the server \
             is running (`cargo xtask demo` starts the local ones)."
        }
        "TimeoutError" => "The server did not answer in time. Try again.",
        "MalformedResponseError" => "The server's answer could not be read.",
        "InvalidInputError" => return format!("Please check what you entered: {}", strip(message)),
        "PlatformError" => {
            "This browser lacks something needed here (WebCrypto works only on https or \
             localhost pages)."
        }
        // The verifier's, named as aws-jwt-verify names them.
        "JwtExpiredError" => "The token has expired. Refresh the session or sign in again.",
        "JwtInvalidSignatureError" => {
            "The token's signature is not valid: this pool's keys did not sign it."
        }
        "JwtInvalidIssuerError" => {
            "The token comes from another issuer than this pool. Check the endpoint and pool id."
        }
        "CognitoJwtInvalidClientIdError" => "The token was issued to another app client.",
        "CognitoJwtInvalidTokenUseError" => "This is the wrong kind of token (ID vs access).",
        "CognitoJwtInvalidGroupError" => "The user is in none of the required groups.",
        "KidNotFoundInJwksError" => {
            "The token was signed with a key the pool does not publish (was the emulator \
             restarted? Sign in again)."
        }
        "JwksFetchError" => "The pool's public keys (JWKS) could not be downloaded.",
        "JwtParseError" => "That is not a valid token.",
        "JwtNotBeforeError" | "JwtIssuedInFutureError" => {
            "The token is not valid yet: is this computer's clock right?"
        }
        _ if message.trim().is_empty() => "Something went wrong.",
        _ => return message.trim().to_owned(),
    };
    words.to_owned()
}

fn not_authorized(message: &str) -> String {
    let m = message.to_ascii_lowercase();
    let words = if m.contains("incorrect username or password") {
        "The username or password is wrong."
    } else if m.contains("attempts exceeded") {
        "Too many wrong passwords. Wait a minute, then try again."
    } else if m.contains("secret hash") || m.contains("configured for secret") {
        "The client secret is wrong or missing for this app client. Check the settings."
    } else if m.contains("current status is confirmed") {
        "This account is already confirmed: you can sign in."
    } else if m.contains("revoked") {
        "This session was signed out. Sign in again."
    } else if m.contains("expired") {
        "This session has expired. Sign in again."
    } else if m.contains("disabled") {
        "This account is disabled."
    } else if m.contains("token") {
        "This session is no longer valid. Sign in again."
    } else {
        return format!("Cognito refused: {}", message.trim());
    };
    words.to_owned()
}

/// The library prefixes its input errors with "invalid input: ".
fn strip(message: &str) -> &str {
    message.strip_prefix("invalid input: ").unwrap_or(message)
}
