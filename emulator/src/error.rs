//! Cognito's error shape: HTTP 400 (403 for `AccessDeniedException`, 500 for
//! `InternalErrorException`), `{"__type", "message"}`, and `x-amzn-errortype`.

use std::fmt;

/// One Cognito exception: its name (the `__type`) and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub name: &'static str,
    pub message: String,
}

pub type ApiResult<T> = Result<T, ApiError>;

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.name, self.message)
    }
}

impl ApiError {
    pub fn new(name: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            name,
            message: message.into(),
        }
    }
    pub fn invalid_parameter(message: impl Into<String>) -> ApiError {
        ApiError::new("InvalidParameterException", message)
    }
    pub fn not_authorized(message: impl Into<String>) -> ApiError {
        ApiError::new("NotAuthorizedException", message)
    }
    pub fn incorrect_credentials() -> ApiError {
        ApiError::not_authorized("Incorrect username or password.")
    }
    pub fn user_not_found() -> ApiError {
        ApiError::new("UserNotFoundException", "User does not exist.")
    }
    pub fn code_mismatch() -> ApiError {
        ApiError::new(
            "CodeMismatchException",
            "Invalid verification code provided, please try again.",
        )
    }
    pub fn expired_code() -> ApiError {
        ApiError::new(
            "ExpiredCodeException",
            "Invalid code provided, please request a code again.",
        )
    }
    pub fn pool_not_found(pool_id: &str) -> ApiError {
        ApiError::new(
            "ResourceNotFoundException",
            format!("User pool {pool_id} does not exist."),
        )
    }
    pub fn client_not_found(client_id: &str) -> ApiError {
        ApiError::new(
            "ResourceNotFoundException",
            format!("User pool client {client_id} does not exist."),
        )
    }
    /// A call the emulator refuses to this caller (HTTP 403): see `access.rs`.
    pub fn access_denied(message: impl Into<String>) -> ApiError {
        ApiError::new("AccessDeniedException", message)
    }
    pub fn internal(message: impl Into<String>) -> ApiError {
        ApiError::new("InternalErrorException", message)
    }
}
